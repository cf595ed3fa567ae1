"""
item2vec: "customers who bought this also bought" from baskets of item ids
==========================================================================

item2vec (Barkan and Koenigstein, 2016) is word2vec applied to baskets of items instead of
sentences of words: two items are similar when they are bought together. The model never
sees what an item is, only its id and the baskets it occurs in.

No public purchase log ships with skw2v, so this example builds baskets with a known answer
from real data. The "shop" is 20 Newsgroups: each post is a customer's basket, and the
products are the words of the posts, each replaced by an opaque id (``"item4654"``) drawn at
random, so that nothing of the word is left in the id. As in a real basket, a post's items
are a *set*: order and repetitions are dropped. Then:

- the catalogue keeps the items found in at least 10 baskets and in at most 5% of them
  (items in every basket, like ``the``, are the shopping bags of this shop: they say nothing
  about a customer's interests);
- a basket holds at most 50 items, so long posts are split into several baskets;
- ``Word2VecVectorizer(analyzer="pretokenized")`` learns from the lists of ids as they are;
  since order means nothing in a basket, the window spans the whole basket
  (``window=50, shrink_windows=False``): every pair of items of a basket is a training pair.

Because the ids hide the words, mapping each recommended id back to its word afterwards is a
fair check of what the model learned from co-occurrence alone, and the newsgroup in which
each item is most common gives a number to it.

The documentation runs this example in quick mode (``SKW2V_EXAMPLE_QUICK=1``): a third of
the posts (about 10,000 baskets) for 5 epochs, instead of all of them for 10
(``SKW2V_EXAMPLE_QUICK=0``).
"""

import os
import time
from collections import Counter

import matplotlib.pyplot as plt
import numpy as np

from skw2v import Word2VecVectorizer
from skw2v.datasets import fetch_20newsgroups_corpus

QUICK = os.environ.get("SKW2V_EXAMPLE_QUICK") == "1"
MAX_BASKET = 50

# %%
# Baskets of opaque item ids
# --------------------------
news = fetch_20newsgroups_corpus()
step = 3 if QUICK else 1
posts, newsgroup = news.data[::step], news.target[::step]
post_sets = [set(post.split()) for post in posts]
n_baskets_with = Counter(word for words in post_sets for word in words)
catalogue = sorted((word for word, n in n_baskets_with.items()
                    if 10 <= n <= 0.05 * len(posts) and len(word) > 2),
                   key=lambda word: (-n_baskets_with[word], word))
rng = np.random.default_rng(0)
item_of = {word: f"item{k}" for word, k in zip(catalogue, rng.permutation(len(catalogue)),
                                                strict=True)}
word_of = {item: word for word, item in item_of.items()}

baskets, basket_newsgroup = [], []
for words, group in zip(post_sets, newsgroup, strict=True):
    items = [item_of[word] for word in sorted(words) if word in item_of]
    rng.shuffle(items)  # a basket has no order
    for start in range(0, len(items), MAX_BASKET):
        if len(items[start:start + MAX_BASKET]) >= 2:
            baskets.append(items[start:start + MAX_BASKET])
            basket_newsgroup.append(group)
sizes = np.array([len(basket) for basket in baskets])
print(f"{len(catalogue):,} items in the catalogue, {len(baskets):,} baskets of "
      f"{sizes.mean():.1f} items on average ({sizes.sum():,} items in all)")
print("a basket:", baskets[0][:8], "...")

# %%
# Training
# --------
# ``sample`` subsamples the most popular items, as it does frequent words. The catalogue's
# frequencies are much flatter than those of words (no item is in more than 5% of the
# baskets), so the default threshold (1e-3) would drop almost nothing; 1e-4 thins out the
# bestsellers a little, so that they do not dominate every neighbour list, and trains faster.
model = Word2VecVectorizer(analyzer="pretokenized", vector_size=64, window=MAX_BASKET,
                           shrink_windows=False, min_count=10, sample=1e-4,
                           epochs=5 if QUICK else 10, n_jobs=-1, random_state=0)
started = time.perf_counter()
model.fit(baskets)
wv = model.wv_
print(f"{len(wv):,} item vectors in {time.perf_counter() - started:.1f} s")

# %%
# "Also bought" lists
# -------------------
# The nearest items of a few items, by cosine similarity, with the word behind each id
# written next to it only now, for us to judge.
for word in ["hockey", "encryption", "jesus", "engine", "orbit", "israeli", "doctor",
             "monitor", "pitcher"]:
    item = item_of[word]
    neighbours = wv.most_similar(item, topn=5)
    print(f"{item:>9} ({word}): "
          + ", ".join(f"{other} ({word_of[other]})" for other, _ in neighbours))

# %%
# Recommendations for a whole basket
# ----------------------------------
# The items closest to the mean of a basket's unit vectors (``most_similar`` with several
# positive items), which excludes the items already in the basket.
for index in [0, len(baskets) // 2]:
    basket = [item for item in baskets[index] if item in wv][:10]
    recommended = wv.most_similar(positive=basket, topn=6)
    print(f"\nbasket from {news.target_names[basket_newsgroup[index]]}: "
          + ", ".join(word_of[item] for item in basket))
    print("  recommended:", ", ".join(word_of[item] for item, _ in recommended))

# %%
# A number for it
# ---------------
# Each item's home newsgroup is the one where the share of posts holding it is largest. If the
# vectors capture interests, an item's nearest neighbour should often share its home; by
# chance (two random items), the two homes agree far less often.
n_groups = len(news.target_names)
rows = {item: row for row, item in enumerate(wv.index_to_word)}
holders = np.zeros((len(wv), n_groups))
for words, group in zip(post_sets, newsgroup, strict=True):
    for word in words:
        if item_of.get(word) in rows:
            holders[rows[item_of[word]], group] += 1
home = np.argmax(holders / np.bincount(newsgroup, minlength=n_groups), axis=1)
similarity = wv.unit_vectors @ wv.unit_vectors.T
np.fill_diagonal(similarity, -np.inf)
nearest = np.argmax(similarity, axis=1)
share = np.bincount(home, minlength=n_groups) / len(home)
agree = home[nearest] == home
print(f"\nnearest neighbour from the same home newsgroup: {agree.mean():.1%} of the items "
      f"(two random items: {share @ share:.1%})")

# %%
# The agreement per home newsgroup: groups with a vocabulary of their own (hockey,
# baseball, cryptography, medicine, space, the Middle East) agree most; groups that share
# much of their catalogue with a sibling (the three religion groups, the PC, Mac and
# Windows groups) agree least, as their items' neighbours often live next door.
per_group = [agree[home == g].mean() if np.any(home == g) else 0.0 for g in range(n_groups)]
order = np.argsort(per_group)
fig, ax = plt.subplots(figsize=(7, 6))
ax.barh(range(n_groups), np.array(per_group)[order])
ax.set_yticks(range(n_groups), [news.target_names[g] for g in order], fontsize=8)
ax.axvline(share @ share, color="grey", linestyle="--", label="two random items")
ax.set_xlabel("share of items whose nearest neighbour has the same home newsgroup")
ax.legend(loc="lower right")
fig.tight_layout()
plt.show()
