"""Scenarios: named sets of notebook parameters, checked against the notebook itself."""

from __future__ import annotations

import ast
import hashlib
import io
import json
import math
import re
import shlex
import tokenize
from collections.abc import Callable
from functools import cache
from numbers import Integral, Real
from pathlib import Path
from typing import TYPE_CHECKING

import yaml

from ktt import config
from ktt.errors import ScenarioError, TargetError, closest_first, did_you_mean, existing

if TYPE_CHECKING:  # pandas only where a data file is read: the command's checks stay instant
    import pandas as pd

_KEYS = {"name", "description", "plan", "parameters"}
_REQUIRED = ("name", "description", "plan")
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
    except yaml.YAMLError:
        raise problem from None
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
    _check_values(parameters, notebook, where)
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


def _check_values(parameters: dict, notebook: Path, where: str) -> None:
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


def scenario_path(name_or_path: str) -> Path:
    """``baseline`` -> ``scenarios/baseline.yaml``; a path is taken as it is."""
    path = Path(name_or_path)
    if path.suffix in (".yaml", ".yml"):
        return path
    return config.SCENARIOS / f"{name_or_path}.yaml"


def scenario_file(name_or_path: str) -> Path:
    """The scenario file of a name or path (``scenario_path``), checked to exist.

    Raises
    ------
    ScenarioError
        For a file that does not exist, with the closest scenario and every one known.
    """
    return existing(scenario_path(name_or_path), "scenario", all_scenarios(), config.SCENARIOS,
                    ScenarioError)


def load_scenario(name_or_path: str, notebook: Path = config.FORECAST_NOTEBOOK
                  ) -> tuple[str, dict]:
    """Read a scenario file and check it against ``notebook`` and against its plan.

    A scenario names the plan it is written for (``plan:``, an id in ``plans/``); its
    ``readings`` parameter must be readings of that plan.

    Returns
    -------
    name : str
        The scenario's name (its file name without ``.yaml``).
    parameters : dict
        Notebook parameters, ``scenario`` and ``plan`` included.
    """
    path = scenario_file(name_or_path)
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except yaml.YAMLError as exc:
        raise ScenarioError(f"{path}: not valid YAML ({exc})") from None
    if not isinstance(raw, dict):
        raise ScenarioError(f"{path}: not a mapping; a scenario has {', '.join(sorted(_KEYS))}")
    unknown = set(raw) - _KEYS
    if unknown:
        raise ScenarioError(f"{path}: unknown key(s) {', '.join(sorted(unknown))}; a scenario "
                            f"has {', '.join(sorted(_KEYS))}")
    missing = [key for key in _REQUIRED[:2] if not raw.get(key)]
    if missing:
        raise ScenarioError(f"{path}: no {' and no '.join(missing)}; a scenario needs "
                            "name: (a short title) and description: (what it changes and why)")
    for key in _REQUIRED[:2]:
        _words(raw[key], key, path)
    parameters = dict(raw.get("parameters") or {})
    check_parameters(parameters, notebook, str(path))
    _check_values(parameters, notebook, str(path))  # a bad value is the file's, not the command's
    if "plan" in parameters:
        raise ScenarioError(f"{path}: name the plan with the top-level key plan:, not under "
                            "parameters")
    if not raw.get("plan"):
        from ktt.config import known_plans

        raise ScenarioError(f"{path}: no plan; name the plan the scenario is for, e.g. "
                            f"plan: {config.DEFAULT_PLAN} (known: {', '.join(known_plans())})")
    check_plan(raw["plan"], parameters.get("readings"), str(path))
    # a scenario file of one's own is named by its whole path: the report then reads its words,
    # records its hash, and `ktt verify` finds it again
    own = path.stem if path.resolve().parent == config.SCENARIOS.resolve() else str(path.resolve())
    return path.stem, {**parameters, "plan": raw["plan"], "scenario": own}


def report_name(name: str, scenario: dict, overrides: dict, notebook: Path) -> str:
    """A report's folder: ``name`` (the scenario's, or the user's data file's), after
    ``<plan>-`` when the overrides name another plan than the scenario's, and before what
    the other overrides change (``baseline-seed-7``, ``override_label``).

    Parameters
    ----------
    name : str
        The folder's stem.
    scenario : dict
        The scenario's parameters, its ``plan`` among them (``load_scenario``).
    overrides : dict
        The run's ``-p`` parameters.
    notebook : Path
        The notebook whose defaults apply.
    """
    plan = overrides.get("plan")
    if plan and plan != scenario["plan"]:
        name = f"{config.plan_path(plan).stem}-{name}"
    label = override_label(scenario, overrides, notebook)
    return f"{name}-{label}" if label else name


_LABEL_LENGTH = 60
"""Longest label ``override_label`` spells out; a longer one ends in a short hash instead."""


