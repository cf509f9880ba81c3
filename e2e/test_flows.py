"""A clerk's and a leader's day, clicked and typed in Chromium against the live server."""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile

import pytest
from django.utils import timezone
from openpyxl import Workbook, load_workbook
from playwright.sync_api import Page, expect

from disputes.validators import id_check_digit
from e2e.ui import click_step, expect_success, login, logout, open_menu
from miaoba.models import Unit, User


def _id_number(birth: str, serial: int) -> str:
    """Return a well-formed ID number (GB 11643) of the township's county code."""
    first17 = f"500229{birth}{serial:03d}"
    return first17 + id_check_digit(first17)


def test_clerk_registers_a_petition_with_two_petitioners_and_takes_it_to_the_reply(page: Page):
    year = timezone.localdate().year
    login(page, "clerk")
    open_menu(page, "信访件")
    page.get_by_role("link", name="新增登记").click()

    page.get_by_label("来源渠道").select_option(label="来访（走访）")
    page.get_by_label("问题分类").select_option(label="邻里")
    page.get_by_label("村（社区）").select_option(label="石兴村")
    page.get_by_label("承办单位").select_option(label="信访办")
    page.get_by_label("反映问题").fill("反映邻居修建围墙占用通行道路，要求恢复通行。")
    page.get_by_label("诉求").fill("要求拆除占道部分围墙")
    rows = page.locator("table.people tbody tr")
    rows.nth(0).locator("input[name$='-name']").fill("向明")
    rows.nth(0).locator("select[name$='-gender']").select_option(label="男")
    rows.nth(0).locator("input[name$='-id_number']").fill(_id_number("19650312", 11))
    rows.nth(0).locator("input[name$='-phone']").fill("13896001234")
    rows.nth(1).locator("input[name$='-name']").fill("向秀英")
    rows.nth(1).locator("select[name$='-gender']").select_option(label="女")
    page.get_by_role("button", name="登记", exact=True).click()

    expect_success(page, re.compile(rf"已登记，编号 信〔{year}〕\d+号"))
    number = page.locator(".msg-success").inner_text().split("编号 ")[1].strip()
    people = page.locator("section.card", has=page.get_by_role("heading", name="信访人"))
    expect(people.locator("tbody tr")).to_have_count(2)
    expect(people).to_contain_text("向明")
    expect(people).to_contain_text("向秀英")
    expect(page.locator("h1 .tag").first).to_have_text("待受理")

    click_step(page, "受理")
    page.get_by_role("button", name="确认受理").click()
    expect_success(page, f"已受理：{number}")
    expect(page.locator("h1 .tag").first).to_have_text("办理中")

    click_step(page, "延期")
    page.get_by_label("延长天数").fill("30")
    page.get_by_label("延期理由").fill("涉及土地界址，需县自然资源局现场测量。")
    page.get_by_label("批准领导").select_option(label="王镇长（镇长）")
    page.get_by_role("button", name="确认延期").click()
    expect_success(page, f"已延期：{number}")
    expect(page.get_by_text("30日，王镇长于")).to_be_visible()

    click_step(page, "办结")
    page.get_by_label("处理意见", exact=True).select_option(label="支持")
    page.get_by_label("处理意见书内容").fill("经现场核实，围墙占用通道属实，已责令拆除。")
    page.get_by_role("button", name="确认办结").click()
    expect_success(page, f"已办结：{number}")

    click_step(page, "答复")
    expect(page.get_by_label("答复方式")).to_have_value("书面送达")
    page.get_by_label("满意度").select_option(label="满意")
    page.get_by_role("button", name="确认答复").click()
    expect_success(page, f"已答复：{number}")
    expect(page.locator("h1 .tag").first).to_have_text("已答复")
    timeline = page.locator("ol.timeline")
    for action in ["登记", "受理", "延期", "办结", "答复"]:
        expect(timeline).to_contain_text(action)

    open_menu(page, "信访件")
    row = page.get_by_role("row", name=re.compile(re.escape(number)))
    expect(row).to_contain_text("向明、向秀英")
    expect(row).to_contain_text("已答复")


