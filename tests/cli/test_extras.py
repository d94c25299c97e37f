"""Optional features name the extra to install instead of failing with ModuleNotFoundError."""

from __future__ import annotations

import importlib.util

from click.testing import CliRunner

from kansou.cli import cli


def test_evaluate_without_its_extra_says_what_to_install(tmp_path, monkeypatch):
    real = importlib.util.find_spec
    monkeypatch.setattr(
        importlib.util, "find_spec", lambda name, *a: None if name == "implicit" else real(name, *a)
    )
    ratings = tmp_path / "r.csv"
    ratings.write_text("user_id,mal_id,rating\n1,2,8\n")
    result = CliRunner().invoke(cli, ["evaluate", "--ratings", str(ratings)])
    assert result.exit_code == 1
    assert "pip install 'kansou[evaluate]'" in result.output
    assert "Traceback" not in result.output
