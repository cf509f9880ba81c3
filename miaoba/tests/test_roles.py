"""Each role (group) holds exactly the permissions of its job."""

import pytest
from django.contrib.auth.models import Group

READ_REFERENCE = {"miaoba.view_unit", "miaoba.view_village", "miaoba.view_calendarday"}


def _perms(role: str) -> set[str]:
    group = Group.objects.get(name=role)
    return {
        f"{app}.{code}"
        for app, code in group.permissions.values_list("content_type__app_label", "codename")
    }


@pytest.mark.django_db
def test_the_five_roles_exist():
    assert set(Group.objects.values_list("name", flat=True)) >= {
        "录入员",
        "法律顾问",
        "领导",
        "管理员",
        "审计员",
    }


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["录入员", "法律顾问", "领导"])
def test_case_roles_only_read_reference_data(role):
    assert {p for p in _perms(role) if p.startswith(("miaoba.", "auth."))} == READ_REFERENCE


@pytest.mark.django_db
def test_administrator_manages_users_units_villages_and_calendar_but_deletes_no_unit():
    perms = _perms("管理员")
    assert {p for p in perms if p.startswith(("miaoba.", "auth."))} == READ_REFERENCE | {
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
    }


@pytest.mark.django_db
def test_only_administrator_lifts_lockouts_and_only_the_auditor_reads_the_security_log():
    assert {p for p in _perms("管理员") if p.startswith("axes.")} == {
        "axes.view_accessattempt",
        "axes.delete_accessattempt",
    }
    assert _perms("审计员") == {"miaoba.view_securityevent"}
    for role in ["录入员", "法律顾问", "领导", "管理员"]:
        assert "miaoba.view_securityevent" not in _perms(role)
    for role in ["录入员", "法律顾问", "领导"]:
        assert not {p for p in _perms(role) if p.startswith("axes.")}


@pytest.mark.django_db
def test_clerk_user_gets_role_permissions_through_group(clerk):
    assert clerk.has_perm("miaoba.view_village")
    assert not clerk.has_perm("miaoba.change_calendarday")
