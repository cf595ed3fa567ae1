"""CI runs the README's test command so that any failing step fails the run."""

import pathlib
import re

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
