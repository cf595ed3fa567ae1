"""format='npy': skw2v's directory of .npy arrays, read or memory-mapped, written atomically;
every broken directory is a clear error naming the file."""

import copy
import json
import os
import pickle

import numpy as np
import pytest
from sklearn.base import clone

from skw2v import Word2VecVectorizer, WordVectors

WORDS = ["king", "queen", "café", "北京", "a b", "tab\there", "new\nline", "\udcff-raw"]


@pytest.fixture
def wv():
    vectors = np.random.default_rng(0).normal(size=(len(WORDS), 6))
    return WordVectors(WORDS, vectors, counts=np.arange(len(WORDS), 0, -1) * 10)


@pytest.fixture
def subword_wv():
    rng = np.random.default_rng(1)
    return WordVectors.from_subwords(["walk", "talk", "walked"], rng.normal(size=(3, 4)),
                                     rng.normal(size=(5, 4)), char_ngram_range=(3, 5),
                                     n_buckets=200, ngram_buckets=[3, 17, 40, 41, 199],
                                     counts=[4, 2, 1])


def assert_same(got, expected):
    assert got.index_to_word == expected.index_to_word
    np.testing.assert_array_equal(got.vectors, expected.vectors)
    if expected.counts is None:
        assert got.counts is None
    else:
        np.testing.assert_array_equal(got.counts, expected.counts)
    assert (got.char_ngram_range, got.n_buckets) == (expected.char_ngram_range,
                                                     expected.n_buckets)


@pytest.mark.parametrize("mmap", [None, False, True])
def test_round_trip_of_any_word(tmp_path, wv, mmap):
    wv.save(tmp_path / "t", format="npy")
    got = WordVectors.load(tmp_path / "t", format="npy", mmap=mmap)
    assert_same(got, wv)
    assert isinstance(got.vectors, np.memmap) is bool(mmap)
    assert not got.vectors.flags.writeable
    assert got.most_similar("king", topn=3) == wv.most_similar("king", topn=3)
    # Each array is an ordinary .npy file.
    np.testing.assert_array_equal(np.load(tmp_path / "t" / "vectors.npy"), wv.vectors)


def test_without_counts(tmp_path):
    wv = WordVectors(["x", "y"], [[1, 2], [3, 4]])
    wv.save(tmp_path / "t", format="npy")
    assert sorted(os.listdir(tmp_path / "t")) == ["skw2v-npy.json", "vectors.npy",
                                                  "words.json"]
    assert_same(WordVectors.load(tmp_path / "t", format="npy", mmap=True), wv)


@pytest.mark.parametrize("mmap", [False, True])
def test_subword_round_trip_answers_unseen_words_the_same(tmp_path, subword_wv, mmap):
    subword_wv.save(tmp_path / "t", format="npy")
    got = WordVectors.load(tmp_path / "t", format="npy", mmap=mmap)
    assert_same(got, subword_wv)
    np.testing.assert_array_equal(got.ngram_buckets, subword_wv.ngram_buckets)
    assert isinstance(got.vectors_ngrams, np.memmap) is mmap
    for word in ["walking", "talked", "xyz"]:
        np.testing.assert_array_equal(got[word], subword_wv[word])


def test_subword_model_with_every_bucket(tmp_path):
    rng = np.random.default_rng(2)
    wv = WordVectors.from_subwords(["ab"], rng.normal(size=(1, 3)), rng.normal(size=(30, 3)),
                                   char_ngram_range=(1, 2), n_buckets=30)
    wv.save(tmp_path / "t", format="npy")
    assert "ngram_buckets.npy" not in os.listdir(tmp_path / "t")
    got = WordVectors.load(tmp_path / "t", format="npy", mmap=True)
    assert got.ngram_buckets is None
    np.testing.assert_array_equal(got["abc"], wv["abc"])


def test_empty_vocabulary(tmp_path):
    wv = WordVectors([], np.zeros((0, 3)))
    wv.save(tmp_path / "t", format="npy")
    for mmap in (False, True):
        got = WordVectors.load(tmp_path / "t", format="npy", mmap=mmap)
        assert len(got) == 0 and got.vector_size == 3


