"""Reading and writing ledgers (台账) in xlsx and csv, shared by every register.

The rules of `DOMAIN.md` §10 that do not depend on what a ledger holds: csv in UTF-8 (with or
without BOM) or GBK, dates as cells or text (2021-03-05, 2021/3/5, 2021年3月5日, 20210305),
numbers as text or cells, errors by Excel row number and column header, csv written with a BOM
and formula cells quoted, xlsx with dates as dates and identifier columns as text.

Each app's ledgers live in the app (`disputes.resources` ...) and register themselves here
(`register_ledger`) so `manage.py export_ledger KIND FILE` and `import_ledger KIND FILE` reach
every ledger.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import PurePath
from typing import Any

SEPARATOR = "、"
MAX_FILE_BYTES = 10 * 1024 * 1024
MAX_ROWS = 5000
DATE_HINT = "请写成 2021-03-05、2021/3/5、2021年3月5日 或 20210305，或设置为日期格式的单元格"


class LedgerFileError(Exception):
    """The file cannot be read as a ledger at all (type, encoding, size, no header)."""


@dataclass(frozen=True)
class RowError:
    """One problem in the file: `row` as Excel numbers it (header = 1), `column` its header."""

    row: int
    column: str
    message: str

    def __str__(self) -> str:
        return f"行 {self.row}，列「{self.column}」：{self.message}"


# --- Reading cells ---------------------------------------------------------------------------


class CellError(Exception):
    """A cell's value is wrong; the message is shown to the clerk."""


def normalise_header(value: Any) -> str:
    """Return a header with spaces dropped and ASCII brackets made full-width: 村(社区)→村（社区）."""
    text = "" if value is None else str(value)
    text = re.sub(r"\s+", "", text).replace("(", "（").replace(")", "）")
    return text


def is_number(value: Any) -> bool:
    return isinstance(value, int | float | Decimal) and not isinstance(value, bool)


def cell_text(value: Any) -> str:
    """Return a cell as stripped text; an integer-valued number without a trailing .0."""
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


_DATE_RES = (
    re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$"),
    re.compile(r"^(\d{4})/(\d{1,2})/(\d{1,2})$"),
    re.compile(r"^(\d{4})\.(\d{1,2})\.(\d{1,2})$"),
    re.compile(r"^(\d{4})年(\d{1,2})月(\d{1,2})日?$"),
    re.compile(r"^(\d{4})(\d{2})(\d{2})$"),
)
_TIME_SUFFIX = re.compile(r"[ T]\d{1,2}:\d{2}(:\d{2}(\.\d+)?)?$")


def cell_date(value: Any) -> dt.date | None:
    """Return a date from a date cell or text 2021-03-05, 2021/3/5, 2021年3月5日, 20210305.

    An empty cell gives None. Raises CellError for anything else.
    """
    if value is None or value == "":
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = cell_text(value)
    if not text:
        return None
    text = _TIME_SUFFIX.sub("", text)
    for pattern in _DATE_RES:
        match = pattern.match(text)
        if match:
            try:
                return dt.date(*(int(g) for g in match.groups()))
            except ValueError:
                raise CellError(f"日期“{text}”不存在。") from None
    raise CellError(f"日期格式不正确：“{text}”。{DATE_HINT}。")


def cell_int(value: Any) -> int | None:
    """Return a whole number from a number cell or text; None when empty."""
    if value is None or value == "":
        return None
    if isinstance(value, float) and not value.is_integer():
        raise CellError(f"应为整数，您填写的是{value}。")
    text = cell_text(value).removesuffix("人").removesuffix("日").removesuffix("天")
    if not text:
        return None
    if not re.fullmatch(r"\d+", text):
        raise CellError(f"应为整数，您填写的是“{text}”。")
    return int(text)


