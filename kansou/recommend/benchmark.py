"""Timings of the recommender core on real data (``kansou bench``'s recommender section).

Measured, never asserted (no timed tests):

- ``fit``: train time and peak traced memory (numpy and Python allocations, via ``tracemalloc``;
  BLAS workspaces and implicit's native buffers are not seen) per model.
- ``similar``: "more like this" served from the precomputed :class:`NeighbourTable` versus a
  brute-force numpy matmul over the whole catalogue plus ``argpartition``.
- ``recommend``: ``model.recommend`` for a history of 300 titles versus raw numpy scoring of
  the same matrix plus ``argpartition`` (the floor any wrapper can reach).
"""

from __future__ import annotations

import time
import tracemalloc
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp

from kansou.recommend.als import ALSRecommender
from kansou.recommend.base import Recommender
from kansou.recommend.content import ContentRecommender
from kansou.recommend.ease import EASERecommender
from kansou.recommend.hybrid import HybridRecommender
from kansou.recommend.neighbours import build_neighbour_table
from kansou.recommend.popular import PopularRecommender


@dataclass
class Timing:
    name: str
    p50_ms: float
    p99_ms: float
    reference: str = ""
    reference_p50_ms: float = float("nan")

    @property
    def ratio(self) -> float:
        return self.p50_ms / self.reference_p50_ms


def percentiles(fn: Callable[[int], object], arguments: np.ndarray) -> tuple[float, float]:
    """p50 and p99 in milliseconds of ``fn(a)`` over ``arguments`` (after 20 warm-up calls)."""
    for a in arguments[:20]:
        fn(a)
    times = np.empty(arguments.size)
    for i, a in enumerate(arguments):
        start = time.perf_counter_ns()
        fn(a)
        times[i] = time.perf_counter_ns() - start
    return float(np.percentile(times, 50) / 1e6), float(np.percentile(times, 99) / 1e6)


def fit_all(user_items: sp.csr_matrix, features) -> list[tuple[Recommender, float, float]]:
    """Fit each model once: ``(model, seconds, peak MiB)``."""
    models: list[Recommender] = [
        PopularRecommender(),
        ALSRecommender(factors=128, regularization=0.1, alpha=10.0),
        EASERecommender(l2=150.0),
    ]
    if features is not None:
        models += [ContentRecommender(), HybridRecommender(EASERecommender(l2=150.0))]
    out = []
    for model in models:
        tracemalloc.start()
        started = time.perf_counter()
        model.fit(user_items, features)
        seconds = time.perf_counter() - started
        peak = tracemalloc.get_traced_memory()[1] / 2**20
        tracemalloc.stop()
        out.append((model, seconds, peak))
    return out


def _top(scores: np.ndarray, n: int) -> np.ndarray:
    best = np.argpartition(-scores, n)[:n]
    return best[np.argsort(-scores[best])]


def brute_force_similar(model: Recommender) -> Callable[[int], np.ndarray] | None:
    """Cosine over the whole catalogue from the model's own vectors, or None if it has none."""
    if isinstance(model, ContentRecommender):
        vectors = model.features.toarray()
    elif isinstance(model, ALSRecommender):
        norms = np.linalg.norm(model.item_factors, axis=1, keepdims=True)
        vectors = model.item_factors / np.where(norms > 0, norms, 1.0)
    else:
        return None

    def similar(item: int) -> np.ndarray:
        scores = vectors @ vectors[item]
        scores[item] = -np.inf
        return _top(scores, 10)

    return similar


def bench_similar(models: list[Recommender], seed: int = 0, samples: int = 2000) -> list[Timing]:
    rng = np.random.default_rng(seed)
    out = []
    for model in models:
        brute = brute_force_similar(model)
        if brute is None:
            continue
        table = build_neighbour_table(model, k=50)
        items = rng.integers(0, model.n_items, size=samples)
        p50, p99 = percentiles(lambda i, t=table: t.lookup(int(i), 10), items)
        ref50, _ = percentiles(lambda i, b=brute: b(int(i)), items[: samples // 4])
        out.append(Timing(f"{model.name} table", p50, p99, "numpy matmul + argpartition", ref50))
    return out


def bench_recommend(
    model: EASERecommender, user_items: sp.csr_matrix, seed: int = 0, samples: int = 300
) -> Timing:
    """EASE ``recommend`` for 300-title histories versus raw numpy over the same ``B``."""
    rng = np.random.default_rng(seed)
    histories = [np.sort(rng.choice(model.active, size=300, replace=False)) for _ in range(samples)]
    position = np.full(model.n_items, -1, dtype=np.int64)
    position[model.active] = np.arange(model.active.size)
    weights = np.asarray(model.weights)

    def raw(h: int) -> np.ndarray:
        # The floor: gather the history's rows of B, sum them, mask the history, partition.
        rows = position[histories[h]]
        scores = weights[rows].sum(axis=0)
        scores[rows] = -np.inf
        best = np.argpartition(scores, scores.size - 20)[scores.size - 20 :]
        return model.active[best[np.argsort(-scores[best])]]

    index = np.arange(samples)
    p50, p99 = percentiles(lambda h: model.recommend(histories[h], n=20), index)
    ref50, _ = percentiles(raw, index)
    return Timing("ease recommend (300 titles)", p50, p99, "numpy sum + argpartition", ref50)
