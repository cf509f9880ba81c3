"""更正 of petitions and disputes: which basic facts may be corrected after registration.

The number (编号) is never among them. The received date (登记日期) is fixed once the decision
on acceptance is on file: the acceptance deadline ran from it (《信访条例》第二十一条、第二十二
条; 《信访工作条例》第二十三条; 《人民调解法》第十七条 for disputes).
"""

from __future__ import annotations

from disputes.models import Dispute, Event, Petition
from miaoba.corrections import Correctable, Fact, after

_RECEIVED_FIXED = (
    "已作出受理决定，受理期限自登记日期起算，登记日期不能再更正"
    "（《信访条例》第二十一条、第二十二条；《信访工作条例》第二十三条）"
)
_DISPUTE_RECEIVED_FIXED = "已作出受理决定，登记日期不能再更正（调解期限自受理起算）"


def _event(record, *, by, on, note) -> None:
    Event.add(record, action="更正", on=on, by=by, note=note)


def _petitioners(petition: Petition) -> list:
    return [("信访人", link) for link in petition.petitioner_links.select_related("person")]


def _parties(dispute: Dispute) -> list:
    return [(link.side, link) for link in dispute.party_links.select_related("person")]


CORRECTIONS = {
    "petition": Correctable(
        model=Petition,
        facts=(
            Fact("received_on", after("decided_on", _RECEIVED_FIXED)),
            Fact("channel"),
            Fact("kind"),
            Fact("category"),
            Fact("village"),
            Fact("summary"),
            Fact("request"),
            Fact("headcount"),
        ),
        perm="disputes.change_petition",
        owner="unit",
        visible=lambda user: Petition.objects.visible_to(user),
        detail_url="disputes:petition_detail",
        noun="信访件",
        event=_event,
        people=_petitioners,
    ),
    "dispute": Correctable(
        model=Dispute,
        facts=(
            Fact("received_on", after("decided_on", _DISPUTE_RECEIVED_FIXED)),
            Fact("source"),
            Fact("type"),
            Fact("body"),
            Fact("mediators"),
            Fact("village"),
            Fact("amount"),
            Fact("summary"),
        ),
        perm="disputes.change_dispute",
        owner="unit",
        visible=lambda user: Dispute.objects.visible_to(user),
        detail_url="disputes:dispute_detail",
        noun="矛盾纠纷",
        event=_event,
        people=_parties,
    ),
}
