"""skw2v.dask: transform, predict and fit on dask collections equal the in-memory estimator.

The oracle throughout is the in-memory ``Word2VecVectorizer`` (or ``Word2VecClassifier``) on
the same documents in the same order. A distributed ``LocalCluster`` (two worker processes)
checks the graph really ships, the GridSearchCV backend, and the thread budget inside workers.
"""

import io
import pickle

import numpy as np
import pandas as pd
import pytest

dask = pytest.importorskip("dask")
da = pytest.importorskip("dask.array")
dd = pytest.importorskip("dask.dataframe")
db = pytest.importorskip("dask.bag")
distributed = pytest.importorskip("distributed")

import joblib  # noqa: E402
from sklearn.exceptions import NotFittedError  # noqa: E402
from sklearn.linear_model import LogisticRegression  # noqa: E402
from sklearn.model_selection import GridSearchCV  # noqa: E402
from sklearn.pipeline import Pipeline  # noqa: E402

import skw2v._corpus  # noqa: E402
import skw2v.dask  # noqa: E402
from skw2v import Word2VecClassifier, Word2VecVectorizer, WordVectors  # noqa: E402

pytestmark = pytest.mark.dask


@pytest.fixture(scope="module")
def client():
    """Two single-threaded worker processes on loopback, no dashboard."""
    cluster = distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                       dashboard_address=None, host="127.0.0.1")
    with distributed.Client(cluster) as dask_client:
        yield dask_client
    cluster.close()


@pytest.fixture(scope="module")
def documents(lee_documents):
    return lee_documents[:150]


@pytest.fixture(scope="module")
def params():
    return {"vector_size": 16, "min_count": 2, "epochs": 2, "n_jobs": 1, "random_state": 3}


@pytest.fixture(scope="module")
def fitted(documents, params):
    return Word2VecVectorizer(**params).fit(documents)


def _series(documents, npartitions):
    # A non-default index (gaps, offset) so that keeping index and divisions is tested.
    index = pd.Index(np.arange(len(documents)) * 3 + 1000, name="doc_id")
    return dd.from_pandas(pd.Series(documents, index=index, name="text"),
                          npartitions=npartitions)


# ------------------------------------------------------------------ transform
@pytest.mark.parametrize("npartitions", [1, 4])
def test_transform_series_equals_in_memory(fitted, documents, npartitions):
    docs = _series(documents, npartitions)
    features = skw2v.dask.transform(fitted, docs)
    assert isinstance(features, dd.DataFrame)
    assert list(features.columns) == list(fitted.get_feature_names_out())
    assert features.divisions == docs.divisions
    assert features.npartitions == npartitions
    computed = features.compute()
    assert computed.index.equals(docs.compute().index)
    assert (computed.dtypes == np.float32).all()
    np.testing.assert_allclose(computed.to_numpy(), fitted.transform(documents), rtol=1e-6,
                               atol=1e-7)


def test_transform_one_column_frame_and_token_lists(documents, params):
    token_lists = [doc.lower().split() for doc in documents]
    model = Word2VecVectorizer(**params, analyzer="pretokenized").fit(token_lists)
    frame = pd.DataFrame({"tokens": pd.Series(token_lists, dtype=object)})
    with pytest.raises(TypeError, match="dataframe.convert-string"):
        skw2v.dask.transform(model, dd.from_pandas(frame, npartitions=3))
    with dask.config.set({"dataframe.convert-string": False}):
        frame = dd.from_pandas(frame, npartitions=3)
    computed = skw2v.dask.transform(model, frame).compute()
    np.testing.assert_allclose(computed.to_numpy(), model.transform(token_lists), rtol=1e-6,
                               atol=1e-7)


def test_transform_bag_gives_float32_array(fitted, documents):
    bag = db.from_sequence(documents, npartitions=5)
    array = skw2v.dask.transform(fitted, bag)
    assert array.dtype == np.float32
    assert array.shape[1] == fitted.wv_.vector_size
    assert array.numblocks == (5, 1)
    computed = array.compute()
    assert computed.shape == (len(documents), fitted.wv_.vector_size)
    np.testing.assert_allclose(computed, fitted.transform(documents), rtol=1e-6, atol=1e-7)


