"""The scikit-learn contract of ``Word2VecVectorizer``: estimator checks, parameter
validation, fitted state, persistence, tags, meta-estimators on real text, input errors."""

import pickle
import re

import joblib
import numpy as np
import pandas as pd
import pytest
import sklearn
from sklearn.base import clone
from sklearn.compose import ColumnTransformer
from sklearn.dummy import DummyClassifier
from sklearn.exceptions import NotFittedError
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import GridSearchCV, train_test_split
from sklearn.pipeline import Pipeline
from sklearn.utils import estimator_checks
from sklearn.utils._param_validation import InvalidParameterError
from sklearn.utils.fixes import parse_version

from skw2v import Word2VecVectorizer

NAME = "Word2VecVectorizer"
SKLEARN_VERSION = parse_version(sklearn.__version__)


def tokenize(text):
    """A module-level tokenizer, so an estimator using it pickles by reference."""
    return [token for token in re.split(r"[^a-z0-9]+", text.lower()) if token]


# ------------------------------------------------------------------ sklearn checks
# parametrize_with_checks runs only the clone check on a string-input estimator, so the
# checks that apply are called one by one.
@pytest.mark.parametrize("check_name", [
    "check_no_attributes_set_in_init",
    "check_get_params_invariance",
    "check_set_params",
    "check_parameters_default_constructible",
    "check_estimator_repr",
    "check_param_validation",
])
def test_sklearn_check(check_name):
    check = getattr(estimator_checks, check_name, None)
    if check is None:
        pytest.skip(f"{check_name} does not exist in this scikit-learn version")
    check(NAME, Word2VecVectorizer())


def test_param_validation_check_applies_to_a_string_estimator(fast_params):
    # check_param_validation fits on a 2-D float array; it can only pass because the
    # parameters are validated before the documents are looked at. The same array with valid
    # parameters is rejected as documents, so the check really tested the validation.
    X = np.random.RandomState(0).uniform(size=(20, 5))
    with pytest.raises(ValueError, match=r"2-D array of shape \(20, 5\)"):
        Word2VecVectorizer(**fast_params).fit(X)


#: One invalid value per parameter, with the right type where a type alone is not enough.
INVALID = {
    "vector_size": [0, 2.5, "100", True, np.bool_(True)],
    "window": [0, -1, True],
    "min_count": [0, True],
    "max_vocab_size": [0, 10.0, True],
    "architecture": ["sg", 1],
    "negative": [-1, 5.0, False],
    "hs": ["yes", 2],
    "sample": [-1e-3, 1.0, "1e-3"],
    "ns_exponent": [np.inf, float("nan"), "0.75"],
    "cbow_mean": ["mean"],
    "char_ngram_range": ["36", [3, 6], 3],
    "n_buckets": [0, True, 1.5],
    "alpha": [0.0, -0.1, np.inf, True],
    "min_alpha": [-1e-4],
    "epochs": [-1, 1.5, True],
    "shrink_windows": ["no"],
    "n_jobs": [1.5, "all", True],
    "random_state": ["seed", 1.5],
    "verbose": ["loud"],
    "lowercase": ["yes"],
    "token_pattern": [5, re.compile(r"\w+")],
    "tokenizer": ["split"],
    "preprocessor": ["lower"],
    "strip_accents": ["nfc", True],
    "analyzer": ["char", "char_wb", None],
    "pooling": ["median", None],
    "norm": ["l1", "L2"],
    "sif_smoothing": [0.0, -1.0, float("nan")],
    "sif_remove_component": ["yes"],
    "init": [np.eye(3), "vectors.txt"],
    "init_vocabulary": ["both", None],
    "freeze_init": ["yes"],
}


def test_invalid_value_table_covers_every_parameter():
    assert set(INVALID) == set(Word2VecVectorizer._parameter_constraints)
    assert set(INVALID) == set(Word2VecVectorizer().get_params())


@pytest.mark.parametrize("method", ["fit", "fit_transform"])
@pytest.mark.parametrize(("param", "value"),
                         [(p, v) for p, values in INVALID.items() for v in values])
