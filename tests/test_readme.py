"""The README's Python examples run as written, from the project folder."""

from __future__ import annotations

import ast
import re

import pandas as pd
import pytest

from ktt import config

BLOCKS = re.findall(r"^```python\n(.*?)^```", (config.ROOT / "README.md").read_text(
    encoding="utf-8"), re.MULTILINE | re.DOTALL)


@pytest.mark.parametrize("block", BLOCKS)
def test_a_readme_example_runs_and_shows_a_table(block, monkeypatch):
    monkeypatch.chdir(config.ROOT)
    tree = ast.parse(block)
    *body, last = tree.body
    namespace: dict = {}
    exec(compile(ast.Module(body, []), "README.md", "exec"), namespace)
    # the example ends on what a notebook cell would show
    shown = eval(compile(ast.Expression(last.value), "README.md", "eval"), namespace)
    assert isinstance(shown, pd.DataFrame)
    assert not shown.empty


def test_the_readme_shows_a_forecast_from_python():
    assert any("ktt.forecast_targets(" in block for block in BLOCKS)


def test_the_contents_line_lists_every_section_in_order():
    text = (config.ROOT / "README.md").read_text(encoding="utf-8")
    contents = next(line for line in text.splitlines() if line.startswith("Contents: "))
    linked = re.findall(r"\[([^\]]+)\]\(#([^)]+)\)", contents)
    sections = re.findall(r"^## (.+)$", text, re.MULTILINE)
    assert [name for name, _ in linked] == sections
    # GitHub's anchor: lower case, punctuation dropped, spaces as hyphens
    assert all(anchor == re.sub(r"[^\w\- ]", "", name.lower()).replace(" ", "-")
               for name, anchor in linked)


def test_every_ktt_command_written_in_the_docs_spells_its_options_in_full():
    # the parser takes no abbreviation (--list is not --list-parameters): a command a reader
    # copies from the README, the Makefile or a notebook must name options as they are
    import argparse

    from ktt.cli import build_parser

    commands = next(a for a in build_parser()._actions
                    if isinstance(a, argparse._SubParsersAction)).choices
    options = {name: {o for a in parser._actions for o in a.option_strings}
               for name, parser in commands.items()}
    written = re.compile(rf"\bktt ({'|'.join(options)})\b([^`\n|]*)")
    unknown, seen = [], 0
    for path in [config.ROOT / "README.md", config.ROOT / "Makefile", config.DATA / "README.md",
                 *config.NOTEBOOKS.glob("*.ipynb")]:
        for match in written.finditer(path.read_text(encoding="utf-8")):
            for option in re.findall(r"(?<![\w-])--?[a-z][a-z-]*", match.group(2)):
                seen += 1
                if option not in options[match.group(1)]:
                    unknown.append(f"{path.name}: {match.group(0)}: {option}")
    assert seen > 20  # the pattern finds the commands
    assert unknown == []


def test_every_papermill_command_in_the_readme_names_parameters_the_notebook_has():
    # papermill runs a notebook with a parameter it does not have, warning only: the README's
    # command would then run the baseline under the scenario's name without a word
    import papermill

    text = (config.ROOT / "README.md").read_text(encoding="utf-8").replace("\\\n", " ")
    commands = re.findall(r"papermill (notebooks/\S+\.ipynb) \S+((?: -p \S+ \S+)+)", text)
    assert commands
    for notebook, given in commands:
        known = papermill.inspect_notebook(str(config.ROOT / notebook))
        names = re.findall(r"-p (\S+) ", given + " ")
        assert names
        assert set(names) <= set(known), (notebook, set(names) - set(known))
