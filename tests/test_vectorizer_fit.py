"""``Word2VecVectorizer.fit``: determinism, quality on real text, inputs, errors, output."""

import re
from collections import Counter

import numpy as np
import pandas as pd
import pytest
from sklearn.feature_extraction.text import CountVectorizer
from sklearn.utils._param_validation import InvalidParameterError

from skw2v import Word2VecVectorizer, _driver, _sources, _trainers, _training

VARIANTS = {
    "skipgram-ns": {"architecture": "skipgram", "negative": 5, "hs": False},
    "skipgram-hs": {"architecture": "skipgram", "negative": 0, "hs": True},
    "cbow-ns": {"architecture": "cbow", "negative": 5, "hs": False},
    "cbow-hs": {"architecture": "cbow", "negative": 0, "hs": True},
}


def fit(documents, **params):
    return Word2VecVectorizer(**params).fit(documents)


# ------------------------------------------------------------------ determinism
@pytest.mark.parametrize("variant", VARIANTS)
def test_same_seed_gives_identical_vectors(toy_documents, fast_params, variant):
    params = {**fast_params, **VARIANTS[variant]}
    first = fit(toy_documents, **params)
    second = fit(toy_documents, **params)
    assert np.array_equal(first.wv_.vectors, second.wv_.vectors)
    assert first.loss_history_ == second.loss_history_
    assert np.all(np.isfinite(first.wv_.vectors))
    different = fit(toy_documents, **{**params, "random_state": 1})
    assert different.wv_.index_to_word == first.wv_.index_to_word
    assert not np.allclose(different.wv_.vectors, first.wv_.vectors)


def test_random_state_instance_and_int_agree(toy_documents, fast_params):
    by_int = fit(toy_documents, **{**fast_params, "random_state": 5})
    by_instance = fit(toy_documents, **{**fast_params,
                                        "random_state": np.random.RandomState(5)})
    assert np.array_equal(by_int.wv_.vectors, by_instance.wv_.vectors)


@pytest.mark.parametrize("variant", ["skipgram-ns", "cbow-hs"])
def test_two_threads_train_finite_vectors(toy_documents, fast_params, variant):
    model = fit(toy_documents, **{**fast_params, **VARIANTS[variant], "n_jobs": 2})
    assert model.wv_.vectors.shape == (len(model.vocabulary_), fast_params["vector_size"])
    assert np.all(np.isfinite(model.wv_.vectors))
    assert len(model.loss_history_) == fast_params["epochs"]
    assert all(np.isfinite(loss) and loss > 0 for loss in model.loss_history_)
    # Training moved the vectors away from the (seeded) initial ones.
    untrained = fit(toy_documents, **{**fast_params, **VARIANTS[variant], "alpha": 1e-9,
                                      "min_alpha": 0.0, "epochs": 1})
    assert not np.allclose(model.wv_.vectors, untrained.wv_.vectors, atol=1e-3)


# ------------------------------------------------------------------ quality on real text
LEE_PARAMS = {"vector_size": 50, "window": 5, "min_count": 2, "epochs": 10, "sample": 1e-3,
              "n_jobs": 1, "random_state": 0}
PROBES = ["government", "australia", "police", "israeli"]


def _gensim_model(lee_documents, variant):
    from gensim.models import Word2Vec

    # gensim gets exactly the tokens skw2v trains on, so the vocabularies are the same.
    analyzer = Word2VecVectorizer().build_analyzer()
    spec = VARIANTS[variant]
    return Word2Vec(
        [analyzer(doc) for doc in lee_documents],
        vector_size=LEE_PARAMS["vector_size"], window=LEE_PARAMS["window"],
        min_count=LEE_PARAMS["min_count"], epochs=LEE_PARAMS["epochs"],
        sample=LEE_PARAMS["sample"], sg=int(spec["architecture"] == "skipgram"),
        hs=int(spec["hs"]), negative=spec["negative"], workers=1, seed=0,
    )


def _neighbour_overlap(wv, gensim_wv, topn=10):
    """Number of shared words in the top-``topn`` neighbours of each probe word."""
    return {word: len({w for w, _ in wv.most_similar(word, topn=topn)}
                      & {w for w, _ in gensim_wv.most_similar(word, topn=topn)})
            for word in PROBES}


