from __future__ import annotations

import numpy as np

from kansou.recommend.content import ContentRecommender
from kansou.recommend.ease import EASERecommender
from kansou.recommend.neighbours import NeighbourTable, build_neighbour_table
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
