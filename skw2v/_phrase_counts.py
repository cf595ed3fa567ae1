"""Counting a corpus's words and candidate phrases, and scoring the phrases they make.

The rules are gensim's ``Phrases`` (4.x), so the same corpus and settings give the same
phrases and scores:

- a word is a token that is not a connector word; a *candidate* is a word, the connector words
  after it and the next word (``bank of america``); connector words are never counted;
- a candidate scores from its own count, the counts of its first and last words, the number
  of distinct words and candidates counted (``"default"``) or of tokens read (``"npmi"``);
  it is a phrase when the score is above the threshold, and is known by its text, the tokens
  joined by the delimiter;
- with ``max_vocab_size``, after a document that takes the words and candidates counted past
  it, every one counted fewer than ``min_reduce`` times is forgotten (``min_reduce`` starts at
  1 and grows by one at each pruning), as gensim's ``prune_vocab``.

One difference, where tokens hold the delimiter (a second pass over the output of a first):
gensim counts by text (the candidate ``new york`` and a token ``new_york`` are one key) and
``export_phrases``/``FrozenPhrases`` score a text from its first and last delimiter-separated
parts, so ``new_york_city`` scores as ``new ... city`` and a trigram pass finds few phrases
(gensim issues 3326 and 3380). Here candidates are token sequences scored from their own
first and last tokens (``new_york`` and ``city``), the rule of gensim's ``Phrases[...]``.
Without such tokens (any first pass) the two are the same.

Counting runs in Numba (:mod:`skw2v._kernels_phrases`) on token ids; only the kept phrases
become strings.
"""

from __future__ import annotations

import math
import time
from concurrent.futures import ThreadPoolExecutor
from contextlib import nullcontext
from itertools import chain

import numpy as np

from . import _kernels_phrases as kernels
from ._token_table import TokenTable, joined_documents


def empty_table(n_slots: int) -> np.ndarray:
    """A hash table of :mod:`skw2v._kernels_phrases` with ``n_slots`` rows (a power of 2);
    zeros, so its memory is taken as rows are filled."""
    return np.zeros((n_slots, 2), dtype=np.int64)


