"""The mean-reverting logit model: its grid posterior recovers a known process, tells a level
from a line, carries gaps and counts, and its probabilities move the right way."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from scipy import special

from ktt.models.fit import fit_model, interval_table
from ktt.models.shares import fit_mean_reverting


def reverting_logits(phi=0.6, sd=0.3, level=0.4, n=15, rng=None):
    """A logit that reverts to ``level`` by AR(1), started from its stationary law."""
    x = [level + rng.normal(0, sd / np.sqrt(1 - phi ** 2))]
    for _ in range(n - 1):
        x.append(level + phi * (x[-1] - level) + rng.normal(0, sd))
    return np.array(x)


def posterior(fit):
    """Posterior means of the persistence, the step sd [logit] and the chance of a line."""
    phi, step, _, slope = fit.grid.T
    return fit.weights @ phi, fit.weights @ step, fit.weights @ (slope > 0)


def test_recovers_persistence_step_and_level_on_a_long_series():
    rng = np.random.default_rng(21)
    years = np.arange(1950, 2010)
    shares = special.expit(reverting_logits(n=len(years), rng=rng))
    fit = fit_model(pd.Series(shares, index=years, name="profitable_share"),
                    "mean_reverting").fit
    phi, step, trend = posterior(fit)
    assert phi == pytest.approx(0.6, abs=0.15)
    assert step == pytest.approx(0.3, rel=0.25)
    assert trend < 0.3  # no line where there is none
    # far ahead the forecast has forgotten the last figure: its median is the level's
    far = fit.simulate(np.array([2060]), 4000, np.random.default_rng(1))
    assert np.median(far) == pytest.approx(special.expit(0.4), abs=0.05)


def test_tells_a_line_from_a_level_and_follows_the_line():
    years = np.arange(2012, 2022)
    rng = np.random.default_rng(5)
    trials = np.full(len(years), 15000.0)
    line = special.expit(-2.5 + 0.15 * (years - 2012))
    shares = rng.binomial(15000, line) / 15000
    fit = fit_mean_reverting(years, shares, trials)
    assert posterior(fit)[2] > 0.9
    ahead = fit.simulate(np.array([2025, 2030]), 4000, np.random.default_rng(2))
    truth = special.expit(-2.5 + 0.15 * np.array([13, 18]))
    assert np.all(np.abs(np.median(ahead, axis=0) - truth) < 0.03)
    flat = fit_mean_reverting(years, np.full(len(years), line[0]) * (1 + rng.normal(
        0, 0.05, len(years))), trials)
    assert posterior(flat)[2] < 0.5


def test_a_higher_last_figure_raises_the_chance_of_passing_a_threshold():
    years = np.arange(2014, 2022)
    base = np.array([0.10, 0.12, 0.11, 0.13, 0.12, 0.11, 0.12, 0.12])
    risen = base.copy()
    risen[-1] = 0.16
    chance = [(fit_mean_reverting(years, s, np.full(len(years), 10000.0)).simulate(
        np.array([2023]), 4000, np.random.default_rng(3)) > 0.14).mean() for s in (base, risen)]
    assert chance[1] > chance[0] + 0.2


def test_80_percent_intervals_cover_about_80_percent():
    rng = np.random.default_rng(22)
    years = np.arange(2010, 2025)
    hits = []
    for rep in range(200):
        truth = special.expit(reverting_logits(rng=rng))
        fitted = fit_model(pd.Series(truth[:10], index=years[:10], name="profitable_share"),
                           "mean_reverting")
        band = interval_table(fitted.simulate(years[10:], 400, np.random.default_rng(rep)),
                              years[10:])
        hits.append((band["lo80"] <= truth[10:]) & (truth[10:] <= band["hi80"]))
    assert 0.74 <= np.mean(hits) <= 0.86


def test_gaps_are_spanned_and_a_missing_year_is_filled_between_its_neighbours():
    shares = pd.Series([0.50, 0.60, 0.55, 0.62, 0.58], index=[2010, 2012, 2014, 2016, 2018],
                       name="profitable_share")
    fitted = fit_model(shares, "mean_reverting")
    assert fitted.model == "mean_reverting"
    assert fitted.note == ""
    middle = fitted.simulate([2015], 4000, np.random.default_rng(4))
    assert 0.55 < np.median(middle) < 0.62


def test_too_few_figures_fall_back_and_say_so():
    fitted = fit_model(pd.Series([0.5, 0.6], index=[2020, 2021], name="profitable_share"),
                       "mean_reverting")
    assert fitted.model == "last_value"
    assert fitted.note == "fell back to last_value (mean_reverting needs 3 figures, has 2)"


def test_known_counts_give_whole_counts_out_of_the_last_denominator_and_stay_in_range():
    years = np.arange(2015, 2022)
    trials = np.array([30, 32, 35, 33, 36, 40, 41], dtype=float)
    shares = np.array([0, 3, 5, 2, 6, 35, 41]) / trials  # from none to all: the edges
    paths = fit_mean_reverting(years, shares, trials).simulate(
        np.array([2022, 2025]), 2000, np.random.default_rng(6))
    assert paths.min() >= 0
    assert paths.max() <= 1
    assert np.allclose(paths * 41, np.round(paths * 41))
