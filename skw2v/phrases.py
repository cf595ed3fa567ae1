"""``PhrasesTransformer``: collocations (``new_york``) learned from documents and joined."""

from __future__ import annotations

import gc
from contextlib import contextmanager
from numbers import Integral, Real

from sklearn.base import BaseEstimator, TransformerMixin, _fit_context
from sklearn.utils._param_validation import StrOptions
from sklearn.utils.validation import check_is_fitted

from ._documents import Tokenizer, is_one_shot, raise_for_tokens, token_batches
from ._phrase_counts import PhraseCounts
from ._phrase_table import PhraseTable
from ._text import PRETOKENIZED, build_analyzer
from ._threads import resolve_n_threads
from .vectorizer import _Number

__all__ = ["ENGLISH_CONNECTOR_WORDS", "PhrasesTransformer"]

#: gensim 4's English connector words (``gensim.models.phrases.ENGLISH_CONNECTOR_WORDS``):
#: articles, some prepositions and conjunctions, which may sit inside a phrase ("bank of
#: america") but never start or end one. ``connector_words="english"`` uses them.
ENGLISH_CONNECTOR_WORDS = frozenset(
    "a an the for of with without at from to in on by and or".split())

#: Tokens read and counted at a time.
BATCH_TOKENS = 1 << 15


