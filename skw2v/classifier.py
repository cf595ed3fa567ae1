"""``Word2VecClassifier``: fastText's supervised text classifier as a scikit-learn classifier."""

from __future__ import annotations

import os
import warnings
from numbers import Integral, Real

import numpy as np
from sklearn.base import (
    BaseEstimator,
    ClassifierMixin,
    ClassNamePrefixFeaturesOutMixin,
    TransformerMixin,
    _fit_context,
)
from sklearn.utils._param_validation import StrOptions
from sklearn.utils.validation import check_is_fitted

from . import _driver
from ._documents import Tokenizer, iter_documents, n_documents
from ._progress import CallbackSupport
from ._sources import DocumentSource, check_input_columns
from ._subwords import MAX_BUCKETS
from ._supervised import EndOfDocument, SupervisedEngine, fitted_attributes
from ._supervised_io import read_model, write_model
from ._supervised_model import BATCH_CHARS, BATCH_DOCUMENTS, BATCH_TOKENS
from ._text import PRETOKENIZED, build_analyzer
from ._threads import resolve_n_threads
from .vectorizer import _Number
from .word_vectors import WordVectors

__all__ = ["Word2VecClassifier"]


def _document_label(position):
    return f"Document {position}"


def _check_format(format):
    if format != "fasttext":
        raise ValueError(f"format={format!r} is not a classifier format; use "
                         "format='fasttext' (fastText's supervised model file).")

