"""scikit-learn (>= 1.9) callbacks and the verbose lines: which events, in which order.

The recording callback appends every hook call to a JSON-lines file, so that the copies that
joblib sends to worker processes (``GridSearchCV(n_jobs=2)``) record too. The expected event
sequences are built here from the number of epochs and the chunking of ``tests/naive.py``.
"""

import json
import re

import naive
import numpy as np
import pytest
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import GridSearchCV
from sklearn.pipeline import Pipeline

import skw2v._corpus
import skw2v._progress
from skw2v import Word2VecVectorizer

try:
    import sklearn.callback as sklearn_callback
except ImportError:  # scikit-learn < 1.9
    sklearn_callback = None

needs_callbacks = pytest.mark.skipif(sklearn_callback is None,
                                     reason="scikit-learn < 1.9 has no callbacks")

W2V = "Word2VecVectorizer"
CHUNK = 400  # tokens per chunk in the tests that cut the corpus into several chunks


def _path(context):
    path = []
    while context is not None:
        path.append((context.estimator_name, context.task_name, context.task_id))
        context = context.parent
    return tuple(reversed(path))


class Recorder:
    """Records ``(hook, path from the root task, metadata)``; auto-propagated to every
    sub-estimator. ``stop_at``/``raise_at``: the path (ending at a task of the vectorizer)
    whose end asks to stop, or raises ``error``."""

    max_propagation_depth = None

    def __init__(self, filename, stop_at=None, raise_at=None, error=RuntimeError):
        self.filename = str(filename)
        self.stop_at, self.raise_at, self.error = stop_at, raise_at, error

    def _write(self, hook, context, metadata=None):
        with open(self.filename, "a", encoding="utf-8") as handle:
            handle.write(json.dumps([hook, _path(context), metadata]) + "\n")

    def setup(self, estimator, context):
        self._write("setup", context)

    def teardown(self, estimator, context):
        self._write("teardown", context)

    def on_fit_task_begin(self, estimator, context):
        self._write("begin", context)

    def on_fit_task_end(self, estimator, context, *, metadata=None):
        self._write("end", context, metadata)
        tail = [list(step) for step in _path(context)[1:]]
        if self.raise_at is not None and tail == self.raise_at:
            raise self.error("raised by the recording callback")
        return self.stop_at is not None and tail == self.stop_at

    def events(self):
        with open(self.filename, encoding="utf-8") as handle:
            return [json.loads(line) for line in handle]


def expected_tasks(prefix, chunks_per_epoch):
    """``(hook, path)`` of one vectorizer fit whose root task has the path ``prefix``."""
    events = [("begin", prefix)]
    for epoch, n_chunks in enumerate(chunks_per_epoch):
        epoch_path = prefix + [[W2V, "epoch", epoch]]
        events.append(("begin", epoch_path))
        for chunk in range(n_chunks):
            events += [("begin", epoch_path + [[W2V, "chunk", chunk]]),
                       ("end", epoch_path + [[W2V, "chunk", chunk]])]
        events.append(("end", epoch_path))
    return events + [("end", prefix)]


def hooks(events):
    return [(hook, path) for hook, path, _ in events]


@pytest.fixture
def n_chunks(monkeypatch, toy_documents):
    """Cut the corpus into chunks of ``CHUNK`` tokens; the number of chunks of
    ``toy_documents``."""
    monkeypatch.setattr(skw2v._corpus, "CHUNK_TOKENS", CHUNK)
    count = len(naive.chunks([doc.split() for doc in toy_documents], CHUNK))
    assert count >= 4
    return count


