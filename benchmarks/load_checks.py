"""The checks of ``load_comments.py``: which of a run's comments the database holds and its
integrity verdict, and ``--backup``'s backup under load, restored and checked."""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def manage_shell(env: dict, script: str) -> str:
    return subprocess.run(
        [sys.executable, "-m", "kansou", "manage", "shell", "-v", "0", "-c", script],
        env=env, cwd=ROOT, check=True, capture_output=True, text=True,
    ).stdout.strip().splitlines()[-1]  # fmt: skip


INTEGRITY_SCRIPT = """
import json
from django.db import DatabaseError, connection
from kansou.community.models import Comment

bodies = Comment.objects.filter(body_md__contains=RUN).values_list("body_md", flat=True)
tokens = [body.split(" ")[3].rstrip(":") for body in bodies]
with connection.cursor() as c:
    if connection.vendor == "sqlite":
        c.execute("PRAGMA integrity_check")
        check = c.fetchone()[0]
    else:
        # amcheck (PostgreSQL contrib): every table's heap, every B-tree index against its table
        c.execute("CREATE EXTENSION IF NOT EXISTS amcheck")
        c.execute(
            "SELECT c.oid::regclass::text FROM pg_class c JOIN pg_namespace n"
            " ON n.oid = c.relnamespace WHERE n.nspname = 'public' AND c.relkind = 'r'"
        )
        problems = []
        for (table,) in c.fetchall():
            c.execute("SELECT count(*) FROM verify_heapam(%s::regclass)", [table])
            if c.fetchone()[0]:
                problems.append(f"heap of {table}")
        c.execute(
            "SELECT i.indexrelid::regclass::text FROM pg_index i JOIN pg_class c"
            " ON c.oid = i.indexrelid JOIN pg_am a ON a.oid = c.relam JOIN pg_namespace n"
            " ON n.oid = c.relnamespace WHERE a.amname = 'btree' AND n.nspname = 'public'"
        )
        for (index,) in c.fetchall():
            try:
                c.execute("SELECT bt_index_check(%s::regclass, true)", [index])
            except DatabaseError as error:
                problems.append(f"index {index}: {error}")
        check = "ok" if not problems else "; ".join(problems)
print(json.dumps({"tokens": tokens, "check": check}))
"""


def check_database(env: dict, run: str) -> tuple[Counter, str]:
    """The run's comment tokens as stored, and the database's integrity verdict ("ok").

    SQLite: ``PRAGMA integrity_check``. PostgreSQL: amcheck's ``verify_heapam`` on every table
    and ``bt_index_check`` (with its heap cross-check) on every B-tree index.
    """
    result = json.loads(manage_shell(env, f"RUN = {run!r}\n" + INTEGRITY_SCRIPT))
    return Counter(result["tokens"]), result["check"]


def start_backup(args, env: dict, stats, stop_at: float):
    """With ``--backup``: a thread running :func:`take_backup` once a third of the comments are
    in, and the dict it fills; else ``(None, {})``."""
    result: dict = {}
    if args is None or not args.backup:
        return None, result
    while len(stats.accepted) < args.comments // 3 and time.monotonic() < stop_at:
        time.sleep(0.05)
    thread = threading.Thread(target=take_backup, args=(env, result))
    thread.start()
    return thread, result


def take_backup(env: dict, result: dict) -> None:
    """``kansou backup`` while the load runs; its time, exit status and what it printed."""
    suffix = ".dump" if env["DATABASE_URL"] else ".sqlite3"
    path = Path(env["KANSOU_DATA_DIR"]) / f"load-backup{suffix}"
    started = time.perf_counter()
    out = subprocess.run(
        [sys.executable, "-m", "kansou", "backup", str(path)],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    result.update(
        path=path,
        seconds=time.perf_counter() - started,
        status=out.returncode,
        output=(out.stdout + out.stderr).strip(),
    )


def check_backup(env: dict, run: str, result: dict, stats, final: Counter) -> None:
    """Restore the backup into a fresh database and count the run's comments in it: each once,
    and each one the live database ended with (``final``)."""
    print(
        f"backup during load: exit {result['status']} in {result['seconds']:.1f} s: "
        f"{result['output'][-400:]}",
        file=sys.stderr,
    )
    if result["status"] != 0:
        stats.backup_ok = False
        return
    with tempfile.TemporaryDirectory() as data:
        restored = {**env, "KANSOU_DATA_DIR": data, "DATABASE_URL": ""}
        drop = None
        if env["DATABASE_URL"]:
            restored["DATABASE_URL"], drop = fresh_postgres(env["DATABASE_URL"])
        try:
            subprocess.run(
                [sys.executable, "-m", "kansou", "manage", "migrate", "-v", "0"],
                env=restored, cwd=ROOT, check=True, capture_output=True,
            )  # fmt: skip
            subprocess.run(
                [sys.executable, "-m", "kansou", "restore", str(result["path"]), "--yes"],
                env=restored, cwd=ROOT, check=True, capture_output=True,
            )  # fmt: skip
            found, integrity = check_database(restored, run)
        finally:
            if drop:
                drop()
    unknown = set(found) - set(final)
    stats.backup_ok = integrity == "ok" and not unknown and max(found.values(), default=1) == 1
    print(
        f"restored backup: {sum(found.values())} of this run's comments, none twice: "
        f"{max(found.values(), default=1) == 1}, none unknown: {not unknown}, "
        f"integrity {integrity}",
        file=sys.stderr,
    )


def fresh_postgres(url: str) -> tuple[str, callable]:
    import psycopg

    name = f"kansou_load_{uuid.uuid4().hex[:8]}"
    admin = url.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin, autocommit=True) as db:
        db.execute(f'CREATE DATABASE "{name}"')

    def drop() -> None:
        with psycopg.connect(admin, autocommit=True) as db:
            db.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    return url.rsplit("/", 1)[0] + f"/{name}", drop
