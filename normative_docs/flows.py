"""The steps of a normative document (规范性文件) and of a major decision (重大行政决策),
each declared once (`miaoba.workflow`).

Rules: DOMAIN.md §4 (起草 → 征求意见 → 合法性审核 → 集体讨论决定 → 签发 → 统一登记、统一编号 →
统一印发 → 报备) and §5 (《重大行政决策程序暂行条例》).
"""

from __future__ import annotations

from miaoba.workcalendar import cn_date
from miaoba.workflow import Step, Workflow
from normative_docs.models import PASSING, Decision, Document

S, DS = Document.Status, Decision.Status
ENDED = frozenset({S.REPEALED, S.EXPIRED, S.NOT_NORMATIVE})
NOT_REVIEWED = "尚未通过合法性审核，不能提交集体讨论。请先送法律顾问或司法所审核。"
# What the timeline calls each ending of a document in force (修改、废止或失效).
END_WORDS = {
    S.AMENDED: "修改", S.REPEALED: "废止", S.EXPIRED: "失效", S.NOT_NORMATIVE: "认定不属于规范性文件",
}  # fmt: skip


# The timeline's notes of the steps, one wording for the services and for a ledger row's
# implied steps (`Workflow.implied_events`).


def _review_note(d) -> str:
    text = f"{d.reviewer}：{d.review_conclusion}"
    if d.review_conclusion not in PASSING:
        text += "，退回起草单位修改"
    return text + "。"


def _register_note(d) -> str:
    return f"发文字号{d.number}" + (f"，登记号{d.register_number}" if d.register_number else "")


def _publish_note(d) -> str:
    if not d.effective_on:
        return ""
    return f"{cn_date(d.effective_on)}起施行，有效期{d.validity_years}年，至{cn_date(d.expires_on)}"


def _pending_review(d) -> str | None:
    """没有尚未办结的合法性审查"""
    pending = d.reviews.filter(completed_on__isnull=True).select_related("advisor").first()
    if pending is not None:
        return (
            f"已于{pending.submitted_on:%Y-%m-%d}送法律顾问{pending.advisor.name}审查，"
            "审查结论登记后才能再次送审。"
        )
    return None


def _once_required(step: str, label: str):
    def check(d) -> str | None:
        on = getattr(d, f"{step}_on")
        if on:
            return f"{label}已于{on:%Y-%m-%d}登记，不能再次登记；如有错误请更正。"
        if getattr(d, f"{step}_not_required_reason"):
            return f"已登记无需{label}，不能再次登记；如有错误请更正。"
        return None

    check.__doc__ = f"{label}只登记一次"
    return check


def _participation_possible(d) -> str | None:
    """公众参与只登记一次"""
    if d.participation_from:
        return (
            f"公众参与（{d.participation_from:%Y-%m-%d}至{d.participation_to:%Y-%m-%d}）"
            "已登记，不能再次登记；如有错误请更正。"
        )
    return None


DOCUMENT = Workflow(
    Document,
    template="normative_docs/step.html",
    void="document_void",
    title=lambda d: d.label,
    steps=[
        Step(
            "draft", "起草", frozenset(), "document_draft", fields=("drafted_on",),
            note=lambda d: f"起草单位：{d.drafting_unit.name}",
        ),
        Step(
            "consult", "征求意见", frozenset({S.DRAFTING}), "document_consult",
            form="ConsultForm",
            args={"comment_from": "comment_from", "comment_to": "comment_to", "note": "note"},
            fields=("comment_from", "comment_to", "comment_note"),
            refusals={S.CONSULTING: "征求意见已登记，不能再次登记；如有错误请更正。"},
            primary=False,
        ),
        Step(
            "send_review", "送法律顾问审核", frozenset({S.DRAFTING, S.CONSULTING}),
            "document_send_for_review",
            form="SendReviewForm",
            args={"advisor": "advisor", "submitted_on": "submitted_on", "material": "material"},
            basis="合法性审核在集体讨论之前（DOMAIN.md §4）",
            implied=lambda d: False,
        ),
        Step(
            "record_review", "登记审核结果", frozenset({S.DRAFTING, S.CONSULTING, S.REVIEWING}),
            "document_record_review",
            form="RecordReviewForm",
            args={
                "reviewed_on": "reviewed_on", "reviewer": "reviewer", "conclusion": "conclusion",
                "note": "note",
            },
            fields=("reviewed_on", "review_conclusion", "reviewer"),
            primary=False,
            action=lambda d: "合法性审核", note=_review_note,
        ),
        Step(
            "discuss", "集体讨论决定", frozenset({S.REVIEWED}), "document_discuss",
            form="DiscussForm",
            args={
                "meeting_name": "meeting_name", "meeting_on": "meeting_on", "passed": "passed",
                "note": "note", "minutes": "minutes",
            },
            fields=("meeting_on", "meeting_name"),
            basis="合法性审核通过后提交集体讨论（DOMAIN.md §4）",
            refusals=dict.fromkeys((S.DRAFTING, S.CONSULTING, S.REVIEWING), NOT_REVIEWED),
            multipart=True,
            action=lambda d: "集体讨论", note=lambda d: f"{d.meeting_name}审议通过。",
        ),
        Step(
            "sign", "签发", frozenset({S.DECIDED}), "document_sign",
            form="SignForm", args={"signed_by": "signed_by", "signed_on": "signed_on"},
            fields=("signed_on", "signed_by"),
            note=lambda d: f"签发人：{d.signed_by}",
        ),
        Step(
            "register", "登记编号", frozenset({S.SIGNED}), "document_register",
            form="RegisterForm", args={"registered_on": "registered_on"},
            fields=("registered_on", "number", "register_number"),
            basis="统一登记、统一编号（三统一），审核通过并经集体讨论决定、签发后编号",
            note=_register_note,
        ),
        Step(
            "publish", "印发", frozenset({S.REGISTERED}), "document_publish",
            form="PublishForm",
            args={
                "published_on": "published_on", "effective_on": "effective_on",
                "validity_years": "validity_years",
            },
            fields=("published_on", "effective_on", "validity_years", "expires_on"),
            note=_publish_note,
        ),
        Step(
            "withdraw", "撤回（文号作废）", frozenset({S.REGISTERED}), "document_withdraw",
            form="WithdrawForm", args={"on": "ended_on", "reason": "end_reason"},
            fields=("ended_on", "end_reason"),
            primary=False,
            implied=lambda d: d.status == S.WITHDRAWN,
            action=lambda d: "撤回", note=lambda d: f"文号{d.number}作废：{d.end_reason}",
        ),
        Step(
            "file", "报备", frozenset({S.PUBLISHED}), "document_file",
            form="FileForm", args={"filed_on": "filed_on", "filed_to": "filed_to"},
            fields=("filed_on", "filed_to"),
            note=lambda d: f"报{d.filed_to}备案",
        ),
        Step(
            "end", "修改、废止或失效", frozenset(Document.IN_FORCE), "document_end",
            form="EndForm",
            args={"outcome": "outcome", "on": "ended_on", "reason": "end_reason"},
            fields=("ended_on", "end_reason"),
            primary=False, done="已登记",
            implied=lambda d: d.status in END_WORDS,
            action=lambda d: END_WORDS[d.status], note=lambda d: d.end_reason,
        ),
    ],
)  # fmt: skip

