"""The Numba kernels of the supervised classifier (fastText's ``supervised`` model).

A document is the mean of its *input rows* (Joulin et al. 2016, "Bag of Tricks for Efficient
Text Classification"): one row per token (the word's own row, then the rows of its character
n-grams, as :mod:`skw2v._subwords` hashes them), then one row per word n-gram of 2 to
``word_ngrams`` consecutive tokens, hashed as fastText's ``Dictionary::addWordNgrams``. The
linear output layer on that mean is trained with softmax, negative sampling, hierarchical
softmax or one-vs-all logistic losses, and the error goes back to every input row, divided by
their number (fastText's ``Model::update``).

Like :mod:`skw2v._kernels`, kernels take arrays and scalars only (grouped in namedtuples),
trust their inputs (checked in Python first) and are compiled with the one flag set of
:mod:`skw2v._config`. Tokens are *units*: rows of a table (``FeatureTables``) giving each
distinct token its input rows (``unit_offsets``/``unit_rows``; -1 for a row that counts as
zero) and its fastText word hash, so the same kernels serve training (units are the corpus's
raw ids) and prediction (units are a batch's distinct tokens).
"""

from collections import namedtuple

import numpy as np
from numba import njit

from ._config import NUMBA_FLAGS
from ._kernels import _below, _draw_alias, _xorshift, prefetch_line
from ._kernels_tokens import fasttext_hash

#: fastText's multiplier when it folds the word hashes of a word n-gram (``addWordNgrams``).
NGRAM_MULTIPLIER = np.uint64(116049371)

SOFTMAX, NEGATIVE_SAMPLING, HIERARCHICAL_SOFTMAX, ONE_VS_ALL = 0, 1, 2, 3

#: How many rows ahead of the one it adds the mean of a document's rows prefetches (on
#: 20 Newsgroups the epochs take 15-20% less time; the update then finds the rows cached).
_PREFETCH_AHEAD = 16

_ONE32 = np.float32(1.0)
_ZERO32 = np.float32(0.0)

# The groups of arguments (see skw2v._supervised, which builds them):
#   FeatureTables  how a unit (token) becomes input rows; the word n-gram buckets' rows
#                  (bucket_rows[b]: the row of bucket b after the word rows, -1 for none)
#                  and whether a bucket without a row counts as a zero row (False) or is
#                  left out (True: a dictionary pruned by fastText's quantization); with
#                  ``direct``, the "tokens" are the input rows themselves (documents whose
#                  rows were computed once, by document_rows); ``row_weight``: the fixed
#                  weight of each input row in a document's mean, then that of a -1 row
#                  (empty: the plain mean); ``sublinear``: a row held k times in a
#                  document weighs 1 + log(k) times its weight, not k times; ``l2``: the
#                  weighted sum is divided by the L2 norm of the weights, not their sum;
#   SupervisedWeights  syn0 (input rows: words, then buckets), out (output layer) and the
#                  lock factor of each input row (0 freezes it);
#   LossTables     the loss, its negative-sampling table and Huffman paths (hs), the
#                  weights of positive and negative one-vs-all terms of each label, and the
#                  weight decay of the output rows (each step shrinks the rows it updates
#                  by 1 - learning rate x weight_decay);
#   Documents      the documents of one call: tokens (units) and offsets of a chunk, the
#                  order and range [start, end) of them to train, the targets of each
#                  document, its weight, the learning rate at start and end, a seed.
FeatureTables = namedtuple("FeatureTables", ["unit_offsets", "unit_rows", "hashes",
                                             "bucket_rows", "word_ngrams", "n_buckets",
                                             "n_words", "pruned", "direct", "row_weight",
                                             "sublinear", "l2"])
SupervisedWeights = namedtuple("SupervisedWeights", ["syn0", "out", "lock_factor"])
LossTables = namedtuple("LossTables", ["kind", "negative", "alias_threshold", "alias_index",
                                       "path_offsets", "paths", "codes", "pos_weight",
                                       "neg_weight", "weight_decay"])
