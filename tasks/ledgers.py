"""The rectification ledger (整改台账) as `miaoba.ledger` sees it (pages and commands)."""

from __future__ import annotations

from miaoba.ledger import Ledger, register_ledger
from tasks.filters import TaskFilter
from tasks.models import Task
from tasks.resources import TITLE, TaskResource, export_dataset, import_ledger, plan_import

_PREVIEW = (
    ("编号", lambda row: row.display_number),
    ("问题", lambda row: row.problem_key[2][:30]),
    ("整改措施", lambda row: row.values["measures"][:40]),
    ("牵头单位", lambda row: row.values["lead_unit"].name),
    ("责任人", lambda row: row.values["responsible"].display_name),
    ("整改时限", lambda row: "长期坚持" if row.values["is_long_term"] else row.values["due_on"]),
)


def _export(*, year: int | None = None):
    """Return every task (or those assigned in `year`) as the ledger, for the command line."""
    queryset = Task.objects.all()
    if year:
        queryset = queryset.filter(year=year)
    return export_dataset(queryset)


def _export_for(request):
    """Return what the task list's filters show this user, as the ledger."""
    base = Task.objects.visible_to(request.user)
    return export_dataset(TaskFilter(request.GET, queryset=base, request=request).qs)


def register() -> None:
    """Register the 整改台账 as kind "tasks"; called from `TasksConfig.ready`."""
    register_ledger(
        Ledger(
            kind="tasks",
            title=TITLE,
            area="整改任务",
            list_url_name="tasks:task_list",
            view_perm="tasks.view_task",
            importer_perm="tasks.add_task",
            export=_export,
            export_for=_export_for,
            template=lambda: export_dataset(None),
            headers=TaskResource.headers,
            check_file=plan_import,
            import_file=import_ledger,
            preview_columns=_PREVIEW,
        )
    )
