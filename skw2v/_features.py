"""The input features of a classifier's documents, as fastText's ``Dictionary::getLine``.

A document's features are the input rows its tokens give (a known word's own row; with
``char_ngram_range``, the rows of the character n-grams of every token, known or not) and one
row per word n-gram of 2 to ``word_ngrams`` consecutive tokens (known or not), hashed with
fastText's word hash into ``n_buckets`` buckets. Character and word n-grams share the buckets,
as in fastText, so a fastText model file maps onto this layout one to one.

A model keeps rows only for the buckets its training documents reached (``kept_buckets``,
sorted); a feature in any other bucket counts as a zero row in a document's mean (it was
never trained: fastText would give it a small random row). A model read from a quantized
fastText file whose dictionary was pruned drops such features instead (``pruned``), as
fastText does.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from . import _kernels_supervised as kernels
from ._subwords import byte_table, ngram_buckets, utf8


def token_hashes(tokens):
    """fastText's word hash of each token (int64 holding the signed 32-bit value)."""
    return kernels.token_hashes(*byte_table(map(utf8, tokens)))


@dataclass(frozen=True)
class FeatureSpace:
    """Where a classifier's features live in its input matrix.

    Rows ``0..n_words - 1`` are the words; row ``n_words + i`` is the bucket
    ``kept_buckets[i]`` (every bucket in order when ``kept_buckets`` is None).
    """

    n_words: int
    word_ngrams: int
    char_ngram_range: tuple | None
    n_buckets: int
    kept_buckets: np.ndarray | None
    pruned: bool = False
    row_weight: np.ndarray | None = None  # each input row's weight, then a -1 row's
    sublinear_tf: bool = False  # a feature k times in a document weighs 1 + log(k), not k
    norm: str = "l1"  # a document's weighted sum over the weights' sum ("l1") or L2 norm
    _table: list = field(default_factory=list, compare=False, repr=False)

    def __getstate__(self):
        state = dict(self.__dict__)
        state["_table"] = []  # rebuilt on first use
        return state

    def __setstate__(self, state):
        self.__dict__.update(state)

    @property
    def n_bucket_rows(self) -> int:
        return self.n_buckets if self.kept_buckets is None else int(self.kept_buckets.size)

    @property
    def uses_buckets(self) -> bool:
        return self.word_ngrams > 1 or self.char_ngram_range is not None

    def bucket_table(self):
        """The row (after the words) of every bucket, -1 for none: int32, ``n_buckets``
        long (built once, not pickled)."""
        if not self.uses_buckets:
            return np.full(1, -1, dtype=np.int32)
        if not self._table:
            table = np.full(self.n_buckets, -1, dtype=np.int32)
            if self.kept_buckets is None:
                table[:] = np.arange(self.n_buckets, dtype=np.int32)
            else:
                table[self.kept_buckets] = np.arange(self.kept_buckets.size, dtype=np.int32)
            self._table.append(table)
        return self._table[0]

    def tables(self, tokens, own_rows, hashes=None, char_ngrams=None) -> kernels.FeatureTables:
        """The kernels' :class:`~skw2v._kernels_supervised.FeatureTables` of the units
        ``tokens`` (distinct tokens, as str), whose word rows are ``own_rows`` (-1 for an
        unknown token). ``hashes`` (their word hashes) and ``char_ngrams`` (their
        ``ngram_buckets``) are computed here unless the caller has them already (``tokens``
        may then be None)."""
        own_rows = np.asarray(own_rows, dtype=np.int64)
        n_units = own_rows.shape[0]
        if hashes is None:
            hashes = (token_hashes(tokens) if self.word_ngrams > 1
                      else np.zeros(n_units, dtype=np.int64))
        table = self.bucket_table()
        has_own = own_rows >= 0
        if self.char_ngram_range is not None:
            char_offsets, buckets = (ngram_buckets(tokens, self.char_ngram_range,
                                                   self.n_buckets)
                                     if char_ngrams is None else char_ngrams)
            char_rows = table[buckets].astype(np.int64)
            keep = char_rows >= 0 if self.pruned else np.ones(char_rows.shape[0], dtype=bool)
            char_rows = np.where(char_rows >= 0, self.n_words + char_rows, -1)
            owner = np.repeat(np.arange(n_units), np.diff(char_offsets))
            n_char = np.bincount(owner[keep], minlength=n_units).astype(np.int64)
            char_rows = char_rows[keep]
        else:
            n_char = np.zeros(n_units, dtype=np.int64)
            char_rows = np.zeros(0, dtype=np.int64)
        lengths = has_own.astype(np.int64) + n_char
        unit_offsets = np.zeros(n_units + 1, dtype=np.int64)
        np.cumsum(lengths, out=unit_offsets[1:])
        unit_rows = np.empty(unit_offsets[-1], dtype=np.int64)
        starts = unit_offsets[:-1]
        unit_rows[starts[has_own]] = own_rows[has_own]
        if char_rows.size:
            first = starts + has_own
            within = np.arange(char_rows.size) - np.repeat(np.cumsum(n_char) - n_char, n_char)
            unit_rows[np.repeat(first, n_char) + within] = char_rows
        return kernels.FeatureTables(unit_offsets, unit_rows, hashes, table,
                                     int(self.word_ngrams), int(self.n_buckets),
                                     int(self.n_words), bool(self.pruned), False,
                                     _row_weights(self.row_weight), bool(self.sublinear_tf),
                                     self.norm == "l2")


