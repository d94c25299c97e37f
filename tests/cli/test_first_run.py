"""A new data folder: every command that reads the catalog migrates it and says what to run,
never a traceback ("no such table: catalog_anime")."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from kansou.cli import EMPTY_CATALOG


@pytest.mark.parametrize(
    "command",
    [
        ["catalog", "find", "look back"],
        ["similar", "look back"],
        ["search", "find", "girls in a band"],
        ["train"],
        ["recommend", "--mal-export", "{export}"],
    ],
    ids=lambda command: " ".join(command[:2]),
)
def test_a_new_data_folder_gets_a_message_not_a_traceback(tmp_path, command):
    export = tmp_path / "animelist.xml"
    export.write_text("<myanimelist></myanimelist>")
    env = {**os.environ, "KANSOU_DATA_DIR": str(tmp_path / "new"), "DATABASE_URL": ""}
    argv = [part.replace("{export}", str(export)) for part in command]
    result = subprocess.run(
        [sys.executable, "-m", "kansou", *argv], env=env, capture_output=True, text=True
    )
    assert result.returncode == 1
    assert EMPTY_CATALOG in result.stderr
    assert "Traceback" not in result.stderr and "no such table" not in result.stderr
