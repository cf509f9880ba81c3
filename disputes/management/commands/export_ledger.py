"""Export a ledger (台账) to an xlsx or csv file: `manage.py export_ledger petitions 台账.xlsx`."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from disputes.models import Dispute, Petition
from disputes.resources import KINDS, TITLES, export_dataset, render_csv, render_xlsx


class Command(BaseCommand):
    help = "导出信访件台账（petitions）或矛盾纠纷台账（disputes）为 xlsx 或 csv 文件（按扩展名）。"

    def add_arguments(self, parser) -> None:
        parser.add_argument("kind", choices=KINDS, help="petitions：信访件；disputes：矛盾纠纷")
        parser.add_argument("file", help="导出文件路径，扩展名为 .xlsx 或 .csv")
        parser.add_argument(
            "--year", type=int, help="只导出该年度登记的（按登记日期），不填导出全部"
        )

    def handle(self, *args, kind: str, file: str, year: int | None = None, **options) -> None:
        path = Path(file)
        suffix = path.suffix.lower()
        if suffix not in {".xlsx", ".csv"}:
            raise CommandError("导出文件的扩展名只能是 .xlsx 或 .csv。")
        model = Petition if kind == "petitions" else Dispute
        queryset = model.objects.all()
        if year:
            queryset = queryset.received_in(year)
        dataset = export_dataset(kind, queryset)
        content = render_xlsx(dataset) if suffix == ".xlsx" else render_csv(dataset)
        try:
            path.write_bytes(content)
        except OSError as exc:
            raise CommandError(f"无法写入文件 {path}：{exc.strerror}") from exc
        self.stdout.write(f"已导出{TITLES[kind]} {len(dataset)} 件到 {path}")
