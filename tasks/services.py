"""Workflow steps of problems (问题) and rectification tasks (整改任务).

Every step is a function `<entity>_<action>` with keyword-only arguments, runs in one
transaction, checks the rule that allows it and writes the change onto the task's timeline
(who, when, what). A step the rules do not allow raises `django.core.exceptions.ValidationError`
whose message (or message dict, keyed by field) is the Chinese text shown to the clerk.

Flow (`DOMAIN.md` §6): 未开始 → 整改中 (first progress entry) → 已完成 (evidence required) →
已销号 (verified by a leader who is not the responsible person), and back to 整改中 when a
verification fails or the problem recurs. Extensions (延期) need a reason and a leader's
approval, and are counted.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max

from miaoba.records import bulk_save, check_token_unused, save_new_once, void_record
from miaoba.roles import LEADER
from miaoba.workcalendar import WorkCalendar, cn_date
from miaoba.workflow import allocate_serial, allocate_serials, check_date, raise_serials, today
from tasks.flows import TASK, progress_note
from tasks.models import Event, Evidence, Extension, Milestone, Problem, Progress, Task

NUMBER_PREFIX = "整改"
REGISTER = "task"  # the task register's name in miaoba.NumberSequence


def task_number(year: int, serial: int) -> str:
    """Format a task number as 整改〔2021〕3号: year in full inside 〔〕, serial without zeros."""
    return f"{NUMBER_PREFIX}〔{year}〕{serial}号"


def _event(task: Task, *, action: str, on: dt.date, by, note: str = "") -> None:
    Event.add(task, action=action, on=on, by=by, note=note)


def is_leader(user) -> bool:
    """Return True when `user` is an active member of the 领导 group."""
    return user is not None and user.is_active and user.groups.filter(name=LEADER).exists()


def next_due_of(task: Task) -> dt.date | None:
    """Return the date `task` is judged by (its traffic light, `Task.next_due`).

    A dated task: its deadline (整改时限, moved by every extension). A 长期坚持 task: the
    earliest milestone (阶段目标) not yet reached, or None when all are reached. DOMAIN.md §6.
    Status does not enter: lists and counters combine `next_due` with the status. A task not
    yet saved has no milestones, so costs no query.
    """
    if not task.is_long_term:
        return task.due_on
    if task.pk is None:
        return None
    return (
        task.milestones.filter(done_on__isnull=True)
        .order_by("due_on")
        .values_list("due_on", flat=True)
        .first()
    )


def sync_next_due(task: Task) -> Task:
    """Store `next_due_of(task)` on the task (in memory and in the table) when it changed.

    Every write of a task calls it (creation, import, change, milestones added or reached,
    extension, status steps, 更正), so a save of a stale copy cannot leave an old date. One UPDATE of that column only (no version bump, no history row: the
    column is derived); a dated task costs no query when nothing moved.
    """
    due = next_due_of(task)
    if task.next_due != due:
        task.next_due = due
        Task.objects.filter(pk=task.pk).update(next_due=due)
    return task


# --- Problems --------------------------------------------------------------------------------


@transaction.atomic
def problem_register(
    *,
    by,
    source: str,
    year: int,
    title: str,
    document: str = "",
    order: int = 0,
    category: str = "",
    aspect: str = "",
    detail: str = "",
    reported_in_year: int | None = None,
) -> Problem:
    """Register a problem (问题登记) found by `source` in `year`.

    Raises ValidationError (keyed by field) for a blank title, an unknown source, a year
    outside 2000–2100, or the same title already registered for that source and year.
    """
    problem = Problem(
        source=source,
        year=year,
        title=title.strip(),
        document=document.strip(),
        order=order or 0,
        category=category.strip(),
        aspect=aspect.strip(),
        detail=detail.strip(),
        reported_in_year=reported_in_year,
        created_by=by,
    )
    _clean_problem(problem)
    problem.save()
    return problem


def _clean_problem(problem: Problem) -> None:
    errors = {}
    if problem.year is not None and not 2000 <= problem.year <= today().year + 1:
        errors["year"] = f"年度应在2000年至{today().year + 1}年之间。"
    try:
        problem.full_clean(
            exclude=["created_by"], validate_unique=False, validate_constraints=False
        )
    except ValidationError as exc:
        errors = {**exc.message_dict, **errors}
    if errors:
        raise ValidationError(errors)
    same = Problem.objects.filter(source=problem.source, year=problem.year, title=problem.title)
    if same.exclude(pk=problem.pk).exists():
        raise ValidationError(
            {"title": f"{problem.year}年{problem.source}中已登记过这个问题，请勿重复登记。"}
        )


@transaction.atomic
def problem_update(problem: Problem, *, by, **fields) -> Problem:
    """Change a problem's fields (source, year, title, grouping ...) after the same checks."""
    for name, value in fields.items():
        setattr(problem, name, value.strip() if isinstance(value, str) else value)
    _clean_problem(problem)
    problem.save()
    return problem


