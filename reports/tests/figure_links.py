"""Follow figure links as a leader would, and read what each list says it holds."""

from __future__ import annotations

import html
import re
from decimal import Decimal

from miaoba.figures import AMOUNT, COUNT, ENTERED, RATE, AreaFigures, percent

HREF = re.compile(r'href="([^"]+\?[^"]*)"')
TOTAL = re.compile(r"共 (\d+) 条")
BANNER = re.compile(r'<strong class="figure-total" data-total="([^"]+)"')
LIST_PATHS = ("/disputes/", "/docs/", "/tasks/", "/reports/records/", "/reconsideration/")


def figure_links(page: str) -> set[str]:
    """Return the links to record lists on a page (query string included, unescaped)."""
    return {
        html.unescape(h)
        for h in HREF.findall(page)
        if h.startswith(LIST_PATHS) and "page=" not in h and "format=" not in h
    }


class Pages:
    """A client's pages, each fetched once (one check follows the same link many times)."""

    def __init__(self, client):
        self.client = client
        self.seen: dict[str, str] = {}

    def get(self, url: str) -> str:
        if url not in self.seen:
            response = self.client.get(url)
            assert response.status_code == 200, url
            self.seen[url] = response.content.decode()
        return self.seen[url]


def _pages(client) -> Pages:
    return client if isinstance(client, Pages) else Pages(client)


def list_count(client, url: str) -> int:
    """Return the 共 N 条 of a list page (0 when the list is empty)."""
    match = TOTAL.search(_pages(client).get(url))
    return int(match.group(1)) if match else 0


def banner_total(client, url: str) -> Decimal:
    """Return the total in a list's figure banner (统计口径：…，共 N 元)."""
    match = BANNER.search(_pages(client).get(url))
    assert match, f"no figure banner on {url}"
    return Decimal(match.group(1))


def expected_links(areas: list[AreaFigures]) -> dict[str, list[tuple[str, object]]]:
    """Return {url: [(what, value) ...]} for every figure and bar of `areas`."""
    out: dict[str, list] = {}
    for area in areas:
        for f in area.figures.values():
            if f.url and f.kind != ENTERED:
                out.setdefault(f.url, []).append((f"{area.name}·{f.label}", f))
        for series in area.series.values():
            for bar in series.bars:
                if bar.url:
                    out.setdefault(bar.url, []).append((f"{series.title}·{bar.label}", bar))
    return out


def _measure(client, url: str, expected: dict):
    """Read a list as the figure behind it counts: its banner's total for a sum, else 共 N 条."""
    kinds = {getattr(item, "kind", COUNT) for _what, item in expected.get(url, [])}
    return banner_total(client, url) if AMOUNT in kinds else list_count(client, url)


def check_links(client, urls: set[str], expected: dict) -> list[str]:
    """Follow every url and compare the list with each figure behind it; return mismatches."""
    client = _pages(client)
    wrong = []
    for url in sorted(urls):
        for what, item in expected[url]:
            kind = getattr(item, "kind", COUNT)
            if kind == COUNT:
                n = list_count(client, url)
                if n != item.value:
                    wrong.append(f"{what}: figure {item.value}, list 共 {n} 条 ({url})")
            elif kind == AMOUNT:
                total = banner_total(client, url)
                if total != Decimal(item.value):
                    wrong.append(f"{what}: figure {item.value}, list total {total} ({url})")
            elif kind == RATE:
                num, den = (_measure(client, u, expected) for u in (item.url, item.base_url))
                if percent(num, den) != item.value:
                    wrong.append(f"{what}: figure {item.value}, lists {num}/{den} ({url})")
    return wrong
