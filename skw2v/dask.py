"""Featurize and fit on Dask: document tables and bags bigger than one machine's memory.

What runs where:

- :func:`transform` pools documents on the Dask workers, partition by partition, with a fitted
  vectorizer (or gives a fitted classifier's document embeddings); :func:`predict` and
  :func:`predict_proba` apply a fitted :class:`~skw2v.Word2VecClassifier` there. The fitted
  estimator enters the task graph once and every partition's task refers to it.
- :func:`fit` counts the vocabulary on the workers (one count per partition, merged in a tree
  in partition order, so every word keeps its first appearance), encodes each partition
  as word ids on the workers, then streams the encoded partitions, in order and one at a time,
  into the single-machine Numba engine on the client, which trains exactly as
  :meth:`Word2VecVectorizer.fit <skw2v.Word2VecVectorizer.fit>` does. The documents are
  read twice (counting, then encoding): ``persist()`` them first if reading is expensive.

Training itself stays on one machine, as in gensim, fastText and the word2vec C tool: its
threads share one weight matrix. Needs the ``[dask]`` extra:
``pip install "skw2v[dask]"``.
"""

from __future__ import annotations

import uuid

import numpy as np
import pandas as pd

try:
    import dask
    import dask.array as da
    import dask.bag as db
    import dask.dataframe as dd
except ImportError as error:  # pragma: no cover - exercised only without the extra
    raise ImportError(
        f"skw2v.dask needs Dask ({error}); install it with: pip install \"skw2v[dask]\""
    ) from error

from sklearn.utils.validation import check_is_fitted

from . import _driver, _trainers
from ._corpus import EncodedCorpus
from ._ids import IdMap
from ._sources import LocalCorpus, input_columns
from ._text import PRETOKENIZED
from .classifier import Word2VecClassifier
from .vectorizer import Word2VecVectorizer

__all__ = ["fit", "predict", "predict_proba", "transform"]

#: Partitions merged by one task of the vocabulary tree reduction.
_MERGE_FAN_IN = 8


def _check_vectorizer(vectorizer):
    if not isinstance(vectorizer, Word2VecVectorizer):
        hint = (" skw2v.dask.fit trains a vectorizer only: fit the classifier in memory, then "
                "apply it with skw2v.dask.predict." if isinstance(vectorizer, Word2VecClassifier)
                else "")
        raise TypeError(f"vectorizer must be a skw2v.Word2VecVectorizer, got "
                        f"{type(vectorizer).__name__}.{hint}")


def _check_fitted_model(model, name, types):
    """``model`` is a fitted instance of one of ``types``, else a TypeError saying what to do."""
    if not isinstance(model, types):
        expected = " or ".join(f"skw2v.{cls.__name__}" for cls in types)
        if isinstance(model, Word2VecVectorizer):
            hint = (" A vectorizer does not classify: apply its features with "
                    "skw2v.dask.transform, or pass a fitted Word2VecClassifier.")
        elif hasattr(model, "named_steps"):
            hint = (" For a Pipeline, pass its skw2v step, e.g. pipe.named_steps['w2v'], and "
                    "apply the later steps to the computed result.")
        else:
            hint = ""
        raise TypeError(f"{name} must be a fitted {expected}, got "
                        f"{type(model).__name__}.{hint}")
    check_is_fitted(model, "wv_")


def _column(docs, name, analyzer):
    """The documents of ``docs`` as a dask Series or Bag; a one-column DataFrame is unpacked."""
    if isinstance(docs, dd.DataFrame):
        if len(docs.columns) != 1:
            raise ValueError(
                f"{name} is a dask DataFrame with {len(docs.columns)} columns; pass one text "
                "column, e.g. df['text']."
            )
        docs = docs[docs.columns[0]]
    if isinstance(docs, dd.Series):
        if (analyzer == PRETOKENIZED and docs.dtype != object
                and pd.api.types.is_string_dtype(docs.dtype)):
            raise TypeError(
                f"{name} holds strings ({docs.dtype}), but analyzer='pretokenized' expects "
                "lists of tokens. Dask turns object columns into strings, lists included: "
                "create the collection under dask.config.set({'dataframe.convert-string': "
                "False}), or use a dask Bag of token lists."
            )
        return docs
    if isinstance(docs, db.Bag):
        return docs
    raise TypeError(
        f"{name} must be a dask Series, a one-column dask DataFrame or a dask Bag of "
        f"documents, got {type(docs).__name__}. For in-memory documents call the "
        "estimator's own method (fit, transform, predict)."
    )