def cell_amount(value: Any) -> Decimal | None:
    """Return an amount in 元 with at most two decimals; None when empty."""
    if value is None or value == "":
        return None
    text = repr(value) if isinstance(value, float) else cell_text(value)
    text = text.replace(",", "").replace("，", "").removesuffix("元").strip()
    if not text:
        return None
    try:
        amount = Decimal(text)
    except InvalidOperation:
        raise CellError(f"应为金额数字（单位：元），您填写的是“{text}”。") from None
    if not amount.is_finite() or amount < 0:
        raise CellError(f"涉及金额不能为负数，您填写的是“{text}”。")
    if amount != amount.quantize(Decimal("0.01")):
        raise CellError(f"金额最多保留两位小数，您填写的是“{text}”。")
    if amount >= Decimal("1e12"):
        raise CellError("金额过大，请核对单位是否为元。")
    return amount.quantize(Decimal("0.01"))


def split_aligned(value: Any, count: int, *, separators: str = SEPARATOR) -> list[str]:
    """Split a cell holding one value per person, aligned by position with the names.

    With one person the cell is not split (an address may hold a 、). Returns `count` items
    (an empty cell gives `count` empty strings); raises CellError when the count differs.
    """
    text = cell_text(value)
    if count <= 1:
        return [text]
    if not text:
        return [""] * count
    items = [item.strip() for item in re.split(f"[{separators}]", text)]
    if len(items) != count:
        raise CellError(
            f"共有{count}人，本列却有{len(items)}项。请用“、”分隔，与姓名一一对应"
            f"（某人没有的留空，如“A、、C”）。"
        )
    return items


def choice_lookup(choices: type, aliases: dict[str, str] | None = None) -> dict[str, str]:
    """Return {label or value: value} for a TextChoices class, plus `aliases`."""
    lookup = {}
    for value, label in choices.choices:
        lookup[normalise_header(value)] = value
        lookup[normalise_header(label)] = value
    for alias, value in (aliases or {}).items():
        lookup[normalise_header(alias)] = value
    return lookup


YES_NO = {"是": True, "否": False, "": False, "Y": True, "N": False, "1": True, "0": False}


# --- Reading files ---------------------------------------------------------------------------


def _decode_csv(data: bytes) -> str:
    """Decode a csv saved as UTF-8 (with or without BOM) or GBK (Chinese Excel's default)."""
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise LedgerFileError("无法识别 CSV 文件的编码，请在 Excel 中另存为“CSV UTF-8”或 xlsx 格式。")


def read_table(data: bytes, filename: str) -> tuple[list[str], list[tuple[int, list[Any]]]]:
    """Read a ledger file into (headers, [(excel_row_number, cells)]), skipping blank rows.

    xlsx cells keep their types (dates, numbers, text); csv cells are text. Raises
    LedgerFileError for another type, an unreadable or empty file, or too many rows.
    """
    suffix = PurePath(filename).suffix.lower()
    if len(data) > MAX_FILE_BYTES:
        raise LedgerFileError("文件过大：台账文件不能超过 10 MB。")
    if suffix == ".csv":
        text = _decode_csv(data)
        rows: list[list[Any]] = [
            [csv_unquote(cell) for cell in row] for row in csv.reader(io.StringIO(text, newline=""))
        ]
    elif suffix == ".xlsx":
        from openpyxl import load_workbook

        try:
            book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        except Exception:
            raise LedgerFileError(
                "无法读取该 Excel 文件，请确认是 .xlsx 格式（较旧的 .xls 请先另存为 .xlsx）。"
            ) from None
        rows = [list(r) for r in book.active.iter_rows(values_only=True)]
        book.close()
    else:
        raise LedgerFileError("只能导入 .xlsx 或 .csv 格式的台账文件。")
    if not rows or not any(cell_text(c) for c in rows[0]):
        raise LedgerFileError("文件第1行应为表头（列名），但第1行是空的。")
    headers = [normalise_header(h) for h in rows[0]]
    body = [
        (number, cells)
        for number, cells in enumerate(rows[1:], start=2)
        if any(cell_text(c) for c in cells)
    ]
    if len(body) > MAX_ROWS:
        raise LedgerFileError(f"一次最多导入{MAX_ROWS}行，请分成几个文件导入。")
    return headers, body


