"""The township's working-day calendar (工作日历) and the counting of statutory periods.

Rules (`DOMAIN.md` §9):
- The day a period starts from is not counted (《民法典》第二百零一条).
- A period in days whose last day is a rest day (法定休假日: a holiday of the State Council's
  schedule, or a Saturday or Sunday that is not a make-up working day) ends on the first working
  day after it (《民法典》第二百零三条).
- "N working days" (工作日) skips weekends and holidays and counts make-up working days (调休上班日).

All dates are plain `datetime.date` values in Asia/Shanghai.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass


@dataclass(frozen=True)
class Due:
    """A computed due date and a short Chinese explanation of how it was reached.

    `estimate` is empty when the calendar holds the State Council's schedule for every year the
    period touches; otherwise it says why the date is an estimate (预估), e.g. "2028年的节假日
    安排尚未录入工作日历，按普通周末计算", and the explanation ends with it.
    """

    date: dt.date
    explanation: str
    estimate: str = ""

    @property
    def estimated(self) -> bool:
        """Return True when the date is an estimate (预估): see `estimate` for why."""
        return bool(self.estimate)


def cn_date(day: dt.date, *, with_year: bool = True) -> str:
    """Format a date the way documents write it: 2020年9月25日 (or 9月25日 without the year)."""
    if with_year:
        return f"{day.year}年{day.month}月{day.day}日"
    return f"{day.month}月{day.day}日"


_WEEKDAYS = "一二三四五六日"

# What `miaoba.calendar_seed` writes in the source of rows it guessed (a year not yet published).
ESTIMATE_MARK = "预估"


class WorkCalendar:
    """A snapshot of the holiday and make-up working-day table.

    Build it with `WorkCalendar.load()` (one query) and reuse it for every deadline of a page,
    so a list of 10,000 cases still costs one query for the calendar.

    `holidays` maps a rest date to its holiday name (春节, 国庆中秋 ...); `workdays` maps a
    make-up working day (a Saturday or Sunday worked) to the holiday it makes up for.
    """

    def __init__(
        self,
        holidays: dict[dt.date, str],
        workdays: dict[dt.date, str],
        *,
        years: set[int] | None = None,
        estimated_years: set[int] | None = None,
    ):
        """`years` are the years the table covers (None: not known, never called 预估);
        `estimated_years` those whose rows are themselves an estimate (source says 预估)."""
        self.holidays = holidays
        self.workdays = workdays
        self.years = years
        self.estimated_years = estimated_years or set()

    @classmethod
    def load(cls) -> WorkCalendar:
        """Return the calendar table (`miaoba.CalendarDay`) as a WorkCalendar, read in one query
        the first time and then kept per process (`miaoba.refcache`) until the table is edited
        (admin, `seed_calendar`, a restore). The returned object is shared: do not change it."""
        from miaoba import refcache

        return refcache.get("calendar", cls.read)

    @classmethod
    def read(cls) -> WorkCalendar:
        """Read the calendar table (`miaoba.CalendarDay`) in one query, bypassing the cache."""
        from miaoba.models import CalendarDay

        holidays: dict[dt.date, str] = {}
        workdays: dict[dt.date, str] = {}
        years: set[int] = set()
        estimated: set[int] = set()
        rows = CalendarDay.objects.values_list("date", "kind", "name", "source")
        for day, kind, name, source in rows:
            years.add(day.year)
            if ESTIMATE_MARK in source:
                estimated.add(day.year)
            if kind == CalendarDay.Kind.HOLIDAY:
                holidays[day] = name
            else:
                workdays[day] = name
        return cls(holidays, workdays, years=years, estimated_years=estimated)

    def estimate_for(self, first: dt.date, last: dt.date) -> str:
        """Return why a period touching `first`..`last` is an estimate (预估), or "".

        A year with no rows in the table is counted as if it had no holidays at all; a year
        whose rows were seeded from a library's guess (source marked 预估) awaits the State
        Council's notice.
        """
        if self.years is None:
            return ""
        span = range(first.year, last.year + 1)
        missing = [y for y in span if y not in self.years]
        if missing:
            listed = "、".join(f"{y}年" for y in missing)
            return f"预估：{listed}的节假日安排尚未录入工作日历，按普通周末计算"
        guessed = [y for y in span if y in self.estimated_years]
        if guessed:
            listed = "、".join(f"{y}年" for y in guessed)
            return f"预估：{listed}的节假日安排为预估，待国务院办公厅通知公布后核对"
        return ""

    def _due(self, date: dt.date, explanation: str, first: dt.date) -> Due:
        estimate = self.estimate_for(first, date)
        if estimate:
            explanation = f"{explanation}（{estimate}）"
        return Due(date, explanation, estimate)

    def is_working_day(self, day: dt.date) -> bool:
        """Return True when staff work on `day` (a weekday not on holiday, or a make-up day)."""
        if day in self.workdays:
            return True
        if day in self.holidays:
            return False
        return day.weekday() < 5

    def next_working_day(self, day: dt.date) -> dt.date:
        """Return `day` itself if it is a working day, else the first working day after it."""
        while not self.is_working_day(day):
            day += dt.timedelta(days=1)
        return day

    def add_days(self, start: dt.date, n: int) -> Due:
        """Count `n` calendar days from `start` (not counted) and move a rest-day end forward.

        Returns the due date and its explanation, e.g. for (2020-09-16, 15):
        "自2020年9月16日起15日，期满日2020年10月1日为国庆中秋假期，顺延至2020年10月9日".
        Raises ValueError when `n` is negative.
        Source: 《民法典》第二百零一条、第二百零三条.
        """
        if n < 0:
            raise ValueError("期间天数不能为负数")
        return self._shift_end(start + dt.timedelta(days=n), f"自{cn_date(start)}起{n}日")

    def add_months(self, start: dt.date, n: int) -> Due:
        """Count `n` months from `start` and move a rest-day end forward.

        The period ends on the same day of the month `n` months later, or on that month's last
        day when it has no such day, then moves to the next working day when that is a rest
        day, e.g. for (2021-01-12, 1): "自2021年1月12日起1个月，期满日2021年2月12日为春节假期，
        顺延至2021年2月18日". Raises ValueError when `n` is negative.
        Source: 《民法典》第二百零二条、第二百零三条.
        """
        if n < 0:
            raise ValueError("期间月数不能为负数")
        month_index = start.month - 1 + n
        year, month = start.year + month_index // 12, month_index % 12 + 1
        last_day = (dt.date(year + month // 12, month % 12 + 1, 1) - dt.timedelta(days=1)).day
        end = dt.date(year, month, min(start.day, last_day))
        return self._shift_end(end, f"自{cn_date(start)}起{n}个月")

    def _shift_end(self, end: dt.date, head: str) -> Due:
        if self.is_working_day(end):
            return self._due(end, f"{head}，至{cn_date(end)}", end)
        moved = self.next_working_day(end)
        if end in self.holidays:
            why = f"{self.holidays[end]}假期"
        else:
            why = f"星期{_WEEKDAYS[end.weekday()]}"
        return self._due(moved, f"{head}，期满日{cn_date(end)}为{why}，顺延至{cn_date(moved)}", end)

    def add_working_days(self, start: dt.date, n: int) -> Due:
        """Count `n` working days from `start` (not counted), skipping weekends and holidays.

        Returns the due date and its explanation, e.g. for (2020-09-25, 15):
        "自2020年9月25日起15个工作日，跳过国庆中秋假期，含9月27日、10月10日调休上班日，
        至2020年10月22日". Raises ValueError when `n` is negative.
        Source: the State Council holiday schedule, as held in the calendar table.
        """
        if n < 0:
            raise ValueError("工作日数不能为负数")
        day = start
        counted = 0
        skipped: list[str] = []
        makeup: list[dt.date] = []
        while counted < n:
            day += dt.timedelta(days=1)
            if day in self.holidays:
                if self.holidays[day] not in skipped:
                    skipped.append(self.holidays[day])
                continue
            if day in self.workdays:
                makeup.append(day)
            if self.is_working_day(day):
                counted += 1
        parts = [f"自{cn_date(start)}起{n}个工作日"]
        if skipped:
            parts.append(f"跳过{'、'.join(skipped)}假期")
        if makeup:
            dates = "、".join(cn_date(d, with_year=d.year != start.year) for d in makeup)
            parts.append(f"含{dates}调休上班日")
        parts.append(f"至{cn_date(day)}")
        return self._due(day, "，".join(parts), start + dt.timedelta(days=1))


def add_days(start: dt.date, n: int, *, calendar: WorkCalendar | None = None) -> Due:
    """Return the due date `n` calendar days after `start`, per 《民法典》第二百零一、二百零三条.

    Loads the calendar table (one query) unless `calendar` is given. See `WorkCalendar.add_days`.
    """
    return (calendar or WorkCalendar.load()).add_days(start, n)


def add_months(start: dt.date, n: int, *, calendar: WorkCalendar | None = None) -> Due:
    """Return the due date `n` months after `start`, per 《民法典》第二百零二、二百零三条.

    Loads the calendar table (one query) unless `calendar` is given. See `WorkCalendar.add_months`.
    """
    return (calendar or WorkCalendar.load()).add_months(start, n)


def add_working_days(start: dt.date, n: int, *, calendar: WorkCalendar | None = None) -> Due:
    """Return the due date `n` working days after `start`, skipping weekends and holidays.

    Loads the calendar table (one query) unless `calendar` is given. See
    `WorkCalendar.add_working_days`.
    """
    return (calendar or WorkCalendar.load()).add_working_days(start, n)


def calendar_notice(today: dt.date) -> str:
    """Return what an administrator must add to the calendar, or "" when nothing is due.

    - the current year has no rows: deadlines are counted as if it had no holidays;
    - from 1 December: next year has no rows, or only a library's estimate (预估), until the
      State Council's notice (国务院办公厅关于节假日安排的通知, published each November or
      December) is entered.
    Reads the cached calendar (`WorkCalendar.load`). Shown on administrators' workbench and as
    system check miaoba.W001.
    """
    calendar = WorkCalendar.load()
    years = calendar.years or set()
    estimated = calendar.estimated_years
    where = "请在“系统管理 → 节假日与调休”中录入，或运行 python manage.py seed_calendar {year}"
    if today.year not in years:
        return (
            f"工作日历缺少{today.year}年的节假日安排，期限按普通周末计算并标为“预估”。"
            + where.format(year=today.year)
            + "。"
        )
    coming = today.year + 1
    if today.month == 12 and coming not in years:
        return (
            f"请添加{coming}年的节假日安排：跨入{coming}年的期限目前按普通周末计算并标为“预估”。"
            f"国务院办公厅通知公布后，" + where.format(year=coming) + "。"
        )
    if today.month == 12 and coming in estimated:
        return (
            f"请核对{coming}年的节假日安排：工作日历中{coming}年为预估（来自日历库的推算），"
            f"国务院办公厅通知公布后，在“系统管理 → 节假日与调休”中逐日核对并修改来源。"
        )
    return ""
