"""Writing records into the catalog: the idempotent, transactional upsert."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time

import pytest

from kansou.catalog.importers.offline_db import open_catalog
from kansou.catalog.models import Anime, AnimeTag, AnimeTitle, ExternalId, Relation
from kansou.catalog.services.importing import catalog_import
from tests.catalog.aod_files import record, write_jsonl

pytestmark = pytest.mark.django_db


def import_file(path, **options):
    return catalog_import(records=open_catalog(path).records(), **options)


def row_counts() -> dict:
    return {m.__name__: m.objects.count() for m in (Anime, AnimeTitle, AnimeTag, ExternalId)}


def test_first_import_creates_every_entry_with_titles_tags_and_sources(tmp_path):
    path = write_jsonl(tmp_path / "db.jsonl", [record(1, "Alpha"), record(2, "Beta")])
    summary = import_file(path)
    assert (summary.created, summary.updated, summary.unchanged, summary.rejected) == (2, 0, 0, 0)
    alpha = Anime.objects.get(title="Alpha")
    assert alpha.episodes == 12 and alpha.year == 2016 and alpha.season == "SPRING"
    assert sorted(alpha.titles.values_list("text", flat=True)) == ["Alpha", "Alpha (English)"]
    assert sorted(alpha.anime_tags.values_list("tag__name", flat=True)) == ["drama", "school"]
    assert list(alpha.anime_companies.values_list("company__name", "role")) == [
        ("kyoto animation", "studio")
    ]
    assert dict(alpha.external_ids.values_list("site", "external_id")) == {
        "anilist": "100001",
        "myanimelist": "1",
    }


def test_reimport_changes_nothing_and_reports_everything_unchanged(tmp_path):
    path = write_jsonl(tmp_path / "db.jsonl", [record(1, "Alpha"), record(2, "Beta")])
    import_file(path)
    before = row_counts()
    stamps = dict(Anime.objects.values_list("pk", "updated_at"))
    summary = import_file(path)
    assert (summary.created, summary.updated, summary.unchanged) == (0, 0, 2)
    assert row_counts() == before
    assert dict(Anime.objects.values_list("pk", "updated_at")) == stamps


def test_updated_entry_is_updated_in_place_never_duplicated(tmp_path):
    import_file(write_jsonl(tmp_path / "v1.jsonl", [record(1, "Alpha")]))
    original = Anime.objects.get()
    changed = record(1, "Alpha", episodes=24, tags=["drama", "music"], synonyms=["Alpha!"])
    summary = import_file(write_jsonl(tmp_path / "v2.jsonl", [changed]))
    assert (summary.created, summary.updated) == (0, 1)
    anime = Anime.objects.get()
    assert anime.pk == original.pk and anime.episodes == 24
    assert sorted(anime.anime_tags.values_list("tag__name", flat=True)) == ["drama", "music"]
    assert sorted(anime.titles.values_list("text", flat=True)) == ["Alpha", "Alpha!"]


def test_entry_gaining_a_new_source_url_is_matched_by_its_known_one(tmp_path):
    import_file(write_jsonl(tmp_path / "v1.jsonl", [record(1, "Alpha")]))
    grown = record(1, "Alpha")
    grown["sources"].append("https://kitsu.app/anime/55")
    summary = import_file(write_jsonl(tmp_path / "v2.jsonl", [grown]))
    assert summary.updated == 1 and Anime.objects.count() == 1
    assert ExternalId.objects.filter(site="kitsu", external_id="55").exists()


def test_duplicate_sources_in_one_file_are_rejected_naming_the_first_record(tmp_path):
    twin = record(1, "Alpha again")
    path = write_jsonl(tmp_path / "db.jsonl", [record(1, "Alpha"), record(2, "Beta"), twin])
    rejected = []
    summary = import_file(path, on_reject=rejected.append)
    assert (summary.created, summary.rejected) == (2, 1)
    assert rejected[0].location == "line 4" and rejected[0].field == "sources"
    assert "line 2" in rejected[0].reason
    assert not Anime.objects.filter(title="Alpha again").exists()


def test_duplicate_sources_across_batches_are_rejected_too(tmp_path):
    entries = [record(i, f"T{i}") for i in range(1, 6)] + [record(2, "Copy of T2")]
    summary = import_file(write_jsonl(tmp_path / "db.jsonl", entries), batch_size=2)
    assert (summary.created, summary.rejected) == (5, 1)
    assert "line 3" in summary.rejections[0].reason


def test_record_whose_sources_belong_to_two_entries_is_rejected_not_merged(tmp_path):
    import_file(write_jsonl(tmp_path / "v1.jsonl", [record(1, "Alpha"), record(2, "Beta")]))
    merged = record(1, "Alpha+Beta")
    merged["sources"] += ["https://myanimelist.net/anime/2"]
    summary = import_file(write_jsonl(tmp_path / "v2.jsonl", [merged]))
    assert summary.rejected == 1 and "different entries" in summary.rejections[0].reason
    assert sorted(Anime.objects.values_list("title", flat=True)) == ["Alpha", "Beta"]


def test_invalid_records_are_counted_and_the_rest_imports(tmp_path):
    path = write_jsonl(tmp_path / "db.jsonl", [record(1, "A"), "{oops", record(2, "B", type="X")])
    summary = import_file(path)
    assert (summary.created, summary.rejected) == (1, 2)
    assert [r.location for r in summary.rejections] == ["line 3", "line 4"]


def test_relations_point_at_entries_that_come_later_in_the_file(tmp_path):
    sequel_url = "https://myanimelist.net/anime/2"
    path = write_jsonl(
        tmp_path / "db.jsonl",
        [
            record(1, "Alpha", relatedAnime=[sequel_url, "https://anidb.net/anime/999"]),
            record(2, "Alpha 2"),
        ],
    )
    import_file(path, batch_size=1)
    links = dict(Relation.objects.values_list("target_url", "target__title"))
    assert links == {sequel_url: "Alpha 2", "https://anidb.net/anime/999": None}


def test_progress_callback_sees_running_totals(tmp_path):
    path = write_jsonl(tmp_path / "db.jsonl", [record(i, f"T{i}") for i in range(1, 8)])
    seen = []
    import_file(path, batch_size=3, on_batch=lambda s: seen.append(s.total))
    assert seen == [3, 6, 7]


# Where the import is killed: after this many whole batches (two seeded random points).
KILL_AFTER_BATCHES = [int(n) for n in __import__("random").Random(18).sample(range(2, 40), 2)]


@pytest.mark.parametrize("kill_after", KILL_AFTER_BATCHES)
def test_a_killed_import_leaves_whole_entries_and_a_rerun_completes_it(tmp_path, kill_after):
    """Batches are transactions: after SIGKILL every entry has all its rows and its search
    document, none is partial, and the rerun leaves every entry findable."""
    total, batch = 6000, 50
    path = write_jsonl(
        tmp_path / "big.jsonl", [record(i, f"Title {i}") for i in range(1, total + 1)]
    )
    env = {**os.environ, "KANSOU_DATA_DIR": str(tmp_path / "data"), "DATABASE_URL": ""}
    command = [
        sys.executable,
        "-m",
        "kansou",
        "catalog",
        "import",
        str(path),
        "--batch-size",
        str(batch),
        "--quiet",
    ]
    database = tmp_path / "data" / "kansou.sqlite3"
    process = subprocess.Popen(
        command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    deadline = time.monotonic() + 120
    written = 0
    while time.monotonic() < deadline and process.poll() is None:
        written = _count(database, "catalog_anime")
        if written >= kill_after * batch:
            break
        time.sleep(0.01)
    process.send_signal(signal.SIGKILL)
    process.wait()
    assert 0 < written < total, "the import must be killed mid-way for this test to mean anything"

    anime = _count(database, "catalog_anime")
    assert anime % batch == 0
    assert _count(database, "catalog_externalid") == 2 * anime
    assert _count(database, "catalog_animetitle") == 2 * anime
    assert _count(database, "catalog_animetag") == 2 * anime
    assert _count(database, "discovery_searchdocument") == anime
    with sqlite3.connect(database) as db:
        assert db.execute("PRAGMA integrity_check").fetchone() == ("ok",)

    rerun = subprocess.run(command, env=env, capture_output=True, text=True, timeout=300)
    assert rerun.returncode == 0, rerun.stderr
    assert f"{total - anime} created, 0 updated, {anime} unchanged, 0 rejected" in rerun.stdout
    assert _count(database, "catalog_anime") == total
    assert _count(database, "discovery_searchdocument") == total


def _count(database, table: str) -> int:
    if not database.exists():
        return 0
    try:
        with sqlite3.connect(f"file:{database}?mode=ro", uri=True, timeout=5) as db:
            return db.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
    except sqlite3.OperationalError:  # the table is not migrated yet
        return 0


def test_a_huge_title_and_nul_bytes_do_not_break_the_batch(tmp_path):
    """PostgreSQL refuses NUL and a title over its column: one record used to sink a batch."""
    entries = [
        json.dumps(record(1, "x" * 100_000)),
        json.dumps(record(2, "Nul\x00l", synonyms=["\ud800Lone"], synopsis="A\x00b")),
        json.dumps(record(3, "Fine")),
    ]
    summary = import_file(write_jsonl(tmp_path / "db.jsonl", entries))
    assert (summary.created, summary.rejected) == (2, 1)
    assert (summary.rejections[0].location, summary.rejections[0].field) == ("line 2", "title")
    stripped = Anime.objects.get(title="Null")
    assert stripped.synopsis == "Ab"
    assert sorted(stripped.titles.values_list("text", flat=True)) == ["Lone", "Null"]
