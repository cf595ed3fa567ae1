"""Whitespace splitting and token ids in Numba (skw2v._token_table), against Python's own
``str.split``, fastText's reader (``naive.fasttext_tokens``), a dict in order of first
appearance and fastText's hash (``naive.fasttext_hash``); and the fit and prediction paths that
use it against the per-token path they replace."""

import sys

import naive
import numpy as np
import pytest

from skw2v import Word2VecClassifier, Word2VecVectorizer, _corpus
from skw2v._corpus import EncodedCorpus
from skw2v._documents import Tokenizer
from skw2v._text import build_analyzer
from skw2v._token_table import (
    FASTTEXT_TOKEN_PATTERN,
    SplitRule,
    TokenTable,
    joined_words,
    split_texts,
)

#: Every character Python calls whitespace, and some that it does not (zero-width space,
#: Mongolian vowel separator, BOM) next to them.
SPACES = "".join(chr(c) for c in range(sys.maxunicode + 1) if chr(c).isspace())
NEAR_SPACES = "\u200b\u180e\ufeff\u2060\u00ad"


def _random_texts(seed, n=200):
    rng = np.random.default_rng(seed)
    alphabet = list("abcé€😀ÅÉ") + list(SPACES) + list(NEAR_SPACES) + ["\x00", "\x1b"]
    return ["".join(rng.choice(alphabet, size=rng.integers(0, 40))) for _ in range(n)]


def _tokens(texts, rule, table=None, known=None):
    table = TokenTable(2, 2) if table is None else table
    ids, offsets = split_texts(texts, rule, table, known)
    words = (known.words() if known is not None else []) + table.words()
    return [[words[i] for i in ids[offsets[d]:offsets[d + 1]]] for d in range(len(texts))]


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_unicode_split_is_str_split(seed):
    texts = _random_texts(seed) + [SPACES.join(["a", "b", "c"]), SPACES, ""]
    assert _tokens(texts, SplitRule(False)) == [text.split() for text in texts]
    assert _tokens(texts, SplitRule(True)) == [text.lower().split() for text in texts]


@pytest.mark.parametrize("seed", [0, 1])
def test_fasttext_split_is_fasttexts_reader(seed):
    texts = _random_texts(seed)
    got = _tokens(texts, SplitRule(False, unicode_spaces=False, end_token="</s>"))
    assert got == [naive.fasttext_tokens(text) for text in texts]


def test_ids_in_order_of_first_appearance_as_a_dict_gives_them():
    texts = _random_texts(5, n=400)
    table = TokenTable(1, 1)  # grows many times on the way
    ids, _ = split_texts(texts, SplitRule(False, end_token="</s>"), table)
    expected = {}
    for text in texts:
        for token in [*text.split(), "</s>"]:
            expected.setdefault(token, len(expected))
    assert table.words() == list(expected)
    flat = [token for text in texts for token in [*text.split(), "</s>"]]
    assert ids.tolist() == [expected[token] for token in flat]
    unsigned = [naive.fasttext_hash(word.encode()) for word in expected]
    # fastText keeps a token's hash in an int32_t
    assert table.hashes.tolist() == [h - (1 << 32) if h >= 1 << 31 else h for h in unsigned]


def test_known_tokens_keep_their_ids_and_unknown_ones_follow():
    known = TokenTable.of_words(["b", "a", "</s>"])
    table = TokenTable()
    ids, offsets = split_texts(["a x b", "y x"], SplitRule(False, end_token="</s>"), table,
                               known)
    assert ids.tolist() == [1, 3, 0, 2, 4, 3, 2]
    assert offsets.tolist() == [0, 4, 7]
    assert table.words() == ["x", "y"] and len(known) == 3


def test_duplicate_vocabulary_words_are_refused():
    with pytest.raises(ValueError, match="distinct"):
        TokenTable.of_words(["a", "b", "a"])


def test_a_lone_surrogate_goes_through_the_analyzer_and_keeps_its_token():
    analyzer = build_analyzer("word", lowercase=False, token_pattern=r"\S+", tokenizer=None,
                              preprocessor=None)
    texts = ["a \udcff b", "b \ud800"]
    table = TokenTable()
    ids, offsets = split_texts(texts, SplitRule(False), table, analyzer=analyzer)
    words = table.words()
    assert [[words[i] for i in ids[offsets[d]:offsets[d + 1]]] for d in range(2)] == [
        text.split() for text in texts]


