"""Notices (文书) in 公文 style, filled from the record, each with its number and legal basis,
issued once and listed on the record's timeline; Word and a print view."""

from __future__ import annotations

import datetime as dt
import io
from urllib.parse import unquote

import pytest
from docx import Document as Docx

from disputes import services as ds
from disputes.models import Party
from disputes.tests.builders import register_dispute, register_petition, someone
from miaoba.notices import notice_issue, registry
from tasks.tests.builders import task

pytestmark = pytest.mark.django_db
d = dt.date


def _text(docx_bytes: bytes) -> str:
    doc = Docx(io.BytesIO(docx_bytes))
    parts = [p.text for p in doc.paragraphs]
    for table in doc.tables:
        for row in table.rows:
            parts.append("｜".join(cell.text for cell in row.cells))
    return "\n".join(parts)


@pytest.fixture
def accepted(clerk, justice_office):
    petition = register_petition(
        by=clerk,
        unit=justice_office,
        received_on=d(2020, 9, 16),
        petitioners=[someone("向明"), someone("向秀英")],
    )
    return ds.petition_accept(petition, by=clerk, on=d(2020, 9, 18))


def test_a_clerk_issues_the_acceptance_notice_and_downloads_it(client, clerk, accepted):
    client.force_login(clerk)
    page = client.get(f"/disputes/petitions/{accepted.pk}/").content.decode()
    assert "出具信访事项受理告知书</button>" in page
    assert "出具信访事项不予受理告知书" not in page  # not possible for an accepted petition

    response = client.post(f"/notices/petition_accept/{accepted.pk}/issue/", follow=True)
    # dated and numbered as the 受理 it tells of
    number = "庙坝信受告〔2020〕1号"
    text = response.content.decode()
    assert f"已出具信访事项受理告知书，文号 {number}" in text
    # on the timeline, and listed with its links
    event = accepted.events.get(action="出具信访事项受理告知书")
    assert event.note == f"文号 {number}"
    from miaoba.models import IssuedNotice

    notice = IssuedNotice.objects.get()
    assert f'href="/notices/{notice.pk}/docx/">下载 Word</a>' in text

    response = client.get(f"/notices/{notice.pk}/docx/")
    assert unquote(response["Content-Disposition"]).endswith(f"信访事项受理告知书（{number}）.docx")
    body = _text(response.content)
    assert body.splitlines()[:2] == ["信访事项受理告知书", number]
    assert "向明、向秀英：" in body
    assert (
        "你（们）于2020年9月16日以来访（走访）形式反映的“邻里排水沟纠纷，要求镇里协调”的信访事项"
        f"（编号：{accepted.number}），经审查，属于本机关职责范围，本机关决定予以受理，已交司法所办理。"
    ) in body
    assert "依据：《信访条例》第二十一条、第二十二条、第三十三条" in body
    assert body.rstrip().endswith("庙坝镇人民政府\n2020年9月18日")

    # issuing again gives the same notice, the same number
    client.post(f"/notices/petition_accept/{accepted.pk}/issue/")
    assert IssuedNotice.objects.count() == 1

    print_view = client.get(f"/notices/{notice.pk}/print/").content.decode()
    assert "<h1>信访事项受理告知书</h1>" in print_view
    assert f'<p class="number">{number}</p>' in print_view


def test_a_notice_the_state_does_not_allow_is_refused_with_why(client, clerk, justice_office):
    petition = register_petition(by=clerk, unit=justice_office, received_on=d(2020, 9, 16))
    client.force_login(clerk)
    response = client.post(f"/notices/petition_accept/{petition.pk}/issue/", follow=True)
    assert "未出具信访事项受理告知书：受理后才能出具受理告知书。" in response.content.decode()


def test_numbers_run_per_kind_and_year(clerk, justice_office):
    kind = registry()["petition_accept"]
    numbers = []
    for day in (2, 3):
        p = register_petition(by=clerk, unit=justice_office, received_on=d(2020, 3, day))
        ds.petition_accept(p, by=clerk, on=d(2020, 3, 5))
        numbers.append(notice_issue(kind, p, by=clerk, on=d(2020, 3, 5)).number)
    assert numbers == ["庙坝信受告〔2020〕1号", "庙坝信受告〔2020〕2号"]


def test_others_read_but_do_not_issue(client, clerk, leader, outsider, accepted):
    notice = notice_issue(registry()["petition_accept"], accepted, by=clerk)
    client.force_login(leader)
    assert client.get(f"/notices/{notice.pk}/docx/").status_code == 200
    assert client.post(f"/notices/petition_accept/{accepted.pk}/issue/").status_code == 403
    client.force_login(outsider)
    assert client.get(f"/notices/{notice.pk}/docx/").status_code == 404


