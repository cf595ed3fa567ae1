"""The ``skw2v`` command line, run in-process through ``skw2v.cli.main``."""

import errno
import os
import re
import signal
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from sklearn.feature_extraction.text import CountVectorizer

from skw2v import Word2VecVectorizer, WordVectors
from skw2v.cli import main

gensim_models = pytest.importorskip("gensim.models")
pytestmark = pytest.mark.filterwarnings("ignore:Call to deprecated:DeprecationWarning")

TRAIN = ["--epochs", "1", "--vector-size", "10", "--seed", "0", "--jobs", "1"]


def load_kv(path, binary=False):
    return gensim_models.KeyedVectors.load_word2vec_format(str(path), binary=binary)


@pytest.fixture(scope="module")
def vectors_file(tmp_path_factory):
    """Random vectors of 40 words, as a word2vec text file and as a binary one."""
    rng = np.random.default_rng(3)
    wv = WordVectors([f"w{i}" for i in range(40)], rng.normal(size=(40, 6)))
    folder = tmp_path_factory.mktemp("vectors")
    wv.save(folder / "v.txt")
    wv.save(folder / "v.bin", format="word2vec-binary")
    return folder / "v.txt"


def run(capsys, *argv):
    code = main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return code, out, err


def parse(out):
    lines = [line.split("\t") for line in out.splitlines()]
    return [word for word, _ in lines], [float(score) for _, score in lines]


def assert_one_line_error(err, *fragments):
    assert err.count("\n") == 1 and "Traceback" not in err, err
    for fragment in fragments:
        assert fragment in err, err


# ------------------------------------------------------------------ help
def test_python_m_skw2v_help():
    done = subprocess.run([sys.executable, "-m", "skw2v", "--help"], capture_output=True,
                          text=True, timeout=120)
    assert done.returncode == 0
    for command in ("train", "phrases", "similar", "analogy", "evaluate"):
        assert command in done.stdout


@pytest.mark.parametrize("command", ["train", "phrases", "similar", "analogy", "evaluate"])
def test_help_of_each_command(capsys, command):
    code, out, _ = run(capsys, command, "--help")
    assert code == 0
    assert out.startswith(f"usage: skw2v {command}")


# ------------------------------------------------------------------ train
@pytest.mark.parametrize("format", ["word2vec", "word2vec-binary", "glove"])
def test_train_writes_vectors_readable_by_gensim(capsys, tmp_path, lee_path, format):
    output = tmp_path / "lee.vectors"
    code, out, _ = run(capsys, "train", lee_path, output, "--format", format, *TRAIN)
    assert code == 0
    assert "epoch 1/1: loss" in out and "words/s" in out
    kv = gensim_models.KeyedVectors.load_word2vec_format(
        str(output), binary=format == "word2vec-binary", no_header=format == "glove")
    # Independent vocabulary: CountVectorizer's tokens occurring at least 5 times (the default).
    counts = CountVectorizer().fit_transform(Path(lee_path).read_text().splitlines())
    vocabulary = CountVectorizer().fit(Path(lee_path).read_text().splitlines()).vocabulary_
    total = np.asarray(counts.sum(axis=0)).ravel()
    assert set(kv.index_to_key) == {w for w, i in vocabulary.items() if total[i] >= 5}
    assert kv.vector_size == 10
    assert f"to {output} ({format})" in out


def test_train_options_reach_the_estimator(capsys, tmp_path, lee_path):
    output = tmp_path / "cbow.txt"
    options = {"architecture": "cbow", "window": 3, "min_count": 8, "negative": 3,
               "sample": 0.0, "alpha": 0.05, "epochs": 2, "vector_size": 12}
    argv = [f"--{k.replace('_', '-')}={v}" for k, v in options.items()]
    code, _, _ = run(capsys, "train", lee_path, output, "--hs", "--seed", "7", "--jobs", "1",
                     *argv)
    assert code == 0
    expected = Word2VecVectorizer(**options, hs=True, random_state=7, n_jobs=1).fit(
        Path(lee_path)).wv_
    got = WordVectors.load(output)
    assert got.index_to_word == expected.index_to_word
    np.testing.assert_array_equal(got.vectors, expected.vectors)  # n_jobs=1: deterministic


def test_train_pretokenized_keeps_tokens_as_they_are(capsys, tmp_path):
    corpus = tmp_path / "tokens.txt"
    corpus.write_text("Hello hello a 42 x-y\n" * 10)
    output = tmp_path / "out.txt"
    code, _, _ = run(capsys, "train", corpus, output, "--pretokenized", "--min-count", "1",
                     *TRAIN)
    assert code == 0
    assert set(load_kv(output).index_to_key) == {"Hello", "hello", "a", "42", "x-y"}
    code, _, _ = run(capsys, "train", corpus, output, "--min-count", "1", *TRAIN)
    assert set(load_kv(output).index_to_key) == {"hello", "42"}


