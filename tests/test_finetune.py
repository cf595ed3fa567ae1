"""Starting from pretrained vectors: use them as they are, fine-tune them, or freeze them."""

import pickle

import numpy as np
import pytest
from sklearn.base import clone
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import make_pipeline

from skw2v import Word2VecVectorizer, WordVectors

DIM = 12


@pytest.fixture(scope="module")
def pretrained(lee_documents):
    """Vectors learned on the Lee corpus (our own trainer; the oracle is not needed here)."""
    model = Word2VecVectorizer(vector_size=DIM, min_count=3, epochs=5, n_jobs=1,
                               random_state=0).fit(lee_documents)
    return model.wv_


def params(**extra):
    return {**dict(vector_size=DIM, min_count=2, epochs=3, n_jobs=1, random_state=0), **extra}


def test_epochs_zero_uses_pretrained_vectors_as_they_are(pretrained):
    docs = ["the government said police", "an unknownword appears twice unknownword"]
    model = Word2VecVectorizer(init=pretrained, **params(epochs=0)).fit(docs)
    # Only pretrained words, each with its pretrained vector, bit for bit.
    assert set(model.vocabulary_) == set(pretrained.index_to_word)
    for word in ["government", "police", "said"]:
        np.testing.assert_array_equal(model.wv_[word], pretrained[word])
    assert model.loss_history_ == []
    expected = np.mean([pretrained[w] for w in ["the", "government", "said", "police"]
                        if w in pretrained], axis=0)
    np.testing.assert_allclose(model.transform(docs[:1])[0], expected, rtol=1e-5, atol=1e-7)


def test_vocabulary_order_is_corpus_frequency_then_pretrained_order(pretrained):
    docs = ["police police police government government newword newword"]
    model = Word2VecVectorizer(init=pretrained, init_vocabulary="pretrained",
                               **params(epochs=1)).fit(docs)
    words = model.wv_.index_to_word
    assert words[:2] == ["police", "government"]
    unseen = [w for w in pretrained.index_to_word if w not in {"police", "government"}]
    assert words[2:] == unseen
    assert model.wv_.counts[:2].tolist() == [3, 2] and not model.wv_.counts[2:].any()


def test_without_training_the_vocabulary_keeps_the_pretrained_order(pretrained):
    docs = ["police police police government government newword newword"]
    for extra in ({"epochs": 0}, {"init_vocabulary": "pretrained", "freeze_init": True}):
        model = Word2VecVectorizer(init=pretrained, **params(**extra)).fit(docs)
        assert model.wv_.index_to_word == pretrained.index_to_word
        counts = dict(zip(model.wv_.index_to_word, model.wv_.counts.tolist(), strict=True))
        assert counts["police"] == 3 and counts["government"] == 2
        assert sum(counts.values()) == 5
        assert model.vocabulary_ == pretrained.word_to_index


def test_union_vocabulary_adds_domain_words(pretrained):
    docs = ["quantum qubit entanglement police government"] * 10
    model = Word2VecVectorizer(init=pretrained, **params()).fit(docs)
    assert {"quantum", "qubit", "entanglement"} <= set(model.vocabulary_)
    assert set(pretrained.index_to_word) <= set(model.vocabulary_)
    # Pretrained words the domain never mentions are never updated.
    for word in ["australia", "israeli"]:
        np.testing.assert_array_equal(model.wv_[word], pretrained[word])
    only = Word2VecVectorizer(init=pretrained, init_vocabulary="pretrained", **params())
    assert "quantum" not in only.fit(docs).vocabulary_


@pytest.fixture(scope="module")
def random_pretrained():
    """Unrelated unit-scale vectors: any similarity after training comes from training."""
    words = ["cricket", "police", "the", "said", "government", "australia", "people", "year"]
    rng = np.random.default_rng(1)
    return WordVectors(words, rng.standard_normal((len(words), DIM)) / np.sqrt(DIM))


def _paired_documents(a, b, n=300):
    filler = ["the", "said", "government", "australia", "people", "year"]
    rng = np.random.default_rng(0)
    return [" ".join([a, b, *rng.permutation(filler)[:3]]) for _ in range(n)]


def test_fine_tuning_moves_domain_words_and_freezing_keeps_them(random_pretrained):
    a, b = "cricket", "police"
    before = random_pretrained.similarity(a, b)
    docs = _paired_documents(a, b)
    tuned = Word2VecVectorizer(init=random_pretrained, **params(epochs=20)).fit(docs)
    frozen = Word2VecVectorizer(init=random_pretrained, freeze_init=True,
                                **params(epochs=20)).fit(docs)
    # The domain pairs the two words: fine-tuning pulls them together...
    assert tuned.similarity(a, b) > before + 0.3
    assert np.linalg.norm(tuned.wv_[a] - random_pretrained[a]) > 0.5
    # ...and freezing keeps every pretrained row bit-identical.
    for word in random_pretrained.index_to_word:
        np.testing.assert_array_equal(frozen.wv_[word], random_pretrained[word])
    assert frozen.similarity(a, b) == pytest.approx(before, abs=1e-6)


def test_frozen_training_still_learns_new_words(random_pretrained):
    # Two new words in the same contexts: frozen training still learns that they are alike.
    docs = _paired_documents("zeta", "police") + _paired_documents("eta", "police")
    frozen = Word2VecVectorizer(init=random_pretrained, freeze_init=True, **params(epochs=5))
    frozen.fit(docs)
    assert frozen.similarity("zeta", "eta") > 0.5
    untrained = Word2VecVectorizer(init=random_pretrained,
                                   **params(epochs=1, alpha=1e-9, min_alpha=1e-9))
    assert untrained.fit(docs).similarity("zeta", "eta") < 0.5
    start = Word2VecVectorizer(init=random_pretrained, **params(epochs=0))
    assert "zeta" not in start.fit(docs).vocabulary_  # epochs=0 keeps pretrained words only


