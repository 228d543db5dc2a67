"""The calibration suite: are ktt's probabilities right as often as they say?

Synthetic districts with known truth (``ktt.calibration.districts``) are forecast by ktt with its
defaults (``model="auto"``, 4000 paths, no pooling, the plan's default readings) as of their last
known year, on the district plan's targets and on stock targets of the kind the national and
provincial plans set (``stock_targets``: so many HTX operating in 2025 and 2030). Every target
still open at that year is a call; its outcome is the target's status on the truth through 2030.
Beside ktt's probability, three hand methods make 0/1 calls from the history alone:

``persistence``
    Met if the last figure already meets the rule (at least the threshold for the yearly
    formation rules, above it for a level, above the figure before it for ``rising``).
``trend_line``
    A least-squares straight line through the indicator's figures, extrapolated over the rule's
    years that have no figure (elapsed figures are taken as they are); met if that one path
    meets the rule.
``trend_line_log``
    The same line drawn on the scale the indicator grows on: the logit of a share (a share
    that climbs ever more slowly towards 1), ``log(1 + x)`` of a count (a stock that grows by a
    steady percentage), then carried back to the indicator's unit.
``open_sdg``, ``unsd``, ``escap``
    The official progress classes (``ktt.forecasting.progress``) from the plan's base year,
    read as calls: met for ``achieved``, ``on_track`` and ``maintain``, not met for the other
    classes, no call (NaN, left out of the scores) for ``insufficient_data``.

``scores`` gives the Brier score and the Brier skill score against the base rate per target
family and method, ``reliability_table`` the predicted probability against the observed
frequency in ten equal bins.
"""

from __future__ import annotations

import dataclasses
import functools
import json
from collections.abc import Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
import scoringrules as sr
from scipy import special, stats
from tqdm import tqdm  # plain: tqdm.auto warns in a kernel without ipywidgets

from ktt import config
from ktt.calibration.districts import (
    ALL_FAMILIES,
    FAMILIES,
    TRUTH_END,
    District,
    draw_district,
)
from ktt.calibration.oracle import households_oracle
from ktt.forecasting.attainment import rule_met
from ktt.forecasting.forecast import ForecastOptions, forecast_targets
from ktt.forecasting.scores import reliability
from ktt.forecasting.streams import stream
from ktt.inputs.catalog import is_share, kind_of
from ktt.inputs.indicators import derive, series
from ktt.inputs.targets import Target, TargetSet, evaluate, load_targets

METHODS = ("ktt", "persistence", "trend_line", "trend_line_log", "open_sdg", "unsd", "escap",
           "oracle")
"""Methods scored: ktt's probability, the three hand baselines, the three official progress
classes (0/1 calls) and, on the households' targets, the oracle told the true process
(``ktt.calibration.oracle``): the bound no method can pass."""
TARGET_FAMILIES = ("formation", "profitable", "households", "stock", "direction")
"""Kinds of target the scores are grouped by (see ``target_family``)."""
CALL_COLUMNS = ["district", "family", "target", "target_family", "as_of", "horizon", "method",
                "probability", "outcome", "model"]
"""Columns of the calls table; ``model`` is the model behind a ktt call (the method's name for
a baseline)."""
RELIABILITY_BINS = tuple(np.linspace(0.0, 1.0, 11))
"""Ten equal bins of the predicted probability."""
N_PATHS = 4000
"""ktt's default number of simulated paths."""
SEED = 2020
"""Default seed of the suite."""
STOCK_INDICATOR = "htx_active"
"""The stock the suite's stock targets are set on: HTX operating at year end [count]."""
STOCK_YEARS = (2025, 2030)
"""Target years of the stock targets, the district plan's two."""
STOCK_AMBITION = (0.8, 0.12)
"""A stock target's level over the last stock on record [ratio], uniform from the first number
to 1 plus the second for each year ahead: the national Strategy 340 asks for 45,000 HTX in 2030
from 26,040 in 2020 (1.73 over ten years, 0.07 a year); twice that pace still reads as a plan's
ambition, and a level below the last figure as a plan that holds what it has. Drawn from the
record alone, as a plan's drafters would set it, so the targets are contested in every family."""


