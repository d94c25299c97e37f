from __future__ import annotations

import math

import numpy as np

from kansou.recommend.metrics.beyond import catalog_coverage, novelty


def test_coverage_counts_each_item_once():
    assert catalog_coverage([[1, 2], [2, 1]], n_items=4) == 0.5


def test_coverage_of_nothing_is_zero():
    assert catalog_coverage([], n_items=4) == 0.0
    assert catalog_coverage([[1]], n_items=0) == 0.0


def test_novelty_is_mean_self_information():
    popularity = np.array([4, 1])
    assert novelty([[0, 1]], popularity, n_users=4) == (0 + 2) / 2


def test_an_item_nobody_touched_has_the_largest_finite_novelty():
    value = novelty([[0]], np.array([0]), n_users=8)
    assert math.isfinite(value) and value == 3.0


def test_novelty_of_no_recommendations_is_zero():
    assert novelty([[], []], np.array([1]), n_users=2) == 0.0
