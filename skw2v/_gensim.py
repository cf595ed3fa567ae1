"""The parameters of a trained gensim ``Word2Vec`` or ``FastText`` model as those of a
:class:`~skw2v.Word2VecVectorizer`, and the estimator fitted from such a model (the
conversions of word vectors are in ``_io/gensim.py``).
"""

from __future__ import annotations

import numpy as np

from ._io.gensim import import_gensim, subword_parameters

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


def fitted_estimator(cls, model, X, params):
    """A ``cls`` (Word2VecVectorizer) fitted from a trained gensim model; see
    ``Word2VecVectorizer.from_gensim``."""
    from . import _steps

    mirrored = estimator_parameters(model)
    clashing = sorted(set(params) & set(mirrored))
    if clashing:
        raise ValueError(f"{', '.join(clashing)} come{'s' if len(clashing) == 1 else ''} from "
                         "the gensim model and cannot be given to from_gensim; set them "
                         "afterwards with set_params if you mean to refit differently.")
    estimator = cls(**{**params, **mirrored})  # unknown names: TypeError naming them
    from .word_vectors import WordVectors

    wv = WordVectors.from_gensim(model.wv)
    if X is None:
        _steps.check_parameters(estimator)
        n_documents, n_tokens = corpus_sizes(model)
        fitted = _steps.FittedModel(wv=wv, loss_history=[], n_documents=n_documents,
                                    n_tokens=n_tokens, idf=None, sif_component=None,
                                    pooling=_steps.pooling_plan(estimator), input_columns={})
    else:
        plan = _steps.plan_fit(estimator, X)
        with _steps.read_corpus(plan, X) as corpus:
            if corpus.n_documents == 0:
                raise ValueError("X holds no document; pass the documents the pooling "
                                 "weights are learned from, or X=None.")
            remap = np.array([wv.word_to_index.get(word, -1) for word in corpus.words],
                             dtype=np.int32)
            fitted, _ = _steps.learn_pooling(plan, corpus, remap, wv, [])
    _steps.commit(estimator, fitted)
    return estimator
