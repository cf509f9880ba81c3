"""Figures of 行政复议/行政应诉 cases for the dashboard, the annual report and the workbench.

Other apps read this app only through this module. A period holds the cases whose copy was
received (收到副本日期 `received_on`) in `first`–`last`, cut at `as_of`; a step counts only if
its date is on or before the period's end, so figures read as they stood that evening.

Figures (DOMAIN.md §11): 案件数 (复议 and 诉讼), 被纠错数 and 纠错率 (复议 decisions of 撤销,
变更, 确认违法 or 责令履行 over 复议 decisions), 败诉数 and 败诉率 (the same outcomes over 诉讼
cases concluded), 负责人出庭应诉率 (hearings where the head or a deputy head appeared, over
hearings of 诉讼 cases), 按期答复率 (answers within the period of `reconsideration.clocks`, over
answers). Rates are `miaoba.figures.percent`: None (printed "—") with nothing to divide.

Query budget: `FIGURES_QUERIES` whatever the number of cases. A township has a handful of such
cases a year, so the period's cases are read in one statement and counted in Python (按期 needs
the calendar, which SQL does not know); the list applies the same conditions in SQL
(`conditions`), and the figure-link tests hold the two to the same records.
"""

from __future__ import annotations

import datetime as dt

from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils import timezone

from miaoba.figures import AreaFigures, Bar, Figure, Series, choice_bars, rate
from miaoba.periods import FigureFilter, Period
from miaoba.workcalendar import WorkCalendar
from reconsideration.clocks import answer_due, case_clocks, current_clock
from reconsideration.deadlines import ANSWER_DAYS, DEFENCE_DAYS
from reconsideration.models import Case

AREA_KEY = "reconsideration"
AREA_NAME = "行政复议、行政诉讼"
FIGURES_QUERIES = 1  # the period's cases (the calendar is given, or cached per process)

_RECON, _LIT = Case.Kind.RECONSIDERATION, Case.Kind.LITIGATION
_AGAINST = sorted(Case.AGAINST)
_HEADS = [Case.Appearance.HEAD, Case.Appearance.DEPUTY]


def conditions(cut: dt.date | None) -> dict[str, Q]:
    """Return the condition of each counted figure, judged at `cut` (None: as things stand)."""

    def done(field: str) -> Q:
        q = Q(**{f"{field}__isnull": False})
        return q & Q(**{f"{field}__lte": cut}) if cut else q

    decided = done("decided_on")
    return {
        "reconsideration": Q(kind=_RECON),
        "litigation": Q(kind=_LIT),
        "answered": done("answered_on"),
        "decided": Q(kind=_RECON) & decided,
        "corrected": Q(kind=_RECON) & decided & Q(outcome__in=_AGAINST),
        "judged": Q(kind=_LIT) & decided,
        "lost": Q(kind=_LIT) & decided & Q(outcome__in=_AGAINST),
        "heard": Q(kind=_LIT) & done("heard_on"),
        "head_appeared": Q(kind=_LIT) & done("heard_on") & Q(appearance__in=_HEADS),
    }


def on_time_ids(cases: QuerySet, cut: dt.date | None, calendar: WorkCalendar) -> list[int]:
    """Return the ids of the cases of `cases` answered by `cut` within their answer period."""
    answered = cases.filter(conditions(cut)["answered"]).only(
        "id", "kind", "received_on", "answered_on"
    )
    return [c.pk for c in answered if c.answered_on <= answer_due(c, calendar).date]


def _on_time_filter(qs: QuerySet, cut: dt.date | None) -> QuerySet:
    return qs.filter(pk__in=on_time_ids(qs, cut, WorkCalendar.load()))


def _filter(name: str, label: str) -> FigureFilter:
    return FigureFilter(label, lambda qs, cut: qs.filter(conditions(cut)[name]))


# The case list's `?figure=` choices: the records behind each figure (miaoba.periods).
FIGURE_FILTERS: dict[str, FigureFilter] = {
    "reconsideration": _filter("reconsideration", "行政复议案件"),
    "litigation": _filter("litigation", "行政诉讼案件"),
    "answered": _filter("answered", "已答复（答辩）"),
    "on_time": FigureFilter("按期答复（答辩）", _on_time_filter),
    "decided": _filter("decided", "已作出复议决定"),
    "corrected": _filter("corrected", "复议被纠错"),
    "judged": _filter("judged", "行政诉讼审结"),
    "lost": _filter("lost", "行政诉讼败诉"),
    "heard": _filter("heard", "行政诉讼开庭"),
    "head_appeared": _filter("head_appeared", "负责人出庭应诉"),
}

_LABELS = {
    "total": "案件数",
    "reconsideration": "行政复议案件数",
    "litigation": "行政诉讼案件数",
    "answered": "答复（答辩）数",
    "on_time": "按期答复（答辩）数",
    "decided": "复议决定数",
    "corrected": "被纠错数",
    "judged": "诉讼审结数",
    "lost": "败诉数",
    "heard": "开庭数",
    "head_appeared": "负责人出庭应诉数",
}
# The figures in their order: counts, then the rate of the last over the one before it.
_RATES = (
    (
        ("total", "reconsideration", "litigation", "answered", "on_time"),
        "on_time_rate",
        "按期答复率",
    ),
    (("decided", "corrected"), "correction_rate", "纠错率"),
    (("judged", "lost"), "loss_rate", "败诉率"),
    (("heard", "head_appeared"), "head_appearance_rate", "负责人出庭应诉率"),
)


def _cases(period: Period) -> QuerySet:
    return Case.objects.active().filter(received_on__gte=period.start, received_on__lte=period.end)