def _rank(wv, word, other):
    return [w for w, _ in wv.most_similar(word, topn=len(wv))].index(other)


@pytest.fixture(scope="module")
def lee_skipgram(lee_documents):
    return fit(lee_documents, **LEE_PARAMS, **VARIANTS["skipgram-ns"])


# Thresholds, calibrated over seeds 0-7 against gensim 4.4 with the same seed. Shared top-10
# neighbours (of 40): skip-gram 21-26, CBOW 14-23, skip-gram HS 10-19; random or untrained
# vectors share 0-1 (10 of 4045 words each); two threads vs one: 23-33.
# sim(israeli, palestinian): skip-gram 0.89-0.93, HS 0.69-0.80, untrained 0.11; its
# sim(israeli, australia) was below 0.19. Rank of 'palestinian' among the neighbours of
# 'israeli': skip-gram 2-28, HS 0-25, CBOW 28-191 (CBOW on 60k tokens is weak; gensim's too).
# test_quality_checks_fail_for_untrained_vectors keeps the skip-gram checks honest.

def skipgram_quality_failures(wv, reference_wv):
    """The names of the quality checks that ``wv`` fails (an empty list: all pass)."""
    overlap = _neighbour_overlap(wv, reference_wv)
    israeli_palestinian = wv.similarity("israeli", "palestinian")
    checks = {
        f"neighbour overlap {overlap}": sum(overlap.values()) >= 12,
        f"sim(israeli, palestinian) = {israeli_palestinian:.3f}": israeli_palestinian > 0.7,
        "palestinian not much closer to israeli than australia":
            israeli_palestinian > wv.similarity("israeli", "australia") + 0.5,
        "palestinian far down the neighbours of israeli":
            _rank(wv, "israeli", "palestinian") < 100,
    }
    return [name for name, passed in checks.items() if not passed]


def test_skipgram_quality_on_lee(lee_documents, lee_skipgram):
    gensim_model = _gensim_model(lee_documents, "skipgram-ns")
    wv = lee_skipgram.wv_
    # Same tokens and min_count: the same vocabulary with the same counts.
    assert set(wv.index_to_word) == set(gensim_model.wv.index_to_key)
    assert all(gensim_model.wv.get_vecattr(w, "count") == c
               for w, c in zip(wv.index_to_word, wv.counts, strict=True))
    assert skipgram_quality_failures(wv, gensim_model.wv) == []


def test_cbow_quality_on_lee(lee_documents):
    wv = fit(lee_documents, **LEE_PARAMS, **VARIANTS["cbow-ns"]).wv_
    overlap = _neighbour_overlap(wv, _gensim_model(lee_documents, "cbow-ns").wv)
    assert sum(overlap.values()) >= 6, overlap
    assert _rank(wv, "israeli", "palestinian") < 500


def test_hierarchical_softmax_quality_on_lee(lee_documents):
    wv = fit(lee_documents, **LEE_PARAMS, **VARIANTS["skipgram-hs"]).wv_
    assert wv.similarity("israeli", "palestinian") > 0.5
    assert wv.similarity("israeli", "palestinian") > wv.similarity("israeli", "australia") + 0.3
    assert _rank(wv, "israeli", "palestinian") < 100


def test_two_threads_train_as_well_on_lee(lee_documents, lee_skipgram):
    wv = fit(lee_documents, **{**LEE_PARAMS, "n_jobs": 2}, **VARIANTS["skipgram-ns"]).wv_
    # Neighbour sets of the 2-thread run agree with the deterministic 1-thread run.
    assert skipgram_quality_failures(wv, lee_skipgram.wv_) == []


def test_quality_checks_fail_for_untrained_vectors(lee_documents, lee_skipgram):
    untrained = fit(lee_documents, **{**LEE_PARAMS, "epochs": 1, "alpha": 1e-7,
                                      "min_alpha": 1e-8}, **VARIANTS["skipgram-ns"]).wv_
    # Every single check fails for vectors that barely moved from their random start.
    assert len(skipgram_quality_failures(untrained, lee_skipgram.wv_)) == 4


