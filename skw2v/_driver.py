"""The fit driver: the only code that sequences a fit, for every front end.

::

    fit(estimator, source, trainer)
      check_parameters, trainer.check     the parameters, alone and together (nothing read)
      trainer.plan                        the plan: validated settings, seeds (random_state
                                          used once); plan_fit for word vectors
      FitTask                             the scikit-learn callback task "fit" begins
      source.read(plan)                   a Corpus: counts (and, for local trainers, ids on disk)
        choose_vocabulary                 kept words, most frequent first, and the IdMap
        task.vocabulary                   the observers of every fit see the words (one may
                                          refuse them before the long part starts)
        corpus.encode(vocabulary, ids)    a source that encodes after choosing (Dask) does it now
        trainer.train(...)                what was trained (WordVectors, or a classifier's
                                          model) and the loss of each epoch; epoch and chunk
                                          subtasks report to the callbacks
        trainer.fitted(...)               every fitted attribute; for word vectors, with the
                                          pooling statistics (idf, SIF component), merged
      task.end(state)                     the fit task's last callbacks (a callback that
                                          wants the fitted estimator gets a copy holding
                                          the new state)
      commit                              every fitted attribute, written in one place
                                          (the new state in one assignment), once the last
                                          callback has returned

A *source* (:mod:`skw2v._sources`; Dask partitions in :mod:`skw2v.dask`, a Spark DataFrame in
:mod:`skw2v.spark`, a gensim model's vocabulary in :mod:`skw2v._gensim_mirror`) yields the
corpus; a *trainer* (:mod:`skw2v._trainers`: the Numba engine, or none for ``epochs=0``; Spark
MLlib; the gensim mirror; the supervised engine of :mod:`skw2v._supervised`, for
``Word2VecClassifier``) turns it into vectors. A trainer of word vectors takes its plan and
its fitted attributes from :class:`WordVectorFit`. Nothing before :func:`commit` touches the
estimator, and nothing runs after it, so a fit that fails anywhere (a bad document, a
diverged training, Ctrl-C, a full disk, a callback that raises at any task's end) leaves a
fitted estimator exactly as it was, and another thread never sees a half-committed one.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from sklearn.utils import check_random_state

from . import _subwords, _training, _vocab
from ._documents import Tokenizer
from ._ids import IdMap
from ._io.common import check_finite
from ._pooler import Pooler, PoolingPlan
from ._progress import FitTask, with_callbacks

#: The input-column attributes :func:`commit` deletes when the new input has no columns.
_INPUT_COLUMNS = ("n_features_in_", "feature_names_in_")


@dataclass(frozen=True)
class FitPlan:
    """Everything a fit needs from the estimator's validated parameters."""

    config: _training.TrainingConfig
    init_seed: int
    train_seed: int
    tokenizer: Tokenizer
    min_count: int
    max_vocab_size: int | None
    init: object  # WordVectors or None
    pretrained_only: bool
    freeze_init: bool
    pooling: PoolingPlan
    input_columns: dict  # n_features_in_ / feature_names_in_ of a DataFrame input

    @property
    def keeps_init_rows(self) -> bool:
        """Whether the fit keeps only pretrained words and trains none of their rows
        (``epochs=0``, or every pretrained word frozen): then ``wv_`` shares ``init``'s
        arrays, in ``init``'s order."""
        return (self.init is not None and self.pretrained_only
                and (self.config.epochs == 0 or self.freeze_init))


def check_parameters(estimator) -> None:
    """Check each parameter against the estimator's ``_parameter_constraints``."""
    estimator._validate_params()


