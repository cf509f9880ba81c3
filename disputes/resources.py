"""The ledgers (台账) of petitions and disputes: export to and import from xlsx and csv.

Each register has one django-import-export `Resource` whose fields, in order, are the ledger's
Chinese column headers. The export writes exactly these columns and the import reads exactly
these columns, so an exported file imports back unchanged (`DOMAIN.md` §10).

The import does not use `Resource.import_data`: a ledger row carries several people in aligned
columns, a state that must agree with its dates, and a number that may need allocating, and the
whole file must be checked before anything is written. So the import runs in two steps:

- `plan_import(kind, data, filename, user=...)` reads the file and checks every row, returning an
  `ImportPlan` with every error (row number as Excel shows it, column header, Chinese message)
  and, for a valid file, what each row will create or update. It writes nothing.
- `apply_import(plan, user=...)` writes a valid plan in one transaction.

Rows are matched to existing records by 编号; a row without 编号 is matched by (登记日期, first
person's name, 主要内容), so importing the same file twice creates nothing new.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any, ClassVar

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max, Prefetch
from import_export import resources

from disputes.deadlines import COURT_WINDOW_DAYS, MAX_EXTENSION_DAYS
from disputes.flows import DISPUTE, PETITION
from disputes.models import (
    Category,
    Dispute,
    Event,
    Party,
    Person,
    Petition,
    Petitioner,
    as_entered,
    mask_id_number,
    mask_phone,
)
from disputes.services import (
    DISPUTE_PREFIX,
    ID_TAKEN,
    PETITION_PREFIX,
    REDIRECT_REQUIRED,
    ImportedCase,
    PersonData,
    case_number,
    cases_import,
    people_resolve_many,
    same_name,
)
from disputes.validators import validate_id_number, validate_phone
from miaoba.cleaning import name_key, normalise_id_number, normalise_phone
from miaoba.ledger import (
    SEPARATOR,
    YES_NO,
    CellError,
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
    field_problems,
    is_number,
    normalise_header,
    open_ledger,
    split_aligned,
)
from miaoba.ledger_plan import ImportPlan, RowPlan
from miaoba.ledger_plan import column as _col
from miaoba.models import Unit, Village
from miaoba.workcalendar import WorkCalendar
from miaoba.workflow import raise_serial, today

KINDS = ("petitions", "disputes")
NUMERIC_ID_MESSAGE = (
    "身份证号是数字格式的单元格（如 5.00101199001011E+17），Excel 只保留15位有效数字，"
    "后几位已经丢失，无法还原。请把该列的单元格格式设置为“文本”，重新录入身份证号后再导入。"
)


@dataclass
class CaseRowPlan(RowPlan):
    """A petition or dispute row: the shared `RowPlan` plus its people.

    `people` is a list of (PersonData, side), side "" for petitioners.
    """

    people: list[tuple[PersonData, str]] = field(default_factory=list)

    @property
    def people_text(self) -> str:
        return SEPARATOR.join(p.name for p, _ in self.people)


def cell_id_numbers(value: Any, count: int) -> list[str]:
    """Return the ID numbers of `count` people; a number cell is refused (digits lost)."""
    if is_number(value):
        raise CellError(NUMERIC_ID_MESSAGE)
    items = [normalise_id_number(i) for i in split_aligned(value, count, separators="、,，;；/")]
    for item in items:
        try:
            validate_id_number(item)
        except ValidationError as exc:
            raise CellError(f"身份证号“{item}”有误：{exc.messages[0]}") from None
    return items


def cell_phones(value: Any, count: int) -> list[str]:
    """Return the phone numbers of `count` people; an integer-valued number cell is fine."""
    if isinstance(value, float) and not value.is_integer():
        raise CellError("联系电话是带小数的数字单元格，请把该列设置为“文本”格式后重新录入。")
    # Not split at spaces: "+86 138 0013 8000" is one number (miaoba.cleaning.normalise_phone).
    items = [normalise_phone(i) for i in split_aligned(value, count, separators="、,，;；/")]
    for item in items:
        try:
            validate_phone(item)
        except ValidationError as exc:
            raise CellError(f"“{item}”：{exc.messages[0]}") from None
    return items


class CaseResource(resources.Resource):
    """What the petition and dispute ledgers share: reading, checking and saving rows.

    A subclass names its model and columns and provides `ledger_queryset(queryset)`,
    `clean_row(number, raw, errors, user=)`, `_links(case)`, `_save_people(case, people,
    previous)`; its workflow (`flow`) gives the steps a row implies.
    """

    model: ClassVar[type[Petition] | type[Dispute]]
    kind: ClassVar[str]
    flow: ClassVar
    people_relation: ClassVar[str]
    register: ClassVar[str]
    prefix: ClassVar[str]
    noun: ClassVar[str]
    people_column: ClassVar[str]
    required_columns: ClassVar[tuple[str, ...]]
    status_lookup: ClassVar[dict[str, str]]

    def __init__(self, *, show_personal_data: bool = True, **kwargs):
        super().__init__(**kwargs)
        self.show_personal_data = show_personal_data

    # --- export --------------------------------------------------------------------------

    @classmethod
    def headers(cls) -> list[str]:
        """Return the ledger's column headers in order."""
        return cls().get_export_headers()

    def _id(self, value: str) -> str:
        return value if self.show_personal_data else mask_id_number(value)

    def _phone(self, value: str) -> str:
        return value if self.show_personal_data else mask_phone(value)

    @staticmethod
    def _name(obj) -> str | None:
        return obj.name if obj is not None else None

    def dehydrate_is_repeat(self, case) -> str:
        return "是" if case.is_repeat else "否"

    def dehydrate_status(self, case) -> str:
        return case.get_status_display()

    # --- import --------------------------------------------------------------------------

    def plan(self, data: bytes, filename: str, *, user) -> ImportPlan:
        """Check a ledger file and return its plan; writes nothing. See module docstring."""
        plan = ImportPlan(kind=self.kind, filename=filename)
        expected = self.headers()
        table = open_ledger(data, filename, expected, aliases={"重复件（是/否）": "重复件"})
        self._user = user
        self._load_references()
        check_rows(
            plan,
            table,
            lambda row, errors: self.clean_row(row.row, row.raw, errors, user=user),
            key=lambda row_plan: row_plan.number or self._natural_key(row_plan),
            duplicate_column="编号",
            noun="同一件",
        )
        self._match_existing(plan, user=user)
        plan.errors.extend(self._id_name_conflicts(plan.rows))
        return plan.finish(table)

    def _id_name_conflicts(self, rows: list[CaseRowPlan]) -> list[RowError]:
        """Refuse an ID number given with another name than on file or on an earlier row.

        One query for the whole file. Without this an import would attach the case to the
        person already holding that ID, under their name, and change their record.
        """
        by_id: dict[str, tuple[str, int]] = {}
        for row_plan in rows:
            for data, _side in row_plan.people:
                if data.id_number and data.id_number not in by_id:
                    by_id[data.id_number] = (data.name, row_plan.row)
        known = dict(
            Person.objects.filter(id_number__in=list(by_id)).values_list("id_number", "name")
        )
        errors = []
        for row_plan in rows:
            for data, _side in row_plan.people:
                if not data.id_number:
                    continue
                masked = mask_id_number(data.id_number)
                on_file = known.get(data.id_number)
                first_name, first_row = by_id[data.id_number]
                if on_file is not None and not same_name(on_file, data.name):
                    # Not the name on file: that is another unit's (services.ID_TAKEN).
                    message = f"身份证号{masked}：{ID_TAKEN}"
                elif not same_name(first_name, data.name):
                    message = f"身份证号{masked}在第{first_row}行的姓名是“{first_name}”，与本行姓名“{data.name}”不一致。"
                else:
                    continue
                errors.append(RowError(row_plan.row, "身份证号", message))
        return errors

    def _load_references(self) -> None:
        self.villages = {normalise_header(v.name): v for v in Village.objects.all()}
        self.units = {normalise_header(u.name): u for u in Unit.objects.all()}
        self.categories = {normalise_header(c.name): c for c in Category.objects.all()}
        self.calendar = WorkCalendar.load()
        self._today = today()
        self.user_units = set(self._user.units.values_list("pk", flat=True))

    @staticmethod
    def _natural_key(row_plan: CaseRowPlan) -> str:
        first = row_plan.people[0][0].name if row_plan.people else ""
        return f"{row_plan.values['received_on']}|{first}|{row_plan.values['summary']}"

    def _choice(
        self,
        raw,
        column: str,
        lookup: dict[str, str],
        errors: list[RowError],
        number: int,
        *,
        required: bool = False,
    ) -> str:
        text = cell_text(raw[column])
        if not text:
            if required:
                errors.append(RowError(number, column, "必填，不能为空。"))
            return ""
        value = lookup.get(normalise_header(text))
        if value is None:
            errors.append(RowError(number, column, f"“{text}”不是可选的值。可选：{lookup.known}。"))
            return ""
        return value

    def _reference(
        self, raw, column: str, table: dict, errors, number: int, *, required: bool, what: str
    ):
        text = cell_text(raw[column])
        if not text:
            if required:
                errors.append(RowError(number, column, "必填，不能为空。"))
            return None
        obj = table.get(normalise_header(text))
        if obj is None:
            errors.append(
                RowError(
                    number, column, f"系统中没有名为“{text}”的{what}，请核对名称或先由管理员添加。"
                )
            )
        return obj

    def _text(
        self, raw, column: str, errors, number: int, *, required=False, max_length=None
    ) -> str:
        text = cell_text(raw[column])
        if required and not text:
            errors.append(RowError(number, column, "必填，不能为空。"))
        if max_length and len(text) > max_length:
            errors.append(RowError(number, column, f"最多{max_length}个字，现有{len(text)}个字。"))
        return text

    def _date(self, raw, column: str, errors, number: int, *, required=False) -> dt.date | None:
        try:
            value = cell_date(raw[column])
        except CellError as exc:
            errors.append(RowError(number, column, str(exc)))
            return None
        if value is None and required:
            errors.append(RowError(number, column, "必填，不能为空。"))
        if value is not None:
            try:
                check_date(self.model, self._attribute(column), value, today=self._today)
            except CellError as exc:
                errors.append(RowError(number, column, str(exc)))
                return None
        return value

    def _attribute(self, column: str) -> str:
        """Return the model field behind a column ("回访日期" → "followed_up_on")."""
        if not hasattr(self, "_attributes"):
            self._attributes = {
                f.column_name: f.attribute for f in self.get_export_fields() if f.attribute
            }
        return self._attributes.get(column, "")

    def _cell(self, fn, raw, column: str, errors, number: int, *args):
        try:
            return fn(raw[column], *args)
        except CellError as exc:
            errors.append(RowError(number, column, str(exc)))
            return None

    def _number(self, raw, errors, number: int, received_on: dt.date | None):
        """Return (number, year, serial) of the row's 编号, or ("", None, None) when blank."""
        text = cell_text(raw["编号"]).replace("[", "〔").replace("]", "〕")
        if not text:
            return "", None, None
        match = re.fullmatch(rf"{self.prefix}〔(\d{{4}})〕0*(\d+)号", text)
        if not match:
            errors.append(
                RowError(
                    number,
                    "编号",
                    f"编号“{text}”格式不正确，应为{case_number(self.prefix, 2020, 12)}这样的格式；"
                    "新登记的可留空，导入时自动编号。",
                )
            )
            return "", None, None
        year, serial = int(match.group(1)), int(match.group(2))
        if received_on and year != received_on.year:
            errors.append(
                RowError(
                    number,
                    "编号",
                    f"编号年度（{year}年）与登记日期（{received_on.year}年）不一致。",
                )
            )
        return case_number(self.prefix, year, serial), year, serial

    def _match_existing(self, plan: ImportPlan, *, user) -> None:
        """Find the records the rows update, a few queries for the whole file.

        By 编号; a row without one by (登记日期, 主要内容, first person's name, spaces ignored).
        Sets each row's `existing`, `number` and `changed`; refuses a record of another unit,
        and two rows that turn out to be one record.
        """
        links = self.people_relation
        cases = self.model.objects.prefetch_related(
            Prefetch(links, queryset=self._link_model.objects.select_related("person"))
        )
        numbers = [r.number for r in plan.rows if r.number]
        by_number = {}
        for chunk in _chunks(numbers, 2000):
            by_number.update({c.number: c for c in cases.filter(number__in=chunk)})
        by_key: dict[tuple, Any] = {}
        unnumbered = [r for r in plan.rows if not r.number]
        for chunk in _chunks(unnumbered, 2000):
            # Only the cases sharing a row's date AND content are candidates: on a county's
            # register many cases share a date, few share date and content.
            dates = {r.values["received_on"] for r in chunk}
            summaries = {r.values["summary"] for r in chunk}
            candidates = cases.filter(received_on__in=dates, summary__in=summaries)
            for case in candidates.order_by("pk"):
                people = self._ordered_links(case)
                first = name_key(people[0].person.name) if people else ""
                by_key.setdefault((case.received_on, case.summary, first), case)
        seen: dict[int, int] = {}
        for row_plan in plan.rows:
            if row_plan.number:
                existing = by_number.get(row_plan.number)
            else:
                first = name_key(row_plan.people[0][0].name) if row_plan.people else ""
                key = (row_plan.values["received_on"], row_plan.values["summary"], first)
                existing = by_key.get(key)
            if existing is None:
                continue
            if existing.pk in seen:
                plan.errors.append(
                    RowError(
                        row_plan.row, "编号", f"与第{seen[existing.pk]}行是同一件，请删除重复的行。"
                    )
                )
                continue
            seen[existing.pk] = row_plan.row
            row_plan.existing = existing
            row_plan.number = existing.number
            row_plan.changed = self._differs(existing, row_plan.values, row_plan.people)
            if not user.is_superuser and existing.unit_id not in self.user_units:
                plan.errors.append(
                    RowError(row_plan.row, "编号", f"{existing.number}由其他单位承办，您不能修改。")
                )
            elif row_plan.changed:
                plan.errors.extend(self._overwritten_steps(row_plan, existing))

    def _overwritten_steps(self, row_plan: CaseRowPlan, existing) -> list[RowError]:
        """Refuse a row that would write over a step recorded on `existing` (issue 17).

        A step on file is recorded once; a wrong entry is corrected through 更正 with a reason,
        in the history (DOMAIN.md §2). A blank step is filled; one with the same value is kept.
        """
        columns = {f.attribute: f.column_name for f in self.fields.values() if f.attribute}
        errors = []
        for step, name, old, _new in self.flow.overwrites(existing, row_plan.values):
            shown = old.strftime("%Y-%m-%d") if isinstance(old, dt.date) else str(old)
            errors.append(
                RowError(
                    row_plan.row,
                    columns.get(name, name),
                    f"{existing.number}的“{step.label}”已登记（{shown}），导入不能改写已登记的"
                    "办理环节；如有错误请在该件页面“更正”并写明理由。",
                )
            )
        return errors

    def _ordered_links(self, case) -> list:
        return sorted(
            getattr(case, self.people_relation).all(), key=lambda link: (link.order, link.pk)
        )

    def _check_unit(self, unit, errors, number: int, *, user) -> None:
        """Refuse a unit the importing user does not belong to (superusers may import any)."""
        if unit is None or user.is_superuser:
            return
        if unit.pk not in self.user_units:
            errors.append(
                RowError(
                    number, "承办单位", f"您不属于“{unit.name}”，不能导入该单位的{self.noun}。"
                )
            )

    def _finish_row(self, number, parsed_number, values, people, errors, *, user):
        """Run the last checks of a row; None if it failed (existing records: `_match_existing`)."""
        number_text, _year, _serial = parsed_number
        row_plan = CaseRowPlan(row=number, number=number_text, values=values, people=people)
        self._model_check(row_plan, errors)
        return None if errors else row_plan

    def _model_check(self, row_plan: CaseRowPlan, errors) -> None:
        """Check each value against its model field (`miaoba.ledger.check_fields`), by column.

        Lengths, integer ranges, digits and choices come from the model, the same on SQLite
        and PostgreSQL, so a row that passes here is written; no query is run.
        """
        if not hasattr(self, "_columns"):
            self._columns = {
                f.attribute: f.column_name for f in self.get_export_fields() if f.attribute
            }
        check_fields(self.model, row_plan.values, errors, row_plan.row, self._columns)

    def _verbose(self, name: str) -> str:
        try:
            return str(self.model._meta.get_field(name).verbose_name)
        except Exception:
            return "编号"

    @staticmethod
    def _person_tuple(link) -> tuple:
        """What the ledger shows of a person on a case: the details as entered on it."""
        return (link.person.name, link.gender, link.id_number, link.phone, link.address)

    @staticmethod
    def _data_tuple(data: PersonData) -> tuple:
        return (data.name, data.gender, data.id_number, data.phone, data.address)

    def _differs(self, existing, values: dict, people) -> bool:
        if changed_fields(existing, values):
            return True
        links = self._ordered_links(existing)
        if len(links) != len(people):
            return True
        for link, (data, side) in zip(links, people, strict=True):
            if side and link.side != side:
                return True
            if not self._same_person(link, data):
                return True
        return False

    def _same_person(self, link, data: PersonData) -> bool:
        return (
            all(
                got == want or not want
                for got, want in zip(self._person_tuple(link), self._data_tuple(data), strict=True)
            )
            and link.person.name == data.name
        )

    # --- saving -------------------------------------------------------------------------

    def apply(self, plan: ImportPlan, *, user) -> ImportPlan:
        """Write a valid plan in one transaction; raise ValueError for an invalid one."""
        if not plan.is_valid:
            raise ValueError("cannot apply an import plan with errors")
        self._user = user
        with transaction.atomic():
            self._raise_sequences(plan)
            new = [r for r in plan.rows if r.existing is None]
            # New records go through the batched service, as the forms go through theirs:
            # numbers in a block, people together, one insert each (disputes.services).
            cases = cases_import(
                self.model,
                [
                    ImportedCase(
                        values=r.values,
                        people=r.people,
                        number=_parse_number(self.prefix, r.number) if r.number else None,
                        note=f"从台账“{plan.filename}”第{r.row}行导入",
                    )
                    for r in new
                ],
                by=user,
            )
            for row_plan, case in zip(new, cases, strict=True):
                row_plan.number = case.number
            for row_plan in plan.rows:
                if row_plan.existing is not None and row_plan.changed:
                    self._update(row_plan, user=user, filename=plan.filename)
        return plan

    def _raise_sequences(self, plan: ImportPlan) -> None:
        """Make each year's counter at least the highest serial written, in the file or the DB."""
        highest: dict[int, int] = defaultdict(int)
        for row_plan in plan.rows:
            if row_plan.number and row_plan.existing is None:
                year, serial = _parse_number(self.prefix, row_plan.number)
                highest[year] = max(highest[year], serial)
        for year, serial in highest.items():
            in_db = self.model.objects.filter(year=year).aggregate(m=Max("serial"))["m"] or 0
            raise_serial(self.register, year, max(serial, in_db))

    def _update(self, row_plan: CaseRowPlan, *, user, filename: str):
        case = row_plan.existing
        changed = [self._verbose(name) for name in changed_fields(case, row_plan.values)]
        for name, value in row_plan.values.items():
            setattr(case, name, value)
        case._history_user = user  # the 修改记录 names the importing clerk, web or command
        case.save()
        old_people = [link.person for link in self._links(case).select_related("person")]
        if self._people_differ(case, row_plan.people):
            self._links(case).delete()
            self._save_people(case, row_plan.people, old_people)
            changed.append(self.people_column)
        note = f"按台账“{filename}”第{row_plan.row}行更新"
        if changed:
            note += "：" + "、".join(dict.fromkeys(changed))
        self._event(case, "导入", today(), user, note)
        return case

    def _people_differ(self, case, people) -> bool:
        links = list(self._links(case).select_related("person"))
        if len(links) != len(people):
            return True
        return any(
            (side and link.side != side) or not self._same_person(link, data)
            for link, (data, side) in zip(links, people, strict=True)
        )

    def _resolve(self, data: PersonData, previous: Person | None) -> Person:
        """Return the row's person: the one at the same place before when it is the same name
        and no other person holds the row's ID number; else `person_resolve` (by ID, phone).
        """
        if previous is not None and previous.name == data.name:
            same_id = not data.id_number or data.id_number == previous.id_number
            free_id = (
                not previous.id_number
                and not Person.objects.filter(id_number=data.id_number).exists()
            )
            if same_id or free_id:
                for name in ("gender", "id_number", "phone", "address"):
                    if getattr(data, name):
                        setattr(previous, name, getattr(data, name))
                previous._history_user = self._user
                previous.save()
                return previous
        return people_resolve_many([data], by=self._user)[0]

    def _event(self, case, action: str, on: dt.date, user, note: str) -> None:
        Event.add(case, action=action, on=on, by=user, note=note)


