"""Mediators chosen from the list on record, and 回避 flagged for the clerk (issue 17 point 5).

A dispute between 罗光荣 (申请方, 罗江村) and 谭德华 (被申请方), received 13 September 2021,
accepted the next day, mediated to an agreement on 12 October 2021.
"""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from disputes import services as s
from disputes.models import Dispute, Mediator, Party
from disputes.tests.builders import register_dispute
from disputes.tests.ledger_data import village

pytestmark = pytest.mark.django_db
d = dt.date


@pytest.fixture
def luojiang():
    return village("罗江村")


@pytest.fixture
def dispute(clerk, justice_office, luojiang) -> Dispute:
    x = register_dispute(
        by=clerk,
        unit=justice_office,
        received_on=d(2021, 9, 13),
        parties=[
            (s.PersonData(name="罗光荣", village_id=luojiang.pk), Party.Side.APPLICANT),
            (s.PersonData(name="谭德华"), Party.Side.RESPONDENT),
        ],
    )
    return s.dispute_accept(x, by=clerk, on=d(2021, 9, 14))


def _mediator(name, village=None, **extra) -> Mediator:
    return Mediator.objects.create(name=name, village=village, **extra)


def _conclude(dispute, clerk):
    return s.dispute_conclude(
        dispute,
        by=clerk,
        on=d(2021, 10, 12),
        result=Dispute.Status.SUCCEEDED,
        agreement_form=Dispute.AgreementForm.WRITTEN,
        agreement_text="谭德华于2021年11月1日前改道排水沟",
    )


def test_same_surname_and_village_is_flagged_other_villages_and_surnames_are_not(
    dispute, clerk, luojiang
):
    shiliang = village("石梁村")
    s.dispute_assign_mediators(
        dispute,
        by=clerk,
        on=d(2021, 9, 14),
        mediators=[
            _mediator("罗大勇", luojiang),  # 罗, 罗江村: as 罗光荣
            _mediator("罗正平", shiliang),  # 罗, another village
            _mediator("李文静", luojiang),  # another surname, same village
        ],
    )

    assert s.recusal_conflicts(dispute) == ["调解员罗大勇与当事人罗光荣同姓同村（罗江村）"]
    assert dispute.mediators == "罗大勇、罗正平、李文静"
    assert dispute.events.get(action="指定调解员").note == (
        "罗大勇、罗正平、李文静；需确认回避：调解员罗大勇与当事人罗光荣同姓同村（罗江村）"
    )


def test_a_mediator_who_is_a_party_is_flagged(dispute, clerk):
    s.dispute_assign_mediators(
        dispute, by=clerk, on=d(2021, 9, 14), mediators=[_mediator("谭德华")]
    )

    assert s.recusal_conflicts(dispute) == ["调解员谭德华与当事人谭德华同名，可能是本纠纷当事人"]


def test_conclusion_is_refused_until_the_clerk_confirms_no_recusal(dispute, clerk, luojiang):
    s.dispute_assign_mediators(
        dispute, by=clerk, on=d(2021, 9, 14), mediators=[_mediator("罗大勇", luojiang)]
    )

    with pytest.raises(ValidationError) as excinfo:
        _conclude(dispute, clerk)
    s.dispute_confirm_no_recusal(
        dispute,
        by=clerk,
        on=d(2021, 9, 15),
        note="同姓不同宗，与当事人无亲属关系，双方同意由其调解",
    )
    _conclude(dispute, clerk)

    assert excinfo.value.messages[0].startswith(
        "调解员罗大勇与当事人罗光荣同姓同村（罗江村）。请先确认无需回避（写明理由）或更换调解员"
    )
    dispute.refresh_from_db()
    assert (dispute.recusal_confirmed_on, dispute.recusal_confirmed_by) == (d(2021, 9, 15), clerk)
    assert dispute.status == Dispute.Status.SUCCEEDED


def test_changing_the_mediator_settles_it_and_asks_again_for_a_new_flag(dispute, clerk, luojiang):
    flagged = _mediator("罗大勇", luojiang)
    s.dispute_assign_mediators(dispute, by=clerk, on=d(2021, 9, 14), mediators=[flagged])
    s.dispute_confirm_no_recusal(dispute, by=clerk, on=d(2021, 9, 15), note="无亲属关系")

    s.dispute_assign_mediators(
        dispute, by=clerk, on=d(2021, 9, 16), mediators=[_mediator("李文静"), flagged]
    )

    dispute.refresh_from_db()
    assert dispute.recusal_confirmed_on is None
    assert not dispute.can_conclude
    s.dispute_assign_mediators(
        dispute, by=clerk, on=d(2021, 9, 17), mediators=[Mediator.objects.get(name="李文静")]
    )
    assert dispute.can_conclude
    _conclude(dispute, clerk)


def test_confirmation_without_a_reason_or_without_a_flag_is_refused(dispute, clerk, luojiang):
    with pytest.raises(ValidationError) as no_flag:
        s.dispute_confirm_no_recusal(dispute, by=clerk, on=d(2021, 9, 15), note="无")
    s.dispute_assign_mediators(
        dispute, by=clerk, on=d(2021, 9, 14), mediators=[_mediator("罗大勇", luojiang)]
    )
    with pytest.raises(ValidationError) as no_reason:
        s.dispute_confirm_no_recusal(dispute, by=clerk, on=d(2021, 9, 15), note=" ")

    assert no_flag.value.messages == ["所选调解员没有需要回避的情形，无需确认。"]
    assert no_reason.value.message_dict == {
        "recusal_note": ["请写明无需回避的理由（如：无亲属关系，当事人同意）。"]
    }


def test_a_mediator_no_longer_in_use_is_refused(dispute, clerk):
    with pytest.raises(ValidationError) as excinfo:
        s.dispute_assign_mediators(
            dispute, by=clerk, on=d(2021, 9, 14), mediators=[_mediator("陈老", is_active=False)]
        )

    assert excinfo.value.message_dict == {"mediator_people": ["陈老已不再担任调解员。"]}


def test_registration_chooses_mediators_on_record_and_the_page_flags_them(
    client, clerk, justice_office, luojiang
):
    from disputes.tests.test_pages import _people_post

    flagged = _mediator("罗大勇", luojiang)
    _mediator("退休调解员", is_active=False)
    client.force_login(clerk)
    form_page = client.get("/disputes/cases/new/").content.decode()

    client.post(
        "/disputes/cases/new/",
        _people_post(
            "parties",
            [
                {"name": "罗光荣", "side": "申请方", "village": str(luojiang.pk)},
                {"name": "谭德华", "side": "被申请方"},
            ],
            {
                "received_on": "2021-09-13",
                "source": Dispute.Source.APPLIED,
                "type": Dispute.Type.NEIGHBOUR,
                "unit": str(justice_office.pk),
                "summary": "屋后排水沟走向争执",
                "body": Dispute.Body.TOWN,
                "mediator_people": [str(flagged.pk)],
                "confirm_repeat": "1",
            },
        ),
    )
    dispute = Dispute.objects.get()
    s.dispute_accept(dispute, by=clerk, on=d(2021, 9, 14))
    page = client.get(f"/disputes/cases/{dispute.pk}/").content.decode()

    assert "罗大勇（罗江村）" in form_page and "退休调解员" not in form_page
    assert list(dispute.mediator_people.all()) == [flagged]
    assert "调解员回避提示" in page
    assert "调解员罗大勇与当事人罗光荣同姓同村（罗江村）" in page
    assert f"/disputes/cases/{dispute.pk}/recusal/" in page
    assert f"/disputes/cases/{dispute.pk}/conclude/" not in page
