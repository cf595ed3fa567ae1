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
from sklearn.utils._param_validation import Interval, StrOptions
from sklearn.utils.validation import check_is_fitted

from . import _driver, _gensim_mirror, _pooler, _trainers
from ._documents import Tokenizer
from ._progress import CallbackSupport
from ._sources import DocumentSource, check_input_columns
from ._subwords import MAX_BUCKETS
from ._text import PRETOKENIZED, build_analyzer
from ._threads import resolve_n_threads
from .word_vectors import WordVectors

__all__ = ["Word2VecVectorizer"]


class _Number(Interval):
    """An :class:`~sklearn.utils._param_validation.Interval` that refuses booleans
    (``vector_size=True`` is a slip, not a 1)."""

    def is_satisfied_by(self, val):
        return not isinstance(val, (bool, np.bool_)) and super().is_satisfied_by(val)


class Word2VecVectorizer(CallbackSupport, ClassNamePrefixFeaturesOutMixin, TransformerMixin,
                         BaseEstimator):
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
        It also bounds the memory of counting: while reading, at most about
        ``2 * max(4 * max_vocab_size, 100_000)`` distinct words are counted, and when more
        arrive the ones counted least often so far are forgotten (a forgotten word that comes
        back starts again from zero). Words frequent enough to be kept are then counted
        exactly unless they were rare early in the corpus. None counts every distinct token
        exactly, which holds them all in memory (about 200 bytes each).
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
        0.75 is word2vec's and gensim's setting; fastText fixes 0.5 in its code
        (``ns_exponent=0.5`` is fastText's setting), which draws rare words as negatives
        more often. ``benchmarks/bench_subwords.py`` compares skw2v with each at its own.
    cbow_mean : bool, default=True
        With ``architecture="cbow"``, average the context vectors (True) or sum them (False).
    char_ngram_range : tuple (min_n, max_n), default=None
        Learn subword vectors, as fastText: a word's input vector is the mean of its own row
        and the rows of its character n-grams of ``min_n`` to ``max_n`` characters (of
        ``"<" + word + ">"``; ``(3, 6)`` is fastText's choice), so every word, also one never
        seen in training, gets a vector from its n-grams. ``max_n`` is at most 64 (a token
        of ``L`` characters has up to ``L * (max_n - min_n + 1)`` n-grams). None (the
        default) trains plain word2vec. See the User Guide, "Subword vectors".
    n_buckets : int, default=2_000_000
        With ``char_ngram_range``, the n-grams are hashed into this many buckets (fastText's
        hash, so the buckets are fastText's); n-grams in one bucket share a row. Only the
        buckets the vocabulary's n-grams reach get a row, so memory follows the vocabulary.
        At most 2,147,483,647 (fastText's files store it as a 32-bit int).
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
        1 prints a line per epoch (``epoch 2/5: loss 1.2e+06, 812,345 words/s, alpha
        0.01503``); 2 also prints, at most every 5 seconds, the share of the fit done and the
        words/s so far, after a chunk of the corpus. The same events reach scikit-learn
        callbacks (see Notes).
    lowercase : bool, default=True
        Lowercase documents before tokenizing (``analyzer="word"``).
    token_pattern : str or None, default=r"(?u)\\b\\w\\w+\\b"
        Regular expression of a token (``analyzer="word"``, no ``tokenizer``). When no
        token it matches can hold whitespace (the default's cannot, nor ``r"\S+"`` or
        ``r"\w+|[^\w\s]"``), a document of more than a million characters (one huge
        line of a corpus file) is tokenized in pieces cut at whitespace, with the same
        tokens, so memory follows the piece, not the document.
    tokenizer : callable, default=None
        Overrides the string tokenization step (``analyzer="word"``).
    preprocessor : callable, default=None
        Overrides the preprocessing (lowercasing and accent stripping) step
        (``analyzer="word"``).
    strip_accents : {"ascii", "unicode"} or callable, default=None
        Remove accents and other diacritics before tokenizing (``analyzer="word"``), as in
        CountVectorizer: ``"unicode"`` decomposes characters (NFKD) and drops the combining
        marks, so a word typed with precomposed accents (NFC) and the same word with
        combining accents (NFD) become one token; ``"ascii"`` also drops every character
        without an ASCII decomposition. None leaves text as it is (NFC and NFD spellings
        are then different tokens).
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
        weights) and keeps only pretrained words; ``wv_`` then shares the arrays of
        ``init`` (read-only, not copied; in ``init``'s order, with the corpus counts), so
        memory and pickles hold the table once. So does a fit that trains none of them
        (``init_vocabulary="pretrained"`` with ``freeze_init=True``).
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
        The learned word vectors, most frequent word first (in ``init``'s order when the
        fit trains none of them: see ``init``).
    vocabulary_ : dict of str to int
        Row of each word in ``wv_.vectors``: the most frequent word is row 0; words of equal
        count come in reverse order of first appearance (gensim 4's order, so the same
        corpus gives gensim's vocabulary and, with ``hs=True``, gensim's Huffman tree).
    loss_history_ : list of float
        Training loss of each epoch trained: the negative log-likelihood summed over every
        prediction (positive and negative samples or Huffman nodes) of that epoch. When a
        callback stopped training, one entry per epoch started; if it stopped inside an
        epoch, the last entry sums only the chunks of that epoch that were trained.
    corpus_document_count_ : int
        Number of documents read by ``fit``.
    corpus_token_count_ : int
        Number of tokens read by ``fit``, in or out of the vocabulary.
    idf_ : ndarray of shape (n_words,), dtype float32, or None
        Smooth idf of each word over the training documents, ``ln((1 + n) / (1 + df)) + 1``;
        None for an estimator made by :meth:`from_gensim` without documents.
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

    With scikit-learn 1.9 or later the estimator supports callbacks
    (``set_callbacks``, e.g. :class:`sklearn.callback.ProgressBar`), also inside a
    :class:`~sklearn.pipeline.Pipeline` or a search: ``fit`` is a task with one ``"epoch"``
    subtask per epoch, each with one ``"chunk"`` subtask per chunk of the corpus (about a
    million tokens). At the end of a chunk or an epoch, callbacks get ``metadata`` with its
    ``"epoch"`` (and ``"chunk"``), ``"loss"``, ``"words"`` (in-vocabulary tokens) and the
    learning rate ``"alpha"`` reached; at the end of an epoch, if they ask for it, also a
    ``fitted_estimator`` as ``fit`` would leave it had training stopped there (built on
    request: a copy of the weights and a pass over the corpus to learn the pooling; None at
    chunk ends). A callback returning True
    there stops training after that chunk: the fit then ends as usual, with every fitted
    attribute written together and the learning rate not decayed to ``min_alpha``. An error
    (or Ctrl-C) inside a callback leaves the estimator as it was before ``fit``. See the
    User Guide, "Progress, callbacks and early stopping".

    Word vectors start uniformly in ``[-1, 1) / vector_size``, as in gensim 4 (the word2vec C
    tool starts in ``[-0.5, 0.5) / vector_size``; the wider start trains CBOW vectors and
    pooled document vectors as good as gensim's); the output weights start at zero.

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
        "vector_size": [_Number(Integral, 1, None, closed="left")],
        "window": [_Number(Integral, 1, None, closed="left")],
        "min_count": [_Number(Integral, 1, None, closed="left")],
        "max_vocab_size": [_Number(Integral, 1, None, closed="left"), None],
        "architecture": [StrOptions({"skipgram", "cbow"})],
        "negative": [_Number(Integral, 0, None, closed="left")],
        "hs": ["boolean"],
        "sample": [_Number(Real, 0, 1, closed="left")],
        "ns_exponent": [_Number(Real, None, None, closed="neither")],
        "cbow_mean": ["boolean"],
        "char_ngram_range": [tuple, None],
        "n_buckets": [_Number(Integral, 1, MAX_BUCKETS, closed="both")],
        "alpha": [_Number(Real, 0, None, closed="neither")],
        "min_alpha": [_Number(Real, 0, None, closed="left")],
        "epochs": [_Number(Integral, 0, None, closed="left")],
        "shrink_windows": ["boolean"],
        "n_jobs": [_Number(Integral, None, None, closed="neither"), None],
        "random_state": ["random_state"],
        "verbose": ["verbose"],
        "lowercase": ["boolean"],
        "token_pattern": [str, None],
        "tokenizer": [callable, None],
        "preprocessor": [callable, None],
        "strip_accents": [StrOptions({"ascii", "unicode"}), callable, None],
        "analyzer": [StrOptions({"word", PRETOKENIZED}), callable],
        "pooling": [StrOptions({"mean", "sum", "idf", "sif", "max"})],
        "norm": [StrOptions({"l2"}), None],
        "sif_smoothing": [_Number(Real, 0, None, closed="neither")],
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
        char_ngram_range: tuple[int, int] | None = None,
        n_buckets: int = 2_000_000,
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
        strip_accents: str | None = None,
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
        self.char_ngram_range = char_ngram_range
        self.n_buckets = n_buckets
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
        self.strip_accents = strip_accents
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
            strip_accents=self.strip_accents,
        )

    def _n_threads(self) -> int:
        return resolve_n_threads(self.n_jobs)

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
        >>> model.wv_.index_to_word  # most frequent first, ties: last seen first (as gensim)
        ['i3', 'i2', 'i4', 'i1']
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

    @classmethod
    def from_gensim(cls, model, X=None, *, callbacks: list | None = None,
                    **params) -> Word2VecVectorizer:
        """A fitted estimator from a trained gensim ``Word2Vec`` or ``FastText`` model.

        The parameters mirror the model's (see Notes), so refitting (``clone``, a grid
        search) trains the same way on new documents; the fitted attributes are what
        :meth:`fit` writes: ``wv_`` is :meth:`WordVectors.from_gensim` of ``model.wv`` (its
        arrays shared, not copied; gensim's words, order and counts), ``vocabulary_`` its
        rows, ``loss_history_`` empty (gensim keeps no loss per epoch).

        Parameters
        ----------
        model : gensim.models.Word2Vec or gensim.models.FastText
            A trained model.
        X : iterable of str, iterable of list of str, or pathlib.Path, default=None
            Documents, as for :meth:`fit`, to learn the pooling weights from (``idf_``, and
            ``sif_component_`` for ``pooling="sif"``); ``corpus_document_count_`` and
            ``corpus_token_count_`` then count them. None: ``idf_`` is None
            (``pooling="idf"`` is refused until a refit) and the corpus sizes are those
            gensim counted (``model.corpus_count``, ``model.corpus_total_words``).
        callbacks : list of scikit-learn callbacks, default=None
            Set on the estimator (``set_callbacks``, scikit-learn >= 1.9) before it is
            fitted from the model; they see the fit task alone (nothing is trained).
        **params
            Other parameters of the estimator: how documents are tokenized (gensim trains
            on lists of tokens: ``analyzer="pretokenized"`` takes them as they are),
            ``pooling``, ``norm``, ``n_jobs``...; not those that come from the model.

        Returns
        -------
        Word2VecVectorizer
            Fitted: ``transform``, ``most_similar`` and the other queries work.

        Raises
        ------
        ImportError
            If gensim cannot be imported.
        TypeError
            If ``model`` is not a gensim ``Word2Vec`` or ``FastText`` model (a ``Doc2Vec``
            or ``KeyedVectors``), or ``params`` names an unknown parameter.
        ValueError
            If the model has no vocabulary or was never trained (``train_count`` 0), if
            ``params`` sets a parameter that comes from the model, or a parameter is
            invalid; for ``pooling="sif"`` with ``sif_remove_component=True`` and no ``X``
            (the component is learned from documents; raised by ``transform``).

        See Also
        --------
        WordVectors.from_gensim : The vectors alone, for ``init=``.

        Notes
        -----
        Mirrored parameters: ``vector_size``, ``window``, ``min_count``, ``negative``,
        ``sample``, ``ns_exponent``, ``alpha``, ``min_alpha``, ``epochs`` and
        ``shrink_windows`` as they are; ``sg`` as ``architecture`` (1: ``"skipgram"``, 0:
        ``"cbow"``); ``hs`` and ``cbow_mean`` as booleans; ``max_final_vocab`` as
        ``max_vocab_size`` (both keep the most frequent words); ``seed`` as
        ``random_state``; for ``FastText``, ``(min_n, max_n)`` as ``char_ngram_range`` and
        ``bucket`` as ``n_buckets`` (none with ``bucket=0``). Not mirrored, since they do not
        change what is learned here or skw2v has no counterpart: ``workers`` (``n_jobs``
        stays None: see its description), gensim's ``max_vocab_size`` (a bound on the memory
        of counting; ``max_vocab_size`` here bounds counting as well as the vocabulary),
        ``sorted_vocab`` (fit sorts by frequency; ``wv_`` keeps gensim's order),
        ``trim_rule``, ``null_word``, ``hashfxn``, ``batch_words``, ``compute_loss``,
        ``callbacks`` and ``word_ngrams`` (gensim supports 1 only).

        To use the gensim vectors unchanged in a grid search (refit on each fold without
        retraining them), pass them as ``init`` instead:
        ``Word2VecVectorizer(init=WordVectors.from_gensim(model.wv), epochs=0,
        vector_size=model.vector_size)``.

        Examples
        --------
        >>> from gensim.models import Word2Vec
        >>> from skw2v import Word2VecVectorizer
        >>> sentences = [["red", "green", "blue"], ["cat", "dog", "mouse"]] * 50
        >>> model = Word2Vec(sentences, vector_size=8, min_count=1, seed=0, workers=1)
        >>> vectorizer = Word2VecVectorizer.from_gensim(model, analyzer="pretokenized")
        >>> vectorizer.architecture, vectorizer.vector_size, vectorizer.window
        ('cbow', 8, 5)
        >>> vectorizer.transform([["red", "cat"]]).shape
        (1, 8)
        """
        return _gensim_mirror.fitted_estimator(cls, model, X, params, callbacks)

    def _fit(self, X, return_pooled):
        return _driver.fit(self, DocumentSource(X), _trainers.for_estimator(self),
                           return_pooled=return_pooled)

    def _fitted_pooler(self):
        """The pooling of the fitted estimator with its current pooling parameters, from one
        read of its fitted state (a refit in another thread commits a whole new one)."""
        check_is_fitted(self, "wv_")
        fitted = vars(self)
        plan = _pooler.PoolingPlan.of(self)
        if plan.pooling == "idf" and fitted["idf_"] is None:
            raise ValueError("pooling='idf' needs the document frequencies, which this "
                             "estimator (from_gensim without documents) lacks: pass the "
                             "training documents as from_gensim(model, X), or refit.")
        if plan.remove_component and (
                fitted["sif_component_"] is None
                or fitted.get("_sif_fit_smoothing") != self.sif_smoothing):
            raise ValueError("pooling='sif' with sif_remove_component=True, or a new "
                             "sif_smoothing, was set after fit; refit to learn the "
                             "component.")
        return _pooler.Pooler(plan, fitted["wv_"], fitted["idf_"], fitted["sif_component_"])

    def _transform(self, X, where=None):
        """Pool the documents of ``X`` (``where(position)`` names a document in errors)."""
        pooler = self._fitted_pooler()
        return _pooler.transform(pooler, Tokenizer(self.build_analyzer(), self.analyzer),
                                 self._word_index(pooler.wv), X, where)

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
        check_input_columns(self, X)
        return self._transform(X)

    def _word_index(self, wv):
        """A pandas Index of ``wv``'s words, cached for the ``wv_`` it was made for."""
        index = getattr(self, "_word_index_cache", None)
        if index is None or index[0] is not wv:
            index = (wv, pd.Index(wv.index_to_word, dtype=object))
            self._word_index_cache = index
        return index[1]

    def __getstate__(self):
        state = super().__getstate__()
        state.pop("_word_index_cache", None)
        return state

    @property
    def _n_features_out(self):
        return self.wv_.vector_size

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.string = True
        tags.input_tags.two_d_array = False
        tags.transformer_tags.preserves_dtype = []
        return tags

    def _more_tags(self):
        # The same tags for scikit-learn < 1.6, which reads _more_tags, not __sklearn_tags__.
        return {"X_types": ["string"], "preserves_dtype": []}

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
        >>> model = Word2VecVectorizer(vector_size=8, min_count=1, sample=0.0, n_jobs=1,
        ...                            random_state=0).fit(docs)
        >>> [word for word, _ in model.most_similar("red", topn=2)]
        ['blue', 'green']
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
        >>> model = Word2VecVectorizer(vector_size=8, min_count=1, sample=0.0, n_jobs=1,
        ...                            random_state=0).fit(docs)
        >>> sorted(word for word, _ in model.most_similar_cosmul(
        ...     positive=["red", "cat"], negative=["dog"], topn=2))
        ['blue', 'green']
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
        >>> model = Word2VecVectorizer(vector_size=8, min_count=1, sample=0.0, n_jobs=1,
        ...                            random_state=0).fit(docs)
        >>> model.doesnt_match(["red", "green", "blue", "cat"])
        'cat'
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
        >>> docs = ["red green blue", "green blue red", "cat dog", "dog cat"] * 30
        >>> model = Word2VecVectorizer(vector_size=8, min_count=1, sample=0.0, n_jobs=1,
        ...                            random_state=0).fit(docs)
        >>> round(model.similarity("red", "blue"), 2)
        0.62
        >>> model.similarity("red", "blue") > model.similarity("red", "cat")
        True
        """
        check_is_fitted(self, "wv_")
        return self.wv_.similarity(word1, word2)
