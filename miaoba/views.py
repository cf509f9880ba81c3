"""The home page (我的工作台)."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from miaoba.roles import ROLES, area_modules
from miaoba.workcalendar import calendar_notice


def open_deadlines(user) -> list[dict]:
    """Return the user's overdue and due-soon items of every area, nearest deadline first.

    Each area offers `open_deadlines_for(user)` in its `selectors.py`; items are dicts with
    area, title, url, due, days_left, light and remaining (see `disputes.selectors`).
    """
    items: list[dict] = []
    for selectors in area_modules("selectors"):
        if hasattr(selectors, "open_deadlines_for"):
            items.extend(selectors.open_deadlines_for(user))
    return sorted(items, key=lambda item: (item["due"], item["title"]))


def home(request: HttpRequest) -> HttpResponse:
    """Show the user's workbench: who they are and, across areas, what is overdue or due soon."""
    user = request.user
    roles = [g.name for g in user.groups.all() if g.name in ROLES]
    calendar = ""
    if user.has_perm("miaoba.change_calendarday"):
        calendar = calendar_notice(timezone.localdate())
    return render(
        request,
        "home.html",
        {
            "roles": roles,
            "units": list(user.units.all()),
            "items": open_deadlines(user),
            "calendar_notice": calendar,
            # a legal advisor (法律顾问) belongs to a law firm, not to a unit of the township
            "advisor": getattr(user, "advisor", None),
        },
    )
