"""Vocabulary and the tables derived from word counts (``skw2v._vocab``)."""

import heapq
import itertools
from collections import Counter

import naive
import numpy as np
import pytest
from scipy import stats

from skw2v import _vocab


# ------------------------------------------------------------------ build_vocabulary
def test_build_vocabulary_sorts_by_count_then_last_appearance_first():
    words = ["a", "b", "c", "d", "e", "f"]
    counts = np.array([2, 5, 2, 1, 5, 3])
    vocab, ids = _vocab.build_vocabulary(words, counts, min_count=1, max_vocab_size=None)
    # Descending count; "e" before "b" and "c" before "a" because they appear later
    # (gensim 4's order: KeyedVectors.sort_by_descending_frequency).
    assert vocab.words == ["e", "b", "f", "c", "a", "d"]
    np.testing.assert_array_equal(vocab.counts, [5, 5, 3, 2, 2, 1])
    assert vocab.counts.dtype == np.int64
    np.testing.assert_array_equal(ids.rows, [4, 1, 3, 5, 0, 2])
    assert ids.rows.dtype == np.int32


def test_build_vocabulary_min_count_drops_rare_words():
    words = ["a", "b", "c", "d", "e"]
    vocab, ids = _vocab.build_vocabulary(words, [2, 5, 1, 3, 1], min_count=2, max_vocab_size=None)
    assert vocab.words == ["b", "d", "a"]
    np.testing.assert_array_equal(ids.rows, [2, 0, -1, 1, -1])


def test_build_vocabulary_max_vocab_size_keeps_the_most_frequent():
    words = ["a", "b", "c", "d", "e"]
    counts = [2, 5, 2, 1, 5]
    vocab, ids = _vocab.build_vocabulary(words, counts, min_count=2, max_vocab_size=3)
    # "c" ties with "a" at 2 but appears later, so it is the one cut (as gensim's
    # max_final_vocab); the kept ones are then in gensim's order.
    assert vocab.words == ["e", "b", "a"]
    np.testing.assert_array_equal(vocab.counts, [5, 5, 2])
    np.testing.assert_array_equal(ids.rows, [2, 1, -1, -1, 0])


def test_build_vocabulary_matches_an_independent_ranking():
    rng = np.random.default_rng(3)
    words = [f"t{i}" for i in range(300)]
    counts = rng.integers(1, 30, size=300)  # many ties
    vocab, ids = _vocab.build_vocabulary(words, counts, min_count=4, max_vocab_size=100)
    expected = sorted((i for i in range(300) if counts[i] >= 4), key=lambda i: (-counts[i], i))
    expected = sorted(expected[:100], key=lambda i: (-counts[i], -i))
    assert vocab.words == [words[i] for i in expected]
    remap = np.full(300, -1)
    remap[expected] = np.arange(100)
    np.testing.assert_array_equal(ids.rows, remap)
    assert ids.n_rows == len(vocab.words)
    # The map and the words agree: the row of each kept raw id names that word.
    for raw_id, row in enumerate(ids.rows):
        if row >= 0:
            assert vocab.words[row] == words[raw_id]


@pytest.mark.parametrize("min_count", [1, 2, 5])
def test_vocabulary_and_huffman_tree_are_gensims(lee_documents, min_count):
    # gensim 4 is the oracle: the same words in the same order (ties: last first appearance
    # first) and, on those counts, the same Huffman codes and inner nodes (its heap's order
    # for equal counts), so hierarchical softmax trains the tree gensim trains.
    from gensim.models import Word2Vec

    sentences = [doc.lower().split() for doc in lee_documents]
    model = Word2Vec(vector_size=4, min_count=min_count, hs=1, negative=0, workers=1)
    model.build_vocab(sentences)
    counter = Counter(itertools.chain.from_iterable(sentences))
    vocab, ids = _vocab.build_vocabulary(list(counter), np.array(list(counter.values())),
                                    min_count=min_count, max_vocab_size=None)
    assert vocab.words == model.wv.index_to_key
    assert np.sum(np.diff(vocab.counts) == 0) > len(vocab.words) // 2  # ties matter here
    codes, points, offsets = _vocab.huffman_tree(vocab.counts)
    for row in range(len(vocab.words)):
        np.testing.assert_array_equal(codes[offsets[row]:offsets[row + 1]],
                                      model.wv.get_vecattr(row, "code"))
        np.testing.assert_array_equal(points[offsets[row]:offsets[row + 1]],
                                      model.wv.get_vecattr(row, "point"))


