"""The security event log (安全日志): record who did what security-relevant thing, and mask.

`record_event(kind, *, user=None, request=None, detail="", target="")` is the one way to write
an event; every app calls it (exports, imports, full views of personal data, re-opened reports).
Logins, failures, logouts, lockouts and role changes are recorded here from signals.

`mask_personal_data(text)` hides ID numbers (身份证号) and mobile numbers (手机号) inside free
text: events, and anything else logged, never hold them in full (《个人信息保护法》第五十一条;
GB/T 22239-2019 8.1.4.3 on audit records).
"""

from __future__ import annotations

import re
from contextvars import ContextVar

from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.db.models.signals import m2m_changed
from django.dispatch import receiver
from django.http import HttpRequest

from miaoba.models import SecurityEvent, User

Kind = SecurityEvent.Kind

# The request being served, so that signals without one (role changes) know who acted.
current_request: ContextVar[HttpRequest | None] = ContextVar("current_request", default=None)

# 18-digit resident ID (GB 11643-1999): 17 digits and a check character 0-9 or X.
_ID_18 = re.compile(r"(?<![0-9])[0-9]{17}[0-9Xx](?![0-9A-Za-z])")
# A mainland mobile number, maybe written 138-0013-8000 or 138 0013 8000.
_MOBILE = re.compile(r"(?<![0-9])1[3-9][0-9](?:[- ]?[0-9]{4}){2}(?![0-9])")
# Any other run of 11 or more digits (15-digit old IDs, +86 numbers, bank cards).
_LONG_DIGITS = re.compile(r"(?<![0-9*])[0-9]{11,}(?![0-9])")


def _mask_match(match: re.Match) -> str:
    text = match.group(0)
    chars = [c for c in text if c not in "- "]
    return "".join(chars[:3]) + "*" * (len(chars) - 7) + "".join(chars[-4:])


def mask_personal_data(text: str) -> str:
    """Return `text` with every ID number and mobile number masked, keeping 3 + last 4.

    "身份证500101199001011234X" is not an ID (19 characters) but a run of digits, and still
    masked. Examples: "500101199001011234" → "500***********1234",
    "电话138-0013-8000" → "电话138****8000". Other text is left as it was.
    """
    if not text:
        return ""
    text = _ID_18.sub(_mask_match, text)
    text = _MOBILE.sub(_mask_match, text)
    return _LONG_DIGITS.sub(_mask_match, text)


def client_ip_address(request: HttpRequest) -> str | None:
    """Return the client's IP address: the one rule for lockouts and the security log.

    A direct connection's address is `REMOTE_ADDR`. With `BEHIND_TLS_PROXY` on, a request that
    comes from the trusted proxy itself (`TRUSTED_PROXY_IPS`, by default this machine) names
    its client in the one `X-Forwarded-For` address nginx sets (README: it overwrites the
    header, so there is exactly one); django-ipware reads it with a proxy count of 0 hops
    inside the header, strictly, so a header holding a chain falls back to the proxy's
    address. A request from anywhere else keeps its own address whatever headers it sends:
    a client that reaches the application directly cannot choose the address that is logged
    or locked (GB/T 22239-2019 8.1.4.3 b: audit records hold the source address).
    """
    from django.conf import settings
    from ipware import get_client_ip

    remote = request.META.get("REMOTE_ADDR") or None
    if not settings.BEHIND_TLS_PROXY or remote not in settings.TRUSTED_PROXY_IPS:
        return remote
    forwarded, _routable = get_client_ip(
        request, proxy_count=0, request_header_order=["HTTP_X_FORWARDED_FOR"], strict=True
    )
    return forwarded or remote


def client_ip(request: HttpRequest | None) -> str | None:
    """Return the client's IP address as django-axes saw it (`client_ip_address`)."""
    if request is None:
        return None
    ip = getattr(request, "axes_ip_address", None)
    if ip is None:
        ip = client_ip_address(request)
    return ip or None


def record_event(
    kind: str,
    *,
    user: User | None = None,
    request: HttpRequest | None = None,
    detail: str = "",
    target: str = "",
    username: str | None = None,
) -> SecurityEvent:
    """Append one event to the security log and return it.

    `kind` is a `SecurityEvent.Kind` (or its value, e.g. "export"); an unknown kind raises
    ValueError. `user` is who acted; by default the request's logged-in user. `request`
    defaults to the one being served (for the IP address). `target` names the record
    ("信访件 信〔2020〕12号"), `detail` says what happened in a few words; both are masked with
    `mask_personal_data` and cut to their field's length. `username` is for failed logins: the
    name that was typed (masked too).
    """
    kind = Kind(kind)
    if request is None:
        request = current_request.get()
    if user is None and request is not None:
        request_user = getattr(request, "user", None)
        if request_user is not None and request_user.is_authenticated:
            user = request_user
    if username is None:
        username = user.get_username() if user is not None else ""
    return SecurityEvent.objects.create(
        kind=kind,
        user=user,
        username=mask_personal_data(username)[:150],
        ip_address=client_ip(request),
        target=mask_personal_data(target)[:200],
        detail=mask_personal_data(detail)[:500],
    )


