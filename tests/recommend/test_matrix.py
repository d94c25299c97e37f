from __future__ import annotations

import pytest

from kansou.recommend.ids import IdMap
from kansou.recommend.matrix import binarize, history_row, user_items_from_triples


def test_user_items_are_users_by_items():
    matrix, users, items = user_items_from_triples([1, 2, 2], [10, 10, 20], [5, 6, 7])
    assert matrix.shape == (2, 2) == (len(users), len(items))
    assert matrix[users.to_index([2])[0], items.to_index([20])[0]] == 7


def test_a_fixed_item_map_keeps_unrated_items_and_drops_unknown_ones():
    items = IdMap([10, 20, 30])
    matrix, _, _ = user_items_from_triples([1, 1], [30, 99], [8, 9], items=items)
    assert matrix.shape == (1, 3)
    assert matrix.toarray().tolist() == [[0, 0, 8]]


def test_a_repeated_pair_keeps_the_last_value():
    matrix, _, _ = user_items_from_triples([1, 1], [10, 10], [3, 9])
    assert matrix.toarray().tolist() == [[9]]


def test_binarize_with_a_threshold_keeps_only_positives():
    matrix, _, _ = user_items_from_triples([1, 1], [10, 20], [6, 7])
    assert binarize(matrix, threshold=7).toarray().tolist() == [[0, 1]]


def test_a_history_row_has_the_catalogue_width():
    assert history_row([1], 4).shape == (1, 4)
    with pytest.raises(IndexError):
        history_row([4], 4)
