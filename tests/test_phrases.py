"""PhrasesTransformer: the counts against a plain-Python reference, the phrases and joins
against gensim 4's ``Phrases``/``FrozenPhrases``, the scikit-learn contract, the CLI-free
API around it, and input errors."""

import pickle
import random

import naive
import numpy as np
import pandas as pd
import pytest
from sklearn.exceptions import NotFittedError
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import GridSearchCV
from sklearn.pipeline import Pipeline
from sklearn.utils import estimator_checks
from sklearn.utils._param_validation import InvalidParameterError

from skw2v import ENGLISH_CONNECTOR_WORDS, PhrasesTransformer, Word2VecVectorizer
from skw2v import _kernels_phrases as kernels
from skw2v._phrase_counts import PhraseCounts

gensim_phrases = pytest.importorskip("gensim.models.phrases")

#: Tokens that stress the text rules: the delimiter inside tokens ("b_c", "_", "x_", a
#: connector "of_the"), the empty token, a space, a NUL, non-ASCII, a lone surrogate.
ODD = ["new", "york", "city", "bank", "of", "america", "the", "a", "b_c", "b", "c", "x_", "_",
       "", "of_the", "zz", "a b", "n\x00l", "é_ü", "\udcff_x"]
#: Tokens without the delimiter, where gensim's pruning is reproduced count for count.
PLAIN = ["new", "york", "city", "bank", "of", "america", "the", "a", "b", "c", "zz", "q", "r",
         "s"]
CONNECTOR_SETS = [frozenset(), ENGLISH_CONNECTOR_WORDS, frozenset({"of", "the", "of_the", "_"})]


def random_corpus(rng, vocabulary, n_documents):
    frequent = vocabulary[:8]
    return [[rng.choice(vocabulary) if rng.random() < 0.5 else rng.choice(frequent)
             for _ in range(rng.randint(0, 30))] for _ in range(n_documents)]


def counted(docs, connectors, max_vocab_size=1 << 40, overlap=False, batch=7):
    counts = PhraseCounts(connectors, max_vocab_size)
    batches = [(start, docs[start:start + batch]) for start in range(0, len(docs), batch)]
    counts.count(iter(batches), threads=overlap, on_bad_tokens=None)
    return counts


def table_contents(counts):
    """The counts of a PhraseCounts as naive.phrase_counts returns them."""
    words = counts.tokens.words()
    word_counts = {words[i]: int(c) for i, c in enumerate(counts._word_counts()) if c}

    def chain(node):
        return () if node == 0 else chain(int(counts.links[node, 0])) + (
            words[counts.links[node, 1]],)

    candidates = {}
    used = counts.pairs[counts.pairs[:, 1] != 0]  # the table's rows, read without a kernel
    for key, node, count in zip(used[:, 0].tolist(),
                                (used[:, 1] >> kernels.TAG_SHIFT).tolist(),
                                (used[:, 1] & kernels.PAYLOAD_MASK).tolist(), strict=True):
        candidates[(words[key >> 32], *chain(node), words[key & 0xFFFFFFFF])] = count
    return word_counts, candidates, counts.n_tokens


# ------------------------------------------------------------------ counting kernel
@pytest.mark.parametrize("seed", range(6))
def test_counts_equal_the_plain_python_reference(seed):
    rng = random.Random(seed)
    docs = random_corpus(rng, ODD, 80)
    connectors = CONNECTOR_SETS[seed % 3]
    counts = counted(docs, connectors, overlap=seed % 2 == 1)
    assert table_contents(counts) == naive.phrase_counts(docs, connectors)


def test_tables_grow_from_their_smallest_size():
    rng = random.Random(5)
    vocabulary = [f"w{i}" for i in range(3000)]
    docs = [[rng.choice(vocabulary) for _ in range(rng.randint(1, 400))] for _ in range(60)]
    counts = counted(docs, frozenset(), batch=20)
    assert 2 * counts.pairs.shape[0] >= 3 * counts.state[kernels.N_PAIRS] > 3 << 12
    assert table_contents(counts) == naive.phrase_counts(docs, frozenset())


# ------------------------------------------------------------------ against gensim
def gensim_model(docs, *, min_count, threshold, scoring, connectors, max_vocab_size=40_000_000):
    return gensim_phrases.Phrases(docs, min_count=min_count, threshold=threshold,
                                  scoring=scoring, connector_words=connectors,
                                  max_vocab_size=max_vocab_size)


def assert_same_phrases(ours: dict, theirs: dict):
    assert set(ours) == set(theirs)
    for phrase, score in theirs.items():
        assert ours[phrase] == pytest.approx(score, abs=1e-9, rel=0)


