"""One interface over the count, stock and share models: fit a series, simulate joint paths.

A model is named by a string from ``COUNT_MODELS``, ``STOCK_MODELS`` or ``SHARE_MODELS``. A
series too short for the model asked for falls back along ``FALLBACK`` to one it can carry, and
the fitted object says so in ``note``.
"""

from __future__ import annotations

import dataclasses
import warnings
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Protocol

import numpy as np
import pandas as pd

from ktt.errors import KttError
from ktt.inputs.catalog import kind_of
from ktt.models import counts, shares, stocks

COUNT_MODELS = ("poisson", "negbin", "recent_mean", "rate_walk")
"""Models of yearly counts [count per year]."""
STOCK_MODELS = ("log_drift", "linear_drift", "damped_drift", "last_stock")
"""Models of stocks, year-end totals [count]: growth by a percentage or by a number a year
(random walks with drift), by a number that shrinks as dissolutions catch up with foundings,
and the last value."""
SHARE_MODELS = ("binomial", "beta", "logit_normal", "mean_reverting", "last_value")
"""Models of shares [fraction]."""
AUTO_CANDIDATES = {"count": ("negbin", "rate_walk"), "stock": ("damped_drift",),
                   "share": ("mean_reverting",)}
"""Models ``auto`` chooses among or mixes. The Poisson trend is left out: the negative-binomial
trend holds it (dispersion zero), and alone it understates how much a year's foundings vary,
which made its "every year" calls overconfident on the calibration suite. The recent mean is
left out for the rate walk, which holds it (a step sd of 0 is a constant rate) and whose
"every year" calls came true as often as they said where the recent mean's calls of 0.1-0.3
came true 8-10 points more often (the calibration suite, 800 districts). A share has one
candidate, the mean-reverting logit model: its posterior already weighs, by the evidence of
the figures, a level against a line, persistence from none (a line with noise, as the
binomial, beta and logit-normal trends) to a random walk (as the last value), and noise on
top of the counts' own; mixing the other models' paths in by their backtest CRPS only diluted
it. On 400 districts of the calibration suite's seed 2021 the households' Brier score fell
from 0.0498 (all five mixed) to 0.0477, lower in every family, the profitable share's from
0.115 to 0.112; on seed 2022, used for nothing else, from 0.0450 to 0.0435 and from 0.101 to
0.098. A stock has one candidate too, the damped drift: its posterior weighs a steady number a
year (the linear drift), a number that shrinks as dissolutions catch up with foundings, and
growth by a share of the stock. The mixture of the log and linear drifts and the last value by
backtest CRPS mixed paths that grew too fast with paths that stood still: its stock calls of
0.1-0.4 came true 7-11 points less often than they said and its calls of 0.7-0.9 8-10 points
more (seed 2020, 500 districts). Alone, the damped drift's Brier score was 0.129 against the
mixture's 0.133 on 600 districts of seed 2023, and 0.126 against 0.131 on 1,000 of seed 2021,
with no bin of 50 calls or more 8 points off (the mixture's 11)."""
DEFAULT_MODEL = {"count": "poisson", "stock": "log_drift", "share": "binomial"}
"""What ``model="auto"`` asks for, before falling back on a short series."""

MIN_POINTS = {"poisson": 4, "negbin": 6, "recent_mean": 1, "rate_walk": 2, "binomial": 3,
              "beta": 5, "logit_normal": 4, "mean_reverting": 3, "last_value": 1,
              "log_drift": stocks.MIN_STEPS + 1, "linear_drift": stocks.MIN_STEPS + 1,
              "damped_drift": stocks.MIN_STEPS + 1, "last_stock": 1}
"""Fewest figures each model is fitted to; fewer falls back."""
FALLBACK = {"negbin": "poisson", "poisson": "recent_mean", "rate_walk": "recent_mean",
            "binomial": "logit_normal", "beta": "logit_normal", "logit_normal": "last_value",
            "mean_reverting": "last_value", "log_drift": "last_stock",
            "linear_drift": "last_stock", "damped_drift": "last_stock"}
"""Where a model falls back to when the series is too short or the fit fails."""


MODELS = {"count": COUNT_MODELS, "stock": STOCK_MODELS, "share": SHARE_MODELS}
"""The models of each kind of indicator (``catalog.kind_of``)."""