def _chunks(items: list, size: int):
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _parse_number(prefix: str, number: str) -> tuple[int, int]:
    match = re.fullmatch(rf"{prefix}〔(\d{{4}})〕(\d+)号", number)
    if not match:
        raise ValueError(number)
    return int(match.group(1)), int(match.group(2))


class PetitionResource(CaseResource):
    """The petition ledger (信访件台账): one row per petition, petitioners aligned by 、."""

    model = Petition
    kind = "petitions"
    flow = PETITION
    people_relation = "petitioner_links"
    register = "petition"
    prefix = PETITION_PREFIX
    noun = "信访件"
    people_column = "信访人姓名"
    _link_model = Petitioner

    number = _col("编号", "number")
    received_on = _col("登记日期", "received_on")
    channel = _col("来源渠道", "channel")
    kind_ = _col("信访形式类别", "kind")
    category = _col("问题分类", "category")
    village = _col("村（社区）", "village")
    names = _col("信访人姓名")
    genders = _col("性别")
    id_numbers = _col("身份证号")
    phones = _col("联系电话")
    addresses = _col("住址")
    headcount = _col("信访人数", "headcount")
    summary = _col("主要内容", "summary")
    request = _col("诉求", "request")
    unit = _col("承办单位", "unit")
    is_repeat = _col("重复件", "is_repeat")
    status = _col("状态", "status")
    decided_on = _col("受理决定日期", "decided_on")
    rejection_reason = _col("不予受理理由", "rejection_reason")
    redirect_to = _col("告知其向何处提出", "redirect_to")
    extension_days = _col("延长天数", "extension_days")
    extension_reason = _col("延期理由", "extension_reason")
    concluded_on = _col("办结日期", "concluded_on")
    outcome = _col("处理意见", "outcome")
    replied_on = _col("答复日期", "replied_on")
    reply_form = _col("答复方式", "reply_form")
    satisfaction = _col("满意度", "satisfaction")

    CHANNELS = choice_lookup(
        Petition.Channel,
        {
            "走访": "来访",
            "上级交办": "上级转送",
            "交办": "上级转送",
            "转送": "上级转送",
            "网信": "网上信访",
        },
    )
    KINDS = choice_lookup(Petition.Kind)
    STATUSES = choice_lookup(Petition.Status)
    OUTCOMES = choice_lookup(Petition.Outcome)
    SATISFACTIONS = choice_lookup(Petition.Satisfaction)
    GENDERS = choice_lookup(Person.Gender)

    def ledger_queryset(self, queryset):
        """Return `queryset` ordered as a ledger, with what the columns need fetched."""
        return (
            queryset.select_related("category", "village", "unit")
            .prefetch_related("petitioner_links__person")
            .order_by("year", "serial")
        )

    def _people(self, petition) -> list[Petitioner]:
        """The petitioners with their details as entered on this petition (`AsEntered`)."""
        return list(petition.petitioner_links.all())

    def dehydrate_channel(self, p):
        return p.get_channel_display()

    def dehydrate_kind_(self, p):
        return p.kind

    def dehydrate_category(self, p):
        return self._name(p.category)

    def dehydrate_village(self, p):
        return self._name(p.village)

    def dehydrate_unit(self, p):
        return self._name(p.unit)

    def dehydrate_names(self, p):
        return SEPARATOR.join(x.name for x in self._people(p))

    def _aligned(self, people, values) -> str:
        return SEPARATOR.join(values) if any(values) else ""

    def dehydrate_genders(self, p):
        people = self._people(p)
        return self._aligned(people, [x.gender for x in people])

    def dehydrate_id_numbers(self, p):
        people = self._people(p)
        return self._aligned(people, [self._id(x.id_number) for x in people])

    def dehydrate_phones(self, p):
        people = self._people(p)
        return self._aligned(people, [self._phone(x.phone) for x in people])

    def dehydrate_addresses(self, p):
        people = self._people(p)
        return self._aligned(people, [x.address for x in people])

    def dehydrate_outcome(self, p):
        return p.outcome

    def dehydrate_satisfaction(self, p):
        return p.satisfaction

    # --- import --------------------------------------------------------------------------

    def clean_row(self, number: int, raw: dict[str, Any], errors: list[RowError], *, user):
        """Check one petition row; append its errors and return its plan (None if it failed)."""
        e, n = errors, number
        received_on = self._date(raw, "登记日期", e, n, required=True)
        values: dict[str, Any] = {
            "received_on": received_on,
            "channel": self._choice(raw, "来源渠道", self.CHANNELS, e, n, required=True),
            "kind": self._choice(raw, "信访形式类别", self.KINDS, e, n),
            "category": self._reference(
                raw, "问题分类", self.categories, e, n, required=True, what="问题分类"
            ),
            "village": self._reference(
                raw, "村（社区）", self.villages, e, n, required=False, what="村（社区）"
            ),
            "summary": self._text(raw, "主要内容", e, n, required=True),
            "request": self._text(raw, "诉求", e, n),
            "unit": self._reference(
                raw, "承办单位", self.units, e, n, required=True, what="承办单位"
            ),
        }
        repeat = normalise_header(cell_text(raw["重复件"])).upper()
        if repeat not in YES_NO:
            e.append(RowError(n, "重复件", f"只能填“是”或“否”，您填写的是“{repeat}”。"))
        values["is_repeat"] = YES_NO.get(repeat, False)

        people = self._clean_petitioners(raw, e, n, values["village"])
        headcount = self._cell(cell_int, raw, "信访人数", e, n)
        if headcount is None:
            headcount = len(people) or 1
        elif headcount < max(len(people), 1):
            e.append(
                RowError(
                    n,
                    "信访人数",
                    f"信访人数（{headcount}）不能少于列出的信访人（{len(people)}人）。",
                )
            )
        values["headcount"] = headcount

        values.update(self._clean_flow(raw, e, n, received_on))
        parsed_number = self._number(raw, e, n, received_on)
        self._check_unit(values["unit"], e, n, user=user)
        if e:
            return None
        return self._finish_row(n, parsed_number, values, [(p, "") for p in people], e, user=user)

    def _clean_petitioners(self, raw, e, n, village) -> list[PersonData]:
        names_text = cell_text(raw["信访人姓名"])
        names = [x.strip() for x in names_text.split(SEPARATOR)] if names_text else []
        if not names:
            e.append(RowError(n, "信访人姓名", "至少填写一名信访人。"))
            return []
        if any(not x for x in names):
            e.append(RowError(n, "信访人姓名", "姓名之间有空项，请用一个“、”分隔。"))
            return []
        for name in names:
            if field_problems(Person, "name", name):
                e.append(RowError(n, "信访人姓名", f"姓名“{name[:10]}…”超过30个字。"))
        count = len(names)
        genders = self._cell(split_aligned, raw, "性别", e, n, count) or [""] * count
        for i, g in enumerate(genders):
            if g and g not in self.GENDERS:
                e.append(RowError(n, "性别", f"性别只能填“男”或“女”，您填写的是“{g}”。"))
            genders[i] = self.GENDERS.get(g, "")
        ids = self._cell(cell_id_numbers, raw, "身份证号", e, n, count) or [""] * count
        phones = self._cell(cell_phones, raw, "联系电话", e, n, count) or [""] * count
        addresses = self._cell(split_aligned, raw, "住址", e, n, count) or [""] * count
        for a in addresses:
            for problem in field_problems(Person, "address", a):
                e.append(RowError(n, "住址", f"住址{problem}"))
        filled = [i for i in ids if i]
        if len(filled) != len(set(filled)):
            e.append(RowError(n, "身份证号", "同一行中有重复的身份证号。"))
        return [
            PersonData(
                name=names[i],
                gender=genders[i],
                id_number=ids[i],
                phone=phones[i],
                address=addresses[i],
                village_id=village.pk if village else None,
            )
            for i in range(count)
        ]

    def _clean_flow(self, raw, e, n, received_on) -> dict[str, Any]:
        """Check the state and the dates of each step against each other (`DOMAIN.md` §2)."""
        S = Petition.Status
        v: dict[str, Any] = {
            "decided_on": self._date(raw, "受理决定日期", e, n),
            "rejection_reason": self._text(raw, "不予受理理由", e, n),
            "redirect_to": self._text(raw, "告知其向何处提出", e, n),
            "extension_days": self._cell(cell_int, raw, "延长天数", e, n),
            "extension_reason": self._text(raw, "延期理由", e, n),
            "concluded_on": self._date(raw, "办结日期", e, n),
            "outcome": self._choice(raw, "处理意见", self.OUTCOMES, e, n),
            "replied_on": self._date(raw, "答复日期", e, n),
            "reply_form": self._text(raw, "答复方式", e, n),
            "satisfaction": self._choice(raw, "满意度", self.SATISFACTIONS, e, n),
        }
        status = self._choice(raw, "状态", self.STATUSES, e, n)
        if not status and not cell_text(raw["状态"]):
            # A ledger without the state: infer it from the steps filled in.
            if v["rejection_reason"]:
                status = S.REJECTED
            elif v["replied_on"]:
                status = S.REPLIED
            elif v["concluded_on"]:
                status = S.CONCLUDED
            elif v["decided_on"]:
                status = S.ACCEPTED
            else:
                status = S.REGISTERED
        if not status:
            return v
        v["status"] = status
        label = S(status).label

        def need(column, value):
            if not value:
                e.append(RowError(n, column, f"状态为“{label}”时必须填写。"))

        def forbid(column, value, when):
            if value:
                e.append(RowError(n, column, f"状态为“{label}”时不应填写（{when}）。"))

        if status == S.REGISTERED:
            forbid("受理决定日期", v["decided_on"], "尚未作出受理决定")
        else:
            need("受理决定日期", v["decided_on"])
        if status == S.REJECTED:
            need("不予受理理由", v["rejection_reason"])
            if not v["redirect_to"]:
                # Where to go instead is part of the decision, on every path (issue 17).
                e.append(RowError(n, "告知其向何处提出", REDIRECT_REQUIRED))
            if not v["replied_on"] and v["decided_on"]:
                # The written notice of rejection is the reply (disputes.services.petition_reject).
                v["replied_on"] = v["decided_on"]
            v["reply_form"] = v["reply_form"] or "不予受理告知书"
        else:
            forbid("不予受理理由", v["rejection_reason"], "只有不予受理的才填写")
            forbid("告知其向何处提出", v["redirect_to"], "只有不予受理的才填写")
        if status in {S.CONCLUDED, S.REPLIED}:
            need("办结日期", v["concluded_on"])
            need("处理意见", v["outcome"])
        else:
            forbid("办结日期", v["concluded_on"], "尚未办结")
            forbid("处理意见", v["outcome"], "尚未办结")
        if status == S.REPLIED:
            need("答复日期", v["replied_on"])
            need("答复方式", v["reply_form"])
        elif status != S.REJECTED:
            forbid("答复日期", v["replied_on"], "尚未答复")
            forbid("答复方式", v["reply_form"], "尚未答复")
        if status != S.REPLIED:
            forbid("满意度", v["satisfaction"], "答复后才有满意度评价")

        days = v["extension_days"]
        if days is not None:
            if status not in {S.ACCEPTED, S.CONCLUDED, S.REPLIED}:
                e.append(RowError(n, "延长天数", f"状态为“{label}”的信访件不能延期。"))
            elif not 1 <= days <= MAX_EXTENSION_DAYS:
                e.append(
                    RowError(
                        n, "延长天数", f"延期不得超过{MAX_EXTENSION_DAYS}日，您填写的是{days}日。"
                    )
                )
            if not v["extension_reason"]:
                e.append(RowError(n, "延期理由", "填写了延长天数，须写明延期理由。"))
        elif v["extension_reason"]:
            e.append(RowError(n, "延长天数", "写了延期理由，但没有填写延长天数。"))

        _order(
            e,
            n,
            [
                ("登记日期", received_on),
                ("受理决定日期", v["decided_on"]),
                ("办结日期", v["concluded_on"]),
                ("答复日期", v["replied_on"]),
            ],
        )
        return v

    # --- saving -------------------------------------------------------------------------

    def _links(self, case):
        return case.petitioner_links.order_by("order", "id")

    def _save_people(self, case, people, previous: list[Person]) -> None:
        for order, (data, _side) in enumerate(people):
            before = previous[order] if order < len(previous) else None
            Petitioner.objects.create(
                petition=case,
                person=self._resolve(data, before),
                order=order,
                **as_entered(data),
            )