def test_build_vocabulary_can_be_empty():
    vocab, ids = _vocab.build_vocabulary(["a", "b"], [1, 2], min_count=5, max_vocab_size=None)
    assert vocab.words == []
    np.testing.assert_array_equal(ids.rows, [-1, -1])


# ------------------------------------------------------------------ subsampling
def _keep_formula(counts, sample):
    total = float(sum(counts))
    t = sample * total
    return np.array([min(1.0, (np.sqrt(c / t) + 1.0) * t / c) for c in counts])


@pytest.mark.parametrize("sample", [1e-3, 1e-2, 1e-5])
def test_keep_probabilities_formula(sample):
    counts = np.array([10_000, 3_000, 500, 120, 40, 7, 1])
    got = _vocab.keep_probabilities(counts, sample)
    np.testing.assert_allclose(got, _keep_formula(counts.tolist(), sample), rtol=1e-12)
    assert got.dtype == np.float64
    assert np.all((got > 0) & (got <= 1))
    # The most frequent word is dropped most often.
    assert np.all(np.diff(got) >= 0)


def test_keep_probabilities_sample_zero_keeps_everything():
    np.testing.assert_array_equal(_vocab.keep_probabilities([100, 5, 1], 0.0), [1, 1, 1])


@pytest.mark.parametrize("min_count", [1, 3])
def test_keep_probabilities_match_gensim(lee_documents, min_count):
    from gensim.models import Word2Vec

    sentences = [doc.lower().split() for doc in lee_documents[:60]]
    model = Word2Vec(vector_size=4, min_count=min_count, sample=1e-3, workers=1)
    model.build_vocab(sentences)

    counter = Counter(itertools.chain.from_iterable(sentences))
    raw_words = list(counter)  # first appearance order
    vocab, ids = _vocab.build_vocabulary(raw_words, [counter[w] for w in raw_words],
                                    min_count=min_count, max_vocab_size=None)
    assert set(vocab.words) == set(model.wv.index_to_key)
    got = _vocab.keep_probabilities(vocab.counts, 1e-3)
    gensim_keep = np.array([model.wv.get_vecattr(w, "sample_int") for w in vocab.words]) / 2**32
    # gensim stores uint32(p * (2**32 - 1)): equal up to 2**-32 truncation.
    np.testing.assert_allclose(got, gensim_keep, rtol=0, atol=1e-9)
    assert np.any(got < 0.5) and np.any(got == 1.0)  # the comparison covers both branches


def test_keep_thresholds_scale_to_32_bits():
    thresholds = _vocab.keep_thresholds([1.0, 0.5, 0.0, 0.25])
    np.testing.assert_array_equal(thresholds, [2**32, 2**31, 0, 2**30])
    assert thresholds.dtype == np.uint64


# ------------------------------------------------------------------ negative sampling
@pytest.mark.parametrize("exponent", [0.75, 1.0, 0.0, -0.5])
def test_noise_distribution(exponent):
    counts = np.array([50, 20, 20, 3, 1])
    got = _vocab.noise_distribution(counts, exponent)
    weights = np.array([c**exponent for c in counts.tolist()])
    np.testing.assert_allclose(got, weights / weights.sum(), rtol=1e-12)
    assert got.sum() == pytest.approx(1.0)


def _random_distributions():
    rng = np.random.default_rng(0)
    yield np.array([1.0])
    yield np.array([0.0, 1.0, 0.0, 3.0])  # zeros, unnormalised
    yield np.array([0.5, 0.5])
    yield np.full(7, 1 / 7)
    for size in (2, 3, 10, 257, 5000):
        p = rng.random(size) ** 3
        p[rng.random(size) < 0.1] = 0.0
        p[0] = 1.0  # at least one positive entry
        yield p


