"""``WordVectors.load`` and ``save``: round trips through gensim, and clear errors on bad files."""

import gzip
import re
import tracemalloc

import numpy as np
import pytest

from skw2v import WordVectors
from skw2v._io import common, word2vec

gensim_models = pytest.importorskip("gensim.models")
KeyedVectors = gensim_models.KeyedVectors

WORDS = ["the", "café", "北京", "😀", "naïve", "a\xa0b", "Zürich", "x"]
DIM = 7
FORMATS = ["word2vec", "word2vec-binary", "glove"]


@pytest.fixture(scope="module")
def vectors():
    rng = np.random.default_rng(0)
    vectors = rng.normal(size=(len(WORDS), DIM)).astype(np.float32)
    vectors[0, :3] = [0.1, 1e-30, -3e7]  # short, tiny and large values
    return vectors


@pytest.fixture(scope="module")
def wv(vectors):
    return WordVectors(WORDS, vectors)


def gensim_load(path, format, **kwargs):
    return KeyedVectors.load_word2vec_format(
        str(path), binary=format == "word2vec-binary", no_header=format == "glove", **kwargs)


def gensim_kv(words, vectors):
    kv = KeyedVectors(vectors.shape[1])
    kv.add_vectors(words, vectors)
    return kv


def write(tmp_path, data: bytes, name="vectors.txt"):
    path = tmp_path / name
    path.write_bytes(data)
    return path


def record(word: str, values) -> bytes:
    return word.encode() + b" " + np.asarray(values, dtype="<f4").tobytes()


def at(path, where):
    """A regex matching the start of an error message about ``path``."""
    return re.escape(f"{path}, {where}")


# ------------------------------------------------------------------ round trips with gensim
@pytest.mark.parametrize("format", FORMATS)
@pytest.mark.parametrize("name", ["vectors.out", "vectors.out.gz"])
def test_saved_file_loads_in_gensim(tmp_path, wv, vectors, format, name):
    path = tmp_path / name
    wv.save(path, format=format)
    kv = gensim_load(path, format)
    assert kv.index_to_key == WORDS
    # Text floats are written as the shortest decimal of each float32: exact, like binary.
    np.testing.assert_array_equal(kv.vectors, vectors)
    if name.endswith(".gz"):
        assert path.read_bytes()[:2] == b"\x1f\x8b"


@pytest.mark.parametrize("format", FORMATS)
def test_gensim_file_loads_identically(tmp_path, vectors, format):
    path = tmp_path / "gensim.out"
    gensim_kv(WORDS, vectors).save_word2vec_format(
        str(path), binary=format == "word2vec-binary", write_header=format != "glove")
    wv = WordVectors.load(path, format=format)
    assert wv.index_to_word == WORDS
    np.testing.assert_array_equal(wv.vectors, vectors)
    assert wv.vectors.dtype == np.float32 and wv.counts is None


def test_text_file_is_byte_identical_to_gensims(tmp_path, wv, vectors):
    ours, theirs = tmp_path / "ours.txt", tmp_path / "theirs.txt"
    wv.save(ours)
    gensim_kv(WORDS, vectors).save_word2vec_format(str(theirs))
    assert ours.read_bytes() == theirs.read_bytes()
    assert ours.read_text(encoding="utf-8").splitlines()[0] == f"{len(WORDS)} {DIM}"


def test_binary_layout_is_the_c_tools(tmp_path):
    path = tmp_path / "v.bin"
    WordVectors(["é", "b"], [[1.5, -2.0], [0.25, 3.0]]).save(path, format="word2vec-binary")
    expected = (b"2 2\n" + "é".encode() + b" " + np.array([1.5, -2.0], "<f4").tobytes()
                + b"\nb " + np.array([0.25, 3.0], "<f4").tobytes() + b"\n")
    assert path.read_bytes() == expected