def check_init(estimator, ngram_range) -> None:
    """``init`` suits the estimator: its dimension, its n-gram settings, finite vectors."""
    init = estimator.init
    if init is None:
        return
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
    trains_no_init_row = estimator.epochs == 0 or (  # (the classifier has no such setting)
        getattr(estimator, "init_vocabulary", "union") == "pretrained" and estimator.freeze_init)
    if ngram_range is not None and init.char_ngram_range is None and trains_no_init_row:
        setting = ("epochs=0" if estimator.epochs == 0
                   else "init_vocabulary='pretrained' with freeze_init=True")
        raise ValueError(
            f"init holds plain word vectors and char_ngram_range={ngram_range} adds character "
            f"n-gram rows to every word's vector, while {setting} promises the pretrained "
            "vectors as they are: each would come back averaged with n-gram rows that init "
            "does not hold. Train them (epochs >= 1, freeze_init=False), drop "
            "char_ngram_range to use the vectors as they are, or pass a subword model "
            "(fastText's .bin) as init.")
    fix = ("Training would spread it to other words: replace or drop that word before "
           "passing the vectors as init.")
    check_finite(init.vectors_vocab,
                 lambda row: f"init: the vector of {init.index_to_word[row]!r} (row {row})", fix)
    if init.vectors_ngrams is not None:
        check_finite(init.vectors_ngrams, lambda row: f"init: n-gram row {row}", fix)


def check_learning_rate(estimator) -> None:
    """``min_alpha <= alpha``: the learning rate decays from ``alpha`` to ``min_alpha``."""
    if estimator.min_alpha > estimator.alpha:
        raise ValueError(f"min_alpha={estimator.min_alpha} is larger than alpha="
                         f"{estimator.alpha}; the learning rate decays from alpha to min_alpha.")


def plan_fit(estimator, input_columns=None) -> FitPlan:
    """The validated settings of a fit and its seeds (``random_state`` used once here).

    The parameters have been checked (:func:`check_parameters`, the trainer's ``check``).
    """
    ngram_range = estimator.char_ngram_range
    if ngram_range is not None:
        ngram_range = _subwords.check_trained_ngram_range(ngram_range)
    check_init(estimator, ngram_range)
    check_learning_rate(estimator)
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
        init=estimator.init,
        pretrained_only=estimator.init_vocabulary == "pretrained" or estimator.epochs == 0,
        freeze_init=bool(estimator.freeze_init),
        pooling=PoolingPlan.of(estimator),
        input_columns=dict(input_columns or {}),
    )


def choose_vocabulary(plan: FitPlan, corpus) -> tuple[_vocab.Vocabulary, IdMap]:
    """The kept vocabulary of a corpus (its ``words`` in first-appearance order, ``counts``,
    ``n_documents``, ``n_tokens``) and the map of its ids to the vocabulary's rows."""
    words, counts = corpus.words, corpus.counts
    if corpus.n_documents == 0:
        raise ValueError("The corpus is empty: fit needs at least one document.")
    if corpus.n_tokens == 0:
        raise ValueError(f"The {corpus.n_documents} documents hold no tokens; check "
                         "the analyzer settings (token_pattern, tokenizer).")
    vocabulary, ids = _vocab.build_vocabulary(
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
            f"{corpus.n_tokens} tokens. Lower min_count or pass more documents."
        )
    if vocabulary.counts.sum() == 0:
        only = ("epochs=0 keeps only the pretrained words" if plan.config.epochs == 0
                else "init_vocabulary='pretrained' keeps only the pretrained words")
        raise ValueError(
            f"No word of the {corpus.n_documents} documents is in the pretrained vocabulary "
            f"(init), and {only}: there is nothing to train on, and every training document "
            "would pool to zeros. Check that the documents are tokenized like the pretrained "
            "vectors (lowercase, token_pattern), or use init_vocabulary='union' with "
            "epochs >= 1."
        )
    if plan.keeps_init_rows:
        # Every word of init, reordered as init's rows.
        init = plan.init
        rows = np.array([init.word_to_index[word] for word in vocabulary.words],
                        dtype=np.int32)
        counts = np.zeros(len(init), dtype=np.int64)
        counts[rows] = vocabulary.counts
        vocabulary = _vocab.Vocabulary(words=list(init.index_to_word), counts=counts)
        ids = ids.reordered(rows)
    return vocabulary, ids