def record_export(
    *,
    title: str,
    detail: str,
    rows: int,
    personal_data: str = "",
    full: bool = False,
    request: HttpRequest | None = None,
) -> SecurityEvent:
    """Record an export of `rows` rows of the ledger `title` (`detail`: file name, how).

    An export whose file holds personal data (`personal_data` names it, e.g. "信访人姓名、
    身份证号、联系电话、住址") is the event 导出个人信息 and says so, and whether ID numbers and
    phones were in full (`full`) or masked; an export of no rows (the import template) or of a
    ledger without people is a plain 导出. 《个人信息保护法》第五十一条、第五十五条 (record of
    processing); GB/T 22239-2019 8.1.4.3.
    """
    text = f"{detail}，{rows} 行"
    if personal_data and rows:
        how = "完整" if full else "已脱敏"
        text += f"，含个人信息：{personal_data}（身份证号和联系电话{how}）"
        return record_event(Kind.PERSONAL_DATA_EXPORT, request=request, target=title, detail=text)
    return record_event(Kind.EXPORT, request=request, target=title, detail=text)


# --- Signals ----------------------------------------------------------------------------------


@receiver(user_logged_in, dispatch_uid="miaoba_security_login")
def _on_login(sender, request, user, **kwargs) -> None:
    from miaoba.middleware import remember_login_time

    if request is not None:
        remember_login_time(request)
    record_event(Kind.LOGIN, user=user, request=request)


@receiver(user_logged_out, dispatch_uid="miaoba_security_logout")
def _on_logout(sender, request, user, **kwargs) -> None:
    if user is not None:
        record_event(Kind.LOGOUT, user=user, request=request)


@receiver(user_login_failed, dispatch_uid="miaoba_security_login_failed")
def _on_login_failed(sender, credentials, request=None, **kwargs) -> None:
    tried = str(credentials.get("username") or "")
    # django-axes, whose receiver ran first, marks an attempt made while already locked.
    locked = request is not None and getattr(request, "axes_locked_out", False)
    already = locked and getattr(request, "axes_failures_since_start", None) is None
    record_event(
        Kind.LOGIN_FAILED,
        request=request,
        username=tried,
        detail="账户锁定期间的登录尝试" if already else "用户名或密码错误",
    )


def _on_locked_out(sender, request=None, username=None, ip_address=None, **kwargs) -> None:
    """Record a lockout once, when the limit is reached (not for each later attempt)."""
    if request is not None and getattr(request, "axes_failures_since_start", None) is None:
        return
    from django.conf import settings

    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    record_event(
        Kind.LOCKOUT,
        request=request,
        username=str(username or ""),
        detail=f"连续 {settings.AXES_FAILURE_LIMIT} 次登录失败，锁定 {minutes} 分钟",
    )


def record_unlock(username: str, *, request: HttpRequest | None = None) -> None:
    """Record that an administrator lifted the lockout of `username`."""
    record_event(Kind.UNLOCK, request=request, target=f"用户名 {username}", detail="管理员解除锁定")


# --- Passwords and privileges (三员分立) ------------------------------------------------------


def acting_user() -> User | None:
    """Return the logged-in user of the request being served, or None outside a request."""
    request = current_request.get()
    user = getattr(request, "user", None) if request is not None else None
    return user if user is not None and user.is_authenticated else None


def record_password_change(user: User, *, actor: User) -> None:
    """Record a new password: by its owner (修改密码), or set by an administrator for another
    user (管理员设置密码: a new account's first password or a reset), who must then change it
    at the next login. GB/T 22239-2019 8.1.4.3 (security audit of important user behaviour)."""
    if actor.pk == user.pk:
        record_event(
            Kind.PASSWORD_CHANGE, user=actor, target=f"用户 {user.username}", detail="本人修改密码"
        )
    else:
        record_event(
            Kind.PASSWORD_RESET,
            user=actor,
            target=f"用户 {user.username}",
            detail="管理员设置密码，用户下次登录须修改",
        )


