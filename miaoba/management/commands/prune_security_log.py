"""`manage.py prune_security_log --older-than-days N`: delete security events older than N days.

The log is kept at least six months (《网络安全法》第二十一条: network logs are kept no less
than six months; GB/T 22239-2019 8.1.4.3 c), so N below 183 is refused. The pruning itself is
recorded in the log.
"""

from __future__ import annotations

from datetime import timedelta

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from miaoba.models import SecurityEvent
from miaoba.security import Kind, record_event

MIN_DAYS = 183


class Command(BaseCommand):
    help = f"删除早于 N 天的安全日志（N 不得小于 {MIN_DAYS}，即至少保留六个月）。"

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--older-than-days",
            type=int,
            required=True,
            help=f"删除多少天以前的日志，不小于 {MIN_DAYS}",
        )

    def handle(self, *args, older_than_days: int, **options) -> None:
        if older_than_days < MIN_DAYS:
            raise CommandError(
                f"安全日志至少保留六个月：--older-than-days 不能小于 {MIN_DAYS}（收到 {older_than_days}）。"
            )
        before = timezone.now() - timedelta(days=older_than_days)
        deleted = SecurityEvent.objects.prune(before=before)
        record_event(
            Kind.LOG_PRUNE,
            detail=f"删除 {timezone.localtime(before):%Y-%m-%d %H:%M} 以前的 {deleted} 条",
        )
        self.stdout.write(f"已删除 {deleted} 条 {older_than_days} 天以前的安全日志。")
