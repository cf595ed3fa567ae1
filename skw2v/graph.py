"""Graph embeddings: :class:`Node2VecEmbedding` (DeepWalk and node2vec random walks, generated
in Numba and streamed into the skip-gram kernels) and :func:`edge_features`."""

from __future__ import annotations

from numbers import Integral, Real

import numpy as np
from sklearn.base import BaseEstimator, _fit_context
from sklearn.utils._param_validation import StrOptions

from . import _driver
from ._graph_input import read_graph
from ._progress import CallbackSupport
from ._threads import resolve_n_threads
from ._walks import WalkFit, WalkSettings, WalkSource
from .vectorizer import _Number

__all__ = ["Node2VecEmbedding", "edge_features"]


class Node2VecEmbedding(CallbackSupport, BaseEstimator):
    """Embed the nodes of a graph with random walks and skip-gram: DeepWalk (``p = q = 1``)
    and node2vec (second-order walks).

    From every node, ``n_walks`` walks of ``walk_length`` nodes are drawn in Numba (in
    parallel, each walk with its own random state) and handed to the skip-gram (or CBOW)
    kernels as arrays of node ids, chunk by chunk: no walk is stored, as a list of strings or
    otherwise, so memory is the graph, the weights and two chunks of walks, whatever
    ``n_walks``. Follows scikit-learn's ``SpectralEmbedding(affinity="precomputed")``:
    ``fit(A)``, ``fit_transform(A)``, ``embedding_``.

    Parameters
    ----------
    vector_size : int, default=128
        Dimension of the embedding.
    walk_length : int, default=80
        Nodes per walk (a walk ends early at a node without out-edges).
    n_walks : int, default=10
        Walks started from each node.
    p : float, default=1.0
        node2vec's return parameter: a walk goes back to the node it came from with weight
        ``1/p``.
    q : float, default=1.0
        node2vec's in-out parameter: a walk moves to a node that is not a neighbour of the
        previous one with weight ``1/q`` (a neighbour of it: weight 1). ``p = q = 1`` is
        DeepWalk's first-order walk, drawn without the second-order test. Second-order
        steps are drawn by rejection from the first-order ones, with nothing precomputed
        (memory: the graph alone; the expected tries per step are at most
        ``max(1/p, 1, 1/q) / min(1/p, 1, 1/q)``).
    directed : bool, default=False
        False: every edge is also walked the other way (the adjacency is made symmetric).
        A networkx ``DiGraph`` is always directed.
    window : int, default=10
        Maximum distance between a node and its context nodes in a walk.
    negative : int, default=5
        Negative samples per context node; 0 with ``hs=True``.
    hs : bool, default=False
        Hierarchical softmax (DeepWalk's original output layer).
    sample : float, default=1e-3
        Subsampling threshold of frequently visited nodes (gensim's default, which pecanpy
        and the node2vec reference code pass on); 0 for none. On a small graph every node
        is frequent (a node of a 20-node graph is 5% of the walks): there, use 0.
    architecture : {"skipgram", "cbow"}, default="skipgram"
    epochs : int, default=1
        Passes over the walks (the same walks each epoch).
    alpha : float, default=0.025
        Initial learning rate, decaying linearly to ``min_alpha``.
    min_alpha : float, default=0.0001
    n_jobs : int, default=None
        Threads for the walks and the training; None means 1, -1 all processors.
    random_state : int, RandomState instance or None, default=None
        With ``n_jobs=1`` and an int, ``fit`` is bit-reproducible (the walks are so with any
        ``n_jobs``).
    verbose : int, default=0
        1: a line per epoch.

    Attributes
    ----------
    embedding_ : ndarray of shape (n_nodes, vector_size), dtype float32
        Row ``i`` is node ``i`` (``nodes_[i]``); zeros for a node without edges.
    wv_ : WordVectors
        The vectors of the nodes that walks visit, keyed by ``str(node)`` (the node's index
        for a matrix, its name for a networkx graph or an edge list), with ``most_similar``.
    nodes_ : ndarray of shape (n_nodes,)
        The node of each row: ``0..n-1`` for a matrix, the names otherwise.
    loss_history_ : list of float
        The training loss of each epoch.
    n_features_in_ : int
        Number of nodes.

    See Also
    --------
    edge_features : Features of node pairs, for link prediction.
    sklearn.manifold.SpectralEmbedding : A spectral embedding of the same input.

    Notes
    -----
    The input: a square scipy sparse adjacency (entry ``(i, j)`` is the weight of the edge
    ``i -> j``; any format), a networkx graph (``networkx`` installed; edge attribute
    ``weight``), or a DataFrame with columns ``source``, ``target`` and optionally
    ``weight``. Weights must be finite and >= 0 (an explicit 0 is no edge); an edge listed
    twice has the sum of its weights; self loops are edges. Walks of weighted graphs step
    in proportion to the weights.

    Examples
    --------
    Two groups of ten friends, and one friendship between the groups:

    >>> import numpy as np
    >>> import scipy.sparse as sp
    >>> from skw2v import Node2VecEmbedding
    >>> clique = np.ones((10, 10)) - np.eye(10)
    >>> A = sp.block_diag([clique, clique], format="lil")
    >>> A[9, 10] = A[10, 9] = 1
    >>> model = Node2VecEmbedding(vector_size=8, n_walks=20, walk_length=10, window=3,
    ...                           sample=0, epochs=5, random_state=0).fit(A)
    >>> model.embedding_.shape
    (20, 8)
    >>> {node for node, _ in model.wv_.most_similar("0", topn=5)} <= set("123456789")
    True
    """

    _parameter_constraints: dict = {
        "vector_size": [_Number(Integral, 1, None, closed="left")],
        "walk_length": [_Number(Integral, 2, None, closed="left")],
        "n_walks": [_Number(Integral, 1, None, closed="left")],
        "p": [_Number(Real, 0, None, closed="neither")],
        "q": [_Number(Real, 0, None, closed="neither")],
        "directed": ["boolean"],
        "window": [_Number(Integral, 1, None, closed="left")],
        "negative": [_Number(Integral, 0, None, closed="left")],
        "hs": ["boolean"],
        "sample": [_Number(Real, 0, 1, closed="left")],
        "architecture": [StrOptions({"skipgram", "cbow"})],
        "epochs": [_Number(Integral, 1, None, closed="left")],
        "alpha": [_Number(Real, 0, None, closed="neither")],
        "min_alpha": [_Number(Real, 0, None, closed="left")],
        "n_jobs": [_Number(Integral, None, None, closed="neither"), None],
        "random_state": ["random_state"],
        "verbose": ["verbose"],
    }

    def __init__(self, *, vector_size: int = 128, walk_length: int = 80, n_walks: int = 10,
                 p: float = 1.0, q: float = 1.0, directed: bool = False, window: int = 10,
                 negative: int = 5, hs: bool = False, sample: float = 1e-3,
                 architecture: str = "skipgram", epochs: int = 1, alpha: float = 0.025,
                 min_alpha: float = 0.0001, n_jobs: int | None = None,
                 random_state=None, verbose: int = 0) -> None:
        self.vector_size = vector_size
        self.walk_length = walk_length
        self.n_walks = n_walks
        self.p = p
        self.q = q
        self.directed = directed
        self.window = window
        self.negative = negative
        self.hs = hs
        self.sample = sample
        self.architecture = architecture
        self.epochs = epochs
        self.alpha = alpha
        self.min_alpha = min_alpha
        self.n_jobs = n_jobs
        self.random_state = random_state
        self.verbose = verbose

    def _n_threads(self) -> int:
        return resolve_n_threads(self.n_jobs)

    @_fit_context(prefer_skip_nested_validation=True)
    def fit(self, X, y=None):
        """Draw the walks over the graph ``X`` and learn the embedding of its nodes.

        Parameters
        ----------
        X : scipy sparse matrix or array of shape (n_nodes, n_nodes), networkx graph, or DataFrame
            The graph (see Notes of the class).
        y : None
            Ignored.

        Returns
        -------
        self : Node2VecEmbedding

        Raises
        ------
        ValueError
            For a matrix that is not square, a weight that is negative or not finite (naming
            the edge), a graph without edges, ``min_alpha > alpha``, or ``negative=0`` with
            ``hs=False``.

        Examples
        --------
        An edge list with names (a DataFrame), weighted:

        >>> import pandas as pd
        >>> from skw2v import Node2VecEmbedding
        >>> edges = pd.DataFrame({"source": ["ann", "bob", "cid", "ann"],
        ...                       "target": ["bob", "cid", "dee", "dee"],
        ...                       "weight": [1.0, 2.0, 1.0, 0.5]})
        >>> model = Node2VecEmbedding(vector_size=4, n_walks=5, walk_length=6, sample=0,
        ...                           random_state=0).fit(edges)
        >>> model.nodes_.tolist(), model.embedding_.shape
        (['ann', 'bob', 'cid', 'dee'], (4, 4))
        """
        graph = read_graph(X, directed=bool(self.directed))
        settings = WalkSettings(int(self.walk_length), int(self.n_walks), float(self.p),
                                float(self.q))
        _driver.fit(self, WalkSource(X, graph, settings), WalkFit())
        return self

    def fit_transform(self, X, y=None):
        """Fit, and return ``embedding_``.

        Parameters
        ----------
        X : scipy sparse matrix or array, networkx graph, or DataFrame
            The graph, as for :meth:`fit`.
        y : None
            Ignored.

        Returns
        -------
        ndarray of shape (n_nodes, vector_size)

        Examples
        --------
        >>> import scipy.sparse as sp
        >>> from skw2v import Node2VecEmbedding
        >>> path = sp.diags([1.0], [1], shape=(6, 6))  # 0 - 1 - 2 - 3 - 4 - 5
        >>> Node2VecEmbedding(vector_size=3, n_walks=4, walk_length=5, sample=0,
        ...                   random_state=0).fit_transform(path).shape
        (6, 3)
        """
        return self.fit(X).embedding_


