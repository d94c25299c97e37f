"""Back up and restore the database while the site runs.

SQLite uses its online backup API (pages are copied consistently while other connections read
and write); PostgreSQL uses ``pg_dump``/``pg_restore`` in the custom format. A SQLite backup file
is itself a SQLite database; a PostgreSQL one is a ``pg_dump -Fc`` archive.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
from pathlib import Path

SQLITE_BACKUP_PAGES = 1024  # pages per step: lets writers in between steps


class BackupError(Exception):
    pass


def database_backup(*, database: dict, target: Path) -> None:
    """Write a consistent copy of ``database`` (a Django DATABASES entry) to ``target``."""
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(target.name + ".partial")
    if database["ENGINE"].endswith("sqlite3"):
        _sqlite_copy(Path(database["NAME"]), partial)
    elif database["ENGINE"].endswith("postgresql"):
        _run(
            ["pg_dump", "--format=custom", "--no-owner", f"--file={partial}", _pg_url(database)],
            "pg_dump",
            target,
        )
    else:
        raise BackupError(f"backups are not supported for {database['ENGINE']}")
    os.replace(partial, target)  # never leave a half-written backup under the real name


def database_restore(*, database: dict, source: Path) -> None:
    """Replace the contents of ``database`` with the backup in ``source``."""
    source = Path(source)
    if not source.is_file():
        raise BackupError(f"{source}: no such backup file")
    if database["ENGINE"].endswith("sqlite3"):
        _check_sqlite_backup(source)
        _sqlite_copy(source, Path(database["NAME"]))
    elif database["ENGINE"].endswith("postgresql"):
        _run(
            [
                "pg_restore",
                "--clean",
                "--if-exists",
                "--no-owner",
                "--single-transaction",
                f"--dbname={_pg_url(database)}",
                str(source),
            ],
            "pg_restore",
            source,
        )
    else:
        raise BackupError(f"restores are not supported for {database['ENGINE']}")


def _sqlite_copy(source: Path, target: Path) -> None:
    if not source.is_file():
        raise BackupError(f"{source}: no such database file")
    with sqlite3.connect(source, timeout=30) as src, sqlite3.connect(target, timeout=30) as dst:
        src.backup(dst, pages=SQLITE_BACKUP_PAGES)
    with sqlite3.connect(target) as db:
        result = db.execute("PRAGMA integrity_check").fetchone()[0]
    if result != "ok":
        raise BackupError(f"{target}: integrity check failed after copy: {result}")


def _check_sqlite_backup(source: Path) -> None:
    try:
        with sqlite3.connect(f"file:{source}?mode=ro", uri=True) as db:
            tables = {row[0] for row in db.execute("SELECT name FROM sqlite_master")}
    except sqlite3.DatabaseError as exc:
        raise BackupError(f"{source}: not a SQLite backup ({exc})") from exc
    if "django_migrations" not in tables:
        raise BackupError(f"{source}: not a Kansou backup (no django_migrations table)")


def _pg_url(database: dict) -> str:
    user = database.get("USER") or ""
    password = f":{database['PASSWORD']}" if database.get("PASSWORD") else ""
    auth = f"{user}{password}@" if user else ""
    port = f":{database['PORT']}" if database.get("PORT") else ""
    return f"postgresql://{auth}{database.get('HOST') or 'localhost'}{port}/{database['NAME']}"


def _run(command: list[str], tool: str, subject: Path) -> None:
    if shutil.which(command[0]) is None:
        raise BackupError(f"{tool} is not installed (Debian package postgresql-client)")
    result = subprocess.run(command, capture_output=True, text=True)
    if result.returncode != 0:
        raise BackupError(f"{subject}: {tool} failed: {result.stderr.strip()}")
