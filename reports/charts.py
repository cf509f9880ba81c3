"""Bar charts drawn on the server as SVG: no script, readable in print, every bar a link."""

from __future__ import annotations

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

BAR_HEIGHT = 22
GAP = 8
LABEL_WIDTH = 130
CHART_WIDTH = 560


def bar_chart(items: list[tuple[str, int, str | None]], *, title: str, unit: str) -> SafeString:
    """Return an SVG of horizontal bars, one per (label, value, url); a bar with a url links to
    the records behind it. Shape: width 560 px, 30 px a bar; labels escaped."""
    peak = max((value for _, value, _ in items), default=0) or 1
    height = len(items) * (BAR_HEIGHT + GAP) + GAP
    bar_room = CHART_WIDTH - LABEL_WIDTH - 60
    parts = [
        f'<svg class="chart" role="img" aria-label="{escape(title)}" viewBox="0 0 {CHART_WIDTH} {max(height, 30)}" '
        f'width="100%" xmlns="http://www.w3.org/2000/svg">',
        f"<title>{escape(title)}</title>",
    ]
    for i, (label, value, url) in enumerate(items):
        y = GAP + i * (BAR_HEIGHT + GAP)
        width = round(bar_room * value / peak) if value else 0
        bar = (
            f'<text x="{LABEL_WIDTH - 6}" y="{y + 16}" text-anchor="end" class="chart-label">{escape(label)}</text>'
            f'<rect x="{LABEL_WIDTH}" y="{y}" width="{max(width, 1)}" height="{BAR_HEIGHT}" class="chart-bar"/>'
            f'<text x="{LABEL_WIDTH + width + 6}" y="{y + 16}" class="chart-value">{value}{escape(unit)}</text>'
        )
        if url:
            bar = f'<a href="{escape(url)}"><title>{escape(label)}：{value}{escape(unit)}，查看记录</title>{bar}</a>'
        parts.append(bar)
    if not items:
        parts.append('<text x="10" y="20" class="chart-label">暂无数据</text>')
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - every text part above is escaped