# ---------------------------------------------------------------------- fit: EncodedCorpus
def _tokenizer(pattern=r"\S+", lowercase=True):
    analyzer = build_analyzer("word", lowercase=lowercase, token_pattern=pattern,
                              tokenizer=None, preprocessor=None)
    return Tokenizer(analyzer, "word")


def _counted(documents, tokenizer, chunk_tokens):
    corpus = EncodedCorpus.__new__(EncodedCorpus)
    corpus._encode_counted(documents, tokenizer, None, chunk_tokens)
    return corpus


def _assert_same_corpus(fast, slow):
    """A corpus of a Numba path is the dict path's: words, counts, sizes, every chunk; and
    its words' hashes are fastText's."""
    assert fast.words == slow.words
    assert all(type(word) is str for word in fast.words)
    np.testing.assert_array_equal(fast.counts, slow.counts)
    assert (fast.n_documents, fast.n_tokens, fast.max_document_tokens) == (
        slow.n_documents, slow.n_tokens, slow.max_document_tokens)
    for (a, oa, _), (b, ob, _) in zip(fast.chunks(None), slow.chunks(None), strict=True):
        np.testing.assert_array_equal(a, b)
        np.testing.assert_array_equal(oa, ob)
    # the bytes fastText would read: a lone surrogate from a file read with surrogateescape
    # is its original byte
    unsigned = [naive.fasttext_hash(word.encode("utf-8", "surrogateescape"))
                for word in fast.words]
    assert fast.word_hashes.tolist() == [h - (1 << 32) if h >= 1 << 31 else h
                                         for h in unsigned]


@pytest.mark.parametrize("pattern", [r"\S+", FASTTEXT_TOKEN_PATTERN])
def test_corpus_split_path_encodes_as_the_dict_path(monkeypatch, pattern):
    monkeypatch.setattr(_corpus, "SPLIT_BATCH_CHARS", 50)  # many batches
    texts = _random_texts(7, n=300) + ["x \udcff y"]
    tokenizer = _tokenizer(pattern)
    assert tokenizer.split_rule is not None
    with EncodedCorpus(iter(texts), tokenizer, chunk_tokens=97) as fast, \
            _counted(iter(texts), tokenizer, 97) as slow:
        _assert_same_corpus(fast, slow)


def test_corpus_split_path_names_a_document_that_is_not_a_str():
    with pytest.raises(TypeError, match="Document 2 is missing"):
        EncodedCorpus(iter(["a b", "c", None]), _tokenizer())


def _list_tokenizer():
    return Tokenizer(build_analyzer("pretokenized", lowercase=False, token_pattern=None,
                                    tokenizer=None, preprocessor=None), "pretokenized")


def test_other_patterns_and_budgets_keep_the_dict_path(monkeypatch):
    assert _tokenizer(r"(?u)\b\w\w+\b").split_rule is None
    assert _list_tokenizer().split_rule is None
    taken = []
    for path in ("counted", "lists", "split"):
        monkeypatch.setattr(EncodedCorpus, f"_encode_{path}",
                            lambda self, *args, path=path: taken.append(path))
    EncodedCorpus(iter([["a"]]), _list_tokenizer())
    EncodedCorpus(iter([["a"]]), _list_tokenizer(), max_distinct=10)
    EncodedCorpus(iter(["a"]), _tokenizer())
    EncodedCorpus(iter(["a"]), _tokenizer(), max_distinct=10)
    EncodedCorpus(iter(["a"]), _tokenizer(r"(?u)\b\w\w+\b"))
    assert taken == ["lists", "counted", "split", "counted", "counted"]


def _token_lists(seed, n=300):
    rng = np.random.default_rng(seed)
    words = ["a", "b", "é", "😀", "", " ", "n\x00l", "\udcff", np.str_("np"), "x y"] + [
        f"w{i}" for i in range(40)]
    docs = [[words[i] for i in rng.integers(0, len(words), rng.integers(0, 12))]
            for _ in range(n)]
    return [tuple(doc) if k % 7 == 3 else doc for k, doc in enumerate(docs)]


