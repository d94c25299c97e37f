"""Reads for recommendation pages, the API and the CLI: "more like this", audience profiles,
"you might also love" and recommendations for a history.

None of them trains or loads a model per request: they read the process's current artefact
(:func:`~kansou.discovery.artefact.artefact_current`); without one, "more like this" falls back
to shared tags in SQL and the others return nothing.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

import numpy as np
from django.db.models import Count

from kansou.catalog.models import Anime, AnimeTag
from kansou.discovery.artefact import Artefact, artefact_current
from kansou.discovery.audience import audience_profiles
from kansou.discovery.interactions import entry_value, history_indices, mal_anime_ids
from kansou.discovery.reasons import MAX_TAGS, pair_reasons
from kansou.recommend.neighbours import MINOR_KIND
from kansou.reviews.models import Review

CARD_FIELDS = ("pk", "title", "kind", "year", "episodes", "score", "thumbnail", "picture")


@dataclass
class Suggestion:
    """An anime to watch, how strongly, and why (each reason a sentence)."""

    anime: Anime
    score: float
    reasons: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class AudienceSuggestion:
    name: str
    why: str
    tags: tuple[str, ...]
    comparable: list[Anime]


def _cards(anime_ids: Iterable[int]) -> dict[int, Anime]:
    return Anime.objects.only(*CARD_FIELDS).in_bulk(list(anime_ids))


def anime_more_like_this(*, anime: Anime, n: int = 10) -> list[Suggestion]:
    """Up to ``n`` anime like ``anime``, best first, each with its reasons: the neighbour table
    (one query), or without a trained model the anime sharing most tags (three queries)."""
    art = artefact_current()
    index = art.index_of(anime.pk) if art else None
    if index is None:
        return _more_like_this_by_tags(anime=anime, n=n)
    neighbours, scores = art.table.lookup(index, min(art.table.k, n + 10))
    ids = art.items.to_id(neighbours).tolist()
    rows = _cards(ids)
    out = []
    cells = zip(ids, neighbours, scores, strict=True)
    for position, (anime_id, neighbour, score) in enumerate(cells):
        if anime_id in rows and len(out) < n:
            other = rows[anime_id]
            reasons = pair_reasons(
                art, index, int(neighbour), titles=(anime.title, other.title), position=position
            )
            out.append(Suggestion(other, float(score), reasons))
    return out


def _more_like_this_by_tags(*, anime: Anime, n: int) -> list[Suggestion]:
    mine = list(AnimeTag.objects.shown().filter(anime=anime).values_list("tag_id", flat=True))
    if not mine:
        return []
    shared = (
        AnimeTag.objects.shown()
        .filter(tag_id__in=mine)
        .exclude(anime_id=anime.pk)
        .values("anime_id")
        .annotate(shared=Count("pk"))
        .order_by("-shared", "anime_id")[:n]
    )
    counts = {row["anime_id"]: row["shared"] for row in shared}
    rows = _cards(counts)
    names: dict[int, list[str]] = {}
    tags = AnimeTag.objects.shown().filter(anime_id__in=list(counts), tag_id__in=mine)
    for anime_id, name in tags.order_by("tag__name").values_list("anime_id", "tag__name"):
        names.setdefault(anime_id, []).append(name.lower())
    return [
        Suggestion(rows[pk], float(count) / len(mine), [
            "Shares tags: " + ", ".join(names.get(pk, [])[:MAX_TAGS])
        ])
        for pk, count in counts.items()
        if pk in rows
    ]  # fmt: skip


def anime_audience_profiles(*, anime: Anime) -> list[AudienceSuggestion]:
    """2–4 "who should watch" profiles with comparable titles (rules in
    :mod:`kansou.discovery.audience`), in one query; none without a trained model."""
    art = artefact_current()
    index = art.index_of(anime.pk) if art else None
    if index is None:
        return []
    profiles = audience_profiles(art, index)
    wanted = [int(i) for p in profiles for i in art.items.to_id(list(p.comparable))]
    rows = _cards(wanted)
    out = []
    for profile in profiles:
        ids = art.items.to_id(list(profile.comparable)).tolist()
        comparable = [rows[i] for i in ids if i in rows]
        if comparable:
            out.append(AudienceSuggestion(profile.name, profile.why, profile.tags, comparable))
    return out


def review_also_love_ranked(*, review: Review, n: int = 4) -> list[Review] | None:
    """Other published reviews ranked by the recommender, each with ``reasons``: reviewed anime
    in this anime's neighbour table first (table order), then the others by IDF-weighted shared
    features. Two queries. None (let the caller rank) without a model or an anime."""
    art = artefact_current()
    index = art.index_of(review.anime_id) if art and review.anime_id else None
    if index is None:
        return None
    others = (
        Review.objects.published()
        .exclude(pk=review.pk)
        .exclude(anime_id=review.anime_id)
        .exclude(anime_id=None)
        .order_by("-publish_at", "-pk")
        .values_list("pk", "anime_id")
    )
    by_anime: dict[int, int] = {}
    for pk, anime_id in others:
        by_anime.setdefault(anime_id, pk)  # the newest review of each anime
    ranked = _rank_reviewed(art, index, by_anime)[:n]
    reviews = (
        Review.objects.select_related("anime")
        .defer("intro_html", "intro_md", "final_thoughts_md", "final_thoughts_html")
        .in_bulk([by_anime[a] for a, _ in ranked])
    )
    out = []
    for anime_id, position in ranked:
        other = reviews[by_anime[anime_id]]
        titles = (review.anime.title, other.anime.title)
        target = art.index_of(anime_id)
        other.reasons = (
            pair_reasons(art, index, target, titles=titles, position=position)
            if target is not None
            else []
        )
        out.append(other)
    return out


def _rank_reviewed(art: Artefact, index: int, by_anime: dict[int, int]) -> list[tuple[int, int]]:
    """(anime id, table position or None) for each reviewed anime, best first."""
    if not by_anime:
        return []
    row = np.asarray(art.table.indices[index])
    position = {int(item): p for p, item in enumerate(row) if item >= 0}
    ids = np.array(list(by_anime), dtype=np.int64)
    indices = art.items.to_index(ids, missing="ignore")
    raw = art.features.raw
    weights = np.asarray(art.idf)[raw[index].indices]
    overlap = np.zeros(len(ids), dtype=np.float32)
    known = indices >= 0
    if known.any():
        shared = raw[indices[known]][:, raw[index].indices]
        overlap[known] = np.asarray(shared @ weights).ravel()
    order = sorted(
        range(len(ids)),
        key=lambda i: (position.get(int(indices[i]), 10**6), -overlap[i], int(ids[i])),
    )
    return [(int(ids[i]), position.get(int(indices[i]))) for i in order]


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
    """Recommendations for a parsed MyAnimeList export (``kansou.community.mal_xml``), matched
    by MAL id; planned entries are excluded but are not taste. One query for the matching."""
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
