"""The comment POST's one read agrees with the querysets it stands for.

``review_to_comment_on`` is hand-written SQL for speed; these tests hold it to
``Review.objects.published()`` (which reviews may be commented on), ``ReviewAuthor`` (the
reviewer badge) and ``Ban.objects.active()`` (a ban in force), on every status, publish time and
ban end, so a change to one of those rules that is not made here fails.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from kansou.community.comments.selectors import review_to_comment_on
from kansou.community.models import Ban
from kansou.reviews.models import Review, ReviewAuthor, ReviewStatus
from tests.community.comment_factories import ReaderFactory
from tests.reviews.factories import ReviewFactory

pytestmark = pytest.mark.django_db

HOUR = dt.timedelta(hours=1)


@pytest.mark.parametrize("status", list(ReviewStatus))
@pytest.mark.parametrize("publish_offset", [None, -HOUR, HOUR])
def test_finds_exactly_the_reviews_published_finds(status, publish_offset):
    publish_at = None if publish_offset is None else timezone.now() + publish_offset
    review = ReviewFactory(status=status, publish_at=publish_at)
    reader = ReaderFactory()

    found = review_to_comment_on(review.slug, user_id=reader.pk)

    published = Review.objects.published().filter(pk=review.pk).exists()
    assert (found is not None) == published
    if found is not None:
        assert (found.pk, found.slug, found.status) == (review.pk, review.slug, status)


def test_an_unknown_slug_finds_nothing():
    ReviewFactory(slug="frieren")
    assert review_to_comment_on("frieren-2", user_id=ReaderFactory().pk) is None


def test_the_rest_of_the_review_loads_when_asked():
    review = ReviewFactory(title="Bocchi the Rock!")
    found = review_to_comment_on(review.slug, user_id=ReaderFactory().pk)
    assert found.title == "Bocchi the Rock!"
    assert found.anime_id == review.anime_id


def test_knows_whether_the_author_is_on_the_byline():
    review = ReviewFactory()
    reviewer, reader = ReaderFactory(), ReaderFactory()
    ReviewAuthor.objects.create(review=review, user=reviewer)
    ReviewAuthor.objects.create(review=ReviewFactory(), user=reader)  # another review's byline

    assert review_to_comment_on(review.slug, user_id=reviewer.pk).author_is_reviewer is True
    assert review_to_comment_on(review.slug, user_id=reader.pk).author_is_reviewer is False


@pytest.mark.parametrize("until_offset", [None, HOUR, -HOUR, "no ban"])
def test_knows_whether_a_ban_is_in_force_as_bans_active_does(until_offset):
    review, reader, other = ReviewFactory(), ReaderFactory(), ReaderFactory()
    if until_offset != "no ban":
        until = None if until_offset is None else timezone.now() + until_offset
        Ban.objects.create(user=reader, until=until)
    Ban.objects.create(user=other)  # someone else's ban says nothing of this reader

    found = review_to_comment_on(review.slug, user_id=reader.pk)

    assert found.author_banned is Ban.objects.active().filter(user=reader).exists()
    assert found.author_banned is (until_offset is None or until_offset == HOUR)


def test_a_ban_ends_at_its_time():
    review, reader = ReviewFactory(), ReaderFactory()
    until = timezone.now() + HOUR
    Ban.objects.create(user=reader, until=until)

    before = review_to_comment_on(
        review.slug, user_id=reader.pk, now=until - dt.timedelta(seconds=1)
    )
    after = review_to_comment_on(review.slug, user_id=reader.pk, now=until)

    assert (before.author_banned, after.author_banned) == (True, False)
