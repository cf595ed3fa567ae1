"""``WordVectors``: similarity queries against gensim's ``KeyedVectors``, errors, pickling."""

import pickle
import re

import numpy as np
import pytest

from skw2v import WordVectors

N_WORDS, DIM = 60, 12


@pytest.fixture(scope="module")
def words():
    return [f"word{i}" for i in range(N_WORDS)]


@pytest.fixture(scope="module")
def vectors():
    return np.random.default_rng(42).normal(size=(N_WORDS, DIM)).astype(np.float32)


@pytest.fixture
def wv(words, vectors):
    return WordVectors(words, vectors, counts=np.arange(N_WORDS, 0, -1))


@pytest.fixture(scope="module")
def kv(words, vectors):
    gensim_models = pytest.importorskip("gensim.models")
    kv = gensim_models.KeyedVectors(DIM)
    kv.add_vectors(words, vectors)
    return kv


def assert_same_results(got, expected):
    assert [w for w, _ in got] == [w for w, _ in expected]
    np.testing.assert_allclose([s for _, s in got], [s for _, s in expected], rtol=0,
                               atol=1e-5)


# ------------------------------------------------------------------ against gensim
QUERIES = [
    ({"positive": "word3"}, 10),
    ({"positive": ["word3"]}, 1),
    ({"positive": ["word1", "word2"]}, 7),
    ({"positive": ["word1", "word2"], "negative": ["word3"]}, 10),  # 3CosAdd
    ({"positive": ["word10", "word20", "word30"], "negative": ["word4", "word5"]}, 15),
    ({"negative": ["word7"]}, 5),
    ({"positive": ["word0"]}, N_WORDS + 5),  # more than the vocabulary: all other words
    ({"positive": ["word8", "word8"]}, 4),  # a repeated word is excluded once
]


@pytest.mark.parametrize(("query", "topn"), QUERIES)
def test_most_similar_matches_gensim(wv, kv, query, topn):
    got = wv.most_similar(**query, topn=topn)
    assert_same_results(got, kv.most_similar(**query, topn=topn))
    query_words = {query.get("positive")} if isinstance(query.get("positive"), str) else set(
        query.get("positive", [])) | set(query.get("negative", []))
    assert not query_words & {w for w, _ in got}
    assert len(got) == min(topn, N_WORDS - len(query_words))
    scores = [s for _, s in got]
    assert scores == sorted(scores, reverse=True)


def test_most_similar_scores_are_cosines(wv, vectors):
    # Independent of gensim: the cosine of each result with the query word.
    unit = vectors / np.linalg.norm(vectors, axis=1, keepdims=True)
    cosines = unit @ unit[5]
    cosines[5] = -np.inf
    order = np.argsort(-cosines)[:8]
    got = wv.most_similar("word5", topn=8)
    assert [w for w, _ in got] == [f"word{i}" for i in order]
    np.testing.assert_allclose([s for _, s in got], cosines[order], atol=1e-6)


def test_most_similar_by_vector_matches_gensim(wv, kv, vectors):
    query = np.random.default_rng(1).normal(size=DIM).astype(np.float32)
    got = wv.most_similar(positive=query, topn=6)
    assert_same_results(got, kv.most_similar(positive=query, topn=6))
    # A vector is never excluded: its own word comes back with similarity 1.
    assert wv.most_similar(positive=vectors[9], topn=1)[0][0] == "word9"
    assert wv.most_similar(positive=vectors[9], topn=1)[0][1] == pytest.approx(1.0, abs=1e-6)


def test_most_similar_mixes_words_and_unit_vectors_like_gensim(wv, kv):
    # gensim does not rescale a query vector, skw2v does: they agree for unit vectors.
    v = np.random.default_rng(2).normal(size=DIM).astype(np.float32)
    v /= np.linalg.norm(v)
    query = {"positive": ["word2", v], "negative": ["word6"]}
    assert_same_results(wv.most_similar(**query, topn=8), kv.most_similar(**query, topn=8))


