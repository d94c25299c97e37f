"""One search box over anime and reviews: query parsing, backend dispatch, ranking, facets.

A query is folded into plain words (case, accents and punctuation dropped, so quotes, ``AND``,
``NEAR`` or ``*`` are just text). Two searches run and merge:

* full text (FTS5 on SQLite, tsvector on PostgreSQL) over titles, tags, studios and synopsis or
  review prose: every word must match; when no document has them all, any word may;
* typo-tolerant titles (``search_titles.title_matcher``), for names in any language.

A document's score is ``W_TITLE`` × its title similarity (0 below ``TITLE_FLOOR``, 1 for an exact
title) + ``W_TEXT`` × its full-text score relative to the best one + ``W_PRIOR`` × how widely
known the anime is + ``W_TYPE`` when the query names its type ("film", "series").
Filters (type, year range, tag) narrow both; facets count the matches by type, decade and tag.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass, field

import numpy as np
from django.db import connection
from django.db.models import Prefetch
from pydantic import BaseModel, ConfigDict, Field, field_validator

from kansou.catalog.filters import YEAR_MAX, YEAR_MIN
from kansou.catalog.models import Anime, AnimeTag, AnimeType
from kansou.catalog.text import normalize_title
from kansou.discovery import search_postgres, search_sqlite
from kansou.discovery.search_index import review_model
from kansou.discovery.search_snapshot import NO_YEAR, TYPE_CODES, SearchSnapshot, search_snapshot

MAX_TERMS = 12
MAX_RESULTS = 1000
POSTINGS_KEPT = 50_000
TITLE_LIMIT = 30
TITLE_FLOOR = 85.0
TITLE_MARGIN = 12.0
W_TITLE, W_TEXT, W_PRIOR, W_TYPE = 1.0, 0.6, 0.6, 0.05
TAG_FACETS = 20
RANK_BOUND = 600  # more full-text matches than this are scored by _broad_scores
BROAD_WEIGHTS = {"titles": 10.0, "tags": 4.0}  # as search_sqlite.WEIGHTS

STOP_WORDS = frozenset(
    "a about an and are as at be but by for from has have in into is it its of on or that the"
    " their then there these this to was were will with".split()
    # Romaji particles: in titles ("Koe no Katachi") they match half the catalog.
    + "no wa ga wo ni de".split()
    # What is left of possessives and contractions once apostrophes go ("heaven's", "don't").
    + ["s", "t"]
)
TYPE_WORDS = {
    "film": AnimeType.MOVIE,
    "films": AnimeType.MOVIE,
    "movie": AnimeType.MOVIE,
    "movies": AnimeType.MOVIE,
    "series": AnimeType.TV,
    "tv": AnimeType.TV,
    "ova": AnimeType.OVA,
    "ona": AnimeType.ONA,
    "special": AnimeType.SPECIAL,
}
BACKENDS = {"sqlite": search_sqlite, "postgresql": search_postgres}


class SearchFilters(BaseModel):
    """What a search asks for; every field optional."""

    model_config = ConfigDict(frozen=True, extra="ignore")

    q: str = Field("", max_length=200, description="Titles in any language, words or themes.")
    type: list[AnimeType] = Field(default_factory=list, description="Anime types (repeatable).")
    year_from: int | None = Field(None, ge=YEAR_MIN, le=YEAR_MAX, description="First year.")
    year_to: int | None = Field(None, ge=YEAR_MIN, le=YEAR_MAX, description="Last year.")
    tag: str = Field("", max_length=120, pattern=r"^[\w-]*$", description="Tag slug.")

    @field_validator("year_from", "year_to", mode="before")
    @classmethod
    def _blank_is_none(cls, value):
        return None if isinstance(value, str) and not value.strip() else value

    @field_validator("type", mode="before")
    @classmethod
    def _types_upper(cls, value):
        if isinstance(value, str):
            value = [value]
        return [v.strip().upper() for v in value if isinstance(v, str) and v.strip()]

    @field_validator("q", "tag", mode="before")
    @classmethod
    def _strip(cls, value):
        return value.strip() if isinstance(value, str) else value


@dataclass(frozen=True)
class ParsedQuery:
    """``text``: the folded query; ``terms``: the words full-text search looks for (stop words
    dropped unless the query has nothing else); ``types``: anime types the words name."""

    text: str
    terms: tuple[str, ...]
    types: frozenset[str] = frozenset()


def parse_query(q: str) -> ParsedQuery:
    """Fold a query into plain words.

    >>> parse_query('"Quiet" film about grief AND drawing*')
    ParsedQuery(text='quiet film about grief and drawing', terms=('quiet', 'film', 'grief', \
'drawing'), types=frozenset({'MOVIE'}))
    """
    text = normalize_title(q)
    words = list(dict.fromkeys(text.split()))
    terms = [word for word in words if word not in STOP_WORDS] or words
    types = frozenset(TYPE_WORDS[word].value for word in words if word in TYPE_WORDS)
    return ParsedQuery(text, tuple(terms[:MAX_TERMS]), types)


@dataclass(frozen=True)
class Facet:
    param: str
    value: str
    label: str
    count: int
    selected: bool = False


@dataclass(frozen=True)
class Hit:
    document_id: int
    kind: str
    anime_id: int | None
    review_id: int | None
    title: str
    url: str
    anime_type: str
    year: int | None
    score: float
    matched_title: str = ""


@dataclass(frozen=True)
class SearchResults:
    filters: SearchFilters
    query: ParsedQuery
    hits: list[Hit]
    total: int
    page: int
    page_size: int
    facets: dict[str, list[Facet]] = field(default_factory=dict)

    @property
    def num_pages(self) -> int:
        return max(1, -(-min(self.total, MAX_RESULTS) // self.page_size))


def _backend():
    return BACKENDS.get(connection.vendor)


def _allowed(snapshot: SearchSnapshot, filters: SearchFilters) -> np.ndarray | None:
    return snapshot.allowed(
        types=[t.value for t in filters.type],
        year_from=filters.year_from,
        year_to=filters.year_to,
        tag=filters.tag,
        now=time.time(),
    )


def _title_matches(parsed: ParsedQuery, snapshot: SearchSnapshot, allowed) -> dict:
    """Anime document position -> (title similarity, matched title), good matches only."""
    matches = snapshot.titles.search(parsed.text, limit=TITLE_LIMIT, min_similarity=TITLE_FLOOR)
    best = max((m.similarity for m in matches), default=0.0)
    found = {}
    for m in matches:
        position = snapshot.anime_position.get(m.anime_id)
        if m.similarity < max(TITLE_FLOOR, best - TITLE_MARGIN) or position is None:
            continue
        if allowed is None or allowed[position]:
            found[position] = (m.similarity, m.matched_title)
    return found


@dataclass(frozen=True)
class _TextMatch:
    """Full-text matches: ``positions`` (all, filtered), ``text`` and ``coverage`` per position
    (arrays over the snapshot) and ``terms``, the number of terms that constrain."""

    positions: np.ndarray
    text: np.ndarray | None = None
    coverage: np.ndarray | None = None
    terms: int = 0


def _full_text(parsed: ParsedQuery, snapshot: SearchSnapshot, allowed) -> _TextMatch:
    """Documents with every word or, when there are none, with any word (ranked by the number
    of words they hold). Scored by the backend (bm25, ts_rank) when there are at most
    ``RANK_BOUND`` matches, else by ``_broad_scores``. A query of stop words only is left to
    the title matcher: every document matches it."""
    backend = _backend()
    empty = _TextMatch(np.zeros(0, np.int64))
    if backend is None or all(term in STOP_WORDS for term in parsed.terms):
        return empty
    last = len(parsed.terms) - 1
    found = {}
    for i, term in enumerate(parsed.terms):
        positions = _term_positions(backend, snapshot, term, prefix=i == last)
        if positions is not None:  # None: the backend ignores this word
            found[term] = positions
    if not found:
        return empty
    hits, coverage = _held(snapshot, found)
    any_term = not bool((hits == len(found)).any())
    matched = hits > 0 if any_term else hits == len(found)
    if not any_term:
        coverage = hits
    count = int(matched.sum())
    positions = np.flatnonzero(matched if allowed is None else matched & allowed)
    if count <= RANK_BOUND:
        text = np.zeros(len(snapshot))
        rows = backend.scores(tuple(found), any_term=any_term)
        if rows:
            ids, scores = zip(*rows, strict=True)
            where = snapshot.positions(np.asarray(ids, dtype=np.int64))
            text[where[where >= 0]] = np.asarray(scores)[where >= 0]
    else:
        text = _broad_scores(backend, snapshot, found, last_term=parsed.terms[last])
    return _TextMatch(positions, text, coverage, len(found))


def _term_positions(backend, snapshot: SearchSnapshot, term: str, *, prefix: bool, column=None):
    """Positions of the documents holding a word (in ``column`` only, "titles" or "tags", if
    given), read from the backend's index once and kept with the snapshot.

    The snapshot belongs to one index version, so a word's postings read once stay true until
    the index changes; a later query sharing the word reads them from memory, as a search engine
    reads its posting lists from its own mapped index. Bounded: past ``POSTINGS_KEPT`` words the
    store starts again. Titles and tags come from the snapshot's own small word indexes
    (``title_positions``, ``tag_positions``) and frequent words from the postings the snapshot
    loaded with the index (``frequent``): none of them takes a query.
    """
    key = (term, prefix, column)
    store = snapshot.postings
    if key not in store:
        if len(store) >= POSTINGS_KEPT:
            store.clear()
        if column == "tags":
            store[key] = snapshot.tag_positions(term, prefix=prefix)
        elif column == "titles":
            store[key] = snapshot.title_positions(term, prefix=prefix)
        elif (frequent := _frequent(backend, snapshot, term, prefix=prefix)) is not None:
            store[key] = frequent
        else:
            ids = backend.term_ids(term, prefix=prefix)
            store[key] = None if ids is None else _known(snapshot.positions(ids))
    return store[key]


def _frequent(backend, snapshot: SearchSnapshot, term: str, *, prefix: bool):
    """The snapshot's postings of a whole word that is one frequent index token, or None."""
    if prefix or not snapshot.frequent or not hasattr(backend, "stem"):
        return None
    tokens = backend.stem(term)
    return snapshot.frequent.get(tokens[0]) if len(tokens) == 1 else None


