"""Acceptance benchmark of the training engine: skw2v against gensim and fastText, two corpora.

    python benchmarks/bench_training.py                   # everything, about two hours on 2 cores
    python benchmarks/bench_training.py --quick           # smoke run: 10% of the data, 1 epoch
    python benchmarks/bench_training.py --only sg --only cbow --corpus prose
    python benchmarks/bench_training.py --systems gensim,skw2v --seeds 0   # ratios only

Corpora (fetched once into the cache of :mod:`skw2v.datasets`):

- ``20ng``: the 20 Newsgroups posts (news, ~5.0M tokens), as the preprocessed text of
  ``fetch_20newsgroups_corpus`` split on whitespace.
- ``prose``: Wikipedia articles (WikiText-2, ``fetch_wikitext2``) and the US State of the
  Union addresses 1790-2026 (``fetch_state_of_the_union``), one paragraph per document,
  lowercased and cut into runs of letters (as the 20 Newsgroups text is) (~4.5M tokens).

Both corpora are shuffled once (``SHUFFLE_SEED``): as fetched they are sorted by source, and
the order then favours whichever system happens to finish its epochs on the right topic.
All three systems train on the same token lists (written to one file, a document per line)
with the same settings: dim 100, window 5, min_count 5, sample 1e-3, 5 negatives or
hierarchical softmax, 5 epochs, learning rate 0.025 (gensim and skw2v decay it to 0.0001,
fastText to 0). fastText (``fasttext-numpy2``) trains plain word2vec with ``minn=0, maxn=0``
from the file (its Python API takes no seed: its "seeds" differ only by thread timing);
gensim from the token lists (``Word2Vec(sentences=...)``, vocabulary included); skw2v's
``fit`` from the token lists. Every run is a fresh subprocess, so its peak memory is its own;
only the training call is timed, after a warm-up fit on 100 documents that absorbs Numba
compilation (reported as "warm-up s"; none for fastText, which has nothing to compile and
whose negative sampling diverges on so few documents). Words/s is the number of raw tokens
of the corpus times the epochs over the wall time of that call, the same numerator for all.

Every system's vectors are scored by the same gensim evaluators: analogy accuracy on the
Google and MSR sets, Spearman rho on WordSim-353, SimLex-999, MEN (3,000 pairs) and the
Stanford Rare Words (RW, 2,034 pairs); see :mod:`skw2v.datasets`.

Peak MiB is VmHWM (peak resident memory) of the child right after training. "others" is the
share of the machine's CPU time that other processes used during the timed call: timings
taken while it is above a few percent are not comparable.

Quality and speed differ from seed to seed (and from minute to minute on a shared machine)
by more than the targets' tolerance, so every run is repeated for each seed of ``--seeds``
(default 0,1,2) and the targets compare means. Targets (issue 26): skw2v's words/s over
gensim's at least 3x for skip-gram NS, 2x for CBOW NS, 2x for skip-gram HS, 2.5x for CBOW HS
(2 threads), and 3x for skip-gram NS on one thread (``--only speedup``, which also checks
that 2 threads give skw2v at least 1.8x its 1-thread words/s); every quality number at
least gensim's minus 0.02 (word pairs) or 0.01 (analogies). The run also times ``import
skw2v`` plus a first tiny fit with an empty Numba cache (compilation) and again cached.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import platform
import re
import subprocess
import sys
import tempfile
import time
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))  # benchmark the checkout, installed or not

# alpha and min_alpha: gensim's defaults, passed to gensim and skw2v (fastText decays to 0)
SETTINGS = dict(vector_size=100, window=5, min_count=5, sample=1e-3, alpha=0.025, min_alpha=1e-4)
GENSIM_MAX_WORDS = 10_000  # gensim trains only the first 10,000 tokens of a document
SHUFFLE_SEED = 0  # the documents of both corpora are shuffled once, the same for every system
# run key: (corpus, model, system, threads); model: (label, architecture, hierarchical softmax)
MODELS = {
    "sg-ns": ("SG NS", "skipgram", False),
    "cbow-ns": ("CBOW NS", "cbow", False),
    "sg-hs": ("SG HS", "skipgram", True),
    "cbow-hs": ("CBOW HS", "cbow", True),
}
SYSTEMS = ("gensim", "fasttext", "skw2v")
CORPORA = {
    "20ng": "20 Newsgroups (all posts)",
    "prose": "WikiText-2 + State of the Union (paragraphs)",
}
GROUPS = {
    "sg": [("sg-ns", s, 2) for s in SYSTEMS],
    "cbow": [("cbow-ns", s, 2) for s in SYSTEMS],
    "hs": [(m, s, 2) for m in ("sg-hs", "cbow-hs") for s in SYSTEMS],
    "speedup": [("sg-ns", s, t) for t in (1, 2) for s in ("gensim", "skw2v")],
}
#: minimum words/s ratio skw2v / gensim, 2 threads (issue 26)
TARGETS = {"sg-ns": 3.0, "cbow-ns": 2.0, "sg-hs": 2.0, "cbow-hs": 2.5}
ONE_THREAD_TARGET = 3.0  # skip-gram NS words/s ratio skw2v / gensim on one thread
MIN_SPEEDUP = 1.8  # skw2v words/s with 2 threads over 1 thread
#: (key, column label, kind, fetcher name, fetcher argument)
EVALUATIONS = [
    ("google", "Google", "analogy", "fetch_analogies", "google"),
    ("msr", "MSR", "analogy", "fetch_analogies", "msr"),
    ("ws353", "WS353", "pairs", "fetch_word_similarity", "wordsim353"),
    ("simlex", "SimLex", "pairs", "fetch_word_similarity", "simlex999"),
    ("men", "MEN", "pairs", "fetch_word_similarity", "men"),
    ("rw", "RW", "pairs", "fetch_word_similarity", "rare_words"),
]
QUALITY_TOLERANCE = {"analogy": 0.01, "pairs": 0.02}


# --- child: one training run -----------------------------------------------------------------


def status_mib(field: str) -> float:
    """A memory field of /proc/self/status (``"VmHWM"``, ``"VmRSS"``), in MiB; NaN where
    /proc is missing."""
    try:
        with open("/proc/self/status") as f:
            for line in f:
                if line.startswith(field + ":"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return float("nan")


def vm_hwm_mib() -> float:
    """Peak resident memory of this process (VmHWM), in MiB; NaN where /proc is missing."""
    return status_mib("VmHWM")


def reset_peak_memory() -> bool:
    """Reset VmHWM to the current resident memory (Linux >= 4.0); False where not allowed."""
    try:
        with open("/proc/self/clear_refs", "w") as f:
            f.write("5")
        return True
    except OSError:
        return False


def cpu_seconds() -> tuple[float, float]:
    """CPU seconds used so far by the whole machine and by this process (all threads)."""
    try:
        with open("/proc/stat") as f:
            user, nice, system, _idle, _iowait, irq, softirq, steal = f.readline().split()[1:9]
    except OSError:
        return float("nan"), time.process_time()
    busy = sum(map(int, (user, nice, system, irq, softirq, steal)))
    return busy / os.sysconf("SC_CLK_TCK"), time.process_time()


def gensim_trainer(arch: str, hs: bool, threads: int, epochs: int, seed: int):
    from gensim.models import Word2Vec

    params = dict(SETTINGS, sg=int(arch == "skipgram"), hs=int(hs), negative=0 if hs else 5)
    params.update(workers=threads, seed=seed)

    def train(docs, path, epochs=epochs, min_count=SETTINGS["min_count"]):
        model = Word2Vec(sentences=docs, **dict(params, epochs=epochs, min_count=min_count))
        return model.wv.index_to_key, model.wv.vectors

    return train


def fasttext_trainer(arch: str, hs: bool, threads: int, epochs: int, seed: int):
    import fasttext

    params = dict(model=arch, dim=SETTINGS["vector_size"], ws=SETTINGS["window"],
                  t=SETTINGS["sample"], lr=SETTINGS["alpha"], neg=5,
                  loss="hs" if hs else "ns", minn=0, maxn=0, wordNgrams=1, thread=threads,
                  verbose=0)  # train_unsupervised takes no seed: its runs differ by threads

    def train(docs, path, epochs=epochs, min_count=SETTINGS["min_count"]):
        model = fasttext.train_unsupervised(str(path), **dict(params, epoch=epochs,
                                                              minCount=min_count))
        words = model.words
        # With maxn=0 fastText keeps no n-gram buckets: the input matrix is one row a word.
        return words, model.get_input_matrix()[: len(words)]

    return train


def skw2v_trainer(arch: str, hs: bool, threads: int, epochs: int, seed: int):
    from skw2v import Word2VecVectorizer

    params = dict(SETTINGS, architecture=arch, hs=hs, negative=0 if hs else 5)
    params.update(n_jobs=threads, random_state=seed, analyzer="pretokenized")

    def train(docs, path, epochs=epochs, min_count=SETTINGS["min_count"]):
        model = Word2VecVectorizer(**dict(params, epochs=epochs, min_count=min_count))
        model.fit(docs)
        return model.wv_.index_to_word, model.wv_.vectors

    return train


TRAINERS = {"gensim": gensim_trainer, "fasttext": fasttext_trainer, "skw2v": skw2v_trainer}


def evaluate(words, vectors, files: dict) -> dict:
    import numpy as np
    from gensim.models import KeyedVectors

    kv = KeyedVectors(vectors.shape[1])
    kv.add_vectors(list(words), np.asarray(vectors, dtype=np.float32))
    scores = {}
    for key, _, kind, _, _ in EVALUATIONS:
        if kind == "analogy":
            scores[key] = float(kv.evaluate_word_analogies(files[key])[0])
        else:
            scores[key] = float(kv.evaluate_word_pairs(files[key])[1][0])
    return scores


def child(spec: dict) -> None:
    """Train once as described by ``spec``; print the measurements as one JSON line."""
    _, arch, hs = MODELS[spec["model"]]
    train = TRAINERS[spec["system"]](arch, hs, spec["threads"], spec["epochs"], spec["seed"])
    with open(spec["corpus"]) as f:
        docs = [line.split() for line in f]
    warmup = 0.0
    if spec["system"] != "fasttext":  # nothing to compile (and it diverges on 100 documents)
        start = time.perf_counter()
        train(docs[:100], None, epochs=1, min_count=1)
        warmup = time.perf_counter() - start

    hwm_before = vm_hwm_mib()
    machine, own = cpu_seconds()
    start = time.perf_counter()
    words, vectors = train(docs, spec["corpus"])
    seconds = time.perf_counter() - start
    machine_after, own_after = cpu_seconds()
    hwm_after = vm_hwm_mib()
    others = (machine_after - machine - (own_after - own)) / (seconds * os.cpu_count())

    result = dict(seconds=seconds, warmup=warmup, vocab=len(words), others=max(0.0, others))
    result.update(hwm_before=hwm_before, hwm_after=hwm_after)
    result.update(evaluate(words, vectors, spec["files"]))
    print(json.dumps(result))


# --- parent: data, runs, report ----------------------------------------------------------------


def machine_info() -> list[str]:
    cpu = "unknown"
    if Path("/proc/cpuinfo").exists():
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    usable = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else "?"

    def v(name):
        try:
            return version(name)
        except PackageNotFoundError:
            return "not installed"

    commit = subprocess.run(
        ["git", "-C", str(REPO), "describe", "--always", "--dirty"], capture_output=True, text=True
    ).stdout.strip()
    return [
        f"date     {datetime.datetime.now().isoformat(timespec='seconds')}",
        f"machine  {cpu}, {os.cpu_count()} logical cores ({usable} usable), {platform.platform()}",
        f"python   {platform.python_version()}; numpy {v('numpy')}, numba {v('numba')}, "
        f"gensim {v('gensim')}, fasttext-numpy2 {v('fasttext-numpy2')}, scikit-learn "
        f"{v('scikit-learn')}",
        f"skw2v    checkout {REPO} at {commit or 'unknown commit'}",
    ]


_LETTERS = re.compile(r"[a-z]+")


def corpus_documents(name: str, data_home: str | None) -> list[list[str]]:
    """The token lists of a corpus, in a fixed random order (see ``SHUFFLE_SEED``)."""
    import random

    from skw2v import datasets

    if name == "20ng":
        documents = [text.split() for text in datasets.fetch_20newsgroups_corpus(
            data_home=data_home).data]
    else:
        paragraphs = (datasets.fetch_wikitext2(data_home=data_home).data
                      + datasets.fetch_state_of_the_union(data_home=data_home).data)
        documents = [doc for doc in (_LETTERS.findall(text.lower()) for text in paragraphs)
                     if doc]
    # Both corpora come sorted by source (newsgroup after newsgroup; Wikipedia, then the
    # speeches in date order). A trainer that reads them in order ends every epoch on the
    # last topic, at the lowest learning rate, and fastText's threads each start at their
    # own offset of the file: the order then decides quality more than the algorithm
    # (measured: skw2v's subword skip-gram on the sorted prose corpus scores WS353 0.35,
    # shuffled 0.50). Every system gets the same shuffled order.
    random.Random(SHUFFLE_SEED).shuffle(documents)
    return documents


def write_corpus(name: str, path: Path, quick: bool, data_home: str | None) -> int:
    """Write the token lists of a corpus to ``path``, one per line; print a summary."""
    docs = corpus_documents(name, data_home)
    if quick:
        docs = docs[: len(docs) // 10]
    path.write_text("".join(" ".join(doc) + "\n" for doc in docs))
    n_tokens = sum(map(len, docs))
    cut = sum(max(0, len(doc) - GENSIM_MAX_WORDS) for doc in docs)
    print(f"corpus   {name}: {CORPORA[name]}, {len(docs):,} documents, {n_tokens:,} tokens"
          f"{' (--quick)' if quick else ''}; gensim ignores {cut:,} tokens past "
          f"{GENSIM_MAX_WORDS:,} in a document")
    return n_tokens


COMPILE_PROBE = """
import time
started = time.perf_counter()
from skw2v import Word2VecVectorizer
docs = [["alpha", "beta", "gamma", "delta"]] * 20
for architecture in ("skipgram", "cbow"):
    Word2VecVectorizer(architecture=architecture, min_count=1, vector_size=8, epochs=1,
                       hs=True, n_jobs=1, analyzer="pretokenized").fit_transform(docs)
