"""Template context shared by every page: the navigation menu."""

from __future__ import annotations

from django.http import HttpRequest
from django.urls import NoReverseMatch, reverse

# (group, label, url name, url prefix that marks it current). An area whose URL does not exist
# yet is shown greyed out, so the menu always names every area of the work.
NAV = (
    ("工作台", "我的工作台", "home", "/"),
    ("信访", "信访件", "disputes:petition_list", "/disputes/petitions/"),
    ("矛盾纠纷", "矛盾纠纷", "disputes:dispute_list", "/disputes/cases/"),
    ("规范性文件", "规范性文件", "normative_docs:document_list", "/docs/documents/"),
    ("法律审查", "法律顾问审查", "normative_docs:review_list", "/docs/reviews/"),
    ("重大决策", "重大行政决策", "normative_docs:decision_list", "/docs/decisions/"),
    ("整改任务", "整改任务", "tasks:task_list", "/tasks/"),
    ("工作记录", "工作记录", "reports:record_list", "/reports/records/"),
    ("统计", "统计", "reports:dashboard", "/reports/dashboard/"),
    ("年度报告", "年度报告", "reports:report_list", "/reports/annual/"),
)


def _url(name: str) -> str | None:
    try:
        return reverse(name)
    except NoReverseMatch:
        return None


def navigation(request: HttpRequest) -> dict:
    """Return `nav`: a list of dicts (label, url or None, current) for the left menu."""
    path = request.path
    items = []
    for _group, label, name, prefix in NAV:
        url = _url(name)
        current = path == "/" if prefix == "/" else path.startswith(prefix)
        items.append({"label": label, "url": url, "current": current})
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated and user.is_staff:
        items.append({"label": "系统管理", "url": reverse("admin:index"), "current": False})
    return {"nav": items}
