"""The register of normative documents (规范性文件登记簿) and the review ledger (法律顾问审查台账).

Each ledger has one django-import-export `Resource` whose fields, in order, are its Chinese
column headers; the export writes exactly these columns and the import reads exactly these, so
an exported file imports back unchanged (`DOMAIN.md` §10).

The import does not use `Resource.import_data`: the whole file must be checked before anything
is written. `plan_import` reads and checks every row and returns an `ImportPlan` with every
error (Excel row number, column header, Chinese message) and what each valid row will do;
`apply_import` writes a valid plan in one transaction.

- Documents are matched by 发文字号, read in the variants real documents print
  (`normative_docs.parsers`); the register imports numbered documents only. The counters are
  raised to the highest serial imported, so registration continues after it.
- Reviews are matched by (审查类别, 审查事项, 法律顾问, 送审日期). 用时（工作日） is exported for
  reading and recomputed from the dates on import. 建议意见 holds one opinion a line (or
  separated by ；), 采纳情况 the marks aligned by position (是、否、待反馈).
"""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from typing import Any, ClassVar

from django.db import transaction
from import_export import resources

from miaoba.ledger import (
    CellError,
    RowError,
    cell_int,
    cell_text,
    changed_fields,
    check_date,
    check_fields,
    check_rows,
    choice_lookup,
    normalise_header,
    open_ledger,
)
from miaoba.ledger_plan import ImportPlan, RowPlan
from miaoba.ledger_plan import column as _col
from miaoba.models import Unit
from miaoba.workcalendar import WorkCalendar
from normative_docs import deadlines
from normative_docs.clocks import expiry_date, working_days_between
from normative_docs.models import (
    Advisor,
    Conclusion,
    Document,
    Issuer,
    LegalReview,
    document_number,
)
from normative_docs.parsers import doc_date, parse_number
from normative_docs.services import ImportedRow, documents_import, reviews_import

S = Document.Status
NUMBERED_STATUSES = {
    S.REGISTERED, S.PUBLISHED, S.FILED, S.AMENDED, S.REPEALED, S.EXPIRED, S.NOT_NORMATIVE,
    S.WITHDRAWN,
}  # fmt: skip
ENDED_STATUSES = {S.REPEALED, S.EXPIRED, S.NOT_NORMATIVE}
ADOPTION = {"是": True, "已采纳": True, "采纳": True, "否": False, "未采纳": False,
            "不采纳": False, "待反馈": None, "": None}  # fmt: skip
ADOPTION_LABEL = {True: "是", False: "否", None: "待反馈"}


class _Row:
    """One row being checked: reads cells by header and collects errors."""

    def __init__(self, number: int, raw: dict[str, Any], *, model=None, attributes=None):
        self.number = number
        self.raw = raw
        self.errors: list[RowError] = []
        self.model = model
        self.attributes = attributes or {}

    def error(self, column: str, message: str) -> None:
        self.errors.append(RowError(self.number, column, message))

    def text(self, column: str, *, required: bool = False, max_length: int | None = None) -> str:
        value = cell_text(self.raw[column])
        if required and not value:
            self.error(column, "必填，不能为空。")
        if max_length and len(value) > max_length:
            self.error(column, f"最多{max_length}个字，现有{len(value)}个字。")
        return value

    def date(self, column: str, *, required: bool = False) -> dt.date | None:
        try:
            value = doc_date(self.raw[column])
        except CellError as exc:
            self.error(column, str(exc))
            return None
        if value is None and required:
            self.error(column, "必填，不能为空。")
        if value is not None:
            try:
                check_date(self.model, self.attributes.get(column, ""), value)
            except CellError as exc:
                self.error(column, str(exc))
                return None
        return value

    def choice(self, column: str, lookup: dict[str, Any], *, required: bool = False):
        value = cell_text(self.raw[column])
        if not value:
            if required:
                self.error(column, "必填，不能为空。")
            return ""
        key = normalise_header(value)
        if key not in lookup:
            self.error(column, f"“{value}”不是可选的值。可选：{lookup.known}。")
            return ""
        return lookup[key]

    def integer(self, column: str) -> int | None:
        try:
            return cell_int(self.raw[column])
        except CellError as exc:
            self.error(column, str(exc))
            return None


