"""The public API's docstrings: what help() shows an analyst in a notebook."""

from __future__ import annotations

import importlib
import inspect
import re

import pytest

import ktt

FUNCTIONS = [name for name in ktt.__all__ if inspect.isfunction(getattr(ktt, name))]
# a notebook's one call into the library, documented from its parameters cell
ENTRIES = ["ktt.report.forecast.prepare", "ktt.report.units.prepare",
           "ktt.report.backtest.prepare"]


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
