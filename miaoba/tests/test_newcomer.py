"""What a newcomer meets on a fresh machine: `make run`, the .venv, the development log."""

from __future__ import annotations

import logging
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from django.utils.log import configure_logging

ROOT = Path(__file__).resolve().parents[2]


def test_the_development_log_prints_each_line_once(capsys, settings):
    settings.DEBUG = True  # as under `make run` (pytest-django turns it off)
    configure_logging(settings.LOGGING_CONFIG, settings.LOGGING)
    try:
        logging.getLogger("django.request").warning("Not Found: /nothing")
        logging.getLogger("django.utils.autoreload").info("Watching for file changes")
        err = capsys.readouterr().err
    finally:
        configure_logging(settings.LOGGING_CONFIG, settings.LOGGING)
    assert err.count("Not Found: /nothing") == 1
    assert err.count("Watching for file changes") == 1


def test_the_runserver_request_line_keeps_its_time_stamp(capsys, settings):
    configure_logging(settings.LOGGING_CONFIG, settings.LOGGING)
    logging.getLogger("django.server").info('"GET /login/ HTTP/1.1" 200 1522')
    err = capsys.readouterr().err
    assert err.count('"GET /login/ HTTP/1.1" 200 1522') == 1
    assert err.startswith("[")


def _make(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        ["make", "--no-print-directory", "-C", str(ROOT), *args],
        capture_output=True,
        text=True,
        timeout=300,
    )


@pytest.mark.skipif(shutil.which("make") is None, reason="没有 make")
def test_make_run_takes_host_and_port():
    out = _make("-n", "run", "HOST=0.0.0.0", "PORT=8080").stdout
    assert "runserver 0.0.0.0:8080" in out
    assert "http://0.0.0.0:8080/" in out
    # the address it serves on is allowed by Django too
    assert 'ALLOWED_HOSTS="${ALLOWED_HOSTS:-127.0.0.1,localhost,0.0.0.0}"' in out


@pytest.mark.skipif(shutil.which("make") is None, reason="没有 make")
def test_a_half_made_venv_is_said_and_made_again(tmp_path):
    venv = tmp_path / ".venv"
    # What `python3 -m venv` leaves on a Debian without python3-venv: a Python but no pip.
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True)
    result = _make(f"{venv}/.created", f"VENV={venv}", f"PYTHON={sys.executable}")
    assert result.returncode == 0, result.stderr
    assert f"发现不完整的虚拟环境 {venv}" in result.stdout
    pip = subprocess.run([venv / "bin" / "python", "-m", "pip", "--version"], capture_output=True)
    assert pip.returncode == 0
    # once whole, nothing more is said or done
    again = _make(f"{venv}/.created", f"VENV={venv}", f"PYTHON={sys.executable}")
    assert "发现不完整" not in again.stdout
