"""The forecast report's context: the notebook's parameters loaded, checked and forecast once
(``prepare``) into everything the report's cells show (``Context``), the forecast read from the
disk cache when the same one was made before (``forecast_of``)."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
import yaml

from ktt import config
from ktt.calibration.suite import SuiteRecord, load_suite
from ktt.errors import TargetError
from ktt.forecasting.cache import cached
from ktt.forecasting.forecast import Forecast, ForecastOptions, forecast_targets
from ktt.forecasting.options import options_from
from ktt.inputs.data import load_observations
from ktt.inputs.loading import Inputs, load_inputs
from ktt.inputs.parameters import document_parameters
from ktt.inputs.targets import TargetSet
from ktt.inputs.units import load_units
from ktt.report.comparison import beside
from ktt.report.provenance import code_record
from ktt.report.strings import text


@dataclass(frozen=True)
class Context:
    """Everything a report shows, computed once."""

    parameters: dict
    """The notebook's parameters as given."""
    data_path: Path
    """Observations file used."""
    sha256: str
    """SHA-256 of the observations file."""
    synthetic: bool
    """Whether the data holds synthetic figures."""
    targets: TargetSet
    """The plan's targets."""
    forecast: Forecast
    """Facts, probabilities and fans."""
    lang: str
    """``vi`` or ``en``."""
    published: pd.DataFrame
    """The unit's figures beside its province's and country's
    (``ktt.report.comparison.beside``)."""
    inputs: Inputs | None = field(default=None, repr=False, compare=False)
    """The data and plan loaded (``load_inputs``), which the baseline's forecast shares."""
    code: dict[str, str] = field(default_factory=code_record, repr=False, compare=False)
    """``code_record``, asked of git once for the provenance table and ``summary.json``."""
    alternatives: pd.DataFrame = field(default_factory=pd.DataFrame, repr=False,
                                       compare=False)
    """The unit's figures that other publishers give and the loader did not keep, each beside
    the one kept (``ktt.inputs.data.load_alternatives``)."""
    suite: SuiteRecord | None = field(default=None, repr=False, compare=False)
    """The saved calibration suite (``make calibration``), whose findings the target table's
    note gives; None when never saved."""


def notebook_inputs(values: dict) -> tuple[dict, Inputs]:
    """A report notebook's parameters, as its entry function (``prepare``) was given them,
    with its readings as a mapping, and the data and plan they name (``load_inputs``).

    Raises
    ------
    ValueError
        For a language the report is not written in, before anything is read.
    TargetError
        For readings that are not a mapping (``_mapping``).
    """
    text("title", values["lang"])  # fails early, naming the valid languages
    readings = _mapping(values["readings"])
    parameters = {**values, "readings": readings}
    return parameters, load_inputs(values["data_path"], values["plan"], values["unit"],
                                   readings)


def _mapping(readings: object) -> dict:
    """The ``readings`` parameter as a mapping: papermill's ``-p readings '{...}'`` hands the
    notebook a text, which is read as YAML or JSON as ``ktt report -p`` reads it (``dict()``
    of a text failed with "dictionary update sequence element #0 has length 1").

    Raises
    ------
    TargetError
        For a value that is not a mapping, with the spelling that works.
    """
    value = readings
    if isinstance(readings, str):
        try:
            value = yaml.safe_load(readings)
        except yaml.YAMLError:
            value = readings
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise TargetError(
            f"readings = {readings!r} should be a mapping of the plan's readings to their "
            "values, such as {formation_reading: mean} (ktt.load_plan(plan).readings lists "
            "them); with papermill: -p readings '{formation_reading: mean}' or -y "
            "'readings: {formation_reading: mean}'")
    return dict(value)


def prepare(*, data_path: str = "", plan: str = config.DEFAULT_PLAN, unit: str = "",
            as_of: int = 0, model: str = "auto", n_paths: int = 4000, seed: int = 2020,
            pooling: str = "none", readings: dict | None = None,
            extra_foundings_per_year: float = 0.0, extra_from_year: int = 0,
            dormant_dissolved: int = 0, dissolution_year: int = 0,
            extra_households_per_year: float = 0.0, enrolment_from_year: int = 0,
            lang: str = "vi", scenario: str = "baseline", base_year: int = 0) -> Context:
    """Load, validate and forecast from the notebook's parameters (0 or "" mean the default;
    ``readings`` maps a reading of the plan to its value, the plan's default for the rest;
    ``base_year`` is the official progress classes' base year, 0 for the plan's)."""
    parameters, inputs = notebook_inputs(dict(locals()))
    forecast = forecast_of(inputs, options_from(parameters))
    published = beside(forecast.history, inputs.unit, load_observations(config.OBSERVATIONS),
                       load_units(), lang)
    others = inputs.alternatives
    return Context(parameters, inputs.path, inputs.sha256, inputs.synthetic, inputs.targets,
                   forecast, lang, published, inputs,
                   alternatives=others[others["unit"] == inputs.unit], suite=load_suite())


document_parameters(prepare, config.FORECAST_NOTEBOOK)


def forecast_of(inputs: Inputs, options: ForecastOptions) -> Forecast:
    """``forecast_targets`` of the inputs, read from the disk cache (``ktt.forecasting.cache``,
    kind ``forecast``) when the same figures, plan, unit, units table, options and code made
    one before: a scenario report forecasts its baseline too (``baseline_of``), which the
    baseline's report, or another scenario's, has already stored."""
    return cached(_forecast, inputs.observations, inputs.targets, inputs.unit, options,
                  load_units(), kind="forecast")


def _forecast(observations: pd.DataFrame, targets: TargetSet, unit: str,
              options: ForecastOptions, units: pd.DataFrame) -> Forecast:
    """``forecast_targets`` with the figures first, the argument ``cached`` hashes by value."""
    return forecast_targets(targets, observations, unit, options, units)