class Simulator(Protocol):
    """What every fitted model offers: ``simulate(years, n_paths, rng)``."""

    def simulate(self, years: Any, n_paths: int, rng: np.random.Generator) -> np.ndarray:
        """Joint paths, shape ``(n_paths, len(years))``."""


@dataclass(frozen=True)
class Fallback:
    """A model that could not serve a series, and why: too few figures, or a fit that failed.
    The fields let a report say it in its own language (``ktt.report.model_table``)."""

    model: str
    """The model that fell back."""
    needs: int = 0
    """Figures it needs, when there were too few; 0 when its fit failed."""
    has: int = 0
    """Figures the series has."""
    error: str = ""
    """The failed fit's own message (English), first line; empty when there were too few."""

    def __str__(self) -> str:
        if self.needs:
            return f"{self.model} needs {self.needs} figures, has {self.has}"
        return f"{self.model}: {self.error}"


@dataclass(frozen=True)
class FittedModel:
    """A model fitted to one indicator's series."""

    indicator: str
    """Indicator code."""
    kind: str
    """``count``, ``stock`` or ``share``."""
    model: str
    """Name of the model actually fitted."""
    requested: str
    """Name asked for (``auto`` or a model name)."""
    note: str
    """Why the fitted model differs from the one asked for; empty when it does not."""
    years: tuple[int, ...]
    """Years the model was fitted to."""
    fit: Simulator = field(repr=False)  # its posterior grids ran to 18,000 characters
    """The model's own fitted object."""
    fallbacks: tuple[Fallback, ...] = ()
    """Each model passed over on the way to ``model``, in order; ``note`` says them."""

    def simulate(self, years, n_paths: int, rng: np.random.Generator) -> np.ndarray:
        """Joint paths over ``years``.

        Parameters
        ----------
        years : sequence of int
            Years to simulate (future years, or past years with no figure).
        n_paths : int
            Number of paths.
        rng : numpy.random.Generator
            Source of randomness; the same seed gives the same paths.

        Returns
        -------
        numpy.ndarray
            Shape ``(n_paths, len(years))``: counts as non-negative whole numbers [count per
            year], stocks as non-negative whole numbers [count], or shares in [0, 1]
            [fraction].
        """
        if n_paths < 1:
            raise ValueError(f"n_paths must be at least 1, got {n_paths}")
        return self.fit.simulate(np.asarray(years, dtype=int), n_paths, rng)


def _fitters(kind: str, trials: pd.Series | None, prior: tuple[float, float] | None,
             recent: int, dispersion: float | None) -> dict[str, Callable]:
    if kind == "count":
        return {"poisson": lambda y, v: counts.fit_poisson(y, v, prior),
                "negbin": lambda y, v: counts.fit_negbin(y, v, prior),
                "recent_mean": lambda y, v: counts.fit_recent_mean(
                    y, v, k=recent, prior=prior,
                    dispersion_prior=dispersion or counts.DISPERSION_PRIOR_MEAN),
                "rate_walk": lambda y, v: counts.fit_rate_walk(
                    y, v, prior=prior,
                    dispersion_prior=dispersion or counts.DISPERSION_PRIOR_MEAN)}
    if kind == "stock":
        return {"log_drift": stocks.fit_log_drift,
                "linear_drift": stocks.fit_linear_drift,
                "damped_drift": stocks.fit_damped_drift,
                "last_stock": stocks.fit_last_stock}

    def binomial(years, values):
        if trials is None:
            raise RuntimeError("needs the counts behind the share")
        n = trials.reindex(years).to_numpy(float)
        # a year with a reported share but no counts is left out, not the whole series
        known = ~np.isnan(n)
        if known.sum() < MIN_POINTS["binomial"]:
            raise RuntimeError(f"needs the counts behind the share for {MIN_POINTS['binomial']} "
                               f"years, has {known.sum()}")
        return shares.fit_binomial(years[known], np.round(values[known] * n[known]), n[known])

    def mean_reverting(years, values):
        # the counts, where known, weigh each year's figure by its binomial precision
        n = None if trials is None else trials.reindex(years).to_numpy(float)
        return shares.fit_mean_reverting(years, values, n)

    return {"binomial": binomial, "beta": shares.fit_beta,
            "logit_normal": shares.fit_logit_normal,
            "mean_reverting": mean_reverting,
            "last_value": shares.fit_last_value}


