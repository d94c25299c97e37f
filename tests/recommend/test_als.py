from __future__ import annotations

import pytest

pytest.importorskip("implicit")

from kansou.recommend.als import ALSRecommender  # noqa: E402
from tests.recommend.contract import RecommenderContract  # noqa: E402


class TestALSContract(RecommenderContract):
    def make(self):
        # As many factors as blocks or more; more than that overfits 60 users.
        return ALSRecommender(factors=4, regularization=0.1, alpha=5, iterations=30, num_threads=1)