def test_loss_history_on_lee(lee_skipgram):
    losses = lee_skipgram.loss_history_
    assert isinstance(losses, list) and len(losses) == LEE_PARAMS["epochs"]
    assert all(isinstance(loss, float) and np.isfinite(loss) and loss > 0 for loss in losses)
    assert losses[-1] < 0.9 * losses[0]
    # Per-epoch values, not a running total (gensim's cumulative loss, issue 2735).
    assert losses[-1] < losses[1]


# ------------------------------------------------------------------ vocabulary_
def _tokens(documents):
    return [token for doc in documents for token in Word2VecVectorizer().build_analyzer()(doc)]


def test_vocabulary_matches_the_word_vectors_and_the_counts(toy_documents, fast_params):
    model = fit(toy_documents, **fast_params)
    wv = model.wv_
    assert model.vocabulary_ == {w: i for i, w in enumerate(wv.index_to_word)}
    counter = Counter(_tokens(toy_documents))
    assert dict(zip(wv.index_to_word, wv.counts.tolist(), strict=True)) == dict(counter)
    assert np.all(np.diff(wv.counts) <= 0)
    assert model.corpus_document_count_ == len(toy_documents)
    assert model.corpus_token_count_ == sum(counter.values())


def test_min_count_and_max_vocab_size(toy_documents, fast_params):
    tokens = _tokens(toy_documents)
    counter = Counter(tokens)
    first = {}
    for position, token in enumerate(tokens):
        first.setdefault(token, position)
    ranked = sorted(counter, key=lambda w: (-counter[w], first[w]))

    model = fit(toy_documents, **{**fast_params, "min_count": 20})
    assert model.wv_.index_to_word == [w for w in ranked if counter[w] >= 20]
    assert 0 < len(model.vocabulary_) < len(counter)

    model = fit(toy_documents, **{**fast_params, "min_count": 2, "max_vocab_size": 7})
    assert model.wv_.index_to_word == [w for w in ranked if counter[w] >= 2][:7]
    # Tokens dropped from the vocabulary still count in the corpus size.
    assert model.corpus_token_count_ == len(tokens)


# ------------------------------------------------------------------ input kinds
@pytest.fixture(scope="module")
def reference(toy_documents, fast_params):
    return fit(toy_documents, **fast_params).wv_


@pytest.mark.parametrize("kind", ["tuple", "generator", "series", "series-index", "dataframe",
                                  "array", "column", "path"])
def test_input_kinds_train_like_a_list(toy_documents, fast_params, reference, tmp_path, kind):
    if kind == "tuple":
        X = tuple(toy_documents)
    elif kind == "generator":
        X = (doc for doc in toy_documents)
    elif kind == "series":
        X = pd.Series(toy_documents)
    elif kind == "series-index":
        X = pd.Series(toy_documents, index=np.arange(len(toy_documents))[::-1] * 3)
    elif kind == "dataframe":
        X = pd.DataFrame({"text": toy_documents})
    elif kind == "array":
        X = np.array(toy_documents)
    elif kind == "column":
        X = np.array(toy_documents, dtype=object).reshape(-1, 1)
    else:
        X = tmp_path / "corpus.txt"
        X.write_text("\n".join(toy_documents) + "\n", encoding="utf-8")
    model = fit(X, **fast_params)
    assert model.wv_.index_to_word == reference.index_to_word
    assert np.array_equal(model.wv_.vectors, reference.vectors)
    assert model.corpus_document_count_ == len(toy_documents)


def test_path_with_windows_line_endings(toy_documents, fast_params, reference, tmp_path):
    path = tmp_path / "crlf.txt"
    path.write_bytes("\r\n".join(toy_documents).encode("utf-8"))
    model = fit(path, **fast_params)
    assert np.array_equal(model.wv_.vectors, reference.vectors)


def test_documents_are_read_exactly_once(toy_documents, fast_params, reference):
    class CountingCorpus:
        passes = 0

        def __iter__(self):
            CountingCorpus.passes += 1
            return iter(toy_documents)

    model = fit(CountingCorpus(), **fast_params)
    assert CountingCorpus.passes == 1
    assert np.array_equal(model.wv_.vectors, reference.vectors)


