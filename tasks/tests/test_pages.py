"""The task pages as a clerk, a leader, an advisor and an outsider meet them."""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from tasks import services as s
from tasks.models import Evidence, Problem, Task
from tasks.tests.builders import pdf, problem, task

pytestmark = pytest.mark.django_db


@pytest.fixture
def the_task(clerk, leader, justice_office) -> Task:
    t = task(clerk, unit=justice_office, leader=leader)
    s.task_add_progress(t, by=clerk, on=dt.date(2021, 2, 1), text="开展学法", files=[pdf()])
    return t


def _urls(t: Task) -> list[str]:
    return [
        "/tasks/", "/tasks/problems/", f"/tasks/{t.pk}/", f"/tasks/problems/{t.problem_id}/",
        f"/tasks/evidence/{Evidence.objects.get().pk}/",
    ]  # fmt: skip


def test_anonymous_is_sent_to_login(client, the_task):
    for url in _urls(the_task):
        response = client.get(url)
        assert response.status_code == 302 and "/login/" in response["Location"], url


def test_advisor_may_not_see_tasks(client, advisor, the_task):
    client.force_login(advisor)
    for url in _urls(the_task):
        assert client.get(url).status_code == 403, url


def test_outsider_gets_404_for_another_units_task_and_its_files(client, outsider, the_task):
    client.force_login(outsider)
    assert client.get(f"/tasks/{the_task.pk}/").status_code == 404
    assert client.get(f"/tasks/evidence/{Evidence.objects.get().pk}/").status_code == 404
    assert client.get(f"/tasks/{the_task.pk}/complete/").status_code == 404
    assert the_task.number not in client.get("/tasks/").content.decode()


def test_clerk_and_leader_see_the_task_and_download_evidence(client, clerk, leader, the_task):
    for user in (clerk, leader):
        client.force_login(user)
        text = client.get(f"/tasks/{the_task.pk}/").content.decode()
        assert the_task.number in text and "开展学法" in text
        response = client.get(f"/tasks/evidence/{Evidence.objects.get().pk}/")
        assert response.status_code == 200
        assert b"".join(response.streaming_content).startswith(b"%PDF")


def test_leader_cannot_edit_and_clerk_cannot_verify(client, clerk, leader, the_task):
    client.force_login(leader)
    assert client.get(f"/tasks/{the_task.pk}/edit/").status_code == 403
    assert client.get("/tasks/new/").status_code == 403
    client.force_login(clerk)
    assert client.get(f"/tasks/{the_task.pk}/verify/").status_code == 403
    assert client.get("/tasks/verify/").status_code == 403


def test_clerk_registers_a_problem_and_a_task_with_a_period(client, clerk, leader, justice_office):
    client.force_login(clerk)
    response = client.post(
        "/tasks/problems/new/",
        {"source": "年度报告", "year": "2020", "title": "法治创建推进还不够深入", "order": "2"},
    )
    p = Problem.objects.get()
    assert response["Location"] == f"/tasks/problems/{p.pk}/"
    response = client.post(
        "/tasks/new/",
        {
            "problem": p.pk, "measures": "严格执行依法行政考核制度", "lead_unit": justice_office.pk,
            "responsible": clerk.pk, "leader": leader.pk, "assigned_on": "2020-09-16", "period_days": "15",
        },
        follow=True,
    )  # fmt: skip
    text = response.content.decode()
    t = Task.objects.get()
    assert "已交办，编号 整改〔2020〕1号" in text
    assert t.due_on == dt.date(2020, 10, 9)
    assert "顺延至2020年10月9日" in text


def test_task_form_errors_are_in_chinese_and_keep_what_was_typed(
    client, clerk, leader, justice_office
):
    p = problem(clerk)
    client.force_login(clerk)
    text = client.post(
        "/tasks/new/",
        {
            "problem": p.pk, "measures": "我写的措施", "lead_unit": justice_office.pk, "responsible": clerk.pk,
            "leader": leader.pk, "assigned_on": "2021-01-20", "is_long_term": "on", "milestones": "下个月 学法",
        },
    ).content.decode()  # fmt: skip
    assert "第1行“下个月 学法”格式不对" in text
    assert "我写的措施" in text
    assert Task.objects.count() == 0


def test_complete_without_evidence_is_refused_on_the_page(client, clerk, leader, justice_office):
    t = task(clerk, unit=justice_office, leader=leader)
    client.force_login(clerk)
    text = client.post(
        f"/tasks/{t.pk}/complete/", {"completed_on": "2021-06-01", "text": "已完成", "version": 1}
    ).content.decode()
    assert "报完成须有整改佐证材料" in text
    bad = SimpleUploadedFile("照片.jpg", b"not an image")
    text = client.post(
        f"/tasks/{t.pk}/complete/",
        {"completed_on": "2021-06-01", "text": "已完成", "files": [bad], "version": 1},
    ).content.decode()
    assert "与扩展名.jpg不符" in text
    response = client.post(
        f"/tasks/{t.pk}/complete/",
        {
            "completed_on": "2021-06-01",
            "text": "已完成",
            "files": [pdf(), pdf("照片.pdf")],
            "version": 1,
        },
    )
    assert response.status_code == 302
    t.refresh_from_db()
    assert t.status == Task.Status.COMPLETED
    assert t.evidence.count() == 2


