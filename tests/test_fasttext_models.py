"""``WordVectors.load`` and ``save`` with ``format="fasttext"``: Facebook fastText ``.bin``
models, memory-mapped on load.

fastText (the ``fasttext`` package) and gensim are the oracles; the tests that need them skip
without them. fastText models are trained with ``thread=10`` and ``dim=10``: this fastText
build initialises the input matrix in ten blocks, one per thread, and leaves rows
uninitialised (often NaN) with fewer threads.
"""

import hashlib
import pickle
import random
import struct
import tracemalloc
from functools import partial

import numpy as np
import pytest
from sklearn.base import clone
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import GridSearchCV
from sklearn.pipeline import make_pipeline

from skw2v import Word2VecVectorizer, WordVectors, _subwords
from skw2v._io.fasttext_bin import FastTextModel, read_fasttext_bin, write_fasttext_bin

SPECIAL = ["naïve", "日本語", "café", "Zürich", "straße", "😀", "a\xa0b"]
UNSEEN = ["naïvety", "日本", "unseenword", "zz", "😀😀", "a", "walkings", "Zürichsee"]
EOS = "</s>"  # fastText's end-of-line token, the first word of its models


# ---------------------------------------------------------------------------------------------
# Fixtures and helpers


@pytest.fixture(scope="module")
def fasttext():
    return pytest.importorskip("fasttext")


@pytest.fixture(scope="module")
def gensim_fasttext():
    return pytest.importorskip("gensim.models.fasttext")


def _documents(seed, n_lines, extra=()):
    rng = random.Random(seed)
    vocab = SPECIAL + list(extra) + ["walk", "walked", "walking", "talk", "talked", "river",
                                     "vector", "model"] + [f"w{i}" for i in range(60)]
    return [[rng.choice(vocab) for _ in range(rng.randint(3, 15))] for _ in range(n_lines)]


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    """About 400 generated lines, a few words non-ASCII, as a text file."""
    path = tmp_path_factory.mktemp("corpus") / "corpus.txt"
    path.write_text("\n".join(" ".join(doc) for doc in _documents(0, 400)) + "\n",
                    encoding="utf-8")
    return path


def _train(fasttext, corpus, directory, **kwargs):
    options = dict(model="skipgram", minn=3, maxn=6, bucket=2000, dim=10, epoch=1, minCount=1,
                   thread=10, verbose=0)
    model = fasttext.train_unsupervised(str(corpus), **{**options, **kwargs})
    path = directory / "model.bin"
    model.save_model(str(path))
    return path, model


@pytest.fixture(scope="module")
def trained(fasttext, corpus, tmp_path_factory):
    """A skip-gram fastText model with n-grams of 3 to 6 characters in 2,000 buckets."""
    return _train(fasttext, corpus, tmp_path_factory.mktemp("trained"))


@pytest.fixture(scope="module")
def trained_plain(fasttext, corpus, tmp_path_factory):
    """A fastText model without n-grams (maxn=0)."""
    return _train(fasttext, corpus, tmp_path_factory.mktemp("plain"), maxn=0)


@pytest.fixture(scope="module")
def ours():
    """A subword model trained by skw2v: (3, 5)-grams in 5,000 buckets, only some held."""
    model = Word2VecVectorizer(char_ngram_range=(3, 5), n_buckets=5000, vector_size=10,
                               min_count=1, epochs=2, n_jobs=1, analyzer="pretokenized",
                               random_state=0)
    return model.fit(_documents(1, 300)).wv_


def _sha256(path):
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _copy(path, tmp_path, name="copy.bin"):
    target = tmp_path / name
    target.write_bytes(path.read_bytes())
    return target


# ---------------------------------------------------------------------------------------------
# Loading fastText's models


