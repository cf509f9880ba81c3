"""The reports of the demo township, 2016 to this year (one demo load for the module).

- 2020 reproduces `shared/seed-report-2020.txt` line by line, every figure from the records.
- The drafts of 2021 and 2023 are written from those years' own records (issue 11, done when).
- A figure is a promise: every figure link of the dashboard and of the report, for a year and
  for a span, opens a list whose 共 N 条 (or banner total, for a sum) is the figure.
"""

import datetime as dt
import io
import re
from pathlib import Path

import pytest
from django.core.management import call_command
from django.utils import timezone

from miaoba.models import User
from reports import services
from reports.areas import AREAS, FigureBook
from reports.models import AnnualReport
from reports.tests.figure_links import check_links, expected_links, figure_links, list_count

# The real 2020 report of 庙坝镇 (../shared/seed-report-2020.txt), kept beside the tests so that a
# fresh clone, as CI makes, checks it too.
SEED = Path(__file__).resolve().parent / "data" / "seed-report-2020.txt"


def _seed_lines() -> list[str]:
    """The seed report's lines, with its hyphen year range written the one way (2016—2020年,
    GB/T 15834) and its typo 法治延寿建设 corrected."""
    text = SEED.read_text(encoding="utf-8")
    text = text.replace("2016-2020年", "2016—2020年").replace("法治延寿建设", "法治政府建设")
    return [line.strip() for line in text.splitlines() if line.strip()]


def _lines(data: dict) -> list[str]:
    lines = list(data["title_lines"])
    for s in data["sections"]:
        if s["level"] == 1:
            lines.append(s["heading"])
            lines += [t for t in s["text"].split("\n") if t]
        else:
            lines.append(s["heading"] + s["text"])
    return lines


def test_2020_reproduces_the_seed_report_line_by_line(demo):
    report = AnnualReport.objects.get(year=2020)
    data = services.rendered(report)
    assert _lines(data) == _seed_lines()
    assert data["gaps"] == [] and data["unknown"] == []
    assert data["title_lines"] == ["城口县庙坝镇人民政府2020年法治政府建设工作", "情况报告"]

    from disputes import services as ds
    from disputes.tests.builders import register_petition
    from miaoba.models import Unit

    register_petition(
        by=User.objects.get(username="clerk"),
        received_on=dt.date(2019, 6, 3),
        channel="来信",
        unit=Unit.objects.get(name="信访办"),
        summary="补登的一件",
        petitioners=[ds.PersonData(name="补登人")],
    )
    text = "\n".join(_lines(services.rendered(AnnualReport.objects.get(year=2020))))
    assert "2016—2020年全镇共受理信访案件219起" in text


def _draft(year: int, tmp_path) -> str:
    """Run `manage.py annual_report YEAR` (html) as the issue asks and return its text."""
    out = tmp_path / f"{year}.html"
    err = io.StringIO()
    call_command(
        "annual_report", str(year), "--format", "html", "-o", str(out),
        stdout=io.StringIO(), stderr=err,
    )  # fmt: skip
    assert err.getvalue() == "", err.getvalue()  # no gap, no unknown figure
    html = out.read_text(encoding="utf-8")
    body = html[html.index('<article class="official-doc">') :]
    return re.sub(r"<[^>]+>", "", body.replace("<br>", "\n"))


def _seed_sentences() -> list[str]:
    """The seed's sentences of fact, headings left out (an outline may share a heading)."""
    sentences = []
    for line in _seed_lines()[2:]:
        if re.match(r"[一二三四五]、", line):
            continue
        line = re.sub(r"^（[一二三四五六七八九十]+）[^。]*。", "", line)
        sentences += [s for s in re.split(r"[。；]", line) if len(s) > 12]
    return sentences


@pytest.mark.parametrize("year", [2021, 2023])
def test_drafts_of_later_years_are_written_from_their_own_records(demo, year, tmp_path):
    text = _draft(year, tmp_path)
    assert not AnnualReport.objects.filter(year=year).exists()  # computed, not saved
    # No sentence of the seed's sections: each year is written from its own facts.
    assert [s for s in _seed_sentences() if s in text] == []
    # No dash and no "0起" inside a sentence; year ranges are the only dashes.
    assert re.findall(r"—", re.sub(r"\d{4}—\d{4}年", "", text)) == []
    assert re.findall(r"(?<![\d.])0(?:起|件|次|场次|条|项|名|个)", text) == []
    assert "{" not in text and "【待补充" not in text
    # The problems are the year's own, with their source.
    from tasks.models import Problem

    own = list(Problem.objects.filter(year=year).values_list("title", flat=True))
    others = Problem.objects.exclude(year__in=[year, year - 1]).values_list("title", flat=True)
    problems = text[text.index("二、存在的不足和原因") : text.index("三、党政主要负责人")]
    assert own and all(f"{title}。" in problems for title in own)
    assert not any(title in problems for title in others)


