"""Search, ranked by the database: a top window of full-text and title matches, one score.

1. titles: the catalog's title matcher (``catalog.lookup.title_matches``), filters applied,
   scores titles (exact 100, then WRatio); search keeps the good ones (``TITLE_FLOOR``,
   ``TITLE_MARGIN``) and reads their documents;
2. full text: the best ``window`` documents by bm25 (FTS5, column weights) or ``ts_rank_cd``
   (weighted tsvector), filters applied, every word required (any word when none has all);
3. facets: counts of the union of both by type (their sum is the total), decade and tag.

Each document in the window then gets one score, whatever the number of matches:
``W_TITLE`` × title similarity (0 below ``TITLE_FLOOR``, 1 for an exact title, squared)
+ ``W_TEXT`` × (½ for holding every word + ½ × its text rank relative to the window's best)
+ ``W_PRIOR`` × how widely known the anime is + ``W_TYPE`` when the query names its type.
Nothing is kept between searches: an edit is found by the next search in every process.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db import connection
from django.utils import timezone

from kansou.catalog.lookup import title_matches
from kansou.catalog.models import Anime, AnimeType

from . import postgres, sqlite
from .query import STOP_WORDS, TYPE_WORDS, ParsedQuery, SearchFilters, parse_query

MAX_RESULTS = 1000
TITLE_LIMIT = 30
TITLE_FLOOR = 85.0
TITLE_MARGIN = 12.0
W_TITLE, W_TEXT, W_PRIOR, W_TYPE = 1.0, 0.6, 0.65, 0.05
TAG_FACETS = 20
BACKENDS = {"sqlite": sqlite, "postgresql": postgres}
COLUMNS = "d.id, d.kind, d.anime_id, d.review_id, d.title, d.url, d.anime_type, d.year, d.prior"
DOCS = "discovery_searchdocument"


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


@dataclass
class _Row:
    """A document in the window: its columns and what its score is made of."""

    columns: tuple
    text: float = 0.0  # full-text rank (higher is better)
    coverage: int = 0  # query words held (a word naming its type counts as held)
    title: float = 0.0  # title similarity, 0-100
    matched_title: str = ""


def _fetch(sql: str, params: list) -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def _now():
    return connection.ops.adapt_datetimefield_value(timezone.now())


def _narrowed(filters: SearchFilters) -> bool:
    """Whether ``filters`` ask for more than the query (type, years or tag)."""
    return bool(filters.type or filters.tag) or (filters.year_from, filters.year_to) != (None, None)


def _where(filters: SearchFilters) -> tuple[str, list]:
    """The filters as SQL over documents ``d``; scheduled reviews wait for their time."""
    parts, params = ["(d.visible_from IS NULL OR d.visible_from <= %s)"], [_now()]
    if filters.type:
        parts.append(f"d.anime_type IN ({', '.join(['%s'] * len(filters.type))})")
        params += [t.value for t in filters.type]
    if filters.year_from is not None:
        parts.append("d.year >= %s")
        params.append(filters.year_from)
    if filters.year_to is not None:
        parts.append("d.year <= %s")
        params.append(filters.year_to)
    if filters.tag:
        parts.append(
            "d.id IN (SELECT st.document_id FROM discovery_searchtag st"
            " JOIN catalog_tag tg ON tg.id = st.tag_id WHERE tg.slug = %s)"
        )
        params.append(filters.tag)
    return " AND ".join(parts), params


def _titles(parsed: ParsedQuery, filters: SearchFilters, where) -> dict[int, _Row]:
    """Good title matches (the catalog's matcher, within the filters): document id -> row with
    its similarity and the title matched."""
    within = None
    if _narrowed(filters):
        within = Anime.objects.of_kind(*filters.type) if filters.type else Anime.objects.all()
        within = within.aired_between(filters.year_from, filters.year_to)
        within = within.tagged(filters.tag) if filters.tag else within
    matches = title_matches(parsed.text, limit=TITLE_LIMIT, within=within)
    matches = {m.anime_id: m for m in matches if m.similarity >= TITLE_FLOOR}
    best = max((m.similarity for m in matches.values()), default=0.0)
    kept = {pk: m for pk, m in matches.items() if m.similarity >= best - TITLE_MARGIN}
    if not kept:
        return {}
    marks = ", ".join(["%s"] * len(kept))
    sql = f"SELECT {COLUMNS} FROM {DOCS} d WHERE d.kind = 'anime' AND d.anime_id IN ({marks})"
    rows = _fetch(f"{sql} AND {where[0]}", [*kept, *where[1]])
    return {
        cols[0]: _Row(
            cols, title=kept[cols[2]].similarity, matched_title=kept[cols[2]].matched_title
        )
        for cols in rows
    }


def _coverage(backend, parsed: ParsedQuery) -> tuple[str, list]:
    """How many query words document ``d`` holds, as SQL; a word naming the document's type
    ("film") counts as held."""
    parts, params = [], []
    for i, term in enumerate(parsed.terms):
        sql, held = backend.held(term, prefix=i == len(parsed.terms) - 1)
        if term in TYPE_WORDS:
            sql, held = f"{sql} OR d.anime_type = %s", [*held, TYPE_WORDS[term].value]
        parts.append(f"(CASE WHEN {sql} THEN 1 ELSE 0 END)")
        params += held
    return " + ".join(parts), params


def _full_text(
    backend, parsed: ParsedQuery, where, window: int, narrowed: bool
) -> tuple[str | None, list]:
    """The backend's query text (None: no full text) and the best ``window`` matches
    ``(columns…, rank, coverage)``: every word held or, when no document holds them all, most
    words held first. ``narrowed``: the filters ask for more than visibility."""
    if backend is None or all(term in STOP_WORDS for term in parsed.terms):
        return None, []
    for any_term in (False, True) if len(parsed.terms) > 1 else (False,):
        text = backend.query_text(parsed.terms, any_term=any_term)
        # Every word held and nothing but visibility to filter by: the backend's own top
        # ``window`` by rank (plus one per document not yet visible) before any join.
        top = None
        if not any_term and not narrowed:
            hidden = f"SELECT COUNT(*) FROM {DOCS} WHERE visible_from > %s"
            top = (f"%s + ({hidden})", [window, _now()])
        source, params = backend.ranked(text, top)
        coverage = _coverage(backend, parsed) if any_term else (str(len(parsed.terms)), [])
        best = (
            f"SELECT m.id, m.rank, {coverage[0]} AS coverage FROM ({source}) m"
            f" JOIN {backend.NARROW} ON d.id = m.id"
            f" WHERE {where[0]} ORDER BY coverage DESC, m.rank DESC, m.id LIMIT %s"
        )
        sql = f"SELECT {COLUMNS}, b.rank, b.coverage FROM ({best}) b JOIN {DOCS} d ON d.id = b.id"
        rows = _fetch(sql, [*coverage[1], *params, *where[1], window])
        if rows:
            return text, rows
    return text, []


def _score(row: _Row, best_text: float, parsed: ParsedQuery) -> float:
    title_part = max(0.0, min(1.0, (row.title - TITLE_FLOOR) / (100.0 - TITLE_FLOOR)))
    text_part = 0.5 * row.coverage / len(parsed.terms) + 0.5 * row.text / best_text
    typed = row.columns[6] in parsed.types
    return W_TITLE * title_part**2 + W_TEXT * text_part + W_PRIOR * row.columns[8] + W_TYPE * typed


def search(*, filters: SearchFilters, page: int = 1, page_size: int = 20) -> SearchResults:
    """Anime and published reviews matching ``filters``, best first, with facet counts.

    An empty query (or one with no letters or digits) finds nothing. Pages past
    ``MAX_RESULTS`` are empty.
    """
    parsed = parse_query(filters.q)
    if not parsed.text:
        return SearchResults(filters, parsed, [], 0, page, page_size)
    backend = BACKENDS.get(connection.vendor)
    where = _where(filters)
    window = min(MAX_RESULTS, max(100, page * page_size))
    rows = _titles(parsed, filters, where) if backend else {}
    text, matched = _full_text(backend, parsed, where, window, _narrowed(filters))
    for *columns, rank, coverage in matched:
        row = rows.setdefault(columns[0], _Row(tuple(columns)))
        row.text, row.coverage = float(rank), int(coverage)
    best_text = max((row.text for row in rows.values()), default=0.0) or 1.0
    scored = sorted(
        ((-_score(row, best_text, parsed), row.columns[0], row) for row in rows.values()),
        key=lambda item: item[:2],
    )
    hits = [
        Hit(*row.columns[:8], score=-negated, matched_title=row.matched_title)
        for negated, _, row in scored[(page - 1) * page_size : page * page_size]
    ]
    facets = search_facets(backend, text, [i for i, r in rows.items() if r.title], where, filters)
    total = sum(facet.count for facet in facets["type"])
    return SearchResults(filters, parsed, hits, total, page, page_size, facets)


def search_facets(
    backend, text: str | None, title_ids: list[int], where: tuple[str, list], filters
) -> dict[str, list[Facet]]:
    """Counts of the matches (full-text ``text`` or one of ``title_ids``) by anime type, decade
    and tag (the ``TAG_FACETS`` commonest, ties by name), in one query."""
    parts, params = [], []
    if text is not None:
        source, source_params = backend.ids(text)
        parts.append(
            f"SELECT d.id, d.anime_type, d.year FROM ({source}) x JOIN {backend.NARROW}"
            f" ON d.id = x.id WHERE {where[0]}"
        )
        params += [*source_params, *where[1]]
    if title_ids:
        marks = ", ".join(["%s"] * len(title_ids))
        parts.append(
            f"SELECT d.id, d.anime_type, d.year FROM {backend.NARROW} WHERE d.id IN ({marks})"
        )
        params += title_ids
    if not parts:
        return {"type": [], "decade": [], "tag": []}
    sql = (
        f"WITH m AS ({' UNION '.join(parts)})"
        " SELECT 'type', m.anime_type, '', COUNT(*) FROM m GROUP BY m.anime_type"
        " UNION ALL SELECT 'decade', CAST(m.year / 10 * 10 AS TEXT), '', COUNT(*) FROM m"
        " WHERE m.year IS NOT NULL GROUP BY m.year / 10"
        " UNION ALL SELECT * FROM (SELECT 'tag', tg.slug, tg.name, COUNT(*) AS n FROM m"
        " JOIN discovery_searchtag st ON st.document_id = m.id"
        " JOIN catalog_tag tg ON tg.id = st.tag_id GROUP BY tg.id, tg.slug, tg.name"
        f" ORDER BY n DESC, tg.name LIMIT {TAG_FACETS}) AS tags"
    )
    # Types by count then value, decades newest first, tags by count then name.
    rows = sorted(
        _fetch(sql, params),
        key=lambda r: (r[0], -int(r[1]) if r[0] == "decade" else -r[3], r[2], r[1]),
    )
    facets: dict[str, list[Facet]] = {"type": [], "decade": [], "tag": []}
    labels = dict(AnimeType.choices)
    for name, value, label, count in rows:
        if name == "type":
            facet = Facet(name, value, labels.get(value, value), count, value in filters.type)
        elif name == "decade":
            facet = Facet(name, value, f"{value}s", count, filters.year_from == int(value))
        else:
            facet = Facet(name, value, label, count, value == filters.tag)
        facets[name].append(facet)
    return facets
