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

from dataclasses import dataclass, field

from django.db import connection
from django.db.models import Count, ExpressionWrapper, F, IntegerField, Prefetch, Q, QuerySet
from django.db.models.expressions import RawSQL
from pydantic import BaseModel, ConfigDict, Field, field_validator

from kansou.catalog.filters import YEAR_MAX, YEAR_MIN
from kansou.catalog.models import Anime, AnimeTag, AnimeType
from kansou.catalog.text import normalize_title
from kansou.discovery import search_postgres, search_sqlite
from kansou.discovery.search_index import review_model
from kansou.discovery.search_models import SearchDocument, SearchTag
from kansou.discovery.search_titles import title_matcher

MAX_TERMS = 12
MAX_RESULTS = 1000
TITLE_LIMIT = 30
TITLE_FLOOR = 85.0
TITLE_MARGIN = 12.0
W_TITLE, W_TEXT, W_PRIOR, W_TYPE = 1.0, 0.6, 0.6, 0.05
TAG_FACETS = 20

STOP_WORDS = frozenset(
    "a about an and are as at be but by for from has have in into is it its of on or that the"
    " their then there these this to was were will with".split()
    # Romaji particles: in titles ("Koe no Katachi") they match half the catalog.
    + "no wa ga wo ni de".split()
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


def _filtered(filters: SearchFilters) -> QuerySet:
    docs = SearchDocument.objects.all()
    if filters.type:
        docs = docs.filter(anime_type__in=filters.type)
    if filters.year_from is not None:
        docs = docs.filter(year__gte=filters.year_from)
    if filters.year_to is not None:
        docs = docs.filter(year__lte=filters.year_to)
    if filters.tag:
        docs = docs.filter(search_tags__tag__slug=filters.tag)
    return docs


def _is_filtered(filters: SearchFilters) -> bool:
    return bool(filters.type or filters.year_from or filters.year_to or filters.tag)


def _title_matches(parsed: ParsedQuery, docs: QuerySet) -> dict[int, tuple[float, str]]:
    """Anime document id -> (title similarity, matched title), good matches only."""
    matches = title_matcher().search(parsed.text, limit=TITLE_LIMIT)
    best = max((m.similarity for m in matches), default=0.0)
    wanted = {
        m.anime_id: m for m in matches if m.similarity >= max(TITLE_FLOOR, best - TITLE_MARGIN)
    }
    if not wanted:
        return {}
    rows = docs.filter(kind=SearchDocument.Kind.ANIME, anime_id__in=list(wanted))
    return {
        pk: (wanted[anime_id].similarity, wanted[anime_id].matched_title)
        for pk, anime_id in rows.values_list("pk", "anime_id")
    }


def _full_text(parsed: ParsedQuery, docs: QuerySet, filters: SearchFilters, limit: int):
    """``(ranked [(document id, score, terms matched)], SQL selecting every match)``: documents
    with every word, or, when there are none, with any word."""
    backend = _backend()
    if backend is None or not parsed.terms:
        return [], None
    within = docs.values("pk").query.sql_with_params() if _is_filtered(filters) else None
    types = {term: TYPE_WORDS[term].value for term in parsed.terms if term in TYPE_WORDS}
    for any_term in (False, True):
        ranked = backend.ranked(
            parsed.terms, any_term=any_term, within=within, limit=limit, types=types
        )
        if ranked or len(parsed.terms) == 1:
            break
    return ranked, backend.match_sql(parsed.terms, any_term=any_term)


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


def _signals(parsed: ParsedQuery, docs: QuerySet, filters: SearchFilters, window: int):
    ranked, match = _full_text(parsed, docs, filters, window)
    signals = {pk: _Signals(text, coverage) for pk, text, coverage in ranked}
    for pk, (similarity, matched) in _title_matches(parsed, docs).items():
        found = signals.get(pk, _Signals())
        signals[pk] = _Signals(found.text, found.coverage, similarity, matched)
    titled = [pk for pk, found in signals.items() if found.title]
    return signals, docs.filter(Q(pk__in=titled) | _in(match))


def search(*, filters: SearchFilters, page: int = 1, page_size: int = 20) -> SearchResults:
    """Anime and published reviews matching ``filters``, best first, with facet counts.

    An empty query (or one with no letters or digits) finds nothing. Pages past
    ``MAX_RESULTS`` are empty.
    """
    parsed = parse_query(filters.q)
    if not parsed.text:
        return SearchResults(filters, parsed, [], 0, page, page_size)
    docs = _filtered(filters)
    window = min(MAX_RESULTS, max(100, page * page_size))
    signals, matched_docs = _signals(parsed, docs, filters, window)
    best_text = max((found.text for found in signals.values()), default=0.0) or 1.0
    rows = SearchDocument.objects.filter(pk__in=list(signals)).values_list(
        "pk", "kind", "anime_id", "review_id", "title", "url", "anime_type", "year", "prior"
    )
    hits = []
    for pk, kind, anime_id, review_id, title, url, anime_type, year, prior in rows:
        found = signals[pk]
        typed = anime_type in parsed.types
        score = _score(found, best_text, len(parsed.terms), prior, typed)
        hits.append(
            Hit(
                pk,
                kind,
                anime_id,
                review_id,
                title,
                url,
                anime_type,
                year,
                score,
                found.matched_title,
            )
        )
    hits.sort(key=lambda h: (-h.score, h.document_id))
    return SearchResults(
        filters,
        parsed,
        hits[(page - 1) * page_size : page * page_size],
        matched_docs.count(),
        page,
        page_size,
        search_facets(matched_docs, filters),
    )


def _in(match: tuple[str, list] | None) -> Q:
    return Q(pk__in=RawSQL(*match)) if match else Q(pk__in=[])


def search_facets(docs: QuerySet, filters: SearchFilters) -> dict[str, list[Facet]]:
    """Counts of ``docs`` by anime type, decade and tag (the ``TAG_FACETS`` commonest)."""
    types = dict(AnimeType.choices)
    by_type = docs.order_by().values_list("anime_type").annotate(n=Count("pk"))
    decade = ExpressionWrapper(F("year") / 10 * 10, output_field=IntegerField())
    by_decade = (
        docs.exclude(year=None)
        .order_by()
        .annotate(decade=decade)
        .values_list("decade")
        .annotate(n=Count("pk"))
    )
    by_tag = (
        SearchTag.objects.filter(document__in=docs.values("pk"))
        .values_list("tag__slug", "tag__name")
        .annotate(n=Count("pk"))
        .order_by("-n", "tag__name")[:TAG_FACETS]
    )
    return {
        "type": [
            Facet("type", kind, types.get(kind, kind), n, kind in filters.type)
            for kind, n in sorted(by_type, key=lambda row: (-row[1], row[0]))
        ],
        "decade": [
            Facet("decade", str(start), f"{start}s", n, filters.year_from == start)
            for start, n in sorted(by_decade, reverse=True)
        ],
        "tag": [Facet("tag", slug, name, n, slug == filters.tag) for slug, name, n in by_tag],
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
