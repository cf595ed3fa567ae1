"""Sphinx configuration of the skw2v documentation.

Build (from the repository root), warnings as errors::

    python -m sphinx -W --keep-going -b html docs docs/_build/html

The gallery runs ``examples/plot_*.py`` in reduced size (``SKW2V_EXAMPLE_QUICK=1``, set
below unless already set); ``SKW2V_EXAMPLE_QUICK=0`` runs them at full size.
"""

import os

# Before anything imports the examples: gallery examples run in their quick, reduced size.
os.environ.setdefault("SKW2V_EXAMPLE_QUICK", "1")
os.environ.setdefault("MPLBACKEND", "Agg")

from pathlib import Path  # noqa: E402

import matplotlib  # noqa: E402

matplotlib.use("Agg")

import skw2v  # noqa: E402

DOCS = Path(__file__).resolve().parent

# -- Project ---------------------------------------------------------------------------------
project = "skw2v"
author = "the skw2v developers"
copyright = "the skw2v developers"
release = skw2v.__version__
version = release

# -- General ---------------------------------------------------------------------------------
extensions = [
    "sphinx.ext.autodoc",
    "sphinx.ext.autosummary",
    "numpydoc",
    "sphinx_gallery.gen_gallery",
]
templates_path = ["_templates"]
exclude_patterns = ["_build", "README.md", "Thumbs.db", ".DS_Store"]
root_doc = "index"
default_role = "literal"  # single backquotes in docstrings render as code, never warn

# -- autodoc / autosummary ---------------------------------------------------------------------
autosummary_generate = True
autosummary_imported_members = False
autodoc_typehints = "none"  # numpydoc parameter sections already give the types
# The page's table of contents names methods "fit()", not "Word2VecVectorizer.fit()", so the
# right sidebar of a class page does not cut them off.
toc_object_entries_show_parents = "hide"

# -- numpydoc ------------------------------------------------------------------------------------
# Members are documented by the autosummary class template (docs/_templates/autosummary/
# class.rst). numpydoc's own member tables (numpydoc_show_class_members=True) would list them a
# second time and, with their toctree, warn "autosummary: stub file not found" per method.
numpydoc_show_class_members = False
numpydoc_show_inherited_class_members = False
numpydoc_class_members_toctree = False
numpydoc_attributes_as_param_list = True
numpydoc_xref_param_type = False

# -- sphinx-gallery ------------------------------------------------------------------------------
sphinx_gallery_conf = {
    "examples_dirs": "../examples",
    "gallery_dirs": "auto_examples",
    "filename_pattern": r"/plot_",
    # Only plot_*.py files are gallery examples (examples/demo.py is the README's script).
    "ignore_pattern": r"^(?!plot_)",  # matched against the bare file name
    "within_subsection_order": "FileNameSortKey",
    "download_all_examples": False,
    "remove_config_comments": True,
    "plot_gallery": "True",
    "abort_on_example_error": False,
    "only_warn_on_example_error": False,
}


def _write_cli_help():
    """Write ``skw2v [COMMAND] --help`` to docs/generated/cli/*.txt for cli.rst to include."""
    import contextlib
    import io

    from skw2v.cli import main

    out = DOCS / "generated" / "cli"
    out.mkdir(parents=True, exist_ok=True)
    columns = os.environ.get("COLUMNS")
    os.environ["COLUMNS"] = "90"  # argparse wraps help to the terminal width
    try:
        for command in ["", "train", "phrases", "similar", "analogy", "evaluate"]:
            buffer = io.StringIO()
            with contextlib.redirect_stdout(buffer), contextlib.suppress(SystemExit):
                main([command, "--help"] if command else ["--help"])
            text = buffer.getvalue()
            target = out / f"{command or 'skw2v'}.txt"
            if not target.is_file() or target.read_text(encoding="utf-8") != text:
                target.write_text(text, encoding="utf-8")
    finally:
        if columns is None:
            del os.environ["COLUMNS"]
        else:
            os.environ["COLUMNS"] = columns


_write_cli_help()

# -- HTML ------------------------------------------------------------------------------------
# pydata-sphinx-theme, as scikit-learn and its contrib projects use: the top bar links the
# pages of the index's toctree (user guide, API, examples...), the left sidebar the sections of
# the current part, the right sidebar the headings of the current page. No version switcher.
html_theme = "pydata_sphinx_theme"
html_title = f"skw2v {release}"
html_static_path = []
html_theme_options = {
    "navbar_align": "left",
    "header_links_before_dropdown": 8,
    "navbar_end": ["theme-switcher"],
    "show_prev_next": False,
    "secondary_sidebar_items": ["page-toc"],
    "navigation_with_keys": False,
}
# The left sidebar lists the pages of the current part (the API pages, the examples); the
# single-page parts have none, so they get no left sidebar rather than an empty one.
html_sidebars = {page: [] for page in ["index", "install", "quickstart", "user_guide",
                                       "scaling_out", "cli", "architecture"]}
