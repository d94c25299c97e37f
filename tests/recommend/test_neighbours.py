from __future__ import annotations

import numpy as np
import pytest

from kansou.recommend.content import ContentRecommender
from kansou.recommend.ease import EASERecommender
from kansou.recommend.neighbours import (
    NeighbourRules,
    NeighbourTable,
    build_neighbour_table,
    quality_prior,
)
from tests.recommend import synthetic


def test_the_table_gives_what_similar_items_gives(tmp_path):
    model = ContentRecommender().fit(synthetic.user_items(), synthetic.item_features())
    table = build_neighbour_table(model, k=5, batch_size=4)
    for item in range(model.n_items):
        expected = model.similar_items(item, n=5)
        got = table.lookup(item, n=5)
        np.testing.assert_allclose(got[1], expected[1], rtol=1e-6)
        assert set(got[0].tolist()) <= set(model.similar_items(item, n=20)[0].tolist())


def test_a_saved_table_loads_memory_mapped(tmp_path):
    model = EASERecommender(l2=1.0).fit(synthetic.user_items())
    table = build_neighbour_table(model, k=3)
    loaded = NeighbourTable.load(table.save(tmp_path / "nn"))
    assert isinstance(loaded.indices, np.memmap)
    assert loaded.lookup(0, 3)[0].tolist() == table.lookup(0, 3)[0].tolist()


def test_items_without_neighbours_look_up_empty():
    model = EASERecommender(l2=1.0).fit(synthetic.user_items())
    table = build_neighbour_table(model, k=3)
    assert table.lookup(int(synthetic.cold_items()[0]))[0].size == 0


class TestNeighbourRules:
    """What a fan expects of "more like this": no promos for a series, no franchise flooding,
    and near-ties going to titles people know."""

    def rules(self, kinds, franchise, quality=None):
        quality = np.ones(len(kinds)) if quality is None else np.asarray(quality, float)
        return NeighbourRules(np.array(kinds), np.array(franchise), quality)

    def test_a_series_gets_no_promos_or_specials(self):
        rules = self.rules(["TV", "SPECIAL", "MOVIE", "SPECIAL"], [0, 1, 2, 3])
        kept, _ = rules.apply(0, np.array([1, 2, 3]), np.array([0.9, 0.5, 0.4]), 10)
        assert kept.tolist() == [2]

    def test_a_special_may_get_specials(self):
        rules = self.rules(["SPECIAL", "SPECIAL", "TV"], [0, 1, 2])
        kept, _ = rules.apply(0, np.array([1, 2]), np.array([0.9, 0.5]), 10)
        assert kept.tolist() == [1, 2]

    def test_one_franchise_takes_at_most_two_places(self):
        franchise = [0] + [1] * 6 + [2, 3, 4]
        rules = self.rules(["TV"] * 10, franchise)
        candidates = np.arange(1, 10)
        kept, _ = rules.apply(0, candidates, np.linspace(1.0, 0.5, 9), 10)
        assert kept.tolist() == [1, 2, 7, 8, 9]

    def test_the_querys_own_franchise_counts_too(self):
        rules = self.rules(["TV"] * 5, [0, 0, 0, 0, 1])
        kept, _ = rules.apply(0, np.array([1, 2, 3, 4]), np.array([0.9, 0.8, 0.7, 0.6]), 10)
        assert kept.tolist() == [1, 2, 4]

    def test_quality_breaks_near_ties_but_not_real_gaps(self):
        rules = self.rules(["TV"] * 4, [0, 1, 2, 3], quality=[0, 0.0, 1.0, 0.0])
        near, _ = rules.apply(0, np.array([1, 2]), np.array([0.80, 0.79]), 10)
        assert near.tolist() == [2, 1]
        far, _ = rules.apply(0, np.array([3, 2]), np.array([0.9, 0.5]), 10)
        assert far.tolist() == [3, 2]

    def test_the_table_built_with_rules_obeys_them(self):
        model = ContentRecommender().fit(synthetic.user_items(), synthetic.item_features())
        n = model.n_items
        kinds = np.array(["SPECIAL" if i % 4 == 1 else "TV" for i in range(n)])
        franchise = np.arange(n) // 3
        table = build_neighbour_table(
            model, k=5, rules=NeighbourRules(kinds, franchise, np.ones(n, np.float32))
        )
        for item in range(n):
            found, _ = table.lookup(item, 5)
            if kinds[item] == "TV":
                assert "SPECIAL" not in kinds[found]
            assert np.bincount(franchise[found]).max(initial=0) <= 2
            assert item not in found


def test_quality_prior_mixes_score_and_lovers():
    prior = quality_prior(np.array([9.0, 5.0, np.nan]), np.array([0, 100, 100]))
    assert prior[0] == pytest.approx(0.5) and prior[1] == pytest.approx(0.5)
    assert prior[2] == pytest.approx(0.5)
