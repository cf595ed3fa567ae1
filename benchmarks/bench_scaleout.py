"""Acceptance benchmark of the scale-out front ends, skw2v.dask and skw2v.spark, on 2 cores.

    python benchmarks/bench_scaleout.py                  # everything, 15-18 minutes on 2 cores
    python benchmarks/bench_scaleout.py --quick          # smoke run, ~2 minutes
    python benchmarks/bench_scaleout.py --dim 50         # all systems train at dim 50
    python benchmarks/bench_scaleout.py --only transform --engine dask --engine local

One run prints two tables.

Transform: the 12,808 Rotten Tomatoes snippets, replicated to at least 1,000,000 rows
(``--rows``), are pooled (dim 100, mean pooling) by one vectorizer fitted beforehand on the
snippets (min_count 2, 5 epochs), three ways:

- in memory: ``vectorizer.transform(docs)`` on a Python list (one thread: transform is
  single-threaded); timed: that call.
- ``skw2v.dask.transform`` on ``LocalCluster(n_workers=2, threads_per_worker=1,
  processes=True)``: the documents are a dask Series of ``--partitions`` partitions,
  scattered to the workers and persisted (waited for) before the clock starts, and every
  worker has loaded skw2v and pooled a few documents (``client.run``). Timed: building the graph
  (``skw2v.dask.transform`` plus a ``map_partitions`` that reduces each partition's pooled
  rows to its row count and sum) and ``.compute()`` of it, which ships the vectorizer to the
  workers, pools every partition there and brings back one small row per partition; the row
  counts are checked to add up to the number of documents.
- ``skw2v.spark.transform`` on a ``local[2]`` SparkSession: the documents are a DataFrame
  (id, text) of ``--partitions`` partitions, cached and counted before the clock starts, and
  the Python workers have pooled a few documents (an untimed transform of 100 rows). Timed:
  ``transform(...)`` (which broadcasts the vectorizer) and
  ``.write.format("noop").mode("overwrite").save()``, which computes every row.

Each is the best of ``--repeat`` calls; docs/s is the number of rows over that time, and the
ratio is to in memory. Once, untimed, each engine pools every 500th row of its input (the
persisted or cached one, so the sample spans all partitions) and its rows are compared with
``vectorizer.transform`` of the same documents in memory: "max |diff|" is the largest
absolute difference.

Training: 20 Newsgroups (18,821 posts, all subsets), vector_size ``--dim`` (default 100:
MLlib finishes 5 epochs at dim 100 in about 5 minutes on 2 cores, so all three systems train
at 100; ``--dim 50`` shortens MLlib's run), window 5, min_count 5, 5 epochs, alpha 0.025,
seed 0:

- gensim ``Word2Vec(workers=2)``: skip-gram, 5 negatives, sample 1e-3 (its defaults), on
  token lists made beforehand by the vectorizer's analyzer
  (``Word2VecVectorizer().build_analyzer()``, untimed);
- skw2v ``Word2VecVectorizer(n_jobs=2).fit(texts)``: the same settings (its defaults), from
  the raw strings (tokenizing is inside the timed call);
- ``skw2v.dask.fit`` of the same estimator on the LocalCluster above, the posts a dask Series
  of 8 partitions already on the workers (scattered, persisted): counting and encoding on the
  workers, training on 2 threads in the client's process;
- ``skw2v.spark.train_on_spark(df, "text", n_partitions=2)``: MLlib's Word2Vec, skip-gram with
  hierarchical softmax and no subsampling (all MLlib has), on a ``local[2]`` session; the
  input DataFrame (2 partitions) is cached and counted first. The call includes tokenizing
  (pandas UDF) and counting on Spark; the split is printed under the table.

The Spark session (both parts): ``local[2]``, UI off, driver host and bind address
127.0.0.1, driver memory 4g, ``spark.sql.shuffle.partitions`` 4, Arrow on, and
``PYSPARK_PYTHON`` = ``PYSPARK_DRIVER_PYTHON`` = this Python.

Only the training call is timed, after a warm-up fit on 100 posts (1 epoch, min_count 1) that
absorbs Numba compilation and the JVM's first runs; starting the JVM or the cluster is not
timed. Words/s is the raw tokens of the corpus (the analyzer's tokens, the same numerator for
every system) times the epochs over the wall time of the call; the ratio is to gensim. The
vectors are scored by benchmarks/bench_training.py's evaluators (gensim's, on Google analogies,
WordSim-353 and SimLex-999), so the numbers compare with that benchmark's.

Every engine runs in its own fresh process (in memory and skw2v fit; gensim; Dask: one
cluster for transform and fit; Spark: one session for both). "cpu" is the share of the
machine's CPU time used by that process and everything it started (workers, JVM, Python
workers) during the timed call, 100% being every core busy; "others" is the share used by
every other process: timings taken while it is above a few percent are not comparable.
"""

