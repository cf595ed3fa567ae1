"""Turning documents into tokens, as scikit-learn's ``CountVectorizer`` does.

Analyzers are module-level functions or scikit-learn's own ``functools.partial`` objects, so a
fitted estimator pickles.
"""

import functools
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
        #: Whether a document cut at whitespace gives, piece by piece, the tokens it gives
        #: whole (see :func:`never_spans_whitespace`).
        self.piecewise = self.split_rule is not None or never_spans_whitespace(self.pattern)

    def __call__(self, document):
        if self.lowercase:
            document = document.lower()
        return document.split() if self._split else self.pattern.findall(document)


@functools.cache
def _whitespace() -> frozenset:
    """The code points of ``str.isspace`` (all below U+3001), which Python's ``\\s`` matches."""
    return frozenset(code for code in range(0x3001) if chr(code).isspace())


#: Assertions a token pattern may hold: word boundaries look at one character on each side of
#: a match, the same inside a piece as in the whole document.
_SAFE_AT = {"AT_BOUNDARY", "AT_NON_BOUNDARY", "AT_UNI_BOUNDARY", "AT_UNI_NON_BOUNDARY",
            "AT_LOC_BOUNDARY", "AT_LOC_NON_BOUNDARY"}
#: Character classes without whitespace: ``\\w``, ``\\d``, ``\\S``.
_SAFE_CATEGORIES = {"CATEGORY_WORD", "CATEGORY_DIGIT", "CATEGORY_NOT_SPACE",
                    "CATEGORY_UNI_WORD", "CATEGORY_UNI_DIGIT", "CATEGORY_UNI_NOT_SPACE",
                    "CATEGORY_LOC_WORD"}

_SPACE_CATEGORIES = {"CATEGORY_SPACE", "CATEGORY_UNI_SPACE"}


def never_spans_whitespace(pattern: re.Pattern) -> bool:
    """Whether every match of ``pattern`` is a non-empty run of non-whitespace characters
    that depends on nothing beyond one character on each side.

    Such a pattern finds the same tokens in a document cut into pieces just before a
    whitespace character as in the whole, which lets a very long document be tokenized piece
    by piece. scikit-learn's ``(?u)\\b\\w\\w+\\b`` is one; a pattern that can match whitespace, an
    empty string, the start or end of the text, or looks around (``(?=...)``) is not (the
    answer errs towards False: such documents are then tokenized whole).
    """
    try:
        from re import _parser  # Python >= 3.11
    except ImportError:  # pragma: no cover - Python 3.10
        import sre_parse as _parser
    try:
        parsed = _parser.parse(pattern.pattern, pattern.flags)
        return parsed.getwidth()[0] >= 1 and _no_whitespace(parsed)
    except Exception:  # noqa: BLE001 - a parser we do not know: tokenize whole documents
        return False


def _no_whitespace(items) -> bool:
    whitespace = _whitespace()
    for op, value in items:
        name = str(op)
        if name == "LITERAL":
            if value in whitespace:
                return False
        elif name == "AT":
            if str(value) not in _SAFE_AT:
                return False
        elif name == "IN":
            if value and str(value[0][0]) == "NEGATE":  # [^...]: safe when \\s is excluded
                if not any(str(kind) == "CATEGORY" and str(member) in _SPACE_CATEGORIES
                           for kind, member in value[1:]):
                    return False
                continue
            for kind, member in value:
                kind = str(kind)
                if kind == "LITERAL" and member not in whitespace:
                    continue
                if kind == "RANGE" and not any(member[0] <= code <= member[1]
                                               for code in whitespace):
                    continue
                if kind == "CATEGORY" and str(member) in _SAFE_CATEGORIES:
                    continue
                return False  # whitespace, other classes
        elif name in ("MAX_REPEAT", "MIN_REPEAT", "POSSESSIVE_REPEAT"):
            if not _no_whitespace(value[2]):
                return False
        elif name == "SUBPATTERN":
            if not _no_whitespace(value[-1]):
                return False
        elif name == "ATOMIC_GROUP":
            if not _no_whitespace(value):
                return False
        elif name == "BRANCH":
            if not all(_no_whitespace(branch) for branch in value[1]):
                return False
        else:  # ANY, NOT_LITERAL, lookarounds, group references, conditionals...
            return False
    return True


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
