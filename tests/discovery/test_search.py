"""Search over a small hand-built catalog: ranking, filters, facets, reindexing, odd queries."""

from __future__ import annotations

import pytest

from kansou.catalog.models import AnimeTag, AnimeType, Origin
from kansou.discovery.search import SearchFilters, parse_query, search
from kansou.discovery.search.index import search_reindex
from kansou.discovery.search.models import SearchDocument
from tests.catalog.factories import AnimeFactory, AnimeTagFactory, AnimeTitleFactory, TagFactory

pytestmark = pytest.mark.django_db


def titles(q: str = "", **filters) -> list[str]:
    return [hit.title for hit in search(filters=SearchFilters(q=q, **filters)).hits]


@pytest.fixture
def catalog():
    drama, music = TagFactory(name="drama"), TagFactory(name="music")
    forest = AnimeFactory(
        title="Piano no Mori", kind=AnimeType.TV, year=2018, synopsis="A boy finds a piano."
    )
    AnimeTitleFactory(anime=forest, text="The Perfect World of Kai")
    AnimeTagFactory(anime=forest, tag=music)
    april = AnimeFactory(
        title="Shigatsu wa Kimi no Uso",
        kind=AnimeType.TV,
        year=2014,
        synopsis="A piano prodigy stops playing after his mother dies.",
    )
    AnimeTitleFactory(anime=april, text="Your Lie in April")
    AnimeTitleFactory(anime=april, text="四月は君の嘘")
    AnimeTagFactory(anime=april, tag=music)
    AnimeTagFactory(anime=april, tag=drama)
    voice = AnimeFactory(
        title="Koe no Katachi",
        kind=AnimeType.MOVIE,
        year=2016,
        synopsis="A deaf girl is bullied at school; years later the bully seeks her out.",
    )
    AnimeTitleFactory(anime=voice, text="A Silent Voice")
    AnimeTagFactory(anime=voice, tag=drama)
    AnimeFactory(title="Cowboy Bebop", year=1998, synopsis="Bounty hunters in space.")
    search_reindex()
    return {"forest": forest, "april": april, "voice": voice}


class TestRanking:
    def test_a_title_in_any_language_finds_its_anime(self, catalog):
        assert titles("your lie in april")[0] == "Shigatsu wa Kimi no Uso"
        assert titles("四月は君の嘘")[0] == "Shigatsu wa Kimi no Uso"
        assert titles("a silent voice")[0] == "Koe no Katachi"

    def test_typos_in_a_title_are_forgiven(self, catalog):
        assert titles("koe no katchi")[0] == "Koe no Katachi"
        assert titles("cowbyo bebop")[0] == "Cowboy Bebop"

    def test_words_find_the_synopsis_but_a_title_weighs_more(self, catalog):
        found = titles("piano")
        assert found[:2] == ["Piano no Mori", "Shigatsu wa Kimi no Uso"]

    def test_a_theme_finds_anime_by_their_synopsis(self, catalog):
        assert titles("piano prodigy") == ["Shigatsu wa Kimi no Uso"]
        assert titles("bullied deaf girl")[0] == "Koe no Katachi"

    def test_stemming_and_prefixes_match_word_forms(self, catalog):
        assert "Koe no Katachi" in titles("bullying")
        assert "Cowboy Bebop" in titles("bount")

    def test_without_a_document_holding_every_word_any_word_will_do(self, catalog):
        assert titles("piano dragons")[:1] == ["Piano no Mori"]


class TestFilters:
    def test_type_year_and_tag_narrow_the_results(self, catalog):
        assert titles("piano", type=["MOVIE"]) == []
        assert titles("piano", year_from=2015) == ["Piano no Mori"]
        assert titles("piano", year_to=2015) == ["Shigatsu wa Kimi no Uso"]
        assert titles("piano", tag="drama") == ["Shigatsu wa Kimi no Uso"]

    def test_facets_count_the_matches_by_type_decade_and_tag(self, catalog):
        results = search(filters=SearchFilters(q="piano OR girl"))
        # "or" is a stop word: piano (2 anime) or girl (1 anime).
        assert results.total == 3
        facets = {name: {f.value: f.count for f in group} for name, group in results.facets.items()}
        assert facets["type"] == {"TV": 2, "MOVIE": 1}
        assert facets["decade"] == {"2010": 3}
        assert facets["tag"] == {"drama": 2, "music": 2}

    def test_a_selected_facet_is_marked(self, catalog):
        results = search(filters=SearchFilters(q="piano", type=["TV"], tag="music"))
        assert [f.selected for f in results.facets["type"]] == [True]
        assert all(f.selected == (f.value == "music") for f in results.facets["tag"])


class TestReindex:
    def test_a_renamed_anime_is_found_by_its_new_title_after_reindex(self, catalog):
        anime = catalog["forest"]
        anime.title = "Forest of the Piano"
        anime.synopsis = "Now about a harpsichord."
        anime.save()
        assert search_reindex(anime_ids=[anime.pk]) == 1
        assert titles("harpsichord") == ["Forest of the Piano"]
        assert SearchDocument.objects.count() == 4

    def test_a_hidden_tag_leaves_the_document(self, catalog):
        anime = catalog["voice"]
        drama = AnimeTag.objects.get(anime=anime).tag
        AnimeTag.objects.create(anime=anime, tag=drama, origin=Origin.HIDDEN)
        search_reindex(anime_ids=[anime.pk])
        assert titles("katachi", tag="drama") == []

    def test_a_deleted_anime_loses_its_document(self, catalog):
        pk = catalog["voice"].pk
        catalog["voice"].delete()
        search_reindex(anime_ids=[pk])
        assert "Koe no Katachi" not in titles("silent voice")


class TestOddQueries:
    @pytest.mark.parametrize("q", ["", "   ", "!!!", "…", "?*"])
    def test_an_empty_or_punctuation_query_finds_nothing(self, catalog, q):
        results = search(filters=SearchFilters(q=q))
        assert results.hits == [] and results.total == 0

    @pytest.mark.parametrize(
        "q",
        [
            '"',
            '"piano',
            "piano*",
            "*",
            "AND",
            "piano AND",
            "OR piano OR",
            "NEAR(piano prodigy)",
            "NOT piano",
            "titles:piano",
            "^piano",
            "piano -prodigy",
            "(piano",
            "'; DROP TABLE discovery_searchdocument; --",
            "% _ \\",
            "piano & | ! :*",
        ],
    )
    def test_query_syntax_characters_never_error(self, catalog, q):
        search(filters=SearchFilters(q=q))
        assert SearchDocument.objects.count() == 4

    def test_stop_words_are_dropped_unless_nothing_else_is_left(self):
        assert parse_query("the piano of the forest").terms == ("piano", "forest")
        assert parse_query("the").terms == ("the",)


def test_pages_split_the_results(catalog):
    AnimeFactory.create_batch(5, synopsis="Another piano story.")
    search_reindex()
    first = search(filters=SearchFilters(q="piano"), page=1, page_size=4)
    second = search(filters=SearchFilters(q="piano"), page=2, page_size=4)
    assert first.total == 7 and first.num_pages == 2
    assert len(first.hits) == 4 and len(second.hits) == 3
    assert not {h.document_id for h in first.hits} & {h.document_id for h in second.hits}


def test_an_edit_is_found_by_the_next_search_without_a_rebuild(catalog):
    assert titles("cowboy bebop") == ["Cowboy Bebop"]
    anime = AnimeFactory(title="Space Dandy", synopsis="Bounty hunters again.")
    search_reindex(anime_ids=[anime.pk])
    assert "Space Dandy" in titles("bounty hunters")
