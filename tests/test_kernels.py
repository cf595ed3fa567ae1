"""Kernels against the plain NumPy references of ``tests/naive.py``."""

import ast
import pathlib

import naive
import numpy as np
import pytest

from skw2v import _kernels, _training, _vocab

PACKAGE = pathlib.Path(_kernels.__file__).parent


# ------------------------------------------------------------------ conventions of the module
KERNEL_MODULES = ("_kernels.py", "_kernels_phrases.py", "_kernels_supervised.py",
                  "_kernels_tokens.py", "_kernels_walks.py")


@pytest.mark.parametrize("module", KERNEL_MODULES)
def test_kernels_use_the_shared_flag_set_only(module):
    tree = ast.parse((PACKAGE / module).read_text())
    decorated = 0
    for node in ast.walk(tree):
        if isinstance(node, ast.FunctionDef):
            for decorator in node.decorator_list:
                if ast.unparse(decorator) == "intrinsic":  # LLVM IR of its own: no flags
                    continue
                assert isinstance(decorator, ast.Call), f"{node.name}: bare @njit"
                assert ast.unparse(decorator) == "njit(**NUMBA_FLAGS)", node.name
                decorated += 1
    assert decorated >= 5
    source = (PACKAGE / module).read_text()
    assert "fastmath=" not in source and "parallel=" not in source


def test_no_other_module_compiles_kernels():
    for path in PACKAGE.glob("*.py"):
        if path.name in {*KERNEL_MODULES, "_config.py"}:
            continue
        text = path.read_text()
        assert "njit" not in text and "import numba" not in text, path.name


def test_fastmath_excludes_nan_and_inf_assumptions():
    from skw2v._config import NUMBA_FLAGS

    assert NUMBA_FLAGS["fastmath"] is not True
    assert not {"nnan", "ninf", "fast"} & set(NUMBA_FLAGS["fastmath"])
    assert NUMBA_FLAGS["nogil"] is True


# ------------------------------------------------------------------ building blocks
def test_random_generator_matches_reference():
    rng = naive.XorShift(12345)
    expected = [rng.below(17) for _ in range(1000)]
    state, got = np.uint64(12345), []
    for _ in range(1000):
        state, bits = (np.uint64(x) for x in _kernels._xorshift(state))  # stay unsigned
        got.append(int(_kernels._below(bits, 17)))
    assert got == expected
    assert set(expected) == set(range(17))


@pytest.mark.parametrize("code", [0, 1])
def test_gradient_and_loss_match_the_sigmoid_table(code):
    logits = np.linspace(-8, 8, 4001).astype(np.float32)
    got = np.array([_kernels._gradient_and_loss(f, np.uint8(code)) for f in logits])
    label = 1.0 - code
    np.testing.assert_allclose(got[:, 0], label - naive.sigmoid_table(logits), atol=1e-6)
    # The loss is -log P(label): exact up to one table step (0.012, slope <= 1), linear
    # beyond 6.
    z = logits.astype(np.float64) * (1 if code == 0 else -1)
    np.testing.assert_allclose(got[:, 1], np.log1p(np.exp(-z)), atol=0.0121)
    assert np.all(got[:, 1] >= 0)


def _weights(rng, n_words, dim, scale=0.5):
    return (rng.standard_normal((n_words, dim)) * scale).astype(np.float32)


