"""Start-up checks (Django system checks) of the township's own settings."""

from __future__ import annotations

import os

from django.conf import settings
from django.core import checks


@checks.register(checks.Tags.security)
def demo_mode_only_with_debug(app_configs=None, **kwargs) -> list[checks.CheckMessage]:
    """Refuse DEMO_MODE with DEBUG off: demo users have published passwords (error miaoba.E001).

    An Error stops `manage.py check`, `migrate` and `runserver`; `miaoba.wsgi` and
    `miaoba.asgi` run the checks too, so gunicorn refuses to start.
    """
    if getattr(settings, "DEMO_MODE", False) and not settings.DEBUG:
        return [
            checks.Error(
                "演示模式（DEMO_MODE=1）只能在开发环境（DEBUG=1）中使用：演示账号的密码是公开的。",
                hint="生产环境请删除 DEMO_MODE 或设为 0。",
                id="miaoba.E001",
            )
        ]
    return []


@checks.register()
def calendar_covers_the_coming_year(app_configs=None, **kwargs) -> list[checks.CheckMessage]:
    """Warn (miaoba.W001) when the holiday calendar lacks this year, or from 1 December next
    year's State Council schedule (see `miaoba.workcalendar.calendar_notice`).

    Says nothing when the database cannot be read yet (before `migrate`, in a check without a
    database).
    """
    from django.utils import timezone

    from miaoba.workcalendar import calendar_notice

    try:
        notice = calendar_notice(timezone.localdate())
    except Exception:  # noqa: BLE001 - no table yet, no database: nothing to say
        return []
    if not notice:
        return []
    return [
        checks.Warning(
            notice,
            hint="期限按工作日历计算：缺少的年份按普通周末计算，节假日后的期满日不会顺延。",
            id="miaoba.W001",
        )
    ]


def refuse_serious_problems() -> None:
    """Run the system checks and raise SystemCheckError when any is an Error (for WSGI/ASGI)."""
    from django.core.management.base import SystemCheckError

    errors = [m for m in checks.run_checks(include_deployment_checks=False) if m.is_serious()]
    if errors:
        raise SystemCheckError("\n".join(str(e) for e in errors))


def serve(get_application):
    """Return the project's WSGI or ASGI application, made by `get_application` (Django's
    `get_wsgi_application` or `get_asgi_application`), after refusing to start on a serious
    configuration error (`refuse_serious_problems`, e.g. demo mode with DEBUG off)."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "miaoba.settings")
    application = get_application()
    refuse_serious_problems()
    return application
