"""The areas whose figures the dashboard and the annual report show: one explicit list.

Each area is one function in its app's `selectors.py` with one signature,

    report_figures(first: int, last: int, *, as_of: date | None, calendar) -> AreaFigures

returning the area's figures, chart series, named items and drill-down links as plain data
(`miaoba.figures`). The dashboard and the report treat every area alike: they read `AREAS`
in order and ask `area_figures` for the ones they show.

To add an area (e.g. a 行政复议/行政应诉 register): write its `report_figures` in the app's
`selectors.py` (links built with `miaoba.periods.Period.query`, list filter with
`PeriodFilterMixin`), then add one `Area(...)` line below. Its headline figures and charts
appear on the dashboard, its figures in the report's figure picker and annex.

Caching (issue 13): `area_figures` is the one door to every area's computation, a pure function
of (area, first, last, as_of) and the data; a cache keyed by those and a data version goes here.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from disputes import selectors as disputes
from miaoba.figures import AreaFigures, Figure
from miaoba.periods import Period
from miaoba.workcalendar import WorkCalendar
from normative_docs import selectors as normative_docs
from reports import selectors as reports
from tasks import selectors as tasks


@dataclass(frozen=True)
class Area:
    """An area of the dashboard and the report: `key` (stable, stored in reports), its Chinese
    `name` (信访), and its `report_figures` function."""

    key: str
    name: str
    report_figures: Callable[..., AreaFigures]


AREAS: tuple[Area, ...] = (
    Area("petitions", "信访", disputes.petition_report_figures),
    Area("disputes", "矛盾纠纷", disputes.dispute_report_figures),
    Area("documents", "规范性文件", normative_docs.document_report_figures),
    Area("reviews", "法律顾问审查", normative_docs.review_report_figures),
    Area("decisions", "重大行政决策", normative_docs.decision_report_figures),
    Area("tasks", "整改任务", tasks.task_report_figures),
    Area("records", "工作记录", reports.record_report_figures),
    Area("year", "年度指标", reports.year_report_figures),
)

AREA_BY_KEY: dict[str, Area] = {area.key: area for area in AREAS}


def area_figures(
    key: str, first: int, last: int, *, as_of: dt.date | None, calendar: WorkCalendar | None
) -> AreaFigures:
    """Return the figures of area `key` for `first`–`last` as of `as_of` (KeyError for an
    unknown area)."""
    return AREA_BY_KEY[key].report_figures(first, last, as_of=as_of, calendar=calendar)


class FigureBook:
    """The figures a page asks for, computed once each: an area for a period on first use.

    `book.area("petitions", 2016, 2020)` returns that AreaFigures (computing it the first time);
    `book.figure("petitions.total", 2016, 2020)` one Figure. Every period is cut at the book's
    `as_of`. A page that shows only some areas computes only those.
    """

    def __init__(self, as_of: dt.date | None, calendar: WorkCalendar | None = None):
        self.as_of = as_of
        self._calendar = calendar
        self._areas: dict[tuple[str, int, int], AreaFigures] = {}

    @property
    def calendar(self) -> WorkCalendar:
        if self._calendar is None:
            self._calendar = WorkCalendar.load()
        return self._calendar

    def period(self, first: int, last: int) -> Period:
        return Period(first, last, self.as_of)

    def area(self, key: str, first: int, last: int) -> AreaFigures:
        """Return area `key` for `first`–`last`, computed on first use."""
        slot = (key, first, last)
        if slot not in self._areas:
            self._areas[slot] = area_figures(
                key, first, last, as_of=self.as_of, calendar=self.calendar
            )
        return self._areas[slot]

    def figure(self, full_key: str, first: int, last: int) -> Figure | None:
        """Return the figure "<area>.<key>" ("petitions.total") for the period, or None when
        the area or figure does not exist."""
        area, _, key = full_key.partition(".")
        if area not in AREA_BY_KEY:
            return None
        return self.area(area, first, last).figures.get(key)
