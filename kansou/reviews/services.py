"""Writes to reviews: save a whole review, render its Markdown, publish, schedule.

A review is always saved whole (``review_save``): its scalar fields, byline, labels and every
section row, then rendered. Editors and file imports build a ``ReviewInput`` and call it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from kansou.catalog.models import Anime, Character
from kansou.core.changes import reviews_changed
from kansou.reviews import markdown
from kansou.reviews.models import (
    AudienceProfile,
    ComparableTitle,
    FreeSection,
    Label,
    Review,
    ReviewAuthor,
    ReviewCharacter,
    ReviewStatus,
    Theme,
)

NEEDS_AUTHOR = "A review needs at least one author."
NEEDS_PUBLISH_AT = "A scheduled review needs a publication time."
SCHEDULE_IN_PAST = "A review can only be scheduled for a time in the future."


@dataclass
class AudienceInput:
    name: str
    why_md: str = ""
    comparable: list[Anime] = field(default_factory=list)


@dataclass
class CharacterInput:
    name: str
    text_md: str = ""
    character: Character | None = None


@dataclass
class ThemeInput:
    name: str
    text_md: str = ""


@dataclass
class SectionInput:
    heading: str
    body_md: str = ""


@dataclass
class ReviewInput:
    """Everything an author writes; references are already resolved to rows."""

    title: str
    slug: str
    authors: list[AbstractBaseUser]
    anime: Anime | None = None
    status: str = ReviewStatus.DRAFT
    publish_at: dt.datetime | None = None
    score: Decimal | None = None
    labels: list[str] = field(default_factory=list)
    summary: str = ""
    intro_md: str = ""
    final_thoughts_md: str = ""
    audience: list[AudienceInput] = field(default_factory=list)
    characters: list[CharacterInput] = field(default_factory=list)
    themes: list[ThemeInput] = field(default_factory=list)
    sections: list[SectionInput] = field(default_factory=list)


def _labels(names: list[str]) -> list[Label]:
    labels = []
    for name in dict.fromkeys(n.strip() for n in names if n.strip()):
        slug = slugify(name, allow_unicode=True) or name
        label = Label.objects.filter(slug=slug).first()
        if label is None:
            label = Label(name=name, slug=slug)
            label.full_clean()
            label.save()
        labels.append(label)
    return labels


def _replace_parts(review: Review, data: ReviewInput) -> None:
    review.audience.all().delete()
    review.characters.all().delete()
    review.themes.all().delete()
    review.sections.all().delete()
    for position, item in enumerate(data.audience):
        profile = AudienceProfile(review=review, position=position, name=item.name,
                                  why_md=item.why_md)  # fmt: skip
        profile.full_clean()
        profile.save()
        audience_set_comparable(profile=profile, anime=item.comparable)
    rows = [
        *(ReviewCharacter(review=review, position=i, name=c.name, text_md=c.text_md,
                          character=c.character) for i, c in enumerate(data.characters)),
        *(Theme(review=review, position=i, name=t.name, text_md=t.text_md)
          for i, t in enumerate(data.themes)),
        *(FreeSection(review=review, position=i, heading=s.heading, body_md=s.body_md)
          for i, s in enumerate(data.sections)),
    ]  # fmt: skip
    for row in rows:
        row.full_clean()
        row.save()


@transaction.atomic
def review_save(*, data: ReviewInput, review: Review | None = None) -> Review:
    """Create ``review`` (or replace all of it) from ``data``, then render it.

    Rules: at least one author; a *published* review without ``publish_at`` is published now; a
    *scheduled* one needs ``publish_at``. Labels are found by slug or created. Raises
    ``ValidationError`` and writes nothing when a rule or a field check fails.
    """
    if not data.authors:
        raise ValidationError({"authors": NEEDS_AUTHOR})
    publish_at = data.publish_at
    if data.status == ReviewStatus.PUBLISHED and publish_at is None:
        publish_at = timezone.now()
    if data.status == ReviewStatus.SCHEDULED and publish_at is None:
        raise ValidationError({"publish_at": NEEDS_PUBLISH_AT})
    review = review or Review()
    for name in ("title", "slug", "anime", "status", "score", "summary", "intro_md",
                 "final_thoughts_md"):  # fmt: skip
        setattr(review, name, getattr(data, name))
    review.publish_at = publish_at
    review.full_clean()
    review.save()
    review.review_authors.all().delete()
    ReviewAuthor.objects.bulk_create(
        ReviewAuthor(review=review, user=user, position=i)
        for i, user in enumerate(dict.fromkeys(data.authors))
    )
    review.labels.set(_labels(data.labels))
    _replace_parts(review, data)
    return review_render(review=review)


@transaction.atomic
def audience_set_comparable(*, profile: AudienceProfile, anime: list[Anime]) -> None:
    """Replace the profile's comparable titles with ``anime``, in order, without repeats."""
    profile.comparable_titles.all().delete()
    ComparableTitle.objects.bulk_create(
        ComparableTitle(profile=profile, anime=item, position=i)
        for i, item in enumerate(dict.fromkeys(anime))
    )


@transaction.atomic
def review_render(*, review: Review) -> Review:
    """Fill every ``*_html`` field and ``reading_minutes`` from the Markdown sources."""
    sources = [review.intro_md, review.final_thoughts_md]
    review.intro_html = markdown.render(review.intro_md)
    review.final_thoughts_html = markdown.render(review.final_thoughts_md)
    parts = [
        (review.audience.all(), "why_md", "why_html"),
        (review.characters.all(), "text_md", "text_html"),
        (review.themes.all(), "text_md", "text_html"),
        (review.sections.all(), "body_md", "body_html"),
    ]
    for rows, source, target in parts:
        rows = list(rows)
        for row in rows:
            setattr(row, target, markdown.render(getattr(row, source)))
            sources.append(getattr(row, source))
        if rows:
            type(rows[0]).objects.bulk_update(rows, [target])
    review.reading_minutes = markdown.reading_minutes(review.summary, *sources)
    review.save(update_fields=["intro_html", "final_thoughts_html", "reading_minutes"])
    reviews_changed([review.pk])
    return review


@transaction.atomic
def review_publish(*, review: Review, at: dt.datetime | None = None) -> Review:
    """Publish now, or at ``at``: a future time makes the review *scheduled*."""
    now = timezone.now()
    at = at or now
    review.status = ReviewStatus.SCHEDULED if at > now else ReviewStatus.PUBLISHED
    review.publish_at = at
    review.full_clean()
    review.save(update_fields=["status", "publish_at", "updated_at"])
    reviews_changed([review.pk])
    return review


@transaction.atomic
def review_schedule(*, review: Review, at: dt.datetime) -> Review:
    """Schedule for ``at``, which must be in the future; it goes public then, without a job."""
    if at <= timezone.now():
        raise ValidationError({"publish_at": SCHEDULE_IN_PAST})
    return review_publish(review=review, at=at)


@transaction.atomic
def review_unpublish(*, review: Review) -> Review:
    """Back to draft; ``publish_at`` is kept so re-publishing can keep the original date."""
    review.status = ReviewStatus.DRAFT
    review.save(update_fields=["status", "updated_at"])
    reviews_changed([review.pk])
    return review