def _broadcast(value, label):
    """``value`` as one graph key that every task refers to (never embedded per task).

    The key gets a random name so that Dask does not hash (pickle) the value to name it.
    """
    return dask.delayed(value, name=f"skw2v-{label}-{uuid.uuid4().hex}", traverse=False)


def _partition_tokens(partition, number, tokenizer):
    """The checked tokens of every document of a partition, in order (one list each)."""
    where = _locator(partition, number)
    return [tokenizer(document, where(position))
            for position, document in enumerate(partition)]


def _locator(partition, number):
    """``where(position)`` for error messages: the partition, the position in it and, for a
    pandas partition, the document's index label."""
    index = partition.index if isinstance(partition, (pd.Series, pd.DataFrame)) else None

    def where(position):
        label = ""
        if index is not None:
            value = index[position]
            if isinstance(value, np.generic):  # 12, not np.int64(12)
                value = value.item()
            label = f" (index label {value!r})"
        return f"Partition {number}, document {position}{label}"

    return where


# --- transform, predict, predict_proba -----------------------------------------------------

def _rows_frame(rows, index, columns):
    return pd.DataFrame(rows, index=index, columns=columns)


def _labels_series(labels, index, name):
    return pd.Series(labels, index=index, name=name)


def _apply_frame(partition, model, method, build, build_arg, partition_info=None):
    """``model.<method>`` of a pandas partition, as what ``build`` makes of it."""
    number = 0 if partition_info is None else partition_info["number"]
    rows = getattr(model, method)(partition, where=_locator(partition, number))
    return build(rows, partition.index, build_arg)


def _apply_list(partition, model, method, number):
    partition = list(partition)
    return getattr(model, method)(partition, where=_locator(partition, number))


def _apply(model, docs, method, meta, build, build_arg, shape, dtype):
    """``model.<method>`` on every partition of ``docs`` (``model`` in the graph once): a
    dask DataFrame or Series from ``meta`` and ``build``, or for a Bag an array of rows of
    ``shape[1:]`` with one chunk per partition."""
    shared = _broadcast(model, type(model).__name__.lower())
    if isinstance(docs, db.Bag):
        parts = [dask.delayed(_apply_list, pure=True)(part, shared, method, number)
                 for number, part in enumerate(docs.to_delayed(optimize_graph=False))]
        return da.concatenate([da.from_delayed(part, shape=shape, dtype=dtype)
                               for part in parts])
    return docs.map_partitions(_apply_frame, shared, method, build, build_arg, meta=meta)


def _frame_meta(columns, index, dtype):
    return pd.DataFrame(np.zeros((0, len(columns)), dtype=dtype), columns=columns, index=index)


def _class_columns(classifier):
    """The classes as column names (str): ``['fresh', 'rotten']``, ``['0', '1']``."""
    return pd.Index([str(label) for label in classifier.classes_], dtype=object)


def transform(model: Word2VecVectorizer | Word2VecClassifier, docs):
    """Featurize the documents of a dask collection with a fitted estimator, on the workers.

    Parameters
    ----------
    model : Word2VecVectorizer or Word2VecClassifier
        A fitted vectorizer (its pooled document vectors) or classifier (its document
        embeddings, the rows its linear layer reads). It enters the task graph once: every
        partition's task refers to that one copy, which each worker receives once.
    docs : dask.dataframe.Series, one-column dask.dataframe.DataFrame or dask.bag.Bag
        Documents: strings, or lists of tokens for ``analyzer="pretokenized"``.

    Returns
    -------
    dask.dataframe.DataFrame or dask.array.Array
        For a Series or DataFrame: a DataFrame with the columns
        ``model.get_feature_names_out()`` (float32) and the index and divisions of
        ``docs``. For a Bag: an array of shape ``(n_documents, n_features)``, float32, with
        one chunk per partition; the chunk lengths are unknown until computed
        (``compute_chunk_sizes()`` finds them). Computed, each row equals
        ``model.transform`` of its document.

    See Also
    --------
    predict : The classes a fitted classifier predicts, on the workers.

    Examples
    --------
    >>> import dask.dataframe as dd
    >>> import pandas as pd
    >>> import skw2v.dask
    >>> from skw2v import Word2VecVectorizer
    >>> docs = pd.Series(["red green blue", "green blue red", "cat dog", "dog cat"] * 30)
    >>> model = Word2VecVectorizer(vector_size=8, min_count=1, random_state=0).fit(docs)
    >>> features = skw2v.dask.transform(model, dd.from_pandas(docs, npartitions=4))
    >>> features.npartitions, list(features.columns[:2])
    (4, ['word2vecvectorizer0', 'word2vecvectorizer1'])
    >>> features.compute().shape
    (120, 8)
    """
    _check_fitted_model(model, "model", (Word2VecVectorizer, Word2VecClassifier))
    docs = _column(docs, "docs", model.analyzer)
    columns = pd.Index(model.get_feature_names_out(), dtype=object)
    meta = (None if isinstance(docs, db.Bag)
            else _frame_meta(columns, docs._meta.index, np.float32))
    return _apply(model, docs, "_transform", meta, _rows_frame, columns,
                  (np.nan, len(columns)), np.float32)


