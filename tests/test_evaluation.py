"""``evaluate_analogies`` and ``evaluate_word_pairs`` against gensim's ``KeyedVectors``."""

import re

import numpy as np
import pytest
from scipy import stats

from skw2v import WordVectors, _evaluation
from skw2v.datasets import fetch_analogies, fetch_word_similarity

gensim_models = pytest.importorskip("gensim.models")
pytestmark = pytest.mark.filterwarnings("ignore:Call to deprecated `init_sims`:DeprecationWarning")


def as_kv(wv):
    kv = gensim_models.KeyedVectors(wv.vector_size)
    kv.add_vectors(wv.index_to_word, wv.vectors)
    return kv


@pytest.fixture(scope="module")
def data_home(tmp_path_factory):
    return tmp_path_factory.mktemp("skw2v_data")


@pytest.fixture(scope="module")
def lee_wv(lee_documents):
    """Vectors trained by gensim on the Lee corpus: a few analogies are answerable."""
    from gensim.utils import simple_preprocess

    model = gensim_models.Word2Vec([simple_preprocess(d) for d in lee_documents],
                                   vector_size=50, min_count=2, epochs=20, workers=1, seed=0)
    return WordVectors(model.wv.index_to_key, model.wv.vectors)


@pytest.fixture(scope="module")
def parallelogram():
    """Words in pairs related by fixed offsets plus noise, so that about half of the analogy
    questions are answered correctly; some words have case variants later in the vocabulary.
    Returns the vectors and an analogy file's text."""
    rng = np.random.default_rng(0)
    dim, n = 8, 12
    countries, capitals = [f"country{i}" for i in range(n)], [f"capital{i}" for i in range(n)]
    singular, plural = [f"thing{i}" for i in range(n)], [f"things{i}" for i in range(n)]
    base = rng.normal(size=(2 * n, dim))
    offsets = rng.normal(size=(2, dim))
    noise = 0.6 * rng.normal(size=(2 * n, dim))
    words = countries + singular + capitals + plural
    vectors = np.vstack([base, base[:n] + offsets[0] + noise[:n],
                         base[n:] + offsets[1] + noise[n:]])
    # Case variants (their own vectors), after the first forms, and a few distractors.
    variants = ["Capital3", "CAPITAL3", "Country5", "Things2", "THING7"]
    words += variants + [f"other{i}" for i in range(10)]
    vectors = np.vstack([vectors, rng.normal(size=(len(variants) + 10, dim))])
    lines = [": capitals"]
    for i in range(n):
        for j in range(n):
            if i != j:
                lines.append(f"Country{i} capital{i} COUNTRY{j} Capital{j}")
    lines += [": plurals"]
    lines += [f"thing{i} things{i} thing{j} things{j}" for i in range(n) for j in range(n)
              if i != j]
    lines += ["", ": unknowns", "thing1 things1 thing2 unknownword",
              "absent1 absent2 absent3 absent4", ": empty"]
    return WordVectors(words, vectors), "\n".join(lines) + "\n"


@pytest.fixture
def questions(tmp_path, parallelogram):
    path = tmp_path / "questions.txt"
    path.write_text(parallelogram[1])
    return path


def assert_like_gensim(result, score, sections):
    """Compare an AnalogyResult with the return value of gensim's evaluate_word_analogies."""
    assert sections[-1]["section"] == "Total accuracy"
    assert [s.name for s in result.sections] == [s["section"] for s in sections[:-1]]
    assert [(s.correct, s.incorrect) for s in result.sections] == [
        (len(s["correct"]), len(s["incorrect"])) for s in sections[:-1]]
    assert result.accuracy == pytest.approx(score, abs=1e-12)
    assert result.correct == len(sections[-1]["correct"])
    assert result.incorrect == len(sections[-1]["incorrect"])


# ------------------------------------------------------------------ analogies
@pytest.mark.parametrize("restrict_vocab", [300000, 40, 30])
@pytest.mark.parametrize("case_insensitive", [True, False])
def test_analogies_match_gensim(parallelogram, questions, restrict_vocab, case_insensitive):
    wv = parallelogram[0]
    result = wv.evaluate_analogies(questions, restrict_vocab=restrict_vocab,
                                   case_insensitive=case_insensitive)
    score, sections = as_kv(wv).evaluate_word_analogies(
        str(questions), restrict_vocab=restrict_vocab, case_insensitive=case_insensitive)
    assert_like_gensim(result, score, sections)
    if case_insensitive and restrict_vocab > 40:
        # A meaningful comparison: many right and many wrong answers.
        assert 0.2 < result.accuracy < 0.8 and result.incorrect > 40


