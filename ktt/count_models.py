"""Models of yearly counts (foundings a year): Poisson and negative-binomial trends, a recent mean.

Each ``fit_*`` takes years and counts and returns a fitted object whose ``simulate`` draws joint
paths carrying parameter uncertainty (coefficients drawn from their estimated distribution) and
outcome noise. Counts stay non-negative integers.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass

import numpy as np
import statsmodels.api as sm
from statsmodels.tools.sm_exceptions import ConvergenceWarning

# exp() of a trend extrapolated far out can overflow; no district founds 10^4 groups a year.
_MAX_LOG_RATE = np.log(1e4)


def design(years: np.ndarray, center: float) -> np.ndarray:
    """Intercept and centred year columns, shape ``(len(years), 2)``."""
    years = np.asarray(years, dtype=float)
    return np.column_stack([np.ones_like(years), years - center])


def draw_coefficients(params: np.ndarray, cov: np.ndarray, n_paths: int,
                      rng: np.random.Generator) -> np.ndarray:
    """Coefficients drawn from their estimated normal distribution, shape ``(n_paths, k)``."""
    return rng.multivariate_normal(params, cov, size=n_paths, method="eigh")


@dataclass(frozen=True)
class TrendCountFit:
    """A log-linear trend in the yearly rate: Poisson, or negative binomial when ``alpha``."""

    params: np.ndarray
    """Intercept at ``center`` and slope [log count per year]; for negbin also ``alpha``."""
    cov: np.ndarray
    """Covariance of ``params``."""
    center: float
    """Year the intercept refers to (mean of the fitted years)."""
    negbin: bool
    """Whether the last parameter is the negative-binomial dispersion ``alpha``."""

    def simulate(self, years, n_paths: int, rng: np.random.Generator) -> np.ndarray:
        """Joint paths of yearly counts, shape ``(n_paths, len(years))`` [count per year]."""
        draws = draw_coefficients(self.params, self.cov, n_paths, rng)
        log_rate = np.minimum(draws[:, :2] @ design(years, self.center).T, _MAX_LOG_RATE)
        rate = np.exp(log_rate)
        if self.negbin:
            # Gamma-Poisson mixture: mean rate, variance rate + alpha * rate^2.
            alpha = np.maximum(draws[:, 2:3], 1e-8)
            rate = rate * rng.gamma(1.0 / alpha, alpha, size=rate.shape)
        return rng.poisson(rate).astype(float)


def fit_poisson(years: np.ndarray, counts: np.ndarray) -> TrendCountFit:
    """Poisson GLM with log link and a linear trend on year (statsmodels)."""
    center = float(np.mean(years))
    result = sm.GLM(counts, design(years, center), family=sm.families.Poisson()).fit()
    return TrendCountFit(np.asarray(result.params), np.asarray(result.cov_params()), center,
                         negbin=False)


def fit_negbin(years: np.ndarray, counts: np.ndarray) -> TrendCountFit:
    """Negative-binomial (NB2) regression with a linear trend; ``alpha`` estimated (statsmodels).

    Raises
    ------
    RuntimeError
        When the maximum-likelihood fit does not converge (the caller falls back to Poisson).
    """
    center = float(np.mean(years))
    with warnings.catch_warnings():
        # Non-convergence is checked below and answered by falling back to Poisson.
        warnings.simplefilter("ignore", ConvergenceWarning)
        result = sm.NegativeBinomial(counts, design(years, center)).fit(disp=0, maxiter=200)
    cov = np.asarray(result.cov_params())
    if not result.mle_retvals["converged"] or not np.all(np.isfinite(cov)):
        raise RuntimeError("negative-binomial fit did not converge")
    return TrendCountFit(np.asarray(result.params), cov, center, negbin=True)


@dataclass(frozen=True)
class RecentMeanFit:
    """The mean of the last ``k`` years, as a Gamma posterior on a Poisson rate."""

    shape: float
    """Gamma shape: prior shape + sum of the recent counts."""
    rate: float
    """Gamma rate: prior rate + number of recent years [years]."""

    def simulate(self, years, n_paths: int, rng: np.random.Generator) -> np.ndarray:
        """Paths with one rate per path (parameter uncertainty) and Poisson noise per year."""
        lam = rng.gamma(self.shape, 1.0 / self.rate, size=(n_paths, 1))
        return rng.poisson(np.broadcast_to(lam, (n_paths, len(years)))).astype(float)


def fit_recent_mean(years: np.ndarray, counts: np.ndarray, k: int = 5,
                    prior: tuple[float, float] = (0.5, 0.0)) -> RecentMeanFit:
    """Recent-mean baseline: a Poisson rate from the last ``k`` counts.

    Parameters
    ----------
    prior : (shape, rate)
        Gamma prior on the rate; the default (0.5, 0) is Jeffreys' prior. Pooling passes an
        empirical-Bayes prior estimated from the other units of the province.
    """
    recent = np.asarray(counts, dtype=float)[np.argsort(years)][-k:]
    return RecentMeanFit(prior[0] + recent.sum(), prior[1] + len(recent))
