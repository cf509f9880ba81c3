"""The permission table: for every URL of the project, what each role gets for GET and POST.

One row per URL pattern (its "namespace:name", or its route when it has none); each row is two
strings, GET then POST, of one outcome per role in the order of `ROLES`:

    anonymous  clerk  outsider  advisor  leader  administrator

- `ok`: the page does its work (200, or a redirect elsewhere than a login page);
- `deny`: 403, the role lacks the permission;
- `hide`: 404, the record belongs to another unit (or does not exist for the user);
- `login`: sent to a login page (anonymous visitors; non-staff users in the admin);
- `na`: 405, the page does not take this method.

"clerk" is a 录入员 of 司法所, "outsider" a 录入员 of 党政办公室; every record in the URLs is
司法所's. `miaoba/tests/test_permission_matrix.py` walks every URL pattern of the project for
every role and fails when a URL is missing here or a role gets something else. Roles and their
permissions: `miaoba.roles` (with each area's `<app>/roles.py`); `DOMAIN.md` §1.
"""

from __future__ import annotations

ROLES = ("anonymous", "clerk", "outsider", "advisor", "leader", "administrator")
METHODS = ("GET", "POST")
OUTCOMES = {"ok", "deny", "hide", "login", "na"}


def key_of(namespace: str | None, name: str | None, route: str) -> str:
    """Return the table key of a URL pattern: "ns:name", or its route when it has no name."""
    if name is None:
        return route
    return f"{namespace}:{name}" if namespace else name