def test_analogy_counts_and_skips(parallelogram, questions):
    result = parallelogram[0].evaluate_analogies(questions)
    n = 12 * 11
    assert [s.name for s in result.sections] == ["capitals", "plurals", "unknowns", "empty"]
    assert [s.correct + s.incorrect for s in result.sections] == [n, n, 0, 0]
    assert [s.skipped for s in result.sections] == [0, 0, 2, 0]
    assert result.skipped == 2
    assert result.oov_ratio == pytest.approx(100 * 2 / (2 * n + 2))
    assert result.sections[2].accuracy == 0.0  # nothing answered: 0.0, as gensim
    assert result.accuracy == pytest.approx(result.correct / (2 * n))
    assert result.sections[0].accuracy == pytest.approx(result.sections[0].correct / n)


def test_analogies_exclude_the_question_words_and_their_case_variants(tmp_path):
    # b - a + c is closest to c itself and to a variant of b; the answer must be neither.
    wv = WordVectors(["a", "b", "c", "B", "d", "e"],
                     [[1, 0, 0], [0, 1, 0], [0, 0, 1], [-0.9, 1, 1], [-0.5, 1, 1], [1, 1, 1]])
    path = tmp_path / "q.txt"
    path.write_text(": s\na b c d\n")
    assert wv.evaluate_analogies(path).correct == 1
    assert wv.evaluate_analogies(path, case_insensitive=False).correct == 0  # "B" wins
    score, sections = as_kv(wv).evaluate_word_analogies(str(path), case_insensitive=False)
    assert score == 0.0


@pytest.mark.parametrize("method", ["3cosadd", "3cosmul"])
def test_batches_and_blocks_give_the_same_answers(parallelogram, questions, monkeypatch,
                                                  method):
    expected = parallelogram[0].evaluate_analogies(questions, method=method)
    # Many batches of questions, many blocks of words (and variants across block borders).
    monkeypatch.setattr(_evaluation, "_BATCH_QUESTIONS", 7)
    monkeypatch.setattr(_evaluation, "_BLOCK_WORDS", 5)
    assert parallelogram[0].evaluate_analogies(questions, method=method) == expected


def cosmul_brute_force(wv, path, restrict_vocab):
    """Correct answers per section by one gensim most_similar_cosmul call per question."""
    kv = as_kv(WordVectors(wv.index_to_word[:restrict_vocab], wv.vectors[:restrict_vocab]))
    known = {w.upper(): w for w in reversed(kv.index_to_key)}
    counts = {}
    section = None
    for line in open(path, encoding="utf-8"):
        if line.startswith(":"):
            section = line[1:].strip()
            counts[section] = [0, 0]
            continue
        words = [w.upper() for w in line.split()]
        if len(words) != 4 or not all(w in known for w in words):
            continue
        a, b, c, d = (known[w] for w in words)
        answer = kv.most_similar_cosmul(positive=[b, c], negative=[a], topn=1)[0][0]
        counts[section][answer.upper() != words[3]] += 1
    return counts


def test_3cosmul_matches_gensims_most_similar_cosmul(parallelogram, questions):
    wv = parallelogram[0]
    # Case variants make gensim's per-question loop differ; use the lowercase words only.
    lower = WordVectors([w for w in wv.index_to_word if w == w.lower()],
                        [wv[w] for w in wv.index_to_word if w == w.lower()])
    for restrict_vocab in (len(lower), 40):
        result = lower.evaluate_analogies(questions, method="3cosmul",
                                          restrict_vocab=restrict_vocab)
        expected = cosmul_brute_force(lower, questions, restrict_vocab)
        assert {s.name: [s.correct, s.incorrect] for s in result.sections} == expected
    plain = lower.evaluate_analogies(questions)
    assert result.correct > 0 and plain.correct > 0


