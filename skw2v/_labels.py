"""The labels of a classifier fit: classes, the targets of each document and their weights.

Everything is checked here, before any document is read: ``y`` (1-D labels of any hashable
type, or a 2-D 0/1 indicator matrix for multi-label), ``sample_weight`` and ``class_weight``.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
import scipy.sparse as sp
from sklearn.model_selection import ShuffleSplit, StratifiedShuffleSplit
from sklearn.utils.class_weight import compute_class_weight
from sklearn.utils.multiclass import type_of_target


@dataclass(frozen=True)
class Targets:
    """The encoded labels of the training documents.

    Attributes
    ----------
    classes : ndarray
        The sorted classes (the columns of a multi-label indicator: ``0..n_labels - 1``).
    multilabel : bool
        Whether ``y`` was a 2-D indicator matrix.
    offsets, labels : ndarray of int64, int32
        Document ``i`` has the targets ``labels[offsets[i]:offsets[i + 1]]`` (indices into
        ``classes``).
    weight : ndarray of float32
        The weight of each document: its sample weight times, for single-label ``y``, the
        class weight of its class.
    pos_weight, neg_weight : ndarray of float32
        Per class, the weights of the positive and the negative term of a one-vs-all loss
        (the class weights of a multi-label ``y``; ones otherwise).
    counts : ndarray of int64
        Number of documents of each class.
    """

    classes: np.ndarray
    multilabel: bool
    offsets: np.ndarray
    labels: np.ndarray
    weight: np.ndarray
    pos_weight: np.ndarray
    neg_weight: np.ndarray
    counts: np.ndarray

    @property
    def n_documents(self) -> int:
        return self.offsets.shape[0] - 1


def _missing_positions(y):
    missing = pd.isna(pd.Series(y, dtype=object)).to_numpy()
    return np.flatnonzero(missing)


def _label_vector(y):
    """1-D labels as an array, or a ValueError naming the first missing label."""
    if isinstance(y, (pd.Series, pd.Index)):
        y = y.to_numpy()
    array = np.asarray(y)
    if array.dtype.kind == "O" or array.dtype.kind == "f":
        missing = _missing_positions(array)
        if missing.size:
            raise ValueError(f"y[{missing[0]}] is missing ({array[missing[0]]!r}); every "
                             f"document needs a label ({missing.size} are missing). Drop "
                             "those documents or fill their labels.")
    return array


def is_multilabel(y) -> bool:
    """Whether ``y`` is a 2-D indicator matrix (dense or sparse)."""
    return sp.issparse(y) or np.ndim(y) == 2


def encode_targets(y, sample_weight, class_weight, loss) -> Targets:
    """The :class:`Targets` of ``y``; every problem is a ValueError naming the item."""
    if y is None:
        raise ValueError("Word2VecClassifier.fit needs the labels y, one per document.")
    if is_multilabel(y):
        return _multilabel(y, sample_weight, class_weight, loss)
    array = _label_vector(y)
    if array.ndim != 1:
        raise ValueError(f"y has shape {array.shape}; pass one label per document (1-D), or a "
                         "2-D 0/1 indicator matrix for multi-label classification.")
    kind = type_of_target(array)
    if kind == "continuous":
        raise ValueError("y holds continuous values (floats that are not whole numbers); a "
                         "classifier needs class labels. Bin them into classes first.")
    try:
        classes, encoded = np.unique(array, return_inverse=True)
    except TypeError as error:
        raise ValueError(f"The labels of y cannot be sorted ({error}); use labels of one type "
                         "(all str or all int).") from None
    if classes.shape[0] < 2:
        only = repr(classes[0]) if classes.shape[0] else "none"
        raise ValueError(f"y holds {classes.shape[0]} class ({only}); a classifier needs "
                         "documents of at least two classes.")
    n = array.shape[0]
    counts = np.bincount(encoded, minlength=classes.shape[0]).astype(np.int64)
    weight = _sample_weight(sample_weight, n)
    if isinstance(class_weight, dict):
        unknown = [label for label in class_weight if label not in set(classes.tolist())]
        if unknown:
            raise ValueError(f"class_weight names {unknown[0]!r}, which is not a class of y "
                             f"(its classes: {classes.tolist()[:10]}"
                             f"{'...' if classes.shape[0] > 10 else ''}). Weigh only classes "
                             "that occur in y.")
    if class_weight is not None:
        per_class = compute_class_weight(class_weight, classes=classes, y=array)
        weight = weight * per_class[encoded].astype(np.float32)
    ones = np.ones(classes.shape[0], dtype=np.float32)
    return Targets(classes=classes, multilabel=False,
                   offsets=np.arange(n + 1, dtype=np.int64),
                   labels=encoded.astype(np.int32), weight=weight.astype(np.float32),
                   pos_weight=ones, neg_weight=ones.copy(), counts=counts)


def _multilabel(y, sample_weight, class_weight, loss):
    if loss != "ova":
        raise ValueError(f"y is a 2-D indicator matrix (multi-label), which loss={loss!r} "
                         "cannot learn: it predicts one class per document. Use loss='ova' "
                         "(one-vs-all, a logistic loss per label, as fastText).")
    matrix = sp.csr_matrix(y)
    if matrix.shape[1] < 2:
        raise ValueError(f"The indicator matrix y has {matrix.shape[1]} column; multi-label "
                         "classification needs at least two labels.")
    matrix.sum_duplicates()
    values = matrix.data
    if values.size and not np.all((values == 1) | (values == 0)):
        raise ValueError("The indicator matrix y must hold only 0 and 1.")
    matrix.eliminate_zeros()
    n, n_labels = matrix.shape
    counts = np.bincount(matrix.indices, minlength=n_labels).astype(np.int64)
    weight = _sample_weight(sample_weight, n)
    pos = np.ones(n_labels, dtype=np.float32)
    neg = np.ones(n_labels, dtype=np.float32)
    if isinstance(class_weight, str):  # "balanced": each label's two sides weigh the same
        with np.errstate(divide="ignore"):
            pos = np.where(counts > 0, n / (2.0 * np.maximum(counts, 1)), 1.0)
            neg = np.where(counts < n, n / (2.0 * np.maximum(n - counts, 1)), 1.0)
    elif class_weight is not None:
        unknown = [label for label in class_weight if label not in range(n_labels)]
        if unknown:
            raise ValueError(f"class_weight names {unknown[0]!r}, which is not a label: the "
                             f"labels of an indicator y are its columns 0..{n_labels - 1}.")
        for label, value in class_weight.items():
            pos[label] = value
    return Targets(classes=np.arange(n_labels), multilabel=True,
                   offsets=matrix.indptr.astype(np.int64),
                   labels=matrix.indices.astype(np.int32), weight=weight,
                   pos_weight=np.asarray(pos, dtype=np.float32),
                   neg_weight=np.asarray(neg, dtype=np.float32), counts=counts)


def _sample_weight(sample_weight, n):
    if sample_weight is None:
        return np.ones(n, dtype=np.float32)
    weight = np.asarray(sample_weight, dtype=np.float64)
    if weight.ndim == 0:
        weight = np.full(n, float(weight))
    if weight.shape != (n,):
        raise ValueError(f"sample_weight has shape {weight.shape}; it needs one weight per "
                         f"document, ({n},).")
    bad = np.flatnonzero(~np.isfinite(weight) | (weight < 0))
    if bad.size:
        raise ValueError(f"sample_weight[{bad[0]}] is {weight[bad[0]]}; weights must be "
                         "finite and >= 0.")
    if not weight.any():
        raise ValueError("Every sample_weight is 0: there is nothing to learn from.")
    return weight.astype(np.float32)


def validation_split(targets: Targets, fraction, random_state):
    """A boolean mask of the documents held out for early stopping (stratified by class
    for single-label ``y``, as scikit-learn's SGD estimators split)."""
    n = targets.n_documents
    n_test = int(np.ceil(fraction * n))
    if n_test < 1 or n - n_test < 1:
        raise ValueError(f"validation_fraction={fraction} leaves {n_test} of the {n} documents "
                         "for validation; it needs at least one document on each side. "
                         "Pass more documents or change validation_fraction.")
    indices = np.arange(n)
    if targets.multilabel:
        splitter = ShuffleSplit(test_size=n_test, random_state=random_state)
        _, test = next(splitter.split(indices))
    else:
        if n_test < targets.classes.shape[0]:
            raise ValueError(f"validation_fraction={fraction} holds out {n_test} documents, "
                             f"fewer than the {targets.classes.shape[0]} classes; raise it or "
                             "pass more documents.")
        splitter = StratifiedShuffleSplit(test_size=n_test, random_state=random_state)
        _, test = next(splitter.split(indices, targets.labels))
    mask = np.zeros(n, dtype=bool)
    mask[test] = True
    return mask
