"""The steps of a 行政复议/行政应诉 case, declared once (`miaoba.workflow`).

Services guard each step with these declarations, the case page lists the steps a user may
take from them, and the ledger derives the steps a row implies from them. Rules: DOMAIN.md §11
(《行政复议法》2023年修订, 《行政诉讼法》).
"""

from __future__ import annotations

from miaoba.workflow import Step, Workflow, all_of, once
from reconsideration import deadlines as dl
from reconsideration.models import Case

S = Case.Status
ONCE_MORE = "已于{cn}登记，不能再次登记；如有错误请更正。"
OPEN = frozenset({S.REGISTERED, S.ANSWERED, S.DECIDED, S.APPEALED})


def _litigation(case) -> str | None:
    """只有行政诉讼案件可以上诉"""
    return None if case.is_litigation else "行政复议决定不能上诉；不服的可依法提起行政诉讼。"


def _appealable(case) -> str | None:
    """一审判决、裁定已送达"""
    if not case.served_on:
        return "尚未登记判决（裁定）送达日期，不能登记上诉。"
    if case.outcome in ("调解", "撤诉"):
        return f"案件以{case.get_outcome_display()}结案，不能上诉。"
    return None


def _against(case) -> str | None:
    """结果为撤销、变更、确认违法或责令履行"""
    if not case.is_against:
        return f"结果为“{case.get_outcome_display()}”，行政行为未被纠正，无需登记纠正。"
    return None


def _appearance_note(case) -> str:
    note = f"{case.get_appearance_display()}：{case.appeared_name}"
    return note + (
        f"；未能由负责人出庭的原因：{case.entrust_reason}" if case.entrust_reason else ""
    )


def _recorded(name: str, label: str, after: frozenset, service: str, **kwargs) -> Step:
    """Return a step whose recorded fields are its form's: the model fields `args` names, in
    order (the first is the step's date)."""
    return Step(name, label, after, service, fields=tuple(kwargs["args"].values()), **kwargs)


CASE = Workflow(
    Case,
    template="reconsideration/case_step.html",
    void="case_void",
    noun="行政复议应诉案件",
    steps=[
        Step(
            "register", "登记", frozenset(), "case_register",
            fields=("received_on",),
            note=lambda c: f"{c.kind}，{c.body}，{c.act_kind}",
        ),
        _recorded(
            "answer", "答复答辩", frozenset({S.REGISTERED}), "case_answer",
            basis=f"{dl.ANSWER_BASIS['2023']}；{dl.DEFENCE_BASIS}",
            form="AnswerForm", args={"on": "answered_on", "note": "answer_note"},
            action=lambda c: c.answer_word,
            note=lambda c: c.answer_note[:100],
        ),
        _recorded(
            "hearing", "开庭听证", frozenset({S.ANSWERED}), "case_hearing",
            basis=dl.HEAD_APPEARANCE_BASIS,
            form="HearingForm",
            args={
                "on": "heard_on", "appearance": "appearance", "name": "appeared_name",
                "reason": "entrust_reason",
            },
            refusals={S.REGISTERED: "尚未答复（答辩），不能登记开庭（听证）。"},
            when=once("heard_on", "开庭（听证）" + ONCE_MORE),
            action=lambda c: c.hearing_word,
            note=_appearance_note,
        ),
        _recorded(
            "decide", "登记结果", frozenset({S.ANSWERED}), "case_decide",
            form="DecisionForm",
            args={
                "on": "decided_on", "outcome": "outcome", "served_on": "served_on",
                "note": "decision_note",
            },
            refusals={S.REGISTERED: "尚未答复（答辩），不能登记结果。"},
            action=lambda c: c.decision_word,
            note=lambda c: f"结果：{c.get_outcome_display()}",
        ),
        _recorded(
            "appeal", "上诉", frozenset({S.DECIDED}), "case_appeal",
            basis=dl.APPEAL_BASIS,
            form="AppealForm", args={"on": "appealed_on", "appellant": "appellant"},
            when=all_of(_litigation, _appealable),
            primary=False,
            note=lambda c: c.get_appellant_display(),
        ),
        _recorded(
            "correct", "纠正行政行为", frozenset({S.DECIDED, S.APPEALED}), "case_correct",
            form="CorrectionForm", args={"on": "corrected_on", "note": "correction_note"},
            when=all_of(_against, once("corrected_on", "纠正情况" + ONCE_MORE)),
            note=lambda c: c.correction_note[:100],
        ),
        Step(
            "advise", "关联法律顾问审查", OPEN, "case_link_review",
            form="ReviewLinkForm", args={"review": "review"},
            fields=(),
            when=once("review_id", "已关联法律顾问审查，不能再次关联。"),
            primary=False,
            implied=lambda c: False,
        ),
    ],
)  # fmt: skip