print(time.perf_counter() - started)
"""


def compile_times(probe: str = COMPILE_PROBE, what: str = "first fit") -> str:
    """Import plus the ``probe`` script's first tiny fits, cold and warm Numba cache."""
    times = []
    with tempfile.TemporaryDirectory() as cache:
        for _ in ("cold", "warm"):
            proc = subprocess.run(
                [sys.executable, "-c", probe], capture_output=True, text=True,
                env=dict(os.environ, NUMBA_CACHE_DIR=cache, PYTHONPATH=str(REPO)),
            )  # fmt: skip
            times.append(proc.stdout.strip() or "failed")
    cold, warm = (f"{float(t):.1f} s" if t != "failed" else t for t in times)
    return (f"compile  import + {what} (SG and CBOW): {cold} with an empty Numba cache, "
            f"{warm} cached")


def run_child(spec: dict, script: str = __file__) -> dict:
    """Run ``script --child spec`` in a fresh process; its last stdout line, as JSON."""
    env = dict(os.environ, PYTHONHASHSEED="0")
    proc = subprocess.run(
        [sys.executable, script, "--child", json.dumps(spec)],
        capture_output=True, text=True, env=env,
    )  # fmt: skip
    lines = proc.stdout.strip().splitlines()
    if proc.returncode != 0 or not lines:
        error = (proc.stderr.strip().splitlines() or ["no output"])[-1]
        return {"error": f"exit code {proc.returncode}: {error}"}
    return json.loads(lines[-1])


