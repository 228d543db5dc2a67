"""Every target of a unit at once: fit each indicator once, simulate, assess.

This is the one entry point the command line and the notebooks call.
"""

from __future__ import annotations

import dataclasses
import html
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from ktt.errors import KttError
from ktt.forecasting.attainment import as_table, assess
from ktt.forecasting.backtest import Backtest, run_backtest
from ktt.forecasting.cache import cached
from ktt.forecasting.model_choice import ModelChoice, choose_models
from ktt.forecasting.options import (
    ForecastOptions,
    active_organizations,
    check_options,
    farm_households,
)
from ktt.forecasting.progress import classify, yearly_count
from ktt.forecasting.streams import stream
from ktt.inputs.catalog import kind_of
from ktt.inputs.example import synthetic_units
from ktt.inputs.indicators import derive, floors, series
from ktt.inputs.targets import TargetSet, check_arguments, derived_facts
from ktt.inputs.units import check_unit_known, level_of, load_units
from ktt.models.counts import rate_prior
from ktt.models.fit import (
    AUTO_CANDIDATES,
    MODELS,
    FittedModel,
    interval_table,
    mix,
)
from ktt.models.indicator import POOLED, fit_indicator

FORMATION = ("orgs_new", "htx_new")
"""Indicators that a scenario's extra foundings add to."""
BACKTEST_PATHS = 1000
"""Most paths per fit when ``model="auto"`` backtests the models to choose one."""


def _requested(model: str, kind: str) -> str:
    """A model name applies to its own family; the other families use ``auto``."""
    return model if model in MODELS[kind] else "auto"


@dataclass(frozen=True)
class Forecast:
    """Facts, probabilities and fan-chart intervals for one unit."""

    unit: str
    """Unit id."""
    as_of: int
    """Last year treated as known."""
    table: pd.DataFrame
    """One row per target: the facts of ``ktt.inputs.targets.evaluate`` and the assessment."""
    # the fits, figures and backtest are left out of the repr: with them, ``result`` alone in a
    # notebook cell printed some 68,000 characters of the models' posterior grids
    fits: dict[str, FittedModel] = field(repr=False)
    """Fitted model per indicator."""
    fans: pd.DataFrame = field(repr=False)
    """``indicator, year, median, lo80, hi80, lo95, hi95`` for the years after ``as_of``."""
    history: pd.DataFrame = field(repr=False)
    """The unit's figures, derived indicators included."""
    settings: dict = field(default_factory=dict)
    """Model, pooling, paths, seed, readings and scenario adjustments used."""
    choices: dict[str, ModelChoice] = field(default_factory=dict, repr=False)
    """For indicators whose model was chosen by backtest (``auto``): the choice and why."""
    backtest: Backtest | None = field(default=None, repr=False)
    """The backtest behind ``choices``; None when every model was named."""

    def _repr_html_(self) -> str:
        """How a notebook shows the forecast: the unit and as-of year, then a row per target
        with its status, probability [0, 1], 80 % interval in the target year (blank where the
        record gives the figure, ``year_intervals``), paces [the indicator's unit per year]
        and model; ``table`` holds every column."""
        shown = year_intervals(self.table).assign(likelihood=open_phrases(self.table))
        shown = shown[list(SHOWN)]
        return (f"<p><strong>Forecast of {html.escape(self.unit)} as of {self.as_of}</strong> "
                f"(<code>.table</code> holds every column)</p>"
                + shown.to_html(index=False, na_rep=""))


SHOWN = ("id", "indicator", "status", "probability", "likelihood", "lo80", "hi80",
         "required_pace", "recent_pace", "model")
"""The columns of ``Forecast.table`` a notebook shows of a forecast (``_repr_html_``)."""


