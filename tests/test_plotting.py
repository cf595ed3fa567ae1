"""``skw2v.plotting``: the numbers behind the pictures, validation and the Axes returned."""

import sys

import numpy as np
import pytest

from skw2v import Word2VecVectorizer, WordVectors
from skw2v.plotting import (
    plot_similarity_heatmap,
    plot_vector_strips,
    plot_word_map,
    similarity_matrix,
    word_map_coordinates,
)

matplotlib = pytest.importorskip("matplotlib")
matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

GROUPS = {
    "royalty": ["king", "queen", "man", "woman"],
    "days": ["monday", "tuesday", "wednesday", "thursday"],
    "numbers": ["one", "two", "three", "four"],
}
WORDS = [word for group in GROUPS.values() for word in group]
DIM = 10


@pytest.fixture(autouse=True)
def close_figures():
    yield
    plt.close("all")


@pytest.fixture(scope="module")
def wv():
    """Three groups of words, each scattered tightly around its own direction."""
    rng = np.random.default_rng(0)
    centres = rng.normal(size=(len(GROUPS), DIM)) * 3
    vectors = np.repeat(centres, 4, axis=0) + rng.normal(scale=0.3, size=(len(WORDS), DIM))
    # An extra word so the vocabulary is not exactly the words plotted.
    vectors = np.vstack([vectors, rng.normal(size=(1, DIM))])
    return WordVectors(WORDS + ["other"], vectors)


def assert_equal_up_to_sign(got, expected):
    for j in range(expected.shape[1]):
        sign = 1.0 if np.dot(got[:, j], expected[:, j]) >= 0 else -1.0
        np.testing.assert_allclose(got[:, j], sign * expected[:, j], rtol=1e-6, atol=1e-8)


# ------------------------------------------------------------------ word map
def test_pca_coordinates_match_sklearn_and_numpy(wv):
    from sklearn.decomposition import PCA

    words = ["queen", "monday", "three", "king", "four"]
    rows = wv.vectors[[wv.get_index(w) for w in words]].astype(np.float64)
    got = word_map_coordinates(wv, words)
    assert got.shape == (5, 2) and got.dtype == np.float64
    assert_equal_up_to_sign(got, PCA(2).fit_transform(rows))
    # Independent reference: projection of the centred rows on the top right singular vectors.
    centred = rows - rows.mean(axis=0)
    _, _, vt = np.linalg.svd(centred, full_matrices=False)
    assert_equal_up_to_sign(got, centred @ vt[:2].T)


def test_similar_words_cluster_on_the_map(wv):
    xy = word_map_coordinates(wv, WORDS)
    group_of = {word: name for name, group in GROUPS.items() for word in group}
    distances = np.linalg.norm(xy[:, None] - xy[None], axis=-1)
    np.fill_diagonal(distances, np.inf)
    for i, word in enumerate(WORDS):
        nearest = WORDS[int(np.argmin(distances[i]))]
        assert group_of[nearest] == group_of[word], (word, nearest)


def test_two_words_are_enough(wv):
    xy = word_map_coordinates(wv, ["king", "one"])
    assert xy.shape == (2, 2) and np.isfinite(xy).all()


@pytest.mark.parametrize("n_words", [2, 5, 12])
def test_tsne_coordinates_are_finite(wv, n_words):
    xy = word_map_coordinates(wv, WORDS[:n_words], method="tsne", random_state=0)
    assert xy.shape == (n_words, 2)
    assert np.isfinite(xy).all()
    again = word_map_coordinates(wv, WORDS[:n_words], method="tsne", random_state=0)
    np.testing.assert_allclose(again, xy)


@pytest.mark.parametrize("method", ["pca", "tsne"])
def test_word_map_draws_the_coordinates_and_labels(wv, method):
    ax = plot_word_map(wv, WORDS, method=method, random_state=0)
    expected = word_map_coordinates(wv, WORDS, method=method, random_state=0)
    np.testing.assert_allclose(np.asarray(ax.collections[0].get_offsets()), expected)
    assert [text.get_text() for text in ax.texts] == WORDS
    # Each label sits at its point.
    np.testing.assert_allclose([text.xy for text in ax.texts], expected)
    label = "PC" if method == "pca" else "t-SNE"
    assert (ax.get_xlabel(), ax.get_ylabel()) == (f"{label} 1", f"{label} 2")


