"""Traffic lights (红黄蓝) and the deadline buckets of the task list, on dates written out."""

import datetime as dt

import pytest

from tasks import services as s
from tasks.filters import bucket_filter
from tasks.models import Task
from tasks.tests.builders import pdf, task

pytestmark = pytest.mark.django_db

DUE = dt.date(2021, 6, 30)


@pytest.fixture
def dated(clerk, leader, justice_office) -> Task:
    return task(clerk, unit=justice_office, leader=leader, due_on=DUE)


@pytest.mark.parametrize(
    ("today", "light", "text"),
    [
        (dt.date(2021, 6, 1), "green", "剩余29天"),
        (dt.date(2021, 6, 22), "green", "剩余8天"),
        (dt.date(2021, 6, 23), "amber", "剩余7天"),
        (dt.date(2021, 6, 30), "amber", "今日到期"),
        (dt.date(2021, 7, 1), "red", "超期1天"),
        (dt.date(2021, 7, 15), "red", "超期15天"),
    ],
)
def test_dated_task_light(dated, today, light, text):
    assert (dated.light(today), dated.light_text(today)) == (light, text)


def test_completed_task_is_not_overdue_and_closed_task_is_blue(dated, clerk, leader):
    s.task_complete(dated, by=clerk, on=dt.date(2021, 6, 28), text="完成", files=[pdf()])
    assert dated.light(dt.date(2021, 7, 15)) == "green"
    assert dated.light_text(dt.date(2021, 7, 15)) == "已完成，待销号"
    s.task_verify(dated, by=leader, on=dt.date(2021, 7, 2), passed=True)
    assert (dated.light(dt.date(2021, 7, 15)), dated.light_text(dt.date(2021, 7, 15))) == (
        "blue",
        "已销号",
    )


@pytest.fixture
def long_term(clerk, leader, justice_office) -> Task:
    return task(
        clerk, unit=justice_office, leader=leader, is_long_term=True,
        milestones=[("第一季度集体学法", dt.date(2021, 3, 31)), ("第二季度集体学法", dt.date(2021, 6, 30))],
    )  # fmt: skip


def test_long_term_task_is_never_overdue_while_its_milestones_are_on_time(long_term, clerk):
    q1 = long_term.milestones.get(title="第一季度集体学法")
    s.milestone_reach(q1, by=clerk, on=dt.date(2021, 3, 25))
    q2 = long_term.milestones.get(title="第二季度集体学法")
    s.milestone_reach(q2, by=clerk, on=dt.date(2021, 6, 20))
    long_term = Task.objects.get()
    # Years later, with every milestone reached on time: still not overdue.
    for day in (dt.date(2021, 4, 1), dt.date(2021, 7, 1), dt.date(2025, 1, 1)):
        assert long_term.light(day) == "green"
        assert long_term.light_text(day) == "长期坚持"
        assert not Task.objects.overdue(on=day).exists()


def test_long_term_task_is_red_when_a_milestone_is_missed(long_term):
    assert long_term.light(dt.date(2021, 3, 24)) == "amber"
    assert long_term.light_text(dt.date(2021, 3, 24)) == "阶段目标剩余7天"
    assert long_term.light(dt.date(2021, 4, 1)) == "red"
    assert long_term.light_text(dt.date(2021, 4, 1)) == "阶段目标超期1天"
    stored = Task.objects.get()
    assert stored.next_due == dt.date(2021, 3, 31)
    assert Task.objects.overdue(on=dt.date(2021, 4, 1)).get() == long_term


def test_buckets_split_open_tasks_by_days_left(clerk, leader, justice_office):
    today = dt.date(2021, 6, 1)
    due = {
        "overdue": dt.date(2021, 5, 31),
        "today": dt.date(2021, 6, 1),
        "day10": dt.date(2021, 6, 11),
        "day11": dt.date(2021, 6, 12),
        "day20": dt.date(2021, 6, 21),
        "day21": dt.date(2021, 6, 22),
    }
    made = {
        k: task(
            clerk,
            unit=justice_office,
            leader=leader,
            due_on=d,
            measures=k,
            assigned_on=dt.date(2021, 1, 4),
        )
        for k, d in due.items()
    }
    closed = task(
        clerk,
        unit=justice_office,
        leader=leader,
        due_on=dt.date(2021, 5, 1),
        measures="closed",
        assigned_on=dt.date(2021, 1, 4),
    )
    s.task_complete(closed, by=clerk, on=dt.date(2021, 4, 30), text="完成", files=[pdf()])
    awaiting = task(
        clerk,
        unit=justice_office,
        leader=leader,
        due_on=dt.date(2021, 5, 1),
        measures="awaiting",
        assigned_on=dt.date(2021, 1, 4),
    )
    s.task_complete(awaiting, by=clerk, on=dt.date(2021, 4, 30), text="完成", files=[pdf()])
    s.task_verify(closed, by=leader, on=dt.date(2021, 5, 2), passed=True)

    def bucket(name):
        qs = bucket_filter(Task.objects, name, today)
        return sorted(qs.values_list("measures", flat=True))

    assert bucket("overdue") == ["overdue"]
    assert bucket("within_10") == ["day10", "today"]
    assert bucket("within_20") == ["day11", "day20"]
    assert bucket("later") == ["day21"]
    assert bucket("awaiting") == ["awaiting"]
    assert bucket("closed") == ["closed"]
    assert len(bucket("open")) == 7
    assert made["overdue"].light(today) == "red"
