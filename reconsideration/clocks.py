"""The clocks (办理时限) of 行政复议 and 行政应诉 cases, computed with the township calendar.

Computed when read, from the case's dates and the current calendar table, so a change of the
calendar moves every open deadline. The `Clock` shape (traffic light, 剩余/超期 text) is the
petition register's (`disputes.clocks.Clock`). Pass one `WorkCalendar` for a whole page.
"""

from __future__ import annotations

from disputes.clocks import Clock, current_clock
from miaoba.workcalendar import Due, WorkCalendar
from reconsideration import deadlines as dl
from reconsideration.models import Case

__all__ = ["Clock", "answer_due", "appeal_due", "case_clocks", "current_clock"]


def answer_due(case: Case, calendar: WorkCalendar) -> Due:
    """Return when the written answer (复议) or 答辩状 (诉讼) is due, and how it was computed.

    复议: 10 days from receiving the copy — working days for a copy received from 2024-01-01
    (《行政复议法》2023年修订 第四十八条、第八十八条), calendar days before (2017年修正 第二十三条).
    诉讼: 15 days from receiving the 起诉状副本 (《行政诉讼法》第六十七条). Calendar days start the
    day after receipt and a last day that is a rest day moves to the next working day
    (《民法典》第二百零一条、第二百零三条).
    """
    if case.is_litigation:
        return calendar.add_days(case.received_on, dl.DEFENCE_DAYS)
    if dl.answer_in_working_days(case.received_on):
        return calendar.add_working_days(case.received_on, dl.ANSWER_DAYS)
    return calendar.add_days(case.received_on, dl.ANSWER_DAYS)


def answer_basis(case: Case) -> str:
    """Return the article the answer period comes from."""
    return dl.DEFENCE_BASIS if case.is_litigation else dl.ANSWER_BASIS[case.rule]


def appeal_due(case: Case, calendar: WorkCalendar) -> Due | None:
    """Return the last day to appeal a first-instance judgment (15 days) or ruling (10 days)
    from its service (《行政诉讼法》第八十五条); None before service or outside litigation."""
    if not case.is_litigation or not case.served_on or case.outcome in ("", "调解", "撤诉"):
        return None
    days = dl.APPEAL_RULING_DAYS if case.outcome in Case.RULINGS else dl.APPEAL_JUDGMENT_DAYS
    return calendar.add_days(case.served_on, days)


def case_clocks(case: Case, calendar: WorkCalendar) -> list[Clock]:
    """Return the case's clocks in the order they run.

    - 答复期限 / 答辩期限: binding, stopped by the answer (see `answer_due`);
    - 上诉期限: from service of a judgment or ruling, a window that may pass (not binding),
      stopped by an appeal.
    """
    label = "答辩期限" if case.is_litigation else "答复期限"
    clocks = [Clock(label, answer_due(case, calendar), answer_basis(case), case.answered_on)]
    appeal = appeal_due(case, calendar)
    if appeal is not None:
        clocks.append(
            Clock("上诉期限", appeal, dl.APPEAL_BASIS, case.appealed_on or None, binding=False)
        )
    return clocks