def test_glove_file_has_no_header(tmp_path):
    path = tmp_path / "glove.txt"
    WordVectors(["a", "b"], [[0.5, 1.0], [2.0, -0.125]]).save(path, format="glove")
    assert path.read_text() == "a 0.5 1.0\nb 2.0 -0.125\n"


@pytest.mark.parametrize("format", FORMATS)
def test_gzip_is_detected_by_its_magic_bytes_not_the_name(tmp_path, wv, vectors, format):
    plain = tmp_path / "plain"
    wv.save(plain, format=format)
    disguised = write(tmp_path, gzip.compress(plain.read_bytes()), "vectors.txt")
    loaded = WordVectors.load(disguised, format=format)
    assert loaded.index_to_word == WORDS
    np.testing.assert_array_equal(loaded.vectors, vectors)


@pytest.mark.parametrize("format", FORMATS)
@pytest.mark.parametrize("limit", [1, 3, len(WORDS), 100])
def test_limit_reads_the_first_words_like_gensim(tmp_path, wv, format, limit):
    path = tmp_path / "v"
    wv.save(path, format=format)
    loaded = WordVectors.load(path, format=format, limit=limit)
    kv = gensim_load(path, format, limit=limit)
    assert loaded.index_to_word == kv.index_to_key == WORDS[:limit]
    np.testing.assert_array_equal(loaded.vectors, kv.vectors)


def test_limit_stops_before_a_corrupt_tail(tmp_path):
    path = write(tmp_path, b"3 2\na 1 2\nb 3 4\nc oops\n")
    assert WordVectors.load(path, limit=2).index_to_word == ["a", "b"]
    with pytest.raises(ValueError, match=at(path, "line 4")):
        WordVectors.load(path)


def test_c_tool_text_quirks_trailing_spaces_crlf_and_blank_lines(tmp_path):
    path = write(tmp_path, b"2 3\r\nking 0.5 -1 2e-3 \r\n\r\nqueen 1 2 3 \r\n\n")
    wv = WordVectors.load(path)
    kv = gensim_load(write(tmp_path, b"2 3\nking 0.5 -1 2e-3 \nqueen 1 2 3 \n", "g"),
                     "word2vec")
    assert wv.index_to_word == kv.index_to_key == ["king", "queen"]
    np.testing.assert_array_equal(wv.vectors, kv.vectors)


def test_binary_with_and_without_newlines_after_vectors(tmp_path):
    body = [record("a", [1, 2]), record("b", [3, 4])]
    for data in (b"2 2\n" + b"".join(body), b"2 2\n" + b"\n".join(body) + b"\n"):
        path = write(tmp_path, data, "v.bin")
        wv = WordVectors.load(path, format="word2vec-binary")
        kv = gensim_load(path, "word2vec-binary")
        assert wv.index_to_word == kv.index_to_key == ["a", "b"]
        np.testing.assert_array_equal(wv.vectors, kv.vectors)


def test_utf8_byte_order_mark_is_ignored(tmp_path):
    path = write(tmp_path, b"\xef\xbb\xbfa 1 2\nb 3 4\n")
    assert WordVectors.load(path, format="glove").index_to_word == ["a", "b"]
    path = write(tmp_path, b"\xef\xbb\xbf1 2\na 1 2\n")
    assert WordVectors.load(path).index_to_word == ["a"]


def test_empty_vocabulary_round_trip(tmp_path):
    path = tmp_path / "empty.txt"
    WordVectors([], np.zeros((0, 4))).save(path)
    assert path.read_text() == "0 4\n"
    wv = WordVectors.load(path)
    assert len(wv) == 0 and wv.vector_size == 4


