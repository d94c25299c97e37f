"""Full-text search on SQLite: the FTS5 table ``discovery_search_fts`` (migration 0002).

Queries are built here from plain words only (``search.parse_query`` keeps letters and digits),
each quoted, so nothing a user types is read as FTS5 syntax. Ranking is FTS5's ``bm25`` with
column weights: titles 10, tags 4, studios 2, body 1.
"""

from __future__ import annotations

from django.db import connection

TABLE = "discovery_search_fts"
WEIGHTS = (10.0, 4.0, 2.0, 1.0)  # titles, tags, studios, body: the FTS5 columns' order
PREFIX_MIN = 3


def match_expression(terms: tuple[str, ...], *, any_term: bool) -> str:
    """An FTS5 query: every term quoted; the last one also matches as a prefix (as you type).

    >>> match_expression(("grief", "draw"), any_term=False)
    '"grief" AND "draw"*'
    """
    quoted = [f'"{term}"' for term in terms]
    if quoted and len(terms[-1]) >= PREFIX_MIN:
        quoted[-1] += "*"
    return (" OR " if any_term else " AND ").join(quoted)


def match_sql(terms: tuple[str, ...], *, any_term: bool) -> tuple[str, list]:
    """SQL selecting the ids of the documents that match."""
    expression = match_expression(terms, any_term=any_term)
    return f"SELECT rowid FROM {TABLE} WHERE {TABLE} MATCH %s", [expression]


def _coverage(terms: tuple[str, ...], types: dict[str, str]) -> tuple[str, list]:
    """SQL counting the terms a row matches; a term naming a type also matches by type."""
    flags, params = [], []
    expressions = match_expression(terms, any_term=True).split(" OR ")
    for term, expression in zip(terms, expressions, strict=True):
        args = [expression]
        flag = f"rowid IN (SELECT rowid FROM {TABLE} WHERE {TABLE} MATCH %s)"
        if term in types:
            flag += " OR rowid IN (SELECT id FROM discovery_searchdocument WHERE anime_type = %s)"
            args = [*args, types[term]]
        flags.append(f"({flag})")
        params += args
    return " + ".join(flags), params


def ranked(
    terms: tuple[str, ...],
    *,
    any_term: bool,
    within: tuple[str, list] | None,
    limit: int,
    types: dict[str, str] | None = None,
) -> list[tuple[int, float, int]]:
    """``(document id, score, terms matched)`` of the best ``limit`` matches, best first.

    Documents matching more terms come first, then higher bm25 (negated, so higher is better).
    ``within`` is SQL selecting the document ids the filters allow, or None for all; ``types``
    maps a term to the anime type it names ("film": MOVIE), which counts as matching it.
    """
    weights = ", ".join(str(w) for w in WEIGHTS)
    coverage, params = (str(len(terms)), []) if not any_term else _coverage(terms, types or {})
    sql = (
        f"SELECT rowid, -bm25({TABLE}, {weights}) AS score, {coverage} AS coverage"
        f" FROM {TABLE} WHERE {TABLE} MATCH %s"
    )
    params.append(match_expression(terms, any_term=any_term))
    if within is not None:
        sql += f" AND rowid IN ({within[0]})"
        params += within[1]
    sql += " ORDER BY coverage DESC, score DESC LIMIT %s"
    with connection.cursor() as cursor:
        cursor.execute(sql, [*params, limit])
        return cursor.fetchall()
