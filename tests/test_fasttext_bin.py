"""``skw2v._io.fasttext_bin``: fastText ``.bin`` models read and written as fastText and gensim do.

fastText (the ``fasttext`` pip package) and gensim are the oracles; the tests that need them
skip without them. Tiny models are trained with ``thread=10`` and ``dim=10``: fastText 0.9
initialises the input matrix in ten blocks of ``size // 10`` values, one per thread, so with
fewer threads, or a size that is not a multiple of 10, some values stay whatever the
allocator returned (on a small matrix, often NaN: "Encountered NaN.").
"""

import gzip
import os
import random
import struct
import time
import tracemalloc

import numpy as np
import pytest

from skw2v._io import fasttext_bin
from skw2v._io.fasttext_bin import FastTextModel, InputRows, read_fasttext_bin, write_fasttext_bin

SPECIAL = ["naïve", "日本語", "café", "Zürich", "straße", "😀", "Ωmega", "a\xa0b"]
UNKNOWN = ["naïvety", "日本", "unseenword", "zz", "😀😀", "a"]
ARG_FIELDS = ("dim", "window", "epochs", "min_count", "negative", "loss", "model", "bucket",
              "minn", "maxn", "sample", "lr_update_rate")
SIGNATURE, ARGS, DICT_HEADER, MATRIX_HEADER = 8, 56, 28, 17


# ---------------------------------------------------------------------------------------------
# Fixtures and helpers


@pytest.fixture(scope="module")
def fasttext():
    return pytest.importorskip("fasttext")


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    """About 400 lines over 80 words, a few of them non-ASCII; its token count."""
    rng = random.Random(0)
    vocab = SPECIAL + ["the", "of", "and", "vector", "model", "river"] + [
        f"w{i}" for i in range(66)]
    lines = [" ".join(rng.choice(vocab) for _ in range(rng.randint(3, 15)))
             for _ in range(400)]
    path = tmp_path_factory.mktemp("corpus") / "corpus.txt"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    # fastText counts the end of each line as the token "</s>".
    return path, sum(len(line.split(" ")) + 1 for line in lines)


def _train(fasttext, corpus, tmp_path_factory, name, **kwargs):
    path = tmp_path_factory.mktemp(name) / f"{name}.bin"
    model = fasttext.train_unsupervised(str(corpus[0]), minn=3, maxn=6, bucket=1000, dim=10,
                                        epoch=1, minCount=1, thread=10, verbose=0, **kwargs)
    model.save_model(str(path))
    return path, model


@pytest.fixture(scope="module")
def skipgram(fasttext, corpus, tmp_path_factory):
    return _train(fasttext, corpus, tmp_path_factory, "skipgram", model="skipgram")


@pytest.fixture(scope="module")
def cbow_hs(fasttext, corpus, tmp_path_factory):
    return _train(fasttext, corpus, tmp_path_factory, "cbow_hs", model="cbow", loss="hs",
                  ws=3, lrUpdateRate=50, t=1e-3)


@pytest.fixture(params=["skipgram", "cbow_hs"])
def trained(request):
    return request.getfixturevalue(request.param)


def _random_model(words=("</s>", *SPECIAL, "the", "w1"), bucket=20, dim=3, seed=0, **fields):
    rng = np.random.default_rng(seed)
    words = list(words)
    defaults = dict(
        words=words, counts=np.arange(len(words), 0, -1, dtype=np.int64) * 3,
        input_matrix=rng.uniform(-1, 1, (len(words) + bucket, dim)).astype(np.float32),
        output_matrix=rng.uniform(-1, 1, (len(words), dim)).astype(np.float32),
        dim=dim, window=4, epochs=3, min_count=2, negative=7, loss="ns", model="skipgram",
        bucket=bucket, minn=2, maxn=4, sample=1e-3, lr_update_rate=77, n_tokens=12345)
    defaults.update(fields)
    return FastTextModel(**defaults)


@pytest.fixture
def synthetic(tmp_path):
    """A small model written by skw2v (no oracle needed): its path and the model."""
    model = _random_model()
    path = tmp_path / "synthetic.bin"
    write_fasttext_bin(path, model)
    return path, model


