"""The first day in production: units, villages, users and roles from one file; systemd; cron."""

from __future__ import annotations

import configparser
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from miaoba.models import Unit, User, Village
from miaoba.roles import ADMINISTRATOR, ADVISOR, CLERK, LEADER

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "deploy" / "township.example.toml"


def _run(path) -> str:
    out = StringIO()
    call_command("setup_township", str(path), stdout=out)
    return out.getvalue()


def test_the_example_file_sets_up_the_township_and_gives_the_superuser_a_role(client):
    # what `createsuperuser` left: a user without role or unit
    User.objects.create_superuser("admin", password="Chosen#Passw0rd-1")
    out = _run(EXAMPLE)

    assert "单位 5 个、村（社区）2 个、用户 4 个已就绪。" in out
    assert list(Unit.objects.values_list("name", flat=True)) == [
        "党政办公室", "派出所", "司法所", "信访办", "综治办"
    ]  # fmt: skip
    assert Village.objects.get(name="庙坝社区").kind == Village.Kind.COMMUNITY
    clerk = User.objects.get(username="liwenjing")
    assert clerk.display_name == "李文静"
    assert [g.name for g in clerk.groups.all()] == [CLERK]
    assert sorted(u.name for u in clerk.units.all()) == sorted(["司法所", "信访办", "综治办"])
    assert User.objects.get(username="wangzhen").groups.get().name == LEADER
    assert User.objects.get(username="chenls").groups.get().name == ADVISOR

    admin = User.objects.get(username="admin")
    assert admin.groups.get().name == ADMINISTRATOR and admin.display_name == "赵管理"
    assert [u.name for u in admin.units.all()] == ["党政办公室"]
    # the superuser keeps their own password; the three new users got one each, shown once
    assert admin.check_password("Chosen#Passw0rd-1")
    lines = [line.split() for line in out.splitlines() if line.startswith("  ")]
    assert [username for username, _ in lines] == ["liwenjing", "wangzhen", "chenls"]
    username, password = lines[0]
    assert User.objects.get(username=username).check_password(password)

    # the workbench now names the role and the unit
    client.force_login(admin)
    text = client.get("/").content.decode()
    assert "未分配角色" not in text and "未分配单位" not in text
    assert "<dd>管理员</dd>" in text and "<dd>党政办公室</dd>" in text


def test_running_it_again_duplicates_nothing_and_keeps_passwords():
    _run(EXAMPLE)
    before = User.objects.get(username="liwenjing").password
    out = _run(EXAMPLE)
    assert Unit.objects.count() == 5 and User.objects.count() == 4
    assert User.objects.get(username="liwenjing").password == before
    assert "初始密码" not in out


def test_a_wrong_file_writes_nothing_and_says_what_is_wrong(tmp_path):
    bad = tmp_path / "township.toml"
    bad.write_text(
        '[[units]]\nname = "司法所"\nkind = "站"\n'
        '[[users]]\nusername = "li"\nname = "李四"\nrole = "科员"\nunits = ["财政所"]\n',
        encoding="utf-8",
    )
    with pytest.raises(CommandError) as error:
        _run(bad)
    message = str(error.value)
    assert "未导入任何内容" in message
    assert "单位“司法所”：kind 应为科室、站所、驻镇单位之一，不是“站”" in message
    assert "用户“li”：role 应为录入员、法律顾问、领导、管理员、审计员之一，不是“科员”" in message
    assert "用户“li”：单位“财政所”不在 [[units]] 中，也不在系统里" in message
    assert Unit.objects.count() == 0 and User.objects.count() == 0


def test_the_systemd_unit_runs_gunicorn_with_the_environment_file():
    unit = configparser.ConfigParser(interpolation=None)
    unit.read(ROOT / "deploy" / "miaoba.service", encoding="utf-8")
    service = unit["Service"]
    assert service["ExecStart"].split()[:2] == ["/srv/miaoba/.venv/bin/gunicorn", "miaoba.wsgi"]
    assert service["EnvironmentFile"] == "/etc/miaoba.env"
    assert service["Restart"] == "on-failure"
    assert unit["Install"]["WantedBy"] == "multi-user.target"


def test_the_cron_line_runs_make_backup_nightly_with_the_environment():
    lines = [
        line
        for line in (ROOT / "deploy" / "miaoba.cron").read_text(encoding="utf-8").splitlines()
        if line and not line.startswith("#")
    ]
    assert len(lines) == 1
    minute, hour, day, month, weekday, command = lines[0].split(maxsplit=5)
    assert (minute, hour, day, month, weekday) == ("30", "2", "*", "*", "*")
    assert ". /etc/miaoba.env" in command and "make backup" in command
