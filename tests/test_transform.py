"""``Word2VecVectorizer.transform``: pooling against plain NumPy, unknown words, input kinds,
feature names and pandas output, similarity queries against gensim."""

import copy
import math
from collections import Counter

import numpy as np
import pandas as pd
import pytest
import sklearn
from sklearn.exceptions import NotFittedError
from sklearn.utils.fixes import parse_version

import skw2v._corpus
import skw2v._pooling
from skw2v import Word2VecVectorizer

#: gensim's most_similar_cosmul calls its own deprecated init_sims.
pytestmark = pytest.mark.filterwarnings("ignore:Call to deprecated `init_sims`")

POOLINGS = ["mean", "sum", "idf", "sif", "max"]
NORMS = [None, "l2"]

#: Training documents appended to the toy corpus: heavy repeats, an empty document and
#: documents whose words occur once (so ``min_count=2`` removes them).
EXTRA_TRAINING = [
    "w0 w0 w0 w0 w0 w7",
    "w3 w3 w12 w12 w12 w12",
    "",
    "rareone raretwo",
    "w5 rarethree w5 w9",
]

#: Documents to transform: repeats, unknown words, case, punctuation, nothing known.
QUERIES = [
    "w1 w2 w3",
    "w0 w0 w0 w0 w1",
    "W4 w4, w4! unknownword w17",
    "w2",
    "w9 w33 w9 w33 w39 w8 qqq w21 w21 w21",
    "",
    "nothing known here",
    "rareone",
]
#: Rows of QUERIES that hold no vocabulary word.
EMPTY_QUERIES = [5, 6, 7]


def model_params(fast_params, **params):
    return {**fast_params, "min_count": 2, **params}


def with_params(model, **params):
    """A copy of a fitted model with other transform parameters (``norm``)."""
    return copy.deepcopy(model).set_params(**params)


@pytest.fixture(scope="module")
def training_documents(toy_documents):
    return list(toy_documents) + EXTRA_TRAINING


@pytest.fixture(scope="module")
def fitted(training_documents, fast_params):
    """One fitted model per pooling; the word vectors are the same for all of them."""
    return {
        pooling: Word2VecVectorizer(**model_params(fast_params, pooling=pooling)).fit(
            training_documents)
        for pooling in POOLINGS
    }


# ------------------------------------------------------------------ plain references
def known_tokens(model, document):
    return [t for t in model.build_analyzer()(document) if t in model.vocabulary_]


def reference_weighted_mean(model, documents, weight_of_word=None):
    """Mean (or weighted mean) of the vectors of each document's known token occurrences."""
    vectors = model.wv_.vectors.astype(np.float64)
    out = np.zeros((len(documents), vectors.shape[1]))
    for row, document in enumerate(documents):
        total = 0.0
        for token in known_tokens(model, document):
            weight = 1.0 if weight_of_word is None else weight_of_word[token]
            out[row] += weight * vectors[model.vocabulary_[token]]
            total += weight
        if total > 0:
            out[row] /= total
    return out


def reference_sum(model, documents):
    vectors = model.wv_.vectors.astype(np.float64)
    out = np.zeros((len(documents), vectors.shape[1]))
    for row, document in enumerate(documents):
        for token in known_tokens(model, document):
            out[row] += vectors[model.vocabulary_[token]]
    return out


def reference_max(model, documents):
    vectors = model.wv_.vectors.astype(np.float64)
    out = np.zeros((len(documents), vectors.shape[1]))
    for row, document in enumerate(documents):
        rows = [vectors[model.vocabulary_[t]] for t in known_tokens(model, document)]
        if rows:
            out[row] = np.max(rows, axis=0)
    return out


def reference_idf(model, training_documents):
    """Smooth idf of every vocabulary word, document frequencies over the training set."""
    analyzer = model.build_analyzer()
    df = Counter()
    for document in training_documents:
        df.update(set(analyzer(document)))
    n = len(training_documents)
    return {word: math.log((1 + n) / (1 + df[word])) + 1 for word in model.vocabulary_}


