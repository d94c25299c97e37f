"""Reads that assemble catalog data for pages, the API and the CLI."""

from __future__ import annotations

import threading
from collections import Counter
from dataclasses import dataclass

from django.db.models import Count, Max

from kansou.catalog.lookup import TitleIndex, prior
from kansou.catalog.models import Anime, AnimeTitle

_index_lock = threading.Lock()
_index_cache: dict[str, object] = {"version": None, "index": None}


@dataclass(frozen=True)
class AnimeMatch:
    anime: Anime
    matched_title: str
    similarity: float


def _catalog_version() -> tuple:
    """Changes whenever an entry or a title is added, edited or removed."""
    anime = Anime.objects.aggregate(n=Count("pk"), changed=Max("updated_at"))
    titles = AnimeTitle.objects.aggregate(n=Count("pk"), last=Max("pk"))
    return (anime["n"], anime["changed"], titles["n"], titles["last"])


def title_index() -> TitleIndex:
    """The process-wide title index, rebuilt when the catalog has changed."""
    version = _catalog_version()
    with _index_lock:
        if _index_cache["version"] != version:
            rows = list(AnimeTitle.objects.shown().values_list("anime_id", "text", "normalized"))
            counts = Counter(anime_id for anime_id, _, _ in rows)
            priors = {
                pk: prior(counts[pk], score, kind)
                for pk, score, kind in Anime.objects.values_list("pk", "score", "kind")
            }
            _index_cache.update(version=version, index=TitleIndex(rows, priors))
        return _index_cache["index"]


def anime_find(*, query: str, limit: int = 10) -> list[AnimeMatch]:
    """Anime whose titles match ``query`` in any language, best first."""
    matches = title_index().search(query, limit=limit)
    rows = Anime.objects.prefetch_related("external_ids").in_bulk([m.anime_id for m in matches])
    return [
        AnimeMatch(rows[m.anime_id], m.matched_title, m.similarity)
        for m in matches
        if m.anime_id in rows
    ]
