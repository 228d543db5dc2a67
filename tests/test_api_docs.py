"""The public API's docstrings: what help() shows an analyst in a notebook."""

from __future__ import annotations

import inspect
import re

import pytest

import ktt

FUNCTIONS = [name for name in ktt.__all__ if inspect.isfunction(getattr(ktt, name))]


@pytest.mark.parametrize("name", FUNCTIONS)
def test_every_public_function_documents_each_parameter(name):
    # numpydoc: a Parameters section naming every argument, as help(ktt.series) should show
    function = getattr(ktt, name)
    doc = inspect.getdoc(function) or ""
    assert "\nParameters\n----------\n" in doc, f"ktt.{name} has no Parameters section"
    section = doc.split("\nParameters\n----------\n", 1)[1]
    missing = [p for p in inspect.signature(function).parameters
               if not re.search(rf"^(\w+, )*{p}\b", section, re.MULTILINE)]
    assert missing == [], f"ktt.{name} does not document {missing}"
