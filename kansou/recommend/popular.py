"""Most popular: the same ranking for everyone, by number of users per item (the baseline)."""

from __future__ import annotations

from typing import Any

import numpy as np
import scipy.sparse as sp

from kansou.recommend.base import Recommender


class PopularRecommender(Recommender):
    """Ranks items by how many users interacted with them in ``user_items``.

    Not personalised: every history gets the same order (minus what it excludes), and
    :meth:`similar_items` returns the most popular other items. Items nobody interacted with
    score ``-inf`` and are never recommended.

    Examples
    --------
    >>> model = PopularRecommender().fit(sp.csr_matrix([[1, 1, 0], [0, 1, 0]]))
    >>> model.recommend([], n=5)[0].tolist()
    [1, 0]
    """

    name = "popular"

    def fit(self, user_items: sp.spmatrix, item_features: Any = None) -> PopularRecommender:
        self._fit_popularity(user_items)
        return self

    def _ranking(self, rows: int) -> np.ndarray:
        scores = self.popularity.astype(np.float32)
        scores[self.popularity == 0] = -np.inf
        return np.broadcast_to(scores, (rows, self.n_items)).copy()

    def score_many(self, histories: sp.csr_matrix) -> np.ndarray:
        return self._ranking(histories.shape[0])

    def item_scores(self, item_indices: np.ndarray) -> np.ndarray:
        return self._ranking(len(item_indices))

    def _state(self) -> tuple[dict, dict[str, Any]]:
        return {}, {"popularity": self.popularity}

    @classmethod
    def _from_state(cls, config: dict, arrays: dict[str, Any]) -> PopularRecommender:
        model = cls()
        model.popularity = arrays["popularity"]
        return model
