"""The public API's docstrings: what help() shows an analyst in a notebook."""

from __future__ import annotations

import importlib
import inspect
import re
import subprocess
import sys

import pytest

import ktt

FUNCTIONS = [name for name in ktt.__all__ if inspect.isfunction(getattr(ktt, name))]
# a notebook's one call into the library, documented from its parameters cell
ENTRIES = ["ktt.report.context.prepare", "ktt.report.units.prepare",
           "ktt.report.backtest.prepare", "ktt.forecasting.options.ForecastOptions",
           "ktt.report.explore.load", "ktt.report.explore.sources"]


@pytest.mark.parametrize("name", [f"ktt.{n}" for n in FUNCTIONS] + ENTRIES)
def test_every_public_function_documents_each_parameter(name):
    # numpydoc: a Parameters section naming every argument, as help(ktt.series) should show
    module, _, attribute = name.rpartition(".")
    function = getattr(importlib.import_module(module), attribute)
    doc = inspect.getdoc(function) or ""
    assert "\nParameters\n----------\n" in doc, f"{name} has no Parameters section"
    section = doc.split("\nParameters\n----------\n", 1)[1]
    missing = [p for p in inspect.signature(function).parameters
               if not re.search(rf"^(\w+, )*{p}\b", section, re.MULTILINE)]
    assert missing == [], f"{name} does not document {missing}"


@pytest.mark.parametrize("name", ENTRIES)
def test_a_notebooks_entry_documents_only_what_it_takes_as_numpydoc_reads_it(name):
    # the section ran on from the summary's last line, which numpydoc reads as one paragraph
    # with it; and help(ku.prepare) listed the units notebook's scenario, which it does not take
    module, _, attribute = name.rpartition(".")
    function = getattr(importlib.import_module(module), attribute)
    doc = inspect.getdoc(function)
    assert "\n\nParameters\n----------\n" in doc
    section = doc.split("\nParameters\n----------\n", 1)[1]
    documented = re.findall(r"^(\w+) : ", section, re.MULTILINE)
    assert documented == list(inspect.signature(function).parameters)


def test_the_report_modules_import_without_docstrings():
    # python -OO strips docstrings: adding the Parameters section to None failed the import
    done = subprocess.run([sys.executable, "-OO", "-c", "import ktt.report.forecast, "
                           "ktt.report.backtest, ktt.report.units"], capture_output=True,
                          text=True, check=False)
    assert done.returncode == 0, done.stderr


def test_a_notebook_cell_shows_ktts_error_as_its_message_alone(tmp_path, capsys):
    # a misspelt indicator in kr.prepare's data file showed a dozen frames through ktt before
    # the message, which alone says what to do
    from IPython.core.interactiveshell import InteractiveShell

    path = tmp_path / "mine.csv"
    path.write_text("unit,year,indicator,value,source,quote\n"
                    "krong-bong,2023,htx_nwe,4,my-report,four\n", encoding="utf-8")
    shell = InteractiveShell.instance()
    result = shell.run_cell(f"import ktt\nktt.load_observations({str(path)!r})")
    assert isinstance(result.error_in_exec, ktt.DataError)
    shown = capsys.readouterr().out.strip()
    assert shown == f"DataError: {result.error_in_exec}"
    assert f"{path}:2: column 'indicator': unknown code 'htx_nwe'" in shown


def test_explore_lists_no_sources_of_a_file_without_a_sources_csv_but_says_how_to_write_one(
        tmp_path):
    # sources.csv is optional beside one's own figures; explore.ipynb's last cell failed on it
    # with "no such file; check the path, or write a blank form with `ktt template`"
    from ktt.report import explore

    path = tmp_path / "mine.csv"
    path.write_text("unit,year,indicator,value,source,quote\n"
                    "krong-bong,2023,htx_new,4,my-report,four\n", encoding="utf-8")
    assert len(explore.load(str(path))) == 1
    note = explore.sources(str(path)).data
    assert note.startswith(f"No `sources.csv` beside `{path}`")
    assert "`id,title,publisher,date,address`" in note
    (tmp_path / "sources.csv").write_text("id,title,publisher,date,address\n"
                                          "my-report,Báo cáo,UBND,2024-01-01,\n",
                                          encoding="utf-8")
    assert list(explore.sources(str(path))["id"]) == ["my-report"]


def test_the_public_api_is_listed_before_its_first_use():
    # analyst trial: in a fresh kernel, dir(ktt) and completion of "ktt." showed only the
    # error types, the lazy names (load_plan, forecast_targets...) not until first used
    code = ("import ktt; names = dir(ktt); "
            "assert set(ktt.__all__) <= set(names), sorted(set(ktt.__all__) - set(names)); "
            "assert all(n in ktt.__doc__ for n in ktt.__all__ if n[0] != '_' "
            "and not n.endswith('Error')), ktt.__doc__")
    subprocess.run([sys.executable, "-c", code], check=True)


@pytest.mark.parametrize("name", ["ktt.report.context.prepare", "ktt.report.backtest.prepare"])
def test_a_notebooks_readings_say_where_the_plans_readings_are_listed(name):
    # analyst trial: help(kr.prepare) gave one reading as an example and not where the
    # others, and their choices, are (ForecastOptions's docstring did)
    module, _, attribute = name.rpartition(".")
    doc = inspect.getdoc(getattr(importlib.import_module(module), attribute))
    section = doc.split("readings : dict", 1)[1].split("\n", 2)[1]
    assert "ktt.load_plan(plan).readings" in section