from __future__ import annotations

import argparse
import collections
import contextlib
import io
import json
import math
import os
import pickle
import re
import subprocess
import sys
import tempfile
import time
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))  # benchmark the checkout, installed or not
sys.path.insert(1, str(Path(__file__).resolve().parent))

from bench_training import cpu_seconds, evaluate, machine_info  # noqa: E402

ENGINES = ("local", "gensim", "dask", "spark")  # one process each
PARTS = ("transform", "training")
TRANSFORM_ENGINES = ("local", "dask", "spark")
TRAINING_SYSTEMS = ("gensim", "local", "dask", "spark")
TRANSFORM_MODEL = dict(vector_size=100, min_count=2, epochs=5, n_jobs=2, random_state=0)
SAMPLE_STEP = 500  # every 500th row is compared with the in-memory rows
TRAIN_PARTITIONS = 8  # partitions of the dask Series of posts
GENSIM_MAX_WORDS = 10_000  # gensim trains only the first 10,000 tokens of a document
LABELS = {
    "transform": {
        "local": "in memory, vectorizer.transform",
        "dask": "skw2v.dask.transform, LocalCluster 2x1",
        "spark": "skw2v.spark.transform, local[2]",
    },
    "training": {
        "gensim": "gensim Word2Vec, workers=2",
        "local": "skw2v fit, n_jobs=2",
        "dask": "skw2v.dask.fit, LocalCluster 2x1, n_jobs=2",
        "spark": "skw2v.spark.train_on_spark (MLlib), local[2]",
    },
}
MODELS = {"gensim": "SG NS", "local": "SG NS", "dask": "SG NS", "spark": "SG HS"}


PROGRESS = "bench_scaleout: "  # child's stderr lines that the parent passes on
STARTED = time.perf_counter()


def progress(message: str) -> None:
    print(f"{PROGRESS}{time.perf_counter() - STARTED:6.1f} s  {message}", file=sys.stderr,
          flush=True)


# --- measuring --------------------------------------------------------------------------------


def tree_cpu_seconds(root: int) -> float:
    """CPU seconds of process ``root`` and all its live descendants (and the children they
    reaped); NaN where /proc is missing."""
    children, ticks = {}, {}
    try:
        entries = [e.name for e in os.scandir("/proc") if e.name.isdigit()]
    except OSError:
        return float("nan")
    for name in entries:
        try:
            with open(f"/proc/{name}/stat") as f:
                stat = f.read()
        except OSError:
            continue  # ended meanwhile
        fields = stat[stat.rindex(")") + 2:].split()  # from field 3 (state) on
        children.setdefault(int(fields[1]), []).append(int(name))
        ticks[int(name)] = sum(map(int, fields[11:15]))  # utime stime cutime cstime
    total, todo = 0, [root]
    while todo:
        pid = todo.pop()
        total += ticks.get(pid, 0)
        todo += children.get(pid, [])
    return total / os.sysconf("SC_CLK_TCK")


def timed(function):
    """Call ``function()``; return its result and dict(seconds, cpu, others)."""
    machine, _ = cpu_seconds()
    ours = tree_cpu_seconds(os.getpid())
    start = time.perf_counter()
    result = function()
    seconds = time.perf_counter() - start
    machine = cpu_seconds()[0] - machine
    ours = tree_cpu_seconds(os.getpid()) - ours
    capacity = seconds * os.cpu_count()
    return result, dict(seconds=seconds, cpu=ours / capacity,
                        others=max(0.0, (machine - ours) / capacity))


