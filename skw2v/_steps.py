"""The steps of ``fit`` and ``transform``, shared by the estimator and the Dask and Spark
front ends.

::

    plan_fit(estimator, X)            validated parameters, seeds, tokenizer (nothing is read)
      -> read_corpus(plan, X)         documents -> EncodedCorpus (ids in temporary files)
      -> choose_vocabulary(...)       kept words, most frequent first; raw id -> row remap
      -> train_vectors(...)           the Numba engine: WordVectors and the loss of each epoch
      -> learn_pooling(...)           PoolingStatistics per chunk or partition, merged
      -> commit(estimator, fitted)    every fitted attribute, written in one place

Nothing before :func:`commit` touches the estimator, so a fit that fails or is interrupted
anywhere (a bad document, a diverged training, Ctrl-C, a full disk, MemoryError) leaves a
fitted estimator exactly as it was.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from sklearn.utils import check_random_state

from . import _pooling, _subwords, _training, _vocab
from ._corpus import EncodedCorpus
from ._documents import Tokenizer, is_one_shot, iter_documents, n_documents
from ._io.common import check_finite
from ._progress import FitTask
from .word_vectors import WordVectors

#: The input-column attributes :func:`commit` deletes when the new input has no columns.
_INPUT_COLUMNS = ("n_features_in_", "feature_names_in_")


@dataclass(frozen=True)
class PoolingPlan:
    """How ``transform`` pools: the pooling parameters of the estimator."""

    pooling: str
    norm: str | None
    sif_smoothing: float
    remove_component: bool  # pooling="sif" with sif_remove_component=True


@dataclass(frozen=True)
class FitPlan:
    """Everything a fit needs from the estimator's validated parameters."""

    config: _training.TrainingConfig
    init_seed: int
    train_seed: int
    tokenizer: Tokenizer
    min_count: int
    max_vocab_size: int | None
    init: WordVectors | None
    pretrained_only: bool
    freeze_init: bool
    pooling: PoolingPlan
    input_columns: dict  # n_features_in_ / feature_names_in_ of a DataFrame input


def pooling_plan(estimator) -> PoolingPlan:
    """The pooling parameters of an estimator."""
    return PoolingPlan(
        pooling=estimator.pooling, norm=estimator.norm,
        sif_smoothing=float(estimator.sif_smoothing),
        remove_component=estimator.pooling == "sif" and bool(estimator.sif_remove_component),
    )


def input_columns(X) -> dict:
    """``n_features_in_`` and ``feature_names_in_`` of a DataFrame input (empty otherwise)."""
    if not isinstance(X, pd.DataFrame):
        return {}
    columns = {"n_features_in_": X.shape[1]}
    # As scikit-learn: feature names only when every column label is a str.
    if all(isinstance(column, str) for column in X.columns):
        columns["feature_names_in_"] = np.asarray(X.columns, dtype=object)
    return columns


def check_parameters(estimator) -> None:
    """Check each parameter against the estimator's ``_parameter_constraints``."""
    estimator._validate_params()


