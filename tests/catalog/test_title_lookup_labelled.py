"""A labelled set of title lookups: the anime a person means must come first.

Each query is what someone types into the catalog search, the admin's anime picker or
``kansou catalog find``: a title as written, an English or romaji synonym, an abbreviation, the
first word or two, a typo, Japanese. Checked on the shipped sample (every query whose anime it
holds, at least 40) and on the real catalog (``../shared/data/catalog``, skipped when absent).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from kansou.catalog.importers.offline_db import open_catalog
from kansou.catalog.models import Anime
from kansou.catalog.selectors import anime_find
from kansou.catalog.services.importing import catalog_import

SAMPLE = Path(__file__).resolve().parents[2] / "kansou/catalog/sample/anime-sample.jsonl.gz"
SHARED_CATALOG = Path(__file__).resolve().parents[2].parent / "shared/data/catalog"

# query -> the anime's main title, which must come first
LABELLED = {
    # as written, and folded
    "K-On!": "K-On!",  # not K-On!! (its second season folds the same)
    "k-on": "K-On!",
    "look back": "Look Back",
    "Koe no Katachi": "Koe no Katachi",
    "kimi no na wa": "Kimi no Na wa.",
    "shirobako": "Shirobako",
    "cowboy bebop": "Cowboy Bebop",
    "violet evergarden": "Violet Evergarden",
    "tokyo ghoul": "Tokyo Ghoul",
    "death note": "Death Note",
    "clannad": "Clannad",
    "made in abyss": "Made in Abyss",
    "shigatsu wa kimi no uso": "Shigatsu wa Kimi no Uso",
    # English synonyms
    "a silent voice": "Koe no Katachi",
    "erased": "Boku dake ga Inai Machi",
    "your name": "Kimi no Na wa.",
    "attack on titan": "Shingeki no Kyojin",
    "spirited away": "Sen to Chihiro no Kamikakushi",
    "howl's moving castle": "Howl no Ugoku Shiro",
    "your lie in april": "Shigatsu wa Kimi no Uso",
    "my hero academia": "Boku no Hero Academia",
    "assassination classroom": "Ansatsu Kyoushitsu",  # not its Jump Festa special
    "the wind rises": "Kaze Tachinu",
    "weathering with you": "Tenki no Ko",
    "grave of the fireflies": "Hotaru no Haka",
    "fullmetal alchemist brotherhood": "Fullmetal Alchemist: Brotherhood",
    # abbreviations and nicknames (synonyms in the catalog data)
    "aot": "Shingeki no Kyojin",
    "nge": "Shinseiki Evangelion",
    "fmab": "Fullmetal Alchemist: Brotherhood",
    "konosuba": "Kono Subarashii Sekai ni Shukufuku wo!",
    "oregairu": "Yahari Ore no Seishun Love Comedy wa Machigatteiru.",
    "sao": "Sword Art Online",
    # the first words, or a word inside
    "Bocchi": "Bocchi the Rock!",
    "frieren": "Sousou no Frieren",
    "evangelion": "Shinseiki Evangelion",
    "haikyuu": "Haikyuu!!",
    "mob psycho": "Mob Psycho 100",
    "re zero": "Re:Zero kara Hajimeru Isekai Seikatsu",
    "madoka": "Mahou Shoujo Madoka★Magica",
    "toradora": "Toradora!",
    "maid dragon": "Kobayashi-san Chi no Maid Dragon",
    "one punch man": "One Punch Man",
    "steins gate": "Steins;Gate",
    "hunter x hunter": "Hunter x Hunter (2011)",
    # typos
    "koe no katchi": "Koe no Katachi",
    "cowboy bebob": "Cowboy Bebop",
    "bungo stray dogs": "Bungou Stray Dogs",
    # Japanese
    "ルックバック": "Look Back",
    "聲の形": "Koe no Katachi",
    "進撃の巨人": "Shingeki no Kyojin",
}


def misses(queries: dict[str, str]) -> list[str]:
    wrong = []
    for query, title in queries.items():
        found = [match.anime.title for match in anime_find(query=query, limit=3)]
        if found[:1] != [title]:
            wrong.append(f"{query!r}: wanted {title!r} first, got {found}")
    return wrong


@pytest.mark.django_db
def test_the_anime_a_person_means_comes_first_on_the_shipped_sample():
    catalog_import(records=open_catalog(SAMPLE).records())
    held = set(Anime.objects.values_list("title", flat=True))
    queries = {query: title for query, title in LABELLED.items() if title in held}
    assert len(queries) >= 40
    assert not misses(queries), "\n".join(misses(queries))


@pytest.mark.django_db
@pytest.mark.shared_data
@pytest.mark.skipif(not SHARED_CATALOG.exists(), reason="../shared/data/catalog is absent")
def test_the_anime_a_person_means_comes_first_on_the_real_catalog():
    catalog_import(records=open_catalog(SHARED_CATALOG / "anime-catalog.jsonl.gz").records())
    assert not misses(LABELLED), "\n".join(misses(LABELLED))
