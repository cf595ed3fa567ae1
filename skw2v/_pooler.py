"""Pooling as a fitted part: statistics learned from counts, then documents pooled with them.

As :class:`~sklearn.feature_extraction.text.TfidfTransformer` sits beside
``CountVectorizer``, pooling is its own part here::

    documents -> counts (CSR, documents x vocabulary)        skw2v._pooling.count_matrix
      -> PoolingStatistics.of_counts(...)  per chunk or partition, merged with .merge()
      -> Pooler.fitted(statistics)         idf and the SIF component learned
      -> pooler.pool(counts)               one row per document

``fit`` learns the statistics from the training corpus (:func:`pool_corpus`, a pass over its
encoded chunks, or a source's own way: Spark counts document frequencies on the executors);
``transform`` is tokenize -> counts -> pool (:func:`transform`). The same part pools any
documents given word vectors.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from . import _pooling
from ._documents import Tokenizer, is_one_shot, iter_documents, n_documents


@dataclass(frozen=True)
class PoolingPlan:
    """How documents are pooled: the pooling parameters of an estimator."""

    pooling: str
    norm: str | None
    sif_smoothing: float
    remove_component: bool  # pooling="sif" with sif_remove_component=True

    @classmethod
    def of(cls, estimator) -> PoolingPlan:
        return cls(pooling=estimator.pooling, norm=estimator.norm,
                   sif_smoothing=float(estimator.sif_smoothing),
                   remove_component=(estimator.pooling == "sif"
                                     and bool(estimator.sif_remove_component)))


@dataclass
class PoolingStatistics:
    """What the pooling weights are learned from; computed per chunk or partition, merged.

    Attributes
    ----------
    document_frequency : ndarray of int64
        Number of documents holding each word.
    n_documents : int
    gram : ndarray of shape (vector_size, vector_size) or None
        Gram matrix of the pooled (uncorrected) rows, when the SIF direction is learned.
    """

    document_frequency: np.ndarray
    n_documents: int
    gram: np.ndarray | None

    @classmethod
    def empty(cls, pooler: Pooler) -> PoolingStatistics:
        dim = pooler.wv.vector_size
        return cls(np.zeros(len(pooler.wv), dtype=np.int64), 0,
                   np.zeros((dim, dim)) if pooler.plan.remove_component else None)

    @classmethod
    def of_counts(cls, pooler: Pooler, counts, pooled=None) -> PoolingStatistics:
        """Statistics of the documents of one CSR count matrix over the vocabulary
        (``pooled``: their rows before the SIF correction, when already computed)."""
        frequency = np.bincount(counts.indices, minlength=counts.shape[1]).astype(np.int64)
        gram = None
        if pooler.plan.remove_component:
            if pooled is None:
                pooled = pooler.pool(counts, finish=False)
            gram = pooled.T.astype(np.float64) @ pooled
        return cls(frequency, counts.shape[0], gram)

    def merge(self, other: PoolingStatistics) -> PoolingStatistics:
        gram = None if self.gram is None else self.gram + other.gram
        return PoolingStatistics(self.document_frequency + other.document_frequency,
                                 self.n_documents + other.n_documents, gram)


class Pooler:
    """Pools count matrices of documents into rows with given word vectors and weights.

    A subword model also pools tokens outside its vocabulary, from their character n-grams
    (:meth:`unseen`), as extra columns after the vocabulary; they weigh as the rarest word.
    ``idf`` and ``component`` are the fitted part (:meth:`fitted`); a pooler without them
    pools with ``mean``, ``sum``, ``max`` and uncorrected ``sif``.
    """

    def __init__(self, plan: PoolingPlan, wv, idf=None, component=None):
        self.plan, self.wv, self.idf, self.component = plan, wv, idf, component

    def fitted(self, statistics: PoolingStatistics) -> Pooler:
        """This pooler with the weights learned from the merged ``statistics``."""
        idf = _pooling.idf_weights(statistics.document_frequency, statistics.n_documents)
        component = (_pooling.first_component(statistics.gram) if self.plan.remove_component
                     else None)
        return Pooler(self.plan, self.wv, idf, component)

    @property
    def subwords(self):
        return self.wv.char_ngram_range is not None

    def unseen(self, words):
        """``(has_vector, vectors)`` of distinct tokens outside the vocabulary: composed from
        n-grams for a subword model (a token none of whose n-grams has a row has none)."""
        if not self.subwords or not words:
            return np.zeros(len(words), dtype=bool), np.zeros((0, self.wv.vector_size),
                                                              dtype=np.float32)
        vectors = self.wv._compose(words, np.full(len(words), -1))
        has_vector = np.any(vectors != 0, axis=1)
        return has_vector, vectors[has_vector]

    def word_weights(self, n_extra=0):
        if self.plan.pooling == "idf":
            weights = self.idf
        elif self.plan.pooling == "sif":
            weights = _pooling.sif_weights(self.wv.counts, self.plan.sif_smoothing)
        else:
            return None
        if n_extra:
            weights = np.concatenate([weights, np.full(n_extra, weights.max(initial=1.0),
                                                       dtype=np.float32)])
        return weights

    def pool(self, counts, finish=True, extra=None):
        """Rows of the documents of a CSR count matrix (``extra``: vectors of its columns
        after the vocabulary); ``finish`` applies the SIF correction and the norm."""
        vectors = self.wv.vectors
        n_extra = 0 if extra is None else extra.shape[0]
        if n_extra:
            vectors = np.concatenate([vectors, extra])
        pooled = _pooling.pool(counts, vectors, self.plan.pooling, self.word_weights(n_extra))
        return self.finish(pooled) if finish else pooled

    def finish(self, pooled):
        if self.plan.remove_component:
            pooled = _pooling.remove_component(pooled, self.component)
        if self.plan.norm == "l2":
            pooled = _pooling.l2_normalize(pooled)
        return pooled


# ------------------------------------------------------------------ an encoded corpus
def corpus_counts(corpus, ids):
    """CSR count matrices of an encoded corpus's chunks, columns as ``ids`` maps them."""
    for chunk_ids, offsets, chunk_rows in corpus.chunks(ids):
        rows = chunk_rows.astype(np.int32, copy=False) if ids.n_columns < 2**31 else chunk_rows
        yield _pooling.counts_from_ids(rows[chunk_ids], np.diff(offsets), ids.n_columns)


