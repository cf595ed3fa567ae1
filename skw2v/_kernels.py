"""Every Numba kernel of skw2v lives in this module.

Kernels take NumPy arrays and scalars only and trust their inputs: shapes and index ranges are
checked in Python before any kernel runs (see :func:`skw2v._training.check_kernel_inputs`).
All of them are compiled with the one flag set of :mod:`skw2v._config`.

Training follows the HogBatch scheme (Ji et al., 2016): for one centre word, the context rows
of the input matrix and the output rows (the centre word and its negatives, or the inner nodes
of its Huffman path) form a small dense block. All logits of the block are computed from the
rows as they were before the update, then the input and output rows are updated from the same
gradient block. Negatives are drawn once per centre word and shared by its whole window.

Conventions, as in the word2vec C tool:

- a training "row" of ``syn0`` (the word vectors) is the *input*; ``syn1neg`` (negative
  sampling) and ``syn1`` (hierarchical softmax, one row per inner node of the Huffman tree) are
  the *outputs*;
- skip-gram predicts the centre word from each context word; CBOW predicts it from the mean
  (or sum) of the context rows, and every context row receives the whole error;
- an output with Huffman code bit ``c`` has the label ``1 - c``; for negative sampling the
  centre word has code 0 (label 1) and every negative code 1 (label 0).
"""

from collections import namedtuple

import numpy as np
from llvmlite import ir
from numba import njit, types
from numba.core import cgutils
from numba.extending import intrinsic

from ._config import NUMBA_FLAGS

#: Logits are clipped to ``[-MAX_EXP, MAX_EXP]`` and the sigmoid is read from a table there.
MAX_EXP = 6.0
#: Number of entries of the sigmoid table over ``[-MAX_EXP, MAX_EXP)``.
SIGMOID_TABLE_SIZE = 1000

_GRID = (np.arange(SIGMOID_TABLE_SIZE, dtype=np.float64) / SIGMOID_TABLE_SIZE * 2 - 1) * MAX_EXP
SIGMOID_TABLE = (1.0 / (1.0 + np.exp(-_GRID))).astype(np.float32)
# -log(sigmoid(x)) on the same grid, for the training loss.
NEG_LOG_SIGMOID_TABLE = np.log1p(np.exp(-_GRID)).astype(np.float32)
_TABLE_SCALE = SIGMOID_TABLE_SIZE / (2.0 * MAX_EXP)

_ONE32 = np.float32(1.0)
_ZERO32 = np.float32(0.0)
_MAX_EXP32 = np.float32(MAX_EXP)
_TWO_POW_32 = np.uint64(1) << np.uint64(32)
_LOW32 = np.uint64(0xFFFFFFFF)
_U32 = np.uint64(32)
_XS_MULT = np.uint64(0x2545F4914F6CDD1D)
_XS_A = np.uint64(12)
_XS_B = np.uint64(25)
_XS_C = np.uint64(27)


# --------------------------------------------------------------------------------------------
# Prefetching: a hint to the CPU, compiled to LLVM's prefetch.
# --------------------------------------------------------------------------------------------
@intrinsic
def prefetch_line(typingctx, matrix, row, column):
    """Ask the CPU to bring the cache line that holds ``matrix[row, column]`` (a C-ordered
    2-D array) into its caches (LLVM's ``prefetch``: a hint, never a fault, no result).
    Kernels that know which rows they will read next call it ahead of the reads, so that the
    loads overlap the arithmetic instead of waiting for memory one row at a time."""
    signature = types.void(matrix, row, column)

    def codegen(context, builder, sig, args):
        array_type, row_type, column_type = sig.args
        array = context.make_array(array_type)(context, builder, args[0])
        index = context.cast(builder, args[1], row_type, types.intp)
        column_index = context.cast(builder, args[2], column_type, types.intp)
        pointer = cgutils.get_item_pointer2(
            context, builder, data=array.data, shape=cgutils.unpack_tuple(builder, array.shape),
            strides=cgutils.unpack_tuple(builder, array.strides), layout=array_type.layout,
            inds=[index, column_index], wraparound=False)
        i32 = ir.IntType(32)
        # opaque pointers (LLVM 15 and later in llvmlite) or an i8* (older ones)
        if not getattr(pointer.type, "is_opaque", False):
            pointer = builder.bitcast(pointer, ir.IntType(8).as_pointer())
        name = "llvm.prefetch.p0" if getattr(pointer.type, "is_opaque", False) else \
            "llvm.prefetch.p0i8"
        function = cgutils.get_or_insert_function(
            builder.module, ir.FunctionType(ir.VoidType(), [pointer.type, i32, i32, i32]), name)
        # read, high temporal locality, data cache
        builder.call(function, [pointer, i32(0), i32(3), i32(1)])
        return context.get_dummy_value()

    return signature, codegen


# --------------------------------------------------------------------------------------------
# Random numbers: xorshift64*, one state per thread, kept in a local variable.
# --------------------------------------------------------------------------------------------
@njit(**NUMBA_FLAGS)
def _xorshift(state):
    """Advance a non-zero xorshift64* state; return ``(new_state, 64 random bits)``."""
    state ^= state >> _XS_A
    state ^= state << _XS_B
    state ^= state >> _XS_C
    return state, state * _XS_MULT


