"""Catalog reads: the filtered list (``anime_search``) and one entry (``anime_detail``)."""

from __future__ import annotations

import pytest

from kansou.catalog.filters import AnimeFilters
from kansou.catalog.models import Anime, AnimeTitle, Origin
from kansou.catalog.selectors import anime_detail, anime_search

from .factories import (
    AnimeCompanyFactory,
    AnimeFactory,
    AnimeTagFactory,
    AnimeTitleFactory,
    CharacterFactory,
    ExternalIdFactory,
    RelationFactory,
    StaffCreditFactory,
    TagFactory,
)

pytestmark = pytest.mark.django_db


def found(**filters) -> list[str]:
    return [a.title for a in anime_search(filters=AnimeFilters(**filters)).anime]


class TestAnimeSearch:
    def test_without_filters_lists_everything_by_score(self):
        AnimeFactory(title="Low", score=5.0)
        AnimeFactory(title="High", score=9.0)

        assert found() == ["High", "Low"]

    def test_filters_combine(self):
        AnimeFactory(title="Match", kind="TV", year=2016, status="FINISHED")
        AnimeFactory(title="Wrong kind", kind="OVA", year=2016, status="FINISHED")
        AnimeFactory(title="Wrong year", kind="TV", year=2003, status="FINISHED")
        AnimeFactory(title="Wrong status", kind="TV", year=2016, status="ONGOING")

        assert found(type=["TV"], year_from=2010, year_to=2020, status="FINISHED") == ["Match"]

    def test_a_search_lists_best_matches_first_unless_sorted_otherwise(self):
        AnimeFactory(title="Shingeki no Kyojin Season 2", score=9.0)
        AnimeFactory(title="Shingeki no Kyojin", score=8.5)
        AnimeFactory(title="Unrelated", score=9.9)

        assert found(q="shingeki no kyojin") == [
            "Shingeki no Kyojin",
            "Shingeki no Kyojin Season 2",
        ]
        assert found(q="shingeki no kyojin", sort="score") == [
            "Shingeki no Kyojin Season 2",
            "Shingeki no Kyojin",
        ]

    def test_a_search_leaves_out_matches_far_below_the_best(self):
        AnimeFactory(title="Koe no Katachi")
        AnimeFactory(title="Koe no Katachi Specials")  # similarity 90
        AnimeFactory(title="Katachi no Nai")  # similarity 79: a loose match

        assert sorted(found(q="koe no katachi")) == ["Koe no Katachi", "Koe no Katachi Specials"]

    def test_a_search_reports_the_title_it_matched(self):
        anime = AnimeFactory(title="Koe no Katachi")
        AnimeTitleFactory(anime=anime, text="聲の形")

        search = anime_search(filters=AnimeFilters(q="聲の形"))

        assert search.matched_titles == {anime.pk: "聲の形"}

    def test_entries_carry_their_shown_tags_only(self):
        anime = AnimeFactory()
        AnimeTagFactory(anime=anime, tag=TagFactory(name="drama"))
        AnimeTagFactory(anime=anime, tag=TagFactory(name="ecchi"))
        AnimeTagFactory(anime=anime, tag=TagFactory(name="ecchi"), origin=Origin.HIDDEN)
        AnimeTagFactory(anime=anime, tag=TagFactory(name="found family"), origin=Origin.LOCAL)

        [entry] = anime_search(filters=AnimeFilters()).anime

        assert [row.tag.name for row in entry.shown_tags] == ["drama", "found family"]


class TestAnimeDetail:
    def test_unknown_id_raises_does_not_exist(self):
        with pytest.raises(Anime.DoesNotExist):
            anime_detail(anime_id=1234)

    def test_reads_everything_in_eight_queries(self, django_assert_num_queries):
        anime = AnimeFactory()
        AnimeTitleFactory.create_batch(3, anime=anime)
        AnimeTagFactory.create_batch(3, anime=anime)
        AnimeCompanyFactory.create_batch(2, anime=anime)
        StaffCreditFactory.create_batch(2, anime=anime)
        CharacterFactory.create_batch(2, anime=anime)
        RelationFactory.create_batch(2, anime=anime, target=AnimeFactory())
        ExternalIdFactory.create_batch(2, anime=anime)

        with django_assert_num_queries(8):
            detail = anime_detail(anime_id=anime.pk)
            # Everything the page touches is already loaded.
            [t.tag.name for t in detail.tags]
            [c.company.name for c in detail.studios]
            [s.person.name for s in detail.staff]
            [r.target.title for r in detail.relations]

    def test_rows_hidden_locally_are_left_out(self):
        anime = AnimeFactory()
        tag = AnimeTagFactory(anime=anime).tag
        AnimeTagFactory(anime=anime, tag=tag, origin=Origin.HIDDEN)
        company = AnimeCompanyFactory(anime=anime).company
        AnimeCompanyFactory(anime=anime, company=company, origin=Origin.HIDDEN)
        AnimeTitleFactory(anime=anime, text="Masked")
        AnimeTitleFactory(anime=anime, text="masked", origin=Origin.HIDDEN)
        StaffCreditFactory(anime=anime, origin=Origin.HIDDEN)
        CharacterFactory(anime=anime, origin=Origin.HIDDEN)
        RelationFactory(anime=anime, origin=Origin.HIDDEN)

        detail = anime_detail(anime_id=anime.pk)

        assert detail.tags == detail.studios == detail.staff == []
        assert detail.characters == detail.relations == []
        assert [t.kind for t in detail.titles] == ["main"]

    def test_studios_and_producers_are_apart(self):
        anime = AnimeFactory()
        AnimeCompanyFactory(anime=anime, company__name="Kyoto Animation")
        AnimeCompanyFactory(anime=anime, company__name="Pony Canyon", role="producer")

        detail = anime_detail(anime_id=anime.pk)

        assert [c.company.name for c in detail.studios] == ["Kyoto Animation"]
        assert [c.company.name for c in detail.producers] == ["Pony Canyon"]

    def test_titles_are_grouped_by_kind_main_first_synonyms_by_language(self):
        anime = AnimeFactory(title="Koe no Katachi")
        AnimeTitleFactory(anime=anime, text="Silent Voice")
        AnimeTitleFactory(anime=anime, text="목소리의 형태")
        AnimeTitleFactory(anime=anime, text="聲の形")
        AnimeTitleFactory(anime=anime, text="A Silent Voice", kind=AnimeTitle.Kind.ENGLISH)

        groups = anime_detail(anime_id=anime.pk).title_groups

        assert [(g.label, [t.text for t in g.titles]) for g in groups] == [
            ("Main title", ["Koe no Katachi"]),
            ("Synonyms", ["聲の形", "목소리의 형태", "Silent Voice"]),
            ("English", ["A Silent Voice"]),
        ]

    def test_local_fields_follow_the_scalar_field_order(self):
        anime = AnimeFactory(local_overrides={"score": 9.0, "title": "Fixed"})

        detail = anime_detail(anime_id=anime.pk)

        assert detail.local_fields == ["title", "score"]
        assert detail.local == {"title": True, "score": True}
