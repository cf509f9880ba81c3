"""What a user does on every page: log in and out, open an area from the left menu, read the
green message. Selectors are the words on the page (labels, link and button text).
"""

from __future__ import annotations

from playwright.sync_api import Page, expect

from miaoba.demo import USERS

PASSWORDS = {row[0]: row[1] for row in USERS}


def login(page: Page, username: str) -> None:
    """Log in as a demo user through the login form; ends on the workbench."""
    page.goto("/login/")
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(PASSWORDS[username])
    page.get_by_role("button", name="登录").click()
    expect(page.get_by_role("button", name="退出")).to_be_visible()


def logout(page: Page) -> None:
    page.get_by_role("button", name="退出").click()
    expect(page.get_by_role("heading", name="用户登录")).to_be_visible()


def open_menu(page: Page, label: str) -> None:
    """Click an item of the left menu (主菜单)."""
    page.get_by_role("navigation", name="主菜单").get_by_role("link", name=label).click()


def click_step(page: Page, label: str) -> None:
    """Click a workflow button (受理, 延期, 办结 ...) in the detail page's 办理 box."""
    page.locator(
        "section.card", has=page.get_by_role("heading", name="办理", exact=True)
    ).get_by_role("link", name=label, exact=True).click()


def expect_success(page: Page, text: str) -> None:
    """The green message after saving contains `text` (a string or a compiled pattern)."""
    expect(page.locator(".msg-success")).to_contain_text(text)
