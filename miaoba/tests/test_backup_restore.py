"""`make backup` / `make restore`: back up the demo data, wipe it, restore it, count the rows.

Runs on the suite's database: SQLite (online backup API) or, when DATABASE_URL is PostgreSQL,
pg_dump/pg_restore.
"""

import io
import json
import shutil
import sys
import threading
import time
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from miaoba.backup import table_counts
from miaoba.models import SecurityEvent


@pytest.fixture
def demo(settings, tmp_path):
    """The township's demo (units, villages, users), its documents and its tasks with files."""
    from miaoba.demo import load_demo
    from normative_docs.demo import load_demo_records as load_documents
    from tasks.demo import load_demo_records as load_tasks

    settings.MEDIA_ROOT = tmp_path / "media"
    settings.BACKUP_DIR = tmp_path / "backups"
    load_demo()
    load_documents()
    load_tasks()


def _files(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in root.rglob("*") if p.is_file()}


# transaction=True: the restore replaces whole tables, which a test transaction cannot hold;
# serialized_rollback puts the migrations' data (roles, calendar) back for the next tests.
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_backup_wipe_restore_gives_back_every_row_and_file(demo, settings):
    before = table_counts()
    files_before = _files(Path(settings.MEDIA_ROOT))
    assert before["miaoba_user"] == 6
    assert before["tasks_task"] > 0
    assert files_before, "the tasks demo attaches evidence files"

    out = io.StringIO()
    call_command("backup", stdout=out)
    folder = Path(out.getvalue().split("已备份到 ")[1].strip())
    assert folder.parent == Path(settings.BACKUP_DIR)
    assert (folder / ("db.sqlite3" if connection.vendor == "sqlite" else "db.dump")).is_file()

    call_command("flush", interactive=False, verbosity=0)
    shutil.rmtree(settings.MEDIA_ROOT)
    assert table_counts()["miaoba_user"] == 0

    out = io.StringIO()
    call_command("restore", str(folder), interactive=False, stdout=out)

    assert "各表行数与备份一致" in out.getvalue()
    after = table_counts()
    # Everything as it was, plus the restore itself in the security log.
    assert after.pop("miaoba_securityevent") == before.pop("miaoba_securityevent") + 1
    assert after == before
    assert _files(Path(settings.MEDIA_ROOT)) == files_before
    assert SecurityEvent.objects.filter(kind="restore").count() == 1


@pytest.mark.django_db
def test_restore_without_a_backup_says_so(settings, tmp_path):
    settings.BACKUP_DIR = tmp_path
    with pytest.raises(CommandError, match="下没有备份"):
        call_command("restore", interactive=False)


@pytest.mark.django_db
def test_restore_refuses_a_folder_that_is_no_backup(tmp_path):
    with pytest.raises(CommandError, match="不是备份文件夹"):
        call_command("restore", str(tmp_path), interactive=False)


def _write_villages(stop, written: list[int], errors: list[Exception]) -> None:
    """A clerk at work: add villages one after another until told to stop."""
    from django.db import OperationalError, connections

    from miaoba.models import Village

    try:
        while not stop.is_set():
            try:
                Village.objects.create(name=f"并发写入{len(written)}")
                written.append(1)
            except OperationalError:  # SQLite: the copy holds the lock a moment
                time.sleep(0.002)
    except Exception as exc:  # noqa: BLE001 (reported by the test)
        errors.append(exc)
    finally:
        connections.close_all()


# transaction=True: the writer works in its own connection and must see committed rows.
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_backups_taken_while_a_clerk_writes_restore_with_matching_counts(demo, settings):
    """Issue 14 point 4: three of four backups under a writer had a manifest that did not
    match their copy, and `restore` stopped with 恢复后行数与备份不一致, unrecorded."""
    from miaoba.backup import backup

    stop, written, errors = threading.Event(), [], []
    writer = threading.Thread(target=_write_villages, args=(stop, written, errors))
    # Switch threads often, so the writer gets in while the backup reads (as a busy server's
    # other requests would); Python's default lets one thread run 5 ms at a time.
    interval = sys.getswitchinterval()
    sys.setswitchinterval(1e-5)
    writer.start()
    try:
        while len(written) < 5:  # the writer is at work before the first backup starts
            time.sleep(0.01)
        folders = []
        for _ in range(4):
            before = len(written)
            folders.append(backup(Path(settings.BACKUP_DIR)))
            while len(written) == before:  # and between backups
                time.sleep(0.01)
    finally:
        stop.set()
        writer.join()
        sys.setswitchinterval(interval)
    assert errors == []

    for folder in folders:
        manifest = json.loads((folder / "manifest.json").read_text())
        out = io.StringIO()
        call_command("restore", str(folder), interactive=False, stdout=out)
        assert "各表行数与备份一致" in out.getvalue()
        after = table_counts()
        # The restore adds its own entry to the restored log, nothing else.
        assert (
            after.pop("miaoba_securityevent") == manifest["counts"].pop("miaoba_securityevent") + 1
        )
        assert after == manifest["counts"]
        assert (
            SecurityEvent.objects.latest("pk").detail
            == f"从 {folder.name} 恢复，各表行数与备份一致"
        )


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_restore_that_does_not_match_is_recorded(demo, settings):
    from miaoba.backup import backup

    folder = backup(Path(settings.BACKUP_DIR))
    manifest = json.loads((folder / "manifest.json").read_text())
    manifest["counts"]["miaoba_village"] += 1  # a manifest that does not match its copy
    (folder / "manifest.json").write_text(json.dumps(manifest))

    with pytest.raises(
        CommandError, match="恢复后行数与备份不一致：miaoba_village：应有 9 行，实有 8 行"
    ):
        call_command("restore", str(folder), interactive=False)

    event = SecurityEvent.objects.latest("pk")
    assert (event.kind, event.detail) == (
        "restore",
        f"从 {folder.name} 恢复后行数与备份不一致：miaoba_village：应有 9 行，实有 8 行",
    )
