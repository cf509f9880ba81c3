"""Seed the holiday and make-up working-day table from 2016 to next year."""

import datetime as dt

from django.db import migrations


def seed(apps, schema_editor):
    from miaoba.calendar_seed import seed_calendar

    seed_calendar(apps.get_model("miaoba", "CalendarDay"), range(2016, dt.date.today().year + 2))


class Migration(migrations.Migration):
    dependencies = [("miaoba", "0002_roles")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
