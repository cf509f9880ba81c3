"""The steps of a rectification task (整改任务), declared once (`miaoba.workflow`).

Flow (DOMAIN.md §6): 未开始 → 整改中 (first progress entry) → 已完成 (evidence required) →
已销号 (verified by a leader who is not the responsible person); a failed verification or a
recurrence sends it back to 整改中. Extensions and milestones may be added any number of times
while the task is open: each is a record of its own, counted.
"""

from __future__ import annotations

from miaoba.workflow import Step, Workflow
from tasks.models import Task

T = Task.Status
OPEN = frozenset({T.NOT_STARTED, T.IN_PROGRESS})
NOT_CLOSED = OPEN | {T.COMPLETED}


def _closed(what: str) -> str:
    return f"{{title}}已销号，不能再{what}。问题反弹时请先“重新整改”。"


def _verifier(task, user) -> str | None:
    """由非责任人的领导核验销号"""
    if not user.has_perm("tasks.verify_task"):
        return "只有领导才能销号。"
    if user.pk == task.responsible_id:
        return "您是该任务的责任人，不能为自己的任务销号，请由其他领导销号。"
    return None


def _has_deadline(task) -> str | None:
    """有整改时限（长期坚持的任务不延期）"""
    if task.is_long_term:
        return "长期坚持的任务没有整改时限，不需要延期；可调整阶段目标。"
    return None


def _without_change_permission(task, user) -> str | None:
    """领导（无修改任务权限）也可重新整改"""
    if user.has_perm("tasks.change_task"):
        return "请用“重新整改”。"
    return None


def _assign_note(task) -> str:
    """The timeline's note of 交办: who does it, who supervises, and the deadline."""
    note = (
        f"牵头单位{task.lead_unit.name}，责任人{task.responsible.display_name}，"
        f"分管领导{task.leader.display_name}；整改时限：{task.due_explanation}"
    )
    if task.follows_up_id:
        note += f"；回头看{task.follows_up.number}"
    return note


def progress_note(text: str, files: int = 0) -> str:
    """The timeline's note of a progress entry (整改进展): its text, and how many files came."""
    return text[:100] + (f"（佐证材料{files}份）" if files else "")


TASK = Workflow(
    Task,
    template="tasks/task_step.html",
    void="task_void",
    steps=[
        Step(
            "assign", "交办", frozenset(), "task_create", fields=("assigned_on",),
            note=_assign_note,
        ),
        Step(
            "progress", "填报整改进展", NOT_CLOSED, "task_add_progress",
            refusals={T.CLOSED: _closed("填报整改进展")},
            repeatable="每次进展单独记录",
        ),
        Step(
            "complete", "报完成", OPEN, "task_complete",
            form="CompleteForm",
            args={"on": "completed_on", "text": "text", "files": "files"},
            fields=("completed_on",),
            basis="已完成须有佐证材料（DOMAIN.md §6）",
            refusals={
                T.COMPLETED: "{title}已报完成，正等待领导销号。",
                T.CLOSED: _closed("报完成"),
            },
            multipart=True,
        ),
        Step(
            "verify", "销号", frozenset({T.COMPLETED}), "task_verify",
            form="VerifyForm",
            args={"on": "on", "passed": "passed", "comment": "comment"},
            fields=("closed_on", "verified_by", "verification_comment"),
            basis="DOMAIN.md §6",
            refusals={
                s: "{title}当前为“" + T(s).label + "”，报完成后才能销号。"
                for s in (T.NOT_STARTED, T.IN_PROGRESS, T.CLOSED)
            },
            who=_verifier, perm="tasks.verify_task",
        ),
        Step(
            "extend", "延期", OPEN, "task_extend",
            form="ExtendForm",
            args={
                "on": "on", "new_due_on": "new_due_on", "reason": "reason",
                "approved_by": "approved_by",
            },
            basis="延期须写明理由并经领导批准，每次延期计入延期次数（DOMAIN.md §6）",
            refusals={
                s: "{title}当前为“" + T(s).label + "”，不能延期。" for s in (T.COMPLETED, T.CLOSED)
            },
            when=_has_deadline, primary=False,
            repeatable="每次延期单独记录，计入延期次数",
        ),
        Step(
            "milestone", "增加阶段目标", NOT_CLOSED, "milestone_add",
            form="MilestoneForm", args={"title": "title", "due_on": "due_on"},
            refusals={T.CLOSED: _closed("增加阶段目标")},
            primary=False, repeatable="每个阶段目标单独记录",
        ),
        Step(
            "milestone_reach", "阶段目标完成", NOT_CLOSED, "milestone_reach",
            refusals={T.CLOSED: _closed("登记阶段目标")},
        ),
        Step(
            "reopen", "重新整改", frozenset({T.CLOSED}), "task_reopen",
            form="ReopenForm", args={"on": "on", "reason": "reason"},
            basis="问题反弹时重新整改（DOMAIN.md §6）",
            refusals={
                s: "{title}当前为“" + T(s).label + "”，销号后才需要重新整改。"
                for s in NOT_CLOSED
            },
            primary=False,
        ),
        Step(
            "reopen_by_leader", "重新整改", frozenset({T.CLOSED}), "task_reopen",
            form="ReopenForm", args={"on": "on", "reason": "reason"},
            basis="问题反弹时重新整改（DOMAIN.md §6）",
            who=_without_change_permission, perm="tasks.verify_task", primary=False,
        ),
    ],
)  # fmt: skip
