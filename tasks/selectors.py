"""Figures of problems (问题) and rectification tasks (整改任务) for the dashboard and the report.

Other apps read the `tasks` app only through this module. Every function counts the whole
township (no filtering by user), except `open_deadlines_for`, which is one user's list.

Shapes:
- Counts are `int`s. Rates are percentages as `Decimal` with one place, rounded half up
  (688 closed of 697 -> Decimal("98.7")), or `None` when the denominator is 0: the page prints
  "—", never "100%". See `percent`.
- Breakdowns are dicts keyed by the printed label: sources and statuses keep their list's order
  and show zeros (`"年度报告"`, `"已销号"` ...); groups are {大类: {方面: n}} in the order of the
  problems' numbering, `NOT_FILLED` for a blank 大类 or 方面.
- `FIGURE_LABELS` gives each figure's Chinese name and unit, so the report can insert figures
  by key: `getattr(figures, key)` or `figures.as_dict()[key]`.
- Dates are `datetime.date` in Asia/Shanghai; `today` defaults to the local date.

Query budget: `problem_figures` 2 queries, `task_figures` 2, `problem_rectification` 2,
`open_deadlines_for` 1, whatever the number of rows.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, fields
from decimal import Decimal

from django.db.models import Count, F, Min, Q
from django.urls import reverse
from django.utils import timezone

from miaoba.figures import AMOUNT, AreaFigures, Figure, percent, rate
from miaoba.periods import FigureFilter, Period
from tasks.models import AMBER_DAYS, Extension, Problem, Task

NOT_FILLED = "未分类"
OPEN = [Task.Status.NOT_STARTED, Task.Status.IN_PROGRESS]

PROBLEM_FIGURES_QUERIES = 2
TASK_FIGURES_QUERIES = 2
PROBLEM_RECTIFICATION_QUERIES = 2


@dataclass(frozen=True)
class FigureLabel:
    """A figure's Chinese name and unit as the report prints them: 整改任务数, 项."""

    label: str
    unit: str


FIGURE_LABELS: dict[str, FigureLabel] = {
    "problem_total": FigureLabel("问题数", "个"),
    "by_source": FigureLabel("按问题来源分", "个"),
    "by_group": FigureLabel("按大类、方面分", "个"),
    "task_total": FigureLabel("整改任务数", "项"),
    "by_status": FigureLabel("按状态分", "项"),
    "not_started": FigureLabel("未开始任务数", "项"),
    "in_progress": FigureLabel("整改中任务数", "项"),
    "completed": FigureLabel("已完成待销号任务数", "项"),
    "closed": FigureLabel("已销号任务数", "项"),
    "completion_rate": FigureLabel("整改完成率（已销号/任务总数）", "%"),
    "overdue": FigureLabel("超期未完成任务数", "项"),
    "due_soon": FigureLabel("7日内到期任务数", "项"),
    "long_term": FigureLabel("长期坚持任务数", "项"),
    "extended_tasks": FigureLabel("延期任务数", "项"),
    "extension_count": FigureLabel("延期次数", "次"),
}


class _Figures:
    def as_dict(self) -> dict[str, object]:
        """Return the figures keyed by their stable English names."""
        return {f.name: getattr(self, f.name) for f in fields(self)}


@dataclass(frozen=True)
class ProblemFigures(_Figures):
    """Problems (问题) of a year: total, by source (来源) and by group (大类 / 方面)."""

    problem_total: int
    by_source: dict[str, int]
    by_group: dict[str, dict[str, int]]


@dataclass(frozen=True)
class TaskFigures(_Figures):
    """Rectification tasks as they stand on `today`; keys and units in `FIGURE_LABELS`.

    - `completion_rate` = closed (已销号) / task_total.
    - `overdue`: tasks still being rectified (未开始/整改中) past their deadline, or for a
      长期坚持 task past an open milestone; `due_soon`: due within 7 days, today included.
    - `extended_tasks`: tasks extended at least once; `extension_count`: all extensions (延期).
    """

    task_total: int
    by_status: dict[str, int]
    not_started: int
    in_progress: int
    completed: int
    closed: int
    completion_rate: Decimal | None
    overdue: int
    due_soon: int
    long_term: int
    extended_tasks: int
    extension_count: int


