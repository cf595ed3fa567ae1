"""Conversions to and from gensim (an optional dependency, imported lazily):
``KeyedVectors`` and ``FastTextKeyedVectors`` to and from :class:`~skw2v.WordVectors`.

Arrays are shared, not copied, when they are C-contiguous float32: a read-only view is
handed over, so neither side can write through the other's array by accident.
"""

from __future__ import annotations

import numpy as np

from .._subword_rows import SubwordTable
from .._training import _physical_memory
from .common import VectorParts, check_finite


def import_gensim():
    """The ``gensim.models`` module, or an ImportError saying how to install gensim."""
    try:
        import gensim.models
    except ImportError as error:
        raise ImportError(f"gensim is needed to convert to or from gensim models, but it "
                          f"cannot be imported ({error}). Install it: pip install gensim"
                          ) from None
    return gensim.models


def _read_only_view(array, name):
    """A read-only float32 C-contiguous view of ``array`` when it is one already, else a
    read-only copy (the only case that copies)."""
    array = np.asarray(array)
    if array.ndim != 2:
        raise ValueError(f"The gensim model's {name} must be 2-D, got shape {array.shape}.")
    if array.dtype == np.float32 and array.flags.c_contiguous and array.dtype.isnative:
        view = array.view()
    else:
        with np.errstate(over="ignore"):
            view = np.ascontiguousarray(array, dtype=np.float32)
        if np.shares_memory(view, array):  # pragma: no cover - defensive
            view = view.copy()
    view.setflags(write=False)
    return view


def _counts(kv):
    """gensim's ``count`` of each word, or None when the vectors have none."""
    counts = getattr(kv, "expandos", {}).get("count")
    if counts is None or len(counts) != len(kv.index_to_key):
        return None
    return np.array(counts, dtype=np.int64)


def subword_parameters(min_n, max_n, bucket):
    """``(char_ngram_range, n_buckets)`` of a gensim FastText model, or None when it uses no
    n-grams (``bucket=0``, or ``max_n < min_n``: gensim then gives words their own rows)."""
    if bucket == 0 or max_n < min_n:
        return None
    if min_n < 1:
        raise ValueError(f"The gensim FastText model has min_n={min_n}; skw2v supports "
                         "n-grams of at least one character (min_n >= 1).")
    return (int(min_n), int(max_n)), int(bucket)


def _check_trained(vector_size, *arrays):
    """Refuse gensim's random start: gensim draws every initial value uniformly from
    ``[-1/vector_size, 1/vector_size)``, and training leaves that box (a vector inside it
    has a norm below ``1/sqrt(vector_size)``), so arrays wholly inside it were never
    trained, or training barely moved them (a few epochs of a tiny corpus)."""
    bound = 1.0 / max(vector_size, 1)
    if all(array.size == 0 or (array.max() <= bound and array.min() >= -bound)
           for array in arrays):
        raise ValueError(
            f"Every value of the gensim vectors lies within +-1/vector_size ({bound:.3g}), "
            "where gensim's random start puts them: the model was never trained, or training "
            "barely moved them (too few words or epochs). Train it (model.train(...)); to "
            "take these values anyway, build WordVectors(kv.index_to_key, kv.vectors).")


