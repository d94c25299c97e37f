"""HTTP cache benchmark: wrk against a review page through nginx's microcache, next to a bare
Django ``HttpResponse`` app (no middleware) under the same gunicorn workers.

    python benchmarks/http_cache_bench.py [--workers 4] [--seconds 10] [--connections 32]

Builds a demo database (sample catalog + demo reviews) in a temporary folder, starts one
``kansou serve`` node and nginx with ``deploy/nginx.conf`` rendered in front of it (as
``scripts/cluster`` does), and a bare Django app under gunicorn with the same worker count. All on
loopback, each run bounded by --seconds after a 2-second warm-up that is not counted:
1. the review page through nginx (microcache: ``X-Cache-Status: HIT`` nearly every request);
2. the same page straight from the node (Kansou's page cache, the whole middleware stack);
3. the bare app's ``HttpResponse("ok")`` straight from gunicorn (Django's floor).
Prints requests/second and p50/p99 latency side by side; `--json FILE` keeps them.
"""

from __future__ import annotations

import argparse
import importlib.machinery
import importlib.util
import os
import secrets
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))
from read_bench import REVIEW, free_port, report, wrk  # noqa: E402

NGINX = "/usr/sbin/nginx"
MAIN_CONF = """\
worker_processes 2;
pid nginx.pid;
error_log logs/error.log warn;
events { worker_connections 1024; }
http {
    access_log off;
    client_body_temp_path tmp/client_body;
    proxy_temp_path tmp/proxy;
    fastcgi_temp_path tmp/fastcgi;
    uwsgi_temp_path tmp/uwsgi;
    scgi_temp_path tmp/scgi;
    include site.conf;
}
"""


urlpatterns: list = []  # the bare app's URLconf, filled by bare_application()


def bare_application():
    """A Django app with one view and no middleware: ``gunicorn 'module:bare_application()'``."""
    import django
    from django.conf import settings
    from django.core.wsgi import get_wsgi_application
    from django.http import HttpResponse
    from django.urls import path

    settings.configure(
        DEBUG=False,
        SECRET_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS=["*"],
        MIDDLEWARE=[],
        INSTALLED_APPS=[],
        ROOT_URLCONF=__name__,
    )
    urlpatterns.append(path("", lambda request: HttpResponse("ok")))
    django.setup()
    return get_wsgi_application()


def wait_ok(url: str, process: subprocess.Popen) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"{url}: the server exited with {process.returncode}")
        try:
            urllib.request.urlopen(url, timeout=1).read()
            return
        except OSError:
            time.sleep(0.2)
    raise SystemExit(f"{url} did not answer within 60 s")


def start(command: list, env: dict, url: str) -> subprocess.Popen:
    process = subprocess.Popen(
        [str(part) for part in command],
        env=env,
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    wait_ok(url, process)
    return process


def nginx_site(folder: Path, node_port: int) -> tuple[list, int]:
    loader = importlib.machinery.SourceFileLoader("cluster", str(ROOT / "scripts" / "cluster"))
    cluster = importlib.util.module_from_spec(importlib.util.spec_from_loader("cluster", loader))
    loader.exec_module(cluster)
    prefix = folder / "nginx"
    for sub in ("logs", "tmp", "cache"):
        (prefix / sub).mkdir(parents=True, exist_ok=True)
    port = free_port()
    site = cluster.render_site(
        (ROOT / "deploy" / "nginx.conf").read_text(),
        listen=f"127.0.0.1:{port}",
        nodes=[f"127.0.0.1:{node_port}"],
        cache=str(prefix / "cache"),
    )
    (prefix / "site.conf").write_text(site)
    (prefix / "nginx.conf").write_text(MAIN_CONF)
    command = [NGINX, "-p", f"{prefix}/", "-e", "logs/error.log", "-c", "nginx.conf",
               "-g", "daemon off;"]  # fmt: skip
    return command, port


def cache_status(url: str) -> str:
    with urllib.request.urlopen(url, timeout=5) as response:
        response.read()
        return response.headers.get("X-Cache-Status", "-")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="kansou-http-cache-bench-"))
    folder.chmod(0o755)  # nginx's workers (nobody, when run as root) reach the cache inside
    data = folder / "data"
    data.mkdir(mode=0o700)
    env = {**os.environ, "KANSOU_DATA_DIR": str(data), "DEBUG": "0", "PYTHONPATH": str(ROOT)}
    env.update(KANSOU_PAGE_CACHE_SECONDS="300", KANSOU_TRUSTED_PROXIES="127.0.0.1")
    env.pop("DJANGO_SETTINGS_MODULE", None)
    subprocess.run(
        [sys.executable, "-m", "kansou", "demo", "--no-serve"],
        env={**env, "DEBUG": "1"},
        check=True,
        stdout=subprocess.DEVNULL,
        cwd=ROOT,
    )
    node_port, bare_port = free_port(), free_port()
    serve = [sys.executable, "-m", "kansou", "serve", "--port", node_port,
             "--workers", args.workers]  # fmt: skip
    bare = [Path(sys.executable).parent / "gunicorn", "--bind", f"127.0.0.1:{bare_port}",
            "--workers", args.workers, "--threads", "1",
            "http_cache_bench:bare_application()"]  # fmt: skip
    bare_env = {**env, "PYTHONPATH": str(ROOT / "benchmarks")}
    processes = []
    results = {}
    try:
        processes.append(start(serve, env, f"http://127.0.0.1:{node_port}/healthz"))
        command, nginx_port = nginx_site(folder, node_port)
        processes.append(start(command, env, f"http://127.0.0.1:{nginx_port}/healthz"))
        processes.append(start(bare, bare_env, f"http://127.0.0.1:{bare_port}/"))
        through_nginx = f"http://127.0.0.1:{nginx_port}{REVIEW}"
        cache_status(through_nginx)
        print(f"second read through nginx: X-Cache-Status {cache_status(through_nginx)}")
        runs = [
            ("review page, nginx microcache", through_nginx),
            ("review page, node (page cache)", f"http://127.0.0.1:{node_port}{REVIEW}"),
            ("bare Django HttpResponse", f"http://127.0.0.1:{bare_port}/"),
        ]
        for label, url in runs:
            results[label] = wrk(url, args.seconds, args.connections)
    finally:
        for process in reversed(processes):
            process.terminate()
            process.wait(timeout=30)
        subprocess.run(["rm", "-rf", str(folder)], check=False)
    report(results, "bare Django HttpResponse", args)


if __name__ == "__main__":
    main()