def best_of(repeat: int, function) -> tuple:
    """The result and timing of the fastest of ``repeat`` calls."""
    best = None
    for _ in range(repeat):
        result, timing = timed(function)
        if best is None or timing["seconds"] < best[1]["seconds"]:
            best = result, timing
    return best


# --- data ---------------------------------------------------------------------------------


def transform_documents(rows: int, data_home: str | None) -> list[str]:
    """The Rotten Tomatoes snippets repeated until there are at least ``rows`` of them."""
    from skw2v.datasets import fetch_rotten_tomatoes

    texts = fetch_rotten_tomatoes(as_frame=True, data_home=data_home).frame["text"].tolist()
    return texts * math.ceil(rows / len(texts))


def training_documents(quick: bool, data_home: str | None) -> list[str]:
    from skw2v.datasets import fetch_20newsgroups_corpus

    texts = fetch_20newsgroups_corpus(data_home=data_home).data
    return texts[: len(texts) // 10] if quick else texts


def training_params(spec: dict, **changes) -> dict:
    params = dict(vector_size=spec["dim"], window=5, min_count=5, epochs=spec["epochs"],
                  random_state=0)
    return dict(params, **changes)


def sample_positions(n: int) -> list[int]:
    return list(range(0, n, SAMPLE_STEP))


def max_abs_diff(vectorizer, docs: list, positions, rows) -> float:
    import numpy as np

    expected = vectorizer.transform([docs[i] for i in positions])
    return float(np.abs(np.asarray(rows, dtype=np.float64) - expected).max())


def scores(words, vectors, spec: dict) -> dict:
    return dict(evaluate(list(words), vectors, spec["files"]), vocab=len(words))


# --- child: the in-memory engine (transform and skw2v fit) -----------------------------------


def local_transform(spec: dict) -> dict:
    with open(spec["vectorizer"], "rb") as f:
        vectorizer = pickle.load(f)
    docs = transform_documents(spec["rows"], spec["data_home"])
    vectorizer.transform(docs[:100])  # warm-up: Numba compilation or cache loading
    progress(f"in-memory transform of {len(docs):,} rows")
    rows, timing = best_of(spec["repeat"], lambda: vectorizer.transform(docs))
    assert rows.shape == (len(docs), vectorizer.wv_.vector_size), rows.shape
    return dict(timing, docs=len(docs), diff=None)  # the reference itself


def local_training(spec: dict) -> dict:
    from skw2v import Word2VecVectorizer

    texts = training_documents(spec["quick"], spec["data_home"])
    start = time.perf_counter()
    Word2VecVectorizer(**training_params(spec, epochs=1, min_count=1, n_jobs=2)).fit(texts[:100])
    warmup = time.perf_counter() - start
    model = Word2VecVectorizer(**training_params(spec, n_jobs=2))
    progress("skw2v fit")
    _, timing = timed(lambda: model.fit(texts))
    return dict(timing, warmup=warmup, **scores(model.wv_.index_to_word, model.wv_.vectors, spec))


# --- child: gensim ------------------------------------------------------------------------------


def gensim_training(spec: dict) -> dict:
    from gensim.models import Word2Vec

    from skw2v import Word2VecVectorizer

    analyzer = Word2VecVectorizer().build_analyzer()
    docs = [analyzer(text) for text in training_documents(spec["quick"], spec["data_home"])]
    params = training_params(spec)
    params = dict(vector_size=params["vector_size"], window=params["window"],
                  min_count=params["min_count"], epochs=params["epochs"],
                  seed=params["random_state"], workers=2, sg=1, hs=0, negative=5, sample=1e-3)
    start = time.perf_counter()
    Word2Vec(sentences=docs[:100], **dict(params, epochs=1, min_count=1))
    warmup = time.perf_counter() - start
    progress("gensim Word2Vec")
    model, timing = timed(lambda: Word2Vec(sentences=docs, **params))
    return dict(timing, warmup=warmup, **scores(model.wv.index_to_key, model.wv.vectors, spec))


# --- child: Dask ---------------------------------------------------------------------------------


def on_cluster(client, series, npartitions: int):
    """``series`` as a dask Series of ``npartitions`` partitions held by the workers.

    The partitions are scattered (not embedded in the graph, which Dask warns about), then
    persisted and waited for.
    """
    import dask.dataframe as dd
    import numpy as np
    from distributed import wait

    bounds = np.linspace(0, len(series), npartitions + 1).astype(int).tolist()
    pieces = zip(bounds[:-1], bounds[1:], strict=True)
    parts = client.scatter([series.iloc[start:stop] for start, stop in pieces])
    collection = client.persist(dd.from_delayed(parts, meta=series.iloc[:0],
                                                divisions=[*bounds[:-1], len(series) - 1]))
    wait(collection)
    return collection


def _rows_and_sum(part):
    """One row per partition: how many pooled rows it holds and their sum."""
    import pandas as pd

    return pd.DataFrame({"rows": [len(part)], "total": [float(part.to_numpy().sum())]})


def _every_nth(part, step):
    return part[part.index % step == 0]


def _warm_up_worker(path):
    """Load skw2v and its Numba kernels in a worker process (run on each by client.run)."""
    with open(path, "rb") as f:
        vectorizer = pickle.load(f)
    vectorizer.transform(["a warm-up document", "another one"])


def dask_transform(spec: dict, client) -> dict:
    import pandas as pd

    import skw2v.dask

    with open(spec["vectorizer"], "rb") as f:
        vectorizer = pickle.load(f)
    docs = transform_documents(spec["rows"], spec["data_home"])
    series = on_cluster(client, pd.Series(docs, name="text"), spec["partitions"])
    client.run(_warm_up_worker, spec["vectorizer"])
    progress(f"skw2v.dask.transform of {len(docs):,} rows")

    def run():
        parts = skw2v.dask.transform(vectorizer, series).map_partitions(
            _rows_and_sum, meta={"rows": "int64", "total": "float64"})
        return parts.compute()

    result, timing = best_of(spec["repeat"], run)
    assert int(result["rows"].sum()) == len(docs), (int(result["rows"].sum()), len(docs))
    progress("comparing a sample with the in-memory rows")
    sample = skw2v.dask.transform(vectorizer,
                                  series.map_partitions(_every_nth, SAMPLE_STEP)).compute()
    assert list(sample.index) == sample_positions(len(docs))
    diff = max_abs_diff(vectorizer, docs, sample.index, sample.to_numpy())
    client.cancel(series)
    return dict(timing, docs=len(docs), diff=diff)


def dask_training(spec: dict, client) -> dict:
    import dask.dataframe as dd
    import pandas as pd

    import skw2v.dask
    from skw2v import Word2VecVectorizer

    texts = training_documents(spec["quick"], spec["data_home"])
    few = dd.from_pandas(pd.Series(texts[:100], name="text"), npartitions=2)
    start = time.perf_counter()
    skw2v.dask.fit(Word2VecVectorizer(**training_params(spec, epochs=1, min_count=1, n_jobs=2)),
                   few)
    warmup = time.perf_counter() - start
    series = on_cluster(client, pd.Series(texts, name="text"), TRAIN_PARTITIONS)
    model = Word2VecVectorizer(**training_params(spec, n_jobs=2))
    progress("skw2v.dask.fit")
    _, timing = timed(lambda: skw2v.dask.fit(model, series))
    client.cancel(series)
    return dict(timing, warmup=warmup, **scores(model.wv_.index_to_word, model.wv_.vectors, spec))


def dask_child(spec: dict) -> dict:
    from distributed import Client, LocalCluster

    results = {}
    progress("starting the LocalCluster")
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                      dashboard_address=None, host="127.0.0.1") as cluster, \
            Client(cluster) as client:
        if "transform" in spec["parts"]:
            results["transform"] = guarded(dask_transform, spec, client)
        if "training" in spec["parts"]:
            results["training"] = guarded(dask_training, spec, client)
    return results


