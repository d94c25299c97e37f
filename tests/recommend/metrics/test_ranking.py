from __future__ import annotations

import math

import pytest

from kansou.recommend.metrics.ranking import mean_at_k, ndcg_at_k, recall_at_k

METRICS = [recall_at_k, ndcg_at_k]


@pytest.mark.parametrize("metric", METRICS)
def test_no_relevant_items_is_nan(metric):
    assert math.isnan(metric([1, 2, 3], [], k=3))


@pytest.mark.parametrize("metric", METRICS)
def test_an_empty_list_scores_zero(metric):
    assert metric([], [1], k=5) == 0.0


@pytest.mark.parametrize("metric", METRICS)
def test_a_perfect_ranking_scores_one(metric):
    assert metric([4, 2, 9], [2, 4, 9], k=3) == pytest.approx(1.0)


@pytest.mark.parametrize("metric", METRICS)
def test_a_perfect_ranking_scores_one_even_with_more_relevant_items_than_k(metric):
    assert metric([1, 2], [1, 2, 3, 4], k=2) == pytest.approx(1.0)


@pytest.mark.parametrize("metric", METRICS)
def test_a_list_shorter_than_k_counts_the_missing_places_as_misses(metric):
    assert metric([1], [1, 2], k=10) == pytest.approx(metric([1, 99], [1, 2], k=10))
    assert metric([1], [1, 2], k=10) < 1.0


@pytest.mark.parametrize("metric", METRICS)
def test_items_after_k_do_not_count(metric):
    assert metric([7, 8, 1], [1], k=2) == 0.0


@pytest.mark.parametrize("metric", METRICS)
def test_a_repeated_item_counts_once(metric):
    assert metric([1, 1], [1, 2], k=2) == pytest.approx(metric([1], [1, 2], k=2))


@pytest.mark.parametrize("metric", METRICS)
def test_k_below_one_is_refused(metric):
    with pytest.raises(ValueError):
        metric([1], [1], k=0)


def test_ndcg_rewards_a_hit_higher_up():
    assert ndcg_at_k([1, 9], [1], k=2) > ndcg_at_k([9, 1], [1], k=2)
    assert ndcg_at_k([9, 1], [1], k=2) == pytest.approx(1 / math.log2(3))


def test_recall_divides_by_the_relevant_items_reachable_in_k():
    assert recall_at_k([1, 5, 6], [1, 2], k=3) == 0.5
    assert recall_at_k([1, 5], [1, 2, 3, 4], k=2) == 0.5


def test_the_mean_leaves_users_without_relevant_items_out():
    assert mean_at_k(recall_at_k, [[1], [2]], [[1], []], k=1) == 1.0


def test_the_mean_of_nobody_is_nan():
    assert math.isnan(mean_at_k(recall_at_k, [[1]], [[]], k=1))
