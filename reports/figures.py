"""The figures a report's narrative may use, gathered from every area in `reports.areas`.

In a report's narrative a figure is written `{key}`, e.g. "{period.span}年共受理信访案件
{span.petitions.total}起"; `render_text` puts the values in.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import asdict, dataclass
from decimal import Decimal

from miaoba.figures import AreaFigures, format_value
from miaoba.periods import span_text
from reports.areas import AREAS, FigureBook

PLACEHOLDER = re.compile(r"\{([A-Za-z0-9_.\u4e00-\u9fff]+)\}")


@dataclass(frozen=True)
class Figure:
    """One figure of the report, flat: `key` "petitions.total" (year) or "span.petitions.total"
    (span); `value` an int, a Decimal (rates in %, one decimal) or None (no data, shown "—");
    `url` lists the records behind it (None for a figure no list lies behind); `period` the
    period as written ("2016—2020年"); `group` the area's Chinese name (信访)."""

    key: str
    label: str
    unit: str
    value: int | Decimal | str | None
    url: str | None = None
    period: str = ""
    group: str = ""

    @property
    def display(self) -> str:
        """Return the value as printed: 218, 98.7%, 1,234.50 (元), or — when there is none."""
        return format_value(self.value, self.unit)


def _flat(prefix: str, area: AreaFigures, period: str) -> dict[str, Figure]:
    return {
        f"{prefix}{area.area}.{f.key}": Figure(
            f"{prefix}{area.area}.{f.key}", f.label, f.unit, f.value, f.url, period, area.name
        )
        for f in area.figures.values()
    }


def collect(
    year: int, span_from: int | None = None, *, as_of: dt.date | None = None
) -> dict[str, Figure]:
    """Return every figure for `year` and, prefixed "span.", for `span_from`–`year`.

    Keys are stable (the report's narrative refers to them): "<area>.<key>" of every area in
    `reports.areas.AREAS`, "span.<area>.<key>", and "period.year" / "period.span" /
    "period.next". The number of queries is fixed, whatever the number of records.
    """
    span_from = span_from or year
    book = FigureBook(as_of)
    figures: dict[str, Figure] = {}
    for prefix, first in (("", year), ("span.", span_from)):
        for area in AREAS:
            if prefix and area.key == "year":
                continue  # year figures are entered for one year
            figures.update(_flat(prefix, book.area(area.key, first, year), span_text(first, year)))
    for key, label, value in (
        ("period.year", "报告年度", str(year)),
        ("period.span", "累计年度区间", span_text(span_from, year).removesuffix("年")),
        ("period.next", "下一年度", str(year + 1)),
    ):
        figures[key] = Figure(key, label, "", value, None, "", "报告期间")
    return figures


def render_text(text: str, figures: dict[str, Figure]) -> tuple[str, list[str]]:
    """Put figure values into a narrative: "{span.petitions.total}起" → "218起".

    Returns (text, unknown keys); an unknown key is left as written so the editor sees it.
    """
    unknown: list[str] = []

    def put(match: re.Match) -> str:
        figure = figures.get(match.group(1))
        if figure is None:
            unknown.append(match.group(1))
            return match.group(0)
        return figure.display

    return PLACEHOLDER.sub(put, text), unknown


def freeze(figures: dict[str, Figure]) -> dict[str, dict]:
    """Return the figures as JSON-safe dicts (values as strings) for a finalised report."""
    out = {}
    for key, figure in figures.items():
        data = asdict(figure)
        data["value"] = None if figure.value is None else str(figure.value)
        data["display"] = figure.display
        out[key] = data
    return out


def thaw(frozen: dict[str, dict]) -> dict[str, Figure]:
    """Return the figures of a finalised report as they were stored."""
    out = {}
    for key, data in frozen.items():
        value = data["value"]
        if key.startswith("period."):
            pass
        elif value is not None:
            value = Decimal(value)
            if value == value.to_integral_value() and data["unit"] not in {"%", "元"}:
                value = int(value)
        out[key] = Figure(
            key,
            data["label"],
            data["unit"],
            value,
            data.get("url"),
            data.get("period", ""),
            data.get("group", ""),
        )
    return out
