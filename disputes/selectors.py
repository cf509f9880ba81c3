"""Figures of petitions (信访件) and disputes (矛盾纠纷) for the dashboard and the annual report.

Other apps read the `disputes` app only through this module. Every function counts the whole
township (no filtering by user) for a period: the cases received (登记日期 `received_on`) in
`first_year`, or in `first_year` to `last_year` inclusive (e.g. 2016–2020). With `as_of` (a date
in Asia/Shanghai) a report can be written before the period ends: only cases received on or
before `as_of` count, and a step (受理, 办结, 答复 ...) counts only if its date is on or before
`as_of`, so the figures read as they stood that evening.

Shapes:
- Counts are `int`s; amounts are `Decimal` yuan with two places.
- Rates are percentages as `Decimal` with one place, rounded half up (688 of 697 -> 98.7), or
  `None` when the denominator is 0: the page prints "—", never "100%". See `percent`.
- Breakdowns are dicts keyed by the printed label (`"来访（走访）"`, `"劳动争议（劳资）"`,
  a category or village name; `NOT_FILLED` for a blank kind or village). Fixed lists (channel,
  kind, dispute type and source) keep their list's order and show zeros; categories and villages
  show only those with cases, the largest first (ties in the reference list's order),
  `NOT_FILLED` last.
- `by_month` is keyed by month (1..12) for one year and by (year, month) for a span; every month
  of the period is present (zeros included) up to the month of `as_of`.
- `PETITION_FIGURE_LABELS` and `DISPUTE_FIGURE_LABELS` give each figure's Chinese name and unit,
  so the report can insert figures by key: `getattr(figures, key)` or `figures.as_dict()[key]`.

Query budget: each function costs a fixed number of queries whatever the number of cases
(`PETITION_FIGURES_QUERIES`, `DISPUTE_FIGURES_QUERIES`; one fewer with `calendar=` given): one
grouped statement of conditional counts (FILTER on PostgreSQL, CASE on SQLite) by month of
receipt and each fixed list (channel and kind; type and source), from which the totals, those
breakdowns and the months are summed; one grouped by category and village; the band below.
The deadline rates need the township calendar (a due date whose last day is a rest day moves to
the next working day, 《民法典》第二百零三条), which SQL does not know. SQL counts the steps
certainly on time (done within the unshifted period); it then fetches only the steps done in the
band after that, no later than the longest shift the calendar table can produce, and checks
those exactly with `disputes.clocks`. A step later than the band is certainly late.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, fields
from decimal import ROUND_HALF_UP, Decimal

from django.db import NotSupportedError
from django.db.models import Count, Func, IntegerField, Q, QuerySet, Sum, Value
from django.db.models.functions import Coalesce, ExtractMonth, ExtractYear
from django.urls import reverse
from django.utils import timezone

from disputes.clocks import (
    PETITION_CLOCK_FIELDS,
    current_clock,
    dispute_clocks,
    open_review_q,
    petition_clocks,
)
from disputes.deadlines import (
    ACCEPTANCE_DAYS,
    CONCLUSION_DAYS,
    MONTH_MAX_DAYS,
    MONTH_MIN_DAYS,
    REVIEW_OPINION_DAYS,
)
from disputes.models import Dispute, Petition
from miaoba.figures import (
    AMOUNT,
    COUNT,
    AreaFigures,
    Bar,
    Figure,
    Series,
    choice_bars,
    percent,
    rate,
)
from miaoba.periods import FigureFilter, Period
from miaoba.workcalendar import WorkCalendar

NOT_FILLED = "未填写"
COLLECTIVE_HEADCOUNT = 5  # 集体访: 5 or more people on one matter (DOMAIN.md §2)

PETITION_FIGURES_QUERIES = 4  # calendar, counts by month/channel/kind, by category/village, band
DISPUTE_FIGURES_QUERIES = 4  # calendar, counts by month/type/source, by village, band

_SATISFIED = [Petition.Satisfaction.SATISFIED, Petition.Satisfaction.BASICALLY]
_CONCLUDED = [Dispute.Status.SUCCEEDED, Dispute.Status.FAILED, Dispute.Status.TERMINATED]


@dataclass(frozen=True)
class FigureLabel:
    """A figure's Chinese name and unit as the report prints them: 信访件数, 件."""

    label: str
    unit: str


PETITION_FIGURE_LABELS: dict[str, FigureLabel] = {
    "total": FigureLabel("信访件数", "件"),
    "by_channel": FigureLabel("按来源渠道分", "件"),
    "by_kind": FigureLabel("按信访形式类别分", "件"),
    "by_category": FigureLabel("按问题分类分", "件"),
    "by_village": FigureLabel("按村（社区）分", "件"),
    "by_month": FigureLabel("按月份分", "件"),
    "decided": FigureLabel("作出受理决定件数", "件"),
    "accepted": FigureLabel("受理件数", "件"),
    "rejected": FigureLabel("不予受理件数", "件"),
    "timely_decided": FigureLabel("按时作出受理决定件数", "件"),
    "timely_acceptance_rate": FigureLabel("及时受理率", "%"),
    "concluded": FigureLabel("办结件数", "件"),
    "concluded_on_time": FigureLabel("按期办结件数", "件"),
    "on_time_conclusion_rate": FigureLabel("按期办结率", "%"),
    "replied": FigureLabel("答复件数", "件"),
    "reply_rate": FigureLabel("答复率", "%"),
    "repeat_count": FigureLabel("重复信访件数", "件"),
    "collective_count": FigureLabel("集体访件数", "件"),
    "rateable": FigureLabel("应参评件数", "件"),
    "rated": FigureLabel("参评件数", "件"),
    "rating_rate": FigureLabel("参评率", "%"),
    "satisfied": FigureLabel("满意（含基本满意）件数", "件"),
    "satisfaction_rate": FigureLabel("满意率", "%"),
    "extended_count": FigureLabel("延期件数", "件"),
}

