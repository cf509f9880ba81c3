"""The security event log (安全日志): masked, append-only, written by logins, roles and ledgers."""

import io
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.contrib.auth.models import Group
from django.core.management import CommandError, call_command
from django.test import RequestFactory
from django.urls import reverse

from disputes.tests.ledger_data import petitions_in_every_state
from miaoba.models import SecurityEvent
from miaoba.security import Kind, current_request, mask_personal_data, record_event

SHANGHAI = ZoneInfo("Asia/Shanghai")
PASSWORD = "Test#Passw0rd-2020"


@pytest.mark.parametrize(
    ("text", "masked"),
    [
        ("500101199001011234", "500***********1234"),
        ("身份证号50010119900101123X，请核实", "身份证号500***********123X，请核实"),
        ("电话13800138000", "电话138****8000"),
        ("联系 138-0013-8000 或 138 0013 8000", "联系 138****8000 或 138****8000"),
        ("+8613800138000", "+861******8000"),
        ("旧身份证 500101900101123", "旧身份证 500********1123"),
        ("信〔2020〕12号 受理", "信〔2020〕12号 受理"),
        ("座机 023-59221234", "座机 023-59221234"),
        ("", ""),
    ],
)
def test_mask_personal_data_hides_id_numbers_and_mobiles(text, masked):
    assert mask_personal_data(text) == masked


@pytest.mark.django_db
def test_record_event_masks_detail_target_and_username(clerk):
    event = record_event(
        Kind.PERSONAL_DATA_VIEW,
        user=clerk,
        target="信访人 500101199001011234",
        detail="手机 13800138000",
    )
    event.refresh_from_db()
    assert event.get_kind_display() == "查看完整个人信息"
    assert event.user == clerk
    assert event.username == "clerk"
    assert event.target == "信访人 500***********1234"
    assert event.detail == "手机 138****8000"


@pytest.mark.django_db
def test_record_event_refuses_an_unknown_kind():
    with pytest.raises(ValueError):
        record_event("delete_everything")


@pytest.mark.django_db
def test_stored_event_cannot_be_changed_or_deleted(clerk):
    event = record_event(Kind.EXPORT, user=clerk, target="信访件台账")
    event.detail = "改过"
    with pytest.raises(PermissionError):
        event.save()
    with pytest.raises(PermissionError):
        event.delete()
    with pytest.raises(PermissionError):
        SecurityEvent.objects.filter(pk=event.pk).update(detail="改过")
    with pytest.raises(PermissionError):
        SecurityEvent.objects.all().delete()
    event.refresh_from_db()
    assert event.detail == ""


@pytest.mark.django_db
def test_no_role_has_a_permission_to_add_change_or_delete_events(auditor):
    codenames = set(
        Group.objects.filter(permissions__content_type__model="securityevent").values_list(
            "permissions__codename", flat=True
        )
    )
    assert codenames == {"view_securityevent"}
    assert auditor.has_perm("miaoba.view_securityevent")
    assert not auditor.has_perm("miaoba.change_securityevent")


@pytest.mark.django_db
def test_admin_list_is_read_only(client, auditor, clerk):
    event = record_event(Kind.EXPORT, user=clerk, target="信访件台账")
    client.force_login(auditor)

    listing = client.get(reverse("admin:miaoba_securityevent_changelist") + "?kind__exact=export")
    assert listing.status_code == 200
    assert "信访件台账" in listing.content.decode()

    change_url = reverse("admin:miaoba_securityevent_change", args=[event.pk])
    assert client.get(change_url).status_code == 200  # shown read-only
    assert client.post(change_url, {"detail": "改过"}).status_code == 403
    delete_url = reverse("admin:miaoba_securityevent_delete", args=[event.pk])
    assert client.post(delete_url, {"post": "yes"}).status_code == 403
    assert client.get(reverse("admin:miaoba_securityevent_add")).status_code == 403
    event.refresh_from_db()
    assert event.detail == ""


@pytest.mark.django_db
def test_clerk_cannot_open_the_security_log(client, clerk):
    client.force_login(clerk)
    response = client.get(reverse("admin:miaoba_securityevent_changelist"))
    assert response.status_code == 302  # not staff: sent to the admin login
    assert response["Location"].startswith(reverse("admin:login"))


@pytest.mark.django_db
def test_login_failure_and_logout_are_recorded_with_ip(client, clerk):
    client.post(reverse("login"), {"username": "clerk", "password": "wrong"})
    client.post(reverse("login"), {"username": "13800138000", "password": "wrong"})
    client.post(reverse("login"), {"username": "clerk", "password": PASSWORD})
    client.post(reverse("logout"))

    logins = SecurityEvent.objects.exclude(kind=Kind.ROLE_CHANGE)
    events = list(logins.order_by("pk").values_list("kind", "username", "user"))
    assert events == [
        ("login_failed", "clerk", None),
        ("login_failed", "138****8000", None),
        ("login", "clerk", clerk.pk),
        ("logout", "clerk", clerk.pk),
    ]
    assert set(logins.values_list("ip_address", flat=True)) == {"127.0.0.1"}


@pytest.mark.django_db
def test_role_change_is_recorded_with_who_made_it(administrator, clerk):
    request = RequestFactory().post("/admin/miaoba/user/1/change/")
    request.user = administrator
    token = current_request.set(request)
    try:
        clerk.groups.add(Group.objects.get(name="领导"))
        clerk.groups.remove(Group.objects.get(name="录入员"))
    finally:
        current_request.reset(token)

    # (The fixture's own role assignment, made by no one, is recorded too.)
    events = SecurityEvent.objects.filter(kind=Kind.ROLE_CHANGE, user=administrator)
    assert list(events.order_by("pk").values_list("detail", "user")) == [
        ("加入角色：领导", administrator.pk),
        ("移出角色：录入员", administrator.pk),
    ]


