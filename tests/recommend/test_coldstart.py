"""The item-cold-start protocol: which titles go cold, who is scored, and that the learned map
finds new titles for the users whose taste they fit."""

from __future__ import annotations

import numpy as np
import scipy.sparse as sp

from kansou.recommend.coldstart import ColdProtocol, cold_split, draw_cold, run_cold
from kansou.recommend.features import build_item_features

TASTES, ITEMS_PER_TASTE, USERS_PER_TASTE = 4, 15, 30


def taste_data(seed: int = 0):
    """Users love titles of their own taste (ratings 8–10) and rate a few others low."""
    rng = np.random.default_rng(seed)
    rows, cols, values = [], [], []
    for user in range(TASTES * USERS_PER_TASTE):
        taste = user // USERS_PER_TASTE
        own = taste * ITEMS_PER_TASTE + rng.choice(ITEMS_PER_TASTE, size=9, replace=False)
        other = rng.choice(TASTES * ITEMS_PER_TASTE, size=2, replace=False)
        other = other[other // ITEMS_PER_TASTE != taste]
        for item, value in [(i, rng.integers(8, 11)) for i in own] + [(i, 3) for i in other]:
            rows.append(user), cols.append(int(item)), values.append(float(value))
    n_items = TASTES * ITEMS_PER_TASTE
    matrix = sp.csr_matrix((values, (rows, cols)), shape=(TASTES * USERS_PER_TASTE, n_items))
    records = [
        {"tags": [f"taste{i // ITEMS_PER_TASTE}", f"motif{i % 3}"], "kind": "TV", "score": 7.0}
        for i in range(n_items)
    ]
    return matrix, build_item_features(records, min_items=1)


def test_cold_titles_are_a_seeded_tenth_of_those_with_five_positives():
    matrix, _ = taste_data()
    protocol = ColdProtocol(cold_share=0.2)
    cold = draw_cold(matrix, protocol, seed=1)
    assert cold.tolist() == draw_cold(matrix, protocol, seed=1).tolist()
    positives = np.bincount((matrix >= 7).tocsr().indices, minlength=matrix.shape[1])
    assert cold.size == round(0.2 * (positives >= 5).sum())
    assert (positives[cold] >= 5).all()


def test_cold_titles_lose_every_rating_and_their_lovers_are_scored():
    matrix, _ = taste_data()
    cold = np.array([0, 20])
    split = cold_split(matrix, cold, positive=7.0)
    assert split.train[:, cold].nnz == 0
    assert split.train.nnz == matrix.nnz - matrix[:, cold].nnz
    lovers = np.flatnonzero((matrix[:, cold] >= 7).sum(axis=1).A1 > 0)
    assert split.users.tolist() == lovers.tolist()
    for user, relevant in zip(split.users, split.relevant, strict=True):
        assert set(cold[relevant]) == {c for c in cold if matrix[user, c] >= 7}


def test_the_learned_map_finds_new_titles_that_fit_a_users_taste():
    matrix, features = taste_data()
    protocol = ColdProtocol(cold_share=0.25, k=3)
    rows = {row.model: row for row in run_cold(matrix, features, protocol=protocol)}
    assert list(rows) == ["random", "tag tf-idf", "content", "hybrid (content map)"]
    assert rows["hybrid (content map)"].recall > rows["random"].recall + 0.3
    assert rows["hybrid (content map)"].params["map_l2"] in (30.0, 100.0, 300.0)


def test_the_score_prior_row_ranks_by_public_score():
    matrix, features = taste_data()
    scores = np.linspace(5, 9, matrix.shape[1]).astype(np.float32)
    rows = run_cold(matrix, features, scores, protocol=ColdProtocol(cold_share=0.25, k=3))
    assert [row.model for row in rows][:3] == ["random", "score prior", "tag tf-idf"]
