"""
item2vec on MovieLens 100k: recommend the next movie a user will like
=====================================================================

item2vec (Barkan and Koenigstein 2016) is word2vec over sequences of items: movies liked by
the same users, one after the other, get close vectors. Here the "sentences" are each user's
liked movies (rated 4 or 5) in the order the user rated them, from MovieLens 100k
(:func:`~skw2v.datasets.fetch_movielens_100k`: 100,000 ratings by 943 users).

The recipe, in plain pandas, then one estimator:

1. keep the liked ratings; sort each user's by time; the item ids as str tokens;
2. hold out each user's last liked movie (the one to predict), train on the rest;
3. ``Word2VecVectorizer(analyzer="pretokenized")`` learns the movie vectors;
4. recommend to a user the 10 movies nearest to the last movie they liked (the last one the
   model knows), leaving out what they already liked; a user whose liked movies are all
   unknown to the model gets the most popular ones.

It is scored by hit rate@10 (the share of users whose held-out movie is among their 10
recommendations), against the most popular movies the user has not liked yet, and against
gensim's ``Word2Vec`` trained on the same sequences with the same settings.
"""

import time

import matplotlib.pyplot as plt
import numpy as np
from gensim.models import Word2Vec

from skw2v import Word2VecVectorizer
from skw2v.datasets import fetch_movielens_100k

# %%
# Sequences of liked movies
# -------------------------
movielens = fetch_movielens_100k()
liked = movielens.ratings[movielens.ratings["rating"] >= 4]
liked = liked.sort_values(["user_id", "timestamp", "item_id"], kind="stable")
sequences = liked.groupby("user_id")["item_id"].agg(lambda items: [str(i) for i in items])
sequences = sequences[sequences.map(len) >= 3]  # at least 2 to learn from and 1 to predict
train = [items[:-1] for items in sequences]
held_out = [items[-1] for items in sequences]
title = dict(zip(movielens.movies["item_id"].astype(str), movielens.movies["title"],
                 strict=True))
print(f"{len(sequences)} users with 3 or more liked movies; "
      f"{sum(map(len, train)):,} liked ratings to learn from")

# %%
# The models
# ----------
# The same settings for both: skip-gram, 64 dimensions, a window of 5 movies, 10 epochs,
# movies liked by 5 users or more, gensim's subsampling. (They were chosen on this split,
# for both systems alike: a window of 3 to 5 and about 10 epochs did best; the whole history
# as one window, or every movie kept, did worse.)
settings = {"vector_size": 64, "window": 5, "epochs": 10, "negative": 5, "min_count": 5,
            "sample": 1e-3}
started = time.perf_counter()
skw2v_model = Word2VecVectorizer(analyzer="pretokenized", n_jobs=2, random_state=0,
                                 **settings).fit(train)
skw2v_seconds = time.perf_counter() - started
started = time.perf_counter()
gensim_model = Word2Vec(train, sg=1, workers=2, seed=0, **settings)
gensim_seconds = time.perf_counter() - started
popular = liked["item_id"].astype(str).value_counts().index.tolist()


def recommend_popular(history, n=10):
    """The n most liked movies the user has not liked yet."""
    seen = set(history)
    return [item for item in popular if item not in seen][:n]


def recommend(vectors, history, n=10):
    """The n movies nearest to the user's last liked movie that ``vectors`` knows (the
    popular ones without such a movie), none already liked."""
    known = [item for item in history if item in vectors]
    if not known:
        return recommend_popular(history, n)
    seen = set(history)
    found = vectors.most_similar(positive=known[-1:], topn=n + len(seen))
    return [item for item, _ in found if item not in seen][:n]


systems = {
    "skw2v item2vec": lambda history: recommend(skw2v_model.wv_, history),
    "gensim item2vec": lambda history: recommend(gensim_model.wv, history),
    "most popular": recommend_popular,
}
hit_rate = {name: float(np.mean([target in system(history)
                                 for history, target in zip(train, held_out, strict=True)]))
            for name, system in systems.items()}
for name, rate in hit_rate.items():
    seconds = {"skw2v item2vec": skw2v_seconds, "gensim item2vec": gensim_seconds}.get(name)
    timing = f"  (trained in {seconds:.1f} s)" if seconds is not None else ""
    print(f"{name:<16} hit rate@10 {rate:.3f}{timing}")

# %%
# What the vectors learned
# ------------------------
# The movies nearest to a few well-known ones, by title: no genre or title was given to the
# model, only who liked what after what.
for movie in ["50", "1", "127"]:  # Star Wars, Toy Story, The Godfather
    neighbours = skw2v_model.wv_.most_similar(movie, topn=4)
    print(f"{title[movie]}: " + "; ".join(title[item] for item, _ in neighbours))

names = list(hit_rate)
fig, ax = plt.subplots(figsize=(6, 2.4), layout="constrained")
ax.barh(range(len(names)), [hit_rate[n] for n in names],
        color=["tab:green", "tab:blue", "tab:gray"])
for k, name in enumerate(names):
    ax.text(hit_rate[name] + 0.003, k, f"{hit_rate[name]:.3f}", va="center", fontsize=8)
ax.set_yticks(range(len(names)), names)
ax.invert_yaxis()
ax.set_xlabel("hit rate@10 of each user's last liked movie")
plt.show()
