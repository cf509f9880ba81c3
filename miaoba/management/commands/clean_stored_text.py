"""`python manage.py clean_stored_text`: take control characters out of text stored earlier.

Since issue 12 every save removes them (`miaoba.cleaning.remove_control_characters`) and the
ledger reader cleans every cell; a database written before that may still hold a vertical tab
pasted into 主要内容, which makes an xlsx or the Word report fail. Run once after upgrading
(safe to run again: it changes only what needs changing, and says how much).
"""

from __future__ import annotations

from django.apps import apps
from django.core.management.base import BaseCommand
from django.db import transaction

from miaoba import dataversion
from miaoba.cleaning import _CONTROL, _text_fields


class Command(BaseCommand):
    help = "清除早先存入的文本中的控制字符（导出 Excel、Word 会因此失败）。可重复执行。"

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="只统计，不修改")

    def handle(self, *args, dry_run: bool = False, **options):
        total = 0
        for model in apps.get_models():
            fields = _text_fields(model)
            if not fields or model._meta.proxy or not model._meta.managed:
                continue
            changed = []
            for obj in model._base_manager.only("pk", *fields).iterator(chunk_size=2000):
                dirty = False
                for name in fields:
                    value = getattr(obj, name)
                    if isinstance(value, str) and _CONTROL.search(value):
                        setattr(obj, name, _CONTROL.sub("", value))
                        dirty = True
                if dirty:
                    changed.append(obj)
            if changed and not dry_run:
                with transaction.atomic():
                    model._base_manager.bulk_update(changed, list(fields), batch_size=500)
                    dataversion.bump()  # a bulk write sends no signal
            if changed:
                total += len(changed)
                self.stdout.write(f"{model._meta.verbose_name}：{len(changed)} 条")
        verb = "需清理" if dry_run else "已清理"
        self.stdout.write(self.style.SUCCESS(f"{verb} {total} 条记录中的控制字符。"))
