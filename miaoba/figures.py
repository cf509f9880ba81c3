"""The plain-data shape in which every area gives its figures to the dashboard and the report.

An area (信访, 矛盾纠纷, 规范性文件 ...) offers one function in its `selectors.py`,

    report_figures(first: int, last: int, *, as_of: date | None, calendar) -> AreaFigures

a pure function of the period (`first`–`last`, inclusive, cut at `as_of`) and the data, returning
only plain values (ints, Decimals, strings, dates, tuples, dicts of these), so the result can be
pickled and cached per (area, period, as_of). `reports.areas.AREAS` lists the areas explicitly.

Shapes:
- `Figure`: one number with its Chinese label and unit, and the link to exactly the records it
  counts (`url`); a rate also names its numerator and denominator figures (`parts`) and links
  its denominator's records (`base_url`). Rates are percentages as `Decimal` with one decimal,
  or None when there is nothing to divide (never "100%" from 0 of 0).
- `Series`: a breakdown or trend (by category, by month ...), each `Bar` with its own link.
- `Item`: a named record of the period (a document with its 文号, a training with its date and
  人次), for a report that names what was done where there are few.

Links are built with `miaoba.periods.Period.query`, so `?year=2016-2020` means the same in every
list: the records the area counts in those years (see `miaoba.periods`).
"""

from __future__ import annotations

import contextvars
import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

COUNT = "count"  # a number of records; the linked list shows 共 N 条 with N = value
RATE = "rate"  # a percentage; `parts` = (numerator key, denominator key)
AMOUNT = "amount"  # a sum (元, 人次, 份); the linked list shows the records summed
ENTERED = "entered"  # entered by hand (年度指标); links to where it is entered


_ITEMS_WANTED = contextvars.ContextVar("miaoba_figures_items_wanted", default=True)


def items_wanted() -> bool:
    """Return False while a page that shows no named items (the dashboard) computes figures:
    an area may then leave `AreaFigures.items` empty and skip their query. An area that does
    not ask computes its items anyway; nothing else changes."""
    return _ITEMS_WANTED.get()


@contextmanager
def figures_only() -> Iterator[None]:
    """Compute figures without named items inside this block (see `items_wanted`)."""
    token = _ITEMS_WANTED.set(False)
    try:
        yield
    finally:
        _ITEMS_WANTED.reset(token)


def percent(numerator: int, denominator: int) -> Decimal | None:
    """Return numerator / denominator as a percentage with one decimal, rounded half up.

    `percent(688, 697)` is `Decimal("98.7")`; `percent(0, 0)` is None (printed "—", and a
    report does not write the rate at all).
    """
    if not denominator:
        return None
    return (Decimal(100 * numerator) / Decimal(denominator)).quantize(
        Decimal("0.1"), rounding=ROUND_HALF_UP
    )


def format_value(value, unit: str) -> str:
    """Format a figure as printed: a rate "98.7%" (one decimal, "100%" when whole), a count
    "218", an amount in 元 "1,234.50", and "—" for None."""
    if value is None:
        return "—"
    if unit == "%":
        text = f"{Decimal(value).quantize(Decimal('0.1'), rounding=ROUND_HALF_UP)}"
        return (text[:-2] if text.endswith(".0") else text) + "%"
    if unit == "元":
        return f"{Decimal(value):,.2f}"
    if isinstance(value, Decimal) and value == value.to_integral_value():
        return str(int(value))
    return str(value)


@dataclass(frozen=True)
class Figure:
    """One figure of an area for a period.

    `key` is stable within the area ("total"); the report stores it as "<area>.<key>"
    ("petitions.total") and never shows it. `value`: int, Decimal (rates in %, amounts) or
    None (no data). `url`: the list of exactly the records counted (for a rate, its numerator's),
    None for a figure no list lies behind. `base_url`: a rate's denominator list.
    """

    key: str
    label: str
    unit: str
    value: int | Decimal | str | None
    url: str | None = None
    kind: str = COUNT
    parts: tuple[str, str] | None = None
    base_url: str | None = None

    @property
    def display(self) -> str:
        """Return the value as printed: 218, 98.7%, 1,234.50 (元), or — when there is none."""
        return format_value(self.value, self.unit)


@dataclass(frozen=True)
class Bar:
    """One bar of a series: its label (a category, a month "3月", a year "2018年"), value, link."""

    label: str
    value: int
    url: str | None = None


@dataclass(frozen=True)
class Series:
    """A breakdown or trend of an area's records, bars in display order (largest first for
    categories and villages; calendar order for months and years)."""

    key: str
    title: str
    unit: str
    bars: tuple[Bar, ...] = ()

    def top(self, n: int = 3) -> list[Bar]:
        """Return the `n` largest non-zero bars, largest first (ties keep the series' order)."""
        ranked = sorted(
            (b for b in self.bars if b.value), key=lambda b: -b.value
        )  # sorted() is stable
        return ranked[:n]


@dataclass(frozen=True)
class Item:
    """A named record of the period: a document (number 庙坝府发〔2020〕3号, title), a decision,
    a training (on, title, people 人次). `on` is a date in Asia/Shanghai. `leader` and `part`
    say which leader chaired or took part in it and how (主持, 参加, 讲授, 述法); `kind` what
    sort of record it is (a work-record kind such as 专题会议)."""

    title: str
    on: dt.date | None = None
    number: str = ""
    detail: str = ""
    people: int | None = None
    url: str | None = None
    leader: str = ""
    part: str = ""
    kind: str = ""


@dataclass(frozen=True)
class AreaFigures:
    """What one area gives for one period: figures, series, named items.

    - `figures`: {key: Figure}, in the order the area wants them listed;
    - `series`: {key: Series}; `charts` names those the dashboard draws;
    - `headline`: figure keys shown as the dashboard's big numbers;
    - `items`: {kind: tuple of Item}, at most `ITEM_LIMIT` each, oldest first; `item_counts`
      gives each kind's full count when it is larger.
    """

    area: str
    name: str
    first: int
    last: int
    as_of: dt.date | None
    figures: dict[str, Figure]
    series: dict[str, Series] = field(default_factory=dict)
    items: dict[str, tuple[Item, ...]] = field(default_factory=dict)
    headline: tuple[str, ...] = ()
    charts: tuple[str, ...] = ()

    def value(self, key: str):
        """Return the value of figure `key` (KeyError when the area has no such figure)."""
        return self.figures[key].value


ITEM_LIMIT = 12  # a report names records "where they are few"; more are counted, not listed


def rate(key: str, label: str, parts: tuple[str, str], figures: dict[str, Figure]) -> Figure:
    """Return the rate figure numerator ÷ denominator of two count figures already in `figures`
    (keys in `parts`): linked to the numerator's records, `base_url` to the denominator's."""
    num, den = (figures[k] for k in parts)
    return Figure(key, label, "%", percent(num.value, den.value), num.url, RATE, parts, den.url)


def choice_bars(
    counts: dict[str, int], choices, url: str, period, param: str, **params
) -> tuple[Bar, ...]:
    """Return the bars of a breakdown by a choice field (`choices`: a TextChoices), each linking
    `url` kept to the period and that choice (`param`=value) plus `params`; a label that is not
    a choice (未填写) has no link."""
    values = {label: value for value, label in choices.choices}
    return tuple(
        Bar(
            label,
            n,
            url + period.query(**params, **{param: values[label]}) if label in values else None,
        )
        for label, n in counts.items()
    )