def override_label(scenario: dict, overrides: dict, notebook: Path) -> str:
    """The part of a report folder's name that says how a run departs from its scenario:
    ``seed-7`` for ``-p seed 7``, so that the run never replaces the scenario's own report.

    Parameters
    ----------
    scenario : dict
        The scenario's parameters (``load_scenario``); a parameter it does not set has the
        notebook's default.
    overrides : dict
        The run's ``-p`` parameters. ``plan`` is left out (it prefixes the name,
        ``<plan>-<scenario>``); ``data_path`` gives ``<its file's stem>-data``; a value equal
        to the scenario's changes nothing and is left out too.
    notebook : Path
        The notebook whose defaults apply.

    Returns
    -------
    str
        ``key-value`` pairs in the keys' order, joined by hyphens (empty when nothing
        changes): the same overrides give the same name in any order.
    """
    changed = changed_overrides(scenario, overrides, notebook)
    parts = []
    for key in sorted(changed.keys() - {"plan", "scenario"}):
        value = changed[key]
        # a data file's name ends in -data: "policy-push-baseline" would be taken for a
        # plan's report, which .gitignore commits
        text = f"{Path(value).stem}-data" if key == "data_path" else f"{key}-{_slug(value)}"
        parts.append(text)
    label = "-".join(parts)
    if len(label) > _LABEL_LENGTH:
        digest = hashlib.sha256(json.dumps(changed, sort_keys=True, default=str).encode())
        label = f"{label[:_LABEL_LENGTH - 9].rstrip('-')}-{digest.hexdigest()[:8]}"
    return label


def changed_overrides(scenario: dict, overrides: dict, notebook: Path) -> dict:
    """The overrides whose value differs from the scenario's, or from the notebook's default
    for a parameter the scenario does not set: ``-p seed 2020`` on the baseline changes
    nothing, and is neither injected nor named."""
    defaults = notebook_parameters(notebook)
    return {key: value for key, value in overrides.items()
            if value != scenario.get(key, defaults[key]["value"] if key in defaults else None)}


def report_command(parameters: dict, notebook: Path = config.FORECAST_NOTEBOOK
                   ) -> str:
    """The command that writes a report again from its parameters, as a shell takes it:
    ``ktt report <scenario>``, then ``--plan`` and a ``-p NAME VALUE`` for each parameter that
    departs from the scenario's (``changed_overrides``), then ``--notebook`` for another
    notebook than the forecast. A baseline on the user's own file is written as the README
    gives it, ``ktt report -p data_path FILE``, which names the folder after the file.

    Parameters
    ----------
    parameters : dict
        Every parameter the notebook ran with (papermill's record), ``scenario`` among them.
    notebook : Path
        The report's notebook.

    Returns
    -------
    str
        One line, each word quoted where a shell needs it (``-p readings '{...}'``).
    """
    scenario = parameters["scenario"]
    _, own = load_scenario(scenario, notebook)
    changed = changed_overrides(own, {k: v for k, v in parameters.items() if k != "scenario"},
                                notebook)
    words = ["ktt", "report"]
    if not (scenario == "baseline" and changed.get("data_path")):
        words.append(config.relative_path(Path(scenario)) if Path(scenario).is_absolute()
                     else scenario)
    if "plan" in changed:
        plan = Path(changed.pop("plan"))
        words += ["--plan", config.relative_path(plan) if plan.is_absolute() else str(plan)]
    for key, value in sorted(changed.items()):
        words += ["-p", key, parameter_text(value)]
    if notebook.stem != "forecast":
        words += ["--notebook", notebook.stem]
    return shlex.join(words)


def parameter_text(value: object) -> str:
    """A parameter's value as ``-p NAME VALUE`` takes it: ``true``/``false``, a mapping as
    JSON with its keys sorted, anything else as written."""
    return (str(value).lower() if isinstance(value, bool) else
            json.dumps(value, ensure_ascii=False, sort_keys=True) if isinstance(value, dict)
            else str(value))


def describe_scenarios() -> str:
    """Every scenario of ``scenarios/`` (``ktt report --list-scenarios``): its id and plan,
    its title in Vietnamese and English, its description in each on one line, and the
    parameters it sets.

    Raises
    ------
    ScenarioError
        For a scenario file ``load_scenario`` refuses, naming it and its problem.
    """
    blocks = []
    for name in all_scenarios():
        _, parameters = load_scenario(name)  # refuses a bad file before its words are read
        words = {lang: scenario_words(name, lang) for lang in LANGS}
        own = {k: v for k, v in parameters.items() if k not in ("plan", "scenario")}
        changes = (", ".join(f"{k} = {parameter_text(v)}" for k, v in sorted(own.items()))
                   or "nothing: the notebook's defaults")
        blocks.append(f"{name} (plan {parameters['plan']}): {words['vi'][0]} / "
                      f"{words['en'][0]}\n"
                      + "".join(f"  {lang}: {words[lang][1]}\n" for lang in LANGS)
                      + f"  sets: {changes}")
    return "\n".join(blocks)


