"""``WordVectors``: words, their vectors and cosine-similarity queries."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import numpy as np

__all__ = ["WordVectors"]


class WordVectors:
    """Word vectors in frequency order, with cosine-similarity queries.

    Parameters
    ----------
    index_to_word : sequence of str
        The words, one per row of ``vectors``, without duplicates.
    vectors : array-like of shape (n_words, vector_size)
        The vectors; stored as C-contiguous float32.
    counts : array-like of shape (n_words,), default=None
        Corpus count of each word, when known.

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
        vectors = np.asarray(vectors)
        if vectors.ndim != 2:
            raise ValueError(f"vectors must be 2-D (n_words, vector_size), got shape "
                             f"{vectors.shape}.")
        if vectors.shape[0] != len(words):
            raise ValueError(f"{len(words)} words but {vectors.shape[0]} vector rows; give one "
                             "row per word.")
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
        self.vectors = vectors

    @property
    def vectors(self) -> np.ndarray:
        return self._vectors

    @vectors.setter
    def vectors(self, value) -> None:
        vectors = np.array(value, dtype=np.float32, order="C", copy=True)
        # Read-only, so the cached unit vectors can never go stale: assign a new array to
        # change the vectors.
        vectors.setflags(write=False)
        self._vectors = vectors
        self._unit = None

    @property
    def vector_size(self) -> int:
        """Number of dimensions of each vector."""
        return self._vectors.shape[1]

    def __len__(self) -> int:
        return len(self.index_to_word)

    def __contains__(self, word) -> bool:
        return word in self.word_to_index

    def __getitem__(self, word: str) -> np.ndarray:
        """The vector of ``word`` (a view into :attr:`vectors`)."""
        return self._vectors[self.get_index(word)]

    def __repr__(self) -> str:
        return f"WordVectors(n_words={len(self)}, vector_size={self.vector_size})"

    def __getstate__(self):
        state = self.__dict__.copy()
        state["_unit"] = None  # recomputed on demand, not pickled
        return state

    def get_index(self, word: str) -> int:
        """Row of ``word``; raises ``KeyError`` naming it when it is not in the vocabulary.

        Parameters
        ----------
        word : str
            A word of the vocabulary.

        Returns
        -------
        int

        Examples
        --------
        >>> from skw2v import WordVectors
        >>> WordVectors(["a", "b"], [[1.0, 0.0], [0.0, 1.0]]).get_index("b")
        1
        """
        try:
            return self.word_to_index[word]
        except (KeyError, TypeError):
            raise KeyError(f"Word {word!r} is not in the vocabulary.") from None

    @property
    def unit_vectors(self) -> np.ndarray:
        """Rows of :attr:`vectors` scaled to unit length (zero rows stay zero), cached."""
        if self._unit is None:
            norms = np.linalg.norm(self._vectors, axis=1, keepdims=True)
            self._unit = self._vectors / np.where(norms > 0, norms, 1).astype(np.float32)
        return self._unit

    def _as_unit(self, item) -> tuple[np.ndarray, int | None]:
        """A word or a vector as a unit vector, and the word's row (None for a vector)."""
        if isinstance(item, str):
            row = self.get_index(item)
            return self.unit_vectors[row], row
        vector = np.asarray(item, dtype=np.float32)
        if vector.shape != (self.vector_size,):
            raise ValueError(f"A query vector must have shape ({self.vector_size},), got "
                             f"{vector.shape}.")
        norm = np.linalg.norm(vector)
        return (vector / norm if norm > 0 else vector), None

    @staticmethod
    def _as_list(items) -> list:
        if items is None:
            return []
        if isinstance(items, str) or (isinstance(items, np.ndarray) and items.ndim == 1):
            return [items]
        return list(items)

    def similarity(self, word1: str, word2: str) -> float:
        """Cosine similarity of two words.

        Parameters
        ----------
        word1, word2 : str
            Words of the vocabulary.

        Returns
        -------
        float

        Examples
        --------
        >>> from skw2v import WordVectors
        >>> wv = WordVectors(["a", "b"], [[1.0, 0.0], [1.0, 1.0]])
        >>> round(wv.similarity("a", "b"), 4)
        0.7071
        """
        u1 = self.unit_vectors[self.get_index(word1)]
        u2 = self.unit_vectors[self.get_index(word2)]
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

        Examples
        --------
        >>> from skw2v import WordVectors
        >>> wv = WordVectors(["king", "queen", "man", "woman"],
        ...                  [[1, 1, 0], [1, 0, 1], [0, 1, 0.1], [0, 0, 1]])
        >>> wv.most_similar(positive=["king", "woman"], negative=["man"], topn=1)[0][0]
        'queen'
        """
        self._check_topn(topn)
        positive = self._as_list(positive)
        negative = self._as_list(negative)
        if not positive and not negative:
            raise ValueError("most_similar needs at least one positive or negative word.")
        query = np.zeros(self.vector_size, dtype=np.float32)
        exclude = set()
        for weight, items in ((1.0, positive), (-1.0, negative)):
            for item in items:
                unit, row = self._as_unit(item)
                query += np.float32(weight) * unit
                if row is not None:
                    exclude.add(row)
        norm = np.linalg.norm(query)
        if norm > 0:
            query /= norm
        scores = self.unit_vectors @ query
        return self._top(scores, topn, exclude)

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

        Examples
        --------
        >>> from skw2v import WordVectors
        >>> wv = WordVectors(["king", "queen", "man", "woman"],
        ...                  [[1, 1, 0], [1, 0, 1], [0, 1, 0.1], [0, 0, 1]])
        >>> wv.most_similar_cosmul(positive=["king", "woman"], negative=["man"], topn=1)[0][0]
        'queen'
        """
        self._check_topn(topn)
        positive = self._as_list(positive)
        negative = self._as_list(negative)
        if not positive:
            raise ValueError("most_similar_cosmul needs at least one positive word.")
        exclude = set()
        numerator = np.ones(len(self), dtype=np.float32)
        denominator = np.ones(len(self), dtype=np.float32)
        for items, product in ((positive, numerator), (negative, denominator)):
            for item in items:
                unit, row = self._as_unit(item)
                if row is not None:
                    exclude.add(row)
                product *= (1 + self.unit_vectors @ unit) / 2
        scores = numerator / (denominator + np.float32(1e-6)) if negative else numerator
        return self._top(scores, topn, exclude)

    def doesnt_match(self, words: Iterable[str]) -> str:
        """The word furthest from the mean of the given words' unit vectors.

        Parameters
        ----------
        words : iterable of str
            At least two words of the vocabulary.

        Returns
        -------
        str

        Examples
        --------
        >>> from skw2v import WordVectors
        >>> wv = WordVectors(["cat", "dog", "car"], [[1, 0.1], [1, 0.2], [0, 1]])
        >>> wv.doesnt_match(["cat", "dog", "car"])
        'car'
        """
        if isinstance(words, str):
            raise TypeError("doesnt_match takes a list of words, got a single str.")
        words = list(words)
        if len(words) < 2:
            raise ValueError(f"doesnt_match needs at least two words, got {len(words)}.")
        units = self.unit_vectors[[self.get_index(word) for word in words]]
        mean = units.mean(axis=0)
        norm = np.linalg.norm(mean)
        if norm > 0:
            mean = mean / norm
        return words[int(np.argmin(units @ mean))]

    @staticmethod
    def _check_topn(topn):
        if not isinstance(topn, (int, np.integer)) or isinstance(topn, bool) or topn < 1:
            raise ValueError(f"topn must be a positive int, got {topn!r}.")

    def _top(self, scores: np.ndarray, topn: int, exclude: set) -> list[tuple[str, float]]:
        n = scores.shape[0]
        k = min(n, topn + len(exclude))
        if k < n:
            candidates = np.argpartition(-scores, k - 1)[:k]
        else:
            candidates = np.arange(n)
        # Highest score first; ties broken by row (frequency order).
        candidates = candidates[np.lexsort((candidates, -scores[candidates]))]
        result = []
        for row in candidates:
            if int(row) in exclude:
                continue
            result.append((self.index_to_word[row], float(scores[row])))
            if len(result) == topn:
                break
        return result
