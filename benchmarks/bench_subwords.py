"""Acceptance benchmark of subword training: skw2v against fastText and gensim's FastText.

    python benchmarks/bench_subwords.py                   # everything, about an hour on 2 cores
    python benchmarks/bench_subwords.py --quick           # smoke run: 10% of the data, 1 epoch
    python benchmarks/bench_subwords.py --only sg --corpus prose --systems fasttext,skw2v

Word vectors with fastText-style subwords: a word's vector is the mean of its own vector and
the vectors of its character n-grams of length 3 to 6 (of ``<word>``), hashed into 2,000,000
buckets, so that a word never seen in training still gets a vector from its n-grams.

Corpora: the two of ``bench_training.py`` (``20ng``: the 20 Newsgroups posts, ~5.0M tokens;
``prose``: WikiText-2 and the State of the Union addresses, ~4.1M tokens), shuffled once as
there (sorted by source, their order favoured fastText's threads), written to one file, a
document per line. All systems train skip-gram (``sg``) and CBOW (``cbow``) with
negative sampling on it with the same settings: n-grams 3-6, 2,000,000 buckets, dim 100,
window 5, 5 negatives, min_count 5, sample 1e-3, 5 epochs, learning rate 0.025 (gensim and
skw2v decay it to 0.0001, fastText to 0), 2 threads: fastText (``fasttext-numpy2``,
``train_unsupervised`` from the file; its Python API takes no seed), gensim
(``FastText(sentences=...)``, vocabulary included) and skw2v (``Word2VecVectorizer`` with
``char_ngram_range=(3, 6), n_buckets=2_000_000``, ``fit``) from the token lists.

The one setting the peers do not share is the exponent of the noise distribution of negative
sampling: gensim (and skw2v by default) draw negatives from counts**0.75, fastText from
counts**0.5, fixed in its code. So skw2v runs twice: ``skw2v`` at its default (gensim's
0.75) and ``skw2v-ft`` at fastText's setting (``ns_exponent=0.5``); each is compared with
the peer at that setting. Every run is repeated for each seed of ``--seeds`` (default
0,1,2; fastText's runs differ only by thread timing) and the tables give the means.

Every run is a fresh subprocess, so its peak memory is its own; only the training call is
timed, after a warm-up fit on 100 documents (with 10,000 buckets) that absorbs Numba
compilation (reported as "warm-up s"; none for fastText, which has nothing to compile and
diverges on so few documents). Words/s is the number of raw tokens of the corpus times the
epochs over the wall time of that call, the same numerator for all; "/fastText" and
"/gensim" are a row's words/s over that system's. "peak MiB" is the child's peak resident
memory (VmHWM, reset after the warm-up where Linux allows it) right after training, corpus
token lists included; "train MiB" is that peak minus the resident memory when the call
started. "others" is the share of the machine's CPU time that other processes used during
the timed call: timings taken while it is above a few percent are not comparable. The second
table gives the rows of the input matrix (words plus buckets) and its size at dim 100: gensim
fills all of it with random numbers, while fastText (upstream ``DenseMatrix::uniform``)
initializes only the first ``thread`` tenths of it; the other rows stay zero, their pages
untouched until training updates a bucket there, so fastText's peak can be well below the
size of its matrix, and grows with the corpus (more distinct n-grams).

Quality, one evaluator for every system, run in the child after training (words of the test
files lowercased, as gensim matches them case-insensitively):

- WS353, SimLex, MEN, RW: Spearman rho between the human scores and the cosine similarities
  of the word pairs (WordSim-353, SimLex-999, MEN 3k, Stanford Rare Words), twice: over all
  the pairs of the file, a word outside the vocabulary getting its vector from its n-grams
  (a pair is skipped only if a system gives a word a zero vector), and over the pairs whose
  two words are both in the system's vocabulary ("iv" columns: gensim's
  ``evaluate_word_pairs`` convention; its own number is computed too, and the largest
  difference shown as "iv vs gensim" in the second table, a check of this evaluator). The
  second table also gives the pairs each number is computed on and the share of RW pairs
  with a word the system did not keep (most RW words are rare: there subwords matter).
- Google, MSR: analogy accuracy over the questions whose four words are in the vocabulary,
  by gensim's ``evaluate_word_analogies`` on the vocabulary's vectors.

The targets at the end: skw2v's skip-gram words/s at least 3x fastText's and 2x gensim's,
CBOW at least 1.5x fastText's; skw2v's peak memory at most 1.2x fastText's; every quality
number within 0.01 of the peer at the peer's setting or above it: ``skw2v`` against gensim,
``skw2v-ft`` against fastText (means over the seeds). Targets whose runs were not selected
print as n/a; the exit status is 1 if one fails. The run also times ``import skw2v`` plus a
first tiny subword fit with an empty Numba cache (compilation) and again cached, when skw2v
is among the systems.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))  # bench_training, when imported
import bench_training  # noqa: E402
from bench_training import (  # noqa: E402
    CORPORA,
    EVALUATIONS,
    cpu_seconds,
    machine_info,
    reset_peak_memory,
    vm_hwm_mib,
    write_corpus,
)

# alpha and min_alpha: gensim's defaults, passed to gensim and skw2v (fastText decays to 0)
SETTINGS = dict(vector_size=100, window=5, negative=5, min_count=5, sample=1e-3, alpha=0.025,
                min_alpha=1e-4)
NGRAMS = (3, 6)
BUCKETS = 2_000_000
WARMUP_BUCKETS = 10_000  # the warm-up fit compiles the same code without 800 MB of buckets
THREADS = 2
RESTRICT_VOCAB = 300_000  # gensim's evaluators only look at the 300,000 most frequent words
# run key: (model, system); model: (label, architecture)
MODELS = {"sg": ("SG NS", "skipgram"), "cbow": ("CBOW NS", "cbow")}
SYSTEMS = ("fasttext", "gensim", "skw2v", "skw2v-ft")
#: skw2v at each peer's own setting of what they do not share (the noise exponent)
PEER_SETTINGS = {"gensim": ("skw2v", {}), "fasttext": ("skw2v-ft", {"ns_exponent": 0.5})}
#: minimum words/s ratio skw2v / system, per model
SPEED_TARGETS = {"sg": {"fasttext": 3.0, "gensim": 2.0}, "cbow": {"fasttext": 1.5}}
#: a quality number of skw2v at most this much below the peer's at the peer's setting
PEER_TOLERANCE = 0.01
MAX_PEAK_RATIO = 1.2  # skw2v's peak memory over fastText's
PAIRS = [(key, label) for key, label, kind, _, _ in EVALUATIONS if kind == "pairs"]
ANALOGIES = [(key, label) for key, label, kind, _, _ in EVALUATIONS if kind == "analogy"]
#: (result key, column label, kind) of the quality columns, in table order
QUALITY = ([(f"{key}{suffix}", f"{label}{suffix and ' iv'}", "pairs")
            for key, label in PAIRS for suffix in ("", "_iv")]
           + [(key, label, "analogy") for key, label in ANALOGIES])


# --- child: one training run -----------------------------------------------------------------


def vm_rss_mib() -> float:
    """Resident memory of this process (VmRSS), in MiB; NaN where /proc is missing."""
    return bench_training.status_mib("VmRSS")


def fasttext_trainer(arch: str, epochs: int, seed: int):
    import fasttext
    import numpy as np

    params = dict(model=arch, minn=NGRAMS[0], maxn=NGRAMS[1], dim=SETTINGS["vector_size"],
                  ws=SETTINGS["window"], neg=SETTINGS["negative"], loss="ns",
                  t=SETTINGS["sample"], lr=SETTINGS["alpha"], thread=THREADS, wordNgrams=1,
                  verbose=0)  # train_unsupervised takes no seed: its runs differ by threads

    def train(docs, path, epochs=epochs, min_count=SETTINGS["min_count"], buckets=BUCKETS):
        return fasttext.train_unsupervised(
            str(path), **dict(params, epoch=epochs, minCount=min_count, bucket=buckets))

    def extract(model):
        words = model.words  # with "</s>", the end of a line
        # A word's vector is the mean of its row and its n-grams' rows, not its row alone.
        vectors = np.stack([model.get_word_vector(word) for word in words])
        rows = np.asarray(model.f.getInputMatrix()).shape[0]  # a view, not a copy
        return words, vectors, model.get_word_vector, rows

    return train, extract


def gensim_trainer(arch: str, epochs: int, seed: int):
    from gensim.models import FastText

    params = dict(SETTINGS, sg=int(arch == "skipgram"), min_n=NGRAMS[0], max_n=NGRAMS[1],
                  workers=THREADS, seed=seed)

    def train(docs, path, epochs=epochs, min_count=SETTINGS["min_count"], buckets=BUCKETS):
        return FastText(sentences=docs, **dict(params, epochs=epochs, min_count=min_count,
                                               bucket=buckets))

    def extract(model):
        wv = model.wv  # wv.vectors: the vocabulary's vectors with their n-grams averaged in
        rows = len(wv.vectors_vocab) + len(wv.vectors_ngrams)
        return wv.index_to_key, wv.vectors, wv.__getitem__, rows

    return train, extract


def skw2v_trainer(arch: str, epochs: int, seed: int, **setting):
    from skw2v import Word2VecVectorizer

    params = dict(SETTINGS, architecture=arch, char_ngram_range=NGRAMS, n_jobs=THREADS,
                  random_state=seed, analyzer="pretokenized", **setting)

    def train(docs, path, epochs=epochs, min_count=SETTINGS["min_count"], buckets=BUCKETS):
        return Word2VecVectorizer(**dict(params, epochs=epochs, min_count=min_count,
                                         n_buckets=buckets)).fit(docs)

    def extract(model):
        wv = model.wv_  # wv[word]: a vector for any word, from its n-grams if unseen
        return wv.index_to_word, wv.vectors, wv.__getitem__, None

    return train, extract


TRAINERS = {"fasttext": fasttext_trainer, "gensim": gensim_trainer, "skw2v": skw2v_trainer,
            "skw2v-ft": lambda arch, epochs, seed: skw2v_trainer(
                arch, epochs, seed, **PEER_SETTINGS["fasttext"][1])}


def read_pairs(path) -> list[tuple[str, str, float]]:
    """The word pairs of a file as ``KeyedVectors.evaluate_word_pairs`` reads them: tab-separated
    ``word1 word2 score`` lines; lines starting with '#' or not of that form are skipped."""
    pairs = []
    with open(path, encoding="utf8") as f:
        for line in f:
            if not line or line.startswith("#"):
                continue
            fields = line.split("\t")
            if len(fields) != 3:
                continue
            try:
                pairs.append((fields[0], fields[1], float(fields[2])))
            except ValueError:
                continue
    return pairs


def spearman(gold: list, model: list) -> float:
    from scipy.stats import spearmanr

    return float(spearmanr(gold, model)[0]) if len(gold) > 1 else float("nan")


def cosine(u, v) -> float:
    """Cosine similarity computed as gensim's ``KeyedVectors.similarity`` does (float32 unit
    vectors), so that near ties rank the same in both evaluators."""
    import numpy as np
    from gensim.matutils import unitvec

    return float(np.dot(unitvec(u), unitvec(v)))


def score_pairs(pairs, index: dict, vectors, lookup) -> dict:
    """Spearman rho over all the pairs and over the in-vocabulary pairs, with their counts.

    ``index`` maps the uppercase form of the vocabulary's words to their row (gensim's
    case-insensitive matching); a word outside it gets ``lookup(word.lower())``.
    """
    gold, model, gold_iv, model_iv = [], [], [], []
    for a, b, score in pairs:
        rows = index.get(a.upper()), index.get(b.upper())
        if None not in rows:
            gold_iv.append(score)
            model_iv.append(cosine(vectors[rows[0]], vectors[rows[1]]))
        u, v = (vectors[row] if row is not None else lookup(word.lower())
                for row, word in zip(rows, (a, b), strict=True))
        if u.any() and v.any():  # a zero vector has no direction
            gold.append(score)
            model.append(cosine(u, v))
    return dict(rho=spearman(gold, model), rho_iv=spearman(gold_iv, model_iv), n=len(gold),
                n_iv=len(gold_iv), total=len(pairs))


def evaluate(words, vectors, lookup, files: dict) -> dict:
    import numpy as np
    from gensim.models import KeyedVectors

    vectors = np.asarray(vectors, dtype=np.float32)
    kv = KeyedVectors(vectors.shape[1])
    kv.add_vectors(list(words), vectors)
    index = {}
    for row, word in enumerate(words[:RESTRICT_VOCAB]):
        index.setdefault(word.upper(), row)  # the most frequent case variant, as gensim
    scores = {"iv_check": 0.0}
    for key, _ in PAIRS:
        result = score_pairs(read_pairs(files[key]), index, vectors, lookup)
        scores.update({key: result["rho"], f"{key}_iv": result["rho_iv"], f"n_{key}": result["n"],
                       f"n_{key}_iv": result["n_iv"], f"total_{key}": result["total"]})
        try:
            theirs = float(kv.evaluate_word_pairs(files[key])[1][0])
        except ValueError:  # no pair in the vocabulary
            theirs = float("nan")
        if not (math.isnan(theirs) and math.isnan(result["rho_iv"])):
            difference = abs(theirs - result["rho_iv"])  # NaN: only one of them has a number
            scores["iv_check"] = max(scores["iv_check"],
                                     math.inf if math.isnan(difference) else difference)
    for key, _ in ANALOGIES:
        scores[key] = float(kv.evaluate_word_analogies(files[key])[0])
    return scores


def child(spec: dict) -> None:
    """Train once as described by ``spec``; print the measurements as one JSON line."""
    _, arch = MODELS[spec["model"]]
    train, extract = TRAINERS[spec["system"]](arch, spec["epochs"], spec["seed"])
    with open(spec["corpus"]) as f:
        docs = [line.split() for line in f]
    warmup = 0.0
    if spec["system"] != "fasttext":  # nothing to compile (and it diverges on 100 documents)
        start = time.perf_counter()
        train(docs[:100], None, epochs=1, min_count=1, buckets=WARMUP_BUCKETS)
        warmup = time.perf_counter() - start
    reset_peak_memory()

    rss_before = vm_rss_mib()
    machine, own = cpu_seconds()
    start = time.perf_counter()
    model = train(docs, spec["corpus"])
    seconds = time.perf_counter() - start
    machine_after, own_after = cpu_seconds()
    peak = vm_hwm_mib()
    others = (machine_after - machine - (own_after - own)) / (seconds * os.cpu_count())

    words, vectors, lookup, rows = extract(model)
    result = dict(seconds=seconds, warmup=warmup, vocab=len(words), others=max(0.0, others),
                  peak=peak, train_mib=peak - rss_before, input_rows=rows)
    result.update(evaluate(words, vectors, lookup, spec["files"]))
    print(json.dumps(result))


# --- parent: runs, report ------------------------------------------------------------------------


COMPILE_PROBE = """
import time
started = time.perf_counter()
from skw2v import Word2VecVectorizer
docs = [["alpha", "beta", "gamma", "delta"]] * 20
for architecture in ("skipgram", "cbow"):
    Word2VecVectorizer(architecture=architecture, min_count=1, vector_size=8, epochs=1,
                       char_ngram_range=(3, 6), n_buckets=1000, n_jobs=1,
                       analyzer="pretokenized").fit(docs)