# --- Tasks -----------------------------------------------------------------------------------


def _deadline(
    assigned_on: dt.date,
    *,
    due_on: dt.date | None,
    period_days: int | None,
    period_months: int | None,
    is_long_term: bool,
) -> tuple[dt.date | None, str]:
    """Return (due date, how it was set) from one of: a date, days, months, or 长期坚持.

    A period counts from the day after `assigned_on` and a last day on a rest day moves to the
    next working day (《民法典》第二百零一条至第二百零三条); a date given is kept as given.
    """
    given = [x for x in (due_on, period_days, period_months) if x]
    if is_long_term:
        if given:
            raise ValidationError(
                {"due_on": "长期坚持的任务不设整改时限，请清除时限或取消“长期坚持”。"}
            )
        return None, "长期坚持，按阶段目标考核"
    if len(given) != 1:
        raise ValidationError(
            {
                "due_on": "请填写整改时限：选择一个日期，或填写期限天数、月数中的一项；长期坚持的请勾选“长期坚持”。"
            }
        )
    if period_days:
        due = WorkCalendar.load().add_days(assigned_on, period_days)
        return due.date, due.explanation
    if period_months:
        due = WorkCalendar.load().add_months(assigned_on, period_months)
        return due.date, due.explanation
    if due_on < assigned_on:
        raise ValidationError(
            {"due_on": f"整改时限（{cn_date(due_on)}）不能早于交办日期（{cn_date(assigned_on)}）。"}
        )
    return due_on, f"交办时确定：{cn_date(due_on)}前完成"