def reference_sif_weights(model):
    counts = model.wv_.counts.astype(np.float64)
    p = counts / counts.sum()
    a = model.sif_smoothing
    return {word: a / (a + p[row]) for word, row in model.vocabulary_.items()}


def reference_sif_direction(model, training_documents):
    training = reference_weighted_mean(model, training_documents, reference_sif_weights(model))
    return np.linalg.svd(training, full_matrices=False)[2][0]


def reference_pooling(model, documents, training_documents):
    """Expected ``transform`` output, without normalisation."""
    pooling = model.pooling
    if pooling == "mean":
        return reference_weighted_mean(model, documents)
    if pooling == "sum":
        return reference_sum(model, documents)
    if pooling == "max":
        return reference_max(model, documents)
    if pooling == "idf":
        return reference_weighted_mean(model, documents,
                                       reference_idf(model, training_documents))
    pooled = reference_weighted_mean(model, documents, reference_sif_weights(model))
    u = reference_sif_direction(model, training_documents)
    return pooled - np.outer(pooled @ u, u)


def unit_rows(matrix):
    norms = np.linalg.norm(matrix, axis=1, keepdims=True)
    return matrix / np.where(norms > 0, norms, 1)


# ------------------------------------------------------------------ shape and fit_transform
@pytest.mark.parametrize("norm", NORMS)
@pytest.mark.parametrize("pooling", POOLINGS)
def test_fit_transform_equals_fit_then_transform(training_documents, fast_params, pooling,
                                                 norm):
    params = model_params(fast_params, pooling=pooling, norm=norm)
    direct = Word2VecVectorizer(**params).fit_transform(training_documents)
    model = Word2VecVectorizer(**params).fit(training_documents)
    two_step = model.transform(training_documents)
    n_docs, vector_size = len(training_documents), fast_params["vector_size"]
    for out in (direct, two_step):
        assert isinstance(out, np.ndarray)
        assert out.dtype == np.float32
        assert out.shape == (n_docs, vector_size)
        assert np.all(np.isfinite(out))
    np.testing.assert_allclose(direct, two_step, rtol=1e-6, atol=1e-7)
    # Not trivially equal: documents get different rows.
    assert len({row.tobytes() for row in direct}) > n_docs // 2


@pytest.mark.parametrize("pooling", ["idf", "sif", "max"])
def test_chunk_and_batch_boundaries_do_not_change_the_output(
        monkeypatch, training_documents, fast_params, pooling):
    params = model_params(fast_params, pooling=pooling, norm="l2")
    model = Word2VecVectorizer(**params).fit(training_documents)
    expected = model.transform(training_documents)
    # Tiny chunks in fit_transform (125 documents over ~1,800 tokens); batches of 4
    # documents in transform (125 is not a multiple of 4, 124 is).
    monkeypatch.setattr(skw2v._corpus, "CHUNK_TOKENS", 50)
    monkeypatch.setattr(skw2v._pooling, "BATCH_DOCUMENTS", 4)
    chunked = Word2VecVectorizer(**params)
    chunked_out = chunked.fit_transform(training_documents)
    np.testing.assert_allclose(chunked_out, chunked.transform(training_documents),
                               rtol=1e-6, atol=1e-7)
    np.testing.assert_allclose(model.transform(training_documents), expected, rtol=1e-6,
                               atol=1e-7)
    np.testing.assert_allclose(model.transform(training_documents[:124]), expected[:124],
                               rtol=1e-6, atol=1e-7)


# ------------------------------------------------------------------ pooling vs NumPy
@pytest.mark.parametrize("norm", NORMS)
@pytest.mark.parametrize("pooling", POOLINGS)
def test_pooling_matches_a_numpy_reference(fitted, training_documents, pooling, norm):
    model = with_params(fitted[pooling], norm=norm)
    expected = reference_pooling(model, QUERIES, training_documents)
    expected_training = reference_pooling(model, training_documents, training_documents)
    if norm == "l2":
        expected, expected_training = unit_rows(expected), unit_rows(expected_training)
    np.testing.assert_allclose(model.transform(QUERIES), expected, rtol=1e-4, atol=1e-6)
    np.testing.assert_allclose(model.transform(training_documents), expected_training,
                               rtol=1e-4, atol=1e-6)


