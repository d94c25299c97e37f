"""The rows a page shows for search hits."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Prefetch

from kansou.catalog.models import Anime, AnimeTag
from kansou.reviews.models import Review

from .engine import Hit


@dataclass(frozen=True)
class HitItem:
    """A hit with the row a page shows: ``anime`` (with ``shown_tags``) or ``review``."""

    hit: Hit
    anime: object | None = None
    review: object | None = None


def search_hit_items(hits: list[Hit]) -> list[HitItem]:
    """The anime and published reviews behind ``hits``, in two or three queries; a review
    withdrawn since the last reindex is left out."""
    tags = AnimeTag.objects.shown().select_related("tag").order_by("tag__name")
    anime = Anime.objects.defer("synopsis", "imported", "import_hash").prefetch_related(
        Prefetch("anime_tags", queryset=tags, to_attr="shown_tags")
    )
    anime_rows = anime.in_bulk([h.anime_id for h in hits if h.kind == "anime"])
    review_ids = [h.review_id for h in hits if h.kind == "review"]
    reviews = (
        Review.objects.published().select_related("anime").in_bulk(review_ids) if review_ids else {}
    )
    items = []
    for hit in hits:
        if hit.kind == "anime" and hit.anime_id in anime_rows:
            row = anime_rows[hit.anime_id]
            row.matched_title = hit.matched_title
            items.append(HitItem(hit, anime=row))
        elif hit.kind == "review" and hit.review_id in reviews:
            items.append(HitItem(hit, review=reviews[hit.review_id]))
    return items
