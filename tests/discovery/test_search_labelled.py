"""A labelled query set on the real catalog: which anime a search must put first (or near it).

Imports ../shared/data/catalog (19,430 entries) into the test database; skipped when absent.
Titles in English, romaji, Japanese and other scripts and titles with typos must come first;
themes, which only the synopsis and tags can answer, must come within the stated rank.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from kansou.cli import cli
from kansou.discovery.search import SearchFilters, search
from kansou.discovery.search.index import search_reindex

SHARED_CATALOG = Path(__file__).resolve().parents[2].parent / "shared/data/catalog"

# query -> (expected title, worst acceptable rank)
LABELLED = {
    "a silent voice": ("Koe no Katachi", 1),
    "koe no katachi": ("Koe no Katachi", 1),
    "聲の形": ("Koe no Katachi", 1),
    "koe no katchi": ("Koe no Katachi", 1),
    "your lie in april": ("Shigatsu wa Kimi no Uso", 1),
    "spirited away": ("Sen to Chihiro no Kamikakushi", 1),
    "進撃の巨人": ("Shingeki no Kyojin", 1),
    "attack on titan": ("Shingeki no Kyojin", 1),
    "shingeki no kyojn": ("Shingeki no Kyojin", 1),
    "cowbyo bebop": ("Cowboy Bebop", 1),
    "frieren": ("Sousou no Frieren", 1),
    "ルックバック": ("Look Back", 1),
    "fullmetal alchemist brotherhood": ("Fullmetal Alchemist: Brotherhood", 1),
    "evangelion": ("Shinseiki Evangelion", 1),
    "piano prodigy": ("Shigatsu wa Kimi no Uso", 1),
    "deaf girl bullied": ("Koe no Katachi", 1),
    "volleyball high school": ("Haikyuu!!", 1),
    "alchemist brothers": ("Fullmetal Alchemist: Brotherhood", 1),
    "bounty hunters in space": ("Cowboy Bebop", 3),
    "girls making an anime": ("Shirobako", 10),
    "grief drawing film": ("Look Back", 10),
}


@pytest.mark.django_db
@pytest.mark.shared_data
@pytest.mark.skipif(not SHARED_CATALOG.exists(), reason="../shared/data/catalog is absent")
def test_labelled_queries_rank_the_expected_anime_on_the_real_catalog():
    path = SHARED_CATALOG / "anime-catalog.jsonl.gz"
    result = CliRunner().invoke(cli, ["catalog", "import", str(path), "--quiet"])
    assert result.exit_code == 0, result.output
    search_reindex()
    misses = []
    for query, (title, worst) in LABELLED.items():
        hits = search(filters=SearchFilters(q=query), page_size=max(worst, 5)).hits
        found = [hit.title for hit in hits if hit.kind == "anime"]
        rank = found.index(title) + 1 if title in found else None
        if rank is None or rank > worst:
            misses.append(f"{query!r}: {title!r} at {rank}, wanted <= {worst}; got {found[:3]}")
    assert not misses, "\n".join(misses)
