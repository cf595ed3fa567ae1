"""``Word2VecVectorizer``: the scikit-learn estimator that learns word vectors."""

from __future__ import annotations

from numbers import Integral, Real

import numpy as np
import pandas as pd
from sklearn.base import (
    BaseEstimator,
    ClassNamePrefixFeaturesOutMixin,
    TransformerMixin,
    _fit_context,
)
from sklearn.utils import check_random_state
from sklearn.utils._param_validation import Interval, StrOptions
from sklearn.utils.validation import check_is_fitted

from . import _pooling, _training, _vocab
from ._corpus import EncodedCorpus, check_document, iter_documents
from ._text import PRETOKENIZED, build_analyzer
from ._threads import resolve_n_threads
from .word_vectors import WordVectors

__all__ = ["Word2VecVectorizer"]


class Word2VecVectorizer(ClassNamePrefixFeaturesOutMixin, TransformerMixin, BaseEstimator):
    r"""Learn word2vec word vectors from documents and turn each document into one vector.

    ``fit`` learns word vectors (skip-gram or CBOW); ``transform`` pools the vectors of each
    document's known words into one row, so the estimator is the first step of a
    :class:`~sklearn.pipeline.Pipeline` over raw text.

    Training runs compiled Numba kernels on ``n_jobs`` threads without the GIL. Documents are
    read once: they are tokenized like :class:`~sklearn.feature_extraction.text.CountVectorizer`
    does, encoded as integer ids and kept in a temporary file, so any iterable of documents
    (a generator too) or a text file of any size trains in bounded memory.

    Parameters
    ----------
    vector_size : int, default=100
        Dimension of the word vectors.
    window : int, default=5
        Maximum distance between the centre word and a context word, within a document.
    min_count : int, default=5
        Words occurring fewer times are ignored.
    max_vocab_size : int, default=None
        Keep only this many of the most frequent words (after ``min_count``); None keeps all.
    architecture : {"skipgram", "cbow"}, default="skipgram"
        ``"skipgram"`` predicts the centre word from each context word; ``"cbow"`` predicts it
        from the mean (or sum) of its context.
    negative : int, default=5
        Number of negative samples drawn per centre word; 0 disables negative sampling.
    hs : bool, default=False
        Also (or, with ``negative=0``, only) train a hierarchical softmax over a Huffman tree.
    sample : float, default=1e-3
        Subsampling threshold, as a fraction of the corpus: words more frequent than this are
        randomly dropped (the word2vec formula). 0 disables subsampling.
    ns_exponent : float, default=0.75
        Exponent of the unigram counts in the noise distribution of negative sampling.
    cbow_mean : bool, default=True
        With ``architecture="cbow"``, average the context vectors (True) or sum them (False).
    alpha : float, default=0.025
        Initial learning rate.
    min_alpha : float, default=0.0001
        Final learning rate; the rate decreases linearly over all words of all epochs.
    epochs : int, default=5
        Number of passes over the corpus; 0 (only with ``init``) trains nothing.
    shrink_windows : bool, default=True
        Draw the effective window of each position uniformly from ``1..window``, which weights
        near context words more, as the C tool does.
    n_jobs : int, default=None
        Number of training threads. None means 1 unless in a
        :func:`joblib.parallel_config` context, and inside a worker the threads that worker
        is given (1 in a Dask task; ``NUMBA_NUM_THREADS``, which joblib sets, in a joblib
        worker process), so fits inside ``GridSearchCV(n_jobs=...)`` or Dask never
        oversubscribe the cores. -1 means all processors this process may use.
    random_state : int, RandomState instance or None, default=None
        Seeds initial vectors, subsampling, window sizes and negative samples. With an int and
        ``n_jobs=1`` the vectors are identical on every run; more threads update the shared
        weights in a non-deterministic order.
    verbose : int, default=0
        1 prints loss and words/s after every epoch; 2 also prints progress within epochs.
    lowercase : bool, default=True
        Lowercase documents before tokenizing (``analyzer="word"``).
    token_pattern : str or None, default=r"(?u)\\b\\w\\w+\\b"
        Regular expression of a token (``analyzer="word"``, no ``tokenizer``).
    tokenizer : callable, default=None
        Overrides the string tokenization step (``analyzer="word"``).
    preprocessor : callable, default=None
        Overrides the preprocessing (lowercasing) step (``analyzer="word"``).
    analyzer : {"word", "pretokenized"} or callable, default="word"
        ``"word"`` tokenizes strings as CountVectorizer does; ``"pretokenized"`` takes each
        document as a list of str tokens (e.g. item ids for item2vec), used as they are; a
        callable maps a document to its list of tokens.
    pooling : {"mean", "sum", "idf", "sif", "max"}, default="mean"
        How ``transform`` combines the vectors of a document's known tokens (repeated tokens
        count as often as they occur): ``"mean"``, ``"sum"``, ``"idf"`` (mean weighted by the
        smooth idf of each word, learned in ``fit``), ``"sif"`` (mean weighted by
        ``a / (a + p(w))`` with ``a = sif_smoothing`` and ``p(w)`` the word's training
        frequency, Arora et al. 2017) or ``"max"`` (element-wise maximum).
    norm : {"l2"} or None, default=None
        Scale each output row to unit length (after pooling).
    sif_smoothing : float, default=1e-3
        The ``a`` of ``pooling="sif"``.
    sif_remove_component : bool, default=True
        With ``pooling="sif"``, subtract from every document vector its projection on the
        first singular vector of the training documents' vectors (learned in ``fit``).
    init : WordVectors, default=None
        Pretrained vectors to start from (see :meth:`WordVectors.load`); ``vector_size``
        must equal theirs. Training continues from them on the documents given to ``fit``;
        the output weights start at zero. With ``epochs=0`` nothing is trained: the
        estimator uses the pretrained vectors as they are (``fit`` still learns the pooling
        weights) and keeps only pretrained words.
    init_vocabulary : {"union", "pretrained"}, default="union"
        With ``init``: ``"union"`` keeps every pretrained word plus the corpus words that
        pass ``min_count`` (new words start from random vectors); ``"pretrained"`` keeps only
        the pretrained words.
    freeze_init : bool, default=False
        With ``init``, keep the pretrained vectors fixed: only new words' vectors and the
        output weights learn.

    Attributes
    ----------
    wv_ : WordVectors
        The learned word vectors, most frequent word first.
    vocabulary_ : dict of str to int
        Row of each word in ``wv_.vectors``.
    loss_history_ : list of float
        Training loss of each epoch: the negative log-likelihood summed over every prediction
        (positive and negative samples or Huffman nodes) of that epoch.
    corpus_document_count_ : int
        Number of documents read by ``fit``.
    corpus_token_count_ : int
        Number of tokens read by ``fit``, in or out of the vocabulary.
    idf_ : ndarray of shape (n_words,), dtype float32
        Smooth idf of each word over the training documents, ``ln((1 + n) / (1 + df)) + 1``.
    sif_component_ : ndarray of shape (vector_size,) or None
        The removed direction of ``pooling="sif"`` with ``sif_remove_component=True``.
    n_features_in_ : int
        1, when ``fit`` was given a one-column DataFrame.
    feature_names_in_ : ndarray of shape (1,)
        The column name, when ``fit`` was given a one-column DataFrame.

    See Also
    --------
    WordVectors : The word-vectors object, with similarity queries.
    sklearn.feature_extraction.text.CountVectorizer : The tokenizer parameters come from it.

    Notes
    -----
    Unknown tokens are skipped by ``transform``; a document without any known token is
    mapped to a zero vector (never NaN).

    Skip-gram uses the HogBatch update (Ji et al., 2016): for each centre word, the negatives
    are drawn once for its whole window and the context-by-output block of logits is computed
    from the weights before the update.

    Examples
    --------
    >>> from skw2v import Word2VecVectorizer
    >>> docs = ["the king rules the kingdom", "the queen rules the kingdom"] * 50
    >>> model = Word2VecVectorizer(vector_size=10, min_count=1, n_jobs=1, random_state=0)
    >>> model = model.fit(docs)
    >>> model.wv_.vectors.shape
    (5, 10)
    >>> sorted(model.vocabulary_)
    ['king', 'kingdom', 'queen', 'rules', 'the']
    >>> model.transform(["the queen", "an unknown word"]).shape
    (2, 10)
    """

    _parameter_constraints: dict = {
        "vector_size": [Interval(Integral, 1, None, closed="left")],
        "window": [Interval(Integral, 1, None, closed="left")],
        "min_count": [Interval(Integral, 1, None, closed="left")],
        "max_vocab_size": [Interval(Integral, 1, None, closed="left"), None],
        "architecture": [StrOptions({"skipgram", "cbow"})],
        "negative": [Interval(Integral, 0, None, closed="left")],
        "hs": ["boolean"],
        "sample": [Interval(Real, 0, 1, closed="left")],
        "ns_exponent": [Interval(Real, None, None, closed="neither")],
        "cbow_mean": ["boolean"],
        "alpha": [Interval(Real, 0, None, closed="neither")],
        "min_alpha": [Interval(Real, 0, None, closed="left")],
        "epochs": [Interval(Integral, 0, None, closed="left")],
        "shrink_windows": ["boolean"],
        "n_jobs": [Integral, None],
        "random_state": ["random_state"],
        "verbose": ["verbose"],
        "lowercase": ["boolean"],
        "token_pattern": [str, None],
        "tokenizer": [callable, None],
        "preprocessor": [callable, None],
        "analyzer": [StrOptions({"word", PRETOKENIZED}), callable],
        "pooling": [StrOptions({"mean", "sum", "idf", "sif", "max"})],
        "norm": [StrOptions({"l2"}), None],
        "sif_smoothing": [Interval(Real, 0, None, closed="neither")],
        "sif_remove_component": ["boolean"],
        "init": [WordVectors, None],
        "init_vocabulary": [StrOptions({"union", "pretrained"})],
        "freeze_init": ["boolean"],
    }

    def __init__(
        self,
        *,
        vector_size: int = 100,
        window: int = 5,
        min_count: int = 5,
        max_vocab_size: int | None = None,
        architecture: str = "skipgram",
        negative: int = 5,
        hs: bool = False,
        sample: float = 1e-3,
        ns_exponent: float = 0.75,
        cbow_mean: bool = True,
        alpha: float = 0.025,
        min_alpha: float = 0.0001,
        epochs: int = 5,
        shrink_windows: bool = True,
        n_jobs: int | None = None,
        random_state=None,
        verbose: int = 0,
        lowercase: bool = True,
        token_pattern: str | None = r"(?u)\b\w\w+\b",
        tokenizer=None,
        preprocessor=None,
        analyzer="word",
        pooling: str = "mean",
        norm: str | None = None,
        sif_smoothing: float = 1e-3,
        sif_remove_component: bool = True,
        init: WordVectors | None = None,
        init_vocabulary: str = "union",
        freeze_init: bool = False,
    ) -> None:
        self.vector_size = vector_size
        self.window = window
        self.min_count = min_count
        self.max_vocab_size = max_vocab_size
        self.architecture = architecture
        self.negative = negative
        self.hs = hs
        self.sample = sample
        self.ns_exponent = ns_exponent
        self.cbow_mean = cbow_mean
        self.alpha = alpha
        self.min_alpha = min_alpha
        self.epochs = epochs
        self.shrink_windows = shrink_windows
        self.n_jobs = n_jobs
        self.random_state = random_state
        self.verbose = verbose
        self.lowercase = lowercase
        self.token_pattern = token_pattern
        self.tokenizer = tokenizer
        self.preprocessor = preprocessor
        self.analyzer = analyzer
        self.pooling = pooling
        self.norm = norm
        self.sif_smoothing = sif_smoothing
        self.sif_remove_component = sif_remove_component
        self.init = init
        self.init_vocabulary = init_vocabulary
        self.freeze_init = freeze_init

    def build_analyzer(self):
        """Return the callable that turns one document into its list of tokens.

        Returns
        -------
        analyzer : callable
            A picklable function of one document.

        Examples
        --------
        >>> from skw2v import Word2VecVectorizer
        >>> Word2VecVectorizer().build_analyzer()("The King's speech")
        ['the', 'king', 'speech']
        """
        return build_analyzer(
            self.analyzer,
            lowercase=self.lowercase,
            token_pattern=self.token_pattern,
            tokenizer=self.tokenizer,
            preprocessor=self.preprocessor,
        )

    def _n_threads(self) -> int:
        return resolve_n_threads(self.n_jobs)

    def _training_config(self) -> _training.TrainingConfig:
        if self.negative == 0 and not self.hs:
            raise ValueError("negative=0 with hs=False trains nothing: set negative > 0 "
                             "(negative sampling) or hs=True (hierarchical softmax).")
        if self.epochs == 0 and self.init is None:
            raise ValueError("epochs=0 trains nothing; it is meant for init=<pretrained "
                             "WordVectors> used as they are. Set epochs >= 1 or give init.")
        if self.init is not None and self.init.vector_size != self.vector_size:
            raise ValueError(f"init holds {self.init.vector_size}-dimensional vectors but "
                             f"vector_size={self.vector_size}; set vector_size="
                             f"{self.init.vector_size}.")
        if self.min_alpha > self.alpha:
            raise ValueError(f"min_alpha={self.min_alpha} is larger than alpha={self.alpha}; "
                             "the learning rate decays from alpha to min_alpha.")
        return _training.TrainingConfig(
            architecture=self.architecture,
            vector_size=int(self.vector_size),
            window=int(self.window),
            shrink_windows=bool(self.shrink_windows),
            cbow_mean=bool(self.cbow_mean),
            negative=int(self.negative),
            hs=bool(self.hs),
            sample=float(self.sample),
            ns_exponent=float(self.ns_exponent),
            alpha=float(self.alpha),
            min_alpha=float(self.min_alpha),
            epochs=int(self.epochs),
            n_threads=self._n_threads(),
            verbose=int(self.verbose),
        )

    @_fit_context(prefer_skip_nested_validation=True)
    def fit(self, X, y=None):
        """Learn the vocabulary, the word vectors and the pooling weights from ``X``.

        Parameters
        ----------
        X : iterable of str, iterable of list of str, or pathlib.Path
            Documents: a list, array, pandas Series, one-column DataFrame or generator of
            strings (lists of tokens with ``analyzer="pretokenized"``), or the path of a
            UTF-8 text file with one document per line. Read exactly once.
        y : None
            Ignored.

        Returns
        -------
        self : Word2VecVectorizer
            The fitted estimator.

        Examples
        --------
        >>> from skw2v import Word2VecVectorizer
        >>> sessions = [["i1", "i2", "i3"], ["i2", "i3", "i4"]] * 20
        >>> model = Word2VecVectorizer(analyzer="pretokenized", min_count=1, vector_size=8,
        ...                            n_jobs=1, random_state=0).fit(sessions)
        >>> len(model.wv_)
        4
        """
        self._fit(X, return_pooled=False)
        return self

    @_fit_context(prefer_skip_nested_validation=True)
    def fit_transform(self, X, y=None):
        """Fit, then pool the training documents; equal to ``fit(X).transform(X)``.

        The documents are read once, so a generator works here too.

        Parameters
        ----------
        X : iterable of str, iterable of list of str, or pathlib.Path
            Documents, as for :meth:`fit`.
        y : None
            Ignored.

        Returns
        -------
        ndarray of shape (n_documents, vector_size), dtype float32
            One pooled vector per document.

        Examples
        --------
        >>> from skw2v import Word2VecVectorizer
        >>> docs = ["red green blue", "green blue red", "cat dog", "dog cat"] * 30
        >>> Word2VecVectorizer(vector_size=8, min_count=1, random_state=0).fit_transform(
        ...     docs).shape
        (120, 8)
        """
        return self._fit(X, return_pooled=True)

    def _fit(self, X, return_pooled):
        config = self._training_config()
        seeds = self._fit_seeds()
        analyzer = self.build_analyzer()
        with EncodedCorpus(iter_documents(X), analyzer, self.analyzer) as corpus:
            vocabulary = self._build_vocabulary(corpus.words, corpus.counts,
                                                corpus.n_documents, corpus.n_tokens, config)
            self._train(corpus, vocabulary.remap, vocabulary, config, seeds)
            self._reset_input_columns(X)
            return self._learn_pooling(corpus, vocabulary.remap, return_pooled)

    # The steps of ``fit``, shared with the cluster front ends (skw2v.dask, skw2v.spark).

    def _fit_seeds(self):
        """``(init_seed, train_seed)``: the one draw from ``random_state`` a fit makes."""
        random_state = check_random_state(self.random_state)
        init_seed, train_seed = random_state.randint(np.iinfo(np.int32).max, size=2)
        return int(init_seed), int(train_seed)

    def _build_vocabulary(self, words, counts, n_documents, n_tokens, config):
        """The kept vocabulary of a corpus given its words in first-appearance order."""
        if n_documents == 0:
            raise ValueError("The corpus is empty: fit needs at least one document.")
        if n_tokens == 0:
            raise ValueError(f"The {n_documents} documents hold no tokens; check "
                             "the analyzer settings (token_pattern, tokenizer).")
        pretrained = self.init
        vocabulary = _vocab.build_vocabulary(
            words, counts,
            min_count=self.min_count, max_vocab_size=self.max_vocab_size,
            pretrained=None if pretrained is None else pretrained.index_to_word,
            pretrained_only=self.init_vocabulary == "pretrained" or self.epochs == 0,
        )
        if not vocabulary.words:
            top = int(np.argmax(counts))
            raise ValueError(
                f"min_count={self.min_count} removes every word: the most frequent word "
                f"{words[top]!r} occurs {counts[top]} times in "
                f"{n_tokens} tokens. Lower min_count or pass more documents."
            )
        if config.epochs > 0 and vocabulary.counts.sum() == 0:
            raise ValueError("No word of the documents is in the pretrained vocabulary, "
                             "so there is nothing to train on. Use "
                             "init_vocabulary='union' or other documents.")
        return vocabulary

    def _train(self, corpus, remap, vocabulary, config, seeds):
        """Train on ``corpus`` (ids mapped to vocabulary rows by ``remap``); sets ``wv_``."""
        init_seed, train_seed = seeds
        state = _training.initial_state(vocabulary.counts, config, init_seed)
        if self.init is not None:
            self._start_from(self.init, vocabulary.words, state)
        self.loss_history_ = []
        if config.epochs > 0:
            self.loss_history_ = _training.train(
                corpus, remap, vocabulary.counts, state, config, train_seed
            )
        self._set_word_vectors(
            WordVectors._owning(vocabulary.words, state.syn0, counts=vocabulary.counts),
            corpus.n_documents, corpus.n_tokens,
        )

    def _set_word_vectors(self, wv, n_documents, n_tokens):
        self.corpus_document_count_ = int(n_documents)
        self.corpus_token_count_ = int(n_tokens)
        self.wv_ = wv
        self.vocabulary_ = dict(wv.word_to_index)

    def _start_from(self, pretrained, words, state):
        """Copy pretrained rows into the initial weights; lock them with ``freeze_init``."""
        rows = np.array([pretrained.word_to_index.get(word, -1) for word in words],
                        dtype=np.int64)
        known = rows >= 0
        state.syn0[known] = pretrained.vectors[rows[known]]
        if self.freeze_init:
            state.lock_factor[known] = 0.0

    def _learn_pooling(self, corpus, remap, return_pooled):
        """Passes over the encoded training documents: idf first, then (when needed) the SIF
        direction and the pooled rows. Memory holds one chunk, plus the rows if returned."""
        n_words = len(self.wv_)

        def chunk_counts():
            for ids, offsets in corpus.chunks():
                yield _pooling.counts_from_ids(remap[ids], np.diff(offsets), n_words)

        document_frequency = np.zeros(n_words, dtype=np.int64)
        for counts in chunk_counts():
            document_frequency += np.bincount(counts.indices, minlength=n_words)
        self._set_idf(document_frequency, corpus.n_documents)
        if not (return_pooled or self._needs_component()):
            return None
        rows = []
        gram = np.zeros((self.wv_.vector_size,) * 2)
        for counts in chunk_counts():
            pooled = self._pool_counts(counts, remove_component=False)
            if self._needs_component():
                gram += pooled.T.astype(np.float64) @ pooled
            if return_pooled:
                rows.append(pooled)
        if self._needs_component():
            self._set_component(gram)
        return self._finish(np.vstack(rows)) if return_pooled else None

    def _set_idf(self, document_frequency, n_documents):
        self.idf_ = _pooling.idf_weights(document_frequency, n_documents)
        self.sif_component_ = None

    def _needs_component(self):
        return self.pooling == "sif" and self.sif_remove_component

    def _set_component(self, gram):
        """The SIF direction from the Gram matrix of the pooled training documents."""
        self.sif_component_ = _pooling.first_component(gram)
        self._sif_fit_smoothing = self.sif_smoothing

    def _pooled_gram(self, documents):
        """Gram matrix (float64) of the pooled, uncorrected rows of some token lists."""
        counts = _pooling.count_matrix(documents, self._word_index())[0]
        pooled = self._pool_counts(counts, remove_component=False)
        return pooled.T.astype(np.float64) @ pooled

    def _word_weights(self):
        if self.pooling == "idf":
            return self.idf_
        if self.pooling == "sif":
            return _pooling.sif_weights(self.wv_.counts, self.sif_smoothing)
        return None

    def _pool_counts(self, counts, remove_component=True):
        pooled = _pooling.pool(counts, self.wv_.vectors, self.pooling, self._word_weights())
        return self._finish(pooled) if remove_component else pooled

    def _finish(self, pooled):
        if self.pooling == "sif" and self.sif_remove_component:
            if (self.sif_component_ is None
                    or getattr(self, "_sif_fit_smoothing", None) != self.sif_smoothing):
                raise ValueError("pooling='sif' with sif_remove_component=True, or a new "
                                 "sif_smoothing, was set after fit; refit to learn the "
                                 "component.")
            pooled = _pooling.remove_component(pooled, self.sif_component_)
        if self.norm == "l2":
            pooled = _pooling.l2_normalize(pooled)
        return pooled

    def transform(self, X):
        """Turn each document into the pooled vector of its known tokens.

        Parameters
        ----------
        X : iterable of str, iterable of list of str, or pathlib.Path
            Documents, as for :meth:`fit`.

        Returns
        -------
        ndarray of shape (n_documents, vector_size), dtype float32
            One row per document; zero for a document with no known token.

        Examples
        --------
        >>> from skw2v import Word2VecVectorizer
        >>> docs = ["red green blue", "green blue red"] * 30
        >>> model = Word2VecVectorizer(vector_size=8, min_count=1, random_state=0).fit(docs)
        >>> X = model.transform(["red blue", "purple"])
        >>> X.shape, bool(X[1].any())
        ((2, 8), False)
        """
        check_is_fitted(self, "wv_")
        self._check_input_columns(X)
        analyzer = self.build_analyzer()
        word_index = self._word_index()
        rows = []
        batch = []
        for position, document in enumerate(iter_documents(X)):
            check_document(position, document, self.analyzer)
            tokens = analyzer(document)
            batch.append(tokens if isinstance(tokens, list) else list(tokens))
            if len(batch) == _pooling.BATCH_DOCUMENTS:
                rows.append(self._pool_counts(_pooling.count_matrix(batch, word_index)[0]))
                batch = []
        if batch or not rows:
            rows.append(self._pool_counts(_pooling.count_matrix(batch, word_index)[0]))
        return np.vstack(rows) if len(rows) > 1 else rows[0]

    def _word_index(self):
        index = getattr(self, "_word_index_cache", None)
        if index is None or index[0] is not self.wv_:
            index = (self.wv_, pd.Index(self.wv_.index_to_word, dtype=object))
            self._word_index_cache = index
        return index[1]

    def __getstate__(self):
        state = super().__getstate__()
        state.pop("_word_index_cache", None)
        return state

    def _reset_input_columns(self, X):
        for attribute in ("feature_names_in_", "n_features_in_"):
            if hasattr(self, attribute):
                delattr(self, attribute)
        if isinstance(X, pd.DataFrame):
            self.n_features_in_ = X.shape[1]
            # As scikit-learn: feature names only when every column label is a str.
            if all(isinstance(column, str) for column in X.columns):
                self.feature_names_in_ = np.asarray(X.columns, dtype=object)

    def _check_input_columns(self, X):
        if isinstance(X, pd.DataFrame) and hasattr(self, "feature_names_in_"):
            if list(X.columns) != list(self.feature_names_in_):
                raise ValueError(
                    f"X has columns {list(X.columns)}, but Word2VecVectorizer was fitted on "
                    f"{list(self.feature_names_in_)}. Pass the same text column."
                )

    @property
    def _n_features_out(self):
        return self.wv_.vector_size

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.string = True
        tags.input_tags.two_d_array = False
        tags.transformer_tags.preserves_dtype = []
        return tags

    def most_similar(self, positive=None, negative=None, topn: int = 10):
        """Words most similar to the given ones; see :meth:`WordVectors.most_similar`.

        Parameters
        ----------
        positive : str, array-like or list of them, default=None
            Words (or vectors) that count positively.
        negative : str, array-like or list of them, default=None
            Words (or vectors) that count negatively.
        topn : int, default=10
            Number of results.

        Returns
        -------
        list of (str, float)

        Examples
        --------
        >>> from skw2v import Word2VecVectorizer
        >>> docs = ["red green blue", "green blue red", "cat dog", "dog cat"] * 30
        >>> model = Word2VecVectorizer(vector_size=8, min_count=1, n_jobs=1,
        ...                            random_state=0).fit(docs)
        >>> len(model.most_similar("red", topn=3))
        3
        """
        check_is_fitted(self, "wv_")
        return self.wv_.most_similar(positive=positive, negative=negative, topn=topn)

    def most_similar_cosmul(self, positive=None, negative=None, topn: int = 10):
        """Analogy by 3CosMul; see :meth:`WordVectors.most_similar_cosmul`.

        Parameters
        ----------
        positive : str, array-like or list of them, default=None
            Words (or vectors) that count positively.
        negative : str, array-like or list of them, default=None
            Words (or vectors) that count negatively.
        topn : int, default=10
            Number of results.

        Returns
        -------
        list of (str, float)

        Examples
        --------
        >>> from skw2v import Word2VecVectorizer
        >>> docs = ["red green blue", "green blue red", "cat dog", "dog cat"] * 30
        >>> model = Word2VecVectorizer(vector_size=8, min_count=1, n_jobs=1,
        ...                            random_state=0).fit(docs)
        >>> len(model.most_similar_cosmul(positive=["red", "cat"], negative=["dog"], topn=2))
        2
        """
        check_is_fitted(self, "wv_")
        return self.wv_.most_similar_cosmul(positive=positive, negative=negative, topn=topn)

    def doesnt_match(self, words) -> str:
        """The word that fits least with the others; see :meth:`WordVectors.doesnt_match`.

        Parameters
        ----------
        words : iterable of str
            At least two words of the vocabulary.

        Returns
        -------
        str

        Examples
        --------
        >>> from skw2v import Word2VecVectorizer
        >>> docs = ["red green blue", "green blue red", "cat dog", "dog cat"] * 30
        >>> model = Word2VecVectorizer(vector_size=8, min_count=1, n_jobs=1,
        ...                            random_state=0).fit(docs)
        >>> model.doesnt_match(["red", "green", "blue", "cat"]) in {"red", "green", "blue", "cat"}
        True
        """
        check_is_fitted(self, "wv_")
        return self.wv_.doesnt_match(words)

    def similarity(self, word1: str, word2: str) -> float:
        """Cosine similarity of two words; see :meth:`WordVectors.similarity`.

        Parameters
        ----------
        word1, word2 : str
            Words of the vocabulary.

        Returns
        -------
        float

        Examples
        --------
        >>> from skw2v import Word2VecVectorizer
        >>> docs = ["red green blue", "green blue red"] * 30
        >>> model = Word2VecVectorizer(vector_size=8, min_count=1, n_jobs=1,
        ...                            random_state=0).fit(docs)
        >>> -1.0 <= model.similarity("red", "blue") <= 1.0
        True
        """
        check_is_fitted(self, "wv_")
        return self.wv_.similarity(word1, word2)
