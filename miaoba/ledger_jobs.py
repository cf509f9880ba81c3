"""Large ledger files checked and imported in the background, the page following a progress bar.

A file of more than `background_from_rows()` data rows (default 2,000; a 20,000-row ledger
takes longer to check and write than a server's 30-second request timeout) is not checked in
the request. The upload page keeps the file (`miaoba.ledger_views`), starts a job and sends the
clerk to the import page with `?job=<token>`, which shows a progress bar (refreshing itself
every two seconds, no JavaScript needed) until the job is done, then the preview or the
result exactly as for a small file.

The work runs in a thread of the web process that received the upload: no broker, no worker
process, so `make run` and the systemd unit start everything as before. The job's state is a
small JSON file beside the kept upload (`UPLOAD_DIR/<token>.json`, written atomically), so
any worker process can answer the page. A job whose thread died with its process stops
sending heartbeats; after `STALE_SECONDS` the page says so and asks for the file again
(nothing is written by a job that did not finish: the import is one transaction).

`LEDGER_JOBS_INLINE` (setting, default False) runs a job in the request instead of a thread,
for tests.
"""

from __future__ import annotations

import json
import logging
import os
import threading
import time
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import DatabaseError, close_old_connections, connection

from miaoba.ledger import LEDGERS, LedgerFileError, progress_to, row_label

logger = logging.getLogger(__name__)

STALE_SECONDS = 600
PREVIEW_ROWS = 20


def background_from_rows() -> int:
    """Return the number of data rows above which a file is checked in the background."""
    return getattr(settings, "LEDGER_BACKGROUND_FROM_ROWS", 2000)


def state_path(folder: Path, token: str) -> Path:
    return folder / f"{token}.json"


def read_state(folder: Path, token: str) -> dict | None:
    """Return the job's state, or None when there is no such job."""
    try:
        return json.loads(state_path(folder, token).read_text("utf-8"))
    except (OSError, ValueError):
        return None


def write_state(folder: Path, token: str, state: dict) -> None:
    """Write the job's state atomically (a reader never sees half a file)."""
    path = state_path(folder, token)
    temporary = path.with_suffix(f".{os.getpid()}.{threading.get_ident()}.tmp")
    temporary.write_text(json.dumps(state, ensure_ascii=False, default=str), "utf-8")
    temporary.replace(path)


def is_stale(state: dict) -> bool:
    """Return True when a running job has sent no heartbeat for `STALE_SECONDS`."""
    return state.get("status") == "running" and time.time() - state.get("beat", 0) > STALE_SECONDS


def plan_summary(plan, ledger) -> dict:
    """Return what the page shows of a plan, as plain JSON: errors, notes, counts, preview."""
    return {
        "filename": plan.filename,
        "errors": [[e.row, e.column, e.message, e.sheet] for e in plan.errors],
        "notes": list(plan.notes),
        "rows": len(plan.rows),
        "created": plan.created,
        "updated": plan.updated,
        "unchanged": plan.unchanged,
        "preview": [
            [
                row_label(row),
                row.action,
                [_cell(get(row)) for _, get in ledger.preview_columns],
            ]
            for row in plan.rows[:PREVIEW_ROWS]
        ],
    }


def _cell(value):
    if value is None:
        return None
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return str(value)


def start(
    folder: Path, token: str, *, kind: str, name: str, path: Path, user, stage: str, total: int
):
    """Start the `stage` ("check" or "import") of `path` for `user`; return at once.

    Writes the job's first state before returning, so the page can show it straight away.
    """
    write_state(
        folder,
        token,
        {"stage": stage, "status": "running", "done": 0, "total": total, "beat": time.time()},
    )
    args = (folder, token, kind, name, path, user.pk, stage, total)
    if getattr(settings, "LEDGER_JOBS_INLINE", False):
        _run(*args, inline=True)
    else:
        threading.Thread(target=_run, args=args, daemon=True, name=f"ledger-{token[:8]}").start()


def _run(folder, token, kind, name, path, user_id, stage, total, *, inline=False) -> None:
    from miaoba.models import User

    state = {"stage": stage, "status": "running", "done": 0, "total": total, "beat": time.time()}
    last = [0.0]

    def report(done: int) -> None:
        now = time.time()
        if now - last[0] >= 0.5 or done >= total:
            last[0] = now
            state.update(done=done, beat=now)
            write_state(folder, token, state)

    try:
        if not inline:
            close_old_connections()
        ledger = LEDGERS[kind]
        user = User.objects.get(pk=user_id)
        data = Path(path).read_bytes()
        with progress_to(report):
            if stage == "check":
                plan = ledger.check_file(data, name, user=user)
            else:
                plan = ledger.import_file(data, name, user=user)
        state.update(status="done", done=total, result=plan_summary(plan, ledger))
    except LedgerFileError as exc:
        state.update(status="failed", message=str(exc))
    except (DatabaseError, ValidationError):
        logger.exception("ledger job %s (%s) of %s failed", stage, kind, name)
        state.update(
            status="failed", message="导入未完成，没有写入任何数据。请把该文件交给系统管理员检查。"
        )
    except Exception:  # the page must say the job ended; the log has the cause
        logger.exception("ledger job %s (%s) of %s failed", stage, kind, name)
        state.update(
            status="failed",
            message="检查未完成。请重新上传；如仍不成功，请把该文件交给系统管理员检查。",
        )
    finally:
        state["beat"] = time.time()
        write_state(folder, token, state)
        if not inline:
            connection.close()
