"""Rolling-origin backtest: how well each model would have forecast what then happened.

At every origin year that leaves at least ``MIN_TRAIN`` figures to learn from, each model is
refitted on the figures up to the origin and simulates the next ``HORIZONS`` years. The paths
are scored against the figures that came after (absolute error of the median, CRPS, 80 % and
95 % coverage), and the attainment calls the engine would have made at that origin
(a threshold of the plan's kind over the next years) are scored with the Brier score.
``ktt.forecasting.scores`` tabulates the scores, ``ktt.forecasting.model_choice`` chooses the
models from them, and ``ktt.forecasting.choice_scores`` sets the two side by side.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
import scoringrules as sr
from tqdm import tqdm  # plain: tqdm.auto warns in a kernel without ipywidgets

from ktt.forecasting.attainment import rule_met
from ktt.forecasting.progress import classify
from ktt.forecasting.streams import stream
from ktt.inputs.catalog import kind_of
from ktt.inputs.indicators import derive, series
from ktt.inputs.targets import LEVEL_RULES, Target, TargetSet
from ktt.inputs.units import level_of, load_units
from ktt.models.counts import rate_prior
from ktt.models.fit import MODELS, fit_model
from ktt.models.indicator import share_trials

MIN_TRAIN = 4
"""Fewest figures a model is refitted on at an origin."""
HORIZONS = 5
"""Years ahead forecast from each origin."""


@dataclass(frozen=True)
class Backtest:
    """Every forecast and call of a rolling-origin backtest of one unit."""

    unit: str
    """Unit id."""
    forecasts: pd.DataFrame
    """One row per indicator, model, origin and horizon: ``indicator, model, fitted, origin,
    horizon, year, observed, median, lo80, hi80, lo95, hi95, crps``; ``fitted`` is the model
    actually fitted (it differs after a fallback)."""
    calls: pd.DataFrame
    """One row per attainment call: ``indicator, model, origin, rule, threshold, basis,
    horizon, probability, outcome`` (``basis``: ``plan`` threshold, or ``recent`` level)."""
    short: dict[str, int]
    """Indicators too short to backtest, with their number of figures."""
    settings: dict
    """``n_paths, seed, horizons, min_train`` used (and ``base_year`` with ``official``)."""
    official: pd.DataFrame = field(default_factory=pd.DataFrame)
    """The official progress classes (``ktt.forecasting.progress``) made at each origin on the
    same calls as the models, read as calls: the columns of ``calls``, ``model`` naming the method
    (``open_sdg``, ``unsd``, ``escap``), ``probability`` 1 for a class that says met
    (``achieved``, ``on_track``, ``maintain``), 0 for the others, NaN for
    ``insufficient_data``, and ``class``; empty unless asked for (``run_backtest(...,
    base_year=...)``)."""


def origins(years: Sequence[int], min_train: int = MIN_TRAIN) -> list[int]:
    """Origin years: each year with a figure that has ``min_train`` figures up to it and at
    least one after it."""
    years = sorted(years)
    return years[min_train - 1:-1] if len(years) > min_train else []


def _calls(targets: list[Target], training: pd.Series, origin: int, horizons: int):
    """The calls made at ``origin``: the plan's rules over the next 1..horizons years, at the
    plan's thresholds and at the recent level (the last figure for stocks and shares, the
    median of the training figures for yearly counts), so that calls span the whole range of
    probabilities.

    A level rule looks at the call's last year alone. At the recent level, a ``between_at``
    target is called as "at least the recent level" (the plan's high end is no part of a call
    about the recent level)."""
    recent = (float(np.round(training.median())) if kind_of(training.name) == "count"
              else float(training.iloc[-1]))
    for target in targets:
        levels = ({"plan": None} if target.rule == "rising"
                  else {"plan": target.threshold, "recent": recent})
        for basis, level in levels.items():
            changes = {}
            if basis == "recent" and target.rule == "between_at":
                changes = {"reading": "at_least_low", "high": None}
            for h in range(1, horizons + 1):
                start = origin + h if target.rule in LEVEL_RULES else origin + 1
                yield basis, h, dataclasses.replace(
                    target, id=f"call:{basis}:{h}", threshold=level, start=start,
                    end=origin + h, **changes)


def _matrix(call: Target, known: dict[int, float], paths: np.ndarray,
            first: int) -> np.ndarray:
    """Paths over the call's rule years: figures up to the origin, simulated years after."""
    return np.column_stack([np.full(len(paths), known[y]) if y < first else paths[:, y - first]
                            for y in call.rule_years])


