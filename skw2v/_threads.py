"""How many training threads ``n_jobs`` gives, without oversubscribing inside workers.

Training runs ``n`` Python threads, each calling a ``nogil`` kernel, so ``n`` cores are busy.
Inside a worker of a parallel job (``GridSearchCV(n_jobs=...)``, a Dask task) the machine's
cores are already shared out between the workers; using all of them in every worker would
oversubscribe the machine. So ``n_jobs=None`` means the threads the *process or task* is
given:

- in a Dask worker task: one thread, since each of the worker's threads runs its own task
  (Dask's nanny likewise sets ``OMP_NUM_THREADS=1`` for its worker processes);
- in a joblib worker process (the ``loky`` backend): ``NUMBA_NUM_THREADS``, which joblib sets
  there to ``cpu_count() // n_jobs`` (or ``inner_max_num_threads``);
- elsewhere: 1, or the ``n_jobs`` of an enclosing :func:`joblib.parallel_config`, as in
  scikit-learn.

Negative values count back from the cores this process may use (``-1``: all of them), which
are never more than ``NUMBA_NUM_THREADS`` when that is set. A positive value is used as given.
"""

import os
import sys

from joblib import cpu_count, effective_n_jobs


def in_dask_task() -> bool:
    """True when the caller runs as a task on a Dask worker (``distributed``)."""
    if "distributed" not in sys.modules:  # never import distributed just to ask
        return False
    from distributed import get_worker

    try:
        get_worker()
    except ValueError:
        return False
    return True


def _process_threads() -> int | None:
    """The thread limit a parent gave this process through ``NUMBA_NUM_THREADS``, if any."""
    value = os.environ.get("NUMBA_NUM_THREADS", "")
    try:
        threads = int(value)
    except ValueError:
        return None
    return threads if threads > 0 else None


def resolve_n_threads(n_jobs: int | None) -> int:
    """Number of training threads for the estimator's ``n_jobs``.

    Parameters
    ----------
    n_jobs : int or None
        The estimator parameter: a positive int, a negative int (``-1``: all cores this
        process may use) or None (see the module docstring).

    Returns
    -------
    int
        At least 1.
    """
    if n_jobs == 0:
        raise ValueError("n_jobs=0 gives no thread; use a positive int, -1 for all "
                         "processors, or None.")
    limit = _process_threads()
    cores = cpu_count() if limit is None else min(cpu_count(), limit)
    if n_jobs is None:
        if in_dask_task():
            return 1
        if limit is not None:
            return cores
        return max(1, min(effective_n_jobs(None), cores))
    if n_jobs < 0:
        threads = cores + 1 + n_jobs
        if threads < 1:
            raise ValueError(f"n_jobs={n_jobs} gives {threads} threads on the {cores} cores "
                             "this process may use; use -1 for all of them, or a positive "
                             "int.")
        return threads
    return int(n_jobs)
