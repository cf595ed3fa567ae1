"""Reading and writing Facebook fastText ``.bin`` models (unsupervised, unquantized).

A model file, as fastText 0.9 writes it (``FastText::saveModel``; format version 12), is,
all little-endian:

- the signature: int32 magic 793712314, int32 version 12;
- the arguments (``Args::save``): int32 dim, ws, epoch, minCount, neg, wordNgrams, loss
  (hs=1, ns=2, softmax=3, ova=4), model (cbow=1, sg=2, sup=3), bucket, minn, maxn,
  lrUpdateRate, then float64 t;
- the dictionary (``Dictionary::save``): int32 size, nwords, nlabels, int64 ntokens,
  int64 pruneidx_size (-1 unless the model was pruned by quantization), then ``size``
  entries (the UTF-8 word and a NUL byte, int64 count, int8 type: 0 word, 1 label), then
  ``pruneidx_size`` pairs of int32;
- uint8 quant_input, then the input matrix (``DenseMatrix::save``): int64 m, int64 n and
  m * n float32, row-major: one row per word, then ``bucket`` rows of character n-grams;
- uint8 qout, then the output matrix in the same layout: one row per word.

The header and the dictionary are parsed with buffered reads (the dictionary in 1 MiB
chunks, split on NUL bytes without a Python loop per byte), and every size the file
announces is compared with what the file holds before anything is allocated or mapped, so
a corrupt header fails at once. The matrices are then either mapped read-only at their
offsets (``mmap=True``: nothing is copied, and processes share the pages) or read. Every
problem is a ``ValueError`` naming the file and the byte offset or dictionary entry.

Writing validates the whole model first, then writes a temporary file in the target's
directory and renames it into place, so an interrupted write never leaves a partial file.
The input matrix may be given as its parts (:class:`InputRows`: the word rows, and n-gram
rows for some of the buckets); it is then written block by block, zeros for the buckets
without a row, and never assembled in memory.
"""

from __future__ import annotations

import math
import numbers
import os
import re
import struct
from typing import NamedTuple

import numpy as np

from .._subword_rows import SubwordTable
from .common import (
    GZIP_MAGIC,
    ReadOnlyMemmap,
    VectorParts,
    check_finite,
    check_mapped_finite,
    write_atomically,
)

__all__ = ["FastTextModel", "InputRows", "read_fasttext_bin", "read_word_vectors",
           "write_fasttext_bin", "write_word_vectors"]

MAGIC = 793712314
VERSION = 12
# Version 11 (fastText from May to October 2017) differs from 12 only for supervised models,
# which are not read here; fastText 0.9 itself loads both.
_READABLE_VERSIONS = (11, 12)
LOSSES = {1: "hs", 2: "ns", 3: "softmax", 4: "ova"}
MODELS = {1: "cbow", 2: "skipgram"}
_SUPERVISED = 3
_NOT_PRUNED = -1  # pruneidx_size of a dictionary that quantization did not prune

_SIGNATURE = struct.Struct("<ii")
_ARGS = struct.Struct("<12id")
_DICTIONARY = struct.Struct("<iiiqq")
_ENTRY_TAIL = struct.Struct("<qb")  # the count and type after a word's NUL byte
_MATRIX = struct.Struct("<Bqq")  # the quantization flag before a matrix, then m and n
_FLAG = struct.Struct("<B")
_SHAPE = struct.Struct("<qq")
_FLOAT32 = np.dtype("<f4")

_INT32_MAX = 2**31 - 1
_INT64_MAX = 2**63 - 1
_CHUNK_BYTES = 1 << 20
_MAX_WORD_BYTES = 1 << 20  # a longer run without a NUL byte is corruption, not a word
_WORDS_PER_WRITE = 1 << 16
_ROW_BYTES_PER_WRITE = 1 << 22
# fastText ends words at these bytes, so a word holding one could never be looked up.
_SEPARATORS = re.compile("[ \t\n\r\v\f\0]")
_TRUNCATED = "the file is truncated: copy or download it again"
_CORRUPT = "the file is corrupt"


class FastTextModel(NamedTuple):
    """An unsupervised fastText model: its dictionary, matrices and training arguments.

    Attributes
    ----------
    words : list of str
        The ``nwords`` words of the dictionary, in fastText's order (most frequent first;
        the end-of-line token ``</s>`` is one of them).
    counts : ndarray of shape (nwords,), dtype int64
        The corpus count of each word.
    input_matrix : ndarray of shape (nwords + bucket, dim), dtype float32, or InputRows
        The words' own rows, then the ``bucket`` rows of hashed character n-grams. Read with
        ``mmap=True``, a read-only ``np.memmap`` of the file. For writing, it may also be
        given as its parts (:class:`InputRows`), which are not assembled.
    output_matrix : ndarray of shape (nwords, dim), dtype float32
        The output (context) rows, one per word.
    dim : int
        The vector size (fastText ``dim``).
    window : int
        The context window (fastText ``ws``).
    epochs : int
        The training epochs (fastText ``epoch``).
    min_count : int
        The minimal count of a word kept (fastText ``minCount``).
    negative : int
        The negative samples per positive one (fastText ``neg``).
    loss : {"ns", "hs", "softmax", "ova"}
        The loss function.
    model : {"cbow", "skipgram"}
        The architecture.
    bucket : int
        The number of n-gram rows.
    minn, maxn : int
        The shortest and longest character n-grams (``maxn=0``: none).
    sample : float
        The subsampling threshold (fastText ``t``).
    lr_update_rate : int
        Tokens between learning-rate updates (fastText ``lrUpdateRate``).
    n_tokens : int
        The number of tokens of the training corpus (fastText ``ntokens``).
    """

    words: list[str]
    counts: np.ndarray
    input_matrix: np.ndarray
    output_matrix: np.ndarray
    dim: int
    window: int
    epochs: int
    min_count: int
    negative: int
    loss: str
    model: str
    bucket: int
    minn: int
    maxn: int
    sample: float
    lr_update_rate: int
    n_tokens: int


