"""Page pieces every case register shares: the step page, the void page and two list helpers.

- `step_view(request, flow, case, name)`: show and record one declared step (`miaoba.workflow`).
- `void_view(request, record, void=, back_url=, label=, title=)`: void a record with a reason
  and a confirmation (作废); `case_void_view(request, flow, case)` for a case of a workflow.
- `attach_errors(form, error)`: put a service's ValidationError onto the form, by field.
- `query_without_page(request)`: the list's query string without `page`, for pagination links.
"""

from __future__ import annotations

from collections.abc import Callable

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse

from miaoba.records import (
    Versioned,
    VoidForm,
    add_version_field,
    expect_version,
    keep_input_after_conflict,
)
from miaoba.workflow import Workflow, today


def attach_errors(form, error: ValidationError) -> None:
    """Add a service's ValidationError to `form`: a message dict by field (unknown fields go to
    the form's non-field errors), a plain message to the non-field errors."""
    if hasattr(error, "error_dict"):
        for field, errs in error.message_dict.items():
            form.add_error(field if field in form.fields else None, errs)
    else:
        form.add_error(None, error.messages)


def registered_record(
    request: HttpRequest, kinds: dict, key: str, pk: int, *, unknown: str, perm: str = "perm"
):
    """Return (kind, record): `kinds[key]` (a registry entry with a permission attribute named
    `perm` and `visible(user)`) and its record `pk` among those the user may see.

    Raises Http404 saying `unknown` for an unknown key, Http404 for a record the user may not
    see (another unit's), PermissionDenied when the user lacks the kind's permission.
    """
    kind = kinds.get(key)
    if kind is None:
        raise Http404(unknown)
    if not request.user.has_perm(getattr(kind, perm)):
        raise PermissionDenied
    return kind, get_object_or_404(kind.visible(request.user), pk=pk)


def query_without_page(request: HttpRequest) -> str:
    """Return the list's query string without `page`, ending in "&" when not empty."""
    params = request.GET.copy()
    params.pop("page", None)
    encoded = params.urlencode()
    return f"{encoded}&" if encoded else ""


def _initial_dates(form_class, *, skip: frozenset = frozenset({"new_due_on"})) -> dict:
    """Return today for each date field of a step form (a step is usually recorded the day it
    happens); a target date such as a new deadline is left for the clerk to choose."""
    return {
        name: today()
        for name in form_class.base_fields
        if (name.endswith("_on") or name == "on") and name not in skip
    }


def step_view(
    request: HttpRequest,
    flow: Workflow,
    case,
    name: str,
    *,
    context: Callable[[object, str], dict] | None = None,
    success: Callable[[object, str], str] | None = None,
    initial: Callable[[object, str], dict] | None = None,
) -> HttpResponse:
    """Show and record step `name` of `case` as its workflow declares it.

    404 for a step the kind does not have; 403 when the user lacks the step's permission. A
    voided case, or a step not possible now, sends the user back to the case with the reason
    (a posted form still reaches the service, whose guard refuses it in the same words). A
    conflicting save (someone else saved the case since the form was loaded) keeps the input.
    `context(case, name)` adds to the page's context; `success(case, name)` words the message;
    `initial(case, name)` fills the form's fields beyond today's dates.
    """
    step = flow.steps.get(name)
    if step is None or step.creates:
        raise Http404("没有这个办理环节")
    if not request.user.has_perm(flow.perm_of(step)):
        raise PermissionDenied
    detail_url = reverse(flow.detail_url, args=[case.pk])
    title = flow.title(case)
    if getattr(case, "is_voided", False):
        messages.warning(request, f"{title}已作废，不能再办理。")
        return redirect(detail_url)
    if request.method == "GET":
        reason = flow.refusal(case, name, request.user)
        if reason:
            state = flow.state_label(getattr(case, flow.state_field))
            messages.warning(request, f"{title}当前为“{state}”，不能办理“{step.label}”：{reason}")
            return redirect(detail_url)
    form_class = flow.form_of(step)
    data = (request.POST, request.FILES) if request.method == "POST" else (None, None)
    start = _initial_dates(form_class)
    if initial is not None:
        start.update(initial(case, name))
    form = form_class(*data, initial=start)
    if isinstance(case, Versioned):
        add_version_field(form, case)
    if request.method == "POST" and form.is_valid():
        try:
            if isinstance(case, Versioned):
                expect_version(case, form.cleaned_data["version"])
            flow.run(step, case, by=request.user, data=form.cleaned_data)
        except ValidationError as e:
            attach_errors(form, e)
            keep_input_after_conflict(form, e)
        else:
            case.refresh_from_db()
            text = success(case, name) if success else ""
            messages.success(request, text or f"{step.done}{step.label}：{title}")
            return redirect(detail_url)
    return render(
        request,
        flow.template,
        {
            "case": case,
            "subject": case,
            "name": title,
            "form": form,
            "step": step,
            "label": step.label,
            "multipart": step.multipart,
            "detail_url": detail_url,
            **(context(case, name) if context else {}),
        },
    )


def void_view(
    request: HttpRequest,
    record,
    *,
    void: Callable,
    back_url: str,
    label: str,
    title: str,
    done_url: str | None = None,
) -> HttpResponse:
    """Void `record` (作废) through the service `void(record, by=, reason=)`, with a reason and
    a confirmation; a conflicting save keeps the input.

    `label` names the record on the page (信访件 信〔2020〕3号), `title` in messages; the user
    goes back to `back_url`, or to `done_url` once voided.
    """
    if record.is_voided:
        messages.info(request, f"{title}已作废。")
        return redirect(back_url)
    form = add_version_field(VoidForm(request.POST or None), record)
    if request.method == "POST" and form.is_valid():
        try:
            void(
                expect_version(record, form.cleaned_data["version"]),
                by=request.user,
                reason=form.cleaned_data["void_reason"],
            )
        except ValidationError as e:
            attach_errors(form, e)
            keep_input_after_conflict(form, e)
        else:
            messages.success(request, f"已作废：{title}")
            return redirect(done_url or back_url)
    return render(request, "_void_form.html", {"form": form, "label": label, "back_url": back_url})


def case_void_view(request: HttpRequest, flow: Workflow, case) -> HttpResponse:
    """Void a case (作废) through its workflow's void service; see `void_view`."""
    title = flow.title(case)
    return void_view(
        request,
        case,
        void=flow.service_of(flow.void),
        back_url=reverse(flow.detail_url, args=[case.pk]),
        label=f"{flow.noun} {title}",
        title=title,
    )
