"""The steps of a petition (信访件) and of a dispute (矛盾纠纷), each declared once.

Services guard each step with these declarations, the case pages list the steps a user may take
from them, and the ledgers derive the steps a row implies from them (`miaoba.workflow`).
Rules: DOMAIN.md §2 (《信访条例》2005, 《信访工作条例》2022) and §3 (《人民调解法》,
司法部令第75号).
"""

from __future__ import annotations

from disputes import deadlines as dl
from disputes.models import Dispute, Petition
from miaoba.workflow import Step, Workflow, all_of, once, requires

P, D = Petition.Status, Dispute.Status

# --- Petitions -------------------------------------------------------------------------------


def _reply_note(p) -> str:
    note = f"答复方式：{p.reply_form}"
    return note + (f"；评价：{p.satisfaction}" if p.satisfaction else "")


def _reject_note(p) -> str:
    note = f"理由：{p.rejection_reason}"
    return note + (f"；告知向{p.redirect_to}提出" if p.redirect_to else "")


def _again(name: str, result_step: str) -> str:
    return (
        f"{name}申请已于{{value}}登记，不能再次登记；{result_step}请用“登记{result_step}”，"
        "登记有误的请更正。"
    )


ONCE_MORE = "已于{value}登记，不能再次登记；如有错误请更正。"


_NOT_REPLIED = (P.REGISTERED, P.ACCEPTED, P.CONCLUDED, P.REJECTED)


def _review_steps(level: str, name: str, after: str, refusal: str) -> tuple[Step, Step]:
    """Declare the request and the opinion of a 复查 (`level="review"`) or 复核 ("recheck"):
    each recorded once; the request after the reply (复查) or the 复查 opinion (复核), within 30
    days; the opinion due 30 days after the request. The 2005 rule numbers the articles one lower.
    """
    basis = (dl.REVIEW_BASIS if level == "review" else dl.RECHECK_BASIS).values()
    basis = "；".join(basis)
    form = "PetitionReview" if level == "review" else "PetitionRecheck"
    request = Step(
        level,
        f"登记{name}",
        frozenset({P.REPLIED}),
        "petition_record_review",
        form=f"{form}Form",
        fixed={"level": level},
        args={
            "requested_on": f"{level}_requested_on",
            "result": f"{level}_result",
            "concluded_on": f"{level}_concluded_on",
        },
        fields=(f"{level}_requested_on",),
        basis=basis,
        refusals=dict.fromkeys(_NOT_REPLIED, refusal),
        when=all_of(
            requires(after, refusal), once(f"{level}_requested_on", _again(name, f"{name}意见"))
        ),
        primary=False,
        note=lambda p: f"申请日期{getattr(p, f'{level}_requested_on'):%Y-%m-%d}",
    )
    opinion = Step(
        f"{level}_opinion",
        f"登记{name}意见",
        frozenset({P.REPLIED}),
        "petition_record_review_opinion",
        form=f"{form}OpinionForm",
        fixed={"level": level},
        args={"result": f"{level}_result", "concluded_on": f"{level}_concluded_on"},
        fields=(f"{level}_concluded_on", f"{level}_result"),
        basis=f"{name}意见应自收到{name}请求之日起{dl.REVIEW_OPINION_DAYS}日内提出（{basis}）",
        when=all_of(
            requires(f"{level}_requested_on", f"尚未登记{name}申请，不能登记{name}意见。"),
            once(f"{level}_concluded_on", f"{name}意见" + ONCE_MORE),
        ),
        primary=False,
        note=lambda p: f"结果：{getattr(p, f'get_{level}_result_display')()}",
    )
    return request, opinion  # fmt: skip


