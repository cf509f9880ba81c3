"""Pages of the petition (信访件) and dispute (矛盾纠纷) registers."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Prefetch
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from disputes import forms as f
from disputes import services as s
from disputes.clocks import current_clock, dispute_clocks, petition_clocks
from disputes.deadlines import rule_of
from disputes.filters import DisputeFilter, PetitionFilter
from disputes.flows import DISPUTE, PETITION
from disputes.models import Attachment, Dispute, Party, Petition, Petitioner
from miaoba import security
from miaoba.caseviews import attach_errors, case_void_view, query_without_page, step_view
from miaoba.records import DuplicateSubmission, change_history, create_once
from miaoba.workcalendar import WorkCalendar

PAGE_SIZE = 20


def _get_petition_for_user(request: HttpRequest, pk: int) -> Petition:
    """Return the petition if the user may see it; 404 otherwise (never reveal it exists)."""
    return get_object_or_404(Petition.objects.visible_to(request.user), pk=pk)


def _get_dispute_for_user(request: HttpRequest, pk: int) -> Dispute:
    """Return the dispute if the user may see it; 404 otherwise."""
    return get_object_or_404(Dispute.objects.visible_to(request.user), pk=pk)


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
            "query_without_page": query_without_page(request),
            "query": request.GET.urlencode(),
        },
    )


def _repeats_for(user, petitions: list, disputes: list) -> dict:
    """Split earlier cases of the same people into what `user` may see and the rest.

    The user's own units' cases (all, for a user who may see every unit's) are listed in full,
    to be checked and maybe marked as repeated. Of another unit's cases the clerk learns only
    that a possible repeat exists and which unit to contact: no number, date, category,
    summary or person (《个人信息保护法》第六条 minimum necessary). Returns {"petitions",
    "disputes", "elsewhere": sorted unit names}.
    """
    if user.has_perm("disputes.view_all_cases"):
        return {"petitions": petitions, "disputes": disputes, "elsewhere": []}
    units = set(user.units.values_list("pk", flat=True))
    own = [c for c in petitions if c.unit_id in units], [c for c in disputes if c.unit_id in units]
    others = {c.unit.name for c in [*petitions, *disputes] if c.unit_id not in units}
    return {"petitions": own[0], "disputes": own[1], "elsewhere": sorted(others)}


def _closed_for(user, closed: list) -> dict:
    """Split petitions closed by 复核 into what `user` may see and the units of the rest.

    As `_repeats_for`: another unit's case is named only by its unit (no number, date or
    summary). Returns {"petitions", "elsewhere"}.
    """
    seen = _repeats_for(user, closed, [])
    return {"petitions": seen["petitions"], "elsewhere": seen["elsewhere"]}


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
        seen = _repeats_for(request.user, petitions, disputes)
        # After 复核 the same matter is not accepted again, however long ago (issue 17).
        closed = s.find_closed_rechecks(persons) if kind == "petition" else []
        if (petitions or disputes or closed) and not d["confirm_repeat"]:
            repeats = {
                **seen,
                "within_year": bool(petitions or disputes),
                "closed": _closed_for(request.user, closed) if closed else None,
                "closed_basis": s.recheck_closed_basis(rule_of(d["received_on"])),
            }
            form.data = form.data.copy()
            form.data["confirm_repeat"] = "1"
        else:
            # Only a case the clerk may see can be named as the one this repeats.
            same_kind = seen["petitions"] if kind == "petition" else seen["disputes"]
            repeat_of = next((c for c in same_kind if c.pk == d["repeat_of"]), None)
            try:
                case = register(d, people_rows, repeat_of)
            except DuplicateSubmission as dup:
                messages.info(
                    request, f"该登记表已提交过，未重复登记。已打开之前登记的 {dup.record.number}。"
                )
                return redirect(f"disputes:{kind}_detail", pk=dup.record.pk)
            except ValidationError as e:
                attach_errors(form, e)
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
    # Each person as entered on this petition by its unit, never the shared person row.
    links = petition.petitioner_links.select_related("person", "village")
    return render(
        request,
        "disputes/petition_detail.html",
        {
            "case": petition,
            "people": list(links),
            "clocks": clocks,
            "steps": PETITION.available(petition, request.user),
            "closed_recheck": _closed_recheck_notice(request.user, petition),
            "events": petition.events.select_related("by"),
            "attachments": petition.attachments.all(),
            "attachment_form": f.AttachmentForm(),
            **_personal_data_view(request, petition),
            "history": change_history(petition, user=request.user),
            "can_void": request.user.has_perm("disputes.change_petition")
            and not petition.is_voided,
            "void_url": reverse("disputes:petition_void", args=[petition.pk]),
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
            "query_without_page": query_without_page(request),
            "query": request.GET.urlencode(),
        },
    )


@permission_required("disputes.add_dispute", raise_exception=True)
@require_http_methods(["GET", "POST"])
def dispute_create(request: HttpRequest) -> HttpResponse:
    """Register a dispute (矛盾纠纷登记) with its parties, warning of repeats like petitions."""

    @transaction.atomic
    def register(d, parties, repeat_of):
        dispute = s.dispute_register(
            by=request.user,
            received_on=d["received_on"],
            source=d["source"],
            type=d["type"],
            village=d["village"],
            unit=d["unit"],
            summary=d["summary"],
            body=d["body"],
            amount=d["amount"],
            parties=parties,
            is_repeat=d["is_repeat"],
            repeat_of=repeat_of,
            form_token=d["form_token"],
        )
        if d["mediator_people"]:
            s.dispute_assign_mediators(
                dispute, by=request.user, mediators=d["mediator_people"], on=d["received_on"]
            )
        return dispute

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
    links = dispute.party_links.select_related("person", "village")
    return render(
        request,
        "disputes/dispute_detail.html",
        {
            "case": dispute,
            "parties": list(links),
            "clocks": clocks,
            "steps": DISPUTE.available(dispute, request.user),
            "recusal": s.recusal_conflicts(dispute),
            "events": dispute.events.select_related("by"),
            "attachments": dispute.attachments.all(),
            "attachment_form": f.AttachmentForm(),
            **_personal_data_view(request, dispute),
            "history": change_history(dispute, user=request.user),
            "can_void": request.user.has_perm("disputes.change_dispute") and not dispute.is_voided,
            "void_url": reverse("disputes:dispute_void", args=[dispute.pk]),
            "kind": "dispute",
        },
    )


# --- Steps and voiding ------------------------------------------------------------------------


@permission_required("disputes.change_petition", raise_exception=True)
@require_http_methods(["GET", "POST"])
def petition_step(request: HttpRequest, pk: int, step: str) -> HttpResponse:
    """Show and record one step of a petition (受理, 延期, 办结, 答复 ...).

    不予受理 of a matter closed by 复核 in a case the user may see starts with that reason
    filled in (《信访工作条例》第三十五条).
    """
    petition = _get_petition_for_user(request, pk)

    def initial(case, name) -> dict:
        if name != "reject":
            return {}
        closed = _closed_recheck_notice(request.user, case)
        if not closed or not closed["petitions"]:
            return {}
        earlier = closed["petitions"][0]
        return {"rejection_reason": s.closed_recheck_reason(earlier, rule=case.rule)}

    return step_view(request, PETITION, petition, step, initial=initial)


def _closed_recheck_notice(user, petition: Petition) -> dict | None:
    """Return the earlier petitions of this petition's people closed by 复核, split by what
    `user` may see (`_closed_for`), while it waits for the acceptance decision; else None."""
    if petition.status != Petition.Status.REGISTERED or petition.is_voided:
        return None
    people = [
        s.PersonData(
            name=link.person.name,
            id_number=link.person.id_number,
            phone=link.person.phone,
            village_id=link.person.village_id,
        )
        for link in petition.petitioner_links.select_related("person")
    ]
    closed = s.find_closed_rechecks(people, exclude_petition=petition)
    if not closed:
        return None
    return {**_closed_for(user, closed), "basis": s.recheck_closed_basis(petition.rule)}


@permission_required("disputes.change_dispute", raise_exception=True)
@require_http_methods(["GET", "POST"])
def dispute_step(request: HttpRequest, pk: int, step: str) -> HttpResponse:
    """Show and record one step of a dispute (受理, 调解结果, 履行, 司法确认, 回访, 答复)."""
    return step_view(request, DISPUTE, _get_dispute_for_user(request, pk), step)


@permission_required("disputes.change_petition", raise_exception=True)
@require_http_methods(["GET", "POST"])
def petition_void(request: HttpRequest, pk: int) -> HttpResponse:
    """Void a petition registered in error (作废), with a reason and a confirmation."""
    return case_void_view(request, PETITION, _get_petition_for_user(request, pk))


@permission_required("disputes.change_dispute", raise_exception=True)
@require_http_methods(["GET", "POST"])
def dispute_void(request: HttpRequest, pk: int) -> HttpResponse:
    """Void a dispute registered in error (作废), with a reason and a confirmation."""
    return case_void_view(request, DISPUTE, _get_dispute_for_user(request, pk))


# --- Attachments -----------------------------------------------------------------------------


@permission_required("disputes.add_attachment", raise_exception=True)
@require_POST
@create_once
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
