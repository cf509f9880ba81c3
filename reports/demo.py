"""Demo work records, year figures and the 2020 report draft for `load_demo`.

The year figures are those the 2020 report states (服务窗口8个, 工作人员8名, 事项8项, 按时办结率
100%); the report's narrative is the 2020 report of 庙坝镇 with its numbers written as figure
keys, so every number comes out of the records. Deterministic; skipped when records exist.
"""

from __future__ import annotations

import datetime as dt
import random

from django.db import transaction

from miaoba.models import Unit, User
from reports import services
from reports.models import AnnualReport, WorkRecord, WorkRecordKind, YearFigure
from reports.seed_report import SECTIONS_2020, TITLE_2020

YEAR_FIGURES_2020 = {
    "service_windows": 8,
    "window_staff": 8,
    "service_items": 8,
    "on_time_rate": 100,
    "legal_advisors": 1,
}

# kind: (times a year, participants per session or None, materials per session or None)
RECORD_PLAN = {
    "集体学法": (10, 25, None),
    "法治培训": (3, 60, None),
    "普法活动": (6, 300, 500),
    "法律六进": (4, 150, 200),
    "专题会议": (2, 20, None),
    "法律咨询": (12, 8, None),
}


@transaction.atomic
def load_demo_records() -> str:
    """Create demo work records 2016–2020, the 2020 year figures and the 2020 report draft."""
    if WorkRecord.objects.exists() or AnnualReport.objects.exists():
        return ""
    rng = random.Random(2016)
    clerk = User.objects.get(username="clerk2")
    unit = Unit.objects.get(name="党政办公室")
    kinds = {k.name: k for k in WorkRecordKind.objects.all()}
    made = 0
    for year in range(2016, 2021):
        for name, (times, people, copies) in RECORD_PLAN.items():
            for i in range(times):
                on = dt.date(year, 1 + (i * 12 // times), 1) + dt.timedelta(
                    days=rng.randrange(0, 25)
                )
                WorkRecord.objects.create(
                    on=on,
                    kind=kinds[name],
                    title=f"{year}年第{i + 1}次{name}",
                    sessions=1,
                    participants=people + rng.randrange(0, 10) if people else None,
                    materials=copies + rng.randrange(0, 50) if copies else None,
                    unit=unit,
                    created_by=clerk,
                )
                made += 1
    for key, value in YEAR_FIGURES_2020.items():
        YearFigure.objects.create(
            year=2020, key=key, value=value, source="镇便民服务中心年度统计", entered_by=clerk
        )
    report = services.report_create(
        by=clerk,
        year=2020,
        span_from=2016,
        as_of=dt.date(2020, 12, 31),
        title=TITLE_2020,
        sections=SECTIONS_2020,
    )
    report.addressee = "县司法局"
    report.written_on = dt.date(2021, 1, 15)
    report.save(update_fields=["addressee", "written_on"])
    return f"演示工作记录 {made} 条、2020年度指标和2020年度报告草稿已载入。"
