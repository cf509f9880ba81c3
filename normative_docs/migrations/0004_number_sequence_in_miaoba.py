"""Move the 发文字号 and 登记号 counters into the township's one numbering table
(miaoba.NumberSequence).

Each counter keeps its register name (a 机关代字 such as 庙坝府发, or 登记号) and its last serial,
so numbering goes on without a gap or a repeat (三统一, DOMAIN.md §4).
"""

from django.db import migrations


def forward(apps, schema_editor):
    Old = apps.get_model("normative_docs", "NumberSequence")
    New = apps.get_model("miaoba", "NumberSequence")
    for seq in Old.objects.all():
        New.objects.update_or_create(
            register=seq.register, year=seq.year, defaults={"last": seq.last}
        )


def backward(apps, schema_editor):
    Old = apps.get_model("normative_docs", "NumberSequence")
    New = apps.get_model("miaoba", "NumberSequence")
    for seq in New.objects.exclude(register__in=["petition", "dispute", "task"]):
        Old.objects.update_or_create(
            register=seq.register, year=seq.year, defaults={"last": seq.last}
        )


class Migration(migrations.Migration):
    dependencies = [
        ("normative_docs", "0003_history_versions_voiding"),
        ("miaoba", "0007_number_sequence"),
    ]

    operations = [
        migrations.RunPython(forward, backward),
        migrations.DeleteModel(name="NumberSequence"),
    ]