PETITION = Workflow(
    Petition,
    template="disputes/case_step.html",
    void="petition_void",
    steps=[
        Step(
            "register", "登记", frozenset(), "petition_register",
            fields=("received_on",),
            note=lambda p: f"{p.get_channel_display()}，{p.headcount}名信访人",
        ),
        Step(
            "accept", "受理", frozenset({P.REGISTERED}), "petition_accept",
            form="PetitionAcceptForm", args={"on": "decided_on"},
            fields=("decided_on",),
            basis="《信访条例》第二十一条、第二十二条；《信访工作条例》第二十三条",
            implied=lambda p: bool(p.decided_on) and p.status != P.REJECTED,
        ),
        Step(
            "reject", "不予受理", frozenset({P.REGISTERED}), "petition_reject",
            form="PetitionRejectForm",
            args={"on": "decided_on", "reason": "rejection_reason", "redirect_to": "redirect_to"},
            fields=("decided_on", "rejection_reason", "redirect_to"),
            basis="《信访条例》第二十一条；《信访工作条例》第二十三条、第三十条",
            primary=False,
            implied=lambda p: p.status == P.REJECTED,
            note=_reject_note,
        ),
        Step(
            "extend", "延期", frozenset({P.ACCEPTED}), "petition_extend",
            form="PetitionExtendForm",
            args={
                "on": "extended_on", "days": "extension_days", "reason": "extension_reason",
                "approved_by": "extension_approved_by",
            },
            fields=("extended_on", "extension_days", "extension_reason", "extension_approved_by"),
            basis="《信访条例》第三十三条；《信访工作条例》第三十四条",
            when=once("extension_days", "该信访件已延期一次，办理期限只能延长一次。"),
            primary=False,
            implied=lambda p: bool(p.extension_days),
            note=lambda p: f"延长{p.extension_days}日；理由：{p.extension_reason}",
        ),
        Step(
            "conclude", "办结", frozenset({P.ACCEPTED}), "petition_conclude",
            form="PetitionConcludeForm",
            args={"on": "concluded_on", "outcome": "outcome", "outcome_text": "outcome_text"},
            fields=("concluded_on", "outcome", "outcome_text"),
            basis="《信访条例》第三十二条；《信访工作条例》第三十二条",
            refusals={P.REGISTERED: "信访件尚未受理，不能办结。请先作出受理决定。"},
            implied=lambda p: bool(p.concluded_on) and p.status != P.REJECTED,
            note=lambda p: f"处理意见：{p.outcome}",
        ),
        Step(
            "reply", "答复", frozenset({P.CONCLUDED}), "petition_reply",
            form="PetitionReplyForm",
            args={"on": "replied_on", "form": "reply_form", "satisfaction": "satisfaction"},
            fields=("replied_on", "reply_form"),
            basis="《信访条例》第三十二条；《信访工作条例》第三十二条",
            refusals={
                P.REGISTERED: "信访件尚未受理，不能答复。请先作出受理决定。",
                P.ACCEPTED: "信访件尚未办结，不能答复。请先出具处理意见书办结。",
                P.REPLIED: "该信访件已答复。",
                P.REJECTED: "不予受理告知书即为答复，该信访件已答复。",
            },
            implied=lambda p: bool(p.replied_on) and p.status == P.REPLIED,
            note=_reply_note,
        ),
        Step(
            "rate", "满意度评价", frozenset({P.REPLIED}), "petition_rate",
            form="PetitionRateForm", args={"satisfaction": "satisfaction", "on": "on"},
            fields=("satisfaction",),
            refusals=dict.fromkeys((P.REGISTERED, P.ACCEPTED, P.CONCLUDED, P.REJECTED), "答复后才能登记满意度评价。"),
            when=all_of(
                requires("concluded_on", "答复后才能登记满意度评价。"),
                once("satisfaction", "已登记满意度评价（{value}），不能再次登记；如有错误请更正。"),
            ),
            primary=False,
            implied=lambda p: False,  # a rating in a ledger is part of the reply
        ),
        *_review_steps("review", "复查", "concluded_on", "答复办理意见后才能登记复查。"),
        *_review_steps("recheck", "复核", "review_concluded_on", "复查意见作出后才能登记复核。"),
    ],
)  # fmt: skip


