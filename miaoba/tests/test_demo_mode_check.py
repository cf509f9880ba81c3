"""Demo mode (published demo passwords) refuses to start with DEBUG off."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError, SystemCheckError

from miaoba.checks import demo_mode_only_with_debug

ROOT = Path(__file__).resolve().parents[2]


def _run(code: str, **env_overrides: str) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k not in {"DEBUG", "DEMO_MODE"}}
    env.update(SECRET_KEY="a-real-production-secret-key-0123456789abcdef", **env_overrides)
    env["DJANGO_SETTINGS_MODULE"] = "miaoba.settings"
    return subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_check_reports_demo_mode_without_debug(settings):
    settings.DEBUG = False
    settings.DEMO_MODE = True
    [error] = demo_mode_only_with_debug()
    assert error.id == "miaoba.E001"
    assert error.is_serious()


def test_check_accepts_demo_mode_with_debug_and_production_without_demo(settings):
    settings.DEBUG, settings.DEMO_MODE = True, True
    assert demo_mode_only_with_debug() == []
    settings.DEBUG, settings.DEMO_MODE = False, False
    assert demo_mode_only_with_debug() == []


def test_manage_check_fails_in_demo_mode_with_debug_off(settings):
    settings.DEBUG, settings.DEMO_MODE = False, True
    with pytest.raises(SystemCheckError, match="miaoba.E001"):
        call_command("check")


def test_wsgi_application_refuses_to_start_in_demo_mode_with_debug_off():
    result = _run("import miaoba.wsgi", DEBUG="0", DEMO_MODE="1", ALLOWED_HOSTS="example.org")
    assert result.returncode != 0
    assert "miaoba.E001" in result.stderr


def test_wsgi_application_starts_in_production_without_demo_mode():
    result = _run("import miaoba.wsgi", DEBUG="0", ALLOWED_HOSTS="example.org")
    assert result.returncode == 0, result.stderr


@pytest.mark.django_db
def test_load_demo_refuses_without_demo_mode(settings):
    settings.DEMO_MODE = False
    with pytest.raises(CommandError, match="DEMO_MODE=1"):
        call_command("load_demo")
