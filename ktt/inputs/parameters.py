"""A report's parameters: the notebook's own (read from its cell tagged ``parameters``), what each
takes, and the checks of a run's values, from a scenario file or the command line, against them."""

from __future__ import annotations

import ast
import io
import json
import math
import tokenize
from collections.abc import Callable
from functools import cache
from numbers import Integral, Real
from pathlib import Path
from typing import TYPE_CHECKING

import yaml

from ktt import config
from ktt.errors import ScenarioError, closest_first, did_you_mean

if TYPE_CHECKING:  # pandas only where a data file is read: the command's checks stay instant
    import pandas as pd

_TYPES = {"int": (int,), "float": (int, float), "str": (str,), "bool": (bool,), "dict": (dict,)}

MODEL_NAMES = ("auto", "poisson", "negbin", "recent_mean", "rate_walk", "log_drift",
               "linear_drift", "damped_drift", "last_stock", "binomial", "beta", "logit_normal",
               "mean_reverting", "last_value")
"""``auto`` and every model of ``ktt.models.fit.MODELS`` (named here so that checking them
needs no statsmodels; a test keeps the two equal)."""

POOLING = ("none", "province")

LEVERS = {"extra_foundings_per_year": ("organizations", "extra_from_year"),
          "dormant_dissolved": ("organizations", "dissolution_year"),
          "extra_households_per_year": ("households", "enrolment_from_year")}
"""The scenario levers that are amounts: what each counts (for messages) and the parameter
that gives its first year (0 or None: the year after the as-of year)."""

YEAR_SETTINGS = ("as_of", "base_year", *(year for _, year in LEVERS.values()))
"""The settings that are years, whose 0 in a report's parameters (None in ``ForecastOptions``)
is their default."""

CHOICES = {"lang": ("vi", "en"), "pooling": POOLING, "model": MODEL_NAMES}
"""The settings that take one of a few words, and those words."""

MAX_PATHS = 200_000
"""Most simulated paths a forecast takes (``n_paths``, ``--paths``). The paths are held in
memory at once (arrays of paths by years; the rate walk's draw of a starting state holds its 80
states a path, twice), about 1.5 kB a path at the peak: 0.5 GB at this many (measured on the
district's baseline with ``model="rate_walk"``, its largest), where 10**11 paths ended in a
MemoryError inside a notebook cell. More would change no figure a report shows: a
probability's sampling error, at most 0.5 / sqrt(n_paths), is 0.0011 here, under the 0.005
that its two decimals round away."""

MAX_PATHS_MEMORY = "about 0.5 GB"
"""The memory a forecast of ``MAX_PATHS`` paths takes at its peak, in words, for messages."""

LEAST = {"n_paths": 1, "seed": 0}
"""The settings that take a whole number, and the least each takes (``n_paths`` also takes at
most ``MAX_PATHS``)."""



def value_problem(name: str, value: object) -> str | None:
    """What is wrong with a setting's value, in words that follow ``<name> = <value>``
    (``; give a whole number of at least 1``), or None when it is right or not one of the
    settings checked here (``CHOICES``, ``LEAST``, ``LEVERS``, ``YEAR_SETTINGS``).

    One check for a report's parameters (``check_ranges``) and a library call's
    ``ForecastOptions``, so that both refuse the same values in the same words."""
    if name in CHOICES and value not in CHOICES[name]:
        hint = did_you_mean(value, CHOICES[name]) if isinstance(value, str) else ""
        return f"; {hint}use one of {', '.join(CHOICES[name])}"
    if name in LEAST:
        span = (f"from 1 to {MAX_PATHS}" if name == "n_paths" else f"of at least {LEAST[name]}")
        if isinstance(value, bool) or not isinstance(value, Integral) or value < LEAST[name]:
            return f"; give a whole number {span}"
        if name == "n_paths" and value > MAX_PATHS:
            return (f" is more than {MAX_PATHS}, the most a forecast simulates: its paths are "
                    f"held in memory at once ({MAX_PATHS_MEMORY} at {MAX_PATHS}), and more would "
                    f"change no probability a report shows to two decimals; give a whole number "
                    f"{span}")
    if name in YEAR_SETTINGS and value is not None and (isinstance(value, bool)
                                                       or not isinstance(value, Integral)):
        # ForecastOptions(as_of="2024") failed in numpy's comparison of a year with text
        return " is not a year; give a whole number such as 2025, or none for the default"
    if name in LEVERS:
        what = LEVERS[name][0]
        # NaN would make every path NaN, which no target meets (a probability of 0, said as a
        # forecast); a negative amount would give counts below zero
        if isinstance(value, bool) or not isinstance(value, Real) or not math.isfinite(value):
            return f" is not a number; give 0 for no scenario, or a number of {what} above 0"
        if value < 0:
            return f" is negative; give 0 for no scenario, or a number of {what} above 0"
    return None



