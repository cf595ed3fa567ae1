"""
Sentiment classification with a word2vec Pipeline
=================================================

Rotten Tomatoes review snippets (fresh or rotten), 5-fold cross-validated accuracy of

- ``Pipeline(Word2VecVectorizer, LogisticRegression)`` for every pooling mode; the word
  vectors are learned on the training folds only (20 epochs), inside the pipeline;
- TF-IDF + LogisticRegression, the strong classic baseline for short texts;
- a ``FeatureUnion`` of both representations.

Set ``SKW2V_EXAMPLE_QUICK=1`` to run on a fifth of the snippets with fewer epochs.
"""

import os
import time

import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import StratifiedKFold, cross_val_score
from sklearn.pipeline import FeatureUnion, make_pipeline

from skw2v import Word2VecVectorizer
from skw2v.datasets import fetch_rotten_tomatoes

QUICK = os.environ.get("SKW2V_EXAMPLE_QUICK") == "1"
reviews = fetch_rotten_tomatoes()
texts, labels = np.asarray(reviews.data, dtype=object), reviews.target
if QUICK:
    texts, labels = texts[::5], labels[::5]
print(f"{len(texts):,} snippets, {labels.mean():.1%} fresh")


def word2vec(pooling):
    return Word2VecVectorizer(vector_size=100, window=5, min_count=2, epochs=5 if QUICK else 20,
                              pooling=pooling, norm="l2", n_jobs=-1, random_state=0)


def classifier():
    return LogisticRegression(C=10.0, max_iter=2000)


models = {f"word2vec ({pooling})": make_pipeline(word2vec(pooling), classifier())
          for pooling in ["mean", "sum", "idf", "sif", "max"]}
models["TF-IDF"] = make_pipeline(TfidfVectorizer(sublinear_tf=True), classifier())
models["TF-IDF + word2vec (idf)"] = make_pipeline(
    FeatureUnion([("tfidf", TfidfVectorizer(sublinear_tf=True)), ("w2v", word2vec("idf"))]),
    classifier(),
)

cv = StratifiedKFold(n_splits=5, shuffle=True, random_state=0)
print(f"\n{'model':<28}{'accuracy':>10}{'std':>8}{'seconds':>9}")
for name, model in models.items():
    started = time.perf_counter()
    scores = cross_val_score(model, texts, labels, cv=cv, scoring="accuracy")
    print(f"{name:<28}{scores.mean():>10.3f}{scores.std():>8.3f}"
          f"{time.perf_counter() - started:>9.1f}", flush=True)
