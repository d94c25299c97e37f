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


def test_less_known_picks_take_the_last_places_from_rated_titles_only():
    data, features = synthetic.user_items(), synthetic.item_features()
    history = data[1].indices
    plain = make_hybrid(cold_weight=1.0).fit(data, features)
    with_picks = make_hybrid(cold_weight=1.0, tail_share=0.5).fit(data, features)
    cold = synthetic.cold_items()[0]

    ranked = plain.recommend(history, n=4)[0]
    arranged = with_picks.recommend(history, n=4)[0]

    assert ranked[-1] == cold  # the new title earns the last place of the plain ranking
    assert arranged[:2].tolist() == ranked[:2].tolist()  # the head is the ranking's
    assert sorted(arranged.tolist()) == sorted(ranked.tolist())
    # One rated title of the block qualifies as a pick (the other scores below zero): it goes
    # last, and the ranking's next best, the new title, fills the place no pick took.
    assert arranged[-1] != cold and with_picks.popularity[arranged[-1]] > 0
    assert arranged[2] == cold


def test_without_a_share_the_list_is_the_plain_ranking():
    data, features = synthetic.user_items(), synthetic.item_features()
    model = make_hybrid(tail_share=0.0).fit(data, features)
    scores = model.score_many(data[3:4])[0]
    scores[data[3].indices] = -np.inf
    expected = np.argsort(-scores, kind="stable")[:5]
    assert model.recommend(data[3], n=5)[0].tolist() == expected.tolist()


def test_the_spread_counts_each_titles_picks_and_survives_saving(tmp_path):
    from kansou.recommend.base import Recommender

    data, features = synthetic.user_items(), synthetic.item_features()
    # Lists of 20 with two places by the ranking: the rest of each block's rated titles the
    # reader has not seen are picks, counted once per sampled reader.
    model = make_hybrid(tail_share=0.9, tail_spread=0.5).fit(data, features)

    assert model.pick_share.shape == (model.n_items,)
    assert (model.pick_share[synthetic.cold_items()] == 0).all()  # picks are rated titles
    assert 0 < model.pick_share.sum() <= model.tail_slots(20)
    # Titles picked for more readers than an even share are picked less from now on.
    over = model.pick_share > model.pick_share.sum() / (model.popularity > 0).sum()
    assert over.any() and not over.all()
    assert (model.spread_factors()[over] < 1).all() and (model.spread_factors()[~over] == 1).all()

    loaded = Recommender.load(model.save(tmp_path / "hybrid"))
    assert loaded.tail_spread == 0.5
    np.testing.assert_array_equal(loaded.pick_share, model.pick_share)
    history = data[2].indices
    assert loaded.recommend(history, n=6)[0].tolist() == model.recommend(history, n=6)[0].tolist()


def test_without_a_spread_nothing_is_counted():
    data, features = synthetic.user_items(), synthetic.item_features()
    model = make_hybrid(tail_share=0.5).fit(data, features)
    assert model.pick_share.size == 0
    assert (model.spread_factors() == 1).all()