def test_pretokenized_item_ids(fast_params):
    rng = np.random.default_rng(0)
    sessions = [[f"item{i}" for i in rng.integers(0, 30, size=12)] for _ in range(80)]
    model = fit(sessions, **{**fast_params, "analyzer": "pretokenized"})
    counter = Counter(token for session in sessions for token in session)
    assert set(model.vocabulary_) == set(counter)
    assert dict(zip(model.wv_.index_to_word, model.wv_.counts.tolist(), strict=True)) == counter
    # Tokens are used as they are: no lowercasing, no token pattern.
    odd = [["Item-1", "ITEM 2", "x"]] * 5
    odd_model = fit(odd, **{**fast_params, "analyzer": "pretokenized"})
    assert set(odd_model.vocabulary_) == {"Item-1", "ITEM 2", "x"}
    # Tuples and arrays of str are documents too.
    as_arrays = fit([np.array(s) for s in sessions],
                    **{**fast_params, "analyzer": "pretokenized"})
    assert np.array_equal(as_arrays.wv_.vectors, model.wv_.vectors)


def test_callable_analyzer(toy_documents, fast_params):
    def analyzer(doc):
        return [token.upper() for token in doc.split()][::2]

    model = fit(toy_documents, **{**fast_params, "analyzer": analyzer})
    expected = Counter(t for doc in toy_documents for t in analyzer(doc))
    assert dict(zip(model.wv_.index_to_word, model.wv_.counts.tolist(), strict=True)) == expected


CORPUS = [
    "The Quick brown fox -- jumps over the LAZY dog!",
    "A dog's life: it is 2 dogs, 3 foxes and a fox.",
    "Über café naïve résumé; e-mail me at a@b.c",
    "the the THE The",
]


@pytest.mark.parametrize("params", [
    {},
    {"lowercase": False},
    {"token_pattern": r"(?u)\b\w+\b"},
    {"token_pattern": r"[a-z]+", "lowercase": False},
    {"tokenizer": str.split, "token_pattern": None},
    {"preprocessor": lambda doc: doc.replace("-", " ")},
], ids=["default", "case", "single-chars", "pattern", "tokenizer", "preprocessor"])
def test_tokenizing_like_count_vectorizer(fast_params, params):
    counts = CountVectorizer(**params).fit(CORPUS)
    expected = dict(zip(counts.get_feature_names_out(),
                        np.asarray(counts.transform(CORPUS).sum(axis=0)).ravel().tolist(),
                        strict=True))
    model = fit(CORPUS, **{**fast_params, **params})
    assert set(model.vocabulary_) == set(counts.vocabulary_)
    assert dict(zip(model.wv_.index_to_word, model.wv_.counts.tolist(), strict=True)) == expected


# ------------------------------------------------------------------ long documents
def test_documents_longer_than_a_chunk_are_trained_whole(monkeypatch, fast_params):
    # Chunks hold whole documents. With 64-token chunks, the 12,000-token document is far
    # longer than a chunk (and than gensim's 10,000-token cut-off). Words "t0".."t19" occur
    # only after its 10,000th token. A row of the input matrix changes only when its word
    # is trained as a context word, so with subsampling off every word that occurs must have
    # moved away from its initial value. The initial values are recorded by wrapping
    # initial_state; the corpus is recorded to check the chunking really happened.
    rng = np.random.default_rng(0)
    head = [f"h{i}" for i in rng.integers(0, 50, size=10_000)]
    tail = [f"t{i}" for i in rng.integers(0, 20, size=2_000)]
    short = [[f"s{i}" for i in rng.integers(0, 10, size=10)] for _ in range(30)]
    documents = short[:15] + [head + tail] + short[15:]

    corpora, initial = [], []
    original_read_documents = _sources.read_documents
    original_initial_state = _training.initial_state

    def recording_read_documents(*args, **kwargs):
        corpora.append(original_read_documents(*args, **kwargs))
        return corpora[-1]

    def recording_initial_state(*args, **kwargs):
        state = original_initial_state(*args, **kwargs)
        initial.append(state.syn0.copy())
        return state

    monkeypatch.setattr(_sources, "read_documents", recording_read_documents)
    monkeypatch.setattr(_training, "initial_state", recording_initial_state)

    for n_jobs in (1, 2):
        corpora.clear()
        initial.clear()
        model = Word2VecVectorizer(**{**fast_params, "analyzer": "pretokenized",
                                      "sample": 0.0, "window": 2, "epochs": 1,
                                      "n_jobs": n_jobs})
        _driver.fit(model, _sources.DocumentSource(documents, chunk_tokens=64),
                    _trainers.for_estimator(model))
        # The long document sits whole in one chunk (with at most 63 tokens before it).
        assert 12_000 <= corpora[0].max_chunk_tokens < 12_000 + 64
        assert corpora[0].n_chunks > 3
        assert model.corpus_token_count_ == 12_000 + 300
        moved = np.any(model.wv_.vectors != initial[0], axis=1)
        assert {w for w, m in zip(model.wv_.index_to_word, moved, strict=True) if not m} == set()
        assert {f"t{i}" for i in range(20)} <= set(model.vocabulary_)


