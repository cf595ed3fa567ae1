"""The supervised trainer: labelled documents in, a :class:`SupervisedModel` out.

It is a trainer of the fit driver (:mod:`skw2v._driver`): the driver checks the parameters,
asks :meth:`SupervisedEngine.plan` for the plan (the labels are checked and encoded there,
before a document is read), reads the documents with a
:class:`~skw2v._sources.DocumentSource` (each document ends with fastText's ``</s>``),
chooses the vocabulary, and hands the encoded corpus to :meth:`SupervisedEngine.train`.

Training (fastText's ``supervised``, Joulin et al. 2016): each epoch visits the chunks of the
encoded corpus in a random order and the documents of a chunk in a random order (fastText
reads its file in order, so a file sorted by class must be shuffled first; here it need not
be). The documents of a chunk are split among ``n_jobs`` threads, each a ``nogil`` kernel
call, updating the shared weights without locks (Hogwild, as fastText). The learning rate
decays linearly from ``alpha`` to 0 over all tokens of all epochs. With ``n_jobs=1`` and an
int ``random_state`` the model is identical on every run.
"""

from __future__ import annotations

import dataclasses
import time
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp
from sklearn.utils import check_random_state

from . import _kernels_supervised as kernels
from . import _labels, _subwords, _vocab
from ._corpus import EncodedCorpus
from ._documents import Tokenizer
from ._driver import check_init
from ._features import FeatureSpace, direct_tables, reached_buckets, token_hashes
from ._progress import Step
from ._subwords import EOS
from ._supervised_model import LOSS_KINDS, HuffmanPaths, SupervisedModel
from ._training import TrainingDiverged, _physical_memory, _seeds, _size

#: fastText's exponent of the label counts in its negative-sampling table.
LABEL_NOISE_EXPONENT = 0.5


class EndOfDocument:
    """An analyzer that appends fastText's end-of-line token ``</s>`` to every document's
    tokens, as fastText reads each line (its row acts as a learned bias, and gives an empty
    document a prediction)."""

    def __init__(self, analyzer):
        self.analyzer = analyzer
        self.yields_str = getattr(analyzer, "yields_str", False) is True
        rule = getattr(analyzer, "split_rule", None)
        self.split_rule = None if rule is None else dataclasses.replace(rule, end_token=EOS)

    def __call__(self, document):
        tokens = self.analyzer(document)
        if not isinstance(tokens, list):
            tokens = list(tokens)
        tokens.append(EOS)
        return tokens


@dataclass(frozen=True)
class SupervisedConfig:
    """The training settings of a classifier fit."""

    vector_size: int
    epochs: int
    alpha: float
    loss: str
    negative: int
    word_ngrams: int
    char_ngram_range: tuple | None
    n_buckets: int
    n_threads: int
    verbose: int
    early_stopping: bool
    n_iter_no_change: int
    tol: float
    feature_weighting: str | None
    sublinear_tf: bool
    norm: str
    weight_decay: float


@dataclass(frozen=True)
class SupervisedPlan:
    """A classifier fit's validated settings, labels and seeds (``random_state`` used once).

    The fields :func:`skw2v._driver.choose_vocabulary` reads have the word-vector plan's
    names.
    """

    config: SupervisedConfig
    targets: _labels.Targets
    held_out: np.ndarray | None  # documents held out for early stopping
    init_seed: int
    train_seed: int
    tokenizer: Tokenizer
    min_count: int
    init: object
    freeze_init: bool
    input_columns: dict
    max_vocab_size = None
    pretrained_only = False
    keeps_init_rows = False


@dataclass(frozen=True)
class Trained:
    """What :meth:`SupervisedEngine.train` gives the driver."""

    model: SupervisedModel
    n_iter: int
    validation_scores: list | None


