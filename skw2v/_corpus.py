"""Reading documents once and keeping them as integer ids, in chunks, on disk.

``fit`` reads its documents exactly once: each one is validated, tokenized and encoded as
int32 ids in order of first appearance, while the words are counted. The ids are written, one
chunk at a time, to a temporary file that every epoch reads back. Memory therefore holds the
vocabulary, the weights and one chunk (or the longest document, whichever is larger), never
the corpus, and a one-shot generator of documents trains as well as a list.
"""

import os
import tempfile
from collections import defaultdict

import numpy as np
import pandas as pd

from ._text import PRETOKENIZED

#: Tokens per chunk: the unit of reading, subsampling and thread scheduling.
CHUNK_TOKENS = 1 << 20


def _describe(value):
    text = repr(value)
    if len(text) > 40:
        text = text[:37] + "..."
    return f"{type(value).__name__} {text}"


def iter_documents(X):
    """Yield the documents of ``X`` after checking its container type.

    ``X`` is an iterable of documents (a list, a NumPy array, a pandas Series, a one-column
    DataFrame or a generator) or an :class:`os.PathLike` to a UTF-8 text file with one
    document per line.
    """
    if isinstance(X, (str, bytes)):
        raise TypeError(
            "Iterable over raw text documents expected, string object received. Pass a list "
            "of documents, e.g. [text]; to read a corpus file with one document per line, "
            "pass a pathlib.Path."
        )
    if isinstance(X, os.PathLike):
        return _read_lines(os.fspath(X))
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


def _read_lines(path):
    with open(path, "rb") as handle:
        for line_number, raw in enumerate(handle, start=1):
            try:
                line = raw.decode("utf-8")
            except UnicodeDecodeError as error:
                raise ValueError(
                    f"{path}, line {line_number}: not valid UTF-8 ({error.reason} at byte "
                    f"{error.start} of the line). Re-encode the file as UTF-8."
                ) from None
            yield line.rstrip("\r\n")


def check_document(position, document, analyzer):
    """Raise a clear error for a document the analyzer cannot take."""
    if analyzer == PRETOKENIZED:
        if isinstance(document, (str, bytes)) or not hasattr(document, "__iter__"):
            raise TypeError(
                f"Document {position} is {_describe(document)}, but analyzer='pretokenized' "
                "expects each document to be a list of str tokens."
            )
        return
    if isinstance(document, str):
        return
    if callable(analyzer) and not (document is None or (pd.api.types.is_scalar(document)
                                                        and pd.isna(document))):
        return
    if isinstance(document, bytes):
        raise TypeError(
            f"Document {position} is bytes; decode it to str first, e.g. "
            "doc.decode('utf-8')."
        )
    if document is None or (pd.api.types.is_scalar(document) and pd.isna(document)):
        raise TypeError(
            f"Document {position} is missing ({_describe(document)}). Drop or fill missing "
            "values first, e.g. X.fillna('')."
        )
    raise TypeError(
        f"Document {position} is {_describe(document)}, expected a str. Convert it, or use "
        "analyzer='pretokenized' for documents that are lists of tokens."
    )


def analyzer_tokens(analyzer, document, where):
    """``analyzer(document)`` as a list, or a TypeError that starts with ``where``.

    The one check of an analyzer's output, shared by ``fit`` and the cluster front ends: a
    str (a common slip: returning the text) or a non-iterable is refused.
    """
    tokens = analyzer(document)
    if isinstance(tokens, (str, bytes)):
        raise TypeError(f"{where}: the analyzer returned a {type(tokens).__name__}; it must "
                        "return a list of str tokens.")
    if not isinstance(tokens, list):
        try:
            tokens = list(tokens)
        except TypeError:
            raise TypeError(f"{where}: the analyzer returned {_describe(tokens)}; it must "
                            "return a list of str tokens.") from None
    return tokens


def plain_words(tokens):
    """The distinct tokens as a list of plain str (NumPy arrays of tokens give np.str_).

    Raises a TypeError naming the first token that is not a str.
    """
    words = [w if type(w) is str or not isinstance(w, str) else str(w) for w in tokens]
    for word in words:
        if not isinstance(word, str):
            raise TypeError(
                f"Token {_describe(word)} is not a str. Tokens must be strings; convert "
                "item ids with str(), e.g. [[str(t) for t in doc] for doc in X]."
            )
    return words