# ------------------------------------------------------------------ encodings
@pytest.mark.parametrize("format", ["word2vec", "word2vec-binary"])
def test_undecodable_word_raises_naming_where(tmp_path, format):
    bad = b"caf\xc3"  # a word cut inside a multi-byte character, as the C tool does
    if format == "word2vec":
        path = write(tmp_path, b"2 2\nok 1 2\n" + bad + b" 3 4\n")
        where = "line 3, byte 4"
    else:
        path = write(tmp_path, b"2 2\n" + record("ok", [1, 2]) + b"\n" + bad + b" "
                     + np.array([3, 4], "<f4").tobytes(), "v.bin")
        where = f"byte offset {4 + 3 + 8 + 1 + 3}"
    with pytest.raises(ValueError, match=at(path, where) + ".*not valid utf-8.*'replace'"):
        WordVectors.load(path, format=format)
    for errors in ("replace", "ignore"):
        wv = WordVectors.load(path, format=format, unicode_errors=errors)
        kv = gensim_load(path, format, unicode_errors=errors)
        assert wv.index_to_word == kv.index_to_key
        assert wv.index_to_word[1] == ("caf\ufffd" if errors == "replace" else "caf")
        np.testing.assert_array_equal(wv.vectors, kv.vectors)


def test_other_encodings(tmp_path):
    path = write(tmp_path, "1 2\nZürich 1 2\n".encode("latin-1"))
    wv = WordVectors.load(path, encoding="latin-1")
    assert wv.index_to_word == gensim_load(path, "word2vec", encoding="latin-1").index_to_key
    assert wv.index_to_word == ["Zürich"]


def test_words_that_decode_to_the_same_text_are_duplicates(tmp_path):
    path = write(tmp_path, b"2 1\nab\xff 1\nab\xfe 2\n")
    with pytest.raises(ValueError, match="'ab' occurs again"):
        WordVectors.load(path, unicode_errors="ignore")


# ------------------------------------------------------------------ duplicates
@pytest.mark.parametrize("format", FORMATS)
def test_duplicate_words(tmp_path, format):
    rows = [("a", [1, 2]), ("b", [3, 4]), ("a", [5, 6]), ("c", [7, 8])]
    if format == "word2vec-binary":
        path = write(tmp_path, b"4 2\n" + b"".join(record(w, v) + b"\n" for w, v in rows))
        where, first = "byte offset 26", "byte offset 4"
    else:
        header = b"4 2\n" if format == "word2vec" else b""
        path = write(tmp_path, header + b"".join(f"{w} {v[0]} {v[1]}\n".encode()
                                                 for w, v in rows))
        shift = 1 if format == "word2vec" else 0
        where, first = f"line {3 + shift}", f"line {1 + shift}"
    with pytest.raises(ValueError, match=at(path, where) + ".*'a' occurs again "
                       + re.escape(f"(first at {first})") + ".*duplicates='first' or 'last'"):
        WordVectors.load(path, format=format)
    kept_first = WordVectors.load(path, format=format, duplicates="first")
    kv = gensim_load(path, format)  # gensim keeps the first vector of a duplicate...
    # ...and (gensim 4.4) leaves a phantom None key with a zero vector at the end.
    assert kept_first.index_to_word == kv.index_to_key[:3] == ["a", "b", "c"]
    np.testing.assert_array_equal(kept_first.vectors, kv.vectors[:3])
    kept_last = WordVectors.load(path, format=format, duplicates="last")
    assert kept_last.index_to_word == ["a", "b", "c"]
    np.testing.assert_array_equal(kept_last.vectors, [[5, 6], [3, 4], [7, 8]])


# ------------------------------------------------------------------ corrupt files
BIN_HEADER = b"3 4\n"
BIN_BODY = b"".join(record(w, np.arange(4) + i) + b"\n" for i, w in enumerate(["ab", "cd", "ef"]))


def test_truncated_binary_inside_a_vector(tmp_path):
    cut = len(BIN_HEADER) + 2 * 20 + 3 + 5  # 5 bytes into the vector of the third word
    path = write(tmp_path, (BIN_HEADER + BIN_BODY)[:cut], "v.bin")
    message = at(path, "byte offset 44") + r": the file ends inside the vector of 'ef' " \
        r"\(word 3 of 3\), after 5 of its 16 bytes"
    with pytest.raises(ValueError, match=message):
        WordVectors.load(path, format="word2vec-binary")