def _known(positions: np.ndarray) -> np.ndarray:
    """The positions of ids the snapshot holds, in order."""
    return np.sort(positions[positions >= 0])


def _held(snapshot: SearchSnapshot, found: dict) -> tuple[np.ndarray, np.ndarray]:
    """Per document: how many words its text holds, and how many it holds counting a word
    that names a type ("film") as held by every document of that type."""
    total = len(snapshot)
    hits = np.bincount(np.concatenate(list(found.values())), minlength=total).astype(np.int32)
    coverage = hits
    for term in found:
        if term in TYPE_WORDS:
            if coverage is hits:
                coverage = hits.copy()
            typed = snapshot.types == TYPE_CODES.index(TYPE_WORDS[term].value)
            held = np.zeros(total, dtype=bool)
            held[found[term]] = True
            coverage += typed & ~held
    return hits, coverage


def _broad_scores(backend, snapshot: SearchSnapshot, found: dict, last_term: str) -> np.ndarray:
    """FTS5's bm25 (k1 1.2, b 0.75, column weights) with each word counted once per column it is
    found in (titles, tags, elsewhere): scoring thousands of matches this way takes each word's
    postings instead of a bm25 call per row, and touches only the documents holding it."""
    total = len(snapshot)
    text = np.zeros(total)
    norm = snapshot.bm25_norm
    for term, where in found.items():
        if not len(where):
            continue
        columns = np.zeros(len(where))
        for column, weight in BROAD_WEIGHTS.items():
            within = _term_positions(
                backend, snapshot, term, prefix=term == last_term, column=column
            )
            if within is not None and len(within):
                columns[_indices_in(where, within)] += weight
        weight = np.where(columns > 0, columns, 1.0)
        df = len(where)
        idf = max(math.log((total - df + 0.5) / (df + 0.5)), 1e-6)
        text[where] += idf * weight * 2.2 / (weight + norm[where])
    return text