def _layout(words, bucket, dim):
    """Offsets of the parts of a model file, computed from the format description."""
    dictionary = SIGNATURE + ARGS
    entries = dictionary + DICT_HEADER
    input_header = entries + sum(len(w.encode("utf-8")) + 10 for w in words)
    input_data = input_header + MATRIX_HEADER
    output_header = input_data + 4 * dim * (len(words) + bucket)
    output_data = output_header + MATRIX_HEADER
    end = output_data + 4 * dim * len(words)
    return dict(dictionary=dictionary, entries=entries, input_header=input_header,
                input_data=input_data, output_header=output_header, output_data=output_data,
                end=end)


def _patched(path, edits, name="patched.bin", append=b""):
    """A copy of ``path`` with ``struct.pack_into(fmt, offset, value)`` edits applied."""
    data = bytearray(path.read_bytes())
    for fmt, offset, *values in edits:
        struct.pack_into(fmt, data, offset, *values)
    target = path.with_name(name)
    target.write_bytes(bytes(data) + append)
    return target


def _read_error(path, *fragments, mmap=True):
    with pytest.raises(ValueError) as info:
        read_fasttext_bin(path, mmap=mmap)
    message = str(info.value)
    assert str(path) in message
    for fragment in fragments:
        assert fragment in message, message
    return message


def _assert_same_model(model, expected):
    assert model.words == expected.words
    np.testing.assert_array_equal(model.counts, expected.counts)
    assert model.counts.dtype == np.int64
    np.testing.assert_array_equal(model.input_matrix, expected.input_matrix)
    np.testing.assert_array_equal(model.output_matrix, expected.output_matrix)
    for field in (*ARG_FIELDS, "n_tokens"):
        assert getattr(model, field) == getattr(expected, field), field


def _assert_fasttext_equal(loaded, model):
    """A model loaded by fastText holds exactly the fields of ``model``."""
    assert loaded.get_dimension() == model.dim
    np.testing.assert_array_equal(loaded.get_input_matrix(), model.input_matrix)
    np.testing.assert_array_equal(loaded.get_output_matrix(), model.output_matrix)
    words, counts = loaded.get_words(include_freq=True)
    assert words == model.words
    np.testing.assert_array_equal(counts, model.counts)
    args = loaded.f.getArgs()
    assert (args.dim, args.ws, args.epoch, args.minCount, args.neg, args.bucket, args.minn,
            args.maxn, args.lrUpdateRate, args.t) == (
        model.dim, model.window, model.epochs, model.min_count, model.negative, model.bucket,
        model.minn, model.maxn, model.lr_update_rate, model.sample)
    assert args.loss.name == model.loss
    assert args.model.name == model.model


# ---------------------------------------------------------------------------------------------
# Reading models that fastText trained


def test_read_matches_fasttext(trained, corpus):
    path, ft = trained
    model = read_fasttext_bin(path)
    _assert_fasttext_equal(ft, model)
    assert isinstance(model.words, list) and "日本語" in model.words and "naïve" in model.words
    assert model.input_matrix.shape == (len(model.words) + 1000, 10)
    assert model.input_matrix.dtype == np.float32 == model.output_matrix.dtype
    # minCount=1 keeps every token, so the counts add up to the corpus' tokens.
    assert model.n_tokens == corpus[1] == model.counts.sum()


def test_read_arguments(skipgram, cbow_hs):
    sg, cb = read_fasttext_bin(skipgram[0]), read_fasttext_bin(cbow_hs[0])
    assert (sg.model, sg.loss, sg.window, sg.sample, sg.lr_update_rate) == (
        "skipgram", "ns", 5, 1e-4, 100)
    assert (cb.model, cb.loss, cb.window, cb.sample, cb.lr_update_rate) == (
        "cbow", "hs", 3, 1e-3, 50)
    assert (sg.dim, sg.epochs, sg.min_count, sg.negative, sg.bucket, sg.minn, sg.maxn) == (
        10, 1, 1, 5, 1000, 3, 6)


def test_mmap_gives_read_only_views_and_false_reads(skipgram):
    path = skipgram[0]
    mapped, loaded = read_fasttext_bin(path), read_fasttext_bin(path, mmap=False)
    for name in ("input_matrix", "output_matrix"):
        view, array = getattr(mapped, name), getattr(loaded, name)
        assert isinstance(view, np.memmap) and not view.flags.writeable
        assert type(array) is np.ndarray and array.flags.writeable
        assert array.flags.c_contiguous
        np.testing.assert_array_equal(view, array)
    layout = _layout(mapped.words, mapped.bucket, mapped.dim)
    assert mapped.input_matrix.offset == layout["input_data"]
    assert mapped.output_matrix.offset == layout["output_data"]
    _assert_same_model(loaded, mapped)


