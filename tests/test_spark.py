"""skw2v.spark on a local Spark session: MLlib training, counts on Spark, transform and predict
on executors.

Expectations are independent of the code under test: the in-memory estimator for the
vocabulary, counts and idf; MLlib itself (``getVectors``) for the vectors; NumPy for the SIF
component and the nearest neighbours; ``transform`` in memory for every row pooled on Spark,
and the in-memory classifier's ``predict``, ``predict_proba`` and ``transform`` for every row
it classifies on Spark.
"""

import pickle
import subprocess
import sys

import numpy as np
import pytest
from pyspark.errors import PythonException
from pyspark.ml.feature import Word2Vec
from sklearn.base import clone
from sklearn.exceptions import NotFittedError
from sklearn.feature_extraction.text import CountVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import Pipeline

import skw2v.spark
from skw2v import Word2VecClassifier, Word2VecVectorizer, WordVectors
from skw2v.spark import from_spark, train_on_spark
from skw2v.spark import transform as spark_transform

pytestmark = [
    pytest.mark.spark,
    # pyspark 4.3 warns on every pandas UDF and Arrow conversion that it does not fully
    # support pandas 3, and calls astype(copy=False), which pandas 3 deprecates (with
    # pandas.errors.Pandas4Warning, a DeprecationWarning that pandas 2 does not define). pytest
    # resets warning filters around each test, so the filter is a module mark, not a fixture
    # call.
    pytest.mark.filterwarnings("ignore:PySpark does not yet fully support pandas:FutureWarning"),
    pytest.mark.filterwarnings("ignore:The copy keyword is deprecated:DeprecationWarning"),
]

#: MLlib settings for the Lee corpus: small and fast; window 3 and min_count 3 differ from the
#: defaults so that a wrong parameter mapping shows.
LEE = {"vector_size": 16, "window": 3, "min_count": 3, "epochs": 1, "alpha": 0.03,
       "random_state": 7}


def _frame(spark, column, documents, schema, n_partitions):
    """``(id, column)`` rows in document order, split into ``n_partitions`` partitions."""
    rows = spark.sparkContext.parallelize(list(enumerate(documents)), n_partitions)
    return spark.createDataFrame(rows, f"id long, {column} {schema}")


def _rows_by_id(frame, column):
    return {row["id"]: np.asarray(row[column], dtype=np.float32)
            for row in frame.select("id", column).collect()}


@pytest.fixture(scope="module")
def lee_frame(spark, lee_documents):
    # Three partitions, so that first appearances cross partition boundaries.
    return _frame(spark, "text", lee_documents, "string", 3)


@pytest.fixture(scope="module")
def lee_model(lee_frame):
    # pooling="sif" needs every statistic: counts, idf_ (always learned) and the component.
    return train_on_spark(lee_frame, "text", pooling="sif", **LEE)


@pytest.fixture(scope="module")
def lee_in_memory(lee_documents):
    params = {"min_count": LEE["min_count"], "vector_size": 8, "epochs": 1, "n_jobs": 1}
    return Word2VecVectorizer(random_state=0, **params).fit(lee_documents)


@pytest.fixture(scope="module")
def mllib_lee_model(spark, lee_documents):
    """MLlib's Word2Vec trained directly, on documents tokenized by scikit-learn."""
    analyzer = CountVectorizer().build_analyzer()
    tokens = _frame(spark, "tokens", [analyzer(doc) for doc in lee_documents],
                    "array<string>", 3)
    word2vec = Word2Vec(vectorSize=LEE["vector_size"], windowSize=LEE["window"],
                        minCount=LEE["min_count"], maxIter=LEE["epochs"], stepSize=LEE["alpha"],
                        seed=LEE["random_state"], inputCol="tokens")
    return word2vec.fit(tokens.select("tokens"))


def _mllib_vectors(model):
    return {row["word"]: row["vector"].toArray() for row in model.getVectors().collect()}


def test_import_error_names_the_extra():
    code = "import sys; sys.modules['pyspark'] = None; import skw2v.spark"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 1
    assert 'ImportError: skw2v.spark needs pyspark and pyarrow' in result.stderr
    assert 'pip install "skw2v[spark]"' in result.stderr