def test_mapped_vectors_are_shared_by_copies_and_clones(tmp_path, wv):
    wv.save(tmp_path / "t", format="npy")
    mapped = WordVectors.load(tmp_path / "t", format="npy", mmap=True)
    assert copy.deepcopy(mapped).vectors is mapped.vectors
    restored = pickle.loads(pickle.dumps(mapped))  # a pickle holds the values
    np.testing.assert_array_equal(restored.vectors, wv.vectors)
    est = Word2VecVectorizer(init=mapped, vector_size=6, epochs=0, min_count=1)
    fitted = clone(est).fit(["king queen café"])
    assert np.shares_memory(fitted.wv_.vectors, mapped.vectors)
    assert isinstance(fitted.wv_.vectors, np.memmap)


# ------------------------------------------------------------------ writing
def test_replaces_an_older_table_while_a_map_of_it_stays_valid(tmp_path, wv):
    path = tmp_path / "t"
    wv.save(path, format="npy")
    old = WordVectors.load(path, format="npy", mmap=True)
    other = WordVectors(["z"], [[1, 2, 3, 4, 5, 6]])
    other.save(path, format="npy")
    assert WordVectors.load(path, format="npy").index_to_word == ["z"]
    np.testing.assert_array_equal(old.vectors, wv.vectors)  # the old files live on
    assert os.listdir(tmp_path) == ["t"]


@pytest.mark.parametrize("existing", ["file", "directory"])
def test_never_replaces_something_else(tmp_path, wv, existing):
    path = tmp_path / "precious"
    if existing == "file":
        path.write_text("keep me")
    else:
        path.mkdir()
        (path / "notes.txt").write_text("keep me")
    with pytest.raises(ValueError, match="is not a directory written by save"):
        wv.save(path, format="npy")
    assert sorted(os.listdir(tmp_path)) == ["precious"]


@pytest.mark.parametrize("error", [OSError(28, "No space left on device"), KeyboardInterrupt()])
def test_a_failed_save_leaves_the_old_table_and_no_temporary_files(tmp_path, monkeypatch,
                                                                   wv, error):
    path = tmp_path / "t"
    WordVectors(["old"], [[0.0] * 6]).save(path, format="npy")
    real_save = np.save
    calls = []

    def failing_save(*args, **kwargs):
        calls.append(1)
        if len(calls) == 2:
            raise error
        return real_save(*args, **kwargs)

    monkeypatch.setattr(np, "save", failing_save)
    with pytest.raises(type(error)):
        wv.save(path, format="npy")
    monkeypatch.undo()
    assert os.listdir(tmp_path) == ["t"]
    assert WordVectors.load(path, format="npy").index_to_word == ["old"]


# ------------------------------------------------------------------ errors
def saved(tmp_path, wv):
    path = tmp_path / "t"
    wv.save(path, format="npy")
    return path


def test_a_file_or_a_missing_directory(tmp_path, wv):
    (tmp_path / "f.npy").write_bytes(b"x")
    with pytest.raises(ValueError, match=r"f\.npy \(format='npy'\) is a file"):
        WordVectors.load(tmp_path / "f.npy", format="npy")
    with pytest.raises(FileNotFoundError, match="No such directory"):
        WordVectors.load(tmp_path / "nothing", format="npy")
    (tmp_path / "empty").mkdir()
    with pytest.raises(ValueError, match="skw2v-npy.json is missing"):
        WordVectors.load(tmp_path / "empty", format="npy")


@pytest.mark.parametrize(("edit", "match"), [
    (lambda meta: "{not json", "the description is not valid JSON"),
    (lambda meta: json.dumps({**meta, "format": "other"}), "expected a JSON object"),
    (lambda meta: json.dumps({**meta, "version": 2}), "version 2 of the npy format"),
    (lambda meta: json.dumps({**meta, "n_words": -1}), "n_words must be a non-negative int"),
    (lambda meta: json.dumps({**meta, "n_words": 3}), "expected a list of 3 words, found 8"),
    (lambda meta: json.dumps({**meta, "vector_size": 5}), r"shape \(8 x 5\), found float32"),
    (lambda meta: json.dumps({**meta, "counts": "yes"}), "counts must be true or false"),
    (lambda meta: json.dumps({**meta, "char_ngram_range": [3, 2], "n_buckets": 9}),
     "char_ngram_range must be a pair"),
])
def test_corrupt_description(tmp_path, wv, edit, match):
    path = saved(tmp_path, wv)
    meta = json.loads((path / "skw2v-npy.json").read_text())
    (path / "skw2v-npy.json").write_text(edit(meta))
    with pytest.raises(ValueError, match=match):
        WordVectors.load(path, format="npy")


