"""Beyond accuracy: how much of the catalogue is recommended, and how unexpected it is."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np


def catalog_coverage(lists: Sequence[Sequence[int]], n_items: int) -> float:
    """Share of the ``n_items`` catalogue that appears in at least one list.

    Empty input (no lists, or ``n_items == 0``) gives 0.0.

    >>> catalog_coverage([[0, 1], [1, 2]], n_items=10)
    0.3
    """
    if n_items == 0:
        return 0.0
    seen = set()
    for items in lists:
        seen.update(np.asarray(items).tolist())
    return len(seen) / n_items


def novelty(lists: Sequence[Sequence[int]], popularity: np.ndarray, n_users: int) -> float:
    """Mean self-information ``-log2(p(i))`` of every recommended item (RecTools' novelty).

    ``p(i) = popularity[i] / n_users`` is the share of training users who interacted with item
    ``i``. An item no training user touched counts as touched by one (so its novelty is
    ``log2(n_users)``, the maximum, not infinity). Averaged over all recommended positions of
    all lists; 0.0 when there are none.

    >>> novelty([[0], [1]], np.array([8, 2]), n_users=8)
    1.0
    """
    flat = np.concatenate([np.asarray(items, dtype=np.int64) for items in lists] or [[]])
    if flat.size == 0 or n_users == 0:
        return 0.0
    share = np.maximum(np.asarray(popularity)[flat.astype(np.int64)], 1) / n_users
    return float(np.mean(-np.log2(share)))
