"""Search SQL for SQLite: FTS5 (migration 0002), bm25 with column weights as its rank (0008).

Each function returns a subquery and its parameters; ``engine`` joins it to the documents and
adds filters, order and limit. Queries are built from plain words only (``parse_query`` keeps
letters and digits), each quoted, so nothing a user types is read as FTS5 syntax.
"""

from __future__ import annotations

TEXT = "discovery_search_fts"
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
