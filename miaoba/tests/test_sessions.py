"""Sessions end after 30 minutes without a request and 12 hours after login, whichever first."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse

from miaoba.models import SecurityEvent

START = datetime(2021, 3, 5, 8, 0, tzinfo=ZoneInfo("Asia/Shanghai"))


@pytest.fixture
def clock():
    with time_machine.travel(START, tick=False) as traveller:
        yield traveller


@pytest.fixture
def logged_in(client, clerk, clock):
    response = client.post(
        reverse("login"), {"username": "clerk", "password": "Test#Passw0rd-2020"}
    )
    assert response.status_code == 302
    return client


def _sent_to_login(response) -> bool:
    return response.status_code == 302 and response["Location"].startswith(reverse("login"))


@pytest.mark.django_db
def test_session_survives_29_minutes_idle(logged_in, clock):
    clock.shift(timedelta(minutes=29))
    assert logged_in.get(reverse("home")).status_code == 200


@pytest.mark.django_db
def test_session_ends_after_30_minutes_idle(logged_in, clock):
    clock.shift(timedelta(minutes=30, seconds=1))
    response = logged_in.get(reverse("home"))
    assert _sent_to_login(response)
    assert logged_in.get(reverse("home")).status_code == 302


@pytest.mark.django_db
def test_each_request_restarts_the_idle_clock(logged_in, clock):
    for _ in range(4):
        clock.shift(timedelta(minutes=25))
        assert logged_in.get(reverse("home")).status_code == 200


@pytest.mark.django_db
def test_busy_session_still_ends_12_hours_after_login(logged_in, clock):
    for _ in range(11 * 4 + 3):  # a request every 15 minutes until 11:45 after login
        clock.shift(timedelta(minutes=15))
        assert logged_in.get(reverse("home")).status_code == 200
    clock.shift(timedelta(minutes=15, seconds=1))  # 12:00:01 after login

    response = logged_in.get(reverse("home"))

    assert _sent_to_login(response)
    event = SecurityEvent.objects.get(kind="session_expired")
    assert (event.username, event.detail) == ("clerk", "登录已满 12 小时")
    page = logged_in.get(response["Location"]).content.decode()
    assert "登录已超过 12 小时，为了安全请重新登录。" in page


@pytest.mark.django_db
def test_session_settings_say_30_minutes_and_12_hours(settings):
    assert settings.SESSION_IDLE_AGE == 30 * 60
    # The store keeps a session past the idle limit so the middleware ends (and records) it.
    assert settings.SESSION_COOKIE_AGE == 12 * 60 * 60
    assert settings.SESSION_ABSOLUTE_AGE == 12 * 60 * 60
    assert settings.SESSION_COOKIE_HTTPONLY
