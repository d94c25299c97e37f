"""Fixtures for commands run as real processes."""

from __future__ import annotations

import os
import uuid

import pytest


@pytest.fixture
def database_env(tmp_path):
    """Environment for a throwaway database of the same engine the suite runs on."""
    url = os.environ.get("DATABASE_URL", "")
    env = {**os.environ, "KANSOU_DATA_DIR": str(tmp_path / "data"), "DATABASE_URL": ""}
    if not url.startswith("postgres"):
        yield env
        return
    psycopg = pytest.importorskip("psycopg")
    name = f"kansou_backup_{uuid.uuid4().hex[:8]}"
    admin_url = url.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin_url, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    yield {**env, "DATABASE_URL": url.rsplit("/", 1)[0] + f"/{name}"}
    with psycopg.connect(admin_url, autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
