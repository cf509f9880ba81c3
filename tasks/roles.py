"""What each role may do with problems and rectification tasks; merged into `miaoba.roles`.

Clerks register problems and tasks and record progress for their units; leaders read
everything, approve extensions and verify (销号); administrators read everything and edit
nothing; advisors have no part in rectification.
"""

from miaoba.roles import ADMINISTRATOR, ADVISOR, CLERK, LEADER

_READ = {
    "tasks.view_problem",
    "tasks.view_task",
    "tasks.view_evidence",
}

ROLE_PERMISSIONS: dict[str, set[str]] = {
    CLERK: _READ
    | {
        "tasks.add_problem",
        "tasks.change_problem",
        "tasks.add_task",
        "tasks.change_task",
        "tasks.add_progress",
        "tasks.add_evidence",
    },
    ADVISOR: set(),
    LEADER: _READ | {"tasks.view_all_tasks", "tasks.verify_task"},
    ADMINISTRATOR: _READ | {"tasks.view_all_tasks"},
}
