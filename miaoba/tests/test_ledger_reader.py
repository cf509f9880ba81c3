"""The shared ledger reader (`miaoba.ledger.open_ledger`) on the shapes real files take.

Each test builds its small file here and asserts what a clerk would see: which rows are read,
with which values, and what the notes and errors say (issue 12 §1).
"""

from __future__ import annotations

import datetime as dt
import io
import time
import zipfile

import pytest
from openpyxl import Workbook

from miaoba import ledger
from miaoba.ledger import LedgerFileError, RowError, open_ledger

COLUMNS = ["编号", "登记日期", "主要内容", "承办单位", "村（社区）"]


def _save(book: Workbook) -> bytes:
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _book(rows: list[list], *, title: str = "Sheet") -> Workbook:
    book = Workbook()
    book.active.title = title
    for row in rows:
        book.active.append(row)
    return book


def _read(data: bytes, name: str = "台账.xlsx"):
    table = open_ledger(data, name, COLUMNS)
    rows = [(r.sheet, r.row, r.raw) for r in table]
    return table, rows


def test_title_and_reporting_unit_lines_above_the_header_are_passed_over():
    book = _book(
        [
            ["庙坝镇2021年矛盾纠纷排查化解台账"],
            ["填报单位：庙坝镇司法所", None, None, "填报日期：2021年3月31日"],
            [],
            COLUMNS,
            ["", "2021-03-05", "相邻通行纠纷", "司法所", "庙坝村"],
        ]
    )
    book.active.merge_cells("A1:E1")

    table, rows = _read(_save(book))

    assert table.errors == []
    assert [(n, raw["主要内容"], raw["承办单位"]) for _, n, raw in rows] == [
        (5, "相邻通行纠纷", "司法所")
    ]


def test_columns_may_come_in_another_order_and_with_ascii_brackets():
    book = _book(
        [["承办单位", "主要内容", "村(社区)", "登记日期", "编号"], ["司法所", "A", "", "", ""]]
    )

    _table, rows = _read(_save(book))

    assert rows[0][2] == {
        "承办单位": "司法所", "主要内容": "A", "村（社区）": None, "登记日期": None, "编号": None
    }  # fmt: skip


def test_a_value_merged_down_one_column_fills_every_row_it_spans():
    book = _book(
        [
            COLUMNS,
            ["", "2021-03-05", "甲", "司法所", "庙坝村"],
            ["", "2021-03-06", "乙", None, None],
            ["", "2021-03-07", "丙", None, "新华村"],
        ]
    )
    book.active.merge_cells("D2:D4")  # 承办单位 over three rows
    book.active.merge_cells("E2:E3")  # 村（社区） over two

    table, rows = _read(_save(book))

    assert table.errors == []
    assert [(raw["主要内容"], raw["承办单位"], raw["村（社区）"]) for _, _, raw in rows] == [
        ("甲", "司法所", "庙坝村"),
        ("乙", "司法所", "庙坝村"),
        ("丙", "司法所", "新华村"),
    ]


def test_a_range_merged_across_two_ledger_columns_is_refused_naming_the_range():
    book = _book([COLUMNS, ["", "2021-03-05", "甲：通行纠纷", None, "庙坝村"]])
    book.active.merge_cells("C2:D2")  # 主要内容 + 承办单位

    table, _rows = _read(_save(book))

    assert table.errors == [
        RowError(
            2,
            "主要内容",
            "单元格 C2:D2 合并了「主要内容」「承办单位」2列，无法判断属于哪一列，"
            "请取消合并、把内容填入对应的列后再导入。",
        )
    ]


def test_several_sheets_read_those_whose_header_matches_and_name_the_others():
    book = _book([["填表说明：每月一张表，日期写成2021-03-05"]], title="填表说明")
    jan = book.create_sheet("1月")
    jan.append(COLUMNS)
    jan.append(["", "2021-01-05", "一月的件", "司法所", ""])
    feb = book.create_sheet("2月")
    feb.append(COLUMNS)
    feb.append(["", "2021-02-05", "二月的件", "司法所", ""])
    old = book.create_sheet("旧表")
    old.append(["编号", "登记日期", "主要内容"])
    old.append(["", "2020-02-05", "旧格式"])
    hidden = book.create_sheet("草稿")
    hidden.append(COLUMNS)
    hidden.sheet_state = "hidden"
    book.active = 0  # the 填表说明 sheet is the one Excel opens on

    table, rows = _read(_save(book))

    assert [(sheet, n, raw["主要内容"]) for sheet, n, raw in rows] == [
        ("1月", 2, "一月的件"),
        ("2月", 2, "二月的件"),
    ]
    assert table.notes == [
        "工作表「填表说明」的前12行中没有本台账的表头（应有「编号」「登记日期」等列），未读取。",
        "工作表「旧表」第1行的表头缺少列「承办单位」、「村（社区）」，未读取。",
        "工作表「草稿」是隐藏的工作表，未读取。",
    ]


