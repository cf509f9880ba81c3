"""Pages: the dashboard (统计), work records, year figures and the annual report."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from miaoba.caseviews import attach_errors, query_without_page, void_view
from miaoba.periods import span_text
from miaoba.records import (
    DuplicateSubmission,
    add_version_field,
    change_history,
    expect_version,
    history_entries,
    keep_input_after_conflict,
)
from reports import services, tokens
from reports.areas import AREA_BY_KEY, AREAS, FigureBook
from reports.charts import bar_chart
from reports.composer import compose
from reports.filters import WorkRecordFilter
from reports.forms import (
    ReopenForm,
    ReportCreateForm,
    ReportHeaderForm,
    SectionForm,
    WorkRecordForm,
    YearFiguresForm,
)
from reports.models import AnnualReport, ReportSection, WorkRecord, YearFigure

PAGE_SIZE = 20


# --- Dashboard -------------------------------------------------------------------------------


def _period_from(request: HttpRequest) -> tuple[int, int, dt.date]:
    """Read ?from=2016&to=2020&as_of=2020-12-31 (or ?year=2020); default: this year.

    Raises Http404 with a Chinese message for a year that is not a number or lies outside 2000
    to next year; a reversed span is read in order; an as-of date that is not a date is left
    out (the period's end).
    """
    today = timezone.localdate()
    latest = today.year + 1
    try:
        last = int(request.GET.get("to") or request.GET.get("year") or today.year)
        first = int(request.GET.get("from") or last)
    except ValueError:
        raise Http404("年度不正确：请写四位数字的年份，如 2020。") from None
    for year in (first, last):
        if not 2000 <= year <= latest:
            raise Http404(f"年度 {year} 超出范围：只能查看 2000 年至 {latest} 年。")
    first, last = min(first, last), max(first, last)
    try:
        as_of = dt.date.fromisoformat(request.GET["as_of"]) if request.GET.get("as_of") else None
    except ValueError:
        as_of = None
    return first, last, as_of or min(dt.date(last, 12, 31), today)


@permission_required("reports.view_dashboard", raise_exception=True)
@require_http_methods(["GET"])
def dashboard(request: HttpRequest) -> HttpResponse:
    """Show the figures of a year or a span with charts; every figure and bar links to records.

    Every area of `reports.areas.AREAS` alike: its headline figures as big numbers, its charts,
    and a table of its figures. A fixed number of queries whatever the number of records.
    """
    first, last, as_of = _period_from(request)
    book = FigureBook(as_of, items=False)  # the dashboard names no records
    big, charts, groups = [], [], []
    for area in AREAS:
        data = book.area(area.key, first, last)
        big += [
            (f.label if area.name in f.label else f"{area.name} · {f.label}", f)
            for f in (data.figures[k] for k in data.headline)
        ]
        charts += [
            (data.series[k].title, bar_chart(
                [(b.label, b.value, b.url) for b in data.series[k].bars if b.value or period_bar(b)],
                title=data.series[k].title, unit=data.series[k].unit,
            ))
            for k in data.charts
        ]  # fmt: skip
        shown = [
            f for f in data.figures.values()
            if not (area.key == "records" and not f.value)  # a kind not done says nothing
        ]  # fmt: skip
        if shown:
            groups.append((area.name, shown))
    this_year = timezone.localdate().year
    return render(
        request,
        "reports/dashboard.html",
        {
            "first": first,
            "last": last,
            "period_text": span_text(first, last),
            "as_of": as_of,
            "years": list(range(this_year, 2015, -1)),
            "big": big,
            "groups": groups,
            "charts": charts,
        },
    )


def period_bar(bar) -> bool:
    """Keep a zero bar when it is a month or a year (a trend shows its empty months)."""
    return bar.label.endswith(("月", "年"))


# --- Work records ----------------------------------------------------------------------------


@permission_required("reports.view_workrecord", raise_exception=True)
@require_http_methods(["GET"])
def record_list(request: HttpRequest) -> HttpResponse:
    """List work records with filters (year or span, kind, unit, keyword) and totals."""
    base = WorkRecord.objects.visible_to(request.user)
    filterset = WorkRecordFilter(request.GET or None, queryset=base)
    qs = (filterset.qs if filterset.is_bound else base.active()).select_related("kind", "unit")
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "reports/record_list.html",
        {
            "filter": filterset,
            "page_obj": page,
            "query_without_page": query_without_page(request),
            "query": request.GET.urlencode(),
        },
    )


@permission_required("reports.add_workrecord", raise_exception=True)
@require_http_methods(["GET", "POST"])
def record_create(request: HttpRequest) -> HttpResponse:
    """Enter a work record (工作记录登记)."""
    form = WorkRecordForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            record = services.work_record_create(
                form.save(commit=False), by=request.user, form_token=form.cleaned_data["form_token"]
            )
        except DuplicateSubmission as dup:
            messages.info(request, f"该登记表已提交过，未重复登记：{dup.record.title}。")
            return redirect("reports:record_edit", pk=dup.record.pk)
        messages.success(request, f"已登记工作记录：{record.title}")
        return redirect("reports:record_list")
    return render(request, "reports/record_form.html", {"form": form})


@permission_required("reports.change_workrecord", raise_exception=True)
@require_http_methods(["GET", "POST"])
def record_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Correct a work record of one of the user's units; 404 for another unit's."""
    record = get_object_or_404(WorkRecord.objects.visible_to(request.user), pk=pk)
    form = WorkRecordForm(request.POST or None, instance=record, user=request.user)
    add_version_field(form, record)
    if request.method == "POST" and form.is_valid():
        try:
            services.work_record_update(
                expect_version(record, form.cleaned_data["version"]), by=request.user
            )
        except ValidationError as e:
            attach_errors(form, e)
            keep_input_after_conflict(form, e)
        else:
            messages.success(request, f"已保存工作记录：{record.title}")
            return redirect("reports:record_list")
    return render(
        request,
        "reports/record_form.html",
        {
            "form": form,
            "record": record,
            "history": change_history(record, user=request.user),
            "can_void": not record.is_voided,
        },
    )


@permission_required("reports.change_workrecord", raise_exception=True)
@require_http_methods(["GET", "POST"])
def record_void(request: HttpRequest, pk: int) -> HttpResponse:
    """Void a work record entered in error (作废), with a reason and a confirmation."""
    record = get_object_or_404(WorkRecord.objects.visible_to(request.user), pk=pk)
    return void_view(
        request,
        record,
        void=services.work_record_void,
        back_url=reverse("reports:record_edit", args=[record.pk]),
        label=f"工作记录 {record}",
        title=f"工作记录“{record.title}”",
        done_url=reverse("reports:record_list"),
    )


# --- Year figures ----------------------------------------------------------------------------


@permission_required("reports.view_yearfigure", raise_exception=True)
@require_http_methods(["GET", "POST"])
def yearfigure_list(request: HttpRequest) -> HttpResponse:
    """Show and (with permission) enter the hand-entered figures of a year (年度指标)."""
    today = timezone.localdate()
    try:
        year = int(request.GET.get("year") or today.year)
    except ValueError:
        raise Http404("年度不正确") from None
    existing = {f.key: f for f in YearFigure.objects.filter(year=year).select_related("entered_by")}
    can_edit = request.user.has_perm("reports.change_yearfigure")
    form = YearFiguresForm(request.POST or None, year=year, existing=existing)
    if request.method == "POST":
        if not can_edit:
            return HttpResponse(status=403)
        if form.is_valid():
            services.year_figures_save(
                {
                    (year, key): (
                        form.cleaned_data[f"{key}__value"],
                        form.cleaned_data[f"{key}__source"],
                    )
                    for key in YearFigure.Key.values
                },
                by=request.user,
            )
            messages.success(request, f"已保存{year}年度指标")
            return redirect(f"{reverse('reports:yearfigure_list')}?year={year}")
    rows = [
        {
            "label": label,
            "unit": YearFigure.UNITS[key],
            "figure": existing.get(key),
            "value_field": form[f"{key}__value"],
            "source_field": form[f"{key}__source"],
        }
        for key, label in YearFigure.Key.choices
    ]
    return render(
        request,
        "reports/yearfigure_list.html",
        {
            "year": year,
            "rows": rows,
            "form": form,
            "can_edit": can_edit,
            "years": range(today.year, 2015, -1),
        },
    )


# --- Annual report ---------------------------------------------------------------------------


@permission_required("reports.view_annualreport", raise_exception=True)
@require_http_methods(["GET", "POST"])
def report_list(request: HttpRequest) -> HttpResponse:
    """List the annual reports with their deadlines; start a new one."""
    form = ReportCreateForm(
        request.POST or None, initial={"year": timezone.localdate().year - 1, "span_from": 2016}
    )
    if request.method == "POST":
        if not request.user.has_perm("reports.add_annualreport"):
            return HttpResponse(status=403)
        if form.is_valid():
            try:
                report = services.report_create(
                    by=request.user,
                    year=form.cleaned_data["year"],
                    span_from=form.cleaned_data["span_from"],
                    as_of=form.cleaned_data["as_of"],
                    outline=form.cleaned_data["outline"] or None,
                )
            except ValidationError as e:
                attach_errors(form, e)
            else:
                messages.success(request, f"已创建{report.year}年度报告草稿")
                return redirect("reports:report_detail", year=report.year)
    today = timezone.localdate()
    reports = []
    for report in AnnualReport.objects.all():
        submit_by, publish_by = services.report_deadlines(report.year)
        reports.append(
            {
                "report": report,
                "submit_by": submit_by,
                "publish_by": publish_by,
                "late": report.status == "draft" and today > submit_by,
            }
        )
    return render(request, "reports/report_list.html", {"reports": reports, "form": form})


def _report(year: int) -> AnnualReport:
    return get_object_or_404(AnnualReport, year=year)


@permission_required("reports.view_annualreport", raise_exception=True)
@require_http_methods(["GET"])
def report_detail(request: HttpRequest, year: int) -> HttpResponse:
    """Show the report as the printed document beside the list of figures it can use."""
    return _report_page(request, _report(year))


def _report_history(report: AnnualReport, user) -> list:
    """Return the 修改记录 of the report and its sections, newest first (three queries)."""
    entries = change_history(report, user=user)
    by_section: dict[int, list] = defaultdict(list)
    for rec in (
        ReportSection.history.filter(report_id=report.pk)
        .select_related("history_user")
        .order_by("history_date", "history_id")
    ):
        by_section[rec.id].append(rec)
    can_see = user.has_perm("disputes.view_personal_data")
    for records in by_section.values():
        for entry in history_entries(records, ReportSection, can_see_personal=can_see):
            if entry.action == "新建":
                continue  # the outline written when the report was created
            for change in entry.fields:
                change.label = f"第{records[-1].order}节{change.label}"
            entries.append(entry)
    return sorted(entries, key=lambda e: e.at, reverse=True)


def _report_page(request: HttpRequest, report: AnnualReport, header_form=None) -> HttpResponse:
    data = services.rendered(report)
    submit_by, publish_by = services.report_deadlines(report.year)
    if header_form is None:
        header_form = add_version_field(ReportHeaderForm(instance=report), report)
    draft = report.status == AnnualReport.Status.DRAFT
    return render(
        request,
        "reports/report_detail.html",
        {
            "report": report,
            "doc": data,
            "editable": draft and request.user.has_perm("reports.change_annualreport"),
            "period_text": span_text(report.span_from, report.year),
            "events": report.events.select_related("by"),
            "submit_by": submit_by,
            "publish_by": publish_by,
            "header_form": header_form,
            "reopen_form": ReopenForm(),
            "history": _report_history(report, request.user),
        },
    )


@permission_required("reports.change_annualreport", raise_exception=True)
@require_POST
def report_header(request: HttpRequest, year: int) -> HttpResponse:
    """Save the report's header fields (draft only)."""
    report = _report(year)
    if report.status != AnnualReport.Status.DRAFT:
        messages.error(request, "报告已定稿，不能修改。")
        return redirect("reports:report_detail", year=year)
    form = add_version_field(ReportHeaderForm(request.POST, instance=report), report)
    if form.is_valid():
        try:
            services.report_update_header(
                expect_version(report, form.cleaned_data["version"]), by=request.user
            )
        except ValidationError as e:
            # Show the page again with what the user typed and what the other person changed.
            attach_errors(form, e)
            keep_input_after_conflict(form, e)
            messages.error(request, "；".join(e.messages))
            return _report_page(request, _report(year), header_form=form)
        messages.success(request, "已保存报告信息")
    else:
        for field, errors in form.errors.items():
            label = form.fields[field].label if field in form.fields else ""
            messages.error(request, f"{label}：{'；'.join(errors)}")
    return redirect("reports:report_detail", year=year)


def _picker(report: AnnualReport, book: FigureBook, first_areas: list[str]) -> list[dict]:
    """Return the figure picker: every area (the section's own first), its figures for the year
    and, when longer, the cumulative span, each with label, value, link and token."""
    periods = [(report.year, report.year)]
    if report.span_from < report.year:
        periods.append((report.span_from, report.year))
    keys = [k for k in first_areas if k in AREA_BY_KEY]
    keys += [a.key for a in AREAS if a.key not in keys]
    groups = []
    for key in keys:
        rows = []
        for first, last in periods:
            if key == "year" and first != last:
                continue  # year figures are entered for one year
            area = book.area(key, first, last)
            rows += [
                {
                    "label": f.label,
                    "period": span_text(first, last),
                    "display": f.display,
                    "unit": "" if f.unit == "%" else f.unit,
                    "url": f.url,
                    "token": tokens.token(area.name, f.label, first, last),
                }
                for f in area.figures.values()
                if not (key == "records" and not f.value)
            ]
        groups.append({"name": AREA_BY_KEY[key].name, "own": key in first_areas, "rows": rows})
    return groups


@permission_required("reports.change_annualreport", raise_exception=True)
@require_http_methods(["GET", "POST"])
def section_edit(request: HttpRequest, year: int, order: int) -> HttpResponse:
    """Edit one section's narrative, with a figure picker grouped by area beside it.

    A section nobody edited starts from what its composer writes now; after saving, the
    author's text wins over the composer's.
    """
    report = _report(year)
    if report.status != AnnualReport.Status.DRAFT:
        messages.error(request, "报告已定稿，不能修改。")
        return redirect("reports:report_detail", year=year)
    section = get_object_or_404(ReportSection, report=report, order=order)
    book = FigureBook(report.as_of)
    initial = {}
    if not section.edited and section.compose:
        initial["text"] = compose(section.compose, services.context(report, book))
    form = add_version_field(
        SectionForm(request.POST or None, instance=section, initial=initial), section
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.report_update_section(
                expect_version(section, form.cleaned_data["version"]),
                by=request.user,
                heading=form.cleaned_data["heading"],
                text=form.cleaned_data["text"],
            )
        except ValidationError as e:
            attach_errors(form, e)
            keep_input_after_conflict(form, e)
        else:
            messages.success(request, "已保存，本段以您修改的文字为准")
            return redirect(f"{reverse('reports:report_detail', args=[year])}#s{order}")
    preview = tokens.render(
        form["text"].value() or "", book, year=report.year, span_from=report.span_from
    )
    return render(
        request,
        "reports/section_form.html",
        {
            "report": report,
            "section": section,
            "form": form,
            "areas": [AREA_BY_KEY[a].name for a in section.areas if a in AREA_BY_KEY],
            "picker": _picker(report, book, section.areas),
            "preview": preview,
        },
    )


@permission_required("reports.change_annualreport", raise_exception=True)
@require_POST
def section_reset(request: HttpRequest, year: int, order: int) -> HttpResponse:
    """Give an edited section back to its composer (恢复自动生成)."""
    report = _report(year)
    section = get_object_or_404(ReportSection, report=report, order=order)
    try:
        services.report_reset_section(section, by=request.user)
    except ValidationError as e:
        messages.error(request, "；".join(e.messages))
    else:
        messages.success(request, "本段已恢复为系统根据记录自动生成的内容")
    return redirect(f"{reverse('reports:report_detail', args=[year])}#s{order}")


@permission_required("reports.finalise_annualreport", raise_exception=True)
@require_POST
def report_finalise(request: HttpRequest, year: int) -> HttpResponse:
    """Finalise (定稿) the report: text and figures are frozen as they are now."""
    report = _report(year)
    try:
        services.report_finalise(report, by=request.user)
    except ValidationError as e:
        messages.error(request, "；".join(e.messages))
    else:
        messages.success(request, f"{year}年度报告已定稿")
    return redirect("reports:report_detail", year=year)


@permission_required("reports.reopen_annualreport", raise_exception=True)
@require_POST
def report_reopen(request: HttpRequest, year: int) -> HttpResponse:
    """Re-open a final report, with a reason; the act is recorded."""
    report = _report(year)
    form = ReopenForm(request.POST)
    reason = form.data.get("reason", "")
    try:
        services.report_reopen(report, by=request.user, reason=reason)
    except ValidationError as e:
        messages.error(request, "；".join(e.messages))
    else:
        messages.success(request, f"{year}年度报告已重新打开")
    return redirect("reports:report_detail", year=year)


@permission_required("reports.view_annualreport", raise_exception=True)
@require_http_methods(["GET"])
def report_export(request: HttpRequest, year: int, fmt: str) -> HttpResponse:
    """Download the report as .docx (公文 format), its .xlsx annex, or show the print view."""
    from django.utils.http import content_disposition_header

    from reports import exports

    report = _report(year)
    book = FigureBook(report.as_of)  # one data version read, one calendar, for both
    if fmt == "print":
        data = services.rendered(report, book)
        return render(request, "reports/report_print.html", {"report": report, "doc": data})
    if fmt == "docx":
        content = exports.cached_export(
            report, fmt, book, lambda: exports.report_docx(services.rendered(report, book))
        )
        ctype, name = exports.DOCX, f"{report.title}.docx"
    elif fmt == "xlsx":
        content = exports.cached_export(
            report,
            fmt,
            book,
            lambda: exports.report_annex_xlsx(report, services.rendered(report, book), book),
        )
        ctype, name = exports.XLSX, f"{report.title}-数据附表.xlsx"
    else:
        raise Http404("没有这种格式")
    response = HttpResponse(content, content_type=ctype)
    response["Content-Disposition"] = content_disposition_header(True, name)
    return response