class InputRows(NamedTuple):
    """An input matrix given as its parts, which :func:`write_fasttext_bin` writes block by
    block without assembling them.

    Attributes
    ----------
    word_rows : array-like of shape (nwords, dim)
        The words' own rows.
    ngram_rows : array-like of shape (n_rows, dim)
        n-gram rows: one per bucket, in bucket order (``n_rows = bucket``), or one per
        entry of ``ngram_buckets``.
    ngram_buckets : array-like of int of shape (n_rows,), default=None
        The bucket of each row of ``ngram_rows``, strictly increasing; the buckets it does
        not list are written as zero rows. None: ``ngram_rows`` holds every bucket.
    """

    word_rows: np.ndarray
    ngram_rows: np.ndarray
    ngram_buckets: np.ndarray | None = None


# ---------------------------------------------------------------------------------------------
# Reading


class Reader:
    """Fixed-size records of an open file, reporting truncation with the byte offset."""

    def __init__(self, handle, path, file_size):
        self.handle, self.path, self.file_size = handle, path, file_size

    @property
    def offset(self):
        return self.handle.tell()

    def unpack(self, layout, what):
        offset = self.offset
        data = self.handle.read(layout.size)
        if len(data) < layout.size:
            raise ValueError(f"{self.path}: the file ends inside {what} (byte offset {offset}, "
                             f"{len(data)} of its {layout.size} bytes); {_TRUNCATED}.")
        return layout.unpack(data)


def check_signature(path, data):
    magic = int.from_bytes(data[:4], "little", signed=True) if len(data) >= 4 else None
    if magic != MAGIC:
        if not data:
            raise ValueError(f"{path} is empty.")
        hint = " It is gzip-compressed: decompress it first." if data[:2] == GZIP_MAGIC else ""
        raise ValueError(f"{path} is not a fastText .bin model: it does not start with the "
                         f"fastText magic number {MAGIC}.{hint} For .vec files (word vectors "
                         "as text) use format='word2vec'.")
    if len(data) < _SIGNATURE.size:
        raise ValueError(f"{path}: the file ends inside the format version (byte offset 4); "
                         f"{_TRUNCATED}.")
    version = int.from_bytes(data[4:8], "little", signed=True)
    if version not in _READABLE_VERSIONS:
        raise ValueError(f"{path}: fastText format version {version} is not supported; skw2v "
                         f"reads versions 11 and 12 (written by fastText since 2017). Re-save "
                         "the model with fastText 0.9 (load_model, then save_model).")
    return version


def read_arguments(reader):
    """The training arguments (``Args::save``) of any fastText model, checked; the model
    type is returned as its code (``"model_code"``: 1 cbow, 2 skipgram, 3 supervised)."""
    fields = reader.unpack(_ARGS, "the model arguments")
    (dim, ws, epoch, min_count, neg, word_ngrams, loss, model, bucket, minn, maxn,
     lr_update_rate, t) = fields
    path = reader.path
    if model not in (*MODELS, _SUPERVISED):
        raise ValueError(f"{path}, byte offset 36: unknown fastText model type {model} (1 is "
                         f"cbow, 2 skipgram, 3 supervised); {_CORRUPT}.")
    if loss not in LOSSES:
        raise ValueError(f"{path}, byte offset 32: unknown fastText loss {loss} (1 is hs, 2 ns, "
                         f"3 softmax, 4 ova); {_CORRUPT}.")
    if dim < 1:
        raise ValueError(f"{path}, byte offset 8: the vector size (dim) is {dim}; {_CORRUPT}.")
    named = {"ws": (ws, 12), "epoch": (epoch, 16), "minCount": (min_count, 20),
             "neg": (neg, 24), "bucket": (bucket, 40), "minn": (minn, 44), "maxn": (maxn, 48),
             "lrUpdateRate": (lr_update_rate, 52)}
    if model == _SUPERVISED:  # only supervised models use it (written as 1 by the others)
        named["wordNgrams"] = (word_ngrams, 28)
    for name, (value, offset) in named.items():
        if value < 0:
            raise ValueError(f"{path}, byte offset {offset}: the argument {name} is {value}; "
                             f"{_CORRUPT}.")
    if not (math.isfinite(t) and t >= 0):
        raise ValueError(f"{path}, byte offset 56: the sampling threshold t is {t}; "
                         f"{_CORRUPT}.")
    return {"dim": dim, "window": ws, "epochs": epoch, "min_count": min_count,
            "negative": neg, "word_ngrams": word_ngrams, "loss": LOSSES[loss],
            "model_code": model, "bucket": bucket, "minn": minn, "maxn": maxn,
            "sample": float(t), "lr_update_rate": lr_update_rate}


