"""Subword (fastText) vectors: n-gram hashing against the fasttext package and the plain
references of ``tests/naive.py``, the subword kernels replayed call by call and fit by fit,
and the estimator's subword options (``char_ngram_range``, ``n_buckets``, ``init``)."""

import pickle

import naive
import numpy as np
import pytest
from sklearn.utils._param_validation import InvalidParameterError
from toolchain import TOOLCHAIN

from skw2v import (
    Word2VecVectorizer,
    WordVectors,
    _driver,
    _kernels,
    _subwords,
    _trainers,
    _training,
    _vocab,
)

RTOL, ATOL = 1e-4, 1e-5  # float32 kernels against float64 references, as test_kernels.py

# ------------------------------------------------------------------ n-grams and hashing
#: Words of the oracle's vocabulary: ASCII, accents, CJK, emoji (4-byte UTF-8, and one with
#: a skin-tone modifier), German sharp s, words of one and two characters, repeated letters.
VOCAB_WORDS = ["walk", "walking", "the", "a", "ab", "aaaa", "café", "naïve", "straße", "ß",
               "é", "北京", "東京大学", "😀", "👍🏽ok", "ÆØÅ", "œuvre", "x1"]
#: Words the oracle never saw.
UNSEEN_WORDS = ["walked", "über", "日本", "🎉🎉", "z", "zz", "aaaaaa", "Straße", "ñ", "a-b",
                "résumé", "Ωmega"]
#: (minn, maxn, bucket): fastText's default, a range starting at 1-grams with a small prime
#: bucket count (many collisions), single-length ranges, a range longer than most words.
HASH_SETTINGS = [(3, 6, 2_000_000), (1, 3, 97), (2, 4, 1009), (1, 1, 13), (5, 5, 7919),
                 (2, 8, 31)]


@pytest.fixture(scope="module", params=HASH_SETTINGS, ids=lambda s: "-".join(map(str, s)))
def oracle(request, tmp_path_factory):
    """A fastText model of VOCAB_WORDS (epoch=0: only its dictionary is needed)."""
    fasttext = pytest.importorskip("fasttext")
    minn, maxn, bucket = request.param
    path = tmp_path_factory.mktemp("oracle") / "corpus.txt"
    path.write_text(" ".join(VOCAB_WORDS) + "\n", encoding="utf-8")
    model = fasttext.train_unsupervised(str(path), minn=minn, maxn=maxn, bucket=bucket,
                                        minCount=1, epoch=0, dim=10, thread=10, verbose=0)
    return request.param, model


def _oracle_subwords(model, word):
    """fastText's n-gram strings and buckets of ``word`` (the word's own id dropped)."""
    strings, ids = model.get_subwords(word)
    strings, ids = list(strings), np.asarray(ids, dtype=np.int64)
    n_words = len(model.words)
    if word in model.words:
        assert ids[0] == model.get_word_id(word) < n_words and strings[0] == word
        strings, ids = strings[1:], ids[1:]
    assert np.all(ids >= n_words)
    return strings, ids - n_words


def test_oracle_vocabulary(oracle):
    _, model = oracle
    assert set(VOCAB_WORDS) <= set(model.words)
    assert not set(UNSEEN_WORDS) & set(model.words)


@pytest.mark.parametrize("word", VOCAB_WORDS + UNSEEN_WORDS + ["</s>"])
def test_ngram_buckets_match_fasttext(oracle, word):
    (minn, maxn, bucket), model = oracle
    _, expected = _oracle_subwords(model, word)
    offsets, buckets = _subwords.ngram_buckets([word], (minn, maxn), bucket)
    assert offsets.tolist() == [0, len(expected)]
    assert buckets.dtype == np.int64
    np.testing.assert_array_equal(buckets, expected)


def test_word_vectors_match_fasttext(oracle):
    # The oracle's input matrix as a WordVectors: every word's vector, in the vocabulary or
    # not, is fastText's get_word_vector. "</s>" (in the vocabulary: the end of the line) has
    # no n-grams in fastText: its vector is its own row.
    (minn, maxn, bucket), model = oracle
    matrix = model.get_input_matrix()
    n_words = len(model.words)
    wv = WordVectors.from_subwords(model.words, matrix[:n_words], matrix[n_words:],
                                   char_ngram_range=(minn, maxn), n_buckets=bucket)
    for word in VOCAB_WORDS + UNSEEN_WORDS + ["</s>"]:
        np.testing.assert_allclose(wv[word], model.get_word_vector(word), rtol=1e-5,
                                   atol=1e-7, err_msg=word)
    np.testing.assert_array_equal(wv["</s>"], matrix[model.get_word_id("</s>")])
    rows = [model.get_word_id(w) for w in VOCAB_WORDS]
    np.testing.assert_allclose(wv.vectors[rows], [model.get_word_vector(w) for w in VOCAB_WORDS],
                               rtol=1e-5, atol=1e-7)


def test_naive_ngrams_and_hash_match_fasttext(oracle):
    (minn, maxn, bucket), model = oracle
    for word in VOCAB_WORDS + UNSEEN_WORDS:
        strings, expected = _oracle_subwords(model, word)
        assert naive.char_ngrams(word, minn, maxn) == strings, word
        assert naive.ngram_buckets(word, minn, maxn, bucket) == expected.tolist(), word


def test_fasttext_hash_is_fnv1a_with_signed_bytes():
    # Published FNV-1a 32-bit values of ASCII strings (no byte >= 0x80: no quirk).
    assert naive.fasttext_hash(b"") == 0x811C9DC5
    assert naive.fasttext_hash(b"a") == 0xE40C292C
    assert naive.fasttext_hash(b"foobar") == 0xBF9CF968
    # Bytes >= 0x80 are sign-extended: "é" (C3 A9) differs from plain FNV-1a.
    plain = 0x811C9DC5
    for byte in "é".encode():
        plain = ((plain ^ byte) * 0x01000193) & 0xFFFFFFFF
    assert naive.fasttext_hash("é".encode()) != plain


