"""Search SQL for SQLite: FTS5 (migration 0002) and an FTS5 ``trigram`` table over titles (0007).

Each function returns a subquery and its parameters; ``engine`` joins it to the documents and
adds filters, order and limit. Queries are built from plain words only (``parse_query`` keeps
letters and digits), each quoted, so nothing a user types is read as FTS5 syntax.
"""

from __future__ import annotations

from django.db import connection

TEXT = "discovery_search_fts"
TRIGRAMS = "discovery_search_trigram"
VOCABULARY = "discovery_search_trigram_vocab"  # fts5vocab: titles per trigram
GRAM_BUDGET = 2000  # titles the trigrams kept may match, together (the rarest kept first)
GRAM_LEAST = 3
WEIGHTS = "10.0, 4.0, 2.0, 1.0"  # bm25 column weights: titles, tags, studios, body
PREFIX_MIN = 3


def query_text(terms: tuple[str, ...], *, any_term: bool) -> str:
    """An FTS5 query: every term quoted; the last one also matches as a prefix (as you type).

    >>> query_text(("grief", "draw"), any_term=False)
    '"grief" AND "draw"*'
    """
    quoted = [f'"{term}"' for term in terms]
    if quoted and len(terms[-1]) >= PREFIX_MIN:
        quoted[-1] += "*"
    return (" OR " if any_term else " AND ").join(quoted)


def ranked(text: str) -> tuple[str, list]:
    """``(id, rank)`` of every match; rank is bm25 negated (higher is better)."""
    sql = f"SELECT rowid AS id, -bm25({TEXT}, {WEIGHTS}) AS rank FROM {TEXT} WHERE {TEXT} MATCH %s"
    return sql, [text]


def ids(text: str) -> tuple[str, list]:
    return f"SELECT rowid AS id FROM {TEXT} WHERE {TEXT} MATCH %s", [text]


def held(term: str, *, prefix: bool) -> tuple[str, list]:
    """Whether document ``d`` holds ``term``, as SQL."""
    text = query_text((term,), any_term=False)
    return f"d.id IN (SELECT rowid FROM {TEXT} WHERE {TEXT} MATCH %s)", [
        text if prefix else text.rstrip("*")
    ]


def titles(key: str) -> tuple[str, list] | None:
    """``(title_id, score)`` of titles sharing character trigrams with the folded ``key``, more
    shared (and rarer) trigrams scoring higher; None when it has none the titles hold.

    Only the rarest trigrams are asked for (at least ``GRAM_LEAST``, then while they match at
    most ``GRAM_BUDGET`` titles together): " no" alone is in a tenth of all titles."""
    grams = list(dict.fromkeys(key[i : i + 3] for i in range(len(key) - 2)))
    if not grams:
        return None
    with connection.cursor() as cursor:
        marks = ", ".join(["%s"] * len(grams))
        cursor.execute(f"SELECT doc, term FROM {VOCABULARY} WHERE term IN ({marks})", grams)
        counted = sorted(cursor.fetchall())
    grams, total = [], 0
    for count, gram in counted:
        if len(grams) >= GRAM_LEAST and total + count > GRAM_BUDGET:
            break
        grams.append(gram)
        total += count
    if not grams:
        return None
    expression = " OR ".join(f'"{gram}"' for gram in grams)
    sql = (
        f"SELECT rowid AS title_id, -bm25({TRIGRAMS}) AS score FROM {TRIGRAMS}"
        f" WHERE {TRIGRAMS} MATCH %s"
    )
    return sql, [expression]
