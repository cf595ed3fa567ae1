"""Word2vec over Spark DataFrames: MLlib trains, executors tokenize, count and pool.

What runs where:

- :func:`train_on_spark` trains MLlib's own distributed Word2Vec
  (:class:`pyspark.ml.feature.Word2Vec`) on a column of a Spark DataFrame. The executors
  tokenize the documents with the vectorizer's own analyzer (a pandas UDF), count the words,
  their first appearance and their document frequency, and, for ``pooling="sif"``, add up the
  Gram matrix of the pooled documents. The driver receives vocabulary-sized results only (the
  kept words, their counts and vectors), never the corpus. The result is an ordinary fitted
  :class:`~skw2v.Word2VecVectorizer`.
- :func:`transform` pools a DataFrame column into document vectors on the executors (or
  gives a fitted classifier's document embeddings), and :func:`predict` and
  :func:`predict_proba` apply a fitted :class:`~skw2v.Word2VecClassifier` there: the fitted
  estimator is broadcast once and applied to Arrow batches by a vectorized UDF (Arrow-native
  on pyspark >= 4.1, a pandas UDF before).
- :func:`from_spark` turns a fitted MLlib ``Word2VecModel`` into :class:`~skw2v.WordVectors`.

Nothing else is distributed. skw2v's own Numba training engine
(:meth:`Word2VecVectorizer.fit <skw2v.Word2VecVectorizer.fit>`) trains on one machine with
``n_jobs`` threads, and the estimator returned by :func:`train_on_spark` lives on the driver,
where ``most_similar``, pickling and an in-memory ``transform`` work as after ``fit``. Spark
is worth it when the corpus already lives in a Spark table, or is too large to move to one
machine; MLlib trains skip-gram with hierarchical softmax only.

This module needs the ``spark`` extra (``pip install "skw2v[spark]"``: pyspark and pyarrow).
Spark's Python workers must run a Python in which skw2v is installed: set ``PYSPARK_PYTHON``
(for example to ``sys.executable``) before the Spark session starts.
"""

from __future__ import annotations

import pickle
import time
from numbers import Integral
from typing import Any

import numpy as np
import pandas as pd
from sklearn.utils import check_random_state
from sklearn.utils.validation import check_is_fitted

try:
    import pyarrow as pa  # UDFs exchange their batches through Arrow
    from pyspark import SparkContext, cloudpickle
    from pyspark.ml.feature import Word2Vec, Word2VecModel
    from pyspark.ml.functions import vector_to_array
    from pyspark.sql import Column, DataFrame
    from pyspark.sql import functions as F
    from pyspark.sql import types as T
except ImportError as error:  # pragma: no cover - depends on the environment
    raise ImportError(
        f"skw2v.spark needs pyspark and pyarrow, which are not installed ({error}). "
        'Install them with: pip install "skw2v[spark]"'
    ) from error

from . import _driver, _pooling
from ._documents import Tokenizer, TokenTypeError
from ._io.common import check_finite
from ._pooler import Pooler, PoolingStatistics
from ._progress import set_callbacks
from ._text import PRETOKENIZED
from .classifier import Word2VecClassifier
from .vectorizer import Word2VecVectorizer
from .word_vectors import WordVectors

__all__ = ["from_spark", "predict", "predict_proba", "train_on_spark", "transform"]

#: Parameters of train_on_spark (skw2v names) and the MLlib Word2Vec parameters they set.
_MLLIB_PARAMETERS = {
    "vector_size": "vectorSize",
    "window": "windowSize",
    "min_count": "minCount",
    "epochs": "maxIter",
    "alpha": "stepSize",
    "random_state": "seed",
    "n_partitions": "numPartitions",
}

#: What MLlib trains, in Word2VecVectorizer's terms: skip-gram, hierarchical softmax only, no
#: subsampling. The defaults of train_on_spark, so that the returned estimator says so.
_MLLIB_TRAINING = {"architecture": "skipgram", "negative": 0, "hs": True, "sample": 0.0}

#: MLlib decays the learning rate linearly from stepSize down to stepSize * 1e-4.
_MLLIB_MIN_ALPHA_RATIO = 1e-4

# Columns of the internal tokens DataFrame (it holds nothing else, so no name can collide).
_DOC, _POS, _TOKENS, _WORD = "doc", "pos", "tokens", "word"


def _column(name: str) -> Column:
    """A top-level column by its exact name (dots in it do not select nested fields)."""
    return F.col("`" + name.replace("`", "``") + "`")


class _CloudPickled:
    """Broadcast wrapper: pickled with cloudpickle, unpickled as the wrapped value itself.

    ``SparkContext.broadcast`` pickles with the standard pickle, which refuses lambdas and
    local functions (``tokenizer=lambda text: text.split()``); cloudpickle takes them. On the
    executors, ``broadcast.value`` is then the vectorizer or analyzer, not this wrapper.
    """

    def __init__(self, value) -> None:
        self.value = value

    def __reduce__(self):
        return pickle.loads, (cloudpickle.dumps(self.value),)


def _spark_context(df: DataFrame) -> SparkContext:
    try:
        return df.sparkSession.sparkContext
    except Exception as error:  # Spark Connect sessions have no SparkContext
        raise TypeError(
            f"skw2v.spark needs a classic Spark session with a SparkContext to broadcast the "
            f"vectorizer; this DataFrame's session has none ({type(error).__name__}: {error}). "
            "Spark Connect sessions are not supported: use SparkSession.builder without "
            ".remote(...)."
        ) from None


