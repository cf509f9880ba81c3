"""The 行政复议应诉案件台账: export and import through the same services as the pages.

Columns are django-import-export fields with Chinese headers; the export's columns are the
import's columns, so a file round-trips. A row is matched on its 案号. An import checks the
whole file first, running every row through the services (`reconsideration.services`) inside
a savepoint that is rolled back, so the file is judged by exactly the rules the forms follow
(dates, order of steps, the entrusted staff member's reason, the appeal period ...), each
error named by row and column; nothing is written unless the whole file is valid. A row of a
case on file adds the steps recorded since; a step already on file is never overwritten
(更正 is the way to correct it), and importing the same file twice changes nothing.
"""

from __future__ import annotations

import datetime as dt
import re
from functools import partial

from django.core.exceptions import ValidationError
from django.db import transaction
from import_export import resources
from import_export.fields import Field

from disputes.services import PersonData
from miaoba.ledger import (
    CellError,
    Ledger,
    RowError,
    cell_date,
    cell_text,
    check_fields,
    check_rows,
    choice_lookup,
    normalise_header,
    open_ledger,
    register_ledger,
)
from miaoba.ledger_plan import ImportPlan, NativeWidget, RowPlan
from miaoba.models import Unit
from reconsideration import services as s
from reconsideration.flows import CASE
from reconsideration.models import Case

TITLE = "行政复议应诉案件台账"

# field → column header, in the ledger's order
COLUMNS = {
    "kind": "案件类型",
    "case_number": "案号",
    "body": "复议机关或人民法院",
    "received_on": "收到副本日期",
    "applicants": "申请人（原告）",
    "act": "被申请复议或被诉的行政行为",
    "act_kind": "行政行为类别",
    "act_number": "行政行为文号",
    "claims": "请求事项",
    "unit": "承办单位",
    "answered_on": "答复（答辩）日期",
    "answer_note": "答复（答辩）要点",
    "heard_on": "开庭（听证）日期",
    "appearance": "出庭（听证）人员身份",
    "appeared_name": "出庭（听证）人员",
    "entrust_reason": "负责人未能出庭的原因",
    "decided_on": "决定（判决）日期",
    "outcome": "结果",
    "served_on": "送达日期",
    "decision_note": "决定（判决）要点",
    "appealed_on": "上诉日期",
    "appellant": "上诉人",
    "corrected_on": "纠正日期",
    "correction_note": "纠正情况",
}
DATES = {"received_on", "answered_on", "heard_on", "decided_on", "served_on", "appealed_on",
         "corrected_on"}  # fmt: skip
CHOICES = {
    "kind": Case.Kind,
    "act_kind": Case.ActKind,
    "appearance": Case.Appearance,
    "outcome": Case.Outcome,
    "appellant": Case.Appellant,
}
# The service keyword of each step's fields (flows.py `args`, read from the row's values).
STEP_ORDER = ("answer", "hearing", "decide", "appeal", "correct")


class CaseResource(resources.ModelResource):
    """Columns of the ledger (one per `COLUMNS` entry)."""

    class Meta:
        model = Case
        fields = tuple(COLUMNS)
        export_order = fields

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        for name, header in COLUMNS.items():
            self.fields[name] = Field(attribute=name, column_name=header, widget=NativeWidget())

    def dehydrate_applicants(self, case: Case) -> str:
        return "、".join(link.person.name for link in case.applicant_links.all())

    def dehydrate_unit(self, case: Case) -> str:
        return case.unit.name

    def dehydrate_outcome(self, case: Case) -> str:
        return case.get_outcome_display() if case.outcome else ""

    def dehydrate_appearance(self, case: Case) -> str:
        return case.get_appearance_display() if case.appearance else ""

    def dehydrate_appellant(self, case: Case) -> str:
        return case.get_appellant_display() if case.appellant else ""


def headers() -> list[str]:
    return list(COLUMNS.values())


def export_dataset(queryset):
    """Return the ledger of `queryset` as a tablib Dataset (dates as dates)."""
    queryset = queryset.select_related("unit").prefetch_related("applicant_links__person")
    dataset = CaseResource().export(queryset)
    dataset.title = TITLE
    return dataset


