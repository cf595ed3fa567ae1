"""The Numba kernels of byte-level tokenizing: whitespace splitting of UTF-8 text, fastText's
word hash, and a hash table that gives each distinct token an id.

These serve the tokenizers that can run without Python objects per token: token patterns of
runs of non-whitespace characters (``\\S+``, which is ``str.split()``, or fastText's split on
ASCII whitespace). A batch of
documents is encoded to UTF-8 once; :func:`split_whitespace` finds its tokens, and
:func:`intern_tokens` looks each up in a table of known tokens (a model's vocabulary) and else
in a table that assigns new ids in order of first appearance (a corpus's tokens, or a batch's
unknown ones). :mod:`skw2v._token_table` drives them and grows the table's arrays.

Like the other kernel modules, kernels take arrays and scalars only (a table is a namedtuple
of arrays), trust their inputs (checked in Python first) and are compiled with the one flag
set of :mod:`skw2v._config`.
"""

from collections import namedtuple

import numpy as np
from numba import njit

from ._config import NUMBA_FLAGS
from ._kernels import prefetch_line

_FNV_OFFSET = np.uint64(2166136261)
_FNV_PRIME = np.uint64(16777619)
_SIGN_EXTEND_BYTE = np.uint64(0xFFFFFF00)
_LOW32 = np.uint64(0xFFFFFFFF)
_HIGH_BIT32 = np.uint64(0x80000000)
_TWO_POW_32 = np.int64(1) << np.int64(32)
_HASH_BITS = np.int64(0x7FFFFFFF)  # the bits of a token's hash that its slot keeps
_ID_BITS = np.int64(0xFFFFFFFF)
#: How many tokens ahead :func:`intern_tokens` prefetches the home slot of a token whose hash
#: it was given (a large corpus's table is larger than the caches).
_AHEAD = 16

#: A table of distinct tokens. ``slots`` (int64, a power of two long) holds, for the token
#: whose probe sequence passes there, the low 31 bits of its hash above its id (``hash << 32
#: | id``: a probe compares hashes without reading another array), -1 where empty;
#: ``hashes`` the fastText hash of each id's token; ``store[offsets[i]:offsets[i + 1]]`` its
#: UTF-8 bytes; ``sizes`` the number of ids and of stored bytes (updated in place).
TableArrays = namedtuple("TableArrays", ["slots", "hashes", "store", "offsets", "sizes"])


@njit(**NUMBA_FLAGS)
def _fnv_step(h, byte):
    """One byte of fastText's hash: FNV-1a of the byte sign-extended (fastText hashes
    ``int8_t`` values), kept to 32 bits."""
    value = np.uint64(byte)
    if value >= 128:
        value |= _SIGN_EXTEND_BYTE
    return ((h ^ value) * _FNV_PRIME) & _LOW32


@njit(**NUMBA_FLAGS)
def _signed32(h):
    """The 32-bit hash ``h`` as fastText stores it in ``getLine``'s
    ``std::vector<int32_t>``: a signed 32-bit value (int64 here), which ``addWordNgrams``
    then reads into a ``uint64_t`` (sign-extended again)."""
    value = np.int64(h)
    if h & _HIGH_BIT32:
        value -= _TWO_POW_32
    return value


@njit(**NUMBA_FLAGS)
def fasttext_hash(data, start, end):
    """fastText's hash of the token ``data[start:end]`` (UTF-8 bytes): the 32-bit FNV-1a of
    its sign-extended bytes (:func:`_fnv_step`), signed (:func:`_signed32`)."""
    h = _FNV_OFFSET
    for j in range(start, end):
        h = _fnv_step(h, data[j])
    return _signed32(h)


@njit(**NUMBA_FLAGS)
def cut_at_nuls(data, starts, ends, hashes):
    """Cut ``data``, the UTF-8 of words joined by NUL bytes, into its words: word ``t`` is
    ``data[starts[t]:ends[t]]``, its :func:`fasttext_hash` ``hashes[t]`` (hashed in the same
    pass). Returns the number of words found; more than ``len(starts)`` when a word holds a
    NUL (then only the first ``len(starts)`` are written, and the caller cuts no other way).
    Zero words (``len(starts) == 0``) join to no data; other data is then one word too many.
    """
    n = starts.shape[0]
    if n == 0:
        return 0 if data.shape[0] == 0 else 1
    t = 0
    start = 0
    h = _FNV_OFFSET
    for j in range(data.shape[0]):
        byte = data[j]
        if byte != 0:
            h = _fnv_step(h, byte)
            continue
        if t < n:
            starts[t] = start
            ends[t] = j
            hashes[t] = _signed32(h)
        t += 1
        start = j + 1
        h = _FNV_OFFSET
    if t < n:
        starts[t] = start
        ends[t] = data.shape[0]
        hashes[t] = _signed32(h)
    return t + 1


