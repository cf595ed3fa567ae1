"""
Pictures of word vectors: a word map, vector strips and a similarity heatmap
============================================================================

Three ways to look at word vectors learned from the 20 Newsgroups posts, drawn with
:mod:`skw2v.plotting`:

- :func:`~skw2v.plotting.plot_word_map`: the words projected to 2-D (PCA or t-SNE), where
  words used in the same contexts land close together;
- :func:`~skw2v.plotting.plot_vector_strips`: each word's vector as a strip of colours, one
  cell per dimension;
- :func:`~skw2v.plotting.plot_similarity_heatmap`: the cosine similarity of every pair.

The words come in groups that the newsgroups discuss often: days of the week, numbers,
religion (soc.religion.christian, alt.atheism), cars (rec.autos), computing (comp.*), space
(sci.space) and hockey (rec.sport.hockey). ``one`` is left out of the numbers: as a pronoun
("no one", "the one who") its contexts are unlike those of the other numbers.

The documentation runs this example in quick mode (``SKW2V_EXAMPLE_QUICK=1``): a third of
the posts (6,274) for 3 epochs, instead of all of them for 5 (``SKW2V_EXAMPLE_QUICK=0``);
the groups separate in both.
"""

import os

import matplotlib.pyplot as plt

from skw2v import Word2VecVectorizer
from skw2v.datasets import fetch_20newsgroups_corpus
from skw2v.plotting import plot_similarity_heatmap, plot_vector_strips, plot_word_map

QUICK = os.environ.get("SKW2V_EXAMPLE_QUICK") == "1"

# %%
# Training
# --------
news = fetch_20newsgroups_corpus()
posts = news.data[::3] if QUICK else news.data
model = Word2VecVectorizer(vector_size=100, window=5, min_count=5, epochs=3 if QUICK else 5,
                           n_jobs=-1, random_state=0).fit(posts)
wv = model.wv_
print(f"{len(wv):,} word vectors from {len(posts):,} posts")

groups = {
    "days": ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"],
    "numbers": ["two", "three", "four", "five", "six", "seven", "eight"],
    "religion": ["god", "jesus", "christ", "bible", "church", "faith"],
    "cars": ["car", "engine", "ford", "toyota", "tires", "brake"],
    "computing": ["windows", "dos", "software", "disk", "memory", "cpu"],
    "space": ["nasa", "orbit", "shuttle", "launch", "satellite"],
    "hockey": ["hockey", "nhl", "playoffs", "goalie", "puck"],
}
missing = [word for words in groups.values() for word in words if word not in wv]
print("words not in the vocabulary:", missing or "none")

# %%
# Each group's words should be closer to one another than to the other groups. The mean
# cosine similarity within each group against the mean to the words of the other groups:
for name, words in groups.items():
    others = [w for other, ws in groups.items() if other != name for w in ws]
    inside = [wv.similarity(a, b) for i, a in enumerate(words) for b in words[i + 1:]]
    outside = [wv.similarity(a, b) for a in words for b in others]
    print(f"{name:<10} within {sum(inside) / len(inside):.2f}, "
          f"to other groups {sum(outside) / len(outside):.2f}")

# %%
# A word map
# ----------
# ``plot_word_map`` draws the words' 2-D coordinates and labels them; colouring the points by
# group is done here on the returned axes. PCA keeps the two directions of largest spread of
# these words' vectors (the groups that differ most separate best); t-SNE keeps each word's
# neighbours together and shows every group as its own cluster, at the price of distorting
# the distances between clusters.
words = [word for ws in groups.values() for word in ws]
colours = [f"C{k}" for k, ws in enumerate(groups.values()) for _ in ws]
fig, axes = plt.subplots(1, 2, figsize=(15, 7))
for ax, method in zip(axes, ["pca", "tsne"], strict=True):
    plot_word_map(wv, words, method=method, ax=ax, random_state=0)
    ax.collections[0].set_facecolor(colours)
    ax.collections[0].set_edgecolor(colours)
    ax.set_title(f"word map ({method.upper() if method == 'pca' else 't-SNE'})")
handles = [plt.Line2D([], [], marker="o", linestyle="", color=f"C{k}", label=name)
           for k, name in enumerate(groups)]
axes[1].legend(handles=handles, loc="best")
fig.tight_layout()

# %%
# Vector strips
# -------------
# One row per word, one column per dimension, red for positive and blue for negative
# components. Single dimensions mean little on their own, but words of the same group share
# many of their columns' colours, and those of different groups do not.
strip_words = ["monday", "tuesday", "friday", "god", "jesus", "car", "engine"]
ax = plot_vector_strips(wv, strip_words)
ax.set_title("word vectors, dimension by dimension")
ax.figure.tight_layout()

# %%
# A similarity heatmap
# --------------------
# The cosine similarity of every pair of twelve words from four groups: the blocks along the
# diagonal are the groups.
heatmap_words = (groups["days"][:3] + groups["religion"][:3] + groups["cars"][:3]
                 + groups["computing"][:3])
ax = plot_similarity_heatmap(wv, heatmap_words)
ax.set_title("cosine similarity")
ax.figure.tight_layout()
plt.show()
