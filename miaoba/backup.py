"""Back up and restore the database and the uploaded files (`make backup`, `make restore`).

A backup is a folder `backups/<YYYYmmdd-HHMMSS>/` holding:

- `db.sqlite3`: an online copy made with SQLite's backup API (readers and writers may go on), or
  `db.dump`: `pg_dump --format=custom` of the PostgreSQL database (restored with `pg_restore`);
- `media/`: a copy of `MEDIA_ROOT` (scanned letters, agreements, evidence);
- `manifest.json`: the engine, the time, and the row count of every table, which `restore`
  checks after restoring. The counts are taken from the copy itself, never from the live
  database before or after it: users may go on working during a backup, and a count read
  outside the copy would not match it (SQLite: counted in the copied file; PostgreSQL: counted
  inside the very snapshot `pg_dump --snapshot` copies, held open until the dump ends).

The engine follows `DATABASE_URL` (the default database). PostgreSQL needs `pg_dump` and
`pg_restore` of the server's major version on PATH.
"""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import subprocess
from pathlib import Path

from django.conf import settings
from django.db import connection
from django.utils import timezone

MANIFEST = "manifest.json"


class BackupError(Exception):
    """A backup or restore that could not be done; the message is for the operator (Chinese)."""


def table_counts() -> dict[str, int]:
    """Return {table name: number of rows} for every table of the default database."""
    with connection.cursor() as cursor:
        return _count(cursor, connection.introspection.table_names(cursor))


def _count(cursor, tables) -> dict[str, int]:
    counts = {}
    for table in sorted(tables):
        cursor.execute(f"SELECT COUNT(*) FROM {connection.ops.quote_name(table)}")  # noqa: S608
        counts[table] = cursor.fetchone()[0]
    return counts


def _sqlite_copy(path: Path) -> dict[str, int]:
    """Copy the live SQLite database to `path` (online backup API: one consistent snapshot,
    writers may go on) and return the row counts of the copy."""
    connection.ensure_connection()
    target = sqlite3.connect(path)
    try:
        connection.connection.backup(target)
        cursor = target.cursor()
        cursor.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
        )
        return _count(cursor, [row[0] for row in cursor.fetchall()])
    finally:
        target.close()


def _pg_dump(path: Path) -> dict[str, int]:
    """Dump the PostgreSQL database to `path` and return the row counts of what it holds.

    A REPEATABLE READ transaction exports its snapshot (`pg_export_snapshot()`), counts every
    table inside it, and stays open while `pg_dump --snapshot` copies that same snapshot: the
    counts are the dump's, whatever is written meanwhile.
    """
    env, args, name = _pg_env_and_args()
    raw = connection.get_new_connection(connection.get_connection_params())
    try:
        raw.set_session(isolation_level="REPEATABLE READ", readonly=True)
        cursor = raw.cursor()
        cursor.execute("SELECT pg_export_snapshot()")
        snapshot = cursor.fetchone()[0]
        cursor.execute(
            "SELECT c.relname FROM pg_catalog.pg_class c "
            "JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace "
            "WHERE c.relkind IN ('r', 'p') AND pg_catalog.pg_table_is_visible(c.oid) "
            "AND n.nspname NOT IN ('pg_catalog', 'information_schema')"
        )
        counts = _count(cursor, [row[0] for row in cursor.fetchall()])
        _run(
            [
                "pg_dump",
                "--format=custom",
                "--snapshot",
                snapshot,
                "--file",
                str(path),
                *args,
                name,
            ],
            env,
        )
        raw.rollback()
        return counts
    finally:
        raw.close()


def _pg_env_and_args() -> tuple[dict[str, str], list[str], str]:
    db = connection.settings_dict
    env = dict(os.environ)
    if db.get("PASSWORD"):
        env["PGPASSWORD"] = str(db["PASSWORD"])
    args = []
    if db.get("HOST"):
        args += ["--host", str(db["HOST"])]
    if db.get("PORT"):
        args += ["--port", str(db["PORT"])]
    if db.get("USER"):
        args += ["--username", str(db["USER"])]
    return env, args, str(db["NAME"])


def _run(command: list[str], env: dict[str, str]) -> None:
    try:
        result = subprocess.run(command, env=env, capture_output=True, text=True, check=False)  # noqa: S603
    except FileNotFoundError as exc:
        raise BackupError(f"找不到程序 {command[0]}：请安装 PostgreSQL 客户端。") from exc
    if result.returncode != 0:
        raise BackupError(f"{command[0]} 失败：{result.stderr.strip()}")


def backup(root: Path) -> Path:
    """Write a backup folder under `root` (created if missing) and return its path."""
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M%S")
    folder = root / stamp
    n = 1
    while folder.exists():
        folder = root / f"{stamp}-{n}"
        n += 1
    folder.mkdir(parents=True, mode=0o700)
    vendor = connection.vendor
    if vendor == "sqlite":
        counts = _sqlite_copy(folder / "db.sqlite3")
    elif vendor == "postgresql":
        counts = _pg_dump(folder / "db.dump")
    else:
        raise BackupError(f"不支持备份这种数据库：{vendor}")
    media = Path(settings.MEDIA_ROOT)
    if media.is_dir():
        shutil.copytree(media, folder / "media")
    manifest = {"engine": vendor, "created": timezone.now().isoformat(), "counts": counts}
    (folder / MANIFEST).write_text(json.dumps(manifest, ensure_ascii=False, indent=1))
    return folder


def latest(root: Path) -> Path:
    """Return the newest backup folder under `root`; BackupError when there is none."""
    folders = sorted(p for p in root.glob("*") if (p / MANIFEST).is_file())
    if not folders:
        raise BackupError(f"{root} 下没有备份。")
    return folders[-1]


def restore(folder: Path) -> dict[str, tuple[int, int]]:
    """Restore the database and uploaded files from `folder`, replacing what is there now.

    Returns the tables whose row count differs from the manifest: {table: (expected, found)},
    empty when the restore is complete. Raises BackupError for a missing or foreign backup.
    """
    manifest_path = folder / MANIFEST
    if not manifest_path.is_file():
        raise BackupError(f"{folder} 不是备份文件夹（缺少 {MANIFEST}）。")
    manifest = json.loads(manifest_path.read_text())
    vendor = connection.vendor
    if manifest["engine"] != vendor:
        raise BackupError(f"这是 {manifest['engine']} 的备份，不能恢复到 {vendor} 数据库。")
    if vendor == "sqlite":
        connection.ensure_connection()
        source = sqlite3.connect(folder / "db.sqlite3")
        try:
            source.backup(connection.connection)
        finally:
            source.close()
    else:
        env, args, name = _pg_env_and_args()
        connection.close()  # hold no lock on the tables pg_restore drops
        _run(
            [
                "pg_restore",
                "--clean",
                "--if-exists",
                "--no-owner",
                "--single-transaction",
                "--dbname",
                name,
                *args,
                str(folder / "db.dump"),
            ],
            env,
        )
    media = Path(settings.MEDIA_ROOT)
    if (folder / "media").is_dir():
        if media.is_dir():
            shutil.rmtree(media)
        shutil.copytree(folder / "media", media)
    from miaoba import refcache

    refcache.invalidate()  # every process re-reads units, users and the calendar
    found = table_counts()
    return {
        table: (expected, found.get(table, 0))
        for table, expected in manifest["counts"].items()
        if found.get(table, 0) != expected
    }