@njit(**NUMBA_FLAGS)
def _space_length(data, i, end):
    """The length in bytes of the whitespace character at ``data[i]``, 0 if it is none.

    Whitespace is what ``str.isspace`` (and ``\\s`` of a str pattern) calls so: the ASCII
    characters 9-13 and 28-32, and in UTF-8 U+0085, U+00A0, U+1680, U+2000-U+200A, U+2028,
    U+2029, U+202F, U+205F and U+3000.
    """
    b = data[i]
    if b < 128:
        return 1 if (9 <= b <= 13 or 28 <= b <= 32) else 0
    if b == 0xC2:
        if i + 1 < end and (data[i + 1] == 0x85 or data[i + 1] == 0xA0):
            return 2
        return 0
    if b == 0xE1:
        if i + 2 < end and data[i + 1] == 0x9A and data[i + 2] == 0x80:
            return 3
        return 0
    if b == 0xE2:
        if i + 2 >= end:
            return 0
        b1, b2 = data[i + 1], data[i + 2]
        if b1 == 0x80 and (b2 <= 0x8A or b2 == 0xA8 or b2 == 0xA9 or b2 == 0xAF):
            return 3 if b2 >= 0x80 else 0
        if b1 == 0x81 and b2 == 0x9F:
            return 3
        return 0
    if b == 0xE3:
        if i + 2 < end and data[i + 1] == 0x80 and data[i + 2] == 0x80:
            return 3
        return 0
    return 0


@njit(**NUMBA_FLAGS)
def _split(data, doc_offsets, unicode_spaces, starts, ends, token_offsets, fill):
    """Find the tokens of every document; write them when ``fill``; return their number.

    ASCII bytes are tested inline (a call per byte would cost more than the test:
    Numba does not inline calls between kernels); :func:`_space_length` only sees the lead
    bytes of the multi-byte whitespace characters.
    """
    n = 0
    for doc in range(doc_offsets.shape[0] - 1):
        i, end = doc_offsets[doc], doc_offsets[doc + 1]
        in_token = False
        while i < end:
            b = data[i]
            space = 0
            if not unicode_spaces:
                if b == 32 or 9 <= b <= 13 or b == 0:
                    space = 1
            elif b < 128:
                if b <= 32 and (b >= 28 or 9 <= b <= 13):
                    space = 1
            elif b == 0xC2 or 0xE1 <= b <= 0xE3:
                space = _space_length(data, i, end)
            if space:
                if in_token:
                    if fill:
                        ends[n - 1] = i
                    in_token = False
                i += space
            else:
                if not in_token:
                    if fill:
                        starts[n] = i
                    n += 1
                    in_token = True
                i += 1
        if in_token and fill:
            ends[n - 1] = end
        if fill:
            token_offsets[doc + 1] = n
    return n


@njit(**NUMBA_FLAGS)
def split_whitespace(data, doc_offsets, unicode_spaces):
    """The tokens of documents ``data[doc_offsets[d]:doc_offsets[d + 1]]`` (UTF-8): the runs
    of non-whitespace characters. Whitespace is, with ``unicode_spaces``, what ``str.split()``
    splits on; else fastText's (``Dictionary::readWord``): space, the ASCII characters 9-13
    and NUL.

    Returns ``(starts, ends, token_offsets)``: token ``t`` is ``data[starts[t]:ends[t]]``;
    document ``d`` has the tokens ``token_offsets[d]:token_offsets[d + 1]``.
    """
    unused = np.empty(0, dtype=np.int64)
    n = _split(data, doc_offsets, unicode_spaces, unused, unused, unused, False)
    starts = np.empty(n, dtype=np.int64)
    ends = np.empty(n, dtype=np.int64)
    token_offsets = np.zeros(doc_offsets.shape[0], dtype=np.int64)
    _split(data, doc_offsets, unicode_spaces, starts, ends, token_offsets, True)
    return starts, ends, token_offsets


@njit(**NUMBA_FLAGS)
def _slot_value(h, i):
    """What a slot holds for the id ``i`` of a token of hash ``h``."""
    return ((h & _HASH_BITS) << 32) | i


@njit(**NUMBA_FLAGS)
def _id_at(slots, slot):
    """The id a slot holds, -1 if it is empty."""
    value = slots[slot]
    return value & _ID_BITS if value >= 0 else np.int64(-1)


@njit(**NUMBA_FLAGS)
def _find(table, data, start, end, h):
    """The slot of the token ``data[start:end]`` (hash ``h``) in ``table``: the slot holding
    its id, or the empty slot where it would go."""
    slots, store, offsets = table.slots, table.store, table.offsets
    mask = slots.shape[0] - 1
    slot = np.int64(np.uint64(h) & np.uint64(mask))
    length = end - start
    wanted = h & _HASH_BITS
    while True:
        value = slots[slot]
        if value < 0:
            return slot
        if value >> 32 == wanted:
            i = value & _ID_BITS
            if offsets[i + 1] - offsets[i] == length:
                base = offsets[i] - start
                same = True
                for j in range(start, end):
                    if store[base + j] != data[j]:
                        same = False
                        break
                if same:
                    return slot
        slot = (slot + 1) & mask