class SupervisedEngine:
    """The trainer of ``Word2VecClassifier``: labels ``y`` (and ``sample_weight``) of the
    ``n_documents`` documents (None when unknown before reading)."""

    def __init__(self, y, sample_weight=None, n_documents=None):
        self.y = y
        self.sample_weight = sample_weight
        self.n_documents = n_documents

    def check(self, estimator):
        ngram_range = estimator.word_ngram_range
        if (not isinstance(ngram_range, tuple) or len(ngram_range) != 2
                or ngram_range[0] != 1 or not isinstance(ngram_range[1], (int, np.integer))
                or isinstance(ngram_range[1], bool) or ngram_range[1] < 1):
            raise ValueError(f"word_ngram_range must be (1, n) with n >= 1 (unigrams always, "
                             f"as fastText's wordNgrams=n); got {ngram_range!r}.")
        if estimator.char_ngram_range is not None:
            _subwords.check_trained_ngram_range(estimator.char_ngram_range)
        if estimator.loss == "ns" and estimator.negative < 1:
            raise ValueError("loss='ns' needs negative >= 1 negative samples per example.")
        if estimator.alpha * estimator.weight_decay >= 1:
            raise ValueError(
                f"alpha * weight_decay must be below 1 (a step shrinks the output layer by "
                f"1 - learning rate * weight_decay); got alpha={estimator.alpha:g}, "
                f"weight_decay={estimator.weight_decay:g}. Lower weight_decay, e.g. "
                f"weight_decay={0.1 / estimator.alpha:g}.")
        # The vectorizer's rule: init's dimension, and finite vectors (the classifier takes
        # any n-gram settings of a subword init: other ones start the words alone).
        check_init(estimator, None)

    def n_epochs(self, plan):
        return plan.config.epochs

    def plan(self, estimator, input_columns) -> SupervisedPlan:
        targets = _labels.encode_targets(self.y, self.sample_weight, estimator.class_weight,
                                         estimator.loss)
        if self.n_documents is not None and self.n_documents != targets.n_documents:
            raise ValueError(f"X holds {self.n_documents} documents but y holds "
                             f"{targets.n_documents} labels; pass one label per document.")
        if estimator.loss == "ns" and targets.classes.shape[0] < 2:
            raise ValueError("loss='ns' needs at least two classes.")
        random_state = check_random_state(estimator.random_state)
        init_seed, train_seed, split_seed = random_state.randint(np.iinfo(np.int32).max, size=3)
        held_out = None
        if estimator.early_stopping:
            held_out = _labels.validation_split(targets, estimator.validation_fraction,
                                                int(split_seed))
        config = SupervisedConfig(
            vector_size=int(estimator.vector_size), epochs=int(estimator.epochs),
            alpha=float(estimator.alpha), loss=estimator.loss, negative=int(estimator.negative),
            word_ngrams=int(estimator.word_ngram_range[1]),
            char_ngram_range=(
                None if estimator.char_ngram_range is None
                else _subwords.check_trained_ngram_range(estimator.char_ngram_range)),
            n_buckets=int(estimator.n_buckets), n_threads=estimator._n_threads(),
            verbose=int(estimator.verbose), early_stopping=bool(estimator.early_stopping),
            n_iter_no_change=int(estimator.n_iter_no_change), tol=float(estimator.tol),
            feature_weighting=estimator.feature_weighting,
            sublinear_tf=bool(estimator.sublinear_tf), norm=estimator.norm,
            weight_decay=float(estimator.weight_decay))
        return SupervisedPlan(
            config=config, targets=targets, held_out=held_out, init_seed=int(init_seed),
            train_seed=int(train_seed),
            tokenizer=Tokenizer(EndOfDocument(estimator.build_analyzer()), estimator.analyzer),
            min_count=int(estimator.min_count), init=estimator.init,
            freeze_init=bool(estimator.freeze_init), input_columns=dict(input_columns or {}))

    # --------------------------------------------------------------------------- training
    def train(self, plan, corpus, vocabulary, ids, progress=None, attributes_at=None):
        config, targets = plan.config, plan.targets
        encoded = corpus.encoded
        if corpus.n_documents != targets.n_documents:
            raise ValueError(f"X holds {corpus.n_documents} documents but y holds "
                             f"{targets.n_documents} labels; pass one label per document.")
        words = vocabulary.words
        n_words = len(words)
        raw_words = corpus.words
        hashes = (np.zeros(len(raw_words), dtype=np.int64) if config.word_ngrams == 1
                  else token_hashes(raw_words) if encoded.word_hashes is None
                  else encoded.word_hashes)
        kept = char_ngrams = None
        if config.word_ngrams > 1 or config.char_ngram_range is not None:
            char_buckets = extra = None
            if config.char_ngram_range is not None:
                char_ngrams = _subwords.ngram_buckets(raw_words, config.char_ngram_range,
                                                      config.n_buckets)
                char_buckets = char_ngrams[1]
                init = plan.init
                if (init is not None and init.char_ngram_range == config.char_ngram_range
                        and init.n_buckets == config.n_buckets):
                    extra = (np.arange(config.n_buckets) if init.ngram_buckets is None
                             else init.ngram_buckets)
            kept = reached_buckets(encoded, ids, hashes, char_buckets, config.word_ngrams,
                                   config.n_buckets, extra)
        space = FeatureSpace(n_words, config.word_ngrams, config.char_ngram_range,
                             config.n_buckets,
                             kept if kept is not None else np.zeros(0, dtype=np.int64),
                             sublinear_tf=config.sublinear_tf, norm=config.norm)
        tables = space.tables(raw_words, ids.rows, hashes, char_ngrams)
        n_classes = targets.classes.shape[0]
        n_out = n_classes - 1 if config.loss == "hs" else n_classes
        n_rows = n_words + space.n_bucket_rows
        _check_memory(n_rows, n_out, config)
        rng = np.random.default_rng(plan.init_seed)
        # fastText's start: input rows uniform in [-1/dim, 1/dim), output rows zero. The
        # rows are drawn independently, so they are taken to be in the training order (see
        # below) as drawn; only init's rows are placed.
        syn0 = rng.random((n_rows, config.vector_size), dtype=np.float32)
        syn0 *= np.float32(2.0 / config.vector_size)
        syn0 -= np.float32(1.0 / config.vector_size)
        out = np.zeros((n_out, config.vector_size), dtype=np.float32)
        lock_factor = np.ones(n_rows, dtype=np.float32)
        tree, loss_tables = _loss_tables(config, targets)
        weights = kernels.SupervisedWeights(syn0, out, lock_factor)
        weight = targets.weight
        if plan.held_out is not None:
            weight = np.where(plan.held_out, np.float32(0), weight).astype(np.float32)

        def model_now(input_rows, output_rows):
            return SupervisedModel(
                words=list(words), word_counts=vocabulary.counts, space=space,
                input=input_rows, output=output_rows, loss=config.loss,
                classes=targets.classes, class_counts=targets.counts,
                multilabel=targets.multilabel, tree=tree)

        # The epochs train the rows in the order the documents first reach them (see
        # kernels.document_rows): syn0 is in that order from here to the end of training.
        layout = {}

        def input_now():
            return syn0[layout["rank"]] if "rank" in layout else syn0.copy()

        if progress is not None and attributes_at is not None:
            progress.bind(lambda step: attributes_at(
                Trained(model_now(input_now(), out.copy()), step.epoch + 1, None),
                list(step.loss_history)))
        with _row_corpus(encoded, ids, tables, n_rows) as (rows, doc_tokens, rank):
            if plan.init is not None:
                _copy_init(plan, words, space, syn0, lock_factor, rank)
            layout["rank"] = rank
            row_weight = None
            if config.feature_weighting is not None:
                row_weight = row_weights(rows, targets, weight, n_rows,
                                         config.feature_weighting)
                space = dataclasses.replace(space, row_weight=np.append(
                    row_weight[:-1][rank], row_weight[-1]))
            held = None if plan.held_out is None else _held_out_documents(rows, plan.held_out)
            losses, scores = _epochs(plan, rows, doc_tokens, weights, loss_tables, weight,
                                     held, model_now, progress,
                                     direct_tables(row_weight, space.sublinear_tf, space.norm))
        back = np.empty(n_rows, dtype=np.int64)
        back[rank] = np.arange(n_rows)
        kernels.permute_rows(syn0, back)
        layout.clear()
        syn0.setflags(write=False)
        out.setflags(write=False)
        return Trained(model_now(syn0, out), len(losses), scores), losses

    def fitted(self, plan, corpus, ids, trained, losses, *, return_pooled=False):
        return fitted_attributes(trained.model, losses=losses, n_iter=trained.n_iter,
                                 validation_scores=trained.validation_scores,
                                 n_documents=corpus.n_documents, n_tokens=corpus.n_tokens,
                                 input_columns=plan.input_columns), None


