"""Converting gensim's KeyedVectors, FastTextKeyedVectors and trained models; gensim is the
oracle: the converted vectors answer as gensim does, unseen words included."""

import pickle
import sys

import numpy as np
import pytest
from sklearn.base import clone
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import make_pipeline

from skw2v import Word2VecVectorizer, WordVectors

gensim_models = pytest.importorskip("gensim.models")
KeyedVectors = gensim_models.KeyedVectors

UNSEEN = ["governmentality", "xyzzy", "naïve", "北京市", "a", "policewomen", "ab", "zzzzzzzzzz",
          "Government", "café-au-lait"]


@pytest.fixture(scope="module")
def sentences(lee_documents):
    from gensim.utils import simple_preprocess

    return [simple_preprocess(line) for line in lee_documents]


@pytest.fixture(scope="module")
def w2v(sentences):
    return gensim_models.Word2Vec(sentences, vector_size=16, min_count=3, epochs=2, sg=1,
                                  hs=1, negative=0, window=4, sample=1e-4, alpha=0.03,
                                  min_alpha=0.001, ns_exponent=0.5, seed=3, workers=1)


@pytest.fixture(scope="module")
def fasttext(sentences):
    return gensim_models.FastText(sentences, vector_size=16, min_count=3, epochs=2,
                                  bucket=5000, min_n=2, max_n=5, cbow_mean=0, seed=0,
                                  workers=1)


def small_kv(dtype=np.float32):
    kv = KeyedVectors(4, dtype=dtype)
    rng = np.random.default_rng(0)
    kv.add_vectors([f"w{i}" for i in range(30)], rng.normal(size=(30, 4)).astype(dtype))
    for i in range(30):
        kv.set_vecattr(f"w{i}", "count", 100 - i)
    return kv


# ------------------------------------------------------------------ KeyedVectors
def test_keyed_vectors_are_shared_not_copied_and_answer_as_gensim(w2v):
    kv = w2v.wv
    wv = WordVectors.from_gensim(kv)
    assert wv.index_to_word == kv.index_to_key
    assert np.shares_memory(wv.vectors, kv.vectors)
    assert not wv.vectors.flags.writeable and kv.vectors.flags.writeable
    np.testing.assert_array_equal(wv.counts,
                                  [kv.get_vecattr(w, "count") for w in kv.index_to_key])
    for word in ["police", "government", "australia"]:
        got, expected = wv.most_similar(word, topn=5), kv.most_similar(word, topn=5)
        assert [w for w, _ in got] == [w for w, _ in expected]
        np.testing.assert_allclose([s for _, s in got], [s for _, s in expected], atol=1e-5)


def test_a_deep_copy_does_not_share_gensims_writable_arrays(w2v):
    import copy

    wv = WordVectors.from_gensim(w2v.wv)
    copied = copy.deepcopy(wv)
    assert not np.shares_memory(copied.vectors, w2v.wv.vectors)
    np.testing.assert_array_equal(copied.vectors, w2v.wv.vectors)


def test_float64_keyed_vectors_are_converted_once():
    kv = small_kv(np.float64)
    wv = WordVectors.from_gensim(kv)
    assert wv.vectors.dtype == np.float32 and not np.shares_memory(wv.vectors, kv.vectors)
    np.testing.assert_array_equal(wv.vectors, kv.vectors.astype(np.float32))
    assert wv.counts.tolist() == list(range(100, 70, -1))


def test_keyed_vectors_without_counts_give_none():
    kv = KeyedVectors(2)
    kv.vectors = np.eye(2, dtype=np.float32)
    kv.index_to_key, kv.key_to_index = ["a", "b"], {"a": 0, "b": 1}
    assert WordVectors.from_gensim(kv).counts is None


def test_mmapped_gensim_vectors_stay_mapped(tmp_path):
    kv = small_kv()
    kv.vectors = np.random.default_rng(1).normal(size=(30, 4)).astype(np.float32)
    path = str(tmp_path / "kv.model")
    kv.save(path, sep_limit=0)  # every array in its own .npy file
    mapped = KeyedVectors.load(path, mmap="r")
    wv = WordVectors.from_gensim(mapped)
    assert np.shares_memory(wv.vectors, mapped.vectors)
    assert isinstance(mapped.vectors, np.memmap)
    np.testing.assert_array_equal(wv.vectors, kv.vectors)


