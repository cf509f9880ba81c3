"""People on a case show what the case's unit entered (issue 14: PIPL minimum necessary).

Each petitioner and party link gets the person's gender, ID number, phone, address and village
as entered on that case. Who typed what into the shared person row before this migration is
not known; it is taken to be the unit of the person's earliest registered case, and only that
unit's cases get the details. Other units' cases of the same person show "—" until they enter
the details again (the conservative reading of 《个人信息保护法》第六条).
"""

import django.db.models.deletion
from django.db import migrations, models

FIELDS = ("gender", "id_number", "phone", "address", "village_id")


def copy_to_first_unit(apps, schema_editor):
    Person = apps.get_model("disputes", "Person")
    Petitioner = apps.get_model("disputes", "Petitioner")
    Party = apps.get_model("disputes", "Party")
    links = []  # (created_at, case pk, model, link pk, person pk, unit pk)
    for model, case in ((Petitioner, "petition"), (Party, "dispute")):
        rows = model.objects.values_list(
            "pk", "person_id", f"{case}__unit_id", f"{case}__created_at", f"{case}_id"
        )
        links += [(at, case_pk, model, pk, person, unit) for pk, person, unit, at, case_pk in rows]
    first_unit: dict[int, int] = {}
    for *_, person, unit in sorted(links, key=lambda x: (x[0], x[1])):
        first_unit.setdefault(person, unit)
    details = {p["pk"]: p for p in Person.objects.values("pk", *FIELDS)}
    for model in (Petitioner, Party):
        changed = []
        for _at, _case, m, pk, person, unit in links:
            if m is model and first_unit.get(person) == unit:
                link = model(pk=pk, **{f: details[person][f] for f in FIELDS})
                changed.append(link)
        model.objects.bulk_update(changed, list(FIELDS), batch_size=1000)


class Migration(migrations.Migration):
    dependencies = [
        ("disputes", "0007_number_sequence_in_miaoba"),
        ("miaoba", "0008_separation_of_duties"),
    ]

    operations = [
        migrations.AddField(
            model_name="party",
            name="address",
            field=models.CharField(blank=True, max_length=100, verbose_name="住址"),
        ),
        migrations.AddField(
            model_name="party",
            name="gender",
            field=models.CharField(
                blank=True, choices=[("男", "男"), ("女", "女")], max_length=2, verbose_name="性别"
            ),
        ),
        migrations.AddField(
            model_name="party",
            name="id_number",
            field=models.CharField(blank=True, max_length=18, verbose_name="身份证号"),
        ),
        migrations.AddField(
            model_name="party",
            name="phone",
            field=models.CharField(blank=True, max_length=20, verbose_name="联系电话"),
        ),
        migrations.AddField(
            model_name="party",
            name="village",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="miaoba.village",
                verbose_name="村（社区）",
            ),
        ),
        migrations.AddField(
            model_name="petitioner",
            name="address",
            field=models.CharField(blank=True, max_length=100, verbose_name="住址"),
        ),
        migrations.AddField(
            model_name="petitioner",
            name="gender",
            field=models.CharField(
                blank=True, choices=[("男", "男"), ("女", "女")], max_length=2, verbose_name="性别"
            ),
        ),
        migrations.AddField(
            model_name="petitioner",
            name="id_number",
            field=models.CharField(blank=True, max_length=18, verbose_name="身份证号"),
        ),
        migrations.AddField(
            model_name="petitioner",
            name="phone",
            field=models.CharField(blank=True, max_length=20, verbose_name="联系电话"),
        ),
        migrations.AddField(
            model_name="petitioner",
            name="village",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="miaoba.village",
                verbose_name="村（社区）",
            ),
        ),
        migrations.RunPython(copy_to_first_unit, migrations.RunPython.noop),
    ]
