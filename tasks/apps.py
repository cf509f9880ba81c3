"""Rectification tasks (整改任务), from a found problem to a verified close (销号)."""

from django.apps import AppConfig


class TasksConfig(AppConfig):
    """Register the rectification-task register."""

    name = "tasks"
    verbose_name = "整改任务"
