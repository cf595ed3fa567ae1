"""skw2v's native format for big tables: a directory of ``.npy`` files that can be mapped.

::

    path/
        skw2v-npy.json       {"format": "skw2v-npy", "version": 1, "n_words", "vector_size",
                              "char_ngram_range", "n_buckets", "counts", "ngram_buckets"}
        words.json           the words, a JSON list of str, in row order
        vectors.npy          float32 (n_words, vector_size): plain vectors, or
        vectors_vocab.npy    float32 (n_words, vector_size): a subword model's own rows,
        vectors_ngrams.npy   float32 (n_rows, vector_size): its n-gram rows,
        ngram_buckets.npy    int64 (n_rows,): their buckets, when it holds only some
        counts.npy           int64 (n_words,), when the counts are known

The directory is written next to ``path`` under a temporary name and renamed into place, so
``path`` never holds a partial table; a directory it replaces must be one written here.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile

import numpy as np

from .. import _subwords
from .._subword_rows import SubwordTable
from .common import ReadOnlyMemmap, VectorParts, check_finite, check_mapped_finite

FORMAT_NAME = "skw2v-npy"
VERSION = 1
META = "skw2v-npy.json"
WORDS = "words.json"


def _describe_path(path):
    return f"{os.fspath(path)} (format='npy')"


def write_npy(path, wv) -> None:
    """Write ``wv`` (a WordVectors) as a directory of ``.npy`` files at ``path`` (replaced if
    it is one)."""
    path = os.path.abspath(os.fspath(path))
    if os.path.lexists(path) and not is_npy_directory(path):
        raise ValueError(f"Cannot save to {path} with format='npy': it exists and is not a "
                         "directory written by save(format='npy'); remove it or choose "
                         "another path.")
    parent, name = os.path.split(path)
    subwords = wv.char_ngram_range is not None
    arrays = {"vectors_vocab.npy": wv.vectors_vocab, "vectors_ngrams.npy": wv.vectors_ngrams
              } if subwords else {"vectors.npy": wv.vectors}
    if subwords and wv.ngram_buckets is not None:
        arrays["ngram_buckets.npy"] = wv.ngram_buckets.astype(np.int64)
    if wv.counts is not None:
        arrays["counts.npy"] = np.asarray(wv.counts, dtype=np.int64)
    meta = {"format": FORMAT_NAME, "version": VERSION, "n_words": len(wv),
            "vector_size": wv.vector_size,
            "char_ngram_range": list(wv.char_ngram_range) if subwords else None,
            "n_buckets": wv.n_buckets,
            "counts": wv.counts is not None,
            "ngram_buckets": subwords and wv.ngram_buckets is not None}
    temporary = tempfile.mkdtemp(prefix=f".{name}.", suffix=".tmp", dir=parent)
    try:
        with open(os.path.join(temporary, WORDS), "w", encoding="utf-8") as handle:
            json.dump(wv.index_to_word, handle, ensure_ascii=True)
        for file_name, array in arrays.items():
            with open(os.path.join(temporary, file_name), "wb") as handle:
                np.save(handle, _little_endian(array), allow_pickle=False)
        # The description last: a directory without it is not a table.
        with open(os.path.join(temporary, META), "w", encoding="utf-8") as handle:
            json.dump(meta, handle, indent=1)
        _swap_into_place(temporary, path)
    except BaseException:
        shutil.rmtree(temporary, ignore_errors=True)
        raise


def _little_endian(array):
    dtype = array.dtype.newbyteorder("<")
    return array if array.dtype == dtype else array.astype(dtype)


def is_npy_directory(path) -> bool:
    """Whether ``write_npy`` may replace ``path``: an empty directory or one it wrote (not a
    symbolic link)."""
    if not os.path.isdir(path) or os.path.islink(path):
        return False
    entries = os.listdir(path)
    return not entries or META in entries


def _swap_into_place(temporary, path):
    """Rename the directory ``temporary`` to ``path``, replacing an older table there."""
    if not os.path.lexists(path):
        os.rename(temporary, path)
        return
    parent, name = os.path.split(path)
    old = tempfile.mkdtemp(prefix=f".{name}.", suffix=".old", dir=parent)
    os.rmdir(old)
    os.rename(path, old)
    try:
        os.rename(temporary, path)
    except BaseException:
        os.rename(old, path)
        raise
    shutil.rmtree(old, ignore_errors=True)


# ------------------------------------------------------------------ reading
def _read_json(path, file_name, what):
    full = os.path.join(path, file_name)
    try:
        with open(full, encoding="utf-8") as handle:
            return json.load(handle)
    except FileNotFoundError:
        raise ValueError(f"{_describe_path(path)}: {file_name} is missing: not a directory "
                         "written by save(format='npy'), or an incomplete copy of one."
                         ) from None
    except (ValueError, UnicodeDecodeError) as error:
        raise ValueError(f"{full}: {what} is not valid JSON ({error}); the file is corrupt "
                         "or truncated: save the vectors again.") from None


def _check_meta(path, meta):
    def bad(message):
        return ValueError(f"{os.path.join(path, META)}: {message}; the file is corrupt or "
                          "was not written by save(format='npy').")

    if not isinstance(meta, dict) or meta.get("format") != FORMAT_NAME:
        raise bad(f"expected a JSON object with \"format\": \"{FORMAT_NAME}\"")
    if meta.get("version") != VERSION:
        raise ValueError(f"{os.path.join(path, META)}: version {meta.get('version')!r} of the "
                         f"npy format; this skw2v reads version {VERSION}. Upgrade skw2v.")
    for key in ("n_words", "vector_size"):
        value = meta.get(key)
        if not isinstance(value, int) or isinstance(value, bool) or value < 0:
            raise bad(f"{key} must be a non-negative int, got {value!r}")
    for key in ("counts", "ngram_buckets"):
        if not isinstance(meta.get(key), bool):
            raise bad(f"{key} must be true or false, got {meta.get(key)!r}")
    if meta.get("char_ngram_range") is not None:
        try:
            _subwords.check_ngram_range(tuple(meta["char_ngram_range"]))
        except (ValueError, TypeError) as error:
            raise bad(str(error)) from None
        n_buckets = meta.get("n_buckets")
        if not isinstance(n_buckets, int) or isinstance(n_buckets, bool) or n_buckets < 1:
            raise bad(f"n_buckets must be a positive int, got {n_buckets!r}")
    elif meta.get("ngram_buckets"):
        raise bad("ngram_buckets is true without char_ngram_range")


def _load_array(path, file_name, mmap, shape, kind):
    """The array of ``file_name``: ``shape`` (None: any length) and ``kind`` "f" (float32)
    or "i" (int64); mapped read-only with ``mmap``."""
    full = os.path.join(path, file_name)
    if not os.path.isfile(full):
        raise ValueError(f"{_describe_path(path)}: {file_name} is missing: the directory is "
                         "incomplete; save the vectors again.")
    try:
        array = np.load(full, mmap_mode="r" if mmap else None, allow_pickle=False)
    except (ValueError, EOFError, OSError) as error:
        if isinstance(error, OSError) and not isinstance(error, EOFError) and error.errno:
            raise
        raise ValueError(f"{full}: not a readable .npy array ({error}); the file is corrupt "
                         "or truncated: save the vectors again.") from None
    expected = array.dtype.kind in ("f" if kind == "f" else "iu")
    shape_ok = array.ndim == len(shape) and all(
        want is None or have == want for have, want in zip(array.shape, shape, strict=True))
    if not expected or not shape_ok:
        want = " x ".join("?" if n is None else str(n) for n in shape)
        raise ValueError(f"{full}: expected {'float' if kind == 'f' else 'int'} values of "
                         f"shape ({want}), found {array.dtype} of shape {array.shape}: the "
                         "files do not belong together; save the vectors again.")
    dtype = np.dtype(np.float32 if kind == "f" else np.int64)
    if mmap and array.dtype == dtype and array.flags.c_contiguous:
        return array  # the read-only map
    with np.errstate(over="ignore"):
        array = np.ascontiguousarray(array, dtype=dtype)
    return array


def read_npy(path, *, mmap=False) -> VectorParts:
    """The parts of the word vectors in the directory ``path`` written by
    :func:`write_npy`; its arrays mapped read-only with ``mmap``."""
    path = os.fspath(path)
    if not os.path.isdir(path):
        if not os.path.exists(path):
            raise FileNotFoundError(f"No such directory: {path!r}")
        raise ValueError(f"{_describe_path(path)} is a file: format='npy' reads the "
                         "directory that save(path, format='npy') writes.")
    meta = _read_json(path, META, "the description")
    _check_meta(path, meta)
    words = _read_json(path, WORDS, "the word list")
    n_words, dim = meta["n_words"], meta["vector_size"]
    if not isinstance(words, list) or len(words) != n_words:
        length = len(words) if isinstance(words, list) else type(words).__name__
        raise ValueError(f"{os.path.join(path, WORDS)}: expected a list of {n_words} words, "
                         f"found {length}: the files do not belong together; save the "
                         "vectors again.")
    counts = (_load_array(path, "counts.npy", False, (n_words,), "i") if meta["counts"]
              else None)
    words_file = os.path.join(path, WORDS)

    def check(array, file_name, describe):
        fix = "Save the vectors again from a sound copy."
        where = os.path.join(path, file_name)
        if isinstance(array, np.memmap):
            check_mapped_finite(array, lambda row: f"{where}: {describe(row)}", fix)
            return array.view(ReadOnlyMemmap)
        check_finite(array, lambda row: f"{where}: {describe(row)}", fix)
        array.setflags(write=False)
        return array

    def word_row(row):
        return f"the row of {words[row]!r} (row {row})"

    if meta["char_ngram_range"] is None:
        vectors = _load_array(path, "vectors.npy", mmap, (n_words, dim), "f")
        return VectorParts(words, check(vectors, "vectors.npy", word_row), counts,
                           words_file=words_file)
    n_buckets = meta["n_buckets"]
    ngram_buckets = None
    n_rows = n_buckets
    if meta["ngram_buckets"]:
        ngram_buckets = _load_array(path, "ngram_buckets.npy", False, (None,), "i")
        n_rows = ngram_buckets.shape[0]
        if n_rows and (ngram_buckets[0] < 0 or ngram_buckets[-1] >= n_buckets
                       or np.any(np.diff(ngram_buckets) <= 0)):
            raise ValueError(f"{os.path.join(path, 'ngram_buckets.npy')}: the buckets must be "
                             f"strictly increasing in [0, n_buckets={n_buckets}); the file is "
                             "corrupt: save the vectors again.")
    word_rows = _load_array(path, "vectors_vocab.npy", mmap, (n_words, dim), "f")
    ngram_rows = _load_array(path, "vectors_ngrams.npy", mmap, (n_rows, dim), "f")
    word_rows = check(word_rows, "vectors_vocab.npy", word_row)
    ngram_rows = check(ngram_rows, "vectors_ngrams.npy", lambda row: f"n-gram row {row}")
    table = SubwordTable(word_rows, ngram_rows, ngram_buckets,
                         tuple(meta["char_ngram_range"]), n_buckets)
    return VectorParts(words, None, counts, table, words_file)