def _check_people(responsible, leader) -> None:
    errors = {}
    if responsible is None or not responsible.is_active:
        errors["responsible"] = "请选择在岗的责任人。"
    if not is_leader(leader):
        errors["leader"] = "分管领导须是“领导”角色的用户，请重新选择。"
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def task_create(
    *,
    by,
    problem: Problem,
    measures: str,
    lead_unit,
    responsible,
    leader,
    assigned_on: dt.date,
    due_on: dt.date | None = None,
    period_days: int | None = None,
    period_months: int | None = None,
    is_long_term: bool = False,
    co_units: Iterable = (),
    follows_up: Task | None = None,
    milestones: Iterable[tuple[str, dt.date]] = (),
    form_token=None,
) -> Task:
    """Register a rectification task (整改任务) for `problem` and give it the year's next number.

    The deadline is one of `due_on`, `period_days` or `period_months` (counted from
    `assigned_on` with the township calendar), or `is_long_term` (长期坚持, judged by
    `milestones`: (title, due date) pairs). Raises ValidationError for blank measures, a
    deadline missing or before the assignment, a supervising leader who is not a leader, a lead
    unit also listed as co-unit, or a follow-up of a task of another problem; and
    DuplicateSubmission (with the first task) when the form with `form_token` was already posted.
    """
    check_token_unused(Task, form_token)
    check_date("assigned_on", assigned_on)
    if not measures.strip():
        raise ValidationError({"measures": "请填写整改措施。"})
    _check_people(responsible, leader)
    due, explanation = _deadline(
        assigned_on,
        due_on=due_on,
        period_days=period_days,
        period_months=period_months,
        is_long_term=is_long_term,
    )
    co_units = list(co_units)
    if lead_unit in co_units:
        raise ValidationError({"co_units": f"{lead_unit.name}已是牵头单位，不必再列为配合单位。"})
    milestones = list(milestones)
    if is_long_term and not milestones:
        raise ValidationError(
            {"milestones": "长期坚持的任务请至少设定一个阶段目标（如：每季度开展一次集体学法）。"}
        )
    year = assigned_on.year
    serial = allocate_serial(REGISTER, year)
    task = Task(
        form_token=form_token,
        next_due=due,
        number=task_number(year, serial),
        year=year,
        serial=serial,
        problem=problem,
        measures=measures.strip(),
        lead_unit=lead_unit,
        responsible=responsible,
        leader=leader,
        assigned_on=assigned_on,
        due_on=due,
        due_explanation=explanation,
        is_long_term=is_long_term,
        follows_up=follows_up,
        created_by=by,
    )
    save_new_once(task)
    task.co_units.set(co_units)
    for title, milestone_due in milestones:
        _add_milestone(task, title=title, due_on=milestone_due)
    sync_next_due(task)
    _event(task, action="交办", on=assigned_on, by=by, note=TASK["assign"].note(task))
    return task


_EDITABLE = {
    "measures": "整改措施",
    "lead_unit": "牵头单位",
    "responsible": "责任人",
    "leader": "分管领导",
    "follows_up": "回头看（原任务）",
}


@transaction.atomic
def task_update(task: Task, *, by, co_units: Iterable | None = None, **fields) -> Task:
    """Change a task's measures, units, responsible person or leader; the deadline changes
    only through `task_extend`.

    Raises ValidationError for a closed task (已销号), blank measures, or a leader who is not
    a leader. Writes the changed fields onto the timeline.
    """
    if task.is_closed:
        raise ValidationError("已销号的任务不能修改；问题反弹时请先“重新整改”。")
    unknown = set(fields) - set(_EDITABLE)
    if unknown:
        raise ValueError(f"not editable: {sorted(unknown)}")
    if "measures" in fields:
        fields["measures"] = fields["measures"].strip()
        if not fields["measures"]:
            raise ValidationError({"measures": "请填写整改措施。"})
    _check_people(fields.get("responsible", task.responsible), fields.get("leader", task.leader))
    changed = [
        label
        for name, label in _EDITABLE.items()
        if name in fields and getattr(task, name) != fields[name]
    ]
    for name, value in fields.items():
        setattr(task, name, value)
    if co_units is not None:
        co_units = list(co_units)
        if task.lead_unit in co_units:
            raise ValidationError(
                {"co_units": f"{task.lead_unit.name}已是牵头单位，不必再列为配合单位。"}
            )
        if set(co_units) != set(task.co_units.all()):
            changed.append("配合单位")
            task.co_units.set(co_units)
    task.save()
    sync_next_due(task)
    if changed:
        _event(task, action="修改", on=today(), by=by, note="修改了" + "、".join(changed))
    return task


def _add_milestone(task: Task, *, title: str, due_on: dt.date | None) -> Milestone:
    if not title.strip():
        raise ValidationError({"milestones": "请填写阶段目标。"})
    if due_on is None:
        raise ValidationError({"milestones": f"请填写阶段目标“{title}”的完成时限。"})
    if due_on < task.assigned_on:
        raise ValidationError(
            {
                "milestones": f"阶段目标“{title}”的完成时限不能早于交办日期（{cn_date(task.assigned_on)}）。"
            }
        )
    if task.due_on and due_on > task.due_on:
        raise ValidationError(
            {
                "milestones": f"阶段目标“{title}”的完成时限不能晚于整改时限（{cn_date(task.due_on)}）。"
            }
        )
    return Milestone.objects.create(task=task, title=title.strip(), due_on=due_on)