def test_pretrained_pipeline_pickles_and_clones(pretrained, lee_documents):
    labels = np.array(["police" in line for line in lee_documents[:120]])
    pipe = make_pipeline(Word2VecVectorizer(init=pretrained, **params(epochs=0)),
                         LogisticRegression(max_iter=1000))
    pipe.fit(lee_documents[:120], labels)
    again = pickle.loads(pickle.dumps(pipe))
    held_out = lee_documents[120:]
    np.testing.assert_array_equal(again.predict(held_out), pipe.predict(held_out))
    copy = clone(pipe)
    assert copy[0].init is not pretrained
    np.testing.assert_array_equal(copy[0].init.vectors, pretrained.vectors)


def test_errors(pretrained):
    with pytest.raises(ValueError, match="vector_size=50; set vector_size=12"):
        Word2VecVectorizer(init=pretrained, vector_size=50).fit(["police"])
    with pytest.raises(ValueError, match="epochs=0 trains nothing"):
        Word2VecVectorizer(epochs=0).fit(["police"])
    with pytest.raises(ValueError, match="No word of the 3 documents is in the pretrained"):
        Word2VecVectorizer(init=pretrained, init_vocabulary="pretrained",
                           **params()).fit(["qwertyuiop asdfghjkl"] * 3)
    with pytest.raises(Exception, match="'init' parameter"):
        Word2VecVectorizer(init=np.zeros((3, DIM))).fit(["police"])


def test_pretrained_from_arbitrary_vectors():
    wv = WordVectors(["red", "green", "blue"], np.eye(3, dtype=np.float32))
    model = Word2VecVectorizer(init=wv, vector_size=3, epochs=0, min_count=1).fit(["red blue"])
    np.testing.assert_allclose(model.transform(["red blue", "green"]),
                               [[0.5, 0, 0.5], [0, 1, 0]])


# ------------------------------------------------------------------ a shared pretrained table
@pytest.fixture(scope="module")
def big_pretrained():
    rng = np.random.default_rng(5)
    words = ["police", "government", "said"] + [f"w{i}" for i in range(4000)]
    return WordVectors(words, rng.normal(size=(len(words), 50)), counts=np.arange(4003)[::-1])


@pytest.mark.parametrize("extra", [{"epochs": 0},
                                   {"init_vocabulary": "pretrained", "freeze_init": True}])
def test_a_fit_that_trains_nothing_shares_the_pretrained_table(big_pretrained, extra):
    docs = ["police said government w7 w7 unknown"] * 5
    model = Word2VecVectorizer(init=big_pretrained, **params(**extra, vector_size=50)).fit(docs)
    assert model.wv_.vectors is big_pretrained.vectors
    assert not model.wv_.vectors.flags.writeable
    assert big_pretrained.counts[0] == 4002  # the pretrained counts are not replaced
    assert model.wv_.counts[big_pretrained.get_index("w7")] == 10
    # pickle memoizes the one array: the estimator pickles to about one table, not two.
    table = len(pickle.dumps(big_pretrained))
    assert len(pickle.dumps(model)) < 1.25 * table
    copied = Word2VecVectorizer(init=big_pretrained, **params(vector_size=50)).fit(docs)
    assert len(pickle.dumps(copied)) > 1.9 * table  # trained: its own table
    restored = pickle.loads(pickle.dumps(model))
    assert np.shares_memory(restored.wv_.vectors, restored.init.vectors)
    np.testing.assert_array_equal(restored.transform(docs), model.transform(docs))


def test_training_after_sharing_never_changes_the_pretrained_vectors(big_pretrained):
    before = big_pretrained.vectors.copy()
    docs = ["police said government w7 w8 w9 unknown words here"] * 20
    shared = Word2VecVectorizer(init=big_pretrained, **params(epochs=0, vector_size=50)).fit(
        docs)
    for init in (big_pretrained, shared.wv_):
        tuned = Word2VecVectorizer(init=init, **params(epochs=2, vector_size=50)).fit(docs)
        assert not np.shares_memory(tuned.wv_.vectors, big_pretrained.vectors)
        assert not np.array_equal(tuned.wv_["police"], before[0])
    np.testing.assert_array_equal(big_pretrained.vectors, before)
    np.testing.assert_array_equal(shared.wv_.vectors, before)
    with pytest.raises(ValueError, match="read-only"):
        shared.wv_.vectors[0, 0] = 1.0


def test_deep_copies_and_clones_share_the_read_only_arrays(big_pretrained):
    import copy

    copied = copy.deepcopy(big_pretrained)
    assert copied.vectors is big_pretrained.vectors  # read-only: nobody can change it
    assert copied.counts is not big_pretrained.counts
    np.testing.assert_array_equal(copied.counts, big_pretrained.counts)
    assert copied.index_to_word == big_pretrained.index_to_word
    assert copied.index_to_word is not big_pretrained.index_to_word
    estimator = Word2VecVectorizer(init=big_pretrained, **params(epochs=0, vector_size=50))
    assert clone(estimator).init.vectors is big_pretrained.vectors
    subwords = WordVectors.from_subwords(["ab"], np.ones((1, 2)), np.ones((4, 2)),
                                         char_ngram_range=(1, 2), n_buckets=4)
    assert copy.deepcopy(subwords).vectors_ngrams is subwords.vectors_ngrams
