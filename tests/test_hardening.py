"""Hardening: each test turns a reproducer of a bug into a check.

Diverged training, transform applying fit's document rules, non-finite ``init``, atomic
refits under injected faults, temporary files under signals and a full disk, buffers sized by
huge parameters, input containers, the counting budget of ``max_vocab_size`` and transform's
preallocated output. Private names a test needs (``skw2v._training`` ...) are imported inside
that test, so that every test of this module runs, and fails on its own, against older code.
"""

import copy
import json
import os
import re
import signal
import subprocess
import sys
import textwrap
import time
import unicodedata
from collections import Counter

import numpy as np
import pandas as pd
import pytest
from sklearn.utils._param_validation import InvalidParameterError

import skw2v
from skw2v import Word2VecVectorizer, WordVectors

WORDS = "red green blue cat dog fish king queen man woman apple pear".split()
KW = {"vector_size": 8, "min_count": 1, "epochs": 1, "n_jobs": 1, "random_state": 0}
#: The directory holding the skw2v package under test, for the subprocesses.
PACKAGE_ROOT = os.path.dirname(os.path.dirname(os.path.abspath(skw2v.__file__)))


def make_documents(seed=0, n=200, words=WORDS, length=8):
    rng = np.random.default_rng(seed)
    return [" ".join(rng.choice(words, length)) for _ in range(n)]


DOCS = make_documents()
OTHER_DOCS = make_documents(seed=1, words=[w + "s" for w in WORDS])


def _default_sigint():
    # A shell starts background commands with SIGINT ignored, and Python then never turns
    # SIGINT into KeyboardInterrupt: give the child the default disposition, as on a terminal.
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def run_python(code, tmp_path, **kwargs):
    """Start ``code`` in a fresh interpreter with TMPDIR set to a new directory (and SIGINT
    delivered as KeyboardInterrupt, even when the tests run in the background)."""
    tmpdir = tmp_path / "tmpdir"
    tmpdir.mkdir(parents=True, exist_ok=True)
    env = {**os.environ, "TMPDIR": str(tmpdir),
           "PYTHONPATH": os.pathsep.join(filter(None, [PACKAGE_ROOT,
                                                       os.environ.get("PYTHONPATH")]))}
    process = subprocess.Popen([sys.executable, "-c", textwrap.dedent(code)], env=env,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                               preexec_fn=_default_sigint, **kwargs)
    return process, tmpdir


# ------------------------------------------------------------------ 1. diverged training
@pytest.mark.parametrize("params, named, suggestion", [
    ({"alpha": 100}, "alpha", r"alpha=0\.0\d*"),
    ({"negative": 10**5}, "negative", r"negative=\d{1,2}\b"),
])
def test_diverged_training_raises_and_keeps_the_fitted_estimator(params, named, suggestion):
    fresh = Word2VecVectorizer(**params, **KW)
    with pytest.raises(ValueError, match="Training diverged in epoch") as raised:
        fresh.fit(DOCS)
    message = str(raised.value)
    assert f"{named}={params[named]}" in message, message
    assert re.search(suggestion, message), message
    assert not hasattr(fresh, "wv_"), "a diverged fit must not leave (NaN) vectors"
    fitted = Word2VecVectorizer(**KW).fit(DOCS)
    before = snapshot(fitted)
    assert np.isfinite(before["vectors"]).all()
    with pytest.raises(ValueError, match="Training diverged in epoch"):
        fitted.set_params(**params).fit(OTHER_DOCS)
    assert_unchanged(fitted, before)


# ------------------------------------------------------------------ 2. transform's rules
def _half_splitting(document):
    """A callable analyzer that returns a str (a mistake) for one-word documents."""
    return document.split() if " " in document else document


def test_transform_refuses_an_analyzer_returning_a_str_as_fit_does():
    with pytest.raises(TypeError, match="returned a str"):
        Word2VecVectorizer(analyzer=_half_splitting, **KW).fit(DOCS + ["red"])
    model = Word2VecVectorizer(analyzer=_half_splitting, **KW).fit(DOCS)
    with pytest.raises(TypeError, match=r"Document 1: the analyzer returned a str"):
        model.transform(["red cat", "red"])  # not split into 'r', 'e', 'd'


