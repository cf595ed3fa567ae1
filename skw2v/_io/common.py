"""What the formats share: opening (gzip-compressed) files, writing a file atomically, the
finiteness checks, the read-only memory map of a loaded file, and the parts a reader hands to
``WordVectors``."""

from __future__ import annotations

import contextlib
import gzip
import os
import stat
from typing import NamedTuple

import numpy as np

from .._subword_rows import SubwordTable

GZIP_MAGIC = b"\x1f\x8b"
_ROWS_PER_CHECK = 1024


class VectorParts(NamedTuple):
    """What a reader returns and ``WordVectors._from_parts`` builds: checked arrays that
    nobody else holds (or read-only maps), handed over without a copy.

    Attributes
    ----------
    words : list of str
        The words, one per row.
    vectors : ndarray of shape (n_words, vector_size), dtype float32, or None
        Plain word vectors, C-contiguous; None for a subword model.
    counts : ndarray of shape (n_words,), dtype int64, or None
        The corpus counts, when known.
    subwords : SubwordTable or None
        The rows of a subword model.
    words_file : str or None
        The file holding the words, named in the error for a word ``WordVectors`` refuses
        (None: the error is raised as it is).
    """

    words: list
    vectors: np.ndarray | None
    counts: np.ndarray | None = None
    subwords: SubwordTable | None = None
    words_file: str | None = None


def open_binary(path):
    """Open ``path`` for reading bytes, decompressing it if it starts with the gzip magic."""
    with open(path, "rb") as handle:
        magic = handle.read(2)
    return gzip.open(path, "rb") if magic == GZIP_MAGIC else open(path, "rb")


def write_atomically(path, write):
    """Call ``write(handle)`` on a new temporary file next to ``path`` (its binary handle), then
    rename it to ``path``: the one way every writer of the package writes a file.

    ``path`` never holds a partial file, and a file already there survives any failure (a
    full disk, an interruption): the temporary file is removed and an ``OSError`` says which
    file could not be written and why. A symbolic link keeps pointing where it did (the file
    it points to is replaced), a replaced file keeps its permissions, and a ``path`` that is
    neither a regular file nor new (a FIFO, ``/dev/stdout``) is written in place.
    """
    path = os.fspath(path)
    target = os.path.realpath(path)
    existing = os.stat(target) if os.path.exists(target) else None
    if existing is not None and not stat.S_ISREG(existing.st_mode):
        with open(target, "wb") as handle:
            write(handle)
        return
    try:
        handle, temporary = _create_temporary(target)
    except OSError as error:
        raise _write_error(error, path, existing) from error
    try:
        with handle:
            write(handle)
            handle.flush()
            os.fsync(handle.fileno())
        if existing is not None:
            os.chmod(temporary, stat.S_IMODE(existing.st_mode))
        os.replace(temporary, target)
    except BaseException as error:
        with contextlib.suppress(OSError):
            os.remove(temporary)
        if isinstance(error, OSError):
            raise _write_error(error, path, existing) from error
        raise


def _create_temporary(path):
    """A new file next to ``path`` (created with the usual permissions) and its name."""
    directory, name = os.path.split(path)
    for _ in range(100):
        temporary = os.path.join(directory, f".{name}.{os.urandom(6).hex()}.tmp")
        try:
            descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
        except FileExistsError:
            continue
        return os.fdopen(descriptor, "wb"), temporary
    raise FileExistsError(f"Cannot create a temporary file next to {path}.")


def _write_error(error, path, existing):
    """The OSError of a failed write of ``path``: which file, why, and that nothing changed."""
    kept = (f"; the existing {path} is unchanged" if existing is not None
            else "; nothing was written")
    return type(error)(error.errno, f"Cannot write {path}: {error.strerror or error}{kept}")


def check_finite(vectors, describe, fix):
    """Raise a ValueError if a row of the 2-D ``vectors`` holds NaN or infinity.

    The one finiteness check of the package (load, save, ``WordVectors`` and its queries):
    ``describe(row)`` names the row, for example "The vector of 'king' (row 3)", and ``fix``
    says what to do.
    """
    row = _first_non_finite(vectors)
    if row is not None:
        bad = vectors[row][~np.isfinite(vectors[row])][0]
        raise ValueError(f"{describe(row)} holds {bad} (NaN, infinity, or a number beyond the "
                         f"float32 range); such vectors are rejected. {fix}")


#: The block read at a time by :func:`check_mapped_finite`.
CHECK_BYTES = 1 << 22


def check_mapped_finite(matrix, describe, fix):
    """:func:`check_finite` of the rows of a 2-D ``np.memmap`` without mapping its pages:
    the file is read in blocks of 4 MiB into one buffer, so the process keeps none of the
    pages and its memory does not grow with the file."""
    rows, dim = matrix.shape
    if not rows or not dim:
        return
    block_rows = max(1, CHECK_BYTES // (dim * matrix.dtype.itemsize))
    buffer = np.empty((min(block_rows, rows), dim), dtype=matrix.dtype)
    raw = memoryview(buffer).cast("B")
    path = matrix.filename
    with open(path, "rb", buffering=0) as handle:
        handle.seek(matrix.offset)
        for start in range(0, rows, block_rows):
            count = min(block_rows, rows - start)
            wanted, done = count * dim * matrix.dtype.itemsize, 0
            while done < wanted:
                read = handle.readinto(raw[done:wanted])
                if not read:
                    raise ValueError(f"{path}: the file ends inside its array (it changed "
                                     "while being read); copy or write it again.")
                done += read
            block = buffer[:count]
            if not np.isfinite(block).all():  # the fast test; then find the row
                check_finite(block, lambda row, start=start: describe(start + row), fix)


def _first_non_finite(vectors):
    """The first row holding NaN or infinity, or None; checked in blocks to save memory."""
    for start in range(0, len(vectors), _ROWS_PER_CHECK):
        finite = np.isfinite(vectors[start:start + _ROWS_PER_CHECK]).all(axis=1)
        if not finite.all():
            return start + int(np.argmin(finite))
    return None


class ReadOnlyMemmap(np.memmap):
    """A read-only ``np.memmap`` of a loaded model's file that copies share: a deep copy
    (scikit-learn's ``clone`` of an estimator with ``init=`` these vectors) returns the same
    map, since nobody can change it, and pickling pickles a plain ``np.memmap`` of it (by
    value with ``pickle``, by reference to the file with joblib's pickler). Results of
    computations are plain arrays, and its repr is that of an ``np.memmap``."""

    def __deepcopy__(self, memo):
        if self._mmap is not None and not self.flags.writeable:
            return self
        return np.array(self, copy=True)

    def __reduce_ex__(self, protocol):
        return _as_is, (self.view(np.memmap),)

    def __array_wrap__(self, array, *args, **kwargs):
        array = super().__array_wrap__(array, *args, **kwargs)
        if isinstance(array, ReadOnlyMemmap) and array._mmap is None:
            return array.view(np.ndarray)
        return array

    def __repr__(self):
        return repr(self.view(np.memmap))


def _as_is(value):
    return value
