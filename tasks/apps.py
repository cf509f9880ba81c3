"""Rectification tasks (整改任务), from a found problem to a verified close (销号)."""

from django.apps import AppConfig


class TasksConfig(AppConfig):
    """Register the rectification-task register and its ledger (整改台账)."""

    name = "tasks"
    verbose_name = "整改任务"

    def ready(self) -> None:
        from tasks import ledgers

        ledgers.register()
