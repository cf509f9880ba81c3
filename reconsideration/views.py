"""Pages of the 行政复议/行政应诉 register: list, registration, case page, steps, void."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from disputes.views import _personal_data_view
from miaoba.caseviews import attach_errors, case_void_view, query_without_page, step_view
from miaoba.records import DuplicateSubmission, change_history
from miaoba.workcalendar import WorkCalendar
from reconsideration import forms as f
from reconsideration import services as s
from reconsideration.clocks import case_clocks, current_clock
from reconsideration.filters import CaseFilter
from reconsideration.flows import CASE
from reconsideration.models import Applicant, Case

PAGE_SIZE = 20


def _get_case_for_user(request: HttpRequest, pk: int) -> Case:
    """Return the case if the user may see it; 404 otherwise (never reveal it exists)."""
    return get_object_or_404(
        Case.objects.visible_to(request.user).select_related("unit", "review"), pk=pk
    )


@permission_required("reconsideration.view_case", raise_exception=True)
@require_http_methods(["GET"])
def case_list(request: HttpRequest) -> HttpResponse:
    """List cases with filters, clocks and pagination (20 a page); queries stay flat."""
    base = Case.objects.visible_to(request.user)
    filterset = CaseFilter(request.GET or None, queryset=base)
    qs = (filterset.qs if filterset.is_bound else base.active()).select_related("unit")
    qs = qs.prefetch_related(
        Prefetch("applicant_links", queryset=Applicant.objects.select_related("person"))
    )
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    calendar = WorkCalendar.load()
    today = timezone.localdate()
    rows = []
    for case in page:
        clock = current_clock(case_clocks(case, calendar))
        rows.append(
            {
                "case": case,
                "clock": clock,
                "light": clock.light(today) if clock else "",
                "clock_text": clock.status_text(today) if clock else "",
            }
        )
    return render(
        request,
        "reconsideration/case_list.html",
        {
            "filter": filterset,
            "page_obj": page,
            "rows": rows,
            "query_without_page": query_without_page(request),
        },
    )


@permission_required("reconsideration.add_case", raise_exception=True)
@require_http_methods(["GET", "POST"])
def case_create(request: HttpRequest) -> HttpResponse:
    """Register a case (登记) with its applicants or plaintiffs."""
    form = f.CaseForm(request.POST or None, user=request.user)
    people = f.ApplicantFormSet(request.POST or None, prefix="people")
    if request.method == "POST" and form.is_valid() and people.is_valid():
        d = form.cleaned_data
        try:
            case = s.case_register(
                by=request.user,
                kind=d["kind"],
                case_number=d["case_number"],
                body=d["body"],
                received_on=d["received_on"],
                act=d["act"],
                act_kind=d["act_kind"],
                act_number=d["act_number"],
                claims=d["claims"],
                unit=d["unit"],
                applicants=[pf.person_data() for pf in people.filled_forms()],
                form_token=d["form_token"],
            )
        except DuplicateSubmission as dup:
            messages.info(request, f"该登记表已提交过，未重复登记。已打开 {dup.record}。")
            return redirect("reconsideration:case_detail", pk=dup.record.pk)
        except ValidationError as e:
            attach_errors(form, e)
        else:
            messages.success(request, f"已登记：{case}")
            return redirect("reconsideration:case_detail", pk=case.pk)
    return render(request, "reconsideration/case_form.html", {"form": form, "people": people})


@permission_required("reconsideration.view_case", raise_exception=True)
@require_http_methods(["GET"])
def case_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """Show a case: facts, applicants (masked without permission), clocks, steps, timeline."""
    case = _get_case_for_user(request, pk)
    calendar = WorkCalendar.load()
    today = timezone.localdate()
    clocks = [
        {"clock": c, "light": c.light(today), "text": c.status_text(today)}
        for c in case_clocks(case, calendar)
    ]
    return render(
        request,
        "reconsideration/case_detail.html",
        {
            "case": case,
            "people": list(case.applicant_links.select_related("person", "village")),
            "clocks": clocks,
            "steps": CASE.available(case, request.user),
            "events": case.events.select_related("by"),
            **_personal_data_view(request, case),
            "history": change_history(case, user=request.user),
            "can_void": request.user.has_perm("reconsideration.change_case") and not case.is_voided,
            "void_url": reverse("reconsideration:case_void", args=[case.pk]),
        },
    )


@permission_required("reconsideration.change_case", raise_exception=True)
@require_http_methods(["GET", "POST"])
def case_step(request: HttpRequest, pk: int, step: str) -> HttpResponse:
    """Show and record one step (答复答辩, 开庭听证, 结果, 上诉, 纠正, 法律顾问审查)."""
    return step_view(request, CASE, _get_case_for_user(request, pk), step)


@permission_required("reconsideration.change_case", raise_exception=True)
@require_http_methods(["GET", "POST"])
def case_void(request: HttpRequest, pk: int) -> HttpResponse:
    """Void a case registered in error (作废), with a reason and a confirmation."""
    return case_void_view(request, CASE, _get_case_for_user(request, pk))
