"""`python manage.py load_demo`: load the demo township (units, villages, one user per role)."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from miaoba import dataversion
from miaoba.demo import load_demo
from miaoba.roles import area_modules


class Command(BaseCommand):
    help = "载入演示数据：单位、村（社区）和每个角色一个演示用户（可重复执行）。"

    def handle(self, *args, **options):
        if not settings.DEMO_MODE:
            raise CommandError("演示数据只能在演示模式下载入：请设置环境变量 DEMO_MODE=1。")
        logins = load_demo()
        # Each area loads its own demo records through its own services (`<app>/demo.py`).
        for module in area_modules("demo"):
            summary = module.load_demo_records()
            if summary:
                self.stdout.write(summary)
        dataversion.bump()  # the demo wrote in bulk too: cached figures go
        self.stdout.write(self.style.SUCCESS("演示数据已载入。演示账号："))
        for role, username, password in logins:
            self.stdout.write(f"  {role:<4}  用户名 {username:<8}  密码 {password}")