def test_leader_verifies_from_the_queue_but_not_their_own(client, clerk, leader, justice_office):
    mine = task(clerk, unit=justice_office, leader=leader, measures="由我分管")
    own = task(clerk, unit=justice_office, leader=leader, responsible=leader, measures="我是责任人")
    for t in (mine, own):
        s.task_complete(t, by=clerk, on=dt.date(2021, 6, 1), text="完成", files=[pdf()])
    client.force_login(leader)
    text = client.get("/tasks/verify/").content.decode()
    assert mine.number in text and own.number in text
    text = client.get(f"/tasks/{own.pk}/").content.decode()
    assert "不能为自己的任务销号" in text
    assert client.get(f"/tasks/{own.pk}/verify/").status_code == 302  # not offered
    text = client.post(
        f"/tasks/{own.pk}/verify/",
        {"on": "2021-06-05", "passed": "1", "version": Task.objects.get(pk=own.pk).version},
    ).content.decode()
    assert "不能为自己的任务销号" in text
    response = client.post(
        f"/tasks/{mine.pk}/verify/",
        {
            "on": "2021-06-05",
            "passed": "0",
            "comment": "缺少照片",
            "version": Task.objects.get(pk=mine.pk).version,
        },
    )
    assert response.status_code == 302
    assert Task.objects.get(pk=mine.pk).status == Task.Status.IN_PROGRESS


def _bulk(n, clerk, leader, unit):
    p = problem(clerk)
    Task.objects.bulk_create(
        Task(
            number=f"整改〔2021〕{i}号", year=2021, serial=i, problem=p, measures=f"措施{i}", lead_unit=unit,
            responsible=clerk, leader=leader, assigned_on=dt.date(2021, 1, 20), created_by=clerk,
            due_on=None if i % 3 == 0 else dt.date(2021, 1, 20) + dt.timedelta(days=i),
            is_long_term=i % 3 == 0,
        )
        for i in range(1, n + 1)
    )  # fmt: skip
    Task.objects.refresh_next_due()


@pytest.mark.parametrize("n", [5, 500])
def test_task_list_runs_the_same_queries_for_5_and_500(
    client, clerk, leader, justice_office, list_page, n
):
    _bulk(n, clerk, leader, justice_office)
    client.force_login(clerk)
    list_page("/tasks/")
    list_page(f"/tasks/?bucket=overdue&mine=responsible&unit={justice_office.pk}")
    client.force_login(leader)
    list_page("/tasks/?bucket=within_10")


@pytest.mark.parametrize("n", [5, 500])
def test_problem_list_and_queue_run_the_same_queries_for_5_and_500(
    client, clerk, leader, justice_office, list_page, n
):
    _bulk(n, clerk, leader, justice_office)
    Task.objects.update(status=Task.Status.COMPLETED, completed_on=dt.date(2021, 6, 1))
    client.force_login(clerk)
    list_page("/tasks/problems/")
    client.force_login(leader)
    list_page("/tasks/verify/")


def test_ledger_export_follows_the_filters(client, clerk, leader, justice_office):
    task(clerk, unit=justice_office, leader=leader, due_on=dt.date(2021, 6, 30), measures="甲")
    task(clerk, unit=justice_office, leader=leader, due_on=dt.date(2099, 6, 30), measures="乙")
    client.force_login(clerk)
    body = client.get("/ledger/tasks/export/?bucket=overdue&format=csv").content.decode("utf-8-sig")
    assert "甲" in body and "乙" not in body


def test_the_unfiltered_list_takes_its_count_from_the_counters(
    client, clerk, leader, justice_office
):
    _bulk(25, clerk, leader, justice_office)
    Task.objects.filter(serial__lte=5).update(
        status=Task.Status.CLOSED, closed_on=dt.date(2021, 6, 1)
    )
    client.force_login(clerk)
    page = client.get("/tasks/").content.decode()
    assert "共 25 条，每页 20 条，第 1/2 页" in page
    assert "整改〔2021〕6号" in page and "整改〔2021〕5号" not in page  # newest first
    assert "共 5 条，每页 20 条，第 1/1 页" in client.get("/tasks/?bucket=closed").content.decode()
    assert "共 25 条，每页 20 条，第 2/2 页" in client.get("/tasks/?page=2").content.decode()


def test_lists_show_how_often_a_task_was_extended(client, clerk, leader, justice_office):
    extended = task(clerk, unit=justice_office, leader=leader, measures="甲")
    task(clerk, unit=justice_office, leader=leader, measures="乙")
    for new_due in (dt.date(2021, 7, 31), dt.date(2021, 8, 31)):
        s.task_extend(
            extended, by=clerk, on=dt.date(2021, 6, 20), new_due_on=new_due,
            reason="需协调县级部门", approved_by=leader,
        )  # fmt: skip
    client.force_login(clerk)
    page = client.get("/tasks/").content.decode()
    assert page.count("延期2次</span>") == 1 and "延期1次" not in page
    s.task_complete(extended, by=clerk, on=dt.date(2021, 8, 1), text="完成", files=[pdf()])
    client.force_login(leader)
    assert "延期2次</span>" in client.get("/tasks/verify/").content.decode()
    problem_page = client.get(f"/tasks/problems/{extended.problem_id}/").content.decode()
    assert problem_page.count("延期2次</span>") == 1