def test_word_map_without_labels(wv):
    ax = plot_word_map(wv, WORDS, annotate=False)
    assert len(ax.texts) == 0
    assert len(ax.collections[0].get_offsets()) == len(WORDS)


def test_word_map_accepts_a_generator(wv):
    ax = plot_word_map(wv, (word for word in WORDS[:4]))
    assert [text.get_text() for text in ax.texts] == WORDS[:4]
    assert len(ax.collections[0].get_offsets()) == 4


# ------------------------------------------------------------------ vector strips
def test_vector_strips_show_the_vectors(wv):
    words = ["king", "queen", "monday", "one"]
    ax = plot_vector_strips(wv, words)
    image = ax.images[0]
    expected = wv.vectors[[wv.get_index(w) for w in words]]
    np.testing.assert_array_equal(np.asarray(image.get_array()), expected)
    assert [label.get_text() for label in ax.get_yticklabels()] == words
    low, high = image.get_clim()
    assert low == -high
    assert high == pytest.approx(float(np.abs(expected).max()))
    assert image.get_cmap().name == "coolwarm"
    assert len(ax.figure.axes) == 2  # the strips and the colorbar


def test_vector_strips_of_one_word_and_zero_vector():
    wv = WordVectors(["zero", "a"], [[0.0, 0.0, 0.0], [1.0, -2.0, 0.5]])
    ax = plot_vector_strips(wv, ["zero"], cmap="RdBu")
    assert ax.images[0].get_clim() == (-1.0, 1.0)
    assert ax.images[0].get_cmap().name == "RdBu"


# ------------------------------------------------------------------ similarity
def test_similarity_matrix_is_the_unit_vector_gram_matrix(wv):
    words = ["woman", "king", "tuesday", "two", "other"]
    got = similarity_matrix(wv, words)
    units = wv.unit_vectors[[wv.get_index(w) for w in words]].astype(np.float64)
    np.testing.assert_allclose(got, units @ units.T, atol=1e-6)  # float32 units, clipped
    np.testing.assert_allclose(np.diag(got), 1.0, atol=1e-6)
    np.testing.assert_array_equal(got, got.T)
    for i, a in enumerate(words):
        for j, b in enumerate(words):
            assert got[i, j] == pytest.approx(wv.similarity(a, b), abs=1e-6)


def test_heatmap_shows_the_similarity_matrix(wv):
    words = WORDS[:6]
    ax = plot_similarity_heatmap(wv, words)
    matrix = similarity_matrix(wv, words)
    np.testing.assert_allclose(np.asarray(ax.images[0].get_array()), matrix)
    assert ax.images[0].get_clim() == (-1.0, 1.0)
    assert [label.get_text() for label in ax.get_xticklabels()] == words
    assert [label.get_text() for label in ax.get_yticklabels()] == words
    assert [text.get_text() for text in ax.texts] == [f"{v:.2f}" for v in matrix.ravel()]
    # Each value sits in its cell (x = column, y = row).
    assert ax.texts[1].get_position() == (1, 0)


def test_heatmap_annotates_only_small_matrices():
    words = [f"w{i}" for i in range(16)]
    wv = WordVectors(words, np.random.default_rng(1).normal(size=(16, 5)))
    assert len(plot_similarity_heatmap(wv, words[:15]).texts) == 15 * 15
    assert len(plot_similarity_heatmap(wv, words).texts) == 0
    assert len(plot_similarity_heatmap(wv, words[:3], annotate=False).texts) == 0


