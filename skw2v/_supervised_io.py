"""A classifier's model as a fastText supervised model file, and back.

fastText's supervised ``.bin`` holds the same parts as :class:`SupervisedModel`: the words,
the labels (``__label__`` + class) with their counts, one input matrix (words, then hash
buckets shared by word and character n-grams) and the output matrix. Reading maps the labels
to sorted classes (reordering the output rows, or the leaves of fastText's Huffman tree for
``loss="hs"``, which is rebuilt from the label counts in file order, as fastText does).
Writing puts the labels in the order the tree was built from, so fastText rebuilds the same
tree. A model with Naive-Bayes weighting is written with each input row times its weight:
fastText's plain mean of those rows is then a positive multiple of skw2v's weighted mean, so
fastText predicts the same classes with softmax, ns and ova (its probabilities are sharper
or flatter), and nearly the same with hs.
"""

from __future__ import annotations

import numpy as np

from ._features import FeatureSpace
from ._io.fasttext_supervised import SupervisedFile, read_supervised, write_supervised
from ._supervised_model import HuffmanPaths, SupervisedModel
from ._token_table import FASTTEXT_TOKEN_PATTERN

#: fastText's default label prefix.
LABEL_PREFIX = "__label__"
#: fastText's defaults for the arguments a classifier does not track.
_WINDOW, _LR_UPDATE_RATE, _SAMPLE = 5, 100, 1e-4


def _class_names(labels):
    if all(label.startswith(LABEL_PREFIX) for label in labels):
        names = [label[len(LABEL_PREFIX):] for label in labels]
        if len(set(names)) == len(names) and all(names):
            return names
    return list(labels)


def read_model(path):
    """``(SupervisedModel, estimator parameters, ntokens)`` of a fastText supervised file."""
    file = read_supervised(path, mmap=False)
    names = _class_names(file.labels)
    classes = np.array(sorted(names), dtype=object)
    position = {name: i for i, name in enumerate(classes)}
    class_of_label = np.array([position[name] for name in names], dtype=np.int64)
    n_classes = classes.shape[0]
    counts = np.zeros(n_classes, dtype=np.int64)
    counts[class_of_label] = file.label_counts
    tree = None
    if file.loss == "hs":
        tree = HuffmanPaths.build(file.label_counts, class_of_label)
        output = np.array(file.output[:n_classes - 1], dtype=np.float32)
    else:
        output = np.empty((n_classes, file.dim), dtype=np.float32)
        output[class_of_label] = file.output
    char_range = (file.minn, file.maxn) if file.maxn > 0 else None
    uses_buckets = file.word_ngrams > 1 or char_range is not None
    kept = file.kept_buckets
    space = FeatureSpace(n_words=len(file.words), word_ngrams=max(file.word_ngrams, 1),
                         char_ngram_range=char_range,
                         n_buckets=max(file.bucket, 1),
                         kept_buckets=(kept if uses_buckets
                                       else np.zeros(0, dtype=np.int64)),
                         pruned=bool(file.pruned))
    n_bucket_rows = file.input_buckets.shape[0] if uses_buckets else 0
    matrix = np.empty((len(file.words) + n_bucket_rows, file.dim), dtype=np.float32)
    matrix[:len(file.words)] = file.input_words
    if n_bucket_rows:
        matrix[len(file.words):] = file.input_buckets
    matrix.setflags(write=False)
    output.setflags(write=False)
    model = SupervisedModel(words=list(file.words), word_counts=np.asarray(file.word_counts),
                            space=space, input=matrix, output=output, loss=file.loss,
                            classes=classes, class_counts=counts, multilabel=False, tree=tree)
    params = {"vector_size": file.dim, "word_ngram_range": (1, max(file.word_ngrams, 1)),
              "char_ngram_range": char_range, "epochs": max(file.epochs, 1),
              "loss": file.loss, "negative": file.negative,
              "min_count": max(file.min_count, 1), "lowercase": False,
              "token_pattern": FASTTEXT_TOKEN_PATTERN,
              # fastText's model: the plain mean of every occurrence of every feature
              "feature_weighting": None, "sublinear_tf": False, "norm": "l1",
              "weight_decay": 0.0}
    if file.bucket >= 1:
        params["n_buckets"] = file.bucket
    return model, params, int(file.ntokens)


def write_model(path, model: SupervisedModel, *, epochs, min_count, negative, ntokens):
    """Write ``model`` as an unquantized fastText supervised ``.bin``."""
    if model.space.pruned:
        raise ValueError("This classifier was read from a quantized fastText model whose "
                         "dictionary was pruned (.ftz); fastText reads such a dictionary only "
                         "with a quantized matrix, which skw2v does not write. Save the "
                         "original .bin model instead.")
    n_classes = model.classes.shape[0]
    order = (model.tree.leaf_classes if model.loss == "hs"
             else np.arange(n_classes, dtype=np.int64))
    labels = [LABEL_PREFIX + str(label) for label in model.classes[order]]
    dim = model.vector_size
    if model.loss == "hs":
        output = np.zeros((n_classes, dim), dtype=np.float32)
        output[:n_classes - 1] = model.output
    else:
        output = np.asarray(model.output)[order]
    space = model.space
    n_words = len(model.words)
    uses_buckets = space.uses_buckets
    matrix = model.input
    if space.row_weight is not None:
        # fastText averages its rows unweighted: each row times its weight (over the mean
        # weight) makes fastText's document vector a positive multiple of skw2v's weighted
        # mean, so the argmax (and each logit's sign) is the same.
        weight = space.row_weight[:-1] / space.row_weight[:-1].mean()
        matrix = (model.input * weight[:, None]).astype(np.float32)
    char = space.char_ngram_range or (0, 0)
    file = SupervisedFile(
        dim=dim, word_ngrams=space.word_ngrams, loss=model.loss, negative=int(negative), bucket=(
            space.n_buckets if uses_buckets else 0),
        minn=char[0], maxn=char[1], epochs=int(epochs), min_count=int(min_count),
        lr_update_rate=_LR_UPDATE_RATE, t=_SAMPLE, window=_WINDOW, ntokens=int(ntokens),
        words=list(model.words), word_counts=np.asarray(model.word_counts, dtype=np.int64),
        labels=labels, label_counts=np.asarray(model.class_counts, dtype=np.int64)[order],
        input_words=matrix[:n_words],
        input_buckets=(matrix[n_words:] if uses_buckets
                       else np.zeros((0, dim), dtype=np.float32)),
        kept_buckets=space.kept_buckets if uses_buckets else None, pruned=False,
        output=output, quantized=False)
    write_supervised(path, file)
