"""The one recommender contract every model follows (after implicit's ``RecommenderBase``).

Shapes: ``user_items`` is users × items (CSR, float32); a *history* is either a 1-d array of item
indices or a 1 × n_items CSR row of weights. Scores are float32; ``-inf`` marks an item the model
cannot or must not rank, and such items are never returned.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from pathlib import Path
from typing import Any, ClassVar

import numpy as np
import scipy.sparse as sp

from kansou.recommend.matrix import history_row, item_popularity


def top_n(
    scores: np.ndarray,
    n: int,
    *,
    exclude: np.ndarray | None = None,
    allowed: np.ndarray | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """The ``n`` best-scoring positions, best first, skipping ``-inf`` and NaN.

    Parameters
    ----------
    scores : ndarray of float, shape (n_items,)
    n : int
        May exceed ``n_items``; then every rankable item is returned.
    exclude : array of int, optional
        Indices never returned.
    allowed : ndarray of bool, shape (n_items,), optional
        Only items where it is True may be returned.

    Returns
    -------
    indices : ndarray of int64, shape (m,), m <= n
    scores : ndarray of float32, shape (m,)

    Examples
    --------
    >>> top_n(np.array([0.1, 0.9, -np.inf, 0.5]), 10, exclude=np.array([3]))[0].tolist()
    [1, 0]
    """
    scores = np.array(scores, dtype=np.float32, copy=True)
    if exclude is not None and len(exclude):
        scores[np.asarray(exclude, dtype=np.int64)] = -np.inf
    if allowed is not None:
        scores[~np.asarray(allowed, dtype=bool)] = -np.inf
    return rank_in_place(scores, n)


def rank_in_place(scores: np.ndarray, n: int) -> tuple[np.ndarray, np.ndarray]:
    """:func:`top_n` without the copy or the masks: ``scores`` (float32, owned by the caller)
    has its NaNs overwritten with ``-inf``. Equal scores rank by ascending index. The serving
    paths use it on arrays they built.

    >>> rank_in_place(np.array([0.5, 0.9, 0.5, 0.5], dtype=np.float32), 3)[0].tolist()
    [1, 0, 2]
    """
    scores[np.isnan(scores)] = -np.inf
    n = min(max(int(n), 0), scores.size)
    if n == 0:
        return np.empty(0, np.int64), np.empty(0, np.float32)
    negated = -scores
    if n < scores.size:
        # Partition the negated scores: numpy's introselect slows down ~20× when many equal
        # values (masked -inf, cold zeros) sit below a kth near the end, not above one near 0.
        cut = negated[np.argpartition(negated, n - 1)[n - 1]]
        if not np.isfinite(cut):
            best = np.flatnonzero(np.isfinite(negated))
        else:
            # Ties at the cut go to the lowest indices, whatever the size of the array.
            ahead = np.flatnonzero(negated < cut)
            best = np.concatenate([ahead, np.flatnonzero(negated == cut)[: n - ahead.size]])
    else:
        best = np.arange(scores.size)
    best = best[np.argsort(negated[best], kind="stable")]
    best = best[np.isfinite(scores[best])]
    return best.astype(np.int64, copy=False), scores[best]


def history_items(history, n_items: int) -> tuple[np.ndarray, np.ndarray]:
    """``(item indices int64, weights float32)`` of a history, without building a CSR row.

    Item indices come back sorted and unique (weights 1.0); a CSR row keeps its stored entries.

    >>> history_items([2, 0, 2], 3)[0].tolist()
    [0, 2]
    """
    if sp.issparse(history):
        row = history_row(history, n_items)
        return row.indices.astype(np.int64, copy=False), row.data
    indices = np.unique(np.asarray(history, dtype=np.int64).ravel())
    if indices.size and (indices[0] < 0 or indices[-1] >= n_items):
        raise IndexError(f"item index out of range 0..{n_items - 1}")
    return indices, np.ones(indices.size, np.float32)


class Recommender(ABC):
    """Fit on ``user_items``; rank items for a history; find items similar to an item.

    Subclasses implement :meth:`fit`, :meth:`score_many`, :meth:`item_scores` and the state
    pair :meth:`_state` / :meth:`_from_state`; ranking, exclusion, saving and loading live here.
    """

    name: ClassVar[str] = ""

    def __init__(self) -> None:
        self.popularity = np.zeros(0, dtype=np.int64)

    @property
    def n_items(self) -> int:
        return int(self.popularity.size)

    @abstractmethod
    def fit(self, user_items: sp.spmatrix, item_features: Any = None) -> Recommender:
        """Learn from ``user_items`` (users × items CSR; any stored value is an interaction).

        ``item_features`` (items × features, or a
        :class:`~kansou.recommend.features.ItemFeatures`) is used by models that need it and
        ignored by the others. Returns ``self``.
        """

    def _fit_popularity(self, user_items: sp.spmatrix) -> sp.csr_matrix:
        user_items = sp.csr_matrix(user_items, dtype=np.float32)
        self.popularity = item_popularity(user_items)
        return user_items

    @abstractmethod
    def score_many(self, histories: sp.csr_matrix) -> np.ndarray:
        """Scores for every item, one row per history: float32, shape (n_rows, n_items)."""

    @abstractmethod
    def item_scores(self, item_indices: np.ndarray) -> np.ndarray:
        """Similarity of each given item to every item: float32, shape (len, n_items)."""

    def recommend(
        self,
        history,
        n: int = 10,
        *,
        exclude: np.ndarray | None = None,
        allowed: np.ndarray | None = None,
        exclude_history: bool = True,
    ) -> tuple[np.ndarray, np.ndarray]:
        """Best ``n`` items for one history, best first.

        Parameters
        ----------
        history : array of int or csr_matrix of shape (1, n_items)
            Item indices (or weights) the user has interacted with. An empty history gets the
            most popular items of the training data (never an item nobody interacted with).
        n : int
            May exceed the catalogue; fewer items come back when fewer are rankable.
        exclude : array of int, optional
            Extra indices never returned; the history itself is excluded unless
            ``exclude_history=False``.
        allowed : ndarray of bool, shape (n_items,), optional
            Mask of items that may be returned (e.g. only released titles).

        Returns
        -------
        indices : ndarray of int64, shape (m,), m <= n
        scores : ndarray of float32, shape (m,)
        """
        items, values = history_items(history, self.n_items)
        tail = None
        if items.size == 0:
            scores = self.popularity.astype(np.float32)
            scores[self.popularity == 0] = -np.inf
        else:
            scores, tail = self._history_scores_with_tail(items, values)
        if exclude_history:
            scores[items] = -np.inf
        if exclude is not None and len(exclude):
            scores[np.asarray(exclude, dtype=np.int64)] = -np.inf
        if allowed is not None:
            scores[~np.asarray(allowed, dtype=bool)] = -np.inf
        return self.arrange(scores, n, tail)

    def arrange(
        self, scores: np.ndarray, n: int, tail: np.ndarray | None = None
    ) -> tuple[np.ndarray, np.ndarray]:
        """The list of ``n`` a history's ``scores`` (float32, -inf for what may not come, owned
        by the caller) make: the best first. A model with less-known picks (the hybrid) places
        some by ``tail``, its second ranking of the same history; an item ``scores`` rules out
        never comes from it."""
        return rank_in_place(scores, n)

    def score_many_with_tail(
        self, histories: sp.csr_matrix
    ) -> tuple[np.ndarray, np.ndarray | None]:
        """:meth:`score_many` and the scores less-known picks are chosen by (same shape), for a
        model that makes them; None for the others."""
        return self.score_many(histories), None

    def _history_scores_with_tail(
        self, items: np.ndarray, values: np.ndarray
    ) -> tuple[np.ndarray, np.ndarray | None]:
        """:meth:`_history_scores` and its row of less-known pick scores (None: no picks)."""
        return self._history_scores(items, values), None

    def _history_scores(self, items: np.ndarray, values: np.ndarray) -> np.ndarray:
        """Scores of every item for one non-empty history (float32, shape (n_items,), a new
        array the caller may overwrite). Models override it with a leaner single-row path."""
        row = sp.csr_matrix((values, items, [0, items.size]), shape=(1, self.n_items))
        return self.score_many(row)[0]

    def similar_items(self, item_index: int, n: int = 10) -> tuple[np.ndarray, np.ndarray]:
        """Up to ``n`` items most similar to ``item_index`` (itself excluded), best first."""
        if not 0 <= item_index < self.n_items:
            raise IndexError(f"item index {item_index} out of range 0..{self.n_items - 1}")
        scores = self.item_scores(np.array([item_index]))[0]
        return top_n(scores, n, exclude=np.array([item_index]))

    @abstractmethod
    def _state(self) -> tuple[dict, dict[str, Any]]:
        """``(config, arrays)``: JSON-able settings and the fitted arrays (dense or CSR)."""

    @classmethod
    @abstractmethod
    def _from_state(cls, config: dict, arrays: dict[str, Any]) -> Recommender:
        """Rebuild a fitted model from what :meth:`_state` returned."""

    def save(self, path: str | Path) -> Path:
        """Write a versioned model directory (see :mod:`kansou.recommend.persist`)."""
        from kansou.recommend.persist import save_model

        return save_model(self, path)

    @classmethod
    def load(cls, path: str | Path, mmap: bool = True) -> Recommender:
        """Read a directory written by :meth:`save`; arrays are memory-mapped when ``mmap``."""
        from kansou.recommend.persist import load_model

        model = load_model(path, mmap=mmap)
        if cls is not Recommender and not isinstance(model, cls):
            raise TypeError(f"{path} holds a {type(model).__name__}, not a {cls.__name__}")
        return model
