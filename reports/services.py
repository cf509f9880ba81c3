"""Writes on annual reports: create from an outline, edit a section, finalise, re-open.

Each is `report_<action>` with keyword-only arguments, in one transaction, recording the act
(`ReportEvent`). Raises `django.core.exceptions.ValidationError` with a Chinese message when
the act is not allowed.
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from miaoba.records import check_token_unused, save_new_once, void_record
from reports import figures as fig
from reports.models import AnnualReport, ReportEvent, ReportSection, WorkRecord
from reports.seed_report import SECTIONS_2020

SUBMIT_BY = (3, 1)  # 3月1日 of the next year: sent to the level above
PUBLISH_BY = (4, 1)  # 4月1日 of the next year: published
# Source: 《法治政府建设与责任落实督察工作规定》(2019) 第二十四条.


def report_deadlines(year: int) -> tuple[dt.date, dt.date]:
    """Return (submit by, publish by) for the report of `year`: 1 March and 1 April after it."""
    return dt.date(year + 1, *SUBMIT_BY), dt.date(year + 1, *PUBLISH_BY)


_CN_NUMBERS = "一二三四五六七八九十"


def _cn(n: int) -> str:
    """Return 1–20 in Chinese numerals: 1 → 一, 12 → 十二."""
    if n <= 10:
        return _CN_NUMBERS[n - 1]
    return "十" + _CN_NUMBERS[n - 11] if n < 20 else "二十"


def default_outline(year: int) -> list[tuple[int, str, str]]:
    """Return the sections (level, heading, text) a new report starts from.

    Shape of DOMAIN.md §8 and the 2020 report of 庙坝镇: the opening paragraph and
    一、工作开展情况 with its eight subsections (the 2020 narrative, figures as {key}); then, when
    the `tasks` app holds last year's report problems, a subsection on how they were rectified;
    二、存在的主要问题 from this year's report problems (`tasks.selectors.problems_for_report`);
    三、下步整改思路 from their tasks' measures; 四、意见建议.
    """
    from tasks import selectors as tasks_selectors

    opening, rest = [], []
    part = opening
    for section in SECTIONS_2020:
        if section[1].startswith("二、"):
            part = rest
        part.append(section)
    work = list(opening)
    last_year = tasks_selectors.problem_rectification(year - 1)
    if last_year:
        lines = [
            f"{i}. {p['title']}：{p['state']}（整改任务{p['task_count']}项，已销号{p['closed']}项）。"
            for i, p in enumerate(last_year, start=1)
        ]
        work.append((2, f"（{_cn(9)}）上年度存在问题整改情况。", "\n".join(lines)))
    problems = tasks_selectors.problems_for_report(year)
    closing = [s for s in rest if s[1].startswith("四、")]
    if not problems:
        return work + list(rest)
    found = [(1, "二、存在的主要问题", "")] + [
        (2, f"（{_cn(i)}）{p['title']}。", p["detail"]) for i, p in enumerate(problems, start=1)
    ]
    steps = [(1, "三、下步整改思路", "")] + [
        (2, f"（{_cn(i)}）针对“{p['title']}”。", "".join(p["measures"]))
        for i, p in enumerate((p for p in problems if p["measures"]), start=1)
    ]
    return work + found + steps + closing


@transaction.atomic
def report_create(
    *,
    by,
    year: int,
    span_from: int | None = None,
    as_of: dt.date | None = None,
    title: str = "",
    sections: list[tuple[int, str, str]] | None = None,
) -> AnnualReport:
    """Create the draft report of `year` with its sections; one report per year.

    `as_of` defaults to 31 December of `year` or today, whichever is earlier. Raises
    ValidationError when the year already has a report or `span_from` is after `year`.
    """
    if AnnualReport.objects.filter(year=year).exists():
        raise ValidationError({"year": f"{year}年度的报告已存在，请直接打开编辑。"})
    span_from = span_from or year
    if span_from > year:
        raise ValidationError({"span_from": "累计起始年度不能晚于报告年度。"})
    as_of = as_of or min(dt.date(year, 12, 31), timezone.localdate())
    report = AnnualReport.objects.create(
        year=year,
        span_from=span_from,
        as_of=as_of,
        title=title or f"城口县庙坝镇人民政府{year}年法治政府建设工作情况报告",
        created_by=by,
    )
    # With their first history rows, so the 修改记录 shows each later change old → new.
    bulk_create_with_history(
        [
            ReportSection(report=report, order=i, level=level, heading=heading, text=text)
            for i, (level, heading, text) in enumerate(sections or default_outline(year), start=1)
        ],
        ReportSection,
        default_user=by,
    )
    ReportEvent.objects.create(report=report, action="创建", by=by)
    return report


def _require_draft(report: AnnualReport) -> None:
    if report.status == AnnualReport.Status.FINAL:
        raise ValidationError("报告已定稿，不能修改。如需修改，请领导先“重新打开”。")


@transaction.atomic
def report_update_section(section: ReportSection, *, by, heading: str, text: str) -> ReportSection:
    """Change a section's heading and narrative; refused once the report is final."""
    report = AnnualReport.objects.select_for_update().get(pk=section.report_id)
    _require_draft(report)
    if not heading.strip() and section.level:
        raise ValidationError({"heading": "请填写标题。"})
    section.heading = heading.strip()
    section.text = text.strip()
    section.save(update_fields=["heading", "text"])
    ReportEvent.objects.create(report=report, action="修改", note=section.heading[:50], by=by)
    return section


