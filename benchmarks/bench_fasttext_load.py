"""Loading a large fastText ``.bin`` model: skw2v (memory-mapped) against gensim and fastText.

    nice -n 19 python benchmarks/bench_fasttext_load.py                # 1M words, 2M buckets
    python benchmarks/bench_fasttext_load.py --words 100000 --buckets 200000 --dim 100  # small
    python benchmarks/bench_fasttext_load.py --tmp /big/disk          # where the model goes

A synthetic fastText model (``--words`` words of 4 to 12 random letters, Zipf counts,
``--buckets`` n-gram buckets, ``--dim`` dimensions, n-grams of 3 to 6 characters; uniform
random rows) is written by skw2v's ``WordVectors.save(format="fasttext")`` into a temporary
directory (``--tmp``; removed at the end, also on failure). Its size is the input matrix
(words + buckets rows) plus fastText's output matrix (one row per word). Before writing, the
free disk space and memory are checked, and the model is scaled down (same proportions) to
what fits: the file, and gensim's copy of it in memory.

Each loader then runs in a fresh subprocess, after the file has been dropped from the page
cache (``posix_fadvise(DONTNEED)``; "cold"), and once more with the file cached ("warm"):

- skw2v: ``WordVectors.load(path, format="fasttext")`` (maps the matrix; reads the dictionary;
  checks that the matrix holds no NaN or infinity, reading it in 4 MiB blocks);
- gensim: ``gensim.models.fasttext.load_facebook_vectors(path)``;
- fastText: ``fasttext.load_model(path)``.

"load s" is the wall time of that call; "RSS" the resident memory (VmRSS) before it (the
modules imported) and after it, and
"anon" its anonymous part (RssAnon: memory of the process itself, as opposed to pages of
the mapped file, which the system can drop and which processes share). Then one query,
``most_similar`` (``get_nearest_neighbors`` in fastText) of the 10 nearest words of a
frequent word, which makes skw2v compose the vectors of the whole vocabulary (hashing its
n-grams) on first use; "query s" and the RSS after it. skw2v's kernels are compiled on a
tiny model before (Numba; cached on disk). The finiteness check that skw2v's load runs is
also timed alone, from disk and cached, in the cold child before its load.

Last, two processes load the same file with skw2v and run the query, and their
``/proc/<pid>/smaps_rollup`` is read while both hold the model: ``Rss`` counts every page a
process maps, ``Pss`` divides each page among the processes sharing it, and
``Shared_Clean`` is the part of the pages mapped by both (the model file's).
"""

import argparse
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

MIB = 2**20
GIB = 2**30
MIN_BYTES = int(1.5 * GIB)


def status_mib():
    """VmRSS, RssAnon and RssFile of this process, in MiB."""
    values = {}
    with open("/proc/self/status") as status:
        for line in status:
            key, _, rest = line.partition(":")
            if key in ("VmRSS", "RssAnon", "RssFile"):
                values[key] = int(rest.split()[0]) / 1024
    return values


def smaps_rollup_mib(pid):
    values = {}
    with open(f"/proc/{pid}/smaps_rollup") as rollup:
        for line in rollup:
            key, _, rest = line.partition(":")
            if key in ("Rss", "Pss", "Shared_Clean", "Private_Clean", "Private_Dirty",
                       "Anonymous"):
                values[key] = int(rest.split()[0]) / 1024
    return values


def drop_from_page_cache(path):
    """Ask the kernel to drop the file's cached pages (only this file; no root needed)."""
    descriptor = os.open(path, os.O_RDONLY)
    try:
        os.fsync(descriptor)
        os.posix_fadvise(descriptor, 0, 0, os.POSIX_FADV_DONTNEED)
    finally:
        os.close(descriptor)


def mem_available():
    with open("/proc/meminfo") as meminfo:
        for line in meminfo:
            if line.startswith("MemAvailable:"):
                return int(line.split()[1]) * 1024
    return None


def model_bytes(n_words, n_buckets, dim):
    return 4 * dim * (2 * n_words + n_buckets)  # input (words + buckets) and output rows


# ------------------------------------------------------------------------------ the model
def random_words(n_words, seed):
    """``n_words`` distinct words of 4 to 12 random lowercase letters."""
    rng = np.random.default_rng(seed)
    words, seen = [], set()
    while len(words) < n_words:
        need = n_words - len(words)
        lengths = rng.integers(4, 13, size=need)
        letters = rng.integers(ord("a"), ord("z") + 1, size=(need, 12), dtype=np.uint8)
        for row, length in zip(letters, lengths, strict=True):
            word = row[:length].tobytes().decode("ascii")
            if word not in seen:
                seen.add(word)
                words.append(word)
    return words


