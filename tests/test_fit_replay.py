"""A whole ``n_jobs=1`` fit replayed by the plain reference ``naive.fit``.

The kernels are checked call by call in ``test_kernels.py``; here the layer between the
estimator and the kernels is: which parameters reach the kernels, the vocabulary, the seeds of
every (epoch, chunk), the keep thresholds, the noise distribution, the learning-rate schedule
across chunks and epochs, and the epoch loss. ``naive.fit`` derives all of them from the
estimator's parameters without calling ``skw2v._training``.
"""

import naive
import numpy as np
import pytest

from skw2v import (
    Word2VecVectorizer,
    _driver,
    _ids,
    _kernels,
    _sources,
    _trainers,
    _training,
    _vocab,
)

#: Tolerances of the kernel comparisons (float32 kernels against float64 references). With
#: alpha=0.025 every case below stayed within rtol alone (excess over it < 6e-7) for
#: random_state 0-19; alpha=0.05 lets a logit cross a sigmoid-table step now and then (up to
#: 6e-5 apart), so keep the learning rates of the cases at or below 0.025.
RTOL, ATOL = 1e-4, 1e-5

BASE = {"vector_size": 8, "window": 3, "min_count": 2, "epochs": 3, "negative": 4, "hs": False,
        "sample": 0.0, "alpha": 0.025, "min_alpha": 0.0001, "n_jobs": 1, "random_state": 11}


def replay_corpus():
    """60 short documents over 30 frequent words plus rare ones (dropped by ``min_count=2``),
    with an empty and a one-word document, mixed case and punctuation."""
    rng = np.random.default_rng(2024)
    weights = 1.0 / np.arange(1, 31) ** 0.8
    weights /= weights.sum()
    documents = []
    for d in range(60):
        words = [f"w{i}" for i in rng.choice(30, size=rng.integers(3, 13), p=weights)]
        if d % 7 == 3:
            words.insert(int(rng.integers(len(words))), f"rare{d}")  # seen once: dropped
        if d % 11 == 5:
            words[0] = words[0].upper() + ","
        documents.append(" ".join(words))
    documents[17] = ""
    documents[40] = "w1"
    return documents


CORPUS = replay_corpus()

# Each case changes a few parameters of BASE; together they cover every value of window,
# shrink_windows, cbow_mean, ns_exponent, sample, negative/hs, architecture, min_alpha and the
# chunking (None: the estimator's own fit, one chunk; an int: DocumentSource's chunk_tokens).
# Rare words dropped by min_count make in-vocabulary tokens fewer than all tokens, and
# sample=1e-2 makes kept tokens fewer than in-vocabulary ones: a learning-rate schedule
# advanced by either of the wrong two counts fails the replay.
CASES = {
    "sg-ns": ({}, None),
    "sg-ns-chunks": ({}, 40),
    "sg-ns-sample": ({"sample": 1e-2}, 40),
    "sg-ns-sample-one-chunk": ({"sample": 1e-2, "min_alpha": 0.01}, None),
    "sg-ns-exponent": ({"ns_exponent": -0.5, "negative": 6}, None),
    "sg-ns-exponent-zero": ({"ns_exponent": 0.0}, 25),
    "sg-noshrink-window1": ({"shrink_windows": False, "window": 1}, 40),
    "sg-hs": ({"negative": 0, "hs": True}, 40),
    "sg-ns-hs": ({"negative": 3, "hs": True, "sample": 1e-2}, 1),
    "sg-max-vocab": ({"max_vocab_size": 12, "min_count": 1, "window": 5}, 30),
    "cbow-ns": ({"architecture": "cbow"}, None),
    "cbow-ns-sum": ({"architecture": "cbow", "cbow_mean": False}, 40),
    "cbow-hs-sum": ({"architecture": "cbow", "cbow_mean": False, "negative": 0, "hs": True},
                    None),
    "cbow-ns-hs-sample": ({"architecture": "cbow", "negative": 2, "hs": True, "sample": 1e-2,
                           "ns_exponent": 1.0, "shrink_windows": False}, 40),
    "cbow-min-alpha": ({"architecture": "cbow", "min_alpha": 0.02, "window": 2,
                        "random_state": 3}, 25),
}