@transaction.atomic
def report_update_header(report: AnnualReport, *, by) -> AnnualReport:
    """Save the header fields set on `report` (draft only) and record the change.

    Raises ValidationError once the report is final, StaleRecord when someone saved it since
    it was loaded.
    """
    _require_draft(report)
    report.save()
    ReportEvent.objects.create(report=report, action="修改", note="报告信息", by=by)
    return report


def rendered(report: AnnualReport, figures: dict[str, fig.Figure] | None = None) -> dict:
    """Return the report as it reads: header, sections with figures put in, unknown keys.

    A final report is read from what was frozen; a draft computes its figures now (pass
    `figures` to reuse a computation). Shape: {"title", "doc_number", "addressee", "issuer",
    "written_on", "published_on", "year", "span_from", "as_of", "sections": [{"level",
    "heading", "text"}], "figures": {key: Figure}, "unknown": [keys]}.
    """
    if report.status == AnnualReport.Status.FINAL and report.frozen:
        data = dict(report.frozen)
        data["figures"] = fig.thaw(report.frozen["figures"])
        for key in ("written_on", "published_on", "as_of"):
            data[key] = dt.date.fromisoformat(data[key]) if data.get(key) else None
        data["unknown"] = []
        return data
    figures = (
        figures
        if figures is not None
        else fig.collect(report.year, report.span_from, as_of=report.as_of)
    )
    sections, unknown = [], []
    for section in report.sections.all():
        heading, missing_h = fig.render_text(section.heading, figures)
        text, missing_t = fig.render_text(section.text, figures)
        unknown += missing_h + missing_t
        sections.append({"level": section.level, "heading": heading, "text": text})
    return {
        "title": report.title,
        "doc_number": report.doc_number,
        "addressee": report.addressee,
        "issuer": report.issuer,
        "written_on": report.written_on,
        "published_on": report.published_on,
        "year": report.year,
        "span_from": report.span_from,
        "as_of": report.as_of,
        "sections": sections,
        "figures": figures,
        "unknown": sorted(set(unknown)),
    }


@transaction.atomic
def report_finalise(report: AnnualReport, *, by) -> AnnualReport:
    """Freeze the report (定稿): store its text and figures as they are now.

    Later changes of records do not change a final report. Raises ValidationError when it is
    already final or its narrative names a figure that does not exist.
    """
    report = AnnualReport.objects.select_for_update().get(pk=report.pk)
    _require_draft(report)
    data = rendered(report)
    if data["unknown"]:
        raise ValidationError(
            "正文中有无法识别的数据项："
            + "、".join(f"{{{k}}}" for k in data["unknown"])
            + "，请修改后再定稿。"
        )
    data["figures"] = fig.freeze(data["figures"])
    for key in ("written_on", "published_on", "as_of"):
        data[key] = data[key].isoformat() if data[key] else None
    data.pop("unknown")
    report.frozen = data
    report.status = AnnualReport.Status.FINAL
    report.save(update_fields=["frozen", "status", "updated_at"])
    ReportEvent.objects.create(report=report, action="定稿", by=by)
    return report


@transaction.atomic
def report_reopen(report: AnnualReport, *, by, reason: str) -> AnnualReport:
    """Re-open a final report (重新打开): a leader's act, recorded with its reason.

    The figures are computed afresh from then on. Raises ValidationError when the report is
    not final or no reason is given.
    """
    report = AnnualReport.objects.select_for_update().get(pk=report.pk)
    if report.status != AnnualReport.Status.FINAL:
        raise ValidationError("报告尚未定稿，无需重新打开。")
    if not reason.strip():
        raise ValidationError({"reason": "请写明重新打开的原因。"})
    report.status = AnnualReport.Status.DRAFT
    report.frozen = None
    report.save(update_fields=["frozen", "status", "updated_at"])
    ReportEvent.objects.create(report=report, action="重新打开", note=reason.strip(), by=by)
    return report


# --- Work records ----------------------------------------------------------------------------


@transaction.atomic
def work_record_create(record: WorkRecord, *, by, form_token=None) -> WorkRecord:
    """Save a new work record (工作记录登记) entered by `by`.

    Raises DuplicateSubmission (with the first record) when the form with `form_token` was
    already posted.
    """
    check_token_unused(WorkRecord, form_token)
    record.created_by = by
    record.form_token = form_token
    return save_new_once(record)


@transaction.atomic
def work_record_update(record: WorkRecord, *, by) -> WorkRecord:
    """Save a corrected work record; StaleRecord when someone saved it since it was loaded."""
    if record.is_voided:
        raise ValidationError("该工作记录已作废，不能修改。")
    record.save()
    return record


@transaction.atomic
def work_record_void(record: WorkRecord, *, by, reason: str) -> WorkRecord:
    """Void a work record entered in error (作废): kept, tagged 已作废, left out of the figures."""
    return void_record(record, by=by, reason=reason)
