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

import contextlib
import csv
import datetime as dt
import functools
import io
import re
import threading
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from decimal import Decimal, InvalidOperation
from pathlib import PurePath
from typing import Any

from miaoba.cleaning import clean_code, clean_text, xml_safe
from miaoba.xlsx_stream import XlsxBook, XlsxError, XlsxTooLarge, column_letters

SEPARATOR = "、"
MAX_FILE_BYTES = 10 * 1024 * 1024
MAX_ROWS = 20_000
DATE_HINT = "请写成 2021-03-05、2021/3/5、2021年3月5日 或 20210305，或设置为日期格式的单元格"


class LedgerFileError(Exception):
    """The file cannot be read as a ledger at all (type, encoding, size, no header)."""


@dataclass(frozen=True)
class RowError:
    """One problem in the file: `row` as Excel numbers it, `column` its header.

    `sheet` names the worksheet when the file has several ("" otherwise).
    """

    row: int
    column: str
    message: str
    sheet: str = ""

    def __str__(self) -> str:
        where = f"工作表「{self.sheet}」" if self.sheet else ""
        return f"{where}行 {self.row}，列「{self.column}」：{self.message}"


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
    """Return a cell as stripped text; an integer-valued number without a trailing .0.

    Control characters are removed (`miaoba.cleaning.clean_text`), so no path stores them.
    """
    if value is None:
        return ""
    if isinstance(value, str):
        return clean_text(value)
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def cell_code(value: Any) -> str:
    """Return a cell holding a code or a number as text in ASCII width (NFKC): "１２" → "12"."""
    if isinstance(value, str):
        return clean_code(value)
    return cell_text(value)


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
    text = cell_code(value)
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


EARLIEST_DATE = dt.date(2000, 1, 1)


def check_date(model, field_name: str, value: dt.date, *, today: dt.date | None = None) -> None:
    """Refuse a date its field's meaning does not allow; raise CellError with the reason.

    A date of what has happened (登记日期, 受理日期, 办结日期 ...) may not be after today; a
    date that looks ahead may: the model names those in `FORWARD_DATES` (有效期至 and 施行日期
    of a document, 整改时限 of a task, 回访日期 of a dispute). No date is before 2000 (a typing
    error such as 0202 or 1900, not history the township keeps). `today` is Asia/Shanghai's.
    """
    if value < EARLIEST_DATE:
        raise CellError(f"日期{value:%Y-%m-%d}早于{EARLIEST_DATE.year}年，请核对年份。")
    if field_name in getattr(model, "FORWARD_DATES", ()):
        return
    if today is None:
        from django.utils import timezone

        today = timezone.localdate()
    if value > today:
        raise CellError(f"日期{value:%Y-%m-%d}晚于今天（已发生的事项不能填写将来的日期）。")


def cell_int(value: Any) -> int | None:
    """Return a whole number from a number cell or text; None when empty."""
    if value is None or value == "":
        return None
    if isinstance(value, float) and not value.is_integer():
        raise CellError(f"应为整数，您填写的是{value}。")
    text = cell_code(value).removesuffix("人").removesuffix("日").removesuffix("天").strip()
    if not text:
        return None
    if not re.fullmatch(r"\d+", text):
        raise CellError(f"应为整数，您填写的是“{text}”。")
    return int(text)


def cell_amount(value: Any) -> Decimal | None:
    """Return an amount in 元 with at most two decimals; None when empty."""
    if value is None or value == "":
        return None
    text = repr(value) if isinstance(value, float) else cell_code(value)
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


class ChoiceLookup(dict):
    """{written form: stored value} of a choice column; `labels` are what messages list."""

    labels: tuple[str, ...] = ()

    @property
    def known(self) -> str:
        """The labels a clerk may write, for a message: "待受理、办理中…" (never codes)."""
        return "、".join(self.labels)


def choice_lookup(choices, aliases: dict[str, str] | None = None) -> ChoiceLookup:
    """Return {label or value: value} for TextChoices (or (value, label) pairs) plus `aliases`.

    Keys are compared after `normalise_header`; `aliases` are the plain words clerks write
    ("失效" for 已失效). Messages list the labels only, never the stored codes.
    """
    pairs = choices.choices if hasattr(choices, "choices") else list(choices)
    lookup = ChoiceLookup()
    for value, label in pairs:
        lookup[normalise_header(value)] = value
        lookup[normalise_header(label)] = value
    for alias, value in (aliases or {}).items():
        lookup[normalise_header(alias)] = value
    lookup.labels = tuple(str(label) for _, label in pairs)
    return lookup