def test_mean_counts_repeated_tokens(fitted):
    model = fitted["mean"]
    v = model.wv_
    np.testing.assert_allclose(model.transform(["w0 w0 w0 w1"])[0],
                               (3 * v["w0"] + v["w1"]) / 4, rtol=1e-5, atol=1e-7)
    np.testing.assert_allclose(fitted["sum"].transform(["w0 w0 w0 w1"])[0],
                               3 * v["w0"] + v["w1"], rtol=1e-5, atol=1e-7)


def test_idf_is_learned_over_the_training_documents(fitted, training_documents):
    model = fitted["idf"]
    expected = reference_idf(model, training_documents)
    assert model.idf_.shape == (len(model.vocabulary_),)
    np.testing.assert_allclose(model.idf_, [expected[w] for w in model.wv_.index_to_word],
                               rtol=1e-6)
    # The idf depends on the training documents only, not on the transformed ones.
    first = model.transform(["w1 w30"])
    model.transform(["w30"] * 50)
    np.testing.assert_array_equal(model.transform(["w1 w30"]), first)


def test_sif_component_is_the_first_right_singular_vector(fitted, training_documents):
    model = fitted["sif"]
    u = reference_sif_direction(model, training_documents)
    component = model.sif_component_
    assert component.shape == (model.wv_.vector_size,)
    assert abs(np.linalg.norm(component) - 1) < 1e-5
    np.testing.assert_allclose(component * np.sign(component @ u), u, atol=1e-4)
    # Removal leaves every transformed row orthogonal to the component.
    pooled = model.transform(QUERIES)
    np.testing.assert_allclose(pooled @ component, 0, atol=1e-5)


def test_sif_without_component_removal(training_documents, fast_params):
    model = Word2VecVectorizer(**model_params(fast_params, pooling="sif",
                                              sif_remove_component=False,
                                              sif_smoothing=1e-2)).fit(training_documents)
    assert model.sif_component_ is None
    expected = reference_weighted_mean(model, QUERIES, reference_sif_weights(model))
    np.testing.assert_allclose(model.transform(QUERIES), expected, rtol=1e-4, atol=1e-6)


@pytest.mark.parametrize("pooling", POOLINGS)
def test_l2_rows_have_unit_length(fitted, pooling):
    norms = np.linalg.norm(with_params(fitted[pooling], norm="l2").transform(QUERIES), axis=1)
    known = [i for i in range(len(QUERIES)) if i not in EMPTY_QUERIES]
    np.testing.assert_allclose(norms[known], 1.0, rtol=1e-5)
    assert np.all(norms[EMPTY_QUERIES] == 0)


# ------------------------------------------------------------------ unknown words
@pytest.mark.parametrize("norm", NORMS)
@pytest.mark.parametrize("pooling", POOLINGS)
def test_documents_without_known_words_give_zero_rows(fitted, pooling, norm):
    model = with_params(fitted[pooling], norm=norm)
    out = model.transform(QUERIES)
    alone = model.transform(["", "nothing known here", "zzz yyy"])
    assert not np.isnan(out).any() and not np.isnan(alone).any()
    assert np.all(out[EMPTY_QUERIES] == 0)
    assert np.all(alone == 0)
    assert np.all(np.any(np.delete(out, EMPTY_QUERIES, axis=0) != 0, axis=1))


@pytest.mark.parametrize("norm", NORMS)
@pytest.mark.parametrize("pooling", POOLINGS)
def test_training_documents_without_known_words_give_zero_rows(training_documents,
                                                               fast_params, pooling, norm):
    out = Word2VecVectorizer(**model_params(fast_params, pooling=pooling, norm=norm)
                             ).fit_transform(training_documents)
    empty = [training_documents.index(""), training_documents.index("rareone raretwo")]
    assert not np.isnan(out).any()
    assert np.all(out[empty] == 0)


