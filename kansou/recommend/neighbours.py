"""Precomputed "more like this": the top-k neighbours of every item, looked up by index.

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
) -> NeighbourTable:
    """Top-``k`` neighbours of every item of a fitted ``model`` (itself never included).

    ``progress`` is called with the number of items done after each batch.
    """
    n_items = model.n_items
    k = min(k, max(n_items - 1, 0))
    indices = np.full((n_items, k), -1, dtype=np.int32)
    scores = np.full((n_items, k), -np.inf, dtype=np.float32)
    for start in range(0, n_items, batch_size):
        batch = np.arange(start, min(start + batch_size, n_items))
        block = model.item_scores(batch)
        block[np.arange(batch.size), batch] = -np.inf
        block[np.isnan(block)] = -np.inf
        if k == 0:
            continue
        top = np.argpartition(-block, k - 1, axis=1)[:, :k]
        top_scores = np.take_along_axis(block, top, axis=1)
        order = np.argsort(-top_scores, axis=1, kind="stable")
        top = np.take_along_axis(top, order, axis=1)
        top_scores = np.take_along_axis(top_scores, order, axis=1)
        top[~np.isfinite(top_scores)] = -1
        indices[batch], scores[batch] = top, top_scores
        if progress:
            progress(int(batch[-1]) + 1)
    return NeighbourTable(indices, scores)
