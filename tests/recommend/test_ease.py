from __future__ import annotations

import numpy as np
import scipy.linalg
import scipy.sparse as sp

from kansou.recommend.base import top_n
from kansou.recommend.ease import EASERecommender, ease_weights
from kansou.recommend.matrix import history_row
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
    real = scipy.linalg.cho_factor

    def spy(*args, **kwargs):
        calls.append(args[0].shape)
        return real(*args, **kwargs)

    monkeypatch.setattr(scipy.linalg, "cho_factor", spy)
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


def test_recommend_over_rated_items_ranks_as_the_full_catalogue_scores_do():
    data = synthetic.user_items()
    model = EASERecommender(l2=1.0).fit(data)
    allowed = np.arange(model.n_items) % 3 != 0
    for user in (0, 7, 33):
        history = data[user].indices
        exclude = np.array([int(synthetic.cold_items()[0]), int(history[0]) + 1])
        scores = model.score_many(history_row(history, model.n_items))[0]
        expected = top_n(scores, 6, exclude=np.concatenate([history, exclude]), allowed=allowed)
        got = model.recommend(history, 6, exclude=exclude, allowed=allowed)
        assert got[0].tolist() == expected[0].tolist()
        np.testing.assert_allclose(got[1], expected[1], rtol=1e-6)
        assert not set(got[0].tolist()) & set(synthetic.cold_items().tolist())
