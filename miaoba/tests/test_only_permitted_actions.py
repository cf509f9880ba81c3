"""A user sees only the links, buttons and forms they may use (UI.md: nothing on a page
answers 无权操作).

For each role the main pages are opened (workbench, every list, and the detail page of each
kind of record, all of 司法所 like the permission matrix's world). Every link on them is
followed (GET, rolled back) and must open, neither 403 nor 404; every form's target must be
"ok" for the role's method in the permission matrix (`miaoba/permissions_matrix.py`).
"""

from __future__ import annotations

import re
from html.parser import HTMLParser
from urllib.parse import urlsplit

import pytest
from django.db import transaction
from django.test import Client
from django.urls import Resolver404, resolve

from miaoba.permissions_matrix import MATRIX, key_of
from miaoba.tests.test_permission_matrix import World

pytestmark = pytest.mark.django_db


class _Controls(HTMLParser):
    """Collect <a href> and <form action method> of a page."""

    def __init__(self):
        super().__init__()
        self.links: list[tuple[str, str]] = []
        self.forms: list[tuple[str, str]] = []
        self._text: list[str] | None = None
        self._href = ""

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "a" and a.get("href"):
            self._href, self._text = a["href"], []
        elif tag == "form":
            self.forms.append(((a.get("method") or "get").upper(), a.get("action") or ""))

    def handle_data(self, data):
        if self._text is not None:
            self._text.append(data)

    def handle_endtag(self, tag):
        if tag == "a" and self._text is not None:
            self.links.append((self._href, "".join(self._text).strip()))
            self._text = None


def _key(path: str) -> str:
    match = resolve(path)
    route = match.route
    return key_of(match.namespace or None, match.url_name, route)


MAIN_PAGES = [
    "/",
    "/disputes/petitions/",
    "/disputes/cases/",
    "/docs/documents/",
    "/docs/reviews/",
    "/docs/decisions/",
    "/docs/advisors/",
    "/docs/cleanups/",
    "/tasks/",
    "/tasks/problems/",
    "/reports/records/",
    "/reports/figures/",
    "/reports/dashboard/",
    "/reports/annual/",
]


def _record_pages(world: World) -> list[str]:
    return [
        f"/disputes/petitions/{world.petition.pk}/",
        f"/disputes/cases/{world.dispute.pk}/",
        f"/docs/documents/{world.document.pk}/",
        f"/docs/reviews/{world.review.pk}/",
        f"/docs/decisions/{world.decision.pk}/",
        f"/docs/cleanups/{world.cleanup.pk}/",
        f"/tasks/{world.task.pk}/",
        f"/tasks/problems/{world.problem.pk}/",
        f"/reconsideration/{world.recon_case.pk}/",
        f"/reports/annual/{world.report.year}/",
    ]


def _walk(role: str, user, world: World) -> list[str]:
    """Open the role's pages; return what is shown that the role may not use."""
    client = Client(raise_request_exception=False)
    client.force_login(user)
    wrong: list[str] = []
    followed: set[str] = set()
    for page in MAIN_PAGES + _record_pages(world):
        response = client.get(page)
        if response.status_code != 200:
            continue  # a page the role may not open is the matrix test's business
        controls = _Controls()
        controls.feed(response.content.decode())
        for href, text in controls.links:
            parts = urlsplit(href)
            if parts.scheme or parts.netloc or not (parts.path or parts.query):
                continue
            target = (parts.path or page) + (f"?{parts.query}" if parts.query else "")
            if target in followed:
                continue
            followed.add(target)
            with transaction.atomic():
                status = client.get(target).status_code
                transaction.set_rollback(True)
            if status in (403, 404, 405):
                wrong.append(f"{page} 的链接“{text}”（{target}）打开为 {status}")
        for method, action in controls.forms:
            path = urlsplit(action).path or page
            try:
                key = _key(path)
            except Resolver404:
                wrong.append(f"{page} 的表单提交到不存在的地址 {path}")
                continue
            if key == "logout":
                continue
            outcome = MATRIX[key][method][role] if key in MATRIX else "?"
            if outcome != "ok":
                wrong.append(f"{page} 的表单（{method} {path}）对{role}为 {outcome}")
    return wrong


@pytest.fixture
def world(clerk, outsider, advisor, leader, administrator, justice_office, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    cast = {
        "clerk": clerk,
        "outsider": outsider,
        "advisor": advisor,
        "leader": leader,
        "administrator": administrator,
    }
    w = World(cast, justice_office, tmp_path)
    w.advisor  # the advisor user is the review's advisor  # noqa: B018
    return w


@pytest.mark.parametrize("role", ["clerk", "outsider", "advisor", "leader", "administrator"])
def test_every_link_and_form_on_a_roles_pages_is_one_they_may_use(role, world):
    wrong = _walk(role, world.cast[role], world)
    assert not wrong, "\n".join(wrong)


def test_a_leader_sees_no_edit_link_on_the_draft_report(client, world, leader):
    client.force_login(leader)
    text = client.get(f"/reports/annual/{world.report.year}/").content.decode()
    assert "编辑本段" not in text
    assert re.search(r"<h1>\d{4}年度报告", text)
    client.force_login(world.clerk)
    text = client.get(f"/reports/annual/{world.report.year}/").content.decode()
    assert text.count("编辑本段") == world.report.sections.count() > 0
