"""Five failed logins lock a username for 30 minutes; an administrator can lift the lock."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse

from miaoba.models import SecurityEvent

PASSWORD = "Test#Passw0rd-2020"
LOCKED = "登录失败次数过多，该用户名已被暂时锁定 30 分钟。请稍后再试，或联系系统管理员解除锁定。"
WRONG = "用户名或密码不正确，请重新输入。注意密码区分大小写。"
START = datetime(2021, 3, 5, 9, 0, tzinfo=ZoneInfo("Asia/Shanghai"))


@pytest.fixture
def clock():
    with time_machine.travel(START, tick=False) as traveller:
        yield traveller


def _login(client, username, password):
    return client.post(reverse("login"), {"username": username, "password": password})


def _fail(client, username, times):
    return [_login(client, username, "wrong-password") for _ in range(times)]


@pytest.mark.django_db
def test_four_failures_still_let_the_right_password_in(client, clerk, clock):
    responses = _fail(client, "clerk", 4)
    assert {r.status_code for r in responses} == {200}
    assert all(WRONG in r.content.decode() for r in responses)

    assert _login(client, "clerk", PASSWORD).status_code == 302


@pytest.mark.django_db
def test_fifth_failure_locks_even_the_right_password_out(client, clerk, clock):
    *_, fifth = _fail(client, "clerk", 5)
    assert fifth.status_code == 429
    assert LOCKED in fifth.content.decode()

    clock.shift(timedelta(minutes=29))
    response = _login(client, "clerk", PASSWORD)
    assert response.status_code == 429
    assert LOCKED in response.content.decode()
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_lock_ends_after_30_minutes(client, clerk, clock):
    _fail(client, "clerk", 5)
    clock.shift(timedelta(minutes=30, seconds=1))

    response = _login(client, "clerk", PASSWORD)

    assert response.status_code == 302
    assert response["Location"] == reverse("home")


@pytest.mark.django_db
def test_attempts_during_the_lock_do_not_extend_it(client, clerk, clock):
    _fail(client, "clerk", 5)
    clock.shift(timedelta(minutes=20))
    _fail(client, "clerk", 3)
    clock.shift(timedelta(minutes=10, seconds=1))

    assert _login(client, "clerk", PASSWORD).status_code == 302


@pytest.mark.django_db
def test_unknown_username_gets_the_same_messages_as_a_real_one(client, clerk, clock):
    real = [r.content.decode() for r in _fail(client, "clerk", 5)]
    unknown = [r.content.decode() for r in _fail(client, "no-such-user", 5)]
    for texts in (real, unknown):
        assert [WRONG in t for t in texts] == [True, True, True, True, False]
        assert LOCKED in texts[4]


@pytest.mark.django_db
def test_lock_is_per_username_not_per_address(client, clerk, outsider, clock):
    _fail(client, "clerk", 5)
    assert _login(client, "outsider", PASSWORD).status_code == 302


@pytest.mark.django_db
def test_failures_from_several_addresses_add_up(client, clerk, clock):
    for i in range(5):
        client.post(
            reverse("login"),
            {"username": "clerk", "password": "wrong"},
            REMOTE_ADDR=f"10.0.0.{i + 1}",
        )
    assert _login(client, "clerk", PASSWORD).status_code == 429


@pytest.mark.django_db
def test_lockout_is_recorded_once(client, clerk, clock):
    _fail(client, "clerk", 7)
    events = SecurityEvent.objects.filter(username="clerk").order_by("pk")
    # The lock is recorded as the fifth failure locks it, just before that failure.
    kinds = ["login_failed"] * 4 + ["lockout"] + ["login_failed"] * 3
    assert list(events.values_list("kind", flat=True)) == kinds
    assert events.get(kind="lockout").detail == "连续 5 次登录失败，锁定 30 分钟"
    assert events.last().detail == "账户锁定期间的登录尝试"


@pytest.mark.django_db
def test_administrator_lists_and_lifts_a_lock(client, clerk, administrator, clock):
    _fail(client, "clerk", 5)
    admin_client = client.__class__()
    admin_client.force_login(administrator)

    listing = admin_client.get(reverse("lockout_list"))
    assert listing.status_code == 200
    page = listing.content.decode()
    assert "<td>clerk</td>" in page
    assert "2021-03-05 09:30" in page  # unlocks by itself at

    response = admin_client.post(reverse("lockout_unlock"), {"username": "clerk"})
    assert response.status_code == 302
    assert _login(client, "clerk", PASSWORD).status_code == 302
    unlock = SecurityEvent.objects.get(kind="unlock")
    assert (unlock.user, unlock.target) == (administrator, "用户名 clerk")


@pytest.mark.django_db
def test_unlocking_a_username_that_is_not_locked_is_404(client, administrator):
    client.force_login(administrator)
    assert client.post(reverse("lockout_unlock"), {"username": "clerk"}).status_code == 404


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["clerk", "advisor", "leader"])
def test_only_administrators_may_unlock(client, request, role):
    client.force_login(request.getfixturevalue(role))
    assert client.get(reverse("lockout_list")).status_code == 403
    assert client.post(reverse("lockout_unlock"), {"username": "x"}).status_code == 403