def uniform_rows(rng, n_rows, dim, scale):
    rows = np.empty((n_rows, dim), dtype=np.float32)
    step = max(1, (64 * MIB) // (4 * dim))
    for start in range(0, n_rows, step):
        block = rows[start:start + step]
        rng.random(out=block, dtype=np.float32)
        block -= np.float32(0.5)
        block *= np.float32(2 * scale)
    return rows


def write_model(path, n_words, n_buckets, dim, seed=0):
    """Write a random fastText model with skw2v's save; return the save time."""
    from skw2v import WordVectors

    rng = np.random.default_rng(seed)
    words = random_words(n_words, seed)
    counts = np.maximum(1, (1e7 / np.arange(1, n_words + 1))).astype(np.int64)
    wv = WordVectors._owning(words, np.empty((n_words, 0), dtype=np.float32), counts=counts)
    wv._set_subwords(uniform_rows(rng, n_words, dim, 1 / dim),
                     uniform_rows(rng, n_buckets, dim, 1 / dim), None, (3, 6), n_buckets)
    start = time.perf_counter()
    wv.save(path, format="fasttext")
    return time.perf_counter() - start, words


# ------------------------------------------------------------------------------ children
def load(system, path):
    if system == "skw2v":
        from skw2v import WordVectors

        return WordVectors.load(path, format="fasttext")
    if system == "gensim":
        from gensim.models.fasttext import load_facebook_vectors

        return load_facebook_vectors(path)
    import fasttext

    return fasttext.load_model(path)


def query(system, model, word):
    if system == "fasttext":
        return [w for _, w in model.get_nearest_neighbors(word, k=10)]
    return [w for w, _ in model.most_similar(word, topn=10)]


def import_system(system):
    """Import the loader's modules (and compile skw2v's kernels, on a tiny model) first, so
    that the times are those of the load and the query."""
    if system == "skw2v":
        from skw2v import WordVectors

        rng = np.random.default_rng(0)
        tiny = WordVectors.from_subwords(["walk", "talk"], rng.random((2, 4)),
                                         rng.random((10, 4)), char_ngram_range=(3, 6),
                                         n_buckets=10)
        tiny.most_similar("walk", topn=1)
        tiny["walking"]
    elif system == "gensim":
        import gensim.models.fasttext  # noqa: F401
    else:
        import fasttext  # noqa: F401


def check_times(path):
    """Seconds of skw2v's finiteness check of the input matrix (as load runs it), with the
    file not cached, then cached."""
    from skw2v._io.fasttext_bin import check_mapped_rows, read_fasttext_bin

    model = read_fasttext_bin(path)
    times = []
    for _ in ("cold", "warm"):
        if not times:
            drop_from_page_cache(path)
        start = time.perf_counter()
        check_mapped_rows(model.input_matrix, model.words)
        times.append(time.perf_counter() - start)
    return times


def child(system, path, word, cache, hold=False):
    import_system(system)
    result = {}
    if system == "skw2v" and cache == "cold" and not hold:
        result["check_s"] = check_times(path)
    if cache == "cold":
        drop_from_page_cache(path)
    before = status_mib()
    start = time.perf_counter()
    model = load(system, path)
    load_s = time.perf_counter() - start
    after_load = status_mib()
    start = time.perf_counter()
    neighbours = query(system, model, word)
    query_s = time.perf_counter() - start
    after_query = status_mib()
    result.update(load_s=load_s, query_s=query_s, before=before, after_load=after_load,
                  after_query=after_query, neighbours=neighbours)
    print(json.dumps(result), flush=True)
    if hold:  # keep the model until the parent has read smaps_rollup
        sys.stdin.readline()


def run_child(system, path, word, cache):
    proc = subprocess.run([sys.executable, __file__, "--child", system, path, word, cache],
                          capture_output=True, text=True, check=False)
    if proc.returncode:
        raise RuntimeError(f"{system} failed ({proc.returncode}): {proc.stderr[-2000:]}")
    return json.loads(proc.stdout.strip().splitlines()[-1])


def shared_pages(path, word):
    """Two skw2v processes holding the same model: their smaps_rollup."""
    procs = [subprocess.Popen([sys.executable, __file__, "--child", "skw2v", path, word, "warm",
                               "--hold"], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                              text=True) for _ in range(2)]
    try:
        for proc in procs:  # each prints its result once it holds the model and has queried
            line = proc.stdout.readline()
            if not line:
                raise RuntimeError("a skw2v process failed")
        return [smaps_rollup_mib(proc.pid) for proc in procs]
    finally:
        for proc in procs:
            if proc.poll() is None:
                try:
                    proc.stdin.write("\n")
                    proc.stdin.flush()
                    proc.wait(timeout=60)
                except (OSError, subprocess.TimeoutExpired):
                    proc.send_signal(signal.SIGKILL)
                    proc.wait()


# ------------------------------------------------------------------------------ report
def versions():
    import fasttext  # noqa: F401
    import gensim

    from skw2v import __version__ as skw2v_version

    try:
        from importlib.metadata import version

        fasttext_version = version("fasttext-numpy2")
    except Exception:  # noqa: BLE001
        fasttext_version = "?"
    return (f"skw2v {skw2v_version}, gensim {gensim.__version__}, fasttext "
            f"{fasttext_version}, numpy {np.__version__}, Python {sys.version.split()[0]}, "
            f"{os.cpu_count()} CPUs")


def scaled(args, free_disk, available):
    """(words, buckets) scaled down, in the same proportions, to fit the disk and memory."""
    wanted = model_bytes(args.words, args.buckets, args.dim)
    # The file, with room to spare on disk; in memory gensim holds the input matrix and the
    # vectors of the vocabulary, and the parent holds the matrix while writing it.
    budget = min((free_disk - 2 * GIB) / 1.1, (available - 2 * GIB) / 2.5 if available
                 else wanted)
    factor = min(1.0, budget / wanted)
    if factor < 1 and factor * wanted < MIN_BYTES:
        raise SystemExit(f"Not enough room: {free_disk / GIB:.1f} GiB free on disk and "
                         f"{(available or 0) / GIB:.1f} GiB of memory available, for a model of "
                         f"at least {MIN_BYTES / GIB:.1f} GiB. Use --tmp on a larger disk.")
    return int(args.words * factor), int(args.buckets * factor)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--words", type=int, default=1_000_000)
    parser.add_argument("--buckets", type=int, default=2_000_000)
    parser.add_argument("--dim", type=int, default=300)
    parser.add_argument("--tmp", default=None, help="directory for the model (default: the "
                        "system's temporary directory)")
    parser.add_argument("--child", nargs=4, help=argparse.SUPPRESS)
    parser.add_argument("--hold", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(*args.child, hold=args.hold)
        return

    print(versions())
    with tempfile.TemporaryDirectory(dir=args.tmp, prefix="bench_fasttext_load_") as tmp:
        free = shutil.disk_usage(tmp).free
        available = mem_available()
        n_words, n_buckets = scaled(args, free, available)
        print(f"temporary directory {tmp}: {free / GIB:.1f} GiB free; "
              f"{(available or 0) / GIB:.1f} GiB of memory available")
        path = os.path.join(tmp, "model.bin")
        save_s, words = write_model(path, n_words, n_buckets, args.dim)
        size = os.path.getsize(path)
        word = words[10]
        del words
        print(f"model: {n_words:,} words, {n_buckets:,} buckets, dim {args.dim}, n-grams 3-6: "
              f"{size / GIB:.2f} GiB ({size:,} bytes; input matrix "
              f"{4 * args.dim * (n_words + n_buckets) / GIB:.2f} GiB); written by skw2v's "
              f"save in {save_s:.1f} s; query word {word!r}\n")

        header = (f"{'system':<10}{'cache':<7}{'RSS MiB':>9}{'load s':>8}{'RSS MiB':>9}"
                  f"{'anon':>8}{'query s':>9}{'RSS MiB':>9}{'anon':>8}")
        print(f"{'':<17}{'before':>9}{'after load':^25}{'after query':^26}")
        print(header)
        print("-" * len(header))
        neighbours, checks = {}, None
        for system in ("skw2v", "gensim", "fasttext"):
            for cache in ("cold", "warm"):
                r = run_child(system, path, word, cache)
                neighbours[system] = r["neighbours"]
                checks = r.get("check_s", checks)
                load_mib, query_mib = r["after_load"], r["after_query"]
                print(f"{system:<10}{cache:<7}{r['before']['VmRSS']:>9.0f}"
                      f"{r['load_s']:>8.2f}{load_mib['VmRSS']:>9.0f}"
                      f"{load_mib['RssAnon']:>8.0f}{r['query_s']:>9.2f}"
                      f"{query_mib['VmRSS']:>9.0f}{query_mib['RssAnon']:>8.0f}", flush=True)
        input_gib = 4 * args.dim * (n_words + n_buckets) / GIB
        print(f"\nskw2v's finiteness check of the {input_gib:.2f} GiB input matrix (part of its "
              f"load): {checks[0]:.2f} s from disk ({checks[0] / input_gib:.2f} s/GiB), "
              f"{checks[1]:.2f} s cached ({checks[1] / input_gib:.2f} s/GiB)")
        for system in ("skw2v", "gensim"):
            same = "the same as" if neighbours[system] == neighbours["fasttext"] else "unlike"
            print(f"{system}'s 10 nearest words of {word!r}: {same} fastText's")
        print()

        rollups = shared_pages(path, word)
        print("two skw2v processes holding the model (after load and query), smaps_rollup MiB:")
        keys = ("Rss", "Pss", "Shared_Clean", "Private_Clean", "Private_Dirty", "Anonymous")
        print(f"{'process':<10}" + "".join(f"{key:>15}" for key in keys))
        for index, rollup in enumerate(rollups, start=1):
            print(f"{index:<10}" + "".join(f"{rollup.get(key, 0):>15.0f}" for key in keys))
        total_rss = sum(r["Rss"] for r in rollups)
        total_pss = sum(r["Pss"] for r in rollups)
        print(f"{'both':<10}{total_rss:>15.0f}{total_pss:>15.0f}   (Pss adds up to the memory "
              "used; Rss counts the shared pages twice)")


if __name__ == "__main__":
    main()
