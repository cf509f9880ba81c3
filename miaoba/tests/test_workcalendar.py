"""Due dates follow the State Council schedule and 《民法典》第二百零一、二百零三条.

Dates below were checked by hand against 国办发明电〔2019〕16号 (2020 schedule): 国庆中秋
10月1日至8日放假，9月27日（星期日）、10月10日（星期六）上班.
"""

import datetime as dt

import pytest

from miaoba.models import CalendarDay
from miaoba.workcalendar import WorkCalendar, add_days, add_working_days

pytestmark = pytest.mark.django_db


def test_fifteen_working_days_across_national_day_2020():
    due = add_working_days(dt.date(2020, 9, 25), 15)
    # 9/27(调休) 9/28 9/29 9/30 | 10/9 10/10(调休) 10/12-16 10/19-22 → 15th working day is 10/22
    assert due.date == dt.date(2020, 10, 22)
    assert due.explanation == (
        "自2020年9月25日起15个工作日，跳过国庆中秋假期，含9月27日、10月10日调休上班日，"
        "至2020年10月22日"
    )


def test_fifteen_days_ending_on_national_day_move_to_day_after_holiday():
    due = add_days(dt.date(2020, 9, 16), 15)
    assert due.date == dt.date(2020, 10, 9)
    assert due.explanation == (
        "自2020年9月16日起15日，期满日2020年10月1日为国庆中秋假期，顺延至2020年10月9日"
    )


def test_days_ending_on_a_working_day_are_not_moved():
    due = add_days(dt.date(2020, 3, 2), 15)
    assert due.date == dt.date(2020, 3, 17)
    assert due.explanation == "自2020年3月2日起15日，至2020年3月17日"


def test_days_ending_on_a_sunday_move_to_monday():
    due = add_days(dt.date(2020, 3, 7), 15)  # ends Sunday 2020-03-22
    assert due.date == dt.date(2020, 3, 23)
    assert (
        due.explanation == "自2020年3月7日起15日，期满日2020年3月22日为星期日，顺延至2020年3月23日"
    )


def test_days_ending_on_a_make_up_working_saturday_are_not_moved():
    due = add_days(dt.date(2020, 9, 25), 15)  # ends Saturday 2020-10-10, a 调休上班日
    assert due.date == dt.date(2020, 10, 10)


def test_working_days_across_spring_festival_2021():
    # 2021 春节 2月11日至17日放假，2月7日（星期日）、2月20日（星期六）上班
    due = add_working_days(dt.date(2021, 2, 5), 5)
    # 2/7(调休) 2/8 2/9 2/10 | 2/18 → 5th working day
    assert due.date == dt.date(2021, 2, 18)
    assert "跳过春节假期" in due.explanation
    assert "含2月7日调休上班日" in due.explanation


def test_working_days_across_new_year_name_the_year_of_make_up_days():
    # 2019-12-31 + 5 working days: 2020-01-01 元旦 off → 1/2 1/3 1/6 1/7 1/8
    due = add_working_days(dt.date(2019, 12, 31), 5)
    assert due.date == dt.date(2020, 1, 8)
    assert due.explanation == "自2019年12月31日起5个工作日，跳过元旦假期，至2020年1月8日"


def test_changing_the_calendar_changes_the_due_date():
    start = dt.date(2020, 3, 2)
    assert add_working_days(start, 1).date == dt.date(2020, 3, 3)
    CalendarDay.objects.create(date=dt.date(2020, 3, 3), kind="holiday", name="临时休假")
    assert add_working_days(start, 1).date == dt.date(2020, 3, 4)


def test_calendar_is_seeded_from_2016_to_next_year():
    years = {d.year for d in CalendarDay.objects.values_list("date", flat=True)}
    assert years >= set(range(2016, dt.date.today().year + 2))
    assert CalendarDay.objects.get(date=dt.date(2020, 9, 27)).kind == "workday"
    assert CalendarDay.objects.get(date=dt.date(2020, 10, 1)).name == "国庆中秋"


def test_one_loaded_calendar_serves_many_deadlines(django_assert_num_queries):
    with django_assert_num_queries(1):
        cal = WorkCalendar.load()
        for day in range(1, 29):
            cal.add_working_days(dt.date(2020, 2, day), 15)


def test_negative_period_is_refused():
    with pytest.raises(ValueError, match="不能为负数"):
        add_days(dt.date(2020, 1, 1), -1)


def test_one_month_crossing_spring_festival_2021_ends_after_the_holiday():
    from miaoba.workcalendar import add_months

    due = add_months(dt.date(2021, 1, 12), 1)  # 2021-02-12 is inside 春节 2月11日至17日
    assert due.date == dt.date(2021, 2, 18)
    assert due.explanation == (
        "自2021年1月12日起1个月，期满日2021年2月12日为春节假期，顺延至2021年2月18日"
    )


def test_one_month_from_january_31_ends_on_the_last_day_of_february():
    from miaoba.workcalendar import add_months

    assert add_months(dt.date(2019, 1, 31), 1).date == dt.date(2019, 2, 28)
    assert add_months(dt.date(2020, 1, 31), 1).date == dt.date(2020, 3, 2)  # 2/29 is a Saturday