@pytest.mark.parametrize(("argv", "fragments"), [
    (["--min-count", "100000"], ["skw2v train: error: min_count=100000 removes every word"]),
    (["--window", "0"], ["skw2v train: error: The 'window' parameter"]),
    (["--negative", "0"], ["skw2v train: error: negative=0 with hs=False"]),
])
def test_train_errors_are_one_line(capsys, tmp_path, lee_path, argv, fragments):
    output = tmp_path / "out.txt"
    code, _, err = run(capsys, "train", lee_path, output, *TRAIN, *argv)
    assert code == 2
    assert_one_line_error(err, *fragments)
    assert not output.exists()


def test_train_missing_corpus(capsys, tmp_path):
    code, _, err = run(capsys, "train", tmp_path / "absent.txt", tmp_path / "out.txt")
    assert code == 2
    assert_one_line_error(err, "skw2v train: error:", "absent.txt")


# ------------------------------------------------------------------ similar and analogy
@pytest.mark.parametrize("binary", [False, True])
def test_similar_matches_gensim(capsys, vectors_file, binary):
    path = vectors_file.with_suffix(".bin") if binary else vectors_file
    fmt = ["--format", "word2vec-binary"] if binary else []
    code, out, _ = run(capsys, "similar", path, "w3", "--topn", "4", *fmt)
    assert code == 0
    words, scores = parse(out)
    expected = load_kv(path, binary=binary).most_similar("w3", topn=4)
    assert words == [w for w, _ in expected]
    np.testing.assert_allclose(scores, [s for _, s in expected], atol=1e-6)


def test_similar_default_topn_and_limit(capsys, vectors_file):
    code, out, _ = run(capsys, "similar", vectors_file, "w0")
    assert code == 0 and len(out.splitlines()) == 10
    code, out, _ = run(capsys, "similar", vectors_file, "w0", "--limit", "5")
    words, _ = parse(out)
    assert code == 0 and sorted(words) == ["w1", "w2", "w3", "w4"]


@pytest.mark.parametrize("method", ["3cosadd", "3cosmul"])
def test_analogy_matches_gensim(capsys, vectors_file, method):
    code, out, _ = run(capsys, "analogy", vectors_file, "w1", "w2", "w3", "--method", method)
    assert code == 0
    kv = load_kv(vectors_file)
    query = kv.most_similar if method == "3cosadd" else kv.most_similar_cosmul
    expected = query(positive=["w2", "w3"], negative=["w1"], topn=5)
    words, scores = parse(out)
    assert words == [w for w, _ in expected]
    np.testing.assert_allclose(scores, [s for _, s in expected], atol=1e-6)


@pytest.mark.parametrize("argv", [["similar", "{v}", "nope"],
                                  ["analogy", "{v}", "w1", "nope", "w2"]])
def test_unknown_word_is_a_one_line_error(capsys, vectors_file, argv):
    code, out, err = run(capsys, *[a.format(v=vectors_file) for a in argv])
    assert code == 2 and out == ""
    assert_one_line_error(err, f"skw2v {argv[0]}: error: Word 'nope' is not in the vocabulary.")


def test_corrupt_or_missing_vectors_file(capsys, tmp_path):
    bad = tmp_path / "bad.txt"
    bad.write_text("2 3\nking 1 2 3\nqueen 1 two 3\n")
    code, _, err = run(capsys, "similar", bad, "king")
    assert code == 2
    assert_one_line_error(err, f"{bad}, line 3: 'two' is not a number")
    code, _, err = run(capsys, "similar", bad, "king", "--format", "word2vec-binary")
    assert code == 2
    assert_one_line_error(err, "is text, not float32 bytes")
    code, _, err = run(capsys, "evaluate", tmp_path / "absent.txt", "--analogies", bad)
    assert code == 2
    assert_one_line_error(err, "skw2v evaluate: error:", "absent.txt")


@pytest.mark.parametrize(("argv", "message"), [
    (["similar", "v.txt"], "the following arguments are required: WORD"),
    (["similar", "v.txt", "w", "--topn", "0"], "must be a positive integer, got 0"),
    (["similar", "v.txt", "w", "--format", "bin"], "invalid choice: 'bin'"),
    (["train", "c.txt", "o.txt", "--vector-size", "ten"], "invalid int value: 'ten'"),
    (["analogy", "v.txt", "a", "b", "c", "--method", "3cosavg"], "invalid choice"),
    (["train", "c.txt", "o.txt", "--char-ngrams", "6", "3"],
     "argument --char-ngrams: MIN 6 is larger than MAX 3; give the shortest n-gram length "
     "first, such as 3 6"),
    (["train", "c.txt", "o.txt", "--char-ngrams", "0", "3"],
     "argument --char-ngrams: must be a positive integer, got 0"),
    (["train", "c.txt", "o.txt", "--char-ngrams", "3"],
     "argument --char-ngrams: expected 2 arguments"),
    (["train", "c.txt", "o.txt", "--char-ngrams", "three", "six"],
     "argument --char-ngrams: must be a positive integer, got 'three'"),
    (["train", "c.txt", "o.txt", "--char-ngrams", "3", "6", "--buckets", "0"],
     "argument --buckets: must be a positive integer, got 0"),
    (["train", "c.txt", "o.txt", "--char-ngrams", "3", "6", "--buckets", "2e6"],
     "argument --buckets: must be a positive integer, got '2e6'"),
    (["similar", "v.bin", "w", "--format", "fastText"], "invalid choice: 'fastText'"),
    (["fly"], "invalid choice: 'fly'"),
    ([], "the following arguments are required: COMMAND"),
])
def test_bad_arguments_exit_2(capsys, argv, message):
    code, out, err = run(capsys, *argv)
    assert code == 2 and out == ""
    assert "Traceback" not in err
    assert err.splitlines()[-1].startswith("skw2v") and message in err.splitlines()[-1]


