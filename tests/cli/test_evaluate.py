"""``kansou evaluate`` as a user runs it, on a tiny two-taste data set (no database needed)."""

from __future__ import annotations

import json
import subprocess
import sys

import numpy as np
from click.testing import CliRunner

from kansou.cli import cli
from tests.catalog.aod_files import record, write_jsonl

MODELS = ["popular", "als", "ease", "ease+dropout", "content", "hybrid"]
COLD_MODELS = ["random", "score prior", "tag tf-idf", "content", "hybrid (content map)"]


def write_ratings(path, rows=None):
    rng = np.random.default_rng(0)
    if rows is None:
        rows = []
        for user in range(90):
            block = user % 3
            items = rng.choice(20, size=8, replace=False) + 1 + 20 * block
            rows += [(user, int(item), int(rng.integers(6, 11))) for item in items]
    path.write_text("user_id,mal_id,rating\n" + "".join(f"{u},{i},{r}\n" for u, i, r in rows))
    return path


def write_catalog(path):
    records = [
        record(mal, f"Anime {mal}", tags=[f"taste{(mal - 1) // 20}", "drama"])
        for mal in range(1, 64)
    ]
    return write_jsonl(path, records)


def run(*args):
    return CliRunner().invoke(cli, ["evaluate", *args], catch_exceptions=False)


def test_json_lists_every_model_with_its_metrics(tmp_path):
    ratings, catalog = write_ratings(tmp_path / "r.csv"), write_catalog(tmp_path / "c.jsonl")
    result = run("--ratings", str(ratings), "--catalog", str(catalog), "--json", "--seed", "3")
    assert result.exit_code == 0, result.output
    rows = json.loads(result.stdout)["warm"]
    assert [row["model"] for row in rows] == MODELS
    for row in rows:
        assert 0 <= row["recall"] <= 1 and 0 <= row["ndcg"] <= 1 and row["novelty"] >= 0
    by_model = {row["model"]: row for row in rows}
    assert by_model["ease"]["recall"] > by_model["popular"]["recall"]


def test_json_has_the_cold_start_table_beside_the_warm_one(tmp_path):
    ratings, catalog = write_ratings(tmp_path / "r.csv"), write_catalog(tmp_path / "c.jsonl")
    result = run("--ratings", str(ratings), "--catalog", str(catalog), "--json", "--seed", "3")
    cold = json.loads(result.stdout)["cold"]
    assert [row["model"] for row in cold] == COLD_MODELS
    assert all(row["cold_items"] == cold[0]["cold_items"] > 0 for row in cold)
    assert all(0 <= row["recall"] <= 1 and 0 <= row["ndcg"] <= 1 for row in cold)


def test_without_a_catalog_content_models_are_skipped(tmp_path):
    result = run("--ratings", str(write_ratings(tmp_path / "r.csv")), "--json")
    out = json.loads(result.stdout)
    assert [row["model"] for row in out["warm"]] == ["popular", "als", "ease", "ease+dropout"]
    assert out["cold"] == []


def test_the_table_and_report_are_written(tmp_path):
    ratings = write_ratings(tmp_path / "r.csv")
    result = run("--ratings", str(ratings), "--report", str(tmp_path / "report"))
    assert "Recall@20" in result.stdout and "NDCG@20" in result.stdout
    page = (tmp_path / "report" / "index.html").read_text()
    assert "metrics.png" in page and "<td>ease</td>" in page
    assert "Item cold start" not in page  # no catalog, no cold-start protocol
    assert (tmp_path / "report" / "metrics.png").stat().st_size > 1000


def test_a_bad_rating_is_named_by_file_line_and_field(tmp_path):
    path = tmp_path / "r.csv"
    path.write_text("user_id,mal_id,rating\n1,2,8\n1,3,great\n")
    result = CliRunner().invoke(cli, ["evaluate", "--ratings", str(path)])
    assert result.exit_code == 1
    assert "line 3: field 'rating'" in result.output and str(path) in result.output


def test_a_missing_column_is_named(tmp_path):
    path = tmp_path / "r.csv"
    path.write_text("user,mal_id,rating\n1,2,8\n")
    result = CliRunner().invoke(cli, ["evaluate", "--ratings", str(path)])
    assert "missing column(s) user_id" in result.output


def test_evaluate_never_sets_up_django(tmp_path):
    ratings = write_ratings(tmp_path / "r.csv")
    code = (
        "import sys\n"
        "from click.testing import CliRunner\n"
        "from kansou.cli import cli\n"
        f"result = CliRunner().invoke(cli, ['evaluate', '--ratings', {str(ratings)!r}, '--json'])\n"
        "assert result.exit_code == 0, result.output\n"
        "apps = sys.modules.get('django.apps')\n"
        "print(bool(apps and apps.apps.ready))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip().endswith("False")