# --- child: Spark ------------------------------------------------------------------------------


def spark_session():
    os.environ["PYSPARK_PYTHON"] = os.environ["PYSPARK_DRIVER_PYTHON"] = sys.executable
    path = os.environ.get("PYTHONPATH")  # the Python workers import the checkout too
    os.environ["PYTHONPATH"] = str(REPO) + (os.pathsep + path if path else "")
    from pyspark.sql import SparkSession

    spark = (SparkSession.builder.master("local[2]").appName("bench_scaleout")
             .config("spark.ui.enabled", "false")
             .config("spark.ui.showConsoleProgress", "false")
             .config("spark.driver.host", "127.0.0.1")
             .config("spark.driver.bindAddress", "127.0.0.1")
             .config("spark.driver.memory", "4g")
             .config("spark.sql.shuffle.partitions", "4")
             .config("spark.sql.execution.arrow.pyspark.enabled", "true")
             .getOrCreate())
    spark.sparkContext.setLogLevel("ERROR")
    return spark


def spark_transform(spec: dict, spark) -> dict:
    import numpy as np
    import pandas as pd
    from pyspark.sql import functions as F

    import skw2v.spark

    with open(spec["vectorizer"], "rb") as f:
        vectorizer = pickle.load(f)
    docs = transform_documents(spec["rows"], spec["data_home"])
    progress("caching the documents")
    frame = pd.DataFrame({"id": np.arange(len(docs), dtype=np.int64), "text": docs})
    df = spark.createDataFrame(frame).repartition(spec["partitions"]).cache()
    assert df.count() == len(docs)
    del frame
    progress("warm-up")
    warm = spark.createDataFrame(frame_head(docs, 100)).repartition(2)
    skw2v.spark.transform(vectorizer, warm, "text").write.format("noop").mode("overwrite").save()
    progress(f"skw2v.spark.transform of {len(docs):,} rows")

    def run():
        out = skw2v.spark.transform(vectorizer, df, "text")
        out.write.format("noop").mode("overwrite").save()

    _, timing = best_of(spec["repeat"], run)
    progress("comparing a sample with the in-memory rows")
    sample = (skw2v.spark.transform(vectorizer, df, "text")
              .filter(F.col("id") % SAMPLE_STEP == 0).select("id", "features").toPandas()
              .sort_values("id"))
    assert sample["id"].tolist() == sample_positions(len(docs))
    diff = max_abs_diff(vectorizer, docs, sample["id"].tolist(),
                        np.stack(sample["features"].to_numpy()))
    df.unpersist()
    return dict(timing, docs=len(docs), diff=diff)


