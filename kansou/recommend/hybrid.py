"""Hybrid: a collaborative model blended with content, and a learned map for cold items.

Per history, each model's scores are scaled to [0, 1]-ish by dividing by that row's largest
finite collaborative (or content) score, then::

    warm item (has interactions):  (1 − content_weight) · collaborative + content_weight · content
    cold item (none), with a map:  cold_weight · mapped        (mapped ÷ the collaborative scale)
    cold item, without a map:      cold_weight · content

Personal lists (not "more like this") then divide a warm item's score by
``(popularity / median popularity) ** popularity_damping``: a small damping lifts the titles
a taste points at over the ones everybody rates anyway (on the shared ratings 0.1 raises NDCG
and catalog coverage together); a cold item counts as a title of median popularity. With
``tail_share`` > 0 the last ``round(tail_share · n)`` places of a list of ``n`` are *less-known
picks*: the best of the rest by the collaborative score alone under the stronger damping
``TAIL_DAMPING`` (rated titles the taste points at that few people rated), so lists reach
further into the catalogue than any one popularity-led ranking. With ``tail_spread`` > 0 a
title already among the picks of many histories (measured at fit time on a seeded sample of the
training rows, :meth:`HybridRecommender.fit_spread`) is picked less: its pick score is divided by
``(share of sampled lists picking it / even share) ** tail_spread`` above an even share.

The map (:mod:`kansou.recommend.contentmap`, fitted when the collaborative model is EASE and
there are item features) predicts EASE's own score for an unrated item, so a cold item is
ranked on the warm items' scale and enters a list only when its predicted score earns it.
``content_weight``, ``cold_weight``, ``popularity_damping``, ``tail_share`` and ``tail_spread``
are chosen on validation splits by :mod:`kansou.recommend.evaluate`, never on the test split.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import scipy.sparse as sp

from kansou.recommend.base import Recommender, rank_in_place
from kansou.recommend.content import ContentRecommender
from kansou.recommend.contentmap import content_codes, fit_map
from kansou.recommend.ease import EASERecommender

MAP_DIM = 256
MAP_L2 = 100.0
TAIL_DAMPING = 0.5
# fit_spread: how many training rows are sampled, and the list length whose picks are counted.
SPREAD_SAMPLE = 1500
SPREAD_LIST = 20


def _row_top(scores: np.ndarray) -> np.ndarray:
    """Each row's largest finite positive score, 1.0 where it has none; shape (n_rows, 1)."""
    finite = np.where(np.isfinite(scores), scores, -np.inf)
    top = finite.max(axis=1, keepdims=True) if scores.shape[1] else np.ones((len(scores), 1))
    return np.where(np.isfinite(top) & (top > 0), top, 1.0)


def _scaled(scores: np.ndarray, top: np.ndarray | None = None) -> np.ndarray:
    """Divide each row by ``top`` (default its largest finite score); non-finite → 0."""
    top = _row_top(scores) if top is None else top
    return np.where(np.isfinite(scores), scores / top, 0.0).astype(np.float32)


