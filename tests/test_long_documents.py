"""A very long document (a corpus of one huge line) is read, tokenized and encoded in bounded
pieces: the same model and the same document vectors as whole, with memory that follows the
piece, not the document."""

import re
import tracemalloc

import numpy as np
import pytest

import skw2v._documents
from skw2v import Word2VecVectorizer
from skw2v._documents import _read_lines, text_pieces


def _text(n_tokens, seed):
    rng = np.random.default_rng(seed)
    words = [f"w{i}" for i in range(300)] + ["Straße", "ΣΟΦΙΑΣ", "x"]
    spaces = [" ", " ", " ", "  ", "\t", "\u3000"]
    picked = rng.integers(0, len(words), n_tokens)
    gaps = rng.integers(0, len(spaces), n_tokens)
    return "".join(words[w] + spaces[g] for w, g in zip(picked, gaps, strict=True))


@pytest.mark.parametrize("token_pattern", [r"(?u)\b\w\w+\b", r"\S+", r"\w+|[^\w\s]"])
def test_pieces_change_neither_the_model_nor_the_vectors(monkeypatch, token_pattern):
    documents = [_text(4000, 0), "w1 w2 w3", _text(3000, 1)]
    params = {"vector_size": 6, "min_count": 1, "epochs": 2, "n_jobs": 1, "random_state": 0,
              "token_pattern": token_pattern, "pooling": "idf"}
    whole = Word2VecVectorizer(**params).fit(documents)
    expected = whole.transform(documents)
    monkeypatch.setattr(skw2v._documents, "PIECE_CHARS", 97)
    assert sum(1 for _ in text_pieces(documents[0])) > 100
    pieces = Word2VecVectorizer(**params).fit(documents)
    assert pieces.wv_.index_to_word == whole.wv_.index_to_word
    np.testing.assert_array_equal(pieces.wv_.vectors, whole.wv_.vectors)
    np.testing.assert_array_equal(pieces.idf_, whole.idf_)
    np.testing.assert_allclose(pieces.transform(documents), expected, rtol=1e-6, atol=1e-7)
    np.testing.assert_allclose(whole.transform(documents), expected, rtol=1e-6, atol=1e-7)


def test_a_pattern_that_spans_whitespace_is_never_cut(monkeypatch):
    monkeypatch.setattr(skw2v._documents, "PIECE_CHARS", 10)
    model = Word2VecVectorizer(token_pattern=r"\w+ \w+", min_count=1, vector_size=4,
                               epochs=1, n_jobs=1, random_state=0)
    assert not model.build_analyzer().piecewise
    model.fit(["aa bb cc dd ee ff gg hh ii jj kk ll"] * 3)
    assert set(model.wv_.index_to_word) == {"aa bb", "cc dd", "ee ff", "gg hh", "ii jj",
                                            "kk ll"}


def test_text_pieces_cut_before_whitespace_and_add_up():
    text = _text(5000, 2)
    old = skw2v._documents.PIECE_CHARS
    skw2v._documents.PIECE_CHARS = 101
    try:
        pieces = list(text_pieces(text))
    finally:
        skw2v._documents.PIECE_CHARS = old
    assert "".join(pieces) == text
    assert all(piece[:1].isspace() for piece in pieces[1:])
    assert all(101 <= len(piece) for piece in pieces[:-1])


@pytest.mark.parametrize("block", [1, 2, 3, 5, 64])
def test_lines_across_blocks_and_line_breaks(monkeypatch, tmp_path, block):
    rng = np.random.default_rng(block)
    parts = ["ab", "c", "\r", "\n", "\r\n", "déf", " ", "\r\r", "\n\n"]
    text = "".join(parts[i] for i in rng.integers(0, len(parts), 400))
    path = tmp_path / "corpus.txt"
    path.write_bytes(text.encode("utf-8"))
    monkeypatch.setattr(skw2v._documents, "_READ_BYTES", block)
    expected = re.split(r"\r\n|\r|\n", text)
    if expected and expected[-1] == "":
        expected.pop()
    assert list(_read_lines(path)) == expected


def test_one_huge_line_needs_a_few_times_its_size(monkeypatch, tmp_path):
    # 1.2 million tokens on one line (5.8 MB), cut into pieces of 64k characters (a huge line
    # against the default 1M): reading, tokenizing and encoding hold a piece of tokens at a
    # time; the line's text and its ids (4 bytes a token) remain. Before pieces: fit 20x,
    # transform 28x the file's size.
    monkeypatch.setattr(skw2v._documents, "PIECE_CHARS", 1 << 16)
    rng = np.random.default_rng(3)
    words = [f"w{i}" for i in range(300)]
    path = tmp_path / "one-line.txt"
    path.write_text(" ".join(words[i] for i in rng.integers(0, 300, 1_200_000)) + "\n")
    size = path.stat().st_size
    small = tmp_path / "small.txt"
    small.write_text("w1 w2 w3\n" * 50)
    model = Word2VecVectorizer(vector_size=4, min_count=1, epochs=1, n_jobs=1, random_state=0)
    model.fit(small).transform(small)  # compile and load the kernels outside the measurement
    tracemalloc.start()
    try:
        model.fit(path)
        fit_peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.reset_peak()
        assert model.transform(path).shape == (1, 4)
        transform_peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert fit_peak < 8 * size, f"fit peaked at {fit_peak / size:.1f} x the file's size"
    assert transform_peak < 4 * size, (f"transform peaked at {transform_peak / size:.1f} x "
                                       "the file's size")
