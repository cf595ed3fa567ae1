"""Turning documents into tokens, as scikit-learn's ``CountVectorizer`` does.

Analyzers are module-level functions or scikit-learn's own ``functools.partial`` objects, so a
fitted estimator pickles.
"""

from sklearn.feature_extraction.text import CountVectorizer

PRETOKENIZED = "pretokenized"


def pretokenized(document):
    """Analyzer for documents that are already sequences of tokens: use them as they are."""
    return document


def build_analyzer(analyzer, *, lowercase, token_pattern, tokenizer, preprocessor,
                   strip_accents=None):
    """The callable that splits one document into a list of str tokens.

    Parameters
    ----------
    analyzer : {"word", "pretokenized"} or callable
        ``"word"`` builds scikit-learn's word analyzer from the other parameters;
        ``"pretokenized"`` takes each document as its list of tokens; a callable is used as
        it is.
    lowercase, token_pattern, tokenizer, preprocessor, strip_accents
        As in :class:`sklearn.feature_extraction.text.CountVectorizer`.

    Returns
    -------
    callable
    """
    if callable(analyzer):
        return analyzer
    if analyzer == PRETOKENIZED:
        return pretokenized
    vectorizer = CountVectorizer(
        analyzer="word",
        lowercase=lowercase,
        token_pattern=token_pattern,
        tokenizer=tokenizer,
        preprocessor=preprocessor,
        strip_accents=strip_accents,
    )
    return vectorizer.build_analyzer()
