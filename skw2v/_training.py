"""The epoch loop: Python schedules chunks, threads and the learning rate; kernels train.

Each epoch reads the encoded corpus chunk by chunk. A chunk is first mapped to vocabulary rows
and subsampled (one kernel call), then its centre positions are split into one contiguous
shard per thread; every thread runs one ``nogil`` kernel call on its shard while the main
thread prepares the next chunk. Threads update the shared weights without locks (Hogwild).

Randomness: one integer seed per fit; every (epoch, chunk) derives its own seeds from it with
``numpy.random.SeedSequence``, one per thread, so that ``n_jobs=1`` with a fixed seed gives
identical vectors on every run.
"""

import os
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import numpy as np

from . import _kernels, _vocab
from ._progress import Step


@dataclass(frozen=True)
class TrainingConfig:
    """What the kernels need to know, taken from the estimator's validated parameters."""

    architecture: str
    vector_size: int
    window: int
    shrink_windows: bool
    cbow_mean: bool
    negative: int
    hs: bool
    sample: float
    ns_exponent: float
    alpha: float
    min_alpha: float
    epochs: int
    n_threads: int
    verbose: int
    char_ngram_range: tuple | None = None
    n_buckets: int = 2_000_000


@dataclass
class TrainingState:
    """Weights and tables of one model.

    ``syn0`` holds one input row per word, then (with subwords) one row per n-gram bucket
    kept; ``sub_offsets``/``sub_rows`` list each word's input rows (its own row, then its
    n-gram rows), None without subwords.
    """

    syn0: np.ndarray
    syn1: np.ndarray
    syn1neg: np.ndarray
    lock_factor: np.ndarray
    alias_threshold: np.ndarray
    alias_index: np.ndarray
    hs_codes: np.ndarray
    hs_points: np.ndarray
    hs_offsets: np.ndarray
    keep_threshold: np.ndarray
    sub_offsets: np.ndarray | None = None
    sub_rows: np.ndarray | None = None


def _physical_memory():
    """Bytes of physical memory of this machine, or None where it cannot be told."""
    try:
        return os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
    except (AttributeError, ValueError, OSError):
        return None


def _size(n_bytes):
    for unit in ("bytes", "KiB", "MiB", "GiB", "TiB"):
        if n_bytes < 1024 or unit == "TiB":
            return f"{n_bytes:,.0f} {unit}" if unit == "bytes" else f"{n_bytes:,.1f} {unit}"
        n_bytes /= 1024
    return ""  # pragma: no cover


def weights_bytes(n_words, config, n_ngram_rows=0):
    """Bytes of the weight matrices of a model: input (a row per word and per n-gram bucket
    kept), and one output per output layer."""
    n_outputs = (config.negative > 0) + bool(config.hs)
    return 4 * ((1 + n_outputs) * n_words + n_ngram_rows) * config.vector_size


def scratch_bytes(config, longest_document, max_code_length=64):
    """Bytes of the per-thread buffers of the training kernels, all threads together.

    A position has at most ``min(2 * window, longest_document - 1)`` context words
    (:func:`context_capacity`); every thread holds a block of logits of that many rows by
    ``negative + 1`` (or the longest Huffman code) columns, and one error row per context word.
    """
    capacity = _context_rows(config.window, longest_document)
    width = max(config.negative + 1, max_code_length if config.hs else 0)
    per_thread = 4 * capacity * (width + config.vector_size) + 5 * (config.negative + 1)
    return config.n_threads * per_thread


def check_memory(n_words, config, longest_document, n_ngram_rows=0):
    """Raise a MemoryError naming the parameters before the weights and the kernels' buffers
    are allocated, when they would need more than this machine's physical memory."""
    available = _physical_memory()
    if available is None:
        return
    weights = weights_bytes(n_words, config, n_ngram_rows)
    if weights > available:
        raise MemoryError(_memory_message(n_words, config, weights, available, n_ngram_rows))
    scratch = scratch_bytes(config, longest_document)
    if weights + scratch > available:
        raise MemoryError(
            f"The training buffers need {_size(scratch)} ({config.n_threads} thread(s) x up "
            f"to {_context_rows(config.window, longest_document):,} context words x "
            f"negative + 1 = {config.negative + 1:,} outputs) besides {_size(weights)} of "
            f"weights; this machine has {_size(available)} in all. Lower negative (5 to 20 "
            "are usual) or window, or use fewer threads (n_jobs)."
        )


