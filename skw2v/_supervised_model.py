"""A fitted classifier: its words, feature layout, input and output matrices, and prediction.

:class:`SupervisedModel` is the one object a ``Word2VecClassifier`` fit commits (and a
fastText model file is read into), so a prediction reads one consistent snapshot.
"""

from __future__ import annotations

import dataclasses
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from itertools import chain

import numpy as np
import pandas as pd
import scipy.sparse as sp

from . import _kernels_supervised as kernels
from . import _token_table
from ._features import FeatureSpace, concatenated
from ._subwords import EOS, char_ngram_buckets, utf8
from .word_vectors import WordVectors

#: Documents pooled per kernel call in prediction, at most (bounds the memory of the scores).
BATCH_DOCUMENTS = 8192
#: Tokens tokenized per kernel call in prediction, at most: a batch of long documents holds
#: every token as a Python str until it is pooled.
BATCH_TOKENS = 1 << 18
#: Documents a thread tokenizes at least, when several threads share a batch.
_TEXTS_PER_THREAD = 256
#: Characters of str documents per kernel call when a whitespace split tokenizes them in
#: Numba (see :mod:`skw2v._token_table`), at most.
BATCH_CHARS = 1 << 22

#: fastText adds this to a probability before its logarithm (``std_log``).
FASTTEXT_LOG_EPSILON = 1e-5

LOSS_KINDS = {"softmax": kernels.SOFTMAX, "ns": kernels.NEGATIVE_SAMPLING,
              "hs": kernels.HIERARCHICAL_SOFTMAX, "ova": kernels.ONE_VS_ALL}


@dataclass(frozen=True)
class HuffmanPaths:
    """fastText's Huffman tree over the labels (``HierarchicalSoftmaxLoss::buildTree``).

    Leaf ``i`` is the label ``leaf_classes[i]`` (an index into ``classes``); its path from the
    leaf up to the root is ``paths[offsets[i]:offsets[i + 1]]`` (inner nodes as rows of the
    output matrix) with the code bits ``codes`` (1: the right child, whose probability is
    ``sigmoid`` of the node's logit).
    """

    leaf_classes: np.ndarray
    offsets: np.ndarray
    paths: np.ndarray
    codes: np.ndarray
    children: np.ndarray | None = None  # (inner nodes, 2): inner node >= 0, leaf l as -1 - l

    @property
    def depth(self) -> int:
        """The length of the longest path."""
        return int(np.diff(self.offsets).max(initial=0))

    def inner_children(self) -> np.ndarray:
        """The left and right child of each inner node (the root is the last): an inner
        node's number, or ``-1 - leaf``."""
        if self.children is not None:
            return self.children
        children = np.zeros((max(self.leaf_classes.shape[0] - 1, 0), 2), dtype=np.int64)
        for leaf in range(self.leaf_classes.shape[0]):
            child = -1 - leaf
            for k in range(self.offsets[leaf], self.offsets[leaf + 1]):
                children[self.paths[k], self.codes[k]] = child
                child = int(self.paths[k])
        return children

    @classmethod
    def build(cls, counts, leaf_classes):
        """The tree of labels with ``counts`` (in leaf order, most frequent first, as
        fastText sorts its dictionary), exactly as fastText builds it."""
        counts = np.asarray(counts, dtype=np.int64)
        n = counts.shape[0]
        size = 2 * n - 1
        count = np.full(size, 10**15, dtype=np.int64)
        count[:n] = counts
        parent = np.full(size, -1, dtype=np.int64)
        binary = np.zeros(size, dtype=np.uint8)
        leaf, node = n - 1, n
        for i in range(n, size):
            mini = [0, 0]
            for j in range(2):
                if leaf >= 0 and count[leaf] < count[node]:
                    mini[j] = leaf
                    leaf -= 1
                else:
                    mini[j] = node
                    node += 1
            count[i] = count[mini[0]] + count[mini[1]]
            parent[mini[0]] = parent[mini[1]] = i
            binary[mini[1]] = 1
        offsets = np.zeros(n + 1, dtype=np.int64)
        paths, codes = [], []
        for i in range(n):
            j = i
            while parent[j] != -1:
                paths.append(parent[j] - n)
                codes.append(binary[j])
                j = parent[j]
            offsets[i + 1] = len(paths)
        tree = cls(np.asarray(leaf_classes, dtype=np.int64), offsets,
                   np.asarray(paths, dtype=np.int32), np.asarray(codes, dtype=np.uint8))
        return dataclasses.replace(tree, children=tree.inner_children())

    def log_scores(self, node_logits, epsilon=FASTTEXT_LOG_EPSILON):
        """The score of every class (columns in class order) from the logits of the inner
        nodes (one row per document): the sum, along the class's path, of ``log(p +
        epsilon)`` with ``p`` the sigmoid of the node's logit (right child) or one minus it
        (left child). With fastText's ``epsilon`` (the default) this is its score of a leaf
        (``HierarchicalSoftmaxLoss::dfs``); with 0, the log-probability of the class."""
        n = self.leaf_classes.shape[0]
        n_nodes = node_logits.shape[1]
        if epsilon:
            right = 1.0 / (1.0 + np.exp(-node_logits))
            # Both children's log-probabilities of every node, side by side.
            both = np.log(np.concatenate([right, 1.0 - right], axis=1) + epsilon)
        else:
            both = -np.logaddexp(0.0, np.concatenate([-node_logits, node_logits], axis=1))
        steps = self.paths.astype(np.int64) + np.where(self.codes == 1, 0, n_nodes)
        leaf_of = np.repeat(np.arange(n), np.diff(self.offsets))
        per_leaf = sp.csr_matrix((np.ones(steps.shape[0]), (steps, leaf_of)),
                                 shape=(2 * n_nodes, n))
        out = np.asarray((per_leaf.T @ both.T).T)
        result = np.empty_like(out)
        result[:, self.leaf_classes] = out
        return result