def _problems(year: int | None, source: str | None):
    problems = Problem.objects.order_by()
    if year is not None:
        problems = problems.filter(year=year)
    if source:
        problems = problems.filter(source=source)
    return problems


def problem_figures(year: int | None = None, *, source: str | None = None) -> ProblemFigures:
    """Return the problems of `year` (all years when None), optionally of one `source`
    (年度报告, 督察 ...): total, by source, by group. Two queries.
    """
    problems = _problems(year, source)
    counts = dict(problems.values_list("source").annotate(n=Count("id")))
    by_source = {label: counts.get(value, 0) for value, label in Problem.Source.choices}
    rows = (
        problems.values_list("category", "aspect")
        .annotate(n=Count("id"), first=Min("order"), first_id=Min("id"))
        .order_by()
    )
    by_group: dict[str, dict[str, int]] = {}
    for category, aspect, n, _first, _id in sorted(rows, key=lambda r: (r[3], r[4])):
        by_group.setdefault(category or NOT_FILLED, {})[aspect or NOT_FILLED] = n
    return ProblemFigures(
        problem_total=sum(counts.values()), by_source=by_source, by_group=by_group
    )


def task_figures(
    *, problem_year: int | None = None, source: str | None = None, today: dt.date | None = None
) -> TaskFigures:
    """Return the task figures (任务数, 状态, 完成率, 超期, 延期) as they stand on `today`.

    With `problem_year` and/or `source`, only the tasks answering those problems count (the
    report's "how last year's problems were rectified"). Two queries.
    """
    today = today or timezone.localdate()
    tasks = Task.objects.active().order_by()
    if problem_year is not None:
        tasks = tasks.filter(problem__year=problem_year)
    if source:
        tasks = tasks.filter(problem__source=source)
    S = Task.Status
    being = Q(status__in=OPEN)
    counts = tasks.aggregate(
        total=Count("id"),
        not_started=Count("id", filter=Q(status=S.NOT_STARTED)),
        in_progress=Count("id", filter=Q(status=S.IN_PROGRESS)),
        completed=Count("id", filter=Q(status=S.COMPLETED)),
        closed=Count("id", filter=Q(status=S.CLOSED)),
        overdue=Count("id", filter=being & Q(next_due__lt=today)),
        due_soon=Count(
            "id",
            filter=being
            & Q(next_due__gte=today, next_due__lte=today + dt.timedelta(days=AMBER_DAYS)),
        ),
        long_term=Count("id", filter=Q(is_long_term=True)),
    )
    extensions = Extension.objects.filter(task__in=tasks.values("pk")).aggregate(
        n=Count("id"), tasks=Count("task", distinct=True)
    )
    by_status = {label: counts[value_key] for value_key, label in _STATUS_KEYS}
    return TaskFigures(
        task_total=counts["total"],
        by_status=by_status,
        not_started=counts["not_started"],
        in_progress=counts["in_progress"],
        completed=counts["completed"],
        closed=counts["closed"],
        completion_rate=percent(counts["closed"], counts["total"]),
        overdue=counts["overdue"],
        due_soon=counts["due_soon"],
        long_term=counts["long_term"],
        extended_tasks=extensions["tasks"],
        extension_count=extensions["n"],
    )


_STATUS_KEYS = [
    ("not_started", Task.Status.NOT_STARTED.label),
    ("in_progress", Task.Status.IN_PROGRESS.label),
    ("completed", Task.Status.COMPLETED.label),
    ("closed", Task.Status.CLOSED.label),
]

# The state of a problem's rectification as the next year's report words it.
STATE_NO_TASK = "未交办整改任务"
STATE_CLOSED = "已整改销号"
STATE_COMPLETED = "已完成，待销号"
STATE_IN_PROGRESS = "正在整改"
STATE_LONG_TERM = "长期坚持"