def frame_head(docs: list, n: int):
    import numpy as np
    import pandas as pd

    return pd.DataFrame({"id": np.arange(n, dtype=np.int64), "text": docs[:n]})


SPARK_SPLIT = re.compile(r"counted in ([\d.]+) s.*trained in ([\d.]+) s", re.S)


def spark_training(spec: dict, spark) -> dict:
    import pandas as pd

    import skw2v.spark

    texts = training_documents(spec["quick"], spec["data_home"])
    few = spark.createDataFrame(pd.DataFrame({"text": texts[:100]}))
    start = time.perf_counter()
    skw2v.spark.train_on_spark(few, "text", n_partitions=2,
                               **training_params(spec, epochs=1, min_count=1))
    warmup = time.perf_counter() - start
    df = spark.createDataFrame(pd.DataFrame({"text": texts})).cache()
    assert df.count() == len(texts)
    log = io.StringIO()
    progress("skw2v.spark.train_on_spark")

    def train():
        with contextlib.redirect_stdout(log):  # verbose=1 prints the counting/MLlib split
            return skw2v.spark.train_on_spark(df, "text", n_partitions=2, verbose=1,
                                              **training_params(spec))

    model, timing = timed(train)
    df.unpersist()
    split = SPARK_SPLIT.search(log.getvalue())
    result = dict(timing, warmup=warmup, **scores(model.wv_.index_to_word, model.wv_.vectors,
                                                  spec))
    if split:
        result.update(counted=float(split[1]), trained=float(split[2]))
    return result


