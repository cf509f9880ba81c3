"""Export a ledger (台账) to an xlsx or csv file: `manage.py export_ledger petitions 台账.xlsx`."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from miaoba.ledger import LEDGERS, add_ledger_arguments, render_csv, render_xlsx
from miaoba.security import record_export


class Command(BaseCommand):
    help = "导出台账为 xlsx 或 csv 文件（按扩展名）。台账种类见 kind 参数。"

    def add_arguments(self, parser) -> None:
        add_ledger_arguments(parser, file_help="导出文件路径，扩展名为 .xlsx 或 .csv")
        parser.add_argument(
            "--year", type=int, help="只导出该年度登记的（按登记日期），不填导出全部"
        )

    def handle(self, *args, kind: str, file: str, year: int | None = None, **options) -> None:
        path = Path(file)
        suffix = path.suffix.lower()
        if suffix not in {".xlsx", ".csv"}:
            raise CommandError("导出文件的扩展名只能是 .xlsx 或 .csv。")
        ledger = LEDGERS[kind]
        dataset = ledger.export(year=year)
        content = render_xlsx(dataset) if suffix == ".xlsx" else render_csv(dataset)
        try:
            path.write_bytes(content)
        except OSError as exc:
            raise CommandError(f"无法写入文件 {path}：{exc.strerror}") from exc
        record_export(
            title=ledger.title,
            detail=f"命令行导出到 {path.name}",
            rows=len(dataset),
            personal_data=ledger.personal_data,
            full=True,
        )
        self.stdout.write(f"已导出{ledger.title} {len(dataset)} 件到 {path}")
