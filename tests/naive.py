"""Plain NumPy reference implementations of the training kernels and of a whole fit.

Written from the algorithm's description (HogBatch blocks, the C tool's sigmoid table and
label conventions), in matrix form and with Python loops, never by calling the kernels. The
random generator (xorshift64*) is part of the kernels' specification and is re-implemented
here with Python integers, so a whole kernel call can be replayed draw by draw.

:func:`fit` replays a whole ``n_jobs=1`` fit of ``Word2VecVectorizer`` from its parameters:
vocabulary, initial weights, seeds, subsampling, noise distribution, learning-rate schedule,
chunking and the epoch loss, re-derived here rather than taken from ``skw2v._training``. Only
two tables come from skw2v, each tested on its own: the alias-table layout
(``skw2v._vocab.alias_table``, whose distribution :func:`alias_probabilities` checks here) and
the Huffman tree (``skw2v._vocab.huffman_tree``).
"""

import re
from collections import Counter
from dataclasses import dataclass

import numpy as np
from sklearn.utils import check_random_state

from skw2v import _vocab  # the alias-table layout and the Huffman tree only, in fit()

MAX_EXP = 6.0
TABLE_SIZE = 1000
MASK64 = (1 << 64) - 1


def sigmoid_exact(x):
    return 1.0 / (1.0 + np.exp(-np.asarray(x, dtype=np.float64)))


def sigmoid_table(x):
    """The word2vec C tool's sigmoid: 0 below -6, 1 above 6, else a 1000-entry table.

    Logits are float32, and so is the shift by 6 before the table index is taken.
    """
    x = np.asarray(x, dtype=np.float32)
    shifted = (x + np.float32(MAX_EXP)).astype(np.float64)
    index = np.floor(shifted * (TABLE_SIZE / (2 * MAX_EXP)))
    grid = (index / TABLE_SIZE * 2 - 1) * MAX_EXP
    inside = 1.0 / (1.0 + np.exp(-grid))
    return np.where(x >= MAX_EXP, 1.0, np.where(x <= -MAX_EXP, 0.0, inside))


def neg_log_sigmoid_table(z):
    """The training loss ``-log(sigmoid(z))`` as the kernels read it: 0 above 6, ``-z`` below
    -6, else a 1000-entry float32 table of ``log(1 + exp(-x))`` on the sigmoid table's grid."""
    z = np.asarray(z, dtype=np.float32)
    shifted = (z + np.float32(MAX_EXP)).astype(np.float64)
    index = np.floor(shifted * (TABLE_SIZE / (2 * MAX_EXP)))
    grid = (index / TABLE_SIZE * 2 - 1) * MAX_EXP
    inside = np.log1p(np.exp(-grid)).astype(np.float32).astype(np.float64)
    return np.where(z >= MAX_EXP, 0.0, np.where(z <= -MAX_EXP, -z.astype(np.float64), inside))


def prediction_loss(logits, codes):
    """Summed loss of predictions with the given logits and code bits (label ``1 - code``)."""
    logits = np.asarray(logits, dtype=np.float32)
    sign = np.where(np.asarray(codes) == 0, 1, -1).astype(np.float32)
    return float(neg_log_sigmoid_table(logits * sign).sum())


class XorShift:
    """xorshift64*: the generator of the kernels, in Python integers."""

    def __init__(self, seed):
        self.state = int(seed) & MASK64

    def bits(self):
        x = self.state
        x ^= x >> 12
        x ^= (x << 25) & MASK64
        x ^= x >> 27
        self.state = x
        return (x * 0x2545F4914F6CDD1D) & MASK64

    def below(self, n):
        return ((self.bits() >> 32) * n) >> 32

    def alias(self, threshold, alias):
        bits = self.bits()
        i = ((bits >> 32) * len(threshold)) >> 32
        return i if (bits & 0xFFFFFFFF) < int(threshold[i]) else int(alias[i])


def skipgram_block(syn0, syn_out, contexts, outputs, codes, alpha, sigmoid=sigmoid_table,
                   with_loss=False):
    """One HogBatch block in matrix form. Updates ``syn_out`` in place.

    Returns the input-row errors (one row per context) computed from the old output rows, and
    with ``with_loss`` also the block's loss: ``(errors, loss)``.
    """
    inputs = syn0[contexts].astype(np.float64)
    outs = syn_out[outputs].astype(np.float64)
    labels = 1.0 - np.asarray(codes, dtype=np.float64)
    logits = inputs @ outs.T
    grad = (labels[None, :] - sigmoid(logits)) * alpha
    errors = grad @ outs
    np.add.at(syn_out, outputs, (grad.T @ inputs).astype(syn_out.dtype))
    if with_loss:
        return errors, prediction_loss(logits, np.broadcast_to(codes, logits.shape))
    return errors


