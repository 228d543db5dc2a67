"""Models of stocks (year-end totals that grow by net foundings): growth on the log scale with a
drift, net additions a year with a drift, net additions that shrink as the stock grows (a
balance of foundings and dissolutions), and the last value.

A stock is a total at year end (HTX on record, members, unions): each year adds the year's
foundings and takes away its dissolutions, so next year's figure is this year's plus a change,
and the changes, not the levels, are what repeats. Each ``fit_*`` takes years and figures and
returns a fitted object whose ``simulate`` draws joint paths carrying parameter uncertainty
(the drift and the spread of a year's change drawn per path from their posterior) and outcome
noise (each year's change). Paths stay non-negative whole numbers.

The two drift models are the same random walk with drift on two scales:

- ``log_drift``: ``log(1 + stock)`` changes by a drift ``mu`` a year plus a normal step; the
  stock grows by a steady percentage (the national HTX count, +5 to +7 % a year 2018-2025);
- ``linear_drift``: the stock itself changes by ``mu`` a year plus a normal step; it grows by
  a steady number of net foundings a year (the national HTX count, +1,300 to +2,000 a year).

Both estimate ``mu`` and the step variance ``sigma**2`` from the year-on-year changes; a change
over a gap of ``g`` years counts as ``g`` steps (mean ``g * mu``, variance ``g * sigma**2``).
With the reference prior (flat on ``mu`` and ``log sigma``) the posterior is
``sigma**2 ~ scaled-inverse-chi-square(n - 1, s**2)`` and ``mu | sigma ~ N(mu_hat,
sigma**2 / G)`` (``G`` the years spanned), so a forecast of ``h`` years carries Student-t
uncertainty with ``n - 1`` degrees of freedom: intervals that cover what they claim on a
random walk with drift, however short the record, as long as it has ``MIN_STEPS`` changes.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

_MAX_LOG = np.log(1e12)
"""Cap on a simulated log stock: a heavy-tailed draw from a short record must not overflow."""

MIN_STEPS = 3
"""Fewest year-on-year changes a drift model is fitted to: with fewer the step spread has less
than two degrees of freedom and the forecast has Cauchy-like tails (the caller falls back to
``last_stock``, ``ktt.models.fit.FALLBACK``)."""

STEP_SD_PRIOR = (0.10, 2)
"""Scaled-inverse-chi-square prior (scale, degrees of freedom) on the spread of a year's change
on the log scale for the ``last_stock`` baseline: about +-10 % a year, held as firmly as two
observed changes would hold it. District and provincial HTX counts move by this much (Đắk
Lắk's grew about 12 % a year 2020-2023, data/observations.csv); the country's total moves
less (+5 to +7 % a year), so a record of one or two figures gets wide, heavy-tailed intervals
rather than a confident answer, and a longer record soon outweighs the prior."""


def _scale(values: np.ndarray, log: bool) -> np.ndarray:
    values = np.asarray(values, dtype=float)
    return np.log1p(values) if log else values


def _unscale(x: np.ndarray, log: bool) -> np.ndarray:
    """Back to stocks: non-negative whole numbers."""
    stock = np.expm1(np.minimum(x, _MAX_LOG)) if log else x
    return np.round(np.maximum(stock, 0.0))


def _steps(years: np.ndarray, values: np.ndarray, log: bool) -> tuple[np.ndarray, np.ndarray,
                                                                     np.ndarray]:
    """Sorted years, the scaled figures, the changes between consecutive figures and the gaps
    they span [years]."""
    order = np.argsort(years)
    years = np.asarray(years, dtype=int)[order]
    x = _scale(np.asarray(values)[order], log)
    return years, x, np.diff(x), np.diff(years).astype(float)


def random_walk(years: np.ndarray, last_year: int, drift: np.ndarray, sd: np.ndarray,
                rng: np.random.Generator) -> np.ndarray:
    """Displacement from the last figure at each of ``years``, shape ``(n_paths, len(years))``:
    a random walk with per-path ``drift`` and step ``sd`` (columns), steps accumulating along
    each path forward from ``last_year``. A year before ``last_year`` (a gap in the record) is
    reached by a walk of its own backward."""
    years = np.asarray(years, dtype=int)
    n_paths = len(drift)
    out = np.zeros((n_paths, len(years)))
    for ahead in (True, False):
        chosen = years > last_year if ahead else years <= last_year
        if not chosen.any():
            continue
        distance = np.abs(years[chosen] - last_year)
        order = np.argsort(distance)
        gaps = np.diff(np.concatenate([[0], distance[order]]))
        steps = (drift[:, None] * gaps * (1 if ahead else -1)
                 + rng.standard_normal((n_paths, len(gaps))) * sd[:, None] * np.sqrt(gaps))
        walked = np.cumsum(steps, axis=1)
        columns = np.flatnonzero(chosen)
        out[:, columns[order]] = walked
    return out


@dataclass(frozen=True)
class DriftFit:
    """A random walk with drift on the log scale (``log``) or on the stock itself."""

    log: bool
    """Whether the walk is on ``log(1 + stock)`` (growth by a percentage) or on the stock
    (growth by a number a year)."""
    last: float
    """The last figure on the walk's scale."""
    last_year: int
    """Year of the last figure."""
    drift: float
    """Estimated drift ``mu_hat`` [log a year, or count a year]: the total change over the
    years spanned."""
    span: float
    """Years the changes span, ``G``: the drift's variance is ``sigma**2 / G``."""
    sigma2: float
    """Estimated variance of a one-year step ``s**2`` [the walk's unit squared]."""
    df: int
    """Degrees of freedom of ``s**2``: the number of changes less one."""

    def simulate(self, years, n_paths: int, rng: np.random.Generator) -> np.ndarray:
        """Joint paths of the stock, shape ``(n_paths, len(years))`` [count]: per path a step
        variance (scaled inverse chi-square) and a drift (normal given it), then the walk."""
        sigma2 = self.sigma2 * self.df / rng.chisquare(self.df, size=n_paths)
        sd = np.sqrt(sigma2)
        drift = self.drift + rng.standard_normal(n_paths) * sd / np.sqrt(self.span)
        return _unscale(self.last + random_walk(years, self.last_year, drift, sd, rng), self.log)

    @property
    def step_sd(self) -> float:
        """Estimated spread of one year's change, ``s``."""
        return float(np.sqrt(self.sigma2))

    @property
    def drift_se(self) -> float:
        """Standard error of the drift, ``s / sqrt(G)``."""
        return float(np.sqrt(self.sigma2 / self.span))


def fit_drift(years: np.ndarray, values: np.ndarray, log: bool = True) -> DriftFit:
    """Random walk with drift from the year-on-year changes of a stock.

    Parameters
    ----------
    years, values : numpy.ndarray
        The figures [count at year end]; gaps are allowed (a change over ``g`` years counts as
        ``g`` steps).
    log : bool
        ``True``: the walk is on ``log(1 + stock)`` (``log_drift``); ``False``: on the stock
        (``linear_drift``).

    Returns
    -------
    DriftFit

    Raises
    ------
    RuntimeError
        With fewer than ``MIN_STEPS`` changes, or when the stock never changed (no spread to
        learn): the caller falls back to ``last_stock``.
    """
    years, x, change, gaps = _steps(years, values, log)
    if len(change) < MIN_STEPS:
        raise RuntimeError(f"needs {MIN_STEPS} year-on-year changes, has {len(change)}")
    span = float(gaps.sum())
    drift = float(change.sum() / span)  # weighted least squares of change on gap
    residual = (change - drift * gaps) ** 2 / gaps
    df = len(change) - 1
    sigma2 = float(residual.sum() / df)
    if not sigma2 > 0:
        raise RuntimeError("the stock changed by the same amount every year: no spread to learn")
    return DriftFit(log, float(x[-1]), int(years[-1]), drift, span, sigma2, df)


def fit_log_drift(years: np.ndarray, values: np.ndarray) -> DriftFit:
    """``fit_drift`` on the log scale: growth by a steady percentage a year."""
    return fit_drift(years, values, log=True)


def fit_linear_drift(years: np.ndarray, values: np.ndarray) -> DriftFit:
    """``fit_drift`` on the stock itself: growth by a steady number of net foundings a year."""
    return fit_drift(years, values, log=False)


DISSOLUTION_PRIOR_MEAN = 0.05
"""Mean of the exponential prior on the yearly pull ``b = 1 - phi`` of ``damped_drift`` toward
its balance [fraction of the stock a year]: the share of a stock of HTX dissolved in a year.
The country dissolved 1,246 of about 27,000 HTX in 2021 and 599 of about 20,000 in 2015 (3-5 %,
data/observations.csv); Đắk Lắk planned to dissolve about 6 % of its HTX in 2023."""
GROWTH_PRIOR_MEAN = 0.03
"""Mean of the exponential prior on ``-b`` where ``b`` is negative, a stock that grows by a
share of itself on top of its foundings [fraction a year]: the country's HTX grew 5-7 % a year
2018-2025 (data/observations.csv), partly by a steady number a year (``a``)."""
DAMPING_GRID = np.round(np.arange(-0.10, 0.301, 0.005), 3)
"""Values of the pull ``b`` the posterior is evaluated on [fraction a year]: from -0.1 (growth
by 10 % of the stock a year) through 0 (the linear drift, a random walk with drift) to 0.3,
six times the dissolution prior's mean."""


@dataclass(frozen=True)
class DampedFit:
    """A stock pulled toward a balance of foundings and dissolutions: each year it keeps
    ``phi = 1 - b`` of itself and gains ``a`` (an AR(1) on the stock), with the pull ``b`` on
    ``DAMPING_GRID``."""

    last: float
    """The last figure [count]."""
    last_year: int
    """Year of the last figure."""
    phi: np.ndarray
    """``1 - b`` for each grid point."""
    weight: np.ndarray
    """Posterior probability of each grid point."""
    intercept: np.ndarray
    """Per grid point, the estimated yearly gain ``a_hat`` [count a year]."""
    information: np.ndarray
    """Per grid point, the weighted sum of squares of ``a``'s multipliers: ``a``'s variance is
    ``sigma**2`` over it."""
    rss: np.ndarray
    """Per grid point, the weighted residual sum of squares [count squared]."""
    df: int
    """Degrees of freedom of ``sigma**2``: the number of changes less one."""

    def simulate(self, years, n_paths: int, rng: np.random.Generator) -> np.ndarray:
        """Joint paths of the stock, shape ``(n_paths, len(years))`` [count]: per path a grid
        point from its posterior, a step variance (scaled inverse chi-square) and a gain
        (normal given it), then the AR(1) forward from the last figure; a year before it (a gap
        in the record) is reached by a walk backward with the path's net change a year."""
        years = np.asarray(years, dtype=int)
        k = rng.choice(len(self.phi), size=n_paths, p=self.weight)
        sigma2 = self.rss[k] / rng.chisquare(self.df, size=n_paths)
        sd = np.sqrt(sigma2)
        gain = self.intercept[k] + rng.standard_normal(n_paths) * sd / np.sqrt(
            self.information[k])
        phi = self.phi[k]
        out = np.empty((n_paths, len(years)))
        ahead = years > self.last_year
        if (~ahead).any():
            drift = gain + (phi - 1) * self.last
            out[:, ~ahead] = self.last + random_walk(years[~ahead], self.last_year, drift, sd,
                                                     rng)
        if ahead.any():
            stock = np.full(n_paths, self.last)
            for step in range(1, int(years.max() - self.last_year) + 1):
                stock = gain + phi * stock + rng.standard_normal(n_paths) * sd
                out[:, years == self.last_year + step] = stock[:, None]
        return _unscale(out, log=False)


def fit_damped_drift(years: np.ndarray, values: np.ndarray,
                     prior_mean: float = DISSOLUTION_PRIOR_MEAN) -> DampedFit:
    """A stock whose net change a year shrinks as it grows, ``x[t] = a + phi x[t-1] + e``:
    foundings ``a`` a year, a share ``b = 1 - phi`` of the stock dissolved, toward the balance
    ``a / b``. With ``b = 0`` it is ``linear_drift``.

    The pull ``b`` has an exponential prior of mean ``prior_mean`` on ``DAMPING_GRID``, and
    below 0 one of mean ``GROWTH_PRIOR_MEAN``; the two halves meet at ``b = 0`` at one density,
    so each holds about its mean's share of the prior (with the defaults, 0.66 of it on the
    grid's ``b >= 0``). Given ``b``, ``a`` and ``sigma**2`` have the reference prior (flat on
    ``a`` and ``log sigma``) and are integrated analytically, so each grid point's evidence is
    exact. A change over a gap
    of ``g`` years is the AR(1) over ``g`` steps: ``x[t] = phi**g x[t-g] + a (1 + ... +
    phi**(g-1)) + e``, ``e``'s variance ``sigma**2 (1 + ... + phi**(2(g-1)))``.

    Parameters
    ----------
    years, values : numpy.ndarray
        The figures [count at year end]; gaps are allowed.
    prior_mean : float
        Mean of the prior on ``b`` [fraction a year].

    Returns
    -------
    DampedFit

    Raises
    ------
    RuntimeError
        With fewer than ``MIN_STEPS`` changes, or when the stock never changed: the caller
        falls back to ``last_stock``.
    """
    years, x, change, gaps = _steps(years, values, log=False)
    if len(change) < MIN_STEPS:
        raise RuntimeError(f"needs {MIN_STEPS} year-on-year changes, has {len(change)}")
    phi = 1.0 - DAMPING_GRID
    powers = phi[:, None] ** gaps[None, :]
    # 1 + phi + ... + phi**(g-1), and the same in phi**2: g itself where phi is 1
    one = phi == 1
    multiplier = np.where(one[:, None], gaps[None, :],
                          (1 - powers) / np.where(one, 1.0, 1 - phi)[:, None])
    variance = np.where(one[:, None], gaps[None, :],
                        (1 - powers**2) / np.where(one, 1.0, 1 - phi**2)[:, None])
    response = x[None, 1:] - powers * x[None, :-1]
    information = np.sum(multiplier**2 / variance, axis=1)
    intercept = np.sum(multiplier * response / variance, axis=1) / information
    rss = np.sum((response - intercept[:, None] * multiplier) ** 2 / variance, axis=1)
    if not (rss > 0).all():
        raise RuntimeError("the stock changed by the same amount every year: no spread to learn")
    df = len(change) - 1
    log_evidence = (-0.5 * np.sum(np.log(variance), axis=1) - 0.5 * np.log(information)
                    - 0.5 * df * np.log(rss)
                    - np.where(DAMPING_GRID >= 0, DAMPING_GRID / prior_mean,
                               -DAMPING_GRID / GROWTH_PRIOR_MEAN))
    weight = np.exp(log_evidence - log_evidence.max())
    return DampedFit(float(x[-1]), int(years[-1]), phi, weight / weight.sum(), intercept,
                     information, rss, df)


@dataclass(frozen=True)
class LastStockFit:
    """The last figure, then a random walk without drift on the log scale."""

    last: float
    """``log(1 + last figure)``."""
    last_year: int
    """Year of the last figure."""
    step_sd: float
    """Posterior scale of the spread of a year's change [log]."""
    df: int
    """Degrees of freedom of ``step_sd``: the prior's and one per observed change; the step
    variance is drawn per path from their scaled inverse chi-square."""

    def simulate(self, years, n_paths: int, rng: np.random.Generator) -> np.ndarray:
        """Joint paths of the stock, shape ``(n_paths, len(years))`` [count]; the median stays
        at the last figure."""
        sd = self.step_sd * np.sqrt(self.df / rng.chisquare(self.df, size=n_paths))
        walk = random_walk(years, self.last_year, np.zeros(n_paths), sd, rng)
        return _unscale(self.last + walk, log=True)


def fit_last_stock(years: np.ndarray, values: np.ndarray,
                   prior: tuple[float, int] = STEP_SD_PRIOR) -> LastStockFit:
    """Last-value baseline for a stock; it needs one figure.

    The spread of a year's change combines the ``prior`` (``STEP_SD_PRIOR``) with the observed
    year-on-year log changes, each over ``g`` years counting as ``g`` steps. Their squares are
    taken about zero, not about their mean: the baseline ignores growth, so growth the record
    shows widens its intervals instead of moving their centre.
    """
    years, x, change, gaps = _steps(years, values, log=True)
    scale, df0 = prior
    df = df0 + len(change)
    sigma2 = (df0 * scale**2 + float(np.sum(change**2 / gaps))) / df
    return LastStockFit(float(x[-1]), int(years[-1]), float(np.sqrt(sigma2)), df)
