"""Reads that assemble a review page: the review, its catalog "about" box and what to read next."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.db.models import Count, IntegerField, OuterRef, Prefetch, QuerySet, Subquery
from django.db.models.functions import Coalesce

from kansou.catalog.models import (
    Anime,
    AnimeCompany,
    AnimeTag,
    ExternalId,
    Origin,
    StaffCredit,
)
from kansou.reviews.models import AudienceProfile, ComparableTitle, Review

ORIGINAL_CREATOR_ROLE = "original creator"

# The recommender's ranking for "you might also love", registered by ``discovery`` (which builds
# on reviews; reviews cannot import it). A ranker returns None when it has nothing to say (no
# trained model), and the shared-tags ranking below answers instead.
ALSO_LOVE_RANKERS: list[Callable[..., list[Review] | None]] = []


def review_by_slug(slug: str) -> Review | None:
    """The review at ``slug``, whatever its status (the page decides who may see it).

    The review page's one query per request, written out: Django's query compiler costs ten
    times what SQLite takes to answer this primary-key-like lookup on the unique slug.
    """
    table = Review._meta.db_table
    found = list(Review.objects.raw(f"SELECT * FROM {table} WHERE slug = %s", [slug]))
    return found[0] if found else None


@dataclass(frozen=True)
class About:
    """The catalog's facts about the reviewed anime; never typed by the reviewer."""

    anime: Anime
    studios: list[str]
    tags: list[AnimeTag]
    original_creators: list[str]
    sources: list[ExternalId]


@dataclass(frozen=True)
class ReviewPage:
    review: Review
    authors: list
    labels: list
    about: About | None
    audience: list[AudienceProfile]
    characters: list
    themes: list
    sections: list
    also_love: list[Review]


def anime_about(*, anime: Anime) -> About:
    studios = (
        AnimeCompany.objects.shown()
        .filter(anime=anime, role=AnimeCompany.Role.STUDIO)
        .select_related("company")
        .order_by("company__name")
    )
    creators = (
        StaffCredit.objects.filter(anime=anime, role__iexact=ORIGINAL_CREATOR_ROLE)
        .exclude(origin=Origin.HIDDEN)
        .select_related("person")
    )
    return About(
        anime=anime,
        studios=[row.company.name for row in studios],
        tags=list(
            AnimeTag.objects.shown().filter(anime=anime).select_related("tag").order_by("tag__name")
        ),
        original_creators=[credit.person.name for credit in creators],
        sources=list(anime.external_ids.all()),
    )


def review_also_love(*, review: Review, n: int = 4) -> list[Review]:
    """Up to ``n`` other published reviews, those whose anime share most tags with this one's
    first, then the newest; reviews of the same anime are left out.

    A registered ranker (``ALSO_LOVE_RANKERS``) replaces this ranking when it answers.
    """
    for rank in ALSO_LOVE_RANKERS:
        ranked = rank(review=review, n=n)
        if ranked is not None:
            return ranked
    qs: QuerySet = Review.objects.published().exclude(pk=review.pk).select_related("anime")
    if review.anime_id is None:
        return list(qs.order_by("-publish_at", "-pk")[:n])
    tag_ids = AnimeTag.objects.shown().filter(anime_id=review.anime_id).values("tag_id")
    shared = (
        AnimeTag.objects.shown()
        .filter(anime_id=OuterRef("anime_id"), tag_id__in=tag_ids)
        .order_by()
        .values("anime_id")
        .annotate(count=Count("pk"))
        .values("count")
    )
    qs = qs.exclude(anime_id=review.anime_id).annotate(
        shared_tags=Coalesce(Subquery(shared, output_field=IntegerField()), 0)
    )
    return list(qs.order_by("-shared_tags", "-publish_at", "-pk")[:n])


def review_page(*, review: Review) -> ReviewPage:
    """Everything the review page shows, with section rows and comparable titles prefetched."""
    comparable = ComparableTitle.objects.select_related("anime").order_by("position", "pk")
    audience = review.audience.prefetch_related(
        Prefetch("comparable_titles", queryset=comparable, to_attr="comparable_list")
    )
    return ReviewPage(
        review=review,
        authors=review.ordered_authors(),
        labels=list(review.labels.all()),
        about=anime_about(anime=review.anime) if review.anime_id else None,
        audience=list(audience),
        characters=list(review.characters.select_related("character")),
        themes=list(review.themes.all()),
        sections=list(review.sections.all()),
        also_love=review_also_love(review=review),
    )