@dataclass(frozen=True)
class SupervisedModel:
    """Everything a fitted classifier predicts with.

    ``input`` holds one row per word, then one per bucket row of ``space``; ``output`` one
    row per class (softmax, ns, ova) or per inner node of ``tree`` (hs).
    """

    words: list
    word_counts: np.ndarray
    space: FeatureSpace
    input: np.ndarray
    output: np.ndarray
    loss: str
    classes: np.ndarray
    class_counts: np.ndarray
    multilabel: bool
    tree: HuffmanPaths | None
    _index: list = field(default_factory=list, compare=False, repr=False)
    _vocabulary: list = field(default_factory=list, compare=False, repr=False)

    def __getstate__(self):
        state = dict(self.__dict__)
        state["_index"] = []
        state["_vocabulary"] = []
        return state

    def __setstate__(self, state):
        state.setdefault("_vocabulary", [])
        self.__dict__.update(state)

    @property
    def vector_size(self) -> int:
        return self.input.shape[1]

    def word_index(self):
        """A pandas Index of the words (built once, not pickled)."""
        if not self._index:
            self._index.append(pd.Index(self.words, dtype=object))
        return self._index[0]

    def word_vectors(self) -> WordVectors:
        """The word vectors: the words' input rows (with their character n-grams' rows, for
        a subword model), sharing this model's arrays."""
        n_words = len(self.words)
        words_rows = self.input[:n_words]
        space = self.space
        if space.char_ngram_range is None:
            return WordVectors._owning(list(self.words), words_rows, counts=self.word_counts)
        wv = WordVectors._owning(list(self.words), np.empty((n_words, 0), dtype=np.float32),
                                 counts=self.word_counts)
        kept = space.kept_buckets
        wv._set_subwords(words_rows, self.input[n_words:], kept, space.char_ngram_range,
                         space.n_buckets)
        return wv

    # ------------------------------------------------------------------------- prediction
    def document_vectors(self, token_lists, n_threads=1):
        """The mean input row of each document (lists of tokens, ``</s>`` included), the
        documents split among ``n_threads`` threads."""
        n_docs = len(token_lists)
        if n_docs == 0:
            return np.zeros((0, self.vector_size), dtype=np.float32)
        lengths = np.fromiter(map(len, token_lists), dtype=np.int64, count=n_docs)
        offsets = np.zeros(n_docs + 1, dtype=np.int64)
        np.cumsum(lengths, out=offsets[1:])
        flat = np.fromiter(chain.from_iterable(token_lists), dtype=object, count=offsets[-1])
        codes, uniques = pd.factorize(flat, sort=False)
        own = self.word_index().get_indexer(pd.Index(uniques, dtype=object))
        tables = self.space.tables(list(uniques), own)
        return self._pool(codes.astype(np.int64), offsets, tables, n_threads)

    def text_vectors(self, texts, rule, analyzer, n_threads=1):
        """:meth:`document_vectors` of str documents whose analyzer is a whitespace split
        (``rule``, see :mod:`skw2v._token_table`; ``analyzer`` tokenizes a text that does not
        encode to UTF-8), tokenized and looked up in Numba: a known token is its word, an
        unknown token a unit of its own. ``n_threads`` threads tokenize parts of the
        documents, each with its own table of unknown tokens, then pool them (one pool of
        threads for both)."""
        if not texts:
            return np.zeros((0, self.vector_size), dtype=np.float32)
        vocabulary, word_tables = self._vocabulary_tables()
        n_parts = max(min(n_threads, len(texts) // _TEXTS_PER_THREAD), 1)
        bounds = np.linspace(0, len(texts), n_parts + 1).astype(int)
        parts = [texts[bounds[k]:bounds[k + 1]] for k in range(n_parts)]

        def tokenize(part):
            unknown = _token_table.TokenTable()
            # fastText's </s> has no character n-grams: the first unknown id if unknown.
            end = unknown.intern_encoded([utf8(EOS)], [EOS], vocabulary)[0] - len(vocabulary)
            units, offsets = _token_table.split_texts(part, rule, unknown, vocabulary,
                                                      analyzer)
            return units, offsets, self._unknown_tables(unknown, end)

        if n_parts == 1:
            return self._pool(*self._joined([tokenize(parts[0])], word_tables, vocabulary),
                              n_threads)
        with ThreadPoolExecutor(max_workers=n_parts) as pool:
            results = list(pool.map(tokenize, parts))
            return self._pool(*self._joined(results, word_tables, vocabulary), n_threads,
                              pool)

    @staticmethod
    def _joined(results, word_tables, vocabulary):
        """The units, offsets and feature tables of the parts a batch was tokenized in
        (``results``: the units, offsets and unknown tokens' tables of each part): each
        part's unknown units follow the words and the parts before it."""
        n_words = len(vocabulary)
        all_units, all_offsets, tables = [], [np.zeros(1, dtype=np.int64)], [word_tables]
        n_units = n_tokens = 0
        for units, offsets, unknown_tables in results:
            all_units.append(np.where(units >= n_words, units + n_units, units))
            all_offsets.append(offsets[1:] + n_tokens)
            tables.append(unknown_tables)
            n_units += unknown_tables.unit_offsets.shape[0] - 1
            n_tokens += int(offsets[-1])
        return np.concatenate(all_units), np.concatenate(all_offsets), concatenated(*tables)

    def _unknown_tables(self, unknown, end):
        """The feature tables of the tokens of ``unknown`` (a TokenTable), which have no
        word row (``end``: the index there of fastText's ``</s>``, -1 if not there)."""
        return self._token_tables(unknown, np.full(len(unknown), -1, dtype=np.int64),
                                  end if end >= 0 else -1)

    def _vocabulary_tables(self):
        """The :class:`~skw2v._token_table.TokenTable` of the words and the feature tables of
        the words as units (built once, not pickled)."""
        if not self._vocabulary:
            table = _token_table.TokenTable.of_words(self.words)
            tables = self._token_tables(table, np.arange(len(self.words)),
                                        table.index_of(EOS))
            self._vocabulary.extend([table, tables])
        return self._vocabulary[0], self._vocabulary[1]

    def _token_tables(self, table, own_rows, bare):
        """The feature tables of the tokens of ``table`` (a TokenTable), whose word rows are
        ``own_rows``: the table gives their hashes and bracketed bytes, so no token is
        encoded again; the token ``bare`` (fastText's ``</s>``, -1: none) has no character
        n-grams."""
        space = self.space
        hashes = (table.hashes.copy() if space.word_ngrams > 1
                  else np.zeros(len(table), dtype=np.int64))
        char_ngrams = None
        if space.char_ngram_range is not None:
            minn, maxn = space.char_ngram_range
            data, offsets = table.bracketed(bare=bare)
            char_ngrams = char_ngram_buckets(data, offsets, minn, maxn, space.n_buckets)
        return space.tables(None, own_rows, hashes, char_ngrams)

    def _pool(self, units, offsets, tables, n_threads, pool=None):
        """The mean input row of the documents ``units[offsets[i]:offsets[i + 1]]`` (units
        of ``tables``), the documents split among ``n_threads`` threads (of ``pool``, an
        executor of that many threads, when the caller has one)."""
        n_docs = offsets.shape[0] - 1
        out = np.zeros((n_docs, self.vector_size), dtype=np.float32)
        bounds = np.linspace(0, n_docs, max(min(n_threads, n_docs // 256), 1) + 1).astype(int)

        def part(k):
            a, b = bounds[k], bounds[k + 1]
            kernels.document_vectors(self.input, units, offsets[a:b + 1], tables, out[a:b])

        if bounds.shape[0] == 2:
            part(0)
        elif pool is not None:
            list(pool.map(part, range(bounds.shape[0] - 1)))
        else:
            with ThreadPoolExecutor(max_workers=bounds.shape[0] - 1) as own:
                list(own.map(part, range(bounds.shape[0] - 1)))
        return out

    def logits(self, hidden):
        """The output layer's logits of the document vectors ``hidden`` (float64): one per
        class, or per inner node of the tree (hs)."""
        return hidden.astype(np.float64) @ self.output.T.astype(np.float64)

    def scores(self, hidden):
        """Per class: logits (softmax, ns, ova), or fastText's scores (hs: the sum of
        ``log(p + 1e-5)`` along the class's path, see :meth:`HuffmanPaths.log_scores`),
        float64."""
        logits = self.logits(hidden)
        if self.loss == "hs":
            return self.tree.log_scores(logits)
        return logits

    def best_classes(self, hidden):
        """The index of the class of highest :meth:`scores` of each document (the first of
        equal ones). For hs, a depth-first search of the tree that leaves out the subtrees
        that cannot reach the best score found (as fastText's ``predict``, and exact: a
        step adds at most ``log(1 + 1e-5)`` to a score)."""
        if self.loss != "hs":
            return np.argmax(self.scores(hidden), axis=1)
        tree = self.tree
        leaves = kernels.hs_best_leaves(hidden, self.output, tree.inner_children(),
                                        tree.leaf_classes, tree.depth, FASTTEXT_LOG_EPSILON)
        return tree.leaf_classes[leaves]

    def probabilities(self, hidden):
        """Class probabilities of the document vectors ``hidden``: softmax (rows sum to 1),
        the sigmoids of ns normalised to sum 1, hs's product of the sigmoids along each
        class's path (rows sum to 1; fastText reports ``exp`` of :meth:`scores`, which is
        larger by up to about the depth times ``1e-5``), ova's sigmoid of each label."""
        logits = self.logits(hidden)
        if self.loss == "hs":
            return np.exp(self.tree.log_scores(logits, 0.0))
        if self.loss == "softmax":
            shifted = logits - logits.max(axis=1, keepdims=True)
            np.exp(shifted, out=shifted)
            return shifted / shifted.sum(axis=1, keepdims=True)
        sig = np.exp(-np.logaddexp(0.0, -logits))
        if self.loss == "ns":
            return sig / sig.sum(axis=1, keepdims=True)
        return sig