def test_real_analogies_match_gensim(lee_wv, data_home):
    path = fetch_analogies(data_home=data_home)
    kv = as_kv(lee_wv)
    for restrict_vocab in (300000, 2000):
        result = lee_wv.evaluate_analogies(path, restrict_vocab=restrict_vocab)
        assert_like_gensim(result, *kv.evaluate_word_analogies(str(path),
                                                               restrict_vocab=restrict_vocab))
        assert result.correct + result.incorrect + result.skipped == 19544
        assert len(result.sections) == 14
    assert result.correct > 0 and result.incorrect > 100


def test_real_analogies_3cosmul_against_brute_force(lee_wv, data_home):
    path = fetch_analogies(data_home=data_home)
    result = lee_wv.evaluate_analogies(path, method="3cosmul")
    expected = cosmul_brute_force(lee_wv, path, len(lee_wv))
    assert {s.name: [s.correct, s.incorrect] for s in result.sections} == expected
    assert result.correct + result.incorrect > 100


@pytest.mark.parametrize(("text", "match"), [
    ("a b c d\n", "line 1: a question comes before the first ': section' line"),
    (": s\na b c d\na b c\n", "line 3: expected 4 words 'a b c d'.*found 3"),
    (": s\n: t\n\n", "holds no analogy question"),
    (": s\na b c d\ncaf\udcc3 b c d\n", "line 3: not valid UTF-8"),
])
def test_bad_analogy_files(tmp_path, text, match):
    path = tmp_path / "q.txt"
    path.write_bytes(text.encode("utf-8", "surrogateescape"))
    wv = WordVectors(list("abcd"), np.eye(4))
    with pytest.raises(ValueError, match=match):
        wv.evaluate_analogies(path)


@pytest.mark.parametrize(("option", "match"), [
    ({"method": "3cosavg"}, "method must be one of '3cosadd', '3cosmul'; got '3cosavg'"),
    ({"restrict_vocab": 0}, "restrict_vocab must be a positive int, got 0"),
    ({"restrict_vocab": None}, "restrict_vocab must be a positive int, got None"),
])
def test_analogy_options_are_validated(questions, parallelogram, option, match):
    with pytest.raises(ValueError, match=match):
        parallelogram[0].evaluate_analogies(questions, **option)


# ------------------------------------------------------------------ word pairs
PAIRS = """# a comment line
# word1\tword2\tscore
country1\tcapital1\t9.5
Country1\tcountry2\t3
CAPITAL3\tcapital4\t2.5
thing1\tthings1\t8
thing2\tTHINGS2\t7.25
thing3\tother4\t1
other1\tother2\t0.5
thing1\tunknownword\t5
capital5\tother9\t4

country3\tcapital3\t6
"""


@pytest.fixture
def pairs_path(tmp_path):
    path = tmp_path / "pairs.tsv"
    path.write_text(PAIRS)
    return path


@pytest.mark.parametrize("restrict_vocab", [300000, 45, 30])
@pytest.mark.parametrize("case_insensitive", [True, False])
def test_word_pairs_match_gensim(parallelogram, pairs_path, restrict_vocab, case_insensitive):
    wv = parallelogram[0]
    result = wv.evaluate_word_pairs(pairs_path, restrict_vocab=restrict_vocab,
                                    case_insensitive=case_insensitive)
    pearson, spearman, oov = as_kv(wv).evaluate_word_pairs(
        str(pairs_path), restrict_vocab=restrict_vocab, case_insensitive=case_insensitive)
    np.testing.assert_allclose([result.pearson, result.pearson_pvalue], pearson,
                               rtol=1e-4, atol=1e-6, equal_nan=True)
    np.testing.assert_allclose([result.spearman, result.spearman_pvalue], spearman,
                               rtol=1e-6, atol=1e-9, equal_nan=True)
    assert result.oov_ratio == pytest.approx(oov, abs=1e-9)


