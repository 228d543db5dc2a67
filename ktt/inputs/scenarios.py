"""Scenarios: named sets of notebook parameters, checked against the notebook itself."""

from __future__ import annotations

import ast
from functools import cache
from pathlib import Path

import papermill
import yaml

from ktt import config
from ktt.errors import ScenarioError, TargetError
from ktt.inputs.targets import known_plans, load_plan

_KEYS = {"name", "description", "plan", "parameters"}
_TYPES = {"int": (int,), "float": (int, float), "str": (str,), "bool": (bool,), "dict": (dict,)}


@cache
def notebook_parameters(notebook: Path) -> dict[str, dict]:
    """The notebook's parameters (name -> papermill's description: type, default, help)."""
    return dict(papermill.inspect_notebook(str(notebook)))


def check_parameters(parameters: dict, notebook: Path, where: str) -> dict:
    """Reject a parameter the notebook does not have, or a value of the wrong type.

    Raises
    ------
    ScenarioError
        Naming ``where`` (the file or the command line) and the key.
    """
    known = notebook_parameters(notebook)
    for key, value in parameters.items():
        if key not in known:
            raise ScenarioError(f"{where}: unknown parameter '{key}'; {notebook.name} has "
                                f"{', '.join(known)}")
        # papermill infers a type only from an annotation; the literal default tells it here.
        expected = type(ast.literal_eval(known[key]["default"])).__name__
        types = _TYPES.get(expected, (object,))
        if (isinstance(value, bool) and expected != "bool") or not isinstance(value, types):
            raise ScenarioError(f"{where}: parameter '{key}' = {value!r} should be {expected}, "
                                f"like its default {known[key]['default']}")
    return parameters


def scenario_path(name_or_path: str) -> Path:
    """``baseline`` -> ``scenarios/baseline.yaml``; a path is taken as it is."""
    path = Path(name_or_path)
    if path.suffix in (".yaml", ".yml"):
        return path
    return config.SCENARIOS / f"{name_or_path}.yaml"


def load_scenario(name_or_path: str, notebook: Path = config.NOTEBOOKS / "forecast.ipynb"
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
    path = scenario_path(name_or_path)
    if not path.is_file():
        known = ", ".join(sorted(p.stem for p in config.SCENARIOS.glob("*.yaml")))
        raise ScenarioError(f"{path}: no such scenario; known: {known}")
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except yaml.YAMLError as exc:
        raise ScenarioError(f"{path}: not valid YAML ({exc})") from None
    unknown = set(raw) - _KEYS
    if unknown:
        raise ScenarioError(f"{path}: unknown key(s) {', '.join(sorted(unknown))}; a scenario "
                            f"has {', '.join(sorted(_KEYS))}")
    parameters = dict(raw.get("parameters") or {})
    check_parameters(parameters, notebook, str(path))
    if "plan" in parameters:
        raise ScenarioError(f"{path}: name the plan with the top-level key plan:, not under "
                            "parameters")
    if not raw.get("plan"):
        raise ScenarioError(f"{path}: no plan; name the plan the scenario is for, e.g. "
                            f"plan: {config.DEFAULT_PLAN} (known: {', '.join(known_plans())})")
    check_plan(raw["plan"], parameters.get("readings"), str(path))
    return path.stem, {**parameters, "plan": raw["plan"], "scenario": path.stem}


def check_plan(plan: str, readings: dict | None, where: str) -> None:
    """Check that ``plan`` loads and that ``readings`` are readings of it.

    Raises
    ------
    ScenarioError
        Naming ``where`` and the plan's problem.
    """
    try:
        targets = load_plan(plan)
    except TargetError as exc:
        raise ScenarioError(f"{where}: plan {plan}: {exc}") from None
    try:
        targets.choose(readings, where=f"{where}: parameter readings (plan {plan})")
    except TargetError as exc:
        raise ScenarioError(str(exc)) from None


def all_scenarios() -> list[str]:
    """Names of every scenario in ``scenarios/``."""
    return sorted(p.stem for p in config.SCENARIOS.glob("*.yaml"))