YES_NO = {
    "是": True, "否": False, "": False, "Y": True, "N": False, "YES": True, "NO": False,
    "1": True, "0": False, "√": True, "✓": True, "×": False, "✗": False, "有": True, "无": False,
    "TRUE": True, "FALSE": False, "对": True, "不是": False,
}  # fmt: skip
"""Plain words a clerk writes for yes and no, upper-cased keys (`normalise_header(x).upper()`)."""


# --- Checks from the model (issue 12 §3) ------------------------------------------------------


@functools.cache
def _field_rule(model, name: str):
    """Return what `field_problems` needs of one model field, worked out once per field."""
    from django.core.validators import DecimalValidator
    from django.db import models
    from django.db.backends.base.operations import BaseDatabaseOperations

    field = model._meta.get_field(name)
    if field.is_relation:
        return None
    text = isinstance(field, models.CharField | models.TextField)
    # PostgreSQL's column ranges, used on SQLite too: a row that passes the preview on one
    # database is written on the other (SQLite's own range is 64-bit for every integer).
    limits = BaseDatabaseOperations.integer_field_ranges.get(field.get_internal_type())
    decimal = (
        DecimalValidator(field.max_digits, field.decimal_places)
        if isinstance(field, models.DecimalField)
        else None
    )
    choices = {k: str(label) for k, label in field.flatchoices} if field.choices else None
    validators = [*field.default_validators, *field._validators]
    return field, text, limits, decimal, choices, validators


def field_problems(model, name: str, value: Any) -> list[str]:
    """Return what the model field `name` says is wrong with `value` (Chinese, no codes).

    The one place a ledger row's limits come from: the field's max_length (characters), its
    integer column's range (PostgreSQL's, on every database), a DecimalField's digits, its
    choices (named by their labels) and the validators declared on it. Relations and empty
    values are not checked here (the row's parser resolves and requires them).
    """
    from django.core.exceptions import ValidationError

    if value is None or value == "":
        return []
    rule = _field_rule(model, name)
    if rule is None:
        return []
    field, text, limits, decimal, choices, validators = rule
    problems = []
    if text and field.max_length and len(str(value)) > field.max_length:
        problems.append(f"最多{field.max_length}个字，现有{len(str(value))}个字。")
    if limits and isinstance(value, int) and not limits[0] <= value <= limits[1]:
        low, high = limits
        problems.append(
            f"数值{value}超出范围：最大为{high}。" if value > high else f"不能小于{low}。"
        )
    if decimal is not None:
        try:
            decimal(Decimal(value))
        except ValidationError:
            whole = field.max_digits - field.decimal_places
            shown = format(Decimal(value).normalize(), "f")
            problems.append(
                f"数值{shown}过大：最多{whole}位整数、{field.decimal_places}位小数，请核对单位。"
            )
    if choices is not None and value not in choices:
        problems.append(f"“{value}”不是可选的值。可选：{'、'.join(choices.values())}。")
    for validator in validators:
        try:
            validator(value)
        except ValidationError as exc:
            problems.extend(exc.messages)
    return problems


def check_fields(
    model, values: dict[str, Any], errors: list[RowError], row: int, columns: dict[str, str]
) -> None:
    """Append a RowError for each problem `field_problems` finds in `values` (field → value).

    `columns` maps field names to the ledger's column headers; a field without a column is
    named by its verbose_name.
    """
    for name, value in values.items():
        problems = field_problems(model, name, value)
        column = columns.get(name) or str(model._meta.get_field(name).verbose_name)
        for message in problems:
            errors.append(RowError(row, column, message))


# --- Reading files ---------------------------------------------------------------------------

MAX_UNPACKED_BYTES = 120 * 1024 * 1024
"""An xlsx whose parts unpack past this is refused before parsing (a legitimate 20,000-row
petition ledger unpacks to about 40 MB)."""
HEADER_SEARCH_ROWS = 12
"""How many rows with content at the top of a sheet may hold titles, 填报单位 lines and the
header; the header is the row among them that names the most of the ledger's columns."""
SERIAL_HEADERS = {"序号", "编号序号", "No.", "NO.", "no."}
FOOTER_WORDS = ("合计", "小计", "总计", "填表人", "填报人", "制表人", "制表", "审核人", "审核",
                "负责人", "填表日期", "填报日期", "制表日期", "单位负责人", "注：", "注:",
                "说明：", "说明:", "备注：", "备注:")  # fmt: skip


