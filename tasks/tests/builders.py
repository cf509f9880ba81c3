"""Build problems and tasks through the services, as a clerk would."""

from __future__ import annotations

import datetime as dt

from django.core.files.uploadedfile import SimpleUploadedFile

from tasks import services as s
from tasks.models import Problem, Task

PDF = b"%PDF-1.4\n%test\n%%EOF\n"


def pdf(name: str = "会议记录.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


def problem(
    by, *, title: str = "对法治建设工作重视不够、认识不足", year: int = 2020, **extra
) -> Problem:
    extra.setdefault("source", Problem.Source.ANNUAL_REPORT)
    return s.problem_register(by=by, year=year, title=title, **extra)


def task(
    by,
    *,
    unit,
    leader,
    responsible=None,
    assigned_on: dt.date = dt.date(2021, 1, 20),
    due_on: dt.date | None = dt.date(2021, 6, 30),
    the_problem: Problem | None = None,
    measures: str = "建立领导干部学法制度",
    **extra,
) -> Task:
    if extra.get("is_long_term"):
        due_on = None
    return s.task_create(
        by=by,
        problem=the_problem or Problem.objects.first() or problem(by),
        measures=measures,
        lead_unit=unit,
        responsible=responsible or by,
        leader=leader,
        assigned_on=assigned_on,
        due_on=due_on,
        **extra,
    )
