"""The contract every recommender passes (after implicit's ``recommender_base_test``).

Subclass :class:`RecommenderContract` in a ``test_<model>.py`` and define :meth:`make`; the
``data`` and ``model`` fixtures (``conftest.py``) fit it once per class on the block data.
"""

from __future__ import annotations

import numpy as np
import pytest
import scipy.sparse as sp

from kansou.recommend.base import Recommender
from tests.recommend import synthetic


class RecommenderContract:
    personalised = True  # False: the same ranking for everyone (most-popular)

    def make(self) -> Recommender:
        raise NotImplementedError

    def history(self, data, user: int) -> np.ndarray:
        return data[0][user].indices

    def test_recommendations_for_a_user_in_a_block_come_from_that_block(self, model, data):
        for user in (0, synthetic.USERS_PER_BLOCK + 3, 2 * synthetic.USERS_PER_BLOCK + 5):
            block = user // synthetic.USERS_PER_BLOCK
            n = 3  # the top of the list; the block has 4 unseen rated items
            indices, _ = model.recommend(self.history(data, user), n=n)
            assert len(indices) == n
            if self.personalised:
                assert {synthetic.block_of_item(i) for i in indices} == {block}

    def test_similar_items_come_from_the_same_block(self, model):
        for item in (0, synthetic.ITEMS_PER_BLOCK + 2):
            indices, scores = model.similar_items(item, n=3)
            assert item not in indices
            assert len(indices) == 3
            assert np.all(np.diff(scores) <= 1e-6)
            if self.personalised:
                assert {synthetic.block_of_item(i) for i in indices} == {
                    synthetic.block_of_item(item)
                }

    def test_seen_items_are_never_recommended(self, model, data):
        history = self.history(data, 1)
        indices, _ = model.recommend(history, n=100)
        assert not set(history) & set(indices)

    def test_seen_items_can_be_kept_on_request(self, model, data):
        history = self.history(data, 1)
        indices, _ = model.recommend(history, n=100, exclude_history=False)
        assert set(history) <= set(indices)

    def test_exclude_and_allowed_mask_are_respected(self, model, data):
        history = self.history(data, 0)
        first, _ = model.recommend(history, n=2)
        allowed = np.zeros(model.n_items, bool)
        allowed[synthetic.block_items(0)] = True
        indices, _ = model.recommend(history, n=100, exclude=first, allowed=allowed)
        assert not set(first) & set(indices)
        assert set(indices) <= set(synthetic.block_items(0))

    def test_n_larger_than_the_catalogue_returns_each_item_at_most_once(self, model, data):
        indices, scores = model.recommend(self.history(data, 0), n=10_000)
        assert len(indices) == len(set(indices.tolist())) <= model.n_items
        assert np.all(np.isfinite(scores))
        assert np.all(np.diff(scores) <= 1e-6)

    def test_empty_history_gets_the_most_popular_items(self, model, data):
        indices, _ = model.recommend([], n=3)
        popularity = np.bincount(data[0].indices, minlength=model.n_items)
        assert len(indices) == 3
        assert all(popularity[i] == popularity.max() for i in indices)

    def test_a_history_row_and_its_indices_give_the_same_ranking(self, model, data):
        row = sp.csr_matrix(np.isin(np.arange(model.n_items), self.history(data, 2)), dtype=float)
        a, _ = model.recommend(row.reshape(1, -1), n=5)
        b, _ = model.recommend(self.history(data, 2), n=5)
        assert a.tolist() == b.tolist()

    def test_out_of_range_history_raises(self, model):
        with pytest.raises(IndexError):
            model.recommend([model.n_items], n=3)

    def test_save_then_load_gives_identical_results(self, model, data, tmp_path):
        path = model.save(tmp_path / "model")
        assert (path / "manifest.json").is_file()
        loaded = type(model).load(path)
        history = self.history(data, 4)
        for a, b in zip(model.recommend(history, n=7), loaded.recommend(history, n=7), strict=True):
            np.testing.assert_allclose(a, b, rtol=1e-6)
        for a, b in zip(model.similar_items(3, n=5), loaded.similar_items(3, n=5), strict=True):
            np.testing.assert_allclose(a, b, rtol=1e-6)