class _CountingPickler(pickle.Pickler):
    """Counts the estimators a pickled object holds (by value, not by graph reference)."""

    def __init__(self, file):
        super().__init__(file, protocol=pickle.HIGHEST_PROTOCOL)
        self.vectorizers = 0

    def persistent_id(self, obj):
        if isinstance(obj, (Word2VecVectorizer, Word2VecClassifier)):
            self.vectorizers += 1
            return "estimator"
        return None


def _estimators_held(result):
    """How many tasks of ``result``'s graph hold an estimator by value (each task pickled on
    its own, as the scheduler ships it)."""
    held = 0
    for task in dict(result.__dask_graph__()).values():
        pickler = _CountingPickler(io.BytesIO())
        pickler.dump(task)
        held += pickler.vectorizers
    return held


@pytest.mark.parametrize("kind", ["series", "bag"])
def test_vectorizer_enters_the_graph_once(fitted, documents, kind):
    # Each task is pickled on its own, as the scheduler ships it; the vectorizer must be
    # held by one task only, the others referring to its key.
    docs = (_series(documents, 8) if kind == "series"
            else db.from_sequence(documents, npartitions=8))
    assert _estimators_held(skw2v.dask.transform(fitted, docs)) == 1


def test_transform_on_a_cluster(client, fitted, documents):
    features = skw2v.dask.transform(fitted, _series(documents, 4))
    computed = client.compute(features).result()
    np.testing.assert_allclose(computed.to_numpy(), fitted.transform(documents), rtol=1e-6,
                               atol=1e-7)


# ------------------------------------------------------------------ classifier
def _collection(kind, texts, npartitions=3):
    """``texts`` as a dask Series (non-default index), a one-column DataFrame, or a Bag."""
    if kind == "bag":
        return db.from_sequence(texts, npartitions=npartitions)
    series = _series(texts, npartitions)
    return series.to_frame() if kind == "frame" else series


@pytest.fixture(scope="module")
def texts(snippets):
    # An empty document and one of unknown words: the embedding of "</s>" alone.
    return snippets[0] + ["", "qqqq zzzz"]


@pytest.mark.parametrize("kind", ["series", "frame", "bag"])
@pytest.mark.parametrize("labels", ["str", "int", "multilabel"])
def test_predict_and_predict_proba_equal_in_memory(classifiers, texts, labels, kind):
    clf = classifiers[labels]
    docs = _collection(kind, texts)
    predicted = skw2v.dask.predict(clf, docs)
    proba = skw2v.dask.predict_proba(clf, docs)
    expected = clf.predict(texts)
    columns = [str(label) for label in clf.classes_]
    if kind == "bag":
        assert isinstance(predicted, da.Array) and isinstance(proba, da.Array)
        assert predicted.numblocks[0] == proba.numblocks[0] == docs.npartitions
        assert predicted.dtype == expected.dtype and proba.dtype == np.float64
        assert proba.shape[1] == len(columns)
        got, got_proba = predicted.compute(), proba.compute()
    else:
        if labels == "multilabel":
            assert isinstance(predicted, dd.DataFrame)
            assert list(predicted.columns) == columns
        else:
            assert isinstance(predicted, dd.Series) and predicted.name == "prediction"
            assert predicted.dtype == pd.Series(clf.classes_).dtype
        assert isinstance(proba, dd.DataFrame) and list(proba.columns) == columns
        assert predicted.divisions == proba.divisions == docs.divisions
        got, got_proba = predicted.compute(), proba.compute()
        index = docs.compute().index
        assert got.index.equals(index) and got_proba.index.equals(index)
        # The computed partitions have the dtypes the collections announce.
        if labels == "multilabel":
            assert (got.dtypes == np.int64).all()
        else:
            assert got.dtype == predicted.dtype
        assert (got_proba.dtypes == np.float64).all()
        got, got_proba = got.to_numpy(), got_proba.to_numpy()
    np.testing.assert_array_equal(got, expected)
    np.testing.assert_allclose(got_proba, clf.predict_proba(texts), rtol=1e-12, atol=0)


@pytest.mark.parametrize("kind", ["series", "frame", "bag"])
def test_transform_gives_the_classifier_embeddings(classifiers, texts, kind):
    clf = classifiers["str"]
    docs = _collection(kind, texts)
    features = skw2v.dask.transform(clf, docs)
    if kind == "bag":
        assert features.dtype == np.float32 and features.numblocks == (docs.npartitions, 1)
    else:
        assert list(features.columns) == list(clf.get_feature_names_out())
        features = features.compute()
        assert (features.dtypes == np.float32).all()
    np.testing.assert_allclose(np.asarray(features), clf.transform(texts), rtol=1e-6,
                               atol=1e-7)