def print_table(runs: dict, title: str) -> None:
    print(title)
    scores = "".join(f" {label:>6}" for _, label, _, _, _ in EVALUATIONS)
    head = (f"{'config':<8} {'system':<8} {'thr':>3} {'words/s':>10} {'ratio':>6} "
            f"{'peak MiB':>8} {'warm-up s':>9} {'others':>6} {'vocab':>6}{scores}")
    print(head)
    print("-" * len(head))
    errors = []
    for (model, system, threads), r in runs.items():
        label = MODELS[model][0]
        if "error" in r:
            print(f"{label:<8} {system:<8} {threads:>3} FAILED (see below)")
            errors.append(f"{label} {system} {threads} thread(s): {r['error']}")
            continue
        gensim = runs.get((model, "gensim", threads), {})
        ratio = "-"
        if system != "gensim" and "wps" in gensim:
            ratio = f"{r['wps'] / gensim['wps']:.2f}"
        values = "".join(f" {r[key]:>6.3f}" for key, _, _, _, _ in EVALUATIONS)
        print(f"{label:<8} {system:<8} {threads:>3} {r['wps']:>10,.0f} {ratio:>6} "
              f"{r['hwm_after']:>8.0f} {r['warmup']:>9.1f} {r['others']:>6.0%} "
              f"{r['vocab']:>6}{values}")
    for error in errors:
        print(f"  {error}")
    print()


