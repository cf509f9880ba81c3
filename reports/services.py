"""Writes on annual reports: create from an outline, edit a section, finalise, re-open; and
the report as it reads (`rendered`).

Each is `report_<action>` with keyword-only arguments, in one transaction, recording the act
(`ReportEvent`). Raises `django.core.exceptions.ValidationError` with a Chinese message when
the act is not allowed.
"""

from __future__ import annotations

import datetime as dt
import json
import re

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from miaoba.records import bulk_save, check_token_unused, save_new_once, void_record
from reports import tokens
from reports.areas import AREA_BY_KEY, FigureBook
from reports.composer import Context, compose
from reports.models import AnnualReport, ReportEvent, ReportSection, WorkRecord, YearFigure
from reports.outlines import OUTLINES, default_outline_for

SUBMIT_BY = (3, 1)  # 3月1日 of the next year: sent to the level above
PUBLISH_BY = (4, 1)  # 4月1日 of the next year: published
# Source: 《法治政府建设与责任落实督察工作规定》(2019) 第二十四条.


def report_deadlines(year: int) -> tuple[dt.date, dt.date]:
    """Return (submit by, publish by) for the report of `year`: 1 March and 1 April after it."""
    return dt.date(year + 1, *SUBMIT_BY), dt.date(year + 1, *PUBLISH_BY)


def town_name(issuer: str) -> str:
    """Return the township's short name from the issuing organ: 城口县庙坝镇人民政府 → 庙坝镇."""
    name = issuer.removesuffix("人民政府")
    for county_end in ("县", "区", "市"):
        head, sep, tail = name.partition(county_end)
        if sep and tail.endswith(("镇", "乡", "街道")):
            return tail
    return name or "本镇"


def default_title(year: int, issuer: str = "城口县庙坝镇人民政府") -> str:
    """Return the title a new report starts with: 城口县庙坝镇人民政府2021年法治政府建设工作情况报告."""
    return f"{issuer}{year}年法治政府建设工作情况报告"


@transaction.atomic
def report_create(
    *,
    by,
    year: int,
    span_from: int | None = None,
    as_of: dt.date | None = None,
    title: str = "",
    outline: str | None = None,
    sections: list[tuple[int, str, str]] | None = None,
) -> AnnualReport:
    """Create the draft report of `year` from an outline (`reports.outlines`); one per year.

    The outline defaults to the 督察工作规定 five contents from 2021 and to the 2020 shape
    before. Each section is written by its composer until someone edits it. `sections`
    ([(level, heading, text)]) instead gives the author's own text for every section. `as_of`
    defaults to 31 December of `year` or today, whichever is earlier. Raises ValidationError
    when the year already has a report or `span_from` is after `year`.
    """
    if AnnualReport.objects.filter(year=year).exists():
        raise ValidationError({"year": f"{year}年度的报告已存在，请直接打开编辑。"})
    span_from = span_from or year
    if span_from > year:
        raise ValidationError({"span_from": "累计起始年度不能晚于报告年度。"})
    as_of = as_of or min(dt.date(year, 12, 31), timezone.localdate())
    outline = outline or default_outline_for(year)
    report = AnnualReport.objects.create(
        year=year,
        span_from=span_from,
        as_of=as_of,
        title=title or default_title(year),
        outline=outline,
        created_by=by,
    )
    if sections is not None:
        areas = {spec.compose: list(spec.areas) for spec in OUTLINES[outline]}
        rows = []
        for i, (level, heading, text, *composer) in enumerate(sections, start=1):
            name = composer[0] if composer else ""
            rows.append(
                ReportSection(report=report, order=i, level=level, heading=heading, text=text,
                              edited=True, compose=name, areas=areas.get(name, []))
            )  # fmt: skip
    else:
        rows = [
            ReportSection(
                report=report, order=i, level=spec.level, heading=spec.heading_for(year),
                compose=spec.compose, areas=list(spec.areas),
            )
            for i, spec in enumerate(OUTLINES[outline], start=1)
        ]  # fmt: skip
    # With their first history rows, so the 修改记录 shows each later change old → new.
    bulk_create_with_history(rows, ReportSection, default_user=by)
    ReportEvent.objects.create(report=report, action="创建", by=by)
    return report


def _require_draft(report: AnnualReport) -> None:
    if report.status == AnnualReport.Status.FINAL:
        raise ValidationError("报告已定稿，不能修改。如需修改，请领导先“重新打开”。")


@transaction.atomic
def report_update_section(section: ReportSection, *, by, heading: str, text: str) -> ReportSection:
    """Change a section's heading and narrative (the author's text wins from then on);
    refused once the report is final."""
    report = AnnualReport.objects.select_for_update().get(pk=section.report_id)
    _require_draft(report)
    if not heading.strip() and section.level:
        raise ValidationError({"heading": "请填写标题。"})
    section.heading = heading.strip()
    section.text = text.strip()
    section.edited = True
    section.save(update_fields=["heading", "text", "edited"])
    ReportEvent.objects.create(report=report, action="修改", note=section.heading[:50], by=by)
    return section


