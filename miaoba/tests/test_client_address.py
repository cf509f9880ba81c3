"""The address in the security log and in lockouts is the client's, behind the one trusted
proxy too, and a client cannot choose it by sending a header (GB/T 22239-2019 8.1.4.3 b)."""

import pytest
from axes.models import AccessAttempt
from django.urls import reverse

from miaoba.models import SecurityEvent
from miaoba.security import Kind

PROXY = "127.0.0.1"  # nginx on the same machine, as in the README
CLIENT = "203.0.113.7"  # the clerk's computer, as nginx saw it
FORGED = "198.51.100.66"  # what an attacker writes into X-Forwarded-For


@pytest.fixture
def behind_proxy(settings):
    settings.BEHIND_TLS_PROXY = True
    settings.TRUSTED_PROXY_IPS = [PROXY]


def _fail(client, times: int = 1, **meta) -> None:
    for _ in range(times):
        client.post(reverse("login"), {"username": "clerk", "password": "wrong"}, **meta)


@pytest.mark.django_db
def test_behind_the_proxy_failures_and_the_lockout_carry_the_clients_address(
    client, clerk, behind_proxy
):
    _fail(client, 5, REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=CLIENT)

    events = SecurityEvent.objects.filter(kind__in=[Kind.LOGIN_FAILED, Kind.LOCKOUT])
    assert sorted(events.values_list("kind", "ip_address")) == sorted(
        [("login_failed", CLIENT)] * 5 + [("lockout", CLIENT)]
    )
    assert list(AccessAttempt.objects.values_list("username", "ip_address")) == [("clerk", CLIENT)]


@pytest.mark.django_db
def test_behind_the_proxy_a_login_carries_the_clients_address(client, clerk, behind_proxy):
    client.post(
        reverse("login"),
        {"username": "clerk", "password": "Test#Passw0rd-2020"},
        REMOTE_ADDR=PROXY,
        HTTP_X_FORWARDED_FOR=CLIENT,
    )
    assert SecurityEvent.objects.get(kind=Kind.LOGIN).ip_address == CLIENT


@pytest.mark.django_db
def test_behind_the_proxy_a_direct_client_cannot_choose_its_address(client, clerk, behind_proxy):
    """A request that does not come from the proxy keeps its own address, header or not."""
    _fail(client, REMOTE_ADDR="192.0.2.10", HTTP_X_FORWARDED_FOR=FORGED)

    assert SecurityEvent.objects.get(kind=Kind.LOGIN_FAILED).ip_address == "192.0.2.10"
    assert AccessAttempt.objects.get().ip_address == "192.0.2.10"


@pytest.mark.django_db
def test_behind_the_proxy_a_chain_with_a_forged_hop_names_no_forged_address(
    client, clerk, behind_proxy
):
    """nginx overwrites the header; a chain means it was appended to, so none of it is taken."""
    _fail(client, REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=f"{FORGED}, {CLIENT}")

    assert SecurityEvent.objects.get(kind=Kind.LOGIN_FAILED).ip_address == PROXY


@pytest.mark.django_db
def test_without_a_proxy_the_header_is_ignored(client, clerk, settings):
    settings.BEHIND_TLS_PROXY = False
    _fail(client, REMOTE_ADDR="192.0.2.10", HTTP_X_FORWARDED_FOR=FORGED)

    assert SecurityEvent.objects.get(kind=Kind.LOGIN_FAILED).ip_address == "192.0.2.10"
    assert AccessAttempt.objects.get().ip_address == "192.0.2.10"


def test_the_proxy_setting_is_read_from_the_environment(monkeypatch):
    """BEHIND_TLS_PROXY=1 turns the rule on; TRUSTED_PROXY_IPS names the proxy."""
    import importlib

    import miaoba.settings as project_settings

    monkeypatch.setenv("BEHIND_TLS_PROXY", "1")
    monkeypatch.setenv("TRUSTED_PROXY_IPS", "10.1.2.3")
    try:
        reloaded = importlib.reload(project_settings)
        assert reloaded.BEHIND_TLS_PROXY is True
        assert reloaded.TRUSTED_PROXY_IPS == ["10.1.2.3"]
        assert reloaded.AXES_CLIENT_IP_CALLABLE == "miaoba.security.client_ip_address"
    finally:
        monkeypatch.undo()
        importlib.reload(project_settings)
