"""Full-text search on SQLite: the FTS5 table ``discovery_search_fts`` (migration 0002).

Queries are built here from plain words only (``search.parse_query`` keeps letters and digits),
each quoted, so nothing a user types is read as FTS5 syntax. Ranking is FTS5's ``bm25`` with
column weights: titles 10, tags 4, studios 2, body 1.

Ids come back as one comma-separated string (``group_concat``) parsed by numpy: thousands of
matches cost a fraction of a millisecond that way, where a row per id costs several.
"""

from __future__ import annotations

import numpy as np
from django.db import connection

TABLE = "discovery_search_fts"
WEIGHTS = (10.0, 4.0, 2.0, 1.0)  # titles, tags, studios, body: the FTS5 columns' order
PREFIX_MIN = 3
COLUMNS = {"titles": "titles", "tags": "tags"}


def match_expression(terms: tuple[str, ...], *, any_term: bool) -> str:
    """An FTS5 query: every term quoted; the last one also matches as a prefix (as you type).

    >>> match_expression(("grief", "draw"), any_term=False)
    '"grief" AND "draw"*'
    """
    quoted = [f'"{term}"' for term in terms]
    if quoted and len(terms[-1]) >= PREFIX_MIN:
        quoted[-1] += "*"
    return (" OR " if any_term else " AND ").join(quoted)


def _ids(sql: str, params: list) -> np.ndarray:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        text = cursor.fetchone()[0]
    return np.fromstring(text, dtype=np.int64, sep=",") if text else np.zeros(0, np.int64)


def term_ids(term: str, *, prefix: bool, column: str | None = None) -> np.ndarray:
    """Ids of the documents holding ``term`` (in ``column`` only, "titles" or "tags", if given)."""
    expression = f'"{term}"' + ("*" if prefix and len(term) >= PREFIX_MIN else "")
    if column:
        expression = f"{{{COLUMNS[column]}}} : {expression}"
    sql = f"SELECT group_concat(rowid) FROM {TABLE} WHERE {TABLE} MATCH %s"
    return _ids(sql, [expression])


def scores(terms: tuple[str, ...], *, any_term: bool) -> list[tuple[int, float]]:
    """``(document id, bm25 negated: higher is better)`` of every match."""
    weights = ", ".join(str(w) for w in WEIGHTS)
    sql = f"SELECT rowid, -bm25({TABLE}, {weights}) FROM {TABLE} WHERE {TABLE} MATCH %s"
    with connection.cursor() as cursor:
        cursor.execute(sql, [match_expression(terms, any_term=any_term)])
        return cursor.fetchall()