def test_naive_char_ngrams_rules():
    assert naive.char_ngrams("ab", 1, 3) == ["<a", "<ab", "a", "ab", "ab>", "b", "b>"]
    assert naive.char_ngrams("aaaa", 3, 3) == ["<aa", "aaa", "aaa", "aa>"]
    assert naive.char_ngrams("北京", 2, 2) == ["<北", "北京", "京>"]
    assert naive.char_ngrams("ab", 5, 6) == []


def _random_words(rng, n):
    """Random words over ASCII, Latin-1, CJK and emoji characters (1 to 4 UTF-8 bytes)."""
    alphabet = list("abcz") + list("éßñü") + list("北京東") + ["😀", "🎉"]
    return ["".join(rng.choice(alphabet, size=rng.integers(0, 9))) for _ in range(n)]


@pytest.mark.parametrize("minn,maxn,n_buckets", HASH_SETTINGS)
def test_ngram_buckets_of_many_words_match_naive(minn, maxn, n_buckets):
    words = _random_words(np.random.default_rng(minn * 10 + maxn), 300) + [""]
    offsets, buckets = _subwords.ngram_buckets(words, (minn, maxn), n_buckets)
    expected = [naive.ngram_buckets(w, minn, maxn, n_buckets) for w in words]
    assert offsets[0] == 0 and offsets.shape == (len(words) + 1,)
    assert np.diff(offsets).tolist() == [len(e) for e in expected]
    assert buckets.tolist() == [b for e in expected for b in e]
    assert buckets.min() >= 0 and buckets.max() < n_buckets


def test_ngram_buckets_of_no_words():
    offsets, buckets = _subwords.ngram_buckets([], (3, 6), 100)
    assert offsets.tolist() == [0] and buckets.shape == (0,)


def test_bucket_rows_and_input_rows():
    kept = np.array([3, 8, 20])
    buckets = np.array([20, 3, 4, 8, 21, 0, 3])
    np.testing.assert_array_equal(_subwords.bucket_rows(buckets, kept), [2, 0, -1, 1, -1, -1, 0])
    np.testing.assert_array_equal(_subwords.bucket_rows(buckets, None), buckets)
    np.testing.assert_array_equal(_subwords.bucket_rows(buckets, kept[:0]), [-1] * 7)
    # Word 0 has n-gram rows [1, 1], word 1 none, word 2 [0]: own row first, then n_words+.
    sub_offsets, sub_rows = _subwords.input_rows(3, np.array([0, 2, 2, 3]),
                                                 np.array([1, 1, 0]))
    assert sub_offsets.tolist() == [0, 3, 4, 6]
    assert sub_rows.tolist() == [0, 4, 4, 1, 2, 3]


@pytest.mark.parametrize("char_ngram_range", [(3, 6), (1, 3)])
def test_layout_of_a_vocabulary_is_the_naive_one(char_ngram_range):
    words = VOCAB_WORDS + UNSEEN_WORDS
    config = _driver.plan_fit(Word2VecVectorizer(char_ngram_range=char_ngram_range,
                                                 n_buckets=61)).config
    layout = _trainers.subword_layout(words, config)
    kept, rows = naive.subword_layout(words, *char_ngram_range, 61)
    np.testing.assert_array_equal(layout.kept_buckets, kept)
    assert layout.n_ngram_rows == len(kept) and layout.init_rows is None
    assert np.diff(layout.sub_offsets).tolist() == [len(r) for r in rows]
    assert layout.sub_rows.tolist() == [r for word_rows in rows for r in word_rows]


# ------------------------------------------------------------------ subword_means
def test_subword_means_match_numpy():
    rng = np.random.default_rng(0)
    word_rows = rng.standard_normal((4, 6)).astype(np.float32)
    ngram_vectors = rng.standard_normal((5, 6)).astype(np.float32)
    items = [  # (own row or -1, n-gram rows; -1: a bucket without a row)
        (2, [0, 4, -1, 4]),   # duplicates count twice, -1 counts in the denominator
        (-1, [1, 3]),         # an unseen word: its n-grams only
        (1, []),              # a word with no n-grams: its own row
        (-1, []),             # nothing to average: zeros
        (-1, [-1, -1]),       # no n-gram with a row: zeros
        (0, [-1]),            # own row and one absent bucket: half the own row
    ]
    words = np.array([w for w, _ in items], dtype=np.int64)
    offsets = np.concatenate([[0], np.cumsum([len(r) for _, r in items])]).astype(np.int64)
    ngram_rows = np.array([r for _, rows in items for r in rows], dtype=np.int64)
    out = np.full((len(items), 6), np.nan, dtype=np.float32)
    _kernels.subword_means(word_rows, ngram_vectors, words, offsets, ngram_rows, out)
    for i, (w, rows) in enumerate(items):
        parts = ([word_rows[w]] if w >= 0 else []) + [
            ngram_vectors[r] if r >= 0 else np.zeros(6) for r in rows]
        expected = np.mean(parts, axis=0) if parts else np.zeros(6)
        np.testing.assert_allclose(out[i], expected, rtol=1e-6, atol=1e-7, err_msg=str(i))
    np.testing.assert_array_equal(out[[3, 4]], 0.0)
    np.testing.assert_allclose(out[5], word_rows[0] / 2, rtol=1e-6)


# ------------------------------------------------------------------ whole kernel calls
#: Words of the kernel problems: "aaaa" lists the n-gram "aaa" twice, and with 53 buckets
#: n-grams of different words (and of one word) share rows.
KERNEL_WORDS = ["aaaa", "walk", "walks", "talk", "café", "北京", "ab", "the", "xyz", "zz"]