def _lookup(choices, aliases: dict[str, str] | None = None):
    return choice_lookup(choices, aliases)


class _LedgerResource(resources.Resource):
    """What both ledgers share: headers, reading a file into rows, and the unit check."""

    kind: ClassVar[str]
    title: ClassVar[str]

    @classmethod
    def headers(cls) -> list[str]:
        """Return the ledger's column headers in order."""
        return cls().get_export_headers()

    def columns(self) -> dict[str, str]:
        """Return {model field: column header} for the columns backed by a field."""
        return {f.attribute: f.column_name for f in self.get_export_fields() if f.attribute}

    def plan(self, data: bytes, filename: str, *, user) -> ImportPlan:
        """Check a ledger file and return its plan; writes nothing. See the module docstring."""
        plan = ImportPlan(kind=self.kind, filename=filename)
        expected = self.headers()
        table = open_ledger(data, filename, expected)
        self.load_references()
        self.user_units = set(user.units.values_list("pk", flat=True))

        model = self.record_model
        attributes = {f.column_name: f.attribute for f in self.get_export_fields() if f.attribute}

        def clean(line, errors):
            row = _Row(line.row, line.raw, model=model, attributes=attributes)
            row_plan = self.clean_row(row, user=user)
            errors.extend(row.errors)
            return row_plan

        check_rows(plan, table, clean, key=self.row_key, duplicate_column=expected[0])
        plan.errors.extend(self.match_existing(plan.rows, user=user))
        plan.errors.extend(self.file_checks(plan.rows))
        return plan.finish(table)

    def match_existing(self, rows: list[RowPlan], *, user) -> list[RowError]:
        """Find the records on file the rows update, a few queries for the whole file; set
        each row's `existing` and `changed`; return the errors (a record of another unit)."""
        return []

    def file_checks(self, rows: list[RowPlan]) -> list[RowError]:
        return []

    @staticmethod
    def visible_ids(model, records, *, user) -> set[int]:
        """Return the ids among `records` that `user` may change (one query)."""
        return set(
            model.objects.visible_to(user)
            .filter(pk__in=[r.pk for r in records])
            .values_list("pk", flat=True)
        )

    def load_references(self) -> None:
        self.units = {normalise_header(u.name): u for u in Unit.objects.all()}

    def unit(self, row: _Row, column: str, *, user):
        name = row.text(column, required=True)
        if not name:
            return None
        unit = self.units.get(normalise_header(name))
        if unit is None:
            row.error(column, f"系统中没有名为“{name}”的单位，请核对名称或先由管理员添加。")
            return None
        if not user.is_superuser and unit.pk not in self.user_units:
            row.error(column, f"您不属于“{unit.name}”，不能导入该单位的记录。")
        return unit

    def apply(self, plan: ImportPlan, *, user) -> ImportPlan:
        """Write a valid plan in one transaction, through the app's batched service (`write`);
        raise ValueError for an invalid plan."""
        if not plan.is_valid:
            raise ValueError("cannot apply an import plan with errors")
        rows = [
            ImportedRow(
                values=r.values,
                note=self.note(r, plan.filename),
                existing=r.existing,
                extra=r.extra,
            )
            for r in plan.rows
            if r.existing is None or r.changed
        ]
        with transaction.atomic():
            self.write(rows, by=user)
        return plan

    def note(self, row_plan: RowPlan, filename: str) -> str:
        """Return the timeline's 导入 note of a row (which file and row, what it changed)."""
        return ""


# --- The register of normative documents ------------------------------------------------------


