"""Full-text search on PostgreSQL: the generated ``search_vector`` column (migration 0002).

The tsquery is built here from plain words only (``search.parse_query`` keeps letters and
digits), so nothing a user types is read as tsquery syntax. The ``english`` configuration stems
and drops stop words; ranking is ``ts_rank`` with weights titles (A) 1.0, tags (B) 0.4,
studios (C) 0.2, body (D) 0.1, normalised by document length.
"""

from __future__ import annotations

from django.db import connection

TABLE = "discovery_searchdocument"
RANK_WEIGHTS = "{0.1, 0.2, 0.4, 1.0}"  # D, C, B, A, as ts_rank takes them
PREFIX_MIN = 3


def tsquery_text(terms: tuple[str, ...], *, any_term: bool) -> str:
    """Text for ``to_tsquery``: the last term also matches as a prefix (as you type).

    >>> tsquery_text(("grief", "draw"), any_term=True)
    'grief | draw:*'
    """
    parts = list(terms)
    if parts and len(parts[-1]) >= PREFIX_MIN:
        parts[-1] += ":*"
    return (" | " if any_term else " & ").join(parts)


def match_sql(terms: tuple[str, ...], *, any_term: bool) -> tuple[str, list]:
    """SQL selecting the ids of the documents that match."""
    return (
        f"SELECT id FROM {TABLE} WHERE search_vector @@ to_tsquery('english', %s)",
        [tsquery_text(terms, any_term=any_term)],
    )


def _coverage(terms: tuple[str, ...], types: dict[str, str]) -> tuple[str, list]:
    """SQL counting the terms a row matches; a term naming a type also matches by type."""
    flags, params = [], []
    for term, text in zip(terms, tsquery_text(terms, any_term=True).split(" | "), strict=True):
        flag = "search_vector @@ to_tsquery('english', %s)"
        params.append(text)
        if term in types:
            flag += " OR anime_type = %s"
            params.append(types[term])
        flags.append(f"({flag})::int")
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

    Documents matching more terms come first, then higher ``ts_rank``. ``within`` is SQL
    selecting the document ids the filters allow, or None for all; ``types`` maps a term to
    the anime type it names ("film": MOVIE), which counts as matching it.
    """
    coverage, params = (str(len(terms)), []) if not any_term else _coverage(terms, types or {})
    sql = (
        f"SELECT id, ts_rank('{RANK_WEIGHTS}', search_vector, query, 1) AS score,"
        f" {coverage} AS coverage"
        f" FROM {TABLE}, to_tsquery('english', %s) AS query WHERE search_vector @@ query"
    )
    params.append(tsquery_text(terms, any_term=any_term))
    if within is not None:
        sql += f" AND id IN ({within[0]})"
        params += within[1]
    sql += " ORDER BY coverage DESC, score DESC, id LIMIT %s"
    with connection.cursor() as cursor:
        cursor.execute(sql, [*params, limit])
        return cursor.fetchall()
