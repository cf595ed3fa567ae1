"""``skw2v._io.fasttext_supervised``: fastText supervised models (.bin and quantized .ftz).

fastText (the ``fasttext`` pip package) is the oracle. Its models are trained once per
session in a subprocess started with ``MALLOC_MMAP_THRESHOLD_=65536``: without it,
fasttext-numpy2 fails at random with "Encountered NaN" (glibc reads the variable at process
start, so it cannot be set from within the test process); and with ``thread=10`` and
``dim=10``, as fastText initialises the input matrix in ten blocks of ``size // 10`` values,
one per thread, leaving the rest as the allocator returned it otherwise. The data are Rotten
Tomatoes snippets (``skw2v.datasets.fetch_rotten_tomatoes``, from its cache only: the tests
skip when it is not cached) with made-up labels; the models train and quantize in about two
seconds in all.

The features of a line are checked through :func:`naive.fasttext_line_features` and
:func:`naive.fasttext_hidden`, a plain-Python reading of fastText's ``getLine``: their mean
over what :func:`read_supervised` returns must be fastText's ``get_sentence_vector``, which
checks the dequantization, the pruned buckets and the feature rules together.
"""

import json
import os
import struct
import subprocess
import sys

import naive
import numpy as np
import pytest

from skw2v._io.fasttext_bin import FastTextModel, write_fasttext_bin
from skw2v._io.fasttext_supervised import SupervisedFile, read_supervised, write_supervised

# Trains the models a JSON spec describes, saves them (.bin) and their quantized versions
# (.ftz), in a fresh process (see the module docstring).
_TRAIN_SCRIPT = """
import json, sys
import fasttext
spec = json.loads(sys.argv[1])
for name, model in spec["models"].items():
    classifier = fasttext.train_supervised(model["data"], verbose=0, thread=10, seed=0,
                                           **model["train"])
    classifier.save_model(f"{spec['dir']}/{name}.bin")
    for suffix, options in model.get("quantize", {}).items():
        quantized = fasttext.load_model(f"{spec['dir']}/{name}.bin")
        quantized.quantize(retrain=False, **options)
        quantized.save_model(f"{spec['dir']}/{name}_{suffix}.ftz")
"""

# name: (data file, training arguments, {suffix: quantize arguments}). fastText quantizes
# matrices of 256 rows or more only, hence the 300 labels ("many") of the model quantized
# with qout.
_SUBWORDS = {"minn": 2, "maxn": 4, "bucket": 500}
_MODELS = {
    "softmax": ("two", {"loss": "softmax"}, {"cut": {"cutoff": 300}}),  # bucket=0
    "ns_ngrams": ("three", {"loss": "ns", "wordNgrams": 2, "neg": 3, **_SUBWORDS},
                  {"qnorm": {"qnorm": True, "cutoff": 1200, "dsub": 3}, "plain": {}}),
    "ova_subwords": ("three", {"loss": "ova", **_SUBWORDS},
                     {"cut": {"qnorm": False, "cutoff": 600, "dsub": 4}}),
    "hs_bigrams": ("many", {"loss": "hs", "wordNgrams": 2, "bucket": 300},
                   {"qout": {"qout": True, "qnorm": True}, "qout_cut": {"qout": True,
                                                                        "cutoff": 700}}),
}
# Which quantized files are pruned (quantized with a cutoff).
_PRUNED = {f"{name}_{suffix}.ftz": "cutoff" in options
           for name, (_, _, quantize) in _MODELS.items()
           for suffix, options in quantize.items()}
_BINS = [f"{name}.bin" for name in _MODELS]
_FTZS = sorted(_PRUNED)
_UNPRUNED_FTZS = [name for name in _FTZS if not _PRUNED[name]]


@pytest.fixture(scope="module")
def fasttext():
    return pytest.importorskip("fasttext")


