"""Item features from plain per-item data: tags, studios, staff, type, era, length, words.

Input is one mapping (or object with the same attributes, e.g. the catalog importer's
``AnimeRecord``) per item index, with any of: ``tags``, ``studios``, ``staff`` (lists of str),
``kind`` (type: TV, MOVIE…), ``year``, ``episodes``, ``duration_seconds`` (ints), ``score``
(public score on 1–10) and ``synopsis`` (text, used only when ``text=True``). Missing values add
no feature.

Each feature is named ``group:value`` (``tag:drama``, ``studio:kyoto animation``,
``era:2010s``). The weighted matrix feeds the content model; the binary ``raw`` matrix says
which item truly has which feature, which is what reasons quote.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp

from kansou.recommend.weighting import bm25_weight, tfidf_weight

# Relative importance of each group in the content similarity (after TF-IDF/BM25).
GROUP_WEIGHTS = {
    "tag": 1.0,
    "studio": 0.8,
    "staff": 0.6,
    "type": 0.35,
    "era": 0.35,
    "length": 0.3,
    "runtime": 0.2,
    # Synopsis words and public score bands have no weight in content similarity (measured: words
    # took the content model's warm Recall@20 from 0.066 to 0.024; being well rated does not
    # make two titles alike). The learned map (:mod:`.contentmap`) reads both from ``raw``.
    "word": 0.0,
    "quality": 0.0,
}
# Tags about how a title was received, not what it is: kept with the score bands ("quality"), so
# they never make two titles alike nor name a reason ("award winning" made Spy x Family's
# neighbours nine Ghibli films), while the learned map may still read them.
RECEPTION_TAGS = frozenset({"award winning"})
_WORD = re.compile(r"[a-z][a-z'-]{3,}")
_STOPWORDS = frozenset(
    "that this with from they their them have when which there what into after about while "
    "been were will your more than only also other some where being because those through "
    "over under before again himself herself itself these must first".split()
)


@dataclass
class ItemFeatures:
    """Features of ``n_items`` items.

    Attributes
    ----------
    matrix : csr_matrix of float32, shape (n_items, n_features)
        Weighted (TF-IDF or BM25 per group, times :data:`GROUP_WEIGHTS`).
    raw : csr_matrix of float32, shape (n_items, n_features)
        1.0 where the item has the feature.
    names : ndarray of str, shape (n_features,)
        ``group:value`` for each column.
    """

    matrix: sp.csr_matrix
    raw: sp.csr_matrix
    names: np.ndarray

    @property
    def n_items(self) -> int:
        return self.matrix.shape[0]

    def of(self, item_index: int) -> list[str]:
        """Names of the features ``item_index`` has, in column order."""
        row = self.raw[item_index]
        return [str(name) for name in self.names[np.sort(row.indices)]]


def _get(item, key: str):
    if isinstance(item, Mapping):
        return item.get(key)
    return getattr(item, key, None)


def era_bucket(year: int | None) -> str | None:
    """Decade, with everything before 1980 as one bucket.

    >>> era_bucket(2016), era_bucket(1974), era_bucket(None)
    ('2010s', 'before-1980', None)
    """
    if not year:
        return None
    return "before-1980" if year < 1980 else f"{year // 10 * 10}s"


def length_bucket(episodes: int | None) -> str | None:
    """Series length from the episode count (0 or None: unknown).

    >>> [length_bucket(n) for n in (1, 4, 12, 24, 50, 200, 0)]
    ['single', 'short', 'one-cour', 'two-cour', 'long', 'very-long', None]
    """
    if not episodes:
        return None
    for limit, label in ((1, "single"), (6, "short"), (16, "one-cour"), (28, "two-cour")):
        if episodes <= limit:
            return label
    return "long" if episodes <= 100 else "very-long"


def runtime_bucket(seconds: int | None) -> str | None:
    """Episode runtime: ``short-form`` (≤ 8 min), ``standard`` (≤ 35 min) or ``feature``.

    >>> runtime_bucket(180), runtime_bucket(1440), runtime_bucket(6360)
    ('short-form', 'standard', 'feature')
    """
    if not seconds:
        return None
    return "short-form" if seconds <= 480 else "standard" if seconds <= 2100 else "feature"


def quality_bucket(score: float | None) -> str | None:
    """Public score band, half a point wide from 5 to 9.

    >>> quality_bucket(8.52), quality_bucket(4.1), quality_bucket(9.6), quality_bucket(None)
    ('8.5', 'below-5', '9', None)
    """
    if not score:
        return None
    if score < 5:
        return "below-5"
    return f"{min(int((score - 5) * 2), 8) / 2 + 5:g}"


def item_tokens(item, text: bool = False) -> list[str]:
    """The ``group:value`` features of one item.

    >>> item_tokens({"tags": ["Drama", "Award Winning"], "kind": "MOVIE", "year": 2016})
    ['tag:drama', 'quality:award winning', 'type:movie', 'era:2010s']
    """
    tags = [t.strip().lower() for t in _get(item, "tags") or ()]
    tokens = [f"{'quality' if t in RECEPTION_TAGS else 'tag'}:{t}" for t in tags]
    tokens += [f"studio:{s.strip().lower()}" for s in _get(item, "studios") or ()]
    tokens += [f"staff:{s.strip().lower()}" for s in _get(item, "staff") or ()]
    kind = _get(item, "kind")
    if kind and kind != "UNKNOWN":
        tokens.append(f"type:{kind.lower()}")
    buckets = (
        ("era", era_bucket(_get(item, "year"))),
        ("length", length_bucket(_get(item, "episodes"))),
        ("runtime", runtime_bucket(_get(item, "duration_seconds"))),
        ("quality", quality_bucket(_get(item, "score"))),
    )
    tokens += [f"{group}:{value}" for group, value in buckets if value]
    if text and _get(item, "synopsis"):
        words = set(_WORD.findall(_get(item, "synopsis").lower())) - _STOPWORDS
        tokens += sorted(f"word:{w}" for w in words)
    return list(dict.fromkeys(tokens))


def build_item_features(
    items: Iterable, *, weighting: str = "tfidf", text: bool = False, min_items: int = 2
) -> ItemFeatures:
    """Features for each item, in the order given (item ``i`` is the ``i``-th element).

    Parameters
    ----------
    items : iterable of mappings or records
    weighting : {"tfidf", "bm25", "none"}
        Applied within each feature group before the group weight.
    text : bool
        Add ``word:`` tokens from the synopsis.
    min_items : int
        Drop features fewer items than this share (they cannot make two items similar).
        Tags, studios and staff are kept always, so reasons can name them.
    """
    rows, cols, vocabulary = [], [], {}
    for index, item in enumerate(items):
        for token in item_tokens(item, text=text):
            rows.append(index)
            cols.append(vocabulary.setdefault(token, len(vocabulary)))
    n_items = (max(rows) + 1) if rows else 0
    if isinstance(items, list | tuple):
        n_items = len(items)
    names = np.array(list(vocabulary), dtype=str)
    raw = sp.csr_matrix((np.ones(len(rows), np.float32), (rows, cols)), shape=(n_items, len(names)))
    counts = np.bincount(raw.indices, minlength=raw.shape[1])
    groups = np.array([name.split(":", 1)[0] for name in names], dtype=str)
    keep = (counts >= min_items) | np.isin(groups, ["tag", "studio", "staff"])
    raw, names, groups = sp.csr_matrix(raw[:, keep]), names[keep], groups[keep]
    return ItemFeatures(matrix=_weighted(raw, groups, weighting), raw=raw, names=names)


def _weighted(raw: sp.csr_matrix, groups: np.ndarray, weighting: str) -> sp.csr_matrix:
    weigh = {"tfidf": tfidf_weight, "bm25": bm25_weight, "none": sp.csr_matrix}[weighting]
    parts = []
    for group in dict.fromkeys(groups.tolist()):
        columns = np.flatnonzero(groups == group)
        block = weigh(raw[:, columns]) * GROUP_WEIGHTS.get(group, 0.3)
        parts.append((columns, sp.csc_matrix(block)))
    out = sp.lil_matrix(raw.shape, dtype=np.float32) if not parts else None
    if parts:
        order = np.concatenate([c for c, _ in parts])
        stacked = sp.hstack([b for _, b in parts], format="csc")
        out = stacked[:, np.argsort(order)]
    out = sp.csr_matrix(out, dtype=np.float32)
    out.eliminate_zeros()  # groups weighted 0 leave no stored entries
    return out
