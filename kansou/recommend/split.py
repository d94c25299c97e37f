"""Seeded user splits for offline evaluation.

Users, not interactions, are split: a share of users is set aside (test or validation) and, for
each of them, a share of their *positive* interactions is held out as the items to find. Their
other interactions stay visible (their history), as do all interactions of the other users.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp


@dataclass
class Holdout:
    """One split of a users × items ratings matrix.

    Attributes
    ----------
    visible : csr_matrix, shape (n_users, n_items)
        Everything the models may learn from (held-out cells removed).
    heldout : csr_matrix, shape (n_users, n_items)
        The held-out positives (the relevant items), non-zero only on ``users`` rows.
    users : ndarray of int64
        The evaluated user indices (those with at least one held-out item), sorted.
    """

    visible: sp.csr_matrix
    heldout: sp.csr_matrix
    users: np.ndarray


def split_users(
    n_users: int, share: float, seed: int, among: np.ndarray | None = None
) -> tuple[np.ndarray, np.ndarray]:
    """``(chosen, rest)``: a seeded ``share`` of ``among`` (default all users), both sorted.

    >>> split_users(10, 0.2, seed=1)[0].size
    2
    """
    pool = np.arange(n_users) if among is None else np.asarray(among)
    order = np.random.default_rng(seed).permutation(pool)
    cut = int(round(share * pool.size))
    return np.sort(order[:cut]), np.sort(order[cut:])


def hold_out(
    ratings: sp.csr_matrix,
    users: np.ndarray,
    *,
    positive: float,
    share: float = 0.2,
    seed: int = 0,
) -> Holdout:
    """Hide ``share`` of each given user's positives (value ``>= positive``).

    Each user keeps at least one positive visible: a user with ``p`` positives loses
    ``min(max(1, round(share × p)), p − 1)``, so users with fewer than two positives lose
    nothing and are not evaluated.
    """
    rng = np.random.default_rng(seed)
    ratings = sp.csr_matrix(ratings)
    hide_rows, hide_cols = [], []
    for user in np.asarray(users):
        start, end = ratings.indptr[user], ratings.indptr[user + 1]
        positives = ratings.indices[start:end][ratings.data[start:end] >= positive]
        count = min(max(1, int(round(share * positives.size))), positives.size - 1)
        if count <= 0:
            continue
        hide_cols.append(rng.choice(positives, size=count, replace=False))
        hide_rows.append(np.full(count, user))
    rows = np.concatenate(hide_rows or [np.empty(0, np.int64)]).astype(np.int64)
    cols = np.concatenate(hide_cols or [np.empty(0, np.int64)]).astype(np.int64)
    mask = sp.csr_matrix((np.ones(rows.size, bool), (rows, cols)), shape=ratings.shape)
    heldout = sp.csr_matrix(ratings.multiply(mask), dtype=np.float32)
    visible = sp.csr_matrix(ratings - heldout, dtype=np.float32)
    visible.eliminate_zeros()
    heldout.eliminate_zeros()
    return Holdout(visible=visible, heldout=heldout, users=np.unique(rows))


def drop_users(matrix: sp.csr_matrix, users: np.ndarray) -> sp.csr_matrix:
    """A copy of ``matrix`` with the rows of ``users`` emptied (shape unchanged)."""
    keep = np.ones(matrix.shape[0], dtype=np.float32)
    keep[np.asarray(users, dtype=np.int64)] = 0.0
    out = sp.csr_matrix(sp.diags(keep) @ matrix, dtype=np.float32)
    out.eliminate_zeros()
    return out
