"""A figure is a promise: every figure link of the dashboard opens exactly the records it counts.

On the demo data (2016–2020 history and this year's open cases), for a year, for the span
2016—2020 and for this year (cut at today), a leader follows every link of the dashboard's big
numbers, tables and chart bars; each list's 共 N 条 (or its banner's total, for a sum) must be
the figure, and a rate must be its numerator's list over its denominator's.
"""

import datetime as dt

from django.utils import timezone

from miaoba.models import User
from reports.areas import AREAS, FigureBook
from reports.tests.figure_links import check_links, expected_links, figure_links


def test_every_dashboard_figure_link_opens_exactly_its_records(demo, client):
    client.force_login(User.objects.get(username="leader"))
    today = timezone.localdate()
    for first, last, as_of in (
        (2020, 2020, dt.date(2020, 12, 31)),
        (2016, 2020, dt.date(2020, 12, 31)),
        (today.year, today.year, today),
    ):
        page = client.get(
            f"/reports/dashboard/?from={first}&to={last}&as_of={as_of:%Y-%m-%d}"
        ).content.decode()
        book = FigureBook(as_of)
        areas = [book.area(a.key, first, last) for a in AREAS]
        expected = expected_links(areas)
        links = figure_links(page)
        assert links, "the dashboard links no figure"
        assert links <= set(expected), f"links to no known figure: {links - set(expected)}"
        for area in areas:  # every big number is on the page, linked
            for key in area.headline:
                assert area.figures[key].url in links, (area.name, key)
        assert check_links(client, links, expected) == [], (first, last)


def test_a_span_means_the_same_in_every_list(demo, client):
    """`?year=2016-2020` keeps the records each area counts in those years."""
    client.force_login(User.objects.get(username="leader"))
    from reports.tests.figure_links import list_count

    assert list_count(client, "/disputes/petitions/?year=2016-2020") == 218
    assert list_count(client, "/disputes/cases/?year=2016-2020&figure=accepted") == 615
    assert list_count(client, "/docs/documents/?year=2016-2020&figure=issued") == 35
    assert list_count(client, "/docs/reviews/?year=2016-2020") == 17
    assert list_count(client, "/disputes/petitions/?year=2020") == 35
    assert list_count(client, "/disputes/cases/?year=2020") == 106