def read_keyed_vectors(kv, *, check_trained=True) -> VectorParts:
    """The parts of a WordVectors sharing the arrays of gensim's ``kv``; see
    ``WordVectors.from_gensim``. ``check_trained=False``: the caller knows the model was
    trained (its ``train_count``), so vectors near gensim's random start are kept."""
    models = import_gensim()
    if not isinstance(kv, models.KeyedVectors):
        hint = (" Pass model.wv." if isinstance(kv, (models.Word2Vec, models.FastText)) else "")
        raise TypeError(f"from_gensim takes gensim KeyedVectors or FastTextKeyedVectors, got "
                        f"{type(kv).__name__}.{hint}")
    words = list(kv.index_to_key)
    for row, word in enumerate(words):
        if not isinstance(word, str):
            raise TypeError(f"The gensim key {word!r} (row {row}) is "
                            f"{type(word).__name__}; WordVectors holds str words only.")
    if not words:
        raise ValueError("The gensim vectors hold no words: the model has no vocabulary. "
                         "Build its vocabulary and train it first.")
    counts = _counts(kv)
    subwords = None
    if isinstance(kv, models.fasttext.FastTextKeyedVectors):
        subwords = subword_parameters(kv.min_n, kv.max_n, kv.bucket)
    if subwords is None:
        vectors = _read_only_view(kv.vectors, "vectors")
        if vectors.shape[0] != len(words):
            raise ValueError(f"The gensim vectors have {vectors.shape[0]} rows for "
                             f"{len(words)} keys.")
        check_finite(vectors, lambda row: f"The gensim vector of {words[row]!r} "
                     f"(row {row})", "Repair or remove that vector.")
        if check_trained:
            _check_trained(kv.vector_size, vectors)
        return VectorParts(words, vectors, counts)
    (char_ngram_range, n_buckets) = subwords
    word_rows = _read_only_view(kv.vectors_vocab, "vectors_vocab")
    ngram_rows = _read_only_view(kv.vectors_ngrams, "vectors_ngrams")
    if word_rows.shape[0] != len(words) or ngram_rows.shape[0] != n_buckets:
        raise ValueError(f"The gensim FastText vectors have {word_rows.shape[0]} word rows for "
                         f"{len(words)} keys and {ngram_rows.shape[0]} n-gram rows for "
                         f"bucket={n_buckets}; they must match.")
    fix = "Repair that row of the gensim model."
    check_finite(word_rows, lambda row: f"The gensim vectors_vocab row of "
                 f"{words[row]!r}", fix)
    check_finite(ngram_rows, lambda row: f"The gensim vectors_ngrams row {row}", fix)
    if check_trained:
        _check_trained(kv.vector_size, word_rows, ngram_rows)
    return VectorParts(words, None, counts,
                       SubwordTable(word_rows, ngram_rows, None, char_ngram_range, n_buckets))


def _check_dense_ngrams(wv):
    """Refuse, before allocating, a table of every bucket larger than this machine's memory."""
    needed = wv.n_buckets * wv.vector_size * 4
    memory = _physical_memory()
    if memory is not None and needed > memory:
        raise MemoryError(
            f"to_gensim: gensim's FastTextKeyedVectors holds a dense row for every one of the "
            f"{wv.n_buckets:,} buckets, {needed / 2**30:,.1f} GiB of float32 at vector_size "
            f"{wv.vector_size}, more than this machine's {memory / 2**30:,.1f} GiB of memory "
            f"(this model holds rows for {len(wv.ngram_buckets):,} of them). Save it with "
            "format='fasttext' instead (gensim's load_facebook_vectors reads it), or train "
            "with fewer n_buckets.")


def to_keyed_vectors(wv):
    """gensim vectors over the arrays of ``wv``; see ``WordVectors.to_gensim``."""
    models = import_gensim()
    words = list(wv.index_to_word)
    if wv.char_ngram_range is None:
        kv = models.KeyedVectors(wv.vector_size, count=0, dtype=np.float32)
    else:
        min_n, max_n = wv.char_ngram_range
        kv = models.fasttext.FastTextKeyedVectors(wv.vector_size, min_n, max_n, wv.n_buckets,
                                                  count=0, dtype=np.float32)
    kv.index_to_key = words
    kv.key_to_index = {word: row for row, word in enumerate(words)}
    kv.next_index = len(words)
    kv.vectors = wv.vectors
    kv.norms = None
    if wv.counts is not None:
        kv.allocate_vecattrs(["count"], [np.int64])
        kv.expandos["count"][:] = wv.counts
    if wv.char_ngram_range is not None:
        kv.vectors_vocab = wv.vectors_vocab
        if wv.ngram_buckets is None:
            kv.vectors_ngrams = wv.vectors_ngrams
        else:  # gensim holds every bucket: the ones without a row are zeros
            _check_dense_ngrams(wv)
            full = np.zeros((wv.n_buckets, wv.vector_size), dtype=np.float32)
            full[wv.ngram_buckets] = wv.vectors_ngrams
            full.setflags(write=False)
            kv.vectors_ngrams = full
        kv.recalc_char_ngram_buckets()
    return kv
