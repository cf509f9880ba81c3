"""A record belongs to the year of its Asia/Shanghai date, on SQLite and PostgreSQL alike."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from miaoba.models import User

SHANGHAI = ZoneInfo("Asia/Shanghai")


@pytest.mark.django_db
def test_late_new_years_eve_is_in_2020_and_early_new_years_day_in_2021():
    late = User.objects.create(
        username="late", date_joined=dt.datetime(2020, 12, 31, 23, 30, tzinfo=SHANGHAI)
    )
    early = User.objects.create(
        username="early", date_joined=dt.datetime(2021, 1, 1, 7, 30, tzinfo=SHANGHAI)
    )
    assert list(User.objects.filter(date_joined__year=2020)) == [late]
    assert list(User.objects.filter(date_joined__year=2021)) == [early]
    assert list(User.objects.filter(date_joined__date=dt.date(2020, 12, 31))) == [late]
