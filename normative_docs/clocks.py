"""Deadlines of documents and reviews (报备期限, 有效期, 审查期限), computed when read.

Each deadline is computed from the record's dates, the current calendar table and the periods
of `normative_docs.deadlines`, so a change of either moves every open deadline. Pass one
`WorkCalendar` for a whole page.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from miaoba.workcalendar import Due, WorkCalendar, cn_date
from normative_docs import deadlines
from normative_docs.models import Document, LegalReview

AMBER_DAYS = 7  # a filing or review due within 7 days shows amber (临近到期)


@dataclass(frozen=True)
class Deadline:
    """A deadline on a document or review.

    `label` names it (报备期限, 有效期, 审查期限); `due` holds the date and how it was computed;
    `basis` cites the rule; `done_on` is the date the step was done (None while running);
    `warn_days` is how many days ahead it turns amber.
    """

    label: str
    due: Due
    basis: str
    done_on: dt.date | None = None
    warn_days: int = AMBER_DAYS

    @property
    def running(self) -> bool:
        return self.done_on is None

    def days_left(self, today: dt.date) -> int:
        """Return calendar days from `today` to the due date (negative when overdue)."""
        return (self.due.date - today).days

    def light(self, today: dt.date) -> str:
        """Return red (overdue or done late), amber (due within `warn_days`), green, or grey."""
        if not self.running:
            return "grey" if self.done_on <= self.due.date else "red"
        left = self.days_left(today)
        if left < 0:
            return "red"
        return "amber" if left <= self.warn_days else "green"

    def status_text(self, today: dt.date) -> str:
        """Return 剩余3天 / 今日到期 / 超期5天 while running; 按期完成 / 超期2天完成 when done."""
        if not self.running:
            late = (self.done_on - self.due.date).days
            return "按期完成" if late <= 0 else f"超期{late}天完成"
        left = self.days_left(today)
        if left > 0:
            return f"剩余{left}天"
        if left == 0:
            return "今日到期"
        return f"超期{-left}天"


def filing_due(published_on: dt.date, calendar: WorkCalendar) -> Due:
    """Return the filing (报备) due date: 30 days after publication (check; settings).

    Counted by 《民法典》第二百零一条、第二百零三条: the day of publication is not counted and a
    last day that is a rest day moves to the next working day.
    """
    return calendar.add_days(published_on, deadlines.filing_days())


def expiry_date(effective_on: dt.date, years: int) -> dt.date:
    """Return the last day of validity: the day before the same date `years` years later.

    A document in force from 2020-03-05 for 5 years is valid up to and including 2025-03-04
    (the day it takes effect counts as the first day of validity; a 29 February start ends on
    27 February). Validity is not a procedural period, so a rest day does not move it.
    """
    try:
        anniversary = effective_on.replace(year=effective_on.year + years)
    except ValueError:  # 29 February in a year that has none
        anniversary = effective_on.replace(year=effective_on.year + years, day=28)
    return anniversary - dt.timedelta(days=1)


def document_deadlines(document: Document, calendar: WorkCalendar) -> list[Deadline]:
    """Return the deadlines of a document: 报备期限 once published, 有效期 while in force.

    - 报备期限: `filing_due`; done when `filed_on` is set.
    - 有效期: up to `expires_on`, amber from 90 days before (check; settings); done when the
      document ended (修改, 废止, 失效) or was found not normative.
    """
    out = []
    if document.published_on and document.status != Document.Status.WITHDRAWN:
        out.append(
            Deadline(
                "报备期限",
                filing_due(document.published_on, calendar),
                f"印发之日起{deadlines.filing_days()}日内报备（重庆市规定，待核实）",
                done_on=document.filed_on,
            )
        )
    if document.expires_on and document.status in Document.IN_FORCE:
        out.append(
            Deadline(
                "有效期",
                Due(
                    document.expires_on,
                    f"自{cn_date(document.effective_on or document.published_on)}起施行，"
                    f"有效期{document.validity_years or '—'}年，至{cn_date(document.expires_on)}",
                ),
                "规范性文件有效期一般为5年，暂行、试行为2年（待核实）",
                warn_days=deadlines.expiry_warning_days(),
            )
        )
    return out


def review_deadline(review: LegalReview, calendar: WorkCalendar) -> Deadline:
    """Return a review's deadline: 15 working days after it was sent (国办发〔2018〕115号, check)."""
    days = deadlines.review_max_working_days()
    return Deadline(
        "审查期限",
        calendar.add_working_days(review.submitted_on, days),
        f"合法性审核时间一般为{deadlines.review_min_working_days()}至{days}个工作日"
        "（国办发〔2018〕115号，待核实）",
        done_on=review.completed_on,
    )


def working_days_between(start: dt.date, end: dt.date, calendar: WorkCalendar) -> int:
    """Return the working days after `start` up to and including `end` (0 when end <= start)."""
    count, day = 0, start
    while day < end:
        day += dt.timedelta(days=1)
        if calendar.is_working_day(day):
            count += 1
    return count


def filing_overdue_ids(queryset, *, today: dt.date, calendar: WorkCalendar) -> list[int]:
    """Return the ids of published, unfiled documents in `queryset` whose filing is overdue.

    SQL keeps only those published more than the filing period ago (a due date is never
    earlier); the calendar then decides each exactly. One query.
    """
    candidates = queryset.filter(
        status=Document.Status.PUBLISHED,
        filed_on__isnull=True,
        published_on__lt=today - dt.timedelta(days=deadlines.filing_days()),
    ).values_list("pk", "published_on")
    return [pk for pk, published in candidates if filing_due(published, calendar).date < today]
