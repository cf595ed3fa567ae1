"""``Word2VecVectorizer.from_gensim``: a fitted estimator mirroring a trained gensim model.

A source and a trainer of the fit driver (:mod:`skw2v._driver`): the source is the gensim
model's vocabulary (its words, order and counts), with the documents ``X`` to learn the
pooling from when given; the trainer trains nothing and hands over the model's vectors
(shared, not copied). It reports no epochs: the callbacks see the fit task alone.
"""

from __future__ import annotations

from . import _driver, _gensim
from ._ids import IdMap
from ._progress import set_callbacks
from ._sources import LocalCorpus, input_columns, read_documents
from ._vocab import Vocabulary
from .word_vectors import WordVectors


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
            n_documents, n_tokens = _gensim.corpus_sizes(self.model)
            corpus = _ModelCorpus(None, None, None, n_documents, n_tokens)
            corpus.vocabulary = vocabulary
            return corpus
        encoded = read_documents(plan, self.X)
        corpus = LocalCorpus(encoded, encoded.words, encoded.counts, encoded.n_documents,
                             encoded.n_tokens)
        if corpus.n_documents == 0:
            corpus.close()
            raise ValueError("X holds no document; pass the documents the pooling weights "
                             "are learned from, or X=None.")
        corpus.vocabulary = vocabulary
        corpus.ids = IdMap.by_word(encoded.words, wv.index_to_word)
        return corpus


class _ModelCorpus(LocalCorpus):
    """No documents: the corpus sizes gensim counted, and no pooling statistics."""

    def fit_pooler(self, pooler, ids, *, return_pooled=False):
        return None, None


class GensimMirror:
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
    mirrored = _gensim.estimator_parameters(model)
    clashing = sorted(set(params) & set(mirrored))
    if clashing:
        raise ValueError(f"{', '.join(clashing)} come{'s' if len(clashing) == 1 else ''} from "
                         "the gensim model and cannot be given to from_gensim; set them "
                         "afterwards with set_params if you mean to refit differently.")
    estimator = cls(**{**params, **mirrored})  # unknown names: TypeError naming them
    wv = WordVectors.from_gensim(model.wv)
    set_callbacks(estimator, callbacks)
    _driver.fit_with_callbacks(estimator, GensimSource(model, wv, X), GensimMirror(wv))
    return estimator