def _memory_message(n_words, config, needed, available=None, n_ngram_rows=0):
    layers = ["input"] + (["negative-sampling output"] if config.negative > 0 else []) + (
        ["hierarchical-softmax output"] if config.hs else [])
    have = "" if available is None else f"; this machine has {_size(available)} in all"
    ngrams = (f" plus {n_ngram_rows:,} n-gram rows (n_buckets={config.n_buckets:,})"
              if n_ngram_rows else "")
    fewer = " or fewer n-gram buckets (n_buckets)" if n_ngram_rows else ""
    return (f"The weights need {_size(needed)}: {n_words:,} words x vector_size="
            f"{config.vector_size:,} x {len(layers)} float32 matrices ({', '.join(layers)})"
            f"{ngrams}{have}. Lower vector_size, or keep fewer words with a larger min_count "
            f"or a max_vocab_size{fewer}.")


def initial_state(counts, config, seed, n_ngram_rows=0):
    """Random input rows (``n_ngram_rows`` n-gram rows after the word rows), zero output
    weights and the tables derived from ``counts``.

    Callers check the size first with :func:`check_memory`; a MemoryError of NumPy is
    re-raised naming the parameters.
    """
    n_words = counts.shape[0]
    try:
        return _initial_state(counts, config, seed, n_ngram_rows)
    except MemoryError:
        raise MemoryError(_memory_message(
            n_words, config, weights_bytes(n_words, config, n_ngram_rows), None, n_ngram_rows)
        ) from None


def _initial_state(counts, config, seed, n_ngram_rows):
    n_words = counts.shape[0]
    dim = config.vector_size
    rng = np.random.default_rng(seed)
    # As gensim 4 (keyedvectors.prep_vectors): uniform in [-1, 1) / vector_size, in float32.
    # (The C tool draws from [-0.5, 0.5) / vector_size; gensim's wider start measured better
    # for CBOW and for document vectors, and the same for skip-gram.) fastText initialises
    # its n-gram rows the same way.
    syn0 = rng.random((n_words + n_ngram_rows, dim), dtype=np.float32)
    syn0 *= np.float32(2.0)
    syn0 -= np.float32(1.0)
    syn0 /= np.float32(dim)
    if config.negative > 0:
        syn1neg = np.zeros((n_words, dim), dtype=np.float32)
        threshold, alias = _vocab.alias_table(
            _vocab.noise_distribution(counts, config.ns_exponent)
        )
    else:
        syn1neg = np.zeros((0, dim), dtype=np.float32)
        threshold = np.full(1, 2**32, dtype=np.uint64)
        alias = np.zeros(1, dtype=np.int32)
    if config.hs:
        # Pretrained words missing from the corpus (count 0) still get a code.
        codes, points, offsets = _vocab.huffman_tree(np.maximum(counts, 1))
        syn1 = np.zeros((max(n_words - 1, 0), dim), dtype=np.float32)
    else:
        codes = np.zeros(0, dtype=np.uint8)
        points = np.zeros(0, dtype=np.int32)
        offsets = np.zeros(n_words + 1, dtype=np.int64)
        syn1 = np.zeros((0, dim), dtype=np.float32)
    keep = _vocab.keep_thresholds(_vocab.keep_probabilities(counts, config.sample))
    return TrainingState(
        syn0=syn0,
        syn1=syn1,
        syn1neg=syn1neg,
        lock_factor=np.ones(n_words + n_ngram_rows, dtype=np.float32),
        alias_threshold=threshold,
        alias_index=alias,
        hs_codes=codes,
        hs_points=points,
        hs_offsets=offsets,
        keep_threshold=keep,
    )