@pytest.mark.parametrize("kind", ["series", "bag"])
@pytest.mark.parametrize("function", ["predict", "predict_proba", "transform"])
def test_classifier_enters_the_graph_once(classifiers, texts, function, kind):
    result = getattr(skw2v.dask, function)(classifiers["multilabel"], _collection(kind, texts, 6))
    assert _estimators_held(result) == 1


def test_predict_on_a_cluster(client, classifiers, texts):
    clf = classifiers["str"]
    docs = _series(texts, 4)
    labels, proba = client.compute([skw2v.dask.predict(clf, docs),
                                    skw2v.dask.predict_proba(clf, docs)], sync=True)
    np.testing.assert_array_equal(labels.to_numpy(), clf.predict(texts))
    np.testing.assert_allclose(proba.to_numpy(), clf.predict_proba(texts), rtol=1e-12)


def test_classifier_errors(classifiers, fitted, texts, params):
    clf = classifiers["str"]
    docs = _series(texts, 2)
    for function in (skw2v.dask.predict, skw2v.dask.predict_proba):
        with pytest.raises(TypeError, match=r"classifier must be a fitted "
                                            r"skw2v.Word2VecClassifier, got Word2VecVectorizer"
                                            r"\. A vectorizer does not classify"):
            function(fitted, docs)
        with pytest.raises(NotFittedError):
            function(Word2VecClassifier(), docs)
        with pytest.raises(TypeError, match=r"docs must be a dask Series.*got list"):
            function(clf, texts)
        two = dd.from_pandas(pd.DataFrame({"a": texts, "b": texts}), npartitions=2)
        with pytest.raises(ValueError, match="2 columns; pass one text column"):
            function(clf, two)
    with pytest.raises(TypeError, match=r"model must be a fitted skw2v.Word2VecVectorizer or "
                                        r"skw2v.Word2VecClassifier, got Pipeline\. For a "
                                        r"Pipeline, pass its skw2v step"):
        skw2v.dask.transform(Pipeline([("w2v", fitted)]), docs)
    with pytest.raises(TypeError, match=r"got Word2VecClassifier\. skw2v.dask.fit trains a "
                                        r"vectorizer only"):
        skw2v.dask.fit(Word2VecClassifier(), docs)
    holes = dd.from_pandas(pd.Series(["a b c", None, "d e"] * 4, dtype=object),
                           npartitions=2)
    with pytest.raises(TypeError,
                       match=r"Partition \d, document \d \(index label \d+\) is missing"):
        skw2v.dask.predict(clf, holes).compute()


# ------------------------------------------------------------------ fit
def _assert_same_fit(model, expected):
    assert model.vocabulary_ == expected.vocabulary_
    assert model.wv_.index_to_word == expected.wv_.index_to_word
    np.testing.assert_array_equal(model.wv_.counts, expected.wv_.counts)
    np.testing.assert_array_equal(model.wv_.vectors, expected.wv_.vectors)
    np.testing.assert_array_equal(model.idf_, expected.idf_)
    assert model.loss_history_ == expected.loss_history_
    assert model.corpus_document_count_ == expected.corpus_document_count_
    assert model.corpus_token_count_ == expected.corpus_token_count_


@pytest.mark.parametrize("npartitions", [1, 5])
@pytest.mark.parametrize("architecture", ["skipgram", "cbow"])
def test_fit_equals_in_memory_fit(monkeypatch, documents, params, npartitions,
                                  architecture):
    # Small chunks, so that chunk boundaries fall inside partitions and across them: the
    # engine seeds each (epoch, chunk), so equal vectors need equal chunking too.
    monkeypatch.setattr(skw2v._corpus, "CHUNK_TOKENS", 2_000)
    params = {**params, "architecture": architecture}
    expected = Word2VecVectorizer(**params).fit(documents)
    model = skw2v.dask.fit(Word2VecVectorizer(**params), _series(documents, npartitions))
    _assert_same_fit(model, expected)
    assert not hasattr(model, "feature_names_in_")


