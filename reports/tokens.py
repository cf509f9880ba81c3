"""Figures inside a report's text, written so an author can read them: `{信访·信访件数·2021年}`.

A token names the area (as `reports.areas.AREAS` names it), the figure's Chinese label and the
period ("2021年" or "2016—2020年"). Rendering puts the figure's value in ("35"; a rate "98.7%");
a figure without data becomes a gap the author must fill, 【待补充：服务窗口数（2021年）】, and
`render` lists it. Three plain tokens name the report's years: {报告年度} (2020), {下一年度}
(2021), {累计期间} (2016—2020年).

Reports written before tokens were Chinese used keys such as {span.petitions.total},
{year.service_windows} and {period.span}; those still render.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from miaoba.periods import span_text
from reports.areas import AREA_BY_KEY, AREAS, FigureBook

TOKEN = re.compile(r"\{([^{}·\s]+)·([^{}·]+)·(\d{4})(?:—(\d{4}))?年\}")
PLAIN = re.compile(r"\{(报告年度|下一年度|累计期间)\}")
LEGACY = re.compile(r"\{([A-Za-z][A-Za-z0-9_.\u4e00-\u9fff]*)\}")
GAP = re.compile(r"【待补充：([^】]*)】")
_AREA_BY_NAME = {area.name: area.key for area in AREAS}


def token(area_name: str, label: str, first: int, last: int) -> str:
    """Return the token of a figure: token("信访", "信访件数", 2016, 2020) →
    "{信访·信访件数·2016—2020年}"."""
    return "{" + f"{area_name}·{label}·{span_text(first, last)}" + "}"


def gap(label: str) -> str:
    """Return the marked placeholder of a missing figure or text: 【待补充：label】."""
    return f"【待补充：{label}】"


@dataclass(frozen=True)
class Used:
    """A figure a text uses: its area's Chinese name, the figure, and the period's years."""

    area: str
    figure: object  # miaoba.figures.Figure
    first: int
    last: int

    @property
    def period(self) -> str:
        return span_text(self.first, self.last)


@dataclass
class Rendered:
    """A text with its figures put in; `gaps` the 【待补充】 items in it (in order, once each),
    `unknown` the tokens that name no figure, `used` the figures put in (in order)."""

    text: str
    gaps: list[str] = field(default_factory=list)
    unknown: list[str] = field(default_factory=list)
    used: list[Used] = field(default_factory=list)


def _figure(book: FigureBook, area_key: str, name: str, first: int, last: int, by_label: bool):
    if area_key not in AREA_BY_KEY:
        return None
    area = book.area(area_key, first, last)
    if not by_label:
        return area.figures.get(name)
    return next((f for f in area.figures.values() if f.label == name), None)


def render(text: str, book: FigureBook, *, year: int, span_from: int) -> Rendered:
    """Return `text` with every token replaced by its value (gaps marked and listed)."""
    unknown: list[str] = []
    used: list[Used] = []

    def value(figure, label: str, first: int, last: int, area_key: str = "") -> str:
        if figure is None:
            return None
        used.append(Used(AREA_BY_KEY[area_key].name, figure, first, last))
        if figure.value is None:
            return gap(f"{label}（{span_text(first, last)}）")
        return figure.display

    def put(match: re.Match) -> str:
        area_name, label, first = match.group(1), match.group(2), int(match.group(3))
        last = int(match.group(4) or first)
        area_key = _AREA_BY_NAME.get(area_name, "")
        figure = _figure(book, area_key, label, first, last, True)
        out = value(figure, label, first, last, area_key)
        if out is None:
            unknown.append(match.group(0))
            return match.group(0)
        return out

    def put_plain(match: re.Match) -> str:
        return {
            "报告年度": str(year),
            "下一年度": str(year + 1),
            "累计期间": span_text(span_from, year),
        }[match.group(1)]

    def put_legacy(match: re.Match) -> str:
        key = match.group(1)
        if key.startswith("period."):
            plain = {
                "period.year": str(year),
                "period.next": str(year + 1),
                "period.span": span_text(span_from, year).removesuffix("年"),
            }
            if key in plain:
                return plain[key]
        first = span_from if key.startswith("span.") else year
        area_key, _, name = key.removeprefix("span.").partition(".")
        figure = _figure(book, area_key, name, first, year, False)
        out = value(figure, figure.label if figure else "", first, year, area_key)
        if out is None:
            unknown.append(match.group(0))
            return match.group(0)
        return out

    text = TOKEN.sub(put, text)
    text = PLAIN.sub(put_plain, text)
    text = LEGACY.sub(put_legacy, text)
    gaps = list(dict.fromkeys(GAP.findall(text)))
    return Rendered(text, gaps, list(dict.fromkeys(unknown)), used)