# ------------------------------------------------------------------ axes
@pytest.mark.parametrize("plot", [plot_word_map, plot_vector_strips, plot_similarity_heatmap])
def test_draws_on_the_given_axes(wv, plot):
    fig, (left, right) = plt.subplots(1, 2)
    assert plot(wv, WORDS[:4], ax=right) is right
    assert len(right.images) + len(right.collections) == 1
    assert not left.has_data()


@pytest.mark.parametrize("plot", [plot_word_map, plot_vector_strips, plot_similarity_heatmap])
def test_creates_a_figure_without_axes(wv, plot):
    before = len(plt.get_fignums())
    ax = plot(wv, WORDS[:4])
    assert len(plt.get_fignums()) == before + 1
    assert ax.figure.number == plt.get_fignums()[-1]


def test_fitted_vectorizer_vectors(toy_documents, fast_params):
    model = Word2VecVectorizer(**fast_params).fit(toy_documents)
    words = model.wv_.index_to_word[:8]
    assert word_map_coordinates(model.wv_, words).shape == (8, 2)
    plot_word_map(model.wv_, words)
    plot_vector_strips(model.wv_, words)
    plot_similarity_heatmap(model.wv_, words)


# ------------------------------------------------------------------ errors
ALL = [
    lambda wv, words: word_map_coordinates(wv, words),
    lambda wv, words: plot_word_map(wv, words),
    lambda wv, words: plot_vector_strips(wv, words),
    lambda wv, words: similarity_matrix(wv, words),
    lambda wv, words: plot_similarity_heatmap(wv, words),
]
IDS = ["coordinates", "map", "strips", "similarity", "heatmap"]


@pytest.mark.parametrize("call", ALL, ids=IDS)
def test_unknown_word_raises_key_error_naming_it(wv, call):
    with pytest.raises(KeyError, match="'princess' is not in the vocabulary"):
        call(wv, ["king", "princess", "queen"])


@pytest.mark.parametrize("call", ALL, ids=IDS)
def test_duplicate_word_raises(wv, call):
    with pytest.raises(ValueError, match="'king' is given more than once"):
        call(wv, ["king", "queen", "king"])


@pytest.mark.parametrize("call", ALL, ids=IDS)
def test_single_string_raises(wv, call):
    with pytest.raises(TypeError, match="list of words, got the single str 'king'"):
        call(wv, "king")


@pytest.mark.parametrize("call", [ALL[0], ALL[1], ALL[4]], ids=["coordinates", "map",
                                                               "heatmap"])
@pytest.mark.parametrize("words", [[], ["king"]])
def test_fewer_than_two_words_raise(wv, call, words):
    with pytest.raises(ValueError, match=f"at least 2 words, got {len(words)}"):
        call(wv, words)


@pytest.mark.parametrize("call", [ALL[2], ALL[3]], ids=["strips", "similarity"])
def test_no_words_raise(wv, call):
    with pytest.raises(ValueError, match="at least 1 words, got 0"):
        call(wv, [])


@pytest.mark.parametrize("function", [word_map_coordinates, plot_word_map])
def test_unknown_method_lists_the_options(wv, function):
    with pytest.raises(ValueError, match="method must be one of 'pca', 'tsne', got 'umap'"):
        function(wv, ["king", "queen"], method="umap")


def test_one_dimensional_vectors_cannot_be_mapped():
    wv = WordVectors(["a", "b", "c"], [[1.0], [2.0], [3.0]])
    with pytest.raises(ValueError, match="at least 2 dimensions, got 1"):
        word_map_coordinates(wv, ["a", "b", "c"])


@pytest.mark.parametrize("plot", [plot_word_map, plot_vector_strips, plot_similarity_heatmap])
def test_missing_matplotlib_explains_the_install(wv, plot, monkeypatch):
    monkeypatch.setitem(sys.modules, "matplotlib.pyplot", None)
    with pytest.raises(ImportError, match=r"pip install 'skw2v\[plot\]'"):
        plot(wv, ["king", "queen"])
    # The numbers need no matplotlib.
    assert similarity_matrix(wv, ["king", "queen"]).shape == (2, 2)
    assert word_map_coordinates(wv, ["king", "queen"]).shape == (2, 2)