def problem_rectification(
    year: int, *, source: str | None = Problem.Source.ANNUAL_REPORT, today: dt.date | None = None
) -> list[dict]:
    """Return, for each problem of `year` (of `source`, the annual report by default; None for
    every source), how its tasks stand now. Two queries.

    Each item: problem_id, order, source, document, category, aspect, title, task_count,
    not_started, in_progress, completed, closed, overdue, completion_rate (Decimal or None),
    state (未交办整改任务 / 已整改销号 / 已完成，待销号 / 长期坚持 / 正在整改). A problem is
    已整改销号 when every task is closed; 长期坚持 when the only open tasks are 长期坚持 ones
    on time. Ordered as numbered in the source document.
    """
    today = today or timezone.localdate()
    problems = list(
        _problems(year, source)
        .order_by("source", "order", "id")
        .values("id", "order", "source", "document", "category", "aspect", "title")
    )
    S = Task.Status
    being = Q(status__in=OPEN)
    stats = {
        row["problem"]: row
        for row in Task.objects.active()
        .filter(problem__in=[p["id"] for p in problems])
        .order_by()
        .values("problem")
        .annotate(
            task_count=Count("id"),
            not_started=Count("id", filter=Q(status=S.NOT_STARTED)),
            in_progress=Count("id", filter=Q(status=S.IN_PROGRESS)),
            completed=Count("id", filter=Q(status=S.COMPLETED)),
            closed=Count("id", filter=Q(status=S.CLOSED)),
            overdue=Count("id", filter=being & Q(next_due__lt=today)),
            open_dated=Count("id", filter=being & Q(is_long_term=False)),
        )
    }
    result = []
    for p in problems:
        row = stats.get(p["id"], {})
        n = {
            k: row.get(k, 0)
            for k in (
                "task_count",
                "not_started",
                "in_progress",
                "completed",
                "closed",
                "overdue",
                "open_dated",
            )
        }
        if not n["task_count"]:
            state = STATE_NO_TASK
        elif n["closed"] == n["task_count"]:
            state = STATE_CLOSED
        elif n["not_started"] + n["in_progress"] == 0:
            state = STATE_COMPLETED
        elif n["open_dated"] == 0 and n["overdue"] == 0:
            state = STATE_LONG_TERM
        else:
            state = STATE_IN_PROGRESS
        n.pop("open_dated")
        result.append(
            {
                "problem_id": p["id"],
                **{k: p[k] for k in ("order", "source", "document", "category", "aspect", "title")},
                **n,
                "completion_rate": percent(n["closed"], n["task_count"]),
                "state": state,
            }
        )
    return result


def open_deadlines_for(
    user, *, today: dt.date | None = None, within_days: int = AMBER_DAYS
) -> list[dict]:
    """Return the user's tasks overdue or due within `within_days` days, for the home page.

    The user's tasks are those they are responsible for or supervise, and those led by their
    units, still being rectified (未开始/整改中). A 长期坚持 task counts by its next open
    milestone. Each item is a plain dict: area ("整改任务"), title ("整改〔2021〕3号 问题…"),
    url, due (date), days_left (int, negative when overdue), light ("red"/"amber"),
    remaining (超期5天 / 今日到期 / 剩余3天). Earliest first. One query.
    """
    today = today or timezone.localdate()
    horizon = today + dt.timedelta(days=within_days)
    tasks = (
        Task.objects.active()
        .filter(Q(responsible=user) | Q(leader=user) | Q(lead_unit__in=user.units.all()))
        .filter(status__in=OPEN, next_due__lte=horizon)
        .select_related("problem")
        .order_by("next_due", "pk")
        .distinct()
    )
    items = []
    for task in tasks:
        left = (task.next_due - today).days
        items.append(
            {
                "area": "整改任务",
                "title": f"{task.number} {task.problem.title[:24]}",
                "url": reverse("tasks:task_detail", args=[task.pk]),
                "due": task.next_due,
                "days_left": left,
                "light": "red" if left < 0 else "amber",
                "remaining": task.light_text(today),
            }
        )
    return items