def target_family(target: Target) -> str:
    """The kind of a target: ``formation`` (yearly foundings, every year or on average),
    ``direction`` (``rising``), ``profitable`` or ``households`` (levels of those shares),
    ``stock`` (the level of a stock, such as HTX operating); the indicator code for any other
    level."""
    if target.rule in ("each_year_at_least", "mean_at_least"):
        return "formation"
    if target.rule == "rising":
        return "direction"
    if kind_of(target.indicator) == "stock":
        return "stock"
    return {"profitable_share": "profitable",
            "household_share": "households"}.get(target.indicator, target.indicator)


def stock_targets(district: District) -> tuple[Target, ...]:
    """The district's stock targets: more than a level of ``STOCK_INDICATOR`` in each of
    ``STOCK_YEARS`` after its as-of year, the level drawn from ``STOCK_AMBITION`` times the last
    stock on record (rounded to a whole number), from a stream of the district's own so the
    same district gets the same targets. None without a stock on record.

    Parameters
    ----------
    district : District
        From ``ktt.calibration.districts.draw_district``.

    Returns
    -------
    tuple of Target
        ``above_at`` targets ``S<year>-stock`` [count].
    """
    known = series(derive(district.history), district.unit, STOCK_INDICATOR).dropna()
    known = known.loc[:district.as_of]
    if known.empty:
        return ()
    rng = stream(district.seed, f"stock-targets:{district.unit}")
    low, yearly = STOCK_AMBITION
    targets = []
    for year in STOCK_YEARS:
        if year <= district.as_of:
            continue
        ratio = rng.uniform(low, 1.0 + yearly * (year - district.as_of))
        targets.append(Target(
            id=f"S{year}-stock", indicator=STOCK_INDICATOR, rule="above_at",
            threshold=float(round(float(known.iloc[-1]) * ratio)), start=year, end=year,
            quote="synthetic: a stock target of the calibration suite, not a plan's words",
            meaning=f"more HTX operating in {year} than a level set from the last figure"))
    return tuple(targets)


@functools.cache
def _targets() -> TargetSet:
    return load_targets(config.TARGETS)


def persistence_call(target: Target, known: pd.Series) -> float:
    """1.0 if the last figure already meets the rule (for ``rising``: if it is above the
    figure before it), else 0.0; NaN with no figure.

    Parameters
    ----------
    target : Target
        As resolved under the chosen readings.
    known : pandas.Series
        The indicator's figures up to the as-of year, indexed by year [its unit].
    """
    known = known.dropna()
    if known.empty:
        return float("nan")
    if target.rule == "rising":
        return float(len(known) >= 2 and known.iloc[-1] > known.iloc[-2])
    # the last figure held over every year of the rule: at least the threshold for the yearly
    # formation rules, above it for ``above_at`` (and likewise for any other level rule)
    flat = np.full((1, len(target.rule_years)), float(known.iloc[-1]))
    return float(rule_met(target, flat)[0])


SHARE_CLIP = 1e-4
"""How near 0 or 1 a share is taken before its logit [fraction]: a figure of 0 % or 100 %
has none."""


def _logit(share: np.ndarray) -> np.ndarray:
    return special.logit(np.clip(share, SHARE_CLIP, 1 - SHARE_CLIP))


_LOG_SCALES = {"share": (_logit, special.expit), "count": (np.log1p, np.expm1)}
"""The scale ``trend_line_log`` draws its line on, and the way back, by kind of indicator."""


def trend_line_call(target: Target, known: pd.Series, log: bool = False) -> float:
    """1.0 if a least-squares line through the figures, extrapolated over the rule's years that
    have no figure (elapsed figures kept as they are), meets the rule, else 0.0; the last figure
    held flat when there is only one; NaN with none.

    Parameters
    ----------
    target : Target
        As resolved under the chosen readings.
    known : pandas.Series
        The indicator's figures up to the as-of year, indexed by year [its unit].
    log : bool
        Draw the line on the logit of a share, on ``log(1 + x)`` of a count
        (``trend_line_log``), rather than on the figures themselves.
    """
    known = known.dropna()
    if known.empty:
        return float("nan")
    forward, back = (_LOG_SCALES["share" if is_share(target.indicator) else "count"] if log
                     else (np.asarray, np.asarray))
    if len(known) >= 2:
        slope, intercept = np.polyfit(known.index.to_numpy(float),
                                      forward(known.to_numpy(float)), 1)
    else:
        slope, intercept = 0.0, float(forward(known.iloc[-1]))
    path = [known[y] if y in known.index else back(intercept + slope * y)
            for y in target.rule_years]
    return float(rule_met(target, np.array([path], dtype=float))[0])


