"""The ``skw2v`` command: train word vectors, query them, evaluate them, join phrases.

Run ``skw2v --help`` (or ``python -m skw2v --help``) for the subcommands.
"""

from __future__ import annotations

import argparse
import os
import re
import sys
import tempfile
from itertools import islice
from pathlib import Path

from ._documents import iter_documents
from ._io.npy import is_npy_directory
from ._io.registry import FORMATS, REGISTRY, check_writable
from ._progress import Observer, TerminalBar, VerboseLines, observing
from .phrases import PhrasesTransformer
from .vectorizer import Word2VecVectorizer
from .word_vectors import WordVectors

__all__ = ["build_parser", "main"]


#: The formats that hold a whole model and are memory-mapped when read (no --limit, no gzip):
#: fastText's ``.bin`` models and skw2v's ``.npy`` directories.
_MAPPED = tuple(name for name, entry in REGISTRY.items() if not entry.streamed)

#: What to lower when memory runs out, by command.
_MEMORY_HINTS = {
    "train": "To need less, lower --vector-size or raise --min-count (fewer words); with "
             "--char-ngrams, also lower --buckets or narrow the n-gram lengths.",
    "similar": "To need less, read only the first words with --limit.",
    "analogy": "To need less, read only the first words with --limit.",
    "evaluate": "To need less, read only the first words with --limit.",
    "phrases": "To need less, lower --max-vocab-size (counts are pruned sooner).",
}

#: Lines joined and written at a time by ``skw2v phrases``.
_PHRASE_LINES = 10_000


def _check_corpus(corpus: Path) -> None:
    try:
        with open(corpus, "rb"):
            pass
    except OSError as error:
        raise OSError(f"cannot read CORPUS {corpus}: {error.strerror or error}.") from None


def _check_output(output: Path, corpus: Path, format: str = "word2vec") -> None:
    """Raise unless ``output`` can be written, before training, so no model is lost.

    An existing file is opened for appending (and left as it is); a new one is created and
    removed at once. ``format="npy"`` writes a directory: ``output`` must be new, or a
    directory that ``save(format="npy")`` wrote (it is replaced), in a writable directory.
    What the format itself refuses is checked by :class:`_SaveCheck`; a disk that fills up
    during the write leaves an existing OUTPUT as it was (``save`` writes a temporary file
    and renames it).
    """
    if format == "npy":
        _check_npy_output(output)
        return
    if output.is_dir():
        raise ValueError(f"OUTPUT {output} is a directory; give a file name, such as "
                         f"{output / 'vectors.txt'}.")
    parent = output.parent
    if not parent.exists():
        raise ValueError(f"the directory {parent} does not exist; create it first, or give "
                         "another OUTPUT.")
    if not parent.is_dir():
        raise ValueError(f"{parent} is not a directory, so OUTPUT {output} cannot be "
                         "written there.")
    if output.exists() and corpus.exists() and os.path.samefile(output, corpus):
        raise ValueError(f"OUTPUT {output} is the corpus; writing the vectors there would "
                         "destroy it. Give another OUTPUT.")
    existed = os.path.lexists(output)
    try:
        with open(output, "ab"):
            pass
    except OSError as error:
        raise OSError(f"cannot write OUTPUT {output}: {error.strerror or error}.") from None
    if not existed:
        output.unlink()


def _check_npy_output(output: Path) -> None:
    if os.path.lexists(output) and not is_npy_directory(output):
        raise ValueError(f"OUTPUT {output} exists and is not a directory written by --format "
                         "npy, which would replace it; remove it or give a new name, such as "
                         f"{output.with_name(output.name + '-npy')}.")
    parent = output.absolute().parent
    if not parent.is_dir():
        raise ValueError(f"the directory {parent} does not exist; create it first, or give "
                         "another OUTPUT.")
    if not os.access(parent, os.W_OK | os.X_OK):
        raise OSError(f"cannot write OUTPUT {output}: {parent} is not writable.")