# --- Disputes --------------------------------------------------------------------------------

CONCLUDED = frozenset({D.SUCCEEDED, D.FAILED, D.TERMINATED})


def _conclusion_action(d) -> str:
    if d.status == D.SUCCEEDED:
        return f"调解成功（{d.get_agreement_form_display()}）"
    return d.get_status_display()


def _performance_possible(d) -> str | None:
    """履行中的协议；履行结果只登记一次"""
    if d.performance and d.performance != Dispute.Performance.ONGOING:
        return f"协议履行情况已登记为“{d.performance}”，不能再次登记；如有错误请更正。"
    return None


def _written(d) -> str | None:
    """书面协议"""
    if d.agreement_form != Dispute.AgreementForm.WRITTEN:
        return "只有书面调解协议才能申请司法确认。"
    return None


_NOT_SUCCEEDED = (D.REGISTERED, D.ACCEPTED, D.REJECTED, D.FAILED, D.TERMINATED)
MEDIATING = frozenset({D.REGISTERED, D.ACCEPTED})


def _recusal_settled(d) -> str | None:
    """调解员回避情况已确认（被提示的调解员已确认无需回避或已更换）"""
    from disputes.services import recusal_pending

    return recusal_pending(d)


def _recusal_to_confirm(d) -> str | None:
    """有被提示需回避的调解员；只确认一次"""
    from disputes.services import recusal_conflicts

    if d.recusal_confirmed_on:
        return f"已于{d.recusal_confirmed_on:%Y-%m-%d}确认无需回避，不能再次登记；如有错误请更正。"
    if not recusal_conflicts(d):
        return "所选调解员没有需要回避的情形，无需确认。"
    return None


