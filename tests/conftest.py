"""Fixtures shared by the test modules: small corpora and the Lee background corpus."""

import os
import shutil
import sys

import numpy as np
import pytest

#: Settings for tiny corpora: every word kept, fast, deterministic.
FAST = {"vector_size": 16, "min_count": 1, "epochs": 3, "n_jobs": 1, "random_state": 0}


def _zipf_documents(seed, n_documents=120, n_words=40, length=(5, 25)):
    """Documents of ``w0 .. w{n_words-1}`` with Zipf-like frequencies (``w0`` most frequent)."""
    rng = np.random.default_rng(seed)
    weights = 1.0 / np.arange(1, n_words + 1)
    weights /= weights.sum()
    documents = []
    for _ in range(n_documents):
        ids = rng.choice(n_words, size=rng.integers(*length), p=weights)
        documents.append(" ".join(f"w{i}" for i in ids))
    return documents


@pytest.fixture(scope="session")
def fast_params():
    """Estimator settings for the tiny corpora (a fresh dict per test module)."""
    return dict(FAST)


@pytest.fixture(scope="session")
def toy_documents():
    """About 1,800 tokens over 40 words, as raw strings; the same on every call."""
    return _zipf_documents(seed=20240601)


@pytest.fixture(scope="session")
def other_documents():
    """A second small corpus whose words ``v0 ..`` are disjoint from ``toy_documents``."""
    return [doc.replace("w", "v") for doc in _zipf_documents(seed=7, n_documents=60)]


@pytest.fixture(scope="session")
def lee_path():
    """Path of gensim's ``lee_background.cor`` (300 news articles, one per line)."""
    gensim = pytest.importorskip("gensim")
    path = os.path.join(os.path.dirname(gensim.__file__), "test", "test_data",
                        "lee_background.cor")
    if not os.path.exists(path):
        pytest.skip("gensim's test data is not installed")
    return path


@pytest.fixture(scope="session")
def lee_documents(lee_path):
    with open(lee_path, encoding="utf-8") as handle:
        return handle.read().splitlines()


@pytest.fixture(scope="session")
def spark():
    """One local Spark session for the whole test run (starting the JVM takes ~10 s)."""
    SparkSession = pytest.importorskip("pyspark.sql").SparkSession
    if shutil.which("java") is None and not os.environ.get("JAVA_HOME"):
        pytest.skip("Spark needs Java: no java on PATH and no JAVA_HOME")
    with pytest.MonkeyPatch.context() as patch:
        # Spark's Python workers would otherwise start the system Python, without skw2v.
        patch.setenv("PYSPARK_PYTHON", sys.executable)
        patch.setenv("PYSPARK_DRIVER_PYTHON", sys.executable)
        session = (SparkSession.builder.master("local[2]").appName("skw2v-tests")
                   .config("spark.ui.enabled", "false")
                   .config("spark.ui.showConsoleProgress", "false")
                   .config("spark.driver.host", "127.0.0.1")
                   .config("spark.driver.bindAddress", "127.0.0.1")
                   .config("spark.sql.shuffle.partitions", "4")
                   # A short-lived JVM: quick JIT only and one GC thread save a third of
                   # its CPU time on two cores (results do not depend on them).
                   .config("spark.driver.extraJavaOptions",
                           "-XX:TieredStopAtLevel=1 -XX:+UseSerialGC")
                   .getOrCreate())
        session.sparkContext.setLogLevel("ERROR")
        yield session
        session.stop()


@pytest.fixture(scope="session")
def snippets():
    """200 Rotten Tomatoes snippets and their 0/1 labels (1: fresh), for small classifiers."""
    from skw2v.datasets import fetch_rotten_tomatoes

    try:
        data = fetch_rotten_tomatoes()
    except OSError as error:  # pragma: no cover - offline without the cached file
        pytest.skip(f"Rotten Tomatoes is not available: {error}")
    return list(data.data[:200]), np.asarray(data.target[:200])


@pytest.fixture(scope="session")
def classifiers(snippets):
    """Small fitted classifiers on ``snippets``: str labels, int labels, and multi-label
    (loss="ova"; columns fresh, rotten, mentions a film or movie)."""
    from skw2v import Word2VecClassifier

    X, y = snippets
    params = {"epochs": 5, "n_jobs": 1, "random_state": 0}
    mentions = np.array([("film" in text.lower()) or ("movie" in text.lower()) for text in X])
    indicator = np.column_stack([y, 1 - y, mentions]).astype(np.int64)
    return {
        "str": Word2VecClassifier(**params).fit(X, np.where(y == 1, "fresh", "rotten")),
        "int": Word2VecClassifier(**params).fit(X, y),
        "multilabel": Word2VecClassifier(**params, loss="ova").fit(X, indicator),
    }
