"""Ledger files for tests (台账文件): workbooks and CSV text built from rows, and read back."""

from __future__ import annotations

import csv
import io

from openpyxl import Workbook, load_workbook


def xlsx_bytes(rows: list[list]) -> bytes:
    """Return an xlsx whose first sheet holds `rows` (first row: headers), cells as given."""
    book = Workbook()
    for row in rows:
        book.active.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def csv_text(rows: list[list]) -> str:
    """Return `rows` as CSV text (first row: headers)."""
    out = io.StringIO(newline="")
    csv.writer(out).writerows(rows)
    return out.getvalue()


def read_xlsx(data: bytes) -> list[list]:
    """Return the rows of an xlsx's first sheet, as lists of cell values."""
    sheet = load_workbook(io.BytesIO(data)).active
    return [list(r) for r in sheet.iter_rows(values_only=True)]