# from_spark


def test_from_spark_equals_get_vectors(mllib_lee_model):
    rows = mllib_lee_model.getVectors().collect()
    wv = from_spark(mllib_lee_model)
    assert wv.index_to_word == [row["word"] for row in rows]
    assert wv.vectors.dtype == np.float32 and wv.vectors.flags.c_contiguous
    assert wv.counts is None
    # MLlib trains in float32 and widens to float64 in getVectors: the values are exact.
    expected = np.array([row["vector"].toArray() for row in rows])
    np.testing.assert_array_equal(wv.vectors.astype(np.float64), expected)


def test_from_spark_rejects_other_objects():
    with pytest.raises(TypeError, match="unfitted estimator: fit it first"):
        from_spark(Word2Vec())
    with pytest.raises(TypeError, match="fitted pyspark.ml.feature.Word2VecModel, got dict"):
        from_spark({})


# train_on_spark


def test_vocabulary_counts_and_idf_equal_in_memory_fit(lee_frame, lee_model, lee_in_memory):
    assert lee_frame.rdd.getNumPartitions() == 3
    counts = lee_in_memory.wv_.counts
    assert np.any(np.diff(counts) == 0), "ties in count make the order test meaningful"
    # Same words in the same order: descending count, ties by first appearance (last first).
    assert lee_model.wv_.index_to_word == lee_in_memory.wv_.index_to_word
    assert list(lee_model.vocabulary_.items()) == list(lee_in_memory.vocabulary_.items())
    np.testing.assert_array_equal(lee_model.wv_.counts, counts)
    assert lee_model.wv_.counts.dtype == np.int64
    np.testing.assert_array_equal(lee_model.idf_, lee_in_memory.idf_)
    assert lee_model.corpus_document_count_ == lee_in_memory.corpus_document_count_ == 300
    assert lee_model.corpus_token_count_ == lee_in_memory.corpus_token_count_


def test_vectors_are_mllib_vectors(lee_model, mllib_lee_model):
    expected = _mllib_vectors(mllib_lee_model)
    assert set(expected) == set(lee_model.wv_.index_to_word)
    assert lee_model.wv_.vectors.dtype == np.float32
    assert lee_model.wv_.vectors.shape == (len(expected), LEE["vector_size"])
    for row, word in enumerate(lee_model.wv_.index_to_word):
        np.testing.assert_array_equal(lee_model.wv_.vectors[row], expected[word], err_msg=word)


def test_estimator_describes_what_mllib_trained(lee_model):
    params = lee_model.get_params()
    assert params["architecture"] == "skipgram"
    assert params["negative"] == 0 and params["hs"] is True and params["sample"] == 0.0
    assert params["min_alpha"] == pytest.approx(LEE["alpha"] * 1e-4)
    for name in ("vector_size", "window", "min_count", "epochs", "alpha", "random_state"):
        assert params[name] == LEE[name], name
    assert params["pooling"] == "sif" and params["norm"] is None
    assert lee_model.loss_history_ == []
    assert not hasattr(lee_model, "n_features_in_")
    assert not hasattr(lee_model, "feature_names_in_")
    # A clone is a valid in-memory estimator of the same model family.
    clone(lee_model)._validate_params()


def test_fitted_model_in_frozen_pipeline(lee_model, lee_documents):
    # sklearn.frozen is new in scikit-learn 1.6; the minimum-versions run skips this test.
    FrozenEstimator = pytest.importorskip("sklearn.frozen").FrozenEstimator
    analyzer = CountVectorizer().build_analyzer()
    y = np.array(["police" in analyzer(doc) for doc in lee_documents])
    X = lee_model.transform(lee_documents)
    pipe = Pipeline([("w2v", FrozenEstimator(lee_model)),
                     ("clf", LogisticRegression(max_iter=1000))]).fit(lee_documents, y)
    direct = LogisticRegression(max_iter=1000).fit(X, y)
    np.testing.assert_array_equal(pipe.predict(lee_documents), direct.predict(X))


