"""Figures cached per (area, period, as-of date, data version): one computation shared by the
dashboard, the report page and its Word export, and never served after a write or an import."""

import datetime as dt
import io

import pytest
from django.core.management import call_command

from disputes.models import Category, Petition
from disputes.resources import PetitionResource
from disputes.tests.ledger_data import petition_row
from miaoba import dataversion
from miaoba.tests.ledger_files import xlsx_bytes
from reports import services

DASHBOARD = "/reports/dashboard/?year=2020&as_of=2020-12-31"


def _petitions(n, clerk, unit):
    first = Petition.objects.count()
    Petition.objects.bulk_create(
        Petition(number=f"信〔2020〕{100 + i}号", year=2020, serial=100 + i, received_on=dt.date(2020, 1 + i % 12, 1 + i % 28),
                 channel="来信", category=Category.objects.get(name="邻里"), unit=unit, summary="批量",
                 created_by=clerk)
        for i in range(first + 1, first + n + 1)
    )  # fmt: skip
    dataversion.bump()  # a bulk write sends no signal


def _total(client) -> str:
    """Return the dashboard's 信访件数 as printed."""
    text = client.get(DASHBOARD).content.decode()
    anchor = text.index("信访件数")
    start = text.index('<span class="big-value">', anchor - 400) + len('<span class="big-value">')
    return text[start : text.index("</span>", start)]


@pytest.mark.django_db
def test_a_viewed_dashboard_is_served_from_the_cache(
    client, leader, clerk, justice_office, django_assert_max_num_queries
):
    _petitions(5, clerk, justice_office)
    client.force_login(leader)
    assert client.get(DASHBOARD).status_code == 200
    # Session, user, 2 permissions, data version: no figure is computed again.
    with django_assert_max_num_queries(5):
        response = client.get(DASHBOARD)
    assert '<span class="big-value">5</span>' in response.content.decode()


@pytest.mark.django_db
def test_a_form_write_changes_the_figures_shown(client, leader, clerk, justice_office):
    _petitions(3, clerk, justice_office)
    client.force_login(leader)
    assert _total(client) == "3"
    client.force_login(clerk)
    response = client.post(
        "/disputes/petitions/new/",
        {
            "people-TOTAL_FORMS": "1",
            "people-INITIAL_FORMS": "0",
            "people-MIN_NUM_FORMS": "0",
            "people-MAX_NUM_FORMS": "50",
            "people-0-name": "张三",
            "received_on": "2020-09-16",
            "channel": "来访",
            "category": str(Category.objects.get(name="村务").pk),
            "unit": str(justice_office.pk),
            "summary": "反映村务公开不及时",
        },
    )
    assert response.status_code == 302
    client.force_login(leader)
    assert _total(client) == "4"


@pytest.mark.django_db
def test_an_import_changes_the_figures_shown(client, leader, clerk, justice_office, tmp_path):
    _petitions(3, clerk, justice_office)
    client.force_login(leader)
    assert _total(client) == "3"
    path = tmp_path / "信访台账.xlsx"
    path.write_bytes(
        xlsx_bytes(
            [
                PetitionResource.headers(),
                petition_row(登记日期="2020-03-05"),
                petition_row(登记日期="2020-04-06", 信访人姓名="李四"),
            ]
        )
    )
    call_command("import_ledger", "petitions", str(path), "--user", "clerk", stdout=io.StringIO())
    assert Petition.objects.count() == 5
    assert _total(client) == "5"


@pytest.mark.django_db
def test_the_report_page_and_its_word_export_share_the_figures(
    client, leader, clerk, justice_office, django_assert_max_num_queries
):
    _petitions(5, clerk, justice_office)
    services.report_create(by=clerk, year=2020, span_from=2016)
    client.force_login(leader)
    assert client.get("/reports/annual/2020/").status_code == 200
    # The .docx computes nothing the page computed: the report, its sections, the version,
    # the rectification lists the narrative names (no figure query).
    with django_assert_max_num_queries(10) as captured:
        assert client.get("/reports/annual/2020/export/docx/").status_code == 200
    assert not [q for q in captured.captured_queries if "disputes_petition" in q["sql"]]


@pytest.mark.django_db
def test_a_final_report_is_served_from_its_frozen_copy(
    client, leader, clerk, justice_office, django_assert_max_num_queries
):
    _petitions(5, clerk, justice_office)
    report = services.report_create(
        by=clerk,
        year=2020,
        span_from=2020,
        sections=[(0, "", "全年共受理信访件{span.petitions.total}件。")],
    )
    services.report_finalise(report, by=leader)
    _petitions(2, clerk, justice_office)  # written after finalising: the report keeps 5
    client.force_login(leader)
    with django_assert_max_num_queries(12) as captured:
        response = client.get("/reports/annual/2020/")
    assert "全年共受理信访件5件。" in response.content.decode()
    assert not [q for q in captured.captured_queries if "disputes_petition" in q["sql"]]
    assert _total(client) == "7"