def test_truncated_binary_inside_a_word(tmp_path):
    path = write(tmp_path, (BIN_HEADER + BIN_BODY)[:len(BIN_HEADER) + 20 + 1], "v.bin")
    with pytest.raises(ValueError, match=at(path, "byte offset 24") + ": no space ends word 2 "
                       "of 3: the file is truncated"):
        WordVectors.load(path, format="word2vec-binary")


@pytest.mark.parametrize("format", ["word2vec", "word2vec-binary"])
def test_header_announcing_more_words_than_present(tmp_path, format):
    if format == "word2vec":
        path = write(tmp_path, b"5 2\na 1 2\nb 3 4\n\n")
        message = "holds only 2 (it ends at line 4)"
    else:
        path = write(tmp_path, b"5 2\n" + record("a", [1, 2]) + record("b", [3, 4]), "v.bin")
        message = "holds only 2 (it ends at byte offset 24)"
    with pytest.raises(ValueError, match=re.escape(f"{path}: the header announces 5 words, "
                                                   f"but the file {message}")):
        WordVectors.load(path, format=format)


@pytest.mark.parametrize("format", ["word2vec", "word2vec-binary"])
def test_header_announcing_fewer_words_than_present(tmp_path, format):
    if format == "word2vec":
        path = write(tmp_path, b"1 2\na 1 2\nb 3 4\n")
        where = "line 3"
    else:
        path = write(tmp_path, b"1 2\n" + record("a", [1, 2]) + b"\n" + record("b", [3, 4]),
                     "v.bin")
        where = "byte offset 15"
    with pytest.raises(ValueError, match=at(path, where) + ": the header announces 1 words, "
                       "but the file holds more"):
        WordVectors.load(path, format=format)


def test_absurd_header_count_does_not_allocate_it(tmp_path):
    path = write(tmp_path, b"999999999999 300\na " + b"1 " * 300 + b"\n")
    with pytest.raises(ValueError, match="announces 999999999999 words, but the file holds "
                       "only 1"):
        WordVectors.load(path)


@pytest.mark.parametrize("format", ["word2vec", "glove"])
def test_row_with_the_wrong_number_of_values(tmp_path, format):
    header = b"3 3\n" if format == "word2vec" else b""
    path = write(tmp_path, header + b"a 1 2 3\nb 1 2\nc 1 2 3\n")
    line = 3 if format == "word2vec" else 2
    with pytest.raises(ValueError, match=at(path, f"line {line}") + ": expected a word and 3 "
                       "numbers, found 2 numbers"):
        WordVectors.load(path, format=format)
    path = write(tmp_path, header + b"a 1 2 3\nb 1 2 3 4\nc 1 2 3\n")
    with pytest.raises(ValueError, match="expected a word and 3 numbers, found 4"):
        WordVectors.load(path, format=format)


@pytest.mark.parametrize("value", [b"abc", b"1,5", b"0x1p3", b"--1"])
def test_non_numeric_value(tmp_path, value):
    path = write(tmp_path, b"2 2\na 1 2\nb 3 " + value + b"\n")
    with pytest.raises(ValueError, match=at(path, "line 3") + ": "
                       + re.escape(repr(value.decode())) + " is not a number"):
        WordVectors.load(path)


@pytest.mark.parametrize("value", [b"nan", b"NaN", b"inf", b"-Infinity", b"1e39"])
def test_nan_and_infinity_are_rejected_in_text(tmp_path, value):
    path = write(tmp_path, b"a 1 2\nb 3 " + value + b"\n")
    with pytest.raises(ValueError, match=at(path, "line 2") + ": the vector of 'b' holds "
                       r"-?(nan|inf).*rejected"):
        WordVectors.load(path, format="glove")