def _subword_problem(seed, dim=10, n_buckets=53):
    rng = np.random.default_rng(seed)
    kept, rows = naive.subword_layout(KERNEL_WORDS, 3, 6, n_buckets)
    n_words = len(KERNEL_WORDS)
    n_rows = n_words + len(kept)
    counts = np.sort(rng.integers(1, 50, n_words))[::-1].copy()
    lengths = [0, 1, 9, 3, 0, 14, 2, 7]  # empty and one-word documents included
    offsets = np.concatenate([[0], np.cumsum(lengths)]).astype(np.int64)
    tokens = rng.integers(0, n_words, offsets[-1]).astype(np.int32)
    tokens[::4] = 0  # "aaaa" (a duplicated n-gram row) as centre and as context
    # Smaller than test_kernels.py's rows: a CBOW sum adds about 60 of them, and larger
    # sums put float32 and float64 logits on two sides of a sigmoid-table step now and then.
    syn0 = (rng.random((n_rows, dim)) - 0.5).astype(np.float32)
    syn1neg = (rng.standard_normal((n_words, dim)) * 0.3).astype(np.float32)
    syn1 = (rng.standard_normal((n_words - 1, dim)) * 0.3).astype(np.float32)
    lock = np.ones(n_rows, dtype=np.float32)
    frozen = [2, 5, n_words + 1, rows[0][2]]  # two word rows, two n-gram rows
    lock[frozen] = 0.0
    lock[rows[1][-1]] = 0.5  # a partly locked n-gram row of "walk"
    threshold, alias = _vocab.alias_table(_vocab.noise_distribution(counts, 0.75))
    codes, points, hs_offsets = _vocab.huffman_tree(counts)
    sub_offsets = np.concatenate([[0], np.cumsum([len(r) for r in rows])]).astype(np.int64)
    sub_rows = np.array([r for word_rows in rows for r in word_rows], dtype=np.int64)
    return dict(syn0=syn0, syn1=syn1, syn1neg=syn1neg, lock=lock, tokens=tokens,
                offsets=offsets, threshold=threshold, alias=alias, codes=codes, points=points,
                hs_offsets=hs_offsets, rows=rows, sub_offsets=sub_offsets, sub_rows=sub_rows,
                frozen=frozen)


def test_kernel_problem_has_duplicate_frozen_and_shared_rows():
    p = _subword_problem(3)
    aaaa = p["rows"][0]
    assert len(aaaa) > len(set(aaaa))
    all_rows = [r for rows in p["rows"][1:] for r in rows[1:]]
    assert len(all_rows) > len(set(all_rows))  # rows shared between words
    # Every frozen row, and the half-locked one, is a row of a word of the documents.
    used = {r for w in set(p["tokens"].tolist()) for r in p["rows"][w]}
    assert set(p["frozen"]) <= used and p["rows"][1][-1] in used
    assert p["lock"][p["rows"][1][-1]] == 0.5


def _run_kernel(p, architecture, negative, hs, shrink, cbow_mean, pos_start, pos_end,
                window=3, seed=987654321):
    first_doc = int(np.searchsorted(p["offsets"], pos_start, side="right") - 1)
    weights = _kernels.Weights(p["syn0"], p["syn1"], p["syn1neg"], p["lock"])
    tables = _kernels.OutputTables(negative, p["threshold"], p["alias"], hs, p["codes"],
                                   p["points"], p["hs_offsets"])
    shard = _kernels.Shard(p["tokens"], p["offsets"], first_doc, pos_start, pos_end)
    run = _kernels.Run(window, shrink, cbow_mean, 0.05, 0.01, np.uint64(seed))
    kernel = (_kernels.train_skipgram_subwords if architecture == "skipgram"
              else _kernels.train_cbow_subwords)
    scratch = _training.kernel_scratch(tables, shard, run, p["syn0"].shape[1], False)
    return kernel(weights, tables, shard, run, _kernels.Subwords(p["sub_offsets"],
                                                                 p["sub_rows"]), scratch)


def _run_naive(p, architecture, negative, hs, shrink, cbow_mean, pos_start, pos_end,
               window=3, seed=987654321, rows=None):
    expected = {k: p[k].copy() for k in ("syn0", "syn1", "syn1neg")}
    loss, n_predictions = naive.train_subwords(
        architecture, expected["syn0"], expected["syn1"], expected["syn1neg"], p["lock"],
        p["rows"] if rows is None else rows, p["tokens"], p["offsets"], pos_start, pos_end,
        window, shrink, negative, p["threshold"], p["alias"], hs, p["codes"], p["points"],
        p["hs_offsets"], 0.05, 0.01, seed, cbow_mean=cbow_mean)
    return expected, loss, n_predictions


KERNEL_CASES = [
    # architecture, negative, hs, shrink, cbow_mean
    ("skipgram", 5, False, True, True),
    ("skipgram", 0, True, False, True),
    ("skipgram", 3, True, True, True),
    ("cbow", 5, False, True, True),
    ("cbow", 5, False, False, False),
    ("cbow", 0, True, True, False),
    ("cbow", 0, True, False, True),
    ("cbow", 4, True, True, True),
]


@pytest.mark.parametrize("architecture,negative,hs,shrink,cbow_mean", KERNEL_CASES)
@pytest.mark.parametrize("pos_start,pos_end", [(0, 36), (5, 30)])
def test_subword_training_call_matches_reference(architecture, negative, hs, shrink,
                                                 cbow_mean, pos_start, pos_end):
    p = _subword_problem(3)
    case = (architecture, negative, hs, shrink, cbow_mean, pos_start, pos_end)
    expected, expected_loss, expected_predictions = _run_naive(p, *case)
    frozen = p["syn0"][p["frozen"]].copy()
    loss, n_positions, n_predictions = _run_kernel(p, *case)
    assert n_positions == pos_end - pos_start
    assert n_predictions == expected_predictions > 0
    np.testing.assert_allclose(loss, expected_loss, rtol=1e-5)
    for name in ("syn0", "syn1", "syn1neg"):
        np.testing.assert_allclose(p[name], expected[name], rtol=RTOL, atol=ATOL, err_msg=name)
    np.testing.assert_array_equal(p["syn0"][p["frozen"]], frozen)
    # Training moved word rows and n-gram rows far beyond the tolerance.
    moved = np.abs(p["syn0"] - _subword_problem(3)["syn0"]).max(axis=1)
    n_words = len(KERNEL_WORDS)
    assert (moved[:n_words] > 100 * ATOL).sum() >= 3
    assert (moved[n_words:] > 100 * ATOL).sum() >= 10