def district_calls(district: District, n_paths: int = N_PATHS,
                   targets: TargetSet | None = None) -> pd.DataFrame:
    """The calls of every method on every target open at the district's as-of year.

    Parameters
    ----------
    district : District
        From ``ktt.calibration.districts.draw_district``.
    n_paths : int
        Paths ktt simulates per indicator.
    targets : TargetSet, optional
        Default the plan's (``ktt.config.TARGETS``), at their default readings, and the
        district's ``stock_targets``.

    Returns
    -------
    pandas.DataFrame
        ``CALL_COLUMNS``; ``probability`` in [0, 1], ``outcome`` True when the target is met on
        the truth. Targets the truth leaves undecided (a share whose denominator fell to zero)
        are left out.
    """
    if targets is None:
        plan = _targets()
        targets = dataclasses.replace(plan, targets=plan.targets + stock_targets(district))
    forecast = forecast_targets(targets, district.history, district.unit,
                                ForecastOptions(as_of=district.as_of, model="auto",
                                                n_paths=n_paths, pooling="none"))
    table = forecast.table.set_index("id")
    truth = evaluate(targets, district.truth, district.unit, as_of=TRUTH_END)
    outcome = truth.set_index("id")["status"]
    history = derive(district.history)
    rows = []
    for target in targets.resolve():
        if table.loc[target.id, "status"] != "open" or outcome[target.id] == "open":
            continue
        known = series(history, district.unit, target.indicator).loc[:district.as_of]
        common = {"district": district.unit, "family": district.family, "target": target.id,
                  "target_family": target_family(target), "as_of": district.as_of,
                  "horizon": target.end - district.as_of,
                  "outcome": outcome[target.id] == "met"}
        calls = {"ktt": (float(table.loc[target.id, "probability"]),
                         str(table.loc[target.id, "model"])),
                 "persistence": (persistence_call(target, known), "persistence"),
                 "trend_line": (trend_line_call(target, known), "trend_line"),
                 "trend_line_log": (trend_line_call(target, known, log=True),
                                    "trend_line_log"),
                 **{p.method: (p.call, p.method) for p in table.loc[target.id, "progress"]}}
        # the oracle is written for the suite's families, not the stress ones
        if common["target_family"] == "households" and district.family in FAMILIES:
            calls["oracle"] = (households_oracle(district, target.end, target.threshold),
                               "oracle")
        rows += [{**common, "method": method, "probability": p, "model": model}
                 for method, (p, model) in calls.items()]
    return pd.DataFrame(rows, columns=CALL_COLUMNS)


def _task(job: tuple[str, int, int, int]) -> pd.DataFrame:
    family, index, seed, n_paths = job
    return district_calls(draw_district(family, index, seed), n_paths)


