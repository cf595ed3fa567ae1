"""Numba kernels of random walks on a graph: DeepWalk's first-order walks and node2vec's
second-order walks, written straight into the int32 id arrays the skip-gram kernels read.

The graph is a CSR adjacency (``indptr``, ``indices`` sorted within each row) with, for a
weighted graph, ``cumulative``: each row's running sum of its edge weights (float64, all
weights > 0), so a weighted step is one uniform draw and a binary search.

node2vec's second-order step from ``current`` (having come from ``previous``) weighs an edge
to ``x`` by ``1/p`` if ``x == previous``, ``1`` if ``x`` is a neighbour of ``previous`` and
``1/q`` otherwise. It is drawn by rejection, with nothing precomputed: a first-order candidate
is accepted with probability ``weight / max(1/p, 1, 1/q)`` (KnightKing's sampler; the
distribution is exact, and memory is the graph alone, as pecanpy's SparseOTF mode).

Every walk has its own random state, derived from the fit's seed and the walk's index, so the
walks are the same whatever the chunks and threads that generate them.
"""

import numpy as np
from numba import njit

from ._config import NUMBA_FLAGS
from ._kernels import _LOW32, _below, _xorshift

_GOLDEN = np.uint64(0x9E3779B97F4A7C15)
_MIX1 = np.uint64(0xBF58476D1CE4E5B9)
_MIX2 = np.uint64(0x94D049BB133111EB)
_S30 = np.uint64(30)
_S27 = np.uint64(27)
_S31 = np.uint64(31)
_TWO_POW_32 = 4294967296.0


@njit(**NUMBA_FLAGS)
def _walk_state(seed, walk):
    """A non-zero xorshift state for walk number ``walk`` (splitmix64 of seed and index)."""
    z = seed + (np.uint64(walk) + np.uint64(1)) * _GOLDEN
    z = (z ^ (z >> _S30)) * _MIX1
    z = (z ^ (z >> _S27)) * _MIX2
    z = z ^ (z >> _S31)
    return z | np.uint64(1)


@njit(**NUMBA_FLAGS)
def _unit(bits):
    """A float64 in ``[0, 1)`` from the low 32 of 64 random bits."""
    return np.float64(bits & _LOW32) / _TWO_POW_32


@njit(**NUMBA_FLAGS)
def _neighbour(state, indptr, indices, cumulative, weighted, node):
    """``(state, a neighbour of node drawn by edge weight)``; -1 for a node without edges."""
    start = indptr[node]
    end = indptr[node + 1]
    if end == start:
        return state, np.int64(-1)
    state, bits = _xorshift(state)
    if not weighted:
        return state, np.int64(indices[start + _below(bits, end - start)])
    target = _unit(bits) * cumulative[end - 1]
    low, high = start, end - 1  # the first edge whose running sum exceeds target
    while low < high:
        middle = (low + high) >> 1
        if cumulative[middle] > target:
            high = middle
        else:
            low = middle + 1
    return state, np.int64(indices[low])


@njit(**NUMBA_FLAGS)
def _has_edge(indptr, indices, source, target):
    """Whether the sorted row ``source`` holds ``target``."""
    low, high = indptr[source], indptr[source + 1]
    while low < high:
        middle = (low + high) >> 1
        value = indices[middle]
        if value == target:
            return True
        if value < target:
            low = middle + 1
        else:
            high = middle
    return False


@njit(**NUMBA_FLAGS)
def _second_order(state, indptr, indices, cumulative, weighted, previous, current, inv_p,
                  inv_q, bound):
    """``(state, next node)`` of a node2vec step, by rejection of first-order candidates."""
    while True:
        state, candidate = _neighbour(state, indptr, indices, cumulative, weighted, current)
        if candidate < 0:
            return state, candidate
        if candidate == previous:
            weight = inv_p
        elif _has_edge(indptr, indices, previous, candidate):
            weight = 1.0
        else:
            weight = inv_q
        state, bits = _xorshift(state)
        if _unit(bits) * bound < weight:
            return state, candidate


@njit(**NUMBA_FLAGS)
def generate_walks(indptr, indices, cumulative, weighted, starts, first_walk, walk_length,
                   inv_p, inv_q, second_order, seed, tokens, offsets):
    """Walk from each node of ``starts`` (walk numbers ``first_walk`` onwards) into
    ``tokens`` (int32, at least ``len(starts) * walk_length``) and ``offsets`` (int64, at
    least ``len(starts) + 1``).

    A walk stops early at a node without out-edges; a walk of one node (its start has no
    out-edges) is left out, since it has no context to train. Returns ``(n_walks,
    n_tokens)`` written.
    """
    bound = max(inv_p, 1.0, inv_q)
    n_walks = 0
    position = 0
    offsets[0] = 0
    for k in range(starts.shape[0]):
        state = _walk_state(seed, first_walk + k)
        node = np.int64(starts[k])
        begin = position
        tokens[position] = node
        position += 1
        previous = np.int64(-1)
        for _ in range(walk_length - 1):
            if second_order and previous >= 0:
                state, following = _second_order(state, indptr, indices, cumulative,
                                                 weighted, previous, node, inv_p, inv_q,
                                                 bound)
            else:
                state, following = _neighbour(state, indptr, indices, cumulative, weighted,
                                              node)
            if following < 0:
                break
            tokens[position] = following
            position += 1
            previous = node
            node = following
        if position - begin < 2:
            position = begin
            continue
        n_walks += 1
        offsets[n_walks] = position
    return n_walks, position


@njit(**NUMBA_FLAGS)
def count_walk_nodes(indptr, indices, cumulative, weighted, starts, first_walk, walk_length,
                     inv_p, inv_q, second_order, seed, tokens, offsets, counts):
    """:func:`generate_walks` into the scratch ``tokens``/``offsets``, adding each visit to
    ``counts`` (int64 per node); returns ``(n_walks, n_tokens)``."""
    n_walks, n_tokens = generate_walks(indptr, indices, cumulative, weighted, starts,
                                       first_walk, walk_length, inv_p, inv_q, second_order,
                                       seed, tokens, offsets)
    for position in range(n_tokens):
        counts[tokens[position]] += 1
    return n_walks, n_tokens