def _check_input_column(df: DataFrame, input_col: str, analyzer) -> None:
    if not isinstance(df, DataFrame):
        raise TypeError(
            f"df must be a pyspark.sql.DataFrame, got {type(df).__name__}. Convert a pandas "
            "DataFrame with spark.createDataFrame(frame), or use Word2VecVectorizer directly "
            "on data that fits in memory."
        )
    if not isinstance(input_col, str):
        raise TypeError(f"input_col must be the name of a column (str), got "
                        f"{type(input_col).__name__} {input_col!r}.")
    if input_col not in df.columns:
        raise ValueError(f"input_col={input_col!r} is not a column of the DataFrame; its "
                         f"columns are {df.columns}.")
    data_type = df.schema[input_col].dataType
    if isinstance(analyzer, str) and analyzer == PRETOKENIZED:
        if not (isinstance(data_type, T.ArrayType)
                and isinstance(data_type.elementType, T.StringType)):
            raise TypeError(
                f"Column {input_col!r} is {data_type.simpleString()}, but "
                "analyzer='pretokenized' takes an array<string> column of tokens. Split a "
                "string column with pyspark.sql.functions.split, or use analyzer='word'."
            )
    elif not callable(analyzer) and not isinstance(data_type, T.StringType):
        hint = (" For a column of token arrays use analyzer='pretokenized'."
                if isinstance(data_type, T.ArrayType) else
                f" Cast it first, e.g. df.withColumn({input_col!r}, "
                f"df[{input_col!r}].cast('string')).")
        raise TypeError(f"Column {input_col!r} is {data_type.simpleString()}, but "
                        f"analyzer={analyzer!r} takes a string column.{hint}")


# Run on the executors, one Arrow batch at a time.


def _batch_documents(batch: pd.Series, column: str) -> list:
    """The documents of one Arrow batch as the Python objects the analyzers take."""
    if batch.isna().any():
        raise TypeError(
            f"Column {column!r} holds a null document. Drop the nulls first, e.g. "
            f"df.dropna(subset=[{column!r}]), or fill them, e.g. "
            f"df.fillna('', subset=[{column!r}]) for a string column."
        )
    # Arrow gives array<string> cells as NumPy arrays; analyzers take lists of str.
    return [document.tolist() if isinstance(document, np.ndarray) else document
            for document in batch.tolist()]


def _checked_tokens(tokenizer: Tokenizer, document, column: str) -> list:
    """The tokens of a document, checked by the same rule as ``fit`` and ``transform``."""
    try:
        return tokenizer(document, f"Column {column!r}")
    except TokenTypeError as error:
        raise TypeError(f"{error} In a Spark array column, remove null elements first "
                        "(e.g. with pyspark.sql.functions.array_compact).") from None


def _tokenizer_udf(tokenizer_broadcast, column: str):
    def tokenize(batch: pd.Series) -> pd.Series:
        tokenizer = tokenizer_broadcast.value
        return pd.Series([_checked_tokens(tokenizer, document, column)
                          for document in _batch_documents(batch, column)], dtype=object)

    return F.pandas_udf(tokenize, T.ArrayType(T.StringType()))


#: pyspark >= 4.1 has Arrow-native UDFs (pyarrow arrays in and out). Their float32 output
#: becomes one list array without a Python object per row: 1.6x the rows/s of a pandas UDF,
#: whose array<float> results PySpark converts row by row (benchmarks/bench_scaleout.py).
_ARROW_UDF = getattr(F, "arrow_udf", None)


def _list_array(rows: np.ndarray) -> pa.Array:
    """A (n, d) matrix as an Arrow list array of n rows (list<float> for float32), without
    copying rows."""
    n_rows, size = rows.shape
    offsets = np.arange(0, (n_rows + 1) * size, size, dtype=np.int32)
    return pa.ListArray.from_arrays(pa.array(offsets), pa.array(rows.reshape(-1)))


class _Output:
    """What a UDF's rows become: their Spark type, and the Arrow array (Arrow-native UDF) or
    pandas Series (pandas UDF) of a batch's result, an ndarray of one row per document.

    ``dtype`` is the NumPy dtype of the values (of each row's elements for an array type;
    None for strings); ``rows`` says whether each document gives an array.
    """

    def __init__(self, spark_type, dtype, rows: bool) -> None:
        self.spark_type = spark_type
        self.dtype = dtype
        self.rows = rows

    def _values(self, values: np.ndarray):
        if self.dtype is None:  # str labels, also from an object array
            return values.tolist()
        return np.ascontiguousarray(values, dtype=self.dtype)

    def arrow(self, values: np.ndarray) -> pa.Array:
        if self.rows:
            return _list_array(self._values(values))
        return pa.array(self._values(values),
                        type=pa.string() if self.dtype is None else None)

    def pandas(self, values: np.ndarray) -> pd.Series:
        if self.rows:
            return pd.Series(list(self._values(values)), dtype=object)
        return pd.Series(self._values(values))


def _batch_locator(column: str):
    """``where(position)`` for errors: a batch position means nothing to the user."""
    where = f"A document of column {column!r}"
    return lambda position: where


def _model_udf(model_broadcast, column: str, method: str, output: _Output):
    """The UDF applying ``model.<method>`` to each batch of a column: Arrow-native where
    pyspark has it, else a pandas UDF."""
    where = _batch_locator(column)
    if _ARROW_UDF is not None:

        def arrow_rows(batch: pa.Array) -> pa.Array:
            if batch.null_count:
                _batch_documents(pd.Series([None]), column)  # raises the null-document error
            documents = batch.to_pylist()
            return output.arrow(getattr(model_broadcast.value, method)(documents, where))

        return _ARROW_UDF(arrow_rows, output.spark_type)

    def rows(batch: pd.Series) -> pd.Series:
        documents = _batch_documents(batch, column)
        return output.pandas(getattr(model_broadcast.value, method)(documents, where))

    return F.pandas_udf(rows, output.spark_type)


def _gram_of_partitions(pooler_broadcast):
    """mapInPandas function: one row per partition, the Gram matrix of its pooled rows."""

    def partition_gram(batches):
        pooler, word_index = pooler_broadcast.value
        statistics = None
        for batch in batches:
            token_lists = [tokens.tolist() if isinstance(tokens, np.ndarray) else list(tokens)
                           for tokens in batch[_TOKENS]]
            counts = _pooling.count_matrix(token_lists, word_index)[0]
            part = PoolingStatistics.of_counts(pooler, counts)
            statistics = part if statistics is None else statistics.merge(part)
        if statistics is not None:
            yield pd.DataFrame({"gram": [statistics.gram.ravel()]})

    return partition_gram


# Run on the driver.


