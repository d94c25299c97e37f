"""``kansou backup`` / ``kansou restore`` on a real database file or PostgreSQL database."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
import threading
from contextlib import closing

import pytest

from kansou.core import backup as backup_module
from kansou.core.backup import BackupError, database_backup
from tests.catalog.aod_files import record, write_jsonl


def kansou(env, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "kansou", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=180,
    )


def titles(env) -> list[str]:
    found = kansou(env, "catalog", "find", "title", "--limit", "50", "--json")
    return sorted(entry["title"] for entry in json.loads(found.stdout))


def test_restore_brings_back_what_the_backup_held(tmp_path, database_env):
    first = write_jsonl(tmp_path / "a.jsonl", [record(1, "Title One"), record(2, "Title Two")])
    assert kansou(database_env, "catalog", "import", str(first), "--quiet").returncode == 0
    backup_file = tmp_path / "backups" / "kansou.backup"
    made = kansou(database_env, "backup", str(backup_file))
    assert made.returncode == 0, made.stderr
    assert backup_file.stat().st_size > 0

    later = write_jsonl(tmp_path / "b.jsonl", [record(3, "Title Three")])
    kansou(database_env, "catalog", "import", str(later), "--quiet")
    assert titles(database_env) == ["Title One", "Title Three", "Title Two"]

    restored = kansou(database_env, "restore", str(backup_file), "--yes")
    assert restored.returncode == 0, restored.stderr
    assert titles(database_env) == ["Title One", "Title Two"]


def test_backup_while_an_import_writes_is_consistent(tmp_path, database_env):
    """A backup taken during a running import holds whole entries only."""
    big = write_jsonl(tmp_path / "big.jsonl", [record(i, f"Title {i}") for i in range(1, 3001)])
    kansou(database_env, "manage", "migrate", "-v0")
    importing = threading.Thread(
        target=kansou,
        args=(database_env, "catalog", "import", str(big), "--quiet", "--batch-size", "100"),
    )
    importing.start()
    backup_file = tmp_path / "during.backup"
    made = kansou(database_env, "backup", str(backup_file))
    importing.join()
    assert made.returncode == 0, made.stderr
    restored = kansou(database_env, "restore", str(backup_file), "--yes")
    assert restored.returncode == 0, restored.stderr
    check = kansou(
        database_env,
        "manage",
        "shell",
        "-c",
        "from kansou.catalog.models import Anime, ExternalId;"
        "print(Anime.objects.count(), ExternalId.objects.count())",
    )
    anime, sources = map(int, check.stdout.strip().splitlines()[-1].split())
    assert anime % 100 == 0 and sources == 2 * anime


def test_restore_refuses_a_file_that_is_not_a_backup(tmp_path, database_env):
    junk = tmp_path / "junk.backup"
    junk.write_text("not a database")
    kansou(database_env, "manage", "migrate", "-v0")
    result = kansou(database_env, "restore", str(junk), "--yes")
    assert result.returncode == 1
    assert "junk.backup" in result.stderr


def test_restore_of_a_missing_file_names_it(tmp_path, database_env):
    result = kansou(database_env, "restore", str(tmp_path / "nope.backup"), "--yes")
    assert result.returncode == 1 and "no such backup file" in result.stderr


def sqlite_only(env) -> None:
    if env["DATABASE_URL"]:
        pytest.skip("SQLite's backup path; pg_dump works on a snapshot")


def test_backup_finishes_while_another_process_keeps_writing(tmp_path, database_env):
    """Writes between the copy's steps used to restart it forever (finding 16)."""
    sqlite_only(database_env)
    kansou(database_env, "manage", "migrate", "-v0")
    catalog = write_jsonl(tmp_path / "a.jsonl", [record(1, "Title One"), record(2, "Title Two")])
    kansou(database_env, "catalog", "import", str(catalog), "--quiet")
    database = tmp_path / "data" / "kansou.sqlite3"
    with sqlite3.connect(database) as db:  # over 1,024 pages: the old copy took several steps
        db.execute("CREATE TABLE ballast (data BLOB)")
        db.executemany("INSERT INTO ballast VALUES (randomblob(4000))", [()] * 8000)
    stop, written = threading.Event(), []

    def write_sessions() -> None:
        with closing(sqlite3.connect(database, timeout=30, isolation_level=None)) as db:
            while not stop.is_set():
                db.execute(
                    "INSERT INTO django_session VALUES (?, 'data', '2099-01-01')",
                    (f"key-{len(written)}",),
                )
                written.append(1)

    writer = threading.Thread(target=write_sessions)
    writer.start()
    try:
        made = kansou(database_env, "backup", str(tmp_path / "backups" / "site.db"))
    finally:
        stop.set()
        writer.join()
    assert made.returncode == 0, made.stderr
    assert "2 anime" in made.stdout and "MB in" in made.stdout
    with closing(sqlite3.connect(tmp_path / "backups" / "site.db")) as copy:
        assert copy.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        assert copy.execute("SELECT COUNT(*) FROM catalog_anime").fetchone() == (2,)
        assert copy.execute("SELECT COUNT(*) FROM ballast").fetchone() == (8000,)
    assert written  # the writer really ran
    assert list((tmp_path / "backups").iterdir()) == [tmp_path / "backups" / "site.db"]


