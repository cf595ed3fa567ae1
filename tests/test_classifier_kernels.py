"""The supervised kernels against the plain NumPy references of ``tests/naive.py``."""

import naive
import numpy as np
import pytest

from skw2v import _kernels_supervised as kernels
from skw2v import _vocab
from skw2v._features import FeatureSpace, direct_tables, token_hashes
from skw2v._supervised_model import HuffmanPaths

DIM = 6


def _tables(n_units, rows_per_unit, norm="l1"):
    """Units 0..n_units-1 each with the input rows ``rows_per_unit[u]``; no buckets."""
    offsets = np.zeros(n_units + 1, dtype=np.int64)
    np.cumsum([len(r) for r in rows_per_unit], out=offsets[1:])
    rows = np.array([r for unit in rows_per_unit for r in unit], dtype=np.int64)
    return kernels.FeatureTables(offsets, rows, np.zeros(n_units, dtype=np.int64),
                                 np.full(1, -1, dtype=np.int32), 1, 1, 10, False,
                                 False, np.zeros(0, dtype=np.float32), False, norm == "l2")


def _loss_tables(kind, n_out, paths=None, n_classes=None, pos=None, neg=None, alias=None,
                 weight_decay=0.0):
    offsets = np.zeros((n_classes or n_out) + 1, dtype=np.int64)
    flat_paths = np.zeros(0, dtype=np.int32)
    flat_codes = np.zeros(0, dtype=np.uint8)
    if paths is not None:
        offsets[1:] = np.cumsum([len(p) for p, _ in paths])
        flat_paths = np.array([n for p, _ in paths for n in p], dtype=np.int32)
        flat_codes = np.array([c for _, code in paths for c in code], dtype=np.uint8)
    threshold, index = alias if alias is not None else (np.full(1, 2**32, dtype=np.uint64),
                                                         np.zeros(1, dtype=np.int32))
    ones = np.ones(n_classes or n_out, dtype=np.float32)
    return kernels.LossTables(kind, 1, threshold, index, offsets, flat_paths, flat_codes,
                              ones if pos is None else pos, ones if neg is None else neg,
                              weight_decay)


def _one_document(syn0, out, tables, loss, tokens, targets, lr):
    docs = kernels.Documents(np.asarray(tokens, dtype=np.int64),
                             np.array([0, len(tokens)], dtype=np.int64),
                             np.zeros(1, dtype=np.int64), 0, 1,
                             np.asarray(targets, dtype=np.int32),
                             np.array([0, len(targets)], dtype=np.int64),
                             np.ones(1, dtype=np.float32), lr, lr, np.uint64(7))
    weights = kernels.SupervisedWeights(syn0, out, np.ones(syn0.shape[0], dtype=np.float32))
    return kernels.train_documents(weights, tables, loss, docs)


def _softmax_input_error(out, hidden, target, lr):
    """The error softmax sends back to the document vector ``hidden`` (float64)."""
    out64 = out.astype(np.float64)
    logits = out64 @ hidden
    p = np.exp(logits - logits.max())
    p /= p.sum()
    return sum(lr * ((i == target) - p[i]) * out64[i] for i in range(out.shape[0]))


@pytest.fixture
def weights():
    rng = np.random.default_rng(0)
    return (rng.normal(0, 0.3, (10, DIM)).astype(np.float32),
            rng.normal(0, 0.3, (4, DIM)).astype(np.float32))


# Units: 0 -> rows [0], 1 -> rows [1, 7] (a word and an n-gram), 2 -> [-1] (a zero row).
UNITS = [[0], [1, 7], [-1], [3]]


# (norm, weight decay): fastText's model, then the L2-normalised document with decay
REGULARIZED = pytest.mark.parametrize("norm, decay", [("l1", 0.0), ("l2", 0.4)])


