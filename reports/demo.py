"""Demo work records, year figures and report drafts for `load_demo`, 2016 to this year.

- Work records of every year, named as a township names them (a study session's law, a
  training's topic, a publicity day), their number varying year to year, with the leader who
  chaired or took part where a leader did (the report's 第一责任人 section is written from them).
- Year figures of every past year (2020's as the 2020 report states them: 服务窗口8个, 工作人员
  8名, 事项8项, 按时办结率100%).
- The 2020 report as its author wrote it (`reports.seed_report`, every number a token computed
  from the records), and last year's report as a draft composed from the records.

Written in bulk (records) and through the services (reports). Deterministic; skipped when
records exist.
"""

from __future__ import annotations

import datetime as dt
import random

from django.db import transaction
from django.utils import timezone

from miaoba.models import Unit, User
from reports import services
from reports.models import AnnualReport, Outline, WorkRecord, WorkRecordKind, YearFigure
from reports.seed_report import TITLE_2020, sections_2020

SECRETARY = "镇党委书记刘强"
MAYOR = "镇长王平"

# kind: (times a year in 2016, change per year, participants per session, materials per session)
RECORD_PLAN = {
    "集体学法": (8, 0.3, 25, None),
    "中心组学法": (3, 0.25, 15, None),
    "法治培训": (2, 0.25, 60, None),
    "普法活动": (5, 0.3, 300, 500),
    "法律六进": (3, 0.3, 150, 200),
    "专题会议": (2, 0.1, 20, None),
    "法律咨询": (8, 0.6, 10, None),
    "执法检查": (2, 0.4, None, None),
    "民主法治示范村创建": (0, 0.12, None, None),
}
# What each kind was about (a township names its work).
TOPICS = {
    "集体学法": ["学习《中华人民共和国宪法》", "学习《中华人民共和国民法典》", "学习《中华人民共和国行政处罚法》",
             "学习《信访工作条例》", "学习《重大行政决策程序暂行条例》", "学习《中华人民共和国行政复议法》",
             "学习《中华人民共和国土地管理法》", "学习《优化营商环境条例》", "学习《中华人民共和国安全生产法》",
             "学习《中华人民共和国人民调解法》", "学习《保障农民工工资支付条例》", "学习《中华人民共和国森林法》"],
    "中心组学法": ["专题学习习近平法治思想", "学习《法治政府建设实施纲要》", "学习《党政主要负责人履行推进法治建设第一责任人职责规定》",
              "学习中央全面依法治国工作会议精神"],
    "法治培训": ["行政执法人员综合法律知识培训", "村（社区）“法律明白人”培训", "人民调解员业务培训",
             "信访工作条例专题培训", "基层干部依法行政能力培训", "行政执法案卷评查培训"],
    "普法活动": ["“宪法宣传周”集中宣传", "“民法典宣传月”进村入户宣传", "“3·15”消费者权益保护法治宣传",
             "防范电信网络诈骗法治宣传", "禁毒法治宣传", "农民工工资支付法治宣传", "森林防火法治宣传",
             "“安全生产月”法治宣传"],
    "法律六进": ["法律进学校：庙坝中学法治课", "法律进村（社区）：石兴村院坝会", "法律进企业：场镇企业用工法治讲座",
             "法律进机关：机关干部法治讲座", "法律进乡村：罗江村法治夜校", "法律进单位：卫生院医疗纠纷预防讲座"],
    "专题会议": ["镇党委会专题研究法治政府建设工作", "法治政府建设工作推进会", "全面依法治镇委员会会议"],
    "法律咨询": ["公共法律服务站法律咨询"],
    "执法检查": ["场镇占道经营联合执法检查", "森林防火执法检查", "安全生产执法检查", "农村建房执法巡查",
             "食品安全联合执法检查"],
    "民主法治示范村创建": ["石兴村创建民主法治示范村", "罗江村创建民主法治示范村", "联坪村创建民主法治示范村",
                   "庙坝社区创建民主法治示范社区"],
}  # fmt: skip

YEAR_FIGURES_2020 = {
    "service_windows": 8,
    "window_staff": 8,
    "service_items": 8,
    "on_time_rate": 100,
    "legal_advisors": 1,
}


def _year_figures(year: int) -> dict[str, float]:
    """The hand-entered figures of a year: 2020 as its report says; later years grow."""
    if year == 2020:
        return dict(YEAR_FIGURES_2020)
    later = max(year - 2020, 0)
    figures = {
        "service_windows": 6 + min(year - 2016, 2) + (later + 1) // 2,
        "window_staff": 6 + min(year - 2016, 2) + later,
        "service_items": 8 + later * 6 if year > 2020 else 6 + (year - 2016),
        "on_time_rate": 100 if year != 2022 else 98.6,
        "legal_advisors": 1 if year < 2024 else 2,
    }
    if year >= 2021:
        figures["certified_officers"] = 9 + (year - 2021) * 2
    return figures