def _indices_in(sorted_positions: np.ndarray, positions: np.ndarray) -> np.ndarray:
    """Indices into ``sorted_positions`` of those ``positions`` it holds."""
    at = np.minimum(np.searchsorted(sorted_positions, positions), len(sorted_positions) - 1)
    return at[sorted_positions[at] == positions]


def _top(match: _TextMatch, snapshot: SearchSnapshot, window: int) -> dict[int, _Signals]:
    """The best ``window`` full-text matches: most words held first, then highest score, then
    lowest id."""
    positions = match.positions
    if not len(positions):
        return {}
    coverage, text = match.coverage[positions], match.text[positions]
    if len(positions) > window:
        # coverage is a whole number and text lies in [0, span): one key orders both.
        span = float(text.max() - min(text.min(), 0.0)) + 1.0
        key = coverage * span + (text - min(text.min(), 0.0))
        keep = np.argpartition(-key, window - 1)[:window]
        bound = key[keep].min()
        keep = np.flatnonzero(key >= bound)  # ties at the bound: ids decide below
        positions, coverage, text = positions[keep], coverage[keep], text[keep]
    order = np.lexsort((positions, -text, -coverage))[:window]
    return {int(positions[i]): _Signals(float(text[i]), int(coverage[i])) for i in order.tolist()}


