"""Move the task-number counter into the township's one numbering table (miaoba.NumberSequence,
register "task"), so 整改〔年〕N号 goes on without a gap or a repeat; the timeline's date takes
the shared label 办理日期."""

from django.db import migrations, models


def forward(apps, schema_editor):
    Old = apps.get_model("tasks", "Sequence")
    New = apps.get_model("miaoba", "NumberSequence")
    for seq in Old.objects.all():
        New.objects.update_or_create(register="task", year=seq.year, defaults={"last": seq.last})


def backward(apps, schema_editor):
    Old = apps.get_model("tasks", "Sequence")
    New = apps.get_model("miaoba", "NumberSequence")
    for seq in New.objects.filter(register="task"):
        Old.objects.update_or_create(year=seq.year, defaults={"last": seq.last})


class Migration(migrations.Migration):
    dependencies = [
        ("tasks", "0003_history_versions_voiding"),
        ("miaoba", "0007_number_sequence"),
    ]

    operations = [
        migrations.RunPython(forward, backward),
        migrations.DeleteModel(name="Sequence"),
        migrations.AlterField(
            model_name="event", name="on", field=models.DateField(verbose_name="办理日期")
        ),
    ]