def test_transform_names_a_missing_document():
    model = Word2VecVectorizer(**KW).fit(DOCS)
    for missing in (None, np.nan, pd.NA):
        with pytest.raises(TypeError, match=r"Document 1 is missing .*fillna"):
            model.transform(["red cat", missing])


@pytest.fixture(scope="module")
def pretokenized_model():
    return Word2VecVectorizer(analyzer="pretokenized", **KW).fit([d.split() for d in DOCS])


@pytest.mark.parametrize("bad", [[1, 2], ["red", 7], [np.int64(3)]])
def test_transform_refuses_non_str_tokens(pretokenized_model, bad):
    with pytest.raises(TypeError, match=r"Document 1: the token .* is not a str.*str\(\)"):
        pretokenized_model.transform([["red"], bad])


def test_fit_refuses_non_str_tokens_too():
    with pytest.raises(TypeError, match=r"Document 1: the token int 1 is not a str"):
        Word2VecVectorizer(analyzer="pretokenized", **KW).fit([["red", "cat"], [1, 2]])


def test_transform_refuses_unhashable_tokens_clearly(pretokenized_model):
    with pytest.raises(TypeError, match=r"Document 0: the token list \['a'\] is not a str"):
        pretokenized_model.transform([[["a"], "red"]])


# ------------------------------------------------------------------ 3. non-finite init
@pytest.mark.parametrize("bad", [np.nan, np.inf, -np.inf])
def test_fit_refuses_non_finite_init_before_training(monkeypatch, bad):
    from skw2v import _training

    vectors = np.ones((3, 8), dtype=np.float32)
    vectors[1, 2] = bad
    init = WordVectors._owning(["red", "green", "zebra"], vectors)

    def never(*args, **kwargs):
        raise AssertionError("training started with a non-finite init")

    monkeypatch.setattr(_training, "train", never)
    with pytest.raises(ValueError, match=r"init: the vector of 'green' \(row 1\)"):
        Word2VecVectorizer(init=init, **KW).fit(DOCS)


# ------------------------------------------------------------------ 4. atomic refit
FITTED = ("wv_", "vocabulary_", "loss_history_", "idf_", "sif_component_",
          "corpus_document_count_", "corpus_token_count_", "n_features_in_",
          "feature_names_in_")


def public_fitted_names(estimator):
    return sorted(name for name in vars(estimator)
                  if name.endswith("_") and not name.startswith("_"))


def snapshot(estimator):
    """Copies of every fitted attribute (and the WordVectors object itself)."""
    state = {"names": public_fitted_names(estimator), "wv": estimator.wv_,
             "vectors": estimator.wv_.vectors.copy(),
             "words": list(estimator.wv_.index_to_word),
             "counts": np.array(estimator.wv_.counts, copy=True)}
    for name in FITTED:
        if hasattr(estimator, name):
            value = getattr(estimator, name)
            state[name] = value.copy() if hasattr(value, "copy") else value
    return state


def assert_unchanged(estimator, state):
    assert public_fitted_names(estimator) == state["names"]
    assert estimator.wv_ is state["wv"]
    np.testing.assert_array_equal(estimator.wv_.vectors, state["vectors"])
    assert estimator.wv_.index_to_word == state["words"]
    np.testing.assert_array_equal(estimator.wv_.counts, state["counts"])
    for name in FITTED:
        assert hasattr(estimator, name) == (name in state), name
        if name not in state:
            continue
        value = getattr(estimator, name)
        if isinstance(value, np.ndarray) or isinstance(state[name], np.ndarray):
            np.testing.assert_array_equal(value, state[name], err_msg=name)
        else:
            assert value == state[name], name


