"""Pooling weights learned over a corpus of many chunks, against plain computations.

``fit`` learns ``idf_`` and ``sif_component_`` from statistics computed chunk by chunk and
merged (``skw2v._pooler.PoolingStatistics``). With one chunk a merge bug is invisible, so every
fit here cuts the corpus into dozens of chunks (``DocumentSource(chunk_tokens=...)``).
"""

import numpy as np
import pytest
from sklearn.feature_extraction.text import TfidfVectorizer

from skw2v import Word2VecVectorizer, _driver, _sources, _trainers

#: About 1,800 tokens in chunks of >= 60: about 30 chunks.
CHUNK_TOKENS = 60

POOLINGS = ["mean", "sum", "idf", "sif", "max"]


def chunked_fit(documents, return_pooled=False, **params):
    model = Word2VecVectorizer(**params)
    rows = _driver.fit(model, _sources.DocumentSource(documents, chunk_tokens=CHUNK_TOKENS),
                       _trainers.for_estimator(model), return_pooled=return_pooled)
    return model, rows


@pytest.fixture(scope="module")
def documents(toy_documents):
    # Rare words (dropped by min_count=2) and an empty document among the chunks.
    return list(toy_documents) + ["w0 rareone w1", "", "raretwo w7 w7 w7"]


@pytest.fixture(scope="module")
def params(fast_params):
    return {**fast_params, "min_count": 2}


def test_the_corpus_is_read_in_many_chunks(monkeypatch, documents, params):
    corpora = []
    read_documents = _sources.read_documents

    def recording(*args, **kwargs):
        corpora.append(read_documents(*args, **kwargs))
        return corpora[-1]

    monkeypatch.setattr(_sources, "read_documents", recording)
    chunked_fit(documents, **params)
    assert len(corpora) == 1 and corpora[0].n_chunks >= 20


def test_idf_over_many_chunks_equals_scikit_learns(documents, params):
    model, _ = chunked_fit(documents, **params, pooling="idf")
    words = model.wv_.index_to_word
    tfidf = TfidfVectorizer(analyzer=model.build_analyzer(), vocabulary=words,
                            smooth_idf=True).fit(documents)
    np.testing.assert_allclose(model.idf_, tfidf.idf_, rtol=1e-6)
    # Plain: ln((1 + n) / (1 + df)) + 1 with df counted over all documents.
    analyzer = model.build_analyzer()
    df = np.array([sum(word in set(analyzer(d)) for d in documents) for word in words])
    n = len(documents)
    np.testing.assert_allclose(model.idf_, np.log((1 + n) / (1 + df)) + 1, rtol=1e-6)
    assert len(np.unique(df)) > 10  # the weights differ from word to word


def sif_pooled(model, documents):
    """SIF-weighted means of the training documents, row by row in float64."""
    analyzer = model.build_analyzer()
    counts = model.wv_.counts.astype(np.float64)
    weight = model.sif_smoothing / (model.sif_smoothing + counts / counts.sum())
    vectors = model.wv_.vectors.astype(np.float64)
    rows = np.zeros((len(documents), vectors.shape[1]))
    for i, document in enumerate(documents):
        known = [model.vocabulary_[t] for t in analyzer(document) if t in model.vocabulary_]
        if known:
            rows[i] = weight[known] @ vectors[known] / weight[known].sum()
    return rows


@pytest.mark.parametrize("smoothing", [1e-3, 1e-1])
def test_sif_component_over_many_chunks_is_the_top_singular_vector(documents, params,
                                                                   smoothing):
    model, _ = chunked_fit(documents, **params, pooling="sif", sif_smoothing=smoothing)
    rows = sif_pooled(model, documents)
    _, singular_values, vt = np.linalg.svd(rows, full_matrices=False)
    assert singular_values[0] > 1.2 * singular_values[1]  # a well-defined direction
    u = vt[0]
    component = model.sif_component_.astype(np.float64)
    np.testing.assert_allclose(component * np.sign(component @ u), u, atol=1e-4)


@pytest.mark.parametrize("norm", [None, "l2"])
@pytest.mark.parametrize("pooling", POOLINGS)
def test_fit_transform_over_many_chunks_equals_fit_then_transform(documents, params, pooling,
                                                                  norm):
    model, rows = chunked_fit(documents, return_pooled=True, **params, pooling=pooling,
                              norm=norm)
    assert rows.shape == (len(documents), params["vector_size"]) and rows.dtype == np.float32
    np.testing.assert_allclose(rows, model.transform(documents), rtol=1e-5, atol=1e-6)
    # Rows of documents in different chunks differ: each row is its own document's.
    assert len({row.tobytes() for row in rows}) > 0.9 * len(documents)
    if pooling == "mean" and norm is None:  # and against plain means of the word vectors
        analyzer = model.build_analyzer()
        vectors = model.wv_.vectors.astype(np.float64)
        for row, document in zip(rows, documents, strict=True):
            known = [model.vocabulary_[t] for t in analyzer(document)
                     if t in model.vocabulary_]
            expected = vectors[known].mean(axis=0) if known else np.zeros(vectors.shape[1])
            np.testing.assert_allclose(row, expected, rtol=1e-5, atol=1e-6)
