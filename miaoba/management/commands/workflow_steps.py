"""Print every step of every case kind with the states it may follow (from the declarations)."""

from django.core.management.base import BaseCommand

from miaoba.workflow import FLOWS


class Command(BaseCommand):
    help = "列出每类案件的每个办理环节及其可办理的状态（取自 miaoba.workflow 的声明）。"

    def handle(self, *args, **options) -> None:
        for flow in FLOWS.values():
            self.stdout.write(f"## {flow.noun}（{flow.kind}）")
            for label, after, rule in flow.describe():
                line = f"- {label}：{after}"
                if rule:
                    line += f"；{rule}"
                self.stdout.write(line)
            self.stdout.write("")