def check_kernel_inputs(state, config):
    """Check every shape and index range the training kernels rely on (they check none)."""
    n_rows, dim = state.syn0.shape
    n_words = state.keep_threshold.shape[0]
    problems = []

    def expect(condition, message):
        if not condition:
            problems.append(message)

    for name in ("syn0", "syn1", "syn1neg"):
        array = getattr(state, name)
        expect(array.dtype == np.float32 and array.flags.c_contiguous and array.ndim == 2,
               f"{name} must be a C-contiguous 2-D float32 array")
        expect(array.shape[1] == dim, f"{name} has {array.shape[1]} columns, syn0 has {dim}")
    expect(dim == config.vector_size, f"syn0 has {dim} columns, vector_size={config.vector_size}")
    expect(state.lock_factor.shape == (n_rows,) and state.lock_factor.dtype == np.float32,
           "lock_factor must be float32 with one entry per row of syn0")
    if config.char_ngram_range is None:
        expect(n_rows == n_words, "syn0 needs one row per word")
    else:
        offsets, rows = state.sub_offsets, state.sub_rows
        expect(offsets is not None and rows is not None, "subwords need sub_offsets/sub_rows")
        if offsets is not None and rows is not None:
            expect(offsets.dtype == np.int64 and rows.dtype == np.int64,
                   "sub_offsets and sub_rows must be int64")
            expect(offsets.shape == (n_words + 1,) and offsets[0] == 0
                   and np.all(np.diff(offsets) >= 1) and offsets[-1] == rows.shape[0],
                   "sub_offsets must give every word at least its own row")
            expect(rows.size == 0 or (rows.min() >= 0 and rows.max() < n_rows),
                   "sub_rows out of range of syn0")
    if config.negative > 0:
        expect(state.syn1neg.shape[0] == n_words, "syn1neg needs one row per word")
        expect(state.alias_threshold.shape == (n_words,)
               and state.alias_index.shape == (n_words,), "the alias table needs one entry "
               "per word")
        expect(n_words == 0 or (state.alias_index.min() >= 0
                                and state.alias_index.max() < n_words),
               "alias indices out of range")
    if config.hs:
        offsets = state.hs_offsets
        expect(offsets.shape == (n_words + 1,) and offsets[0] == 0
               and np.all(np.diff(offsets) >= 0)
               and offsets[-1] == state.hs_points.shape[0] == state.hs_codes.shape[0],
               "Huffman offsets do not match the codes")
        expect(state.hs_points.size == 0 or (state.hs_points.min() >= 0
                                             and state.hs_points.max() < state.syn1.shape[0]),
               "Huffman points out of range of syn1")
        expect(state.hs_codes.size == 0 or state.hs_codes.max() <= 1, "Huffman codes not 0/1")
    if problems:
        raise ValueError("Invalid training state: " + "; ".join(problems) + ".")


def check_id_map(ids, n_words):
    """The corpus ids map to a vocabulary row of the ``n_words`` trained, or to -1."""
    if ids.n_columns != n_words or ids.n_rows != n_words:
        raise ValueError(f"The id map has {ids.n_rows} rows and {ids.n_columns} columns for "
                         f"{n_words} trained words.")


def _seeds(base_seed, epoch, chunk, n):
    sequence = np.random.SeedSequence(entropy=base_seed, spawn_key=(epoch, chunk))
    return sequence.generate_state(n, dtype=np.uint64) | np.uint64(1)  # xorshift needs != 0


def _shards(n_positions, offsets, n_threads):
    """Split ``[0, n_positions)`` into contiguous shards; return ``(start, end, first_doc)``."""
    bounds = np.linspace(0, n_positions, n_threads + 1).astype(np.int64)
    shards = []
    for start, end in zip(bounds[:-1], bounds[1:], strict=True):
        if end > start:
            first_doc = int(np.searchsorted(offsets, start, side="right") - 1)
            shards.append((int(start), int(end), first_doc))
    return shards


def kernel_groups(state, config):
    """The two argument groups of the training kernels that stay fixed for a whole fit."""
    weights = _kernels.Weights(state.syn0, state.syn1, state.syn1neg, state.lock_factor)
    tables = _kernels.OutputTables(int(config.negative), state.alias_threshold,
                                   state.alias_index, bool(config.hs), state.hs_codes,
                                   state.hs_points, state.hs_offsets)
    return weights, tables


def _context_rows(window, longest_document):
    """Context words a position can have at most: ``2 * window``, never more than the longest
    document minus one, at least one (the one rule of :func:`scratch_bytes` and
    :func:`context_capacity`)."""
    return max(min(2 * window, longest_document - 1), 1)


def context_capacity(offsets, first_doc, pos_end, window):
    """Most context words a position of a shard can have: ``2 * window``, but never more than
    the longest document holding a position of ``[.., pos_end)`` from ``first_doc`` on, minus
    one (sizes the buffers, so a huge ``window`` over short documents allocates little)."""
    n_docs = offsets.shape[0] - 1
    last = min(int(np.searchsorted(offsets, pos_end, side="left")), n_docs)
    return _context_rows(window, int(np.diff(offsets[first_doc:last + 1]).max(initial=0)))


#: Bytes of a cache line: a thread's buffers never share one with another allocation.
CACHE_LINE = 64