print(time.perf_counter() - started)
"""


def compile_times() -> str:
    """Import plus a first tiny subword fit of both architectures, cold and warm Numba cache."""
    return bench_training.compile_times(COMPILE_PROBE, "first subword fit")


def run_child(spec: dict) -> dict:
    return bench_training.run_child(spec, __file__)


def ratio(runs: dict, model: str, system: str, reference: str) -> float | None:
    ours, theirs = runs.get((model, system), {}), runs.get((model, reference), {})
    if system == reference or "wps" not in ours or "wps" not in theirs:
        return None
    return ours["wps"] / theirs["wps"]


def print_table(runs: dict) -> None:
    scores = "".join(f" {label:>9}" for _, label, _ in QUALITY)
    head = (f"{'config':<8} {'system':<8} {'thr':>3} {'words/s':>9} {'/fastText':>9} "
            f"{'/gensim':>7} {'peak MiB':>8} {'train MiB':>9} {'warm-up s':>9} {'others':>6} "
            f"{'vocab':>7}{scores}")
    print(head)
    print("-" * len(head))
    errors = []
    for (model, system), r in runs.items():
        label = MODELS[model][0]
        if "error" in r:
            print(f"{label:<8} {system:<8} {THREADS:>3} FAILED (see below)")
            errors.append(f"{label} {system}: {r['error']}")
            continue
        ratios = [ratio(runs, model, system, reference) for reference in ("fasttext", "gensim")]
        ft, gs = (f"{x:.2f}" if x is not None else "-" for x in ratios)
        values = "".join(f" {r[key]:>9.3f}" for key, _, _ in QUALITY)
        print(f"{label:<8} {system:<8} {THREADS:>3} {r['wps']:>9,.0f} {ft:>9} {gs:>7} "
              f"{r['peak']:>8.0f} {r['train_mib']:>9.0f} {r['warmup']:>9.1f} "
              f"{r['others']:>6.0%} {r['vocab']:>7,}{values}")
    for error in errors:
        print(f"  {error}")
    print()


def print_details(runs: dict) -> None:
    """Pairs scored by each Spearman number, RW pairs with an unseen word, the size of the
    input matrix and the difference between this evaluator's and gensim's in-vocabulary rho."""
    done = {key: r for key, r in runs.items() if "error" not in r}
    if not done:
        return
    first = next(iter(done.values()))
    print("pairs scored (all pairs / in-vocabulary pairs) of the file's; input matrix rows")
    titles = [f"{label} ({first['total_' + key]:,})" for key, label in PAIRS]
    columns = "".join(f" {title:>15}" for title in titles)
    head = (f"{'config':<8} {'system':<8}{columns} {'RW unseen':>9} {'input rows':>11} "
            f"{'input MiB':>9} {'iv vs gensim':>12}")
    print(head)
    print("-" * len(head))
    for (model, system), r in done.items():
        scored = [f"{r['n_' + key]:,} / {r['n_' + key + '_iv']:,}" for key, _ in PAIRS]
        counts = "".join(f" {text:>15}" for text in scored)
        unseen = 1 - r["n_rw_iv"] / r["total_rw"] if r["total_rw"] else float("nan")
        rows, mib = "-", "-"
        if r["input_rows"] is not None:
            rows = f"{r['input_rows']:,}"
            mib = f"{r['input_rows'] * SETTINGS['vector_size'] * 4 / 2**20:.0f}"
        print(f"{MODELS[model][0]:<8} {system:<8}{counts} {unseen:>9.1%} {rows:>11} {mib:>9} "
              f"{r['iv_check']:>12.1e}")
    print()


def check_targets(runs: dict, corpus: str) -> list[bool]:
    """Print one PASS/FAIL/n/a line per target of the selected models; return the verdicts."""
    results = []

    def check(name, ok, detail):
        if ok is not None:
            results.append(ok)
        verdict = "n/a " if ok is None else "PASS" if ok else "FAIL"
        print(f"  {verdict}  {corpus} {name}: {detail}")

    def unavailable(name, needed, got) -> bool:
        """Report a target whose runs were not selected (n/a) or failed (FAIL)."""
        absent = [s for s in needed if s not in got]
        failed = [s for s in needed if s in got and "error" in got[s]]
        if absent:
            check(name, None, f"no {' or '.join(absent)} run (see --systems)")
        elif failed:
            check(name, False, f"the {' and '.join(failed)} run{'s' * (len(failed) > 1)} "
                              "failed, see above")
        return bool(absent or failed)

    for model in dict.fromkeys(model for model, _ in runs):
        label = MODELS[model][0]
        got = {system: r for (m, system), r in runs.items() if m == model}
        ours = got.get("skw2v")
        for reference, minimum in SPEED_TARGETS[model].items():
            name = f"{label} speed over {reference}"
            if not unavailable(name, ["skw2v", reference], got):
                theirs = got[reference]["wps"]
                check(name, ours["wps"] >= minimum * theirs,
                      f"skw2v/{reference} = {ours['wps'] / theirs:.2f} >= {minimum} "
                      f"({ours['wps']:,.0f} vs {theirs:,.0f} words/s)")
        name = f"{label} peak memory"
        if not unavailable(name, ["skw2v", "fasttext"], got):
            limit = MAX_PEAK_RATIO * got["fasttext"]["peak"]
            check(name, ours["peak"] <= limit,
                  f"skw2v {ours['peak']:,.0f} MiB <= fastText {got['fasttext']['peak']:,.0f} "
                  f"MiB x {MAX_PEAK_RATIO} = {limit:,.0f} MiB")
        for peer, (system, setting) in PEER_SETTINGS.items():
            at = ", ".join(f"{k}={v}" for k, v in setting.items()) or "the default"
            for key, column, _ in QUALITY:
                name = f"{label} {column} vs {peer}"
                if unavailable(name, [system, peer], got):
                    continue
                theirs, mine = got[peer][key], got[system][key]
                if math.isnan(theirs):
                    check(name, None, f"no {peer} number")
                    continue
                floor = theirs - PEER_TOLERANCE
                check(name, mine >= floor,
                      f"{system} ({at}) {mine:.3f} >= {peer} {theirs:.3f} - {PEER_TOLERANCE} "
                      f"= {floor:.3f}")
    return results


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="10%% of the documents, 1 epoch")
    parser.add_argument("--only", action="append", choices=list(MODELS), help="repeatable")
    parser.add_argument("--corpus", action="append", choices=list(CORPORA),
                        help="repeatable; default: all")
    parser.add_argument("--systems", default=",".join(SYSTEMS),
                        help=f"comma-separated, of {', '.join(SYSTEMS)}; default: all")
    parser.add_argument("--epochs", type=int, help="default: 5, or 1 with --quick")
    parser.add_argument("--seeds", default="0,1,2",
                        help="comma-separated seeds of gensim and skw2v (fastText: one run "
                             "each); default: 0,1,2")
    parser.add_argument("--data-home", help="cache directory of skw2v.datasets")
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
    systems = [s for s in SYSTEMS if s in systems]

    from skw2v import datasets

    epochs = args.epochs or (1 if args.quick else 5)
    seeds = [int(s) for s in args.seeds.split(",") if s.strip()]
    corpora = args.corpus or list(CORPORA)
    models = list(dict.fromkeys(args.only or MODELS))
    print("\n".join(machine_info()))
    if "skw2v" in systems or "skw2v-ft" in systems:
        print(compile_times())
    files = {key: str(getattr(datasets, fetch)(name, data_home=args.data_home))
             for key, _, _, fetch, name in EVALUATIONS}
    results = {}
    with tempfile.TemporaryDirectory() as tmp:
        paths, n_tokens = {}, {}
        for corpus in corpora:
            paths[corpus] = Path(tmp) / f"{corpus}.txt"
            n_tokens[corpus] = write_corpus(corpus, paths[corpus], args.quick, args.data_home)
        print()
        for corpus in corpora:
            for model in models:
                for seed in seeds:
                    for system in systems:
                        spec = dict(model=model, system=system, epochs=epochs, seed=seed,
                                    corpus=str(paths[corpus]), files=files)
                        print(f"running {corpus} {MODELS[model][0]} {system} seed {seed}",
                              file=sys.stderr)
                        start = time.perf_counter()
                        r = run_child(spec)
                        print(f"  done in {time.perf_counter() - start:.0f} s", file=sys.stderr)
                        if "seconds" in r:
                            r["wps"] = n_tokens[corpus] * epochs / r["seconds"]
                        results[corpus, model, system, seed] = r
    results = bench_training.mean_runs(  # counts: of the first seed's run
        results, keep=lambda k: k in ("vocab", "input_rows") or k.startswith(("n_", "total_")))
    print(f"settings: char n-grams {NGRAMS[0]}-{NGRAMS[1]}, {BUCKETS:,} buckets, dim 100, "
          f"window 5, min_count 5, sample 1e-3, 5 negatives, {epochs} epoch(s), alpha "
          f"{SETTINGS['alpha']} decaying to {SETTINGS['min_alpha']} (fastText: to 0), "
          f"{THREADS} threads, means over seeds {args.seeds} (fastText: one run each); "
          "skw2v-ft: skw2v at fastText's ns_exponent=0.5; words/s: raw tokens x epochs over "
          "the training call's wall time; /fastText, /gensim: words/s over that system's; "
          "quality columns: Spearman rho over all pairs (unseen words from their n-grams) and "
          "over the pairs in the vocabulary (iv), analogy accuracy in the vocabulary\n")
    for corpus in corpora:
        runs = {k[1:]: r for k, r in results.items() if k[0] == corpus}
        print(f"== {corpus}: {CORPORA[corpus]}, {n_tokens[corpus]:,} tokens\n")
        print_table(runs)
        print_details(runs)
    print("targets")
    verdicts = []
    for corpus in corpora:
        runs = {k[1:]: r for k, r in results.items() if k[0] == corpus}
        verdicts += check_targets(runs, corpus)
    if not verdicts:
        print("  (none checked for the selected configurations)")
    return 0 if all(verdicts) else 1


if __name__ == "__main__":
    sys.exit(main())
