"""Fit one indicator of one unit: a share with the counts behind it, a count on its own figures
or pooled with the other units of its province."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from ktt.inputs.catalog import SHARE_PARTS, kind_of
from ktt.inputs.indicators import series
from ktt.models.fit import FittedModel, fit_model

POOLED = "recent_mean+province"
"""The model a count is served by when pooled with its province's units (``fit_indicator``)."""


def province_prior(rates: dict[str, pd.Series]) -> tuple[float, float] | None:
    """Empirical-Bayes Gamma(shape, rate) prior on a yearly count rate from the province's units.

    Method of moments on the units' mean counts, with the Poisson sampling variance of each
    mean taken out of their spread. The unit itself belongs in ``rates``: a unit far from the
    others widens the prior, so it is not pulled hard toward them. None with fewer than three
    units to learn from.
    """
    means = np.array([s.mean() for s in rates.values() if len(s)])
    sizes = np.array([len(s) for s in rates.values() if len(s)])
    if len(means) < 3 or means.mean() <= 0:
        return None
    m = means.mean()
    v = max(means.var(ddof=1) - np.mean(means / sizes), 0.05 * m * m)
    return m * m / v, m / v


def province_dispersion(rates: dict[str, pd.Series]) -> float | None:
    """Empirical-Bayes mean of the negative-binomial dispersion of yearly counts across the
    province's units: each unit's method-of-moments estimate ``(variance - mean) / mean**2``
    (negative when its years vary less than Poisson), averaged, floored at 0.02. None with
    fewer than three units of three or more figures and a positive mean."""
    estimates = [(s.var(ddof=1) - s.mean()) / s.mean() ** 2
                 for s in rates.values() if len(s) >= 3 and s.mean() > 0]
    if len(estimates) < 3:
        return None
    return max(float(np.mean(estimates)), 0.02)


def share_trials(known: pd.DataFrame, unit: str, code: str) -> pd.Series | None:
    """The denominator of a share by year [count], for the years all its parts are known;
    None for a count or a share whose parts are not in the catalog."""
    if code not in SHARE_PARTS:
        return None
    _, parts = SHARE_PARTS[code]
    wide = pd.concat([series(known, unit, p) for p in parts], axis=1)
    return wide.sum(axis=1, min_count=len(parts)).dropna()


def fit_indicator(known: pd.DataFrame, unit: str, code: str, model: str = "auto",
                  siblings: Sequence[str] = (),
                  prior: tuple[float, float] | None = None) -> FittedModel | None:
    """Fit one indicator of a unit from the figures it has.

    Parameters
    ----------
    known : pandas.DataFrame
        Observations, derived indicators included, up to the last year treated as known.
    unit : str
        Unit id.
    code : str
        Indicator code.
    model : str
        A model of the indicator's family, or ``auto`` for ``ktt.models.fit.DEFAULT_MODEL``.
    siblings : sequence of str
        For counts, the other units of the province to learn a prior from (pooling); empty
        for the unit's own figures only.
    prior : (shape, rate), optional
        For counts without pooling, the Gamma prior on the yearly rate
        (``ktt.models.counts.rate_prior`` of the unit's level) [count per year].

    Returns
    -------
    FittedModel or None
        None when the unit has no figure for the indicator.
    """
    values = series(known, unit, code)
    if values.empty:
        return None
    kind = kind_of(code)
    trials = share_trials(known, unit, code)
    if kind == "count" and siblings:
        rates = {s: series(known, s, code) for s in [unit, *siblings]}
        prior = province_prior(rates)
        if prior is not None:
            dispersion = province_dispersion(rates)
            fitted = fit_model(values, "recent_mean", prior=prior, recent=len(values),
                               dispersion=dispersion)
            note = (f"pooled: mean of all {len(values)} figures with a Gamma({prior[0]:.1f}, "
                    f"{prior[1]:.2f}) prior from the {len(siblings) + 1} units of the province")
            if dispersion is not None:
                note += f", their dispersion {dispersion:.2f}"
            return FittedModel(fitted.indicator, kind, POOLED, model, note,
                               fitted.years, fitted.fit)
    return fit_model(values, model, trials=trials, prior=prior if kind == "count" else None)
