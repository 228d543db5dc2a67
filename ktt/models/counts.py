"""Models of yearly counts (foundings a year): Poisson and negative-binomial trends, a recent
mean, and a rate walk (a log rate that wanders from year to year).

Each ``fit_*`` takes years and counts and returns a fitted object whose ``simulate`` draws joint
paths carrying parameter uncertainty (the trends' coefficients drawn from their estimated
distribution; the recent mean's and the rate walk's parameters from their posterior on a grid)
and outcome noise. Counts stay non-negative integers.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass

import numpy as np
from scipy import special, stats
from statsmodels.discrete.discrete_model import NegativeBinomial
from statsmodels.genmod import families
from statsmodels.genmod.generalized_linear_model import GLM
from statsmodels.tools.sm_exceptions import ConvergenceWarning

from ktt.models.stocks import random_walk

# exp() of a trend extrapolated far out can overflow; no district founds 10^4 groups a year.
_MAX_LOG_RATE = np.log(1e4)


def design(years: np.ndarray, center: float) -> np.ndarray:
    """Intercept and centred year columns, shape ``(len(years), 2)``."""
    years = np.asarray(years, dtype=float)
    return np.column_stack([np.ones_like(years), years - center])


SLOPE_PRIOR_SD = 0.1
"""Standard deviation of the normal prior on a trend's slope [log per year]. Đắk Lắk's HTX
count grew about 12 % a year 2020-2023 and the country's yearly foundings stayed between 2,000
and 2,700 over 2016-2024 (data/observations.csv): a founding rate that changes by more than
20 % a year for a decade is rare, and 6-8 years of noise should not be extrapolated as if they
were such a change."""

RATE_PRIOR = {"district": (2.25, 0.375), "commune": (2.25, 1.875)}
"""Gamma(shape, rate) prior on a unit's yearly foundings [count per year], by level. For a
district: mean 6, sd 4. Đắk Lắk founded 116 HTX in 2023 over its 15 district-level units
(about 7.7 a unit) and the country 2,000-2,700 a year over about 700 (3-4 a unit); THT add to
these. With 6-12 years of figures the prior matters: a district whose few years looked strong
is pulled toward what districts found, which is what keeps calls of "every year at least 6"
from overconfidence (the calibration suite, ``ktt.calibration.suite``). A commune, one of about
five that took over a district in 2025, gets a fifth of the district's mean. Provinces and the
country are left to their own figures."""


def rate_prior(level: str) -> tuple[float, float] | None:
    """The Gamma(shape, rate) prior on the yearly founding rate of a unit of ``level``
    (``RATE_PRIOR``); a unit of unknown level is taken for a district, the unit ktt's plans
    are written for; None for a province or the country."""
    if level in ("province", "country"):
        return None
    return RATE_PRIOR.get(level, RATE_PRIOR["district"])


def apply_prior(params: np.ndarray, cov: np.ndarray, mean: np.ndarray,
                sd: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Combine an estimate's normal approximation with independent normal priors.

    Each prior is one more observation of its parameter (``mean``, with variance ``sd**2``;
    an infinite ``sd`` is no prior); the posterior is the precision-weighted combination, so a
    parameter estimated from few years is pulled toward its prior and one estimated from many
    is left almost as it is.

    Returns
    -------
    params, cov : numpy.ndarray
        Posterior mean and covariance.
    """
    precision = np.linalg.inv(cov)
    prior = np.diag(1.0 / np.asarray(sd, dtype=float) ** 2)
    post_cov = np.linalg.inv(precision + prior)
    return post_cov @ (precision @ params + prior @ np.asarray(mean, dtype=float)), post_cov


def _trend_prior(k: int, prior: tuple[float, float] | None) -> tuple[np.ndarray, np.ndarray]:
    """Prior means and sds of the trend coefficients: the slope's ``SLOPE_PRIOR_SD``, and with
    a rate prior the log of a Gamma(shape, rate) rate (its mean and sd on the log scale) for
    the intercept; further coefficients (``alpha``) have none."""
    mean, sd = np.zeros(k), np.full(k, np.inf)
    sd[1] = SLOPE_PRIOR_SD
    if prior is not None:
        shape, rate = prior
        mean[0] = special.digamma(shape) - np.log(rate)
        sd[0] = np.sqrt(special.polygamma(1, shape))
    return mean, sd