def test_a_workbook_whose_only_sheet_lacks_columns_says_which():
    table, rows = _read(_save(_book([["编号", "登记日期", "主要内容"], ["", "2021-01-05", "x"]])))

    assert rows == []
    assert table.errors == [
        RowError(
            1, "承办单位", "缺少列「承办单位」、「村（社区）」。请使用“下载导入模板”中的表头。"
        )
    ]


def test_rows_holding_only_a_serial_number_are_skipped_and_said():
    rows_in = [["序号", *COLUMNS]]
    rows_in.append([1, "", "2021-03-05", "甲", "司法所", ""])
    rows_in.append([2, "", "2021-03-06", "乙", "司法所", ""])
    rows_in += [[n] for n in range(3, 21)]  # a template numbered 1–20
    rows_in.append(["合计：2件"])  # the total, written in the 序号 column

    table, rows = _read(_save(_book(rows_in)))

    assert [raw["主要内容"] for _, _, raw in rows] == ["甲", "乙"]
    assert table.errors == []
    assert table.notes == [
        "第22行是表尾（“合计：2件”），未作为数据导入。",
        "第4–21行只有序号、没有内容，已跳过（共18行）。",
    ]


def test_footer_lines_and_a_repeated_header_are_not_data_and_are_said():
    table, rows = _read(
        _save(
            _book(
                [
                    COLUMNS,
                    ["", "2021-03-05", "甲", "司法所", ""],
                    COLUMNS,  # printed page 2 repeats the header
                    ["", "2021-03-06", "乙", "司法所", ""],
                    ["合计：2件"],
                    ["填表人：李文静", None, "审核人：王镇长"],
                ]
            )
        )
    )

    assert [raw["主要内容"] for _, _, raw in rows] == ["甲", "乙"]
    assert table.notes == [
        "第3行是重复的表头，已跳过。",
        "第5行是表尾（“合计：2件”），未作为数据导入。",
        "第6行是表尾（“填表人：李文静”），未作为数据导入。",
    ]


def test_content_only_in_columns_outside_the_ledger_is_said_not_dropped_silently():
    table, rows = _read(_save(_book([[*COLUMNS, "备注"], ["", "", "", "", "", "请核实"]])))

    assert rows == []
    assert table.notes == ["第2行只在「备注」有内容（不是本台账的列），未导入。"]


def test_control_characters_and_excel_escapes_are_cleaned_from_text_cells():
    # Excel stores a vertical tab in a cell as the escape _x000B_; a literal "_x000B_" typed
    # by a person as _x005F_x000B_.
    book = _book([COLUMNS, ["", "", "主要_x000B_内容\x7f续", "司法所", "写作_x005F_x000B_的"]])

    _table, rows = _read(_save(book))

    assert rows[0][2]["主要内容"] == "主要内容续"
    assert rows[0][2]["村（社区）"] == "写作_x000B_的"


def test_a_csv_with_a_control_character_is_cleaned_too():
    data = (
        "编号,登记日期,主要内容,承办单位,村（社区）\r\n,2021-03-05,甲\x0b乙\x00,司法所,\r\n"
    ).encode("utf-8-sig")

    _table, rows = _read(data, "台账.csv")

    assert rows[0][2]["主要内容"] == "甲乙"


def test_dates_in_chinese_builtin_formats_are_read_as_dates():
    book = _book([COLUMNS, ["", dt.datetime(2021, 3, 5), "甲", "司法所", ""]])
    book.active["B2"].number_format = 'yyyy"年"m"月"d"日"'
    data = _save(book)
    # WPS writes the Chinese built-in id 31 without declaring its format code.
    data = _rewrite_styles(data, lambda xml: xml.replace(b'numFmtId="164"', b'numFmtId="31"'))

    _table, rows = _read(data)

    assert rows[0][2]["登记日期"] == dt.datetime(2021, 3, 5)


def _rewrite_styles(data: bytes, change) -> bytes:
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            content = src.read(info.filename)
            if info.filename == "xl/styles.xml":
                content = change(content)
            dst.writestr(info, content)
    return out.getvalue()