# ------------------------------------------------------------------ evaluate
def test_evaluate_given_files_matches_gensim(capsys, tmp_path, vectors_file):
    questions = tmp_path / "questions.txt"
    rng = np.random.default_rng(0)
    quads = rng.integers(0, 45, size=(60, 4))  # w40..w44 are out of vocabulary
    questions.write_text(": one\n" + "".join(" ".join(f"w{i}" for i in q) + "\n"
                                             for q in quads))
    pairs = tmp_path / "pairs.tsv"
    pairs.write_text("".join(f"w{a}\tw{b}\t{s:.2f}\n" for a, b, s in zip(
        rng.integers(0, 42, 30), rng.integers(0, 42, 30), rng.uniform(0, 10, 30), strict=True)))
    code, out, _ = run(capsys, "evaluate", vectors_file, "--analogies", questions,
                       "--word-pairs", pairs)
    assert code == 0
    kv = load_kv(vectors_file)
    score, sections = kv.evaluate_word_analogies(str(questions))
    correct, incorrect = len(sections[-1]["correct"]), len(sections[-1]["incorrect"])
    lines = out.splitlines()
    assert lines[0].startswith(f"questions.txt: accuracy {score:.4f} ({correct} of "
                               f"{correct + incorrect};")
    assert lines[1].startswith(f"  one: {score:.4f}")
    pearson, spearman, oov = kv.evaluate_word_pairs(str(pairs))
    assert lines[2] == (f"pairs.tsv: Pearson {pearson[0]:.4f}, Spearman {spearman[0]:.4f} "
                        f"({round(30 * (1 - oov / 100))} pairs; {oov:.1f}% out of vocabulary)")


def test_evaluate_defaults_to_the_dataset_files(capsys, monkeypatch, tmp_path, lee_path):
    monkeypatch.setenv("SKW2V_DATA", str(tmp_path / "data"))
    vectors = tmp_path / "lee.txt"
    assert run(capsys, "train", lee_path, vectors, *TRAIN)[0] == 0
    code, out, _ = run(capsys, "evaluate", vectors)
    assert code == 0
    lines = out.splitlines()
    assert lines[0].startswith("questions-words.txt: accuracy ")
    assert [line.split(":")[0].strip() for line in lines[1:15]][:2] == [
        "capital-common-countries", "capital-world"]
    assert lines[15].startswith("wordsim353.tsv: Pearson ")
    assert lines[16].startswith("simlex999.txt: Pearson ")
    assert len(lines) == 17


# ------------------------------------------------------------------ train: output checked first
def assert_not_trained(out):
    assert "epoch" not in out, out


@pytest.mark.parametrize(("output", "fragment"), [
    ("missing/out.txt", "the directory {tmp}/missing does not exist; create it"),
    ("folder", "OUTPUT {tmp}/folder is a directory; give a file name"),
    ("file.txt/out.txt", "{tmp}/file.txt is not a directory"),
])
def test_train_checks_the_output_before_training(capsys, tmp_path, lee_path, output, fragment):
    (tmp_path / "folder").mkdir()
    (tmp_path / "file.txt").write_text("keep me\n")
    code, out, err = run(capsys, "train", lee_path, tmp_path / output, *TRAIN)
    assert code == 2
    assert_one_line_error(err, "skw2v train: error: " + fragment.format(tmp=tmp_path))
    assert_not_trained(out)
    assert (tmp_path / "file.txt").read_text() == "keep me\n"


def test_train_refuses_to_overwrite_its_corpus(capsys, tmp_path):
    corpus = tmp_path / "corpus.txt"
    corpus.write_text("a b c\n" * 20)
    code, out, err = run(capsys, "train", corpus, tmp_path / "." / "corpus.txt", *TRAIN)
    assert code == 2
    assert_one_line_error(err, "is the corpus; writing the vectors there would destroy it")
    assert corpus.read_text() == "a b c\n" * 20
    assert_not_trained(out)


def test_train_output_check_keeps_an_existing_file_and_leaves_no_new_one(capsys, tmp_path,
                                                                         lee_path):
    existing = tmp_path / "old.txt"
    existing.write_text("previous vectors\n")
    code, _, _ = run(capsys, "train", lee_path, existing, *TRAIN, "--window", "0")
    assert code == 2 and existing.read_text() == "previous vectors\n"
    code, _, _ = run(capsys, "train", lee_path, tmp_path / "new.txt", *TRAIN, "--window", "0")
    assert code == 2 and sorted(p.name for p in tmp_path.iterdir()) == ["old.txt"]


def test_epochs_must_be_positive(capsys, tmp_path, lee_path):
    # The estimator's message for epochs=0 speaks of init=, which the command line lacks.
    code, out, err = run(capsys, "train", lee_path, tmp_path / "o.txt", "--epochs", "0")
    assert code == 2 and out == ""
    assert "argument --epochs: must be a positive integer, got 0" in err.splitlines()[-1]
    assert "init" not in err