@pytest.fixture(scope="session")
def snippets():
    from skw2v.datasets import fetch_rotten_tomatoes

    try:
        bunch = fetch_rotten_tomatoes(download_if_missing=False)
    except OSError:
        pytest.skip("the Rotten Tomatoes snippets are not cached (skw2v.datasets."
                    "fetch_rotten_tomatoes() downloads them once)")
    return bunch.data, bunch.target


@pytest.fixture(scope="session")
def test_texts(snippets):
    """Snippets no model trained on, and lines with unknown words, labels and whitespace."""
    return snippets[0][-300:] + [
        "unseenword ünïcödé 日本語 😀 __label__fresh __label__unknown a", "", "   \t ",
        "the\vfilm\fis\rgood", "naïve café Zürich straße"]


@pytest.fixture(scope="session")
def oracle_files(snippets, tmp_path_factory, fasttext_available):
    """``{file name: path}`` of the fastText models and their quantized versions."""
    directory = tmp_path_factory.mktemp("supervised")
    texts, target = snippets
    data = {
        "two": [f"__label__{'fresh' if y else 'rotten'} {t}" for t, y in
                zip(texts[:400:2], target[:400:2], strict=True)],
        "three": [f"__label__{('rotten', 'fresh', 'mixed')[i % 7 % 3]} {t}" for i, t in
                  enumerate(texts[:200])],
        "many": [f"__label__c{i} {' '.join(t.split()[:6])}" for i, t in enumerate(texts[:300])],
    }
    for name, lines in data.items():
        (directory / f"{name}.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")
    spec = {"dir": str(directory), "models": {
        name: {"data": str(directory / f"{data_name}.txt"),
               "train": {"dim": 10, "epoch": 2, **train}, "quantize": quantize}
        for name, (data_name, train, quantize) in _MODELS.items()}}
    env = {**os.environ, "MALLOC_MMAP_THRESHOLD_": "65536"}
    subprocess.run([sys.executable, "-c", _TRAIN_SCRIPT, json.dumps(spec)], env=env,
                   check=True, timeout=300)
    return {path.name: path for path in directory.iterdir() if path.suffix in (".bin", ".ftz")}


@pytest.fixture(scope="session")
def fasttext_available():
    pytest.importorskip("fasttext")


def _features(model, text):
    return naive.fasttext_line_features(
        naive.fasttext_tokens(text), model.words, model.labels, minn=model.minn,
        maxn=model.maxn, bucket=model.bucket, word_ngrams=model.word_ngrams,
        kept_buckets=model.kept_buckets, pruned=model.pruned)


def _hidden(model, text):
    matrix = np.vstack([model.input_words, model.input_buckets])
    return naive.fasttext_hidden(_features(model, text), matrix)


def _assert_same(read, expected, skip=()):
    for field in SupervisedFile._fields:
        if field in skip:
            continue
        a, b = getattr(read, field), getattr(expected, field)
        if isinstance(b, np.ndarray):
            np.testing.assert_array_equal(a, b, err_msg=field)
        else:
            assert a == b, field


# ---------------------------------------------------------------------------------------------
# Reading what fastText writes


@pytest.mark.parametrize("name", _BINS + _FTZS)
def test_dictionary_and_arguments_match_fasttext(fasttext, oracle_files, name):
    model = read_supervised(oracle_files[name])
    oracle = fasttext.load_model(str(oracle_files[name]))
    words, word_counts = oracle.get_words(include_freq=True)
    labels, label_counts = oracle.get_labels(include_freq=True)
    assert model.words == list(words) and model.labels == list(labels)
    assert model.word_counts.dtype == model.label_counts.dtype == np.int64
    np.testing.assert_array_equal(model.word_counts, word_counts)
    np.testing.assert_array_equal(model.label_counts, label_counts)
    args = oracle.f.getArgs()
    assert (model.dim, model.word_ngrams, model.bucket, model.minn, model.maxn) == (
        args.dim, args.wordNgrams, args.bucket, args.minn, args.maxn)
    assert (model.negative, model.epochs, model.window) == (args.neg, args.epoch, args.ws)
    assert model.loss == {"one-vs-all": "ova"}.get(args.loss.name, args.loss.name)
    assert model.quantized == name.endswith(".ftz")
    assert model.pruned == _PRUNED.get(name, False)
    assert model.output.shape == (len(labels), model.dim)
    if model.kept_buckets is None:
        assert model.input_buckets.shape == (model.bucket, model.dim)
    else:
        assert model.kept_buckets.dtype == np.int64
        assert np.all(np.diff(model.kept_buckets) > 0)
        assert model.input_buckets.shape == (len(model.kept_buckets), model.dim)


