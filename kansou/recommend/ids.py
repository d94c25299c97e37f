"""External ids ↔ matrix indices: the only place that maps between them.

An ``*_id`` is whatever the outside world uses (a MAL id, a user id, a database key); an
``*_index`` is a 0..n-1 row or column of ``user_items``. :class:`IdMap` keeps the ids in index
order and converts both ways, vectorised (as RecTools' ``IdMap`` does).
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np

MISSING = -1


class IdMap:
    """An ordered set of external ids; position ``i`` holds the id of index ``i``.

    Parameters
    ----------
    ids : array-like, shape (n,)
        Unique external ids (ints or strings) in index order.

    Examples
    --------
    >>> users = IdMap.from_values([30, 10, 30, 20])
    >>> users.ids.tolist()
    [30, 10, 20]
    >>> users.to_index([20, 30]).tolist()
    [2, 0]
    >>> users.to_id([1]).tolist()
    [10]
    >>> users.to_index([99], missing="ignore").tolist()
    [-1]
    """

    def __init__(self, ids: Iterable) -> None:
        self.ids = np.asarray(list(ids) if not isinstance(ids, np.ndarray) else ids)
        if self.ids.ndim != 1:
            raise ValueError("ids must be one-dimensional")
        self._order = np.argsort(self.ids, kind="stable")
        self._sorted = self.ids[self._order]
        if len(self._sorted) > 1 and np.any(self._sorted[1:] == self._sorted[:-1]):
            raise ValueError("ids must be unique")

    @classmethod
    def from_values(cls, values: Iterable) -> IdMap:
        """Unique ids in order of first appearance."""
        values = np.asarray(list(values) if not isinstance(values, np.ndarray) else values)
        _, first = np.unique(values, return_index=True)
        return cls(values[np.sort(first)])

    def __len__(self) -> int:
        return len(self.ids)

    def __contains__(self, external_id) -> bool:
        return bool(self.to_index([external_id], missing="ignore")[0] != MISSING)

    def to_index(self, external_ids: Iterable, missing: str = "raise") -> np.ndarray:
        """Indices (int64) of ``external_ids``.

        ``missing="raise"`` raises ``KeyError`` naming the first unknown id; ``"ignore"`` gives
        ``-1`` (:data:`MISSING`) for it.
        """
        query = np.asarray(
            list(external_ids) if not isinstance(external_ids, np.ndarray) else external_ids
        )
        if len(self.ids) == 0 or query.size == 0:
            found = np.zeros(query.shape, dtype=bool)
            pos = np.zeros(query.shape, dtype=np.int64)
        else:
            pos = np.searchsorted(self._sorted, query).clip(0, len(self._sorted) - 1)
            found = self._sorted[pos] == query
        if not found.all() and missing == "raise":
            raise KeyError(f"unknown id {query[~found][0]!r}")
        result = np.full(query.shape, MISSING, dtype=np.int64)
        result[found] = self._order[pos[found]]
        return result

    def to_id(self, indices: Iterable[int]) -> np.ndarray:
        """External ids at ``indices``; an index out of range raises ``IndexError``."""
        return self.ids[np.asarray(indices, dtype=np.int64)]