def _check_subword_options(args) -> None:
    """Raise for subword options that cannot go together, before anything is read."""
    if args.buckets is not None and args.char_ngrams is None:
        raise ValueError(f"--buckets {args.buckets} needs --char-ngrams: buckets hold the "
                         "character n-grams of a subword model. Add --char-ngrams MIN MAX "
                         "(such as --char-ngrams 3 6), or drop --buckets.")
    if args.format == "fasttext" and Path(args.output).name.endswith(".gz"):
        raise ValueError(f"OUTPUT {args.output} ends in .gz, but fastText .bin models are "
                         "written uncompressed (fastText cannot read gzipped ones). Give a "
                         "name such as vectors.bin.")
    if args.format == "npy" and Path(args.output).name.endswith(".gz"):
        raise ValueError(f"OUTPUT {args.output} ends in .gz, but --format npy writes a "
                         "directory of uncompressed arrays (so they can be memory-mapped). "
                         "Give a name such as vectors-npy.")


class _SaveCheck(Observer):
    """Everything ``save`` would refuse, checked before training: the sizes and settings
    when created, each word once the fit has chosen the vocabulary (a pretokenized word with
    a NUL character cannot go into a fastText model, for example)."""

    def __init__(self, output, format, model):
        self.output, self.format = output, format
        self.settings = {"vector_size": model.vector_size,
                         "char_ngram_range": model.char_ngram_range,
                         "n_buckets": model.n_buckets}
        check_writable(output, format, **self.settings)

    def vocabulary(self, words):
        try:
            check_writable(self.output, self.format, words=words, **self.settings)
        except ValueError as error:
            raise ValueError(f"{error} Nothing was trained: --format {self.format} cannot "
                             "hold this vocabulary.") from None


def _train(args) -> None:
    corpus, output = Path(args.corpus), Path(args.output)
    _check_subword_options(args)
    _check_corpus(corpus)
    _check_output(output, corpus, args.format)
    subwords = {}
    if args.char_ngrams is not None:
        subwords["char_ngram_range"] = tuple(args.char_ngrams)
        if args.buckets is not None:
            subwords["n_buckets"] = args.buckets
    model = Word2VecVectorizer(
        architecture=args.architecture, vector_size=args.vector_size, window=args.window,
        min_count=args.min_count, negative=args.negative, hs=args.hs, sample=args.sample,
        epochs=args.epochs, alpha=args.alpha, n_jobs=args.jobs, random_state=args.seed,
        analyzer=str.split if args.pretokenized else "word", **subwords,
    )
    # A bar redrawn in place on a terminal; otherwise (a pipe, a log file) the epoch lines of
    # verbose=1 only.
    save_check = _SaveCheck(output, args.format, model)
    stream = sys.stdout
    progress = TerminalBar(stream) if stream.isatty() else VerboseLines(1, stream)
    try:
        with observing(save_check, progress):
            model.fit(corpus)
    finally:
        if isinstance(progress, TerminalBar):
            progress.close()
    wv = model.wv_
    wv.save(output, format=args.format)
    detail = args.format
    if wv.char_ngram_range is not None:
        low, high = wv.char_ngram_range
        detail += (f"; character {low}- to {high}-grams in {wv.n_buckets:,} buckets, "
                   f"{wv.vectors_ngrams.shape[0]:,} of them trained")
        if args.format not in _MAPPED:
            detail += ("; this format holds the vocabulary's vectors only: save with --format "
                       "fasttext or npy to keep the n-grams for words outside the vocabulary")
    print(f"Saved {len(wv)} words x {wv.vector_size} dimensions to {args.output} ({detail}).")


def _phrases(args) -> None:
    corpus, output = Path(args.corpus), Path(args.output)
    _check_corpus(corpus)
    _check_output(output, corpus)
    model = PhrasesTransformer(
        min_count=args.min_count, threshold=args.threshold, scoring=args.scoring,
        connector_words=None if args.connector_words == "none" else args.connector_words,
        max_vocab_size=args.max_vocab_size, delimiter=args.delimiter, n_jobs=args.jobs,
        analyzer=str.split if args.pretokenized else "word")
    source, written = corpus, []
    try:
        for number in range(1, args.passes + 1):
            model.fit(source)
            handle, name = tempfile.mkstemp(prefix=f".{output.name}.", dir=output.parent)
            written.append(Path(name))
            with open(handle, "w", encoding="utf-8", newline="\n") as out:
                lines = iter_documents(source)
                while chunk := list(islice(lines, _PHRASE_LINES)):
                    out.writelines(line + "\n" for line in model.transform(chunk))
            examples = ", ".join(sorted(model.phrases_, key=model.phrases_.get,
                                        reverse=True)[:5])
            print(f"pass {number}: {len(model.phrases_):,} phrases in {model.n_tokens_:,} "
                  f"tokens{': ' + examples + ', ...' if examples else ''}")
            source = written[-1]
        os.replace(written.pop(), output)
    finally:
        for path in written:
            path.unlink(missing_ok=True)


