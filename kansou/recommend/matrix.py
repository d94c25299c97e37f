"""``user_items``: the users × items CSR matrix every model is fitted on.

Rows are user indices and columns item indices (see :mod:`kansou.recommend.ids`); values are
interaction weights (a rating, or 1.0). Built from plain ``(user_id, item_id, value)`` triples.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import scipy.sparse as sp

from kansou.recommend.ids import IdMap


def user_items_from_triples(
    user_ids: Sequence,
    item_ids: Sequence,
    values: Sequence[float] | None = None,
    *,
    users: IdMap | None = None,
    items: IdMap | None = None,
) -> tuple[sp.csr_matrix, IdMap, IdMap]:
    """Build ``user_items`` from parallel arrays of ids and values.

    Parameters
    ----------
    user_ids, item_ids : array-like, shape (n,)
        External ids. Pairs whose id is not in a given ``users``/``items`` map are dropped.
    values : array-like of float, shape (n,), optional
        Weights; 1.0 when omitted. A repeated (user, item) pair keeps its **last** value.
    users, items : IdMap, optional
        Fix the index order (e.g. every catalog item, rated or not); by default ids are numbered
        in order of first appearance.

    Returns
    -------
    user_items : csr_matrix of float32, shape (len(users), len(items))
    users, items : IdMap

    Examples
    --------
    >>> m, users, items = user_items_from_triples([7, 7, 9], ["a", "b", "a"], [8, 5, 9])
    >>> m.toarray().tolist()
    [[8.0, 5.0], [9.0, 0.0]]
    >>> items.ids.tolist()
    ['a', 'b']
    """
    users = users if users is not None else IdMap.from_values(user_ids)
    items = items if items is not None else IdMap.from_values(item_ids)
    rows = users.to_index(user_ids, missing="ignore")
    cols = items.to_index(item_ids, missing="ignore")
    vals = np.ones(len(rows), np.float32) if values is None else np.asarray(values, np.float32)
    keep = (rows >= 0) & (cols >= 0)
    rows, cols, vals = rows[keep], cols[keep], vals[keep]
    # Last value wins for duplicates: keep the final occurrence of each (row, col) key.
    key = rows * len(items) + cols
    _, last = np.unique(key[::-1], return_index=True)
    pick = len(key) - 1 - last
    matrix = sp.csr_matrix(
        (vals[pick], (rows[pick], cols[pick])), shape=(len(users), len(items)), dtype=np.float32
    )
    matrix.sort_indices()
    return matrix, users, items


def binarize(user_items: sp.spmatrix, threshold: float | None = None) -> sp.csr_matrix:
    """1.0 where a value is stored (and ``>= threshold`` when given), float32 CSR.

    >>> binarize(sp.csr_matrix([[8.0, 5.0], [0.0, 9.0]]), threshold=7).toarray().tolist()
    [[1.0, 0.0], [0.0, 1.0]]
    """
    matrix = sp.csr_matrix(user_items, dtype=np.float32, copy=True)
    if threshold is not None:
        matrix.data = (matrix.data >= threshold).astype(np.float32)
        matrix.eliminate_zeros()
    else:
        matrix.data[:] = 1.0
    return matrix


def history_row(history, n_items: int) -> sp.csr_matrix:
    """A 1 × ``n_items`` float32 CSR row from item indices or from a row already in that shape.

    Indices out of range raise ``IndexError``; repeated indices count once.

    >>> history_row([2, 0, 2], 3).toarray().tolist()
    [[1.0, 0.0, 1.0]]
    >>> history_row([], 2).nnz
    0
    """
    if sp.issparse(history):
        row = sp.csr_matrix(history, dtype=np.float32)
        if row.shape != (1, n_items):
            raise ValueError(f"history row must have shape (1, {n_items}), not {row.shape}")
        return row
    indices = np.unique(np.asarray(history, dtype=np.int64).ravel())
    if indices.size and (indices[0] < 0 or indices[-1] >= n_items):
        raise IndexError(f"item index out of range 0..{n_items - 1}")
    data = np.ones(indices.size, np.float32)
    return sp.csr_matrix((data, indices, [0, indices.size]), shape=(1, n_items))


def item_popularity(user_items: sp.spmatrix) -> np.ndarray:
    """Number of users with a stored value per item, int64, shape (n_items,)."""
    return np.bincount(sp.csr_matrix(user_items).indices, minlength=user_items.shape[1]).astype(
        np.int64
    )


MAX_PAIR_ROWS = 5


def with_pair_rows(
    user_items: sp.spmatrix, pairs: np.ndarray, weights: np.ndarray, value: float = 10.0
) -> sp.csr_matrix:
    """``user_items`` with item–item evidence appended as extra rows: each pair of item indices
    ``(a, b)`` becomes ``min(weight, MAX_PAIR_ROWS)`` rows that loved both (``value``), as if
    that many readers had, so collaborative models learn that the two go together.

    >>> m = with_pair_rows(sp.csr_matrix((2, 3)), np.array([[0, 2]]), np.array([2.0]))
    >>> m.shape, m[2].indices.tolist(), m[3].indices.tolist()
    ((4, 3), [0, 2], [0, 2])
    """
    user_items = sp.csr_matrix(user_items, dtype=np.float32)
    pairs = np.asarray(pairs, dtype=np.int64).reshape(-1, 2)
    repeats = np.clip(np.round(np.asarray(weights, dtype=np.float64)), 1, MAX_PAIR_ROWS)
    rows = np.repeat(pairs, repeats.astype(np.int64), axis=0)
    if rows.size == 0:
        return user_items
    extra = sp.csr_matrix(
        (
            np.full(rows.size, value, np.float32),
            np.sort(rows, axis=1).ravel(),
            np.arange(0, rows.size + 1, 2),
        ),
        shape=(rows.shape[0], user_items.shape[1]),
    )
    return sp.csr_matrix(sp.vstack([user_items, extra]), dtype=np.float32)