def _decode_csv(data: bytes) -> str:
    """Decode a csv saved as UTF-8 (with or without BOM) or GBK (Chinese Excel's default)."""
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise LedgerFileError("无法识别 CSV 文件的编码，请在 Excel 中另存为“CSV UTF-8”或 xlsx 格式。")


@dataclass(frozen=True)
class LedgerRow:
    """One data row of a ledger file: where it is and its cells by the ledger's column headers.

    `raw` maps every column of the ledger to the cell's value (None when empty): text as str
    (cleaned by `miaoba.cleaning.clean_text`), numbers as int/float, date cells as datetime.
    """

    sheet: str
    row: int
    raw: dict[str, Any]


@dataclass
class _SheetPlan:
    name: str
    header_row: int
    index: dict[str, int]  # ledger column → 1-based column number
    serial_columns: set[int]
    other_columns: dict[int, str]
    last_row: int | None = None
    fills: dict = field(default_factory=dict)  # (row, column) → merge range, below the header


class LedgerTable:
    """A ledger file opened for reading: which sheets are read, notes, and its rows streamed.

    Made by `open_ledger`. Iterating yields `LedgerRow`s in file order, sheet after sheet,
    without ever holding all rows: the file is read as it is iterated. `notes` say, in
    Chinese, what was not read and why (sheets ignored, rows skipped); `errors` hold what
    makes the file unfit before any row is checked (a merged range that cannot be split, a
    missing column). Both are complete only once the rows have been iterated.
    """

    def __init__(self, filename: str, columns: list[str]):
        self.filename = filename
        self.columns = columns
        self.notes: list[str] = []
        self.errors: list[RowError] = []
        self.sheets: list[_SheetPlan] = []
        self._source = None
        self._multi = False
        self._rows_read = 0

    # The two sources share the row logic below; each provides `_cells(sheet_plan)`.

    def __iter__(self):
        for plan in self.sheets:
            yield from self._sheet_rows(plan)
        self._close()

    def _label(self, plan: _SheetPlan) -> str:
        return plan.name if self._multi else ""

    def _sheet_rows(self, plan: _SheetPlan):
        skipped_serial: list[int] = []
        skipped_other: list[tuple[int, str]] = []
        fill_values: dict[tuple[int, int, int, int], Any] = {}
        headers = set(plan.index)
        for number, cells in self._cells(plan):
            if number <= plan.header_row:
                continue
            if plan.fills:
                for c in plan.index.values():
                    rng = plan.fills.get((number, c))
                    if rng is None:
                        continue
                    if rng[0] == number:
                        if c in cells:
                            fill_values[rng] = cells[c]
                    elif c not in cells and rng in fill_values:
                        cells[c] = fill_values[rng]
            raw = {name: cells.get(col) for name, col in plan.index.items()}
            filled = [cell_text(cells[c]) for c in sorted(cells) if cell_text(cells[c])]
            if not any(cell_text(v) for v in raw.values() if v is not None):
                # Nothing in the ledger's columns: a 序号 alone, a footer, or other columns.
                if filled and filled[0].startswith(FOOTER_WORDS):
                    self.notes.append(
                        self._where(plan, number)
                        + f"是表尾（“{filled[0][:20]}”），未作为数据导入。"
                    )
                elif all(c in plan.serial_columns and _is_serial(cells[c]) for c in cells):
                    skipped_serial.append(number)
                elif filled:
                    extra = "、".join(
                        f"「{plan.other_columns.get(c, column_letters(c) + '列')}」"
                        for c in sorted(cells)
                        if c not in plan.serial_columns
                    )
                    skipped_other.append((number, extra))
                continue
            if len(filled) <= 3 and filled[0].startswith(FOOTER_WORDS):
                self.notes.append(
                    self._where(plan, number) + f"是表尾（“{filled[0][:20]}”），未作为数据导入。"
                )
                continue
            named = [normalise_header(v) for v in raw.values() if v is not None and cell_text(v)]
            if len(named) >= 2 and set(named) <= headers:
                self.notes.append(self._where(plan, number) + "是重复的表头，已跳过。")
                continue
            self._rows_read += 1
            if self._rows_read > MAX_ROWS:
                raise LedgerFileError(f"一次最多导入{MAX_ROWS}行，请分成几个文件导入。")
            yield LedgerRow(self._label(plan), number, raw)
        if skipped_serial:
            self.notes.append(
                self._where(plan, None)
                + f"{_ranges(skipped_serial)}只有序号、没有内容，已跳过（共{len(skipped_serial)}行）。"
            )
        for number, extra in skipped_other:
            self.notes.append(
                self._where(plan, number) + f"只在{extra}有内容（不是本台账的列），未导入。"
            )

    def _where(self, plan: _SheetPlan, number: int | None) -> str:
        prefix = f"工作表「{plan.name}」" if self._multi else ""
        return prefix + (f"第{number}行" if number is not None else "")

    def _close(self) -> None:
        if self._source is not None:
            self._source.close()
            self._source = None


