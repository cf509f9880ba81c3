"""The statutory clocks (办理时限) of petitions and disputes, computed with the township calendar.

Each clock is computed when it is read, from the case's dates and the current calendar table,
so a change of the calendar moves every open deadline. Pass one `WorkCalendar` for a whole page.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Q

from disputes import deadlines as dl
from disputes.models import Dispute, Petition
from miaoba.workcalendar import Due, WorkCalendar

AMBER_DAYS = 3  # due within 3 days shows amber (临近到期)


@dataclass(frozen=True)
class Clock:
    """A deadline on a case.

    `label` names it (受理期限, 办结期限 ...); `due` holds the date and how it was computed;
    `basis` cites the rule; `stopped_on` is the date the step was done (None while running);
    `binding` is False for a window the parties may let pass (司法确认申请期), which never turns red.
    """

    label: str
    due: Due
    basis: str
    stopped_on: dt.date | None = None
    binding: bool = True

    @property
    def running(self) -> bool:
        """Return True while the step is not done."""
        return self.stopped_on is None

    def days_left(self, today: dt.date) -> int:
        """Return calendar days from `today` to the due date (negative when overdue)."""
        return (self.due.date - today).days

    def light(self, today: dt.date) -> str:
        """Return the traffic light: red overdue, amber due within 3 days, green, grey when done.

        A done clock is red when it was done late; a window that may pass (not binding) never
        turns red.
        """
        if not self.running:
            return "grey" if self.stopped_on <= self.due.date or not self.binding else "red"
        left = self.days_left(today)
        if left < 0:
            return "red" if self.binding else "grey"
        return "amber" if left <= AMBER_DAYS else "green"

    def status_text(self, today: dt.date) -> str:
        """Return 剩余3天 / 今日到期 / 超期5天 while running; 按期完成 / 超期2天完成 when done."""
        if not self.running:
            late = (self.stopped_on - self.due.date).days
            if late <= 0:
                return "按期完成"
            return f"超期{late}天完成" if self.binding else "期限已过"
        left = self.days_left(today)
        if left > 0:
            return f"剩余{left}天"
        if left == 0:
            return "今日到期"
        return f"超期{-left}天" if self.binding else "期限已过"


def petition_clocks(petition: Petition, calendar: WorkCalendar) -> list[Clock]:
    """Return the clocks of a petition in the order they run.

    - 受理期限: 15 days from receipt (《信访条例》第二十一、二十二条; 《信访工作条例》第二十三条).
    - 转送异议期限: 5 working days for an item transferred from above, 2022 rule only
      (《信访工作条例》第二十三条). Only an item that is not ours needs an objection, so it is
      a window that may pass (not binding): accepting on day 10 is not late.
    - 办结期限: 60 days from acceptance, plus an approved extension of at most 30 days
      (《信访条例》第三十三条; 《信访工作条例》第三十四条).
    - 复查意见期限 and 复核意见期限: the opinion is due 30 days after the request was received
      (《信访条例》第三十四条、第三十五条; 《信访工作条例》第三十五条、第三十六条); they run from
      a recorded request until its opinion is recorded.
    """
    clocks = []
    if petition.status != Petition.Status.REJECTED or petition.decided_on:
        clocks.append(
            Clock(
                "受理期限",
                calendar.add_days(petition.received_on, dl.ACCEPTANCE_DAYS),
                dl.ACCEPTANCE_BASIS[petition.rule],
                petition.decided_on,
            )
        )
    if petition.rule == "2022" and petition.channel == Petition.Channel.TRANSFERRED:
        clocks.append(
            Clock(
                "转送异议期限",
                calendar.add_working_days(petition.received_on, dl.TRANSFER_OBJECTION_WORKING_DAYS),
                dl.TRANSFER_OBJECTION_BASIS,
                petition.decided_on,
                binding=False,
            )
        )
    if petition.decided_on and petition.status != Petition.Status.REJECTED:
        days = dl.CONCLUSION_DAYS + (petition.extension_days or 0)
        due = calendar.add_days(petition.decided_on, days)
        if petition.extension_days:
            due = Due(
                due.date,
                f"受理后{dl.CONCLUSION_DAYS}日，经批准延期{petition.extension_days}日；"
                f"{due.explanation}",
                due.estimate,
            )
        clocks.append(
            Clock("办结期限", due, dl.CONCLUSION_BASIS[petition.rule], petition.concluded_on)
        )
    for level, label, basis in (
        ("review", "复查意见期限", dl.REVIEW_BASIS),
        ("recheck", "复核意见期限", dl.RECHECK_BASIS),
    ):
        requested = getattr(petition, f"{level}_requested_on")
        if requested:
            clocks.append(
                Clock(
                    label,
                    calendar.add_days(requested, dl.REVIEW_OPINION_DAYS),
                    basis[petition.rule],
                    getattr(petition, f"{level}_concluded_on"),
                )
            )
    return clocks


# What `petition_clocks` reads: lists and figures fetch only these columns.
PETITION_CLOCK_FIELDS = (
    "id", "received_on", "channel", "status", "decided_on", "extension_days", "concluded_on",
    "review_requested_on", "review_concluded_on", "recheck_requested_on", "recheck_concluded_on",
)  # fmt: skip


def open_review_q(before: dt.date) -> Q:
    """Return the condition of a 复查 or 复核 requested on or before `before` without an opinion."""
    return Q(review_requested_on__lte=before, review_concluded_on__isnull=True) | Q(
        recheck_requested_on__lte=before, recheck_concluded_on__isnull=True
    )


def dispute_clocks(dispute: Dispute, calendar: WorkCalendar) -> list[Clock]:
    """Return the clocks of a dispute in the order they run.

    - 调解期限: one month from acceptance (司法部令第75号《人民调解工作若干规定》第三十三条).
    - 司法确认申请期: 30 days from a written agreement taking effect (《人民调解法》第三十三条);
      a window the parties may let pass, so it never turns red.
    """
    clocks = []
    if dispute.decided_on and dispute.status != Dispute.Status.REJECTED:
        clocks.append(
            Clock(
                "调解期限",
                calendar.add_months(dispute.decided_on, dl.MEDIATION_MONTHS),
                dl.MEDIATION_BASIS,
                dispute.concluded_on,
            )
        )
    if dispute.agreement_form == Dispute.AgreementForm.WRITTEN and dispute.agreement_effective_on:
        clocks.append(
            Clock(
                "司法确认申请期",
                calendar.add_days(dispute.agreement_effective_on, dl.COURT_WINDOW_DAYS),
                dl.COURT_BASIS,
                dispute.court_applied_on,
                binding=False,
            )
        )
    return clocks


def current_clock(clocks: list[Clock]) -> Clock | None:
    """Return the running binding clock that ends first, else None."""
    running = [c for c in clocks if c.running and c.binding]
    return min(running, key=lambda c: c.due.date) if running else None


def overdue_petition_ids(
    queryset, *, calendar: WorkCalendar | None = None, today: dt.date | None = None
) -> list[int]:
    """Return the ids of petitions in `queryset` whose running clock is past its due date.

    SQL first narrows to open petitions old enough to be overdue (a due date is never before
    start + period), then the exact clocks are computed for those only.
    """
    today = today or _today()
    calendar = calendar or WorkCalendar.load()
    candidates = queryset.filter(
        Q(
            status=Petition.Status.REGISTERED,
            received_on__lt=today - dt.timedelta(days=dl.ACCEPTANCE_DAYS),
        )
        | Q(
            status=Petition.Status.ACCEPTED,
            decided_on__lt=today - dt.timedelta(days=dl.CONCLUSION_DAYS),
        )
        | open_review_q(today - dt.timedelta(days=dl.REVIEW_OPINION_DAYS + 1))
    ).only(*PETITION_CLOCK_FIELDS)
    ids = []
    for petition in candidates:
        clock = current_clock(petition_clocks(petition, calendar))
        if clock and clock.days_left(today) < 0:
            ids.append(petition.pk)
    return ids


def overdue_dispute_ids(
    queryset, *, calendar: WorkCalendar | None = None, today: dt.date | None = None
) -> list[int]:
    """Return the ids of disputes in `queryset` still in mediation past the one-month clock."""
    today = today or _today()
    calendar = calendar or WorkCalendar.load()
    candidates = queryset.filter(
        status=Dispute.Status.ACCEPTED,
        decided_on__lt=today - dt.timedelta(days=dl.MONTH_MIN_DAYS),
    ).only(
        "id",
        "decided_on",
        "status",
        "concluded_on",
        "agreement_form",
        "agreement_effective_on",
        "court_applied_on",
    )
    ids = []
    for dispute in candidates:
        clock = current_clock(dispute_clocks(dispute, calendar))
        if clock and clock.days_left(today) < 0:
            ids.append(dispute.pk)
    return ids


def _today() -> dt.date:
    from django.utils import timezone

    return timezone.localdate()
