"""Pages of the register (规范性文件), reviews (法律顾问审查), major decisions and clean-ups."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Exists, F, OuterRef
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from miaoba.caseviews import attach_errors, case_void_view, query_without_page, step_view
from miaoba.records import DuplicateSubmission, change_history, create_once
from miaoba.workcalendar import WorkCalendar
from normative_docs import deadlines
from normative_docs import forms as f
from normative_docs import services as s
from normative_docs.clocks import document_deadlines, review_deadline
from normative_docs.filters import DecisionFilter, DocumentFilter, ReviewFilter
from normative_docs.flows import DECISION, DOCUMENT
from normative_docs.models import (
    PASSING,
    Advisor,
    CleanupCampaign,
    Decision,
    Document,
    LegalReview,
    ReviewFile,
)

PAGE_SIZE = 20


def _get_document_for_user(request: HttpRequest, pk: int) -> Document:
    """Return the document if the user may see it; 404 otherwise (never reveal it exists)."""
    return get_object_or_404(
        Document.objects.visible_to(request.user).select_related("drafting_unit"), pk=pk
    )


def _get_review_for_user(request: HttpRequest, pk: int) -> LegalReview:
    """Return the review if it was sent to or by the user (or they read all); 404 otherwise."""
    return get_object_or_404(
        LegalReview.objects.visible_to(request.user).select_related(
            "advisor", "unit", "document__drafting_unit", "decision__unit"
        ),
        pk=pk,
    )


def _get_decision_for_user(request: HttpRequest, pk: int) -> Decision:
    """Return the decision if the user may see it; 404 otherwise."""
    return get_object_or_404(
        Decision.objects.visible_to(request.user).select_related("unit"), pk=pk
    )


def _list_context(request, filterset, page, rows) -> dict:
    return {
        "filter": filterset,
        "page_obj": page,
        "rows": rows,
        "query_without_page": query_without_page(request),
        "query": request.GET.urlencode(),
    }


# --- Documents -------------------------------------------------------------------------------


@permission_required("normative_docs.view_document", raise_exception=True)
@require_http_methods(["GET"])
def document_list(request: HttpRequest) -> HttpResponse:
    """The register (规范性文件登记簿): filters, search, deadlines, 20 a page.

    Queries stay flat: count, page (with the drafting unit), calendar.
    """
    base = Document.objects.visible_to(request.user)
    filterset = DocumentFilter(request.GET or None, queryset=base)
    qs = (filterset.qs if filterset.is_bound else base.active()).select_related("drafting_unit")
    # Drafts in progress (no number yet) first, then the register, newest year first.
    qs = qs.order_by(
        F("year").desc(nulls_first=True),
        F("registered_on").desc(nulls_first=True),
        "-serial",
        "-id",
    )
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    calendar = WorkCalendar.load()
    today = timezone.localdate()
    rows = []
    for doc in page:
        deadline = next((d for d in document_deadlines(doc, calendar) if d.running), None)
        rows.append(
            {
                "doc": doc,
                "deadline": deadline,
                "light": deadline.light(today) if deadline else "",
                "text": deadline.status_text(today) if deadline else "",
            }
        )
    return render(
        request, "normative_docs/document_list.html", _list_context(request, filterset, page, rows)
    )


@permission_required("normative_docs.add_document", raise_exception=True)
@require_http_methods(["GET", "POST"])
def document_create(request: HttpRequest) -> HttpResponse:
    """Start a document (起草登记); it gets its numbers only at registration."""
    form = f.DocumentForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            doc = s.document_draft(by=request.user, **form.cleaned_data)
        except DuplicateSubmission as dup:
            messages.info(request, "该登记表已提交过，未重复登记。已打开之前登记的文件。")
            return redirect("normative_docs:document_detail", pk=dup.record.pk)
        except ValidationError as e:
            attach_errors(form, e)
        else:
            messages.success(request, f"已登记起草：{doc.title}。下一步：征求意见或送合法性审核。")
            return redirect("normative_docs:document_detail", pk=doc.pk)
    return render(request, "normative_docs/document_form.html", {"form": form})


@permission_required("normative_docs.view_document", raise_exception=True)
@require_http_methods(["GET"])
def document_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """Show a document: numbers, dates, deadlines, reviews, possible steps, timeline."""
    doc = _get_document_for_user(request, pk)
    calendar = WorkCalendar.load()
    today = timezone.localdate()
    deadlines = [
        {"d": d, "light": d.light(today), "text": d.status_text(today)}
        for d in document_deadlines(doc, calendar)
    ]
    reviews = doc.reviews.select_related("advisor").prefetch_related("opinions")
    return render(
        request,
        "normative_docs/document_detail.html",
        {
            "doc": doc,
            "deadlines": deadlines,
            "reviews": reviews,
            "steps": DOCUMENT.available(doc, request.user),
            "blockers": s.registration_blockers(doc) if not doc.number else [],
            "events": doc.events.select_related("by"),
            "cleanups": doc.cleanup_items.select_related("campaign"),
            "history": change_history(doc, user=request.user),
            "can_void": not doc.number
            and not doc.is_voided
            and request.user.has_perm("normative_docs.change_document"),
        },
    )


# --- Steps and voiding ------------------------------------------------------------------------


def _register_success(doc: Document, name: str) -> str:
    if name == "register":
        return f"已登记编号：发文字号 {doc.number}，登记号 {doc.register_number}"
    return ""


@permission_required("normative_docs.change_document", raise_exception=True)
@require_http_methods(["GET", "POST"])
def document_step(request: HttpRequest, pk: int, step: str) -> HttpResponse:
    """Show and record one step of a document (征求意见, 审核, 讨论, 签发, 登记编号 ...)."""
    doc = _get_document_for_user(request, pk)
    return step_view(request, DOCUMENT, doc, step, success=_register_success)


@permission_required("normative_docs.change_document", raise_exception=True)
@require_http_methods(["GET", "POST"])
def document_void(request: HttpRequest, pk: int) -> HttpResponse:
    """Void a document registered in error before numbering (作废), with reason and confirmation."""
    return case_void_view(request, DOCUMENT, _get_document_for_user(request, pk))


# --- Reviews ---------------------------------------------------------------------------------


@permission_required("normative_docs.view_legalreview", raise_exception=True)
@require_http_methods(["GET"])
def review_list(request: HttpRequest) -> HttpResponse:
    """The review list (法律顾问审查): an advisor sees only what was sent to them.

    Queries stay flat: advisor lookup, filter's advisor list, count, page, calendar.
    """
    base = LegalReview.objects.visible_to(request.user)
    filterset = ReviewFilter(request.GET or None, queryset=base)
    if not request.user.has_perm("normative_docs.view_all_reviews"):
        # A clerk or advisor chooses among the advisors of the reviews they may see only.
        filterset.filters["advisor"].queryset = Advisor.objects.filter(
            pk__in=base.values("advisor")
        )
    qs = (filterset.qs if filterset.is_bound else base).select_related("advisor", "unit")
    qs = qs.annotate(opinion_count=Count("opinions")).order_by("-submitted_on", "-id")
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    calendar = WorkCalendar.load()
    today = timezone.localdate()
    rows = []
    for review in page:
        deadline = review_deadline(review, calendar)
        rows.append(
            {"review": review, "light": deadline.light(today), "text": deadline.status_text(today)}
        )
    return render(
        request, "normative_docs/review_list.html", _list_context(request, filterset, page, rows)
    )


@permission_required("normative_docs.add_legalreview", raise_exception=True)
@require_http_methods(["GET", "POST"])
@create_once
def review_create(request: HttpRequest) -> HttpResponse:
    """Send a contract, an incident or another matter to the legal advisor (送审)."""
    form = f.ReviewCreateForm(request.POST or None, request.FILES or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            review = s.review_send(by=request.user, **form.cleaned_data)
        except ValidationError as e:
            attach_errors(form, e)
        else:
            messages.success(request, f"已送法律顾问{review.advisor.name}审查：{review.title}")
            return redirect("normative_docs:review_detail", pk=review.pk)
    return render(request, "normative_docs/review_form.html", {"form": form})


@permission_required("normative_docs.view_legalreview", raise_exception=True)
@require_http_methods(["GET"])
def review_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """Show a review: subject, deadline, conclusion and opinions with their adoption."""
    review = _get_review_for_user(request, pk)
    calendar = WorkCalendar.load()
    today = timezone.localdate()
    deadline = review_deadline(review, calendar)
    user = request.user
    return render(
        request,
        "normative_docs/review_detail.html",
        {
            "review": review,
            "deadline": deadline,
            "light": deadline.light(today),
            "text": deadline.status_text(today),
            "opinions": review.opinions.all(),
            "can_complete": not review.is_completed
            and user.has_perm("normative_docs.change_legalreview"),
            "can_adopt": review.is_completed
            and user.has_perm("normative_docs.change_reviewopinion"),
            "can_see_document": review.document_id
            and Document.objects.visible_to(user).filter(pk=review.document_id).exists()
            and user.has_perm("normative_docs.view_document"),
            "can_see_decision": review.decision_id
            and Decision.objects.visible_to(user).filter(pk=review.decision_id).exists()
            and user.has_perm("normative_docs.view_decision"),
            "files": review.files.select_related("uploaded_by"),
            "file_form": f.ReviewFileForm()
            if user.has_perm("normative_docs.add_reviewfile")
            else None,
            "history": change_history(review, user=user),
        },
    )


@permission_required("normative_docs.add_reviewfile", raise_exception=True)
@require_POST
@create_once
def review_file_upload(request: HttpRequest, pk: int) -> HttpResponse:
    """Add a file to a review the user may see (送审材料, or the advisor's written opinion)."""
    review = _get_review_for_user(request, pk)
    form = f.ReviewFileForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            added = s.review_add_file(review, by=request.user, **form.cleaned_data)
        except ValidationError as e:
            for error in e.messages:
                messages.error(request, f"材料未上传：{error}")
        else:
            messages.success(request, f"已上传材料：{added.title}")
    else:
        for field_errors in form.errors.values():
            for error in field_errors:
                messages.error(request, f"材料未上传：{error}")
    return redirect("normative_docs:review_detail", pk=review.pk)


@permission_required("normative_docs.view_reviewfile", raise_exception=True)
@require_http_methods(["GET"])
def review_file_download(request: HttpRequest, pk: int) -> FileResponse:
    """Send a review's file to whoever may see the review (its advisor too); 404 otherwise."""
    attached = get_object_or_404(ReviewFile, pk=pk)
    _get_review_for_user(request, attached.review_id)
    return FileResponse(
        attached.file.open("rb"), as_attachment=True, filename=attached.file.name.rsplit("/", 1)[-1]
    )


@permission_required("normative_docs.change_legalreview", raise_exception=True)
@require_http_methods(["GET", "POST"])
def review_complete(request: HttpRequest, pk: int) -> HttpResponse:
    """Record the conclusion and opinions of a review (登记审查结论)."""
    review = _get_review_for_user(request, pk)
    if review.is_completed:
        messages.warning(request, "该审查已登记结论。")
        return redirect("normative_docs:review_detail", pk=review.pk)
    form = f.ReviewCompleteForm(
        request.POST or None, initial={"completed_on": timezone.localdate()}
    )
    if request.method == "POST" and form.is_valid():
        try:
            s.review_complete(review, by=request.user, **form.cleaned_data)
        except ValidationError as e:
            attach_errors(form, e)
        else:
            messages.success(request, f"已登记审查结论：{review.conclusion}")
            return redirect("normative_docs:review_detail", pk=review.pk)
    return render(
        request,
        "normative_docs/review_step.html",
        {"review": review, "form": form, "label": "登记审查结论"},
    )


@permission_required("normative_docs.change_reviewopinion", raise_exception=True)
@require_http_methods(["GET", "POST"])
def review_adoption(request: HttpRequest, pk: int) -> HttpResponse:
    """Mark each opinion of a review adopted or not (采纳情况)."""
    review = _get_review_for_user(request, pk)
    form = f.AdoptionForm(request.POST or None, opinions=review.opinions.all())
    if not form.opinions:
        messages.warning(request, "该审查没有建议意见。")
        return redirect("normative_docs:review_detail", pk=review.pk)
    if request.method == "POST" and form.is_valid():
        s.review_record_adoption(review, by=request.user, adopted=form.marks())
        messages.success(request, "已保存建议意见的采纳情况。")
        return redirect("normative_docs:review_detail", pk=review.pk)
    return render(
        request,
        "normative_docs/review_step.html",
        {"review": review, "form": form, "label": "登记采纳情况"},
    )


# --- Advisors --------------------------------------------------------------------------------


@permission_required("normative_docs.view_advisor", raise_exception=True)
@require_http_methods(["GET"])
def advisor_list(request: HttpRequest) -> HttpResponse:
    """List the legal advisors with their contract periods and review counts."""
    advisors = Advisor.objects.select_related("user").annotate(review_count=Count("reviews"))
    return render(
        request,
        "normative_docs/advisor_list.html",
        {"advisors": advisors, "today": timezone.localdate()},
    )


def _advisor_form(request: HttpRequest, advisor: Advisor | None) -> HttpResponse:
    form = f.AdvisorForm(request.POST or None, instance=advisor)
    if request.method == "POST" and form.is_valid():
        saved = form.save()
        messages.success(request, f"已保存法律顾问：{saved.name}")
        return redirect("normative_docs:advisor_list")
    return render(request, "normative_docs/advisor_form.html", {"form": form, "advisor": advisor})


@permission_required("normative_docs.add_advisor", raise_exception=True)
@require_http_methods(["GET", "POST"])
@create_once
def advisor_create(request: HttpRequest) -> HttpResponse:
    """Add a legal advisor (administrators)."""
    return _advisor_form(request, None)


@permission_required("normative_docs.change_advisor", raise_exception=True)
@require_http_methods(["GET", "POST"])
def advisor_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Edit a legal advisor's contract and login (administrators)."""
    return _advisor_form(request, get_object_or_404(Advisor, pk=pk))


# --- Decisions -------------------------------------------------------------------------------


@permission_required("normative_docs.view_decision", raise_exception=True)
@require_http_methods(["GET"])
def decision_list(request: HttpRequest) -> HttpResponse:
    """List major decisions with how many of the five steps are done. Queries stay flat."""
    base = Decision.objects.visible_to(request.user)
    filterset = DecisionFilter(request.GET or None, queryset=base)
    passing = LegalReview.objects.filter(
        decision=OuterRef("pk"), conclusion__in=PASSING, completed_on__isnull=False
    )
    qs = (filterset.qs if filterset.is_bound else base).select_related("unit")
    qs = qs.annotate(has_review=Exists(passing)).order_by("-started_on", "-id")
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    rows = []
    for d in page:
        days = d.participation_days
        done = sum(
            [
                days is not None and days >= deadlines.COMMENT_MIN_DAYS,
                bool(d.expert_on) or not d.expert_required,
                bool(d.risk_on) or not d.risk_required,
                d.has_review,
                d.status != Decision.Status.IN_PROGRESS and bool(d.meeting_on),
            ]
        )
        rows.append({"decision": d, "done": done})
    return render(
        request, "normative_docs/decision_list.html", _list_context(request, filterset, page, rows)
    )


@permission_required("normative_docs.add_decision", raise_exception=True)
@require_http_methods(["GET", "POST"])
@create_once
def decision_create(request: HttpRequest) -> HttpResponse:
    """Open a major decision (启动重大行政决策程序)."""
    form = f.DecisionForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            decision = s.decision_start(by=request.user, **form.cleaned_data)
        except ValidationError as e:
            attach_errors(form, e)
        else:
            messages.success(request, f"已启动决策程序：{decision.title}")
            return redirect("normative_docs:decision_detail", pk=decision.pk)
    return render(request, "normative_docs/decision_form.html", {"form": form})


@permission_required("normative_docs.view_decision", raise_exception=True)
@require_http_methods(["GET"])
def decision_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """Show a decision: the five-step checklist, its reviews, possible steps, timeline."""
    decision = _get_decision_for_user(request, pk)
    return render(
        request,
        "normative_docs/decision_detail.html",
        {
            "decision": decision,
            "checklist": s.decision_checklist(decision),
            "reviews": decision.reviews.select_related("advisor").prefetch_related("opinions"),
            "steps": DECISION.available(decision, request.user),
            "events": decision.events.select_related("by"),
            "history": change_history(decision, user=request.user),
        },
    )


@permission_required("normative_docs.change_decision", raise_exception=True)
@require_http_methods(["GET", "POST"])
def decision_step(request: HttpRequest, pk: int, step: str) -> HttpResponse:
    """Show and record one step of a decision (公众参与, 专家论证, 风险评估, 讨论 ...)."""
    return step_view(request, DECISION, _get_decision_for_user(request, pk), step)


# --- Clean-up campaigns ----------------------------------------------------------------------


@permission_required("normative_docs.view_cleanupcampaign", raise_exception=True)
@require_http_methods(["GET"])
def cleanup_list(request: HttpRequest) -> HttpResponse:
    """List clean-up campaigns (规范性文件清理) with the number of documents each covers."""
    campaigns = CleanupCampaign.objects.annotate(covered=Count("items"))
    return render(request, "normative_docs/cleanup_list.html", {"campaigns": campaigns})


@permission_required("normative_docs.add_cleanupcampaign", raise_exception=True)
@require_http_methods(["GET", "POST"])
@create_once
def cleanup_create(request: HttpRequest) -> HttpResponse:
    """Open a clean-up over the documents in force the user may see."""
    in_force = (
        Document.objects.visible_to(request.user)
        .filter(status__in=Document.IN_FORCE)
        .order_by("year", "issuer", "serial")
    )
    form = f.CleanupForm(request.POST or None, documents=in_force)
    if request.method == "POST" and form.is_valid():
        try:
            campaign = s.cleanup_start(by=request.user, **form.cleaned_data)
        except ValidationError as e:
            attach_errors(form, e)
        else:
            messages.success(
                request, f"已开始清理：{campaign.title}，共{campaign.items.count()}件文件"
            )
            return redirect("normative_docs:cleanup_detail", pk=campaign.pk)
    return render(request, "normative_docs/cleanup_form.html", {"form": form})


def _campaign_page(request, campaign, *, record_form=None, finish_form=None):
    items = campaign.items.select_related("document")
    # a clean-up spans every unit's documents: link only those the user may open
    visible = Document.objects.visible_to(request.user).filter(cleanup_items__campaign=campaign)
    return render(
        request,
        "normative_docs/cleanup_detail.html",
        {
            "campaign": campaign,
            "visible_documents": set(visible.values_list("pk", flat=True)),
            "totals": s.cleanup_totals(campaign),
            "record_form": record_form or f.CleanupRecordForm(items=items),
            "finish_form": finish_form
            or f.CleanupFinishForm(initial={"finished_on": timezone.localdate()}),
            "can_change": request.user.has_perm("normative_docs.change_cleanupcampaign")
            and not campaign.finished_on,
        },
    )


@permission_required("normative_docs.view_cleanupcampaign", raise_exception=True)
@require_http_methods(["GET"])
def cleanup_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """Show a clean-up: each document's outcome and the totals, which add up to those covered."""
    return _campaign_page(request, get_object_or_404(CleanupCampaign, pk=pk))


@permission_required("normative_docs.change_cleanupcampaign", raise_exception=True)
@require_http_methods(["POST"])
def cleanup_record(request: HttpRequest, pk: int) -> HttpResponse:
    """Save the outcomes of a clean-up's documents (清理结果)."""
    campaign = get_object_or_404(CleanupCampaign, pk=pk)
    form = f.CleanupRecordForm(request.POST, items=campaign.items.select_related("document"))
    if form.is_valid():
        try:
            s.cleanup_record(campaign, outcomes=form.outcomes())
        except ValidationError as e:
            attach_errors(form, e)
        else:
            messages.success(request, "已保存清理结果。")
            return redirect("normative_docs:cleanup_detail", pk=campaign.pk)
    return _campaign_page(request, campaign, record_form=form)


@permission_required("normative_docs.change_cleanupcampaign", raise_exception=True)
@require_http_methods(["POST"])
def cleanup_finish(request: HttpRequest, pk: int) -> HttpResponse:
    """Finish a clean-up once every document has an outcome, and apply the outcomes."""
    campaign = get_object_or_404(CleanupCampaign, pk=pk)
    form = f.CleanupFinishForm(request.POST)
    if form.is_valid():
        try:
            totals = s.cleanup_finish(
                campaign, by=request.user, finished_on=form.cleaned_data["finished_on"]
            )
        except ValidationError as e:
            attach_errors(form, e)
        else:
            summary = "，".join(f"{k}{v}件" for k, v in totals.items() if v and k != "合计")
            messages.success(request, f"清理已完成：共{totals['合计']}件，{summary}。")
            return redirect("normative_docs:cleanup_detail", pk=campaign.pk)
    return _campaign_page(request, campaign, finish_form=form)
