"""更正 of rectification tasks (整改任务): the basic facts of a task after it was assigned.

The number (编号) never changes. The assignment date is fixed once the deadline was counted
from it and progress is on file; measures, units and people are changed on the 修改 page.
"""

from __future__ import annotations

from miaoba.corrections import Correctable, Fact
from tasks.models import Event, Task


def _event(record, *, by, on, note) -> None:
    from tasks.services import sync_next_due

    Event.add(record, action="更正", on=on, by=by, note=note)
    sync_next_due(record)


def _assigned_fixed(task: Task) -> str:
    if task.progress.exists():
        return "已填报整改进展，整改时限自交办日期起算，交办日期不能再更正"
    return ""


CORRECTIONS = {
    "task": Correctable(
        model=Task,
        facts=(Fact("problem"), Fact("assigned_on", _assigned_fixed)),
        perm="tasks.change_task",
        owner="lead_unit",
        visible=lambda user: Task.objects.visible_to(user),
        detail_url="tasks:task_detail",
        noun="整改任务",
        event=_event,
    ),
}
