"""Bar charts drawn on the server as SVG: no script, readable in print, every bar a link.

Every chart follows the same rules, whichever area it shows:
- no label is clipped: the label column is as wide as the longest label (up to 45% of the
  chart); a longer label is cut with "…" and keeps its full text in a `<title>` (the tooltip);
- one sort order: categories, villages and units largest first, equal values in pinyin order;
  months and years in calendar order;
- one number format: counts as whole numbers, rates (unit "%") with one decimal (98.7%), and
  "—" where there is nothing to divide.
"""

from __future__ import annotations

import functools
import re
import unicodedata

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from miaoba.pinyin import pinyin_key

BAR_HEIGHT = 22
GAP = 8
CHART_WIDTH = 560
FONT_PX = 13  # .chart font-size in static/css/reports.css
VALUE_ROOM = 70  # room right of the longest bar for its value ("1,234件", "100.0%")
MIN_LABEL_WIDTH = 60
MAX_LABEL_WIDTH = round(CHART_WIDTH * 0.45)
PAD = 8

_PERIOD = re.compile(r"^\d{4}年$|^\d{1,2}月$|^\d{4}年\d{1,2}月$")


def text_width(text: str) -> int:
    """Return the width in px of `text` at 13 px: a CJK or full-width character is one em,
    other characters about 0.6 em (the chart font's digits and Latin letters)."""
    width = 0.0
    for ch in text:
        wide = unicodedata.east_asian_width(ch) in ("W", "F")
        width += FONT_PX if wide else FONT_PX * 0.6
    return int(width + 0.999)


def fit_label(label: str, room: int) -> str:
    """Return `label`, or its head with "…" when wider than `room` px."""
    if text_width(label) <= room:
        return label
    cut = label
    while cut and text_width(cut + "…") > room:
        cut = cut[:-1]
    return cut + "…"


def format_value(value, unit: str) -> str:
    """Return a bar's value as printed: 12件, 1,234人次, 98.7% (one decimal), — for None."""
    if value is None:
        return "—"
    if unit == "%":
        return f"{float(value):.1f}%"
    if isinstance(value, float) and not value.is_integer():
        return f"{value:,.1f}{unit}"
    return f"{int(value):,}{unit}"


def is_period_series(labels: list[str]) -> bool:
    """Return True when every label is a month or a year (2018年, 3月): calendar order."""
    return bool(labels) and all(_PERIOD.match(label) for label in labels)


def ordered(items: list[tuple[str, object, str | None]]) -> list[tuple[str, object, str | None]]:
    """Return the bars in the charts' one order: calendar order for months and years, else
    largest first with equal values in pinyin order of their labels; "未填写"/"其他" last."""
    if is_period_series([label for label, _, _ in items]):
        return list(items)

    def rank(item):
        label, value, _ = item
        return (label in ("未填写", "其他"), -(value or 0))

    # Pinyin only where values tie (a village chart has hundreds of bars; pypinyin is slow).
    ranks = [rank(item) for item in items]
    tied = _tied(ranks)
    return sorted(
        items,
        key=lambda item: (*rank(item), _pinyin(item[0]) if rank(item) in tied else ""),
    )


def _tied(ranks: list) -> set:
    seen, tied = set(), set()
    for r in ranks:
        (tied if r in seen else seen).add(r)
    return tied


@functools.lru_cache(maxsize=4096)
def _pinyin(label: str) -> str:
    return pinyin_key(label)


def bar_chart(items: list[tuple[str, int, str | None]], *, title: str, unit: str) -> SafeString:
    """Return an SVG of horizontal bars, one per (label, value, url); a bar with a url links to
    the records behind it. Shape: width 560 px, 30 px a bar; labels escaped; see the module's
    rules for order, label width and number format."""
    items = ordered(list(items))
    labels = [label for label, _, _ in items]
    label_width = max([MIN_LABEL_WIDTH] + [text_width(label) for label in labels])
    label_width = min(label_width, MAX_LABEL_WIDTH)
    label_x = PAD + label_width  # labels end here (text-anchor end), never left of 0
    bar_x = label_x + 6
    bar_room = CHART_WIDTH - bar_x - VALUE_ROOM
    peak = max((float(value or 0) for _, value, _ in items), default=0) or 1
    height = len(items) * (BAR_HEIGHT + GAP) + GAP
    parts = [
        f'<svg class="chart" role="img" aria-label="{escape(title)}" viewBox="0 0 {CHART_WIDTH} {max(height, 30)}" '
        f'width="100%" xmlns="http://www.w3.org/2000/svg">',
        f"<title>{escape(title)}</title>",
    ]
    for i, (label, value, url) in enumerate(items):
        y = GAP + i * (BAR_HEIGHT + GAP)
        width = round(bar_room * float(value or 0) / peak) if value else 0
        shown = fit_label(label, label_width)
        tip = f"<title>{escape(label)}</title>" if shown != label else ""
        text = format_value(value, unit)
        bar = (
            f'<text x="{label_x}" y="{y + 16}" text-anchor="end" class="chart-label">{tip}{escape(shown)}</text>'
            f'<rect x="{bar_x}" y="{y}" width="{max(width, 1)}" height="{BAR_HEIGHT}" class="chart-bar"/>'
            f'<text x="{bar_x + width + 6}" y="{y + 16}" class="chart-value">{escape(text)}</text>'
        )
        if url:
            bar = f'<a href="{escape(url)}"><title>{escape(label)}：{escape(text)}，查看记录</title>{bar}</a>'
        parts.append(bar)
    if not items:
        parts.append('<text x="10" y="20" class="chart-label">暂无数据</text>')
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - every text part above is escaped