@transaction.atomic
def milestone_add(task: Task, *, by, title: str, due_on: dt.date) -> Milestone:
    """Add a milestone (阶段目标) to a task not yet closed; within its deadline if it has one."""
    TASK.guard(task, "milestone")
    milestone = _add_milestone(task, title=title, due_on=due_on)
    sync_next_due(task)
    _event(
        task,
        action="增加阶段目标",
        on=today(),
        by=by,
        note=f"{milestone.title}，{cn_date(due_on)}前",
    )
    return milestone


@transaction.atomic
def milestone_reach(milestone: Milestone, *, by, on: dt.date) -> Milestone:
    """Mark a milestone reached (阶段目标完成) on `on`, not before the task was assigned."""
    task = milestone.task
    TASK.guard(task, "milestone_reach")
    if milestone.done_on:
        raise ValidationError(f"阶段目标“{milestone.title}”已于{cn_date(milestone.done_on)}完成。")
    check_date("done_on", on, not_before=task.assigned_on, what="交办日期")
    milestone.done_on = on
    milestone.save(update_fields=["done_on"])
    sync_next_due(task)
    late = (on - milestone.due_on).days
    note = milestone.title + (f"（超期{late}天完成）" if late > 0 else "（按期完成）")
    _event(task, action="阶段目标完成", on=on, by=by, note=note)
    return milestone


def _save_files(progress: Progress, files: Iterable, by) -> list[Evidence]:
    saved = []
    for upload in files:
        title = getattr(upload, "title", "") or upload.name.rsplit(".", 1)[0][:100]
        evidence = Evidence(
            progress=progress, task=progress.task, title=title, file=upload, uploaded_by=by
        )
        evidence.full_clean(exclude=["progress", "task", "uploaded_by"])
        evidence.save()
        saved.append(evidence)
    return saved


@transaction.atomic
def task_add_progress(task: Task, *, by, on: dt.date, text: str, files: Iterable = ()) -> Progress:
    """Record a progress entry (整改进展) with its evidence files (整改佐证材料).

    The first entry on a task not started moves it to 整改中. Raises ValidationError on a
    closed task, for blank text, or for a file of the wrong type, size or content
    (`tasks.validators.validate_evidence`).
    """
    TASK.guard(task, "progress")
    check_date("on", on, not_before=task.assigned_on, what="交办日期")
    if not text.strip():
        raise ValidationError({"text": "请填写整改进展。"})
    progress = Progress.objects.create(task=task, on=on, text=text.strip(), by=by)
    saved = _save_files(progress, files, by)
    if task.status == Task.Status.NOT_STARTED:
        task.status = Task.Status.IN_PROGRESS
        task.save(update_fields=["status", "updated_at"])
        sync_next_due(task)
        _event(task, action="开始整改", on=on, by=by)
    _event(task, action="整改进展", on=on, by=by, note=progress_note(progress.text, len(saved)))
    return progress


