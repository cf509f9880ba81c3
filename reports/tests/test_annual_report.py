"""Drafting, finalising and re-opening the annual report; its Word file and annex."""

import datetime as dt
import io

import pytest
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from docx import Document
from openpyxl import load_workbook

from disputes import services as ds
from disputes.models import Category
from disputes.tests.builders import register_petition
from reports import services
from reports.models import AnnualReport, ReportEvent, YearFigure

pytestmark = pytest.mark.django_db

SECTIONS = [
    (0, "", "本镇深入推进法治政府建设。"),
    (1, "一、工作开展情况", ""),
    (
        2,
        "（一）依法有效化解社会矛盾纠纷。",
        "{period.span}年全镇共受理信访案件{span.petitions.total}起，答复率{span.petitions.reply_rate}。",
    ),
    (2, "（二）政务服务。", "服务窗口{year.service_windows}个，按时办结率达{year.on_time_rate}。"),
]


def _petition(clerk, unit, on):
    return register_petition(
        by=clerk,
        received_on=on,
        channel="来信",
        unit=unit,
        summary="反映问题",
        petitioners=[ds.PersonData(name="张三")],
    )


@pytest.fixture
def report(clerk, justice_office):
    for year in (2018, 2019, 2020):
        _petition(clerk, justice_office, dt.date(year, 3, 2))
    YearFigure.objects.create(year=2020, key="service_windows", value=8, entered_by=clerk)
    YearFigure.objects.create(year=2020, key="on_time_rate", value=100, entered_by=clerk)
    return services.report_create(
        by=clerk, year=2020, span_from=2019, as_of=dt.date(2020, 12, 31), sections=SECTIONS
    )


def _text(report):
    return "".join(s["heading"] + s["text"] for s in services.rendered(report)["sections"])


def test_draft_figures_come_from_the_records_of_the_span(report):
    text = _text(report)
    assert "2019—2020年全镇共受理信访案件2起，答复率0%。" in text
    assert "服务窗口8个，按时办结率达100%。" in text


def test_a_figure_with_no_data_is_a_marked_gap_never_a_dash(clerk, leader):
    report = services.report_create(by=clerk, year=2021, span_from=2021, sections=SECTIONS)
    text = _text(report)
    assert "—。" not in text
    assert "答复率【待补充：答复率（2021年）】。" in text
    assert "服务窗口【待补充：服务窗口数（2021年）】个" in text
    with pytest.raises(ValidationError) as refused:
        services.report_finalise(report, by=leader)
    assert refused.value.messages == [
        "报告中还有待补充的内容，不能定稿：【待补充：答复率（2021年）】；"
        "【待补充：服务窗口数（2021年）】；【待补充：审批服务事项按时办结率（2021年）】。"
        "请在对应段落中补写，或在“年度指标”中填报后再定稿。"
    ]


def test_finalised_report_does_not_change_when_records_change(
    report, clerk, leader, justice_office
):
    services.report_finalise(report, by=leader)
    _petition(clerk, justice_office, dt.date(2020, 5, 6))
    report.refresh_from_db()
    assert "共受理信访案件2起" in _text(report)
    with pytest.raises(ValidationError, match="报告已定稿，不能修改"):
        services.report_update_section(
            report.sections.get(order=3), by=clerk, heading="x", text="y"
        )

    services.report_reopen(report, by=leader, reason="补充2020年漏登的信访件")
    report.refresh_from_db()
    assert "共受理信访案件3起" in _text(report)
    assert [(e.action, e.note) for e in ReportEvent.objects.filter(report=report)] == [
        ("创建", ""),
        ("定稿", ""),
        ("重新打开", "补充2020年漏登的信访件"),
    ]


def test_unknown_figure_blocks_finalising(report, leader):
    section = report.sections.get(order=4)
    section.text = "窗口{year.windows}个"
    section.save()
    with pytest.raises(ValidationError, match=r"无法识别的数据：\{year.windows\}"):
        services.report_finalise(report, by=leader)


def test_one_report_per_year(report, clerk):
    with pytest.raises(ValidationError, match="2020年度的报告已存在"):
        services.report_create(by=clerk, year=2020)


def test_deadlines_are_1_march_and_1_april_of_the_next_year():
    assert services.report_deadlines(2020) == (dt.date(2021, 3, 1), dt.date(2021, 4, 1))