def test_invalid_parameter_is_named_at_fit(toy_documents, fast_params, param, value, method):
    estimator = Word2VecVectorizer(**fast_params).set_params(**{param: value})
    pattern = (re.escape(f"The '{param}' parameter of {NAME} must be") + ".*"
               + re.escape(f"Got {value!r} instead."))
    with pytest.raises(InvalidParameterError, match=pattern):
        getattr(estimator, method)(toy_documents)
    assert not hasattr(estimator, "wv_")


# ------------------------------------------------------------------ fitted state
@pytest.fixture(scope="module")
def fitted(toy_documents, fast_params):
    return Word2VecVectorizer(**fast_params).fit(toy_documents)


FITTED_ATTRIBUTES = ["wv_", "vocabulary_", "loss_history_", "corpus_document_count_",
                     "corpus_token_count_", "idf_", "sif_component_"]


def fitted_attributes(estimator):
    return sorted(k for k in vars(estimator) if k.endswith("_") and not k.startswith("_"))


@pytest.mark.parametrize("call", [
    lambda m: m.transform(["w1 w2"]),
    lambda m: m.most_similar("w1"),
    lambda m: m.get_feature_names_out(),
], ids=["transform", "most_similar", "get_feature_names_out"])
def test_not_fitted_error_before_fit(call):
    with pytest.raises(NotFittedError, match="not fitted yet"):
        call(Word2VecVectorizer())


def test_fit_returns_self_and_sets_the_documented_attributes(toy_documents, fast_params):
    estimator = Word2VecVectorizer(**fast_params)
    assert estimator.fit(toy_documents) is estimator
    assert fitted_attributes(estimator) == sorted(FITTED_ATTRIBUTES)


def test_clone_of_a_fitted_estimator_is_unfitted_with_equal_params(fitted):
    cloned = clone(fitted)
    assert cloned is not fitted
    assert cloned.get_params() == fitted.get_params()
    assert fitted_attributes(cloned) == []
    with pytest.raises(NotFittedError):
        cloned.transform(["w1"])


def _persistence_cases(toy_documents):
    sessions = [doc.split() for doc in toy_documents]
    return {
        "word": ({}, toy_documents, ["w1 w2 w3", "W0, w0! unknown", ""]),
        "tokenizer": ({"tokenizer": tokenize, "token_pattern": None}, toy_documents,
                      ["w1-w2/w3", "W0 W0 w9", "nothing"]),
        "pretokenized": ({"analyzer": "pretokenized"}, sessions,
                         [["w1", "w2", "w3"], ["w0", "zz"], []]),
        "sif-l2": ({"pooling": "sif", "norm": "l2"}, toy_documents, ["w1 w2", "w5 w8 w9"]),
    }


@pytest.mark.parametrize("case", ["word", "tokenizer", "pretokenized", "sif-l2"])
@pytest.mark.parametrize("via", ["pickle", "joblib"])
def test_persistence_round_trip(toy_documents, fast_params, tmp_path, case, via):
    params, train, queries = _persistence_cases(toy_documents)[case]
    estimator = Word2VecVectorizer(**fast_params, **params).fit(train)
    expected = estimator.transform(queries)
    expected_similar = estimator.most_similar("w1", topn=5)
    if via == "pickle":
        restored = pickle.loads(pickle.dumps(estimator))
    else:
        path = tmp_path / "model.joblib"
        joblib.dump(estimator, path)
        restored = joblib.load(path)
    assert restored is not estimator
    assert restored.get_params().keys() == estimator.get_params().keys()
    np.testing.assert_array_equal(restored.transform(queries), expected)
    np.testing.assert_array_equal(restored.transform(train), estimator.transform(train))
    assert restored.most_similar("w1", topn=5) == expected_similar
    assert restored.vocabulary_ == estimator.vocabulary_
    np.testing.assert_array_equal(restored.wv_.vectors, estimator.wv_.vectors)
    assert not np.shares_memory(restored.wv_.vectors, estimator.wv_.vectors)


