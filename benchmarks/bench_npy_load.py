"""Loading a big word-vector table: skw2v's ``format="npy"`` (memory-mapped) against the
word2vec binary format (skw2v and gensim) and gensim's own ``KeyedVectors.load(mmap="r")``;
then two joblib workers of a grid search sharing the mapped table.

    nice -n 19 python benchmarks/bench_npy_load.py --tmp /big/disk   # 1M words x 300
    python benchmarks/bench_npy_load.py --words 100000 --dim 100      # small

A random table (``--words`` words of 4 to 12 random letters, ``--dim`` float32 dimensions,
Zipf counts) is written by skw2v into a temporary directory under ``--tmp`` (removed at the
end, also on failure): ``save(format="npy")``, ``save(format="word2vec-binary")``, and
gensim's ``KeyedVectors.save`` of ``wv.to_gensim()`` (its vectors as a separate ``.npy``).

Each loader then runs in a fresh subprocess, after its files have been dropped from the page
cache (``posix_fadvise(DONTNEED)``; "cold"), and once more with them cached ("warm"):

- skw2v npy mmap: ``WordVectors.load(path, format="npy", mmap=True)`` (reads the words and
  counts; maps the vectors; checks them for NaN in 4 MiB blocks that are not kept);
- skw2v npy read: the same with ``mmap=False`` (the vectors read into memory);
- skw2v w2v-bin: ``WordVectors.load(path, format="word2vec-binary")``;
- gensim w2v-bin: ``KeyedVectors.load_word2vec_format(path, binary=True)``;
- gensim mmap: ``KeyedVectors.load(path, mmap="r")`` (unpickles the words; maps the vectors).

"load s" is the wall time of that call; "RSS" the resident memory (VmRSS) before it (modules
imported) and after it, and "anon" its anonymous part (RssAnon: the process' own memory, as
opposed to pages of mapped files, which the system can drop and processes share).

Last, ``GridSearchCV(n_jobs=2)`` (joblib's loky processes) of a Pipeline
``Word2VecVectorizer(init=table, epochs=0) -> probe -> LogisticRegression`` over 2 values of
``C`` and 2 folds runs in a fresh process, once with the table loaded with ``mmap=True`` and
once read into memory. In its first fit in each worker, the probe step waits for the other
worker's (both then hold the table) and records its worker's ``/proc/self/smaps_rollup`` and
peak RSS (VmHWM):
``Rss`` counts every page a process maps, ``Pss`` divides each page among the processes
sharing it, ``Shared_Clean`` is the part mapped by other processes too (the table's file).
"""

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_fasttext_load import (  # noqa: E402
    GIB,
    drop_from_page_cache,
    mem_available,
    random_words,
    smaps_rollup_mib,
    status_mib,
    uniform_rows,
)
from bench_training import status_mib as peak_mib  # noqa: E402  (one /proc reader)

SYSTEMS = ("skw2v npy mmap", "skw2v npy read", "skw2v w2v-bin", "gensim w2v-bin",
           "gensim mmap")
ROLLUP_KEYS = ("Rss", "Pss", "Shared_Clean", "Private_Clean", "Private_Dirty", "Anonymous")


# ------------------------------------------------------------------------------ the table
def write_table(tmp, n_words, dim, seed=0):
    """Write the table in the three formats; return {what: seconds} and the words."""
    from skw2v import WordVectors

    rng = np.random.default_rng(seed)
    words = random_words(n_words, seed)
    counts = np.maximum(1, (1e7 / np.arange(1, n_words + 1))).astype(np.int64)
    wv = WordVectors._owning(words, uniform_rows(rng, n_words, dim, 1 / dim), counts=counts)
    times = {}
    start = time.perf_counter()
    wv.save(os.path.join(tmp, "table.npy"), format="npy")
    times["skw2v save npy"] = time.perf_counter() - start
    start = time.perf_counter()
    wv.save(os.path.join(tmp, "table.bin"), format="word2vec-binary")
    times["skw2v save word2vec-binary"] = time.perf_counter() - start
    start = time.perf_counter()
    wv.to_gensim().save(os.path.join(tmp, "table.kv"))
    times["gensim KeyedVectors.save"] = time.perf_counter() - start
    return times, words


def files_of(system, tmp):
    if system.startswith("skw2v npy"):
        directory = os.path.join(tmp, "table.npy")
        return directory, [os.path.join(directory, name) for name in os.listdir(directory)]
    if system.endswith("w2v-bin"):
        path = os.path.join(tmp, "table.bin")
        return path, [path]
    path = os.path.join(tmp, "table.kv")
    return path, [os.path.join(tmp, name) for name in os.listdir(tmp)
                  if name.startswith("table.kv")]


