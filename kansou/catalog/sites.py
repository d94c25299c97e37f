"""The source sites an anime can be known by, and parsing their URLs into (site, id)."""

from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass(frozen=True)
class Site:
    key: str
    label: str
    hosts: tuple[str, ...]
    url_template: str


SITES = {
    site.key: site
    for site in (
        Site(
            "myanimelist", "MyAnimeList", ("myanimelist.net",), "https://myanimelist.net/anime/{}"
        ),
        Site("anilist", "AniList", ("anilist.co",), "https://anilist.co/anime/{}"),
        Site("kitsu", "Kitsu", ("kitsu.app", "kitsu.io"), "https://kitsu.app/anime/{}"),
        Site("anidb", "AniDB", ("anidb.net",), "https://anidb.net/anime/{}"),
        Site(
            "animeplanet",
            "Anime-Planet",
            ("anime-planet.com",),
            "https://www.anime-planet.com/anime/{}",
        ),
        Site("anisearch", "aniSearch", ("anisearch.com",), "https://www.anisearch.com/anime/{}"),
        Site("animenewsnetwork", "Anime News Network", ("animenewsnetwork.com",), "{}"),
        Site("livechart", "LiveChart", ("livechart.me",), "https://www.livechart.me/anime/{}"),
        Site("simkl", "Simkl", ("simkl.com",), "https://simkl.com/anime/{}"),
        Site(
            "animecountdown",
            "AnimeCountdown",
            ("animecountdown.com",),
            "https://animecountdown.com/{}",
        ),
        Site("notify", "Notify.moe", ("notify.moe",), "https://notify.moe/anime/{}"),
    )
}
OTHER = "other"
_HOST_TO_SITE = {host: site.key for site in SITES.values() for host in site.hosts}
_URL = re.compile(r"https?://(?P<host>[^/?#:]+)(?::\d+)?(?P<path>[^?#]*)", re.IGNORECASE)
_ID_IN_PATH = re.compile(r"/anime/(?:[a-z]+/)?([^/?#]+)")
_MAX_ID_LENGTH = 64


def parse_source_url(url: str) -> tuple[str, str]:
    """Split a source URL into its site key and the site's own id for the anime.

    >>> parse_source_url("https://myanimelist.net/anime/28851")
    ('myanimelist', '28851')
    >>> parse_source_url("https://example.org/show/9")
    ('other', '')

    Raises ``ValueError`` when the text is not an http(s) URL.
    """
    parts = _URL.match(url)
    if not parts:
        raise ValueError(f"not an http(s) URL: {url!r}")
    site = _HOST_TO_SITE.get(parts["host"].lower().removeprefix("www."), OTHER)
    match = _ID_IN_PATH.match(parts["path"])
    if site == OTHER or not match or len(match.group(1)) > _MAX_ID_LENGTH:
        return site, ""
    return site, match.group(1)


def site_label(key: str) -> str:
    return SITES[key].label if key in SITES else "Other"
