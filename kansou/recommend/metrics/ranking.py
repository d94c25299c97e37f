"""Top-k accuracy of one recommendation list against one user's relevant items.

Edge rules (tests in ``tests/recommend/metrics/test_ranking.py`` are named after them):

- **No relevant items** → ``nan``: the user cannot be scored, and :func:`mean_at_k` leaves NaN
  out of the mean (as lkpy does), so such users neither help nor hurt.
- **Empty recommendation list** (with relevant items) → ``0.0``.
- **List shorter than k** → scored as it is: the missing positions are misses. A list longer
  than ``k`` is cut to its first ``k``.
- **Denominator** of recall is ``min(|relevant|, k)``, so a perfect list scores 1.0 even when a
  user has more relevant items than ``k`` (lkpy's truncated recall; RecTools divides by
  ``|relevant|`` instead).
- Relevance is binary; NDCG's ideal list puts ``min(|relevant|, k)`` hits first.
- Repeated items in the list count once (the first time).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import numpy as np


def _hits(recommended: Sequence[int], relevant: Iterable[int], k: int) -> tuple[np.ndarray, int]:
    if k < 1:
        raise ValueError("k must be at least 1")
    relevant = set(np.asarray(list(relevant)).tolist())
    top = list(dict.fromkeys(np.asarray(recommended).tolist()))[:k]
    return np.array([item in relevant for item in top], dtype=bool), len(relevant)


def recall_at_k(recommended: Sequence[int], relevant: Iterable[int], k: int) -> float:
    """Share of the (at most ``k``) relevant items found in the first ``k`` recommended.

    >>> recall_at_k([5, 1, 7], [1, 2], k=3)
    0.5
    >>> recall_at_k([5, 1], [], k=3)
    nan
    """
    hits, n_relevant = _hits(recommended, relevant, k)
    if n_relevant == 0:
        return float("nan")
    return float(hits.sum() / min(n_relevant, k))


def ndcg_at_k(recommended: Sequence[int], relevant: Iterable[int], k: int) -> float:
    """Normalised discounted cumulative gain with binary gains and ``log2(rank + 1)`` discount.

    >>> ndcg_at_k([1, 2], [1, 2], k=5)
    1.0
    >>> round(ndcg_at_k([9, 1], [1], k=5), 4)
    0.6309
    """
    hits, n_relevant = _hits(recommended, relevant, k)
    if n_relevant == 0:
        return float("nan")
    discounts = 1.0 / np.log2(np.arange(2, k + 2))
    dcg = float(discounts[: hits.size][hits].sum())
    ideal = float(discounts[: min(n_relevant, k)].sum())
    return dcg / ideal


def mean_at_k(metric, lists: Sequence[Sequence[int]], relevant: Sequence, k: int) -> float:
    """Mean of ``metric`` over users, users with no relevant items (NaN) left out.

    Returns ``nan`` when no user can be scored.

    >>> mean_at_k(recall_at_k, [[1], [2], [3]], [[1], [9], []], k=1)
    0.5
    """
    values = np.array([metric(rec, rel, k) for rec, rel in zip(lists, relevant, strict=True)])
    values = values[~np.isnan(values)]
    return float(values.mean()) if values.size else float("nan")