@pytest.mark.parametrize("architecture", ["skipgram", "cbow"])
def test_subword_replay_tells_deduplicated_rows_apart(architecture):
    # The reference with each word's rows deduplicated ("aaa" of "aaaa" once) is another
    # algorithm; the kernel must agree with the one that keeps duplicates, not with it.
    p = _subword_problem(3)
    case = (architecture, 5, False, True, True, 0, 36)
    deduplicated = [list(dict.fromkeys(rows)) for rows in p["rows"]]
    wrong, _, _ = _run_naive(p, *case, rows=deduplicated)
    _run_kernel(p, *case)
    assert not np.allclose(p["syn0"], wrong["syn0"], rtol=RTOL, atol=ATOL)


@pytest.mark.parametrize("architecture", ["skipgram", "cbow"])
def test_a_row_listed_twice_gets_the_error_twice(architecture):
    # Word 0 has rows [0, 2, 2]; word 1 rows [1, 3]. One document "0 1": skip-gram trains
    # the centre 0 (position 0), CBOW the centre 1 from the context 0 (position 1).
    dim = 6
    rng = np.random.default_rng(7)
    syn0 = (rng.standard_normal((4, dim)) * 0.5).astype(np.float32)
    syn1neg = (rng.standard_normal((2, dim)) * 0.5).astype(np.float32)
    rows = [[0, 2, 2], [1, 3]]
    p = dict(syn0=syn0, syn1=np.zeros((1, dim), np.float32), syn1neg=syn1neg,
             lock=np.ones(4, np.float32), tokens=np.array([0, 1], np.int32),
             offsets=np.array([0, 2], np.int64), threshold=np.full(2, 2**32, np.uint64),
             alias=np.zeros(2, np.int32), codes=np.zeros(0, np.uint8),
             points=np.zeros(0, np.int32), hs_offsets=np.zeros(3, np.int64), rows=rows,
             sub_offsets=np.array([0, 3, 5], np.int64),
             sub_rows=np.array([0, 2, 2, 1, 3], np.int64))
    position = 0 if architecture == "skipgram" else 1
    case = (architecture, 1, False, False, True, position, position + 1)
    before = syn0.copy()
    expected, _, _ = _run_naive(p, *case)
    _run_kernel(p, *case)
    np.testing.assert_allclose(p["syn0"], expected["syn0"], rtol=1e-5, atol=1e-7)
    delta = p["syn0"] - before
    assert np.abs(delta[0]).max() > 1e-3
    np.testing.assert_allclose(delta[2], 2 * delta[0], rtol=1e-4, atol=1e-7)
    np.testing.assert_array_equal(delta[[1, 3]], 0.0)  # rows of the predicted word


# ------------------------------------------------------------------ corpora of the fits
STEMS = ["walk", "jump", "cook", "sing", "fix", "dream"]
TRAINED_SUFFIXES = ["", "s", "ing", "er"]  # "ed" never occurs in training


def stem_corpus(n_documents=600, seed=0, stems=STEMS):
    """Documents about one stem each: three of its inflected forms among five words of the
    stem's own topic (random letter strings), shuffled."""
    rng = np.random.default_rng(seed)
    letters = np.array(list("bcdfghlmnpqrtvxyz"))
    topics = {stem: ["".join(rng.choice(letters, size=5)) for _ in range(8)] for stem in stems}
    documents = []
    for _ in range(n_documents):
        stem = stems[rng.integers(len(stems))]
        forms = [stem + suffix for suffix in rng.choice(TRAINED_SUFFIXES, size=3)]
        words = forms + list(rng.choice(topics[stem], size=5))
        documents.append(" ".join(rng.permutation(words)))
    return documents


STEM_DOCUMENTS = stem_corpus()
SUBWORD = {"vector_size": 16, "min_count": 1, "window": 3, "epochs": 5, "negative": 5,
           "sample": 0.0, "n_jobs": 1, "random_state": 0, "char_ngram_range": (3, 6),
           "n_buckets": 2_000_000}


@pytest.fixture(scope="module")
def stem_model():
    """A subword model of STEM_DOCUMENTS with fastText's 2,000,000 buckets (most of them
    never reached, so an unseen word's mean counts absent buckets as zero rows)."""
    return Word2VecVectorizer(**SUBWORD).fit(STEM_DOCUMENTS)


def _buckets_of(words, minn, maxn, n_buckets):
    return sorted({b for w in words for b in naive.ngram_buckets(w, minn, maxn, n_buckets)})