@pytest.mark.parametrize("value", [np.nan, np.inf, -np.inf])
def test_nan_and_infinity_are_rejected_in_binary(tmp_path, value):
    path = write(tmp_path, b"2 2\n" + record("a", [1, 2]) + record("b", [3, value]), "v.bin")
    with pytest.raises(ValueError, match=at(path, "byte offset 14") + ": the vector of 'b'"):
        WordVectors.load(path, format="word2vec-binary")


@pytest.mark.parametrize("format", FORMATS)
@pytest.mark.parametrize("data", [b"", b"\n\n  \n"])
def test_empty_file(tmp_path, format, data):
    path = write(tmp_path, data)
    if data and format != "glove":
        match = at(path, "line 1") + ": expected the header"
    else:
        match = re.escape(f"{path} is empty")
    with pytest.raises(ValueError, match=match):
        WordVectors.load(path, format=format)


@pytest.mark.parametrize("header", [b"3\n", b"3 x\n", b"-3 2\n", b"3 0\n", b"3 2 1 1\n",
                                    b"3.0 2\n"])
@pytest.mark.parametrize("format", ["word2vec", "word2vec-binary"])
def test_bad_header(tmp_path, header, format):
    path = write(tmp_path, header + b"a 1 2\n")
    with pytest.raises(ValueError, match=at(path, "line 1") + ": expected the header "
                       "'n_words vector_size'"):
        WordVectors.load(path, format=format)


def test_format_mix_ups_give_hints(tmp_path, wv):
    glove, text, binary = tmp_path / "g", tmp_path / "t", tmp_path / "b"
    wv.save(glove, format="glove")
    wv.save(text, format="word2vec")
    wv.save(binary, format="word2vec-binary")
    with pytest.raises(ValueError, match="without a header: use format='glove'"):
        WordVectors.load(glove)
    with pytest.raises(ValueError, match="looks like the header.*use format='word2vec'"):
        WordVectors.load(text, format="glove")
    with pytest.raises(ValueError, match="is text, not float32 bytes: use format='word2vec'"):
        WordVectors.load(text, format="word2vec-binary")
    with pytest.raises(ValueError, match=re.escape(str(binary)) + ", line 2"):
        WordVectors.load(binary)


def test_empty_word(tmp_path):
    path = write(tmp_path, b"2 2\na 1 2\n 3 4\n")
    with pytest.raises(ValueError, match=at(path, "line 3") + ".*the word is empty"):
        WordVectors.load(path)