def test_non_integer_counts_get_a_readable_message(capsys):
    code, _, err = run(capsys, "similar", "v.txt", "w", "--topn", "three")
    assert code == 2
    assert "argument --topn: must be a positive integer, got 'three'" in err.splitlines()[-1]


# ------------------------------------------------------------------ every error is one line
def fail_with(monkeypatch, error, target="skw2v.cli.Word2VecVectorizer.fit"):
    def raise_error(*args, **kwargs):
        raise error

    monkeypatch.setattr(target, raise_error)


@pytest.mark.parametrize(("error", "fragments"), [
    (TypeError("analyzer must be callable"), ["skw2v train: error: analyzer must be callable"]),
    (ValueError("first line\nsecond line\n  third"),
     ["skw2v train: error: first line second line third"]),
    (KeyError("'w' is unknown"), ["skw2v train: error: 'w' is unknown"]),
    (OSError(28, "No space left on device"), ["No space left on device"]),
    (MemoryError("Unable to allocate 653. TiB for an array with shape (1796, 100000000000) "
                 "and data type float32"),
     ["skw2v train: error: out of memory (Unable to allocate 653. TiB",
      "lower --vector-size or raise --min-count"]),
    (MemoryError("Allocation failed (probably too large)."),
     ["skw2v train: error: out of memory (Allocation failed (probably too large).)",
      "lower --vector-size"]),
    (MemoryError(), ["skw2v train: error: out of memory.", "lower --vector-size"]),
])
def test_train_errors_are_one_line_whatever_their_kind(capsys, monkeypatch, tmp_path,
                                                       lee_path, error, fragments):
    fail_with(monkeypatch, error)
    code, _, err = run(capsys, "train", lee_path, tmp_path / "out.txt", *TRAIN)
    assert code == 2
    assert_one_line_error(err, *fragments)
    assert not (tmp_path / "out.txt").exists()


def test_out_of_memory_while_loading_suggests_limit(capsys, monkeypatch, vectors_file):
    fail_with(monkeypatch, MemoryError("Unable to allocate 3.00 GiB"),
              "skw2v.cli.WordVectors.load")
    code, _, err = run(capsys, "similar", vectors_file, "w1")
    assert code == 2
    assert_one_line_error(err, "skw2v similar: error: out of memory (Unable to allocate 3.00 "
                          "GiB)", "--limit")


@pytest.mark.parametrize(("argv", "target"), [
    (["train", "{lee}", "{tmp}/out.txt"], "skw2v.cli.Word2VecVectorizer.fit"),
    (["similar", "{vectors}", "w1"], "skw2v.cli.WordVectors.load"),
])
def test_keyboard_interrupt_exits_130_with_one_line(capsys, monkeypatch, tmp_path, lee_path,
                                                    vectors_file, argv, target):
    fail_with(monkeypatch, KeyboardInterrupt(), target)
    try:
        code, _, err = run(capsys, *[a.format(lee=lee_path, tmp=tmp_path, vectors=vectors_file)
                                     for a in argv])
    except KeyboardInterrupt:
        pytest.fail("KeyboardInterrupt escaped main()")
    assert code == 130
    assert_one_line_error(err, f"skw2v {argv[0]}: interrupted")
    assert not (tmp_path / "out.txt").exists()


def test_real_out_of_memory_in_a_subprocess_is_one_line(tmp_path, lee_path):
    # 1796 words x 10**11 dimensions: numpy cannot allocate the weights (653 TiB).
    done = subprocess.run(
        [sys.executable, "-m", "skw2v", "train", lee_path, str(tmp_path / "out.txt"),
         "--vector-size", str(10**11), "--epochs", "1", "--jobs", "1"],
        capture_output=True, text=True, timeout=300)
    assert done.returncode == 2, done.stderr
    assert done.stderr.count("\n") == 1 and "Traceback" not in done.stderr, done.stderr
    assert done.stderr.startswith("skw2v train: error: ")
    assert not (tmp_path / "out.txt").exists()