def fit_both(params, chunk_tokens, documents=CORPUS):
    """``(estimator, naive.Fit)`` of the same parameters and chunking."""
    model = Word2VecVectorizer(**params)
    if chunk_tokens is None:
        model.fit(documents)
    else:
        _driver.fit(model, _sources.DocumentSource(documents, chunk_tokens=chunk_tokens),
                    _trainers.for_estimator(model))
    expected = naive.fit(documents, model.build_analyzer(),
                         chunk_tokens=10**9 if chunk_tokens is None else chunk_tokens,
                         **model.get_params())
    return model, expected


@pytest.fixture(scope="module", params=list(CASES))
def replayed(request):
    overrides, chunk_tokens = CASES[request.param]
    return fit_both({**BASE, **overrides}, chunk_tokens)


def test_vocabulary_matches_the_replay(replayed):
    model, expected = replayed
    assert model.wv_.index_to_word == expected.words
    np.testing.assert_array_equal(model.wv_.counts, expected.counts)
    assert 8 <= len(expected.words) < 60  # rare words were dropped (or max_vocab_size cut)


def test_vectors_match_the_replay(replayed):
    model, expected = replayed
    np.testing.assert_allclose(model.wv_.vectors, expected.vectors, rtol=RTOL, atol=ATOL)
    # Training moved the vectors far beyond the tolerance (the comparison has power).
    start = naive.initial_vectors(naive.seeds(model.random_state)[0], *expected.vectors.shape)
    assert np.median(np.abs(expected.vectors - start).max(axis=1)) > 100 * ATOL


def test_epoch_losses_match_the_replay(replayed):
    model, expected = replayed
    assert len(model.loss_history_) == model.epochs
    np.testing.assert_allclose(model.loss_history_, expected.losses, rtol=1e-4)
    assert all(loss > 1.0 for loss in expected.losses)


# ------------------------------------------------------------------ the replay has power
# Each one-line bug below changes a single input of the kernels. The replay of the correct
# parameters must tell the two fits apart, or test_vectors_match_the_replay proves nothing.
@pytest.mark.parametrize(("case", "change"), [
    ("cbow-ns-sum", {"cbow_mean": True}),
    ("sg-ns-exponent", {"ns_exponent": 0.75}),
    ("sg-noshrink-window1", {"shrink_windows": True}),
    ("sg-noshrink-window1", {"window": 2}),
    ("sg-ns-sample", {"sample": 0.0}),
    ("cbow-min-alpha", {"min_alpha": 0.0001}),
    ("sg-ns-hs", {"hs": False}),
    ("sg-ns", {"random_state": 12}),
])
def test_a_changed_parameter_breaks_the_replay(case, change):
    overrides, chunk_tokens = CASES[case]
    params = {**BASE, **overrides}
    model, _ = fit_both(params, chunk_tokens)
    wrong = naive.fit(CORPUS, model.build_analyzer(),
                      chunk_tokens=10**9 if chunk_tokens is None else chunk_tokens,
                      **{**model.get_params(), **change})
    assert not np.allclose(model.wv_.vectors, wrong.vectors, rtol=RTOL, atol=ATOL)


