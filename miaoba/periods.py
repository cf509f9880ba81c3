"""A period of whole years (2020, or the span 2016—2020) cut at an as-of date, and the list filter
that reads it, so a figure's link opens exactly the records it counts.

One way of writing a span everywhere: `2016—2020年` in text (the 一字线 of GB/T 15834-2011
标点符号用法 §4.13, as in 《法治政府建设实施纲要（2021—2025年）》), `year=2016-2020` in a link.

What a period means in every list (`PeriodFilterMixin`): `?year=2016-2020` keeps the records an
area counts in those years, by the date the area names (`period_field`: a petition's 登记日期, a
document's 印发日期, a review's 送审日期 ...), from 1 January of the first year to 31 December
of the last, or to `as_of` when given (`&as_of=2020-11-30`, a report written before the year
ended). `&month=3` keeps one month of a one-year period. `&figure=replied` keeps the records
behind one figure (答复件数), with the very condition the area's `report_figures` counts with,
cut at the same day; the list then shows a banner naming the figure and its total.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import urlencode

from django import forms
from django.db.models import QuerySet
from django.utils import timezone

from miaoba.figures import format_value

FIRST_YEAR = 2016  # the first year of the township's records in the product
MIN_YEAR, MAX_YEAR = 2000, 2100  # a period outside these is not read as one
SPAN = re.compile(r"\s*(\d{4})\s*(?:[-—–～~]\s*(\d{4}))?\s*(?:年)?\s*")


def parse_span(value: str | None) -> tuple[int, int] | None:
    """Return (first, last) from "2020", "2016-2020" or "2016—2020年"; None when not a period
    (or a year outside 2000–2100). A reversed span ("2020-2016") is read in order.
    """
    match = SPAN.fullmatch(value or "")
    if not match:
        return None
    first = int(match.group(1))
    last = int(match.group(2) or first)
    if not all(MIN_YEAR <= y <= MAX_YEAR for y in (first, last)):
        return None  # a typing error ("0202"), not a period the township keeps records for
    return (min(first, last), max(first, last))


def span_text(first: int, last: int) -> str:
    """Return a period as a document writes it: "2020年", "2016—2020年"."""
    return f"{first}年" if first == last else f"{first}—{last}年"


def span_param(first: int, last: int) -> str:
    """Return a period as a link writes it: "2020", "2016-2020"."""
    return str(first) if first == last else f"{first}-{last}"


@dataclass(frozen=True)
class Period:
    """Whole years `first`–`last` (inclusive), cut at `as_of` (a date in Asia/Shanghai) if given.

    `start` is 1 January of `first`; `end` is 31 December of `last` or `as_of` if earlier.
    """

    first: int
    last: int
    as_of: dt.date | None = None

    def __post_init__(self):
        if self.last < self.first:
            raise ValueError(f"统计期间的结束年度（{self.last}）早于起始年度（{self.first}）。")

    @property
    def start(self) -> dt.date:
        return dt.date(self.first, 1, 1)

    @property
    def end(self) -> dt.date:
        year_end = dt.date(self.last, 12, 31)
        return min(year_end, self.as_of) if self.as_of else year_end

    @property
    def is_year(self) -> bool:
        return self.first == self.last

    @property
    def cut(self) -> dt.date | None:
        """Return `as_of` when it cuts the period short, else None (the period's own end)."""
        return self.as_of if self.as_of and self.as_of < dt.date(self.last, 12, 31) else None

    @property
    def param(self) -> str:
        return span_param(self.first, self.last)

    @property
    def text(self) -> str:
        return span_text(self.first, self.last)

    def years(self) -> range:
        return range(self.first, self.last + 1)

    def previous(self) -> Period:
        """Return the period of the same length just before, cut at the same day of the year."""
        n = self.last - self.first + 1
        as_of = None
        if self.cut:
            try:
                as_of = self.cut.replace(year=self.cut.year - n)
            except ValueError:  # 29 February
                as_of = self.cut.replace(year=self.cut.year - n, day=28)
        return Period(self.first - n, self.last - n, as_of)

    def query(self, **params) -> str:
        """Return the query string of a link to this period's records: "?year=2016-2020&figure=
        replied", with `as_of` when it cuts the period short; None-valued params are left out."""
        pairs = [("year", self.param)]
        if self.cut:
            pairs.append(("as_of", self.cut.isoformat()))
        pairs += [(k, v) for k, v in params.items() if v is not None and v != ""]
        return "?" + urlencode(pairs)


@dataclass(frozen=True)
class FigureFilter:
    """How a list keeps the records behind one figure of its area.

    `apply(queryset, cut)` returns the records of `queryset` (already kept to the period) that
    the figure counts, judged as they stood on `cut` (the period's end, a date). `total(queryset)`
    gives the figure's value for those records when it is not their number (e.g. the sum of the
    opinions of the reviews kept); `unit` is printed after the total.
    """

    label: str
    apply: Callable[[QuerySet, dt.date | None], QuerySet]
    unit: str = "件"
    total: Callable[[QuerySet], int] | None = None


def _year_choices(first_year: int) -> list[tuple[str, str]]:
    this = timezone.localdate().year
    return [(str(y), f"{y}年") for y in range(this, first_year - 1, -1)]


class PeriodFilterMixin:
    """A django-filter FilterSet mixin: the period (`year`, `month`, `as_of`) and `figure` filters.

    Declare on the FilterSet: `period_field` (the date that places a record in a year), and
    `figure_filters` ({name: FigureFilter}, from the area's selectors, so the list and the figure
    use one condition). Add the fields with `period_filters()` and list them in Meta.fields.
    Override `in_period(queryset, period)` when a period is not a date range (tasks: the
    problem's year).
    """

    period_field = ""
    figure_filters: dict[str, FigureFilter] = {}
    first_year = FIRST_YEAR

    def __init__(self, data=None, *args, **kwargs):
        super().__init__(data, *args, **kwargs)
        choices = [("", "全部年度"), *_year_choices(self.first_year)]
        value = (data or {}).get("year", "")
        span = parse_span(value)
        if span and span[0] != span[1]:
            choices.insert(1, (value, span_text(*span)))
        self.filters["year"].extra["widget"] = forms.Select(choices=choices)
        if "figure" in self.filters:
            self.filters["figure"].extra["choices"] = [
                (name, f.label) for name, f in self.figure_filters.items()
            ]

    # The fields are read by `filter_queryset`; their own methods keep the queryset as it is.
    def keep_for_period(self, queryset, name, value):
        return queryset

    def _data(self) -> dict:
        """The valid fields of the filter form (an invalid one leaves the others working)."""
        self.form.is_valid()
        return getattr(self.form, "cleaned_data", {})

    @property
    def period(self) -> Period | None:
        """Return the period the list is kept to, or None when no year is chosen."""
        data = self._data()
        span = parse_span(data.get("year"))
        if not span:
            return None
        return Period(span[0], span[1], data.get("as_of"))

    def _cut(self) -> dt.date | None:
        period = self.period
        if period:
            return period.end
        return self._data().get("as_of")

    def in_period(self, queryset, period: Period):
        """Keep the records whose `period_field` lies in the period (cut at as_of)."""
        return queryset.filter(
            **{f"{self.period_field}__gte": period.start, f"{self.period_field}__lte": period.end}
        )

    def figure_filter(self) -> FigureFilter | None:
        return self.figure_filters.get(self._data().get("figure") or "")

    def filter_queryset(self, queryset):
        queryset = super().filter_queryset(queryset)
        data = self._data()
        period = self.period
        if period:
            queryset = self.in_period(queryset, period)
            if data.get("month") and period.is_year:
                queryset = queryset.filter(**{f"{self.period_field}__month": data["month"]})
        figure = self.figure_filter()
        if figure:
            queryset = figure.apply(queryset, self._cut())
        return queryset

    @property
    def figure_banner(self) -> dict | None:
        """Return what the list's banner says when it shows one figure's records, else None:
        {"label": "已答复", "period": "2016—2020年", "total": None, "total_display": None,
        "unit": "件"}. `total` is None when the figure is the number of records (the page's
        共 N 条 says it), else the figure's own total over the records kept (e.g. 元 of the
        amounts involved), printed as `total_display` ("10,610,676.51")."""
        figure = self.figure_filter() if self.is_bound else None
        if figure is None:
            return None
        period = self.period
        data = self._data()
        text = period.text if period else ""
        if period and period.is_year and data.get("month"):
            text += f"{data['month']}月"
        cut = period.cut if period else data.get("as_of")
        if cut:
            text += f"（截至{cut.year}年{cut.month}月{cut.day}日）"
        total = figure.total(self.qs) if figure.total else None
        return {
            "label": figure.label,
            "period": text,
            "total": total,
            "total_display": None if total is None else format_value(total, figure.unit),
            "unit": figure.unit,
        }


def period_filters(figure_label: str = "统计口径") -> dict:
    """Return the declared filters of `PeriodFilterMixin`: year, month, as_of, figure.

    Use in a FilterSet body: `locals().update(period_filters())` is not allowed, so write
    `year, month, as_of, figure = period_filters().values()`.
    """
    import django_filters

    return {
        "year": django_filters.CharFilter(label="年度", method="keep_for_period"),
        "month": django_filters.TypedChoiceFilter(
            label="月份",
            method="keep_for_period",
            choices=[(str(m), f"{m}月") for m in range(1, 13)],
            coerce=int,
            widget=forms.HiddenInput,
        ),
        "as_of": django_filters.DateFilter(
            label="数据截止日期", method="keep_for_period", widget=forms.HiddenInput
        ),
        "figure": django_filters.ChoiceFilter(
            label=figure_label, method="keep_for_period", empty_label="全部", choices=[]
        ),
    }
