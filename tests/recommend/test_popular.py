from __future__ import annotations

from kansou.recommend.popular import PopularRecommender
from tests.recommend.contract import RecommenderContract


class TestPopularContract(RecommenderContract):
    personalised = False

    def make(self):
        return PopularRecommender()


def test_items_nobody_touched_are_never_recommended():
    import scipy.sparse as sp

    model = PopularRecommender().fit(sp.csr_matrix([[1.0, 0.0, 1.0]]))
    assert model.recommend([0], n=10)[0].tolist() == [2]
