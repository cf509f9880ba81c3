"""Seed the work-record kinds (DOMAIN.md §7) and give the roles their report permissions."""

from django.db import migrations

KINDS = ["专题会议", "集体学法", "中心组学法", "法治培训", "普法活动", "法律咨询", "执法检查", "法律六进", "民主法治示范村创建"]


def forwards(apps, schema_editor):
    from miaoba.roles import sync_roles

    Kind = apps.get_model("reports", "WorkRecordKind")
    for order, name in enumerate(KINDS, start=1):
        Kind.objects.get_or_create(name=name, defaults={"order": order})
    sync_roles(apps)


class Migration(migrations.Migration):
    dependencies = [("reports", "0001_initial"), ("miaoba", "0003_seed_calendar")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
