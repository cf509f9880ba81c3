"""Give the roles their permissions on 行政复议/行政应诉 cases (`miaoba.roles`)."""

from django.db import migrations


def forwards(apps, schema_editor):
    from miaoba.roles import sync_roles

    sync_roles(apps)


class Migration(migrations.Migration):
    dependencies = [("reconsideration", "0001_initial")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
