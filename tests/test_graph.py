"""Node2VecEmbedding: the walks against the exact transition probabilities of DeepWalk and
node2vec (tests/naive.py), walks independent of chunks and threads, the graph inputs and their
errors, and the embedding of a graph with planted communities."""

import pickle
import tracemalloc

import naive
import numpy as np
import pandas as pd
import pytest
import scipy.sparse as sp
from sklearn.base import clone
from sklearn.utils._param_validation import InvalidParameterError

from skw2v import Node2VecEmbedding, edge_features
from skw2v._graph_input import read_graph
from skw2v._walks import WalkCorpus, WalkSettings

#: A small weighted directed graph: node 0 -> 1, 2, 3 (weights 1, 2, 5), 1 <-> 2, 2 -> 3,
#: 3 -> 0, 3 -> 4 (weight 3), a self loop on 4 and 4 -> 0.
DENSE = np.array([[0, 1, 2, 5, 0],
                  [0, 0, 1, 0, 0],
                  [0, 1, 0, 1, 0],
                  [1, 0, 0, 0, 3],
                  [2, 0, 0, 0, 1]], dtype=np.float64)


def _walks(adjacency, settings, *, seed=3, n_threads=1, chunk_tokens=None, directed=True):
    graph = read_graph(sp.csr_array(adjacency), directed=directed)
    corpus = WalkCorpus(graph, settings, seed, n_threads, chunk_tokens)
    parts = [corpus.walks(chunk) for chunk in range(corpus.n_chunks)]
    return corpus, [tokens[offsets[k]:offsets[k + 1]].tolist()
                    for tokens, offsets in parts for k in range(offsets.shape[0] - 1)]


def _assert_frequencies(observed, expected, n):
    # Each frequency within 5 binomial standard deviations of its probability.
    sigma = np.sqrt(np.maximum(expected * (1 - expected), 1e-12) / n)
    assert np.all(np.abs(observed - expected) <= 5 * sigma + 1e-12), (observed, expected)


@pytest.mark.parametrize("p,q", [(1.0, 1.0), (0.25, 4.0), (4.0, 0.25), (1.0, 0.5)])
def test_every_step_follows_the_exact_transition_probabilities(p, q):
    settings = WalkSettings(walk_length=6, n_walks=4000, p=p, q=q)
    _, walks = _walks(DENSE, settings)
    n = DENSE.shape[0]
    # Count each (previous, current) -> next; first steps (no previous) separately.
    first = np.zeros((n, n))
    second = np.zeros((n, n, n))
    for walk in walks:
        first[walk[0], walk[1]] += 1
        for a, b, c in zip(walk, walk[1:], walk[2:], strict=False):
            second[a, b, c] += 1
    for current in range(n):
        total = first[current].sum()
        _assert_frequencies(first[current] / total,
                            naive.walk_step_probabilities(DENSE, current), total)
        for previous in range(n):
            total = second[previous, current].sum()
            if total < 500:
                continue
            expected = naive.walk_step_probabilities(DENSE, current, previous, p, q)
            _assert_frequencies(second[previous, current] / total, expected, total)


def test_walks_are_the_same_whatever_the_chunks_and_threads():
    settings = WalkSettings(walk_length=7, n_walks=30, p=0.5, q=2.0)
    corpus, reference = _walks(DENSE, settings)
    assert corpus.n_chunks == 1 and len(reference) == 150
    for chunk_tokens, threads in [(7, 1), (20, 2), (50, 3)]:
        other, walks = _walks(DENSE, settings, chunk_tokens=chunk_tokens, n_threads=threads)
        assert walks == reference
        np.testing.assert_array_equal(other.counts, corpus.counts)
    assert np.bincount(np.concatenate(reference), minlength=5).tolist() == \
        corpus.counts.tolist()
    # Each round starts from every node once.
    starts = [walk[0] for walk in reference]
    for round_ in range(30):
        assert sorted(starts[5 * round_:5 * round_ + 5]) == [0, 1, 2, 3, 4]
    _, other_seed = _walks(DENSE, settings, seed=4)
    assert other_seed != reference