def _is_serial(value: Any) -> bool:
    """Return True for what a 序号 cell holds: 1, 2.0, "3", "（4）"."""
    if is_number(value):
        return True
    return bool(re.fullmatch(r"[（(]?\d+[)）.、]?", cell_code(value)))


def _ranges(numbers: list[int]) -> str:
    """Return row numbers as "第4–23、30行"."""
    parts, start, last = [], numbers[0], numbers[0]
    for n in numbers[1:] + [None]:
        if n is not None and n == last + 1:
            last = n
            continue
        parts.append(f"{start}–{last}" if last > start else f"{start}")
        if n is not None:
            start = last = n
    return "第" + "、".join(parts) + "行"


class _CsvTable(LedgerTable):
    def __init__(self, filename, columns, text: str):
        super().__init__(filename, columns)
        self._text = text

    def _cells(self, plan):
        reader = csv.reader(io.StringIO(self._text, newline=""))
        for number, row in enumerate(reader, start=1):
            cells = {}
            for c, value in enumerate(row, start=1):
                value = clean_text(csv_unquote(value))
                if value:
                    cells[c] = value
            if cells:
                yield number, cells


class _XlsxTable(LedgerTable):
    def __init__(self, filename, columns, book):
        super().__init__(filename, columns)
        self._source = book

    def _cells(self, plan):
        book = self._source
        sheet = next(s for s in book.sheets if s.name == plan.name)
        try:
            for number, cells in book.rows(sheet, last_row=plan.last_row):
                yield (
                    number,
                    {
                        c: (clean_text(v, excel=True) if isinstance(v, str) else v)
                        for c, v in cells.items()
                    },
                )
        except XlsxError:
            raise LedgerFileError(
                f"工作表「{plan.name}」无法读取，文件可能已损坏。请在 Excel 中打开后另存为 xlsx。"
            ) from None


def _find_header(
    top: list[tuple[int, dict]], columns: list[str], aliases: dict[str, str]
) -> tuple[int, dict[str, int], dict[int, str], int]:
    """Return (header row, {column: number}, {number: other header}, matched) of the best row."""
    wanted = set(columns)
    best = (0, {}, {}, 0)
    for number, cells in top:
        index: dict[str, int] = {}
        others: dict[int, str] = {}
        for c, value in sorted(cells.items()):
            name = normalise_header(value)
            name = aliases.get(name, name)
            if name in wanted and name not in index:
                index[name] = c
            elif name:
                others[c] = name
        if len(index) > best[3]:
            best = (number, index, others, len(index))
    return best