@transaction.atomic
def report_reset_section(section: ReportSection, *, by) -> ReportSection:
    """Give a section back to its composer (恢复自动生成): the author's text is dropped (it stays
    in the 修改记录). Refused once the report is final or for a section with no composer."""
    report = AnnualReport.objects.select_for_update().get(pk=section.report_id)
    _require_draft(report)
    if not section.compose:
        raise ValidationError("该段落没有自动生成的内容，不能恢复。")
    section.text = ""
    section.edited = False
    section.save(update_fields=["text", "edited"])
    ReportEvent.objects.create(
        report=report, action="恢复自动生成", note=section.heading[:50], by=by
    )
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


def context(report: AnnualReport, book: FigureBook | None = None) -> Context:
    """Return the composers' context for `report` (a new FigureBook unless one is given)."""
    return Context(
        year=report.year,
        span_from=report.span_from,
        as_of=report.as_of,
        town=town_name(report.issuer),
        book=book or FigureBook(report.as_of),
    )


def rendered(report: AnnualReport, book: FigureBook | None = None) -> dict:
    """Return the report as it reads: header, sections with figures put in, gaps, figures used.

    A final report is read from what was frozen. A draft is written now: a section nobody
    edited is what its composer writes from the records today; an edited one is the author's
    text, with the composer's current text as `suggestion`. Shape: {"title", "title_lines",
    "doc_number", "addressee", "issuer", "written_on", "published_on", "year", "span_from",
    "as_of", "outline", "sections": [{"order", "level", "heading", "text", "areas" (Chinese
    names), "edited", "suggestion" (str or None)}], "gaps": [str], "unknown": [str], "used":
    [{"area", "label", "period", "display", "unit", "url"}] in report order, once each}.
    """
    if report.status == AnnualReport.Status.FINAL and report.frozen:
        data = dict(report.frozen)
        for key in ("written_on", "published_on", "as_of"):
            data[key] = dt.date.fromisoformat(data[key]) if data.get(key) else None
        data.setdefault("gaps", [])
        data.setdefault("unknown", [])
        data.setdefault("used", [])
        data.setdefault("title_lines", title_lines(data["title"], None))
        return data
    ctx = context(report, book)
    sections, gaps, unknown, used = [], [], [], []

    def put(text: str) -> str:
        out = tokens.render(text, ctx.book, year=report.year, span_from=report.span_from)
        gaps.extend(out.gaps)
        unknown.extend(out.unknown)
        used.extend(out.used)
        return out.text

    for section in report.sections.all():
        composed = compose(section.compose, ctx) if section.compose else ""
        own = section.edited or not section.compose
        text = put(section.text if own else composed)
        suggestion = None
        if own and section.compose:
            suggestion = tokens.render(
                composed, ctx.book, year=report.year, span_from=report.span_from
            ).text
        sections.append(
            {
                "order": section.order,
                "level": section.level,
                "heading": put(section.heading),
                "text": text,
                "areas": [AREA_BY_KEY[a].name for a in section.areas if a in AREA_BY_KEY],
                "edited": own,
                "suggestion": suggestion if suggestion != text else None,
            }
        )
    seen, used_rows = set(), []
    for u in used:
        slot = (u.area, u.figure.label, u.period)
        if slot not in seen:
            seen.add(slot)
            used_rows.append(
                {
                    "area": u.area,
                    "label": u.figure.label,
                    "period": u.period,
                    "display": u.figure.display,
                    "unit": u.figure.unit,
                    "url": u.figure.url,
                }
            )
    return {
        "title": report.title,
        "title_lines": title_lines(report.title, report.title_break),
        "doc_number": report.doc_number,
        "addressee": report.addressee,
        "issuer": report.issuer,
        "written_on": report.written_on,
        "published_on": report.published_on,
        "year": report.year,
        "span_from": report.span_from,
        "as_of": report.as_of,
        "outline": report.outline,
        "sections": sections,
        "gaps": list(dict.fromkeys(gaps)),
        "unknown": sorted(set(unknown)),
        "used": used_rows,
    }


# Words a title may break between (a line never splits one), longest first.
TITLE_WORDS = ("人民政府", "法治政府", "工作情况", "工作", "情况", "报告", "建设", "年度")
TITLE_LINE_CHARS = 20  # 2号 (22 pt) characters in the 156 mm type area


def _width(text: str) -> float:
    """Return a text's width in full-width characters (digits and Latin letters count half)."""
    return sum(0.5 if ord(ch) < 128 else 1 for ch in text)


