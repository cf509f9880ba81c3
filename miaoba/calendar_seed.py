"""Seed the calendar table (节假日与调休) from maintained libraries.

`chinesecalendar` carries the State Council's published schedules, make-up working days
included. For a year it does not know yet (the notice comes out each November or December),
the `holidays` library's estimate of the statutory holidays is used, marked 预估 so an
administrator checks it against the notice when it is published.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

import chinese_calendar
import holidays as holidays_lib

# Checked in order: "Chinese New Year" must match before plain "New Year".
_NAMES = {
    "chinese new year": "春节",
    "spring festival": "春节",
    "new year": "元旦",
    "tomb-sweeping": "清明节",
    "labour day": "劳动节",
    "labor day": "劳动节",
    "dragon boat": "端午节",
    "mid-autumn": "中秋节",
    "national day": "国庆节",
    "anti-fascist": "抗战胜利纪念日",
}


def _chinese_name(english: str) -> str:
    low = english.lower()
    for key, name in _NAMES.items():
        if key in low:
            return name
    return "节假日"


def _run_name(names: set[str]) -> str:
    if {"国庆节", "中秋节"} <= names:
        return "国庆中秋"
    return "、".join(sorted(names))


def _group_runs(days: list[dt.date]) -> list[list[dt.date]]:
    runs: list[list[dt.date]] = []
    for day in sorted(days):
        if runs and (day - runs[-1][-1]).days == 1:
            runs[-1].append(day)
        else:
            runs.append([day])
    return runs


def calendar_days(years: Iterable[int]) -> list[tuple[dt.date, str, str, str]]:
    """Return (date, kind, name, source) rows for `years`; kind is "holiday" or "workday".

    Holiday runs that join National Day and Mid-Autumn Festival are named 国庆中秋; a make-up
    working day carries the name of the holiday it makes up for.
    """
    rows: list[tuple[dt.date, str, str, str]] = []
    lib_years = {d.year for d in chinese_calendar.holidays}
    version = getattr(chinese_calendar, "__version__", "")
    for year in years:
        intl = holidays_lib.China(years=year)
        if year in lib_years:
            source = f"chinesecalendar {version}（国务院办公厅节假日安排通知）".strip()
            rest = {d: n for d, n in chinese_calendar.holidays.items() if d.year == year}
            work = {d: n for d, n in chinese_calendar.workdays.items() if d.year == year}
        else:
            source = f"holidays {holidays_lib.__version__}（预估，待国务院通知公布后核对）"
            rest = dict(intl.items())
            work = {}
        english_to_run: dict[str, str] = {}
        for run in _group_runs(list(rest)):
            names = {_chinese_name(rest[d]) for d in run}
            # chinesecalendar calls 2020's joint run "National Day" only; `holidays` knows the
            # Mid-Autumn date inside it.
            names |= {"中秋节" for d in run if "mid-autumn" in intl.get(d, "").lower()}
            name = _run_name(names)
            for d in run:
                english_to_run[rest[d]] = name
                rows.append((d, "holiday", name, source))
        for d, english in sorted(work.items()):
            name = english_to_run.get(english, _chinese_name(english))
            rows.append((d, "workday", name, source))
    return sorted(rows)


def seed_calendar(model, years: Iterable[int]) -> int:
    """Insert the rows of `calendar_days(years)` that the table lacks; return how many.

    Never overwrites a date already present, so an administrator's corrections survive a
    re-seed. `model` is `miaoba.CalendarDay` (or its historical version in a migration).
    """
    existing = set(model.objects.values_list("date", flat=True))
    new = [
        model(date=d, kind=kind, name=name, source=source)
        for d, kind, name, source in calendar_days(years)
        if d not in existing
    ]
    model.objects.bulk_create(new)
    if new:  # bulk_create sends no signal: drop the cached calendar (miaoba.refcache)
        from miaoba import refcache

        refcache.invalidate()
    return len(new)