def test_mmap_must_be_a_bool(synthetic):
    with pytest.raises(TypeError, match="mmap must be True or False"):
        read_fasttext_bin(synthetic[0], mmap="yes")


# ---------------------------------------------------------------------------------------------
# Writing


def test_round_trip_is_identical_to_fasttext(fasttext, trained, tmp_path):
    path, ft = trained
    target = tmp_path / "copy.bin"
    write_fasttext_bin(target, read_fasttext_bin(path))
    assert target.read_bytes() == path.read_bytes()
    loaded = fasttext.load_model(str(target))
    _assert_fasttext_equal(loaded, read_fasttext_bin(path))
    # fastText computes word vectors from the matrices: known words and unknown words alike.
    for word in ft.words[:20] + SPECIAL + UNKNOWN:
        np.testing.assert_array_equal(loaded.get_word_vector(word), ft.get_word_vector(word))


def test_round_trip_without_mmap_and_in_place(fasttext, skipgram, tmp_path):
    path = tmp_path / "model.bin"
    path.write_bytes(skipgram[0].read_bytes())
    model = read_fasttext_bin(path)  # memory-mapped: the file is replaced while mapped
    write_fasttext_bin(path, model)
    assert path.read_bytes() == skipgram[0].read_bytes()
    write_fasttext_bin(tmp_path / "other.bin", read_fasttext_bin(path, mmap=False))
    assert (tmp_path / "other.bin").read_bytes() == path.read_bytes()
    assert sorted(os.listdir(tmp_path)) == ["model.bin", "other.bin"]


@pytest.mark.parametrize("loss, kind", [("ns", "skipgram"), ("hs", "cbow"),
                                        ("softmax", "skipgram"), ("ova", "cbow")])
def test_written_model_loads_in_fasttext(fasttext, tmp_path, loss, kind):
    model = _random_model(loss=loss, model=kind)
    path = tmp_path / "scratch.bin"
    write_fasttext_bin(path, model)
    _assert_same_model(read_fasttext_bin(path), model)
    loaded = fasttext.load_model(str(path))
    _assert_fasttext_equal(loaded, model)
    # A known word's vector averages its own row and those of its n-grams.
    row = model.words.index("naïve")
    subwords, rows = loaded.get_subwords("naïve")
    assert rows[0] == row and len(rows) > 1 and (rows[1:] >= len(model.words)).all()
    np.testing.assert_allclose(loaded.get_word_vector("naïve"),
                               model.input_matrix[rows].mean(axis=0), rtol=1e-6)
    assert np.abs(loaded.get_word_vector("unseenword")).sum() > 0


def test_written_model_loads_in_gensim(fasttext, tmp_path):
    load_facebook_vectors = pytest.importorskip("gensim.models.fasttext").load_facebook_vectors
    model = _random_model(bucket=50, dim=5, seed=3, minn=3, maxn=5)
    path = tmp_path / "scratch.bin"
    write_fasttext_bin(path, model)
    kv = load_facebook_vectors(str(path))
    assert kv.index_to_key == model.words
    assert kv.vector_size == model.dim and (kv.min_n, kv.max_n) == (3, 5)
    assert [kv.get_vecattr(w, "count") for w in model.words] == model.counts.tolist()
    np.testing.assert_array_equal(kv.vectors_ngrams, model.input_matrix[len(model.words):])
    loaded = fasttext.load_model(str(path))
    for word in model.words[1:] + UNKNOWN:
        np.testing.assert_allclose(kv[word], loaded.get_word_vector(word), rtol=1e-5,
                                   atol=1e-6, err_msg=word)


def test_trained_model_rewritten_loads_in_gensim(trained, tmp_path):
    load_facebook_vectors = pytest.importorskip("gensim.models.fasttext").load_facebook_vectors
    path, ft = trained
    target = tmp_path / "copy.bin"
    write_fasttext_bin(target, read_fasttext_bin(path))
    kv = load_facebook_vectors(str(target))
    assert kv.index_to_key == ft.words
    for word in ft.words[1:10] + SPECIAL + UNKNOWN:
        np.testing.assert_allclose(kv[word], ft.get_word_vector(word), rtol=1e-5, atol=1e-6,
                                   err_msg=word)