@needs_callbacks
def test_events_of_a_fit_in_order(tmp_path, toy_documents, fast_params, n_chunks):
    recorder = Recorder(tmp_path / "events.jsonl")
    model = Word2VecVectorizer(**fast_params).set_callbacks(recorder)
    model.fit(toy_documents)
    events = recorder.events()
    root = [[W2V, "fit", 0]]
    epochs = fast_params["epochs"]
    assert hooks(events) == ([("setup", root)] + expected_tasks(root, [n_chunks] * epochs)
                             + [("teardown", root)])
    assert not hasattr(model, "_callback_fit_ctx")

    # The metadata: each chunk's loss and words add up to its epoch's, which is
    # loss_history_; the learning rate falls to min_alpha at the last chunk.
    ends = [(path, meta) for hook, path, meta in events if hook == "end" and meta]
    chunk_meta = [meta for path, meta in ends if path[-1][1] == "chunk"]
    epoch_meta = [meta for path, meta in ends if path[-1][1] == "epoch"]
    assert [m["epoch"] for m in epoch_meta] == list(range(epochs))
    assert [(m["epoch"], m["chunk"]) for m in chunk_meta] == [
        (e, c) for e in range(epochs) for c in range(n_chunks)]
    for epoch, meta in enumerate(epoch_meta):
        mine = [m for m in chunk_meta if m["epoch"] == epoch]
        assert meta["loss"] == pytest.approx(sum(m["loss"] for m in mine), rel=1e-12)
        assert meta["words"] == sum(m["words"] for m in mine) == model.corpus_token_count_
        assert meta["loss"] == pytest.approx(model.loss_history_[epoch], rel=1e-12)
    alphas = [m["alpha"] for m in chunk_meta]
    assert all(a > b for a, b in zip(alphas, alphas[1:], strict=False))
    assert alphas[-1] == pytest.approx(model.min_alpha)


class StopAt:
    """Asks to stop at the end of the chunk ``(epoch, chunk)`` (or of the epoch, chunk=None)
    and keeps the ``fitted_estimator`` and the metadata of every end of a vectorizer's epoch
    or chunk."""

    def __init__(self, epoch, chunk=None):
        self.at = (epoch, chunk)
        self.snapshots = {}
        self.metadata = {}

    def setup(self, estimator, context):
        pass

    def teardown(self, estimator, context):
        pass

    def on_fit_task_begin(self, estimator, context):
        pass

    def on_fit_task_end(self, estimator, context, *, metadata=None, fitted_estimator=None):
        if context.task_name not in ("epoch", "chunk"):
            return False
        key = (metadata["epoch"], metadata.get("chunk"))
        self.snapshots[key] = fitted_estimator
        self.metadata[key] = metadata
        return key == self.at


@needs_callbacks
@pytest.mark.parametrize("chunk", [1, None], ids=["inside-an-epoch", "at-an-epoch-end"])
def test_a_callback_stops_training_and_leaves_a_usable_model(toy_documents, fast_params,
                                                             n_chunks, chunk):
    params = {**fast_params, "epochs": 4}
    full = Word2VecVectorizer(**params).fit(toy_documents)
    stop = StopAt(epoch=1, chunk=chunk)
    model = Word2VecVectorizer(**params).set_callbacks(stop).fit(toy_documents)

    # Two epochs were (partly) trained; the first is the full fit's first epoch.
    assert len(model.loss_history_) == 2
    assert model.loss_history_[0] == full.loss_history_[0]
    if chunk is None:
        assert model.loss_history_[1] == full.loss_history_[1]
    else:  # the loss of the two chunks of epoch 2 that were trained
        assert model.loss_history_[1] == pytest.approx(
            stop.metadata[(1, 0)]["loss"] + stop.metadata[(1, 1)]["loss"], rel=1e-12)
        assert model.loss_history_[1] < full.loss_history_[1]
        assert stop.snapshots[(1, chunk)] is None  # chunk ends give no fitted_estimator
    assert stop.metadata[(1, None)]["loss"] == pytest.approx(model.loss_history_[1])
    assert (2, 0) not in stop.metadata and (2, None) not in stop.metadata
    # The model is what the callback was shown at the end of the epoch where it stopped.
    last = stop.snapshots[(1, None)]
    np.testing.assert_array_equal(model.wv_.vectors, last.wv_.vectors)
    assert last.loss_history_ == model.loss_history_
    assert model.vocabulary_ == full.vocabulary_
    assert model.corpus_token_count_ == full.corpus_token_count_
    np.testing.assert_array_equal(model.idf_, full.idf_)
    rows = model.transform(toy_documents[:5])
    assert rows.shape == (5, params["vector_size"]) and np.isfinite(rows).all()
    assert not np.array_equal(model.wv_.vectors, full.wv_.vectors)


@needs_callbacks
def test_fitted_estimator_of_an_epoch_is_a_snapshot(toy_documents, fast_params):
    stop = StopAt(epoch=-1)  # never stops
    model = Word2VecVectorizer(**{**fast_params, "pooling": "sif"}).set_callbacks(stop)
    model.fit(toy_documents)
    epochs = fast_params["epochs"]
    first, last = stop.snapshots[(0, None)], stop.snapshots[(epochs - 1, None)]
    assert len(first.loss_history_) == 1 and last.loss_history_ == model.loss_history_
    # Copies of the weights at the time, with the pooling learned from them.
    assert not np.array_equal(first.wv_.vectors, model.wv_.vectors)
    np.testing.assert_array_equal(last.wv_.vectors, model.wv_.vectors)
    np.testing.assert_array_equal(last.sif_component_, model.sif_component_)
    np.testing.assert_allclose(last.transform(toy_documents), model.transform(toy_documents))