def test_fitted_model_most_similar_and_pickle(lee_model, lee_documents):
    X = lee_model.transform(lee_documents)
    assert X.shape == (300, LEE["vector_size"]) and X.dtype == np.float32
    vectors = lee_model.wv_.vectors.astype(np.float64)
    unit = vectors / np.linalg.norm(vectors, axis=1, keepdims=True)
    query = lee_model.vocabulary_["police"]
    similarity = unit @ unit[query]
    similarity[query] = -np.inf
    top = np.argsort(-similarity)[:5]
    found = lee_model.most_similar("police", topn=5)
    assert [word for word, _ in found] == [lee_model.wv_.index_to_word[i] for i in top]
    np.testing.assert_allclose([score for _, score in found], similarity[top], rtol=1e-5)

    restored = pickle.loads(pickle.dumps(lee_model))
    assert restored.vocabulary_ == lee_model.vocabulary_
    np.testing.assert_array_equal(restored.transform(lee_documents), X)


@pytest.fixture(params=["arrow_udf", "pandas_udf"])
def udf_kind(request, monkeypatch):
    """Both UDF paths of transform: Arrow-native (pyspark >= 4.1) and the pandas fallback."""
    if request.param == "pandas_udf":
        monkeypatch.setattr(skw2v.spark, "_ARROW_UDF", None)
    elif skw2v.spark._ARROW_UDF is None:
        pytest.skip("this pyspark has no arrow_udf")
    return request.param


@pytest.mark.parametrize(("pooling", "norm"), [("sif", None), ("idf", "l2"), ("max", None)])
def test_transform_on_spark_equals_in_memory(spark, lee_model, lee_documents, pooling, norm,
                                             udf_kind):
    model = pickle.loads(pickle.dumps(lee_model)).set_params(pooling=pooling, norm=norm)
    documents = lee_documents[:60] + ["", "qqqq zzzz", "Police POLICE police"]
    frame = _frame(spark, "text", documents, "string", 3)
    out = spark_transform(model, frame, "text", output_col="vec")
    assert out.columns == ["id", "text", "vec"]
    assert out.schema["vec"].dataType.simpleString() == "array<float>"
    got = _rows_by_id(out, "vec")
    expected = model.transform(documents)
    assert sorted(got) == list(range(len(documents)))
    for i, row in got.items():
        np.testing.assert_allclose(row, expected[i], rtol=1e-5, atol=1e-6, err_msg=str(i))
    assert not got[60].any() and not got[61].any()  # empty, all unknown: zeros


def test_sif_component_equals_numpy(lee_model, lee_documents):
    # SIF weights a / (a + p(w)) and the weighted mean of each document, in NumPy.
    vectors = lee_model.wv_.vectors.astype(np.float64)
    counts = lee_model.wv_.counts
    weights = 1e-3 / (1e-3 + counts / counts.sum())
    analyzer = CountVectorizer().build_analyzer()
    pooled = np.zeros((len(lee_documents), vectors.shape[1]))
    for i, doc in enumerate(lee_documents):
        rows = [lee_model.vocabulary_[t] for t in analyzer(doc) if t in lee_model.vocabulary_]
        if rows:
            pooled[i] = weights[rows] @ vectors[rows] / weights[rows].sum()
    first = np.linalg.svd(pooled, full_matrices=False)[2][0]
    component = lee_model.sif_component_
    assert component.shape == (LEE["vector_size"],) and component.dtype == np.float32
    assert abs(float(first @ component)) == pytest.approx(1.0, abs=1e-4)
    removed = pooled - np.outer(pooled @ first, first)
    np.testing.assert_allclose(lee_model.transform(lee_documents), removed, rtol=1e-3,
                               atol=1e-4)