def plan_fit(estimator, X=None) -> FitPlan:
    """Check the parameters together and draw the fit's seeds (``random_state`` used once).

    ``X`` is only looked at for its columns (a one-column DataFrame); nothing is read.
    """
    check_parameters(estimator)
    if estimator.negative == 0 and not estimator.hs:
        raise ValueError("negative=0 with hs=False trains nothing: set negative > 0 "
                         "(negative sampling) or hs=True (hierarchical softmax).")
    init = estimator.init
    if estimator.epochs == 0 and init is None:
        raise ValueError("epochs=0 trains nothing; it is meant for init=<pretrained "
                         "WordVectors> used as they are. Set epochs >= 1, or pass "
                         "pretrained vectors as init.")
    ngram_range = estimator.char_ngram_range
    if ngram_range is not None:
        ngram_range = _subwords.check_ngram_range(ngram_range)
    if init is not None:
        if init.vector_size != estimator.vector_size:
            raise ValueError(f"init holds {init.vector_size}-dimensional vectors but "
                             f"vector_size={estimator.vector_size}; set vector_size="
                             f"{init.vector_size}.")
        if (ngram_range is not None and init.char_ngram_range is not None
                and (init.char_ngram_range, init.n_buckets)
                != (ngram_range, estimator.n_buckets)):
            raise ValueError(
                f"init is a subword model with char_ngram_range={init.char_ngram_range} and "
                f"n_buckets={init.n_buckets:,}, but this estimator has char_ngram_range="
                f"{ngram_range} and n_buckets={estimator.n_buckets:,}: its n-gram rows would "
                f"land in other buckets. Set char_ngram_range={init.char_ngram_range} and "
                f"n_buckets={init.n_buckets}.")
        _check_finite_init(init)
    if estimator.min_alpha > estimator.alpha:
        raise ValueError(f"min_alpha={estimator.min_alpha} is larger than alpha="
                         f"{estimator.alpha}; the learning rate decays from alpha to min_alpha.")
    config = _training.TrainingConfig(
        architecture=estimator.architecture,
        vector_size=int(estimator.vector_size),
        window=int(estimator.window),
        shrink_windows=bool(estimator.shrink_windows),
        cbow_mean=bool(estimator.cbow_mean),
        negative=int(estimator.negative),
        hs=bool(estimator.hs),
        sample=float(estimator.sample),
        ns_exponent=float(estimator.ns_exponent),
        alpha=float(estimator.alpha),
        min_alpha=float(estimator.min_alpha),
        epochs=int(estimator.epochs),
        n_threads=estimator._n_threads(),
        verbose=int(estimator.verbose),
        char_ngram_range=ngram_range,
        n_buckets=int(estimator.n_buckets),
    )
    random_state = check_random_state(estimator.random_state)
    init_seed, train_seed = random_state.randint(np.iinfo(np.int32).max, size=2)
    return FitPlan(
        config=config,
        init_seed=int(init_seed),
        train_seed=int(train_seed),
        tokenizer=Tokenizer(estimator.build_analyzer(), estimator.analyzer),
        min_count=int(estimator.min_count),
        max_vocab_size=(None if estimator.max_vocab_size is None
                        else int(estimator.max_vocab_size)),
        init=init,
        pretrained_only=estimator.init_vocabulary == "pretrained" or estimator.epochs == 0,
        freeze_init=bool(estimator.freeze_init),
        pooling=pooling_plan(estimator),
        input_columns=input_columns(X),
    )


def _check_finite_init(init):
    fix = ("Training would spread it to other words: replace or drop that word before "
           "passing the vectors as init.")
    check_finite(init.vectors_vocab,
                 lambda row: f"init: the vector of {init.index_to_word[row]!r} (row {row})", fix)
    if init.vectors_ngrams is not None:
        check_finite(init.vectors_ngrams, lambda row: f"init: n-gram row {row}", fix)


#: Words counted while reading, per word that ``max_vocab_size`` keeps: the counting budget.
COUNTING_BUDGET = 4
_MIN_COUNTING_BUDGET = 100_000


def read_corpus(plan: FitPlan, X, *, chunk_tokens=None) -> EncodedCorpus:
    """Read and encode the documents once (a context manager: closing frees the files).

    With ``max_vocab_size``, counting holds at most about
    ``2 * max(COUNTING_BUDGET * max_vocab_size, 100_000)`` distinct words, pretrained words
    aside, however many distinct tokens the documents hold.
    """
    max_distinct = None
    if plan.max_vocab_size is not None:
        max_distinct = max(COUNTING_BUDGET * plan.max_vocab_size, _MIN_COUNTING_BUDGET)
    return EncodedCorpus(iter_documents(X), plan.tokenizer, max_distinct=max_distinct,
                         chunk_tokens=chunk_tokens)


