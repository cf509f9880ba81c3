"""The five roles (角色) as groups, and the one table of their permissions.

`ROLE_PERMISSIONS` is the single source: the township's own permissions here, merged with
each area's table (`<app>/roles.py`, a dict ROLE_PERMISSIONS of the same shape, on the area's
own models). A data migration of each app calls `sync_roles` so the groups hold exactly these
permissions. See `DOMAIN.md` §1 for what each role does.
"""

from __future__ import annotations

from collections.abc import Iterator
from importlib import import_module
from types import ModuleType

CLERK = "录入员"  # registers cases and records each step, for the units they belong to
ADVISOR = "法律顾问"  # an outside lawyer: records legality reviews sent to them
LEADER = "领导"  # reads everything, approves extensions, verifies tasks, finalises the report
ADMINISTRATOR = "管理员"  # users, roles and reference lists; no case editing by default
AUDITOR = "审计员"  # reads the security log and nothing else

ROLES = (CLERK, ADVISOR, LEADER, ADMINISTRATOR, AUDITOR)

_READ_REFERENCE = {
    "miaoba.view_unit",
    "miaoba.view_village",
    "miaoba.view_calendarday",
}

_TOWNSHIP_PERMISSIONS: dict[str, set[str]] = {
    CLERK: set(_READ_REFERENCE),
    ADVISOR: set(_READ_REFERENCE),
    LEADER: set(_READ_REFERENCE),
    ADMINISTRATOR: _READ_REFERENCE
    | {
        "miaoba.add_unit",
        "miaoba.change_unit",
        "miaoba.add_village",
        "miaoba.change_village",
        "miaoba.add_calendarday",
        "miaoba.change_calendarday",
        "miaoba.delete_calendarday",
        "miaoba.add_user",
        "miaoba.change_user",
        "miaoba.view_user",
        "auth.view_group",
        # Login lockouts; the security log is the auditor's, who audits the administrators.
        "axes.view_accessattempt",
        "axes.delete_accessattempt",
    },
    # 三员分立 as GB/T 22239-2019 level 2 applies it (8.1.4.2 d, 8.1.4.3): the administrator
    # manages accounts and reference data but reads no audit record and no full personal data
    # (no disputes.view_personal_data, and nobody changes their own roles); the auditor reads
    # the security log, read-only, and nothing else.
    AUDITOR: {"miaoba.view_securityevent"},
}


AREA_APPS = ("disputes", "normative_docs", "tasks", "reports", "reconsideration")


def area_modules(name: str) -> Iterator[ModuleType]:
    """Yield each area's module `<app>.<name>` (e.g. "notices"), in `AREA_APPS` order.

    An area without such a module is skipped; an import error raised inside a module that
    exists (a missing library, a typo in an import) is raised, not taken for a missing module.
    """
    for app in AREA_APPS:
        try:
            module = import_module(f"{app}.{name}")
        except ModuleNotFoundError as exc:
            if exc.name not in {app, f"{app}.{name}"}:
                raise
            continue
        yield module


def _role_permissions() -> dict[str, set[str]]:
    table = {role: set(perms) for role, perms in _TOWNSHIP_PERMISSIONS.items()}
    for module in area_modules("roles"):
        for role, perms in module.ROLE_PERMISSIONS.items():
            table[role] |= perms
    return table


ROLE_PERMISSIONS: dict[str, set[str]] = _role_permissions()


def sync_roles(apps) -> None:
    """Create the five groups and set each one's permissions to exactly `ROLE_PERMISSIONS`.

    `apps` is the app registry (a migration's historical one or `django.apps.apps`). Permissions
    of apps not migrated yet are skipped; their own data migration calls this again.
    """
    from django.contrib.auth.management import create_permissions

    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    known = {
        f"{app}.{codename}": pk
        for pk, app, codename in Permission.objects.values_list(
            "pk", "content_type__app_label", "codename"
        )
    }
    for role in ROLES:
        group, _ = Group.objects.get_or_create(name=role)
        group.permissions.set([known[p] for p in ROLE_PERMISSIONS[role] if p in known])
