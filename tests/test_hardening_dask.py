"""Hardening of skw2v.dask.transform: fit's document and token rules, on every partition,
with errors that name the partition, the position in it and the index label.

Runs on Dask's synchronous scheduler: the rules are the same on a cluster (tests/test_dask.py
checks that the graph ships)."""

import numpy as np
import pandas as pd
import pytest

dask = pytest.importorskip("dask")
dd = pytest.importorskip("dask.dataframe")
db = pytest.importorskip("dask.bag")

import skw2v.dask  # noqa: E402
from skw2v import Word2VecVectorizer  # noqa: E402

pytestmark = pytest.mark.dask

WORDS = "red green blue cat dog fish king queen man woman apple pear".split()
KW = {"vector_size": 8, "min_count": 1, "epochs": 1, "n_jobs": 1, "random_state": 0}


def make_documents(seed=0, n=200, length=8):
    rng = np.random.default_rng(seed)
    return [" ".join(rng.choice(WORDS, length)) for _ in range(n)]


@pytest.fixture(autouse=True)
def synchronous():
    with dask.config.set(scheduler="synchronous"):
        yield


def _half_splitting(document):
    """A callable analyzer that returns a str (a mistake) for one-word documents."""
    return document.split() if " " in document else document


def _series(documents, index, npartitions=2):
    with dask.config.set({"dataframe.convert-string": False}):
        return dd.from_pandas(pd.Series(documents, index=index, dtype=object),
                              npartitions=npartitions)


@pytest.mark.parametrize("missing", [None, np.nan])
def test_missing_document_names_partition_and_index_label(missing):
    model = Word2VecVectorizer(**KW).fit(make_documents())
    docs = _series(["red cat", "dog", missing, "king"], index=[10, 11, 12, 13])
    with pytest.raises(TypeError, match=r"^Partition 1, document 0 \(index label 12\) is "
                                        r"missing .*fillna"):
        skw2v.dask.transform(model, docs).compute()


def test_string_index_label_is_quoted():
    model = Word2VecVectorizer(**KW).fit(make_documents())
    docs = _series(["red cat", "dog", None, "king"], index=["a", "b", "c", "d"])
    with pytest.raises(TypeError, match=r"^Partition 1, document 0 \(index label 'c'\)"):
        skw2v.dask.transform(model, docs).compute()


def test_analyzer_returning_a_str_is_refused_on_the_workers():
    model = Word2VecVectorizer(analyzer=_half_splitting, **KW).fit(make_documents())
    docs = _series(["red cat", "dog fish", "king man", "red"], index=[5, 6, 7, 8])
    with pytest.raises(TypeError, match=r"^Partition 1, document 1 \(index label 8\): the "
                                        r"analyzer returned a str"):
        skw2v.dask.transform(model, docs).compute()


@pytest.fixture(scope="module")
def pretokenized_model():
    return Word2VecVectorizer(analyzer="pretokenized", **KW).fit(
        [document.split() for document in make_documents()])


@pytest.mark.parametrize("bad, shown", [([1, 2], "int 1"), ([["a"], "red"], r"list \['a'\]")],
                         ids=["int", "unhashable"])
def test_bag_of_bad_tokens_names_the_partition(pretokenized_model, bad, shown):
    docs = db.from_sequence([["red"], ["cat"], ["dog"], bad], npartitions=2)
    with pytest.raises(TypeError, match=rf"^Partition 1, document 1: the token {shown} is "
                                        r"not a str"):
        skw2v.dask.transform(pretokenized_model, docs).compute()


def test_good_partitions_equal_in_memory_transform(pretokenized_model):
    documents = [document.split() for document in make_documents(seed=3, n=30)]
    computed = skw2v.dask.transform(pretokenized_model,
                                    db.from_sequence(documents, npartitions=3)).compute()
    np.testing.assert_array_equal(computed, pretokenized_model.transform(documents))


def _snapshot(model):
    return {name: getattr(model, name) for name in vars(model)
            if name.endswith("_") and not name.startswith("_")}


def test_failed_dask_fit_keeps_the_fitted_estimator(monkeypatch):
    from skw2v import _pooling

    model = Word2VecVectorizer(analyzer="pretokenized", **KW).fit(
        [document.split() for document in make_documents()])
    state = _snapshot(model)
    vectors = model.wv_.vectors.copy()
    other = [document.split() for document in make_documents(seed=4)]
    # A bad token in the last partition: refused while counting, before any training.
    with pytest.raises(TypeError, match=r"^Partition \d+, document \d+: the token int 1"):
        skw2v.dask.fit(model, db.from_sequence(other + [["red", 1]], npartitions=2))
    # A fault after training, while the pooling weights are learned.
    monkeypatch.setattr(_pooling, "idf_weights", _fail)
    with pytest.raises(MemoryError, match="injected"):
        skw2v.dask.fit(model.set_params(random_state=1),
                       db.from_sequence(other, npartitions=2))
    assert _snapshot(model).keys() == state.keys()
    for name, value in state.items():
        assert getattr(model, name) is value, name
    np.testing.assert_array_equal(model.wv_.vectors, vectors)


def _fail(*args, **kwargs):
    raise MemoryError("injected")
