"""The Numba kernels of phrase detection: counting candidate phrases, and finding phrases.

A candidate phrase is a word, the connector words after it (none, or e.g. "of" in "bank of
america") and the next word, as gensim's ``Phrases`` counts them. Words are token ids; a run of
connector words is a *chain*: an id in a trie whose node ``c`` extends its parent chain by one
connector (chain 0 is the empty run).

Every table is an open-addressing hash table (linear probing) in an int64 array of shape
``(n_slots, 2)``, ``n_slots`` a power of two: a row ``[key, tag << 40 | payload]`` stores
``payload`` (> 0, below 2**40) under the key ``(key, tag)`` (``tag`` below 2**23); a row
of zeros is empty, so ``np.zeros`` makes an empty table without touching its memory. Sixteen
bytes a row: the candidates of a large corpus fit in a third of the memory gensim's dict of
joined strings takes.

- the *pair table*: ``(first << 32 | last, chain)`` -> the candidate's count;
- the *trie*: ``(parent chain << 32 | connector id, 0)`` -> the child chain;
- a *phrase table*: ``(first << 32 | last, chain)`` -> the phrase's number + 1.

:mod:`skw2v._phrase_counts` drives the counting and grows and prunes the tables between
calls; :mod:`skw2v._phrase_table` builds the tables that :func:`find_phrases` reads.

As in the other kernel modules, kernels take arrays and scalars only, trust their inputs
(checked in Python first), allocate nothing, and are compiled with the flag set of
:mod:`skw2v._config`.
"""

import numpy as np
from numba import njit

from ._config import NUMBA_FLAGS
from ._kernels import prefetch_line
from ._kernels_tokens import intern_tokens

_MIX1 = np.uint64(0x9E3779B97F4A7C15)
_MIX2 = np.uint64(0xC2B2AE3D27D4EB4F)
_SHIFT = np.uint64(31)
TAG_SHIFT = 40
PAYLOAD_MASK = (1 << TAG_SHIFT) - 1
#: Tags (chains) and payloads (counts, chains, phrase numbers) must stay below these.
MAX_TAG = 1 << 23
MAX_PAYLOAD = 1 << TAG_SHIFT

#: How many tokens ahead :func:`count_documents` prefetches the row of a candidate: the pair
#: table of a large corpus is larger than the caches, and most of its rows are touched once.
_AHEAD = 16

#: ``state`` of :func:`count_documents`: candidates in the pair table, chains in the trie
#: (with the empty chain), words counted at least once, tokens read, and why it returned.
N_PAIRS, N_CHAINS, N_LIVE_WORDS, N_TOKENS, STATUS = range(5)
#: Return reasons: every document counted; the tables are too small for the next document;
#: the words and candidates counted exceed the limit after a document; the token table had
#: no room for a batch's tokens (:func:`intern_and_count`).
DONE, GROW, PRUNE, TOKENS_FULL = range(4)


@njit(**NUMBA_FLAGS)
def _home(table, key, tag):
    """The row where the probe for the key ``(key, tag)`` starts."""
    h = np.uint64(key) * _MIX1 ^ np.uint64(tag) * _MIX2
    return np.int64((h ^ (h >> _SHIFT)) & np.uint64(table.shape[0] - 1))


@njit(**NUMBA_FLAGS)
def _slot(table, key, tag):
    """The row of ``table`` holding the key ``(key, tag)``, or the empty row where it goes."""
    mask = table.shape[0] - 1
    slot = _home(table, key, tag)
    while True:
        stored = table[slot, 1]
        if stored == 0 or (table[slot, 0] == key and stored >> TAG_SHIFT == tag):
            return slot
        slot = (slot + 1) & mask


@njit(**NUMBA_FLAGS)
def lookup(table, key, tag):
    """The payload stored under ``(key, tag)``, or -1."""
    stored = table[_slot(table, key, tag), 1]
    return stored & PAYLOAD_MASK if stored != 0 else np.int64(-1)


@njit(**NUMBA_FLAGS)
def insert(table, key, tag, payload):
    """Store ``payload`` under ``(key, tag)``."""
    slot = _slot(table, key, tag)
    table[slot, 0] = key
    table[slot, 1] = (tag << TAG_SHIFT) | payload


@njit(**NUMBA_FLAGS)
def insert_rows(table, rows):
    """Store the rows of another table (its empty rows skipped) in ``table``."""
    for row in range(rows.shape[0]):
        stored = rows[row, 1]
        if stored != 0:
            slot = _slot(table, rows[row, 0], stored >> TAG_SHIFT)
            table[slot, 0] = rows[row, 0]
            table[slot, 1] = stored


