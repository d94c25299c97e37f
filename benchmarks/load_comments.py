"""Load and fault test: many writers post comments while readers fetch review pages.

    python benchmarks/load_comments.py [--target node|bare|cluster] [--compare | --runs R,…]
        [--comments 5000] [--writers 50] [--readers 8] [--workers 4] [--nodes 2]
        [--kill worker|server|node] [--backup] [--max-seconds 600]

Loopback only, bounded in count and time, every process stopped at the end. Targets
(``load_targets.py``):

- ``node`` (default): one ``kansou serve`` (gunicorn, ``--workers`` workers) on a fresh database:
  SQLite in a temporary data folder, or a new PostgreSQL database beside the one
  ``DATABASE_URL`` names. ``--kill worker`` SIGKILLs one gunicorn worker half-way (gunicorn
  starts another); ``--kill server`` the whole server, which is started again.
- ``cluster``: ``scripts/cluster`` — PostgreSQL, Redis, ``--nodes`` nodes sharing ``--workers``
  workers between them, nginx (``deploy/nginx.conf``) in front; clients go through nginx.
  ``--kill node`` SIGKILLs one node (gunicorn and its workers) half-way; nginx takes it out.
- ``bare``: a bare Django view inserting one row per POST (``plain_urls.py`` under
  ``plain_insert_settings.py``: no middleware, no session, no checks), same gunicorn and
  workers, on the same database as ``node``: the floor Kansou is compared with.

``--compare`` runs cluster (``--kill node``), node and bare (``--kill worker``) one after another
and prints one table; ``--runs node:none,bare:none`` runs the targets (and kills) named. Writers
are signed-in readers posting through the JSON API (session + CSRF), each comment carrying a
unique token; readers fetch the review pages meanwhile. A request that fails (connection refused
or reset, or a 5xx) is retried by the writer with a *new* token: a client cannot know whether a
request it got no answer to was applied; only 201 answers count as accepted. ``--backup`` (node)
runs ``kansou backup`` a third of the way in, while the writers go on, then restores it into a
fresh database and checks it.

Afterwards it checks that every accepted comment is in the database exactly once, that nothing
else was written (unless something was killed: then a request whose answer was lost may have
been applied, once), that no client saw a 5xx other than requests in flight when the kill came,
and that the database passes an integrity check; then prints throughput and p50/p99 latency for
reads and writes, and reads served after the kill. Exit status 1 if a check fails.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import secrets
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))
from load_checks import (  # noqa: E402
    check_backup,
    check_database,
    fresh_postgres,
    manage_shell,
    start_backup,
)
from load_targets import BareTarget, ClusterTarget, NodeTarget  # noqa: E402

REVIEWS = ["a-silent-voice", "shirobako"]


def percentile(values: list[float], share: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


class Stats:
    """Every answer: its kind, when it started and ended (monotonic), its time and status."""

    def __init__(self):
        self.lock = threading.Lock()
        self.answers: list[tuple[str, float, float, int]] = []
        self.statuses: Counter = Counter()
        self.accepted: set[str] = set()
        self.failed_attempts = 0
        self.killed_at: float | None = None

    def record(self, kind: str, started: float, status: int) -> None:
        with self.lock:
            self.answers.append((kind, started, time.monotonic(), status))
            self.statuses[f"{kind} {status}"] += 1

    def ms(self, kind: str) -> list[float]:
        return [(end - start) * 1000 for k, start, end, _ in self.answers if k == kind]


def request(port: int, method: str, path: str, body: bytes | None, headers: dict):
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        connection.request(method, path, body=body, headers=headers)
        response = connection.getresponse()
        return response.status, response.read()
    finally:
        connection.close()


def writer(target, session, quota: int, run: str, stats: Stats, stop_at: float) -> None:
    headers = {"Content-Type": "application/json"}
    if session:
        sessionid, csrf = session
        headers.update(Cookie=f"sessionid={sessionid}; csrftoken={csrf}", **{"X-CSRFToken": csrf})
    done = 0
    while done < quota and time.monotonic() < stop_at:
        token = f"{run}-{uuid.uuid4().hex}"
        path = target.write_path(REVIEWS[done % len(REVIEWS)])
        body = json.dumps({"body": f"Load test comment {token}: what a lovely film."}).encode()
        started = time.monotonic()
        try:
            status, _ = request(target.port, "POST", path, body, headers)
        except (OSError, http.client.HTTPException):
            with stats.lock:
                stats.failed_attempts += 1
            time.sleep(0.2)  # the server is down or a worker died: try again with a new token
            continue
        stats.record("write", started, status)
        if status == 201:
            with stats.lock:
                stats.accepted.add(token)
            done += 1
        elif status >= 500:
            time.sleep(0.2)  # counted in the report; may have been applied: a new token
        else:
            time.sleep(0.05)


def reader(target, stats: Stats, writers_done: threading.Event, stop_at: float) -> None:
    n = 0
    while not writers_done.is_set() and time.monotonic() < stop_at:
        started = time.monotonic()
        try:
            status, _ = request(target.port, "GET", target.read_path(REVIEWS[n % 2]), None, {})
        except (OSError, http.client.HTTPException):
            with stats.lock:
                stats.failed_attempts += 1
            time.sleep(0.2)
            continue
        stats.record("read", started, status)
        n += 1


def demo_database(env: dict) -> None:
    subprocess.run(
        [sys.executable, "-m", "kansou", "demo", "--no-serve"],
        env={**env, "DEBUG": "1"}, cwd=ROOT, check=True, stdout=subprocess.DEVNULL,
    )  # fmt: skip


def sessions_for(env: dict, writers: int) -> list[tuple[str, str]]:
    """One signed-in session per writer (made directly, as a log-in would)."""
    script = (
        "import json\n"
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
    sessions = json.loads(manage_shell(env, script))
    return [(sessionid, secrets.token_hex(16)) for sessionid in sessions]


def node_env(data: str) -> tuple[dict, callable]:
    """A single node's environment on a fresh database, and what drops it afterwards."""
    env = {
        **os.environ,
        "KANSOU_DATA_DIR": data,
        "DEBUG": "0",
        "PYTHONPATH": str(ROOT),
        "DATABASE_URL": "",
    }
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    env.pop("DJANGO_SETTINGS_MODULE", None)
    url = os.environ.get("DATABASE_URL", "")
    if url.startswith("postgres"):
        env["DATABASE_URL"], drop = fresh_postgres(url)
        return env, drop
    return env, lambda: None