@cache
def _parameters_of(notebook: Path, mtime: float) -> dict[str, dict]:
    cells = json.loads(Path(notebook).read_text(encoding="utf-8"))["cells"]
    cell = next((c for c in cells if "parameters" in c.get("metadata", {}).get("tags", [])),
                None)
    if cell is None:
        return {}
    source = "".join(cell["source"])
    comments = {tok.start[0]: tok.string.lstrip("#").strip()
                for tok in tokenize.generate_tokens(io.StringIO(source).readline)
                if tok.type == tokenize.COMMENT}
    found = {}
    for node in ast.parse(source).body:
        if isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
            name, annotation = node.target.id, ast.unparse(node.annotation)
        elif isinstance(node, ast.Assign) and isinstance(node.targets[0], ast.Name):
            name, annotation = node.targets[0].id, None
        else:
            continue
        default = ast.literal_eval(node.value)
        found[name] = {"name": name, "default": ast.get_source_segment(source, node.value),
                       "type": annotation or type(default).__name__,
                       "help": comments.get(node.lineno, ""), "value": default}
    return found



def notebook_parameters(notebook: Path) -> dict[str, dict]:
    """The notebook's parameters: name -> ``name``, ``type`` (its annotation, as papermill
    reads it), ``default`` (the source text), ``value`` (the default itself) and ``help`` (the
    comment on its line).

    Read from the cell tagged ``parameters`` with ``ast`` (without importing papermill or
    nbformat, so that a wrong parameter is refused at once)."""
    notebook = Path(notebook)
    return _parameters_of(notebook, notebook.stat().st_mtime)



def document_parameters(function: Callable, notebook: Path) -> None:
    """Append to the docstring of the notebook's entry function (``ktt.report.context.prepare``)
    a numpydoc ``Parameters`` section of the notebook's parameters (``notebook_parameters``),
    which the function takes: each one's type, default and the comment on its line, so that
    ``help()`` in a notebook, ``ktt report --list-parameters`` and the parameters cell say the
    same. Nothing under ``python -OO``, which leaves no docstring to add to."""
    if function.__doc__ is None:
        return
    lines = ["Parameters", "----------"]
    for name, p in notebook_parameters(notebook).items():
        lines += [f"{name} : {p['type']}, default {p['default']}", f"    {p['help']}"]
    # a blank line first: numpydoc reads a section only after one
    function.__doc__ = (function.__doc__.rstrip() + "\n\n"
                        + "\n".join(f"    {line}" for line in lines) + "\n")



def _scenario_set(where: str) -> ScenarioError:
    """A run's ``scenario`` parameter is the scenario it runs: set by hand, a report would
    show one scenario's name and words over another's parameters, in the other's folder."""
    return ScenarioError(f"{where}: parameter 'scenario' is the name of the scenario the report "
                         "runs, set from it so that the report's title, words and record match "
                         "its parameters; name the scenario itself instead (ktt report "
                         "policy-push, or a YAML file of your own)")



def _unknown(key: str, known: dict, notebook: Path, where: str) -> ScenarioError:
    return ScenarioError(f"{where}: unknown parameter '{key}'; {did_you_mean(key, known)}"
                         f"{notebook.name} has "
                         f"{', '.join(known)}")



def check_parameters(parameters: dict, notebook: Path, where: str) -> dict:
    """Reject a parameter the notebook does not have (with the closest name), ``scenario``
    (the scenario run names it), or a value of the wrong type.

    Raises
    ------
    ScenarioError
        Naming ``where`` (the file or the command line) and the key.
    """
    known = notebook_parameters(notebook)
    for key, value in parameters.items():
        if key not in known:
            raise _unknown(key, known, notebook, where)
        if key == "scenario":
            raise _scenario_set(where)
        expected = known[key]["type"]
        types = _TYPES.get(expected, (object,))
        if (isinstance(value, bool) and expected != "bool") or not isinstance(value, types):
            raise ScenarioError(f"{where}: parameter '{key}' = {value!r} should be {expected}, "
                                f"like its default {known[key]['default']}")
    return parameters



def convert_parameter(name: str, text: str, notebook: Path) -> object:
    """A ``-p NAME VALUE`` from the command line, converted to the type of the notebook's
    parameter: ``int`` and ``float`` as numbers, ``bool`` from ``true`` or ``false`` only,
    ``str`` as typed, ``dict`` as a YAML or JSON mapping.

    Raises
    ------
    ScenarioError
        For an unknown name (with the closest one), ``scenario``, or a value that is not of
        the type.
    """
    known = notebook_parameters(notebook)
    if name not in known:
        raise _unknown(name, known, notebook, "command line")
    if name == "scenario":
        raise _scenario_set("command line")
    expected = known[name]["type"]
    problem = ScenarioError(f"command line: parameter '{name}' = {text!r} should be {expected}, "
                            f"like its default {known[name]['default']}")
    if expected == "str":
        return text
    if expected == "bool":
        if text.lower() in ("true", "false"):
            return text.lower() == "true"
        raise problem
    if expected in ("int", "float"):
        try:
            return int(text) if expected == "int" else float(text)
        except ValueError:
            raise problem from None
    try:
        value = yaml.safe_load(text)
    except yaml.YAMLError as error:
        # "should be dict" of '{a: b' sent the user looking for another type, not the brace
        mark = getattr(error, "problem_mark", None)
        at = f" at character {mark.column + 1}" if mark is not None else ""
        raise ScenarioError(f"command line: parameter '{name}' = {text!r} cannot be read as "
                            f"YAML or JSON{at} ({getattr(error, 'problem', None) or error}); "
                            f"write it like {{formation_reading: mean}}, in quotes "
                            "for the shell") from None
    if expected == "dict" and not isinstance(value, dict):
        raise problem
    return value



