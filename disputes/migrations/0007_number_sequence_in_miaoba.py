"""Move the case-number counters into the township's one numbering table (miaoba.NumberSequence).

Each counter keeps its register name ("petition", "dispute") and its last serial, so numbering
goes on without a gap or a repeat.
"""

from django.db import migrations


def forward(apps, schema_editor):
    Old = apps.get_model("disputes", "NumberSequence")
    New = apps.get_model("miaoba", "NumberSequence")
    for seq in Old.objects.all():
        New.objects.update_or_create(
            register=seq.register, year=seq.year, defaults={"last": seq.last}
        )


def backward(apps, schema_editor):
    Old = apps.get_model("disputes", "NumberSequence")
    New = apps.get_model("miaoba", "NumberSequence")
    for seq in New.objects.filter(register__in=["petition", "dispute"]):
        Old.objects.update_or_create(
            register=seq.register, year=seq.year, defaults={"last": seq.last}
        )


class Migration(migrations.Migration):
    dependencies = [
        ("disputes", "0006_normalise_people"),
        ("miaoba", "0007_number_sequence"),
    ]

    operations = [
        migrations.RunPython(forward, backward),
        migrations.DeleteModel(name="NumberSequence"),
    ]