def cbow_layer(hidden, syn_out, outputs, codes, alpha, sigmoid=sigmoid_table,
               with_loss=False):
    """One CBOW output layer, prediction by prediction. Updates ``syn_out`` in place.

    Returns the hidden-layer error, and with ``with_loss`` also the loss: ``(error, loss)``.
    """
    error = np.zeros(hidden.shape[0])
    loss = 0.0
    for output, code in zip(outputs, codes, strict=True):
        row = syn_out[output].astype(np.float64)
        logit = hidden @ row
        loss += prediction_loss([logit], [code])
        g = ((1.0 - code) - sigmoid(logit)) * alpha
        error += g * row
        syn_out[output] += (g * hidden).astype(syn_out.dtype)
    return (error, loss) if with_loss else error


def _negatives(rng, target, negative, threshold, alias):
    outputs, codes = [target], [0]
    for _ in range(negative):
        w = rng.alias(threshold, alias)
        if w != target:
            outputs.append(w)
            codes.append(1)
    return outputs, codes


def _window(rng, i, doc_start, doc_end, window, shrink):
    reduced = rng.below(window) if shrink else 0
    lo = max(doc_start, i - window + reduced)
    hi = min(doc_end, i + window + 1 - reduced)
    return [j for j in range(lo, hi) if j != i]


def train(architecture, syn0, syn1, syn1neg, lock, tokens, offsets, pos_start, pos_end, window,
          shrink, negative, threshold, alias, hs, hs_codes, hs_points, hs_offsets, alpha_start,
          alpha_end, seed, cbow_mean=True):
    """Replay one call of ``train_skipgram``/``train_cbow``; updates the weights in place.

    Returns the loss summed over every prediction of the call.
    """
    rng = XorShift(seed)
    loss = 0.0
    step = (alpha_end - alpha_start) / max(pos_end - pos_start, 1)
    for i in range(pos_start, pos_end):
        doc = np.searchsorted(offsets, i, side="right") - 1
        alpha = np.float32(alpha_start + step * (i - pos_start))
        positions = _window(rng, i, offsets[doc], offsets[doc + 1], window, shrink)
        if not positions:
            continue
        contexts = tokens[positions]
        target = tokens[i]
        layers = []
        if negative > 0:
            layers.append((syn1neg, *_negatives(rng, target, negative, threshold, alias)))
        if hs:
            a, b = hs_offsets[target], hs_offsets[target + 1]
            layers.append((syn1, hs_points[a:b], hs_codes[a:b]))
        if architecture == "skipgram":
            errors = np.zeros((len(contexts), syn0.shape[1]))
            for syn_out, outputs, codes in layers:
                block_errors, block_loss = skipgram_block(syn0, syn_out, contexts, outputs,
                                                          codes, alpha, with_loss=True)
                errors += block_errors
                loss += block_loss
            for row, error in zip(contexts, errors, strict=True):
                syn0[row] += (lock[row] * error).astype(np.float32)
        else:
            hidden = syn0[contexts].astype(np.float64).sum(axis=0)
            if cbow_mean:
                hidden /= len(contexts)
            error = np.zeros(syn0.shape[1])
            for syn_out, outputs, codes in layers:
                layer_error, layer_loss = cbow_layer(hidden, syn_out, outputs, codes, alpha,
                                                     with_loss=True)
                error += layer_error
                loss += layer_loss
            for row in contexts:
                syn0[row] += (lock[row] * error).astype(np.float32)
    return loss


def subsample(raw_ids, offsets, remap, keep_threshold, seed):
    """Replay ``subsample_chunk``: returns ``(tokens, offsets, n_in_vocabulary)``."""
    rng = XorShift(seed)
    tokens, new_offsets, n_in_vocab = [], [0], 0
    for doc in range(len(offsets) - 1):
        for raw in raw_ids[offsets[doc]:offsets[doc + 1]]:
            w = remap[raw]
            if w < 0:
                continue
            n_in_vocab += 1
            if keep_threshold[w] < 2**32 and (rng.bits() >> 32) >= keep_threshold[w]:
                continue
            tokens.append(w)
        new_offsets.append(len(tokens))
    return np.array(tokens, dtype=np.int32), np.array(new_offsets), n_in_vocab


# ------------------------------------------------------------------ tables of a whole fit
def vocabulary(token_lists, min_count, max_vocab_size=None):
    """``(words, counts)``: words seen ``min_count`` times or more, at most
    ``max_vocab_size`` of them (the most frequent, ties by first appearance), ordered as
    gensim 4 orders its vocabulary: by descending count, ties by *last* first appearance."""
    counter = Counter(token for tokens in token_lists for token in tokens)  # first-seen order
    first_seen = {word: position for position, word in enumerate(counter)}
    kept = sorted((w for w, c in counter.items() if c >= min_count),
                  key=lambda w: (-counter[w], first_seen[w]))
    if max_vocab_size is not None:
        kept = kept[:max_vocab_size]
    kept.sort(key=lambda w: (-counter[w], -first_seen[w]))
    return kept, np.array([counter[w] for w in kept], dtype=np.int64)


