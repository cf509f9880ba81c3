"""The 整改台账 import writes through the services the task forms use (issue 12 §6).

A task imported with a progress line has the record, timeline and history its forms write
(交办 worded by the TASK flow, 开始整改 and 整改进展 as `task_add_progress` writes them); an
import failing midway leaves nothing; checking and importing cost the same queries for 10 rows
as for 100.
"""

from __future__ import annotations

import datetime as dt

import pytest

from miaoba.ledger import LEDGERS
from miaoba.tests.write_path import history_state, record_state, round_trips, timeline
from tasks import services as s
from tasks.models import Event, Problem, Task
from tasks.tests.builders import problem
from tasks.tests.test_ledger import _row, _xlsx

pytestmark = pytest.mark.django_db


def _file(*rows) -> bytes:
    from tasks.resources import TaskResource

    return _xlsx([TaskResource.headers(), *rows])


def test_a_task_imported_has_the_record_timeline_and_history_its_forms_write(
    clerk, leader, justice_office, party_office
):
    found = problem(clerk, title="行政执法案卷不规范", year=2021, source="督察",
                    document="督察反馈意见", category="依法行政", aspect="执法规范")  # fmt: skip
    by_forms = s.task_create(
        by=clerk, problem=found, measures="开展执法案卷评查", lead_unit=justice_office,
        responsible=clerk, leader=leader, assigned_on=dt.date(2021, 3, 5),
        due_on=dt.date(2021, 6, 30), co_units=[party_office],
    )  # fmt: skip
    s.task_add_progress(by_forms, by=clerk, on=dt.date(2021, 3, 10), text="完成首批案卷评查")

    plan = LEDGERS["tasks"].import_file(
        _file(_row(整改措施="建立执法案卷评查制度", 整改进展="2021-03-10：完成首批案卷评查")),
        "整改台账.xlsx",
        user=clerk,
    )

    assert plan.errors == [] and plan.created == 1
    by_import = Task.objects.get(measures="建立执法案卷评查制度")
    skip = {"number", "serial", "measures", "version"}
    assert record_state(by_import, skip=skip) == record_state(by_forms, skip=skip)
    assert by_import.co_units.get() == party_office
    assert timeline(by_import) == timeline(by_forms)
    assert [a for a, *_ in timeline(by_import)] == ["交办", "开始整改", "整改进展"]
    # The forms write 未开始 then 整改中; the import one row holding what the forms' last holds.
    (created,) = history_state(by_import, skip=skip)
    last = history_state(by_forms, skip=skip)[-1]
    assert (created.pop("history_type"), last.pop("history_type")) == ("+", "~")
    assert created.pop("history_user_id") == clerk.pk
    last.pop("history_user_id")  # the services were called without a request here
    assert created == last
    assert Problem.objects.count() == 1  # the row's problem is the one on file


def test_a_task_import_failing_midway_writes_no_row(clerk, leader, justice_office, monkeypatch):
    data = _file(*(_row(问题=f"问题{i}", 整改措施=f"措施{i}") for i in range(3)))

    # Problems, tasks and their history rows are in when the timelines' insert fails.
    def failing_bulk_create(*args, **kwargs):
        raise RuntimeError("磁盘已满")

    monkeypatch.setattr(Event.objects, "bulk_create", failing_bulk_create)
    with pytest.raises(RuntimeError):
        LEDGERS["tasks"].import_file(data, "整改台账.xlsx", user=clerk)
    assert Task.objects.count() == 0 and Problem.objects.count() == 0


def test_checking_and_importing_cost_the_same_queries_for_10_rows_as_for_100(
    clerk, leader, justice_office
):
    def data(numbers) -> bytes:
        return _file(
            *(
                _row(问题=f"问题{i}", 整改措施=f"措施{i}", 整改进展="2021-03-10：已部署")
                for i in numbers
            )
        )

    ledger = LEDGERS["tasks"]
    small, large = data(range(10)), data(range(10, 110))
    # One task of the year on file first, so both files find the counter to raise.
    ledger.import_file(data(range(200, 201)), "f.xlsx", user=clerk)

    checks = [
        round_trips(lambda x=x: ledger.check_file(x, "f.xlsx", user=clerk)) for x in (small, large)
    ]
    imports = [
        round_trips(lambda x=x: ledger.import_file(x, "f.xlsx", user=clerk)) for x in (small, large)
    ]

    assert Task.objects.count() == 111
    assert checks[0] == checks[1]
    assert imports[0] == imports[1]
