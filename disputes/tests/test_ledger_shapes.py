"""Petition and dispute ledgers in the shapes township files really take (issue 12 §1, §2).

Each test builds its small workbook here, imports it as the clerk would, and asserts what is
stored or what the clerk is told.
"""

from __future__ import annotations

import io

import pytest
from openpyxl import Workbook, load_workbook

from disputes.models import Dispute, Petition
from disputes.resources import DisputeResource, PetitionResource, export_dataset, import_ledger
from disputes.tests.ledger_data import dispute_row, petition_row, village
from miaoba.ledger import RowError, render_csv, render_xlsx
from miaoba.xlsx_stream import column_letters

P_HEADERS = PetitionResource.headers()
D_HEADERS = DisputeResource.headers()


def _save(book: Workbook) -> bytes:
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _col(headers: list[str], name: str, offset: int = 0) -> str:
    return column_letters(headers.index(name) + 1 + offset)


@pytest.mark.django_db
def test_a_title_row_and_unit_merged_down_three_rows_import_every_row_with_its_unit(clerk):
    village("庙坝村")
    village("新华村")
    book = Workbook()
    sheet = book.active
    sheet.append(["庙坝镇2021年矛盾纠纷排查化解台账"])
    sheet.append(["填报单位：庙坝镇司法所"])
    sheet.append(D_HEADERS)
    sheet.append(
        dispute_row(主要内容="甲：通行纠纷", 承办单位="司法所", **{"村（社区）": "庙坝村"})
    )
    sheet.append(dispute_row(主要内容="乙：宅基地纠纷", 承办单位="", **{"村（社区）": ""}))
    sheet.append(dispute_row(主要内容="丙：劳资纠纷", 承办单位="", **{"村（社区）": "新华村"}))
    sheet.merge_cells(f"A1:{column_letters(len(D_HEADERS))}1")
    unit = _col(D_HEADERS, "承办单位")
    sheet.merge_cells(f"{unit}4:{unit}6")
    place = _col(D_HEADERS, "村（社区）")
    sheet.merge_cells(f"{place}4:{place}5")

    plan = import_ledger("disputes", _save(book), "纠纷台账.xlsx", user=clerk)

    assert plan.errors == []
    assert sorted(Dispute.objects.values_list("summary", "unit__name", "village__name")) == [
        ("丙：劳资纠纷", "司法所", "新华村"),
        ("乙：宅基地纠纷", "司法所", "庙坝村"),
        ("甲：通行纠纷", "司法所", "庙坝村"),
    ]


@pytest.mark.django_db
def test_content_merged_across_two_columns_is_refused_naming_the_range(clerk):
    book = Workbook()
    book.active.append(P_HEADERS)
    book.active.append(petition_row(主要内容="反映邻居占用通道并要求拆除", 诉求=""))
    summary = _col(P_HEADERS, "主要内容")
    request = _col(P_HEADERS, "诉求")
    book.active.merge_cells(f"{summary}2:{request}2")

    plan = import_ledger("petitions", _save(book), "台账.xlsx", user=clerk)

    assert plan.errors == [
        RowError(
            2,
            "主要内容",
            f"单元格 {summary}2:{request}2 合并了「主要内容」「诉求」2列，无法判断属于哪一列，"
            "请取消合并、把内容填入对应的列后再导入。",
        )
    ]
    assert Petition.objects.count() == 0


@pytest.mark.django_db
def test_monthly_sheets_are_all_read_and_the_instructions_sheet_is_named_as_ignored(clerk):
    book = Workbook()
    book.active.title = "填表说明"
    book.active.append(["每月一张表；日期写成 2021-03-05"])
    for month, day in (("1月", "2021-01-05"), ("2月", "2021-02-05")):
        sheet = book.create_sheet(month)
        sheet.append(P_HEADERS)
        sheet.append(petition_row(登记日期=day, 主要内容=f"{month}的件"))
    book.active = 0

    plan = import_ledger("petitions", _save(book), "台账.xlsx", user=clerk)

    assert plan.errors == []
    assert sorted(Petition.objects.values_list("summary", flat=True)) == ["1月的件", "2月的件"]
    assert plan.notes == [
        "工作表「填表说明」的前12行中没有本台账的表头（应有「编号」「登记日期」等列），未读取。"
    ]


@pytest.mark.django_db
def test_errors_on_a_second_sheet_name_that_sheet(clerk):
    book = Workbook()
    book.active.title = "1月"
    book.active.append(P_HEADERS)
    book.active.append(petition_row(登记日期="2021-01-05"))
    feb = book.create_sheet("2月")
    feb.append(P_HEADERS)
    feb.append(petition_row(登记日期="2021-02-30"))

    plan = import_ledger("petitions", _save(book), "台账.xlsx", user=clerk)

    assert plan.errors == [RowError(2, "登记日期", "日期“2021-02-30”不存在。", sheet="2月")]
    assert str(plan.errors[0]) == "工作表「2月」行 2，列「登记日期」：日期“2021-02-30”不存在。"