def _supervised_error(path, what):
    return ValueError(f"{path} is a supervised (text classification) fastText model{what}; "
                      "WordVectors.load reads unsupervised word-vector models (fastText "
                      "skipgram or cbow). Load it as a classifier: "
                      f"Word2VecClassifier.load({path!r}, format=\"fasttext\").")


def _read_args(reader):
    args = read_arguments(reader)
    code = args.pop("model_code")
    del args["word_ngrams"]
    if code == _SUPERVISED:
        raise _supervised_error(reader.path, "")
    args["model"] = MODELS[code]
    return args


def read_dictionary_header(reader, *, supervised=False):
    """``(nwords, nlabels, ntokens, pruneidx_size)`` of the dictionary header, checked, and
    the entries' minimal size checked against the bytes left. Unsupervised
    (``supervised=False``): no labels and no prune index are allowed."""
    offset = reader.offset
    size, nwords, nlabels, ntokens, pruneidx_size = reader.unpack(_DICTIONARY,
                                                                  "the dictionary header")
    path = reader.path
    where = f"{path}, byte offset {offset}"
    if nlabels > 0 and not supervised:
        raise _supervised_error(path, f" ({nlabels} labels)")
    if nwords < 0 or nlabels < 0 or size < 0 or ntokens < 0:
        raise ValueError(f"{where}: the dictionary header announces {size} entries, {nwords} "
                         f"words, {nlabels} labels and {ntokens} tokens; {_CORRUPT}.")
    if size != nwords + nlabels:
        labels = f"{nlabels} labels" if nlabels else "no labels"
        raise ValueError(f"{where}: the dictionary header announces {size} entries but "
                         f"{nwords} words and {labels}; {_CORRUPT}.")
    if nwords == 0:
        raise ValueError(f"{where}: the dictionary holds no words; {_CORRUPT}.")
    if supervised and nlabels == 0:
        raise ValueError(f"{where}: the dictionary of this supervised model holds no labels; "
                         f"{_CORRUPT}.")
    if pruneidx_size < _NOT_PRUNED:
        raise ValueError(f"{path}, byte offset {offset + 20}: the prune index size is "
                         f"{pruneidx_size}; {_CORRUPT}.")
    if pruneidx_size != _NOT_PRUNED and not supervised:
        raise ValueError(f"{path}: the dictionary is pruned ({pruneidx_size} n-gram rows kept), "
                         "as in quantized fastText models (.ftz); skw2v reads unquantized "
                         "models: use (or re-export) the .bin model from before quantization.")
    # Each entry takes at least 10 bytes (a NUL, the count and the type), and each pair of
    # the prune index 8: fail before reading.
    remaining = reader.file_size - reader.offset
    needed = 10 * size + 8 * max(pruneidx_size, 0)
    if needed > remaining:
        raise ValueError(f"{where}: the dictionary announces {size} entries"
                         + (f" and {pruneidx_size} pruned buckets" if pruneidx_size > 0 else "")
                         + f", which take at least {needed} bytes, but only {remaining} bytes "
                         f"follow; {_TRUNCATED}.")
    return nwords, nlabels, ntokens, pruneidx_size


def read_dictionary(reader, size, n_words=None):
    """The words and counts of ``size`` dictionary entries, read in chunks: ``n_words``
    words (None: all of them), then labels.

    A Python loop finds each entry's NUL byte with ``bytes.find`` (an entry ends 9 bytes
    after it); the counts and types are then gathered, the words decoded and split, per
    chunk, with NumPy and a single ``decode``.
    """
    path, handle = reader.path, reader.handle
    words: list[str] = []
    counts: list[np.ndarray] = []
    tail, base, index = b"", reader.offset, 0  # base: the offset of tail[0] in the file
    while index < size:
        chunk = handle.read(max(_CHUNK_BYTES, len(tail)))
        if not chunk:
            raise ValueError(f"{path}: the file ends inside dictionary entry {index} of {size} "
                             f"(which starts at byte offset {base}); {_TRUNCATED}.")
        data = tail + chunk if tail else chunk
        nuls, position, end, find = [], 0, len(data), data.find
        for _ in range(size - index):
            nul = find(b"\0", position)
            if nul < 0 or nul + 1 + _ENTRY_TAIL.size > end:
                break
            nuls.append(nul)
            position = nul + 1 + _ENTRY_TAIL.size
        if nuls:
            chunk_words, chunk_counts = _parse_entries(path, data, nuls, position, base, index,
                                                       size if n_words is None else n_words,
                                                       size)
            words += chunk_words
            counts.append(chunk_counts)
            index += len(nuls)
        tail, base = data[position:], base + position
        if len(tail) > _MAX_WORD_BYTES + _ENTRY_TAIL.size and b"\0" not in tail:
            raise ValueError(f"{path}, byte offset {base}: dictionary entry {index} of {size} "
                             f"holds no NUL byte in its first {len(tail)} bytes; {_CORRUPT}.")
    handle.seek(base)
    counts_array = np.concatenate(counts)
    if (pair := _duplicate(words)) is not None:
        raise ValueError(f"{path}: dictionary entries {pair[0]} and {pair[1]} are both the "
                         f"word {words[pair[0]]!r}; {_CORRUPT}.")
    return words, counts_array


