"""Random walks as a corpus for the fit driver: :class:`WalkSource` (a source) reads a
:class:`~skw2v._graph_input.Graph` into a :class:`WalkCorpus`, whose chunks the skip-gram
and CBOW kernels train on, and :class:`WalkFit` (a trainer: the Numba engine with the plan
and fitted attributes of a graph embedding).

No walk is ever stored. A first pass generates every walk once to count the visits of each
node (the vocabulary's counts: the noise distribution and subsampling need them); each epoch
then generates the walks again, chunk by chunk, as the training loop asks for the next chunk
(while the threads train the current one). Every walk has its own random state, so both
passes, and every epoch, see the same walks, as a trainer over stored walks would; memory is
the graph, the weights and two chunks.

Walk ``k`` starts at node ``perm_r[k % n_nodes]`` with ``r = k // n_nodes``: each of the
``n_walks`` rounds visits every node once, in an order of its own (DeepWalk's shuffle).
"""

from __future__ import annotations

import functools
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import numpy as np
from sklearn.utils import check_random_state

from . import _kernels_walks, _training
from ._driver import FitPlan, check_learning_rate
from ._trainers import NumbaEngine, check_engine_parameters

#: Nodes per chunk of walks: a quarter of a text corpus's chunk (a chunk is generated while
#: the previous one trains, so two are alive), enough to keep the threads busy.
CHUNK_TOKENS = 1 << 18


@dataclass(frozen=True)
class WalkSettings:
    """How the walks are drawn."""

    walk_length: int
    n_walks: int
    p: float
    q: float

    @property
    def second_order(self) -> bool:
        return self.p != 1.0 or self.q != 1.0


