"""A report's inputs, loaded as its notebook reads them: the plan (an id or a YAML path), the
observations file (the user's, or the default the unit's targets need) and what identifies
them. Light enough to check a report's parameters before its kernel starts."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from ktt import config
from ktt.config import plan_path
from ktt.inputs.data import load_with_alternatives
from ktt.inputs.example import default_data, is_synthetic
from ktt.inputs.indicators import derive
from ktt.inputs.parameters import check_unit
from ktt.inputs.targets import TargetSet, load_plan
from ktt.inputs.units import load_units


def resolve_path(path: str, default: Path) -> Path:
    """A notebook path parameter: empty means ``default``; relative is from the project root."""
    if not path:
        return default
    path = Path(path)
    return path if path.is_absolute() else config.ROOT / path


@dataclass(frozen=True)
class Inputs:
    """A report's data and plan, loaded and validated, with what identifies them."""

    unit: str
    """Unit id: the one asked for, or the plan's."""
    path: Path
    """Observations file used."""
    observations: pd.DataFrame
    """Its validated figures."""
    sha256: str
    """SHA-256 of the file."""
    synthetic: bool
    """Whether it holds synthetic figures."""
    targets: TargetSet
    """The plan's targets."""
    alternatives: pd.DataFrame = field(default_factory=pd.DataFrame, repr=False,
                                       compare=False)
    """The file's figures that another publisher gives and the loader did not keep, each
    beside the one kept (``ktt.inputs.data.load_alternatives``)."""


def plan_file(plan: str) -> Path:
    """The YAML file of the notebook's ``plan`` parameter: an id in ``plans/``, or a path
    (relative to the project root)."""
    return (resolve_path(plan, config.TARGETS) if Path(plan).suffix in (".yaml", ".yml")
            else plan_path(plan))


def file_sha256(path: Path) -> str:
    """SHA-256 of a file's bytes, in hexadecimal."""
    return hashlib.sha256(path.read_bytes()).hexdigest()


def load_inputs(data_path: str, plan: str, unit: str, readings: dict | None = None) -> Inputs:
    """Load the notebook's plan and data: ``plan`` an id in ``plans/`` or a YAML path
    (relative to the project root), ``unit`` empty for the plan's, ``data_path`` empty for the
    default (``ktt.inputs.example.default_data``); ``readings`` are checked against the plan.

    Raises
    ------
    ScenarioError
        When the file read (the user's, or the default) holds no figure for the unit nor for
        the units that took over from it (``ktt.inputs.parameters.check_unit``).
    """
    targets = load_plan(plan_file(plan))
    targets.choose(readings, where="parameter readings")
    unit = unit or targets.unit
    path = resolve_path(data_path, default_data(unit, targets.indicators()))
    # derived once, with the sums of the successors of a unit that ended (data/units.csv)
    kept, alternatives = load_with_alternatives(path)
    observations = derive(kept, load_units())
    # a unit the file does not hold would answer every target NaN
    check_unit({"data_path": data_path, "unit": unit}, observations,
               default=None if data_path else path.relative_to(config.ROOT))
    return Inputs(unit, path, observations, file_sha256(path), is_synthetic(observations),
                  targets, alternatives)
