"""Start-up benchmark: what ``import skw2v`` and a first small fit cost, and what each
compiled kernel costs to compile.

    python benchmarks/bench_startup.py               # 5 runs of each measurement
    python benchmarks/bench_startup.py --runs 3

Every figure is a whole fresh process (``python -c``), so nothing is shared between runs:

- ``import``: the import of skw2v's own dependencies (numpy, scipy, scikit-learn, numba,
  pandas) and what ``import skw2v`` adds after them (Numba's cache look-up included: no
  kernel compiles at import, ``tests/test_compile_on_use.py``);
- ``first fit``: a small fit (25 documents) of skip-gram, CBOW and skip-gram with subwords
  (negative sampling, the defaults otherwise), timed after ``import skw2v``, with an empty
  Numba cache (``NUMBA_CACHE_DIR`` a new directory: everything compiles) and with the cache
  that run filled (everything loads);
- ``compile table``: for each cold first fit, every function Numba compiled, from Numba's
  own ``numba:compile`` events: seconds inside the function's compilation, without (self)
  and with (total) the functions it compiled in turn.

The median of ``--runs`` runs is reported. Targets (issue 26): a first fit <= 2.5 s cold and
<= 0.5 s cached for each architecture, and ``import skw2v`` <= 0.3 s beyond its
dependencies.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]

DEPENDENCIES = "import numpy, scipy, scipy.sparse, sklearn, sklearn.base, numba, pandas"

PROBE = r"""
import json, sys, time
started = time.perf_counter()
{dependencies}
deps = time.perf_counter()
from numba.core import event
records = []
class Listener(event.Listener):
    def on_start(self, ev):
        records.append((time.perf_counter(), True, ev.data["dispatcher"].py_func))
    def on_end(self, ev):
        records.append((time.perf_counter(), False, ev.data["dispatcher"].py_func))
event.register("numba:compile", Listener())
import skw2v
imported = time.perf_counter()
fit = sys.argv[1]
if fit != "none":
    from skw2v import Word2VecVectorizer
    words = "the quick brown fox jumps over the lazy dog while seven wizards quietly hex"
    docs = [" ".join(words.split()[i:] + words.split()[:i]) for i in range(15)] * 2
    params = dict(vector_size=16, min_count=1, epochs=1, n_jobs=1)
    params.update({{"sg": {{}}, "cbow": {{"architecture": "cbow"}},
                   "subwords": {{"char_ngram_range": (3, 6), "n_buckets": 10_000}}}}[fit])
    Word2VecVectorizer(**params).fit(docs)
done = time.perf_counter()
stack, own, total = [], {{}}, {{}}
for when, start, func in records:
    name = func.__module__ + "." + func.__qualname__
    if start:
        stack.append([name, when, 0.0])
    else:
        name, began, inner = stack.pop()
        seconds = when - began
        own[name] = own.get(name, 0.0) + seconds - inner
        total[name] = total.get(name, 0.0) + seconds
        if stack:
            stack[-1][2] += seconds
print(json.dumps({{"deps": deps - started, "import": imported - deps, "fit": done - imported,
                  "own": own, "total": total}}))
"""

FITS = {"sg": "skip-gram", "cbow": "CBOW", "subwords": "skip-gram + subwords"}
TARGETS = {"cold": 2.5, "cached": 0.5, "import": 0.3}


def probe(fit: str, cache: str) -> dict:
    env = {key: value for key, value in os.environ.items() if not key.startswith("NUMBA_")}
    env.update(NUMBA_CACHE_DIR=cache, PYTHONPATH=str(REPO))
    proc = subprocess.run([sys.executable, "-c", PROBE.format(dependencies=DEPENDENCIES), fit],
                          capture_output=True, text=True, env=env, timeout=900)
    if proc.returncode:
        raise RuntimeError(f"probe {fit} failed:\n{proc.stderr[-3000:]}")
    return json.loads(proc.stdout.strip().splitlines()[-1])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()

    import numba
    import numpy

    commit = subprocess.run(["git", "-C", str(REPO), "describe", "--always", "--dirty"],
                            capture_output=True, text=True).stdout.strip()
    print(f"machine  {platform.machine()}, {os.cpu_count()} logical cores, "
          f"{platform.platform()}")
    print(f"python   {platform.python_version()}; numpy {numpy.__version__}, "
          f"numba {numba.__version__}")
    print(f"skw2v    checkout {REPO} at {commit}; median of {args.runs} fresh processes each\n")

    imports = []
    for _ in range(args.runs):
        with tempfile.TemporaryDirectory() as cache:
            imports.append(probe("none", cache))
    deps = statistics.median(r["deps"] for r in imports)
    skw2v_import = statistics.median(r["import"] for r in imports)
    print(f"import   dependencies {deps:.2f} s; import skw2v adds {skw2v_import:.2f} s")

    verdicts = [(skw2v_import <= TARGETS["import"],
                 f"import skw2v adds {skw2v_import:.2f} s <= {TARGETS['import']} s")]
    tables = {}
    print(f"\n{'first fit':<22} {'cold s':>7} {'cached s':>9}   (after import skw2v)")
    for fit, label in FITS.items():
        cold, cached = [], []
        for _ in range(args.runs):
            with tempfile.TemporaryDirectory() as cache:
                first = probe(fit, cache)
                cold.append(first["fit"])
                cached.append(probe(fit, cache)["fit"])
                tables.setdefault(fit, []).append(first)
        cold_s, cached_s = statistics.median(cold), statistics.median(cached)
        print(f"{label:<22} {cold_s:>7.2f} {cached_s:>9.2f}")
        verdicts.append((cold_s <= TARGETS["cold"],
                         f"{label} first fit cold {cold_s:.2f} s <= {TARGETS['cold']} s"))
        verdicts.append((cached_s <= TARGETS["cached"],
                         f"{label} first fit cached {cached_s:.2f} s <= {TARGETS['cached']} s"))

    for fit, runs in tables.items():
        names = sorted({name for run in runs for name in run["own"]},
                       key=lambda n: -statistics.median(run["own"].get(n, 0.0) for run in runs))
        total_own = statistics.median(sum(run["own"].values()) for run in runs)
        print(f"\ncompile table: {FITS[fit]}, cold (median s; {total_own:.2f} s in all)")
        print(f"  {'self':>6} {'total':>6}  function")
        for name in names:
            mine = statistics.median(run["own"].get(name, 0.0) for run in runs)
            whole = statistics.median(run["total"].get(name, 0.0) for run in runs)
            if mine >= 0.01:
                print(f"  {mine:>6.2f} {whole:>6.2f}  {name}")

    print("\ntargets")
    for ok, text in verdicts:
        print(f"  {'PASS' if ok else 'FAIL'}  {text}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
