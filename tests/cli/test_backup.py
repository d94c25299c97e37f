"""``kansou backup`` / ``kansou restore`` on a real database file or PostgreSQL database."""

from __future__ import annotations

import json
import subprocess
import sys
import threading

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
