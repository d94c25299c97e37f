"""Reads for recommendation pages, the API and the CLI: "more like this", audience profiles,
"you might also love" and recommendations for a history.

None of them trains or loads a model per request: they read the process's current artefact
(:func:`~kansou.discovery.artefact.artefact_current`); without one, "more like this" falls back
to shared tags in SQL, audience profiles keep only what reviews and staff credits say, and the
others return nothing.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

import numpy as np
from django.db.models import (
    BooleanField,
    Case,
    Count,
    IntegerField,
    OuterRef,
    Q,
    Subquery,
    Value,
    When,
)
from django.urls import reverse

from kansou.catalog.models import Anime, AnimeTag, Origin, StaffCredit
from kansou.discovery.artefact import Artefact, artefact_current
from kansou.discovery.audience import (
    CREATOR_ROLES,
    MAX_COMPARABLE,
    MAX_PROFILES,
    Written,
    audience_profiles,
    best_known,
    candidates,
    creator_works,
    describe_creator,
    one_per_franchise,
    why_sentence,
    written_profiles,
)
from kansou.discovery.interactions import entry_value, history_indices, mal_anime_ids
from kansou.discovery.pairs.selectors import PairFacts, pair_facts, pair_partners, with_pair_facts
from kansou.discovery.reasons import MAX_TAGS, pair_reasons
from kansou.recommend.franchise import franchise_ids
from kansou.recommend.neighbours import MINOR_KIND
from kansou.reviews.models import AudienceProfile, Review

CARD_FIELDS = (
    "pk", "title", "kind", "year", "episodes", "score", "thumbnail", "picture", "poster"
)  # fmt: skip
MAX_PAIRED = 20  # paired titles an audience profile may draw on


@dataclass
class Suggestion:
    """An anime to watch, how strongly, and why (each reason a sentence)."""

    anime: Anime
    score: float
    reasons: list[str] = field(default_factory=list)
    pair: PairFacts | None = None  # readers' or a review's recommendation ("more like this")
    also: list[Anime] = field(default_factory=list)  # more entries of its franchise, shown with it


@dataclass(frozen=True)
class AudienceSuggestion:
    """A "who should watch" profile. ``source``: ``review`` (as a review wrote it: ``why`` its
    Markdown, ``why_html`` rendered), ``creator`` or ``generated`` (``why`` the plain sentence:
    ``description``, like the comparable titles)."""

    name: str
    why: str
    tags: tuple[str, ...]
    comparable: list[Anime]
    source: str = "generated"
    description: str = ""
    why_html: str = ""
    review_title: str = ""
    review_url: str = ""


def _cards(anime_ids: Iterable[int]) -> dict[int, Anime]:
    return Anime.objects.only(*CARD_FIELDS).in_bulk(list(anime_ids))


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


def anime_audience_profiles(*, anime: Anime, written: bool = True) -> list[AudienceSuggestion]:
    """ "Who should watch" ``anime``, from the best evidence (order and rules in
    :mod:`kansou.discovery.audience`): the newest published review's profiles as written (all
    of them), then "for fans of <creator>", then generated ones, up to ``MAX_PROFILES``.
    ``written=False`` leaves reviews' profiles out (to suggest profiles to a review).

    At most three queries (written profiles, the creators' credits, the cards with the anime's
    pairs); nothing generated without a trained model."""
    drafts = _audience_written(anime) if written else []
    room = len(drafts) < MAX_PROFILES
    creators = _audience_creators(anime) if room else []
    art = artefact_current()
    index = art.index_of(anime.pk) if art and room else None
    wanted = {a for d in drafts for a in d.comparable} | {a for *_, w in creators for a in w}
    if index is not None:
        wanted.update(art.items.to_id(art.table.lookup(index, art.table.k)[0]).tolist())
    rows = _audience_cards(wanted, pairs_of=anime.pk if index is not None else None)
    titles = [anime.title, *(row.title for row in rows.values())]
    family = dict(zip([anime.pk, *rows], franchise_ids(titles).tolist(), strict=True))
    out = [_audience_from_review(d, rows) for d in drafts]
    used = {a.pk for s in out for a in s.comparable}
    creator = _audience_creator(art, creators, rows, family, used, own=anime.pk) if room else None
    if creator:
        out.append(creator)
        used.update(a.pk for a in creator.comparable)
    if index is not None and len(out) < MAX_PROFILES:
        out += _audience_generated(art, index, anime, rows, family, used, MAX_PROFILES - len(out))
    return out


def _audience_written(anime: Anime) -> list[Written]:
    reviews = Review.objects.published().filter(anime_id=anime.pk)
    rows = (
        AudienceProfile.objects.filter(review__in=reviews)
        .order_by(
            "-review__publish_at", "-review_id", "position", "pk",
            "comparable_titles__position", "comparable_titles__pk",
        )
        .values_list(
            "review_id", "pk", "name", "why_md", "why_html", "review__title", "review__slug",
            "comparable_titles__anime_id",
        )
    )  # fmt: skip
    return written_profiles(rows)


def _audience_creators(anime: Anime) -> list[tuple[str, str, list[int]]]:
    roles = Q()
    for role in CREATOR_ROLES:
        roles |= Q(role__iexact=role)
    credits = StaffCredit.objects.exclude(origin=Origin.HIDDEN).filter(roles)
    mine = credits.filter(anime_id=anime.pk).values("person_id")
    rows = credits.filter(person_id__in=mine).order_by("position", "pk")
    return creator_works(
        rows.values_list("person_id", "person__name", "anime_id", "role", "position"), anime.pk
    )


def _audience_cards(ids: set[int], *, pairs_of: int | None) -> dict[int, Anime]:
    """Cards for ``ids`` and, with ``pairs_of``, for that anime's best paired titles (marked
    ``paired``), in one query."""
    rows = Anime.objects.only(*CARD_FIELDS)
    wanted = Q(pk__in=list(ids))
    if pairs_of is not None:
        partners = pair_partners(pairs_of, MAX_PAIRED)
        wanted |= Q(pk__in=partners)
        paired = When(pk__in=partners, then=Value(True))
        rows = rows.annotate(paired=Case(paired, default=Value(False), output_field=BooleanField()))
    elif not ids:
        return {}
    return {row.pk: row for row in rows.filter(wanted)}


def _audience_from_review(profile: Written, rows: dict[int, Anime]) -> AudienceSuggestion:
    return AudienceSuggestion(
        profile.name,
        profile.why_md,
        (),
        [rows[a] for a in profile.comparable if a in rows],
        source="review",
        why_html=profile.why_html,
        review_title=profile.review_title,
        review_url=reverse("reviews:review-detail", args=[profile.review_slug]),
    )


def _audience_creator(
    art: Artefact | None,
    creators: list[tuple[str, str, list[int]]],
    rows: dict[int, Anime],
    family: dict[int, int],
    used: set[int],
    *,
    own: int,
) -> AudienceSuggestion | None:
    """The first creator with other works: the best known, one per franchise, none of the
    anime's own franchise or already named by a written profile."""
    for name, role, works in creators:
        cards = [rows[w] for w in works if w in rows and w not in used]
        popularity = np.zeros(len(cards))
        if art is not None and cards:
            indices = art.items.to_index([c.pk for c in cards], missing="ignore")
            known = indices >= 0
            popularity[known] = np.asarray(art.popularity)[indices[known]]
        order = best_known([c.kind for c in cards], popularity, [c.score for c in cards])
        keys = [cards[i].pk for i in order]
        chosen = one_per_franchise(keys, family, MAX_COMPARABLE, skip=[family[own]])
        if chosen:
            comparable = [rows[pk] for pk in chosen]
            text = describe_creator(role, name)
            why = why_sentence(text, [a.title for a in comparable])
            return AudienceSuggestion(
                f"For fans of {name}", why, (), comparable, source="creator", description=text
            )
    return None


