"""Turning documents into tokens, as scikit-learn's ``CountVectorizer`` does.

Analyzers are module-level functions or scikit-learn's own ``functools.partial`` objects, so a
fitted estimator pickles.
"""

import re

from sklearn.feature_extraction.text import CountVectorizer

from ._token_table import SplitRule

PRETOKENIZED = "pretokenized"


def pretokenized(document):
    """Analyzer for documents that are already sequences of tokens: use them as they are."""
    return document


class RegexAnalyzer:
    """scikit-learn's word analyzer in its most common form (a token pattern without a
    capturing group, no tokenizer, preprocessor, accent stripping or stop words), without
    its per-document wrappers: ``pattern.findall(document.lower())``. Its tokens are always
    str (``yields_str``), so they need no per-token type check."""

    yields_str = True

    def __init__(self, token_pattern, lowercase):
        self.pattern = re.compile(token_pattern)
        self.lowercase = lowercase
        #: The rule of :mod:`skw2v._token_table`, which tokenizes whole batches the same way
        #: without a str per token; None for a pattern that is not a whitespace split.
        self.split_rule = SplitRule.of_pattern(token_pattern, lowercase)
        # "\S+" finds what str.split() returns, twice as fast: both split on the characters
        # of str.isspace (Python's re takes its \s for str patterns from the same table).
        self._split = self.split_rule is not None and self.split_rule.unicode_spaces

    def __call__(self, document):
        if self.lowercase:
            document = document.lower()
        return document.split() if self._split else self.pattern.findall(document)


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
    if (tokenizer is None and preprocessor is None and strip_accents is None
            and token_pattern is not None and re.compile(token_pattern).groups == 0):
        return RegexAnalyzer(token_pattern, lowercase)
    vectorizer = CountVectorizer(
        analyzer="word",
        lowercase=lowercase,
        token_pattern=token_pattern,
        tokenizer=tokenizer,
        preprocessor=preprocessor,
        strip_accents=strip_accents,
    )
    return vectorizer.build_analyzer()