@pytest.mark.parametrize("pooling", ["mean", "sif"])
def test_fit_subwords_equals_in_memory_fit(documents, params, pooling):
    # Subword vectors go through the same steps: same n-gram rows, and transform pools the
    # unseen tokens from their n-grams on every partition as in memory.
    params = {**params, "char_ngram_range": (3, 5), "n_buckets": 5_000, "pooling": pooling}
    expected = Word2VecVectorizer(**params).fit(documents)
    model = skw2v.dask.fit(Word2VecVectorizer(**params), _series(documents, 3))
    _assert_same_fit(model, expected)
    np.testing.assert_array_equal(model.wv_.vectors_ngrams, expected.wv_.vectors_ngrams)
    np.testing.assert_array_equal(model.wv_.ngram_buckets, expected.wv_.ngram_buckets)
    unseen = ["zebrafish walkingly", "documentss"]
    assert all(word not in model.wv_ for doc in unseen for word in doc.split())
    rows = skw2v.dask.transform(model, _series(unseen, 2)).compute()
    # The unseen tokens of a batch are pooled as extra columns: other batches, other order.
    # SIF subtracts a float32 projection computed on unit-scale values, so a different order
    # of the same sums moves a result by one float32 rounding of 1.0 (1.2e-7) at most.
    np.testing.assert_allclose(np.asarray(rows), expected.transform(unseen), rtol=1e-5,
                               atol=3e-7)
    assert np.abs(np.asarray(rows)).sum(axis=1).min() > 0  # the unseen words were pooled


def test_fit_bag_of_token_lists_with_hs_and_sif(documents, params):
    # Tie order: many words share a count, so the vocabulary order checks that ties keep
    # their first appearance across partitions (the order of ties depends on it).
    token_lists = [doc.lower().split() for doc in documents]
    params = {**params, "analyzer": "pretokenized", "hs": True, "negative": 0,
              "pooling": "sif", "min_count": 1}
    expected = Word2VecVectorizer(**params).fit(token_lists)
    model = skw2v.dask.fit(Word2VecVectorizer(**params),
                           db.from_sequence(token_lists, npartitions=6))
    _assert_same_fit(model, expected)
    np.testing.assert_array_equal(model.sif_component_, expected.sif_component_)
    counts = model.wv_.counts
    assert np.any(counts[1:] == counts[:-1])  # ties exist, so the order test has teeth


def test_fit_numpy_token_arrays_and_a_generator_analyzer(params):
    # np.str_ tokens become plain str words; an analyzer may return any iterable.
    sessions = [np.array(["i1", "i2", "i3"]), np.array(["i2", "i3", "i4"])] * 20
    params = {**params, "analyzer": "pretokenized", "min_count": 1}
    expected = Word2VecVectorizer(**params).fit(sessions)
    model = skw2v.dask.fit(Word2VecVectorizer(**params),
                           db.from_sequence(sessions, npartitions=3))
    _assert_same_fit(model, expected)
    assert all(type(word) is str for word in model.wv_.index_to_word)
    texts = ["a b c", "b c d"] * 20
    params = {**params, "analyzer": _generator_analyzer}
    expected = Word2VecVectorizer(**params).fit(texts)
    model = skw2v.dask.fit(Word2VecVectorizer(**params), _series(texts, 2))
    _assert_same_fit(model, expected)


def _generator_analyzer(text):
    return (token for token in text.split())


def test_fit_with_pretrained_init(documents, params):
    rng = np.random.default_rng(0)
    words = ["the", "of", "zebra", "quokka"]
    init = WordVectors(words, rng.normal(size=(4, 16)).astype(np.float32))
    params = {**params, "init": init, "init_vocabulary": "union"}
    expected = Word2VecVectorizer(**params).fit(documents)
    model = skw2v.dask.fit(Word2VecVectorizer(**params), _series(documents, 3))
    _assert_same_fit(model, expected)
    assert {"zebra", "quokka"} <= set(model.vocabulary_)


def test_fit_one_column_frame_sets_feature_names(documents, params):
    frame = dd.from_pandas(pd.DataFrame({"text": documents}), npartitions=2)
    model = skw2v.dask.fit(Word2VecVectorizer(**params), frame)
    assert list(model.feature_names_in_) == ["text"]
    assert model.transform(pd.DataFrame({"text": documents[:3]})).shape == (3, 16)