def test_unknown_words_are_skipped(fitted):
    for pooling in POOLINGS:
        model = fitted[pooling]
        np.testing.assert_array_equal(
            model.transform(["w1 qqq w2 zzz w1 rareone"]), model.transform(["w1 w2 w1"]))


# ------------------------------------------------------------------ input kinds
@pytest.fixture(scope="module")
def mean_model(fitted):
    return fitted["mean"]


@pytest.fixture(scope="module")
def expected_queries(mean_model):
    return mean_model.transform(QUERIES)


@pytest.mark.parametrize("kind", ["array", "object-array", "column", "series", "dataframe",
                                  "tuple", "generator"])
def test_input_kinds_transform_like_a_list(mean_model, expected_queries, kind):
    X = {
        "array": lambda: np.array(QUERIES),
        "object-array": lambda: np.array(QUERIES, dtype=object),
        "column": lambda: np.array(QUERIES, dtype=object).reshape(-1, 1),
        "series": lambda: pd.Series(QUERIES, index=[f"r{i}" for i in range(len(QUERIES))]),
        "dataframe": lambda: pd.DataFrame({"text": QUERIES}),
        "tuple": lambda: tuple(QUERIES),
        "generator": lambda: (q for q in QUERIES),
    }[kind]()
    out = mean_model.transform(X)
    assert isinstance(out, np.ndarray) and out.dtype == np.float32
    np.testing.assert_array_equal(out, expected_queries)


def test_generator_fit_transform_equals_list(training_documents, fast_params):
    for pooling in ("mean", "sif"):
        params = model_params(fast_params, pooling=pooling)
        from_list = Word2VecVectorizer(**params).fit_transform(training_documents)
        from_generator = Word2VecVectorizer(**params).fit_transform(
            doc for doc in training_documents)
        assert from_generator.shape == (len(training_documents), fast_params["vector_size"])
        np.testing.assert_array_equal(from_generator, from_list)


def test_pretokenized_item_ids(fast_params):
    rng = np.random.default_rng(1)
    catalogue = [f"SKU-{i:03d}/A" for i in range(25)]
    sessions = [[catalogue[i] for i in rng.integers(0, 25, size=rng.integers(3, 10))]
                for _ in range(100)]
    model = Word2VecVectorizer(**{**fast_params, "analyzer": "pretokenized"}).fit(sessions)
    # Tokens are used as they are: no lowercasing, no splitting on punctuation.
    assert set(model.vocabulary_) == set(catalogue)
    queries = [["SKU-003/A", "SKU-003/A", "SKU-017/A"], ["unknown-item", "SKU-021/A"],
               ["sku-003/a"], []]
    out = model.transform(queries)
    v = model.wv_
    np.testing.assert_allclose(out[0], (2 * v["SKU-003/A"] + v["SKU-017/A"]) / 3, rtol=1e-5)
    np.testing.assert_allclose(out[1], v["SKU-021/A"], rtol=1e-5)
    assert np.all(out[2:] == 0)
    # NumPy arrays and tuples of tokens, and a Series of lists, work as lists do.
    as_arrays = model.transform([np.array(q, dtype=object) for q in queries[:2]])
    np.testing.assert_array_equal(as_arrays, out[:2])
    np.testing.assert_array_equal(model.transform(pd.Series([tuple(q) for q in queries])),
                                  out)


# ------------------------------------------------------------------ feature names, pandas
def test_feature_names_out(mean_model, fast_params):
    names = mean_model.get_feature_names_out()
    expected = [f"word2vecvectorizer{i}" for i in range(fast_params["vector_size"])]
    assert list(names) == expected
    assert names.dtype == object


