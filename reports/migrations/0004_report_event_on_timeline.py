"""A report's acts join the shared timeline model (miaoba.TimelineEvent): each gets the day it
happened (`on`, the local date of when it was recorded)."""

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


def fill_on(apps, schema_editor):
    ReportEvent = apps.get_model("reports", "ReportEvent")
    for event in ReportEvent.objects.all():
        event.on = django.utils.timezone.localtime(event.at).date()
        event.save(update_fields=["on"])


class Migration(migrations.Migration):
    dependencies = [
        ("reports", "0003_history_versions_voiding"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="reportevent",
            name="on",
            field=models.DateField(
                default=django.utils.timezone.localdate, verbose_name="办理日期"
            ),
        ),
        migrations.RunPython(fill_on, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="reportevent",
            name="action",
            field=models.CharField(max_length=20, verbose_name="环节"),
        ),
        migrations.AlterField(
            model_name="reportevent",
            name="at",
            field=models.DateTimeField(auto_now_add=True, verbose_name="记录时间"),
        ),
        migrations.AlterField(
            model_name="reportevent",
            name="by",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
                verbose_name="经办人",
            ),
        ),
    ]