def predict(classifier: Word2VecClassifier, docs):
    """Predict the class of each document of a dask collection, on the workers.

    Parameters
    ----------
    classifier : Word2VecClassifier
        A fitted classifier. It enters the task graph once: every partition's task refers
        to that one copy, which each worker receives once.
    docs : dask.dataframe.Series, one-column dask.dataframe.DataFrame or dask.bag.Bag
        Documents: strings, or lists of tokens for ``analyzer="pretokenized"``.

    Returns
    -------
    dask.dataframe.Series, dask.dataframe.DataFrame or dask.array.Array
        For a Series or DataFrame: a Series named ``"prediction"`` with the index and
        divisions of ``docs`` and the dtype pandas gives ``classifier.classes_``; for a
        multi-label classifier, a DataFrame with one int64 column of 0/1 per label, named
        by the label (its column number in ``y``) as str: ``"0"``, ``"1"``... For a Bag:
        an array with one chunk per partition (lengths unknown until computed), of shape
        ``(n_documents,)`` and the dtype of ``classifier.classes_``, or
        ``(n_documents, n_labels)`` int64 for a multi-label classifier. Computed, it
        equals ``classifier.predict`` of the documents.

    See Also
    --------
    predict_proba : The class probabilities, on the workers.
    skw2v.Word2VecClassifier.predict : The same in memory.

    Examples
    --------
    >>> import dask.dataframe as dd
    >>> import pandas as pd
    >>> import skw2v.dask
    >>> from skw2v import Word2VecClassifier
    >>> X = ["a great and moving film", "great acting", "a dull boring mess",
    ...      "boring and slow"] * 20
    >>> y = ["pos", "pos", "neg", "neg"] * 20
    >>> clf = Word2VecClassifier(n_jobs=1, random_state=0).fit(X, y)
    >>> docs = dd.from_pandas(pd.Series(["a great film", "so boring", "great acting"]),
    ...                       npartitions=2)
    >>> labels = skw2v.dask.predict(clf, docs)
    >>> labels.npartitions, labels.name
    (2, 'prediction')
    >>> labels.compute().tolist()
    ['pos', 'neg', 'pos']
    """
    _check_fitted_model(classifier, "classifier", (Word2VecClassifier,))
    docs = _column(docs, "docs", classifier.analyzer)
    classes = classifier.classes_
    if classifier._model.multilabel:
        columns = _class_columns(classifier)
        meta = (None if isinstance(docs, db.Bag)
                else _frame_meta(columns, docs._meta.index, np.int64))
        return _apply(classifier, docs, "_predict", meta, _rows_frame, columns,
                      (np.nan, len(columns)), np.int64)
    meta = None
    if not isinstance(docs, db.Bag):
        # The dtype pandas infers from the classes, as it does for each partition's labels.
        meta = pd.Series(classes[:0], index=docs._meta.index, name="prediction",
                         dtype=pd.Series(classes).dtype)
    return _apply(classifier, docs, "_predict", meta, _labels_series, "prediction",
                  (np.nan,), classes.dtype)