def random_settings(rng, seed):
    scoring = "npmi" if seed % 4 == 3 else "default"
    threshold = rng.choice([-0.5, 0.0, 0.3, 0.9] if scoring == "npmi" else [0.01, 0.5, 1, 3])
    return {"min_count": rng.choice([1, 2, 3]), "threshold": threshold, "scoring": scoring}


@pytest.mark.parametrize("seed", range(40))
def test_same_phrases_and_joins_as_gensim(seed):
    # Tokens without the delimiter: gensim's rules and skw2v's are the same.
    rng = random.Random(seed)
    connectors = CONNECTOR_SETS[seed % 2]
    settings = random_settings(rng, seed)
    docs = random_corpus(rng, PLAIN + ["", "a b", "é", "n\x00l", "\udcff"], rng.randint(1, 80))
    theirs = gensim_model(docs, connectors=connectors, **settings)
    model = PhrasesTransformer(connector_words=connectors, analyzer="pretokenized",
                               n_jobs=1 + seed % 2, **settings).fit(docs)
    assert_same_phrases(model.phrases_, theirs.export_phrases())
    assert model.n_tokens_ == theirs.corpus_word_count
    joined = model.transform(docs)
    frozen = theirs.freeze()
    for tokens, ours in zip(docs, joined, strict=True):
        if "" not in tokens:  # gensim drops an empty token that starts a candidate
            assert ours == frozen[tokens]


@pytest.mark.parametrize("seed", range(40))
def test_phrases_and_joins_equal_the_plain_python_reference(seed):
    # Tokens holding the delimiter too: candidates are token sequences, scored from their
    # own first and last tokens, looked up by text when joining.
    rng = random.Random(1000 + seed)
    connectors = CONNECTOR_SETS[seed % 3]
    settings = random_settings(rng, seed)
    docs = random_corpus(rng, ODD, rng.randint(1, 80))
    model = PhrasesTransformer(connector_words=connectors, analyzer="pretokenized",
                               n_jobs=1 + seed % 2, **settings).fit(docs)
    assert_same_phrases(model.phrases_, naive.phrase_scores(docs, connectors, **settings))
    for tokens, ours in zip(docs, model.transform(docs), strict=True):
        assert ours == naive.phrase_spans(tokens, model.phrases_, connectors)


@pytest.mark.parametrize("seed", range(12))
def test_pruning_as_gensim(seed):
    rng = random.Random(100 + seed)
    connectors = CONNECTOR_SETS[seed % 2]
    docs = random_corpus(rng, PLAIN, rng.randint(20, 80))
    max_vocab_size = rng.choice([8, 12, 30])
    theirs = gensim_model(docs, min_count=1, threshold=0.5, scoring="default",
                          connectors=connectors, max_vocab_size=max_vocab_size)
    model = PhrasesTransformer(min_count=1, threshold=0.5, connector_words=connectors,
                               max_vocab_size=max_vocab_size, analyzer="pretokenized",
                               n_jobs=1 + seed % 2).fit(docs)
    words, candidates, _ = naive.phrase_counts(docs, connectors)
    assert len(words) + len(candidates) > 2 * max_vocab_size  # pruned, more than once
    assert_same_phrases(model.phrases_, theirs.export_phrases())


def test_pruning_keeps_the_tables_within_the_limit():
    rng = random.Random(3)
    vocabulary = [f"w{i}" for i in range(5000)]
    docs = [[rng.choice(vocabulary) for _ in range(50)] for _ in range(400)]
    counts = counted(docs, frozenset(), max_vocab_size=2000, batch=50)
    assert counts.min_reduce > 1
    live = counts.state[kernels.N_PAIRS] + counts.state[kernels.N_LIVE_WORDS]
    assert live <= 2000 + 50  # at most one document past the limit before pruning
    assert len(counts.tokens) <= 2000 + 50  # forgotten words leave the token table too


@pytest.fixture(scope="module")
def newsgroups_tokens():
    from skw2v import datasets

    try:
        texts = datasets.fetch_20newsgroups_corpus().data[:3000]
    except OSError as error:  # pragma: no cover - offline without the cached file
        pytest.skip(f"20 Newsgroups is not available: {error}")
    return [text.split() for text in texts]