@REGULARIZED
@pytest.mark.parametrize("loss", ["softmax", "ova"])
def test_softmax_and_ova_step_match_naive(weights, loss, norm, decay):
    syn0, out = weights
    expected_syn0, expected_out = syn0.astype(np.float64), out.astype(np.float64)
    # rows 1 and 7 twice: the plain sum counts every repeat (the tables are not sublinear)
    tokens, targets = [0, 1, 2, 1, 3], ([2] if loss == "softmax" else [0, 2])
    rows = [r for t in tokens for r in UNITS[t]]
    ones = np.ones(4)
    expected = naive.supervised_step(expected_syn0, expected_out, rows, targets, 0.3, loss,
                                     pos_weight=ones, neg_weight=ones, norm=norm,
                                     weight_decay=decay)
    kind = kernels.SOFTMAX if loss == "softmax" else kernels.ONE_VS_ALL
    value, weight, n_tokens = _one_document(syn0, out, _tables(4, UNITS, norm),
                                            _loss_tables(kind, 4, weight_decay=decay),
                                            tokens, targets, 0.3)
    assert (weight, n_tokens) == (1.0, 5)
    np.testing.assert_allclose(value, expected, rtol=1e-5)
    np.testing.assert_allclose(syn0, expected_syn0, atol=1e-6)
    np.testing.assert_allclose(out, expected_out, atol=1e-6)


def test_ova_label_weights_scale_each_term(weights):
    syn0, out = weights
    expected_syn0, expected_out = syn0.astype(np.float64), out.astype(np.float64)
    pos = np.array([2.0, 1.0, 0.5, 1.0], dtype=np.float32)
    neg = np.array([1.0, 3.0, 1.0, 0.0], dtype=np.float32)
    expected = naive.supervised_step(expected_syn0, expected_out, [0, 1, 7], [0], 0.2, "ova",
                                     pos_weight=pos, neg_weight=neg)
    value, _, _ = _one_document(syn0, out, _tables(4, UNITS),
                                _loss_tables(kernels.ONE_VS_ALL, 4, pos=pos, neg=neg),
                                [0, 1], [0], 0.2)
    np.testing.assert_allclose(value, expected, rtol=1e-5)
    np.testing.assert_allclose(out, expected_out, atol=1e-6)


@REGULARIZED
def test_hs_step_follows_fasttexts_tree(weights, norm, decay):
    syn0, out = weights
    counts = [50, 20, 20, 5, 1]
    paths = naive.fasttext_huffman(counts)
    tree = HuffmanPaths.build(counts, np.arange(5))
    for leaf, (path, code) in enumerate(paths):
        lo, hi = tree.offsets[leaf], tree.offsets[leaf + 1]
        assert tree.paths[lo:hi].tolist() == path and tree.codes[lo:hi].tolist() == code
    expected_syn0, expected_out = syn0.astype(np.float64), out.astype(np.float64)
    target = 3
    expected = naive.supervised_step(expected_syn0, expected_out, [0, 1, 7], [target], 0.25,
                                     "hs", paths=paths[target][0], codes=paths[target][1],
                                     norm=norm, weight_decay=decay)
    value, _, _ = _one_document(syn0, out, _tables(4, UNITS, norm),
                                _loss_tables(kernels.HIERARCHICAL_SOFTMAX, 4, paths=paths,
                                             n_classes=5, weight_decay=decay),
                                [0, 1], [target], 0.25)
    np.testing.assert_allclose(value, expected, rtol=1e-5)
    np.testing.assert_allclose(syn0, expected_syn0, atol=1e-6)
    np.testing.assert_allclose(out, expected_out, atol=1e-6)


def test_hs_scores_are_fasttexts_path_sums():
    counts = [40, 30, 9, 9, 7, 3, 1]
    tree = HuffmanPaths.build(counts, np.array([3, 0, 1, 2, 6, 5, 4]))
    logits = np.random.default_rng(1).normal(0, 2, (5, 6))
    scores = tree.log_scores(logits)
    # Without fastText's 1e-5 inside the logarithm, the leaves' probabilities sum to one;
    # with it, within the depth times 1e-5.
    assert np.all(np.abs(np.exp(scores).sum(axis=1) - 1.0) < 7e-5)
    # Leaf 0 is class 3: fastText's dfs sums log(p + 1e-5) along its path.
    path, code = naive.fasttext_huffman(counts)[0]
    expected = sum(np.log(naive._sigmoid(logits[:, n] * (1 if c else -1)) + 1e-5)
                   for n, c in zip(path, code, strict=True))
    np.testing.assert_allclose(scores[:, 3], expected, rtol=1e-12)