@pytest.mark.parametrize("seed", [0, 1])
def test_corpus_list_path_encodes_as_the_dict_path(monkeypatch, seed):
    monkeypatch.setattr(_corpus, "LIST_BATCH_TOKENS", 40)  # many batches
    docs = _token_lists(seed)
    if seed == 1:  # no token that needs the token-by-token way in
        docs = [[t for t in doc if "\x00" not in t and "\udcff" not in t] for doc in docs]
    tokenizer = _list_tokenizer()
    with EncodedCorpus(iter(docs), tokenizer, chunk_tokens=97) as fast, \
            _counted(iter(docs), tokenizer, 97) as slow:
        _assert_same_corpus(fast, slow)


@pytest.mark.parametrize("docs, message", [
    ([["a"], ["b", 3]], "Document 1: the token int 3 is not a str"),
    ([["a"], ["b"], "c d"], "Document 2 is str .c d."),
    ([["a"], None], "Document 1 is None"),
])
def test_corpus_list_path_names_the_document_of_a_bad_token(monkeypatch, docs, message):
    monkeypatch.setattr(_corpus, "LIST_BATCH_TOKENS", 1)
    with pytest.raises(TypeError, match=message):
        EncodedCorpus(iter(docs), _list_tokenizer())


def test_vectorizer_fit_is_the_same_through_either_path(monkeypatch):
    texts = [" ".join(np.random.default_rng(i).choice(list("abcdefgh"), 30)) for i in range(60)]
    params = dict(token_pattern=r"\S+", vector_size=8, epochs=2, min_count=1, n_jobs=1,
                  random_state=0)
    fast = Word2VecVectorizer(**params).fit(texts)
    lists = Word2VecVectorizer(**params, analyzer="pretokenized").fit(
        [text.split() for text in texts])
    monkeypatch.setattr(EncodedCorpus, "_encode_split",
                        lambda self, d, t, rule, c: self._encode_counted(d, t, None, c))
    monkeypatch.setattr(EncodedCorpus, "_encode_lists",
                        lambda self, d, t, c: self._encode_counted(d, t, None, c))
    slow = Word2VecVectorizer(**params).fit(texts)
    slow_lists = Word2VecVectorizer(**params, analyzer="pretokenized").fit(
        [text.split() for text in texts])
    assert fast.wv_.index_to_word == slow.wv_.index_to_word
    np.testing.assert_array_equal(fast.wv_.vectors, slow.wv_.vectors)
    assert lists.wv_.index_to_word == slow_lists.wv_.index_to_word
    np.testing.assert_array_equal(lists.wv_.vectors, slow_lists.wv_.vectors)


# --------------------------------------------------------------- prediction of a classifier
@pytest.fixture(scope="module")
def texts_and_labels():
    rng = np.random.default_rng(3)
    words = [f"w{i}" for i in range(40)] + ["é", "naïve", "😀"]
    texts = [" ".join(rng.choice(words, rng.integers(0, 12))) for _ in range(300)]
    labels = [str(len(t) % 3) for t in texts]
    return texts, labels


@pytest.mark.parametrize("params", [
    dict(word_ngram_range=(1, 3)),
    dict(char_ngram_range=(2, 4), min_count=3),
    dict(loss="hs", feature_weighting=None, sublinear_tf=False),
])
def test_prediction_through_the_split_path_equals_the_token_path(texts_and_labels, params):
    texts, labels = texts_and_labels
    clf = Word2VecClassifier(token_pattern=r"\S+", epochs=3, n_jobs=1, random_state=0,
                             **params).fit(texts, labels)
    unseen = ["w1 zz w2", "", "Naïve zz qq w3 😀", "w39\u00a0w2", "\udcff w1"]
    fast = clf.transform(unseen + texts)
    # A callable tokenizer makes the same tokens through the per-token path.
    clf.set_params(tokenizer=str.split, token_pattern=None)
    np.testing.assert_array_equal(clf.transform(unseen + texts), fast)