@njit(**NUMBA_FLAGS)
def intern_tokens(data, starts, ends, hashes, first, known, table, ids):
    """Write the id of each token ``data[starts[t]:ends[t]]``, ``t >= first``, to ``ids[t]``.
    ``hashes``: the tokens' :func:`fasttext_hash` (as :func:`cut_at_nuls` gives them), or
    empty to hash them here.

    A token of ``known`` (only read) gets its id there; any other token ``n_known`` plus its
    id in ``table``, where a new token is added with the next id. Stops before a token that
    might not fit (ids beyond half the slots, or bytes beyond the store) and returns its
    position (``len(starts)`` when all are done): the caller grows ``table`` and goes on.
    """
    n_known = known.sizes[0]
    check_known = n_known > 0
    slots, store, offsets, sizes = table.slots, table.store, table.offsets, table.sizes
    max_ids = min(slots.shape[0] // 2, table.hashes.shape[0])
    hashed = hashes.shape[0] > 0
    rows = slots.reshape((slots.shape[0], 1))
    mask = np.uint64(slots.shape[0] - 1)
    for t in range(first, starts.shape[0]):
        if hashed and t + _AHEAD < starts.shape[0]:  # the home slot of a token a few on
            prefetch_line(rows, np.int64(np.uint64(hashes[t + _AHEAD]) & mask), 0)
        start, end = starts[t], ends[t]
        h = hashes[t] if hashed else fasttext_hash(data, start, end)
        if check_known:
            i = _id_at(known.slots, _find(known, data, start, end, h))
            if i >= 0:
                ids[t] = i
                continue
        slot = _find(table, data, start, end, h)
        i = _id_at(slots, slot)
        if i < 0:
            n, used = sizes[0], sizes[1]
            if n >= max_ids or used + (end - start) > store.shape[0]:
                return t
            for j in range(start, end):
                store[used + j - start] = data[j]
            table.hashes[n] = h
            offsets[n + 1] = used + (end - start)
            slots[slot] = _slot_value(h, n)
            sizes[0] = n + 1
            sizes[1] = used + (end - start)
            i = n
        ids[t] = n_known + i
    return starts.shape[0]


@njit(**NUMBA_FLAGS)
def find_tokens(data, starts, ends, hashes, table, ids):
    """Write the id in ``table`` of each token ``data[starts[t]:ends[t]]`` (its
    :func:`fasttext_hash` ``hashes[t]``) to ``ids[t]``, -1 for a token the table does not
    hold."""
    for t in range(starts.shape[0]):
        ids[t] = _id_at(table.slots, _find(table, data, starts[t], ends[t], hashes[t]))


@njit(**NUMBA_FLAGS)
def rehash(slots, hashes, n):
    """Fill the empty ``slots`` with ids ``0..n - 1`` of distinct tokens of ``hashes``."""
    mask = slots.shape[0] - 1
    for i in range(n):
        slot = np.int64(np.uint64(hashes[i]) & np.uint64(mask))
        while slots[slot] >= 0:
            slot = (slot + 1) & mask
        slots[slot] = _slot_value(hashes[i], i)


@njit(**NUMBA_FLAGS)
def separated(store, offsets, n, separator):
    """The bytes of tokens ``0..n - 1`` with one ``separator`` byte after each."""
    out = np.empty(offsets[n] + n, dtype=np.uint8)
    k = 0
    for i in range(n):
        for j in range(offsets[i], offsets[i + 1]):
            out[k] = store[j]
            k += 1
        out[k] = separator
        k += 1
    return out


@njit(**NUMBA_FLAGS)
def bracketed(store, offsets, n, bare):
    """``(data, offsets)`` of ``"<" + token + ">"`` for tokens ``0..n - 1`` (the words whose
    character n-grams fastText hashes), the token ``bare`` (-1: none) left empty."""
    out_offsets = np.zeros(n + 1, dtype=np.int64)
    for i in range(n):
        length = 0 if i == bare else offsets[i + 1] - offsets[i] + 2
        out_offsets[i + 1] = out_offsets[i] + length
    out = np.empty(out_offsets[n], dtype=np.uint8)
    for i in range(n):
        if i == bare:
            continue
        k = out_offsets[i]
        out[k] = 60  # "<"
        for j in range(offsets[i], offsets[i + 1]):
            k += 1
            out[k] = store[j]
        out[k + 1] = 62  # ">"
    return out, out_offsets
