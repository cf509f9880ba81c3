"""`make backup` / `make restore`: back up the demo data, wipe it, restore it, count the rows.

Runs on the suite's database: SQLite (online backup API) or, when DATABASE_URL is PostgreSQL,
pg_dump/pg_restore.
"""

import io
import shutil
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
