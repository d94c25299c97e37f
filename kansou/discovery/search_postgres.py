"""Full-text search on PostgreSQL: the generated ``search_vector`` column (migration 0002).

The tsquery is built here from plain words only (``search.parse_query`` keeps letters and
digits), so nothing a user types is read as tsquery syntax. The ``english`` configuration stems
and drops stop words; ranking is ``ts_rank`` with weights titles (A) 1.0, tags (B) 0.4,
studios (C) 0.2, body (D) 0.1, normalised by document length.

Ids come back as one comma-separated string (``string_agg``) parsed by numpy. As on SQLite, the
lexemes found in at least ``FREQUENT_DOCS`` documents are read once per index version
(``frequent_postings``, from ``ts_stat``) and kept with the search snapshot; ``stem`` tells
which lexeme a query word is, by the same ``to_tsquery`` the lookups use.
"""

from __future__ import annotations

import functools
import re

import numpy as np
from django.db import connection

TABLE = "discovery_searchdocument"
RANK_WEIGHTS = "{0.1, 0.2, 0.4, 1.0}"  # D, C, B, A, as ts_rank takes them
PREFIX_MIN = 3
FREQUENT_DOCS = 200


def tsquery_text(terms: tuple[str, ...], *, any_term: bool) -> str:
    """Text for ``to_tsquery``: the last term also matches as a prefix (as you type).

    >>> tsquery_text(("grief", "draw"), any_term=True)
    'grief | draw:*'
    """
    parts = list(terms)
    if parts and len(parts[-1]) >= PREFIX_MIN:
        parts[-1] += ":*"
    return (" | " if any_term else " & ").join(parts)


def _id_array(text: str | None) -> np.ndarray:
    return np.fromstring(text, dtype=np.int64, sep=",") if text else np.zeros(0, np.int64)


def term_ids(term: str, *, prefix: bool) -> np.ndarray | None:
    """Ids of the documents holding ``term``; None when the ``english`` configuration drops the
    term as a stop word (it then constrains nothing, as in a tsquery)."""
    suffix = "*" if prefix and len(term) >= PREFIX_MIN else ""
    sql = (
        f"SELECT numnode(query), (SELECT string_agg(id::text, ',') FROM {TABLE}"
        " WHERE search_vector @@ query) FROM to_tsquery('english', %s) AS query"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [f"{term}:{suffix}" if suffix else term])
        nodes, found = cursor.fetchone()
    return _id_array(found) if nodes else None


def scores(terms: tuple[str, ...], *, any_term: bool) -> list[tuple[int, float]]:
    """``(document id, ts_rank)`` of every match."""
    sql = (
        f"SELECT id, ts_rank('{RANK_WEIGHTS}', search_vector, query, 1)"
        f" FROM {TABLE}, to_tsquery('english', %s) AS query WHERE search_vector @@ query"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [tsquery_text(terms, any_term=any_term)])
        return cursor.fetchall()


def frequent_postings(least_docs: int | None = None) -> dict[str, np.ndarray]:
    """Lexeme -> ids (in order) of the documents holding it, for every lexeme in at least
    ``least_docs`` (``FREQUENT_DOCS``) documents: one pass over the stored tsvectors."""
    least_docs = FREQUENT_DOCS if least_docs is None else least_docs
    sql = (
        "SELECT word, string_agg(id::text, ',' ORDER BY id) FROM ("
        f"SELECT id, unnest(tsvector_to_array(search_vector)) AS word FROM {TABLE}) AS x"
        " WHERE word IN (SELECT word FROM ts_stat(%s) WHERE ndoc >= %s) GROUP BY word"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [f"SELECT search_vector FROM {TABLE}", least_docs])
        return {word: _id_array(ids) for word, ids in cursor.fetchall()}


@functools.lru_cache(maxsize=50_000)
def stem(word: str) -> tuple[str, ...]:
    """The lexemes ``to_tsquery('english', word)`` looks for ("movies" -> ("movi",); a stop
    word -> ())."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT to_tsquery('english', %s)::text", [word])
        (query,) = cursor.fetchone()
    return tuple(part.replace("''", "'") for part in re.findall(r"'((?:[^']|'')*)'", query))