def fitted_attributes(model, *, losses, n_iter, validation_scores, n_documents, n_tokens,
                      input_columns=None) -> dict:
    """Every fitted attribute of a ``Word2VecClassifier`` holding ``model``, by name."""
    return {
        **(input_columns or {}),
        "loss_history_": [float(loss) for loss in losses],
        "n_iter_": int(n_iter),
        "validation_scores_": validation_scores,
        "corpus_document_count_": None if n_documents is None else int(n_documents),
        "corpus_token_count_": None if n_tokens is None else int(n_tokens),
        "classes_": model.classes,
        "_model": model,
        # Last, the attribute a fitted classifier is recognised by.
        "wv_": model.word_vectors(),
    }


def _check_memory(n_rows, n_out, config):
    needed = 4 * config.vector_size * (n_rows + n_out) + 4 * n_rows
    if config.word_ngrams > 1 or config.char_ngram_range is not None:
        needed += 5 * config.n_buckets  # the bucket table and the marks of reached buckets
    available = _physical_memory()
    if available is not None and needed > available:
        raise MemoryError(f"The classifier's weights need {_size(needed)} ({n_rows:,} input "
                          f"rows x vector_size={config.vector_size}, n_buckets="
                          f"{config.n_buckets:,}) but this machine has {_size(available)}. "
                          "Lower vector_size or n_buckets, or raise min_count.")


