"""The public methods of ``WordVectors`` that exchange vectors with the outside: files
(``load``, ``save``), gensim (``from_gensim``, ``to_gensim``) and benchmark files
(``evaluate_analogies``, ``evaluate_word_pairs``). Each delegates to the format layer or to
``_evaluation``; ``WordVectors`` inherits them, and keeps construction and queries."""

from __future__ import annotations

import os

from .. import _evaluation
from .._evaluation import AnalogyResult, WordPairsResult
from . import gensim, registry


class WordVectorsIO:
    """Loading, saving, gensim conversions and evaluations of :class:`~skw2v.WordVectors`
    (its base class: every method here is a method of ``WordVectors``)."""

    # ------------------------------------------------------------------ gensim
    @classmethod
    def from_gensim(cls, kv):
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
            If a row holds NaN or infinity, the arrays do not match the keys, ``kv`` holds
            no words, or every value lies within gensim's random start (``+-1/vector_size``:
            a model that was never trained, or that training barely moved).

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
        return cls._from_parts(gensim.read_keyed_vectors(kv))

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
        MemoryError
            Before anything is allocated, if gensim's dense table of every bucket (see Notes)
            would exceed this machine's memory.

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
        return gensim.to_keyed_vectors(self)

    # ------------------------------------------------------------------ files
    @classmethod
    def load(cls, path: str | os.PathLike, format: str = "word2vec", *,
             limit: int | None = None, encoding: str = "utf-8",
             unicode_errors: str = "strict", duplicates: str = "error",
             mmap: bool | None = None):
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
        return cls._from_parts(registry.read(
            path, format, mmap=mmap, limit=limit, encoding=encoding,
            unicode_errors=unicode_errors, duplicates=duplicates,
        ))

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
            If a word is empty, contains whitespace (space, tab, newline, carriage return,
            vertical tab, form feed; for ``"fasttext"`` also NUL), which separates the
            fields of these formats, or cannot be encoded as UTF-8 (a lone surrogate), or a
            vector holds NaN or infinity; for ``"fasttext"``, a size beyond the 32-bit ints
            the format stores (buckets, ``max_n``) or a path ending in ``.gz``; for
            ``"npy"``, a ``path`` that exists and is not a
            directory written by ``save(format="npy")`` (it is never replaced). Nothing is
            written then. (``"npy"`` holds any word, and does not check the vectors again.)
        OSError
            If the file cannot be written, naming it and the reason. Every format is written
            to a temporary file next to ``path`` (``"npy"``: a temporary directory) and
            renamed into place, so a write that fails midway (a full disk, an interruption)
            leaves no partial file, which could pass for a smaller one, and an existing
            ``path`` as it was.

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
        registry.write(path, self, format)

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
