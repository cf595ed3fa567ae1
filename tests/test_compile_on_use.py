"""Kernels compile on first use, never at import: ``import skw2v`` (and every module of the
package) compiles no Numba function, and a fit compiles the kernels it calls and no others.

Each check runs in a fresh interpreter with an empty Numba cache, and watches Numba's own
compile events (``numba.core.event``) and the compiled signatures of every dispatcher in the
kernel modules.
"""

import json
import os
import subprocess
import sys

SCRIPT = r"""
import importlib, json, sys
from numba.core import event
from numba.core.registry import CPUDispatcher

compiled = []
class Listener(event.Listener):
    def on_start(self, ev):
        compiled.append(ev.data["dispatcher"].py_func.__module__ + "."
                        + ev.data["dispatcher"].py_func.__qualname__)
    def on_end(self, ev):
        pass
event.register("numba:compile", Listener())

MODULES = ["skw2v", "skw2v.graph", "skw2v.classifier", "skw2v.phrases", "skw2v.vectorizer",
           "skw2v.word_vectors", "skw2v.cli", "skw2v.datasets", "skw2v._kernels",
           "skw2v._kernels_supervised", "skw2v._kernels_tokens", "skw2v._kernels_walks",
           "skw2v._kernels_phrases"]
for optional in ["skw2v.plotting", "skw2v.dask", "skw2v.spark"]:
    try:
        importlib.import_module(optional)
    except ImportError:
        pass
for name in MODULES:
    importlib.import_module(name)
at_import = list(compiled)

def kernels_with_code():
    found = set()
    for name in ["skw2v._kernels", "skw2v._kernels_supervised", "skw2v._kernels_tokens",
                 "skw2v._kernels_walks", "skw2v._kernels_phrases"]:
        module = sys.modules[name]
        for attr, value in vars(module).items():
            if isinstance(value, CPUDispatcher) and value.signatures:
                # named where it is defined (the kernel modules share a few helpers)
                found.add(value.py_func.__module__ + "." + value.py_func.__qualname__)
    return sorted(found)

loaded_at_import = kernels_with_code()
fit = sys.argv[1]
if fit == "skipgram-ns":
    from skw2v import Word2VecVectorizer
    Word2VecVectorizer(vector_size=4, min_count=1, epochs=1, n_jobs=1).fit(
        ["aa bb cc dd ee"] * 20)
print(json.dumps({"at_import": at_import, "loaded_at_import": loaded_at_import,
                  "after_fit": kernels_with_code()}))
"""


def _run(tmp_path, fit):
    env_script = tmp_path / "probe.py"
    env_script.write_text(SCRIPT)
    env = {key: value for key, value in os.environ.items() if not key.startswith("NUMBA_")}
    env["NUMBA_CACHE_DIR"] = str(tmp_path / "numba-cache")  # empty: nothing to load either
    result = subprocess.run([sys.executable, str(env_script), fit], capture_output=True,
                            text=True, env=env, timeout=600)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_import_compiles_no_kernel(tmp_path):
    report = _run(tmp_path, "none")
    assert report["at_import"] == []
    assert report["loaded_at_import"] == []


def test_a_skipgram_fit_compiles_only_what_it_calls(tmp_path):
    report = _run(tmp_path, "skipgram-ns")
    assert "skw2v._kernels.train_skipgram" in report["after_fit"]
    assert "skw2v._kernels._block_update" in report["after_fit"]
    unused = {"skw2v._kernels.train_cbow", "skw2v._kernels.train_skipgram_subwords",
              "skw2v._kernels.train_cbow_subwords", "skw2v._kernels.build_huffman_tree",
              "skw2v._kernels.char_ngram_buckets", "skw2v._kernels_walks.generate_walks"}
    assert unused.isdisjoint(report["after_fit"])
    assert not any(name.startswith("skw2v._kernels_supervised.")
                   for name in report["after_fit"])