def choose_vocabulary(plan: FitPlan, words, counts, n_documents, n_tokens) -> _vocab.Vocabulary:
    """The kept vocabulary of a corpus given its words in first-appearance order."""
    if n_documents == 0:
        raise ValueError("The corpus is empty: fit needs at least one document.")
    if n_tokens == 0:
        raise ValueError(f"The {n_documents} documents hold no tokens; check "
                         "the analyzer settings (token_pattern, tokenizer).")
    vocabulary = _vocab.build_vocabulary(
        words, counts,
        min_count=plan.min_count, max_vocab_size=plan.max_vocab_size,
        pretrained=None if plan.init is None else plan.init.index_to_word,
        pretrained_only=plan.pretrained_only,
    )
    if not vocabulary.words:
        top = int(np.argmax(counts))
        raise ValueError(
            f"min_count={plan.min_count} removes every word: the most frequent word "
            f"{words[top]!r} occurs {counts[top]} times in "
            f"{n_tokens} tokens. Lower min_count or pass more documents."
        )
    if vocabulary.counts.sum() == 0:
        only = ("epochs=0 keeps only the pretrained words" if plan.config.epochs == 0
                else "init_vocabulary='pretrained' keeps only the pretrained words")
        raise ValueError(
            f"No word of the {n_documents} documents is in the pretrained vocabulary (init), "
            f"and {only}: there is nothing to train on, and every training document would "
            "pool to zeros. Check that the documents are tokenized like the pretrained "
            "vectors (lowercase, token_pattern), or use init_vocabulary='union' with "
            "epochs >= 1."
        )
    if keeps_init_rows(plan):
        vocabulary = _in_init_order(vocabulary, plan.init)
    return vocabulary


def keeps_init_rows(plan: FitPlan) -> bool:
    """Whether the fit keeps only pretrained words and trains none of their rows
    (``epochs=0``, or every pretrained word frozen): then ``wv_`` shares ``init``'s arrays,
    in ``init``'s order."""
    return (plan.init is not None and plan.pretrained_only
            and (plan.config.epochs == 0 or plan.freeze_init))


def _in_init_order(vocabulary, init):
    """``vocabulary`` (every word of ``init``) reordered as ``init``'s rows."""
    rows = np.array([init.word_to_index[word] for word in vocabulary.words], dtype=np.int32)
    counts = np.zeros(len(init), dtype=np.int64)
    counts[rows] = vocabulary.counts
    remap = np.where(vocabulary.remap >= 0, rows[np.maximum(vocabulary.remap, 0)], -1)
    return _vocab.Vocabulary(words=list(init.index_to_word), counts=counts,
                             remap=remap.astype(np.int32))


def _shared_init(plan, vocabulary, layout):
    """``wv_`` over ``plan.init``'s arrays, when a fit trains none of them (None when it
    must have its own: new n-gram rows)."""
    if not keeps_init_rows(plan):
        return None
    init = plan.init
    if plan.config.char_ngram_range is None:
        return init._sharing(vocabulary.counts, subwords=False)
    if init.char_ngram_range is not None and (
            layout is None or layout.n_ngram_rows == init.vectors_ngrams.shape[0]):
        return init._sharing(vocabulary.counts, subwords=True)
    return None


def train_vectors(plan: FitPlan, corpus, remap, vocabulary, progress=None):
    """Train on ``corpus`` (raw ids mapped to vocabulary rows by ``remap``), reporting to
    ``progress`` (a :class:`skw2v._progress.FitProgress` or None).

    Returns ``(WordVectors, loss_history)``.
    """
    config = plan.config
    if config.epochs == 0 and (shared := _shared_init(plan, vocabulary, None)) is not None:
        return shared, []  # nothing trained: no copy of init
    words = vocabulary.words
    n_words = len(words)
    layout = None
    n_ngram_rows = 0
    if config.char_ngram_range is not None:
        layout = subword_layout(words, config, plan.init)
        n_ngram_rows = layout.n_ngram_rows
    _training.check_memory(n_words, config, corpus.max_document_tokens, n_ngram_rows)
    state = _training.initial_state(vocabulary.counts, config, plan.init_seed, n_ngram_rows)
    if layout is not None:
        state.sub_offsets, state.sub_rows = layout.sub_offsets, layout.sub_rows
    if plan.init is not None:
        init = plan.init
        rows = np.array([init.word_to_index.get(word, -1) for word in words], dtype=np.int64)
        known = rows >= 0
        # A subword model's own rows continue as own rows; any other init gives its vectors.
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
        if progress is not None:
            def fitted_so_far(step):
                """The fitted attributes had training stopped at ``step`` (a copy of the
                weights, and the pooling learned with them: a pass over the corpus)."""
                wv = _word_vectors(words, vocabulary.counts, state.syn0.copy(), layout,
                                   config)
                fitted, _ = learn_pooling(plan, corpus, remap, wv, list(step.loss_history))
                return fitted_attributes(fitted)

            progress.bind(fitted_so_far)
        losses = _training.train(corpus, remap, vocabulary.counts, state, config,
                                 plan.train_seed, progress)
    if (not np.any(state.lock_factor)
            and (shared := _shared_init(plan, vocabulary, layout)) is not None):
        wv = shared  # every input row frozen: they equal init's, which wv_ shares
    else:
        wv = _word_vectors(words, vocabulary.counts, state.syn0, layout, config)
    return wv, [float(loss) for loss in losses]


