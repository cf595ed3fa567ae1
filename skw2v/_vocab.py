"""Vocabulary: which words are kept, in which order, and the tables derived from their counts.

Everything here is plain NumPy or calls a kernel of :mod:`skw2v._kernels` with validated
arrays; nothing depends on the estimator.
"""

from dataclasses import dataclass

import numpy as np

from . import _kernels
from ._ids import IdMap

_TWO_POW_32 = 2**32


@dataclass(frozen=True)
class Vocabulary:
    """The kept words, most frequent first, and their counts.

    Attributes
    ----------
    words : list of str
        Kept words sorted by descending count; ties in reverse order of first appearance.
    counts : ndarray of shape (n_words,), dtype int64
        Corpus count of each kept word.
    """

    words: list
    counts: np.ndarray


def build_vocabulary(raw_words, raw_counts, *, min_count, max_vocab_size, pretrained=None,
                     pretrained_only=False):
    """Keep words seen at least ``min_count`` times, then the ``max_vocab_size`` most frequent.

    Parameters
    ----------
    raw_words : list of str
        Distinct words in order of first appearance.
    raw_counts : ndarray of shape (len(raw_words),), dtype int64
        Count of each word.
    min_count : int
        Words with a lower count are dropped.
    max_vocab_size : int or None
        Keep at most this many words (the most frequent); None keeps all. Pretrained words
        do not count against it.
    pretrained : list of str, default=None
        Words that are always kept, whatever their count (0 when the corpus lacks them).
    pretrained_only : bool, default=False
        Keep only the ``pretrained`` words.

    Returns
    -------
    vocabulary : Vocabulary
        Words sorted by descending corpus count, ties in reverse order of first appearance
        (gensim 4's order); pretrained words missing from the corpus last, in their own
        order. ``max_vocab_size`` keeps the most frequent words, ties by first appearance.
    ids : IdMap
        The row of each raw (first-appearance) id, -1 for a dropped word.
    """
    raw_counts = np.asarray(raw_counts, dtype=np.int64)
    n_raw = len(raw_words)
    words = list(raw_words)
    counts = raw_counts
    is_pretrained = np.zeros(n_raw, dtype=bool)
    if pretrained is not None:
        raw_index = {word: i for i, word in enumerate(raw_words)}
        extra = [word for word in pretrained if word not in raw_index]
        words += extra
        counts = np.concatenate([raw_counts, np.zeros(len(extra), dtype=np.int64)])
        is_pretrained = np.concatenate([is_pretrained, np.ones(len(extra), dtype=bool)])
        is_pretrained[[raw_index[word] for word in pretrained if word in raw_index]] = True
    # Which words: the most frequent, ties by first appearance (a stable sort on the negated
    # counts), as gensim's max_final_vocab picks them.
    ranked = np.argsort(-counts, kind="stable")
    new = ranked[~is_pretrained[ranked] & (counts[ranked] >= min_count)]
    if pretrained_only:
        new = new[:0]
    if max_vocab_size is not None:
        new = new[:max_vocab_size]
    keep = is_pretrained.copy()
    keep[new] = True
    kept = np.flatnonzero(keep)
    # Their order: gensim 4's (KeyedVectors.sort_by_descending_frequency), descending count
    # with ties in reverse order of first appearance, so that the vocabulary and the Huffman
    # tree built on it are gensim's. Pretrained words missing from the corpus (count 0) come
    # last, in their own order.
    tie = np.where(counts[kept] > 0, -kept, kept)
    order = kept[np.lexsort((tie, -counts[kept]))]
    position = np.full(len(words), -1, dtype=np.int32)
    position[order] = np.arange(order.shape[0], dtype=np.int32)
    return (Vocabulary(words=[words[i] for i in order], counts=counts[order]),
            IdMap.from_rows(position[:n_raw], order.shape[0]))


