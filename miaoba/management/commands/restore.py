"""`manage.py restore [FOLDER] [--noinput]`: restore a backup made by `manage.py backup`.

Without FOLDER the newest backup under BACKUP_DIR is used. Everything now in the database and
under MEDIA_ROOT is replaced; the command asks first unless --noinput is given, and afterwards
compares every table's row count with the backup's manifest. Every restore, done or failed,
is recorded in the security log (after the restore, so in the restored log).
"""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from miaoba.backup import BackupError, latest, restore
from miaoba.security import Kind, record_event


class Command(BaseCommand):
    help = "从备份恢复数据库和附件（会替换现有的全部数据）。不指定文件夹时使用最新的备份。"

    def add_arguments(self, parser) -> None:
        parser.add_argument("folder", nargs="?", help="备份文件夹，如 backups/20210105-083000")
        parser.add_argument(
            "--noinput", "--no-input", action="store_false", dest="interactive", help="不询问"
        )

    def handle(self, *args, folder: str | None, interactive: bool, **options) -> None:
        try:
            path = Path(folder) if folder else latest(Path(settings.BACKUP_DIR))
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        if interactive:
            answer = input(f"将用 {path} 替换现有的全部数据和附件。输入 yes 继续：")
            if answer.strip().lower() != "yes":
                raise CommandError("已取消，未做任何改动。")
        try:
            differences = restore(path)
        except BackupError as exc:
            record_event(Kind.RESTORE, detail=f"从 {path.name} 恢复失败：{exc}")
            raise CommandError(str(exc)) from exc
        if differences:
            lines = "；".join(f"{t}：应有 {a} 行，实有 {b} 行" for t, (a, b) in differences.items())
            # Recorded in the restored log: whoever reads it next sees the restore went wrong.
            record_event(Kind.RESTORE, detail=f"从 {path.name} 恢复后行数与备份不一致：{lines}")
            raise CommandError(f"恢复后行数与备份不一致：{lines}")
        record_event(Kind.RESTORE, detail=f"从 {path.name} 恢复，各表行数与备份一致")
        self.stdout.write(f"已从 {path} 恢复，各表行数与备份一致。")
