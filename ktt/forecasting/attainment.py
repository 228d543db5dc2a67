"""From facts and simulated paths to the probability that a target is met, and the pace it needs.

Elapsed years with a figure are facts and enter every path as they are; only years without a
figure (future years, or past gaps) are simulated, jointly, along the same path.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict, dataclass

import numpy as np
import pandas as pd

from ktt.forecasting.likelihood import likelihood
from ktt.forecasting.progress import yearly_count
from ktt.inputs.targets import LEVEL_RULES, Target, fact
from ktt.models.fit import FittedModel, interval_table


def rule_met(target: Target, matrix: np.ndarray) -> np.ndarray:
    """Whether each path meets the target.

    Parameters
    ----------
    matrix : numpy.ndarray
        Shape ``(n_paths, n_years)`` over the rule's years: ``start`` to ``end``, and for
        ``rising`` also the year before ``start``.

    Returns
    -------
    numpy.ndarray of bool, shape ``(n_paths,)``
    """
    if target.rule == "each_year_at_least":
        return (matrix >= target.threshold).all(axis=1)
    if target.rule == "mean_at_least":
        return matrix.mean(axis=1) >= target.threshold
    if target.rule in LEVEL_RULES:
        return target.level_met(matrix[:, -1])
    if target.reading == "strict":
        return (np.diff(matrix, axis=1) > 0).all(axis=1)
    t = np.arange(matrix.shape[1]) - (matrix.shape[1] - 1) / 2
    return matrix @ t > 0


@dataclass(frozen=True)
class Assessment:
    """One target's status, probability and pace."""

    id: str
    """Target id."""
    indicator: str
    """Indicator code."""
    status: str
    """``met`` or ``missed`` when the record decides it, else ``open``."""
    probability: float
    """Probability the target is met [0, 1]; 1 or 0 when decided; NaN with no figure at all."""
    likelihood: str
    """Calibrated phrase for ``probability``."""
    median: float
    """Median of the indicator in the target year [its unit]; the fact when known."""
    lo80: float
    """Lower end of the 80 % interval in the target year."""
    hi80: float
    """Upper end of the 80 % interval in the target year."""
    lo95: float
    """Lower end of the 95 % interval in the target year."""
    hi95: float
    """Upper end of the 95 % interval in the target year."""
    required_pace: float
    """Pace needed from now on [count per year, or change in share per year]."""
    recent_pace: float
    """Pace of the last figures, in the same unit."""
    pace_ratio: float
    """``recent_pace / required_pace``; 1 or more is on course; NaN when nothing is needed."""
    model: str
    """Model that made the paths, or ``record`` when the record decides."""
    note: str
    """Fallbacks and caveats, empty when none."""


def _recent_slope(known: pd.Series, k: int = 5) -> float:
    """Least-squares change per year over the last ``k`` figures; NaN with fewer than two."""
    recent = known.iloc[-k:]
    if len(recent) < 2:
        return float("nan")
    return float(np.polyfit(recent.index.to_numpy(float), recent.to_numpy(), 1)[0])


def pace(target: Target, known: pd.Series, as_of: int,
         floor: pd.Series | None = None) -> tuple[float, float]:
    """Required and recent pace, in the indicator's unit per year.

    For the yearly formation rules the pace is a count per year, the level each year without a
    figure must reach (``ktt.forecasting.progress.yearly_count``, which the progress table
    shows too): the threshold (every year) or what those years must average (mean reading, a
    gap year counting at least its known parts ``floor``), against the mean of the last three
    figures. For levels and directions it is a change per year: the gap from the last figure to
    the target's level (``Target.level``: the threshold, or the high end when read
    ``at_least_high``) over the years from that figure to the target year, against the
    least-squares slope of the last five figures (the required versus
    actual rate of change of the Eurostat SDG monitoring methodology). For ``below_at`` the
    required pace is negative: the level must fall. Nothing more is needed, never a pace
    backward, when the last figure already meets the level (required 0: hold it) or the
    figures on record already reach the mean reading's total (required 0).
    """
    if (count := yearly_count(target, known, as_of, floor=floor)) is not None:
        return count.required_level, count.recent_level
    left = max(target.end - as_of, 0)
    slope = _recent_slope(known)
    if target.rule == "rising" or not len(known) or not left:
        return (0.0 if target.rule == "rising" else float("nan")), slope
    if target.level_met(np.array([known.iloc[-1]], dtype=float))[0]:
        return 0.0, slope
    return float((target.level - known.iloc[-1]) / (target.end - known.index[-1])), slope


