"""Demo data of 庙坝镇: units, villages and one user per role.

The villages and people are illustrative, not the township's real register. Demo users have
published passwords, so `load_demo` refuses to run unless `DEMO_MODE` is on.
"""

from __future__ import annotations

from django.contrib.auth.models import Group
from django.db import transaction

from miaoba.models import Unit, User, Village
from miaoba.roles import ADMINISTRATOR, ADVISOR, AUDITOR, CLERK, LEADER

UNITS = [
    ("党政办公室", Unit.Kind.OFFICE),
    ("综治办", Unit.Kind.OFFICE),
    ("信访办", Unit.Kind.OFFICE),
    ("经济发展办公室", Unit.Kind.OFFICE),
    ("社会事务办公室", Unit.Kind.OFFICE),
    ("规划建设管理环保办公室", Unit.Kind.OFFICE),
    ("司法所", Unit.Kind.STATION),
    ("财政所", Unit.Kind.STATION),
    ("农业服务中心", Unit.Kind.STATION),
    ("便民服务中心", Unit.Kind.STATION),
    ("派出所", Unit.Kind.RESIDENT),
    ("市场监管所", Unit.Kind.RESIDENT),
    ("卫生院", Unit.Kind.RESIDENT),
]

VILLAGES = [
    ("庙坝社区", Village.Kind.COMMUNITY),
    ("石兴村", Village.Kind.VILLAGE),
    ("罗江村", Village.Kind.VILLAGE),
    ("联坪村", Village.Kind.VILLAGE),
    ("大河村", Village.Kind.VILLAGE),
    ("宝山村", Village.Kind.VILLAGE),
    ("交通村", Village.Kind.VILLAGE),
    ("新华村", Village.Kind.VILLAGE),
]

# username, password, last name, first name, title, role, units, is_staff
USERS = [
    (
        "clerk",
        "Miaoba#Clerk2020",
        "李",
        "文静",
        "司法所干部",
        CLERK,
        ["司法所", "信访办", "综治办"],
        False,
    ),
    ("clerk2", "Miaoba#Clerk2020", "周", "建国", "党政办干部", CLERK, ["党政办公室"], False),
    ("advisor", "Miaoba#Advisor2020", "陈", "律师", "政府法律顾问", ADVISOR, [], False),
    ("leader", "Miaoba#Leader2020", "王", "镇长", "镇长", LEADER, ["党政办公室"], False),
    ("admin", "Miaoba#Admin2020", "赵", "管理", "系统管理员", ADMINISTRATOR, ["党政办公室"], True),
    ("auditor", "Miaoba#Auditor2020", "钱", "审计", "安全审计员", AUDITOR, [], True),
]


@transaction.atomic
def load_demo() -> list[tuple[str, str, str]]:
    """Create or refresh the demo reference data and users; return (role, username, password).

    Idempotent: running it twice leaves one copy of everything.
    """
    # No explicit order: units and villages are listed in pinyin order.
    for name, kind in UNITS:
        Unit.objects.update_or_create(name=name, defaults={"kind": kind, "order": 0})
    for name, kind in VILLAGES:
        Village.objects.update_or_create(name=name, defaults={"kind": kind, "order": 0})
    logins = []
    for username, password, last, first, title, role, units, is_staff in USERS:
        user, _ = User.objects.update_or_create(
            username=username,
            defaults={"last_name": last, "first_name": first, "title": title, "is_staff": is_staff},
        )
        user.set_password(password)
        user.save()
        user.groups.set([Group.objects.get(name=role)])
        user.units.set(Unit.objects.filter(name__in=units))
        logins.append((role, username, password))
    return logins