def test_query_vectors_are_scale_invariant(wv):
    v = np.random.default_rng(3).normal(size=DIM)
    assert_same_results(wv.most_similar(positive=[v, "word1"]),
                        wv.most_similar(positive=[7 * v, "word1"]))


def test_similarity_matches_gensim(wv, kv, vectors):
    for a, b in [("word0", "word1"), ("word5", "word5"), ("word59", "word17")]:
        assert wv.similarity(a, b) == pytest.approx(float(kv.similarity(a, b)), abs=1e-6)
    u, v = vectors[3], vectors[4]
    expected = np.dot(u, v) / (np.linalg.norm(u) * np.linalg.norm(v))
    assert wv.similarity("word3", "word4") == pytest.approx(expected, abs=1e-6)
    assert isinstance(wv.similarity("word3", "word4"), float)


def test_analogy_on_hand_made_vectors():
    wv = WordVectors(["king", "queen", "man", "woman", "apple"],
                     [[1, 1, 0], [1, 0, 1], [0, 1, 0.1], [0, 0, 1], [-1, 0.2, 0]])
    result = wv.most_similar(positive=["king", "woman"], negative=["man"], topn=2)
    assert result[0][0] == "queen"
    assert {w for w, _ in result} <= {"queen", "apple"}


# ------------------------------------------------------------------ errors
def test_unknown_words_raise_a_key_error_naming_them(wv):
    with pytest.raises(KeyError, match="'nope'"):
        wv.most_similar("nope")
    with pytest.raises(KeyError, match="'nope'"):
        wv.most_similar(positive=["word1"], negative=["nope"])
    with pytest.raises(KeyError, match="'absent'"):
        wv.similarity("word1", "absent")
    with pytest.raises(KeyError, match="'absent'"):
        wv["absent"]
    with pytest.raises(KeyError, match="'absent'"):
        wv.get_index("absent")
    assert "absent" not in wv and "word1" in wv


@pytest.mark.parametrize("topn", [0, -1, 1.5, True, None, "3"])
def test_topn_must_be_a_positive_int(wv, topn):
    with pytest.raises(ValueError, match="topn must be a positive int"):
        wv.most_similar("word1", topn=topn)


def test_numpy_int_topn_is_accepted(wv):
    assert len(wv.most_similar("word1", topn=np.int64(3))) == 3


def test_most_similar_needs_a_query(wv):
    with pytest.raises(ValueError, match="at least one positive or negative"):
        wv.most_similar()
    with pytest.raises(ValueError, match="at least one positive or negative"):
        wv.most_similar(positive=[], negative=[])


def test_query_vector_of_the_wrong_size(wv):
    with pytest.raises(ValueError, match=rf"shape \({DIM},\), got \(3,\)"):
        wv.most_similar(positive=np.ones(3))


def test_constructor_rejects_duplicate_words():
    with pytest.raises(ValueError, match="'a' more than once"):
        WordVectors(["a", "b", "a"], np.zeros((3, 2)))


def test_constructor_rejects_a_shape_mismatch():
    with pytest.raises(ValueError, match="2 words but 3 vector rows"):
        WordVectors(["a", "b"], np.zeros((3, 2)))
    with pytest.raises(ValueError, match="must be 2-D"):
        WordVectors(["a", "b"], np.zeros(2))
    with pytest.raises(ValueError, match=r"counts has shape \(3,\), expected \(2,\)"):
        WordVectors(["a", "b"], np.zeros((2, 2)), counts=[1, 2, 3])


def test_constructor_rejects_words_that_are_not_str():
    with pytest.raises(TypeError, match=r"index_to_word\[1\] is int 7"):
        WordVectors(["a", 7], np.zeros((2, 2)))
    with pytest.raises(TypeError, match=r"index_to_word\[0\] is bytes"):
        WordVectors([b"a"], np.zeros((1, 2)))


