"""Rolling-origin backtest: how well each model would have forecast what then happened.

At every origin year that leaves at least ``MIN_TRAIN`` figures to learn from, each model is
refitted on the figures up to the origin and simulates the next ``HORIZONS`` years. The paths
are scored against the figures that came after (absolute error of the median, CRPS, 80 % and
95 % coverage), and the attainment calls the engine would have made at that origin
(a threshold of the plan's kind over the next years) are scored with the Brier score.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
import scoringrules as sr
from scipy import stats
from tqdm import tqdm  # plain: tqdm.auto warns in a kernel without ipywidgets

from ktt.forecasting.attainment import rule_met
from ktt.forecasting.progress import classify
from ktt.forecasting.streams import stream
from ktt.inputs.catalog import kind_of
from ktt.inputs.indicators import derive, series
from ktt.inputs.targets import LEVEL_RULES, Target, TargetSet
from ktt.inputs.units import level_of, load_units
from ktt.models.counts import rate_prior
from ktt.models.fit import (
    AUTO_CANDIDATES,
    MIN_POINTS,
    MODELS,
    FittedModel,
    fit_model,
    served_weights,
)
from ktt.models.indicator import share_trials

MIN_TRAIN = 4
"""Fewest figures a model is refitted on at an origin."""
HORIZONS = 5
"""Years ahead forecast from each origin."""
BASELINE = {"count": "rate_walk", "stock": "last_stock", "share": "mean_reverting"}
"""What an indicator uses when its series is too short to backtest. A share's is the
mean-reverting logit model, which carries from three figures what they cannot tell (level or
line, persistence) as its own uncertainty; with fewer it falls back to the last value."""
RELIABILITY_BINS = (0.0, 0.1, 0.3, 0.5, 0.7, 0.9, 1.0)
"""Edges of the predicted-probability bins of the reliability table."""


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
        not given tries all of its models (``models.MODELS``).
    n_paths : int
        Paths simulated per fit.
    seed : int
        Seed; each (indicator, model, origin) has its own stream.
    horizons : int
        Years ahead forecast from each origin.
    min_train : int
        Fewest figures a model is refitted on.
    prior : (shape, rate), optional
        Gamma prior on the yearly rate of counts (``count_models.rate_prior``), as the
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
        (``count_models.rate_prior``) that the forecast uses too; default ``data/units.csv``.
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


def model_summary(backtest: Backtest, choices: dict[str, ModelChoice]) -> pd.DataFrame:
    """One row per indicator and model: mean CRPS by horizon (``crps_1`` ...), over all
    horizons, coverage, Brier score of the calls, and whether the model was chosen.

    Parameters
    ----------
    backtest : Backtest
        From ``run_backtest``.
    choices : dict
        From ``choose_models(backtest)``, for the ``chosen`` column.

    Returns
    -------
    pandas.DataFrame
        ``indicator, model, crps_1 .. crps_H, crps, abs_error, cover80, cover95, brier,
        fallbacks, weight`` (its share of the chosen paths), ``chosen``.
    """
    by_horizon = score_table(backtest).pivot_table(
        index=["indicator", "model"], columns="horizon", values="crps", sort=False)
    by_horizon = by_horizon[sorted(by_horizon.columns)]
    by_horizon.columns = [f"crps_{h}" for h in by_horizon.columns]
    overall = score_table(backtest, ("indicator", "model")).set_index(["indicator", "model"])
    brier = brier_table(backtest.calls).set_index(["indicator", "model"])["brier"]
    table = by_horizon.join(overall.drop(columns="n")).join(brier).reset_index()
    weight = [choices[code].weights.get(model, 0.0) if code in choices else 0.0
              for code, model in zip(table["indicator"], table["model"], strict=True)]
    return table.assign(weight=weight, chosen=np.array(weight) > 0)


def _scored(forecasts: pd.DataFrame) -> pd.DataFrame:
    return forecasts.assign(
        abs_error=(forecasts["median"] - forecasts["observed"]).abs(),
        cover80=forecasts["observed"].between(forecasts["lo80"], forecasts["hi80"]),
        cover95=forecasts["observed"].between(forecasts["lo95"], forecasts["hi95"]),
        fallback=forecasts["fitted"] != forecasts["model"])


def score_table(backtest: Backtest, by: Sequence[str] = ("indicator", "model", "horizon")
                ) -> pd.DataFrame:
    """Mean scores grouped by ``by``.

    Returns
    -------
    pandas.DataFrame
        ``by`` columns, then ``n`` (forecasts scored), ``abs_error`` and ``crps`` (in the
        indicator's unit: count per year, or fraction), ``cover80`` and ``cover95`` (share of
        figures inside the interval, to compare with 0.80 and 0.95), ``fallbacks`` (fits that
        fell back to another model).
    """
    scored = _scored(backtest.forecasts)
    grouped = scored.groupby(list(by), sort=False)
    return grouped.agg(n=("crps", "size"), abs_error=("abs_error", "mean"),
                       crps=("crps", "mean"), cover80=("cover80", "mean"),
                       cover95=("cover95", "mean"), fallbacks=("fallback", "sum")).reset_index()


def brier_table(calls: pd.DataFrame, by: Sequence[str] = ("indicator", "model")) -> pd.DataFrame:
    """Brier score of the attainment calls (``scoringrules.brier_score``; 0 is perfect, 0.25 is
    a constant 0.5), with the number of calls and how often the event happened."""
    scored = calls.assign(brier=sr.brier_score(calls["outcome"].to_numpy(float),
                                               calls["probability"].to_numpy(float)))
    return scored.groupby(list(by), sort=False).agg(
        n=("brier", "size"), brier=("brier", "mean"),
        base_rate=("outcome", "mean")).reset_index()


def reliability(calls: pd.DataFrame, bins: Sequence[float] = RELIABILITY_BINS) -> pd.DataFrame:
    """Predicted probability against observed frequency, in bins of the predicted probability.

    Returns
    -------
    pandas.DataFrame
        ``bin, n, predicted`` (mean probability in the bin), ``observed`` (share of calls in
        the bin whose event happened); empty bins are left out.
    """
    binned = pd.cut(calls["probability"], list(bins), include_lowest=True)
    table = calls.groupby(binned, observed=True).agg(
        n=("outcome", "size"), predicted=("probability", "mean"),
        observed=("outcome", "mean"))
    return table.rename_axis("bin").reset_index().assign(bin=lambda t: t["bin"].astype(str))


def consistency_bars(table: pd.DataFrame, level: float = 0.9) -> pd.DataFrame:
    """Where a calibrated forecaster's observed frequency falls in each bin of a reliability
    table, ``level`` of the time (the consistency bars of Bröcker and Smith, 2007): the
    binomial quantiles of ``n`` calls that each come true with the bin's mean probability.

    A bin's point outside its bar is a gap larger than chance allows, if the calls are
    independent; backtest calls of one unit share years and origins, so their bars are, if
    anything, too narrow.

    Parameters
    ----------
    table : pandas.DataFrame
        ``reliability``'s table: ``n`` [count] and ``predicted`` [probability] per bin.
    level : float
        Share of a calibrated forecaster's points the bar holds, in (0, 1).

    Returns
    -------
    pandas.DataFrame
        ``table`` with ``low`` and ``high`` [frequency in [0, 1]].
    """
    tail = (1 - level) / 2
    n, p = table["n"].to_numpy(), table["predicted"].to_numpy()
    return table.assign(low=stats.binom.ppf(tail, n, p) / n,
                        high=stats.binom.ppf(1 - tail, n, p) / n)


MIN_EVIDENCE = 30
"""Fewest scored forecasts on which one model may win outright. A district with 6 to 12 years
of figures scores at most about 30 forecasts, and on so few the models' mean CRPS differ by
chance more often than not, so their paths are mixed instead. On 160 districts of the
calibration suite (seed 2022), letting the best model win on any evidence (unless another was
within ``CLOSE``) gave a higher Brier score in every kind of target than this threshold
(formation 0.174 against 0.169, profitable 0.100 against 0.099, households 0.067 against
0.057) and less reliable calls (chi-square of the households' reliability gaps 44 against
11). Other thresholds were not tried."""
CLOSE = 0.10
"""Relative CRPS margin within which a model counts as close to the best and is mixed in."""


WHY = ("best", "only", "few", "close", "short_baseline", "short_mixture")
"""Why an indicator's models were chosen: one model ``best`` by its CRPS on enough evidence; the
``only`` candidate of its kind (shares: ``AUTO_CANDIDATES``), scored but compared with none; a
mixture because the backtest scored ``few`` forecasts, or because the best models were
``close``; a series too short to backtest served by its baseline (``short_baseline``) or by an
equal mixture of what it can fit (``short_mixture``)."""


@dataclass(frozen=True)
class Evidence:
    """The numbers behind a model choice, so that a report can say why in its own language
    (``ktt.report.model_table.choice_words``)."""

    scored: int = 0
    """Forecasts the backtest scored for each model."""
    origins: int = 0
    """Origin years they came from."""
    best_crps: float = float("nan")
    """Lowest mean CRPS among the candidates tested [indicator's unit]."""
    runner_up: str = ""
    """The next candidate after a model that won alone; empty otherwise."""
    runner_up_crps: float = float("nan")
    """Its mean CRPS [indicator's unit]."""
    figures: int = 0
    """Figures of a series too short to backtest."""
    needs: int = 0
    """Figures a backtest needs."""
    min_evidence: int = MIN_EVIDENCE
    """Fewest scored forecasts on which one model may win."""
    close: float = CLOSE
    """Relative CRPS margin within which models are mixed [fraction]."""
    untested: tuple[str, ...] = ()
    """Models whose every backtest fit fell back to another: no candidates."""


@dataclass(frozen=True)
class ModelChoice:
    """The model (or mixture of models) an indicator uses, and why."""

    indicator: str
    """Indicator code."""
    model: str
    """Model chosen, or ``mixture`` when ``weights`` holds more than one."""
    reason: str
    """Why, in one English sentence with the scores (``ktt status``, ``summary.json``)."""
    crps: dict[str, float]
    """Mean CRPS of every model tried [indicator's unit]; empty when not backtested."""
    weights: dict[str, float] = field(default_factory=dict)
    """Share of the paths each model contributes [0, 1]; one model at 1 when not mixed."""
    why: str = ""
    """Kind of reason, one of ``WHY``."""
    evidence: Evidence = field(default_factory=Evidence)
    """The numbers ``reason`` gives."""


def _choice(code: str, why: str, evidence: Evidence, crps: dict[str, float],
            weights: dict[str, float]) -> ModelChoice:
    """A choice with its English reason, written from ``why`` and ``evidence``."""
    e = evidence
    backtested = f"{e.scored} scored forecasts from {e.origins} origins"
    if why == "only":
        reason = (f"the one candidate, the others scored for comparison only, mean CRPS "
                  f"{e.best_crps:.3g} over {backtested}")
    elif why == "best":
        reason = f"lowest mean CRPS {e.best_crps:.3g} over {backtested}"
        if e.runner_up:
            reason += f"; next {e.runner_up} {e.runner_up_crps:.3g}"
    elif why in ("few", "close"):
        because = (f"fewer than the {e.min_evidence} a single model needs to win" if why == "few"
                   else f"CRPS within {e.close:.0%} of the best ({e.best_crps:.3g})")
        reason = ("mixture of " + ", ".join(f"{m} {w:.2f}" for m, w in weights.items())
                  + f" (weights proportional to 1 / mean CRPS) over {backtested}: {because}")
    else:
        reason = (f"{e.figures} figure{'' if e.figures == 1 else 's'}, too few to backtest "
                  f"(needs {e.needs}): " + (f"the baseline {next(iter(weights))}"
                                            if why == "short_baseline" else
                                            f"mixture of {', '.join(weights)}, equally"))
    if e.untested:
        reason += f"; {', '.join(e.untested)} always fell back, not a candidate"
    model = next(iter(weights)) if len(weights) == 1 else "mixture"
    return ModelChoice(code, model, reason, crps, weights, why, evidence)


SIGNIFICANT = 3
"""Digits of a mean CRPS that the backtest can tell apart: scores are rounded to them before a
model is chosen or weighted, so the choice never turns on a difference below that precision
(such as the BLAS library's rounding on another machine), and the report shows them so."""


def significant(value: float, digits: int = SIGNIFICANT) -> float:
    """``value`` rounded to ``digits`` significant digits (1.546745 -> 1.55)."""
    return float(f"{value:.{digits}g}") if np.isfinite(value) else value


def _weights(crps: pd.Series) -> dict[str, float]:
    """Weights proportional to 1 / mean CRPS: the sharper and closer model contributes more
    paths, and no model is dropped for a difference the evidence cannot tell from chance."""
    inverse = 1.0 / np.maximum(crps.to_numpy(float), 1e-12)
    return dict(zip(crps.index, inverse / inverse.sum(), strict=True))


def choice_fields(choice: ModelChoice | None, fitted: FittedModel | None = None) -> dict:
    """Why an indicator's models, as ``summary.json`` and ``ktt status --json`` give it.

    Parameters
    ----------
    choice : ModelChoice or None
        From ``choose_models``; None when the model was named in the options.
    fitted : FittedModel, optional
        The fit that serves the indicator; its weights, after any fallback, are the ones
        given (``ktt.models.fit.served_weights``).

    Returns
    -------
    dict
        ``model_reason`` (English; with the models served when a fallback changed them),
        ``model_reason_code`` (one of ``WHY``, or ``named``),
        ``model_crps`` (each candidate's mean CRPS in the backtest, in the indicator's unit)
        and ``model_weights`` (each model's share of the paths as served, [0, 1]: a candidate
        that fell back gives its weight to the model it fell back to); numbers rounded to 6
        places, None where not finite.
    """
    if fitted is not None:
        weights = served_weights(fitted)
    else:
        weights = choice.weights if choice is not None else {}
    weights = {m: rounded(w) for m, w in weights.items()}
    if choice is None:
        return {"model_reason": "named in the parameters", "model_reason_code": "named",
                "model_crps": {}, "model_weights": weights}
    reason = choice.reason
    if set(weights) != set(choice.weights):
        # the backtest chose models the full record's fit could not keep: say what serves
        served = ", ".join(f"{m} {w:.2f}" for m, w in sorted(weights.items(), key=lambda x: -x[1]))
        reason += f"; served after fallbacks as {served}"
    return {"model_reason": reason, "model_reason_code": choice.why,
            "model_crps": {m: rounded(v) for m, v in choice.crps.items()},
            "model_weights": weights}


def rounded(value: float) -> float | None:
    """A number for JSON: rounded to 6 places, None when not finite."""
    return None if not np.isfinite(value) else round(float(value), 6)


def choose_models(backtest: Backtest, min_evidence: int = MIN_EVIDENCE,
                  close: float = CLOSE) -> dict[str, ModelChoice]:
    """Per indicator, the model with the lowest mean CRPS over the backtest when the evidence
    is enough to tell; otherwise a mixture of the candidates' paths; the baseline
    (``BASELINE``) for an indicator too short to backtest.

    Every model of an indicator is scored on the same origins and horizons, so their means
    compare like with like. A model whose every backtest fit fell back to another was never
    tested as itself and is no candidate.

    Parameters
    ----------
    backtest : Backtest
        From ``run_backtest``.
    min_evidence : int
        Fewest scored forecasts on which a single model may be chosen.
    close : float
        Models whose mean CRPS is within this fraction of the best are mixed with it.

    Only ``models.AUTO_CANDIDATES`` are chosen; the others' scores stay in ``crps``.
    """
    choices = {}
    means = score_table(backtest, ("indicator", "model"))
    means["crps"] = means["crps"].map(significant)  # ties within the precision stay ties
    for code, group in means.groupby("indicator", sort=False):
        ranked = group.sort_values("crps", kind="stable").set_index("model")
        candidates = ranked[ranked.index.isin(AUTO_CANDIDATES[kind_of(code)])]
        ranked, crps = (candidates if len(candidates) else ranked), ranked["crps"]
        tested = ranked[ranked["fallbacks"] < ranked["n"]]
        tested = tested if len(tested) else ranked
        n = int(tested["n"].iloc[0])
        n_origins = backtest.forecasts.loc[backtest.forecasts["indicator"] == code,
                                           "origin"].nunique()
        near = tested[tested["crps"] <= tested["crps"].iloc[0] * (1 + close)]
        evidence = Evidence(scored=n, origins=n_origins, best_crps=tested["crps"].iloc[0],
                            min_evidence=min_evidence, close=close,
                            untested=tuple(m for m in ranked.index if m not in tested.index))
        # a kind with one candidate (shares) is served by it: there is nothing to mix, and
        # nothing it beat
        if len(tested) == 1:
            why, weights = "only", {tested.index[0]: 1.0}
        elif n >= min_evidence and len(near) == 1:
            why, weights = "best", {tested.index[0]: 1.0}
            evidence = dataclasses.replace(evidence, runner_up=tested.index[1],
                                           runner_up_crps=tested["crps"].iloc[1])
        else:
            why = "few" if n < min_evidence else "close"
            weights = _weights((tested if n < min_evidence else near)["crps"])
        choices[code] = _choice(code, why, evidence, crps.to_dict(), weights)
    for code, n in backtest.short.items():
        choices[code] = _short_choice(code, n, backtest.settings["min_train"] + 1)
    return choices


def _short_choice(code: str, n: int, needs: int) -> ModelChoice:
    """A series too short to backtest: the candidates that can be fitted to its ``n`` figures,
    mixed equally (no evidence favours one), or the baseline alone when it is the only one.
    On the calibration suite (200 districts, seed 2024) mixing the last value with the trend
    models on short share series lowered the households' Brier score from 0.053 to 0.043 and
    their reliability chi-square from 38 to 5."""
    fit = [m for m in AUTO_CANDIDATES[kind_of(code)] if MIN_POINTS[m] <= n]
    evidence = Evidence(figures=n, needs=needs)
    if len(fit) < 2:
        return _choice(code, "short_baseline", evidence, {}, {BASELINE[kind_of(code)]: 1.0})
    return _choice(code, "short_mixture", evidence, {}, {m: 1.0 / len(fit) for m in fit})


def chosen_calls(calls: pd.DataFrame, choices: dict[str, ModelChoice]) -> pd.DataFrame:
    """The attainment calls each indicator's choice would have made: a single model's own
    calls, or for a mixture the weighted mean of its models' probabilities (the probability
    the mixed paths give).

    Returns
    -------
    pandas.DataFrame
        The columns of ``Backtest.calls``, ``model`` holding the choice's name.
    """
    keys = ["indicator", "origin", "rule", "threshold", "basis", "horizon"]
    weight = pd.Series([choices[code].weights.get(model, 0.0) if code in choices else 0.0
                        for code, model in zip(calls["indicator"], calls["model"],
                                               strict=True)], index=calls.index, dtype=float)
    used = calls.assign(weighted=calls["probability"] * weight, weight=weight)
    used = used[used["weight"] > 0]
    if used.empty:
        return calls.iloc[:0]
    grouped = used.groupby(keys, sort=False, dropna=False).agg(
        weighted=("weighted", "sum"), weight=("weight", "sum"), outcome=("outcome", "first"))
    out = grouped.reset_index()
    out["probability"] = out["weighted"] / out["weight"]
    out["model"] = out["indicator"].map({code: c.model for code, c in choices.items()})
    return out[list(calls.columns)]


def official_scores(backtest: Backtest, choices: dict[str, ModelChoice]) -> pd.DataFrame:
    """The official progress classes scored as calls beside ktt's probabilities, on exactly
    the same calls.

    Parameters
    ----------
    backtest : Backtest
        From ``run_backtest(..., base_year=...)``.
    choices : dict
        From ``choose_models(backtest)``: ktt's calls are those of each indicator's choice
        (``chosen_calls``).

    Returns
    -------
    pandas.DataFrame
        One row per indicator (and ``all``) and method (``ktt`` first): ``n`` (calls made; an
        ``insufficient_data`` class makes none), ``base_rate`` (share met) [fraction],
        ``brier`` (0 is perfect), ``ktt_brier`` (ktt's Brier score on the same calls),
        ``said_met`` (share of calls saying met), ``met_when_said`` and ``met_when_not`` (how
        often the target was met when the class said met, and when it did not: the
        reliability of a 0/1 call) [fraction]. Empty without official calls.
    """
    columns = ["indicator", "method", "n", "base_rate", "brier", "ktt_brier", "said_met",
               "met_when_said", "met_when_not"]
    official = backtest.official
    if official.empty:
        return pd.DataFrame(columns=columns)
    keys = ["indicator", "origin", "rule", "threshold", "basis", "horizon"]
    # two targets of one rule (e.g. 4 and 6 foundings a year) make the same recent-level call
    official = official.drop_duplicates([*keys, "model"])
    ktt = chosen_calls(backtest.calls, choices)[[*keys, "probability", "outcome"]]
    made = official.dropna(subset=["probability"]).merge(
        ktt[[*keys, "probability"]].rename(columns={"probability": "ktt"}), on=keys)
    own = ktt.merge(official[keys].drop_duplicates(), on=keys)
    rows = []
    for indicator in [*dict.fromkeys(official["indicator"]), "all"]:
        mine = own if indicator == "all" else own[own["indicator"] == indicator]
        if len(mine):
            rows.append(_call_scores(indicator, "ktt", mine["probability"], mine["outcome"],
                                     mine["probability"]))
        theirs = made if indicator == "all" else made[made["indicator"] == indicator]
        for method, group in theirs.groupby("model", sort=False):
            rows.append(_call_scores(indicator, method, group["probability"],
                                     group["outcome"], group["ktt"]))
    return pd.DataFrame(rows, columns=columns)


def _call_scores(indicator: str, method: str, probability: pd.Series, outcome: pd.Series,
                 ktt: pd.Series) -> dict:
    """One row of ``official_scores``."""
    p = probability.to_numpy(float)
    y = outcome.to_numpy(float)
    said = p >= 0.5
    return {"indicator": indicator, "method": method, "n": len(p),
            "base_rate": float(y.mean()),
            "brier": float(np.mean(sr.brier_score(y, p))),
            "ktt_brier": float(np.mean(sr.brier_score(y, ktt.to_numpy(float)))),
            "said_met": float(said.mean()),
            "met_when_said": float(y[said].mean()) if said.any() else float("nan"),
            "met_when_not": float(y[~said].mean()) if (~said).any() else float("nan")}
