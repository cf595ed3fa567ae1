"""Numba's cache: where Numba finds no writable place for the kernels (a read-only install, no
writable home), ``import skw2v`` and a fit still work, caching in a private temporary
directory, or not at all where that directory is not safe to use."""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

import skw2v

PACKAGE = Path(skw2v.__file__).parent

SCRIPT = """
import numba, skw2v
from skw2v import Word2VecVectorizer
from skw2v._config import NUMBA_FLAGS
assert skw2v.__file__.startswith({root!r}), skw2v.__file__
Word2VecVectorizer(vector_size=4, min_count=1, epochs=1, n_jobs=1).fit(["aa bb cc dd"] * 20)
print(NUMBA_FLAGS["cache"], numba.config.CACHE_DIR)
"""


@pytest.fixture
def nowhere_to_cache(tmp_path):
    """A copy of the package whose ``__pycache__`` cannot be created (a file holds its name)
    and an environment whose home and cache directories cannot be created either (they lie
    under a file): Numba then has no place of its own, also for root."""
    root = tmp_path / "install"
    shutil.copytree(PACKAGE, root / "skw2v", ignore=shutil.ignore_patterns("__pycache__"))
    for folder in [root / "skw2v", *(p for p in (root / "skw2v").rglob("*") if p.is_dir())]:
        (folder / "__pycache__").write_text("not a directory\n")
    blocker = tmp_path / "blocker"
    blocker.write_text("a file, so nothing can be created below it\n")
    temporary = tmp_path / "tmp"
    temporary.mkdir()
    env = {key: value for key, value in os.environ.items() if not key.startswith("NUMBA_")}
    env.update(HOME=str(blocker / "home"), XDG_CACHE_HOME=str(blocker / "cache"),
               TMPDIR=str(temporary), PYTHONPATH=str(root), PYTHONDONTWRITEBYTECODE="1")
    return root, temporary, env


def _run(root, env):
    return subprocess.run([sys.executable, "-c", SCRIPT.format(root=str(root))],
                          capture_output=True, text=True, env=env, timeout=600, cwd=root)


def test_kernels_are_cached_in_a_private_temporary_directory(nowhere_to_cache):
    root, temporary, env = nowhere_to_cache
    done = _run(root, env)
    assert done.returncode == 0, done.stderr
    fallback = temporary / f"skw2v-numba-cache-{os.getuid()}"
    assert done.stdout.split() == ["True", str(fallback)]
    assert fallback.stat().st_mode & 0o077 == 0  # the user's alone
    assert any(fallback.rglob("*.nbi")), "no kernel was cached there"


def test_an_unsafe_temporary_directory_is_not_used(nowhere_to_cache):
    # Someone else could write into a directory open to all: no cache rather than that one.
    root, temporary, env = nowhere_to_cache
    fallback = temporary / f"skw2v-numba-cache-{os.getuid()}"
    fallback.mkdir()
    fallback.chmod(0o777)
    done = _run(root, env)
    assert done.returncode == 0, done.stderr
    assert done.stdout.split()[0] == "False"
    assert not any(fallback.iterdir())