@REGULARIZED
def test_ns_step_with_the_only_other_class_as_negative(weights, norm, decay):
    syn0, out = weights
    out = out[:2].copy()
    expected_syn0, expected_out = syn0.astype(np.float64), out.astype(np.float64)
    # Two classes: the negative of class 1 can only be class 0 (redrawn until it differs).
    alias = _vocab.alias_table(np.array([0.5, 0.5]))
    expected = naive.supervised_step(expected_syn0, expected_out, [0, 3], [1], 0.1, "ns",
                                     negatives=[0], norm=norm, weight_decay=decay)
    value, _, _ = _one_document(syn0, out, _tables(4, UNITS, norm),
                                _loss_tables(kernels.NEGATIVE_SAMPLING, 2, alias=alias,
                                             weight_decay=decay),
                                [0, 3], [1], 0.1)
    np.testing.assert_allclose(value, expected, rtol=1e-5)
    np.testing.assert_allclose(syn0, expected_syn0, atol=1e-6)
    np.testing.assert_allclose(out, expected_out, atol=1e-6)


def test_frozen_rows_and_zero_weight_documents_do_not_move(weights):
    syn0, out = weights
    before = syn0.copy()
    docs = kernels.Documents(np.array([0, 1], dtype=np.int64), np.array([0, 2], dtype=np.int64),
                             np.zeros(1, dtype=np.int64), 0, 1, np.array([1], dtype=np.int32),
                             np.array([0, 1], dtype=np.int64),
                             np.zeros(1, dtype=np.float32), 0.5, 0.5, np.uint64(3))
    lock = np.ones(10, dtype=np.float32)
    weights_ = kernels.SupervisedWeights(syn0, out, lock)
    assert kernels.train_documents(weights_, _tables(4, UNITS),
                                   _loss_tables(kernels.SOFTMAX, 4), docs)[1] == 0.0
    np.testing.assert_array_equal(syn0, before)
    lock[1] = 0.0
    docs = docs._replace(weight=np.ones(1, dtype=np.float32))
    kernels.train_documents(weights_, _tables(4, UNITS), _loss_tables(kernels.SOFTMAX, 4), docs)
    np.testing.assert_array_equal(syn0[1], before[1])
    assert not np.array_equal(syn0[0], before[0]) and not np.array_equal(syn0[7], before[7])


def test_token_hashes_are_fasttexts_signed_32_bit_hash():
    words = ["the", "naïve", "日本語", "</s>", ""]
    expected = []
    for word in words:
        h = naive.fasttext_hash(word.encode("utf-8"))
        expected.append(h - 2**32 if h >= 2**31 else h)
    assert token_hashes(words).tolist() == expected


@pytest.mark.parametrize("pruned", [False, True])
def test_document_rows_match_fasttexts_line(pruned):
    rng = np.random.default_rng(5)
    words = ["great", "film", "not", "bad", "</s>", "zzz"]
    n_buckets = 97
    kept = np.sort(rng.choice(n_buckets, 40, replace=False))
    space = FeatureSpace(n_words=4, word_ngrams=3, char_ngram_range=(2, 3),
                         n_buckets=n_buckets, kept_buckets=kept, pruned=pruned)
    own = np.array([0, 1, 2, 3, -1, -1])
    tables = space.tables(words, own)
    tokens = [0, 5, 2, 3, 1, 4]
    # fastText's getLine, in plain Python: "zzz" and "</s>" are unknown words here.
    expected = naive.fasttext_line_features([words[t] for t in tokens], words[:4], [],
                                            minn=2, maxn=3, bucket=n_buckets, word_ngrams=3,
                                            kept_buckets=kept, pruned=pruned)
    syn0 = rng.normal(size=(4 + kept.size, DIM)).astype(np.float32)
    out = np.zeros((1, DIM), dtype=np.float32)
    kernels.document_vectors(syn0, np.array(tokens, dtype=np.int64),
                             np.array([0, len(tokens)], dtype=np.int64), tables, out)
    reference = sum(syn0[r].astype(np.float64) for r in expected if r >= 0) / len(expected)
    np.testing.assert_allclose(out[0], reference, rtol=1e-5, atol=1e-6)