def check_ranges(parameters: dict, notebook: Path, where: str) -> pd.DataFrame | None:
    """Values the notebook would refuse only once its kernel runs: a language, a model, a
    pooling, a count of paths or a seed out of range, a data file that does not validate.

    Returns
    -------
    pandas.DataFrame or None
        The data file's figures (``ktt.inputs.data.check_observations``) when ``data_path``
        names one; None otherwise.

    Raises
    ------
    ScenarioError
        For a value out of range.
    DataError
        For a data file with problems (every problem, one a line).
    """
    check_values(parameters, notebook, where)
    if not parameters.get("data_path"):
        return None
    from ktt.inputs.data import check_observations, current_year
    from ktt.inputs.loading import resolve_path

    # read as the notebook reads it: a relative path from the project's root
    frame, problems = check_observations(resolve_path(parameters["data_path"], config.DATA),
                                         this_year=current_year())
    if problems:
        from ktt.errors import DataError

        raise DataError(problems)
    return frame



def check_values(parameters: dict, notebook: Path, where: str) -> None:
    """``check_ranges`` without the data file: the values themselves."""
    known = notebook_parameters(notebook)
    for key, value in parameters.items():
        problem = value_problem(key, value) if key in known else None
        if problem:
            raise ScenarioError(f"{where}: parameter '{key}' = {value!r}{problem}")
    for key in YEAR_SETTINGS:
        value = parameters.get(key)
        if key in known and value and not 1900 <= value <= 2100:
            raise ScenarioError(f"{where}: parameter '{key}' = {value!r} is not a year; write "
                                "four digits such as 2025, or 0 for the default")



def describe_parameters(notebook: Path) -> str:
    """One line per parameter: name, type, default and comment (``ktt report
    --list-parameters``)."""
    known = notebook_parameters(notebook)
    width = max(len(f"{p['name']}: {p['type']} = {p['default']}") for p in known.values())
    return "\n".join(f"{(p['name'] + ': ' + p['type'] + ' = ' + p['default']):<{width}}  "
                     f"{p['help']}" for p in known.values())



def parameter_text(value: object) -> str:
    """A parameter's value as ``-p NAME VALUE`` takes it: ``true``/``false``, a mapping as
    JSON with its keys sorted, anything else as written."""
    return (str(value).lower() if isinstance(value, bool) else
            json.dumps(value, ensure_ascii=False, sort_keys=True) if isinstance(value, dict)
            else str(value))



def canonical(parameters: dict) -> dict:
    """``parameters`` with their keys sorted, in nested mappings too: papermill injects them in
    this order and records them sorted, so a rerun from the record injects the same cell."""
    return {key: canonical(value) if isinstance(value, dict) else value
            for key, value in sorted(parameters.items())}



def check_unit(parameters: dict, frame: pd.DataFrame | None, default: Path | None = None
               ) -> None:
    """Refuse a report on a data file (``data_path``, its figures ``frame`` as
    ``check_ranges`` returns them; or, without ``data_path``, the file ``default`` that a
    report reads in its place) that holds no figure for the report's unit (``unit``, or the
    plan's), nor for the units that took over from it (``data/units.csv``): a mistyped unit id
    would otherwise give a report whose every target is unknown. Nor, where it does, figures
    under a near miss of its id (``ktt.inputs.units.check_no_mistyped_unit``).

    Raises
    ------
    ScenarioError
        Naming the file, the unit and the units the file does hold (the closest first), or
        saying the file holds no figure yet.
    KttError
        Naming the mistyped id, its years and the unit it is close to.
    """
    path = parameters.get("data_path") or default
    if frame is None or path is None:
        return
    from ktt.inputs.targets import load_plan
    from ktt.inputs.units import check_no_mistyped_unit, load_units, successors_on_record

    held = sorted(set(frame["unit"]))
    if not held:
        raise ScenarioError(f"{path}: holds no figure yet; fill in the value column for the "
                            f"years you know, then check it with `ktt validate {path}`")
    unit = parameters.get("unit") or load_plan(parameters["plan"]).unit
    units = load_units()
    check_no_mistyped_unit(unit, frame, units, path)
    if unit in held or successors_on_record(units, unit, held):
        return
    # the closest first: most often the same id mistyped in the file or on the command line
    held = closest_first(unit, held)
    fix = ("Correct the file's unit column, or give -p unit with one of these" if
           parameters.get("data_path") else "A report without data_path reads this file; give -p "
           "unit with one of these, or -p data_path with a file of the unit's figures")
    raise ScenarioError(f"{path}: no figure for unit '{unit}'; the file holds figures for "
                        f"{', '.join(held)}. {fix}")