# ------------------------------------------------------------------ the estimator
def test_plain_fit_is_bit_identical_to_the_plain_kernels():
    # Values of the fit below with the plain kernels, first pinned before subwords were
    # added (commit b95438b) and checked equal bit for bit with char_ngram_range=None after;
    # re-pinned when the vocabulary order and the Huffman tree became gensim's (ties: last
    # first appearance first). They guard the plain path. Since the kernels' blocks were
    # register-blocked (issue 26) the last skip-gram row ends in other bits with LLVM 14 on
    # this CPU (CI's oldest Numba): as test_pinned_outputs, per toolchain.
    rng = np.random.default_rng(0)
    weights = 1.0 / np.arange(1, 41) ** 0.9
    weights /= weights.sum()
    documents = [" ".join(f"tok{i}" for i in rng.choice(40, size=rng.integers(4, 16),
                                                        p=weights)) for _ in range(120)]
    expected = {
        "skipgram": [[-0.03894784674048424, -0.030128691345453262, -0.10403233766555786,
                      -0.038313012570142746],
                     [0.045346252620220184, 0.007862677797675133, -0.05473607778549194,
                      -0.09724947810173035],
                     [-0.0627121701836586, -0.061228830367326736, -0.045728765428066254,
                      -0.05198463797569275]],
        "cbow": [[-0.03419168293476105, -0.030080709606409073, -0.09916647523641586,
                  -0.03779580444097519],
                 [0.04696297645568848, 0.007805160246789455, -0.053291380405426025,
                  -0.09758030623197556],
                 [-0.05908867344260216, -0.061063993722200394, -0.043252862989902496,
                  -0.05221837759017944]],
    }
    if TOOLCHAIN == (14, "znver3"):
        expected["skipgram"][2][2:] = [-0.04572876915335655, -0.05198463425040245]
    elif TOOLCHAIN != (22, "znver4"):
        pytest.skip(f"values pinned for LLVM 22 on znver4 and LLVM 14 on znver3, not {TOOLCHAIN}")
    assert Word2VecVectorizer().char_ngram_range is None
    for architecture, extra in [("skipgram", {}), ("cbow", {"hs": True, "negative": 0})]:
        model = Word2VecVectorizer(vector_size=8, min_count=1, epochs=2, n_jobs=1,
                                   random_state=0, architecture=architecture,
                                   char_ngram_range=None, **extra).fit(documents)
        wv = model.wv_
        assert [wv.index_to_word[i] for i in (0, 7, 25)] == ["tok0", "tok6", "tok26"]
        np.testing.assert_array_equal(wv.vectors[[0, 7, 25], :4],
                                      np.array(expected[architecture], dtype=np.float32))
        assert wv.char_ngram_range is None and wv.vectors_ngrams is None
        assert wv.n_buckets is None and wv.ngram_buckets is None
        assert wv.vectors_vocab is wv.vectors


#: Whole subword fits replayed by naive.fit_subwords: words sharing stems (rows shared
#: between words), 97 buckets (collisions), "aaaa" (a duplicated row), rare words dropped.
REPLAY = {"vector_size": 8, "window": 3, "min_count": 2, "epochs": 2, "negative": 4,
          "hs": False, "sample": 0.0, "alpha": 0.025, "min_alpha": 0.0001, "n_jobs": 1,
          "random_state": 11, "char_ngram_range": (3, 6), "n_buckets": 97}
REPLAY_CASES = {
    "sg-ns": {},
    "sg-hs-range-1-3": {"negative": 0, "hs": True, "char_ngram_range": (1, 3)},
    "sg-ns-sample": {"sample": 1e-2, "n_buckets": 5003},
    "cbow-ns-mean": {"architecture": "cbow"},
    "cbow-hs-sum": {"architecture": "cbow", "cbow_mean": False, "negative": 0, "hs": True},
    "cbow-ns-hs": {"architecture": "cbow", "negative": 2, "hs": True, "window": 2},
}


def replay_documents():
    documents = stem_corpus(n_documents=50, seed=1, stems=["walk", "jump", "aaaa"])
    documents[3] += " onlyonce"  # dropped by min_count=2
    documents[10] = ""
    return documents


@pytest.fixture(scope="module", params=list(REPLAY_CASES))
def subword_replay(request):
    documents = replay_documents()
    model = Word2VecVectorizer(**{**REPLAY, **REPLAY_CASES[request.param]}).fit(documents)
    expected = naive.fit_subwords(documents, model.build_analyzer(), chunk_tokens=10**9,
                                  **model.get_params())
    return model, expected


def test_subword_fit_matches_the_replay(subword_replay):
    model, (expected, kept, vectors_vocab, vectors_ngrams) = subword_replay
    wv = model.wv_
    assert wv.index_to_word == expected.words and "onlyonce" not in wv
    assert wv.char_ngram_range == model.char_ngram_range and wv.n_buckets == model.n_buckets
    np.testing.assert_array_equal(wv.ngram_buckets, kept)
    np.testing.assert_allclose(wv.vectors_vocab, vectors_vocab, rtol=RTOL, atol=ATOL)
    np.testing.assert_allclose(wv.vectors_ngrams, vectors_ngrams, rtol=RTOL, atol=ATOL)
    np.testing.assert_allclose(wv.vectors, expected.vectors, rtol=RTOL, atol=ATOL)
    np.testing.assert_allclose(model.loss_history_, expected.losses, rtol=1e-4)
    # Training moved the rows far beyond the tolerance (the comparison has power).
    start = naive.initial_vectors(naive.seeds(model.random_state)[0],
                                  len(wv) + len(kept), model.vector_size)
    trained = np.vstack([wv.vectors_vocab, wv.vectors_ngrams])
    assert np.median(np.abs(trained - start).max(axis=1)) > 100 * ATOL


def test_subword_replay_tells_a_plain_fit_apart():
    documents = replay_documents()
    model = Word2VecVectorizer(**REPLAY).fit(documents)
    plain = naive.fit(documents, model.build_analyzer(), chunk_tokens=10**9,
                      **{**model.get_params(), "char_ngram_range": None})
    assert not np.allclose(model.wv_.vectors, plain.vectors, rtol=RTOL, atol=ATOL)


def test_subword_fits_are_deterministic_and_n_jobs_2_trains_finite_vectors():
    params = {**SUBWORD, "n_buckets": 1000, "epochs": 2}
    first = Word2VecVectorizer(**params).fit(STEM_DOCUMENTS)
    second = Word2VecVectorizer(**params).fit(STEM_DOCUMENTS)
    for name in ("vectors_vocab", "vectors_ngrams", "ngram_buckets", "vectors"):
        np.testing.assert_array_equal(getattr(first.wv_, name), getattr(second.wv_, name))
    assert first.loss_history_ == second.loss_history_
    threaded = Word2VecVectorizer(**{**params, "n_jobs": 2}).fit(STEM_DOCUMENTS)
    assert threaded.wv_.index_to_word == first.wv_.index_to_word
    assert np.all(np.isfinite(threaded.wv_.vectors_vocab))
    assert np.all(np.isfinite(threaded.wv_.vectors_ngrams))
    assert all(np.isfinite(loss) and loss > 0 for loss in threaded.loss_history_)
    assert not np.allclose(threaded.wv_.vectors, first.wv_.vectors)  # trained, differently