# ------------------------------------------------------------------ storage and caching
def test_vectors_are_float32_and_indexing_is_consistent(words, vectors):
    wv = WordVectors(words, vectors.astype(np.float64))
    assert wv.vectors.dtype == np.float32 and wv.vectors.flags.c_contiguous
    assert len(wv) == N_WORDS and wv.vector_size == DIM
    assert wv.word_to_index == {w: i for i, w in enumerate(words)}
    np.testing.assert_array_equal(wv["word4"], vectors[4])
    assert wv.counts is None
    assert repr(wv) == f"WordVectors(n_words={N_WORDS}, vector_size={DIM})"


def test_unit_vectors_are_normalised_and_zero_rows_stay_zero():
    wv = WordVectors(["a", "b", "c"], [[3.0, 4.0], [0.0, 0.0], [1.0, 0.0]])
    np.testing.assert_allclose(wv.unit_vectors, [[0.6, 0.8], [0, 0], [1, 0]], atol=1e-7)
    assert wv.similarity("a", "b") == 0.0  # never NaN
    result = wv.most_similar("b", topn=2)
    assert all(np.isfinite(s) for _, s in result)


def test_assigning_vectors_resets_the_unit_vector_cache(wv, vectors):
    before = wv.most_similar("word0", topn=3)
    _ = wv.unit_vectors  # fill the cache
    new = vectors.copy()
    new[[0, 1, 2]] = vectors[[1, 1, 1]] * np.array([[1.0], [2.0], [3.0]], dtype=np.float32)
    wv.vectors = new
    np.testing.assert_allclose(np.linalg.norm(wv.unit_vectors, axis=1), 1.0, rtol=1e-6)
    np.testing.assert_allclose(wv.unit_vectors[0], new[1] / np.linalg.norm(new[1]), atol=1e-6)
    assert wv.similarity("word0", "word2") == pytest.approx(1.0, abs=1e-6)
    after = wv.most_similar("word0", topn=3)
    assert {w for w, _ in after[:2]} == {"word1", "word2"} and after != before


def test_pickle_round_trip(wv):
    expected = wv.most_similar(positive=["word1", "word2"], negative=["word3"])
    clone = pickle.loads(pickle.dumps(wv))
    np.testing.assert_array_equal(clone.vectors, wv.vectors)
    assert clone.index_to_word == wv.index_to_word
    assert clone.word_to_index == wv.word_to_index
    np.testing.assert_array_equal(clone.counts, wv.counts)
    assert clone.most_similar(positive=["word1", "word2"], negative=["word3"]) == expected


def test_pickle_does_not_store_the_unit_vectors(words):
    big = np.random.default_rng(0).normal(size=(N_WORDS, 500)).astype(np.float32)
    fresh = WordVectors(words, big)
    used = WordVectors(words, big)
    _ = used.unit_vectors
    assert len(pickle.dumps(used)) == len(pickle.dumps(fresh))
    np.testing.assert_allclose(pickle.loads(pickle.dumps(used)).unit_vectors, used.unit_vectors)


def test_queries_never_copy_the_table(words):
    # gensim keeps norms, not a normalised copy: a 1M-word table would otherwise take twice
    # its memory after the first query (and a memory-mapped one would be copied per process).
    import tracemalloc

    table = np.random.default_rng(1).normal(size=(20_000, 100)).astype(np.float32)
    wv = WordVectors([f"w{i}" for i in range(len(table))], table)
    expected_top = int(np.argmax(
        (table / np.linalg.norm(table, axis=1, keepdims=True)) @ (table[7] / np.linalg.norm(
            table[7]))[:, None] * (np.arange(len(table)) != 7)[:, None]))
    tracemalloc.start()
    try:
        top = wv.most_similar("w7", topn=3)
        wv.most_similar_cosmul(positive=["w1", "w2"], negative=["w3"], topn=3)
        wv.similarity("w1", "w2")
        wv.doesnt_match(["w1", "w2", "w3"])
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert top[0][0] == f"w{expected_top}"
    assert peak < table.nbytes / 4, f"queries allocated {peak:,} bytes, table {table.nbytes:,}"
    np.testing.assert_allclose(np.linalg.norm(wv.unit_vectors, axis=1), 1.0, rtol=1e-6)


