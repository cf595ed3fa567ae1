"""What the learned vectors are worth downstream: a Pipeline with a classifier, against the same
Pipeline whose vectorizer learned nothing.

The task is built from the Lee corpus (gensim's ``lee_background.cor``): 40-token snippets of
the articles about the Middle East conflict or about Afghanistan, labelled by article, with
the words that define the two topics removed. The classifier then has to recognise a topic
from the other words of a snippet, which word vectors that place co-occurring words together
make easy and random vectors (a random projection of the bag of words) do not. Snippets of
one article stay in one fold.
"""

import numpy as np
import pytest
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import GroupKFold, cross_val_score
from sklearn.pipeline import Pipeline

from skw2v import Word2VecVectorizer

MIDDLE_EAST = {"israel", "israeli", "israelis", "palestinian", "palestinians", "arafat"}
AFGHANISTAN = {"afghanistan", "afghan", "afghans", "taliban", "laden"}
SNIPPET = 40

PARAMS = {"vector_size": 32, "window": 5, "min_count": 2, "epochs": 20, "norm": "l2",
          "n_jobs": 1, "random_state": 0}
#: The same fit with a learning rate of (almost) zero: the vectors stay at their random start.
UNTRAINED = {"epochs": 1, "alpha": 1e-9, "min_alpha": 0.0}


@pytest.fixture(scope="module")
def topic_snippets(lee_documents):
    """``(snippets, labels, article of each snippet)``; label 1: Middle East."""
    analyzer = Word2VecVectorizer().build_analyzer()
    snippets, labels, groups = [], [], []
    for article, document in enumerate(lee_documents):
        tokens = analyzer(document)
        middle_east = bool(MIDDLE_EAST.intersection(tokens))
        if middle_east == bool(AFGHANISTAN.intersection(tokens)):
            continue  # neither topic, or both
        kept = [t for t in tokens if t not in MIDDLE_EAST | AFGHANISTAN]
        for start in range(0, len(kept), SNIPPET):
            snippets.append(" ".join(kept[start:start + SNIPPET]))
            labels.append(int(middle_east))
            groups.append(article)
    return snippets, np.array(labels), np.array(groups)


def cv_accuracy(topic_snippets, **params):
    snippets, labels, groups = topic_snippets
    pipe = Pipeline([("w2v", Word2VecVectorizer(**{**PARAMS, **params})),
                     ("clf", LogisticRegression(C=10, max_iter=1000))])
    return cross_val_score(pipe, snippets, labels, groups=groups, cv=GroupKFold(5)).mean()


def test_trained_vectors_beat_untrained_ones_downstream(topic_snippets):
    snippets, labels, groups = topic_snippets
    assert len(snippets) > 400 and len(set(groups)) > 60
    majority = max(labels.mean(), 1 - labels.mean())
    assert majority < 0.65
    trained = cv_accuracy(topic_snippets)
    untrained = cv_accuracy(topic_snippets, **UNTRAINED)
    # Calibrated over random_state 0-7: trained 0.83-0.86, untrained 0.64-0.71, majority 0.60.
    assert trained > 0.78, (trained, untrained)
    assert trained > untrained + 0.1, (trained, untrained)
