"""Typo-tolerant title matching for the search box, fast enough to run on every query.

``catalog.lookup.TitleIndex`` scores every title in the catalog (about 90,000) with rapidfuzz,
which takes ~200 ms a query: right for ``kansou catalog find``, too slow for a search box. Here
an in-memory trigram index picks the ``CANDIDATES`` titles sharing the most character trigrams
with the query (a millisecond with numpy), and a ``TitleIndex`` over just those ranks them with
the catalog's own rules (exact match 100, then WRatio; the prior breaks near-ties).

Built from the search index's anime documents and cached per process, keyed by the index's
version, so it follows ``search_reindex`` and nothing else.
"""

from __future__ import annotations

import threading
from collections import defaultdict
from collections.abc import Iterable

import numpy as np
from django.db.models import Count, Max

from kansou.catalog.lookup import Match, TitleIndex
from kansou.catalog.text import normalize_title
from kansou.discovery.search_models import SearchDocument

CANDIDATES = 400


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

    def search(self, query: str, limit: int = 20) -> list[Match]:
        wanted = normalize_title(query)
        grams = trigrams(wanted) if wanted else set()
        found = [self._postings[gram] for gram in grams if gram in self._postings]
        if not found:
            return []
        shared = np.bincount(np.concatenate(found), minlength=len(self._keys)).astype(np.float32)
        # Dice similarity of trigram sets, plus how much of the query a title covers: keeps
        # both near-identical titles and longer titles that contain the whole query.
        score = 2 * shared / (self._sizes + len(grams)) + shared / len(grams)
        count = min(CANDIDATES, int(np.count_nonzero(shared)))
        top = np.argpartition(-score, count - 1)[:count]
        rows = [
            (anime_id, text, self._keys[position])
            for position in top.tolist()
            for anime_id, text in self._owners[position]
        ]
        return TitleIndex(rows, self._priors).search(query, limit=limit)


_lock = threading.Lock()
_cache: dict[str, object] = {"version": None, "matcher": None}


def title_matcher() -> TitleMatcher:
    """The process-wide matcher over the indexed anime titles, rebuilt after a reindex."""
    # Documents are rewritten, never updated, so the count and the last id change on every
    # reindex; both come from the primary key alone, which keeps this check cheap.
    version = tuple(SearchDocument.objects.aggregate(n=Count("pk"), last=Max("pk")).values())
    with _lock:
        if _cache["version"] != version:
            docs = SearchDocument.objects.filter(kind=SearchDocument.Kind.ANIME)
            rows = docs.values_list("anime_id", "titles", "prior")
            priors = {}
            titles = []
            for anime_id, text, prior in rows.iterator(chunk_size=2000):
                priors[anime_id] = prior
                titles += [(anime_id, line) for line in text.splitlines()]
            _cache.update(version=version, matcher=TitleMatcher(titles, priors))
        return _cache["matcher"]
