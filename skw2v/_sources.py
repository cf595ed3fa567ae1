"""Sources: what a fit reads its corpus from (see :mod:`skw2v._driver`).

A source has ``X`` (what the callbacks are told the fit's input is), ``input_columns()``
(``n_features_in_``/``feature_names_in_`` of a DataFrame input) and ``read(plan)``, a context
manager giving a *corpus*:

- ``words``, ``counts``: the distinct tokens in order of first appearance and their counts
  (``words`` may be None where a source does not bring the strings of the tokens it drops);
  ``n_documents``, ``n_tokens``; ``n_chunks`` (chunks of a local encoded corpus, else 0);
- ``vocabulary``, ``ids``: None, or a vocabulary the source brings with it (gensim's) and the
  :class:`~skw2v._ids.IdMap` of its ids;
- ``encode(vocabulary, ids)``: called once the vocabulary is chosen; returns the IdMap of
  the ids the trainer will read (a source that encodes after choosing encodes now);
- ``encoded``: the documents as ids on this machine (an
  :class:`~skw2v._corpus.EncodedCorpus`), for the Numba engine, or None;
- ``fit_pooler(pooler, ids, return_pooled=False)``: the pooling statistics of the corpus,
  merged: ``(fitted Pooler or None, rows or None)``.

:class:`DocumentSource` reads in-memory documents, iterables and text files; Dask, Spark and
gensim sources live in their front ends' modules.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from . import _pooler
from ._corpus import EncodedCorpus
from ._documents import iter_documents

#: Words counted while reading, per word that ``max_vocab_size`` keeps: the counting budget.
COUNTING_BUDGET = 4
_MIN_COUNTING_BUDGET = 100_000


def input_columns(X) -> dict:
    """``n_features_in_`` and ``feature_names_in_`` of a DataFrame input (empty otherwise)."""
    if not isinstance(X, pd.DataFrame):
        return {}
    columns = {"n_features_in_": X.shape[1]}
    # As scikit-learn: feature names only when every column label is a str.
    if all(isinstance(column, str) for column in X.columns):
        columns["feature_names_in_"] = np.asarray(X.columns, dtype=object)
    return columns


def check_input_columns(estimator, X) -> None:
    """A DataFrame ``X`` given to a fitted estimator has the column it was fitted on."""
    if isinstance(X, pd.DataFrame) and hasattr(estimator, "feature_names_in_"):
        if list(X.columns) != list(estimator.feature_names_in_):
            raise ValueError(
                f"X has columns {list(X.columns)}, but {type(estimator).__name__} was fitted "
                f"on {list(estimator.feature_names_in_)}. Pass the same text column."
            )


class LocalCorpus:
    """A corpus encoded on this machine: an :class:`EncodedCorpus` and its counts."""

    vocabulary = None
    ids = None

    def __init__(self, encoded: EncodedCorpus, words, counts, n_documents, n_tokens):
        self.encoded = encoded
        self.words, self.counts = words, counts
        self.n_documents, self.n_tokens = n_documents, n_tokens

    @property
    def n_chunks(self):
        return 0 if self.encoded is None else self.encoded.n_chunks

    def encode(self, vocabulary, ids):
        return ids

    def fit_pooler(self, pooler, ids, *, return_pooled=False):
        return _pooler.pool_corpus(pooler, self.encoded, ids, return_pooled=return_pooled)

    def close(self):
        if self.encoded is not None:
            self.encoded.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc_info):
        self.close()


def read_documents(plan, X, *, chunk_tokens=None) -> EncodedCorpus:
    """Read and encode documents once (a context manager: closing frees the files).

    With ``max_vocab_size``, counting holds at most about
    ``2 * max(COUNTING_BUDGET * max_vocab_size, 100_000)`` distinct words, pretrained words
    aside, however many distinct tokens the documents hold.
    """
    max_distinct = None
    if plan.max_vocab_size is not None:
        max_distinct = max(COUNTING_BUDGET * plan.max_vocab_size, _MIN_COUNTING_BUDGET)
    return EncodedCorpus(iter_documents(X), plan.tokenizer, max_distinct=max_distinct,
                         chunk_tokens=chunk_tokens)


class DocumentSource:
    """Documents in memory, from an iterable (a generator too) or a text file, read once.

    ``chunk_tokens`` sets the chunk size of the encoded corpus (None: the default).
    """

    def __init__(self, X, *, chunk_tokens=None):
        self.X = X
        self.chunk_tokens = chunk_tokens

    def input_columns(self):
        return input_columns(self.X)

    def read(self, plan) -> LocalCorpus:
        encoded = read_documents(plan, self.X, chunk_tokens=self.chunk_tokens)
        return LocalCorpus(encoded, encoded.words, encoded.counts, encoded.n_documents,
                           encoded.n_tokens)