def mean_runs(seeded: dict, keep=lambda name: name == "vocab") -> dict:
    """Average the runs that differ only by their seed (the last item of their key).

    The numbers ``keep`` names (counts), and anything not a number, are the first seed's
    run's; a failed run stands for its key with its error.
    """
    groups = {}
    for (*key, _seed), r in seeded.items():
        groups.setdefault(tuple(key), []).append(r)
    runs = {}
    for key, results in groups.items():
        failed = [r for r in results if "error" in r]
        if failed:
            runs[key] = failed[0]
            continue
        first = results[0]
        runs[key] = {k: (first[k] if keep(k) or not isinstance(first[k], (int, float))
                         else sum(r[k] for r in results) / len(results)) for k in first}
    return runs


def check_targets(runs: dict, corpus: str) -> list[bool]:
    """Print one PASS/FAIL line per target the selected runs allow; return the verdicts."""
    results = []

    def check(name, ok, detail):
        results.append(ok)
        print(f"  {'PASS' if ok else 'FAIL'}  {corpus} {name}: {detail}")

    for model in MODELS:
        label = MODELS[model][0]
        ours, theirs = runs.get((model, "skw2v", 2)), runs.get((model, "gensim", 2))
        if ours is None or theirs is None:
            continue
        if "error" in ours or "error" in theirs:
            check(label, False, "a run failed, see above")
            continue
        if model in TARGETS:
            ratio = ours["wps"] / theirs["wps"]
            check(f"{label} speed", ratio >= TARGETS[model],
                  f"skw2v/gensim = {ratio:.2f} >= {TARGETS[model]} "
                  f"({ours['wps']:,.0f} vs {theirs['wps']:,.0f} words/s)")
        for key, column, kind, _, _ in EVALUATIONS:
            tolerance = QUALITY_TOLERANCE[kind]
            floor = theirs[key] - tolerance
            check(f"{label} {column}", ours[key] >= floor,
                  f"skw2v {ours[key]:.3f} >= gensim {theirs[key]:.3f} - {tolerance} = "
                  f"{floor:.3f}")
    if ("sg-ns", "skw2v", 1) in runs:
        speedups = {}
        for system in ("gensim", "skw2v"):
            one, two = runs.get(("sg-ns", system, 1), {}), runs.get(("sg-ns", system, 2), {})
            if "wps" in one and "wps" in two:
                speedups[system] = two["wps"] / one["wps"]
        if "skw2v" not in speedups:
            check("SG NS 2-thread speedup", False, "a run failed, see above")
        else:
            if "gensim" in speedups:
                ours, theirs = runs[("sg-ns", "skw2v", 1)], runs[("sg-ns", "gensim", 1)]
                ratio = ours["wps"] / theirs["wps"]
                check("SG NS 1 thread speed", ratio >= ONE_THREAD_TARGET,
                      f"skw2v/gensim = {ratio:.2f} >= {ONE_THREAD_TARGET} "
                      f"({ours['wps']:,.0f} vs {theirs['wps']:,.0f} words/s)")
            reference = f" (gensim {speedups['gensim']:.2f})" if "gensim" in speedups else ""
            check("SG NS 2-thread speedup", speedups["skw2v"] >= MIN_SPEEDUP,
                  f"skw2v {speedups['skw2v']:.2f} >= {MIN_SPEEDUP}{reference}")
    return results


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="10%% of the documents, 1 epoch")
    parser.add_argument("--only", action="append", choices=list(GROUPS), help="repeatable")
    parser.add_argument("--corpus", action="append", choices=list(CORPORA),
                        help="repeatable; default: all")
    parser.add_argument("--epochs", type=int, help="default: 5, or 1 with --quick")
    parser.add_argument("--data-home", help="cache directory of skw2v.datasets")
    parser.add_argument("--systems", default=",".join(SYSTEMS),
                        help=f"comma-separated, of {', '.join(SYSTEMS)}; default: all (the "
                        "ratios need gensim)")
    parser.add_argument("--seeds", default="0,1,2",
                        help="comma-separated seeds of the SG NS and CBOW NS 2-thread runs")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        child(json.loads(args.child))
        return 0

    systems = [s.strip() for s in args.systems.split(",") if s.strip()]
    unknown = sorted(set(systems) - set(SYSTEMS))
    if unknown or not systems:
        parser.error(f"--systems: unknown {', '.join(unknown) or 'empty list'}; choose from "
                     f"{', '.join(SYSTEMS)}")

    from skw2v import datasets

    epochs = args.epochs or (1 if args.quick else 5)
    corpora = args.corpus or list(CORPORA)
    groups = args.only or list(GROUPS)
    print("\n".join(machine_info()))
    print(compile_times())
    files = {key: str(getattr(datasets, fetch)(name, data_home=args.data_home))
             for key, _, _, fetch, name in EVALUATIONS}
    seeds = [int(seed) for seed in args.seeds.split(",")]
    verdicts = []
    with tempfile.TemporaryDirectory() as tmp:
        paths, n_tokens = {}, {}
        for corpus in corpora:
            paths[corpus] = Path(tmp) / f"{corpus}.txt"
            n_tokens[corpus] = write_corpus(corpus, paths[corpus], args.quick, args.data_home)
        print()
        seeded = {}
        for corpus in corpora:
            keys = list(dict.fromkeys(
                key for group in groups for key in GROUPS[group]
                if key[1] in systems))
            for model, system, threads in keys:
                for seed in seeds:
                    spec = dict(model=model, system=system, threads=threads, epochs=epochs,
                                seed=seed, corpus=str(paths[corpus]), files=files)
                    print(f"running {corpus} {MODELS[model][0]} {system} {threads} thread(s), "
                          f"seed {seed}", file=sys.stderr)
                    start = time.perf_counter()
                    r = run_child(spec)
                    print(f"  done in {time.perf_counter() - start:.0f} s", file=sys.stderr)
                    if "seconds" in r:
                        r["wps"] = n_tokens[corpus] * epochs / r["seconds"]
                    seeded[corpus, model, system, threads, seed] = r
    print(f"settings: dim 100, window 5, min_count 5, sample 1e-3, 5 negatives or HS, {epochs} "
          f"epoch(s), alpha {SETTINGS['alpha']} decaying to {SETTINGS['min_alpha']} (fastText: "
          "to 0); words/s: raw tokens x epochs over the training call's wall time; ratio: "
          "words/s over gensim's\n")
    for corpus in corpora:
        runs = {k[1:]: r for k, r in seeded.items() if k[0] == corpus}
        print(f"== {corpus}: {CORPORA[corpus]}, {n_tokens[corpus]:,} tokens\n")
        print_table({k[:3]: r for k, r in runs.items() if k[3] == seeds[0]},
                    f"runs with seed {seeds[0]}")
        print_table(mean_runs(runs), f"means over seeds {', '.join(map(str, seeds))}")
    print("targets")
    for corpus in corpora:
        runs = {k[1:]: r for k, r in seeded.items() if k[0] == corpus}
        verdicts += check_targets(mean_runs(runs), corpus)
    if not verdicts:
        print("  (none for the selected configurations)")
    return 0 if all(verdicts) else 1


if __name__ == "__main__":
    sys.exit(main())
