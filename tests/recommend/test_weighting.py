from __future__ import annotations

import numpy as np
import scipy.sparse as sp

from kansou.recommend.weighting import bm25_weight, normalize, tfidf_weight


def test_every_weighting_keeps_shape_and_leaves_its_input_alone():
    matrix = sp.csr_matrix(np.array([[1, 0, 2], [0, 1, 1]], dtype=np.float32))
    before = matrix.toarray().copy()
    for weigh in (bm25_weight, tfidf_weight, normalize):
        out = weigh(matrix)
        assert sp.issparse(out) and out.shape == matrix.shape and out.dtype == np.float32
        np.testing.assert_array_equal(matrix.toarray(), before)


def test_rare_features_weigh_more_than_common_ones():
    matrix = sp.csr_matrix(np.array([[1, 1], [1, 0], [1, 0]], dtype=np.float32))
    for weigh in (bm25_weight, tfidf_weight):
        row = weigh(matrix).toarray()[0]
        assert row[1] > row[0]


def test_normalized_rows_have_unit_length():
    out = normalize(sp.csr_matrix(np.array([[1.0, 2.0, 2.0]])))
    assert np.isclose(np.linalg.norm(out.toarray()), 1.0)