def _leader(kind: str, i: int) -> tuple[str, str]:
    """Who chaired or took part, for the kinds a principal leader leads."""
    if kind == "专题会议":
        return (SECRETARY if i % 2 else MAYOR), "主持"
    if kind == "中心组学法":
        return SECRETARY, "主持"
    if kind == "集体学法" and i % 3 == 0:
        return MAYOR, "主持"
    if kind == "法治培训" and i == 0:
        return MAYOR, "讲授"
    return "", ""


def _records(year: int, last: dt.date, rng: random.Random, unit, clerk, kinds) -> list:
    records = []
    seen = set()
    for name, (base, growth, people, copies) in RECORD_PLAN.items():
        times = max(0, round(base * (1 + growth * (year - 2016)) + rng.choice([-1, 0, 0, 1])))
        if name == "民主法治示范村创建":
            times = 1 if year in (2018, 2020, 2022, 2024, 2025) else 0
        topics = TOPICS[name]
        for i in range(times):
            on = dt.date(year, 1 + (i * 12 // max(times, 1)), 1) + dt.timedelta(
                days=rng.randrange(2, 26)
            )
            if on > last:
                break
            topic = topics[(i + year) % len(topics)]
            if name == "法律咨询":
                topic = f"{topic}（{on.month}月）"
            if (on, name, topic) in seen:
                topic = f"{topic}（第{i + 1}次）"
            seen.add((on, name, topic))
            leader, part = _leader(name, i)
            records.append(
                WorkRecord(
                    on=on, kind=kinds[name], title=topic, sessions=1,
                    participants=people + rng.randrange(0, people // 2 + 5) if people else None,
                    materials=copies + rng.randrange(0, 80) if copies else None,
                    unit=unit, created_by=clerk, leader=leader, leader_part=part,
                )
            )  # fmt: skip
    # The principal leader reports on the year's rule-of-law work (述法) at the year's end.
    if year < 2026 or last >= dt.date(year, 12, 20):
        records.append(
            WorkRecord(
                on=dt.date(year, 12, 20) if year < last.year else last, kind=kinds["述法"],
                title=f"在{year}年度镇党委班子民主生活会上述法", sessions=1, unit=unit,
                created_by=clerk, leader=MAYOR, leader_part="述法",
            )
        )  # fmt: skip
    return records


@transaction.atomic
def load_demo_records() -> str:
    """Create work records 2016 to today, year figures, the 2020 report and last year's draft."""
    if WorkRecord.objects.exists() or AnnualReport.objects.exists():
        return ""
    today = timezone.localdate()
    clerk = User.objects.get(username="clerk2")
    unit = Unit.objects.get(name="党政办公室")
    kinds = {k.name: k for k in WorkRecordKind.objects.all()}
    records = []
    for year in range(2016, today.year + 1):
        rng = random.Random(year)
        last = min(dt.date(year, 12, 31), today - dt.timedelta(days=1))
        records += _records(year, last, rng, unit, clerk, kinds)
    WorkRecord.objects.bulk_create(records, batch_size=500)
    YearFigure.objects.bulk_create(
        [
            YearFigure(
                year=year, key=key, value=value, source="镇便民服务中心年度统计", entered_by=clerk
            )
            for year in range(2016, today.year)
            for key, value in _year_figures(year).items()
        ]
    )
    _bump()
    report = services.report_create(
        by=clerk,
        year=2020,
        span_from=2016,
        as_of=dt.date(2020, 12, 31),
        title=TITLE_2020,
        outline=Outline.SEED_2020,
        sections=sections_2020(),
    )
    report.addressee = "县司法局"
    report.written_on = dt.date(2021, 1, 15)
    report.title_break = 21  # as the 2020 report breaks it: …建设工作 / 情况报告
    report.save(update_fields=["addressee", "written_on", "title_break"])
    last_year = today.year - 1
    draft = services.report_create(by=clerk, year=last_year, span_from=last_year - 4)
    draft.addressee = "县司法局"
    draft.save(update_fields=["addressee"])
    return (
        f"演示工作记录 {len(records)} 条（2016—{today.year}年）、2016—{last_year}年度指标、"
        f"2020年度报告和{last_year}年度报告草稿已载入。"
    )


def _bump() -> None:
    """Tell the figure caches that records changed (bulk writes send no signal)."""
    try:
        from miaoba import dataversion
    except ImportError:
        return
    dataversion.bump()