@contextmanager
def cyclic_gc_paused():
    """Pause CPython's cyclic garbage collector (reference counting still frees everything
    that is not in a cycle) and restore it as it was: for a loop that allocates many
    containers while the caller holds many more."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


class PhrasesTransformer(TransformerMixin, BaseEstimator):
    r"""Learn collocations such as ``new york`` and join them into one token, ``new_york``.

    ``fit`` counts the words and the *candidates* of the documents: a word, the connector
    words after it (none, or "of" in "bank of america") and the next word. A candidate is a
    phrase when its score is above ``threshold``; ``transform`` reads each document left to
    right and joins every phrase into one token with ``delimiter``. Run it in front of
    :class:`Word2VecVectorizer` (or :class:`Word2VecClassifier`) so that ``new_york`` gets a
    vector of its own; stack two for phrases of three or more words (``new_york_city``).

    The phrases and scores are those of gensim's ``Phrases`` at the same settings (its
    scores, its connector words, its left-to-right joining, and its pruning when
    ``max_vocab_size`` is reached); counting runs in Numba on token ids, without a string per
    candidate, so it is many times faster and smaller. One difference, for tokens that hold
    the delimiter (the output of a first transformer): a candidate such as ``new_york`` +
    ``city`` is scored from the counts of ``new_york`` and ``city``, where gensim's
    ``export_phrases`` splits the text and scores ``new`` and ``city`` (gensim issues 3326,
    3380), so that stacked transformers find ``new_york_city`` where gensim's frozen phrases
    do not.

    Parameters
    ----------
    min_count : int, default=5
        Candidates seen fewer times are never phrases (``"default"`` scoring subtracts it
        from the candidate's count, ``"npmi"`` requires it), as in gensim.
    threshold : float, default=10.0
        A candidate is a phrase when its score is strictly above this. For ``"default"``
        scoring a positive number (word2vec's ``word2phrase`` uses 100 and then 50 for a
        second pass); for ``"npmi"`` a number in [-1, 1].
    scoring : {"default", "npmi"}, default="default"
        ``"default"``: word2vec's score ``(count(a b) - min_count) * n_keys / (count(a) *
        count(b))`` where ``n_keys`` is the number of distinct words and candidates counted
        (Mikolov et al. 2013). ``"npmi"``: normalized pointwise mutual information
        ``log(p(a b) / (p(a) p(b))) / -log(p(a b))``, probabilities over all tokens read
        (Bouma 2009), which depends less on the corpus size.
    connector_words : "english", collection of str or None, default=None
        Words that may sit inside a phrase but never start or end one, and are not counted:
        ``"english"`` for :data:`ENGLISH_CONNECTOR_WORDS` (gensim's set), or your own set.
    max_vocab_size : int or None, default=40_000_000
        Distinct words plus candidates counted before pruning: after a document that takes
        them past this number, every one counted fewer than ``min_reduce`` times is forgotten
        (``min_reduce`` starts at 1 and grows by one at each pruning), which bounds memory
        at the price of exact counts: gensim's rule and default. None never prunes.
    delimiter : str, default="_"
        Joins the tokens of a phrase. ``transform`` looks phrases up by text, as gensim's
        ``FrozenPhrases``: with ``new_york_city`` a phrase, the tokens ``new_york city`` and
        ``new york_city`` are both joined.
    lowercase : bool, default=True
        Lowercase documents before tokenizing (``analyzer="word"``).
    token_pattern : str or None, default=r"(?u)\\b\\w\\w+\\b"
        Regular expression of a token (``analyzer="word"``, no ``tokenizer``), as in
        :class:`Word2VecVectorizer`.
    tokenizer : callable, default=None
        Overrides the string tokenization step (``analyzer="word"``).
    preprocessor : callable, default=None
        Overrides the preprocessing (lowercasing and accent stripping) step
        (``analyzer="word"``).
    strip_accents : {"ascii", "unicode"} or callable, default=None
        Remove accents before tokenizing (``analyzer="word"``), as in
        :class:`~sklearn.feature_extraction.text.CountVectorizer`.
    analyzer : {"word", "pretokenized"} or callable, default="word"
        ``"word"`` tokenizes str documents with the options above, ``"pretokenized"`` takes
        each document as its list of str tokens, a callable returns a document's tokens.
    n_jobs : int or None, default=None
        Threads for ``fit``: with two or more, a batch of documents is counted (Numba,
        without the GIL) while the next one is read; more than two do not help. None uses
        the cores this process may use, as :class:`Word2VecVectorizer`.

    Attributes
    ----------
    phrases_ : dict of str to float
        Each phrase (its tokens joined by ``delimiter``) and its score, as gensim's
        ``Phrases.export_phrases()``. Only these are kept after ``fit`` (gensim's
        ``FrozenPhrases``), so a fitted transformer pickles small.
    connector_words_ : frozenset of str
        The connector words of ``fit``, which ``transform`` uses.
    n_tokens_ : int
        Tokens read by ``fit``, connector words included.

    See Also
    --------
    Word2VecVectorizer : Word vectors for the joined tokens.

    Notes
    -----
    ``transform`` returns the documents in the form they came in: with
    ``analyzer="pretokenized"`` a list of token lists, otherwise a list of str, the tokens
    joined by single spaces (lowercased and cut as the analyzer cuts them), which a
    :class:`Word2VecVectorizer` with its default ``token_pattern`` reads back token for token
    while ``delimiter`` is a word character such as ``"_"``.

    Examples
    --------
    >>> from skw2v import PhrasesTransformer
    >>> docs = ["I moved to New York last year", "New York is big", "a new car",
    ...         "the Bank of America in New York", "a Bank of America branch",
    ...         "she lives in York", "America is far"] * 3
    >>> phrases = PhrasesTransformer(min_count=2, threshold=1.0,
    ...                              connector_words="english").fit(docs)
    >>> round(phrases.phrases_["bank_of_america"], 3)
    2.074
    >>> phrases.transform(["She works at the Bank of America in New York"])
    ['she works at the bank_of_america in new_york']
    """

    _parameter_constraints: dict = {
        "min_count": [_Number(Integral, 1, None, closed="left")],
        "threshold": [_Number(Real, None, None, closed="neither")],
        "scoring": [StrOptions({"default", "npmi"})],
        "connector_words": [StrOptions({"english"}), set, frozenset, list, tuple, None],
        "max_vocab_size": [_Number(Integral, 1, None, closed="left"), None],
        "delimiter": [str],
        "lowercase": ["boolean"],
        "token_pattern": [str, None],
        "tokenizer": [callable, None],
        "preprocessor": [callable, None],
        "strip_accents": [StrOptions({"ascii", "unicode"}), callable, None],
        "analyzer": [StrOptions({"word", PRETOKENIZED}), callable],
        "n_jobs": [_Number(Integral, None, None, closed="neither"), None],
    }

    def __init__(
        self,
        *,
        min_count: int = 5,
        threshold: float = 10.0,
        scoring: str = "default",
        connector_words=None,
        max_vocab_size: int | None = 40_000_000,
        delimiter: str = "_",
        lowercase: bool = True,
        token_pattern: str | None = r"(?u)\b\w\w+\b",
        tokenizer=None,
        preprocessor=None,
        strip_accents=None,
        analyzer="word",
        n_jobs: int | None = None,
    ) -> None:
        self.min_count = min_count
        self.threshold = threshold
        self.scoring = scoring
        self.connector_words = connector_words
        self.max_vocab_size = max_vocab_size
        self.delimiter = delimiter
        self.lowercase = lowercase
        self.token_pattern = token_pattern
        self.tokenizer = tokenizer
        self.preprocessor = preprocessor
        self.strip_accents = strip_accents
        self.analyzer = analyzer
        self.n_jobs = n_jobs

    def build_analyzer(self):
        """Return the callable that turns one document into its list of tokens.

        Returns
        -------
        analyzer : callable
            A picklable function of one document.

        Examples
        --------
        >>> from skw2v import PhrasesTransformer
        >>> PhrasesTransformer().build_analyzer()("New York, New York")
        ['new', 'york', 'new', 'york']
        """
        return build_analyzer(self.analyzer, lowercase=self.lowercase,
                              token_pattern=self.token_pattern, tokenizer=self.tokenizer,
                              preprocessor=self.preprocessor, strip_accents=self.strip_accents)

    def _check_settings(self) -> frozenset:
        """The connector words, after the checks between parameters."""
        if self.delimiter == "":
            raise ValueError("delimiter='' would make 'new york' and 'newyork' one token; "
                             "pass a non-empty str such as '_'.")
        if self.scoring == "default" and self.threshold <= 0:
            raise ValueError(f"threshold={self.threshold!r}: with scoring='default' every "
                             "score above 0 or below is a phrase or not by the count alone; "
                             "pass a positive threshold such as 10.0 (gensim requires it).")
        if self.scoring == "npmi" and not -1 <= self.threshold <= 1:
            raise ValueError(f"threshold={self.threshold!r}: npmi scores lie in [-1, 1]; "
                             "pass a threshold in that range, such as 0.5.")
        if self.connector_words is None:
            return frozenset()
        if self.connector_words == "english":
            return ENGLISH_CONNECTOR_WORDS
        odd = [word for word in self.connector_words if not isinstance(word, str)]
        if odd:
            raise TypeError(f"connector_words holds {odd[0]!r}, which is not a str; pass "
                            "str words, e.g. {'of', 'the'}, or 'english'.")
        return frozenset(map(str, self.connector_words))

    @_fit_context(prefer_skip_nested_validation=True)
    def fit(self, X, y=None):
        """Count the words and candidates of ``X`` and keep the phrases.

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
        self : PhrasesTransformer
            The fitted transformer.

        Examples
        --------
        >>> from skw2v import PhrasesTransformer
        >>> docs = [["new", "york", "is", "big"], ["i", "love", "new", "york"],
        ...         ["a", "new", "car"], ["york", "city"], ["big", "city"]] * 3
        >>> phrases = PhrasesTransformer(min_count=1, threshold=1.0,
        ...                              analyzer="pretokenized").fit(docs)
        >>> sorted(phrases.phrases_)
        ['a_new', 'i_love', 'is_big', 'love_new', 'new_car', 'new_york', 'york_is']
        """
        connectors = self._check_settings()
        tokenizer = Tokenizer(self.build_analyzer(), self.analyzer)
        counts = PhraseCounts(connectors, self.max_vocab_size or (1 << 62))
        counts.count(
            token_batches(X, tokenizer, BATCH_TOKENS, check_tokens=False),
            threads=resolve_n_threads(self.n_jobs) > 1,
            on_bad_tokens=lambda position, batch: raise_for_tokens(tokenizer, position, batch))
        phrases = counts.phrases(min_count=self.min_count, threshold=self.threshold,
                                 scoring=self.scoring, delimiter=self.delimiter)
        self._phrase_table = None  # built by the first transform
        self.phrases_ = phrases
        self.connector_words_ = connectors
        self.n_tokens_ = counts.n_tokens
        return self

    def transform(self, X):
        """Join the phrases of each document.

        Parameters
        ----------
        X : iterable of str, iterable of list of str, or pathlib.Path
            Documents, as for :meth:`fit`.

        Returns
        -------
        documents : list of str, or list of list of str
            With ``analyzer="pretokenized"``, each document's tokens with every phrase as
            one token; otherwise each document as its tokens joined by single spaces.

        Examples
        --------
        >>> from skw2v import PhrasesTransformer
        >>> docs = [["new", "york", "is", "big"], ["i", "love", "new", "york"],
        ...         ["a", "new", "car"], ["york", "city"], ["big", "city"]] * 3
        >>> phrases = PhrasesTransformer(min_count=1, threshold=1.0,
        ...                              analyzer="pretokenized").fit(docs)
        >>> phrases.transform([["new", "york", "new", "york", "city"]])
        [['new_york', 'new_york', 'city']]
        """
        check_is_fitted(self, "phrases_")
        tokenizer = Tokenizer(self.build_analyzer(), self.analyzer)
        table = self._table()
        joined = []
        # A new list per document: the cyclic garbage collector, which these allocations set
        # off, would walk every token list of the caller's corpus each time (measured with
        # bench_phrases: joining the 47,075 prose documents took 0.95 s, 0.69 s with it off).
        with cyclic_gc_paused():
            for position, batch in token_batches(X, tokenizer, BATCH_TOKENS,
                                                 check_tokens=False):
                try:
                    joined += table.join(batch)
                except TypeError:
                    raise_for_tokens(tokenizer, position, batch)
                    raise
        if self.analyzer == PRETOKENIZED:
            return joined
        return [" ".join(tokens) for tokens in joined]

    def fit_transform(self, X, y=None):
        """Fit, then join the phrases of the same documents; equal to
        ``fit(X).transform(X)``.

        Parameters
        ----------
        X : iterable of str, iterable of list of str, or pathlib.Path
            Documents, as for :meth:`fit`. A generator is read once and kept in memory.
        y : None
            Ignored.

        Returns
        -------
        documents : list of str, or list of list of str
            As :meth:`transform` returns them.

        Examples
        --------
        >>> from skw2v import PhrasesTransformer
        >>> docs = ["New York is big", "I love New York", "New York at night",
        ...         "a big city", "I love the city", "the night is young"] * 3
        >>> PhrasesTransformer(min_count=2, threshold=1.5).fit_transform(docs)[:3]
        ['new_york is big', 'love new_york', 'new_york at night']
        """
        if is_one_shot(X):
            X = list(X)
        return self.fit(X).transform(X)

    def _table(self) -> PhraseTable:
        """The phrases ready to be joined, built on first use (after ``fit`` or unpickling)."""
        if getattr(self, "_phrase_table", None) is None:
            self._phrase_table = PhraseTable(self.phrases_, self.connector_words_,
                                             self.delimiter)
        return self._phrase_table

    def __getstate__(self):
        state = super().__getstate__()
        state.pop("_phrase_table", None)  # rebuilt from phrases_: pickles stay small
        return state

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.string = True
        tags.input_tags.two_d_array = False
        return tags

    def _more_tags(self):
        # The same tags for scikit-learn < 1.6, which reads _more_tags, not __sklearn_tags__.
        return {"X_types": ["string"]}
