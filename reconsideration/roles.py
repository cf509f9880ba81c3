"""What each role may do with 行政复议/行政应诉 cases; merged into `miaoba.roles`."""

from miaoba.roles import ADMINISTRATOR, ADVISOR, CLERK, LEADER

_CASE_WORK = {
    "reconsideration.add_case",
    "reconsideration.change_case",
    "reconsideration.view_case",
}
_CASE_READ_ALL = {"reconsideration.view_case", "reconsideration.view_all_reconsideration_cases"}

ROLE_PERMISSIONS: dict[str, set[str]] = {
    CLERK: _CASE_WORK,
    ADVISOR: set(),
    LEADER: _CASE_READ_ALL,
    ADMINISTRATOR: _CASE_READ_ALL,
}