@pytest.mark.parametrize("n_contexts", range(1, 10))
@pytest.mark.parametrize("n_outputs", range(1, 9))
def test_skipgram_block_matches_matrix_form(n_contexts, n_outputs):
    # Every remainder of the kernel's groups (2 and 4 inputs, 2 and 3 outputs), with a
    # repeated context word and a repeated output where the sizes allow: errors, updated
    # output rows and the loss all as the matrix form gives them.
    rng = np.random.default_rng(n_contexts * 10 + n_outputs)
    syn0 = _weights(rng, 9, 37)
    syn_out = _weights(rng, 9, 37)
    contexts = rng.integers(0, 9, n_contexts).astype(np.int32)
    outputs = rng.integers(0, 9, n_outputs).astype(np.int32)
    if n_contexts > 2:
        contexts[2] = contexts[1]
    if n_outputs > 2:
        outputs[2] = outputs[1]
    codes = np.ones(n_outputs, dtype=np.uint8)
    codes[0] = 0
    alpha = np.float32(0.3)
    expected_out = syn_out.copy()
    expected_errors, expected_loss = naive.skipgram_block(syn0, expected_out, contexts,
                                                          outputs, codes, alpha,
                                                          with_loss=True)
    grad = np.full((n_contexts, n_outputs), np.nan, dtype=np.float32)
    errors = np.zeros((n_contexts, 37), dtype=np.float32)
    syn0_before = syn0.copy()
    loss = _kernels._block_update(syn0, syn_out, contexts, n_contexts, outputs, codes,
                                  n_outputs, alpha, grad, errors)
    np.testing.assert_allclose(errors, expected_errors, rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(syn_out, expected_out, rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(loss, expected_loss, rtol=1e-5)
    np.testing.assert_array_equal(syn0, syn0_before)  # inputs are the caller's to update


def test_skipgram_block_uses_rows_before_the_update():
    # With a large step the order of updates matters: a block that read updated rows would
    # differ from the matrix form by a second-order term far above float32 noise.
    rng = np.random.default_rng(1)
    syn0 = _weights(rng, 4, 8, scale=1.0)
    syn_out = _weights(rng, 4, 8, scale=1.0)
    contexts = np.array([0, 1, 2], dtype=np.int32)
    outputs = np.array([3, 2, 1], dtype=np.int32)
    codes = np.array([0, 1, 1], dtype=np.uint8)
    expected_out = syn_out.copy()
    naive.skipgram_block(syn0, expected_out, contexts, outputs, codes, 1.0)
    sequential_out = syn_out.copy()
    for c in contexts:  # per-pair SGD as gensim does it: a different algorithm
        for o, code in zip(outputs, codes, strict=True):
            g = (1 - code) - naive.sigmoid_table(syn0[c] @ sequential_out[o])
            sequential_out[o] += g * syn0[c]
    assert np.abs(sequential_out - expected_out).max() > 1e-2
    grad = np.zeros((3, 3), dtype=np.float32)
    errors = np.zeros((3, 8), dtype=np.float32)
    _kernels._block_update(syn0, syn_out, contexts, 3, outputs, codes, 3, np.float32(1.0),
                           grad, errors)
    np.testing.assert_allclose(syn_out, expected_out, rtol=1e-5, atol=1e-5)


@pytest.mark.parametrize("n_outputs", range(1, 9))
def test_cbow_layer_matches_reference(n_outputs):
    # Prediction by prediction, a repeated output where the size allows (its second logit
    # reads the row its first prediction updated), every layer size up to 8.
    rng = np.random.default_rng(2 + n_outputs)
    syn_out = _weights(rng, 6, 13)
    hidden = rng.standard_normal(13).astype(np.float32)
    outputs = rng.integers(0, 6, n_outputs).astype(np.int32)
    if n_outputs > 3:
        outputs[3] = outputs[1]
    codes = np.ones(n_outputs, dtype=np.uint8)
    codes[0] = 0
    expected_out = syn_out.copy()
    expected_error, expected_loss = naive.cbow_layer(hidden.astype(np.float64), expected_out,
                                                     outputs, codes, 0.2, with_loss=True)
    error = np.zeros(13, dtype=np.float32)
    loss = _kernels._cbow_update(hidden, syn_out, outputs, codes, n_outputs, np.float32(0.2),
                                 error)
    np.testing.assert_allclose(error, expected_error, rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(syn_out, expected_out, rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(loss, expected_loss, rtol=1e-5)


@pytest.mark.parametrize("n_rows", range(0, 10))
def test_row_sums_and_scatters_match_reference(n_rows):
    # _add_rows and _scatter_rows take rows four at a time: every remainder, a repeated row.
    rng = np.random.default_rng(n_rows)
    syn0 = _weights(rng, 7, 11)
    rows = np.concatenate([[5, 5], rng.integers(0, 7, 12)]).astype(np.int64)
    lock = rng.random(7).astype(np.float32)
    hidden = rng.standard_normal(11).astype(np.float32)
    expected = hidden + syn0[rows[2:2 + n_rows - 1]].sum(axis=0) + (syn0[5] if n_rows else 0)
    _kernels._add_rows(syn0, rows, 1, 1 + n_rows, hidden)
    np.testing.assert_allclose(hidden, expected, rtol=1e-5, atol=1e-6)
    error = rng.standard_normal(11).astype(np.float32)
    expected_rows = syn0.copy()
    for r in rows[1:1 + n_rows]:
        expected_rows[r] += lock[r] * error
    _kernels._scatter_rows(syn0, lock, rows, 1, 1 + n_rows, error)
    np.testing.assert_allclose(syn0, expected_rows, rtol=1e-5, atol=1e-6)


@pytest.mark.parametrize("dim", [1, 15, 16, 17, 100])
def test_prefetching_rows_faults_nowhere_and_writes_nothing(dim):
    # A prefetch is a hint: every cache line of each listed row, the last row's last line
    # included, is asked for without a fault and without changing the matrix or the rows.
    syn0 = np.arange(5 * dim, dtype=np.float32).reshape(5, dim)
    rows = np.array([4, 0, 4, 2], dtype=np.int32)
    before, rows_before = syn0.copy(), rows.copy()
    _kernels._prefetch_rows(syn0, rows, 0, rows.shape[0])
    _kernels._prefetch_rows(syn0, rows, 2, 2)
    np.testing.assert_array_equal(syn0, before)
    np.testing.assert_array_equal(rows, rows_before)


# ------------------------------------------------------------------ whole kernel calls
def _problem(seed, n_words=12, dim=10):
    rng = np.random.default_rng(seed)
    counts = np.sort(rng.integers(1, 50, n_words))[::-1].copy()
    lengths = [0, 1, 9, 3, 0, 14, 2, 7]  # empty and one-word documents included
    offsets = np.concatenate([[0], np.cumsum(lengths)]).astype(np.int64)
    tokens = rng.integers(0, n_words, offsets[-1]).astype(np.int32)
    syn0 = ((rng.random((n_words, dim)) - 0.5) / dim * 20).astype(np.float32)
    syn1neg = _weights(rng, n_words, dim, 0.3)
    syn1 = _weights(rng, n_words - 1, dim, 0.3)
    lock = np.ones(n_words, dtype=np.float32)
    lock[[2, 5]] = 0.0  # frozen words
    threshold, alias = _vocab.alias_table(_vocab.noise_distribution(counts, 0.75))
    codes, points, hs_offsets = _vocab.huffman_tree(counts)
    return dict(syn0=syn0, syn1=syn1, syn1neg=syn1neg, lock=lock, tokens=tokens,
                offsets=offsets, threshold=threshold, alias=alias, codes=codes, points=points,
                hs_offsets=hs_offsets)


CASES = [
    # architecture, negative, hs, shrink, cbow_mean
    ("skipgram", 5, False, True, True),
    ("skipgram", 0, True, False, True),
    ("skipgram", 3, True, True, True),
    ("cbow", 5, False, True, True),
    ("cbow", 0, True, True, False),
    ("cbow", 4, True, False, True),
]


@pytest.mark.parametrize("architecture,negative,hs,shrink,cbow_mean", CASES)
@pytest.mark.parametrize("pos_start,pos_end", [(0, 36), (5, 30)])
def test_training_call_matches_reference(architecture, negative, hs, shrink, cbow_mean,
                                         pos_start, pos_end):
    p = _problem(3)
    expected = {k: p[k].copy() for k in ("syn0", "syn1", "syn1neg")}
    args = (p["lock"], p["tokens"], p["offsets"], pos_start, pos_end, 3, shrink, negative,
            p["threshold"], p["alias"], hs, p["codes"], p["points"], p["hs_offsets"], 0.05,
            0.01, 987654321)
    naive.train(architecture, expected["syn0"], expected["syn1"], expected["syn1neg"], *args,
                cbow_mean=cbow_mean)
    first_doc = int(np.searchsorted(p["offsets"], pos_start, side="right") - 1)
    weights = _kernels.Weights(p["syn0"], p["syn1"], p["syn1neg"], p["lock"])
    tables = _kernels.OutputTables(negative, p["threshold"], p["alias"], hs, p["codes"],
                                   p["points"], p["hs_offsets"])
    shard = _kernels.Shard(p["tokens"], p["offsets"], first_doc, pos_start, pos_end)
    run = _kernels.Run(3, shrink, cbow_mean, 0.05, 0.01, np.uint64(987654321))
    frozen = p["syn0"][[2, 5]].copy()
    kernel = _kernels.train_skipgram if architecture == "skipgram" else _kernels.train_cbow
    scratch = _training.kernel_scratch(tables, shard, run, p["syn0"].shape[1],
                                       architecture == "skipgram")
    loss, n_positions, n_predictions = kernel(weights, tables, shard, run, scratch)
    assert n_positions == pos_end - pos_start
    assert np.isfinite(loss) and loss > 0 and n_predictions > 0
    for name in ("syn0", "syn1", "syn1neg"):
        np.testing.assert_allclose(p[name], expected[name], rtol=1e-4, atol=1e-5, err_msg=name)
    np.testing.assert_array_equal(p["syn0"][[2, 5]], frozen)
    assert not np.array_equal(p["syn0"], _problem(3)["syn0"])


def test_subsampling_matches_reference():
    rng = np.random.default_rng(4)
    raw = rng.integers(0, 30, 500).astype(np.int32)
    offsets = np.array([0, 0, 120, 121, 400, 500], dtype=np.int64)
    remap = np.where(rng.random(30) < 0.8, rng.permutation(30), -1).astype(np.int32)
    remap[remap >= 20] = -1
    keep = _vocab.keep_thresholds(rng.random(20) * 1.3)  # some above 1: always kept
    tokens = np.empty(500, dtype=np.int32)
    new_offsets = np.empty(6, dtype=np.int64)
    n_kept, n_in_vocab = _kernels.subsample_chunk(raw, offsets, remap, keep, np.uint64(77),
                                                  tokens, new_offsets)
    expected_tokens, expected_offsets, expected_in_vocab = naive.subsample(raw, offsets, remap,
                                                                           keep, 77)
    assert n_in_vocab == expected_in_vocab == int((remap[raw] >= 0).sum())
    np.testing.assert_array_equal(tokens[:n_kept], expected_tokens)
    np.testing.assert_array_equal(new_offsets, expected_offsets)


def test_subsampling_keeps_words_at_their_probability():
    n = 200_000
    raw = np.repeat(np.arange(4, dtype=np.int32), n // 4)
    offsets = np.array([0, n], dtype=np.int64)
    probabilities = np.array([0.1, 0.5, 0.9, 1.0])
    tokens = np.empty(n, dtype=np.int32)
    new_offsets = np.empty(2, dtype=np.int64)
    n_kept, _ = _kernels.subsample_chunk(raw, offsets, np.arange(4, dtype=np.int32),
                                         _vocab.keep_thresholds(probabilities), np.uint64(5),
                                         tokens, new_offsets)
    kept = np.bincount(tokens[:n_kept], minlength=4) / (n // 4)
    np.testing.assert_allclose(kept, probabilities, atol=0.01)
    assert kept[3] == 1.0


def test_negative_draws_follow_the_noise_distribution():
    counts = np.array([1000, 300, 100, 30, 10, 3, 1])
    probabilities = _vocab.noise_distribution(counts, 0.75)
    threshold, alias = _vocab.alias_table(probabilities)
    rng = naive.XorShift(99)
    draws = np.array([rng.alias(threshold, alias) for _ in range(100_000)])
    frequencies = np.bincount(draws, minlength=7) / draws.size
    np.testing.assert_allclose(frequencies, probabilities, atol=0.005)


def test_context_capacity_is_the_longest_document_of_the_shard():
    # Documents of 3, 0, 9, 2 and 30 tokens; a shard of positions [4, 13) touches the
    # documents of 9 and 2 tokens (starting inside the first of them), not the one of 30.
    offsets = np.array([0, 3, 3, 12, 14, 44], dtype=np.int64)
    brute = {}
    for first_doc, start, end in [(2, 4, 13), (0, 0, 3), (4, 20, 44), (0, 0, 44), (2, 3, 12)]:
        docs = [d for d in range(first_doc, 5) if offsets[d] < end]
        brute[(first_doc, end)] = max(offsets[d + 1] - offsets[d] for d in docs)
        assert offsets[first_doc] <= start < offsets[first_doc + 1]
    for (first_doc, end), longest in brute.items():
        for window in (1, 3, 5, 40):
            assert (_training.context_capacity(offsets, first_doc, end, window)
                    == max(min(2 * window, longest - 1), 1))
    assert _training.context_capacity(offsets, 2, 13, 40) == 8
    assert _training.context_capacity(offsets, 4, 44, 40) == 29
