"""CI runs the README's test command so that any failing step fails the run, and runs the suite
again with the oldest supported versions, which pyproject.toml and the docs state."""

import pathlib
import re

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name
from packaging.version import Version

ROOT = pathlib.Path(__file__).resolve().parents[1]


def test_ci_runs_each_step_of_the_readme_test_command_on_its_own_line():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    command = re.search(r'^pip install -e "\.\[test\]" && (.+?)\s+#', readme, re.M)
    assert command, "the README must start with the test command"
    steps = ['pip install -e ".[test]"'] + [s.strip() for s in command.group(1).split("&&")]
    lines = [line.strip() for line in (ROOT / ".ci" / "run").read_text().splitlines()]
    assert "set -euo pipefail" in lines
    for step in steps:
        assert step in lines, f"{step!r} must be a line of its own in .ci/run"
    chained = [line for line in lines if "&&" in line and not line.startswith("#")]
    assert chained == [], "under set -e a failing step inside an && chain does not stop CI"


def _minimum_versions():
    """``{name: version}`` of the pins in .ci/minimum-versions.txt."""
    pins = {}
    for line in (ROOT / ".ci" / "minimum-versions.txt").read_text().splitlines():
        line = line.split("#")[0].strip()
        if line:
            requirement = Requirement(line)
            (spec,) = requirement.specifier
            assert spec.operator == "==", f"{line!r} must pin one version with =="
            pins[canonicalize_name(requirement.name)] = Version(spec.version)
    return pins


def _runtime_requirements():
    """The requirements of pyproject.toml's dependencies and of its dask and spark extras."""
    tomllib = pytest.importorskip("tomllib")  # Python >= 3.11
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    extras = project["optional-dependencies"]
    return [Requirement(text) for text in project["dependencies"] + extras["dask"]
            + extras["spark"]]


def test_pyproject_minimums_are_the_pinned_minimum_versions():
    pins = _minimum_versions()
    for requirement in _runtime_requirements():
        (spec,) = requirement.specifier
        assert spec.operator == ">=", f"{requirement} must state its minimum with >="
        name = canonicalize_name(requirement.name)
        assert pins.get(name) == Version(spec.version), (
            f"pyproject.toml says {requirement}, .ci/minimum-versions.txt pins "
            f"{pins.get(name)}: raise both together")


def test_docs_state_the_core_minimum_versions():
    pins = _minimum_versions()
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    install = (ROOT / "docs" / "install.rst").read_text(encoding="utf-8")
    names = {"numpy": "NumPy", "scipy": "SciPy", "numba": "Numba", "scikit-learn": "scikit-learn",
             "pandas": "pandas"}
    for name, label in names.items():
        assert f"{label} {pins[name]}" in readme, f"README must state {label} {pins[name]}"
        assert f"{label} (>= {pins[name]})" in install, f"install.rst must state {label}"


def test_ci_runs_the_suite_again_with_the_minimum_versions():
    lines = [line.strip() for line in (ROOT / ".ci" / "run").read_text().splitlines()]
    install = 'pip install -c .ci/minimum-versions.txt -e ".[test]"'
    assert install in lines
    assert "python -m pytest -q" in lines[lines.index(install) + 1:]
