"""Reading and writing word vectors in the word2vec text and binary formats and GloVe's.

Files are read once, line by line (text) or in 1 MiB chunks (binary), into a float32 array
that grows (doubling, from about 1 MiB) as rows are actually read and is trimmed in place at
the end, so memory follows what the file holds, whatever its header announces, and never
holds the whole file. gzip files are recognised by their first two bytes. Every problem is a
``ValueError`` naming the file and the line (text) or byte offset (binary; in the
decompressed data for gzip files).
"""

from __future__ import annotations

import codecs
import contextlib
import gzip
import os
import re
import zlib

import numpy as np

from .common import GZIP_MAGIC, check_finite, open_binary, write_atomically

#: The formats of this module; GloVe's is word2vec's text format without the header.
WORD2VEC_FORMATS = ("word2vec", "word2vec-binary", "glove")
DUPLICATES = ("error", "first", "last")

_GZIP_MAX_RATIO = 1032  # deflate never expands data more than this
_MAX_HEADER_BYTES = 1024
_CHUNK_BYTES = 1 << 20
_INITIAL_TABLE_BYTES = 1 << 20  # first allocation of a table, before it doubles
_ROWS_PER_WRITE = 1024
_PRINTABLE = bytes(range(0x20, 0x7F)) + b"\t\r\n"
_FIELD_SEPARATORS = re.compile(r"[ \t\n\r\v\f]")


def check_format(format: str) -> None:
    if format not in WORD2VEC_FORMATS:
        raise ValueError(f"format must be one of {', '.join(map(repr, WORD2VEC_FORMATS))}; "
                         f"got {format!r}.")


def _max_bytes(path) -> int:
    """An upper bound on the number of bytes that reading ``path`` can yield."""
    size = os.path.getsize(path)
    with open(path, "rb") as handle:
        return size * _GZIP_MAX_RATIO if handle.read(2) == GZIP_MAGIC else size


def _check_options(limit, encoding, unicode_errors, duplicates):
    if limit is not None and (not isinstance(limit, (int, np.integer))
                              or isinstance(limit, bool) or limit < 1):
        raise ValueError(f"limit must be a positive int or None, got {limit!r}.")
    try:
        codecs.lookup(encoding)
    except (LookupError, TypeError):
        raise ValueError(f"Unknown encoding {encoding!r}.") from None
    try:
        codecs.lookup_error(unicode_errors)
    except (LookupError, TypeError):
        raise ValueError(f"unicode_errors must be an error handler such as 'strict', "
                         f"'replace' or 'ignore'; got {unicode_errors!r}.") from None
    if duplicates not in DUPLICATES:
        raise ValueError(f"duplicates must be one of {', '.join(map(repr, DUPLICATES))}; got "
                         f"{duplicates!r}.")


