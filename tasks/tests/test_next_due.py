"""The stored `Task.next_due` (the date a task's light is judged by), read back from the table
right after each kind of write: creation, milestones, extensions, status steps, 更正, import."""

import datetime as dt

import pytest

from miaoba.corrections import correct, registry
from tasks import services as s
from tasks.models import Task
from tasks.resources import TaskResource, import_ledger
from tasks.tests.builders import pdf, problem, task
from tasks.tests.test_ledger import _row, _xlsx

pytestmark = pytest.mark.django_db

Q1, Q2, Q3 = dt.date(2021, 3, 31), dt.date(2021, 6, 30), dt.date(2021, 9, 30)


def stored(t: Task) -> dt.date | None:
    """Return `next_due` as the table holds it (not the copy in memory)."""
    return Task.objects.values_list("next_due", flat=True).get(pk=t.pk)


@pytest.fixture
def dated(clerk, leader, justice_office) -> Task:
    return task(clerk, unit=justice_office, leader=leader, due_on=dt.date(2021, 6, 30))


@pytest.fixture
def long_term(clerk, leader, justice_office) -> Task:
    return task(
        clerk, unit=justice_office, leader=leader, is_long_term=True,
        milestones=[("第二季度", Q2), ("第一季度", Q1)],
    )  # fmt: skip


def test_creation_stores_the_deadline_or_the_first_milestone(clerk, leader, justice_office, dated):
    assert stored(dated) == dt.date(2021, 6, 30)
    counted = task(
        clerk, unit=justice_office, leader=leader, due_on=None, period_days=30,
        assigned_on=dt.date(2021, 3, 1),
    )  # fmt: skip
    assert stored(counted) == counted.due_on == dt.date(2021, 3, 31)
    long_term = task(
        clerk, unit=justice_office, leader=leader, is_long_term=True,
        milestones=[("第二季度", Q2), ("第一季度", Q1)],
    )  # fmt: skip
    assert stored(long_term) == long_term.next_due == Q1


def test_milestones_added_and_reached_move_it(long_term, clerk):
    s.milestone_add(long_term, by=clerk, title="第三季度", due_on=Q3)
    assert stored(long_term) == Q1
    s.milestone_reach(long_term.milestones.get(due_on=Q1), by=clerk, on=dt.date(2021, 3, 20))
    assert stored(long_term) == Q2
    s.milestone_reach(long_term.milestones.get(due_on=Q2), by=clerk, on=dt.date(2021, 6, 20))
    assert stored(long_term) == Q3
    s.milestone_reach(long_term.milestones.get(due_on=Q3), by=clerk, on=dt.date(2021, 9, 20))
    assert stored(long_term) is None
    s.milestone_add(long_term, by=clerk, title="第四季度", due_on=dt.date(2021, 12, 31))
    assert stored(long_term) == dt.date(2021, 12, 31)


def test_an_extension_moves_it_to_the_new_deadline(dated, clerk, leader):
    s.task_extend(
        dated, by=clerk, on=dt.date(2021, 6, 20), new_due_on=dt.date(2021, 8, 31),
        reason="需协调县级部门", approved_by=leader,
    )  # fmt: skip
    assert stored(dated) == dated.next_due == dt.date(2021, 8, 31)


def test_status_steps_keep_it(dated, long_term, clerk, leader):
    s.task_add_progress(dated, by=clerk, on=dt.date(2021, 3, 1), text="开展学法")
    assert (dated.status, stored(dated)) == (Task.Status.IN_PROGRESS, dt.date(2021, 6, 30))
    s.task_complete(dated, by=clerk, on=dt.date(2021, 6, 1), text="完成", files=[pdf()])
    assert stored(dated) == dt.date(2021, 6, 30)
    s.task_verify(dated, by=leader, on=dt.date(2021, 6, 3), passed=False, comment="缺照片")
    assert stored(dated) == dt.date(2021, 6, 30)
    s.task_complete(dated, by=clerk, on=dt.date(2021, 6, 5), text="补充照片", files=[pdf()])
    s.task_verify(dated, by=leader, on=dt.date(2021, 6, 8), passed=True)
    assert stored(dated) == dt.date(2021, 6, 30)
    s.task_reopen(dated, by=leader, on=dt.date(2021, 9, 1), reason="问题反弹")
    assert (dated.status, stored(dated)) == (Task.Status.IN_PROGRESS, dt.date(2021, 6, 30))
    s.task_add_progress(long_term, by=clerk, on=dt.date(2021, 3, 1), text="开展学法")
    assert stored(long_term) == Q1


def test_saving_a_stale_copy_does_not_bring_back_an_old_date(long_term, clerk, leader):
    stale = Task.objects.get(pk=long_term.pk)
    s.milestone_reach(long_term.milestones.get(due_on=Q1), by=clerk, on=dt.date(2021, 3, 20))
    assert stale.next_due == Q1
    s.task_update(stale, by=clerk, measures="每季度集体学法一次")
    assert stored(long_term) == stale.next_due == Q2


def test_a_correction_of_the_problem_keeps_it(dated, clerk):
    other = problem(clerk, title="行政执法案卷不规范", year=2021)
    correct(
        registry()["task"], dated, by=clerk, reason="问题选错", version=dated.version,
        values={"problem": other},
    )  # fmt: skip
    assert stored(dated) == dt.date(2021, 6, 30)


def test_an_import_stores_it_for_new_and_updated_tasks(clerk, leader, justice_office, party_office):
    data = _xlsx(
        [
            TaskResource.headers(),
            _row(),
            _row(问题="学法不经常", 整改时限="长期坚持", 整改措施="坚持集体学法"),
        ]
    )
    assert import_ledger(data, "督察整改.xlsx", user=clerk).errors == []
    dated, long_term = Task.objects.order_by("serial")
    assert (stored(dated), stored(long_term)) == (dt.date(2021, 6, 30), None)
    again = _xlsx(
        [TaskResource.headers(), _row(编号=dated.number, 整改进展="2021-04-01：完成案卷评查")]
    )
    assert import_ledger(again, "督察整改.xlsx", user=clerk).errors == []
    assert (dated.progress.count(), stored(dated)) == (1, dt.date(2021, 6, 30))


def test_refresh_next_due_recomputes_rows_written_in_bulk(long_term, dated):
    Task.objects.update(next_due=None)
    assert Task.objects.refresh_next_due() == 2
    assert (stored(long_term), stored(dated)) == (Q1, dt.date(2021, 6, 30))
