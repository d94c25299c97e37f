"""Hybrid: a collaborative model blended with the content model, content alone for cold items.

Per history, each model's scores are scaled to [0, 1]-ish by dividing by that row's largest
finite score, then::

    warm item (has interactions):  (1 − content_weight) · collaborative + content_weight · content
    cold item (none):              cold_weight · content

``content_weight`` and ``cold_weight`` are chosen on the validation split by
:func:`kansou.recommend.evaluate.tune_hybrid`, never on the test split.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import scipy.sparse as sp

from kansou.recommend.base import Recommender
from kansou.recommend.content import ContentRecommender
from kansou.recommend.ease import EASERecommender


def _scaled(scores: np.ndarray) -> np.ndarray:
    """Divide each row by its largest finite score (rows with none stay as they are)."""
    finite = np.where(np.isfinite(scores), scores, -np.inf)
    top = finite.max(axis=1, keepdims=True)
    top = np.where(np.isfinite(top) & (top > 0), top, 1.0)
    return np.where(np.isfinite(scores), scores / top, 0.0).astype(np.float32)


class HybridRecommender(Recommender):
    """Blend of ``collaborative`` (EASE by default) and ``content`` models."""

    name = "hybrid"

    def __init__(
        self,
        collaborative: Recommender | None = None,
        content: Recommender | None = None,
        content_weight: float = 0.1,
        cold_weight: float = 0.3,
    ) -> None:
        super().__init__()
        self.collaborative = collaborative or EASERecommender()
        self.content = content or ContentRecommender()
        self.content_weight = float(content_weight)
        self.cold_weight = float(cold_weight)

    def fit(self, user_items: sp.spmatrix, item_features: Any = None) -> HybridRecommender:
        user_items = self._fit_popularity(user_items)
        self.collaborative.fit(user_items, item_features)
        self.content.fit(user_items, item_features)
        return self

    def blend(self, collaborative: np.ndarray, content: np.ndarray) -> np.ndarray:
        """Combine two (n_rows, n_items) score arrays by the rule in the module docstring."""
        warm = self.popularity > 0
        cf, ct = _scaled(collaborative), _scaled(content)
        mixed = (1.0 - self.content_weight) * cf + self.content_weight * ct
        out = np.where(warm, mixed, self.cold_weight * ct).astype(np.float32)
        unrankable = ~np.isfinite(collaborative) & ~np.isfinite(content)
        out[unrankable] = -np.inf
        return out

    def score_many(self, histories: sp.csr_matrix) -> np.ndarray:
        return self.blend(
            self.collaborative.score_many(histories), self.content.score_many(histories)
        )

    def _history_scores(self, items: np.ndarray, values: np.ndarray) -> np.ndarray:
        collaborative = self.collaborative._history_scores(items, values)
        content = self.content._history_scores(items, values)
        return self.blend(collaborative[None, :], content[None, :])[0]

    def item_scores(self, item_indices: np.ndarray) -> np.ndarray:
        item_indices = np.asarray(item_indices)
        out = self.blend(
            self.collaborative.item_scores(item_indices), self.content.item_scores(item_indices)
        )
        # A cold query item has no collaborative row: its neighbours are content neighbours.
        cold = self.popularity[item_indices] == 0
        if cold.any():
            out[cold] = self.content.item_scores(item_indices[cold])
        return out

    def _state(self) -> tuple[dict, dict[str, Any]]:
        config = {"content_weight": self.content_weight, "cold_weight": self.cold_weight}
        arrays = {
            "popularity": self.popularity,
            "collaborative": self.collaborative,
            "content": self.content,
        }
        return config, arrays

    @classmethod
    def _from_state(cls, config: dict, arrays: dict[str, Any]) -> HybridRecommender:
        model = cls(arrays["collaborative"], arrays["content"], **config)
        model.popularity = arrays["popularity"]
        return model
