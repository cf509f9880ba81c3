"""`python manage.py seed_calendar [YEAR ...]`: add a year's holidays and make-up working days."""

import datetime as dt

from django.core.management.base import BaseCommand

from miaoba import dataversion
from miaoba.calendar_seed import seed_calendar
from miaoba.models import CalendarDay


class Command(BaseCommand):
    help = "从节假日库补充工作日历（默认补到明年）；已有日期不覆盖，管理员的修改得以保留。"

    def add_arguments(self, parser):
        parser.add_argument("years", nargs="*", type=int, help="年份，如 2027")

    def handle(self, *args, years, **options):
        years = years or range(2016, dt.date.today().year + 2)
        added = seed_calendar(CalendarDay, years)
        if added:
            dataversion.bump()  # new rest days move due dates: cached figures go
        self.stdout.write(f"工作日历新增 {added} 天。")