def open_ledger(
    data: bytes, filename: str, columns: list[str], *, aliases: dict[str, str] | None = None
) -> LedgerTable:
    """Open a ledger file (xlsx or csv) whose columns are `columns`; iterate it for its rows.

    What it does with the shapes real township files take (issue 12 §1):
    - the header is the row, among the first `HEADER_SEARCH_ROWS` rows with content, naming
      the most of `columns` (titles and 填报单位 lines above it are passed over); columns may
      be in any order, headers are compared without spaces and with （） for ();
    - several sheets: every visible sheet whose header has all `columns` is read, in order;
      the others are named in `notes` with the reason (hidden, no header, columns missing);
    - merged cells below the header: a range down one column gives its value to every row it
      spans; a range across two or more of the ledger's columns is refused naming the range;
    - rows with nothing in the ledger's columns (a 序号 alone, formatting alone) are skipped,
      and so are table footers (合计, 填表人 ...) and a repeated header; each is named in
      `notes` except blank rows;
    - text cells are cleaned (`miaoba.cleaning.clean_text`: control characters out, Excel's
      `_x000B_` escapes undone).

    Raises LedgerFileError, before reading any row, for another type, a file over
    `MAX_FILE_BYTES`, an xlsx unpacking past `MAX_UNPACKED_BYTES`, an unreadable file, a
    sheet with more than `MAX_ROWS` rows of content, or no sheet with the header; and while
    iterating, when more than `MAX_ROWS` data rows are read in all.
    """
    aliases = {normalise_header(k): v for k, v in (aliases or {}).items()}
    suffix = PurePath(filename).suffix.lower()
    if len(data) > MAX_FILE_BYTES:
        raise LedgerFileError("文件过大：台账文件不能超过 10 MB。")
    if suffix == ".csv":
        table: LedgerTable = _CsvTable(filename, columns, _decode_csv(data))
        sources = [("", None)]
    elif suffix == ".xlsx":
        try:
            book = XlsxBook(data, max_unpacked=MAX_UNPACKED_BYTES)
        except XlsxTooLarge as exc:
            raise LedgerFileError(
                f"文件解压后有 {exc.unpacked / 1024 / 1024:.0f} MB，超过上限 "
                f"{MAX_UNPACKED_BYTES // 1024 // 1024} MB，不是正常的台账文件，未读取。"
                "如确为台账，请删除多余的空行、图片和格式后另存，或分成几个文件导入。"
            ) from None
        except XlsxError:
            raise LedgerFileError(
                "无法读取该 Excel 文件，请确认是 .xlsx 格式（较旧的 .xls 请先另存为 .xlsx）。"
            ) from None
        table = _XlsxTable(filename, columns, book)
        sources = [(s.name, s) for s in book.sheets]
        table._multi = len(sources) > 1
    else:
        raise LedgerFileError("只能导入 .xlsx 或 .csv 格式的台账文件。")
    try:
        _plan_sheets(table, sources, columns, aliases)
    except BaseException:
        table._close()
        raise
    return table


def _plan_sheets(table: LedgerTable, sources, columns: list[str], aliases) -> None:
    """Choose the sheets to read and their header rows; fill `table.sheets` and `notes`."""
    partial: list[tuple[str, int, list[str]]] = []
    for name, sheet in sources:
        scan = None
        if sheet is not None:
            if sheet.hidden:
                table.notes.append(f"工作表「{name}」是隐藏的工作表，未读取。")
                continue
            try:
                scan = table._source.scan(sheet, stop_after=MAX_ROWS + HEADER_SEARCH_ROWS)
            except XlsxError:
                raise LedgerFileError(
                    f"工作表「{name}」无法读取，文件可能已损坏。请在 Excel 中打开后另存为 xlsx。"
                ) from None
            if scan.rows_with_values > MAX_ROWS + HEADER_SEARCH_ROWS:
                raise LedgerFileError(
                    f"工作表「{name}」有超过{MAX_ROWS}行内容，一次最多导入{MAX_ROWS}行，"
                    "请分成几个文件导入。"
                )
            if scan.rows_with_values == 0:
                table.notes.append(f"工作表「{name}」是空的，未读取。")
                continue
        probe = _SheetPlan(name, 0, {}, set(), {}, scan.last_row if scan else None)
        top = []
        for number, cells in table._cells(probe):
            top.append((number, cells))
            if len(top) >= HEADER_SEARCH_ROWS:
                break
        header_row, index, others, matched = _find_header(top, columns, aliases)
        if matched == 0:
            where = f"工作表「{name}」" if name else "文件"
            table.notes.append(
                f"{where}的前{HEADER_SEARCH_ROWS}行中没有本台账的表头"
                f"（应有「{columns[0]}」「{columns[1]}」等列），未读取。"
            )
            continue
        missing = [c for c in columns if c not in index]
        if missing:
            partial.append((name, header_row, missing))
            if name:
                table.notes.append(
                    f"工作表「{name}」第{header_row}行的表头缺少列"
                    + "、".join(f"「{h}」" for h in missing)
                    + "，未读取。"
                )
            continue
        serial = {c for c, h in others.items() if h in SERIAL_HEADERS}
        plan = _SheetPlan(name, header_row, index, serial, others, scan.last_row if scan else None)
        if scan is not None and scan.merges:
            _plan_merges(table, plan, scan.merges)
        table.sheets.append(plan)
    if not table.sheets:
        if partial:
            name, header_row, missing = min(partial, key=lambda p: len(p[2]))
            table.errors.append(
                RowError(
                    header_row,
                    missing[0],
                    "缺少列"
                    + "、".join(f"「{h}」" for h in missing)
                    + "。请使用“下载导入模板”中的表头。",
                    sheet=name if table._multi else "",
                )
            )
            table.notes = [n for n in table.notes if "表头缺少列" not in n or name not in n]
            return
        raise LedgerFileError(
            "文件中没有找到本台账的表头："
            + "；".join(table.notes or ["文件是空的"])
            + f"。表头应含「{'」「'.join(columns[:4])}」等列，请使用“下载导入模板”。"
        )


