"""What a review page tells machines: canonical URL, Open Graph, X cards and schema.org JSON-LD.

Pure builders: each takes a review (and the request, for the origin) and returns plain data;
``templates/reviews/_seo_head.html`` turns it into tags. The generic helpers (absolute and
canonical URLs, the JSON-LD script element) live in ``kansou.core.seo`` and the anime's own
JSON-LD in ``kansou.catalog.seo``; both are re-exported here under their old names.
"""

from __future__ import annotations

from django.http import HttpRequest
from django.urls import reverse

from kansou.catalog.models import Anime
from kansou.catalog.seo import (  # noqa: F401 (re-exported)
    AnimeFacts,
    alternate_names,
    anime_facts,
    anime_schema_type,
    anime_titles,
)
from kansou.catalog.seo import anime_json_ld as catalog_anime_json_ld
from kansou.core.seo import (  # noqa: F401 (re-exported)
    LANGUAGE,
    LOCALE,
    SITE_NAME,
    absolute_url,
    canonical_url,
    json_ld_script,
    site_origin,
)
from kansou.reviews.models import Review

BEST_SCORE = 10
WORST_SCORE = 0


def author_name(user) -> str:
    return user.get_full_name() or user.get_username()


def author_url(user) -> str:
    return reverse("reviews:author", args=[user.get_username()])


def review_authors(review: Review) -> list:
    """Authors in byline order; uses ``review_authors`` when prefetched (no extra query then)."""
    return review.ordered_authors()


def review_description(review: Review) -> str:
    if review.summary:
        return review.summary
    return f"A review of {review.anime.title}." if review.anime_id else ""


def anime_json_ld(anime: Anime, request: HttpRequest | None = None, about=None) -> dict:
    """The reviewed work (``kansou.catalog.seo.anime_json_ld``).

    ``about`` (a ``reviews.selectors.About`` the page already read) saves reading the tags,
    studios and links again.
    """
    facts = None
    if about is not None:
        facts = AnimeFacts(
            alternate_names=alternate_names(anime, anime_titles(anime)),
            genres=[row.tag.name for row in about.tags],
            studios=list(about.studios),
            same_as=[source.url for source in about.sources],
        )
    return catalog_anime_json_ld(anime, request, facts)


def review_json_ld(review: Review, request: HttpRequest | None = None, about=None) -> dict:
    """schema.org ``Review`` of the anime (FORMATS.md 3.7); ``itemReviewed`` only when known."""
    url = absolute_url(review.get_absolute_url(), request)
    data: dict = {
        "@context": "https://schema.org",
        "@type": "Review",
        "name": review.title,
        "url": url,
        "mainEntityOfPage": url,
        "inLanguage": LANGUAGE,
        "author": [
            {
                "@type": "Person",
                "name": author_name(user),
                "url": absolute_url(author_url(user), request),
            }
            for user in review_authors(review)
        ],
        "publisher": {
            "@type": "Organization",
            "name": SITE_NAME,
            "url": absolute_url(reverse("reviews:home"), request),
        },
    }
    if review.publish_at:
        data["datePublished"] = review.publish_at.isoformat()
    if review.updated_at:
        data["dateModified"] = review.updated_at.isoformat()
    if review.summary:
        data["description"] = review.summary
    if review.score is not None:
        data["reviewRating"] = {
            "@type": "Rating",
            "ratingValue": str(review.score),
            "bestRating": BEST_SCORE,
            "worstRating": WORST_SCORE,
        }
    if review.anime_id:
        data["itemReviewed"] = anime_json_ld(review.anime, request, about)
    return data


def open_graph(review: Review, request: HttpRequest | None = None) -> list[tuple[str, str]]:
    """``(property, content)`` pairs for ``<meta property>``: ogp.me's article type."""
    tags = [
        ("og:type", "article"),
        ("og:title", review.title),
        ("og:url", absolute_url(review.get_absolute_url(), request)),
        ("og:site_name", SITE_NAME),
        ("og:locale", LOCALE),
    ]
    description = review_description(review)
    if description:
        tags.append(("og:description", description))
    if review.anime_id and review.anime.share_image:
        tags.append(("og:image", absolute_url(review.anime.share_image, request)))
        tags.append(("og:image:alt", f"{review.anime.title} poster"))
    if review.publish_at:
        tags.append(("article:published_time", review.publish_at.isoformat()))
    if review.updated_at:
        tags.append(("article:modified_time", review.updated_at.isoformat()))
    for user in review_authors(review):
        tags.append(("article:author", absolute_url(author_url(user), request)))
    if review.anime_id:
        tags.append(("article:section", review.anime.title))
    for label in review.labels.all():
        tags.append(("article:tag", label.name))
    return tags


def twitter_card(review: Review, request: HttpRequest | None = None) -> list[tuple[str, str]]:
    """``(name, content)`` pairs for ``<meta name>``; X falls back to Open Graph for the rest."""
    image = review.anime.share_image if review.anime_id else ""
    tags = [
        ("twitter:card", "summary_large_image" if image else "summary"),
        ("twitter:title", review.title),
    ]
    description = review_description(review)
    if description:
        tags.append(("twitter:description", description))
    if image:
        tags.append(("twitter:image", absolute_url(image, request)))
        tags.append(("twitter:image:alt", f"{review.anime.title} poster"))
    return tags