@pytest.mark.parametrize("kind", ["series", "dataframe"])
def test_set_output_pandas(training_documents, fast_params, kind):
    index = pd.RangeIndex(1000, 1000 + 2 * len(QUERIES), 2)
    X = (pd.Series(QUERIES, index=index, name="review") if kind == "series"
         else pd.DataFrame({"review": QUERIES}, index=index))
    train = (pd.Series(training_documents, name="review") if kind == "series"
             else pd.DataFrame({"review": training_documents}))
    params = model_params(fast_params)
    model = Word2VecVectorizer(**params).set_output(transform="pandas").fit(train)
    out = model.transform(X)
    plain = Word2VecVectorizer(**params).fit(training_documents).transform(QUERIES)
    assert isinstance(out, pd.DataFrame)
    assert list(out.columns) == [f"word2vecvectorizer{i}"
                                 for i in range(fast_params["vector_size"])]
    # scikit-learn's pandas output keeps a DataFrame's index, and a Series' from 1.8 on.
    if kind == "series" and parse_version(sklearn.__version__) < parse_version("1.8"):
        index = pd.RangeIndex(len(QUERIES))
    assert out.index.equals(index)
    np.testing.assert_array_equal(out.to_numpy(), plain)
    fitted_out = Word2VecVectorizer(**params).set_output(transform="pandas").fit_transform(X)
    assert isinstance(fitted_out, pd.DataFrame) and fitted_out.index.equals(index)


# ------------------------------------------------------------------ queries against gensim
@pytest.fixture(scope="module")
def keyed_vectors(mean_model):
    gensim_models = pytest.importorskip("gensim.models")
    kv = gensim_models.KeyedVectors(mean_model.wv_.vector_size)
    kv.add_vectors(mean_model.wv_.index_to_word, mean_model.wv_.vectors)
    return kv


def assert_same_ranking(ours, theirs):
    assert [word for word, _ in ours] == [word for word, _ in theirs]
    np.testing.assert_allclose([s for _, s in ours], [s for _, s in theirs], atol=1e-5)


MOST_SIMILAR_QUERIES = [
    {"positive": "w3"},
    {"positive": ["w1", "w2"], "negative": ["w3"]},
    {"positive": ["w0", "w5", "w9"], "topn": 5},
    {"positive": ["w4"], "negative": ["w8", "w11"], "topn": 30},
]


@pytest.mark.parametrize("query", MOST_SIMILAR_QUERIES)
def test_most_similar_matches_gensim(mean_model, keyed_vectors, query):
    ours = mean_model.most_similar(**query)
    assert ours == mean_model.wv_.most_similar(**query)
    assert_same_ranking(ours, keyed_vectors.most_similar(**query))
    assert len(ours) == query.get("topn", 10)


@pytest.mark.parametrize("query", [
    {"positive": ["w1", "w2"], "negative": ["w3"]},
    {"positive": ["w6"]},
    {"positive": ["w1", "w2", "w12"], "negative": ["w3", "w4"], "topn": 4},
])
def test_most_similar_cosmul_matches_gensim(mean_model, keyed_vectors, query):
    ours = mean_model.most_similar_cosmul(**query)
    assert ours == mean_model.wv_.most_similar_cosmul(**query)
    assert_same_ranking(ours, keyed_vectors.most_similar_cosmul(**query))


def test_similarity_and_doesnt_match_match_gensim(mean_model, keyed_vectors):
    for a, b in [("w0", "w1"), ("w3", "w30"), ("w7", "w7"), ("w39", "w2")]:
        assert mean_model.similarity(a, b) == pytest.approx(keyed_vectors.similarity(a, b),
                                                            abs=1e-5)
        assert mean_model.similarity(a, b) == mean_model.wv_.similarity(a, b)
    for words in (["w0", "w1", "w2", "w3"], ["w10", "w20", "w30"],
                  [f"w{i}" for i in range(0, 40, 3)]):
        assert mean_model.doesnt_match(words) == keyed_vectors.doesnt_match(words)
        assert mean_model.doesnt_match(words) == mean_model.wv_.doesnt_match(words)