def spark_child(spec: dict) -> dict:
    progress("starting Spark")
    spark = spark_session()
    results = {}
    try:
        if "transform" in spec["parts"]:
            results["transform"] = guarded(spark_transform, spec, spark)
        if "training" in spec["parts"]:
            results["training"] = guarded(spark_training, spec, spark)
    finally:
        spark.stop()
    return results


# --- child: dispatch ---------------------------------------------------------------------------


def guarded(function, *args) -> dict:
    """``function(*args)``, or {"error": ...} if it raises (the other parts still run)."""
    try:
        return function(*args)
    except Exception as error:  # report and carry on with the other parts
        import traceback

        traceback.print_exc()
        return {"error": f"{type(error).__name__}: {error}".splitlines()[0][:300]}


def child(spec: dict) -> None:
    """Run the parts of one engine as described by ``spec``; print the results as JSON."""
    engine = spec["engine"]
    if engine == "dask":
        results = dask_child(spec)
    elif engine == "spark":
        results = spark_child(spec)
    else:
        results = {}
        if engine == "local" and "transform" in spec["parts"]:
            results["transform"] = guarded(local_transform, spec)
        if "training" in spec["parts"]:
            results["training"] = guarded(
                local_training if engine == "local" else gensim_training, spec)
    print(json.dumps(results))


# --- parent: data, runs, report ----------------------------------------------------------------


def versions() -> str:
    def v(name):
        try:
            return version(name)
        except PackageNotFoundError:
            return "not installed"

    java = subprocess.run(["java", "-version"], capture_output=True, text=True).stderr
    java = (java.strip().splitlines() or ["java not found"])[0]
    return (f"scaleout dask {v('dask')}, distributed {v('distributed')}, pyspark {v('pyspark')}, "
            f"pyarrow {v('pyarrow')}, pandas {v('pandas')}; {java}")


def run_child(spec: dict) -> dict:
    """Run one engine's process; pass its progress lines on; return its results."""
    env = dict(os.environ, PYTHONHASHSEED="0")  # gensim seeds word vectors with hash()
    tail = collections.deque(maxlen=15)
    with tempfile.TemporaryFile("w+") as out:
        proc = subprocess.Popen(
            [sys.executable, __file__, "--child", json.dumps(spec)],
            stdout=out, stderr=subprocess.PIPE, text=True, env=env,
        )  # fmt: skip
        for line in proc.stderr:
            if line.startswith(PROGRESS):
                print(f"  {line[len(PROGRESS):].rstrip()}", file=sys.stderr)
            else:
                tail.append(line.rstrip())
        proc.wait()
        out.seek(0)
        lines = out.read().strip().splitlines()
    try:
        results = json.loads(lines[-1])
    except (IndexError, json.JSONDecodeError):
        results = {"error": f"exit code {proc.returncode}: {tail[-1] if tail else 'no output'}"}
    if proc.returncode != 0 or any("error" in r for r in results.values()
                                   if isinstance(r, dict)):
        print(f"  {spec['engine']} child's stderr (last lines):", file=sys.stderr)
        print("\n".join(tail), file=sys.stderr)
    return results


def fit_transform_model(path: Path, data_home: str | None) -> str:
    """Fit the vectorizer of the transform part on the snippets, pickle it; describe it."""
    from skw2v import Word2VecVectorizer
    from skw2v.datasets import fetch_rotten_tomatoes

    texts = fetch_rotten_tomatoes(data_home=data_home).data
    model = Word2VecVectorizer(**TRANSFORM_MODEL).fit(texts)
    with open(path, "wb") as f:
        pickle.dump(model, f)
    return (f"{len(model.wv_):,} words, dim {model.wv_.vector_size}, {model.pooling} pooling "
            f"(fitted on the {len(texts):,} snippets, min_count {model.min_count})")