def test_write_converts_to_float32_and_reads_back(tmp_path):
    model = _random_model()
    model = model._replace(input_matrix=model.input_matrix.astype(np.float64) / 3,
                           output_matrix=np.asfortranarray(model.output_matrix),
                           counts=model.counts.astype(np.uint32).tolist(), dim=np.int64(3),
                           sample=np.float32(0.5))
    path = tmp_path / "converted.bin"
    write_fasttext_bin(path, model)
    back = read_fasttext_bin(path, mmap=False)
    np.testing.assert_array_equal(back.input_matrix, model.input_matrix.astype(np.float32))
    np.testing.assert_array_equal(back.output_matrix, model.output_matrix)
    assert back.counts.tolist() == model.counts and back.dim == 3 and back.sample == 0.5
    assert os.path.getsize(path) == _layout(model.words, model.bucket, 3)["end"]


def test_written_layout_matches_the_format(synthetic):
    path, model = synthetic
    data = path.read_bytes()
    layout = _layout(model.words, model.bucket, model.dim)
    assert len(data) == layout["end"]
    assert struct.unpack_from("<ii", data) == (793712314, 12)
    assert struct.unpack_from("<12id", data, SIGNATURE) == (
        3, 4, 3, 2, 7, 1, 2, 2, 20, 2, 4, 77, 1e-3)
    assert struct.unpack_from("<iiiqq", data, layout["dictionary"]) == (
        len(model.words), len(model.words), 0, 12345, -1)
    word = b"</s>\0" + struct.pack("<qb", model.counts[0], 0)
    assert data[layout["entries"]:layout["entries"] + len(word)] == word
    assert struct.unpack_from("<Bqq", data, layout["input_header"]) == (0, 31, 3)
    assert struct.unpack_from("<Bqq", data, layout["output_header"]) == (0, 11, 3)
    np.testing.assert_array_equal(
        np.frombuffer(data, "<f4", 3 * 11, layout["output_data"]).reshape(11, 3),
        model.output_matrix)


def _parts(model, held):
    """The input matrix of ``model`` as InputRows holding the buckets ``held`` (or all)."""
    n_words = len(model.words)
    if held is None:
        return InputRows(model.input_matrix[:n_words], model.input_matrix[n_words:])
    return InputRows(model.input_matrix[:n_words], model.input_matrix[n_words + held],
                     held)


@pytest.mark.parametrize("held", [None, [0, 3, 4, 19], [], [7]])
def test_input_rows_write_the_assembled_matrix(tmp_path, monkeypatch, held):
    model = _random_model()
    n_words = len(model.words)
    dense = model.input_matrix.copy()
    if held is not None:
        held = np.array(held, dtype=np.int64)
        unheld = np.setdiff1d(np.arange(model.bucket), held)
        dense[n_words + unheld] = 0
    write_fasttext_bin(tmp_path / "dense.bin", model._replace(input_matrix=dense))
    # Blocks of 3 rows: word rows and bucket ranges span several blocks.
    monkeypatch.setattr(fasttext_bin, "_ROW_BYTES_PER_WRITE", 3 * 4 * model.dim)
    parts = _parts(model._replace(input_matrix=model.input_matrix.astype(np.float64)), held)
    write_fasttext_bin(tmp_path / "parts.bin", model._replace(input_matrix=parts))
    assert (tmp_path / "parts.bin").read_bytes() == (tmp_path / "dense.bin").read_bytes()


INPUT_ROWS_ERRORS = {
    "word rows": (lambda m: _parts(m, None)._replace(word_rows=m.input_matrix[:3]), ValueError,
                  "model.input_matrix.word_rows has shape (3, 3)"),
    "all buckets": (lambda m: _parts(m, None)._replace(ngram_rows=m.input_matrix[:5]),
                    ValueError, "model.input_matrix.ngram_rows has shape (5, 3); it must be "
                    "(20, 3)"),
    "rows per bucket": (lambda m: _parts(m, np.array([1, 2]))._replace(
        ngram_rows=m.input_matrix[:3]), ValueError, "one row per entry of ngram_buckets"),
    "out of range": (lambda m: _parts(m, np.array([1, 2]))._replace(
        ngram_buckets=np.array([1, 20])), ValueError,
        "ngram_buckets holds 20; buckets are 0 to model.bucket - 1 = 19"),
    "negative": (lambda m: _parts(m, np.array([1, 2]))._replace(
        ngram_buckets=np.array([-1, 2])), ValueError, "ngram_buckets holds -1"),
    "not increasing": (lambda m: _parts(m, np.array([4, 2, 9])), ValueError,
                       "strictly increasing; entry 1 is 2, after 4"),
    "repeated": (lambda m: _parts(m, np.array([4, 4])), ValueError, "entry 1 is 4, after 4"),
    "float buckets": (lambda m: _parts(m, np.array([1, 2]))._replace(
        ngram_buckets=np.array([1.0, 2.0])), TypeError, "must be a 1-D array of ints"),
    "nan": (lambda m: _parts(m, np.array([1, 2]))._replace(
        ngram_rows=np.array([[0, 0, 0], [0, np.nan, 0]])), ValueError,
        "row 1 of model.input_matrix.ngram_rows holds nan"),
}