def assess(target: Target, history: pd.Series, as_of: int, fitted: FittedModel | None,
           n_paths: int, rng: np.random.Generator,
           adjust: Callable[[np.ndarray, list[int]], np.ndarray] | None = None,
           floor: pd.Series | None = None) -> tuple[Assessment, np.ndarray]:
    """Assess one target from its indicator's record and a fitted model.

    Parameters
    ----------
    target : Target
        As resolved under the chosen readings.
    history : pandas.Series
        The indicator's figures by year; those after ``as_of`` are ignored.
    as_of : int
        Last year treated as known.
    fitted : FittedModel or None
        Model of the indicator; None when there is no figure to fit.
    n_paths : int
        Number of simulated paths.
    rng : numpy.random.Generator
        Randomness for the paths.
    adjust : callable, optional
        ``adjust(simulated, years)`` returns the simulated years changed by a scenario (extra
        foundings, a dissolution drive); observed years are never adjusted.
    floor : pandas.Series, optional
        By year, the least an elapsed year without a figure can be, from its known parts
        (``ktt.inputs.indicators.floors``): its paths are raised to it, and a yearly rule
        reads the year as reached when the floor reaches the threshold.

    Returns
    -------
    assessment : Assessment
    matrix : numpy.ndarray
        Paths over ``target.rule_years``, shape ``(n_paths, n_years)``, facts included.
    """
    years = target.rule_years
    known = history.loc[:as_of].dropna()
    in_rule = known[known.index.isin(years)]
    floor = pd.Series(dtype=float) if floor is None else floor[floor.index <= as_of]
    status, _ = fact(target, in_rule, as_of, floor[floor.index.isin(years)])
    needed = [y for y in years if y not in in_rule.index]
    note = fitted.note if fitted else ""
    if needed and fitted is None:
        matrix = np.full((n_paths, len(years)), np.nan)
        note = "no figure to forecast from"
    else:
        matrix = np.empty((n_paths, len(years)))
        for j, year in enumerate(years):
            if year in in_rule.index:
                matrix[:, j] = in_rule[year]
        if needed:
            sim = fitted.simulate(needed, n_paths, rng)
            if adjust is not None:
                sim = adjust(sim, needed)
            if floor.index.isin(needed).any():  # a gap whose known parts sum to more
                sim = np.maximum(sim, floor.reindex(needed).fillna(-np.inf).to_numpy())
            matrix[:, [years.index(y) for y in needed]] = sim
    if status != "open":
        probability = 1.0 if status == "met" else 0.0
    elif fitted is None:
        probability = float("nan")
    else:
        probability = float(rule_met(target, matrix).mean())
    end = interval_table(matrix[:, -1:], [target.end]).iloc[0]
    required, recent = pace(target, known, as_of, floor)
    # The pace ratio compares movement toward the level: downward for a level to get below.
    toward = -1.0 if target.rule == "below_at" else 1.0
    ratio = (recent / required if required and toward * required > 0 and np.isfinite(recent)
             else np.nan)
    result = Assessment(
        id=target.id, indicator=target.indicator, status=status, probability=probability,
        likelihood=likelihood(probability), median=end["median"], lo80=end["lo80"],
        hi80=end["hi80"], lo95=end["lo95"], hi95=end["hi95"], required_pace=required,
        recent_pace=recent, pace_ratio=float(ratio),
        model="record" if status != "open" else (fitted.model if fitted else "none"),
        note=note)
    return result, matrix


def as_table(assessments: list[Assessment]) -> pd.DataFrame:
    """Assessments as a tidy table, one row per target."""
    return pd.DataFrame([asdict(a) for a in assessments])