def _duplicate(words):
    """``(first, second)``: the positions of the first word that occurs twice, or None."""
    if len(set(words)) == len(words):
        return None
    first: dict[str, int] = {}
    for index, word in enumerate(words):
        if word in first:
            return first[word], index
        first[word] = index
    return None  # pragma: no cover - a repeated word is found above


def _parse_entries(path, data, nuls, stop, base, first_index, n_words, size):
    """The words and counts of the complete entries in ``data[:stop]``, given their NULs;
    the entries from ``n_words`` on are labels, the others words."""
    raw = np.frombuffer(data, dtype=np.uint8, count=stop)
    nul = np.array(nuls, dtype=np.int64)
    tail_bytes = nul[:, None] + np.arange(1, 1 + _ENTRY_TAIL.size)
    fields = raw[tail_bytes]  # one row of 9 bytes per entry: the count, then the type
    counts = np.ascontiguousarray(fields[:, :8]).view("<i8").ravel().astype(np.int64)
    types = fields[:, 8]
    starts = np.concatenate(([0], nul[:-1] + 1 + _ENTRY_TAIL.size))

    def describe(local):
        return (f"{path}: dictionary entry {first_index + local} (byte offset "
                f"{base + int(starts[local])})")

    keep = np.ones(stop, dtype=bool)
    keep[tail_bytes.ravel()] = False
    blob = raw[keep].tobytes()  # each word followed by its NUL byte
    try:
        text = blob.decode("utf-8")
    except UnicodeDecodeError as error:
        local = blob.count(b"\0", 0, error.start)
        in_word = error.start - (blob.rfind(b"\0", 0, error.start) + 1)
        raise ValueError(f"{describe(local)}: the word is not valid UTF-8 ({error.reason} in "
                         f"the sequence starting at byte {in_word} of the word); {_CORRUPT}, "
                         "or was not written by fastText.") from None
    chunk_words = text.split("\0")
    chunk_words.pop()  # the empty string after the last NUL
    if "" in chunk_words:
        raise ValueError(f"{describe(chunk_words.index(''))}: the word is empty; {_CORRUPT}.")
    expected = first_index + np.arange(len(nuls)) >= n_words  # 0: a word, 1: a label
    if (types != expected).any():
        local = int(np.flatnonzero(types != expected)[0])
        kind = {0: "a word", 1: "a label"}.get(int(types[local]),
                                               f"of unknown type {types[local]}")
        announced = ("words only" if n_words == size
                     else f"{n_words} words, then {size - n_words} labels")
        raise ValueError(f"{describe(local)}: the entry {chunk_words[local]!r} is {kind}, but "
                         f"the dictionary header announces {announced}; {_CORRUPT}.")
    if (counts < 0).any():
        local = int(np.flatnonzero(counts < 0)[0])
        raise ValueError(f"{describe(local)}: the count of {chunk_words[local]!r} is "
                         f"{counts[local]}; {_CORRUPT}.")
    return chunk_words, counts


def read_matrix_flag(reader, name):
    """The quantization flag (0 or 1) before the ``name`` matrix."""
    offset = reader.offset
    (quantized,) = reader.unpack(_FLAG, f"the header of the {name} matrix")
    if quantized > 1:
        raise ValueError(f"{reader.path}, byte offset {offset}: the quantization flag of the "
                         f"{name} matrix is {quantized} (0 or 1 expected); {_CORRUPT}.")
    return quantized


def locate_dense_matrix(reader, name, rows, rows_meaning, dim):
    """Check the shape of a dense matrix (after its flag) and skip its data; return its
    offset and shape."""
    path = reader.path
    where = f"{path}, byte offset {reader.offset}"
    m, n = reader.unpack(_SHAPE, f"the header of the {name} matrix")
    if m < 0 or n < 0:
        raise ValueError(f"{where}: the {name} matrix announces {m} x {n} values; {_CORRUPT}.")
    if n != dim:
        raise ValueError(f"{where}: the {name} matrix has {n} columns, but the model's vector "
                         f"size (dim) is {dim}; {_CORRUPT}.")
    if m != rows:
        raise ValueError(f"{where}: the {name} matrix has {m} rows, but {rows_meaning} is "
                         f"{rows}; {_CORRUPT}.")
    start = reader.offset
    n_bytes = m * n * _FLOAT32.itemsize
    remaining = reader.file_size - start
    if n_bytes > remaining:
        raise ValueError(f"{path}, byte offset {start}: the {name} matrix announces {m} x {n} "
                         f"float32 values ({n_bytes} bytes), but only {remaining} bytes "
                         f"follow; {_TRUNCATED}.")
    reader.handle.seek(start + n_bytes)
    return start, (m, n)


def _locate_matrix(reader, name, rows, rows_meaning, dim):
    """Check the header of a dense matrix and skip its data; return its offset and shape."""
    if read_matrix_flag(reader, name) == 1 and name == "input":
        raise ValueError(f"{reader.path} is a quantized fastText model (.ftz); skw2v reads "
                         "unquantized models: use (or re-export) the .bin model from before "
                         "quantization.")
    # fastText reads the output matrix as dense when the input is not quantized, whatever
    # its flag (which an unquantized model trained with -qout sets).
    return locate_dense_matrix(reader, name, rows, rows_meaning, dim)