# This measures throughput and durability under load, not the anti-abuse limits (which are still
# checked on every post: the counters are read and written, just never full).
LOAD_SETTINGS = {
    "KANSOU_COMMENT_RATE": "100000/m",
    "KANSOU_COMMENT_IP_RATE": "1000000/m",
    "KANSOU_COMMENT_MODERATION": "none",
}


def run_target(args, kind: str, kill: str | None) -> dict:
    """Start the target, load it, check the database, stop it: the figures of one run."""
    with tempfile.TemporaryDirectory(prefix="loadtest-", dir="/tmp") as data:
        if kind == "cluster":
            base = {**os.environ, "PYTHONPATH": str(ROOT), "DEBUG": "0", **LOAD_SETTINGS}
            target, drop = ClusterTarget(base, args.workers // args.nodes, args.nodes), None
        else:
            env, drop = node_env(data)
            env.update(LOAD_SETTINGS)
            make = BareTarget if kind == "bare" else NodeTarget
            target = make(env, args.workers, kill)
        try:
            if kind != "cluster":
                demo_database(target.env)
            target.start()
            sessions = sessions_for(target.env, args.writers) if target.needs_sessions else []
            result = load(args, target, sessions, kill)
        finally:
            target.stop()
            if drop:
                drop()
    return result


def load(args, target, sessions: list, kill: str | None) -> dict:
    run_tag = f"run{secrets.token_hex(4)}"
    stats = Stats()
    stop_at = time.monotonic() + args.max_seconds
    quota = [
        args.comments // args.writers + (i < args.comments % args.writers)
        for i in range(args.writers)
    ]
    writers = [
        threading.Thread(
            target=writer,
            args=(target, sessions[i] if sessions else None, quota[i], run_tag, stats, stop_at),
        )
        for i in range(args.writers)
    ]
    writers_done = threading.Event()
    readers = [
        threading.Thread(target=reader, args=(target, stats, writers_done, stop_at))
        for _ in range(args.readers)
    ]
    started, cpu, client_cpu = time.monotonic(), target.cpu_seconds(), time.process_time()
    for thread in writers + readers:
        thread.start()
    backup = args.backup and type(target) is NodeTarget
    backup_thread, backup_result = start_backup(
        args if backup else None, target.env, stats, stop_at
    )
    if kill:
        while len(stats.accepted) < args.comments // 2 and time.monotonic() < stop_at:
            time.sleep(0.02)
        killing = time.monotonic()
        print(f"{target.label}: {target.kill()} half-way", file=sys.stderr)
        # Requests started before the killed processes were gone were in flight at the kill.
        stats.killed_at = time.monotonic()
        print(f"kill took {(stats.killed_at - killing) * 1000:.0f} ms", file=sys.stderr)
    for thread in writers:
        thread.join()
    writers_done.set()
    for thread in readers:
        thread.join()
    ended = time.monotonic()
    stats.server_cpu = target.cpu_seconds() - cpu
    stats.client_cpu = time.process_time() - client_cpu
    found, integrity = check_database(target.env, run_tag)
    if backup_thread is not None:
        backup_thread.join()
        check_backup(target.env, run_tag, backup_result, stats, found)
    for line in target.errors()[:5]:
        print("server error:", line[:600], file=sys.stderr)
    database = "PostgreSQL" if target.env.get("DATABASE_URL") else "SQLite"
    return summarize(args, target.label, database, kill, stats, found, integrity, started, ended)


def summarize(args, label, database, kill, stats: Stats, found, integrity, started, ended) -> dict:
    elapsed = ended - started
    five_xx = [a for a in stats.answers if a[3] >= 500]
    in_flight = [a for a in five_xx if stats.killed_at and a[1] <= stats.killed_at]
    reads_after = [a for a in stats.answers if a[0] == "read" and a[3] < 500]
    reads_after = [a for a in reads_after if stats.killed_at and a[1] > stats.killed_at]
    missing = stats.accepted - set(found)
    doubled = [token for token, n in found.items() if n > 1]
    unexpected = set(found) - stats.accepted
    ok = not missing and not doubled and integrity == "ok"
    ok = ok and len(five_xx) == len(in_flight)  # a 5xx only for a request the kill cut short
    # A request whose answer was lost when a process died may have been applied: allowed only
    # when something was killed, and then it is written once, under its own token.
    ok = ok and (not unexpected or bool(kill))
    ok = ok and len(stats.accepted) == args.comments
    ok = ok and getattr(stats, "backup_ok", True)
    writes, reads = stats.ms("write"), stats.ms("read")
    result = {
        "run": f"{label}, kill {kill or 'none'}",
        "database": database,
        "seconds": elapsed,
        "writes/s": len(stats.accepted) / elapsed,
        "write p50": percentile(writes, 0.5),
        "write p99": percentile(writes, 0.99),
        "reads/s": sum(1 for a in stats.answers if a[0] == "read" and a[3] < 500) / elapsed,
        "read p50": percentile(reads, 0.5),
        "read p99": percentile(reads, 0.99),
        "reads/s after kill": len(reads_after) / (ended - stats.killed_at) if kill else None,
        "5xx": len(five_xx),
        "5xx in flight at kill": len(in_flight),
        "retried": stats.failed_attempts,
        "accepted": len(stats.accepted),
        "stored": sum(found.values()),
        "missing": len(missing),
        "twice": len(doubled),
        "unanswered but stored": len(unexpected),
        "integrity": integrity,
        "server CPU ms per request": stats.server_cpu * 1000 / max(1, len(stats.answers)),
        "client CPU ms per request": stats.client_cpu * 1000 / max(1, len(stats.answers)),
        "ok": ok,
    }
    print(
        f"{result['run']} ({database}): {dict(sorted(stats.statuses.items()))}; connection "
        f"failures (retried): {stats.failed_attempts}; accepted {len(stats.accepted)}, in database"
        f" {result['stored']}, missing {len(missing)}, twice {len(doubled)}, unanswered-but-"
        f"written {len(unexpected)}, 5xx {len(five_xx)} ({len(in_flight)} in flight at the kill),"
        f" integrity {integrity}: {'OK' if ok else 'FAILED'}",
        file=sys.stderr,
    )
    return result


def report(args, results: list[dict]) -> None:
    """One table, a row per run, writes/s also as a share of the bare view's when it ran."""
    bare = next((r["writes/s"] for r in results if r["run"].startswith("bare")), None)
    print(
        f"\n{args.comments} comments, {args.writers} writers, {args.readers} readers, "
        f"{args.workers} gunicorn workers in all, loopback, {os.cpu_count()} CPUs\n"
    )
    print(
        f"{'run':<40} {'database':<10} {'writes/s':>8} {'p50 ms':>7} {'p99 ms':>7} "
        f"{'reads/s':>8} {'p50 ms':>7} {'p99 ms':>7} {'after kill':>10} {'5xx':>4} "
        f"{'in flight':>9} {'once':>5} {'x bare':>6} {'CPU ms':>6}"
    )
    for r in results:
        after = r["reads/s after kill"]
        share = f"{r['writes/s'] / bare:.2f}" if bare else "-"
        once = "yes" if not (r["missing"] or r["twice"]) else "NO"
        print(
            f"{r['run']:<40} {r['database']:<10} {r['writes/s']:>8.0f} {r['write p50']:>7.1f} "
            f"{r['write p99']:>7.1f} {r['reads/s']:>8.0f} {r['read p50']:>7.1f} "
            f"{r['read p99']:>7.1f} {'-' if after is None else f'{after:.0f}':>10} "
            f"{r['5xx']:>4} {r['5xx in flight at kill']:>9} {once:>5} {share:>6} "
            f"{r['server CPU ms per request']:>6.2f}"
        )
    print(
        "CPU ms: the servers' CPU time (gunicorn and workers) per answered request. "
        "in flight: 5xx for requests sent before the killed processes were gone."
    )
    print("OK" if all(r["ok"] for r in results) else "FAILED")
    if args.json:
        args.json.write_text(json.dumps(results, indent=2))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--target", choices=["node", "bare", "cluster"], default="node")
    parser.add_argument("--compare", action="store_true", help="cluster, node and bare in a row")
    parser.add_argument(
        "--runs", help="targets and kills to run in a row, e.g. node:none,bare:none"
    )
    parser.add_argument("--comments", type=int, default=5000)
    parser.add_argument("--writers", type=int, default=50)
    parser.add_argument("--readers", type=int, default=8)
    parser.add_argument("--workers", type=int, default=4, help="in all (split between nodes)")
    parser.add_argument("--nodes", type=int, default=2, help="cluster nodes")
    parser.add_argument("--kill", choices=["worker", "server", "node"])
    parser.add_argument("--backup", action="store_true", help="Back up and restore under load.")
    parser.add_argument("--max-seconds", type=float, default=600)
    parser.add_argument("--json", type=Path, help="keep the figures in this file")
    args = parser.parse_args()
    if args.runs:
        runs = [
            (kind, None if kill in ("", "none") else kill)
            for kind, _, kill in (run.partition(":") for run in args.runs.split(","))
        ]
    elif args.compare:
        runs = [("cluster", "node"), ("node", "worker"), ("bare", "worker")]
    else:
        if (args.kill == "node") != (args.target == "cluster" and args.kill is not None):
            parser.error("--kill node goes with --target cluster, worker/server with the others")
        runs = [(args.target, args.kill)]
    results = [run_target(args, kind, kill) for kind, kill in runs]
    report(args, results)
    sys.exit(0 if all(r["ok"] for r in results) else 1)


if __name__ == "__main__":
    main()
