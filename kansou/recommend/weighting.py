"""Small sparse-in, sparse-out weighting functions (after implicit's ``nearest_neighbours``).

Each takes a CSR matrix whose rows are documents (items) and columns terms (features) and returns
a new float32 CSR matrix of the same shape; the input is not modified.
"""

from __future__ import annotations

import numpy as np
import scipy.sparse as sp


def tfidf_weight(matrix: sp.spmatrix) -> sp.csr_matrix:
    """TF-IDF: each value × ``log(n_rows / df)``; a term in every row gets weight 0.

    >>> tfidf_weight(sp.csr_matrix([[1, 1], [0, 1]])).toarray().astype(float).round(3).tolist()
    [[0.693, 0.0], [0.0, 0.0]]
    """
    out = sp.csr_matrix(matrix, dtype=np.float32, copy=True)
    df = np.bincount(out.indices, minlength=out.shape[1])
    idf = np.log(out.shape[0] / np.maximum(df, 1)).astype(np.float32)
    out.data *= idf[out.indices]
    return out


def bm25_weight(matrix: sp.spmatrix, k1: float = 1.2, b: float = 0.75) -> sp.csr_matrix:
    """Okapi BM25 term weights with document-length normalisation over each row.

    >>> bm25_weight(sp.csr_matrix([[1, 1], [0, 1]])).toarray().astype(float).round(3).tolist()
    [[0.61, 0.16], [0.0, 0.211]]
    """
    out = sp.csr_matrix(matrix, dtype=np.float32, copy=True)
    n_rows = out.shape[0]
    df = np.bincount(out.indices, minlength=out.shape[1])
    idf = np.log(1.0 + (n_rows - df + 0.5) / (df + 0.5)).astype(np.float32)
    lengths = np.asarray(out.sum(axis=1)).ravel()
    norm = (1.0 - b + b * lengths / max(lengths.mean(), 1e-12)).astype(np.float32)
    row_norm = np.repeat(norm, np.diff(out.indptr))
    out.data = out.data * (k1 + 1.0) / (k1 * row_norm + out.data) * idf[out.indices]
    return out


def normalize(matrix: sp.spmatrix) -> sp.csr_matrix:
    """Scale each row to unit L2 norm; all-zero rows stay zero.

    >>> normalize(sp.csr_matrix([[3.0, 4.0], [0.0, 0.0]])).toarray().astype(float).round(3).tolist()
    [[0.6, 0.8], [0.0, 0.0]]
    """
    out = sp.csr_matrix(matrix, dtype=np.float32, copy=True)
    norms = np.sqrt(np.asarray(out.multiply(out).sum(axis=1)).ravel())
    inverse = np.divide(1.0, norms, out=np.zeros_like(norms), where=norms > 0)
    out.data *= np.repeat(inverse.astype(np.float32), np.diff(out.indptr))
    return out
