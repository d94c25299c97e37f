"""Tiny anime-offline-database files for tests: records built from a few keywords."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

METADATA = {
    "$schema": "https://example.org/anime-offline-database.jsonl.schema.json",
    "license": {"name": "ODbL-1.0", "url": "https://opendatacommons.org/licenses/odbl/1-0/"},
    "repository": "https://github.com/manami-project/anime-offline-database",
    "lastUpdate": "2026-01-01",
}


def record(mal_id: int, title: str, **fields) -> dict:
    """A valid entry keyed by a MyAnimeList and an AniList URL."""
    entry = {
        "sources": [
            f"https://anilist.co/anime/{mal_id + 100000}",
            f"https://myanimelist.net/anime/{mal_id}",
        ],
        "title": title,
        "type": "TV",
        "episodes": 12,
        "status": "FINISHED",
        "animeSeason": {"season": "SPRING", "year": 2016},
        "picture": f"https://cdn.example.org/{mal_id}.jpg",
        "thumbnail": f"https://cdn.example.org/{mal_id}-small.jpg",
        "duration": {"value": 1440, "unit": "SECONDS"},
        "synonyms": [f"{title} (English)"],
        "studios": ["kyoto animation"],
        "producers": [],
        "relatedAnime": [],
        "tags": ["drama", "school"],
    }
    entry.update(fields)
    return entry


def write_jsonl(path: Path, entries: list, *, gz: bool = False, metadata: bool = True) -> Path:
    """Write entries as JSON Lines (dicts are encoded; strings are written as raw lines)."""
    lines = [json.dumps(METADATA)] if metadata else []
    lines += [e if isinstance(e, str) else json.dumps(e, ensure_ascii=False) for e in entries]
    data = ("\n".join(lines) + "\n").encode()
    if gz:
        path.write_bytes(gzip.compress(data))
    else:
        path.write_bytes(data)
    return path


def write_document(path: Path, entries: list, *, gz: bool = False) -> Path:
    """Write the upstream JSON document form, pretty-printed as upstream does."""
    data = json.dumps({**METADATA, "data": entries}, indent=2, ensure_ascii=False).encode()
    path.write_bytes(gzip.compress(data) if gz else data)
    return path
