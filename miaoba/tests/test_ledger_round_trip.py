"""Every ledger exported from the demo township imports back unchanged, in xlsx and csv.

`DOMAIN.md` §10: the export's columns are the import's columns, so a file round-trips. The
demo holds dates that look ahead (有效期至 2027, 施行日期 and 整改时限 after today), which the
import must accept because the field's meaning allows them (issue 12 §4). The exported xlsx
holds numbers as numbers and dates as dates, so SUM and date filters work (issue 12 §8).
"""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.management import call_command
from django.utils import timezone
from openpyxl import load_workbook

from miaoba.ledger import LEDGERS, render_csv, render_xlsx
from miaoba.models import User

DATE_COLUMNS = {
    "登记日期", "受理决定日期", "办结日期", "答复日期", "调结日期", "申请司法确认日期",
    "回访日期", "起草日期", "合法性审核日期", "集体讨论日期", "签发日期", "印发日期", "施行日期",
    "有效期至", "报备日期", "失去效力或撤回日期", "送审日期", "完成日期", "交办日期", "销号日期",
    "日期", "整改时限", "收到副本日期", "答复（答辩）日期", "开庭（听证）日期", "决定（判决）日期",
    "送达日期", "上诉日期", "纠正日期",
}  # fmt: skip
NUMBER_COLUMNS = {
    "信访人数", "延长天数", "涉及金额（元）", "有效期（年）", "用时（工作日）", "年度", "场次",
    "人次", "宣传资料（份）", "数值",
}  # fmt: skip


@pytest.fixture
def demo(db, settings, capsys):
    settings.DEMO_MODE = True
    call_command("load_demo")
    capsys.readouterr()
    return User.objects.create_superuser("roundtrip", password="Test#Passw0rd-2020")


def test_every_ledger_of_the_demo_reimports_unchanged_in_xlsx_and_csv(demo):
    today = timezone.localdate()
    checked = {}
    future = {}
    for kind, ledger in sorted(LEDGERS.items()):
        dataset = ledger.export()
        assert len(dataset) > 0, kind
        future[kind] = sum(
            1 for row in dataset for v in row if isinstance(v, dt.date) and v > today
        )
        for fmt, render in (("xlsx", render_xlsx), ("csv", render_csv)):
            plan = ledger.check_file(render(dataset), f"{kind}.{fmt}", user=demo)

            assert plan.errors == [], (kind, fmt, [str(e) for e in plan.errors[:5]])
            assert (plan.created, plan.unchanged) == (0, len(dataset)), (kind, fmt)
            assert plan.notes == [], (kind, fmt)
        checked[kind] = len(dataset)

    assert set(checked) == {
        "petitions", "disputes", "documents", "reviews", "tasks", "records", "year_figures",
        "reconsideration",
    }  # fmt: skip
    # The demo's documents run past today (有效期至, 施行日期), and so do task deadlines.
    assert future["documents"] > 0 and future["tasks"] > 0

    # One test, so the demo (slow to build) is loaded once for both checks.
    _every_ledger_writes_numbers_as_numbers_and_dates_as_dates()


def _every_ledger_writes_numbers_as_numbers_and_dates_as_dates():
    typed = set()
    for kind, ledger in sorted(LEDGERS.items()):
        sheet = load_workbook(io.BytesIO(render_xlsx(ledger.export()))).active
        headers = [c.value for c in sheet[1]]
        seen_types = {}
        for row in sheet.iter_rows(min_row=2):
            for header, cell in zip(headers, row, strict=True):
                if cell.value is None or cell.value == "":
                    continue
                if header in DATE_COLUMNS:
                    if header == "整改时限" and cell.value == "长期坚持":
                        continue
                    assert isinstance(cell.value, dt.datetime), (kind, header, cell.value)
                    seen_types[header] = "date"
                elif header in NUMBER_COLUMNS:
                    assert isinstance(cell.value, int | float), (kind, header, cell.value)
                    assert cell.data_type == "n", (kind, header)
                    seen_types[header] = "number"
        typed |= {(kind, header, t) for header, t in seen_types.items()}

    # The two ledgers that wrote text before issue 12 among them: SUM works on these now.
    assert {
        ("records", "日期", "date"), ("records", "场次", "number"), ("records", "人次", "number"),
        ("year_figures", "年度", "number"), ("year_figures", "数值", "number"),
        ("petitions", "登记日期", "date"), ("disputes", "涉及金额（元）", "number"),
        ("documents", "有效期至", "date"), ("tasks", "整改时限", "date"),
    } <= typed  # fmt: skip
