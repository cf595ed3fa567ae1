"""Compilation flags shared by every Numba kernel in :mod:`skw2v._kernels`.

Kernels never spell out their own flags: ``tests/test_kernels.py`` rejects a hard-coded
``fastmath`` or ``parallel`` option in the kernel module.

``fastmath`` is *not* the blanket ``True``: blanket fast-math lets LLVM assume that no value is
NaN or infinite (``nnan``/``ninf``), which in SGD loops has produced NaN embeddings elsewhere
(umap issue 1228). Only the flags that let LLVM vectorise dot products and fuse multiply-adds
are enabled: re-association, contraction, no signed zeros and reciprocal approximations.

``cache=True`` is safe here because no kernel uses ``parallel=True`` (threads are Python
threads calling ``nogil`` kernels); caching parallel functions has crashed other projects when
the thread count changed (pynndescent PR 175).

Numba keeps compiled kernels where it finds a writable place: ``NUMBA_CACHE_DIR``, the
package's ``__pycache__``, or the user's cache directory (``~/.cache/numba``). When none is
writable (a read-only install run by a user without a writable home, as in many containers)
Numba refuses ``cache=True`` at import. Then, and only then, the kernels are cached in
``<temp dir>/skw2v-numba-cache-<uid>`` (created private to the user; Numba's
``CACHE_DIR`` points there for the rest of the process), or, where that is not possible
either, not cached: every process compiles them again.
"""

import os
import stat
import tempfile

import numba

FASTMATH_FLAGS = frozenset({"reassoc", "contract", "nsz", "arcp"})



def _cache_probe():  # pragma: no cover - never called, only located
    """A function in this package's directory, where Numba looks for a cache place."""


def _numba_can_cache() -> bool:
    """Whether Numba finds a cache place for the kernels (its own search, nothing compiled)."""
    try:
        numba.njit(cache=True)(_cache_probe)
    except RuntimeError:  # "cannot cache function ...: no locator available"
        return False
    return True


def _private_directory(path) -> bool:
    """Whether ``path`` is (now) a directory of this user that nobody else can write."""
    try:
        os.makedirs(path, mode=0o700, exist_ok=True)
        info = os.lstat(path)
    except OSError:
        return False
    owner = getattr(os, "getuid", lambda: info.st_uid)()
    return (stat.S_ISDIR(info.st_mode) and info.st_uid == owner
            and not info.st_mode & (stat.S_IWGRP | stat.S_IWOTH))


def _cache_kernels() -> bool:
    """Whether to cache the kernels, pointing Numba at a private temporary directory when it
    finds no place of its own (see the module docstring)."""
    if _numba_can_cache():
        return True
    user = getattr(os, "getuid", lambda: "user")()
    try:
        fallback = os.path.join(tempfile.gettempdir(), f"skw2v-numba-cache-{user}")
    except OSError:  # no writable temporary directory at all
        return False
    if not _private_directory(fallback):
        return False
    previous = numba.config.CACHE_DIR
    numba.config.CACHE_DIR = fallback
    if _numba_can_cache():
        return True
    numba.config.CACHE_DIR = previous
    return False


NUMBA_FLAGS = {
    "nogil": True,
    "cache": _cache_kernels(),
    "fastmath": set(FASTMATH_FLAGS),
    "error_model": "numpy",
    "boundscheck": False,
}