@pytest.mark.parametrize("name", _BINS)
@pytest.mark.parametrize("mmap", [True, False])
def test_dense_matrices_are_fasttexts(fasttext, oracle_files, name, mmap):
    model = read_supervised(oracle_files[name], mmap=mmap)
    oracle = fasttext.load_model(str(oracle_files[name]))
    n_words = len(model.words)
    input_matrix = oracle.get_input_matrix()
    np.testing.assert_array_equal(model.input_words, input_matrix[:n_words])
    np.testing.assert_array_equal(model.input_buckets, input_matrix[n_words:])
    np.testing.assert_array_equal(model.output, oracle.get_output_matrix())
    assert isinstance(model.input_words, np.memmap) == mmap
    assert model.kept_buckets is None and not model.pruned and not model.quantized


@pytest.mark.parametrize("name", _BINS + _FTZS)
def test_sentence_vectors_are_fasttexts(fasttext, oracle_files, test_texts, name):
    model = read_supervised(oracle_files[name])
    oracle = fasttext.load_model(str(oracle_files[name]))
    worst = max(np.abs(_hidden(model, text) - oracle.get_sentence_vector(text)).max()
                for text in test_texts)
    assert worst < 1e-6, name
    # The lines do reach bucket rows (word or character n-grams) and unknown words.
    features = [row for text in test_texts for row in _features(model, text)]
    if model.bucket and model.input_buckets.shape[0]:
        assert max(features) >= len(model.words)


def test_version_11_supervised_models_have_no_char_ngrams(oracle_files, tmp_path):
    data = bytearray(oracle_files["ns_ngrams.bin"].read_bytes())
    struct.pack_into("<i", data, 4, 11)
    path = tmp_path / "v11.bin"
    path.write_bytes(bytes(data))
    model, original = read_supervised(path), read_supervised(oracle_files["ns_ngrams.bin"])
    assert model.maxn == 0 and original.maxn == 4
    _assert_same(model, original, skip=("maxn",))


# ---------------------------------------------------------------------------------------------
# Writing


@pytest.mark.parametrize("name", _BINS + _UNPRUNED_FTZS)
def test_written_models_predict_as_the_originals(fasttext, oracle_files, test_texts, tmp_path,
                                                 name):
    model = read_supervised(oracle_files[name])
    path = tmp_path / "written.bin"
    write_supervised(path, model)
    original = fasttext.load_model(str(oracle_files[name]))
    written = fasttext.load_model(str(path))
    lines = [text for text in test_texts if text.strip()]
    labels, probabilities = original.predict(lines, k=-1)
    written_labels, written_probabilities = written.predict(lines, k=-1)
    worst = 0.0
    for a, b, pa, pb in zip(labels, written_labels, probabilities, written_probabilities,
                            strict=True):
        # Every label's probability; near-ties may be ordered differently.
        assert sorted(a) == sorted(b) and len(a) == len(model.labels)
        expected, found = dict(zip(a, pa, strict=True)), dict(zip(b, pb, strict=True))
        worst = max(worst, max(abs(expected[label] - found[label]) for label in a))
        assert expected[b[0]] >= pa[0] - 1e-6  # the prediction is (one of) the best
    assert worst < 1e-6
    again = read_supervised(path)
    _assert_same(again, model, skip=("quantized",))
    assert not again.quantized


