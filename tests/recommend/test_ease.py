from __future__ import annotations

import numpy as np
import scipy.sparse as sp

from kansou.recommend import ease
from kansou.recommend.ease import EASERecommender, ease_weights
from tests.recommend import synthetic
from tests.recommend.contract import RecommenderContract


class TestEASEContract(RecommenderContract):
    def make(self):
        return EASERecommender(l2=1.0)


def test_weights_match_the_closed_form_on_a_tiny_matrix():
    x = sp.csr_matrix([[1, 1, 0, 1], [0, 1, 1, 0], [1, 0, 1, 1], [1, 1, 1, 0]], dtype=float)
    l2 = 0.5
    p = np.linalg.inv(x.T @ x + l2 * np.eye(4))
    expected = np.eye(4) - p / np.diag(p)
    np.testing.assert_allclose(ease_weights(x, l2), expected, atol=1e-6)


def test_weights_are_solved_by_cholesky(monkeypatch):
    calls = []
    real = ease.cho_factor

    def spy(*args, **kwargs):
        calls.append(args[0].shape)
        return real(*args, **kwargs)

    monkeypatch.setattr(ease, "cho_factor", spy)
    monkeypatch.setattr(np.linalg, "inv", None)  # a general inverse would fail loudly
    ease_weights(sp.csr_matrix(np.eye(3)), l2=1.0)
    assert calls == [(3, 3)]


def test_diagonal_is_zero():
    model = EASERecommender(l2=1.0).fit(synthetic.user_items())
    assert np.all(np.diag(model.weights) == 0)


def test_items_nobody_rated_are_never_scored():
    model = EASERecommender(l2=1.0).fit(synthetic.user_items())
    scores = model.score_many(synthetic.user_items()[:2])
    assert np.all(np.isneginf(scores[:, synthetic.cold_items()]))
    assert len(model.similar_items(int(synthetic.cold_items()[0]))[0]) == 0
