"""Seed the petition subject categories and give the roles their petition/dispute permissions."""

from django.db import migrations

CATEGORIES = ["土地征收与承包", "劳动社保", "城乡建设", "涉法涉诉", "婚姻家庭", "邻里", "环境", "村务", "其他"]


def forwards(apps, schema_editor):
    from miaoba.roles import sync_roles

    Category = apps.get_model("disputes", "Category")
    for order, name in enumerate(CATEGORIES, start=1):
        Category.objects.get_or_create(name=name, defaults={"order": order})
    sync_roles(apps)


class Migration(migrations.Migration):
    dependencies = [("disputes", "0001_initial"), ("miaoba", "0003_seed_calendar")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