def test_load_gives_fasttexts_vectors_for_known_and_unseen_words(trained):
    path, ft = trained
    wv = WordVectors.load(path, format="fasttext")
    words, counts = ft.get_words(include_freq=True)
    assert wv.index_to_word == words and wv.index_to_word[0] == EOS
    np.testing.assert_array_equal(wv.counts, counts)
    assert (wv.char_ngram_range, wv.n_buckets, wv.vector_size) == ((3, 6), 2000, 10)
    assert wv.ngram_buckets is None and wv.vectors_ngrams.shape == (2000, 10)
    np.testing.assert_array_equal(wv.vectors_vocab, ft.get_input_matrix()[:len(words)])
    np.testing.assert_array_equal(wv.vectors_ngrams, ft.get_input_matrix()[len(words):])
    for word in words + UNSEEN:
        assert word in words or word not in wv
        np.testing.assert_allclose(wv[word], ft.get_word_vector(word), rtol=1e-6, err_msg=word)
    # All vectors at once (composed on first use), the same.
    for row, word in enumerate(words):
        np.testing.assert_allclose(wv.vectors[row], ft.get_word_vector(word), rtol=1e-6)


def test_end_of_line_token_has_fasttexts_vector(trained):
    """fastText gives its end-of-line token no n-grams: its vector is its own row."""
    path, ft = trained
    wv = WordVectors.load(path, format="fasttext")
    np.testing.assert_array_equal(wv[EOS], wv.vectors_vocab[0])
    np.testing.assert_allclose(wv[EOS], ft.get_word_vector(EOS), rtol=1e-6)


def test_most_similar_finds_fasttexts_neighbours(trained):
    path, ft = trained
    wv = WordVectors.load(path, format="fasttext")
    for query in ["w1", "naïve", "walking", "river", "walkings"]:
        theirs = [(w, s) for s, w in ft.get_nearest_neighbors(query, k=5)]
        mine = wv.most_similar(query, topn=5)
        assert [w for w, _ in mine] == [w for w, _ in theirs], query
        np.testing.assert_allclose([s for _, s in mine], [s for _, s in theirs], rtol=1e-5)


def test_load_maps_the_file_and_computes_nothing(trained, monkeypatch):
    path, _ = trained
    calls = []
    hash_words = _subwords.ngram_buckets

    def counting(words, *args):
        calls.append(len(words))
        return hash_words(words, *args)

    monkeypatch.setattr(_subwords, "ngram_buckets", counting)
    wv = WordVectors.load(path, format="fasttext")
    assert calls == []  # no word hashed, no vector composed
    layout = read_fasttext_bin(path)
    for array in (wv.vectors_vocab, wv.vectors_ngrams):
        assert isinstance(array, np.memmap) and not array.flags.writeable
        assert array.filename == str(path.resolve())
        assert array.dtype == np.float32 and array.flags.c_contiguous
    assert wv.vectors_vocab.offset == layout.input_matrix.offset
    wv["walking"]
    assert calls == [1]  # one word hashed, for one query
    wv.most_similar("w1", topn=3)
    assert calls == [1, len(wv)]  # the vocabulary's vectors, on first use
    with pytest.raises(ValueError, match="read-only"):
        wv.vectors_ngrams[0, 0] = 1.0


def test_load_model_without_ngrams_gives_plain_mapped_vectors(trained_plain):
    path, ft = trained_plain
    assert ft.f.getArgs().maxn == 0
    wv = WordVectors.load(path, format="fasttext")
    words = ft.get_words()
    assert wv.index_to_word == words and wv.char_ngram_range is None and wv.n_buckets is None
    assert wv.vectors_ngrams is None
    assert isinstance(wv.vectors, np.memmap) and not wv.vectors.flags.writeable
    np.testing.assert_array_equal(wv.vectors, ft.get_input_matrix()[:len(words)])
    for word in words:
        np.testing.assert_allclose(wv[word], ft.get_word_vector(word), rtol=1e-6)
    with pytest.raises(KeyError, match="not in the vocabulary"):
        wv["unseenword"]


# ---------------------------------------------------------------------------------------------
# Options and errors of load


@pytest.mark.parametrize("options, named", [
    ({"limit": 5}, "limit=5 does not apply to format='fasttext'"),
    ({"encoding": "latin-1"}, "encoding='latin-1' does not apply"),
    ({"unicode_errors": "replace"}, "unicode_errors='replace' does not apply"),
    ({"duplicates": "first"}, "duplicates='first' does not apply"),
    ({"limit": 1, "duplicates": "last"}, "limit=1, duplicates='last' do not apply"),
])
def test_word2vec_options_are_refused(trained, options, named):
    with pytest.raises(ValueError, match=named):
        WordVectors.load(trained[0], format="fasttext", **options)