def task_conditions(cut: dt.date) -> dict[str, Q]:
    """Return the task figures' conditions by name, judged on `cut`: closed (已销号), overdue (未开始/整改中 past the deadline or an open
    milestone before `cut`), extended (延期 at least once)."""
    return {
        "closed": Q(status=Task.Status.CLOSED),
        "overdue": Q(status__in=OPEN, next_due__lt=cut),
        "extended": Q(pk__in=Extension.objects.values("task")),
    }


_FAR = dt.date(9999, 12, 31)

# The task list's `?figure=` choices (miaoba.periods): the tasks behind each figure.
TASK_FILTERS: dict[str, FigureFilter] = {
    "closed": FigureFilter(
        "已销号", lambda qs, cut: qs.filter(task_conditions(cut or _FAR)["closed"]), "项"
    ),
    "overdue": FigureFilter(
        "超期未完成",
        lambda qs, cut: qs.filter(task_conditions(cut or timezone.localdate())["overdue"]),
        "项",
    ),
    "extended": FigureFilter(
        "延期过的任务", lambda qs, cut: qs.filter(task_conditions(cut or _FAR)["extended"]), "项"
    ),
    "extensions": FigureFilter(
        "延期次数",
        lambda qs, cut: qs.filter(task_conditions(cut or _FAR)["extended"]),
        "次",
        lambda qs: Extension.objects.filter(task__in=qs.values("pk")).count(),
    ),
}


def task_report_figures(
    first: int, last: int, *, as_of: dt.date | None, calendar=None
) -> AreaFigures:
    """Return the rectification area (整改任务) of a period as plain data (miaoba.figures).

    Problems found in `first`–`last` (any source, by the problem's year) and the tasks answering
    them, as they stand now, with "overdue" judged on the period's last day (or `as_of`).
    Links: the problem list and the task list kept to the problems' years (`TASK_FILTERS`).
    Three queries. `calendar` is not needed (deadlines here are calendar dates).
    """
    period = Period(first, last, as_of)
    problems = Problem.objects.filter(year__gte=first, year__lte=last).order_by()
    tasks = Task.objects.active().filter(problem__year__gte=first, problem__year__lte=last)
    c = task_conditions(period.end)
    counts = tasks.order_by().aggregate(
        total=Count("id"),
        closed=Count("id", filter=c["closed"]),
        overdue=Count("id", filter=c["overdue"]),
        extended=Count("id", filter=c["extended"]),
    )
    counts["problems"] = problems.count()
    extensions = Extension.objects.filter(task__in=tasks.values("pk")).count()
    task_url = reverse("tasks:task_list")
    problem_url = reverse("tasks:problem_list")
    figures = {
        "problems": Figure("problems", "查找问题数", "个", counts["problems"], problem_url + period.query()),
        "total": Figure("total", "整改任务数", "项", counts["total"], task_url + period.query()),
        "closed": Figure("closed", "已销号任务数", "项", counts["closed"], task_url + period.query(figure="closed")),
    }  # fmt: skip
    figures["completion_rate"] = rate("completion_rate", "整改完成率", ("closed", "total"), figures)
    figures["overdue"] = Figure(
        "overdue",
        "超期未完成任务数",
        "项",
        counts["overdue"],
        task_url + period.query(figure="overdue"),
    )
    figures["extended"] = Figure(
        "extended",
        "延期任务数",
        "项",
        counts["extended"],
        task_url + period.query(figure="extended"),
    )
    figures["extension_count"] = Figure(
        "extension_count", "延期次数", "次", extensions,
        task_url + period.query(figure="extensions"), AMOUNT,
    )  # fmt: skip
    return AreaFigures(
        area="tasks",
        name="整改任务",
        first=first,
        last=last,
        as_of=as_of,
        figures=figures,
        headline=("completion_rate", "overdue"),
    )


def problems_for_report(year: int) -> list[dict]:
    """Return the annual report's problems of `year` with the measures of their tasks.

    Each item: title, detail, measures (list of str), in the order the report numbered them.
    Two queries. The report's 二、存在的主要问题 and 三、下步整改思路 start from these.
    """
    problems = list(
        Problem.objects.filter(year=year, source=Problem.Source.ANNUAL_REPORT)
        .order_by("order", "id")
        .values("id", "title", "detail")
    )
    measures: dict[int, list[str]] = {}
    for problem_id, text in (
        Task.objects.active()
        .filter(problem__in=[p["id"] for p in problems])
        .order_by("pk")
        .values_list("problem", "measures")
    ):
        measures.setdefault(problem_id, []).append(text)
    return [
        {"title": p["title"], "detail": p["detail"], "measures": measures.get(p["id"], [])}
        for p in problems
    ]