def test_clerk_cannot_finalise_or_reopen_but_leader_can(client, report, clerk, leader):
    client.force_login(clerk)
    assert client.post("/reports/annual/2020/finalise/").status_code == 403
    client.force_login(leader)
    client.post("/reports/annual/2020/finalise/")
    report.refresh_from_db()
    assert report.status == "final"
    client.force_login(clerk)
    assert client.post("/reports/annual/2020/reopen/", {"reason": "x"}).status_code == 403


def test_reopen_without_reason_is_refused(client, report, leader):
    services.report_finalise(report, by=leader)
    client.force_login(leader)
    response = client.post("/reports/annual/2020/reopen/", {"reason": ""}, follow=True)
    assert "请写明重新打开的原因" in response.content.decode()
    report.refresh_from_db()
    assert report.status == "final"


def test_section_edit_page_previews_figures_and_saves(client, report, clerk):
    client.force_login(clerk)
    text = client.get("/reports/annual/2020/sections/3/").content.decode()
    assert "span.petitions.total" in text
    client.post(
        "/reports/annual/2020/sections/3/",
        {"heading": "（一）化解矛盾。", "text": "共{span.petitions.total}起。", "version": 1},
    )
    assert "（一）化解矛盾。共2起。" in _text(report)


def test_word_file_is_a4_with_official_fonts_and_page_numbers(client, report, clerk):
    client.force_login(clerk)
    response = client.get("/reports/annual/2020/export/docx/")
    assert response.status_code == 200
    doc = Document(io.BytesIO(response.content))
    section = doc.sections[0]
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)
    assert (round(section.top_margin.mm), round(section.bottom_margin.mm)) == (37, 35)
    assert (round(section.left_margin.mm), round(section.right_margin.mm)) == (28, 26)
    body = "\n".join(p.text for p in doc.paragraphs)
    assert "2019—2020年全镇共受理信访案件2起" in body
    title = next(p for p in doc.paragraphs if "法治政府建设" in p.text)
    fonts = title.runs[0]._element.rPr.rFonts
    assert (
        fonts.get("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}eastAsia")
        == "方正小标宋简体"
    )
    assert title.runs[0].font.size.pt == 22
    heading = next(p for p in doc.paragraphs if p.text.startswith("（一）"))
    assert heading.runs[0].font.name == "楷体" and heading.runs[1].font.name == "仿宋"
    assert heading.runs[1].font.size.pt == 16
    footer_xml = section.footer._element.xml
    assert "PAGE" in footer_xml and "— " in footer_xml
    assert section.footer.paragraphs[0].alignment == 2  # odd pages right
    assert section.even_page_footer.paragraphs[0].alignment == 0  # even pages left


def test_annex_is_chinese_in_report_order_with_numbers_as_numbers(client, report, clerk):
    client.force_login(clerk)
    sheet = load_workbook(
        io.BytesIO(client.get("/reports/annual/2020/export/xlsx/").content)
    ).active
    rows = list(sheet.iter_rows(min_row=2, values_only=True))
    assert rows[0] == ("章节", "类别", "数据项", "单位", "2020年", "2019—2020年", "2019年")
    by_label = {(r[1], r[2]): r for r in rows[1:]}
    assert by_label[("信访", "信访件数")][3:] == ("件", 1, 2, 1)
    assert ("信访", "答复率") not in by_label  # 0% in every column: left out
    assert by_label[("年度指标", "服务窗口数")][3:5] == ("个", 8)
    assert by_label[("年度指标", "审批服务事项按时办结率")][3:5] == ("%", 100)  # a number
    # Figures the report's text uses, in its order; nothing all-zero, no English keys.
    assert rows[1][0] == "正文引用" and rows[1][1] == "信访"
    assert ("矛盾纠纷", "受理数") not in by_label
    assert not any(c and "." in str(c) and str(c).isascii() for r in rows for c in r[:4])
    assert sheet.freeze_panes == "A3"
    assert sheet.print_title_rows == "$2:$2"  # the header row on every printed page
    assert sheet.page_setup.orientation == "landscape"


