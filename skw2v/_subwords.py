"""Character n-grams of words, hashed to buckets exactly as fastText does, and the row layout
of a subword model.

A subword model's input matrix holds one row per vocabulary word followed by one row per
n-gram bucket it keeps. A model trained here keeps only the buckets its vocabulary's n-grams
hash to (a 2,000,000-bucket model of a 50,000-word corpus uses a few hundred thousand): the
other buckets were never trained, and a word's vector counts them as zero rows. A model read
from a fastText ``.bin`` keeps all its buckets.
"""

import numpy as np

from . import _kernels

#: fastText's end-of-line token: ``Dictionary::getSubwords`` gives it no n-grams, so its
#: vector is its own row (a fastText ``.bin`` holds it as a word).
EOS = "</s>"

#: The most buckets a model may have: fastText's files store the count as a 32-bit int.
MAX_BUCKETS = 2**31 - 1
#: The longest character n-gram an estimator trains. A token of ``L`` characters has up to
#: ``L * (max_n - min_n + 1)`` n-grams, so the bound keeps the work and memory of one token
#: linear in its length (fastText uses up to 6; a 200,000-character token at ``(1, 64)``
#: has 12.8 million n-gram ids, 100 MiB).
MAX_NGRAM_LENGTH = 64


def check_ngram_range(char_ngram_range):
    """``(min_n, max_n)`` as ints, or a ValueError naming the value."""
    try:
        minn, maxn = char_ngram_range
        ok = all(isinstance(n, (int, np.integer)) and not isinstance(n, bool)
                 for n in (minn, maxn)) and 1 <= minn <= maxn
    except (TypeError, ValueError):
        ok = False
    if not ok:
        raise ValueError(f"char_ngram_range must be a pair of ints (min_n, max_n) with 1 <= "
                         f"min_n <= max_n, such as (3, 6); got {char_ngram_range!r}.")
    return int(minn), int(maxn)


def check_trained_ngram_range(char_ngram_range):
    """:func:`check_ngram_range` of an estimator's ``char_ngram_range``, whose ``max_n`` is
    also at most :data:`MAX_NGRAM_LENGTH` (a loaded model keeps the range it has)."""
    minn, maxn = check_ngram_range(char_ngram_range)
    if maxn > MAX_NGRAM_LENGTH:
        raise ValueError(f"char_ngram_range={char_ngram_range!r}: max_n must be at most "
                         f"{MAX_NGRAM_LENGTH}. A token of L characters has up to L x (max_n - "
                         f"min_n + 1) n-grams, so longer n-grams cost time and memory for "
                         f"nothing they add; fastText's choice is (3, 6).")
    return minn, maxn


def utf8(word):
    """The bytes fastText hashes for ``word``: its UTF-8, and for a word read from a file
    with bytes that do not decode (``surrogateescape``), those original bytes."""
    try:
        return word.encode("utf-8", "surrogateescape")
    except UnicodeEncodeError:
        return word.encode("utf-8", "surrogatepass")


def ngram_buckets(words, char_ngram_range, n_buckets):
    """Bucket ids of the character n-grams of each word of ``words`` (fastText's
    ``Dictionary::computeSubwords`` on ``"<" + word + ">"``; none for ``"</s>"``, as
    ``Dictionary::getSubwords``).

    Returns ``(offsets, buckets)``, int64: word ``i`` has ``buckets[offsets[i]:offsets[i +
    1]]``.
    """
    minn, maxn = char_ngram_range
    data, word_offsets = byte_table(b"" if word == EOS else b"<" + utf8(word) + b">"
                                    for word in words)
    return char_ngram_buckets(data, word_offsets, minn, maxn, n_buckets)


def char_ngram_buckets(data, word_offsets, minn, maxn, n_buckets):
    """``(offsets, buckets)``, int64: the n-gram buckets of the bracketed words of a
    :func:`byte_table` (a count pass, then a fill pass of the one kernel)."""
    n_words = word_offsets.shape[0] - 1
    offsets = np.zeros(n_words + 1, dtype=np.int64)
    args = (data, word_offsets, int(minn), int(maxn), int(n_buckets))
    _kernels.char_ngram_buckets(*args, offsets, np.empty(0, dtype=np.int64), False)
    np.cumsum(offsets, out=offsets)
    buckets = np.empty(int(offsets[-1]), dtype=np.int64)
    _kernels.char_ngram_buckets(*args, offsets, buckets, True)
    return offsets, buckets


def byte_table(encoded):
    """``(data, offsets)``: byte strings concatenated (uint8) and where each starts and ends
    (``len + 1`` int64 offsets), as the kernels read them."""
    encoded = list(encoded)
    offsets = np.zeros(len(encoded) + 1, dtype=np.int64)
    np.cumsum(np.fromiter(map(len, encoded), dtype=np.int64, count=len(encoded)),
              out=offsets[1:])
    return np.frombuffer(b"".join(encoded), dtype=np.uint8), offsets


def bucket_rows(buckets, kept_buckets):
    """Row in the n-gram table of each bucket of ``buckets``, -1 where the table has no row
    for it. ``kept_buckets`` is the sorted bucket id of each table row, or None when the table
    holds every bucket (row = bucket)."""
    if kept_buckets is None:
        return buckets.copy()
    if kept_buckets.size == 0:
        return np.full(buckets.shape, -1, dtype=np.int64)
    rows = np.searchsorted(kept_buckets, buckets)
    rows = np.minimum(rows, kept_buckets.size - 1)
    return np.where(kept_buckets[rows] == buckets, rows, -1)


def input_rows(n_words, offsets, rows):
    """The training layout: each word's input rows, its own row ``w`` first, then its n-gram
    rows shifted past the word rows (``n_words + row``); ``rows`` must hold no -1.

    Returns ``(sub_offsets, sub_rows)`` for :class:`skw2v._kernels.Subwords`.
    """
    lengths = np.diff(offsets) + 1
    sub_offsets = np.zeros(n_words + 1, dtype=np.int64)
    np.cumsum(lengths, out=sub_offsets[1:])
    sub_rows = np.empty(sub_offsets[-1], dtype=np.int64)
    own = np.zeros(sub_rows.shape[0], dtype=bool)
    own[sub_offsets[:-1]] = True
    sub_rows[own] = np.arange(n_words)
    sub_rows[~own] = n_words + rows
    return sub_offsets, sub_rows