class DocumentResource(_LedgerResource):
    """The register (规范性文件登记簿): one row per numbered document, void numbers included."""

    kind = "documents"
    title = "规范性文件登记簿"
    record_model = Document

    number = _col("发文字号", "number")
    register_number = _col("登记号", "register_number")
    doc_title = _col("文件名称", "title")
    issuer = _col("制定机关", "issuer")
    drafting_unit = _col("起草单位", "drafting_unit")
    drafter = _col("起草人", "drafter")
    drafted_on = _col("起草日期", "drafted_on")
    reviewed_on = _col("合法性审核日期", "reviewed_on")
    reviewer = _col("审核机构（人）", "reviewer")
    review_conclusion = _col("审核结论", "review_conclusion")
    meeting_name = _col("集体讨论会议", "meeting_name")
    meeting_on = _col("集体讨论日期", "meeting_on")
    signed_by = _col("签发人", "signed_by")
    signed_on = _col("签发日期", "signed_on")
    registered_on = _col("登记日期", "registered_on")
    published_on = _col("印发日期", "published_on")
    effective_on = _col("施行日期", "effective_on")
    validity_years = _col("有效期（年）", "validity_years")
    expires_on = _col("有效期至", "expires_on")
    filed_on = _col("报备日期", "filed_on")
    filed_to = _col("报备机关", "filed_to")
    status = _col("状态", "status")
    ended_on = _col("失去效力或撤回日期", "ended_on")
    end_reason = _col("说明", "end_reason")

    ISSUERS = _lookup(Issuer.choices)
    # Labels in register order, and the plain words of a clean-up (清理) a clerk writes:
    # 继续有效 / 保留 / 有效 for a document in force, 失效 / 宣布失效, 废止, 修改 (DOMAIN.md §4).
    STATUSES = _lookup(
        [(s, S(s).label) for s in S.values if s in NUMBERED_STATUSES],
        {
            "有效": S.FILED, "已报备": S.FILED, "继续有效": S.FILED, "保留": S.FILED,
            "失效": S.EXPIRED, "宣布失效": S.EXPIRED, "废止": S.REPEALED, "修改": S.AMENDED,
            "作废": S.WITHDRAWN, "撤回": S.WITHDRAWN,
        },
    )  # fmt: skip
    CONCLUSIONS = _lookup(Conclusion.choices)

    def ledger_queryset(self, queryset):
        """Return `queryset` in register order (year, issuer, serial) with its units fetched."""
        return (
            queryset.exclude(number="")
            .select_related("drafting_unit")
            .order_by("year", "issuer", "serial")
        )

    def dehydrate_issuer(self, d):
        return d.get_issuer_display()

    def dehydrate_drafting_unit(self, d):
        return d.drafting_unit.name

    def dehydrate_status(self, d):
        return d.get_status_display()

    def clean_row(self, row: _Row, *, user) -> RowPlan | None:
        text = row.text("发文字号", required=True)
        parsed = None
        if text:
            try:
                parsed = parse_number(text, prefixes=tuple(Issuer.values))
            except ValueError as exc:
                row.error("发文字号", str(exc))
        reg_text = row.text("登记号")
        reg = None
        if reg_text:
            try:
                reg = parse_number(reg_text, prefixes=(deadlines.register_prefix(),))
            except ValueError as exc:
                row.error("登记号", str(exc).replace("文号", "登记号"))
        title = row.text("文件名称", required=True)
        issuer = row.choice("制定机关", self.ISSUERS)
        if parsed and issuer and issuer != parsed.prefix:
            row.error(
                "制定机关",
                f"制定机关“{Issuer(issuer).label}”与文号的机关代字“{parsed.prefix}”不一致。",
            )
        issuer = parsed.prefix if parsed else issuer
        unit = self.unit(row, "起草单位", user=user)
        values: dict[str, Any] = {
            "title": title,
            "issuer": issuer,
            "drafting_unit": unit,
            "drafter": row.text("起草人"),
            "drafted_on": row.date("起草日期"),
            "reviewed_on": row.date("合法性审核日期"),
            "reviewer": row.text("审核机构（人）"),
            "review_conclusion": row.choice("审核结论", self.CONCLUSIONS),
            "meeting_name": row.text("集体讨论会议"),
            "meeting_on": row.date("集体讨论日期"),
            "signed_by": row.text("签发人"),
            "signed_on": row.date("签发日期"),
            "registered_on": row.date("登记日期"),
            "published_on": row.date("印发日期"),
            "effective_on": row.date("施行日期"),
            "validity_years": row.integer("有效期（年）"),
            "expires_on": row.date("有效期至"),
            "filed_on": row.date("报备日期"),
            "filed_to": row.text("报备机关"),
            "ended_on": row.date("失去效力或撤回日期"),
            "end_reason": row.text("说明"),
        }
        status = row.choice("状态", self.STATUSES)
        if not status and cell_text(row.raw["状态"]) == "":
            status = S.FILED if values["filed_on"] else (
                S.PUBLISHED if values["published_on"] else S.REGISTERED
            )  # fmt: skip
        values["status"] = status
        self._check_flow(row, values, parsed)
        check_fields(Document, values, row.errors, row.number, self.columns())
        if row.errors or parsed is None:
            return None
        self._fill_defaults(values)
        values.update(year=parsed.year, serial=parsed.serial, number=str(parsed))
        if reg:
            values.update(
                register_year=reg.year, register_serial=reg.serial, register_number=str(reg)
            )
        else:
            values.update(register_year=None, register_serial=None, register_number="")
        return RowPlan(row=row.number, values=values)

    def match_existing(self, rows: list[RowPlan], *, user) -> list[RowError]:
        """Match rows to documents on file by 发文字号 (two queries for the whole file)."""
        numbers = [r.values["number"] for r in rows]
        found: dict[str, Document] = {}
        for start in range(0, len(numbers), 2000):
            found.update(
                (d.number, d)
                for d in Document.objects.filter(
                    number__in=numbers[start : start + 2000]
                ).select_related("drafting_unit")
            )
        visible = self.visible_ids(Document, found.values(), user=user)
        errors = []
        for r in rows:
            existing = found.get(r.values["number"])
            if existing is None:
                continue
            if existing.pk not in visible:
                errors.append(
                    RowError(r.row, "发文字号", f"{existing.number}由其他单位起草，您不能修改。")
                )
                continue
            r.existing = existing
            r.changed = bool(changed_fields(existing, r.values))
        return errors

    def _check_flow(self, row: _Row, v: dict, parsed) -> None:
        status = v["status"]
        if not status:
            return
        if (status in Document.IN_FORCE or status in ENDED_STATUSES) and not v["published_on"]:
            row.error("印发日期", f"状态为“{S(status).label}”的文件须填写印发日期。")
        if status == S.FILED and not v["filed_on"]:
            row.error("报备日期", "状态为“有效（已报备）”的文件须填写报备日期。")
        if status in ENDED_STATUSES and not v["ended_on"]:
            row.error("失去效力或撤回日期", f"状态为“{S(status).label}”的文件须填写失去效力日期。")
        order = [
            ("合法性审核日期", v["reviewed_on"]),
            ("集体讨论日期", v["meeting_on"]),
            ("签发日期", v["signed_on"]),
            ("登记日期", v["registered_on"]),
            ("印发日期", v["published_on"]),
            ("报备日期", v["filed_on"]),
        ]
        last_name, last = None, None
        for name, on in order:
            if on is None:
                continue
            if last is not None and on < last:
                row.error(name, f"{name}（{on:%Y-%m-%d}）早于{last_name}（{last:%Y-%m-%d}）。")
            last_name, last = name, on
        if parsed and v["registered_on"] and v["registered_on"].year != parsed.year:
            row.error(
                "登记日期",
                f"文号年度（{parsed.year}年）与登记日期（{v['registered_on'].year}年）不一致。",
            )
        if v["validity_years"] is not None and not 1 <= v["validity_years"] <= 10:
            row.error("有效期（年）", "有效期应为1至10年。")

    @staticmethod
    def _fill_defaults(v: dict) -> None:
        if v["published_on"] and not v["effective_on"]:
            v["effective_on"] = v["published_on"] + dt.timedelta(
                days=deadlines.effective_after_days()
            )
        if v["effective_on"] and not v["validity_years"]:
            v["validity_years"] = deadlines.validity_years(
                provisional=deadlines.is_provisional(v["title"])
            )
        if v["effective_on"] and not v["expires_on"]:
            v["expires_on"] = expiry_date(v["effective_on"], v["validity_years"])

    def file_checks(self, rows: list[RowPlan]) -> list[RowError]:
        """Refuse a 登记号 held by another document on file or given twice in the file."""
        errors = []
        wanted = {r.values["register_number"]: r for r in rows if r.values["register_number"]}
        taken = dict(
            Document.objects.filter(register_number__in=list(wanted)).values_list(
                "register_number", "number"
            )
        )
        seen: dict[str, int] = {}
        for r in rows:
            reg = r.values["register_number"]
            if not reg:
                continue
            if reg in taken and taken[reg] != r.values["number"]:
                errors.append(RowError(r.row, "登记号", f"登记号{reg}已登记给{taken[reg]}。"))
            if reg in seen:
                errors.append(RowError(r.row, "登记号", f"登记号{reg}与第{seen[reg]}行重复。"))
            seen.setdefault(reg, r.row)
        return errors

    def note(self, row_plan: RowPlan, filename: str) -> str:
        if row_plan.existing is None:
            return f"从登记簿“{filename}”第{row_plan.row}行导入"
        changed = [
            str(Document._meta.get_field(k).verbose_name)
            for k in changed_fields(row_plan.existing, row_plan.values)
        ]
        return f"按登记簿“{filename}”第{row_plan.row}行更新：" + "、".join(changed)

    @staticmethod
    def write(rows: list[ImportedRow], *, by) -> None:
        documents_import(rows, by=by)

    @staticmethod
    def row_key(row_plan: RowPlan):
        return row_plan.values["number"]


