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

    def title(self, item_index: int) -> str:
        return self.titles[item_index] if self.titles is not None else f"item {item_index}"

    def also_loved(self, item_index: int, history: np.ndarray) -> Reason | None:
        """The history item whose lovers most often also loved ``item_index``."""
        start, end = self.by_item.indptr[item_index], self.by_item.indptr[item_index + 1]
        users = self.by_item.indices[start:end]
        history = history[history != item_index]
        if users.size == 0 or history.size == 0:
            return None
        together = np.asarray(self.by_user[users][:, history].sum(axis=0)).ravel()
        confidence = together / np.maximum(self.lovers[history], 1)
        confidence[together < self.min_support] = -1.0
        best = int(np.argmax(confidence))
        if confidence[best] < 0:
            return None
        source, count = int(history[best]), int(together[best])
        text = (
            f"{count} of the {self.lovers[source]} readers who loved {self.title(source)} "
            f"also loved {self.title(item_index)}"
        )
        return Reason("also_loved", float(confidence[best]), text, source, (), count)

    def shared_features(self, item_index: int, history: np.ndarray) -> list[Reason]:
        """For tags, studios and staff: the history item sharing the most with ``item_index``."""
        if self.features is None:
            return []
        raw, names = self.features.raw, self.features.names
        mine = np.sort(raw[item_index].indices)
        history = history[history != item_index]
        if mine.size == 0 or history.size == 0:
            return []
        out = []
        for group, (kind, template) in _GROUPS.items():
            columns = mine[np.char.startswith(names[mine].astype(str), group + ":")]
            if columns.size == 0:
                continue
            shared = np.asarray(raw[history][:, columns].todense()) > 0
            counts = shared.sum(axis=1)
            best = int(np.argmax(counts))
            if counts[best] == 0:
                continue
            values = tuple(str(n).split(":", 1)[1] for n in names[columns[shared[best]]])
            what = ", ".join(values) if group != "tag" else "tags " + ", ".join(values)
            text = template.format(what=what, title=self.title(int(history[best])))
            named = tuple(str(n) for n in names[columns[shared[best]]])
            strength = float(counts[best] / columns.size)
            out.append(Reason(kind, strength, text, int(history[best]), named))
        return out

    def reasons(self, item_index: int, history, limit: int = 3) -> list[Reason]:
        """Up to ``limit`` reasons, strongest first; never empty (``popular`` as the fallback)."""
        history = np.asarray(history_row(history, self.by_user.shape[1]).indices, dtype=np.int64)
        found = self.shared_features(item_index, history)
        also = self.also_loved(item_index, history)
        if also is not None:
            found.append(also)
        if not found:
            lovers = int(self.lovers[item_index])
            found.append(
                Reason(
                    "popular",
                    float(self.percentile[item_index]),
                    f"Loved by {lovers} readers",
                    None,
                    (),
                    lovers,
                )
            )
        return sorted(found, key=lambda r: -r.strength)[:limit]


def recommend_with_reasons(
    model: Recommender, explainer: Explainer, history, n: int = 10, **options
) -> list[Recommendation]:
    """``model.recommend(history, n, **options)`` with the reasons for each item attached."""
    indices, scores = model.recommend(history, n, **options)
    return [
        Recommendation(int(i), float(s), explainer.reasons(int(i), history))
        for i, s in zip(indices, scores, strict=True)
    ]