def test_vectors_are_accepted_as_queries(mean_model, keyed_vectors):
    wv = mean_model.wv_
    target = wv["w3"] + 0.5 * wv["w8"]
    unit = target / np.linalg.norm(target)
    # gensim uses a query vector as given; skw2v scales it to unit length first, so a
    # unit-length vector gives the same answer in both and any scaling gives the same answer
    # in skw2v.
    expected = keyed_vectors.most_similar(positive=[unit], negative=["w1"], topn=8)
    assert_same_ranking(mean_model.most_similar(positive=[unit], negative=["w1"], topn=8),
                        expected)
    assert_same_ranking(mean_model.most_similar(positive=[7.0 * target], negative=["w1"],
                                                topn=8), expected)
    alone = mean_model.most_similar(unit, topn=5)
    assert_same_ranking(alone, keyed_vectors.most_similar(unit, topn=5))
    # A vector is not excluded from the results: the word itself comes first.
    assert mean_model.most_similar(wv["w5"], topn=1)[0][0] == "w5"
    assert_same_ranking(
        mean_model.most_similar_cosmul(positive=[unit, "w2"], negative=["w4"], topn=6),
        keyed_vectors.most_similar_cosmul(positive=[unit, "w2"], negative=["w4"], topn=6))


@pytest.mark.parametrize("call", [
    lambda m: m.most_similar("w1"),
    lambda m: m.most_similar_cosmul(positive=["w1"]),
    lambda m: m.similarity("w1", "w2"),
    lambda m: m.doesnt_match(["w1", "w2", "w3"]),
    lambda m: m.transform(["w1 w2"]),
    lambda m: m.get_feature_names_out(),
], ids=["most_similar", "most_similar_cosmul", "similarity", "doesnt_match", "transform",
        "get_feature_names_out"])
def test_queries_before_fit_raise_not_fitted(call):
    with pytest.raises(NotFittedError):
        call(Word2VecVectorizer())


@pytest.mark.parametrize("char_ngram_range", [None, (2, 4)])
def test_a_pretokenized_lone_surrogate_works_everywhere_or_is_refused_by_name(
        tmp_path, char_ngram_range):
    # fit, transform (also into pandas, and of a subword model), and the formats that hold
    # any word; a format that is UTF-8 text refuses it naming the word, before writing.
    docs = [["good", "bad\ud800word", "x"], ["good", "x", "y"]] * 10
    vectorizer = Word2VecVectorizer(vector_size=4, min_count=1, epochs=1, n_jobs=1,
                                    random_state=0, analyzer="pretokenized", pooling="mean",
                                    char_ngram_range=char_ngram_range).fit(docs)
    got = vectorizer.transform([["bad\ud800word"], ["bad\ud800worx"]])
    np.testing.assert_allclose(got[0], vectorizer.wv_["bad\ud800word"], rtol=1e-6)
    if char_ngram_range is not None:  # an unseen word of its n-grams
        np.testing.assert_allclose(got[1], vectorizer.wv_["bad\ud800worx"], rtol=1e-6)
    frame = vectorizer.set_output(transform="pandas").transform(pd.Series(docs[:2]))
    assert frame.shape == (2, 4)
    for format in ("word2vec", "glove", "word2vec-binary", "fasttext"):
        with pytest.raises(ValueError, match=r"'bad\\ud800word'.*(UTF-8|utf-8)"):
            vectorizer.wv_.save(tmp_path / "v", format=format)
    assert list(tmp_path.iterdir()) == []
    vectorizer.wv_.save(tmp_path / "npy", format="npy")
    from skw2v import WordVectors

    assert "bad\ud800word" in WordVectors.load(tmp_path / "npy", format="npy").word_to_index


def test_a_token_with_a_lone_surrogate_is_a_word_like_any_other():
    # pandas infers a string dtype for a list of str, and that dtype refuses lone surrogates
    # (a file read with errors="surrogateescape" gives them).
    docs = ["a b \udcff c"] * 5
    vectorizer = Word2VecVectorizer(vector_size=5, min_count=1, epochs=1, n_jobs=1,
                                    random_state=0, token_pattern=r"(?u)\b\w+\b|\udcff",
                                    pooling="mean", norm=None)
    vectorizer.fit(docs)
    assert "\udcff" in vectorizer.wv_.index_to_word
    np.testing.assert_allclose(vectorizer.transform(["\udcff zz"])[0],
                               vectorizer.wv_["\udcff"], rtol=1e-6)
