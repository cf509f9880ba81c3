"""Import a ledger (台账) file: `manage.py import_ledger petitions 台账.xlsx [--dry-run]`.

The rules are those of the ledger's import page: every row is checked first and
nothing is written unless the whole file is valid.
"""

from __future__ import annotations

from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from miaoba.ledger import LEDGERS, LedgerFileError, add_ledger_arguments
from miaoba.security import Kind, record_event


class Command(BaseCommand):
    help = (
        "导入台账的 xlsx 或 csv 文件。"
        "先检查全部行，有任何错误则不写入任何数据，逐条列出错误并以非零状态退出。"
    )

    def add_arguments(self, parser) -> None:
        add_ledger_arguments(parser, file_help="台账文件路径（.xlsx 或 .csv）")
        parser.add_argument(
            "--dry-run", action="store_true", help="只检查文件、报告将新增和更新的件数，不写入"
        )
        parser.add_argument(
            "--user",
            help="记为登记人的用户名；不填则用第一个超级用户。须属于承办单位（超级用户除外）",
        )

    def handle(self, *args, kind: str, file: str, dry_run: bool, user: str | None, **options):
        ledger = LEDGERS[kind]
        importer = self._user(user, ledger)
        path = Path(file)
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise CommandError(f"无法读取文件 {path}：{exc.strerror}") from exc
        try:
            plan = ledger.import_file(data, path.name, user=importer, dry_run=dry_run)
        except LedgerFileError as exc:
            raise CommandError(str(exc)) from exc
        if not plan.is_valid:
            for error in plan.errors:
                self.stderr.write(str(error))
            raise CommandError(f"文件中有 {len(plan.errors)} 处错误，未导入任何数据。")
        counts = f"新增 {plan.created}，更新 {plan.updated}"
        if plan.unchanged:
            counts += f"，其中 {plan.unchanged} 件无变化"
        if dry_run:
            self.stdout.write(
                f"检查通过（未写入）：{ledger.title}共 {len(plan.rows)} 件（{counts}）。"
            )
        else:
            record_event(
                Kind.IMPORT,
                user=importer,
                target=ledger.title,
                detail=f"命令行导入 {path.name}，{counts}",
            )
            self.stdout.write(f"已导入 {len(plan.rows)} 件（{counts}）。")

    def _user(self, username: str | None, ledger):
        users = get_user_model().objects.filter(is_active=True)
        if username:
            found = users.filter(username=username).first()
            if found is None:
                raise CommandError(f"没有用户名为“{username}”的在用用户。")
            if not found.has_perm(ledger.importer_perm):
                raise CommandError(f"用户“{username}”没有导入{ledger.title}的权限。")
            return found
        found = users.filter(is_superuser=True).order_by("pk").first()
        if found is None:
            raise CommandError("系统中没有超级用户，请用 --user 指定记为登记人的用户。")
        return found
