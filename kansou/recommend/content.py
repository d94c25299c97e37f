"""Content-based: items are alike when their (weighted) features are alike.

Each item is its feature row, L2-normalised, so ``F @ F.T`` is cosine similarity. A history's
profile is the sum of its items' rows (weighted by the history values); an item's score is the
cosine-like dot product of its row with that profile. Ratings play no part in similarity, so an
item nobody has rated still has neighbours — that is what this model is for.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import scipy.sparse as sp

from kansou.recommend.base import Recommender
from kansou.recommend.features import ItemFeatures
from kansou.recommend.weighting import normalize


class ContentRecommender(Recommender):
    """Cosine similarity of item features; needs ``item_features`` at :meth:`fit`.

    Items with no features score ``-inf`` (nothing to compare); only neighbours with a positive
    similarity are returned by :meth:`similar_items`.
    """

    name = "content"

    def __init__(self) -> None:
        super().__init__()
        self.features = sp.csr_matrix((0, 0), dtype=np.float32)

    def fit(self, user_items: sp.spmatrix, item_features: Any = None) -> ContentRecommender:
        if item_features is None:
            raise ValueError("the content model needs item_features (items × features)")
        matrix = item_features.matrix if isinstance(item_features, ItemFeatures) else item_features
        if matrix.shape[0] != user_items.shape[1]:
            raise ValueError(
                f"item_features has {matrix.shape[0]} rows, user_items {user_items.shape[1]} items"
            )
        self._fit_popularity(user_items)
        self.features = normalize(matrix)
        return self

    def _dense_scores(self, profiles: sp.csr_matrix) -> np.ndarray:
        scores = np.asarray((profiles @ self.features.T).toarray(), dtype=np.float32)
        empty = np.diff(self.features.indptr) == 0
        scores[:, empty] = -np.inf
        return scores

    def _history_scores(self, items: np.ndarray, values: np.ndarray) -> np.ndarray:
        # One history: a dense profile, then one sparse × dense product over the catalogue
        # (no sparse × sparse product and no densifying of a 1 × n_items sparse result).
        row = sp.csr_matrix((values, items, [0, items.size]), shape=(1, self.n_items))
        profile = (row @ self.features).toarray().ravel()
        scores = np.asarray(self.features @ profile, dtype=np.float32)
        scores[np.diff(self.features.indptr) == 0] = -np.inf
        return scores

    def score_many(self, histories: sp.csr_matrix) -> np.ndarray:
        profiles = sp.csr_matrix(histories, dtype=np.float32) @ self.features
        return self._dense_scores(sp.csr_matrix(profiles))

    def item_scores(self, item_indices: np.ndarray) -> np.ndarray:
        scores = self._dense_scores(self.features[np.asarray(item_indices)])
        scores[scores <= 0] = -np.inf
        return scores

    def _state(self) -> tuple[dict, dict[str, Any]]:
        return {}, {"popularity": self.popularity, "features": self.features}

    @classmethod
    def _from_state(cls, config: dict, arrays: dict[str, Any]) -> ContentRecommender:
        model = cls()
        model.popularity, model.features = arrays["popularity"], arrays["features"]
        return model
