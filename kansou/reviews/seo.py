"""What a review page tells machines: canonical URL, Open Graph, X cards and schema.org JSON-LD.

Pure builders: each takes a review (and the request, for the origin) and returns plain data;
``templates/reviews/_seo_head.html`` turns it into tags. Absolute URLs use ``KANSOU_SITE_URL``
when set (one canonical origin behind any proxy), else the request's own scheme and host.

schema.org: Google shows review snippets only for a few ``itemReviewed`` types, so an anime is a
``Movie`` when it is a film or a one-episode OVA/ONA/special, and a ``TVSeries`` otherwise.
"""

from __future__ import annotations

import json
from urllib.parse import urlencode

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpRequest
from django.urls import reverse
from django.utils.safestring import SafeString, mark_safe

from kansou.catalog.models import Anime, AnimeCompany, AnimeTag, AnimeTitle, AnimeType
from kansou.core.params import int_param
from kansou.reviews.models import Review

SITE_NAME = "Kansou"
LOCALE = "en_US"
LANGUAGE = "en"
BEST_SCORE = 10
WORST_SCORE = 0

# One-piece kinds that read as a film when they have a single episode.
_SINGLE_PIECE_KINDS = {AnimeType.OVA, AnimeType.ONA, AnimeType.SPECIAL}
# Title kinds worth giving as ``alternateName``.
_ALTERNATE_TITLE_KINDS = (AnimeTitle.Kind.ENGLISH, AnimeTitle.Kind.ROMAJI, AnimeTitle.Kind.NATIVE)
# json_script's escapes: the JSON cannot close the <script> element or start an HTML comment.
_SCRIPT_ESCAPES = {ord("<"): "\\u003C", ord(">"): "\\u003E", ord("&"): "\\u0026"}


def site_origin(request: HttpRequest | None = None) -> str:
    """``https://host`` without a trailing slash: the setting, else the request's origin."""
    if settings.KANSOU_SITE_URL:
        return settings.KANSOU_SITE_URL
    if request is None:
        raise ValueError("KANSOU_SITE_URL is empty and there is no request to take the host from.")
    return f"{request.scheme}://{request.get_host()}"


def absolute_url(path: str, request: HttpRequest | None = None) -> str:
    if path.startswith(("http://", "https://")):
        return path
    return site_origin(request) + path


def canonical_url(request: HttpRequest, path: str | None = None) -> str:
    """The page's one URL: its path, keeping only a ``page`` number past the first."""
    url = absolute_url(path or request.path, request)
    page = int_param(request.GET.get("page"), low=2)
    if page is not None:
        url += "?" + urlencode({"page": page})
    return url


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


def anime_schema_type(anime: Anime) -> str:
    if anime.kind == AnimeType.MOVIE:
        return "Movie"
    if anime.kind in _SINGLE_PIECE_KINDS and anime.episodes == 1:
        return "Movie"
    return "TVSeries"


def _catalog_facts(anime: Anime, about=None) -> tuple[list[str], list[str], list[str]]:
    """Genres (shown tags), studios and source links: from ``about`` when the page read them."""
    if about is not None:
        return (
            [row.tag.name for row in about.tags],
            list(about.studios),
            [source.url for source in about.sources],
        )
    genres = AnimeTag.objects.shown().filter(anime=anime).order_by("tag__name")
    studios = (
        AnimeCompany.objects.shown()
        .filter(anime=anime, role=AnimeCompany.Role.STUDIO)
        .order_by("company__name")
        .values_list("company__name", flat=True)
    )
    return (
        list(genres.values_list("tag__name", flat=True)),
        list(studios),
        list(anime.external_ids.values_list("url", flat=True)),
    )


def anime_json_ld(anime: Anime, request: HttpRequest | None = None, about=None) -> dict:
    """The reviewed work: name, other titles, genres (shown tags), studios, year, links.

    ``about`` (a ``reviews.selectors.About`` the page already read) saves reading the tags,
    studios and links again.
    """
    kind = anime_schema_type(anime)
    data: dict = {
        "@type": kind,
        "name": anime.title,
        "url": absolute_url(anime.get_absolute_url(), request),
    }
    alternates = list(
        AnimeTitle.objects.shown()
        .filter(anime=anime, kind__in=_ALTERNATE_TITLE_KINDS)
        .exclude(text=anime.title)
        .values_list("text", flat=True)
    )
    if alternates:
        data["alternateName"] = list(dict.fromkeys(alternates))
    if anime.picture:
        data["image"] = anime.picture
    genre_names, studios, same_as = _catalog_facts(anime, about)
    if genre_names:
        data["genre"] = genre_names
    companies = [{"@type": "Organization", "name": name} for name in dict.fromkeys(studios)]
    if companies:
        data["productionCompany"] = companies
    if anime.year:
        data["startDate" if kind == "TVSeries" else "datePublished"] = str(anime.year)
    if kind == "TVSeries" and anime.episodes:
        data["numberOfEpisodes"] = anime.episodes
    if kind == "Movie" and anime.duration_minutes:
        data["duration"] = f"PT{anime.duration_minutes * max(anime.episodes, 1)}M"
    if same_as:
        data["sameAs"] = same_as
    return data


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


def json_ld_script(data: dict) -> SafeString:
    """A ``<script type="application/ld+json">`` element; data, so a strict CSP allows it."""
    text = json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False, indent=None)
    return mark_safe(  # noqa: S308 (escaped above: no <, > or & survive in the JSON)
        '<script type="application/ld+json">' + text.translate(_SCRIPT_ESCAPES) + "</script>"
    )


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
    if review.anime_id and review.anime.picture:
        tags.append(("og:image", review.anime.picture))
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
    image = review.anime.picture if review.anime_id else ""
    tags = [
        ("twitter:card", "summary_large_image" if image else "summary"),
        ("twitter:title", review.title),
    ]
    description = review_description(review)
    if description:
        tags.append(("twitter:description", description))
    if image:
        tags.append(("twitter:image", image))
        tags.append(("twitter:image:alt", f"{review.anime.title} poster"))
    return tags
