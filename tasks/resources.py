"""The rectification ledger (整改台账): export to and import from xlsx and csv.

One django-import-export `Resource` names the columns, in order, with their Chinese headers;
the export writes exactly these columns and the import reads exactly these columns, so an
exported file imports back unchanged (`DOMAIN.md` §10).

The import checks the whole file first (`plan_import`, no writes) and writes a valid file in one
transaction (`apply_import`). Rows are matched by 编号; a row without 编号 by its problem
(问题来源, 年度, 问题) and 整改措施, so importing the same file twice creates nothing new. A
problem not yet registered is created from the row.

What an import may do, so the flow's rules hold (DOMAIN.md §6):
- create tasks 未开始 or 整改中; a file cannot bring evidence files, so 已完成 and 已销号 are
  reached in the system (报完成 with evidence, 销号 by a leader);
- change an open task's measures, units, responsible person and leader, and add progress lines;
- not change a deadline (that is a 延期, counted), a state, or anything of a closed task: such a
  row is refused with the reason.
整改进展 holds one entry a line, "2021-03-05：开展集体学法"; a line already on the task is
skipped. 销号领导 and 销号意见 are exported for reading and compared on import only through the
state.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.db.models import Prefetch
from import_export import resources

from miaoba.ledger import (
    SEPARATOR,
    YES_NO,
    CellError,
    RowError,
    cell_date,
    cell_int,
    cell_text,
    check_date,
    check_fields,
    check_rows,
    choice_lookup,
    normalise_header,
    open_ledger,
)
from miaoba.ledger_plan import ImportPlan, RowPlan
from miaoba.ledger_plan import column as _col
from miaoba.models import Unit, User
from miaoba.roles import LEADER
from miaoba.workflow import today
from tasks.models import Problem, Progress, Task
from tasks.services import NUMBER_PREFIX, ImportedTask, task_number, tasks_import

TITLE = "整改台账"
PROBLEM_COLUMNS = {"title": "问题", "document": "来源文件", "category": "大类", "aspect": "方面"}
LONG_TERM = "长期坚持"
_NUMBER_RE = re.compile(rf"^{NUMBER_PREFIX}〔(\d{{4}})〕0*(\d+)号$")
_PROGRESS_RE = re.compile(r"^(\d{4}[-/.年]\d{1,2}[-/.月]\d{1,2}日?)\s*[：:\s]\s*(.+)$")


def progress_lines(entries) -> str:
    """Return progress entries as the ledger writes them: "2021-03-05：text", one a line."""
    return "\n".join(f"{p.on:%Y-%m-%d}：{p.text}" for p in entries)


@dataclass
class TaskRowPlan(RowPlan):
    """A 整改台账 row: the shared `RowPlan` plus its problem and what a task row carries.

    `problem_key` is (source, year, title); `problem_values` the problem's other columns;
    `co_units` its co-units; `progress` the new (date, text) lines; `status` the task's state.
    `changed` is the list of what changes on an existing task.
    """

    problem_key: tuple = ()
    problem_values: dict[str, Any] = field(default_factory=dict)
    co_units: list[Unit] = field(default_factory=list)
    progress: list[tuple[dt.date | None, str]] = field(default_factory=list)
    status: str = ""
    flow: dict[str, Any] = field(default_factory=dict)

    @property
    def has_changes(self) -> bool:
        return bool(self.changed or self.progress)


class TaskResource(resources.Resource):
    """The 整改台账: one row per task with its problem, people, deadline, progress and 销号."""

    number = _col("编号", "number")
    source = _col("问题来源")
    year = _col("年度")
    document = _col("来源文件")
    category = _col("大类")
    aspect = _col("方面")
    problem = _col("问题")
    measures = _col("整改措施", "measures")
    lead_unit = _col("牵头单位")
    co_units = _col("配合单位")
    responsible = _col("责任人")
    leader = _col("分管领导")
    assigned_on = _col("交办日期", "assigned_on")
    due_on = _col("整改时限")
    status = _col("状态")
    progress = _col("整改进展")
    completed_on = _col("完成日期", "completed_on")
    closed = _col("销号")
    closed_on = _col("销号日期", "closed_on")
    verified_by = _col("销号领导")
    verification_comment = _col("销号意见", "verification_comment")

    SOURCES = choice_lookup(Problem.Source)
    STATUSES = choice_lookup(
        Task.Status, {"待销号": Task.Status.COMPLETED, "已完成待销号": Task.Status.COMPLETED}
    )

    class Meta:
        model = Task

    # --- export --------------------------------------------------------------------------

    @classmethod
    def headers(cls) -> list[str]:
        """Return the ledger's column headers in order."""
        return cls().get_export_headers()

    @staticmethod
    def ledger_queryset(queryset):
        """Return `queryset` ordered as a ledger, with what the columns need fetched."""
        return (
            queryset.select_related("problem", "lead_unit", "responsible", "leader", "verified_by")
            .prefetch_related(
                "co_units", Prefetch("progress", queryset=Progress.objects.order_by("on", "id"))
            )
            .order_by("year", "serial")
        )

    def dehydrate_source(self, t):
        return t.problem.source

    def dehydrate_year(self, t):
        return t.problem.year

    def dehydrate_document(self, t):
        return t.problem.document

    def dehydrate_category(self, t):
        return t.problem.category

    def dehydrate_aspect(self, t):
        return t.problem.aspect

    def dehydrate_problem(self, t):
        return t.problem.title

    def dehydrate_lead_unit(self, t):
        return t.lead_unit.name

    def dehydrate_co_units(self, t):
        return SEPARATOR.join(
            u.name for u in sorted(t.co_units.all(), key=lambda u: (u.order, u.name))
        )

    def dehydrate_responsible(self, t):
        return t.responsible.display_name

    def dehydrate_leader(self, t):
        return t.leader.display_name

    def dehydrate_due_on(self, t):
        return LONG_TERM if t.is_long_term else t.due_on

    def dehydrate_status(self, t):
        return t.get_status_display()

    def dehydrate_progress(self, t):
        return progress_lines(t.progress.all())

    def dehydrate_closed(self, t):
        return "是" if t.is_closed else "否"

    def dehydrate_verified_by(self, t):
        return t.verified_by.display_name if t.verified_by else ""

    # --- import: checking ------------------------------------------------------------------

    def plan(self, data: bytes, filename: str, *, user) -> ImportPlan:
        """Check a ledger file and return its plan; writes nothing. See the module docstring.

        Raises LedgerFileError when the file cannot be read at all.
        """
        plan = ImportPlan(kind="tasks", filename=filename)
        table = open_ledger(data, filename, self.headers())
        self._load_references(user)
        check_rows(
            plan,
            table,
            lambda row, errors: self.clean_row(row.row, row.raw, errors, user=user),
            key=lambda r: r.number or (r.problem_key, r.values["measures"]),
            duplicate_column="编号",
            noun="同一项任务",
        )
        self._match_existing(plan, user=user)
        return plan.finish(table)

    def _match_existing(self, plan: ImportPlan, *, user) -> None:
        """Find the tasks the rows update (by 编号, else by problem and 整改措施) in a few
        queries for the whole file, then check each row as a new task or as an update."""
        tasks = Task.objects.select_related(
            "problem", "lead_unit", "responsible", "leader"
        ).prefetch_related("co_units", "progress")
        numbers = [r.number for r in plan.rows if r.number]
        by_number: dict[str, Task] = {}
        for start in range(0, len(numbers), 2000):
            by_number.update(
                (t.number, t) for t in tasks.filter(number__in=numbers[start : start + 2000])
            )
        unnumbered = [r for r in plan.rows if not r.number]
        by_key: dict[tuple, Task] = {}
        for start in range(0, len(unnumbered), 2000):
            chunk = unnumbered[start : start + 2000]
            candidates = tasks.filter(
                problem__title__in={r.problem_key[2] for r in chunk},
                measures__in={r.values["measures"] for r in chunk},
            ).order_by("pk")
            for t in candidates:
                key = ((t.problem.source, t.problem.year, t.problem.title), t.measures)
                by_key.setdefault(key, t)
        for row_plan in plan.rows:
            if row_plan.number:
                row_plan.existing = by_number.get(row_plan.number)
            else:
                row_plan.existing = by_key.get((row_plan.problem_key, row_plan.values["measures"]))
            errors: list[RowError] = []
            if row_plan.existing is None:
                self._check_new(row_plan, row_plan.flow, errors)
            else:
                self._check_update(row_plan, row_plan.flow, errors, user=user)
            plan.errors.extend(dict.fromkeys(errors))

    def _load_references(self, user) -> None:
        self.units = {normalise_header(u.name): u for u in Unit.objects.all()}
        self.users_by_name: dict[str, list[User]] = {}
        self.users_by_username: dict[str, User] = {}
        self.leader_ids = set(User.objects.filter(groups__name=LEADER).values_list("pk", flat=True))
        for u in User.objects.filter(is_active=True):
            self.users_by_name.setdefault(normalise_header(u.display_name), []).append(u)
            self.users_by_username[u.username] = u
        self.visible_ids = None
        if not user.is_superuser and not user.has_perm("tasks.view_all_tasks"):
            self.visible_ids = set(Task.objects.visible_to(user).values_list("pk", flat=True))

    def _text(self, raw, column, e, n, *, required=False, max_length=None) -> str:
        text = cell_text(raw[column])
        if required and not text:
            e.append(RowError(n, column, "必填，不能为空。"))
        if max_length and len(text) > max_length:
            e.append(RowError(n, column, f"最多{max_length}个字，现有{len(text)}个字。"))
        return text

    def _date(self, raw, column, e, n, *, required=False, field="") -> dt.date | None:
        try:
            value = cell_date(raw[column])
        except CellError as exc:
            e.append(RowError(n, column, str(exc)))
            return None
        if value is None and required:
            e.append(RowError(n, column, "必填，不能为空。"))
        if value is not None:
            try:
                check_date(Task, field, value)
            except CellError as exc:
                e.append(RowError(n, column, str(exc)))
                return None
        return value

    def _user(self, raw, column, e, n, *, leader=False) -> User | None:
        text = cell_text(raw[column])
        if not text:
            e.append(RowError(n, column, "必填，不能为空。"))
            return None
        found = self.users_by_name.get(normalise_header(text), [])
        if not found and text in self.users_by_username:
            found = [self.users_by_username[text]]
        if not found:
            e.append(
                RowError(
                    n, column, f"系统中没有在岗用户“{text}”，请填写姓名（如：王镇长）或用户名。"
                )
            )
            return None
        if len(found) > 1:
            names = "、".join(u.username for u in found)
            e.append(
                RowError(n, column, f"有{len(found)}名用户都叫“{text}”，请改填用户名（{names}）。")
            )
            return None
        if leader and found[0].pk not in self.leader_ids:
            e.append(RowError(n, column, f"“{text}”不是领导角色的用户，分管领导须是领导。"))
            return None
        return found[0]

    def _unit(self, name: str, column: str, e, n) -> Unit | None:
        unit = self.units.get(normalise_header(name))
        if unit is None:
            e.append(
                RowError(n, column, f"系统中没有名为“{name}”的单位，请核对名称或先由管理员添加。")
            )
        return unit

    def _progress(self, raw, e, n) -> list[tuple[dt.date | None, str]]:
        lines = []
        for line in cell_text(raw["整改进展"]).splitlines():
            line = line.strip()
            if not line:
                continue
            match = _PROGRESS_RE.match(line)
            if match is None:
                lines.append((None, line))
                continue
            try:
                on = cell_date(match.group(1))
            except CellError as exc:
                e.append(RowError(n, "整改进展", f"“{line[:20]}”：{exc}"))
                continue
            if on > today():
                e.append(RowError(n, "整改进展", f"进展日期{on:%Y-%m-%d}晚于今天。"))
            lines.append((on, match.group(2).strip()))
        return lines

    def clean_row(self, n: int, raw: dict[str, Any], e: list[RowError], *, user) -> RowPlan | None:
        """Check one row; return its plan, or None with the errors appended to `e`."""
        number_text = cell_text(raw["编号"]).replace("[", "〔").replace("]", "〕")
        if number_text and not _NUMBER_RE.match(number_text):
            e.append(
                RowError(
                    n,
                    "编号",
                    f"编号“{number_text}”格式不正确，应为{task_number(2021, 3)}这样的格式；新任务可留空。",
                )
            )
        source_text = self._text(raw, "问题来源", e, n, required=True)
        source = self.SOURCES.get(normalise_header(source_text))
        if source_text and source is None:
            e.append(
                RowError(
                    n,
                    "问题来源",
                    f"“{source_text}”不是可选的值。可选：{'、'.join(Problem.Source.values)}。",
                )
            )
        try:
            year = cell_int(raw["年度"])
        except CellError as exc:
            e.append(RowError(n, "年度", str(exc)))
            year = None
        if year is None and not any(err.column == "年度" for err in e):
            e.append(RowError(n, "年度", "必填，不能为空。"))
        elif year is not None and not 2000 <= year <= today().year + 1:
            e.append(RowError(n, "年度", f"年度{year}不在2000年至{today().year + 1}年之间。"))
        title = self._text(raw, "问题", e, n, required=True)
        problem_values = {
            "document": self._text(raw, "来源文件", e, n),
            "category": self._text(raw, "大类", e, n),
            "aspect": self._text(raw, "方面", e, n),
        }
        measures = self._text(raw, "整改措施", e, n, required=True)
        lead_name = self._text(raw, "牵头单位", e, n, required=True)
        lead_unit = self._unit(lead_name, "牵头单位", e, n) if lead_name else None
        co_units = []
        for name in re.split(r"[、,，;；]", cell_text(raw["配合单位"])):
            if name.strip():
                unit = self._unit(name.strip(), "配合单位", e, n)
                if unit is not None and unit != lead_unit and unit not in co_units:
                    co_units.append(unit)
        responsible = self._user(raw, "责任人", e, n)
        leader = self._user(raw, "分管领导", e, n, leader=True)
        assigned_on = self._date(raw, "交办日期", e, n, required=True)
        due_text = cell_text(raw["整改时限"])
        is_long_term = normalise_header(due_text) == LONG_TERM
        due_on = None
        if not is_long_term:
            due_on = self._date(raw, "整改时限", e, n, field="due_on")
            if due_on is None and not due_text:
                e.append(RowError(n, "整改时限", f"必填：填写日期，或填“{LONG_TERM}”。"))
            elif due_on and assigned_on and due_on < assigned_on:
                e.append(RowError(n, "整改时限", "整改时限不能早于交办日期。"))
        status_text = cell_text(raw["状态"])
        status = self.STATUSES.get(normalise_header(status_text), "") if status_text else ""
        if status_text and not status:
            e.append(
                RowError(
                    n,
                    "状态",
                    f"“{status_text}”不是可选的值。可选：{'、'.join(Task.Status.labels)}。",
                )
            )
        progress = self._progress(raw, e, n)
        closed_text = cell_text(raw["销号"])
        closed_key = normalise_header(closed_text).upper()
        if closed_key not in YES_NO:
            e.append(RowError(n, "销号", f"请填“是”或“否”，您填写的是“{closed_text}”。"))
        closed_text = "是" if YES_NO.get(closed_key) else "否"
        completed_on = self._date(raw, "完成日期", e, n)
        closed_on = self._date(raw, "销号日期", e, n)
        check_fields(Problem, {"title": title, **problem_values}, e, n, PROBLEM_COLUMNS)
        check_fields(Task, {"measures": measures}, e, n, {"measures": "整改措施"})
        if e:
            return None
        values = {
            "measures": measures,
            "lead_unit": lead_unit,
            "responsible": responsible,
            "leader": leader,
            "assigned_on": assigned_on,
            "due_on": due_on,
            "is_long_term": is_long_term,
        }
        row_plan = TaskRowPlan(
            row=n,
            number=number_text,
            problem_key=(source, year, title),
            problem_values=problem_values,
            values=values,
            co_units=co_units,
            progress=progress,
            status=status,
            flow={
                "closed": closed_text == "是",
                "completed_on": completed_on,
                "closed_on": closed_on,
            },
        )
        return row_plan

    def _check_new(self, row_plan: TaskRowPlan, flow: dict, e: list[RowError]) -> None:
        n = row_plan.row
        S = Task.Status
        if (
            row_plan.status in {S.COMPLETED, S.CLOSED}
            or flow["closed"]
            or flow["completed_on"]
            or flow["closed_on"]
        ):
            e.append(
                RowError(
                    n,
                    "状态",
                    "新导入的任务只能是“未开始”或“整改中”：报完成须在系统中上传佐证材料，"
                    "销号须由领导在系统中核验。",
                )
            )
        if not row_plan.status:
            row_plan.status = S.IN_PROGRESS if row_plan.progress else S.NOT_STARTED
        if row_plan.status == S.IN_PROGRESS and not row_plan.progress:
            e.append(RowError(n, "整改进展", "状态为“整改中”时请填写整改进展。"))
        if row_plan.number:
            year = int(_NUMBER_RE.match(row_plan.number).group(1))
            if row_plan.values["assigned_on"] and year != row_plan.values["assigned_on"].year:
                e.append(RowError(n, "编号", f"编号年度（{year}年）与交办日期的年度不一致。"))
        for on, _text in row_plan.progress:
            if on and row_plan.values["assigned_on"] and on < row_plan.values["assigned_on"]:
                e.append(RowError(n, "整改进展", f"进展日期{on:%Y-%m-%d}早于交办日期。"))

    def _check_update(self, row_plan: TaskRowPlan, flow: dict, e: list[RowError], *, user) -> None:
        n = row_plan.row
        task = row_plan.existing
        S = Task.Status
        if self.visible_ids is not None and task.pk not in self.visible_ids:
            e.append(RowError(n, "编号", f"{task.number}不属于您的单位，您不能修改。"))
            return
        if (task.problem.source, task.problem.year, task.problem.title) != row_plan.problem_key:
            e.append(
                RowError(
                    n,
                    "问题",
                    f"{task.number}在系统中对应的问题是“{task.problem.title[:30]}”，与本行不一致。",
                )
            )
        v = row_plan.values
        if v["is_long_term"] != task.is_long_term or v["due_on"] != task.due_on:
            e.append(
                RowError(
                    n,
                    "整改时限",
                    f"与系统中的整改时限（{task.deadline_text}）不一致：调整时限请在系统中办理“延期”。",
                )
            )
        if v["assigned_on"] != task.assigned_on:
            e.append(
                RowError(
                    n,
                    "交办日期",
                    f"与系统中的交办日期（{task.assigned_on:%Y-%m-%d}）不一致，交办日期不能通过导入修改。",
                )
            )
        status = row_plan.status or task.status
        may_start = task.status == S.NOT_STARTED and status == S.IN_PROGRESS and row_plan.progress
        if status != task.status and not may_start:
            e.append(
                RowError(
                    n,
                    "状态",
                    f"与系统中的状态（{task.get_status_display()}）不一致：报完成、销号、重新整改请在系统中办理。",
                )
            )
        if (
            flow["closed"] != task.is_closed
            or flow["completed_on"] != task.completed_on
            or flow["closed_on"] != task.closed_on
        ):
            e.append(
                RowError(
                    n, "销号", "完成日期、销号情况与系统中不一致：报完成、销号请在系统中办理。"
                )
            )
        row_plan.status = status
        existing = {(p.on, p.text) for p in task.progress.all()}
        texts = {p.text for p in task.progress.all()}
        row_plan.progress = [
            (on, text)
            for on, text in row_plan.progress
            if not ((on, text) in existing or (on is None and text in texts))
        ]
        labels = {
            "measures": "整改措施",
            "lead_unit": "牵头单位",
            "responsible": "责任人",
            "leader": "分管领导",
        }
        row_plan.changed = [
            label for name, label in labels.items() if getattr(task, name) != v[name]
        ]
        if set(row_plan.co_units) != set(task.co_units.all()):
            row_plan.changed.append("配合单位")
        if task.is_closed and (row_plan.changed or row_plan.progress):
            e.append(
                RowError(
                    n,
                    "编号",
                    f"{task.number}已销号，不能修改；问题反弹时请先在系统中办理“重新整改”。",
                )
            )

    # --- import: writing -----------------------------------------------------------------

    def apply(self, plan: ImportPlan, *, user) -> ImportPlan:
        """Write a valid plan in one transaction through `tasks.services.tasks_import`;
        raise ValueError for an invalid one."""
        if not plan.is_valid:
            raise ValueError("cannot apply an import plan with errors")
        rows = [r for r in plan.rows if r.existing is None or r.action == "更新"]
        tasks = tasks_import(
            [
                ImportedTask(
                    problem=r.problem_key,
                    problem_values=r.problem_values,
                    values=r.values,
                    status=r.status,
                    co_units=r.co_units,
                    progress=r.progress,
                    note=self._note(r, plan.filename),
                    number=_number(r.number),
                    existing=r.existing,
                    changed=r.changed or [],
                )
                for r in rows
            ],
            by=user,
        )
        for row_plan, task in zip(rows, tasks, strict=True):
            row_plan.number = task.number
        return plan

    @staticmethod
    def _note(row_plan: TaskRowPlan, filename: str) -> str:
        if row_plan.existing is None:
            return f"从台账“{filename}”第{row_plan.row}行导入"
        note = f"按台账“{filename}”第{row_plan.row}行更新"
        if row_plan.changed:
            note += "：" + "、".join(row_plan.changed)
        if row_plan.progress:
            note += f"；新增整改进展{len(row_plan.progress)}条"
        return note


def _number(text: str) -> tuple[int, int] | None:
    match = _NUMBER_RE.match(text) if text else None
    return (int(match.group(1)), int(match.group(2))) if match else None


def plan_import(data: bytes, filename: str, *, user) -> ImportPlan:
    """Check a 整改台账 file; write nothing. Raises LedgerFileError for an unreadable file."""
    return TaskResource().plan(data, filename, user=user)


def import_ledger(data: bytes, filename: str, *, user, dry_run: bool = False) -> ImportPlan:
    """Check and, when the whole file is valid and not `dry_run`, write a 整改台账 file.

    Checking and writing run in one transaction. Returns the plan; `plan.errors` lists every
    problem when invalid.
    """
    with transaction.atomic():
        plan = plan_import(data, filename, user=user)
        if plan.is_valid and not dry_run:
            TaskResource().apply(plan, user=user)
    return plan


def export_dataset(queryset=None):
    """Return the 整改台账 of `queryset` (None: only the headers) as a tablib Dataset.

    Values are native: dates as `datetime.date`, the year as int.
    """
    resource = TaskResource()
    if queryset is None:
        queryset = Task.objects.none()
    dataset = resource.export(TaskResource.ledger_queryset(queryset))
    dataset.title = TITLE
    return dataset