# --- The review ledger ---------------------------------------------------------------------------


def split_opinions(text: str) -> list[str]:
    """Split a 建议意见 cell into opinions: one a line, or separated by ；; numbering dropped."""
    parts = re.split(r"[\n；;]+", text or "")
    out = []
    for part in parts:
        part = re.sub(r"^\s*(\d+|[一二三四五六七八九十]+)[.、．)）]\s*", "", part).strip()
        if part:
            out.append(part)
    return out


class ReviewResource(_LedgerResource):
    """The review ledger (法律顾问审查台账): one row per review with its opinions."""

    kind = "reviews"
    title = "法律顾问审查台账"
    record_model = LegalReview

    review_kind = _col("审查类别", "kind")
    review_title = _col("审查事项", "title")
    document = _col("关联发文字号", "document")
    unit = _col("送审单位", "unit")
    advisor = _col("法律顾问", "advisor")
    submitted_on = _col("送审日期", "submitted_on")
    completed_on = _col("完成日期", "completed_on")
    working_days = _col("用时（工作日）", "working_days")
    conclusion = _col("审查结论", "conclusion")
    summary = _col("审查意见", "summary")
    opinions = _col("建议意见")
    adoption = _col("采纳情况")

    KINDS = _lookup(LegalReview.Kind.choices)
    CONCLUSIONS = _lookup(Conclusion.choices)

    def ledger_queryset(self, queryset):
        """Return `queryset` by date sent, with advisor, unit, document and opinions fetched."""
        return (
            queryset.select_related("advisor", "unit", "document")
            .prefetch_related("opinions")
            .order_by("submitted_on", "id")
        )

    def dehydrate_document(self, r):
        return r.document.number if r.document_id and r.document.number else ""

    def dehydrate_unit(self, r):
        return r.unit.name

    def dehydrate_advisor(self, r):
        return r.advisor.name

    def dehydrate_opinions(self, r):
        return "\n".join(f"{i}. {o.text}" for i, o in enumerate(r.opinions.all(), start=1))

    def dehydrate_adoption(self, r):
        return "、".join(ADOPTION_LABEL[o.adopted] for o in r.opinions.all())

    def load_references(self) -> None:
        super().load_references()
        self.advisors: dict[str, list[Advisor]] = defaultdict(list)
        for a in Advisor.objects.all():
            self.advisors[normalise_header(a.name)].append(a)
        self.calendar = WorkCalendar.load()

    def clean_row(self, row: _Row, *, user) -> RowPlan | None:
        kind = row.choice("审查类别", self.KINDS, required=True)
        title = row.text("审查事项", required=True)
        unit = self.unit(row, "送审单位", user=user)
        name = row.text("法律顾问", required=True)
        advisor = None
        if name:
            found = self.advisors.get(normalise_header(name), [])
            if not found:
                row.error("法律顾问", f"系统中没有名为“{name}”的法律顾问，请先在“法律顾问”中登记。")
            elif len(found) > 1:
                row.error("法律顾问", f"有{len(found)}位名为“{name}”的法律顾问，请先更正重名。")
            else:
                advisor = found[0]
        submitted_on = row.date("送审日期", required=True)
        completed_on = row.date("完成日期")
        if submitted_on and completed_on and completed_on < submitted_on:
            row.error("完成日期", "完成日期不能早于送审日期。")
        conclusion = row.choice("审查结论", self.CONCLUSIONS)
        if completed_on and not conclusion:
            row.error("审查结论", "已填写完成日期的，须填写审查结论。")
        if conclusion and not completed_on:
            row.error("完成日期", "已填写审查结论的，须填写完成日期。")
        document = None
        doc_text = row.text("关联发文字号")
        if doc_text:
            try:
                parsed = parse_number(doc_text, prefixes=tuple(Issuer.values))
            except ValueError as exc:
                row.error("关联发文字号", str(exc))
            else:
                # Found on file with the file's other numbers (`match_existing`).
                doc_text = str(parsed)
                if kind and kind != LegalReview.Kind.DOCUMENT:
                    row.error("审查类别", "关联了规范性文件的，审查类别应为“规范性文件”。")
        opinions = split_opinions(cell_text(row.raw["建议意见"]))
        marks_text = cell_text(row.raw["采纳情况"])
        marks: list[bool | None] = [None] * len(opinions)
        if marks_text:
            items = [m.strip() for m in re.split(r"[、,，;；/\s]+", marks_text) if m.strip()]
            if len(items) != len(opinions):
                row.error(
                    "采纳情况",
                    f"共有{len(opinions)}条建议意见，采纳情况却有{len(items)}项。请用“、”分隔，"
                    "与建议意见一一对应（是、否或待反馈）。",
                )
            else:
                for i, item in enumerate(items):
                    if item not in ADOPTION:
                        row.error("采纳情况", f"“{item}”应为是、否或待反馈。")
                    else:
                        marks[i] = ADOPTION[item]
        values = {
            "kind": kind,
            "title": title,
            "unit": unit,
            "advisor": advisor,
            "document": document,
            "submitted_on": submitted_on,
            "completed_on": completed_on,
            "working_days": (
                working_days_between(submitted_on, completed_on, self.calendar)
                if completed_on
                else None
            ),
            "conclusion": conclusion,
            "summary": row.text("审查意见"),
        }
        check_fields(LegalReview, values, row.errors, row.number, self.columns())
        if row.errors:
            return None
        return RowPlan(
            row=row.number,
            values=values,
            extra={"opinions": list(zip(opinions, marks, strict=True)), "document": doc_text},
        )

    def match_existing(self, rows: list[RowPlan], *, user) -> list[RowError]:
        """Find each row's 关联发文字号 and the review it updates, by (审查类别, 审查事项, 法律顾问,
        送审日期): a few queries for the whole file, whatever its length."""
        errors = []
        numbers = sorted({r.extra["document"] for r in rows if r.extra["document"]})
        documents: dict[str, Document] = {}
        for start in range(0, len(numbers), 2000):
            documents.update(
                (d.number, d)
                for d in Document.objects.filter(number__in=numbers[start : start + 2000])
            )
        titles = sorted({r.values["title"] for r in rows})
        on_file: dict[tuple, LegalReview] = {}
        for start in range(0, len(titles), 2000):
            for review in (
                LegalReview.objects.filter(title__in=titles[start : start + 2000])
                .select_related("document")
                .prefetch_related("opinions")
                .order_by("pk")
            ):
                key = (review.kind, review.title, review.advisor_id, review.submitted_on)
                on_file.setdefault(key, review)
        visible = self.visible_ids(LegalReview, on_file.values(), user=user)
        for r in rows:
            v, number = r.values, r.extra["document"]
            if number:
                v["document"] = documents.get(number)
                if v["document"] is None:
                    errors.append(
                        RowError(
                            r.row,
                            "关联发文字号",
                            f"登记簿中没有文号为{number}的文件，请先导入登记簿。",
                        )
                    )
                    continue
            existing = on_file.get((v["kind"], v["title"], v["advisor"].pk, v["submitted_on"]))
            if existing is None:
                continue
            if existing.pk not in visible:
                errors.append(RowError(r.row, "审查事项", "该审查由其他单位送审，您不能修改。"))
                continue
            r.existing = existing
            linked = existing.document
            if not number and linked is not None and not linked.number:
                # The ledger names a document by its 文号; one still in drafting has none, so a
                # blank cell keeps the link the review has (the export wrote it blank).
                v["document"] = linked
            old = [(o.text, o.adopted) for o in existing.opinions.all()]
            r.changed = old != r.extra["opinions"] or bool(changed_fields(existing, v))
        return errors

    @staticmethod
    def row_key(row_plan: RowPlan):
        v = row_plan.values
        return (v["kind"], v["title"], v["advisor"].pk, v["submitted_on"])

    @staticmethod
    def write(rows: list[ImportedRow], *, by) -> None:
        reviews_import(rows, by=by)