def check_model(model: str, kind: str) -> None:
    """Raise ``ValueError`` listing the valid names when ``model`` is not one for ``kind``."""
    valid = MODELS[kind]
    if model != "auto" and model not in valid:
        raise ValueError(f"unknown {kind} model '{model}'; valid: auto, {', '.join(valid)}")


def fit_model(series: pd.Series, model: str = "auto", *, kind: str | None = None,
              trials: pd.Series | None = None,
              prior: tuple[float, float] | None = None, recent: int = 5,
              dispersion: float | None = None) -> FittedModel:
    """Fit a model to one indicator's yearly series.

    Parameters
    ----------
    series : pandas.Series
        Values indexed by year; its ``name`` is the indicator code. Gaps are allowed.
    model : str
        A name from ``COUNT_MODELS`` / ``STOCK_MODELS`` / ``SHARE_MODELS``, or ``auto``: the
        kind's default model (``DEFAULT_MODEL``). A forecast's ``auto`` does more: it chooses
        among the kind's candidates by backtest, or mixes them
        (``ktt.forecasting.model_choice.choose_models``), which needs the unit's whole record;
        ``Forecast.fits`` holds what it fitted.
    kind : {"count", "stock", "share"}, optional
        Default: the kind of the indicator named by ``series.name``.
    trials : pandas.Series, optional
        For shares, the denominator by year [count]; the binomial model needs it.
    prior : (shape, rate), optional
        Gamma prior on a count rate [count per year]: ``counts.rate_prior`` of the
        unit's level, or the province's (pooling).
    recent : int
        How many of the last figures ``recent_mean`` averages.
    dispersion : float, optional
        Mean of the main component of the prior on the dispersion of ``recent_mean`` and
        ``rate_walk``; default ``counts.DISPERSION_PRIOR_MEAN``, the province's under pooling.

    Returns
    -------
    FittedModel

    Raises
    ------
    ValueError
        For an unknown model name.
    KttError
        When the series holds no figure.
    """
    kind = kind or kind_of(str(series.name))
    check_model(model, kind)
    clean = series.dropna().sort_index()
    if clean.empty:
        raise KttError(f"no figure for {series.name}: nothing to forecast from; enter the "
                       "unit's figures (see data/README.md)")
    years, values = clean.index.to_numpy(int), clean.to_numpy(float)
    fitters = _fitters(kind, trials, prior, recent, dispersion)
    name = DEFAULT_MODEL[kind] if model == "auto" else model
    fallbacks = []
    while True:
        if len(values) < MIN_POINTS[name]:
            fallbacks.append(Fallback(name, needs=MIN_POINTS[name], has=len(values)))
        else:
            try:
                with warnings.catch_warnings():
                    # A fit that only converges with numerical warnings (all zeros, perfect
                    # separation) is not one to simulate from: fall back instead.
                    warnings.simplefilter("error")
                    fit = fitters[name](years, values)
                break
            except (RuntimeError, np.linalg.LinAlgError, ValueError, Warning) as exc:
                fallbacks.append(Fallback(name, error=str(exc).splitlines()[0]))
        name = FALLBACK[name]
    note = f"fell back to {name} ({'; '.join(map(str, fallbacks))})" if fallbacks else ""
    return FittedModel(str(series.name), kind, name, model, note, tuple(map(int, years)),
                       settle(fit), tuple(fallbacks))


ESTIMATE_DIGITS = {"params": 5, "level": 5, "drift": 5, "phi": 5,
                   "cov": 3, "unscaled_cov": 3, "sigma2": 3, "scale": 3, "step_sd": 3}
"""Significant digits kept of each estimate of a fit: 5 of a point estimate, 3 of a spread."""


def _round(value, digits: int):
    array = np.asarray(value, dtype=float)
    with np.errstate(all="ignore"):
        scale = 10.0 ** (digits - 1 - np.floor(np.log10(np.abs(array))))
        rounded = np.where(np.isfinite(scale) & (array != 0), np.round(array * scale) / scale,
                           array)
    return float(rounded) if np.ndim(value) == 0 else rounded


