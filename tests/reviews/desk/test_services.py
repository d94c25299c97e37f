"""Desk services: a new draft, saving checked against the version, slugs, publishing,
suggested audiences."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from kansou.reviews.desk import registry, services
from kansou.reviews.models import Review, ReviewStatus, RevisionKind
from kansou.reviews.services import AudienceInput, ReviewInput
from tests.catalog.factories import AnimeFactory
from tests.reviews.factories import ReviewFactory, UserFactory

pytestmark = pytest.mark.django_db


def _input(**fields) -> ReviewInput:
    return ReviewInput(**{"title": "Koe no Katachi", "slug": "", "authors": [], **fields})


@pytest.fixture
def author():
    return UserFactory(username="writer")


@pytest.fixture
def draft(author):
    return services.desk_review_create(by=author)


class TestDeskReviewCreate:
    def test_a_new_review_is_an_untitled_draft_by_its_author(self, draft, author):
        assert draft.status == ReviewStatus.DRAFT
        assert draft.title == services.NEW_TITLE
        assert draft.ordered_authors() == [author]
        assert services.slug_is_automatic(draft)


class TestDeskReviewSave:
    def test_saving_at_the_current_version_writes_and_keeps_a_revision(self, draft, author):
        version = services.review_version(draft)
        saved = services.desk_review_save(
            review=draft, data=_input(intro_md="It *hurts*."), version=version, by=author
        )
        assert saved.intro_html == "<p>It <em>hurts</em>.</p>"
        assert saved.ordered_authors() == [author]  # the byline stays
        assert saved.revisions.get().kind == RevisionKind.SAVE
        assert services.review_version(saved) != version

    def test_a_stale_version_is_refused_and_nothing_is_written(self, draft, author):
        old = services.review_version(draft)
        services.desk_review_save(review=draft, data=_input(intro_md="Tab one."), version=old,
                                  by=author)  # fmt: skip
        with pytest.raises(services.StaleVersion):
            services.desk_review_save(review=draft, data=_input(intro_md="Tab two."),
                                      version=old, by=author)  # fmt: skip
        assert Review.objects.get(pk=draft.pk).intro_md == "Tab one."
        assert draft.revisions.count() == 1

    def test_an_empty_slug_is_made_from_the_title_and_never_taken_twice(self, draft, author):
        ReviewFactory(title="Taken", slug="koe-no-katachi")
        saved = services.desk_review_save(
            review=draft, data=_input(), version=services.review_version(draft), by=author
        )
        assert saved.slug == "koe-no-katachi-2"
        assert services.slug_is_automatic(saved)

    def test_status_and_publication_time_are_not_the_forms_to_change(self, author):
        review = ReviewFactory(authors=[author])
        saved = services.desk_review_save(
            review=review, data=_input(slug=review.slug, status=ReviewStatus.DRAFT),
            version=services.review_version(review), by=author,
        )  # fmt: skip
        assert saved.status == ReviewStatus.PUBLISHED


class TestDeskReviewPublish:
    def test_publishing_now_makes_it_public_with_a_publish_revision(self, draft, author):
        review = services.desk_review_publish(
            review=draft, data=_input(), version=services.review_version(draft), by=author
        )
        assert review.is_public
        assert services.review_state(review).startswith("Published ")
        assert review.revisions.first().kind == RevisionKind.PUBLISH

    def test_a_future_time_schedules_it(self, draft, author):
        at = timezone.now() + dt.timedelta(days=2)
        review = services.desk_review_publish(
            review=draft, data=_input(), version=services.review_version(draft), by=author, at=at
        )
        assert review.status == ReviewStatus.SCHEDULED
        assert services.review_state(review).startswith("Scheduled for ")

    def test_a_past_time_is_refused_and_nothing_is_written(self, draft, author):
        at = timezone.now() - dt.timedelta(days=2)
        with pytest.raises(ValidationError):
            services.desk_review_publish(review=draft, data=_input(intro_md="New."),
                                         version=services.review_version(draft), by=author,
                                         at=at)  # fmt: skip
        draft.refresh_from_db()
        assert (draft.status, draft.intro_md) == (ReviewStatus.DRAFT, "")

    def test_back_to_draft_takes_it_off_the_site(self, author):
        review = ReviewFactory(authors=[author])
        review = services.desk_review_unpublish(
            review=review, data=_input(slug=review.slug),
            version=services.review_version(review), by=author,
        )  # fmt: skip
        assert review.status == ReviewStatus.DRAFT and not review.is_public


class TestDeskAudienceSuggest:
    def test_suggestions_are_added_after_the_authors_rows_without_repeating_a_name(self, suggester):
        data = _input(anime=AnimeFactory(), audience=[AudienceInput("fans of DRAMA", "Mine.")])
        rows = services.desk_audience_suggest(data=data)
        assert [row.name for row in rows] == ["fans of DRAMA", "Fans of music"]
        assert rows[1].comparable == [suggester]

    def test_nothing_is_suggested_without_an_anime(self, suggester):
        assert services.desk_audience_suggest(data=_input()) == []

    def test_discovery_registers_its_suggester(self):
        assert "discovery.audience" in registry.AUDIENCE_SUGGESTERS
