"""Dashboards (统计), work records (工作记录), year figures (年度指标) and the annual report.

A separate app because none of the three case apps is the right home: the dashboard and the
annual report (法治政府建设年度报告) read every other app, only through its `selectors.py`, and
the work records and year figures hold what no case register does (DOMAIN.md §7–§8).
"""

from django.apps import AppConfig


class ReportsConfig(AppConfig):
    """Register the dashboards and the annual report."""

    name = "reports"
    verbose_name = "统计与年度报告"

    def ready(self) -> None:
        from reports import ledgers

        ledgers.register()
