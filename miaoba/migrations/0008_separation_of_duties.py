"""三员分立: the 审计员 role reads the security log, the administrator no longer does; a
password set by an administrator must be changed at the next login; new log kinds."""

from django.db import migrations, models


def sync(apps, schema_editor):
    from miaoba.roles import sync_roles

    sync_roles(apps)


class Migration(migrations.Migration):
    dependencies = [
        ("miaoba", "0007_number_sequence"),
    ]

    operations = [
        migrations.AddField(
            model_name="user",
            name="must_change_password",
            field=models.BooleanField(
                default=False,
                help_text="管理员设置或重置的密码，本人登录后须先修改。",
                verbose_name="下次登录须修改密码",
            ),
        ),
        migrations.AlterField(
            model_name="securityevent",
            name="kind",
            field=models.CharField(
                choices=[
                    ("login", "登录"),
                    ("login_failed", "登录失败"),
                    ("logout", "退出"),
                    ("lockout", "账户锁定"),
                    ("unlock", "解除锁定"),
                    ("session_expired", "会话超时"),
                    ("password_change", "修改密码"),
                    ("password_reset", "管理员设置密码"),
                    ("role_change", "角色变更"),
                    ("export", "导出"),
                    ("personal_data_export", "导出个人信息"),
                    ("import", "导入"),
                    ("personal_data_view", "查看完整个人信息"),
                    ("report_reopen", "重新打开报告"),
                    ("void", "作废"),
                    ("backup", "备份"),
                    ("restore", "恢复"),
                    ("log_prune", "清理安全日志"),
                ],
                db_index=True,
                max_length=30,
                verbose_name="事件",
            ),
        ),
        migrations.RunPython(sync, migrations.RunPython.noop),
    ]