@njit(**NUMBA_FLAGS)
def _below(bits, n):
    """Map the high 32 of 64 random bits to an integer in ``[0, n)`` (multiply-shift)."""
    return np.int64(((bits >> _U32) * np.uint64(n)) >> _U32)


@njit(**NUMBA_FLAGS)
def _draw_alias(state, alias_threshold, alias_index):
    """Draw one word from the noise distribution (Walker's alias method, O(1))."""
    state, bits = _xorshift(state)
    i = _below(bits, alias_threshold.shape[0])
    if (bits & _LOW32) < alias_threshold[i]:
        return state, i
    return state, np.int64(alias_index[i])


# --------------------------------------------------------------------------------------------
# Tables built once per fit.
# --------------------------------------------------------------------------------------------
@njit(**NUMBA_FLAGS)
def build_alias_table(scaled, threshold, alias, small, large):
    """Fill the Walker/Vose alias table of a discrete distribution.

    ``scaled`` holds the probabilities times their number ``n`` (float64, overwritten);
    ``threshold`` (uint64) and ``alias`` (int32, ``alias[i] == i`` on entry) receive the
    table, ``small`` and ``large`` (int64) are work space, all of length ``n``. Draw ``i``
    uniformly, keep it when 32 uniform random bits are below ``threshold[i]`` (a value in
    ``[0, 2**32]``), else take ``alias[i]``. The caller allocates the arrays
    (:func:`skw2v._vocab.alias_table`), so no allocation is compiled here.
    """
    n = scaled.shape[0]
    n_small = 0
    n_large = 0
    for i in range(n):
        if scaled[i] < 1.0:
            small[n_small] = i
            n_small += 1
        else:
            large[n_large] = i
            n_large += 1
    while n_small > 0 and n_large > 0:
        n_small -= 1
        s = small[n_small]
        n_large -= 1
        g = large[n_large]
        threshold[s] = np.uint64(scaled[s] * 4294967296.0)
        alias[s] = g
        scaled[g] = (scaled[g] + scaled[s]) - 1.0
        if scaled[g] < 1.0:
            small[n_small] = g
            n_small += 1
        else:
            large[n_large] = g
            n_large += 1
    # What is left has probability one up to rounding.
    for k in range(n_large):
        threshold[large[k]] = _TWO_POW_32
    for k in range(n_small):
        threshold[small[k]] = _TWO_POW_32


@njit(**NUMBA_FLAGS)
def _heap_sift_down(heap, key, start, pos):
    """Python's ``heapq._siftdown`` on node ids ordered by ``key`` (strict ``<`` only)."""
    item = heap[pos]
    while pos > start:
        parent = (pos - 1) >> 1
        if key[item] < key[heap[parent]]:
            heap[pos] = heap[parent]
            pos = parent
            continue
        break
    heap[pos] = item


@njit(**NUMBA_FLAGS)
def _heap_sift_up(heap, key, size, pos):
    """Python's ``heapq._siftup``: move the smaller child up to the leaf, then sift down."""
    start = pos
    item = heap[pos]
    child = 2 * pos + 1
    while child < size:
        right = child + 1
        if right < size and not key[heap[child]] < key[heap[right]]:
            child = right
        heap[pos] = heap[child]
        pos = child
        child = 2 * pos + 1
    heap[pos] = item
    _heap_sift_down(heap, key, start, pos)


@njit(**NUMBA_FLAGS)
def _heap_pop(heap, key, size):
    """Python's ``heapq.heappop``; returns ``(node, new size)``."""
    size -= 1
    last = heap[size]
    if size == 0:
        return last, size
    top = heap[0]
    heap[0] = last
    _heap_sift_up(heap, key, size, 0)
    return top, size