def test_pretokenized_array_column(spark, toy_documents):
    documents = [doc.split() for doc in toy_documents]
    frame = _frame(spark, "tokens", documents, "array<string>", 2)
    params = {"analyzer": "pretokenized", "vector_size": 8, "min_count": 2, "epochs": 1}
    # Parameters of modes MLlib does not train, and of the Numba engine, are kept.
    harmless = {"ns_exponent": 0.5, "cbow_mean": False, "n_jobs": 2, "min_alpha": 0.025e-4}
    model = train_on_spark(frame, "tokens", n_partitions=2, random_state=np.random.RandomState(0),
                           **params, **harmless)
    assert {name: model.get_params()[name] for name in harmless} == harmless
    in_memory = Word2VecVectorizer(n_jobs=1, random_state=0, **params).fit(documents)
    assert model.wv_.index_to_word == in_memory.wv_.index_to_word
    np.testing.assert_array_equal(model.wv_.counts, in_memory.wv_.counts)
    np.testing.assert_array_equal(model.idf_, in_memory.idf_)
    got = _rows_by_id(spark_transform(model, frame, "tokens"), "features")
    expected = model.transform(documents)
    for i, row in got.items():
        np.testing.assert_allclose(row, expected[i], rtol=1e-5, atol=1e-6, err_msg=str(i))


def test_transform_of_an_in_memory_fit_with_a_lambda_tokenizer(spark, toy_documents):
    # Broadcasts go through cloudpickle: a lambda tokenizer reaches the executors.
    model = Word2VecVectorizer(tokenizer=lambda text: text.upper().split(), vector_size=8,
                               min_count=1, epochs=1, n_jobs=1, random_state=0)
    model.fit(toy_documents)
    assert "W0" in model.vocabulary_
    frame = _frame(spark, "text", toy_documents[:50], "string", 2)
    got = _rows_by_id(spark_transform(model, frame, "text"), "features")
    expected = model.transform(toy_documents[:50])
    assert sorted(got) == list(range(50))
    for i, row in got.items():
        np.testing.assert_allclose(row, expected[i], rtol=1e-5, atol=1e-6, err_msg=str(i))


# Errors


@pytest.fixture(scope="module")
def tiny_frame(spark):
    return spark.createDataFrame([(0, "aa bb cc aa"), (1, "bb cc dd"), (2, "aa dd")],
                                 "id long, text string")


@pytest.mark.parametrize(("params", "message"), [
    ({"architecture": "cbow"}, r"architecture='cbow': MLlib's Word2Vec trains skip-gram only"),
    ({"negative": 5}, r"negative=5: .* Leave negative unset \(0\)"),
    ({"hs": False}, r"hs=False: .* Leave hs unset \(True\)"),
    ({"sample": 1e-3}, r"sample=0.001: MLlib's Word2Vec does not subsample"),
    ({"min_alpha": 0.001}, r"min_alpha=0.001: .* alpha \* 1e-4 \(here 2.5e-06\)"),
    ({"shrink_windows": False}, r"shrink_windows=False"),
    ({"max_vocab_size": 100}, r"max_vocab_size=100: .* Raise min_count instead"),
    ({"char_ngram_range": (3, 6)}, r"char_ngram_range=\(3, 6\): MLlib's Word2Vec has no subword"),
    ({"init": WordVectors(["a"], [[1.0]]), "vector_size": 1}, r"init: .* pretrained vectors"),
    ({"epochs": 0}, r"epochs=0: MLlib trains at least one epoch"),
])
def test_training_parameters_mllib_cannot_honour(tiny_frame, params, message):
    with pytest.raises(ValueError, match=message):
        train_on_spark(tiny_frame, "text", min_count=1, **params)


def test_all_unsupported_parameters_are_named_at_once(tiny_frame):
    with pytest.raises(ValueError, match=r"(?s)architecture='cbow'.*\n- negative=3"):
        train_on_spark(tiny_frame, "text", architecture="cbow", negative=3)


def test_parameter_names_and_values(tiny_frame):
    with pytest.raises(ValueError, match=r"'vectorSize'.* Use vector_size=8, skw2v's name"):
        train_on_spark(tiny_frame, "text", vectorSize=8)
    with pytest.raises(ValueError, match=r"Invalid parameter 'colour' for train_on_spark"):
        train_on_spark(tiny_frame, "text", colour="red")
    with pytest.raises(ValueError, match=r"The 'vector_size' parameter of Word2VecVectorizer"):
        train_on_spark(tiny_frame, "text", vector_size=0)
    with pytest.raises(ValueError, match=r"n_partitions must be an int >= 1.*got 0"):
        train_on_spark(tiny_frame, "text", n_partitions=0)