def load_matrix(handle, path, offset, shape, mmap):
    if mmap:
        return np.memmap(path, dtype=_FLOAT32, mode="r", offset=offset, shape=shape)
    matrix = np.empty(shape, dtype=_FLOAT32)
    buffer = memoryview(matrix).cast("B")
    handle.seek(offset)
    done = 0
    while done < len(buffer):
        read = handle.readinto(buffer[done:])
        if not read:
            raise ValueError(f"{path}: the file ends at byte offset {offset + done}, inside a "
                             f"matrix (it changed while being read); {_TRUNCATED}.")
        done += read
    return matrix


def read_fasttext_bin(path, *, mmap=True):
    """Read an unsupervised, unquantized fastText ``.bin`` model.

    Parameters
    ----------
    path : str or os.PathLike
        The model file, as written by fastText's ``save_model`` (format version 12, or 11).
    mmap : bool, default=True
        Return the matrices as read-only ``np.memmap`` views of the file (nothing is
        copied or computed, so a model of gigabytes opens at once and processes share its
        pages); if False, read them into memory.

    Returns
    -------
    FastTextModel
        The words, counts, matrices and training arguments.

    Raises
    ------
    ValueError
        If the file is not a fastText model, has an unsupported version, is supervised,
        quantized or pruned, is truncated, announces inconsistent sizes, holds a word that is
        not valid UTF-8, a label, a negative count or a word twice, or holds data after the
        output matrix. The message names the file and the byte offset or dictionary entry.
    FileNotFoundError, IsADirectoryError
        If ``path`` does not exist or is a directory.
    """
    if not isinstance(mmap, (bool, np.bool_)):
        raise TypeError(f"mmap must be True or False, got {mmap!r}.")
    path = os.fspath(path)
    with open(path, "rb") as handle:
        file_size = os.fstat(handle.fileno()).st_size
        reader = Reader(handle, path, file_size)
        check_signature(path, handle.read(_SIGNATURE.size))
        args = _read_args(reader)
        nwords, _, n_tokens, _ = read_dictionary_header(reader)
        words, counts = read_dictionary(reader, nwords)
        input_at, input_shape = _locate_matrix(reader, "input", nwords + args["bucket"],
                                               "nwords + bucket", args["dim"])
        output_at, output_shape = _locate_matrix(reader, "output", nwords, "nwords",
                                                 args["dim"])
        end = reader.offset
        if end != file_size:
            raise ValueError(f"{path}: {file_size - end} bytes follow the output matrix (from "
                             f"byte offset {end}); {_CORRUPT}, or is not a single fastText "
                             "model.")
        input_matrix = load_matrix(handle, path, input_at, input_shape, mmap)
        output_matrix = load_matrix(handle, path, output_at, output_shape, mmap)
    return FastTextModel(words=words, counts=counts, input_matrix=input_matrix,
                         output_matrix=output_matrix, n_tokens=n_tokens, **args)


# ---------------------------------------------------------------------------------------------
# Writing


def check_int(path, model, field, low=0, high=_INT32_MAX):
    value = getattr(model, field)
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, numbers.Integral):
        raise TypeError(f"Cannot write {path}: model.{field} must be an int, got {value!r}.")
    if not low <= value <= high:
        raise ValueError(f"Cannot write {path}: model.{field} is {value}; it must be between "
                         f"{low} and {high}.")
    return int(value)


def check_choice(path, model, field, choices):
    value = getattr(model, field)
    if value not in choices:
        raise ValueError(f"Cannot write {path}: model.{field} is {value!r}; it must be one of "
                         f"{', '.join(map(repr, choices))}.")
    return value


def check_words(path, words, name):
    if isinstance(words, (str, bytes)):
        raise TypeError(f"Cannot write {path}: {name} must be a list of str, got a "
                        f"{type(words).__name__}.")
    words = list(words)
    encoded = []
    for index, word in enumerate(words):
        if not isinstance(word, str):
            raise TypeError(f"Cannot write {path}: {name}[{index}] is {word!r}, not a str.")
        if not word:
            raise ValueError(f"Cannot write {path}: {name}[{index}] is the empty word, which "
                             "fastText cannot read back; remove it.")
        separator = _SEPARATORS.search(word)
        if separator:
            raise ValueError(f"Cannot write {path}: {name}[{index}] ({word!r}) contains "
                             f"{separator.group()!r}, which ends words in fastText; rename "
                             "it (e.g. with '_' for whitespace).")
        try:
            encoded.append(word.encode("utf-8"))
        except UnicodeEncodeError as error:
            raise ValueError(f"Cannot write {path}: {name}[{index}] ({word!r}) cannot be "
                             f"encoded as UTF-8 ({error.reason}).") from None
    if not words:
        raise ValueError(f"Cannot write {path}: {name} is empty; a fastText model needs at "
                         "least one word.")
    if len(words) > _INT32_MAX:
        raise ValueError(f"Cannot write {path}: {name} holds {len(words)} words; fastText "
                         f"holds at most {_INT32_MAX}.")
    if (pair := _duplicate(words)) is not None:
        raise ValueError(f"Cannot write {path}: {name}[{pair[0]}] and {name}[{pair[1]}] are "
                         f"both {words[pair[0]]!r}.")
    return encoded