def pool_corpus(pooler: Pooler, corpus, ids, *, return_pooled=False):
    """Learn the pooling of an encoded corpus: ``(fitted Pooler, rows or None)``.

    One pass counts the document frequencies (and, for SIF, the Gram matrix of the pooled
    rows; with ``return_pooled`` the rows too); ``pooling="idf"`` with ``return_pooled``
    needs a second pass, since its rows need the idf of the whole corpus. The statistics come
    from the vocabulary's words; the rows of a subword model pool the corpus's other words
    too, as ``transform`` pools them (a second pass, with extra columns).
    """
    plan = pooler.plan
    rows = None
    if return_pooled:
        rows = np.empty((corpus.n_documents, pooler.wv.vector_size), dtype=np.float32)
    row_ids, extra = _unseen_columns(pooler, corpus, ids)
    keep_rows_now = return_pooled and plan.pooling != "idf" and extra is None
    statistics = PoolingStatistics.empty(pooler)
    for counts in corpus_counts(corpus, ids):
        pooled = None
        if keep_rows_now:
            pooled = pooler.pool(counts, finish=False)
            start = statistics.n_documents
            rows[start:start + counts.shape[0]] = pooled
        statistics = statistics.merge(PoolingStatistics.of_counts(pooler, counts, pooled))
    pooler = pooler.fitted(statistics)
    if return_pooled:
        if keep_rows_now:
            rows = pooler.finish(rows)
        else:
            start = 0
            for counts in corpus_counts(corpus, row_ids):
                rows[start:start + counts.shape[0]] = pooler.pool(counts, extra=extra)
                start += counts.shape[0]
    return pooler, rows


def _unseen_columns(pooler, corpus, ids):
    """``(ids, extra)``: ``ids`` extended so that each corpus word outside the vocabulary
    with a subword vector maps to a column after the vocabulary, and those vectors."""
    if not pooler.subwords or corpus.words is None:  # no strings of Dask's dropped words
        return ids, None
    outside = ids.outside()
    outside = outside[outside < len(corpus.words)]
    has_vector, extra = pooler.unseen([corpus.words[i] for i in outside])
    return ids.with_extra_columns(outside[has_vector]), extra


# ------------------------------------------------------------------ transform
def _document_label(position):
    return f"Document {position}"


def _document_tokens(tokenizer, document, label):
    """The tokens of one document: a list, or for a document tokenized in several pieces (a
    long one, see ``Tokenizer.pieces``) their counts, added up piece by piece."""
    tokens = counted = None
    for piece in tokenizer.pieces(document, label):
        if tokens is None and counted is None:
            tokens = piece
            continue
        if counted is None:
            counted = _pooling.TokenCounts(tokens)
            tokens = None
        counted.update(piece)
    return tokens if counted is None else counted


def transform(pooler: Pooler, tokenizer: Tokenizer, word_index, X, where=None):
    """Pool the documents of ``X``: tokenize -> counts -> ``pooler``.

    ``word_index`` is a pandas Index of the vocabulary (``pooler.wv``'s words). ``where``
    names a document in error messages (default ``"Document 3"``). Writes into one
    preallocated array when the number of documents is known.
    """
    where = _document_label if where is None else where
    dim = pooler.wv.vector_size
    known = n_documents(X)
    out = None if known is None else np.empty((known, dim), dtype=np.float32)
    batches = []  # pooled batches, when the number of documents is not known in advance
    n_done = 0
    batch = []

    def pool_batch():
        nonlocal n_done
        counts, _, extra = _pooling.count_matrix(
            batch, word_index, pooler.unseen if pooler.subwords else None)
        pooled = pooler.pool(counts, extra=extra)
        if out is None:
            batches.append(pooled)
        else:
            if n_done + pooled.shape[0] > out.shape[0]:
                raise ValueError(f"X yielded more than the {out.shape[0]} documents its len() "
                                 "announced.")
            out[n_done:n_done + pooled.shape[0]] = pooled
        n_done += pooled.shape[0]
        batch.clear()

    for position, document in enumerate(iter_documents(X)):
        batch.append(_document_tokens(tokenizer, document, where(position)))
        if len(batch) == _pooling.BATCH_DOCUMENTS:
            pool_batch()
    if batch:
        pool_batch()
    if out is not None:
        if n_done != out.shape[0]:
            raise ValueError(f"X yielded {n_done} documents, but its len() is {out.shape[0]}.")
        return out
    if n_done == 0 and is_one_shot(X):
        raise ValueError("X is an iterator that yielded no document: it may have been "
                         "consumed already (a generator can be read only once). Pass a list, "
                         "or a new generator.")
    if not batches:
        return np.zeros((0, dim), dtype=np.float32)
    return np.vstack(batches) if len(batches) > 1 else batches[0]