DISPUTE_FIGURE_LABELS: dict[str, FigureLabel] = {
    "registered": FigureLabel("登记数", "起"),
    "accepted": FigureLabel("受理数", "起"),
    "rejected": FigureLabel("不予受理数", "起"),
    "by_type": FigureLabel("按纠纷类型分（受理）", "起"),
    "by_source": FigureLabel("按纠纷来源分（受理）", "起"),
    "by_village": FigureLabel("按村（社区）分（受理）", "起"),
    "by_month": FigureLabel("按月份分（受理）", "起"),
    "concluded": FigureLabel("调结数", "起"),
    "succeeded": FigureLabel("调解成功数", "起"),
    "failed": FigureLabel("调解不成数", "起"),
    "terminated": FigureLabel("终止调解数", "起"),
    "success_rate": FigureLabel("调解成功率", "%"),
    "concluded_within_month": FigureLabel("一个月内调结数", "起"),
    "within_month_rate": FigureLabel("一个月内调结率", "%"),
    "written": FigureLabel("书面协议数", "起"),
    "written_rate": FigureLabel("书面协议率", "%"),
    "performed": FigureLabel("已履行数", "起"),
    "performance_rate": FigureLabel("履行率", "%"),
    "court_confirmation_count": FigureLabel("司法确认数", "起"),
    "replied": FigureLabel("答复数", "起"),
    "reply_rate": FigureLabel("答复率", "%"),
    "amount_total": FigureLabel("涉及金额合计", "元"),
}


# --- Conditions shared by the figures and the lists' figure filters -------------------------
# Each figure counts the period's cases that meet one condition, judged as they stood on `cut`
# (a date, or None for "whatever has been recorded"); a list kept to the same period and
# condition (`?figure=<name>`, see `miaoba.periods`) shows exactly those cases.


def petition_conditions(cut: dt.date | None) -> dict[str, Q]:
    """Return the petition figures' conditions by name, each a Q judged as of `cut`.

    decided (受理 or 不予受理 decided), rejected, accepted, concluded (办结, not rejected),
    replied (答复), repeat (重复信访), collective (集体访, 5 or more people), rateable (replied
    and concluded), rated (a satisfaction given), satisfied (满意 or 基本满意), extended (延期).
    """
    rejected_status = Q(status=Petition.Status.REJECTED)
    decided = _done("decided_on", cut)
    concluded = _done("concluded_on", cut) & ~rejected_status
    replied = _done("replied_on", cut)
    rateable = replied & concluded
    extended = Q(extension_days__isnull=False)
    if cut is not None:
        # An extension recorded without its date (an imported ledger) counts from acceptance.
        extended &= Q(extended_on__lte=cut) | Q(extended_on__isnull=True, decided_on__lte=cut)
    return {
        "decided": decided,
        "rejected": decided & rejected_status,
        "accepted": decided & ~rejected_status,
        "concluded": concluded,
        "replied": replied,
        "repeat": Q(is_repeat=True),
        "collective": Q(headcount__gte=COLLECTIVE_HEADCOUNT),
        "rateable": rateable,
        "rated": rateable & ~Q(satisfaction=""),
        "satisfied": rateable & Q(satisfaction__in=_SATISFIED),
        "extended": extended,
    }


# 60 days plus the approved extension, before any rest-day shift.
_ALLOWED = Value(CONCLUSION_DAYS) + Coalesce("extension_days", 0, output_field=IntegerField())
# Certainly on time: done within the period before any rest-day shift.
_SURELY_TIMELY = Q(decision_days__lte=ACCEPTANCE_DAYS)
_SURELY_ON_TIME = Q(conclusion_days__lte=_ALLOWED)


def _petition_days(petitions: QuerySet) -> QuerySet:
    return petitions.alias(
        decision_days=_days_between("received_on", "decided_on"),
        conclusion_days=_days_between("decided_on", "concluded_on"),
    )


def _petition_band(
    petitions: QuerySet, cut: dt.date | None, calendar: WorkCalendar
) -> tuple[set[int], set[int]]:
    """Return the ids of the petitions done after the unshifted period but still in time once
    the rest-day shift is applied: (decided in time, concluded on time). One query.

    `petitions` must carry `_petition_days`. A step later than the longest shift the calendar
    can produce is certainly late and is not fetched.
    """
    shift = longest_shift(calendar)
    c = petition_conditions(cut)
    band = petitions.filter(
        (
            c["decided"]
            & Q(decision_days__gt=ACCEPTANCE_DAYS, decision_days__lte=ACCEPTANCE_DAYS + shift)
        )
        | (c["concluded"] & Q(conclusion_days__gt=_ALLOWED, conclusion_days__lte=_ALLOWED + shift))
    ).only(*PETITION_CLOCK_FIELDS)
    timely, on_time = set(), set()
    for petition in band:
        clocks = {c.label: c for c in petition_clocks(petition, calendar)}
        if (
            _done_by(petition.decided_on, cut)
            and (petition.decided_on - petition.received_on).days > ACCEPTANCE_DAYS
            and _stopped_in_time(clocks["受理期限"])
        ):
            timely.add(petition.pk)
        if (
            _done_by(petition.concluded_on, cut)
            and petition.status != Petition.Status.REJECTED
            and (petition.concluded_on - petition.decided_on).days
            > CONCLUSION_DAYS + (petition.extension_days or 0)
            and _stopped_in_time(clocks["办结期限"])
        ):
            on_time.add(petition.pk)
    return timely, on_time


