"""Where a comment POST's time goes: cProfile over many posts through Django's test client.

    python benchmarks/profile_comment.py [--posts 300] [--top 25] [--moderation none]

Builds a demo database in a temporary data folder (SQLite, or a new PostgreSQL database beside
the one ``DATABASE_URL`` names is not supported here: profile on SQLite), signs one reader in
and posts ``--posts`` comments through the JSON API with CSRF checks on, as the load test does
(``KANSOU_COMMENT_MODERATION`` as given, rate limits raised so every post is accepted). Prints
the mean time and SQL queries per post, then the functions costing most (own time and with
callees). In-process: no gunicorn, no network — what is left is the request's own work.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import json
import os
import pstats
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def profile(args) -> None:
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test import Client

    user, _ = get_user_model().objects.get_or_create(username="profiler")
    client = Client(enforce_csrf_checks=True, HTTP_HOST="127.0.0.1")
    client.force_login(user)
    client.get("/reviews/a-silent-voice/")  # sets the CSRF cookie
    csrf = client.cookies["csrftoken"].value

    def post(n: int) -> int:
        body = json.dumps({"body": f"Profiled comment {n}: what a lovely film."})
        response = client.post(
            "/api/reviews/a-silent-voice/comments",
            body,
            content_type="application/json",
            headers={"X-CSRFToken": csrf},
        )
        assert response.status_code == 201, (response.status_code, response.content[:300])
        return response.status_code

    for n in range(20):  # warm-up: imports, first queries, cache files
        post(-n)
    queries = []

    def log_query(execute, sql, params, many, context):
        queries.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(log_query):
        post(-100)
    started, cpu = time.perf_counter(), time.process_time()
    for n in range(args.posts):
        post(args.posts + n)
    unprofiled = (time.perf_counter() - started) / args.posts * 1000
    cpu = (time.process_time() - cpu) / args.posts * 1000  # steadier than wall time on a busy box
    profiler = cProfile.Profile()
    started = time.perf_counter()
    profiler.enable()
    for n in range(args.posts):
        post(n)
    profiler.disable()
    elapsed = time.perf_counter() - started
    print(
        f"{args.posts} posts: {cpu:.2f} ms CPU each, {unprofiled:.2f} ms wall "
        f"({elapsed / args.posts * 1000:.2f} ms profiled), "
        f"{len(queries)} SQL queries per post"
    )
    for sql in queries:
        print("  ", sql[:160])
    for order in ("tottime", "cumulative"):
        out = io.StringIO()
        stats = pstats.Stats(profiler, stream=out)
        stats.sort_stats(order).print_stats(args.top)
        print(f"\n--- by {order} ---")
        print("\n".join(out.getvalue().splitlines()[6:]))
    out = io.StringIO()
    stats = pstats.Stats(profiler, stream=out)
    ours = r"kansou/|django/(contrib|middleware|db/models/base)"
    stats.sort_stats("cumulative").print_stats(ours, args.top)
    print("\n--- Kansou's own functions and Django's middleware, by cumulative ---")
    print("\n".join(out.getvalue().splitlines()[6:]))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--posts", type=int, default=300)
    parser.add_argument("--top", type=int, default=25)
    parser.add_argument("--moderation", default="none", choices=["none", "first", "all"])
    parser.add_argument("--in-process", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.in_process:
        profile(args)
        return
    with tempfile.TemporaryDirectory(prefix="loadtest-profile-") as data:
        env = {
            **os.environ,
            "KANSOU_DATA_DIR": data,
            "DATABASE_URL": "",
            "DEBUG": "0",
            "PYTHONPATH": str(ROOT),
            "DJANGO_SETTINGS_MODULE": "kansou.settings",
            "KANSOU_COMMENT_RATE": "100000/m",
            "KANSOU_COMMENT_IP_RATE": "1000000/m",
            "KANSOU_COMMENT_MODERATION": args.moderation,
        }
        subprocess.run(
            [sys.executable, "-m", "kansou", "demo", "--no-serve"],
            env={**env, "DEBUG": "1"},
            check=True,
            stdout=subprocess.DEVNULL,
            cwd=ROOT,
        )
        subprocess.run(
            [sys.executable, __file__, *sys.argv[1:], "--in-process"], env=env, check=True
        )


if __name__ == "__main__":
    main()
