"""The rows of a subword model (fastText's): a word's vector is the mean of its own row and
the rows of its character n-gram buckets, composed here."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from typing import NamedTuple

import numpy as np

from . import _kernels, _subwords
from ._threads import resolve_n_threads

#: Words composed per thread at least, when a subword model composes many at once.
_WORDS_PER_THREAD = 50_000


class SubwordTable(NamedTuple):
    """The read-only rows of a subword model and its n-gram settings."""

    word_rows: np.ndarray
    ngram_vectors: np.ndarray
    ngram_buckets: np.ndarray | None
    char_ngram_range: tuple[int, int]
    n_buckets: int


def checked_table(vectors_vocab, vectors_ngrams, *, char_ngram_range, n_buckets,
                  ngram_buckets) -> SubwordTable:
    """The arguments of ``WordVectors.from_subwords`` as a SubwordTable of float32 arrays
    (copies), their shapes, ranges and buckets checked; not yet their values."""
    minn, maxn = _subwords.check_ngram_range(char_ngram_range)
    if (not isinstance(n_buckets, (int, np.integer)) or isinstance(n_buckets, bool)
            or n_buckets < 1):
        raise ValueError(f"n_buckets must be a positive int, got {n_buckets!r}.")
    word_rows = _float32_matrix(vectors_vocab, "vectors_vocab")
    ngram_vectors = _float32_matrix(vectors_ngrams, "vectors_ngrams")
    if ngram_vectors.shape[1] != word_rows.shape[1]:
        raise ValueError(f"vectors_ngrams has {ngram_vectors.shape[1]} columns and "
                         f"vectors_vocab {word_rows.shape[1]}; they must be equal.")
    if ngram_buckets is not None:
        ngram_buckets = np.asarray(ngram_buckets)
        if ngram_buckets.ndim != 1 or ngram_buckets.dtype.kind not in "iu":
            raise ValueError("ngram_buckets must be a 1-D array of ints.")
        ngram_buckets = ngram_buckets.astype(np.int64)
        if ngram_buckets.shape[0] != ngram_vectors.shape[0]:
            raise ValueError(f"ngram_buckets lists {ngram_buckets.shape[0]} buckets for "
                             f"{ngram_vectors.shape[0]} rows of vectors_ngrams.")
        if ngram_buckets.size and (ngram_buckets[0] < 0 or ngram_buckets[-1] >= n_buckets
                                   or np.any(np.diff(ngram_buckets) <= 0)):
            raise ValueError(f"ngram_buckets must be strictly increasing bucket ids in "
                             f"[0, n_buckets={n_buckets}).")
    elif ngram_vectors.shape[0] != n_buckets:
        raise ValueError(f"vectors_ngrams has {ngram_vectors.shape[0]} rows for "
                         f"n_buckets={n_buckets}; give one row per bucket, or the bucket "
                         "of each row as ngram_buckets.")
    return SubwordTable(word_rows, ngram_vectors, ngram_buckets, (minn, maxn), int(n_buckets))


def _float32_matrix(value, name):
    try:
        array = np.asarray(value)
        if array.dtype.kind not in "iuf":
            raise TypeError(f"{name} holds {array.dtype} values")
        with np.errstate(over="ignore"):
            array = np.ascontiguousarray(array, dtype=np.float32)
    except (TypeError, ValueError) as error:
        raise TypeError(f"{name} must be an array of real numbers ({error}).") from None
    if array.ndim != 2:
        raise ValueError(f"{name} must be 2-D, got shape {array.shape}.")
    return array.copy() if np.shares_memory(array, np.asarray(value)) else array


def compose(table: SubwordTable, words, word_rows) -> np.ndarray:
    """Vectors of ``words`` (str), given the own row of each (-1: unseen)."""
    offsets, buckets = _subwords.ngram_buckets(words, table.char_ngram_range, table.n_buckets)
    rows = _subwords.bucket_rows(buckets, table.ngram_buckets)
    word_rows = np.asarray(word_rows, dtype=np.int64)
    out = np.empty((len(words), table.word_rows.shape[1]), dtype=np.float32)

    def compose_rows(start, stop):
        _kernels.subword_means(table.word_rows, table.ngram_vectors, word_rows[start:stop],
                               offsets[start:stop + 1], rows, out[start:stop])

    # Composing a whole vocabulary reads most of the n-gram table: one thread per core
    # (the kernel releases the GIL) for the first query of a large pretrained model.
    n_threads = min(resolve_n_threads(-1), max(len(words) // _WORDS_PER_THREAD, 1))
    if n_threads == 1:
        compose_rows(0, len(words))
    else:
        bounds = np.linspace(0, len(words), n_threads + 1).astype(np.int64)
        with ThreadPoolExecutor(max_workers=n_threads) as pool:
            list(pool.map(compose_rows, bounds[:-1], bounds[1:]))
    return out