@dataclass(frozen=True)
class _Signals:
    """What a document's score is made of."""

    text: float = 0.0  # full-text score (bm25 or ts_rank; higher is better)
    coverage: int = 0  # query terms matched
    title: float = 0.0  # title similarity, 0-100
    matched_title: str = ""


def _score(signals: _Signals, best_text: float, terms: int, prior: float, typed: bool) -> float:
    title_part = max(0.0, min(1.0, (signals.title - TITLE_FLOOR) / (100.0 - TITLE_FLOOR)))
    text_part = 0.0
    if signals.coverage:
        text_part = 0.5 * signals.coverage / terms + 0.5 * signals.text / best_text
    return W_TITLE * title_part**2 + W_TEXT * text_part + W_PRIOR * prior + W_TYPE * typed


def search(*, filters: SearchFilters, page: int = 1, page_size: int = 20) -> SearchResults:
    """Anime and published reviews matching ``filters``, best first, with facet counts.

    An empty query (or one with no letters or digits) finds nothing. Pages past
    ``MAX_RESULTS`` are empty.
    """
    parsed = parse_query(filters.q)
    if not parsed.text:
        return SearchResults(filters, parsed, [], 0, page, page_size)
    snapshot = search_snapshot()
    allowed = _allowed(snapshot, filters)
    window = min(MAX_RESULTS, max(100, page * page_size))
    match = _full_text(parsed, snapshot, allowed)
    signals = _top(match, snapshot, window)
    titled = _title_matches(parsed, snapshot, allowed)
    for position, (similarity, matched) in titled.items():
        found = signals.get(position, _Signals())
        signals[position] = _Signals(found.text, found.coverage, similarity, matched)
    best_text = max((found.text for found in signals.values()), default=0.0) or 1.0
    terms = match.terms or 1
    ranked = sorted(
        (
            -_score(
                found,
                best_text,
                terms,
                float(snapshot.priors[position]),
                snapshot.docs[position].anime_type in parsed.types,
            ),
            int(snapshot.ids[position]),
            position,
        )
        for position, found in signals.items()
    )
    hits = [
        _hit(snapshot, position, -negated, signals[position].matched_title)
        for negated, _, position in ranked[(page - 1) * page_size : page * page_size]
    ]
    matched = np.zeros(len(snapshot), dtype=bool)
    matched[match.positions] = True
    matched[np.fromiter(titled, dtype=np.int64, count=len(titled))] = True
    return SearchResults(
        filters,
        parsed,
        hits,
        int(matched.sum()),
        page,
        page_size,
        search_facets(snapshot, np.flatnonzero(matched), filters),
    )


