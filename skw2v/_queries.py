"""The machinery of ``WordVectors``' queries, as plain functions over arrays and the vectors.

The parsing of the ``positive``/``negative`` items of a query, the top-k selection, the
inverse norms of the rows and the helpers of the error messages and deep copies. It never
imports ``word_vectors``: the vectors object ``wv`` is passed in.
"""

from __future__ import annotations

import copy
import reprlib
from collections.abc import Iterable

import numpy as np

from ._io.common import check_finite


def inverse_norms(vectors: np.ndarray) -> np.ndarray:
    """One over the length of each row of ``vectors``, 0 for a zero row (float32)."""
    # float64 sums, accumulated by einsum in small buffers (no full-size temporary)
    squares = np.einsum("ij,ij->i", vectors, vectors, dtype=np.float64)
    norms = np.sqrt(squares)
    inverse = np.divide(1.0, norms, out=np.zeros_like(norms), where=norms > 0)
    return inverse.astype(np.float32)


def query_items(wv, items, name) -> list[tuple[np.ndarray, int | None]]:
    """The items of ``positive`` or ``negative`` (``name``) as (unit vector, row of the
    word or None for a vector).

    ``items`` is None, a word, a 1-D vector or an iterable of words and vectors. Anything
    else is a TypeError naming the item ("positive[1] is int 5; expected ..."); a numeric
    vector of the wrong shape, or one holding NaN or infinity, a ValueError.
    """
    if items is None:
        return []
    single = (isinstance(items, (str, bytes, bytearray)) or not isinstance(items, Iterable)
              or (isinstance(items, np.ndarray) and items.ndim <= 1))
    if single:
        return [_query_item(wv, items, name, ", or a list of them")]
    return [_query_item(wv, item, f"{name}[{i}]", "") for i, item in enumerate(items)]


def word_unit(wv, word, label) -> tuple[np.ndarray, int | None]:
    """Unit vector of the query word ``word`` (the argument ``label``) and its row, None
    for a word outside the vocabulary that a subword model composes from n-grams."""
    if wv._subwords is not None and isinstance(word, str) and word not in wv:
        vector = wv._compose([word], [-1])[0]
        norm = np.linalg.norm(vector)
        if norm == 0:
            raise KeyError(f"Word {word!r} is not in the vocabulary and none of its "
                           "character n-grams has a vector.")
        return vector / norm, None
    row = wv._row(word, label)
    return wv._unit_rows(row), row


def _query_item(wv, item, label, or_list) -> tuple[np.ndarray, int | None]:
    if isinstance(item, str):
        return word_unit(wv, item, label)
    try:
        vector = np.asarray(item)
    except ValueError:  # a ragged nested list
        vector = None
    if (vector is None or vector.ndim == 0 or vector.dtype.kind not in "iuf"
            or isinstance(item, (bytes, bytearray))):
        comma = "," if or_list else " or"
        raise TypeError(f"{label} is {describe(item)}; expected a word (str){comma} a 1-D "
                        f"vector of length {wv.vector_size}{or_list}.")
    if vector.shape != (wv.vector_size,):
        raise ValueError(f"The query vector {label} must have shape ({wv.vector_size},), "
                         f"got {vector.shape}.")
    with np.errstate(over="ignore"):  # beyond the float32 range: inf, reported below
        vector = vector.astype(np.float32)
    check_finite(vector[None], lambda row: f"The query vector {label}",
                 "Pass a vector of finite numbers.")
    norm = np.linalg.norm(vector)
    return (vector / norm if norm > 0 else vector), None


def check_topn(topn):
    if not isinstance(topn, (int, np.integer)) or isinstance(topn, bool) or topn < 1:
        raise ValueError(f"topn must be a positive int, got {topn!r}.")


def top(index_to_word, scores: np.ndarray, topn: int,
        exclude: set) -> list[tuple[str, float]]:
    """The ``topn`` best (word, score) of ``scores`` (one per row), rows in ``exclude`` left
    out."""
    n = scores.shape[0]
    k = min(n, topn + len(exclude))
    if k < n:
        candidates = np.argpartition(-scores, k - 1)[:k]
    else:
        candidates = np.arange(n)
    # Highest score first; ties broken by row (frequency order).
    candidates = candidates[np.lexsort((candidates, -scores[candidates]))]
    result = []
    for row in candidates:
        if int(row) in exclude:
            continue
        result.append((index_to_word[row], float(scores[row])))
        if len(result) == topn:
            break
    return result


def shared_or_copied(value, memo):
    """``value`` itself if it is an array that nobody can change, else its deep copy."""
    array = value
    while isinstance(array, np.ndarray) and not array.flags.writeable:
        array = array.base
    if isinstance(value, np.ndarray) and not isinstance(array, np.ndarray):
        return value  # read-only all the way down (an owned array, or a read-only map)
    return copy.deepcopy(value, memo)


def describe(value) -> str:
    """The type and a shortened repr of ``value``, for error messages: "int 5"."""
    return f"{type(value).__name__} {reprlib.repr(value)}"
