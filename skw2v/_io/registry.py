"""The one table of file formats: each name with its reader and writer, for
``WordVectors.load`` and ``WordVectors.save`` and the command line."""

from __future__ import annotations

import codecs
import functools
from collections.abc import Callable
from typing import NamedTuple

from . import fasttext_bin, npy, word2vec
from .common import VectorParts


class Format(NamedTuple):
    """How one format is read and written."""

    read: Callable[..., VectorParts]  #: ``read(path, mmap=..., **stream_options)``
    write: Callable[..., None]  #: ``write(path, wv)``
    #: ``check(path, words, vector_size, char_ngram_range, n_buckets)``: raise what ``write``
    #: would raise for such vectors (``words`` None: not known yet).
    check: Callable[..., None]
    #: Read as a stream of entries: ``limit``, ``encoding``, ``unicode_errors`` and
    #: ``duplicates`` apply. The others are read whole, their words UTF-8 and unique.
    streamed: bool


def _read_stream(path, format, *, mmap, **options) -> VectorParts:
    if mmap:
        raise ValueError(f"mmap=True: format={format!r} is text or a stream of records, "
                         "read into memory; only format='npy' and 'fasttext' are mapped. "
                         "Save the vectors once with format='npy' to map them.")
    words, vectors = word2vec.read_vectors(path, format, **options)
    return VectorParts(words, vectors)


def _write_stream(path, wv, format) -> None:
    word2vec.write_vectors(path, wv.index_to_word, wv.vectors, format)


def _check_stream(path, words, vector_size, char_ngram_range, n_buckets, format) -> None:
    word2vec.check_format(format)
    if words is not None:
        word2vec.check_words(words, format)


def _check_npy(path, words, vector_size, char_ngram_range, n_buckets) -> None:
    """Every word, size and bucket count can be written (the words as JSON)."""


def _read_npy(path, *, mmap) -> VectorParts:
    return npy.read_npy(path, mmap=bool(mmap))


REGISTRY = {
    **{name: Format(functools.partial(_read_stream, format=name),
                    functools.partial(_write_stream, format=name),
                    functools.partial(_check_stream, format=name), streamed=True)
       for name in word2vec.WORD2VEC_FORMATS},
    "fasttext": Format(fasttext_bin.read_word_vectors, fasttext_bin.write_word_vectors,
                       fasttext_bin.check_word_vectors, streamed=False),
    "npy": Format(_read_npy, npy.write_npy, _check_npy, streamed=False),
}
#: The names of the formats, as ``format=`` takes them.
FORMATS = tuple(REGISTRY)
#: The stream options of ``WordVectors.load`` and their defaults.
_STREAM_OPTION_DEFAULTS = {"limit": None, "encoding": "utf-8", "unicode_errors": "strict",
                           "duplicates": "error"}


def _format(format) -> Format:
    if format not in REGISTRY:
        raise ValueError(f"format must be one of {', '.join(map(repr, FORMATS))}; got "
                         f"{format!r}.")
    return REGISTRY[format]


def read(path, format, *, mmap=None, **options) -> VectorParts:
    """The parts of the word vectors in ``path``; see ``WordVectors.load``."""
    entry = _format(format)
    if mmap not in (None, True, False):
        raise ValueError(f"mmap must be True, False or None, got {mmap!r}.")
    if entry.streamed:
        return entry.read(path, mmap=mmap, **options)
    _check_stream_options(format, **options)
    return entry.read(path, mmap=mmap)


def check_writable(path, format, *, words=None, vector_size=1, char_ngram_range=None,
                   n_buckets=0) -> None:
    """Raise the ValueError that ``save(path, format)`` would raise for word vectors of
    ``words`` (None: not known yet) and these settings: the one "can this be written?" check
    of each format, which ``write`` runs first and the command line runs before it trains
    (the settings before reading the corpus, the words once the vocabulary is chosen)."""
    _format(format).check(path, words, vector_size, char_ngram_range, n_buckets)


def write(path, wv, format) -> None:
    """Write the word vectors ``wv`` to ``path``; see ``WordVectors.save``."""
    check_writable(path, format, words=wv.index_to_word, vector_size=wv.vector_size,
                   char_ngram_range=wv.char_ngram_range, n_buckets=wv.n_buckets or 0)
    _format(format).write(path, wv)


def _check_stream_options(format, **options):
    """A ValueError naming the stream options given a value other than the default, for a
    format read whole."""
    given = []
    for name, value in options.items():
        default = _STREAM_OPTION_DEFAULTS[name]
        if name == "encoding" and isinstance(value, str):
            try:
                same = codecs.lookup(value).name == "utf-8"
            except LookupError:
                same = False
        else:
            same = value is default or (isinstance(value, str) and value == default)
        if not same:
            given.append(f"{name}={value!r}")
    if given:
        raise ValueError(f"{', '.join(given)} do{'es' if len(given) == 1 else ''} not apply "
                         f"to format={format!r}: its arrays are read whole and its words are "
                         "UTF-8 and unique. Leave limit, encoding, unicode_errors and "
                         "duplicates at their defaults.")