@pytest.mark.django_db
def test_a_template_numbered_1_to_20_with_two_real_rows_imports_two(clerk):
    book = Workbook()
    book.active.append(["序号", *P_HEADERS])
    book.active.append([1, *petition_row(信访人姓名="张三", 主要内容="甲")])
    book.active.append([2, *petition_row(信访人姓名="李四", 主要内容="乙")])
    for n in range(3, 21):
        book.active.append([n])

    plan = import_ledger("petitions", _save(book), "台账.xlsx", user=clerk)

    assert plan.errors == []
    assert (plan.created, Petition.objects.count()) == (2, 2)
    assert plan.notes == ["第4–21行只有序号、没有内容，已跳过（共18行）。"]


@pytest.mark.django_db
def test_a_vertical_tab_in_a_csv_is_not_stored_and_the_export_opens(clerk):
    data = render_csv_rows([P_HEADERS, petition_row(主要内容="村道\x0b塌方\x0c，请求修复")])

    plan = import_ledger("petitions", data, "台账.csv", user=clerk)

    assert plan.errors == []
    assert Petition.objects.get().summary == "村道塌方，请求修复"
    book = load_workbook(
        io.BytesIO(render_xlsx(export_dataset("petitions", Petition.objects.all())))
    )
    assert book.active.cell(2, P_HEADERS.index("主要内容") + 1).value == "村道塌方，请求修复"


@pytest.mark.django_db
def test_text_stored_with_a_control_character_before_cleaning_still_exports(clerk):
    import_ledger("petitions", render_csv_rows([P_HEADERS, petition_row()]), "a.csv", user=clerk)
    # As a database from before issue 12 may hold it (update() bypasses the save cleaning).
    Petition.objects.update(summary='=HYPERLINK("x")\x0b续', request="\x1b诉求")

    xlsx = render_xlsx(export_dataset("petitions", Petition.objects.all()))
    csv_text = render_csv(export_dataset("petitions", Petition.objects.all())).decode("utf-8-sig")

    cell = load_workbook(io.BytesIO(xlsx)).active.cell(2, P_HEADERS.index("主要内容") + 1)
    assert (cell.value, cell.data_type) == ('=HYPERLINK("x")续', "s")  # text, not a formula
    assert "'=HYPERLINK" in csv_text and "\x0b" not in csv_text and "\x1b" not in csv_text


@pytest.mark.django_db
def test_a_control_character_typed_into_the_form_is_not_stored(client, clerk, justice_office):
    from disputes.models import Category

    client.force_login(clerk)
    form = {
        "received_on": "2021-03-05",
        "channel": "来访",
        "category": Category.objects.get(name="邻里").pk,
        "unit": justice_office.pk,
        "summary": "反映\x0b邻居占用通道",
        "form_token": "0f1e2d3c-4b5a-6978-8a9b-0c1d2e3f4a5b",
        "people-TOTAL_FORMS": "1",
        "people-INITIAL_FORMS": "0",
        "people-0-name": "张三",
        "confirm_repeat": "1",
    }
    from django.urls import reverse

    client.post(reverse("disputes:petition_create"), form)

    assert Petition.objects.get().summary == "反映邻居占用通道"


def render_csv_rows(rows: list[list]) -> bytes:
    import csv

    out = io.StringIO(newline="")
    csv.writer(out).writerows(rows)
    return out.getvalue().encode("utf-8-sig")


@pytest.mark.django_db
def test_a_planned_follow_up_may_be_future_but_a_registration_may_not(clerk):
    import time_machine

    rows = [
        D_HEADERS,
        dispute_row(
            登记日期="2021-03-05",
            状态="调解成功",
            受理决定日期="2021-03-06",
            调结日期="2021-03-20",
            协议形式="口头协议",
            协议内容="互相让路",
            回访日期="2021-04-20",  # a month ahead of "today" below: planned
        ),
        dispute_row(登记日期="2021-03-25", 主要内容="明天才登记的件"),
    ]
    with time_machine.travel("2021-03-24 10:00 +0800", tick=False):
        plan = import_ledger("disputes", render_csv_rows(rows), "纠纷.csv", user=clerk)

    assert plan.errors == [
        RowError(3, "登记日期", "日期2021-03-25晚于今天（已发生的事项不能填写将来的日期）。")
    ]


@pytest.mark.django_db
def test_clean_stored_text_takes_old_control_characters_out_once(clerk, capsys):
    from django.core.management import call_command

    import_ledger("petitions", render_csv_rows([P_HEADERS, petition_row()]), "a.csv", user=clerk)
    Petition.objects.update(summary="村道\x0b塌方", request="\x1b诉求")  # as an old database holds

    call_command("clean_stored_text")
    first = capsys.readouterr().out
    call_command("clean_stored_text")
    again = capsys.readouterr().out

    assert Petition.objects.values_list("summary", "request").get() == ("村道塌方", "诉求")
    assert "信访件：1 条" in first and "已清理 1 条记录中的控制字符。" in first
    assert "已清理 0 条记录中的控制字符。" in again
