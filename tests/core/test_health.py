import json

import pytest

from kansou.core.logs import JsonFormatter

pytestmark = pytest.mark.django_db


def test_health_reports_ok_and_the_database(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json()["status"] == "ok"
    assert "no-cache" in response["Cache-Control"]


def test_log_lines_are_json_objects_with_extra_fields():
    import logging

    record = logging.makeLogRecord(
        {"msg": "imported %d", "args": (3,), "levelname": "INFO", "name": "kansou", "batch": 7}
    )
    entry = json.loads(JsonFormatter().format(record))
    assert entry["message"] == "imported 3" and entry["level"] == "info"
    assert entry["batch"] == 7
