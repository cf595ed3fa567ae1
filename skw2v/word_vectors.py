"""``WordVectors``: words, their vectors and cosine-similarity queries."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import numpy as np

from . import _queries, _subword_rows
from ._io.common import VectorParts, check_finite
from ._io.methods import WordVectorsIO
from ._subword_rows import SubwordTable

__all__ = ["WordVectors"]


class WordVectors(WordVectorsIO):
    """Word vectors in frequency order, with cosine-similarity queries.

    Parameters
    ----------
    index_to_word : sequence of str
        The words, one per row of ``vectors``, without duplicates.
    vectors : array-like of shape (n_words, vector_size)
        The vectors; stored as C-contiguous float32.
    counts : array-like of shape (n_words,), default=None
        Corpus count of each word, when known.

    Raises
    ------
    ValueError
        If ``vectors`` is not 2-D with one row per word, holds text that is not a number,
        NaN or infinity (or a number beyond the float32 range: such a vector would make
        similarities NaN, so it is rejected, naming its word), a word occurs twice, or
        ``counts`` has the wrong shape. Assigning to :attr:`vectors` checks the same.
    TypeError
        If a word is not a str, or ``vectors`` holds complex numbers or other objects.

    Attributes
    ----------
    vectors : ndarray of shape (n_words, vector_size), dtype float32
        One row per word, read-only: assign a new array to change them (this resets the
        cached unit vectors).
    index_to_word : list of str
        The word of each row.
    word_to_index : dict of str to int
        The row of each word.
    counts : ndarray of shape (n_words,) or None
        Corpus counts, if known.

    See Also
    --------
    Word2VecVectorizer : Learns word vectors and exposes them as ``wv_``.

    Examples
    --------
    >>> import numpy as np
    >>> from skw2v import WordVectors
    >>> wv = WordVectors(["king", "queen", "apple"],
    ...                  np.array([[1.0, 0.1], [0.9, 0.2], [-0.1, 1.0]]))
    >>> wv.most_similar("king", topn=1)
    [('queen', 0.99...)]
    >>> round(wv.similarity("king", "apple"), 3)
    0.0
    """

    def __init__(self, index_to_word: Sequence[str], vectors, counts=None) -> None:
        words = list(index_to_word)
        for position, word in enumerate(words):
            if not isinstance(word, str):
                raise TypeError(f"index_to_word[{position}] is {type(word).__name__} "
                                f"{word!r}; words must be str.")
        word_to_index = {word: i for i, word in enumerate(words)}
        if len(word_to_index) != len(words):
            seen = set()
            duplicate = next(w for w in words if w in seen or seen.add(w))
            raise ValueError(f"index_to_word has the word {duplicate!r} more than once.")
        if counts is not None:
            counts = np.asarray(counts, dtype=np.int64)
            if counts.shape != (len(words),):
                raise ValueError(f"counts has shape {counts.shape}, expected ({len(words)},).")
        self.index_to_word = words
        self.word_to_index = word_to_index
        self.counts = counts
        self._subwords = None
        self.vectors = vectors  # checked by the setter

    @classmethod
    def _owning(cls, index_to_word, vectors, counts=None) -> WordVectors:
        """Build from a float32 C-contiguous array that nobody else holds, without copying it
        (``fit`` and ``load`` hand over arrays they made; a copy would double peak memory).
        The values are not checked for NaN: the callers check their own arrays."""
        placeholder = np.empty((vectors.shape[0], 0), dtype=np.float32)
        wv = cls(index_to_word, placeholder, counts=counts)
        if vectors.dtype != np.float32 or not vectors.flags.c_contiguous:
            raise ValueError("_owning needs a C-contiguous float32 array.")
        vectors.setflags(write=False)
        wv._vectors = vectors
        wv._inverse_norms = None
        return wv

    @classmethod
    def _from_parts(cls, parts: VectorParts) -> WordVectors:
        """Build from what a reader of the format layer returns, without copying."""
        try:
            if parts.subwords is None:
                return cls._owning(parts.words, parts.vectors, counts=parts.counts)
            n_words = parts.subwords.word_rows.shape[0]
            wv = cls._owning(parts.words, np.empty((n_words, 0), dtype=np.float32),
                             counts=parts.counts)
        except (TypeError, ValueError) as error:
            if parts.words_file is None:
                raise
            raise ValueError(f"{parts.words_file}: {error}") from None
        wv._set_subwords(*parts.subwords)
        return wv

    def _sharing(self, counts, *, subwords: bool) -> WordVectors:
        """A WordVectors over this one's words and read-only arrays, not copied, with other
        ``counts`` (for a fit that trains none of them: pickling stores the arrays once).
        ``subwords=False`` gives plain vectors (this one's composed vectors)."""
        shared = object.__new__(type(self))
        shared.__dict__.update(self.__dict__)
        shared.counts = counts
        if not subwords and self._subwords is not None:
            shared._vectors, shared._subwords, shared._inverse_norms = self.vectors, None, None
        return shared

    @classmethod
    def from_subwords(cls, index_to_word: Sequence[str], vectors_vocab, vectors_ngrams, *,
                      char_ngram_range: tuple[int, int], n_buckets: int, ngram_buckets=None,
                      counts=None) -> WordVectors:
        """Word vectors with character n-grams (fastText's model): any word gets a vector.

        The vector of a vocabulary word is the mean of its own row of ``vectors_vocab`` and
        the rows of its character n-grams; the vector of any other word is the mean of its
        n-gram rows. The n-grams of ``word`` are the substrings of ``"<" + word + ">"`` of
        ``char_ngram_range`` characters (a lone ``<`` or ``>`` excepted), each hashed to one
        of ``n_buckets`` buckets with fastText's FNV-1a hash of its UTF-8 bytes, so the
        buckets are those of fastText.

        Parameters
        ----------
        index_to_word : sequence of str
            The vocabulary, one word per row of ``vectors_vocab``.
        vectors_vocab : array-like of shape (n_words, vector_size)
            Each word's own input row (the first rows of fastText's input matrix).
        vectors_ngrams : array-like of shape (n_rows, vector_size)
            One row per n-gram bucket held: all ``n_buckets`` of them in bucket order, or
            the buckets listed in ``ngram_buckets``.
        char_ngram_range : tuple (min_n, max_n)
            Lengths of the n-grams, in characters, ``1 <= min_n <= max_n``.
        n_buckets : int
            Number of hash buckets of the model.
        ngram_buckets : array-like of int, default=None
            The bucket of each row of ``vectors_ngrams``, strictly increasing, when the model
            holds only some buckets (the others count as zero rows in a mean, as untrained
            rows). None: ``vectors_ngrams`` holds every bucket.
        counts : array-like of shape (n_words,), default=None
            Corpus count of each word, when known.

        Returns
        -------
        WordVectors
            With :attr:`char_ngram_range` set: indexing, :meth:`similarity` and
            :meth:`most_similar` accept words outside the vocabulary.

        Raises
        ------
        ValueError
            If a shape, range or bucket list is inconsistent, or a row holds NaN or infinity.

        Examples
        --------
        >>> import numpy as np
        >>> from skw2v import WordVectors
        >>> rng = np.random.default_rng(0)
        >>> wv = WordVectors.from_subwords(["walk", "talk"], rng.normal(size=(2, 4)),
        ...                                rng.normal(size=(100, 4)), char_ngram_range=(3, 4),
        ...                                n_buckets=100)
        >>> "walking" in wv, wv["walking"].shape
        (False, (4,))
        """
        table = _subword_rows.checked_table(
            vectors_vocab, vectors_ngrams, char_ngram_range=char_ngram_range,
            n_buckets=n_buckets, ngram_buckets=ngram_buckets)
        wv = cls(index_to_word, np.empty((table.word_rows.shape[0], 0), dtype=np.float32),
                 counts=counts)
        check_finite(
            table.word_rows,
            lambda row: f"The row of {wv.index_to_word[row]!r} in vectors_vocab",
            "Repair or remove that row.")
        check_finite(table.ngram_vectors, lambda row: f"Row {row} of vectors_ngrams",
                     "Repair that row.")
        wv._set_subwords(*table)
        return wv

    def _set_subwords(self, word_rows, ngram_vectors, ngram_buckets, char_ngram_range,
                      n_buckets):
        """Make this a subword model over arrays the caller hands over (checked already)."""
        for array in (word_rows, ngram_vectors):
            array.setflags(write=False)
        self._subwords = SubwordTable(word_rows, ngram_vectors, ngram_buckets,
                                      tuple(char_ngram_range), int(n_buckets))
        self._vectors = None  # composed on first use
        self._inverse_norms = None

    @property
    def char_ngram_range(self) -> tuple[int, int] | None:
        """``(min_n, max_n)`` of the character n-grams of a subword model, else None."""
        return None if self._subwords is None else self._subwords.char_ngram_range

    @property
    def n_buckets(self) -> int | None:
        """Number of n-gram hash buckets of a subword model, else None."""
        return None if self._subwords is None else self._subwords.n_buckets

    @property
    def vectors_vocab(self) -> np.ndarray:
        """Each word's own input row (a subword model's word vectors also average its n-gram
        rows); equal to :attr:`vectors` for a model without subwords."""
        return self.vectors if self._subwords is None else self._subwords.word_rows

    @property
    def vectors_ngrams(self) -> np.ndarray | None:
        """The n-gram rows of a subword model (one per bucket in :attr:`ngram_buckets`, or
        per bucket when that is None), else None."""
        return None if self._subwords is None else self._subwords.ngram_vectors

    @property
    def ngram_buckets(self) -> np.ndarray | None:
        """Bucket of each row of :attr:`vectors_ngrams` when the model holds only some
        buckets; None when it holds all of them or has no subwords."""
        return None if self._subwords is None else self._subwords.ngram_buckets

    def _compose(self, words, word_rows):
        """Vectors of ``words`` (str), given the own row of each (-1: unseen)."""
        return _subword_rows.compose(self._subwords, words, word_rows)

    @property
    def vectors(self) -> np.ndarray:
        """The word vectors, one read-only float32 row per word (for a subword model, the
        mean of each word's own row and its n-gram rows, computed on first use)."""
        if self._vectors is None:
            vectors = self._compose(self.index_to_word, np.arange(len(self.index_to_word)))
            vectors.setflags(write=False)
            self._vectors = vectors
        return self._vectors

    @vectors.setter
    def vectors(self, value) -> None:
        if self._subwords is not None:
            raise AttributeError("The vectors of a subword model are the means of its rows; "
                                 "build a new model with WordVectors.from_subwords.")
        try:
            if np.iscomplexobj(value):  # float32 would silently drop the imaginary parts
                raise TypeError("complex numbers are not word vectors")
            with np.errstate(over="ignore"):  # beyond the float32 range: inf, reported below
                vectors = np.array(value, dtype=np.float32, order="C", copy=True)
        except (TypeError, ValueError) as error:
            kind = TypeError if isinstance(error, TypeError) else ValueError
            raise kind(f"vectors must be an array of real numbers, got {_queries.describe(value)} "
                       f"({error}).") from None
        if vectors.ndim != 2:
            raise ValueError(f"vectors must be 2-D (n_words, vector_size), got shape "
                             f"{vectors.shape}.")
        if vectors.shape[0] != len(self.index_to_word):
            raise ValueError(f"{len(self.index_to_word)} words but {vectors.shape[0]} vector "
                             "rows; give one row per word.")
        check_finite(
            vectors, lambda row: f"The vector of {self.index_to_word[row]!r} (row {row})",
            "Repair or remove that row.")
        # Read-only, so the cached norms can never go stale: assign a new array to
        # change the vectors.
        vectors.setflags(write=False)
        self._vectors = vectors
        self._inverse_norms = None

    @property
    def vector_size(self) -> int:
        """Number of dimensions of each vector."""
        return self.vectors_vocab.shape[1]

    def __len__(self) -> int:
        return len(self.index_to_word)

    def __contains__(self, word) -> bool:
        return isinstance(word, str) and word in self.word_to_index

    def __getitem__(self, word: str) -> np.ndarray:
        """The vector of ``word`` (a view into :attr:`vectors`).

        A subword model gives a vector for any str: the mean of its n-gram rows for a word
        outside the vocabulary (zeros only when none of its n-grams has a row).
        """
        if self._subwords is not None and isinstance(word, str) and word not in self:
            return self._compose([word], [-1])[0]
        row = self.get_index(word)
        if self._vectors is None:
            return self._compose([word], [row])[0]
        return self._vectors[row]

    def __repr__(self) -> str:
        subwords = ("" if self._subwords is None else
                    f", char_ngram_range={self.char_ngram_range}, n_buckets={self.n_buckets}")
        return f"WordVectors(n_words={len(self)}, vector_size={self.vector_size}{subwords})"

    def __getstate__(self):
        state = self.__dict__.copy()
        state["_inverse_norms"] = None  # recomputed on demand, not pickled
        if self._subwords is not None:
            state["_vectors"] = None  # composed again from the rows
        return state

    def __deepcopy__(self, memo):
        # A deep copy (scikit-learn's clone of an estimator with init= these vectors, once per
        # candidate and fold of a grid search) shares the arrays nobody can change: read-only
        # ones that are no view of a writable array. The words, counts and a view of gensim's
        # writable arrays are copied as usual; the cached norms are dropped.
        copied = object.__new__(type(self))
        memo[id(self)] = copied
        for name, value in self.__dict__.items():
            if name == "_inverse_norms":
                value = None
            elif name == "_subwords" and value is not None:
                value = SubwordTable(*(_queries.shared_or_copied(item, memo) for item in value))
            else:
                value = _queries.shared_or_copied(value, memo)
            copied.__dict__[name] = value
        return copied

    def get_index(self, word: str) -> int:
        """Row of ``word``; raises ``KeyError`` naming it when it is not in the vocabulary.

        Parameters
        ----------
        word : str
            A word of the vocabulary.

        Returns
        -------
        int

        Raises
        ------
        KeyError
            If ``word`` is not in the vocabulary.
        TypeError
            If ``word`` is not a str.

        Examples
        --------
        >>> from skw2v import WordVectors
        >>> WordVectors(["a", "b"], [[1.0, 0.0], [0.0, 1.0]]).get_index("b")
        1
        """
        return self._row(word, "word")

    def _row(self, word, name):
        """Row of ``word``, the argument called ``name`` in error messages."""
        if not isinstance(word, str):
            raise TypeError(f"{name} must be a word (str), got {_queries.describe(word)}.")
        try:
            return self.word_to_index[word]
        except KeyError:
            raise KeyError(f"Word {word!r} is not in the vocabulary.") from None

    @property
    def unit_vectors(self) -> np.ndarray:
        """Rows of :attr:`vectors` scaled to unit length (zero rows stay zero).

        A new ``(n_words, vector_size)`` array on every access. The queries
        (:meth:`most_similar`, :meth:`similarity`, the evaluations) do not build it: they
        scale their dot products by the rows' inverse norms, cached on first use
        (``n_words`` floats), so a model never holds a second copy of its vectors and a
        memory-mapped table stays shared between processes.

        Examples
        --------
        >>> from skw2v import WordVectors
        >>> WordVectors(["a", "b"], [[3.0, 4.0], [0.0, 0.0]]).unit_vectors
        array([[0.6, 0.8],
               [0. , 0. ]], dtype=float32)
        """
        return self._unit_rows(slice(None))

    def _unit_rows(self, rows) -> np.ndarray:
        """The rows ``rows`` (an index, slice or index array) of :attr:`unit_vectors`."""
        return self.vectors[rows] * self._inverse_norm()[rows, None]

    def _inverse_norm(self) -> np.ndarray:
        """One over each row's length, 0 for a zero row (float32, cached)."""
        if self._inverse_norms is None:
            self._inverse_norms = _queries.inverse_norms(self.vectors)
        return self._inverse_norms

    def similarity(self, word1: str, word2: str) -> float:
        """Cosine similarity of two words.

        Parameters
        ----------
        word1, word2 : str
            Words of the vocabulary.

        Returns
        -------
        float

        Raises
        ------
        KeyError
            If a word is not in the vocabulary.
        TypeError
            If a word is not a str.

        Examples
        --------
        >>> from skw2v import WordVectors
        >>> wv = WordVectors(["a", "b"], [[1.0, 0.0], [1.0, 1.0]])
        >>> round(wv.similarity("a", "b"), 4)
        0.7071
        """
        u1 = _queries.word_unit(self, word1, "word1")[0]
        u2 = _queries.word_unit(self, word2, "word2")[0]
        return float(np.dot(u1, u2))

    def most_similar(self, positive: str | Iterable | None = None,
                     negative: str | Iterable | None = None,
                     topn: int = 10) -> list[tuple[str, float]]:
        """Words closest by cosine similarity to the mean of the positive unit vectors minus
        the negative ones (3CosAdd: ``most_similar(["king", "woman"], ["man"])``).

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
            Words and their cosine similarity, most similar first; query words are excluded.

        Raises
        ------
        KeyError
            If a query word is not in the vocabulary.
        TypeError
            If an item of ``positive`` or ``negative`` is neither a word (str) nor a 1-D
            numeric vector, or ``positive``/``negative`` is neither one of those nor a list
            of them; the message names the item, as ``positive[1]``.
        ValueError
            If a query vector does not have shape ``(vector_size,)`` or holds NaN or
            infinity, ``topn`` is not a positive int, or there is no query word.

        Examples
        --------
        >>> from skw2v import WordVectors
        >>> wv = WordVectors(["king", "queen", "man", "woman"],
        ...                  [[1, 1, 0], [1, 0, 1], [0, 1, 0.1], [0, 0, 1]])
        >>> wv.most_similar(positive=["king", "woman"], negative=["man"], topn=1)[0][0]
        'queen'
        """
        _queries.check_topn(topn)
        positive = _queries.query_items(self, positive, "positive")
        negative = _queries.query_items(self, negative, "negative")
        if not positive and not negative:
            raise ValueError("most_similar needs at least one positive or negative word.")
        query = np.zeros(self.vector_size, dtype=np.float32)
        exclude = set()
        for weight, items in ((1.0, positive), (-1.0, negative)):
            for unit, row in items:
                query += np.float32(weight) * unit
                if row is not None:
                    exclude.add(row)
        norm = np.linalg.norm(query)
        if norm > 0:
            query /= norm
        scores = (self.vectors @ query) * self._inverse_norm()
        return _queries.top(self.index_to_word, scores, topn, exclude)

    def most_similar_cosmul(self, positive: str | Iterable | None = None,
                            negative: str | Iterable | None = None,
                            topn: int = 10) -> list[tuple[str, float]]:
        """Analogy by 3CosMul (Levy and Goldberg, 2014): the product of shifted cosines.

        Each word ``w`` scores ``prod((1 + cos(w, p)) / 2) / (prod((1 + cos(w, n)) / 2) +
        1e-6)`` over the positive words ``p`` and negative words ``n``; this keeps one large
        similarity from dominating, as gensim's ``most_similar_cosmul`` does.

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
            Words and their 3CosMul score, best first; query words are excluded.

        Raises
        ------
        KeyError
            If a query word is not in the vocabulary.
        TypeError
            If an item of ``positive`` or ``negative`` is neither a word (str) nor a 1-D
            numeric vector, or ``positive``/``negative`` is neither one of those nor a list
            of them; the message names the item, as ``positive[1]``.
        ValueError
            If a query vector does not have shape ``(vector_size,)`` or holds NaN or
            infinity, ``topn`` is not a positive int, or there is no query word.

        Examples
        --------
        >>> from skw2v import WordVectors
        >>> wv = WordVectors(["king", "queen", "man", "woman"],
        ...                  [[1, 1, 0], [1, 0, 1], [0, 1, 0.1], [0, 0, 1]])
        >>> wv.most_similar_cosmul(positive=["king", "woman"], negative=["man"], topn=1)[0][0]
        'queen'
        """
        _queries.check_topn(topn)
        positive = _queries.query_items(self, positive, "positive")
        negative = _queries.query_items(self, negative, "negative")
        if not positive:
            raise ValueError("most_similar_cosmul needs at least one positive word.")
        exclude = set()
        numerator = np.ones(len(self), dtype=np.float32)
        denominator = np.ones(len(self), dtype=np.float32)
        for items, product in ((positive, numerator), (negative, denominator)):
            for unit, row in items:
                if row is not None:
                    exclude.add(row)
                product *= (1 + (self.vectors @ unit) * self._inverse_norm()) / 2
        scores = numerator / (denominator + np.float32(1e-6)) if negative else numerator
        return _queries.top(self.index_to_word, scores, topn, exclude)

    def doesnt_match(self, words: Iterable[str]) -> str:
        """The word furthest from the mean of the given words' unit vectors.

        Parameters
        ----------
        words : iterable of str
            At least two words of the vocabulary.

        Returns
        -------
        str

        Raises
        ------
        TypeError
            If ``words`` is a single str or not iterable, or one of them is not a str.
        KeyError
            If a word is not in the vocabulary.
        ValueError
            If fewer than two words are given.

        Examples
        --------
        >>> from skw2v import WordVectors
        >>> wv = WordVectors(["cat", "dog", "car"], [[1, 0.1], [1, 0.2], [0, 1]])
        >>> wv.doesnt_match(["cat", "dog", "car"])
        'car'
        """
        if isinstance(words, str):
            raise TypeError("doesnt_match takes a list of words, got a single str.")
        if not isinstance(words, Iterable):
            raise TypeError(f"doesnt_match takes a list of words, got {_queries.describe(words)}.")
        words = list(words)
        if len(words) < 2:
            raise ValueError(f"doesnt_match needs at least two words, got {len(words)}.")
        units = np.array([_queries.word_unit(self, word, f"words[{i}]")[0]
                          for i, word in enumerate(words)])
        mean = units.mean(axis=0)
        norm = np.linalg.norm(mean)
        if norm > 0:
            mean = mean / norm
        return words[int(np.argmin(units @ mean))]


