"""n_jobs -> training threads: never more than a worker is given (no oversubscription)."""

import joblib
import pytest

from skw2v import Word2VecVectorizer
from skw2v._threads import resolve_n_threads


def _threads_in_worker(n_jobs):
    import os

    from skw2v import Word2VecVectorizer

    return (Word2VecVectorizer(n_jobs=n_jobs)._n_threads(),
            os.environ.get("NUMBA_NUM_THREADS"))


@pytest.fixture
def no_limit(monkeypatch):
    monkeypatch.delenv("NUMBA_NUM_THREADS", raising=False)
    monkeypatch.setattr("skw2v._threads.cpu_count", lambda: 8)


def test_none_is_one_thread_outside_any_context(no_limit):
    assert resolve_n_threads(None) == 1
    assert resolve_n_threads(3) == 3
    assert resolve_n_threads(-1) == 8
    assert resolve_n_threads(-3) == 6


def test_none_follows_an_enclosing_parallel_config(no_limit):
    with joblib.parallel_config(n_jobs=4):
        assert resolve_n_threads(None) == 4
    with joblib.parallel_config(n_jobs=-1):
        assert resolve_n_threads(None) == min(joblib.cpu_count(), 8)


def test_a_process_thread_limit_is_the_budget(monkeypatch, no_limit):
    # joblib sets NUMBA_NUM_THREADS in its worker processes to cores // n_jobs.
    monkeypatch.setenv("NUMBA_NUM_THREADS", "3")
    assert resolve_n_threads(None) == 3
    assert resolve_n_threads(-1) == 3
    assert resolve_n_threads(2) == 2  # an explicit count is used as given


def test_bad_values_are_named(no_limit):
    with pytest.raises(ValueError, match="n_jobs=0 gives no thread"):
        resolve_n_threads(0)
    with pytest.raises(ValueError, match="n_jobs=-9 gives 0 threads on the 8 cores"):
        resolve_n_threads(-9)


@pytest.mark.parametrize("inner", [None, 2])
def test_none_inside_joblib_workers_uses_the_threads_they_are_given(inner):
    # Two loky workers on this machine: each is given cores // 2 threads unless
    # inner_max_num_threads says otherwise; n_jobs=None takes exactly that, -1 never more.
    with joblib.parallel_config("loky", inner_max_num_threads=inner):
        results = joblib.Parallel(n_jobs=2)(
            joblib.delayed(_threads_in_worker)(n_jobs) for n_jobs in (None, -1)
        )
    given = inner if inner is not None else max(joblib.cpu_count() // 2, 1)
    assert results == [(given, str(given)), (given, str(given))]


def test_fit_inside_grid_search_workers_runs(toy_documents, fast_params):
    # A real fit in loky workers with n_jobs=None: it trains with the worker's budget.
    def fit(seed):
        return Word2VecVectorizer(**{**fast_params, "n_jobs": None,
                                     "random_state": seed}).fit(toy_documents).wv_.vectors

    vectors = joblib.Parallel(n_jobs=2, backend="loky")(joblib.delayed(fit)(s) for s in (0, 0))
    assert (vectors[0] == vectors[1]).all()  # one thread each on 2 cores: deterministic