_FLAGS = (
    ("is_superuser", "超级用户"),
    ("is_staff", "可登录系统管理"),
    ("is_active", "账户启用"),
)
# Flags nobody may change on their own account: each one is a privilege.
_OWN_FLAGS_REFUSED = {"is_superuser", "is_staff"}
OWN_PRIVILEGES_MESSAGE = (
    "不能更改自己的角色、权限或超级用户、系统管理标志（三员分立），请由其他管理员办理。"
)


def privilege_flag_changes(user: User, actor: User | None, update_fields) -> list[str]:
    """Return how a save changes `user`'s superuser, staff and active flags, in words.

    Only for a save made in a request (`actor`); one query for a stored user. Raises
    PermissionDenied when `actor` changes their own superuser or staff flag.
    """
    from django.core.exceptions import PermissionDenied

    names = [name for name, _ in _FLAGS]
    if actor is None or (update_fields is not None and not set(update_fields) & set(names)):
        return []
    if user.pk is None:
        return [f"新建用户，{label}" for name, label in _FLAGS[:2] if getattr(user, name)]
    before = User.objects.filter(pk=user.pk).values(*names).first() or {}
    changed = [(n, label) for n, label in _FLAGS if n in before and before[n] != getattr(user, n)]
    if actor.pk == user.pk and any(n in _OWN_FLAGS_REFUSED for n, _ in changed):
        raise PermissionDenied(OWN_PRIVILEGES_MESSAGE)
    return [f"{'设为' if getattr(user, n) else '取消'}{label}" for n, label in changed]


def _refuse_own(instance, reverse: bool, pk_set, action: str) -> None:
    """Refuse a change of the acting user's own groups or permissions (三员分立)."""
    from django.core.exceptions import PermissionDenied

    actor = acting_user()
    if actor is None:
        return
    if reverse:
        own = actor.pk in (pk_set or ()) or (
            action == "pre_clear" and instance.user_set.filter(pk=actor.pk).exists()
        )
    else:
        own = instance.pk == actor.pk
    if own:
        raise PermissionDenied(OWN_PRIVILEGES_MESSAGE)


@receiver(m2m_changed, sender=User.user_permissions.through, dispatch_uid="miaoba_security_perms")
def _on_permissions_changed(sender, instance, action, reverse, pk_set, **kwargs) -> None:
    """Record each single permission given to or taken from a user; refuse one's own."""
    from django.contrib.auth.models import Permission

    if action in {"pre_add", "pre_remove", "pre_clear"}:
        _refuse_own(instance, reverse, pk_set, action)
        return
    if action not in {"post_add", "post_remove"} or not pk_set or reverse:
        return
    names = sorted(Permission.objects.filter(pk__in=pk_set).values_list("name", flat=True))
    record_event(
        Kind.ROLE_CHANGE,
        target=f"用户 {instance.get_username()}",
        detail=f"{'授予' if action == 'post_add' else '撤销'}权限：{'、'.join(names)}",
    )


@receiver(m2m_changed, sender=User.groups.through, dispatch_uid="miaoba_security_roles")
def _on_roles_changed(sender, instance, action, reverse, pk_set, **kwargs) -> None:
    """Record each role (group) given to or taken from a user, naming who did it; refuse a
    change of one's own roles (三员分立)."""
    from django.contrib.auth.models import Group

    if action in {"pre_add", "pre_remove", "pre_clear"}:
        _refuse_own(instance, reverse, pk_set, action)
    if action == "pre_clear":
        # Remember what is about to go: post_clear no longer knows.
        if reverse:
            instance._roles_cleared = [(u, [instance.name]) for u in instance.user_set.all()]
        else:
            instance._roles_cleared = [(instance, [g.name for g in instance.groups.all()])]
        return
    if action == "post_clear":
        changes = [(u, "移出角色", names) for u, names in getattr(instance, "_roles_cleared", [])]
    elif action in {"post_add", "post_remove"} and pk_set:
        verb = "加入角色" if action == "post_add" else "移出角色"
        if reverse:
            users = User.objects.filter(pk__in=pk_set).order_by("username")
            changes = [(u, verb, [instance.name]) for u in users]
        else:
            names = list(Group.objects.filter(pk__in=pk_set).values_list("name", flat=True))
            changes = [(instance, verb, sorted(names))]
    else:
        return
    for changed_user, verb, names in changes:
        if names:
            record_event(
                Kind.ROLE_CHANGE,
                target=f"用户 {changed_user.get_username()}",
                detail=f"{verb}：{'、'.join(names)}",
            )


def connect_axes_signals() -> None:
    """Connect the lockout receiver (called from `MiaobaConfig.ready`, after axes loads)."""
    from axes.signals import user_locked_out

    user_locked_out.connect(_on_locked_out, dispatch_uid="miaoba_security_locked_out")