def check_counts(path, counts, n_words, name="model.counts", per="word"):
    counts = np.asarray(counts)
    if counts.dtype.kind not in "iu":
        raise TypeError(f"Cannot write {path}: {name} must hold integers, got dtype "
                        f"{counts.dtype}.")
    if counts.shape != (n_words,):
        raise ValueError(f"Cannot write {path}: {name} has shape {counts.shape}; it must "
                         f"be ({n_words},), one count per {per}.")
    if counts.dtype.kind == "u" and counts.size and counts.max() > _INT64_MAX:
        raise ValueError(f"Cannot write {path}: {name} holds {counts.max()}, beyond "
                         "int64.")
    if (counts < 0).any():
        index = int(np.flatnonzero(counts < 0)[0])
        raise ValueError(f"Cannot write {path}: {name}[{index}] is {counts[index]}; "
                         "counts must be >= 0.")
    return counts.astype("<i8")


def check_matrix(path, matrix, field, shape, meaning):
    matrix = np.asarray(matrix)
    if matrix.dtype.kind not in "iuf":
        raise TypeError(f"Cannot write {path}: model.{field} must hold real numbers (stored as "
                        f"float32), got dtype {matrix.dtype}.")
    if matrix.shape != shape:
        raise ValueError(f"Cannot write {path}: model.{field} has shape {matrix.shape}; it must "
                         f"be {shape} ({meaning}).")
    for start, block in _row_blocks(matrix):
        check_finite(block, lambda row, start=start: f"Cannot write {path}: row {start + row} "
                     f"of model.{field}", "Repair that row, or train the model again.")
    return matrix


_INPUT_ROWS_NAMES = ("input_matrix.word_rows", "input_matrix.ngram_rows",
                     "input_matrix.ngram_buckets")


def check_input_rows(path, parts, n_words, bucket, dim, names=_INPUT_ROWS_NAMES):
    """The parts of an input matrix, checked as :func:`check_matrix` checks a matrix;
    ``names``: the model fields of the word rows, n-gram rows and buckets, for errors."""
    words_name, rows_name, buckets_name = names
    word_rows = check_matrix(path, parts.word_rows, words_name, (n_words, dim),
                             "nwords rows, dim columns")
    buckets = parts.ngram_buckets
    if buckets is None:
        ngram_rows = check_matrix(path, parts.ngram_rows, rows_name, (bucket, dim),
                                  "bucket rows, dim columns")
        return InputRows(word_rows, ngram_rows, None)
    buckets = np.asarray(buckets)
    if buckets.ndim != 1 or buckets.dtype.kind not in "iu":
        raise TypeError(f"Cannot write {path}: model.{buckets_name} must be a 1-D "
                        f"array of ints, got shape {buckets.shape} and dtype {buckets.dtype}.")
    if buckets.size and (buckets.min() < 0 or buckets.max() >= bucket):
        bad = buckets.min() if buckets.min() < 0 else buckets.max()
        raise ValueError(f"Cannot write {path}: model.{buckets_name} holds {bad}; "
                         f"buckets are 0 to model.bucket - 1 = {bucket - 1}.")
    buckets = buckets.astype(np.int64)
    if np.any(np.diff(buckets) <= 0):
        index = int(np.flatnonzero(np.diff(buckets) <= 0)[0]) + 1
        raise ValueError(f"Cannot write {path}: model.{buckets_name} must be "
                         f"strictly increasing; entry {index} is {buckets[index]}, after "
                         f"{buckets[index - 1]}.")
    ngram_rows = check_matrix(path, parts.ngram_rows, rows_name, (buckets.size, dim),
                              f"one row per entry of {buckets_name.rpartition('.')[2]}")
    return InputRows(word_rows, ngram_rows, buckets)