def _private_zeros(shape, dtype):
    """Zeros with cache lines of their own: aligned to a line and padded to whole lines, so
    that no other allocation (another thread's buffers) shares a line with them, which
    would make the threads' writes contend (false sharing)."""
    dtype = np.dtype(dtype)
    n_bytes = int(np.prod(shape)) * dtype.itemsize
    block = np.zeros(n_bytes + 2 * CACHE_LINE, dtype=np.uint8)
    start = -block.ctypes.data % CACHE_LINE
    array = block[start:start + n_bytes].view(dtype).reshape(shape)
    return array


def kernel_scratch(tables, shard, run, dim, skipgram):
    """The buffers of one kernel call (:class:`skw2v._kernels.Scratch`) for the argument
    groups ``tables``, ``shard`` and ``run`` and ``dim`` columns; ``skipgram`` (the plain
    skip-gram kernel) gives ``grad`` and ``neu1e`` a row per context word. Each buffer has
    cache lines of its own (:func:`_private_empty`)."""
    capacity = context_capacity(shard.offsets, shard.first_doc, shard.pos_end, run.window)
    max_code = (int(np.diff(tables.hs_offsets).max(initial=0))
                if tables.hs and tables.hs_offsets.shape[0] > 1 else 0)
    rows = capacity if skipgram else 1
    return _kernels.Scratch(
        contexts=_private_zeros(capacity, np.int32),
        outputs=_private_zeros(tables.negative + 1, np.int32),
        codes=_private_zeros(tables.negative + 1, np.uint8),
        grad=_private_zeros((rows, max(tables.negative + 1, max_code)), np.float32),
        neu1e=_private_zeros((rows, dim), np.float32),
        hidden=_private_zeros(dim, np.float32),
        step=_private_zeros(dim, np.float32),
    )


def run_kernel(weights, tables, config, tokens, offsets, shard, alpha_start, alpha_end, seed,
               subwords=None):
    """Train one shard ``(start, end, first_doc)`` of a subsampled chunk; ``subwords`` is a
    :class:`skw2v._kernels.Subwords` for a subword model."""
    start, end, first_doc = shard
    run = _kernels.Run(int(config.window), bool(config.shrink_windows), bool(config.cbow_mean),
                       float(alpha_start), float(alpha_end), np.uint64(seed))
    part = _kernels.Shard(tokens, offsets, int(first_doc), int(start), int(end))
    skipgram = config.architecture == "skipgram"
    scratch = kernel_scratch(tables, part, run, weights.syn0.shape[1],
                             skipgram and subwords is None)
    if subwords is not None:
        kernel = (_kernels.train_skipgram_subwords if skipgram
                  else _kernels.train_cbow_subwords)
        return kernel(weights, tables, part, run, subwords, scratch)
    kernel = _kernels.train_skipgram if skipgram else _kernels.train_cbow
    return kernel(weights, tables, part, run, scratch)


class TrainingDiverged(ValueError):
    """Training produced NaN or infinite weights; the message names the parameters to lower."""


def _divergence_message(config, epoch, what):
    hints = []
    if config.alpha > 0.05:
        hints.append(f"alpha={min(config.alpha / 10, 0.025):g} (the default is 0.025)")
    if config.negative > 25:
        hints.append(f"negative={min(max(config.negative // 10, 5), 20)} (5 to 20 are usual)")
    if not hints:
        hints.append(f"alpha={config.alpha / 10:g}")
    return (f"Training diverged in epoch {epoch + 1}: {what} became NaN or infinite with "
            f"alpha={config.alpha:g}, negative={config.negative}. Lower the learning rate or "
            f"the number of negative samples, e.g. {' or '.join(hints)}. The estimator was "
            "left as it was before this fit.")


def _check_finite_weights(state, config, epoch):
    for name in ("syn0", "syn1neg", "syn1"):
        array = getattr(state, name)
        if array.size and not np.isfinite(np.einsum("ij->", array, dtype=np.float64)):
            raise TrainingDiverged(_divergence_message(config, epoch, f"the weights ({name})"))