def canonical(parameters: dict) -> dict:
    """``parameters`` with their keys sorted, in nested mappings too: papermill injects them in
    this order and records them sorted, so a rerun from the record injects the same cell."""
    return {key: canonical(value) if isinstance(value, dict) else value
            for key, value in sorted(parameters.items())}


def _slug(value) -> str:
    if isinstance(value, dict):
        value = "-".join(f"{k}-{v}" for k, v in sorted(value.items())) or "none"
    return re.sub(r"[^a-z0-9._]+", "-", str(value).lower()).strip("-") or "none"


LANGS = ("vi", "en")
"""The languages a scenario's name and description may be given in."""


def _words(value, key: str, where: Path) -> dict[str, str]:
    """A scenario's ``name`` or ``description`` in each language: a text serves both, a
    mapping gives one text per language (``{vi: ..., en: ...}``).

    Raises
    ------
    ScenarioError
        Naming ``where`` and the key, for a mapping without both languages or a value that is
        neither a text nor such a mapping.
    """
    if isinstance(value, str) and value.strip():
        return dict.fromkeys(LANGS, " ".join(value.split()))
    if isinstance(value, dict) and set(value) == set(LANGS) and all(
            isinstance(v, str) and v.strip() for v in value.values()):
        return {lang: " ".join(value[lang].split()) for lang in LANGS}
    raise ScenarioError(f"{where}: {key}: give a text, or a text per language as vi: and en: "
                        f"(e.g. {key}: {{vi: ..., en: ...}}); got {value!r}")


def scenario_words(name_or_path: str, lang: str) -> tuple[str, str, str]:
    """A scenario's name, description and plan, the name and description in ``lang``; the
    name, no description and no plan when there is no such file.

    Raises
    ------
    ScenarioError
        For a name or description of the wrong shape (``load_scenario`` refuses it first).
    """
    path = scenario_path(name_or_path)
    if not path.is_file():
        return str(name_or_path), "", ""
    raw = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    title = _words(raw.get("name") or path.stem, "name", path)[lang]
    description = _words(raw["description"], "description", path)[lang] \
        if raw.get("description") else ""
    return title, description, str(raw.get("plan") or "")


def check_plan(plan: str, readings: dict | None, where: str) -> None:
    """Check that ``plan`` loads and that ``readings`` are readings of it.

    Raises
    ------
    ScenarioError
        Naming ``where`` and the plan's problem.
    """
    from ktt.inputs.targets import load_plan

    try:
        targets = load_plan(plan)
    except TargetError as exc:
        raise ScenarioError(f"{where}: plan {plan}: {exc}") from None
    try:
        targets.choose(readings, where=f"{where}: parameter readings (plan {plan})")
    except TargetError as exc:
        raise ScenarioError(str(exc)) from None


def check_unit(parameters: dict, frame: pd.DataFrame | None, default: Path | None = None
               ) -> None:
    """Refuse a report on a data file (``data_path``, its figures ``frame`` as
    ``check_ranges`` returns them; or, without ``data_path``, the file ``default`` that a
    report reads in its place) that holds no figure for the report's unit (``unit``, or the
    plan's), nor for the units that took over from it (``data/units.csv``): a mistyped unit id
    would otherwise give a report whose every target is unknown.

    Raises
    ------
    ScenarioError
        Naming the file, the unit and the units the file does hold (the closest first), or
        saying the file holds no figure yet.
    """
    path = parameters.get("data_path") or default
    if frame is None or path is None:
        return
    from ktt.inputs.targets import load_plan
    from ktt.inputs.units import load_units, successors_on_record

    held = sorted(set(frame["unit"]))
    if not held:
        raise ScenarioError(f"{path}: holds no figure yet; fill in the value column for the "
                            f"years you know, then check it with `ktt validate {path}`")
    unit = parameters.get("unit") or load_plan(parameters["plan"]).unit
    if unit in held or successors_on_record(load_units(), unit, held):
        return
    # the closest first: most often the same id mistyped in the file or on the command line
    held = closest_first(unit, held)
    fix = ("Correct the file's unit column, or give -p unit with one of these" if
           parameters.get("data_path") else "A report without data_path reads this file; give -p "
           "unit with one of these, or -p data_path with a file of the unit's figures")
    raise ScenarioError(f"{path}: no figure for unit '{unit}'; the file holds figures for "
                        f"{', '.join(held)}. {fix}")


def all_scenarios() -> list[str]:
    """Names of every scenario in ``scenarios/``."""
    return sorted(p.stem for p in config.SCENARIOS.glob("*.yaml"))
