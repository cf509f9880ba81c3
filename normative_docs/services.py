"""Workflow steps of normative documents, legal reviews, major decisions and clean-ups.

Every step is a function `<entity>_<action>` with keyword-only arguments, runs in one
transaction, checks the rule that allows it and writes the step onto the timeline. A step the
rules do not allow raises `django.core.exceptions.ValidationError` whose message (or message
dict, keyed by field) is the Chinese text shown to the clerk.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import PurePath
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max

from miaoba import dataversion
from miaoba.records import bulk_save, check_token_unused, save_new_once, void_record
from miaoba.workcalendar import WorkCalendar, cn_date
from miaoba.workflow import allocate_serial, check_date, raise_serials, today
from normative_docs import deadlines
from normative_docs.clocks import expiry_date, working_days_between
from normative_docs.flows import DECISION, DOCUMENT, END_WORDS
from normative_docs.models import (
    PASSING,
    Advisor,
    CleanupCampaign,
    CleanupItem,
    Conclusion,
    Decision,
    Document,
    Event,
    LegalReview,
    ReviewFile,
    ReviewOpinion,
    document_number,
)

REGISTER = "登记号"  # the NumberSequence register of the 登记号
S = Document.Status


def _event(subject, *, action: str, on: dt.date, by, note: str = "") -> None:
    Event.add(subject, action=action, on=on, by=by, note=note)


def register_number(year: int, serial: int) -> str:
    """Format a 登记号: 庙坝规登〔2020〕5号 (one series a year for both issuers)."""
    return f"{deadlines.register_prefix()}〔{year}〕{serial}号"


# --- Documents -------------------------------------------------------------------------------


@transaction.atomic
def document_draft(
    *,
    by,
    title: str,
    issuer: str,
    drafting_unit,
    drafted_on: dt.date,
    drafter: str = "",
    summary: str = "",
    form_token=None,
) -> Document:
    """Start a document (起草) in the register; it has no number until registration.

    Raises DuplicateSubmission (with the first document) when the form with `form_token` was
    already posted.
    """
    check_token_unused(Document, form_token)
    check_date("drafted_on", drafted_on)
    document = Document(
        title=title.strip(),
        issuer=issuer,
        drafting_unit=drafting_unit,
        drafter=drafter.strip(),
        summary=summary,
        drafted_on=drafted_on,
        created_by=by,
        form_token=form_token,
    )
    document.full_clean(exclude=["created_by", "form_token"])
    save_new_once(document)
    _event(document, action="起草", on=drafted_on, by=by, note=DOCUMENT["draft"].note(document))
    return document


@transaction.atomic
def document_consult(
    document: Document, *, by, comment_from: dt.date, comment_to: dt.date, note: str = ""
) -> Document:
    """Record the comment period (征求意见) of a draft."""
    DOCUMENT.guard(document, "consult")
    check_date("comment_from", comment_from, not_before=document.drafted_on, what="起草日期")
    if comment_to is None or comment_to < comment_from:
        raise ValidationError({"comment_to": "征求意见截止日期不能早于开始日期。"})
    document.comment_from, document.comment_to = comment_from, comment_to
    document.comment_note = note
    document.status = S.CONSULTING
    document.save()
    days = (comment_to - comment_from).days + 1
    _event(
        document,
        action="征求意见",
        on=comment_from,
        by=by,
        note=f"{cn_date(comment_from)}至{cn_date(comment_to)}，共{days}日。{note}".strip(),
    )
    return document


@transaction.atomic
def review_send(
    *,
    by,
    kind: str,
    advisor: Advisor,
    unit,
    submitted_on: dt.date,
    title: str = "",
    material: str = "",
    document: Document | None = None,
    decision: Decision | None = None,
    files=(),
) -> LegalReview:
    """Send a subject to the legal advisor for review (送法律顾问审查).

    The title defaults to the document's or decision's; `files` (uploaded files) go with it as
    送审材料, each titled by its file name. Raises ValidationError when the advisor is not under
    contract on `submitted_on` or no subject is named.
    """
    check_date("submitted_on", submitted_on)
    if not advisor.under_contract(submitted_on):
        raise ValidationError(
            {
                "advisor": f"{advisor.name}的聘期为{cn_date(advisor.contract_from)}至"
                f"{cn_date(advisor.contract_to)}，送审日期不在聘期内。"
            }
        )
    subject = document or decision
    title = (title or (subject.title if subject else "")).strip()
    if not title:
        raise ValidationError({"title": "请填写审查事项（如合同名称、事件名称）。"})
    review = LegalReview(
        kind=kind,
        advisor=advisor,
        unit=unit,
        document=document,
        decision=decision,
        title=title,
        material=material,
        submitted_on=submitted_on,
        created_by=by,
    )
    review.full_clean(exclude=["created_by"])
    review.save()
    for upload in files:
        review_add_file(review, by=by, title="", file=upload)
    return review


def review_add_file(review: LegalReview, *, by, title: str, file) -> ReviewFile:
    """Attach a file (送审材料 or the advisor's written opinion) to a review.

    The title defaults to the file's name without its extension. Raises ValidationError when
    the file's type, size or content is refused (`miaoba.uploads.validate_upload`).
    """
    title = (title or "").strip() or PurePath(file.name).stem[:100]
    attached = ReviewFile(review=review, title=title, file=file, uploaded_by=by)
    attached.full_clean(exclude=["uploaded_by"])
    attached.save()
    return attached


@transaction.atomic
def document_send_for_review(
    document: Document, *, by, advisor: Advisor, submitted_on: dt.date, material: str = ""
) -> LegalReview:
    """Send a draft to the legal advisor for its legality review (合法性审核)."""
    DOCUMENT.guard(document, "send_review")
    not_before = document.comment_to or document.drafted_on
    check_date("submitted_on", submitted_on, not_before=not_before, what="起草或征求意见日期")
    review = review_send(
        by=by,
        kind=LegalReview.Kind.DOCUMENT,
        advisor=advisor,
        unit=document.drafting_unit,
        submitted_on=submitted_on,
        material=material,
        document=document,
    )
    document.status = S.REVIEWING
    document.save()
    _event(
        document, action="送合法性审核", on=submitted_on, by=by, note=f"法律顾问：{advisor.name}"
    )
    return review


def _apply_review_to_document(
    document: Document, *, by, on: dt.date, conclusion: str, reviewer: str, note: str
) -> None:
    document.reviewed_on = on
    document.review_conclusion = conclusion
    document.reviewer = reviewer
    document.status = S.REVIEWED if conclusion in PASSING else S.DRAFTING
    document.save()
    step = DOCUMENT["record_review"]
    text = step.note(document)
    _event(document, action=step.action_of(document), on=on, by=by,
           note=f"{text}{note}".strip("。") + "。")  # fmt: skip


@transaction.atomic
def document_record_review(
    document: Document, *, by, reviewed_on: dt.date, reviewer: str, conclusion: str, note: str = ""
) -> Document:
    """Record a legality review done without the legal advisor (e.g. by 司法所)."""
    DOCUMENT.guard(document, "record_review")
    check_date("reviewed_on", reviewed_on, not_before=document.drafted_on, what="起草日期")
    if not reviewer.strip():
        raise ValidationError({"reviewer": "请填写审核机构（人），如“司法所”。"})
    _apply_review_to_document(
        document, by=by, on=reviewed_on, conclusion=conclusion, reviewer=reviewer, note=note
    )
    return document


@transaction.atomic
def review_complete(
    review: LegalReview,
    *,
    by,
    completed_on: dt.date,
    conclusion: str,
    summary: str = "",
    opinions: list[str] | None = None,
    calendar: WorkCalendar | None = None,
) -> LegalReview:
    """Record the advisor's conclusion (审查结论) and opinions (建议意见) of a review.

    Counts the working days taken. For a document, a passing conclusion lets it go to
    collective discussion; 不予通过 sends it back to drafting.
    """
    if review.is_completed:
        raise ValidationError("该审查已办结，不能重复登记结论。")
    check_date("completed_on", completed_on, not_before=review.submitted_on, what="送审日期")
    if conclusion not in Conclusion.values:
        raise ValidationError({"conclusion": "请选择审查结论。"})
    calendar = calendar or WorkCalendar.load()
    review.completed_on = completed_on
    review.conclusion = conclusion
    review.summary = summary
    review.working_days = working_days_between(review.submitted_on, completed_on, calendar)
    review.save()
    texts = [t.strip() for t in (opinions or []) if t.strip()]
    ReviewOpinion.objects.bulk_create(
        [ReviewOpinion(review=review, order=i, text=t) for i, t in enumerate(texts, start=1)]
    )
    if review.document_id:
        document = Document.objects.select_for_update().get(pk=review.document_id)
        if document.status == S.REVIEWING:
            _apply_review_to_document(
                document,
                by=by,
                on=completed_on,
                conclusion=conclusion,
                reviewer=f"法律顾问{review.advisor.name}",
                note=f"提出建议意见{len(texts)}条" if texts else "",
            )
    if review.decision_id:
        _event(
            review.decision,
            action="合法性审查",
            on=completed_on,
            by=by,
            note=f"法律顾问{review.advisor.name}：{conclusion}",
        )
    return review


@transaction.atomic
def review_record_adoption(review: LegalReview, *, by, adopted: dict[int, bool | None]) -> None:
    """Mark each opinion of a review adopted (采纳), not adopted, or unknown (None).

    `adopted` maps opinion id to the mark; ids of other reviews are refused.
    """
    opinions = {o.pk: o for o in review.opinions.all()}
    unknown = set(adopted) - set(opinions)
    if unknown:
        raise ValidationError("建议意见不属于该审查。")
    for pk, mark in adopted.items():
        opinions[pk].adopted = mark
    ReviewOpinion.objects.bulk_update(list(opinions.values()), ["adopted"])
    dataversion.bump()  # a bulk write sends no signal


@transaction.atomic
def document_discuss(
    document: Document,
    *,
    by,
    meeting_name: str,
    meeting_on: dt.date,
    passed: bool,
    note: str = "",
    minutes=None,
) -> Document:
    """Record the collective discussion (集体讨论决定) of a reviewed draft.

    The legality review must have passed before the meeting (DOMAIN.md §4). A draft not passed
    goes back to drafting.
    """
    if not document.reviewed_on or document.review_conclusion not in PASSING:
        raise ValidationError("尚未通过合法性审核，不能提交集体讨论。请先送法律顾问或司法所审核。")
    DOCUMENT.guard(document, "discuss")
    check_date("meeting_on", meeting_on, not_before=document.reviewed_on, what="合法性审核日期")
    if not meeting_name.strip():
        raise ValidationError({"meeting_name": "请填写会议名称，如“镇政府常务会议”。"})
    document.meeting_name = meeting_name.strip()
    document.meeting_on = meeting_on
    if minutes:
        document.meeting_minutes = minutes
    document.status = S.DECIDED if passed else S.DRAFTING
    if not passed:
        document.meeting_on = None
    document.save()
    step = DOCUMENT["discuss"]
    result = step.note(document) if passed else f"{document.meeting_name}未通过，退回修改。"
    _event(document, action=step.action_of(document), on=meeting_on, by=by,
           note=f"{result}{note}".strip())  # fmt: skip
    return document


@transaction.atomic
def document_sign(document: Document, *, by, signed_by: str, signed_on: dt.date) -> Document:
    """Record who signed the document for issue (签发)."""
    DOCUMENT.guard(document, "sign")
    check_date("signed_on", signed_on, not_before=document.meeting_on, what="集体讨论日期")
    if not signed_by.strip():
        raise ValidationError({"signed_by": "请填写签发人。"})
    document.signed_by = signed_by.strip()
    document.signed_on = signed_on
    document.status = S.SIGNED
    document.save()
    _event(document, action="签发", on=signed_on, by=by, note=DOCUMENT["sign"].note(document))
    return document


def registration_blockers(document: Document) -> list[str]:
    """Return why `document` cannot be given a number now (empty when it can).

    A number is given only after a passing legality review, then a collective decision on or
    after it, then signing (DOMAIN.md §4, 三统一).
    """
    reasons = []
    if not document.reviewed_on or document.review_conclusion not in PASSING:
        reasons.append("尚未通过合法性审核")
    if not document.meeting_on:
        reasons.append("尚未经集体讨论决定")
    elif document.reviewed_on and document.reviewed_on > document.meeting_on:
        reasons.append("合法性审核晚于集体讨论，应先审核后讨论")
    if document.number:
        reasons.append(f"已有发文字号{document.number}")
    elif not reasons and document.status != S.SIGNED:
        reasons.append(f"当前为“{document.get_status_display()}”，应签发后登记")
    return reasons


@transaction.atomic
def document_register(document: Document, *, by, registered_on: dt.date) -> Document:
    """Register and number a signed document (统一登记、统一编号).

    Gives the 发文字号 (`机关代字〔年〕序号号`, serials per 机关代字 and year) and the 登记号
    (one series a year), both of the year of `registered_on`, gapless. Raises ValidationError
    listing what is missing when the review or decision has not happened.
    """
    # Lock the row so two clerks registering the same document cannot number it twice.
    Document.objects.select_for_update().filter(pk=document.pk).exists()
    document.refresh_from_db()
    blockers = registration_blockers(document)
    if blockers:
        raise ValidationError("不能登记编号：" + "；".join(blockers) + "。")
    DOCUMENT.guard(document, "register")
    check_date("registered_on", registered_on, not_before=document.signed_on, what="签发日期")
    year = registered_on.year
    document.year = year
    document.serial = allocate_serial(document.issuer, year)
    document.number = document_number(document.issuer, year, document.serial)
    document.register_year = year
    document.register_serial = allocate_serial(REGISTER, year)
    document.register_number = register_number(year, document.register_serial)
    document.registered_on = registered_on
    document.status = S.REGISTERED
    document.save()
    _event(
        document,
        action="登记编号",
        on=registered_on,
        by=by,
        note=DOCUMENT["register"].note(document),
    )
    return document


@transaction.atomic
def document_publish(
    document: Document,
    *,
    by,
    published_on: dt.date,
    effective_on: dt.date | None = None,
    validity_years: int | None = None,
) -> Document:
    """Record the unified issue (统一印发) and publication of a numbered document.

    `effective_on` defaults to 30 days after publication (check; settings), `validity_years` to
    5, or 2 for a 暂行/试行 document (check; settings); `expires_on` follows from them.
    """
    DOCUMENT.guard(document, "publish")
    check_date("published_on", published_on, not_before=document.registered_on, what="登记日期")
    effective_on = effective_on or published_on + dt.timedelta(
        days=deadlines.effective_after_days()
    )
    if effective_on < published_on:
        raise ValidationError({"effective_on": "施行日期不能早于印发日期。"})
    years = validity_years or deadlines.validity_years(
        provisional=deadlines.is_provisional(document.title)
    )
    if not 1 <= years <= 10:
        raise ValidationError({"validity_years": "有效期应为1至10年。"})
    document.published_on = published_on
    document.effective_on = effective_on
    document.validity_years = years
    document.expires_on = expiry_date(effective_on, years)
    document.status = S.PUBLISHED
    document.save()
    _event(
        document,
        action="印发",
        on=published_on,
        by=by,
        note=DOCUMENT["publish"].note(document),
    )
    return document


@transaction.atomic
def document_file(document: Document, *, by, filed_on: dt.date, filed_to: str) -> Document:
    """Record the filing (报备) with the county government."""
    DOCUMENT.guard(document, "file")
    check_date("filed_on", filed_on, not_before=document.published_on, what="印发日期")
    if not filed_to.strip():
        raise ValidationError({"filed_to": "请填写报备机关。"})
    document.filed_on, document.filed_to = filed_on, filed_to.strip()
    document.status = S.FILED
    document.save()
    _event(document, action="报备", on=filed_on, by=by, note=DOCUMENT["file"].note(document))
    return document


@transaction.atomic
def document_withdraw(document: Document, *, by, on: dt.date, reason: str) -> Document:
    """Withdraw a numbered document before issue; its number stays in the register as void.

    The number is not given again: the next registration takes the next serial.
    """
    DOCUMENT.guard(document, "withdraw")
    check_date("ended_on", on, not_before=document.registered_on, what="登记日期")
    if not reason.strip():
        raise ValidationError({"end_reason": "请填写撤回理由。"})
    document.status = S.WITHDRAWN
    document.ended_on, document.end_reason = on, reason.strip()
    document.save()
    step = DOCUMENT["withdraw"]
    _event(document, action=step.action_of(document), on=on, by=by, note=step.note(document))
    return document


@transaction.atomic
def document_void(document: Document, *, by, reason: str) -> Document:
    """Void a document registered in error before it was numbered (作废).

    A numbered document keeps its number in the register: it is withdrawn (撤回, 文号作废) or
    ended instead, so this raises ValidationError for it, as for a blank reason.
    """
    if document.number:
        raise ValidationError(
            "已编号的文件不能作废：印发前请用“撤回（文号作废）”，印发后请登记修改、废止或失效。"
        )
    void_record(document, by=by, reason=reason)
    _event(document, action="作废", on=today(), by=by, note=f"理由：{document.void_reason}")
    return document


END_STATUSES = {
    outcome: (status, END_WORDS[status])
    for outcome, status in (
        ("amended", S.AMENDED),
        ("repealed", S.REPEALED),
        ("expired", S.EXPIRED),
        ("not_normative", S.NOT_NORMATIVE),
    )
}


@transaction.atomic
def document_end(
    document: Document, *, by, outcome: str, on: dt.date, reason: str = ""
) -> Document:
    """Record that a document in force was amended, repealed, expired or is not normative.

    `outcome` is a key of `END_STATUSES`. 修改 keeps it in force (as amended); the others end it
    on `on`.
    """
    if outcome not in END_STATUSES:
        raise ValidationError({"outcome": "请选择处理结果。"})
    status, word = END_STATUSES[outcome]
    DOCUMENT.guard(document, "end")
    check_date("ended_on", on, not_before=document.published_on, what="印发日期")
    document.status = status
    if status != S.AMENDED:
        document.ended_on = on
    document.end_reason = reason.strip()
    document.save()
    step = DOCUMENT["end"]
    _event(document, action=step.action_of(document), on=on, by=by, note=step.note(document))
    return document


# --- Ledger imports (登记簿, 审查台账) ---------------------------------------------------------


@dataclass
class ImportedRow:
    """One ledger row to write: the record's field values, the timeline note naming its file
    and row, the record on file it updates (None: a new record) and what else it carries
    (a review's opinions, `extra["opinions"]`: [(text, adopted or None)])."""

    values: dict
    note: str
    existing: Any = None
    extra: dict = field(default_factory=dict)


def _raise_document_counters(rows: list[ImportedRow]) -> None:
    """Make each 机关代字's and the 登记号's counter of a year at least the highest serial in
    the file or on file, so registration goes on after the imported numbers."""
    highest: dict[tuple[str, int], int] = defaultdict(int)
    for row in rows:
        v = row.values
        highest[(v["issuer"], v["year"])] = max(highest[(v["issuer"], v["year"])], v["serial"])
        if v.get("register_serial"):
            key = (REGISTER, v["register_year"])
            highest[key] = max(highest[key], v["register_serial"])
    years = {year for _register, year in highest}
    for issuer, year, top in (
        Document.objects.filter(year__in=years)
        .values_list("issuer", "year")
        .annotate(top=Max("serial"))
    ):
        if (issuer, year) in highest:
            highest[(issuer, year)] = max(highest[(issuer, year)], top or 0)
    for year, top in (
        Document.objects.filter(register_year__in=years)
        .values_list("register_year")
        .annotate(top=Max("register_serial"))
    ):
        if (REGISTER, year) in highest:
            highest[(REGISTER, year)] = max(highest[(REGISTER, year)], top or 0)
    raise_serials(highest)


@transaction.atomic
def documents_import(rows: list[ImportedRow], *, by) -> list[Document]:
    """Write the rows of a register file (规范性文件登记簿) in bulk; return the documents in order.

    A row carries a numbered document's fields (发文字号 and 登记号 included, as the file gives
    them): the counters are raised past them first. A new document is inserted with its
    timeline: the 导入 entry (`row.note`) and the steps its values imply, as the declared flow
    words them (`DOCUMENT.implied_events`, the wording the step services write). A document
    on file gets the row's values, an 导入 entry, and the steps the row newly implies. One
    insert each for documents, history rows (naming `by`, masked as a single save's) and
    timeline entries; one update for the changed documents.
    """
    _raise_document_counters(rows)
    on = today()
    new, changed, events, fields = [], [], [], set()
    for row in rows:
        if row.existing is None:
            new.append(Document(created_by=by, **row.values))
            continue
        document = row.existing
        before = {action for action, _on, _note in DOCUMENT.implied_events(document)}
        for name, value in row.values.items():
            setattr(document, name, value)
        fields |= set(row.values)
        changed.append(document)
        events.append(Event.build(document, action="导入", on=on, by=by, note=row.note))
        events.extend(
            Event.build(document, action=action, on=day, by=by, note=note)
            for action, day, note in DOCUMENT.implied_events(document)
            if action not in before
        )
    bulk_save(Document, new=new, changed=changed, fields=fields, by=by)
    for document, row in zip(new, (r for r in rows if r.existing is None), strict=True):
        events.append(Event.build(document, action="导入", on=on, by=by, note=row.note))
        events.extend(
            Event.build(document, action=action, on=day, by=by, note=note)
            for action, day, note in DOCUMENT.implied_events(document)
        )
    Event.objects.bulk_create(events, batch_size=1000)
    saved = iter(new)
    return [row.existing or next(saved) for row in rows]


@transaction.atomic
def reviews_import(rows: list[ImportedRow], *, by) -> list[LegalReview]:
    """Write the rows of a review ledger (法律顾问审查台账) in bulk; return the reviews in order.

    A new review is entered by `by` as `review_send` enters one, with its opinions (建议意见)
    and their adoption marks (`row.extra["opinions"]`); a review on file gets the row's
    values, and its opinions are replaced by the row's. One insert each for reviews, history
    rows (naming `by`) and opinions, one update for changed reviews, one delete for the
    opinions replaced.
    """
    new, changed, fields = [], [], set()
    for row in rows:
        if row.existing is None:
            new.append(LegalReview(created_by=by, **row.values))
        else:
            for name, value in row.values.items():
                setattr(row.existing, name, value)
            fields |= set(row.values)
            changed.append(row.existing)
    bulk_save(LegalReview, new=new, changed=changed, fields=fields, by=by)
    ReviewOpinion.objects.filter(review__in=changed).delete()
    saved = iter(new)
    reviews = [row.existing or next(saved) for row in rows]
    ReviewOpinion.objects.bulk_create(
        [
            ReviewOpinion(review=review, order=i, text=text, adopted=mark)
            for review, row in zip(reviews, rows, strict=True)
            for i, (text, mark) in enumerate(row.extra.get("opinions", ()), start=1)
        ],
        batch_size=1000,
    )
    return reviews


# --- Major decisions -------------------------------------------------------------------------


@transaction.atomic
def decision_start(*, by, title: str, unit, started_on: dt.date, summary: str = "") -> Decision:
    """Open a major administrative decision (重大行政决策) and its checklist of steps."""
    check_date("started_on", started_on)
    decision = Decision(
        title=title.strip(), unit=unit, started_on=started_on, summary=summary, created_by=by
    )
    decision.full_clean(exclude=["created_by"])
    decision.save()
    _event(decision, action="启动决策程序", on=started_on, by=by, note=f"承办单位：{unit.name}")
    return decision


@transaction.atomic
def decision_record_participation(
    decision: Decision,
    *,
    by,
    participation_from: dt.date,
    participation_to: dt.date,
    form: str = "",
    note: str = "",
) -> Decision:
    """Record the public comment period (公众参与): at least 30 days (《条例》第十五条)."""
    DECISION.guard(decision, "participation")
    check_date(
        "participation_from", participation_from, not_before=decision.started_on, what="启动日期"
    )
    check_date("participation_to", participation_to)
    days = (participation_to - participation_from).days + 1
    if days < deadlines.COMMENT_MIN_DAYS:
        raise ValidationError(
            {
                "participation_to": f"征求意见期限为{days}日，少于{deadlines.COMMENT_MIN_DAYS}日"
                "（《重大行政决策程序暂行条例》第十五条）。"
            }
        )
    decision.participation_from, decision.participation_to = participation_from, participation_to
    decision.participation_form, decision.participation_note = form, note
    decision.save()
    _event(
        decision,
        action="公众参与",
        on=participation_to,
        by=by,
        note=f"{cn_date(participation_from)}至{cn_date(participation_to)}征求意见，共{days}日。{form}",
    )
    return decision


def _record_optional_step(
    decision: Decision, *, by, step: str, label: str, required: bool, on, note: str, reason: str
) -> Decision:
    DECISION.guard(decision, step)
    if required:
        check_date(f"{step}_on", on, not_before=decision.started_on, what="启动日期")
        if not note.strip():
            raise ValidationError({f"{step}_note": f"请填写{label}的结论或意见。"})
        setattr(decision, f"{step}_on", on)
        setattr(decision, f"{step}_note", note.strip())
        setattr(decision, f"{step}_not_required_reason", "")
        text = note.strip()
    else:
        if not reason.strip():
            raise ValidationError({f"{step}_not_required_reason": f"不需要{label}的，须写明理由。"})
        setattr(decision, f"{step}_on", None)
        setattr(decision, f"{step}_not_required_reason", reason.strip())
        text = f"无需{label}：{reason.strip()}"
        on = on or today()
    setattr(decision, f"{step}_required", required)
    decision.save()
    _event(decision, action=label, on=on, by=by, note=text)
    return decision


@transaction.atomic
def decision_record_expert(
    decision: Decision, *, by, required: bool, on=None, note: str = "", reason: str = ""
) -> Decision:
    """Record the expert appraisal (专家论证, 第十九条), or why it is not required."""
    return _record_optional_step(
        decision, by=by, step="expert", label="专家论证", required=required, on=on, note=note,
        reason=reason,
    )  # fmt: skip


@transaction.atomic
def decision_record_risk(
    decision: Decision, *, by, required: bool, on=None, note: str = "", reason: str = ""
) -> Decision:
    """Record the risk assessment (风险评估, 第二十二条), or why it is not required."""
    return _record_optional_step(
        decision, by=by, step="risk", label="风险评估", required=required, on=on, note=note,
        reason=reason,
    )  # fmt: skip


@transaction.atomic
def decision_send_for_review(
    decision: Decision, *, by, advisor: Advisor, submitted_on: dt.date, material: str = ""
) -> LegalReview:
    """Send the draft decision to the legal advisor for legality review (合法性审查)."""
    DECISION.guard(decision, "send_review")
    review = review_send(
        by=by,
        kind=LegalReview.Kind.DECISION,
        advisor=advisor,
        unit=decision.unit,
        submitted_on=submitted_on,
        material=material,
        decision=decision,
    )
    _event(
        decision, action="送合法性审查", on=submitted_on, by=by, note=f"法律顾问：{advisor.name}"
    )
    return review


def passing_review(decision: Decision, *, by_date: dt.date | None = None) -> LegalReview | None:
    """Return the decision's latest passing legality review completed by `by_date`, or None."""
    reviews = decision.reviews.filter(conclusion__in=PASSING, completed_on__isnull=False)
    if by_date:
        reviews = reviews.filter(completed_on__lte=by_date)
    return reviews.order_by("-completed_on").first()


def decision_checklist(decision: Decision, *, meeting_on: dt.date | None = None) -> list[dict]:
    """Return the five required steps as dicts: key, label, done (bool), text, basis.

    A step not required (专家论证, 风险评估 with a reason) counts as done. The legality review
    counts only when it passed on or before `meeting_on` (default: the recorded meeting date).
    """
    meeting_on = meeting_on or decision.meeting_on
    days = decision.participation_days
    review = passing_review(decision, by_date=meeting_on)
    steps = [
        {
            "key": "participation",
            "label": "公众参与",
            "done": days is not None and days >= deadlines.COMMENT_MIN_DAYS,
            "text": f"{cn_date(decision.participation_from)}至{cn_date(decision.participation_to)}，"
            f"共{days}日"
            if days
            else "未登记",
            "basis": "第十五条：征求意见期限不少于30日",
        },
        {
            "key": "expert",
            "label": "专家论证",
            "done": bool(decision.expert_on) or not decision.expert_required,
            "text": (
                f"{cn_date(decision.expert_on)}：{decision.expert_note}"
                if decision.expert_on
                else (
                    f"无需论证：{decision.expert_not_required_reason}"
                    if not decision.expert_required
                    else "未登记"
                )
            ),
            "basis": "第十九条",
        },
        {
            "key": "risk",
            "label": "风险评估",
            "done": bool(decision.risk_on) or not decision.risk_required,
            "text": (
                f"{cn_date(decision.risk_on)}：{decision.risk_note}"
                if decision.risk_on
                else (
                    f"无需评估：{decision.risk_not_required_reason}"
                    if not decision.risk_required
                    else "未登记"
                )
            ),
            "basis": "第二十二条",
        },
        {
            "key": "legality",
            "label": "合法性审查",
            "done": review is not None,
            "text": (
                f"{cn_date(review.completed_on)} 法律顾问{review.advisor.name}：{review.conclusion}"
                if review
                else "未通过或未完成合法性审查"
            ),
            "basis": "第二十五条至第二十八条：集体讨论前完成",
        },
        {
            "key": "discussion",
            "label": "集体讨论决定",
            "done": bool(decision.meeting_on) and decision.status != Decision.Status.IN_PROGRESS,
            "text": (
                f"{cn_date(decision.meeting_on)} {decision.meeting_name}"
                if decision.meeting_on
                else "未登记"
            ),
            "basis": "第二十九条、第三十条",
        },
    ]
    return steps


@transaction.atomic
def decision_discuss(
    decision: Decision,
    *,
    by,
    meeting_name: str,
    meeting_on: dt.date,
    adopted: bool = True,
    result: str = "",
    minutes=None,
) -> Decision:
    """Record the collective discussion (集体讨论决定, 第二十九条、第三十条).

    Refused while a required step is missing: the comment period of at least 30 days, the
    expert and risk steps (unless marked not required with a reason), and a legality review
    that passed on or before the meeting (第二十五条至第二十八条).
    """
    DECISION.guard(decision, "discuss")
    check_date("meeting_on", meeting_on, not_before=decision.started_on, what="启动日期")
    missing = [
        s["label"]
        for s in decision_checklist(decision, meeting_on=meeting_on)
        if s["key"] != "discussion" and not s["done"]
    ]
    if missing:
        raise ValidationError(
            "不能登记集体讨论决定，以下必经程序尚未完成：" + "、".join(missing) + "。"
        )
    if not meeting_name.strip():
        raise ValidationError({"meeting_name": "请填写会议名称，如“镇政府常务会议”。"})
    decision.meeting_name, decision.meeting_on = meeting_name.strip(), meeting_on
    decision.meeting_result = result
    if minutes:
        decision.meeting_minutes = minutes
    decision.status = Decision.Status.DECIDED if adopted else Decision.Status.NOT_ADOPTED
    decision.save()
    _event(
        decision,
        action="集体讨论决定",
        on=meeting_on,
        by=by,
        note=f"{meeting_name}{'审议通过' if adopted else '未通过'}。{result}".strip(),
    )
    return decision


@transaction.atomic
def decision_publish(decision: Decision, *, by, published_on: dt.date) -> Decision:
    """Record the publication (公布) of an adopted decision (第三十二条)."""
    DECISION.guard(decision, "publish")
    check_date("published_on", published_on, not_before=decision.meeting_on, what="集体讨论日期")
    decision.published_on = published_on
    decision.status = Decision.Status.PUBLISHED
    decision.save()
    _event(decision, action="公布", on=published_on, by=by)
    return decision


@transaction.atomic
def decision_archive(decision: Decision, *, by, archived_on: dt.date) -> Decision:
    """Record the archiving (归档) of a decision's file (第三十六条)."""
    DECISION.guard(decision, "archive")
    not_before = decision.published_on or decision.meeting_on
    check_date("archived_on", archived_on, not_before=not_before, what="公布日期")
    decision.archived_on = archived_on
    decision.status = Decision.Status.ARCHIVED
    decision.save()
    _event(decision, action="归档", on=archived_on, by=by)
    return decision


# --- Clean-up campaigns ----------------------------------------------------------------------


@transaction.atomic
def cleanup_start(
    *, by, title: str, started_on: dt.date, documents, scope: str = ""
) -> CleanupCampaign:
    """Open a clean-up campaign (清理) covering `documents` (those in force on `started_on`)."""
    check_date("started_on", started_on)
    documents = list(documents)
    if not documents:
        raise ValidationError({"documents": "清理范围内没有现行有效的规范性文件。"})
    not_in_force = [d.number or d.title for d in documents if d.status not in Document.IN_FORCE]
    if not_in_force:
        raise ValidationError(
            {"documents": "以下文件已不是现行有效文件，无需清理：" + "、".join(not_in_force)}
        )
    campaign = CleanupCampaign.objects.create(
        title=title.strip(), started_on=started_on, scope=scope, created_by=by
    )
    CleanupItem.objects.bulk_create([CleanupItem(campaign=campaign, document=d) for d in documents])
    return campaign


@transaction.atomic
def cleanup_record(campaign: CleanupCampaign, *, outcomes: dict[int, tuple[str, str]]) -> None:
    """Record each covered document's outcome: {item id: (outcome, note)}; blank leaves it open."""
    if campaign.finished_on:
        raise ValidationError("清理已完成，结果不能再修改。")
    items = {i.pk: i for i in campaign.items.all()}
    for pk, (outcome, note) in outcomes.items():
        if pk not in items:
            raise ValidationError("文件不在本次清理范围内。")
        if outcome and outcome not in CleanupItem.Outcome.values:
            raise ValidationError(f"“{outcome}”不是可选的清理结果。")
        items[pk].outcome, items[pk].note = outcome, note
    CleanupItem.objects.bulk_update(list(items.values()), ["outcome", "note"])
    dataversion.bump()  # a bulk write sends no signal


OUTCOME_TO_END = {
    CleanupItem.Outcome.AMEND: "amended",
    CleanupItem.Outcome.REPEAL: "repealed",
    CleanupItem.Outcome.EXPIRE: "expired",
    CleanupItem.Outcome.NOT_NORMATIVE: "not_normative",
}


def cleanup_totals(campaign: CleanupCampaign) -> dict[str, int]:
    """Return the number of documents per outcome (every outcome, zeros too), then
    "未确定" (no outcome yet) and "合计" (documents covered). The outcomes and 未确定 add up to 合计.
    """
    counts = Counter(campaign.items.values_list("outcome", flat=True))
    totals = {label: counts.get(value, 0) for value, label in CleanupItem.Outcome.choices}
    totals["未确定"] = counts.get("", 0)
    totals["合计"] = sum(counts.values())
    return totals


@transaction.atomic
def cleanup_finish(campaign: CleanupCampaign, *, by, finished_on: dt.date) -> dict[str, int]:
    """Finish a clean-up: every document needs an outcome; apply them to the documents.

    继续有效 leaves a document as it is; 修改, 废止, 宣布失效 and 不属于规范性文件 change its
    status from `finished_on` (see `document_end`). Returns `cleanup_totals`.
    """
    if campaign.finished_on:
        raise ValidationError("清理已完成。")
    check_date("finished_on", finished_on, not_before=campaign.started_on, what="开始日期")
    items = list(campaign.items.select_related("document"))
    open_items = [i.document.number or i.document.title for i in items if not i.outcome]
    if open_items:
        raise ValidationError(
            f"还有{len(open_items)}件文件未确定清理结果：" + "、".join(open_items[:5])
            + ("等" if len(open_items) > 5 else "") + "。"
        )  # fmt: skip
    for item in items:
        if item.outcome in OUTCOME_TO_END and item.document.status in Document.IN_FORCE:
            document_end(
                item.document,
                by=by,
                outcome=OUTCOME_TO_END[item.outcome],
                on=finished_on,
                reason=f"{campaign.title}：{item.outcome}。{item.note}".strip("。") + "。",
            )
    campaign.finished_on = finished_on
    campaign.save(update_fields=["finished_on"])
    return cleanup_totals(campaign)