def _word_vectors(words, counts, syn0, layout, config):
    """The WordVectors owning the input rows ``syn0`` (words, then n-gram rows)."""
    if layout is None:
        return WordVectors._owning(words, syn0, counts=counts)
    n_words = len(words)
    wv = WordVectors._owning(words, np.empty((n_words, 0), dtype=np.float32), counts=counts)
    wv._set_subwords(syn0[:n_words], syn0[n_words:], layout.kept_buckets,
                     config.char_ngram_range, config.n_buckets)
    return wv


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


# ------------------------------------------------------------------------------ pooling
class Pooler:
    """Pools count matrices of documents into rows with given word vectors and weights.

    A subword model also pools tokens outside its vocabulary, from their character n-grams
    (:meth:`unseen`), as extra columns after the vocabulary; they weigh as the rarest word.
    """

    def __init__(self, plan: PoolingPlan, wv: WordVectors, idf=None, component=None):
        self.plan, self.wv, self.idf, self.component = plan, wv, idf, component

    @property
    def subwords(self):
        return self.wv.char_ngram_range is not None

    def unseen(self, words):
        """``(has_vector, vectors)`` of distinct tokens outside the vocabulary: composed from
        n-grams for a subword model (a token none of whose n-grams has a row has none)."""
        if not self.subwords or not words:
            return np.zeros(len(words), dtype=bool), np.zeros((0, self.wv.vector_size),
                                                              dtype=np.float32)
        vectors = self.wv._compose(words, np.full(len(words), -1))
        has_vector = np.any(vectors != 0, axis=1)
        return has_vector, vectors[has_vector]

    def word_weights(self, n_extra=0):
        if self.plan.pooling == "idf":
            weights = self.idf
        elif self.plan.pooling == "sif":
            weights = _pooling.sif_weights(self.wv.counts, self.plan.sif_smoothing)
        else:
            return None
        if n_extra:
            weights = np.concatenate([weights, np.full(n_extra, weights.max(initial=1.0),
                                                       dtype=np.float32)])
        return weights

    def pool(self, counts, finish=True, extra=None):
        """Rows of the documents of a CSR count matrix (``extra``: vectors of its columns
        after the vocabulary); ``finish`` applies the SIF correction and the norm."""
        vectors = self.wv.vectors
        n_extra = 0 if extra is None else extra.shape[0]
        if n_extra:
            vectors = np.concatenate([vectors, extra])
        pooled = _pooling.pool(counts, vectors, self.plan.pooling, self.word_weights(n_extra))
        return self.finish(pooled) if finish else pooled

    def finish(self, pooled):
        if self.plan.remove_component:
            pooled = _pooling.remove_component(pooled, self.component)
        if self.plan.norm == "l2":
            pooled = _pooling.l2_normalize(pooled)
        return pooled


@dataclass
class PoolingStatistics:
    """What the pooling weights are learned from; computed per chunk or partition, merged.

    Attributes
    ----------
    document_frequency : ndarray of int64
        Number of documents holding each word.
    n_documents : int
    gram : ndarray of shape (vector_size, vector_size) or None
        Gram matrix of the pooled (uncorrected) rows, when the SIF direction is learned.
    """

    document_frequency: np.ndarray
    n_documents: int
    gram: np.ndarray | None

    @classmethod
    def of_counts(cls, pooler: Pooler, counts, pooled=None) -> PoolingStatistics:
        """Statistics of the documents of one CSR count matrix over the vocabulary
        (``pooled``: their rows before the SIF correction, when already computed)."""
        frequency = np.bincount(counts.indices, minlength=counts.shape[1]).astype(np.int64)
        gram = None
        if pooler.plan.remove_component:
            if pooled is None:
                pooled = pooler.pool(counts, finish=False)
            gram = pooled.T.astype(np.float64) @ pooled
        return cls(frequency, counts.shape[0], gram)

    def merge(self, other: PoolingStatistics) -> PoolingStatistics:
        gram = None if self.gram is None else self.gram + other.gram
        return PoolingStatistics(self.document_frequency + other.document_frequency,
                                 self.n_documents + other.n_documents, gram)


