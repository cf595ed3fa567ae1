"""Memory of counting the vocabulary when a corpus holds millions of distinct junk tokens.

    python benchmarks/bench_vocab_memory.py [--junk-tokens 25000000] [--junk-words 10000000]

The corpus: the 20 Newsgroups posts (split on whitespace), each followed by a junk document of
1,000 tokens drawn uniformly from ``--junk-words`` distinct junk words (ids, so about 10M
distinct junk words arrive in 25M junk tokens). It is generated on the fly in every child
process, never stored.

Every system counts the same token stream with ``max_vocab_size=100,000`` and ``min_count=5``
(reading and vocabulary only, no training), each in a fresh subprocess:

- gensim 4.4 ``Word2Vec.build_vocab`` (prunes words below a rising threshold whenever it
  holds more than max_vocab_size words);
- skw2v's reading step (``skw2v._sources.read_documents`` + ``choose_vocabulary``, what ``fit``
  runs before training) with ``max_vocab_size`` (a counting budget);
- skw2v without ``max_vocab_size`` (exact counts: every distinct token is held).

"read MiB" is the peak resident memory (VmHWM) during the call minus the peak before it.
The kept words are compared with exact counts (a ``collections.Counter`` in another child):
"exact" is the share of kept words whose count is exact, "count error" the total relative
error of their counts; "top recall" is the share of the exact top-100,000 words (count >= 5,
ties by first appearance) that the system keeps, "news recall" the same for the 20 Newsgroups
words seen at least 5 times.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

MAX_VOCAB = 100_000
MIN_COUNT = 5
JUNK_DOCUMENT = 1_000


def vm_hwm_mib():
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return float("nan")


class Corpus:
    """Re-iterable token lists: every post followed by a junk document (same every pass)."""

    def __init__(self, posts_path, junk_tokens, junk_words):
        self.posts_path, self.junk_tokens, self.junk_words = posts_path, junk_tokens, junk_words

    def __iter__(self):
        import numpy as np

        with open(self.posts_path, encoding="utf-8") as handle:
            posts = handle.read().split("\n")
        rng = np.random.default_rng(0)
        per_post = max(self.junk_tokens // max(len(posts), 1), 1)
        for post in posts:
            yield post.split()
            left = per_post
            while left > 0:
                n = min(left, JUNK_DOCUMENT)
                yield [f"j{i:x}" for i in rng.integers(0, self.junk_words, n).tolist()]
                left -= n


def child(system, posts_path, junk_tokens, junk_words, out_path):
    corpus = Corpus(posts_path, junk_tokens, junk_words)
    if system == "gensim":
        from gensim.models import Word2Vec
    elif system != "exact":
        from skw2v import Word2VecVectorizer, _driver, _sources
    before = vm_hwm_mib()  # after the imports
    started = time.perf_counter()
    if system == "exact":
        from collections import Counter

        counts = Counter()
        for tokens in corpus:
            counts.update(tokens)
        words = list(counts)
        kept = {w: counts[w] for w in words}
    elif system == "gensim":
        model = Word2Vec(min_count=MIN_COUNT, max_vocab_size=MAX_VOCAB, workers=1)
        model.build_vocab(corpus)
        kept = {w: int(model.wv.get_vecattr(w, "count")) for w in model.wv.index_to_key}
    else:
        bound = MAX_VOCAB if system == "skw2v" else None
        estimator = Word2VecVectorizer(analyzer="pretokenized", min_count=MIN_COUNT,
                                       max_vocab_size=bound)
        plan = _driver.plan_fit(estimator)
        with _sources.read_documents(plan, iter(corpus)) as encoded:
            vocabulary, _ = _driver.choose_vocabulary(plan, encoded)
            n_tokens = encoded.n_tokens
        kept = dict(zip(vocabulary.words, vocabulary.counts.tolist(), strict=True))
    seconds = time.perf_counter() - started
    result = {"system": system, "seconds": seconds, "read_mib": vm_hwm_mib() - before,
              "peak_mib": vm_hwm_mib(), "kept": kept}
    if system == "skw2v-exact":
        result["n_tokens"] = n_tokens
    with open(out_path, "w") as handle:
        json.dump(result, handle)


def run_child(system, posts_path, args):
    with tempfile.NamedTemporaryFile(suffix=".json", delete=False) as out:
        out_path = out.name
    try:
        subprocess.run([sys.executable, __file__, "--child", system, "--posts", posts_path,
                        "--junk-tokens", str(args.junk_tokens), "--junk-words",
                        str(args.junk_words), "--out", out_path], check=True)
        with open(out_path) as handle:
            return json.load(handle)
    finally:
        os.unlink(out_path)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--junk-tokens", type=int, default=25_000_000)
    parser.add_argument("--junk-words", type=int, default=10_000_000)
    parser.add_argument("--child")
    parser.add_argument("--posts")
    parser.add_argument("--out")
    args = parser.parse_args()
    if args.child:
        child(args.child, args.posts, args.junk_tokens, args.junk_words, args.out)
        return
    from skw2v.datasets import fetch_20newsgroups_corpus

    posts = fetch_20newsgroups_corpus().data
    with tempfile.NamedTemporaryFile("w", suffix=".txt", delete=False,
                                     encoding="utf-8") as handle:
        handle.write("\n".join(" ".join(post.split()) for post in posts))
        posts_path = handle.name
    try:
        print(f"corpus: {len(posts):,} 20 Newsgroups posts + {args.junk_tokens:,} junk tokens "
              f"over {args.junk_words:,} junk words; max_vocab_size {MAX_VOCAB:,}, min_count "
              f"{MIN_COUNT}", flush=True)
        results = {}
        for system in ("exact", "gensim", "skw2v", "skw2v-exact"):
            results[system] = run_child(system, posts_path, args)
            print(f"  {system}: {results[system]['seconds']:.1f} s", flush=True)
    finally:
        os.unlink(posts_path)
    exact = results.pop("exact")["kept"]
    news = set()
    with_min = [(w, c) for w, c in exact.items() if c >= MIN_COUNT]
    top = {w for w, _ in sorted(with_min, key=lambda item: -item[1])[:MAX_VOCAB]}
    for post in posts:
        news.update(post.split())
    news = {w for w in news if exact.get(w, 0) >= MIN_COUNT}
    distinct = len(exact)
    print(f"exact counts: {distinct:,} distinct words, {len(with_min):,} seen >= {MIN_COUNT} "
          f"times, {len(news):,} of them from the posts")
    header = (f"{'system':<34}{'read MiB':>9}{'peak MiB':>9}{'seconds':>8}{'kept':>9}"
              f"{'exact':>8}{'count error':>12}{'top recall':>11}{'news recall':>12}")
    print(header)
    print("-" * len(header))
    labels = {"gensim": "gensim build_vocab, max_vocab 100k",
              "skw2v": "skw2v read, max_vocab_size 100k",
              "skw2v-exact": "skw2v read, max_vocab_size None"}
    for system, result in results.items():
        kept = result["kept"]
        n_exact = sum(exact[w] == c for w, c in kept.items())
        error = sum(abs(exact[w] - c) for w, c in kept.items()) / max(
            sum(exact[w] for w in kept), 1)
        print(f"{labels[system]:<34}{result['read_mib']:>9,.0f}{result['peak_mib']:>9,.0f}"
              f"{result['seconds']:>8.1f}{len(kept):>9,}{n_exact / max(len(kept), 1):>8.3f}"
              f"{error:>12.4f}{len(top & kept.keys()) / len(top):>11.3f}"
              f"{len(news & kept.keys()) / max(len(news), 1):>12.3f}")


if __name__ == "__main__":
    main()