def test_every_petition_notice_cites_its_rule(clerk, leader, accepted):
    ds.petition_extend(
        accepted, by=clerk, on=d(2020, 11, 10), days=30, reason="需县自然资源局现场测量",
        approved_by=leader,
    )  # fmt: skip
    ds.petition_conclude(
        accepted, by=clerk, on=d(2020, 12, 10), outcome="支持", outcome_text="已责令拆除占道围墙。"
    )
    reg = registry()
    texts = {}
    for key in ("petition_extend", "petition_outcome"):
        issued = notice_issue(reg[key], accepted, by=clerk, on=d(2020, 12, 10))
        texts[key] = reg[key].build(accepted, issued)
    extend = texts["petition_extend"]
    assert extend.title == "信访事项延期办理告知书"
    assert extend.paragraphs[0].endswith(
        "因需县自然资源局现场测量，不能在60日内办结，经王镇长批准，办理期限延长30日，至2020年12月17日。"
    )
    assert extend.basis == "《信访条例》第三十三条"
    outcome = texts["petition_outcome"]
    assert outcome.paragraphs[1] == "支持。已责令拆除占道围墙。"
    assert "30日内请求原办理机关的上一级机关复查" in outcome.paragraphs[2]
    assert outcome.basis == "《信访条例》第三十二条、第三十三条、第三十四条"
    assert outcome.date == d(2020, 12, 10)


def test_a_2022_petition_cites_the_2022_regulation(clerk, justice_office):
    p = register_petition(by=clerk, unit=justice_office, received_on=d(2022, 6, 1))
    ds.petition_reject(
        p, by=clerk, on=d(2022, 6, 8), reason="属于劳动仲裁事项", redirect_to="县劳动人事争议仲裁院"
    )
    kind = registry()["petition_reject"]
    text = kind.build(p, notice_issue(kind, p, by=clerk, on=d(2022, 6, 8)))
    assert text.basis == "《信访工作条例》第二十三条"
    assert (
        "经审查，属于劳动仲裁事项，本机关决定不予受理。请向县劳动人事争议仲裁院提出。"
        in (text.paragraphs[0])
    )


def test_a_mediation_agreement_names_the_parties_and_the_terms(clerk, justice_office):
    dispute = register_dispute(
        by=clerk,
        unit=justice_office,
        received_on=d(2020, 5, 6),
        parties=[
            (someone("张三", gender="男", address="石兴村2组"), Party.Side.APPLICANT),
            (someone("李四", gender="男"), Party.Side.RESPONDENT),
        ],
        mediators="刘调解、陈调解",
    )
    ds.dispute_accept(dispute, by=clerk, on=d(2020, 5, 6))
    ds.dispute_conclude(
        dispute, by=clerk, on=d(2020, 5, 20), result="succeeded", agreement_form="书面",
        agreement_text="李四于2020年6月1日前拆除占道柴棚。", effective_on=d(2020, 5, 20),
    )  # fmt: skip
    reg = registry()
    agreement = reg["dispute_agreement"]
    issued = notice_issue(agreement, dispute, by=clerk, on=d(2020, 5, 20))
    text = agreement.build(dispute, issued)
    assert issued.number == "庙坝调协〔2020〕1号"
    assert text.rows[:2] == (("申请方", "张三，男，石兴村2组"), ("被申请方", "李四，男"))
    assert ("协议内容", "李四于2020年6月1日前拆除占道柴棚。") in text.rows
    assert (
        text.basis == "《中华人民共和国人民调解法》第二十八条、第二十九条、第三十一条、第三十三条"
    )
    assert text.signatures[-1] == "人民调解员（签名）：刘调解、陈调解"
    assert dispute.events.filter(action="出具人民调解协议书").count() == 1
    application = reg["dispute_application"]
    text = application.build(dispute, notice_issue(application, dispute, by=clerk))
    assert text.title == "人民调解申请书" and text.basis == "《中华人民共和国人民调解法》第十七条"


def test_a_task_gets_its_rectification_notice(clerk, leader, justice_office):
    t = task(clerk, unit=justice_office, leader=leader)
    kind = registry()["task_notice"]
    text = kind.build(t, notice_issue(kind, t, by=clerk))
    assert text.title == "整改通知书" and text.addressee == "司法所："
    assert text.paragraphs[1] == f"整改措施：{t.measures}"
    assert text.basis == "《法治政府建设与责任落实督察工作规定》"
    assert t.events.filter(action="出具整改通知书").count() == 1
