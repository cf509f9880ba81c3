"""`python manage.py setup_township FILE.toml`: the first day in production (首次部署).

Reads the township's units (单位), villages (村/社区) and users with their role (角色) and
units from one TOML file (`deploy/township.example.toml` shows the shape), checks all of it,
then writes it in one transaction. Run it again after editing the file: existing rows are
updated, never duplicated, and existing users keep their passwords. A new user gets a random
password, printed once, to be changed at the first login (修改密码).

A user created with `createsuperuser` is listed in the file too, so they get their role and
unit instead of seeing 未分配角色 / 未分配单位.
"""

from __future__ import annotations

import secrets
import string
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from miaoba.models import Unit, User, Village
from miaoba.roles import ADMINISTRATOR, ROLES

UNIT_KINDS = {label: value for value, label in Unit.Kind.choices}
VILLAGE_KINDS = {label: value for value, label in Village.Kind.choices}


@dataclass
class Plan:
    """What the file asks for, checked: rows to write, and every problem found."""

    units: list[tuple[str, str]] = field(default_factory=list)
    villages: list[tuple[str, str]] = field(default_factory=list)
    users: list[dict] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)


def _split_name(name: str, surname: str | None) -> tuple[str, str]:
    """Return (last_name, first_name): the surname given, else the first character."""
    if surname:
        if not name.startswith(surname):
            raise ValueError(f"姓名“{name}”不以姓“{surname}”开头")
        return surname, name[len(surname) :]
    return name[:1], name[1:]


def read_plan(data: dict) -> Plan:
    """Check the parsed TOML `data`; return the plan with every error (none written yet)."""
    plan = Plan()
    for i, row in enumerate(data.get("units", []), start=1):
        name, kind = str(row.get("name", "")).strip(), str(row.get("kind", "科室")).strip()
        if not name:
            plan.errors.append(f"第{i}个单位（[[units]]）：缺少 name（单位名称）")
        elif kind not in UNIT_KINDS:
            plan.errors.append(f"单位“{name}”：kind 应为{'、'.join(UNIT_KINDS)}之一，不是“{kind}”")
        else:
            plan.units.append((name, UNIT_KINDS[kind]))
    for i, row in enumerate(data.get("villages", []), start=1):
        name, kind = str(row.get("name", "")).strip(), str(row.get("kind", "村")).strip()
        if not name:
            plan.errors.append(f"第{i}个村（社区）（[[villages]]）：缺少 name（名称）")
        elif kind not in VILLAGE_KINDS:
            plan.errors.append(f"村（社区）“{name}”：kind 应为村或社区，不是“{kind}”")
        else:
            plan.villages.append((name, VILLAGE_KINDS[kind]))
    known_units = {name for name, _ in plan.units} | set(
        Unit.objects.values_list("name", flat=True)
    )
    for i, row in enumerate(data.get("users", []), start=1):
        username = str(row.get("username", "")).strip()
        where = f"用户“{username}”" if username else f"第{i}个用户（[[users]]）"
        if not username:
            plan.errors.append(f"{where}：缺少 username（登录名）")
            continue
        role = str(row.get("role", "")).strip()
        if role not in ROLES:
            plan.errors.append(f"{where}：role 应为{'、'.join(ROLES)}之一，不是“{role}”")
        units = [str(u).strip() for u in row.get("units", [])]
        for unit in units:
            if unit not in known_units:
                plan.errors.append(f"{where}：单位“{unit}”不在 [[units]] 中，也不在系统里")
        name = str(row.get("name", "")).strip()
        try:
            last, first = _split_name(name, row.get("surname")) if name else ("", "")
        except ValueError as exc:
            plan.errors.append(f"{where}：{exc}")
            continue
        plan.users.append(
            {
                "username": username,
                "last_name": last,
                "first_name": first,
                "title": str(row.get("title", "")).strip(),
                "role": role,
                "units": units,
            }
        )
    return plan


def new_password() -> str:
    """Return a random 16-character password of upper, lower case and digits, plus a symbol."""
    alphabet = string.ascii_letters + string.digits
    while True:
        body = "".join(secrets.choice(alphabet) for _ in range(15))
        classes = (str.isupper, str.islower, str.isdigit)
        if all(any(test(c) for c in body) for test in classes):
            return body + "#"


@transaction.atomic
def apply_plan(plan: Plan) -> list[tuple[str, str]]:
    """Write the plan; return (username, password) of the users created."""
    for name, kind in plan.units:
        Unit.objects.update_or_create(name=name, defaults={"kind": kind})
    for name, kind in plan.villages:
        Village.objects.update_or_create(name=name, defaults={"kind": kind})
    created = []
    groups = {g.name: g for g in Group.objects.filter(name__in=ROLES)}
    for row in plan.users:
        user = User.objects.filter(username=row["username"]).first()
        if user is None:
            user = User(username=row["username"])
            password = new_password()
            user.set_password(password)
            created.append((row["username"], password))
        for attr in ("last_name", "first_name", "title"):
            if row[attr]:
                setattr(user, attr, row[attr])
        # 管理员 works in 系统管理 (the Django admin), which needs staff status.
        if row["role"] == ADMINISTRATOR:
            user.is_staff = True
        user.save()
        user.groups.set([groups[row["role"]]])
        user.units.set(Unit.objects.filter(name__in=row["units"]))
    return created


class Command(BaseCommand):
    help = "首次部署：从 TOML 文件导入单位、村（社区）、用户及其角色和所属单位（可重复运行）。"

    def add_arguments(self, parser):
        parser.add_argument("file", help="如 deploy/township.example.toml 的副本")

    def handle(self, *args, file: str, **options):
        path = Path(file)
        try:
            data = tomllib.loads(path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            raise CommandError(f"找不到文件：{path}") from None
        except tomllib.TOMLDecodeError as exc:
            raise CommandError(f"{path} 格式有误：{exc}") from None
        plan = read_plan(data)
        if plan.errors:
            raise CommandError(
                "未导入任何内容，请改正以下问题后重新运行：\n" + "\n".join(plan.errors)
            )
        created = apply_plan(plan)
        self.stdout.write(
            f"单位 {len(plan.units)} 个、村（社区）{len(plan.villages)} 个、"
            f"用户 {len(plan.users)} 个已就绪。"
        )
        if created:
            self.stdout.write(
                "新建用户的初始密码（只显示这一次，请分别告知本人并要求首次登录后修改）："
            )
            for username, password in created:
                self.stdout.write(f"  {username}  {password}")
