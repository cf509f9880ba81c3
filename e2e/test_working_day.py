"""A clerk corrects a case and issues a notice; a leader reads the report page without a link
they may not use. Clicked in Chromium against the live server."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from docx import Document as Docx
from playwright.sync_api import Page, expect

from e2e.ui import expect_success, login


@pytest.fixture
def petition(township):
    """A petition of 信访办, registered a week ago by the demo clerk."""
    from django.utils import timezone

    from disputes.tests.builders import register_petition, someone
    from miaoba.models import Unit, User

    return register_petition(
        by=User.objects.get(username="clerk"),
        unit=Unit.objects.get(name="信访办"),
        received_on=timezone.localdate() - dt.timedelta(days=7),
        petitioners=[someone("向明"), someone("向秀英")],
    )


def test_clerk_corrects_the_summary_of_a_registered_petition(page: Page, petition):
    login(page, "clerk")
    page.goto(f"/disputes/petitions/{petition.pk}/")
    page.get_by_role("link", name="更正", exact=True).click()
    expect(page.get_by_role("heading", name=f"更正信访件 {petition.number}")).to_be_visible()
    page.get_by_label("主要内容").fill("邻里排水沟堵塞纠纷，要求镇里协调疏通")
    page.get_by_role("button", name="保存更正").click()
    # no reason: the summary at the top says so, and links to the field
    summary = page.locator(".error-summary")
    expect(summary).to_contain_text("更正理由：请填写更正理由。")
    summary.get_by_role("link", name="更正理由").click()
    expect(page.get_by_label("更正理由")).to_be_focused()
    page.get_by_label("更正理由").fill("登记时漏录诉求")
    page.get_by_role("button", name="保存更正").click()

    expect_success(page, f"已更正{petition.number}：主要内容")
    expect(
        page.locator("main").get_by_text("邻里排水沟堵塞纠纷，要求镇里协调疏通").first
    ).to_be_visible()
    timeline = page.locator("ol.timeline")
    expect(timeline).to_contain_text("更正")
    expect(timeline).to_contain_text("理由：登记时漏录诉求")
    history = page.locator("#history")
    expect(history).to_contain_text("更正：登记时漏录诉求")
    expect(page.locator("h1")).to_contain_text(petition.number)


def test_clerk_issues_the_acceptance_notice_downloads_and_opens_it(page: Page, petition):
    from disputes import services
    from miaoba.models import User

    clerk = User.objects.get(username="clerk")
    services.petition_accept(petition, by=clerk, on=petition.received_on + dt.timedelta(days=2))
    login(page, "clerk")
    page.goto(f"/disputes/petitions/{petition.pk}/")
    page.get_by_role("button", name="出具信访事项受理告知书").click()
    expect_success(page, re.compile(r"已出具信访事项受理告知书，文号 庙坝信受告〔\d{4}〕1号"))
    number = page.locator(".msg-success").inner_text().split("文号 ")[1].strip()
    expect(page.locator("ol.timeline")).to_contain_text("出具信访事项受理告知书")

    notices = page.locator("section.notices")
    with page.expect_download() as download_info:
        notices.get_by_role("link", name="下载 Word").click()
    download = download_info.value
    assert download.suggested_filename == f"信访事项受理告知书（{number}）.docx"
    doc = Docx(str(download.path()))
    lines = [p.text for p in doc.paragraphs if p.text]
    assert lines[:3] == ["信访事项受理告知书", number, "向明、向秀英："]
    assert f"（编号：{petition.number}）" in lines[3]
    assert "依据：《信访条例》第二十一条、第二十二条、第三十三条" in lines or any(
        line.startswith("依据：《信访工作条例》") for line in lines
    )

    notices.get_by_role("link", name="打印").click()
    expect(page.get_by_role("heading", name="信访事项受理告知书")).to_be_visible()
    expect(page.locator("p.number")).to_have_text(number)


def test_a_leaders_report_page_has_no_link_they_may_not_follow(page: Page, township):
    from miaoba.models import User
    from reports import services

    services.report_create(
        by=User.objects.get(username="clerk2"), year=2020, as_of=dt.date(2020, 12, 31)
    )
    login(page, "leader")
    page.goto("/reports/annual/2020/")
    expect(page.get_by_role("heading", name=re.compile("2020年度报告"))).to_be_visible()
    expect(page.get_by_text("编辑本段")).to_have_count(0)
    hrefs = page.eval_on_selector_all(
        "a[href]", "els => [...new Set(els.map(e => e.getAttribute('href')))]"
    )
    internal = [h for h in hrefs if h.startswith("/") and not h.startswith("/static/")]
    assert internal, "页面上没有链接"
    refused = []
    for href in internal:
        response = page.request.get(href, max_redirects=0)
        if response.status in (403, 404, 405):
            refused.append(f"{href} → {response.status}")
    assert not refused, f"领导看到的链接打不开：{refused}"
    # and no form that would answer 无权操作: 定稿 is the leader's, editing is not
    forms = page.eval_on_selector_all("form[method=post]", "els => els.map(e => e.action)")
    assert not [f for f in forms if "/sections/" in f or "/header/" in f]