def test_only_the_buckets_of_the_vocabulary_get_rows(stem_model):
    wv = stem_model.wv_
    offsets, buckets = _subwords.ngram_buckets(wv.index_to_word, (3, 6), 2_000_000)
    assert wv.vectors_ngrams.shape == (len(np.unique(buckets)), 16)
    assert np.all(np.diff(wv.ngram_buckets) > 0)
    np.testing.assert_array_equal(wv.ngram_buckets,
                                  _buckets_of(wv.index_to_word, 3, 6, 2_000_000))
    assert wv.vectors_vocab.shape == (len(wv), 16)
    assert wv.unit_vectors.shape == (len(wv), 16)  # no rows for buckets
    assert wv.vectors.shape == (len(wv), 16)


def test_vocabulary_vectors_are_means_of_own_and_ngram_rows(stem_model):
    wv = stem_model.wv_
    for word in ["walk", "jumping", "sings", wv.index_to_word[-1]]:
        own = wv.vectors_vocab[wv.get_index(word)]
        expected = naive.subword_vector(word, 3, 6, 2_000_000, wv.ngram_buckets,
                                        wv.vectors_ngrams, own=own)
        np.testing.assert_allclose(wv[word], expected, rtol=1e-5, atol=1e-7)
        np.testing.assert_array_equal(wv[word], wv.vectors[wv.get_index(word)])


def test_unseen_word_is_the_mean_of_its_ngram_rows(stem_model):
    wv = stem_model.wv_
    word = "rewalkings"
    assert word not in wv and "unseen" not in wv
    buckets = naive.ngram_buckets(word, 3, 6, 2_000_000)
    present = np.isin(buckets, wv.ngram_buckets)
    assert present.any() and not present.all()  # "walk" has a row, "<re" none
    expected = naive.subword_vector(word, 3, 6, 2_000_000, wv.ngram_buckets, wv.vectors_ngrams)
    np.testing.assert_allclose(wv[word], expected, rtol=1e-5, atol=1e-7)
    # The zero rows count in the denominator: the mean of present rows only is larger.
    rows = np.searchsorted(wv.ngram_buckets, np.array(buckets)[present])
    assert not np.allclose(wv[word], wv.vectors_ngrams[rows].mean(axis=0), rtol=1e-3)


def test_word_without_any_ngram_row(stem_model):
    wv = stem_model.wv_
    word = "QQQQ"  # never lowercased by WordVectors: no n-gram of it was trained
    assert not np.isin(naive.ngram_buckets(word, 3, 6, 2_000_000), wv.ngram_buckets).any()
    np.testing.assert_array_equal(wv[word], np.zeros(16, dtype=np.float32))
    assert wv[word].dtype == np.float32
    with pytest.raises(KeyError, match="QQQQ"):
        wv.similarity(word, "walk")
    with pytest.raises(KeyError, match="QQQQ"):
        wv.most_similar(word)
    with pytest.raises(KeyError, match="QQQQ"):
        wv.doesnt_match(["walk", word])
    with pytest.raises(KeyError):
        wv.get_index("walked")  # the vocabulary's own look-up knows no unseen word


def test_subword_model_answers_unseen_forms_and_a_plain_model_cannot(stem_model):
    wv = stem_model.wv_
    for stem in STEMS:
        unseen = stem + "ed"
        assert unseen not in wv
        own = wv.similarity(unseen, stem)
        others = [wv.similarity(unseen, other) for other in STEMS if other != stem]
        assert own > max(others) + 0.1, (stem, own, others)
        # A query word outside the vocabulary is answered (its neighbours are its stem's
        # forms and topic words, never another stem's forms).
        top = [w for w, _ in wv.most_similar(unseen, topn=5)]
        assert not any(w.startswith(other) for w in top for other in STEMS if other != stem)
    assert wv.doesnt_match(["walked", "walks", "walking", "jumped"]) == "jumped"
    plain = Word2VecVectorizer(**{**SUBWORD, "char_ngram_range": None}).fit(STEM_DOCUMENTS)
    with pytest.raises(KeyError):
        plain.wv_["walked"]
    with pytest.raises(KeyError):
        plain.wv_.similarity("walked", "walk")


def test_subword_model_pickles(stem_model):
    restored = pickle.loads(pickle.dumps(stem_model))
    wv, back = stem_model.wv_, restored.wv_
    assert back.char_ngram_range == (3, 6) and back.n_buckets == 2_000_000
    np.testing.assert_array_equal(back.vectors, wv.vectors)
    np.testing.assert_array_equal(back.vectors_ngrams, wv.vectors_ngrams)
    np.testing.assert_array_equal(back.ngram_buckets, wv.ngram_buckets)
    np.testing.assert_array_equal(back["walked"], wv["walked"])
    assert back.similarity("walked", "walk") == wv.similarity("walked", "walk")


# ------------------------------------------------------------------ init= a subword model
FINETUNE = {**SUBWORD, "n_buckets": 1000, "epochs": 2, "random_state": 4}


@pytest.fixture(scope="module")
def small_subword_model():
    return Word2VecVectorizer(**FINETUNE).fit(stem_corpus(200, seed=3, stems=STEMS[:3]))


def test_init_with_epochs_zero_keeps_every_row(small_subword_model):
    init = small_subword_model.wv_
    model = Word2VecVectorizer(**{**FINETUNE, "init": init, "epochs": 0}).fit(
        ["walk jumping cooks newword", "cook cook"])
    wv = model.wv_
    assert set(wv.index_to_word) == set(init.index_to_word)
    np.testing.assert_array_equal(wv.ngram_buckets, init.ngram_buckets)
    np.testing.assert_array_equal(wv.vectors_ngrams, init.vectors_ngrams)
    rows = [init.get_index(w) for w in wv.index_to_word]
    np.testing.assert_array_equal(wv.vectors_vocab, init.vectors_vocab[rows])
    for word in ["walk", "cooks", "walked", "unseenword"]:
        np.testing.assert_array_equal(wv[word], init[word])