def test_in_place_changes_do_not_leave_stale_unit_vectors():
    wv = WordVectors(["a", "b", "c"], [[1.0, 0.0], [0.0, 1.0], [1.0, 1.0]])
    assert wv.similarity("a", "b") == pytest.approx(0.0)
    try:
        wv["a"][:] = [0.0, 1.0]  # __getitem__ returns a view into vectors
    except ValueError:
        return  # read-only vectors would be a fix too: no stale cache is possible
    assert wv.similarity("a", "b") == pytest.approx(1.0)


# ------------------------------------------------------------------ NaN and infinity
NON_FINITE = [np.nan, np.inf, -np.inf, 1e39]  # 1e39 is beyond the float32 range


@pytest.mark.parametrize("bad", NON_FINITE)
def test_constructor_rejects_non_finite_vectors_naming_the_word(bad):
    vectors = np.ones((3, 2))
    vectors[1, 0] = bad
    with pytest.raises(ValueError, match=r"The vector of 'b' \(row 1\) holds -?(nan|inf) "
                       r".*such vectors are rejected"):
        WordVectors(["a", "b", "c"], vectors)


@pytest.mark.parametrize("bad", NON_FINITE)
def test_vectors_setter_rejects_non_finite_values_and_keeps_the_old_ones(wv, vectors, bad):
    new = vectors.astype(np.float64)
    new[7, 3] = bad
    with pytest.raises(ValueError, match=r"The vector of 'word7' \(row 7\) holds -?(nan|inf)"):
        wv.vectors = new
    np.testing.assert_array_equal(wv.vectors, vectors)


@pytest.mark.parametrize(("value", "error", "match"), [
    ([["a", "b"]], ValueError, r"vectors must be an array of real numbers, got list "
     r"\[\['a', 'b'\]\] \(could not convert string to float: 'a'\)"),
    ([[1j, 2]], TypeError, "vectors must be an array of real numbers, got list .*complex"),
    ([[None, 1.0]], ValueError, r"The vector of 'a' \(row 0\) holds nan"),  # None: NaN
])
def test_vectors_that_are_not_real_numbers_are_rejected(value, error, match):
    with pytest.raises(error, match=match):
        WordVectors(["a"], value)


def test_vectors_setter_checks_the_shape(wv, vectors):
    with pytest.raises(ValueError, match=rf"{N_WORDS} words but 3 vector rows"):
        wv.vectors = vectors[:3]
    with pytest.raises(ValueError, match="must be 2-D"):
        wv.vectors = vectors[0]
    np.testing.assert_array_equal(wv.vectors, vectors)


@pytest.mark.parametrize("bad", NON_FINITE)
@pytest.mark.parametrize("method", ["most_similar", "most_similar_cosmul"])
def test_query_vectors_with_nan_or_infinity_are_rejected(wv, method, bad):
    query = np.ones(DIM)
    query[2] = bad
    with pytest.raises(ValueError, match=r"The query vector positive\[1\] holds -?(nan|inf) "
                       r".*such vectors are rejected"):
        getattr(wv, method)(positive=["word1", query])
    with pytest.raises(ValueError, match=r"The query vector negative holds"):
        getattr(wv, method)(positive="word1", negative=query)


# ------------------------------------------------------------------ wrong types of query
EXPECTED_ITEM = rf"expected a word \(str\) or a 1-D vector of length {DIM}"
EXPECTED_ARGUMENT = rf"expected a word \(str\), a 1-D vector of length {DIM}, or a list of them"


