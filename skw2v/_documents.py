"""What a document is, and how it becomes tokens: the one set of rules of every entry point.

``fit``, ``transform``, ``fit_transform`` and the Dask and Spark front ends all read documents
with :func:`iter_documents` (the container) and turn each one into tokens with
:class:`Tokenizer` (the document, the analyzer's output and every token), so a document that
one of them refuses is refused by all of them with the same message.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator, Mapping

import numpy as np
import pandas as pd

from ._text import PRETOKENIZED

_READ_BYTES = 1 << 20
_LINE_BREAK = re.compile(rb"\r\n|\r|\n")
#: Characters of a str document tokenized at a time: a longer document is cut just before a
#: whitespace character into pieces of about this size, tokenized and encoded one after the
#: other, so memory follows the piece, not the document (a corpus of one huge line).
PIECE_CHARS = 1 << 20
_WHITESPACE = re.compile(r"\s")


def describe(value) -> str:
    """``type repr`` of a value, the repr cut to 40 characters, for error messages."""
    text = repr(value)
    if len(text) > 40:
        text = text[:37] + "..."
    return f"{type(value).__name__} {text}"


def iter_documents(X):
    """Yield the documents of ``X`` after checking its container type.

    ``X`` is an iterable of documents (a list, a NumPy array, a pandas Series, a one-column
    DataFrame or a generator) or an :class:`os.PathLike` to a UTF-8 text file with one
    document per line (lines end with ``\\n``, ``\\r\\n`` or ``\\r``).
    """
    if isinstance(X, (str, bytes)):
        raise TypeError(
            "Iterable over raw text documents expected, string object received. Pass a list "
            "of documents, e.g. [text]; to read a corpus file with one document per line, "
            "pass a pathlib.Path."
        )
    if isinstance(X, os.PathLike):
        return _read_lines(os.fspath(X))
    if isinstance(X, Mapping):
        raise TypeError(
            f"X is a {type(X).__name__}: iterating over it would give its keys, not "
            "documents. Pass list(X.values()) (or list(X.keys())) explicitly."
        )
    if hasattr(X, "iloc") and hasattr(X, "columns"):  # a pandas DataFrame
        if X.shape[1] != 1:
            raise ValueError(
                f"X is a DataFrame with {X.shape[1]} columns; Word2VecVectorizer takes one "
                "text column. Select it (X['text']) or use a ColumnTransformer."
            )
        return iter(X.iloc[:, 0])
    if isinstance(X, np.ndarray) and X.ndim == 2:
        if X.shape[1] != 1:
            raise ValueError(
                f"X is a 2-D array of shape {X.shape}; Word2VecVectorizer takes one column of "
                "documents. Pass a 1-D array or a single column."
            )
        return iter(X[:, 0])
    if isinstance(X, np.ndarray) and X.ndim != 1:
        raise ValueError(f"X is a {X.ndim}-D array; pass a 1-D array of documents.")
    try:
        return iter(X)
    except TypeError:
        raise TypeError(
            f"X must be an iterable of documents or a pathlib.Path, got {type(X).__name__}."
        ) from None


def is_one_shot(X) -> bool:
    """Whether ``X`` is an iterator (a generator, a file object): it can be read only once."""
    return isinstance(X, Iterator)


def n_documents(X) -> int | None:
    """The number of documents of ``X`` when known without reading them, else None."""
    if isinstance(X, (os.PathLike, Mapping)) or is_one_shot(X):
        return None
    try:
        return len(X)
    except TypeError:
        return None


def _read_lines(path):
    """The lines of a UTF-8 file, read in blocks; ``\\n``, ``\\r\\n`` and ``\\r`` end a line.

    The blocks of a line longer than a block are kept in a list and joined once it ends, so
    reading a very long line costs its size (not its size times its number of blocks).
    """
    with open(path, "rb") as handle:
        line_number = 0
        pending = []  # the blocks of the line not yet ended
        while True:
            block = handle.read(_READ_BYTES)
            if block and b"\n" not in block and b"\r" not in block:
                pending.append(block)  # the line goes on
                continue
            pending.append(block)
            data = b"".join(pending)
            pending.clear()
            lines = _LINE_BREAK.split(data) if data else []
            del data
            if block:  # the last line may go on in the next block
                last = lines.pop()
                if not last and lines and block.endswith(b"\r"):
                    # A final "\r" may be the first half of "\r\n": it waits for the block.
                    last = lines.pop() + b"\r"
                pending.append(last)
            elif lines and lines[-1] == b"":
                lines.pop()
            for index, raw in enumerate(lines):
                lines[index] = None  # the bytes go as soon as the line is decoded
                line_number += 1
                try:
                    line = raw.decode("utf-8")
                except UnicodeDecodeError as error:
                    raise ValueError(
                        f"{path}, line {line_number}: not valid UTF-8 ({error.reason} at byte "
                        f"{error.start} of the line). Re-encode the file as UTF-8."
                    ) from None
                del raw
                yield line
            if not block:
                return


def text_pieces(document: str):
    """Yield consecutive pieces of ``document`` of about :data:`PIECE_CHARS` characters, each
    cut just before a whitespace character (a piece without one to cut at runs on to the
    next), whose concatenation is ``document``."""
    start, size = 0, len(document)
    while size - start > PIECE_CHARS:
        found = _WHITESPACE.search(document, start + PIECE_CHARS)
        if found is None:
            break
        yield document[start:found.start()]
        start = found.start()
    yield document[start:]


class TokenTypeError(TypeError):
    """A token that is not a str (the document and the analyzer's output were fine)."""


def _is_missing(document) -> bool:
    return document is None or (pd.api.types.is_scalar(document) and pd.isna(document))


class Tokenizer:
    """The checked tokens of one document: the one rule of fit, transform, Dask and Spark.

    Parameters
    ----------
    analyzer : callable
        The built analyzer (``Word2VecVectorizer.build_analyzer()``).
    kind : {"word", "pretokenized"} or callable
        The ``analyzer`` parameter, which says what a document must be: a str for
        ``"word"``, a list of str tokens for ``"pretokenized"``, anything but a missing value
        for a callable.

    ``tokenizer(document, where)`` returns the document's tokens as a list of plain str, or
    raises a TypeError whose message starts with ``where`` (e.g. ``"Document 3"``) and says
    what to do.
    """

    def __init__(self, analyzer, kind) -> None:
        self.analyzer = analyzer
        self.kind = kind
        self.yields_str = getattr(analyzer, "yields_str", False) is True
        #: How :mod:`skw2v._token_table` tokenizes batches of str documents as this analyzer
        #: does (a whitespace split), or None.
        self.split_rule = getattr(analyzer, "split_rule", None) if kind == "word" else None
        #: Whether a long str document may be tokenized piece by piece (:meth:`pieces`): the
        #: analyzer is a token pattern whose tokens never span whitespace.
        self.piecewise = kind == "word" and getattr(analyzer, "piecewise", False) is True

    def __call__(self, document, where: str) -> list:
        self.check_document(document, where)
        tokens = self.analyzer(document)
        if self.yields_str:  # a regex analyzer's findall: a list of str
            return tokens
        if isinstance(tokens, (str, bytes)):
            raise TypeError(f"{where}: the analyzer returned a {type(tokens).__name__}; it "
                            "must return a list of str tokens.")
        if not isinstance(tokens, list):
            try:
                tokens = list(tokens)
            except TypeError:
                raise TypeError(f"{where}: the analyzer returned {describe(tokens)}; it must "
                                "return a list of str tokens.") from None
        types = set(map(type, tokens))
        if types and types != {str}:
            tokens = self._plain(tokens, where)
        return tokens

    def pieces(self, document, where: str):
        """Yield the tokens of ``document`` as consecutive lists that together are
        ``self(document, where)``: one list, or for a str document longer than
        :data:`PIECE_CHARS` that the analyzer can cut (:attr:`piecewise`), one list per piece
        of :func:`text_pieces`."""
        if self.in_pieces(document):
            for piece in text_pieces(document):
                yield self.analyzer(piece)
        else:
            yield self(document, where)

    def in_pieces(self, document) -> bool:
        """Whether :meth:`pieces` cuts ``document``: a str longer than :data:`PIECE_CHARS`,
        and an analyzer that can be applied piece by piece."""
        return self.piecewise and isinstance(document, str) and len(document) > PIECE_CHARS

    def check_document(self, document, where: str) -> None:
        """Raise a TypeError for a document the analyzer cannot take."""
        if self.kind == PRETOKENIZED:
            if isinstance(document, (str, bytes)) or not hasattr(document, "__iter__"):
                raise TypeError(
                    f"{where} is {describe(document)}, but analyzer='pretokenized' expects "
                    "each document to be a list of str tokens."
                )
            return
        if isinstance(document, str):
            return
        missing = _is_missing(document)
        if callable(self.kind) and not missing:
            return
        if isinstance(document, bytes):
            raise TypeError(f"{where} is bytes; decode it to str first, e.g. "
                            "doc.decode('utf-8').")
        if missing:
            raise TypeError(f"{where} is missing ({describe(document)}). Drop or fill missing "
                            "values first, e.g. X.fillna('').")
        raise TypeError(f"{where} is {describe(document)}, expected a str. Convert it, or use "
                        "analyzer='pretokenized' for documents that are lists of tokens.")

    @staticmethod
    def _plain(tokens, where):
        """str subclasses (NumPy's ``np.str_``) as plain str; anything else is refused."""
        plain = []
        for token in tokens:
            if not isinstance(token, str):
                raise TokenTypeError(
                    f"{where}: the token {describe(token)} is not a str. Tokens must be "
                    "strings; convert item ids with str(), e.g. "
                    "[[str(t) for t in doc] for doc in X]."
                )
            plain.append(token if type(token) is str else str(token))
        return plain


def token_batches(X, tokenizer: Tokenizer, batch_tokens: int, *, check_tokens: bool = True):
    """Yield ``(position, batch)``: the documents of ``X`` as lists of str tokens, in batches
    of about ``batch_tokens`` tokens, ``position`` the number of the batch's first document.

    With ``check_tokens=False`` the tokens of ``analyzer="pretokenized"`` documents are not
    checked one by one (the document is): the caller checks each token it has not seen
    before (a token equal to a known str is a str) and finds the document of a bad one with
    :func:`raise_for_tokens`.
    """
    skip = not check_tokens and tokenizer.kind == PRETOKENIZED
    batch, size, first = [], 0, 0
    for position, document in enumerate(iter_documents(X)):
        if skip and type(document) is list:  # the common case, without a check to format
            tokens = document
        elif skip:
            tokenizer.check_document(document, f"Document {position}")
            tokens = list(document)
        else:
            tokens = tokenizer(document, f"Document {position}")
        batch.append(tokens)
        size += len(tokens)
        if size >= batch_tokens:
            yield first, batch
            batch, size, first = [], 0, position + 1
    if batch:
        yield first, batch


def raise_for_tokens(tokenizer: Tokenizer, position: int, batch: list) -> None:
    """Raise the error of the first document of ``batch`` (documents ``position, ...``) that
    holds a token that is not a str."""
    for offset, tokens in enumerate(batch):
        tokenizer(tokens, f"Document {position + offset}")