def test_to_gensim_shares_and_round_trips(w2v):
    wv = WordVectors.from_gensim(w2v.wv)
    kv = wv.to_gensim()
    assert type(kv) is KeyedVectors
    assert kv.index_to_key == wv.index_to_word and np.shares_memory(kv.vectors, wv.vectors)
    assert kv.get_vecattr("police", "count") == w2v.wv.get_vecattr("police", "count")
    assert kv.most_similar("police", topn=3) == w2v.wv.most_similar("police", topn=3)
    again = WordVectors.from_gensim(kv)
    assert np.shares_memory(again.vectors, w2v.wv.vectors)
    # gensim cannot write through the shared read-only array.
    with pytest.raises(ValueError, match="read-only"):
        kv.vectors[0] = 0


def test_to_gensim_without_counts_and_pickled_copy_work():
    wv = WordVectors(["a", "b", "c"], [[1, 0], [0.9, 0.1], [0, 1]])
    kv = pickle.loads(pickle.dumps(wv.to_gensim()))
    assert "count" not in kv.expandos
    assert kv.most_similar("a", topn=1)[0][0] == "b"


# ------------------------------------------------------------------ FastTextKeyedVectors
def test_fasttext_vectors_equal_gensims_for_known_and_unseen_words(fasttext):
    kv = fasttext.wv
    wv = WordVectors.from_gensim(kv)
    assert (wv.char_ngram_range, wv.n_buckets, wv.ngram_buckets) == ((2, 5), 5000, None)
    assert np.shares_memory(wv.vectors_ngrams, kv.vectors_ngrams)
    assert np.shares_memory(wv.vectors_vocab, kv.vectors_vocab)
    np.testing.assert_allclose(wv.vectors, kv.vectors, rtol=0, atol=2e-6)
    for word in UNSEEN:
        assert word not in wv
        np.testing.assert_allclose(wv[word], kv[word], rtol=0, atol=1e-6, err_msg=word)
    got = wv.most_similar("policewomen", topn=5)
    expected = kv.most_similar("policewomen", topn=5)
    assert [w for w, _ in got] == [w for w, _ in expected]


def test_skw2v_subword_model_to_gensim_gives_the_same_vectors(toy_documents, fast_params):
    model = Word2VecVectorizer(**fast_params, char_ngram_range=(3, 5), n_buckets=4000)
    wv = model.fit(toy_documents).wv_
    assert wv.ngram_buckets is not None  # only the buckets the vocabulary reaches
    kv = wv.to_gensim()
    assert type(kv) is gensim_models.fasttext.FastTextKeyedVectors
    assert (kv.min_n, kv.max_n, kv.bucket) == (3, 5, 4000)
    for word in ["w1", "w12", "w123", "zz", "unseen"]:
        np.testing.assert_allclose(kv[word], wv[word], rtol=0, atol=1e-6, err_msg=word)
    back = WordVectors.from_gensim(kv)
    np.testing.assert_allclose(back["w1234"], wv["w1234"], rtol=0, atol=1e-6)


def test_fasttext_without_ngrams_gives_plain_vectors(sentences):
    model = gensim_models.FastText(sentences[:50], vector_size=8, min_count=2, epochs=1,
                                   max_n=0, seed=0, workers=1)
    wv = WordVectors.from_gensim(model.wv)
    assert wv.char_ngram_range is None
    np.testing.assert_array_equal(wv.vectors, model.wv.vectors)


# ------------------------------------------------------------------ errors
def test_errors_name_what_to_pass(w2v):
    with pytest.raises(TypeError, match=r"got Word2Vec\. Pass model\.wv\."):
        WordVectors.from_gensim(w2v)
    with pytest.raises(TypeError, match="got ndarray"):
        WordVectors.from_gensim(np.zeros((2, 2)))
    int_keys = KeyedVectors(2)
    int_keys.add_vectors([7, 8], np.eye(2, dtype=np.float32))
    with pytest.raises(TypeError, match=r"The gensim key 7 \(row 0\) is int"):
        WordVectors.from_gensim(int_keys)
    kv = small_kv()
    kv.vectors[3, 1] = np.nan
    with pytest.raises(ValueError, match="'w3'.*NaN"):
        WordVectors.from_gensim(kv)
    with pytest.raises(TypeError, match="Doc2Vec"):
        Word2VecVectorizer.from_gensim(gensim_models.Doc2Vec(vector_size=4))
    with pytest.raises(TypeError, match="WordVectors.from_gensim"):
        Word2VecVectorizer.from_gensim(w2v.wv)
    with pytest.raises(ValueError, match="empty vocabulary"):
        Word2VecVectorizer.from_gensim(gensim_models.Word2Vec(vector_size=4))


