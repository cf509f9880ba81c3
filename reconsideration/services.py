"""Workflow steps of 行政复议/行政应诉 cases (`<entity>_<action>`, keyword-only, one transaction).

Each step is guarded by its declaration in `reconsideration.flows` (state, once-only, and the
like), checks its own dates and writes the step onto the case's timeline. A step the law does
not allow raises `django.core.exceptions.ValidationError` whose message (or message dict,
keyed by form field) is the Chinese text shown to the clerk. Forms, the ledger import and the
demo loader all write through these functions.
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction

from disputes.models import as_entered
from disputes.services import PersonData, people_resolve_many
from miaoba.records import check_token_unused, save_new_once, void_record
from miaoba.workcalendar import WorkCalendar, cn_date
from miaoba.workflow import check_date, today
from reconsideration.clocks import appeal_due
from reconsideration.flows import CASE
from reconsideration.models import Applicant, Case, Event

__all__ = [
    "PersonData",
    "case_answer",
    "case_appeal",
    "case_correct",
    "case_decide",
    "case_hearing",
    "case_link_review",
    "case_register",
    "case_void",
]


def _event(case: Case, *, action: str, on: dt.date, by, note: str = "") -> None:
    # The timeline is an audit record too: Event.add masks ID and mobile numbers.
    Event.add(case, action=action, on=on, by=by, note=note)


def _note(case: Case, name: str) -> str:
    step = CASE[name]
    return step.note(case) if step.note else ""


@transaction.atomic
def case_register(
    *,
    by,
    kind: str,
    case_number: str,
    body: str,
    received_on: dt.date,
    act: str,
    act_kind: str,
    unit,
    applicants: list[PersonData],
    act_number: str = "",
    claims: str = "",
    form_token=None,
) -> Case:
    """Register a case (登记): the copy of the application or complaint received.

    `applicants` are the 申请人 / 原告 in order (at least one). Raises ValidationError for a
    missing applicant, a date in the future, an unknown kind, or a 案号 already on file (among
    cases not voided); `miaoba.records.DuplicateSubmission` when the same form was posted twice.
    """
    check_token_unused(Case, form_token)
    check_date("received_on", received_on)
    if not applicants:
        raise ValidationError({"applicants": "至少登记一名申请人（原告）。"})
    case_number = (case_number or "").strip()
    if case_number and Case.objects.active().filter(case_number=case_number).exists():
        raise ValidationError({"case_number": f"案号{case_number}已登记，请勿重复登记。"})
    case = Case(
        kind=kind,
        case_number=case_number,
        body=(body or "").strip(),
        received_on=received_on,
        act=(act or "").strip(),
        act_kind=act_kind,
        act_number=(act_number or "").strip(),
        claims=(claims or "").strip(),
        unit=unit,
        created_by=by,
        form_token=form_token,
    )
    case.full_clean(exclude=["created_by", "form_token"], validate_constraints=False)
    save_new_once(case)
    people = people_resolve_many(applicants, by=by)
    Applicant.objects.bulk_create(
        [
            Applicant(case=case, person=person, order=order, **as_entered(data))
            for order, (person, data) in enumerate(zip(people, applicants, strict=True))
        ]
    )
    who = "申请人" if kind == Case.Kind.RECONSIDERATION else "原告"
    _event(
        case,
        action="登记",
        on=received_on,
        by=by,
        note=f"{_note(case, 'register')}；{who}{len(applicants)}名",
    )
    return case


@transaction.atomic
def case_answer(case: Case, *, by, on: dt.date, note: str = "") -> Case:
    """Record the written answer (书面答复, 复议) or the 答辩状 with evidence (诉讼).

    Due 10 days (复议) or 15 days (诉讼) from receiving the copy (`reconsideration.clocks`); a
    late answer is recorded and shows as late. Raises ValidationError once answered or for a
    date before the copy was received. Source: 《行政复议法》第四十八条; 《行政诉讼法》第六十七条.
    """
    CASE.guard(case, "answer")
    check_date("answered_on", on, not_before=case.received_on, what="收到副本日期")
    case.status = Case.Status.ANSWERED
    case.answered_on = on
    case.answer_note = (note or "").strip()
    case.save()
    _event(case, action=case.answer_word, on=on, by=by, note=_note(case, "answer"))
    return case


ENTRUST_REQUIRED = (
    "委托工作人员出庭的，须写明负责人未能出庭的原因（《行政诉讼法》第三条第三款："
    "行政机关负责人应当出庭应诉，不能出庭的，应当委托行政机关相应的工作人员出庭）。"
)


@transaction.atomic
def case_hearing(
    case: Case, *, by, on: dt.date, appearance: str, name: str, reason: str = ""
) -> Case:
    """Record the hearing (开庭, 诉讼; 听证, 复议): its date and who appeared for the township.

    `appearance` says whether the head (正职负责人), a deputy head (副职负责人) or an entrusted
    staff member (委托工作人员) appeared; `name` who. An entrusted staff member needs the reason
    the head could not appear (`reason`). Raises ValidationError otherwise, once recorded, or
    for a date before the answer. Source: 《行政诉讼法》第三条第三款.
    """
    CASE.guard(case, "hearing")
    if appearance not in Case.Appearance.values:
        raise ValidationError({"appearance": "请选择出庭（听证）人员身份。"})
    if not (name or "").strip():
        raise ValidationError({"appeared_name": "请填写出庭（听证）人员姓名及职务。"})
    reason = (reason or "").strip()
    if appearance == Case.Appearance.ENTRUSTED and not reason:
        raise ValidationError({"entrust_reason": ENTRUST_REQUIRED})
    check_date("heard_on", on, not_before=case.answered_on, what="答复（答辩）日期")
    case.heard_on = on
    case.appearance = appearance
    case.appeared_name = name.strip()
    case.entrust_reason = reason if appearance == Case.Appearance.ENTRUSTED else ""
    case.save()
    _event(case, action=case.hearing_word, on=on, by=by, note=_note(case, "hearing"))
    return case


@transaction.atomic
def case_decide(
    case: Case,
    *,
    by,
    on: dt.date,
    outcome: str,
    served_on: dt.date | None = None,
    note: str = "",
) -> Case:
    """Record the 复议决定 or the court's 判决 / 裁定 (outcome), and when it was served.

    The outcome must be one the body can give (复议: 维持, 驳回复议请求, 撤销, 变更, 确认违法,
    责令履行, 调解/和解, 终止; 诉讼: 驳回诉讼请求, 撤销, 确认违法, 判决履行, 变更, 调解, 驳回起诉,
    撤诉). The appeal period runs from `served_on` (《行政诉讼法》第八十五条). Raises
    ValidationError otherwise, or for dates before the answer / the decision.
    """
    CASE.guard(case, "decide")
    allowed = Case.LITIGATION_OUTCOMES if case.is_litigation else Case.RECONSIDERATION_OUTCOMES
    if outcome not in allowed:
        names = "、".join(Case.Outcome(o).label for o in Case.Outcome.values if o in allowed)
        raise ValidationError({"outcome": f"{case.kind}的结果只能是：{names}。"})
    check_date("decided_on", on, not_before=case.answered_on, what="答复（答辩）日期")
    if served_on is not None:
        check_date("served_on", served_on, not_before=on, what="决定（判决）日期")
    case.status = Case.Status.DECIDED
    case.decided_on = on
    case.outcome = outcome
    case.served_on = served_on
    case.decision_note = (note or "").strip()
    case.save()
    _event(case, action=case.decision_word, on=on, by=by, note=_note(case, "decide"))
    return case


@transaction.atomic
def case_appeal(case: Case, *, by, on: dt.date, appellant: str) -> Case:
    """Record an appeal (上诉) against the first-instance judgment or ruling.

    Within 15 days of service of a judgment, 10 days of a ruling (《行政诉讼法》第八十五条),
    with the calendar's rest-day rule. Raises ValidationError for a 复议 case, before service,
    after the period, or without the appellant.
    """
    CASE.guard(case, "appeal")
    if appellant not in Case.Appellant.values:
        raise ValidationError({"appellant": "请选择上诉人。"})
    check_date("appealed_on", on, not_before=case.served_on, what="送达日期")
    due = appeal_due(case, WorkCalendar.load())
    if due is not None and on > due.date:
        raise ValidationError(
            {"appealed_on": f"上诉期限已于{cn_date(due.date)}届满（{due.explanation}）。"}
        )
    case.status = Case.Status.APPEALED
    case.appealed_on = on
    case.appellant = appellant
    case.save()
    _event(case, action="上诉", on=on, by=by, note=_note(case, "appeal"))
    return case


@transaction.atomic
def case_correct(case: Case, *, by, on: dt.date, note: str) -> Case:
    """Record how the township corrected its act after a decision against it (纠正行政行为).

    Only after 撤销, 变更, 确认违法 or 责令履行; once. Raises ValidationError otherwise, without
    a note, or for a date before the decision.
    """
    CASE.guard(case, "correct")
    if not (note or "").strip():
        raise ValidationError({"correction_note": "请写明如何纠正（撤销、重新作出、履行职责等）。"})
    check_date("corrected_on", on, not_before=case.decided_on, what="决定（判决）日期")
    case.corrected_on = on
    case.correction_note = note.strip()
    case.save()
    _event(case, action="纠正行政行为", on=on, by=by, note=_note(case, "correct"))
    return case


@transaction.atomic
def case_link_review(case: Case, *, by, review) -> Case:
    """Link the legal advisor's review of the case (法律顾问审查, kept in `normative_docs`).

    Once; the review must be one `by` may see. Raises ValidationError otherwise.
    """
    CASE.guard(case, "advise")
    if review is None:
        raise ValidationError({"review": "请选择法律顾问审查。"})
    if (
        not by.has_perm("normative_docs.view_all_reviews")
        and not by.units.filter(pk=review.unit_id).exists()
    ):
        raise ValidationError({"review": "只能关联本单位送审的法律顾问审查。"})
    case.review = review
    case.save()
    _event(case, action="关联法律顾问审查", on=today(), by=by, note=str(review))
    return case


@transaction.atomic
def case_void(case: Case, *, by, reason: str) -> Case:
    """Void a case registered in error (作废): it stays on file, tagged 已作废, and leaves the
    lists and figures. Raises ValidationError without a reason or when already voided."""
    void_record(case, by=by, reason=reason)
    _event(case, action="作废", on=today(), by=by, note=f"理由：{case.void_reason}")
    return case
