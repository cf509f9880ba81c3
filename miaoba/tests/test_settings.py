"""The settings refuse to start in production without a secret key."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import connection

ROOT = Path(__file__).resolve().parents[2]


def _start(**env_overrides: str) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k not in {"SECRET_KEY", "DEBUG"}}
    env.update(env_overrides)
    env["DJANGO_SETTINGS_MODULE"] = "miaoba.settings"
    return subprocess.run(
        [sys.executable, "-c", "import django; django.setup(); print('started')"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_start_without_secret_key_and_debug_off_fails_with_clear_message():
    result = _start(DEBUG="0")
    assert result.returncode != 0
    assert "未设置 SECRET_KEY" in result.stderr


def test_start_without_secret_key_in_debug_uses_development_key():
    result = _start(DEBUG="1")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "started"


def test_start_with_secret_key_and_debug_off_succeeds():
    result = _start(DEBUG="0", SECRET_KEY="a-real-production-secret-key-0123456789abcdef")
    assert result.returncode == 0, result.stderr


def test_sqlite_default_runs_in_wal_mode_with_busy_timeout(db):
    from django.conf import settings
    from django.db import connection

    if connection.vendor != "sqlite":
        return
    options = settings.DATABASES["default"]["OPTIONS"]
    assert options["transaction_mode"] == "IMMEDIATE"
    assert options["timeout"] >= 5
    assert "journal_mode=WAL" in options["init_command"]


def _database_options(url: str) -> str:
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env.update(DATABASE_URL=url, DEBUG="1", DJANGO_SETTINGS_MODULE="miaoba.settings")
    code = "from django.conf import settings; print(settings.DATABASES['default'].get('OPTIONS'))"
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


def test_postgresql_connections_run_without_jit_and_keep_the_urls_options():
    assert _database_options("postgres://u@db:5432/miaoba") == "{'options': '-c jit=off'}"
    with_options = "postgres://u@db:5432/miaoba?options=-c%20statement_timeout%3D5000"
    assert _database_options(with_options) == (
        "{'options': '-c statement_timeout=5000 -c jit=off'}"
    )
    jit_on = "postgres://u@db:5432/miaoba?options=-c%20jit%3Don"
    assert _database_options(jit_on) == "{'options': '-c jit=on'}"
    assert "jit" not in _database_options("sqlite:////tmp/x.sqlite3")


@pytest.mark.django_db
def test_the_running_postgresql_connection_has_jit_off():
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL only (CI runs the suite on it too)")
    with connection.cursor() as cursor:
        cursor.execute("SHOW jit")
        assert cursor.fetchone()[0] == "off"