def test_column_errors(tiny_frame, lee_documents):
    with pytest.raises(ValueError, match=r"input_col='txt' is not a column.*\['id', 'text'\]"):
        train_on_spark(tiny_frame, "txt")
    with pytest.raises(TypeError, match=r"Column 'id' is bigint.*takes a string column"):
        train_on_spark(tiny_frame, "id")
    with pytest.raises(TypeError, match=r"analyzer='pretokenized' takes an array<string>"):
        train_on_spark(tiny_frame, "text", analyzer="pretokenized")
    with pytest.raises(TypeError, match=r"spark.createDataFrame\(frame\)"):
        train_on_spark(lee_documents, "text")


def test_transform_errors(tiny_frame, lee_model):
    with pytest.raises(NotFittedError):
        spark_transform(Word2VecVectorizer(), tiny_frame, "text")
    with pytest.raises(TypeError, match=r"model must be a fitted Word2VecVectorizer or "
                                        r"Word2VecClassifier, got Pipeline\. For a Pipeline"):
        spark_transform(Pipeline([("w2v", lee_model)]), tiny_frame, "text")
    with pytest.raises(ValueError, match=r"input_col='body' is not a column"):
        spark_transform(lee_model, tiny_frame, "body")
    with pytest.raises(ValueError, match=r"output_col='id' is already a column"):
        spark_transform(lee_model, tiny_frame, "text", output_col="id")
    changed = clone(lee_model).set_params(pooling="sif")
    changed.__dict__.update({k: v for k, v in vars(lee_model).items() if k.endswith("_")})
    with pytest.raises(ValueError, match=r"refit to learn the component"):
        spark_transform(changed, tiny_frame, "text")


def test_data_errors(spark, tiny_frame):
    with pytest.raises(ValueError, match=r"min_count=9 removes every word: the most frequent "
                                         r"word 'aa' occurs 3 times in 9 tokens"):
        train_on_spark(tiny_frame, "text", min_count=9)
    empty = spark.createDataFrame([], "id long, text string")
    with pytest.raises(ValueError, match=r"The corpus is empty"):
        train_on_spark(empty, "text", min_count=1)
    with_null = spark.createDataFrame([(0, "aa bb"), (1, None)], "id long, text string")
    with pytest.raises(PythonException, match=r"Column 'text' holds a null document.*dropna"):
        train_on_spark(with_null, "text", min_count=1)
    null_token = spark.createDataFrame([(0, ["aa", "bb"]), (1, ["aa", None])],
                                       "id long, tokens array<string>")
    with pytest.raises(PythonException, match=r"Column 'tokens': the token NoneType None is "
                                              r"not a str.*array_compact"):
        train_on_spark(null_token, "tokens", analyzer="pretokenized", min_count=1)


def test_transform_names_a_null_document(spark, lee_model, udf_kind):
    with_null = spark.createDataFrame([(0, "aa bb"), (1, None)], "id long, text string")
    with pytest.raises(PythonException, match=r"Column 'text' holds a null document.*dropna"):
        spark_transform(lee_model, with_null, "text").collect()


# Classifier


@pytest.fixture(scope="module")
def texts(snippets):
    # An empty document and one of unknown words: the embedding of "</s>" alone.
    return snippets[0] + ["", "qqqq zzzz"]


@pytest.fixture(scope="module")
def texts_frame(spark, texts):
    return _frame(spark, "text", texts, "string", 3)


def _values_by_id(frame, column):
    return {row["id"]: row[column] for row in frame.select("id", column).collect()}


