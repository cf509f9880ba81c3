"""The plan of a ledger import, shared by every register: check the whole file, then write.

An import never writes a row before the whole file is valid (`DOMAIN.md` §10). Each register's
importer opens the file (`miaoba.ledger.open_ledger`), checks every row into a `RowPlan` (what
the row will create or update) or `RowError`s (`miaoba.ledger.check_rows`), and returns one
`ImportPlan`; only a valid plan is then written, in one transaction. The generic import page
(`miaoba.ledger_views`) and the `import_ledger` command show a plan's rows (`action`,
`display_number`), errors and notes.

Columns: `column(header, attribute)` declares a django-import-export field that exports values
as they are (dates as dates, numbers as numbers), so an exported file imports back.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from import_export.fields import Field
from import_export.widgets import Widget

from miaoba.ledger import LedgerTable, RowError, sort_errors

NEW, UPDATE, UNCHANGED = "新增", "更新", "无变化"


@dataclass
class RowPlan:
    """What one valid row will do: create a record, update `existing`, or nothing.

    `row` is the row's number as Excel shows it (the header is row 1); `values` the model field
    values read from it; `number` the record's number from the file ("" when one is to be
    allocated); `changed` is True/False, or the list of what changes (empty: nothing);
    `extra` what a register needs besides (people, opinions, progress lines ...).
    """

    row: int
    values: dict[str, Any]
    number: str = ""
    existing: Any = None
    changed: Any = True
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def is_new(self) -> bool:
        return self.existing is None

    @property
    def has_changes(self) -> bool:
        """Return True when writing the row changes the existing record."""
        return bool(self.changed)

    @property
    def action(self) -> str:
        """Return what the row will do: 新增, 更新 or 无变化."""
        if self.is_new:
            return NEW
        return UPDATE if self.has_changes else UNCHANGED

    @property
    def display_number(self) -> str:
        return self.number or "（导入时分配）"


@dataclass
class ImportPlan:
    """The checked content of a ledger file of `kind`: its rows' plans, every error found, and
    notes on what the reader passed over (sheets, footer rows ...).

    A plan with errors holds no rows: nothing of an invalid file is written.
    """

    kind: str
    filename: str
    rows: list[RowPlan] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def is_valid(self) -> bool:
        return not self.errors

    @property
    def created(self) -> int:
        return sum(1 for r in self.rows if r.is_new)

    @property
    def updated(self) -> int:
        return sum(1 for r in self.rows if not r.is_new)

    @property
    def unchanged(self) -> int:
        return sum(1 for r in self.rows if not r.is_new and not r.has_changes)

    def finish(self, table: LedgerTable | None = None) -> ImportPlan:
        """Sort the errors in file order (sheet by sheet as `table` has them, then by row) and
        drop every row when there is any error; return the plan."""
        if table is not None:
            sort_errors(self.errors, table)
        else:
            self.errors.sort(key=lambda error: error.row)
        if self.errors:
            self.rows = []
        return self


class NativeWidget(Widget):
    """Render values as they are (dates as dates, numbers as numbers; None stays None)."""

    def render(self, value, obj=None, **kwargs):
        return value


def column(header: str, attribute: str | None = None) -> Field:
    """Return a ledger column: the Chinese `header`, read from `attribute` (or a dehydrate_)."""
    return Field(attribute=attribute, column_name=header, widget=NativeWidget())
