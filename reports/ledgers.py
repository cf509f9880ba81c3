"""The ledgers of work records (工作记录台账) and year figures (年度指标), `DOMAIN.md` §10.

Columns are django-import-export fields with Chinese headers; the export's columns are the
import's columns. An import checks every row first (row number as Excel shows it, column,
Chinese message) and writes nothing unless the whole file is valid; rows are matched on their
natural key (work record: 日期+类别+名称+承办单位; year figure: 年度+指标), so importing the
same file twice changes nothing.
"""

from __future__ import annotations

from decimal import Decimal
from functools import partial

from django.db import transaction
from import_export import resources
from import_export.fields import Field

from miaoba.ledger import (
    CellError,
    Ledger,
    LedgerFileError,
    RowError,
    cell_amount,
    cell_date,
    cell_int,
    cell_text,
    changed_fields,
    check_date,
    check_fields,
    check_rows,
    choice_lookup,
    normalise_header,
    open_ledger,
    register_ledger,
)
from miaoba.ledger_plan import ImportPlan, NativeWidget, RowPlan
from miaoba.models import Unit
from reports import services
from reports.models import WorkRecord, WorkRecordKind, YearFigure


class WorkRecordResource(resources.ModelResource):
    """Columns of the work-record ledger."""

    on = Field(attribute="on", column_name="日期", widget=NativeWidget())
    kind = Field(attribute="kind__name", column_name="类别", widget=NativeWidget())
    title = Field(attribute="title", column_name="名称", widget=NativeWidget())
    sessions = Field(attribute="sessions", column_name="场次", widget=NativeWidget())
    participants = Field(attribute="participants", column_name="人次", widget=NativeWidget())
    materials = Field(attribute="materials", column_name="宣传资料（份）", widget=NativeWidget())
    unit = Field(attribute="unit__name", column_name="承办单位", widget=NativeWidget())
    note = Field(attribute="note", column_name="说明", widget=NativeWidget())

    class Meta:
        model = WorkRecord
        fields = ("on", "kind", "title", "sessions", "participants", "materials", "unit", "note")
        export_order = fields


class YearFigureResource(resources.ModelResource):
    """Columns of the year-figure ledger."""

    year = Field(attribute="year", column_name="年度", widget=NativeWidget())
    key = Field(attribute="key", column_name="指标", widget=NativeWidget())
    value = Field(attribute="value", column_name="数值", widget=NativeWidget())
    source = Field(attribute="source", column_name="数据来源", widget=NativeWidget())

    class Meta:
        model = YearFigure
        fields = ("year", "key", "value", "source")
        export_order = fields

    def dehydrate_key(self, figure: YearFigure) -> str:
        return figure.get_key_display()


RECORD_COLUMNS = {
    "on": "日期", "kind": "类别", "title": "名称", "sessions": "场次", "participants": "人次",
    "materials": "宣传资料（份）", "unit": "承办单位", "note": "说明",
}  # fmt: skip
FIGURE_COLUMNS = {"year": "年度", "key": "指标", "value": "数值", "source": "数据来源"}


def _headers(resource_class) -> list[str]:
    return resource_class().get_export_headers()


def _dataset(resource_class, queryset, title: str):
    dataset = resource_class().export(queryset)
    dataset.title = title
    return dataset


def _check(plan: ImportPlan, resource_class, data: bytes, filename: str, clean, key, column):
    """Read the file with the shared reader and check each row with `clean(number, raw, e)`."""
    table = open_ledger(data, filename, _headers(resource_class))
    check_rows(
        plan,
        table,
        lambda row, errors: clean(row.row, row.raw, errors),
        key=key,
        duplicate_column=column,
    )
    plan.finish(table)
    return plan


def _cell(fn, raw, column, errors, number):
    try:
        return fn(raw[column])
    except CellError as exc:
        errors.append(RowError(number, column, str(exc)))
        return None