def test_walks_end_at_a_node_without_out_edges_and_single_nodes_are_left_out():
    # 0 -> 1 -> 2 (2 has no out-edge); 3 has no edge at all.
    adjacency = np.zeros((4, 4))
    adjacency[0, 1] = adjacency[1, 2] = 1
    corpus, walks = _walks(adjacency, WalkSettings(5, 3, 1.0, 1.0))
    assert sorted(map(tuple, walks)) == [(0, 1, 2)] * 3 + [(1, 2)] * 3
    assert corpus.counts.tolist() == [3, 6, 6, 0]
    assert corpus.n_documents == 6


def _communities(n_per=40, seed=0, p_in=0.3, p_out=0.01):
    rng = np.random.default_rng(seed)
    n = 2 * n_per
    labels = np.repeat([0, 1], n_per)
    same = labels[:, None] == labels[None, :]
    upper = np.triu(rng.random((n, n)) < np.where(same, p_in, p_out), 1)
    ring = np.arange(n - 1)
    upper[ring, ring + 1] |= labels[ring] == labels[ring + 1]  # no node without edges
    return sp.csr_array(upper.astype(np.float64)), labels


def test_nodes_of_one_community_are_nearest_to_each_other():
    A, labels = _communities()
    embedding = Node2VecEmbedding(vector_size=16, n_walks=10, walk_length=20, window=5,
                                  epochs=3, n_jobs=2, random_state=0).fit_transform(A)
    unit = embedding / np.linalg.norm(embedding, axis=1, keepdims=True)
    similarity = unit @ unit.T
    np.fill_diagonal(similarity, -np.inf)
    nearest = similarity.argmax(axis=1)
    assert np.mean(labels[nearest] == labels) > 0.95


def test_one_thread_and_a_seed_reproduce_the_embedding_bit_for_bit():
    A, _ = _communities(20)
    params = {"vector_size": 8, "n_walks": 5, "walk_length": 10, "window": 3, "n_jobs": 1,
              "random_state": 7, "p": 0.5, "q": 2.0}
    first = Node2VecEmbedding(**params).fit(A).embedding_
    np.testing.assert_array_equal(Node2VecEmbedding(**params).fit(A).embedding_, first)
    assert not np.array_equal(Node2VecEmbedding(**{**params, "random_state": 8}).fit(A)
                              .embedding_, first)


def test_inputs_give_the_same_graph():
    edges = pd.DataFrame({"source": ["a", "b", "c", "a"], "target": ["b", "c", "a", "d"],
                          "weight": [1.0, 2.0, 1.0, 3.0]})
    from_frame = read_graph(edges, directed=False)
    assert list(from_frame.names) == ["a", "b", "c", "d"]
    matrix = sp.coo_array(([1.0, 2.0, 1.0, 3.0], ([0, 1, 2, 0], [1, 2, 0, 3])), shape=(4, 4))
    from_matrix = read_graph(matrix, directed=False)
    np.testing.assert_array_equal(from_frame.indptr, from_matrix.indptr)
    np.testing.assert_array_equal(from_frame.indices, from_matrix.indices)
    np.testing.assert_array_equal(from_frame.cumulative, from_matrix.cumulative)
    # Undirected: each edge both ways; node 0's weights 1 (b), 1 (c), 3 (d) as running sums.
    assert from_matrix.indices[:3].tolist() == [1, 2, 3]
    assert from_matrix.cumulative[:3].tolist() == [1.0, 2.0, 5.0]
    nx = pytest.importorskip("networkx")
    G = nx.Graph()
    G.add_weighted_edges_from(edges.itertuples(index=False))
    from_networkx = read_graph(G, directed=False)
    assert list(from_networkx.names) == ["a", "b", "c", "d"]
    np.testing.assert_array_equal(from_networkx.cumulative, from_matrix.cumulative)


