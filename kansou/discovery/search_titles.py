"""Typo-tolerant title matching for the search box, fast enough to run on every query.

``catalog.lookup.TitleIndex`` scores every title in the catalog (about 90,000) with rapidfuzz,
which takes ~200 ms a query: right for ``kansou catalog find``, too slow for a search box. Here
an in-memory trigram index picks the ``CANDIDATES`` titles sharing the most character trigrams
with the query (a fraction of a millisecond with numpy), and ``lookup.rank_titles`` ranks just
those with the catalog's own rules (exact match 100, then WRatio; the prior breaks near-ties).

Built from the search index's anime documents as part of ``search_snapshot`` (per process, per
index version), so it follows ``search_reindex`` and nothing else.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

import numpy as np

from kansou.catalog.lookup import Match, rank_titles
from kansou.catalog.text import normalize_title

CANDIDATES = 100


def trigrams(key: str) -> set[str]:
    """Character trigrams of a folded title, padded so short words still have some.

    >>> sorted(trigrams("bebop"))
    [' be', 'beb', 'bop', 'ebo', 'op ']
    """
    padded = f" {key} "
    return {padded[i : i + 3] for i in range(len(padded) - 2)}


class TitleMatcher:
    """``rows`` yields ``(anime_id, title)``; ``priors`` maps anime id to ``lookup.prior``."""

    def __init__(self, rows: Iterable[tuple[int, str]], priors: dict[int, float]):
        owners: dict[str, list[tuple[int, str]]] = defaultdict(list)
        for anime_id, text in rows:
            key = normalize_title(text)
            if key:
                owners[key].append((anime_id, text))
        self._keys = list(owners)
        self._owners = [owners[key] for key in self._keys]
        self._priors = priors
        postings: dict[str, list[int]] = defaultdict(list)
        sizes = np.zeros(len(self._keys), dtype=np.float32)
        for position, key in enumerate(self._keys):
            grams = trigrams(key)
            sizes[position] = len(grams)
            for gram in grams:
                postings[gram].append(position)
        self._postings = {gram: np.asarray(ids, dtype=np.int32) for gram, ids in postings.items()}
        self._sizes = sizes

    def __len__(self) -> int:
        return len(self._keys)

    def search(
        self, query: str, limit: int = 20, min_similarity: float | None = None
    ) -> list[Match]:
        """The best ``limit`` matches, none below ``min_similarity`` (default: the lookup's)."""
        wanted = normalize_title(query)
        grams = trigrams(wanted) if wanted else set()
        found = [self._postings[gram] for gram in grams if gram in self._postings]
        if not found:
            return []
        shared = np.bincount(np.concatenate(found), minlength=len(self._keys))
        # Only titles sharing a fair part of the query's trigrams can score well; on a common
        # query that skips most of the catalog before any float work.
        least = max(1, len(grams) // 4) if len(found) > 2 else 1
        near = np.flatnonzero(shared >= least)
        if not len(near):
            near = np.flatnonzero(shared)
        common = shared[near].astype(np.float32)
        # Dice similarity of trigram sets, plus how much of the query a title covers: keeps
        # both near-identical titles and longer titles that contain the whole query.
        score = 2 * common / (self._sizes[near] + len(grams)) + common / len(grams)
        count = min(CANDIDATES, len(near))
        top = near[np.argpartition(-score, count - 1)[:count]]
        top = top.tolist()
        return rank_titles(
            wanted,
            [self._keys[i] for i in top],
            [self._owners[i] for i in top],
            self._priors,
            limit,
            min_similarity,
        )


def title_matcher() -> TitleMatcher:
    """The process-wide matcher over the indexed anime titles, rebuilt after a reindex."""
    from kansou.discovery.search_snapshot import search_snapshot

    return search_snapshot().titles