@needs_callbacks
@pytest.mark.parametrize("error", [RuntimeError, KeyboardInterrupt])
def test_an_error_in_a_callback_leaves_the_estimator_as_it_was(tmp_path, toy_documents,
                                                               other_documents, fast_params,
                                                               n_chunks, error):
    model = Word2VecVectorizer(**fast_params).fit(toy_documents)
    before = dict(vars(model))
    recorder = Recorder(tmp_path / "events.jsonl", error=error,
                        raise_at=[[W2V, "epoch", 1], [W2V, "chunk", 0]])
    model.set_callbacks(recorder)
    with pytest.raises(error, match="raised by the recording callback"):
        model.fit(other_documents)
    for name, value in before.items():
        assert vars(model)[name] is value, name
    assert hooks(recorder.events())[-1] == ("teardown", [[W2V, "fit", 0]])
    assert not hasattr(model, "_callback_fit_ctx")


@needs_callbacks
def test_pipeline_propagates_to_the_vectorizer(tmp_path, toy_documents, fast_params,
                                               n_chunks):
    recorder = Recorder(tmp_path / "events.jsonl")
    labels = np.arange(len(toy_documents)) % 2
    pipe = Pipeline([("w2v", Word2VecVectorizer(**fast_params)),
                     ("clf", LogisticRegression())]).set_callbacks(recorder)
    pipe.fit(toy_documents, labels)
    events = hooks(recorder.events())
    # The vectorizer's fit is the pipeline's first step task, merged into one node.
    prefix = [["Pipeline", "fit", 0], [W2V, "fit", 0]]
    mine = [event for event in events if event[1][-1][0] == W2V]
    assert mine == expected_tasks(prefix, [n_chunks] * fast_params["epochs"])
    # Between the pipeline's begin and the classifier's step.
    assert events.index(mine[0]) > events.index(("begin", [["Pipeline", "fit", 0]]))
    assert events[-2:] == [("end", [["Pipeline", "fit", 0]]),
                           ("teardown", [["Pipeline", "fit", 0]])]


@needs_callbacks
@pytest.mark.parametrize("n_jobs", [1, 2])
def test_grid_search_propagates_to_every_vectorizer_fit(tmp_path, toy_documents, fast_params,
                                                        n_jobs):
    recorder = Recorder(tmp_path / "events.jsonl")
    labels = np.arange(len(toy_documents)) % 2
    pipe = Pipeline([("w2v", Word2VecVectorizer(**fast_params)),
                     ("clf", LogisticRegression())])
    search = GridSearchCV(pipe, {"w2v__window": [2, 3]}, cv=2, n_jobs=n_jobs)
    search.set_callbacks(recorder).fit(toy_documents, labels)
    fits = {}  # the events of each vectorizer fit, by the path of its root task
    for hook, path in hooks(recorder.events()):
        if path[-1][0] == W2V:
            root = next(i for i, step in enumerate(path) if step[0] == W2V)
            fits.setdefault(json.dumps(path[:root + 1]), []).append((hook, path))
    assert len(fits) == 2 * 2 + 1  # candidates x folds, and the refit
    for prefix, events in fits.items():
        # One chunk: the corpus is far smaller than a chunk.
        assert events == expected_tasks(json.loads(prefix), [1] * fast_params["epochs"])


@needs_callbacks
@pytest.mark.dask
def test_dask_fit_reports_as_the_estimator_does(tmp_path, toy_documents, fast_params):
    db = pytest.importorskip("dask.bag")
    import skw2v.dask

    in_memory = Recorder(tmp_path / "memory.jsonl")
    expected = Word2VecVectorizer(**fast_params).set_callbacks(in_memory).fit(toy_documents)
    on_dask = Recorder(tmp_path / "dask.jsonl")
    model = skw2v.dask.fit(Word2VecVectorizer(**fast_params).set_callbacks(on_dask),
                           db.from_sequence(toy_documents, npartitions=3))
    assert on_dask.events() == in_memory.events()
    assert model.loss_history_ == expected.loss_history_
    assert not hasattr(model, "_callback_fit_ctx")


