"""Review services: save whole, render in the service, publish and schedule by the rules."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from kansou.reviews.models import Review, ReviewStatus
from kansou.reviews.services import (
    NEEDS_AUTHOR,
    NEEDS_PUBLISH_AT,
    SCHEDULE_IN_PAST,
    AudienceInput,
    ReviewInput,
    SectionInput,
    review_publish,
    review_save,
    review_schedule,
    review_unpublish,
)
from tests.catalog.factories import AnimeFactory
from tests.reviews.factories import ReviewFactory, UserFactory

pytestmark = pytest.mark.django_db


def _input(**kwargs) -> ReviewInput:
    kwargs.setdefault("authors", [UserFactory()])
    return ReviewInput(title="A review", slug="a-review", **kwargs)


class TestReviewSave:
    def test_renders_every_markdown_field_and_the_reading_time(self):
        other = AnimeFactory()
        review = review_save(
            data=_input(
                intro_md="word " * 300,
                final_thoughts_md="*Yes*.",
                audience=[AudienceInput("Fans", "**Why**", [other, other])],
                sections=[SectionInput("Extra", "<script>x()</script>Body")],
            )
        )
        review.refresh_from_db()
        assert review.final_thoughts_html == "<p><em>Yes</em>.</p>"
        assert review.audience.get().why_html == "<p><strong>Why</strong></p>"
        assert review.sections.get().body_html == "Body"  # an HTML block: the script is dropped
        assert review.reading_minutes == 2
        assert review.audience.get().comparable_titles.count() == 1

    def test_saving_again_replaces_every_section(self):
        review = review_save(data=_input(sections=[SectionInput("One"), SectionInput("Two")]))
        review_save(data=_input(sections=[SectionInput("Three")]), review=review)
        assert [s.heading for s in review.sections.all()] == ["Three"]

    def test_authors_keep_their_order(self):
        ana, ben = UserFactory(username="ana"), UserFactory(username="ben")
        review = review_save(data=_input(authors=[ben, ana]))
        assert review.ordered_authors() == [ben, ana]

    def test_a_review_needs_an_author_and_nothing_is_written_without_one(self):
        with pytest.raises(ValidationError, match=NEEDS_AUTHOR):
            review_save(data=_input(authors=[]))
        assert not Review.objects.exists()

    def test_published_without_a_time_is_published_now(self):
        review = review_save(data=_input(status=ReviewStatus.PUBLISHED))
        assert review.publish_at <= timezone.now() and review.is_public

    def test_scheduled_needs_a_time(self):
        with pytest.raises(ValidationError, match=NEEDS_PUBLISH_AT):
            review_save(data=_input(status=ReviewStatus.SCHEDULED))

    def test_score_must_be_between_0_and_10(self):
        from decimal import Decimal

        with pytest.raises(ValidationError):
            review_save(data=_input(score=Decimal("10.5")))
        assert not Review.objects.exists()

    def test_duplicate_slug_is_rejected(self):
        ReviewFactory(slug="a-review")
        with pytest.raises(ValidationError):
            review_save(data=_input())

    def test_labels_are_reused_by_slug(self):
        first = review_save(data=_input(labels=["Hidden gem"]))
        second = review_save(data=ReviewInput(title="B", slug="b", authors=[UserFactory()],
                                              labels=["hidden gem"]))  # fmt: skip
        assert first.labels.get() == second.labels.get()


class TestPublishing:
    def test_publish_now(self):
        review = review_publish(review=ReviewFactory.draft())
        assert review.status == ReviewStatus.PUBLISHED and review.is_public

    def test_publish_at_a_future_time_schedules(self):
        at = timezone.now() + dt.timedelta(days=1)
        review = review_publish(review=ReviewFactory.draft(), at=at)
        assert review.status == ReviewStatus.SCHEDULED and not review.is_public

    def test_schedule_refuses_the_past(self):
        with pytest.raises(ValidationError, match=SCHEDULE_IN_PAST):
            review_schedule(review=ReviewFactory.draft(), at=timezone.now() - dt.timedelta(1))

    def test_unpublish_makes_a_draft(self):
        review = review_unpublish(review=ReviewFactory())
        assert review.status == ReviewStatus.DRAFT and not review.is_public


class TestQuerySet:
    def test_published_holds_only_reviews_whose_time_has_come(self):
        public = ReviewFactory()
        ReviewFactory.draft()
        ReviewFactory.scheduled()
        assert list(Review.objects.published()) == [public]

    def test_a_scheduled_review_goes_public_at_its_time_without_a_job(self):
        review = ReviewFactory.scheduled(publish_at=timezone.now() + dt.timedelta(seconds=1))
        assert not Review.objects.published().exists()
        Review.objects.filter(pk=review.pk).update(
            publish_at=timezone.now() - dt.timedelta(seconds=1)
        )
        assert list(Review.objects.published()) == [review]

    def test_drafts(self):
        draft = ReviewFactory.draft()
        ReviewFactory()
        assert list(Review.objects.drafts()) == [draft]
