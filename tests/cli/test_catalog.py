"""``kansou catalog import`` and ``kansou catalog find`` as a user runs them."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from kansou.catalog.models import Anime
from kansou.cli import cli
from tests.catalog.aod_files import record, write_jsonl
from tests.catalog.factories import AnimeFactory

pytestmark = pytest.mark.django_db
SHARED_CATALOG = Path(__file__).resolve().parents[2].parent / "shared/data/catalog"


def run(*args: str):
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


def test_import_prints_a_summary_and_exits_0_when_nothing_was_rejected(tmp_path):
    path = write_jsonl(tmp_path / "db.jsonl", [record(1, "Alpha"), record(2, "Beta")])
    result = run("catalog", "import", str(path), "--quiet")
    assert result.exit_code == 0
    assert "2 records: 2 created, 0 updated, 0 unchanged, 0 rejected" in result.output
    again = run("catalog", "import", str(path), "--quiet")
    assert "2 records: 0 created, 0 updated, 2 unchanged, 0 rejected" in again.output


def test_import_exits_1_and_names_each_rejected_record(tmp_path):
    bad = record(2, "Beta", episodes="many")
    path = write_jsonl(tmp_path / "db.jsonl", [record(1, "Alpha"), bad])
    result = run("catalog", "import", str(path), "--quiet")
    assert result.exit_code == 1
    assert "line 3: field 'episodes': expected a whole number" in result.output
    assert "1 created, 0 updated, 0 unchanged, 1 rejected" in result.output
    assert Anime.objects.filter(title="Alpha").exists()


def test_import_exits_2_when_the_file_is_unreadable(tmp_path):
    path = tmp_path / "notes.txt"
    path.write_text("hello\n")
    result = run("catalog", "import", str(path), "--quiet")
    assert result.exit_code == 2
    assert "not an anime-offline-database file" in result.output


def test_import_exits_2_for_a_missing_file(tmp_path):
    result = run("catalog", "import", str(tmp_path / "missing.jsonl"), "--quiet")
    assert result.exit_code == 2 and "no such file" in result.output


def test_find_lists_matches_as_json(tmp_path):
    entries = [
        record(1, "Koe no Katachi", synonyms=["A Silent Voice", "聲の形"], type="MOVIE"),
        record(2, "Kimi no Na wa.", synonyms=["Your Name."], type="MOVIE"),
        record(3, "Koe de Oshigoto!", synonyms=[], type="OVA"),
    ]
    run("catalog", "import", str(write_jsonl(tmp_path / "db.jsonl", entries)), "--quiet")
    result = run("catalog", "find", "a silent voise", "--json", "--limit", "2")
    found = json.loads(result.output)
    assert found[0]["title"] == "Koe no Katachi"
    assert found[0]["matched_title"] == "A Silent Voice"
    assert {"id", "title", "type", "year", "score", "sources"} <= found[0].keys()
    assert "https://myanimelist.net/anime/1" in found[0]["sources"]
    assert len(found) <= 2


def test_find_says_so_when_nothing_matches():
    AnimeFactory(title="Something Else")
    result = run("catalog", "find", "zzzzqqqq")
    assert "No anime matches" in result.output


@pytest.mark.shared_data
@pytest.mark.skipif(not SHARED_CATALOG.exists(), reason="../shared/data/catalog is absent")
def test_real_catalog_lookup_finds_well_known_titles_first():
    """On the real 19,430-title catalog, common ways of naming an anime find it first."""
    result = run("catalog", "import", str(SHARED_CATALOG / "anime-catalog.jsonl.gz"), "--quiet")
    assert result.exit_code == 0, result.output
    assert "19430 records: 19430 created" in result.output
    expected = {
        "a silent voice": "Koe no Katachi",
        "koe no katachi": "Koe no Katachi",
        "A Silent Voise": "Koe no Katachi",
        "kimi no na wa": "Kimi no Na wa.",
        "your name": "Kimi no Na wa.",
        "erased": "Boku dake ga Inai Machi",
        "ルックバック": "Look Back",
        "cowboy bebob": "Cowboy Bebop",
        "frieren": "Sousou no Frieren",
        "fullmetal alchemist brotherhood": "Fullmetal Alchemist: Brotherhood",
    }
    for query, title in expected.items():
        found = json.loads(run("catalog", "find", query, "--json", "--limit", "1").output)
        assert found and found[0]["title"] == title, (query, found)