def test_weighted_mean_and_update_follow_the_row_weights(weights):
    syn0, out = weights
    row_weight = np.linspace(0.5, 2.0, 11).astype(np.float32)  # 10 rows, then a -1 row
    tables = _tables(4, UNITS)._replace(row_weight=row_weight)
    tokens = [0, 1, 2]  # rows 0, 1, 7 and a -1 row
    rows = [0, 1, 7, -1]
    w = np.array([row_weight[r] for r in rows], dtype=np.float64)
    hidden = sum(w[k] * syn0[r] for k, r in enumerate(rows) if r >= 0) / w.sum()
    grad = _softmax_input_error(out, hidden, 1, 0.2)
    expected = syn0.astype(np.float64)
    for k, r in enumerate(rows):
        if r >= 0:
            expected[r] += grad * w[k] / w.sum()
    document = np.zeros((1, DIM), dtype=np.float32)
    kernels.document_vectors(syn0, np.array(tokens, dtype=np.int64),
                             np.array([0, 3], dtype=np.int64), tables, document)
    np.testing.assert_allclose(document[0], hidden, rtol=1e-5, atol=1e-6)
    _one_document(syn0, out, tables, _loss_tables(kernels.SOFTMAX, 4), tokens, [1], 0.2)
    np.testing.assert_allclose(syn0, expected, atol=1e-6)


@pytest.mark.parametrize("scheme", ["nb", "idf", "nb_idf"])
def test_row_weights_match_the_reference(scheme):
    from skw2v._corpus import EncodedCorpus
    from skw2v._labels import encode_targets
    from skw2v._supervised import NB_FLOOR, row_weights

    rng = np.random.default_rng(3)
    n_rows, labels = 30, rng.integers(0, 3, 80)
    documents = [rng.integers(0, n_rows, rng.integers(1, 12)) for _ in labels]
    weight = rng.choice([0.0, 1.0, 2.5], len(labels)).astype(np.float32)
    targets = encode_targets(labels, weight, None, "softmax")
    batches = [(np.concatenate(documents).astype(np.int32),
                np.array([len(d) for d in documents]))]
    with EncodedCorpus.from_encoded(batches, n_rows, chunk_tokens=50) as rows:
        assert rows.n_chunks > 1
        found = row_weights(rows, targets, targets.weight, n_rows, scheme)
    nb = naive.nb_row_weights(documents, labels, n_rows, 3, NB_FLOOR, weight)
    idf = naive.idf_row_weights(documents, n_rows, weight)
    expected = {"nb": nb, "idf": idf, "nb_idf": nb * idf}[scheme]
    np.testing.assert_allclose(found, expected, rtol=1e-5)


def test_idf_counts_a_multilabel_document_once():
    from skw2v._corpus import EncodedCorpus
    from skw2v._labels import encode_targets
    from skw2v._supervised import row_weights

    rng = np.random.default_rng(5)
    indicator = rng.integers(0, 2, (40, 3))
    indicator[:, 0] = 1  # every document has two labels or more
    documents = [rng.integers(0, 12, rng.integers(1, 6)) for _ in range(40)]
    targets = encode_targets(indicator, None, None, "ova")
    batches = [(np.concatenate(documents).astype(np.int32),
                np.array([len(d) for d in documents]))]
    with EncodedCorpus.from_encoded(batches, 12) as rows:
        found = row_weights(rows, targets, targets.weight, 12, "idf")
    np.testing.assert_allclose(found, naive.idf_row_weights(documents, 12), rtol=1e-5)


