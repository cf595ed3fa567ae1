"""What a graph is for :class:`skw2v.Node2VecEmbedding`: a scipy sparse adjacency, a networkx
graph or an edge-list DataFrame, turned into one checked CSR matrix and the names of its nodes.

The rules, the same for every input:

- the adjacency is square; entry ``(i, j)`` is the weight of the edge from ``i`` to ``j``;
- a weight is a finite number >= 0; explicit zeros are no edge; duplicate entries (an edge
  listed twice) are summed, as scipy sums them;
- ``directed=False`` makes the graph symmetric: an edge given one way is added the other way
  (``maximum(A, A.T)``, so a symmetric input is unchanged);
- self loops are edges like any other (a walk may stay on a node);
- a node without edges starts no walk and is in none: its row of ``embedding_`` is zeros.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
import scipy.sparse as sp


@dataclass(frozen=True)
class Graph:
    """A checked graph: CSR arrays with sorted rows, the running sums of each row's weights
    (None when every weight is equal), and the node names (None: the nodes are 0..n-1)."""

    indptr: np.ndarray  # int64, n_nodes + 1
    indices: np.ndarray  # int32, sorted within each row
    cumulative: np.ndarray | None  # float64 per edge, or None (unweighted)
    names: np.ndarray | None  # object, one per node, or None

    @property
    def n_nodes(self) -> int:
        return self.indptr.shape[0] - 1

    @property
    def n_edges(self) -> int:
        return self.indices.shape[0]

    def keys(self) -> list:
        """The node names as str (``wv_``'s words): the names given, or ``"0".."n-1"``."""
        names = np.arange(self.n_nodes) if self.names is None else self.names
        return [str(name) for name in names]


def read_graph(X, *, directed: bool) -> Graph:
    """The :class:`Graph` of ``X``: a scipy sparse matrix or array, a networkx graph, or a
    DataFrame with columns ``source``, ``target`` and optionally ``weight``."""
    names = None
    if isinstance(X, pd.DataFrame):
        matrix, names = _edge_list(X)
    elif _is_networkx(X):
        matrix, names = _networkx(X)
        directed = directed or X.is_directed()
    elif sp.issparse(X):
        matrix = X
    else:
        raise TypeError(f"X must be a square scipy sparse adjacency matrix, a networkx graph "
                        f"or a DataFrame of edges (source, target[, weight]); got "
                        f"{type(X).__name__}. For a dense array, pass "
                        "scipy.sparse.csr_array(X).")
    return _checked(matrix, names, directed)


def _is_networkx(X) -> bool:
    return type(X).__module__.startswith("networkx.") and hasattr(X, "adjacency")


def _networkx(G):
    import networkx as nx

    nodes = list(G.nodes())
    matrix = nx.to_scipy_sparse_array(G, nodelist=nodes, weight="weight", format="csr")
    names = np.empty(len(nodes), dtype=object)
    names[:] = nodes
    return matrix, names


def _edge_list(frame):
    missing = [column for column in ("source", "target") if column not in frame.columns]
    if missing:
        raise ValueError(f"The edge list DataFrame has no column {missing[0]!r}: it needs "
                         f"'source' and 'target' (and optionally 'weight'); it has "
                         f"{list(frame.columns)}.")
    for column in ("source", "target"):
        if frame[column].isna().any():
            row = int(np.flatnonzero(frame[column].isna().to_numpy())[0])
            raise ValueError(f"Edge {row} of the DataFrame has a missing {column}; drop or "
                             "fill it.")
    codes, names = pd.factorize(pd.concat([frame["source"], frame["target"]],
                                          ignore_index=True), sort=False)
    n_edges = len(frame)
    weights = (np.ones(n_edges) if "weight" not in frame.columns
               else pd.to_numeric(frame["weight"], errors="coerce").to_numpy(np.float64))
    n = len(names)
    matrix = sp.coo_array((weights, (codes[:n_edges], codes[n_edges:])), shape=(n, n))
    return matrix, np.asarray(names, dtype=object)


def _checked(matrix, names, directed) -> Graph:
    if matrix.ndim != 2 or matrix.shape[0] != matrix.shape[1]:
        raise ValueError(f"The adjacency matrix must be square (nodes x nodes); got shape "
                         f"{matrix.shape}.")
    if matrix.shape[0] == 0:
        raise ValueError("The graph has no nodes.")
    csr = sp.csr_array(matrix, dtype=np.float64, copy=True)  # ours to change
    csr.sum_duplicates()  # an edge listed twice: the sum of its weights
    data = csr.data
    bad = ~np.isfinite(data) | (data < 0)
    if bad.any():
        k = int(np.flatnonzero(bad)[0])
        row = int(np.searchsorted(csr.indptr, k, side="right") - 1)
        name = _name(names, row), _name(names, csr.indices[k])
        raise ValueError(f"The edge {name[0]} -> {name[1]} has weight {data[k]}; weights must "
                         "be finite and >= 0 (0: no edge). Fix or drop it.")
    if not directed:
        transposed = csr.T.tocsr()
        transposed.sort_indices()
        if not (np.array_equal(transposed.indptr, csr.indptr)
                and np.array_equal(transposed.indices, csr.indices)
                and np.array_equal(transposed.data, csr.data)):
            csr = csr.maximum(transposed).tocsr()  # not symmetric yet: each edge both ways
        del transposed
    csr.eliminate_zeros()
    csr.sort_indices()
    if csr.nnz == 0:
        raise ValueError("The graph has no edges: random walks need at least one.")
    if csr.nnz >= 2**31 or matrix.shape[0] >= 2**31:
        raise ValueError(f"The graph has {matrix.shape[0]:,} nodes and {csr.nnz:,} edges; "
                         "at most 2^31 - 1 of each are supported.")
    weights = csr.data
    cumulative = None
    if weights.min() != weights.max():
        cumulative = np.empty(weights.shape[0], dtype=np.float64)
        row_of_edge = np.repeat(np.arange(csr.shape[0]), np.diff(csr.indptr))
        running = np.cumsum(weights)
        row_start = np.concatenate([[0.0], running])[csr.indptr[:-1]]
        cumulative[:] = running - row_start[row_of_edge]
    return Graph(indptr=csr.indptr.astype(np.int64), indices=csr.indices.astype(np.int32),
                 cumulative=cumulative, names=names)


def _name(names, index):
    return repr(names[index]) if names is not None else f"node {int(index)}"