# How the report names where a problem was found (存在的不足, 上年度问题整改).
SOURCE_PHRASES = {
    Problem.Source.ANNUAL_REPORT: "年度报告自查",
    Problem.Source.INSPECTION: "督察反馈",
    Problem.Source.PATROL: "巡察反馈",
    Problem.Source.AUDIT: "审计发现",
    Problem.Source.LEADER: "领导交办",
    Problem.Source.SELF_CHECK: "日常自查",
}


def problems_with_state(year: int, *, as_of: dt.date | None = None) -> list[dict]:
    """Return every problem of `year` (any source) with its rectification as it stood on
    `as_of` (default today), for the annual report. Two queries.

    Each item: id, title, detail, source, source_label (督察反馈 ...), task_count, closed,
    completed, open, state — 未交办整改任务 / 已整改销号 / 已完成，待销号 / 长期坚持 /
    正在整改 — judged from the tasks' dates: a task counts from its 交办日期, is closed from its
    销号日期 and completed from its 完成日期. Ordered as numbered (序号), then as found. One
    state per problem, so a report never calls a problem open in one place and closed in
    another.
    """
    day = as_of or timezone.localdate()
    problems = list(
        Problem.objects.filter(year=year)
        .order_by("order", "id")
        .values("id", "title", "detail", "source")
    )
    stats = {
        row["problem"]: row
        for row in Task.objects.active()
        .filter(problem__in=[p["id"] for p in problems], assigned_on__lte=day)
        .order_by()
        .values("problem")
        .annotate(
            task_count=Count("id"),
            closed=Count("id", filter=Q(closed_on__lte=day)),
            completed=Count("id", filter=Q(completed_on__lte=day) & ~Q(closed_on__lte=day)),
            open_dated=Count(
                "id",
                filter=(Q(completed_on__isnull=True) | Q(completed_on__gt=day))
                & Q(is_long_term=False),
            ),
        )
    }
    out = []
    for p in problems:
        row = stats.get(p["id"], {})
        n, closed, completed = (
            row.get("task_count", 0),
            row.get("closed", 0),
            row.get("completed", 0),
        )
        still_open = n - closed - completed
        if not n:
            state = STATE_NO_TASK
        elif closed == n:
            state = STATE_CLOSED
        elif still_open == 0:
            state = STATE_COMPLETED
        elif row.get("open_dated", 0) == 0:
            state = STATE_LONG_TERM
        else:
            state = STATE_IN_PROGRESS
        out.append(
            {
                **p,
                "source_label": SOURCE_PHRASES.get(p["source"], p["source"]),
                "task_count": n,
                "closed": closed,
                "completed": completed,
                "open": still_open,
                "state": state,
            }
        )
    return out


def plans_for_year(year: int, *, as_of: dt.date | None = None) -> list[dict]:
    """Return the rectification measures planned for `year`: tasks not closed by `as_of`
    (default today) that are due in `year` or are 长期坚持, with their problem, measures, lead
    unit and deadline. For the report's 下一年度主要安排. One query.

    Each item: problem (title), measures, unit (牵头单位 name), due_on (date or None for
    长期坚持). Ordered by deadline (长期坚持 last).
    """
    day = as_of or timezone.localdate()
    rows = (
        Task.objects.active()
        .filter(assigned_on__lte=day)
        .exclude(closed_on__lte=day)
        .filter(Q(due_on__year=year) | Q(is_long_term=True))
        .order_by(F("due_on").asc(nulls_last=True), "pk")
        .values_list("problem__title", "measures", "lead_unit__name", "due_on")
    )
    return [
        {"problem": title, "measures": text, "unit": unit, "due_on": due}
        for title, text, unit, due in rows
    ]