def test_a_control_character_stored_by_the_orm_does_not_break_the_word_file(client, report, clerk):
    # .update() bypasses the cleaning on save, as text stored before cleaning existed did.
    AnnualReport.objects.filter(pk=report.pk).update(addressee="城口县\x0b人民政府")
    # (No NUL: PostgreSQL text cannot hold one.)
    report.sections.filter(order=2).update(text="本镇开展\x0b民法典学习\x1f。")
    client.force_login(clerk)

    response = client.get("/reports/annual/2020/export/docx/")

    assert response.status_code == 200
    body = "\n".join(p.text for p in Document(io.BytesIO(response.content)).paragraphs)
    assert "城口县人民政府：" in body
    assert "本镇开展民法典学习。" in body


def test_annex_title_is_text_never_a_formula(client, report, clerk):
    AnnualReport.objects.filter(pk=report.pk).update(title='=HYPERLINK("http://x")\x0b报告')
    client.force_login(clerk)

    sheet = load_workbook(
        io.BytesIO(client.get("/reports/annual/2020/export/xlsx/").content)
    ).active

    assert sheet["A1"].data_type == "s"
    assert sheet["A1"].value.startswith('=HYPERLINK("http://x")报告 数据附表')
    assert all(c.data_type != "f" for row in sheet.iter_rows() for c in row)


def test_advisor_cannot_see_the_dashboard_or_reports(client, advisor, report):
    client.force_login(advisor)
    assert client.get("/reports/dashboard/").status_code == 403
    assert client.get("/reports/annual/2020/").status_code == 403


@pytest.mark.parametrize("n", [3, 300])
def test_dashboard_queries_do_not_grow_with_records(
    client, leader, clerk, justice_office, n, django_assert_max_num_queries
):
    from disputes.models import Petition

    Petition.objects.bulk_create(
        Petition(number=f"信〔2020〕{i}号", year=2020, serial=i, received_on=dt.date(2020, 1 + i % 12, 1 + i % 28),
                 channel="来信", category=Category.objects.get(name="邻里"), unit=justice_office, summary="批量",
                 created_by=clerk, status="accepted", decided_on=dt.date(2020, 12, 1))
        for i in range(1, n + 1)
    )  # fmt: skip
    client.force_login(leader)
    client.get("/reports/dashboard/?year=2019")  # a running process: calendar, header cached
    # A period not viewed yet: session, user, 2 permissions, data version, and the areas'
    # grouped statements (信访 3, 矛盾纠纷 3, 规范性文件 2, 法律顾问审查 1, 重大行政决策 1,
    # 整改任务 3, 行政复议、行政诉讼 1, 工作记录 1, 年度指标 1). Goal (issue 13): at most 21.
    with django_assert_max_num_queries(21):
        response = client.get("/reports/dashboard/?from=2016&to=2020&as_of=2020-12-31")
    assert response.status_code == 200
    assert f'<span class="big-value">{n}</span>' in response.content.decode()


def test_dashboard_figures_link_to_their_records(client, leader, report):
    client.force_login(leader)
    text = client.get("/reports/dashboard/?from=2019&to=2020").content.decode()
    assert 'href="/disputes/petitions/?year=2019-2020"' in text


def test_clerk_group_has_report_writing_but_not_finalising():
    perms = set(Group.objects.get(name="录入员").permissions.values_list("codename", flat=True))
    assert {"change_annualreport", "add_workrecord"} <= perms
    assert "finalise_annualreport" not in perms and "reopen_annualreport" not in perms


def test_new_report_lists_this_years_problems_and_how_last_years_stand(
    clerk, leader, justice_office
):
    from tasks import services as ts

    for year, source, title in (
        (2020, "年度报告", "普法宣传存在盲区"),
        (2021, "督察", "执法记录不完整"),
    ):
        ts.problem_register(
            by=clerk, source=source, year=year, document=f"{year}年报告",
            order=1, title=title, detail=f"{title}的具体表现。",
        )  # fmt: skip
    report = services.report_create(by=clerk, year=2021, span_from=2021)
    assert report.outline == "督察"
    sections = {s["heading"]: s["text"] for s in services.rendered(report)["sections"]}
    assert list(sections)[-4:] == [
        "二、存在的不足和原因",
        "三、党政主要负责人履行推进法治建设第一责任人职责情况",
        "四、2022年度推进法治政府建设的主要安排",
        "五、其他需要报告的情况",
    ]
    assert sections["二、存在的不足和原因"] == (
        "（一）执法记录不完整。执法记录不完整的具体表现。（问题来源：督察反馈）"
    )
    assert sections["（八）上年度存在问题整改情况。"].splitlines() == [
        "对2020年度查找出的1个问题逐项整改，截至2021年12月31日尚无整改销号的问题。",
        "1.普法宣传存在盲区（年度报告自查）：未交办整改任务。",
    ]