def test_default_options_and_utf8_spellings_are_accepted(trained):
    wv = WordVectors.load(trained[0], format="fasttext", limit=None, encoding="UTF8",
                          unicode_errors="strict", duplicates="error")
    assert wv.char_ngram_range == (3, 6)


def test_unknown_format_lists_fasttext(tmp_path, ours):
    message = ("format must be one of 'word2vec', 'word2vec-binary', 'glove', 'fasttext', "
               "'npy'; got")
    with pytest.raises(ValueError, match=message):
        WordVectors.load(tmp_path / "x", format="fastText")
    with pytest.raises(ValueError, match=message):
        ours.save(tmp_path / "x", format="bin")
    assert not (tmp_path / "x").exists()


def test_corrupt_and_truncated_files_name_the_path(trained, tmp_path):
    path, _ = trained
    data = path.read_bytes()
    cases = {
        "truncated.bin": (data[:len(data) // 2], "truncated"),
        "empty.bin": (b"", "is empty"),
        "text.bin": (b"2 3\nking 1 2 3\nqueen 1 2 3\n", "is not a fastText .bin model"),
        "garbage.bin": (data + b"\0" * 7, "7 bytes follow the output matrix"),
    }
    for name, (content, fragment) in cases.items():
        target = tmp_path / name
        target.write_bytes(content)
        with pytest.raises(ValueError) as info:
            WordVectors.load(target, format="fasttext")
        assert str(target) in str(info.value) and fragment in str(info.value), name
    with pytest.raises(FileNotFoundError):
        WordVectors.load(tmp_path / "absent.bin", format="fasttext")


def _with_nan(path, tmp_path, row, name):
    model = read_fasttext_bin(path)
    target = _copy(path, tmp_path, name)
    data = bytearray(target.read_bytes())
    struct.pack_into("<f", data, model.input_matrix.offset + 4 * (row * model.dim + 3), np.nan)
    target.write_bytes(bytes(data))
    return target


def test_non_finite_rows_are_refused_naming_the_word_or_bucket(trained, tmp_path):
    path, ft = trained
    n_words = len(ft.get_words())
    target = _with_nan(path, tmp_path, 5, "word.bin")
    with pytest.raises(ValueError, match=rf"the row of the word {ft.get_words()[5]!r} "
                       r"\(input row 5\) holds nan") as info:
        WordVectors.load(target, format="fasttext")
    assert str(target) in str(info.value)
    target = _with_nan(path, tmp_path, n_words + 1999, "bucket.bin")
    with pytest.raises(ValueError, match=rf"n-gram bucket 1999 \(input row {n_words + 1999}\)"):
        WordVectors.load(target, format="fasttext")


@pytest.mark.parametrize("minn, maxn", [(0, 0), (3, 2)])
def test_model_without_ngrams_ignores_its_bucket_rows(tmp_path, minn, maxn):
    """fastText gives no n-grams with maxn=0, or minn > maxn: a word is its own row, so the
    bucket rows of such a file (fastText writes none for maxn=0) are not used, nor checked."""
    rng = np.random.default_rng(0)
    words = ["king", "queen", "apple"]
    matrix = rng.normal(size=(3 + 4, 5)).astype(np.float32)
    model = FastTextModel(words=words, counts=np.array([3, 2, 1]), input_matrix=matrix,
                          output_matrix=np.zeros((3, 5)), dim=5, window=5, epochs=5,
                          min_count=1, negative=5, loss="ns", model="cbow", bucket=4,
                          minn=minn, maxn=maxn, sample=1e-4, lr_update_rate=100, n_tokens=6)
    write_fasttext_bin(tmp_path / "plain.bin", model)
    path = _with_nan(tmp_path / "plain.bin", tmp_path, 3 + 2, "nan.bin")  # a bucket row
    wv = WordVectors.load(path, format="fasttext")
    assert wv.char_ngram_range is None and wv.counts.tolist() == [3, 2, 1]
    np.testing.assert_array_equal(wv.vectors, matrix[:3])


# ---------------------------------------------------------------------------------------------
# Saving


def test_saved_subword_model_gives_the_same_vectors_in_fasttext(fasttext, ours, tmp_path):
    path = tmp_path / "ours.bin"
    ours.save(path, format="fasttext")
    ft = fasttext.load_model(str(path))
    words, counts = ft.get_words(include_freq=True)
    assert words == ours.index_to_word
    np.testing.assert_array_equal(counts, ours.counts)
    args = ft.f.getArgs()
    assert (args.dim, args.minn, args.maxn, args.bucket, args.model.name, args.loss.name) == (
        10, 3, 5, 5000, "skipgram", "ns")
    assert (args.ws, args.epoch, args.minCount, args.neg, args.lrUpdateRate, args.t) == (
        5, 5, 5, 5, 100, 1e-4)  # fastText's defaults
    # fastText's arithmetic is mirrored (own row first, then the n-gram rows, times 1/n):
    # the same float32 values, for known words and unseen ones.
    for word in ours.index_to_word + UNSEEN:
        np.testing.assert_array_equal(ft.get_word_vector(word), ours[word], err_msg=word)
    assert [w for _, w in ft.get_nearest_neighbors("walk", k=5)] == [
        w for w, _ in ours.most_similar("walk", topn=5)]


def test_saved_subword_model_holds_every_bucket(ours, tmp_path):
    path = tmp_path / "ours.bin"
    ours.save(path, format="fasttext")
    model = read_fasttext_bin(path)
    n_words = len(ours)
    assert (model.bucket, model.minn, model.maxn, model.dim) == (5000, 3, 5, 10)
    assert model.n_tokens == ours.counts.sum()
    held = ours.ngram_buckets
    assert held is not None and 0 < held.size < 5000
    np.testing.assert_array_equal(model.input_matrix[:n_words], ours.vectors_vocab)
    ngrams = model.input_matrix[n_words:]
    np.testing.assert_array_equal(ngrams[held], ours.vectors_ngrams)
    assert not np.delete(ngrams, held, axis=0).any()
    assert not model.output_matrix.any() and model.output_matrix.shape == (n_words, 10)
    back = WordVectors.load(path, format="fasttext")
    assert (back.char_ngram_range, back.n_buckets, back.ngram_buckets) == ((3, 5), 5000, None)
    np.testing.assert_array_equal(back.vectors, ours.vectors)
    for word in UNSEEN:
        np.testing.assert_array_equal(back[word], ours[word])


def test_saved_subword_model_loads_in_gensim(gensim_fasttext, ours, tmp_path):
    path = tmp_path / "ours.bin"
    ours.save(path, format="fasttext")
    kv = gensim_fasttext.load_facebook_vectors(str(path))
    assert kv.index_to_key == ours.index_to_word
    assert (kv.min_n, kv.max_n, kv.bucket) == (3, 5, 5000)  # gensim 1779: bucket kept
    assert [kv.get_vecattr(w, "count") for w in ours.index_to_word] == ours.counts.tolist()
    # gensim sums in another order: equal within float32 rounding.
    for word in ours.index_to_word + UNSEEN:
        np.testing.assert_allclose(kv[word], ours[word], rtol=1e-5, atol=1e-7, err_msg=word)


def test_loaded_model_saved_again_is_fasttexts_file(trained, tmp_path):
    path, _ = trained
    target = tmp_path / "again.bin"
    WordVectors.load(path, format="fasttext").save(target, format="fasttext")
    model, original = read_fasttext_bin(target), read_fasttext_bin(path)
    assert model.words == original.words and model.bucket == original.bucket == 2000
    np.testing.assert_array_equal(model.counts, original.counts)
    np.testing.assert_array_equal(model.input_matrix, original.input_matrix)


def test_save_in_place_over_the_mapped_file(trained, tmp_path):
    path = _copy(trained[0], tmp_path)
    wv = WordVectors.load(path, format="fasttext")
    expected = wv["walking"].copy()
    wv.save(path, format="fasttext")  # a new file renamed over the mapped one
    np.testing.assert_array_equal(wv["walking"], expected)
    np.testing.assert_array_equal(WordVectors.load(path, format="fasttext")["walking"],
                                  expected)


def test_saved_plain_vectors_are_a_model_without_ngrams(fasttext, tmp_path):
    rng = np.random.default_rng(0)
    words = ["king", "queen", "café", "北京", "a\xa0b"]
    wv = WordVectors(words, rng.normal(size=(5, 4)))
    path = tmp_path / "plain.bin"
    wv.save(path, format="fasttext")
    model = read_fasttext_bin(path)
    assert (model.minn, model.maxn, model.bucket, model.dim) == (0, 0, 0, 4)
    assert model.counts.tolist() == [1] * 5 and model.n_tokens == 5  # counts unknown: 1
    ft = fasttext.load_model(str(path))
    assert ft.get_words() == words
    for word in words:
        np.testing.assert_array_equal(ft.get_word_vector(word), wv[word])
    assert not ft.get_word_vector("unseen").any()  # fastText: no n-grams, zeros
    back = WordVectors.load(path, format="fasttext")
    assert back.char_ngram_range is None and back.counts.tolist() == [1] * 5
    np.testing.assert_array_equal(back.vectors, wv.vectors)
    counted = WordVectors(words, wv.vectors, counts=[9, 7, 5, 3, 1])
    counted.save(path, format="fasttext")
    assert read_fasttext_bin(path).counts.tolist() == [9, 7, 5, 3, 1]


def test_saved_plain_vectors_load_in_gensim(gensim_fasttext, tmp_path):
    wv = WordVectors(["king", "queen"], [[1.0, 0.5], [0.25, -1.0]])
    path = tmp_path / "plain.bin"
    wv.save(path, format="fasttext")
    kv = gensim_fasttext.load_facebook_vectors(str(path))
    assert kv.index_to_key == ["king", "queen"]
    np.testing.assert_array_equal(kv["queen"], [0.25, -1.0])


@pytest.mark.parametrize("word", ["new york", "tab\there", "nul\0byte", "cr\r", "vt\v"])
def test_save_refuses_words_fasttext_would_split(tmp_path, word):
    wv = WordVectors(["fine", word], [[1.0, 0.0], [0.0, 1.0]])
    with pytest.raises(ValueError) as info:
        wv.save(tmp_path / "model.bin", format="fasttext")
    separator = next(c for c in word if c in " \t\0\r\v")
    assert str(info.value) == (f"Cannot write {tmp_path / 'model.bin'}: index_to_word[1] "
                               f"({word!r}) contains {separator!r}, which ends words in "
                               "fastText; rename it (e.g. with '_' for whitespace).")
    assert list(tmp_path.iterdir()) == []


def test_save_refuses_a_gzip_name(tmp_path, ours):
    with pytest.raises(ValueError, match=r"model.bin.gz as a fastText model: the name ends in "
                       r"\.gz, but fastText \.bin models are written uncompressed"):
        ours.save(tmp_path / "model.bin.gz", format="fasttext")
    assert list(tmp_path.iterdir()) == []


def test_save_refuses_the_empty_word(tmp_path):
    with pytest.raises(ValueError, match=r"index_to_word\[0\] is the empty word"):
        WordVectors([""], [[1.0]]).save(tmp_path / "model.bin", format="fasttext")


def test_save_streams_the_buckets_without_assembling_the_matrix(tmp_path):
    rng = np.random.default_rng(0)
    n_buckets, dim = 2_000_000, 10
    held = np.sort(rng.choice(n_buckets, size=1000, replace=False))
    wv = WordVectors.from_subwords(["walk", "talk"], rng.normal(size=(2, dim)),
                                   rng.normal(size=(1000, dim)), char_ngram_range=(3, 6),
                                   n_buckets=n_buckets, ngram_buckets=held)
    path = tmp_path / "sparse.bin"
    tracemalloc.start()
    try:
        wv.save(path, format="fasttext")
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    matrix_bytes = 4 * dim * (2 + n_buckets)
    assert peak < 16 * 2**20 < matrix_bytes  # blocks of 4 MiB, not the 80 MB matrix
    back = WordVectors.load(path, format="fasttext")
    assert back.n_buckets == n_buckets
    np.testing.assert_array_equal(back.vectors_ngrams[held], wv.vectors_ngrams)
    for word in ["walk", "walking", "stalk"]:
        np.testing.assert_array_equal(back[word], wv[word])


# ---------------------------------------------------------------------------------------------
# Pickling, cloning and processes


def test_pickled_loaded_model_holds_its_values(trained, tmp_path):
    path = _copy(trained[0], tmp_path)
    wv = WordVectors.load(path, format="fasttext")
    expected = {word: wv[word].copy() for word in ["w1", "naïve"] + UNSEEN}
    data = pickle.dumps(wv)
    path.unlink()  # the pickle does not need the file
    back = pickle.loads(data)
    assert back.index_to_word == wv.index_to_word
    assert (back.char_ngram_range, back.n_buckets) == ((3, 6), 2000)
    np.testing.assert_array_equal(back.counts, wv.counts)
    for word, vector in expected.items():
        np.testing.assert_array_equal(back[word], vector)
    assert back.most_similar("w1", topn=3) == wv.most_similar("w1", topn=3)


def test_clone_shares_the_mapped_arrays(trained):
    wv = WordVectors.load(trained[0], format="fasttext")
    estimator = Word2VecVectorizer(init=wv, char_ngram_range=(3, 6), n_buckets=2000,
                                   vector_size=10)
    copied = clone(estimator).init
    assert copied is not wv
    assert copied.vectors_ngrams is wv.vectors_ngrams  # not read into memory per clone
    assert copied.vectors_vocab is wv.vectors_vocab
    # Arrays computed from the map are plain arrays, copied as usual.
    doubled = wv.vectors_ngrams * 2
    assert type(doubled) is np.ndarray
    assert repr(wv.vectors_vocab[:1]).startswith("memmap(")


def _maps_the_model(estimator, X, y, path):
    """A scorer: 1.0 when the worker's ``init`` n-gram rows are a map of the file ``path``."""
    rows = estimator.steps[0][1].init.vectors_ngrams
    return float(isinstance(rows, np.memmap) and getattr(rows, "filename", None) == path)


def test_grid_search_workers_map_the_file(trained):
    wv = WordVectors.load(trained[0], format="fasttext")
    documents = [" ".join(doc) for doc in _documents(3, 40)]
    pipeline = make_pipeline(
        Word2VecVectorizer(init=wv, char_ngram_range=(3, 6), n_buckets=2000, vector_size=10,
                           min_count=1, epochs=1, n_jobs=1, random_state=0),
        LogisticRegression())
    search = GridSearchCV(pipeline, {"logisticregression__C": [0.1, 1.0]}, cv=2, n_jobs=2,
                          scoring=partial(_maps_the_model, path=str(trained[0].resolve()))
                          ).fit(documents, [i % 2 for i in range(40)])
    assert search.cv_results_["mean_test_score"].tolist() == [1.0, 1.0]


# ---------------------------------------------------------------------------------------------
# Fine-tuning a loaded model


def _fine_tune(path, freeze_init):
    init = WordVectors.load(path, format="fasttext")
    documents = _documents(2, 150, extra=["newword", "walkers", "riverside"])
    model = Word2VecVectorizer(init=init, char_ngram_range=(3, 6), n_buckets=2000,
                               vector_size=10, min_count=1, epochs=2, n_jobs=1,
                               analyzer="pretokenized", freeze_init=freeze_init,
                               random_state=0).fit(documents)
    return init, model.wv_


def test_freeze_init_keeps_every_pretrained_row_and_the_file(trained, tmp_path):
    path = _copy(trained[0], tmp_path)
    digest = _sha256(path)
    init, wv = _fine_tune(path, freeze_init=True)
    assert _sha256(path) == digest
    assert {"newword", "walkers", "riverside"} <= set(wv.index_to_word)
    assert (wv.char_ngram_range, wv.n_buckets) == ((3, 6), 2000)
    np.testing.assert_array_equal(wv.vectors_ngrams, init.vectors_ngrams)
    for word in init.index_to_word:
        if word in wv:
            np.testing.assert_array_equal(wv.vectors_vocab[wv.get_index(word)],
                                          init.vectors_vocab[init.get_index(word)])
    assert not isinstance(wv.vectors_vocab, np.memmap)  # training copied the rows
    assert np.any(wv["newword"] != init["newword"])  # its own row was learned


def test_fine_tuning_copies_and_never_writes_into_the_map(trained, tmp_path):
    path = _copy(trained[0], tmp_path)
    digest = _sha256(path)
    pristine = WordVectors.load(trained[0], format="fasttext")
    init, wv = _fine_tune(path, freeze_init=False)
    assert _sha256(path) == digest
    np.testing.assert_array_equal(init.vectors_ngrams, pristine.vectors_ngrams)
    assert np.any(wv.vectors_ngrams != init.vectors_ngrams)  # trained, in its own copy
