"""Middleware: the request context for the security log, the session time limits, and no
caching of what a logged-in user is shown.

`SessionLimitsMiddleware` ends a session after 30 minutes without a request and every session
12 hours after its login however busy it is (GB/T 22239-2019 8.1.4.1 b: 登录连接超时自动退出).
The stored session lives `SESSION_ABSOLUTE_AGE` so that this middleware sees an idle session
and ends it itself, recording 会话超时 in the security log (had the store expired it first,
the timeout would go unrecorded).
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.cache import add_never_cache_headers

from miaoba.security import Kind, current_request, record_event

LOGIN_AT_KEY = "miaoba_login_at"
SEEN_AT_KEY = "miaoba_seen_at"


def remember_login_time(request: HttpRequest) -> None:
    """Store the login time (Unix seconds) in the session; called when a user logs in."""
    now = int(timezone.now().timestamp())
    request.session[LOGIN_AT_KEY] = now
    request.session[SEEN_AT_KEY] = now


class RequestContextMiddleware:
    """Make the request being served known to `miaoba.security.record_event`."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        token = current_request.set(request)
        try:
            return self.get_response(request)
        finally:
            current_request.reset(token)


class SessionLimitsMiddleware:
    """End a session after `SESSION_IDLE_AGE` seconds without a request, or `SESSION_ABSOLUTE_AGE`
    seconds after its login, whichever comes first; then ask the user to log in again.

    The time of the last request is written to the session at most once a minute, so a busy
    page costs no extra query; a session therefore ends after between 29 and 30 minutes idle.
    Sessions from before this middleware (no times stored) start their clocks now.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            now = int(timezone.now().timestamp())
            session = request.session
            login_at = int(session.get(LOGIN_AT_KEY, now))
            seen_at = int(session.get(SEEN_AT_KEY, now))
            if now - login_at > settings.SESSION_ABSOLUTE_AGE:
                hours = settings.SESSION_ABSOLUTE_AGE // 3600
                return self._end(request, f"登录已满 {hours} 小时", f"登录已超过 {hours} 小时")
            if now - seen_at > settings.SESSION_IDLE_AGE:
                minutes = settings.SESSION_IDLE_AGE // 60
                return self._end(request, f"{minutes} 分钟未操作", f"已超过 {minutes} 分钟没有操作")
            if LOGIN_AT_KEY not in session:
                session[LOGIN_AT_KEY] = now
            if SEEN_AT_KEY not in session or now - seen_at >= 60:
                session[SEEN_AT_KEY] = now
        return self.get_response(request)

    @staticmethod
    def _end(request: HttpRequest, detail: str, why: str) -> HttpResponse:
        record_event(Kind.SESSION_EXPIRED, request=request, detail=detail)
        logout(request)
        messages.info(request, f"{why}，为了安全请重新登录。")
        return redirect_to_login(request.get_full_path())


class NoStoreMiddleware:
    """Forbid storing any response to a logged-in user, and any file download, anywhere.

    Pages show names, ID numbers and phones (in full with 显示完整信息), ledgers and
    attachments are files of them: none may stay in the browser's cache or a proxy's, where
    the next person at a shared office computer could open them. Django's
    `add_never_cache_headers` sets `Cache-Control: max-age=0, no-cache, no-store,
    must-revalidate, private` and `Expires` now. Static files (whitenoise, earlier in the
    chain) keep their long caching. Sources: 《个人信息保护法》第五十一条 (security measures);
    GB/T 22239-2019 8.1.4.8 (剩余信息保护).
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        logged_in = user is not None and user.is_authenticated
        response = self.get_response(request)
        if logged_in or response.has_header("Content-Disposition"):
            add_never_cache_headers(response)
        return response


class PasswordChangeRequiredMiddleware:
    """Send a user whose password was set by an administrator to 修改密码 before anything else.

    An administrator who sets or resets a password knows it; until its owner replaces it, the
    account is not only theirs (GB/T 22239-2019 8.1.4.1 a; 三员分立). Only the password pages,
    logging out and static files stay open. The flag (`User.must_change_password`) is set and
    cleared by `User.save` when a password is set by somebody else or by its owner.
    """

    OPEN_PATHS = ("/password/", "/logout/", "/static/")

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if (
            user is not None
            and user.is_authenticated
            and getattr(user, "must_change_password", False)
            and not request.path.startswith(self.OPEN_PATHS)
        ):
            messages.warning(request, "您的密码由管理员设置，请先修改密码，然后再继续使用。")
            return redirect("password_change")
        return self.get_response(request)


class NulParameterMiddleware:
    """Answer 400 (请求有误, in Chinese) to a query string holding a NUL character.

    No parameter of the product may hold one, and PostgreSQL refuses it in any query ("A string
    literal cannot contain NUL"), so a filter that passes it on (the admin's lists do) would
    end in a server error. Form fields refuse it themselves (Django's
    ProhibitNullCharactersValidator); this covers every GET parameter at once.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if "\x00" in request.META.get("QUERY_STRING", "") or any(
            "\x00" in key or any("\x00" in v for v in values) for key, values in request.GET.lists()
        ):
            from django.core.exceptions import BadRequest
            from django.views.defaults import bad_request

            return bad_request(request, BadRequest("网址参数中含有不允许的字符。"))
        return self.get_response(request)
