"""Figures for the dashboard and the report (`tasks.selectors`)."""

import datetime as dt
from decimal import Decimal

import pytest

from tasks import selectors as sel
from tasks import services as s
from tasks.models import Extension, Problem, Task
from tasks.tests.builders import pdf, problem, task

pytestmark = pytest.mark.django_db


def _bulk_tasks(n, *, closed, by, unit, leader, the_problem):
    Task.objects.bulk_create(
        Task(
            number=f"整改〔2021〕{i}号", year=2021, serial=i, problem=the_problem, measures=f"措施{i}",
            lead_unit=unit, responsible=by, leader=leader, assigned_on=dt.date(2021, 1, 20),
            due_on=dt.date(2021, 6, 30), next_due=dt.date(2021, 6, 30), created_by=by,
            status=Task.Status.CLOSED if i <= closed else Task.Status.IN_PROGRESS,
            closed_on=dt.date(2021, 6, 30) if i <= closed else None,
        )
        for i in range(1, n + 1)
    )  # fmt: skip


def test_completion_rate_of_688_closed_out_of_697_is_98_7(
    clerk, leader, justice_office, django_assert_num_queries
):
    _bulk_tasks(
        697, closed=688, by=clerk, unit=justice_office, leader=leader, the_problem=problem(clerk)
    )
    with django_assert_num_queries(sel.TASK_FIGURES_QUERIES):
        figures = sel.task_figures(today=dt.date(2021, 7, 1))
    assert figures.task_total == 697
    assert figures.closed == 688
    assert figures.completion_rate == Decimal("98.7")
    assert figures.overdue == 9
    assert figures.by_status == {"未开始": 0, "整改中": 9, "已完成": 0, "已销号": 688}
    assert figures.as_dict()["completion_rate"] == Decimal("98.7")
    assert set(figures.as_dict()) <= set(sel.FIGURE_LABELS)


def test_completion_rate_without_tasks_is_none():
    assert sel.task_figures().completion_rate is None
    assert sel.percent(0, 0) is None


def test_extensions_are_counted(clerk, leader, justice_office):
    t = task(clerk, unit=justice_office, leader=leader)
    task(clerk, unit=justice_office, leader=leader, measures="另一项")
    for new_due in (dt.date(2021, 9, 30), dt.date(2021, 12, 31)):
        s.task_extend(
            t,
            by=clerk,
            on=dt.date(2021, 6, 1),
            new_due_on=new_due,
            reason="理由",
            approved_by=leader,
        )
    figures = sel.task_figures(today=dt.date(2021, 7, 1))
    assert (figures.extended_tasks, figures.extension_count) == (1, 2)
    assert figures.overdue == 1  # the other one, due 2021-06-30
    assert Extension.objects.count() == 2


def test_problems_by_source_and_group(clerk, django_assert_num_queries):
    problem(clerk, title="A", order=1, category="思想认识", aspect="重视程度")
    problem(clerk, title="B", order=2, category="工作推进", aspect="推进深度")
    problem(clerk, title="C", order=3, category="工作推进", aspect="协调联动")
    problem(clerk, title="D", source=Problem.Source.AUDIT)
    problem(clerk, title="E", year=2021)
    with django_assert_num_queries(sel.PROBLEM_FIGURES_QUERIES):
        figures = sel.problem_figures(2020)
    assert figures.problem_total == 4
    assert figures.by_source == {
        "年度报告": 3,
        "督察": 0,
        "巡察": 0,
        "审计": 1,
        "领导交办": 0,
        "自查": 0,
    }
    assert figures.by_group == {
        "未分类": {"未分类": 1},
        "思想认识": {"重视程度": 1},
        "工作推进": {"推进深度": 1, "协调联动": 1},
    }


def test_a_years_problems_and_how_their_tasks_stand_now(
    clerk, leader, justice_office, django_assert_num_queries
):
    p1 = problem(clerk, title="重视不够", order=1)
    p2 = problem(clerk, title="推进不深", order=2)
    p3 = problem(clerk, title="合力不够", order=3)
    problem(clerk, title="保障不足", order=4)
    closed = task(clerk, unit=justice_office, leader=leader, the_problem=p1)
    s.task_complete(closed, by=clerk, on=dt.date(2021, 6, 1), text="完成", files=[pdf()])
    s.task_verify(closed, by=leader, on=dt.date(2021, 6, 2), passed=True)
    task(clerk, unit=justice_office, leader=leader, the_problem=p2, due_on=dt.date(2021, 6, 30))
    task(
        clerk,
        unit=justice_office,
        leader=leader,
        the_problem=p2,
        measures="第二项",
        due_on=dt.date(2021, 9, 30),
    )
    task(
        clerk,
        unit=justice_office,
        leader=leader,
        the_problem=p3,
        is_long_term=True,
        milestones=[("季度学法", dt.date(2021, 9, 30))],
    )
    with django_assert_num_queries(sel.PROBLEM_RECTIFICATION_QUERIES):
        rows = sel.problem_rectification(2020, today=dt.date(2021, 7, 1))
    assert [(r["title"], r["state"], r["task_count"], r["closed"], r["overdue"]) for r in rows] == [
        ("重视不够", "已整改销号", 1, 1, 0),
        ("推进不深", "正在整改", 2, 0, 1),
        ("合力不够", "长期坚持", 1, 0, 0),
        ("保障不足", "未交办整改任务", 0, 0, 0),
    ]
    assert rows[0]["completion_rate"] == Decimal("100.0")
    assert rows[3]["completion_rate"] is None


def test_open_deadlines_for_a_user(
    clerk, leader, outsider, justice_office, django_assert_num_queries
):
    today = dt.date(2021, 6, 25)
    task(clerk, unit=justice_office, leader=leader, due_on=dt.date(2021, 6, 20), measures="超期")
    task(clerk, unit=justice_office, leader=leader, due_on=dt.date(2021, 7, 2), measures="七天")
    task(clerk, unit=justice_office, leader=leader, due_on=dt.date(2021, 7, 3), measures="八天")
    with django_assert_num_queries(1):
        items = sel.open_deadlines_for(clerk, today=today)
    assert [(i["days_left"], i["light"], i["remaining"]) for i in items] == [
        (-5, "red", "超期5天"),
        (7, "amber", "剩余7天"),
    ]
    assert items[0]["area"] == "整改任务"
    assert items[0]["url"].startswith("/tasks/")
    assert items[0]["due"] == dt.date(2021, 6, 20)
    assert sel.open_deadlines_for(outsider, today=today) == []
    assert len(sel.open_deadlines_for(leader, today=today)) == 2