def table_size(n_keys: int) -> int:
    """The rows of a table that holds ``n_keys`` keys at most two thirds full."""
    return 1 << max(int(3 * n_keys // 2).bit_length(), 4)


def table_rows(table: np.ndarray, n_rows: int, cutoff: int):
    """``(key, tag, payload)`` of the filled rows of ``table`` (``n_rows`` of them) whose
    payload is at least ``cutoff``."""
    keys, tags, payloads = (np.empty(n_rows, dtype=np.int64) for _ in range(3))
    n = kernels.frequent_rows(table, cutoff, keys, tags, payloads)
    return keys[:n], tags[:n], payloads[:n]


class PhraseCounts:
    """Words and candidate phrases counted so far.

    Token ids come from a :class:`~skw2v._token_table.TokenTable` (a batch's tokens joined,
    encoded once and interned by a kernel: no Python object per token beyond the caller's);
    connector words are ids ``0 .. n - 1``.

    Parameters
    ----------
    connector_words : frozenset of str
    max_vocab_size : int
        Words plus candidates counted before pruning (see the module docstring).
    """

    def __init__(self, connector_words: frozenset, max_vocab_size: int) -> None:
        self.tokens = TokenTable.of_words(sorted(connector_words))
        self.n_connectors = len(connector_words)
        self.max_vocab_size = max_vocab_size
        self.min_reduce = 1
        self.counts = np.zeros(1 << 10, dtype=np.int64)  # by token id; 0 for connectors
        self.pairs = empty_table(1 << 12)
        self.trie = empty_table(1 << 6)
        self.links = np.zeros((1 << 5, 2), dtype=np.int64)
        self.state = np.zeros(5, dtype=np.int64)
        self.state[kernels.N_CHAINS] = 1  # the empty chain

    @property
    def n_tokens(self) -> int:
        """Tokens read, connector words included (gensim's ``corpus_word_count``)."""
        return int(self.state[kernels.N_TOKENS])

    def count(self, batches, *, threads: bool, on_bad_tokens) -> None:
        """Count the documents of ``batches`` (``(position, list of token lists)``, as
        :func:`skw2v._documents.token_batches` yields them).

        Two stages per batch: this thread joins and encodes its tokens (Python), then one
        kernel call gives them ids and counts them (without the GIL). With ``threads``, the
        kernel call runs in a second thread while this one encodes the next batch.
        ``on_bad_tokens(position, documents)`` raises the error for a batch that holds a
        token that is not a str.
        """
        with _executor(threads) as worker:
            pending = None  # (batch, future) of the batch being counted
            for position, documents in batches:
                batch = _Batch(position, documents, on_bad_tokens)
                if pending is not None:
                    self._finish(*pending)
                pending = (batch, self._start(worker, batch))
                time.sleep(0)  # hand the GIL over, so that the worker starts at once
            if pending is not None:
                self._finish(*pending)

    def _start(self, worker, batch):
        """Make room for a batch, then start its interning and counting; the future of the
        next document to count."""
        if self.n_tokens + batch.n_tokens >= kernels.MAX_PAYLOAD:
            raise ValueError(f"more than {kernels.MAX_PAYLOAD:,} tokens: counts would not fit "
                             "the pair table's 40 bits; learn phrases from a sample.")
        if batch.encoded is None:  # tokens to intern one by one: here, then count there
            self._intern(batch)
            return _submit(worker, self._run, batch, 0, self._grow(batch.n_tokens))
        self.tokens.reserve(batch.n_tokens, batch.encoded[0].shape[0])
        batch.ids = np.empty(batch.n_tokens, dtype=np.int64)
        outgrown = self._grow(batch.n_tokens, len(self.tokens) + batch.n_tokens)
        return _submit(worker, self._run, batch, -1, outgrown)

    def _intern(self, batch) -> None:
        batch.ids = (self.tokens.intern(*batch.encoded) if batch.encoded is not None
                     else self.tokens.intern_words(batch.tokens))

    def _run(self, batch, first_doc: int, outgrown: np.ndarray) -> int:
        """Count a batch from ``first_doc`` until done or a pruning is due; return the next
        document to count (``state[STATUS]`` says why it stopped). ``first_doc=-1``: intern
        the batch's tokens first, in the same kernel call (room reserved)."""
        ids, doc_ends = batch.ids, batch.doc_ends
        if first_doc < 0:
            doc = kernels.intern_and_count(
                *batch.encoded, _NO_TOKENS, self.tokens.arrays, ids, doc_ends,
                self.n_connectors, self.counts, outgrown, self.pairs, self.trie, self.links,
                self.state, self.max_vocab_size)
            if self.state[kernels.STATUS] == kernels.TOKENS_FULL:
                raise RuntimeError("the token table had no room reserved for a batch")
        else:
            doc = kernels.count_documents(
                ids, doc_ends, first_doc, self.n_connectors, self.counts, outgrown,
                self.pairs, self.trie, self.links, self.state, self.max_vocab_size)
        while self.state[kernels.STATUS] == kernels.GROW:
            outgrown = self._grow(int(doc_ends[doc] - (doc_ends[doc - 1] if doc else 0)))
            doc = kernels.count_documents(
                ids, doc_ends, doc, self.n_connectors, self.counts, outgrown, self.pairs,
                self.trie, self.links, self.state, self.max_vocab_size)
        return doc

    def _finish(self, batch, stop) -> None:
        """Wait for a batch's counting, and prune as often as it asks (the rest of the batch
        is then interned again, in the renumbered token table)."""
        doc = stop.result()
        while self.state[kernels.STATUS] == kernels.PRUNE:
            self._prune()
            if doc == len(batch.documents):
                break
            rest = _Batch(batch.position + doc, batch.documents[doc:], batch.on_bad_tokens)
            self._intern(rest)
            batch.ids[int(batch.doc_ends[doc - 1]):] = rest.ids
            doc = self._run(batch, doc, self._grow(0))

    def _grow(self, length: int, n_ids: int | None = None) -> np.ndarray:
        """Make room for ``length`` more tokens (a document, or a batch of them), and a
        count for each of ``n_ids`` token ids (default: those of the token table). A pair
        table too small is replaced by an empty one twice as large (or more), and returned
        for :func:`~skw2v._kernels_phrases.count_documents` to move its rows; else an empty
        array is."""
        n_ids = len(self.tokens) if n_ids is None else n_ids
        if self.counts.shape[0] < n_ids:
            counts = np.zeros(max(n_ids, 2 * self.counts.shape[0]), dtype=np.int64)
            counts[:self.counts.shape[0]] = self.counts
            self.counts = counts
        n_pairs, n_chains = self.state[kernels.N_PAIRS], self.state[kernels.N_CHAINS]
        if n_chains + length >= kernels.MAX_TAG:
            raise ValueError(
                f"more than {kernels.MAX_TAG:,} distinct runs of connector words; use fewer "
                "connector words (each run between two words is counted as one).")
        if n_chains + length > self.trie.shape[0] * 2 // 3:
            trie = empty_table(table_size(n_chains + length))
            kernels.insert_rows(trie, self.trie)
            self.trie = trie
        if n_chains + length > self.links.shape[0]:
            links = np.zeros((2 * (n_chains + length), 2), dtype=np.int64)
            links[:n_chains] = self.links[:n_chains]
            self.links = links
        outgrown = _NOTHING
        if n_pairs + length > self.pairs.shape[0] * 2 // 3:
            outgrown, self.pairs = self.pairs, empty_table(table_size(n_pairs + length))
        return outgrown

    def _prune(self) -> None:
        """gensim's ``prune_vocab``; the token table keeps the connectors and the words
        still counted, renumbered in their order."""
        counts = self._word_counts()
        keep = counts >= self.min_reduce
        keep[:self.n_connectors] = True
        kept = np.flatnonzero(keep)
        renumber_tokens = np.full(counts.shape[0], -1, dtype=np.int64)
        renumber_tokens[kept] = np.arange(kept.shape[0])
        pairs, trie = empty_table(self.pairs.shape[0]), empty_table(self.trie.shape[0])
        links = np.zeros_like(self.links)
        renumber_chains = np.full(self.links.shape[0], -1, dtype=np.int64)
        kernels.prune_counts(self.pairs, self.trie, self.links, renumber_tokens,
                             self.min_reduce, self.state, pairs, trie, links, renumber_chains)
        self.pairs, self.trie, self.links = pairs, trie, links
        words = self.tokens.words()
        self.tokens = TokenTable.of_words([words[token] for token in kept.tolist()])
        self.counts = np.zeros(max(kept.shape[0], 1 << 10), dtype=np.int64)
        self.counts[:kept.shape[0]] = counts[kept]
        self.state[kernels.N_LIVE_WORDS] = kept.shape[0] - self.n_connectors
        self.min_reduce += 1

    def _word_counts(self) -> np.ndarray:
        """The count of each token id (0 for connectors)."""
        return self.counts[:len(self.tokens)].copy()

    def phrases(self, *, min_count: int, threshold: float, scoring: str,
                delimiter: str) -> dict:
        """The phrases, each text with its score (the highest, for a text that two
        candidates spell, such as ``new_york`` + ``city`` and ``new`` + ``york_city``)."""
        # Fewer than these many times a candidate cannot score above the threshold.
        if scoring == "npmi":
            cutoff = min_count
        else:
            cutoff = min_count + 1 if threshold >= 0 else 1
        keys, chains, together = table_rows(self.pairs, int(self.state[kernels.N_PAIRS]),
                                            cutoff)
        first, last = keys >> 32, keys & 0xFFFFFFFF
        counts = self._word_counts()
        n_keys = int(self.state[kernels.N_LIVE_WORDS] + self.state[kernels.N_PAIRS])
        scores = score(counts[first], counts[last], together, n_keys=n_keys,
                       min_count=min_count, n_tokens=self.n_tokens, scoring=scoring)
        kept = scores > threshold
        words = self.tokens.words()
        spelled = self._chain_texts(words, delimiter)
        found = {}
        for a, b, node, value in zip(first[kept].tolist(), last[kept].tolist(),
                                     chains[kept].tolist(), scores[kept].tolist(),
                                     strict=True):
            text = f"{words[a]}{delimiter}{spelled(node)}{words[b]}"
            if value > found.get(text, -math.inf):
                found[text] = value
        return found

    def _chain_texts(self, words, delimiter):
        """A function spelling a chain as its connectors, each followed by the delimiter."""
        links, cache = self.links, {0: ""}

        def spelled(node):
            if node not in cache:
                cache[node] = spelled(int(links[node, 0])) + words[links[node, 1]] + delimiter
            return cache[node]

        return spelled


def score(first, last, together, *, n_keys, min_count, n_tokens, scoring) -> np.ndarray:
    """The scores of candidates from the counts of their first and last words and their
    own, with gensim's formulas and float operations in the same order (so the same
    values): ``"default"`` (word2vec's) and ``"npmi"``. -inf where a count is 0."""
    first, last = np.asarray(first, np.int64), np.asarray(last, np.int64)
    together = np.asarray(together, np.int64)
    valid = (first > 0) & (last > 0) & (together > 0)
    out = np.full(first.shape[0], -np.inf)
    if scoring == "default":
        rows = np.flatnonzero(valid)
        out[rows] = ((together[rows] - min_count) / (first[rows] * last[rows]).astype(float)
                     * float(n_keys))
        return out
    total = float(n_tokens)
    rows = np.flatnonzero(valid & (together >= min_count))
    for row, a, b, ab in zip(rows.tolist(), first[rows].tolist(), last[rows].tolist(),
                             together[rows].tolist(), strict=True):
        pa, pb, pab = a / total, b / total, ab / total
        try:
            out[row] = math.log(pab / (pa * pb)) / -math.log(pab)
        except (ValueError, ZeroDivisionError):  # a candidate that is the whole corpus
            continue
    return out


_NOTHING = np.zeros((0, 2), dtype=np.int64)
_NO_TOKENS = TokenTable(1, 1).arrays  # the "known" table of intern_and_count: none


class _Batch:
    """A batch of documents on its way through :meth:`PhraseCounts.count`: their ends, their
    tokens joined and encoded (``encoded``; None to intern them word by word), and once
    interned their ``ids``."""

    def __init__(self, position: int, documents: list, on_bad_tokens) -> None:
        self.position, self.documents, self.on_bad_tokens = position, documents, on_bad_tokens
        self.doc_ends = np.cumsum(np.fromiter(map(len, documents), np.int64, len(documents)))
        self.n_tokens = int(self.doc_ends[-1]) if len(documents) else 0
        try:
            self.encoded = joined_documents(documents, self.n_tokens)
        except TypeError:
            on_bad_tokens(position, documents)
            raise
        self.ids = None

    @property
    def tokens(self) -> list:
        """All tokens, in one list (for the batches that are interned word by word)."""
        return list(chain.from_iterable(self.documents))


def _executor(threads: bool):
    return ThreadPoolExecutor(1) if threads else nullcontext()


def _submit(executor, function, *args):
    """``executor.submit``, or the call now when there is no executor."""
    return executor.submit(function, *args) if executor is not None else _Done(
        function(*args))


class _Done:
    """A finished result with the interface of a future, when nothing runs in a thread."""

    def __init__(self, value):
        self.value = value

    def result(self):
        return self.value
