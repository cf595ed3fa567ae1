"""Plain NumPy reference implementations of the training kernels.

Written from the algorithm's description (HogBatch blocks, the C tool's sigmoid table and
label conventions), in matrix form and with Python loops, never by calling the kernels. The
random generator (xorshift64*) is part of the kernels' specification and is re-implemented
here with Python integers, so a whole kernel call can be replayed draw by draw.
"""

import numpy as np

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


def skipgram_block(syn0, syn_out, contexts, outputs, codes, alpha, sigmoid=sigmoid_table):
    """One HogBatch block in matrix form. Updates ``syn_out`` in place.

    Returns the input-row errors (one row per context) computed from the old output rows.
    """
    inputs = syn0[contexts].astype(np.float64)
    outs = syn_out[outputs].astype(np.float64)
    labels = 1.0 - np.asarray(codes, dtype=np.float64)
    grad = (labels[None, :] - sigmoid(inputs @ outs.T)) * alpha
    errors = grad @ outs
    np.add.at(syn_out, outputs, (grad.T @ inputs).astype(syn_out.dtype))
    return errors


def cbow_layer(hidden, syn_out, outputs, codes, alpha, sigmoid=sigmoid_table):
    """One CBOW output layer, prediction by prediction. Updates ``syn_out`` in place."""
    error = np.zeros(hidden.shape[0])
    for output, code in zip(outputs, codes, strict=True):
        row = syn_out[output].astype(np.float64)
        g = ((1.0 - code) - sigmoid(hidden @ row)) * alpha
        error += g * row
        syn_out[output] += (g * hidden).astype(syn_out.dtype)
    return error


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
    """Replay one call of ``train_skipgram``/``train_cbow``; updates the weights in place."""
    rng = XorShift(seed)
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
                errors += skipgram_block(syn0, syn_out, contexts, outputs, codes, alpha)
            for row, error in zip(contexts, errors, strict=True):
                syn0[row] += (lock[row] * error).astype(np.float32)
        else:
            hidden = syn0[contexts].astype(np.float64).sum(axis=0)
            if cbow_mean:
                hidden /= len(contexts)
            error = np.zeros(syn0.shape[1])
            for syn_out, outputs, codes in layers:
                error += cbow_layer(hidden, syn_out, outputs, codes, alpha)
            for row in contexts:
                syn0[row] += (lock[row] * error).astype(np.float32)


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
