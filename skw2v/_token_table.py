"""Whitespace tokenizing and token ids without a Python object per token.

A token pattern of runs of non-whitespace characters (``\\S+``: ``str.split()``) needs no
regular expression: a batch of documents is encoded to UTF-8 once, and Numba kernels
(:mod:`skw2v._kernels_tokens`) split it and give each token an id from a hash table. Fit uses
it to encode a corpus (ids in order of first appearance, as the dict of
:class:`skw2v._corpus.EncodedCorpus` gives them), a classifier's prediction to map a batch's
tokens to its vocabulary. The tokens are the same as ``analyzer(document)``'s (tested).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from . import _kernels_tokens as kernels
from ._subwords import utf8

#: The token pattern that splits text as fastText does: on space, tab, newline, vertical tab,
#: form feed, carriage return and NUL (``Dictionary::readWord``).
FASTTEXT_TOKEN_PATTERN = r"[^ \t\n\v\f\r\x00]+"
#: Token patterns that are runs of characters other than Python's whitespace:
#: ``str.split()``.
UNICODE_SPLIT_PATTERNS = frozenset({r"\S+", r"(?u)\S+"})


@dataclass(frozen=True)
class SplitRule:
    """How an analyzer that splits on whitespace makes a document's tokens: lowercase it
    first or not, split on Python's whitespace (``unicode_spaces``, ``str.split()``) or on
    fastText's, and append ``end_token`` (fastText's ``</s>``) or not."""

    lowercase: bool
    unicode_spaces: bool = True
    end_token: str | None = None

    @classmethod
    def of_pattern(cls, token_pattern, lowercase) -> SplitRule | None:
        """The rule of a token pattern that is a whitespace split, else None."""
        if token_pattern in UNICODE_SPLIT_PATTERNS:
            return cls(bool(lowercase))
        if token_pattern == FASTTEXT_TOKEN_PATTERN:
            return cls(bool(lowercase), unicode_spaces=False)
        return None


_UNHASHED = np.zeros(0, dtype=np.int64)  # tokens to hash while interning them


class TokenTable:
    """Distinct tokens and their ids, in order of first appearance (grown as needed)."""

    def __init__(self, n_ids: int = 1024, n_bytes: int = 1 << 14) -> None:
        size = 1 << max(int(2 * n_ids - 1).bit_length(), 4)
        self.arrays = kernels.TableArrays(
            np.full(size, -1, dtype=np.int64), np.zeros(size // 2, dtype=np.int64),
            np.zeros(max(n_bytes, 16), dtype=np.uint8), np.zeros(size // 2 + 1, dtype=np.int64),
            np.zeros(2, dtype=np.int64))
        self._exotic = {}  # id -> token whose bytes do not decode back as UTF-8

    def __len__(self) -> int:
        return int(self.arrays.sizes[0])

    @classmethod
    def of_words(cls, words) -> TokenTable:
        """A table whose ids are the positions of ``words`` (distinct str)."""
        words = list(words)
        table = cls(len(words) + 1, sum(map(len, words)) + 1)
        if not np.array_equal(table.intern_words(words), np.arange(len(words))):
            raise ValueError("The words of a vocabulary must be distinct.")
        return table

    def intern_words(self, words: list) -> np.ndarray:
        """The id of each str of ``words`` (see :meth:`intern`), without a bytes object per
        word (see :func:`joined_words`). A TypeError for an item that is not a str."""
        encoded = joined_words(words)
        if encoded is None:
            return self.intern_encoded([utf8(word) for word in words], words)
        return self.intern(*encoded)

    def intern_documents(self, documents: list, n_tokens: int) -> np.ndarray:
        """The id of each token of ``documents`` (lists of str, ``n_tokens`` in all; see
        :meth:`intern`), the documents joined and encoded at once (see
        :func:`joined_documents`). A TypeError for a token that is not a str."""
        encoded = joined_documents(documents, n_tokens)
        if encoded is None:
            words = [word for tokens in documents for word in tokens]
            return self.intern_encoded([utf8(word) for word in words], words)
        return self.intern(*encoded)

    def find_words(self, documents: list, n_tokens: int) -> np.ndarray:
        """The id of each token of ``documents`` (lists of str, ``n_tokens`` in all), -1 for
        those the table does not hold (nothing is added). A TypeError for a token that is not
        a str."""
        encoded = joined_documents(documents, n_tokens)
        if encoded is None:
            words = [word for tokens in documents for word in tokens]
            ids = TokenTable().intern_encoded([utf8(word) for word in words], words,
                                              known=self)
            ids[ids >= len(self)] = -1
            return ids
        ids = np.empty(n_tokens, dtype=np.int64)
        kernels.find_tokens(*encoded, self.arrays, ids)
        return ids

    def reserve(self, n_tokens: int, n_bytes: int) -> None:
        """Make room for ``n_tokens`` new tokens of ``n_bytes`` bytes in all, so that
        :meth:`intern` makes a single kernel call (and needs no GIL in between)."""
        a = self.arrays
        n, used = int(a.sizes[0]), int(a.sizes[1])
        size, store_size = a.slots.shape[0], a.store.shape[0]
        while size // 2 < n + n_tokens:
            size *= 2
        while store_size < used + n_bytes:
            store_size *= 2
        self._resize(size, store_size)

    def index_of(self, word: str) -> int:
        """The id of ``word``, -1 if the table does not hold it."""
        found = TokenTable(1, 1).intern_encoded([utf8(word)], [word], known=self)[0]
        return int(found) if found < len(self) else -1

    @property
    def hashes(self) -> np.ndarray:
        """fastText's hash of each token (int64 holding the signed 32-bit value)."""
        return self.arrays.hashes[: len(self)]

    def words(self) -> list:
        """The tokens, as str, in the order of their ids."""
        a = self.arrays
        if not len(self):
            return []
        joined = kernels.separated(a.store, a.offsets, len(self), 0)
        words = joined[:-1].tobytes().decode("utf-8", "surrogateescape").split("\0")
        if len(words) != len(self):  # a token holds a NUL: token by token
            words = [a.store[a.offsets[i]:a.offsets[i + 1]].tobytes().decode(
                "utf-8", "surrogateescape") for i in range(len(self))]
        for i, token in self._exotic.items():
            words[i] = token
        return words

    def bracketed(self, bare: int = -1):
        """``(data, offsets)`` of ``"<" + token + ">"`` of every token (the token ``bare``
        empty), for :func:`skw2v._subwords.char_ngram_buckets`."""
        a = self.arrays
        return kernels.bracketed(a.store, a.offsets, len(self), bare)

    # --------------------------------------------------------------------------- interning
    def intern(self, data, starts, ends, hashes=_UNHASHED,
               known: TokenTable | None = None) -> np.ndarray:
        """The id of each token ``data[starts[t]:ends[t]]``: its id in ``known`` if there,
        else ``len(known)`` plus its id here (new tokens are added). ``hashes``: the tokens'
        fastText hashes, if known (as :func:`joined_words` gives them)."""
        known_arrays = (_EMPTY if known is None else known).arrays
        ids = np.empty(starts.shape[0], dtype=np.int64)
        done = 0
        while done < starts.shape[0]:
            done = kernels.intern_tokens(data, starts, ends, hashes, done, known_arrays,
                                         self.arrays, ids)
            if done < starts.shape[0]:
                self._grow(starts.shape[0] - done, int(ends[done] - starts[done]))
        return ids

    def intern_encoded(self, encoded, tokens, known: TokenTable | None = None):
        """The ids of tokens given one by one (``encoded``: their :func:`~skw2v._subwords.utf8`
        bytes; ``tokens``: the str), for tokens whose bytes may not be UTF-8."""
        lengths = np.fromiter(map(len, encoded), dtype=np.int64, count=len(encoded))
        ends = np.cumsum(lengths)
        data = np.frombuffer(b"".join(encoded), dtype=np.uint8)
        before = len(self)
        ids = self.intern(data, ends - lengths, ends, known=known)
        offset = 0 if known is None else len(known)
        for token, raw, i in zip(tokens, encoded, ids.tolist(), strict=True):
            if i - offset >= before and _decodes_differently(raw, token):
                self._exotic[i - offset] = token
        return ids

    def _grow(self, n_tokens, n_bytes):
        a = self.arrays
        n, used = int(a.sizes[0]), int(a.sizes[1])
        size = a.slots.shape[0]
        while size // 2 < n + min(n_tokens, max(n, 1024)):
            size *= 2
        store_size = a.store.shape[0]
        while store_size < used + max(n_bytes, store_size // 2):
            store_size *= 2
        self._resize(size, store_size)

    def _resize(self, size, store_size):
        """Give the table ``size`` slots and ``store_size`` bytes of store (no smaller)."""
        a = self.arrays
        n, used = int(a.sizes[0]), int(a.sizes[1])
        slots = a.slots
        hashes, offsets = a.hashes, a.offsets
        if size != slots.shape[0]:
            slots = np.full(size, -1, dtype=np.int64)
            hashes = np.zeros(size // 2, dtype=np.int64)
            hashes[:n] = a.hashes[:n]
            offsets = np.zeros(size // 2 + 1, dtype=np.int64)
            offsets[:n + 1] = a.offsets[:n + 1]
            kernels.rehash(slots, hashes, n)
        store = a.store
        if store_size != store.shape[0]:
            store = np.zeros(store_size, dtype=np.uint8)
            store[:used] = a.store[:used]
        self.arrays = kernels.TableArrays(slots, hashes, store, offsets, a.sizes)


def joined_documents(documents: list, n_tokens: int):
    """:func:`joined_words` of the tokens of ``documents`` (lists of str, ``n_tokens`` in
    all), without a list of all of them: each document is joined, then the documents."""
    joined = "\0".join(map("\0".join, filter(len, documents)))
    return _cut_at_nuls(joined, n_tokens)


def joined_words(words: list):
    """``(data, starts, ends, hashes)``: the UTF-8 of the str ``words`` joined by NUL
    characters (encoded at once, then cut at the NULs and hashed by a kernel), or None when
    a word holds a NUL or a lone surrogate (the caller encodes such words one by one). A
    TypeError for an item that is not a str."""
    return _cut_at_nuls("\0".join(words), len(words))


def _cut_at_nuls(joined: str, n_words: int):
    """``(data, starts, ends, hashes)`` of ``n_words`` words joined by NULs, or None."""
    try:
        data = np.frombuffer(joined.encode("utf-8"), dtype=np.uint8)
    except UnicodeEncodeError:  # a lone surrogate
        return None
    starts, ends = np.empty(n_words, dtype=np.int64), np.empty(n_words, dtype=np.int64)
    hashes = np.empty(n_words, dtype=np.int64)
    if kernels.cut_at_nuls(data, starts, ends, hashes) != n_words:  # a word holds a NUL
        return None
    return data, starts, ends, hashes


def _decodes_differently(raw: bytes, token: str) -> bool:
    try:
        return raw.decode("utf-8") != token
    except UnicodeDecodeError:
        return True


_EMPTY = TokenTable(1, 1)


def encode_texts(texts, rule: SplitRule):
    """``(data, doc_offsets)``: the UTF-8 of each str of ``texts`` (lowercased under
    ``rule``), concatenated; None when a text holds a lone surrogate (no UTF-8)."""
    if rule.lowercase:
        texts = [text.lower() for text in texts]
    try:
        encoded = [text.encode("utf-8") for text in texts]
    except UnicodeEncodeError:
        return None
    offsets = np.zeros(len(encoded) + 1, dtype=np.int64)
    np.cumsum(np.fromiter(map(len, encoded), dtype=np.int64, count=len(encoded)),
              out=offsets[1:])
    return np.frombuffer(b"".join(encoded), dtype=np.uint8), offsets


def split_texts(texts, rule: SplitRule, table: TokenTable, known: TokenTable | None = None,
                analyzer=None):
    """The token ids of the str ``texts`` under ``rule`` (see :meth:`TokenTable.intern`) and
    the documents' offsets into them, ``rule.end_token`` appended to each document.

    A batch whose texts do not all encode to UTF-8 (a lone surrogate) is tokenized by
    ``analyzer`` (which must give the same tokens) and its tokens interned one by one.
    """
    encoded = encode_texts(texts, rule)
    if encoded is None:
        token_lists = [analyzer(text) for text in texts]
        flat = [token for tokens in token_lists for token in tokens]
        ids = table.intern_encoded([utf8(token) for token in flat], flat, known)
        lengths = np.fromiter(map(len, token_lists), dtype=np.int64, count=len(token_lists))
        token_offsets = np.zeros(len(texts) + 1, dtype=np.int64)
        np.cumsum(lengths, out=token_offsets[1:])
        return ids, token_offsets  # the analyzer appended the end token itself
    data, doc_offsets = encoded
    starts, ends, token_offsets = kernels.split_whitespace(data, doc_offsets,
                                                           rule.unicode_spaces)
    if rule.end_token is not None:
        # The end token's bytes go after the text; its span after each document's tokens.
        end = np.frombuffer(utf8(rule.end_token), dtype=np.uint8)
        at = token_offsets[1:]
        starts = np.insert(starts, at, data.shape[0])
        ends = np.insert(ends, at, data.shape[0] + end.shape[0])
        data = np.concatenate([data, end])
        token_offsets = token_offsets + np.arange(token_offsets.shape[0])
    return table.intern(data, starts, ends, known=known), token_offsets
