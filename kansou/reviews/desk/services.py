"""Writes the writing desk makes: a new draft, a save checked against the version the author's
page started from, publishing and scheduling with a revision each, and suggested audiences.

**Version rule.** Every page and every save answer carries the review's *version* (its
``updated_at`` as stored, which every full save, publish and admin edit moves on). A save names
the version it was edited from; when the review has moved on since (another tab, a co-author, an
editor in the admin, a restored revision), the save raises ``StaleVersion`` and writes nothing.
"""

from __future__ import annotations

import datetime as dt
import re
import secrets

from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from kansou.reviews.desk.registry import audience_suggestions
from kansou.reviews.desk.revisions import revision_record
from kansou.reviews.models import Review, ReviewAuthor, ReviewStatus, RevisionKind
from kansou.reviews.services import (
    AudienceInput,
    ReviewInput,
    review_publish,
    review_save,
    review_schedule,
    review_unpublish,
)

NEW_TITLE = "Untitled review"
STALE = (
    "This review was changed somewhere else (another tab, a co-author or an editor) since this "
    "page was loaded. Your latest changes here were not saved. Reload the page to get the newest "
    "version, then make your changes again."
)
_PLACEHOLDER_SLUG = re.compile(r"draft-[0-9a-f]{8}")
SLUG_MAX = 200


class StaleVersion(Exception):
    def __init__(self, message: str = STALE):
        super().__init__(message)
        self.message = message


def review_version(review: Review) -> str:
    """The version of ``review`` as stored (not as this object may have it in memory)."""
    stamp = Review.objects.filter(pk=review.pk).values_list("updated_at", flat=True).first()
    return stamp.isoformat() if stamp else ""


def slug_is_automatic(review: Review) -> bool:
    """Whether the slug still follows the title: a draft's placeholder, or its title's slug
    (with a number added when taken). Then the desk shows the field empty."""
    if review.status != ReviewStatus.DRAFT:
        return False
    if _PLACEHOLDER_SLUG.fullmatch(review.slug):
        return True
    base = slugify(review.title)[:SLUG_MAX]
    return bool(base) and re.fullmatch(rf"{re.escape(base)}(-\d+)?", review.slug) is not None


def slug_for(title: str, *, review: Review) -> str:
    """A free slug made from ``title``: ``base``, else ``base-2``, ``base-3``…"""
    base = slugify(title)[: SLUG_MAX - 8] or "review"
    taken = set(
        Review.objects.filter(slug__startswith=base).exclude(pk=review.pk)
        .values_list("slug", flat=True)
    )  # fmt: skip
    slug, n = base, 1
    while slug in taken:
        n += 1
        slug = f"{base}-{n}"
    return slug


@transaction.atomic
def desk_review_create(*, by) -> Review:
    """A new, empty draft by ``by``, with a placeholder slug until it has a title."""
    review = Review(title=NEW_TITLE, slug=f"draft-{secrets.token_hex(4)}")
    review.full_clean()
    review.save()
    ReviewAuthor.objects.create(review=review, user=by, position=0)
    return review


def _check_version(review: Review, version: str) -> Review:
    locked = Review.objects.select_for_update().get(pk=review.pk)
    if locked.updated_at.isoformat() != version:
        raise StaleVersion()
    return locked


@transaction.atomic
def desk_review_save(
    *, review: Review, data: ReviewInput, version: str, by, kind: str = RevisionKind.SAVE
) -> Review:
    """Save what the author wrote (``data``: everything but byline, status and publication
    time, which stay as they are) if ``version`` is current (the module's version rule), then
    record a revision. An empty ``data.slug`` means "from the title"."""
    review = _check_version(review, version)
    data.authors = review.ordered_authors()
    data.status, data.publish_at = review.status, review.publish_at
    if not data.slug:
        data.slug = slug_for(data.title, review=review)
    review = review_save(data=data, review=review)
    revision_record(review=review, by=by, kind=kind)
    return review


@transaction.atomic
def desk_review_publish(
    *, review: Review, data: ReviewInput, version: str, by, at: dt.datetime | None = None
) -> Review:
    """Save, then publish now (``at`` empty) or schedule for ``at`` (which must be in the
    future: ``services.SCHEDULE_IN_PAST``); one revision marks the moment."""
    review = desk_review_save(review=review, data=data, version=version, by=by)
    if at is None:
        review = review_publish(review=review, at=review.publish_at if review.is_public else None)
    else:
        review = review_schedule(review=review, at=at)
    revision_record(review=review, by=by, kind=RevisionKind.PUBLISH)
    return review


@transaction.atomic
def desk_review_unpublish(*, review: Review, data: ReviewInput, version: str, by) -> Review:
    """Save, then take the review back to draft (it leaves the site at once)."""
    review = desk_review_save(review=review, data=data, version=version, by=by)
    review = review_unpublish(review=review)
    revision_record(review=review, by=by, kind=RevisionKind.SAVE)
    return review


def desk_audience_suggest(*, data: ReviewInput) -> list[AudienceInput]:
    """``data.audience`` plus the registered suggester's profiles for ``data.anime`` whose names
    it does not have yet (none without an anime or a suggester). Writes nothing: the author edits
    the rows, then saves."""
    if data.anime is None:
        return list(data.audience)
    have = {profile.name.strip().casefold() for profile in data.audience}
    added = [
        AudienceInput(s.name, s.why_md, list(s.comparable))
        for s in audience_suggestions(anime=data.anime)
        if s.name.strip().casefold() not in have
    ]
    return [*data.audience, *added]


def review_state(review: Review) -> str:
    """ "Draft", "Scheduled for 3 May 2026, 18:00" or "Published 3 May 2026", in local time."""
    if review.status == ReviewStatus.DRAFT or review.publish_at is None:
        return "Draft"
    when = timezone.localtime(review.publish_at)
    if review.is_public:
        return f"Published {when:%-d %B %Y}"
    return f"Scheduled for {when:%-d %B %Y, %H:%M}"
