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
"""

FASTMATH_FLAGS = frozenset({"reassoc", "contract", "nsz", "arcp"})

NUMBA_FLAGS = {
    "nogil": True,
    "cache": True,
    "fastmath": set(FASTMATH_FLAGS),
    "error_model": "numpy",
    "boundscheck": False,
}
