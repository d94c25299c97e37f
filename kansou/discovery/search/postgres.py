"""Search SQL for PostgreSQL: the weighted ``search_vector`` (migration 0002, GIN index).

Each function returns a subquery and its parameters; ``engine`` joins it to the documents and
adds filters, order and limit. The tsquery is built from plain words only (``parse_query`` keeps
letters and digits), each quoted, so nothing a user types is read as tsquery syntax. The
``english`` configuration stems and drops stop words; ranking is ``ts_rank_cd`` with weights
titles (A) 1.0, tags (B) 0.4, studios (C) 0.2, body (D) 0.1, divided by the length.
"""

from __future__ import annotations

WEIGHTS = "{0.1, 0.2, 0.4, 1.0}"  # D, C, B, A, as ts_rank_cd takes them
PREFIX_MIN = 3
NARROW = "discovery_searchdocument d"  # documents for filters, facets and ordering


def query_text(terms: tuple[str, ...], *, any_term: bool) -> str:
    """Text for ``to_tsquery``: the last term also matches as a prefix (as you type).

    >>> query_text(("grief", "draw"), any_term=True)
    "'grief' | 'draw':*"
    """
    parts = ["'{}'".format(term.replace("'", "''")) for term in terms]
    if parts and len(terms[-1]) >= PREFIX_MIN:
        parts[-1] += ":*"
    return (" | " if any_term else " & ").join(parts)


def ranked(text: str, top: tuple[str, list] | None = None) -> tuple[str, list]:
    """``(id, rank)`` of every match, or of the best ``top`` (a LIMIT expression and its
    parameters); ``ts_rank_cd``, higher is better."""
    sql = (
        f"SELECT s.id, ts_rank_cd('{WEIGHTS}', s.search_vector, q, 2) AS rank"
        " FROM discovery_searchdocument s, to_tsquery('english', %s) q"
        " WHERE s.search_vector @@ q"
    )
    if top is None:
        return sql, [text]
    return f"{sql} ORDER BY rank DESC, s.id LIMIT {top[0]}", [text, *top[1]]


def ids(text: str) -> tuple[str, list]:
    sql = (
        "SELECT s.id FROM discovery_searchdocument s"
        " WHERE s.search_vector @@ to_tsquery('english', %s)"
    )
    return sql, [text]


def held(term: str, *, prefix: bool) -> tuple[str, list]:
    """Whether document ``d`` holds ``term``, as SQL."""
    text = query_text((term,), any_term=False)
    return "d.search_vector @@ to_tsquery('english', %s)", [
        text if prefix else text.removesuffix(":*")
    ]