class _Table:
    """Words and their rows in an array grown as rows come, with the duplicates policy applied.

    The array starts empty and doubles when full (from about ``_INITIAL_TABLE_BYTES``, at
    most to ``max_rows``), in place where the allocator can (``ndarray.resize``): nobody else
    holds it, so no second copy is kept. Memory thus stays within twice what was read.
    """

    def __init__(self, path, dim, duplicates, where, max_rows=None):
        self.path, self.duplicates, self.where = path, duplicates, where
        self.max_rows = max_rows
        self.vectors = np.empty((0, dim), dtype=np.float32)
        self.positions = np.empty(0, dtype=np.int64)  # line or offset of each row
        self.words: list[str] = []
        self.rows: dict[str, int] = {}

    def _grow(self):
        rows, dim = self.vectors.shape
        capacity = max(2 * rows, _INITIAL_TABLE_BYTES // (4 * dim), 1)
        if self.max_rows is not None:
            capacity = max(min(capacity, self.max_rows), rows + 1)
        self.vectors.resize((capacity, dim), refcheck=False)
        self.positions.resize(capacity, refcheck=False)

    def add(self, word, vector, position):
        row = self.rows.get(word)
        if row is None:
            row = len(self.words)
            if row == len(self.vectors):
                self._grow()
            self.rows[word] = row
            self.words.append(word)
            self.positions[row] = position
        elif self.duplicates == "error":
            raise ValueError(
                f"{self.path}, {self.where} {position}: the word {word!r} occurs again (first "
                f"at {self.where} {self.positions[row]}). Pass duplicates='first' or 'last' "
                "to keep one of its vectors."
            )
        elif self.duplicates == "first":
            return
        else:
            self.positions[row] = position
        self.vectors[row] = vector

    def result(self):
        """The words and their vectors, the array trimmed to them (in place, not copied)."""
        vectors, self.vectors = self.vectors, None
        vectors.resize((len(self.words), vectors.shape[1]), refcheck=False)
        check_finite(vectors, lambda row: f"{self.path}, {self.where} {self.positions[row]}: "
                     f"the vector of {self.words[row]!r}",
                     "Repair or remove that entry of the file.")
        return self.words, vectors


def _show(data: bytes) -> str:
    """A short readable repr of some bytes of the file, for error messages."""
    return repr(data[:60].decode("utf-8", "backslashreplace"))


def _decode_word(raw, encoding, unicode_errors, describe):
    try:
        word = raw.decode(encoding, unicode_errors)
    except UnicodeDecodeError as error:
        raise ValueError(
            f"{describe(error.start)}: the word is not valid {encoding} ({error.reason}). "
            "Pass the right encoding, or unicode_errors='replace' or 'ignore'."
        ) from None
    if not word:
        raise ValueError(f"{describe(0)}: the word is empty.")
    return word


def _read_header(handle, path, format):
    raw = handle.readline(_MAX_HEADER_BYTES)
    if not raw:
        raise ValueError(f"{path} is empty.")
    line = raw[len(codecs.BOM_UTF8):] if raw.startswith(codecs.BOM_UTF8) else raw
    fields = line.split()
    if len(fields) != 2 or not all(f.isdigit() for f in fields) or int(fields[1]) < 1:
        hint = ""
        if len(fields) > 2:
            hint = " It looks like a file without a header: use format='glove'."
        elif format == "word2vec" and not line.isascii():
            hint = " It may be a binary file: use format='word2vec-binary'."
        raise ValueError(f"{path}, line 1: expected the header 'n_words vector_size' of the "
                         f"{format} format, got {_show(line)}.{hint}")
    return int(fields[0]), int(fields[1]), len(raw)


def _numbers(fields):
    """The fields as a float32 vector, or None if one is not a number."""
    try:
        return np.array(fields, dtype=np.float32)
    except ValueError:
        return None


def _parse_text_row(line, line_no, dim, path, encoding, unicode_errors):
    """The word and vector of a text row.

    The word ends at the first space, as gensim reads it, and the numbers are separated by
    any whitespace. If the word would then hold a tab and everything after its first tab is
    numbers, the row is tab-separated and the word ends at that tab, unless ``dim`` is known
    and only the space gives ``dim`` numbers. The C tool ends words at tabs and ``save``
    refuses them, while a word holding a tab and text that gensim wrote reads as in gensim.
    """
    raw_word, _, rest = line.partition(b" ")
    fields, vector = rest.split(), None
    if b"\t" in raw_word:
        tab_word, _, tab_rest = line.partition(b"\t")
        tab_fields = tab_rest.split()
        tab_vector = _numbers(tab_fields) if tab_fields else None
        if tab_vector is not None and (dim is None or len(tab_fields) == dim
                                       or len(fields) != dim):
            raw_word, fields, vector = tab_word, tab_fields, tab_vector
    where = f"{path}, line {line_no}"
    if dim is not None and len(fields) != dim:
        raise ValueError(f"{where}: expected a word and {dim} numbers, found "
                         f"{len(fields)} numbers.")
    if not fields:
        raise ValueError(f"{where}: expected a word followed by numbers, got {_show(line)}.")
    if vector is None:
        vector = _numbers(fields)
    if vector is None:
        bad = next((f for f in fields if not _is_number(f)), fields[0])
        hint = "" if bad.isascii() else " (binary data? use format='word2vec-binary')"
        raise ValueError(f"{where}: {_show(bad)} is not a number{hint}.")
    word = _decode_word(raw_word, encoding, unicode_errors,
                        lambda byte: f"{where}, byte {byte + 1}")
    return word, vector


def _is_number(field):
    try:
        float(field)
    except ValueError:
        return False
    return True


def _read_text(path, format, limit, encoding, unicode_errors, duplicates):
    header = format == "word2vec"
    with open_binary(path) as handle:
        if header:
            announced, dim, header_bytes = _read_header(handle, path, format)
            wanted = announced if limit is None else min(announced, limit)
            bound = (_max_bytes(path) - header_bytes) // (2 * dim + 1) + 1
            table = _Table(path, dim, duplicates, "line", max_rows=min(wanted, bound))
        else:
            wanted, dim, table = limit, None, None
        first_line = 2 if header else 1
        line_no, read = first_line - 1, 0
        for line_no, line in enumerate(handle, start=first_line):
            line = line.rstrip()
            if line_no == 1 and line.startswith(codecs.BOM_UTF8):
                line = line[len(codecs.BOM_UTF8):]
            if not line:
                continue
            if read == wanted:
                if limit is not None and read == limit:
                    break
                raise ValueError(f"{path}, line {line_no}: the header announces {announced} "
                                 "words, but the file holds more.")
            word, vector = _parse_text_row(line, line_no, dim, path, encoding, unicode_errors)
            if table is None:
                if re.fullmatch(rb"\d+[ \t]+\d+", line):
                    raise ValueError(f"{path}, line {line_no} looks like the header "
                                     "'n_words vector_size': use format='word2vec'.")
                dim = len(vector)
                table = _Table(path, dim, duplicates, "line", max_rows=limit)
            table.add(word, vector, line_no)
            read += 1
    if table is None:
        raise ValueError(f"{path} is empty.")
    if header and read < wanted:
        raise ValueError(f"{path}: the header announces {announced} words, but the file "
                         f"holds only {read} (it ends at line {line_no}).")
    return table.result()


class _ByteReader:
    """Records of a binary stream read in chunks, with the absolute offset of the next byte.

    A word may be of any length (gensim and ``save`` write any): the unread bytes grow,
    doubling, until a space ends it, so the memory held follows the longest record.
    """

    def __init__(self, handle, offset):
        self.handle = handle
        self.buffer, self.position = b"", 0  # the next unread byte is buffer[position]
        self.base = offset  # offset in the data of buffer[0]

    @property
    def offset(self):
        return self.base + self.position

    def _more(self):
        """Append at least a chunk (and as many bytes as are unread) to the unread bytes;
        False at the end of the data."""
        unread = len(self.buffer) - self.position
        chunk = self.handle.read(max(_CHUNK_BYTES, unread))
        if not chunk:
            return False
        self.base += self.position
        self.buffer = self.buffer[self.position:] + chunk
        self.position = 0
        return True

    def skip(self, whitespace):
        """Pass the bytes in ``whitespace``; return whether any data follows."""
        while True:
            while (self.position < len(self.buffer)
                   and self.buffer[self.position] in whitespace):
                self.position += 1
            if self.position < len(self.buffer):
                return True
            if not self._more():
                return False

    def record(self, vector_bytes):
        """(offset, word bytes, vector bytes) of the next record, after any newlines.

        The word is None at the end of the data; the vector is None when no space ends the
        word (the word is then its first bytes), and shorter than ``vector_bytes`` when the
        data ends inside it.
        """
        if not self.skip(b"\n"):
            return self.offset, None, None
        start = self.offset
        searched = 0  # unread bytes known to hold no space
        while (space := self.buffer.find(b" ", self.position + searched)) < 0:
            searched = len(self.buffer) - self.position
            if not self._more():
                return start, self.buffer[self.position:self.position + 60], None
        word_bytes = space - self.position
        while (len(self.buffer) - self.position < word_bytes + 1 + vector_bytes
               and self._more()):
            pass
        begin = self.position + word_bytes + 1
        word = self.buffer[self.position:self.position + word_bytes]
        vector = self.buffer[begin:begin + vector_bytes]
        self.position = begin + len(vector)
        return start, word, vector


def _read_binary(path, limit, encoding, unicode_errors, duplicates):
    with open_binary(path) as handle:
        announced, dim, header_bytes = _read_header(handle, path, "word2vec-binary")
        wanted = announced if limit is None else min(announced, limit)
        bound = (_max_bytes(path) - header_bytes) // (4 * dim + 2) + 1
        table = _Table(path, dim, duplicates, "byte offset", max_rows=min(wanted, bound))
        reader = _ByteReader(handle, header_bytes)
        for index in range(wanted):
            start, raw_word, data = reader.record(4 * dim)
            if raw_word is None:
                raise ValueError(f"{path}: the header announces {announced} words, but the "
                                 f"file holds only {index} (it ends at byte offset {start}).")
            if data is None:
                raise ValueError(f"{path}, byte offset {start}: no space ends word "
                                 f"{index + 1} of {announced}: the file is truncated or not "
                                 "in the word2vec binary format.")
            word = _decode_word(raw_word, encoding, unicode_errors,
                                lambda byte, start=start: f"{path}, byte offset {start + byte}")
            if len(data) < 4 * dim:
                raise ValueError(f"{path}, byte offset {start}: the file ends inside the "
                                 f"vector of {word!r} (word {index + 1} of {announced}), "
                                 f"after {len(data)} of its {4 * dim} bytes.")
            if index == 0 and _looks_like_text(data):
                raise ValueError(f"{path}, byte offset {start}: the vector of {word!r} is text,"
                                 " not float32 bytes: use format='word2vec'.")
            table.add(word, np.frombuffer(data, dtype="<f4"), start)
        if limit is None or limit > announced:
            if reader.skip(b" \t\r\n"):
                raise ValueError(f"{path}, byte offset {reader.offset}: the header announces "
                                 f"{announced} words, but the file holds more data.")
    return table.result()


def _looks_like_text(data):
    """Whether the bytes of a binary vector are rather the numbers of a text file."""
    if data.translate(None, _PRINTABLE):
        return False
    fields = data.split()
    return bool(fields) and _is_number(fields[0])


def read_vectors(path, format="word2vec", *, limit=None, encoding="utf-8",
                 unicode_errors="strict", duplicates="error"):
    """Words (list of str) and vectors (float32 array) of a file; see ``WordVectors.load``."""
    check_format(format)
    _check_options(limit, encoding, unicode_errors, duplicates)
    path = os.fspath(path)
    try:
        # A number beyond the float32 range becomes infinity, which _check_finite reports.
        with np.errstate(over="ignore"):
            if format == "word2vec-binary":
                return _read_binary(path, limit, encoding, unicode_errors, duplicates)
            return _read_text(path, format, limit, encoding, unicode_errors, duplicates)
    except (EOFError, zlib.error, gzip.BadGzipFile) as error:
        raise ValueError(f"{path}: the gzip data is corrupt or truncated ({error}).") from None


def check_words(words, format):
    """Raise a ValueError for a word that the file format cannot hold: empty, holding
    whitespace (which separates fields), or not encodable as UTF-8 (a lone surrogate)."""
    check_format(format)
    for row, word in enumerate(words):
        if not word:
            raise ValueError(f"Cannot save the empty word (row {row}).")
        space = _FIELD_SEPARATORS.search(word)
        if space:
            raise ValueError(f"Cannot save the word {word!r} (row {row}): it contains the "
                             f"whitespace {space.group()!r}, which separates fields in the "
                             f"{format} format.")
        try:
            word.encode("utf-8")
        except UnicodeEncodeError as error:
            raise ValueError(f"Cannot save the word {word!r} (row {row}): it cannot be "
                             f"encoded as UTF-8 ({error.reason}).") from None


def check_savable(words, vectors, format):
    """Raise a ValueError for a word or vector that the file format cannot hold."""
    check_words(words, format)
    check_finite(vectors, lambda row: f"Cannot save: the vector of {words[row]!r} (row {row})",
                 "Repair or remove that row.")


def write_vectors(path, words, vectors, format="word2vec"):
    """Write words and vectors; a path ending in ``.gz`` is gzip-compressed.

    The file is written atomically (:func:`~skw2v._io.common.write_atomically`): a failed
    write (a full disk, an interruption) leaves no partial file, which could pass for a
    smaller one (a GloVe file has no header to tell), and an existing file as it was.
    """
    check_savable(words, vectors, format)
    path = os.fspath(path)
    n_words, dim = vectors.shape

    def write(raw):
        handle = (gzip.GzipFile(filename=os.path.basename(path), fileobj=raw, mode="wb")
                  if path.endswith(".gz") else raw)
        with handle if handle is not raw else contextlib.nullcontext():
            if format != "glove":
                handle.write(f"{n_words} {dim}\n".encode())
            for start in range(0, n_words, _ROWS_PER_WRITE):
                stop = start + _ROWS_PER_WRITE
                rows = zip(words[start:stop], vectors[start:stop], strict=True)
                if format == "word2vec-binary":
                    chunk = b"".join(word.encode("utf-8") + b" " + row.astype("<f4").tobytes()
                                     + b"\n" for word, row in rows)
                else:
                    # str() of a float32 is the shortest text that reads back to the same
                    # bits, as gensim writes it.
                    chunk = "".join(f"{word} {' '.join(map(str, row))}\n"
                                    for word, row in rows).encode("utf-8")
                handle.write(chunk)

    write_atomically(path, write)
