"""People, units and villages are listed in pinyin order (拼音排序), on SQLite and PostgreSQL alike.

The suite runs on both databases in CI; these tests order through the database (`ORDER BY`),
so each run checks the database it runs on.
"""

from __future__ import annotations

import re

import pytest
from django.contrib.auth.models import Group

from disputes.forms import PetitionExtendForm
from miaoba.models import Unit, User, Village
from miaoba.pinyin import pinyin_key
from miaoba.roles import LEADER
from tasks.forms import TaskForm

pytestmark = pytest.mark.django_db

# The names of the issue, in the order a reader expects.
LEADERS = [("安", "娜"), ("陈", "晨"), ("李", "四"), ("欧阳", ""), ("王", "五"), ("张", "三")]


def _leader(last: str, first: str, username: str) -> User:
    user = User.objects.create_user(username=username, last_name=last, first_name=first)
    user.groups.add(Group.objects.get(name=LEADER))
    return user


def test_the_key_reads_pinyin_with_tones_and_surnames():
    assert pinyin_key("李四", person=True) == "li3si4"
    assert pinyin_key("欧阳", person=True) == "ou1yang2"
    # 曾 as a surname is zeng, not ceng (曾经)
    assert pinyin_key("曾晓", person=True) == "zeng1xiao3"
    assert pinyin_key("党政办公室") == "dang3zheng4ban4gong1shi4"
    assert pinyin_key("admin") == "admin"
    # a syllable ends with its tone digit, so 李 (li3) comes before 林 (lin2)
    assert pinyin_key("李") < pinyin_key("林")


def test_leaders_to_approve_an_extension_are_offered_in_pinyin_order():
    # registered in code-point-unfriendly order: 赵六 before 张三, 陈晨 last
    for i, (last, first) in enumerate(
        [("赵", "六"), ("张", "三"), ("李", "四"), ("欧阳", ""), ("曾", "晓"), ("王", "五"),
         ("安", "娜"), ("陈", "晨")]
    ):  # fmt: skip
        _leader(last, first, f"leader{i}")
    labels = [
        label
        for value, label in PetitionExtendForm().fields["extension_approved_by"].choices
        if value
    ]
    assert labels == ["安娜", "陈晨", "李四", "欧阳", "王五", "曾晓", "张三", "赵六"]


def test_responsible_people_of_a_task_are_offered_in_pinyin_order(clerk):
    for i, (last, first) in enumerate(reversed(LEADERS)):
        User.objects.create_user(username=f"u{i}", last_name=last, first_name=first)
    form = TaskForm(user=clerk)
    labels = [str(label) for value, label in form.fields["responsible"].choices if value]
    names = [re.sub(r"（.*）$", "", label) for label in labels]
    wanted = ["安娜", "陈晨", "李四", "欧阳", "王五", "张三"]
    assert [n for n in names if n in wanted] == wanted


def test_units_and_villages_list_in_pinyin_order_on_the_petition_filter(client, clerk):
    for name in ["信访办", "司法所", "党政办公室", "财政所", "派出所"]:
        Unit.objects.get_or_create(name=name, defaults={"kind": Unit.Kind.OFFICE})
    for name in ["庙坝社区", "石兴村", "罗江村", "大河村", "宝山村"]:
        Village.objects.create(name=name)
    client.force_login(clerk)
    html = client.get("/disputes/petitions/").content.decode()

    def options(select_name: str) -> list[str]:
        select = re.search(rf'<select name="{select_name}".*?</select>', html, re.S).group(0)
        return [o for o in re.findall(r"<option[^>]*>([^<]*)</option>", select) if o]

    assert options("village")[1:] == ["宝山村", "大河村", "罗江村", "庙坝社区", "石兴村"]
    assert options("unit")[1:] == ["财政所", "党政办公室", "派出所", "司法所", "信访办"]


def test_a_renamed_user_moves_to_the_new_place():
    a = User.objects.create_user(username="a", last_name="张", first_name="三")
    User.objects.create_user(username="b", last_name="李", first_name="四")
    a.last_name = "安"
    a.save(update_fields=["last_name"])
    assert [u.username for u in User.objects.filter(username__in=["a", "b"])] == ["a", "b"]