def test_kept_buckets_are_written_as_zero_rows(fasttext, oracle_files, test_texts, tmp_path):
    full = read_supervised(oracle_files["ns_ngrams.bin"], mmap=False)
    kept = np.arange(0, full.bucket, 3, dtype=np.int64)
    model = full._replace(kept_buckets=kept, input_buckets=full.input_buckets[kept])
    path = tmp_path / "kept.bin"
    write_supervised(path, model)
    oracle = fasttext.load_model(str(path))
    worst = max(np.abs(_hidden(model, text) - oracle.get_sentence_vector(text)).max()
                for text in test_texts)
    assert worst < 1e-6
    again = read_supervised(path)
    expected = np.zeros_like(full.input_buckets)
    expected[kept] = full.input_buckets[kept]
    np.testing.assert_array_equal(again.input_buckets, expected)
    assert again.kept_buckets is None and not again.pruned


def test_a_pruned_model_cannot_be_written(oracle_files, tmp_path):
    model = read_supervised(oracle_files["ns_ngrams_qnorm.ftz"])
    assert model.pruned
    path = tmp_path / "pruned.bin"
    with pytest.raises(ValueError, match="pruned=True") as info:
        write_supervised(path, model)
    assert "refuses" in str(info.value) and "pruned=False" in str(info.value)
    assert not path.exists() and not list(tmp_path.iterdir())
    # As an unpruned model (dropped buckets become zero rows), it can.
    write_supervised(path, model._replace(pruned=False))
    assert read_supervised(path).bucket == model.bucket


def _small_model(**fields):
    rng = np.random.default_rng(0)
    defaults = dict(
        dim=3, word_ngrams=2, loss="softmax", negative=5, bucket=4, minn=0, maxn=0, epochs=5,
        min_count=1, lr_update_rate=100, t=1e-4, window=5, ntokens=10,
        words=["</s>", "good", "bad"], word_counts=np.array([4, 3, 3]),
        labels=["__label__a", "__label__b"], label_counts=np.array([2, 2]),
        input_words=rng.normal(size=(3, 3)), input_buckets=rng.normal(size=(4, 3)),
        kept_buckets=None, pruned=False, output=rng.normal(size=(2, 3)), quantized=False)
    return SupervisedFile(**{**defaults, **fields})


@pytest.mark.parametrize(("fields", "error", "fragment"), [
    ({"labels": ["__label__a", "bad label"]}, ValueError, "model.labels[1]"),
    ({"labels": ["__label__a", "good"]}, ValueError, "both in model.words and"),
    ({"labels": []}, ValueError, "model.labels is empty"),
    ({"output": np.full((2, 3), np.nan)}, ValueError, "row 0 of model.output"),
    ({"output": np.zeros((3, 3))}, ValueError, "model.output has shape (3, 3)"),
    ({"input_buckets": np.zeros((5, 3))}, ValueError, "model.input_buckets has shape"),
    ({"kept_buckets": np.array([0, 9])}, ValueError, "model.kept_buckets holds 9"),
    ({"label_counts": np.array([1])}, ValueError, "one count per label"),
    ({"word_counts": np.array([1, -1, 2])}, ValueError, "model.word_counts[1] is -1"),
    ({"loss": "cbow"}, ValueError, "model.loss is 'cbow'"),
    ({"t": float("inf")}, ValueError, "model.t is inf"),
    ({"bucket": 2**31 - 2}, ValueError, "at most 2147483647"),
    ({"word_ngrams": 1.5}, TypeError, "model.word_ngrams must be an int"),
    ({"pruned": 0}, TypeError, "model.pruned must be True or False"),
])
def test_write_checks_the_model_first(tmp_path, fields, error, fragment):
    path = tmp_path / "model.bin"
    with pytest.raises(error) as info:
        write_supervised(path, _small_model(**fields))
    assert fragment in str(info.value) and str(path) in str(info.value)
    assert not list(tmp_path.iterdir())


def test_small_model_round_trip(fasttext, tmp_path):
    model = _small_model()
    path = tmp_path / "small.bin"
    write_supervised(path, model)
    again = read_supervised(path, mmap=False)
    _assert_same(again, model._replace(
        input_words=model.input_words.astype(np.float32),
        input_buckets=model.input_buckets.astype(np.float32),
        output=model.output.astype(np.float32)))
    assert fasttext.load_model(str(path)).get_labels() == model.labels