def draw_coefficients(params: np.ndarray, cov: np.ndarray, n_paths: int,
                      rng: np.random.Generator) -> np.ndarray:
    """Coefficients drawn from their estimated normal distribution, shape ``(n_paths, k)``.

    Through the Cholesky factor of ``cov``, which is unique: an eigen- or singular-value
    decomposition is not (an eigenvector's sign, the order of equal eigenvalues), so the BLAS
    library of another machine would turn the same random numbers into other draws. A
    covariance that is only semi-definite falls back to eigenvectors of fixed sign."""
    try:
        factor = np.linalg.cholesky(cov)
    except np.linalg.LinAlgError:
        values, vectors = np.linalg.eigh(cov)
        vectors = vectors * np.sign(vectors[np.abs(vectors).argmax(axis=0),
                                            np.arange(len(values))])
        factor = vectors * np.sqrt(np.clip(values, 0.0, None))
    z = rng.standard_normal((n_paths, len(params)))
    return np.asarray(params) + z @ factor.T


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


def fit_poisson(years: np.ndarray, counts: np.ndarray,
                prior: tuple[float, float] | None = None) -> TrendCountFit:
    """Poisson GLM with log link and a linear trend on year (statsmodels), the slope shrunk by
    ``SLOPE_PRIOR_SD`` and, given a Gamma(shape, rate) ``prior`` on the rate, the level toward
    it."""
    center = float(np.mean(years))
    result = GLM(counts, design(years, center), family=families.Poisson()).fit()
    params, cov = apply_prior(np.asarray(result.params), np.asarray(result.cov_params()),
                              *_trend_prior(2, prior))
    return TrendCountFit(params, cov, center, negbin=False)


ALPHA_BOUND = 1e-3
"""A negative-binomial fit whose dispersion ``alpha`` ends below this is at its bound of 0
(Poisson): ``fit_negbin`` refuses it, and the caller falls back to Poisson."""


def fit_negbin(years: np.ndarray, counts: np.ndarray,
               prior: tuple[float, float] | None = None) -> TrendCountFit:
    """Negative-binomial (NB2) regression with a linear trend, the slope shrunk by
    ``SLOPE_PRIOR_SD`` and the level toward ``prior`` as in ``fit_poisson``; ``alpha``
    estimated (statsmodels).

    Raises
    ------
    RuntimeError
        When the maximum-likelihood fit does not converge, or its dispersion ends at its bound
        (``ALPHA_BOUND``); the caller falls back to Poisson.
    """
    center = float(np.mean(years))
    with warnings.catch_warnings():
        # Non-convergence is checked below and answered by falling back to Poisson.
        warnings.simplefilter("ignore", ConvergenceWarning)
        model = NegativeBinomial(counts, design(years, center))
        result = model.fit(disp=0, maxiter=200)
    if not result.mle_retvals["converged"]:
        raise RuntimeError("negative-binomial fit did not converge")
    params, cov = np.asarray(result.params), np.asarray(result.cov_params())
    if params[2] < ALPHA_BOUND:
        # At its bound the dispersion's Wald variance is no variance: the Hessian cancels
        # digits there (another machine's BLAS moved it by 15 %, even its sign), and the
        # data show no overdispersion; Poisson, the fallback, is the model they support.
        raise RuntimeError(f"negative-binomial dispersion at its bound ({params[2]:.1g})")
    if not np.all(np.isfinite(cov)):
        raise RuntimeError("negative-binomial fit did not converge")
    params, cov = apply_prior(params, cov, *_trend_prior(3, prior))
    return TrendCountFit(params, cov, center, negbin=True)


