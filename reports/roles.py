"""What each role may do with work records, year figures, the dashboard and the report."""

from miaoba.roles import ADMINISTRATOR, ADVISOR, CLERK, LEADER

_READ = {
    "reports.view_workrecord",
    "reports.view_workrecordkind",
    "reports.view_yearfigure",
    "reports.view_annualreport",
    "reports.view_dashboard",
}

ROLE_PERMISSIONS: dict[str, set[str]] = {
    # 党政办 clerks keep the records and write the report's narrative.
    CLERK: _READ
    | {
        "reports.add_workrecord",
        "reports.change_workrecord",
        "reports.add_yearfigure",
        "reports.change_yearfigure",
        "reports.add_annualreport",
        "reports.change_annualreport",
    },
    ADVISOR: set(),
    # Leaders read everything, finalise the report and re-open it.
    LEADER: _READ
    | {
        "reports.view_all_records",
        "reports.finalise_annualreport",
        "reports.reopen_annualreport",
    },
    ADMINISTRATOR: _READ
    | {"reports.view_all_records", "reports.add_workrecordkind", "reports.change_workrecordkind"},
}