def test_corrupt_gzip(tmp_path, wv):
    data = gzip.compress(b"2 2\na 1 2\nb 3 4\n")
    path = write(tmp_path, data[: len(data) // 2], "v.txt.gz")
    with pytest.raises(ValueError, match="gzip data is corrupt or truncated"):
        WordVectors.load(path)


def test_missing_file_is_an_os_error(tmp_path):
    with pytest.raises(FileNotFoundError):
        WordVectors.load(tmp_path / "absent.txt")


# ------------------------------------------------------------------ options and saving
@pytest.mark.parametrize("format", ["bin", "text", None, "Word2Vec"])
def test_format_is_validated(tmp_path, wv, format):
    message = ("format must be one of 'word2vec', 'word2vec-binary', 'glove', 'fasttext', "
               "'npy'; got")
    with pytest.raises(ValueError, match=message):
        WordVectors.load(tmp_path / "x", format=format)
    with pytest.raises(ValueError, match=message):
        wv.save(tmp_path / "x", format=format)
    assert not (tmp_path / "x").exists()


@pytest.mark.parametrize(("option", "match"), [
    ({"limit": 0}, "limit must be a positive int or None, got 0"),
    ({"limit": 2.5}, "limit must be a positive int"),
    ({"unicode_errors": "skip"}, "unicode_errors must be an error handler"),
    ({"encoding": "utf-42"}, "Unknown encoding 'utf-42'"),
    ({"duplicates": "keep"}, "duplicates must be one of 'error', 'first', 'last'; got 'keep'"),
])
def test_options_are_validated(tmp_path, option, match):
    path = write(tmp_path, b"1 1\na 1\n")
    with pytest.raises(ValueError, match=match):
        WordVectors.load(path, **option)


@pytest.mark.parametrize("format", FORMATS)
@pytest.mark.parametrize("word", ["new york", "tab\there", "line\nbreak", "cr\r", "ff\f", ""])
def test_save_rejects_words_that_break_the_format(tmp_path, format, word):
    wv = WordVectors(["fine", word], np.ones((2, 3)))
    path = tmp_path / "out"
    match = "empty word" if not word else re.escape(f"word {word!r} (row 1)")
    with pytest.raises(ValueError, match=match):
        wv.save(path, format=format)
    assert not path.exists()


def test_save_rejects_nan_vectors(tmp_path):
    # The constructor rejects NaN; _owning (for fit's own arrays) does not check, save does.
    vectors = np.ones((3, 2), dtype=np.float32)
    vectors[2, 1] = np.nan
    with pytest.raises(ValueError, match=r"Cannot save: the vector of 'c' \(row 2\) holds nan"):
        WordVectors._owning(["a", "b", "c"], vectors).save(tmp_path / "out")
    assert not (tmp_path / "out").exists()


# ------------------------------------------------------------------ memory follows the data
def random_rows(n_rows, dim, seed=0):
    rng = np.random.default_rng(seed)
    return [(f"w{i}", rng.normal(size=dim).astype(np.float32)) for i in range(n_rows)]


@pytest.mark.parametrize("format", ["word2vec", "word2vec-binary"])
def test_gzip_header_announcing_a_huge_table_allocates_only_what_is_read(tmp_path, format):
    # 100 rows of 300 random numbers compress to some 100 KiB; the header claims 10**9 rows,
    # which the decompressed size (up to 1032 times the file) cannot rule out by itself.
    rows = random_rows(100, 300)
    if format == "word2vec":
        body = "".join(f"{w} {' '.join(map(str, v))}\n" for w, v in rows).encode()
    else:
        body = b"".join(record(w, v) + b"\n" for w, v in rows)
    path = write(tmp_path, gzip.compress(f"{10**9} 300\n".encode() + body, 1), "v.gz")
    assert path.stat().st_size > 50_000
    tracemalloc.start()
    try:
        with pytest.raises(ValueError, match=f"announces {10**9} words, but the file holds only "
                           "100"):
            WordVectors.load(path, format=format)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    # The 100 rows take 120 kB; reading buffers (1 MiB chunks, gzip's window) a few MiB more.
    assert peak < 8 * 2**20, f"peak {peak / 2**20:.0f} MiB"


@pytest.mark.parametrize("format", FORMATS)
@pytest.mark.parametrize("duplicates", ["first", "last"])
def test_table_grows_row_by_row_to_the_right_result(tmp_path, monkeypatch, format, duplicates):
    # Room for 3 rows at first: the table is regrown several times while reading.
    monkeypatch.setattr(word2vec, "_INITIAL_TABLE_BYTES", 3 * 4 * 5)
    rows = random_rows(40, 5)
    rows[30] = ("w7", rows[30][1])  # a duplicate, after a few regrowths
    path = tmp_path / "v"
    header = f"{len(rows)} 5\n".encode() if format != "glove" else b""
    if format == "word2vec-binary":
        path.write_bytes(header + b"".join(record(w, v) + b"\n" for w, v in rows))
    else:
        path.write_bytes(header + "".join(f"{w} {' '.join(map(str, v))}\n"
                                          for w, v in rows).encode())
    loaded = WordVectors.load(path, format=format, duplicates=duplicates)
    expected = {}
    for word, vector in rows:
        if duplicates == "last" or word not in expected:
            expected[word] = vector
    assert loaded.index_to_word == list(expected) and len(loaded) == 39
    np.testing.assert_array_equal(loaded.vectors, np.array(list(expected.values())))
    assert loaded.vectors.flags.c_contiguous and loaded.vectors.base is None
    limited = WordVectors.load(path, format=format, limit=25)
    np.testing.assert_array_equal(limited.vectors, np.array([v for _, v in rows[:25]]))


# ------------------------------------------------------------------ long words in binary files
@pytest.mark.parametrize("n_bytes", [100 * 1024, 5 * 2**20 // 2])
@pytest.mark.parametrize("name", ["v.bin", "v.bin.gz"])
def test_binary_round_trip_of_words_longer_than_any_buffer(tmp_path, n_bytes, name):
    long_word = ("é" * (n_bytes // 2))[:-1] + "xy"  # multi-byte characters across chunks
    words = ["a", long_word, "b"]
    vectors = np.arange(6, dtype=np.float32).reshape(3, 2)
    path = tmp_path / name
    WordVectors(words, vectors).save(path, format="word2vec-binary")
    loaded = WordVectors.load(path, format="word2vec-binary")
    assert loaded.index_to_word == words
    np.testing.assert_array_equal(loaded.vectors, vectors)
    kv = gensim_load(path, "word2vec-binary")
    assert kv.index_to_key == words
    np.testing.assert_array_equal(kv.vectors, vectors)


def test_gensims_binary_file_with_a_100_kib_word_loads_identically(tmp_path):
    words = ["x" * (100 * 1024), "y"]
    vectors = np.array([[1.5, -2.0], [0.25, 3.0]], dtype=np.float32)
    path = tmp_path / "g.bin"
    gensim_kv(words, vectors).save_word2vec_format(str(path), binary=True)
    loaded = WordVectors.load(path, format="word2vec-binary")
    assert loaded.index_to_word == words
    np.testing.assert_array_equal(loaded.vectors, vectors)


def test_binary_word_without_an_ending_space_is_reported_at_its_offset(tmp_path):
    path = write(tmp_path, b"2 2\n" + record("a", [1, 2]) + b"\n" + b"z" * (3 * 2**20),
                 "v.bin")
    with pytest.raises(ValueError, match=at(path, "byte offset 15") + ": no space ends word 2 "
                       "of 2: the file is truncated"):
        WordVectors.load(path, format="word2vec-binary")


# ------------------------------------------------------------------ tab-separated text files
@pytest.mark.parametrize("format", ["word2vec", "glove"])
@pytest.mark.parametrize("separator", ["\t", "\t ", " \t"])
def test_tab_separated_text_files_are_read(tmp_path, format, separator):
    header = "2 3\n" if format == "word2vec" else ""
    rows = [("king", [0.5, -1.0, 2e-3]), ("Zürich", [1.0, 2.0, 3.0])]
    path = write(tmp_path, (header + "".join(
        word + separator + separator.join(map(str, v)) + "\n" for word, v in rows)).encode())
    wv = WordVectors.load(path, format=format)
    assert wv.index_to_word == ["king", "Zürich"]
    np.testing.assert_array_equal(wv.vectors, np.array([v for _, v in rows], np.float32))


def test_word_then_tab_then_space_separated_numbers(tmp_path):
    path = write(tmp_path, b"2 2\na\t1 2\nb\t3 4\n")
    wv = WordVectors.load(path)
    assert wv.index_to_word == ["a", "b"]
    np.testing.assert_array_equal(wv.vectors, [[1, 2], [3, 4]])


def test_a_word_holding_a_tab_written_by_gensim_still_loads_like_gensim(tmp_path):
    # gensim writes any key; a tab inside one (followed by text) stays part of the word.
    words = ["a\tb", "c"]
    vectors = np.array([[1, 2], [3, 4]], dtype=np.float32)
    path = tmp_path / "g.txt"
    gensim_kv(words, vectors).save_word2vec_format(str(path))
    assert WordVectors.load(path).index_to_word == gensim_load(path, "word2vec").index_to_key
    assert WordVectors.load(path).index_to_word == words


def test_tab_separated_row_with_the_wrong_count_still_names_the_line(tmp_path):
    path = write(tmp_path, b"2 3\na\t1\t2\t3\nb\t1\t2\n")
    with pytest.raises(ValueError, match=at(path, "line 3") + ": expected a word and 3 numbers, "
                       "found 2 numbers"):
        WordVectors.load(path)


def test_glove_file_given_a_tab_separated_header_gets_the_hint(tmp_path):
    path = write(tmp_path, b"2\t2\na 1 2\nb 3 4\n")
    with pytest.raises(ValueError, match="looks like the header.*use format='word2vec'"):
        WordVectors.load(path, format="glove")


# ------------------------------------------------------------------ failed saves
class FailingFile:
    """A file whose third write raises ``error``, as a full disk or Ctrl-C would."""

    def __init__(self, handle, error):
        self.handle, self.error, self.writes = handle, error, 0

    def write(self, data):
        self.writes += 1
        if self.writes == 3:
            raise self.error
        return self.handle.write(data)

    def flush(self):
        self.handle.flush()

    def fileno(self):
        return self.handle.fileno()

    def __enter__(self):
        return self

    def __exit__(self, *exc_info):
        self.handle.close()


@pytest.mark.parametrize("existed", [True, False])
@pytest.mark.parametrize("error", [OSError(28, "No space left on device"), KeyboardInterrupt()])
@pytest.mark.parametrize(("format", "name"), [
    *((format, name) for format in FORMATS for name in ("v.txt", "v.txt.gz")),
    ("fasttext", "v.bin"),  # never gzipped
])
def test_a_failed_save_keeps_the_existing_file_and_leaves_no_partial_one(
        tmp_path, monkeypatch, wv, format, name, error, existed):
    monkeypatch.setattr(word2vec, "_ROWS_PER_WRITE", 2)
    create = common._create_temporary

    def failing(path):
        handle, temporary = create(path)
        return FailingFile(handle, error), temporary

    monkeypatch.setattr(common, "_create_temporary", failing)
    path = tmp_path / name
    if existed:
        path.write_text("previous contents\n")
    with pytest.raises(type(error)) as caught:
        wv.save(path, format=format)
    if isinstance(error, OSError):
        kept = f"the existing {path} is unchanged" if existed else "nothing was written"
        assert str(caught.value) == (f"[Errno 28] Cannot write {path}: No space left on "
                                     f"device; {kept}")
        assert caught.value.errno == 28
    # No partial file (a partial GloVe file, without a header, would load as fewer words
    # without any error), no temporary file, and the previous file as it was.
    assert list(tmp_path.iterdir()) == ([path] if existed else [])
    if existed:
        assert path.read_text() == "previous contents\n"


def test_save_replaces_the_file_a_link_points_to_and_keeps_its_mode(tmp_path, wv):
    target = tmp_path / "real.txt"
    target.write_text("old\n")
    target.chmod(0o640)
    link = tmp_path / "link.txt"
    link.symlink_to(target)
    wv.save(link)
    assert link.is_symlink() and WordVectors.load(link).index_to_word == WORDS
    assert target.stat().st_mode & 0o777 == 0o640
    assert sorted(p.name for p in tmp_path.iterdir()) == ["link.txt", "real.txt"]


def test_a_gzipped_save_names_the_file_not_its_temporary_in_the_header(tmp_path, wv):
    wv.save(tmp_path / "v.txt.gz")
    header = (tmp_path / "v.txt.gz").read_bytes()[:40]
    assert b"v.txt\0" in header and b".tmp" not in header


@pytest.mark.parametrize("word", ["bad\ud800word", "a b"])
@pytest.mark.parametrize("format", [*FORMATS, "fasttext"])
def test_a_word_no_format_can_hold_is_named_before_anything_is_written(tmp_path, format,
                                                                         word):
    wv = WordVectors(["ok", word], np.eye(2, dtype=np.float32))
    with pytest.raises(ValueError, match=re.escape(repr(word))):
        wv.save(tmp_path / "v.bin", format=format)
    assert list(tmp_path.iterdir()) == []
