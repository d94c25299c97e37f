"""More like this, audience profiles, also-love and history recommendations from the artefact."""

from __future__ import annotations

import numpy as np
import pytest
from django.template.loader import render_to_string

from kansou.catalog.models import Anime, AnimeTag
from kansou.discovery.artefact import artefact_current
from kansou.discovery.selectors import (
    RecommendationFilters,
    Suggestion,
    _allowed,
    _build_allowed,
    anime_audience_profiles,
    anime_more_like_this,
    group_franchises,
    recommendations_for_history,
    review_also_love_ranked,
)
from kansou.reviews.selectors import review_also_love
from tests.discovery.recs_data import MYSTERY
from tests.reviews.factories import ReviewFactory

pytestmark = pytest.mark.django_db


def _tags(anime) -> set[str]:
    names = AnimeTag.objects.filter(anime=anime).values_list("tag__name", flat=True)
    return {name.lower() for name in names}


class TestAnimeMoreLikeThis:
    def test_is_served_from_the_table_in_one_query(self, trained, django_assert_num_queries):
        with django_assert_num_queries(1):
            found = anime_more_like_this(anime=trained[1], n=3)
        assert len(found) == 3
        assert {s.anime.pk for s in found} <= {trained[m].pk for m in MYSTERY + [8]}

    def test_reasons_are_true(self, trained):
        source = trained[1]
        for suggestion in anime_more_like_this(anime=source, n=5):
            assert suggestion.reasons
            for reason in suggestion.reasons:
                if reason.startswith("Shares tags: "):
                    named = set(reason.removeprefix("Shares tags: ").split(", "))
                    assert named <= _tags(source) & _tags(suggestion.anime)
                if "readers who loved" in reason:
                    assert reason.startswith(f"12 of the 12 readers who loved {source.title}")

    def test_a_cold_start_anime_gets_content_neighbours(self, trained):
        found = anime_more_like_this(anime=trained[8], n=3)
        assert found and all(_tags(s.anime) & _tags(trained[8]) for s in found)
        assert all(not any("readers who loved" in r for r in s.reasons) for s in found)

    def test_without_a_model_falls_back_to_shared_tags(self, catalog):
        found = anime_more_like_this(anime=catalog[8], n=3)
        assert [s.anime.title for s in found][:2] == ["Puzzle Box", "Clockwork Mind"]
        assert found[0].reasons == ["Shares tags: mystery, psychological, time travel"]


class TestGroupFranchises:
    """A franchise is shown once, its other entries listed on its card."""

    def _suggestions(self, *titles):
        return [Suggestion(Anime(pk=i, title=t), 1.0 - i / 10) for i, t in enumerate(titles, 1)]

    def test_a_later_entry_joins_the_first_card_of_its_franchise(self):
        found = group_franchises(
            self._suggestions("Death Note", "K-On!", "Monster", "K-On! Movie", "Mushishi"),
            query=Anime(title="Hyouka"),
        )
        assert [s.anime.title for s in found] == ["Death Note", "K-On!", "Monster", "Mushishi"]
        assert [a.title for a in found[1].also] == ["K-On! Movie"]
        assert all(not s.also for s in found if s.anime.title != "K-On!")

    def test_the_querys_own_franchise_is_grouped_too(self):
        found = group_franchises(
            self._suggestions("Bakuman. 2nd Season", "Death Note", "Bakuman. 3rd Season"),
            query=Anime(title="Bakuman."),
        )
        assert [s.anime.title for s in found] == ["Bakuman. 2nd Season", "Death Note"]
        assert [a.title for a in found[0].also] == ["Bakuman. 3rd Season"]

    def test_the_card_lists_the_entries_with_links(self, rf):
        card = Suggestion(Anime(pk=1, title="K-On!"), 1.0, also=[Anime(pk=2, title="K-On! Movie")])
        html = render_to_string(
            "discovery/_suggestion_card.html", {"suggestion": card}, request=rf.get("/")
        )
        assert 'Also in this franchise: <a href="/anime/2/">K-On! Movie</a>' in html