_FIELDS = ("id", "kind", "received_on", "answered_on", "heard_on", "appearance", "decided_on",
           "outcome", "act_kind")  # fmt: skip


def _counted(row: dict, cut: dt.date, calendar: WorkCalendar) -> set[str]:
    """Return the figures a case (one row of `_FIELDS`) counts in, judged at `cut`: the
    conditions of `conditions`, in Python (the list applies the same ones in SQL)."""

    def done(day) -> bool:
        return day is not None and day <= cut

    lit = row["kind"] == _LIT
    decided = done(row["decided_on"])
    against = row["outcome"] in Case.AGAINST
    heard = lit and done(row["heard_on"])
    marks = {
        "total": True,
        "reconsideration": not lit,
        "litigation": lit,
        "answered": done(row["answered_on"]),
        "decided": not lit and decided,
        "corrected": not lit and decided and against,
        "judged": lit and decided,
        "lost": lit and decided and against,
        "heard": heard,
        "head_appeared": heard and row["appearance"] in _HEADS,
    }
    if marks["answered"]:
        case = Case(kind=row["kind"], received_on=row["received_on"])
        marks["on_time"] = row["answered_on"] <= answer_due(case, calendar).date
    return {k for k, v in marks.items() if v}


def report_figures(
    first: int, last: int, *, as_of: dt.date | None, calendar: WorkCalendar | None
) -> AreaFigures:
    """Return the 行政复议、行政诉讼 area of `first`–`last` cut at `as_of` (miaoba.figures).

    Each count links to the case list kept to the period and the figure's condition
    (`FIGURE_FILTERS`); each rate to its numerator's list, with its denominator's as
    `base_url`. Series: trend (by month, or by year for a span) and by act kind.
    One statement (`FIGURES_QUERIES`): a township has a handful of these cases a year, so the
    period's cases are read once and counted here, with the calendar for 按期.
    """
    period = Period(first, last, as_of)
    calendar = calendar or WorkCalendar.load()
    cut = period.end
    counts = dict.fromkeys(_LABELS, 0)
    by_kind = dict.fromkeys(Case.ActKind.values, 0)
    by_month: dict[tuple[int, int], int] = {}
    for row in _cases(period).values(*_FIELDS):
        for key in _counted(row, cut, calendar):
            counts[key] += 1
        by_kind[row["act_kind"]] = by_kind.get(row["act_kind"], 0) + 1
        month = (row["received_on"].year, row["received_on"].month)
        by_month[month] = by_month.get(month, 0) + 1
    url = reverse("reconsideration:case_list")
    figures: dict[str, Figure] = {}

    def count(key: str) -> None:
        condition = None if key == "total" else key
        figures[key] = Figure(
            key, _LABELS[key], "件", counts[key], url + period.query(figure=condition)
        )

    for keys, rate_key, rate_label in _RATES:
        for key in keys:
            count(key)
        figures[rate_key] = rate(rate_key, rate_label, (keys[-1], keys[-2]), figures)
    kinds = {label: by_kind.get(value, 0) for value, label in Case.ActKind.choices}
    series = {
        "trend": Series(
            "trend",
            "行政复议、行政诉讼案件数趋势"
            if period.is_year
            else "行政复议、行政诉讼案件数逐年对比",
            "件",
            _trend(by_month, period, url),
        ),
        "by_act_kind": Series(
            "by_act_kind",
            "行政复议、行政诉讼案件按行政行为类别",
            "件",
            choice_bars(kinds, Case.ActKind, url, period, "act_kind"),
        ),
    }
    return AreaFigures(
        area=AREA_KEY,
        name=AREA_NAME,
        first=first,
        last=last,
        as_of=as_of,
        figures=figures,
        series=series,
        headline=("total", "correction_rate", "loss_rate", "head_appearance_rate", "on_time_rate"),
        charts=("trend", "by_act_kind"),
    )


def _trend(counts: dict[tuple[int, int], int], period: Period, url: str) -> tuple[Bar, ...]:
    """Bars by month for one year ("3月"), by year for a span ("2022年"), each linking its cases."""
    if period.is_year:
        return tuple(
            Bar(f"{m}月", counts.get((period.first, m), 0), url + period.query(month=m))
            for m in range(1, period.end.month + 1)
        )
    return tuple(
        Bar(
            f"{y}年",
            sum(n for (yy, _m), n in counts.items() if yy == y),
            url + Period(y, y, period.as_of).query(),
        )
        for y in period.years()
    )


def open_deadlines_for(user, *, today: dt.date | None = None, within_days: int = 3) -> list[dict]:
    """Return the user's cases whose answer (答复/答辩) is overdue or due within `within_days`.

    Items as `disputes.selectors.open_deadlines_for` gives them: area, title, url, due,
    days_left, light, remaining. Cases are those the user may see. Two queries (calendar, cases).
    """
    today = today or timezone.localdate()
    horizon = today + dt.timedelta(days=within_days)
    shortest = min(ANSWER_DAYS, DEFENCE_DAYS)
    cases = (
        Case.objects.active()
        .visible_to(user)
        .filter(
            status=Case.Status.REGISTERED, received_on__lte=horizon - dt.timedelta(days=shortest)
        )
    )
    calendar = WorkCalendar.load()
    items = []
    for case in cases:
        clock = current_clock(case_clocks(case, calendar))
        if clock is None or clock.due.date > horizon:
            continue
        items.append(
            {
                "area": "行政复议应诉",
                "title": f"{case.case_number} {clock.label}",
                "url": reverse("reconsideration:case_detail", args=[case.pk]),
                "due": clock.due.date,
                "days_left": clock.days_left(today),
                "light": clock.light(today),
                "remaining": clock.status_text(today),
            }
        )
    return items