@pytest.mark.django_db
def test_clearing_roles_from_the_group_side_is_recorded(clerk, outsider):
    Group.objects.get(name="录入员").user_set.clear()

    details = set(
        SecurityEvent.objects.filter(kind=Kind.ROLE_CHANGE).values_list("target", "detail")
    )
    assert ("用户 clerk", "移出角色：录入员") in details
    assert ("用户 outsider", "移出角色：录入员") in details


@pytest.mark.django_db
def test_ledger_export_page_is_recorded_as_holding_personal_data(
    client, clerk, leader, justice_office
):
    """The export says how many rows it held and that they held personal data, and whether ID
    numbers and phones were in full (a clerk) or masked (a leader): issue 14 point 5."""
    petitions_in_every_state(3, clerk=clerk, leader=leader, unit=justice_office)
    client.force_login(clerk)

    response = client.get(reverse("ledger_export", args=["petitions"]) + "?format=csv")

    assert response.status_code == 200
    event = SecurityEvent.objects.get(kind=Kind.PERSONAL_DATA_EXPORT)
    assert (event.user, event.target, event.get_kind_display()) == (
        clerk,
        "信访件台账",
        "导出个人信息",
    )
    assert event.detail.endswith(
        ".csv，3 行，含个人信息：信访人姓名、性别、身份证号、联系电话、住址（身份证号和联系电话完整）"
    )
    assert not SecurityEvent.objects.filter(kind__in=[Kind.EXPORT, Kind.PERSONAL_DATA_VIEW])

    client.force_login(leader)
    client.get(reverse("ledger_export", args=["disputes"]) + "?format=csv")
    client.get(reverse("ledger_export", args=["petitions"]) + "?format=csv&template=1")
    exports = SecurityEvent.objects.filter(
        user=leader, kind__in=[Kind.EXPORT, Kind.PERSONAL_DATA_EXPORT]
    )
    masked, template = exports.order_by("pk")
    assert masked.kind == Kind.EXPORT  # the leader's list holds no dispute: no personal data
    assert masked.detail.endswith(".csv，0 行")
    assert (template.kind, template.detail) == ("export", "信访件台账导入模板.csv，0 行")
    client.get(reverse("ledger_export", args=["petitions"]) + "?format=xlsx")
    last = exports.latest("pk")
    assert last.kind == "personal_data_export"
    assert last.detail.endswith(
        ".xlsx，3 行，含个人信息：信访人姓名、性别、身份证号、联系电话、住址（身份证号和联系电话已脱敏）"
    )


@pytest.mark.django_db
def test_ledger_commands_record_export_and_import(tmp_path, clerk, leader, justice_office):
    petitions_in_every_state(2, clerk=clerk, leader=leader, unit=justice_office)
    path = tmp_path / "信访件台账.xlsx"

    call_command("export_ledger", "petitions", str(path), stdout=io.StringIO())
    call_command("import_ledger", "petitions", str(path), "--user", "clerk", stdout=io.StringIO())

    export, imported = SecurityEvent.objects.filter(
        kind__in=["personal_data_export", "import"]
    ).order_by("pk")
    assert (export.kind, export.target, export.detail) == (
        "personal_data_export",
        "信访件台账",
        "命令行导出到 信访件台账.xlsx，2 行，"
        "含个人信息：信访人姓名、性别、身份证号、联系电话、住址（身份证号和联系电话完整）",
    )
    assert (imported.kind, imported.user, imported.detail) == (
        "import",
        clerk,
        "命令行导入 信访件台账.xlsx，新增 0，更新 2，其中 2 件无变化",
    )


@pytest.mark.django_db
def test_prune_refuses_to_keep_less_than_six_months():
    with pytest.raises(CommandError, match="至少保留六个月"):
        call_command("prune_security_log", "--older-than-days", "182")


@pytest.mark.django_db
def test_prune_deletes_only_events_older_than_asked(clerk):
    with time_machine.travel(datetime(2020, 1, 2, 9, 0, tzinfo=SHANGHAI), tick=False) as clock:
        record_event(Kind.LOGIN, user=clerk)  # 2020-01-02: 200 days before the prune
        clock.shift(timedelta(days=100))
        record_event(Kind.LOGIN, user=clerk)  # 2020-04-11: 100 days before
        clock.shift(timedelta(days=100))
        out = io.StringIO()
        call_command("prune_security_log", "--older-than-days", "183", stdout=out)

    assert out.getvalue() == "已删除 1 条 183 天以前的安全日志。\n"
    kept = (
        SecurityEvent.objects.exclude(kind=Kind.ROLE_CHANGE)
        .order_by("at")
        .values_list("kind", "at")
    )
    assert [(k, at.astimezone(SHANGHAI).date().isoformat()) for k, at in kept] == [
        ("login", "2020-04-11"),
        ("log_prune", "2020-07-20"),
    ]


@pytest.mark.django_db
def test_a_forged_forwarded_for_header_is_not_taken_for_the_address(client, clerk):
    client.post(
        reverse("login"),
        {"username": "clerk", "password": "wrong"},
        REMOTE_ADDR="192.0.2.10",
        HTTP_X_FORWARDED_FOR="203.0.113.99",
    )
    event = SecurityEvent.objects.get(kind=Kind.LOGIN_FAILED)
    assert event.ip_address == "192.0.2.10"


def test_axes_logs_no_typed_usernames():
    import logging

    assert logging.getLogger("axes").getEffectiveLevel() == logging.ERROR