class TestAudienceProfiles:
    def test_named_from_distinctive_tags_with_comparable_titles_sharing_them(self, trained):
        profiles = anime_audience_profiles(anime=trained[1])
        assert 2 <= len(profiles) <= 4
        names = [p.name for p in profiles]
        assert names[0] in ("For fans of mind-bending mysteries", "For fans of science fiction")
        assert "For fans of emotional storytelling" not in names[:2]  # drama is everywhere
        for profile in profiles:
            assert 2 <= len(profile.comparable) <= 3
            for other in profile.comparable:
                assert set(profile.tags) & _tags(other)
        seen = [a.pk for p in profiles for a in p.comparable]
        assert len(seen) == len(set(seen))

    def test_none_without_a_model(self, catalog):
        assert anime_audience_profiles(anime=catalog[1]) == []


class TestRecommendationsForHistory:
    def test_excludes_what_was_seen(self, trained):
        result = recommendations_for_history(entries=[(trained[1].pk, 9.0)], seen=[trained[2].pk])
        ids = {s.anime.pk for s in result.suggestions}
        assert trained[1].pk not in ids and trained[2].pk not in ids
        assert result.suggestions[0].anime.pk in {trained[m].pk for m in (3, 4, 5)}
        assert all(s.reasons for s in result.suggestions)

    def test_respects_filters(self, trained):
        filters = RecommendationFilters(types=("TV",), year_from=2005, max_episodes=26)
        result = recommendations_for_history(entries=[(trained[1].pk, None)], filters=filters)
        assert result.suggestions
        for s in result.suggestions:
            assert s.anime.kind == "TV" and s.anime.year >= 2005 and 0 < s.anime.episodes <= 26

    def test_without_a_model_says_so(self, catalog):
        assert not recommendations_for_history(entries=[(catalog[1].pk, None)]).available

    def test_one_query_whatever_the_history_size(self, trained, django_assert_num_queries):
        for mal_ids in ((1,), (1, 2, 3, 4, 5, 6)):
            entries = [(trained[m].pk, None) for m in mal_ids]
            with django_assert_num_queries(1):  # the cards (results and history titles)
                recommendations_for_history(entries=entries)

    def test_a_filter_mask_is_built_once_per_model_version(self, trained):
        art = artefact_current()
        filters = RecommendationFilters(types=("TV",), year_from=2005)
        first = _allowed(art, filters)
        assert _allowed(art, RecommendationFilters(types=("TV",), year_from=2005)) is first
        assert not first.flags.writeable

    def test_without_a_type_filter_specials_are_left_out(self):
        from types import SimpleNamespace

        kinds = np.array(["TV", "SPECIAL", "MOVIE", "SPECIAL"])
        art = SimpleNamespace(
            items=kinds, kinds=kinds, years=np.zeros(4, int), episodes=np.ones(4, int)
        )
        assert _build_allowed(art, RecommendationFilters()).tolist() == [True, False, True, False]
        only = _build_allowed(art, RecommendationFilters(types=("special",)))
        assert only.tolist() == [False, True, False, True]


class TestAlsoLove:
    def test_prefers_reviewed_neighbours_with_reasons(self, trained):
        review = ReviewFactory(anime=trained[1])
        near = ReviewFactory(anime=trained[2])
        far = ReviewFactory(anime=trained[6])
        ranked = review_also_love(review=review)
        assert ranked == [near, far]
        assert ranked[0].reasons

    def test_two_queries(self, trained, django_assert_num_queries):
        review = ReviewFactory(anime=trained[1])
        ReviewFactory.create_batch(3)
        with django_assert_num_queries(2):
            review_also_love_ranked(review=review)

    def test_without_a_model_the_tag_ranking_answers(self, catalog):
        review = ReviewFactory(anime=catalog[1])
        assert review_also_love_ranked(review=review) is None
        assert review_also_love(review=review) == []
