"""The item-cold-start protocol: how well new, unrated titles are found for the right users.

Rule (all seeded by ``Protocol.seed``):

1. **Positives** are ratings ``>= Protocol.positive`` (7), as in the warm protocol.
2. **Cold items**: ``cold_share`` (10%) of the items with at least ``min_positives`` (5)
   positives are drawn; *all* their interactions are removed from training, so to every model
   they look like titles nobody has rated yet.
3. **Users**: every user with at least one positive among the cold items is evaluated. Their
   history is their whole remaining (warm) row; the candidates are the cold items only; the
   relevant items are their positives among them. Recall@k and NDCG@k as in the warm protocol.
4. **Tuning**: the map's ridge strength is chosen on a validation draw of other cold items
   (seed + 1, disjoint from the test draw, itself removed from training), never on the test
   draw.

Rows: three baselines — random (seeded), the public score prior, tag TF-IDF similarity — then
the content model (all features) and the hybrid's learned map (:mod:`.contentmap`).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp

from kansou.recommend.content import ContentRecommender
from kansou.recommend.contentmap import content_codes
from kansou.recommend.ease import EASERecommender
from kansou.recommend.features import ItemFeatures
from kansou.recommend.hybrid import MAP_DIM, HybridRecommender
from kansou.recommend.metrics.ranking import mean_at_k, ndcg_at_k, recall_at_k

MAP_L2_GRID = (30.0, 100.0, 300.0)
Step = Callable[[str], None]


@dataclass(frozen=True)
class ColdProtocol:
    seed: int = 42
    positive: float = 7.0
    cold_share: float = 0.1
    min_positives: int = 5
    k: int = 20


@dataclass
class ColdResult:
    """One row of the cold-start table."""

    model: str
    params: dict
    recall: float
    ndcg: float
    cold_items: int
    users: int
    fit_seconds: float

    def as_dict(self) -> dict:
        return dict(self.__dict__)


@dataclass
class ColdSplit:
    """Training matrix without the cold items' interactions, and what to find."""

    train: sp.csr_matrix
    cold: np.ndarray  # item indices, sorted
    users: np.ndarray  # evaluated user indices, sorted
    relevant: list[np.ndarray]  # per user: positions in ``cold`` of their positives


def _positives(ratings: sp.csr_matrix, positive: float) -> sp.csr_matrix:
    out = sp.csr_matrix(ratings, dtype=np.float32, copy=True)
    out.data = (out.data >= positive).astype(np.float32)
    out.eliminate_zeros()
    return out


def draw_cold(ratings: sp.csr_matrix, protocol: ColdProtocol, seed: int, among=None) -> np.ndarray:
    """A seeded ``cold_share`` of the items with ``min_positives`` positives (sorted)."""
    counts = np.bincount(_positives(ratings, protocol.positive).indices, minlength=ratings.shape[1])
    pool = np.flatnonzero(counts >= protocol.min_positives)
    if among is not None:
        pool = np.intersect1d(pool, among)
    order = np.random.default_rng(seed).permutation(pool)
    return np.sort(order[: int(round(protocol.cold_share * pool.size))])


def without_items(ratings: sp.csr_matrix, items: np.ndarray) -> sp.csr_matrix:
    """``ratings`` with every interaction on ``items`` removed."""
    out = sp.csr_matrix(ratings, dtype=np.float32, copy=True)
    out.data[np.isin(out.indices, items)] = 0
    out.eliminate_zeros()
    return out


def cold_split(ratings: sp.csr_matrix, cold: np.ndarray, positive: float, train=None) -> ColdSplit:
    """Evaluate ``cold`` items: ``train`` defaults to ``ratings`` without them."""
    train = without_items(ratings, cold) if train is None else train
    held = _positives(ratings, positive)[:, cold].tocsr()
    users = np.flatnonzero(np.diff(held.indptr) > 0)
    return ColdSplit(train, cold, users, [held[u].indices for u in users])