@njit(**NUMBA_FLAGS)
def build_huffman_tree(counts):
    """Huffman codes of a vocabulary sorted by descending count, the tree gensim 4 builds.

    As gensim's ``_build_heap``: the words, in vocabulary order, go into a binary heap that
    compares counts only (Python's ``heapq`` rules, reproduced here); the two smallest nodes
    are popped (code 0, then code 1) and their parent pushed. Equal counts leave the heap in
    the order its sift rules give, which mixes words and inner nodes of the same count. (The
    C tool's two-queue merge pairs equal-count words in vocabulary order instead; on the
    prose benchmark corpus that tree cost CBOW rare-word similarity 0.02-0.04.)

    Returns ``(codes, points, offsets)``: word ``w`` has the code bits
    ``codes[offsets[w]:offsets[w + 1]]`` and, at the same positions, the inner nodes
    ``points`` (rows of ``syn1``, the root being ``n_words - 2``) from the root down.
    """
    n = counts.shape[0]
    count = np.zeros(2 * n, dtype=np.int64)
    count[:n] = counts
    binary = np.zeros(2 * n, dtype=np.uint8)
    parent = np.zeros(2 * n, dtype=np.int64)
    heap = np.arange(n, dtype=np.int64)
    for i in range(n // 2 - 1, -1, -1):
        _heap_sift_up(heap, count, n, i)
    size = n
    for a in range(n - 1):
        min1, size = _heap_pop(heap, count, size)
        min2, size = _heap_pop(heap, count, size)
        count[n + a] = count[min1] + count[min2]
        parent[min1] = n + a
        parent[min2] = n + a
        binary[min2] = 1
        heap[size] = n + a
        size += 1
        _heap_sift_down(heap, count, 0, size - 1)
    root = 2 * n - 2
    offsets = np.zeros(n + 1, dtype=np.int64)
    for a in range(n):
        length = 0
        b = a
        while b != root:
            length += 1
            b = parent[b]
        offsets[a + 1] = offsets[a] + length
    codes = np.empty(offsets[n], dtype=np.uint8)
    points = np.empty(offsets[n], dtype=np.int32)
    for a in range(n):
        b = a
        for j in range(offsets[a + 1] - 1, offsets[a] - 1, -1):
            codes[j] = binary[b]
            points[j] = parent[b] - n
            b = parent[b]
    return codes, points, offsets


# --------------------------------------------------------------------------------------------
# Corpus preparation: vocabulary look-up and frequent-word subsampling of one chunk.
# --------------------------------------------------------------------------------------------
@njit(**NUMBA_FLAGS)
def subsample_chunk(raw_ids, offsets, remap, keep_threshold, seed, out_tokens, out_offsets):
    """Map raw ids to vocabulary rows, drop out-of-vocabulary words and subsample frequent ones.

    A word ``w`` is kept when 32 random bits are below ``keep_threshold[w]`` (in
    ``[0, 2**32]``; ``2**32`` keeps it always). Writes the kept rows to ``out_tokens`` and the
    new document boundaries to ``out_offsets``; returns ``(n_kept, n_in_vocabulary)``.
    """
    state = np.uint64(seed)
    n_docs = offsets.shape[0] - 1
    k = 0
    n_in_vocab = 0
    out_offsets[0] = 0
    for doc in range(n_docs):
        for j in range(offsets[doc], offsets[doc + 1]):
            w = remap[raw_ids[j]]
            if w < 0:
                continue
            n_in_vocab += 1
            threshold = keep_threshold[w]
            if threshold < _TWO_POW_32:
                state, bits = _xorshift(state)
                if (bits >> _U32) >= threshold:
                    continue
            out_tokens[k] = w
            k += 1
        out_offsets[doc + 1] = k
    return k, n_in_vocab


# --------------------------------------------------------------------------------------------
# Gradient of one prediction.
# --------------------------------------------------------------------------------------------
@njit(**NUMBA_FLAGS)
def _gradient_and_loss(logit, code):
    """``(label - sigmoid(logit), -log P(label))`` for the label ``1 - code``.

    The comparisons are ordered so that a NaN logit (diverged weights) never indexes a table:
    it gives a NaN loss, which the epoch loop detects.
    """
    if logit >= _MAX_EXP32:
        sig = _ONE32
    elif logit > -_MAX_EXP32:
        sig = SIGMOID_TABLE[int((logit + _MAX_EXP32) * _TABLE_SCALE)]
    else:
        sig = _ZERO32
    z = logit if code == 0 else -logit  # loss is -log(sigmoid(z))
    if z >= _MAX_EXP32:
        loss = 0.0
    elif z > -_MAX_EXP32:
        loss = np.float64(NEG_LOG_SIGMOID_TABLE[int((z + _MAX_EXP32) * _TABLE_SCALE)])
    else:
        loss = -np.float64(z)
    label = _ONE32 - np.float32(code)
    return label - sig, loss


@njit(**NUMBA_FLAGS)
def _block_update(syn0, syn_out, contexts, n_contexts, outputs, codes, n_outputs, alpha,
                  grad, neu1e):
    """One skip-gram HogBatch block: ``n_contexts`` input rows times ``n_outputs`` outputs.

    Adds the input-row errors to ``neu1e`` (applied later by the caller) and updates the
    output rows in place. Both use the rows as they were before this call. Returns the loss.

    The block's three small matrix products (logits, input errors, output updates) are
    register-blocked: a loop over the dimensions reads several rows, so that each row loaded
    serves several products (2 inputs x 3 outputs for the logits and, right after them, the
    input errors of the same rows; then 4 inputs x 2 outputs for the updates). Work is
    bound by loading and storing rows, and this halves the loads and stores (skip-gram
    1.4-1.7x per core). Where a group runs past the end, its last index
    is repeated with a zero gradient (or, for the logits, its loss is not counted again).
    """
    dim = syn0.shape[1]
    last_b = n_contexts - 1
    last_m = n_outputs - 1
    loss = 0.0
    for b0 in range(0, n_contexts, 2):
        b1 = min(b0 + 1, last_b)
        c0 = contexts[b0]
        c1 = contexts[b1]
        for m0 in range(0, n_outputs, 3):
            m1 = min(m0 + 1, last_m)
            m2 = min(m0 + 2, last_m)
            o0 = outputs[m0]
            o1 = outputs[m1]
            o2 = outputs[m2]
            f00 = _ZERO32
            f01 = _ZERO32
            f02 = _ZERO32
            f10 = _ZERO32
            f11 = _ZERO32
            f12 = _ZERO32
            for d in range(dim):
                x0 = syn0[c0, d]
                x1 = syn0[c1, d]
                y0 = syn_out[o0, d]
                y1 = syn_out[o1, d]
                y2 = syn_out[o2, d]
                f00 += x0 * y0
                f01 += x0 * y1
                f02 += x0 * y2
                f10 += x1 * y0
                f11 += x1 * y1
                f12 += x1 * y2
            # A repeated index recomputes the same logit bit for bit and overwrites its
            # gradient with the same value; only its loss must not count twice.
            for b, f0, f1, f2, new_b in ((b0, f00, f01, f02, True),
                                         (b1, f10, f11, f12, b1 > b0)):
                g, lo = _gradient_and_loss(f0, codes[m0])
                grad[b, m0] = g * alpha
                loss += lo if new_b else 0.0
                g, lo = _gradient_and_loss(f1, codes[m1])
                grad[b, m1] = g * alpha
                loss += lo if new_b and m1 > m0 else 0.0
                g, lo = _gradient_and_loss(f2, codes[m2])
                grad[b, m2] = g * alpha
                loss += lo if new_b and m2 > m1 else 0.0
            # The input errors of the same rows, read again while they are in the cache
            # (the output rows are updated only after the whole block).
            g00 = grad[b0, m0]
            g01 = grad[b0, m1] if m1 > m0 else _ZERO32
            g02 = grad[b0, m2] if m2 > m1 else _ZERO32
            g10 = grad[b1, m0] if b1 > b0 else _ZERO32
            g11 = grad[b1, m1] if b1 > b0 and m1 > m0 else _ZERO32
            g12 = grad[b1, m2] if b1 > b0 and m2 > m1 else _ZERO32
            for d in range(dim):
                y0 = syn_out[o0, d]
                y1 = syn_out[o1, d]
                y2 = syn_out[o2, d]
                neu1e[b0, d] += g00 * y0 + g01 * y1 + g02 * y2
                neu1e[b1, d] += g10 * y0 + g11 * y1 + g12 * y2
    for m0 in range(0, n_outputs, 2):
        m1 = min(m0 + 1, last_m)
        o0 = outputs[m0]
        o1 = outputs[m1]
        for b0 in range(0, n_contexts, 4):
            b1 = min(b0 + 1, last_b)
            b2 = min(b0 + 2, last_b)
            b3 = min(b0 + 3, last_b)
            g00 = grad[b0, m0]
            g01 = grad[b1, m0] if b1 > b0 else _ZERO32
            g02 = grad[b2, m0] if b2 > b1 else _ZERO32
            g03 = grad[b3, m0] if b3 > b2 else _ZERO32
            g10 = grad[b0, m1] if m1 > m0 else _ZERO32
            g11 = grad[b1, m1] if m1 > m0 and b1 > b0 else _ZERO32
            g12 = grad[b2, m1] if m1 > m0 and b2 > b1 else _ZERO32
            g13 = grad[b3, m1] if m1 > m0 and b3 > b2 else _ZERO32
            c0 = contexts[b0]
            c1 = contexts[b1]
            c2 = contexts[b2]
            c3 = contexts[b3]
            for d in range(dim):
                x0 = syn0[c0, d]
                x1 = syn0[c1, d]
                x2 = syn0[c2, d]
                x3 = syn0[c3, d]
                syn_out[o0, d] += g00 * x0 + g01 * x1 + g02 * x2 + g03 * x3
                syn_out[o1, d] += g10 * x0 + g11 * x1 + g12 * x2 + g13 * x3
    return loss


@njit(**NUMBA_FLAGS)
def _cbow_update(hidden, syn_out, outputs, codes, n_outputs, alpha, neu1e):
    """One CBOW prediction layer: the hidden vector against ``n_outputs`` output rows.

    Adds the hidden-vector error to ``neu1e`` and updates the output rows; returns the loss.
    Prediction by prediction, as the C tool: blocking the outputs as skip-gram's block does
    (all logits first, then the errors, then the updates) made one thread 15-20% faster
    but two threads up to twice slower with hierarchical softmax, whose top inner nodes
    both threads update all the time (each row's cache lines are read, then written passes
    later, instead of in one burst).
    """
    dim = hidden.shape[0]
    loss = 0.0
    for m in range(n_outputs):
        o = outputs[m]
        f = _ZERO32
        for d in range(dim):
            f += hidden[d] * syn_out[o, d]
        g, lo = _gradient_and_loss(f, codes[m])
        g *= alpha
        loss += lo
        for d in range(dim):
            neu1e[d] += g * syn_out[o, d]
        for d in range(dim):
            syn_out[o, d] += g * hidden[d]
    return loss


@njit(**NUMBA_FLAGS)
def _prefetch_rows(matrix, rows, a, b):
    """Prefetch every cache line of the rows ``matrix[rows[a:b]]`` (:func:`prefetch_line`).

    A kernel calls it as soon as it knows which rows a prediction will read (the context
    rows, the centre word's negatives, a subword centre's rows), so that all of them come
    from memory at once instead of one row after another as each dot product reaches them.
    Not the Huffman path of hierarchical softmax: its top inner nodes are in cache and
    written by every thread, and fetching them early measured slower."""
    dim = matrix.shape[1]
    for j in range(a, b):
        r = rows[j]
        for d in range(0, dim, 16):
            prefetch_line(matrix, r, d)
        prefetch_line(matrix, r, dim - 1)


@njit(**NUMBA_FLAGS)
def _draw_negatives(state, target, negative, alias_threshold, alias_index, outputs, codes):
    """Fill ``outputs``/``codes`` with the target (code 0) and its negatives (code 1).

    A negative equal to the target is dropped. Returns ``(state, n_outputs)``.
    """
    outputs[0] = target
    codes[0] = 0
    n = 1
    for _ in range(negative):
        state, w = _draw_alias(state, alias_threshold, alias_index)
        if w == target:
            continue
        outputs[n] = w
        codes[n] = 1
        n += 1
    return state, n


# --------------------------------------------------------------------------------------------
# Training kernels: one call trains the centre positions [pos_start, pos_end) of a chunk.
#
# All four kernels take the same groups of arguments, in the same order (see skw2v._training,
# which builds them), the subword kernels Subwords after the first four, and every kernel its
# Scratch last:
#   weights  Weights(syn0, syn1, syn1neg, lock_factor): the model, updated in place;
#   tables   OutputTables(negative, alias_threshold, alias_index, hs, hs_codes, hs_points,
#            hs_offsets): what the output layer predicts;
#   shard    Shard(tokens, offsets, first_doc, pos_start, pos_end): the positions to train;
#   run      Run(window, shrink_windows, cbow_mean, alpha_start, alpha_end, seed);
#   scratch  Scratch(contexts, outputs, codes, grad, neu1e): the call's buffers.
#
# What they have in common is written once: _prologue (generator and learning-rate step)
# and _enter_position (the document walk, the learning rate and the window of one
# position, in the one call a position makes outside its updates). The output layer is one
# block per centre word (_block_update, skip-gram) or one hidden vector (_cbow_update), against
# the negatives (_draw_negatives) and/or the Huffman path; each kernel calls those itself: a
# shared helper around them adds a call per prediction (LLVM does not inline it when Numba
# links the functions), which cost skip-gram with subwords about a fifth of its speed.
# --------------------------------------------------------------------------------------------
Weights = namedtuple("Weights", ["syn0", "syn1", "syn1neg", "lock_factor"])
OutputTables = namedtuple("OutputTables", ["negative", "alias_threshold", "alias_index", "hs",
                                           "hs_codes", "hs_points", "hs_offsets"])
Shard = namedtuple("Shard", ["tokens", "offsets", "first_doc", "pos_start", "pos_end"])
Run = namedtuple("Run", ["window", "shrink_windows", "cbow_mean", "alpha_start", "alpha_end",
                         "seed"])
# A call's buffers, allocated in Python (skw2v._training.kernel_scratch) so that no kernel
# compiles an allocation: ``contexts`` (int32, one per context word a position can have),
# ``outputs``/``codes`` (int32/uint8, ``negative + 1``), ``grad`` (float32, a row of logit
# gradients per context word for skip-gram's block, one row for the others, as wide as
# ``negative + 1`` or the longest Huffman code) and ``neu1e`` (float32, zeros: an error row
# per context word for skip-gram, one for the hidden vector for the others), ``hidden`` and
# ``step`` (float32, a row each: the hidden vector and one prediction's error).
Scratch = namedtuple("Scratch", ["contexts", "outputs", "codes", "grad", "neu1e", "hidden",
                                 "step"])


@njit(**NUMBA_FLAGS)
def _prologue(shard, run):
    """The generator state and the learning-rate step of a call: ``(state, alpha_step)``."""
    alpha_step = (run.alpha_end - run.alpha_start) / max(shard.pos_end - shard.pos_start, 1)
    return np.uint64(run.seed), alpha_step


@njit(**NUMBA_FLAGS)
def _enter_position(i, shard, run, alpha_step, doc, state, contexts):
    """Step to the centre position ``i`` (positions come in increasing order, ``doc`` starts
    at ``shard.first_doc``); return ``(doc, alpha, state, n_ctx)``.

    Moves ``doc`` forward to the document that holds ``i`` and gives the learning rate at
    ``i`` (linear from ``run.alpha_start`` at ``shard.pos_start``, ``alpha_step`` a position).
    Writes the ``n_ctx`` context words of ``i`` to ``contexts``: the window is drawn
    uniformly from ``1..run.window`` with ``run.shrink_windows`` (one random draw), else it
    is ``run.window``; it never crosses the document.
    """
    offsets = shard.offsets
    while i >= offsets[doc + 1]:
        doc += 1
    alpha = np.float32(run.alpha_start + alpha_step * (i - shard.pos_start))
    reduced = 0
    if run.shrink_windows:
        state, bits = _xorshift(state)
        reduced = _below(bits, run.window)
    lo = max(offsets[doc], i - run.window + reduced)
    hi = min(offsets[doc + 1], i + run.window + 1 - reduced)
    n_ctx = 0
    for j in range(lo, hi):
        if j != i:
            contexts[n_ctx] = shard.tokens[j]
            n_ctx += 1
    return doc, alpha, state, n_ctx


@njit(**NUMBA_FLAGS)
def train_skipgram(weights, tables, shard, run, scratch):
    """Skip-gram over the centre positions ``[shard.pos_start, shard.pos_end)``.

    ``shard.offsets`` are the document boundaries of ``shard.tokens`` and
    ``shard.first_doc`` the document that holds ``pos_start``; windows never cross a document
    boundary. The learning rate moves linearly from ``run.alpha_start`` to ``run.alpha_end``
    over the positions. Input rows are scaled by ``weights.lock_factor`` (0 freezes a word).
    The context rows of a centre word form one block (:func:`_block_update`); each row
    receives its own error. Returns ``(loss, n_positions, n_predictions)``.
    """
    syn0, syn1, syn1neg, lock_factor = weights
    negative, alias_threshold, alias_index, hs, hs_codes, hs_points, hs_offsets = tables
    dim = syn0.shape[1]
    contexts, outputs, codes, grad, neu1e, _, _ = scratch
    state, alpha_step = _prologue(shard, run)
    loss = 0.0
    n_predictions = 0
    doc = shard.first_doc
    for i in range(shard.pos_start, shard.pos_end):
        doc, alpha, state, n_ctx = _enter_position(i, shard, run, alpha_step, doc, state,
                                                   contexts)
        if n_ctx == 0:
            continue
        target = shard.tokens[i]
        _prefetch_rows(syn0, contexts, 0, n_ctx)
        if negative > 0:
            state, n_out = _draw_negatives(state, target, negative, alias_threshold,
                                           alias_index, outputs, codes)
            _prefetch_rows(syn1neg, outputs, 0, n_out)
            loss += _block_update(syn0, syn1neg, contexts, n_ctx, outputs, codes, n_out,
                                  alpha, grad, neu1e)
            n_predictions += n_ctx * n_out
        if hs:
            a = hs_offsets[target]
            b = hs_offsets[target + 1]
            loss += _block_update(syn0, syn1, contexts, n_ctx, hs_points[a:b], hs_codes[a:b],
                                  b - a, alpha, grad, neu1e)
            n_predictions += n_ctx * (b - a)
        for k in range(n_ctx):
            c = contexts[k]
            lock = lock_factor[c]
            for d in range(dim):
                syn0[c, d] += lock * neu1e[k, d]
                neu1e[k, d] = _ZERO32
    return loss, shard.pos_end - shard.pos_start, n_predictions


@njit(**NUMBA_FLAGS)
def train_cbow(weights, tables, shard, run, scratch):
    """CBOW over the centre positions ``[shard.pos_start, shard.pos_end)``.

    Arguments as in :func:`train_skipgram`; ``run.cbow_mean`` averages the context rows
    instead of summing them. Every context row receives the whole hidden-layer error, as in
    the C tool. Returns ``(loss, n_positions, n_predictions)``.
    """
    syn0, syn1, syn1neg, lock_factor = weights
    negative, alias_threshold, alias_index, hs, hs_codes, hs_points, hs_offsets = tables
    dim = syn0.shape[1]
    contexts, outputs, codes, grad, errors, hidden, step = scratch
    state, alpha_step = _prologue(shard, run)
    neu1e = errors[0]
    loss = 0.0
    n_predictions = 0
    doc = shard.first_doc
    for i in range(shard.pos_start, shard.pos_end):
        doc, alpha, state, n_ctx = _enter_position(i, shard, run, alpha_step, doc, state,
                                                   contexts)
        if n_ctx == 0:
            continue
        target = shard.tokens[i]
        _prefetch_rows(syn0, contexts, 0, n_ctx)
        n_out = 0
        if negative > 0:
            state, n_out = _draw_negatives(state, target, negative, alias_threshold,
                                           alias_index, outputs, codes)
            _prefetch_rows(syn1neg, outputs, 0, n_out)
        for d in range(dim):
            hidden[d] = _ZERO32
            neu1e[d] = _ZERO32
        _add_rows(syn0, contexts, 0, n_ctx, hidden)
        if run.cbow_mean:
            inv = _ONE32 / np.float32(n_ctx)
            for d in range(dim):
                hidden[d] *= inv
        if negative > 0:
            loss += _cbow_update(hidden, syn1neg, outputs, codes, n_out, alpha, neu1e)
            n_predictions += n_out
        if hs:
            p = hs_offsets[target]
            q = hs_offsets[target + 1]
            loss += _cbow_update(hidden, syn1, hs_points[p:q], hs_codes[p:q], q - p, alpha,
                                 neu1e)
            n_predictions += q - p
        _scatter_rows(syn0, lock_factor, contexts, 0, n_ctx, neu1e)
    return loss, shard.pos_end - shard.pos_start, n_predictions


# --------------------------------------------------------------------------------------------
# Subwords (fastText): character n-grams hashed to buckets, and the kernels that train a word
# as the mean of its own input row and the rows of its n-grams.
# --------------------------------------------------------------------------------------------
_FNV_OFFSET = np.uint64(2166136261)
_FNV_PRIME = np.uint64(16777619)
_SIGN_EXTEND = np.uint64(0xFFFFFF00)


@njit(**NUMBA_FLAGS)
def _word_ngrams(data, start, end, minn, maxn, n_buckets, out, at, fill):
    """The n-gram buckets of one bracketed word ``data[start:end]`` (UTF-8 of ``<word>``).

    fastText's rules (``Dictionary::computeSubwords``): an n-gram starts at every byte that
    is not a UTF-8 continuation byte and spans ``n`` characters, ``minn <= n <= maxn``; a
    1-gram that is only ``<`` or ``>`` is left out. Its bucket is the 32-bit FNV-1a hash of
    its bytes, each byte sign-extended first (fastText hashes ``int8_t`` values), modulo
    ``n_buckets``. Writes the buckets at ``out[at:]`` when ``fill``; returns their number.
    """
    k = 0
    for i in range(start, end):
        if (data[i] & 0xC0) == 0x80:
            continue
        h = _FNV_OFFSET
        j = i
        n = 1
        while j < end and n <= maxn:
            byte = np.uint64(data[j])
            if byte >= 128:
                byte |= _SIGN_EXTEND
            h = ((h ^ byte) * _FNV_PRIME) & _LOW32
            j += 1
            while j < end and (data[j] & 0xC0) == 0x80:
                byte = np.uint64(data[j]) | _SIGN_EXTEND
                h = ((h ^ byte) * _FNV_PRIME) & _LOW32
                j += 1
            if n >= minn and not (n == 1 and (i == start or j == end)):
                if fill:
                    out[at + k] = np.int64(h % np.uint64(n_buckets))
                k += 1
            n += 1
    return k


@njit(**NUMBA_FLAGS)
def char_ngram_buckets(data, word_offsets, minn, maxn, n_buckets, offsets, buckets, fill):
    """Bucket ids of the character n-grams of many words, in fastText's order, in two calls.

    ``data[word_offsets[w]:word_offsets[w + 1]]`` is the UTF-8 of ``"<" + word + ">"``.
    Without ``fill``, writes word ``w``'s number of n-grams to ``offsets[w + 1]``; with it,
    writes its buckets to ``buckets[offsets[w]:offsets[w + 1]]`` (duplicates kept, as
    fastText keeps them). The caller allocates (:func:`skw2v._subwords.char_ngram_buckets`).
    """
    for w in range(word_offsets.shape[0] - 1):
        k = _word_ngrams(data, word_offsets[w], word_offsets[w + 1], minn, maxn, n_buckets,
                         buckets, offsets[w], fill)
        if not fill:
            offsets[w + 1] = k


@njit(**NUMBA_FLAGS)
def subword_means(word_rows, ngram_vectors, words, offsets, ngram_rows, out):
    """Vectors of words as fastText composes them: ``out[i]`` is the mean of the word's own
    row ``word_rows[words[i]]`` (none when ``words[i] < 0``, an unseen word) and its n-gram
    rows ``ngram_vectors[ngram_rows[offsets[i]:offsets[i + 1]]]``, summed in that order. An
    n-gram row of -1 (a bucket the model holds no row for) counts as a zero row; a word with
    nothing to average gets zeros."""
    dim = out.shape[1]
    for i in range(words.shape[0]):
        for d in range(dim):
            out[i, d] = _ZERO32
        n = offsets[i + 1] - offsets[i]
        w = words[i]
        if w >= 0:
            n += 1
            for d in range(dim):
                out[i, d] += word_rows[w, d]
        for j in range(offsets[i], offsets[i + 1]):
            r = ngram_rows[j]
            if r < 0:
                continue
            for d in range(dim):
                out[i, d] += ngram_vectors[r, d]
        if n > 0:
            inv = _ONE32 / np.float32(n)
            for d in range(dim):
                out[i, d] *= inv


# A word's input rows: ``rows[offsets[w]:offsets[w + 1]]`` (its own row first, then one row
# per character n-gram, duplicates kept), all rows of ``Weights.syn0``.
Subwords = namedtuple("Subwords", ["offsets", "rows"])


@njit(**NUMBA_FLAGS)
def _add_rows(syn0, rows, a, b, hidden):
    """Add the rows ``syn0[rows[a:b]]`` to ``hidden``, four rows per loop over the
    dimensions (each load and store of ``hidden`` serves four rows)."""
    dim = hidden.shape[0]
    j = a
    while j + 3 < b:
        r0 = rows[j]
        r1 = rows[j + 1]
        r2 = rows[j + 2]
        r3 = rows[j + 3]
        for d in range(dim):
            hidden[d] += (syn0[r0, d] + syn0[r1, d]) + (syn0[r2, d] + syn0[r3, d])
        j += 4
    while j < b:
        r0 = rows[j]
        for d in range(dim):
            hidden[d] += syn0[r0, d]
        j += 1


@njit(**NUMBA_FLAGS)
def _scatter_rows(syn0, lock_factor, rows, a, b, neu1e):
    """Add ``neu1e`` (scaled by each row's lock factor) to the rows ``syn0[rows[a:b]]``, four
    rows per loop over the dimensions (a row listed twice gets both additions)."""
    dim = neu1e.shape[0]
    j = a
    while j + 3 < b:
        r0 = rows[j]
        r1 = rows[j + 1]
        r2 = rows[j + 2]
        r3 = rows[j + 3]
        l0 = lock_factor[r0]
        l1 = lock_factor[r1]
        l2 = lock_factor[r2]
        l3 = lock_factor[r3]
        for d in range(dim):
            e = neu1e[d]
            syn0[r0, d] += l0 * e
            syn0[r1, d] += l1 * e
            syn0[r2, d] += l2 * e
            syn0[r3, d] += l3 * e
        j += 4
    while j < b:
        r0 = rows[j]
        l0 = lock_factor[r0]
        for d in range(dim):
            syn0[r0, d] += l0 * neu1e[d]
        j += 1


@njit(**NUMBA_FLAGS)
def train_skipgram_subwords(weights, tables, shard, run, subwords, scratch):
    """Skip-gram with subwords over the centre positions of ``shard`` (as fastText: the
    centre word's input, the mean of its rows, predicts each context word).

    HogBatch over the window: the centre's mean is computed once and every context word
    (with its own negatives, or its Huffman path) is predicted from it; the input error is
    summed over the window and added once to each of the centre's rows. fastText instead adds
    each context word's error to every row at once and recomputes the mean: since every row
    moves by that error, the mean moves by it too (times the share of unlocked rows), so
    the kernel moves its copy of the mean the same way after each context word, and the
    next prediction sees what fastText's would, at the cost of one vector addition instead
    of a pass over the rows. Arguments as in :func:`train_skipgram` plus ``subwords``;
    ``weights.lock_factor`` has one entry per row of ``syn0``.
    Returns ``(loss, n_positions, n_predictions)``.
    """
    syn0, syn1, syn1neg, lock_factor = weights
    negative, alias_threshold, alias_index, hs, hs_codes, hs_points, hs_offsets = tables
    sub_offsets, sub_rows = subwords
    dim = syn0.shape[1]
    contexts, outputs, codes, grad, errors, hidden, step = scratch
    state, alpha_step = _prologue(shard, run)
    neu1e = errors[0]
    loss = 0.0
    n_predictions = 0
    doc = shard.first_doc
    for i in range(shard.pos_start, shard.pos_end):
        doc, alpha, state, n_ctx = _enter_position(i, shard, run, alpha_step, doc, state,
                                                   contexts)
        if n_ctx == 0:
            continue
        centre = shard.tokens[i]
        a = sub_offsets[centre]
        b = sub_offsets[centre + 1]
        _prefetch_rows(syn0, sub_rows, a, b)
        for d in range(dim):
            hidden[d] = _ZERO32
            neu1e[d] = _ZERO32
        _add_rows(syn0, sub_rows, a, b, hidden)
        inv = _ONE32 / np.float32(b - a)
        moving = _ZERO32  # the mean moves by this share of each row's step
        for j in range(a, b):
            moving += lock_factor[sub_rows[j]]
        moving *= inv
        for d in range(dim):
            hidden[d] *= inv
        for k in range(n_ctx):
            for d in range(dim):
                step[d] = _ZERO32
            target = contexts[k]
            if negative > 0:
                state, n_out = _draw_negatives(state, target, negative, alias_threshold,
                                               alias_index, outputs, codes)
                loss += _cbow_update(hidden, syn1neg, outputs, codes, n_out, alpha, step)
                n_predictions += n_out
            if hs:
                p = hs_offsets[target]
                q = hs_offsets[target + 1]
                loss += _cbow_update(hidden, syn1, hs_points[p:q], hs_codes[p:q], q - p,
                                     alpha, step)
                n_predictions += q - p
            for d in range(dim):
                neu1e[d] += step[d]
                hidden[d] += moving * step[d]
        _scatter_rows(syn0, lock_factor, sub_rows, a, b, neu1e)
    return loss, shard.pos_end - shard.pos_start, n_predictions


@njit(**NUMBA_FLAGS)
def train_cbow_subwords(weights, tables, shard, run, subwords, scratch):
    """CBOW with subwords: the hidden layer is the mean (``run.cbow_mean``) or sum of the
    rows of all context words (each word's own row and its n-gram rows, as fastText's bag),
    and every one of those rows receives the whole error. Arguments as in
    :func:`train_skipgram_subwords`. Returns ``(loss, n_positions, n_predictions)``.
    """
    syn0, syn1, syn1neg, lock_factor = weights
    negative, alias_threshold, alias_index, hs, hs_codes, hs_points, hs_offsets = tables
    sub_offsets, sub_rows = subwords
    dim = syn0.shape[1]
    contexts, outputs, codes, grad, errors, hidden, step = scratch
    state, alpha_step = _prologue(shard, run)
    neu1e = errors[0]
    loss = 0.0
    n_predictions = 0
    doc = shard.first_doc
    for i in range(shard.pos_start, shard.pos_end):
        doc, alpha, state, n_ctx = _enter_position(i, shard, run, alpha_step, doc, state,
                                                   contexts)
        if n_ctx == 0:
            continue
        target = shard.tokens[i]
        n_out = 0
        if negative > 0:
            state, n_out = _draw_negatives(state, target, negative, alias_threshold,
                                           alias_index, outputs, codes)
            _prefetch_rows(syn1neg, outputs, 0, n_out)
        for d in range(dim):
            hidden[d] = _ZERO32
            neu1e[d] = _ZERO32
        n_rows = 0
        for k in range(n_ctx):
            c = contexts[k]
            _add_rows(syn0, sub_rows, sub_offsets[c], sub_offsets[c + 1], hidden)
            n_rows += sub_offsets[c + 1] - sub_offsets[c]
        if run.cbow_mean:
            inv = _ONE32 / np.float32(n_rows)
            for d in range(dim):
                hidden[d] *= inv
        if negative > 0:
            loss += _cbow_update(hidden, syn1neg, outputs, codes, n_out, alpha, neu1e)
            n_predictions += n_out
        if hs:
            p = hs_offsets[target]
            q = hs_offsets[target + 1]
            loss += _cbow_update(hidden, syn1, hs_points[p:q], hs_codes[p:q], q - p, alpha,
                                 neu1e)
            n_predictions += q - p
        for k in range(n_ctx):
            c = contexts[k]
            _scatter_rows(syn0, lock_factor, sub_rows, sub_offsets[c], sub_offsets[c + 1],
                          neu1e)
    return loss, shard.pos_end - shard.pos_start, n_predictions