def predict_proba(classifier: Word2VecClassifier, docs):
    """Class probabilities of the documents of a dask collection, on the workers.

    Parameters
    ----------
    classifier : Word2VecClassifier
        A fitted classifier. It enters the task graph once: every partition's task refers
        to that one copy, which each worker receives once.
    docs : dask.dataframe.Series, one-column dask.dataframe.DataFrame or dask.bag.Bag
        Documents: strings, or lists of tokens for ``analyzer="pretokenized"``.

    Returns
    -------
    dask.dataframe.DataFrame or dask.array.Array
        For a Series or DataFrame: a DataFrame with one float64 column per class, named by
        the class as str (in the order of ``classifier.classes_``), and the index and
        divisions of ``docs``. For a Bag: an array of shape ``(n_documents, n_classes)``,
        float64, with one chunk per partition (lengths unknown until computed). Computed,
        it equals ``classifier.predict_proba`` of the documents.

    See Also
    --------
    predict : The predicted classes, on the workers.
    skw2v.Word2VecClassifier.predict_proba : The same in memory.

    Examples
    --------
    >>> import dask.bag as db
    >>> import skw2v.dask
    >>> from skw2v import Word2VecClassifier
    >>> X = ["a great and moving film", "great acting", "a dull boring mess",
    ...      "boring and slow"] * 20
    >>> y = ["pos", "pos", "neg", "neg"] * 20
    >>> clf = Word2VecClassifier(n_jobs=1, random_state=0).fit(X, y)
    >>> docs = db.from_sequence(["a great film", "so boring", "great acting"],
    ...                         npartitions=2)
    >>> proba = skw2v.dask.predict_proba(clf, docs)
    >>> proba.numblocks, proba.dtype
    ((2, 1), dtype('float64'))
    >>> proba.compute().shape
    (3, 2)
    """
    _check_fitted_model(classifier, "classifier", (Word2VecClassifier,))
    docs = _column(docs, "docs", classifier.analyzer)
    columns = _class_columns(classifier)
    meta = (None if isinstance(docs, db.Bag)
            else _frame_meta(columns, docs._meta.index, np.float64))
    return _apply(classifier, docs, "_predict_proba", meta, _rows_frame, columns,
                  (np.nan, len(columns)), np.float64)


# --- fit --------------------------------------------------------------------------------------

def _count_partition(partition, number, tokenizer):
    """``(words in first-appearance order, counts, n_documents, n_tokens)`` of a partition."""
    counts = {}
    n_documents = n_tokens = 0
    for tokens in _partition_tokens(partition, number, tokenizer):
        for token in tokens:
            counts[token] = counts.get(token, 0) + 1
        n_tokens += len(tokens)
        n_documents += 1
    return (list(counts), np.fromiter(counts.values(), dtype=np.int64, count=len(counts)),
            n_documents, n_tokens)


def _merge_counts(*parts):
    """Merge partition counts in order: a word keeps its first appearance across them."""
    index = {}
    counts = []
    n_documents = n_tokens = 0
    for words, part_counts, part_documents, part_tokens in parts:
        for word, count in zip(words, part_counts.tolist(), strict=True):
            row = index.setdefault(word, len(index))
            if row == len(counts):
                counts.append(count)
            else:
                counts[row] += count
        n_documents += part_documents
        n_tokens += part_tokens
    return list(index), np.asarray(counts, dtype=np.int64), n_documents, n_tokens


def _encode_partition(partition, number, tokenizer, rows):
    """Token ids (row in the vocabulary, ``len(rows)`` for a dropped word) and lengths."""
    dropped = len(rows)
    lookup = rows.get
    ids, lengths = [], []
    for tokens in _partition_tokens(partition, number, tokenizer):
        ids.append(np.fromiter((lookup(token, dropped) for token in tokens), dtype=np.int32,
                               count=len(tokens)))
        lengths.append(len(tokens))
    return (np.concatenate(ids) if ids else np.zeros(0, dtype=np.int32),
            np.asarray(lengths, dtype=np.int64))


def _tree_reduce(parts):
    while len(parts) > 1:
        parts = [dask.delayed(_merge_counts, pure=True)(*parts[i:i + _MERGE_FAN_IN])
                 for i in range(0, len(parts), _MERGE_FAN_IN)]
    return parts[0]