DISPERSION_PRIOR_MEAN = 0.05
"""Mean of the main exponential component of the prior on the negative-binomial dispersion
``alpha`` of a unit's yearly foundings [dimensionless: a year's rate has variance
``alpha * rate**2``]; ``DISPERSION_TAIL`` is the other. 6-12 yearly figures tell little about
``alpha``, so its prior decides much of the spread of every forecast year, and "at least 6
*every* year" compounds that spread over five years. Most weight sits near Poisson
(``alpha`` 0), where a steady district's foundings are; the tail lets a record of campaign
years and lean years show a rate that varies by +-70 % (``alpha`` 0.5) or more.

Set from the calibration suite (``ktt.calibration.suite``), whose districts found as Poisson
(steady, trending) or vary by up to +-70 % (drifting, reverting). With the rate walk, on 400
districts (seed 2023, 690 formation calls) the Brier score was 0.1385 with one exponential of
mean 0.15 (calls of 0.1-0.8 came true 5-9 points more often than they said), 0.1365 with mean
0.08, 0.1357 with 0.05, 0.1366 with 0.05 and this tail; a point mass on Poisson beside a wider
prior gave 0.1368-0.1387, and a trend in the walk 0.1379-0.1442. On 4,000 held-out districts
(seed 2021, 6,924 calls): 0.1419 with 0.15, whose bins were 2-9 points under what came true;
0.1403 with 0.05 alone, whose calls of 0.99 on a record such as 12, 47, 25, 27 failed; 0.1398
with the tail, every bin within 4 points."""
DISPERSION_TAIL = (0.1, 0.5)
"""Weight [fraction] and mean of the wider exponential component of the prior on ``alpha``:
one unit in ten founds in campaigns and lean years, and its record, not the main component,
then says how much."""


def log_dispersion_prior(alpha: np.ndarray, mean: float) -> np.ndarray:
    """Log density of the prior on the dispersion ``alpha`` (array): an exponential of mean
    ``mean`` (``DISPERSION_PRIOR_MEAN``, or a province's estimate under pooling) mixed with
    the wider one of ``DISPERSION_TAIL``."""
    weight, tail = DISPERSION_TAIL
    return np.logaddexp(np.log1p(-weight) - np.log(mean) - alpha / mean,
                        np.log(weight) - np.log(tail) - alpha / tail)


@dataclass(frozen=True)
class RecentMeanFit:
    """A constant yearly rate from the recent years, with a Gamma-Poisson (negative-binomial)
    predictive: the rate ``mu`` and the dispersion ``alpha`` are drawn per path from their
    posterior on a grid, and each year's rate varies around ``mu`` by ``alpha``."""

    mu: np.ndarray
    """Grid of the mean rate [count per year]."""
    alpha: np.ndarray
    """Grid of the dispersion: a year's rate has variance ``alpha * mu**2``."""
    posterior: np.ndarray
    """Posterior probability of each (mu, alpha) cell, shape ``(len(mu), len(alpha))``."""

    def simulate(self, years, n_paths: int, rng: np.random.Generator) -> np.ndarray:
        """Paths with a rate and a dispersion per path (parameter uncertainty) and a
        Gamma-Poisson count per year (overdispersion and Poisson noise)."""
        cells = rng.choice(self.posterior.size, size=n_paths, p=self.posterior.ravel())
        i, j = np.unravel_index(cells, self.posterior.shape)
        mu, alpha = self.mu[i, None], self.alpha[j, None]
        rate = mu * rng.gamma(1.0 / alpha, alpha, size=(n_paths, len(years)))
        return rng.poisson(rate).astype(float)

    @property
    def mean_rate(self) -> float:
        """Posterior mean of ``mu`` [count per year]."""
        return float(self.posterior.sum(axis=1) @ self.mu)

    @property
    def mean_dispersion(self) -> float:
        """Posterior mean of ``alpha``."""
        return float(self.posterior.sum(axis=0) @ self.alpha)


def _nb_loglik(counts: np.ndarray, mu: np.ndarray, alpha: np.ndarray) -> np.ndarray:
    """Negative-binomial log-likelihood of ``counts`` at every (mu, alpha) of a grid."""
    size = 1.0 / alpha
    return stats.nbinom.logpmf(counts.reshape(-1, *[1] * mu.ndim), size,
                               size / (size + mu)).sum(0)