def load(system, path):
    if system.startswith("skw2v"):
        from skw2v import WordVectors

        if system == "skw2v w2v-bin":
            return WordVectors.load(path, format="word2vec-binary")
        return WordVectors.load(path, format="npy", mmap=system.endswith("mmap"))
    from gensim.models import KeyedVectors

    if system == "gensim w2v-bin":
        return KeyedVectors.load_word2vec_format(path, binary=True)
    return KeyedVectors.load(path, mmap="r")


def load_child(system, tmp, word, cache):
    if system.startswith("skw2v"):
        import skw2v  # noqa: F401
    else:
        import gensim.models  # noqa: F401
    path, files = files_of(system, tmp)
    if cache == "cold":
        for name in files:
            drop_from_page_cache(name)
    before = status_mib()
    start = time.perf_counter()
    model = load(system, path)
    load_s = time.perf_counter() - start
    after = status_mib()
    print(json.dumps({"load_s": load_s, "before": before, "after": after,
                      "checksum": float(np.asarray(model[word], dtype=np.float64).sum())}),
          flush=True)


def run_child(*args):
    proc = subprocess.run([sys.executable, __file__, "--child", *args], capture_output=True,
                          text=True, check=False)
    if proc.returncode:
        raise RuntimeError(f"{args[:2]} failed ({proc.returncode}): {proc.stderr[-3000:]}")
    return json.loads(proc.stdout.strip().splitlines()[-1])


# ------------------------------------------------------------------------------ grid search
class Probe:
    """A pass-through pipeline step whose ``fit`` records its process' memory while the
    other worker holds the table too: a barrier (files ``out.d/<pid>.<stage>``) makes the
    first fits of both workers wait for each other before and after recording."""

    def __init__(self, out=None, n_workers=2, timeout=120.0):
        self.out = out
        self.n_workers = n_workers
        self.timeout = timeout

    def get_params(self, deep=True):
        return {"out": self.out, "n_workers": self.n_workers, "timeout": self.timeout}

    def set_params(self, **params):
        for name, value in params.items():
            setattr(self, name, value)
        return self

    def _barrier(self, stage):
        directory = self.out + ".d"
        os.makedirs(directory, exist_ok=True)
        Path(directory, f"{os.getpid()}.{stage}").touch()
        deadline = time.monotonic() + self.timeout
        while time.monotonic() < deadline:
            if sum(name.endswith(f".{stage}") for name in os.listdir(directory)) \
                    >= self.n_workers:
                return True
            time.sleep(0.05)
        return False

    def fit(self, X, y=None):
        together = self._barrier("arrived")
        record = {"pid": os.getpid(), "rollup": smaps_rollup_mib("self"),
                  "VmHWM": peak_mib("VmHWM"), "together": together}
        with open(self.out, "a") as handle:
            handle.write(json.dumps(record) + "\n")
        self._barrier("recorded")
        return self

    def transform(self, X):
        return X


def grid_child(tmp, mode, out):
    from sklearn.linear_model import LogisticRegression
    from sklearn.model_selection import GridSearchCV
    from sklearn.pipeline import make_pipeline

    from skw2v import Word2VecVectorizer, WordVectors

    table = WordVectors.load(os.path.join(tmp, "table.npy"), format="npy",
                             mmap=mode == "mmap")
    rng = np.random.default_rng(0)
    frequent = table.index_to_word[:5000]
    docs = [" ".join(rng.choice(frequent, size=20)) for _ in range(400)]
    y = rng.integers(0, 2, size=400)
    pipe = make_pipeline(Word2VecVectorizer(init=table, vector_size=table.vector_size,
                                            epochs=0, n_jobs=1),
                         Probe(out=out), LogisticRegression(max_iter=200))
    grid = GridSearchCV(pipe, {"logisticregression__C": [0.1, 1.0]}, cv=2, n_jobs=2,
                        refit=False)
    start = time.perf_counter()
    grid.fit(docs, y)
    elapsed = time.perf_counter() - start
    parent = smaps_rollup_mib("self")
    print(json.dumps({"grid_s": elapsed, "parent": parent, "parent_VmHWM": peak_mib("VmHWM")}),
          flush=True)


def grid_report(tmp, mode):
    out = os.path.join(tmp, f"probe-{mode}.jsonl")
    result = run_child("grid", tmp, mode, out)
    with open(out) as handle:
        records = [json.loads(line) for line in handle]
    # Each worker's record from its first fit, taken while both held the table.
    first = {}
    for record in records:
        first.setdefault(record["pid"], record)
    if not all(record["together"] for record in first.values()):
        print("(the workers' first fits did not overlap: the numbers below were not taken "
              "at the same time)")
    return result, list(first.values()), len(records)


