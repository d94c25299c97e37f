"""Personal recommendations: for a history, a reader's list or a MyAnimeList export."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np

from kansou.discovery.artefact import Artefact, artefact_current
from kansou.discovery.interactions import entry_value, history_indices, mal_anime_ids
from kansou.discovery.selectors.cards import Suggestion, _cards
from kansou.recommend.neighbours import MINOR_KIND


@dataclass(frozen=True)
class RecommendationFilters:
    types: tuple[str, ...] = ()
    year_from: int | None = None
    year_to: int | None = None
    max_episodes: int | None = None


@dataclass
class Recommendations:
    """``available`` is False without a trained model; ``unknown`` counts history entries not
    in the model (not in the catalog, or added since training)."""

    suggestions: list[Suggestion]
    available: bool = True
    used: int = 0
    unknown: int = 0


def _allowed(art: Artefact, filters: RecommendationFilters) -> np.ndarray:
    """The items ``filters`` let through, built once per artefact and filters. Without a type
    filter, promos, CMs, music clips and recap specials (type SPECIAL) are left out: nobody
    asks for them as a recommendation."""
    return art.memo(("allowed", filters), lambda: _build_allowed(art, filters))


def _build_allowed(art: Artefact, filters: RecommendationFilters) -> np.ndarray:
    allowed = np.ones(len(art.items), dtype=bool)
    years, episodes = np.asarray(art.years), np.asarray(art.episodes)
    if filters.types:
        allowed &= np.isin(np.asarray(art.kinds), [t.upper() for t in filters.types])
    else:
        allowed &= np.asarray(art.kinds) != MINOR_KIND
    if filters.year_from is not None:
        allowed &= years >= filters.year_from
    if filters.year_to is not None:
        allowed &= (years > 0) & (years <= filters.year_to)
    if filters.max_episodes is not None:
        allowed &= (episodes > 0) & (episodes <= filters.max_episodes)
    allowed.flags.writeable = False  # shared by every request with these filters
    return allowed


def recommendations_for_history(
    *,
    entries: list[tuple[int, float | None]],
    seen: Iterable[int] = (),
    filters: RecommendationFilters | None = None,
    n: int = 20,
) -> Recommendations:
    """Recommendations for ``(anime_id, score or None)`` entries; None counts as loved.

    The model ranks from the loved entries (all entries when none is loved); every entry and
    every anime id in ``seen`` is excluded; ``filters`` restrict what may be returned.
    """
    art = artefact_current()
    if art is None:
        return Recommendations([], available=False)
    known, loved = history_indices(items=art.items, entries=entries)
    history = loved if loved.size else known
    extra = art.items.to_index(list(seen), missing="ignore")
    exclude = np.concatenate([known, extra[extra >= 0]]).astype(np.int64)
    indices, scores = art.model.recommend(
        history, n, exclude=exclude, allowed=_allowed(art, filters or RecommendationFilters())
    )
    ids = art.items.to_id(indices).tolist()
    rows = _cards(ids + art.items.to_id(history).tolist())
    named = np.concatenate([indices, history])
    titles = {
        int(i): rows[a].title
        for i, a in zip(named, art.items.to_id(named).tolist(), strict=True)
        if a in rows
    }
    # Reasons only for the results shown, computed together (one co-lover product).
    shown = [i for i, anime_id in enumerate(ids) if anime_id in rows]
    reasons = art.explainer(titles).reasons_many(indices[shown], history)
    out = [
        Suggestion(rows[ids[i]], float(scores[i]), [r.text for r in why])
        for i, why in zip(shown, reasons, strict=True)
    ]
    return Recommendations(out, used=int(history.size), unknown=len(entries) - int(known.size))


def reader_recommendations(
    *, user, filters: RecommendationFilters | None = None, n: int = 20
) -> Recommendations:
    """Recommendations from a reader's own list, excluding everything on it (planned too).

    Loved: entries scored 7 or more, or completed without a score (see
    :mod:`kansou.discovery.interactions`); the model ranks from those, else from every started
    entry. One query for the list.
    """
    from kansou.community.models import ListEntry, ListStatus

    rows = ListEntry.objects.of_user(user).values_list("anime_id", "status", "score")
    entries, planned = [], []
    for anime_id, status, score in rows:
        if status == ListStatus.PLAN_TO_WATCH:
            planned.append(anime_id)
        else:
            entries.append((anime_id, entry_value(status=status, score=score or None)))
    return recommendations_for_history(entries=entries, seen=planned, filters=filters, n=n)


def recommendations_for_mal_export(
    *, export, filters: RecommendationFilters | None = None, n: int = 20
) -> Recommendations:
    """Recommendations for a parsed MyAnimeList export (``kansou.catalog.importers.mal_xml``),
    matched by MAL id; planned entries are excluded but are not taste. One query for the
    matching."""
    mapping = mal_anime_ids(entry.mal_id for entry in export.entries)
    entries, planned, unmatched = [], [], 0
    for entry in export.entries:
        anime_id = mapping.get(entry.mal_id)
        if anime_id is None:
            unmatched += 1
        elif entry.status == "plan_to_watch":
            planned.append(anime_id)
        else:
            entries.append((anime_id, entry_value(status=entry.status, score=entry.score or None)))
    result = recommendations_for_history(entries=entries, seen=planned, filters=filters, n=n)
    result.unknown += unmatched
    return result
