"""The report page and the Word export cost the same queries for few records and many."""

import datetime as dt

import pytest
from django.core.cache import cache

from disputes.models import Category, Petition
from reports import services


@pytest.mark.django_db
@pytest.mark.parametrize("n", [3, 300])
def test_report_page_and_docx_queries_do_not_grow(
    client, clerk, leader, justice_office, n, django_assert_max_num_queries
):
    Petition.objects.bulk_create(
        Petition(number=f"信〔2020〕{i}号", year=2020, serial=i, received_on=dt.date(2020, 1 + i % 12, 1 + i % 28),
                 channel="来信", category=Category.objects.get(name="邻里"), unit=justice_office, summary="批量",
                 created_by=clerk)
        for i in range(1, n + 1)
    )  # fmt: skip
    services.report_create(by=clerk, year=2020, span_from=2016)
    client.force_login(leader)
    # First view: session, user, permissions, report, sections, data version, calendar, the
    # areas the narrative names (2020, 2016–2020, 2019; 行政复议、行政诉讼 one statement more),
    # rectification lists, history, header.
    with django_assert_max_num_queries(47):
        assert client.get("/reports/annual/2020/").status_code == 200
    # The .docx right after: the figures come from the cache.
    with django_assert_max_num_queries(10):
        assert client.get("/reports/annual/2020/export/docx/").status_code == 200
    cache.clear()  # the .docx alone computes what it needs
    with django_assert_max_num_queries(41):
        assert client.get("/reports/annual/2020/export/docx/").status_code == 200
