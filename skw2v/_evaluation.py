"""Word-analogy and word-similarity benchmarks, computed as gensim's ``KeyedVectors`` does.

Analogies are answered in batches: one matrix product between the questions' query vectors
and the unit vectors of the first ``restrict_vocab`` words.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy import stats

from ._io.common import open_binary

METHODS = ("3cosadd", "3cosmul")
_BATCH_QUESTIONS = 1024  # questions answered together
_BLOCK_WORDS = 4096  # candidate words scored together


@dataclass(frozen=True)
class AnalogySection:
    """Counts of one ``: section`` of an analogy file.

    Attributes
    ----------
    name : str
        The section name, e.g. ``"capital-common-countries"``.
    correct : int
        Questions answered correctly.
    incorrect : int
        Questions answered wrongly.
    skipped : int
        Questions skipped because a word is outside the first ``restrict_vocab`` words.
    accuracy : float
        ``correct / (correct + incorrect)``; 0.0 when no question was answered (as gensim).

    Examples
    --------
    >>> from skw2v._evaluation import AnalogySection
    >>> AnalogySection("family", correct=3, incorrect=1, skipped=2, accuracy=0.75).accuracy
    0.75
    """

    name: str
    correct: int
    incorrect: int
    skipped: int
    accuracy: float


@dataclass(frozen=True)
class AnalogyResult:
    """The result of :meth:`WordVectors.evaluate_analogies`.

    Attributes
    ----------
    accuracy : float
        Share of the answered questions that were answered correctly, over all sections;
        0.0 when none was answered. Equals the score of gensim's
        ``KeyedVectors.evaluate_word_analogies``.
    correct : int
        Questions answered correctly, over all sections.
    incorrect : int
        Questions answered wrongly.
    skipped : int
        Questions skipped as out of vocabulary.
    oov_ratio : float
        ``skipped`` as a percentage of all questions.
    sections : list of AnalogySection
        Per-section counts, in file order (there is no "total" pseudo-section).

    Examples
    --------
    >>> import tempfile, pathlib
    >>> from skw2v import WordVectors
    >>> wv = WordVectors(["a", "b", "c", "d"], [[1, 0], [1, 1], [0, 1], [-1, 1]])
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "questions.txt"
    >>> _ = path.write_text(": one\\na b c d\\n: two\\na b c e\\n")
    >>> result = wv.evaluate_analogies(path)
    >>> [(s.name, s.correct, s.skipped) for s in result.sections]
    [('one', 1, 0), ('two', 0, 1)]
    """

    accuracy: float
    correct: int
    incorrect: int
    skipped: int
    oov_ratio: float
    sections: list[AnalogySection]


@dataclass(frozen=True)
class WordPairsResult:
    """The result of :meth:`WordVectors.evaluate_word_pairs`.

    Attributes
    ----------
    pearson : float
        Pearson correlation between the human scores and the cosine similarities.
    pearson_pvalue : float
        Its two-sided p-value.
    spearman : float
        Spearman rank correlation between the human scores and the cosine similarities.
    spearman_pvalue : float
        Its two-sided p-value; NaN with only 2 pairs (scipy leaves it undefined there).
    oov_ratio : float
        Percentage of the pairs skipped because a word is out of vocabulary.
    n_pairs : int
        Pairs scored (both words known).
    n_skipped : int
        Pairs skipped as out of vocabulary.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> from skw2v import WordVectors
    >>> wv = WordVectors(["a", "b", "c"], [[1, 0], [1, 1], [0.2, 1]])
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "pairs.tsv"
    >>> _ = path.write_text("a\\tb\\t5\\na\\tc\\t0\\nb\\tc\\t6\\na\\tz\\t1\\n")
    >>> result = wv.evaluate_word_pairs(path)
    >>> result.n_pairs, result.n_skipped, round(result.spearman, 3)
    (3, 1, 1.0)
    """

    pearson: float
    pearson_pvalue: float
    spearman: float
    spearman_pvalue: float
    oov_ratio: float
    n_pairs: int
    n_skipped: int


def _check_restrict_vocab(restrict_vocab):
    if (not isinstance(restrict_vocab, (int, np.integer)) or isinstance(restrict_vocab, bool)
            or restrict_vocab < 1):
        raise ValueError(f"restrict_vocab must be a positive int, got {restrict_vocab!r}.")


def _lines(path):
    """(line number, stripped line) of a UTF-8 (optionally gzip) file, blank lines skipped."""
    with open_binary(path) as handle:
        for line_no, raw in enumerate(handle, start=1):
            try:
                line = raw.decode("utf-8").strip()
            except UnicodeDecodeError as error:
                raise ValueError(f"{path}, line {line_no}: not valid UTF-8 ({error.reason} at "
                                 f"byte {error.start + 1}).") from None
            if line:
                yield line_no, line


def _folded_vocabulary(wv, restrict_vocab, case_insensitive):
    """Map each (uppercased) word of the first ``restrict_vocab`` to its first row, and give
    every row the first row of its folded form."""
    words = wv.index_to_word[:restrict_vocab]
    keys = [word.upper() for word in words] if case_insensitive else words
    first = {}
    for row, key in enumerate(keys):
        first.setdefault(key, row)
    fold = np.fromiter((first[key] for key in keys), dtype=np.int64, count=len(keys))
    return first, fold


def _read_analogies(path, first, case_insensitive):
    """Sections as (name, question rows of shape (n, 4), number skipped)."""
    sections = []
    for line_no, line in _lines(path):
        if line.startswith(":"):
            sections.append((line[1:].strip(), [], [0]))
            continue
        words = line.split()
        if not sections:
            raise ValueError(f"{path}, line {line_no}: a question comes before the first "
                             "': section' line.")
        if len(words) != 4:
            raise ValueError(f"{path}, line {line_no}: expected 4 words 'a b c d' (a is to b "
                             f"as c is to d), found {len(words)}.")
        rows = [first.get(w.upper() if case_insensitive else w) for w in words]
        if None in rows:
            sections[-1][2][0] += 1
        else:
            sections[-1][1].append(rows)
    return [(name, np.array(q, dtype=np.int64).reshape(-1, 4), skipped[0])
            for name, q, skipped in sections]


def _block_scores(inputs, block, method):
    """Scores of the words of ``block`` (unit rows) as answers; inputs has shape (m, 3, d)."""
    if method == "3cosadd":
        return (inputs[:, 1] + inputs[:, 2] - inputs[:, 0]) @ block.T
    # One (3m, d) @ (d, n) product: a stacked (m, 3, d) @ (d, n) runs m small products, many
    # times slower.
    cosines = (inputs.reshape(-1, inputs.shape[2]) @ block.T).reshape(len(inputs), 3, -1)
    shifted = (1 + cosines) / 2  # (m, 3, n), cosines shifted to [0, 1]
    return shifted[:, 1] * shifted[:, 2] / (shifted[:, 0] + np.float32(1e-6))


def _predict(unit, questions, fold, method):
    """Row of the best answer to each question (-1 if none), its own words and their case
    variants excluded. Questions come in batches and words in blocks, so the unit vectors are
    read once per batch and the scores held at once stay small."""
    n_words = unit.shape[0]
    variants = np.flatnonzero(fold != np.arange(n_words))
    predicted = np.full(len(questions), -1, dtype=np.int64)
    for q0 in range(0, len(questions), _BATCH_QUESTIONS):
        asked = questions[q0:q0 + _BATCH_QUESTIONS, :3]
        inputs = unit[asked]
        best = np.full(len(asked), -np.inf, dtype=np.float32)
        for w0 in range(0, n_words, _BLOCK_WORDS):
            scores = _block_scores(inputs, unit[w0:w0 + _BLOCK_WORDS], method)
            inside = (asked >= w0) & (asked < w0 + scores.shape[1])
            scores[np.nonzero(inside)[0], asked[inside] - w0] = -np.inf
            block_variants = variants[(variants >= w0) & (variants < w0 + scores.shape[1])]
            if len(block_variants):
                hit = (fold[block_variants] == asked[:, :, None]).any(axis=1)
                columns = scores[:, block_variants - w0]
                scores[:, block_variants - w0] = np.where(hit, -np.inf, columns)
            top = np.argmax(scores, axis=1)
            top_scores = scores[np.arange(len(top)), top]
            better = top_scores > best  # strict: ties go to the most frequent word
            best[better] = top_scores[better]
            predicted[q0:q0 + len(asked)][better] = top[better] + w0
    return predicted


def evaluate_analogies(wv, path, *, restrict_vocab=300000, case_insensitive=True,
                       method="3cosadd"):
    """Accuracy on an analogy file; see :meth:`WordVectors.evaluate_analogies`."""
    _check_restrict_vocab(restrict_vocab)
    if method not in METHODS:
        raise ValueError(f"method must be one of {', '.join(map(repr, METHODS))}; got "
                         f"{method!r}.")
    first, fold = _folded_vocabulary(wv, restrict_vocab, case_insensitive)
    unit = wv._unit_rows(slice(0, len(fold)))
    sections = []
    for name, questions, skipped in _read_analogies(path, first, case_insensitive):
        predicted = _predict(unit, questions, fold, method)
        answered = predicted >= 0
        correct = int(np.sum(fold[predicted[answered]] == questions[answered, 3]))
        incorrect = len(questions) - correct
        accuracy = correct / len(questions) if len(questions) else 0.0
        sections.append(AnalogySection(name, correct, incorrect, skipped, accuracy))
    correct = sum(s.correct for s in sections)
    incorrect = sum(s.incorrect for s in sections)
    skipped = sum(s.skipped for s in sections)
    total = correct + incorrect + skipped
    if total == 0:
        raise ValueError(f"{path} holds no analogy question.")
    return AnalogyResult(
        accuracy=correct / (correct + incorrect) if correct + incorrect else 0.0,
        correct=correct, incorrect=incorrect, skipped=skipped,
        oov_ratio=100.0 * skipped / total, sections=sections,
    )


def evaluate_word_pairs(wv, path, *, delimiter="\t", restrict_vocab=300000,
                        case_insensitive=True):
    """Correlations with human similarity scores; see :meth:`WordVectors.evaluate_word_pairs`."""
    _check_restrict_vocab(restrict_vocab)
    if delimiter is not None and (not isinstance(delimiter, str) or not delimiter):
        raise ValueError(f"delimiter must be a non-empty str or None, got {delimiter!r}.")
    first, _ = _folded_vocabulary(wv, restrict_vocab, case_insensitive)
    pairs, gold, skipped = [], [], 0
    for line_no, line in _lines(path):
        if line.startswith("#"):
            continue
        fields = [field.strip() for field in line.split(delimiter)]
        try:
            word1, word2, score = fields
            score = float(score)
        except ValueError:
            raise ValueError(f"{path}, line {line_no}: expected 'word1{delimiter}word2"
                             f"{delimiter}score', got {line[:60]!r}.") from None
        if not np.isfinite(score):
            raise ValueError(f"{path}, line {line_no}: the score {fields[2]!r} is not a finite "
                             "number; give a finite score or remove the pair.")
        if case_insensitive:
            word1, word2 = word1.upper(), word2.upper()
        if word1 in first and word2 in first:
            pairs.append((first[word1], first[word2]))
            gold.append(score)
        else:
            skipped += 1
    if len(pairs) < 2:
        raise ValueError(f"{path}: only {len(pairs)} of its {len(pairs) + skipped} pairs have "
                         "both words in the vocabulary; correlations need at least 2.")
    rows = np.array(pairs)
    similarity = np.einsum("ij,ij->i", wv._unit_rows(rows[:, 0]),
                           wv._unit_rows(rows[:, 1])).astype(np.float64)
    # A constant series has no correlation: scipy would return NaN (with a warning).
    for values, what, fix in (
        (np.array(gold), "human score", "The file needs pairs with different scores."),
        (similarity, "cosine similarity", "The vectors give every pair the same similarity "
                                          "(are they parallel, or zero?)."),
    ):
        if np.all(values == values[0]):
            raise ValueError(f"{path}: the {len(pairs)} scored pairs all have the {what} "
                             f"{values[0]}; correlations are undefined. {fix}")
    pearson = stats.pearsonr(gold, similarity)
    spearman = stats.spearmanr(gold, similarity)
    return WordPairsResult(
        pearson=float(pearson[0]), pearson_pvalue=float(pearson[1]),
        spearman=float(spearman[0]), spearman_pvalue=float(spearman[1]),
        oov_ratio=100.0 * skipped / (len(pairs) + skipped),
        n_pairs=len(pairs), n_skipped=skipped,
    )
