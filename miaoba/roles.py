"""The four roles (角色) as groups, and the one table of their permissions.

`ROLE_PERMISSIONS` is the single source: a data migration of each app calls `sync_roles` so the
groups hold exactly these permissions. See `DOMAIN.md` §1 for what each role does.
"""

from __future__ import annotations

CLERK = "录入员"  # registers cases and records each step, for the units they belong to
ADVISOR = "法律顾问"  # an outside lawyer: records legality reviews sent to them
LEADER = "领导"  # reads everything, approves extensions, verifies tasks, finalises the report
ADMINISTRATOR = "管理员"  # users, roles and reference lists; no case editing by default

ROLES = (CLERK, ADVISOR, LEADER, ADMINISTRATOR)

_READ_REFERENCE = {
    "miaoba.view_unit",
    "miaoba.view_village",
    "miaoba.view_calendarday",
}

_CASE_WORK = {
    "disputes.add_petition",
    "disputes.change_petition",
    "disputes.view_petition",
    "disputes.add_dispute",
    "disputes.change_dispute",
    "disputes.view_dispute",
    "disputes.view_person",
    "disputes.view_personal_data",
    "disputes.add_attachment",
    "disputes.view_attachment",
    "disputes.view_category",
}
_CASE_READ_ALL = {
    "disputes.view_petition",
    "disputes.view_dispute",
    "disputes.view_person",
    "disputes.view_attachment",
    "disputes.view_category",
    "disputes.view_all_cases",
}

ROLE_PERMISSIONS: dict[str, set[str]] = {
    CLERK: _READ_REFERENCE | _CASE_WORK,
    ADVISOR: set(_READ_REFERENCE),
    LEADER: _READ_REFERENCE | _CASE_READ_ALL,
    ADMINISTRATOR: _READ_REFERENCE
    | _CASE_READ_ALL
    | {
        "disputes.add_category",
        "disputes.change_category",
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
    },
}


def sync_roles(apps) -> None:
    """Create the four groups and set each one's permissions to exactly `ROLE_PERMISSIONS`.

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
