"""Search SQL for SQLite: FTS5 (migration 0002) and an FTS5 ``trigram`` table over titles (0007).

Each function returns a subquery and its parameters; ``engine`` joins it to the documents and
adds filters, order and limit. Queries are built from plain words only (``parse_query`` keeps
letters and digits), each quoted, so nothing a user types is read as FTS5 syntax.
"""

from __future__ import annotations

import math

from django.db import connection

TEXT = "discovery_search_fts"
TRIGRAMS = "discovery_search_trigram"
VOCABULARY = "discovery_search_trigram_vocab"  # fts5vocab: titles per trigram
GRAM_BUDGET = 2000  # titles the trigrams kept may match, together (the rarest kept first)
GRAM_LEAST = 3
GRAM_AVERAGE = 20.4  # trigrams in a title key, on average (the shared catalog: 22.4 characters)
BM25 = (1.2, 0.75)  # k1, b: FTS5's own
# bm25 column weights (titles, tags, studios, body): the full-text table's ``rank`` (0008).
WEIGHTS = "10.0, 4.0, 2.0, 1.0"
PREFIX_MIN = 3
# Documents for filters, facets and ordering: the narrow index of migration 0008 (id, type,
# year, visibility), not the rows, which hold the synopsis.
NARROW = "discovery_searchdocument d INDEXED BY discovery_searchdocument_search_cover"


def query_text(terms: tuple[str, ...], *, any_term: bool) -> str:
    """An FTS5 query: every term quoted; the last one also matches as a prefix (as you type).

    >>> query_text(("grief", "draw"), any_term=False)
    '"grief" AND "draw"*'
    """
    quoted = [f'"{term}"' for term in terms]
    if quoted and len(terms[-1]) >= PREFIX_MIN:
        quoted[-1] += "*"
    return (" OR " if any_term else " AND ").join(quoted)


def ranked(text: str, top: tuple[str, list] | None = None) -> tuple[str, list]:
    """``(id, rank)`` of every match, or of the best ``top`` (a LIMIT expression and its
    parameters); rank is bm25 with the column weights (the table's ``rank`` option, migration
    0008), negated (higher is better). ``ORDER BY rank`` lets FTS5 sort before any join."""
    sql = f"SELECT rowid AS id, -rank AS rank FROM {TEXT} WHERE {TEXT} MATCH %s"
    if top is None:
        return sql, [text]
    return f"{sql} ORDER BY {TEXT}.rank LIMIT {top[0]}", [text, *top[1]]


def ids(text: str) -> tuple[str, list]:
    return f"SELECT rowid AS id FROM {TEXT} WHERE {TEXT} MATCH %s", [text]


def held(term: str, *, prefix: bool) -> tuple[str, list]:
    """Whether document ``d`` holds ``term``, as SQL."""
    text = query_text((term,), any_term=False)
    return f"d.id IN (SELECT rowid FROM {TEXT} WHERE {TEXT} MATCH %s)", [
        text if prefix else text.rstrip("*")
    ]


def titles(key: str, limit: int) -> tuple[str, list] | None:
    """``(title_id, score)`` of the ``limit`` titles sharing most character trigrams with the
    folded ``key``; None when it has none the titles hold.

    Only the rarest trigrams are asked for (at least ``GRAM_LEAST``, then while they match at
    most ``GRAM_BUDGET`` titles together): " no" alone is in a tenth of all titles. The score is
    bm25 with every trigram counted once a title (titles rarely repeat one): the sum of the
    trigrams' idf, scaled down for titles longer than ``GRAM_AVERAGE``. Summed in plain SQL
    over each trigram's rowids, it costs a third of FTS5's ``bm25()``."""
    grams = list(dict.fromkeys(key[i : i + 3] for i in range(len(key) - 2)))
    if not grams:
        return None
    with connection.cursor() as cursor:
        marks = ", ".join(["%s"] * len(grams))
        cursor.execute(
            f"SELECT doc, term, (SELECT MAX(id) FROM discovery_searchtitle) FROM {VOCABULARY}"
            f" WHERE term IN ({marks})",
            grams,
        )
        counted = sorted(cursor.fetchall())
    kept, total = [], 0
    for count, gram, titles_max in counted:
        if len(kept) >= GRAM_LEAST and total + count > GRAM_BUDGET:
            break
        idf = math.log(1 + (titles_max - count + 0.5) / (count + 0.5))
        kept.append((idf, f'"{gram}"'))
        total += count
    if not kept:
        return None
    each = " UNION ALL ".join(
        [f"SELECT rowid AS id, %s AS idf FROM {TRIGRAMS} WHERE {TRIGRAMS} MATCH %s"] * len(kept)
    )
    # bm25 with tf = 1: idf × (k1 + 1) / (1 + k1 × (1 - b + b × length / average)).
    k1, b = BM25
    norm = f"{k1 + 1} / (1 + {k1} * ({1 - b} + {b} * (length(t.key) - 2) / {GRAM_AVERAGE}))"
    sql = (
        f"SELECT g.id AS title_id, g.idf * {norm} AS score"
        f" FROM (SELECT id, SUM(idf) AS idf FROM ({each}) GROUP BY id) g"
        " JOIN discovery_searchtitle t ON t.id = g.id ORDER BY score DESC, g.id LIMIT %s"
    )
    return sql, [*(value for pair in kept for value in pair), limit]