@pytest.mark.parametrize(("labels", "spark_type"), [
    ("str", "string"), ("int", "bigint"), ("multilabel", "array<int>"),
])
def test_predict_and_predict_proba_on_spark_equal_in_memory(classifiers, texts, texts_frame,
                                                            labels, spark_type, udf_kind):
    clf = classifiers[labels]
    out = skw2v.spark.predict_proba(clf, skw2v.spark.predict(clf, texts_frame, "text"), "text")
    assert out.columns == ["id", "text", "prediction", "probability"]
    assert out.schema["prediction"].dataType.simpleString() == spark_type
    assert out.schema["probability"].dataType.simpleString() == "array<double>"
    rows = out.select("id", "prediction", "probability").collect()
    assert sorted(row["id"] for row in rows) == list(range(len(texts)))
    expected = clf.predict(texts)
    expected_proba = clf.predict_proba(texts)
    for row in rows:
        i = row["id"]
        if labels == "multilabel":
            assert row["prediction"] == expected[i].tolist(), i
        else:
            assert type(row["prediction"]) is type(expected[i].item())
            assert row["prediction"] == expected[i], i
        np.testing.assert_allclose(row["probability"], expected_proba[i], rtol=1e-12,
                                   err_msg=str(i))


def test_predict_float_labels_gives_a_double_column(spark, snippets):
    X, y = snippets
    clf = Word2VecClassifier(epochs=5, n_jobs=1, random_state=0).fit(X, y * 2.0 + 1.0)
    assert clf.classes_.tolist() == [1.0, 3.0]
    frame = _frame(spark, "text", X[:40], "string", 2)
    out = skw2v.spark.predict(clf, frame, "text", output_col="label")
    assert out.schema["label"].dataType.simpleString() == "double"
    got = _values_by_id(out, "label")
    assert [got[i] for i in range(40)] == clf.predict(X[:40]).tolist()


def test_transform_gives_the_classifier_embeddings(classifiers, texts, texts_frame, udf_kind):
    clf = classifiers["str"]
    out = spark_transform(clf, texts_frame, "text")
    assert out.schema["features"].dataType.simpleString() == "array<float>"
    got = _rows_by_id(out, "features")
    expected = clf.transform(texts)
    assert sorted(got) == list(range(len(texts)))
    for i, row in got.items():
        np.testing.assert_allclose(row, expected[i], rtol=1e-6, atol=1e-7, err_msg=str(i))


def test_predict_errors(classifiers, tiny_frame, lee_model):
    clf = classifiers["str"]
    for function in (skw2v.spark.predict, skw2v.spark.predict_proba):
        with pytest.raises(TypeError, match=r"classifier must be a fitted Word2VecClassifier, "
                                            r"got Word2VecVectorizer\. A vectorizer does not "
                                            r"classify: add its features with "
                                            r"skw2v.spark.transform"):
            function(lee_model, tiny_frame, "text")
        with pytest.raises(NotFittedError):
            function(Word2VecClassifier(), tiny_frame, "text")
        with pytest.raises(ValueError, match=r"input_col='body' is not a column.*\['id', "
                                             r"'text'\]"):
            function(clf, tiny_frame, "body")
        with pytest.raises(ValueError, match=r"output_col='id' is already a column.*"
                                             r"df.drop\('id'\)"):
            function(clf, tiny_frame, "text", output_col="id")
        with pytest.raises(TypeError, match=r"output_col must be a column name \(str\), got "
                                            r"int 3"):
            function(clf, tiny_frame, "text", output_col=3)
        with pytest.raises(TypeError, match=r"Column 'id' is bigint.*takes a string column"):
            function(clf, tiny_frame, "id")
        with pytest.raises(TypeError, match=r"spark.createDataFrame\(frame\)"):
            function(clf, ["aa bb"], "text")
    with pytest.raises(TypeError, match=r"classes_ are \|S1 \(\[b'a', b'b'\]...\), which "
                                        r"have no Spark column type\. Refit with labels"):
        skw2v.spark._label_output(np.array([b"a", b"b"]))


def test_predict_names_a_null_document(spark, classifiers, udf_kind):
    with_null = spark.createDataFrame([(0, "aa bb"), (1, None)], "id long, text string")
    with pytest.raises(PythonException, match=r"Column 'text' holds a null document.*dropna"):
        skw2v.spark.predict(classifiers["int"], with_null, "text").collect()
