"""The progress of a fit: one stream of training events for every consumer.

The epoch loop (:func:`skw2v._training.train`) reports to one :class:`FitProgress`, between
kernel calls, in this order::

    epoch_begin(0)
      chunk_begin(0, 0)   chunk_end(step) -> stop?     one pair per chunk of the corpus
      ...
    epoch_end(step) -> stop?
    epoch_begin(1) ...

``FitProgress`` hands every event to its observers, which are the only progress systems:

- :class:`VerboseLines` prints the lines of the ``verbose`` parameter (and the command line's
  lines when its output is not a terminal);
- :class:`CallbackTasks` turns the events into scikit-learn (>= 1.9) callback tasks: the fit
  is a task with one subtask per epoch, and each epoch one subtask per chunk;
- ``skw2v.cli``'s terminal bar (:class:`TerminalBar`), which listens to the fits started
  inside :func:`observing`.

An observer returning True from ``chunk_end`` or ``epoch_end`` stops training after that chunk;
the epoch task still ends (``epoch_end`` is reported), and the fit finishes as usual.
Without observers the loop gets no ``FitProgress`` at all and reports nothing.
"""

from __future__ import annotations

import sys
import time
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass

try:  # scikit-learn >= 1.9
    from sklearn.callback import CallbackSupportMixin as CallbackSupport
    from sklearn.callback import with_callbacks
except ImportError:  # pragma: no cover - exercised by the minimum-versions CI run
    class CallbackSupport:
        """scikit-learn < 1.9 has no callbacks: nothing to add."""

    def with_callbacks(function):
        return function


@dataclass(frozen=True)
class Step:
    """What is known after a chunk or an epoch has been trained.

    ``loss`` and ``words`` are those of the chunk (``chunk_end``) or of the epoch so far
    (``epoch_end``); ``words`` counts in-vocabulary tokens before subsampling, as the
    learning-rate schedule does. ``loss_history`` is what ``loss_history_`` would hold if
    training stopped here.
    """

    epoch: int  # from 0
    chunk: int  # from 0; the last chunk trained, at epoch_end
    epochs: int
    n_chunks: int
    loss: float
    words: int
    epoch_loss: float
    epoch_words: int
    epoch_seconds: float
    words_done: int  # over the whole fit
    total_words: int  # epochs x in-vocabulary words of the corpus
    alpha: float  # learning rate reached
    loss_history: tuple

    @property
    def fraction_done(self) -> float:
        return self.words_done / max(self.total_words, 1)

    def metadata(self, level: str) -> dict:
        """The ``metadata`` given to scikit-learn callbacks at the end of a chunk or epoch."""
        metadata = {"epoch": self.epoch, "loss": self.loss, "words": self.words,
                    "alpha": self.alpha}
        if level == "chunk":
            metadata["chunk"] = self.chunk
        return metadata


class Observer:
    """Does nothing with every event; observers override what they need."""

    def vocabulary(self, words: list) -> None:
        """The words the fit will train, once chosen and before they are encoded and
        trained (reported by :meth:`FitTask.vocabulary` to the observers of
        :func:`observing`): an observer that raises here stops the fit before its long part
        (the command line checks that its output format can hold every word)."""

    def epoch_begin(self, epoch: int) -> None:
        pass

    def chunk_begin(self, epoch: int, chunk: int) -> None:
        pass

    def chunk_end(self, step: Step) -> bool:
        return False

    def epoch_end(self, step: Step) -> bool:
        return False


class FitProgress:
    """Hands each event to every observer; a stop asked by any of them stops training."""

    def __init__(self, observers):
        self.observers = list(observers)

    def epoch_begin(self, epoch):
        for observer in self.observers:
            observer.epoch_begin(epoch)

    def chunk_begin(self, epoch, chunk):
        for observer in self.observers:
            observer.chunk_begin(epoch, chunk)

    def chunk_end(self, step):
        # Every observer hears of the chunk, also after one has asked to stop.
        return any([bool(observer.chunk_end(step)) for observer in self.observers])

    def epoch_end(self, step):
        return any([bool(observer.epoch_end(step)) for observer in self.observers])

    def bind(self, fitted_attributes):
        """Give the observers that want one the model so far (see :class:`CallbackTasks`)."""
        for observer in self.observers:
            if isinstance(observer, CallbackTasks):
                observer.fitted_attributes = fitted_attributes


