"""Revisions: one per writing session and per publication, a line diff, and restoring."""

from __future__ import annotations

import datetime as dt

import pytest

from kansou.reviews.desk import services
from kansou.reviews.desk.revisions import (
    COALESCE,
    revision_diff,
    revision_record,
    revision_restore,
)
from kansou.reviews.models import Revision, RevisionKind
from kansou.reviews.services import ReviewInput
from tests.reviews.factories import ReviewFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def author():
    return UserFactory(username="writer")


def _save(review, by, kind=RevisionKind.AUTOSAVE, **fields):
    data = ReviewInput(**{"title": review.title, "slug": review.slug, "authors": [], **fields})
    return services.desk_review_save(
        review=review, data=data, version=services.review_version(review), by=by, kind=kind
    )


class TestRevisionRecord:
    def test_autosaves_within_the_window_make_one_revision(self, author):
        review = ReviewFactory.draft(authors=[author])
        for text in ["One.", "One. Two.", "One. Two. Three."]:
            review = _save(review, author, intro_md=text)
        revision = review.revisions.get()
        assert "One. Two. Three." in revision.text

    def test_a_save_after_the_window_starts_a_new_revision(self, author):
        review = _save(ReviewFactory.draft(authors=[author]), author, intro_md="Morning.")
        Revision.objects.update(created_at=review.revisions.get().created_at - COALESCE * 2)
        review = _save(review, author, intro_md="Evening.")
        assert review.revisions.count() == 2

    def test_another_authors_save_starts_a_new_revision(self, author):
        review = _save(ReviewFactory.draft(authors=[author]), author, intro_md="Mine.")
        _save(review, UserFactory(), intro_md="Theirs.")
        assert review.revisions.count() == 2

    def test_a_publication_always_starts_one(self, author):
        review = _save(ReviewFactory.draft(authors=[author]), author, intro_md="Text.")
        revision_record(review=review, by=author, kind=RevisionKind.PUBLISH)
        assert list(review.revisions.values_list("kind", flat=True)) == ["publish", "autosave"]

    def test_a_save_that_changes_nothing_adds_nothing(self, author):
        review = _save(ReviewFactory.draft(authors=[author]), author, intro_md="Same.")
        Revision.objects.update(created_at=review.revisions.get().created_at - dt.timedelta(days=1))
        _save(review, author, intro_md="Same.")
        assert review.revisions.count() == 1


class TestRevisionDiff:
    def test_changed_lines_are_removed_then_added_with_context(self):
        diff = revision_diff("a\nb\nc\n", "a\nB\nc\n")
        assert [(line.kind, line.text) for line in diff] == [
            ("same", "a"), ("removed", "b"), ("added", "B"), ("same", "c"),
        ]  # fmt: skip

    def test_equal_texts_have_no_differences(self):
        assert revision_diff("same\n", "same\n") == []

    def test_far_apart_changes_are_separated_by_a_gap(self):
        old = "\n".join(str(n) for n in range(20))
        new = old.replace("1\n", "one\n", 1).replace("18", "eighteen")
        kinds = [line.kind for line in revision_diff(old, new, context=1)]
        assert "gap" in kinds


class TestRevisionRestore:
    def test_restoring_brings_the_writing_back_and_keeps_address_and_state(self, author):
        review = _save(ReviewFactory(authors=[author]), author, kind=RevisionKind.SAVE,
                       intro_md="First version.")  # fmt: skip
        first = review.revisions.get()
        Revision.objects.update(created_at=first.created_at - COALESCE * 2)
        review = _save(review, author, kind=RevisionKind.SAVE, intro_md="Second version.")
        restored = revision_restore(revision=first, by=author)
        assert restored.intro_md == "First version."
        assert restored.intro_html == "<p>First version.</p>"
        assert restored.is_public and restored.slug == review.slug
        assert restored.revisions.first().kind == RevisionKind.RESTORE
        assert any("Second version." in r.text for r in restored.revisions.all())