@transaction.atomic
def task_complete(task: Task, *, by, on: dt.date, text: str, files: Iterable = ()) -> Task:
    """Report a task completed (整改完成), waiting for a leader's verification (待销号).

    `text` says what was done; `files` add evidence. Raises ValidationError unless the task is
    未开始 or 整改中 and, with the files given now, has at least one evidence file: no 已完成
    without evidence (DOMAIN.md §6).
    """
    TASK.guard(task, "complete")
    check_date("completed_on", on, not_before=task.assigned_on, what="交办日期")
    if not text.strip():
        raise ValidationError({"text": "请写明整改完成情况。"})
    files = list(files)
    if not files and not task.evidence.exists():
        raise ValidationError(
            {"files": "报完成须有整改佐证材料：请上传至少一份（如会议记录、制度文件、照片）。"}
        )
    progress = Progress.objects.create(task=task, on=on, text=text.strip(), by=by)
    _save_files(progress, files, by)
    task.status = Task.Status.COMPLETED
    task.completed_on = on
    task.save(update_fields=["status", "completed_on", "updated_at"])
    sync_next_due(task)
    late = (
        ""
        if task.is_long_term or on <= task.due_on
        else f"（超过整改时限{(on - task.due_on).days}天）"
    )
    _event(task, action="整改完成", on=on, by=by, note=progress.text[:100] + late)
    return task


@transaction.atomic
def task_verify(task: Task, *, by, on: dt.date, passed: bool, comment: str = "") -> Task:
    """Verify a completed task (销号审核): close it (已销号) or send it back (退回整改).

    Only a leader (permission tasks.verify_task) who is not the task's responsible person may
    verify. A failed verification needs a comment saying what is missing and sends the task
    back to 整改中. Raises ValidationError otherwise. DOMAIN.md §6.
    """
    TASK.guard(task, "verify", by=by)
    check_date("on", on, not_before=task.completed_on, what="完成日期")
    comment = comment.strip()
    if passed:
        task.status = Task.Status.CLOSED
        task.closed_on = on
        task.verified_by = by
        task.verification_comment = comment
        task.save()
        sync_next_due(task)
        _event(task, action="销号", on=on, by=by, note=comment or "经核验，整改到位，同意销号")
    else:
        if not comment:
            raise ValidationError({"comment": "不同意销号时，请写明未整改到位之处。"})
        task.status = Task.Status.IN_PROGRESS
        task.completed_on = None
        task.save()
        sync_next_due(task)
        _event(task, action="销号未通过", on=on, by=by, note=comment)
    return task


@transaction.atomic
def task_reopen(task: Task, *, by, on: dt.date, reason: str) -> Task:
    """Reopen a closed task (重新整改) when the problem recurs (问题反弹); back to 整改中.

    Raises ValidationError unless the task is closed and a reason is given.
    """
    TASK.guard(task, "reopen")
    check_date("on", on, not_before=task.closed_on, what="销号日期")
    if not reason.strip():
        raise ValidationError({"reason": "请写明重新整改的原因（如问题反弹的情况）。"})
    previous = f"原于{cn_date(task.closed_on)}经{task.verified_by.display_name}销号"
    task.status = Task.Status.IN_PROGRESS
    task.completed_on = None
    task.closed_on = None
    task.verified_by = None
    task.verification_comment = ""
    task.save()
    sync_next_due(task)
    _event(task, action="重新整改", on=on, by=by, note=f"{reason.strip()}（{previous}）")
    return task


@transaction.atomic
def task_extend(
    task: Task, *, by, on: dt.date, new_due_on: dt.date, reason: str, approved_by
) -> Extension:
    """Extend a task's deadline (延期) to `new_due_on`, approved by a leader, with a reason.

    Raises ValidationError for a task not being rectified, a 长期坚持 task (it has no
    deadline), a new date not after the current one, a blank reason, or an approver who is not
    a leader. Every extension is kept and counted.
    """
    TASK.guard(task, "extend")
    errors = {}
    if new_due_on is None or new_due_on <= task.due_on:
        errors["new_due_on"] = f"延期后的时限应晚于现在的整改时限（{cn_date(task.due_on)}）。"
    if not reason.strip():
        errors["reason"] = "请写明延期理由。"
    if not is_leader(approved_by):
        errors["approved_by"] = "延期须经领导批准，请选择批准领导。"
    if errors:
        raise ValidationError(errors)
    check_date("on", on, not_before=task.assigned_on, what="交办日期")
    extension = Extension.objects.create(
        task=task,
        old_due_on=task.due_on,
        new_due_on=new_due_on,
        reason=reason.strip(),
        approved_by=approved_by,
        on=on,
    )
    count = task.extensions.count()
    task.due_on = new_due_on
    task.next_due = new_due_on
    task.due_explanation = f"经{approved_by.display_name}批准第{count}次延期至{cn_date(new_due_on)}（原时限{cn_date(extension.old_due_on)}）"
    task.save(update_fields=["due_on", "next_due", "due_explanation", "updated_at"])
    _event(
        task, action="延期", on=on, by=by, note=f"{task.due_explanation}；理由：{extension.reason}"
    )
    return extension