# ------------------------------------------------------------------ errors
def test_bare_string_is_rejected(fast_params):
    with pytest.raises(TypeError, match="Iterable over raw text documents expected, string "
                                        "object received"):
        fit("the quick brown fox", **fast_params)


def test_a_str_path_is_a_bare_string_with_a_hint(fast_params, toy_documents, tmp_path):
    path = tmp_path / "corpus.txt"
    path.write_text("\n".join(toy_documents), encoding="utf-8")
    with pytest.raises(TypeError, match="string object received.*pass a pathlib.Path"):
        fit(str(path), **fast_params)


@pytest.mark.parametrize(("bad", "message"), [
    (None, r"Document 2 is missing \(NoneType None\).*fillna"),
    (float("nan"), r"Document 2 is missing \(float nan\)"),
    (np.float32("nan"), r"Document 2 is missing"),
    (3, "Document 2 is int 3, expected a str"),
    (b"bytes doc", r"Document 2 is bytes; decode it"),
    (["a", "list"], r"Document 2 is list .*analyzer='pretokenized'"),
])
def test_invalid_documents_name_their_position(fast_params, bad, message):
    with pytest.raises(TypeError, match=message):
        fit(["first doc", "second doc", bad, "fourth doc"], **fast_params)


def test_missing_values_in_a_series(fast_params):
    with pytest.raises(TypeError, match="Document 1 is missing"):
        fit(pd.Series(["some text", None], dtype=object), **fast_params)


def test_missing_values_in_a_string_series(fast_params):
    with pytest.raises(TypeError, match="Document 1 is missing"):
        fit(pd.Series(["some text", None], dtype="string"), **fast_params)


def test_empty_corpus(fast_params):
    with pytest.raises(ValueError, match="The corpus is empty"):
        fit([], **fast_params)
    with pytest.raises(ValueError, match="The corpus is empty"):
        fit(iter([]), **fast_params)


def test_documents_without_tokens(fast_params):
    with pytest.raises(ValueError, match="The 3 documents hold no tokens.*token_pattern"):
        fit(["", "  ", "a b c"], **fast_params)  # one-letter words do not match


def test_min_count_removing_every_word(fast_params):
    with pytest.raises(ValueError, match=r"min_count=50 removes every word: the most "
                                         r"frequent word 'the' occurs 3 times.*Lower min_count"):
        fit(["the cat", "the dog", "the end"], **{**fast_params, "min_count": 50})


def test_no_training_objective(fast_params):
    with pytest.raises(ValueError, match="negative=0 with hs=False trains nothing"):
        fit(["aa bb"], **{**fast_params, "negative": 0, "hs": False})


def test_min_alpha_above_alpha(fast_params):
    with pytest.raises(ValueError, match="min_alpha=0.1 is larger than alpha=0.025"):
        fit(["aa bb"], **{**fast_params, "alpha": 0.025, "min_alpha": 0.1})


@pytest.mark.parametrize(("name", "value"), [
    ("architecture", "sg"), ("window", 0), ("sample", 1.5), ("sample", -0.1),
    ("vector_size", 0), ("min_count", 0), ("max_vocab_size", 0), ("negative", -1),
    ("hs", 1), ("epochs", -1), ("alpha", 0.0), ("min_alpha", -1e-4), ("n_jobs", 1.5),
    ("analyzer", "char"), ("cbow_mean", "yes"), ("ns_exponent", float("nan")),
    ("tokenizer", "split"),
])
def test_invalid_parameters(fast_params, name, value):
    with pytest.raises(InvalidParameterError,
                       match=rf"The '{name}' parameter of Word2VecVectorizer must be .* Got "
                             rf"{re.escape(repr(value))} instead"):
        fit(["aa bb"], **{**fast_params, name: value})


