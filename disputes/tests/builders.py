"""Build petitions and disputes through the workflow services, as a clerk would."""

from __future__ import annotations

import datetime as dt

from disputes.models import Category, Dispute, Party, Petition
from disputes.services import PersonData, dispute_register, petition_register


def someone(name: str = "张三", **fields) -> PersonData:
    return PersonData(name=name, **fields)


def register_petition(
    *,
    by,
    unit,
    received_on: dt.date,
    petitioners: list[PersonData] | None = None,
    channel: str = Petition.Channel.VISIT,
    summary: str = "邻里排水沟纠纷，要求镇里协调",
    **extra,
) -> Petition:
    """Register a petition of the 邻里 category through `petition_register`."""
    return petition_register(
        by=by,
        received_on=received_on,
        channel=channel,
        category=Category.objects.get(name="邻里"),
        unit=unit,
        summary=summary,
        petitioners=petitioners or [someone()],
        **extra,
    )


def register_dispute(
    *,
    by,
    unit,
    received_on: dt.date,
    parties: list[tuple[PersonData, str]] | None = None,
    **extra,
) -> Dispute:
    return dispute_register(
        by=by,
        received_on=received_on,
        source=Dispute.Source.APPLIED,
        type=Dispute.Type.NEIGHBOUR,
        unit=unit,
        summary="相邻通行纠纷",
        parties=parties
        or [(someone("张三"), Party.Side.APPLICANT), (someone("李四"), Party.Side.RESPONDENT)],
        **extra,
    )