@pytest.mark.parametrize("case", list(INPUT_ROWS_ERRORS))
def test_input_rows_are_checked_before_writing(tmp_path, case):
    change, error, fragment = INPUT_ROWS_ERRORS[case]
    model = _random_model()
    with pytest.raises(error) as info:
        write_fasttext_bin(tmp_path / "model.bin", model._replace(input_matrix=change(model)))
    assert fragment in str(info.value) and str(tmp_path / "model.bin") in str(info.value)
    assert os.listdir(tmp_path) == []


# ---------------------------------------------------------------------------------------------
# Errors when reading


@pytest.mark.parametrize("source", ["synthetic", "skipgram"])
def test_truncated_files(request, source, tmp_path):
    path, _ = request.getfixturevalue(source)
    model = read_fasttext_bin(path)
    layout = _layout(model.words, model.bucket, model.dim)
    data = path.read_bytes()
    cuts = {
        "version": 6, "args": 30, "dictionary header": layout["dictionary"] + 10,
        "first entry": layout["entries"] + 2,
        "entries": (layout["entries"] + layout["input_header"]) // 2,
        "last count": layout["input_header"] - 4,
        "input header": layout["input_header"] + 9, "input": layout["input_data"] + 13,
        "input end": layout["output_header"] - 1, "output header": layout["output_header"],
        "output": layout["output_data"] + 4, "last byte": len(data) - 1,
    }
    for where, cut in cuts.items():
        target = tmp_path / f"cut{cut}.bin"
        target.write_bytes(data[:cut])
        for mmap in (True, False):
            message = _read_error(target, "truncated", mmap=mmap)
            assert "ends inside" in message or "only" in message, (where, message)


def test_empty_and_foreign_files(synthetic, tmp_path):
    path, _ = synthetic
    empty = tmp_path / "empty.bin"
    empty.write_bytes(b"")
    _read_error(empty, "is empty")
    short = tmp_path / "short.bin"
    short.write_bytes(b"\xba")
    _read_error(short, "not a fastText .bin model")
    flipped = _patched(path, [("<i", 0, 793712315)])
    _read_error(flipped, "not a fastText .bin model", "format='word2vec'")
    vec = tmp_path / "vectors.vec"
    vec.write_text("2 3\nnaïve 0.1 0.2 0.3\nb 1 2 3\n", encoding="utf-8")
    _read_error(vec, "not a fastText .bin model", "format='word2vec'")
    compressed = tmp_path / "model.bin.gz"
    compressed.write_bytes(gzip.compress(path.read_bytes()))
    _read_error(compressed, "gzip-compressed")


def test_missing_file_and_directory_pass_through(tmp_path):
    with pytest.raises(FileNotFoundError):
        read_fasttext_bin(tmp_path / "missing.bin")
    with pytest.raises(IsADirectoryError):
        read_fasttext_bin(tmp_path)


@pytest.mark.parametrize("version", [10, 13, -1])
def test_unsupported_version(synthetic, version):
    _read_error(_patched(synthetic[0], [("<i", 4, version)]), f"version {version} is not",
                "Re-save")


def test_version_11_reads_as_12(synthetic):
    path, model = synthetic
    _assert_same_model(read_fasttext_bin(_patched(path, [("<i", 4, 11)])), model)


