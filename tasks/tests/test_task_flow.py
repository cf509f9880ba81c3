"""The flow of a rectification task: 未开始 → 整改中 → 已完成 → 已销号, and back."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from tasks import services as s
from tasks.models import Event, Task
from tasks.tests.builders import pdf, task

pytestmark = pytest.mark.django_db


@pytest.fixture
def open_task(clerk, leader, justice_office) -> Task:
    return task(clerk, unit=justice_office, leader=leader)


def test_new_task_is_numbered_per_year_and_not_started(clerk, leader, justice_office):
    first = task(clerk, unit=justice_office, leader=leader)
    second = task(clerk, unit=justice_office, leader=leader, measures="另一项措施")
    assert (first.number, second.number) == ("整改〔2021〕1号", "整改〔2021〕2号")
    assert first.status == Task.Status.NOT_STARTED
    assert first.events.get().action == "交办"


def test_first_progress_moves_the_task_to_in_progress(open_task, clerk):
    s.task_add_progress(open_task, by=clerk, on=dt.date(2021, 2, 1), text="召开专题会议")
    open_task.refresh_from_db()
    assert open_task.status == Task.Status.IN_PROGRESS
    assert [e.action for e in open_task.events.all()] == ["交办", "开始整改", "整改进展"]


def test_no_completion_without_evidence(open_task, clerk):
    with pytest.raises(ValidationError) as exc:
        s.task_complete(open_task, by=clerk, on=dt.date(2021, 6, 1), text="已完成")
    assert "佐证材料" in exc.value.message_dict["files"][0]
    open_task.refresh_from_db()
    assert open_task.status == Task.Status.NOT_STARTED


def test_completion_with_evidence_uploaded_now_or_before(open_task, clerk):
    s.task_add_progress(open_task, by=clerk, on=dt.date(2021, 3, 1), text="制定制度", files=[pdf()])
    s.task_complete(open_task, by=clerk, on=dt.date(2021, 6, 1), text="制度已印发")
    open_task.refresh_from_db()
    assert open_task.status == Task.Status.COMPLETED
    assert open_task.completed_on == dt.date(2021, 6, 1)


def test_a_renamed_executable_is_refused_as_evidence(open_task, clerk):
    from django.core.files.uploadedfile import SimpleUploadedFile

    fake = SimpleUploadedFile("制度.pdf", b"MZ\x90\x00binary")
    with pytest.raises(ValidationError) as exc:
        s.task_complete(open_task, by=clerk, on=dt.date(2021, 6, 1), text="完成", files=[fake])
    assert "与扩展名.pdf不符" in exc.value.messages[0]
    assert Task.objects.get().status == Task.Status.NOT_STARTED


def _completed(open_task, clerk):
    s.task_complete(open_task, by=clerk, on=dt.date(2021, 6, 1), text="完成", files=[pdf()])
    return open_task


def test_leader_closes_a_completed_task(open_task, clerk, leader):
    _completed(open_task, clerk)
    s.task_verify(open_task, by=leader, on=dt.date(2021, 6, 5), passed=True, comment="整改到位")
    open_task.refresh_from_db()
    assert open_task.status == Task.Status.CLOSED
    assert (open_task.closed_on, open_task.verified_by) == (dt.date(2021, 6, 5), leader)
    assert open_task.events.last().action == "销号"


def test_the_responsible_person_cannot_close_their_own_task(clerk, leader, justice_office):
    own = task(clerk, unit=justice_office, leader=leader, responsible=leader)
    _completed(own, clerk)
    with pytest.raises(ValidationError) as exc:
        s.task_verify(own, by=leader, on=dt.date(2021, 6, 5), passed=True)
    assert "不能为自己的任务销号" in exc.value.messages[0]
    assert Task.objects.get().status == Task.Status.COMPLETED


def test_a_clerk_cannot_close_a_task(open_task, clerk, outsider):
    _completed(open_task, clerk)
    with pytest.raises(ValidationError, match="只有领导才能销号"):
        s.task_verify(open_task, by=outsider, on=dt.date(2021, 6, 5), passed=True)


def test_failed_verification_sends_the_task_back_with_the_reason(open_task, clerk, leader):
    _completed(open_task, clerk)
    with pytest.raises(ValidationError):
        s.task_verify(open_task, by=leader, on=dt.date(2021, 6, 5), passed=False, comment="")
    s.task_verify(
        open_task, by=leader, on=dt.date(2021, 6, 5), passed=False, comment="缺少会议记录"
    )
    open_task.refresh_from_db()
    assert open_task.status == Task.Status.IN_PROGRESS
    assert open_task.completed_on is None
    event = open_task.events.last()
    assert (event.action, event.note, event.by) == ("销号未通过", "缺少会议记录", leader)
    # and it can be completed and closed again
    s.task_complete(
        open_task, by=clerk, on=dt.date(2021, 6, 10), text="补充会议记录", files=[pdf()]
    )
    s.task_verify(open_task, by=leader, on=dt.date(2021, 6, 11), passed=True)
    assert Task.objects.get().status == Task.Status.CLOSED


def test_a_recurring_problem_reopens_a_closed_task(open_task, clerk, leader):
    _completed(open_task, clerk)
    s.task_verify(open_task, by=leader, on=dt.date(2021, 6, 5), passed=True)
    with pytest.raises(ValidationError):
        s.task_add_progress(open_task, by=clerk, on=dt.date(2021, 7, 1), text="再次整改")
    s.task_reopen(open_task, by=clerk, on=dt.date(2021, 9, 1), reason="回头看发现问题反弹")
    open_task.refresh_from_db()
    assert open_task.status == Task.Status.IN_PROGRESS
    assert (open_task.closed_on, open_task.verified_by) == (None, None)
    assert "原于2021年6月5日经王镇长销号" in open_task.events.last().note


def test_extension_needs_a_reason_and_a_leader_and_is_counted(open_task, clerk, leader):
    with pytest.raises(ValidationError) as exc:
        s.task_extend(
            open_task,
            by=clerk,
            on=dt.date(2021, 6, 1),
            new_due_on=dt.date(2021, 5, 1),
            reason="",
            approved_by=clerk,
        )
    assert set(exc.value.message_dict) == {"new_due_on", "reason", "approved_by"}
    s.task_extend(
        open_task,
        by=clerk,
        on=dt.date(2021, 6, 1),
        new_due_on=dt.date(2021, 9, 30),
        reason="等待上级文件",
        approved_by=leader,
    )
    s.task_extend(
        open_task,
        by=clerk,
        on=dt.date(2021, 9, 1),
        new_due_on=dt.date(2021, 12, 31),
        reason="经费未到位",
        approved_by=leader,
    )
    open_task.refresh_from_db()
    assert open_task.due_on == dt.date(2021, 12, 31)
    assert open_task.extensions.count() == 2
    assert "第2次延期至2021年12月31日" in open_task.due_explanation
    assert Event.objects.filter(task=open_task, action="延期").count() == 2


def test_a_period_deadline_moves_past_the_national_day_holiday(clerk, leader, justice_office):
    # 2020-09-16 + 15 days = 2020-10-01, 国庆中秋 holiday (10-01..10-08) → 2020-10-09.
    t = task(
        clerk,
        unit=justice_office,
        leader=leader,
        assigned_on=dt.date(2020, 9, 16),
        due_on=None,
        period_days=15,
    )
    assert t.due_on == dt.date(2020, 10, 9)
    assert "顺延至2020年10月9日" in t.due_explanation


def test_long_term_task_needs_a_milestone_and_no_deadline(clerk, leader, justice_office):
    with pytest.raises(ValidationError) as exc:
        task(clerk, unit=justice_office, leader=leader, is_long_term=True)
    assert "阶段目标" in exc.value.message_dict["milestones"][0]
    with pytest.raises(ValidationError):
        s.task_create(
            by=clerk, problem=task(clerk, unit=justice_office, leader=leader).problem, measures="x",
            lead_unit=justice_office, responsible=clerk, leader=leader, assigned_on=dt.date(2021, 1, 20),
            due_on=dt.date(2021, 6, 30), is_long_term=True, milestones=[("第一季度", dt.date(2021, 3, 31))],
        )  # fmt: skip


def test_supervising_leader_must_be_a_leader(clerk, justice_office):
    with pytest.raises(ValidationError) as exc:
        task(clerk, unit=justice_office, leader=clerk)
    assert "领导" in exc.value.message_dict["leader"][0]


def test_duplicate_problem_is_refused_in_chinese(clerk):
    from tasks.tests.builders import problem

    problem(clerk)
    with pytest.raises(ValidationError) as exc:
        problem(clerk)
    assert "已登记过这个问题" in exc.value.message_dict["title"][0]