def keep_thresholds(counts, sample):
    """32-bit subsampling thresholds ``floor(p * 2**32)`` of the word2vec keep probability
    ``p = min(1, (sqrt(c / t) + 1) * t / c)`` with ``t = sample * total count``."""
    total = int(np.sum(counts))
    thresholds = []
    for c in np.asarray(counts).tolist():
        p = 1.0
        if sample > 0:
            t = sample * total
            p = min(1.0, (np.sqrt(c / t) + 1.0) * t / c)
        thresholds.append(int(np.floor(p * 2.0**32)))
    return np.array(thresholds, dtype=np.uint64)


def noise_probabilities(counts, ns_exponent):
    """The negative-sampling distribution ``counts ** ns_exponent``, normalised."""
    weights = np.array([float(c) ** ns_exponent for c in np.asarray(counts).tolist()])
    return weights / weights.sum()


def alias_probabilities(threshold, alias):
    """The distribution an alias table draws from: column ``i`` (probability ``1/n``) is kept
    with probability ``threshold[i] / 2**32`` and gives ``alias[i]`` otherwise."""
    n = len(threshold)
    probabilities = np.zeros(n)
    for i in range(n):
        keep = int(threshold[i]) / 2.0**32
        probabilities[i] += keep / n
        probabilities[int(alias[i])] += (1.0 - keep) / n
    return probabilities


def seeds(random_state):
    """``(init_seed, train_seed)``: ``random_state`` used once, for two int32 seeds."""
    init_seed, train_seed = check_random_state(random_state).randint(np.iinfo(np.int32).max,
                                                                     size=2)
    return int(init_seed), int(train_seed)


def chunk_seeds(train_seed, epoch, chunk, n_threads=1):
    """Seeds of one (epoch, chunk): element 0 subsamples, element ``1 + k`` is thread k's."""
    sequence = np.random.SeedSequence(entropy=train_seed, spawn_key=(epoch, chunk))
    return [int(s) | 1 for s in sequence.generate_state(n_threads + 1, dtype=np.uint64)]


def initial_vectors(init_seed, n_words, dim):
    """Uniform in ``[-1, 1) / dim`` (float32 draws and arithmetic), as gensim 4's
    ``prep_vectors``."""
    rng = np.random.default_rng(init_seed)
    vectors = rng.random((n_words, dim), dtype=np.float32)
    return ((vectors * np.float32(2.0) - np.float32(1.0)) / np.float32(dim)).astype(np.float32)


def chunks(id_lists, chunk_tokens):
    """Consecutive runs of whole documents, a run closed once it holds ``chunk_tokens``
    tokens or more (in or out of the vocabulary)."""
    out, pending, n_pending = [], [], 0
    for ids in id_lists:
        pending.append(ids)
        n_pending += len(ids)
        if n_pending >= chunk_tokens:
            out.append(pending)
            pending, n_pending = [], 0
    if pending:
        out.append(pending)
    return out


@dataclass
class Fit:
    """What :func:`fit` learns."""

    words: list
    counts: np.ndarray
    vectors: np.ndarray
    losses: list


def fit(documents, tokenize, *, chunk_tokens, vector_size, window, min_count, max_vocab_size,
        architecture, negative, hs, sample, ns_exponent, cbow_mean, alpha, min_alpha, epochs,
        shrink_windows, random_state, n_jobs, init=None, **_):
    """Replay ``Word2VecVectorizer(**params).fit(documents)`` with one thread.

    ``tokenize`` splits a document into tokens (e.g. the estimator's ``build_analyzer()``);
    ``chunk_tokens`` is the chunk size of the encoded corpus. The other keywords are the
    estimator's parameters (``get_params()``; those of tokenizing and pooling are ignored).
    """
    assert n_jobs == 1 and init is None, "the replay covers one-thread fits from scratch"
    token_lists = [list(tokenize(document)) for document in documents]
    words, counts = vocabulary(token_lists, min_count, max_vocab_size)
    row = {word: i for i, word in enumerate(words)}
    n_words, dim = len(words), vector_size
    init_seed, train_seed = seeds(random_state)

    syn0 = initial_vectors(init_seed, n_words, dim)
    syn1neg = np.zeros((n_words, dim), dtype=np.float32)
    syn1 = np.zeros((max(n_words - 1, 0), dim), dtype=np.float32)
    lock = np.ones(n_words, dtype=np.float32)
    keep = keep_thresholds(counts, sample)
    threshold = np.full(1, 2**32, dtype=np.uint64)
    alias = np.zeros(1, dtype=np.int32)
    if negative > 0:
        noise = noise_probabilities(counts, ns_exponent)
        threshold, alias = _vocab.alias_table(noise)
        np.testing.assert_allclose(alias_probabilities(threshold, alias), noise, atol=1e-9)
    hs_codes, hs_points, hs_offsets = (_vocab.huffman_tree(counts) if hs
                                       else (None, None, None))

    # Tokens as ids: the vocabulary row, or n_words for a word out of the vocabulary; remap
    # maps ids to rows (-1: dropped).
    id_lists = [[row.get(token, n_words) for token in tokens] for tokens in token_lists]
    remap = np.append(np.arange(n_words, dtype=np.int32), np.int32(-1))
    total_words = int(counts.sum()) * epochs
    done = 0
    losses = []
    for epoch in range(epochs):
        epoch_loss = 0.0
        for index, chunk in enumerate(chunks(id_lists, chunk_tokens)):
            subsample_seed, thread_seed = chunk_seeds(train_seed, epoch, index)
            raw = np.array([i for ids in chunk for i in ids], dtype=np.int64)
            offsets = np.concatenate([[0], np.cumsum([len(ids) for ids in chunk])])
            tokens, kept_offsets, n_in_vocab = subsample(raw, offsets, remap, keep,
                                                         subsample_seed)
            alpha_start = alpha + (min_alpha - alpha) * done / total_words
            done += n_in_vocab
            alpha_end = alpha + (min_alpha - alpha) * done / total_words
            epoch_loss += train(architecture, syn0, syn1, syn1neg, lock, tokens, kept_offsets,
                                0, len(tokens), window, shrink_windows, negative, threshold,
                                alias, hs, hs_codes, hs_points, hs_offsets, alpha_start,
                                alpha_end, thread_seed, cbow_mean=cbow_mean)
        losses.append(epoch_loss)
    return Fit(words, counts, syn0, losses)