def dispute_conditions(cut: dt.date | None) -> dict[str, Q]:
    """Return the dispute figures' conditions by name, each a Q judged as of `cut`.

    decided, accepted (受理), rejected (不予受理), concluded (调解成功/不成/终止), succeeded,
    failed, terminated, written (书面协议), performed (已履行, from its check date or the
    conclusion), court (司法确认 applied for), replied (答复).
    """
    decided = _done("decided_on", cut)
    concluded = _done("concluded_on", cut) & Q(status__in=_CONCLUDED)
    succeeded = concluded & Q(status=Dispute.Status.SUCCEEDED)
    performed = succeeded & Q(performance=Dispute.Performance.DONE)
    if cut is not None:
        performed &= Q(performance_checked_on__lte=cut) | Q(performance_checked_on__isnull=True)
    return {
        "decided": decided,
        "accepted": decided & ~Q(status=Dispute.Status.REJECTED),
        "rejected": decided & Q(status=Dispute.Status.REJECTED),
        "concluded": concluded,
        "succeeded": succeeded,
        "failed": concluded & Q(status=Dispute.Status.FAILED),
        "terminated": concluded & Q(status=Dispute.Status.TERMINATED),
        "written": succeeded & Q(agreement_form=Dispute.AgreementForm.WRITTEN),
        "performed": performed,
        "court": _done("court_applied_on", cut),
        "replied": _done("replied_on", cut),
    }


def _dispute_days(disputes: QuerySet) -> QuerySet:
    return disputes.alias(mediation_days=_days_between("decided_on", "concluded_on"))


def _dispute_band(disputes: QuerySet, cut: dt.date | None, calendar: WorkCalendar) -> set[int]:
    """Return the ids of the disputes concluded after 28 days but within the one-month clock
    (令75号第三十三条, with the rest-day shift). One query; `disputes` carries `_dispute_days`."""
    shift = longest_shift(calendar)
    band = disputes.filter(
        dispute_conditions(cut)["concluded"]
        & Q(mediation_days__gt=MONTH_MIN_DAYS, mediation_days__lte=MONTH_MAX_DAYS + shift)
    ).only(
        "id",
        "status",
        "decided_on",
        "concluded_on",
        "agreement_form",
        "agreement_effective_on",
        "court_applied_on",
    )
    within = set()
    for dispute in band:
        clocks = {c.label: c for c in dispute_clocks(dispute, calendar)}
        if _stopped_in_time(clocks["调解期限"]):
            within.add(dispute.pk)
    return within


class _Figures:
    def as_dict(self) -> dict[str, object]:
        """Return the figures keyed by their stable English names."""
        return {f.name: getattr(self, f.name) for f in fields(self)}


@dataclass(frozen=True)
class PetitionFigures(_Figures):
    """Petition figures (信访工作数据) of a period; keys and units in `PETITION_FIGURE_LABELS`.

    - `decided`: decisions made (受理 or 不予受理); `timely_decided`: made within the 15-day
      clock; `timely_acceptance_rate` = timely_decided / decided.
    - `concluded`: accepted petitions concluded (办结); `concluded_on_time`: within 60 days of
      acceptance plus any approved extension; `on_time_conclusion_rate` = on time / concluded.
    - `replied`: reply delivered (`replied_on` set; a 不予受理 notice is a reply);
      `reply_rate` = replied / total.
    - `rateable`: replied petitions that were accepted and concluded; `rated`: those with a
      satisfaction; `rating_rate` = rated / rateable (参评率); `satisfaction_rate` =
      (满意 + 基本满意) / rated (满意率). Ratings carry no date of their own: with `as_of`, a
      rating counts when its petition was replied by then.
    - `extended_count`: petitions whose conclusion period was extended (延期).
    """

    total: int
    by_channel: dict[str, int]
    by_kind: dict[str, int]
    by_category: dict[str, int]
    by_village: dict[str, int]
    by_month: dict[int | tuple[int, int], int]
    decided: int
    accepted: int
    rejected: int
    timely_decided: int
    timely_acceptance_rate: Decimal | None
    concluded: int
    concluded_on_time: int
    on_time_conclusion_rate: Decimal | None
    replied: int
    reply_rate: Decimal | None
    repeat_count: int
    collective_count: int
    rateable: int
    rated: int
    rating_rate: Decimal | None
    satisfied: int
    satisfaction_rate: Decimal | None
    extended_count: int


