"""One fit driver for every front end: the in-memory fit, Dask, Spark (MLlib) and the gensim
mirror report the same callback task tree, commit the same fitted attributes, and commit only
after the fit task's last callback has returned."""

import numpy as np
import pytest
from test_callbacks import W2V, Recorder, StopAt, expected_tasks, hooks, needs_callbacks

from skw2v import Word2VecVectorizer

#: Settings every front end can train: MLlib's (skip-gram, hierarchical softmax, no
#: subsampling, final learning rate alpha * 1e-4), small and deterministic.
PARAMS = {"vector_size": 8, "window": 3, "min_count": 2, "epochs": 2, "architecture":
          "skipgram", "negative": 0, "hs": True, "sample": 0.0, "alpha": 0.025,
          "min_alpha": 0.025 * 1e-4, "random_state": 3}

FITTED = {"wv_", "vocabulary_", "idf_", "sif_component_", "loss_history_",
          "corpus_document_count_", "corpus_token_count_"}


def _fitted_attributes(model):
    return {name for name in vars(model) if name.endswith("_") and not name.startswith("_")}


def _in_memory(documents, recorder):
    return Word2VecVectorizer(**PARAMS, n_jobs=1).set_callbacks(recorder).fit(documents)


def _on_dask(documents, recorder):
    db = pytest.importorskip("dask.bag")
    import skw2v.dask

    return skw2v.dask.fit(Word2VecVectorizer(**PARAMS, n_jobs=1).set_callbacks(recorder),
                          db.from_sequence(documents, npartitions=3))


def _on_spark(documents, recorder, spark):
    from skw2v.spark import train_on_spark

    rows = spark.sparkContext.parallelize([(d,) for d in documents], 2)
    frame = spark.createDataFrame(rows, "text string")
    params = {name: value for name, value in PARAMS.items() if name != "min_alpha"}
    return train_on_spark(frame, "text", callbacks=[recorder], **params)


def _gensim_mirror(documents, recorder):
    models = pytest.importorskip("gensim.models")
    analyzer = Word2VecVectorizer().build_analyzer()
    model = models.Word2Vec([analyzer(d) for d in documents], vector_size=8, window=3,
                            min_count=2, epochs=2, sg=1, hs=1, negative=0, sample=0.0,
                            seed=3, workers=1)
    return Word2VecVectorizer.from_gensim(model, documents, callbacks=[recorder])


@needs_callbacks
@pytest.mark.dask
@pytest.mark.spark
def test_every_front_end_reports_one_task_tree_and_commits_the_same_attributes(
        tmp_path, toy_documents, spark):
    models, events = {}, {}
    for name, fit in [("memory", _in_memory), ("dask", _on_dask),
                      ("spark", lambda d, r: _on_spark(d, r, spark)),
                      ("gensim", _gensim_mirror)]:
        recorder = Recorder(tmp_path / f"{name}.jsonl")
        models[name] = fit(toy_documents, recorder)
        events[name] = hooks(recorder.events())
        assert not hasattr(models[name], "_callback_fit_ctx"), name
    root = [[W2V, "fit", 0]]
    trained = [("setup", root)] + expected_tasks(root, [1] * PARAMS["epochs"]) + [
        ("teardown", root)]
    assert events["memory"] == events["dask"] == trained
    # MLlib reports no epochs and the mirror trains none: the fit task alone.
    alone = [("setup", root), ("begin", root), ("end", root), ("teardown", root)]
    assert events["spark"] == events["gensim"] == alone

    memory = models["memory"]
    for name, model in models.items():
        assert _fitted_attributes(model) == FITTED, name
        # One vocabulary rule (gensim 4's order) and one pooling rule everywhere.
        assert model.vocabulary_ == memory.vocabulary_, name
        assert model.corpus_document_count_ == len(toy_documents), name
        assert model.corpus_token_count_ == memory.corpus_token_count_, name
        np.testing.assert_allclose(model.idf_, memory.idf_, rtol=1e-6, err_msg=name)
        assert model.sif_component_ is None, name
    np.testing.assert_array_equal(models["dask"].wv_.vectors, memory.wv_.vectors)
    assert models["dask"].loss_history_ == memory.loss_history_
    assert len(memory.loss_history_) == PARAMS["epochs"]
    assert models["spark"].loss_history_ == models["gensim"].loss_history_ == []


class EndOfFit(StopAt):
    """Keeps the ``fitted_estimator`` shown at the end of the fit task, then raises."""

    def __init__(self, error=RuntimeError):
        self.error = error
        self.shown = None

    def on_fit_task_end(self, estimator, context, *, fitted_estimator=None):
        if context.task_name != "fit":
            return False
        self.shown = fitted_estimator
        raise self.error("raised at the end of the fit task")


@needs_callbacks
@pytest.mark.parametrize("front_end", ["memory", pytest.param("dask", marks=pytest.mark.dask)])
@pytest.mark.parametrize("error", [RuntimeError, KeyboardInterrupt])
def test_a_callback_raising_at_fit_task_end_leaves_the_previous_model(
        toy_documents, other_documents, front_end, error):
    model = Word2VecVectorizer(**PARAMS, n_jobs=1).fit(toy_documents)
    before = dict(vars(model))
    callback = EndOfFit(error)
    model.set_callbacks(callback)
    with pytest.raises(error, match="raised at the end of the fit task"):
        if front_end == "memory":
            model.fit(other_documents)
        else:
            db = pytest.importorskip("dask.bag")
            import skw2v.dask

            skw2v.dask.fit(model, db.from_sequence(other_documents, npartitions=2))
    for name, value in before.items():
        assert vars(model)[name] is value, name
    assert not hasattr(model, "_callback_fit_ctx")
    # The callback was shown the new model: the other documents' words.
    shown = callback.shown
    assert shown is not model and set(shown.vocabulary_) == set(
        Word2VecVectorizer(**PARAMS).fit(other_documents).vocabulary_)
    assert set(shown.vocabulary_).isdisjoint(model.vocabulary_)
    assert shown.transform(other_documents[:3]).shape == (3, PARAMS["vector_size"])


