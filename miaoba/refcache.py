"""Reference data cached per process (参考数据缓存): the lists every page reads and few edit.

Units, villages, categories, advisors, work-record kinds, the leaders, each user's units and
roles (the page header) and the working-day calendar change when an administrator edits them,
a few times a year, yet every list page read them: 3–6 queries a page. `get(key, load)` keeps
the value `load()` returned for the life of the process, until `invalidate()`.

Invalidation:
- a save or delete of a watched model (`WATCHED`, `watch`), a change of a user's units or
  roles, and writes that bypass signals (the calendar seed, a restore) call `invalidate()`;
  it runs at once and again when the transaction commits (so a page that read the old rows in
  between does not keep them);
- the application runs in several processes (gunicorn workers, the ledger jobs): `invalidate()`
  also replaces a stamp file (`settings.REFERENCE_STAMP_FILE`), and `get` drops every value
  when the stamp changed since it was loaded (one `os.stat`, no query).
A user's last-login stamp or password is not an edit (every login saves the first).
"""

from __future__ import annotations

import logging
import os
import tempfile
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save

log = logging.getLogger(__name__)

# Models whose rows feed a cached list ("app_label.ModelName"); an app adds its own by `watch`.
WATCHED = (
    "miaoba.Unit",
    "miaoba.Village",
    "miaoba.User",
    "miaoba.CalendarDay",
    "auth.Group",
    "disputes.Category",
    "normative_docs.Advisor",
    "reports.WorkRecordKind",
)

# Saves of only these fields change nothing a cached list shows (a login saves the first; a
# user's save always adds name_pinyin, recomputed from the name).
_NOT_SHOWN = frozenset({"last_login", "name_pinyin", "password", "must_change_password"})

_values: dict[Any, Any] = {}
_lock = threading.Lock()
_seen: tuple | None = None  # the stamp file's identity when `_values` was (last) emptied


def _stamp_path() -> Path:
    return Path(settings.REFERENCE_STAMP_FILE)


def _stamp() -> tuple | None:
    try:
        st = os.stat(_stamp_path())
    except OSError:
        return None
    return (st.st_ino, st.st_mtime_ns)


def get(key: Any, load: Callable[[], Any]) -> Any:
    """Return the cached value of `key`, calling `load()` (and keeping its result) when the
    process has none. `load` must return a value nobody mutates (a list, a tuple, a frozen
    object): it is shared by every request of the process."""
    global _seen
    stamp = _stamp()
    with _lock:
        if stamp != _seen:
            _values.clear()
            _seen = stamp
        if key in _values:
            return _values[key]
    value = load()
    with _lock:
        if _seen == stamp:
            _values[key] = value
    return value


def clear() -> None:
    """Forget every cached value of this process (tests start from an empty cache)."""
    global _seen
    with _lock:
        _values.clear()
        _seen = _stamp()


def _bump_stamp() -> None:
    path = _stamp_path()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".reference-")
        with os.fdopen(fd, "w") as f:
            f.write(f"{os.getpid()}\n")
        os.replace(tmp, path)  # a new file: a new inode, seen by every process
    except OSError as exc:  # the other processes keep their copy until restarted
        log.warning("参考数据缓存的标记文件 %s 无法写入：%s", path, exc)


def _drop() -> None:
    clear()
    _bump_stamp()


def invalidate(*args, **kwargs) -> None:
    """Drop every cached value, in this process and (through the stamp) in the others; again
    when the current transaction commits. Accepts a signal's arguments."""
    _drop()
    transaction.on_commit(_drop)


def _on_save(sender, instance=None, update_fields=None, raw=False, **kwargs) -> None:
    if raw:
        return
    if update_fields is not None and set(update_fields) <= _NOT_SHOWN:
        return
    invalidate()


def watch(model) -> None:
    """Drop the cache whenever a row of `model` is saved or deleted."""
    uid = f"miaoba.refcache.{model._meta.label}"
    post_save.connect(_on_save, sender=model, dispatch_uid=uid + ".save", weak=False)
    post_delete.connect(invalidate, sender=model, dispatch_uid=uid + ".delete", weak=False)


def connect() -> None:
    """Watch `WATCHED` and users' units and roles; called once from `MiaobaConfig.ready`."""
    from django.apps import apps
    from django.contrib.auth import get_user_model

    for label in WATCHED:
        try:
            model = apps.get_model(label)
        except LookupError:  # an app not installed
            continue
        watch(model)
    user = get_user_model()
    for through in (user.units.through, user.groups.through):
        m2m_changed.connect(
            invalidate, sender=through, dispatch_uid=f"miaoba.refcache.{through._meta.label}"
        )