# --- Resources -------------------------------------------------------------------------------


FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def csv_safe(value):
    """Quote a text cell that Excel would run as a formula ("=HYPERLINK(...)") with a "'".

    `csv_unquote` takes the quote off again on import, so a file still round-trips.
    """
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def csv_unquote(value: str) -> str:
    """Undo `csv_safe` on a csv cell read back in."""
    if value.startswith("'") and value[1:].startswith(FORMULA_STARTS):
        return value[1:]
    return value


def render_csv(dataset) -> bytes:
    """Return the dataset as csv in UTF-8 with BOM (so Excel shows the Chinese), dates ISO.

    Text cells that would start a formula are quoted (`csv_safe`).
    """
    out = io.StringIO(newline="")
    writer = csv.writer(out)
    writer.writerow(dataset.headers)
    for row in dataset:
        writer.writerow(["" if v is None else csv_safe(v) for v in row])
    return out.getvalue().encode("utf-8-sig")


TEXT_COLUMNS = {"编号", "身份证号", "联系电话", "发文字号", "登记号"}


def render_xlsx(dataset) -> bytes:
    """Return the dataset as xlsx: dates as date cells, numbers as numbers, IDs as text.

    Columns of ID numbers and phones are formatted as text (@) so that digits typed in later
    are not turned into numbers; a value starting with "=" is kept as text, not a formula.
    """
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    book = Workbook()
    sheet = book.active
    sheet.title = dataset.title or "台账"
    sheet.append(list(dataset.headers))
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    sheet.freeze_panes = "A2"
    text_cols = {i + 1 for i, h in enumerate(dataset.headers) if h in TEXT_COLUMNS}
    for r, row in enumerate(dataset, start=2):
        for c, value in enumerate(row, start=1):
            if value is None or value == "":
                continue
            cell = sheet.cell(row=r, column=c)
            cell.value = value
            if isinstance(value, str):
                cell.data_type = "s"
            elif isinstance(value, dt.date):
                cell.number_format = "yyyy-mm-dd"
            elif isinstance(value, Decimal):
                cell.number_format = "0.00"
    for c, header in enumerate(dataset.headers, start=1):
        letter = get_column_letter(c)
        width = 22 if c in text_cols else max(10, len(header) * 2 + 2)
        sheet.column_dimensions[letter].width = width
        if c in text_cols:
            # The whole column is text, so digits typed in later stay text too.
            sheet.column_dimensions[letter].number_format = "@"
            for row in range(2, sheet.max_row + 1):
                sheet.cell(row=row, column=c).number_format = "@"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


@dataclass(frozen=True)
class Ledger:
    """A ledger reachable by its kind ("petitions", "tasks" ...) from the pages and commands.

    - `export(year=None)`: a tablib Dataset of all records (or those of `year`), for commands;
    - `export_for(request)`: a Dataset of what the list's filters show to this user, personal
      data masked where the user may not see it;
    - `template()`: a Dataset with the headers only;
    - `headers()`: the column headers in order;
    - `check_file(data, filename, user=)`: a plan (no writes) with `is_valid`, `errors`
      (RowError), `rows` (each with `row`, `action`), `created`, `updated`, `unchanged`;
    - `import_file(data, filename, user=, dry_run=False)`: check and write in one transaction;
    - `preview_columns`: (header, function of a plan row) shown before 确认导入.
    """

    kind: str
    title: str
    area: str
    list_url_name: str
    view_perm: str
    importer_perm: str
    export: Callable
    export_for: Callable
    template: Callable
    headers: Callable
    check_file: Callable
    import_file: Callable
    preview_columns: tuple = ()


LEDGERS: dict[str, Ledger] = {}


def register_ledger(ledger: Ledger) -> None:
    """Make a ledger reachable by its kind; called from an app's `AppConfig.ready()`."""
    LEDGERS[ledger.kind] = ledger
