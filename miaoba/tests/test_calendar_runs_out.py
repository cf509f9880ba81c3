"""The calendar says when it runs out: 预估 deadlines, the administrators' notice, a system check.

The migrations seed 2016–2026 from the State Council's notices (chinesecalendar) and 2027 from
the `holidays` library's guess, marked 预估; 2028 has no rows.
"""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine

from disputes.tests.builders import register_petition
from miaoba.checks import calendar_covers_the_coming_year
from miaoba.models import CalendarDay
from miaoba.workcalendar import WorkCalendar

pytestmark = pytest.mark.django_db
d = dt.date


def test_a_deadline_in_a_year_without_rows_is_an_estimate_and_says_why():
    due = WorkCalendar.load().add_days(d(2027, 12, 20), 15)
    assert due.date == d(2028, 1, 4)
    assert due.estimated
    assert due.explanation == (
        "自2027年12月20日起15日，至2028年1月4日"
        "（预估：2028年的节假日安排尚未录入工作日历，按普通周末计算）"
    )


def test_a_deadline_in_a_guessed_year_is_an_estimate_until_the_notice_is_entered():
    due = WorkCalendar.load().add_working_days(d(2027, 3, 1), 5)
    assert due.estimate == "预估：2027年的节假日安排为预估，待国务院办公厅通知公布后核对"


def test_a_deadline_in_a_published_year_is_no_estimate():
    due = WorkCalendar.load().add_days(d(2020, 9, 16), 15)
    assert not due.estimated
    assert due.explanation == (
        "自2020年9月16日起15日，期满日2020年10月1日为国庆中秋假期，顺延至2020年10月9日"
    )


def test_the_petition_page_marks_the_estimated_deadline(client, clerk, justice_office):
    with time_machine.travel(dt.datetime(2027, 12, 21, 9, 0), tick=False):
        petition = register_petition(by=clerk, unit=justice_office, received_on=d(2027, 12, 20))
        client.force_login(clerk)
        text = client.get(f"/disputes/petitions/{petition.pk}/").content.decode()
        listing = client.get("/disputes/petitions/").content.decode()
    assert '受理期限</strong>：2028年1月4日 <span class="light' in text
    assert '<span class="tag">预估</span>' in text
    assert "2028年的节假日安排尚未录入工作日历，按普通周末计算" in text
    assert ">预估</span>" in listing


def _workbench(client, user, when: dt.datetime) -> str:
    with time_machine.travel(when, tick=False):
        client.force_login(user)
        return client.get("/").content.decode()


def test_from_1_december_the_administrator_is_told_which_year_to_check(
    client, administrator, clerk
):
    assert "工作日历" not in _workbench(client, administrator, dt.datetime(2026, 11, 30, 10, 0))
    text = _workbench(client, administrator, dt.datetime(2026, 12, 1, 10, 0))
    assert "请核对2027年的节假日安排：工作日历中2027年为预估" in text
    assert "请核对2027年" not in _workbench(client, clerk, dt.datetime(2026, 12, 1, 10, 0))


def test_when_next_year_has_no_rows_the_notice_names_the_year_to_add(client, administrator):
    CalendarDay.objects.filter(date__year=2027).delete()
    text = _workbench(client, administrator, dt.datetime(2026, 12, 1, 10, 0))
    assert "请添加2027年的节假日安排" in text
    assert "python manage.py seed_calendar 2027" in text


def test_the_system_check_warns_in_december_and_not_before():
    with time_machine.travel(dt.datetime(2026, 11, 30, 10, 0), tick=False):
        assert calendar_covers_the_coming_year() == []
    with time_machine.travel(dt.datetime(2026, 12, 1, 10, 0), tick=False):
        (warning,) = calendar_covers_the_coming_year()
    assert warning.id == "miaoba.W001"
    assert "请核对2027年的节假日安排" in warning.msg
    with time_machine.travel(dt.datetime(2028, 3, 1, 10, 0), tick=False):
        (warning,) = calendar_covers_the_coming_year()
    assert warning.msg.startswith("工作日历缺少2028年的节假日安排")