def concatenated(first, *others) -> kernels.FeatureTables:
    """The tables of ``first``'s units, then of each of ``others`` (numbered on after)."""
    offsets, rows, hashes = [first.unit_offsets], [first.unit_rows], [first.hashes]
    n_rows = first.unit_offsets[-1]
    for tables in others:
        offsets.append(tables.unit_offsets[1:] + n_rows)
        n_rows += tables.unit_offsets[-1]
        rows.append(tables.unit_rows)
        hashes.append(tables.hashes)
    return first._replace(unit_offsets=np.concatenate(offsets),
                          unit_rows=np.concatenate(rows), hashes=np.concatenate(hashes))


def _row_weights(row_weight):
    return np.zeros(0, dtype=np.float32) if row_weight is None else row_weight


def direct_tables(row_weight=None, sublinear_tf=False, norm="l1") -> kernels.FeatureTables:
    """Tables for documents given as their input rows (see
    :func:`skw2v._kernels_supervised.document_rows`), weighted by ``row_weight`` (and
    ``sublinear_tf`` and ``norm``, see :class:`FeatureSpace`)."""
    empty = np.zeros(1, dtype=np.int64)
    return kernels.FeatureTables(empty, empty, empty, np.full(1, -1, dtype=np.int32), 1, 1,
                                 0, False, True, _row_weights(row_weight), bool(sublinear_tf),
                                 norm == "l2")


def reached_buckets(encoded, id_map, hashes, char_buckets, word_ngrams, n_buckets,
                    extra=None):
    """The sorted buckets a training corpus reaches: the character n-grams of its tokens
    (``char_buckets``, or None), its word n-grams (one pass over the chunks of the
    :class:`~skw2v._corpus.EncodedCorpus` ``encoded``, whose raw ids index ``hashes``) and
    ``extra`` buckets (a subword ``init``'s)."""
    mark = np.zeros(n_buckets, dtype=np.bool_)
    if char_buckets is not None:
        mark[char_buckets] = True
    if extra is not None:
        mark[extra] = True
    if word_ngrams > 1:
        for ids, offsets, _ in encoded.chunks(id_map):
            kernels.mark_word_ngrams(ids, offsets, hashes, int(word_ngrams), int(n_buckets),
                                     mark)
    return np.flatnonzero(mark).astype(np.int64)
