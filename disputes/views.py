"""Pages of the petition (信访件) and dispute (矛盾纠纷) registers."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from disputes import forms as f
from disputes import services as s
from disputes.clocks import current_clock, dispute_clocks, petition_clocks
from disputes.filters import DisputeFilter, PetitionFilter
from disputes.models import Attachment, Dispute, Party, Petition, Petitioner
from miaoba import security
from miaoba.records import (
    DuplicateSubmission,
    VoidForm,
    add_version_field,
    change_history,
    expect_version,
    keep_input_after_conflict,
)
from miaoba.workcalendar import WorkCalendar

PAGE_SIZE = 20


def _get_petition_for_user(request: HttpRequest, pk: int) -> Petition:
    """Return the petition if the user may see it; 404 otherwise (never reveal it exists)."""
    return get_object_or_404(Petition.objects.visible_to(request.user), pk=pk)


def _get_dispute_for_user(request: HttpRequest, pk: int) -> Dispute:
    """Return the dispute if the user may see it; 404 otherwise."""
    return get_object_or_404(Dispute.objects.visible_to(request.user), pk=pk)


def _query_without_page(request: HttpRequest) -> str:
    params = request.GET.copy()
    params.pop("page", None)
    encoded = params.urlencode()
    return f"{encoded}&" if encoded else ""


def _row(case, clocks, today):
    clock = current_clock(clocks)
    return {
        "case": case,
        "clock": clock,
        "light": clock.light(today) if clock else "",
        "clock_text": clock.status_text(today) if clock else "",
    }


# --- Petitions -------------------------------------------------------------------------------


@permission_required("disputes.view_petition", raise_exception=True)
@require_http_methods(["GET"])
def petition_list(request: HttpRequest) -> HttpResponse:
    """List petitions with filters, search, clocks and pagination (20 a page).

    Queries stay flat: count, page, petitioners (one prefetch), calendar, and the filter lists.
    """
    base = Petition.objects.visible_to(request.user)
    filterset = PetitionFilter(request.GET or None, queryset=base)
    qs = (filterset.qs if filterset.is_bound else base.active()).select_related(
        "category", "village", "unit"
    )
    qs = qs.prefetch_related(
        Prefetch("petitioner_links", queryset=Petitioner.objects.select_related("person"))
    )
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    calendar = WorkCalendar.load()
    today = timezone.localdate()
    rows = [_row(p, petition_clocks(p, calendar), today) for p in page]
    return render(
        request,
        "disputes/petition_list.html",
        {
            "filter": filterset,
            "page_obj": page,
            "rows": rows,
            "query_without_page": _query_without_page(request),
            "query": request.GET.urlencode(),
        },
    )


def _register_view(request, *, form, people, rows, register, kind: str):
    """Run a registration page: check, warn of the same people's cases, then register.

    `rows(people)` turns the formset into the service's people argument, `register(d, rows,
    repeat_of)` calls the service. When earlier cases are found within 12 months, the form
    comes back listing them, and the clerk confirms (and may mark a repeat, 重复信访).
    """
    repeats = None
    if request.method == "POST" and form.is_valid() and people.is_valid():
        d = form.cleaned_data
        people_rows = rows(people)
        persons = [p[0] if isinstance(p, tuple) else p for p in people_rows]
        petitions, disputes = s.find_repeats(persons, on=d["received_on"])
        if (petitions or disputes) and not d["confirm_repeat"]:
            repeats = {"petitions": petitions, "disputes": disputes}
            form.data = form.data.copy()
            form.data["confirm_repeat"] = "1"
        else:
            same_kind = petitions if kind == "petition" else disputes
            repeat_of = next((c for c in same_kind if c.pk == d["repeat_of"]), None)
            try:
                case = register(d, people_rows, repeat_of)
            except DuplicateSubmission as dup:
                messages.info(
                    request, f"该登记表已提交过，未重复登记。已打开之前登记的 {dup.record.number}。"
                )
                return redirect(f"disputes:{kind}_detail", pk=dup.record.pk)
            except ValidationError as e:
                _attach_errors(form, e)
            else:
                messages.success(request, f"已登记，编号 {case.number}")
                return redirect(f"disputes:{kind}_detail", pk=case.pk)
    return render(
        request,
        f"disputes/{kind}_form.html",
        {"form": form, "people": people, "repeats": repeats},
    )


@permission_required("disputes.add_petition", raise_exception=True)
@require_http_methods(["GET", "POST"])
def petition_create(request: HttpRequest) -> HttpResponse:
    """Register a petition (信访件登记) with its petitioners, warning of repeats."""

    def register(d, petitioners, repeat_of):
        return s.petition_register(
            by=request.user,
            received_on=d["received_on"],
            channel=d["channel"],
            kind=d["kind"],
            category=d["category"],
            village=d["village"],
            unit=d["unit"],
            summary=d["summary"],
            request=d["request"],
            headcount=d["headcount"],
            petitioners=petitioners,
            is_repeat=d["is_repeat"],
            repeat_of=repeat_of,
            form_token=d["form_token"],
        )

    return _register_view(
        request,
        form=f.PetitionForm(request.POST or None, user=request.user),
        people=f.PetitionerFormSet(request.POST or None, prefix="people"),
        rows=lambda fs: [pf.person_data() for pf in fs.filled_forms()],
        register=register,
        kind="petition",
    )


@permission_required("disputes.view_petition", raise_exception=True)
@require_http_methods(["GET"])
def petition_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """Show a petition: its facts, people (masked without permission), clocks, steps, timeline."""
    petition = _get_petition_for_user(request, pk)
    calendar = WorkCalendar.load()
    today = timezone.localdate()
    clocks = [
        {"clock": c, "light": c.light(today), "text": c.status_text(today)}
        for c in petition_clocks(petition, calendar)
    ]
    links = petition.petitioner_links.select_related("person", "person__village")
    return render(
        request,
        "disputes/petition_detail.html",
        {
            "case": petition,
            "people": [link.person for link in links],
            "clocks": clocks,
            "steps": _available_steps(PETITION_STEPS, petition, request.user),
            "events": petition.events.select_related("by"),
            "attachments": petition.attachments.all(),
            "attachment_form": f.AttachmentForm(),
            **_personal_data_view(request, petition),
            "history": change_history(petition, user=request.user),
            "can_void": request.user.has_perm("disputes.change_petition")
            and not petition.is_voided,
            "kind": "petition",
        },
    )


def _personal_data_view(request: HttpRequest, case) -> dict:
    """Return what the people table shows: masked by default, in full on ?full=1.

    Only users with `disputes.view_personal_data` may see it in full, and each full view is
    recorded as the security event 查看完整个人信息 (who, when, which record).
    """
    may = request.user.has_perm("disputes.view_personal_data")
    show_full = may and request.GET.get("full") == "1"
    if show_full:
        security.record_event(
            security.Kind.PERSONAL_DATA_VIEW,
            user=request.user,
            request=request,
            target=case.number,
            detail=f"{case._meta.verbose_name}{case.number}的身份证号和联系电话",
        )
    return {"show_full": show_full, "may_show_full": may}


# --- Disputes --------------------------------------------------------------------------------


@permission_required("disputes.view_dispute", raise_exception=True)
@require_http_methods(["GET"])
def dispute_list(request: HttpRequest) -> HttpResponse:
    """List disputes with filters, search, clocks and pagination (20 a page)."""
    base = Dispute.objects.visible_to(request.user)
    filterset = DisputeFilter(request.GET or None, queryset=base)
    qs = (filterset.qs if filterset.is_bound else base.active()).select_related("village", "unit")
    qs = qs.prefetch_related(
        Prefetch("party_links", queryset=Party.objects.select_related("person"))
    )
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    calendar = WorkCalendar.load()
    today = timezone.localdate()
    rows = [_row(d, dispute_clocks(d, calendar), today) for d in page]
    return render(
        request,
        "disputes/dispute_list.html",
        {
            "filter": filterset,
            "page_obj": page,
            "rows": rows,
            "query_without_page": _query_without_page(request),
            "query": request.GET.urlencode(),
        },
    )


@permission_required("disputes.add_dispute", raise_exception=True)
@require_http_methods(["GET", "POST"])
def dispute_create(request: HttpRequest) -> HttpResponse:
    """Register a dispute (矛盾纠纷登记) with its parties, warning of repeats like petitions."""

    def register(d, parties, repeat_of):
        return s.dispute_register(
            by=request.user,
            received_on=d["received_on"],
            source=d["source"],
            type=d["type"],
            village=d["village"],
            unit=d["unit"],
            summary=d["summary"],
            body=d["body"],
            mediators=d["mediators"],
            amount=d["amount"],
            parties=parties,
            is_repeat=d["is_repeat"],
            repeat_of=repeat_of,
            form_token=d["form_token"],
        )

    return _register_view(
        request,
        form=f.DisputeForm(request.POST or None, user=request.user),
        people=f.PartyFormSet(request.POST or None, prefix="parties"),
        rows=lambda fs: [(pf.person_data(), pf.cleaned_data["side"]) for pf in fs.filled_forms()],
        register=register,
        kind="dispute",
    )


@permission_required("disputes.view_dispute", raise_exception=True)
@require_http_methods(["GET"])
def dispute_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """Show a dispute: facts, parties, clocks, possible steps, timeline and files."""
    dispute = _get_dispute_for_user(request, pk)
    calendar = WorkCalendar.load()
    today = timezone.localdate()
    clocks = [
        {"clock": c, "light": c.light(today), "text": c.status_text(today)}
        for c in dispute_clocks(dispute, calendar)
    ]
    links = dispute.party_links.select_related("person", "person__village")
    return render(
        request,
        "disputes/dispute_detail.html",
        {
            "case": dispute,
            "parties": list(links),
            "clocks": clocks,
            "steps": _available_steps(DISPUTE_STEPS, dispute, request.user),
            "events": dispute.events.select_related("by"),
            "attachments": dispute.attachments.all(),
            "attachment_form": f.AttachmentForm(),
            **_personal_data_view(request, dispute),
            "history": change_history(dispute, user=request.user),
            "can_void": request.user.has_perm("disputes.change_dispute") and not dispute.is_voided,
            "kind": "dispute",
        },
    )


# --- Steps -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Step:
    """A workflow step as a page: its form, the service it calls, and when it is offered."""

    label: str
    form: type
    run: Callable  # (case, user, cleaned_data) -> case
    available: Callable  # (case) -> bool
    primary: bool = True


def _attach_errors(form, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for field, errs in error.message_dict.items():
            form.add_error(field if field in form.fields else None, errs)
    else:
        form.add_error(None, error.messages)


P, D = Petition.Status, Dispute.Status

PETITION_STEPS: dict[str, Step] = {
    "accept": Step(
        "受理", f.PetitionAcceptForm,
        lambda c, u, d: s.petition_accept(c, by=u, on=d["decided_on"]),
        lambda c: c.status == P.REGISTERED,
    ),
    "reject": Step(
        "不予受理", f.PetitionRejectForm,
        lambda c, u, d: s.petition_reject(c, by=u, on=d["decided_on"], reason=d["rejection_reason"], redirect_to=d["redirect_to"]),
        lambda c: c.status == P.REGISTERED, primary=False,
    ),
    "extend": Step(
        "延期", f.PetitionExtendForm,
        lambda c, u, d: s.petition_extend(c, by=u, on=d["extended_on"], days=d["extension_days"], reason=d["extension_reason"], approved_by=d["extension_approved_by"]),
        lambda c: c.status == P.ACCEPTED and not c.extension_days, primary=False,
    ),
    "conclude": Step(
        "办结", f.PetitionConcludeForm,
        lambda c, u, d: s.petition_conclude(c, by=u, on=d["concluded_on"], outcome=d["outcome"], outcome_text=d["outcome_text"]),
        lambda c: c.status == P.ACCEPTED,
    ),
    "reply": Step(
        "答复", f.PetitionReplyForm,
        lambda c, u, d: s.petition_reply(c, by=u, on=d["replied_on"], form=d["reply_form"], satisfaction=d["satisfaction"]),
        lambda c: c.status == P.CONCLUDED,
    ),
    "rate": Step(
        "满意度评价", f.PetitionRateForm,
        lambda c, u, d: s.petition_rate(c, by=u, satisfaction=d["satisfaction"], on=d["on"]),
        lambda c: c.status == P.REPLIED and c.concluded_on is not None and not c.satisfaction, primary=False,
    ),
    "review": Step(
        "登记复查", f.PetitionReviewForm,
        lambda c, u, d: s.petition_record_review(c, by=u, level="review", requested_on=d["review_requested_on"], result=d["review_result"], concluded_on=d["review_concluded_on"]),
        lambda c: c.status == P.REPLIED and c.concluded_on is not None and not c.review_result, primary=False,
    ),
    "recheck": Step(
        "登记复核", f.PetitionRecheckForm,
        lambda c, u, d: s.petition_record_review(c, by=u, level="recheck", requested_on=d["recheck_requested_on"], result=d["recheck_result"], concluded_on=d["recheck_concluded_on"]),
        lambda c: bool(c.review_concluded_on) and not c.recheck_result, primary=False,
    ),
}  # fmt: skip

DISPUTE_STEPS: dict[str, Step] = {
    "accept": Step(
        "受理", f.DisputeAcceptForm,
        lambda c, u, d: s.dispute_accept(c, by=u, on=d["decided_on"]),
        lambda c: c.status == D.REGISTERED,
    ),
    "reject": Step(
        "不予受理", f.DisputeRejectForm,
        lambda c, u, d: s.dispute_reject(c, by=u, on=d["decided_on"], reason=d["rejection_reason"]),
        lambda c: c.status == D.REGISTERED, primary=False,
    ),
    "conclude": Step(
        "登记调解结果", f.DisputeConcludeForm,
        lambda c, u, d: s.dispute_conclude(c, by=u, on=d["concluded_on"], result=d["result"], agreement_form=d["agreement_form"], agreement_text=d["agreement_text"], effective_on=d["agreement_effective_on"], note=d["conclusion_note"]),
        lambda c: c.status == D.ACCEPTED,
    ),
    "performance": Step(
        "履行情况", f.DisputePerformanceForm,
        lambda c, u, d: s.dispute_record_performance(c, by=u, on=d["performance_checked_on"], performance=d["performance"]),
        lambda c: c.status == D.SUCCEEDED and c.performance != Dispute.Performance.DONE, primary=False,
    ),
    "court": Step(
        "司法确认", f.DisputeCourtForm,
        lambda c, u, d: s.dispute_record_court(c, by=u, applied_on=d["court_applied_on"], result=d["court_result"], decided_on=d["court_decided_on"]),
        lambda c: c.status == D.SUCCEEDED and c.agreement_form == Dispute.AgreementForm.WRITTEN and not c.court_result, primary=False,
    ),
    "follow_up": Step(
        "回访", f.DisputeFollowUpForm,
        lambda c, u, d: s.dispute_follow_up(c, by=u, on=d["followed_up_on"], note=d["follow_up_note"]),
        lambda c: c.is_concluded and not c.followed_up_on, primary=False,
    ),
    "reply": Step(
        "答复", f.DisputeReplyForm,
        lambda c, u, d: s.dispute_reply(c, by=u, on=d["replied_on"], form=d["reply_form"]),
        lambda c: (c.is_concluded or c.status == D.REJECTED) and not c.replied_on,
    ),
}  # fmt: skip


def _available_steps(steps: dict[str, Step], case, user) -> list[dict]:
    perm = "disputes.change_petition" if isinstance(case, Petition) else "disputes.change_dispute"
    if not user.has_perm(perm) or case.is_voided:
        return []
    url_name = "disputes:petition_step" if isinstance(case, Petition) else "disputes:dispute_step"
    return [
        {
            "label": step.label,
            "primary": step.primary,
            "url": reverse(url_name, args=[case.pk, name]),
        }
        for name, step in steps.items()
        if step.available(case)
    ]


def _step_view(request, case, steps, step_name, detail_url):
    step = steps.get(step_name)
    if step is None:
        raise Http404("没有这个办理环节")
    if case.is_voided:
        messages.warning(request, f"{case.number}已作废，不能再办理。")
        return redirect(detail_url, pk=case.pk)
    if request.method == "GET" and not step.available(case):
        # A posted form still reaches the service, which says in the law's words why not.
        messages.warning(
            request, f"{case.number}当前为“{case.get_status_display()}”，不能办理“{step.label}”。"
        )
        return redirect(detail_url, pk=case.pk)
    initial = {}
    for name in step.form.base_fields:
        if name.endswith("_on") or name == "on":
            initial[name] = timezone.localdate()
    form = add_version_field(step.form(request.POST or None, initial=initial), case)
    if request.method == "POST" and form.is_valid():
        try:
            step.run(
                expect_version(case, form.cleaned_data["version"]), request.user, form.cleaned_data
            )
        except ValidationError as e:
            _attach_errors(form, e)
            keep_input_after_conflict(form, e)
        else:
            messages.success(request, f"已{step.label}：{case.number}")
            return redirect(detail_url, pk=case.pk)
    return render(
        request,
        "disputes/case_step.html",
        {"case": case, "form": form, "step": step, "detail_url": detail_url},
    )


@permission_required("disputes.change_petition", raise_exception=True)
@require_http_methods(["GET", "POST"])
def petition_step(request: HttpRequest, pk: int, step: str) -> HttpResponse:
    """Show and record one step of a petition (受理, 延期, 办结, 答复 ...)."""
    petition = _get_petition_for_user(request, pk)
    return _step_view(request, petition, PETITION_STEPS, step, "disputes:petition_detail")


@permission_required("disputes.change_dispute", raise_exception=True)
@require_http_methods(["GET", "POST"])
def dispute_step(request: HttpRequest, pk: int, step: str) -> HttpResponse:
    """Show and record one step of a dispute (受理, 调解结果, 履行, 司法确认, 回访, 答复)."""
    dispute = _get_dispute_for_user(request, pk)
    return _step_view(request, dispute, DISPUTE_STEPS, step, "disputes:dispute_detail")


# --- Voiding --------------------------------------------------------------------------------


def _void_view(request, case, *, void, detail_url):
    if case.is_voided:
        messages.info(request, f"{case.number}已作废。")
        return redirect(detail_url, pk=case.pk)
    form = add_version_field(VoidForm(request.POST or None), case)
    if request.method == "POST" and form.is_valid():
        try:
            void(
                expect_version(case, form.cleaned_data["version"]),
                by=request.user,
                reason=form.cleaned_data["void_reason"],
            )
        except ValidationError as e:
            _attach_errors(form, e)
            keep_input_after_conflict(form, e)
        else:
            messages.success(request, f"已作废：{case.number}")
            return redirect(detail_url, pk=case.pk)
    return render(
        request,
        "_void_form.html",
        {
            "form": form,
            "label": f"{case._meta.verbose_name} {case.number}",
            "back_url": reverse(detail_url, args=[case.pk]),
        },
    )


@permission_required("disputes.change_petition", raise_exception=True)
@require_http_methods(["GET", "POST"])
def petition_void(request: HttpRequest, pk: int) -> HttpResponse:
    """Void a petition registered in error (作废), with a reason and a confirmation."""
    petition = _get_petition_for_user(request, pk)
    return _void_view(
        request, petition, void=s.petition_void, detail_url="disputes:petition_detail"
    )


@permission_required("disputes.change_dispute", raise_exception=True)
@require_http_methods(["GET", "POST"])
def dispute_void(request: HttpRequest, pk: int) -> HttpResponse:
    """Void a dispute registered in error (作废), with a reason and a confirmation."""
    dispute = _get_dispute_for_user(request, pk)
    return _void_view(request, dispute, void=s.dispute_void, detail_url="disputes:dispute_detail")


# --- Attachments -----------------------------------------------------------------------------


@permission_required("disputes.add_attachment", raise_exception=True)
@require_POST
def attachment_upload(request: HttpRequest, kind: str, pk: int) -> HttpResponse:
    """Attach a file to a case the user may see; type and size limits in models.validate_upload."""
    if kind == "petition":
        case, detail = _get_petition_for_user(request, pk), "disputes:petition_detail"
    elif kind == "dispute":
        case, detail = _get_dispute_for_user(request, pk), "disputes:dispute_detail"
    else:
        raise Http404
    form = f.AttachmentForm(request.POST, request.FILES)
    if form.is_valid():
        attachment = form.save(commit=False)
        setattr(attachment, kind, case)
        attachment.uploaded_by = request.user
        attachment.save()
        messages.success(request, f"已上传附件：{attachment.title}")
    else:
        for field_errors in form.errors.values():
            for error in field_errors:
                messages.error(request, f"附件未上传：{error}")
    return redirect(detail, pk=case.pk)


@permission_required("disputes.view_attachment", raise_exception=True)
@require_http_methods(["GET"])
def attachment_download(request: HttpRequest, pk: int) -> FileResponse:
    """Send a case's file to a user who may see the case; 404 for anyone else."""
    attachment = get_object_or_404(Attachment.objects.select_related("petition", "dispute"), pk=pk)
    if attachment.petition_id:
        _get_petition_for_user(request, attachment.petition_id)
    else:
        _get_dispute_for_user(request, attachment.dispute_id)
    return FileResponse(
        attachment.file.open("rb"),
        as_attachment=True,
        filename=attachment.file.name.rsplit("/", 1)[-1],
    )