@pytest.mark.parametrize("unseen", [[], ["zz"], ["zz", "zz"]], ids=["none", "last", "each"])
def test_threads_give_the_same_vectors_however_many_unknown_tokens_a_part_holds(
        texts_and_labels, unseen):
    # Parts of a batch without unknown tokens have empty tables of their own.
    texts, labels = texts_and_labels
    clf = Word2VecClassifier(token_pattern=r"\S+", epochs=2, n_jobs=1, random_state=0,
                             word_ngram_range=(1, 2)).fit(texts, labels)
    batch = list(texts) * 20  # one batch (BATCH_DOCUMENTS), two parts
    for k, token in enumerate(unseen):
        at = len(batch) - 1 if len(unseen) == 1 else k * (len(batch) - 1)
        batch[at] = f"{batch[at]} {token}{k}"
    one = clf.transform(batch)
    np.testing.assert_array_equal(clf.set_params(n_jobs=2).transform(batch), one)
    np.testing.assert_array_equal(clf.set_params(n_jobs=1).transform(batch[-3:]), one[-3:])


def test_prediction_names_a_document_that_is_not_a_str(texts_and_labels):
    texts, labels = texts_and_labels
    clf = Word2VecClassifier(token_pattern=r"\S+", epochs=1, n_jobs=1, random_state=0)
    clf.fit(texts, labels)
    with pytest.raises(TypeError, match="Document 2 is missing"):
        clf.predict(["w1", "w2", float("nan")])
    # np.str_ is a str: it takes the split path
    np.testing.assert_array_equal(clf.transform([np.str_(texts[1])]),
                                  clf.transform([texts[1]]))


@pytest.mark.parametrize("words", [[], ["a"], ["é", "b", "naïve", "😀"], ["a\nb", "c"],
                                   ["\udcff", "x"], ["", "x"]])
def test_a_vocabulary_table_gives_each_word_its_position(words):
    table = TokenTable.of_words(words)
    assert len(table) == len(words)
    assert [table.index_of(word) for word in words] == list(range(len(words)))
    assert table.index_of("not a word") == -1


def test_words_holding_spaces_nuls_or_lone_surrogates_round_trip():
    words = ["a b", "n\x00l", "", "é", "\udcff", "plain"]
    table = TokenTable.of_words(words)
    assert table.words() == words
    docs = [["a b", "unknown"], [], ["", "é", "plain"]]
    assert table.find_words(docs, 5).tolist() == [0, -1, 2, 3, 5]
    assert len(table) == 6  # finding adds nothing
    table.reserve(1000, 1 << 16)
    assert table.intern_words(["plain", "new"]).tolist() == [5, 6]
    assert table.words()[-1] == "new"


@pytest.mark.parametrize("words", [[], [""], ["", ""], ["a"], ["é", "", "naïve", "😀", "x y"],
                                   ["\x1b", "a\tb", "€" * 9]])
def test_joined_words_cut_at_nuls_and_hash_every_word(words):
    data, starts, ends, hashes = joined_words(words)
    assert [data[a:b].tobytes().decode() for a, b in zip(starts, ends, strict=True)] == words
    unsigned = [naive.fasttext_hash(word.encode()) for word in words]
    assert hashes.tolist() == [h - (1 << 32) if h >= 1 << 31 else h for h in unsigned]


@pytest.mark.parametrize("words", [["n\x00l"], ["a", "\x00"], ["\x00", ""], ["\udcff"]])
def test_joined_words_refuses_words_it_cannot_cut(words):
    assert joined_words(words) is None  # the caller encodes them one by one


def test_tokens_whose_hashes_share_the_bits_a_slot_keeps_get_their_own_ids():
    # A slot keeps the low 31 bits of a token's hash beside its id: find two tokens that
    # agree there (a birthday search over 300,000 random words) and intern them among others.
    letters = np.random.default_rng(0).integers(97, 123, size=(300_000, 8), dtype=np.uint8)
    words = sorted(set(letters.view("S8")[:, 0].astype(str).tolist()))
    low = joined_words(words)[3] & 0x7FFFFFFF
    order = np.argsort(low, kind="stable")
    same = np.flatnonzero(low[order][1:] == low[order][:-1])
    assert same.size, "no two words share 31 hash bits: search more words"
    a, b = words[order[same[0]]], words[order[same[0] + 1]]
    assert naive.fasttext_hash(a.encode()) % (1 << 31) == naive.fasttext_hash(b.encode()) % (
        1 << 31)
    table = TokenTable(2, 2)
    assert table.intern_words([a, "x", b, a, b]).tolist() == [0, 1, 2, 0, 2]
    assert table.find_words([[b, a, "y"]], 3).tolist() == [2, 0, -1]
    assert table.words() == [a, "x", b]
