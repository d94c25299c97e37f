"""Precomputed "more like this": the top-k neighbours of every item, looked up by index.

Neighbour rules (:class:`NeighbourRules`, applied while the table is built, to a pool of the
model's best ``POOL_FACTOR × k`` candidates):

- a series or film gets no promos, CMs, music clips or recap specials (type ``SPECIAL``) unless
  it is one itself;
- a quality prior (public score and how many people loved it, ``quality`` in [0, 1]) scales each
  similarity by ``1 − QUALITY_WEIGHT + QUALITY_WEIGHT × quality``: near-ties go to titles people
  know;
- one franchise (:mod:`.franchise`) takes at most ``PER_FRANCHISE`` places, the query's own
  franchise included.

Built once from any model's :meth:`~kansou.recommend.base.Recommender.item_scores` in batches,
then served by slicing two arrays (``neighbours.npy`` int32 and ``similarities.npy`` float32,
shape (n_items, k), padded with -1 / -inf where an item has fewer than k neighbours). Loading
memory-maps them, so a web worker pays nothing until it touches a row.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from kansou.recommend.base import Recommender

INDICES_FILE = "neighbours.npy"
SCORES_FILE = "similarities.npy"
MINOR_KIND = "SPECIAL"
QUALITY_WEIGHT = 0.2
PER_FRANCHISE = 2
POOL_FACTOR = 4


@dataclass
class NeighbourRules:
    """Per-item facts the rules read: ``kinds`` (str), ``franchise`` (int), ``quality`` (0–1)."""

    kinds: np.ndarray
    franchise: np.ndarray
    quality: np.ndarray

    def apply(
        self, query: int, candidates: np.ndarray, scores: np.ndarray, k: int
    ) -> tuple[np.ndarray, np.ndarray]:
        """Up to ``k`` of ``candidates`` (best first) after the rules in the module docstring.

        >>> rules = NeighbourRules(np.array(["TV", "TV", "SPECIAL", "TV", "TV"]),
        ...                        np.array([0, 1, 2, 1, 1]), np.ones(5))
        >>> rules.apply(0, np.array([1, 2, 3, 4]), np.array([0.9, 0.8, 0.7, 0.6]), 5)[0].tolist()
        [1, 3]
        """
        keep = np.isfinite(scores)
        if self.kinds[query] != MINOR_KIND:
            keep &= self.kinds[candidates] != MINOR_KIND
        candidates, scores = candidates[keep], scores[keep]
        prior = 1.0 - QUALITY_WEIGHT + QUALITY_WEIGHT * self.quality[candidates]
        adjusted = (scores * prior).astype(np.float32)
        order = np.argsort(-adjusted, kind="stable")
        taken: dict[int, int] = {}
        chosen = []
        for position in order:
            family = int(self.franchise[candidates[position]])
            if taken.get(family, 0) >= PER_FRANCHISE:
                continue
            taken[family] = taken.get(family, 0) + 1
            chosen.append(position)
            if len(chosen) == k:
                break
        chosen = np.array(chosen, dtype=np.int64)
        return candidates[chosen], adjusted[chosen]


def quality_prior(scores: np.ndarray, lovers: np.ndarray) -> np.ndarray:
    """Half the public score (5 → 0, 9 → 1; unknown 0), half ``log(1 + lovers)`` over the most
    loved title's.

    >>> quality_prior(np.array([9.0, np.nan, 7.0]), np.array([0, 0, 99])).round(2).tolist()
    [0.5, 0.0, 0.75]
    """
    score = np.clip((np.nan_to_num(np.asarray(scores, np.float64), nan=5.0) - 5.0) / 4.0, 0, 1)
    loved = np.log1p(np.asarray(lovers, np.float64))
    loved = loved / loved.max() if loved.size and loved.max() > 0 else loved
    return (0.5 * score + 0.5 * loved).astype(np.float32)


@dataclass
class NeighbourTable:
    """``indices[i, :]`` are item ``i``'s neighbours, best first; ``scores`` their similarity."""

    indices: np.ndarray
    scores: np.ndarray

    @property
    def k(self) -> int:
        return int(self.indices.shape[1])

    def lookup(self, item_index: int, n: int = 10) -> tuple[np.ndarray, np.ndarray]:
        """Up to ``n`` (≤ k) neighbours of ``item_index``: (int64 indices, float32 scores)."""
        row = self.indices[item_index, :n]
        valid = row >= 0
        return row[valid].astype(np.int64), np.asarray(self.scores[item_index, :n])[valid]

    def save(self, directory: str | Path) -> Path:
        directory = Path(directory)
        directory.mkdir(parents=True, exist_ok=True)
        np.save(directory / INDICES_FILE, self.indices, allow_pickle=False)
        np.save(directory / SCORES_FILE, self.scores, allow_pickle=False)
        return directory

    @classmethod
    def load(cls, directory: str | Path, mmap: bool = True) -> NeighbourTable:
        mode = "r" if mmap else None
        directory = Path(directory)
        return cls(
            np.load(directory / INDICES_FILE, mmap_mode=mode, allow_pickle=False),
            np.load(directory / SCORES_FILE, mmap_mode=mode, allow_pickle=False),
        )


def build_neighbour_table(
    model: Recommender,
    k: int = 50,
    batch_size: int = 512,
    progress: Callable[[int], None] | None = None,
    rules: NeighbourRules | None = None,
) -> NeighbourTable:
    """Top-``k`` neighbours of every item of a fitted ``model`` (itself never included), after
    ``rules`` when given.

    ``progress`` is called with the number of items done after each batch.
    """
    n_items = model.n_items
    k = min(k, max(n_items - 1, 0))
    pool = min(k * POOL_FACTOR, max(n_items - 1, 0)) if rules is not None else k
    indices = np.full((n_items, k), -1, dtype=np.int32)
    scores = np.full((n_items, k), -np.inf, dtype=np.float32)
    for start in range(0, n_items, batch_size):
        batch = np.arange(start, min(start + batch_size, n_items))
        block = model.item_scores(batch)
        block[np.arange(batch.size), batch] = -np.inf
        block[np.isnan(block)] = -np.inf
        if k == 0:
            continue
        top = np.argpartition(-block, pool - 1, axis=1)[:, :pool]
        top_scores = np.take_along_axis(block, top, axis=1)
        order = np.argsort(-top_scores, axis=1, kind="stable")
        top = np.take_along_axis(top, order, axis=1)
        top_scores = np.take_along_axis(top_scores, order, axis=1)
        if rules is not None:
            for row, item in enumerate(batch):
                kept, kept_scores = rules.apply(int(item), top[row], top_scores[row], k)
                indices[item, : kept.size], scores[item, : kept.size] = kept, kept_scores
        else:
            top[~np.isfinite(top_scores)] = -1
            indices[batch], scores[batch] = top, top_scores
        if progress:
            progress(int(batch[-1]) + 1)
    return NeighbourTable(indices, scores)
