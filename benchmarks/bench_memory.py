"""Peak memory of training against corpus size: skw2v streams, it does not hold the corpus.

    python benchmarks/bench_memory.py [--copies 1,2,4]

The 20 Newsgroups corpus file (one post per line) is streamed 1, 2 and 4 times in a row as
one corpus, through skw2v ``fit`` (a one-shot generator over the file's lines) and gensim
``Word2Vec`` (a re-iterable over the same lines), CBOW, 1 epoch, 2 threads, each run in a
fresh subprocess. "train MiB" is the peak resident memory (VmHWM) after training minus the
peak before it. Holding the corpus would add about 4 bytes per token for int32 ids; streaming
keeps the figure flat while the corpus grows.
"""

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))


def vm_hwm_mib():
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return float("nan")


class Lines:
    """Re-iterable token lists of ``path``, repeated ``copies`` times (for gensim)."""

    def __init__(self, path, copies):
        self.path, self.copies = path, copies

    def __iter__(self):
        for _ in range(self.copies):
            with open(self.path) as handle:
                for line in handle:
                    yield line.split()


def child(system, path, copies):
    if system == "skw2v":
        from skw2v import Word2VecVectorizer

        Word2VecVectorizer(min_count=1, epochs=1, analyzer="pretokenized").fit([["a", "b"]])
        before = vm_hwm_mib()
        model = Word2VecVectorizer(architecture="cbow", epochs=1, n_jobs=2, random_state=0,
                                   analyzer="pretokenized")
        model.fit(iter(Lines(path, copies)))  # a one-shot generator
        words = len(model.wv_)
    else:
        from gensim.models import Word2Vec

        before = vm_hwm_mib()
        model = Word2Vec(Lines(path, copies), sg=0, epochs=1, workers=2, seed=0, min_count=5)
        words = len(model.wv)
    print(json.dumps({"before": before, "after": vm_hwm_mib(), "words": words}))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--copies", default="1,2,4")
    parser.add_argument("--child", nargs=3, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.child[0], args.child[1], int(args.child[2]))
        return
    from skw2v.datasets import fetch_20newsgroups_corpus

    texts = fetch_20newsgroups_corpus().data
    n_tokens = sum(len(text.split()) for text in texts)
    print(f"{'system':<8}{'copies':>7}{'tokens':>13}{'vocab':>8}{'train MiB':>11}"
          f"{'peak MiB':>10}")
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "corpus.txt"
        path.write_text("".join(text + "\n" for text in texts))
        for system in ("skw2v", "gensim"):
            for copies in map(int, args.copies.split(",")):
                proc = subprocess.run(
                    [sys.executable, __file__, "--child", system, str(path), str(copies)],
                    capture_output=True, text=True, env=dict(os.environ, PYTHONHASHSEED="0"),
                )  # fmt: skip
                if proc.returncode:
                    print(f"{system:<8}{copies:>7} failed: {proc.stderr.strip()[-300:]}")
                    continue
                r = json.loads(proc.stdout.strip().splitlines()[-1])
                print(f"{system:<8}{copies:>7}{n_tokens * copies:>13,}{r['words']:>8}"
                      f"{r['after'] - r['before']:>11.0f}{r['after']:>10.0f}", flush=True)


if __name__ == "__main__":
    main()