class HybridRecommender(Recommender):
    """Blend of ``collaborative`` (EASE by default) and ``content`` models."""

    name = "hybrid"

    def __init__(
        self,
        collaborative: Recommender | None = None,
        content: Recommender | None = None,
        content_weight: float = 0.02,
        cold_weight: float = 0.5,
        map_dim: int = MAP_DIM,
        map_l2: float = MAP_L2,
        popularity_damping: float = 0.0,
        tail_share: float = 0.0,
        tail_spread: float = 0.0,
    ) -> None:
        super().__init__()
        self.collaborative = collaborative or EASERecommender()
        self.content = content or ContentRecommender()
        self.content_weight = float(content_weight)
        self.cold_weight = float(cold_weight)
        self.map_dim, self.map_l2 = int(map_dim), float(map_l2)
        self.popularity_damping = float(popularity_damping)
        self.tail_share = float(tail_share)
        self.tail_spread = float(tail_spread)
        # Per item, the share of sampled training histories whose picks include it (fit_spread).
        self.pick_share = np.zeros(0, np.float32)
        # The learned map (empty when there is none): codes (n_items × dim), W (n_active × dim).
        self.codes = np.zeros((0, 0), np.float32)
        self.map_weights = np.zeros((0, 0), np.float32)

    def fit(self, user_items: sp.spmatrix, item_features: Any = None) -> HybridRecommender:
        user_items = self._fit_popularity(user_items)
        self.collaborative.fit(user_items, item_features)
        self.content.fit(user_items, item_features)
        self.fit_map(item_features)
        if self.tail_share and self.tail_spread:
            self.fit_spread(user_items)
        return self

    def fit_spread(self, user_items: sp.spmatrix, seed: int = 0) -> HybridRecommender:
        """Count how often each title is a less-known pick in the lists of ``SPREAD_LIST`` of
        up to ``SPREAD_SAMPLE`` training rows (seeded draw; no spread applied while counting)."""
        rows = sp.csr_matrix(user_items)
        rows = rows[np.diff(rows.indptr) > 0]
        rng = np.random.default_rng(seed)
        sample = rows[np.sort(rng.permutation(rows.shape[0])[:SPREAD_SAMPLE])]
        slots = self.tail_slots(SPREAD_LIST)
        counts = np.zeros(self.n_items, np.float64)
        spread, self.tail_spread = self.tail_spread, 0.0
        try:
            for start in range(0, sample.shape[0], 250):
                batch = sample[start : start + 250]
                scores, tail = self.score_many_with_tail(batch)
                seen = np.repeat(np.arange(batch.shape[0]), np.diff(batch.indptr))
                scores[seen, batch.indices] = -np.inf
                for row, picks in zip(scores, tail, strict=True):
                    late = self.arrange(row, SPREAD_LIST, picks)[0][SPREAD_LIST - slots :]
                    # Places no pick took hold titles with no pick score (arrange): not counted.
                    counts[late[np.isfinite(picks[late])]] += 1
        finally:
            self.tail_spread = spread
        self.pick_share = (counts / max(sample.shape[0], 1)).astype(np.float32)
        return self

    def spread_factors(self) -> np.ndarray:
        """What a pick score is multiplied by, per item (module docstring): 1 at or below an
        even share of the picks (the mean over rated titles), less above it.

        >>> model = HybridRecommender(tail_share=0.2, tail_spread=1.0)
        >>> model.popularity = np.array([5.0, 5.0, 5.0, 5.0, 0.0])
        >>> model.pick_share = np.array([0.4, 0.1, 0.1, 0.2, 0.0], np.float32)  # even: 0.2
        >>> model.spread_factors().round(3).tolist()
        [0.5, 1.0, 1.0, 1.0, 1.0]
        """
        warm = int((self.popularity > 0).sum())
        if not self.tail_spread or self.pick_share.size != self.n_items or not warm:
            return np.ones(self.n_items, np.float32)
        even = float(self.pick_share.sum()) / warm
        if even <= 0:
            return np.ones(self.n_items, np.float32)
        over = np.maximum(self.pick_share, even) / even
        return (over**-self.tail_spread).astype(np.float32)

    def fit_map(self, item_features: Any, codes: np.ndarray | None = None) -> HybridRecommender:
        """Fit the content → EASE map (kept empty unless the collaborative model is EASE and
        features name their groups). ``codes`` may be passed when already computed."""
        ease = self.collaborative
        if not isinstance(ease, EASERecommender) or not hasattr(item_features, "names"):
            return self
        if codes is None:
            codes = content_codes(item_features, self.map_dim)
        self.codes = codes
        self.map_weights = fit_map(codes, ease.weights, ease.active, self.map_l2)
        return self

    @property
    def has_map(self) -> bool:
        return self.map_weights.size > 0

    def mapped_scores(self, histories: sp.csr_matrix) -> np.ndarray:
        """The map's predicted EASE score of every item for each history (n_rows × n_items)."""
        ease = self.collaborative
        rows = sp.csr_matrix(histories, dtype=np.float32)
        positions = ease._position()
        columns = positions[rows.indices]
        keep = columns >= 0
        kept = np.concatenate([[0], np.cumsum(keep)])[rows.indptr]
        compact = sp.csr_matrix(
            (rows.data[keep], columns[keep], kept),
            shape=(rows.shape[0], ease.active.size),
        )
        return np.asarray((compact @ self.map_weights) @ self.codes.T, dtype=np.float32)

    def blend(
        self, collaborative: np.ndarray, content: np.ndarray, mapped: np.ndarray | None = None
    ) -> np.ndarray:
        """Combine (n_rows, n_items) score arrays by the rule in the module docstring."""
        warm = self.popularity > 0
        top = _row_top(collaborative)
        cf, ct = _scaled(collaborative, top), _scaled(content)
        mixed = (1.0 - self.content_weight) * cf + self.content_weight * ct
        cold = ct if mapped is None else _scaled(mapped, top)
        out = np.where(warm, mixed, self.cold_weight * cold).astype(np.float32)
        unrankable = ~np.isfinite(collaborative) & ~np.isfinite(content)
        if mapped is not None:
            unrankable &= ~np.isfinite(mapped)
        out[unrankable] = -np.inf
        return out

    def damping_factors(self, damping: float | None = None) -> np.ndarray:
        """What a personal score is multiplied by, per item (module docstring; cold items 1);
        ``damping`` defaults to ``popularity_damping``.

        >>> model = HybridRecommender(popularity_damping=0.5)
        >>> model.popularity = np.array([1.0, 4.0, 16.0, 0.0])
        >>> model.damping_factors().tolist()
        [2.0, 1.0, 0.5, 1.0]
        """
        damping = self.popularity_damping if damping is None else damping
        warm = self.popularity > 0
        if not damping or not warm.any():
            return np.ones(self.popularity.size, np.float32)
        relative = np.where(warm, self.popularity, 1.0) / np.median(self.popularity[warm])
        return np.where(warm, relative**-damping, 1.0).astype(np.float32)

    def tail_slots(self, n: int) -> int:
        """How many of ``n`` places are less-known picks (never all of them).

        >>> [HybridRecommender(tail_share=0.2).tail_slots(n) for n in (1, 5, 10, 20)]
        [0, 1, 2, 4]
        """
        return min(int(round(self.tail_share * n)), max(n - 1, 0))

    def tail_scores(self, collaborative: np.ndarray) -> np.ndarray:
        """What less-known picks are chosen by, from the collaborative model's raw scores (any
        shape ending in n_items): each row scaled as in the blend, rated items with a positive
        score only, under the stronger damping ``TAIL_DAMPING``. Content and cold items stay
        out: mixed in, they chose obscure look-alikes readers did not watch (validation NDCG@20
        0.443 against 0.458 for the same four places, at lower coverage).

        >>> model = HybridRecommender()
        >>> model.popularity = np.array([100.0, 4.0, 1.0, 0.0])
        >>> tail = model.tail_scores(np.array([[1.0, 0.8, -0.1, 0.9]], np.float32))
        >>> tail.astype(float).round(2).tolist()
        [[0.2, 0.8, -inf, -inf]]
        """
        rows = np.atleast_2d(collaborative)
        scaled = _scaled(rows, _row_top(rows))
        keep = (self.popularity > 0) & (scaled > 0)
        factors = self.damping_factors(TAIL_DAMPING) * self.spread_factors()
        out = np.where(keep, scaled * factors, -np.inf)
        return out.astype(np.float32).reshape(np.shape(collaborative))

    def arrange(
        self, scores: np.ndarray, n: int, tail: np.ndarray | None = None
    ) -> tuple[np.ndarray, np.ndarray]:
        """The best ``n - t`` of ``scores`` (a personal row), then ``t`` less-known picks, the
        best of the rest by ``tail`` (:meth:`tail_scores`; ``t`` = :meth:`tail_slots`), each
        with its personal score. Places no pick qualifies for go by ``scores``, before the
        picks; so do all without ``tail``.

        >>> model = HybridRecommender(tail_share=0.5)
        >>> model.popularity = np.array([100.0, 90.0, 80.0, 1.0])
        >>> scores = np.array([0.9, 0.8, 0.7, 0.5], np.float32)
        >>> model.arrange(scores.copy(), 2, model.tail_scores(scores))[0].tolist()
        [0, 3]
        >>> model.arrange(scores.copy(), 2)[0].tolist()
        [0, 1]
        """
        slots = self.tail_slots(n)
        if not slots or tail is None:
            return rank_in_place(scores, n)
        scores[np.isnan(scores)] = -np.inf
        tail = np.where(np.isfinite(scores), tail, -np.inf).astype(np.float32)
        head, _ = rank_in_place(scores, n - slots)
        tail[head] = -np.inf
        picks, _ = rank_in_place(tail, slots)
        if picks.size < slots:  # too few qualify: the ranking's next best come before them
            rest = scores.copy()
            rest[head], rest[picks] = -np.inf, -np.inf
            head = np.concatenate([head, rank_in_place(rest, slots - picks.size)[0]])
        chosen = np.concatenate([head, picks])
        return chosen, scores[chosen]

    def _personal(self, blended: np.ndarray) -> np.ndarray:
        if not self.popularity_damping:
            return blended
        return np.where(np.isfinite(blended), blended * self.damping_factors(), blended)

    def score_many(self, histories: sp.csr_matrix) -> np.ndarray:
        return self.score_many_with_tail(histories)[0]

    def score_many_with_tail(
        self, histories: sp.csr_matrix
    ) -> tuple[np.ndarray, np.ndarray | None]:
        collaborative = self.collaborative.score_many(histories)
        mapped = self.mapped_scores(histories) if self.has_map else None
        personal = self._personal(
            self.blend(collaborative, self.content.score_many(histories), mapped)
        )
        return personal, self.tail_scores(collaborative) if self.tail_share else None

    def _history_scores(self, items: np.ndarray, values: np.ndarray) -> np.ndarray:
        return self._history_scores_with_tail(items, values)[0]

    def _history_scores_with_tail(
        self, items: np.ndarray, values: np.ndarray
    ) -> tuple[np.ndarray, np.ndarray | None]:
        collaborative = self.collaborative._history_scores(items, values)
        content = self.content._history_scores(items, values)
        mapped = None
        if self.has_map:
            row = sp.csr_matrix((values, items, [0, items.size]), shape=(1, self.n_items))
            mapped = self.mapped_scores(row)
        blended = self.blend(collaborative[None, :], content[None, :], mapped)
        personal = self._personal(blended)[0]
        return personal, self.tail_scores(collaborative) if self.tail_share else None

    def predicted_columns(self, item_indices: np.ndarray) -> np.ndarray:
        """For each item, the map's estimate of how much every rated item leads to it
        (n × n_items, -inf off the rated items): the warm neighbours of a cold item."""
        ease = self.collaborative
        out = np.full((len(item_indices), self.n_items), -np.inf, dtype=np.float32)
        out[:, ease.active] = self.codes[np.asarray(item_indices)] @ self.map_weights.T
        return out

    def item_scores(self, item_indices: np.ndarray) -> np.ndarray:
        item_indices = np.asarray(item_indices)
        content = self.content.item_scores(item_indices)
        mapped = None
        if self.has_map:
            history = sp.csr_matrix(
                (
                    np.ones(item_indices.size, np.float32),
                    item_indices,
                    np.arange(item_indices.size + 1),
                ),
                shape=(item_indices.size, self.n_items),
            )
            mapped = self.mapped_scores(history)
        out = self.blend(self.collaborative.item_scores(item_indices), content, mapped)
        cold = self.popularity[item_indices] == 0
        if cold.any():
            # A cold query item has no collaborative row: the map's predicted column gives its
            # rated neighbours; other cold items come by content.
            if self.has_map:
                # Half the map's predicted column (who would lead to it), half plain content
                # similarity (what it is like): neighbours both alike and known.
                predicted = _scaled(self.predicted_columns(item_indices[cold]))
                alike = _scaled(content[cold])
                warm = self.popularity > 0
                mixed = np.where(warm, 0.5 * predicted + 0.5 * alike, 0.5 * alike)
                mixed[~np.isfinite(content[cold])] = -np.inf
                out[cold] = mixed
            else:
                out[cold] = content[cold]
        return out

    def _state(self) -> tuple[dict, dict[str, Any]]:
        config = {
            "content_weight": self.content_weight,
            "cold_weight": self.cold_weight,
            "map_dim": self.map_dim,
            "map_l2": self.map_l2,
            "popularity_damping": self.popularity_damping,
            "tail_share": self.tail_share,
            "tail_spread": self.tail_spread,
        }
        arrays = {
            "popularity": self.popularity,
            "collaborative": self.collaborative,
            "content": self.content,
            "codes": self.codes,
            "map_weights": self.map_weights,
            "pick_share": self.pick_share,
        }
        return config, arrays

    @classmethod
    def _from_state(cls, config: dict, arrays: dict[str, Any]) -> HybridRecommender:
        model = cls(arrays["collaborative"], arrays["content"], **config)
        model.popularity = arrays["popularity"]
        if "codes" in arrays:
            model.codes, model.map_weights = arrays["codes"], arrays["map_weights"]
        if "pick_share" in arrays:  # saved before the spread existed: none
            model.pick_share = arrays["pick_share"]
        return model
