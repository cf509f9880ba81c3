"""Build 行政复议/行政应诉 cases through the services, as a clerk would."""

from __future__ import annotations

import datetime as dt
from itertools import count

from disputes.services import PersonData
from reconsideration import services
from reconsideration.models import Case

_numbers = count(1)


def register_case(
    *,
    by,
    unit,
    received_on: dt.date,
    kind: str = Case.Kind.LITIGATION,
    applicants: list[PersonData] | None = None,
    **extra,
) -> Case:
    n = next(_numbers)
    number = (
        f"（{received_on.year}）渝0154行初{n}号"
        if kind == Case.Kind.LITIGATION
        else f"城府复〔{received_on.year}〕{n}号"
    )
    values = {
        "case_number": number,
        "body": "城口县人民法院" if kind == Case.Kind.LITIGATION else "城口县人民政府",
        "act": "对违法占地建房作出的限期拆除决定",
        "act_kind": Case.ActKind.PENALTY,
    }
    values.update(extra)
    return services.case_register(
        by=by,
        kind=kind,
        received_on=received_on,
        unit=unit,
        applicants=applicants or [PersonData(name="张三", id_number="500229198001011237")],
        **values,
    )