def test_refit_replaces_the_whole_state(toy_documents, other_documents, fast_params):
    estimator = Word2VecVectorizer(**fast_params, pooling="sif")
    estimator.fit(pd.DataFrame({"review": toy_documents}))
    estimator.transform(pd.DataFrame({"review": toy_documents[:3]}))
    assert estimator.sif_component_ is not None
    assert hasattr(estimator, "feature_names_in_")

    estimator.set_params(pooling="mean").fit(other_documents)
    fresh = Word2VecVectorizer(**fast_params, pooling="mean").fit(other_documents)
    assert fitted_attributes(estimator) == fitted_attributes(fresh)
    assert not hasattr(estimator, "feature_names_in_")
    assert not hasattr(estimator, "n_features_in_")
    assert estimator.vocabulary_ == fresh.vocabulary_
    assert not set(estimator.vocabulary_) & set(toy_documents[0].split())
    assert estimator.wv_.index_to_word == fresh.wv_.index_to_word
    np.testing.assert_array_equal(estimator.wv_.vectors, fresh.wv_.vectors)
    np.testing.assert_array_equal(estimator.wv_.counts, fresh.wv_.counts)
    np.testing.assert_array_equal(estimator.idf_, fresh.idf_)
    assert estimator.sif_component_ is None
    assert estimator.loss_history_ == fresh.loss_history_
    assert estimator.corpus_document_count_ == len(other_documents)
    assert estimator.corpus_token_count_ == fresh.corpus_token_count_
    np.testing.assert_array_equal(estimator.transform(other_documents),
                                  fresh.transform(other_documents))
    # The old words are unknown now; any DataFrame column is accepted again.
    assert not estimator.transform([toy_documents[0]]).any()
    estimator.transform(pd.DataFrame({"other": other_documents[:2]}))


def test_dataframe_column_is_recorded(toy_documents, fast_params):
    estimator = Word2VecVectorizer(**fast_params).fit(pd.DataFrame({"review": toy_documents}))
    assert estimator.n_features_in_ == 1
    assert isinstance(estimator.feature_names_in_, np.ndarray)
    assert list(estimator.feature_names_in_) == ["review"]
    # Other inputs give no input-feature attributes.
    for X in (toy_documents, pd.Series(toy_documents, name="review")):
        estimator = Word2VecVectorizer(**fast_params).fit(X)
        assert not hasattr(estimator, "n_features_in_")
        assert not hasattr(estimator, "feature_names_in_")


def test_integer_column_label_is_not_a_feature_name(toy_documents, fast_params):
    # As scikit-learn's own transformers do (e.g. StandardScaler on df[[0]]).
    estimator = Word2VecVectorizer(**fast_params).fit(pd.DataFrame({0: toy_documents}))
    assert estimator.n_features_in_ == 1
    assert not hasattr(estimator, "feature_names_in_")


@pytest.mark.skipif(SKLEARN_VERSION < parse_version("1.5"),
                    reason="scikit-learn 1.4's passthrough fails on integer column labels")
def test_column_transformer_over_integer_column_labels(toy_documents, fast_params):
    # E.g. a frame from pd.read_csv(..., header=None); the text column selected as [0].
    frame = pd.DataFrame({0: toy_documents, 1: np.arange(len(toy_documents), dtype=float)})
    columns = ColumnTransformer([("w2v", Word2VecVectorizer(**fast_params), [0]),
                                 ("num", "passthrough", [1])]).fit(frame)
    size = fast_params["vector_size"]
    assert list(columns.get_feature_names_out()) == (
        [f"w2v__word2vecvectorizer{i}" for i in range(size)] + ["num__x1"])


def test_transform_with_other_dataframe_columns_raises(toy_documents, fast_params):
    estimator = Word2VecVectorizer(**fast_params).fit(pd.DataFrame({"review": toy_documents}))
    with pytest.raises(ValueError, match=re.escape(
            "X has columns ['text'], but Word2VecVectorizer was fitted on ['review']")):
        estimator.transform(pd.DataFrame({"text": toy_documents[:2]}))
    with pytest.raises(ValueError, match="fitted on \\['review'\\]"):
        estimator.transform(pd.DataFrame({"review": toy_documents[:2],
                                          "stars": [1, 2]}))


@pytest.mark.skipif(SKLEARN_VERSION < parse_version("1.6"),
                    reason="__sklearn_tags__ is the tags API of scikit-learn >= 1.6")