def _plan_merges(table: LedgerTable, plan: _SheetPlan, merges) -> None:
    """Fill merged ranges down their column, or refuse a range across the ledger's columns."""
    by_number = {c: h for h, c in plan.index.items()}
    for rng in merges:
        first_row, first_col, last_row, last_col = rng
        if last_row <= plan.header_row:
            continue  # a title or the header itself
        ref = f"{column_letters(first_col)}{first_row}:{column_letters(last_col)}{last_row}"
        spanned = [by_number[c] for c in range(first_col, last_col + 1) if c in by_number]
        if not spanned:
            continue
        if first_row <= plan.header_row:
            table.errors.append(
                RowError(
                    first_row,
                    spanned[0],
                    f"单元格 {ref} 从表头合并到了数据行，无法判断每行的值，请取消合并后再导入。",
                    sheet=table._label(plan),
                )
            )
            continue
        if len(spanned) > 1:
            table.errors.append(
                RowError(
                    first_row,
                    spanned[0],
                    f"单元格 {ref} 合并了"
                    + "".join(f"「{h}」" for h in spanned)
                    + f"{len(spanned)}列，无法判断属于哪一列，请取消合并、把内容填入对应的列后再导入。",
                    sheet=table._label(plan),
                )
            )
            continue
        column = plan.index[spanned[0]]
        for r in range(first_row + 1, last_row + 1):
            plan.fills[(r, column)] = rng
        plan.fills[(first_row, column)] = rng


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
        writer.writerow(
            ["" if v is None else csv_safe(xml_safe(v) if isinstance(v, str) else v) for v in row]
        )
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
            if isinstance(value, str):
                # Stored text is shown as stored, minus what XML cannot hold; and as text,
                # never as a formula, whatever it starts with.
                cell.value = xml_safe(value)
                cell.data_type = "s"
            else:
                cell.value = value
            if isinstance(value, dt.date):
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
    # The personal data a file of this ledger holds ("信访人姓名、身份证号、联系电话、住址"), and
    # the permission under which ID numbers and phones are exported in full: its exports are
    # recorded as 导出个人信息 (`miaoba.security.record_export`).
    personal_data: str = ""
    personal_perm: str = ""


LEDGERS: dict[str, Ledger] = {}


def register_ledger(ledger: Ledger) -> None:
    """Make a ledger reachable by its kind; called from an app's `AppConfig.ready()`."""
    LEDGERS[ledger.kind] = ledger


# --- Checking a file row by row ------------------------------------------------------------

_progress = threading.local()


@contextlib.contextmanager
def progress_to(callback: Callable[[int], None]):
    """Send the number of rows checked so far to `callback` while the block runs (this thread).

    For the background jobs' progress bar (`miaoba.ledger_jobs`); `check_rows` reports.
    """
    previous = getattr(_progress, "callback", None)
    _progress.callback = callback
    try:
        yield
    finally:
        _progress.callback = previous