@pytest.mark.parametrize("norm", ["l1", "l2"])
@pytest.mark.parametrize("sublinear", [False, True])
@pytest.mark.parametrize("weighted", [False, True])
def test_repeated_rows_weigh_by_their_count_or_one_plus_its_log(weights, sublinear, weighted,
                                                                 norm):
    syn0, _ = weights
    row_weight = (np.linspace(0.5, 2.0, 11).astype(np.float32) if weighted
                  else np.zeros(0, dtype=np.float32))
    rows = [7, 2, 5, 2, -1, 2, 7, -1, 3]
    expected = naive.weighted_mean(syn0, rows, row_weight if weighted else None, sublinear,
                                   norm)
    # Units of one row each, tokenized (rows in document order, sorted by the kernel)...
    tables = _tables(10, [[r] for r in range(10)], norm)._replace(row_weight=row_weight,
                                                                  sublinear=sublinear)
    units = np.array([r if r >= 0 else 9 for r in rows], dtype=np.int64)
    tables = tables._replace(unit_rows=np.array([*range(9), -1], dtype=np.int64))
    found = np.zeros((1, DIM), dtype=np.float32)
    kernels.document_vectors(syn0, units, np.array([0, len(rows)], dtype=np.int64), tables,
                             found)
    np.testing.assert_allclose(found[0], expected, rtol=1e-5, atol=1e-6)
    # ... and as precomputed rows (document_rows sorts them).
    direct = direct_tables(row_weight if weighted else None, sublinear, norm)
    identity = np.arange(10, dtype=np.int32)  # every row already ranked as itself
    computed, offsets, _ = kernels.document_rows(
        units, np.array([0, len(rows)], dtype=np.int64), tables, identity, 10)
    assert computed.tolist() == sorted(rows)
    found[:] = 0
    kernels.document_vectors(syn0, computed.astype(np.int64), offsets, direct, found)
    np.testing.assert_allclose(found[0], expected, rtol=1e-5, atol=1e-6)


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_hs_tree_search_finds_the_leaf_of_highest_score(seed):
    rng = np.random.default_rng(seed)
    n_classes = int(rng.integers(2, 40))
    counts = np.sort(rng.integers(1, 1000, n_classes))[::-1]
    tree = HuffmanPaths.build(counts, rng.permutation(n_classes))
    hidden = rng.normal(0, 1, (300, 6)).astype(np.float32)
    output = rng.normal(0, 1.5, (n_classes - 1, 6)).astype(np.float32)
    hidden[:20] = 0.0  # every branch 1/2: leaves of equal depth tie, the lowest class wins
    scores = tree.log_scores(hidden.astype(np.float64) @ output.T.astype(np.float64))
    leaves = kernels.hs_best_leaves(hidden, output, tree.inner_children(), tree.leaf_classes,
                                    tree.depth, 1e-5)
    np.testing.assert_array_equal(tree.leaf_classes[leaves], np.argmax(scores, axis=1))


def test_hs_children_follow_the_paths():
    counts = [40, 30, 9, 9, 7, 3, 1]
    tree = HuffmanPaths.build(counts, np.arange(7))
    children = tree.inner_children()
    for leaf, (path, code) in enumerate(naive.fasttext_huffman(counts)):
        node = len(counts) - 2  # the root
        for n, c in zip(path[::-1], code[::-1], strict=True):
            assert node == n
            node = children[n, c]
        assert node == -1 - leaf