# ------------------------------------------------------------------ subwords (fastText)
# Written from fastText's Dictionary::computeSubwords and Dictionary::hash and from the
# description of fastText's Model::update (a word's input is the mean of its rows; every row
# of the input receives the whole error), never by calling skw2v._subwords or the kernels.
FNV_OFFSET = 2166136261
FNV_PRIME = 16777619


def char_ngrams(word, minn, maxn):
    """The character n-grams of ``"<" + word + ">"`` in fastText's order: by start, then by
    length ``minn..maxn`` (in characters), a lone ``<`` or ``>`` left out, duplicates kept."""
    s = "<" + word + ">"
    grams = []
    for i in range(len(s)):
        for n in range(max(minn, 1), maxn + 1):
            if i + n > len(s):
                break
            if n == 1 and (i == 0 or i + n == len(s)):
                continue
            grams.append(s[i:i + n])
    return grams


def fasttext_hash(data):
    """fastText's 32-bit FNV-1a of ``data`` (bytes); each byte is an ``int8_t`` converted to
    ``uint32_t`` before the xor, so bytes >= 0x80 are sign-extended (0xFFFFFF80 | ...)."""
    h = FNV_OFFSET
    for byte in data:
        signed = byte - 256 if byte >= 128 else byte
        h ^= signed & 0xFFFFFFFF
        h = (h * FNV_PRIME) & 0xFFFFFFFF
    return h


def ngram_buckets(word, minn, maxn, n_buckets):
    """Bucket of each character n-gram of ``word`` (UTF-8 bytes hashed), fastText's order;
    none for the end-of-line token ``</s>`` (fastText's ``Dictionary::getSubwords``)."""
    if word == "</s>":
        return []
    return [fasttext_hash(g.encode("utf-8")) % n_buckets for g in char_ngrams(word, minn, maxn)]


def subword_layout(words, minn, maxn, n_buckets):
    """``(kept_buckets, rows)``: the sorted buckets the words' n-grams reach (one n-gram row
    each), and each word's input rows, its own row ``w`` then ``n_words + `` the row of each
    of its n-grams (duplicates kept)."""
    grams = [ngram_buckets(word, minn, maxn, n_buckets) for word in words]
    kept = sorted({b for buckets in grams for b in buckets})
    row_of = {b: i for i, b in enumerate(kept)}
    rows = [[w] + [len(words) + row_of[b] for b in buckets] for w, buckets in enumerate(grams)]
    return np.array(kept, dtype=np.int64), rows


def subword_vector(word, minn, maxn, n_buckets, kept_buckets, vectors_ngrams, own=None):
    """A word's vector as fastText composes it: the mean of its own row ``own`` (None for an
    unseen word) and its n-gram rows, a bucket without a row counting as a zero row."""
    row_of = {int(b): i for i, b in enumerate(kept_buckets)}
    parts = [] if own is None else [np.asarray(own, dtype=np.float64)]
    for b in ngram_buckets(word, minn, maxn, n_buckets):
        parts.append(vectors_ngrams[row_of[b]].astype(np.float64) if b in row_of
                     else np.zeros(vectors_ngrams.shape[1]))
    return np.mean(parts, axis=0) if parts else np.zeros(vectors_ngrams.shape[1])