QUANTILES = (0.5, 0.1, 0.9, 0.025, 0.975)
"""Median and the ends of the 80 % and 95 % central intervals."""


def _extend(columns: dict[str, list], n: int, **values) -> None:
    """Append ``n`` rows to ``columns``: arrays as they are, single values repeated."""
    for name, value in values.items():
        columns.setdefault(name, []).append(np.broadcast_to(value, (n,)) if np.ndim(value) == 0
                                            else np.asarray(value))


def run_backtest(observations: pd.DataFrame, unit: str, targets: list[Target],
                 models: dict[str, Sequence[str]] | None = None, *, n_paths: int = 1000,
                 seed: int = 2020, horizons: int = HORIZONS, min_train: int = MIN_TRAIN,
                 prior: tuple[float, float] | None = None, progress: bool = False,
                 base_year: int | None = None) -> Backtest:
    """Backtest every model of every indicator the targets use.

    Parameters
    ----------
    observations : pandas.DataFrame
        Observations with the derived indicators (``ktt.inputs.indicators.derive``).
    unit : str
        Unit id.
    targets : list of Target
        Resolved targets: which indicators to backtest, and the rules and thresholds of the
        attainment calls.
    models : dict, optional
        Models to try per kind (``{"count": [...], "stock": [...], "share": [...]}``); a kind
        not given tries all of its models (``ktt.models.fit.MODELS``).
    n_paths : int
        Paths simulated per fit.
    seed : int
        Seed; each (indicator, model, origin) has its own stream.
    horizons : int
        Years ahead forecast from each origin.
    min_train : int
        Fewest figures a model is refitted on.
    prior : (shape, rate), optional
        Gamma prior on the yearly rate of counts (``ktt.models.counts.rate_prior``), as the
        forecast uses it [count per year].
    progress : bool
        Show a progress bar over the fits.
    base_year : int, optional
        When given, the official progress classes are scored too (``Backtest.official``), from
        this base year when it is before the origin, else from the first figure the origin
        has.

    Returns
    -------
    Backtest
    """
    models = {**MODELS, **(models or {})}
    by_indicator: dict[str, list[Target]] = {}
    for target in targets:
        by_indicator.setdefault(target.indicator, []).append(target)
    own = observations[observations["unit"] == unit]
    histories = {code: series(own, unit, code).dropna() for code in by_indicator}
    # plain lookups for the calls: a reindex per call would dominate the run
    records = {code: history.to_dict() for code, history in histories.items()}
    trials = {code: share_trials(own, unit, code) for code in by_indicator}
    jobs, short = [], {}
    for code, values in histories.items():
        starts = origins(list(values.index), min_train)
        if not starts:
            short[code] = len(values)
        jobs += [(code, model, origin) for model in models[kind_of(code)] for origin in starts]

    forecasts: dict[str, list] = {}
    calls = []
    for code, model, origin in tqdm(jobs, desc=f"backtest {unit}", unit="fit",
                                    disable=not progress):
        history, record, counts = histories[code], records[code], trials[code]
        training = history.loc[:origin]
        # the unit's own figures up to the origin, as ``fit_indicator`` would take them from a
        # frame cut at the origin; slicing series once built is what keeps a backtest fast
        fitted = fit_model(training, model,
                           trials=None if counts is None else counts.loc[:origin],
                           prior=prior if kind_of(code) == "count" else None)
        ahead = list(range(origin + 1, origin + horizons + 1))
        paths = fitted.simulate(ahead, n_paths, stream(seed, f"backtest:{code}:{model}:{origin}"))
        observed = history.reindex(ahead).to_numpy()
        scored = ~np.isnan(observed)
        years, scored_paths = np.array(ahead)[scored], paths[:, scored]
        # plain columns, one frame at the end: a frame per fit would dominate the run
        quantiles = np.quantile(scored_paths, QUANTILES, axis=0)
        _extend(forecasts, len(years), indicator=code, model=model, fitted=fitted.model,
                origin=origin, horizon=years - origin, year=years, observed=observed[scored],
                **dict(zip(("median", "lo80", "hi80", "lo95", "hi95"), quantiles, strict=True)),
                crps=sr.crps_ensemble(observed[scored], scored_paths.T))
        for basis, h, call in _calls(by_indicator[code], training, origin, horizons):
            if not all(y in record for y in call.rule_years):
                continue
            outcome = bool(rule_met(call, np.array([[record[y] for y in call.rule_years]]))[0])
            probability = float(rule_met(call, _matrix(call, record, paths, origin + 1))
                                .mean())
            calls.append({"indicator": code, "model": model, "origin": origin,
                          "rule": call.rule, "threshold": call.threshold, "basis": basis,
                          "horizon": h, "probability": probability, "outcome": outcome})
    columns = ["indicator", "model", "fitted", "origin", "horizon", "year", "observed",
               "median", "lo80", "hi80", "lo95", "hi95", "crps"]
    frame = (pd.DataFrame({c: np.concatenate(forecasts[c]) for c in columns}) if forecasts
             else pd.DataFrame(columns=columns))
    call_columns = ["indicator", "model", "origin", "rule", "threshold", "basis", "horizon",
                    "probability", "outcome"]
    official = (pd.DataFrame(_official_calls(histories, by_indicator, base_year, horizons,
                                             min_train), columns=[*call_columns, "class"])
                if base_year is not None else pd.DataFrame())
    settings = {"n_paths": n_paths, "seed": seed, "horizons": horizons, "min_train": min_train}
    if base_year is not None:
        settings["base_year"] = base_year
    return Backtest(unit, frame, pd.DataFrame(calls, columns=call_columns), short, settings,
                    official)


