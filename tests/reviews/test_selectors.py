"""What the review page reads: "you might also love" ranked by shared tags."""

from __future__ import annotations

import pytest

from kansou.reviews.selectors import review_also_love
from tests.catalog.factories import AnimeFactory, AnimeTagFactory, TagFactory
from tests.reviews.factories import ReviewFactory

pytestmark = pytest.mark.django_db


def _anime_tagged(*tags):
    anime = AnimeFactory()
    for tag in tags:
        AnimeTagFactory(anime=anime, tag=tag)
    return anime


class TestReviewAlsoLove:
    def test_ranks_by_shared_tags_then_newest(self):
        drama, school, music = TagFactory(name="drama"), TagFactory(name="school"), TagFactory()
        review = ReviewFactory(anime=_anime_tagged(drama, school))
        one = ReviewFactory(anime=_anime_tagged(drama, music))
        two = ReviewFactory(anime=_anime_tagged(drama, school))
        none = ReviewFactory(anime=_anime_tagged(music))
        assert review_also_love(review=review) == [two, one, none]

    def test_leaves_out_unpublished_reviews_itself_and_the_same_anime(self):
        review = ReviewFactory()
        ReviewFactory(anime=review.anime)
        ReviewFactory.draft()
        ReviewFactory.scheduled()
        assert review_also_love(review=review) == []

    def test_returns_at_most_n(self):
        review = ReviewFactory()
        ReviewFactory.create_batch(5)
        assert len(review_also_love(review=review, n=3)) == 3

    def test_without_an_anime_lists_the_newest(self):
        review = ReviewFactory(anime=None)
        older, newer = ReviewFactory(), ReviewFactory()
        older.publish_at = newer.publish_at.replace(year=2020)
        older.save()
        assert review_also_love(review=review) == [newer, older]