def _hit(snapshot: SearchSnapshot, position: int, score: float, matched_title: str) -> Hit:
    doc = snapshot.docs[position]
    return Hit(
        int(snapshot.ids[position]),
        doc.kind,
        doc.anime_id,
        doc.review_id,
        doc.title,
        doc.url,
        doc.anime_type,
        snapshot.year(position),
        score,
        matched_title,
    )


def search_facets(
    snapshot: SearchSnapshot, positions: np.ndarray, filters: SearchFilters
) -> dict[str, list[Facet]]:
    """Counts of the documents at ``positions`` by anime type, decade and tag (the
    ``TAG_FACETS`` commonest, ties by name)."""
    labels = dict(AnimeType.choices)
    by_type = np.bincount(snapshot.types[positions], minlength=len(TYPE_CODES))
    years = snapshot.years[positions]
    known = years[years != NO_YEAR] // 10
    first = int(known.min()) if len(known) else 0
    counted = np.bincount(known - first) if len(known) else np.zeros(0, np.int64)
    decades = (np.flatnonzero(counted) + first) * 10
    per_decade = counted[counted > 0]
    chosen = np.zeros(len(snapshot), dtype=np.int32)
    chosen[positions] = 1
    per_tag = snapshot.tag_docs @ chosen
    tags = sorted(
        (-int(per_tag[i]), snapshot.tag_names[i], snapshot.tag_slugs[i])
        for i in np.flatnonzero(per_tag).tolist()
    )[:TAG_FACETS]
    types = sorted((-int(n), TYPE_CODES[i]) for i, n in enumerate(by_type.tolist()) if n)
    return {
        "type": [
            Facet("type", kind, labels.get(kind, kind), -n, kind in filters.type)
            for n, kind in types
        ],
        "decade": [
            Facet("decade", str(start), f"{start}s", n, filters.year_from == start)
            for start, n in sorted(
                zip(decades.tolist(), per_decade.tolist(), strict=True), reverse=True
            )
        ],
        "tag": [Facet("tag", slug, name, -n, slug == filters.tag) for n, name, slug in tags],
    }


@dataclass(frozen=True)
class HitItem:
    """A hit with the row a page shows: ``anime`` (with ``shown_tags``) or ``review``."""

    hit: Hit
    anime: object | None = None
    review: object | None = None


def search_hit_items(hits: list[Hit]) -> list[HitItem]:
    """The anime and published reviews behind ``hits``, in two or three queries; a review
    withdrawn since the last reindex is left out."""
    tags = AnimeTag.objects.shown().select_related("tag").order_by("tag__name")
    anime = Anime.objects.defer("synopsis", "imported", "import_hash").prefetch_related(
        Prefetch("anime_tags", queryset=tags, to_attr="shown_tags")
    )
    anime_rows = anime.in_bulk([h.anime_id for h in hits if h.kind == "anime"])
    Review = review_model()
    review_ids = [h.review_id for h in hits if h.kind == "review"]
    reviews = (
        Review.objects.published().select_related("anime").in_bulk(review_ids)
        if Review is not None and review_ids
        else {}
    )
    items = []
    for hit in hits:
        if hit.kind == "anime" and hit.anime_id in anime_rows:
            row = anime_rows[hit.anime_id]
            row.matched_title = hit.matched_title
            items.append(HitItem(hit, anime=row))
        elif hit.kind == "review" and hit.review_id in reviews:
            items.append(HitItem(hit, review=reviews[hit.review_id]))
    return items