@pytest.mark.parametrize(("X", "message"), [
    ([["ok", "tokens"], "a str document"], "Document 1 is str 'a str document', but "
                                           "analyzer='pretokenized' expects"),
    ([["ok"], None], "Document 1 is NoneType None"),
    ([["a", "b"], [1, 2]], r"Document 1: the token int 1 is not a str.*str\(\)"),
])
def test_pretokenized_errors(fast_params, X, message):
    with pytest.raises(TypeError, match=message):
        fit(X, **{**fast_params, "analyzer": "pretokenized"})


def test_callable_analyzer_must_return_tokens(fast_params):
    with pytest.raises(TypeError, match="Document 0: the analyzer returned NoneType None"):
        fit(["aa bb"], **{**fast_params, "analyzer": lambda doc: None})


def test_two_column_inputs(fast_params):
    with pytest.raises(ValueError, match="DataFrame with 2 columns.*X\\['text'\\]"):
        fit(pd.DataFrame({"text": ["aa bb"], "other": ["cc"]}), **fast_params)
    with pytest.raises(ValueError, match=r"2-D array of shape \(1, 2\)"):
        fit(np.array([["aa bb", "cc"]]), **fast_params)
    with pytest.raises(ValueError, match="3-D array"):
        fit(np.array([[["aa bb"]]]), **fast_params)


def test_not_an_iterable(fast_params):
    with pytest.raises(TypeError, match="X must be an iterable of documents or a "
                                        "pathlib.Path, got int"):
        fit(5, **fast_params)


def test_file_that_is_not_utf8(fast_params, tmp_path):
    path = tmp_path / "latin1.txt"
    path.write_bytes("caf\xe9 au lait\n".encode("latin-1"))
    with pytest.raises(ValueError, match="line 1: not valid UTF-8.*Re-encode"):
        fit(path, **fast_params)


def test_file_that_is_not_utf8_names_the_right_line(fast_params, tmp_path):
    lines = [f"line {i} of a text file" for i in range(1000)]
    lines[900] = "caf\xe9 au lait"
    path = tmp_path / "mostly-utf8.txt"
    path.write_bytes("\n".join(lines).encode("latin-1"))
    with pytest.raises(ValueError, match="line 901: not valid UTF-8"):
        fit(path, **fast_params)


# ------------------------------------------------------------------ output and refitting
def test_verbose_prints_one_line_per_epoch(capsys, toy_documents, fast_params):
    fit(toy_documents, **{**fast_params, "verbose": 1, "epochs": 4})
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 4
    for epoch, line in enumerate(lines, start=1):
        assert line.startswith(f"epoch {epoch}/4")
        assert re.search(r"loss [0-9.e+]+", line) and re.search(r"[0-9,]+ words/s", line)


def test_silent_by_default(capsys, toy_documents, fast_params):
    fit(toy_documents, **fast_params)
    captured = capsys.readouterr()
    assert captured.out == "" and captured.err == ""


def test_fit_returns_self_and_refit_replaces_everything(toy_documents, other_documents,
                                                        fast_params):
    model = Word2VecVectorizer(**fast_params)
    assert model.fit(toy_documents) is model
    first_vocabulary = dict(model.vocabulary_)
    assert model.fit(other_documents) is model
    assert set(model.vocabulary_) == set(Counter(_tokens(other_documents)))
    assert not set(model.vocabulary_) & set(first_vocabulary)
    assert len(model.wv_) == len(model.vocabulary_)
    assert model.corpus_document_count_ == len(other_documents)
    fresh = fit(other_documents, **fast_params)
    assert np.array_equal(model.wv_.vectors, fresh.wv_.vectors)
    assert model.loss_history_ == fresh.loss_history_


def test_fit_ignores_y(toy_documents, fast_params, reference):
    model = Word2VecVectorizer(**fast_params).fit(toy_documents, y=np.zeros(len(toy_documents)))
    assert np.array_equal(model.wv_.vectors, reference.vectors)
