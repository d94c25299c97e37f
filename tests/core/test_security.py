"""Security headers on every page, and Django's deployment check in production settings."""

import os
import subprocess
import sys

import pytest

pytestmark = pytest.mark.django_db


def test_pages_forbid_inline_script_and_framing(client):
    response = client.get("/healthz")
    policy = response["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "unsafe-inline" not in policy
    assert "frame-ancestors 'none'" in policy
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"


def test_deploy_check_is_clean_in_production_settings(tmp_path):
    # The browser tests switch Django's async-safety check off for this process; a deployment
    # would not, so neither does the checked environment.
    inherited = {k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"}
    env = {
        **inherited,
        "KANSOU_DATA_DIR": str(tmp_path),
        "DATABASE_URL": "",
        "DEBUG": "0",
        "KANSOU_HTTPS": "1",
        "KANSOU_ALLOWED_HOSTS": "kansou.example.org",
    }
    result = subprocess.run(
        [sys.executable, "-m", "kansou", "manage", "check", "--deploy", "--fail-level", "WARNING"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize("configured", [None, ""], ids=["default", "empty"])
def test_debug_and_the_demo_never_answer_every_host(tmp_path, configured):
    env = {k: v for k, v in os.environ.items() if k != "KANSOU_ALLOWED_HOSTS"}
    env |= {"KANSOU_DATA_DIR": str(tmp_path), "DEBUG": "1"}
    if configured is not None:
        env["KANSOU_ALLOWED_HOSTS"] = configured
    code = "import kansou.settings as s; print(','.join(s.ALLOWED_HOSTS))"
    result = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=60
    )
    hosts = result.stdout.strip().split(",")
    assert result.returncode == 0, result.stderr
    assert "*" not in hosts and not any(h.startswith(".") for h in hosts)
    assert set(hosts) <= {"127.0.0.1", "localhost", "[::1]", "testserver", ""}