def test_init_with_all_buckets_keeps_all_buckets():
    rng = np.random.default_rng(0)
    init = WordVectors.from_subwords(["walk", "jump"], rng.normal(size=(2, 8)),
                                     rng.normal(size=(50, 8)), char_ngram_range=(2, 4),
                                     n_buckets=50)
    params = {**FINETUNE, "vector_size": 8, "char_ngram_range": (2, 4), "n_buckets": 50,
              "init": init}
    kept = Word2VecVectorizer(**{**params, "epochs": 0}).fit(["walk walk jump"]).wv_
    assert kept.ngram_buckets is None and kept.vectors_ngrams.shape == (50, 8)
    np.testing.assert_array_equal(kept.vectors_ngrams, init.vectors_ngrams)
    trained = Word2VecVectorizer(**params).fit(["walk jump talks"] * 20).wv_
    assert trained.ngram_buckets is None and trained.vectors_ngrams.shape == (50, 8)
    assert "talks" in trained and np.all(np.isfinite(trained.vectors))


def test_init_with_some_buckets_keeps_them_beside_the_vocabulary_buckets():
    rng = np.random.default_rng(1)
    init_buckets = np.array([0, 5, 17, 400, 999])
    init = WordVectors.from_subwords(["walk"], rng.normal(size=(1, 8)),
                                     rng.normal(size=(5, 8)), char_ngram_range=(3, 6),
                                     n_buckets=1000, ngram_buckets=init_buckets)
    wv = Word2VecVectorizer(**{**FINETUNE, "vector_size": 8, "init": init, "epochs": 1,
                               "freeze_init": True}).fit(["walk walk"] * 3).wv_
    expected = np.union1d(init_buckets, _buckets_of(["walk"], 3, 6, 1000))
    np.testing.assert_array_equal(wv.ngram_buckets, expected)
    rows = np.searchsorted(wv.ngram_buckets, init_buckets)
    np.testing.assert_array_equal(wv.vectors_ngrams[rows], init.vectors_ngrams)
    np.testing.assert_array_equal(wv.vectors_vocab, init.vectors_vocab)
    # Trained nothing (epochs=0): the pretrained table as it is, shared, not copied.
    kept = Word2VecVectorizer(**{**FINETUNE, "vector_size": 8, "init": init, "epochs": 0}).fit(
        ["walk"]).wv_
    assert kept.vectors_ngrams is init.vectors_ngrams
    np.testing.assert_array_equal(kept.ngram_buckets, init_buckets)
    np.testing.assert_array_equal(kept["walking"], init["walking"])


@pytest.mark.parametrize("freeze", [True, False])
def test_fine_tuning_a_subword_model(small_subword_model, freeze):
    init = small_subword_model.wv_
    documents = stem_corpus(200, seed=5, stems=STEMS[1:5])  # two known stems, two new
    model = Word2VecVectorizer(**{**FINETUNE, "init": init, "freeze_init": freeze}).fit(
        documents)
    wv = model.wv_
    n_words = len(wv)
    # Pretrained words of the new documents (the others, never trained, stay as they are).
    known_words = [w for w, c in zip(wv.index_to_word, wv.counts, strict=True)
                   if w in init and c > 0]
    new_words = [w for w in wv.index_to_word if w not in init]
    assert {"cook", "jumps"} <= set(known_words) and {"sing", "fixer"} <= set(new_words)
    known_rows = np.searchsorted(wv.ngram_buckets, init.ngram_buckets)
    np.testing.assert_array_equal(wv.ngram_buckets[known_rows], init.ngram_buckets)
    new_rows = np.setdiff1d(np.arange(len(wv.ngram_buckets)), known_rows)
    assert new_rows.size > 0
    # Pretrained rows: kept exactly when frozen, moved by training otherwise.
    own = wv.vectors_vocab[[wv.get_index(w) for w in known_words]]
    init_own = init.vectors_vocab[[init.get_index(w) for w in known_words]]
    if freeze:
        np.testing.assert_array_equal(own, init_own)
        np.testing.assert_array_equal(wv.vectors_ngrams[known_rows], init.vectors_ngrams)
    else:
        assert np.abs(own - init_own).max(axis=1).min() > 1e-4
        assert not np.allclose(wv.vectors_ngrams[known_rows], init.vectors_ngrams)
    # New words and new buckets start from the seeded random rows and move.
    start = naive.initial_vectors(naive.seeds(FINETUNE["random_state"])[0],
                                  n_words + len(wv.ngram_buckets), FINETUNE["vector_size"])
    new_word_rows = [wv.get_index(w) for w in new_words]
    assert np.abs(wv.vectors_vocab[new_word_rows] - start[new_word_rows]).max(axis=1).min() \
        > 1e-4
    moved = np.abs(wv.vectors_ngrams[new_rows] - start[n_words + new_rows]).max(axis=1)
    assert np.median(moved) > 1e-4
    assert np.all(np.isfinite(wv.vectors))


@pytest.mark.parametrize("change,named", [
    ({"char_ngram_range": (2, 5)}, ["char_ngram_range=(3, 6)", "char_ngram_range=(2, 5)"]),
    ({"n_buckets": 700}, ["n_buckets=1,000", "n_buckets=700"]),
])
def test_init_with_other_ngrams_or_buckets_raises(small_subword_model, change, named):
    model = Word2VecVectorizer(**{**FINETUNE, "init": small_subword_model.wv_, **change})
    with pytest.raises(ValueError) as error:
        model.fit(["walk jump"])
    for text in named:
        assert text in str(error.value)


# ------------------------------------------------------------------ parameters and inputs
@pytest.mark.parametrize("value", [(0, 3), (4, 3), (3,), "36", (3.0, 6), (3, 6, 9),
                                   (True, 6), (-1, 2), [3, 6]])
