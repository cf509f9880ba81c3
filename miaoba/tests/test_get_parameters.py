"""No GET parameter value leads to a 500 (issue 14 point 7): out-of-range years on the
dashboard answered 500.

Every URL of the permission matrix is opened by a role that may open it. Its GET parameters
are those its page offers (GET forms and links back to itself) and those its view module, or
a project module it imports, reads from `request.GET`. Each parameter is then sent alone with
an empty, an out-of-range (negative), a non-numeric, a huge value and a NUL character; the
answer must be 200 (the page, the bad value ignored or explained), a redirect within the
site, or 400/404 with a Chinese message, never a server error.
"""

from __future__ import annotations

import contextlib
import importlib
import inspect
import re
import sys
from html.parser import HTMLParser
from urllib.parse import parse_qsl, urlsplit

import pytest
from django.db import transaction
from django.test import Client

from miaoba.permissions_matrix import MATRIX
from miaoba.tests.test_permission_matrix import ALL_PATTERNS, _path

pytestmark = pytest.mark.django_db

BAD_VALUES = {
    "empty": "",
    "out of range": "-1",
    "non-numeric": "abc",
    "huge": "9" * 40,
    "NUL": "a\x00b",
}
ROLES = ("clerk", "advisor", "leader", "administrator", "auditor")
CHINESE = re.compile(r"[\u4e00-\u9fff]")
_READS = re.compile(
    r"""GET\.get(?:list)?\(\s*["'](\w+)["']|GET\[\s*["'](\w+)["']\s*\]|["'](\w+)["']\s+in\s+request\.GET"""
)


class _Params(HTMLParser):
    """Collect the names a page sends back to itself: GET form fields and its own links."""

    def __init__(self, path: str):
        super().__init__()
        self.path = path
        self.names: set[str] = set()
        self._in_get_form = False

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form":
            self._in_get_form = a.get("method", "get").lower() == "get"
        elif tag in ("input", "select", "textarea") and self._in_get_form and a.get("name"):
            if a.get("type") not in ("submit", "button"):
                self.names.add(a["name"])
        elif tag == "a" and a.get("href"):
            url = urlsplit(a["href"])
            if url.query and url.path in ("", self.path):
                self.names.update(name for name, _ in parse_qsl(url.query, keep_blank_values=True))

    def handle_endtag(self, tag):
        if tag == "form":
            self._in_get_form = False


def _module_reads(callback) -> set[str]:
    """Names read from request.GET in the view's module and the project modules it imports."""
    func = inspect.unwrap(callback)
    module = sys.modules.get(func.__module__)
    if module is None or func.__module__.split(".")[0] not in _PROJECT:
        return set()
    sources = [inspect.getsource(module)]
    imported = re.compile(r"^from ((?:" + "|".join(_PROJECT) + r")[\w.]*) import", re.M)
    for name in imported.findall(sources[0]):
        with contextlib.suppress(ImportError, OSError, TypeError):
            sources.append(inspect.getsource(importlib.import_module(name)))
    return {next(g for g in m if g) for src in sources for m in _READS.findall(src)}


_PROJECT = ("miaoba", "disputes", "normative_docs", "tasks", "reports", "respondent")


def _role_for(key: str) -> str | None:
    allowed = MATRIX.get(key, {}).get("GET", {})
    return next((r for r in ROLES if allowed.get(r) == "ok"), None)


@pytest.mark.parametrize("key", [key for key, _ in ALL_PATTERNS])
def test_no_get_parameter_value_gives_a_server_error(key, cast, world, auditor):
    route, pattern = dict(ALL_PATTERNS)[key]
    role = _role_for(key) or ("auditor" if key.startswith("admin:miaoba_securityevent") else None)
    if role is None:
        pytest.skip(f"{key}: no role opens it with GET")
    client = Client(raise_request_exception=False)
    client.force_login(auditor if role == "auditor" else cast[role])
    path = _path(world, key, route, pattern)
    base = urlsplit(path)
    with transaction.atomic():
        page = client.get(path)
        transaction.set_rollback(True)
    reader = _Params(base.path)
    if page.status_code == 200 and "html" in page.get("Content-Type", ""):
        reader.feed(page.content.decode())
    names = sorted((reader.names | _module_reads(pattern.callback)) - {"csrfmiddlewaretoken"})
    fixed = dict(parse_qsl(base.query))
    wrong = []
    for name in names:
        for label, value in BAD_VALUES.items():
            with transaction.atomic():
                response = client.get(base.path, {**fixed, name: value})
                transaction.set_rollback(True)
            status = response.status_code
            if status in (301, 302, 303):
                if not response["Location"].startswith(("/", "?")):
                    wrong.append(f"?{name}={label}: 跳转到站外 {response['Location']}")
            elif status in (400, 404):
                if not CHINESE.search(response.content.decode(errors="replace")):
                    wrong.append(f"?{name}={label}: {status} 没有中文说明")
            elif status != 200:
                wrong.append(f"?{name}={label}: {status}")
    assert not wrong, f"{key}（{role}，参数 {names}）\n" + "\n".join(wrong)


def test_a_nul_character_in_a_parameter_is_a_bad_request_in_chinese(client, administrator):
    """PostgreSQL refuses NUL in any query: the admin's lists passed it on and answered 500."""
    client.force_login(administrator)
    response = client.get("/admin/miaoba/unit/", {"kind__exact": "a\x00b"})
    assert response.status_code == 400
    assert "请求有误" in response.content.decode()