def _mllib_vectors(model: Word2VecModel) -> tuple[list, np.ndarray]:
    """Words and float32 vectors of an MLlib model, in the order of ``getVectors()``."""
    frame = model.getVectors().select(
        _WORD, vector_to_array("vector", dtype="float32").alias("vector")
    ).toPandas()
    words = [str(word) for word in frame[_WORD].tolist()]
    if not words:
        return words, np.zeros((0, model.getVectorSize()), dtype=np.float32)
    vectors = np.stack([np.asarray(vector, dtype=np.float32) for vector in frame["vector"]])
    return words, np.ascontiguousarray(vectors, dtype=np.float32)


def from_spark(model: Word2VecModel) -> WordVectors:
    """The word vectors of a fitted MLlib ``Word2VecModel`` as :class:`~skw2v.WordVectors`.

    The vectors are collected to the driver (one row per word, never the corpus), for
    similarity queries, analogy evaluation, :meth:`~skw2v.WordVectors.save` in word2vec
    format, or ``init=`` of an in-memory :class:`~skw2v.Word2VecVectorizer`.

    Parameters
    ----------
    model : pyspark.ml.feature.Word2VecModel
        A fitted MLlib model (from ``pyspark.ml.feature.Word2Vec.fit`` or
        ``Word2VecModel.load``).

    Returns
    -------
    WordVectors
        The words and vectors of ``model.getVectors()``, as float32 (MLlib trains in
        float32, so the values are exact), in the row order of ``getVectors()``: MLlib's
        model keeps no word counts, so ``counts`` is None and the rows are not sorted by
        frequency. Anything that assumes frequency order (the ``restrict_vocab`` of
        :meth:`~skw2v.WordVectors.evaluate_analogies` on a vocabulary larger than it)
        does not hold here; :func:`train_on_spark` gives a sorted vocabulary with counts.

    Raises
    ------
    TypeError
        If ``model`` is not a fitted ``Word2VecModel``.

    See Also
    --------
    train_on_spark : Train MLlib's Word2Vec into a fitted Word2VecVectorizer.

    Examples
    --------
    >>> import os, sys
    >>> os.environ["PYSPARK_PYTHON"] = sys.executable  # Spark's workers run this Python
    >>> from pyspark.sql import SparkSession
    >>> spark = (SparkSession.builder.master("local[2]")
    ...          .config("spark.ui.enabled", "false")
    ...          .config("spark.driver.host", "127.0.0.1")
    ...          .config("spark.driver.bindAddress", "127.0.0.1")
    ...          .config("spark.sql.shuffle.partitions", "4").getOrCreate())
    >>> from pyspark.ml.feature import Word2Vec
    >>> from skw2v.spark import from_spark
    >>> sentences = spark.createDataFrame(
    ...     [("the king rules the kingdom".split(),), ("the queen rules".split(),)] * 20,
    ...     "tokens array<string>")
    >>> model = Word2Vec(vectorSize=8, minCount=1, seed=0, inputCol="tokens").fit(sentences)
    >>> wv = from_spark(model)
    >>> sorted(wv.index_to_word), wv.vectors.shape, wv.vectors.dtype
    (['king', 'kingdom', 'queen', 'rules', 'the'], (5, 8), dtype('float32'))
    >>> [word for word, _ in wv.most_similar("king", topn=2)]  # as MLlib's own answer
    ['the', 'queen']
    >>> [row["word"] for row in model.findSynonyms("king", 2).collect()]
    ['the', 'queen']
    """
    if not isinstance(model, Word2VecModel):
        hint = (" It is the unfitted estimator: fit it first, model = word2vec.fit(df)."
                if isinstance(model, Word2Vec) else "")
        raise TypeError(f"model must be a fitted pyspark.ml.feature.Word2VecModel, got "
                        f"{type(model).__name__}.{hint}")
    words, vectors = _mllib_vectors(model)
    check_finite(vectors, lambda row: f"MLlib's vector of {words[row]!r} (row {row})",
                 "The model's training diverged: retrain it with a lower stepSize.")
    return WordVectors._owning(words, vectors)


def _check_parameter_names(params: dict) -> None:
    valid = set(Word2VecVectorizer().get_params())
    for name in params:
        if name in valid:
            continue
        ours = {mllib: skw2v for skw2v, mllib in _MLLIB_PARAMETERS.items()}.get(name)
        hint = f" Use {ours}={params[name]!r}, skw2v's name for MLlib's {name}." if ours else ""
        raise ValueError(
            f"Invalid parameter {name!r} for train_on_spark.{hint} Valid parameters are: "
            f"n_partitions and the Word2VecVectorizer parameters {sorted(valid)}."
        )


def _check_mllib_can_train(vectorizer: Word2VecVectorizer, params: dict) -> float:
    """Raise for training parameters MLlib cannot honour; return MLlib's final learning rate."""
    problems = []
    if vectorizer.architecture != "skipgram":
        problems.append(
            f"architecture={vectorizer.architecture!r}: MLlib's Word2Vec trains skip-gram only. "
            "Leave architecture unset, or train CBOW on one machine with "
            "Word2VecVectorizer(architecture='cbow').fit(...)."
        )
    if vectorizer.negative != 0:
        problems.append(
            f"negative={vectorizer.negative}: MLlib's Word2Vec trains hierarchical softmax "
            "only, without negative sampling. Leave negative unset (0), or train with "
            "negative sampling on one machine with Word2VecVectorizer.fit."
        )
    if not vectorizer.hs:
        problems.append("hs=False: MLlib's Word2Vec always trains hierarchical softmax. "
                        "Leave hs unset (True).")
    if vectorizer.sample != 0:
        problems.append(
            f"sample={vectorizer.sample}: MLlib's Word2Vec does not subsample frequent words. "
            "Leave sample unset (0.0), or raise min_count to drop rare words instead."
        )
    final_alpha = vectorizer.alpha * _MLLIB_MIN_ALPHA_RATIO
    if "min_alpha" in params and not np.isclose(vectorizer.min_alpha, final_alpha,
                                                rtol=1e-6, atol=0.0):
        problems.append(
            f"min_alpha={vectorizer.min_alpha}: MLlib decays the learning rate linearly from "
            f"alpha to alpha * 1e-4 (here {final_alpha:g}) and cannot be given another final "
            "rate. Leave min_alpha unset."
        )
    if not vectorizer.shrink_windows:
        problems.append(
            "shrink_windows=False: MLlib always draws each position's window uniformly from "
            "1..window, as shrink_windows=True does. Leave shrink_windows unset (True)."
        )
    if vectorizer.max_vocab_size is not None:
        problems.append(
            f"max_vocab_size={vectorizer.max_vocab_size}: MLlib keeps every word seen at "
            "least min_count times and has no vocabulary cap. Raise min_count instead."
        )
    if vectorizer.char_ngram_range is not None:
        problems.append(
            f"char_ngram_range={vectorizer.char_ngram_range}: MLlib's Word2Vec has no subword "
            "(character n-gram) vectors. Train subword vectors on one machine with "
            "Word2VecVectorizer(char_ngram_range=...).fit(...) or with skw2v.dask."
        )
    if vectorizer.init is not None:
        problems.append(
            "init: MLlib's Word2Vec cannot start from pretrained vectors. Fine-tune on one "
            "machine with Word2VecVectorizer(init=...).fit(...), or train without init."
        )
    elif vectorizer.epochs == 0:
        problems.append("epochs=0: MLlib trains at least one epoch (maxIter >= 1); "
                        "set epochs >= 1.")
    if problems:
        raise ValueError("MLlib's Word2Vec cannot train with these parameters:\n- "
                         + "\n- ".join(problems))
    return final_alpha