# ------------------------------------------------------------------------------ report
def versions():
    import gensim
    import sklearn

    from skw2v import __version__ as skw2v_version

    return (f"skw2v {skw2v_version}, gensim {gensim.__version__}, scikit-learn "
            f"{sklearn.__version__}, numpy {np.__version__}, Python "
            f"{sys.version.split()[0]}, {os.cpu_count()} CPUs")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--words", type=int, default=1_000_000)
    parser.add_argument("--dim", type=int, default=300)
    parser.add_argument("--tmp", default=None, help="directory for the files (default: the "
                        "system's temporary directory)")
    parser.add_argument("--child", nargs="+", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        kind, *rest = args.child
        (load_child if kind == "load" else grid_child)(*rest)
        return

    print(versions())
    table_bytes = 4 * args.words * args.dim
    if args.tmp:
        os.makedirs(args.tmp, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=args.tmp, prefix="bench_npy_load_") as tmp:
        free, available = shutil.disk_usage(tmp).free, mem_available() or 0
        # Three copies on disk; in memory the parent's table and a loader's copy, and two
        # workers' copies in the grid search that reads the table into memory.
        if free < 3.5 * table_bytes + 2 * GIB or available < 4 * table_bytes + 2 * GIB:
            raise SystemExit(f"Not enough room for a {table_bytes / GIB:.2f} GiB table: "
                             f"{free / GIB:.1f} GiB free on disk, {available / GIB:.1f} GiB "
                             "of memory available. Use --tmp on a larger disk, or --words.")
        print(f"temporary directory {tmp}: {free / GIB:.1f} GiB free; "
              f"{available / GIB:.1f} GiB of memory available")
        times, words = write_table(tmp, args.words, args.dim)
        word = words[10]
        del words
        print(f"table: {args.words:,} words x {args.dim} float32 = {table_bytes / GIB:.2f} GiB; "
              + "; ".join(f"{what} {seconds:.1f} s" for what, seconds in times.items()) + "\n")

        print(f"{'loader':<16}{'cache':<7}{'RSS MiB':>9}{'load s':>8}{'RSS MiB':>9}"
              f"{'anon':>8}{'  vs npy mmap':>14}")
        print(f"{'':<23}{'before':>9}{'':>8}{'after':>9}{'after':>8}{'(load s)':>14}")
        print("-" * 65)
        reference, checksums = {}, {}
        for system in SYSTEMS:
            for cache in ("cold", "warm"):
                r = run_child("load", system, tmp, word, cache)
                reference.setdefault(cache, r["load_s"])
                checksums[system] = r["checksum"]
                ratio = r["load_s"] / reference[cache]
                print(f"{system:<16}{cache:<7}{r['before']['VmRSS']:>9.0f}{r['load_s']:>8.2f}"
                      f"{r['after']['VmRSS']:>9.0f}{r['after']['RssAnon']:>8.0f}"
                      f"{ratio:>13.1f}x", flush=True)
        same = len({round(value, 4) for value in checksums.values()}) == 1
        print(f"\nthe vector of {word!r}: {'the same' if same else 'DIFFERENT'} in every "
              "loader")

        for mode in ("mmap", "read"):
            result, workers, n_fits = grid_report(tmp, mode)
            print(f"\nGridSearchCV(n_jobs=2, loky), {n_fits} fits in {result['grid_s']:.1f} s; "
                  f"init = the table loaded with mmap={mode == 'mmap'}; smaps_rollup MiB of "
                  "each worker during its first fit:")
            print(f"{'process':<10}" + "".join(f"{key:>14}" for key in ROLLUP_KEYS)
                  + f"{'VmHWM':>10}")
            for index, record in enumerate(workers, start=1):
                rollup = record["rollup"]
                print(f"{f'worker {index}':<10}"
                      + "".join(f"{rollup.get(key, 0):>14.0f}" for key in ROLLUP_KEYS)
                      + f"{record['VmHWM']:>10.0f}")
            parent = result["parent"]
            print(f"{'parent':<10}" + "".join(f"{parent.get(key, 0):>14.0f}"
                                              for key in ROLLUP_KEYS)
                  + f"{result['parent_VmHWM']:>10.0f}")
            print(f"{'workers':<10}{sum(r['rollup']['Rss'] for r in workers):>14.0f}"
                  f"{sum(r['rollup']['Pss'] for r in workers):>14.0f}   (table: "
                  f"{table_bytes / 2**20:.0f} MiB; Pss adds up to the memory used)")


if __name__ == "__main__":
    main()