#: Functions replaced by one that raises: each step of fit, and functions inside them.
FAULT_TARGETS = [
    "skw2v._sources.read_documents",
    "skw2v._driver.choose_vocabulary",
    "skw2v._trainers.NumbaEngine.train",
    "skw2v._pooler.pool_corpus",
    "skw2v._progress.FitTask.end",
    "skw2v._vocab.build_vocabulary",
    "skw2v._training.initial_state",
    "skw2v._training.train",
    "skw2v._training.run_kernel",
    "skw2v._corpus.EncodedCorpus.chunks",
    "skw2v._pooling.counts_from_ids",
    "skw2v._pooling.pool",
    "skw2v._pooling.idf_weights",
    "skw2v._pooling.first_component",
]
FAULTS = [KeyboardInterrupt, MemoryError, OSError]


def _raiser(fault):
    def raise_fault(*args, **kwargs):
        raise fault("injected")

    return raise_fault


def _failing_documents(documents, fault, after):
    for position, document in enumerate(documents):
        if position == after:
            raise fault("injected")
        yield document


def _failing_analyzer(fault, after):
    calls = []

    def analyzer(document):
        calls.append(document)
        if len(calls) == after:
            raise fault("injected")
        return document.split()

    return analyzer


#: Faults while reading: the documents, or the analyzer, fail at the 151st document.
READING_FAULTS = ["documents", "analyzer"]


def _inject(monkeypatch, estimator, scenario, fault):
    """Arrange for ``fault`` in ``scenario``; return the documents to fit on: other words
    than DOCS, in a list, so that a completed refit would change every fitted attribute."""
    documents = OTHER_DOCS
    if scenario == "documents":
        return _failing_documents(documents, fault, after=150)
    if scenario == "analyzer":
        monkeypatch.setattr(estimator, "analyzer", _failing_analyzer(fault, after=150))
    else:
        monkeypatch.setattr(scenario, _raiser(fault))
    return documents


def _check_every_scenario(check):
    """Run ``check(scenario)`` for every fault scenario; report all that fail at once."""
    broken = []
    for scenario in FAULT_TARGETS + READING_FAULTS:
        try:
            check(scenario)
        except (Exception, pytest.fail.Exception) as error:
            broken.append(f"{scenario}: {type(error).__name__}: {str(error)[:300]}")
    assert not broken, "\n".join(broken)


@pytest.mark.parametrize("fault", FAULTS, ids=lambda f: f.__name__)
@pytest.mark.parametrize("method", ["fit", "fit_transform"])
def test_refit_interrupted_anywhere_keeps_the_fitted_estimator(fault, method):
    fitted = Word2VecVectorizer(pooling="sif", **KW)
    fitted.fit(pd.DataFrame({"text": DOCS}))
    assert fitted.sif_component_ is not None and hasattr(fitted, "feature_names_in_")
    rows = fitted.transform(DOCS[:5])

    def check(scenario):
        model = copy.deepcopy(fitted)
        state = snapshot(model)
        with pytest.MonkeyPatch.context() as monkeypatch:
            documents = _inject(monkeypatch, model, scenario, fault)
            model.set_params(random_state=1)
            with pytest.raises(fault, match="injected"):
                getattr(model, method)(documents)
        model.set_params(random_state=0)
        assert_unchanged(model, state)
        np.testing.assert_array_equal(model.transform(DOCS[:5]), rows)

    _check_every_scenario(check)


@pytest.mark.parametrize("fault", FAULTS, ids=lambda f: f.__name__)
def test_first_fit_interrupted_anywhere_leaves_no_fitted_attribute(fault):
    def check(scenario):
        model = Word2VecVectorizer(pooling="sif", **KW)
        with pytest.MonkeyPatch.context() as monkeypatch:
            documents = _inject(monkeypatch, model, scenario, fault)
            with pytest.raises(fault, match="injected"):
                model.fit(documents)
        assert public_fitted_names(model) == []

    _check_every_scenario(check)


