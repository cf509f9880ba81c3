"""Template context shared by every page: the navigation menu and the header's user line."""

from __future__ import annotations

from django.http import HttpRequest
from django.urls import NoReverseMatch, reverse

from miaoba import refcache

# (label, url name, url prefix that marks it current, permission needed to open it). An area
# whose URL does not exist yet is shown greyed out; one the user may not open is not shown.
NAV = (
    ("我的工作台", "home", "/", None),
    ("信访件", "disputes:petition_list", "/disputes/petitions/", "disputes.view_petition"),
    ("矛盾纠纷", "disputes:dispute_list", "/disputes/cases/", "disputes.view_dispute"),
    (
        "规范性文件",
        "normative_docs:document_list",
        "/docs/documents/",
        "normative_docs.view_document",
    ),
    (
        "法律顾问审查",
        "normative_docs:review_list",
        "/docs/reviews/",
        "normative_docs.view_legalreview",
    ),
    (
        "重大行政决策",
        "normative_docs:decision_list",
        "/docs/decisions/",
        "normative_docs.view_decision",
    ),
    (
        "行政复议应诉",
        "reconsideration:case_list",
        "/reconsideration/",
        "reconsideration.view_case",
    ),
    ("整改任务", "tasks:task_list", "/tasks/", "tasks.view_task"),
    ("工作记录", "reports:record_list", "/reports/records/", "reports.view_workrecord"),
    ("统计", "reports:dashboard", "/reports/dashboard/", "reports.view_dashboard"),
    ("年度报告", "reports:report_list", "/reports/annual/", "reports.view_annualreport"),
)


def _url(name: str) -> str | None:
    try:
        return reverse(name)
    except NoReverseMatch:
        return None


def _who(user) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """Return the names of `user`'s units and roles, cached per process (`miaoba.refcache`:
    dropped when a user's units or roles, or a unit or role, change)."""
    return refcache.get(
        ("header", user.pk),
        lambda: (
            tuple(u.name for u in user.units.all()),
            tuple(g.name for g in user.groups.all()),
        ),
    )


def navigation(request: HttpRequest) -> dict:
    """Return `nav`: a list of dicts (label, url or None, current) for the left menu; and for a
    signed-in user `header_units` and `header_groups`, the names shown beside theirs."""
    path = request.path
    user = getattr(request, "user", None)
    items = []
    for label, name, prefix, perm in NAV:
        if perm and not (user is not None and user.has_perm(perm)):
            continue
        url = _url(name)
        current = path == "/" if prefix == "/" else path.startswith(prefix)
        items.append({"label": label, "url": url, "current": current})
    if user is not None and user.is_authenticated and user.is_staff:
        items.append({"label": "系统管理", "url": reverse("admin:index"), "current": False})
    if user is not None and user.has_perm("axes.delete_accessattempt"):
        current = path.startswith("/system/lockouts/")
        items.append({"label": "登录锁定", "url": reverse("lockout_list"), "current": current})
    context = {"nav": items}
    if user is not None and user.is_authenticated:
        context["header_units"], context["header_groups"] = _who(user)
    return context