@transaction.atomic
def task_void(task: Task, *, by, reason: str) -> Task:
    """Void a task registered in error (作废): it stays on file, tagged 已作废, and leaves the
    lists, the verification queue and the figures. Raises ValidationError for a closed task
    (已销号 is a result, not an error), a blank reason, or a task already voided."""
    if task.is_closed:
        raise ValidationError("已销号的任务不能作废。")
    void_record(task, by=by, reason=reason)
    _event(task, action="作废", on=today(), by=by, note=f"理由：{task.void_reason}")
    return task


# --- Ledger import (整改台账) ------------------------------------------------------------------


@dataclass
class ImportedTask:
    """One 整改台账 row to write, as `tasks_import` writes it.

    `problem` is (source, year, title) and `problem_values` its other columns (a problem not
    on file is registered from them; blanks of one on file are filled); `values` the task's
    fields (measures, lead_unit, responsible, leader, assigned_on, due_on, is_long_term);
    `status` 未开始 or 整改中; `progress` new (day or None, text) entries; `number` (year,
    serial) from the file or None to allocate; `existing` the task on file the row updates,
    with `changed` naming what changes; `note` the 导入 entry's text.
    """

    problem: tuple
    problem_values: dict
    values: dict
    status: str
    co_units: list
    progress: list
    note: str
    number: tuple[int, int] | None = None
    existing: Task | None = None
    changed: list = field(default_factory=list)


def _import_problems(rows: list[ImportedTask], *, by) -> dict[tuple, Problem]:
    """Return {(source, year, title): problem} for the rows' new tasks: found on file in one
    query, the others registered in one insert; blanks of those on file filled from the row."""
    wanted = {r.problem: r.problem_values for r in rows if r.existing is None}
    titles = sorted({title for _s, _y, title in wanted})
    found = {
        (p.source, p.year, p.title): p
        for start in range(0, len(titles), 2000)
        for p in Problem.objects.filter(title__in=titles[start : start + 2000])
    }
    new, filled, fields = [], [], set()
    for key, values in wanted.items():
        problem = found.get(key)
        if problem is None:
            source, year, title = key
            problem = Problem(source=source, year=year, title=title, created_by=by, **values)
            found[key] = problem
            new.append(problem)
            continue
        blanks = {k: v for k, v in values.items() if v and not getattr(problem, k)}
        if blanks:
            for name, value in blanks.items():
                setattr(problem, name, value)
            fields |= set(blanks)
            filled.append(problem)
    bulk_save(Problem, new=new, changed=filled, fields=fields, by=by)
    return found


def _import_serials(rows: list[ImportedTask]) -> None:
    """Give every new task of the rows its number: the file's own, the counters raised past
    them and past every serial on file, then the others as one block per year."""
    new = [r for r in rows if r.existing is None]
    years = {r.number[0] if r.number else r.values["assigned_on"].year for r in new}
    highest = {
        (REGISTER, year): top or 0
        for year, top in Task.objects.filter(year__in=years)
        .values_list("year")
        .annotate(top=Max("serial"))
    }
    for r in new:
        if r.number:
            key = (REGISTER, r.number[0])
            highest[key] = max(highest.get(key, 0), r.number[1])
    raise_serials(highest)
    wanted: dict[int, list[ImportedTask]] = defaultdict(list)
    for r in new:
        if r.number is None:
            wanted[r.values["assigned_on"].year].append(r)
    for year, waiting in wanted.items():
        for r, serial in zip(waiting, allocate_serials(REGISTER, year, len(waiting)), strict=True):
            r.number = (year, serial)