DISPUTE = Workflow(
    Dispute,
    template="disputes/case_step.html",
    void="dispute_void",
    steps=[
        Step(
            "register", "登记", frozenset(), "dispute_register",
            fields=("received_on",),
            note=lambda d: f"{d.source}，{d.party_links.count()}方当事人",
        ),
        Step(
            "accept", "受理", frozenset({D.REGISTERED}), "dispute_accept",
            form="DisputeAcceptForm", args={"on": "decided_on"},
            fields=("decided_on",),
            basis="《人民调解法》第十七条",
            implied=lambda d: bool(d.decided_on) and d.status != D.REJECTED,
        ),
        Step(
            "reject", "不予受理", frozenset({D.REGISTERED}), "dispute_reject",
            form="DisputeRejectForm", args={"on": "decided_on", "reason": "rejection_reason"},
            fields=("decided_on", "rejection_reason"),
            basis="《人民调解法》第十七条",
            primary=False,
            implied=lambda d: d.status == D.REJECTED,
            note=lambda d: d.rejection_reason,
        ),
        Step(
            "mediators", "指定调解员", MEDIATING, "dispute_assign_mediators",
            form="DisputeMediatorsForm", args={"mediators": "mediator_people", "on": "on"},
            basis="《人民调解法》第十九条",
            refusals=dict.fromkeys(
                (D.REJECTED, D.SUCCEEDED, D.FAILED, D.TERMINATED), "调解已结束，不能再指定调解员。"
            ),
            primary=False, implied=lambda d: False,
            repeatable="更换调解员时重新指定，并重新检查回避",
        ),
        Step(
            "recusal", "确认无需回避", MEDIATING, "dispute_confirm_no_recusal",
            form="DisputeRecusalForm", args={"on": "recusal_confirmed_on", "note": "recusal_note"},
            fields=("recusal_confirmed_on", "recusal_note"),
            basis="调解员与当事人有利害关系的应当回避（DOMAIN.md §3）",
            refusals=dict.fromkeys(
                (D.REJECTED, D.SUCCEEDED, D.FAILED, D.TERMINATED), "调解已结束，不能再确认回避情况。"
            ),
            when=_recusal_to_confirm, primary=False, implied=lambda d: False,
        ),
        Step(
            "conclude", "登记调解结果", frozenset({D.ACCEPTED}), "dispute_conclude",
            form="DisputeConcludeForm",
            args={
                "on": "concluded_on", "result": "result", "agreement_form": "agreement_form",
                "agreement_text": "agreement_text", "effective_on": "agreement_effective_on",
                "note": "conclusion_note",
            },
            fields=(
                "concluded_on", "agreement_form", "agreement_text", "agreement_effective_on",
                "conclusion_note",
            ),
            basis="《人民调解法》第二十六条、第二十八条至第三十条",
            refusals={D.REGISTERED: "纠纷尚未受理，不能登记调解结果。请先受理。"},
            when=_recusal_settled,
            implied=lambda d: bool(d.concluded_on) and d.status in CONCLUDED,
            note=lambda d: d.agreement_text[:100],
            action=_conclusion_action,
        ),
        Step(
            "performance", "履行情况", frozenset({D.SUCCEEDED}), "dispute_record_performance",
            form="DisputePerformanceForm",
            args={"on": "performance_checked_on", "performance": "performance"},
            fields=("performance_checked_on", "performance"),
            basis="《人民调解法》第三十一条",
            refusals=dict.fromkeys(_NOT_SUCCEEDED, "只有调解成功的纠纷才有协议履行情况。"),
            when=_performance_possible, primary=False,
            implied=lambda d: False,  # a ledger's 履行情况 is read with the conclusion
        ),
        Step(
            "court", "司法确认", frozenset({D.SUCCEEDED}), "dispute_record_court",
            form="DisputeCourtForm",
            args={
                "applied_on": "court_applied_on", "result": "court_result",
                "decided_on": "court_decided_on",
            },
            fields=("court_applied_on",),
            basis="《人民调解法》第三十三条",
            refusals=dict.fromkeys(_NOT_SUCCEEDED, "只有书面调解协议才能申请司法确认。"),
            when=all_of(_written, once("court_applied_on", _again("司法确认", "司法确认结果"))),
            primary=False,
            note=lambda d: "已申请" + (f"，{d.get_court_result_display()}" if d.court_result else ""),
        ),
        Step(
            "court_result", "登记司法确认结果", frozenset({D.SUCCEEDED}),
            "dispute_record_court_result",
            form="DisputeCourtResultForm",
            args={"result": "court_result", "decided_on": "court_decided_on"},
            fields=("court_decided_on", "court_result"),
            basis="《人民调解法》第三十三条",
            refusals=dict.fromkeys(_NOT_SUCCEEDED, "只有书面调解协议才能申请司法确认。"),
            when=all_of(
                requires("court_applied_on", "尚未登记司法确认申请，不能登记法院裁定。"),
                once("court_decided_on", "司法确认结果" + ONCE_MORE),
            ),
            primary=False,
            implied=lambda d: False,  # part of the 司法确认 line of a ledger
        ),
        Step(
            "follow_up", "回访", CONCLUDED, "dispute_follow_up",
            form="DisputeFollowUpForm",
            args={"on": "followed_up_on", "note": "follow_up_note"},
            fields=("followed_up_on", "follow_up_note"),
            refusals=dict.fromkeys((D.REGISTERED, D.ACCEPTED, D.REJECTED), "调解结束后才能回访。"),
            when=once("followed_up_on", "该纠纷已于{cn}回访，不能再次登记；如有错误请更正。"),
            primary=False,
        ),
        Step(
            "reply", "答复", CONCLUDED | {D.REJECTED}, "dispute_reply",
            form="DisputeReplyForm", args={"on": "replied_on", "form": "reply_form"},
            fields=("replied_on", "reply_form"),
            refusals={
                D.REGISTERED: "纠纷尚未受理，不能答复。",
                D.ACCEPTED: "纠纷尚未调解结束，不能答复。",
            },
            when=once("replied_on", "该纠纷已答复。"),
            note=lambda d: d.reply_form,
        ),
    ],
)  # fmt: skip