def _seed(random_state) -> int:
    """MLlib's seed: an int ``random_state`` as it is, else one draw from it."""
    if isinstance(random_state, Integral):
        return int(random_state)
    return int(check_random_state(random_state).randint(np.iinfo(np.int32).max))


def _count_words(tokens_df: DataFrame, min_count: int):
    """Per kept word, on Spark: count, document frequency and first appearance.

    Returns the kept words in order of first appearance (document, then position in it),
    their counts and document frequencies, plus the number of documents and of tokens.
    """
    exploded = tokens_df.select(_DOC, F.posexplode(_TOKENS).alias(_POS, _WORD))
    per_document = exploded.groupBy(_WORD, _DOC).agg(F.count(F.lit(1)).alias("n"),
                                                     F.min(_POS).alias(_POS))
    per_word = per_document.groupBy(_WORD).agg(
        F.sum("n").alias("count"),
        F.count(F.lit(1)).alias("document_frequency"),
        F.min(F.struct(_DOC, _POS)).alias("first"),
    )
    # First the totals: that job tokenizes and caches the documents, and a failing UDF (a
    # null document) fails it plainly, without toPandas' warning about its Arrow path.
    totals = tokens_df.agg(F.count(F.lit(1)).alias("documents"),
                           F.sum(F.size(_TOKENS)).alias("tokens")).first()
    n_documents, n_tokens = int(totals["documents"]), int(totals["tokens"] or 0)
    kept = per_word.filter(F.col("count") >= min_count).select(
        _WORD, "count", "document_frequency",
        F.col(f"first.{_DOC}").alias(_DOC), F.col(f"first.{_POS}").alias(_POS),
    ).toPandas()
    if kept.empty and n_tokens > 0:
        # Nothing passes min_count: hand the most frequent word on, for the error message.
        top = per_word.orderBy(F.desc("count"), F.asc("first")).first()
        kept = pd.DataFrame({_WORD: [top[_WORD]], "count": [top["count"]],
                             "document_frequency": [top["document_frequency"]],
                             _DOC: [0], _POS: [0]})
    order = np.lexsort((kept[_POS].to_numpy(), kept[_DOC].to_numpy()))
    words = [str(word) for word in kept[_WORD].to_numpy(dtype=object)[order]]
    counts = kept["count"].to_numpy(dtype=np.int64)[order]
    document_frequency = kept["document_frequency"].to_numpy(dtype=np.int64)[order]
    return words, counts, document_frequency, n_documents, n_tokens