def keep_probabilities(counts, sample):
    """Probability of keeping each occurrence of a word under frequent-word subsampling.

    The formula of the word2vec C tool and gensim: with ``t = sample * counts.sum()``, a word
    seen ``c`` times is kept with probability ``min(1, (sqrt(c / t) + 1) * t / c)``.
    ``sample=0`` keeps everything.

    Parameters
    ----------
    counts : ndarray of shape (n_words,)
        Word counts, all positive.
    sample : float
        Threshold as a fraction of the corpus, in ``[0, 1)``.

    Returns
    -------
    ndarray of shape (n_words,), dtype float64
    """
    counts = np.asarray(counts, dtype=np.float64)
    if sample == 0 or counts.size == 0:
        return np.ones_like(counts)
    threshold = sample * counts.sum()
    # A word absent from the corpus (a pretrained word) is never drawn: keep it (probability 1).
    seen = np.maximum(counts, 1.0)
    return np.where(counts > 0,
                    np.minimum(1.0, (np.sqrt(seen / threshold) + 1.0) * threshold / seen), 1.0)


def keep_thresholds(probabilities):
    """32-bit thresholds the subsampling kernel compares random bits with (``2**32``: keep)."""
    scaled = np.floor(np.asarray(probabilities, dtype=np.float64) * _TWO_POW_32)
    return np.minimum(scaled, _TWO_POW_32).astype(np.uint64)


def noise_distribution(counts, ns_exponent):
    """The negative-sampling distribution: ``counts ** ns_exponent``, normalised."""
    counts = np.asarray(counts, dtype=np.float64)
    with np.errstate(over="ignore", under="ignore", divide="ignore"):
        # Words absent from the corpus (pretrained ones) are never negatives.
        weights = np.where(counts > 0, np.maximum(counts, 1.0) ** ns_exponent, 0.0)
        total = weights.sum()
    if not np.isfinite(total) or total <= 0:
        raise ValueError(
            f"ns_exponent={ns_exponent} makes the noise distribution degenerate: the counts "
            "raised to it overflow or vanish in float64. Use a value near 0.75 (e.g. in "
            "[-1, 1])."
        )
    return weights / total


def alias_table(probabilities):
    """Alias table ``(threshold, alias)`` drawing from ``probabilities`` in O(1) per draw."""
    probabilities = np.ascontiguousarray(probabilities, dtype=np.float64)
    if probabilities.ndim != 1 or probabilities.size == 0:
        raise ValueError("alias_table needs a non-empty 1-D array of probabilities.")
    if not np.all(np.isfinite(probabilities)) or np.any(probabilities < 0):
        raise ValueError("alias_table needs finite, non-negative probabilities.")
    if probabilities.sum() <= 0:
        raise ValueError("alias_table needs probabilities with a positive sum, got all zeros.")
    n = probabilities.shape[0]
    threshold = np.empty(n, dtype=np.uint64)
    alias = np.arange(n, dtype=np.int32)
    _kernels.build_alias_table(probabilities / probabilities.sum() * n, threshold, alias,
                               np.empty(n, dtype=np.int64), np.empty(n, dtype=np.int64))
    return threshold, alias


def huffman_tree(counts):
    """Huffman codes and inner-node paths of a vocabulary sorted by descending count.

    Returns
    -------
    codes : ndarray of dtype uint8
        Code bits of all words, concatenated.
    points : ndarray of dtype int32
        Inner node (row of the hierarchical-softmax output matrix) at each code bit; the root
        is ``n_words - 2``.
    offsets : ndarray of shape (n_words + 1,), dtype int64
        Word ``w`` owns ``codes[offsets[w]:offsets[w + 1]]``.
    """
    counts = np.ascontiguousarray(counts, dtype=np.int64)
    if counts.ndim != 1 or counts.size == 0:
        raise ValueError("huffman_tree needs a non-empty 1-D array of counts.")
    if np.any(counts <= 0) or np.any(np.diff(counts) > 0):
        raise ValueError("huffman_tree needs positive counts sorted in descending order.")
    return _kernels.build_huffman_tree(counts)