def training_corpus(quick: bool, data_home: str | None) -> tuple[int, str]:
    """The raw tokens of the training corpus (the analyzer's) and a summary line."""
    from skw2v import Word2VecVectorizer

    texts = training_documents(quick, data_home)
    analyzer = Word2VecVectorizer().build_analyzer()
    start = time.perf_counter()
    docs = [analyzer(text) for text in texts]
    seconds = time.perf_counter() - start
    n_tokens = sum(map(len, docs))
    cut = sum(max(0, len(doc) - GENSIM_MAX_WORDS) for doc in docs)
    line = (f"20 Newsgroups (all), {len(docs):,} posts, {n_tokens:,} tokens by the vectorizer's "
            f"analyzer{' (--quick: 10%)' if quick else ''}; tokenizing them takes {seconds:.1f} "
            f"s in memory (inside the skw2v, dask and Spark calls, not gensim's); gensim "
            f"ignores {cut:,} tokens past {GENSIM_MAX_WORDS:,} in a post")
    return n_tokens, line


def print_transform(results: dict, summary: str, repeat: int) -> None:
    print(f"transform: {summary}; best of {repeat}")
    head = (f"{'engine':<40} {'docs/s':>10} {'ratio':>6} {'seconds':>8} {'cpu':>5} "
            f"{'others':>6} {'max |diff|':>10}")
    print(head)
    print("-" * len(head))
    local = results.get("local", {})
    errors = []
    for engine, r in results.items():
        label = LABELS["transform"][engine]
        if "error" in r:
            print(f"{label:<40} FAILED (see below)")
            errors.append(f"{label}: {r['error']}")
            continue
        dps = r["docs"] / r["seconds"]
        ratio = f"{dps / (local['docs'] / local['seconds']):.2f}" if "seconds" in local else "-"
        diff = "-" if r["diff"] is None else f"{r['diff']:.1e}"
        print(f"{label:<40} {dps:>10,.0f} {ratio:>6} {r['seconds']:>8.2f} {r['cpu']:>5.0%} "
              f"{r['others']:>6.0%} {diff:>10}")
    for error in errors:
        print(f"  {error}")
    print()