def test_invalid_char_ngram_range_raises(value):
    with pytest.raises(ValueError, match="char_ngram_range") as error:
        Word2VecVectorizer(char_ngram_range=value, min_count=1).fit(["walk jump"])
    assert error.type in (ValueError, InvalidParameterError)


@pytest.mark.parametrize("value", [0, -5, 2.5])
def test_invalid_n_buckets_raises(value):
    with pytest.raises(InvalidParameterError, match="n_buckets"):
        Word2VecVectorizer(char_ngram_range=(3, 6), n_buckets=value).fit(["walk jump"])


def test_long_documents_and_a_generator(tmp_path):
    params = {**SUBWORD, "n_buckets": 1000, "epochs": 1}
    long_document = " ".join(STEM_DOCUMENTS * 4)  # one document of 19,200 tokens
    model = Word2VecVectorizer(**params).fit([long_document, "walk jump"])
    assert int(model.wv_.counts.sum()) == len(long_document.split()) + 2
    assert np.all(np.isfinite(model.wv_.vectors))
    from_list = Word2VecVectorizer(**params).fit(STEM_DOCUMENTS)
    from_generator = Word2VecVectorizer(**params).fit(d for d in STEM_DOCUMENTS)
    np.testing.assert_array_equal(from_generator.wv_.vectors_vocab,
                                  from_list.wv_.vectors_vocab)
    np.testing.assert_array_equal(from_generator.wv_.vectors_ngrams,
                                  from_list.wv_.vectors_ngrams)


def test_from_subwords_checks_its_arguments():
    rng = np.random.default_rng(0)
    words, own = ["walk", "jump"], rng.normal(size=(2, 4))

    def build(ngrams, **kwargs):
        return WordVectors.from_subwords(words, own, ngrams, **{
            "char_ngram_range": (3, 6), "n_buckets": 10, **kwargs})

    assert build(rng.normal(size=(10, 4))).n_buckets == 10
    with pytest.raises(ValueError, match="9 rows for n_buckets=10"):
        build(rng.normal(size=(9, 4)))
    with pytest.raises(ValueError, match="strictly increasing"):
        build(rng.normal(size=(3, 4)), ngram_buckets=[1, 1, 5])
    with pytest.raises(ValueError, match="strictly increasing"):
        build(rng.normal(size=(2, 4)), ngram_buckets=[3, 10])
    with pytest.raises(ValueError, match="lists 2 buckets for 3 rows"):
        build(rng.normal(size=(3, 4)), ngram_buckets=[1, 2])
    with pytest.raises(ValueError, match="n_buckets must be a positive int"):
        build(rng.normal(size=(0, 4)), n_buckets=0)
    with pytest.raises(ValueError, match="char_ngram_range"):
        build(rng.normal(size=(10, 4)), char_ngram_range=(0, 3))
    bad = rng.normal(size=(10, 4))
    bad[7, 1] = np.nan
    with pytest.raises(ValueError, match="Row 7 of vectors_ngrams"):
        build(bad)


# ------------------------------------------------------------------ limits and refusals
@pytest.mark.parametrize("settings", [{"epochs": 0},
                                      {"init_vocabulary": "pretrained", "freeze_init": True}])
def test_plain_init_with_ngrams_that_nothing_trains_is_refused(settings):
    # The pretrained vectors would come back averaged with n-gram rows init does not hold.
    init = WordVectors(["cat", "dog", "the"],
                       np.random.default_rng(0).normal(size=(3, 8)).astype(np.float32))
    model = Word2VecVectorizer(init=init, vector_size=8, char_ngram_range=(3, 6), min_count=1,
                               **settings)
    with pytest.raises(ValueError, match=r"init holds plain word vectors and "
                                         r"char_ngram_range=\(3, 6\) adds"):
        model.fit(["the cat and the dog"] * 5)
    assert not hasattr(model, "wv_")
    # Without n-grams the vectors come back exactly; with training, n-grams are fine.
    kept = Word2VecVectorizer(init=init, vector_size=8, min_count=1, **settings).fit(
        ["the cat and the dog"] * 5)
    np.testing.assert_array_equal(kept.wv_["cat"], init["cat"])


def _unread_documents():
    raise AssertionError("the documents were read before the parameters were checked")
    yield  # pragma: no cover


@pytest.mark.parametrize("estimator", ["Word2VecVectorizer", "Word2VecClassifier"])
@pytest.mark.parametrize("n_buckets", [2**31, 2**63, 2**64])
def test_n_buckets_is_bounded_by_the_parameter_constraints(estimator, n_buckets):
    import skw2v

    model = getattr(skw2v, estimator)(char_ngram_range=(3, 5), n_buckets=n_buckets)
    with pytest.raises(InvalidParameterError, match=r"'n_buckets' parameter .* range "
                                                     r"\[1, 2147483647\]"):
        model.fit(_unread_documents(), *([["a"]] if estimator == "Word2VecClassifier"
                                        else []))


@pytest.mark.parametrize("estimator", ["Word2VecVectorizer", "Word2VecClassifier"])
def test_the_longest_ngram_is_bounded_before_any_document_is_read(estimator):
    import skw2v

    model = getattr(skw2v, estimator)(char_ngram_range=(1, 10**9))
    with pytest.raises(ValueError, match=r"max_n must be at most 64. A token of L characters"):
        model.fit(_unread_documents(), *([["a"]] if estimator == "Word2VecClassifier"
                                        else []))


def test_a_very_long_token_at_the_longest_ngrams_fits():
    # 20,000 characters x 64 lengths: 1.3 million n-gram ids, linear in the token's length.
    token = "ab" * 10_000
    model = Word2VecVectorizer(char_ngram_range=(1, 64), n_buckets=1000, vector_size=4,
                               min_count=1, epochs=1, analyzer="pretokenized",
                               random_state=0).fit([[token, "b"]] * 3)
    assert np.isfinite(model.wv_[token]).all()
