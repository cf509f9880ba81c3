"""Fixtures of the end-to-end flows: a live server on 127.0.0.1, Debian's Chromium driven by
Playwright (sync API), the demo township, and a screenshot plus the page's HTML in
`test-artifacts/` when a flow fails.

Run with `pytest e2e` (not part of the default test paths). Without Chromium at
`/usr/bin/chromium` (or `$CHROMIUM`), every flow is skipped with a message saying so.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

# Playwright's sync API runs an event loop in this thread; Django would then refuse ORM calls
# made by the fixtures and tests (SynchronousOnlyOperation). They are plain synchronous code.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking"]
ARTIFACTS = Path(__file__).resolve().parent.parent / "test-artifacts"
TIMEOUT_MS = 15_000


def pytest_collection_modifyitems(config, items):
    if Path(CHROMIUM).exists():
        return
    skip = pytest.mark.skip(reason=f"未找到 Chromium（{CHROMIUM}），跳过端到端测试")
    for item in items:
        item.add_marker(skip)


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item, call):
    """Keep each phase's report on the item, so the page fixture knows the flow failed."""
    report = yield
    setattr(item, f"rep_{report.when}", report)
    return report


@pytest.fixture(scope="session")
def browser():
    """One headless Chromium for the session (Debian's build, not a downloaded one)."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
        )
        yield chromium
        chromium.close()


@pytest.fixture
def media_root(settings, tmp_path):
    """Keep uploaded and demo files out of the project's media folder."""
    settings.MEDIA_ROOT = str(tmp_path / "media")
    return tmp_path / "media"


@pytest.fixture
def township(transactional_db, django_db_serialized_rollback, media_root):
    """The demo township: units, villages and users clerk, clerk2, advisor, leader, admin.

    The live server reads from another thread, so each flow commits for real; the rows the
    migrations seed (roles, categories, the holiday calendar) come back after each flush
    through serialized rollback.
    """
    from miaoba.demo import load_demo

    load_demo()


@pytest.fixture
def page(request, browser, live_server, township):
    """A fresh browser tab on the live server; on failure saves PNG and HTML to test-artifacts/."""
    context = browser.new_context(base_url=live_server.url, locale="zh-CN", accept_downloads=True)
    context.set_default_timeout(TIMEOUT_MS)
    tab = context.new_page()
    yield tab
    report = getattr(request.node, "rep_call", None)
    if report is not None and report.failed:
        ARTIFACTS.mkdir(exist_ok=True)
        name = re.sub(r"[^\w.-]+", "_", request.node.name)
        try:
            tab.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)
            (ARTIFACTS / f"{name}.html").write_text(tab.content(), encoding="utf-8")
        except Exception as exc:  # a crashed tab must not hide the flow's own failure
            print(f"未能保存失败现场：{exc}")
    context.close()
