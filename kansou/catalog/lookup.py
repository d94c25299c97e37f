"""Finding anime by any of their titles, tolerant of case, accents, punctuation and typos.

Pure Python over plain tuples (no Django), so it can be tested and benchmarked alone;
``catalog.selectors.anime_find`` feeds it from the database and caches it per process.

Ranking: a title's similarity to the query (0–100: exact after normalisation is 100, then
rapidfuzz's WRatio, which forgives typos, word order and a missing word) decides; among equally
good matches a *prior* (how widely known the anime is: how many titles the world gave it, its
score, TV/movie over specials) breaks the tie. The prior is worth at most ``PRIOR_WEIGHT`` points,
so it reorders near-ties but never lifts a poor match above a good one.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from rapidfuzz import fuzz, process

from kansou.catalog.text import normalize_title

PRIOR_WEIGHT = 6.0
MIN_SIMILARITY = 60.0
_MAIN_KINDS = {"TV", "MOVIE"}


@dataclass(frozen=True)
class Match:
    anime_id: int
    matched_title: str
    similarity: float
    rank_score: float


def prior(title_count: int, score: float | None, kind: str) -> float:
    """How widely known an anime looks, in [0, 1].

    >>> prior(40, 9.0, "TV") > prior(2, 6.0, "SPECIAL")
    True
    """
    known = min(1.0, math.log1p(title_count) / math.log1p(40))
    quality = (score if score is not None else 5.0) / 10.0
    kind_weight = 1.0 if kind in _MAIN_KINDS else 0.4
    return 0.5 * known + 0.3 * quality + 0.2 * kind_weight


class TitleIndex:
    """All titles of the catalog, searchable.

    ``titles`` yields ``(anime_id, text, normalized)``; ``priors`` maps anime id to ``prior()``.
    """

    def __init__(self, titles: Iterable[tuple[int, str, str]], priors: dict[int, float]):
        owners: dict[str, list[tuple[int, str]]] = defaultdict(list)
        for anime_id, text, normalized in titles:
            if normalized:
                owners[normalized].append((anime_id, text))
        self._keys = list(owners)
        self._owners = [owners[key] for key in self._keys]
        self._priors = priors

    def __len__(self) -> int:
        return len(self._keys)

    def search(
        self, query: str, limit: int = 10, min_similarity: float | None = None
    ) -> list[Match]:
        """The best ``limit`` matches, none below ``min_similarity`` (``MIN_SIMILARITY``)."""
        return rank_titles(
            normalize_title(query), self._keys, self._owners, self._priors, limit, min_similarity
        )


def rank_titles(
    wanted: str,
    keys: list[str],
    owners: list[list[tuple[int, str]]],
    priors: dict[int, float],
    limit: int = 10,
    min_similarity: float | None = None,
) -> list[Match]:
    """Rank normalised title ``keys`` (``owners[i]``: the ``(anime_id, title)`` pairs behind
    ``keys[i]``) against the normalised query ``wanted``, best anime first."""
    if not wanted:
        return []
    least = MIN_SIMILARITY if min_similarity is None else min_similarity
    hits = process.extract(
        wanted,
        keys,
        scorer=fuzz.WRatio,
        processor=None,
        limit=max(200, limit * 20),
        score_cutoff=least,
    )
    best: dict[int, Match] = {}
    for key, similarity, position in hits:
        if key == wanted:
            similarity = 100.0
        elif len(key) * 2 < len(wanted):
            # A title less than half the query's length ("le" in "a silent voice") only
            # matches partially by accident: judge it as a whole string instead.
            similarity = fuzz.ratio(wanted, key)
        else:
            # WRatio may score a partial match 100: keep exact matches strictly ahead.
            similarity = min(similarity, 99.0)
        if similarity < least:
            continue
        for anime_id, text in owners[position]:
            rank = similarity + PRIOR_WEIGHT * priors.get(anime_id, 0.0)
            if anime_id not in best or rank > best[anime_id].rank_score:
                best[anime_id] = Match(anime_id, text, similarity, rank)
    ranked = sorted(best.values(), key=lambda m: (-m.rank_score, m.anime_id))
    return ranked[:limit]