def _copy_init(plan, words, space, syn0, lock_factor, rank):
    """Start the known words (and a subword init's n-gram rows) from ``plan.init``; input
    row ``r`` of the model is ``syn0[rank[r]]`` (and ``lock_factor[rank[r]]``)."""
    init = plan.init
    n_words = len(words)
    rows = np.array([init.word_to_index.get(word, -1) for word in words], dtype=np.int64)
    known = rows >= 0
    same_buckets = (space.char_ngram_range is not None
                    and init.char_ngram_range == space.char_ngram_range
                    and init.n_buckets == space.n_buckets)
    source = init.vectors_vocab if same_buckets else init.vectors
    mine = rank[np.flatnonzero(known)]
    syn0[mine] = source[rows[known]]
    if plan.freeze_init:
        lock_factor[mine] = 0.0
    if same_buckets:
        init_buckets = (np.arange(init.n_buckets) if init.ngram_buckets is None
                        else init.ngram_buckets)
        table = space.bucket_table()
        buckets = table[init_buckets]
        have = buckets >= 0
        mine = rank[n_words + buckets[have]]
        syn0[mine] = init.vectors_ngrams[np.flatnonzero(have)]
        if plan.freeze_init:
            lock_factor[mine] = 0.0


def _loss_tables(config, targets):
    n_classes = targets.classes.shape[0]
    threshold = np.full(1, 2**32, dtype=np.uint64)
    alias = np.zeros(1, dtype=np.int32)
    tree = None
    offsets = np.zeros(n_classes + 1, dtype=np.int64)
    paths = np.zeros(0, dtype=np.int32)
    codes = np.zeros(0, dtype=np.uint8)
    counts = np.maximum(targets.counts, 1)
    if config.loss == "ns":
        noise = counts.astype(np.float64) ** LABEL_NOISE_EXPONENT
        threshold, alias = _vocab.alias_table(noise)
    elif config.loss == "hs":
        # Leaves in fastText's dictionary order: most frequent class first (ties by class).
        order = np.argsort(-counts, kind="stable")
        tree = HuffmanPaths.build(counts[order], order)
        offsets = np.zeros(n_classes + 1, dtype=np.int64)
        lengths = np.diff(tree.offsets)[np.argsort(order)]
        np.cumsum(lengths, out=offsets[1:])
        # Paths by class, for the kernel.
        paths = np.concatenate([tree.paths[tree.offsets[leaf]:tree.offsets[leaf + 1]]
                                for leaf in np.argsort(order)]).astype(np.int32)
        codes = np.concatenate([tree.codes[tree.offsets[leaf]:tree.offsets[leaf + 1]]
                                for leaf in np.argsort(order)]).astype(np.uint8)
    tables = kernels.LossTables(LOSS_KINDS[config.loss], int(config.negative), threshold,
                                alias, offsets, paths, codes, targets.pos_weight,
                                targets.neg_weight, float(config.weight_decay))
    return tree, tables


#: Input rows whose class ratios are computed at once (bounds the memory of the weights).
_RATIO_BLOCK_ROWS = 1 << 16