def test_clerk_registers_a_dispute_and_records_an_oral_agreement(page: Page):
    from disputes.models import Mediator

    # The town committee's list of 人民调解员 (kept by an administrator; the demo history adds it).
    Mediator.objects.get_or_create(
        name="李文静", defaults={"user": User.objects.get(username="clerk")}
    )
    year = timezone.localdate().year
    login(page, "clerk")
    open_menu(page, "矛盾纠纷")
    page.get_by_role("link", name="新增登记").click()

    page.get_by_label("纠纷来源").select_option(label="当事人申请")
    page.get_by_label("纠纷类型").select_option(label="邻里")
    page.get_by_label("村（社区）").select_option(label="罗江村")
    page.get_by_label("承办单位").select_option(label="司法所")
    page.get_by_label("纠纷简要情况").fill("两户村民因屋后排水沟走向发生争执。")
    page.get_by_label("李文静", exact=True).check()
    rows = page.locator("table.people tbody tr")
    rows.nth(0).locator("input[name$='-name']").fill("罗光荣")
    rows.nth(0).locator("select[name$='-side']").select_option(label="申请方")
    rows.nth(1).locator("input[name$='-name']").fill("谭德华")
    rows.nth(1).locator("select[name$='-side']").select_option(label="被申请方")
    page.get_by_role("button", name="登记", exact=True).click()

    expect_success(page, re.compile(rf"已登记，编号 \S+〔{year}〕\d+号"))
    number = page.locator(".msg-success").inner_text().split("编号 ")[1].strip()

    click_step(page, "受理")
    page.get_by_role("button", name="确认受理").click()
    expect_success(page, f"已受理：{number}")
    expect(page.locator("h1 .tag").first).to_have_text("调解中")

    click_step(page, "登记调解结果")
    page.get_by_label("调解结果").select_option(label="调解成功")
    page.get_by_label("协议形式").select_option(label="口头协议")
    page.get_by_label("协议内容").fill("双方同意排水沟沿地界改道，费用各半承担。")
    page.get_by_role("button", name="确认登记调解结果").click()

    expect_success(page, f"已登记调解结果：{number}")
    expect(page.locator("h1 .tag").first).to_have_text("调解成功")
    expect(page.locator("dd", has_text="调解成功（口头协议）")).to_be_visible()
    expect(page.locator("h3:text-is('协议内容') + p")).to_have_text(
        "双方同意排水沟沿地界改道，费用各半承担。"
    )


@pytest.fixture
def legal_advisor(township):
    """The demo advisor's contract (陈律师), as the legal-advisor register holds it."""
    from normative_docs.models import Advisor

    today = timezone.localdate()
    return Advisor.objects.create(
        name="陈律师",
        law_firm="重庆渝东北律师事务所",
        licence_number="15002201610123456",
        contract_from=dt.date(today.year - 1, 1, 1),
        contract_to=dt.date(today.year + 1, 12, 31),
        user=User.objects.get(username="advisor"),
    )


def test_document_goes_through_review_and_discussion_and_gets_its_number(page: Page, legal_advisor):
    year = timezone.localdate().year
    title = "庙坝镇农村人居环境整治村规民约指导办法"
    login(page, "clerk")
    open_menu(page, "规范性文件")
    page.get_by_role("link", name="新增起草").click()
    page.get_by_label("文件名称").fill(title)
    page.get_by_label("制定机关").select_option(label="庙坝镇人民政府")
    page.get_by_label("起草单位").select_option(label="司法所")
    page.get_by_label("起草人").fill("李文静")
    page.get_by_label("主要内容").fill("明确村规民约中人居环境整治的内容和程序。")
    page.get_by_role("button", name="保存").click()
    expect_success(page, f"已登记起草：{title}")

    click_step(page, "送法律顾问审核")
    page.get_by_label("法律顾问").select_option(label="陈律师（重庆渝东北律师事务所）")
    page.get_by_label("送审材料及说明").fill("草案及起草说明各一份。")
    page.get_by_role("button", name="确认送法律顾问审核").click()
    expect_success(page, "已送法律顾问审核")
    logout(page)

    login(page, "advisor")
    open_menu(page, "法律顾问审查")
    page.get_by_role("link", name=title).click()
    page.get_by_role("link", name="登记审查结论").click()
    page.get_by_label("审查结论").select_option(label="修改后通过")
    page.get_by_label("审查意见").fill("草案总体合法，建议修改后提请集体讨论。")
    page.get_by_label("建议意见").fill("第三条删除罚款表述。\n第五条明确村民会议表决程序。")
    page.get_by_role("button", name="保存").click()
    expect_success(page, "已登记审查结论：修改后通过")
    expect(page.locator("ol.opinions li")).to_have_count(2)
    logout(page)

    login(page, "clerk")
    open_menu(page, "规范性文件")
    page.get_by_role("link", name=title).click()
    expect(page.locator("dd", has_text="法律顾问陈律师：修改后通过")).to_be_visible()
    click_step(page, "集体讨论决定")
    expect(page.get_by_label("会议名称")).to_have_value("镇政府常务会议")
    page.get_by_role("button", name="确认集体讨论决定").click()
    expect_success(page, "已集体讨论决定")

    click_step(page, "签发")
    page.get_by_label("签发人").fill("王镇长")
    page.get_by_role("button", name="确认签发").click()
    expect_success(page, "已签发")

    click_step(page, "登记编号")
    page.get_by_role("button", name="确认登记编号").click()
    expect_success(page, f"已登记编号：发文字号 庙坝府发〔{year}〕1号")
    expect(page.locator("h1")).to_contain_text(title)
    expect(page.locator("dl.desc strong").first).to_have_text(f"庙坝府发〔{year}〕1号")

    open_menu(page, "规范性文件")
    expect(page.get_by_role("row", name=re.compile(title))).to_contain_text(
        f"庙坝府发〔{year}〕1号"
    )


