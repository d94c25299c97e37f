from __future__ import annotations

import numpy as np

from kansou.recommend.ease import EASERecommender
from kansou.recommend.hybrid import HybridRecommender
from tests.recommend import synthetic
from tests.recommend.contract import RecommenderContract


def make_hybrid(**options):
    return HybridRecommender(EASERecommender(l2=1.0), **options)


class TestHybridContract(RecommenderContract):
    def make(self):
        return make_hybrid()


def test_cold_items_fall_back_to_content_neighbours():
    model = make_hybrid().fit(synthetic.user_items(), synthetic.item_features())
    cold = int(synthetic.cold_items()[1])
    indices, _ = model.similar_items(cold, n=4)
    assert len(indices) == 4
    assert {synthetic.block_of_item(i) for i in indices} == {1}


def test_cold_items_reach_recommendations_through_content():
    model = make_hybrid(cold_weight=1.0).fit(synthetic.user_items(), synthetic.item_features())
    indices, _ = model.recommend(synthetic.user_items()[0].indices, n=5)
    assert synthetic.cold_items()[0] in indices


def test_content_weight_zero_ranks_warm_items_as_the_collaborative_model_does():
    data, features = synthetic.user_items(), synthetic.item_features()
    hybrid = make_hybrid(content_weight=0.0, cold_weight=0.0).fit(data, features)
    ease = EASERecommender(l2=1.0).fit(data)
    history = data[5].indices
    warm = np.flatnonzero(ease.popularity > 0)
    a = hybrid.recommend(history, n=4, allowed=np.isin(np.arange(hybrid.n_items), warm))[0]
    assert a.tolist() == ease.recommend(history, n=4)[0].tolist()