DECISION = Workflow(
    Decision,
    template="normative_docs/step.html",
    steps=[
        Step("start", "启动决策程序", frozenset(), "decision_start", fields=("started_on",)),
        Step(
            "participation", "公众参与", frozenset({DS.IN_PROGRESS}),
            "decision_record_participation",
            form="ParticipationForm",
            args={
                "participation_from": "participation_from",
                "participation_to": "participation_to", "form": "form", "note": "note",
            },
            fields=("participation_to", "participation_from", "participation_form"),
            basis="《重大行政决策程序暂行条例》第十五条",
            when=_participation_possible, primary=False, done="已登记",
        ),
        Step(
            "expert", "专家论证", frozenset({DS.IN_PROGRESS}), "decision_record_expert",
            form="ExpertForm",
            args={"required": "required", "on": "on", "note": "note", "reason": "reason"},
            fields=("expert_on", "expert_note", "expert_not_required_reason"),
            basis="《重大行政决策程序暂行条例》第十九条",
            when=_once_required("expert", "专家论证"), primary=False, done="已登记",
        ),
        Step(
            "risk", "风险评估", frozenset({DS.IN_PROGRESS}), "decision_record_risk",
            form="RiskForm",
            args={"required": "required", "on": "on", "note": "note", "reason": "reason"},
            fields=("risk_on", "risk_note", "risk_not_required_reason"),
            basis="《重大行政决策程序暂行条例》第二十二条",
            when=_once_required("risk", "风险评估"), primary=False, done="已登记",
        ),
        Step(
            "send_review", "送合法性审查", frozenset({DS.IN_PROGRESS}),
            "decision_send_for_review",
            form="SendReviewForm",
            args={"advisor": "advisor", "submitted_on": "submitted_on", "material": "material"},
            basis="《重大行政决策程序暂行条例》第二十五条至第二十八条",
            when=_pending_review, primary=False,
            implied=lambda d: False,
        ),
        Step(
            "discuss", "集体讨论决定", frozenset({DS.IN_PROGRESS}), "decision_discuss",
            form="DecisionDiscussForm",
            args={
                "meeting_name": "meeting_name", "meeting_on": "meeting_on", "adopted": "adopted",
                "result": "result", "minutes": "minutes",
            },
            fields=("meeting_on", "meeting_name", "meeting_result"),
            basis="《重大行政决策程序暂行条例》第二十九条、第三十条",
            done="已登记", multipart=True,
        ),
        Step(
            "publish", "公布", frozenset({DS.DECIDED}), "decision_publish",
            form="DecisionPublishForm", args={"published_on": "published_on"},
            fields=("published_on",),
            basis="《重大行政决策程序暂行条例》第三十二条",
            refusals=dict.fromkeys((DS.IN_PROGRESS, DS.NOT_ADOPTED, DS.PUBLISHED, DS.ARCHIVED), "只有经集体讨论决定通过的决策才能公布。"),
        ),
        Step(
            "archive", "归档", frozenset({DS.PUBLISHED, DS.NOT_ADOPTED}), "decision_archive",
            form="DecisionArchiveForm", args={"archived_on": "archived_on"},
            fields=("archived_on",),
            basis="《重大行政决策程序暂行条例》第三十六条",
            refusals=dict.fromkeys((DS.IN_PROGRESS, DS.DECIDED, DS.ARCHIVED), "决策公布后（或未通过的）才能归档。"),
        ),
    ],
)  # fmt: skip