Documents = namedtuple("Documents", ["tokens", "offsets", "order", "start", "end", "targets",
                                     "target_offsets", "weight", "alpha_start", "alpha_end",
                                     "seed"])


# --------------------------------------------------------------------------------------------
# Features of a document.
# --------------------------------------------------------------------------------------------
@njit(**NUMBA_FLAGS)
def token_hashes(data, offsets):
    """fastText's hash of each token ``data[offsets[i]:offsets[i + 1]]`` (UTF-8 bytes; see
    :func:`skw2v._kernels_tokens.fasttext_hash`)."""
    n = offsets.shape[0] - 1
    out = np.empty(n, dtype=np.int64)
    for i in range(n):
        out[i] = fasttext_hash(data, offsets[i], offsets[i + 1])
    return out


@njit(**NUMBA_FLAGS)
def _ngram_bucket(h, n_buckets):
    return np.int64(h % np.uint64(n_buckets))


@njit(**NUMBA_FLAGS)
def mark_word_ngrams(tokens, offsets, hashes, word_ngrams, n_buckets, mark):
    """Set ``mark[b]`` for the bucket ``b`` of every word n-gram of the documents."""
    for doc in range(offsets.shape[0] - 1):
        end = offsets[doc + 1]
        for i in range(offsets[doc], end):
            h = np.uint64(hashes[tokens[i]])
            for j in range(i + 1, min(end, i + word_ngrams)):
                h = h * NGRAM_MULTIPLIER + np.uint64(hashes[tokens[j]])
                mark[_ngram_bucket(h, n_buckets)] = True


@njit(**NUMBA_FLAGS)
def _document_rows(tokens, start, end, features, rows):
    """Write the input rows of the document ``tokens[start:end]`` to ``rows``; return their
    number. A row of -1 counts as a zero row. ``rows`` holds :func:`row_capacity` entries."""
    if features.direct:
        for i in range(start, end):
            rows[i - start] = tokens[i]
        return end - start
    unit_offsets, unit_rows, hashes = (features.unit_offsets, features.unit_rows,
                                       features.hashes)
    k = 0
    for i in range(start, end):
        t = tokens[i]
        for j in range(unit_offsets[t], unit_offsets[t + 1]):
            rows[k] = unit_rows[j]
            k += 1
    if features.word_ngrams > 1:
        for i in range(start, end):
            h = np.uint64(hashes[tokens[i]])
            for j in range(i + 1, min(end, i + features.word_ngrams)):
                h = h * NGRAM_MULTIPLIER + np.uint64(hashes[tokens[j]])
                r = features.bucket_rows[_ngram_bucket(h, features.n_buckets)]
                if r >= 0:
                    rows[k] = features.n_words + r
                    k += 1
                elif not features.pruned:
                    rows[k] = -1
                    k += 1
    return k


@njit(**NUMBA_FLAGS)
def _row_bound(tokens, start, end, features):
    """The most input rows the document ``tokens[start:end]`` can have."""
    if features.direct:
        return end - start
    unit_offsets = features.unit_offsets
    n = (end - start) * (features.word_ngrams - 1)
    for i in range(start, end):
        t = tokens[i]
        n += unit_offsets[t + 1] - unit_offsets[t]
    return n


#: The rows of a document are sorted by a least-significant-digit radix sort of this many
#: bits a pass (a 2,048-entry histogram), or by insertion when they are few.
_RADIX_BITS = 11
_RADIX_MASK = (1 << _RADIX_BITS) - 1
_INSERTION_SORT_ROWS = 48


@njit(**NUMBA_FLAGS)
def _radix_passes(n_rows):
    """The radix passes that sort rows ``-1 .. n_rows - 1`` (keys ``row + 1``)."""
    passes = 1
    while (n_rows + 1) >> (passes * _RADIX_BITS) > 0:
        passes += 1
    return passes


