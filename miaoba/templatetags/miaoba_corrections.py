"""`{% correction_url "petition" case as url %}`: the 更正 link, for those who may use it."""

from __future__ import annotations

from django import template
from django.urls import reverse

from miaoba.corrections import registry

register = template.Library()


@register.simple_tag(takes_context=True)
def correction_url(context, kind: str, record) -> str:
    """Return the 更正 page of `record` when the user may correct it, else "" (one query)."""
    spec = registry().get(kind)
    request = context.get("request")
    if spec is None or request is None or spec.refusal(record, request.user):
        return ""
    return reverse("correct", args=[kind, record.pk])