@dataclass(frozen=True)
class FittedModel:
    """Every fitted attribute of a Word2VecVectorizer, before :func:`commit` writes them."""

    wv: object  # WordVectors
    loss_history: list
    n_documents: int
    n_tokens: int
    idf: np.ndarray | None
    sif_component: np.ndarray | None
    pooling: PoolingPlan
    input_columns: dict


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


def fitted_state(estimator, new: dict) -> dict:
    """The ``__dict__`` of ``estimator`` with the fitted attributes ``new`` (by name); the
    input-column attributes the new ones lack are left out."""
    state = dict(estimator.__dict__)
    for name in _INPUT_COLUMNS:
        state.pop(name, None)
    state.update(new)
    return state


def commit(estimator, new: dict) -> None:
    """Write every fitted attribute of ``estimator`` (``new``, by name, or ``state``, a whole
    :func:`fitted_state`), in one place.

    The estimator's ``__dict__`` is replaced by the new one in a single assignment, so a
    reader that takes ``vars(estimator)`` once (``transform`` does) sees either every old
    attribute or every new one, never a mix, while another thread refits.
    """
    estimator.__dict__ = fitted_state(estimator, new)


def _fitted_model(plan, corpus, wv, losses, pooler):
    return FittedModel(wv=wv, loss_history=[float(loss) for loss in losses],
                       n_documents=corpus.n_documents, n_tokens=corpus.n_tokens,
                       idf=None if pooler is None else pooler.idf,
                       sif_component=None if pooler is None else pooler.component,
                       pooling=plan.pooling, input_columns=plan.input_columns)


class WordVectorFit:
    """The plan and the fitted attributes of a ``Word2VecVectorizer`` fit: what every trainer
    of word vectors shares (the Numba engine, ``epochs=0``, Spark MLlib, the gensim mirror).
    """

    def plan(self, estimator, input_columns):
        """:func:`plan_fit`."""
        return plan_fit(estimator, input_columns)

    def fitted(self, plan, corpus, ids, wv, losses, *, return_pooled=False):
        """``(fitted attributes, pooled rows or None)``: the pooling statistics of the corpus
        learned with ``wv``, and every attribute of :func:`fitted_attributes`."""
        pooler, rows = corpus.fit_pooler(Pooler(plan.pooling, wv), ids,
                                         return_pooled=return_pooled)
        return fitted_attributes(_fitted_model(plan, corpus, wv, losses, pooler)), rows


def fit(estimator, source, trainer, *, return_pooled=False):
    """Fit ``estimator`` on what ``source`` reads with ``trainer``; see the module docstring.

    Returns the pooled rows of the training documents with ``return_pooled`` (a source with
    the documents on this machine only, and a trainer of word vectors), else None.
    """
    check_parameters(estimator)
    trainer.check(estimator)
    plan = trainer.plan(estimator, source.input_columns())
    task = FitTask(estimator, trainer.n_epochs(plan), source.X)
    with source.read(plan) as corpus:
        if corpus.vocabulary is not None:  # a source that brings its own (gensim's)
            vocabulary, ids = corpus.vocabulary, corpus.ids
        else:
            vocabulary, ids = choose_vocabulary(plan, corpus)
        task.vocabulary(vocabulary.words)
        if corpus.vocabulary is None:
            ids = corpus.encode(vocabulary, ids)

        def attributes_at(trained, losses):
            """The fitted attributes had training stopped with ``trained`` and ``losses``."""
            return trainer.fitted(plan, corpus, ids, trained, losses)[0]

        progress = task.progress(plan.config.verbose, corpus.n_chunks)
        trained, losses = trainer.train(plan, corpus, vocabulary, ids, progress,
                                        attributes_at)
        attributes, rows = trainer.fitted(plan, corpus, ids, trained, losses,
                                          return_pooled=return_pooled)
    state = fitted_state(estimator, attributes)
    task.end(state)  # a callback that raises leaves the estimator as it was
    estimator.__dict__ = state  # the commit: one assignment (see commit)
    return rows


#: :func:`fit` for front ends that are not an estimator's own fit method (scikit-learn wraps
#: those): sets the estimator's callbacks up, and tears them down when the fit returns or
#: raises.
fit_with_callbacks = with_callbacks(fit)