@pytest.mark.parametrize("p", list(_random_distributions()), ids=lambda p: f"n{p.size}")
def test_alias_table_reproduces_the_distribution(p):
    threshold, alias = _vocab.alias_table(p)
    assert threshold.shape == alias.shape == p.shape
    assert threshold.dtype == np.uint64 and alias.dtype == np.int32
    assert np.all(threshold <= 2**32)
    assert alias.min() >= 0 and alias.max() < p.size
    np.testing.assert_allclose(naive.alias_probabilities(threshold, alias), p / p.sum(),
                               rtol=0, atol=1e-7)


def _alias_draws(threshold, alias, n, seed):
    """Walker draws with NumPy: pick a column uniformly, keep it or take its alias."""
    rng = np.random.default_rng(seed)
    column = rng.integers(0, threshold.shape[0], size=n)
    bits = rng.integers(0, 2**32, size=n, dtype=np.uint64)
    return np.where(bits < threshold[column], column, alias[column])


@pytest.mark.parametrize("size", [5, 60])
def test_alias_table_draws_have_the_right_frequencies(size):
    rng = np.random.default_rng(size)
    p = rng.random(size) ** 2
    p[1] = 0.0
    p /= p.sum()
    n = 200_000
    draws = _alias_draws(*_vocab.alias_table(p), n=n, seed=1)
    observed = np.bincount(draws, minlength=size)
    assert observed[1] == 0  # a zero-probability word is never drawn
    positive = p > 0
    _, p_value = stats.chisquare(observed[positive], n * p[positive])
    assert p_value > 1e-3
    # and a wrong distribution is rejected by the same test (the check has power)
    _, p_wrong = stats.chisquare(observed[positive], n * np.full(positive.sum(),
                                                                  1 / positive.sum()))
    assert p_wrong < 1e-6


@pytest.mark.parametrize("bad", [np.array([]), np.ones((2, 2)), np.array([0.5, -0.1]),
                                 np.array([np.nan, 1.0]), np.array([np.inf, 1.0])])
def test_alias_table_rejects_invalid_input(bad):
    with pytest.raises(ValueError, match="alias_table needs"):
        _vocab.alias_table(bad)


@pytest.mark.filterwarnings("ignore:invalid value encountered:RuntimeWarning")
def test_alias_table_rejects_all_zero_probabilities():
    with pytest.raises(ValueError, match="alias_table needs"):
        _vocab.alias_table(np.zeros(3))


# ------------------------------------------------------------------ hierarchical softmax
def _optimal_huffman_cost(counts):
    """sum(count * code length) of an optimal prefix code, with heapq."""
    heap = [int(c) for c in counts]
    heapq.heapify(heap)
    cost = 0
    while len(heap) > 1:
        merged = heapq.heappop(heap) + heapq.heappop(heap)
        cost += merged
        heapq.heappush(heap, merged)
    return cost


def _check_tree(counts, codes, points, offsets):
    """Structural checks of a Huffman tree given as per-word (code, point) paths."""
    n = len(counts)
    assert offsets.shape == (n + 1,) and offsets[0] == 0
    assert codes.shape == points.shape == (offsets[-1],)
    assert set(np.unique(codes)) <= {0, 1}
    paths = [codes[offsets[w]:offsets[w + 1]].tolist() for w in range(n)]
    nodes = [points[offsets[w]:offsets[w + 1]].tolist() for w in range(n)]
    if n == 1:
        assert paths == [[]]
        return paths
    assert points.min() >= 0 and points.max() <= n - 2
    # Every word's path starts at the root, inner node n - 2.
    assert all(path_nodes[0] == n - 2 for path_nodes in nodes)
    # Prefix-free: no code is a prefix of another (so all codes also differ).
    for a, b in itertools.permutations(range(n), 2):
        assert paths[b][:len(paths[a])] != paths[a], (a, b)
    # The paths form one binary tree: (inner node, bit) leads to one child only, every
    # inner node 0 .. n-2 is used and has both children.
    child = {}
    for w in range(n):
        for j, (node, bit) in enumerate(zip(nodes[w], paths[w], strict=True)):
            target = ("inner", nodes[w][j + 1]) if j + 1 < len(nodes[w]) else ("leaf", w)
            assert child.setdefault((node, bit), target) == target
    assert set(child) == {(node, bit) for node in range(n - 1) for bit in (0, 1)}
    return paths