def forecast_targets(targets: TargetSet, observations: pd.DataFrame, unit: str,
                     options: ForecastOptions | None = None,
                     units: pd.DataFrame | None = None) -> Forecast:
    """Assess every target of ``unit``.

    Parameters
    ----------
    targets : TargetSet
        From ``ktt.inputs.targets.load_targets``.
    observations : pandas.DataFrame
        From ``ktt.inputs.data.load_observations``.
    unit : str
        Unit id.
    options : ForecastOptions, optional
        Every setting; default ``ForecastOptions()``.
    units : pandas.DataFrame, optional
        Units table: the unit's level (which sets the prior on a founding rate,
        ``ktt.models.counts.rate_prior``), its province (pooling) and successors; default
        ``data/units.csv``.

    Returns
    -------
    Forecast
        Its table also holds, per target, ``progress`` (the
        ``ktt.forecasting.progress.Progress`` of each official method) and ``yearly``
        (``ktt.forecasting.progress.YearlyCount`` for the yearly count rules, else None).

    Raises
    ------
    KttError
        For a unit neither ``observations`` nor ``units`` holds (a mistyped id, which would
        answer every target NaN: ``ktt.inputs.units.check_unit_known``), or an as-of or base
        year the record cannot serve (``ktt.forecasting.options.check_options``); for a plan
        id, a path or a table without the record's columns in place of a loaded plan and
        record (``ktt.inputs.targets.check_arguments``), or options that are not a
        ``ForecastOptions``.
    """
    check_arguments(targets, observations)
    if isinstance(options, Mapping):
        raise KttError(f"options is a {type(options).__name__}, not ForecastOptions: pass "
                       "ktt.ForecastOptions(**options)")
    options = options or ForecastOptions()
    readings, model, n_paths, seed, pooling, base_year = (
        options.readings, options.model, options.n_paths, options.seed, options.pooling,
        options.base_year)
    # Derived first: a unit that ended has its successors' sums, which may reach later years.
    units = load_units() if units is None else units
    check_unit_known(unit, observations, units)
    frame = derive(observations, units)
    resolved = targets.resolve(readings)
    end = max(t.end for t in resolved)
    as_of = check_options(frame, unit, resolved, options)
    known = frame[frame["year"] <= as_of]
    facts = derived_facts(targets, frame, unit, as_of, readings, units)
    siblings = _siblings(unit, units, known) if pooling == "province" else []
    prior = rate_prior(level_of(units, unit))
    levers = options.levers(as_of)
    adjusters = _adjusters(levers, known, unit)
    horizon = list(range(as_of + 1, end + 1))

    codes = list(dict.fromkeys(t.indicator for t in resolved))
    chosen = {code: _requested(model, kind_of(code)) for code in codes}
    auto = [t for t in resolved if chosen[t.indicator] == "auto"]
    backtest = (cached(run_backtest, known, unit, auto, AUTO_CANDIDATES,
                       n_paths=min(n_paths, BACKTEST_PATHS), seed=seed, prior=prior)
                if auto else None)
    choices = choose_models(backtest) if backtest else {}
    weights = {code: choice.weights for code, choice in choices.items()}

    fits: dict[str, FittedModel | None] = {}
    fans = []
    for code in codes:
        fits[code] = _fit(known, unit, code, weights.get(code, {chosen[code]: 1.0}), siblings,
                          prior)
        if (pooling == "province" and fits[code] is not None and kind_of(code) == "count"
                and fits[code].model != POOLED):
            # asked for and not done: the header's "pooling province" alone said it was
            fits[code] = _noted(fits[code], f"not pooled: fewer than three units of the "
                                f"province, {unit} among them, have {code} figures of the same "
                                "kind as its own (real or synthetic), so its own alone")
        if fits[code] is not None and backtest and code in backtest.short:
            # a record too short to backtest: say which models serve it, and why
            fits[code] = _noted(fits[code], choices[code].reason)
        if fits[code] is not None and horizon:
            paths = fits[code].simulate(horizon, n_paths, stream(seed, f"fan:{code}"))
            if code in adjusters:
                paths = adjusters[code](paths, horizon)
            fans.append(interval_table(paths, horizon).assign(indicator=code))

    assessments, official = [], {}
    base_year = targets.base_year if base_year is None else int(base_year)
    for target in resolved:
        record = series(known, unit, target.indicator)
        least = floors(known, unit, target.indicator, units)
        result, _ = assess(target, record, as_of, fits[target.indicator], n_paths,
                           stream(seed, target.id), adjusters.get(target.indicator), least)
        assessments.append(result)
        official[target.id] = (classify(target, record, base_year),
                               yearly_count(target, record, as_of, floor=least))
    table = facts.merge(as_table(assessments).drop(columns=["indicator", "status"]), on="id")
    table["progress"] = table["id"].map(lambda i: official[i][0])
    table["yearly"] = table["id"].map(lambda i: official[i][1])
    settings = {"model": model, "pooling": pooling, "n_paths": n_paths, "seed": seed,
                "base_year": base_year,
                "readings": targets.choose(readings), **levers}
    fan_table = (pd.concat(fans, ignore_index=True) if fans else
                 pd.DataFrame(columns=["year", "median", "lo80", "hi80", "lo95", "hi95",
                                       "indicator"]))
    return Forecast(unit, as_of, table, {k: v for k, v in fits.items() if v is not None},
                    fan_table, frame[frame["unit"] == unit].reset_index(drop=True), settings,
                    choices, backtest)


