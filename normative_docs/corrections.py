"""更正 of documents, legal reviews and major decisions: their basic facts after registration.

Numbers (发文字号, 登记号) are never corrected: a wrong number is withdrawn (撤回，文号作废) and
the serial is never reused (三统一). What a later step fixed says why.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError

from miaoba.corrections import Correctable, Fact, after
from normative_docs.models import Decision, Document, Event, LegalReview


def _event(record, *, by, on, note) -> None:
    Event.add(record, action="更正", on=on, by=by, note=note)


def _review_dates_in_order(review: LegalReview) -> None:
    if review.completed_on and review.submitted_on > review.completed_on:
        raise ValidationError({"submitted_on": "送审日期不能晚于完成日期。"})


CORRECTIONS = {
    "document": Correctable(
        model=Document,
        facts=(
            Fact(
                "title",
                after(
                    "published_on",
                    "文件已印发，名称以印发文本为准，不能更正（需修改的请按“修改”程序办理）",
                ),
            ),
            Fact("issuer", after("registered_on", "已按制定机关统一编号，制定机关不能再更正")),
            Fact("drafter"),
            Fact(
                "drafted_on",
                after("reviewed_on", "已作出合法性审核，起草日期不能再更正（审核须在起草之后）"),
            ),
            Fact("summary"),
        ),
        perm="normative_docs.change_document",
        owner="drafting_unit",
        visible=lambda user: Document.objects.visible_to(user),
        detail_url="normative_docs:document_detail",
        noun="规范性文件",
        event=_event,
    ),
    "review": Correctable(
        model=LegalReview,
        facts=(
            Fact("title"),
            Fact(
                "submitted_on",
                after("completed_on", "已审结，审查用时按送审日期计算，送审日期不能再更正"),
            ),
            Fact("material"),
        ),
        perm="normative_docs.add_legalreview",
        owner="unit",
        visible=lambda user: LegalReview.objects.visible_to(user),
        detail_url="normative_docs:review_detail",
        noun="法律顾问审查",
        number="",
        clean=_review_dates_in_order,
    ),
    "decision": Correctable(
        model=Decision,
        facts=(
            Fact(
                "title",
                after("published_on", "决策已公布，决策事项以公布文本为准，不能再更正"),
            ),
            Fact("started_on", after("meeting_on", "已集体讨论决定，启动日期不能再更正")),
            Fact(
                "summary",
                after("meeting_on", "已集体讨论决定，决策草案以讨论通过的为准，不能再更正"),
            ),
        ),
        perm="normative_docs.change_decision",
        owner="unit",
        visible=lambda user: Decision.objects.visible_to(user),
        detail_url="normative_docs:decision_detail",
        noun="重大行政决策",
        number="",
        event=_event,
    ),
}
