"""Scenarios: named sets of notebook parameters in ``scenarios/<name>.yaml``, checked against the
notebook itself (``ktt.inputs.parameters``) and against their plan; a report's folder name and
the command that writes it again."""

from __future__ import annotations

import hashlib
import json
import re
import shlex
from pathlib import Path

import yaml

from ktt import config
from ktt.errors import ScenarioError, TargetError, existing
from ktt.inputs.parameters import (
    check_parameters,
    check_values,
    notebook_parameters,
    parameter_text,
)

_KEYS = {"name", "description", "plan", "parameters"}

_REQUIRED = ("name", "description", "plan")



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
    check_values(parameters, notebook, str(path))  # a bad value is the file's, not the command's
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



def all_scenarios() -> list[str]:
    """Names of every scenario in ``scenarios/``."""
    return sorted(p.stem for p in config.SCENARIOS.glob("*.yaml"))
