"""Every declared step of every case kind, taken twice and out of order, through its service.

DOMAIN.md §2: "Each step is recorded once and in order. A recorded step is not recorded again
over the top; a wrong entry is corrected (更正) with a reason." (issue 17 point 1). The test
walks `miaoba.workflow.FLOWS`: a step declared in any flows.py without a recipe here fails
`test_every_declared_step_has_a_recipe`, so a new step (or a new case kind) cannot go untested.

A recipe gives the steps that bring a new case to where the step may be taken (`before`) and
how the step is taken (`take`). Out of order is the case one step short of that (the last
step of `before` missing), or, for a first step, the case after `late`.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass

import pytest
from django.core.exceptions import ValidationError

from disputes import services as ds
from disputes.models import Dispute, Petition
from disputes.tests.builders import register_dispute, register_petition
from miaoba.workflow import FLOWS
from normative_docs import services as ns
from normative_docs.tests.builders import draft, make_advisor
from reconsideration import services as rs
from reconsideration.tests.builders import register_case
from tasks import services as ts
from tasks.tests.builders import pdf, task

pytestmark = pytest.mark.django_db
d = dt.date
CJK = re.compile(r"[\u4e00-\u9fff]")


@dataclass(frozen=True)
class Recipe:
    take: Callable  # take(case, cast) records the step once
    before: tuple[str, ...] = ()
    late: tuple[str, ...] = ()  # for a first step: the steps after which it is out of order
    early: tuple[str, ...] | None = None  # out of order, when not `before` short of one step


class Cast:
    """The people and records a recipe may need."""

    def __init__(self, clerk, leader, unit):
        self.clerk, self.leader, self.unit = clerk, leader, unit
        self._advisor = None

    @property
    def advisor(self):
        if self._advisor is None:
            self._advisor = make_advisor()
        return self._advisor


# --- Petitions (2005 rule: received 2021) ------------------------------------------------------

P = {
    "accept": Recipe(lambda p, c: ds.petition_accept(p, by=c.clerk, on=d(2021, 8, 3)), late=("reject",)),
    "reject": Recipe(
        lambda p, c: ds.petition_reject(
            p, by=c.clerk, on=d(2021, 8, 3), reason="属于劳动仲裁事项", redirect_to="县劳动人事争议仲裁院"
        ),
        late=("accept",),
    ),
    "extend": Recipe(
        lambda p, c: ds.petition_extend(
            p, by=c.clerk, on=d(2021, 9, 20), days=30, reason="需现场勘查", approved_by=c.leader
        ),
        ("accept",),
    ),
    "conclude": Recipe(
        lambda p, c: ds.petition_conclude(p, by=c.clerk, on=d(2021, 9, 1), outcome=Petition.Outcome.EXPLAIN),
        ("accept",),
    ),
    "reply": Recipe(
        lambda p, c: ds.petition_reply(p, by=c.clerk, on=d(2021, 9, 3), form="书面送达"),
        ("accept", "conclude"),
    ),
    "rate": Recipe(
        lambda p, c: ds.petition_rate(p, by=c.clerk, on=d(2021, 9, 6), satisfaction=Petition.Satisfaction.SATISFIED),
        ("accept", "conclude", "reply"),
    ),
    "review": Recipe(
        lambda p, c: ds.petition_record_review(p, by=c.clerk, level="review", requested_on=d(2021, 10, 8)),
        ("accept", "conclude", "reply"),
    ),
    "review_opinion": Recipe(
        lambda p, c: ds.petition_record_review_opinion(
            p, by=c.clerk, level="review", result=Petition.ReviewResult.UPHELD, concluded_on=d(2021, 12, 31)
        ),
        ("accept", "conclude", "reply", "review"),
    ),
    "recheck": Recipe(
        lambda p, c: ds.petition_record_review(p, by=c.clerk, level="recheck", requested_on=d(2022, 1, 30)),
        ("accept", "conclude", "reply", "review", "review_opinion"),
    ),
    "recheck_opinion": Recipe(
        lambda p, c: ds.petition_record_review_opinion(
            p, by=c.clerk, level="recheck", result=Petition.ReviewResult.UPHELD, concluded_on=d(2022, 2, 25)
        ),
        ("accept", "conclude", "reply", "review", "review_opinion", "recheck"),
    ),
}  # fmt: skip

# --- Disputes ----------------------------------------------------------------------------------


def _mediator(name: str):
    from disputes.models import Mediator

    return Mediator.objects.get_or_create(name=name)[0]


D = {
    "mediators": Recipe(
        lambda x, c: ds.dispute_assign_mediators(
            x, by=c.clerk, mediators=[_mediator("罗正平")], on=d(2021, 9, 14)
        ),
        late=("accept", "conclude"),
    ),
    "_flagged": Recipe(
        lambda x, c: ds.dispute_assign_mediators(
            x, by=c.clerk, mediators=[_mediator("张三")], on=d(2021, 9, 14)
        )
    ),
    "recusal": Recipe(
        lambda x, c: ds.dispute_confirm_no_recusal(
            x, by=c.clerk, on=d(2021, 9, 15), note="同名不同人，与当事人无亲属关系"
        ),
        ("_flagged",),
    ),
    "accept": Recipe(lambda x, c: ds.dispute_accept(x, by=c.clerk, on=d(2021, 9, 14)), late=("reject",)),
    "reject": Recipe(
        lambda x, c: ds.dispute_reject(x, by=c.clerk, on=d(2021, 9, 14), reason="一方明确拒绝调解"),
        late=("accept",),
    ),
    "conclude": Recipe(
        lambda x, c: ds.dispute_conclude(
            x, by=c.clerk, on=d(2021, 10, 12), result=Dispute.Status.SUCCEEDED,
            agreement_form=Dispute.AgreementForm.WRITTEN, agreement_text="李四于11月1日前拆除柴堆",
        ),
        ("accept",),
    ),
    "performance": Recipe(
        lambda x, c: ds.dispute_record_performance(
            x, by=c.clerk, on=d(2021, 11, 2), performance=Dispute.Performance.DONE
        ),
        ("accept", "conclude"),
    ),
    "court": Recipe(
        lambda x, c: ds.dispute_record_court(x, by=c.clerk, applied_on=d(2021, 10, 20)),
        ("accept", "conclude"),
    ),
    "court_result": Recipe(
        lambda x, c: ds.dispute_record_court_result(
            x, by=c.clerk, result=Dispute.CourtResult.CONFIRMED, decided_on=d(2021, 10, 29)
        ),
        ("accept", "conclude", "court"),
    ),
    "follow_up": Recipe(
        lambda x, c: ds.dispute_follow_up(x, by=c.clerk, on=d(2021, 11, 12), note="已拆除柴堆，通行恢复"),
        ("accept", "conclude"),
    ),
    "reply": Recipe(
        lambda x, c: ds.dispute_reply(x, by=c.clerk, on=d(2021, 10, 13), form="当面告知"),
        ("accept", "conclude"),
    ),
}  # fmt: skip

# --- Normative documents and major decisions --------------------------------------------------

DOC = {
    "consult": Recipe(
        lambda x, c: ns.document_consult(x, by=c.clerk, comment_from=d(2021, 3, 3), comment_to=d(2021, 3, 12)),
        late=("record_review",),
    ),
    "send_review": Recipe(
        lambda x, c: ns.document_send_for_review(x, by=c.clerk, advisor=c.advisor, submitted_on=d(2021, 3, 15)),
        late=("record_review",),
    ),
    "record_review": Recipe(
        lambda x, c: ns.document_record_review(
            x, by=c.clerk, reviewed_on=d(2021, 3, 16), reviewer="司法所", conclusion="通过"
        ),
        late=("record_review", "discuss"),
    ),
    "discuss": Recipe(
        lambda x, c: ns.document_discuss(
            x, by=c.clerk, meeting_name="镇政府常务会议", meeting_on=d(2021, 3, 18), passed=True
        ),
        ("record_review",),
    ),
    "sign": Recipe(
        lambda x, c: ns.document_sign(x, by=c.clerk, signed_by="王镇长", signed_on=d(2021, 3, 19)),
        ("record_review", "discuss"),
    ),
    "register": Recipe(
        lambda x, c: ns.document_register(x, by=c.clerk, registered_on=d(2021, 3, 22)),
        ("record_review", "discuss", "sign"),
    ),
    "publish": Recipe(
        lambda x, c: ns.document_publish(x, by=c.clerk, published_on=d(2021, 3, 24)),
        ("record_review", "discuss", "sign", "register"),
    ),
    "withdraw": Recipe(
        lambda x, c: ns.document_withdraw(x, by=c.clerk, on=d(2021, 3, 23), reason="印发前发现与上位法冲突"),
        ("record_review", "discuss", "sign", "register"),
    ),
    "file": Recipe(
        lambda x, c: ns.document_file(x, by=c.clerk, filed_on=d(2021, 4, 6), filed_to="城口县人民政府"),
        ("record_review", "discuss", "sign", "register", "publish"),
    ),
    "end": Recipe(
        lambda x, c: ns.document_end(x, by=c.clerk, outcome="repealed", on=d(2021, 12, 1), reason="上位法废止"),
        ("record_review", "discuss", "sign", "register", "publish"),
    ),
}  # fmt: skip


def _pass_review(decision, c):
    review = ns.decision_send_for_review(
        decision, by=c.clerk, advisor=c.advisor, submitted_on=d(2021, 4, 12)
    )
    ns.review_complete(review, by=c.clerk, completed_on=d(2021, 4, 16), conclusion="通过")


def _participation(x, c):
    ns.decision_record_participation(
        x, by=c.clerk, participation_from=d(2021, 3, 5), participation_to=d(2021, 4, 5)
    )


def _expert(x, c):
    ns.decision_record_expert(x, by=c.clerk, required=True, on=d(2021, 4, 8), note="可行")


def _risk(x, c):
    ns.decision_record_risk(x, by=c.clerk, required=True, on=d(2021, 4, 9), note="风险可控")


READY = ("participation", "expert", "risk", "send_review", "_pass")
DEC = {
    "participation": Recipe(_participation, late=READY + ("discuss",)),
    "expert": Recipe(_expert, late=READY + ("discuss",)),
    "risk": Recipe(_risk, late=READY + ("discuss",)),
    "send_review": Recipe(
        lambda x, c: ns.decision_send_for_review(x, by=c.clerk, advisor=c.advisor, submitted_on=d(2021, 4, 12)),
        late=READY + ("discuss",),
    ),
    "_pass": Recipe(lambda x, c: ns.review_complete(
        x.reviews.get(), by=c.clerk, completed_on=d(2021, 4, 16), conclusion="通过"
    )),
    "discuss": Recipe(
        lambda x, c: ns.decision_discuss(x, by=c.clerk, meeting_name="镇政府常务会议", meeting_on=d(2021, 4, 20)),
        READY,
    ),
    "publish": Recipe(
        lambda x, c: ns.decision_publish(x, by=c.clerk, published_on=d(2021, 4, 25)), READY + ("discuss",)
    ),
    "archive": Recipe(
        lambda x, c: ns.decision_archive(x, by=c.clerk, archived_on=d(2021, 5, 10)),
        READY + ("discuss", "publish"),
    ),
}  # fmt: skip

# --- Rectification tasks ---------------------------------------------------------------------


def _milestone(x, c):
    ts.milestone_add(x, by=c.clerk, title="制定学法制度", due_on=d(2021, 3, 31))


TASK = {
    "progress": Recipe(
        lambda x, c: ts.task_add_progress(x, by=c.clerk, on=d(2021, 2, 1), text="已起草学法制度"),
        late=("complete", "verify"),
    ),
    "complete": Recipe(
        lambda x, c: ts.task_complete(x, by=c.clerk, on=d(2021, 5, 20), text="制度已印发", files=[pdf()]),
        late=("complete", "verify"),
    ),
    "verify": Recipe(
        lambda x, c: ts.task_verify(x, by=c.leader, on=d(2021, 5, 25), passed=True), ("complete",)
    ),
    "extend": Recipe(
        lambda x, c: ts.task_extend(
            x, by=c.clerk, on=d(2021, 5, 10), new_due_on=x.due_on + dt.timedelta(days=30),
            reason="需等待县级文件", approved_by=c.leader,
        ),
        late=("complete",),
    ),
    "milestone": Recipe(_milestone, late=("complete", "verify")),
    "milestone_reach": Recipe(
        lambda x, c: ts.milestone_reach(x.milestones.get(), by=c.clerk, on=d(2021, 3, 30)),
        ("milestone",),
        early=("milestone", "complete", "verify"),
    ),
    "reopen": Recipe(
        lambda x, c: ts.task_reopen(x, by=c.clerk, on=d(2021, 9, 1), reason="问题反弹"),
        ("complete", "verify"),
    ),
    "reopen_by_leader": Recipe(
        lambda x, c: ts.task_reopen(x, by=c.leader, on=d(2021, 9, 1), reason="问题反弹"),
        ("complete", "verify"),
    ),
}  # fmt: skip

# --- 行政复议、行政应诉 (a 行政诉讼 case: every step applies) -----------------------------------


def _review(c):
    return ns.review_send(
        by=c.clerk, kind="行政执法决定", advisor=c.advisor, unit=c.unit,
        title="限期拆除决定合法性审查", submitted_on=d(2024, 3, 6),
    )  # fmt: skip


R = {
    "answer": Recipe(
        lambda x, c: rs.case_answer(x, by=c.clerk, on=d(2024, 3, 15)), late=("answer", "decide")
    ),
    "hearing": Recipe(
        lambda x, c: rs.case_hearing(x, by=c.clerk, on=d(2024, 4, 23), appearance="正职负责人", name="王明"),
        ("answer",),
    ),
    "decide": Recipe(
        lambda x, c: rs.case_decide(x, by=c.clerk, on=d(2024, 5, 30), outcome="撤销", served_on=d(2024, 6, 3)),
        ("answer",),
    ),
    "appeal": Recipe(
        lambda x, c: rs.case_appeal(x, by=c.clerk, on=d(2024, 6, 10), appellant="本机关"),
        ("answer", "decide"),
    ),
    "correct": Recipe(
        lambda x, c: rs.case_correct(x, by=c.clerk, on=d(2024, 7, 1), note="撤销原决定"),
        ("answer", "decide"),
    ),
    "advise": Recipe(
        lambda x, c: rs.case_link_review(x, by=c.clerk, review=_review(c)), early=("advise",)
    ),
}  # fmt: skip

NEW: dict[str, Callable] = {
    "petition": lambda c: register_petition(by=c.clerk, unit=c.unit, received_on=d(2021, 8, 2)),
    "dispute": lambda c: register_dispute(by=c.clerk, unit=c.unit, received_on=d(2021, 9, 13)),
    "document": lambda c: draft(c.clerk, c.unit, on=d(2021, 3, 2)),
    "decision": lambda c: ns.decision_start(
        by=c.clerk, title="庙坝场镇农贸市场迁建", unit=c.unit, started_on=d(2021, 3, 1)
    ),
    "task": lambda c: task(c.clerk, unit=c.unit, leader=c.leader, due_on=d(2021, 6, 30)),
    "case": lambda c: register_case(by=c.clerk, unit=c.unit, received_on=d(2024, 3, 4)),
}
RECIPES: dict[str, dict[str, Recipe]] = {
    "petition": P,
    "dispute": D,
    "document": DOC,
    "decision": DEC,
    "task": TASK,
    "case": R,
}

STEPS = [
    (kind, name)
    for kind, flow in FLOWS.items()
    for name, step in flow.steps.items()
    if not step.creates
]


def test_every_declared_step_has_a_recipe():
    missing = [f"{kind}.{name}" for kind, name in STEPS if name not in RECIPES.get(kind, {})]

    assert missing == []


def _case(kind, cast, steps):
    case = NEW[kind](cast)
    for name in steps:
        RECIPES[kind][name].take(case, cast)
        case.refresh_from_db()
    return case


def _timeline(case) -> list:
    return list(case.events.values_list("action", "on", "note"))


def _refused(take, case, cast) -> str:
    before = _timeline(case)
    with pytest.raises(ValidationError) as excinfo:
        take(case, cast)
    case.refresh_from_db()
    assert _timeline(case) == before  # nothing written
    message = "".join(excinfo.value.messages)
    assert CJK.search(message), message
    return message


@pytest.mark.parametrize(("kind", "name"), STEPS, ids=[f"{k}.{n}" for k, n in STEPS])
def test_step_twice_is_refused_and_out_of_order_is_refused(
    kind, name, clerk, leader, justice_office
):
    cast = Cast(clerk, leader, justice_office)
    flow, recipe = FLOWS[kind], RECIPES[kind][name]
    step = flow[name]
    case = _case(kind, cast, recipe.before)

    recipe.take(case, cast)
    case.refresh_from_db()
    if step.repeatable:  # a record of its own each time (tasks.flows), written again
        written = len(_timeline(case))
        recipe.take(case, cast)
        case.refresh_from_db()
        assert len(_timeline(case)) > written
    else:
        _refused(recipe.take, case, cast)

    if recipe.early is not None:
        early = recipe.early
    else:
        early = recipe.before[:-1] if recipe.before else recipe.late
    out_of_order = _case(kind, cast, early)
    _refused(recipe.take, out_of_order, cast)
