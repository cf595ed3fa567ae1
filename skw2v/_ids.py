"""The id spaces of a fit, and the one type that maps between them.

A source encodes its documents with *corpus ids* (an in-memory read: one id per distinct token
in order of first appearance; a Dask read: vocabulary rows, and one id after them that every
dropped token shares). Training and pooling work on *vocabulary rows* (``wv_``'s rows, most
frequent word first). Pooling a subword model's documents adds *extra columns* after the
vocabulary, one per corpus word outside it that has a vector from its character n-grams.

:class:`IdMap` is the only table from the first space to the others; it is built here and
nowhere else, and every function that reads encoded ids takes one.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd


@dataclass(frozen=True)
class IdMap:
    """Corpus id -> vocabulary row, or -1 for a token outside the vocabulary.

    Attributes
    ----------
    rows : ndarray of shape (n_corpus_ids,), dtype int32
        The row of each corpus id; -1: not in the vocabulary (not trained, not pooled). With
        :meth:`with_extra_columns`, also ``n_rows + k`` for the ``k``-th extra column.
    n_rows : int
        Vocabulary size: the rows are ``0 .. n_rows - 1``.
    n_columns : int
        Columns of a pooled count matrix: ``n_rows`` plus the extra columns.
    """

    rows: np.ndarray
    n_rows: int
    n_columns: int

    def __post_init__(self):
        rows = self.rows
        if rows.dtype != np.int32 or rows.ndim != 1:
            raise ValueError("IdMap.rows must be a 1-D int32 array")
        if rows.size and (rows.min() < -1 or rows.max() >= self.n_columns):
            raise ValueError(f"IdMap.rows holds values outside [-1, {self.n_columns})")

    @classmethod
    def from_rows(cls, rows, n_rows: int) -> IdMap:
        """The map giving corpus id ``i`` the row ``rows[i]`` (-1: outside)."""
        return cls(np.asarray(rows, dtype=np.int32), int(n_rows), int(n_rows))

    @classmethod
    def by_word(cls, corpus_words, vocabulary_words) -> IdMap:
        """Corpus ids named by ``corpus_words`` mapped to the row of the same word in
        ``vocabulary_words`` (-1 where it has none)."""
        rows = pd.Index(list(vocabulary_words), dtype=object).get_indexer(
            pd.Index(list(corpus_words), dtype=object))
        return cls.from_rows(rows, len(vocabulary_words))

    @classmethod
    def rows_then_dropped(cls, n_rows: int) -> IdMap:
        """Corpus ids that are vocabulary rows already, and ``n_rows`` for every token outside
        the vocabulary (the ids of :func:`skw2v.dask.fit`'s encoded partitions)."""
        rows = np.append(np.arange(n_rows, dtype=np.int32), np.int32(-1))
        return cls.from_rows(rows, n_rows)

    def reordered(self, new_row_of_row) -> IdMap:
        """The same map after the vocabulary's rows moved: row ``r`` becomes
        ``new_row_of_row[r]``."""
        new_row_of_row = np.asarray(new_row_of_row, dtype=np.int32)
        rows = np.where(self.rows >= 0, new_row_of_row[np.maximum(self.rows, 0)], -1)
        return IdMap.from_rows(rows, int(new_row_of_row.shape[0]))

    def with_extra_columns(self, corpus_ids) -> IdMap:
        """The map that also gives each of ``corpus_ids`` (ids outside the vocabulary) a
        column after the vocabulary, in the order given."""
        corpus_ids = np.asarray(corpus_ids, dtype=np.int64)
        if corpus_ids.size and np.any(self.rows[corpus_ids] >= 0):
            raise ValueError("with_extra_columns takes ids outside the vocabulary only")
        rows = self.rows.copy()
        rows[corpus_ids] = self.n_columns + np.arange(corpus_ids.shape[0], dtype=np.int32)
        return IdMap(rows, self.n_rows, self.n_columns + int(corpus_ids.shape[0]))

    def outside(self) -> np.ndarray:
        """The corpus ids outside the vocabulary (and outside any extra column)."""
        return np.flatnonzero(self.rows < 0)