@njit(**NUMBA_FLAGS)
def _child_chain(trie, links, state, chain, connector):
    """The chain that extends ``chain`` by ``connector``, added to the trie if new."""
    key = (chain << 32) | connector
    slot = _slot(trie, key, 0)
    if trie[slot, 1] != 0:
        return trie[slot, 1]
    child = state[N_CHAINS]
    trie[slot, 0] = key
    trie[slot, 1] = child
    links[child, 0] = chain
    links[child, 1] = connector
    state[N_CHAINS] = child + 1
    return child


@njit(**NUMBA_FLAGS)
def count_documents(ids, doc_ends, first_doc, n_connectors, counts, outgrown, pairs, trie,
                    links, state, max_entries):
    """Count the words and candidate phrases of documents ``first_doc, ...`` as gensim does.

    Document ``d`` is ``ids[doc_ends[d - 1]:doc_ends[d]]``; ids below ``n_connectors`` are
    connector words. A word (not a connector) adds one
    to ``counts[id]``; with the word before it (and the connectors in between) it adds one to
    its candidate in ``pairs``; connectors only extend the chain. The rows of ``outgrown`` (a
    pair table that ``pairs`` replaces, or an empty one) are moved into ``pairs`` first, so
    growing the table costs no call of its own. Returns the next document
    to count, with ``state[STATUS]``: ``DONE``; ``GROW`` (that document might not fit: the
    tables stay at most two thirds full, ``links`` has a row per chain); or ``PRUNE`` (after the
    returned document's predecessor, words counted plus candidates exceed ``max_entries``).
    """
    insert_rows(pairs, outgrown)
    pair_room = pairs.shape[0] * 2 // 3
    chain_room = min(trie.shape[0] * 2 // 3, links.shape[0])
    begin = doc_ends[first_doc - 1] if first_doc > 0 else 0
    count_rows = counts.reshape((counts.shape[0], 1))
    for doc in range(first_doc, doc_ends.shape[0]):
        end = doc_ends[doc]
        length = end - begin
        if state[N_PAIRS] + length > pair_room or state[N_CHAINS] + length > chain_room:
            state[STATUS] = GROW
            return doc
        start = np.int64(-1)
        chain = np.int64(0)
        for position in range(begin, end):
            ahead = position + _AHEAD
            if ahead < end:  # a candidate a few tokens on (if no connector): its row, its count
                prefetch_line(pairs, _home(pairs, (ids[ahead - 1] << 32) | ids[ahead], 0), 0)
                prefetch_line(count_rows, ids[ahead], 0)
            token = ids[position]
            if token < n_connectors:
                if start >= 0:
                    chain = _child_chain(trie, links, state, chain, token)
                continue
            if counts[token] == 0:
                state[N_LIVE_WORDS] += 1
            counts[token] += 1
            if start >= 0:
                key = (start << 32) | token
                slot = _slot(pairs, key, chain)
                if pairs[slot, 1] == 0:
                    pairs[slot, 0] = key
                    pairs[slot, 1] = chain << TAG_SHIFT
                    state[N_PAIRS] += 1
                pairs[slot, 1] += 1
            start = token
            chain = 0
        state[N_TOKENS] += length
        begin = end
        if state[N_PAIRS] + state[N_LIVE_WORDS] > max_entries:
            state[STATUS] = PRUNE
            return doc + 1
    state[STATUS] = DONE
    return doc_ends.shape[0]


@njit(**NUMBA_FLAGS)
def intern_and_count(data, starts, ends, hashes, known, table, ids, doc_ends, n_connectors,
                     counts, outgrown, pairs, trie, links, state, max_entries):
    """:func:`~skw2v._kernels_tokens.intern_tokens` then :func:`count_documents` of a whole
    batch, in one call (so a thread needs the GIL only around it). The token table and the
    counts must have room for every token of the batch being new."""
    if intern_tokens(data, starts, ends, hashes, 0, known, table, ids) < starts.shape[0]:
        state[STATUS] = TOKENS_FULL  # never, with the room reserved
        return 0
    return count_documents(ids, doc_ends, 0, n_connectors, counts, outgrown, pairs, trie,
                           links, state, max_entries)


@njit(**NUMBA_FLAGS)
def frequent_rows(table, cutoff, keys, tags, payloads):
    """Copy the key, tag and payload of each row of ``table`` whose payload is at least
    ``cutoff`` to ``keys``/``tags``/``payloads`` (room for every filled row); return how
    many (one pass over the table, no temporary array of its size)."""
    n = 0
    for row in range(table.shape[0]):
        stored = table[row, 1]
        if stored != 0 and stored & PAYLOAD_MASK >= cutoff:
            keys[n] = table[row, 0]
            tags[n] = stored >> TAG_SHIFT
            payloads[n] = stored & PAYLOAD_MASK
            n += 1
    return n


@njit(**NUMBA_FLAGS)
def prune_counts(pairs, trie, links, renumber_tokens, min_reduce, state, new_pairs, new_trie,
                 new_links, renumber_chains):
    """Forget every candidate counted fewer than ``min_reduce`` times (gensim's
    ``prune_vocab``), and the chains no kept candidate uses.

    ``pairs``/``trie``/``links`` are copied, without what is forgotten, into the empty
    ``new_pairs``/``new_trie`` and ``new_links``: token ids renumbered by
    ``renumber_tokens`` (-1 for a forgotten word: a candidate is counted no more often than
    its words, so a kept candidate's words are kept), chains in their order (a parent still
    comes before its children); ``renumber_chains`` is a -1-filled scratch array of a number
    per chain. Updates the candidates and chains of ``state``.
    """
    renumber_chains[0] = 0
    for row in range(pairs.shape[0]):
        stored = pairs[row, 1]
        if stored != 0 and stored & PAYLOAD_MASK >= min_reduce:
            chain = stored >> TAG_SHIFT
            while renumber_chains[chain] == -1:  # mark the chain and its ancestors kept
                renumber_chains[chain] = 0
                chain = links[chain, 0]
    n_chains = 1
    for chain in range(1, state[N_CHAINS]):
        if renumber_chains[chain] == 0:
            parent = renumber_chains[links[chain, 0]]  # numbered already: parents come first
            connector = renumber_tokens[links[chain, 1]]
            renumber_chains[chain] = n_chains
            new_links[n_chains, 0] = parent
            new_links[n_chains, 1] = connector
            insert(new_trie, (parent << 32) | connector, 0, n_chains)
            n_chains += 1
    n_pairs = 0
    for row in range(pairs.shape[0]):
        stored = pairs[row, 1]
        if stored != 0 and stored & PAYLOAD_MASK >= min_reduce:
            first = renumber_tokens[pairs[row, 0] >> 32]
            last = renumber_tokens[pairs[row, 0] & 0xFFFFFFFF]
            insert(new_pairs, (first << 32) | last, renumber_chains[stored >> TAG_SHIFT],
                   stored & PAYLOAD_MASK)
            n_pairs += 1
    state[N_PAIRS] = n_pairs
    state[N_CHAINS] = n_chains


@njit(**NUMBA_FLAGS)
def find_phrases(ids, doc_ends, n_connectors, phrases, trie, spans, doc_spans):
    """Find the phrases of each document, left to right, as gensim's ``analyze_sentence``.

    ``ids`` are the documents' tokens as ids of :mod:`skw2v._phrase_table`: connectors are
    ``0..n_connectors - 1``, a token in no phrase is -1. ``phrases`` is a phrase table,
    ``trie`` the chains of its connectors. Writes each phrase found as ``spans[k] = (start,
    stop, phrase number)`` (token positions in ``ids``) and the end of document ``d``'s spans
    to ``doc_spans[d]``; ``spans`` has a row per two tokens.
    """
    n_spans = 0
    begin = 0
    for doc in range(doc_ends.shape[0]):
        end = doc_ends[doc]
        start = np.int64(-1)
        first = np.int64(-1)
        chain = np.int64(0)
        for position in range(begin, end):
            token = ids[position]
            if 0 <= token < n_connectors:
                if start >= 0 and chain >= 0:
                    chain = lookup(trie, (chain << 32) | token, 0)
                continue
            if start >= 0 and first >= 0 and token >= 0 and chain >= 0:
                phrase = lookup(phrases, (first << 32) | token, chain)
                if phrase > 0:
                    spans[n_spans, 0] = start
                    spans[n_spans, 1] = position + 1
                    spans[n_spans, 2] = phrase - 1
                    n_spans += 1
                    start = -1
                    continue
            start = position
            first = token
            chain = 0
        doc_spans[doc] = n_spans
        begin = end
    return n_spans
