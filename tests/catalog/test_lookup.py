"""The one title matcher (``catalog.lookup.title_matches``): which anime comes first."""

from __future__ import annotations

import pytest

from kansou.catalog.lookup import AS_WRITTEN, EXACT, FUZZY, PREFIX, WORD_PREFIX, title_matches
from kansou.catalog.models import Anime, AnimeTitle, Origin

from .factories import AnimeFactory, AnimeTitleFactory

pytestmark = pytest.mark.django_db


def titles(query: str, **options) -> list[str]:
    ids = [match.anime_id for match in title_matches(query, **options)]
    names = dict(Anime.objects.filter(pk__in=ids).values_list("pk", "title"))
    return [names[pk] for pk in ids]


def test_exact_then_prefix_then_word_prefix_then_typos():
    AnimeFactory(title="Rock Lee no Seishun Full-Power Ninden")  # prefix
    AnimeFactory(title="Bocchi the Rock!")  # a word starts with it
    AnimeFactory(title="Rocky Joe")  # prefix too, less of the title
    AnimeFactory(title="Rock")  # exact
    AnimeFactory(title="Rokc")  # a typo of it

    found = titles("rock")

    assert found[0] == "Rock"
    assert found[1:3] == ["Rocky Joe", "Rock Lee no Seishun Full-Power Ninden"]
    assert found.index("Bocchi the Rock!") == 3


def test_each_match_says_how_it_matched():
    AnimeFactory(title="Look Back")
    AnimeFactory(title="Look Back Special")
    AnimeFactory(title="Never Look Back Again")

    tiers = {m.matched_title: m.tier for m in title_matches("look back")}
    typo = title_matches("lokk back")

    assert tiers == {
        "Look Back": AS_WRITTEN,
        "Look Back Special": PREFIX,
        "Never Look Back Again": WORD_PREFIX,
    }
    assert typo[0].tier == FUZZY and typo[0].matched_title == "Look Back"


def test_the_title_as_written_beats_one_that_only_folds_the_same():
    AnimeFactory(title="K-On!!", score=8.2)
    AnimeFactory(title="K-On!", score=7.8)

    assert titles("K-On!")[:2] == ["K-On!", "K-On!!"]
    assert {m.tier for m in title_matches("k on")} == {EXACT}


def test_a_synonym_or_abbreviation_counts_as_an_exact_title():
    titan = AnimeFactory(title="Shingeki no Kyojin")
    AnimeTitleFactory(anime=titan, text="AoT")
    AnimeFactory(title="Aot Matsuri")

    match = title_matches("aot")[0]

    assert (match.anime_id, match.matched_title, match.similarity) == (titan.pk, "AoT", 100.0)


def test_among_equal_matches_the_better_known_series_comes_first():
    special = AnimeFactory(title="Ansatsu Kyoushitsu Special", kind="SPECIAL", score=6.8)
    series = AnimeFactory(title="Ansatsu Kyoushitsu", kind="TV", score=8.0)
    for anime in (special, series):
        AnimeTitleFactory(anime=anime, text="Assassination Classroom")
    AnimeFactory(title="Classroom Crisis", score=9.0)

    assert titles("assassination classroom")[:2] == [series.title, special.title]


def test_a_hidden_title_is_not_matched_and_a_local_one_is_at_once():
    anime = AnimeFactory(title="Boku dake ga Inai Machi")
    AnimeTitleFactory(anime=anime, text="Erased")
    assert titles("erased") == ["Boku dake ga Inai Machi"]

    AnimeTitleFactory(anime=anime, text="Erased", origin=Origin.HIDDEN)
    AnimeTitleFactory(anime=anime, text="Bokumachi", origin=Origin.LOCAL)

    assert titles("erased") == []
    assert titles("bokumachi") == ["Boku dake ga Inai Machi"]


def test_an_edited_title_is_found_by_the_next_lookup():
    title = AnimeFactory(title="Kimi no Na wa.").titles.get()
    AnimeTitle.objects.filter(pk=title.pk).update(text="Your Name", normalized="your name")

    assert titles("your name") == ["Kimi no Na wa."]


def test_within_keeps_to_the_given_anime():
    AnimeFactory(title="Haikyuu!!", kind="TV")
    AnimeFactory(title="Haikyuu!! Movie", kind="MOVIE")

    assert titles("haikyuu", within=Anime.objects.filter(kind="MOVIE")) == ["Haikyuu!! Movie"]


def test_short_queries_find_exact_and_prefix_matches():
    AnimeFactory(title="86")
    AnimeFactory(title="86: Eighty Six Part 2")
    AnimeFactory(title="Kara no Kyoukai 8")

    assert titles("86") == ["86", "86: Eighty Six Part 2"]


def test_poor_typos_and_empty_queries_find_nothing():
    AnimeFactory(title="Cowboy Bebop")

    assert titles("cowboy bebob") == ["Cowboy Bebop"]
    assert titles("zzzzqqqq") == []
    assert titles("!!! ...") == []
    assert titles("cowboy bebob", min_similarity=99) == []


def test_the_admin_anime_autocomplete_lists_the_best_match_first(admin_client):
    AnimeFactory(title="Shingeki no Kyojin Season 2 Movie: Kakusei no Houkou", kind="MOVIE")
    AnimeFactory(title="K-On!! Shuugaku Ryokou", kind="SPECIAL")
    AnimeFactory(title="K-On!")

    response = admin_client.get(
        "/admin/autocomplete/",
        {"term": "K-On!", "app_label": "reviews", "model_name": "review", "field_name": "anime"},
    )

    assert [r["text"] for r in response.json()["results"]] == ["K-On!", "K-On!! Shuugaku Ryokou"]