class WalkCorpus:
    """The walks over a graph, as the fit driver and the training loop read a corpus (see
    :mod:`skw2v._sources`): node keys as ``words``, visit ``counts``, and ``chunks``
    generated on demand. It is its own ``encoded`` corpus."""

    vocabulary = None
    ids = None

    def __init__(self, graph, settings: WalkSettings, seed: int, n_threads: int,
                 chunk_tokens: int | None = None):
        self.graph, self.settings, self.seed = graph, settings, np.uint64(seed)
        self.n_threads = n_threads
        tokens_per_chunk = chunk_tokens or CHUNK_TOKENS
        self.walks_per_chunk = max(1, tokens_per_chunk // settings.walk_length)
        self.n_walks_total = settings.n_walks * graph.n_nodes
        self.n_chunks = -(-self.n_walks_total // self.walks_per_chunk)
        self.max_document_tokens = settings.walk_length
        self.words = graph.keys()
        self.counts, self.n_documents = self._count()
        self.n_tokens = int(self.counts.sum())
        self.encoded = self

    # ------------------------------------------------------------------ walks
    def _starts(self, first, stop):
        """The start node of walks ``first .. stop - 1``."""
        n = self.graph.n_nodes
        starts = np.empty(stop - first, dtype=np.int64)
        at = first
        while at < stop:
            round_ = at // n
            end = min(stop, (round_ + 1) * n)
            starts[at - first:end - first] = self._order(round_)[at - round_ * n:
                                                                 end - round_ * n]
            at = end
        return starts

    @functools.lru_cache(maxsize=4)  # noqa: B019 - a few rounds, freed with the corpus
    def _order(self, round_):
        """The order in which round ``round_`` starts its walks (a chunk is a small part of
        a round, so the permutation is drawn once per round and pass, not per chunk)."""
        return np.random.default_rng([int(self.seed), round_]).permutation(self.graph.n_nodes)

    def _arguments(self, first, stop):
        graph, settings = self.graph, self.settings
        n = stop - first
        cumulative = (np.zeros(1, dtype=np.float64) if graph.cumulative is None
                      else graph.cumulative)
        tokens = np.empty(n * settings.walk_length, dtype=np.int32)
        offsets = np.empty(n + 1, dtype=np.int64)
        return (graph.indptr, graph.indices, cumulative, graph.cumulative is not None,
                self._starts(first, stop), np.int64(first), np.int64(settings.walk_length),
                np.float64(1.0 / settings.p), np.float64(1.0 / settings.q),
                settings.second_order, self.seed, tokens, offsets)

    def walks(self, chunk):
        """``(tokens, offsets)`` of chunk number ``chunk``: int32 node ids and int64 walk
        boundaries."""
        first = chunk * self.walks_per_chunk
        stop = min(first + self.walks_per_chunk, self.n_walks_total)
        arguments = self._arguments(first, stop)
        n_walks, n_tokens = _kernels_walks.generate_walks(*arguments)
        tokens, offsets = arguments[-2], arguments[-1]
        return tokens[:n_tokens], offsets[:n_walks + 1]

    def _count(self):
        """Visits of each node over every walk, and the number of walks (a pass over them,
        split between the threads)."""
        n_nodes = self.graph.n_nodes

        def count(bounds):
            first, stop = bounds
            counts = np.zeros(n_nodes, dtype=np.int64)
            n_walks = 0
            for start in range(first, stop, self.walks_per_chunk):
                arguments = self._arguments(start, min(start + self.walks_per_chunk, stop))
                n_walks += _kernels_walks.count_walk_nodes(*arguments, counts)[0]
            return counts, n_walks

        edges = np.linspace(0, self.n_walks_total, self.n_threads + 1).astype(np.int64)
        parts = [(int(a), int(b)) for a, b in zip(edges[:-1], edges[1:], strict=True) if b > a]
        with ThreadPoolExecutor(max_workers=max(1, len(parts))) as pool:
            results = list(pool.map(count, parts))
        counts = np.sum([counts for counts, _ in results], axis=0)
        return counts, sum(n for _, n in results)

    # ------------------------------------------------------------------ the corpus protocol
    def chunks(self, id_map, order=None):
        """Yield ``(ids, offsets, chunk_remap)`` per chunk, as
        :meth:`skw2v._corpus.EncodedCorpus.chunks` (the ids are node ids)."""
        for chunk in range(self.n_chunks) if order is None else order:
            tokens, offsets = self.walks(chunk)
            yield tokens, offsets, id_map.rows

    def encode(self, vocabulary, ids):
        return ids

    def close(self):
        pass

    def __enter__(self):
        return self

    def __exit__(self, *exc_info):
        self.close()


class WalkSource:
    """A graph read once into a :class:`WalkCorpus` (``X`` is what callbacks are told)."""

    def __init__(self, X, graph, settings: WalkSettings):
        self.X, self.graph, self.settings = X, graph, settings

    def input_columns(self):
        return {}

    def read(self, plan) -> WalkCorpus:
        return WalkCorpus(self.graph, self.settings, plan.walk_seed, plan.config.n_threads)


@dataclass(frozen=True)
class WalkPlan(FitPlan):
    """A :class:`~skw2v._driver.FitPlan` with the seed of the walks."""

    walk_seed: int = 0


class WalkFit(NumbaEngine):
    """The Numba engine with the plan and fitted attributes of a graph embedding."""

    def check(self, estimator):
        check_engine_parameters(estimator)
        check_learning_rate(estimator)

    def plan(self, estimator, input_columns):
        config = _training.TrainingConfig(
            architecture=estimator.architecture, vector_size=int(estimator.vector_size),
            window=int(estimator.window), shrink_windows=True, cbow_mean=True,
            negative=int(estimator.negative), hs=bool(estimator.hs),
            sample=float(estimator.sample), ns_exponent=0.75, alpha=float(estimator.alpha),
            min_alpha=float(estimator.min_alpha), epochs=int(estimator.epochs),
            n_threads=estimator._n_threads(), verbose=int(estimator.verbose))
        random_state = check_random_state(estimator.random_state)
        init_seed, train_seed, walk_seed = random_state.randint(np.iinfo(np.int32).max,
                                                                size=3)
        return WalkPlan(config=config, init_seed=int(init_seed), train_seed=int(train_seed),
                        tokenizer=None, min_count=1, max_vocab_size=None, init=None,
                        pretrained_only=False, freeze_init=False, pooling=None,
                        input_columns=dict(input_columns), walk_seed=int(walk_seed))

    def fitted(self, plan, corpus, ids, wv, losses, *, return_pooled=False):
        """``embedding_`` (row i: node i; zeros for a node no walk visits), ``wv_`` and the
        loss of each epoch."""
        embedding = np.zeros((corpus.graph.n_nodes, wv.vector_size), dtype=np.float32)
        visited = ids.rows >= 0
        embedding[visited] = wv.vectors[ids.rows[visited]]
        names = corpus.graph.names
        return {"embedding_": embedding, "wv_": wv,
                "nodes_": np.arange(corpus.graph.n_nodes) if names is None else names,
                "loss_history_": [float(loss) for loss in losses],
                "n_features_in_": corpus.graph.n_nodes}, None