@pytest.fixture
def leaders_year(township):
    """The demo's rectification tasks and 2020 report draft, and three petitions of this year."""
    from disputes import services as petitions
    from disputes.models import Category
    from reports.demo import load_demo_records as load_reports
    from tasks.demo import load_demo_records as load_tasks

    load_tasks()
    load_reports()
    clerk = User.objects.get(username="clerk")
    for name in ["冉春燕", "高永福", "林玉梅"]:
        petitions.petition_register(
            by=clerk,
            received_on=timezone.localdate(),
            channel="来信",
            category=Category.objects.get(name="村务"),
            unit=Unit.objects.get(name="信访办"),
            summary=f"{name}反映村务公开不及时。",
            petitioners=[petitions.PersonData(name=name)],
        )


def test_leader_verifies_a_task_drills_into_the_dashboard_and_finalises_the_report(
    page: Page, leaders_year
):
    year = timezone.localdate().year
    login(page, "leader")

    open_menu(page, "整改任务")
    page.get_by_role("navigation", name="整改任务").get_by_role("link", name="待我销号").click()
    mine = page.locator(
        "section.card", has=page.get_by_role("heading", name=re.compile("我分管的"))
    )
    expect(mine.get_by_role("heading")).to_have_text("我分管的（1项）")
    mine.get_by_role("link", name="核验销号").click()
    click_step(page, "销号")
    expect(page.get_by_text("《庙坝镇依法行政工作考核办法》已印发实施。")).to_be_visible()
    page.get_by_label("整改到位，同意销号").check()
    page.get_by_label("核验意见").fill("经核验，考核办法已印发并执行，整改到位。")
    page.get_by_role("button", name="确认销号").click()
    expect_success(page, "已销号")
    expect(page.locator("h1")).to_contain_text("已销号")

    open_menu(page, "统计")
    expect(page.get_by_role("heading", level=1)).to_have_text(f"统计：{year}年")
    big = page.locator(".big-numbers").get_by_role("link", name=re.compile("信访件数"))
    expect(big.locator(".big-value")).to_have_text("3")
    big.click()
    expect(page).to_have_url(re.compile(r"/disputes/petitions/\?.*year="))
    expect(page.locator(".pagination")).to_contain_text("共 3 条")
    for name in ["冉春燕", "高永福", "林玉梅"]:
        expect(page.get_by_role("row", name=re.compile(name))).to_have_count(1)

    open_menu(page, "年度报告")
    page.get_by_role("row", name=re.compile("2020")).get_by_role("link").click()
    expect(page.locator("h1 .tag")).to_have_text("草稿")
    page.get_by_role("button", name="定稿").click()
    expect_success(page, "2020年度报告已定稿")
    expect(page.locator("h1 .tag")).to_have_text("已定稿")

    with page.expect_download() as info:
        page.get_by_role("link", name="下载 Word（公文格式）").click()
    download = info.value
    assert download.suggested_filename.endswith(".docx")
    with zipfile.ZipFile(download.path()) as docx:
        body = docx.read("word/document.xml").decode("utf-8")
    assert "法治政府建设" in body
    assert "2020" in body


def test_clerk_imports_a_ledger_with_one_bad_row_and_sees_that_rows_error(page: Page, tmp_path):
    login(page, "clerk")
    open_menu(page, "信访件")
    page.get_by_role("link", name="导入台账").click()
    with page.expect_download() as info:
        page.get_by_role("link", name="下载导入模板").click()
    sheet = load_workbook(io.BytesIO(info.value.path().read_bytes())).active
    headers = [cell.value for cell in sheet[1]]

    def row(**values) -> list:
        base = {
            "登记日期": "2021-03-05",
            "来源渠道": "来访",
            "问题分类": "邻里",
            "信访人姓名": "张三",
            "主要内容": "反映邻居占用通道",
            "承办单位": "司法所",
            "状态": "待受理",
        }
        base.update(values)
        return [base.get(h, "") for h in headers]

    book = Workbook()
    book.active.append(headers)
    book.active.append(row())
    book.active.append(row(信访人姓名="李四", 主要内容="反映灌溉水渠堵塞"))
    book.active.append(row(信访人姓名="王五", 登记日期="2021-02-30"))
    ledger = tmp_path / "信访件台账.xlsx"
    buffer = io.BytesIO()
    book.save(buffer)
    ledger.write_bytes(buffer.getvalue())

    page.get_by_label("台账文件").set_input_files(ledger)
    page.get_by_role("button", name="检查文件").click()

    expect(page.get_by_role("alert")).to_contain_text("有 1 处错误，未导入任何数据")
    errors = page.locator(".card", has=page.get_by_role("heading", name="错误清单"))
    expect(errors.locator("tbody tr")).to_have_count(1)
    expect(errors.locator("tbody tr")).to_have_text(
        re.compile(r"4\s*登记日期\s*日期“2021-02-30”不存在。")
    )
    open_menu(page, "信访件")
    expect(page.get_by_text("暂无信访件")).to_be_visible()
