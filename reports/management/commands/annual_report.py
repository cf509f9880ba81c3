"""`manage.py annual_report YEAR [--span-from YEAR] [--as-of DATE] --format F -o FILE`.

Writes the annual report of YEAR as html (the print view), docx (公文 format) or xlsx (the
figures annex). The stored report of YEAR is used when there is one (a final one as frozen);
otherwise a report is computed from the default outline without being saved.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.template.loader import render_to_string

from miaoba.models import User
from reports import exports, services
from reports.models import AnnualReport


class _Rollback(Exception):
    pass


class Command(BaseCommand):
    help = "导出年度法治政府建设报告：html（打印版）、docx（公文格式）或 xlsx（数据附表）。"

    def add_arguments(self, parser) -> None:
        parser.add_argument("year", type=int, help="报告年度，如 2020")
        parser.add_argument(
            "--span-from", type=int, help="累计起始年度，如 2016（仅在该年度尚无报告时使用）"
        )
        parser.add_argument(
            "--as-of", help="数据截止日期，如 2020-12-31（仅在该年度尚无报告时使用）"
        )
        parser.add_argument(
            "--format", required=True, choices=["html", "docx", "xlsx"], help="输出格式"
        )
        parser.add_argument("-o", "--output", required=True, help="输出文件路径")

    def handle(self, *args, year: int, span_from, as_of, format: str, output: str, **options):
        try:
            as_of_date = dt.date.fromisoformat(as_of) if as_of else None
        except ValueError:
            raise CommandError(f"数据截止日期“{as_of}”格式不正确，应写成 2020-12-31。") from None
        report = AnnualReport.objects.filter(year=year).first()
        if report is not None:
            data = services.rendered(report)
        else:
            data = self._transient(year, span_from, as_of_date)
        if data["unknown"]:
            self.stderr.write("正文中有无法识别的数据：" + "、".join(data["unknown"]))
        if data.get("gaps"):
            self.stderr.write("待补充：" + "；".join(data["gaps"]) + "（定稿前须补齐）")
        if format == "docx":
            content = exports.report_docx(data)
        elif format == "xlsx":
            content = exports.report_annex_xlsx(report, data)
        else:
            content = render_to_string(
                "reports/report_print.html", {"doc": data, "report": report}
            ).encode()
        path = Path(output)
        try:
            path.write_bytes(content)
        except OSError as exc:
            raise CommandError(f"无法写入文件 {path}：{exc.strerror}") from exc
        self.stdout.write(f"已导出 {data['title']} 到 {path}")

    def _transient(self, year: int, span_from: int | None, as_of: dt.date | None) -> dict:
        """Compute a report that is not stored: create it inside a transaction rolled back."""
        author = User.objects.filter(is_active=True).order_by("pk").first()
        if author is None:
            raise CommandError("系统中没有用户，无法生成报告。")
        data: dict = {}
        try:
            with transaction.atomic():
                report = services.report_create(
                    by=author, year=year, span_from=span_from, as_of=as_of
                )
                data = services.rendered(report)
                data["annex"] = exports.annex_rows(report, data)
                raise _Rollback
        except _Rollback:
            pass
        except Exception as exc:  # a ValidationError from report_create
            raise CommandError("；".join(getattr(exc, "messages", [str(exc)]))) from exc
        return data
