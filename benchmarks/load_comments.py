"""Load and fault test: many writers post comments while readers fetch review pages.

    python benchmarks/load_comments.py [--comments 5000] [--writers 50] [--readers 8]
        [--workers 4] [--kill worker|server] [--backup] [--max-seconds 600]

Loopback only, bounded in count and time. Against `kansou serve` (gunicorn, several workers) on a
fresh database: SQLite in a temporary data folder, or a new PostgreSQL database beside the one
``DATABASE_URL`` names. Writers are signed-in readers posting through the JSON API (session +
CSRF), each comment carrying a unique token; readers fetch the review pages meanwhile.
``--kill worker`` SIGKILLs one gunicorn worker half-way (gunicorn starts another);
``--kill server`` SIGKILLs the whole server half-way and starts it again. Requests that fail
while a process is down are retried by the writer with a *new* token (a client cannot know
whether a request it never got an answer to was applied; only 201 answers count as accepted).
``--backup`` runs ``kansou backup`` a third of the way in, while the writers go on, then restores
it into a fresh database and checks it: its time, its comments and its integrity are printed.

Afterwards it checks that every accepted comment is in the database exactly once, that nothing
else was written, that no request got a 5xx, and that the database passes an integrity check,
then prints throughput and p50/p99 latency for reads and writes. Exit status 1 if a check fails.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import secrets
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
REVIEWS = ["a-silent-voice", "shirobako"]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def percentile(values: list[float], share: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


class Server:
    def __init__(self, env: dict, workers: int):
        self.env, self.workers, self.port = env, workers, free_port()
        self.process: subprocess.Popen | None = None
        self.log_path = Path(env["KANSOU_DATA_DIR"]) / "server.log"
        self.log = open(self.log_path, "a")  # noqa: SIM115 (kept open across restarts)

    def start(self) -> None:
        self.process = subprocess.Popen(
            [sys.executable, "-m", "kansou", "serve", "--port", str(self.port),
             "--workers", str(self.workers), "--timeout", "60"],
            env=self.env, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=self.log,
            start_new_session=True,
        )  # fmt: skip
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            try:
                connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=2)
                connection.request("GET", "/healthz")
                if connection.getresponse().status == 200:
                    return
            except OSError:
                time.sleep(0.2)
        raise SystemExit("server did not start")

    def worker_pids(self) -> list[int]:
        out = subprocess.run(
            ["pgrep", "-P", str(self.process.pid)], capture_output=True, text=True
        ).stdout
        return [int(pid) for pid in out.split()]

    def kill_worker(self) -> None:
        pids = self.worker_pids()
        if pids:
            os.kill(pids[0], signal.SIGKILL)

    def kill(self) -> None:
        os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait()

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            self.process.wait(timeout=30)


class Stats:
    def __init__(self):
        self.lock = threading.Lock()
        self.read_ms: list[float] = []
        self.write_ms: list[float] = []
        self.statuses: Counter = Counter()
        self.accepted: set[str] = set()
        self.failed_attempts = 0

    def record(self, kind: str, ms: float, status: int) -> None:
        with self.lock:
            (self.read_ms if kind == "read" else self.write_ms).append(ms)
            self.statuses[f"{kind} {status}"] += 1


def request(port: int, method: str, path: str, body: bytes | None, headers: dict):
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        connection.request(method, path, body=body, headers=headers)
        response = connection.getresponse()
        return response.status, response.read()
    finally:
        connection.close()


def writer(
    server: Server, session: tuple[str, str], quota: int, run: str, stats: Stats, stop_at: float
) -> None:
    sessionid, csrf = session
    headers = {
        "Cookie": f"sessionid={sessionid}; csrftoken={csrf}",
        "X-CSRFToken": csrf,
        "Content-Type": "application/json",
    }
    done = 0
    while done < quota and time.monotonic() < stop_at:
        token = f"{run}-{uuid.uuid4().hex}"
        slug = REVIEWS[done % len(REVIEWS)]
        body = json.dumps({"body": f"Load test comment {token}: what a lovely film."}).encode()
        start = time.perf_counter()
        try:
            status, _ = request(server.port, "POST", f"/api/reviews/{slug}/comments", body, headers)
        except (OSError, http.client.HTTPException):
            with stats.lock:
                stats.failed_attempts += 1
            time.sleep(0.2)  # the server is down or a worker died: try again with a new token
            continue
        stats.record("write", (time.perf_counter() - start) * 1000, status)
        if status == 201:
            with stats.lock:
                stats.accepted.add(token)
            done += 1
        elif status >= 500:
            done += 1  # counted as a failure in the report; do not hammer
        else:
            time.sleep(0.05)


def reader(server: Server, stats: Stats, writers_done: threading.Event, stop_at: float) -> None:
    n = 0
    while not writers_done.is_set() and time.monotonic() < stop_at:
        start = time.perf_counter()
        try:
            status, _ = request(server.port, "GET", f"/reviews/{REVIEWS[n % 2]}/", None, {})
        except (OSError, http.client.HTTPException):
            time.sleep(0.2)
            continue
        stats.record("read", (time.perf_counter() - start) * 1000, status)
        n += 1


def setup_database(env: dict, writers: int) -> list[tuple[str, str]]:
    """Demo data, then one signed-in session per writer (made directly, as a login would)."""
    subprocess.run(
        [sys.executable, "-m", "kansou", "demo", "--no-serve"],
        env=env,
        cwd=ROOT,
        check=True,
        stdout=subprocess.DEVNULL,
    )
    script = (
        "import json, secrets\n"
        "from django.contrib.auth import get_user_model\n"
        "from django.test import Client\n"
        "sessions = []\n"
        f"for i in range({writers}):\n"
        "    user, _ = get_user_model().objects.get_or_create(username=f'loadtest{i}')\n"
        "    client = Client()\n"
        "    client.force_login(user)\n"
        "    sessions.append(client.cookies['sessionid'].value)\n"
        "print(json.dumps(sessions))\n"
    )
    out = subprocess.run(
        [sys.executable, "-m", "kansou", "manage", "shell", "-v", "0", "-c", script],
        env=env,
        cwd=ROOT,
        check=True,
        capture_output=True,
        text=True,
    )
    sessions = json.loads(out.stdout.strip().splitlines()[-1])
    return [(sessionid, secrets.token_hex(16)) for sessionid in sessions]


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
    script = f"RUN = {run!r}\n" + INTEGRITY_SCRIPT
    out = subprocess.run(
        [sys.executable, "-m", "kansou", "manage", "shell", "-v", "0", "-c", script],
        env=env,
        cwd=ROOT,
        check=True,
        capture_output=True,
        text=True,
    )
    result = json.loads(out.stdout.strip().splitlines()[-1])
    return Counter(result["tokens"]), result["check"]


def start_backup(args, env: dict, stats, stop_at: float):
    """With ``--backup``: a thread running :func:`take_backup` once a third of the comments are
    in, and the dict it fills; else ``(None, {})``."""
    result: dict = {}
    if not args.backup:
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


def run(args) -> int:
    cleanup = None
    with tempfile.TemporaryDirectory() as data:
        env = {
            **os.environ,
            "KANSOU_DATA_DIR": data,
            "DEBUG": "0",
            "PYTHONPATH": str(ROOT),
            # This measures durability under load, not the anti-abuse limits.
            "KANSOU_COMMENT_RATE": "100000/m",
            "KANSOU_COMMENT_IP_RATE": "1000000/m",
            "KANSOU_COMMENT_MODERATION": "none",
        }
        env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        url = os.environ.get("DATABASE_URL", "")
        if url.startswith("postgres"):
            env["DATABASE_URL"], cleanup = fresh_postgres(url)
        else:
            env["DATABASE_URL"] = ""
        try:
            return load(args, env)
        finally:
            if cleanup:
                cleanup()


def load(args, env: dict) -> int:
    sessions = setup_database({**env, "DEBUG": "1"}, args.writers)
    server = Server(env, args.workers)
    server.start()
    run_tag = f"run{secrets.token_hex(4)}"
    stats = Stats()
    stop_at = time.monotonic() + args.max_seconds
    quota = [
        args.comments // args.writers + (i < args.comments % args.writers)
        for i in range(args.writers)
    ]
    writers = [
        threading.Thread(
            target=writer, args=(server, sessions[i], quota[i], run_tag, stats, stop_at)
        )
        for i in range(args.writers)
    ]
    writers_done = threading.Event()
    readers = [
        threading.Thread(target=reader, args=(server, stats, writers_done, stop_at))
        for _ in range(args.readers)
    ]
    started = time.perf_counter()
    for thread in writers + readers:
        thread.start()
    backup_thread, backup_result = start_backup(args, env, stats, stop_at)
    if args.kill:
        while len(stats.accepted) < args.comments // 2 and time.monotonic() < stop_at:
            time.sleep(0.05)
        if args.kill == "worker":
            server.kill_worker()
            print("killed one worker half-way", file=sys.stderr)
        else:
            server.kill()
            print("killed the whole server half-way; starting it again", file=sys.stderr)
            server.start()
    for thread in writers:
        thread.join()
    writers_done.set()
    for thread in readers:
        thread.join()
    elapsed = time.perf_counter() - started
    server.stop()
    found, integrity = check_database(env, run_tag)
    if backup_thread is not None:
        backup_thread.join()
        check_backup(env, run_tag, backup_result, stats, found)
    errors = [
        line for line in server.log_path.read_text().splitlines() if '"level": "error"' in line
    ]
    for line in errors[:5]:
        print("server error:", line[:600], file=sys.stderr)
    return report(args, stats, found, integrity, elapsed, env)


def report(args, stats: Stats, found: Counter, integrity: str, elapsed: float, env) -> int:
    database = "PostgreSQL" if env["DATABASE_URL"] else "SQLite"
    five_xx = sum(n for key, n in stats.statuses.items() if key.split()[1].startswith("5"))
    missing = stats.accepted - set(found)
    doubled = [token for token, n in found.items() if n > 1]
    unexpected = set(found) - stats.accepted
    print(
        f"\n{database}, {args.workers} workers, {args.writers} writers, {args.readers} readers,"
        f" kill={args.kill or 'none'}: {elapsed:.1f} s"
    )
    print(f"{'':8} {'requests':>9} {'req/s':>8} {'p50 ms':>8} {'p99 ms':>8}")
    for kind, values in (("reads", stats.read_ms), ("writes", stats.write_ms)):
        print(
            f"{kind:8} {len(values):>9} {len(values) / elapsed:>8.1f} "
            f"{percentile(values, 0.5):>8.1f} {percentile(values, 0.99):>8.1f}"
        )
    print(
        f"statuses: {dict(sorted(stats.statuses.items()))}; connection failures (retried): "
        f"{stats.failed_attempts}"
    )
    print(
        f"accepted {len(stats.accepted)}, in database {sum(found.values())}, missing "
        f"{len(missing)}, twice {len(doubled)}, unanswered-but-written {len(unexpected)}, "
        f"5xx {five_xx}, integrity {integrity}"
    )
    ok = not missing and not doubled and five_xx == 0 and integrity == "ok"
    # A request whose answer was lost when a process died may have been applied: allowed only
    # when something was killed, and then it is written once, under its own token.
    ok = ok and (not unexpected or bool(args.kill))
    ok = ok and len(stats.accepted) == args.comments
    ok = ok and getattr(stats, "backup_ok", True)
    print("OK" if ok else "FAILED")
    return 0 if ok else 1


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--comments", type=int, default=5000)
    parser.add_argument("--writers", type=int, default=50)
    parser.add_argument("--readers", type=int, default=8)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--kill", choices=["worker", "server"])
    parser.add_argument("--backup", action="store_true", help="Back up and restore under load.")
    parser.add_argument("--max-seconds", type=float, default=600)
    sys.exit(run(parser.parse_args()))


if __name__ == "__main__":
    main()