def pooling_weights(plan: PoolingPlan, statistics: PoolingStatistics):
    """``(idf, sif_component)`` learned from the merged statistics."""
    idf = _pooling.idf_weights(statistics.document_frequency, statistics.n_documents)
    component = (_pooling.first_component(statistics.gram) if plan.remove_component
                 else None)
    return idf, component


@dataclass(frozen=True)
class FittedModel:
    """Every fitted attribute of a Word2VecVectorizer, before :func:`commit` writes them."""

    wv: WordVectors
    loss_history: list
    n_documents: int
    n_tokens: int
    idf: np.ndarray
    sif_component: np.ndarray | None
    pooling: PoolingPlan
    input_columns: dict


def learn_pooling(plan: FitPlan, corpus, remap, wv, loss_history, *, return_pooled=False):
    """Pool the encoded training documents: ``(FittedModel, rows or None)``.

    One pass counts the document frequencies (and, for SIF, the Gram matrix of the pooled
    rows; with ``return_pooled`` the rows too); ``pooling="idf"`` with ``return_pooled``
    needs a second pass, since its rows need the idf of the whole corpus.
    """
    n_words = len(wv)
    pooler = Pooler(plan.pooling, wv)
    rows = None
    if return_pooled:
        rows = np.empty((corpus.n_documents, wv.vector_size), dtype=np.float32)
    keep_rows_now = return_pooled and plan.pooling.pooling != "idf"
    statistics = PoolingStatistics(np.zeros(n_words, dtype=np.int64), 0,
                                   np.zeros((wv.vector_size,) * 2) if
                                   plan.pooling.remove_component else None)

    # The statistics (idf, the SIF component) come from the vocabulary's words. The rows of
    # a subword model pool the corpus's other words too, as transform pools them: each that
    # has a vector gets a column after the vocabulary (a second pass).
    row_remap, extra = _unseen_columns(pooler, corpus, remap)
    keep_rows_now = keep_rows_now and extra is None

    def chunk_counts(remap, n_columns):
        for ids, offsets, chunk_remap in corpus.chunks(remap):
            yield _pooling.counts_from_ids(chunk_remap[ids], np.diff(offsets), n_columns)

    for counts in chunk_counts(remap, n_words):
        pooled = None
        if keep_rows_now:
            pooled = pooler.pool(counts, finish=False)
            start = statistics.n_documents
            rows[start:start + counts.shape[0]] = pooled
        statistics = statistics.merge(PoolingStatistics.of_counts(pooler, counts, pooled))
    idf, component = pooling_weights(plan.pooling, statistics)
    if return_pooled:
        pooler = Pooler(plan.pooling, wv, idf, component)
        if keep_rows_now:
            rows = pooler.finish(rows)
        else:
            start = 0
            n_columns = n_words + (0 if extra is None else extra.shape[0])
            for counts in chunk_counts(row_remap, n_columns):
                rows[start:start + counts.shape[0]] = pooler.pool(counts, extra=extra)
                start += counts.shape[0]
    fitted = FittedModel(wv=wv, loss_history=loss_history, n_documents=corpus.n_documents,
                         n_tokens=corpus.n_tokens, idf=idf, sif_component=component,
                         pooling=plan.pooling, input_columns=plan.input_columns)
    return fitted, rows


def _unseen_columns(pooler, corpus, remap):
    """``(remap, extra)``: ``remap`` extended so that each corpus word outside the vocabulary
    with a subword vector maps to a column after the vocabulary, and those vectors."""
    if not pooler.subwords or corpus.words is None:  # no strings of Dask's dropped words
        return remap, None
    outside = np.flatnonzero(remap[:len(corpus.words)] < 0)
    has_vector, extra = pooler.unseen([corpus.words[i] for i in outside])
    remap = remap.copy()
    remap[outside[has_vector]] = len(pooler.wv) + np.arange(int(has_vector.sum()))
    return remap, extra


