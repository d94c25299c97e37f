"""What the reviews app adds to an anime's page: its published reviews ("Reviews").

A review links to its anime; this panel is the way back. The catalog cannot import reviews, so
the panel is registered in the catalog's registry (``kansou.catalog.panels``) from
``ReviewsConfig.ready``.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import F

from kansou.catalog.models import Anime
from kansou.catalog.panels import ANIME_PANELS, PanelSpec
from kansou.reviews.models import Review

PANEL = "reviews.anime_reviews"
STYLESHEET = "reviews/listing.css"


@dataclass(frozen=True)
class Byline:
    username: str
    name: str  # the full name, or the username when there is none


@dataclass
class AnimeReview:
    """A review as the anime's page lists it: the review and its authors in byline order."""

    review: Review
    bylines: list[Byline] = field(default_factory=list)


def anime_reviews(*, anime: Anime) -> list[AnimeReview]:
    """The published reviews of ``anime``, newest first, with their bylines, in one query.

    Drafts and reviews scheduled for later are left out (``Review.objects.published``). The
    bylines come through a left join on ``ReviewAuthor``, one row per author (a review with no
    author still has its one row), grouped here rather than prefetched in a second query.
    """
    rows = (
        Review.objects.published()
        .filter(anime=anime)
        .only("pk", "title", "slug", "publish_at", "summary", "score")
        .annotate(
            byline_username=F("review_authors__user__username"),
            byline_first_name=F("review_authors__user__first_name"),
            byline_last_name=F("review_authors__user__last_name"),
        )
        .order_by("-publish_at", "-pk", "review_authors__position", "review_authors__pk")
    )
    found: dict[int, AnimeReview] = {}
    for row in rows:
        item = found.setdefault(row.pk, AnimeReview(row))
        if row.byline_username is not None:
            full = f"{row.byline_first_name} {row.byline_last_name}".strip()
            item.bylines.append(Byline(row.byline_username, full or row.byline_username))
    return list(found.values())


def _read(anime: Anime) -> list[AnimeReview]:
    return anime_reviews(anime=anime)


def register_panels() -> None:
    """Idempotent: registering twice changes nothing."""
    ANIME_PANELS[PANEL] = PanelSpec("reviews/_anime_reviews.html", _read, stylesheets=(STYLESHEET,))
