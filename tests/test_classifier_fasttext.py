"""``Word2VecClassifier.load`` and ``save`` against fastText (the ``fasttext`` package).

fastText models are trained in a subprocess started with ``MALLOC_MMAP_THRESHOLD_=65536``
(without it, fasttext-numpy2 fails at random with "Encountered NaN"), on Rotten Tomatoes
snippets (from the cache: the tests skip without it) tokenized once, so that fastText's
whitespace split and skw2v's tokenizer see the same tokens.
"""

import json
import os
import re
import subprocess
import sys

import numpy as np
import pytest
from sklearn.metrics import f1_score

from skw2v import Word2VecClassifier

_TRAIN_SCRIPT = """
import json, sys
import fasttext
spec = json.loads(sys.argv[1])
for name, model in spec["models"].items():
    classifier = fasttext.train_supervised(spec["data"][model["data"]], verbose=0, thread=1,
                                           seed=0, **model["train"])
    classifier.save_model(f"{spec['dir']}/{name}.bin")
    if model.get("quantize"):
        classifier.quantize(retrain=False, **model["quantize"])
        classifier.save_model(f"{spec['dir']}/{name}.ftz")
"""

_SETTINGS = {"dim": 10, "epoch": 10, "lr": 0.5, "wordNgrams": 2, "minCount": 1}
_MODELS = {
    "softmax": {"data": "reviews", "train": {**_SETTINGS, "loss": "softmax"},
                "quantize": {"qnorm": True, "cutoff": 20000}},
    "hs_subwords": {"data": "reviews", "train": {**_SETTINGS, "loss": "hs", "minn": 3,
                                                 "maxn": 5, "bucket": 200000},
                    "quantize": {"qnorm": False}},
    "ns": {"data": "reviews", "train": {**_SETTINGS, "loss": "ns", "neg": 2}},
    "ova_multilabel": {"data": "news", "train": {**_SETTINGS, "loss": "ova", "epoch": 20}},
}
_TOKEN = re.compile(r"(?u)\b\w\w+\b")


def _tokenized(text):
    return " ".join(_TOKEN.findall(text.lower()))


@pytest.fixture(scope="module")
def fasttext():
    return pytest.importorskip("fasttext")


@pytest.fixture(scope="module")
def data():
    from skw2v.datasets import fetch_20newsgroups_corpus, fetch_rotten_tomatoes

    try:
        reviews = fetch_rotten_tomatoes(download_if_missing=False)
        news = fetch_20newsgroups_corpus(subset="train", download_if_missing=False)
    except OSError:
        pytest.skip("Rotten Tomatoes or 20 Newsgroups is not cached (skw2v.datasets "
                    "downloads them once)")
    order = np.random.default_rng(0).permutation(len(reviews.data))
    texts = [_tokenized(reviews.data[i]) for i in order]
    labels = np.where(reviews.target[order] == 1, "fresh", "rotten")
    # Multi-label: pairs of posts of two newsgroups, labelled with both.
    rng = np.random.default_rng(1)
    groups = np.asarray(news.target)
    pairs, y = [], []
    for _ in range(3000):
        a, b = rng.choice(len(news.data), 2, replace=False)
        pairs.append(" ".join(news.data[a].split()[:60] + news.data[b].split()[:60]))
        row = np.zeros(len(news.target_names), dtype=int)
        row[[groups[a], groups[b]]] = 1
        y.append(row)
    return {"reviews": (texts[:10000], labels[:10000], texts[10000:], labels[10000:]),
            "news": (pairs[:2500], np.array(y[:2500]), pairs[2500:], np.array(y[2500:]))}


@pytest.fixture(scope="module")
def oracle(data, tmp_path_factory, fasttext):
    directory = tmp_path_factory.mktemp("fasttext_classifiers")
    files = {}
    for name, (texts, y, _, _) in data.items():
        lines = []
        for text, target in zip(texts, y, strict=True):
            labels = ([f"__label__{label}" for label in np.flatnonzero(target)]
                      if np.ndim(target) else [f"__label__{target}"])
            lines.append(" ".join(labels) + " " + text)
        files[name] = str(directory / f"{name}.txt")
        with open(files[name], "w", encoding="utf-8") as handle:
            handle.write("\n".join(lines) + "\n")
    spec = {"dir": str(directory), "data": files, "models": _MODELS}
    env = {**os.environ, "MALLOC_MMAP_THRESHOLD_": "65536"}
    subprocess.run([sys.executable, "-c", _TRAIN_SCRIPT, json.dumps(spec)], env=env,
                   check=True, timeout=600)
    return directory


def _fasttext_predictions(model, texts, classes):
    """fastText's probability of every class (columns in ``classes`` order)."""
    labels, probabilities = model.predict(texts, k=-1, threshold=-1.0)
    out = np.zeros((len(texts), len(classes)))
    column = {f"__label__{c}": i for i, c in enumerate(classes)}
    for row, (names, values) in enumerate(zip(labels, probabilities, strict=True)):
        for name, value in zip(names, values, strict=True):
            out[row, column[name]] = value
    return out


@pytest.mark.parametrize("name, suffix", [("softmax", "bin"), ("softmax", "ftz"),
                                          ("hs_subwords", "bin"), ("hs_subwords", "ftz"),
                                          ("ns", "bin")])
