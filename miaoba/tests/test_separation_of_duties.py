"""三员分立 as GB/T 22239-2019 level 2 applies it (8.1.4.2 d; 8.1.4.3): nobody changes their own
roles, permissions or privilege flags; the administrator manages users, units and the calendar
but sees no full personal data; the 审计员 reads the security log and nothing else; every role
change names who changed whom (issue 14 point 2)."""

import pytest
from django.contrib.auth.models import Group, Permission
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.test import Client, RequestFactory
from django.urls import reverse

from miaoba.models import SecurityEvent, User
from miaoba.permissions_matrix import MATRIX
from miaoba.security import Kind, current_request
from miaoba.tests.test_permission_matrix import ALL_PATTERNS, _path, outcome
from miaoba.tests.test_user_admin import _form

pytestmark = pytest.mark.django_db

FULL_ID = "500229198001011237"


def _as(user):
    """Run the next lines as if in a request of `user` (the admin's save, a script in a view)."""
    request = RequestFactory().post("/admin/")
    request.user = user
    return current_request.set(request)


def test_the_administrator_cannot_give_themselves_the_clerk_role(client, administrator):
    """The attack of the issue: 管理员 adds 录入员 to their own user, then reads full IDs."""
    client.force_login(administrator)
    roles = [Group.objects.get(name=n).pk for n in ("管理员", "录入员")]

    response = client.post(
        reverse("admin:miaoba_user_change", args=[administrator.pk]),
        _form(administrator, groups=roles, is_superuser="on"),
    )

    assert response.status_code == 302
    administrator = User.objects.get(pk=administrator.pk)
    assert list(administrator.groups.values_list("name", flat=True)) == ["管理员"]
    assert not administrator.has_perm("disputes.view_personal_data")
    page = client.get(reverse("admin:miaoba_user_change", args=[administrator.pk])).content
    assert 'name="groups"' not in page.decode()  # shown read-only on one's own account


def test_a_superuser_cannot_change_their_own_roles_either(client):
    root = User.objects.create_superuser("root", password="Root#Passw0rd-2020")
    client.force_login(root)
    clerk_role = Group.objects.get(name="录入员")

    client.post(
        reverse("admin:miaoba_user_change", args=[root.pk]),
        _form(root, groups=[clerk_role.pk], is_staff="on"),
    )

    assert not User.objects.get(pk=root.pk).groups.exists()


@pytest.mark.parametrize(
    "change",
    [
        lambda u: u.groups.add(Group.objects.get(name="录入员")),
        lambda u: Group.objects.get(name="录入员").user_set.add(u),
        lambda u: u.groups.clear(),
        lambda u: u.user_permissions.add(Permission.objects.get(codename="view_personal_data")),
        lambda u: (setattr(u, "is_superuser", True), u.save()),
    ],
    ids=["add-role", "add-from-group-side", "clear-roles", "add-permission", "superuser-flag"],
)
def test_no_code_path_changes_the_acting_users_own_privileges(administrator, change):
    token = _as(administrator)
    try:
        with pytest.raises(PermissionDenied, match="不能更改自己的角色"), transaction.atomic():
            change(administrator)
    finally:
        current_request.reset(token)
    administrator = User.objects.get(pk=administrator.pk)
    assert list(administrator.groups.values_list("name", flat=True)) == ["管理员"]
    assert not administrator.is_superuser and not administrator.user_permissions.exists()


def test_role_flag_and_permission_changes_name_who_changed_whom(administrator, clerk):
    root = User.objects.create_superuser("root", password="Root#Passw0rd-2020")
    token = _as(root)
    try:
        clerk.is_staff = True
        clerk.save()
        clerk.user_permissions.add(Permission.objects.get(codename="view_all_cases"))
        administrator.groups.add(Group.objects.get(name="审计员"))
    finally:
        current_request.reset(token)

    events = SecurityEvent.objects.filter(kind=Kind.ROLE_CHANGE, user=root).order_by("pk")
    assert list(events.values_list("target", "detail")) == [
        ("用户 clerk", "设为可登录系统管理"),
        ("用户 clerk", "授予权限：查看全部单位的信访件和矛盾纠纷"),
        ("用户 administrator", "加入角色：审计员"),
    ]


def test_the_administrator_sees_personal_data_masked_only(
    client, administrator, clerk, justice_office
):
    from disputes.tests.test_pages import _petition

    petition = _petition(clerk, justice_office, id_number=FULL_ID)
    client.force_login(administrator)

    page = client.get(f"/disputes/petitions/{petition.pk}/?full=1").content.decode()
    export = client.get("/ledger/petitions/export/?format=csv").content.decode("utf-8-sig")

    assert FULL_ID not in page and "500***********1237" in page
    assert FULL_ID not in export and "500***********1237" in export
    assert not SecurityEvent.objects.filter(kind=Kind.PERSONAL_DATA_VIEW)


def test_the_administrator_no_longer_reads_the_security_log(client, administrator):
    client.force_login(administrator)
    assert client.get(reverse("admin:miaoba_securityevent_changelist")).status_code == 403


# What the 审计员 may open: the security log (read-only), their own password, the way in and out.
AUDITOR_MAY_OPEN = {
    "home",
    "login",
    "logout",
    "password_change",
    "password_change_done",
    "admin:index",
    "admin:app_list",
    "admin:login",
    "admin:logout",
    "admin:jsi18n",
    "admin:password_change",
    "admin:password_change_done",
    "admin:miaoba_securityevent_changelist",
    "admin:miaoba_securityevent_change",
    "admin:miaoba_securityevent_history",
    "admin/miaoba/securityevent/<path:object_id>/",
    # the admin's old-style object URLs redirect to the change page, which then refuses
    "admin/auth/group/<path:object_id>/",
    "admin/disputes/mediator/<path:object_id>/",
    "admin/miaoba/calendarday/<path:object_id>/",
    "admin/miaoba/unit/<path:object_id>/",
    "admin/miaoba/user/<path:object_id>/",
    "admin/miaoba/village/<path:object_id>/",
}


@pytest.mark.parametrize("key", [key for key, _ in ALL_PATTERNS])
def test_the_auditor_reads_the_security_log_and_nothing_else(key, auditor, cast, world):
    route, pattern = dict(ALL_PATTERNS)[key]
    client = Client(raise_request_exception=False)
    client.force_login(auditor)
    path = _path(world, key, route, pattern)
    seen = {}
    for method in ("GET", "POST"):
        with transaction.atomic():
            seen[method] = outcome(client.generic(method, path))
            transaction.set_rollback(True)
    if key in AUDITOR_MAY_OPEN:
        assert set(seen.values()) <= {"ok", "login", "na", "deny"}, (key, seen)
        assert key in MATRIX
    else:
        assert "ok" not in seen.values(), f"审计员不应能打开 {key}：{seen}"
    if key == "admin:miaoba_securityevent_changelist":
        assert seen["GET"] == "ok"
    if key == "admin:miaoba_securityevent_change":
        assert (seen["GET"], seen["POST"]) == ("ok", "deny")  # read-only


def test_the_auditors_workbench_and_menu_show_no_case(client, auditor, clerk, justice_office):
    from disputes.tests.test_pages import _petition

    petition = _petition(clerk, justice_office)
    client.force_login(auditor)
    page = client.get(reverse("home")).content.decode()
    assert petition.number not in page and "信访件" not in page
    log = client.get(reverse("admin:miaoba_securityevent_changelist")).content.decode()
    assert "安全日志" in log