def _read(number: int, raw: dict, errors: list[RowError], units: dict) -> dict:
    """Read a row's cells into field values; append a RowError for each cell that is wrong."""
    values: dict = {}
    for name, header in COLUMNS.items():
        cell = raw.get(header)
        if name in DATES:
            try:
                values[name] = cell_date(cell)
            except CellError as exc:
                errors.append(RowError(number, header, str(exc)))
                values[name] = None
        elif name in CHOICES:
            text = cell_text(cell)
            lookup = choice_lookup(CHOICES[name])
            values[name] = lookup.get(normalise_header(text), "") if text else ""
            if text and not values[name]:
                errors.append(RowError(number, header, f"“{text}”不正确，可选：{lookup.known}。"))
        elif name == "unit":
            text = cell_text(cell)
            values[name] = units.get(normalise_header(text))
            if values[name] is None:
                errors.append(RowError(number, header, f"没有“{text}”这个单位。"))
        elif name == "applicants":
            values[name] = [n for n in re.split(r"[、，,；;\s]+", cell_text(cell)) if n]
        else:
            values[name] = cell_text(cell)
    for name in ("kind", "case_number", "body", "received_on", "act", "act_kind"):
        if values[name] in (None, "") and not any(e.column == COLUMNS[name] for e in errors):
            errors.append(RowError(number, COLUMNS[name], "必填，不能为空。"))
    if not values["applicants"]:
        errors.append(RowError(number, COLUMNS["applicants"], "至少填写一名申请人（原告）。"))
    plain = {
        k: v for k, v in values.items() if k not in ("applicants", "unit") and v not in (None, "")
    }
    check_fields(Case, plain, errors, number, COLUMNS)
    return values


def _errors_of(exc: ValidationError, number: int, column: str) -> list[RowError]:
    """Turn a service's ValidationError into RowErrors: keyed messages under their column,
    others under `column` (the step's date)."""
    if hasattr(exc, "error_dict"):
        return [
            RowError(number, COLUMNS.get(key, column), message)
            for key, messages in exc.message_dict.items()
            for message in messages
        ]
    return [RowError(number, column, message) for message in exc.messages]


def _write(values: dict, existing: Case | None, *, user) -> Case:
    """Write one row through the services: register a new case, then record, in order, each
    step the row has and the case lacks. Raises ValidationError as the services do (the
    message of a step refused is keyed by that step's date field)."""
    if existing is None:
        case = s.case_register(
            by=user,
            kind=values["kind"],
            case_number=values["case_number"],
            body=values["body"],
            received_on=values["received_on"],
            act=values["act"],
            act_kind=values["act_kind"],
            act_number=values["act_number"],
            claims=values["claims"],
            unit=values["unit"],
            applicants=[PersonData(name=name) for name in values["applicants"]],
        )
    else:
        case = existing
    for name in STEP_ORDER:
        step = CASE[name]
        date_field = step.date_field
        if not values.get(date_field) or getattr(case, date_field):
            continue
        try:
            CASE.run(step, case, by=user, data=values)
        except ValidationError as exc:
            if hasattr(exc, "error_dict"):
                raise
            raise ValidationError({date_field: exc.messages}) from exc
    return case


