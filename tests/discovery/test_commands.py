"""``kansou train``, ``kansou similar`` and ``kansou recommend`` (kansou/cli/train.py, recommend.py)
as a user runs them."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from kansou.cli import cli
from tests.community.mal_files import anime as mal_anime
from tests.community.mal_files import mal_xml
from tests.discovery.recs_data import write_ratings

pytestmark = pytest.mark.django_db


def run(*args: str):
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


def test_train_reports_what_it_trained(catalog, models_dir, tmp_path):
    result = run("train", "--ratings", str(write_ratings(tmp_path / "r.csv")))
    assert result.exit_code == 0, result.output
    assert "Trained hybrid on 12 anime, 24 users" in result.output
    assert "12 ratings not in the catalog" in result.output


def test_train_names_the_bad_line(catalog, models_dir, tmp_path):
    path = tmp_path / "r.csv"
    path.write_text("user_id,mal_id,rating\n1,abc,9\n")
    result = CliRunner().invoke(cli, ["train", "--ratings", str(path)])
    assert result.exit_code == 1 and "line 2: field 'mal_id'" in result.output


def test_similar_json_shape(trained):
    result = run("similar", "Puzzle Box", "--k", "3", "--json")
    data = json.loads(result.output)
    assert len(data) == 3
    for item in data:
        assert {"id", "title", "score", "reasons"} <= set(item)
        assert all(isinstance(reason, str) for reason in item["reasons"])


def test_similar_of_nothing_is_an_error(trained):
    result = CliRunner().invoke(cli, ["similar", "#999999"])
    assert result.exit_code == 1 and "no anime matches" in result.output


def test_recommend_from_a_mal_export(trained, tmp_path):
    path = tmp_path / "animelist.xml"
    path.write_bytes(mal_xml(mal_anime(1, my_score="10"), mal_anime(2, my_score="9")))
    result = run("recommend", "--mal-export", str(path), "--type", "TV", "--json")
    data = json.loads(result.output)
    assert data and {d["id"] for d in data}.isdisjoint({trained[1].pk, trained[2].pk})
    assert all(d["type"] == "TV" and d["reasons"] for d in data)
