"""Acceptance benchmark of graph embeddings: skw2v's Node2VecEmbedding against pecanpy + gensim.

    python benchmarks/bench_graphs.py                        # everything, ~20 min on 2 cores
    python benchmarks/bench_graphs.py --quick                # smoke run: 2 walks of 20, Cora
    python benchmarks/bench_graphs.py --sections quality --graphs cora,lastfm_asia

Graphs: the three of ``../shared/data/graphs`` (BlogCatalog, Cora, LastFM Asia; formats and
published numbers in its README), or ``$SKW2V_GRAPHS``. Every graph is undirected and
unweighted.

Systems, in the same run, at the same settings (10 walks of 80 nodes per node, window 10,
dimension 128, negative sampling with 5 samples, subsampling 1e-3, one epoch):

- ``pecanpy``: pecanpy 2.0.9 walks (``FirstOrderUnweighted`` for p = q = 1, ``SparseOTF``
  otherwise: walks computed on the fly, as skw2v's) handed as lists of str to gensim 4.4's
  ``Word2Vec(sg=1, min_count=0)``, as ``pecanpy``'s own ``embed`` does, ``workers`` = the
  threads. pecanpy needs NumPy < 2, so it runs in a virtual environment of its own,
  created on first use in ``<data home>/bench-venvs/pecanpy-2.0.9`` (``--peer-python``
  names another interpreter).
- ``skw2v``: ``Node2VecEmbedding`` with ``n_jobs`` = the threads.

Each (system, graph, p, q, threads) runs in a fresh subprocess, so its peak memory
(``ru_maxrss``: imports, graph and all) is its own; the graph is read before the clock
starts. Walks s and training s are the two stages (skw2v generates the walks while it
trains, so its walks s is the counting pass before training and its training s the rest);
total s is their sum. Quality, computed in this process from each embedding:

- BlogCatalog (39 labels, multi-label): one-vs-rest ``LogisticRegression`` (liblinear) on a
  random half of the nodes, each test node given its true number k of labels (the k highest
  scores), Micro- and Macro-F1, mean of 5 splits (DeepWalk's protocol, the README's
  anchors);
- Cora: accuracy of ``LogisticRegression`` on the Planetoid split (140 training nodes, 1,000
  test nodes);
- LastFM Asia: accuracy of ``LogisticRegression`` on a random half, mean of 5 splits.

Cora and LastFM Asia are small (one embedding moves Cora's accuracy by a point or two), so
each system embeds them with 3 seeds and the table shows the means (times and memory too).
BlogCatalog, the timed graph, runs ``--repeats`` times per setting (default 2): its quality
is the first run's, its times the fastest run's (timeit's rule: on a shared machine timings
only get slower; the peer's own time moved by a quarter between runs here), its peak memory
the largest.

BLAS is limited to one thread in the evaluation. The scale section embeds a synthetic graph
of 1M nodes and 10M undirected edges (each node links to 10 random others) with skw2v
alone, with 2 and 10 walks per node (walks of 20, window 5, dimension 32), and prints the
peak memory of each.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import scipy.sparse as sp

ROOT = Path(__file__).resolve().parents[1]
GRAPHS = ("blogcatalog", "cora", "lastfm_asia")
PECANPY = "pecanpy==2.0.9"
PEER_PACKAGES = [PECANPY, "gensim==4.4.0"]
SETTINGS = {"vector_size": 128, "walk_length": 80, "n_walks": 10, "window": 10}
QUICK_SETTINGS = {"vector_size": 32, "walk_length": 20, "n_walks": 2, "window": 5}
#: node2vec's best p, q for BlogCatalog (the node2vec paper and the README's anchors).
BLOGCATALOG_PQ = (0.25, 0.25)


def graphs_folder() -> Path:
    return Path(os.environ.get("SKW2V_GRAPHS", ROOT.parent / "shared" / "data" / "graphs"))


def load_graph(name: str):
    """``(A, Y, split)``: the symmetric 0/1 CSR adjacency, the n x L label indicator and,
    for Cora, the Planetoid split (node -> train/val/test), else None."""
    folder = graphs_folder() / name
    edges = np.loadtxt(folder / "edges.tsv.gz", dtype=np.int64, ndmin=2)
    labels = np.loadtxt(folder / "labels.tsv.gz", dtype=np.int64, ndmin=2)
    n = int(max(edges.max(), labels[:, 0].max())) + 1
    A = sp.coo_array((np.ones(len(edges), np.float32), (edges[:, 0], edges[:, 1])),
                     shape=(n, n))
    A = (A + A.T).tocsr()
    A.sort_indices()
    Y = sp.csr_array((np.ones(len(labels), np.int8), (labels[:, 0], labels[:, 1])),
                     shape=(n, int(labels[:, 1].max()) + 1))
    split = None
    if (folder / "split.tsv.gz").exists():
        split = dict(np.loadtxt(folder / "split.tsv.gz", dtype=str, ndmin=2).tolist())
    return A, Y, split


def synthetic_graph(n_nodes=1_000_000, degree=10, seed=0):
    """Each node linked to ``degree`` random others: ``n_nodes * degree`` undirected edges
    (the rare duplicates and self pairs dropped)."""
    rng = np.random.default_rng(seed)
    source = np.repeat(np.arange(n_nodes, dtype=np.int64), degree)
    target = rng.integers(0, n_nodes, source.shape[0])
    keep = source != target
    A = sp.coo_array((np.ones(int(keep.sum()), np.float32), (source[keep], target[keep])),
                     shape=(n_nodes, n_nodes)).tocsr()
    A = A.maximum(A.T).tocsr()
    A.data[:] = 1.0
    return A


def peak_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


# ------------------------------------------------------------------ the systems (children)
def run_pecanpy(spec: dict, A) -> tuple:
    from gensim.models import Word2Vec
    from pecanpy import pecanpy as node2vec

    with tempfile.TemporaryDirectory() as folder:
        path = os.path.join(folder, "graph.csr.npz")
        np.savez(path, IDs=np.array([str(i) for i in range(A.shape[0])]), data=A.data,
                 indptr=A.indptr, indices=A.indices)
        first_order = spec["p"] == 1 and spec["q"] == 1
        mode = node2vec.FirstOrderUnweighted if first_order else node2vec.SparseOTF
        graph = mode(p=spec["p"], q=spec["q"], workers=spec["threads"], verbose=False,
                     random_state=spec["seed"])
        graph.read_npz(path, weighted=False)
    settings = spec["settings"]
    started = time.perf_counter()
    walks = graph.simulate_walks(num_walks=settings["n_walks"],
                                 walk_length=settings["walk_length"])
    walked = time.perf_counter()
    model = Word2Vec(walks, vector_size=settings["vector_size"], window=settings["window"],
                     sg=1, min_count=0, workers=spec["threads"], epochs=1,
                     seed=spec["seed"])
    trained = time.perf_counter()
    return model.wv[graph.nodes], walked - started, trained - walked


def run_skw2v(spec: dict, A) -> tuple:
    sys.path.insert(0, str(ROOT))
    from skw2v import Node2VecEmbedding, _walks

    settings = spec["settings"]
    counted = {}
    original = _walks.WalkCorpus._count

    def timed_count(self):
        started = time.perf_counter()
        try:
            return original(self)
        finally:
            counted["seconds"] = time.perf_counter() - started

    _walks.WalkCorpus._count = timed_count
    warm = sp.csr_array(np.ones((4, 4)) - np.eye(4))
    Node2VecEmbedding(vector_size=4, n_walks=1, walk_length=5, p=spec["p"],
                      q=spec["q"]).fit(warm)  # Numba loads its kernels outside the clock
    model = Node2VecEmbedding(**settings, p=spec["p"], q=spec["q"], n_jobs=spec["threads"],
                              random_state=spec["seed"])
    started = time.perf_counter()
    model.fit(A)
    total = time.perf_counter() - started
    return model.embedding_, counted["seconds"], total - counted["seconds"]


def child(spec: dict) -> None:
    A = (synthetic_graph() if spec["graph"] == "synthetic" else load_graph(spec["graph"])[0])
    run = run_pecanpy if spec["system"] == "pecanpy" else run_skw2v
    embedding, walk_seconds, train_seconds = run(spec, A)
    np.save(spec["output"], np.asarray(embedding, dtype=np.float32))
    print(json.dumps({"walk_s": walk_seconds, "train_s": train_seconds,
                      "peak_mib": peak_mib()}))


# ------------------------------------------------------------------ the parent
def peer_python(path: str | None, data_home: Path) -> str:
    if path:
        return path
    venv = data_home / "bench-venvs" / PECANPY.replace("==", "-")
    python = venv / "bin" / "python"
    if not python.exists():
        print(f"creating {venv} ({', '.join(PEER_PACKAGES)}) for the pecanpy row", flush=True)
        subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
        subprocess.run([str(python), "-m", "pip", "install", "-q", *PEER_PACKAGES],
                       check=True)
    return str(python)


def run_child(spec: dict, python: str) -> dict:
    env = dict(os.environ, OPENBLAS_NUM_THREADS="1", OMP_NUM_THREADS="1", MKL_NUM_THREADS="1")
    done = subprocess.run([python, __file__, "--one", json.dumps(spec)], capture_output=True,
                          text=True, env=env)
    if done.returncode != 0:
        raise RuntimeError(f"{spec['system']} on {spec['graph']} failed:\n{done.stderr}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def evaluate(name: str, embedding: np.ndarray) -> dict:
    from sklearn.linear_model import LogisticRegression
    from sklearn.metrics import accuracy_score, f1_score
    from sklearn.model_selection import ShuffleSplit
    from sklearn.multiclass import OneVsRestClassifier
    from threadpoolctl import threadpool_limits

    _, Y, split = load_graph(name)
    Y = Y.toarray()
    scores = {}
    with threadpool_limits(1):
        if name == "blogcatalog":
            micro, macro = [], []
            for train, test in ShuffleSplit(5, test_size=0.5, random_state=0).split(Y):
                model = OneVsRestClassifier(LogisticRegression(solver="liblinear"))
                model.fit(embedding[train], Y[train])
                probability = model.predict_proba(embedding[test])
                k = Y[test].sum(axis=1)
                predicted = np.zeros_like(Y[test])
                order = np.argsort(-probability, axis=1)
                for row, count in enumerate(k):
                    predicted[row, order[row, :count]] = 1
                micro.append(f1_score(Y[test], predicted, average="micro"))
                macro.append(f1_score(Y[test], predicted, average="macro", zero_division=0))
            scores = {"micro_f1": float(np.mean(micro)), "macro_f1": float(np.mean(macro))}
        else:
            y = Y.argmax(axis=1)
            if split is not None:
                nodes = np.arange(len(y))
                train = np.array([split.get(str(i)) == "train" for i in nodes])
                test = np.array([split.get(str(i)) == "test" for i in nodes])
                splits = [(np.flatnonzero(train), np.flatnonzero(test))]
            else:
                splits = list(ShuffleSplit(5, test_size=0.5, random_state=0).split(y))
            accuracy = []
            for train, test in splits:
                model = LogisticRegression(max_iter=2000).fit(embedding[train], y[train])
                accuracy.append(accuracy_score(y[test], model.predict(embedding[test])))
            scores = {"accuracy": float(np.mean(accuracy))}
    return scores


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--sections", default="quality,speed,scale")
    parser.add_argument("--graphs", default=",".join(GRAPHS))
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--repeats", type=int, default=2,
                        help="runs of each BlogCatalog setting; the fastest counts for the "
                             "times, the largest for the memory (default 2)")
    parser.add_argument("--peer-python", default=None)
    parser.add_argument("--data-home", default=None)
    parser.add_argument("--one", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.one:
        child(json.loads(args.one))
        return 0
    if not graphs_folder().is_dir():
        print(f"The benchmark graphs are not at {graphs_folder()} (../shared/data/graphs "
              "beside the checkout, or $SKW2V_GRAPHS): nothing to run.")
        return 0
    sys.path.insert(0, str(ROOT))
    from skw2v.datasets import get_data_home

    data_home = Path(get_data_home(args.data_home))
    python = peer_python(args.peer_python, data_home)
    sections = args.sections.split(",")
    graphs = ["cora"] if args.quick else args.graphs.split(",")
    settings = QUICK_SETTINGS if args.quick else SETTINGS
    peer_version = subprocess.run([python, "-c", "import gensim, numpy; print("
                                   "f'gensim {gensim.__version__}, numpy "
                                   "{numpy.__version__}')"],
                                  capture_output=True, text=True).stdout.strip()
    commit = subprocess.run(["git", "-C", str(ROOT), "describe", "--always", "--dirty"],
                            capture_output=True, text=True).stdout.strip()
    print(f"date     {time.strftime('%Y-%m-%dT%H:%M:%S')}")
    print(f"machine  {platform.processor() or platform.machine()}, {os.cpu_count()} logical "
          f"cores, {platform.platform()}")
    print(f"skw2v    checkout {ROOT} at {commit}; peers: {PECANPY}, {peer_version}")
    print(f"settings {settings}, negative 5, sample 1e-3, 1 epoch, seed {args.seed}\n")
    targets = []

    def check(name, ok, detail):
        targets.append(f"  {'PASS' if ok else 'FAIL'}  {name}: {detail}")

    rows = {}
    with tempfile.TemporaryDirectory() as folder:
        runs = []
        for graph in graphs:
            for p, q in [(1.0, 1.0)] + ([BLOGCATALOG_PQ] if graph == "blogcatalog" else []):
                thread_counts = []
                if "quality" in sections or ("speed" in sections and graph == "blogcatalog"):
                    thread_counts.append(args.threads)
                if "speed" in sections and graph == "blogcatalog" and args.threads != 1:
                    thread_counts.append(1)
                runs.extend((graph, p, q, threads, system) for threads in thread_counts
                            for system in ("pecanpy", "skw2v"))
        for graph, p, q, threads, system in runs:
            results, timings = [], []
            for seed in range(args.seed, args.seed + (1 if graph == "blogcatalog" else 3)):
                output = os.path.join(folder, f"{graph}-{p}-{q}-{threads}-{system}.npy")
                spec = {"graph": graph, "p": p, "q": q, "threads": threads,
                        "system": system, "settings": settings, "seed": seed,
                        "output": output}
                print(f"running {system} on {graph}, p={p} q={q}, {threads} thread(s), seed "
                      f"{seed}", flush=True)
                result = run_child(spec, python if system == "pecanpy" else sys.executable)
                result.update(evaluate(graph, np.load(output)))
                results.append(result)
                timings.append(result)
            if graph == "blogcatalog":  # the timed rows: the best of --repeats runs
                for _ in range(args.repeats - 1):
                    timings.append(run_child(spec, python if system == "pecanpy"
                                             else sys.executable))
            row = {key: float(np.mean([r[key] for r in results])) for key in results[0]}
            best = min(timings, key=lambda r: r["walk_s"] + r["train_s"])
            row.update(walk_s=best["walk_s"], train_s=best["train_s"],
                       peak_mib=max(r["peak_mib"] for r in timings))
            rows[(graph, p, q, threads, system)] = row
        print()
        header = (f"{'graph':<12}{'p,q':>10}{'thr':>4}  {'system':<8}{'walks s':>9}"
                  f"{'train s':>9}{'total s':>9}{'peak MiB':>10}  quality")
        print(header)
        print("-" * (len(header) + 30))
        for (graph, p, q, threads, system), r in rows.items():
            quality = ", ".join(f"{key} {value:.4f}" for key, value in r.items()
                                if key in ("micro_f1", "macro_f1", "accuracy"))
            print(f"{graph:<12}{f'{p:g},{q:g}':>10}{threads:>4}  {system:<8}"
                  f"{r['walk_s']:>9.2f}{r['train_s']:>9.2f}{r['walk_s'] + r['train_s']:>9.2f}"
                  f"{r['peak_mib']:>10.0f}  {quality}")
        for (graph, p, q, threads, system), r in rows.items():
            if system != "skw2v":
                continue
            peer = rows[(graph, p, q, threads, "pecanpy")]
            name = f"{graph} p={p:g} q={q:g} {threads} thr"
            if threads == args.threads:
                for key in ("micro_f1", "macro_f1", "accuracy"):
                    if key in r:
                        check(f"{name} {key}", r[key] >= peer[key] - 0.01,
                              f"skw2v {r[key]:.4f} >= pecanpy {peer[key]:.4f} - 0.01")
            if graph == "blogcatalog":
                mine, theirs = r["walk_s"] + r["train_s"], peer["walk_s"] + peer["train_s"]
                check(f"{name} speed", theirs / mine >= 3,
                      f"pecanpy+gensim / skw2v = {theirs / mine:.2f} >= 3 ({theirs:.1f} s vs "
                      f"{mine:.1f} s)")
                check(f"{name} peak MiB", r["peak_mib"] < peer["peak_mib"],
                      f"skw2v {r['peak_mib']:.0f} < pecanpy+gensim {peer['peak_mib']:.0f}")
    if "scale" in sections and not args.quick:
        print("\nscale: synthetic graph, 1M nodes, 10M edges; skw2v, dimension 32, walks of 20, "
              f"window 5, {args.threads} threads")
        peaks = {}
        with tempfile.TemporaryDirectory() as folder:
            for n_walks in (2, 10):
                spec = {"graph": "synthetic", "p": 1.0, "q": 1.0, "threads": args.threads,
                        "system": "skw2v", "seed": args.seed,
                        "settings": {"vector_size": 32, "walk_length": 20,
                                     "n_walks": n_walks, "window": 5},
                        "output": os.path.join(folder, f"synthetic-{n_walks}.npy")}
                result = run_child(spec, sys.executable)
                peaks[n_walks] = result["peak_mib"]
                print(f"  n_walks {n_walks:>2}: {result['walk_s'] + result['train_s']:7.1f} s, "
                      f"peak {result['peak_mib']:,.0f} MiB", flush=True)
        check("scale: peak memory flat in n_walks", peaks[10] <= peaks[2] * 1.1,
              f"n_walks 10: {peaks[10]:,.0f} MiB <= 1.1 x n_walks 2: {peaks[2]:,.0f} MiB")
    print("\ntargets")
    print("\n".join(targets))
    return 0


if __name__ == "__main__":
    sys.exit(main())