def _load(args) -> WordVectors:
    if args.format in _MAPPED and args.limit is not None:
        raise ValueError(f"--limit {args.limit} does not apply to --format {args.format}: the "
                         "model is memory-mapped whole, not read word by word. Drop --limit.")
    if args.format == "npy":
        return WordVectors.load(args.vectors, format="npy", mmap=True)
    return WordVectors.load(args.vectors, format=args.format, limit=args.limit)


def _print_pairs(pairs) -> None:
    for word, score in pairs:
        print(f"{word}\t{score:.6f}")


def _similar(args) -> None:
    _print_pairs(_load(args).most_similar(args.word, topn=args.topn))


def _analogy(args) -> None:
    wv = _load(args)
    query = wv.most_similar if args.method == "3cosadd" else wv.most_similar_cosmul
    _print_pairs(query(positive=[args.b, args.c], negative=[args.a], topn=args.topn))


def _evaluate(args) -> None:
    from . import datasets

    analogies, word_pairs = args.analogies, args.word_pairs or []
    if analogies is None and not word_pairs:
        analogies = datasets.fetch_analogies()
        word_pairs = [datasets.fetch_word_similarity(name)
                      for name in ("wordsim353", "simlex999")]
    wv = _load(args)
    if analogies is not None:
        result = wv.evaluate_analogies(analogies, restrict_vocab=args.restrict_vocab,
                                       method=args.method)
        print(f"{Path(analogies).name}: accuracy {result.accuracy:.4f} ({result.correct} of "
              f"{result.correct + result.incorrect}; {result.skipped} questions out of "
              f"vocabulary, {result.oov_ratio:.1f}%)")
        for section in result.sections:
            print(f"  {section.name}: {section.accuracy:.4f} ({section.correct} of "
                  f"{section.correct + section.incorrect}; {section.skipped} skipped)")
    for path in word_pairs:
        result = wv.evaluate_word_pairs(path, restrict_vocab=args.restrict_vocab)
        print(f"{Path(path).name}: Pearson {result.pearson:.4f}, Spearman "
              f"{result.spearman:.4f} ({result.n_pairs} pairs; {result.oov_ratio:.1f}% out of "
              "vocabulary)")


def _positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"must be a positive integer, got {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be a positive integer, got {value}")
    return value


class _NgramLengths(argparse.Action):
    """``--char-ngrams MIN MAX``: two positive ints with MIN <= MAX."""

    def __call__(self, parser, namespace, values, option_string=None):
        low, high = values
        if low > high:
            raise argparse.ArgumentError(
                self, f"MIN {low} is larger than MAX {high}; give the shortest n-gram length "
                      f"first, such as {high} {low}")
        setattr(namespace, self.dest, [low, high])


