"""Trainers: what turns a corpus and a vocabulary into vectors (see :mod:`skw2v._driver`).

A trainer has ``check(estimator)`` (refuse, before anything is read, what it cannot train),
``plan(estimator, input_columns)`` and ``fitted(...)`` (for word vectors, from
:class:`skw2v._driver.WordVectorFit`), ``n_epochs(plan)`` (the epoch subtasks it reports
to the callbacks; 0: the fit task alone) and
``train(plan, corpus, vocabulary, ids, progress, attributes_at)``, which returns
``(WordVectors, loss of each epoch)``. ``attributes_at(wv, losses)`` gives the fitted
attributes had training stopped there, for callbacks that ask for the model so far.

Here: :class:`NumbaEngine` (the local engine) and :class:`KeepInit` (``epochs=0``: the
pretrained vectors as they are). Spark MLlib and the gensim mirror are trainers of their
front ends (:mod:`skw2v.spark`, :mod:`skw2v._gensim_mirror`).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from . import _subwords, _training
from ._driver import WordVectorFit
from .word_vectors import WordVectors


def for_estimator(estimator):
    """The local trainer of an estimator: none for ``epochs=0``, else the Numba engine."""
    return KeepInit() if estimator.epochs == 0 else NumbaEngine()


def check_engine_parameters(estimator):
    """The Numba engine trains something: negative sampling or hierarchical softmax."""
    if estimator.negative == 0 and not estimator.hs:
        raise ValueError("negative=0 with hs=False trains nothing: set negative > 0 "
                         "(negative sampling) or hs=True (hierarchical softmax).")


@dataclass
class SubwordLayout:
    """Where a subword model's n-gram rows live: ``kept_buckets`` (sorted bucket of each
    n-gram row, None for all buckets in order), each word's input rows (``sub_offsets``,
    ``sub_rows``) and the n-gram row of each row of ``init.vectors_ngrams`` (``init_rows``,
    None without a subword init)."""

    kept_buckets: np.ndarray | None
    n_ngram_rows: int
    sub_offsets: np.ndarray
    sub_rows: np.ndarray
    init_rows: np.ndarray | None


def subword_layout(words, config, init=None) -> SubwordLayout:
    """The n-gram rows of a model of ``words``: the buckets their n-grams hash to, together
    with every bucket of a subword ``init`` (so fine-tuning keeps what the pretrained model
    knows about unseen words)."""
    offsets, buckets = _subwords.ngram_buckets(words, config.char_ngram_range,
                                               config.n_buckets)
    init_rows = None
    if init is not None and init.char_ngram_range is not None:
        if init.ngram_buckets is None:  # every bucket, in order
            kept = None
            init_rows = np.arange(config.n_buckets, dtype=np.int64)
        else:
            kept = np.union1d(np.unique(buckets), init.ngram_buckets)
            init_rows = np.searchsorted(kept, init.ngram_buckets)
    else:
        kept = np.unique(buckets)
    n_ngram_rows = config.n_buckets if kept is None else int(kept.size)
    rows = _subwords.bucket_rows(buckets, kept)
    sub_offsets, sub_rows = _subwords.input_rows(len(words), offsets, rows)
    return SubwordLayout(kept, n_ngram_rows, sub_offsets, sub_rows, init_rows)


def _word_vectors(words, counts, syn0, layout, config):
    """The WordVectors owning the input rows ``syn0`` (words, then n-gram rows)."""
    if layout is None:
        return WordVectors._owning(words, syn0, counts=counts)
    n_words = len(words)
    wv = WordVectors._owning(words, np.empty((n_words, 0), dtype=np.float32), counts=counts)
    wv._set_subwords(syn0[:n_words], syn0[n_words:], layout.kept_buckets,
                     config.char_ngram_range, config.n_buckets)
    return wv


def _shared_init(plan, vocabulary, layout):
    """``wv_`` over ``plan.init``'s arrays, when a fit trains none of them (None when it
    must have its own: new n-gram rows)."""
    if not plan.keeps_init_rows:
        return None
    init = plan.init
    if plan.config.char_ngram_range is None:
        return init._sharing(vocabulary.counts, subwords=False)
    if init.char_ngram_range is not None and (
            layout is None or layout.n_ngram_rows == init.vectors_ngrams.shape[0]):
        return init._sharing(vocabulary.counts, subwords=True)
    return None


class NumbaEngine(WordVectorFit):
    """The local engine: skip-gram or CBOW kernels on ``n_jobs`` threads over the encoded
    corpus (:func:`skw2v._training.train`)."""

    def check(self, estimator):
        check_engine_parameters(estimator)

    def n_epochs(self, plan):
        return plan.config.epochs

    def train(self, plan, corpus, vocabulary, ids, progress=None, attributes_at=None):
        config = plan.config
        words = vocabulary.words
        n_words = len(words)
        layout = None
        n_ngram_rows = 0
        if config.char_ngram_range is not None:
            layout = subword_layout(words, config, plan.init)
            n_ngram_rows = layout.n_ngram_rows
        encoded = corpus.encoded
        _training.check_memory(n_words, config, encoded.max_document_tokens, n_ngram_rows)
        state = _training.initial_state(vocabulary.counts, config, plan.init_seed,
                                        n_ngram_rows)
        if layout is not None:
            state.sub_offsets, state.sub_rows = layout.sub_offsets, layout.sub_rows
        if plan.init is not None:
            init = plan.init
            rows = np.array([init.word_to_index.get(word, -1) for word in words],
                            dtype=np.int64)
            known = rows >= 0
            # A subword model's own rows continue as own rows; any other init gives its
            # vectors.
            source = init.vectors_vocab if layout is not None else init.vectors
            state.syn0[:n_words][known] = source[rows[known]]
            if plan.freeze_init:
                state.lock_factor[:n_words][known] = 0.0
            if layout is not None and layout.init_rows is not None:
                state.syn0[n_words + layout.init_rows] = init.vectors_ngrams
                if plan.freeze_init:
                    state.lock_factor[n_words + layout.init_rows] = 0.0
        losses = []
        if config.epochs > 0:
            if progress is not None and attributes_at is not None:
                # The model had training stopped at ``step``: a copy of the weights, and the
                # pooling learned with them (a pass over the corpus).
                progress.bind(lambda step: attributes_at(
                    _word_vectors(words, vocabulary.counts, state.syn0.copy(), layout,
                                  config),
                    list(step.loss_history)))
            losses = _training.train(encoded, ids, vocabulary.counts, state, config,
                                     plan.train_seed, progress)
        if (not np.any(state.lock_factor)
                and (shared := _shared_init(plan, vocabulary, layout)) is not None):
            return shared, losses  # every input row frozen: they equal init's, which wv_ shares
        return _word_vectors(words, vocabulary.counts, state.syn0, layout, config), losses


class KeepInit(WordVectorFit):
    """``epochs=0``: the pretrained vectors (``init``) as they are, for the words kept."""

    def check(self, estimator):
        check_engine_parameters(estimator)
        if estimator.init is None:
            raise ValueError("epochs=0 trains nothing; it is meant for init=<pretrained "
                             "WordVectors> used as they are. Set epochs >= 1, or pass "
                             "pretrained vectors as init.")

    def n_epochs(self, plan):
        return 0

    def train(self, plan, corpus, vocabulary, ids, progress=None, attributes_at=None):
        shared = _shared_init(plan, vocabulary, None)
        if shared is not None:
            return shared, []  # nothing trained: no copy of init
        # New n-gram rows (a plain init in a subword model): the engine lays them out; with
        # epochs=0 it trains nothing.
        return NumbaEngine().train(plan, corpus, vocabulary, ids, progress, attributes_at)