# ------------------------------------------------------------------ loss of one kernel call
@pytest.mark.parametrize("architecture", ["skipgram", "cbow"])
@pytest.mark.parametrize(("negative", "hs"), [(5, False), (0, True), (3, True)])
def test_kernel_loss_matches_reference(architecture, negative, hs):
    rng = np.random.default_rng(5)
    n_words, dim = 12, 10
    counts = np.sort(rng.integers(1, 50, n_words))[::-1].copy()
    offsets = np.array([0, 1, 10, 13, 27, 29, 36], dtype=np.int64)
    tokens = rng.integers(0, n_words, offsets[-1]).astype(np.int32)
    syn0 = (rng.standard_normal((n_words, dim)) * 0.8).astype(np.float32)  # logits beyond +-6
    syn1neg = (rng.standard_normal((n_words, dim)) * 0.8).astype(np.float32)
    syn1 = (rng.standard_normal((n_words - 1, dim)) * 0.8).astype(np.float32)
    lock = np.ones(n_words, dtype=np.float32)
    threshold, alias = _vocab.alias_table(naive.noise_probabilities(counts, 0.75))
    codes, points, hs_offsets = _vocab.huffman_tree(counts)
    expected = [a.copy() for a in (syn0, syn1, syn1neg)]
    expected_loss = naive.train(architecture, *expected, lock, tokens, offsets, 0, 36, 3, True,
                                negative, threshold, alias, hs, codes, points, hs_offsets, 0.05,
                                0.01, 4242)
    kernel = _kernels.train_skipgram if architecture == "skipgram" else _kernels.train_cbow
    tables = _kernels.OutputTables(negative, threshold, alias, hs, codes, points, hs_offsets)
    shard = _kernels.Shard(tokens, offsets, 0, 0, 36)
    run = _kernels.Run(3, True, True, 0.05, 0.01, np.uint64(4242))
    loss, _, _ = kernel(_kernels.Weights(syn0, syn1, syn1neg, lock), tables, shard, run,
                        _training.kernel_scratch(tables, shard, run, dim,
                                                 architecture == "skipgram"))
    assert expected_loss > 10
    # The kernel's float32 logits (summed in its own order) may fall in the table bin next to
    # the reference's float64 ones: each such logit moves the loss by at most one step of the
    # -log(sigmoid) table (0.012, see the test below); three steps are allowed.
    np.testing.assert_allclose(loss, expected_loss, rtol=1e-5, atol=3 * 0.0121)


def test_neg_log_sigmoid_table_against_the_exact_loss():
    z = np.linspace(-9, 9, 20001)
    exact = np.log1p(np.exp(-z))
    table = naive.neg_log_sigmoid_table(z)
    inside = np.abs(z) < 6
    np.testing.assert_allclose(table[inside], exact[inside], atol=0.0121)
    np.testing.assert_array_equal(table[z >= 6], 0.0)
    np.testing.assert_allclose(table[z <= -6], -z[z <= -6], rtol=1e-6)
    # The kernels' own function agrees with the reference table everywhere.
    kernel = np.array([_kernels._gradient_and_loss(np.float32(x), np.uint8(0))[1] for x in z])
    np.testing.assert_allclose(kernel, table, rtol=1e-6, atol=1e-7)


# ------------------------------------------------------------------ the replay's own tables
def test_naive_alias_probabilities_invert_the_alias_table():
    counts = np.array([40, 31, 20, 20, 9, 3, 1, 1])
    for exponent in (0.75, 0.0, -0.5, 1.0):
        p = naive.noise_probabilities(counts, exponent)
        np.testing.assert_allclose(naive.alias_probabilities(*_vocab.alias_table(p)), p,
                                   atol=1e-9)
    # ... and tell two exponents apart.
    table = _vocab.alias_table(naive.noise_probabilities(counts, 0.75))
    assert not np.allclose(naive.alias_probabilities(*table),
                           naive.noise_probabilities(counts, 0.5), atol=1e-3)


def test_naive_chunks_close_at_document_boundaries():
    ids = [[1, 2, 3], [], [4], [5, 6, 7, 8, 9], [1], [2, 2]]
    assert naive.chunks(ids, 4) == [[[1, 2, 3], [], [4]], [[5, 6, 7, 8, 9]], [[1], [2, 2]]]
    assert naive.chunks(ids, 1) == [[[1, 2, 3]], [[], [4]], [[5, 6, 7, 8, 9]], [[1]], [[2, 2]]]
    assert naive.chunks(ids, 100) == [ids]


def test_corpus_chunks_are_those_of_the_replay():
    # A fit with chunk_tokens=K cuts the corpus where naive.chunks does.
    model = Word2VecVectorizer(**BASE)
    plan = _driver.plan_fit(model)
    analyzer = model.build_analyzer()
    for k in (1, 25, 40, 10**9):
        with _sources.read_documents(plan, CORPUS, chunk_tokens=k) as corpus:
            everything = _ids.IdMap.from_rows(np.zeros(len(corpus.words)), 1)
            got = [np.diff(offsets).tolist()
                   for _, offsets, _ in corpus.chunks(everything)]
        expected = [[len(d) for d in chunk]
                    for chunk in naive.chunks([analyzer(d) for d in CORPUS], k)]
        assert got == expected
    assert len(expected) == 1
