"""The 更正 page of every correctable record (`miaoba.corrections`)."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import models
from django.forms.models import fields_for_model, model_to_dict
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from miaoba.caseviews import attach_errors, registered_record
from miaoba.corrections import PERSON_FACTS, Correctable, correct, registry
from miaoba.forms import DateInput
from miaoba.records import Versioned, VersionField, keep_input_after_conflict


def _widget(model_field, **kwargs):
    if isinstance(model_field, models.DateField):
        return model_field.formfield(widget=DateInput(), **kwargs)
    if isinstance(model_field, models.TextField):
        return model_field.formfield(widget=forms.Textarea(attrs={"rows": 3}), **kwargs)
    return model_field.formfield(**kwargs)


def correction_form(spec: Correctable, record, data=None) -> forms.Form:
    """Return the form of `record`'s correctable facts, filled with what is on file.

    A fact a later step fixed is shown disabled, its help text saying why; the reason is
    required; the version is the copy loaded (hidden).
    """
    fields = fields_for_model(spec.model, fields=spec.field_names, formfield_callback=_widget)
    locks = spec.locks(record)
    for name, why in locks.items():
        fields[name].disabled = True
        fields[name].help_text = f"不能更正：{why}"
    fields["reason"] = forms.CharField(
        label="更正理由",
        max_length=200,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="如：登记时将问题分类“邻里”误选为“村务”。理由记入修改记录和办理过程",
    )
    initial = model_to_dict(record, fields=spec.field_names)
    for _role, link in spec.people(record) if spec.people else []:
        person_fields = fields_for_model(type(link), fields=PERSON_FACTS)
        for name, field in person_fields.items():
            field.required = False
            fields[f"person_{link.pk}_{name}"] = field
            value = getattr(link, f"{name}_id" if name == "village" else name)
            initial[f"person_{link.pk}_{name}"] = value
    if isinstance(record, Versioned):
        fields["version"] = VersionField(initial=record.version)
    form_class = type("CorrectionForm", (forms.Form,), fields)
    return form_class(data, initial=initial)


def _groups(spec: Correctable, record, form) -> list[tuple[str, list]]:
    """Return the form's fields in fieldsets: 基本情况, then one per person (信访人：向明)."""
    groups = [("基本情况", [form[n] for n in spec.field_names])]
    for role, person in spec.people(record) if spec.people else []:
        names = [f"person_{person.pk}_{n}" for n in PERSON_FACTS]
        groups.append((f"{role}：{person.name}", [form[n] for n in names]))
    groups.append(("更正理由", [form["reason"]]))
    return groups


def _people_values(spec: Correctable, record, data: dict) -> dict:
    out = {}
    for _, person in spec.people(record) if spec.people else []:
        out[person.pk] = {n: data.get(f"person_{person.pk}_{n}") for n in PERSON_FACTS}
    return out


@require_http_methods(["GET", "POST"])
def correct_record(request: HttpRequest, kind: str, pk: int) -> HttpResponse:
    """更正: correct a record's basic facts with a reason (owning unit only, version-checked)."""
    spec, record = registered_record(request, registry(), kind, pk, unknown="没有这类记录")
    detail_url = reverse(spec.detail_url, args=[record.pk])
    number = getattr(record, spec.number, "") if spec.number else ""
    name = number or str(record)
    refusal = spec.refusal(record, request.user)
    if refusal:
        messages.warning(request, f"{name}：{refusal}")
        return redirect(detail_url)
    form = correction_form(spec, record, request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        values = {n: data[n] for n in spec.field_names if n in data and not form.fields[n].disabled}
        try:
            changes = correct(
                spec,
                record,
                by=request.user,
                reason=data["reason"],
                version=data.get("version"),
                values=values,
                people=_people_values(spec, record, data),
            )
        except ValidationError as e:
            attach_errors(form, e)
            keep_input_after_conflict(form, e)
        else:
            what = "、".join(c.label for c in changes)
            messages.success(request, f"已更正{name}：{what}")
            return redirect(detail_url)
    return render(
        request,
        "correction_form.html",
        {
            "form": form,
            "groups": _groups(spec, record, form),
            "spec": spec,
            "record": record,
            "number": number,
            "name": name,
            "detail_url": detail_url,
        },
    )
