"""Reasons must be present on every recommendation and true to the data."""

from __future__ import annotations

import numpy as np
import scipy.sparse as sp

from kansou.recommend.ease import EASERecommender
from kansou.recommend.reasons import Explainer, recommend_with_reasons
from tests.recommend import synthetic


def setup():
    data, features = synthetic.user_items(), synthetic.item_features()
    model = EASERecommender(l2=1.0).fit(data)
    titles = [f"Title {i}" for i in range(data.shape[1])]
    return data, features, model, Explainer(data, features, titles, min_support=1)


def assert_true(reason, item, history, data, features):
    lovers = sp.csc_matrix(data)
    if reason.kind == "also_loved":
        x, y = reason.because, item
        users_x = set(lovers[:, x].indices.tolist())
        both = users_x & set(lovers[:, y].indices.tolist())
        assert x in history and reason.support == len(both)
        assert np.isclose(reason.strength, len(both) / len(users_x))
        assert f"{len(both)} of the {len(users_x)} readers" in reason.text
    elif reason.kind in {"shared_tags", "same_studio", "same_staff"}:
        assert reason.because in history and reason.features
        for name in reason.features:
            assert name in features.of(item) and name in features.of(reason.because)
            assert name.split(":", 1)[1] in reason.text
    else:
        assert reason.kind == "popular"
    assert 0.0 <= reason.strength <= 1.0


def test_every_recommendation_carries_true_reasons():
    data, features, model, explainer = setup()
    for user in (0, 25, 50):
        history = data[user].indices
        recommendations = recommend_with_reasons(model, explainer, history, n=4)
        assert recommendations
        for rec in recommendations:
            assert rec.reasons
            strengths = [r.strength for r in rec.reasons]
            assert strengths == sorted(strengths, reverse=True)
            for reason in rec.reasons:
                assert_true(reason, rec.item_index, set(history.tolist()), data, features)


def test_a_same_block_item_names_shared_tags_and_co_lovers():
    data, features, model, explainer = setup()
    history = data[0].indices
    item = int(model.recommend(history, n=1)[0][0])
    kinds = {r.kind for r in explainer.reasons(item, history, limit=5)}
    assert {"shared_tags", "also_loved"} <= kinds


def test_no_co_lovers_below_the_support_threshold():
    data, features, _, _ = setup()
    strict = Explainer(data, features, min_support=10_000)
    assert strict.also_loved(1, data[0].indices) is None


def test_an_unrelated_item_falls_back_to_a_true_popularity_reason():
    data, _, _, _ = setup()
    explainer = Explainer(data)  # no features
    other_block = int(synthetic.block_items(2)[0])
    (reason,) = explainer.reasons(other_block, data[0].indices)
    assert reason.kind == "popular"
    assert reason.support == sp.csc_matrix(data)[:, other_block].nnz


def test_reasons_for_many_items_are_the_reasons_for_each():
    data, _, model, explainer = setup()
    history = data[3].indices
    last = int(data.shape[1]) - 1
    items = np.concatenate([model.recommend(history, n=6)[0], history[:2], [last]])
    together = explainer.reasons_many(items, history, limit=5)
    assert together == [explainer.reasons(int(i), history, limit=5) for i in items]