def run_suite(n_districts: int, seed: int = SEED, families: Sequence[str] = FAMILIES,
              n_paths: int = N_PATHS, jobs: int = 1, progress: bool = True) -> pd.DataFrame:
    """Draw districts, forecast each with ktt's defaults and collect every method's calls.

    Parameters
    ----------
    n_districts : int
        Districts in all, split evenly across ``families`` (district ``i`` is number
        ``i // len(families)`` of family ``families[i % len(families)]``).
    seed : int
        Seed of the suite; each district's draws derive from (``seed``, family, index), so the
        calls do not depend on ``jobs``.
    families : sequence of str
        Process families (``ktt.calibration.districts.FAMILIES``, or ``STRESS_FAMILIES`` to
        see how calibration holds on processes none of ktt's models assumes).
    n_paths : int
        Paths ktt simulates per indicator.
    jobs : int
        Worker processes; more than 1 runs districts in a ``ProcessPoolExecutor``.
    progress : bool
        Show a progress bar over the districts.

    Returns
    -------
    pandas.DataFrame
        One row per (district, target, method): ``district, family, target, target_family,
        as_of`` [year], ``horizon`` (target year - as_of) [years], ``method, probability``
        [0, 1], ``outcome`` (bool), ``model``.
    """
    families = tuple(families)
    unknown = set(families) - set(ALL_FAMILIES)
    if unknown:
        raise ValueError(f"unknown famil{'y' if len(unknown) == 1 else 'ies'} "
                         f"{', '.join(sorted(unknown))}; valid: {', '.join(ALL_FAMILIES)}")
    k = len(families)
    work = [(families[i % k], i // k, seed, n_paths) for i in range(n_districts)]
    bar = functools.partial(tqdm, total=len(work), desc="calibration", unit="district",
                            disable=not progress)
    if jobs > 1:
        with ProcessPoolExecutor(max_workers=jobs) as pool:
            frames = list(bar(pool.map(_task, work)))
    else:
        frames = [_task(job) for job in bar(work)]
    frames = [f for f in frames if not f.empty]
    if not frames:
        return pd.DataFrame(columns=CALL_COLUMNS)
    return pd.concat(frames, ignore_index=True)


def _ordered(frame: pd.DataFrame) -> pd.DataFrame:
    """Rows in the order of ``TARGET_FAMILIES`` then ``METHODS`` (others after, by name)."""
    rank = {f: i for i, f in enumerate(TARGET_FAMILIES)}
    method = {m: i for i, m in enumerate(METHODS)}
    key = frame.assign(_f=frame["target_family"].map(rank).fillna(len(rank)),
                       _m=frame["method"].map(method).fillna(len(method)))
    return (key.sort_values(["_f", "target_family", "_m", "method"], kind="stable")
            .drop(columns=["_f", "_m"]).reset_index(drop=True))


def scores(calls: pd.DataFrame) -> pd.DataFrame:
    """Brier score and Brier skill score per target family and method.

    Parameters
    ----------
    calls : pandas.DataFrame
        From ``run_suite``; calls without a probability are left out.

    Returns
    -------
    pandas.DataFrame
        ``target_family, method, n`` (calls), ``base_rate`` (share met) [fraction], ``brier``
        (mean of (probability - outcome)^2, ``scoringrules.brier_score``; 0 is perfect, 0.25
        a constant 0.5), ``bss`` (1 - brier / (base_rate (1 - base_rate)): skill against always
        saying the base rate of the same calls; above 0 beats it, NaN when the base rate is 0
        or 1).
    """
    valid = calls.dropna(subset=["probability"])
    scored = valid.assign(brier=sr.brier_score(valid["outcome"].to_numpy(float),
                                               valid["probability"].to_numpy(float)))
    table = scored.groupby(["target_family", "method"]).agg(
        n=("brier", "size"), base_rate=("outcome", "mean"), brier=("brier", "mean")
    ).reset_index()
    climate = table["base_rate"] * (1 - table["base_rate"])
    table["bss"] = (1 - table["brier"] / climate.where(climate > 0)).astype(float)
    return _ordered(table)


HAND_METHODS = ("persistence", "trend_line", "trend_line_log")
"""The hand baselines an analyst would draw without ktt."""
MARGIN = 0.2
"""Issue 10's criterion: ktt's Brier skill score at least this far above the better hand
method's, in every kind of target."""


def hand_margin(table: pd.DataFrame) -> pd.DataFrame:
    """ktt against the best of the hand methods (``HAND_METHODS``), per target family, both
    ways the criterion can be read.

    Parameters
    ----------
    table : pandas.DataFrame
        From ``scores``.

    Returns
    -------
    pandas.DataFrame
        ``target_family``, ``hand`` (the hand method with the lower Brier score), ``ktt_bss``
        and ``hand_bss`` (skill against the base rate), ``margin`` (their difference: the
        criterion asks at least ``MARGIN``) and ``skill_over_hand`` (1 - ktt's Brier / the
        hand method's: skill with the hand method as the reference forecast; 0.5 halves its
        Brier score), ``oracle_margin`` (the oracle's skill above the hand method's, NaN where
        no oracle called: a margin the truth itself does not reach is out of any forecaster's
        reach). Families where ktt or neither hand method scored, or whose calls all came out
        alike (no skill against the base rate to compare), are left out.
    """
    hand = table[table["method"].isin(HAND_METHODS)].sort_values("brier")
    best = hand.drop_duplicates("target_family").set_index("target_family")
    own = table[table["method"] == "ktt"].set_index("target_family")
    both = own.index.intersection(best.index, sort=False)
    out = pd.DataFrame({"target_family": both, "hand": best.loc[both, "method"].to_numpy(),
                        "ktt_bss": own.loc[both, "bss"].to_numpy(),
                        "hand_bss": best.loc[both, "bss"].to_numpy()})
    out["margin"] = out["ktt_bss"] - out["hand_bss"]
    out["skill_over_hand"] = 1 - (own.loc[both, "brier"].to_numpy()
                                  / best.loc[both, "brier"].to_numpy())
    oracle = table[table["method"] == "oracle"].set_index("target_family")["bss"]
    out["oracle_margin"] = oracle.reindex(both).to_numpy() - out["hand_bss"]
    return out.dropna(subset=["margin"]).reset_index(drop=True)


def reliability_table(calls: pd.DataFrame, method: str = "ktt",
                      bins: Sequence[float] = RELIABILITY_BINS) -> pd.DataFrame:
    """Predicted probability against observed frequency per target family, and over all calls.

    Parameters
    ----------
    calls : pandas.DataFrame
        From ``run_suite``.
    method : str
        Whose calls (``ktt`` by default).
    bins : sequence of float
        Bin edges of the predicted probability; default ten equal bins.

    Returns
    -------
    pandas.DataFrame
        ``target_family`` (``all`` for every call of the method), ``bin, n, predicted`` (mean
        probability in the bin) [fraction], ``observed`` (share of the bin's calls whose target
        was met) [fraction]; empty bins are left out.
    """
    own = calls[(calls["method"] == method)].dropna(subset=["probability"])
    own = own.assign(outcome=own["outcome"].astype(float))
    parts = [reliability(group, bins).assign(target_family=family)
             for family, group in own.groupby("target_family")]
    parts.append(reliability(own, bins).assign(target_family="all"))
    table = pd.concat(parts, ignore_index=True)
    rank = {f: i for i, f in enumerate((*TARGET_FAMILIES, "all"))}
    table = table.assign(_f=table["target_family"].map(rank).fillna(len(rank) - 0.5))
    table = table.sort_values(["_f", "target_family"], kind="stable").drop(columns="_f")
    return table[["target_family", "bin", "n", "predicted", "observed"]].reset_index(drop=True)


SUITE_DIR = config.REPORTS / "calibration"
"""Where ``benchmarks/bench_calibration.py --save`` keeps the suite's scores and reliability,
for the backtest report to show beside a unit's own."""


def suite_files(folder: str | Path = SUITE_DIR) -> dict[str, Path]:
    """The files ``save_suite`` writes, by what they hold, for a report's provenance."""
    folder = Path(folder)
    return {f"calibration {name}": folder / name
            for name in ("scores.csv", "reliability.csv", "suite.json")}


def save_suite(calls: pd.DataFrame, settings: dict, folder: str | Path = SUITE_DIR) -> Path:
    """Write the suite's scores (``scores.csv``), every method's reliability per target family
    (``reliability.csv``) and how it was run (``suite.json``: districts, seed, runtime,
    versions) into ``folder``; the calls themselves are not kept, they are remade by the seed.

    Returns
    -------
    Path
        The folder.
    """
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    scores(calls).to_csv(folder / "scores.csv", index=False, float_format="%.6g")
    methods = list(dict.fromkeys(calls["method"]))
    pd.concat([reliability_table(calls, m).assign(method=m) for m in methods],
              ignore_index=True).to_csv(folder / "reliability.csv", index=False,
                                        float_format="%.6g")
    record = {"synthetic": True, "calls": int((calls["method"] == "ktt").sum()), **settings}
    (folder / "suite.json").write_text(json.dumps(record, indent=1, sort_keys=True) + "\n",
                                       encoding="utf-8")
    return folder


@dataclass(frozen=True)
class SuiteRecord:
    """A saved run of the suite (``save_suite``)."""

    scores: pd.DataFrame
    """``scores(calls)``."""
    reliability: pd.DataFrame
    """``reliability_table`` of every method, with a ``method`` column."""
    settings: dict
    """``suite.json``: districts, seed, runtime, versions."""


def load_suite(folder: str | Path = SUITE_DIR) -> SuiteRecord | None:
    """The saved suite in ``folder``; None when it was never saved there."""
    folder = Path(folder)
    if not (folder / "suite.json").exists():
        return None
    return SuiteRecord(pd.read_csv(folder / "scores.csv"),
                       pd.read_csv(folder / "reliability.csv"),
                       json.loads((folder / "suite.json").read_text(encoding="utf-8")))


def worst_gap(reliability: pd.DataFrame, family: str = "all", method: str = "ktt",
              min_calls: int = 50) -> float:
    """The largest gap between what ``method``'s calls said and how often they came true, over
    the bins of ``family`` (``"all"``: every kind of target pooled) that hold ``min_calls``
    calls or more, from a saved suite's ``reliability`` (``SuiteRecord.reliability``) [share
    in [0, 1]]; NaN when no bin holds that many."""
    rows = reliability[(reliability["method"] == method)
                       & (reliability["target_family"] == family)
                       & (reliability["n"] >= min_calls)]
    return float((rows["observed"] - rows["predicted"]).abs().max()) if len(rows) else np.nan


def reliability_test(calls: pd.DataFrame, method: str = "ktt",
                     bins: Sequence[float] = RELIABILITY_BINS) -> pd.DataFrame:
    """Whether each target family's reliability gaps are larger than chance allows.

    A Hosmer-Lemeshow-type statistic over the bins with calls: the sum of
    ``n (observed - predicted)^2 / (predicted (1 - predicted))``, which for a calibrated
    forecaster is about chi-square with as many degrees of freedom as bins (calls taken as
    independent). A bin of 60 calls near 0.5 has a standard error of 0.065, so a gap of 0.08
    there is no evidence of miscalibration; this statistic says when the gaps together are.

    Returns
    -------
    pandas.DataFrame
        ``target_family, bins, chi2, p_value, worst_gap`` (largest absolute gap) and
        ``worst_z`` (largest gap in standard errors).
    """
    table = reliability_table(calls, method, bins)
    table = table[(table["target_family"] != "all") & table["predicted"].between(
        0, 1, inclusive="neither")]
    variance = table["predicted"] * (1 - table["predicted"])
    z = (table["observed"] - table["predicted"]) / np.sqrt(variance / table["n"])
    table = table.assign(z=z, gap=table["observed"] - table["predicted"])
    rows = []
    for family, group in table.groupby("target_family", sort=False):
        chi2 = float((group["z"] ** 2).sum())
        rows.append({"target_family": family, "bins": len(group), "chi2": chi2,
                     "p_value": float(stats.chi2.sf(chi2, len(group))),
                     "worst_gap": float(group["gap"].abs().max()),
                     "worst_z": float(group["z"].abs().max())})
    return pd.DataFrame(rows)


def calibrated_pass_rate(calls: pd.DataFrame, tolerance: float = 0.05, min_calls: int = 50,
                         scale: int = 1, repeats: int = 400, method: str = "ktt",
                         bins: Sequence[float] = RELIABILITY_BINS, seed: int = SEED,
                         together: str | None = None) -> float:
    """How often a perfectly calibrated forecaster would pass "every bin of at least
    ``min_calls`` calls within ``tolerance`` of its mean prediction, in every target family"
    on a suite like this one, ``scale`` times as large.

    Each repeat keeps the method's probabilities (repeated ``scale`` times) and draws every
    outcome as the probability says, so any gap is chance alone. A rate far below 1 says the
    criterion cannot tell a calibrated forecaster from a miscalibrated one at this size.

    Parameters
    ----------
    together : str, optional
        A column of ``calls`` (``district``): the calls of one target family that share its
        value draw their outcomes from one uniform number, as dependent as their
        probabilities allow. By default every outcome is drawn apart. A district's 2025 and
        2030 calls of one kind hang together (a district behind in 2025 is mostly behind in
        2030), which widens the bins' chance gaps: the rate drawn apart is the optimistic
        end, the rate drawn together the pessimistic one.

    Returns
    -------
    float
        Share of repeats that pass, in [0, 1].
    """
    rng = stream(seed, "calibrated-pass-rate")
    own = calls[(calls["method"] == method) & (calls["target_family"] != "direction")
                & calls["probability"].notna()]  # no figure to forecast from: no call
    families = []
    for _, group in own.groupby("target_family"):
        keys = (np.arange(len(group)) if together is None
                else pd.factorize(group[together])[0])
        draws = keys.max() + 1
        # each copy of the suite has draws of its own
        families.append((np.tile(group["probability"].to_numpy(float), scale),
                         np.tile(keys, scale) + np.arange(scale).repeat(len(keys)) * draws,
                         draws * scale))
    edges = np.asarray(bins)[1:-1]
    passed = 0
    for _ in range(repeats):
        ok = True
        for p, keys, draws in families:
            outcome = rng.random(draws)[keys] < p
            which = np.searchsorted(edges, p, side="left")
            n = np.bincount(which, minlength=len(edges) + 1)
            gap = (np.bincount(which, outcome, len(edges) + 1)
                   - np.bincount(which, p, len(edges) + 1)) / np.maximum(n, 1)
            ok &= bool(np.all(np.abs(gap[n >= min_calls]) <= tolerance))
        passed += ok
    return passed / repeats