def fitted_attributes(fitted: FittedModel) -> dict:
    """Every fitted attribute of ``fitted``, by name, in the order :func:`commit` sets them."""
    return {
        **fitted.input_columns,
        "loss_history_": list(fitted.loss_history),
        "corpus_document_count_": int(fitted.n_documents),
        "corpus_token_count_": int(fitted.n_tokens),
        "idf_": fitted.idf,
        "sif_component_": fitted.sif_component,
        "_sif_fit_smoothing": fitted.pooling.sif_smoothing,
        "wv_": fitted.wv,
        # Last, as scikit-learn assigns vocabulary_ last in CountVectorizer.
        "vocabulary_": dict(fitted.wv.word_to_index),
    }


def commit(estimator, fitted: FittedModel) -> None:
    """Write every fitted attribute of ``estimator`` from ``fitted``, in one place."""
    for name in _INPUT_COLUMNS:
        estimator.__dict__.pop(name, None)
    estimator.__dict__.update(fitted_attributes(fitted))


def fit_in_memory(estimator, X, *, return_pooled=False, chunk_tokens=None):
    """The whole in-memory fit of ``estimator`` on ``X``; returns the pooled rows or None.

    ``chunk_tokens`` sets the chunk size of the encoded corpus (None: the default). The
    training reports to the ``verbose`` lines, the estimator's scikit-learn callbacks and the
    observers of :func:`skw2v._progress.observing`.
    """
    plan = plan_fit(estimator, X)
    task = FitTask(estimator, plan.config.epochs, X)
    with read_corpus(plan, X, chunk_tokens=chunk_tokens) as corpus:
        vocabulary = choose_vocabulary(plan, corpus.words, corpus.counts, corpus.n_documents,
                                       corpus.n_tokens)
        progress = task.progress(plan.config.verbose, corpus.n_chunks)
        wv, losses = train_vectors(plan, corpus, vocabulary.remap, vocabulary, progress)
        fitted, rows = learn_pooling(plan, corpus, vocabulary.remap, wv, losses,
                                     return_pooled=return_pooled)
    commit(estimator, fitted)
    task.end()
    return rows


# ------------------------------------------------------------------------------ transform
def _document_label(position):
    return f"Document {position}"


def transform(estimator, X, where=None):
    """Pool the documents of ``X`` with a fitted estimator (``Word2VecVectorizer.transform``).

    ``where(position)`` names a document in error messages (default ``"Document 3"``).
    Writes into one preallocated array when the number of documents is known.
    """
    where = _document_label if where is None else where
    pooler = estimator._pooler()
    tokenizer = Tokenizer(estimator.build_analyzer(), estimator.analyzer)
    word_index = estimator._word_index()
    dim = estimator.wv_.vector_size
    known = n_documents(X)
    out = None if known is None else np.empty((known, dim), dtype=np.float32)
    batches = []  # pooled batches, when the number of documents is not known in advance
    n_done = 0
    batch = []

    def pool_batch():
        nonlocal n_done
        counts, _, extra = _pooling.count_matrix(
            batch, word_index, pooler.unseen if pooler.subwords else None)
        pooled = pooler.pool(counts, extra=extra)
        if out is None:
            batches.append(pooled)
        else:
            if n_done + pooled.shape[0] > out.shape[0]:
                raise ValueError(f"X yielded more than the {out.shape[0]} documents its len() "
                                 "announced.")
            out[n_done:n_done + pooled.shape[0]] = pooled
        n_done += pooled.shape[0]
        batch.clear()

    for position, document in enumerate(iter_documents(X)):
        batch.append(tokenizer(document, where(position)))
        if len(batch) == _pooling.BATCH_DOCUMENTS:
            pool_batch()
    if batch:
        pool_batch()
    if out is not None:
        if n_done != out.shape[0]:
            raise ValueError(f"X yielded {n_done} documents, but its len() is {out.shape[0]}.")
        return out
    if n_done == 0 and is_one_shot(X):
        raise ValueError("X is an iterator that yielded no document: it may have been "
                         "consumed already (a generator can be read only once). Pass a list, "
                         "or a new generator.")
    if not batches:
        return np.zeros((0, dim), dtype=np.float32)
    return np.vstack(batches) if len(batches) > 1 else batches[0]
