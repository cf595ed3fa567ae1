"""
Neighbours, analogies and word-similarity benchmarks
====================================================

Skip-gram vectors learned from the 20 Newsgroups posts (about 4.7 million tokens), then
queried and evaluated:

- ``most_similar``: the nearest words by cosine similarity;
- analogies ``a : b :: c : ?`` answered by 3CosAdd (``most_similar(positive=[b, c],
  negative=[a])``) and by 3CosMul (``most_similar_cosmul``, Levy and Goldberg 2014);
- ``doesnt_match``: the odd one out;
- the Google analogy questions (``wv.evaluate_analogies``) and two word-similarity
  benchmarks, WordSim-353 and SimLex-999 (``wv.evaluate_word_pairs``), scored as gensim
  scores them.

20 Newsgroups is small and narrow next to the billions of words that published vectors are
trained on: expect sensible neighbours for the topics of the newsgroups (computers, cars,
hockey, religion, space, the Middle East) and low benchmark scores elsewhere.

The documentation runs this example in quick mode (``SKW2V_EXAMPLE_QUICK=1``): a third of
the posts (6,274 posts, 1.6 million tokens) for 3 epochs, instead of all of them for 5
(``SKW2V_EXAMPLE_QUICK=0``). The neighbours of frequent words and the odd-one-out answers are
much the same in both, but the benchmark scores are lower in quick mode: the smaller
vocabulary skips more questions and the vectors have seen less text. Measured on 2 cores:

==========================================  ===========  ==========
measure                                      quick mode   full run
==========================================  ===========  ==========
Google analogies, 3CosAdd accuracy               0.033       0.071
questions skipped (out of vocabulary)              62%         46%
WordSim-353 Spearman                             0.25        0.47
SimLex-999 Spearman                              0.14        0.18
==========================================  ===========  ==========
"""

import os
import time

import matplotlib.pyplot as plt
import numpy as np

from skw2v import Word2VecVectorizer
from skw2v.datasets import fetch_20newsgroups_corpus, fetch_analogies, fetch_word_similarity

QUICK = os.environ.get("SKW2V_EXAMPLE_QUICK") == "1"

# %%
# Training
# --------
# The posts are already lowercased and hold only letters, so the default tokenizer fits.
news = fetch_20newsgroups_corpus()
posts = news.data[::3] if QUICK else news.data
model = Word2VecVectorizer(vector_size=100, window=5, min_count=5, epochs=3 if QUICK else 5,
                           architecture="skipgram", n_jobs=-1, random_state=0)
started = time.perf_counter()
model.fit(posts)
wv = model.wv_
print(f"{len(wv):,} word vectors from {model.corpus_token_count_:,} tokens of "
      f"{len(posts):,} posts in {time.perf_counter() - started:.1f} s")

# %%
# Nearest neighbours
# ------------------
for word in ["hockey", "encryption", "jesus", "engine", "windows", "orbit"]:
    print(f"{word:>10}: " + ", ".join(f"{w} ({s:.2f})" for w, s in wv.most_similar(word,
                                                                                   topn=5)))

# %%
# Analogies: 3CosAdd against 3CosMul
# ----------------------------------
# 3CosAdd ranks words by ``cos(x, b) - cos(x, a) + cos(x, c)`` (on unit vectors); 3CosMul by
# ``cos(x, b) * cos(x, c) / cos(x, a)`` (cosines shifted to [0, 1]), which keeps one large
# similarity from dominating. The query words themselves are never answers. The last
# question, the classic of the word2vec paper, fails here: 20 Newsgroups rarely speaks of
# kings and queens.
questions = [("he", "his", "she"), ("good", "better", "bad"), ("big", "bigger", "small"),
             ("car", "cars", "computer"), ("man", "king", "woman")]
print(f"\n{'question':<28}{'3CosAdd top 3':<36}3CosMul top 3")
for a, b, c in questions:
    add = [w for w, _ in wv.most_similar(positive=[b, c], negative=[a], topn=3)]
    mul = [w for w, _ in wv.most_similar_cosmul(positive=[b, c], negative=[a], topn=3)]
    print(f"{f'{a} : {b} :: {c} : ?':<28}{', '.join(add):<36}{', '.join(mul)}")

# %%
# The odd one out
# ---------------
for words in [["monday", "friday", "sunday", "hockey"],
              ["god", "jesus", "bible", "engine"],
              ["nasa", "orbit", "shuttle", "christ"],
              ["windows", "dos", "unix", "toyota"]]:
    print(f"{' '.join(words):<32} -> {wv.doesnt_match(words)}")

# %%
# The Google analogy questions
# ----------------------------
# 19,544 questions in 14 sections. A question is skipped when one of its four words is not in
# the vocabulary; ``accuracy`` is the share of the remaining questions answered correctly
# (the first answer must be the expected word).
path = fetch_analogies()
results = {}
for method in ["3cosadd", "3cosmul"]:
    started = time.perf_counter()
    results[method] = wv.evaluate_analogies(path, method=method)
    result = results[method]
    print(f"{method}: accuracy {result.accuracy:.3f} ({result.correct:,} correct, "
          f"{result.incorrect:,} wrong, {result.skipped:,} skipped = {result.oov_ratio:.0f}% "
          f"out of vocabulary) in {time.perf_counter() - started:.1f} s")

print(f"\n{'section':<30}{'answered':>9}{'3CosAdd':>9}{'3CosMul':>9}")
for add, mul in zip(results["3cosadd"].sections, results["3cosmul"].sections, strict=True):
    answered = add.correct + add.incorrect
    print(f"{add.name:<30}{answered:>9,}{add.accuracy:>9.3f}{mul.accuracy:>9.3f}")

# %%
# Word-similarity benchmarks
# --------------------------
# Spearman correlation between human ratings of word pairs and the cosine similarities.
# WordSim-353 rates relatedness (``cup``/``coffee`` score high), SimLex-999 similarity proper
# (``cup``/``coffee`` score low); window-based vectors model relatedness better.
for name in ["wordsim353", "simlex999"]:
    pairs = wv.evaluate_word_pairs(fetch_word_similarity(name))
    print(f"{name:<11} Spearman {pairs.spearman:.3f} (p={pairs.spearman_pvalue:.1e}), "
          f"Pearson {pairs.pearson:.3f}, {pairs.n_pairs} pairs scored, "
          f"{pairs.n_skipped} skipped ({pairs.oov_ratio:.0f}% out of vocabulary)")

# %%
# Accuracy per section
# --------------------
# ``family`` and the comparatives do best: their words are common in any English text.
# Sections whose words these newsgroups rarely use (currencies, nationality adjectives,
# cities of US states) are mostly skipped or missed.
sections = results["3cosadd"].sections
names = [section.name for section in sections]
y = np.arange(len(names))
fig, ax = plt.subplots(figsize=(8, 6))
ax.barh(y - 0.2, [s.accuracy for s in sections], height=0.4, label="3CosAdd")
ax.barh(y + 0.2, [s.accuracy for s in results["3cosmul"].sections], height=0.4,
        label="3CosMul")
ax.set_yticks(y, [f"{s.name} ({s.correct + s.incorrect:,})" for s in sections])
ax.invert_yaxis()
ax.set_xlabel("accuracy on the answered questions (their number in brackets)")
ax.set_title("Google analogies, vectors trained on 20 Newsgroups")
ax.legend(loc="lower right")
fig.tight_layout()
plt.show()