def train_on_spark(df: DataFrame, input_col: str, *, n_partitions: int = 1,
                   callbacks: list | None = None, **params: Any) -> Word2VecVectorizer:
    """Train MLlib's Word2Vec on a Spark DataFrame column into a fitted Word2VecVectorizer.

    The documents are tokenized on the executors with the vectorizer's own analyzer (the
    same :meth:`~skw2v.Word2VecVectorizer.build_analyzer` that ``transform`` uses, so
    training and transform split text the same way), then MLlib's distributed Word2Vec
    (:class:`pyspark.ml.feature.Word2Vec`) learns the vectors. Word counts, first
    appearances and document frequencies are computed on Spark too; the corpus is never
    collected to the driver. The result is a fitted :class:`~skw2v.Word2VecVectorizer`, the
    same as after ``fit`` on the same documents except for the vectors themselves: same
    vocabulary in the same order (descending count, ties in reverse order of first
    appearance), same counts, idf and SIF component rules.

    Parameters
    ----------
    df : pyspark.sql.DataFrame
        The documents, one per row. The order of the rows (partition by partition) is the
        order in which words first appear, which breaks ties in the vocabulary order.
    input_col : str
        The column of documents: strings, or with ``analyzer="pretokenized"`` an
        ``array<string>`` column of tokens. Null documents raise an error, as ``fit`` does.
    n_partitions : int, default=1
        MLlib's ``numPartitions``: each epoch, every partition trains its own copy of the
        weights on its share of the sentences, and the copies are merged. More partitions
        train in parallel, but MLlib recommends a small number for accuracy.
    callbacks : list of scikit-learn callbacks, default=None
        Set on the vectorizer (``set_callbacks``, scikit-learn >= 1.9) before the fit, so
        they see it as they see :meth:`~skw2v.Word2VecVectorizer.fit`. MLlib reports no
        epochs: the callbacks see the fit task alone.
    **params : dict
        :class:`~skw2v.Word2VecVectorizer` parameters, validated as the estimator does.
        ``vector_size``, ``window``, ``min_count``, ``epochs``, ``alpha`` and
        ``random_state`` set MLlib's ``vectorSize``, ``windowSize``, ``minCount``,
        ``maxIter``, ``stepSize`` and ``seed`` (an int as it is; None or a RandomState
        draws one int); the defaults are the estimator's. The text parameters (``analyzer``,
        ``lowercase``, ``token_pattern``, ``tokenizer``, ``preprocessor``) and the pooling
        parameters (``pooling``, ``norm``, ``sif_smoothing``, ``sif_remove_component``)
        act as in the estimator. Parameters of the training that MLlib cannot honour raise
        an error; see Notes.

    Returns
    -------
    Word2VecVectorizer
        Fitted: ``wv_`` (MLlib's vectors, float32, most frequent word first),
        ``vocabulary_``, ``corpus_document_count_``, ``corpus_token_count_``, ``idf_``,
        ``sif_component_`` and ``loss_history_`` (empty: MLlib reports no loss). Its
        parameters describe what MLlib trained: ``architecture="skipgram"``,
        ``negative=0``, ``hs=True``, ``sample=0.0`` and ``min_alpha=alpha * 1e-4``, so a
        clone refitted in memory (for example by ``Pipeline.fit``) trains the same model
        family with the Numba engine. Wrap it in :class:`sklearn.frozen.FrozenEstimator`
        (scikit-learn >= 1.6) to use it in a Pipeline without refitting.

    Raises
    ------
    ValueError
        For an unknown parameter, a parameter MLlib cannot honour, a missing column, or a
        corpus without words passing ``min_count``.
    TypeError
        If ``df`` is not a Spark DataFrame or the column type does not suit the analyzer.

    See Also
    --------
    transform : Pool a DataFrame column into document vectors on the executors.
    from_spark : The vectors of an MLlib Word2VecModel trained otherwise.
    skw2v.Word2VecVectorizer : Trains on one machine with the Numba engine.

    Notes
    -----
    Parameters passed to MLlib's ``pyspark.ml.feature.Word2Vec``:

    ================  ==================  ===============================================
    skw2v             MLlib               default here
    ================  ==================  ===============================================
    ``vector_size``   ``vectorSize``      100
    ``window``        ``windowSize``      5
    ``min_count``     ``minCount``        5
    ``epochs``        ``maxIter``         5 (MLlib's own default is 1)
    ``alpha``         ``stepSize``        0.025
    ``random_state``  ``seed``            None: one int drawn with ``check_random_state``
    ``n_partitions``  ``numPartitions``   1
    ================  ==================  ===============================================

    MLlib's Word2Vec trains skip-gram with hierarchical softmax, without negative sampling
    or subsampling of frequent words; its learning rate decays linearly from ``alpha`` to
    ``alpha * 1e-4``, and each position's window is drawn uniformly from ``1..window``.
    Hence ``architecture="cbow"``, ``negative > 0``, ``hs=False``, ``sample > 0``, a
    ``min_alpha`` other than ``alpha * 1e-4``, ``shrink_windows=False``,
    ``max_vocab_size`` (MLlib has no vocabulary cap), ``char_ngram_range`` (MLlib has no
    subword vectors), ``init`` (MLlib cannot start from pretrained vectors) and
    ``epochs=0`` raise a ValueError that names each of them.
    Parameters that only act in modes MLlib does not train (``ns_exponent`` with negative
    sampling, ``cbow_mean`` with CBOW, ``n_buckets`` with subwords, ``init_vocabulary`` and
    ``freeze_init`` with ``init``) and those of the Numba engine (``n_jobs``) are accepted
    and kept, as the in-memory estimator accepts them: they matter only if the estimator is
    refitted in memory. ``verbose >= 1`` prints the corpus size and the counting and
    training times.

    MLlib splits documents longer than ``maxSentenceLength=1000`` kept tokens into pieces
    of 1000 tokens whose windows do not cross (``Word2VecVectorizer.fit`` trains long
    documents whole); counts, idf and ``transform`` use whole documents.

    The tokenized column is cached (memory, then disk) while the function runs, so the
    input is read and tokenized once. With an int ``random_state`` and ``n_partitions=1``,
    MLlib's vectors are the same on every run over the same partitioning of ``df``; with
    ``n_partitions > 1`` the merged copies of the weights may differ from run to run.

    Examples
    --------
    >>> import os, sys
    >>> os.environ["PYSPARK_PYTHON"] = sys.executable  # Spark's workers run this Python
    >>> from pyspark.sql import SparkSession
    >>> spark = (SparkSession.builder.master("local[2]")
    ...          .config("spark.ui.enabled", "false")
    ...          .config("spark.driver.host", "127.0.0.1")
    ...          .config("spark.driver.bindAddress", "127.0.0.1")
    ...          .config("spark.sql.shuffle.partitions", "4").getOrCreate())
    >>> from skw2v.spark import train_on_spark
    >>> docs = spark.createDataFrame(
    ...     [("The king rules the kingdom",), ("The queen rules the kingdom",)] * 30,
    ...     "text string")
    >>> model = train_on_spark(docs, "text", vector_size=8, min_count=1, epochs=1,
    ...                        random_state=0)
    >>> model.wv_.index_to_word
    ['the', 'kingdom', 'rules', 'queen', 'king']
    >>> model.get_params()["architecture"], model.get_params()["hs"]
    ('skipgram', True)
    >>> model.transform(["the queen rules"]).shape
    (1, 8)
    """
    _check_parameter_names(params)
    vectorizer = Word2VecVectorizer(**{**_MLLIB_TRAINING, **params})
    _driver.check_parameters(vectorizer)
    final_alpha = _check_mllib_can_train(vectorizer, params)
    if "min_alpha" not in params:
        vectorizer.set_params(min_alpha=final_alpha)
    if (not isinstance(n_partitions, Integral) or isinstance(n_partitions, bool)
            or n_partitions < 1):
        raise ValueError(f"n_partitions must be an int >= 1 (MLlib's numPartitions), got "
                         f"{n_partitions!r}.")
    _check_input_column(df, input_col, vectorizer.analyzer)
    trainer = _MLlibTrainer(params, n_partitions, vectorizer.random_state)
    set_callbacks(vectorizer, callbacks)
    _driver.fit_with_callbacks(vectorizer, _SparkSource(df, input_col), trainer)
    if vectorizer.verbose:
        print(f"train_on_spark: {vectorizer.corpus_document_count_:,} documents, "
              f"{vectorizer.corpus_token_count_:,} tokens, {len(vectorizer.wv_):,} words "
              f"(counted in {trainer.started - trainer.counted_from:.1f} s); MLlib Word2Vec, "
              f"{vectorizer.epochs} epochs on {n_partitions} partitions, trained in "
              f"{trainer.trained - trainer.started:.1f} s")
    return vectorizer


