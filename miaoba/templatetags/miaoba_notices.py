"""`{% notices_panel record %}`: the record's notices (文书) on its page."""

from __future__ import annotations

from django import template

from miaoba.notices import issued_for, kinds_for

register = template.Library()


@register.inclusion_tag("_notices.html", takes_context=True)
def notices_panel(context, record) -> dict:
    """List the notices of `record`: those issued (number, Word, print view) and, for a user
    who may issue them, those the record's state allows now (出具). Two queries."""
    user = context["request"].user
    issued = {n.kind: n for n in issued_for(record)}
    rows = []
    for kind in kinds_for(type(record)):
        if kind.key in issued:
            rows.append({"kind": kind, "issued": issued[kind.key]})
        elif (
            user.has_perm(kind.perm)
            and not getattr(record, "is_voided", False)
            and not kind.available(record)
        ):
            rows.append({"kind": kind, "issued": None})
    return {"rows": rows, "record": record, "csrf_token": context.get("csrf_token")}