def epoch_line(step: Step) -> str:
    """The line of an epoch: ``epoch 2/5: loss 1.2e+06, 812,345 words/s, alpha 0.01503``."""
    return (f"epoch {step.epoch + 1}/{step.epochs}: loss {step.epoch_loss:.6g}, "
            f"{step.epoch_words / max(step.epoch_seconds, 1e-9):,.0f} words/s, "
            f"alpha {step.alpha:.5f}")


class VerboseLines(Observer):
    """``verbose=1``: a line per epoch; ``verbose=2``: also a progress line every 5 s."""

    #: Seconds between two progress lines inside an epoch (``verbose >= 2``).
    INTERVAL = 5.0

    def __init__(self, verbose: int, stream=None):
        self.verbose = verbose
        self.stream = stream
        self._last = None

    def _print(self, line):
        print(line, file=self.stream if self.stream is not None else sys.stdout, flush=True)

    def epoch_begin(self, epoch):
        self._last = time.perf_counter()

    def chunk_end(self, step):
        now = time.perf_counter()
        if self.verbose >= 2 and now - self._last > self.INTERVAL:
            self._last = now
            self._print(f"epoch {step.epoch + 1}/{step.epochs}: {step.fraction_done:6.1%} "
                        f"done, {step.epoch_words / max(step.epoch_seconds, 1e-9):,.0f} "
                        "words/s")
        return False

    def epoch_end(self, step):
        self._print(epoch_line(step))
        return False


class CallbackTasks(Observer):
    """The fit's scikit-learn callback tasks: ``fit``, then ``epoch`` #e, then ``chunk`` #c.

    The ``fitted_estimator`` of an epoch end is built only when a callback asks for it, from
    ``fitted_attributes(step)`` (set by :meth:`FitProgress.bind`): the model as ``fit`` would
    leave it had training stopped there. It costs a pass over the corpus (the pooling), so
    chunk ends give none: a callback taking ``fitted_estimator`` (scikit-learn's
    ``ScoringMonitor`` does) would otherwise make every chunk cost a pass.
    """

    def __init__(self, estimator, root, n_chunks):
        self.estimator = estimator
        self.root = root
        self.n_chunks = n_chunks
        self.fitted_attributes = None
        self._epoch = self._chunk = None

    def _attributes(self, step):
        if self.fitted_attributes is None:
            return None
        return lambda: self.fitted_attributes(step)

    def epoch_begin(self, epoch):
        self._epoch = self.root.subcontext(task_name="epoch", max_subtasks=self.n_chunks)
        self._epoch.call_on_fit_task_begin(estimator=self.estimator)

    def chunk_begin(self, epoch, chunk):
        self._chunk = self._epoch.subcontext(task_name="chunk")
        self._chunk.call_on_fit_task_begin(estimator=self.estimator)

    def chunk_end(self, step):
        return self._chunk.call_on_fit_task_end(estimator=self.estimator,
                                                metadata=step.metadata("chunk"))

    def epoch_end(self, step):
        return self._epoch.call_on_fit_task_end(
            estimator=self.estimator, metadata=step.metadata("epoch"),
            reconstruction_attributes=self._attributes(step))


def set_callbacks(estimator, callbacks) -> None:
    """Set scikit-learn callbacks on ``estimator`` for a front end that builds the estimator
    itself (``train_on_spark``, ``from_gensim``); None sets none."""
    if callbacks is None:
        return
    if not hasattr(estimator, "set_callbacks"):
        raise ValueError("callbacks need scikit-learn >= 1.9 (sklearn.callback); this "
                         "scikit-learn has none. Upgrade scikit-learn, or pass callbacks=None.")
    if not isinstance(callbacks, (list, tuple)):
        raise TypeError(f"callbacks must be a list of scikit-learn callbacks, got "
                        f"{type(callbacks).__name__}.")
    estimator.set_callbacks(*callbacks)


#: Observers of every fit started in this context (see :func:`observing`).
_OBSERVERS: ContextVar[tuple] = ContextVar("skw2v_progress_observers", default=())


@contextmanager
def observing(*observers):
    """Within the block, every fit (``fit``, ``fit_transform``, :func:`skw2v.dask.fit`) also
    reports to ``observers``."""
    token = _OBSERVERS.set(_OBSERVERS.get() + observers)
    try:
        yield
    finally:
        _OBSERVERS.reset(token)