#: What every feature's Naive-Bayes weight starts from (``"nb"`` and ``"nb_idf"``): a feature
#: that tells no class apart (log-count ratio 0) keeps this weight.
NB_FLOOR = 0.3


def row_weights(rows, targets, weight, n_rows, scheme):
    """The fixed weight of each input row in a document's mean, then the weight of a -1 row
    (a feature never seen in training), from the (weighted) number of training documents
    of each class that hold it.

    ``"nb"``: :data:`NB_FLOOR` plus the largest absolute Naive-Bayes log-count ratio of the
    feature over the classes (each class against the rest, Wang and Manning 2012; 0 for an
    unseen feature). The ratios are smoothed with pseudo-counts in proportion to the
    classes' shares (``n_classes`` in all), so a feature seen once weighs as little in a
    rare class as in a balanced binary task. ``"idf"``: scikit-learn's smoothed inverse
    document frequency, ``log((1 + n) / (1 + df)) + 1`` (``n`` documents, ``df`` of them
    holding the feature). ``"nb_idf"``: their product. Counts are accumulated sparse, chunk
    by chunk.
    """
    n_classes = targets.classes.shape[0]
    counts = _row_class_counts(rows, targets.labels, targets.offsets, weight, n_rows,
                               n_classes)
    if targets.multilabel:  # a document counts once however many labels it has
        one_label = np.zeros(targets.offsets.shape[0] - 1, dtype=targets.labels.dtype)
        documents = _row_class_counts(rows, one_label,
                                      np.arange(one_label.shape[0] + 1, dtype=np.int64),
                                      weight, n_rows, 1)
        frequency = np.asarray(documents.sum(axis=1)).ravel()
    else:
        frequency = np.asarray(counts.sum(axis=1)).ravel()
    n_documents = float(weight[weight > 0].sum())
    idf = np.append(np.log((1.0 + n_documents) / (1.0 + frequency)),
                    np.log(1.0 + n_documents)) + 1.0
    if scheme == "idf":
        return idf.astype(np.float32)
    share = np.maximum(targets.counts, 1).astype(np.float64)
    share /= share.sum()
    prior_in = n_classes * share  # pseudo-counts of each class
    prior_out = n_classes * (1.0 - share)
    totals = np.asarray(counts.sum(axis=1)).ravel()
    in_class = np.asarray(counts.sum(axis=0)).ravel() + n_rows * prior_in
    out_class = (totals.sum() - np.asarray(counts.sum(axis=0)).ravel()) + n_rows * prior_out
    best = np.empty(n_rows, dtype=np.float64)
    for start in range(0, n_rows, _RATIO_BLOCK_ROWS):
        stop = min(start + _RATIO_BLOCK_ROWS, n_rows)
        block = counts[start:stop].toarray()
        p = (block + prior_in) / in_class
        q = (totals[start:stop, None] - block + prior_out) / out_class
        best[start:stop] = np.abs(np.log(p) - np.log(q)).max(axis=1)
    nb = np.append(NB_FLOOR + best, NB_FLOOR)
    return (nb if scheme == "nb" else nb * idf).astype(np.float32)


def _row_class_counts(rows, labels, label_offsets, weight, n_rows, n_classes):
    """The weighted number of documents of each class holding each row (sparse)."""
    counts = sp.csr_matrix((n_rows, n_classes), dtype=np.float32)
    last = np.full(n_rows, -1, dtype=np.int64)
    tables = direct_tables()
    for base, (chunk_rows, offsets, _) in zip(rows.first_documents, rows.chunks(None),
                                              strict=True):
        n = offsets.shape[0] - 1
        found_rows, found_classes, found_weights = kernels.row_classes(
            chunk_rows, offsets, tables, labels, label_offsets[base:base + n + 1],
            weight[base:base + n], last)
        chunk_counts = sp.coo_matrix((found_weights, (found_rows, found_classes)),
                                     shape=(n_rows, n_classes)).tocsr()
        del found_rows, found_classes, found_weights
        counts = counts + chunk_counts
    return counts