@dataclass(frozen=True)
class DisputeFigures(_Figures):
    """Dispute figures (矛盾纠纷排查调处数据) of a period; keys and units in `DISPUTE_FIGURE_LABELS`.

    - `registered` (登记数): all disputes received; `accepted` (受理数): decided and not
      rejected. The breakdowns and `amount_total` count accepted disputes (DOMAIN.md §3:
      受理数 by type, source, village).
    - `success_rate` = succeeded / concluded, where concluded = succeeded + failed + terminated
      (不予受理 excluded, 《人民调解法》第十七条).
    - `within_month_rate` = concluded within the one-month clock (令75号第三十三条, with the
      rest-day shift) / concluded.
    - `written_rate` = written agreements / succeeded; `performance_rate` = 已履行 / succeeded
      (with `as_of`, a performance counts from its check date, or from the conclusion when no
      check date was recorded).
    - `court_confirmation_count`: applications for court confirmation (司法确认) made.
    - `reply_rate` = replied / registered.
    - `amount_total`: the sum of the amounts involved (涉及金额) in yuan, two decimals.
    """

    registered: int
    accepted: int
    rejected: int
    by_type: dict[str, int]
    by_source: dict[str, int]
    by_village: dict[str, int]
    by_month: dict[int | tuple[int, int], int]
    concluded: int
    succeeded: int
    failed: int
    terminated: int
    success_rate: Decimal | None
    concluded_within_month: int
    within_month_rate: Decimal | None
    written: int
    written_rate: Decimal | None
    performed: int
    performance_rate: Decimal | None
    court_confirmation_count: int
    replied: int
    reply_rate: Decimal | None
    amount_total: Decimal


# --- Petitions -------------------------------------------------------------------------------


def petition_figures(
    first_year: int,
    last_year: int | None = None,
    *,
    as_of: dt.date | None = None,
    calendar: WorkCalendar | None = None,
    name_ids: dict | None = None,
) -> PetitionFigures:
    """Return the petition figures (信访件数, 及时受理率, 按期办结率 ...) of a year or a span.

    Counts the petitions received in `first_year` (to `last_year`, inclusive), as they stood on
    `as_of` when given. Pass `calendar` to reuse a loaded `WorkCalendar`. Costs
    `PETITION_FIGURES_QUERIES` queries whatever the number of petitions. `name_ids`, when given,
    is filled with {"category"|"village": {name: pk}}. Raises ValueError when
    `last_year` is before `first_year`. Rules: DOMAIN.md §2 (《信访条例》2005,
    《信访工作条例》2022).
    """
    last_year = _check_period(first_year, last_year)
    calendar = calendar or WorkCalendar.load()
    c = petition_conditions(as_of)
    petitions = _petition_days(_received(Petition, first_year, last_year, as_of))
    counts, by = _grouped(
        petitions,
        ("channel", "kind"),
        total=Count("id"),
        decided=Count("id", filter=c["decided"]),
        rejected=Count("id", filter=c["rejected"]),
        timely_decided=Count("id", filter=c["decided"] & _SURELY_TIMELY),
        concluded=Count("id", filter=c["concluded"]),
        concluded_on_time=Count("id", filter=c["concluded"] & _SURELY_ON_TIME),
        replied=Count("id", filter=c["replied"]),
        repeat_count=Count("id", filter=c["repeat"]),
        collective_count=Count("id", filter=c["collective"]),
        rateable=Count("id", filter=c["rateable"]),
        rated=Count("id", filter=c["rated"]),
        satisfied=Count("id", filter=c["satisfied"]),
        extended_count=Count("id", filter=c["extended"]),
    )
    named = _by_names(petitions, ("category", "village"), name_ids)
    timely_band, on_time_band = _petition_band(petitions, as_of, calendar)
    counts["timely_decided"] += len(timely_band)
    counts["concluded_on_time"] += len(on_time_band)

    return PetitionFigures(
        total=counts["total"],
        by_channel=_choice_counts(by["channel"], Petition.Channel),
        by_kind=_choice_counts(by["kind"], Petition.Kind),
        by_category=named["category"],
        by_village=named["village"],
        by_month=_month_counts(by["month"], first_year, last_year, as_of),
        decided=counts["decided"],
        accepted=counts["decided"] - counts["rejected"],
        rejected=counts["rejected"],
        timely_decided=counts["timely_decided"],
        timely_acceptance_rate=percent(counts["timely_decided"], counts["decided"]),
        concluded=counts["concluded"],
        concluded_on_time=counts["concluded_on_time"],
        on_time_conclusion_rate=percent(counts["concluded_on_time"], counts["concluded"]),
        replied=counts["replied"],
        reply_rate=percent(counts["replied"], counts["total"]),
        repeat_count=counts["repeat_count"],
        collective_count=counts["collective_count"],
        rateable=counts["rateable"],
        rated=counts["rated"],
        rating_rate=percent(counts["rated"], counts["rateable"]),
        satisfied=counts["satisfied"],
        satisfaction_rate=percent(counts["satisfied"], counts["rated"]),
        extended_count=counts["extended_count"],
    )


# --- Disputes --------------------------------------------------------------------------------