class FitTask:
    """The root callback task of one fit of ``estimator`` (a no-op without callbacks).

    Created at the start of a fit, after the parameters are checked: it sets the callbacks up
    (scikit-learn tears them down when the fit method returns or raises, see
    :func:`with_callbacks`) and begins the ``fit`` task, with one subtask per epoch the
    trainer reports (none for a trainer without epochs: the fit task alone).
    """

    def __init__(self, estimator, epochs, X=None):
        self.estimator = estimator
        self.X = X
        self.root = None
        # Without callbacks (or before scikit-learn 1.9) nothing is set up and the epoch loop
        # reports nothing: set_callbacks stores them in _skl_callbacks.
        if getattr(estimator, "_skl_callbacks", None) and hasattr(estimator,
                                                                  "_init_callback_context"):
            self.root = estimator._init_callback_context(task_name="fit", max_subtasks=epochs)
            self.root.call_on_fit_task_begin(estimator=estimator, X=X)

    def vocabulary(self, words):
        """Show the chosen ``words`` to the observers of :func:`observing`."""
        for observer in _OBSERVERS.get():
            observer.vocabulary(words)

    def progress(self, verbose, n_chunks):
        """The :class:`FitProgress` of the training loop, or None when nobody listens."""
        observers = list(_OBSERVERS.get())
        if verbose:
            observers.append(VerboseLines(verbose))
        if self.root is not None:
            observers.append(CallbackTasks(self.estimator, self.root, n_chunks))
        return FitProgress(observers) if observers else None

    def end(self, state):
        """End the ``fit`` task, before the driver commits the estimator's new ``state`` (its
        whole ``__dict__``): a callback that asks for ``fitted_estimator`` gets a copy of the
        estimator holding exactly that state (scikit-learn sets the reconstruction
        attributes on a copy; setting ``__dict__`` also drops what the new fit lacks, such
        as the input columns of an earlier fit on a DataFrame)."""
        if self.root is not None:
            self.root.call_on_fit_task_end(
                estimator=self.estimator, X=self.X,
                reconstruction_attributes=lambda: {"__dict__": dict(state)})


def _clock(seconds: float) -> str:
    """``12:03`` or ``1:02:03``."""
    minutes, seconds = divmod(int(round(seconds)), 60)
    hours, minutes = divmod(minutes, 60)
    return f"{hours}:{minutes:02d}:{seconds:02d}" if hours else f"{minutes}:{seconds:02d}"


class TerminalBar(Observer):
    """A progress bar redrawn in place on a terminal after every chunk (the command line's).

    The bar shows the epoch, the share of the whole fit done, the words per second of the fit
    so far, the mean loss per word of the current epoch and the time left at that speed::

        epoch 2/5 [#########...........]  43%  812,345 words/s  loss/word 2.351  ETA 0:12

    At the end of each epoch the bar gives way to the epoch's line (as ``verbose=1`` prints
    it), so the lines of finished epochs stay on screen above the bar. Call :meth:`close`
    when the fit ends, also by an error, to clear the bar.
    """

    def __init__(self, stream, columns: int | None = None):
        self.stream = stream
        self.columns = columns
        self._started = None
        self._drawn = False

    def _width(self):
        if self.columns is not None:
            return self.columns
        import shutil

        return shutil.get_terminal_size().columns

    def _write(self, text):
        self.stream.write(text)
        self.stream.flush()

    def _clear(self):
        if self._drawn:
            self._write("\r\x1b[2K")
            self._drawn = False

    def line(self, step: Step) -> str:
        """The bar's text after ``step``, fitted into the terminal's width."""
        elapsed = time.perf_counter() - self._started
        speed = step.words_done / max(elapsed, 1e-9)
        left = (step.total_words - step.words_done) / speed if speed > 0 else 0.0
        head = f"epoch {step.epoch + 1}/{step.epochs} "
        # Fixed-width fields, so that the bar keeps its length from one redraw to the next.
        tail = (f" {step.fraction_done:4.0%} {speed:>11,.0f} words/s  loss/word "
                f"{step.epoch_loss / max(step.epoch_words, 1):<7.4g} ETA {_clock(left):>5}")
        room = self._width() - 1 - len(head) - len(tail) - 2
        if room < 10:  # a narrow terminal: no bar
            return (head + tail.lstrip())[:max(self._width() - 1, 0)].rstrip()
        n_bar = min(room, 40)
        filled = int(n_bar * step.fraction_done)
        return f"{head}[{'#' * filled}{'.' * (n_bar - filled)}]{tail}"

    def epoch_begin(self, epoch):
        if self._started is None:
            self._started = time.perf_counter()

    def chunk_end(self, step):
        self._write("\r\x1b[2K" + self.line(step))
        self._drawn = True
        return False

    def epoch_end(self, step):
        self._clear()
        self._write(epoch_line(step) + "\n")
        return False

    def close(self):
        """Clear the bar, if one is drawn."""
        self._clear()