#: fastText's bucket count is an int32.
class Word2VecClassifier(CallbackSupport, ClassNamePrefixFeaturesOutMixin, ClassifierMixin,
                         TransformerMixin, BaseEstimator):
    r"""Text classifier with embeddings trained for the task (fastText's supervised model).

    Each document is the mean of the embeddings of its words, of its word n-grams (hashed
    into ``n_buckets`` buckets) and, optionally, of its words' character n-grams; a linear
    layer on that mean predicts the class. Embeddings and the linear layer are trained
    together by SGD (Joulin et al. 2016, "Bag of Tricks for Efficient Text Classification"),
    in compiled Numba kernels on ``n_jobs`` threads. The estimator reads and writes fastText
    model files (:meth:`save`, :meth:`load`), so models move between the two.

    Parameters
    ----------
    vector_size : int, default=32
        Dimension of the embeddings (fastText's ``dim``; its default for ``supervised`` is
        100, its tutorials use 10). A document scores each class through this many
        dimensions: fewer than the classes limit the model (measured on 20 Newsgroups'
        20 topics, seeds 0 and 2: 0.848-0.851 with 20, 0.852-0.856 with 32).
    word_ngram_range : tuple (1, n), default=(1, 2)
        Word n-grams of 1 to ``n`` tokens are features (fastText's ``wordNgrams=n``); those
        of 2 or more tokens are hashed into ``n_buckets`` buckets with fastText's hash.
    char_ngram_range : tuple (min_n, max_n), default=None
        Also use the character n-grams of each token (as ``Word2VecVectorizer``; fastText's
        ``minn``/``maxn``), hashed into the same buckets, so unseen words get features.
        ``max_n`` is at most 64.
    n_buckets : int, default=2_000_000
        Number of hash buckets of word and character n-grams (fastText's ``bucket``). Only
        buckets reached by the training documents get a row, so memory follows the data.
        At most 2,147,483,647 (fastText's files store it as a 32-bit int).
    epochs : int, default=25
        Number of passes over the training documents.
    alpha : float, default=0.1
        Initial learning rate; it decreases linearly to 0 over all epochs.
    weight_decay : float, default=1e-4
        L2 regularization of the output layer: each training step shrinks the output rows
        it updates by ``1 - learning_rate * weight_decay`` before adding its gradient (the
        learning rate without the document's weight, as scikit-learn's SGD). Without it the
        model fits every training document within a few epochs and stops learning; 1e-4
        gains up to half a point of accuracy on 20 Newsgroups and Rotten Tomatoes, nothing
        measurable on Reuters R8. 0 is fastText's
        model. ``alpha * weight_decay`` must be below 1.
    loss : {"softmax", "ns", "hs", "ova"}, default="softmax"
        ``"softmax"``; ``"ns"``, negative sampling of ``negative`` other classes (drawn with
        probability proportional to the square root of their counts, fastText's choice);
        ``"hs"``, hierarchical softmax over fastText's Huffman tree of the classes (fast for
        many classes); ``"ova"``, one logistic loss per class (one-vs-all, for multi-label
        ``y``).
    negative : int, default=5
        Negative samples per example with ``loss="ns"``.
    min_count : int, default=1
        Words occurring fewer times are not features (their n-grams still are).
    feature_weighting : {"nb_idf", "nb", "idf"} or None, default="nb_idf"
        How each feature weighs in a document's mean, learned in ``fit`` from the training
        documents that hold it: ``"nb"``, 0.3 plus ``|r|``, with ``r`` the largest
        Naive-Bayes log-count ratio of the feature over the classes (how much more often the
        documents of a class hold it than the others: Wang and Manning 2012's NBSVM idea
        inside the embedding average); ``"idf"``, its inverse document frequency (as
        ``TfidfTransformer``'s smoothed idf); ``"nb_idf"``, their product. Features that
        tell the classes apart, and rare ones, then weigh more than frequent neutral ones.
        None: every feature weighs 1, fastText's plain mean. See the User Guide, "Text
        classification".
    sublinear_tf : bool, default=True
        A feature held ``k`` times by a document weighs ``1 + log(k)`` times its weight in
        the mean, not ``k`` times (as ``TfidfTransformer(sublinear_tf=True)``). False is
        fastText's model.
    norm : {"l1", "l2"}, default="l2"
        How a document's weighted sum of feature embeddings is scaled: ``"l1"`` divides it
        by the sum of the weights (the weighted mean; fastText's model, with
        ``feature_weighting=None``), ``"l2"`` by their Euclidean norm, as
        ``TfidfTransformer(norm="l2")`` scales a document's weights. With ``"l2"`` a long
        document's vector is longer and each of its features learns faster (the update a
        feature gets is its share of the document vector): on 20 Newsgroups' long posts
        0.852 against 0.848 (32 dimensions, no weight decay, seed 0); on short snippets
        within noise.
    class_weight : dict, "balanced" or None, default=None
        Weights of the classes, as scikit-learn's classifiers: ``"balanced"`` weighs each
        class by ``n_samples / (n_classes * count)``. A document's weight scales its
        learning rate. For a multi-label ``y``, a dict weighs the positive term of each
        label's logistic loss, and ``"balanced"`` weighs both terms of each label so that
        they count equally.
    early_stopping : bool, default=False
        Hold out ``validation_fraction`` of the documents (stratified by class) and stop when
        their accuracy has not improved by ``tol`` for ``n_iter_no_change`` epochs, as
        scikit-learn's SGD estimators. The learning rate still decays over ``epochs``.
    validation_fraction : float, default=0.1
        Share of the documents held out with ``early_stopping``.
    n_iter_no_change : int, default=5
        Epochs without improvement before stopping, with ``early_stopping``.
    tol : float, default=1e-3
        Smallest improvement of the validation accuracy that counts, with
        ``early_stopping``.
    n_jobs : int, default=None
        Training threads (None: 1, or what a joblib context gives; -1: all processors), as
        ``Word2VecVectorizer``.
    random_state : int, RandomState instance or None, default=None
        Seeds the initial embeddings, the order of the documents in each epoch, the
        negative samples and the validation split. With an int and ``n_jobs=1`` the model is
        identical on every run; more threads update the shared weights in a
        non-deterministic order.
    init : WordVectors, default=None
        Pretrained word vectors (e.g. ``Word2VecVectorizer().fit(unlabelled_texts).wv_``)
        to start the words' embeddings from; their words join the vocabulary (so words
        never seen in the labelled documents still have a meaningful embedding), as
        fastText's ``pretrainedVectors``. ``vector_size`` must equal theirs.
    freeze_init : bool, default=False
        With ``init``, keep the pretrained embeddings fixed.
    verbose : int, default=0
        1 prints a line per epoch; the same events reach scikit-learn callbacks.
    lowercase : bool, default=True
        Lowercase documents before tokenizing (``analyzer="word"``).
    token_pattern : str or None, default=r"(?u)\\b\\w\\w+\\b"
        Regular expression of a token (``analyzer="word"``, no ``tokenizer``).
    tokenizer : callable, default=None
        Overrides the string tokenization step (``analyzer="word"``).
    preprocessor : callable, default=None
        Overrides the preprocessing (lowercasing and accent stripping) step.
    strip_accents : {"ascii", "unicode"} or callable, default=None
        Remove accents before tokenizing, as in ``CountVectorizer``.
    analyzer : {"word", "pretokenized"} or callable, default="word"
        As in ``Word2VecVectorizer``: ``"pretokenized"`` takes lists of tokens. Every
        document then ends with fastText's end-of-line token ``"</s>"``, whose embedding
        acts as a learned bias (and gives an empty document a prediction).

    Attributes
    ----------
    classes_ : ndarray of shape (n_classes,)
        The class labels (for a multi-label ``y``, its column numbers).
    wv_ : WordVectors
        The embeddings of the words (with their character n-grams for a subword model),
        with ``most_similar`` and the other queries.
    loss_history_ : list of float
        Mean training loss per document of each epoch.
    n_iter_ : int
        Epochs trained.
    validation_scores_ : list of float or None
        Held-out accuracy after each epoch, with ``early_stopping``.
    corpus_document_count_ : int or None
        Documents read by ``fit`` (None for a classifier from :meth:`load`).
    corpus_token_count_ : int
        Tokens read by ``fit``, ``"</s>"`` included (fastText's count for :meth:`load`).
    n_features_in_ : int
        1, when ``fit`` was given a one-column DataFrame.
    feature_names_in_ : ndarray of shape (1,)
        The column name, when ``fit`` was given a one-column DataFrame.

    See Also
    --------
    Word2VecVectorizer : Unsupervised word vectors, pooled into document vectors.

    Notes
    -----
    Prediction averages the rows of a document's features; a word n-gram or character
    n-gram whose bucket no training document reached counts as a zero row. The settings that
    win where are in the User Guide, "Text classification".

    Examples
    --------
    >>> from skw2v import Word2VecClassifier
    >>> X = ["a great and moving film", "great acting", "a dull boring mess",
    ...      "boring and slow"] * 20
    >>> y = ["pos", "pos", "neg", "neg"] * 20
    >>> clf = Word2VecClassifier(n_jobs=1, random_state=0).fit(X, y)
    >>> clf.predict(["a great film", "so boring"]).tolist()
    ['pos', 'neg']
    >>> clf.predict_proba(["great"]).shape
    (1, 2)
    >>> clf.transform(["great"]).shape
    (1, 32)
    """

    _parameter_constraints: dict = {
        "vector_size": [_Number(Integral, 1, None, closed="left")],
        "word_ngram_range": [tuple],
        "char_ngram_range": [tuple, None],
        "n_buckets": [_Number(Integral, 1, MAX_BUCKETS, closed="both")],
        "epochs": [_Number(Integral, 1, None, closed="left")],
        "alpha": [_Number(Real, 0, None, closed="neither")],
        "weight_decay": [_Number(Real, 0, None, closed="left")],
        "loss": [StrOptions({"softmax", "ns", "hs", "ova"})],
        "negative": [_Number(Integral, 0, None, closed="left")],
        "min_count": [_Number(Integral, 1, None, closed="left")],
        "feature_weighting": [StrOptions({"nb_idf", "nb", "idf"}), None],
        "sublinear_tf": ["boolean"],
        "norm": [StrOptions({"l1", "l2"})],
        "class_weight": [StrOptions({"balanced"}), dict, None],
        "early_stopping": ["boolean"],
        "validation_fraction": [_Number(Real, 0, 1, closed="neither")],
        "n_iter_no_change": [_Number(Integral, 1, None, closed="left")],
        "tol": [_Number(Real, 0, None, closed="left")],
        "n_jobs": [_Number(Integral, None, None, closed="neither"), None],
        "random_state": ["random_state"],
        "init": [WordVectors, None],
        "freeze_init": ["boolean"],
        "verbose": ["verbose"],
        "lowercase": ["boolean"],
        "token_pattern": [str, None],
        "tokenizer": [callable, None],
        "preprocessor": [callable, None],
        "strip_accents": [StrOptions({"ascii", "unicode"}), callable, None],
        "analyzer": [StrOptions({"word", PRETOKENIZED}), callable],
    }

    def __init__(
        self,
        *,
        vector_size: int = 32,
        word_ngram_range: tuple[int, int] = (1, 2),
        char_ngram_range: tuple[int, int] | None = None,
        n_buckets: int = 2_000_000,
        epochs: int = 25,
        alpha: float = 0.1,
        weight_decay: float = 1e-4,
        loss: str = "softmax",
        negative: int = 5,
        min_count: int = 1,
        feature_weighting: str | None = "nb_idf",
        sublinear_tf: bool = True,
        norm: str = "l2",
        class_weight: dict | str | None = None,
        early_stopping: bool = False,
        validation_fraction: float = 0.1,
        n_iter_no_change: int = 5,
        tol: float = 1e-3,
        n_jobs: int | None = None,
        random_state=None,
        init: WordVectors | None = None,
        freeze_init: bool = False,
        verbose: int = 0,
        lowercase: bool = True,
        token_pattern: str | None = r"(?u)\b\w\w+\b",
        tokenizer=None,
        preprocessor=None,
        strip_accents: str | None = None,
        analyzer="word",
    ) -> None:
        self.vector_size = vector_size
        self.word_ngram_range = word_ngram_range
        self.char_ngram_range = char_ngram_range
        self.n_buckets = n_buckets
        self.epochs = epochs
        self.alpha = alpha
        self.weight_decay = weight_decay
        self.loss = loss
        self.negative = negative
        self.min_count = min_count
        self.feature_weighting = feature_weighting
        self.sublinear_tf = sublinear_tf
        self.norm = norm
        self.class_weight = class_weight
        self.early_stopping = early_stopping
        self.validation_fraction = validation_fraction
        self.n_iter_no_change = n_iter_no_change
        self.tol = tol
        self.n_jobs = n_jobs
        self.random_state = random_state
        self.init = init
        self.freeze_init = freeze_init
        self.verbose = verbose
        self.lowercase = lowercase
        self.token_pattern = token_pattern
        self.tokenizer = tokenizer
        self.preprocessor = preprocessor
        self.strip_accents = strip_accents
        self.analyzer = analyzer

    def build_analyzer(self):
        """Return the callable that turns one document into its list of tokens (before
        ``"</s>"`` is appended).

        Returns
        -------
        analyzer : callable
            A picklable function of one document.

        Examples
        --------
        >>> from skw2v import Word2VecClassifier
        >>> Word2VecClassifier().build_analyzer()("Not bad at all!")
        ['not', 'bad', 'at', 'all']
        """
        return build_analyzer(self.analyzer, lowercase=self.lowercase,
                              token_pattern=self.token_pattern, tokenizer=self.tokenizer,
                              preprocessor=self.preprocessor,
                              strip_accents=self.strip_accents)

    def _n_threads(self) -> int:
        return resolve_n_threads(self.n_jobs)

    @_fit_context(prefer_skip_nested_validation=True)
    def fit(self, X, y, sample_weight=None):
        """Learn the embeddings and the linear layer from labelled documents.

        Parameters
        ----------
        X : iterable of str, iterable of list of str, or pathlib.Path
            Documents, as for ``Word2VecVectorizer.fit`` (read once).
        y : array-like of shape (n_documents,) or (n_documents, n_labels)
            One label per document (of any type that sorts: str, int...), or a 0/1
            indicator matrix (dense or sparse) for multi-label classification with
            ``loss="ova"``.
        sample_weight : array-like of shape (n_documents,), default=None
            Weight of each document (scales its learning rate); 0 leaves it out.

        Returns
        -------
        self : Word2VecClassifier
            The fitted classifier.

        Examples
        --------
        >>> from skw2v import Word2VecClassifier
        >>> X = ["a great and moving film", "great acting", "a dull boring mess",
        ...      "boring and slow"] * 20
        >>> y = ["pos", "pos", "neg", "neg"] * 20
        >>> clf = Word2VecClassifier(n_jobs=1, random_state=0).fit(X, y)
        >>> clf.classes_.tolist(), clf.n_iter_, len(clf.loss_history_)
        (['neg', 'pos'], 25, 25)
        """
        _driver.fit(self, DocumentSource(X), SupervisedEngine(y, sample_weight,
                                                              n_documents(X)))
        return self

    def save(self, path: str | os.PathLike, format: str = "fasttext") -> None:
        """Write the fitted classifier as a fastText supervised model.

        ``fasttext.load_model(path)`` reads it and predicts what :meth:`predict` predicts,
        for texts tokenized as this classifier tokenizes them: fastText splits on
        whitespace and lowercases nothing, so give it ``" ".join(tokens)`` of
        :meth:`build_analyzer` (a classifier from :meth:`load` already tokenizes as
        fastText). Classes are written as labels ``"__label__" + str(class)``. With
        ``feature_weighting``, each input row is written times its weight: fastText then
        averages them unweighted. That average, like the mean of ``norm="l1"``, is a
        positive multiple of this classifier's document vector, so fastText predicts the
        same classes (``loss`` "softmax", "ns", "ova"; nearly so with "hs") with other
        probabilities. fastText counts every repeat of a feature, so with
        ``sublinear_tf=True`` it predicts other classes for some documents that repeat
        words, and ``save`` warns. ``feature_weighting=None, sublinear_tf=False,
        norm="l1"`` is fastText's own model, which fastText predicts exactly alike.

        Parameters
        ----------
        path : str or path-like
            The ``.bin`` file to write (replaced if it exists; written to a temporary file
            beside it, then renamed).
        format : {"fasttext"}, default="fasttext"
            fastText's unquantized supervised ``.bin`` (format version 12).

        Raises
        ------
        ValueError
            If a word or class name is empty or holds whitespace or NUL (fastText's
            separators), or the classifier was loaded from a pruned quantized model.

        Examples
        --------
        >>> import os, tempfile
        >>> from skw2v import Word2VecClassifier
        >>> X = ["a great and moving film", "great acting", "a dull boring mess",
        ...      "boring and slow"] * 20
        >>> y = ["pos", "pos", "neg", "neg"] * 20
        >>> clf = Word2VecClassifier(sublinear_tf=False, n_jobs=1, random_state=0).fit(X, y)
        >>> path = os.path.join(tempfile.mkdtemp(), "sentiment.bin")
        >>> clf.save(path)
        >>> Word2VecClassifier.load(path).predict(["a great film"]).tolist()
        ['pos']
        """
        model = self._snapshot()
        _check_format(format)
        write_model(path, model, epochs=self.epochs, min_count=self.min_count,
                    negative=self.negative, ntokens=self.corpus_token_count_ or 0)
        if model.space.sublinear_tf:
            warnings.warn(
                "This classifier weighs a feature repeated k times in a document by 1 + log(k) "
                "(sublinear_tf=True); fastText counts every repeat, so the saved model "
                "predicts other classes for some documents that repeat words. Fit with "
                "sublinear_tf=False for a file fastText predicts exactly alike.",
                UserWarning, stacklevel=2)

    @classmethod
    def load(cls, path: str | os.PathLike, format: str = "fasttext") -> Word2VecClassifier:
        """A fitted classifier from a fastText supervised model (``.bin``, or a quantized
        ``.ftz``).

        The classifier predicts what fastText predicts with the model: it tokenizes as
        fastText (``lowercase=False``, tokens split on whitespace, ``"</s>"`` appended),
        and its other parameters mirror the model's (``vector_size``, ``word_ngram_range``,
        ``char_ngram_range``, ``n_buckets``, ``loss``...); refitting trains with them. The
        classes are the labels without their ``"__label__"`` prefix, as str. A quantized
        model's rows are expanded to float32 (product quantization decoded), and a pruned
        dictionary keeps dropping the n-grams fastText drops.

        Parameters
        ----------
        path : str or path-like
            The model file.
        format : {"fasttext"}, default="fasttext"
            fastText's supervised model file.

        Returns
        -------
        Word2VecClassifier
            Fitted: ``predict``, ``predict_proba``, ``transform`` and ``wv_`` work.

        Raises
        ------
        ValueError
            If the file is not a fastText supervised model (an unsupervised ``.bin`` says
            to use ``WordVectors.load``), is truncated or corrupt.

        Examples
        --------
        fastText's language identifier (``skw2v.datasets.fetch_lid176`` fetches it once):

        >>> from skw2v import Word2VecClassifier
        >>> from skw2v.datasets import fetch_lid176
        >>> lid = Word2VecClassifier.load(fetch_lid176())  # doctest: +SKIP
        >>> lid.predict(["Bonjour tout le monde", "Guten Morgen"]).tolist()  # doctest: +SKIP
        ['fr', 'de']
        """
        _check_format(format)
        model, params, n_tokens = read_model(path)
        classifier = cls(**params)
        _driver.commit(classifier, fitted_attributes(
            model, losses=[], n_iter=params["epochs"], validation_scores=None,
            n_documents=None, n_tokens=n_tokens))
        return classifier

    # ------------------------------------------------------------------------- prediction
    def _snapshot(self):
        """The fitted model, read once per call (a refit commits a new one as a whole)."""
        check_is_fitted(self, "wv_")
        return self._model

    def _vectors(self, model, X, where=None):
        """The mean feature row of each document of ``X`` under ``model`` (``where(position)``
        names a document in errors)."""
        check_input_columns(self, X)
        analyzer = EndOfDocument(self.build_analyzer())
        tokenizer = Tokenizer(analyzer, self.analyzer)
        where = where or _document_label
        n_threads = self._n_threads()
        rule = tokenizer.split_rule
        # A whitespace split tokenizes batches of str documents in Numba; a str document
        # under another analyzer whose tokens are always str (a token pattern) needs no
        # check: it goes to the analyzer directly; anything else goes through the Tokenizer,
        # which names the document in its errors.
        direct = tokenizer.yields_str and self.analyzer == "word"
        blocks, batch, texts, size = [], [], [], 0

        def flush():  # only one of texts and batch holds documents
            nonlocal batch, texts, size
            if texts:
                blocks.append(model.text_vectors(texts, rule, analyzer, n_threads))
            if batch:
                blocks.append(model.document_vectors(batch, n_threads))
            batch, texts, size = [], [], 0

        for position, document in enumerate(iter_documents(X)):
            if rule is not None and isinstance(document, str):
                if batch:
                    flush()  # keep the documents in order
                texts.append(document)
                size += len(document)
                if len(texts) == BATCH_DOCUMENTS or size >= BATCH_CHARS:
                    flush()
                continue
            if texts:
                flush()  # keep the documents in order
            if direct and type(document) is str:
                tokens = analyzer(document)
            else:
                tokens = tokenizer(document, where(position))
            batch.append(tokens)
            size += len(tokens)
            if len(batch) == BATCH_DOCUMENTS or size >= BATCH_TOKENS:
                flush()
        flush()
        if not blocks:
            return model.document_vectors([], n_threads)
        return np.concatenate(blocks) if len(blocks) > 1 else blocks[0]

    def _transform(self, X, where=None):
        return self._vectors(self._snapshot(), X, where)

    def _scores(self, X, where=None):
        model = self._snapshot()
        return model, model.scores(self._vectors(model, X, where))

    def _predict_proba(self, X, where=None):
        model = self._snapshot()
        return model.probabilities(self._vectors(model, X, where))

    def _predict(self, X, where=None):
        model = self._snapshot()
        hidden = self._vectors(model, X, where)
        if model.multilabel:
            return (model.probabilities(hidden) >= 0.5).astype(np.int64)
        return model.classes[model.best_classes(hidden)]

    def transform(self, X):
        """The document embeddings: the mean of each document's feature rows.

        Parameters
        ----------
        X : iterable of str, iterable of list of str, or pathlib.Path
            Documents.

        Returns
        -------
        ndarray of shape (n_documents, vector_size), dtype float32
            The hidden layer the linear classifier reads.

        Examples
        --------
        >>> from skw2v import Word2VecClassifier
        >>> X = ["a great and moving film", "great acting", "a dull boring mess",
        ...      "boring and slow"] * 20
        >>> y = ["pos", "pos", "neg", "neg"] * 20
        >>> clf = Word2VecClassifier(n_jobs=1, random_state=0).fit(X, y)
        >>> clf.transform(["great", "boring"]).shape
        (2, 32)
        """
        return self._transform(X)

    def decision_function(self, X):
        """Scores of each class: logits (softmax, ns, ova), or fastText's scores (hs).

        With ``loss="hs"`` a class's score is fastText's: the sum of ``log(p + 1e-5)`` over
        the nodes on its path in the tree, ``p`` the probability of the branch taken, so
        ``exp`` of it is the probability fastText's ``predict`` reports (see
        :meth:`predict_proba` for the exact probabilities).

        Parameters
        ----------
        X : iterable of str, iterable of list of str, or pathlib.Path
            Documents.

        Returns
        -------
        ndarray of shape (n_documents,) or (n_documents, n_classes)
            For two classes (single-label), the score of the second class minus that of
            the first, as scikit-learn's binary classifiers.

        Examples
        --------
        >>> from skw2v import Word2VecClassifier
        >>> X = ["a great and moving film", "great acting", "a dull boring mess",
        ...      "boring and slow"] * 20
        >>> y = ["pos", "pos", "neg", "neg"] * 20
        >>> clf = Word2VecClassifier(n_jobs=1, random_state=0).fit(X, y)
        >>> (clf.decision_function(["great", "boring"]) > 0).tolist()  # "pos" is second
        [True, False]
        """
        model, scores = self._scores(X)
        if not model.multilabel and scores.shape[1] == 2:
            return scores[:, 1] - scores[:, 0]
        return scores

    def predict_proba(self, X):
        """Class probabilities.

        Parameters
        ----------
        X : iterable of str, iterable of list of str, or pathlib.Path
            Documents.

        Returns
        -------
        ndarray of shape (n_documents, n_classes)
            Rows sum to 1 for ``loss`` "softmax", "hs" and "ns" (its sigmoids normalised);
            for "ova", each label's own probability. With "hs" a class's probability is the
            product of the branch probabilities along its path; fastText's ``predict``
            reports ``exp(decision_function)`` instead, which adds ``1e-5`` to each branch
            probability: it is larger by up to about the path's length times ``1e-5``
            (1.3e-4 at most on ``lid.176.ftz``'s deepest languages), and its rows do not sum
            to 1.

        Examples
        --------
        >>> from skw2v import Word2VecClassifier
        >>> X = ["a great and moving film", "great acting", "a dull boring mess",
        ...      "boring and slow"] * 20
        >>> y = ["pos", "pos", "neg", "neg"] * 20
        >>> clf = Word2VecClassifier(n_jobs=1, random_state=0).fit(X, y)
        >>> proba = clf.predict_proba(["great acting"])
        >>> proba.shape, bool(proba[0, 1] > 0.5)
        ((1, 2), True)
        """
        return self._predict_proba(X)

    def predict_log_proba(self, X):
        """The logarithm of :meth:`predict_proba`.

        Parameters
        ----------
        X : iterable of str, iterable of list of str, or pathlib.Path
            Documents.

        Returns
        -------
        ndarray of shape (n_documents, n_classes)

        Examples
        --------
        >>> from skw2v import Word2VecClassifier
        >>> X = ["a great and moving film", "great acting", "a dull boring mess",
        ...      "boring and slow"] * 20
        >>> y = ["pos", "pos", "neg", "neg"] * 20
        >>> clf = Word2VecClassifier(n_jobs=1, random_state=0).fit(X, y)
        >>> bool(clf.predict_log_proba(["boring"])[0, 0] > -0.7)
        True
        """
        with np.errstate(divide="ignore"):
            return np.log(self.predict_proba(X))

    def predict(self, X):
        """The class of each document (for multi-label, the labels of probability >= 0.5).

        Parameters
        ----------
        X : iterable of str, iterable of list of str, or pathlib.Path
            Documents.

        Returns
        -------
        ndarray of shape (n_documents,) or (n_documents, n_labels)

        Examples
        --------
        >>> from skw2v import Word2VecClassifier
        >>> X = ["a great and moving film", "great acting", "a dull boring mess",
        ...      "boring and slow"] * 20
        >>> y = ["pos", "pos", "neg", "neg"] * 20
        >>> clf = Word2VecClassifier(n_jobs=1, random_state=0).fit(X, y)
        >>> clf.predict(["a great film", "so boring"]).tolist()
        ['pos', 'neg']
        """
        return self._predict(X)

    @property
    def _n_features_out(self):
        return self._model.vector_size

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.string = True
        tags.input_tags.two_d_array = False
        tags.classifier_tags.multi_label = True
        tags.transformer_tags.preserves_dtype = []
        return tags

    def _more_tags(self):
        return {"X_types": ["string"], "multilabel": True, "preserves_dtype": []}