@njit(**NUMBA_FLAGS)
def _sort_rows(rows, n, scratch, counts, passes):
    """Sort ``rows[:n]`` (input rows, -1 for a zero row) ascending, in place, with
    ``scratch`` (at least ``n`` entries), ``counts`` (``2**_RADIX_BITS + 1``) and
    ``passes`` from :func:`_radix_passes`. Four times faster than ``np.sort`` on the
    hundreds of rows of a long document; a pass whose digit is the same for every row is
    skipped."""
    if n <= _INSERTION_SORT_ROWS:
        for j in range(1, n):
            v = rows[j]
            k = j
            while k > 0 and rows[k - 1] > v:
                rows[k] = rows[k - 1]
                k -= 1
            rows[k] = v
        return
    shift = 0
    for _ in range(passes):
        for b in range(_RADIX_MASK + 2):
            counts[b] = 0
        for j in range(n):
            counts[((rows[j] + 1) >> shift & _RADIX_MASK) + 1] += 1
        if counts[((rows[0] + 1) >> shift & _RADIX_MASK) + 1] == n:
            shift += _RADIX_BITS
            continue
        for b in range(_RADIX_MASK + 1):
            counts[b + 1] += counts[b]
        for j in range(n):
            b = (rows[j] + 1) >> shift & _RADIX_MASK
            scratch[counts[b]] = rows[j]
            counts[b] += 1
        for j in range(n):
            rows[j] = scratch[j]
        shift += _RADIX_BITS


@njit(**NUMBA_FLAGS)
def row_capacity(tokens, offsets, features):
    """The most input rows a document of ``offsets`` can have (sizes the row buffer)."""
    most = 1
    for doc in range(offsets.shape[0] - 1):
        most = max(most, _row_bound(tokens, offsets[doc], offsets[doc + 1], features))
    return most


@njit(**NUMBA_FLAGS)
def document_rows(tokens, offsets, features, rank, n_ranked):
    """The input rows of every document, computed once, as their *ranks*: ``(rows,
    row_offsets, n_ranked)`` (int32, int64, int).

    ``rank[r]`` (int32, -1 for none yet) is row ``r``'s place in the order in which the
    documents first reach the rows; a row reached the first time gets the rank ``n_ranked``
    (which grows; the new count is returned). Training on ranks keeps the rows of a document
    near each other in memory (its new n-grams side by side), which the epochs read much
    faster than rows in bucket order. Rows of -1 (zero rows) are kept; each document's
    ranks are sorted (its repeats of a row next to each other).
    """
    n_docs = offsets.shape[0] - 1
    bound = 0
    for doc in range(n_docs):
        bound += _row_bound(tokens, offsets[doc], offsets[doc + 1], features)
    rows = np.empty(bound, dtype=np.int32)
    capacity = row_capacity(tokens, offsets, features)
    buffer = np.empty(capacity, dtype=np.int64)
    scratch = np.empty(capacity, dtype=np.int64)
    counts = np.empty(_RADIX_MASK + 2, dtype=np.int64)
    passes = _radix_passes(rank.shape[0])
    row_offsets = np.zeros(n_docs + 1, dtype=np.int64)
    for doc in range(n_docs):
        n = _document_rows(tokens, offsets[doc], offsets[doc + 1], features, buffer)
        for k in range(n):
            r = buffer[k]
            if r >= 0:
                if rank[r] < 0:
                    rank[r] = n_ranked
                    n_ranked += 1
                buffer[k] = rank[r]
        _sort_rows(buffer, n, scratch, counts, passes)
        at = row_offsets[doc]
        for k in range(n):
            rows[at + k] = buffer[k]
        row_offsets[doc + 1] = at + n
    return rows[:row_offsets[n_docs]], row_offsets, n_ranked


@njit(**NUMBA_FLAGS)
def permute_rows(matrix, destination):
    """Move row ``i`` of ``matrix`` to row ``destination[i]``, in place (a permutation)."""
    n, dim = matrix.shape
    done = np.zeros(n, dtype=np.bool_)
    held = np.empty(dim, dtype=matrix.dtype)
    swap = np.empty(dim, dtype=matrix.dtype)
    for start in range(n):
        if done[start]:
            continue
        for d in range(dim):
            held[d] = matrix[start, d]
        i = start
        while True:
            j = destination[i]
            done[i] = True
            if j == start:
                for d in range(dim):
                    matrix[j, d] = held[d]
                break
            for d in range(dim):
                swap[d] = matrix[j, d]
                matrix[j, d] = held[d]
                held[d] = swap[d]
            i = j


