"""Transform and query speed on Rotten Tomatoes: skw2v against the usual alternatives.

    python benchmarks/bench_transform.py [--repeat 5]

In one run, on the 12,808 Rotten Tomatoes snippets and the same fitted vocabulary:

- skw2v ``transform`` (mean pooling) in documents per second;
- a per-token Python loop over gensim ``KeyedVectors`` (what zeugma's EmbeddingTransformer
  does), with the same tokenizer;
- ``CountVectorizer.transform`` with the same tokenizer and vocabulary: the tokenization floor;
- ``most_similar`` latency of skw2v's ``WordVectors`` and gensim's ``KeyedVectors`` holding the
  same vectors.

Each timing is the best of ``--repeat`` runs (least disturbed by other load).
"""

import argparse
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from gensim.models import KeyedVectors  # noqa: E402
from sklearn.feature_extraction.text import CountVectorizer  # noqa: E402

from skw2v import Word2VecVectorizer  # noqa: E402
from skw2v.datasets import fetch_rotten_tomatoes  # noqa: E402


def best_of(repeat, function):
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        result = function()
        times.append(time.perf_counter() - started)
    return min(times), result


def python_loop(texts, analyzer, keyed_vectors):
    """zeugma-style: one dictionary look-up and one vector copy per token."""
    rows = []
    for text in texts:
        vectors = [keyed_vectors[token] for token in analyzer(text) if token in keyed_vectors]
        rows.append(np.mean(vectors, axis=0) if vectors
                    else np.zeros(keyed_vectors.vector_size, dtype=np.float32))
    return np.array(rows)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    texts = fetch_rotten_tomatoes().data
    model = Word2VecVectorizer(min_count=2, epochs=5, n_jobs=-1, random_state=0).fit(texts)
    analyzer = model.build_analyzer()
    keyed_vectors = KeyedVectors(model.wv_.vector_size)
    keyed_vectors.add_vectors(model.wv_.index_to_word, model.wv_.vectors)
    counter = CountVectorizer(token_pattern=model.token_pattern,
                              vocabulary=model.vocabulary_).fit(texts)
    n = len(texts)

    ours, pooled = best_of(args.repeat, lambda: model.transform(texts))
    loop, looped = best_of(args.repeat, lambda: python_loop(texts, analyzer, keyed_vectors))
    floor, _ = best_of(args.repeat, lambda: counter.transform(texts))
    assert np.allclose(pooled, looped, atol=1e-5), "the two transforms disagree"

    print(f"Rotten Tomatoes: {n:,} documents, {len(model.wv_):,} words, "
          f"dim {model.wv_.vector_size}, best of {args.repeat}")
    print(f"{'method':<44}{'docs/s':>12}{'seconds':>10}")
    for name, seconds in [("skw2v transform (mean)", ours),
                          ("Python loop over gensim KeyedVectors", loop),
                          ("CountVectorizer.transform (tokenizing only)", floor)]:
        print(f"{name:<44}{n / seconds:>12,.0f}{seconds:>10.3f}")
    print(f"skw2v / CountVectorizer time: {ours / floor:.2f}x  (target <= 1.3)")
    print(f"Python loop / skw2v time:     {loop / ours:.2f}x  (target >= 3)")

    queries = [w for w in model.wv_.index_to_word[:200:4]]
    model.wv_.most_similar(queries[0])  # compute and cache unit vectors on both sides
    keyed_vectors.most_similar(queries[0])
    ours_q, _ = best_of(args.repeat, lambda: [model.wv_.most_similar(q) for q in queries])
    theirs_q, _ = best_of(args.repeat, lambda: [keyed_vectors.most_similar(q) for q in queries])
    same = sum(
        [w for w, _ in model.wv_.most_similar(q)] == [w for w, _ in keyed_vectors.most_similar(q)]
        for q in queries
    )
    print(f"most_similar: skw2v {ours_q / len(queries) * 1e6:,.0f} us, gensim "
          f"{theirs_q / len(queries) * 1e6:,.0f} us per query; ratio {ours_q / theirs_q:.2f}x "
          f"(target <= 1.0); identical top-10 for {same}/{len(queries)} queries")


if __name__ == "__main__":
    main()
