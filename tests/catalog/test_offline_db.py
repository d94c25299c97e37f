"""Reading anime-offline-database files: formats, validation messages, unreadable files."""

from __future__ import annotations

import gzip
import json

import pytest

from kansou.catalog.importers.offline_db import (
    AnimeRecord,
    Rejected,
    UnreadableFile,
    open_catalog,
)
from tests.catalog.aod_files import record, write_document, write_jsonl


def read(path) -> list:
    return [parsed for _, parsed in open_catalog(path).records()]


@pytest.mark.parametrize("gz", [False, True])
def test_jsonl_with_metadata_line_yields_records_and_metadata(tmp_path, gz):
    path = write_jsonl(tmp_path / "db.jsonl", [record(1, "Alpha"), record(2, "Beta")], gz=gz)
    source = open_catalog(path)
    records = [parsed for _, parsed in source.records()]
    assert [r.title for r in records] == ["Alpha", "Beta"]
    assert source.metadata["lastUpdate"] == "2026-01-01"


@pytest.mark.parametrize("gz", [False, True])
def test_upstream_json_document_is_read_as_a_stream(tmp_path, gz):
    path = write_document(tmp_path / "db.json", [record(1, "Alpha"), record(2, "Beta")], gz=gz)
    source = open_catalog(path)
    assert [r.title for _, r in source.records()] == ["Alpha", "Beta"]
    assert source.metadata["repository"].endswith("anime-offline-database")


def test_format_is_told_by_content_not_by_file_name(tmp_path):
    path = write_jsonl(tmp_path / "catalog.json", [record(1, "Alpha")], gz=True)
    assert [r.title for r in read(path)] == ["Alpha"]


def test_record_fields_are_mapped_to_kansou_terms(tmp_path):
    entry = record(
        7,
        "Koe no Katachi",
        type="MOVIE",
        episodes=1,
        synopsis=" A story. ",
        score={"arithmeticGeometricMean": 8.8, "arithmeticMean": 8.8, "median": 8.8},
    )
    (parsed,) = read(write_jsonl(tmp_path / "db.jsonl", [entry]))
    assert isinstance(parsed, AnimeRecord)
    assert parsed.kind == "MOVIE"
    assert parsed.season == "SPRING" and parsed.year == 2016
    assert parsed.duration_seconds == 1440
    assert parsed.synopsis == "A story."
    assert parsed.score == 8.8
    assert parsed.sources == ("https://anilist.co/anime/100007", "https://myanimelist.net/anime/7")


def test_unknown_extra_fields_are_ignored(tmp_path):
    entry = record(1, "Alpha", popularity=12, trailer={"site": "x"})
    (parsed,) = read(write_jsonl(tmp_path / "db.jsonl", [entry]))
    assert isinstance(parsed, AnimeRecord)


def test_digest_changes_when_content_changes_and_only_then(tmp_path):
    same = read(write_jsonl(tmp_path / "a.jsonl", [record(1, "Alpha"), record(1, "Alpha")]))
    changed = read(write_jsonl(tmp_path / "b.jsonl", [record(1, "Alpha", episodes=13)]))
    assert same[0].digest == same[1].digest
    assert changed[0].digest != same[0].digest


def test_malformed_json_line_is_rejected_with_its_line_and_reading_goes_on(tmp_path):
    path = write_jsonl(
        tmp_path / "db.jsonl", [record(1, "Alpha"), '{"title": "Broken",', record(2, "Beta")]
    )
    results = read(path)
    assert [r.title for r in results if isinstance(r, AnimeRecord)] == ["Alpha", "Beta"]
    (bad,) = [r for r in results if isinstance(r, Rejected)]
    assert bad.location == "line 3"
    assert "invalid JSON" in bad.reason


@pytest.mark.parametrize(
    ("change", "field", "reason"),
    [
        ({"episodes": "twelve"}, "episodes", 'expected a whole number, got "twelve"'),
        ({"episodes": -1}, "episodes", "expected a number from 0"),
        ({"episodes": 2.5}, "episodes", "expected a whole number"),
        ({"type": "SERIES"}, "type", 'got "SERIES"'),
        ({"status": None}, "status", "got null"),
        ({"title": ""}, "title", "expected a non-empty string"),
        ({"title": 42}, "title", "expected a non-empty string, got 42"),
        ({"animeSeason": {"season": "AUTUMN", "year": 2016}}, "animeSeason.season", "AUTUMN"),
        ({"animeSeason": {"season": "FALL", "year": "2016"}}, "animeSeason.year", "whole number"),
        ({"sources": []}, "sources", "at least one source URL"),
        ({"sources": "https://myanimelist.net/anime/1"}, "sources", "expected a list"),
        ({"sources": ["ftp://x/anime/1"]}, "sources", "http(s) URL"),
        ({"tags": ["drama", 3]}, "tags", "list of strings"),
        ({"picture": "not a url"}, "picture", "http(s) URL"),
        ({"duration": {"value": 30, "unit": "MINUTES"}}, "duration.unit", "SECONDS"),
        ({"score": {"arithmeticMean": 11}}, "score.arithmeticMean", "from 0 to 10"),
        ({"synopsis": ["a"]}, "synopsis", "expected a string"),
    ],
)
def test_wrong_types_and_values_are_rejected_naming_the_field(tmp_path, change, field, reason):
    entry = record(1, "Alpha")
    entry.update(change)
    path = write_jsonl(tmp_path / "db.jsonl", [entry, record(2, "Beta")])
    bad, good = read(path)
    assert isinstance(bad, Rejected), bad
    assert (bad.location, bad.field) == ("line 2", field)
    assert reason in bad.reason
    assert isinstance(good, AnimeRecord)


