"""What ``load_comments.py`` loads: one ``kansou serve`` node, the bare-Django insert app, or a
``scripts/cluster`` (PostgreSQL, Redis, nodes behind nginx). Each starts on loopback ports of its
own with data under ``/tmp/loadtest-*``, names the port clients use and the paths they write and
read, does its fault on ``kill()`` and stops every process it started on ``stop()``."""

from __future__ import annotations

import http.client
import json
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CLUSTER = ROOT / "scripts" / "cluster"
ERROR = '"level": "error"'  # a JSON log line of kansou.core.logs at level error


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def healthy(port: int) -> bool:
    try:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
        connection.request("GET", "/healthz")
        return connection.getresponse().status == 200
    except (OSError, http.client.HTTPException):
        return False


def node_workers(pid: int) -> list[int]:
    out = subprocess.run(["pgrep", "-P", str(pid)], capture_output=True, text=True).stdout
    return [int(child) for child in out.split()]


def running(pid: int) -> bool:
    """Alive and not a zombie (a zombie holds no sockets)."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().split(") ", 1)[1][0] != "Z"
    except (FileNotFoundError, IndexError):
        return False


def group_cpu_seconds(pgid: int) -> float:
    """CPU time (user + system) of every process in the process group ``pgid``, with the
    children they reaped (gunicorn's master reaps its workers, killed ones too)."""
    ticks = 0
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(") ", 1)[1].split()
        except (FileNotFoundError, IndexError, ProcessLookupError):
            continue
        if int(fields[2]) == pgid:  # fields[0] is the state: pgrp is the 5th field of stat
            ticks += sum(int(value) for value in fields[11:15])
    return ticks / os.sysconf("SC_CLK_TCK")


class Server:
    """One ``kansou serve`` (gunicorn, ``workers`` sync workers) on a port of its own."""

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
            if healthy(self.port):
                return
            time.sleep(0.2)
        self.stop()
        raise SystemExit("server did not start")

    def kill_worker(self) -> None:
        pids = node_workers(self.process.pid)
        if pids:
            os.kill(pids[0], signal.SIGKILL)

    def kill(self) -> None:
        os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait()

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()

    def errors(self) -> list[str]:
        return [line for line in self.log_path.read_text().splitlines() if ERROR in line]

    def cpu_seconds(self) -> float:
        return group_cpu_seconds(self.process.pid)


class NodeTarget:
    """Kansou on one node: writers post through the JSON API, readers read review pages.
    ``kill``: ``worker`` SIGKILLs one gunicorn worker (gunicorn starts another), ``server``
    the whole server, which is then started again."""

    label = "one node"
    needs_sessions = True

    def __init__(self, env: dict, workers: int, kill: str | None):
        self.env, self.kill_mode = env, kill
        self.server = Server(env, workers)

    @property
    def port(self) -> int:
        return self.server.port

    def start(self) -> None:
        self.server.start()

    def write_path(self, slug: str) -> str:
        return f"/api/reviews/{slug}/comments"

    def read_path(self, slug: str) -> str:
        return f"/reviews/{slug}/"

    def kill(self) -> str:
        if self.kill_mode == "worker":
            self.server.kill_worker()
            return "killed one worker"
        self.server.kill()
        self.server.start()
        return "killed the whole server and started it again"

    def stop(self) -> None:
        self.server.stop()

    def errors(self) -> list[str]:
        return self.server.errors()

    def cpu_seconds(self) -> float:
        """The server's CPU time so far (gunicorn and its workers)."""
        return self.server.cpu_seconds()


class BareTarget(NodeTarget):
    """The bare-Django baseline: ``benchmarks/plain_urls.py``'s insert view under
    ``plain_insert_settings`` (no middleware), same gunicorn and workers; readers read
    ``/plain/``."""

    label = "bare Django insert view"
    needs_sessions = False

    def __init__(self, env: dict, workers: int, kill: str | None):
        super().__init__(env, workers, kill)  # self.env: Kansou's, for setting up and checking
        self.server.env = {**env, "DJANGO_SETTINGS_MODULE": "benchmarks.plain_insert_settings"}

    def write_path(self, slug: str) -> str:
        return f"/plain/comments/{slug}"

    def read_path(self, slug: str) -> str:
        return "/plain/"


class ClusterTarget(NodeTarget):
    """``scripts/cluster``: PostgreSQL, Redis, ``nodes`` nodes of ``workers`` workers each and
    nginx (``deploy/nginx.conf``), in a ``/tmp/loadtest-cluster-*`` folder; clients go through
    nginx. ``kill``: SIGKILL every process of one node (its gunicorn and workers) half-way."""

    label = "nodes via nginx"

    def __init__(self, env: dict, workers: int, nodes: int):
        self.folder = Path(tempfile.mkdtemp(prefix="loadtest-cluster-", dir="/tmp"))
        self.env_in, self.workers, self.nodes = env, workers, nodes
        self.process: subprocess.Popen | None = None
        self.state: dict = {}
        self.env: dict = {}
        self.label = f"{nodes} nodes via nginx"

    def start(self) -> None:
        env = {k: v for k, v in self.env_in.items() if k not in ("DATABASE_URL", "KANSOU_DATA_DIR")}
        self.process = subprocess.Popen(
            [sys.executable, str(CLUSTER), "start", "--dir", str(self.folder), "--nodes",
             str(self.nodes), "--workers", str(self.workers), "--port", "0", "--demo"],
            env=env, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True,
            start_new_session=True,
        )  # fmt: skip
        line = self.process.stdout.readline()  # "Kansou cluster at URL …" once everything is up
        if not line.startswith("Kansou cluster at"):
            self.stop()
            raise SystemExit(f"cluster did not start: see {self.folder}/*.log")
        self.state = json.loads((self.folder / "cluster.json").read_text())
        shared = dict(
            line.split("=", 1)
            for line in (self.folder / "cluster.env").read_text().splitlines()
            if "=" in line
        )
        node_dir = self.state["nodes"][0]["data_dir"]
        self.env = {**env, **shared, "KANSOU_DATA_DIR": node_dir}

    @property
    def port(self) -> int:
        return self.state["nginx"]["port"]

    def kill(self) -> str:
        """SIGKILL the last node's process group; back once none of it runs any more (its
        sockets closed), so that requests sent from then on never reached it."""
        node = self.state["nodes"][-1]
        pids = [node["pid"], *node_workers(node["pid"])]
        os.killpg(node["pid"], signal.SIGKILL)
        deadline = time.monotonic() + 10
        while any(running(pid) for pid in pids) and time.monotonic() < deadline:
            time.sleep(0.001)
        return f"SIGKILLed {node['name']} (gunicorn and its {len(pids) - 1} workers)"

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)  # the supervisor stops what it started
            try:
                self.process.wait(timeout=90)
            except subprocess.TimeoutExpired:
                subprocess.run([sys.executable, str(CLUSTER), "stop", "--dir", str(self.folder)])
        subprocess.run(["rm", "-rf", str(self.folder)], check=False)

    def cpu_seconds(self) -> float:
        """The nodes' CPU time so far (a killed node's until it died is lost: a lower bound)."""
        return sum(group_cpu_seconds(node["pid"]) for node in self.state["nodes"])

    def errors(self) -> list[str]:
        lines = []
        for node in self.state.get("nodes", []):
            log = self.folder / f"{node['name']}.log"
            if log.exists():
                lines += [line for line in log.read_text().splitlines() if ERROR in line]
        return lines