def test_command_writes_docx_xlsx_and_html(report, tmp_path):
    from django.core.management import call_command

    for fmt in ("docx", "xlsx", "html"):
        out = tmp_path / f"report.{fmt}"
        call_command("annual_report", "2020", "--format", fmt, "-o", str(out), stdout=io.StringIO())
        assert out.stat().st_size > 500
    html = (tmp_path / "report.html").read_text()
    assert "2019—2020年全镇共受理信访案件2起" in html


def test_command_computes_a_report_not_yet_written_without_saving_it(clerk, tmp_path):
    from django.core.management import call_command

    out = tmp_path / "r.docx"
    call_command(
        "annual_report",
        "2021",
        "--span-from",
        "2019",
        "--format",
        "docx",
        "-o",
        str(out),
        stdout=io.StringIO(),
    )
    text = "\n".join(p.text for p in Document(str(out)).paragraphs)
    assert "一、2021年度推进法治政府建设的主要举措和成效" in text
    assert "全年未收到信访件。全年未受理矛盾纠纷。" not in text  # each its own measure
    assert "一是全年未收到信访件。二是全年未受理矛盾纠纷。" in text
    assert not AnnualReport.objects.filter(year=2021).exists()


def test_workbench_reminds_of_last_years_report_a_month_before_1_march(clerk, leader):
    from reports.selectors import open_deadlines_for

    assert open_deadlines_for(clerk, today=dt.date(2021, 1, 20)) == []
    items = open_deadlines_for(clerk, today=dt.date(2021, 2, 10))
    assert [(i["title"], i["days_left"], i["light"]) for i in items] == [
        ("2020年度法治政府建设报告报送上级", 19, "amber")
    ]
    services.report_create(by=clerk, year=2020, span_from=2020, sections=[(0, "", "正文。")])
    services.report_finalise(AnnualReport.objects.get(year=2020), by=leader)
    late = open_deadlines_for(leader, today=dt.date(2021, 4, 3))
    assert [(i["title"], i["days_left"]) for i in late] == [
        ("2020年度法治政府建设报告向社会公开", -2)
    ]


def test_workbench_stops_reminding_a_month_after_the_deadline(clerk):
    from reports.selectors import open_deadlines_for

    assert open_deadlines_for(clerk, today=dt.date(2021, 11, 30)) == []


def test_dashboard_big_numbers_say_which_area_they_belong_to(client, leader, report):
    client.force_login(leader)
    text = client.get("/reports/dashboard/?from=2019&to=2020").content.decode()
    assert "信访 · 答复率" in text and "矛盾纠纷 · 答复率" in text


def test_downloads_are_cached_until_a_section_or_the_data_changes(
    client, report, clerk, justice_office, django_assert_max_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(clerk)
    url = "/reports/annual/2020/export/docx/"

    def body():
        doc = Document(io.BytesIO(client.get(url).content))
        return "\n".join(p.text for p in doc.paragraphs)

    with CaptureQueriesContext(connection) as built:
        first = client.get(url).content
    # Session, user, two for permissions, report, data version, sections: no figures, no docx.
    with django_assert_max_num_queries(7) as served:
        assert client.get(url).content == first
    assert len(served) < len(built)
    xlsx = client.get("/reports/annual/2020/export/xlsx/").content
    assert client.get("/reports/annual/2020/export/xlsx/").content == xlsx != first

    services.report_update_section(
        report.sections.get(order=3), by=clerk, heading="（一）化解矛盾。",
        text="共{span.petitions.total}起信访。",
    )  # fmt: skip
    assert "共2起信访。" in body()
    _petition(clerk, justice_office, dt.date(2020, 5, 6))  # through the service
    assert "共3起信访。" in body()
    assert client.get("/reports/annual/2020/export/xlsx/").content != xlsx