def train_subwords(architecture, syn0, syn1, syn1neg, lock, rows, tokens, offsets, pos_start,
                   pos_end, window, shrink, negative, threshold, alias, hs, hs_codes,
                   hs_points, hs_offsets, alpha_start, alpha_end, seed, cbow_mean=True):
    """Replay one call of ``train_skipgram_subwords``/``train_cbow_subwords``; updates the
    weights in place. ``rows[w]`` lists the input rows of word ``w`` (``syn0`` rows, its own
    row and its n-gram rows, duplicates kept); ``lock`` has one factor per row of ``syn0``.

    Skip-gram: the centre word's input is the mean of its rows; each context word is
    predicted from it (its own negatives drawn, or its Huffman path), output rows updated
    prediction by prediction, and after each context word the mean moves by that word's
    input error times the mean lock factor of the rows (where fastText's recomputed mean
    would be); the summed input error is added once to each of the centre's rows (a row
    listed twice gets it twice). CBOW: the mean (or sum) of every
    row of every context word predicts the centre; each of those rows gets the whole error.

    Returns ``(loss, n_predictions)`` summed over the call.
    """
    rng = XorShift(seed)
    loss, n_predictions = 0.0, 0
    step = (alpha_end - alpha_start) / max(pos_end - pos_start, 1)

    def layers(target):
        out = []
        if negative > 0:
            out.append((syn1neg, *_negatives(rng, target, negative, threshold, alias)))
        if hs:
            a, b = hs_offsets[target], hs_offsets[target + 1]
            out.append((syn1, hs_points[a:b], hs_codes[a:b]))
        return out

    for i in range(pos_start, pos_end):
        doc = np.searchsorted(offsets, i, side="right") - 1
        alpha = np.float32(alpha_start + step * (i - pos_start))
        positions = _window(rng, i, offsets[doc], offsets[doc + 1], window, shrink)
        if not positions:
            continue
        if architecture == "skipgram":
            inputs = list(rows[tokens[i]])
            hidden = syn0[inputs].astype(np.float64).mean(axis=0)
            predicted = [tokens[j] for j in positions]
        else:
            inputs = [r for j in positions for r in rows[tokens[j]]]
            hidden = syn0[inputs].astype(np.float64).sum(axis=0)
            if cbow_mean:
                hidden /= len(inputs)
            predicted = [tokens[i]]
        error = np.zeros(syn0.shape[1])
        # Skip-gram: after each context word, the mean moves as the rows will (every row by
        # that word's error, times its lock factor), as fastText's recomputed mean would.
        moving = np.mean([lock[r] for r in inputs])
        for target in predicted:
            target_error = np.zeros(syn0.shape[1])
            for syn_out, outputs, codes in layers(target):
                layer_error, layer_loss = cbow_layer(hidden, syn_out, outputs, codes, alpha,
                                                     with_loss=True)
                target_error += layer_error
                loss += layer_loss
                n_predictions += len(outputs)
            error += target_error
            if architecture == "skipgram":
                hidden = hidden + moving * target_error
        for r in inputs:  # one by one: a row listed twice is updated twice
            syn0[r] += (lock[r] * error).astype(np.float32)
    return loss, n_predictions


def fit_subwords(documents, tokenize, *, chunk_tokens, vector_size, window, min_count,
                 max_vocab_size, architecture, negative, hs, sample, ns_exponent, cbow_mean,
                 alpha, min_alpha, epochs, shrink_windows, random_state, n_jobs,
                 char_ngram_range, n_buckets, init=None, **_):
    """Replay a one-thread subword fit of ``Word2VecVectorizer(**params)`` from scratch.

    As :func:`fit`, but ``syn0`` holds the word rows followed by one row per bucket the
    vocabulary's n-grams reach (sorted by bucket, drawn with the word rows in one matrix),
    and the subword kernels' replay :func:`train_subwords` trains it. Returns
    ``(Fit, kept_buckets, vectors_vocab, vectors_ngrams)``; ``Fit.vectors`` are the composed
    word vectors.
    """
    assert n_jobs == 1 and init is None, "the replay covers one-thread fits from scratch"
    minn, maxn = char_ngram_range
    token_lists = [list(tokenize(document)) for document in documents]
    words, counts = vocabulary(token_lists, min_count, max_vocab_size)
    row = {word: i for i, word in enumerate(words)}
    n_words, dim = len(words), vector_size
    kept, rows = subword_layout(words, minn, maxn, n_buckets)
    init_seed, train_seed = seeds(random_state)

    syn0 = initial_vectors(init_seed, n_words + len(kept), dim)
    syn1neg = np.zeros((n_words, dim), dtype=np.float32)
    syn1 = np.zeros((max(n_words - 1, 0), dim), dtype=np.float32)
    lock = np.ones(syn0.shape[0], dtype=np.float32)
    keep = keep_thresholds(counts, sample)
    threshold = np.full(1, 2**32, dtype=np.uint64)
    alias = np.zeros(1, dtype=np.int32)
    if negative > 0:
        threshold, alias = _vocab.alias_table(noise_probabilities(counts, ns_exponent))
    hs_codes, hs_points, hs_offsets = (_vocab.huffman_tree(counts) if hs
                                       else (None, None, None))
    id_lists = [[row.get(token, n_words) for token in tokens] for tokens in token_lists]
    remap = np.append(np.arange(n_words, dtype=np.int32), np.int32(-1))
    total_words = int(counts.sum()) * epochs
    done = 0
    losses = []
    for epoch in range(epochs):
        epoch_loss = 0.0
        for index, chunk in enumerate(chunks(id_lists, chunk_tokens)):
            subsample_seed, thread_seed = chunk_seeds(train_seed, epoch, index)
            raw = np.array([i for ids in chunk for i in ids], dtype=np.int64)
            offsets = np.concatenate([[0], np.cumsum([len(ids) for ids in chunk])])
            tokens, kept_offsets, n_in_vocab = subsample(raw, offsets, remap, keep,
                                                         subsample_seed)
            alpha_start = alpha + (min_alpha - alpha) * done / total_words
            done += n_in_vocab
            alpha_end = alpha + (min_alpha - alpha) * done / total_words
            epoch_loss += train_subwords(architecture, syn0, syn1, syn1neg, lock, rows, tokens,
                                         kept_offsets, 0, len(tokens), window, shrink_windows,
                                         negative, threshold, alias, hs, hs_codes, hs_points,
                                         hs_offsets, alpha_start, alpha_end, thread_seed,
                                         cbow_mean=cbow_mean)[0]
        losses.append(epoch_loss)
    vectors = np.array([syn0[r].astype(np.float64).mean(axis=0) for r in rows])
    return (Fit(words, counts, vectors, losses), kept, syn0[:n_words].copy(),
            syn0[n_words:].copy())