def dispute_figures(
    first_year: int,
    last_year: int | None = None,
    *,
    as_of: dt.date | None = None,
    calendar: WorkCalendar | None = None,
    name_ids: dict | None = None,
) -> DisputeFigures:
    """Return the dispute figures (受理数, 调解成功率, 一个月内调结率 ...) of a year or a span.

    Counts the disputes received in `first_year` (to `last_year`, inclusive), as they stood on
    `as_of` when given. Pass `calendar` to reuse a loaded `WorkCalendar`. Costs
    `DISPUTE_FIGURES_QUERIES` queries whatever the number of disputes. `name_ids`, when given,
    is filled with {"village": {name: pk}}. Raises ValueError when
    `last_year` is before `first_year`. Rules: DOMAIN.md §3 (《人民调解法》, 司法部令第75号).
    """
    last_year = _check_period(first_year, last_year)
    calendar = calendar or WorkCalendar.load()
    c = dispute_conditions(as_of)
    disputes = _dispute_days(_received(Dispute, first_year, last_year, as_of))
    # The breakdowns count accepted disputes: `n` is the grouped count they sum.
    counts, by = _grouped(
        disputes,
        ("type", "source"),
        n=Count("id", filter=c["accepted"]),
        registered=Count("id"),
        accepted=Count("id", filter=c["accepted"]),
        rejected=Count("id", filter=c["rejected"]),
        concluded=Count("id", filter=c["concluded"]),
        succeeded=Count("id", filter=c["succeeded"]),
        failed=Count("id", filter=c["failed"]),
        terminated=Count("id", filter=c["terminated"]),
        concluded_within_month=Count(
            "id", filter=c["concluded"] & Q(mediation_days__lte=MONTH_MIN_DAYS)
        ),
        written=Count("id", filter=c["written"]),
        performed=Count("id", filter=c["performed"]),
        court_confirmation_count=Count("id", filter=c["court"]),
        replied=Count("id", filter=c["replied"]),
        amount_total=Sum("amount", filter=c["accepted"]),
    )
    named = _by_names(disputes.filter(c["accepted"]), ("village",), name_ids)
    counts["concluded_within_month"] += len(_dispute_band(disputes, as_of, calendar))

    amount = counts["amount_total"] or Decimal(0)
    return DisputeFigures(
        registered=counts["registered"],
        accepted=counts["accepted"],
        rejected=counts["rejected"],
        by_type=_choice_counts(by["type"], Dispute.Type),
        by_source=_choice_counts(by["source"], Dispute.Source),
        by_village=named["village"],
        by_month=_month_counts(by["month"], first_year, last_year, as_of),
        concluded=counts["concluded"],
        succeeded=counts["succeeded"],
        failed=counts["failed"],
        terminated=counts["terminated"],
        success_rate=percent(counts["succeeded"], counts["concluded"]),
        concluded_within_month=counts["concluded_within_month"],
        within_month_rate=percent(counts["concluded_within_month"], counts["concluded"]),
        written=counts["written"],
        written_rate=percent(counts["written"], counts["succeeded"]),
        performed=counts["performed"],
        performance_rate=percent(counts["performed"], counts["succeeded"]),
        court_confirmation_count=counts["court_confirmation_count"],
        replied=counts["replied"],
        reply_rate=percent(counts["replied"], counts["registered"]),
        amount_total=Decimal(amount).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP),
    )


# --- Shared ----------------------------------------------------------------------------------


def longest_shift(calendar: WorkCalendar) -> int:
    """Return the most days a period's rest-day end can move forward under `calendar`.

    A weekend moves an end by at most 2 days; a holiday run (with the weekend before it) by
    more, e.g. 8 days for 2020-10-01 (国庆中秋, to 2020-10-09). A run of rest days starts on a
    holiday or on one of the two days before its first holiday, so those are the only starts
    to try.
    """
    starts = {day - dt.timedelta(days=k) for day in calendar.holidays for k in range(3)}
    return max([2, *((calendar.next_working_day(day) - day).days for day in starts)])


class _DayNumber(Func):
    """The number of days from 1970-01-01 to a date column, as an integer.

    Django has no portable "days between two dates"; this is the one vendor-specific piece:
    julianday() on SQLite, date subtraction (which yields an integer) on PostgreSQL.
    """

    arity = 1
    output_field = IntegerField()

    def as_sql(self, compiler, connection, **extra_context):
        raise NotSupportedError(f"_DayNumber is not implemented for {connection.vendor}.")

    def as_sqlite(self, compiler, connection, **extra_context):
        return super().as_sql(
            compiler,
            connection,
            template="CAST(julianday(%(expressions)s) - 2440587.5 AS INTEGER)",
            **extra_context,
        )

    def as_postgresql(self, compiler, connection, **extra_context):
        return super().as_sql(
            compiler,
            connection,
            template="(%(expressions)s - DATE '1970-01-01')",
            **extra_context,
        )


def _days_between(start: str, end: str):
    """Return an expression for `end - start` in whole days (NULL when either is NULL)."""
    return _DayNumber(end) - _DayNumber(start)


def _check_period(first_year: int, last_year: int | None) -> int:
    last_year = first_year if last_year is None else last_year
    if last_year < first_year:
        raise ValueError(f"统计期间的结束年度（{last_year}）早于起始年度（{first_year}）。")
    return last_year


def _received(model, first_year: int, last_year: int, as_of: dt.date | None) -> QuerySet:
    cases = model.objects.active().received_in(first_year, last_year).order_by()
    if as_of is not None:
        cases = cases.filter(received_on__lte=as_of)
    return cases


def _done(field: str, as_of: dt.date | None) -> Q:
    """Return the condition that the step dated by `field` was done (by `as_of`, if given)."""
    if as_of is None:
        return Q(**{f"{field}__isnull": False})
    return Q(**{f"{field}__lte": as_of})


def _done_by(day: dt.date | None, as_of: dt.date | None) -> bool:
    return day is not None and (as_of is None or day <= as_of)


def _stopped_in_time(clock) -> bool:
    return clock.stopped_on is not None and clock.stopped_on <= clock.due.date