def fit_recent_mean(years: np.ndarray, counts: np.ndarray, k: int = 5,
                    prior: tuple[float, float] | None = None,
                    dispersion_prior: float = DISPERSION_PRIOR_MEAN) -> RecentMeanFit:
    """Recent-mean baseline: a negative-binomial rate from the last ``k`` counts.

    The posterior of the mean rate ``mu`` and the dispersion ``alpha`` is computed on a grid
    (scipy's negative-binomial likelihood), so that a few years carry the uncertainty of their
    mean and a spread wider than Poisson shows in every simulated year. ``mu`` is learnt from
    the last ``k`` figures, ``alpha`` from all of them.

    Parameters
    ----------
    years, counts : numpy.ndarray
        The figures [count per year]; gaps are allowed.
    k : int
        How many of the last figures are averaged.
    prior : (shape, rate), optional
        Gamma prior on ``mu`` (``rate_prior``); default log-uniform. Pooling passes an
        empirical-Bayes prior estimated from the other units of the province.
    dispersion_prior : float
        Mean of the main component of the prior on ``alpha`` (``log_dispersion_prior``).
    """
    ordered = np.asarray(counts, dtype=float)[np.argsort(years)]
    recent, older = ordered[-k:], ordered[:-k]
    m = recent.mean()
    mu = np.geomspace(max(m, 0.5) / 10, (m + 1) * 5, 150)
    alpha = np.concatenate([[1e-6], np.geomspace(0.01, 5.0, 59)])
    grid_mu, grid_alpha = np.meshgrid(mu, alpha, indexing="ij")
    shape, rate = prior if prior is not None else (0.0, 0.0)
    # cells are geometric in both parameters: their widths are proportional to the value
    log_prior_mu = (shape - 1) * np.log(grid_mu) - rate * grid_mu + np.log(grid_mu)
    log_post = (_nb_loglik(recent, grid_mu, grid_alpha) + log_prior_mu
                + log_dispersion_prior(grid_alpha, dispersion_prior)
                + np.log(np.gradient(alpha))[None, :])
    if len(older):
        # Older years still tell how much a year varies, around a level of their own that
        # the recent years have replaced: that level is integrated out. A drift in the rate
        # shows there as dispersion.
        log_post = log_post + special.logsumexp(
            _nb_loglik(older, grid_mu, grid_alpha) + log_prior_mu, axis=0)[None, :]
    posterior = np.exp(log_post - log_post.max())
    return RecentMeanFit(mu, alpha, posterior / posterior.sum())


WALK_SD = np.array([0.0, 0.03, 0.06, 0.1, 0.15, 0.2, 0.3])
"""Grid of the yearly step sd of the log founding rate [log per year] that ``fit_rate_walk``
weighs: from a rate that stays put to one that can halve in four years."""
WALK_SD_PRIOR = np.array([0.5] + [0.5 / (len(WALK_SD) - 1)] * (len(WALK_SD) - 1))
"""Prior probability of each ``WALK_SD``: even odds between a rate that holds (the recent mean's
assumption, and the official plans' premise of a steady pace) and one that wanders (campaign
years, a province's push, a programme that ends), spread evenly over the sizes of step."""
_STATES = 80
"""Points of the grid of the log rate the walk's filter runs on."""


@dataclass(frozen=True)
class RateWalkFit:
    """A yearly rate whose logarithm walks (local level), with negative-binomial years.

    The posterior over the step sd and the dispersion is on a grid, and for each of their
    cells the filtered distribution of the last known year's log rate; paths draw a cell, a
    log rate, then walk on from it."""

    walk_sd: np.ndarray
    """Grid of the step sd [log per year]."""
    alpha: np.ndarray
    """Grid of the dispersion: a year's rate has variance ``alpha * rate**2``."""
    posterior: np.ndarray
    """Posterior probability of each (walk_sd, alpha) cell."""
    states: np.ndarray
    """Grid of the log rate [log count per year], evenly spaced."""
    filtered: np.ndarray
    """Distribution of the log rate in ``last_year`` given the figures, per cell, shape
    ``(len(walk_sd), len(alpha), len(states))``."""
    last_year: int
    """Last year with a figure."""

    def simulate(self, years, n_paths: int, rng: np.random.Generator) -> np.ndarray:
        """Paths of yearly counts, shape ``(n_paths, len(years))`` [count per year]; a year
        before ``last_year`` (a gap) is reached by a walk of its own backward."""
        years = np.asarray(years, dtype=int)
        cells = rng.choice(self.posterior.size, size=n_paths, p=self.posterior.ravel())
        s, a = np.unravel_index(cells, self.posterior.shape)
        # the state cell of each path, from that path's filtered distribution
        cdf = np.cumsum(self.filtered[s, a], axis=1)
        index = (cdf < rng.random((n_paths, 1)) * cdf[:, -1:]).sum(axis=1)
        width = self.states[1] - self.states[0]
        start = self.states[np.minimum(index, len(self.states) - 1)]
        start = start + rng.uniform(-width / 2, width / 2, n_paths)
        log_rate = start[:, None] + random_walk(years, self.last_year, np.zeros(n_paths),
                                                self.walk_sd[s], rng)
        alpha = self.alpha[a, None]
        rate = np.exp(np.minimum(log_rate, _MAX_LOG_RATE))
        rate = rate * rng.gamma(1.0 / alpha, alpha, size=rate.shape)
        return rng.poisson(rate).astype(float)

    @property
    def mean_walk_sd(self) -> float:
        """Posterior mean of the step sd [log per year]."""
        return float(self.posterior.sum(axis=1) @ self.walk_sd)

    @property
    def mean_dispersion(self) -> float:
        """Posterior mean of the dispersion ``alpha``."""
        return float(self.posterior.sum(axis=0) @ self.alpha)


