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


def trigram_codes(keys: list[str]) -> tuple[np.ndarray, np.ndarray]:
    """``(key positions, trigram codes)``: every trigram of every key (as ``trigrams`` finds
    them, repeats included), each packed into one integer from its three code points.

    >>> positions, codes = trigram_codes(["bebop", "bop"])
    >>> positions.tolist(), len(set(codes[:5])), bool(codes[3] == codes[6])
    ([0, 0, 0, 0, 0, 1, 1, 1], 5, True)
    """
    # Keys joined by NUL, which folded keys never hold; a trigram touching one is dropped.
    text = "\0".join(f" {key} " for key in keys)
    points = np.frombuffer(text.encode("utf-32-le"), dtype=np.uint32).astype(np.int64)
    if len(points) < 3:
        return np.zeros(0, np.int64), np.zeros(0, np.int64)
    codes = (points[:-2] << 42) | (points[1:-1] << 21) | points[2:]
    gap = points == 0
    keep = ~(gap[:-2] | gap[1:-1] | gap[2:])
    positions = np.cumsum(gap)[:-2][keep]  # NULs before a trigram = its key's position
    return positions, codes[keep]


def _distinct(values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """``np.unique(values, return_inverse=True)`` by one sort (numpy 2's hashing ``unique`` is
    several times slower on millions of int64).

    >>> [a.tolist() for a in _distinct(np.array([5, 3, 5, 9]))]
    [[3, 5, 9], [1, 0, 1, 2]]
    """
    order = np.argsort(values, kind="stable")
    ordered = values[order]
    new = np.ones(len(ordered), dtype=bool)
    new[1:] = ordered[1:] != ordered[:-1]
    inverse = np.empty(len(values), dtype=np.int64)
    inverse[order] = np.cumsum(new) - 1
    return ordered[new], inverse


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
        # Trigram postings as one array grouped by trigram (CSR), computed with numpy over
        # the keys' code points: a rebuild after a reindex stays a fraction of a second.
        positions, codes = trigram_codes(self._keys)
        self._codes, gram_of = _distinct(codes)
        # (trigram, key) pairs packed in one integer: one sort groups them by trigram and
        # drops a trigram a key holds twice.
        shift = max(1, len(self._keys).bit_length())
        pairs, _ = _distinct((gram_of << shift) | positions)
        self._gram_keys = (pairs & ((1 << shift) - 1)).astype(np.int32)  # grouped by trigram
        per_gram = np.bincount(pairs >> shift, minlength=len(self._codes))
        self._gram_starts = np.concatenate([[0], np.cumsum(per_gram)])
        self._sizes = np.bincount(self._gram_keys, minlength=len(self._keys)).astype(np.float32)

    def __len__(self) -> int:
        return len(self._keys)

    def search(
        self, query: str, limit: int = 20, min_similarity: float | None = None
    ) -> list[Match]:
        """The best ``limit`` matches, none below ``min_similarity`` (default: the lookup's)."""
        wanted = normalize_title(query)
        if not wanted:
            return []
        grams = np.unique(trigram_codes([wanted])[1])
        at = np.minimum(np.searchsorted(self._codes, grams), max(len(self._codes) - 1, 0))
        known = at[self._codes[at] == grams] if len(self._codes) else at[:0]
        found = [self._gram_keys[self._gram_starts[g] : self._gram_starts[g + 1]] for g in known]
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