RESOURCES: dict[str, type[_LedgerResource]] = {
    "documents": DocumentResource,
    "reviews": ReviewResource,
}
TITLES = {kind: resource.title for kind, resource in RESOURCES.items()}


def plan_import(kind: str, data: bytes, filename: str, *, user) -> ImportPlan:
    """Check a ledger file of `kind` ("documents"/"reviews"); write nothing.

    Raises LedgerFileError when the file cannot be read at all; row errors are in the plan.
    """
    return RESOURCES[kind]().plan(data, filename, user=user)


def import_ledger(
    kind: str, data: bytes, filename: str, *, user, dry_run: bool = False
) -> ImportPlan:
    """Check and, when the whole file is valid and not `dry_run`, write a ledger file.

    Checking and writing happen in one transaction, so the file is checked against the data
    it is written onto. Returns the plan; `plan.errors` lists every problem when invalid.
    """
    with transaction.atomic():
        plan = plan_import(kind, data, filename, user=user)
        if plan.is_valid and not dry_run:
            RESOURCES[kind]().apply(plan, user=user)
    return plan


def export_dataset(kind: str, queryset=None):
    """Return the ledger of `queryset` (None: only the headers) as a tablib Dataset.

    Values are native: dates as `datetime.date`, counts as int.
    """
    resource = RESOURCES[kind]()
    model = Document if kind == "documents" else LegalReview
    if queryset is None:
        queryset = model.objects.none()
    dataset = resource.export(resource.ledger_queryset(queryset))
    dataset.title = TITLES[kind]
    return dataset


__all__ = ["document_number", "export_dataset", "import_ledger", "plan_import", "split_opinions"]
