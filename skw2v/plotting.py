"""Pictures of word vectors: a 2-D word map, vector strips and a similarity heatmap.

matplotlib is an optional dependency (``pip install 'skw2v[plot]'``); it is imported only
when a ``plot_*`` function runs. :func:`word_map_coordinates` and :func:`similarity_matrix`
return the numbers behind the pictures and need only numpy and scikit-learn.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.colors import Colormap

    from .word_vectors import WordVectors

__all__ = [
    "plot_similarity_heatmap",
    "plot_vector_strips",
    "plot_word_map",
    "similarity_matrix",
    "word_map_coordinates",
]

_METHODS = ("pca", "tsne")
#: Largest number of words whose heatmap cells get their value written in them.
_MAX_ANNOTATED = 15


def _pyplot():
    try:
        import matplotlib.pyplot as plt
    except ImportError as exc:
        raise ImportError("plotting needs matplotlib: pip install 'skw2v[plot]'") from exc
    return plt


def _rows(wv: WordVectors, words: Iterable[str], *, min_words: int,
          caller: str) -> tuple[list[str], np.ndarray]:
    """The words as a list and their rows; checks type, count, duplicates and vocabulary."""
    if isinstance(words, str):
        raise TypeError(f"{caller} takes a list of words, got the single str {words!r}; "
                        f"use [{words!r}, ...].")
    words = list(words)
    if len(words) < min_words:
        raise ValueError(f"{caller} needs at least {min_words} words, got {len(words)}.")
    seen = set()
    for word in words:
        if word in seen:
            raise ValueError(f"The word {word!r} is given more than once; give each word "
                             "once.")
        seen.add(word)
    rows = np.array([wv.get_index(word) for word in words], dtype=np.intp)
    return words, rows


def _new_axes(ax: Axes | None, figsize: tuple[float, float] | None = None) -> Axes:
    plt = _pyplot()
    if ax is None:
        _, ax = plt.subplots(figsize=figsize)
    return ax


def word_map_coordinates(wv: WordVectors, words: Iterable[str], *, method: str = "pca",
                         random_state: int | np.random.RandomState | None = None
                         ) -> np.ndarray:
    """2-D coordinates of the words' vectors, for a word map.

    Parameters
    ----------
    wv : WordVectors
        The word vectors, e.g. the ``wv_`` of a fitted ``Word2VecVectorizer``.
    words : iterable of str
        At least two distinct words of the vocabulary.
    method : {"pca", "tsne"}, default="pca"
        ``"pca"``: the first two principal components of the words' vectors
        (``sklearn.decomposition.PCA``), a linear projection that keeps the directions of
        largest spread. ``"tsne"``: ``sklearn.manifold.TSNE`` (Euclidean distances,
        ``init="pca"``, ``perplexity=min(30, n_words - 1)``), which keeps neighbours
        together but distorts larger distances; its result depends on ``random_state``.
    random_state : int, RandomState instance or None, default=None
        Seed for t-SNE (and for PCA's randomized solver, which small inputs do not use).

    Returns
    -------
    ndarray of shape (n_words, 2), dtype float64
        One row per word, in the order given. Each PCA component's sign is arbitrary.

    Raises
    ------
    KeyError
        If a word is not in the vocabulary.
    ValueError
        For fewer than two words, a word given twice, an unknown ``method`` or vectors of
        fewer than two dimensions.

    See Also
    --------
    plot_word_map : Draw these coordinates with the words as labels.

    Examples
    --------
    >>> import numpy as np
    >>> from skw2v import WordVectors
    >>> from skw2v.plotting import word_map_coordinates
    >>> wv = WordVectors(["king", "queen", "monday", "tuesday"],
    ...                  [[1.0, 0.9, 0.0], [0.9, 1.0, 0.1], [0.0, 0.1, 1.0],
    ...                   [0.1, 0.0, 0.9]])
    >>> xy = word_map_coordinates(wv, ["king", "queen", "monday", "tuesday"])
    >>> xy.shape
    (4, 2)
    >>> bool(np.linalg.norm(xy[0] - xy[1]) < np.linalg.norm(xy[0] - xy[2]))
    True
    """
    if method not in _METHODS:
        raise ValueError(f"method must be one of {', '.join(map(repr, _METHODS))}, got "
                         f"{method!r}.")
    words, rows = _rows(wv, words, min_words=2, caller="word_map_coordinates")
    if wv.vector_size < 2:
        raise ValueError(f"A 2-D word map needs vectors of at least 2 dimensions, got "
                         f"{wv.vector_size}.")
    X = wv.vectors[rows].astype(np.float64)
    if method == "pca":
        from sklearn.decomposition import PCA

        coordinates = PCA(n_components=2, random_state=random_state).fit_transform(X)
    else:
        from sklearn.manifold import TSNE

        tsne = TSNE(n_components=2, perplexity=min(30, len(words) - 1), init="pca",
                    random_state=random_state)
        coordinates = tsne.fit_transform(X)
    return np.asarray(coordinates, dtype=np.float64)


def plot_word_map(wv: WordVectors, words: Iterable[str], *, method: str = "pca",
                  ax: Axes | None = None,
                  random_state: int | np.random.RandomState | None = None,
                  annotate: bool = True) -> Axes:
    """Scatter the words on a 2-D map of their vectors, so that similar words cluster.

    The coordinates are those of :func:`word_map_coordinates`; the points are drawn in the
    order of ``words``, each labelled with its word.

    Parameters
    ----------
    wv : WordVectors
        The word vectors, e.g. the ``wv_`` of a fitted ``Word2VecVectorizer``.
    words : iterable of str
        At least two distinct words of the vocabulary.
    method : {"pca", "tsne"}, default="pca"
        The projection to 2-D, see :func:`word_map_coordinates`.
    ax : matplotlib Axes, default=None
        Where to draw; None draws on a new figure.
    random_state : int, RandomState instance or None, default=None
        Seed for t-SNE.
    annotate : bool, default=True
        Write each word next to its point.

    Returns
    -------
    matplotlib Axes
        The axes drawn on: ``ax.collections[0]`` holds the points, ``ax.texts`` the labels.

    Raises
    ------
    ImportError
        If matplotlib is not installed.
    KeyError
        If a word is not in the vocabulary.
    ValueError
        As :func:`word_map_coordinates`.

    See Also
    --------
    word_map_coordinates : The coordinates alone.
    plot_similarity_heatmap : All pairwise cosine similarities, without projection.

    Examples
    --------
    >>> import matplotlib; matplotlib.use("Agg")
    >>> import matplotlib.pyplot as plt
    >>> from skw2v import WordVectors
    >>> from skw2v.plotting import plot_word_map
    >>> wv = WordVectors(["king", "queen", "monday", "tuesday"],
    ...                  [[1.0, 0.9, 0.0], [0.9, 1.0, 0.1], [0.0, 0.1, 1.0],
    ...                   [0.1, 0.0, 0.9]])
    >>> ax = plot_word_map(wv, ["king", "queen", "monday", "tuesday"])
    >>> [text.get_text() for text in ax.texts]
    ['king', 'queen', 'monday', 'tuesday']
    >>> ax.get_xlabel()
    'PC 1'
    >>> plt.close("all")
    """
    if method not in _METHODS:
        raise ValueError(f"method must be one of {', '.join(map(repr, _METHODS))}, got "
                         f"{method!r}.")
    words, _ = _rows(wv, words, min_words=2, caller="plot_word_map")
    coordinates = word_map_coordinates(wv, words, method=method, random_state=random_state)
    ax = _new_axes(ax)
    ax.scatter(coordinates[:, 0], coordinates[:, 1])
    if annotate:
        for word, (x, y) in zip(words, coordinates, strict=True):
            ax.annotate(word, (x, y), xytext=(4, 4), textcoords="offset points")
    label = "PC" if method == "pca" else "t-SNE"
    ax.set_xlabel(f"{label} 1")
    ax.set_ylabel(f"{label} 2")
    if method == "pca":
        # Equal scales, so that distances on the map are distances in the projection.
        ax.set_aspect("equal", adjustable="datalim")
    return ax


def plot_vector_strips(wv: WordVectors, words: Iterable[str], *, ax: Axes | None = None,
                       cmap: str | Colormap = "coolwarm") -> Axes:
    """One colour strip per word across the vector dimensions, words stacked.

    The picture of "vector representations for a few words": the ``(n_words,
    vector_size)`` matrix of the words' vectors as an image, with a colour range symmetric
    around 0, so that dimensions the words share show as columns of the same colour.

    Parameters
    ----------
    wv : WordVectors
        The word vectors, e.g. the ``wv_`` of a fitted ``Word2VecVectorizer``.
    words : iterable of str
        Distinct words of the vocabulary, drawn top to bottom.
    ax : matplotlib Axes, default=None
        Where to draw; None draws on a new figure sized to the number of words.
    cmap : str or matplotlib Colormap, default="coolwarm"
        Colour map; a diverging one shows the sign of each component.

    Returns
    -------
    matplotlib Axes
        The axes drawn on: ``ax.images[0]`` holds the vectors, the y tick labels the words;
        a colorbar is added to its figure.

    Raises
    ------
    ImportError
        If matplotlib is not installed.
    KeyError
        If a word is not in the vocabulary.
    ValueError
        For no words or a word given twice.

    See Also
    --------
    plot_similarity_heatmap : The cosine similarities of the same words.

    Examples
    --------
    >>> import matplotlib; matplotlib.use("Agg")
    >>> import matplotlib.pyplot as plt
    >>> from skw2v import WordVectors
    >>> from skw2v.plotting import plot_vector_strips
    >>> wv = WordVectors(["king", "queen", "apple"],
    ...                  [[0.5, 0.9, -0.2, 0.1], [0.4, 0.8, 0.3, 0.1], [-0.6, 0.1, 0.0, 0.7]])
    >>> ax = plot_vector_strips(wv, ["king", "queen", "apple"])
    >>> ax.images[0].get_array().shape
    (3, 4)
    >>> [label.get_text() for label in ax.get_yticklabels()]
    ['king', 'queen', 'apple']
    >>> [round(limit, 3) for limit in ax.images[0].get_clim()]
    [-0.9, 0.9]
    >>> plt.close("all")
    """
    words, rows = _rows(wv, words, min_words=1, caller="plot_vector_strips")
    matrix = wv.vectors[rows]
    limit = float(np.abs(matrix).max()) if matrix.size else 0.0
    limit = limit if limit > 0 else 1.0
    ax = _new_axes(ax, figsize=(8.0, 1.5 + 0.35 * len(words)))
    image = ax.imshow(matrix, cmap=cmap, vmin=-limit, vmax=limit, aspect="auto",
                      interpolation="nearest")
    ax.set_yticks(np.arange(len(words)))
    ax.set_yticklabels(words)
    ax.set_xlabel("dimension")
    ax.figure.colorbar(image, ax=ax)
    return ax


def similarity_matrix(wv: WordVectors, words: Iterable[str]) -> np.ndarray:
    """Cosine similarities of every pair of the words.

    Parameters
    ----------
    wv : WordVectors
        The word vectors.
    words : iterable of str
        Distinct words of the vocabulary.

    Returns
    -------
    ndarray of shape (n_words, n_words), dtype float64
        ``S[i, j]`` is the cosine similarity of ``words[i]`` and ``words[j]`` (as
        :meth:`WordVectors.similarity`, computed from :attr:`WordVectors.unit_vectors`);
        symmetric, with 1 on the diagonal (0 for an all-zero vector).

    Raises
    ------
    KeyError
        If a word is not in the vocabulary.
    ValueError
        For no words or a word given twice.

    See Also
    --------
    plot_similarity_heatmap : Draw this matrix.

    Examples
    --------
    >>> from skw2v import WordVectors
    >>> from skw2v.plotting import similarity_matrix
    >>> wv = WordVectors(["a", "b", "c"], [[1.0, 0.0], [1.0, 1.0], [0.0, 2.0]])
    >>> similarity_matrix(wv, ["a", "b", "c"]).round(4)
    array([[1.    , 0.7071, 0.    ],
           [0.7071, 1.    , 0.7071],
           [0.    , 0.7071, 1.    ]])
    """
    words, rows = _rows(wv, words, min_words=1, caller="similarity_matrix")
    units = wv._unit_rows(rows).astype(np.float64)
    return np.clip(units @ units.T, -1.0, 1.0)


def plot_similarity_heatmap(wv: WordVectors, words: Iterable[str], *,
                            ax: Axes | None = None, cmap: str | Colormap = "viridis",
                            annotate: bool = True) -> Axes:
    """Heatmap of the cosine similarities of every pair of the words.

    Parameters
    ----------
    wv : WordVectors
        The word vectors, e.g. the ``wv_`` of a fitted ``Word2VecVectorizer``.
    words : iterable of str
        At least two distinct words of the vocabulary, in the order of the rows and columns.
    ax : matplotlib Axes, default=None
        Where to draw; None draws on a new figure sized to the number of words.
    cmap : str or matplotlib Colormap, default="viridis"
        Colour map, spanning cosine similarities from -1 to 1.
    annotate : bool, default=True
        Write each similarity (2 decimals) in its cell; done only for at most 15 words,
        where the numbers stay readable.

    Returns
    -------
    matplotlib Axes
        The axes drawn on: ``ax.images[0]`` holds the :func:`similarity_matrix`, the tick
        labels the words, ``ax.texts`` the cell values row by row; a colorbar is added to
        its figure.

    Raises
    ------
    ImportError
        If matplotlib is not installed.
    KeyError
        If a word is not in the vocabulary.
    ValueError
        For fewer than two words or a word given twice.

    See Also
    --------
    similarity_matrix : The matrix alone.
    plot_word_map : The words on a 2-D map.

    Examples
    --------
    >>> import matplotlib; matplotlib.use("Agg")
    >>> import matplotlib.pyplot as plt
    >>> from skw2v import WordVectors
    >>> from skw2v.plotting import plot_similarity_heatmap
    >>> wv = WordVectors(["cat", "dog", "car"], [[1.0, 0.1], [1.0, 0.3], [0.1, 1.0]])
    >>> ax = plot_similarity_heatmap(wv, ["cat", "dog", "car"])
    >>> ax.images[0].get_array().shape
    (3, 3)
    >>> [text.get_text() for text in ax.texts][:3]
    ['1.00', '0.98', '0.20']
    >>> plt.close("all")
    """
    words, _ = _rows(wv, words, min_words=2, caller="plot_similarity_heatmap")
    matrix = similarity_matrix(wv, words)
    n = len(words)
    side = 2.5 + 0.45 * n
    ax = _new_axes(ax, figsize=(side + 1.0, side))
    image = ax.imshow(matrix, cmap=cmap, vmin=-1.0, vmax=1.0, interpolation="nearest")
    ticks = np.arange(n)
    ax.set_xticks(ticks)
    ax.set_xticklabels(words, rotation=45, ha="right", rotation_mode="anchor")
    ax.set_yticks(ticks)
    ax.set_yticklabels(words)
    if annotate and n <= _MAX_ANNOTATED:
        # Dark text on light cells and light text on dark ones.
        rgba = image.cmap(image.norm(matrix))
        luminance = rgba[..., :3] @ np.array([0.299, 0.587, 0.114])
        for i in range(n):
            for j in range(n):
                ax.text(j, i, f"{matrix[i, j]:.2f}", ha="center", va="center",
                        fontsize="small", color="black" if luminance[i, j] > 0.5 else "white")
    ax.figure.colorbar(image, ax=ax, label="cosine similarity")
    return ax
