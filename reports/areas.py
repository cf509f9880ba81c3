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
of (area, first, last, as_of) and the data. Given the data version (`miaoba.dataversion.current`,
moved on by every write and import), it caches the result in Django's cache under (area, first,
last, as_of, version): the dashboard, the report page, its .docx and .xlsx and the section
editor share one computation, and a write makes every cached figure unreachable. A `FigureBook`
reads the version once (one query) and loads the calendar only when it must compute.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from contextlib import nullcontext
from dataclasses import dataclass

from django.core.cache import cache
from django.utils import timezone

from disputes import selectors as disputes
from miaoba import dataversion
from miaoba.figures import AreaFigures, Figure, figures_only
from miaoba.periods import Period
from miaoba.workcalendar import WorkCalendar
from normative_docs import selectors as normative_docs
from reconsideration import selectors as reconsideration
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
    Area("reconsideration", "行政复议、行政诉讼", reconsideration.report_figures),
    Area("tasks", "整改任务", tasks.task_report_figures),
    Area("records", "工作记录", reports.record_report_figures),
    Area("year", "年度指标", reports.year_report_figures),
)

AREA_BY_KEY: dict[str, Area] = {area.key: area for area in AREAS}


FIGURES_CACHE_SECONDS = 7 * 24 * 3600  # a version lasts until the next write; this frees memory


def cache_key(
    key: str, first: int, last: int, as_of: dt.date | None, version: int, items: bool = True
) -> str:
    """Return the cache key of area `key`'s figures for `first`–`last` as of `as_of` at data
    version `version`, with named items or without (`items`). Without `as_of` the period runs
    to "now", so today's date is part of it."""
    cut = as_of.isoformat() if as_of else f"now{timezone.localdate().isoformat()}"
    return f"miaoba:figures:{version}:{key}:{first}:{last}:{cut}:{'items' if items else 'bare'}"


def area_figures(
    key: str,
    first: int,
    last: int,
    *,
    as_of: dt.date | None,
    calendar: WorkCalendar | Callable[[], WorkCalendar] | None,
    version: int | None = None,
    items: bool = True,
) -> AreaFigures:
    """Return the figures of area `key` for `first`–`last` as of `as_of` (KeyError for an
    unknown area).

    With `version` (the data version, `miaoba.dataversion.current()`), the result is read from
    and kept in the cache (`cache_key`); without it, computed. `calendar` is a loaded
    `WorkCalendar`, None (the area loads it when it needs it) or a function returning one,
    called only when the figures are computed. `items=False` (a page that shows no named items,
    the dashboard) lets the area skip them (`miaoba.figures.figures_only`); a cached result
    with items serves it too.
    """
    area = AREA_BY_KEY[key]
    slot = None if version is None else cache_key(key, first, last, as_of, version, items)
    if slot is not None:
        found = cache.get(slot)
        if found is None and not items:
            found = cache.get(cache_key(key, first, last, as_of, version))
        if found is not None:
            return found
    with nullcontext() if items else figures_only():
        figures = area.report_figures(
            first, last, as_of=as_of, calendar=calendar() if callable(calendar) else calendar
        )
    if slot is not None:
        cache.set(slot, figures, FIGURES_CACHE_SECONDS)
    return figures


class FigureBook:
    """The figures a page asks for, computed once each: an area for a period on first use.

    `book.area("petitions", 2016, 2020)` returns that AreaFigures (from the cache, or computing
    it the first time); `book.figure("petitions.total", 2016, 2020)` one Figure. Every period is
    cut at the book's `as_of`. A page that shows only some areas computes only those. The book
    reads the data version once, on its first area, and loads the calendar only for an area
    not cached; one book per request. `items=False`: the page shows no named items (the
    dashboard), so areas need not compute them.
    """

    def __init__(
        self, as_of: dt.date | None, calendar: WorkCalendar | None = None, *, items: bool = True
    ):
        self.as_of = as_of
        self.items = items
        self._calendar = calendar
        self._version: int | None = None
        self._areas: dict[tuple[str, int, int], AreaFigures] = {}

    @property
    def calendar(self) -> WorkCalendar:
        if self._calendar is None:
            self._calendar = WorkCalendar.load()
        return self._calendar

    @property
    def version(self) -> int:
        """The data version the book's figures are cached under (read once)."""
        if self._version is None:
            self._version = dataversion.current()
        return self._version

    def period(self, first: int, last: int) -> Period:
        return Period(first, last, self.as_of)

    def area(self, key: str, first: int, last: int) -> AreaFigures:
        """Return area `key` for `first`–`last`, computed on first use."""
        slot = (key, first, last)
        if slot not in self._areas:
            self._areas[slot] = area_figures(
                key,
                first,
                last,
                as_of=self.as_of,
                calendar=lambda: self.calendar,
                version=self.version,
                items=self.items,
            )
        return self._areas[slot]

    def figure(self, full_key: str, first: int, last: int) -> Figure | None:
        """Return the figure "<area>.<key>" ("petitions.total") for the period, or None when
        the area or figure does not exist."""
        area, _, key = full_key.partition(".")
        if area not in AREA_BY_KEY:
            return None
        return self.area(area, first, last).figures.get(key)