def count_rows(data: bytes, filename: str) -> int:
    """Return about how many rows a ledger file holds, cheaply, without checking any.

    xlsx: the rows holding a value in its visible sheets (the reader's byte-level pre-scan);
    csv: its lines. Used to choose between checking in the request or in the background.
    Raises LedgerFileError as `open_ledger` does for a file it cannot read.
    """
    suffix = PurePath(filename).suffix.lower()
    if suffix == ".csv":
        return data.count(b"\n")
    if suffix != ".xlsx":
        raise LedgerFileError("只能导入 .xlsx 或 .csv 格式的台账文件。")
    try:
        book = XlsxBook(data, max_unpacked=MAX_UNPACKED_BYTES)
        try:
            return sum(
                book.scan(s, stop_after=MAX_ROWS * 2).rows_with_values
                for s in book.sheets
                if not s.hidden
            )
        finally:
            book.close()
    except XlsxError:
        return 0  # open_ledger says what is wrong with the file, in the request


def check_rows(
    plan,
    table: LedgerTable,
    clean: Callable[[LedgerRow, list[RowError]], Any],
    *,
    key: Callable[[Any], Any],
    duplicate_column: str,
    noun: str = "同一条记录",
) -> None:
    """Check every row of `table` with `clean(row, errors)` into `plan` (rows, errors, notes).

    `clean` appends its RowErrors and returns the row's plan (or None). A row whose `key` an
    earlier row had is refused ("与第3行是同一件"). Errors are tagged with the row's sheet when
    the file has several; an empty file gets "文件中没有数据行". `plan` is any object with
    `rows`, `errors` and `notes` lists. The reader's own errors (missing columns, merged
    ranges) come first.
    """
    plan.errors.extend(table.errors)
    if table.errors and not table.sheets:
        return
    seen: dict[Any, str] = {}
    count = 0
    report = getattr(_progress, "callback", None)
    for row in table:
        count += 1
        if report is not None and count % 200 == 0:
            report(count)
        errors: list[RowError] = []
        row_plan = clean(row, errors)
        if row_plan is not None and not errors:
            k = key(row_plan)
            if k in seen:
                errors.append(
                    RowError(row.row, duplicate_column, f"与{seen[k]}是{noun}，请删除重复的行。")
                )
            else:
                seen[k] = (f"工作表「{row.sheet}」" if row.sheet else "") + f"第{row.row}行"
        if errors:
            if row.sheet:
                errors = [replace(e, sheet=row.sheet) for e in errors]
            plan.errors.extend(dict.fromkeys(errors))  # one message once, in order
        elif row_plan is not None:
            if row.sheet:
                row_plan.sheet = row.sheet  # for the preview's 行号 of a file of several sheets
            plan.rows.append(row_plan)
    plan.notes.extend(table.notes)
    if count == 0 and not plan.errors:
        first = table.sheets[0].header_row + 1 if table.sheets else 2
        plan.errors.append(RowError(first, table.columns[0], "文件中没有数据行。"))


def row_label(row_plan) -> str:
    """Return a plan row's place as the preview shows it: "12", or "「2月」12" in a workbook
    of several sheets."""
    sheet = getattr(row_plan, "sheet", "")
    return f"「{sheet}」{row_plan.row}" if sheet else str(row_plan.row)


def sort_errors(errors: list[RowError], table: LedgerTable) -> None:
    """Sort errors in file order: sheet by sheet as the file has them, then by row."""
    order = {plan.name if table._multi else "": i for i, plan in enumerate(table.sheets)}
    errors.sort(key=lambda e: (order.get(e.sheet, 0), e.row))


def changed_fields(instance, values: dict[str, Any]) -> list[str]:
    """Return the names of `values` (field → new value) that differ from `instance`'s.

    A related record is compared by its id (`unit_id`), so no related row is fetched.
    """
    changed = []
    for name, value in values.items():
        field = instance._meta.get_field(name)
        if field.many_to_one or field.one_to_one:
            current = getattr(instance, field.attname)
            wanted = value.pk if value is not None else None
        else:
            current, wanted = getattr(instance, name), value
        if current != wanted:
            changed.append(name)
    return changed


def add_ledger_arguments(parser, *, file_help: str) -> None:
    """Add the ledger commands' first two arguments to `parser` (argparse): `kind`, one of
    `LEDGERS` (each listed with its title in the help), and `file`, the file's path."""
    parser.add_argument(
        "kind",
        choices=sorted(LEDGERS),
        help="；".join(f"{k}：{v.title}" for k, v in sorted(LEDGERS.items())),
    )
    parser.add_argument("file", help=file_help)
