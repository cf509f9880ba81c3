"""What each role may do with petitions and disputes; merged into `miaoba.roles`."""

from miaoba.roles import ADMINISTRATOR, ADVISOR, CLERK, LEADER

_CASE_WORK = {
    "disputes.add_petition",
    "disputes.change_petition",
    "disputes.view_petition",
    "disputes.add_dispute",
    "disputes.change_dispute",
    "disputes.view_dispute",
    "disputes.view_person",
    "disputes.view_personal_data",
    "disputes.add_attachment",
    "disputes.view_attachment",
    "disputes.view_category",
    "disputes.view_mediator",
}
_CASE_READ_ALL = {
    "disputes.view_petition",
    "disputes.view_dispute",
    "disputes.view_person",
    "disputes.view_attachment",
    "disputes.view_category",
    "disputes.view_all_cases",
}

ROLE_PERMISSIONS: dict[str, set[str]] = {
    CLERK: _CASE_WORK,
    ADVISOR: set(),
    LEADER: _CASE_READ_ALL,
    ADMINISTRATOR: _CASE_READ_ALL
    | {
        "disputes.add_category",
        "disputes.change_category",
        "disputes.add_mediator",
        "disputes.change_mediator",
        "disputes.view_mediator",
    },
}