@njit(**NUMBA_FLAGS)
def _mean_of_rows(syn0, rows, n, hidden, row_weight, sublinear, l2):
    """``hidden`` = the weighted sum of the ``n`` input rows divided by the sum of their
    weights (a weighted mean), or by the L2 norm of the weights when ``l2`` (as
    ``TfidfTransformer(norm="l2")`` scales a document); returns that divisor (0: no
    weight, ``hidden`` is zero).

    Each run of equal rows (rows sorted: all repeats of a row) weighs the row's fixed weight
    (1 when ``row_weight`` is empty; its last entry for -1) times its length ``k``, or times
    ``1 + log(k)`` when ``sublinear``; the L2 norm squares that weight (the callers sort
    the rows when ``sublinear`` or ``l2``; a plain mean needs no runs). A row of -1 counts
    as a zero row, and each -1 as a run of its own (another unknown feature). The update of
    :func:`train_documents` walks the runs alike; both are written out in the loop (Numba
    does not inline a call per run).
    """
    dim = hidden.shape[0]
    for d in range(dim):
        hidden[d] = _ZERO32
    plain = row_weight.shape[0] == 0
    unknown = _ONE32 if plain else row_weight[row_weight.shape[0] - 1]
    total = _ZERO32
    squares = _ZERO32
    for k in range(min(n, _PREFETCH_AHEAD)):
        if rows[k] >= 0:
            prefetch_line(syn0, rows[k], 0)
    k = 0
    while k < n:
        if k + _PREFETCH_AHEAD < n and rows[k + _PREFETCH_AHEAD] >= 0:
            prefetch_line(syn0, rows[k + _PREFETCH_AHEAD], 0)
        r = rows[k]
        j = k + 1
        if r < 0:
            total += unknown
            squares += unknown * unknown
            k = j
            continue
        while j < n and rows[j] == r:
            j += 1
        w = _ONE32 if plain else row_weight[r]
        if j - k > 1:
            w *= np.float32(1.0 + np.log(j - k)) if sublinear else np.float32(j - k)
        total += w
        squares += w * w
        for d in range(dim):
            hidden[d] += w * syn0[r, d]
        k = j
    if l2 and total > 0:
        total = np.float32(np.sqrt(squares))
    if total > 0:
        inv = _ONE32 / total
        for d in range(dim):
            hidden[d] *= inv
    return total


@njit(**NUMBA_FLAGS)
def row_classes(tokens, offsets, features, labels, label_offsets, weight, last):
    """The (input row, class, document weight) of every distinct input row of every
    document of weight > 0 and each of its classes: the counts of Naive-Bayes weighting.
    ``last`` (int64, one per row, -1 filled) marks the rows seen in the current document;
    it is reset before returning."""
    rows = np.empty(row_capacity(tokens, offsets, features), dtype=np.int64)
    n_docs = offsets.shape[0] - 1
    size = 0
    for doc in range(n_docs):
        if weight[doc] > 0:
            n = _document_rows(tokens, offsets[doc], offsets[doc + 1], features, rows)
            size += n * (label_offsets[doc + 1] - label_offsets[doc])
    out_rows = np.empty(size, dtype=np.int32)
    out_classes = np.empty(size, dtype=np.int32)
    out_weights = np.empty(size, dtype=np.float32)
    k = 0
    for doc in range(n_docs):
        if weight[doc] <= 0:
            continue
        n = _document_rows(tokens, offsets[doc], offsets[doc + 1], features, rows)
        for i in range(n):
            r = rows[i]
            if r < 0 or last[r] == doc:
                continue
            last[r] = doc
            for j in range(label_offsets[doc], label_offsets[doc + 1]):
                out_rows[k] = r
                out_classes[k] = labels[j]
                out_weights[k] = weight[doc]
                k += 1
        for i in range(n):
            if rows[i] >= 0:
                last[rows[i]] = -1
    return out_rows[:k], out_classes[:k], out_weights[:k]