class _ByCount(tuple):
    """(count, node) compared by count only, as gensim's Heapitem."""

    def __lt__(self, other):
        return self[0] < other[0]


def _heapq_tree(counts):
    """Per-word (codes, points) of the tree Python's heapq builds, as gensim's _build_heap."""
    n = len(counts)
    heap = [_ByCount((int(c), w)) for w, c in enumerate(counts)]
    heapq.heapify(heap)
    parent, bit = {}, {}
    for merge in range(n - 1):
        (c1, node1), (c2, node2) = heapq.heappop(heap), heapq.heappop(heap)
        parent[node1], bit[node1] = n + merge, 0
        parent[node2], bit[node2] = n + merge, 1
        heapq.heappush(heap, _ByCount((c1 + c2, n + merge)))
    paths = []
    for w in range(n):
        codes, points, node = [], [], w
        while node in parent:
            codes.append(bit[node])
            points.append(parent[node] - n)
            node = parent[node]
        paths.append((codes[::-1], points[::-1]))
    return paths


@pytest.mark.parametrize("seed", range(5))
def test_huffman_tree_is_the_one_pythons_heapq_builds(seed):
    counts = np.sort(np.random.default_rng(seed).integers(1, 12, size=400))[::-1]  # ties
    codes, points, offsets = _vocab.huffman_tree(counts)
    for w, (expected_codes, expected_points) in enumerate(_heapq_tree(counts)):
        assert codes[offsets[w]:offsets[w + 1]].tolist() == expected_codes
        assert points[offsets[w]:offsets[w + 1]].tolist() == expected_points


def test_huffman_tree_of_a_hand_computed_vocabulary():
    counts = [5, 3, 2, 1]
    codes, points, offsets = _vocab.huffman_tree(counts)
    paths = _check_tree(counts, codes, points, offsets)
    # Merges: 2+1=3, 3+3=6, 6+5=11, so the code lengths are 1, 2, 3, 3.
    assert [len(p) for p in paths] == [1, 2, 3, 3]
    assert codes.dtype == np.uint8 and points.dtype == np.int32 and offsets.dtype == np.int64
    assert sum(c * len(p) for c, p in zip(counts, paths, strict=True)) == 5 + 6 + 6 + 3


@pytest.mark.parametrize("counts", [[7], [2, 2], [4, 4, 4, 4], [1, 1, 1, 1, 1, 1, 1],
                                    [100, 1, 1], [2**40, 3, 2, 1]])
def test_huffman_tree_small_cases(counts):
    codes, points, offsets = _vocab.huffman_tree(counts)
    paths = _check_tree(counts, codes, points, offsets)
    if len(counts) > 1:
        cost = sum(c * len(p) for c, p in zip(counts, paths, strict=True))
        assert cost == _optimal_huffman_cost(counts)


@pytest.mark.parametrize("seed", range(4))
def test_huffman_tree_is_optimal_for_random_counts(seed):
    rng = np.random.default_rng(seed)
    counts = np.sort(rng.zipf(1.3, size=rng.integers(2, 400)))[::-1]
    codes, points, offsets = _vocab.huffman_tree(counts)
    paths = _check_tree(counts, codes, points, offsets)
    lengths = np.array([len(p) for p in paths])
    assert int(np.dot(counts, lengths)) == _optimal_huffman_cost(counts)
    # A strictly more frequent word never has a longer code.
    for c in np.unique(counts):
        if np.any(counts < c):
            assert lengths[counts == c].max() <= lengths[counts < c].min()


@pytest.mark.parametrize("counts", [[1, 2], [3, 1, 2], [2, 0], [3, -1], [], [[1, 2]]])
def test_huffman_tree_rejects_invalid_counts(counts):
    with pytest.raises(ValueError, match="huffman_tree needs"):
        _vocab.huffman_tree(counts)
