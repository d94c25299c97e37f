"""How many users share each (item, neighbour) pair of a neighbour table.

Stored beside the table so a page can say "312 of the 540 readers who loved X also loved Y"
with a lookup instead of touching the users × items matrix per request.
"""

from __future__ import annotations

import numpy as np
import scipy.sparse as sp

from kansou.recommend.matrix import binarize


def pair_counts(
    user_items: sp.spmatrix, neighbours: np.ndarray, batch_size: int = 512
) -> np.ndarray:
    """Users with both item ``i`` and item ``neighbours[i, j]``, for every cell.

    Parameters
    ----------
    user_items : sparse matrix, shape (n_users, n_items)
        Any stored value counts (pass only positives to count co-lovers).
    neighbours : ndarray of int, shape (n_items, k)
        Item indices; ``-1`` marks an empty cell (its count is 0).

    Returns
    -------
    ndarray of int32, shape (n_items, k)

    Examples
    --------
    >>> x = sp.csr_matrix([[1, 1, 0], [1, 1, 1], [0, 0, 1]])
    >>> pair_counts(x, np.array([[1, 2], [0, -1], [1, 0]])).tolist()
    [[2, 1], [2, 0], [1, 1]]
    """
    by_item = sp.csr_matrix(binarize(user_items).T)
    users = sp.csc_matrix(binarize(user_items))
    n_items, k = neighbours.shape
    out = np.zeros((n_items, k), dtype=np.int32)
    for start in range(0, n_items, batch_size):
        stop = min(start + batch_size, n_items)
        block = (by_item[start:stop] @ users).toarray()
        cells = np.asarray(neighbours[start:stop], dtype=np.int64)
        valid = cells >= 0
        rows = np.broadcast_to(np.arange(stop - start)[:, None], cells.shape)
        out[start:stop][valid] = block[rows[valid], cells[valid]].astype(np.int32)
    return out