def forecasts_its_year(row: Mapping) -> bool:
    """Whether a target of the forecast table (``Forecast.table``) has an 80 % interval in its
    target year: it is open and that year has no figure. A yearly rule left open by an earlier
    year's gap has its target year on record, whose "interval" is the figure twice (8 – 8)."""
    return row["status"] == "open" and row["end"] not in row["observed"]


def open_phrases(table: pd.DataFrame, decided: str = "") -> pd.Series:
    """The forecast table's likelihood phrases of its open targets, ``decided`` for the rest:
    a decided target's 0 or 1 is the record's, not a chance to put in words ("virtually
    certain" for a target already met)."""
    return table["likelihood"].where(table["status"] == "open", decided)


def year_intervals(table: pd.DataFrame) -> pd.DataFrame:
    """The forecast table (``Forecast.table``) with its intervals in the target year (``lo80``,
    ``hi80``, ``lo95``, ``hi95``) empty (NaN) where that year is not forecast
    (``forecasts_its_year``): a decided target or a year on record has a figure, not a range."""
    shown = np.array([forecasts_its_year(row) for _, row in table.iterrows()], dtype=bool)
    return table.assign(**{c: table[c].astype(float).where(shown)
                           for c in ("lo80", "hi80", "lo95", "hi95")})


def _adjusters(levers: dict, known: pd.DataFrame, unit: str) -> dict[str, Callable]:
    """Per indicator, what the scenario's levers (``ForecastOptions.levers``) do to its
    simulated paths ``(paths, years) -> paths``; none for a lever of 0."""
    adjusters: dict[str, Callable] = {}
    if extra := levers["extra_foundings_per_year"]:
        first = levers["extra_from_year"]
        adjusters.update({code: lambda sim, years: sim + extra * (np.array(years) >= first)
                          for code in FORMATION})
    if dissolved := levers["dormant_dissolved"]:
        active = active_organizations(known, unit)
        # they made no profit: they leave the share's denominator, not its numerator
        ratio = active / (active - dissolved)
        drive = levers["dissolution_year"]
        adjusters["profitable_share"] = lambda sim, years: np.where(
            np.array(years) >= drive, np.minimum(sim * ratio, 1.0), sim)
    if enrolled := levers["extra_households_per_year"]:
        # households enrolled stay members: the share gains another year's worth every year
        gained = enrolled / farm_households(known, unit)
        start = levers["enrolment_from_year"]
        adjusters["household_share"] = lambda sim, years: np.minimum(
            sim + gained * np.clip(np.array(years) - start + 1, 0, None), 1.0)
    return adjusters


def _noted(fit: FittedModel, words: str) -> FittedModel:
    """``fit`` with ``words`` said first in its note, before what the note already says."""
    return dataclasses.replace(fit, note="; ".join(filter(None, [words, fit.note])))


def _fit(known: pd.DataFrame, unit: str, code: str, weights: dict[str, float],
         siblings: list[str], prior: tuple[float, float] | None) -> FittedModel | None:
    """The indicator's model: one fit, or the mixture of several by ``weights``."""
    fits = {name: fit_indicator(known, unit, code, name, siblings, prior) for name in weights}
    if any(f is None for f in fits.values()):
        return None
    return fits[next(iter(fits))] if len(fits) == 1 else mix(fits, weights)


def _siblings(unit: str, units: pd.DataFrame, known: pd.DataFrame) -> list[str]:
    """Other units with the same parent (the province) whose figures are of the same kind as
    the unit's: real with real, synthetic with synthetic. A prior learnt from invented
    neighbours would pass invented numbers into a forecast on the district's record."""
    parent = units.loc[units["unit"] == unit, "parent"]
    if parent.empty or not parent.iloc[0]:
        raise KttError(f"pooling='province' needs {unit}'s province in the units table "
                       "(data/units.csv: unit, name, level, parent)")
    same = units[(units["parent"] == parent.iloc[0]) & (units["unit"] != unit)]
    invented = synthetic_units(known)
    return [s for s in same["unit"] if (s in invented) == (unit in invented)]