def _grouped(
    cases: QuerySet, fields: tuple[str, ...], **aggregates
) -> tuple[dict[str, int], dict[str, dict]]:
    """Count `aggregates` (conditional counts and sums) in one grouped statement, by month of
    receipt and by each of `fields` (choice fields of few values).

    Returns (totals, by): `totals` = {aggregate name: sum over every group} (0 when there is
    none), `by` = {"month": {(year, month): n}, field: {value: n}} where n is the
    aggregate named "n" when given, else "total" or "registered" (the first aggregate).
    """
    count_key = "n" if "n" in aggregates else next(iter(aggregates))
    rows = (
        cases.annotate(y=ExtractYear("received_on"), m=ExtractMonth("received_on"))
        .values("y", "m", *fields)
        .annotate(**aggregates)
        .order_by()
    )
    totals: dict[str, object] = dict.fromkeys(aggregates, 0)
    by: dict[str, dict] = {"month": {}, **{f: {} for f in fields}}
    for row in rows:
        for name in aggregates:
            totals[name] += row[name] or 0
        n = row[count_key]
        month = (row["y"], row["m"])
        by["month"][month] = by["month"].get(month, 0) + n
        for f in fields:
            by[f][row[f]] = by[f].get(row[f], 0) + n
    return totals, by


def _choice_counts(counts: dict[str, int], choices) -> dict[str, int]:
    """Count by a choice field: every choice in its order (zeros too), then a blank one."""
    result = {label: counts.get(value, 0) for value, label in choices.choices}
    if counts.get(""):
        result[NOT_FILLED] = counts[""]
    return result


def _by_names(
    cases: QuerySet, relations: tuple[str, ...], ids: dict | None = None
) -> dict[str, dict[str, int]]:
    """Count by related villages or categories, in one grouped statement: for each relation,
    largest first, ties in the list's order, cases without one last as `NOT_FILLED`.

    With `ids`, fill ids[relation] with {name: pk} (for links to the list filtered by it).
    """
    columns = [f"{r}__{part}" for r in relations for part in ("order", "name", "pk")]
    rows = cases.values_list(*columns).annotate(n=Count("id")).order_by()
    per: dict[str, dict] = {r: {} for r in relations}
    for row in rows:
        n = row[-1]
        for i, relation in enumerate(relations):
            order, name, pk = row[3 * i : 3 * i + 3]
            slot = (order, name, pk)
            per[relation][slot] = per[relation].get(slot, 0) + n
    result = {}
    for relation, counted in per.items():
        named, missing = [], 0
        for (order, name, pk), n in counted.items():
            if name is None:
                missing += n
            else:
                named.append((-n, order, name))
                if ids is not None:
                    ids.setdefault(relation, {})[name] = pk
        out = {name: -minus_n for minus_n, _, name in sorted(named)}
        if missing:
            out[NOT_FILLED] = missing
        result[relation] = out
    return result


def _month_counts(
    counts: dict[tuple[int, int], int], first_year: int, last_year: int, as_of: dt.date | None
) -> dict[int | tuple[int, int], int]:
    """Count by month of receipt: keyed 1..12 for one year, (year, month) for a span."""
    result: dict[int | tuple[int, int], int] = {}
    for year in range(first_year, last_year + 1):
        for month in range(1, 13):
            if as_of is not None and (year, month) > (as_of.year, as_of.month):
                return result
            key = month if first_year == last_year else (year, month)
            result[key] = counts.get((year, month), 0)
    return result


def open_deadlines_for(user, *, today: dt.date | None = None, within_days: int = 3) -> list[dict]:
    """Return the user's petitions and disputes whose running clock is overdue or due soon.

    Each item is a dict: area (信访件/矛盾纠纷), title ("信〔2020〕3号 受理期限"), url, due
    (date), days_left (int, negative when overdue), light ("red"/"amber"). Cases are those the
    user may see (`visible_to`). SQL keeps only open cases old enough to be due within
    `within_days` (a due date is never before start + period); the clocks are then computed
    for those. Three queries (calendar, petitions, disputes).
    """
    today = today or timezone.localdate()
    horizon = today + dt.timedelta(days=within_days)
    calendar = WorkCalendar.load()
    petitions = (
        Petition.objects.active()
        .visible_to(user)
        .filter(
            Q(
                status=Petition.Status.REGISTERED,
                received_on__lte=horizon - dt.timedelta(days=ACCEPTANCE_DAYS),
            )
            | Q(
                status=Petition.Status.ACCEPTED,
                decided_on__lte=horizon - dt.timedelta(days=CONCLUSION_DAYS),
            )
            | open_review_q(horizon - dt.timedelta(days=REVIEW_OPINION_DAYS))
        )
    )
    disputes = (
        Dispute.objects.active()
        .visible_to(user)
        .filter(
            status=Dispute.Status.ACCEPTED,
            decided_on__lte=horizon - dt.timedelta(days=MONTH_MIN_DAYS),
        )
    )
    items = []
    for area, cases, clocks_of, url_name in (
        ("信访件", petitions, petition_clocks, "disputes:petition_detail"),
        ("矛盾纠纷", disputes, dispute_clocks, "disputes:dispute_detail"),
    ):
        for case in cases:
            clock = current_clock(clocks_of(case, calendar))
            if clock is None or clock.due.date > horizon:
                continue
            left = clock.days_left(today)
            items.append(
                {
                    "area": area,
                    "title": f"{case.number} {clock.label}",
                    "url": reverse(url_name, args=[case.pk]),
                    "due": clock.due.date,
                    "days_left": left,
                    "light": clock.light(today),
                    "remaining": clock.status_text(today),
                }
            )
    return items


