"""Every page sends the security headers and a Content Security Policy without inline script;
no template holds inline script, event-handler attributes or inline styles the policy would
block."""

import re
from pathlib import Path

import pytest
from django.urls import reverse

TEMPLATES = Path(__file__).resolve().parents[2] / "templates"

INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.IGNORECASE)
EVENT_ATTRIBUTE = re.compile(r"<[^>]*\son[a-z]+\s*=", re.IGNORECASE)
STYLE_ATTRIBUTE = re.compile(r"<[^>]*\sstyle\s*=", re.IGNORECASE)
JS_URL = re.compile(r"javascript:", re.IGNORECASE)


def _policy(response) -> dict[str, list[str]]:
    policy = {}
    for part in response["Content-Security-Policy"].split(";"):
        name, *values = part.split()
        policy[name] = values
    return policy


@pytest.mark.django_db
def test_login_page_sends_a_strict_policy(client):
    response = client.get(reverse("login"))
    policy = _policy(response)
    assert policy["default-src"] == ["'self'"]
    assert policy["script-src"] == ["'self'"]
    assert policy["style-src"] == ["'self'"]
    assert policy["frame-ancestors"] == ["'none'"]
    assert policy["object-src"] == ["'none'"]
    assert "'unsafe-inline'" not in response["Content-Security-Policy"]
    assert "'unsafe-eval'" not in response["Content-Security-Policy"]


@pytest.mark.django_db
def test_pages_send_the_security_headers(client, leader):
    client.force_login(leader)
    response = client.get(reverse("reports:dashboard"))
    assert response.status_code == 200
    assert "Content-Security-Policy" in response
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"


@pytest.mark.django_db
def test_dashboard_charts_are_inline_svg_without_style_attributes(client, leader):
    client.force_login(leader)
    page = client.get(reverse("reports:dashboard")).content.decode()
    assert "<svg" in page
    assert not STYLE_ATTRIBUTE.search(page)
    assert not INLINE_SCRIPT.search(page)


def _templates():
    return sorted(TEMPLATES.rglob("*.html"))


@pytest.mark.parametrize("path", _templates(), ids=lambda p: str(p.relative_to(TEMPLATES)))
def test_template_has_nothing_inline_the_policy_would_block(path):
    text = path.read_text()
    assert not INLINE_SCRIPT.search(text), "内联 <script>：请改为 static/js 下的文件"
    assert not EVENT_ATTRIBUTE.search(text), "on* 事件属性：请在 static/js 中绑定"
    assert not STYLE_ATTRIBUTE.search(text), "style 属性：请改为样式表中的类"
    assert not JS_URL.search(text)


def test_production_settings_send_hsts_and_secure_cookies():
    import os
    import subprocess
    import sys

    env = {k: v for k, v in os.environ.items() if k not in {"DEBUG", "DEMO_MODE"}}
    env.update(
        DEBUG="0",
        SECRET_KEY="a-real-production-secret-key-0123456789abcdef",
        ALLOWED_HOSTS="fzzf.example.gov.cn",
        DJANGO_SETTINGS_MODULE="miaoba.settings",
    )
    code = (
        "from django.conf import settings as s;"
        "print(s.SECURE_HSTS_SECONDS, s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE,"
        " s.SECURE_SSL_REDIRECT)"
    )
    result = subprocess.run(
        [sys.executable, "-c", "import django; django.setup();" + code],
        cwd=TEMPLATES.parent,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.stdout.split() == ["31536000", "True", "True", "True"], result.stderr
