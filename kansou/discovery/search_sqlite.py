"""Full-text search on SQLite: the FTS5 table ``discovery_search_fts`` (migration 0002).

Queries are built here from plain words only (``search.parse_query`` keeps letters and digits),
each quoted, so nothing a user types is read as FTS5 syntax. Ranking is FTS5's ``bm25`` with
column weights: titles 10, tags 4, studios 2, body 1.

Ids come back as one comma-separated string (``group_concat``) parsed by numpy: thousands of
matches cost a fraction of a millisecond that way, where a row per id costs several. Reading a
word's documents still costs about 0.1 µs a document, so the tokens found in at least
``FREQUENT_DOCS`` documents (some 600 on the full catalog, the ones that cost most) are read
once per index version by ``frequent_postings`` and kept in memory with the search snapshot;
``stem`` tells which token a query word is, with the index's own tokenizer.
"""

from __future__ import annotations

import functools
import sqlite3
import threading

import numpy as np
from django.db import connection

TABLE = "discovery_search_fts"
WEIGHTS = (10.0, 4.0, 2.0, 1.0)  # titles, tags, studios, body: the FTS5 columns' order
PREFIX_MIN = 3
TOKENIZE = "porter unicode61 remove_diacritics 2"  # as migration 0002 creates the table
FREQUENT_DOCS = 200


def match_expression(terms: tuple[str, ...], *, any_term: bool) -> str:
    """An FTS5 query: every term quoted; the last one also matches as a prefix (as you type).

    >>> match_expression(("grief", "draw"), any_term=False)
    '"grief" AND "draw"*'
    """
    quoted = [f'"{term}"' for term in terms]
    if quoted and len(terms[-1]) >= PREFIX_MIN:
        quoted[-1] += "*"
    return (" OR " if any_term else " AND ").join(quoted)


def _id_array(text: str | None) -> np.ndarray:
    return np.fromstring(text, dtype=np.int64, sep=",") if text else np.zeros(0, np.int64)


def _ids(sql: str, params: list) -> np.ndarray:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return _id_array(cursor.fetchone()[0])


def term_ids(term: str, *, prefix: bool) -> np.ndarray:
    """Ids of the documents holding ``term`` (as a prefix too when ``prefix``)."""
    expression = f'"{term}"' + ("*" if prefix and len(term) >= PREFIX_MIN else "")
    sql = f"SELECT group_concat(rowid) FROM {TABLE} WHERE {TABLE} MATCH %s"
    return _ids(sql, [expression])


def scores(terms: tuple[str, ...], *, any_term: bool) -> list[tuple[int, float]]:
    """``(document id, bm25 negated: higher is better)`` of every match."""
    weights = ", ".join(str(w) for w in WEIGHTS)
    sql = f"SELECT rowid, -bm25({TABLE}, {weights}) FROM {TABLE} WHERE {TABLE} MATCH %s"
    with connection.cursor() as cursor:
        cursor.execute(sql, [match_expression(terms, any_term=any_term)])
        return cursor.fetchall()


def frequent_postings(least_docs: int | None = None) -> dict[str, np.ndarray]:
    """Token -> ids (in order) of the documents holding it, for every token in at least
    ``least_docs`` (``FREQUENT_DOCS``) documents: read from FTS5's own vocabulary
    (``fts5vocab``), so each list is exactly what a ``MATCH`` on the token finds."""
    least_docs = FREQUENT_DOCS if least_docs is None else least_docs
    found = {}
    with connection.cursor() as cursor:
        for kind in ("row", "instance"):
            cursor.execute(
                f"CREATE VIRTUAL TABLE IF NOT EXISTS temp.{TABLE}_{kind}"
                f" USING fts5vocab(main, '{TABLE}', '{kind}')"
            )
        cursor.execute(f"SELECT term FROM temp.{TABLE}_row WHERE doc >= %s", [least_docs])
        tokens = [row[0] for row in cursor.fetchall()]
        for token in tokens:
            cursor.execute(
                f"SELECT group_concat(doc) FROM temp.{TABLE}_instance WHERE term = %s", [token]
            )
            found[token] = np.unique(_id_array(cursor.fetchone()[0]))
    return found


_stemmer_lock = threading.Lock()
_stemmer: sqlite3.Connection | None = None


@functools.lru_cache(maxsize=50_000)
def stem(word: str) -> tuple[str, ...]:
    """The index tokens ``word`` becomes, as FTS5 tokenises it ("movies" -> ("movi",)):
    written to a one-row in-memory FTS5 table with the same tokenizer and read back."""
    global _stemmer
    with _stemmer_lock:
        if _stemmer is None:
            _stemmer = sqlite3.connect(":memory:", check_same_thread=False)
            _stemmer.execute(f"CREATE VIRTUAL TABLE probe USING fts5(text, tokenize='{TOKENIZE}')")
            _stemmer.execute("CREATE VIRTUAL TABLE probe_tokens USING fts5vocab(probe, 'instance')")
        _stemmer.execute("INSERT INTO probe(rowid, text) VALUES (1, ?)", [word])
        tokens = tuple(row[0] for row in _stemmer.execute("SELECT term FROM probe_tokens"))
        _stemmer.execute("DELETE FROM probe")
    return tokens