def score_split(scores: np.ndarray, split: ColdSplit, k: int) -> tuple[float, float]:
    """Recall@k and NDCG@k of (users × cold items) ``scores`` (best first, ties by index)."""
    order = np.argsort(-scores, axis=1, kind="stable")[:, :k]
    lists = list(order)
    return (
        mean_at_k(recall_at_k, lists, split.relevant, k),
        mean_at_k(ndcg_at_k, lists, split.relevant, k),
    )


def _tag_features(features: ItemFeatures) -> sp.csr_matrix:
    tags = np.char.startswith(features.names.astype(str), "tag:")
    return sp.csr_matrix(features.raw[:, np.flatnonzero(tags)])


def _content_scores(model: ContentRecommender, split: ColdSplit) -> np.ndarray:
    scores = model.score_many(split.train[split.users])[:, split.cold]
    return np.where(np.isfinite(scores), scores, -1e9)


def _map_scores(hybrid: HybridRecommender, split: ColdSplit) -> np.ndarray:
    return hybrid.mapped_scores(split.train[split.users])[:, split.cold]


def _fit_hybrid(train, features, codes, l2: float) -> HybridRecommender:
    hybrid = HybridRecommender(EASERecommender(l2=150.0), ContentRecommender(), map_l2=l2)
    hybrid._fit_popularity(train)
    hybrid.collaborative.fit(train)
    hybrid.content.fit(train, features)
    return hybrid.fit_map(features, codes=codes)


def run_cold(
    ratings: sp.csr_matrix,
    features: ItemFeatures,
    scores: np.ndarray | None = None,
    protocol: ColdProtocol = ColdProtocol(),
    step: Step = lambda _: None,
) -> list[ColdResult]:
    """The cold-start table: baselines, content and the learned map on one seeded draw.

    ``scores`` is the public score of each item (NaN when unknown) for the score-prior row.
    """
    k = protocol.k
    test_cold = draw_cold(ratings, protocol, protocol.seed)
    test = cold_split(ratings, test_cold, protocol.positive)
    rest = np.setdiff1d(np.arange(ratings.shape[1]), test_cold)
    val_cold = draw_cold(test.train, protocol, protocol.seed + 1, among=rest)
    validation = cold_split(test.train, val_cold, protocol.positive)
    rows: list[ColdResult] = []

    def row(name: str, params: dict, table: np.ndarray, seconds: float) -> None:
        recall, ndcg = score_split(table, test, k)
        rows.append(
            ColdResult(name, params, recall, ndcg, test_cold.size, test.users.size, seconds)
        )

    n_users, n_cold = test.users.size, test_cold.size
    step("cold start: baselines")
    row("random", {}, np.random.default_rng(protocol.seed).random((n_users, n_cold)), 0.0)
    if scores is not None:
        prior = np.nan_to_num(np.asarray(scores, np.float32)[test_cold], nan=0.0)
        row("score prior", {}, np.broadcast_to(prior, (n_users, n_cold)), 0.0)
    started = time.perf_counter()
    tags = ContentRecommender().fit(test.train, _tag_features(features))
    row("tag tf-idf", {}, _content_scores(tags, test), time.perf_counter() - started)
    step("cold start: content")
    started = time.perf_counter()
    content = ContentRecommender().fit(test.train, features)
    row("content", {}, _content_scores(content, test), time.perf_counter() - started)
    step("cold start: tuning the map")
    started = time.perf_counter()
    codes = content_codes(features, MAP_DIM)
    code_seconds = time.perf_counter() - started
    best_l2, best_recall = MAP_L2_GRID[0], -1.0
    for l2 in MAP_L2_GRID:
        hybrid = _fit_hybrid(validation.train, features, codes, l2)
        recall, _ = score_split(_map_scores(hybrid, validation), validation, k)
        if recall > best_recall:
            best_l2, best_recall = l2, recall
    step("cold start: testing the map")
    started = time.perf_counter()
    hybrid = _fit_hybrid(test.train, features, codes, best_l2)
    seconds = time.perf_counter() - started + code_seconds
    row(
        "hybrid (content map)",
        {"map_l2": best_l2, "map_dim": MAP_DIM},
        _map_scores(hybrid, test),
        seconds,
    )
    return rows


def planned_steps() -> int:
    """How many times :func:`run_cold` calls ``step``."""
    return 4