def test_a_failed_backup_leaves_no_partial_file(tmp_path):
    not_a_database = tmp_path / "site.sqlite3"
    not_a_database.write_bytes(b"x" * 10_000)
    folder = tmp_path / "backups"
    database = {"ENGINE": "django.db.backends.sqlite3", "NAME": str(not_a_database)}
    with pytest.raises(BackupError, match="backup failed"):
        database_backup(database=database, target=folder / "site.db")
    assert list(folder.iterdir()) == []


def test_an_interrupted_backup_leaves_no_partial_file(tmp_path, monkeypatch):
    database = tmp_path / "site.sqlite3"
    with closing(sqlite3.connect(database)) as db:
        db.execute("CREATE TABLE django_migrations (id INTEGER)")

    def interrupted(*args):
        raise KeyboardInterrupt  # Ctrl-C, or SIGTERM through the command's handler

    monkeypatch.setattr(backup_module, "_integrity_check", interrupted)
    folder = tmp_path / "backups"
    with pytest.raises(KeyboardInterrupt):
        database_backup(
            database={"ENGINE": "django.db.backends.sqlite3", "NAME": str(database)},
            target=folder / "site.db",
        )
    assert list(folder.iterdir()) == []


def test_a_backup_removes_partial_files_of_killed_backups(tmp_path, database_env):
    sqlite_only(database_env)
    kansou(database_env, "manage", "migrate", "-v0")
    folder = tmp_path / "backups"
    folder.mkdir()
    dead = subprocess.Popen(["true"])
    dead.wait()  # a process id that no longer runs
    stale = folder / f"site.db.partial-{dead.pid}-0123abcd"
    stale.write_bytes(b"half a copy")
    (folder / f"site.db.partial-{dead.pid}-0123abcd-journal").write_bytes(b"")
    made = kansou(database_env, "backup", str(folder / "site.db"))
    assert made.returncode == 0, made.stderr
    assert sorted(p.name for p in folder.iterdir()) == ["site.db"]


def test_restore_makes_cached_pages_stale(tmp_path, database_env):
    """A review the restore removed must not be served from the page cache (finding 17)."""
    env = {**database_env, "DEBUG": "0", "KANSOU_PAGE_CACHE_SECONDS": "300",
           "KANSOU_ALLOWED_HOSTS": "testserver"}  # fmt: skip
    kansou(env, "manage", "migrate", "-v0")
    before = tmp_path / "before.backup"
    assert kansou(env, "backup", str(before)).returncode == 0
    review = tmp_path / "gone.md"
    review.write_text(
        "---\ntitle: Restored Away\nslug: restored-away\nauthors: [ana]\n"
        "status: published\npublish_at: 2025-01-01T00:00:00Z\n---\n\nSoon gone.\n"
    )
    assert kansou(env, "reviews", "import", str(review)).returncode == 0
    get = (
        "from django.test import Client;"
        "r = Client().get('/reviews/restored-away/');"
        "print(r.status_code, r.get('X-Kansou-Cache', '-'))"
    )
    assert kansou(env, "manage", "shell", "-v0", "-c", get).stdout.split() == ["200", "miss"]
    assert kansou(env, "manage", "shell", "-v0", "-c", get).stdout.split() == ["200", "hit"]
    restored = kansou(env, "restore", str(before), "--yes")
    assert restored.returncode == 0, restored.stderr
    assert "0 reviews" in restored.stdout
    assert kansou(env, "manage", "shell", "-v0", "-c", get).stdout.split()[0] == "404"


def loose_umask() -> None:
    os.umask(0o022)  # a usual login shell's: files 644, folders 755


def test_data_files_and_backups_are_private_to_their_user(tmp_path, database_env):
    """Database, its -wal/-shm, cache, models, secret key and backups hold password hashes,
    emails and sessions: mode 600, folders 700, whatever the shell's umask (finding 21)."""
    (tmp_path / "data").mkdir(mode=0o755)  # left by an older version
    env = {**database_env, "KANSOU_SECRET_KEY": ""}
    catalog = write_jsonl(tmp_path / "a.jsonl", [record(i, f"Title {i}") for i in range(1, 9)])

    def run(*args: str) -> None:
        done = subprocess.run([sys.executable, "-m", "kansou", *args], env=env, text=True,
                              capture_output=True, timeout=180, preexec_fn=loose_umask)  # fmt: skip
        assert done.returncode == 0, done.stderr

    run("catalog", "import", str(catalog), "--quiet")
    run("train", "--k", "3")
    run("backup", str(tmp_path / "backups" / "site.db"))
    made = [tmp_path / "data", *(tmp_path / "data").rglob("*"), tmp_path / "backups",
            tmp_path / "backups" / "site.db"]  # fmt: skip
    names = {path.name for path in made}
    assert {"secret_key", "cache", "models"} <= names
    if not database_env["DATABASE_URL"]:
        assert "kansou.sqlite3" in names
    loose = {str(path): oct(path.stat().st_mode & 0o777) for path in made
             if path.stat().st_mode & 0o077}  # fmt: skip
    assert loose == {}


def test_the_wsgi_module_sets_a_private_umask(database_env):
    code = "import os; os.umask(0o022); import kansou.wsgi; print(oct(os.umask(0)))"
    done = subprocess.run([sys.executable, "-c", code], env=database_env, text=True,
                          capture_output=True, timeout=60)  # fmt: skip
    assert done.stdout.strip() == "0o77", done.stderr
