"""`manage.py backup [--dir backups]`: back up the database and uploaded files (`make backup`)."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from miaoba.backup import BackupError, backup
from miaoba.security import Kind, record_event


class Command(BaseCommand):
    help = (
        "备份数据库（SQLite 在线备份或 PostgreSQL pg_dump）和上传的附件，存放在带时间戳的文件夹中。"
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("--dir", default=None, help="备份存放位置，默认为设置 BACKUP_DIR")

    def handle(self, *args, dir: str | None = None, **options) -> None:  # noqa: A002
        root = Path(dir or settings.BACKUP_DIR)
        try:
            folder = backup(root)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        record_event(Kind.BACKUP, detail=f"备份到 {folder.name}")
        self.stdout.write(f"已备份到 {folder}")
