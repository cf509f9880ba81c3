"""Template tags of forms: the error summary at the top of every form (错误汇总)."""

from __future__ import annotations

from django import template

register = template.Library()


def _field_errors(form, where: str = "") -> list[dict]:
    rows = []
    for field in form:
        for error in field.errors:
            rows.append(
                {"href": f"#{field.id_for_label}", "label": f"{where}{field.label}", "error": error}
            )
    for error in form.non_field_errors():
        rows.append({"href": "", "label": where.rstrip("："), "error": error})
    return rows


@register.inclusion_tag("_error_summary.html")
def error_summary(form=None, formset=None, row_label: str = "第{n}行") -> dict:
    """List every error of `form` and of the rows of `formset`, each linking to its field.

    Shape: {"errors": [{"href": "#id_name", "label": "登记日期", "error": "请填写登记日期。"}]}.
    A row's fields are named by their row ("第2行身份证号"); the formset's own errors
    (e.g. 至少登记一名信访人) are listed last.
    """
    errors: list[dict] = []
    if form is not None and hasattr(form, "errors") and form.errors:
        errors += _field_errors(form)
    if formset is not None and hasattr(formset, "forms") and formset.is_bound:
        for n, row in enumerate(formset.forms, start=1):
            if row.errors:
                errors += _field_errors(row, row_label.format(n=n))
        for error in formset.non_form_errors():
            errors.append({"href": "", "label": "", "error": error})
    return {"errors": errors}


@register.simple_tag
def control(field):
    """Render a bound field's control; a single `<select>` through `LightSelect` (the same
    HTML without a template render per option), anything else as `{{ field }}` does."""
    from django import forms

    from miaoba.choices import LightSelect

    widget = field.field.widget
    if type(widget) is forms.Select:
        return field.as_widget(widget=LightSelect.like(widget))
    return str(field)
