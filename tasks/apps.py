"""Rectification tasks (整改任务), from a found problem to a verified close (销号)."""

from django.apps import AppConfig


class TasksConfig(AppConfig):
    """Register the rectification-task register and its ledger (整改台账)."""

    name = "tasks"
    verbose_name = "整改任务"

    def ready(self) -> None:
        # The workflow gives Task its can_<step> properties (task.can_verify in templates).
        from tasks import flows, ledgers  # noqa: F401

        ledgers.register()
