"""Password changes are recorded, by the user and by an administrator; a password an
administrator set must be changed at the next login; idle timeouts are recorded (issue 14
point 5; GB/T 22239-2019 8.1.4.1 a, 8.1.4.3)."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse

from miaoba.models import SecurityEvent, User
from miaoba.security import Kind

pytestmark = pytest.mark.django_db

OLD = "Test#Passw0rd-2020"
NEW = "Miaoba#Clerk2021"
SET_BY_ADMIN = "Chengkou#Mb-0107"


def _events(kind):
    return list(
        SecurityEvent.objects.filter(kind=kind)
        .order_by("pk")
        .values_list("user__username", "target", "detail")
    )


def test_a_user_changing_their_password_is_recorded(client, clerk):
    client.force_login(clerk)

    response = client.post(
        reverse("password_change"),
        {"old_password": OLD, "new_password1": NEW, "new_password2": NEW},
    )

    assert response.status_code == 302
    assert _events(Kind.PASSWORD_CHANGE) == [("clerk", "用户 clerk", "本人修改密码")]
    clerk.refresh_from_db()
    assert clerk.check_password(NEW) and not clerk.must_change_password


def test_an_administrator_setting_a_password_is_recorded_and_must_be_changed(
    client, administrator, clerk
):
    client.force_login(administrator)
    response = client.post(
        reverse("admin:auth_user_password_change", args=[clerk.pk]),
        {"password1": SET_BY_ADMIN, "password2": SET_BY_ADMIN},
    )
    assert response.status_code == 302
    assert _events(Kind.PASSWORD_RESET) == [
        ("administrator", "用户 clerk", "管理员设置密码，用户下次登录须修改")
    ]

    # The clerk logs in with it: every page sends them to 修改密码 first.
    client.post(reverse("logout"))
    client.post(reverse("login"), {"username": "clerk", "password": SET_BY_ADMIN})
    home = client.get(reverse("home"))
    assert home.status_code == 302 and home["Location"] == reverse("password_change")
    assert client.get("/disputes/petitions/")["Location"] == reverse("password_change")
    page = client.get(reverse("password_change")).content.decode()
    assert "您的密码由管理员设置，请先修改密码，然后再继续使用。" in page

    client.post(
        reverse("password_change"),
        {"old_password": SET_BY_ADMIN, "new_password1": NEW, "new_password2": NEW},
    )

    assert client.get(reverse("home")).status_code == 200
    assert not User.objects.get(pk=clerk.pk).must_change_password
    assert _events(Kind.PASSWORD_CHANGE) == [("clerk", "用户 clerk", "本人修改密码")]


def test_a_new_account_made_by_an_administrator_starts_with_a_password_to_change(
    client, administrator
):
    client.force_login(administrator)
    response = client.post(
        reverse("admin:miaoba_user_add"),
        {
            "username": "xinfang1",
            "password1": SET_BY_ADMIN,
            "password2": SET_BY_ADMIN,
            "usable_password": "true",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    new = User.objects.get(username="xinfang1")
    assert new.must_change_password
    assert _events(Kind.PASSWORD_RESET) == [
        ("administrator", "用户 xinfang1", "管理员设置密码，用户下次登录须修改")
    ]


def test_a_hash_upgraded_at_login_is_no_password_change(client, clerk, settings):
    """Logging in with an older hash re-hashes the same password: nothing to record."""
    from django.contrib.auth.hashers import make_password

    settings.PASSWORD_HASHERS = [
        "django.contrib.auth.hashers.MD5PasswordHasher",
        "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    ]
    old_hash = make_password(OLD, hasher="pbkdf2_sha256")
    User.objects.filter(pk=clerk.pk).update(password=old_hash)

    client.post(reverse("login"), {"username": "clerk", "password": OLD})

    assert User.objects.get(pk=clerk.pk).password.startswith("md5$")  # upgraded
    assert _events(Kind.PASSWORD_CHANGE) == _events(Kind.PASSWORD_RESET) == []
    assert not User.objects.get(pk=clerk.pk).must_change_password


def test_an_idle_timeout_is_recorded(client, clerk):
    start = datetime(2021, 3, 5, 8, 0, tzinfo=ZoneInfo("Asia/Shanghai"))
    with time_machine.travel(start, tick=False) as clock:
        client.post(reverse("login"), {"username": "clerk", "password": OLD})
        clock.shift(timedelta(minutes=30, seconds=1))

        response = client.get(reverse("home"))

    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))
    assert _events(Kind.SESSION_EXPIRED) == [("clerk", "", "30 分钟未操作")]
    page = client.get(response["Location"]).content.decode()
    assert "已超过 30 分钟没有操作，为了安全请重新登录。" in page