def _order(errors: list[RowError], number: int, steps: list[tuple[str, dt.date | None]]) -> None:
    """Refuse a step dated before an earlier step: each date must be on or after the last."""
    last_column, last = None, None
    for column, on in steps:
        if on is None:
            continue
        if last is not None and on < last:
            errors.append(
                RowError(
                    number,
                    column,
                    f"{column}（{on:%Y-%m-%d}）早于{last_column}（{last:%Y-%m-%d}）。",
                )
            )
        else:
            last_column, last = column, on


_PARTY_RE = re.compile(r"^(.+?)\s*[（(]\s*(申请方|被申请方|第三人|申请人|被申请人)\s*[）)]$")
_SIDE_ALIASES = {"申请人": "申请方", "被申请人": "被申请方"}


class DisputeResource(CaseResource):
    """The dispute ledger (矛盾纠纷台账): parties as 张三（申请方）、李四（被申请方）."""

    model = Dispute
    kind = "disputes"
    flow = DISPUTE
    people_relation = "party_links"
    register = "dispute"
    prefix = DISPUTE_PREFIX
    noun = "矛盾纠纷"
    people_column = "当事人"
    _link_model = Party

    number = _col("编号", "number")
    received_on = _col("登记日期", "received_on")
    source = _col("纠纷来源", "source")
    type = _col("纠纷类型", "type")
    village = _col("村（社区）", "village")
    parties = _col("当事人")
    id_numbers = _col("身份证号")
    phones = _col("联系电话")
    summary = _col("主要内容", "summary")
    body = _col("调解组织", "body")
    mediators = _col("调解员", "mediators")
    amount = _col("涉及金额（元）", "amount")
    unit = _col("承办单位", "unit")
    is_repeat = _col("重复件", "is_repeat")
    status = _col("状态", "status")
    decided_on = _col("受理决定日期", "decided_on")
    rejection_reason = _col("不予受理理由", "rejection_reason")
    concluded_on = _col("调结日期", "concluded_on")
    agreement_form = _col("协议形式", "agreement_form")
    agreement_text = _col("协议内容", "agreement_text")
    performance = _col("履行情况", "performance")
    court_applied_on = _col("申请司法确认日期", "court_applied_on")
    court_result = _col("司法确认结果", "court_result")
    followed_up_on = _col("回访日期", "followed_up_on")
    replied_on = _col("答复日期", "replied_on")
    reply_form = _col("答复方式", "reply_form")

    SOURCES = choice_lookup(Dispute.Source, {"申请": "当事人申请", "排查": "主动排查发现"})
    TYPES = choice_lookup(
        Dispute.Type,
        {"劳资": "劳动争议", "土地承包": "土地承包/山林权属", "山林权属": "土地承包/山林权属"},
    )
    BODIES = choice_lookup(
        Dispute.Body, {"镇调委会": "镇人民调解委员会", "村调委会": "村（社区）调委会"}
    )
    STATUSES = choice_lookup(Dispute.Status, {"终止": "terminated"})
    FORMS = choice_lookup(Dispute.AgreementForm)
    PERFORMANCES = choice_lookup(Dispute.Performance)
    COURT_RESULTS = choice_lookup(Dispute.CourtResult)

    def ledger_queryset(self, queryset):
        """Return `queryset` ordered as a ledger, with what the columns need fetched."""
        return (
            queryset.select_related("village", "unit")
            .prefetch_related("party_links__person")
            .order_by("year", "serial")
        )

    def _parties(self, d) -> list[Party]:
        return list(d.party_links.all())

    def dehydrate_source(self, d):
        return d.source

    def dehydrate_type(self, d):
        return d.get_type_display()

    def dehydrate_village(self, d):
        return self._name(d.village)

    def dehydrate_unit(self, d):
        return self._name(d.unit)

    def dehydrate_body(self, d):
        return d.body

    def dehydrate_parties(self, d):
        return SEPARATOR.join(f"{x.person.name}（{x.side}）" for x in self._parties(d))

    def dehydrate_id_numbers(self, d):
        values = [self._id(x.id_number) for x in self._parties(d)]
        return SEPARATOR.join(values) if any(values) else ""

    def dehydrate_phones(self, d):
        values = [self._phone(x.phone) for x in self._parties(d)]
        return SEPARATOR.join(values) if any(values) else ""

    def dehydrate_agreement_form(self, d):
        return d.get_agreement_form_display() if d.agreement_form else ""

    def dehydrate_performance(self, d):
        return d.performance

    def dehydrate_court_result(self, d):
        return d.get_court_result_display() if d.court_result else ""

    # --- import --------------------------------------------------------------------------

    def clean_row(self, number: int, raw: dict[str, Any], errors: list[RowError], *, user):
        """Check one dispute row; append its errors and return its plan (None if it failed)."""
        e, n = errors, number
        received_on = self._date(raw, "登记日期", e, n, required=True)
        values: dict[str, Any] = {
            "received_on": received_on,
            "source": self._choice(raw, "纠纷来源", self.SOURCES, e, n, required=True),
            "type": self._choice(raw, "纠纷类型", self.TYPES, e, n, required=True),
            "village": self._reference(
                raw, "村（社区）", self.villages, e, n, required=False, what="村（社区）"
            ),
            "summary": self._text(raw, "主要内容", e, n, required=True),
            "body": self._choice(raw, "调解组织", self.BODIES, e, n) or Dispute.Body.TOWN,
            "mediators": self._text(raw, "调解员", e, n),
            "amount": self._cell(cell_amount, raw, "涉及金额（元）", e, n),
            "unit": self._reference(
                raw, "承办单位", self.units, e, n, required=True, what="承办单位"
            ),
        }
        repeat = normalise_header(cell_text(raw["重复件"])).upper()
        if repeat not in YES_NO:
            e.append(RowError(n, "重复件", f"只能填“是”或“否”，您填写的是“{repeat}”。"))
        values["is_repeat"] = YES_NO.get(repeat, False)
        people = self._clean_parties(raw, e, n, values["village"])
        values.update(self._clean_flow(raw, e, n, received_on))
        parsed_number = self._number(raw, e, n, received_on)
        self._check_unit(values["unit"], e, n, user=user)
        if e:
            return None
        return self._finish_row(n, parsed_number, values, people, e, user=user)

    def _clean_parties(self, raw, e, n, village) -> list[tuple[PersonData, str]]:
        text = cell_text(raw["当事人"])
        items = [x.strip() for x in text.split(SEPARATOR)] if text else []
        parsed = []
        for item in items:
            match = _PARTY_RE.match(item)
            if not match:
                e.append(
                    RowError(
                        n,
                        "当事人",
                        f"“{item}”未写明当事人地位，应写成“张三（申请方）”"
                        "（地位：申请方、被申请方、第三人）。",
                    )
                )
                continue
            name, side = match.group(1).strip(), match.group(2)
            if len(name) > 30:
                e.append(RowError(n, "当事人", f"姓名“{name[:10]}…”超过30个字。"))
            parsed.append((name, _SIDE_ALIASES.get(side, side)))
        if len(parsed) != len(items):
            return []
        if len(parsed) < 2:
            e.append(RowError(n, "当事人", "矛盾纠纷至少有两方当事人，用“、”分隔。"))
            return []
        sides = {side for _, side in parsed}
        if not {Party.Side.APPLICANT, Party.Side.RESPONDENT} <= sides:
            e.append(RowError(n, "当事人", "至少应有一名申请方和一名被申请方。"))
        count = len(parsed)
        ids = self._cell(cell_id_numbers, raw, "身份证号", e, n, count) or [""] * count
        phones = self._cell(cell_phones, raw, "联系电话", e, n, count) or [""] * count
        filled = [i for i in ids if i]
        if len(filled) != len(set(filled)):
            e.append(RowError(n, "身份证号", "同一行中有重复的身份证号。"))
        return [
            (
                PersonData(
                    name=name,
                    id_number=ids[i],
                    phone=phones[i],
                    village_id=village.pk if village else None,
                ),
                side,
            )
            for i, (name, side) in enumerate(parsed)
        ]

    def _clean_flow(self, raw, e, n, received_on) -> dict[str, Any]:
        """Check the state and the dates of each step against each other (`DOMAIN.md` §3)."""
        S = Dispute.Status
        v: dict[str, Any] = {
            "decided_on": self._date(raw, "受理决定日期", e, n),
            "rejection_reason": self._text(raw, "不予受理理由", e, n),
            "concluded_on": self._date(raw, "调结日期", e, n),
            "agreement_form": self._choice(raw, "协议形式", self.FORMS, e, n),
            "agreement_text": self._text(raw, "协议内容", e, n),
            "performance": self._choice(raw, "履行情况", self.PERFORMANCES, e, n),
            "court_applied_on": self._date(raw, "申请司法确认日期", e, n),
            "court_result": self._choice(raw, "司法确认结果", self.COURT_RESULTS, e, n),
            "followed_up_on": self._date(raw, "回访日期", e, n),
            "replied_on": self._date(raw, "答复日期", e, n),
            "reply_form": self._text(raw, "答复方式", e, n),
        }
        status = self._choice(raw, "状态", self.STATUSES, e, n)
        if not status and not cell_text(raw["状态"]):
            if v["rejection_reason"]:
                status = S.REJECTED
            elif v["agreement_form"]:
                status = S.SUCCEEDED
            elif v["decided_on"] and not v["concluded_on"]:
                status = S.ACCEPTED
            elif not v["decided_on"]:
                status = S.REGISTERED
            else:
                e.append(RowError(n, "状态", "请填写状态（调解成功、调解不成或终止调解）。"))
        if not status:
            return v
        v["status"] = status
        label = S(status).label
        concluded = status in {S.SUCCEEDED, S.FAILED, S.TERMINATED}

        def need(column, value):
            if not value:
                e.append(RowError(n, column, f"状态为“{label}”时必须填写。"))

        def forbid(column, value, when):
            if value:
                e.append(RowError(n, column, f"状态为“{label}”时不应填写（{when}）。"))

        if status == S.REGISTERED:
            forbid("受理决定日期", v["decided_on"], "尚未受理")
        else:
            need("受理决定日期", v["decided_on"])
        if status == S.REJECTED:
            need("不予受理理由", v["rejection_reason"])
        else:
            forbid("不予受理理由", v["rejection_reason"], "只有不予受理的才填写")
        if concluded:
            need("调结日期", v["concluded_on"])
        else:
            forbid("调结日期", v["concluded_on"], "调解尚未结束")
        if status == S.SUCCEEDED:
            need("协议形式", v["agreement_form"])
            need("协议内容", v["agreement_text"])
            v["performance"] = v["performance"] or Dispute.Performance.ONGOING
            v["agreement_effective_on"] = v["concluded_on"]
        else:
            forbid("协议形式", v["agreement_form"], "只有调解成功才有协议")
            forbid("协议内容", v["agreement_text"], "只有调解成功才有协议")
            forbid("履行情况", v["performance"], "只有调解成功才有协议履行")
            v["agreement_effective_on"] = None
        written = status == S.SUCCEEDED and v["agreement_form"] == Dispute.AgreementForm.WRITTEN
        if v["court_applied_on"] and not written:
            e.append(RowError(n, "申请司法确认日期", "只有书面调解协议才能申请司法确认。"))
        if v["court_result"] and not v["court_applied_on"]:
            e.append(RowError(n, "司法确认结果", "填写了司法确认结果，但没有申请司法确认日期。"))
        if written and v["court_applied_on"] and v["concluded_on"]:
            # 30 days from the agreement taking effect; a last day on a holiday moves on (§9).
            window = self.calendar.add_days(v["concluded_on"], COURT_WINDOW_DAYS)
            if v["court_applied_on"] > window.date:
                e.append(
                    RowError(
                        n,
                        "申请司法确认日期",
                        "司法确认应自调解协议生效之日起30日内申请（《人民调解法》第三十三条），"
                        f"期限至{window.date:%Y-%m-%d}，此件已超过期限。",
                    )
                )
        if not concluded:
            forbid("回访日期", v["followed_up_on"], "调解结束后才能回访")
        if status in {S.REGISTERED, S.ACCEPTED}:
            forbid("答复日期", v["replied_on"], "尚未调结")
        if v["replied_on"] and not v["reply_form"]:
            e.append(RowError(n, "答复方式", "填写了答复日期，须写明答复方式。"))
        if v["reply_form"] and not v["replied_on"]:
            e.append(RowError(n, "答复日期", "写了答复方式，但没有填写答复日期。"))
        _order(
            e,
            n,
            [
                ("登记日期", received_on),
                ("受理决定日期", v["decided_on"]),
                ("调结日期", v["concluded_on"]),
                ("申请司法确认日期", v["court_applied_on"]),
            ],
        )
        _order(e, n, [("调结日期", v["concluded_on"]), ("回访日期", v["followed_up_on"])])
        _order(
            e,
            n,
            [
                ("受理决定日期", v["decided_on"]),
                ("调结日期", v["concluded_on"]),
                ("答复日期", v["replied_on"]),
            ],
        )
        return v

    # --- saving -------------------------------------------------------------------------

    def _links(self, case):
        return case.party_links.order_by("order", "id")

    def _save_people(self, case, people, previous: list[Person]) -> None:
        for order, (data, side) in enumerate(people):
            before = previous[order] if order < len(previous) else None
            Party.objects.create(
                dispute=case,
                person=self._resolve(data, before),
                side=side,
                order=order,
                **as_entered(data),
            )


