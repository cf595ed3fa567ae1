"""
Scaling out with Dask: fit and featurize a partitioned document table
=====================================================================

When the documents live in a Dask collection -- a partitioned table read from many files, or
a bag of token lists -- :mod:`skw2v.dask` fits and featurizes them where they are:

- :func:`skw2v.dask.fit` counts the vocabulary on the workers (one count per partition,
  merged), encodes each partition as word ids there, and streams the encoded partitions, one
  at a time, into the Numba training engine on this machine. Training itself stays on one
  machine, as in gensim and fastText: its threads share one weight matrix. The result is the
  same model as an in-memory fit on the same documents in the same order.
- :func:`skw2v.dask.transform` pools the documents on the workers; the fitted vectorizer
  enters the task graph once, and the result is a Dask DataFrame with the input's index.
- ``GridSearchCV`` runs its candidate fits on the cluster under
  ``joblib.parallel_config("dask")``; inside a Dask task, ``n_jobs=None`` trains on one thread,
  so the fits never oversubscribe the workers' cores.

The data are the Rotten Tomatoes review snippets (fresh or rotten). The figure at the end
shows the tasks of the fit and of the transform on the two workers, one bar per partition,
and the accuracy of the grid-search candidates.

The documentation runs this example in quick mode (``SKW2V_EXAMPLE_QUICK=1``): the fit and
transform run at full size (9,606 training and 3,202 test snippets, 20 epochs), only the grid
search runs on half of the training snippets. ``SKW2V_EXAMPLE_QUICK=0`` searches on all of
them.
"""

import os
import time

import dask.dataframe as dd
import joblib
import matplotlib.pyplot as plt
import numpy as np
from distributed import Client, LocalCluster, get_task_stream
from distributed.utils import key_split
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import GridSearchCV, train_test_split
from sklearn.pipeline import Pipeline

import skw2v.dask
from skw2v import Word2VecVectorizer
from skw2v.datasets import fetch_rotten_tomatoes

QUICK = os.environ.get("SKW2V_EXAMPLE_QUICK") == "1"

# %%
# A local cluster and a partitioned table
# ---------------------------------------
# A ``LocalCluster`` with two single-threaded workers stands in for a real cluster; with a
# real one, pass its scheduler address to ``Client`` instead. The workers run as threads of
# this process (``processes=False``) so that the example runs as a plain script; worker
# processes need the script's code under ``if __name__ == "__main__":``. The snippets become a
# Dask DataFrame of 8 partitions, split into training and test rows.
cluster = LocalCluster(n_workers=2, threads_per_worker=1, processes=False,
                       dashboard_address=None)
client = Client(cluster)

frame = fetch_rotten_tomatoes(as_frame=True).frame
train, test = train_test_split(frame, test_size=0.25, random_state=0, stratify=frame["label"])
train, test = train.sort_index(), test.sort_index()  # Dask partitions by sorted index
train_docs = dd.from_pandas(train, npartitions=8)
test_docs = dd.from_pandas(test, npartitions=4)
print(f"{len(train):,} training and {len(test):,} test snippets, "
      f"{train_docs.npartitions} + {test_docs.npartitions} partitions")

# %%
# Fit on the cluster's partitions
# -------------------------------
# The vocabulary is counted on the workers; the training threads (``n_jobs=2``) run here.
# ``get_task_stream`` records where and when every task ran, for the figure at the end.
vectorizer = Word2VecVectorizer(vector_size=100, min_count=2, epochs=20, pooling="sif",
                                n_jobs=2, random_state=0)
started, clock_offset = time.perf_counter(), time.time() - time.perf_counter()
with get_task_stream(client) as fit_tasks:
    skw2v.dask.fit(vectorizer, train_docs["text"])
fit_call = (started, time.perf_counter())
print(f"fitted in {time.perf_counter() - started:.1f} s: {len(vectorizer.vocabulary_):,} "
      f"words, {vectorizer.corpus_token_count_:,} tokens")
for word in ["funny", "boring", "acting"]:
    print(f"nearest to {word!r}:",
          ", ".join(other for other, _ in vectorizer.most_similar(word, topn=6)))

# %%
# Featurize on the workers
# ------------------------
# ``transform`` returns a lazy Dask DataFrame with one float32 column per dimension and the
# index of the input, so it lines up with the labels. Computing it brings the features back
# for a scikit-learn classifier; with more rows than fit in memory, a Dask-aware learner
# (dask-ml) or ``partial_fit`` would consume the partitions instead.
train_features = skw2v.dask.transform(vectorizer, train_docs["text"])
test_features = skw2v.dask.transform(vectorizer, test_docs["text"])
print(f"{train_features.npartitions} partitions of {len(train_features.columns)} float32 "
      f"columns, divisions kept: {train_features.divisions == train_docs.divisions}")