def test_missing_gensim_is_a_clear_import_error(monkeypatch):
    wv = WordVectors(["a"], [[1.0]])
    monkeypatch.setitem(sys.modules, "gensim", None)
    monkeypatch.setitem(sys.modules, "gensim.models", None)
    with pytest.raises(ImportError, match="pip install gensim"):
        wv.to_gensim()
    with pytest.raises(ImportError, match="pip install gensim"):
        WordVectors.from_gensim(object())


# ------------------------------------------------------------------ Word2VecVectorizer
def fitted_attributes(estimator):
    return sorted(name for name in vars(estimator) if name.endswith("_")
                  and not name.startswith("_"))


def test_estimator_parameters_mirror_the_model(w2v, fasttext):
    est = Word2VecVectorizer.from_gensim(w2v)
    expected = dict(vector_size=16, window=4, min_count=3, architecture="skipgram", hs=True,
                    negative=0, sample=1e-4, alpha=0.03, min_alpha=0.001, ns_exponent=0.5,
                    epochs=2, cbow_mean=True, shrink_windows=True, random_state=3,
                    char_ngram_range=None, max_vocab_size=None)
    assert {name: est.get_params()[name] for name in expected} == expected
    ft = Word2VecVectorizer.from_gensim(fasttext)
    assert (ft.architecture, ft.char_ngram_range, ft.n_buckets, ft.cbow_mean, ft.hs,
            ft.negative) == ("cbow", (2, 5), 5000, False, False, 5)


def test_fitted_attributes_are_those_of_fit(w2v, sentences):
    est = Word2VecVectorizer.from_gensim(w2v, analyzer="pretokenized")
    reference = Word2VecVectorizer(analyzer="pretokenized", vector_size=16, min_count=3,
                                   epochs=1, n_jobs=1, random_state=0).fit(sentences[:50])
    assert fitted_attributes(est) == fitted_attributes(reference)
    assert est.vocabulary_ == w2v.wv.key_to_index
    assert np.shares_memory(est.wv_.vectors, w2v.wv.vectors)
    assert est.loss_history_ == [] and est.idf_ is None and est.sif_component_ is None
    assert (est.corpus_document_count_, est.corpus_token_count_) == (
        w2v.corpus_count, w2v.corpus_total_words)


def test_transform_and_queries_use_gensims_vectors(w2v):
    est = Word2VecVectorizer.from_gensim(w2v, analyzer="pretokenized")
    doc = ["police", "said", "unknownword", "police"]
    expected = np.mean([w2v.wv[w] for w in doc if w in w2v.wv], axis=0)
    np.testing.assert_allclose(est.transform([doc])[0], expected, rtol=1e-5, atol=1e-7)
    assert [w for w, _ in est.most_similar("police", topn=5)] == [
        w for w, _ in w2v.wv.most_similar("police", topn=5)]


def test_fasttext_estimator_pools_unseen_words_with_gensims_vectors(fasttext):
    est = Word2VecVectorizer.from_gensim(fasttext, analyzer="pretokenized")
    np.testing.assert_allclose(est.transform([["governmentality"]])[0],
                               fasttext.wv["governmentality"], rtol=0, atol=1e-6)