# --- The two areas of the dashboard and the report (see miaoba.figures, reports.areas) ------


def _filter(condition: str, label: str, conditions, unit: str = "件") -> FigureFilter:
    return FigureFilter(label, lambda qs, cut: qs.filter(conditions(cut)[condition]), unit)


def _timely_filter(qs: QuerySet, cut: dt.date | None) -> QuerySet:
    qs = _petition_days(qs)
    timely, _ = _petition_band(qs, cut, WorkCalendar.load())
    return qs.filter(petition_conditions(cut)["decided"] & (_SURELY_TIMELY | Q(pk__in=timely)))


def _on_time_filter(qs: QuerySet, cut: dt.date | None) -> QuerySet:
    qs = _petition_days(qs)
    _, on_time = _petition_band(qs, cut, WorkCalendar.load())
    return qs.filter(petition_conditions(cut)["concluded"] & (_SURELY_ON_TIME | Q(pk__in=on_time)))


def _within_month_filter(qs: QuerySet, cut: dt.date | None) -> QuerySet:
    qs = _dispute_days(qs)
    within = _dispute_band(qs, cut, WorkCalendar.load())
    return qs.filter(
        dispute_conditions(cut)["concluded"]
        & (Q(mediation_days__lte=MONTH_MIN_DAYS) | Q(pk__in=within))
    )


# The petition list's `?figure=` choices: the records behind each figure (miaoba.periods).
PETITION_FILTERS: dict[str, FigureFilter] = {
    "decided": _filter("decided", "作出受理决定", petition_conditions),
    "accepted": _filter("accepted", "受理", petition_conditions),
    "rejected": _filter("rejected", "不予受理", petition_conditions),
    "timely": FigureFilter("按时作出受理决定", _timely_filter),
    "concluded": _filter("concluded", "办结", petition_conditions),
    "on_time": FigureFilter("按期办结", _on_time_filter),
    "replied": _filter("replied", "已答复", petition_conditions),
    "repeat": _filter("repeat", "重复信访", petition_conditions),
    "collective": _filter("collective", "集体访", petition_conditions),
    "extended": _filter("extended", "延期", petition_conditions),
    "rateable": _filter("rateable", "应参评", petition_conditions),
    "rated": _filter("rated", "已参评", petition_conditions),
    "satisfied": _filter("satisfied", "满意（含基本满意）", petition_conditions),
}

DISPUTE_FILTERS: dict[str, FigureFilter] = {
    "accepted": _filter("accepted", "受理", dispute_conditions, "起"),
    "rejected": _filter("rejected", "不予受理", dispute_conditions, "起"),
    "concluded": _filter("concluded", "调结", dispute_conditions, "起"),
    "succeeded": _filter("succeeded", "调解成功", dispute_conditions, "起"),
    "failed": _filter("failed", "调解不成", dispute_conditions, "起"),
    "terminated": _filter("terminated", "终止调解", dispute_conditions, "起"),
    "within_month": FigureFilter("一个月内调结", _within_month_filter, "起"),
    "written": _filter("written", "书面协议", dispute_conditions, "起"),
    "performed": _filter("performed", "已履行", dispute_conditions, "起"),
    "court": _filter("court", "申请司法确认", dispute_conditions, "起"),
    "replied": _filter("replied", "已答复", dispute_conditions, "起"),
    "amount": FigureFilter(
        "涉及金额（受理）",
        lambda qs, cut: qs.filter(dispute_conditions(cut)["accepted"]),
        "元",
        lambda qs: qs.aggregate(s=Sum("amount"))["s"] or Decimal("0.00"),
    ),
}


def _trend(by_month: dict, period: Period, url: str, **params) -> tuple[Bar, ...]:
    """Bars by month for one year ("3月"), by year for a span ("2018年"), each linking its
    records."""
    if period.is_year:
        return tuple(
            Bar(f"{m}月", n, url + period.query(month=m, **params)) for m, n in by_month.items()
        )
    per_year: dict[int, int] = {}
    for (y, _m), n in by_month.items():
        per_year[y] = per_year.get(y, 0) + n
    return tuple(
        Bar(f"{y}年", n, url + Period(y, y, period.as_of).query(**params))
        for y, n in per_year.items()
    )