def _in_order(tasks):
    """Compute delayed ``tasks`` and yield their results in order, holding one at a time.

    With a ``distributed`` client the workers compute every task in parallel and keep the
    results until the client fetches them one by one; otherwise they are computed one by one.
    """
    try:
        from distributed import default_client

        client = default_client()
    except (ImportError, ValueError):
        client = None
    if client is None:
        for task in tasks:
            yield task.compute()
        return
    futures = client.compute(tasks)
    for position in range(len(futures)):
        future, futures[position] = futures[position], None
        yield future.result()
        future.release()


def fit(vectorizer: Word2VecVectorizer, docs) -> Word2VecVectorizer:
    """Fit a vectorizer on a dask collection: vocabulary on the workers, training locally.

    The workers count the words of each partition and merge the counts; the vocabulary is
    then chosen exactly as :meth:`Word2VecVectorizer.fit <skw2v.Word2VecVectorizer.fit>`
    chooses it. The workers encode each partition as vocabulary ids, and the client streams
    the encoded partitions, in order and one at a time, into a temporary file that the local
    Numba engine trains on. The result equals the in-memory fit on the same documents in the
    same order: the same ``vocabulary_``, and with ``n_jobs=1`` and an int ``random_state``
    the same vectors.

    The vectorizer's ``verbose`` lines and scikit-learn (>= 1.9) callbacks report the
    training as in :meth:`Word2VecVectorizer.fit <skw2v.Word2VecVectorizer.fit>` (epochs,
    chunks, stopping early).

    Parameters
    ----------
    vectorizer : Word2VecVectorizer
        The estimator to fit, in place; its ``n_jobs`` sets the local training threads.
    docs : dask.dataframe.Series, one-column dask.dataframe.DataFrame or dask.bag.Bag
        Documents: strings, or lists of tokens for ``analyzer="pretokenized"``. They are read
        twice, once to count and once to encode.

    Returns
    -------
    Word2VecVectorizer
        ``vectorizer``, fitted.

    Examples
    --------
    >>> import dask.bag as db
    >>> import skw2v.dask
    >>> from skw2v import Word2VecVectorizer
    >>> sessions = db.from_sequence([["i1", "i2", "i3"], ["i2", "i3", "i4"]] * 20,
    ...                             npartitions=4)
    >>> model = skw2v.dask.fit(Word2VecVectorizer(analyzer="pretokenized", min_count=1,
    ...                                           vector_size=8, random_state=0), sessions)
    >>> model.vocabulary_
    {'i3': 0, 'i2': 1, 'i4': 2, 'i1': 3}
    """
    _check_vectorizer(vectorizer)
    column = _column(docs, "docs", vectorizer.analyzer)
    _driver.fit_with_callbacks(vectorizer, _DaskSource(docs, column),
                               _trainers.for_estimator(vectorizer))
    return vectorizer


class _DaskSource:
    """The partitions of a dask collection (see :mod:`skw2v._sources`): the workers count
    the words of each partition and merge the counts; once the vocabulary is chosen, they
    encode each partition as vocabulary rows, which the client streams in order into a local
    encoded corpus."""

    def __init__(self, docs, column):
        self.X = docs
        self.column = column

    def input_columns(self):
        return input_columns(self.X._meta if isinstance(self.X, dd.DataFrame) else None)

    def read(self, plan):
        return _DaskCorpus(self.column, plan.tokenizer)


class _DaskCorpus(LocalCorpus):
    def __init__(self, column, tokenizer):
        self.tokenizer = _broadcast(tokenizer, "tokenizer")
        self.partitions = column.to_delayed()
        counted = [dask.delayed(_count_partition, pure=True)(part, number, self.tokenizer)
                   for number, part in enumerate(self.partitions)]
        words, counts, n_documents, n_tokens = _tree_reduce(counted).compute()
        super().__init__(None, words, counts, n_documents, n_tokens)

    def encode(self, vocabulary, ids):
        rows = _broadcast({word: row for row, word in enumerate(vocabulary.words)},
                          "vocabulary")
        encoded = [dask.delayed(_encode_partition, pure=True)(part, number, self.tokenizer,
                                                              rows)
                   for number, part in enumerate(self.partitions)]
        n_words = len(vocabulary.words)
        self.words = self.counts = None  # the workers' counts: not needed any more
        self.encoded = EncodedCorpus.from_encoded(_in_order(encoded), n_ids=n_words + 1)
        return IdMap.rows_then_dropped(n_words)