def test_2021_draft_says_what_the_township_did_that_year(demo, tmp_path):
    text = _draft(2021, tmp_path)
    assert (
        "全年印发规范性文件3件，同比下降57.1%，即《庙坝镇行政执法公示实施办法》（庙坝府发〔2021〕1号）"
        in text
    )
    assert "作出重大行政决策1项（《庙坝镇场镇污水管网改造项目实施方案》）" in text
    assert "全年受理信访件31件，同比下降11.4%，主要涉及城乡建设（13件）" in text
    assert "排查调处矛盾纠纷98起，同比下降7.5%" in text
    assert "其中集体访2件。" in text
    assert "服务窗口9个、窗口工作人员9名" in text
    assert "镇长王平主持召开法治建设专题会议" in text
    assert "在2021年度镇党委班子民主生活会上述法" in text
    assert "对2020年度查找出的6个问题逐项整改，截至2021年12月31日已整改销号1个。" in text
    assert "（一）针对“行政执法全过程记录执行不到位”。配齐执法记录仪" in text


def test_2023_draft_says_what_did_not_happen_as_its_own_sentence(demo, tmp_path):
    text = _draft(2023, tmp_path)
    assert (
        "（二）完善依法行政制度体系。本年度未制定规范性文件。经核查，没有超过有效期仍标为有效的规范性文件。"
        in text
    )
    assert "全年未发生集体访。" in text
    assert "作出重大行政决策1项（《庙坝镇农贸市场迁建实施方案》）" in text
    assert "（一）重大行政决策合法性审查资料不完整。" in text
    assert "2.信访件办理质量不高（日常自查）：已完成，待销号" in text


def _leader_client(client):
    client.force_login(User.objects.get(username="leader"))
    return client


def test_every_dashboard_figure_link_opens_exactly_its_records(demo, client):
    client = _leader_client(client)
    today = timezone.localdate()
    for first, last, as_of in (
        (2023, 2023, dt.date(2023, 12, 31)),
        (2016, 2020, dt.date(2020, 12, 31)),
        (today.year, today.year, today),
    ):
        page = client.get(
            f"/reports/dashboard/?from={first}&to={last}&as_of={as_of:%Y-%m-%d}"
        ).content.decode()
        book = FigureBook(as_of)
        areas = [book.area(a.key, first, last) for a in AREAS]
        expected = expected_links(areas)
        links = figure_links(page)
        assert len(links) > 50, "the dashboard links its figures"
        assert links <= set(expected), f"links to no known figure: {links - set(expected)}"
        for area in areas:  # every big number is on the page, linked
            for key in area.headline:
                assert area.figures[key].url in links, (area.name, key)
        assert check_links(client, links, expected) == [], (first, last)


def test_every_report_figure_link_opens_exactly_its_records(demo, client):
    """The report page (figures its text uses) and its figure picker, for the year and span."""
    from django.test import Client

    author = Client()
    author.force_login(User.objects.get(username="clerk2"))
    client = _leader_client(client)
    report = AnnualReport.objects.get(year=timezone.localdate().year - 1)
    assert report.span_from < report.year
    book = FigureBook(report.as_of)
    periods = [(report.year, report.year), (report.span_from, report.year)]
    expected = expected_links([book.area(a.key, *p) for a in AREAS for p in periods])
    page = client.get(f"/reports/annual/{report.year}/").content.decode()
    picker = author.get(f"/reports/annual/{report.year}/sections/3/").content.decode()
    used, offered = figure_links(page), figure_links(picker)
    assert used and used <= offered <= set(expected)
    assert any(f"year={report.span_from}-{report.year}" in u for u in used)  # the span too
    assert check_links(client, offered, expected) == []
    # The 2020 report: its span figures (218 信访件 …) open 218 records.
    page = client.get("/reports/annual/2020/").content.decode()
    assert "/disputes/petitions/?year=2016-2020" in figure_links(page)


def test_a_span_means_the_same_in_every_list(demo, client):
    """`?year=2016-2020` keeps the records each area counts in those years."""
    client = _leader_client(client)
    assert list_count(client, "/disputes/petitions/?year=2016-2020") == 218
    assert list_count(client, "/disputes/cases/?year=2016-2020&figure=accepted") == 615
    assert list_count(client, "/docs/documents/?year=2016-2020&figure=issued") == 35
    assert list_count(client, "/docs/reviews/?year=2016-2020") == 17
    assert list_count(client, "/disputes/petitions/?year=2020") == 35
    assert list_count(client, "/disputes/cases/?year=2020") == 106


def test_demo_years_differ(demo):
    """Every year from 2016 has records, and no two years read alike."""
    today = timezone.localdate()
    book = FigureBook(None)
    seen = set()
    for year in range(2016, today.year):
        petitions = book.area("petitions", year, year)
        records = book.area("records", year, year)
        top = petitions.series["by_category"].top(1)[0].label
        fingerprint = (
            petitions.value("total"),
            book.area("disputes", year, year).value("accepted"),
            top,
            records.value("普法活动.sessions"),
        )
        assert petitions.value("total") and records.value("集体学法.count"), year
        assert fingerprint not in seen, year
        seen.add(fingerprint)