def _audience_generated(
    art: Artefact,
    index: int,
    anime: Anime,
    rows: dict[int, Anime],
    family: dict[int, int],
    used: set[int],
    limit: int,
) -> list[AudienceSuggestion]:
    ids = list(rows)
    anime_of = {
        int(i): a for a, i in zip(ids, art.items.to_index(ids, missing="ignore"), strict=True)
        if i >= 0
    }  # fmt: skip
    franchise = {i: family[a] for i, a in anime_of.items()} | {index: family[anime.pk]}
    paired = [i for i, a in anime_of.items() if getattr(rows[a], "paired", False)]
    pool = candidates(art, index, paired=paired, franchise=franchise)
    synopsis = "" if "synopsis" in anime.get_deferred_fields() else anime.synopsis
    profiles = audience_profiles(
        art,
        index,
        pool=np.array([i for i in pool.tolist() if i in anime_of], dtype=np.int64),
        paired=paired,
        franchise=franchise,
        used=[i for i, a in anime_of.items() if a in used],
        synopsis=synopsis,
        limit=limit,
    )
    out = []
    for profile in profiles:
        comparable = [rows[anime_of[i]] for i in profile.comparable]
        why = why_sentence(profile.description, [a.title for a in comparable])
        out.append(
            AudienceSuggestion(
                profile.name, why, profile.tags, comparable, description=profile.description
            )
        )
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
