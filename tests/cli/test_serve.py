"""``kansou serve`` runs the site under a real gunicorn with several workers."""

from __future__ import annotations

import json
import socket
import subprocess
import sys
import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor


def _status(url: str) -> int:
    with urllib.request.urlopen(url, timeout=30) as response:
        return response.status


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_serve_answers_pages_health_and_static_files_and_logs_json(database_env):
    port = _free_port()
    env = {**database_env, "DEBUG": "0"}
    server = subprocess.Popen(
        [sys.executable, "-m", "kansou", "serve", "--port", str(port), "--workers", "3"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(f"{base}/healthz", timeout=2) as response:
                    health = json.load(response)
                break
            except OSError:
                assert server.poll() is None, server.stderr.read()
                assert time.monotonic() < deadline, "server did not come up"
                time.sleep(0.2)
        assert health["status"] == "ok"
        with urllib.request.urlopen(f"{base}/", timeout=5) as response:
            assert response.status == 200
        # Many requests at once, each using the database, across the workers: every worker has
        # its own connection (a connection inherited from the parent process would break here).
        with ThreadPoolExecutor(max_workers=8) as pool:
            statuses = list(pool.map(lambda _: _status(f"{base}/healthz"), range(300)))
        assert statuses == [200] * 300
        with urllib.request.urlopen(f"{base}/static/kansou/site.css", timeout=5) as response:
            assert response.status == 200 and b"{" in response.read()
    finally:
        server.terminate()
        _, stderr = server.communicate(timeout=30)
    lines = [json.loads(line) for line in stderr.splitlines() if line.startswith("{")]
    access = [entry for entry in lines if entry["logger"] == "gunicorn.access"]
    assert any("GET /healthz" in entry["message"] for entry in access)
    assert sum("Booting worker" in entry["message"] for entry in lines) >= 2