def title_lines(title: str, first_line: int | None) -> list[str]:
    """Break the title into lines as GB/T 9704 §7.3.1 wants: words kept whole, lines within
    the type area, the upper line the longer (梯形). `first_line` (the author's choice) is the
    number of characters on the first line, digits counting half.

    `title_lines("城口县庙坝镇人民政府2021年法治政府建设工作情况报告", None)` →
    ["城口县庙坝镇人民政府2021年法治政府建设", "工作情况报告"].
    """
    title = title.strip()
    if first_line:
        taken, width = 0, 0.0
        for ch in title:
            if width + _width(ch) > first_line:
                break
            width += _width(ch)
            taken += 1
        return [title[:taken], title[taken:]] if 0 < taken < len(title) else [title]
    if _width(title) <= TITLE_LINE_CHARS:
        return [title]
    cuts = _word_cuts(title)
    fitting = [c for c in cuts if _width(title[:c]) <= TITLE_LINE_CHARS]
    cut = max(fitting) if fitting else len(title) // 2
    return [title[:cut], *title_lines(title[cut:], None)]


def _word_cuts(title: str) -> list[int]:
    """Return the positions between words: after a year (2021年), a place or organ name ending
    in 县/镇/乡/政府, and around the words of `TITLE_WORDS`."""
    cuts = set()
    for match in re.finditer(r"\d{4}年(度)?|[县镇乡]|政府", title):
        cuts.add(match.end())
    for word in TITLE_WORDS:
        start = 0
        while (i := title.find(word, start)) >= 0:
            cuts.update((i, i + len(word)))
            start = i + 1
    return sorted(c for c in cuts if 0 < c < len(title))


def _gap_message(gaps: list[str]) -> str:
    return (
        "报告中还有待补充的内容，不能定稿："
        + "；".join(f"【待补充：{g}】" for g in gaps)
        + "。请在对应段落中补写，或在“年度指标”中填报后再定稿。"
    )


@transaction.atomic
def report_finalise(report: AnnualReport, *, by) -> AnnualReport:
    """Freeze the report (定稿): store its text and figures as they are now.

    Later changes of records do not change a final report. Raises ValidationError when it is
    already final, when a 【待补充】 gap remains (naming each), or when its text names a figure
    that does not exist.
    """
    report = AnnualReport.objects.select_for_update().get(pk=report.pk)
    _require_draft(report)
    book = FigureBook(report.as_of)
    data = rendered(report, book)
    if data["gaps"]:
        raise ValidationError(_gap_message(data["gaps"]))
    if data["unknown"]:
        raise ValidationError(
            "正文中有无法识别的数据：" + "、".join(data["unknown"]) + "，请修改后再定稿。"
        )
    from reports.exports import annex_rows

    data["annex"] = annex_rows(report, data, book)
    for key in ("written_on", "published_on", "as_of"):
        data[key] = data[key].isoformat() if data[key] else None
    data.pop("unknown")
    report.frozen = json.loads(json.dumps(data, default=str))
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


@transaction.atomic
def work_records_import(
    new: list[WorkRecord], changed: list[tuple[WorkRecord, dict]], *, by
) -> list[WorkRecord]:
    """Write a work-record ledger (工作记录台账) in bulk; return the new records, saved.

    `new` are unsaved records, entered by `by` as `work_record_create` enters them; `changed`
    pairs a record on file with its new field values (field → value), saved as
    `work_record_update` saves them (a voided record is refused: ValidationError). One insert
    each for the records and their history rows, one update for the changes and their history
    rows, every history row naming `by` (`miaoba.records.bulk_save`).
    """
    for record in new:
        record.created_by = by
    fields: set[str] = set()
    for record, values in changed:
        if record.is_voided:
            raise ValidationError("该工作记录已作废，不能修改。")
        for name, value in values.items():
            setattr(record, name, value)
        fields |= set(values)
    bulk_save(WorkRecord, new=new, changed=[r for r, _v in changed], fields=fields, by=by)
    return new


@transaction.atomic
def year_figures_save(figures: dict[tuple[int, str], tuple], *, by) -> dict[str, int]:
    """Save hand-entered year figures (年度指标), from the year's form or a ledger file.

    `figures` maps (year, key) to (value, source): a value (Decimal, the figure's unit) saves
    it, None deletes the figure of that year. A figure whose value and source are already on
    file is left as it is; one written or changed names `by` as 录入人 and gets a history row
    naming `by`. One query reads what is on file, one insert, one update and one delete write
    the whole lot. Returns {"created": n, "updated": n, "deleted": n}.
    """
    years = {year for year, _key in figures}
    on_file = {(f.year, f.key): f for f in YearFigure.objects.filter(year__in=years)}
    new, changed, gone = [], [], []
    for (year, key), (value, source) in figures.items():
        figure = on_file.get((year, key))
        if value is None:
            if figure is not None:
                gone.append(figure.pk)
        elif figure is None:
            new.append(YearFigure(year=year, key=key, value=value, source=source, entered_by=by))
        elif (figure.value, figure.source) != (value, source):
            figure.value, figure.source, figure.entered_by = value, source, by
            changed.append(figure)
    bulk_save(YearFigure, new=new, changed=changed, fields=("value", "source", "entered_by"), by=by)
    if gone:
        for figure in YearFigure.objects.filter(pk__in=gone):
            figure._history_user = by
            figure.delete()
    return {"created": len(new), "updated": len(changed), "deleted": len(gone)}
