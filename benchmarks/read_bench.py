"""Read benchmark: wrk against `kansou serve`, review page versus a plain Django view.

    python benchmarks/read_bench.py [--workers 4] [--seconds 10] [--connections 32] [--nodes 2]

Builds a demo database (sample catalog + demo reviews) in a temporary data folder, then runs,
each with the same gunicorn settings and workers (loopback only, bounded by --seconds, after a
2-second warm-up run that is not counted):
1. a plain ``HttpResponse("ok")`` view behind the full middleware stack (the baseline);
2. a review page with the page cache off (every request renders);
3. the same review page with the page cache on (anonymous readers).
With ``--nodes N`` (N ≥ 1) also, through ``scripts/cluster`` (PostgreSQL, Redis, N nodes sharing
``--workers`` between them, nginx with ``deploy/nginx.conf`` in front; see ``load_targets.py``):
4. the review page through nginx with the page cache off (every request renders on a node;
   nothing is public, so nginx caches nothing);
5. the same with the page cache on (nginx's one-second microcache in front of the nodes' cache).
Prints requests/second, p50/p99 latency and the ratio to the baseline in one table; `--json FILE`
keeps them.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))
REVIEW = "/reviews/a-silent-voice/"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_server(env: dict, workers: int) -> tuple[subprocess.Popen, str]:
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "kansou", "serve", "--port", str(port), "--workers", str(workers)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        cwd=ROOT,
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(f"{base}/healthz", timeout=1).read()
            return server, base
        except OSError:
            time.sleep(0.2)
    server.kill()
    raise SystemExit("server did not start")


def wrk(url: str, seconds: int, connections: int) -> dict:
    urllib.request.urlopen(url, timeout=5).read()  # first render fills the cache
    # Warm every worker (imports, templates, connections) before measuring, alike for all runs.
    command = ["wrk", "-t2", f"-c{connections}", "--latency"]
    subprocess.run([*command, "-d2s", url], capture_output=True, check=True)
    out = subprocess.run(
        [*command, f"-d{seconds}s", url], capture_output=True, text=True, check=True
    ).stdout
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    latency = dict(re.findall(r"^\s+(50|99)%\s+([\d.]+\w+)", out, re.MULTILINE))
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    return {
        "rps": rate,
        "p50": to_ms(latency["50"]),
        "p99": to_ms(latency["99"]),
        "non_2xx": int(errors.group(1)) if errors else 0,
    }


def to_ms(text: str) -> float:
    value, unit = re.match(r"([\d.]+)(\w+)", text).groups()
    return float(value) * {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60000.0}[unit]


def report(results: dict, baseline_label: str, args) -> None:
    """Print each run's req/s and latency beside the baseline's (and write ``--json``)."""
    baseline = results[baseline_label]["rps"]
    print(
        f"\nwrk, {args.connections} connections, {args.seconds}s, "
        f"{args.workers} gunicorn workers in all, loopback, {os.cpu_count()} CPUs\n"
    )
    print(f"{'run':<46} {'req/s':>9} {'p50 ms':>8} {'p99 ms':>8} {'x base':>7} {'non-2xx':>8}")
    for label, r in results.items():
        print(
            f"{label:<46} {r['rps']:>9,.0f} {r['p50']:>8.2f} {r['p99']:>8.2f} "
            f"{r['rps'] / baseline:>7.2f} {r['non_2xx']:>8}"
        )
    if args.json:
        args.json.write_text(json.dumps(results, indent=2))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--nodes", type=int, default=0, help="also through nginx to N nodes")
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()
    results = {}
    with tempfile.TemporaryDirectory() as data:
        env = {
            **os.environ,
            "KANSOU_DATA_DIR": data,
            "DATABASE_URL": os.environ.get("DATABASE_URL", ""),
            "DEBUG": "0",
            "PYTHONPATH": str(ROOT),
        }
        subprocess.run(
            [sys.executable, "-m", "kansou", "demo", "--no-serve"],
            env={**env, "DEBUG": "1"},
            check=True,
            stdout=subprocess.DEVNULL,
            cwd=ROOT,
        )
        runs = [
            (
                "plain HttpResponse view",
                {
                    "DJANGO_SETTINGS_MODULE": "benchmarks.plain_settings",
                    "KANSOU_PAGE_CACHE_SECONDS": "0",
                },
                "/plain/",
            ),
            ("review page, uncached", {"KANSOU_PAGE_CACHE_SECONDS": "0"}, REVIEW),
            ("review page, cached", {"KANSOU_PAGE_CACHE_SECONDS": "300"}, REVIEW),
        ]
        for label, extra, path in runs:
            server, base = start_server({**env, **extra}, args.workers)
            try:
                results[label] = wrk(base + path, args.seconds, args.connections)
            finally:
                server.terminate()
                server.wait(timeout=30)
    if args.nodes:
        results.update(through_nginx(args))
    report(results, "plain HttpResponse view", args)


def through_nginx(args) -> dict:
    """The review page through nginx to ``args.nodes`` nodes, page cache off then on."""
    from load_targets import ClusterTarget

    results = {}
    workers = max(1, args.workers // args.nodes)
    for label, seconds in (("uncached", "0"), ("cached", "300")):
        env = {**os.environ, "PYTHONPATH": str(ROOT), "KANSOU_PAGE_CACHE_SECONDS": seconds}
        cluster = ClusterTarget(env, workers, args.nodes)
        try:
            cluster.start()
            base = f"http://127.0.0.1:{cluster.port}"
            run = f"review page, {label}, {args.nodes} nodes via nginx"
            results[run] = wrk(base + REVIEW, args.seconds, args.connections)
        finally:
            cluster.stop()
    return results


if __name__ == "__main__":
    main()
