"""Reading and writing fastText *supervised* models (text classifiers): ``.bin`` and the
quantized ``.ftz``.

The file starts as an unsupervised model does (see :mod:`skw2v._io.fasttext_bin`): the
signature (version 12, or 11), the arguments with model type 3 (``sup``) and a meaningful
``wordNgrams``, then the dictionary, whose ``size`` entries are the ``nwords`` words (type 0)
followed by the ``nlabels`` labels (type 1, such as ``__label__en``). After the entries come
``pruneidx_size`` pairs of int32 ``(bucket, compact index)`` when quantization pruned the
dictionary (``pruneidx_size >= 0``; -1: not pruned).

Then uint8 ``quant_input`` and the input matrix:

- dense (``DenseMatrix::save``): int64 m, int64 n and m * n float32, one row per word, then
  one per bucket (``bucket`` rows);
- quantized (``QuantMatrix::save``): uint8 qnorm, int64 m, int64 n, int32 codesize, then
  ``codesize = m * nsubq`` uint8 codes (row-major, one per row and subquantizer), a product
  quantizer (``ProductQuantizer::save``: int32 dim, nsubq, dsub, lastdsub, then ``dim * 256``
  float32 centroids), and with qnorm, m uint8 norm codes and a second product quantizer
  (dim 1) of the row norms. The rows are one per word, then one per bucket, or, when the
  dictionary is pruned, one per kept bucket at its compact index.

The centroids of subquantizer ``q`` (``dsub`` columns; the last one ``lastdsub``) start at
float ``q * 256 * dsub``, 256 of them side by side. A row is the concatenation of the
centroids its codes select, times its norm (``QuantMatrix::addRowToVector``), computed here
in float32 as fastText does, so the dequantized rows are exactly the ones fastText adds.

Last, uint8 ``qout`` and the output matrix (one row per label; with the hs loss, the inner
nodes of the labels' Huffman tree): quantized when both ``quant_input`` and ``qout`` are set
(fastText ignores ``qout`` otherwise), else dense.

Every size the file announces is compared with the bytes that follow before anything is
allocated, and every problem is a ``ValueError`` naming the file and the byte offset. The
quantized matrices are dequantized into memory (their rows take ``4 * dsub`` times the bytes
of their codes); dense matrices are mapped read-only with ``mmap=True``.

Writing produces a plain (unquantized) version-12 ``.bin`` that fastText 0.9 loads, through a
temporary file renamed into place.
"""

from __future__ import annotations

import math
import numbers
import os
import struct
from typing import NamedTuple

import numpy as np

from .common import check_finite, write_atomically
from .fasttext_bin import (
    _ARGS,
    _CORRUPT,
    _DICTIONARY,
    _FLOAT32,
    _INT32_MAX,
    _INT64_MAX,
    _NOT_PRUNED,
    _SIGNATURE,
    _SUPERVISED,
    _TRUNCATED,
    LOSSES,
    MAGIC,
    MODELS,
    VERSION,
    InputRows,
    Reader,
    check_choice,
    check_counts,
    check_input_rows,
    check_int,
    check_matrix,
    check_signature,
    check_words,
    load_matrix,
    locate_dense_matrix,
    read_arguments,
    read_dictionary,
    read_dictionary_header,
    read_matrix_flag,
    write_entries,
    write_input_matrix,
    write_matrix,
)

__all__ = ["SupervisedFile", "read_supervised", "write_supervised"]

_QUANT_HEADER = struct.Struct("<Bqqi")  # qnorm, m, n, codesize
_PQ_HEADER = struct.Struct("<4i")  # dim, nsubq, dsub, lastdsub
_KSUB = 256  # centroids per subquantizer (8-bit codes)
_PAIR = np.dtype("<i4")


