"""Why an item is recommended: human reasons with strengths, each of them checkably true.

Kinds of reason, strongest first within a list:

- ``also_loved``: "312 of the 540 readers who loved X also loved Y" — counted from the positives
  matrix (users × items); strength is that share (the confidence of X → Y). Needs at least
  ``min_support`` such readers.
- ``shared_tags`` / ``same_studio`` / ``same_staff``: the recommended item and one history item
  both have these features (from ``ItemFeatures.raw``); strength is the share of the
  recommended item's features in that group that are shared.
- ``popular``: the fallback when nothing ties the item to the history: "loved by N readers",
  strength its popularity percentile.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
import scipy.sparse as sp

from kansou.recommend.base import Recommender
from kansou.recommend.features import ItemFeatures
from kansou.recommend.matrix import binarize, history_row

_GROUPS = {
    "tag": ("shared_tags", "Shares {what} with {title}"),
    "studio": ("same_studio", "Same studio as {title}: {what}"),
    "staff": ("same_staff", "Same staff as {title}: {what}"),
}


@dataclass(frozen=True)
class Reason:
    """One reason: ``kind``, ``strength`` in [0, 1], display ``text`` and the facts behind it."""

    kind: str
    strength: float
    text: str
    because: int | None = None
    features: tuple[str, ...] = ()
    support: int = 0


@dataclass
class Recommendation:
    item_index: int
    score: float
    reasons: list[Reason] = field(default_factory=list)


class Explainer:
    """Finds the reasons for recommending an item to a history.

    Parameters
    ----------
    positives : sparse matrix, shape (n_users, n_items)
        Who loved what (any stored value counts; pass only positives).
    features : ItemFeatures, optional
    titles : sequence of str, optional
        Display names by item index ("item 12" without).
    min_support : int
        Fewest co-lovers for an ``also_loved`` reason.
    """

    def __init__(
        self,
        positives: sp.spmatrix,
        features: ItemFeatures | None = None,
        titles: Sequence[str] | None = None,
        min_support: int = 3,
    ) -> None:
        self.by_user = binarize(positives)
        self.by_item = sp.csc_matrix(self.by_user)
        self.lovers = np.diff(self.by_item.indptr)
        self.features = features
        self.titles = titles
        self.min_support = min_support
        ranked = np.sort(self.lovers)
        self.percentile = np.searchsorted(ranked, self.lovers, side="right") / max(ranked.size, 1)
        # Which feature columns belong to each group (tag:, studio:, staff:), found once.
        self.groups: dict[str, np.ndarray] = {}
        if features is not None:
            names = np.asarray(features.names).astype(str)
            self.groups = {g: np.char.startswith(names, g + ":") for g in _GROUPS}

    def title(self, item_index: int) -> str:
        return self.titles[item_index] if self.titles is not None else f"item {item_index}"

    def also_loved(self, item_index: int, history: np.ndarray) -> Reason | None:
        """The history item whose lovers most often also loved ``item_index``."""
        return self._also_loved_many(np.array([item_index]), np.asarray(history))[0]

    def _also_loved_many(self, items: np.ndarray, history: np.ndarray) -> list[Reason | None]:
        # Co-lover counts of every (item, history item) pair in one sparse product, n × |history|.
        if history.size == 0 or items.size == 0:
            return [None] * items.size
        counts = (self.by_item[:, items].T @ self.by_item[:, history]).toarray()
        lovers = np.maximum(self.lovers[history], 1)
        out: list[Reason | None] = []
        for item, together in zip(items.tolist(), counts, strict=True):
            other = history != item
            if self.lovers[item] == 0 or not other.any():
                out.append(None)
                continue
            confidence = together / lovers
            confidence[(together < self.min_support) | ~other] = -1.0
            best = int(np.argmax(confidence))
            if confidence[best] < 0:
                out.append(None)
                continue
            source, count = int(history[best]), int(together[best])
            text = (
                f"{count} of the {self.lovers[source]} readers who loved {self.title(source)} "
                f"also loved {self.title(item)}"
            )
            out.append(Reason("also_loved", float(confidence[best]), text, source, (), count))
        return out

    def shared_features(self, item_index: int, history: np.ndarray) -> list[Reason]:
        """For tags, studios and staff: the history item sharing the most with ``item_index``."""
        return self._shared_many(np.array([item_index]), np.asarray(history))[0]

    def _shared_many(self, items: np.ndarray, history: np.ndarray) -> list[list[Reason]]:
        if self.features is None or history.size == 0:
            return [[] for _ in items]
        raw, names = self.features.raw, self.features.names
        mine_all = sp.csr_matrix(raw[items])
        # The history's features, dense, restricted to the columns the items have.
        columns_used = np.unique(mine_all.indices)
        had = sp.csr_matrix(raw[history])[:, columns_used].toarray() > 0
        out = []
        for i, item in enumerate(items.tolist()):
            mine = np.sort(mine_all.indices[mine_all.indptr[i] : mine_all.indptr[i + 1]])
            other = history != item
            found: list[Reason] = []
            out.append(found)
            if mine.size == 0 or not other.any():
                continue
            for group, (kind, template) in _GROUPS.items():
                columns = mine[self.groups[group][mine]]
                if columns.size == 0:
                    continue
                shared = had[:, np.searchsorted(columns_used, columns)]
                counts = np.where(other, shared.sum(axis=1), -1)
                best = int(np.argmax(counts))
                if counts[best] <= 0:
                    continue
                named = tuple(str(n) for n in names[columns[shared[best]]])
                values = tuple(n.split(":", 1)[1] for n in named)
                what = ", ".join(values) if group != "tag" else "tags " + ", ".join(values)
                text = template.format(what=what, title=self.title(int(history[best])))
                strength = float(counts[best] / columns.size)
                found.append(Reason(kind, strength, text, int(history[best]), named))
        return out

    def reasons(self, item_index: int, history, limit: int = 3) -> list[Reason]:
        """Up to ``limit`` reasons, strongest first; never empty (``popular`` as the fallback)."""
        return self.reasons_many(np.array([item_index]), history, limit)[0]

    def reasons_many(self, item_indices, history, limit: int = 3) -> list[list[Reason]]:
        """:meth:`reasons` for each of ``item_indices`` (the shown results), sharing the work:
        one co-lover product and one read of the history's features for all of them."""
        history = np.asarray(history_row(history, self.by_user.shape[1]).indices, dtype=np.int64)
        items = np.asarray(item_indices, dtype=np.int64).ravel()
        also = self._also_loved_many(items, history)
        out = []
        for item, found, extra in zip(
            items.tolist(), self._shared_many(items, history), also, strict=True
        ):
            if extra is not None:
                found.append(extra)
            if not found:
                lovers = int(self.lovers[item])
                strength = float(self.percentile[item])
                text = f"Loved by {lovers} readers"
                found.append(Reason("popular", strength, text, None, (), lovers))
            out.append(sorted(found, key=lambda r: -r.strength)[:limit])
        return out


def recommend_with_reasons(
    model: Recommender, explainer: Explainer, history, n: int = 10, **options
) -> list[Recommendation]:
    """``model.recommend(history, n, **options)`` with the reasons for each item attached."""
    indices, scores = model.recommend(history, n, **options)
    reasons = explainer.reasons_many(indices, history)
    return [
        Recommendation(int(i), float(s), r)
        for i, s, r in zip(indices, scores, reasons, strict=True)
    ]