def test_documents_give_the_pooling_weights_of_fit(w2v, sentences):
    docs = sentences[:40]
    est = Word2VecVectorizer.from_gensim(w2v, docs, analyzer="pretokenized", pooling="idf")
    index = w2v.wv.key_to_index
    df = np.zeros(len(index))
    for doc in docs:
        for word in {w for w in doc if w in index}:
            df[index[word]] += 1
    np.testing.assert_allclose(est.idf_, np.log((1 + 40) / (1 + df)) + 1, rtol=1e-6)
    assert est.corpus_document_count_ == 40
    assert est.corpus_token_count_ == sum(map(len, docs))
    row = est.transform([docs[0]])[0]
    words = [w for w in docs[0] if w in index]
    weights = np.array([est.idf_[index[w]] for w in words])
    expected = (weights[:, None] * np.array([w2v.wv[w] for w in words])).sum(0) / weights.sum()
    np.testing.assert_allclose(row, expected, rtol=1e-4, atol=1e-6)
    sif = Word2VecVectorizer.from_gensim(w2v, docs, analyzer="pretokenized", pooling="sif")
    assert sif.sif_component_.shape == (16,)


def test_idf_pooling_without_documents_is_refused_not_silently_mean(w2v):
    est = Word2VecVectorizer.from_gensim(w2v, analyzer="pretokenized", pooling="idf")
    with pytest.raises(ValueError, match="pooling='idf' needs the document frequencies"):
        est.transform([["police"]])


def test_parameters_from_the_model_cannot_be_overridden(w2v):
    with pytest.raises(ValueError, match="vector_size, window come from the gensim model"):
        Word2VecVectorizer.from_gensim(w2v, window=2, vector_size=3)
    with pytest.raises(TypeError, match="bogus"):
        Word2VecVectorizer.from_gensim(w2v, bogus=1)
    with pytest.raises(ValueError, match="pooling"):
        Word2VecVectorizer.from_gensim(w2v, pooling="median")


def test_one_line_pipeline_and_refit_after_clone(w2v, sentences):
    docs = sentences[:60]
    y = np.arange(60) % 2
    pipe = make_pipeline(Word2VecVectorizer.from_gensim(w2v, analyzer="pretokenized"),
                         LogisticRegression())
    assert pipe.fit(docs, y).predict(docs[:3]).shape == (3,)
    refit = clone(pipe.steps[0][1]).set_params(n_jobs=1).fit(sentences)
    assert refit.wv_.vector_size == 16 and len(refit.loss_history_) == 2
    assert not np.shares_memory(refit.wv_.vectors, w2v.wv.vectors)


# ------------------------------------------------------------------ untrained models
def _untrained_models():
    models = pytest.importorskip("gensim.models")
    empty = models.Word2Vec(vector_size=8)
    built = models.Word2Vec(vector_size=8, min_count=1, seed=0)
    built.build_vocab([["red", "green", "blue"]] * 5)
    subwords = models.FastText(vector_size=8, min_count=1, bucket=100, seed=0)
    subwords.build_vocab([["red", "green", "blue"]] * 5)
    return {"no vocabulary": empty, "vocabulary, never trained": built,
            "FastText, never trained": subwords}


@pytest.mark.parametrize("case", ["no vocabulary", "vocabulary, never trained",
                                  "FastText, never trained"])
def test_an_untrained_gensim_model_is_refused(case):
    model = _untrained_models()[case]
    with pytest.raises(ValueError, match="no words|never trained"):
        WordVectors.from_gensim(model.wv)
    with pytest.raises(ValueError, match="empty vocabulary|never trained"):
        Word2VecVectorizer.from_gensim(model, analyzer="pretokenized")


def test_a_barely_trained_model_is_accepted(sentences):
    # One epoch on a few sentences already leaves gensim's initial box.
    models = pytest.importorskip("gensim.models")
    model = models.Word2Vec(sentences[:20], vector_size=8, min_count=1, epochs=1, seed=0,
                            workers=1)
    assert len(WordVectors.from_gensim(model.wv)) == len(model.wv)


def test_to_gensim_refuses_a_bucket_table_beyond_memory_before_allocating():
    # gensim holds every bucket densely: 2**31 - 1 buckets x 1024 float32 is 8 TiB.
    wv = WordVectors.from_subwords(["walk"], np.ones((1, 1024), dtype=np.float32),
                                   np.ones((1, 1024), dtype=np.float32),
                                   char_ngram_range=(3, 5), n_buckets=2**31 - 1,
                                   ngram_buckets=np.array([7]))
    with pytest.raises(MemoryError, match=r"2,147,483,647 buckets, 8,192\.0 GiB .* "
                                          r"format='fasttext'"):
        wv.to_gensim()