RESOURCES: dict[str, type[CaseResource]] = {
    "petitions": PetitionResource,
    "disputes": DisputeResource,
}
TITLES = {"petitions": "信访件台账", "disputes": "矛盾纠纷台账"}


# --- Public entry points ---------------------------------------------------------------------


def plan_import(kind: str, data: bytes, filename: str, *, user) -> ImportPlan:
    """Check a ledger file of `kind` ("petitions"/"disputes"); write nothing.

    Raises LedgerFileError when the file cannot be read at all; row errors are in the plan.
    """
    return RESOURCES[kind]().plan(data, filename, user=user)


def apply_import(plan: ImportPlan, *, user) -> ImportPlan:
    """Write a valid plan in one transaction and return it (row numbers filled in)."""
    return RESOURCES[plan.kind]().apply(plan, user=user)


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
            apply_import(plan, user=user)
    return plan


def export_dataset(kind: str, queryset=None, *, show_personal_data: bool = True):
    """Return the ledger of `queryset` (None: only the headers) as a tablib Dataset.

    Values are native: dates as `datetime.date`, counts as int, amounts as Decimal.
    """
    resource = RESOURCES[kind](show_personal_data=show_personal_data)
    if queryset is None:
        queryset = resource.model.objects.none()
    dataset = resource.export(resource.ledger_queryset(queryset))
    dataset.title = TITLES[kind]
    return dataset