# ------------------------------------------------------------------ 5. temporary files
_ENDLESS_READING = """
    import itertools
    from skw2v import Word2VecVectorizer

    def documents():
        for position in itertools.count():
            if position == 250_000:  # past the first chunk written to the temporary file
                print("busy", flush=True)
            yield "red green blue cat dog fish"

    Word2VecVectorizer(vector_size=8, min_count=1, epochs=1, n_jobs=1).fit(documents())
"""
_ENDLESS_TRAINING = """
    import skw2v._training as training
    from skw2v import Word2VecVectorizer

    original = training.train

    def train(*args, **kwargs):
        print("busy", flush=True)
        return original(*args, **kwargs)

    training.train = train
    documents = ["red green blue cat dog fish king queen"] * 20_000
    Word2VecVectorizer(vector_size=8, min_count=1, epochs=10**6, n_jobs=1).fit(documents)
"""


def _skw2v_entries_in_tmp():
    try:
        return {entry for entry in os.listdir("/tmp") if entry.startswith("skw2v-")}
    except OSError:  # pragma: no cover
        return set()


@pytest.mark.parametrize("phase", ["reading", "training"])
def test_no_temporary_file_survives_sigterm_or_sigint(tmp_path, phase):
    in_tmp = _skw2v_entries_in_tmp()
    code = _ENDLESS_READING if phase == "reading" else _ENDLESS_TRAINING
    children = {}  # one child per signal, run side by side
    try:
        for signal_number in (signal.SIGTERM, signal.SIGINT):
            children[signal_number] = run_python(code, tmp_path / signal_number.name)
        for process, _ in children.values():
            line = process.stdout.readline()
            assert line.strip() == "busy", process.stderr.read()
        time.sleep(0.3)
        for signal_number, (process, _) in children.items():
            assert process.poll() is None
            process.send_signal(signal_number)
        for process, _ in children.values():
            process.wait(timeout=60)
    finally:
        for process, _ in children.values():
            if process.poll() is None:
                process.kill()
                process.wait()
            process.stdout.close()
            process.stderr.close()
    for signal_number, (process, tmpdir) in children.items():
        assert process.returncode != 0, signal_number.name
        assert os.listdir(tmpdir) == [], signal_number.name
    assert _skw2v_entries_in_tmp() <= in_tmp


_FULL_DISK = """
    import json, resource, signal
    resource.setrlimit(resource.RLIMIT_FSIZE, ({limit}, {limit}))
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    from skw2v import Word2VecVectorizer

    documents = [{document!r}] * {n_documents}
    try:
        Word2VecVectorizer(vector_size=8, min_count=1, epochs=1, n_jobs=1).fit(documents)
        print(json.dumps(None))
    except BaseException as error:
        print(json.dumps([type(error).__name__, isinstance(error, OSError), str(error)]))
"""


@pytest.mark.parametrize("limit, document, n_documents, needed", [
    # 200,000 tokens (4 bytes each) and 20,000 documents (8 bytes each): a large write fails.
    (50_000, "red green blue cat dog fish king queen man woman", 20_000, "960,000"),
    # 600 one-token documents: the 4,800 bytes of lengths stay buffered until the last flush.
    (4_096, "red", 600, "7,200"),
], ids=["write", "flush"])
def test_full_disk_names_the_directory_and_the_bytes_needed(tmp_path, limit, document,
                                                            n_documents, needed):
    code = _FULL_DISK.format(limit=limit, document=document, n_documents=n_documents)
    process, tmpdir = run_python(code, tmp_path)
    out, err = process.communicate(timeout=120)
    assert process.returncode == 0, err
    result = json.loads(out.strip().splitlines()[-1])
    assert result is not None, "the fit did not fail on a full disk"
    name, is_os_error, message = result
    assert is_os_error, (name, message)
    assert str(tmpdir) in message, message
    assert "requested" not in message, message
    assert f"{needed} bytes" in message, message
    assert "TMPDIR" in message, message
    assert os.listdir(tmpdir) == []


