""" "More like this" for an anime, and "you might also love" for a review."""

from __future__ import annotations

import numpy as np
from django.db.models import (
    Count,
    IntegerField,
    OuterRef,
    Q,
    Subquery,
)

from kansou.catalog.models import Anime, AnimeTag
from kansou.discovery.artefact import Artefact, artefact_current
from kansou.discovery.pairs.selectors import pair_facts, pair_partners, with_pair_facts
from kansou.discovery.reasons import MAX_TAGS, pair_reasons
from kansou.discovery.selectors.cards import CARD_FIELDS, Suggestion
from kansou.recommend.franchise import franchise_ids
from kansou.reviews.models import Review


def anime_more_like_this(*, anime: Anime, n: int = 10) -> list[Suggestion]:
    """Up to ``n`` anime like ``anime``, best first, each with its reasons.

    First the anime paired with it by readers and reviews (``AnimePair``, most votes first, the
    reason quoting the readers' best pitch or naming the review); then, without repeats, the
    neighbour table, or without a trained model (or for an anime the model does not know) the
    anime sharing most tags. Pairs need no model. The pairs come in the cards query: one query
    from the table; two, plus one for tag names when any anime shares a tag, without it.
    """
    art = artefact_current()
    index = art.index_of(anime.pk) if art else None
    if index is None:
        return _more_like_this_by_tags(anime=anime, n=n)
    neighbours, scores = art.table.lookup(index, min(art.table.k, n + 10))
    ids = art.items.to_id(neighbours).tolist()
    rows = _cards_with_pairs(anime=anime, n=n, also=Q(pk__in=ids))
    out = _pair_suggestions(rows, n)
    paired = {s.anime.pk for s in out}
    cells = zip(ids, neighbours, scores, strict=True)
    for position, (anime_id, neighbour, score) in enumerate(cells):
        if anime_id in rows and anime_id not in paired:
            other = rows[anime_id]
            reasons = pair_reasons(
                art, index, int(neighbour), titles=(anime.title, other.title), position=position
            )
            out.append(Suggestion(other, float(score), reasons))
    return group_franchises(out, query=anime)[:n]


def group_franchises(suggestions: list[Suggestion], *, query: Anime) -> list[Suggestion]:
    """``suggestions`` with each franchise shown once: a later entry of a franchise already
    listed moves into that card's ``also`` (the same rule as the neighbour table's
    :mod:`~kansou.recommend.franchise`, on titles). A card of the query's own franchise keeps
    its place ("Bakuman. 2nd Season" on Bakuman's page) and gathers the others the same way."""
    family = franchise_ids([query.title, *(s.anime.title for s in suggestions)]).tolist()[1:]
    first: dict[int, Suggestion] = {}
    out = []
    for suggestion, key in zip(suggestions, family, strict=True):
        if key in first:
            first[key].also.append(suggestion.anime)
            continue
        first[key] = suggestion
        out.append(suggestion)
    return out


def _cards_with_pairs(*, anime: Anime, n: int, also: Q) -> dict[int, Anime]:
    """Card rows for the ``also`` anime and the ``n`` best paired with ``anime``, each with
    its pair facts (``with_pair_facts``), in one query."""
    wanted = Q(pk__in=pair_partners(anime.pk, n)) | also
    cards = Anime.objects.only(*CARD_FIELDS).filter(wanted).exclude(pk=anime.pk)
    return with_pair_facts(cards, anime_id=anime.pk).in_bulk()


def _pair_suggestions(rows: dict[int, Anime], n: int) -> list[Suggestion]:
    paired = [(facts, row) for row in rows.values() if (facts := pair_facts(row)) is not None]
    paired.sort(key=lambda item: (-item[0].weight, item[1].pk))
    return [
        Suggestion(row, float(facts.weight), facts.reasons, pair=facts) for facts, row in paired[:n]
    ]


def _shared(row: Anime) -> int:
    return getattr(row, "shared", None) or 0


def _more_like_this_by_tags(*, anime: Anime, n: int) -> list[Suggestion]:
    mine = list(AnimeTag.objects.shown().filter(anime=anime).values_list("tag_id", flat=True))
    also = Q(pk__in=[])
    if mine:
        shared_ids = (
            AnimeTag.objects.shown()
            .filter(tag_id__in=mine)
            .exclude(anime_id=anime.pk)
            .values("anime_id")
            .annotate(shared=Count("pk"))
            .order_by("-shared", "anime_id")
            .values("anime_id")[:n]
        )
        also = Q(pk__in=shared_ids)
    wanted = Q(pk__in=pair_partners(anime.pk, n)) | also
    cards = Anime.objects.only(*CARD_FIELDS).filter(wanted).exclude(pk=anime.pk)
    if mine:
        shared = (
            AnimeTag.objects.shown()
            .filter(anime_id=OuterRef("pk"), tag_id__in=mine)
            .order_by()
            .values("anime_id")
            .annotate(count=Count("pk"))
            .values("count")
        )
        cards = cards.annotate(shared=Subquery(shared, output_field=IntegerField()))
    rows = with_pair_facts(cards, anime_id=anime.pk).in_bulk()
    out = _pair_suggestions(rows, n)
    paired = {s.anime.pk for s in out}
    counts = {
        pk: row.shared
        for pk, row in sorted(rows.items(), key=lambda item: (-_shared(item[1]), item[0]))
        if _shared(row) and pk not in paired
    }
    names: dict[int, list[str]] = {}
    tags = AnimeTag.objects.shown().filter(anime_id__in=list(counts), tag_id__in=mine)
    for anime_id, name in tags.order_by("tag__name").values_list("anime_id", "tag__name"):
        names.setdefault(anime_id, []).append(name.lower())
    out += [
        Suggestion(rows[pk], float(count) / len(mine), [
            "Shares tags: " + ", ".join(names.get(pk, [])[:MAX_TAGS])
        ])
        for pk, count in counts.items()
    ][: n - len(out)]  # fmt: skip
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