@needs_callbacks
def test_dask_fit_stops_when_asked(toy_documents, fast_params):
    db = pytest.importorskip("dask.bag")
    import skw2v.dask

    model = Word2VecVectorizer(**fast_params).set_callbacks(StopAt(epoch=0))
    skw2v.dask.fit(model, db.from_sequence(toy_documents, npartitions=2))
    assert len(model.loss_history_) == 1


@needs_callbacks
@pytest.mark.parametrize("n_jobs", [1, 2])
def test_progress_bar_shows_the_epochs(capsys, toy_documents, fast_params, n_jobs):
    pytest.importorskip("rich")
    labels = np.arange(len(toy_documents)) % 2
    pipe = Pipeline([("w2v", Word2VecVectorizer(**fast_params)),
                     ("clf", LogisticRegression())])
    search = GridSearchCV(pipe, {"w2v__window": [2, 3]}, cv=2, n_jobs=n_jobs)
    search.set_callbacks(sklearn_callback.ProgressBar(max_propagation_depth=None))
    search.fit(toy_documents, labels)
    # Not a terminal: rich prints the final state of every bar once.
    out = capsys.readouterr().out
    assert out.count(f"Pipeline - fit-transform-w2v | {W2V} - fit") == 5
    for epoch in range(fast_params["epochs"]):
        assert len(re.findall(rf"{W2V} - epoch #{epoch}\s.*100%", out)) == 5


@needs_callbacks
def test_progress_bar_on_the_estimator_alone(capsys, toy_documents, fast_params):
    pytest.importorskip("rich")
    model = Word2VecVectorizer(**fast_params).set_callbacks(sklearn_callback.ProgressBar())
    model.fit(toy_documents)
    lines = capsys.readouterr().out.splitlines()
    assert [line.split()[:4] for line in lines] == (
        [[W2V, "-", "fit", lines[0].split()[3]]]
        + [[W2V, "-", "epoch", f"#{e}"] for e in range(fast_params["epochs"])])
    assert all(line.rstrip().endswith(tuple("0123456789")) and "100%" in line
               for line in lines)


# ------------------------------------------------------------- verbose: the same events
def test_verbose_2_adds_a_progress_line_after_chunks(capsys, monkeypatch, toy_documents,
                                                     fast_params, n_chunks):
    monkeypatch.setattr(skw2v._progress.VerboseLines, "INTERVAL", -1.0)  # after every chunk
    model = Word2VecVectorizer(**{**fast_params, "verbose": 2}).fit(toy_documents)
    lines = capsys.readouterr().out.splitlines()
    epochs = fast_params["epochs"]
    assert len(lines) == epochs * (n_chunks + 1)
    done = []
    for epoch in range(epochs):
        block = lines[epoch * (n_chunks + 1):(epoch + 1) * (n_chunks + 1)]
        for line in block[:-1]:
            match = re.fullmatch(rf"epoch {epoch + 1}/{epochs}: +([0-9.]+)% done, "
                                 r"[0-9,]+ words/s", line)
            assert match, line
            done.append(float(match.group(1)))
        assert re.fullmatch(rf"epoch {epoch + 1}/{epochs}: loss {model.loss_history_[epoch]:.6g}"
                            r", [0-9,]+ words/s, alpha [0-9.]+", block[-1]), block[-1]
    assert done == sorted(done) and done[-1] == 100.0


@needs_callbacks
def test_verbose_lines_do_not_change_with_callbacks(tmp_path, capsys, toy_documents,
                                                    fast_params):
    Word2VecVectorizer(**{**fast_params, "verbose": 1}).fit(toy_documents)
    alone = capsys.readouterr().out.splitlines()
    recorder = Recorder(tmp_path / "events.jsonl")
    Word2VecVectorizer(**{**fast_params, "verbose": 1}).set_callbacks(recorder).fit(
        toy_documents)
    both = capsys.readouterr().out.splitlines()
    assert [line.split(",")[0] for line in both] == [line.split(",")[0] for line in alone]
    assert len(recorder.events()) > 0


def test_nothing_listens_without_verbose_or_callbacks():
    task = skw2v._progress.FitTask(Word2VecVectorizer(), epochs=5)
    assert task.root is None
    assert task.progress(verbose=0, n_chunks=3) is None
    assert task.progress(verbose=1, n_chunks=3) is not None