def test_supervised_models(fasttext, tmp_path, synthetic):
    path = tmp_path / "labelled.txt"
    rng = random.Random(1)
    path.write_text("".join(f"__label__{rng.choice('ab')} {rng.choice(SPECIAL)} w{i % 7}\n"
                            for i in range(200)), encoding="utf-8")
    classifier = fasttext.train_supervised(str(path), dim=10, epoch=1, minCount=1, thread=10,
                                           verbose=0)
    classifier.save_model(str(tmp_path / "classifier.bin"))
    hint = 'Word2VecClassifier.load('
    _read_error(tmp_path / "classifier.bin", "supervised", "WordVectors.load reads unsupervised",
                hint, 'format="fasttext"')
    # The model type alone, or labels alone, say so too.
    _read_error(_patched(synthetic[0], [("<i", 36, 3)]), "supervised", hint)
    _read_error(_patched(synthetic[0], [("<ii", 64, 12, 11), ("<i", 72, 1)]), "supervised",
                "1 labels", hint)


def test_quantized_and_pruned_models(synthetic):
    path, model = synthetic
    layout = _layout(model.words, model.bucket, model.dim)
    _read_error(_patched(path, [("<B", layout["input_header"], 1)]), "quantized", "(.ftz)",
                "unquantized")
    # fastText treats a prune index size >= 0 as pruned (unpruned models store -1).
    for size in (0, 5):
        _read_error(_patched(path, [("<q", 84, size)]), "pruned", "quantized")
    _read_error(_patched(path, [("<q", 84, -2)]), "prune index size is -2", "corrupt")
    _read_error(_patched(path, [("<B", layout["input_header"], 2)]), "quantization flag",
                "corrupt")
    # fastText ignores the output flag of an unquantized model (set by training with -qout).
    _assert_same_model(read_fasttext_bin(_patched(path, [("<B", layout["output_header"], 1)])),
                       model)


def _assert_fast_and_small(function):
    tracemalloc.start()
    started = time.perf_counter()
    try:
        function()
    finally:
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
    assert time.perf_counter() - started < 5
    assert peak < 8 << 20, peak


@pytest.mark.parametrize("mmap", [True, False])
def test_huge_announced_sizes_fail_without_allocating(synthetic, mmap):
    path, model = synthetic
    layout = _layout(model.words, model.bucket, model.dim)
    huge_rows = _patched(path, [("<q", layout["input_header"] + 1, 10**12)])
    _assert_fast_and_small(lambda: _read_error(huge_rows, f"{10**12} rows",
                                               "nwords + bucket", mmap=mmap))
    # Consistent with the header's bucket: the size check against the file length fails.
    bucket = 2**31 - 1 - len(model.words)
    huge_bucket = _patched(path, [("<i", 40, bucket),
                                  ("<q", layout["input_header"] + 1, bucket + len(model.words))])
    _assert_fast_and_small(lambda: _read_error(huge_bucket, "float32 values", "truncated",
                                               mmap=mmap))
    huge_output = _patched(path, [("<q", layout["output_header"] + 1, 10**15)])
    _assert_fast_and_small(lambda: _read_error(huge_output, "output matrix has", mmap=mmap))
    huge_dictionary = _patched(path, [("<ii", 64, 2**31 - 1, 2**31 - 1)])
    _assert_fast_and_small(lambda: _read_error(huge_dictionary, "truncated", mmap=mmap))


def test_inconsistent_sizes(synthetic):
    path, model = synthetic
    layout = _layout(model.words, model.bucket, model.dim)
    _read_error(_patched(path, [("<q", layout["input_header"] + 9, 4)]), "4 columns",
                "dim) is 3")
    _read_error(_patched(path, [("<q", layout["output_header"] + 9, 2)]), "2 columns")
    _read_error(_patched(path, [("<q", layout["output_header"] + 1, 10)]), "10 rows",
                "nwords is 11")
    _read_error(_patched(path, [("<i", 64, 10)]), "10 entries but 11 words")
    _read_error(_patched(path, [("<q", layout["input_header"] + 1, -1)]), "-1 x 3")
    _read_error(_patched(path, [("<ii", 64, 0, 0)]), "no words")
    _read_error(_patched(path, [("<i", 68, -1)]), "-1 words")
    _read_error(_patched(path, [("<q", 76, -5)]), "-5 tokens")
    _read_error(_patched(path, [("<i", 8, 0)]), "dim) is 0")
    _read_error(_patched(path, [("<i", 40, -3)]), "bucket is -3")
    _read_error(_patched(path, [("<i", 32, 9)]), "unknown fastText loss 9")
    _read_error(_patched(path, [("<i", 36, 7)]), "unknown fastText model type 7")
    _read_error(_patched(path, [("<d", 56, float("nan"))]), "threshold t is nan")