@contextmanager
def _row_corpus(encoded, ids, tables, n_rows):
    """The documents as their input rows, computed once (the features of a document do not
    change between epochs), in unlinked temporary files chunked as the corpus, each row as
    its rank in the order the documents first reach the rows (see
    :func:`skw2v._kernels_supervised.document_rows`): yields ``(EncodedCorpus of ranks,
    tokens of each document, rank of each row)``; rows no document reaches (a pretrained
    word's) are ranked last."""
    doc_tokens = []
    rank = np.full(n_rows, -1, dtype=np.int32)
    n_ranked = 0

    def documents():
        nonlocal n_ranked
        for chunk_ids, offsets, _ in encoded.chunks(ids):
            doc_tokens.append(np.diff(offsets))
            rows, row_offsets, n_ranked = kernels.document_rows(
                chunk_ids.astype(np.int64), offsets, tables, rank, n_ranked)
            yield rows, np.diff(row_offsets)

    with EncodedCorpus.from_encoded(documents(), n_rows) as rows:
        unreached = rank < 0
        rank[unreached] = np.arange(n_ranked, n_rows, dtype=np.int32)
        yield rows, (np.concatenate(doc_tokens) if doc_tokens
                     else np.zeros(0, dtype=np.int64)), rank.astype(np.int64)


def _held_out_documents(rows, held_out):
    """The input rows and offsets of the held-out documents, in document order."""
    parts, lengths = [], []
    base = 0
    for chunk_rows, offsets, _ in rows.chunks(None):
        n = offsets.shape[0] - 1
        for doc in np.flatnonzero(held_out[base:base + n]):
            parts.append(chunk_rows[offsets[doc]:offsets[doc + 1]])
            lengths.append(offsets[doc + 1] - offsets[doc])
        base += n
    doc_offsets = np.zeros(len(lengths) + 1, dtype=np.int64)
    np.cumsum(lengths, out=doc_offsets[1:])
    tokens = np.concatenate(parts) if parts else np.zeros(0, dtype=np.int32)
    return tokens.astype(np.int64), doc_offsets, np.flatnonzero(held_out)


def _validation_score(model, held, targets, tables):
    """Accuracy on the held-out documents (their rows read through ``tables``; subset
    accuracy for multi-label), weighted by the sample weights, as scikit-learn's
    ``score``."""
    rows, offsets, docs = held
    hidden = np.zeros((docs.shape[0], model.vector_size), dtype=np.float32)
    kernels.document_vectors(model.input, rows, offsets, tables, hidden)
    weight = targets.weight[docs].astype(np.float64)
    if targets.multilabel:
        predicted = model.probabilities(hidden) >= 0.5
        truth = np.zeros_like(predicted)
        for row, doc in enumerate(docs):
            truth[row, targets.labels[targets.offsets[doc]:targets.offsets[doc + 1]]] = True
        right = np.all(predicted == truth, axis=1)
    else:
        right = model.best_classes(hidden) == targets.labels[docs]
    return float(np.average(right, weights=weight)) if weight.sum() > 0 else float(right.mean())