def _vectors_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("vectors", metavar="VECTORS",
                        help="word vectors file (may be gzipped, except a fastText .bin), or the "
                             "directory of --format npy")
    parser.add_argument("--format", choices=FORMATS, default="word2vec",
                        help="file format; a fastText .bin model (fasttext) and a subword "
                             "model saved with npy also answer words outside the vocabulary; "
                             "both are memory-mapped (default: %(default)s)")
    parser.add_argument("--limit", type=_positive_int, default=None,
                        help="read only the first LIMIT words of the file (not for fasttext "
                             "or npy, which are memory-mapped whole)")


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of the ``skw2v`` command.

    Returns
    -------
    argparse.ArgumentParser

    Examples
    --------
    >>> from skw2v.cli import build_parser
    >>> build_parser().parse_args(["similar", "vectors.txt", "king", "--topn", "3"]).topn
    3
    """
    parser = argparse.ArgumentParser(
        prog="skw2v", description="Train word2vec vectors, query them and evaluate them.")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    train = commands.add_parser(
        "train", help="learn word vectors from a text file",
        description="Learn word vectors from CORPUS, a UTF-8 text file with one document per "
                    "line, and write them to OUTPUT. Prints the loss and words/s of each "
                    "epoch; on a terminal, a progress bar (words/s, loss per word, time "
                    "left) runs below those lines.")
    train.set_defaults(run=_train)
    train.add_argument("corpus", metavar="CORPUS")
    train.add_argument("output", metavar="OUTPUT",
                       help="vectors file (gzipped if it ends in .gz, except a fastText .bin); "
                            "a directory for --format npy")
    train.add_argument("--format", choices=FORMATS, default="word2vec",
                       help="output format; fasttext (a fastText .bin model) and npy (skw2v's "
                            "directory of .npy arrays, memory-mapped when read) keep the "
                            "n-grams of --char-ngrams (default: %(default)s)")
    defaults = Word2VecVectorizer().get_params()
    train.add_argument("--architecture", choices=["skipgram", "cbow"],
                       default=defaults["architecture"],
                       help="predict context words from the word (skipgram) or the word from "
                            "its context (cbow) (default: %(default)s)")
    for name, kind, text in [
        ("vector_size", int, "dimension of the vectors"),
        ("window", int, "maximum distance between a word and its context words"),
        ("min_count", int, "ignore words occurring fewer times"),
        ("negative", int, "negative samples per word, 0 for none"),
        ("sample", float, "subsampling threshold of frequent words, 0 for none"),
        # At least 1: the estimator's epochs=0 only makes sense with init=, which the
        # command line does not offer.
        ("epochs", _positive_int, "passes over the corpus"),
        ("alpha", float, "initial learning rate"),
    ]:
        train.add_argument(f"--{name.replace('_', '-')}", type=kind, default=defaults[name],
                           help=f"{text} (default: %(default)s)")
    train.add_argument("--char-ngrams", nargs=2, type=_positive_int, action=_NgramLengths,
                       metavar=("MIN", "MAX"), default=None,
                       help="learn subword vectors, as fastText: a word's vector also averages "
                            "its character n-grams of MIN to MAX characters, so words outside "
                            "the vocabulary get vectors too (fastText uses 3 6; default: off)")
    train.add_argument("--buckets", type=_positive_int, default=None, metavar="N",
                       help="with --char-ngrams, hash the n-grams into N buckets; only those "
                            "the vocabulary reaches are trained, but a fastText .bin holds all "
                            f"N (default: {defaults['n_buckets']})")
    train.add_argument("--hs", action="store_true", help="also train hierarchical softmax")
    train.add_argument("--jobs", type=int, default=1,
                       help="training threads, -1 for all processors (default: %(default)s)")
    train.add_argument("--seed", type=int, default=None,
                       help="random seed; with --jobs 1 the output is reproducible")
    train.add_argument("--pretokenized", action="store_true",
                       help="the lines are tokens separated by whitespace, used as they are "
                            "(no lowercasing or token pattern)")

    phrases = commands.add_parser(
        "phrases", help="join frequent collocations (new york -> new_york), as word2phrase",
        description="Learn phrases from CORPUS, a UTF-8 text file with one document per line, "
                    "and write it to OUTPUT with each phrase joined into one token (the tokens "
                    "separated by single spaces). With --passes 2, the second pass learns "
                    "from the first one's output, so phrases of three or more words form.")
    phrases.set_defaults(run=_phrases)
    phrases.add_argument("corpus", metavar="CORPUS")
    phrases.add_argument("output", metavar="OUTPUT")
    phrase_defaults = PhrasesTransformer().get_params()
    phrases.add_argument("--min-count", type=_positive_int,
                         default=phrase_defaults["min_count"],
                         help="ignore candidates seen fewer times (default: %(default)s)")
    phrases.add_argument("--threshold", type=float, default=phrase_defaults["threshold"],
                         help="join candidates scoring above this (default: %(default)s; "
                              "word2phrase uses 100, then 50)")
    phrases.add_argument("--scoring", choices=["default", "npmi"],
                         default=phrase_defaults["scoring"],
                         help="word2vec's score or normalized PMI (default: %(default)s)")
    phrases.add_argument("--connector-words", choices=["english", "none"], default="none",
                         help="words allowed inside a phrase, as 'bank of america' "
                              "(default: %(default)s)")
    phrases.add_argument("--passes", type=_positive_int, default=1,
                         help="learn and join this many times (default: %(default)s)")
    phrases.add_argument("--delimiter", default=phrase_defaults["delimiter"],
                         help="joins a phrase's tokens (default: %(default)s)")
    phrases.add_argument("--max-vocab-size", type=_positive_int,
                         default=phrase_defaults["max_vocab_size"],
                         help="words and candidates counted before pruning rare ones "
                              "(default: %(default)s)")
    phrases.add_argument("--jobs", type=int, default=2,
                         help="threads (default: %(default)s; more do not help)")
    phrases.add_argument("--pretokenized", action="store_true",
                         help="the lines are tokens separated by whitespace, used as they are "
                              "(no lowercasing or token pattern)")

    similar = commands.add_parser(
        "similar", help="words most similar to a word",
        description="Print the words closest to WORD by cosine similarity, as word<TAB>score.")
    similar.set_defaults(run=_similar)
    _vectors_arguments(similar)
    similar.add_argument("word", metavar="WORD")
    similar.add_argument("--topn", type=_positive_int, default=10,
                         help="number of words (default: %(default)s)")

    analogy = commands.add_parser(
        "analogy", help="A is to B as C is to ?",
        description="Print the best answers to 'A is to B as C is to ?' (B - A + C), as "
                    "word<TAB>score.")
    analogy.set_defaults(run=_analogy)
    _vectors_arguments(analogy)
    for name in ("a", "b", "c"):
        analogy.add_argument(name, metavar=name.upper())
    analogy.add_argument("--topn", type=_positive_int, default=5,
                         help="number of answers (default: %(default)s)")
    analogy.add_argument("--method", choices=["3cosadd", "3cosmul"], default="3cosadd",
                         help="(default: %(default)s)")

    evaluate = commands.add_parser(
        "evaluate", help="accuracy on analogies, correlation with word-pair ratings",
        description="Evaluate word vectors. Without --analogies or --word-pairs, use the "
                    "Google analogies, WordSim-353 and SimLex-999 (see skw2v.datasets).")
    evaluate.set_defaults(run=_evaluate)
    _vectors_arguments(evaluate)
    evaluate.add_argument("--analogies", metavar="PATH",
                          help="analogy questions in the questions-words.txt format")
    evaluate.add_argument("--word-pairs", metavar="PATH", nargs="+",
                          help="tab-separated 'word1 word2 score' files")
    evaluate.add_argument("--restrict-vocab", type=_positive_int, default=300000,
                          help="use only the first words of the file (default: %(default)s)")
    evaluate.add_argument("--method", choices=["3cosadd", "3cosmul"], default="3cosadd",
                          help="analogy method (default: %(default)s)")
    return parser


def main(argv: list[str] | None = None) -> int:
    """Run the ``skw2v`` command line; return the exit status.

    Parameters
    ----------
    argv : list of str, default=None
        The arguments after the program name; None reads ``sys.argv[1:]``.

    Returns
    -------
    int
        0 on success; 2 for bad arguments, an unreadable or malformed file, an unwritable
        OUTPUT (checked before training), an unknown word, or running out of memory (the
        message says which options need less), after the one line ``skw2v COMMAND: error:
        ...`` on stderr; 130 when interrupted (Ctrl-C), after ``skw2v COMMAND:
        interrupted``. No traceback is printed for these.

    Examples
    --------
    >>> from skw2v.cli import main
    >>> main(["similar", "no-such-file.txt", "king"])
    2
    """
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as stop:  # --help, or bad arguments after argparse's message
        return int(stop.code or 0)
    try:
        args.run(args)
    except KeyboardInterrupt:
        print(f"skw2v {args.command}: interrupted", file=sys.stderr)
        return 130
    except MemoryError as error:  # numpy's "Unable to allocate", Numba's "Allocation failed"
        detail = f" ({error})" if str(error) else ""
        _error(args.command, f"out of memory{detail}. {_MEMORY_HINTS[args.command]}")
        return 2
    except KeyError as error:
        _error(args.command, error.args[0] if error.args else error)
        return 2
    except (ValueError, TypeError, OSError) as error:
        _error(args.command, error)
        return 2
    return 0


def _error(command: str, message) -> None:
    """Print ``message`` as the one line ``skw2v COMMAND: error: ...`` on stderr."""
    line = re.sub(r"\s*\n\s*", " ", str(message)).strip()
    print(f"skw2v {command}: error: {line}", file=sys.stderr)