@needs_callbacks
def test_a_callback_raising_at_the_end_of_a_mirror_fit_returns_nothing(toy_documents):
    models = pytest.importorskip("gensim.models")
    model = models.Word2Vec([d.split() for d in toy_documents], vector_size=8, min_count=1,
                            seed=0, workers=1)
    callback = EndOfFit()
    with pytest.raises(RuntimeError, match="raised at the end of the fit task"):
        Word2VecVectorizer.from_gensim(model, analyzer="pretokenized", callbacks=[callback])
    assert callback.shown.wv_.index_to_word == model.wv.index_to_key


def test_callbacks_of_a_front_end_must_be_a_list(toy_documents):
    models = pytest.importorskip("gensim.models")
    model = models.Word2Vec([d.split() for d in toy_documents], vector_size=8, min_count=1,
                            seed=0, workers=1)
    with pytest.raises((TypeError, ValueError), match="callbacks"):
        Word2VecVectorizer.from_gensim(model, callbacks=EndOfFit())


@needs_callbacks
def test_the_fit_task_end_shows_the_new_input_columns(toy_documents):
    # A refit on a list after a fit on a DataFrame: the model shown at the end of the fit task
    # has no input columns, as the estimator after the fit.
    pd = pytest.importorskip("pandas")
    kept = []

    class Keep(StopAt):
        def __init__(self):
            pass

        def on_fit_task_end(self, estimator, context, *, fitted_estimator=None):
            if context.task_name == "fit":
                kept.append(fitted_estimator)
            return False

    model = Word2VecVectorizer(**PARAMS, n_jobs=1).fit(pd.DataFrame({"text": toy_documents}))
    assert list(model.feature_names_in_) == ["text"]
    model.set_callbacks(Keep()).fit(toy_documents)
    assert not hasattr(model, "feature_names_in_") and not hasattr(model, "n_features_in_")
    assert not hasattr(kept[0], "feature_names_in_")
    kept[0].transform(pd.DataFrame({"other": toy_documents[:2]}))  # no column check left


def test_error_order_of_the_engine_checks(toy_documents):
    # As before the driver: epochs=0 without init, then char_ngram_range, then min_alpha.
    with pytest.raises(ValueError, match="epochs=0 trains nothing"):
        Word2VecVectorizer(epochs=0, alpha=0.01, min_alpha=0.1).fit(toy_documents)
    with pytest.raises(ValueError, match="char_ngram_range"):
        Word2VecVectorizer(char_ngram_range=(5, 3), alpha=0.01, min_alpha=0.1).fit(
            toy_documents)
    with pytest.raises(ValueError, match="min_alpha=0.1 is larger than alpha"):
        Word2VecVectorizer(alpha=0.01, min_alpha=0.1).fit(toy_documents)


class SeeAtFitEnd(StopAt):
    """Records what the estimator itself holds when the fit task ends."""

    def __init__(self):
        self.seen = None

    def on_fit_task_end(self, estimator, context, *, fitted_estimator=None):
        if context.task_name == "fit":
            self.seen = vars(estimator).get("wv_")
        return False


@needs_callbacks
def test_the_fit_commits_after_the_last_callback_has_returned(toy_documents,
                                                              other_documents):
    model = Word2VecVectorizer(**PARAMS, n_jobs=1).fit(toy_documents)
    old = model.wv_
    callback = SeeAtFitEnd()
    model.set_callbacks(callback).fit(other_documents)
    assert callback.seen is old and model.wv_ is not old


@pytest.mark.parametrize("read", [1, 2, 3, 4, 5])
def test_transform_never_mixes_the_model_with_one_committed_meanwhile(toy_documents,
                                                                      other_documents, read):
    # Another thread's refit, made to land right after the transform's read-th read of a
    # fitted attribute (wv_, idf_, sif_component_): the result must be that of one model,
    # never the vectors of one with the idf_ of the other (a dimension error, or wrong values
    # with generator input). transform reads the fitted state once, so no refit lands inside.
    params = {**PARAMS, "min_count": 1, "epochs": 1, "n_jobs": 1, "pooling": "idf"}
    documents = toy_documents[:40] + other_documents[:40]
    expected = [Word2VecVectorizer(**{**params, "vector_size": size}).fit(docs)
                .transform(documents)
                for docs, size in [(toy_documents, 8), (other_documents, 12)]]
    reads, pending = [], [(other_documents, 12)]

    class CommitMeanwhile(Word2VecVectorizer):
        def __getattribute__(self, name):
            value = super().__getattribute__(name)
            if name in ("wv_", "idf_", "sif_component_") and pending:
                reads.append(name)
                if len(reads) == read:
                    docs, size = pending.pop()
                    self.set_params(vector_size=size).fit(docs)
            return value

    model = CommitMeanwhile(**{**params, "vector_size": 8}).fit(toy_documents)
    reads.clear()
    for X in (documents, iter(documents)):
        got = model.transform(X)
        assert any(got.shape == e.shape and np.allclose(got, e, rtol=1e-6, atol=1e-7)
                   for e in expected), f"a mixed result after read {read} ({reads})"