def check_file(data: bytes, filename: str, *, user) -> ImportPlan:
    """Check a ledger file; write nothing (every row is tried through the services and rolled
    back). Raises LedgerFileError for a file that cannot be read as a ledger."""
    plan = ImportPlan("reconsideration", filename)
    table = open_ledger(data, filename, headers())
    units = {normalise_header(u.name): u for u in Unit.objects.all()}
    all_units = user.has_perm("reconsideration.view_all_reconsideration_cases")
    own_units = set(user.units.values_list("pk", flat=True))
    existing = {c.case_number: c for c in Case.objects.active().select_related("unit")}

    def clean(row, errors: list[RowError]) -> RowPlan | None:
        number = row.row
        values = _read(number, row.raw, errors, units)
        unit = values["unit"]
        if unit is not None and not all_units and unit.pk not in own_units:
            errors.append(
                RowError(number, COLUMNS["unit"], f"您不属于{unit.name}，不能导入该单位的案件。")
            )
        if errors:
            return None
        on_file = existing.get(values["case_number"])
        if on_file is not None:
            errors.extend(_differences(number, on_file, values))
            if errors:
                return None
        sid = transaction.savepoint()
        try:
            _write(values, on_file and Case.objects.get(pk=on_file.pk), user=user)
        except ValidationError as exc:
            errors.extend(_errors_of(exc, number, COLUMNS["received_on"]))
        finally:
            transaction.savepoint_rollback(sid)
        if errors:
            return None
        steps = [
            CASE[n].label
            for n in STEP_ORDER
            if values.get(CASE[n].date_field)
            and not (on_file and getattr(on_file, CASE[n].date_field))
        ]
        return RowPlan(
            number,
            values,
            number=values["case_number"],
            existing=on_file,
            changed=steps,
        )

    with transaction.atomic():
        check_rows(
            plan,
            table,
            clean,
            key=lambda r: r.values["case_number"],
            duplicate_column=COLUMNS["case_number"],
            noun="同一案件",
        )
    plan.finish(table)
    return plan


def _differences(number: int, case: Case, values: dict) -> list[RowError]:
    """Return an error for each value of the row that differs from what is on file: the
    case's facts and its recorded steps are corrected in the system (更正), not by import."""
    errors = []
    for name in ("kind", "body", "received_on", "act", "act_kind", "unit"):
        old = case.unit if name == "unit" else getattr(case, name)
        if old != values[name]:
            errors.append(
                RowError(
                    number,
                    COLUMNS[name],
                    f"与已登记的“{_shown(case, name)}”不一致；如需修改请在系统中更正。",
                )
            )
    given = {k: v for k, v in values.items() if v not in (None, "")}
    for step, name, _old, _new in CASE.overwrites(case, given):
        errors.append(
            RowError(
                number,
                COLUMNS[name],
                f"{step.label}已登记为“{_shown(case, name)}”，不能由台账改写；如有错误请在系统中更正。",
            )
        )
    return errors


def _shown(case: Case, name: str) -> str:
    value = getattr(case, name)
    if isinstance(value, dt.date):
        return value.isoformat()
    display = getattr(case, f"get_{name}_display", None)
    return str(display() if display and name != "kind" else value)


@transaction.atomic
def import_file(data: bytes, filename: str, *, user, dry_run: bool = False) -> ImportPlan:
    """Check the file and, when valid and not `dry_run`, write every row in one transaction."""
    plan = check_file(data, filename, user=user)
    if plan.is_valid and not dry_run:
        for row in plan.rows:
            existing = Case.objects.get(pk=row.existing.pk) if row.existing else None
            _write(row.values, existing, user=user)
    return plan


def _export_all(*, year: int | None = None):
    queryset = Case.objects.all()
    if year:
        queryset = queryset.received_in(year)
    return export_dataset(queryset)


def _export_for(request):
    from reconsideration.filters import CaseFilter

    queryset = CaseFilter(request.GET, queryset=Case.objects.visible_to(request.user)).qs
    return export_dataset(queryset)


def register() -> None:
    """Register the ledger; called from `ReconsiderationConfig.ready`."""
    register_ledger(
        Ledger(
            kind="reconsideration",
            title=TITLE,
            area="行政复议应诉",
            list_url_name="reconsideration:case_list",
            view_perm="reconsideration.view_case",
            importer_perm="reconsideration.add_case",
            export=_export_all,
            export_for=_export_for,
            template=partial(export_dataset, Case.objects.none()),
            headers=headers,
            check_file=check_file,
            import_file=import_file,
            preview_columns=(
                ("案号", lambda r: r.values["case_number"]),
                ("案件类型", lambda r: r.values["kind"]),
                ("收到副本日期", lambda r: r.values["received_on"]),
                ("申请人（原告）", lambda r: "、".join(r.values["applicants"])),
                ("将登记的环节", lambda r: "、".join(r.changed) if r.changed else "—"),
            ),
            personal_data="申请人（原告）姓名",
        )
    )