# ------------------------------------------------------------------ 6. resources
_HUGE_WINDOWS = """
    import json, resource
    from skw2v import Word2VecVectorizer

    documents = ["red green blue cat dog fish king queen"] * 200
    params = dict(vector_size=8, min_count=1, epochs=1, n_jobs=1, random_state=0)

    def peak():
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024  # KiB on Linux

    variants = {"skipgram": {}, "cbow-hs": {"architecture": "cbow", "hs": True}}
    for variant in variants.values():  # load the kernels
        Word2VecVectorizer(window=5, **variant, **params).fit(documents)
    base = peak()
    grown = {}
    for name, variant in variants.items():
        for window in (10**7, 10**9):
            Word2VecVectorizer(window=window, **variant, **params).fit(documents)
            grown[f"{name}, window={window}"] = peak() - base
    print(json.dumps(grown))
"""


def test_huge_window_allocates_no_huge_buffers(tmp_path):
    process, _ = run_python(_HUGE_WINDOWS, tmp_path)
    out, err = process.communicate(timeout=300)
    assert process.returncode == 0, err
    grown = json.loads(out.strip().splitlines()[-1])
    for case, growth in grown.items():
        assert growth < 50 * 2**20, f"{case}: peak memory grew by {growth:,} bytes"


def test_huge_vector_size_raises_a_memory_error_naming_it():
    with pytest.raises(MemoryError) as raised:
        Word2VecVectorizer(vector_size=10**12, min_count=1, n_jobs=1).fit(DOCS)
    message = str(raised.value)
    assert "vector_size=1,000,000,000,000" in message, message
    assert re.search(r"\d+(\.\d+)? TiB", message), message
    assert "Lower vector_size" in message, message


def test_huge_negative_raises_a_memory_error_before_allocating_buffers():
    # 10**9 negatives x up to 10 context words x 4 bytes per thread: far beyond the machine.
    before = Word2VecVectorizer(**KW).fit(DOCS)
    vectors = before.wv_.vectors.copy()
    with pytest.raises(MemoryError) as raised:
        before.set_params(negative=10**9).fit(DOCS)
    message = str(raised.value)
    assert "negative + 1 = 1,000,000,001 outputs" in message, message
    assert "Lower negative" in message, message
    np.testing.assert_array_equal(before.wv_.vectors, vectors)


# ------------------------------------------------------------------ 7. inputs
def test_fit_refuses_a_dict():
    model = Word2VecVectorizer(**KW)
    with pytest.raises(TypeError, match=r"X is a dict.*keys"):
        model.fit({"red green blue": 1, "cat dog fish": 2})
    assert public_fitted_names(model) == []
    model.fit(DOCS)
    with pytest.raises(TypeError, match=r"X is a dict.*keys"):
        model.transform({"red green blue": 1})


def test_transform_of_an_exhausted_generator_raises():
    model = Word2VecVectorizer(**KW).fit(DOCS)
    documents = (document for document in DOCS[:3])
    assert model.transform(documents).shape == (3, 8)
    with pytest.raises(ValueError, match="consumed already"):
        model.transform(documents)


LINE_ENDINGS = [
    (b"aa bb\rcc dd\ree ff\r", ["aa bb", "cc dd", "ee ff"]),
    (b"aa bb\rcc dd", ["aa bb", "cc dd"]),
    (b"aa bb\r\ncc dd\r\nee ff\r\n", ["aa bb", "cc dd", "ee ff"]),
    (b"aa bb\ncc dd\nee ff", ["aa bb", "cc dd", "ee ff"]),
    (b"aa bb\r\ncc dd\ree ff\ngg hh", ["aa bb", "cc dd", "ee ff", "gg hh"]),
    (b"aa bb\r\rcc dd\r\n\r\nee ff\n", ["aa bb", "", "cc dd", "", "ee ff"]),
]


def test_path_lines_end_with_cr_crlf_or_lf(tmp_path):
    for number, (content, expected) in enumerate(LINE_ENDINGS):
        path = tmp_path / f"corpus{number}.txt"
        path.write_bytes(content)
        model = Word2VecVectorizer(**KW).fit(path)
        assert model.corpus_document_count_ == len(expected), content
        assert model.corpus_token_count_ == sum(len(line.split()) for line in expected)
        np.testing.assert_array_equal(model.transform(path), model.transform(expected))