def petition_report_figures(
    first: int, last: int, *, as_of: dt.date | None, calendar: WorkCalendar | None
) -> AreaFigures:
    """Return the petition area (信访) of a period as plain data (miaoba.figures.AreaFigures).

    Figures judged as they stood at the period's end (`as_of`, or 31 December of `last`);
    each links to the petition list kept to the period and the figure's condition
    (`PETITION_FILTERS`). Series: trend (by month or year), by channel, kind, category and
    village. `PETITION_FIGURES_QUERIES` queries.
    """
    period = Period(first, last, as_of)
    ids: dict = {}
    f = petition_figures(first, last, as_of=period.end, calendar=calendar, name_ids=ids)
    url = reverse("disputes:petition_list")
    labels = PETITION_FIGURE_LABELS
    figures: dict[str, Figure] = {}

    def count(key: str, condition: str | None, label: str | None = None) -> None:
        figures[key] = Figure(
            key,
            label or labels[key].label,
            labels[key].unit,
            getattr(f, key),
            url + period.query(figure=condition),
        )

    count("total", None)
    count("accepted", "accepted")
    count("rejected", "rejected")
    count("decided", "decided")
    count("timely_decided", "timely")
    figures["timely_acceptance_rate"] = rate(
        "timely_acceptance_rate", "及时受理率", ("timely_decided", "decided"), figures
    )
    count("concluded", "concluded")
    count("concluded_on_time", "on_time")
    figures["on_time_conclusion_rate"] = rate(
        "on_time_conclusion_rate", "按期办结率", ("concluded_on_time", "concluded"), figures
    )
    count("replied", "replied")
    figures["reply_rate"] = rate("reply_rate", "答复率", ("replied", "total"), figures)
    count("repeat_count", "repeat")
    count("collective_count", "collective")
    count("extended_count", "extended")
    count("rateable", "rateable")
    count("rated", "rated")
    figures["rating_rate"] = rate("rating_rate", "参评率", ("rated", "rateable"), figures)
    count("satisfied", "satisfied")
    figures["satisfaction_rate"] = rate(
        "satisfaction_rate", "满意率", ("satisfied", "rated"), figures
    )

    def named(counts: dict[str, int], relation: str) -> tuple[Bar, ...]:
        pks = ids.get(relation, {})
        return tuple(
            Bar(name, n, url + period.query(**{relation: pks[name]}) if name in pks else None)
            for name, n in counts.items()
        )

    series = {
        "trend": Series(
            "trend", "信访件数趋势" if period.is_year else "信访件数逐年对比", "件",
            _trend(f.by_month, period, url),
        ),
        "by_channel": Series(
            "by_channel", "信访件按来源渠道", "件",
            choice_bars(f.by_channel, Petition.Channel, url, period, "channel"),
        ),
        "by_kind": Series(
            "by_kind", "信访件按形式类别", "件",
            choice_bars(f.by_kind, Petition.Kind, url, period, "kind"),
        ),
        "by_category": Series("by_category", "信访件按问题分类", "件", named(f.by_category, "category")),
        "by_village": Series("by_village", "信访件按村（社区）", "件", named(f.by_village, "village")),
    }  # fmt: skip
    return AreaFigures(
        area="petitions",
        name="信访",
        first=first,
        last=last,
        as_of=as_of,
        figures=figures,
        series=series,
        headline=("total", "reply_rate", "on_time_conclusion_rate"),
        charts=("trend", "by_category", "by_village"),
    )


def dispute_report_figures(
    first: int, last: int, *, as_of: dt.date | None, calendar: WorkCalendar | None
) -> AreaFigures:
    """Return the dispute area (矛盾纠纷) of a period as plain data (miaoba.figures.AreaFigures).

    Figures judged at the period's end; each links to the dispute list kept to the period and
    the figure's condition (`DISPUTE_FILTERS`). Breakdowns count accepted disputes (受理数).
    `DISPUTE_FIGURES_QUERIES` queries.
    """
    period = Period(first, last, as_of)
    ids: dict = {}
    f = dispute_figures(first, last, as_of=period.end, calendar=calendar, name_ids=ids)
    url = reverse("disputes:dispute_list")
    labels = DISPUTE_FIGURE_LABELS
    figures: dict[str, Figure] = {}

    def count(key: str, condition: str | None, kind: str = COUNT) -> None:
        figures[key] = Figure(
            key, labels[key].label, labels[key].unit, getattr(f, key),
            url + period.query(figure=condition), kind,
        )  # fmt: skip

    count("registered", None)
    count("accepted", "accepted")
    count("rejected", "rejected")
    count("concluded", "concluded")
    count("succeeded", "succeeded")
    count("failed", "failed")
    count("terminated", "terminated")
    figures["success_rate"] = rate(
        "success_rate", "调解成功率", ("succeeded", "concluded"), figures
    )
    count("concluded_within_month", "within_month")
    figures["within_month_rate"] = rate(
        "within_month_rate", "一个月内调结率", ("concluded_within_month", "concluded"), figures
    )
    count("written", "written")
    figures["written_rate"] = rate("written_rate", "书面协议率", ("written", "succeeded"), figures)
    count("performed", "performed")
    figures["performance_rate"] = rate(
        "performance_rate", "履行率", ("performed", "succeeded"), figures
    )
    count("court_confirmation_count", "court")
    count("replied", "replied")
    figures["reply_rate"] = rate("reply_rate", "答复率", ("replied", "registered"), figures)
    count("amount_total", "amount", AMOUNT)

    pks = ids.get("village", {})
    series = {
        "trend": Series(
            "trend", "矛盾纠纷受理数趋势" if period.is_year else "矛盾纠纷受理数逐年对比", "起",
            _trend(f.by_month, period, url, figure="accepted"),
        ),
        "by_type": Series(
            "by_type", "矛盾纠纷按类型", "起",
            choice_bars(f.by_type, Dispute.Type, url, period, "type", figure="accepted"),
        ),
        "by_source": Series(
            "by_source", "矛盾纠纷按来源", "起",
            choice_bars(f.by_source, Dispute.Source, url, period, "source", figure="accepted"),
        ),
        "by_village": Series(
            "by_village", "矛盾纠纷按村（社区）", "起",
            tuple(
                Bar(name, n, url + period.query(figure="accepted", village=pks[name]) if name in pks else None)
                for name, n in f.by_village.items()
            ),
        ),
    }  # fmt: skip
    return AreaFigures(
        area="disputes",
        name="矛盾纠纷",
        first=first,
        last=last,
        as_of=as_of,
        figures=figures,
        series=series,
        headline=("accepted", "success_rate", "reply_rate"),
        charts=("trend", "by_type", "by_village"),
    )