@njit(**NUMBA_FLAGS)
def document_vectors(syn0, tokens, offsets, features, out):
    """``out[i]`` = the mean of the input rows of document ``i`` (zeros when it has none)."""
    capacity = row_capacity(tokens, offsets, features)
    rows = np.empty(capacity, dtype=np.int64)
    scratch = np.empty(capacity, dtype=np.int64)
    counts = np.empty(_RADIX_MASK + 2, dtype=np.int64)
    passes = _radix_passes(syn0.shape[0])
    for doc in range(offsets.shape[0] - 1):
        n = _document_rows(tokens, offsets[doc], offsets[doc + 1], features, rows)
        if (features.sublinear or features.l2) and not features.direct:
            # repeats of a row next to each other (direct rows are sorted)
            _sort_rows(rows, n, scratch, counts, passes)
        _mean_of_rows(syn0, rows, n, out[doc], features.row_weight, features.sublinear,
                      features.l2)


# --------------------------------------------------------------------------------------------
# The output layer: one gradient step on one document.
# --------------------------------------------------------------------------------------------
@njit(**NUMBA_FLAGS)
def _log_sigmoid(z):
    """``log(sigmoid(z))`` without overflow."""
    if z >= 0:
        return -np.log1p(np.exp(-z))
    return z - np.log1p(np.exp(z))


@njit(**NUMBA_FLAGS)
def _binary_logistic(out, o, hidden, label, lr, grad, shrink):
    """fastText's ``binaryLogistic``: the logistic loss of output row ``o`` for ``label``
    (1 or 0); adds the input error to ``grad`` and updates row ``o`` (first scaled by
    ``shrink``, the weight decay). Returns the loss."""
    dim = hidden.shape[0]
    f = 0.0
    for d in range(dim):
        f += out[o, d] * hidden[d]
    if f >= 0:
        sig = 1.0 / (1.0 + np.exp(-f))
    else:
        e = np.exp(f)
        sig = e / (1.0 + e)
    g = np.float32(lr * (label - sig))
    for d in range(dim):
        grad[d] += g * out[o, d]
        out[o, d] = shrink * out[o, d] + g * hidden[d]
    return -_log_sigmoid(f if label > 0 else -f)


@njit(**NUMBA_FLAGS)
def _softmax_step(out, target, hidden, lr, grad, scores, shrink):
    """fastText's ``SoftmaxLoss::forward`` with the update (each output row first scaled by
    ``shrink``, the weight decay); returns ``-log p(target)``."""
    n_out, dim = out.shape
    top = -np.inf
    for i in range(n_out):
        f = 0.0
        for d in range(dim):
            f += out[i, d] * hidden[d]
        scores[i] = f
        top = max(top, f)
    total = 0.0
    for i in range(n_out):
        scores[i] = np.exp(scores[i] - top)
        total += scores[i]
    for i in range(n_out):
        p = scores[i] / total
        label = 1.0 if i == target else 0.0
        g = np.float32(lr * (label - p))
        for d in range(dim):
            grad[d] += g * out[i, d]
            out[i, d] = shrink * out[i, d] + g * hidden[d]
    return -np.log(max(scores[target] / total, 1e-300))


@njit(**NUMBA_FLAGS)
def _is_target(targets, t0, t1, label):
    for j in range(t0, t1):
        if targets[j] == label:
            return True
    return False