@pytest.mark.parametrize("read_bytes", [1, 2, 3, 5])
def test_path_line_breaks_across_read_blocks(tmp_path, monkeypatch, read_bytes):
    from skw2v import _documents

    monkeypatch.setattr(_documents, "_READ_BYTES", read_bytes)
    content = b"aa bb\r\ncc\rdd ee\n\r\nff\r"
    (tmp_path / "c.txt").write_bytes(content)
    assert list(_documents.iter_documents(tmp_path / "c.txt")) == [
        "aa bb", "cc", "dd ee", "", "ff"]


def test_strip_accents_unicode_joins_nfc_and_nfd_spellings():
    nfc = unicodedata.normalize("NFC", "café")
    nfd = unicodedata.normalize("NFD", "café")
    assert nfc != nfd
    documents = [f"{nfc} noir", f"{nfd} noir"] * 5
    joined = Word2VecVectorizer(strip_accents="unicode", **KW).fit(documents)
    assert sorted(joined.vocabulary_) == ["cafe", "noir"]
    np.testing.assert_array_equal(joined.transform([nfc]), joined.transform([nfd]))
    apart = Word2VecVectorizer(strip_accents=None, **KW).fit(documents)
    # The token pattern stops at the combining accent of the NFD spelling ("cafe").
    assert len(apart.vocabulary_) == 3 and nfc in apart.vocabulary_
    assert not np.array_equal(apart.transform([nfc]), apart.transform([nfd]))


NUMBER_PARAMETERS = ["vector_size", "window", "min_count", "max_vocab_size", "negative",
                     "sample", "ns_exponent", "alpha", "min_alpha", "epochs", "n_jobs",
                     "sif_smoothing"]


@pytest.mark.parametrize("name", NUMBER_PARAMETERS)
def test_booleans_are_refused_for_number_parameters(name):
    for value in (True, False, np.True_, np.False_):
        with pytest.raises(InvalidParameterError, match=f"'{name}' parameter"):
            Word2VecVectorizer(**{**KW, name: value}).fit(DOCS)


def test_epochs_0_with_no_shared_word_names_the_pretrained_vocabulary():
    init = WordVectors(["xx", "yy"], np.ones((2, 8), dtype=np.float32))
    with pytest.raises(ValueError) as raised:
        Word2VecVectorizer(init=init, **{**KW, "epochs": 0}).fit(DOCS)
    message = str(raised.value)
    assert "pretrained vocabulary" in message, message
    assert "epochs=0" in message, message
    assert "ns_exponent" not in message, message


# ------------------------------------------------------------------ 8. counting budget
_BUDGET_STREAM = """
    import json, resource
    import numpy as np
    from skw2v import Word2VecVectorizer

    N_REAL, N_REAL_PER_DOCUMENT, N_JUNK_PER_DOCUMENT, N_DOCUMENTS = {sizes}
    real_ids = np.random.default_rng(0).integers(0, N_REAL,
                                                 size=(N_DOCUMENTS, N_REAL_PER_DOCUMENT))

    def stream(junk=True):
        # First every real word once, then real words and (with junk) tokens never seen again.
        real = [f"word{{i}}" for i in range(N_REAL)]
        yield list(real)
        serial = 0
        for row in real_ids:
            tokens = [real[i] for i in row.tolist()]
            if junk:
                tokens += [f"junk{{serial + k}}" for k in range(N_JUNK_PER_DOCUMENT)]
                serial += N_JUNK_PER_DOCUMENT
            yield tokens

    def peak():
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024  # KiB on Linux

    params = dict(vector_size=8, min_count=2, epochs=1, n_jobs=1, random_state=0,
                  analyzer="pretokenized", max_vocab_size={max_vocab_size})
    Word2VecVectorizer(**params).fit([["warm", "up"]] * 3)  # load the kernels
    base = peak()
    model = Word2VecVectorizer(**params).fit(stream())
    growth = peak() - base
    clean = Word2VecVectorizer(**params).fit(stream(junk=False))
    print(json.dumps({{
        "growth": growth,
        "counts": dict(zip(model.wv_.index_to_word, model.wv_.counts.tolist())),
        "vocabulary": model.vocabulary_, "clean_vocabulary": clean.vocabulary_,
        "clean_counts": clean.wv_.counts.tolist(),
        "n_tokens": model.corpus_token_count_,
        "finite": bool(np.isfinite(model.wv_.vectors).all()
                       and np.isfinite(model.loss_history_).all()),
    }}))
"""
BUDGET_SIZES = (50, 20, 30, 50_000)  # real words, per document; junk per document; documents


