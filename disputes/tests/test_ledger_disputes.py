"""The dispute ledger (矛盾纠纷台账): export, import, round trip and the rules of DOMAIN.md §10."""

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse

from disputes.models import Dispute, Event, Party, Person
from disputes.resources import DisputeResource, export_dataset, import_ledger
from disputes.tests.ledger_data import (
    dispute_row,
    dispute_snapshot,
    disputes_in_every_state,
    make_id,
)
from miaoba.ledger import render_xlsx
from miaoba.models import NumberSequence
from miaoba.tests.ledger_files import csv_text, read_xlsx, xlsx_bytes

HEADERS = DisputeResource.headers()


def _import(data: bytes, name: str, user, **kwargs):
    return import_ledger("disputes", data, name, user=user, **kwargs)


def test_dispute_ledger_columns_are_the_chinese_headers_in_order():
    assert HEADERS == [
        "编号", "登记日期", "纠纷来源", "纠纷类型", "村（社区）", "当事人", "身份证号",
        "联系电话", "主要内容", "调解组织", "调解员", "涉及金额（元）", "承办单位", "重复件",
        "状态", "受理决定日期", "不予受理理由", "调结日期", "协议形式", "协议内容", "履行情况",
        "申请司法确认日期", "司法确认结果", "回访日期", "答复日期", "答复方式",
    ]  # fmt: skip


@pytest.mark.django_db
def test_xlsx_of_disputes_round_trips_to_the_same_records(clerk, justice_office):
    disputes_in_every_state(60, clerk=clerk, unit=justice_office)
    before = dispute_snapshot()
    data = render_xlsx(export_dataset("disputes", Dispute.objects.all()))

    Event.objects.all().delete()
    Dispute.objects.all().delete()
    Person.objects.all().delete()
    NumberSequence.objects.all().delete()
    plan = _import(data, "纠纷台账.xlsx", clerk)

    assert plan.errors == []
    assert (plan.created, plan.updated) == (60, 0)
    assert dispute_snapshot() == before
    assert NumberSequence.objects.get(register="dispute", year=2020).last == 60
    written = Dispute.objects.get(number="纠〔2020〕4号")  # i=3: written agreement
    assert list(written.events.values_list("action", flat=True)) == [
        "导入", "登记", "受理", "调解成功（书面协议）", "司法确认", "回访", "答复",
    ]  # fmt: skip


@pytest.mark.django_db
def test_reimporting_the_dispute_export_creates_no_duplicates(clerk, justice_office):
    disputes_in_every_state(12, clerk=clerk, unit=justice_office)
    data = render_xlsx(export_dataset("disputes", Dispute.objects.all()))
    people = Person.objects.count()

    plan = _import(data, "纠纷台账.xlsx", clerk)

    assert (plan.created, plan.updated, plan.unchanged) == (0, 12, 12)
    assert (Dispute.objects.count(), Person.objects.count()) == (12, people)


@pytest.mark.django_db
def test_export_writes_amounts_as_numbers_and_parties_with_their_sides(clerk, justice_office):
    disputes_in_every_state(2, clerk=clerk, unit=justice_office)
    rows = read_xlsx(render_xlsx(export_dataset("disputes", Dispute.objects.all())))
    cell = dict(zip(rows[0], rows[2], strict=True))  # 纠〔2020〕2号, i=1

    assert cell["当事人"] == "申请人1（申请方）、被申请人1（被申请方）"
    assert cell["身份证号"] == f"{make_id(101)}、"
    assert cell["涉及金额（元）"] == 1000.5
    assert cell["受理决定日期"] == dt.datetime(2020, 2, 3)
    assert cell["状态"] == "调解中"


@pytest.mark.django_db
def test_parties_ids_phones_and_amount_import_from_gbk_csv(clerk, justice_office):
    row = dispute_row(
        当事人="张三（申请方）、李四(被申请方)、王五（第三人）",
        身份证号=f"{make_id(7)}、、",
        联系电话="、13900000002、02359201234",
        **{"涉及金额（元）": "12,345.60"},
        状态="调解成功",
        受理决定日期="2021/3/6",
        调结日期="2021年3月20日",
        协议形式="书面协议",
        协议内容="赔偿12345.6元",
    )

    plan = _import(csv_text([HEADERS, row]).encode("gbk"), "纠纷.csv", clerk)

    assert plan.errors == []
    d = Dispute.objects.get()
    parties = [
        (p.person.name, p.side, p.person.id_number, p.person.phone)
        for p in Party.objects.filter(dispute=d)
    ]
    assert parties == [
        ("张三", "申请方", make_id(7), ""),
        ("李四", "被申请方", "", "13900000002"),
        ("王五", "第三人", "", "023-59201234"),
    ]
    assert (d.amount, d.status, d.performance) == (Decimal("12345.60"), "succeeded", "履行中")
    assert d.agreement_effective_on == dt.date(2021, 3, 20)


@pytest.mark.django_db
def test_dispute_rows_with_errors_are_all_reported_and_nothing_is_written(clerk, justice_office):
    rows = [
        HEADERS,
        dispute_row(当事人="张三、李四"),
        dispute_row(当事人="张三（申请方）、李四（申请方）"),
        dispute_row(状态="调解成功", 受理决定日期="2021-03-06", 调结日期="2021-03-04"),
        dispute_row(**{"涉及金额（元）": "-5"}),
        dispute_row(
            状态="调解成功", 受理决定日期="2021-03-06", 调结日期="2021-03-08",
            协议形式="口头协议", 协议内容="道歉", 申请司法确认日期="2021-03-10",
        ),
        dispute_row(身份证号=5.00101199001011e17),
    ]  # fmt: skip

    plan = _import(xlsx_bytes(rows), "纠纷.xlsx", clerk)

    assert [(e.row, e.column) for e in plan.errors] == [
        (2, "当事人"),
        (2, "当事人"),
        (3, "当事人"),
        (4, "协议形式"),
        (4, "协议内容"),
        (4, "调结日期"),
        (5, "涉及金额（元）"),
        (6, "申请司法确认日期"),
        (7, "身份证号"),
    ]
    assert "应写成“张三（申请方）”" in plan.errors[0].message
    assert "文本" in plan.errors[-1].message
    assert Dispute.objects.count() == 0


@pytest.mark.django_db
def test_dispute_export_page_follows_filters_and_units(
    client, clerk, outsider, justice_office, party_office
):
    disputes_in_every_state(6, clerk=clerk, unit=justice_office)
    disputes_in_every_state(3, clerk=outsider, unit=party_office)
    url = reverse("ledger_export", args=["disputes"])

    client.force_login(outsider)
    theirs = read_xlsx(client.get(url).content)
    client.force_login(clerk)
    rejected = read_xlsx(client.get(url, {"status": "rejected"}).content)

    assert len(theirs) == 1 + 3
    assert {r[12] for r in theirs[1:]} == {"党政办公室"}
    assert [r[0] for r in rejected[1:]] == ["纠〔2020〕3号"]


@pytest.mark.django_db
def test_dispute_import_page_previews_and_imports(client, clerk, justice_office):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.force_login(clerk)
    url = reverse("ledger_import", args=["disputes"])
    data = xlsx_bytes([HEADERS, dispute_row()])

    preview = client.post(url, {"file": SimpleUploadedFile("a.xlsx", data)})
    response = client.post(url, {"confirm": "1", "token": preview.context["token"]}, follow=True)

    assert "已导入 1 件（新增 1，更新 0）" in response.content.decode()
    assert Dispute.objects.get().number == "纠〔2021〕1号"
