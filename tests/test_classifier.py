"""``Word2VecClassifier``: the scikit-learn contract, the labels and weights, real-data
quality, early stopping, init, and bad input."""

import pickle

import numpy as np
import pandas as pd
import pytest
import scipy.sparse as sp
from sklearn.base import clone
from sklearn.experimental import enable_halving_search_cv  # noqa: F401
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import recall_score
from sklearn.model_selection import (
    GridSearchCV,
    HalvingRandomSearchCV,
    cross_val_score,
    train_test_split,
)
from sklearn.pipeline import FeatureUnion, Pipeline

from skw2v import Word2VecClassifier, Word2VecVectorizer


@pytest.fixture(scope="module")
def reviews():
    from skw2v.datasets import fetch_rotten_tomatoes

    try:
        data = fetch_rotten_tomatoes()
    except OSError as error:  # pragma: no cover - offline without the cached file
        pytest.skip(f"Rotten Tomatoes is not available: {error}")
    X_train, X_test, y_train, y_test = train_test_split(
        data.data, data.target, test_size=0.25, random_state=0, stratify=data.target)
    return X_train, X_test, y_train, y_test


@pytest.fixture(scope="module")
def small(reviews):
    X_train, _, y_train, _ = reviews
    return X_train[:600], np.where(y_train[:600] == 1, "fresh", "rotten")


def _clf(**params):
    return Word2VecClassifier(**{"n_jobs": 1, "random_state": 0, "epochs": 5, **params})


# --------------------------------------------------------------------- quality on real data
def test_accuracy_on_rotten_tomatoes_matches_tfidf_logistic_regression(reviews):
    X_train, X_test, y_train, y_test = reviews
    ours = Word2VecClassifier(n_jobs=2, random_state=0).fit(X_train, y_train)
    accuracy = ours.score(X_test, y_test)
    baseline = Pipeline([("tfidf", TfidfVectorizer(ngram_range=(1, 2))),
                         ("lr", LogisticRegression(C=10, max_iter=1000))])
    reference = baseline.fit(X_train, y_train).score(X_test, y_test)
    assert accuracy > 0.75
    assert accuracy >= reference - 0.015, (accuracy, reference)


@pytest.mark.parametrize("loss", ["ns", "hs", "ova"])
def test_every_loss_learns_sentiment(reviews, loss):
    X_train, X_test, y_train, y_test = reviews
    model = Word2VecClassifier(loss=loss, n_jobs=2, random_state=0).fit(X_train, y_train)
    assert model.score(X_test, y_test) > 0.73


def test_subword_features_help_on_unseen_words(small):
    X, y = small
    plain = _clf(epochs=10).fit(X, y)
    subword = _clf(epochs=10, char_ngram_range=(3, 5)).fit(X, y)
    unseen = ["masterpieceeee", "boringggg"]
    # An unseen word has only its end-of-document bias without subwords.
    vectors = plain.transform(unseen)
    np.testing.assert_allclose(vectors[0], vectors[1])
    assert not np.allclose(*subword.transform(unseen))


# ------------------------------------------------------------------------ scikit-learn API
def test_reproducible_with_one_thread_and_a_seed(small):
    X, y = small
    first = _clf().fit(X, y).predict_proba(X)
    np.testing.assert_array_equal(first, _clf().fit(X, y).predict_proba(X))
    assert not np.array_equal(first, _clf(random_state=1).fit(X, y).predict_proba(X))


def test_clone_params_pickle(small):
    X, y = small
    model = _clf(vector_size=8, loss="hs")
    assert clone(model).get_params() == model.get_params()
    model.set_params(epochs=3).fit(X, y)
    again = pickle.loads(pickle.dumps(model))
    np.testing.assert_array_equal(again.predict_proba(X[:50]), model.predict_proba(X[:50]))
    assert again.wv_.most_similar("good", topn=3)
    assert model.classes_.tolist() == ["fresh", "rotten"]
    assert model.n_iter_ == 3 and len(model.loss_history_) == 3


