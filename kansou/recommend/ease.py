"""EASE (Steck 2019): a closed-form item-item model with a zero diagonal.

With ``X`` the binarised users × items matrix and ``G = XᵀX + λI``, the weights minimising
``‖X − XB‖² + λ‖B‖²`` subject to ``diag(B) = 0`` are ``B = I − P·diag(1/diag(P))`` with
``P = G⁻¹``, i.e. ``B[i, j] = −P[i, j] / P[j, j]`` off the diagonal. ``G`` is symmetric positive
definite (λ > 0), so ``P`` comes from a Cholesky factorisation (``cho_factor`` / ``cho_solve``),
never a general inverse: it is faster and numerically safer.

With ``dropout`` p > 0 the ridge is item-wise, ``Λ = λI + p/(1−p)·diag(XᵀX)`` (the
closed form of a denoising linear autoencoder trained with input dropout, Steck 2020,
"Autoencoders that don't overfit towards the identity"): an often-seen item is regularised
harder, which both lifts NDCG and spreads lists over more of the catalogue on the shared
ratings (see the README's table).

Only items with at least one interaction take part (``active``): an item nobody touched has an
all-zero column, so it could never be scored anyway, and dropping it keeps the solve at
(rated items)³ instead of (catalogue)³.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import scipy.sparse as sp

from kansou.recommend.base import Recommender, history_items, rank_in_place
from kansou.recommend.matrix import binarize


def ease_weights(user_items: sp.spmatrix, l2: float, dropout: float = 0.0) -> np.ndarray:
    """The EASE item-item matrix ``B`` (float32, zero diagonal) for binarised ``user_items``;
    ``dropout`` in [0, 1) adds the item-wise ridge of the module docstring.

    >>> B = ease_weights(sp.csr_matrix([[1, 1, 0], [0, 1, 1]]), l2=1.0)
    >>> float(np.abs(np.diag(B)).max())
    0.0
    >>> B.shape
    (3, 3)
    """
    # Imported here: scipy.linalg takes ~0.1 s to import, and a web process that only serves a
    # saved model never solves anything.
    from scipy.linalg import cho_factor, cho_solve

    if l2 <= 0:
        raise ValueError("l2 must be positive (it keeps XᵀX + λI positive definite)")
    if not 0.0 <= dropout < 1.0:
        raise ValueError("dropout must be in [0, 1)")
    x = binarize(user_items)
    gram = (x.T @ x).toarray().astype(np.float64)
    gram[np.diag_indices_from(gram)] += l2 + dropout / (1.0 - dropout) * np.diag(gram)
    factor = cho_factor(gram, lower=True, overwrite_a=True, check_finite=False)
    precision = cho_solve(factor, np.eye(gram.shape[0]), overwrite_b=True, check_finite=False)
    weights = precision / (-np.diag(precision))
    weights[np.diag_indices_from(weights)] = 0.0
    # cho_solve returns Fortran order; rows must be contiguous for fast history @ B.
    return np.ascontiguousarray(weights, dtype=np.float32)


class EASERecommender(Recommender):
    """Embarrassingly shallow autoencoder; ``l2`` is the ridge strength λ, ``dropout`` the
    item-wise ridge of the module docstring (0: plain EASE, named ``ease``; above:
    ``ease+dropout``).

    Scores of a history row ``h`` are ``h[active] @ B``; items without interactions score
    ``-inf``. ``similar_items(i)`` reads row ``i`` of ``B`` (what a history of only ``i`` would
    score), so an unrated item has no neighbours here (the hybrid covers it).
    """

    name = "ease"

    def __init__(self, l2: float = 200.0, dropout: float = 0.0) -> None:
        super().__init__()
        self.l2 = float(l2)
        self.dropout = float(dropout)
        if self.dropout:
            self.name = "ease+dropout"
        self.active = np.zeros(0, dtype=np.int64)
        self.weights = np.zeros((0, 0), dtype=np.float32)

    def fit(self, user_items: sp.spmatrix, item_features: Any = None) -> EASERecommender:
        user_items = self._fit_popularity(user_items)
        self.active = np.flatnonzero(self.popularity > 0)
        self.weights = ease_weights(user_items[:, self.active], self.l2, self.dropout)
        self._positions = None
        return self

    def _scatter(self, active_scores: np.ndarray) -> np.ndarray:
        out = np.full((active_scores.shape[0], self.n_items), -np.inf, dtype=np.float32)
        out[:, self.active] = active_scores
        return out

    def _position(self) -> np.ndarray:
        """Row of ``B`` for each item index, -1 for items without interactions (cached)."""
        if getattr(self, "_positions", None) is None or self._positions.size != self.n_items:
            positions = np.full(self.n_items, -1, dtype=np.int64)
            positions[self.active] = np.arange(self.active.size)
            self._positions = positions
        return self._positions

    def _active_scores(self, rows: np.ndarray, values: np.ndarray) -> np.ndarray:
        """``values @ B[rows]`` (float32, shape (n_active,)): a gather and one reduction, the
        cost of reading the history's rows of ``B``; unit weights skip the multiply."""
        # A plain ndarray view of the (memory-mapped) B: np.memmap's subclass hooks would run
        # on the gathered copy and its reduction.
        picked = np.asarray(self.weights)[rows]
        if values.size and np.all(values == 1.0):
            return np.add.reduce(picked, axis=0)
        return np.asarray(values, dtype=np.float32) @ picked

    def _history_scores(self, items: np.ndarray, values: np.ndarray) -> np.ndarray:
        rows = self._position()[items]
        warm = rows >= 0
        return self._scatter(self._active_scores(rows[warm], values[warm])[None, :])[0]

    def recommend(
        self,
        history,
        n: int = 10,
        *,
        exclude: np.ndarray | None = None,
        allowed: np.ndarray | None = None,
        exclude_history: bool = True,
    ) -> tuple[np.ndarray, np.ndarray]:
        """As :meth:`Recommender.recommend`, but scored and ranked over the rated items only:
        ``B`` has a row per rated item, so the rest of the catalogue (always ``-inf``) is never
        built, masked or partitioned; positions are mapped back through ``active``."""
        items, values = history_items(history, self.n_items)
        if items.size == 0:
            return super().recommend(
                items, n, exclude=exclude, allowed=allowed, exclude_history=exclude_history
            )
        position = self._position()
        rows = position[items]
        warm = rows >= 0
        scores = self._active_scores(rows[warm], values[warm])
        if exclude_history:
            scores[rows[warm]] = -np.inf
        if exclude is not None and len(exclude):
            skip = position[np.asarray(exclude, dtype=np.int64)]
            scores[skip[skip >= 0]] = -np.inf
        if allowed is not None:
            scores[~np.asarray(allowed, dtype=bool)[self.active]] = -np.inf
        best, best_scores = rank_in_place(scores, n)
        return self.active[best], best_scores

    def score_many(self, histories: sp.csr_matrix) -> np.ndarray:
        # Re-index the history columns to B's rows directly (cheaper than scipy column slicing).
        rows = sp.csr_matrix(histories, dtype=np.float32)
        columns = self._position()[rows.indices]
        keep = columns >= 0
        kept = np.concatenate([[0], np.cumsum(keep)])[rows.indptr]
        compact = sp.csr_matrix(
            (rows.data[keep], columns[keep], kept), shape=(rows.shape[0], self.active.size)
        )
        return self._scatter(np.asarray(compact @ self.weights))

    def item_scores(self, item_indices: np.ndarray) -> np.ndarray:
        position = self._position()
        out = np.full((len(item_indices), self.n_items), -np.inf, dtype=np.float32)
        for row, item in enumerate(np.asarray(item_indices)):
            if position[item] >= 0:
                out[row, self.active] = self.weights[position[item]]
        return out

    def _state(self) -> tuple[dict, dict[str, Any]]:
        arrays = {"popularity": self.popularity, "active": self.active, "B": self.weights}
        return {"l2": self.l2, "dropout": self.dropout}, arrays

    @classmethod
    def _from_state(cls, config: dict, arrays: dict[str, Any]) -> EASERecommender:
        model = cls(l2=config["l2"], dropout=config.get("dropout", 0.0))
        model.popularity, model.active = arrays["popularity"], arrays["active"]
        model.weights = arrays["B"]
        model._positions = None
        return model
