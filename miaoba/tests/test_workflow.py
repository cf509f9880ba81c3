"""The workflow core: steps declared once, guarded in services, listed on pages, replayed by
ledgers; one numbering table; one timeline model."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from disputes import services as s
from disputes.flows import DISPUTE, PETITION
from disputes.models import Event, Petition
from disputes.tests.builders import register_dispute, register_petition
from miaoba.models import NumberSequence, TimelineEvent
from miaoba.workflow import FLOWS, allocate_serial, allocate_serials, flow_for, raise_serial
from normative_docs.flows import DECISION, DOCUMENT
from tasks.flows import TASK

d = dt.date
pytestmark = pytest.mark.django_db


@pytest.fixture
def petition(clerk, justice_office):
    return register_petition(by=clerk, unit=justice_office, received_on=d(2021, 3, 1))


def test_every_case_kind_declares_its_steps_once():
    assert set(FLOWS) >= {"petition", "dispute", "document", "decision", "task"}
    assert FLOWS["petition"] is PETITION and FLOWS["task"] is TASK
    for flow in (PETITION, DISPUTE, DOCUMENT, DECISION, TASK):
        for step in flow.steps.values():
            if step.form:
                assert callable(flow.service_of(step)), (flow.kind, step.name)
                form_fields = set(flow.form_of(step)().fields)
                assert set(step.args.values()) <= form_fields, (flow.kind, step.name)


def test_the_guard_names_the_state_the_step_may_follow(petition, clerk):
    s.petition_accept(petition, by=clerk, on=d(2021, 3, 2))

    with pytest.raises(ValidationError) as exc:
        s.petition_accept(petition, by=clerk, on=d(2021, 3, 3))

    assert exc.value.messages == [
        "该信访件当前为“办理中”，不能办理“受理”（受理只能在“待受理”时办理，"
        "《信访条例》第二十一条、第二十二条；《信访工作条例》第二十三条）。"
    ]


def test_a_voided_case_takes_no_step(petition, clerk):
    s.petition_void(petition, by=clerk, reason="重复登记")

    with pytest.raises(ValidationError) as exc:
        s.petition_accept(petition, by=clerk, on=d(2021, 3, 2))

    assert exc.value.messages == [f"信访件{petition.number}已作废，不能再办理。"]
    assert PETITION.available(petition, clerk) == []


def test_an_unknown_step_fails_loudly(petition):
    with pytest.raises(LookupError):
        PETITION.guard(petition, "approve")


def test_templates_ask_the_model(petition, clerk):
    assert petition.can_accept and petition.can_reject and not petition.can_conclude
    s.petition_accept(petition, by=clerk, on=d(2021, 3, 2))
    assert not petition.can_accept and petition.can_conclude and petition.can_extend


def test_the_page_lists_only_the_steps_the_guard_allows(petition, clerk, outsider):
    assert [x["label"] for x in PETITION.available(petition, clerk)] == ["受理", "不予受理"]
    assert PETITION.available(petition, clerk)[0]["url"] == (
        f"/disputes/petitions/{petition.pk}/accept/"
    )


def _row(**fields) -> Petition:
    """An unsaved petition as a ledger row describes it."""
    return Petition(received_on=d(2020, 3, 2), channel=Petition.Channel.VISIT, **fields)


def test_a_ledger_row_implies_its_steps_in_declared_order():
    row = _row(
        headcount=2,
        status=Petition.Status.REPLIED,
        decided_on=d(2020, 3, 5),
        extension_days=10,
        extension_reason="需现场勘查",
        concluded_on=d(2020, 5, 1),
        outcome="支持",
        replied_on=d(2020, 5, 3),
        reply_form="书面送达",
        satisfaction="满意",
    )

    assert PETITION.implied_events(row) == [
        ("登记", d(2020, 3, 2), "来访（走访），2名信访人"),
        ("受理", d(2020, 3, 5), ""),
        ("延期", d(2020, 3, 5), "延长10日；理由：需现场勘查"),
        ("办结", d(2020, 5, 1), "处理意见：支持"),
        ("答复", d(2020, 5, 3), "答复方式：书面送达；评价：满意"),
    ]


def test_a_rejected_row_implies_only_the_rejection():
    row = _row(
        headcount=1,
        status=Petition.Status.REJECTED,
        decided_on=d(2020, 3, 6),
        rejection_reason="属于诉讼事项",
        redirect_to="城口县人民法院",
        replied_on=d(2020, 3, 6),
        reply_form="不予受理告知书",
    )

    assert [a for a, _on, _note in PETITION.implied_events(row)] == ["登记", "不予受理"]
    assert PETITION.implied_events(row)[1][2] == "理由：属于诉讼事项；告知向城口县人民法院提出"


def test_overwrites_name_the_recorded_step(petition, clerk):
    s.petition_accept(petition, by=clerk, on=d(2021, 3, 2))

    found = PETITION.overwrites(petition, {"decided_on": d(2021, 3, 5), "summary": "新内容"})

    assert [(step.label, field, old, new) for step, field, old, new in found] == [
        ("受理", "decided_on", d(2021, 3, 2), d(2021, 3, 5))
    ]
    assert PETITION.overwrites(petition, {"decided_on": d(2021, 3, 2)}) == []


def test_serials_come_from_one_table_for_every_register(clerk, justice_office):
    register_petition(by=clerk, unit=justice_office, received_on=d(2021, 3, 1))
    register_dispute(by=clerk, unit=justice_office, received_on=d(2021, 3, 1))

    assert dict(NumberSequence.objects.values_list("register", "last")) == {
        "petition": 1,
        "dispute": 1,
    }
    assert list(allocate_serials("petition", 2021, 3)) == [2, 3, 4]
    raise_serial("petition", 2021, 10)
    raise_serial("petition", 2021, 7)  # never lowered
    assert allocate_serial("petition", 2021) == 11


def test_a_timeline_entry_for_an_unknown_kind_fails_loudly(petition, clerk, justice_office):
    from tasks.models import Event as TaskEvent

    with pytest.raises(LookupError):
        TaskEvent.add(petition, action="受理", on=d(2021, 3, 2), by=clerk)
    with pytest.raises(LookupError):
        flow_for(justice_office)
    assert issubclass(Event, TimelineEvent) and issubclass(TaskEvent, TimelineEvent)


def test_timeline_notes_are_masked(petition, clerk):
    event = Event.add(
        petition, action="说明", on=d(2021, 3, 2), by=clerk, note="来电13800138000反映"
    )
    assert event.note == "来电138****8000反映"
    assert Event.build(petition, action="x", on=d(2021, 3, 2), by=clerk).pk is None


def test_the_step_list_is_printed_from_the_declarations():
    from io import StringIO

    from django.core.management import call_command

    out = StringIO()
    call_command("workflow_steps", stdout=out)
    text = out.getvalue()

    assert "## 信访件（petition）" in text
    assert "- 受理：待受理；《信访条例》第二十一条、第二十二条；《信访工作条例》第二十三条" in text
    assert "- 答复：不予受理、调解成功、调解不成、终止调解；只登记一次" in text
    assert "- 销号：已完成；由非责任人的领导核验销号；DOMAIN.md §6" in text