# ------------------------------------------------------------------------------------------
# The supervised classifier (fastText's Model::update with its losses), in float64.
def _sigmoid(x):
    return 1.0 / (1.0 + np.exp(-x))


def supervised_step(syn0, out, rows, targets, lr, loss, *, negatives=(), paths=None,
                    codes=None, pos_weight=None, neg_weight=None, norm="l1",
                    weight_decay=0.0):
    """One example of fastText's ``supervised``: ``hidden`` is the mean of ``syn0[rows]``
    (a row of -1 counts as zero; with ``norm="l2"`` the sum over the Euclidean norm of the
    rows' counts), then
    the output layer of ``loss`` ("softmax", "ns", "hs", "ova") learns with rate ``lr``
    (each row it updates first times ``1 - lr * weight_decay``) and the input error, over
    the same divisor, goes back to every row. ``targets``: the target class (one) or, for
    "ova", the positive classes; ``negatives``: the negative classes drawn for "ns";
    ``paths``/``codes``: the Huffman path (inner nodes) and code bits (the labels) of the
    target for "hs". Updates in place; returns the loss."""
    if norm == "l1":
        divisor = len(rows)
    else:  # a row held k times weighs k (its term frequency); each -1 counts alone
        counts = np.unique([r for r in rows if r >= 0], return_counts=True)[1]
        divisor = np.sqrt((counts**2).sum() + sum(r < 0 for r in rows))
    hidden = np.zeros(syn0.shape[1])
    for r in rows:
        if r >= 0:
            hidden += syn0[r]
    hidden /= divisor
    grad = np.zeros_like(hidden)
    shrink = 1.0 - lr * weight_decay

    def binary(o, label, rate):
        score = _sigmoid(out[o] @ hidden)
        alpha = rate * (label - score)
        grad[:] += alpha * out[o]
        out[o] = shrink * out[o] + alpha * hidden
        return -np.log(score if label else 1.0 - score)

    value = 0.0
    if loss == "softmax":
        logits = out @ hidden
        p = np.exp(logits - logits.max())
        p /= p.sum()
        for i in range(out.shape[0]):
            alpha = lr * ((i == targets[0]) - p[i])
            grad += alpha * out[i]
            out[i] = shrink * out[i] + alpha * hidden
        value = -np.log(p[targets[0]])
    elif loss == "ns":
        value = binary(targets[0], 1.0, lr)
        for negative in negatives:
            value += binary(negative, 0.0, lr)
    elif loss == "hs":
        for node, code in zip(paths, codes, strict=True):
            value += binary(node, float(code), lr)
    else:
        for i in range(out.shape[0]):
            if i in targets:
                value += pos_weight[i] * binary(i, 1.0, lr * pos_weight[i])
            else:
                value += neg_weight[i] * binary(i, 0.0, lr * neg_weight[i])
    for r in rows:
        if r >= 0:
            syn0[r] += grad / divisor
    return value


def fasttext_huffman(counts):
    """fastText's ``HierarchicalSoftmaxLoss::buildTree`` on counts sorted descending: the
    (inner-node path, code bits) of each leaf, from the leaf up."""
    n = len(counts)
    nodes = [{"count": c, "parent": -1, "binary": 0} for c in counts]
    nodes += [{"count": 10**15, "parent": -1, "binary": 0} for _ in range(n - 1)]
    leaf, node = n - 1, n
    for i in range(n, 2 * n - 1):
        mini = []
        for _ in range(2):
            if leaf >= 0 and nodes[leaf]["count"] < nodes[node]["count"]:
                mini.append(leaf)
                leaf -= 1
            else:
                mini.append(node)
                node += 1
        nodes[i]["count"] = nodes[mini[0]]["count"] + nodes[mini[1]]["count"]
        nodes[mini[0]]["parent"] = nodes[mini[1]]["parent"] = i
        nodes[mini[1]]["binary"] = 1
    result = []
    for i in range(n):
        path, code, j = [], [], i
        while nodes[j]["parent"] != -1:
            path.append(nodes[j]["parent"] - n)
            code.append(nodes[j]["binary"])
            j = nodes[j]["parent"]
        result.append((path, code))
    return result