@pytest.mark.parametrize("missing", ["sources", "title", "type", "episodes", "animeSeason", "tags"])
def test_missing_required_field_is_rejected(tmp_path, missing):
    entry = record(1, "Alpha")
    del entry[missing]
    (bad,) = read(write_jsonl(tmp_path / "db.jsonl", [entry]))
    assert (bad.field, bad.reason) == (missing, "required field is missing")


def test_a_record_that_is_not_an_object_is_rejected(tmp_path):
    (bad,) = read(write_jsonl(tmp_path / "db.jsonl", ["[1, 2]"]))
    assert bad.field == "(record)" and "expected an object" in bad.reason


def test_document_items_are_located_by_index(tmp_path):
    path = write_document(
        tmp_path / "db.json", [record(1, "Alpha"), record(2, "Beta", episodes=None)]
    )
    good, bad = read(path)
    assert bad.location == "data[1]" and bad.field == "episodes"


def test_truncated_gzip_is_an_unreadable_file_after_the_records_before_it(tmp_path):
    full = write_jsonl(
        tmp_path / "db.jsonl.gz", [record(i, f"Title {i}") for i in range(1, 400)], gz=True
    )
    cut = tmp_path / "cut.jsonl.gz"
    cut.write_bytes(full.read_bytes()[: full.stat().st_size // 2])
    seen = []
    with pytest.raises(UnreadableFile, match="cut short"):
        for _, parsed in open_catalog(cut).records():
            seen.append(parsed)
    assert 0 < len(seen) < 399
    assert all(isinstance(r, AnimeRecord) for r in seen)


def test_garbage_is_an_unreadable_file(tmp_path):
    path = tmp_path / "notes.txt"
    path.write_text("these are my notes\nnot json\n")
    with pytest.raises(UnreadableFile, match="not an anime-offline-database file|invalid JSON"):
        read(path)


def test_json_without_data_array_is_an_unreadable_file(tmp_path):
    path = tmp_path / "db.json"
    path.write_text('{\n  "license": "x",\n  "entries": []\n}\n')
    with pytest.raises(UnreadableFile, match='no top-level "data" array'):
        read(path)


def test_broken_json_document_is_unreadable_and_says_where(tmp_path):
    path = write_document(tmp_path / "db.json", [record(1, "Alpha"), record(2, "Beta")])
    text = path.read_text()
    path.write_text(text[: text.index('"Beta"')] + "{{{")
    with pytest.raises(UnreadableFile, match=r"invalid JSON after data\[0\]"):
        read(path)


def test_missing_file_is_unreadable(tmp_path):
    with pytest.raises(UnreadableFile, match="no such file"):
        open_catalog(tmp_path / "nope.jsonl")


def test_not_gzip_inside_gz_name_still_reads(tmp_path):
    path = tmp_path / "db.jsonl.gz"
    write_jsonl(path, [record(1, "Alpha")])
    assert [r.title for r in read(path)] == ["Alpha"]


def test_a_line_that_is_not_utf8_is_rejected(tmp_path):
    path = tmp_path / "db.jsonl.gz"
    path.write_bytes(gzip.compress(b'{"lastUpdate": "x"}\n\xff\xfe\xfa\n'))
    (bad,) = read(path)
    assert bad.location == "line 2" and "not UTF-8" in bad.reason


@pytest.mark.parametrize(
    ("change", "field", "reason"),
    [
        ({"title": "x" * 100_000}, "title", "longer than 500 characters (100,000)"),
        ({"title": "\ufdfa" * 30}, "title", "longer than 500 characters once normalised"),
        ({"synonyms": ["y" * 501]}, "synonyms", "longer than 500 characters"),
        ({"studios": ["s" * 201]}, "studios", "longer than 200 characters"),
        ({"producers": ["p" * 201]}, "producers", "longer than 200 characters"),
        ({"tags": ["t" * 101]}, "tags", "longer than 100 characters"),
        ({"picture": "https://cdn.example.org/\x00.jpg"}, "picture", "control character"),
        ({"sources": ["https://myanimelist.net/anime/1 x"]}, "sources", "space or control"),
    ],
)
def test_text_too_long_for_its_column_is_rejected_not_sent_to_the_database(
    tmp_path, change, field, reason
):
    """A 100,000-character title went into a batch PostgreSQL then refused whole."""
    entry = record(1, "Alpha")
    entry.update(change)
    bad, good = read(write_jsonl(tmp_path / "db.jsonl", [entry, record(2, "Beta")]))
    assert isinstance(bad, Rejected), bad
    assert (bad.location, bad.field) == ("line 2", field)
    assert reason in bad.reason
    assert isinstance(good, AnimeRecord)


def test_control_characters_and_lone_surrogates_are_stripped_from_text(tmp_path):
    """NUL and lone surrogates would fail the batch's INSERT; tab and newline are kept."""
    entry = record(1, "Al\x00pha\ud800", synonyms=["\x1b[31mRed\x7f", "\x00"],
                   studios=["A\x85 studio"], tags=["drama\x00"],
                   synopsis="Line one.\nLine\ttwo.\r\x00")  # fmt: skip
    (parsed,) = read(write_jsonl(tmp_path / "db.jsonl", [json.dumps(entry)]))  # "\ud800" escaped
    assert isinstance(parsed, AnimeRecord), parsed
    assert parsed.title == "Alpha"
    assert parsed.synonyms == ("[31mRed",)
    assert parsed.studios == ("A studio",) and parsed.tags == ("drama",)
    assert parsed.synopsis == "Line one.\nLine\ttwo."