@njit(**NUMBA_FLAGS)
def _output_step(out, loss, targets, t0, t1, hidden, lr, grad, scores, state, shrink):
    """One example's output layer; returns ``(loss, state)``. Every output row it updates
    is first scaled by ``shrink`` (the weight decay).

    Softmax, negative sampling and hierarchical softmax predict one target, drawn uniformly
    among the document's targets when it has several (as fastText's ``supervised``);
    one-vs-all takes every label, positive or not, weighted by ``loss.pos_weight`` and
    ``loss.neg_weight``.
    """
    if loss.kind == ONE_VS_ALL:
        value = 0.0
        for i in range(out.shape[0]):
            if _is_target(targets, t0, t1, i):
                value += loss.pos_weight[i] * _binary_logistic(
                    out, i, hidden, 1.0, lr * loss.pos_weight[i], grad, shrink)
            else:
                value += loss.neg_weight[i] * _binary_logistic(
                    out, i, hidden, 0.0, lr * loss.neg_weight[i], grad, shrink)
        return value, state
    target = targets[t0]
    if t1 - t0 > 1:
        state, bits = _xorshift(state)
        target = targets[t0 + _below(bits, t1 - t0)]
    if loss.kind == SOFTMAX:
        return _softmax_step(out, target, hidden, lr, grad, scores, shrink), state
    if loss.kind == NEGATIVE_SAMPLING:
        value = _binary_logistic(out, target, hidden, 1.0, lr, grad, shrink)
        for _ in range(loss.negative):
            negative = target
            while negative == target:
                state, negative = _draw_alias(state, loss.alias_threshold, loss.alias_index)
            value += _binary_logistic(out, negative, hidden, 0.0, lr, grad, shrink)
        return value, state
    value = 0.0
    for j in range(loss.path_offsets[target], loss.path_offsets[target + 1]):
        value += _binary_logistic(out, loss.paths[j], hidden, np.float64(loss.codes[j]), lr,
                                  grad, shrink)
    return value, state


@njit(**NUMBA_FLAGS)
def train_documents(weights, features, loss, docs):
    """Train on the documents ``docs.order[docs.start:docs.end]`` of a chunk, in that order.

    For each: its input rows (:func:`_document_rows`), their weighted sum normalised as
    :func:`_mean_of_rows`, one step of the output layer with the learning rate times the
    document's weight (the rate moves linearly from ``docs.alpha_start`` to
    ``docs.alpha_end`` over the documents), then the input error, times each row's share of
    the document vector, added to each row (times its lock factor).
    Documents of weight 0 and documents without rows are skipped. Returns ``(weighted loss,
    total weight, tokens)`` of the documents trained.
    """
    syn0, out, lock_factor = weights
    dim = syn0.shape[1]
    capacity = row_capacity(docs.tokens, docs.offsets, features)
    rows = np.empty(capacity, dtype=np.int64)
    scratch = np.empty(capacity, dtype=np.int64)
    counts = np.empty(_RADIX_MASK + 2, dtype=np.int64)
    passes = _radix_passes(syn0.shape[0])
    hidden = np.empty(dim, dtype=np.float32)
    grad = np.empty(dim, dtype=np.float32)
    scores = np.empty(out.shape[0], dtype=np.float64)
    row_weight, sublinear = features.row_weight, features.sublinear
    plain = row_weight.shape[0] == 0
    state = np.uint64(docs.seed)
    n_docs = max(docs.end - docs.start, 1)
    step = (docs.alpha_end - docs.alpha_start) / n_docs
    total_loss = 0.0
    total_weight = 0.0
    n_tokens = 0
    for k in range(docs.start, docs.end):
        doc = docs.order[k]
        a, b = docs.offsets[doc], docs.offsets[doc + 1]
        n_tokens += b - a
        w = docs.weight[doc]
        if w <= 0:
            continue
        n = _document_rows(docs.tokens, a, b, features, rows)
        if n == 0:
            continue
        if (features.sublinear or features.l2) and not features.direct:
            # repeats of a row next to each other (direct rows are sorted)
            _sort_rows(rows, n, scratch, counts, passes)
        total = _mean_of_rows(syn0, rows, n, hidden, features.row_weight, features.sublinear,
                              features.l2)
        if total <= 0:
            continue
        for d in range(dim):
            grad[d] = _ZERO32
        rate = docs.alpha_start + step * (k - docs.start)
        # The decay, as scikit-learn's SGD, does not scale with the document's weight.
        shrink = np.float32(1.0 - rate * loss.weight_decay)
        value, state = _output_step(out, loss, docs.targets, docs.target_offsets[doc],
                                    docs.target_offsets[doc + 1], hidden, rate * w, grad,
                                    scores, state, shrink)
        total_loss += w * value
        total_weight += w
        inv = _ONE32 / total
        k2 = 0
        while k2 < n:  # the runs of _mean_of_rows
            r = rows[k2]
            j = k2 + 1
            if r < 0:
                k2 = j
                continue
            while j < n and rows[j] == r:
                j += 1
            f = lock_factor[r] * inv
            if not plain:
                f *= row_weight[r]
            if j - k2 > 1:
                f *= np.float32(1.0 + np.log(j - k2)) if sublinear else np.float32(j - k2)
            for d in range(dim):
                syn0[r, d] += f * grad[d]
            k2 = j
    return total_loss, total_weight, n_tokens