# ------------------------------------------------------------------ fastText classifier features
# Written from fastText's Dictionary::getLine, addSubwords, addWordNgrams and pushHash and from
# FastText::getSentenceVector (supervised), never by calling skw2v's kernels or readers.
FASTTEXT_EOS = "</s>"
WORD_NGRAM_MULTIPLIER = 116049371


def fasttext_tokens(text):
    """A line's tokens as fastText's ``readWord`` reads ``text + "\\n"``: split on space, tab,
    newline, carriage return, vertical tab, form feed and NUL (no other whitespace), then the
    end-of-line token ``</s>``."""
    return [token for token in re.split("[ \t\n\r\v\f\0]+", text) if token] + [FASTTEXT_EOS]


def _int32_as_uint64(value):
    """A uint32 hash stored in an ``int32_t``, then read into a ``uint64_t``: values of
    2**31 and more are negative as int32, so they are sign-extended to 64 bits."""
    signed = value - (1 << 32) if value >= 1 << 31 else value
    return signed & MASK64


def fasttext_line_features(tokens, words, labels, *, minn, maxn, bucket, word_ngrams,
                           kept_buckets=None, pruned=False, label_prefix="__label__"):
    """The input rows fastText's supervised ``getLine`` gives a line's ``tokens``.

    Rows index ``vstack([input_words, input_buckets])``: a word's own row ``w``, a bucket
    ``b``'s row ``len(words) + i`` where ``kept_buckets[i] == b`` (or ``b`` itself when
    ``kept_buckets`` is None). A bucket without a row is ``-1`` (a zero row), unless
    ``pruned``: then it is left out (fastText's ``pushHash`` with a prune index).

    Per token until ``</s>`` (included): a label (a dictionary label, or an unknown token
    starting with ``label_prefix``) is skipped; a known word gives its row, then (``maxn >
    0``, not ``</s>``) the buckets of its character n-grams; an unknown word only the
    buckets of its n-grams. Every word, known or not, adds its 32-bit hash to the line's
    list, from which the word n-grams of 2 .. ``word_ngrams`` words are hashed last.
    """
    word_id = {word: index for index, word in enumerate(words)}
    label_set = set(labels)
    row_of = None if kept_buckets is None else {int(b): i for i, b in enumerate(kept_buckets)}
    n_words = len(words)
    features, hashes = [], []

    def push(b):
        if row_of is None:
            features.append(n_words + b)
        elif b in row_of:
            features.append(n_words + row_of[b])
        elif not pruned:
            features.append(-1)

    for token in tokens:
        wid = word_id.get(token)
        is_label = token in label_set or (wid is None and token.startswith(label_prefix))
        if not is_label:
            if wid is not None:
                features.append(wid)
            if token != FASTTEXT_EOS and maxn > 0:
                for b in ngram_buckets(token, minn, maxn, bucket):
                    push(b)
            hashes.append(fasttext_hash(token.encode("utf-8")))
        if token == FASTTEXT_EOS:
            break
    for i in range(len(hashes)):
        h = _int32_as_uint64(hashes[i])
        for j in range(i + 1, min(len(hashes), i + word_ngrams)):
            h = (h * WORD_NGRAM_MULTIPLIER + _int32_as_uint64(hashes[j])) & MASK64
            push(h % bucket)
    return features


def fasttext_hidden(rows, matrix):
    """The mean of ``matrix[rows]`` in float64, a row of -1 counting as a zero row; zeros
    for no rows (fastText's supervised ``getSentenceVector``)."""
    matrix = np.asarray(matrix)
    total = np.zeros(matrix.shape[1])
    for row in rows:
        if row >= 0:
            total += matrix[row].astype(np.float64)
    return total / len(rows) if rows else total


def nb_row_weights(document_rows, labels, n_rows, n_classes, floor, weight=None):
    """Naive-Bayes weight of each input row (then of a -1 row): ``floor`` + the largest
    |log-count ratio| over the classes, from the (weighted) number of documents of each class
    holding the row, with pseudo-counts ``n_classes * share`` in and ``n_classes * (1 -
    share)`` out of each class."""
    weight = np.ones(len(document_rows)) if weight is None else np.asarray(weight, float)
    counts = np.zeros((n_rows, n_classes))
    for rows, label, w in zip(document_rows, labels, weight, strict=True):
        if w > 0:
            for r in {r for r in rows if r >= 0}:
                counts[r, label] += w
    share = np.maximum(np.bincount(labels, minlength=n_classes), 1) / len(labels)
    p = counts + n_classes * share
    q = counts.sum(axis=1, keepdims=True) - counts + n_classes * (1 - share)
    ratio = np.log(p / p.sum(axis=0)) - np.log(q / q.sum(axis=0))
    return np.append(floor + np.abs(ratio).max(axis=1), floor)


