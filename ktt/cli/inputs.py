"""The plan and the observations a modelling command (``status``, ``backtest``) reads from
its options."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import pandas as pd

    from ktt.inputs.targets import TargetSet


def plan_and_record(args: argparse.Namespace) -> tuple[pd.DataFrame, TargetSet]:
    """The plan ``--plan`` names and the observations ``--data`` names (default: the record
    when it holds figures of the plan's indicators for the unit, else the synthetic example);
    ``--unit`` defaults to the plan's unit. The observations come derived, with the sums of
    the successors of a unit that ended (``data/units.csv``)."""
    import yaml

    from ktt.inputs.data import current_year, load_observations
    from ktt.inputs.example import default_data
    from ktt.inputs.indicators import derive
    from ktt.inputs.targets import load_plan
    from ktt.inputs.units import load_units

    targets = load_plan(args.plan)
    args.unit = args.unit or targets.unit
    args.data = args.data or default_data(args.unit, targets.indicators())
    args.readings = {**getattr(args, "scenario_readings", {}),
                     **{name: yaml.safe_load(value) for name, value in args.reading}}
    targets.choose(args.readings, where="--reading")
    args.units = load_units()
    observations = load_observations(args.data, this_year=current_year())
    return derive(observations, args.units), targets
