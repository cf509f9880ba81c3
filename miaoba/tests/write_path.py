"""What the write-path tests compare: a record, its history and its timeline, and query counts.

Issue 12 §6: a form and a ledger import of the same row write the same record, the same
history rows (修改记录) and the same timeline (办理过程); an import's query count does not grow
with its rows. Shared by each app's `test_ledger_write_path.py`.
"""

from __future__ import annotations

import re

from django.db import connection
from django.test.utils import CaptureQueriesContext

# Columns that differ between any two writes of the same values: keys, moments, one-time tokens.
MOMENTS = {"id", "created_at", "updated_at", "form_token", "at", "history_id", "history_date"}


def record_state(obj, *, skip=()) -> dict:
    """Return `obj`'s stored columns (by attname, fresh from the database) minus keys and
    moments and the names in `skip`."""
    fresh = type(obj)._base_manager.get(pk=obj.pk)
    return {
        f.attname: getattr(fresh, f.attname)
        for f in type(obj)._meta.concrete_fields
        if f.attname not in MOMENTS and f.name not in skip and f.attname not in skip
    }


def history_state(obj, *, skip=()) -> list[dict]:
    """Return `obj`'s history rows, oldest first: type, user and tracked columns (as
    `record_state` leaves them), with the change reason."""
    rows = type(obj).history.filter(id=obj.pk).order_by("history_date", "history_id")
    fields = [f.attname for f in type(obj).history.model.tracked_fields]
    return [
        {
            "history_type": h.history_type,
            "history_user_id": h.history_user_id,
            "history_change_reason": h.history_change_reason,
            **{
                name: getattr(h, name)
                for name in fields
                if name not in MOMENTS and name not in skip and name.removesuffix("_id") not in skip
            },
        }
        for h in rows
    ]


def timeline(obj, *, without=("导入",)) -> list[tuple]:
    """Return `obj`'s timeline as (action, day, user id, note), leaving out the `without`
    actions (the 导入 entry that says which file a row came from)."""
    return [
        (e.action, e.on, e.by_id, e.note)
        for e in obj.events.order_by("on", "id")
        if e.action not in without
    ]


_BATCH = re.compile(r'^(INSERT INTO|UPDATE) "?(\w+)"?')


def round_trips(run) -> int:
    """Return how many statements `run()` sends, counting a batch of rows as one statement.

    SQLite takes at most 999 parameters per statement, so Django splits one bulk insert or
    update of many rows into several statements that PostgreSQL sends as one; consecutive
    statements of the same kind into the same table are counted once, as on PostgreSQL.
    """
    with CaptureQueriesContext(connection) as ctx:
        run()
    count, last = 0, None
    for query in ctx.captured_queries:
        match = _BATCH.match(query["sql"])
        key = (match.group(1), match.group(2)) if match else None
        if key is None or key != last:
            count += 1
        last = key
    return count