# --------------------------------------------------------------------------------------------
# Prediction with hierarchical softmax.
# --------------------------------------------------------------------------------------------
@njit(**NUMBA_FLAGS)
def hs_best_leaves(hidden, output, children, leaf_classes, depth, epsilon):
    """The leaf of highest score of each document vector ``hidden[i]``: the sum along its
    path of ``log(p + epsilon)``, ``p`` the sigmoid of an inner node's logit (right child)
    or one minus it (left child), as fastText scores a leaf; of equal scores, the leaf of
    the lowest class.

    A depth-first search from the root (the last inner node; ``children[node]`` is its left
    and right child, an inner node or ``-1 - leaf``), the more probable child first. A
    subtree is left out when its score plus the most the remaining steps can add
    (``log(1 + epsilon)`` each, at most ``depth`` steps from the root) is below the best
    leaf's: the result is the same as scoring every leaf.
    """
    n_docs, dim = hidden.shape
    n_inner = children.shape[0]
    best_leaves = np.zeros(n_docs, dtype=np.int64)
    if n_inner == 0:
        return best_leaves
    gain = np.log1p(epsilon)
    nodes = np.empty(2 * depth + 2, dtype=np.int64)
    partial = np.empty(2 * depth + 2, dtype=np.float64)
    levels = np.empty(2 * depth + 2, dtype=np.int64)
    for doc in range(n_docs):
        best = -np.inf
        best_class = leaf_classes.shape[0]
        best_leaf = 0
        nodes[0], partial[0], levels[0] = n_inner - 1, 0.0, 0
        top = 1
        while top > 0:
            top -= 1
            node, score, level = nodes[top], partial[top], levels[top]
            if node < 0:
                leaf = -1 - node
                c = leaf_classes[leaf]
                if score > best or (score == best and c < best_class):
                    best, best_class, best_leaf = score, c, leaf
                continue
            if score + (depth - level) * gain < best:
                continue
            f = 0.0
            for d in range(dim):
                f += np.float64(hidden[doc, d]) * np.float64(output[node, d])
            right = 1.0 / (1.0 + np.exp(-f))
            # sigmoid(-f), not 1 - right: the fast-math flags may re-associate
            # 1 - right + epsilon, and a document with f = 0 must tie its two branches.
            left = 1.0 / (1.0 + np.exp(f))
            left_score = score + np.log(left + epsilon)
            right_score = score + np.log(right + epsilon)
            # Push the less probable child first: the more probable one is searched first.
            if right >= 0.5:
                nodes[top], partial[top], levels[top] = children[node, 0], left_score, level + 1
                nodes[top + 1], partial[top + 1], levels[top + 1] = (children[node, 1],
                                                                     right_score, level + 1)
            else:
                nodes[top], partial[top], levels[top] = children[node, 1], right_score, level + 1
                nodes[top + 1], partial[top + 1], levels[top + 1] = (children[node, 0],
                                                                     left_score, level + 1)
            top += 2
        best_leaves[doc] = best_leaf
    return best_leaves
