"""Document vectors from word vectors: a sparse (documents x vocabulary) weight matrix times
the embedding matrix.

Tokens are looked up in bulk (a pandas hash index over the vocabulary), counted into a CSR
matrix, weighted by the pooling scheme and multiplied by the word vectors with BLAS. Unknown
tokens are skipped, except with a subword model: a token outside the vocabulary whose
character n-grams give it a vector becomes an extra column after the vocabulary, weighted as
the rarest vocabulary word. A document without a token that has a vector gives zeros.
"""

import collections

import numpy as np
import pandas as pd
import scipy.sparse as sp

#: Documents tokenized and pooled together in one batch of ``transform``.
BATCH_DOCUMENTS = 4096


class TokenCounts(collections.Counter):
    """A document given as its distinct tokens and how often each occurs (token -> count),
    in place of its list of tokens: what a long document becomes when it is tokenized piece
    by piece (its memory follows its distinct tokens, not its length)."""


def count_matrix(token_lists, word_index, unseen=None):
    """CSR (documents x columns) counts of the tokens of each document that have a vector.

    Parameters
    ----------
    token_lists : list of (list of str or TokenCounts)
        Tokens of each document.
    word_index : pandas.Index
        The vocabulary, one entry per row of the embedding matrix.
    unseen : callable, default=None
        For a subword model: ``unseen(words)`` takes the distinct tokens outside the
        vocabulary and returns ``(has_vector, vectors)``, a boolean mask over them and the
        vectors of those it marks. Each of those becomes a column after the vocabulary.

    Returns
    -------
    counts : scipy.sparse.csr_matrix of dtype float32
        ``len(word_index) + len(extra)`` columns.
    n_tokens : ndarray of shape (n_documents,), dtype int64
        All tokens of each document, known or not.
    extra : ndarray of shape (n_extra, vector_size) or None
        Vectors of the extra columns (None without ``unseen``).
    """
    lengths = np.fromiter(map(len, token_lists), dtype=np.int64, count=len(token_lists))
    flat = [token for tokens in token_lists for token in tokens]
    weights, n_tokens = None, lengths
    if any(isinstance(tokens, TokenCounts) for tokens in token_lists):
        weights = np.concatenate([
            np.fromiter(tokens.values(), dtype=np.float32, count=len(tokens))
            if isinstance(tokens, TokenCounts) else np.ones(len(tokens), dtype=np.float32)
            for tokens in token_lists]) if flat else None
        n_tokens = np.array([sum(tokens.values()) if isinstance(tokens, TokenCounts)
                             else len(tokens) for tokens in token_lists], dtype=np.int64)
    # An object Index: pandas would infer its string dtype, which refuses lone surrogates.
    columns = (word_index.get_indexer(pd.Index(flat, dtype=object)) if flat
               else np.zeros(0, dtype=np.intp))
    n_columns = len(word_index)
    extra = None
    if unseen is not None:
        missing = np.flatnonzero(columns < 0)
        words, inverse = np.unique(np.array([flat[i] for i in missing], dtype=object),
                                   return_inverse=True)
        has_vector, extra = unseen(list(words))
        extra_column = np.full(len(words), -1, dtype=np.intp)
        extra_column[has_vector] = n_columns + np.arange(int(has_vector.sum()))
        columns[missing] = extra_column[inverse.ravel()]
        n_columns += extra.shape[0]
    return counts_from_ids(columns, lengths, n_columns, weights), n_tokens, extra


def counts_from_ids(ids, lengths, n_words, weights=None):
    """CSR counts from concatenated vocabulary rows (-1 for unknown) and document lengths;
    ``weights`` (float32, one per id) counts an id that many times (None: once).

    Built straight as CSR (the known ids of each document are its row), so memory per token
    is its column index and its value, whatever the length of a document.
    """
    known = ids >= 0
    offsets = np.zeros(lengths.shape[0] + 1, dtype=np.int64)
    np.cumsum(lengths, out=offsets[1:])
    # The known tokens before each document's start: all tokens but the unknown ones.
    indptr = offsets - np.searchsorted(np.flatnonzero(~known), offsets)
    indices = ids[known].astype(np.int32 if n_words < 2**31 else np.int64, copy=False)
    data = (np.ones(indices.shape[0], dtype=np.float32) if weights is None
            else weights[known])
    matrix = sp.csr_matrix((data, indices, indptr), shape=(lengths.shape[0], n_words))
    matrix.sum_duplicates()
    return matrix


def idf_weights(document_frequency, n_documents):
    """Smooth idf as in scikit-learn's ``TfidfTransformer``: ``ln((1 + n) / (1 + df)) + 1``."""
    return (np.log((1.0 + n_documents) / (1.0 + document_frequency)) + 1.0).astype(np.float32)


def sif_weights(counts, smoothing):
    """Smooth inverse frequency ``a / (a + p(w))`` with ``p(w)`` the word's corpus frequency."""
    frequency = counts / max(counts.sum(), 1)
    return (smoothing / (smoothing + frequency)).astype(np.float32)


def pool(counts, vectors, pooling, word_weights=None):
    """Pool word vectors into one row per document.

    Parameters
    ----------
    counts : scipy.sparse.csr_matrix of shape (n_documents, n_words)
        Counts of the tokens that have a vector.
    vectors : ndarray of shape (n_words, vector_size)
        Word vectors (the vocabulary's, then those of extra columns).
    pooling : {"mean", "sum", "idf", "sif", "max"}
        ``"mean"`` averages the known tokens, ``"sum"`` adds them, ``"idf"`` and ``"sif"``
        take the mean weighted by ``word_weights``; ``"max"`` takes the element-wise maximum.
    word_weights : ndarray of shape (n_words,), default=None
        Per-word weights of ``"idf"`` and ``"sif"``.

    Returns
    -------
    ndarray of shape (n_documents, vector_size), dtype float32
    """
    if pooling == "max":
        return _max_pool(counts, vectors)
    weights = counts
    if pooling in ("idf", "sif"):
        weights = counts @ sp.diags(word_weights)
    if pooling != "sum":
        totals = np.asarray(weights.sum(axis=1)).ravel()
        scale = np.divide(1.0, totals, out=np.zeros_like(totals), where=totals > 0)
        weights = sp.diags(scale.astype(np.float32)) @ weights
    return np.asarray(weights @ vectors, dtype=np.float32)


def _max_pool(counts, vectors):
    out = np.zeros((counts.shape[0], vectors.shape[1]), dtype=np.float32)
    starts = counts.indptr[:-1]
    nonempty = np.flatnonzero(np.diff(counts.indptr) > 0)
    if nonempty.size:
        gathered = vectors[counts.indices]
        out[nonempty] = np.maximum.reduceat(gathered, starts[nonempty], axis=0)
    return out


def first_component(document_vectors_gram):
    """Unit top eigenvector of ``X.T @ X`` (the first singular direction of the rows of X)."""
    _, eigenvectors = np.linalg.eigh(document_vectors_gram)
    return eigenvectors[:, -1].astype(np.float32)


def remove_component(pooled, component):
    """Subtract each row's projection on the unit vector ``component``."""
    return pooled - np.outer(pooled @ component, component).astype(np.float32)


def l2_normalize(pooled):
    """Scale rows to unit length; zero rows stay zero."""
    norms = np.linalg.norm(pooled, axis=1, keepdims=True)
    return pooled / np.where(norms > 0, norms, 1).astype(np.float32)
