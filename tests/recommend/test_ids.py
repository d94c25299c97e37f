from __future__ import annotations

import pytest

from kansou.recommend.ids import IdMap


def test_ids_round_trip_through_indices():
    ids = IdMap([40, 10, 30])
    assert ids.to_id(ids.to_index([30, 40])).tolist() == [30, 40]


def test_string_ids_work_the_same():
    ids = IdMap.from_values(["b", "a", "b"])
    assert ids.to_index(["a"]).tolist() == [1]
    assert "a" in ids and "z" not in ids


def test_an_unknown_id_raises_naming_it():
    with pytest.raises(KeyError, match="99"):
        IdMap([1, 2]).to_index([99])


def test_repeated_ids_are_refused():
    with pytest.raises(ValueError, match="unique"):
        IdMap([1, 1])


def test_an_empty_map_knows_nothing():
    assert IdMap([]).to_index([5], missing="ignore").tolist() == [-1]
