"""The one title matcher: anime by any of their titles, tolerant of case, accents, punctuation
and typos. The catalog list, the API lookup, ``kansou catalog find``, review and blog import
matching, the admin's anime search and search's title part all call ``title_matches`` (pages
through ``catalog.selectors.anime_find``).

The database finds the candidates, so nothing is kept in memory and an edit counts at once:
titles equal to or starting with the folded query, and titles sharing most of its rarest
character trigrams (word prefixes, words in another order, typos), from each database's trigram
index over ``AnimeTitle.normalized`` (migration ``0003``: FTS5 ``trigram`` on SQLite,
``pg_trgm`` on PostgreSQL). Python then ranks the hundred or so candidates for people:

1. the query as written, case aside ("K-On!" is K-On!, not K-On!!), then the folded query equal
   to any title or synonym ("aot", "a silent voice");
2. a title starting with the query ("bocchi");
3. a title with a word starting with the query ("frieren");
4. the rest by similarity (0–100: rapidfuzz's WRatio, which forgives typos, word order and a
   missing word), none below ``min_similarity``.

Within a tier the closest title comes first (typos: the similarity; prefixes: how much of the
title the query covers; exact matches: all equal), plus a *prior* (how widely known the anime
is: how many titles the world gave it, its public score, TV/movie over specials) worth at most
``PRIOR_WEIGHT`` points and ``MAIN_KIND_BONUS`` for a series or film, so they break near-ties
but never lift a poor match above a good one.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from django.db import connection
from django.db.models import QuerySet
from rapidfuzz import fuzz

from kansou.catalog.text import normalize_title

PRIOR_WEIGHT = 6.0
MAIN_KIND_BONUS = 3.0  # a series or film before its specials, recaps and promos
MIN_SIMILARITY = 60.0
CONTAINING = 60  # titles equal to or starting with the query, equal first, then by score
SIMILAR = 60  # titles sharing its rarest trigrams, most similar first
GRAM_BUDGET = 2000  # titles the trigrams asked for may match, together (rarest kept first)
GRAM_LEAST = 3
WHOLE_MIN = 8  # PostgreSQL: shortest query also matched against whole titles when …
WHOLE_BELOW = 90.0  # … no candidate is at least this similar
AS_WRITTEN, EXACT, PREFIX, WORD_PREFIX, FUZZY = 4, 3, 2, 1, 0
_MAIN_KINDS = {"TV", "MOVIE"}
FTS = "catalog_title_trigram"  # SQLite (migration 0003)
COLUMNS = (
    "t.anime_id, t.text, t.normalized, a.score, a.kind,"
    " (SELECT COUNT(*) FROM catalog_animetitle c WHERE c.anime_id = t.anime_id)"
)
# Shown titles only: not hidden, and not an imported title an author hid (``shown()``).
SHOWN = (
    "t.origin <> 'hidden' AND NOT EXISTS (SELECT 1 FROM catalog_animetitle h WHERE"
    " h.origin = 'hidden' AND h.anime_id = t.anime_id AND h.normalized = t.normalized)"
)


@dataclass(frozen=True)
class Match:
    anime_id: int
    matched_title: str
    similarity: float  # 100 for the folded query itself, else WRatio (at most 99)
    tier: int  # AS_WRITTEN … FUZZY
    rank_score: float  # within a tier: closeness + PRIOR_WEIGHT × prior

    @property
    def order(self) -> tuple:
        """Sort key, best first."""
        return (-self.tier, -self.rank_score, self.anime_id)


def prior(title_count: int, score: float | None, kind: str) -> float:
    """How widely known an anime looks, in [0, 1].

    >>> prior(40, 9.0, "TV") > prior(2, 6.0, "SPECIAL")
    True
    """
    known = min(1.0, math.log1p(title_count) / math.log1p(40))
    quality = (score if score is not None else 5.0) / 10.0
    kind_weight = 1.0 if kind in _MAIN_KINDS else 0.4
    return 0.5 * known + 0.3 * quality + 0.2 * kind_weight


def similarity(wanted: str, key: str, least: float = 0.0) -> float:
    """How alike a folded query and a folded title are, 0–100; 100 only when equal; 0 when
    below ``least`` (which lets rapidfuzz stop early).

    >>> similarity("cowboy bebob", "cowboy bebop") > similarity("cowboy bebob", "bebop")
    True
    """
    if key == wanted:
        return 100.0
    if len(key) * 2 < len(wanted):
        # A title less than half the query's length ("le" in "a silent voice") only matches
        # partially by accident: judge it as a whole string instead.
        return fuzz.ratio(wanted, key, score_cutoff=least)
    return min(fuzz.WRatio(wanted, key, processor=None, score_cutoff=least), 99.0)


def tier(query: str, wanted: str, text: str, key: str) -> int:
    """Which kind of match title ``text`` (folded: ``key``) is for ``query`` (``wanted``).

    >>> tier("K-On!", "k on", "K-On!!", "k on"), tier("bocchi", "bocchi", "Bocchi the Rock!",
    ...     "bocchi the rock"), tier("rock", "rock", "Bocchi the Rock!", "bocchi the rock")
    (3, 2, 1)
    """
    if key == wanted:
        return AS_WRITTEN if query.strip().casefold() == text.casefold() else EXACT
    if key.startswith(wanted):
        return PREFIX
    return WORD_PREFIX if f" {wanted}" in f" {key}" else FUZZY


def title_matches(
    query: str,
    *,
    limit: int = 10,
    min_similarity: float | None = None,
    within: QuerySet | None = None,
) -> list[Match]:
    """The best ``limit`` anime for ``query``, one match each (its best title), best first.

    ``within``: a queryset of anime to keep to (filters). Fuzzy matches below ``min_similarity``
    (``MIN_SIMILARITY``) are left out; exact, prefix and word-prefix matches never are.
    """
    wanted = normalize_title(query)
    if not wanted:
        return []
    least = MIN_SIMILARITY if min_similarity is None else min_similarity
    where, params = "", []  # the anime to keep to, as SQL over titles ``t``
    if within is not None:
        sql, within_params = within.order_by().values("pk").query.sql_with_params()
        where, params = f" AND t.anime_id IN ({sql})", list(within_params)
    rows = _candidates(wanted, where, params)
    matches = _ranked(query, wanted, rows, least)
    if len(wanted) >= WHOLE_MIN and connection.vendor == "postgresql":
        # Nothing close yet: maybe a typo in a short title, which word_similarity misses.
        if not any(m.tier > FUZZY or m.similarity >= WHOLE_BELOW for m in matches):
            matches = _ranked(query, wanted, rows + _whole_postgres(wanted, where, params), least)
    return matches[:limit]


def _ranked(query: str, wanted: str, rows: list[tuple], least: float) -> list[Match]:
    """Candidate rows ranked, one match per anime (its best title), best first."""
    best: dict[int, Match] = {}
    alike: dict[str, float] = {}
    for anime_id, text, key, score, kind, count in dict.fromkeys(rows):
        level = tier(query, wanted, text, key)
        if key not in alike:
            alike[key] = similarity(wanted, key, least)
        if level == FUZZY and alike[key] < least:
            continue
        # Closeness within a tier: the similarity for typos; how much of a title the query
        # covers for prefixes ("bocchi the rock" before "bocchi the rock movie").
        close = (
            alike[key] if level == FUZZY else 100.0 if level >= EXACT else fuzz.ratio(wanted, key)
        )
        rank = (
            close
            + PRIOR_WEIGHT * prior(count, score, kind)
            + MAIN_KIND_BONUS * (kind in _MAIN_KINDS)
        )
        match = Match(anime_id, text, alike[key], level, rank)
        if anime_id not in best or match.order < best[anime_id].order:
            best[anime_id] = match
    return sorted(best.values(), key=lambda m: m.order)


def _fetch(sql: str, params: list) -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def _candidates(wanted: str, where: str, params: list) -> list[tuple]:
    """Rows ``(anime_id, text, key, score, kind, title count)``: titles starting with
    ``wanted`` and titles like it; a title may come twice."""
    sqlite = connection.vendor == "sqlite"
    # Equal to or starting with it: on SQLite the folded title's own index, on PostgreSQL
    # pg_trgm's (which answers LIKE). Titles holding it further in share all its trigrams, so
    # the trigram query below brings them.
    if sqlite:
        holding = "t.normalized >= %s AND t.normalized < %s"
        holding_params = [wanted, wanted + chr(0x10FFFF)]
    else:
        escaped = wanted.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        holding, holding_params = "t.normalized LIKE %s", [f"{escaped}%"]
    rows = _fetch(
        f"SELECT {COLUMNS} FROM catalog_animetitle t JOIN catalog_anime a ON a.id = t.anime_id"
        f" WHERE {holding} AND {SHOWN}{where} ORDER BY t.normalized = %s DESC,"
        f" COALESCE(a.score, 0) DESC, t.id LIMIT {CONTAINING}",
        [*holding_params, *params, wanted],
    )
    similar = (_similar_sqlite if sqlite else _similar_postgres)(wanted, where, params)
    if similar is not None:
        rows += _fetch(
            f"SELECT {COLUMNS} FROM ({similar[0]}) s JOIN catalog_animetitle t"
            f" ON t.id = s.title_id JOIN catalog_anime a ON a.id = t.anime_id WHERE {SHOWN}",
            similar[1],
        )
    return rows


def _similar_postgres(wanted: str, where: str, params: list) -> tuple[str, list]:
    """``title_id`` of the ``SIMILAR`` titles (rows ``t``, ``where`` appended to the condition)
    holding a stretch most like ``wanted`` (``word_similarity`` above ``pg_trgm``'s threshold,
    0.6)."""
    sql = (
        f"SELECT t.id AS title_id FROM catalog_animetitle t WHERE %s <%% t.normalized{where}"
        " ORDER BY word_similarity(%s, t.normalized) DESC, t.id LIMIT %s"
    )
    return sql, [wanted, *params, wanted, SIMILAR]


def _whole_postgres(wanted: str, where: str, params: list) -> list[tuple]:
    """Candidate rows for titles most like ``wanted`` as a whole (``similarity`` above
    ``pg_trgm``'s threshold, 0.3): a second look, as it matches thousands of titles for a
    short query."""
    return _fetch(
        f"SELECT {COLUMNS} FROM (SELECT t.id AS title_id FROM catalog_animetitle t"
        f" WHERE t.normalized %% %s{where} ORDER BY similarity(t.normalized, %s) DESC, t.id"
        f" LIMIT %s) s JOIN catalog_animetitle t ON t.id = s.title_id"
        f" JOIN catalog_anime a ON a.id = t.anime_id WHERE {SHOWN}",
        [wanted, *params, wanted, SIMILAR],
    )


def _similar_sqlite(wanted: str, where: str, params: list) -> tuple[str, list] | None:
    """``title_id`` of the ``SIMILAR`` titles (rows ``t``, ``where`` appended to the condition)
    sharing most of ``wanted``'s rarest trigrams; None when it has none the titles hold.

    Only the rarest trigrams are asked for (at least ``GRAM_LEAST``, then while they match at
    most ``GRAM_BUDGET`` titles together): " no" alone is in a tenth of all titles. Titles are
    ordered by the summed idf of the trigrams they hold, in plain SQL over each trigram's rowids
    (a third of the cost of FTS5's ``bm25()``).
    """
    grams = list(dict.fromkeys(wanted[i : i + 3] for i in range(len(wanted) - 2)))
    if not grams:
        return None
    marks = ", ".join(["%s"] * len(grams))
    counted = sorted(
        _fetch(
            f"SELECT doc, term, (SELECT MAX(id) FROM catalog_animetitle) FROM {FTS}_vocab"
            f" WHERE term IN ({marks})",
            grams,
        )
    )
    kept, total = [], 0
    for count, gram, titles in counted:
        if len(kept) >= GRAM_LEAST and total + count > GRAM_BUDGET:
            break
        kept.append((math.log(1 + (titles - count + 0.5) / (count + 0.5)), f'"{gram}"'))
        total += count
    if not kept:
        return None
    each = " UNION ALL ".join(
        [f"SELECT rowid AS id, %s AS idf FROM {FTS} WHERE {FTS} MATCH %s"] * len(kept)
    )
    sql = f"SELECT g.id AS title_id FROM (SELECT id, SUM(idf) AS idf FROM ({each}) GROUP BY id) g"
    if where:
        sql += f" JOIN catalog_animetitle t ON t.id = g.id WHERE 1 = 1{where}"
    sql += " ORDER BY g.idf DESC, g.id LIMIT %s"
    return sql, [*(value for pair in kept for value in pair), *params, SIMILAR]
