"""Pages read at the office laptop's 1366 px and at 768 px: nothing scrolls sideways, and
numbers, dates, names and status tags never break across lines (UI.md, Lists).

Each page is photographed at both widths into test-artifacts/screens/ (look at them); a page
wider than the window, or a table scrolling inside its box, fails the flow.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import Page

from e2e.conftest import ARTIFACTS
from e2e.ui import login

SCREENS = ARTIFACTS / "screens"
WIDTHS = (1366, 768)


def assert_fits(page: Page, what: str) -> None:
    """Fail when the page is wider than the window or any box scrolls sideways, and when a
    number, date, name or status tag is broken over two lines."""
    width = page.evaluate("window.innerWidth")
    page_width = page.evaluate("document.documentElement.scrollWidth")
    assert page_width <= width, f"{what}：页面宽 {page_width}px，超出窗口 {width}px"
    scrolling = page.evaluate(
        """() => [...document.querySelectorAll('*')]
              .filter(e => ['auto', 'scroll'].includes(getComputedStyle(e).overflowX)
                           && e.scrollWidth > e.clientWidth + 1)
              .map(e => `${e.tagName.toLowerCase()}.${e.className} ${e.scrollWidth}>${e.clientWidth}`)"""
    )
    assert not scrolling, f"{what}：以下区域需要横向滚动 {scrolling}"
    broken = page.evaluate(
        """() => [...document.querySelectorAll('.nw, .tag, .light, td.date, td.nowrap > a')]
              .filter(e => e.offsetParent !== null && e.getClientRects().length > 1)
              .map(e => e.textContent.trim()).slice(0, 5)"""
    )
    assert not broken, f"{what}：以下内容被折成两行 {broken}"


def photograph(page: Page, name: str, width: int) -> None:
    SCREENS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENS / f"{name}_{width}.png"), full_page=True)


@pytest.fixture
def cases(township):
    """A few petitions and disputes of the demo township, with long names where names get long."""
    import datetime as dt

    from django.utils import timezone

    from disputes.models import Party
    from disputes.tests.builders import register_dispute, register_petition, someone
    from miaoba.models import Unit, User
    from reports import services as report_services

    clerk = User.objects.get(username="clerk")
    today = timezone.localdate()
    unit = Unit.objects.get(name="信访办")
    for i, names in enumerate([["欧阳晓明", "向秀英", "张三"], ["杨国平"], ["谭秀英", "刘德华"]]):
        register_petition(
            by=clerk,
            unit=unit,
            received_on=today - dt.timedelta(days=3 + 7 * i),
            petitioners=[someone(n) for n in names],
        )
    register_dispute(
        by=clerk,
        unit=Unit.objects.get(name="司法所"),
        received_on=today - dt.timedelta(days=2),
        parties=[
            (someone("司马光明"), Party.Side.APPLICANT),
            (someone("李四"), Party.Side.RESPONDENT),
        ],
    )
    report_services.report_create(by=clerk, year=2020, as_of=dt.date(2020, 12, 31))
    # A 行政诉讼 with the longest act kind, outcome and two plaintiffs (the widest register row).
    from disputes.services import PersonData
    from reconsideration.models import Case
    from reconsideration.tests.builders import register_case

    register_case(
        by=clerk,
        unit=Unit.objects.get(name="司法所"),
        received_on=today - dt.timedelta(days=4),
        act="未依申请查处相邻方违法建筑",
        act_kind=Case.ActKind.INACTION,
        applicants=[PersonData(name="欧阳晓明"), PersonData(name="司马光明")],
    )


CLERK_PAGES = [
    ("petition_list", "/disputes/petitions/"),
    ("petition_form", "/disputes/petitions/new/"),
    ("dispute_list", "/disputes/cases/"),
    ("dispute_form", "/disputes/cases/new/"),
    ("document_list", "/docs/documents/"),
    ("review_list", "/docs/reviews/"),
    ("task_list", "/tasks/"),
    ("record_list", "/reports/records/"),
    ("workbench", "/"),
]


@pytest.mark.parametrize("width", WIDTHS)
def test_a_clerks_pages_fit_the_window(page: Page, width: int, cases):
    from disputes.models import Dispute, Petition

    page.set_viewport_size({"width": width, "height": 900})
    login(page, "clerk")
    pages = [
        *CLERK_PAGES,
        ("petition_detail", f"/disputes/petitions/{Petition.objects.order_by('pk').first().pk}/"),
        ("dispute_detail", f"/disputes/cases/{Dispute.objects.order_by('pk').first().pk}/"),
    ]
    for name, path in pages:
        page.goto(path)
        photograph(page, f"clerk_{name}", width)
        assert_fits(page, f"{path}（{width}px）")


@pytest.mark.parametrize("width", WIDTHS)
def test_a_leaders_pages_fit_the_window(page: Page, width: int, cases):
    page.set_viewport_size({"width": width, "height": 900})
    login(page, "leader")
    for name, path in [
        ("dashboard", "/reports/dashboard/"),
        ("report", "/reports/annual/2020/"),
        ("verify_queue", "/tasks/verify/"),
        ("decision_list", "/docs/decisions/"),
        ("reconsideration_list", "/reconsideration/"),
    ]:
        page.goto(path)
        photograph(page, f"leader_{name}", width)
        assert_fits(page, f"{path}（{width}px）")


def test_the_check_fails_a_page_wider_than_the_window(page: Page, cases):
    page.set_viewport_size({"width": 768, "height": 900})
    login(page, "clerk")
    page.goto("/disputes/petitions/")
    # what the petition list looked like before: a table that cannot shrink
    page.evaluate("document.querySelector('table').style.minWidth = '1000px'")
    with pytest.raises(AssertionError, match="需要横向滚动"):
        assert_fits(page, "信访件列表")
    page.evaluate("document.querySelector('.table-wrap').style.overflowX = 'visible'")
    with pytest.raises(AssertionError, match="超出窗口 768px"):
        assert_fits(page, "信访件列表")
