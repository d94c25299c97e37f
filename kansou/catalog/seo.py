"""What an anime's page tells machines: canonical URL, Open Graph, X card and schema.org JSON-LD.

Pure builders over catalog rows (the generic URL and script helpers are ``kansou.core.seo``);
a review's JSON-LD uses ``anime_json_ld`` as its ``itemReviewed``.

schema.org: Google shows review snippets only for a few ``itemReviewed`` types, so an anime is a
``Movie`` when it is a film or a one-episode OVA/ONA/special, and a ``TVSeries`` otherwise. No
``aggregateRating``: the catalog's score is the source sites' public score, with no count of
ratings behind it on this site, and a rating without its count is not one. Never the synopsis
(third-party prose).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.http import HttpRequest

from kansou.catalog.models import Anime, AnimeCompany, AnimeTag, AnimeTitle, AnimeType
from kansou.catalog.selectors import AnimeDetail
from kansou.core.seo import LOCALE, SITE_NAME, absolute_url, json_ld_script

# One-piece kinds that read as a film when they have a single episode.
_SINGLE_PIECE_KINDS = {AnimeType.OVA, AnimeType.ONA, AnimeType.SPECIAL}
# Title kinds worth giving as ``alternateName``, in this order; a handful is enough.
_ALTERNATE_TITLE_KINDS = (AnimeTitle.Kind.ENGLISH, AnimeTitle.Kind.ROMAJI, AnimeTitle.Kind.NATIVE)
MAX_ALTERNATE_NAMES = 5


@dataclass(frozen=True)
class AnimeFacts:
    """What the JSON-LD says beyond the anime row: other titles, genres (shown tags), studio
    names and the anime's pages elsewhere."""

    alternate_names: list[str]
    genres: list[str]
    studios: list[str]
    same_as: list[str]


def alternate_names(anime: Anime, titles: list[AnimeTitle]) -> list[str]:
    """English, romaji and native titles other than the shown one, without repeats."""
    rank = {kind: i for i, kind in enumerate(_ALTERNATE_TITLE_KINDS)}
    chosen = sorted((t for t in titles if t.kind in rank), key=lambda t: rank[t.kind])
    names = dict.fromkeys(t.text for t in chosen if t.text != anime.title)
    return list(names)[:MAX_ALTERNATE_NAMES]


def anime_titles(anime: Anime) -> list[AnimeTitle]:
    """The shown titles ``alternate_names`` chooses from (one query)."""
    titles = AnimeTitle.objects.shown().filter(anime=anime, kind__in=_ALTERNATE_TITLE_KINDS)
    return list(titles.order_by("pk"))


def anime_facts(anime: Anime) -> AnimeFacts:
    """The facts read from the database (four queries)."""
    genres = AnimeTag.objects.shown().filter(anime=anime).order_by("tag__name")
    studios = (
        AnimeCompany.objects.shown()
        .filter(anime=anime, role=AnimeCompany.Role.STUDIO)
        .order_by("company__name")
        .values_list("company__name", flat=True)
    )
    return AnimeFacts(
        alternate_names=alternate_names(anime, anime_titles(anime)),
        genres=list(genres.values_list("tag__name", flat=True)),
        studios=list(studios),
        same_as=list(anime.external_ids.values_list("url", flat=True)),
    )


def detail_facts(detail: AnimeDetail) -> AnimeFacts:
    """The facts from what the anime's page already read (no query)."""
    return AnimeFacts(
        alternate_names=alternate_names(detail.anime, detail.titles),
        genres=[row.tag.name for row in detail.tags],
        studios=[row.company.name for row in detail.studios],
        same_as=[source.url for source in detail.sources],
    )


def anime_schema_type(anime: Anime) -> str:
    if anime.kind == AnimeType.MOVIE:
        return "Movie"
    if anime.kind in _SINGLE_PIECE_KINDS and anime.episodes == 1:
        return "Movie"
    return "TVSeries"


def anime_json_ld(
    anime: Anime, request: HttpRequest | None = None, facts: AnimeFacts | None = None
) -> dict:
    """schema.org ``Movie`` or ``TVSeries``: name, other titles, image, genres, studios, year,
    episodes or running time, links. ``facts`` saves reading them again (``detail_facts``)."""
    facts = facts if facts is not None else anime_facts(anime)
    kind = anime_schema_type(anime)
    data: dict = {
        "@type": kind,
        "name": anime.title,
        "url": absolute_url(anime.get_absolute_url(), request),
    }
    if facts.alternate_names:
        data["alternateName"] = facts.alternate_names
    if anime.share_image:
        data["image"] = absolute_url(anime.share_image, request)
    if facts.genres:
        data["genre"] = facts.genres
    companies = [{"@type": "Organization", "name": name} for name in dict.fromkeys(facts.studios)]
    if companies:
        data["productionCompany"] = companies
    if anime.year:
        data["startDate" if kind == "TVSeries" else "datePublished"] = str(anime.year)
    if kind == "TVSeries" and anime.episodes:
        data["numberOfEpisodes"] = anime.episodes
    if kind == "Movie" and anime.duration_minutes:
        data["duration"] = f"PT{anime.duration_minutes * max(anime.episodes, 1)}M"
    if facts.same_as:
        data["sameAs"] = facts.same_as
    return data


def anime_description(anime: Anime) -> str:
    """The page's one-line description: facts only (``Aria: TV, Fall 2005.``)."""
    aired = f", {anime.season_label}" if anime.year else ""
    return f"{anime.title}: {anime.get_kind_display()}{aired}."


def anime_open_graph(anime: Anime, request: HttpRequest | None = None) -> list[tuple[str, str]]:
    """``(property, content)`` pairs for ``<meta property>``: ogp.me's video types."""
    movie = anime_schema_type(anime) == "Movie"
    tags = [
        ("og:type", "video.movie" if movie else "video.tv_show"),
        ("og:title", anime.title),
        ("og:url", absolute_url(anime.get_absolute_url(), request)),
        ("og:site_name", SITE_NAME),
        ("og:locale", LOCALE),
        ("og:description", anime_description(anime)),
    ]
    if image := anime.share_image:
        tags += [
            ("og:image", absolute_url(image, request)),
            ("og:image:alt", f"{anime.title} poster"),
        ]
    return tags


def anime_twitter_card(anime: Anime, request: HttpRequest | None = None) -> list[tuple[str, str]]:
    """``(name, content)`` pairs for ``<meta name>``; X falls back to Open Graph for the rest."""
    tags = [
        ("twitter:card", "summary_large_image" if anime.share_image else "summary"),
        ("twitter:title", anime.title),
        ("twitter:description", anime_description(anime)),
    ]
    if image := anime.share_image:
        image = absolute_url(image, request)
        tags += [("twitter:image", image), ("twitter:image:alt", f"{anime.title} poster")]
    return tags


def anime_page_seo(detail: AnimeDetail, request: HttpRequest) -> dict:
    """Everything the anime page's head shows machines, from what the page already read."""
    anime = detail.anime
    data = {"@context": "https://schema.org"}
    data.update(anime_json_ld(anime, request, detail_facts(detail)))
    return {
        "canonical": absolute_url(anime.get_absolute_url(), request),
        "description": anime_description(anime),
        "open_graph": anime_open_graph(anime, request),
        "twitter": anime_twitter_card(anime, request),
        "json_ld": json_ld_script(data),
    }