def _progress(task: Task, entries, *, by, started: bool) -> tuple[list, list]:
    """Return the progress rows and timeline entries of `entries`, as `task_add_progress`
    writes them: the first entry of a task not started starts it (开始整改)."""
    rows, events = [], []
    for on, text in entries:
        on = on or today()
        rows.append(Progress(task=task, on=on, text=text, by=by))
        if not started:
            events.append(Event.build(task, action="开始整改", on=on, by=by))
            started = True
        events.append(Event.build(task, action="整改进展", on=on, by=by, note=progress_note(text)))
    return rows, events


@transaction.atomic
def tasks_import(rows: list[ImportedTask], *, by) -> list[Task]:
    """Write the rows of a 整改台账 file in bulk; return the tasks in order.

    New tasks are registered as `task_create` registers them (their problem found or
    registered, the deadline explained as the form's, the 交办 entry worded by the TASK flow)
    and numbered as a block; a task on file gets the row's measures, units, people and state.
    Progress entries are written as `task_add_progress` writes them. One insert each for
    problems, tasks, co-units, progress and timeline entries, history rows naming `by`.
    """
    problems = _import_problems(rows, by=by)
    _import_serials(rows)
    on = today()
    new, changed, units, progress, events = [], [], [], [], []
    # Whether each task had been started before the row: its first progress entry starts it.
    started = [
        r.existing is not None and r.existing.status != Task.Status.NOT_STARTED for r in rows
    ]
    for r in rows:
        if r.existing is None:
            year, serial = r.number
            due_on, explanation = _deadline(
                r.values["assigned_on"],
                due_on=r.values["due_on"],
                period_days=None,
                period_months=None,
                is_long_term=r.values["is_long_term"],
            )
            new.append(
                Task(
                    number=task_number(year, serial),
                    year=year,
                    serial=serial,
                    problem=problems[r.problem],
                    status=r.status,
                    due_explanation=explanation,
                    created_by=by,
                    **{**r.values, "due_on": due_on},
                )
            )
            new[-1].next_due = next_due_of(new[-1])  # unsaved: no milestones, no query
        else:
            task = r.existing
            for name in ("measures", "lead_unit", "responsible", "leader"):
                setattr(task, name, r.values[name])
            task.status = r.status
            # next_due stays: an import changes no deadline (a different 整改时限 is refused).
            changed.append(task)
    bulk_save(
        Task,
        new=new,
        changed=changed,
        fields=("measures", "lead_unit", "responsible", "leader", "status"),
        by=by,
    )
    saved = iter(new)
    tasks = []
    for r, was_started in zip(rows, started, strict=True):
        task = r.existing or next(saved)
        tasks.append(task)
        if r.existing is None:
            events.append(Event.build(task, action="导入", on=on, by=by, note=r.note))
            events.extend(
                Event.build(task, action=action, on=day, by=by, note=note)
                for action, day, note in TASK.implied_events(task)
            )
        else:
            events.append(Event.build(task, action="导入", on=on, by=by, note=r.note))
        entries, entry_events = _progress(task, r.progress, by=by, started=was_started)
        progress += entries
        events += entry_events
        units += [Task.co_units.through(task=task, unit=u) for u in r.co_units]
    Task.co_units.through.objects.filter(task__in=changed).delete()
    Task.co_units.through.objects.bulk_create(units, batch_size=1000)
    Progress.objects.bulk_create(progress, batch_size=1000)
    Event.objects.bulk_create(events, batch_size=1000)
    return tasks
