"""The figures a dashboard or a report may use, gathered from every area's `selectors.py`.

Each area offers `report_figures(first_year, last_year, *, as_of)` returning dicts (key, label,
unit, value, url). Here they are collected for the report's year (keys as given, e.g.
"petitions.total") and for its cumulative span (keys prefixed "span.", e.g.
"span.petitions.total"), together with the year figures and work records of this app.

In a report's narrative a figure is written `{key}`, e.g. "2016-2020年共受理信访案件
{span.petitions.total}起"; `render_text` puts the values in.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import asdict, dataclass
from decimal import Decimal
from importlib import import_module

from django.db.models import Count, Sum
from django.urls import reverse

from miaoba.roles import AREA_APPS
from miaoba.workcalendar import WorkCalendar
from reports.models import WorkRecord, WorkRecordKind, YearFigure

PLACEHOLDER = re.compile(r"\{([A-Za-z0-9_.\u4e00-\u9fff]+)\}")


@dataclass(frozen=True)
class Figure:
    """One figure: `value` is an int, a Decimal (rates in %, one decimal) or None (nothing to
    divide, shown "—"); `url` lists the records behind it (None for a hand-entered figure)."""

    key: str
    label: str
    unit: str
    value: int | Decimal | str | None
    url: str | None = None
    period: str = ""

    @property
    def display(self) -> str:
        """Return the value as printed: 218, 98.7%, 1,234.50 (元), or — when there is none."""
        return format_value(self.value, self.unit)


def format_value(value, unit: str) -> str:
    """Format a figure for a page or the report: a rate "98.7%", a count "218", None "—"."""
    if value is None:
        return "—"
    if unit == "%":
        return f"{Decimal(value).quantize(Decimal('0.1'))}%".replace(".0%", "%")
    if unit == "元":
        return f"{Decimal(value):,.2f}"
    if isinstance(value, Decimal) and value == value.to_integral_value():
        return str(int(value))
    return str(value)


def _period(first: int, last: int) -> str:
    return f"{first}年" if first == last else f"{first}-{last}年"


# The big numbers on top of the dashboard: key and the label shown there.
DASHBOARD_KEYS = {
    "petitions.total": "信访件数",
    "petitions.reply_rate": "信访答复率",
    "petitions.on_time_conclusion_rate": "信访按期办结率",
    "disputes.accepted": "矛盾纠纷受理数",
    "disputes.success_rate": "调解成功率",
    "disputes.reply_rate": "纠纷答复率",
    "documents.issued": "印发规范性文件",
    "reviews.total": "法律顾问审查件数",
    "reviews.opinions": "提出建议意见",
    "tasks.completion_rate": "整改完成率",
    "tasks.overdue": "超期未完成整改任务",
}

GROUPS = {
    "petitions": "信访",
    "disputes": "矛盾纠纷",
    "documents": "规范性文件",
    "reviews": "法律顾问审查",
    "decisions": "重大行政决策",
    "tasks": "整改任务",
    "problems": "整改任务",
    "records": "工作记录",
    "year": "年度指标",
    "period": "报告期间",
}


def group_of(key: str) -> str:
    """Return the Chinese name of the area a figure key belongs to ("petitions.total" → 信访)."""
    head = key.removeprefix("span.").split(".", 1)[0]
    return GROUPS.get(head, "其他")


def other_area_figures(first: int, last: int, as_of: dt.date | None, calendar) -> list[dict]:
    """Return `report_figures` of every area except disputes (which the dashboard reads itself)."""
    return _area_figures(first, last, as_of, calendar, skip={"disputes"})


def record_figures(first: int, last: int, as_of: dt.date | None) -> list[dict]:
    """Return the work-record figures of a period; see `_record_figures`."""
    return _record_figures(first, last, as_of)


def _area_figures(
    first: int, last: int, as_of: dt.date | None, calendar, skip: frozenset | set = frozenset()
) -> list[dict]:
    out: list[dict] = []
    for app in AREA_APPS:
        if app in skip or app == "reports":
            continue
        try:
            selectors = import_module(f"{app}.selectors")
        except ModuleNotFoundError as exc:
            if exc.name not in {app, f"{app}.selectors"}:
                raise
            continue
        if hasattr(selectors, "report_figures"):
            kwargs = {"as_of": as_of}
            if "calendar" in selectors.report_figures.__code__.co_varnames:
                kwargs["calendar"] = calendar
            out.extend(selectors.report_figures(first, last, **kwargs))
    return out


def _record_figures(first: int, last: int, as_of: dt.date | None) -> list[dict]:
    """Work records by kind: 场次, 人次, 宣传资料份数 for the period (one query, plus kinds)."""
    records = WorkRecord.objects.active().filter(on__year__gte=first, on__year__lte=last)
    if as_of:
        records = records.filter(on__lte=as_of)
    sums = {
        row["kind"]: row
        for row in records.values("kind").annotate(
            n=Count("id"),
            sessions=Sum("sessions"),
            people=Sum("participants"),
            copies=Sum("materials"),
        )
    }
    years = str(first) if first == last else f"{first}-{last}"
    out = []
    for kind in WorkRecordKind.objects.all():
        row = sums.get(kind.pk, {})
        url = f"{reverse('reports:record_list')}?year={years}&kind={kind.pk}"
        for suffix, label, unit, value in (
            ("sessions", "场次", "场", row.get("sessions") or 0),
            ("participants", "人次", "人次", row.get("people") or 0),
            ("materials", "宣传资料", "份", row.get("copies") or 0),
        ):
            out.append(
                {
                    "key": f"records.{kind.name}.{suffix}",
                    "label": f"{kind.name}{label}",
                    "unit": unit,
                    "value": value,
                    "url": url,
                }
            )
    return out


def _year_figures(year: int) -> list[dict]:
    entered = {f.key: f for f in YearFigure.objects.filter(year=year)}
    url = f"{reverse('reports:yearfigure_list')}?year={year}"
    return [
        {
            "key": f"year.{key}",
            "label": label,
            "unit": YearFigure.UNITS[key],
            "value": entered[key].value if key in entered else None,
            "url": url,
        }
        for key, label in YearFigure.Key.choices
    ]


def collect(
    year: int, span_from: int | None = None, *, as_of: dt.date | None = None
) -> dict[str, Figure]:
    """Return every figure for `year` and, prefixed "span.", for `span_from`–`year`.

    Keys are stable (the report's narrative refers to them). The number of queries is fixed,
    whatever the number of records: the areas' selectors' budgets, twice, plus three here.
    """
    calendar = WorkCalendar.load()
    span_from = span_from or year
    figures: dict[str, Figure] = {}
    for prefix, first in (("", year), ("span.", span_from)):
        period = _period(first, year)
        rows = _area_figures(first, year, as_of, calendar) + _record_figures(first, year, as_of)
        for row in rows:
            key = prefix + row["key"]
            figures[key] = Figure(
                key, row["label"], row["unit"], row["value"], row.get("url"), period
            )
    spans = str(year) if span_from == year else f"{span_from}-{year}"
    for key, label, value in (
        ("period.year", "报告年度", str(year)),
        ("period.span", "累计年度区间", spans),
        ("period.next", "下一年度", str(year + 1)),
    ):
        figures[key] = Figure(key, label, "", value, None, "")
    for row in _year_figures(year):
        figures[row["key"]] = Figure(
            row["key"], row["label"], row["unit"], row["value"], row["url"], _period(year, year)
        )
    return figures


def render_text(text: str, figures: dict[str, Figure]) -> tuple[str, list[str]]:
    """Put figure values into a narrative: "{span.petitions.total}起" → "218起".

    Returns (text, unknown keys); an unknown key is left as written so the editor sees it.
    """
    unknown: list[str] = []

    def put(match: re.Match) -> str:
        figure = figures.get(match.group(1))
        if figure is None:
            unknown.append(match.group(1))
            return match.group(0)
        return figure.display

    return PLACEHOLDER.sub(put, text), unknown


def freeze(figures: dict[str, Figure]) -> dict[str, dict]:
    """Return the figures as JSON-safe dicts (values as strings) for a finalised report."""
    out = {}
    for key, figure in figures.items():
        data = asdict(figure)
        data["value"] = None if figure.value is None else str(figure.value)
        data["display"] = figure.display
        out[key] = data
    return out


def thaw(frozen: dict[str, dict]) -> dict[str, Figure]:
    """Return the figures of a finalised report as they were stored."""
    out = {}
    for key, data in frozen.items():
        value = data["value"]
        if key.startswith("period."):
            pass
        elif value is not None:
            value = Decimal(value)
            if value == value.to_integral_value() and data["unit"] not in {"%", "元"}:
                value = int(value)
        out[key] = Figure(
            key, data["label"], data["unit"], value, data.get("url"), data.get("period", "")
        )
    return out