@pytest.mark.parametrize("method", ["most_similar", "most_similar_cosmul"])
@pytest.mark.parametrize(("query", "match"), [
    ({"positive": 5}, r"positive is int 5; " + EXPECTED_ARGUMENT),
    # The message shows the value's repr: np.float64(2.5) with NumPy 2, 2.5 with NumPy 1.
    ({"positive": np.float64(2.5)}, rf"positive is float64 {re.escape(repr(np.float64(2.5)))}; "
     + EXPECTED_ARGUMENT),
    ({"positive": [["word1", "word2"]]}, r"positive\[0\] is list \['word1', 'word2'\]; "
     + EXPECTED_ITEM),
    ({"positive": ["word1", None]}, r"positive\[1\] is NoneType None; " + EXPECTED_ITEM),
    ({"positive": ["word1"], "negative": [b"word2"]}, r"negative\[0\] is bytes b'word2'"),
    ({"positive": b"word1"}, r"positive is bytes b'word1'; " + EXPECTED_ARGUMENT),
    ({"positive": ["word1", 3]}, r"positive\[1\] is int 3; " + EXPECTED_ITEM),
    ({"positive": [[1, "x"] * (DIM // 2)]}, r"positive\[0\] is list"),
    ({"positive": [[[1.0], [2.0, 3.0]]]}, r"positive\[0\] is list"),  # ragged
    ({"positive": [np.ones(DIM, dtype=bool)]}, r"positive\[0\] is ndarray"),
])
def test_query_items_of_the_wrong_type_raise_a_type_error(wv, method, query, match):
    with pytest.raises(TypeError, match=match):
        getattr(wv, method)(**query)


def test_numeric_query_vector_of_the_wrong_shape_is_a_value_error(wv):
    with pytest.raises(ValueError, match=rf"positive\[0\] must have shape \({DIM},\), got "
                       rf"\(2, {DIM}\)"):
        wv.most_similar(positive=[np.ones((2, DIM))])


def test_query_vectors_as_lists_and_int_arrays_are_accepted(wv, vectors):
    as_list = wv.most_similar(positive=[vectors[4].tolist()], topn=3)
    assert as_list == wv.most_similar(positive=vectors[4], topn=3)
    assert as_list[0][0] == "word4"
    ints = np.arange(DIM)
    assert wv.most_similar(positive=ints, topn=3) == wv.most_similar(
        positive=ints.astype(np.float32), topn=3)


@pytest.mark.parametrize(("args", "match"), [
    ((5, "word1"), r"word1 must be a word \(str\), got int 5"),
    (("word1", ["word2"]), r"word2 must be a word \(str\), got list \['word2'\]"),
    (("word1", b"word2"), r"word2 must be a word \(str\), got bytes b'word2'"),
])
def test_similarity_of_non_words_is_a_type_error(wv, args, match):
    with pytest.raises(TypeError, match=match):
        wv.similarity(*args)


def test_indexing_by_a_non_word_is_a_type_error(wv):
    with pytest.raises(TypeError, match=r"word must be a word \(str\), got int 3"):
        wv[3]
    with pytest.raises(TypeError, match=r"word must be a word \(str\), got list"):
        wv.get_index(["word1"])
    assert ["word1"] not in wv and 3 not in wv


@pytest.mark.parametrize(("query_words", "match"), [
    (["word1", 5, "word2"], r"words\[1\] must be a word \(str\), got int 5"),
    (["word1", None], r"words\[1\] must be a word \(str\), got NoneType None"),
    (5, r"doesnt_match takes a list of words, got int 5"),
    ("word1", r"doesnt_match takes a list of words, got a single str"),
])
def test_doesnt_match_with_non_words_is_a_type_error(wv, query_words, match):
    with pytest.raises(TypeError, match=match):
        wv.doesnt_match(query_words)