def test_corrupt_word_list(tmp_path, wv):
    path = saved(tmp_path, wv)
    (path / "words.json").write_text('["king", "king"' + ', "x"' * 6 + "]")
    with pytest.raises(ValueError, match=r"words\.json: index_to_word has the word 'king'"):
        WordVectors.load(path, format="npy")
    (path / "words.json").write_text('["king", ')
    with pytest.raises(ValueError, match="the word list is not valid JSON"):
        WordVectors.load(path, format="npy")


@pytest.mark.parametrize("mmap", [False, True])
def test_truncated_or_missing_array(tmp_path, wv, mmap):
    path = saved(tmp_path, wv)
    data = (path / "vectors.npy").read_bytes()
    (path / "vectors.npy").write_bytes(data[:-10])
    with pytest.raises(ValueError, match=r"vectors\.npy: not a readable \.npy array"):
        WordVectors.load(path, format="npy", mmap=mmap)
    (path / "vectors.npy").write_bytes(b"garbage")
    with pytest.raises(ValueError, match=r"vectors\.npy: not a readable \.npy array"):
        WordVectors.load(path, format="npy", mmap=mmap)
    (path / "vectors.npy").unlink()
    with pytest.raises(ValueError, match=r"vectors\.npy is missing"):
        WordVectors.load(path, format="npy", mmap=mmap)


def test_arrays_that_do_not_belong_together(tmp_path, wv, subword_wv):
    path = saved(tmp_path, wv)
    np.save(path / "vectors.npy", np.zeros((3, 6), dtype=np.float32))
    with pytest.raises(ValueError, match=r"shape \(8 x 6\), found float32 of shape \(3, 6\)"):
        WordVectors.load(path, format="npy")
    np.save(path / "vectors.npy", np.zeros((8, 6), dtype=np.int32))
    with pytest.raises(ValueError, match="expected float values.*found int32"):
        WordVectors.load(path, format="npy")
    np.save(path / "counts.npy", np.zeros(7, dtype=np.int64))
    with pytest.raises(ValueError, match=r"counts\.npy: expected int values of shape \(8\)"):
        WordVectors.load(path, format="npy")
    (tmp_path / "s").mkdir()
    sub = saved(tmp_path / "s", subword_wv)
    np.save(sub / "ngram_buckets.npy", np.array([3, 17, 17, 41, 199]))
    with pytest.raises(ValueError, match="strictly increasing in"):
        WordVectors.load(sub, format="npy")


@pytest.mark.parametrize("mmap", [False, True])
def test_nan_rows_name_the_word_and_file(tmp_path, wv, mmap):
    path = saved(tmp_path, wv)
    vectors = wv.vectors.copy()
    vectors[3, 2] = np.nan
    np.save(path / "vectors.npy", vectors)
    with pytest.raises(ValueError, match=r"vectors\.npy: the row of '北京' \(row 3\) holds nan"):
        WordVectors.load(path, format="npy", mmap=mmap)


def test_options_that_do_not_apply(tmp_path, wv):
    path = saved(tmp_path, wv)
    with pytest.raises(ValueError, match="limit=2 does not apply to format='npy'"):
        WordVectors.load(path, format="npy", limit=2)
    with pytest.raises(ValueError, match="mmap must be True, False or None"):
        WordVectors.load(path, format="npy", mmap="r")
    WordVectors(["x"], [[1.0]]).save(tmp_path / "v.txt")
    with pytest.raises(ValueError, match="mmap=True: format='word2vec' is text"):
        WordVectors.load(tmp_path / "v.txt", mmap=True)
    with pytest.raises(ValueError, match="mmap=False: a fastText model is always"):
        WordVectors.load(tmp_path / "v.txt", format="fasttext", mmap=False)