def test_hs_probabilities_are_the_products_of_the_branches():
    counts = [40, 30, 9, 9, 7, 3, 1]
    tree = HuffmanPaths.build(counts, np.array([3, 0, 1, 2, 6, 5, 4]))
    logits = np.random.default_rng(4).normal(0, 3, (50, 6))
    probabilities = np.exp(tree.log_scores(logits, 0.0))
    np.testing.assert_allclose(probabilities.sum(axis=1), 1.0, rtol=1e-12)
    for leaf, (path, code) in enumerate(naive.fasttext_huffman(counts)):
        expected = np.prod([naive._sigmoid(logits[:, n] * (1 if c else -1))
                            for n, c in zip(path, code, strict=True)], axis=0)
        np.testing.assert_allclose(probabilities[:, tree.leaf_classes[leaf]], expected,
                                   rtol=1e-10)


def test_sublinear_update_moves_each_distinct_row_once_by_its_share(weights):
    syn0, out = weights
    row_weight = np.linspace(0.5, 2.0, 11).astype(np.float32)
    tables = _tables(4, UNITS)._replace(row_weight=row_weight, sublinear=True)
    tokens = [0, 3, 0, 2, 0]  # row 0 three times, row 3, a -1 row
    hidden = naive.weighted_mean(syn0, [0, 0, 0, 3, -1], row_weight, sublinear=True)
    share = {0: row_weight[0] * (1 + np.log(3)), 3: row_weight[3]}
    total = sum(share.values()) + row_weight[-1]
    grad = _softmax_input_error(out, hidden, 2, 0.2)
    expected = syn0.astype(np.float64)
    for r, w in share.items():
        expected[r] += grad * w / total
    _one_document(syn0, out, tables, _loss_tables(kernels.SOFTMAX, 4), tokens, [2], 0.2)
    np.testing.assert_allclose(syn0, expected, atol=1e-6)


def test_document_rows_rank_the_rows_in_order_of_first_appearance():
    tables = _tables(4, UNITS)  # unit 1 is rows 1 and 7, unit 2 a -1 row
    tokens = np.array([3, 1, 2, 1, 0, 3, 0], dtype=np.int64)
    offsets = np.array([0, 4, 7], dtype=np.int64)
    rank = np.full(10, -1, dtype=np.int32)
    ranks, row_offsets, n_ranked = kernels.document_rows(tokens, offsets, tables, rank, 0)
    # first reached: 3, 1, 7 (document 0), then 0 (document 1)
    assert rank.tolist() == [3, 1, -1, 0, -1, -1, -1, 2, -1, -1] and n_ranked == 4
    assert row_offsets.tolist() == [0, 6, 9]
    assert ranks.tolist() == [-1, 0, 1, 1, 2, 2, 0, 3, 3]  # each document's sorted
    # a second chunk goes on from there
    more, _, n_ranked = kernels.document_rows(np.array([2, 0], dtype=np.int64),
                                              np.array([0, 2], dtype=np.int64), tables, rank,
                                              n_ranked)
    assert more.tolist() == [-1, 3] and n_ranked == 4


def test_permute_rows_moves_each_row_to_its_destination():
    rng = np.random.default_rng(2)
    matrix = rng.normal(size=(50, 3)).astype(np.float32)
    destination = rng.permutation(50)
    expected = np.empty_like(matrix)
    expected[destination] = matrix
    kernels.permute_rows(matrix, destination)
    np.testing.assert_array_equal(matrix, expected)


@pytest.mark.parametrize("n_rows", [5, 2047, 2048, 4_000_000, 2**31 - 1])
@pytest.mark.parametrize("n", [0, 1, 30, 48, 49, 700])
def test_rows_sort_as_numpy_sorts_them(n_rows, n):
    rng = np.random.default_rng(n + n_rows % 97)
    rows = rng.integers(-1, n_rows, n).astype(np.int64)
    rows[: n // 3] = rows[0] if n else 0  # repeats, and runs sharing every digit
    expected = np.sort(rows)
    passes = kernels._radix_passes(n_rows)
    assert (n_rows + 1) < 2 ** (11 * passes)
    counts = np.empty(kernels._RADIX_MASK + 2, dtype=np.int64)
    kernels._sort_rows(rows, n, np.empty(n, dtype=np.int64), counts, passes)
    np.testing.assert_array_equal(rows, expected)
