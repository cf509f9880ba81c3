"""Figures of the 行政复议、行政诉讼 area: counts, 纠错率, 败诉率, 负责人出庭应诉率, 按期答复率,
each linking to exactly the cases it counts, judged as they stood at the period's end."""

import datetime as dt
from decimal import Decimal

import pytest

from miaoba.workcalendar import WorkCalendar
from reconsideration import services as s
from reconsideration.models import Case
from reconsideration.selectors import FIGURES_QUERIES, report_figures
from reconsideration.tests.builders import register_case
from reports.tests.figure_links import check_links, expected_links

pytestmark = pytest.mark.django_db
d = dt.date


@pytest.fixture
def year_2024(clerk, justice_office):
    """Two suits (one lost with a staff member entrusted, one won with the head in court), two
    复议 (one revoked, one upheld), one voided case, one case of 2023."""
    new = lambda kind, on: register_case(by=clerk, unit=justice_office, received_on=on, kind=kind)  # noqa: E731
    lost = new(Case.Kind.LITIGATION, d(2024, 3, 4))  # 答辩 due 2024-03-19
    s.case_answer(lost, by=clerk, on=d(2024, 3, 20))  # a day late
    s.case_hearing(lost, by=clerk, on=d(2024, 4, 23), appearance="委托工作人员", name="李文静",
                   reason="镇长参加防汛会议")  # fmt: skip
    s.case_decide(lost, by=clerk, on=d(2024, 5, 30), outcome="确认违法")
    won = new(Case.Kind.LITIGATION, d(2024, 9, 16))  # due 2024-10-08 (国庆)
    s.case_answer(won, by=clerk, on=d(2024, 10, 8))
    s.case_hearing(won, by=clerk, on=d(2024, 11, 5), appearance="正职负责人", name="王明 镇长")
    s.case_decide(won, by=clerk, on=d(2025, 1, 10), outcome="驳回诉讼请求")  # next year
    revoked = new(Case.Kind.RECONSIDERATION, d(2024, 9, 25))  # due 2024-10-14 (working days)
    s.case_answer(revoked, by=clerk, on=d(2024, 10, 14))
    s.case_decide(revoked, by=clerk, on=d(2024, 11, 20), outcome="撤销")
    upheld = new(Case.Kind.RECONSIDERATION, d(2024, 12, 2))
    s.case_answer(upheld, by=clerk, on=d(2024, 12, 10))
    s.case_decide(upheld, by=clerk, on=d(2024, 12, 30), outcome="维持")
    s.case_void(new(Case.Kind.LITIGATION, d(2024, 6, 3)), by=clerk, reason="重复登记")
    new(Case.Kind.LITIGATION, d(2023, 6, 5))


def test_figures_of_a_year(year_2024, django_assert_num_queries):
    calendar = WorkCalendar.load()
    with django_assert_num_queries(FIGURES_QUERIES):
        area = report_figures(2024, 2024, as_of=None, calendar=calendar)
    values = {k: f.value for k, f in area.figures.items()}
    assert values == {
        "total": 4, "reconsideration": 2, "litigation": 2,
        "answered": 4, "on_time": 3, "on_time_rate": Decimal("75.0"),
        "decided": 2, "corrected": 1, "correction_rate": Decimal("50.0"),
        "judged": 1, "lost": 1, "loss_rate": Decimal("100.0"),
        "heard": 2, "head_appeared": 1, "head_appearance_rate": Decimal("50.0"),
    }  # fmt: skip
    assert area.name == "行政复议、行政诉讼"
    assert [(b.label, b.value) for b in area.series["by_act_kind"].bars][0] == ("行政处罚", 4)


def test_figures_cut_at_as_of_count_only_steps_done_by_then(year_2024):
    area = report_figures(2024, 2024, as_of=d(2024, 10, 31), calendar=None)
    assert area.value("total") == 3
    assert area.value("answered") == 3
    assert area.value("decided") == 0
    assert area.value("correction_rate") is None  # nothing to divide: printed "—"


def test_every_figure_link_opens_exactly_its_cases(year_2024, client, leader):
    client.force_login(leader)
    areas = [
        report_figures(2024, 2024, as_of=None, calendar=None),
        report_figures(2023, 2024, as_of=d(2024, 10, 31), calendar=None),
    ]
    expected = expected_links(areas)
    assert check_links(client, set(expected), expected) == []


def test_a_year_without_cases_says_so_in_the_report(clerk, justice_office):
    from reports.areas import FigureBook
    from reports.composer import Context, _reconsideration

    register_case(by=clerk, unit=justice_office, received_on=d(2024, 3, 4))
    ctx = Context(2023, 2021, None, "庙坝镇", FigureBook(None))
    assert _reconsideration(ctx) == "全年未发生行政复议、行政诉讼案件。"
    ctx = Context(2024, 2021, None, "庙坝镇", FigureBook(None))
    assert _reconsideration(ctx) == (
        "全年本镇作为被申请人、被告的行政诉讼案件{行政复议、行政诉讼·行政诉讼案件数·2024年}件，"
        "未发生行政复议案件。"
    )
