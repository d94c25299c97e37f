"""Full-text search on PostgreSQL: the generated ``search_vector`` column (migration 0002).

The tsquery is built here from plain words only (``search.parse_query`` keeps letters and
digits), so nothing a user types is read as tsquery syntax. The ``english`` configuration stems
and drops stop words; ranking is ``ts_rank`` with weights titles (A) 1.0, tags (B) 0.4,
studios (C) 0.2, body (D) 0.1, normalised by document length.

Ids come back as one comma-separated string (``string_agg``) parsed by numpy.
"""

from __future__ import annotations

import numpy as np
from django.db import connection

TABLE = "discovery_searchdocument"
RANK_WEIGHTS = "{0.1, 0.2, 0.4, 1.0}"  # D, C, B, A, as ts_rank takes them
PREFIX_MIN = 3
COLUMNS = {"titles": "A", "tags": "B"}  # the weight label each column's lexemes carry


def tsquery_text(terms: tuple[str, ...], *, any_term: bool) -> str:
    """Text for ``to_tsquery``: the last term also matches as a prefix (as you type).

    >>> tsquery_text(("grief", "draw"), any_term=True)
    'grief | draw:*'
    """
    parts = list(terms)
    if parts and len(parts[-1]) >= PREFIX_MIN:
        parts[-1] += ":*"
    return (" | " if any_term else " & ").join(parts)


def term_ids(term: str, *, prefix: bool, column: str | None = None) -> np.ndarray | None:
    """Ids of the documents holding ``term`` (in ``column`` only, "titles" or "tags", if given);
    None when the ``english`` configuration drops the term as a stop word (it then constrains
    nothing, as in a tsquery)."""
    suffix = ("*" if prefix and len(term) >= PREFIX_MIN else "") + (
        COLUMNS[column] if column else ""
    )
    sql = (
        f"SELECT numnode(query), (SELECT string_agg(id::text, ',') FROM {TABLE}"
        " WHERE search_vector @@ query) FROM to_tsquery('english', %s) AS query"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [f"{term}:{suffix}" if suffix else term])
        nodes, found = cursor.fetchone()
    if not nodes:
        return None
    return np.fromstring(found, dtype=np.int64, sep=",") if found else np.zeros(0, np.int64)


def scores(terms: tuple[str, ...], *, any_term: bool) -> list[tuple[int, float]]:
    """``(document id, ts_rank)`` of every match."""
    sql = (
        f"SELECT id, ts_rank('{RANK_WEIGHTS}', search_vector, query, 1)"
        f" FROM {TABLE}, to_tsquery('english', %s) AS query WHERE search_vector @@ query"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [tsquery_text(terms, any_term=any_term)])
        return cursor.fetchall()