def _row_blocks(matrix):
    """(first row, float32 C-contiguous rows) blocks of a 2-D array, of about 4 MiB."""
    rows = max(1, _ROW_BYTES_PER_WRITE // max(1, matrix.shape[1] * _FLOAT32.itemsize))
    with np.errstate(over="ignore"):  # beyond float32 becomes infinity, which is rejected
        for start in range(0, matrix.shape[0], rows):
            yield start, np.ascontiguousarray(matrix[start:start + rows], dtype=_FLOAT32)


def _checked_fields(path, model, words_name):
    """The model's fields, checked and converted for writing, in file order."""
    if not isinstance(model, FastTextModel):
        raise TypeError(f"Cannot write {path}: model must be a FastTextModel, got "
                        f"{type(model).__name__}.")
    ints = {field: check_int(path, model, field)
            for field in ("window", "epochs", "min_count", "negative", "bucket", "minn", "maxn",
                          "lr_update_rate")}
    dim = check_int(path, model, "dim", low=1)
    n_tokens = check_int(path, model, "n_tokens", high=_INT64_MAX)
    loss = check_choice(path, model, "loss", tuple(LOSSES.values()))
    kind = check_choice(path, model, "model", tuple(MODELS.values()))
    sample = model.sample
    if (isinstance(sample, (bool, np.bool_)) or not isinstance(sample, numbers.Real)
            or not (math.isfinite(sample) and sample >= 0)):
        raise ValueError(f"Cannot write {path}: model.sample is {sample!r}; it must be a "
                         "finite number >= 0.")
    words = check_words(path, model.words, words_name)
    n_words, bucket = len(words), ints["bucket"]
    if n_words + bucket > _INT32_MAX:
        raise ValueError(f"Cannot write {path}: {n_words} words and {bucket} buckets make "
                         f"{n_words + bucket} input rows; fastText holds at most {_INT32_MAX}.")
    counts = check_counts(path, model.counts, n_words)
    if isinstance(model.input_matrix, InputRows):
        input_matrix = check_input_rows(path, model.input_matrix, n_words, bucket, dim)
    else:
        input_matrix = check_matrix(path, model.input_matrix, "input_matrix",
                                     (n_words + bucket, dim), "nwords + bucket rows, dim "
                                     "columns")
    output_matrix = check_matrix(path, model.output_matrix, "output_matrix", (n_words, dim),
                                  "nwords rows, dim columns")
    args = _ARGS.pack(dim, ints["window"], ints["epochs"], ints["min_count"], ints["negative"],
                      1,  # wordNgrams: used by supervised models only
                      _code(LOSSES, loss), _code(MODELS, kind), bucket, ints["minn"],
                      ints["maxn"], ints["lr_update_rate"], float(sample))
    return args, words, counts, n_tokens, input_matrix, output_matrix, bucket


def _code(table, name):
    return next(code for code, value in table.items() if value == name)


def write_matrix(handle, matrix):
    """Write the flag "not quantized", the shape and the float32 rows of ``matrix``."""
    handle.write(_MATRIX.pack(0, *matrix.shape))
    for _, block in _row_blocks(matrix):
        handle.write(memoryview(block).cast("B"))


def _write_input_rows(handle, parts, bucket):
    """Write an input matrix given as its parts, with ``bucket`` n-gram rows, in blocks of
    about 4 MiB: the word rows, then the n-gram rows; for the buckets of
    ``parts.ngram_buckets``, a zero block per range of buckets, filled with the rows listed
    in that range."""
    (n_words, dim), buckets = parts.word_rows.shape, parts.ngram_buckets
    handle.write(_MATRIX.pack(0, n_words + bucket, dim))
    dense = (parts.word_rows,) if buckets is not None else (parts.word_rows, parts.ngram_rows)
    for matrix in dense:
        for _, block in _row_blocks(matrix):
            handle.write(memoryview(block).cast("B"))
    if buckets is None:
        return
    rows = max(1, _ROW_BYTES_PER_WRITE // (dim * _FLOAT32.itemsize))
    zeros = np.zeros((min(rows, bucket), dim), dtype=_FLOAT32)
    with np.errstate(over="ignore"):  # checked already: finite as float32
        for start in range(0, bucket, rows):
            stop = min(start + rows, bucket)
            low, high = np.searchsorted(buckets, (start, stop))
            block = zeros[:stop - start]
            block[...] = 0
            block[buckets[low:high] - start] = parts.ngram_rows[low:high]
            handle.write(memoryview(block).cast("B"))


def write_entries(handle, words, counts, entry_type):
    """Write dictionary entries: each encoded word, a NUL byte, its int64 count and the
    int8 ``entry_type`` (0 word, 1 label)."""
    pack = _ENTRY_TAIL.pack
    for start in range(0, len(words), _WORDS_PER_WRITE):
        stop = start + _WORDS_PER_WRITE
        handle.write(b"".join(word + b"\0" + pack(count, entry_type)
                              for word, count in zip(words[start:stop],
                                                     counts[start:stop].tolist(), strict=True)))


def write_input_matrix(handle, input_matrix, bucket):
    """Write the flag "not quantized" and an input matrix, given whole or as InputRows."""
    if isinstance(input_matrix, InputRows):
        _write_input_rows(handle, input_matrix, bucket)
    else:
        write_matrix(handle, input_matrix)


def _write_model(handle, fields):
    args, words, counts, n_tokens, input_matrix, output_matrix, bucket = fields
    handle.write(_SIGNATURE.pack(MAGIC, VERSION))
    handle.write(args)
    handle.write(_DICTIONARY.pack(len(words), len(words), 0, n_tokens, _NOT_PRUNED))
    write_entries(handle, words, counts, 0)
    write_input_matrix(handle, input_matrix, bucket)  # after quant_input = 0
    write_matrix(handle, output_matrix)  # after qout = 0


def write_fasttext_bin(path, model, *, words_name="model.words"):
    """Write ``model`` as a fastText ``.bin`` model (format version 12).

    fastText 0.9 (``fasttext.load_model``) and gensim (``load_facebook_vectors``) load the
    file. fastText's ``wordNgrams`` argument, which only supervised models use, is written
    as 1.

    Parameters
    ----------
    path : str or os.PathLike
        The file to write; replaced if it exists. The model is written to a temporary file
        in the same directory, then renamed, so ``path`` never holds a partial model.
    model : FastTextModel
        The model. The matrices may be of any real dtype; they are stored as float32. The
        input matrix may be given as :class:`InputRows` (the word rows and n-gram rows for
        some buckets): it is written block by block, zero rows for the buckets not listed,
        without being assembled.
    words_name : str, default="model.words"
        What error messages call the list of words (``WordVectors.save`` passes
        ``"index_to_word"``).

    Raises
    ------
    ValueError
        If a field cannot be written, naming it: a word that is empty, holds whitespace or
        NUL or occurs twice; a negative count; a matrix whose shape does not match the words,
        ``bucket`` and ``dim``, or that holds NaN or infinity (also after conversion to
        float32); n-gram buckets out of range or not strictly increasing; an unknown
        ``loss`` or ``model``; an integer out of range.
    TypeError
        If ``model`` is not a FastTextModel, or a field has the wrong type.
    """
    path = os.fspath(path)
    fields = _checked_fields(path, model, words_name)
    write_atomically(path, lambda handle: _write_model(handle, fields))


# ---------------------------------------------------------------------------------------------
# Word vectors (WordVectors.load and save with format="fasttext")

# fastText's defaults (Args) for the arguments word vectors do not know.
_FASTTEXT_DEFAULT_ARGS = {"window": 5, "epochs": 5, "min_count": 5, "negative": 5,
                          "loss": "ns", "model": "skipgram", "sample": 1e-4,
                          "lr_update_rate": 100}


def read_word_vectors(path, *, mmap=None) -> VectorParts:
    """The words, counts and memory-mapped input rows of the fastText model at ``path``:
    plain vectors, or the rows of a subword model; see ``WordVectors.load``."""
    if mmap is False:
        raise ValueError("mmap=False: a fastText model is always memory-mapped; "
                         "leave mmap=None (or True).")
    model = read_fasttext_bin(path, mmap=True)
    words, n_words = model.words, len(model.words)
    matrix = model.input_matrix
    # Without n-grams (maxn=0; minn > maxn; no buckets, which fastText cannot even load)
    # fastText's vector of a word is its own row, and the bucket rows go unused.
    subwords = model.maxn > 0 and model.bucket > 0 and model.minn <= model.maxn
    check_mapped_rows(matrix if subwords else matrix[:n_words], words)
    if matrix.dtype.isnative:
        matrix = matrix.view(ReadOnlyMemmap)
    else:  # a big-endian machine: the kernels need native floats, so this copies
        matrix = matrix.astype(np.float32)
        matrix.setflags(write=False)
    if not subwords:
        return VectorParts(words, matrix[:n_words], model.counts)
    # fastText uses n-grams of n >= 1 characters, so minn=0 means minn=1.
    table = SubwordTable(matrix[:n_words], matrix[n_words:], None,
                         (max(model.minn, 1), model.maxn), model.bucket)
    return VectorParts(words, None, model.counts, table)


def check_mapped_rows(matrix, words):
    """Raise a ValueError naming the file and the word or bucket if a row of the mapped
    input ``matrix`` holds NaN or infinity.

    The file is read in blocks of 4 MiB into one buffer, not through the map: the process
    keeps none of the pages, so its memory does not grow with the file.
    """
    n_words = len(words)
    path = matrix.filename

    def describe(row):
        if row < n_words:
            return f"{path}: the row of the word {words[row]!r} (input row {row})"
        return f"{path}: the row of n-gram bucket {row - n_words} (input row {row})"

    fix = ("fastText's vectors of the words using that row are broken as well: train or "
           "download the model again.")
    check_mapped_finite(matrix, describe, fix)


def check_word_vectors(path, words, vector_size, char_ngram_range, n_buckets) -> None:
    """Raise the error :func:`write_word_vectors` would raise for word vectors of these
    ``words`` (None: not known yet, only the sizes are checked) and settings; see
    ``registry.check_writable``."""
    path = os.fspath(path)
    if path.endswith(".gz"):
        raise ValueError(f"Cannot save {path} as a fastText model: the name ends in .gz, but "
                         "fastText .bin models are written uncompressed (fastText cannot read "
                         "gzipped ones). Give a name such as model.bin.")
    minn, maxn = (0, 0) if char_ngram_range is None else char_ngram_range
    bucket = 0 if char_ngram_range is None else n_buckets
    for name, value in (("the vector size", vector_size), ("the bucket count", bucket),
                        ("the longest n-gram (maxn)", maxn), ("minn", minn)):
        if value > _INT32_MAX:
            raise ValueError(f"Cannot write {path} as a fastText model: {name} is {value:,}, "
                             f"but the format stores it as a 32-bit int (at most "
                             f"{_INT32_MAX:,}).")
    if words is not None:
        words = check_words(path, words, "index_to_word")
        if len(words) + bucket > _INT32_MAX:
            raise ValueError(f"Cannot write {path} as a fastText model: {len(words):,} words "
                             f"and {bucket:,} buckets make more input rows than it holds "
                             f"({_INT32_MAX:,}).")


def write_word_vectors(path, wv) -> None:
    """Write the word vectors ``wv`` (a WordVectors) as a fastText model; see
    ``WordVectors.save``."""
    words = wv.index_to_word
    counts = wv.counts if wv.counts is not None else np.ones(len(words), dtype=np.int64)
    dim = wv.vector_size
    if wv.char_ngram_range is None:
        input_matrix, (minn, maxn), bucket = wv.vectors, (0, 0), 0
    else:
        input_matrix = InputRows(wv.vectors_vocab, wv.vectors_ngrams, wv.ngram_buckets)
        (minn, maxn), bucket = wv.char_ngram_range, wv.n_buckets
    # The output layer is not kept: zeros, a read-only view of one row (no memory).
    output_matrix = np.broadcast_to(np.zeros(dim, dtype=np.float32), (len(words), dim))
    model = FastTextModel(words=words, counts=counts, input_matrix=input_matrix,
                          output_matrix=output_matrix, dim=dim, bucket=bucket, minn=minn,
                          maxn=maxn, n_tokens=int(counts.sum()), **_FASTTEXT_DEFAULT_ARGS)
    write_fasttext_bin(path, model, words_name="index_to_word")