@pytest.mark.parametrize("setting", [
    {"scoring": "default", "threshold": 10.0, "connectors": frozenset()},
    {"scoring": "npmi", "threshold": 0.5, "connectors": frozenset()},
    {"scoring": "default", "threshold": 10.0, "connectors": ENGLISH_CONNECTOR_WORDS},
])
def test_same_phrases_as_gensim_on_real_text(newsgroups_tokens, setting):
    theirs = gensim_model(newsgroups_tokens, min_count=5, threshold=setting["threshold"],
                          scoring=setting["scoring"], connectors=setting["connectors"])
    model = PhrasesTransformer(threshold=setting["threshold"], scoring=setting["scoring"],
                               connector_words=setting["connectors"],
                               analyzer="pretokenized").fit(newsgroups_tokens)
    expected = theirs.export_phrases()
    assert len(expected) > 500
    assert_same_phrases(model.phrases_, expected)
    frozen = theirs.freeze()
    assert model.transform(newsgroups_tokens[:500]) == [frozen[d] for d in
                                                         newsgroups_tokens[:500]]


def test_english_connector_words_are_gensims():
    assert ENGLISH_CONNECTOR_WORDS == gensim_phrases.ENGLISH_CONNECTOR_WORDS


def test_stacked_transformers_find_longer_phrases():
    # gensim's export_phrases (and so FrozenPhrases) scores "new_york_city" from "new" and
    # "city", which the first pass took away: its second pass finds nothing here (gensim
    # issues 3326, 3380). skw2v scores the candidate new_york + city, as gensim's
    # Phrases[...] does when it joins.
    rng = random.Random(11)
    filler = [f"w{i}" for i in range(30)]
    docs = []
    for _ in range(300):
        doc = [rng.choice(filler) for _ in range(rng.randint(3, 12))]
        doc.insert(rng.randrange(len(doc) + 1), "new york city")
        docs.append(" ".join(doc).split())
    bigrams = gensim_phrases.Phrases(docs, min_count=3, threshold=1.0)
    trigrams = gensim_phrases.Phrases(bigrams[docs], min_count=3, threshold=1.0)
    assert "new_york_city" not in trigrams.export_phrases()
    ours = Pipeline([("bigrams", PhrasesTransformer(min_count=3, threshold=1.0,
                                                    analyzer="pretokenized")),
                     ("trigrams", PhrasesTransformer(min_count=3, threshold=1.0,
                                                     analyzer="pretokenized"))])
    joined = ours.fit_transform(docs)
    assert_same_phrases(ours["bigrams"].phrases_, bigrams.export_phrases())
    assert list(ours["trigrams"].phrases_) == ["new_york_city"]
    assert joined == [trigrams[bigrams.freeze()[d]] for d in docs]
    assert all(doc.count("new_york_city") == 1 for doc in joined)


# ------------------------------------------------------------------ documents in and out
DOCS = ["New York is big", "I love New York", "New York at night", "a big city",
        "I love the city", "the night is young"] * 3


def test_strings_in_strings_out_with_the_analyzer_of_the_vectorizer():
    model = PhrasesTransformer(min_count=2, threshold=1.5).fit(DOCS)
    assert model.phrases_ == {"new_york": pytest.approx(1.9012345679012346)}
    assert model.transform(["NEW York, new york!"]) == ["new_york new_york"]
    assert model.build_analyzer()("New-York") == Word2VecVectorizer().build_analyzer()(
        "New-York")


def test_containers_and_files(tmp_path):
    model = PhrasesTransformer(min_count=2, threshold=1.5)
    expected = model.fit_transform(DOCS)
    series = pd.Series(DOCS, index=range(100, 100 + len(DOCS)))
    assert model.fit(series).transform(series) == expected
    assert model.fit_transform(pd.DataFrame({"text": DOCS})) == expected
    assert model.fit_transform(np.array(DOCS, dtype=object)) == expected
    assert model.fit_transform(iter(DOCS)) == expected  # a generator, read once
    path = tmp_path / "corpus.txt"
    path.write_text("\n".join(DOCS) + "\n", encoding="utf-8")
    assert model.fit(path).transform(path) == expected


def test_pretokenized_tuples_and_str_subclasses():
    analyzer = PhrasesTransformer().build_analyzer()
    docs = [tuple(np.str_(t) for t in analyzer(doc)) for doc in DOCS]
    model = PhrasesTransformer(min_count=2, threshold=1.5, analyzer="pretokenized").fit(docs)
    assert list(model.phrases_) == ["new_york"]
    assert all(isinstance(word, str) for doc in model.transform(docs) for word in doc)


def test_one_thread_and_two_threads_agree(newsgroups_tokens):
    one = PhrasesTransformer(analyzer="pretokenized", n_jobs=1).fit(newsgroups_tokens)
    two = PhrasesTransformer(analyzer="pretokenized", n_jobs=2).fit(newsgroups_tokens)
    assert one.phrases_ == two.phrases_