def test_fit_streams_partitions_in_order_one_at_a_time(monkeypatch, documents, params):
    batches = []
    original = skw2v._corpus.EncodedCorpus.from_encoded.__func__

    def recording(cls, encoded, n_ids, chunk_tokens=None):
        def watch():
            for ids, lengths in encoded:
                batches.append(len(lengths))
                yield ids, lengths
                del ids, lengths
        return original(cls, watch(), n_ids, chunk_tokens)

    monkeypatch.setattr(skw2v._corpus.EncodedCorpus, "from_encoded", classmethod(recording))
    docs = _series(documents, 4)
    skw2v.dask.fit(Word2VecVectorizer(**params), docs)
    assert batches == [len(part) for part in docs.to_delayed() for part in [part.compute()]]


def test_fit_on_a_cluster_equals_in_memory_fit(client, documents, params):
    expected = Word2VecVectorizer(**params).fit(documents)
    model = skw2v.dask.fit(Word2VecVectorizer(**params), _series(documents, 4))
    _assert_same_fit(model, expected)


# ------------------------------------------------------------------ errors
def test_errors(fitted, documents, params):
    with pytest.raises(TypeError, match="dask Series.*call the estimator's own method"):
        skw2v.dask.fit(Word2VecVectorizer(**params), documents)
    with pytest.raises(TypeError, match="model must be a fitted skw2v.Word2VecVectorizer or "
                                        "skw2v.Word2VecClassifier, got object"):
        skw2v.dask.transform(object(), _series(documents, 2))
    two = dd.from_pandas(pd.DataFrame({"a": documents, "b": documents}), npartitions=2)
    with pytest.raises(ValueError, match="2 columns; pass one text column"):
        skw2v.dask.transform(fitted, two)
    with pytest.raises(NotFittedError):
        skw2v.dask.transform(Word2VecVectorizer(), _series(documents, 2))
    holes = dd.from_pandas(pd.Series(["a b c", None, "d e"] * 4, dtype=object),
                           npartitions=2)
    with pytest.raises(TypeError,
                       match=r"Partition \d, document \d \(index label \d+\) is missing"):
        skw2v.dask.fit(Word2VecVectorizer(**params), holes)
    item_ids = db.from_sequence([["a", "b"], [1, 2]], npartitions=2)
    with pytest.raises(TypeError,
                       match=r"Partition 1, document \d: the token int 1 is not a str.*str\(\)"):
        skw2v.dask.fit(Word2VecVectorizer(**params, analyzer="pretokenized"), item_ids)
    with pytest.raises(ValueError, match="min_count=100000 removes every word"):
        skw2v.dask.fit(Word2VecVectorizer(**{**params, "min_count": 100_000}),
                       _series(documents, 2))
    from sklearn.utils._param_validation import InvalidParameterError

    with pytest.raises(InvalidParameterError, match="window"):
        skw2v.dask.fit(Word2VecVectorizer(window=0), _series(documents, 2))


# ------------------------------------------------------------------ joblib backend
def _labelled(documents):
    # Two topics of the Lee corpus: documents that mention "police" vs the others.
    labels = np.array(["police" in doc.lower() for doc in documents], dtype=int)
    return documents, labels


def test_grid_search_on_the_dask_backend_picks_the_same_params(client, documents, params):
    X, y = _labelled(documents)
    pipe = Pipeline([("w2v", Word2VecVectorizer(**{**params, "n_jobs": None})),
                     ("clf", LogisticRegression(max_iter=500))])
    grid = {"w2v__window": [2, 5], "w2v__pooling": ["mean", "idf"]}
    local = GridSearchCV(pipe, grid, cv=2, n_jobs=1).fit(X, y)
    with joblib.parallel_config("dask"):
        remote = GridSearchCV(pipe, grid, cv=2, n_jobs=-1).fit(X, y)
    assert remote.best_params_ == local.best_params_
    np.testing.assert_array_equal(remote.cv_results_["mean_test_score"],
                                  local.cv_results_["mean_test_score"])
    # The fits really ran on the workers.
    assert any(client.run(lambda: "skw2v" in __import__("sys").modules).values())


def test_n_jobs_none_uses_one_thread_in_a_dask_task(client):
    def threads():
        from skw2v import Word2VecVectorizer

        return Word2VecVectorizer()._n_threads(), Word2VecVectorizer(n_jobs=2)._n_threads()

    assert client.submit(threads, pure=False).result() == (1, 2)