class SupervisedFile(NamedTuple):
    """A fastText supervised model as skw2v reads and writes it.

    Attributes
    ----------
    dim : int
        The vector size.
    word_ngrams : int
        fastText's ``wordNgrams``: the longest word n-grams hashed into the buckets.
    loss : {"softmax", "ns", "hs", "ova"}
        The loss function.
    negative : int
        fastText's ``neg``.
    bucket : int
        The size of the hash space of character n-grams and word n-grams.
    minn, maxn : int
        The shortest and longest character n-grams (``maxn=0``: none).
    epochs : int
        fastText's ``epoch``.
    min_count : int
        fastText's ``minCount``.
    lr_update_rate : int
        fastText's ``lrUpdateRate``.
    t : float
        The sampling threshold (unused by supervised training, but stored).
    window : int
        fastText's ``ws``.
    ntokens : int
        The number of tokens of the training corpus.
    words : list of str
        The dictionary words, in file order (includes ``"</s>"``).
    word_counts : ndarray of shape (nwords,), dtype int64
        The count of each word.
    labels : list of str
        The label entries exactly as stored (e.g. ``"__label__en"``), in file order.
    label_counts : ndarray of shape (nlabels,), dtype int64
        The count of each label.
    input_words : ndarray of shape (nwords, dim), dtype float32
        The input rows of the words.
    input_buckets : ndarray of shape (n_rows, dim), dtype float32
        The input rows of hash buckets.
    kept_buckets : ndarray of shape (n_rows,), dtype int64, or None
        Sorted ascending: ``input_buckets[i]`` is the row of bucket ``kept_buckets[i]``.
        None: every bucket ``0 .. bucket - 1``, in order.
    pruned : bool
        True when the file's dictionary was pruned (fastText's ``pruneidx``): a bucket not in
        ``kept_buckets`` is dropped from a document's features (fastText's ``pushHash``).
        False: a bucket without a row counts as a zero row.
    output : ndarray of shape (n_outputs, dim), dtype float32
        One row per label (softmax, ns, ova), or the inner nodes of fastText's Huffman tree
        (hs: ``nlabels`` rows, of which fastText uses rows ``0 .. nlabels - 2``).
    quantized : bool
        Whether the file held a product-quantized input matrix (``.ftz``).
    """

    dim: int
    word_ngrams: int
    loss: str
    negative: int
    bucket: int
    minn: int
    maxn: int
    epochs: int
    min_count: int
    lr_update_rate: int
    t: float
    window: int
    ntokens: int
    words: list[str]
    word_counts: np.ndarray
    labels: list[str]
    label_counts: np.ndarray
    input_words: np.ndarray
    input_buckets: np.ndarray
    kept_buckets: np.ndarray | None
    pruned: bool
    output: np.ndarray
    quantized: bool


# ---------------------------------------------------------------------------------------------
# Reading


def _read_bytes(reader, n_bytes, what):
    """``n_bytes`` bytes of the file, after checking that the file holds them."""
    offset = reader.offset
    remaining = reader.file_size - offset
    if n_bytes > remaining:
        raise ValueError(f"{reader.path}, byte offset {offset}: {what} takes {n_bytes} bytes, "
                         f"but only {remaining} bytes follow; {_TRUNCATED}.")
    data = reader.handle.read(n_bytes)
    if len(data) < n_bytes:  # pragma: no cover - the file shrank while being read
        raise ValueError(f"{reader.path}: the file ends at byte offset {offset + len(data)}, "
                         f"inside {what} (it changed while being read); {_TRUNCATED}.")
    return data


def _read_prune_index(reader, size, bucket):
    """``(kept_buckets, compact)``: the pruned dictionary's buckets sorted, and the compact
    index (the row among the bucket rows) of each."""
    offset = reader.offset
    pairs = np.frombuffer(_read_bytes(reader, 8 * size, f"the prune index ({size} pairs)"),
                          dtype=_PAIR).reshape(size, 2).astype(np.int64)
    order = np.argsort(pairs[:, 0], kind="stable")
    kept, compact = pairs[order, 0], pairs[order, 1]
    where = f"{reader.path}, byte offset {offset}"
    if size and (kept[0] < 0 or kept[-1] >= bucket):
        bad = kept[0] if kept[0] < 0 else kept[-1]
        raise ValueError(f"{where}: the prune index keeps bucket {bad}, but buckets are 0 to "
                         f"bucket - 1 = {bucket - 1}; {_CORRUPT}.")
    if np.any(np.diff(kept) == 0):
        bad = kept[1:][np.diff(kept) == 0][0]
        raise ValueError(f"{where}: the prune index lists bucket {bad} twice; {_CORRUPT}.")
    if not np.array_equal(np.sort(compact), np.arange(size)):
        raise ValueError(f"{where}: the compact indices of the prune index are not 0 to "
                         f"{size - 1}, each once; {_CORRUPT}.")
    return kept, compact


