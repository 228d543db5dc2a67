"""Models of shares in [0, 1]: binomial GLM, beta regression, logit-normal trend, last value.

Each ``fit_*`` returns an object whose ``simulate`` draws joint paths carrying parameter
uncertainty and outcome noise; simulated shares stay in [0, 1].
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass

import numpy as np
from scipy import special
from statsmodels.genmod import families
from statsmodels.genmod.generalized_linear_model import GLM
from statsmodels.othermod.betareg import BetaModel
from statsmodels.regression.linear_model import OLS
from statsmodels.tools.sm_exceptions import ConvergenceWarning

from ktt.models.counts import design, draw_coefficients

_EDGE = 1e-3
"""Shares of exactly 0 or 1 are moved this far inside before a logit or a beta fit."""


def _logit(shares: np.ndarray) -> np.ndarray:
    return special.logit(np.clip(shares, _EDGE, 1 - _EDGE))


@dataclass(frozen=True)
class BinomialFit:
    """Binomial GLM with logit link and a trend, for shares whose counts are known."""

    params: np.ndarray
    """Intercept at ``center`` and slope [logit per year]."""
    cov: np.ndarray
    """Covariance of ``params``, inflated by the overdispersion ``scale``."""
    center: float
    """Year the intercept refers to."""
    trials: float
    """Denominator carried forward: the last known one [count]."""
    scale: float
    """Pearson overdispersion, at least 1 (1 for a pure binomial); shrinks the effective
    trials."""

    def simulate(self, years, n_paths: int, rng: np.random.Generator) -> np.ndarray:
        """Paths of the share [fraction]: Binomial(trials / scale, p) / (trials / scale)."""
        draws = draw_coefficients(self.params, self.cov, n_paths, rng)
        p = special.expit(draws @ design(years, self.center).T)
        effective = max(1, round(self.trials / self.scale))
        return rng.binomial(effective, p) / effective


def fit_binomial(years: np.ndarray, successes: np.ndarray, trials: np.ndarray) -> BinomialFit:
    """Quasi-binomial GLM (scale from Pearson chi-square) of successes out of trials."""
    center = float(np.mean(years))
    trials = np.asarray(trials, dtype=float)
    # Proportions weighted by trials: the form whose Pearson X2 gives the overdispersion scale.
    result = GLM(np.asarray(successes) / trials, design(years, center),
                    family=families.Binomial(), var_weights=trials).fit(scale="X2")
    # Pearson X2 from a handful of years is often far below 1 by chance; a scale under 1
    # would claim more precision than binomial sampling allows, so it is floored there.
    scale = max(float(result.scale), 1.0)
    cov = np.asarray(result.cov_params()) * scale / float(result.scale)
    return BinomialFit(np.asarray(result.params), cov, center,
                       float(trials[np.argmax(years)]), scale)


@dataclass(frozen=True)
class BetaFit:
    """Beta regression: logit mean with a trend, constant precision (statsmodels ``BetaModel``)."""

    params: np.ndarray
    """Intercept, slope [logit per year] and log precision."""
    cov: np.ndarray
    """Covariance of ``params``."""
    center: float
    """Year the intercept refers to."""

    def simulate(self, years, n_paths: int, rng: np.random.Generator) -> np.ndarray:
        """Paths of the share [fraction], Beta(mu * phi, (1 - mu) * phi) each year."""
        draws = draw_coefficients(self.params, self.cov, n_paths, rng)
        mu = special.expit(draws[:, :2] @ design(years, self.center).T)
        phi = np.exp(np.minimum(draws[:, 2:3], 20.0))
        return rng.beta(mu * phi, (1 - mu) * phi)


def fit_beta(years: np.ndarray, shares: np.ndarray) -> BetaFit:
    """Beta regression on year; shares at 0 or 1 are moved just inside first."""
    center = float(np.mean(years))
    endog = np.clip(shares, _EDGE, 1 - _EDGE)
    model = BetaModel(endog, design(years, center))
    with warnings.catch_warnings():
        # BFGS may stop on a loss of precision a hair from the optimum, on one machine's BLAS
        # and not another's; Newton steps from where it stopped settle it the same everywhere.
        warnings.simplefilter("ignore", ConvergenceWarning)
        start = model.fit(disp=0).params
    result = model.fit(start_params=start, method="newton", maxiter=50, disp=0)
    if not result.mle_retvals["converged"]:
        raise RuntimeError("beta regression did not converge")
    cov = np.asarray(result.cov_params())
    if not np.all(np.isfinite(cov)):
        raise RuntimeError("beta regression did not converge")
    return BetaFit(np.asarray(result.params), cov, center)


@dataclass(frozen=True)
class LogitNormalFit:
    """Linear trend on the logit of the share with normal errors (OLS, flat-prior predictive)."""

    params: np.ndarray
    """Intercept at ``center`` and slope [logit per year]."""
    unscaled_cov: np.ndarray
    """(X'X)^-1."""
    sigma2: float
    """Residual variance on the logit scale."""
    df: int
    """Residual degrees of freedom."""
    center: float
    """Year the intercept refers to."""

    def simulate(self, years, n_paths: int, rng: np.random.Generator) -> np.ndarray:
        """Paths of the share [fraction]; sigma drawn from its scaled inverse chi-square."""
        sigma2 = self.sigma2 * self.df / rng.chisquare(self.df, size=(n_paths, 1))
        z = draw_coefficients(np.zeros(2), self.unscaled_cov, n_paths, rng)
        coefs = self.params + z * np.sqrt(sigma2)
        noise = rng.standard_normal((n_paths, len(years))) * np.sqrt(sigma2)
        return special.expit(coefs @ design(years, self.center).T + noise)


def fit_logit_normal(years: np.ndarray, shares: np.ndarray) -> LogitNormalFit:
    """OLS of logit(share) on year (statsmodels)."""
    center = float(np.mean(years))
    x = design(years, center)
    result = OLS(_logit(shares), x).fit()
    return LogitNormalFit(np.asarray(result.params), np.linalg.inv(x.T @ x),
                          float(result.scale), int(result.df_resid), center)


@dataclass(frozen=True)
class LastValueFit:
    """Last value, then a random walk on the logit scale."""

    last_logit: float
    """Logit of the last observed share."""
    last_year: int
    """Year of the last observed share."""
    step_sd: float
    """Standard deviation of a one-year step [logit]."""

    def simulate(self, years, n_paths: int, rng: np.random.Generator) -> np.ndarray:
        """Paths of the share [fraction]; steps accumulate along each path."""
        years = np.asarray(years, dtype=int)
        order = np.argsort(years)
        gaps = np.diff(np.concatenate([[self.last_year], years[order]]))
        steps = rng.standard_normal((n_paths, len(years))) * self.step_sd
        walk = np.cumsum(steps * np.sqrt(np.abs(gaps)), axis=1)
        out = np.empty_like(walk)
        out[:, order] = walk
        return special.expit(self.last_logit + out)


@dataclass(frozen=True)
class MeanRevertingFit:
    """AR(1) on the logit scale: each year the share's logit moves back toward a level by a
    fraction ``1 - phi`` of its distance and takes a normal step."""

    last_logit: float
    """Logit of the last observed share."""
    last_year: int
    """Year of the last observed share."""
    level: float
    """Mean of the observed logits: the level the share reverts to."""
    n: int
    """Number of figures behind ``level``."""
    phi: float
    """Least-squares persistence from consecutive years."""
    phi_scale: float
    """Sum of squared centred lagged logits: ``phi`` has variance ``sigma2 / phi_scale``."""
    sigma2: float
    """Residual variance of a one-year step [logit^2]."""
    df: int
    """Residual degrees of freedom."""

    def simulate(self, years, n_paths: int, rng: np.random.Generator) -> np.ndarray:
        """Paths of the share [fraction]: step variance, persistence and level drawn per path
        (scaled inverse chi-square, then normal), then the AR(1) run year by year."""
        years = np.asarray(years, dtype=int)
        sigma2 = self.sigma2 * self.df / rng.chisquare(self.df, size=n_paths)
        sigma = np.sqrt(sigma2)
        phi = np.clip(self.phi + rng.standard_normal(n_paths) * sigma / np.sqrt(self.phi_scale),
                      PHI_RANGE[0], PHI_RANGE[1])
        # The uncertainty of the mean of an AR(1) series grows as 1 / (1 - phi); capped, so that
        # a near random walk does not draw levels far outside anything observed.
        level_sd = sigma / np.sqrt(self.n) / (1 - np.minimum(phi, 0.9))
        level = self.level + rng.standard_normal(n_paths) * level_sd
        x = np.full(n_paths, self.last_logit)
        out = np.empty((n_paths, len(years)))
        for year in range(self.last_year + 1, int(years.max()) + 1):
            x = level + phi * (x - level) + rng.standard_normal(n_paths) * sigma
            out[:, years == year] = x[:, None]
        return special.expit(out)


PHI_RANGE = (-0.5, 0.98)
"""Persistence drawn per path is kept in this range: a share's logit neither flips sign every
year nor wanders off without bound."""


def fit_mean_reverting(years: np.ndarray, shares: np.ndarray) -> MeanRevertingFit:
    """AR(1) of the logit around its mean, from the pairs of consecutive years (least squares
    through the origin, statsmodels); years after a gap start a new run.

    Raises
    ------
    RuntimeError
        With fewer than four pairs of consecutive years.
    """
    order = np.argsort(years)
    years, logits = np.asarray(years)[order], _logit(np.asarray(shares)[order])
    level = float(logits.mean())
    consecutive = np.diff(years) == 1
    lagged, current = logits[:-1][consecutive] - level, logits[1:][consecutive] - level
    if len(current) < 4:
        raise RuntimeError(f"needs 4 pairs of consecutive years, has {len(current)}")
    result = OLS(current, lagged[:, None]).fit()
    scale = float(lagged @ lagged)
    if scale <= 0:
        raise RuntimeError("the share never moved: no persistence to estimate")
    return MeanRevertingFit(float(logits[-1]), int(years[-1]), level, len(logits),
                            float(result.params[0]), scale, max(float(result.scale), 1e-4),
                            int(result.df_resid))


DEFAULT_STEP_SD = 0.3
"""Assumed yearly step [logit] when fewer than three figures give no spread to measure:
about +-7 percentage points a year around a share of 50 %."""


def fit_last_value(years: np.ndarray, shares: np.ndarray) -> LastValueFit:
    """Last-value baseline; the step spread comes from year-on-year logit changes when known."""
    order = np.argsort(years)
    years, logits = np.asarray(years)[order], _logit(np.asarray(shares)[order])
    if len(years) >= 3:
        steps = np.diff(logits) / np.sqrt(np.diff(years))
        step_sd = float(max(np.std(steps, ddof=1), 0.05))
    else:
        step_sd = DEFAULT_STEP_SD
    return LastValueFit(float(logits[-1]), int(years[-1]), step_sd)

