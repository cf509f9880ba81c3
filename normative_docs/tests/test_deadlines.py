"""Filing (报备) and expiry (有效期) deadlines and their warnings, on the State Council calendar.

Calendar facts (国办发明电〔2019〕16号, 2020 schedule): 国庆中秋 10月1日至8日放假, 9月27日
(Sunday) and 10月10日 (Saturday) are make-up working days.
"""

import datetime as dt

import pytest

from miaoba.workcalendar import WorkCalendar
from normative_docs import services as s
from normative_docs.clocks import document_deadlines, expiry_date, filing_due
from normative_docs.selectors import open_deadlines_for
from normative_docs.tests.builders import published, registered

d = dt.date
pytestmark = pytest.mark.django_db


def test_filing_is_due_30_days_after_publication():
    due = filing_due(d(2020, 9, 16), WorkCalendar.load())

    assert due.date == d(2020, 10, 16)


def test_a_filing_period_ending_in_the_national_day_holiday_moves_to_the_next_working_day():
    due = filing_due(d(2020, 9, 1), WorkCalendar.load())

    assert due.date == d(2020, 10, 9)
    assert "国庆中秋假期" in due.explanation


def test_the_filing_period_is_a_setting(settings):
    settings.NORMATIVE_DOCS_FILING_DAYS = 15

    assert filing_due(d(2020, 9, 16), WorkCalendar.load()).date == d(2020, 10, 9)


def test_publication_sets_effect_after_30_days_and_five_years_of_validity(clerk, justice_office):
    doc = published(clerk, justice_office, on=d(2020, 2, 4))

    assert doc.effective_on == d(2020, 3, 5)
    assert doc.validity_years == 5
    assert doc.expires_on == d(2025, 3, 4)


def test_a_provisional_document_is_valid_two_years(clerk, justice_office):
    doc = published(clerk, justice_office, on=d(2020, 2, 4), title="庙坝镇产业扶持资金管理暂行办法")

    assert doc.validity_years == 2
    assert doc.expires_on == d(2022, 3, 4)


def test_validity_from_29_february_ends_on_27_february():
    assert expiry_date(d(2020, 2, 29), 5) == d(2025, 2, 27)


def test_document_shows_filing_clock_then_validity_with_a_90_day_warning(clerk, justice_office):
    doc = published(clerk, justice_office, on=d(2020, 9, 1))
    calendar = WorkCalendar.load()

    filing, validity = document_deadlines(doc, calendar)
    assert filing.label == "报备期限" and filing.due.date == d(2020, 10, 9)
    assert filing.light(d(2020, 10, 1)) == "green"  # 8 days before
    assert filing.light(d(2020, 10, 2)) == "amber"  # 7 days before
    assert filing.light(d(2020, 10, 9)) == "amber"
    assert filing.light(d(2020, 10, 10)) == "red"
    assert validity.due.date == d(2025, 9, 30)  # in force from 2020-10-01
    assert validity.light(d(2025, 7, 1)) == "green"  # 91 days before
    assert validity.light(d(2025, 7, 2)) == "amber"  # 90 days before
    assert validity.light(d(2025, 10, 1)) == "red"


def test_home_page_lists_an_overdue_filing_in_red_and_a_due_one_in_amber(clerk, justice_office):
    late = published(clerk, justice_office, on=d(2020, 9, 1))
    due_soon = published(clerk, justice_office, on=d(2020, 9, 16))

    items = open_deadlines_for(clerk, today=d(2020, 10, 12))

    assert [(i["title"], i["due"], i["light"], i["remaining"]) for i in items] == [
        (f"{late.label} 报备期限", d(2020, 10, 9), "red", "超期3天"),
        (f"{due_soon.label} 报备期限", d(2020, 10, 16), "amber", "剩余4天"),
    ]


def test_a_filed_document_leaves_the_home_page(clerk, justice_office):
    doc = published(clerk, justice_office, on=d(2020, 9, 1))
    s.document_file(doc, by=clerk, filed_on=d(2020, 9, 20), filed_to="城口县人民政府")

    assert open_deadlines_for(clerk, today=d(2020, 10, 12)) == []


def test_expiry_warning_starts_90_days_before_the_last_valid_day(clerk, justice_office):
    doc = published(clerk, justice_office, on=d(2020, 2, 4))
    s.document_file(doc, by=clerk, filed_on=d(2020, 2, 20), filed_to="城口县人民政府")

    assert open_deadlines_for(clerk, today=d(2024, 12, 3)) == []
    (item,) = open_deadlines_for(clerk, today=d(2024, 12, 4))
    assert item["due"] == d(2025, 3, 4) and item["light"] == "amber"
    assert item["remaining"] == "剩余90天"
    (item,) = open_deadlines_for(clerk, today=d(2025, 3, 5))
    assert item["light"] == "red" and item["remaining"] == "超期1天"


def test_an_outsider_sees_no_deadline_of_another_units_document(clerk, outsider, justice_office):
    published(clerk, justice_office, on=d(2020, 9, 1))

    assert open_deadlines_for(outsider, today=d(2020, 10, 12)) == []


def test_an_open_review_shows_its_due_date_to_its_advisor(clerk, advisor, justice_office):
    from normative_docs.tests.builders import draft, make_advisor

    counsel = make_advisor(advisor)
    doc = draft(clerk, justice_office, on=d(2020, 9, 1))
    s.document_send_for_review(doc, by=clerk, advisor=counsel, submitted_on=d(2020, 9, 25))

    (item,) = open_deadlines_for(advisor, today=d(2020, 10, 20))
    assert item["area"] == "法律顾问审查"
    assert item["due"] == d(2020, 10, 22) and item["light"] == "amber"


def test_registered_but_unpublished_documents_have_no_clock(clerk, justice_office):
    doc = registered(clerk, justice_office)

    assert document_deadlines(doc, WorkCalendar.load()) == []
