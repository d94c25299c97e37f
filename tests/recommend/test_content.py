from __future__ import annotations

import pytest

from kansou.recommend.content import ContentRecommender
from tests.recommend import synthetic
from tests.recommend.contract import RecommenderContract


class TestContentContract(RecommenderContract):
    def make(self):
        return ContentRecommender()


def test_an_item_nobody_rated_has_neighbours_from_its_block():
    model = ContentRecommender().fit(synthetic.user_items(), synthetic.item_features())
    for cold in synthetic.cold_items():
        indices, scores = model.similar_items(int(cold), n=5)
        assert len(indices) == 5
        assert {synthetic.block_of_item(i) for i in indices} == {synthetic.block_of_item(cold)}
        assert scores.min() > 0


def test_fit_without_features_is_refused():
    with pytest.raises(ValueError, match="item_features"):
        ContentRecommender().fit(synthetic.user_items())