def test_the_input_matrix_is_left_as_it_was():
    matrix = sp.csr_array(([2.0, 0.0, 1.0, 1.0], [1, 1, 0, 2], [0, 2, 3, 4]), shape=(3, 3))
    before = [matrix.data.copy(), matrix.indices.copy(), matrix.indptr.copy()]
    read_graph(matrix, directed=False)
    for array, kept in zip([matrix.data, matrix.indices, matrix.indptr], before, strict=True):
        np.testing.assert_array_equal(array, kept)


def test_duplicate_edges_add_up_and_self_loops_are_edges():
    matrix = sp.coo_array(([1.0, 1.0, 1.0, 2.0], ([0, 0, 0, 1], [1, 1, 0, 0])), shape=(2, 2))
    graph = read_graph(matrix, directed=True)
    assert graph.indices.tolist() == [0, 1, 0]
    assert graph.cumulative.tolist() == [1.0, 3.0, 2.0]  # 0 -> 0 (1), 0 -> 1 (1 + 1)


@pytest.mark.parametrize("X,message", [
    (sp.csr_array((3, 4)), r"square .* got shape \(3, 4\)"),
    (sp.csr_array(([1.0, -2.0], ([0, 1], [1, 2])), shape=(3, 3)),
     r"The edge node 1 -> node 2 has weight -2.0"),
    (sp.csr_array(([np.nan], ([0], [1])), shape=(2, 2)), r"edge node 0 -> node 1 has weight nan"),
    (sp.csr_array((3, 3)), "no edges"),
    (pd.DataFrame({"source": ["a"], "target": ["b"], "weight": [np.inf]}),
     r"The edge 'a' -> 'b' has weight inf"),
    (pd.DataFrame({"from": ["a"], "to": ["b"]}), "has no column 'source'"),
    (np.eye(3), "For a dense array, pass scipy.sparse.csr_array"),
])
def test_bad_graphs_are_refused_naming_the_problem(X, message):
    model = Node2VecEmbedding(n_walks=1, walk_length=3, vector_size=4)
    with pytest.raises((ValueError, TypeError), match=message):
        model.fit(X)
    assert not hasattr(model, "embedding_")


@pytest.mark.parametrize("params", [{"p": 0}, {"q": -1.0}, {"walk_length": 1},
                                    {"n_walks": 0}, {"directed": "yes"}])
def test_bad_parameters_are_refused(params):
    with pytest.raises(InvalidParameterError):
        Node2VecEmbedding(**params).fit(_communities(5)[0])


@pytest.mark.parametrize("params,message", [
    ({"min_alpha": 0.5, "alpha": 0.1}, "min_alpha=0.5 is larger than alpha=0.1"),
    ({"negative": 0}, "negative=0 with hs=False trains nothing")])
def test_settings_that_cannot_train_are_refused(params, message):
    model = Node2VecEmbedding(**params)
    with pytest.raises(ValueError, match=message):
        model.fit(_communities(5)[0])
    assert not hasattr(model, "embedding_")


def test_a_node_without_edges_gets_a_zero_row_and_no_key():
    A, _ = _communities(10)
    A = sp.block_diag([A, sp.csr_array((1, 1))]).tocsr()  # node 20: no edge
    model = Node2VecEmbedding(vector_size=4, n_walks=3, walk_length=5, random_state=0).fit(A)
    assert model.embedding_.shape == (21, 4)
    assert not model.embedding_[20].any() and model.embedding_[:20].any(axis=1).all()
    assert "20" not in model.wv_ and "19" in model.wv_
    np.testing.assert_array_equal(model.wv_["3"], model.embedding_[3])
    assert model.nodes_.tolist() == list(range(21))


def test_names_of_an_edge_list_key_the_vectors():
    edges = pd.DataFrame({"source": ["ann", "bob", "cid"], "target": ["bob", "cid", "ann"]})
    model = Node2VecEmbedding(vector_size=4, n_walks=5, walk_length=5, random_state=0)
    model.fit(edges)
    assert model.nodes_.tolist() == ["ann", "bob", "cid"]
    np.testing.assert_array_equal(model.wv_["bob"], model.embedding_[1])