def test_bad_dictionary_entries(synthetic):
    path, model = synthetic
    entries = _layout(model.words, model.bucket, model.dim)["entries"]
    offsets = np.cumsum([0] + [len(w.encode()) + 10 for w in model.words]) + entries
    assert model.words[2] == "日本語"
    third = int(offsets[2])
    _read_error(_patched(path, [("<B", third + 1, 0xFF)]), "entry 2", f"byte offset {third}",
                "not valid UTF-8", "starting at byte 0 of the word")
    type_byte = int(offsets[3]) - 1
    _read_error(_patched(path, [("<b", type_byte, 1)]), "entry 2", "'日本語' is a label")
    _read_error(_patched(path, [("<b", type_byte, 5)]), "of unknown type 5")
    _read_error(_patched(path, [("<q", type_byte - 8, -4)]), "the count of '日本語' is -4")


def test_duplicate_and_empty_words(tmp_path):
    words = ["</s>", "the", "thf", "x"]
    path = tmp_path / "model.bin"
    write_fasttext_bin(path, _random_model(words=words))
    data = path.read_bytes()
    at = data.index(b"thf\0")
    duplicate = _write(path, "duplicate.bin", data[:at + 2] + b"e" + data[at + 3:])
    _read_error(duplicate, "dictionary entries 1 and 2 are both the word 'the'", "corrupt")
    at = data.index(b"x\0")  # removing the word's only byte keeps the rest aligned
    _read_error(_write(path, "empty.bin", data[:at] + data[at + 1:]), "entry 3",
                "the word is empty")


def _write(path, name, data):
    target = path.with_name(name)
    target.write_bytes(data)
    return target


def test_word_without_nul_is_corrupt(tmp_path, monkeypatch):
    monkeypatch.setattr(fasttext_bin, "_MAX_WORD_BYTES", 64)
    long_word = "x" * 200
    path = tmp_path / "long.bin"
    write_fasttext_bin(path, _random_model(words=["a", long_word, "b"]))
    model = read_fasttext_bin(path)  # a long word is fine
    assert model.words[1] == long_word
    data = bytearray(path.read_bytes())
    start = data.index(long_word.encode())
    data[start + 200:] = b"y" * 300  # no NUL byte any more
    target = tmp_path / "nonul.bin"
    target.write_bytes(bytes(data))
    _read_error(target, "entry 1 of 3", "no NUL byte")


def test_trailing_garbage(synthetic):
    path, model = synthetic
    _read_error(_patched(path, [], append=b"\0\0\0\0"), "4 bytes follow the output matrix",
                f"byte offset {_layout(model.words, model.bucket, model.dim)['end']}")


def test_large_dictionary_parses_across_chunks(tmp_path, monkeypatch):
    monkeypatch.setattr(fasttext_bin, "_CHUNK_BYTES", 100)  # entries straddle chunks
    words = [f"wörd{i}" + "ü" * (i % 13) for i in range(3000)]
    model = _random_model(words=words, bucket=7, dim=2)
    path = tmp_path / "many.bin"
    write_fasttext_bin(path, model)
    _assert_same_model(read_fasttext_bin(path), model)
    _assert_same_model(read_fasttext_bin(path, mmap=False), model)


# ---------------------------------------------------------------------------------------------
# Errors when writing


def _bad_input(model):
    matrix = model.input_matrix.copy()
    matrix[5, 1] = np.nan
    return matrix