def _epochs(plan, rows, doc_tokens, weights, loss_tables, weight, held, model_now, progress,
            tables):
    """The epoch loop over the documents' input rows (``rows``, an EncodedCorpus, read
    through the direct ``tables``, which weigh them); returns the mean loss of each epoch and
    the validation scores."""
    config, targets = plan.config, plan.targets
    n_chunks = rows.n_chunks
    first_docs = rows.first_documents
    total_tokens = max(int(doc_tokens.sum()) * config.epochs, 1)
    done = 0
    losses, scores = [], ([] if held is not None else None)
    best, stale = -np.inf, 0
    offsets_all = targets.offsets

    def run(prepared, shard, seed):
        chunk_rows, offsets, order, base, a0, a1 = prepared
        n = offsets.shape[0] - 1
        docs = kernels.Documents(chunk_rows, offsets, order, int(shard[0]), int(shard[1]),
                                 targets.labels, offsets_all[base:base + n + 1],
                                 weight[base:base + n], float(a0), float(a1), np.uint64(seed))
        return kernels.train_documents(weights, tables, loss_tables, docs)

    stop = False
    position = 0
    with ThreadPoolExecutor(max_workers=config.n_threads) as pool:
        for epoch in range(config.epochs):
            started = time.perf_counter()
            if progress is not None:
                progress.epoch_begin(epoch)
            chunk_order = np.random.default_rng([plan.train_seed, epoch]).permutation(n_chunks)
            epoch_loss = epoch_weight = 0.0
            epoch_tokens = 0
            for position, (chunk_rows, offsets, _) in enumerate(
                    rows.chunks(None, chunk_order)):
                index = int(chunk_order[position])
                if progress is not None:
                    progress.chunk_begin(epoch, position)
                n = offsets.shape[0] - 1
                base = int(first_docs[index])
                n_tokens = int(doc_tokens[base:base + n].sum())
                a0 = config.alpha * (1.0 - done / total_tokens)
                done += n_tokens
                a1 = config.alpha * (1.0 - done / total_tokens)
                seeds = _seeds(plan.train_seed, epoch, index, config.n_threads + 1)
                order = np.random.default_rng(seeds[0]).permutation(n).astype(np.int64)
                prepared = (chunk_rows, offsets, order, base, a0, a1)
                bounds = _balanced_bounds(np.diff(offsets)[order], config.n_threads)
                futures = [pool.submit(run, prepared, (bounds[k], bounds[k + 1]), seeds[k + 1])
                           for k in range(config.n_threads) if bounds[k + 1] > bounds[k]]
                results = [future.result() for future in futures]
                chunk_loss = sum(r[0] for r in results)
                chunk_weight = sum(r[1] for r in results)
                if not np.isfinite(chunk_loss):
                    raise TrainingDiverged(_diverged(config, epoch))
                epoch_loss += chunk_loss
                epoch_weight += chunk_weight
                epoch_tokens += n_tokens
                mean = epoch_loss / max(epoch_weight, 1e-12)
                if progress is not None and progress.chunk_end(_step(
                        config, epoch, position, n_chunks,
                        chunk_loss / max(chunk_weight, 1e-12), n_tokens, mean, epoch_tokens,
                        started, done, total_tokens, (*losses, mean))):
                    stop = True
                    break
            # The output layer each epoch (small); the input rows once at the end: a row that
            # became infinite makes the loss of the next document holding it NaN.
            if not np.isfinite(np.einsum("ij->", weights.out, dtype=np.float64)):
                raise TrainingDiverged(_diverged(config, epoch))
            losses.append(epoch_loss / max(epoch_weight, 1e-12))
            if held is not None:
                score = _validation_score(model_now(weights.syn0, weights.out), held, targets,
                                          tables)
                scores.append(score)
                stale = 0 if score > best + config.tol else stale + 1
                best = max(best, score)
                if stale >= config.n_iter_no_change:
                    stop = True
            if progress is not None:
                stop = progress.epoch_end(_step(
                    config, epoch, position, n_chunks, losses[-1], epoch_tokens, losses[-1],
                    epoch_tokens, started, done, total_tokens, losses)) or stop
            if stop:
                break
    if not np.isfinite(np.einsum("ij->", weights.syn0, dtype=np.float64)):
        raise TrainingDiverged(_diverged(config, len(losses) - 1))
    return losses, scores


def _balanced_bounds(lengths, n_threads):
    """Where ``n_threads`` threads split documents of ``lengths`` input rows (in training
    order): ranges of about equal rows, so no thread waits long for another at the end of a
    chunk."""
    cumulative = np.cumsum(lengths)
    total = int(cumulative[-1]) if cumulative.shape[0] else 0
    bounds = np.searchsorted(cumulative, total * np.arange(1, n_threads) / n_threads)
    return np.concatenate([[0], bounds, [lengths.shape[0]]]).astype(np.int64)


def _step(config, epoch, chunk, n_chunks, loss, words, epoch_loss, epoch_words, started,
          done, total, history):
    return Step(epoch=epoch, chunk=chunk, epochs=config.epochs, n_chunks=n_chunks,
                loss=float(loss), words=int(words), epoch_loss=float(epoch_loss),
                epoch_words=int(epoch_words), epoch_seconds=time.perf_counter() - started,
                words_done=int(done), total_words=int(total),
                alpha=config.alpha * (1.0 - done / max(total, 1)),
                loss_history=tuple(float(value) for value in history))


def _diverged(config, epoch):
    return (f"Training diverged in epoch {epoch + 1}: the weights or the loss became NaN or "
            f"infinite with alpha={config.alpha:g}. Lower the learning rate, e.g. "
            f"alpha={config.alpha / 4:g}. The estimator was left as it was before this fit.")
