"""The register's pages: list with filters and clocks, registration, case page, steps, void."""

import datetime as dt

import pytest
from django.utils import timezone

from reconsideration import services as s
from reconsideration.models import Case
from reconsideration.tests.builders import register_case

pytestmark = pytest.mark.django_db
d = dt.date


@pytest.fixture
def lawsuit(clerk, justice_office):
    return register_case(by=clerk, unit=justice_office, received_on=d(2024, 9, 25))


def test_registration_form_registers_a_case_with_its_plaintiff(client, clerk, justice_office):
    client.force_login(clerk)
    page = client.get("/reconsideration/new/").content.decode()
    token = page.split('name="form_token" value="')[1].split('"')[0]
    response = client.post(
        "/reconsideration/new/",
        {
            "form_token": token,
            "kind": "行政复议",
            "case_number": "城府复〔2025〕2号",
            "body": "城口县人民政府",
            "received_on": "2025-01-20",
            "act": "政府信息公开申请答复",
            "act_kind": "信息公开",
            "unit": justice_office.pk,
            "people-TOTAL_FORMS": "2",
            "people-INITIAL_FORMS": "0",
            "people-0-name": "刘七",
            "people-0-phone": "13800138000",
        },
    )
    case = Case.objects.get(case_number="城府复〔2025〕2号")
    assert response.status_code == 302
    assert response["Location"] == f"/reconsideration/{case.pk}/"
    detail = client.get(response["Location"]).content.decode()
    assert "138****8000" in detail and "13800138000" not in detail
    assert (
        "自2025年1月20日起10个工作日，跳过春节假期，含1月26日、2月8日调休上班日，至2025年2月8日"
        in detail
    )
    assert "《行政复议法》（2023年修订）第四十八条、第八十八条" in detail


def test_case_page_offers_the_next_steps_and_records_them(client, clerk, lawsuit):
    client.force_login(clerk)
    page = client.get(f"/reconsideration/{lawsuit.pk}/").content.decode()
    assert f'href="/reconsideration/{lawsuit.pk}/answer/"' in page
    assert f'href="/reconsideration/{lawsuit.pk}/decide/"' not in page
    response = client.post(
        f"/reconsideration/{lawsuit.pk}/answer/",
        {"answered_on": "2024-10-10", "answer_note": "证据确实充分", "version": lawsuit.version},
    )
    assert response.status_code == 302
    page = client.get(f"/reconsideration/{lawsuit.pk}/").content.decode()
    assert "提交答辩状" in page
    assert f'href="/reconsideration/{lawsuit.pk}/hearing/"' in page


def test_list_filters_by_kind_and_shows_the_running_clock(client, clerk, justice_office, lawsuit):
    register_case(
        by=clerk, unit=justice_office, received_on=d(2024, 9, 20), kind=Case.Kind.RECONSIDERATION
    )
    client.force_login(clerk)
    page = client.get("/reconsideration/?kind=行政诉讼").content.decode()
    assert "共 1 条" in page
    assert lawsuit.case_number in page
    assert "答辩期限 2024-10-10" in page


def test_another_units_clerk_neither_lists_nor_opens_the_case(client, outsider, lawsuit):
    client.force_login(outsider)
    assert lawsuit.case_number not in client.get("/reconsideration/").content.decode()
    assert client.get(f"/reconsideration/{lawsuit.pk}/").status_code == 404


def test_workbench_shows_an_answer_due_soon(client, clerk, justice_office):
    today = timezone.localdate()
    case = register_case(by=clerk, unit=justice_office, received_on=today - dt.timedelta(days=14))
    client.force_login(clerk)
    page = client.get("/").content.decode()
    assert f"{case.case_number} 答辩期限" in page


def test_list_queries_stay_flat(client, clerk, justice_office, list_page):
    for i in range(25):
        case = register_case(by=clerk, unit=justice_office, received_on=d(2024, 3, 1 + i))
        if i % 2:
            s.case_answer(case, by=clerk, on=d(2024, 3, 28))
    client.force_login(clerk)
    list_page("/reconsideration/?year=2024")  # at most conftest.LIST_PAGE_QUERIES (9)
