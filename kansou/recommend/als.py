"""implicit's ALS (``implicit.cpu.als.AlternatingLeastSquares``) behind Kansou's contract.

Used as the baseline in evaluation and benchmarks; ``implicit`` is imported only when a model is
fitted, so the rest of the package works without it. Histories are scored by folding the user in
against the fixed item factors (implicit's ``recalculate_user``), so a history never seen at fit
time is handled the same way as a training user's.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import scipy.sparse as sp

from kansou.recommend.base import Recommender
from kansou.recommend.matrix import binarize


class ALSRecommender(Recommender):
    """Implicit-feedback matrix factorisation (Hu, Koren & Volinsky 2008), fitted by implicit.

    Confidence of an interaction is ``alpha × value`` (values binarised first), as in implicit
    0.7. ``num_threads=0`` uses every core; BLAS is limited to one thread during the fit, as
    implicit recommends.
    """

    name = "als"

    def __init__(
        self,
        factors: int = 64,
        regularization: float = 0.05,
        alpha: float = 10.0,
        iterations: int = 15,
        random_state: int = 0,
        num_threads: int = 0,
    ) -> None:
        super().__init__()
        self.factors, self.regularization, self.alpha = factors, regularization, alpha
        self.iterations, self.random_state, self.num_threads = iterations, random_state, num_threads
        self.item_factors = np.zeros((0, factors), dtype=np.float32)

    def fit(self, user_items: sp.spmatrix, item_features: Any = None) -> ALSRecommender:
        from implicit.cpu.als import AlternatingLeastSquares
        from threadpoolctl import threadpool_limits

        user_items = self._fit_popularity(user_items)
        with threadpool_limits(1, "blas"):
            model = AlternatingLeastSquares(
                factors=self.factors,
                regularization=self.regularization,
                alpha=self.alpha,
                iterations=self.iterations,
                random_state=self.random_state,
                num_threads=self.num_threads,
            )
            model.fit(binarize(user_items), show_progress=False)
        self.item_factors = np.ascontiguousarray(model.item_factors, dtype=np.float32)
        return self

    def user_vectors(self, histories: sp.csr_matrix) -> np.ndarray:
        """Least-squares user factors for each history row, shape (n_rows, factors)."""
        y = self.item_factors.astype(np.float64)
        gram = y.T @ y + self.regularization * np.eye(y.shape[1])
        rows = binarize(histories)
        out = np.zeros((rows.shape[0], y.shape[1]), dtype=np.float32)
        for r in range(rows.shape[0]):
            items = rows.indices[rows.indptr[r] : rows.indptr[r + 1]]
            if items.size == 0:
                continue
            confidence = self.alpha * rows.data[rows.indptr[r] : rows.indptr[r + 1]]
            yh = y[items]
            a = gram + yh.T @ ((confidence - 1.0)[:, None] * yh)
            out[r] = np.linalg.solve(a, yh.T @ confidence)
        return out

    def score_many(self, histories: sp.csr_matrix) -> np.ndarray:
        return (self.user_vectors(histories) @ self.item_factors.T).astype(np.float32)

    def item_scores(self, item_indices: np.ndarray) -> np.ndarray:
        y = self.item_factors
        norms = np.linalg.norm(y, axis=1)
        norms[norms == 0] = 1.0
        query = y[np.asarray(item_indices)] / norms[np.asarray(item_indices), None]
        return ((query @ y.T) / norms).astype(np.float32)

    def _state(self) -> tuple[dict, dict[str, Any]]:
        config = {
            "factors": self.factors,
            "regularization": self.regularization,
            "alpha": self.alpha,
            "iterations": self.iterations,
            "random_state": self.random_state,
            "num_threads": self.num_threads,
        }
        return config, {"popularity": self.popularity, "item_factors": self.item_factors}

    @classmethod
    def _from_state(cls, config: dict, arrays: dict[str, Any]) -> ALSRecommender:
        model = cls(**config)
        model.popularity, model.item_factors = arrays["popularity"], arrays["item_factors"]
        return model
