"""What other pages read from the reports app: the report's deadline reminders, and the two
areas this app gives the dashboard and the report (work records, year figures)."""

from __future__ import annotations

import datetime as dt

from django.db.models import Count, Q, Sum
from django.urls import reverse
from django.utils import timezone

from miaoba.figures import AMOUNT, ENTERED, ITEM_LIMIT, AreaFigures, Figure, Item, items_wanted
from miaoba.periods import FigureFilter, Period
from reports.models import AnnualReport, WorkRecord, WorkRecordKind, YearFigure

REMIND_DAYS = 30  # remind a month before the report is due


def open_deadlines_for(
    user, *, today: dt.date | None = None, within_days: int = REMIND_DAYS
) -> list[dict]:
    """Return the report deadlines due within a month (or overdue) for those who write or sign it.

    Last year's report must be sent to the level above by 1 March and published by 1 April
    (《法治政府建设与责任落实督察工作规定》第二十四条). Items: area, title, url, due, days_left,
    light, remaining — as the home page lists them. One query.
    """
    from reports.services import report_deadlines  # services read figures, which read here

    if not (
        user.has_perm("reports.change_annualreport")
        or user.has_perm("reports.finalise_annualreport")
    ):
        return []
    today = today or timezone.localdate()
    year = today.year - 1
    report = AnnualReport.objects.filter(year=year).first()
    submit_by, publish_by = report_deadlines(year)
    url = (
        reverse("reports:report_detail", args=[year]) if report else reverse("reports:report_list")
    )
    items = []
    for label, due, done in (
        ("报送上级", submit_by, report is not None and report.status == AnnualReport.Status.FINAL),
        ("向社会公开", publish_by, report is not None and report.published_on is not None),
    ):
        left = (due - today).days
        # From a month before the deadline to a month after it; older misses stay on the
        # report list, where they are marked overdue.
        if done or left > within_days or left < -REMIND_DAYS:
            continue
        items.append(
            {
                "area": "年度报告",
                "title": f"{year}年度法治政府建设报告{label}",
                "url": url,
                "due": due,
                "days_left": left,
                "light": "red" if left < 0 else "amber",
                "remaining": f"超期{-left}天"
                if left < 0
                else ("今日到期" if left == 0 else f"剩余{left}天"),
            }
        )
    return items


# --- The areas this app gives the dashboard and the report (see reports.areas) ---------------


def _sum(field: str):
    return lambda qs: qs.aggregate(n=Sum(field))["n"] or 0


# The work-record list's `?figure=` choices (miaoba.periods): the totals of the records kept.
RECORD_FILTERS: dict[str, FigureFilter] = {
    "sessions": FigureFilter("场次合计", lambda qs, cut: qs, "场", _sum("sessions")),
    "participants": FigureFilter("人次合计", lambda qs, cut: qs, "人次", _sum("participants")),
    "materials": FigureFilter("宣传资料合计", lambda qs, cut: qs, "份", _sum("materials")),
}

LEADER_ITEMS = "领导履职"  # the records items of the work a principal leader chaired or joined

_RECORD_MEASURES = (
    # (key suffix, label suffix, unit, aggregate name, list figure)
    ("sessions", "场次", "场", "sessions", "sessions"),
    ("participants", "人次", "人次", "people", "participants"),
    ("materials", "宣传资料", "份", "copies", "materials"),
)


def record_report_figures(
    first: int, last: int, *, as_of: dt.date | None, calendar=None
) -> AreaFigures:
    """Return the work-record area (工作记录) of a period as plain data (miaoba.figures).

    For each kind (专题会议, 法治培训, 普法活动 ...): the number of records ("<kind>.count",
    条), 场次, 人次 and 宣传资料份数 ("<kind>.sessions" ...), each linking the record list kept
    to the period and the kind. Items (one-year periods only): each kind's records with date,
    title and 人次, oldest first, at most `ITEM_LIMIT` a kind, and under `LEADER_ITEMS` those a
    leader chaired or joined (with `leader` and `part`). Voided records never count.
    One query (two with items): every kind with its sums (a kind without records too).
    """
    period = Period(first, last, as_of)
    records = WorkRecord.objects.active().filter(on__range=(period.start, period.end))
    counted = Q(
        workrecord__voided_at__isnull=True, workrecord__on__range=(period.start, period.end)
    )
    rows = list(
        WorkRecordKind.objects.order_by(*WorkRecordKind._meta.ordering, "pk")
        .values("pk", "name")
        .annotate(
            n=Count("workrecord", filter=counted),
            sessions=Sum("workrecord__sessions", filter=counted),
            people=Sum("workrecord__participants", filter=counted),
            copies=Sum("workrecord__materials", filter=counted),
        )
    )
    url = reverse("reports:record_list")
    figures: dict[str, Figure] = {}
    kinds = [(row["pk"], row["name"]) for row in rows]
    for row in rows:
        pk, name = row["pk"], row["name"]
        figures[f"{name}.count"] = Figure(
            f"{name}.count", f"{name}次数", "次", row.get("n") or 0, url + period.query(kind=pk)
        )
        for suffix, label, unit, column, condition in _RECORD_MEASURES:
            figures[f"{name}.{suffix}"] = Figure(
                f"{name}.{suffix}",
                f"{name}{label}",
                unit,
                row.get(column) or 0,
                url + period.query(kind=pk, figure=condition),
                AMOUNT,
            )
    items: dict[str, tuple[Item, ...]] = {}
    if period.is_year and items_wanted():
        names = dict(kinds)
        listed: dict[str, list[Item]] = {}
        rows = records.order_by("on", "pk").values_list(
            "pk", "kind", "on", "title", "participants", "note", "leader", "leader_part"
        )
        for pk, kind, on, title, people, note, leader, part in rows:
            item = Item(title, on, detail=note, people=people, leader=leader, part=part,
                        kind=names[kind], url=reverse("reports:record_edit", args=[pk]))  # fmt: skip
            for key in (names[kind], LEADER_ITEMS if leader else None):
                bucket = listed.setdefault(key, []) if key else None
                if bucket is not None and len(bucket) < ITEM_LIMIT * (
                    3 if key == LEADER_ITEMS else 1
                ):
                    bucket.append(item)
        items = {name: tuple(rows) for name, rows in listed.items()}
    return AreaFigures(
        area="records",
        name="工作记录",
        first=first,
        last=last,
        as_of=as_of,
        figures=figures,
        items=items,
    )


def year_report_figures(
    first: int, last: int, *, as_of: dt.date | None, calendar=None
) -> AreaFigures:
    """Return the hand-entered year figures (年度指标) of the period's last year as plain data.

    Each figure (服务窗口数 个, 按时办结率 % ...) is None when nobody entered it (a gap the
    report marks 【待补充】), linked to the page where it is entered. One query.
    """
    entered = dict(YearFigure.objects.filter(year=last).values_list("key", "value"))
    url = f"{reverse('reports:yearfigure_list')}?year={last}"
    figures = {}
    for key, label in YearFigure.Key.choices:
        value = entered.get(key)
        if value is not None and YearFigure.UNITS[key] != "%":
            value = int(value) if value == value.to_integral_value() else value
        figures[key] = Figure(key, label, YearFigure.UNITS[key], value, url, ENTERED)
    return AreaFigures(
        area="year", name="年度指标", first=last, last=last, as_of=as_of, figures=figures
    )