def idf_row_weights(document_rows, n_rows, weight=None):
    """scikit-learn's smoothed idf of each input row (then of a -1 row, a feature no document
    holds): ``log((1 + n) / (1 + df)) + 1``, ``n`` the (weighted) documents of weight > 0,
    ``df`` those holding the row (a document counts once)."""
    weight = np.ones(len(document_rows)) if weight is None else np.asarray(weight, float)
    df = np.zeros(n_rows + 1)
    for rows, w in zip(document_rows, weight, strict=True):
        if w > 0:
            for r in {r for r in rows if r >= 0}:
                df[r] += w
    n = weight[weight > 0].sum()
    return np.log((1 + n) / (1 + df)) + 1


def weighted_mean(syn0, rows, row_weight=None, sublinear=False, norm="l1"):
    """A document's mean of the input rows ``rows`` (-1: a zero row), each distinct row
    weighted by its ``row_weight`` (last entry: a -1 row's) times its count, or ``1 +
    log(count)`` with ``sublinear``; every -1 counts alone. ``norm="l2"``: the weighted sum
    over the Euclidean norm of the weights, not their sum."""
    def weight_of(r):
        return 1.0 if row_weight is None else float(row_weight[r if r >= 0 else -1])

    counts = {}
    weights = []
    vector = np.zeros(syn0.shape[1])
    for r in rows:
        if r < 0:
            weights.append(weight_of(r))
        else:
            counts[r] = counts.get(r, 0) + 1
    for r, k in counts.items():
        w = weight_of(r) * ((1 + np.log(k)) if sublinear else k)
        weights.append(w)
        vector += w * syn0[r].astype(np.float64)
    weights = np.asarray(weights)
    total = weights.sum() if norm == "l1" else np.sqrt((weights**2).sum())
    return vector / total if total > 0 else vector


def walk_step_probabilities(adjacency, current, previous=None, p=1.0, q=1.0):
    """The probability of each node being the next of a walk at ``current`` (having come
    from ``previous``, or None for a first step), from a dense weighted adjacency: DeepWalk's
    ``w(current, x)`` normalised, times node2vec's bias ``1/p`` (x == previous), 1 (an edge
    previous -> x) or ``1/q`` (otherwise) for a second-order step."""
    weights = np.asarray(adjacency, dtype=np.float64)[current].copy()
    if previous is not None:
        for x in np.flatnonzero(weights):
            if x == previous:
                weights[x] /= p
            elif adjacency[previous][x] == 0:
                weights[x] /= q
    return weights / weights.sum()


def phrase_counts(documents, connectors):
    """gensim's ``Phrases`` counting, in plain Python with tuple keys: ``(words, candidates,
    n_tokens)``, ``words`` the count of each token that is not a connector, ``candidates``
    the count of each ``(first, *connectors, last)`` (a word, the connectors after it and the
    next word), ``n_tokens`` every token read."""
    words, candidates, n_tokens = Counter(), Counter(), 0
    for tokens in documents:
        start, between = None, []
        for token in tokens:
            n_tokens += 1
            if token in connectors:
                if start is not None:
                    between.append(token)
                continue
            words[token] += 1
            if start is not None:
                candidates[(start, *between, token)] += 1
            start, between = token, []
    return dict(words), dict(candidates), n_tokens


def phrase_spans(tokens, phrases, connectors, delimiter="_"):
    """The tokens of one document with its phrases joined, read left to right as gensim's
    ``FrozenPhrases`` does (a candidate is a phrase when its joined text is in
    ``phrases``)."""
    out, start, between = [], None, []
    for token in tokens:
        if token in connectors:
            if start is None:
                out.append(token)
            else:
                between.append(token)
            continue
        if start is not None:
            text = delimiter.join([start, *between, token])
            if text in phrases:
                out.append(text)
                start, between = None, []
                continue
            out += [start, *between]
        start, between = token, []
    if start is not None:
        out += [start, *between]
    return out


def phrase_scores(documents, connectors, *, min_count, threshold, scoring, delimiter="_"):
    """The phrases of :func:`phrase_counts`: each candidate scored from its own count and
    the counts of its first and last words (word2vec's score, or normalized PMI over the
    tokens read), kept above ``threshold``, keyed by its delimiter-joined text (the highest
    score where two candidates spell one text)."""
    import math

    words, candidates, n_tokens = phrase_counts(documents, connectors)
    n_keys = len(words) + len(candidates)
    found = {}
    for candidate, count in candidates.items():
        a, b = words[candidate[0]], words[candidate[-1]]
        if scoring == "default":
            score = (count - min_count) / (a * b) * n_keys
        elif count < min_count:
            continue
        else:
            pa, pb, pab = a / n_tokens, b / n_tokens, count / n_tokens
            score = math.log(pab / (pa * pb)) / -math.log(pab)
        text = delimiter.join(candidate)
        if score > threshold and score > found.get(text, -math.inf):
            found[text] = score
    return found