def test_pickle_holds_the_phrases_only(newsgroups_tokens):
    model = PhrasesTransformer(analyzer="pretokenized").fit(newsgroups_tokens)
    before = model.transform(newsgroups_tokens[:200])
    blob = pickle.dumps(model)
    assert len(blob) < 60 * len(model.phrases_) + 4000
    restored = pickle.loads(blob)
    assert restored.phrases_ == model.phrases_
    assert restored.transform(newsgroups_tokens[:200]) == before


# ------------------------------------------------------------------ scikit-learn
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
    check("PhrasesTransformer", PhrasesTransformer())


def test_pipeline_and_grid_search_over_the_threshold(snippets):
    X, y = snippets
    pipeline = Pipeline([
        ("phrases", PhrasesTransformer(min_count=2, connector_words="english")),
        ("w2v", Word2VecVectorizer(vector_size=16, min_count=1, epochs=2, n_jobs=1,
                                   random_state=0)),
        ("clf", LogisticRegression(max_iter=200)),
    ])
    search = GridSearchCV(pipeline, {"phrases__threshold": [1.0, 5.0]}, cv=2).fit(X, y)
    assert search.best_params_["phrases__threshold"] in (1.0, 5.0)
    assert len(search.cv_results_["params"]) == 2
    fitted = search.best_estimator_["phrases"]
    assert any("_" in token for doc in fitted.transform(X) for token in doc.split())


def test_not_fitted():
    with pytest.raises(NotFittedError):
        PhrasesTransformer().transform(DOCS)


# ------------------------------------------------------------------ bad input
@pytest.mark.parametrize("params, match", [
    ({"threshold": 0.0}, "positive threshold"),
    ({"threshold": -1.0}, "positive threshold"),
    ({"scoring": "npmi", "threshold": 1.5}, r"\[-1, 1\]"),
    ({"delimiter": ""}, "non-empty"),
])
def test_settings_checked_before_reading(params, match):
    def never():
        raise AssertionError("documents read before the settings were checked")
        yield

    with pytest.raises(ValueError, match=match):
        PhrasesTransformer(**params).fit(never())


@pytest.mark.parametrize("params", [{"connector_words": "en"}, {"connector_words": 3},
                                    {"scoring": "pmi"}, {"min_count": 0},
                                    {"max_vocab_size": 0}, {"delimiter": 1}])
def test_invalid_parameters(params):
    with pytest.raises(InvalidParameterError, match=next(iter(params))):
        PhrasesTransformer(**params).fit(DOCS)


def test_connector_words_must_be_str():
    with pytest.raises(TypeError, match="connector_words holds 3"):
        PhrasesTransformer(connector_words={"of", 3}).fit(DOCS)


@pytest.mark.parametrize("bad, match", [
    ([["a", "b"], ["c", 3]], r"Document 1: the token int 3 is not a str"),
    ([["a", "b"], "a b"], "Document 1 is str 'a b', but analyzer='pretokenized'"),
    ([["a", "b"], None], "Document 1 is NoneType"),
])
def test_bad_pretokenized_documents_are_named(bad, match):
    with pytest.raises(TypeError, match=match):
        PhrasesTransformer(analyzer="pretokenized").fit(bad)
    model = PhrasesTransformer(min_count=1, threshold=0.1, analyzer="pretokenized").fit(
        [["a", "b"]] * 3)
    with pytest.raises(TypeError, match=match):
        model.transform(bad)


def test_bad_str_documents_are_named():
    with pytest.raises(TypeError, match="Document 2 is missing"):
        PhrasesTransformer().fit(["a b", "c d", float("nan")])
    with pytest.raises(TypeError, match="Document 0 is bytes"):
        PhrasesTransformer().fit([b"a b"])


def test_a_failed_fit_leaves_the_fitted_state_alone():
    model = PhrasesTransformer(min_count=2, threshold=1.5).fit(DOCS)
    before = dict(model.phrases_)
    with pytest.raises(TypeError):
        model.fit(DOCS + [None])
    assert model.phrases_ == before


def test_transform_restores_the_garbage_collector():
    import gc

    model = PhrasesTransformer(min_count=2, threshold=1.5).fit(DOCS)
    assert gc.isenabled()
    model.transform(DOCS)
    assert gc.isenabled()
    with pytest.raises(TypeError):
        model.transform(DOCS + [None])
    assert gc.isenabled()
    gc.disable()
    try:
        model.transform(DOCS)
        assert not gc.isenabled()  # left as the caller had it
    finally:
        gc.enable()


def test_more_tokens_than_a_count_holds_is_refused(monkeypatch):
    monkeypatch.setattr(kernels, "MAX_PAYLOAD", 50)  # 2**40 in the kernels' row layout
    with pytest.raises(ValueError, match="more than 50 tokens"):
        PhrasesTransformer(min_count=1, analyzer="pretokenized").fit([["a", "b"] * 20] * 3)