# ---------------------------------------------------------------------------------------------
# Errors


def _read_error(path, *fragments, mmap=True):
    with pytest.raises(ValueError) as info:
        read_supervised(path, mmap=mmap)
    message = str(info.value)
    assert str(path) in message
    for fragment in fragments:
        assert fragment in message, message
    return message


def test_an_unsupervised_model_is_refused(tmp_path):
    path = tmp_path / "vectors.bin"
    words = ["</s>", "a", "b"]
    write_fasttext_bin(path, FastTextModel(
        words=words, counts=np.array([3, 2, 1]), input_matrix=np.zeros((3, 4)),
        output_matrix=np.zeros((3, 4)), dim=4, window=5, epochs=5, min_count=1, negative=5,
        loss="ns", model="skipgram", bucket=0, minn=0, maxn=0, sample=1e-4,
        lr_update_rate=100, n_tokens=6))
    _read_error(path, "unsupervised (skipgram) word-vector", "WordVectors.load(",
                'format="fasttext"')


@pytest.mark.parametrize("name", ["hs_bigrams.bin", "ns_ngrams_qnorm.ftz",
                                  "hs_bigrams_qout.ftz", "ova_subwords_cut.ftz"])
def test_truncated_files(oracle_files, tmp_path, name):
    data = oracle_files[name].read_bytes()
    cuts = sorted({*range(0, 200, 7), *np.linspace(200, len(data) - 1, 60).astype(int),
                   len(data) - 1})
    for cut in cuts:
        path = tmp_path / f"cut{cut}"
        path.write_bytes(data[:cut])
        message = _read_error(path, mmap=bool(cut % 2))
        assert any(word in message for word in ("truncated", "is empty", "not a fastText")), (
            cut, message)
    path = tmp_path / "longer"
    path.write_bytes(data + b"\0")
    _read_error(path, "1 bytes follow the output matrix")


def test_corrupt_quantized_headers(oracle_files, tmp_path):
    path = oracle_files["hs_bigrams_qout.ftz"]
    model = read_supervised(path)
    data = path.read_bytes()
    # The QuantMatrix header after the flag quant_input: qnorm (1 here), m, n, codesize.
    at = data.index(struct.pack("<BBqq", 1, 1, len(model.words) + model.bucket,
                                model.dim)) + 1
    cases = [
        (at, "<B", 2, "norm flag of the quantized input matrix is 2"),
        (at + 1, "<q", 5, "has 5 rows"),
        (at + 9, "<q", 11, "has 11 columns"),
        (at + 17, "<i", -1, "announces -1 codes"),
    ]
    for offset, layout, value, fragment in cases:
        patched = bytearray(data)
        struct.pack_into(layout, patched, offset, value)
        target = tmp_path / f"patched{offset}.ftz"
        target.write_bytes(bytes(patched))
        _read_error(target, fragment, "byte offset")
    # The product quantizer after the codes: its dsub and its number of subquantizers.
    codesize = struct.unpack_from("<i", data, at + 17)[0]
    pq = at + 21 + codesize
    assert struct.unpack_from("<4i", data, pq) == (model.dim, 5, 2, 2)
    for index, value, fragment in [(2, 0, "dsub 0"), (1, 4, "4 subquantizers")]:
        patched = bytearray(data)
        struct.pack_into("<i", patched, pq + 4 * index, value)
        target = tmp_path / f"pq{index}.ftz"
        target.write_bytes(bytes(patched))
        _read_error(target, fragment, f"byte offset {pq}")


def test_a_pruned_dense_model_is_refused(tmp_path):
    path = tmp_path / "model.bin"
    write_supervised(path, _small_model())
    data = bytearray(path.read_bytes())
    struct.pack_into("<q", data, 84, 0)  # pruneidx_size: 0 buckets kept
    path.write_bytes(bytes(data))
    _read_error(path, "pruned", "not quantized", "refuses")
