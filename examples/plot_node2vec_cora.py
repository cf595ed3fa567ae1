"""
Node classification on Cora with DeepWalk and node2vec: Node2VecEmbedding
=========================================================================

Cora is a citation graph of 2,708 machine-learning papers in 7 subjects. The embedding sees
only who cites whom, never a word or a label: random walks over the citations are the
"sentences" of a skip-gram model, so papers that the walks visit together get close vectors.
A logistic regression on the 140 labelled papers of the standard (Planetoid) split then
predicts the subject of 1,000 test papers; DeepWalk's published accuracy on this split is
67.2% (Kipf and Welling 2017, Table 2).

The graph comes from ``../shared/data/graphs`` beside the checkout (or ``$SKW2V_GRAPHS``;
formats and sources in its README). The documentation runs this example in quick mode
(``SKW2V_EXAMPLE_QUICK=1``): 4 walks per node instead of 10.
"""

import os
import time
from pathlib import Path

import matplotlib.pyplot as plt
import numpy as np
import scipy.sparse as sp
from sklearn.linear_model import LogisticRegression
from sklearn.manifold import TSNE

from skw2v import Node2VecEmbedding

QUICK = os.environ.get("SKW2V_EXAMPLE_QUICK") == "1"
here = Path(__file__).resolve().parent if "__file__" in globals() else Path.cwd()
folder = Path(os.environ.get("SKW2V_GRAPHS", here.parents[1] / "shared" / "data" / "graphs"))
folder = folder / "cora"

# %%
# The graph and the split
# -----------------------
edges = np.loadtxt(folder / "edges.tsv.gz", dtype=np.int64, ndmin=2)
labels = np.loadtxt(folder / "labels.tsv.gz", dtype=np.int64, ndmin=2)
split = dict(np.loadtxt(folder / "split.tsv.gz", dtype=str, ndmin=2).tolist())
n = int(max(edges.max(), labels[:, 0].max())) + 1
A = sp.coo_array((np.ones(len(edges)), (edges[:, 0], edges[:, 1])), shape=(n, n))  # each
y = labels[labels[:, 0].argsort(), 1]                                      # edge listed once
train = np.array([split.get(str(i)) == "train" for i in range(n)])
test = np.array([split.get(str(i)) == "test" for i in range(n)])
print(f"{n:,} papers, {len(edges):,} citations, {y.max() + 1} subjects; "
      f"{train.sum()} labelled for training, {test.sum()} to predict")

# %%
# DeepWalk and node2vec
# ---------------------
# ``directed=False`` (the default) walks every citation both ways. ``p = q = 1`` is DeepWalk;
# ``q = 0.5`` makes node2vec's walks wander further from where they came from (outward,
# depth-first-like), ``q = 2`` keeps them near (breadth-first-like).
n_walks = 4 if QUICK else 10
accuracy = {}
embeddings = {}
for name, p, q in [("DeepWalk", 1.0, 1.0), ("node2vec q=0.5", 1.0, 0.5),
                   ("node2vec q=2", 1.0, 2.0)]:
    model = Node2VecEmbedding(vector_size=128, walk_length=80, n_walks=n_walks, window=10,
                              p=p, q=q, n_jobs=-1, random_state=0)
    started = time.perf_counter()
    embedding = model.fit_transform(A)
    seconds = time.perf_counter() - started
    classifier = LogisticRegression(max_iter=2000).fit(embedding[train], y[train])
    accuracy[name] = classifier.score(embedding[test], y[test])
    embeddings[name] = embedding
    print(f"{name:<16} accuracy {accuracy[name]:.3f}  ({seconds:.1f} s for walks and "
          "training)")

# %%
# A map of the papers
# -------------------
# t-SNE of the DeepWalk vectors, coloured by subject (which the embedding never saw).
coordinates = TSNE(random_state=0, init="pca").fit_transform(embeddings["DeepWalk"])
fig, ax = plt.subplots(figsize=(6.5, 5.5), layout="constrained")
points = ax.scatter(*coordinates.T, c=y, cmap="tab10", s=4)
ax.set_title(f"Cora, DeepWalk ({accuracy['DeepWalk']:.1%} accuracy from 140 labels)")
ax.set_xticks([])
ax.set_yticks([])
ax.legend(*points.legend_elements(), title="subject", fontsize=7, loc="lower right")
plt.show()