def _sheet_xml_with(rows_xml_chunks, *, count: int) -> bytes:
    """Return a minimal xlsx whose one sheet holds the header, then `count` generated rows."""
    head = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        "<sheetData>"
        '<row r="1">'
        + "".join(
            f'<c r="{chr(65 + i)}1" t="inlineStr"><is><t>{h}</t></is></c>'
            for i, h in enumerate(COLUMNS)
        )
        + "</row>"
    ).encode()
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr(
            "[Content_Types].xml",
            '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
            'content-types"/>',
        )
        z.writestr(
            "_rels/.rels",
            '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/'
            'package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.'
            'openxmlformats.org/officeDocument/2006/relationships/officeDocument" '
            'Target="xl/workbook.xml"/></Relationships>',
        )
        z.writestr(
            "xl/workbook.xml",
            '<?xml version="1.0"?><workbook xmlns="http://schemas.openxmlformats.org/'
            'spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/'
            'officeDocument/2006/relationships"><sheets><sheet name="台账" sheetId="1" '
            'r:id="rId1"/></sheets></workbook>',
        )
        z.writestr(
            "xl/_rels/workbook.xml.rels",
            '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/'
            'package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.'
            'openxmlformats.org/officeDocument/2006/relationships/worksheet" '
            'Target="worksheets/sheet1.xml"/></Relationships>',
        )
        with z.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as sheet:
            sheet.write(head)
            for chunk in rows_xml_chunks(count):
                sheet.write(chunk)
            sheet.write(b"</sheetData></worksheet>")
    return out.getvalue()


def _data_then_blank_rows(count: int):
    yield (
        '<row r="2"><c r="B2" t="inlineStr"><is><t>2021-03-05</t></is></c>'
        '<c r="C2" t="inlineStr"><is><t>甲</t></is></c>'
        '<c r="D2" t="inlineStr"><is><t>司法所</t></is></c></row>'
    ).encode()
    for start in range(3, count + 3, 10_000):
        yield "".join(
            f'<row r="{n}"><c r="A{n}" s="1"/><c r="B{n}" s="1"/></row>'
            for n in range(start, min(start + 10_000, count + 3))
        ).encode()


def test_rows_holding_only_formatting_are_skipped_without_reading_them_twice():
    data = _sheet_xml_with(_data_then_blank_rows, count=200_000)

    _table, rows = _read(data)

    assert [(n, raw["主要内容"]) for _, n, raw in rows] == [(2, "甲")]


def test_a_workbook_unpacking_past_the_limit_is_refused_at_once(monkeypatch):
    # The limit is 120 MB; lowered here so the test builds a small file: 40 kB of zip that
    # unpacks to 10 MB of formatted blank cells.
    monkeypatch.setattr(ledger, "MAX_UNPACKED_BYTES", 8 * 1024 * 1024)

    def blank_cells(count):
        row = "".join(f'<c r="{chr(65 + i)}9" s="1"/>' for i in range(26))
        chunk = (f'<row r="9">{row}</row>' * 2000).encode()
        for _ in range(count):
            yield chunk

    data = _sheet_xml_with(blank_cells, count=11)
    assert len(data) < 100 * 1024

    started = time.perf_counter()
    with pytest.raises(LedgerFileError) as refused:
        open_ledger(data, "台账.xlsx", COLUMNS)
    assert time.perf_counter() - started < 2  # refused from the zip directory, not by parsing

    assert str(refused.value) == (
        "文件解压后有 10 MB，超过上限 8 MB，不是正常的台账文件，未读取。"
        "如确为台账，请删除多余的空行、图片和格式后另存，或分成几个文件导入。"
    )


def test_a_sheet_with_more_rows_than_the_cap_is_refused_before_any_row_is_checked(monkeypatch):
    monkeypatch.setattr(ledger, "MAX_ROWS", 50)

    def many(count):
        yield "".join(
            f'<row r="{n}"><c r="C{n}" t="inlineStr"><is><t>件{n}</t></is></c></row>'
            for n in range(2, count + 2)
        ).encode()

    with pytest.raises(LedgerFileError) as refused:
        open_ledger(_sheet_xml_with(many, count=100), "台账.xlsx", COLUMNS)

    assert (
        str(refused.value) == "工作表「台账」有超过50行内容，一次最多导入50行，请分成几个文件导入。"
    )


def test_a_file_that_is_not_a_workbook_is_refused_with_a_clear_message():
    with pytest.raises(LedgerFileError) as refused:
        open_ledger(b"PK\x03\x04 not really", "台账.xlsx", COLUMNS)

    assert "无法读取该 Excel 文件" in str(refused.value)