def test_max_vocab_size_bounds_counting_memory_and_keeps_frequent_words_exact(tmp_path):
    n_real, n_real_per_document, n_junk_per_document, n_documents = BUDGET_SIZES
    code = _BUDGET_STREAM.format(sizes=BUDGET_SIZES, max_vocab_size=1000)
    process, _ = run_python(code, tmp_path)
    out, err = process.communicate(timeout=300)
    assert process.returncode == 0, err
    result = json.loads(out.strip().splitlines()[-1])
    real_ids = np.random.default_rng(0).integers(0, n_real,
                                                 size=(n_documents, n_real_per_document))
    expected = {f"word{i}": int(n) + 1 for i, n in
                enumerate(np.bincount(real_ids.ravel(), minlength=n_real))}
    # 1.5M distinct junk tokens: counted exactly they take over 300 MB; the budget of
    # max_vocab_size=1000 holds at most 2 * 100,000 of them at a time.
    assert result["growth"] < 150 * 2**20, f"peak memory grew by {result['growth']:,} bytes"
    assert result["n_tokens"] == n_real + n_documents * (n_real_per_document
                                                         + n_junk_per_document)
    assert result["counts"] == expected  # every frequent word kept, with its exact count
    assert result["vocabulary"] == result["clean_vocabulary"]
    assert list(result["counts"].values()) == result["clean_counts"]
    assert result["finite"]


def test_without_max_vocab_size_every_count_is_exact():
    rng = np.random.default_rng(1)
    n_junk = 120_000  # more than the smallest counting budget holds
    order = rng.permutation(np.repeat(np.arange(n_junk), 2))  # every junk token twice
    documents = [[f"j{i}" for i in part.tolist()] + ["common"] * 3
                 for part in np.array_split(order, n_junk // 10)]
    expected = Counter(token for document in documents for token in document)
    model = Word2VecVectorizer(**{**KW, "analyzer": "pretokenized", "min_count": 2}).fit(
        iter(documents))
    assert dict(zip(model.wv_.index_to_word, model.wv_.counts.tolist(), strict=True)) == (
        dict(expected))


# ------------------------------------------------------------------ 9. preallocated output
def test_transform_of_a_sized_input_stacks_nothing(monkeypatch):
    from skw2v import _pooling

    model = Word2VecVectorizer(**KW).fit(DOCS)
    n = 3 * _pooling.BATCH_DOCUMENTS + 5
    documents = make_documents(seed=2, n=n)
    expected = np.concatenate([model.transform(documents[i:i + 1000])
                               for i in range(0, n, 1000)])

    def refuse(*args, **kwargs):
        raise AssertionError("transform stacked its batches")

    for name in ("vstack", "concatenate", "stack", "row_stack"):
        if hasattr(np, name):
            monkeypatch.setattr(np, name, refuse)
    out = model.transform(documents)
    out_series = model.transform(pd.Series(documents))
    monkeypatch.undo()
    np.testing.assert_allclose(out, expected, rtol=1e-6, atol=1e-7)
    np.testing.assert_array_equal(out_series, out)
    assert out.dtype == np.float32 and out.flags.c_contiguous