started = time.perf_counter()
with get_task_stream(client) as transform_tasks:
    X_train, X_test = train_features.compute(), test_features.compute()
transform_call = (started, time.perf_counter())
assert X_train.index.equals(train.index)
clf = LogisticRegression(C=10.0, max_iter=2000).fit(X_train, train["label"])
majority = test["label"].mean()
print(f"test accuracy {clf.score(X_test, test['label']):.3f} (always answering 'fresh': "
      f"{majority:.3f})")

# %%
# The same features as in memory
# ------------------------------
# The Dask path is not an approximation: the rows equal ``vectorizer.transform`` on the same
# snippets.
in_memory = vectorizer.transform(test["text"])
print("largest difference from the in-memory transform:",
      float(np.abs(X_test.to_numpy() - in_memory).max()))

# %%
# A grid search whose fits run on the cluster
# -------------------------------------------
# Under ``joblib.parallel_config("dask")`` the candidate fits of ``GridSearchCV`` run as Dask
# tasks. The vectorizer's ``n_jobs=None`` trains on the one thread its task is given, so two
# workers run two single-threaded fits at a time: the cores are used once, never twice.
pipe = Pipeline([("w2v", Word2VecVectorizer(min_count=2, epochs=10, pooling="sif",
                                            random_state=0)),
                 ("clf", LogisticRegression(C=10.0, max_iter=2000))])
search = GridSearchCV(pipe, {"w2v__window": [2, 5], "w2v__vector_size": [50, 100]}, cv=3,
                      n_jobs=-1)
snippets = train.iloc[::2] if QUICK else train  # the docs search on half the snippets
started = time.perf_counter()
with joblib.parallel_config("dask"):
    search.fit(snippets["text"], snippets["label"])
print(f"searched {len(search.cv_results_['params'])} candidates x 3 folds of "
      f"{len(snippets):,} snippets on the cluster in {time.perf_counter() - started:.1f} s; "
      f"best {search.best_params_} ({search.best_score_:.3f})")

# %%
# Where the work ran
# ------------------
# Every task of the fit and of the transform, one bar each on the worker that ran it,
# coloured by kind, under the two calls made here. The counting and encoding tasks run on
# both workers, one per partition, within the first seconds of the fit; the rest of the fit
# is the training engine on this machine, while the workers wait; then the transform pools
# the partitions on the workers again.
tasks = fit_tasks.data + transform_tasks.data
workers = sorted({task["worker"] for task in tasks})
kinds = sorted({key_split(task["key"]) for task in tasks})
colour = {kind: f"C{k % 10}" for k, kind in enumerate(kinds)}
origin = fit_call[0] + clock_offset  # task times are wall-clock times (time.time())
fig, left = plt.subplots(figsize=(8, 4.5), layout="constrained")
for task in tasks:
    for part in task["startstops"]:
        if part["action"] == "compute":
            left.barh(workers.index(task["worker"]), part["stop"] - part["start"],
                      left=part["start"] - origin, height=0.6,
                      color=colour[key_split(task["key"])])
here = len(workers)
for (begin, end), call, align in [(fit_call, "skw2v.dask.fit (training runs here)", "left"),
                                  (transform_call, "transform computed", "right")]:
    left.barh(here, end - begin, left=begin - fit_call[0], height=0.6, color="lightgrey",
              edgecolor="grey")
    left.text((begin if align == "left" else end) - fit_call[0], here + 0.4, call,
              fontsize=8, ha=align)
left.set_yticks(range(len(workers) + 1),
                [f"worker {k + 1}" for k in range(len(workers))] + ["this machine"])
left.set_ylim(-0.5, here + 0.8)
left.set_xlabel("seconds since the fit started")
left.set_title(f"tasks of the fit and transform ({train_docs.npartitions} + "
               f"{test_docs.npartitions} partitions)")
left.legend(handles=[plt.Rectangle((0, 0), 1, 1, color=colour[kind]) for kind in kinds],
            labels=kinds, fontsize=7, ncol=4, loc="upper center", bbox_to_anchor=(0.5, -0.15))
plt.show()

# %%
# The grid-search candidates' mean accuracy over the three folds (with their standard
# deviation), all above the majority-class rate.
results = search.cv_results_
labels = [f"window {p['w2v__window']}, {p['w2v__vector_size']} dims" for p in results["params"]]
fig, right = plt.subplots(figsize=(7, 3), layout="constrained")
right.barh(range(len(labels)), results["mean_test_score"], xerr=results["std_test_score"],
           capsize=3)
right.set_yticks(range(len(labels)), labels)
right.axvline(max(majority, 1 - majority), color="grey", linestyle="--",
              label="majority class")
right.set_xlim(0.5, None)
right.set_xlabel("grid search: mean accuracy over 3 folds")
right.legend(loc="lower right", fontsize=8)
plt.show()

client.close()
cluster.close()