def _read_product_quantizer(reader, name, dim):
    """``(nsubq, dsub, lastdsub, centroids)`` of a product quantizer of ``dim`` columns."""
    path, offset = reader.path, reader.offset
    pq_dim, nsubq, dsub, lastdsub = reader.unpack(
        _PQ_HEADER, f"the header of the product quantizer of the {name} matrix")
    where = f"{path}, byte offset {offset}"
    if pq_dim != dim or dsub < 1:
        raise ValueError(f"{where}: the product quantizer of the {name} matrix has dim "
                         f"{pq_dim} and dsub {dsub}, but the matrix has {dim} columns "
                         f"(dsub >= 1 expected); {_CORRUPT}.")
    expected = (dim // dsub + (dim % dsub > 0), dim % dsub or dsub)
    if (nsubq, lastdsub) != expected:
        raise ValueError(f"{where}: the product quantizer of the {name} matrix has {nsubq} "
                         f"subquantizers, the last of {lastdsub} columns, but {dim} columns "
                         f"in groups of {dsub} make {expected[0]}, the last of {expected[1]}; "
                         f"{_CORRUPT}.")
    at = reader.offset
    data = _read_bytes(reader, dim * _KSUB * _FLOAT32.itemsize,
                       f"the {dim} x {_KSUB} centroids of the {name} matrix")
    centroids = np.frombuffer(data, dtype=_FLOAT32).astype(np.float32)
    if not np.isfinite(centroids).all():
        bad = int(np.flatnonzero(~np.isfinite(centroids))[0])
        raise ValueError(f"{path}, byte offset {at + 4 * bad}: a centroid of the {name} matrix "
                         f"is {centroids[bad]}; {_CORRUPT}.")
    return nsubq, dsub, lastdsub, centroids


def _dequantize(codes, centroids, dim, dsub, lastdsub, norms):
    """The rows that ``codes`` (m, nsubq) select: per subquantizer, a gather of its
    centroids (fastText's ``get_centroids`` layout), then times ``norms`` in float32."""
    m, nsubq = codes.shape
    rows = np.empty((m, dim), dtype=np.float32)
    for q in range(nsubq):
        width = lastdsub if q == nsubq - 1 else dsub
        start = q * _KSUB * dsub
        table = centroids[start:start + _KSUB * width].reshape(_KSUB, width)
        rows[:, q * dsub:q * dsub + width] = table[codes[:, q]]
    if norms is not None:
        rows *= norms[:, None]
    return rows


def _read_quantized_matrix(reader, name, rows, rows_meaning, dim):
    """Read a ``QuantMatrix`` (after its flag) and return its rows, dequantized."""
    path, offset = reader.path, reader.offset
    qnorm, m, n, codesize = reader.unpack(_QUANT_HEADER,
                                          f"the header of the quantized {name} matrix")
    where = f"{path}, byte offset {offset}"
    if qnorm > 1:
        raise ValueError(f"{where}: the norm flag of the quantized {name} matrix is {qnorm} "
                         f"(0 or 1 expected); {_CORRUPT}.")
    if n != dim:
        raise ValueError(f"{path}, byte offset {offset + 9}: the quantized {name} matrix has "
                         f"{n} columns, but the model's vector size (dim) is {dim}; "
                         f"{_CORRUPT}.")
    if m != rows:
        raise ValueError(f"{path}, byte offset {offset + 1}: the quantized {name} matrix has "
                         f"{m} rows, but {rows_meaning} is {rows}; {_CORRUPT}.")
    if codesize < 0:
        raise ValueError(f"{path}, byte offset {offset + 17}: the quantized {name} matrix "
                         f"announces {codesize} codes; {_CORRUPT}.")
    codes = _read_bytes(reader, codesize, f"the {codesize} codes of the {name} matrix")
    nsubq, dsub, lastdsub, centroids = _read_product_quantizer(reader, name, dim)
    if codesize != m * nsubq:
        raise ValueError(f"{path}, byte offset {offset + 17}: the quantized {name} matrix "
                         f"announces {codesize} codes, but {m} rows of {nsubq} subquantizers "
                         f"take {m * nsubq}; {_CORRUPT}.")
    norms = None
    if qnorm:
        norm_codes = np.frombuffer(_read_bytes(reader, m, f"the {m} norm codes of the {name} "
                                               "matrix"), dtype=np.uint8)
        _, _, _, norm_centroids = _read_product_quantizer(reader, f"{name} norms", 1)
        norms = norm_centroids[norm_codes]
    codes = np.frombuffer(codes, dtype=np.uint8).reshape(m, nsubq)
    matrix = _dequantize(codes, centroids, dim, dsub, lastdsub, norms)
    check_finite(matrix, lambda row: f"{path}: row {row} of the dequantized {name} matrix",
                 "The file is corrupt: download or quantize the model again.")
    return matrix


def _unsupervised_error(path, model_code):
    return ValueError(f"{path} is an unsupervised ({MODELS[model_code]}) word-vector fastText "
                      "model, not a classifier: load it with "
                      f"WordVectors.load({path!r}, format=\"fasttext\").")


def read_supervised(path, *, mmap=True) -> SupervisedFile:
    """Read a fastText supervised model: ``.bin``, or quantized ``.ftz``.

    Parameters
    ----------
    path : str or os.PathLike
        The model file, as written by fastText 0.9's ``save_model`` (format version 12 or
        11; for a version-11 supervised model ``maxn`` is read as 0, as fastText does).
    mmap : bool, default=True
        Return the dense matrices as read-only ``np.memmap`` views of the file; if False,
        read them into memory. Quantized matrices are always dequantized into memory.

    Returns
    -------
    SupervisedFile
        The arguments, dictionary and matrices. For a pruned dictionary, the bucket rows
        are reordered so that ``kept_buckets`` is sorted.

    Raises
    ------
    ValueError
        If the file is not a fastText model, has an unsupported version, is an unsupervised
        model, is truncated, announces inconsistent sizes or holds inconsistent data (an
        entry of the wrong type, a bad prune index or product quantizer, non-finite
        centroids, bytes after the output matrix), or holds a pruned dictionary without a
        quantized input matrix (which fastText refuses too). The message names the file and
        the byte offset or dictionary entry.
    FileNotFoundError, IsADirectoryError
        If ``path`` does not exist or is a directory.
    """
    if not isinstance(mmap, (bool, np.bool_)):
        raise TypeError(f"mmap must be True or False, got {mmap!r}.")
    path = os.fspath(path)
    with open(path, "rb") as handle:
        file_size = os.fstat(handle.fileno()).st_size
        reader = Reader(handle, path, file_size)
        version = check_signature(path, handle.read(_SIGNATURE.size))
        args = read_arguments(reader)
        if args["model_code"] != _SUPERVISED:
            raise _unsupervised_error(path, args["model_code"])
        if version == 11:  # fastText: old supervised models do not use char n-grams
            args["maxn"] = 0
        nwords, nlabels, ntokens, pruneidx_size = read_dictionary_header(reader,
                                                                         supervised=True)
        entries, counts = read_dictionary(reader, nwords + nlabels, nwords)
        pruned = pruneidx_size != _NOT_PRUNED
        dim, bucket = args["dim"], args["bucket"]
        kept = compact = None
        if pruned:
            kept, compact = _read_prune_index(reader, pruneidx_size, bucket)
        flag_at = reader.offset
        quantized = read_matrix_flag(reader, "input") == 1
        n_rows = nwords + (pruneidx_size if pruned else bucket)
        meaning = "nwords + pruned buckets" if pruned else "nwords + bucket"
        if quantized:
            input_matrix = _read_quantized_matrix(reader, "input", n_rows, meaning, dim)
        elif pruned:
            raise ValueError(f"{path}, byte offset {flag_at}: the dictionary is pruned, but "
                             "the input matrix is not quantized; fastText refuses such a file "
                             "(\"Invalid model file\"): download or quantize the model again.")
        else:
            input_at, input_shape = locate_dense_matrix(reader, "input", n_rows, meaning, dim)
        # fastText reads the output as dense unless the input is quantized too.
        quantized_output = read_matrix_flag(reader, "output") == 1 and quantized
        if quantized_output:
            output = _read_quantized_matrix(reader, "output", nlabels, "nlabels", dim)
        else:
            output_at, output_shape = locate_dense_matrix(reader, "output", nlabels, "nlabels",
                                                          dim)
        end = reader.offset
        if end != file_size:
            raise ValueError(f"{path}: {file_size - end} bytes follow the output matrix (from "
                             f"byte offset {end}); {_CORRUPT}, or is not a single fastText "
                             "model.")
        if not quantized:
            input_matrix = load_matrix(handle, path, input_at, input_shape, mmap)
        if not quantized_output:
            output = load_matrix(handle, path, output_at, output_shape, mmap)
    input_buckets = input_matrix[nwords:]
    if pruned:
        input_buckets = input_buckets[compact]
    return SupervisedFile(
        dim=dim, word_ngrams=args["word_ngrams"], loss=args["loss"],
        negative=args["negative"], bucket=bucket, minn=args["minn"], maxn=args["maxn"],
        epochs=args["epochs"], min_count=args["min_count"],
        lr_update_rate=args["lr_update_rate"], t=args["sample"], window=args["window"],
        ntokens=ntokens, words=entries[:nwords], word_counts=counts[:nwords],
        labels=entries[nwords:], label_counts=counts[nwords:],
        input_words=input_matrix[:nwords], input_buckets=input_buckets, kept_buckets=kept,
        pruned=pruned, output=output, quantized=quantized)


# ---------------------------------------------------------------------------------------------
# Writing


def _check_bool(path, model, field):
    value = getattr(model, field)
    if not isinstance(value, (bool, np.bool_)):
        raise TypeError(f"Cannot write {path}: model.{field} must be True or False, got "
                        f"{value!r}.")
    return bool(value)


def _checked_fields(path, model):
    """The model's fields, checked and converted for writing."""
    if not isinstance(model, SupervisedFile):
        raise TypeError(f"Cannot write {path}: model must be a SupervisedFile, got "
                        f"{type(model).__name__}.")
    if _check_bool(path, model, "pruned"):
        raise ValueError(f"Cannot write {path}: the model is pruned (pruned=True: buckets "
                         "without a row are dropped from a document's features), which only a "
                         "quantized fastText file (.ftz) can hold; fastText refuses a pruned "
                         "dictionary with an unquantized input matrix, and skw2v writes "
                         "unquantized .bin files only. Keep the .ftz file, or give "
                         "pruned=False to write the buckets without a row as zero rows (which "
                         "changes the predictions: those buckets then count in the mean).")
    _check_bool(path, model, "quantized")
    ints = {field: check_int(path, model, field)
            for field in ("word_ngrams", "negative", "bucket", "minn", "maxn", "epochs",
                          "min_count", "lr_update_rate", "window")}
    dim = check_int(path, model, "dim", low=1)
    ntokens = check_int(path, model, "ntokens", high=_INT64_MAX)
    loss = check_choice(path, model, "loss", tuple(LOSSES.values()))
    t = model.t
    if (isinstance(t, (bool, np.bool_)) or not isinstance(t, numbers.Real)
            or not (math.isfinite(t) and t >= 0)):
        raise ValueError(f"Cannot write {path}: model.t is {t!r}; it must be a finite number "
                         ">= 0.")
    words = check_words(path, model.words, "model.words")
    labels = check_words(path, model.labels, "model.labels")
    common = set(words).intersection(labels)
    if common:
        raise ValueError(f"Cannot write {path}: {min(common).decode('utf-8')!r} is both in "
                         "model.words and in model.labels; fastText's dictionary holds each "
                         "entry once: rename the label (e.g. with the prefix '__label__').")
    nwords, nlabels, bucket = len(words), len(labels), ints["bucket"]
    if nwords + bucket > _INT32_MAX or nwords + nlabels > _INT32_MAX:
        raise ValueError(f"Cannot write {path}: {nwords} words, {nlabels} labels and {bucket} "
                         f"buckets; fastText holds at most {_INT32_MAX} input rows "
                         "(nwords + bucket) and dictionary entries (nwords + nlabels).")
    word_counts = check_counts(path, model.word_counts, nwords, "model.word_counts")
    label_counts = check_counts(path, model.label_counts, nlabels, "model.label_counts",
                                "label")
    parts = InputRows(model.input_words, model.input_buckets, model.kept_buckets)
    input_rows = check_input_rows(path, parts, nwords, bucket, dim,
                                  ("input_words", "input_buckets", "kept_buckets"))
    output = check_matrix(path, model.output, "output", (nlabels, dim), "one row per label")
    args = _ARGS.pack(dim, ints["window"], ints["epochs"], ints["min_count"], ints["negative"],
                      ints["word_ngrams"], next(c for c, v in LOSSES.items() if v == loss),
                      _SUPERVISED, bucket, ints["minn"], ints["maxn"], ints["lr_update_rate"],
                      float(t))
    return args, words, word_counts, labels, label_counts, ntokens, input_rows, output, bucket


def _write(handle, fields):
    args, words, word_counts, labels, label_counts, ntokens, input_rows, output, bucket = fields
    handle.write(_SIGNATURE.pack(MAGIC, VERSION))
    handle.write(args)
    handle.write(_DICTIONARY.pack(len(words) + len(labels), len(words), len(labels), ntokens,
                                  _NOT_PRUNED))
    write_entries(handle, words, word_counts, 0)
    write_entries(handle, labels, label_counts, 1)
    write_input_matrix(handle, input_rows, bucket)  # after quant_input = 0
    write_matrix(handle, output)  # after qout = 0


def write_supervised(path, model: SupervisedFile) -> None:
    """Write ``model`` as a plain (unquantized) fastText supervised ``.bin`` (version 12).

    fastText 0.9 (``fasttext.load_model``) loads the file. Everything is checked before the
    file is created; the model is written to a temporary file in the target's directory,
    then renamed, so ``path`` never holds a partial model.

    Parameters
    ----------
    path : str or os.PathLike
        The file to write; replaced if it exists.
    model : SupervisedFile
        The model. Its matrices may be of any real dtype; they are stored as float32. With
        ``kept_buckets``, all ``bucket`` rows are written, block by block, zero rows for the
        buckets without a row (nothing of ``bucket x dim`` is assembled in memory).
        ``quantized`` is ignored: the input rows are written as they are.

    Raises
    ------
    ValueError
        If a field cannot be written, naming it: ``pruned=True`` (fastText reads a pruned
        dictionary only with a quantized input matrix); a word or label that is empty, holds
        whitespace or NUL, or occurs twice (also as both a word and a label); a negative
        count; a matrix whose shape does not match the words, labels, ``bucket`` and ``dim``
        or that holds NaN or infinity (also after conversion to float32); kept buckets out of
        range or not strictly increasing; an unknown ``loss``; an integer beyond fastText's
        int32 limits.
    TypeError
        If ``model`` is not a SupervisedFile, or a field has the wrong type.
    """
    path = os.fspath(path)
    fields = _checked_fields(path, model)
    write_atomically(path, lambda handle: _write(handle, fields))