def test_memory_does_not_grow_with_the_number_of_walks(monkeypatch):
    # Chunks of 4,096 tokens (1M by default), so both fits span many chunks.
    import skw2v._walks

    monkeypatch.setattr(skw2v._walks, "CHUNK_TOKENS", 4096)
    A, _ = _communities(300, p_in=0.05, p_out=0.002)
    peaks = {}
    for n_walks in (2, 20):
        model = Node2VecEmbedding(vector_size=16, n_walks=n_walks, walk_length=40, window=3,
                                  n_jobs=1, random_state=0)
        model.fit(A)  # compiled
        runs = []
        for _ in range(3):  # tracemalloc counts every thread: other tests' threads only add
            tracemalloc.start()
            model.fit(A)
            runs.append(tracemalloc.get_traced_memory()[1])
            tracemalloc.stop()
        peaks[n_walks] = min(runs)
    # Kept walks would hold 10x the tokens of 2 walks per node: 864 kB more as int32.
    assert peaks[20] < peaks[2] * 1.1 + 250_000, peaks


def test_estimator_contract():
    A, _ = _communities(10)
    model = Node2VecEmbedding(vector_size=4, n_walks=2, walk_length=5, random_state=0)
    assert clone(model).get_params() == model.get_params()
    fitted = pickle.loads(pickle.dumps(model.fit(A)))
    np.testing.assert_array_equal(fitted.embedding_, model.embedding_)
    assert fitted.wv_.most_similar("0", topn=1)[0][0] == model.wv_.most_similar("0", topn=1)[0][0]


@pytest.mark.parametrize("method,expected", [
    ("hadamard", lambda a, b: a * b), ("average", lambda a, b: (a + b) / 2),
    ("l1", lambda a, b: np.abs(a - b)), ("l2", lambda a, b: (a - b) ** 2)])
def test_edge_features(method, expected):
    rng = np.random.default_rng(0)
    embedding = rng.normal(size=(6, 3))
    edges = np.array([[0, 5], [2, 2], [4, 1]])
    np.testing.assert_allclose(edge_features(embedding, edges, method),
                               expected(embedding[edges[:, 0]], embedding[edges[:, 1]]))


@pytest.mark.parametrize("edges,message", [([[0, 6]], "node 6, outside 0..5"),
                                           ([0, 1], "shape"), ([[0.5, 1]], "int array")])
def test_edge_features_refuses_bad_pairs(edges, message):
    with pytest.raises(ValueError, match=message):
        edge_features(np.zeros((6, 2)), edges)


def test_verbose_prints_a_line_per_epoch(capsys):
    Node2VecEmbedding(vector_size=4, n_walks=2, walk_length=5, epochs=2, verbose=1,
                      random_state=0).fit(_communities(5)[0])
    lines = capsys.readouterr().out.splitlines()
    assert [line.split(":")[0] for line in lines] == ["epoch 1/2", "epoch 2/2"]


def test_callbacks_see_the_fit_its_epochs_and_chunks(tmp_path, monkeypatch):
    pytest.importorskip("sklearn.callback", reason="scikit-learn < 1.9 has no callbacks")
    from test_callbacks import Recorder, hooks

    import skw2v._walks

    monkeypatch.setattr(skw2v._walks, "CHUNK_TOKENS", 200)
    recorder = Recorder(tmp_path / "events.jsonl")
    model = Node2VecEmbedding(vector_size=4, n_walks=4, walk_length=10, epochs=2,
                              random_state=0).set_callbacks(recorder)
    model.fit(_communities(5)[0])
    events = hooks(recorder.events())
    name = "Node2VecEmbedding"
    epochs = [path for hook, path in events if hook == "end" and path[-1][1] == "epoch"]
    chunks = [path for hook, path in events if hook == "end" and path[-1][1] == "chunk"]
    assert events[0] == ("setup", [[name, "fit", 0]])
    assert len(epochs) == 2 and len(chunks) == 2 * 2  # 40 walks of 10 nodes, 20 per chunk
    assert ("end", [[name, "fit", 0]]) in events
