"""``WordVectors``: words, their vectors and cosine-similarity queries."""

from __future__ import annotations

import copy
import os
import reprlib
from collections.abc import Iterable, Sequence
from concurrent.futures import ThreadPoolExecutor
from typing import NamedTuple

import numpy as np

from . import _evaluation, _formats, _kernels, _subwords
from ._evaluation import AnalogyResult, WordPairsResult
from ._threads import resolve_n_threads

__all__ = ["WordVectors"]

#: Words composed per thread at least, when a subword model composes many at once.
_WORDS_PER_THREAD = 50_000


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
        minn, maxn = _subwords.check_ngram_range(char_ngram_range)
        if (not isinstance(n_buckets, (int, np.integer)) or isinstance(n_buckets, bool)
                or n_buckets < 1):
            raise ValueError(f"n_buckets must be a positive int, got {n_buckets!r}.")
        word_rows = _float32_matrix(vectors_vocab, "vectors_vocab")
        ngram_vectors = _float32_matrix(vectors_ngrams, "vectors_ngrams")
        if ngram_vectors.shape[1] != word_rows.shape[1]:
            raise ValueError(f"vectors_ngrams has {ngram_vectors.shape[1]} columns and "
                             f"vectors_vocab {word_rows.shape[1]}; they must be equal.")
        if ngram_buckets is not None:
            ngram_buckets = np.asarray(ngram_buckets)
            if ngram_buckets.ndim != 1 or ngram_buckets.dtype.kind not in "iu":
                raise ValueError("ngram_buckets must be a 1-D array of ints.")
            ngram_buckets = ngram_buckets.astype(np.int64)
            if ngram_buckets.shape[0] != ngram_vectors.shape[0]:
                raise ValueError(f"ngram_buckets lists {ngram_buckets.shape[0]} buckets for "
                                 f"{ngram_vectors.shape[0]} rows of vectors_ngrams.")
            if ngram_buckets.size and (ngram_buckets[0] < 0 or ngram_buckets[-1] >= n_buckets
                                       or np.any(np.diff(ngram_buckets) <= 0)):
                raise ValueError(f"ngram_buckets must be strictly increasing bucket ids in "
                                 f"[0, n_buckets={n_buckets}).")
        elif ngram_vectors.shape[0] != n_buckets:
            raise ValueError(f"vectors_ngrams has {ngram_vectors.shape[0]} rows for "
                             f"n_buckets={n_buckets}; give one row per bucket, or the bucket "
                             "of each row as ngram_buckets.")
        wv = cls(index_to_word, np.empty((word_rows.shape[0], 0), dtype=np.float32),
                 counts=counts)
        _formats.check_finite(
            word_rows, lambda row: f"The row of {wv.index_to_word[row]!r} in vectors_vocab",
            "Repair or remove that row.")
        _formats.check_finite(ngram_vectors, lambda row: f"Row {row} of vectors_ngrams",
                              "Repair that row.")
        wv._set_subwords(word_rows, ngram_vectors, ngram_buckets, (minn, maxn), int(n_buckets))
        return wv

    def _set_subwords(self, word_rows, ngram_vectors, ngram_buckets, char_ngram_range,
                      n_buckets):
        """Make this a subword model over arrays the caller hands over (checked already)."""
        for array in (word_rows, ngram_vectors):
            array.setflags(write=False)
        self._subwords = _SubwordTable(word_rows, ngram_vectors, ngram_buckets,
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

    # ------------------------------------------------------------------ gensim
    @classmethod
    def from_gensim(cls, kv) -> WordVectors:
        """Word vectors over gensim's ``KeyedVectors`` or ``FastTextKeyedVectors``.

        Words keep gensim's order, and its counts (``kv.get_vecattr(word, "count")``) when
        it has them. ``FastTextKeyedVectors`` give a subword model (as
        :meth:`from_subwords`) over gensim's ``vectors_vocab`` and ``vectors_ngrams`` with
        ``char_ngram_range = (min_n, max_n)`` and ``n_buckets = bucket``: gensim hashes
        n-grams as fastText does, so every word, also one outside the vocabulary, gets the
        vector gensim gives it (``kv[word]``). A FastText model without n-grams (``bucket=0``,
        or ``max_n < min_n``) gives plain vectors.

        Parameters
        ----------
        kv : gensim.models.KeyedVectors
            gensim's vectors (``model.wv`` of a ``Word2Vec`` or ``FastText`` model, or what
            ``KeyedVectors.load`` or ``load_word2vec_format`` return).

        Returns
        -------
        WordVectors

        Raises
        ------
        ImportError
            If gensim cannot be imported.
        TypeError
            If ``kv`` is not gensim's KeyedVectors (a model instead of ``model.wv``, for
            example) or a key is not a str.
        ValueError
            If a row holds NaN or infinity, or the arrays do not match the keys.

        See Also
        --------
        to_gensim : The other way.
        Word2VecVectorizer.from_gensim : A fitted estimator from a trained gensim model.

        Notes
        -----
        Nothing is copied when gensim's arrays are C-contiguous float32, as gensim makes
        them: the WordVectors holds read-only views of them (gensim's own arrays stay
        writable), and a ``KeyedVectors.load(path, mmap="r")`` stays mapped. Changing
        gensim's arrays in place afterwards (training the model further) changes these
        vectors too, without refreshing the cached unit vectors of the similarity queries:
        convert again after training. Other arrays (float64) are converted, once.

        The vector of a gensim ``FastTextKeyedVectors`` word is recomputed from its rows
        as fastText does (the mean of its own row and its n-gram rows), so it equals
        gensim's ``kv[word]`` within float32 rounding, except for the word ``"</s>"``,
        which fastText (and skw2v) gives no n-grams and gensim does.

        Examples
        --------
        >>> import numpy as np
        >>> from gensim.models import KeyedVectors
        >>> from skw2v import WordVectors
        >>> kv = KeyedVectors(3)
        >>> kv.add_vectors(["king", "queen"], np.array([[1, 0, 0], [1, 0.1, 0]], "float32"))
        >>> wv = WordVectors.from_gensim(kv)
        >>> wv.index_to_word, bool(np.shares_memory(wv.vectors, kv.vectors))
        (['king', 'queen'], True)
        """
        from ._gensim import from_keyed_vectors

        return from_keyed_vectors(cls, kv)

    def to_gensim(self):
        """gensim's ``KeyedVectors`` (``FastTextKeyedVectors`` for a subword model) of these
        words and vectors, sharing the arrays.

        Returns
        -------
        gensim.models.KeyedVectors
            With the same words in the same order, :attr:`counts` as gensim's ``count``
            attribute when known, and for a subword model ``min_n, max_n =``
            :attr:`char_ngram_range` and ``bucket =`` :attr:`n_buckets`.

        Raises
        ------
        ImportError
            If gensim cannot be imported.

        See Also
        --------
        from_gensim : The other way.

        Notes
        -----
        gensim's ``vectors`` (and for a subword model ``vectors_vocab`` and
        ``vectors_ngrams``) are these read-only arrays, not copies: gensim's queries work,
        and gensim's methods that write into them in place fail with "assignment
        destination is read-only"; give gensim copies (``kv.vectors = kv.vectors.copy()``)
        to edit them there. A subword model that holds only some buckets
        (:attr:`ngram_buckets`) is expanded to gensim's table of every bucket (zero rows for
        the others), which is a new array of :attr:`n_buckets` rows.

        Examples
        --------
        >>> import numpy as np
        >>> from skw2v import WordVectors
        >>> wv = WordVectors(["king", "queen", "apple"], [[1, 0.1], [0.9, 0.2], [-0.1, 1]],
        ...                  counts=[5, 3, 1])
        >>> kv = wv.to_gensim()
        >>> kv.most_similar("king", topn=1)[0][0], int(kv.get_vecattr("queen", "count"))
        ('queen', 3)
        """
        from ._gensim import to_keyed_vectors

        return to_keyed_vectors(self)

    def _compose(self, words, word_rows):
        """Vectors of ``words`` (str), given the own row of each (-1: unseen)."""
        table = self._subwords
        offsets, buckets = _subwords.ngram_buckets(words, table.char_ngram_range,
                                                   table.n_buckets)
        rows = _subwords.bucket_rows(buckets, table.ngram_buckets)
        word_rows = np.asarray(word_rows, dtype=np.int64)
        out = np.empty((len(words), table.word_rows.shape[1]), dtype=np.float32)

        def compose(start, stop):
            _kernels.subword_means(table.word_rows, table.ngram_vectors, word_rows[start:stop],
                                   offsets[start:stop + 1], rows, out[start:stop])

        # Composing a whole vocabulary reads most of the n-gram table: one thread per core
        # (the kernel releases the GIL) for the first query of a large pretrained model.
        n_threads = min(resolve_n_threads(-1), max(len(words) // _WORDS_PER_THREAD, 1))
        if n_threads == 1:
            compose(0, len(words))
        else:
            bounds = np.linspace(0, len(words), n_threads + 1).astype(np.int64)
            with ThreadPoolExecutor(max_workers=n_threads) as pool:
                list(pool.map(compose, bounds[:-1], bounds[1:]))
        return out

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
            raise kind(f"vectors must be an array of real numbers, got {_describe(value)} "
                       f"({error}).") from None
        if vectors.ndim != 2:
            raise ValueError(f"vectors must be 2-D (n_words, vector_size), got shape "
                             f"{vectors.shape}.")
        if vectors.shape[0] != len(self.index_to_word):
            raise ValueError(f"{len(self.index_to_word)} words but {vectors.shape[0]} vector "
                             "rows; give one row per word.")
        _formats.check_finite(
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
                value = _SubwordTable(*(_shared_or_copied(item, memo) for item in value))
            else:
                value = _shared_or_copied(value, memo)
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
            raise TypeError(f"{name} must be a word (str), got {_describe(word)}.")
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
            vectors = self.vectors
            # float64 sums, accumulated by einsum in small buffers (no full-size temporary)
            squares = np.einsum("ij,ij->i", vectors, vectors, dtype=np.float64)
            norms = np.sqrt(squares)
            inverse = np.divide(1.0, norms, out=np.zeros_like(norms), where=norms > 0)
            self._inverse_norms = inverse.astype(np.float32)
        return self._inverse_norms

    def _query_items(self, items, name) -> list[tuple[np.ndarray, int | None]]:
        """The items of ``positive`` or ``negative`` (``name``) as (unit vector, row of the
        word or None for a vector).

        ``items`` is None, a word, a 1-D vector or an iterable of words and vectors. Anything
        else is a TypeError naming the item ("positive[1] is int 5; expected ..."); a numeric
        vector of the wrong shape, or one holding NaN or infinity, a ValueError.
        """
        if items is None:
            return []
        single = (isinstance(items, (str, bytes, bytearray)) or not isinstance(items, Iterable)
                  or (isinstance(items, np.ndarray) and items.ndim <= 1))
        if single:
            return [self._query_item(items, name, ", or a list of them")]
        return [self._query_item(item, f"{name}[{i}]", "") for i, item in enumerate(items)]

    def _word_unit(self, word, label) -> tuple[np.ndarray, int | None]:
        """Unit vector of the query word ``word`` (the argument ``label``) and its row, None
        for a word outside the vocabulary that a subword model composes from n-grams."""
        if self._subwords is not None and isinstance(word, str) and word not in self:
            vector = self._compose([word], [-1])[0]
            norm = np.linalg.norm(vector)
            if norm == 0:
                raise KeyError(f"Word {word!r} is not in the vocabulary and none of its "
                               "character n-grams has a vector.")
            return vector / norm, None
        row = self._row(word, label)
        return self._unit_rows(row), row

    def _query_item(self, item, label, or_list) -> tuple[np.ndarray, int | None]:
        if isinstance(item, str):
            return self._word_unit(item, label)
        try:
            vector = np.asarray(item)
        except ValueError:  # a ragged nested list
            vector = None
        if (vector is None or vector.ndim == 0 or vector.dtype.kind not in "iuf"
                or isinstance(item, (bytes, bytearray))):
            comma = "," if or_list else " or"
            raise TypeError(f"{label} is {_describe(item)}; expected a word (str){comma} a 1-D "
                            f"vector of length {self.vector_size}{or_list}.")
        if vector.shape != (self.vector_size,):
            raise ValueError(f"The query vector {label} must have shape ({self.vector_size},), "
                             f"got {vector.shape}.")
        with np.errstate(over="ignore"):  # beyond the float32 range: inf, reported below
            vector = vector.astype(np.float32)
        _formats.check_finite(vector[None], lambda row: f"The query vector {label}",
                              "Pass a vector of finite numbers.")
        norm = np.linalg.norm(vector)
        return (vector / norm if norm > 0 else vector), None

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
        u1 = self._word_unit(word1, "word1")[0]
        u2 = self._word_unit(word2, "word2")[0]
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
        self._check_topn(topn)
        positive = self._query_items(positive, "positive")
        negative = self._query_items(negative, "negative")
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
        self._check_topn(topn)
        positive = self._query_items(positive, "positive")
        negative = self._query_items(negative, "negative")
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
            raise TypeError(f"doesnt_match takes a list of words, got {_describe(words)}.")
        words = list(words)
        if len(words) < 2:
            raise ValueError(f"doesnt_match needs at least two words, got {len(words)}.")
        units = np.array([self._word_unit(word, f"words[{i}]")[0]
                          for i, word in enumerate(words)])
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

    # ------------------------------------------------------------------ files
    @classmethod
    def load(cls, path: str | os.PathLike, format: str = "word2vec", *,
             limit: int | None = None, encoding: str = "utf-8",
             unicode_errors: str = "strict", duplicates: str = "error",
             mmap: bool | None = None) -> WordVectors:
        """Read word vectors from a word2vec (text or binary), GloVe or fastText file, or
        skw2v's own ``.npy`` directory.

        A word2vec or GloVe file is read once, as a stream, line by line (text) or in chunks
        (binary), into a float32 array that grows as rows are read; gzip-compressed files are
        recognised by their first bytes, whatever their name. Words keep the file's order;
        ``counts`` is None.

        A fastText model is memory-mapped, not read (see Notes): the result is a subword
        model, as :meth:`from_subwords` builds, in which every word, also one outside the
        vocabulary, has the vector fastText gives it. Its words keep fastText's order, with
        their corpus counts; :attr:`vectors_vocab` (the words' own rows) and
        :attr:`vectors_ngrams` (one row per bucket) are read-only ``np.memmap`` views of the
        file; :attr:`char_ngram_range` is fastText's ``(minn, maxn)`` and :attr:`n_buckets`
        its ``bucket``. A model without n-grams (``maxn=0``) gives plain word vectors, the
        words' rows of the file, mapped as well.

        Parameters
        ----------
        path : str or path-like
            The file; a word2vec or GloVe file may be gzip-compressed.
        format : {"word2vec", "word2vec-binary", "glove", "fasttext"}, default="word2vec"
            ``"word2vec"``: a header line ``n_words vector_size``, then ``word v1 ... vn``
            per line, the word ended by a space or a tab and the numbers separated by any
            whitespace (see Notes). ``"word2vec-binary"``: the C tool's ``.bin``, the same
            header, then per word its bytes (any number of them), a space, ``vector_size``
            little-endian float32 and an optional newline. ``"glove"``: text lines as
            ``"word2vec"`` without the header. ``"fasttext"``: a Facebook fastText ``.bin``
            model (unsupervised: skipgram or cbow; not quantized), as fastText's
            ``save_model`` and :meth:`save` write it. ``"npy"``: the directory that
            ``save(path, format="npy")`` writes, its arrays as ``.npy`` files (see
            :meth:`save`); a subword model stays one. The four options below do not apply
            to ``"fasttext"`` and ``"npy"`` (their words are UTF-8 and unique, and they are
            read whole).
        limit : int, default=None
            Read only the first ``limit`` entries of the file (the rest is not checked).
            None reads all.
        encoding : str, default="utf-8"
            Encoding of the words; it must be ASCII-compatible (numbers and separators are
            read as ASCII).
        unicode_errors : str, default="strict"
            What to do with bytes that do not decode: ``"strict"`` raises a ValueError naming
            the line (or byte offset); ``"replace"`` or ``"ignore"`` repair the word, as
            gensim's ``unicode_errors``. Use them for files from the C tool, which can cut
            words in the middle of a multi-byte character.
        duplicates : {"error", "first", "last"}, default="error"
            A word found twice raises a ValueError naming both places (``"error"``), keeps
            its first vector (``"first"``, as gensim) or its last one (``"last"``, at the row
            of its first occurrence). With ``"first"`` or ``"last"`` the result can hold
            fewer than ``limit`` words.
        mmap : bool or None, default=None
            Map the arrays of the file read-only (``np.memmap``; see Notes) instead of
            reading them into memory. True: for ``"npy"`` and ``"fasttext"``. None: the
            format's way: ``"fasttext"`` is mapped, the others are read. False: read
            (``"fasttext"``, which is always mapped, refuses it). The text and word2vec
            binary formats cannot be mapped.

        Returns
        -------
        WordVectors
            For a fastText model with n-grams, a subword model.

        Raises
        ------
        ValueError
            For a malformed file, with its name, the line or byte offset and the problem:
            an empty file, a bad header, a header announcing more or fewer words than the
            file holds, a truncated binary record, a row with the wrong number of values, a
            value that is not a number, a vector holding NaN or infinity (rejected: one such
            vector would poison every similarity query), a word that does not decode, an
            empty word or a duplicate word (see ``duplicates``). For a fastText model, with
            its name and the byte offset, dictionary entry, word or bucket: a file that is
            not an unsupervised, unquantized fastText model, a truncated or corrupt file, a
            row holding NaN or infinity; or ``limit``, ``encoding``, ``unicode_errors`` or
            ``duplicates`` given a value other than the default. For ``"npy"``, naming the
            file: a path that is a file, a missing or corrupt description or word list, an
            array that is truncated, corrupt, or of the wrong type or shape for the others,
            a row holding NaN or infinity. ``mmap=True`` with a format that cannot be
            mapped, ``mmap=False`` with ``"fasttext"``.
        OSError
            If the file cannot be read.

        See Also
        --------
        save : Write word vectors in the same formats.

        Notes
        -----
        Memory follows what the file holds, not what its header announces: the array starts
        at about 1 MiB and doubles as rows are read (at most to the announced count), then is
        trimmed in place, so a header claiming a billion words in a small (even gzipped) file
        costs nothing before the "holds only" error. A GloVe file has no header; the
        dimension comes from its first row.

        In text files the word ends at the first space, as gensim reads it. A tab-separated
        row (``word<TAB>v1<TAB>v2 ...``, which gensim fails to read) is recognised when the
        word would hold a tab and everything after its first tab is numbers: the word then
        ends at that tab. So a word holding a tab followed by text, which gensim can write,
        still reads as in gensim.

        A fastText model's matrix, and with ``mmap=True`` the arrays of an ``"npy"``
        directory (whose words and counts are read), are not copied into memory: they are
        mapped, and the operating system reads the pages that queries touch and can drop
        them again. Loading reads the dictionary (the words), and reads the matrix once in
        4 MiB blocks that are not kept, to
        check that it holds no NaN or infinity (such a row would make NaN the vector of every
        word whose n-grams use it): a pass at the speed of the disk, or of memory when the
        file is in the page cache, that leaves the process' memory as it was. Nothing else
        is computed: the n-gram buckets of the vocabulary and the words' vectors
        (:attr:`vectors`) are computed on first use (by :meth:`most_similar`, for example),
        and ``wv[word]`` composes one word only. Processes that load the same file share its
        pages in memory;
        so do joblib's workers (``GridSearchCV(n_jobs=...)``, ``cross_validate``) given an
        estimator with these vectors as ``init``: ``clone`` shares the read-only mapped
        arrays instead of copying them, and joblib hands them to its workers as references
        to the file. A pickle (``pickle.dumps``) holds copies of the values and does not need
        the file.

        The file must stay in place, unchanged, while the vectors are used: moving, deleting
        or replacing it (writing a new file and renaming it over the old one, as :meth:`save`
        does) is safe on Linux and macOS, where the mapped data lives on until unmapped, but
        overwriting it in place or truncating it changes the vectors or crashes the process
        (SIGBUS) when they are read; on Windows a mapped file cannot be deleted or replaced.

        Examples
        --------
        >>> import tempfile, pathlib
        >>> from skw2v import WordVectors
        >>> path = pathlib.Path(tempfile.mkdtemp()) / "vectors.txt"
        >>> _ = path.write_text("3 2\\nking 1 0.5\\nqueen 0.9 0.6\\napple -1 0\\n")
        >>> wv = WordVectors.load(path)
        >>> wv.index_to_word, wv.vectors.dtype
        (['king', 'queen', 'apple'], dtype('float32'))
        >>> len(WordVectors.load(path, limit=2))
        2

        A fastText model (here a tiny one written by :meth:`save`) is mapped, and answers
        for any word:

        >>> import numpy as np
        >>> rng = np.random.default_rng(0)
        >>> subwords = WordVectors.from_subwords(
        ...     ["walk", "talk", "walked"], rng.normal(size=(3, 4)), rng.normal(size=(50, 4)),
        ...     char_ngram_range=(3, 5), n_buckets=50)
        >>> model = pathlib.Path(tempfile.mkdtemp()) / "model.bin"
        >>> subwords.save(model, format="fasttext")
        >>> ft = WordVectors.load(model, format="fasttext")
        >>> ft.index_to_word, ft.char_ngram_range, ft.n_buckets
        (['walk', 'talk', 'walked'], (3, 5), 50)
        >>> isinstance(ft.vectors_ngrams, np.memmap), ft.vectors_ngrams.flags.writeable
        (True, False)
        >>> bool(np.array_equal(ft["walking"], subwords["walking"]))
        True
        """
        _check_file_format(format)
        if mmap not in (None, True, False):
            raise ValueError(f"mmap must be True, False or None, got {mmap!r}.")
        if format in ("fasttext", "npy"):
            _check_whole_file_options(format, limit=limit, encoding=encoding,
                                    unicode_errors=unicode_errors, duplicates=duplicates)
            if format == "npy":
                from ._npy_format import read_npy

                return read_npy(cls, path, mmap=bool(mmap))
            if mmap is False:
                raise ValueError("mmap=False: a fastText model is always memory-mapped; "
                                 "leave mmap=None (or True).")
            return _load_fasttext(cls, path)
        if mmap:
            raise ValueError(f"mmap=True: format={format!r} is text or a stream of records, "
                             "read into memory; only format='npy' and 'fasttext' are mapped. "
                             "Save the vectors once with format='npy' to map them.")
        words, vectors = _formats.read_vectors(
            path, format, limit=limit, encoding=encoding, unicode_errors=unicode_errors,
            duplicates=duplicates,
        )
        return cls._owning(words, vectors)

    def save(self, path: str | os.PathLike, format: str = "word2vec") -> None:
        """Write the words and vectors to a file that gensim and the C tool (or fastText)
        read.

        Text formats write each float32 as the shortest decimal that reads back to the same
        bits (what gensim writes), so a text round trip is exact; words are UTF-8. A path
        ending in ``.gz`` is gzip-compressed (except fastText models, which fastText reads
        uncompressed only).

        Parameters
        ----------
        path : str or path-like
            The file to write (replaced if it exists).
        format : {"word2vec", "word2vec-binary", "glove", "fasttext"}, default="word2vec"
            As in :meth:`load`; the binary format ends each vector with a newline, as the C
            tool does. ``"fasttext"``: a fastText ``.bin`` model (see Notes) that
            ``fasttext.load_model`` and gensim's ``load_facebook_vectors`` read, giving every
            word, known or not, the vector it has here. ``"npy"``: skw2v's own format for big
            tables, a directory at ``path`` holding each array as a ``.npy`` file (NumPy's
            format, little-endian, which ``load(path, format="npy", mmap=True)`` maps
            instead of reading), the words and a description as JSON (see Notes).

        Raises
        ------
        ValueError
            If a word is empty or contains whitespace (space, tab, newline, carriage return,
            vertical tab, form feed; for ``"fasttext"`` also NUL), which separates the
            fields of these formats, or a vector holds NaN or infinity; for ``"fasttext"``,
            a path ending in ``.gz``; for ``"npy"``, a ``path`` that exists and is not a
            directory written by ``save(format="npy")`` (it is never replaced). Nothing is
            written then. (``"npy"`` holds any word, and does not check the vectors again.)
        OSError
            If the file cannot be written. When writing fails midway (a full disk, or an
            interruption), the partly written file is removed, since it could pass for a
            smaller one. A fastText model is written to a temporary file next to ``path``
            and renamed into place; an ``"npy"`` directory likewise to a temporary directory
            next to ``path``, which then replaces it.

        See Also
        --------
        load : Read word vectors.

        Notes
        -----
        A fastText model holds the words with their counts (1 for every word when
        :attr:`counts` is None), the input matrix and the training arguments. The input
        matrix is the words' own rows (:attr:`vectors_vocab`), then one row per bucket: all
        :attr:`n_buckets` of them, zeros for those the model holds no row for (a model
        trained here keeps only the buckets its vocabulary's n-grams reach); it is written
        in blocks, never assembled in memory. Plain word vectors give a model without
        n-grams (``minn = maxn = 0``, ``bucket = 0``). The arguments are ``dim`` =
        :attr:`vector_size`, ``minn`` and ``maxn`` from :attr:`char_ngram_range`, skip-gram
        with negative sampling, and fastText's defaults for the others. The output matrix
        (the context vectors used in training) is not kept by WordVectors and is written as
        zeros: the word vectors are complete and fastText answers queries with them, but
        training further in fastText starts its output layer over.

        An ``"npy"`` directory holds ``skw2v-npy.json`` (the format's name and version, the
        number of words, :attr:`vector_size`, :attr:`char_ngram_range`, :attr:`n_buckets`),
        ``words.json`` (the words in row order), ``counts.npy`` (int64, when
        :attr:`counts` is known) and float32 arrays: ``vectors.npy``, or for a subword
        model ``vectors_vocab.npy`` and ``vectors_ngrams.npy`` (with ``ngram_buckets.npy``,
        int64, when it holds only some buckets). ``np.load`` reads each one. Loading maps
        the arrays (with ``mmap=True``), so a table of any size loads in the time it takes
        to read the words and check the arrays for NaN, and processes share its pages.

        Examples
        --------
        >>> import tempfile, pathlib
        >>> from skw2v import WordVectors
        >>> wv = WordVectors(["café", "北京"], [[0.1, 0.2], [0.3, -1.0]])
        >>> path = pathlib.Path(tempfile.mkdtemp()) / "vectors.bin"
        >>> wv.save(path, format="word2vec-binary")
        >>> WordVectors.load(path, format="word2vec-binary").index_to_word
        ['café', '北京']
        >>> wv.save(path.with_suffix(".ft"), format="fasttext")
        >>> ft = WordVectors.load(path.with_suffix(".ft"), format="fasttext")
        >>> ft.index_to_word, ft.char_ngram_range, ft.counts
        (['café', '北京'], None, array([1, 1]))
        >>> wv.save(path.with_suffix(".npy"), format="npy")
        >>> mapped = WordVectors.load(path.with_suffix(".npy"), format="npy", mmap=True)
        >>> import numpy as np
        >>> isinstance(mapped.vectors, np.memmap), mapped.index_to_word
        (True, ['café', '北京'])
        """
        _check_file_format(format)
        if format == "fasttext":
            _save_fasttext(self, path)
            return
        if format == "npy":
            from ._npy_format import write_npy

            write_npy(path, self)
            return
        _formats.write_vectors(path, self.index_to_word, self.vectors, format)

    # ------------------------------------------------------------------ benchmarks
    def evaluate_analogies(self, path: str | os.PathLike, *, restrict_vocab: int = 300000,
                           case_insensitive: bool = True,
                           method: str = "3cosadd") -> AnalogyResult:
        """Accuracy on word analogies "a is to b as c is to d", in the Google format.

        The file (``questions-words.txt``, see :func:`skw2v.datasets.fetch_analogies`) has
        ``: section`` lines, each followed by ``a b c d`` lines. A question is skipped when
        one of its words is not among the first ``restrict_vocab`` words; otherwise the
        answer is the best of those words, except a, b and c, for b - a + c. The numbers
        equal those of gensim's ``KeyedVectors.evaluate_word_analogies``.

        Parameters
        ----------
        path : str or path-like
            The analogy file (UTF-8, optionally gzip-compressed).
        restrict_vocab : int, default=300000
            Use only the first (most frequent) words, for the questions and the answers.
        case_insensitive : bool, default=True
            Compare words uppercased; a word with several case variants takes the vector of
            the first one, and no variant of a, b or c is an answer.
        method : {"3cosadd", "3cosmul"}, default="3cosadd"
            ``"3cosadd"``: the highest cosine with ``b - a + c`` over unit vectors (gensim's
            ``most_similar``). ``"3cosmul"``: the highest ``cos'(d, b) cos'(d, c) /
            (cos'(d, a) + 1e-6)`` with ``cos' = (1 + cos) / 2`` (Levy and Goldberg, 2014;
            gensim's ``most_similar_cosmul``).

        Returns
        -------
        AnalogyResult
            ``accuracy``, ``correct``, ``incorrect``, ``skipped``, ``oov_ratio`` (percent)
            and ``sections``, a list of ``AnalogySection`` (``name``, ``correct``,
            ``incorrect``, ``skipped``, ``accuracy``). An accuracy is 0.0 when no question
            was answered, as in gensim.

        Raises
        ------
        ValueError
            For a question line that does not hold 4 words, a question before the first
            section line, or a file without questions.

        Examples
        --------
        >>> import tempfile, pathlib
        >>> from skw2v import WordVectors
        >>> wv = WordVectors(["king", "queen", "man", "woman"],
        ...                  [[1, 1, 0], [1, 0, 1], [0, 1, 0.1], [0, 0, 1]])
        >>> path = pathlib.Path(tempfile.mkdtemp()) / "questions.txt"
        >>> _ = path.write_text(": family\\nman woman king queen\\nman woman prince "
        ...                     "princess\\n")
        >>> result = wv.evaluate_analogies(path)
        >>> result.accuracy, result.correct, result.skipped
        (1.0, 1, 1)
        >>> result.sections[0].name
        'family'
        """
        return _evaluation.evaluate_analogies(
            self, path, restrict_vocab=restrict_vocab, case_insensitive=case_insensitive,
            method=method,
        )

    def evaluate_word_pairs(self, path: str | os.PathLike, *, delimiter: str | None = "\t",
                            restrict_vocab: int = 300000,
                            case_insensitive: bool = True) -> WordPairsResult:
        """Correlation of cosine similarities with human scores of word pairs.

        The file (WordSim-353, SimLex-999, see :func:`skw2v.datasets.fetch_word_similarity`)
        holds ``word1 word2 score`` lines; lines starting with ``#`` are comments. Pairs with
        a word outside the first ``restrict_vocab`` words are skipped. The numbers equal
        those of gensim's ``KeyedVectors.evaluate_word_pairs``.

        Parameters
        ----------
        path : str or path-like
            The word-pairs file (UTF-8, optionally gzip-compressed).
        delimiter : str or None, default="\\\\t"
            Field separator; None splits on any run of whitespace.
        restrict_vocab : int, default=300000
            Use only the first (most frequent) words.
        case_insensitive : bool, default=True
            Compare words uppercased; a word with several case variants takes the vector of
            the first one.

        Returns
        -------
        WordPairsResult
            ``pearson``, ``pearson_pvalue``, ``spearman``, ``spearman_pvalue`` (scipy.stats),
            ``oov_ratio`` (percent of the pairs skipped), ``n_pairs`` and ``n_skipped``.

        Raises
        ------
        ValueError
            Naming the file (and line): a line that is not ``word1 word2 score``, a score
            that is not a finite number (``nan``, ``inf``), fewer than 2 scored pairs, or
            scored pairs that all have the same human score or all the same cosine
            similarity (their correlations are undefined: gensim reports NaN, skw2v
            raises); a ``delimiter`` that is not a non-empty str or None.

        Examples
        --------
        >>> import tempfile, pathlib
        >>> from skw2v import WordVectors
        >>> wv = WordVectors(["cat", "dog", "car", "bus"],
        ...                  [[1, 0.1], [1, 0.3], [0.1, 1], [0.5, 1]])
        >>> path = pathlib.Path(tempfile.mkdtemp()) / "pairs.tsv"
        >>> _ = path.write_text("# word1 word2 score\\ncat\\tdog\\t9\\ncat\\tcar\\t1\\n"
        ...                     "bus\\tcar\\t8\\nbus\\ttrain\\t7\\n")
        >>> result = wv.evaluate_word_pairs(path)
        >>> round(result.spearman, 2), result.n_pairs, round(result.oov_ratio, 1)
        (1.0, 3, 25.0)
        """
        return _evaluation.evaluate_word_pairs(
            self, path, delimiter=delimiter, restrict_vocab=restrict_vocab,
            case_insensitive=case_insensitive,
        )


class _SubwordTable(NamedTuple):
    word_rows: np.ndarray
    ngram_vectors: np.ndarray
    ngram_buckets: np.ndarray | None
    char_ngram_range: tuple[int, int]
    n_buckets: int


def _float32_matrix(value, name):
    try:
        array = np.asarray(value)
        if array.dtype.kind not in "iuf":
            raise TypeError(f"{name} holds {array.dtype} values")
        with np.errstate(over="ignore"):
            array = np.ascontiguousarray(array, dtype=np.float32)
    except (TypeError, ValueError) as error:
        raise TypeError(f"{name} must be an array of real numbers ({error}).") from None
    if array.ndim != 2:
        raise ValueError(f"{name} must be 2-D, got shape {array.shape}.")
    return array.copy() if np.shares_memory(array, np.asarray(value)) else array


def _shared_or_copied(value, memo):
    """``value`` itself if it is an array that nobody can change, else its deep copy."""
    array = value
    while isinstance(array, np.ndarray) and not array.flags.writeable:
        array = array.base
    if isinstance(value, np.ndarray) and not isinstance(array, np.ndarray):
        return value  # read-only all the way down (an owned array, or a read-only map)
    return copy.deepcopy(value, memo)


def _describe(value) -> str:
    """The type and a shortened repr of ``value``, for error messages: "int 5"."""
    return f"{type(value).__name__} {reprlib.repr(value)}"


# ------------------------------------------------------------------ fastText models (load, save)
_WHOLE_FILE_OPTION_DEFAULTS = {"limit": None, "encoding": "utf-8",
                               "unicode_errors": "strict", "duplicates": "error"}
# fastText's defaults (Args) for the arguments a WordVectors does not know.
_FASTTEXT_DEFAULT_ARGS = {"window": 5, "epochs": 5, "min_count": 5, "negative": 5,
                          "loss": "ns", "model": "skipgram", "sample": 1e-4,
                          "lr_update_rate": 100}


def _check_file_format(format):
    formats = (*_formats.FORMATS, "fasttext", "npy")
    if format not in formats:
        raise ValueError(f"format must be one of {', '.join(map(repr, formats))}; got "
                         f"{format!r}.")


def _check_whole_file_options(format, **options):
    """A ValueError naming the options of the word2vec formats given with format='fasttext'
    or 'npy'."""
    import codecs

    given = []
    for name, value in options.items():
        default = _WHOLE_FILE_OPTION_DEFAULTS[name]
        if name == "encoding" and isinstance(value, str):
            try:
                same = codecs.lookup(value).name == "utf-8"
            except LookupError:
                same = False
        else:
            same = value is default or (isinstance(value, str) and value == default)
        if not same:
            given.append(f"{name}={value!r}")
    if given:
        raise ValueError(f"{', '.join(given)} do{'es' if len(given) == 1 else ''} not apply "
                         f"to format={format!r}: its arrays are read whole and its words are "
                         "UTF-8 and unique. Leave limit, encoding, unicode_errors and "
                         "duplicates at their defaults.")


def _load_fasttext(cls, path):
    """A WordVectors over the memory-mapped input matrix of the fastText model at ``path``."""
    from ._fasttext_bin import read_fasttext_bin

    model = read_fasttext_bin(path, mmap=True)
    words, n_words = model.words, len(model.words)
    matrix = model.input_matrix
    # Without n-grams (maxn=0; minn > maxn; no buckets, which fastText cannot even load)
    # fastText's vector of a word is its own row, and the bucket rows go unused.
    subwords = model.maxn > 0 and model.bucket > 0 and model.minn <= model.maxn
    _check_mapped_rows(matrix if subwords else matrix[:n_words], words)
    if matrix.dtype.isnative:
        matrix = matrix.view(_ReadOnlyMemmap)
    else:  # a big-endian machine: the kernels need native floats, so this copies
        matrix = matrix.astype(np.float32)
        matrix.setflags(write=False)
    if not subwords:
        return cls._owning(words, matrix[:n_words], counts=model.counts)
    wv = cls._owning(words, np.empty((n_words, 0), dtype=np.float32), counts=model.counts)
    # fastText uses n-grams of n >= 1 characters, so minn=0 means minn=1.
    wv._set_subwords(matrix[:n_words], matrix[n_words:], None, (max(model.minn, 1), model.maxn),
                     model.bucket)
    return wv


def _check_mapped_rows(matrix, words):
    """Raise a ValueError naming the file and the word or bucket if a row of the mapped
    input ``matrix`` holds NaN or infinity.

    The file is read in blocks of 4 MiB into one buffer, not through the map: the process
    keeps none of the pages, so its memory does not grow with the file.
    """
    n_words = len(words)
    path = matrix.filename

    def describe(row):
        if row < n_words:
            return f"{path}: the row of the word {words[row]!r} (input row {row})"
        return f"{path}: the row of n-gram bucket {row - n_words} (input row {row})"

    fix = ("fastText's vectors of the words using that row are broken as well: train or "
           "download the model again.")
    _formats.check_mapped_finite(matrix, describe, fix)


def _save_fasttext(wv, path):
    from ._fasttext_bin import FastTextModel, InputRows, write_fasttext_bin

    if os.fspath(path).endswith(".gz"):
        raise ValueError(f"Cannot save {os.fspath(path)} as a fastText model: the name ends in "
                         ".gz, but fastText .bin models are written uncompressed (fastText "
                         "cannot read gzipped ones). Give a name such as model.bin.")
    words = wv.index_to_word
    counts = wv.counts if wv.counts is not None else np.ones(len(words), dtype=np.int64)
    dim = wv.vector_size
    table = wv._subwords
    if table is None:
        input_matrix, (minn, maxn), bucket = wv.vectors, (0, 0), 0
    else:
        input_matrix = InputRows(table.word_rows, table.ngram_vectors, table.ngram_buckets)
        (minn, maxn), bucket = table.char_ngram_range, table.n_buckets
    # The output layer is not kept: zeros, a read-only view of one row (no memory).
    output_matrix = np.broadcast_to(np.zeros(dim, dtype=np.float32), (len(words), dim))
    model = FastTextModel(words=words, counts=counts, input_matrix=input_matrix,
                          output_matrix=output_matrix, dim=dim, bucket=bucket, minn=minn,
                          maxn=maxn, n_tokens=int(counts.sum()), **_FASTTEXT_DEFAULT_ARGS)
    write_fasttext_bin(path, model, words_name="index_to_word")


class _ReadOnlyMemmap(np.memmap):
    """A read-only ``np.memmap`` of a loaded model's file that copies share: a deep copy
    (scikit-learn's ``clone`` of an estimator with ``init=`` these vectors) returns the same
    map, since nobody can change it, and pickling pickles a plain ``np.memmap`` of it (by
    value with ``pickle``, by reference to the file with joblib's pickler). Results of
    computations are plain arrays, and its repr is that of an ``np.memmap``."""

    def __deepcopy__(self, memo):
        if self._mmap is not None and not self.flags.writeable:
            return self
        return np.array(self, copy=True)

    def __reduce_ex__(self, protocol):
        return _as_is, (self.view(np.memmap),)

    def __array_wrap__(self, array, *args, **kwargs):
        array = super().__array_wrap__(array, *args, **kwargs)
        if isinstance(array, _ReadOnlyMemmap) and array._mmap is None:
            return array.view(np.ndarray)
        return array

    def __repr__(self):
        return repr(self.view(np.memmap))


def _as_is(value):
    return value
