"""What other pages read from the reports app: the annual report's deadline reminders."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse
from django.utils import timezone

from reports.models import AnnualReport
from reports.services import report_deadlines

REMIND_DAYS = 30  # remind a month before the report is due


def open_deadlines_for(
    user, *, today: dt.date | None = None, within_days: int = REMIND_DAYS
) -> list[dict]:
    """Return the report deadlines due within a month (or overdue) for those who write or sign it.

    Last year's report must be sent to the level above by 1 March and published by 1 April
    (《法治政府建设与责任落实督察工作规定》第二十四条). Items: area, title, url, due, days_left,
    light, remaining — as the home page lists them. One query.
    """
    if not (
        user.has_perm("reports.change_annualreport")
        or user.has_perm("reports.finalise_annualreport")
    ):
        return []
    today = today or timezone.localdate()
    year = today.year - 1
    report = AnnualReport.objects.filter(year=year).first()
    submit_by, publish_by = report_deadlines(year)
    url = (
        reverse("reports:report_detail", args=[year]) if report else reverse("reports:report_list")
    )
    items = []
    for label, due, done in (
        ("报送上级", submit_by, report is not None and report.status == AnnualReport.Status.FINAL),
        ("向社会公开", publish_by, report is not None and report.published_on is not None),
    ):
        left = (due - today).days
        # From a month before the deadline to a month after it; older misses stay on the
        # report list, where they are marked overdue.
        if done or left > within_days or left < -REMIND_DAYS:
            continue
        items.append(
            {
                "area": "年度报告",
                "title": f"{year}年度法治政府建设报告{label}",
                "url": url,
                "due": due,
                "days_left": left,
                "light": "red" if left < 0 else "amber",
                "remaining": f"超期{-left}天"
                if left < 0
                else ("今日到期" if left == 0 else f"剩余{left}天"),
            }
        )
    return items