def test_load_predicts_as_fasttext(oracle, data, fasttext, name, suffix):
    path = oracle / f"{name}.{suffix}"
    ours = Word2VecClassifier.load(path)
    theirs = fasttext.load_model(str(path))
    texts = data["reviews"][2] + ["", "unseenword", "the the the"]
    expected = _fasttext_predictions(theirs, texts, ours.classes_)
    proba = ours.predict_proba(texts)
    tolerance = 1e-4  # fastText reports exp(log(p + 1e-5)): p + 1e-5 for softmax
    if name == "ns":
        # fastText gives each label its own sigmoid (skw2v's predict_proba normalises them),
        # read from a table of 512 steps over [-8, 8]: within 0.008 of the exact one.
        proba = 1.0 / (1.0 + np.exp(-ours._model.scores(ours.transform(texts))))
        tolerance = 0.008
    np.testing.assert_allclose(proba, expected, atol=tolerance)
    same = np.mean(ours.predict(texts) == ours.classes_[np.argmax(
        _fasttext_predictions(theirs, texts, ours.classes_), axis=1)])
    assert same >= 0.995
    assert ours.score(data["reviews"][2], data["reviews"][3]) > 0.7


def test_fasttext_loads_what_save_writes(data, fasttext, tmp_path):
    train, y, test, y_test = data["reviews"]
    for params in ({"loss": "softmax"}, {"loss": "hs", "char_ngram_range": (3, 5),
                                         "n_buckets": 100000},
                   {"loss": "softmax", "feature_weighting": "nb_idf"},
                   {"loss": "softmax", "norm": "l2"}):
        params = {"feature_weighting": None, "sublinear_tf": False, "norm": "l1", **params}
        ours = Word2VecClassifier(epochs=10, n_jobs=1, random_state=0, **params).fit(train, y)
        ours.save(tmp_path / "model.bin")
        theirs = fasttext.load_model(str(tmp_path / "model.bin"))
        texts = [" ".join(ours.build_analyzer()(text)) for text in test]
        expected = _fasttext_predictions(theirs, texts, ours.classes_)
        assert np.mean(ours.predict(test) == ours.classes_[np.argmax(expected, axis=1)]) >= 0.995
        again = Word2VecClassifier.load(tmp_path / "model.bin")
        np.testing.assert_allclose(again.predict_proba(texts), expected, atol=1e-4)
        if params["feature_weighting"] is None and params["norm"] == "l1":
            # The same probabilities: fastText averages the same rows (zero rows for buckets
            # no training document reached, which skw2v counts as zeros too).
            np.testing.assert_allclose(ours.predict_proba(test), expected, atol=1e-4)
            np.testing.assert_allclose(again.predict_proba(texts),
                                       ours.predict_proba(test), atol=1e-6)
        else:  # the weighted mean or the L2-scaled sum, scaled per document: the same labels
            np.testing.assert_array_equal(again.predict(texts), ours.predict(test))


def test_save_warns_that_fasttext_counts_every_repeat(data, fasttext, tmp_path):
    train, y, test, _ = data["reviews"]
    ours = Word2VecClassifier(epochs=2, n_jobs=1, random_state=0).fit(train, y)
    with pytest.warns(UserWarning, match="sublinear_tf=False"):
        ours.save(tmp_path / "model.bin")
    # the file is still fastText's: it loads, with the same words and classes
    again = Word2VecClassifier.load(tmp_path / "model.bin")
    assert list(again.classes_) == list(ours.classes_)


def test_multilabel_ova_matches_fasttexts_ova(oracle, data, fasttext):
    train, y, test, y_test = data["news"]
    theirs = fasttext.load_model(str(oracle / "ova_multilabel.bin"))
    labels, _ = theirs.predict(test, k=-1, threshold=0.5)
    predicted = np.zeros_like(y_test)
    for row, names in enumerate(labels):
        predicted[row, [int(name[len("__label__"):]) for name in names]] = 1
    reference = f1_score(y_test, predicted, average="micro")
    ours = Word2VecClassifier(loss="ova", vector_size=10, epochs=20, alpha=0.5, n_jobs=1,
                              random_state=0, token_pattern=r"\S+").fit(train, y)
    score = f1_score(y_test, ours.predict(test), average="micro")
    print(f"micro-F1: skw2v {score:.3f}, fastText {reference:.3f}")
    assert reference > 0.3
    assert score >= reference - 0.03, (score, reference)


def test_loading_an_unsupervised_model_says_what_to_use(tmp_path):
    from skw2v import WordVectors

    wv = WordVectors(["a", "b"], np.ones((2, 3), dtype=np.float32))
    wv.save(tmp_path / "vectors.bin", format="fasttext")
    with pytest.raises(ValueError, match="WordVectors.load"):
        Word2VecClassifier.load(tmp_path / "vectors.bin")
    with pytest.raises(ValueError, match="format='fasttext'"):
        Word2VecClassifier.load(tmp_path / "vectors.bin", format="word2vec")


def test_save_refuses_a_class_name_fasttext_cannot_hold(tmp_path):
    model = Word2VecClassifier(epochs=2, n_jobs=1, random_state=0).fit(
        ["good film", "bad film"] * 5, ["very good", "bad"] * 5)
    with pytest.raises(ValueError, match="very good"):
        model.save(tmp_path / "model.bin")
    assert not (tmp_path / "model.bin").exists()