def check_records(data: bytes, filename: str, *, user) -> ImportPlan:
    """Check a work-record ledger; write nothing. Raises LedgerFileError for an unreadable file."""
    plan = ImportPlan("records", filename)
    kinds = {normalise_header(k.name): k for k in WorkRecordKind.objects.all()}
    units = {normalise_header(u.name): u for u in Unit.objects.all()}
    own_units = set(user.units.values_list("pk", flat=True))
    existing = {(r.on, r.kind_id, r.title, r.unit_id): r for r in WorkRecord.objects.active()}

    def clean(number: int, raw: dict, errors: list[RowError]) -> RowPlan | None:
        on = _cell(cell_date, raw, "日期", errors, number)
        if on is None and not any(e.column == "日期" for e in errors):
            errors.append(RowError(number, "日期", "必填，不能为空。"))
        elif on is not None:
            try:
                check_date(WorkRecord, "on", on)
            except CellError as exc:
                errors.append(RowError(number, "日期", str(exc)))
                on = None
        kind = kinds.get(normalise_header(raw["类别"]))
        if kind is None:
            errors.append(
                RowError(
                    number,
                    "类别",
                    f"没有“{cell_text(raw['类别'])}”这个类别，可选：{'、'.join(k.name for k in kinds.values())}。",
                )
            )
        title = cell_text(raw["名称"])
        if not title:
            errors.append(RowError(number, "名称", "必填，不能为空。"))
        elif len(title) > 100:
            errors.append(RowError(number, "名称", "最多100个字。"))
        sessions = _cell(cell_int, raw, "场次", errors, number)
        participants = _cell(cell_int, raw, "人次", errors, number)
        materials = _cell(cell_int, raw, "宣传资料（份）", errors, number)
        unit = units.get(normalise_header(raw["承办单位"]))
        if unit is None:
            errors.append(
                RowError(number, "承办单位", f"没有“{cell_text(raw['承办单位'])}”这个单位。")
            )
        elif not user.has_perm("reports.view_all_records") and unit.pk not in own_units:
            errors.append(
                RowError(number, "承办单位", f"您不属于{unit.name}，不能导入该单位的工作记录。")
            )
        values = {
            "on": on,
            "kind": kind,
            "title": title,
            "sessions": 1 if sessions is None else sessions,
            "participants": participants,
            "materials": materials,
            "unit": unit,
            "note": cell_text(raw["说明"]),
        }
        check_fields(WorkRecord, values, errors, number, RECORD_COLUMNS)
        if errors:
            return None
        row = RowPlan(number, values, existing=existing.get((on, kind.pk, title, unit.pk)))
        if row.existing is not None:
            row.changed = bool(changed_fields(row.existing, values))
        return row

    def key(row: RowPlan):
        v = row.values
        return (v["on"], v["kind"].pk, v["title"], v["unit"].pk)

    return _check(plan, WorkRecordResource, data, filename, clean, key, "名称")


def check_figures(data: bytes, filename: str, *, user) -> ImportPlan:
    """Check a year-figure ledger; write nothing."""
    plan = ImportPlan("year_figures", filename)
    keys = choice_lookup(YearFigure.Key)
    existing = {(f.year, f.key): f for f in YearFigure.objects.all()}

    def clean(number: int, raw: dict, errors: list[RowError]) -> RowPlan | None:
        year = _cell(cell_int, raw, "年度", errors, number)
        if year is None and not errors:
            errors.append(RowError(number, "年度", "必填，不能为空。"))
        elif year is not None and not 2000 <= year <= 2100:
            errors.append(RowError(number, "年度", f"年度“{year}”不正确。"))
        key = keys.get(normalise_header(raw["指标"]))
        if key is None:
            errors.append(
                RowError(
                    number,
                    "指标",
                    f"没有“{cell_text(raw['指标'])}”这个指标，可选：{'、'.join(YearFigure.Key.labels)}。",
                )
            )
        text = cell_text(raw["数值"]).removesuffix("%")
        value = _cell(cell_amount, {"数值": text}, "数值", errors, number)
        if value is None and not any(e.column == "数值" for e in errors):
            errors.append(RowError(number, "数值", "必填，不能为空。"))
        if value is not None and key == YearFigure.Key.ON_TIME_RATE and value > 100:
            errors.append(RowError(number, "数值", "比率不能超过100%。"))
        values = {
            "year": year,
            "key": key,
            "value": None if value is None else Decimal(value).quantize(Decimal("0.1")),
            "source": cell_text(raw["数据来源"]),
        }
        check_fields(YearFigure, values, errors, number, FIGURE_COLUMNS)
        if errors:
            return None
        row = RowPlan(number, values, existing=existing.get((year, key)))
        if row.existing is not None:
            row.changed = bool(changed_fields(row.existing, values))
        return row

    return _check(
        plan,
        YearFigureResource,
        data,
        filename,
        clean,
        lambda r: (r.values["year"], r.values["key"]),
        "指标",
    )