def fit_rate_walk(years: np.ndarray, counts: np.ndarray,
                  prior: tuple[float, float] | None = None,
                  dispersion_prior: float = DISPERSION_PRIOR_MEAN) -> RateWalkFit:
    """A log rate that walks from year to year, counts negative-binomial around it.

    The exact likelihood of every (step sd, dispersion) of a grid comes from a forward filter
    over a grid of the log rate (a hidden Markov model; a gap is a step with no figure), so
    years far back count for less when the rate wanders, and the forecast widens with the
    horizon as the rate can keep wandering. A step sd of 0 is a constant rate from all years.

    Parameters
    ----------
    years, counts : numpy.ndarray
        The figures [count per year]; gaps are allowed.
    prior : (shape, rate), optional
        Gamma prior on the rate of the first year (``rate_prior``); default flat on the log
        scale.
    dispersion_prior : float
        Mean of the main component of the prior on the dispersion ``alpha``
        (``log_dispersion_prior``).
    """
    order = np.argsort(years)
    years = np.asarray(years, dtype=int)[order]
    values = np.asarray(counts, dtype=float)[order]
    states = np.linspace(np.log(max(values.min(), 0.5) / 8), np.log((values.max() + 1) * 4),
                         _STATES)
    alpha = np.concatenate([[1e-6], np.geomspace(0.01, 5.0, 19)])
    log_prior_cell = (np.log(WALK_SD_PRIOR)[:, None]
                      + (log_dispersion_prior(alpha, dispersion_prior)
                         + np.log(np.gradient(alpha)))[None, :])
    # transition between state points for each step sd; sd 0 stays put
    distance = states[None, :] - states[:, None]
    transition = np.empty((len(WALK_SD), _STATES, _STATES))
    transition[0] = np.eye(_STATES)
    sd = WALK_SD[1:, None, None]
    transition[1:] = np.exp(-0.5 * (distance[None] / sd) ** 2)
    transition /= transition.sum(axis=2, keepdims=True)
    if prior is not None:
        shape, rate = prior
        start = shape * states - rate * np.exp(states)
    else:
        start = np.zeros(_STATES)
    size = 1.0 / alpha[:, None]
    emission = stats.nbinom.logpmf(values[:, None, None], size[None],
                                   size[None] / (size[None] + np.exp(states)[None, None, :]))
    # forward filter in probabilities, renormalised each year, the log normalisers summed
    belief = np.broadcast_to(np.exp(start - start.max()),
                             (len(WALK_SD), len(alpha), _STATES)).copy()
    log_evidence = np.zeros((len(WALK_SD), len(alpha)))
    for t, year in enumerate(years):
        if t:
            for _ in range(year - years[t - 1]):
                belief = np.einsum("sag,sgh->sah", belief, transition)
        like = np.exp(emission[t] - emission[t].max(axis=1, keepdims=True))
        belief = belief * like[None]
        total = belief.sum(axis=2)
        log_evidence += np.log(total) + emission[t].max(axis=1)[None, :]
        belief /= total[..., None]
    log_post = log_evidence + log_prior_cell
    posterior = np.exp(log_post - log_post.max())
    return RateWalkFit(WALK_SD, alpha, posterior / posterior.sum(), states, belief,
                       int(years[-1]))