def test_ctrl_c_during_training_in_a_subprocess(tmp_path, lee_path):
    output = tmp_path / "out.txt"
    process = subprocess.Popen(
        [sys.executable, "-m", "skw2v", "train", lee_path, str(output), "--epochs", "100000",
         "--vector-size", "10", "--jobs", "1"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
        # A shell starts background commands with SIGINT ignored; Ctrl-C needs the default.
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
    try:
        assert process.stdout.readline().startswith("epoch 1/100000: loss")
        process.send_signal(signal.SIGINT)
        _, err = process.communicate(timeout=120)
    finally:
        process.kill()
    assert process.returncode == 130
    assert err == "skw2v train: interrupted\n"
    assert not output.exists()


def test_missing_output_directory_in_a_subprocess(tmp_path, lee_path):
    done = subprocess.run(
        [sys.executable, "-m", "skw2v", "train", lee_path, str(tmp_path / "no" / "out.txt")],
        capture_output=True, text=True, timeout=300)
    assert done.returncode == 2
    assert done.stderr == (f"skw2v train: error: the directory {tmp_path / 'no'} does not "
                           "exist; create it first, or give another OUTPUT.\n")
    assert done.stdout == ""


# ------------------------------------------------------------------ evaluate: bad word pairs
def test_evaluate_rejects_a_nan_score(capsys, tmp_path, vectors_file):
    pairs = tmp_path / "pairs.tsv"
    pairs.write_text("w1\tw2\t3\nw1\tw3\tnan\nw2\tw3\t1\n")
    code, out, err = run(capsys, "evaluate", vectors_file, "--word-pairs", pairs)
    assert code == 2 and out == ""
    assert_one_line_error(err, f"skw2v evaluate: error: {pairs}, line 2: the score 'nan'")


# ------------------------------------------------------------------ subword (fastText) models
SUBWORDS = ["--char-ngrams", "3", "5", "--buckets", "5000"]


@pytest.fixture(scope="module")
def verbs_file(tmp_path_factory):
    """A tiny corpus: sentences of a few verbs in several forms, 40 times over."""
    sentences = ["we are walking to the park", "she walked home alone", "he walks every day",
                 "they are talking about it", "she talked to him", "he talks too much",
                 "we are jumping over the fence", "she jumped high", "he jumps again"]
    path = tmp_path_factory.mktemp("verbs") / "verbs.txt"
    path.write_text("\n".join(sentences * 40) + "\n")
    return path


@pytest.fixture(scope="module")
def verbs_model(verbs_file, tmp_path_factory):
    """The verbs corpus trained with subwords by the command line, as a fastText .bin, and
    the same training by the estimator (--jobs 1 and a seed: the same vectors)."""
    output = tmp_path_factory.mktemp("model") / "verbs.bin"
    assert main(["train", str(verbs_file), str(output), "--format", "fasttext", "--min-count",
                 "1", "--epochs", "5", *TRAIN[2:], *SUBWORDS]) == 0
    expected = Word2VecVectorizer(min_count=1, epochs=5, vector_size=10, random_state=0,
                                  n_jobs=1, char_ngram_range=(3, 5), n_buckets=5000).fit(
        verbs_file).wv_
    return output, expected


def test_train_subword_options_reach_the_estimator(capsys, tmp_path, lee_path):
    output = tmp_path / "lee.txt"
    code, out, _ = run(capsys, "train", lee_path, output, *TRAIN, *SUBWORDS)
    assert code == 0
    expected = Word2VecVectorizer(char_ngram_range=(3, 5), n_buckets=5000, epochs=1,
                                  vector_size=10, random_state=0, n_jobs=1).fit(
        Path(lee_path)).wv_
    got = WordVectors.load(output)
    assert got.index_to_word == expected.index_to_word
    np.testing.assert_array_equal(got.vectors, expected.vectors)
    trained = expected.vectors_ngrams.shape[0]
    assert (f"(word2vec; character 3- to 5-grams in 5,000 buckets, {trained:,} of them "
            "trained; this format holds the vocabulary's vectors only: save with --format "
            "fasttext or npy to keep the n-grams for words outside the vocabulary).") in out


def test_train_subwords_writes_a_fasttext_model(verbs_model):
    output, expected = verbs_model
    wv = WordVectors.load(output, format="fasttext")
    assert (wv.char_ngram_range, wv.n_buckets) == ((3, 5), 5000)
    assert wv.index_to_word == expected.index_to_word
    np.testing.assert_allclose(wv.vectors, expected.vectors, rtol=1e-5, atol=1e-6)
    # gensim reads the file as fastText's model and composes an unseen word the same way.
    kv = gensim_models.fasttext.load_facebook_vectors(str(output))
    assert "walkingg" not in kv.key_to_index
    np.testing.assert_allclose(kv["walkingg"], expected["walkingg"], rtol=1e-5, atol=1e-6)


def test_similar_answers_an_unseen_word_of_a_subword_model(capsys, verbs_model):
    output, expected = verbs_model
    code, out, _ = run(capsys, "similar", output, "walkingg", "--format", "fasttext",
                       "--topn", "3")
    assert code == 0
    words, scores = parse(out)
    assert "walkingg" not in expected and words[0] == "walking"
    want = expected.most_similar("walkingg", topn=3)
    assert words == [w for w, _ in want]
    np.testing.assert_allclose(scores, [s for _, s in want], atol=1e-5)


def test_analogy_answers_unseen_words_of_a_subword_model(capsys, verbs_model):
    output, expected = verbs_model
    code, out, _ = run(capsys, "analogy", output, "walk", "walking", "talkk", "--format",
                       "fasttext", "--topn", "3")
    assert code == 0
    want = expected.most_similar(positive=["walking", "talkk"], negative=["walk"], topn=3)
    words, scores = parse(out)
    assert words == [w for w, _ in want]
    np.testing.assert_allclose(scores, [s for _, s in want], atol=1e-5)


def test_unseen_word_without_ngram_rows_is_a_one_line_error(capsys, tmp_path, verbs_file):
    # With n-grams of 4 and 5 characters, "<q>" has none: no vector to compose.
    output = tmp_path / "verbs.bin"
    code, out, _ = run(capsys, "train", verbs_file, output, "--format", "fasttext",
                       "--min-count", "1", "--char-ngrams", "4", "5", "--buckets", "1000",
                       *TRAIN)
    assert code == 0
    trained = WordVectors.load(output, format="fasttext")
    assert trained.n_buckets == 1000 and trained.char_ngram_range == (4, 5)
    assert re.fullmatch(rf"Saved {len(trained)} words x 10 dimensions to {re.escape(str(output))} "
                        r"\(fasttext; character 4- to 5-grams in 1,000 buckets, \d+ of them "
                        r"trained\)\.", out.splitlines()[-1])
    code, out, err = run(capsys, "similar", output, "q", "--format", "fasttext")
    assert code == 2 and out == ""
    assert_one_line_error(err, "skw2v similar: error: Word 'q' is not in the vocabulary and "
                          "none of its character n-grams has a vector.")


def test_plain_model_as_fasttext_knows_only_its_vocabulary(capsys, tmp_path, verbs_file):
    output = tmp_path / "plain.bin"
    code, out, _ = run(capsys, "train", verbs_file, output, "--format", "fasttext",
                       "--min-count", "1", *TRAIN)
    assert code == 0 and out.splitlines()[-1].endswith(f"to {output} (fasttext).")
    code, out, _ = run(capsys, "similar", output, "walking", "--format", "fasttext")
    assert code == 0 and len(out.splitlines()) == 10
    code, _, err = run(capsys, "similar", output, "walkingg", "--format", "fasttext")
    assert code == 2
    assert_one_line_error(err, "Word 'walkingg' is not in the vocabulary.")


@pytest.mark.parametrize(("argv", "output", "fragment"), [
    (["--buckets", "1000"], "out.txt",
     "skw2v train: error: --buckets 1000 needs --char-ngrams: buckets hold the character "
     "n-grams of a subword model. Add --char-ngrams MIN MAX (such as --char-ngrams 3 6), or "
     "drop --buckets."),
    (["--format", "fasttext", *SUBWORDS], "out.bin.gz",
     "skw2v train: error: OUTPUT {tmp}/out.bin.gz ends in .gz, but fastText .bin models are "
     "written uncompressed (fastText cannot read gzipped ones). Give a name such as "
     "vectors.bin."),
])
def test_subword_option_errors_come_before_training(capsys, tmp_path, verbs_file, argv, output,
                                                    fragment):
    code, out, err = run(capsys, "train", verbs_file, tmp_path / output, *TRAIN, *argv)
    assert code == 2
    assert_one_line_error(err, fragment.format(tmp=tmp_path))
    assert_not_trained(out)
    assert not (tmp_path / output).exists()


def test_train_subwords_writes_an_npy_directory_that_similar_maps(capsys, tmp_path,
                                                                    verbs_file):
    output = tmp_path / "model-npy"
    code, out, _ = run(capsys, "train", verbs_file, output, "--format", "npy", *TRAIN,
                       *SUBWORDS)
    assert code == 0 and out.splitlines()[-1].startswith("Saved ") and "(npy; " in out
    expected = WordVectors.load(output, format="npy", mmap=True)
    assert isinstance(expected.vectors_ngrams, np.memmap)
    # A word never seen gets its vector from its n-grams, through the command line too.
    code, out, _ = run(capsys, "similar", output, "walkingg", "--format", "npy", "--topn", "2")
    assert code == 0
    want = expected.most_similar("walkingg", topn=2)
    assert [line.split("\t")[0] for line in out.splitlines()] == [w for w, _ in want]
    # A second train replaces the directory it wrote.
    code, _, _ = run(capsys, "train", verbs_file, output, "--format", "npy", *TRAIN)
    assert code == 0 and WordVectors.load(output, format="npy").char_ngram_range is None


@pytest.mark.parametrize(("make", "fragment"), [
    (lambda path: path.write_text("keep me"),
     "skw2v train: error: OUTPUT {out} exists and is not a directory written by --format npy, "
     "which would replace it; remove it or give a new name, such as {out}-npy."),
    (lambda path: (path.mkdir(), (path / "notes.txt").write_text("mine")),
     "skw2v train: error: OUTPUT {out} exists and is not a directory written by --format npy"),
])
def test_npy_output_that_is_not_ours_is_refused_before_training(capsys, tmp_path, verbs_file,
                                                                make, fragment):
    output = tmp_path / "model"
    make(output)
    code, out, err = run(capsys, "train", verbs_file, output, "--format", "npy", *TRAIN)
    assert code == 2
    assert_one_line_error(err, fragment.format(out=output))
    assert_not_trained(out)


@pytest.mark.parametrize("format", ["fasttext", "npy"])
def test_limit_does_not_apply_to_a_mapped_model(capsys, verbs_model, format):
    code, out, err = run(capsys, "similar", verbs_model[0], "walking", "--format", format,
                         "--limit", "5")
    assert code == 2 and out == ""
    assert_one_line_error(err, f"skw2v similar: error: --limit 5 does not apply to --format "
                          f"{format}: the model is memory-mapped whole, not read word by "
                          "word. Drop --limit.")


# ------------------------------------------------------------------ progress of train
TRAIN_2 = ["--epochs", "2", "--vector-size", "10", "--seed", "0", "--jobs", "1"]
BAR = re.compile(r"epoch ([12])/2 \[([#.]+)\] +(\d+)% +[\d,]+ words/s  loss/word [\d.e+]+ +"
                 r"ETA +\d+:\d\d")
EPOCH_LINE = re.compile(r"epoch ([12])/2: loss [\d.e+]+, [\d,]+ words/s, alpha [\d.]+")


class FakeTerminal:
    """A stdout that says it is a terminal and keeps what is written to it."""

    def __init__(self):
        self.text = ""

    def isatty(self):
        return True

    def write(self, text):
        self.text += text
        return len(text)

    def flush(self):
        pass


@pytest.fixture
def lee_chunks(monkeypatch, lee_documents):
    """Chunks of 10,000 tokens; the number of chunks of the Lee corpus."""
    import naive

    import skw2v._corpus

    monkeypatch.setattr(skw2v._corpus, "CHUNK_TOKENS", 10_000)
    analyzer = Word2VecVectorizer().build_analyzer()
    return len(naive.chunks([analyzer(doc) for doc in lee_documents], 10_000))


def test_train_prints_plain_lines_when_not_a_terminal(capsys, tmp_path, lee_path, lee_chunks):
    code, out, _ = run(capsys, "train", lee_path, tmp_path / "v.txt", *TRAIN_2)
    assert code == 0
    lines = out.splitlines()
    assert [EPOCH_LINE.fullmatch(line).group(1) for line in lines[:2]] == ["1", "2"]
    assert lines[2].startswith("Saved ") and len(lines) == 3
    assert "\r" not in out and "\x1b" not in out


def test_train_draws_a_bar_on_a_terminal(monkeypatch, tmp_path, lee_path, lee_chunks):
    assert lee_chunks >= 3
    terminal = FakeTerminal()
    monkeypatch.setattr(sys, "stdout", terminal)
    monkeypatch.setenv("COLUMNS", "100")
    assert main(["train", str(lee_path), str(tmp_path / "v.txt"), *TRAIN_2]) == 0
    # Every redraw first clears the line: the bar after each chunk, then each epoch's line.
    parts = terminal.text.split("\r\x1b[2K")
    assert parts[0] == ""
    bars = [part for part in parts[1:] if "[" in part]
    assert len(bars) == 2 * lee_chunks
    percents = []
    for number, bar in enumerate(bars):
        match = BAR.fullmatch(bar)
        assert match, bar
        assert match.group(1) == str(1 + number // lee_chunks)
        assert len(bar) <= 99 and len(match.group(2)) == len(BAR.fullmatch(bars[0]).group(2))
        percents.append(int(match.group(3)))
    assert percents == sorted(percents) and percents[-1] == 100
    # The bar gives way to the epoch lines, which stay; nothing of the bar is left at the end.
    lines = [part for part in parts[1:] if part not in bars]
    assert [EPOCH_LINE.fullmatch(line.splitlines()[0]).group(1) for line in lines] == ["1", "2"]
    assert lines[-1].splitlines()[1].startswith("Saved ")


def test_interrupted_train_clears_its_bar(monkeypatch, capsys, tmp_path, lee_path, lee_chunks):
    import skw2v._progress

    terminal = FakeTerminal()
    monkeypatch.setattr(sys, "stdout", terminal)

    def interrupt(self, step):
        raise KeyboardInterrupt

    monkeypatch.setattr(skw2v._progress.TerminalBar, "epoch_end", interrupt)
    assert main(["train", str(lee_path), str(tmp_path / "v.txt"), *TRAIN_2]) == 130
    assert BAR.fullmatch(terminal.text.split("\r\x1b[2K")[-2])  # drawn, then cleared
    assert terminal.text.endswith("\r\x1b[2K")
    assert capsys.readouterr().err == "skw2v train: interrupted\n"
    assert not (tmp_path / "v.txt").exists()


# ------------------------------------------------------------------ what save refuses, up front
@pytest.mark.parametrize(("argv", "fragment"), [
    (["--char-ngrams", "3", "5", "--buckets", str(2**31)],
     "the bucket count is 2,147,483,648, but the format stores it as a 32-bit int"),
    (["--char-ngrams", "3", str(2**31)],
     "the longest n-gram (maxn) is 2,147,483,648, but the format stores it as a 32-bit int"),
])
def test_fasttext_limits_are_refused_before_training(capsys, tmp_path, verbs_file, argv,
                                                     fragment):
    output = tmp_path / "out.bin"
    code, out, err = run(capsys, "train", verbs_file, output, *TRAIN, "--format", "fasttext",
                         *argv)
    assert code == 2
    assert_one_line_error(err, f"skw2v train: error: Cannot write {output} as a fastText "
                               f"model: {fragment}")
    assert_not_trained(out)
    assert list(tmp_path.iterdir()) == []


def test_a_word_the_format_cannot_hold_is_refused_before_training(capsys, tmp_path):
    # str.split keeps NUL inside a token; fastText's files end words at it.
    format, token, fragment = "fasttext", "a\0b", "contains '\\x00', which ends words in fastText"
    corpus = tmp_path / "corpus.txt"
    corpus.write_text(f"one two {token} three\n" * 30)
    output = tmp_path / "out.bin"
    output.write_text("keep\n")
    code, out, err = run(capsys, "train", corpus, output, *TRAIN, "--min-count", "1",
                         "--pretokenized", "--format", format)
    assert code == 2
    assert_one_line_error(err, repr(token), fragment,
                          f"Nothing was trained: --format {format} cannot hold this "
                          "vocabulary.")
    assert_not_trained(out)
    assert output.read_text() == "keep\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["corpus.txt", "out.bin"]


@pytest.mark.parametrize("existed", [True, False])
def test_a_full_disk_keeps_the_existing_output_and_says_which_file(tmp_path, existed):
    # A file-size limit (RLIMIT_FSIZE) makes the kernel refuse writes past 40,000 bytes, as a
    # full disk does (Python ignores SIGXFSZ, so write() fails with EFBIG): the corpus's
    # temporary ids fit, the 60 x 200 vectors (about 150 kB of text) do not.
    resource = pytest.importorskip("resource")
    corpus = tmp_path / "corpus.txt"
    corpus.write_text("".join(f"w{i % 60} w{(i * 7) % 60} w{(i * 3) % 60}\n"
                              for i in range(600)))
    output = tmp_path / "vectors.txt"
    if existed:
        output.write_text("previous vectors\n")
    limit = 40_000

    def limit_file_size():
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    done = subprocess.run(
        [sys.executable, "-m", "skw2v", "train", str(corpus), str(output), "--epochs", "1",
         "--vector-size", "200", "--min-count", "1", "--jobs", "1"],
        capture_output=True, text=True, timeout=300, preexec_fn=limit_file_size)
    assert done.returncode == 2, done.stderr
    assert done.stderr.count("\n") == 1 and "Traceback" not in done.stderr, done.stderr
    kept = f"the existing {output} is unchanged" if existed else "nothing was written"
    assert done.stderr.startswith(f"skw2v train: error: [Errno {errno.EFBIG}] Cannot write "
                                  f"{output}: File too large; {kept}"), done.stderr
    assert "epoch 1/1" in done.stdout  # it trained, then could not write
    names = sorted(p.name for p in tmp_path.iterdir())
    assert names == (["corpus.txt", "vectors.txt"] if existed else ["corpus.txt"])
    if existed:
        assert output.read_text() == "previous vectors\n"


# ------------------------------------------------------------------ phrases
def test_phrases_writes_the_joined_corpus(capsys, tmp_path, lee_path):
    from skw2v import PhrasesTransformer

    output = tmp_path / "joined.txt"
    code, out, _ = run(capsys, "phrases", lee_path, output, "--threshold", "5",
                       "--connector-words", "english")
    assert code == 0
    assert out.startswith("pass 1: ")
    lines = Path(lee_path).read_text(encoding="utf-8").splitlines()
    expected = PhrasesTransformer(threshold=5.0, connector_words="english").fit_transform(lines)
    assert output.read_text(encoding="utf-8").splitlines() == expected
    assert any("_" in line for line in expected)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["joined.txt"]  # no temporary left


def test_phrases_two_passes_equal_two_stacked_transformers(capsys, tmp_path):
    import random

    from sklearn.pipeline import make_pipeline

    from skw2v import PhrasesTransformer

    rng = random.Random(11)
    lines = []
    for _ in range(300):
        words = [f"w{rng.randrange(30)}" for _ in range(rng.randint(3, 12))]
        words.insert(rng.randrange(len(words) + 1), "new york city")
        lines.append(" ".join(words))
    corpus = tmp_path / "corpus.txt"
    corpus.write_text("\n".join(lines) + "\n", encoding="utf-8")
    output = tmp_path / "joined.txt"
    code, out, _ = run(capsys, "phrases", corpus, output, "--passes", "2", "--pretokenized",
                       "--threshold", "1", "--min-count", "3")
    assert code == 0 and "pass 2: " in out
    stacked = make_pipeline(*[PhrasesTransformer(threshold=1.0, min_count=3, analyzer=str.split)
                              for _ in range(2)])
    assert output.read_text(encoding="utf-8").splitlines() == stacked.fit_transform(lines)
    assert "new_york_city" in output.read_text(encoding="utf-8")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["corpus.txt", "joined.txt"]


@pytest.mark.parametrize("argv, fragment", [
    (["--threshold", "0"], "positive threshold"),
    (["--scoring", "npmi", "--threshold", "2"], "[-1, 1]"),
    (["--delimiter", ""], "non-empty"),
])
def test_phrases_bad_settings_are_one_line_errors(capsys, tmp_path, lee_path, argv, fragment):
    output = tmp_path / "joined.txt"
    code, _, err = run(capsys, "phrases", lee_path, output, *argv)
    assert code == 2
    assert_one_line_error(err, "skw2v phrases: error:", fragment)
    assert not output.exists()


def test_phrases_checks_the_output_first(capsys, tmp_path, lee_path):
    code, _, err = run(capsys, "phrases", lee_path, tmp_path / "missing" / "out.txt")
    assert code == 2
    assert_one_line_error(err, "does not exist")