def _write_records(plan: ImportPlan, *, by) -> None:
    """Write a checked work-record ledger through the service a form's save goes through."""
    services.work_records_import(
        [WorkRecord(**r.values) for r in plan.rows if r.existing is None],
        [(r.existing, r.values) for r in plan.rows if r.existing is not None and r.changed],
        by=by,
    )


def _write_figures(plan: ImportPlan, *, by) -> None:
    """Write a checked year-figure ledger through the service the year's form saves with."""
    services.year_figures_save(
        {
            (r.values["year"], r.values["key"]): (r.values["value"], r.values["source"])
            for r in plan.rows
            if r.existing is None or r.changed
        },
        by=by,
    )


def _import(check, write, data: bytes, filename: str, *, user, dry_run: bool = False):
    """Check and, when valid and not `dry_run`, write the whole file in one transaction."""
    with transaction.atomic():
        plan = check(data, filename, user=user)
        if plan.is_valid and not dry_run:
            write(plan, by=user)
    return plan


def _records_for(request):
    from reports.filters import WorkRecordFilter

    queryset = WorkRecord.objects.visible_to(request.user).select_related("kind", "unit")
    return _dataset(
        WorkRecordResource, WorkRecordFilter(request.GET, queryset=queryset).qs, "工作记录台账"
    )


def _records_all(*, year: int | None = None):
    queryset = WorkRecord.objects.select_related("kind", "unit")
    if year:
        queryset = queryset.filter(on__year=year)
    return _dataset(WorkRecordResource, queryset, "工作记录台账")


def _figures_all(*, year: int | None = None):
    queryset = YearFigure.objects.all()
    if year:
        queryset = queryset.filter(year=year)
    return _dataset(YearFigureResource, queryset, "年度指标")


def _figures_for(request):
    queryset = YearFigure.objects.all()
    if request.GET.get("year", "").isdigit():
        queryset = queryset.filter(year=int(request.GET["year"]))
    return _dataset(YearFigureResource, queryset, "年度指标")


def register() -> None:
    """Register the two ledgers; called from `ReportsConfig.ready`."""
    register_ledger(
        Ledger(
            kind="records",
            title="工作记录台账",
            area="工作记录",
            list_url_name="reports:record_list",
            view_perm="reports.view_workrecord",
            importer_perm="reports.add_workrecord",
            export=_records_all,
            export_for=_records_for,
            template=partial(
                _dataset, WorkRecordResource, WorkRecord.objects.none(), "工作记录台账"
            ),
            headers=partial(_headers, WorkRecordResource),
            check_file=check_records,
            import_file=partial(_import, check_records, _write_records),
            preview_columns=(
                ("日期", lambda r: r.values["on"]),
                ("类别", lambda r: r.values["kind"].name),
                ("名称", lambda r: r.values["title"]),
                ("场次", lambda r: r.values["sessions"]),
                ("承办单位", lambda r: r.values["unit"].name),
            ),
        )
    )
    register_ledger(
        Ledger(
            kind="year_figures",
            title="年度指标",
            area="工作记录",
            list_url_name="reports:yearfigure_list",
            view_perm="reports.view_yearfigure",
            importer_perm="reports.add_yearfigure",
            export=_figures_all,
            export_for=_figures_for,
            template=partial(_dataset, YearFigureResource, YearFigure.objects.none(), "年度指标"),
            headers=partial(_headers, YearFigureResource),
            check_file=check_figures,
            import_file=partial(_import, check_figures, _write_figures),
            preview_columns=(
                ("年度", lambda r: r.values["year"]),
                ("指标", lambda r: YearFigure.Key(r.values["key"]).label),
                ("数值", lambda r: r.values["value"]),
            ),
        )
    )


__all__ = ["register", "check_records", "check_figures", "LedgerFileError"]
