"""An administrator (管理员) manages users and their roles but cannot make anyone superuser."""

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from miaoba.models import SecurityEvent, User


def _form(user: User, **changes) -> dict:
    data = {
        "username": user.username,
        "first_name": user.first_name,
        "last_name": user.last_name,
        "email": "",
        "is_active": "on",
        "is_staff": "on" if user.is_staff else "",
        "date_joined_0": "2020-01-01",
        "date_joined_1": "08:00:00",
        "groups": [g.pk for g in user.groups.all()],
        "units": [u.pk for u in user.units.all()],
        "title": "",
    }
    data.update(changes)
    return {k: v for k, v in data.items() if v != ""}


@pytest.mark.django_db
def test_administrator_cannot_make_themselves_superuser(client, administrator):
    client.force_login(administrator)
    url = reverse("admin:miaoba_user_change", args=[administrator.pk])

    response = client.post(url, _form(administrator, is_superuser="on"))

    assert response.status_code == 302
    administrator.refresh_from_db()
    assert not administrator.is_superuser


@pytest.mark.django_db
def test_administrator_gives_a_role_and_it_is_recorded(client, administrator, clerk):
    client.force_login(administrator)
    url = reverse("admin:miaoba_user_change", args=[clerk.pk])
    leader_role = Group.objects.get(name="领导")

    response = client.post(url, _form(clerk, groups=[leader_role.pk]))

    assert response.status_code == 302
    assert list(clerk.groups.values_list("name", flat=True)) == ["领导"]
    changes = SecurityEvent.objects.filter(kind="role_change", user=administrator)
    assert set(changes.values_list("target", "detail")) == {
        ("用户 clerk", "移出角色：录入员"),
        ("用户 clerk", "加入角色：领导"),
    }


@pytest.mark.django_db
def test_administrator_cannot_see_or_change_a_superuser(client, administrator):
    root = User.objects.create_superuser("root", password="Root#Passw0rd-2020")
    client.force_login(administrator)

    listing = client.get(reverse("admin:miaoba_user_changelist")).content.decode()
    assert "root" not in listing
    change = client.get(reverse("admin:miaoba_user_change", args=[root.pk]))
    assert change.status_code in (302, 404)  # "no such user" back to the list
    password = client.post(
        reverse("admin:auth_user_password_change", args=[root.pk]),
        {"password1": "Evil#Passw0rd-2020", "password2": "Evil#Passw0rd-2020"},
    )
    assert password.status_code in (403, 404)
    root.refresh_from_db()
    assert root.check_password("Root#Passw0rd-2020")
