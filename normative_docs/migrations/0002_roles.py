"""Give the roles their permissions on documents, reviews, decisions and clean-ups."""

from django.db import migrations


def forwards(apps, schema_editor):
    from miaoba.roles import sync_roles

    sync_roles(apps)


class Migration(migrations.Migration):
    dependencies = [("normative_docs", "0001_initial"), ("miaoba", "0003_seed_calendar")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