class _SparkSource:
    """A Spark DataFrame column (see :mod:`skw2v._sources`): tokenized on the executors with
    the vectorizer's analyzer and cached while the fit runs; words, counts, first
    appearances and document frequencies are counted on Spark. Nothing is collected to the
    driver but the kept words' counts."""

    def __init__(self, df, input_col):
        self.X = df
        self.input_col = input_col

    def input_columns(self):
        return {}

    def read(self, plan):
        return _SparkCorpus(self.X, self.input_col, plan.tokenizer, plan.min_count)


class _SparkCorpus:
    vocabulary = ids = encoded = None
    n_chunks = 0

    def __init__(self, df, input_col, tokenizer, min_count):
        self.started = time.perf_counter()
        self.sc = _spark_context(df)
        self.analyzer = self.sc.broadcast(_CloudPickled(tokenizer))
        self.tokens_df = None
        try:
            tokenize = _tokenizer_udf(self.analyzer, input_col)
            self.tokens_df = df.select(F.monotonically_increasing_id().alias(_DOC),
                                       tokenize(_column(input_col)).alias(_TOKENS)).persist()
            (self.words, self.counts, self.document_frequency, self.n_documents,
             self.n_tokens) = _count_words(self.tokens_df, min_count)
        except BaseException:
            self.close()
            raise

    def encode(self, vocabulary, ids):
        return ids  # MLlib reads the tokenized column on Spark

    def fit_pooler(self, pooler, ids, *, return_pooled=False):
        frequency = np.zeros(ids.n_rows, dtype=np.int64)
        counted = ids.rows >= 0
        frequency[ids.rows[counted]] = self.document_frequency[counted]
        statistics = PoolingStatistics(frequency, self.n_documents, None)
        if pooler.plan.remove_component:
            statistics.gram = _gram_on_spark(self.tokens_df, pooler, self.sc)
        return pooler.fitted(statistics), None

    def close(self):
        if self.tokens_df is not None:
            self.tokens_df.unpersist()
        self.analyzer.unpersist()

    def __enter__(self):
        return self

    def __exit__(self, *exc_info):
        self.close()


class _MLlibTrainer(_driver.WordVectorFit):
    """MLlib's distributed Word2Vec (see :mod:`skw2v._trainers`); it reports no epochs, so
    the callbacks see the fit task alone."""

    def __init__(self, params, n_partitions, random_state):
        self.params = params
        self.n_partitions = n_partitions
        self.random_state = random_state
        self.counted_from = self.started = self.trained = time.perf_counter()

    def check(self, estimator):
        _check_mllib_can_train(estimator, self.params)

    def n_epochs(self, plan):
        return 0

    def train(self, plan, corpus, vocabulary, ids, progress=None, attributes_at=None):
        self.counted_from, self.started = corpus.started, time.perf_counter()
        config = plan.config
        if len(vocabulary.words) * config.vector_size >= np.iinfo(np.int32).max:
            raise ValueError(
                f"{len(vocabulary.words):,} words x vector_size={config.vector_size} "
                "exceeds MLlib's limit of 2**31 - 1 weights per matrix. Raise min_count or "
                "lower vector_size."
            )
        mllib = Word2Vec(
            vectorSize=config.vector_size, windowSize=config.window,
            minCount=plan.min_count, maxIter=config.epochs,
            stepSize=config.alpha, seed=_seed(self.random_state),
            numPartitions=int(self.n_partitions), inputCol=_TOKENS,
        )
        model = mllib.fit(corpus.tokens_df.select(_TOKENS))
        self.trained = time.perf_counter()
        mllib_words, mllib_vectors = _mllib_vectors(model)
        rows = pd.Index(mllib_words, dtype=object).get_indexer(
            pd.Index(vocabulary.words, dtype=object))
        if len(mllib_words) != len(vocabulary.words) or np.any(rows < 0):
            missing = [w for w, r in zip(vocabulary.words, rows, strict=True) if r < 0][:5]
            raise RuntimeError(
                f"MLlib's vocabulary ({len(mllib_words)} words) differs from the one counted "
                f"on Spark ({len(vocabulary.words)} words; missing from MLlib's: {missing}). "
                "This is a bug in skw2v.spark; please report it."
            )
        vectors = np.ascontiguousarray(mllib_vectors[rows], dtype=np.float32)
        check_finite(vectors, lambda row: f"MLlib's vector of {vocabulary.words[row]!r}",
                     "MLlib's training diverged: lower alpha (stepSize).")
        return WordVectors._owning(vocabulary.words, vectors, counts=vocabulary.counts), []


def _gram_on_spark(tokens_df: DataFrame, pooler: Pooler,
                   sc: SparkContext) -> np.ndarray:
    """Sum over the partitions of the Gram matrix of their pooled, uncorrected documents."""
    size = pooler.wv.vector_size
    word_index = pd.Index(pooler.wv.index_to_word, dtype=object)
    broadcast = sc.broadcast(_CloudPickled((pooler, word_index)))
    try:
        rows = (tokens_df.select(_TOKENS)
                .mapInPandas(_gram_of_partitions(broadcast), "gram array<double>")
                .collect())
    finally:
        broadcast.unpersist()
    gram = np.zeros((size, size))
    for row in rows:
        gram += np.asarray(row["gram"], dtype=np.float64).reshape(size, size)
    return gram


