"""``Word2VecVectorizer.from_gensim``: a fitted estimator mirroring a trained gensim model.

The parameters of a trained gensim ``Word2Vec`` or ``FastText`` as the estimator's, and a
source and a trainer of the fit driver (:mod:`skw2v._driver`): the source is the gensim
model's vocabulary (its words, order and counts), with the documents ``X`` to learn the
pooling from when given; the trainer trains nothing and hands over the model's vectors
(shared, not copied). It reports no epochs: the callbacks see the fit task alone.
"""

from __future__ import annotations

import numpy as np

from . import _driver
from ._ids import IdMap
from ._io.gensim import import_gensim, read_keyed_vectors, subword_parameters
from ._progress import set_callbacks
from ._sources import DocumentSource, LocalCorpus, input_columns
from ._vocab import Vocabulary
from .word_vectors import WordVectors

#: gensim Word2Vec/FastText parameter -> Word2VecVectorizer parameter, same meaning.
_SAME = {"vector_size": "vector_size", "window": "window", "min_count": "min_count",
         "negative": "negative", "sample": "sample", "ns_exponent": "ns_exponent",
         "alpha": "alpha", "min_alpha": "min_alpha", "epochs": "epochs",
         "shrink_windows": "shrink_windows"}


def estimator_parameters(model) -> dict:
    """The Word2VecVectorizer parameters that mirror a trained gensim ``Word2Vec`` or
    ``FastText`` model (see ``Word2VecVectorizer.from_gensim``)."""
    models = import_gensim()
    if isinstance(model, models.Doc2Vec):
        raise TypeError("from_gensim takes a gensim Word2Vec or FastText model; a Doc2Vec "
                        "model learns document vectors, which Word2VecVectorizer does not.")
    if not isinstance(model, models.Word2Vec):
        hint = (" For KeyedVectors use WordVectors.from_gensim, and pass the result as "
                "init=." if isinstance(model, models.KeyedVectors) else "")
        raise TypeError(f"from_gensim takes a trained gensim Word2Vec or FastText model, got "
                        f"{type(model).__name__}.{hint}")
    if not len(model.wv):
        raise ValueError("The gensim model has an empty vocabulary: build its vocabulary and "
                         "train it first.")
    if not getattr(model, "train_count", 1):
        raise ValueError("The gensim model was never trained (train_count is 0): its vectors "
                         "are gensim's random start. Train it first (model.train(...), or "
                         "pass the sentences to the constructor).")
    params = {ours: getattr(model, theirs) for theirs, ours in _SAME.items()}
    params["architecture"] = "skipgram" if model.sg else "cbow"
    params["hs"] = bool(model.hs)
    params["cbow_mean"] = bool(model.cbow_mean)
    params["max_vocab_size"] = model.max_final_vocab
    if isinstance(model.seed, (int, np.integer)) and not isinstance(model.seed, bool):
        params["random_state"] = int(model.seed)
    if isinstance(model, models.FastText):
        subwords = subword_parameters(model.wv.min_n, model.wv.max_n, model.wv.bucket)
        if subwords is not None:
            params["char_ngram_range"], params["n_buckets"] = subwords
    for name in ("vector_size", "window", "min_count", "negative", "epochs"):
        params[name] = int(params[name])
    for name in ("sample", "ns_exponent", "alpha", "min_alpha"):
        params[name] = float(params[name])
    params["shrink_windows"] = bool(params["shrink_windows"])
    return params


def corpus_sizes(model):
    """``(n_documents, n_tokens)`` the gensim model counted in its vocabulary scan."""
    return int(model.corpus_count or 0), int(model.corpus_total_words or 0)


class GensimSource:
    """The vocabulary of a trained gensim model, and optionally documents ``X``."""

    def __init__(self, model, wv, X=None):
        self.model, self.wv, self.X = model, wv, X

    def input_columns(self):
        return input_columns(self.X)

    def read(self, plan):
        wv = self.wv
        vocabulary = Vocabulary(words=list(wv.index_to_word), counts=wv.counts)
        if self.X is None:
            n_documents, n_tokens = corpus_sizes(self.model)
            corpus = _ModelCorpus(None, None, None, n_documents, n_tokens)
            corpus.vocabulary = vocabulary
            return corpus
        corpus = DocumentSource(self.X).read(plan)
        if corpus.n_documents == 0:
            corpus.close()
            raise ValueError("X holds no document; pass the documents the pooling weights "
                             "are learned from, or X=None.")
        corpus.vocabulary = vocabulary
        corpus.ids = IdMap.by_word(corpus.words, wv.index_to_word)
        return corpus


class _ModelCorpus(LocalCorpus):
    """No documents: the corpus sizes gensim counted, and no pooling statistics."""

    def fit_pooler(self, pooler, ids, *, return_pooled=False):
        return None, None


class GensimMirror(_driver.WordVectorFit):
    """The gensim model's vectors, as they are."""

    def __init__(self, wv):
        self.wv = wv

    def check(self, estimator):
        pass  # gensim trained the model: the engine's rules do not apply

    def n_epochs(self, plan):
        return 0

    def train(self, plan, corpus, vocabulary, ids, progress=None, attributes_at=None):
        return self.wv, []


def fitted_estimator(cls, model, X, params, callbacks=None):
    """A ``cls`` (Word2VecVectorizer) fitted from a trained gensim model; see
    ``Word2VecVectorizer.from_gensim``."""
    mirrored = estimator_parameters(model)
    clashing = sorted(set(params) & set(mirrored))
    if clashing:
        raise ValueError(f"{', '.join(clashing)} come{'s' if len(clashing) == 1 else ''} from "
                         "the gensim model and cannot be given to from_gensim; set them "
                         "afterwards with set_params if you mean to refit differently.")
    estimator = cls(**{**params, **mirrored})  # unknown names: TypeError naming them
    # train_count says the model was trained: its vectors are kept even where training
    # barely moved them from gensim's random start (WordVectors.from_gensim refuses those).
    wv = WordVectors._from_parts(read_keyed_vectors(model.wv, check_trained=False))
    set_callbacks(estimator, callbacks)
    _driver.fit_with_callbacks(estimator, GensimSource(model, wv, X), GensimMirror(wv))
    return estimator