def print_training(results: dict, summary: str, n_tokens: int, spec: dict) -> None:
    print(f"training: {summary}")
    print(f"  dim {spec['dim']}, window 5, min_count 5, {spec['epochs']} epoch(s), alpha 0.025, "
          "seed 0; SG NS: skip-gram, 5 negatives, sample 1e-3; SG HS: MLlib's skip-gram, "
          "hierarchical softmax, no subsampling")
    head = (f"{'system':<46} {'model':<5} {'words/s':>9} {'ratio':>6} {'seconds':>8} "
            f"{'warm-up':>7} {'cpu':>5} {'others':>6} {'vocab':>6} {'analogy':>7} {'WS353':>6} "
            f"{'SimLex':>6}")
    print(head)
    print("-" * len(head))
    words = n_tokens * spec["epochs"]
    gensim = results.get("gensim", {})
    errors = []
    for system, r in results.items():
        label = LABELS["training"][system]
        if "error" in r:
            print(f"{label:<46} {MODELS[system]:<5} FAILED (see below)")
            errors.append(f"{label}: {r['error']}")
            continue
        wps = words / r["seconds"]
        ratio = f"{gensim['seconds'] / r['seconds']:.2f}" if "seconds" in gensim else "-"
        print(f"{label:<46} {MODELS[system]:<5} {wps:>9,.0f} {ratio:>6} {r['seconds']:>8.1f} "
              f"{r['warmup']:>7.1f} {r['cpu']:>5.0%} {r['others']:>6.0%} {r['vocab']:>6} "
              f"{r['analogy']:>7.3f} {r['ws353']:>6.3f} {r['simlex']:>6.3f}")
    for error in errors:
        print(f"  {error}")
    spark = results.get("spark", {})
    if "trained" in spark:
        print(f"  train_on_spark: {spark['counted']:.1f} s tokenizing and counting on Spark, "
              f"{spark['trained']:.1f} s MLlib Word2Vec.fit (MLlib alone: "
              f"{words / spark['trained']:,.0f} words/s), of {spark['seconds']:.1f} s")
    if "seconds" in results.get("dask", {}) and "seconds" in results.get("local", {}):
        extra = results["dask"]["seconds"] - results["local"]["seconds"]
        print(f"  skw2v.dask.fit takes {extra:+.1f} s over the in-memory fit (counting and "
              "encoding on the cluster, streaming the encoded partitions to this process)")
    print(f"  words/s: {n_tokens:,} raw tokens x {spec['epochs']} epoch(s) over the training "
          "call's wall time; ratio: gensim's time over the system's")
    print()


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true",
                        help="~50,000 rows, 10%% of the posts, 1 epoch, 1 repeat")
    parser.add_argument("--only", action="append", choices=PARTS, help="repeatable")
    parser.add_argument("--engine", action="append", choices=ENGINES,
                        help="repeatable; local is in memory (transform and skw2v fit)")
    parser.add_argument("--rows", type=int, help="transform rows: default 1,000,000 "
                        "(100,000 with --quick), rounded up to whole copies of the snippets")
    parser.add_argument("--partitions", type=int, default=20,
                        help="partitions of the transform input on Dask and Spark")
    parser.add_argument("--repeat", type=int, help="transform: best of; default 3 (1 --quick)")
    parser.add_argument("--dim", type=int, default=100,
                        help="training vector_size of all systems (MLlib at 100 takes about "
                        "5 minutes for 5 epochs on 2 cores)")
    parser.add_argument("--epochs", type=int, help="default: 5, or 1 with --quick")
    parser.add_argument("--data-home", help="cache directory of skw2v.datasets")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        child(json.loads(args.child))
        return 0

    from skw2v.datasets import fetch_analogies, fetch_word_similarity

    parts = args.only or list(PARTS)
    engines = args.engine or list(ENGINES)
    spec = dict(
        quick=args.quick, data_home=args.data_home, partitions=args.partitions,
        rows=args.rows or (50_000 if args.quick else 1_000_000),
        repeat=args.repeat or (1 if args.quick else 3),
        dim=args.dim, epochs=args.epochs or (1 if args.quick else 5),
        files={
            "analogies": str(fetch_analogies(data_home=args.data_home)),
            "wordsim353": str(fetch_word_similarity("wordsim353", data_home=args.data_home)),
            "simlex999": str(fetch_word_similarity("simlex999", data_home=args.data_home)),
        },
    )  # fmt: skip
    print("\n".join(machine_info()))
    print(versions())
    print()

    results = {part: {} for part in PARTS}
    with tempfile.TemporaryDirectory() as tmp:
        if "transform" in parts:
            spec["vectorizer"] = str(Path(tmp) / "vectorizer.pkl")
            described = fit_transform_model(Path(spec["vectorizer"]), args.data_home)
            n_docs = len(transform_documents(spec["rows"], args.data_home))
            n_snippets = len(transform_documents(1, args.data_home))
            transform_summary = (f"{n_docs:,} rows ({n_docs // n_snippets} copies of the "
                                 f"{n_snippets:,} Rotten Tomatoes snippets), {args.partitions} "
                                 f"partitions on Dask and Spark\n  vectorizer: {described}")
        if "training" in parts:
            n_tokens, training_summary = training_corpus(args.quick, args.data_home)
        for engine in engines:
            todo = [p for p in parts if p == "training" or engine in TRANSFORM_ENGINES]
            if not todo:
                continue
            print(f"running {engine}: {', '.join(todo)}", file=sys.stderr)
            start = time.perf_counter()
            r = run_child(dict(spec, engine=engine, parts=todo))
            print(f"  done in {time.perf_counter() - start:.0f} s", file=sys.stderr)
            for part in todo:
                results[part][engine] = r.get(part, {"error": r.get("error", "no result")})

    if "transform" in parts:
        print_transform(results["transform"], transform_summary, spec["repeat"])
    if "training" in parts:
        order = [s for s in TRAINING_SYSTEMS if s in results["training"]]
        print_training({s: results["training"][s] for s in order}, training_summary, n_tokens,
                       spec)
    failed = [r for part in results.values() for r in part.values() if "error" in r]
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