def _check_model(model, name: str, types: tuple) -> None:
    """``model`` is a fitted instance of one of ``types``, else an error saying what to do."""
    if not isinstance(model, types):
        expected = " or ".join(cls.__name__ for cls in types)
        if isinstance(model, Word2VecVectorizer):
            hint = (" A vectorizer does not classify: add its features with "
                    "skw2v.spark.transform, or pass a fitted Word2VecClassifier.")
        elif hasattr(model, "named_steps"):
            hint = (" For a Pipeline, pass its skw2v step, e.g. pipe.named_steps['w2v'], and "
                    "apply the later steps to the collected features.")
        else:
            hint = ""
        raise TypeError(f"{name} must be a fitted {expected}, got "
                        f"{type(model).__name__}.{hint}")
    check_is_fitted(model, "wv_")


def _check_output_column(df: DataFrame, output_col) -> None:
    if not isinstance(output_col, str):
        raise TypeError(f"output_col must be a column name (str), got "
                        f"{type(output_col).__name__} {output_col!r}.")
    if output_col in df.columns:
        raise ValueError(f"output_col={output_col!r} is already a column of the DataFrame; "
                         f"choose another name or drop it first, df.drop({output_col!r}).")


def _with_model_column(model, df: DataFrame, input_col: str, output_col: str, method: str,
                       output: _Output) -> DataFrame:
    """``df`` with ``output_col``: ``model.<method>`` of ``input_col``, on the executors."""
    _check_input_column(df, input_col, model.analyzer)
    _check_output_column(df, output_col)
    getattr(model, method)([])  # settings changed after fit fail here, not on the executors
    sc = _spark_context(df)
    udf = _model_udf(sc.broadcast(_CloudPickled(model)), input_col, method, output)
    return df.withColumn(output_col, udf(_column(input_col)))


def _label_output(classes: np.ndarray) -> _Output:
    """The Spark column of ``classes``' labels, or a TypeError saying what to do."""
    kind = classes.dtype.kind
    if kind == "U" or (kind == "O" and all(isinstance(label, str) for label in classes)):
        return _Output(T.StringType(), None, rows=False)
    if kind == "b":
        return _Output(T.BooleanType(), np.bool_, rows=False)
    if kind in "iu" and (kind == "i" or classes.max() <= np.iinfo(np.int64).max):
        return _Output(T.LongType(), np.int64, rows=False)
    if kind == "f":
        if classes.dtype.itemsize <= 4:
            return _Output(T.FloatType(), np.float32, rows=False)
        return _Output(T.DoubleType(), np.float64, rows=False)
    raise TypeError(
        f"classifier.classes_ are {classes.dtype} ({classes[:3].tolist()}...), which have no "
        "Spark column type. Refit with labels that are str, int, float or bool (e.g. "
        "y.astype(str)), or add the probabilities with skw2v.spark.predict_proba."
    )


def transform(model: Word2VecVectorizer | Word2VecClassifier, df: DataFrame, input_col: str,
              output_col: str = "features") -> DataFrame:
    """Add a column of document vectors, computed on the executors.

    The fitted estimator is broadcast once; a vectorized Arrow UDF (``arrow_udf`` on
    pyspark >= 4.1, a pandas UDF on older versions) applies it to each batch of rows, so
    every row equals ``model.transform`` of its document in memory.

    Parameters
    ----------
    model : Word2VecVectorizer or Word2VecClassifier
        A fitted vectorizer (its pooled document vectors), from :func:`train_on_spark` or
        from ``fit`` in memory, or a fitted classifier (its document embeddings, the rows
        its linear layer reads).
    df : pyspark.sql.DataFrame
        The documents, one per row.
    input_col : str
        The column of documents: strings, or with ``analyzer="pretokenized"`` an
        ``array<string>`` column of tokens. Null documents raise an error when the column
        is computed.
    output_col : str, default="features"
        Name of the new ``array<float>`` column; it must not exist yet. For MLlib estimators,
        convert it with ``pyspark.ml.functions.array_to_vector``.

    Returns
    -------
    pyspark.sql.DataFrame
        ``df`` with ``output_col`` appended (evaluated lazily, like any Spark column).

    Raises
    ------
    sklearn.exceptions.NotFittedError
        If ``model`` is not fitted.
    ValueError
        If ``input_col`` is missing, ``output_col`` exists, or pooling settings changed
        after fit need a refit.
    TypeError
        If ``model`` is neither a Word2VecVectorizer nor a Word2VecClassifier, or the column
        type does not suit its analyzer.

    See Also
    --------
    train_on_spark : Train on a Spark DataFrame.
    predict : Add a column of a classifier's predicted labels.
    skw2v.Word2VecVectorizer.transform : The same in memory.

    Examples
    --------
    >>> import os, sys
    >>> os.environ["PYSPARK_PYTHON"] = sys.executable  # Spark's workers run this Python
    >>> from pyspark.sql import SparkSession
    >>> spark = (SparkSession.builder.master("local[2]")
    ...          .config("spark.ui.enabled", "false")
    ...          .config("spark.driver.host", "127.0.0.1")
    ...          .config("spark.driver.bindAddress", "127.0.0.1")
    ...          .config("spark.sql.shuffle.partitions", "4").getOrCreate())
    >>> from skw2v import Word2VecVectorizer
    >>> from skw2v.spark import transform
    >>> model = Word2VecVectorizer(vector_size=8, min_count=1, random_state=0).fit(
    ...     ["red green blue", "green blue red", "cat dog", "dog cat"] * 30)
    >>> df = spark.createDataFrame([(1, "red blue"), (2, "a purple cat")], "id long, text string")
    >>> out = transform(model, df, "text", output_col="features")
    >>> out.schema["features"].dataType.simpleString()
    'array<float>'
    >>> import numpy as np
    >>> rows = {row["id"]: row["features"] for row in out.collect()}
    >>> np.allclose(rows[1], model.transform(["red blue"])[0])
    True
    """
    _check_model(model, "model", (Word2VecVectorizer, Word2VecClassifier))
    return _with_model_column(model, df, input_col, output_col, "_transform",
                              _Output(T.ArrayType(T.FloatType()), np.float32, rows=True))