def test_sklearn_tags():
    tags = Word2VecVectorizer().__sklearn_tags__()
    assert tags.input_tags.string is True
    assert tags.input_tags.two_d_array is False
    assert tags.transformer_tags.preserves_dtype == []


@pytest.mark.skipif(SKLEARN_VERSION >= parse_version("1.6"),
                    reason="scikit-learn < 1.6 reads the tags from _more_tags")
def test_sklearn_tags_before_1_6():
    from sklearn.utils._tags import _safe_tags

    tags = _safe_tags(Word2VecVectorizer())
    assert tags["X_types"] == ["string"]
    assert tags["preserves_dtype"] == []


# ------------------------------------------------------------------ meta-estimators
TOPIC_KEYWORDS = (
    {"afghanistan", "afghan", "taliban", "laden", "qaeda", "kabul"},
    {"israel", "israeli", "palestinian", "palestinians", "arafat", "sharon", "hamas", "gaza"},
)

PIPELINE_PARAMS = {"vector_size": 20, "epochs": 10, "min_count": 2, "pooling": "sif",
                   "norm": "l2", "n_jobs": 1, "random_state": 0}


@pytest.fixture(scope="module")
def lee_topics(lee_documents):
    """Lee articles about Afghanistan (1) or Israel/Palestine (0), by dominant keywords.

    gensim's ``pang_lee_polarity.cor`` has sentiment labels, but it is not UTF-8 (cp1252)
    and its 200 one-line reviews are too few to train word vectors that beat chance.
    """
    analyzer = Word2VecVectorizer().build_analyzer()
    texts, labels = [], []
    for document in lee_documents:
        tokens = analyzer(document)
        first, second = (sum(token in words for token in tokens) for words in TOPIC_KEYWORDS)
        if first != second:
            texts.append(document)
            labels.append(int(first > second))
    labels = np.array(labels)
    assert len(texts) > 60 and 0.25 < labels.mean() < 0.75
    return train_test_split(texts, labels, test_size=0.4, stratify=labels, random_state=0)


def majority_accuracy(y_train, y_test):
    return DummyClassifier().fit(np.zeros((len(y_train), 1)), y_train).score(
        np.zeros((len(y_test), 1)), y_test)


def test_pipeline_beats_the_majority_class_on_real_text(lee_topics):
    X_train, X_test, y_train, y_test = lee_topics
    pipe = Pipeline([("w2v", Word2VecVectorizer(**PIPELINE_PARAMS)),
                     ("clf", LogisticRegression())]).fit(X_train, y_train)
    baseline = majority_accuracy(y_train, y_test)
    assert baseline < 0.7
    assert pipe.score(X_test, y_test) >= baseline + 0.2
    assert pipe.named_steps["clf"].coef_.shape == (1, PIPELINE_PARAMS["vector_size"])


def test_grid_search_over_word2vec_parameters(lee_topics):
    X_train, X_test, y_train, y_test = lee_topics
    pipe = Pipeline([("w2v", Word2VecVectorizer(**PIPELINE_PARAMS)),
                     ("clf", LogisticRegression())])
    grid = {"w2v__vector_size": [10, 20], "w2v__window": [2, 5],
            "w2v__architecture": ["skipgram", "cbow"]}
    search = GridSearchCV(pipe, grid, cv=3, n_jobs=2).fit(X_train, y_train)
    results = search.cv_results_
    assert np.all(np.isfinite(results["mean_test_score"]))
    # The candidates differ, so the parameters reached the fitted estimators.
    assert len(set(np.round(results["mean_test_score"], 6))) > 1
    best = search.best_estimator_.named_steps["w2v"]
    assert best.wv_.vector_size == search.best_params_["w2v__vector_size"]
    assert best.architecture == search.best_params_["w2v__architecture"]
    assert search.score(X_test, y_test) >= majority_accuracy(y_train, y_test) + 0.15