def test_searches_and_cross_validation(small):
    X, y = small
    X = np.asarray(X, dtype=object)
    grid = GridSearchCV(_clf(), {"vector_size": [5, 10]}, cv=2).fit(X, y)
    assert grid.best_params_["vector_size"] in (5, 10)
    halving = HalvingRandomSearchCV(_clf(), {"alpha": [0.1, 0.5], "epochs": [3, 5]}, cv=2,
                                    random_state=0, min_resources=200).fit(X, y)
    assert halving.best_estimator_.classes_.tolist() == ["fresh", "rotten"]
    assert cross_val_score(_clf(), X, y, cv=3).mean() > 0.5


def test_predict_proba_decision_function_and_transform_agree(small):
    X, y = small
    model = _clf().fit(X, y)
    proba = model.predict_proba(X[:40])
    np.testing.assert_allclose(proba.sum(axis=1), 1.0, rtol=1e-6)
    scores = model.decision_function(X[:40])
    assert scores.shape == (40,)
    np.testing.assert_array_equal(model.predict(X[:40]),
                                  model.classes_[(scores > 0).astype(int)])
    hidden = model.transform(X[:40])
    logits = hidden.astype(np.float64) @ model._model.output.T
    np.testing.assert_allclose(scores, logits[:, 1] - logits[:, 0], rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(np.log(proba), model.predict_log_proba(X[:40]))


def test_pandas_feature_union_and_set_output(small):
    X, y = small
    series = pd.Series(X, name="review")
    union = FeatureUnion([("task", _clf(vector_size=10)),
                          ("w2v", Word2VecVectorizer(vector_size=4, min_count=1))])
    features = union.fit_transform(series, y)
    assert features.shape == (len(X), 14)
    frame = _clf().set_output(transform="pandas").fit(series.to_frame(), y).transform(
        series.to_frame())
    assert list(frame.columns[:2]) == ["word2vecclassifier0", "word2vecclassifier1"]


def test_multiclass_strings_and_hs_probabilities_sum_to_one():
    texts = ["red apple fruit", "green apple fruit", "blue sky cloud", "grey sky rain",
             "fast car road", "slow car traffic"] * 15
    labels = ["fruit", "fruit", "sky", "sky", "car", "car"] * 15
    for loss in ("softmax", "hs", "ns"):
        model = _clf(loss=loss, epochs=20, alpha=0.3).fit(texts, labels)
        assert model.classes_.tolist() == ["car", "fruit", "sky"]
        assert model.predict(["apple", "sky", "road"]).tolist() == ["fruit", "sky", "car"]
        np.testing.assert_allclose(model.predict_proba(texts[:6]).sum(axis=1), 1.0,
                                   rtol=1e-6)


# ------------------------------------------------------------------ labels and weights
def test_class_weight_balanced_raises_minority_recall(reviews):
    X_train, X_test, y_train, y_test = reviews
    rng = np.random.default_rng(0)
    minority = np.flatnonzero(y_train == 0)
    keep = np.concatenate([np.flatnonzero(y_train == 1),
                           rng.choice(minority, minority.size // 8, replace=False)])
    X_small = [X_train[i] for i in keep]
    plain = Word2VecClassifier(n_jobs=1, random_state=0).fit(X_small, y_train[keep])
    balanced = Word2VecClassifier(n_jobs=1, random_state=0, class_weight="balanced").fit(
        X_small, y_train[keep])
    recall_plain = recall_score(y_test, plain.predict(X_test), pos_label=0)
    recall_balanced = recall_score(y_test, balanced.predict(X_test), pos_label=0)
    # (TF-IDF + LogisticRegression on the same sample: 0.015 -> 0.165.)
    assert recall_balanced > max(2 * recall_plain, recall_plain + 0.05), (recall_plain,
                                                                          recall_balanced)


def test_sample_weight_zero_removes_a_class(small):
    X, y = small
    texts = list(X) + ["zebra stripes savanna"] * 40
    labels = np.concatenate([y, ["zebra"] * 40])
    weights = np.where(labels == "zebra", 0.0, 1.0)
    with_zebra = _clf(epochs=10).fit(texts, labels)
    without = _clf(epochs=10).fit(texts, labels, sample_weight=weights)
    probe = ["zebra stripes savanna", "Zebra, stripes, savanna!"]
    assert (with_zebra.predict(probe) == "zebra").all()
    assert not (without.predict(probe) == "zebra").any()
    # Its words were never trained: their rows are still the random start.
    assert without.classes_.tolist() == ["fresh", "rotten", "zebra"]


def test_multilabel_indicator_with_ova():
    texts = ["apple banana", "banana", "car train", "train", "apple train", "car"] * 20
    y = np.array([[1, 1, 0, 0], [0, 1, 0, 0], [0, 0, 1, 1], [0, 0, 0, 1], [1, 0, 0, 1],
                  [0, 0, 1, 0]] * 20)
    model = _clf(loss="ova", epochs=30, alpha=0.3).fit(texts, sp.csr_matrix(y))
    assert model.classes_.tolist() == [0, 1, 2, 3]
    np.testing.assert_array_equal(model.predict(texts[:6]), y[:6])
    assert model.predict_proba(texts[:6]).shape == (6, 4)
    with pytest.raises(ValueError, match="loss='ova'"):
        _clf().fit(texts, y)


# ------------------------------------------------------------------ early stopping, init
def test_early_stopping_holds_out_and_stops(small):
    X, y = small
    model = _clf(epochs=40, early_stopping=True, n_iter_no_change=2, tol=0.5).fit(X, y)
    # As scikit-learn's SGD: the first epoch sets the best score, then 2 without a gain.
    assert model.n_iter_ == 3 and len(model.validation_scores_) == 3
    assert all(0.0 <= score <= 1.0 for score in model.validation_scores_)
    assert _clf().fit(X, y).validation_scores_ is None


def test_init_brings_pretrained_words_and_freeze_keeps_them(small):
    X, y = small
    pretrained = Word2VecVectorizer(vector_size=10, min_count=1, epochs=1, random_state=0,
                                    n_jobs=1).fit(list(X) + ["unseenword appears here"]).wv_
    frozen = _clf(init=pretrained, vector_size=10, freeze_init=True).fit(X, y)
    assert "unseenword" in frozen.wv_
    for word in ("good", "unseenword"):
        np.testing.assert_array_equal(frozen.wv_[word], pretrained[word])
    tuned = _clf(init=pretrained, vector_size=10).fit(X, y)
    assert not np.array_equal(tuned.wv_["good"], pretrained["good"])
    with pytest.raises(ValueError, match="vector_size=10"):
        _clf(init=pretrained, vector_size=5).fit(X, y)


# ------------------------------------------------------------------------------ bad input
@pytest.mark.parametrize("y, match", [
    (["a"] * 4, "at least two classes"),
    (["a", "b", None, "a"], r"y\[2\] is missing"),
    (["a", "b", "a"], "4 documents but y holds 3"),
    ([0.5, 1.5, 0.25, 2.5], "continuous"),
])
def test_bad_labels_fail_before_training(y, match):
    with pytest.raises(ValueError, match=match):
        _clf().fit(["a b", "c d", "e f", "g h"], y)


def test_class_weight_naming_a_label_not_in_y():
    with pytest.raises(ValueError, match="class_weight names 'z', which is not a class"):
        _clf(class_weight={"x": 1.0, "z": 2.0}).fit(["a b", "c d"], ["x", "y"])
    model = _clf(class_weight={"x": 3.0}).fit(["a b", "c d"], ["x", "y"])  # y weighs 1
    assert model.classes_.tolist() == ["x", "y"]


def test_wrong_length_of_a_generator_is_found_after_reading():
    with pytest.raises(ValueError, match="3 documents but y holds 4"):
        _clf().fit((doc for doc in ["a b", "c d", "e f"]), ["x", "y", "x", "y"])


def test_missing_documents_are_named_and_empty_ones_predict_the_bias(small):
    X, y = small
    with pytest.raises(TypeError, match="Document 1 is missing"):
        _clf().fit(["good", None, "bad"], ["p", "n", "n"])
    model = _clf().fit(X, y)
    empty = model.predict_proba(["", "!!!"])
    np.testing.assert_array_equal(empty[0], empty[1])  # both only "</s>"
    assert np.isfinite(empty).all()


def test_failed_refit_keeps_the_fitted_model(small):
    X, y = small
    model = _clf().fit(X, y)
    before = model.predict_proba(X[:20])
    with pytest.raises(ValueError):
        model.fit(X, y[:10])
    with pytest.raises(ValueError, match="sample_weight"):
        model.fit(X, y, sample_weight=-np.ones(len(y)))
    np.testing.assert_array_equal(model.predict_proba(X[:20]), before)


@pytest.mark.parametrize("params, match", [
    ({"word_ngram_range": (2, 3)}, r"\(1, n\)"),
    ({"n_buckets": 2**31}, "n_buckets"),
    ({"loss": "ns", "negative": 0}, "negative >= 1"),
    ({"char_ngram_range": (0, 3)}, "char_ngram_range"),
])
def test_bad_parameters(params, match):
    with pytest.raises(ValueError, match=match):
        _clf(**params).fit(["a b", "c d"], ["x", "y"])


# ------------------------------------------------------------------ progress and callbacks
def test_verbose_prints_a_line_per_epoch(small, capsys):
    X, y = small
    model = _clf(epochs=3, verbose=1).fit(X, y)
    lines = [line for line in capsys.readouterr().out.splitlines() if "epoch" in line]
    assert len(lines) == 3 and "epoch 3/3" in lines[-1]
    assert len(model.loss_history_) == 3
    assert model.loss_history_[-1] < model.loss_history_[0]


def test_a_callback_stops_training_with_a_usable_snapshot(small):
    sklearn_callback = pytest.importorskip("sklearn.callback")  # scikit-learn >= 1.9
    del sklearn_callback
    X, y = small
    seen = {}

    class StopAfterSecondEpoch:
        def setup(self, estimator, context):
            pass

        def teardown(self, estimator, context):
            pass

        def on_fit_task_begin(self, estimator, context):
            pass

        def on_fit_task_end(self, estimator, context, *, metadata=None,
                            fitted_estimator=None):
            if context.task_name != "epoch":
                return False
            seen[metadata["epoch"]] = (metadata, fitted_estimator)
            return metadata["epoch"] == 1

    model = _clf(epochs=6).set_callbacks(StopAfterSecondEpoch()).fit(X, y)
    assert sorted(seen) == [0, 1] and model.n_iter_ == 2
    metadata, snapshot = seen[1]
    assert metadata["loss"] == pytest.approx(model.loss_history_[1])
    np.testing.assert_array_equal(snapshot.predict_proba(X[:20]), model.predict_proba(X[:20]))
    first = seen[0][1]
    assert not np.array_equal(first.predict_proba(X[:20]), model.predict_proba(X[:20]))


def test_whitespace_token_pattern_splits_as_the_regex_would():
    from skw2v._text import build_analyzer

    text = " a\u00a0b\u2003c\x1cd\x85e\u3000f\tg\nh\x00i \ufeffj  "
    for pattern in (r"\S+", r"(?u)\S+"):
        analyzer = build_analyzer("word", lowercase=False, token_pattern=pattern,
                                  tokenizer=None, preprocessor=None)
        assert analyzer(text) == __import__("re").findall(pattern, text)


def test_threaded_prediction_equals_one_thread(reviews):
    X_train, X_test, y_train, _ = reviews
    model = Word2VecClassifier(n_jobs=1, random_state=0, epochs=3).fit(X_train, y_train)
    one = model.transform(X_test)
    np.testing.assert_array_equal(model.set_params(n_jobs=2).transform(X_test), one)
    with pytest.raises(TypeError, match="Document 2 is missing"):
        model.predict(["good", "bad", None])