#: The ways :func:`edge_features` combines two node vectors (node2vec paper, Table 1).
_EDGE_OPERATORS = {
    "hadamard": lambda a, b: a * b,
    "average": lambda a, b: (a + b) / 2,
    "l1": lambda a, b: np.abs(a - b),
    "l2": lambda a, b: (a - b) ** 2,
}


def edge_features(embedding, edges, method: str = "hadamard") -> np.ndarray:
    """Features of node pairs from their embeddings, for link prediction (node2vec's binary
    operators).

    Parameters
    ----------
    embedding : array-like of shape (n_nodes, dim)
        Node vectors, such as ``Node2VecEmbedding().fit(A).embedding_``.
    edges : array-like of shape (n_pairs, 2), int
        Row numbers of the two nodes of each pair.
    method : {"hadamard", "average", "l1", "l2"}, default="hadamard"
        Element-wise product, mean, absolute difference or squared difference.

    Returns
    -------
    ndarray of shape (n_pairs, dim)

    Examples
    --------
    >>> import numpy as np
    >>> from skw2v import edge_features
    >>> embedding = np.array([[1.0, 2.0], [3.0, -1.0], [0.5, 0.5]])
    >>> edge_features(embedding, [[0, 1], [1, 2]])
    array([[ 3. , -2. ],
           [ 1.5, -0.5]])
    >>> edge_features(embedding, [[0, 1]], method="l1")
    array([[2., 3.]])
    """
    if method not in _EDGE_OPERATORS:
        raise ValueError(f"method must be one of {', '.join(map(repr, _EDGE_OPERATORS))}; "
                         f"got {method!r}.")
    embedding = np.asarray(embedding)
    if embedding.ndim != 2:
        raise ValueError(f"embedding must be 2-D (nodes x dimensions); got shape "
                         f"{embedding.shape}.")
    edges = np.asarray(edges)
    if edges.ndim != 2 or edges.shape[1] != 2 or not np.issubdtype(edges.dtype, np.integer):
        raise ValueError(f"edges must be an int array of shape (n_pairs, 2); got "
                         f"{edges.dtype} of shape {edges.shape}.")
    if edges.size and (edges.min() < 0 or edges.max() >= embedding.shape[0]):
        bad = edges[(edges < 0) | (edges >= embedding.shape[0])][0]
        raise ValueError(f"edges names node {bad}, outside 0..{embedding.shape[0] - 1} "
                         "(the rows of embedding).")
    return _EDGE_OPERATORS[method](embedding[edges[:, 0]], embedding[edges[:, 1]])