def predict(classifier: Word2VecClassifier, df: DataFrame, input_col: str,
            output_col: str = "prediction") -> DataFrame:
    """Add a column of the classes a fitted classifier predicts, computed on the executors.

    The fitted classifier is broadcast once; a vectorized Arrow UDF (``arrow_udf`` on
    pyspark >= 4.1, a pandas UDF on older versions) applies it to each batch of rows, so
    every row equals ``classifier.predict`` of its document in memory.

    Parameters
    ----------
    classifier : Word2VecClassifier
        A fitted classifier.
    df : pyspark.sql.DataFrame
        The documents, one per row.
    input_col : str
        The column of documents: strings, or with ``analyzer="pretokenized"`` an
        ``array<string>`` column of tokens. Null documents raise an error when the column
        is computed.
    output_col : str, default="prediction"
        Name of the new column; it must not exist yet. Its type follows
        ``classifier.classes_``: ``string`` for str labels, ``bigint`` for ints, ``double``
        (``float`` for float32) for floats, ``boolean`` for bools; for a multi-label
        classifier, ``array<int>`` with one 0/1 per label (in the order of ``classes_``).

    Returns
    -------
    pyspark.sql.DataFrame
        ``df`` with ``output_col`` appended (evaluated lazily, like any Spark column).

    Raises
    ------
    sklearn.exceptions.NotFittedError
        If ``classifier`` is not fitted.
    ValueError
        If ``input_col`` is missing or ``output_col`` exists.
    TypeError
        If ``classifier`` is not a Word2VecClassifier, its classes have no Spark type, or the
        column type does not suit its analyzer.

    See Also
    --------
    predict_proba : Add a column of class probabilities.
    skw2v.Word2VecClassifier.predict : The same in memory.

    Examples
    --------
    >>> import os, sys
    >>> os.environ["PYSPARK_PYTHON"] = sys.executable  # Spark's workers run this Python
    >>> from pyspark.sql import SparkSession
    >>> spark = (SparkSession.builder.master("local[2]")
    ...          .config("spark.ui.enabled", "false")
    ...          .config("spark.driver.host", "127.0.0.1")
    ...          .config("spark.driver.bindAddress", "127.0.0.1")
    ...          .config("spark.sql.shuffle.partitions", "4").getOrCreate())
    >>> from skw2v import Word2VecClassifier
    >>> from skw2v.spark import predict
    >>> X = ["a great and moving film", "great acting", "a dull boring mess",
    ...      "boring and slow"] * 20
    >>> y = ["pos", "pos", "neg", "neg"] * 20
    >>> clf = Word2VecClassifier(n_jobs=1, random_state=0).fit(X, y)
    >>> df = spark.createDataFrame([(1, "a great film"), (2, "so boring")],
    ...                            "id long, text string")
    >>> out = predict(clf, df, "text")
    >>> out.schema["prediction"].dataType.simpleString()
    'string'
    >>> sorted((row["id"], row["prediction"]) for row in out.collect())
    [(1, 'pos'), (2, 'neg')]
    """
    _check_model(classifier, "classifier", (Word2VecClassifier,))
    if classifier._model.multilabel:
        output = _Output(T.ArrayType(T.IntegerType()), np.int32, rows=True)
    else:
        output = _label_output(classifier.classes_)
    return _with_model_column(classifier, df, input_col, output_col, "_predict", output)


def predict_proba(classifier: Word2VecClassifier, df: DataFrame, input_col: str,
                  output_col: str = "probability") -> DataFrame:
    """Add a column of class probabilities, computed on the executors.

    The fitted classifier is broadcast once; a vectorized Arrow UDF (``arrow_udf`` on
    pyspark >= 4.1, a pandas UDF on older versions) applies it to each batch of rows, so
    every row equals ``classifier.predict_proba`` of its document in memory.

    Parameters
    ----------
    classifier : Word2VecClassifier
        A fitted classifier.
    df : pyspark.sql.DataFrame
        The documents, one per row.
    input_col : str
        The column of documents: strings, or with ``analyzer="pretokenized"`` an
        ``array<string>`` column of tokens. Null documents raise an error when the column
        is computed.
    output_col : str, default="probability"
        Name of the new ``array<double>`` column, one probability per class in the order
        of ``classifier.classes_``; it must not exist yet. For MLlib, convert it with
        ``pyspark.ml.functions.array_to_vector``.

    Returns
    -------
    pyspark.sql.DataFrame
        ``df`` with ``output_col`` appended (evaluated lazily, like any Spark column).

    Raises
    ------
    sklearn.exceptions.NotFittedError
        If ``classifier`` is not fitted.
    ValueError
        If ``input_col`` is missing or ``output_col`` exists.
    TypeError
        If ``classifier`` is not a Word2VecClassifier or the column type does not suit its
        analyzer.

    See Also
    --------
    predict : Add a column of predicted labels.
    skw2v.Word2VecClassifier.predict_proba : The same in memory.

    Examples
    --------
    >>> import os, sys
    >>> os.environ["PYSPARK_PYTHON"] = sys.executable  # Spark's workers run this Python
    >>> from pyspark.sql import SparkSession
    >>> spark = (SparkSession.builder.master("local[2]")
    ...          .config("spark.ui.enabled", "false")
    ...          .config("spark.driver.host", "127.0.0.1")
    ...          .config("spark.driver.bindAddress", "127.0.0.1")
    ...          .config("spark.sql.shuffle.partitions", "4").getOrCreate())
    >>> from skw2v import Word2VecClassifier
    >>> from skw2v.spark import predict_proba
    >>> X = ["a great and moving film", "great acting", "a dull boring mess",
    ...      "boring and slow"] * 20
    >>> y = ["pos", "pos", "neg", "neg"] * 20
    >>> clf = Word2VecClassifier(n_jobs=1, random_state=0).fit(X, y)
    >>> df = spark.createDataFrame([(1, "a great film")], "id long, text string")
    >>> out = predict_proba(clf, df, "text")
    >>> out.schema["probability"].dataType.simpleString()
    'array<double>'
    >>> import numpy as np
    >>> np.allclose(out.first()["probability"], clf.predict_proba(["a great film"])[0])
    True
    """
    _check_model(classifier, "classifier", (Word2VecClassifier,))
    return _with_model_column(classifier, df, input_col, output_col, "_predict_proba",
                              _Output(T.ArrayType(T.DoubleType()), np.float64, rows=True))
