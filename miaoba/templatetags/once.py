"""`{% form_token %}`: the hidden one-time token of a create form (`miaoba.records.create_once`)."""

import uuid

from django import template
from django.utils.html import format_html

register = template.Library()


@register.simple_tag
def form_token() -> str:
    """Render `<input type="hidden" name="form_token" value="…">` with a new token each time.

    Put it inside the `<form>` of every create page whose view is wrapped in `create_once`; a
    form whose class has a `FormTokenField` renders its own and needs none.
    """
    return format_html('<input type="hidden" name="form_token" value="{}">', uuid.uuid4())