#   anonymous clerk outsider advisor leader administrator
_TABLE: dict[str, tuple[str, str]] = {
    # --- The township (miaoba): workbench, login, ledgers, lockouts
    "home": (
        "login ok    ok    ok    ok    ok",
        "login ok    ok    ok    ok    ok",
    ),
    # 更正, checked with kind petition: the owning unit's clerk only
    "correct": (
        "login ok    hide  deny  deny  deny",
        "login ok    hide  deny  deny  deny",
    ),
    # 文书, checked with an accepted petition's 受理告知书: issued by its unit's clerks, read by
    # whoever sees the petition
    "notice_download": (
        "login ok    hide  deny  ok    ok",
        "login na    na    na    na    na",
    ),
    "notice_issue": (
        "login na    na    na    na    na",
        "login ok    hide  deny  deny  deny",
    ),
    "ledger_export": (
        "login ok    ok    deny  ok    ok",
        "login na    na    na    na    na",
    ),
    # checked with kind petitions; rows of another unit are refused row by row
    "ledger_import": (
        "login ok    ok    deny  deny  deny",
        "login ok    ok    deny  deny  deny",
    ),
    "lockout_list": (
        "login deny  deny  deny  deny  ok",
        "login na    na    na    na    na",
    ),
    # an empty form names no locked username: 404
    "lockout_unlock": (
        "login na    na    na    na    na",
        "login deny  deny  deny  deny  hide",
    ),
    "login": (
        "ok    ok    ok    ok    ok    ok",
        "ok    ok    ok    ok    ok    ok",
    ),
    "logout": (
        "login na    na    na    na    na",
        "login login login login login login",
    ),
    "password_change": (
        "login ok    ok    ok    ok    ok",
        "login ok    ok    ok    ok    ok",
    ),
    "password_change_done": (
        "login ok    ok    ok    ok    ok",
        "login na    na    na    na    na",
    ),
    # --- 信访件、矛盾纠纷 (disputes)
    "disputes:attachment_download": (
        "login ok    hide  deny  ok    ok",
        "login na    na    deny  na    na",
    ),
    "disputes:attachment_upload": (
        "login na    na    deny  deny  deny",
        "login ok    hide  deny  deny  deny",
    ),
    "disputes:dispute_create": (
        "login ok    ok    deny  deny  deny",
        "login ok    ok    deny  deny  deny",
    ),
    "disputes:dispute_detail": (
        "login ok    hide  deny  ok    ok",
        "login na    na    deny  na    na",
    ),
    "disputes:dispute_list": (
        "login ok    ok    deny  ok    ok",
        "login na    na    deny  na    na",
    ),
    "disputes:dispute_step": (
        "login ok    hide  deny  deny  deny",
        "login ok    hide  deny  deny  deny",
    ),
    "disputes:dispute_void": (
        "login ok    hide  deny  deny  deny",
        "login ok    hide  deny  deny  deny",
    ),
    "disputes:petition_create": (
        "login ok    ok    deny  deny  deny",
        "login ok    ok    deny  deny  deny",
    ),
    "disputes:petition_detail": (
        "login ok    hide  deny  ok    ok",
        "login na    na    deny  na    na",
    ),
    "disputes:petition_list": (
        "login ok    ok    deny  ok    ok",
        "login na    na    deny  na    na",
    ),
    # checked with step accept (受理); every step needs disputes.change_petition
    "disputes:petition_step": (
        "login ok    hide  deny  deny  deny",
        "login ok    hide  deny  deny  deny",
    ),
    "disputes:petition_void": (
        "login ok    hide  deny  deny  deny",
        "login ok    hide  deny  deny  deny",
    ),
    # --- 规范性文件、法律顾问审查、重大行政决策、清理 (normative_docs)
    "normative_docs:advisor_create": (
        "login deny  deny  deny  deny  ok",
        "login deny  deny  deny  deny  ok",
    ),
    "normative_docs:advisor_edit": (
        "login deny  deny  deny  deny  ok",
        "login deny  deny  deny  deny  ok",
    ),
    "normative_docs:advisor_list": (
        "login ok    ok    deny  ok    ok",
        "login na    na    deny  na    na",
    ),
    "normative_docs:cleanup_create": (
        "login ok    ok    deny  deny  deny",
        "login ok    ok    deny  deny  deny",
    ),
    # clean-up campaigns (清理) span every unit's documents
    "normative_docs:cleanup_detail": (
        "login ok    ok    deny  ok    ok",
        "login na    na    deny  na    na",
    ),
    "normative_docs:cleanup_finish": (
        "login na    na    deny  deny  deny",
        "login ok    ok    deny  deny  deny",
    ),
    "normative_docs:cleanup_list": (
        "login ok    ok    deny  ok    ok",
        "login na    na    deny  na    na",
    ),
    "normative_docs:cleanup_record": (
        "login na    na    deny  deny  deny",
        "login ok    ok    deny  deny  deny",
    ),
    "normative_docs:decision_create": (
        "login ok    ok    deny  deny  deny",
        "login ok    ok    deny  deny  deny",
    ),
    "normative_docs:decision_detail": (
        "login ok    hide  deny  ok    ok",
        "login na    na    deny  na    na",
    ),
    "normative_docs:decision_list": (
        "login ok    ok    deny  ok    ok",
        "login na    na    deny  na    na",
    ),
    "normative_docs:decision_step": (
        "login ok    hide  deny  deny  deny",
        "login ok    hide  deny  deny  deny",
    ),
    "normative_docs:document_create": (
        "login ok    ok    deny  deny  deny",
        "login ok    ok    deny  deny  deny",
    ),
    "normative_docs:document_detail": (
        "login ok    hide  deny  ok    ok",
        "login na    na    deny  na    na",
    ),
    "normative_docs:document_list": (
        "login ok    ok    deny  ok    ok",
        "login na    na    deny  na    na",
    ),
    "normative_docs:document_step": (
        "login ok    hide  deny  deny  deny",
        "login ok    hide  deny  deny  deny",
    ),
    "normative_docs:document_void": (
        "login ok    hide  deny  deny  deny",
        "login ok    hide  deny  deny  deny",
    ),
    "normative_docs:review_adoption": (
        "login ok    hide  deny  deny  deny",
        "login ok    hide  deny  deny  deny",
    ),
    "normative_docs:review_complete": (
        "login ok    hide  ok    deny  deny",
        "login ok    hide  ok    deny  deny",
    ),
    "normative_docs:review_create": (
        "login ok    ok    deny  deny  deny",
        "login ok    ok    deny  deny  deny",
    ),
    "normative_docs:review_detail": (
        "login ok    hide  ok    ok    ok",
        "login na    na    na    na    na",
    ),
    # the files of a review: whoever sees the review (its advisor too) downloads them; the
    # unit that sent it and the advisor add to them
    "normative_docs:review_file_download": (
        "login ok    hide  ok    ok    ok",
        "login na    na    na    na    na",
    ),
    "normative_docs:review_file_upload": (
        "login na    na    na    deny  deny",
        "login ok    hide  ok    deny  deny",
    ),
    "normative_docs:review_list": (
        "login ok    ok    ok    ok    ok",
        "login na    na    na    na    na",
    ),
    # --- 行政复议、行政应诉 (reconsideration)
    "reconsideration:case_create": (
        "login ok    ok    deny  deny  deny",
        "login ok    ok    deny  deny  deny",
    ),
    "reconsideration:case_detail": (
        "login ok    hide  deny  ok    ok",
        "login na    na    deny  na    na",
    ),
    "reconsideration:case_list": (
        "login ok    ok    deny  ok    ok",
        "login na    na    deny  na    na",
    ),
    "reconsideration:case_step": (
        "login ok    hide  deny  deny  deny",
        "login ok    hide  deny  deny  deny",
    ),
    "reconsideration:case_void": (
        "login ok    hide  deny  deny  deny",
        "login ok    hide  deny  deny  deny",
    ),
    # --- 整改任务 (tasks)
    "tasks:evidence_download": (
        "login ok    hide  deny  ok    ok",
        "login na    na    deny  na    na",
    ),
    "tasks:milestone_reach": (
        "login ok    hide  deny  deny  deny",
        "login ok    hide  deny  deny  deny",
    ),
    "tasks:problem_create": (
        "login ok    ok    deny  deny  deny",
        "login ok    ok    deny  deny  deny",
    ),
    # problems (问题) are the township's, not a unit's: every clerk sees and edits them
    "tasks:problem_detail": (
        "login ok    ok    deny  ok    ok",
        "login na    na    deny  na    na",
    ),
    "tasks:problem_edit": (
        "login ok    ok    deny  deny  deny",
        "login ok    ok    deny  deny  deny",
    ),
    "tasks:problem_list": (
        "login ok    ok    deny  ok    ok",
        "login na    na    deny  na    na",
    ),
    "tasks:progress_add": (
        "login na    na    deny  deny  deny",
        "login ok    hide  deny  deny  deny",
    ),
    "tasks:task_create": (
        "login ok    ok    deny  deny  deny",
        "login ok    ok    deny  deny  deny",
    ),
    "tasks:task_detail": (
        "login ok    hide  deny  ok    ok",
        "login na    na    deny  na    na",
    ),
    "tasks:task_edit": (
        "login ok    hide  deny  deny  deny",
        "login ok    hide  deny  deny  deny",
    ),
    "tasks:task_list": (
        "login ok    ok    deny  ok    ok",
        "login na    na    deny  na    na",
    ),
    "tasks:task_step": (
        "login ok    hide  deny  deny  deny",
        "login ok    hide  deny  deny  deny",
    ),
    "tasks:task_void": (
        "login ok    hide  deny  deny  deny",
        "login ok    hide  deny  deny  deny",
    ),
    "tasks:verify_queue": (
        "login deny  deny  deny  ok    deny",
        "login deny  deny  deny  na    deny",
    ),
    # --- 统计、工作记录、年度报告 (reports)
    "reports:dashboard": (
        "login ok    ok    deny  ok    ok",
        "login na    na    deny  na    na",
    ),
    "reports:record_create": (
        "login ok    ok    deny  deny  deny",
        "login ok    ok    deny  deny  deny",
    ),
    "reports:record_edit": (
        "login ok    hide  deny  deny  deny",
        "login ok    hide  deny  deny  deny",
    ),
    "reports:record_list": (
        "login ok    ok    deny  ok    ok",
        "login na    na    deny  na    na",
    ),
    "reports:record_void": (
        "login ok    hide  deny  deny  deny",
        "login ok    hide  deny  deny  deny",
    ),
    # the annual report is the township's: 党政办 and other clerks alike
    "reports:report_detail": (
        "login ok    ok    deny  ok    ok",
        "login na    na    deny  na    na",
    ),
    "reports:report_export": (
        "login ok    ok    deny  ok    ok",
        "login na    na    deny  na    na",
    ),
    "reports:report_finalise": (
        "login deny  deny  deny  na    deny",
        "login deny  deny  deny  ok    deny",
    ),
    "reports:report_header": (
        "login na    na    deny  deny  deny",
        "login ok    ok    deny  deny  deny",
    ),
    "reports:report_list": (
        "login ok    ok    deny  ok    ok",
        "login ok    ok    deny  deny  deny",
    ),
    "reports:report_reopen": (
        "login deny  deny  deny  na    deny",
        "login deny  deny  deny  ok    deny",
    ),
    "reports:section_edit": (
        "login ok    ok    deny  deny  deny",
        "login ok    ok    deny  deny  deny",
    ),
    "reports:section_reset": (
        "login na    na    deny  deny  deny",
        "login ok    ok    deny  deny  deny",
    ),
    "reports:yearfigure_list": (
        "login ok    ok    deny  ok    ok",
        "login ok    ok    deny  deny  deny",
    ),
    # --- 系统管理 (Django admin): staff only; what an administrator may do follows the role's model permissions
    # the admin's catch-all: unknown admin pages
    "admin/(?P<url>.*)$": (
        "login login login login login hide",
        "login login login login login hide",
    ),
    "admin/auth/group/<path:object_id>/": (
        "login login login login login ok",
        "login login login login login ok",
    ),
    "admin/disputes/mediator/<path:object_id>/": (
        "login login login login login ok",
        "login login login login login ok",
    ),
    "admin/miaoba/calendarday/<path:object_id>/": (
        "login login login login login ok",
        "login login login login login ok",
    ),
    "admin/miaoba/securityevent/<path:object_id>/": (
        "login login login login login ok",
        "login login login login login ok",
    ),
    "admin/miaoba/unit/<path:object_id>/": (
        "login login login login login ok",
        "login login login login login ok",
    ),
    "admin/miaoba/user/<path:object_id>/": (
        "login login login login login ok",
        "login login login login login ok",
    ),
    "admin/miaoba/village/<path:object_id>/": (
        "login login login login login ok",
        "login login login login login ok",
    ),
    "admin:app_list": (
        "login login login login login ok",
        "login login login login login ok",
    ),
    "admin:auth_group_add": (
        "login login login login login deny",
        "login login login login login deny",
    ),
    "admin:auth_group_change": (
        "login login login login login ok",
        "login login login login login deny",
    ),
    "admin:auth_group_changelist": (
        "login login login login login ok",
        "login login login login login ok",
    ),
    "admin:auth_group_delete": (
        "login login login login login deny",
        "login login login login login deny",
    ),
    "admin:auth_group_history": (
        "login login login login login ok",
        "login login login login login ok",
    ),
    "admin:auth_user_password_change": (
        "login login login login login ok",
        "login login login login login ok",
    ),
    "admin:autocomplete": (
        "login login login login login deny",
        "login login login login login na",
    ),
    "admin:index": (
        "login login login login login ok",
        "login login login login login ok",
    ),
    "admin:jsi18n": (
        "login login login login login ok",
        "login login login login login na",
    ),
    "admin:login": (
        "ok    ok    ok    ok    ok    ok",
        "ok    ok    ok    ok    ok    ok",
    ),
    # a non-staff user is sent to the admin index (which then sends them away)
    "admin:logout": (
        "login ok    ok    ok    ok    na",
        "login ok    ok    ok    ok    login",
    ),
    "admin:miaoba_calendarday_add": (
        "login login login login login ok",
        "login login login login login ok",
    ),
    "admin:miaoba_calendarday_change": (
        "login login login login login ok",
        "login login login login login ok",
    ),
    "admin:miaoba_calendarday_changelist": (
        "login login login login login ok",
        "login login login login login ok",
    ),
    "admin:miaoba_calendarday_delete": (
        "login login login login login ok",
        "login login login login login ok",
    ),
    "admin:miaoba_calendarday_history": (
        "login login login login login ok",
        "login login login login login ok",
    ),
    "admin:miaoba_securityevent_add": (
        "login login login login login deny",
        "login login login login login deny",
    ),
    "admin:miaoba_securityevent_change": (
        "login login login login login deny",
        "login login login login login deny",
    ),
    # the security log is the 审计员's (miaoba/tests/test_separation_of_duties.py), not the administrator's
    "admin:miaoba_securityevent_changelist": (
        "login login login login login deny",
        "login login login login login deny",
    ),
    "admin:miaoba_securityevent_delete": (
        "login login login login login deny",
        "login login login login login deny",
    ),
    "admin:miaoba_securityevent_history": (
        "login login login login login deny",
        "login login login login login deny",
    ),
    "admin:miaoba_unit_add": (
        "login login login login login ok",
        "login login login login login ok",
    ),
    "admin:miaoba_unit_change": (
        "login login login login login ok",
        "login login login login login ok",
    ),
    "admin:miaoba_unit_changelist": (
        "login login login login login ok",
        "login login login login login ok",
    ),
    "admin:miaoba_unit_delete": (
        "login login login login login deny",
        "login login login login login deny",
    ),
    "admin:miaoba_unit_history": (
        "login login login login login ok",
        "login login login login login ok",
    ),
    "admin:miaoba_user_add": (
        "login login login login login ok",
        "login login login login login ok",
    ),
    "admin:miaoba_user_change": (
        "login login login login login ok",
        "login login login login login ok",
    ),
    "admin:miaoba_user_changelist": (
        "login login login login login ok",
        "login login login login login ok",
    ),
    "admin:miaoba_user_delete": (
        "login login login login login deny",
        "login login login login login deny",
    ),
    "admin:miaoba_user_history": (
        "login login login login login ok",
        "login login login login login ok",
    ),
    "admin:disputes_mediator_add": (
        "login login login login login ok",
        "login login login login login ok",
    ),
    "admin:disputes_mediator_change": (
        "login login login login login ok",
        "login login login login login ok",
    ),
    "admin:disputes_mediator_changelist": (
        "login login login login login ok",
        "login login login login login ok",
    ),
    "admin:disputes_mediator_delete": (
        "login login login login login deny",
        "login login login login login deny",
    ),
    "admin:disputes_mediator_history": (
        "login login login login login ok",
        "login login login login login ok",
    ),
    "admin:miaoba_village_add": (
        "login login login login login ok",
        "login login login login login ok",
    ),
    "admin:miaoba_village_change": (
        "login login login login login ok",
        "login login login login login ok",
    ),
    "admin:miaoba_village_changelist": (
        "login login login login login ok",
        "login login login login login ok",
    ),
    "admin:miaoba_village_delete": (
        "login login login login login deny",
        "login login login login login deny",
    ),
    "admin:miaoba_village_history": (
        "login login login login login ok",
        "login login login login login ok",
    ),
    "admin:password_change": (
        "login login login login login ok",
        "login login login login login ok",
    ),
    "admin:password_change_done": (
        "login login login login login ok",
        "login login login login login na",
    ),
    # no model of the admin has a page of its own outside the admin
    "admin:view_on_site": (
        "login login login login login hide",
        "login login login login login hide",
    ),
}


def _parse(key: str, row: str) -> dict[str, str]:
    outcomes = row.split()
    assert len(outcomes) == len(ROLES), f"{key}: 每行须有 {len(ROLES)} 个结果"
    assert set(outcomes) <= OUTCOMES, f"{key}: 未知结果 {set(outcomes) - OUTCOMES}"
    return dict(zip(ROLES, outcomes, strict=True))


# {url key: {method: {role: outcome}}}
MATRIX: dict[str, dict[str, dict[str, str]]] = {
    key: {method: _parse(key, row) for method, row in zip(METHODS, rows, strict=True)}
    for key, rows in _TABLE.items()
}
