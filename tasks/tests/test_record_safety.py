"""Tasks stay safe: a stale edit keeps the input, voiding, one task per form, forged fields."""

import pytest
from django.contrib.auth.models import Group
from django.test import Client

from miaoba.models import User
from miaoba.roles import CLERK
from tasks import selectors
from tasks.models import Task
from tasks.tests.builders import problem, task

pytestmark = pytest.mark.django_db


@pytest.fixture
def clerk2(justice_office) -> User:
    user = User.objects.create_user(username="clerk2", last_name="赵", first_name="二")
    user.groups.add(Group.objects.get(name=CLERK))
    user.units.set([justice_office])
    return user


def _edit(t: Task, measures: str, version: int, justice_office, leader, clerk) -> dict:
    return {
        "measures": measures,
        "lead_unit": justice_office.pk,
        "responsible": clerk.pk,
        "leader": leader.pk,
        "version": version,
    }


def test_stale_edit_says_who_changed_what_and_keeps_the_input(
    client, clerk, clerk2, leader, justice_office
):
    t = task(clerk, unit=justice_office, leader=leader)
    client.force_login(clerk)
    assert 'name="version" value="1"' in client.get(f"/tasks/{t.pk}/edit/").content.decode()
    other = Client()
    other.force_login(clerk2)
    other.post(
        f"/tasks/{t.pk}/edit/", _edit(t, "每季度集体学法一次", 1, justice_office, leader, clerk)
    )

    response = client.post(
        f"/tasks/{t.pk}/edit/", _edit(t, "每月集体学法一次并考试", 1, justice_office, leader, clerk)
    )

    text = response.content.decode()
    assert response.status_code == 200
    assert "该记录已被他人修改" in text and "赵二" in text
    assert "整改措施：建立领导干部学法制度 → 每季度集体学法一次" in text
    assert "每月集体学法一次并考试" in text
    t.refresh_from_db()
    assert t.measures == "每季度集体学法一次" and t.version == 2


def test_voided_task_leaves_list_queue_and_figures(client, clerk, leader, justice_office):
    voided = task(clerk, unit=justice_office, leader=leader)
    kept = task(clerk, unit=justice_office, leader=leader, measures="开展普法宣传")
    assert selectors.task_figures().task_total == 2
    client.force_login(clerk)

    response = client.post(
        f"/tasks/{voided.pk}/void/",
        {"void_reason": "交办重复", "confirm": "on", "version": voided.version},
        follow=True,
    )

    assert f"已作废：{voided.number}" in response.content.decode()
    listing = client.get("/tasks/").content.decode()
    assert kept.number in listing and voided.number not in listing
    assert voided.number in client.get("/tasks/?voided=only").content.decode()
    assert "交办重复" in client.get(f"/tasks/{voided.pk}/").content.decode()
    assert selectors.task_figures().task_total == 1


def test_the_same_task_form_posted_twice_creates_one_task(client, clerk, leader, justice_office):
    the_problem = problem(clerk)
    client.force_login(clerk)
    token = client.get("/tasks/new/").context["form"]["form_token"].value()
    data = {
        "problem": the_problem.pk,
        "measures": "建立学法制度",
        "lead_unit": justice_office.pk,
        "responsible": clerk.pk,
        "leader": leader.pk,
        "assigned_on": "2021-01-20",
        "due_on": "2021-06-30",
        "form_token": str(token),
    }
    first = client.post("/tasks/new/", data)
    second = client.post("/tasks/new/", data, follow=True)
    t = Task.objects.get()
    assert first["Location"] == f"/tasks/{t.pk}/"
    assert "该交办表已提交过" in second.content.decode()


def test_forged_status_and_number_are_ignored_on_edit(client, clerk, leader, justice_office):
    t = task(clerk, unit=justice_office, leader=leader)
    client.force_login(clerk)
    data = _edit(t, "新措施", 1, justice_office, leader, clerk)
    data.update(
        status="closed", number="整改〔2099〕1号", created_by=leader.pk, closed_on="2021-01-01"
    )
    client.post(f"/tasks/{t.pk}/edit/", data)
    t.refresh_from_db()
    assert (t.measures, t.status, t.closed_on, t.created_by) == (
        "新措施",
        "not_started",
        None,
        clerk,
    )
    assert t.number == "整改〔2021〕1号"


def test_history_tab_on_the_task_page(client, clerk, leader, justice_office):
    t = task(clerk, unit=justice_office, leader=leader)
    client.force_login(clerk)
    client.post(f"/tasks/{t.pk}/edit/", _edit(t, "新措施", 1, justice_office, leader, clerk))
    text = client.get(f"/tasks/{t.pk}/").content.decode()
    assert "修改记录" in text and "整改措施：建立领导干部学法制度 → 新措施" in text