def settle(fit):
    """A fit with its estimates rounded (``ESTIMATE_DIGITS``), so that every machine
    simulates from the same numbers.

    An optimizer stops anywhere within its tolerance, and another machine's BLAS moves where
    (a beta regression's covariance moved in its sixth digit). The samplers of gamma, beta and
    Poisson draws reject and redraw, so a difference in the last digits changes how many
    random numbers a path uses, and every later path with it. The rounding is far below what
    the figures can tell."""
    if not dataclasses.is_dataclass(fit):
        return fit
    changes = {f.name: _round(getattr(fit, f.name), ESTIMATE_DIGITS[f.name])
               for f in dataclasses.fields(fit) if f.name in ESTIMATE_DIGITS}
    return dataclasses.replace(fit, **changes)


@dataclass(frozen=True)
class MixtureFit:
    """Paths drawn from several fitted models, each contributing its weight's share."""

    components: tuple[Simulator, ...]
    """The fitted models' own objects."""
    weights: tuple[float, ...]
    """Share of the paths of each component; they sum to 1."""
    models: tuple[str, ...]
    """Name of each component's model, as fitted (after any fallback)."""

    def simulate(self, years, n_paths: int, rng: np.random.Generator) -> np.ndarray:
        """Joint paths, each from one component; the number from each is its weight's share of
        ``n_paths`` (largest remainders), so the mixture does not add sampling noise."""
        exact = np.asarray(self.weights) * n_paths
        counts = np.floor(exact).astype(int)
        counts[np.argsort(counts - exact)[: n_paths - counts.sum()]] += 1
        parts = [c.simulate(years, k, rng) for c, k in zip(self.components, counts, strict=True)
                 if k]
        return rng.permutation(np.concatenate(parts), axis=0)


def mix(fits: dict[str, FittedModel], weights: dict[str, float]) -> FittedModel:
    """One model from several fitted to the same series, their paths mixed by ``weights``.

    A component that fell back to another model adds its weight to that model's.

    Parameters
    ----------
    fits : dict
        Model name asked for -> its fit.
    weights : dict
        Model name asked for -> share of the paths [0, 1], summing to 1.

    Returns
    -------
    FittedModel
        ``model`` is ``mixture``, or the one model when all fits are the same model.
    """
    merged: dict[str, float] = {}
    by_fitted: dict[str, FittedModel] = {}
    for name, fitted in fits.items():
        merged[fitted.model] = merged.get(fitted.model, 0.0) + weights[name]
        by_fitted.setdefault(fitted.model, fitted)
    first = next(iter(fits.values()))
    notes = "; ".join(dict.fromkeys(f.note for f in fits.values() if f.note))
    fallbacks = tuple(dict.fromkeys(b for f in fits.values() for b in f.fallbacks))
    if len(merged) == 1:
        return dataclasses.replace(first, model=next(iter(merged)), note=notes,
                                   fallbacks=fallbacks)
    fit = MixtureFit(tuple(by_fitted[m].fit for m in merged), tuple(merged.values()),
                     tuple(merged))
    note = ", ".join(f"{m} {w:.2f}" for m, w in merged.items())
    return dataclasses.replace(first, model="mixture", requested="auto",
                               note=f"mixture: {note}"
                               + (f"; {notes}" if notes else ""), fit=fit,
                               fallbacks=fallbacks)


def served_weights(fitted: FittedModel) -> dict[str, float]:
    """Each model's share of a fit's paths as it serves them, after fallbacks: a mixture's
    components (``mix``), else the one model at 1 [fraction]."""
    if isinstance(fitted.fit, MixtureFit):
        return dict(zip(fitted.fit.models, fitted.fit.weights, strict=True))
    return {fitted.model: 1.0}


def interval_table(paths: np.ndarray, years) -> pd.DataFrame:
    """Median and 80 % / 95 % central intervals of paths, one row per year.

    Returns
    -------
    pandas.DataFrame
        Columns ``year, median, lo80, hi80, lo95, hi95`` in the indicator's unit.
    """
    if not np.isfinite(paths).all():  # no figure to forecast from: no interval either
        q = np.full((5, paths.shape[1]), np.nan)
    else:
        q = np.quantile(paths, [0.5, 0.1, 0.9, 0.025, 0.975], axis=0)
    return pd.DataFrame({"year": list(years), "median": q[0], "lo80": q[1], "hi80": q[2],
                         "lo95": q[3], "hi95": q[4]})
