"""Give administrators the security log (view) and login lockouts (view, unlock)."""

from django.db import migrations


def sync(apps, schema_editor):
    from miaoba.roles import sync_roles

    sync_roles(apps)


class Migration(migrations.Migration):
    dependencies = [
        ("miaoba", "0004_securityevent"),
        ("axes", "0010_accessattemptexpiration"),
    ]

    operations = [migrations.RunPython(sync, migrations.RunPython.noop)]
