"""Create the four roles (录入员, 法律顾问, 领导, 管理员) with their permissions."""

from django.db import migrations


def create_roles(apps, schema_editor):
    from miaoba.roles import sync_roles

    sync_roles(apps)


class Migration(migrations.Migration):
    dependencies = [
        ("miaoba", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_roles, migrations.RunPython.noop)]