WRITE_ERRORS = {
    "nan": (lambda m: m._replace(input_matrix=_bad_input(m)), ValueError,
            "row 5 of model.input_matrix"),
    "beyond float32": (lambda m: m._replace(output_matrix=m.output_matrix.astype(float) * 1e39),
                       ValueError, "row 0 of model.output_matrix"),
    "inf output": (lambda m: m._replace(output_matrix=np.full((11, 3), np.inf)), ValueError,
                   "model.output_matrix"),
    "input rows": (lambda m: m._replace(input_matrix=m.input_matrix[:-1]), ValueError,
                   "model.input_matrix has shape (30, 3)"),
    "output rows": (lambda m: m._replace(output_matrix=m.output_matrix[:-1]), ValueError,
                    "model.output_matrix has shape (10, 3)"),
    "dim": (lambda m: m._replace(dim=4), ValueError, "model.input_matrix has shape (31, 3)"),
    "bucket": (lambda m: m._replace(bucket=-1), ValueError, "model.bucket is -1"),
    "complex": (lambda m: m._replace(input_matrix=m.input_matrix * 1j), TypeError,
                "model.input_matrix must hold real numbers"),
    "negative count": (lambda m: m._replace(counts=m.counts - 25), ValueError,
                       "model.counts[3] is -1"),
    "float counts": (lambda m: m._replace(counts=m.counts * 1.0), TypeError,
                     "model.counts must hold integers"),
    "count shape": (lambda m: m._replace(counts=m.counts[:3]), ValueError,
                    "model.counts has shape (3,)"),
    "space": (lambda m: m._replace(words=["a b", *m.words[1:]]), ValueError,
              "model.words[0] ('a b') contains ' '"),
    "tab": (lambda m: m._replace(words=[*m.words[:3], "a\tb", *m.words[4:]]), ValueError,
            "model.words[3]"),
    "nul": (lambda m: m._replace(words=[*m.words[:3], "a\0b", *m.words[4:]]), ValueError,
            "model.words[3]"),
    "empty word": (lambda m: m._replace(words=["", *m.words[1:]]), ValueError,
                   "model.words[0] is the empty word"),
    "duplicate": (lambda m: m._replace(words=[*m.words[:-1], m.words[1]]), ValueError,
                  "model.words[1] and model.words[10] are both 'naïve'"),
    "surrogate": (lambda m: m._replace(words=["\udcff", *m.words[1:]]), ValueError,
                  "model.words[0]"),
    "not str": (lambda m: m._replace(words=[b"x", *m.words[1:]]), TypeError,
                "model.words[0] is b'x'"),
    "no words": (lambda m: _random_model(words=[]), ValueError, "model.words is empty"),
    "loss": (lambda m: m._replace(loss="neg"), ValueError, "model.loss is 'neg'"),
    "model": (lambda m: m._replace(model="sup"), ValueError, "model.model is 'sup'"),
    "sample": (lambda m: m._replace(sample=float("nan")), ValueError, "model.sample is nan"),
    "n_tokens": (lambda m: m._replace(n_tokens=-1), ValueError, "model.n_tokens is -1"),
    "epochs": (lambda m: m._replace(epochs=True), TypeError, "model.epochs must be an int"),
    "window": (lambda m: m._replace(window=2**31), ValueError, "model.window is 2147483648"),
    "tuple": (lambda m: tuple(m), TypeError, "model must be a FastTextModel"),
}


@pytest.mark.parametrize("case", list(WRITE_ERRORS))
def test_write_rejects_bad_fields_before_writing(tmp_path, case):
    change, error, fragment = WRITE_ERRORS[case]
    target = tmp_path / "model.bin"
    target.write_bytes(b"previous")
    with pytest.raises(error) as info:
        write_fasttext_bin(target, change(_random_model()))
    assert fragment in str(info.value)
    assert str(target) in str(info.value)
    assert os.listdir(tmp_path) == ["model.bin"] and target.read_bytes() == b"previous"


def test_failed_write_leaves_nothing(tmp_path, monkeypatch):
    target = tmp_path / "model.bin"
    target.write_bytes(b"previous")

    def fail(descriptor):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(fasttext_bin.os, "fsync", fail)
    with pytest.raises(OSError, match="No space left"):
        write_fasttext_bin(target, _random_model())
    assert os.listdir(tmp_path) == ["model.bin"] and target.read_bytes() == b"previous"


def test_write_onto_a_directory_leaves_nothing(tmp_path):
    (tmp_path / "model.bin").mkdir()
    with pytest.raises(IsADirectoryError):
        write_fasttext_bin(tmp_path / "model.bin", _random_model())
    assert os.listdir(tmp_path) == ["model.bin"] and not os.listdir(tmp_path / "model.bin")


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0,
                    reason="needs POSIX permissions that apply (not root)")
def test_write_into_read_only_directory(tmp_path):
    directory = tmp_path / "read-only"
    directory.mkdir()
    directory.chmod(0o555)
    try:
        with pytest.raises(PermissionError):
            write_fasttext_bin(directory / "model.bin", _random_model())
        assert os.listdir(directory) == []
    finally:
        directory.chmod(0o755)


def test_written_file_has_the_usual_permissions(tmp_path):
    write_fasttext_bin(tmp_path / "model.bin", _random_model())
    umask = os.umask(0)
    os.umask(umask)
    assert (tmp_path / "model.bin").stat().st_mode & 0o777 == 0o666 & ~umask
