"""Login lockouts (django-axes): what a locked-out login sees, and the administrator's unlock page.

The message is the same whether the username exists or not, and says nothing about how many
attempts are left; django-axes locks any username typed 5 times without success.
"""

from __future__ import annotations

from axes.models import AccessAttempt
from axes.utils import reset
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.contrib.auth.forms import AuthenticationForm
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from miaoba.security import record_unlock

LOCKED_MESSAGE = (
    "登录失败次数过多，该用户名已被暂时锁定 {minutes} 分钟。请稍后再试，或联系系统管理员解除锁定。"
)


def locked_message() -> str:
    """Return the lockout message with the configured lockout time in minutes."""
    return LOCKED_MESSAGE.format(minutes=int(settings.AXES_COOLOFF_TIME.total_seconds() // 60))


def lockout_response(
    request: HttpRequest, original_response=None, credentials=None
) -> HttpResponse:
    """Render the login page (HTTP 429) with the lockout message and an empty form."""
    return render(
        request,
        "registration/login.html",
        {"form": AuthenticationForm(request), "locked_message": locked_message()},
        status=429,
    )


@require_GET
@permission_required("axes.delete_accessattempt", raise_exception=True)
def lockout_list(request: HttpRequest) -> HttpResponse:
    """List the usernames locked now (系统管理 · 登录锁定), each with a 解除锁定 button."""
    since = timezone.now() - settings.AXES_COOLOFF_TIME
    attempts = AccessAttempt.objects.filter(
        failures_since_start__gte=settings.AXES_FAILURE_LIMIT, attempt_time__gte=since
    ).order_by("-attempt_time")
    rows = [
        {
            "username": a.username,
            "ip_address": a.ip_address,
            "failures": a.failures_since_start,
            "last": a.attempt_time,
            "until": a.attempt_time + settings.AXES_COOLOFF_TIME,
        }
        for a in attempts
    ]
    return render(request, "registration/lockout_list.html", {"rows": rows})


@require_POST
@permission_required("axes.delete_accessattempt", raise_exception=True)
def lockout_unlock(request: HttpRequest) -> HttpResponse:
    """Lift the lockout of the posted username and record it in the security log."""
    username = request.POST.get("username", "")
    if not username or not AccessAttempt.objects.filter(username=username).exists():
        raise Http404("该用户名没有被锁定。")
    reset(username=username)
    record_unlock(username, request=request)
    messages.success(request, f"已解除用户名“{username}”的登录锁定。")
    return redirect("lockout_list")