def _official_calls(histories: dict[str, pd.Series], by_indicator: dict[str, list[Target]],
                    base_year: int, horizons: int, min_train: int):
    """The official classes at every origin, on the calls the models make there (``_calls``):
    one row per call and method, as ``Backtest.official`` describes."""
    for code, history in histories.items():
        record = history.to_dict()
        for origin in origins(list(history.index), min_train):
            training = history.loc[:origin]
            base = base_year if base_year < origin else int(training.index[0])
            for basis, h, call in _calls(by_indicator[code], training, origin, horizons):
                if not all(y in record for y in call.rule_years):
                    continue
                outcome = bool(rule_met(call, np.array([[record[y]
                                                         for y in call.rule_years]]))[0])
                for result in classify(call, training, base):
                    yield {"indicator": code, "model": result.method, "origin": origin,
                           "rule": call.rule, "threshold": call.threshold, "basis": basis,
                           "horizon": h, "probability": result.call, "outcome": outcome,
                           "class": result.category}


def backtest_unit(observations: pd.DataFrame, unit: str, targets: TargetSet,
                  readings: dict | None = None, as_of: int | None = None,
                  units: pd.DataFrame | None = None, **options) -> Backtest:
    """Backtest every indicator the targets use, from a validated observations file's frame.

    Parameters
    ----------
    observations : pandas.DataFrame
        From ``ktt.inputs.data.load_observations``; the derived indicators are added here.
    unit : str
        Unit id.
    targets : TargetSet
        The plan's targets, resolved under ``readings``.
    readings : dict, optional
        Readings of the targets (see ``TargetSet.choose``).
    as_of : int, optional
        Last year used; default every year on record.
    units : pandas.DataFrame, optional
        Units table, for the prior on a founding rate of the unit's level
        (``ktt.models.counts.rate_prior``) that the forecast uses too; default ``data/units.csv``.
    **options
        Passed to ``run_backtest`` (``n_paths``, ``seed``, ``progress``, ...); ``base_year``
        defaults to the plan's, so the official progress classes are scored too.

    Returns
    -------
    Backtest
    """
    frame = derive(observations)
    if as_of is not None:
        frame = frame[frame["year"] <= as_of]
    units = load_units() if units is None else units
    options.setdefault("prior", rate_prior(level_of(units, unit)))
    options.setdefault("base_year", targets.base_year)
    return run_backtest(frame, unit, targets.resolve(readings), **options)
