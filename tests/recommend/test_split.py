from __future__ import annotations

import numpy as np
import scipy.sparse as sp

from kansou.recommend.split import drop_users, hold_out, split_users


def ratings():
    rng = np.random.default_rng(3)
    dense = rng.integers(0, 11, size=(30, 40)).astype(np.float32)
    dense[dense < 4] = 0
    return sp.csr_matrix(dense)


def test_the_same_seed_gives_the_same_split():
    assert split_users(100, 0.2, seed=5)[0].tolist() == split_users(100, 0.2, seed=5)[0].tolist()
    assert split_users(100, 0.2, seed=5)[0].tolist() != split_users(100, 0.2, seed=6)[0].tolist()


def test_chosen_and_rest_partition_the_users():
    chosen, rest = split_users(50, 0.2, seed=1)
    assert len(chosen) == 10 and sorted(chosen.tolist() + rest.tolist()) == list(range(50))


def test_only_positives_of_the_chosen_users_are_held_out():
    matrix = ratings()
    split = hold_out(matrix, np.array([0, 1, 2]), positive=7, share=0.2, seed=0)
    held = split.heldout.tocoo()
    assert set(held.row.tolist()) <= {0, 1, 2}
    assert np.all(held.data >= 7)
    np.testing.assert_array_equal((split.visible + split.heldout).toarray(), matrix.toarray())
    assert not split.visible.multiply(split.heldout).nnz


def test_about_the_share_is_held_out_and_one_positive_stays_visible():
    matrix = sp.csr_matrix(np.array([[9.0] * 10, [9.0, 0, 0, 0, 0, 0, 0, 0, 0, 0]]))
    split = hold_out(matrix, np.array([0, 1]), positive=7, share=0.2, seed=0)
    assert split.heldout[0].nnz == 2
    assert split.heldout[1].nnz == 0 and split.users.tolist() == [0]


def test_dropped_users_keep_their_rows_empty():
    out = drop_users(ratings(), np.array([4]))
    assert out.shape == (30, 40) and out[4].nnz == 0 and out[5].nnz == ratings()[5].nnz
