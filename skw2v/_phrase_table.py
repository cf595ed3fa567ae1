"""Joining the phrases of documents: gensim's ``FrozenPhrases`` lookup, in Numba.

A fitted :class:`skw2v.PhrasesTransformer` keeps its phrases as text (``"new_york"``). Its
documents are read as gensim reads them: left to right, a word, the connector words after it
and the next word form a candidate; a candidate whose tokens joined by the delimiter are a
phrase becomes one token, and the next candidate starts after it. As the lookup is by text,
the tokens ``new_york`` and ``city`` make the phrase ``new_york_city`` as well as ``new``,
``york`` and ``city`` would with ``york`` a connector: a :class:`PhraseTable` lists, for each
phrase, every way its text splits at the delimiter into word, connectors and word.
"""

from __future__ import annotations

import numpy as np

from . import _kernels_phrases as kernels
from ._phrase_counts import empty_table, table_size
from ._token_table import TokenTable


def _connector_splits(parts, connectors, delimiter):
    """Every way to read the consecutive ``parts`` as connector words."""
    if not parts:
        yield []
        return
    for stop in range(1, len(parts) + 1):
        head = delimiter.join(parts[:stop])
        if head in connectors:
            for rest in _connector_splits(parts[stop:], connectors, delimiter):
                yield [head, *rest]


def token_splits(phrase: str, connectors: frozenset, delimiter: str):
    """Every ``(first, connectors, last)`` of tokens whose delimiter-joined text is
    ``phrase``: ``first`` and ``last`` not connector words."""
    parts = phrase.split(delimiter)
    for cut_first in range(1, len(parts)):
        first = delimiter.join(parts[:cut_first])
        if first in connectors:
            continue
        for cut_last in range(cut_first, len(parts)):
            last = delimiter.join(parts[cut_last:])
            if last in connectors:
                continue
            for middle in _connector_splits(parts[cut_first:cut_last], connectors, delimiter):
                yield first, middle, last


def _table_of(keys: np.ndarray) -> np.ndarray:
    """A hash table holding the rows ``(key, tag, payload)`` of ``keys``."""
    table = empty_table(table_size(keys.shape[0]))
    rows = np.column_stack([keys[:, 0], (keys[:, 1] << kernels.TAG_SHIFT) | keys[:, 2]])
    kernels.insert_rows(table, rows)
    return table


class PhraseTable:
    """The phrases of a fitted transformer, ready to be found in token lists.

    Parameters
    ----------
    phrases : iterable of str
        The phrases' texts.
    connector_words : frozenset of str
    delimiter : str
    """

    def __init__(self, phrases, connector_words: frozenset, delimiter: str) -> None:
        self.texts = list(phrases)
        self.ids = {word: index for index, word in enumerate(sorted(connector_words))}
        self.n_connectors = len(self.ids)
        splits = [(index, split) for index, text in enumerate(self.texts)
                  for split in token_splits(text, connector_words, delimiter)]
        chains = {}  # (parent chain, connector id) -> chain
        keys = np.empty((len(splits), 3), dtype=np.int64)
        for row, (index, (first, middle, last)) in enumerate(splits):
            node = 0
            for connector in middle:
                node = chains.setdefault((node, self.ids[connector]), len(chains) + 1)
            first_id = self.ids.setdefault(first, len(self.ids))
            last_id = self.ids.setdefault(last, len(self.ids))
            keys[row] = (first_id << 32) | last_id, node, index + 1
        self.words = TokenTable.of_words(self.ids)  # the ids as a table of bytes
        self.phrases = _table_of(keys)
        self.trie = _table_of(np.array([((parent << 32) | connector, 0, child) for
                                        (parent, connector), child in chains.items()],
                                       dtype=np.int64).reshape(-1, 3))

    def join(self, documents: list) -> list:
        """The documents (lists or tuples of tokens) with their phrases joined, as new
        lists. A TypeError for a token that is not a str."""
        doc_ends = np.cumsum(np.fromiter(map(len, documents), np.int64, len(documents)))
        n_tokens = int(doc_ends[-1]) if doc_ends.shape[0] else 0
        ids = self.words.find_words(documents, n_tokens)
        spans = np.empty((n_tokens // 2 + 1, 3), dtype=np.int64)
        doc_spans = np.empty(doc_ends.shape[0], dtype=np.int64)
        kernels.find_phrases(ids, doc_ends, self.n_connectors, self.phrases, self.trie, spans,
                             doc_spans)
        n_spans = int(doc_spans[-1]) if doc_spans.shape[0] else 0
        starts, stops = spans[:n_spans, 0].tolist(), spans[:n_spans, 1].tolist()
        texts = [self.texts[phrase] for phrase in spans[:n_spans, 2].tolist()]
        joined, first, begin = [], 0, 0
        for tokens, end, last in zip(documents, doc_ends.tolist(), doc_spans.tolist(),
                                     strict=True):
            if first == last:  # no phrase in this document
                joined.append(list(tokens))
            else:
                out, previous = [], 0
                for k in range(first, last):
                    out += tokens[previous:starts[k] - begin]
                    out.append(texts[k])
                    previous = stops[k] - begin
                out += tokens[previous:]
                joined.append(out)
            first, begin = last, end
        return joined
