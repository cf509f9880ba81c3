"""Bring people stored before issue 12 into the one normal form of `miaoba.cleaning`.

Names lose the spaces typed between Chinese characters ("胡 芳" → "胡芳"), phones become
"13800138000" / "023-59201234", ID numbers take an upper-case X. Without this, a person typed
the new way would not match the same person stored the old way. An ID number that would then
equal another person's is left as it was (the unique constraint keeps one record a person).
"""

from django.db import migrations


def normalise_people(apps, schema_editor):
    from miaoba.cleaning import normalise_id_number, normalise_name, normalise_phone

    Person = apps.get_model("disputes", "Person")
    taken = set(Person.objects.exclude(id_number="").values_list("id_number", flat=True))
    changed = []
    for person in Person.objects.only("name", "phone", "id_number").iterator(chunk_size=2000):
        name = normalise_name(person.name)
        phone = normalise_phone(person.phone)
        id_number = normalise_id_number(person.id_number)
        if id_number != person.id_number and id_number in taken:
            id_number = person.id_number
        if (name, phone, id_number) != (person.name, person.phone, person.id_number):
            taken.discard(person.id_number)
            taken.add(id_number)
            person.name, person.phone, person.id_number = name, phone, id_number
            changed.append(person)
    Person.objects.bulk_update(changed, ["name", "phone", "id_number"], batch_size=1000)


class Migration(migrations.Migration):
    dependencies = [("disputes", "0005_live_register_indexes")]

    operations = [migrations.RunPython(normalise_people, migrations.RunPython.noop)]
