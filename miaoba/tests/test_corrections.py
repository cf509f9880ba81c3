"""更正: a registered record's basic facts corrected with a reason, version-checked, in the
history and on the timeline, by the owning unit; the number never changes; a fact a later step
fixed says why it cannot change."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from disputes import services as ds
from disputes.models import Village
from disputes.tests.builders import register_dispute, register_petition
from miaoba.corrections import correct, registry
from normative_docs import services as ns
from normative_docs.tests.builders import draft, make_advisor, published
from tasks.tests.builders import task

pytestmark = pytest.mark.django_db
d = dt.date


@pytest.fixture
def petition(clerk, justice_office):
    return register_petition(by=clerk, unit=justice_office, received_on=d(2020, 3, 2))


def _post(client, kind, record, **data):
    data.setdefault("version", record.version if hasattr(record, "version") else "")
    return client.post(f"/correct/{kind}/{record.pk}/", data, follow=True)


def _petition_data(p, **changes):
    data = {
        "received_on": p.received_on.isoformat(),
        "channel": p.channel,
        "kind": p.kind,
        "category": p.category_id,
        "village": p.village_id or "",
        "summary": p.summary,
        "request": p.request,
        "headcount": p.headcount,
        "version": p.version,
    }
    for link in p.petitioner_links.all():
        for name in ("gender", "address"):
            data[f"person_{link.pk}_{name}"] = getattr(link, name)
        data[f"person_{link.pk}_village"] = link.village_id or ""
    data.update(changes)
    return data


def test_a_clerk_corrects_a_petitions_summary_and_village_with_a_reason(client, clerk, petition):
    number = petition.number
    village = Village.objects.create(name="石兴村")
    client.force_login(clerk)
    response = client.post(
        f"/correct/petition/{petition.pk}/",
        _petition_data(
            petition,
            summary="邻里排水沟堵塞纠纷，要求镇里协调疏通",
            village=village.pk,
            reason="登记时漏录村名，摘要少了“堵塞”",
        ),
        follow=True,
    )
    text = response.content.decode()
    assert f"已更正{number}：村（社区）、主要内容" in text

    petition.refresh_from_db()
    assert petition.number == number  # the registered number never changes
    assert petition.summary == "邻里排水沟堵塞纠纷，要求镇里协调疏通"
    assert petition.village == village
    assert petition.version == 2
    # the timeline says what and why
    event = petition.events.get(action="更正")
    assert event.note == (
        "村（社区）：— → 石兴村；主要内容：邻里排水沟纠纷，要求镇里协调 → "
        "邻里排水沟堵塞纠纷，要求镇里协调疏通。理由：登记时漏录村名，摘要少了“堵塞”"
    )
    # the 修改记录 tab shows the change and its reason
    assert "更正：登记时漏录村名，摘要少了“堵塞”" in text
    assert "主要内容：邻里排水沟纠纷，要求镇里协调 → 邻里排水沟堵塞纠纷，要求镇里协调疏通" in text


def test_the_received_date_is_fixed_once_accepted_and_the_page_says_why(client, clerk, petition):
    ds.petition_accept(petition, by=clerk, on=d(2020, 3, 5))
    client.force_login(clerk)
    text = client.get(f"/correct/petition/{petition.pk}/").content.decode()
    assert 'name="received_on"' in text and "disabled" in text
    assert "不能更正：已作出受理决定，受理期限自登记日期起算，登记日期不能再更正" in text

    spec = registry()["petition"]
    with pytest.raises(ValidationError) as error:
        correct(
            spec,
            petition,
            by=clerk,
            reason="日期录错",
            version=petition.version,
            values={"received_on": d(2020, 3, 1)},
        )
    assert "登记日期不能再更正" in error.value.message_dict["received_on"][0]


def test_a_correction_based_on_a_stale_copy_is_refused_and_keeps_the_input(client, clerk, petition):
    stale = petition.version
    ds.petition_accept(petition, by=clerk, on=d(2020, 3, 5))  # someone saved since
    client.force_login(clerk)
    response = client.post(
        f"/correct/petition/{petition.pk}/",
        _petition_data(petition, summary="改过的摘要", version=stale, reason="补充摘要"),
    )
    text = response.content.decode()
    assert "该记录已被他人修改" in text
    assert "改过的摘要" in text
    petition.refresh_from_db()
    assert petition.summary == "邻里排水沟纠纷，要求镇里协调"


def test_a_reason_and_a_change_are_needed(client, clerk, petition):
    client.force_login(clerk)
    text = client.post(
        f"/correct/petition/{petition.pk}/", _petition_data(petition, reason="")
    ).content.decode()
    assert "请填写更正理由。" in text
    text = client.post(
        f"/correct/petition/{petition.pk}/", _petition_data(petition, reason="核对")
    ).content.decode()
    assert "没有需要更正的内容：各项与原登记相同。" in text


def test_only_the_owning_unit_corrects(client, clerk, outsider, leader, petition):
    client.force_login(outsider)
    assert client.get(f"/correct/petition/{petition.pk}/").status_code == 404
    client.force_login(leader)
    assert client.get(f"/correct/petition/{petition.pk}/").status_code == 403
    # the detail page offers 更正 to the clerk only
    client.force_login(clerk)
    assert (
        f'href="/correct/petition/{petition.pk}/">更正</a>'
        in client.get(f"/disputes/petitions/{petition.pk}/").content.decode()
    )
    client.force_login(leader)
    assert "/correct/" not in client.get(f"/disputes/petitions/{petition.pk}/").content.decode()


def test_a_voided_record_is_not_corrected(client, clerk, petition):
    ds.petition_void(petition, by=clerk, reason="重复登记")
    client.force_login(clerk)
    response = client.get(f"/correct/petition/{petition.pk}/", follow=True)
    assert "该记录已作废，不能更正。" in response.content.decode()


def test_a_disputes_amount_is_corrected(clerk, justice_office):
    dispute = register_dispute(by=clerk, unit=justice_office, received_on=d(2020, 3, 2))
    changes = correct(
        registry()["dispute"],
        dispute,
        by=clerk,
        reason="金额少录一个零",
        version=dispute.version,
        values={"amount": 12000},
    )
    assert [(c.label, c.old, c.new) for c in changes] == [("涉及金额（元）", "—", "12000")]
    assert dispute.events.filter(action="更正").count() == 1


def test_a_documents_title_is_corrected_before_publication_and_fixed_after(clerk, justice_office):
    spec = registry()["document"]
    doc = draft(clerk, justice_office, title="庙坝镇宅基地管理办法")
    correct(spec, doc, by=clerk, reason="漏字", version=doc.version,
            values={"title": "庙坝镇农村宅基地管理办法"})  # fmt: skip
    assert doc.title == "庙坝镇农村宅基地管理办法"

    issued = published(clerk, justice_office, title="庙坝镇集镇管理办法")
    number = issued.number
    with pytest.raises(ValidationError) as error:
        correct(spec, issued, by=clerk, reason="改名", version=issued.version,
                values={"title": "庙坝镇场镇管理办法"})  # fmt: skip
    assert "文件已印发，名称以印发文本为准" in error.value.message_dict["title"][0]
    issued.refresh_from_db()
    assert issued.number == number and issued.title == "庙坝镇集镇管理办法"


def test_a_reviews_submitted_date_and_a_decisions_summary(clerk, advisor, justice_office):
    review = ns.review_send(
        by=clerk, kind="合同", advisor=make_advisor(advisor), unit=justice_office,
        title="租赁合同", submitted_on=d(2020, 9, 25),
    )  # fmt: skip
    correct(registry()["review"], review, by=clerk, reason="送审日期录错", version=None,
            values={"submitted_on": d(2020, 9, 24), "title": "办公用房租赁合同"})  # fmt: skip
    review.refresh_from_db()
    assert (review.submitted_on, review.title) == (d(2020, 9, 24), "办公用房租赁合同")
    assert review.history.first().history_change_reason == "更正：送审日期录错"

    decision = ns.decision_start(
        by=clerk, title="庙坝场镇污水管网改造", unit=justice_office, started_on=d(2021, 3, 1)
    )
    correct(registry()["decision"], decision, by=clerk, reason="补充草案内容", version=None,
            values={"summary": "新建污水管网3.2公里"})  # fmt: skip
    assert decision.events.get(action="更正").note.startswith("决策草案主要内容：— → 新建污水管网")


def test_a_tasks_assignment_date_is_fixed_once_progress_is_on_file(clerk, leader, justice_office):
    from tasks import services as ts
    from tasks.tests.builders import pdf

    t = task(clerk, unit=justice_office, leader=leader)
    spec = registry()["task"]
    assert spec.locks(t) == {}
    ts.task_add_progress(t, by=clerk, on=d(2021, 2, 1), text="已起草制度", files=[pdf()])
    assert spec.locks(t) == {
        "assigned_on": "已填报整改进展，整改时限自交办日期起算，交办日期不能再更正"
    }


def test_a_petitioners_address_typo_is_corrected_on_the_same_page(client, clerk, justice_office):
    from disputes.tests.builders import someone

    petition = register_petition(
        by=clerk,
        unit=justice_office,
        received_on=d(2020, 3, 2),
        petitioners=[someone("向明", address="石星村3组")],
    )
    link = petition.petitioner_links.get()
    client.force_login(clerk)
    page = client.get(f"/correct/petition/{petition.pk}/").content.decode()
    assert "<legend>信访人：向明</legend>" in page
    assert f'name="person_{link.pk}_id_number"' not in page  # personal data is not offered
    assert f'name="person_{link.pk}_name"' not in page  # the name is the person's, all units'
    response = client.post(
        f"/correct/petition/{petition.pk}/",
        _petition_data(
            petition, **{f"person_{link.pk}_address": "石兴村3组"}, reason="住址录错一字"
        ),
        follow=True,
    )
    text = response.content.decode()
    assert f"已更正{petition.number}：信访人向明的住址" in text
    link.refresh_from_db()
    assert link.address == "石兴村3组"  # as entered on this petition
    assert petition.events.get(action="更正").note == (
        "信访人向明的住址：石星村3组 → 石兴村3组。理由：住址录错一字"
    )
    assert (
        "<td>石兴村3组</td>" in client.get(f"/disputes/petitions/{petition.pk}/").content.decode()
    )