class EncodedCorpus:
    """Documents as int32 ids (first-appearance order) in chunks of a temporary file.

    Use as a context manager; the file is deleted on exit.

    Attributes
    ----------
    words : list
        Distinct tokens in order of first appearance (id ``i`` is ``words[i]``).
    counts : ndarray of dtype int64
        Number of occurrences of each token.
    n_documents, n_tokens : int
        Size of the corpus.
    """

    def __init__(self, documents, analyzer, analyzer_kind, chunk_tokens=None):
        index = defaultdict()
        index.default_factory = index.__len__  # a new token gets the next id
        lookup = index.__getitem__

        def encoded_documents():
            for position, document in enumerate(documents):
                check_document(position, document, analyzer_kind)
                tokens = analyzer_tokens(analyzer, document, f"Document {position}")
                try:
                    yield np.fromiter(map(lookup, tokens), dtype=np.int32)
                except TypeError:
                    raise TypeError(
                        f"Document {position}: the analyzer returned {_describe(tokens)}; it "
                        "must return a list of str tokens."
                    ) from None

        self._store(encoded_documents(), index.__len__, chunk_tokens)
        if len(index) > np.iinfo(np.int32).max:
            self.close()
            raise ValueError("More than 2**31 - 1 distinct tokens; the corpus cannot be encoded.")
        try:
            self.words = plain_words(index)
        except TypeError:
            self.close()
            raise

    @classmethod
    def from_encoded(cls, batches, n_ids, chunk_tokens=None):
        """Store documents that are already encoded, batch by batch, chunked as ``__init__``.

        Parameters
        ----------
        batches : iterable of (ndarray of int32, ndarray of int64)
            ``(ids, lengths)`` of consecutive runs of documents: the ids of all their tokens,
            concatenated, and the number of tokens of each document. Every id must lie in
            ``[0, n_ids)``.
        n_ids : int
            Size of the id space (the length of the remap table the corpus is trained with).
        chunk_tokens : int, default=None
            Tokens per chunk; None uses :data:`CHUNK_TOKENS`.

        Returns
        -------
        EncodedCorpus
            With ``words=None``; ``counts`` counts each id.
        """

        def encoded_documents():
            for number, (ids, lengths) in enumerate(batches):
                ids = np.asarray(ids)
                lengths = np.asarray(lengths, dtype=np.int64)
                if (ids.ndim != 1 or lengths.ndim != 1 or int(lengths.sum()) != ids.shape[0]
                        or (lengths.size and lengths.min() < 0)):
                    raise ValueError(f"Encoded batch {number}: the document lengths (sum "
                                     f"{int(lengths.sum())}) do not cover its {ids.shape[0]} "
                                     "ids.")
                if ids.size and (ids.min() < 0 or ids.max() >= n_ids):
                    raise ValueError(f"Encoded batch {number} holds ids outside [0, {n_ids}).")
                ids = ids.astype(np.int32, copy=False)
                yield from np.split(ids, np.cumsum(lengths)[:-1]) if lengths.size else ()

        corpus = cls.__new__(cls)
        corpus._store(encoded_documents(), lambda: n_ids, chunk_tokens)
        corpus.words = None
        return corpus

    def _store(self, encoded_documents, n_ids, chunk_tokens):
        """Write the int32 documents to the temporary files, one chunk at a time."""
        if chunk_tokens is None:
            chunk_tokens = CHUNK_TOKENS
        self._directory = tempfile.TemporaryDirectory(prefix="skw2v-")
        self._ids_path = os.path.join(self._directory.name, "ids.int32")
        self._lengths_path = os.path.join(self._directory.name, "lengths.int64")
        self._chunks = []  # (n_documents, n_tokens) of each chunk, in file order
        try:
            self._write(encoded_documents, n_ids, chunk_tokens)
        except BaseException:
            self.close()
            raise

    def _write(self, encoded_documents, n_ids, chunk_tokens):
        counts = np.zeros(0, dtype=np.int64)
        ids, lengths = [], []
        n_pending = 0
        n_documents = 0
        n_tokens = 0
        with open(self._ids_path, "wb") as ids_file, open(self._lengths_path, "wb") as len_file:

            def flush():
                nonlocal counts
                chunk = np.concatenate(ids) if ids else np.zeros(0, dtype=np.int32)
                found = np.bincount(chunk, minlength=n_ids())
                if found.shape[0] > counts.shape[0]:
                    counts = np.concatenate(
                        [counts, np.zeros(found.shape[0] - counts.shape[0], dtype=np.int64)]
                    )
                counts += found
                chunk.tofile(ids_file)
                np.asarray(lengths, dtype=np.int64).tofile(len_file)
                self._chunks.append((len(lengths), chunk.shape[0]))
                ids.clear()
                lengths.clear()

            for encoded in encoded_documents:
                ids.append(encoded)
                lengths.append(encoded.shape[0])
                n_documents += 1
                n_tokens += encoded.shape[0]
                n_pending += encoded.shape[0]
                if n_pending >= chunk_tokens:
                    flush()
                    n_pending = 0
            if lengths:
                flush()
        if counts.shape[0] < n_ids():
            counts = np.concatenate([counts, np.zeros(n_ids() - counts.shape[0], np.int64)])
        self.counts = counts
        self.n_documents = n_documents
        self.n_tokens = n_tokens

    def chunks(self):
        """Yield ``(ids, offsets)`` per chunk: int32 raw ids and int64 document boundaries."""
        with open(self._ids_path, "rb") as ids_file, open(self._lengths_path, "rb") as len_file:
            for n_docs, n_tokens in self._chunks:
                ids = np.fromfile(ids_file, dtype=np.int32, count=n_tokens)
                lengths = np.fromfile(len_file, dtype=np.int64, count=n_docs)
                if ids.shape[0] != n_tokens or lengths.shape[0] != n_docs:
                    raise OSError(f"The temporary corpus file in {self._directory.name} was "
                                  "truncated while training.")
                offsets = np.zeros(n_docs + 1, dtype=np.int64)
                np.cumsum(lengths, out=offsets[1:])
                yield ids, offsets

    @property
    def max_chunk_tokens(self):
        """Largest number of tokens in one chunk (sizes the per-chunk buffers)."""
        return max((n for _, n in self._chunks), default=0)

    def close(self):
        self._directory.cleanup()

    def __enter__(self):
        return self

    def __exit__(self, *exc_info):
        self.close()
