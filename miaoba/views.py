"""The home page (我的工作台)."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from miaoba.roles import ROLES


def home(request: HttpRequest) -> HttpResponse:
    """Show the user's workbench: who they are and, area by area, what waits for them.

    Areas add their overdue and due-soon items here as they are built.
    """
    user = request.user
    roles = [g.name for g in user.groups.all() if g.name in ROLES]
    return render(
        request,
        "home.html",
        {"roles": roles, "units": list(user.units.all()), "items": []},
    )
