"""Store each task's `next_due` (the date its traffic light is judged by) and index it with
the status; fill it for the tasks already on file."""

from django.conf import settings
from django.db import migrations, models
from django.db.models import F, OuterRef, Subquery


def fill_next_due(apps, schema_editor):
    """A dated task: its deadline; a 长期坚持 task: its earliest milestone not yet reached."""
    Task = apps.get_model("tasks", "Task")
    Milestone = apps.get_model("tasks", "Milestone")
    first_open = (
        Milestone.objects.filter(task=OuterRef("pk"), done_on__isnull=True)
        .order_by("due_on")
        .values("due_on")[:1]
    )
    Task.objects.update(
        next_due=models.Case(
            models.When(is_long_term=True, then=Subquery(first_open)),
            default=F("due_on"),
            output_field=models.DateField(),
        )
    )


class Migration(migrations.Migration):
    dependencies = [
        ("miaoba", "0010_form_submission"),
        ("tasks", "0004_number_sequence_in_miaoba"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="historicaltask",
            name="next_due",
            field=models.DateField(blank=True, editable=False, null=True, verbose_name="考核日期"),
        ),
        migrations.AddField(
            model_name="task",
            name="next_due",
            field=models.DateField(blank=True, editable=False, null=True, verbose_name="考核日期"),
        ),
        migrations.RunPython(fill_next_due, migrations.RunPython.noop, elidable=True),
        migrations.AddIndex(
            model_name="task",
            index=models.Index(fields=["status", "next_due"], name="tasks_task_status_ad4328_idx"),
        ),
    ]