def test_word_pairs_numbers_by_hand(parallelogram, pairs_path):
    wv = parallelogram[0]
    result = wv.evaluate_word_pairs(pairs_path)
    known = [("country1", "capital1", 9.5), ("country1", "country2", 3),
             ("capital3", "capital4", 2.5), ("thing1", "things1", 8),
             ("thing2", "things2", 7.25), ("thing3", "other4", 1), ("other1", "other2", 0.5),
             ("capital5", "other9", 4), ("country3", "capital3", 6)]
    unit = {w: wv[w] / np.linalg.norm(wv[w]) for pair in known for w in pair[:2]}
    cosines = [float(unit[a] @ unit[b]) for a, b, _ in known]
    gold = [score for _, _, score in known]
    assert result.n_pairs == 9 and result.n_skipped == 1
    assert result.oov_ratio == pytest.approx(10.0)
    assert result.pearson == pytest.approx(np.corrcoef(gold, cosines)[0, 1], abs=1e-6)
    assert result.spearman == pytest.approx(stats.spearmanr(gold, cosines)[0], abs=1e-9)


def test_word_pairs_other_delimiters(parallelogram, tmp_path, pairs_path):
    spaced = tmp_path / "pairs.txt"
    spaced.write_text(PAIRS.replace("\t", "  "))
    wv = parallelogram[0]
    assert wv.evaluate_word_pairs(spaced, delimiter=None) == wv.evaluate_word_pairs(pairs_path)


@pytest.mark.parametrize("name", ["wordsim353", "simlex999"])
def test_real_word_pairs_match_gensim(lee_wv, data_home, name):
    path = fetch_word_similarity(name, data_home=data_home)
    result = lee_wv.evaluate_word_pairs(path)
    pearson, spearman, oov = as_kv(lee_wv).evaluate_word_pairs(str(path))
    assert result.pearson == pytest.approx(pearson[0], abs=1e-6)
    assert result.spearman == pytest.approx(spearman[0], abs=1e-6)
    assert result.oov_ratio == pytest.approx(oov, abs=1e-9)
    assert result.n_pairs > 50


@pytest.mark.parametrize(("text", "match"), [
    ("a\tb\t1\na\tc\n", "line 2: expected 'word1\tword2\tscore'"),
    ("a\tb\tlots\n", "line 1: expected"),
    ("a\tb\t1\nx\ty\t2\n", "only 1 of its 2 pairs have both words"),
])
def test_bad_word_pair_files(tmp_path, text, match):
    path = tmp_path / "pairs.tsv"
    path.write_text(text)
    wv = WordVectors(list("abc"), np.eye(3))
    with pytest.raises(ValueError, match=match):
        wv.evaluate_word_pairs(path)


@pytest.mark.parametrize("score", ["nan", "NaN", "inf", "-Infinity", "1e999"])
def test_word_pair_scores_must_be_finite(tmp_path, score):
    path = tmp_path / "pairs.tsv"
    path.write_text(f"# header\na\tb\t1\na\tc\t{score}\nb\tc\t3\n")
    wv = WordVectors(list("abc"), np.eye(3) + 0.1)
    with pytest.raises(ValueError, match=f"{path}, line 3: the score {score!r} is not a finite "
                       "number"):
        wv.evaluate_word_pairs(path)


def test_word_pairs_with_equal_scores_have_no_correlation(tmp_path):
    path = tmp_path / "pairs.tsv"
    path.write_text("a\tb\t5\na\tc\t5.0\nb\tc\t5\n")
    wv = WordVectors(list("abc"), np.eye(3) + np.array([[0.1], [0.2], [0.3]]))
    with pytest.raises(ValueError, match=f"{path}: the 3 scored pairs all have the human score "
                       "5.0; correlations are undefined"):
        wv.evaluate_word_pairs(path)


def test_word_pairs_with_equal_similarities_have_no_correlation(tmp_path):
    path = tmp_path / "pairs.tsv"
    path.write_text("a\tb\t1\na\tc\t2\nb\tc\t3\nc\tz\t4\n")
    wv = WordVectors(list("abc"), [[1, 0], [2, 0], [3, 0]])  # every cosine is 1
    with pytest.raises(ValueError, match=f"{path}: the 3 scored pairs all have the cosine "
                       "similarity 1.0; correlations are undefined"):
        wv.evaluate_word_pairs(path)


@pytest.mark.parametrize("delimiter", ["", 5, b"\t"])
def test_word_pairs_delimiter_is_validated(pairs_path, parallelogram, delimiter):
    with pytest.raises(ValueError, match=rf"delimiter must be a non-empty str or None, got "
                       rf"{re.escape(repr(delimiter))}"):
        parallelogram[0].evaluate_word_pairs(pairs_path, delimiter=delimiter)
