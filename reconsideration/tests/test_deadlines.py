"""The answer, 答辩 and appeal deadlines, counted with the calendar's real holiday data.

复议: 10 days from the copy — working days from 2024-01-01 (《行政复议法》2023年修订 第四十八条、
第八十八条), calendar days before (2017年修正 第二十三条、第四十条). 诉讼: 15 days
(《行政诉讼法》第六十七条). 上诉: 15 days from service of a judgment, 10 of a ruling (第八十五条).
A calendar period whose last day is a rest day ends on the next working day (《民法典》第二百零三条).
"""

import datetime as dt

import pytest

from miaoba.workcalendar import WorkCalendar
from reconsideration.clocks import answer_due, appeal_due, case_clocks
from reconsideration.models import Case

pytestmark = pytest.mark.django_db
d = dt.date
LIT, RECON = Case.Kind.LITIGATION, Case.Kind.RECONSIDERATION


def _case(kind, received_on, **fields):
    return Case(kind=kind, received_on=received_on, **fields)


# 2023 春节 1月21日至27日放假，1月28日（星期六）上班; 2025 春节 1月28日至2月4日放假，1月26日
# （星期日）、2月8日（星期六）上班; 2024 国庆 10月1日至7日放假，9月29日（星期日）、10月12日（星期六）上班.
ANSWERS_DUE = {
    "defence_period_ending_in_national_day_moves_past_the_holiday": (LIT, d(2021, 9, 16), d(2021, 10, 8), "自2021年9月16日起15日，期满日2021年10月1日为国庆节假期，顺延至2021年10月8日"),
    "defence_period_ending_in_spring_festival_ends_on_the_make_up_saturday": (LIT, d(2023, 1, 9), d(2023, 1, 28), "自2023年1月9日起15日，期满日2023年1月24日为春节假期，顺延至2023年1月28日"),
    "reconsideration_answer_before_2024_counts_calendar_days": (RECON, d(2022, 9, 21), d(2022, 10, 8), "自2022年9月21日起10日，期满日2022年10月1日为国庆节假期，顺延至2022年10月8日"),
    "reconsideration_answer_from_2024_counts_working_days_across_spring_festival": (RECON, d(2025, 1, 20), d(2025, 2, 8), "自2025年1月20日起10个工作日，跳过春节假期，含1月26日、2月8日调休上班日，至2025年2月8日"),
    "reconsideration_answer_from_2024_counts_working_days_across_national_day": (RECON, d(2024, 9, 25), d(2024, 10, 14), "自2024年9月25日起10个工作日，跳过国庆节假期，含9月29日、10月12日调休上班日，至2024年10月14日"),
}  # fmt: skip


@pytest.mark.parametrize(
    ("kind", "received_on", "due_on", "explanation"), ANSWERS_DUE.values(), ids=ANSWERS_DUE
)
def test_answer_due(kind, received_on, due_on, explanation):
    due = answer_due(_case(kind, received_on), WorkCalendar.load())
    assert due.date == due_on
    assert due.explanation == explanation


def test_appeal_against_a_judgment_served_before_national_day():
    case = _case(Case.Kind.LITIGATION, d(2024, 6, 3), outcome="撤销", served_on=d(2024, 9, 16))
    due = appeal_due(case, WorkCalendar.load())
    assert due.date == d(2024, 10, 8)
    assert due.explanation == (
        "自2024年9月16日起15日，期满日2024年10月1日为国庆节假期，顺延至2024年10月8日"
    )


def test_appeal_against_a_ruling_has_ten_days():
    case = _case(Case.Kind.LITIGATION, d(2024, 6, 3), outcome="驳回起诉", served_on=d(2024, 9, 21))
    assert appeal_due(case, WorkCalendar.load()).date == d(2024, 10, 8)


def test_no_appeal_clock_for_reconsideration_or_withdrawal():
    calendar = WorkCalendar.load()
    decided = _case(
        Case.Kind.RECONSIDERATION, d(2024, 6, 3), outcome="撤销", served_on=d(2024, 9, 2)
    )
    withdrawn = _case(Case.Kind.LITIGATION, d(2024, 6, 3), outcome="撤诉", served_on=d(2024, 9, 2))
    assert appeal_due(decided, calendar) is None
    assert appeal_due(withdrawn, calendar) is None


def test_answer_clock_shows_late_answer_in_red():
    case = _case(Case.Kind.LITIGATION, d(2021, 9, 16), answered_on=d(2021, 10, 11))
    clock = case_clocks(case, WorkCalendar.load())[0]
    assert clock.label == "答辩期限"
    assert clock.basis == "《行政诉讼法》第六十七条"
    assert clock.light(d(2021, 10, 20)) == "red"
    assert clock.status_text(d(2021, 10, 20)) == "超期3天完成"