def test_column_transformer_with_other_columns(lee_topics):
    X_train, X_test, y_train, y_test = lee_topics
    rng = np.random.default_rng(0)

    def frame(texts):
        return pd.DataFrame({"id": np.arange(len(texts)), "review": texts,
                             "stars": rng.integers(1, 6, size=len(texts)).astype(float)})

    train, test = frame(X_train), frame(X_test)
    columns = ColumnTransformer([("w2v", Word2VecVectorizer(**PIPELINE_PARAMS), "review"),
                                 ("num", "passthrough", ["stars"])])
    out = columns.fit_transform(train)
    size = PIPELINE_PARAMS["vector_size"]
    assert out.shape == (len(train), size + 1)
    # A str column passes a 1-D Series: the text block equals the estimator on the Series.
    alone = Word2VecVectorizer(**PIPELINE_PARAMS).fit(train["review"])
    np.testing.assert_array_equal(out[:, :size], alone.transform(train["review"]))
    np.testing.assert_array_equal(columns.transform(test)[:, :size],
                                  alone.transform(test["review"]))
    np.testing.assert_array_equal(out[:, size], train["stars"])
    assert list(columns.get_feature_names_out()) == (
        [f"w2v__word2vecvectorizer{i}" for i in range(size)] + ["num__stars"])

    pipe = Pipeline([("columns", clone(columns)), ("clf", LogisticRegression())])
    pipe.fit(train, y_train)
    assert pipe.score(test, y_test) >= majority_accuracy(y_train, y_test) + 0.2


# ------------------------------------------------------------------ bad input
def test_bare_string_is_rejected(fitted, fast_params):
    message = "Iterable over raw text documents expected, string object received"
    with pytest.raises(TypeError, match=message):
        Word2VecVectorizer(**fast_params).fit("w1 w2 w3")
    with pytest.raises(TypeError, match=message):
        fitted.transform("w1 w2 w3")


@pytest.mark.parametrize(("bad", "message"), [
    (None, r"Document 2 is missing \(NoneType None\)"),
    (float("nan"), r"Document 2 is missing \(float nan\)"),
    (np.nan, r"Document 2 is missing"),
    (pd.NA, r"Document 2 is missing"),
    (42, r"Document 2 is int 42, expected a str"),
    (3.5, r"Document 2 is float 3.5, expected a str"),
    (b"w1 w2", r"Document 2 is bytes; decode it to str first"),
], ids=["None", "nan", "np.nan", "pd.NA", "int", "float", "bytes"])
def test_invalid_documents_name_their_position(fitted, fast_params, bad, message):
    documents = ["w1 w2", "w3 w4", bad, "w5 w6"]
    with pytest.raises(TypeError, match=message):
        Word2VecVectorizer(**fast_params).fit(documents)
    with pytest.raises(TypeError, match=message):
        fitted.transform(documents)


@pytest.mark.parametrize("empty", [[], (), np.array([], dtype=object), pd.Series([], dtype=str),
                                   iter([])], ids=["list", "tuple", "array", "series", "iter"])
def test_empty_corpus(fast_params, empty):
    with pytest.raises(ValueError, match="The corpus is empty"):
        Word2VecVectorizer(**fast_params).fit(empty)


def test_min_count_removing_every_word(fast_params):
    estimator = Word2VecVectorizer(**{**fast_params, "min_count": 10})
    with pytest.raises(ValueError, match=r"min_count=10 removes every word.*"
                                         r"occurs 3 times.*Lower min_count"):
        estimator.fit(["a1 b1 c1", "a1 b1", "a1"])
    assert not hasattr(estimator, "wv_")


def test_two_dimensional_array_with_several_columns(fitted, fast_params):
    X = np.array([["w1 w2", "w3"], ["w4", "w5 w6"]], dtype=object)
    with pytest.raises(ValueError, match=r"2-D array of shape \(2, 2\).*one column"):
        Word2VecVectorizer(**fast_params).fit(X)
    with pytest.raises(ValueError, match=r"2-D array of shape \(2, 2\)"):
        fitted.transform(X)


def test_dataframe_with_two_columns(fitted, fast_params):
    X = pd.DataFrame({"review": ["w1 w2", "w3 w4"], "title": ["w5", "w6"]})
    with pytest.raises(ValueError, match="DataFrame with 2 columns.*one text column"):
        Word2VecVectorizer(**fast_params).fit(X)
    with pytest.raises(ValueError, match="DataFrame with 2 columns"):
        fitted.transform(X)