def train(corpus, id_map, counts, state, config, base_seed, progress=None):
    """Train ``state`` in place for ``config.epochs`` epochs over ``corpus``.

    ``id_map`` (an :class:`skw2v._ids.IdMap`) maps the corpus's ids to vocabulary rows (-1: not
    trained). After every chunk the loss, and after every epoch the weights, are checked for
    NaN and infinity; training stops with :class:`TrainingDiverged` at the first. ``progress`` (a
    :class:`skw2v._progress.FitProgress`, or None) hears of every epoch and chunk between
    kernel calls; when it asks to stop, training ends after the chunk just trained.

    Returns the loss of each epoch trained (float64 sums over all predictions); after a stop
    inside an epoch, the last is the loss of that epoch's chunks that were trained.
    """
    check_id_map(id_map, counts.shape[0])
    check_kernel_inputs(state, config)
    total_words = int(counts.sum()) * config.epochs
    alpha, min_alpha = config.alpha, config.min_alpha
    done = 0
    losses = []
    weights, tables = kernel_groups(state, config)
    subwords = (None if state.sub_offsets is None
                else _kernels.Subwords(state.sub_offsets, state.sub_rows))
    n_chunks = corpus.n_chunks

    def prepare(epoch, chunk_index, ids, offsets, chunk_remap):
        nonlocal done
        if ids.size and (ids.min() < 0 or ids.max() >= chunk_remap.shape[0]):
            raise ValueError("The encoded corpus holds an id outside the vocabulary table.")
        seeds = _seeds(base_seed, epoch, chunk_index, config.n_threads + 1)
        tokens = np.empty(ids.shape[0], dtype=np.int32)
        kept_offsets = np.empty(offsets.shape[0], dtype=np.int64)
        n_kept, n_in_vocab = _kernels.subsample_chunk(
            ids, offsets, chunk_remap, state.keep_threshold, seeds[0], tokens, kept_offsets
        )
        p0 = done / total_words
        done += n_in_vocab
        p1 = done / total_words
        return (tokens, kept_offsets, n_kept, n_in_vocab, seeds[1:],
                alpha - (alpha - min_alpha) * p0, alpha - (alpha - min_alpha) * p1)

    def run_shard(prepared, shard, seed):
        # Every shard covers the chunk's whole stretch of the learning-rate schedule, since
        # the threads run side by side.
        tokens, offsets, _, _, _, a0, a1 = prepared
        return run_kernel(weights, tables, config, tokens, offsets, shard, a0, a1, seed,
                          subwords)

    def step_of(epoch, chunk, loss, words, epoch_loss, epoch_words, started, words_done,
                loss_history):
        return Step(epoch=epoch, chunk=chunk, epochs=config.epochs, n_chunks=n_chunks,
                    loss=float(loss), words=int(words), epoch_loss=float(epoch_loss),
                    epoch_words=int(epoch_words),
                    epoch_seconds=time.perf_counter() - started, words_done=int(words_done),
                    total_words=total_words,
                    alpha=alpha - (alpha - min_alpha) * words_done / max(total_words, 1),
                    loss_history=tuple(float(value) for value in loss_history))

    stop = False
    words_done = 0  # in-vocabulary words of the chunks trained (done also counts the next)
    with ThreadPoolExecutor(max_workers=config.n_threads) as pool:
        for epoch in range(config.epochs):
            started = time.perf_counter()
            epoch_loss = 0.0
            epoch_words = 0
            if progress is not None:
                progress.epoch_begin(epoch)
            chunks = corpus.chunks(id_map)
            next_chunk = next(chunks, None)
            prepared = prepare(epoch, 0, *next_chunk) if next_chunk is not None else None
            chunk_index = 0
            while prepared is not None:
                if progress is not None:
                    progress.chunk_begin(epoch, chunk_index)
                shards = _shards(prepared[2], prepared[1], config.n_threads)
                futures = [pool.submit(run_shard, prepared, shard, prepared[4][k])
                           for k, shard in enumerate(shards)]
                chunk_index += 1
                try:
                    next_chunk = next(chunks, None)
                    following = (prepare(epoch, chunk_index, *next_chunk)
                                 if next_chunk is not None else None)
                finally:
                    chunk_loss = sum(future.result()[0] for future in futures)
                if not np.isfinite(chunk_loss):
                    raise TrainingDiverged(_divergence_message(config, epoch, "the loss"))
                epoch_loss += chunk_loss
                epoch_words += prepared[3]
                words_done += prepared[3]
                if progress is not None and progress.chunk_end(step_of(
                        epoch, chunk_index - 1, chunk_loss, prepared[3], epoch_loss,
                        epoch_words, started, words_done, (*losses, epoch_loss))):
                    stop = True
                    break
                prepared = following
            _check_finite_weights(state, config, epoch)
            losses.append(epoch_loss)
            if progress is not None:
                stop = progress.epoch_end(step_of(
                    epoch, chunk_index - 1, epoch_loss, epoch_words, epoch_loss, epoch_words,
                    started, words_done, losses)) or stop
            if stop:
                break
    return losses
