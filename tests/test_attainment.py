"""Probabilities: an exact case, properties that must hold, phrases and pace."""

from __future__ import annotations

import dataclasses

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats

from ktt.forecasting.attainment import assess
from ktt.forecasting.likelihood import as_shown, likelihood
from ktt.inputs.targets import Target
from ktt.models.fit import fit_model
from ktt.report import numbers

EACH_YEAR = Target(id="T", indicator="orgs_new", rule="each_year_at_least", threshold=4,
                   start=2031, end=2035, quote="q", meaning="m")


def mean_probability(model: str, reps: int = 20, n_years: int = 30, **kwargs) -> float:
    """Mean P(each of 2031-2035 >= 4) over histories of ``n_years`` drawn from Poisson(5)."""
    rng = np.random.default_rng(0)
    years = np.arange(2031 - n_years, 2031)
    estimates = []
    for rep in range(reps):
        history = pd.Series(rng.poisson(5, len(years)).astype(float), index=years,
                            name="orgs_new")
        fitted = fit_model(history, model, **kwargs)
        result, _ = assess(EACH_YEAR, history, 2030, fitted, 4000, np.random.default_rng(rep))
        estimates.append(result.probability)
    return float(np.mean(estimates))


def test_exact_poisson_case():
    """Foundings ~ Poisson(5): P(each of the next 5 years >= 4) is
    (1 - P(Poisson(5) <= 3))^5 = 0.2145, computed with scipy.stats.poisson. The constant-rate
    model keeps some doubt that years vary more than Poisson (30 years cannot rule out a small
    overdispersion, and overdispersion makes a lean year likelier), so its probability sits
    below the exact value and closes in on it as the record grows."""
    exact = (1 - stats.poisson.cdf(3, 5)) ** 5
    assert exact == pytest.approx(0.2145, abs=1e-4)
    thirty = mean_probability("recent_mean", recent=30)
    long = mean_probability("recent_mean", n_years=150, recent=150)
    assert exact - 0.05 < thirty < long
    assert long == pytest.approx(exact, abs=0.01)


def test_trend_uncertainty_widens_the_exact_case():
    """A trend model extrapolates, so its rate is less certain; P(every year >= 4) is convex
    in the rate near 5, so that uncertainty raises it above the exact value."""
    exact = (1 - stats.poisson.cdf(3, 5)) ** 5
    assert mean_probability("poisson", reps=10) > exact + 0.02


def history_of(values, first=2021):
    return pd.Series([float(v) for v in values], index=range(first, first + len(values)),
                     name="orgs_new")


@settings(max_examples=40, deadline=None)
@given(values=st.lists(st.integers(0, 12), min_size=2, max_size=8),
       threshold=st.integers(1, 10), bump=st.integers(1, 4), seed=st.integers(0, 1000))
def test_raising_the_threshold_never_raises_the_probability(values, threshold, bump, seed):
    history = history_of(values, 2013)
    fitted = fit_model(history)
    low = dataclasses.replace(EACH_YEAR, threshold=threshold, start=2021, end=2030)
    high = dataclasses.replace(low, threshold=threshold + bump)
    p_low = assess(low, history, 2020, fitted, 300, np.random.default_rng(seed))[0].probability
    p_high = assess(high, history, 2020, fitted, 300, np.random.default_rng(seed))[0].probability
    assert 0 <= p_high <= p_low <= 1


@settings(max_examples=40, deadline=None)
@given(values=st.lists(st.integers(0, 12), min_size=1, max_size=6),
       extra=st.floats(0.5, 5), seed=st.integers(0, 1000))
def test_extra_foundings_never_lower_the_probability(values, extra, seed):
    history = history_of(values, 2015)
    fitted = fit_model(history)
    target = dataclasses.replace(EACH_YEAR, start=2021, end=2025)
    as_of = 2015 + len(values) - 1
    base = assess(target, history, as_of, fitted, 300, np.random.default_rng(seed))[0]
    more = assess(target, history, as_of, fitted, 300, np.random.default_rng(seed),
                  adjust=lambda sim, years: sim + extra)[0]
    assert base.probability <= more.probability


@settings(max_examples=30, deadline=None)
@given(values=st.lists(st.integers(0, 12), min_size=1, max_size=5))
def test_an_observed_miss_gives_zero(values):
    history = history_of([*values, 2], 2021)
    target = dataclasses.replace(EACH_YEAR, start=2021, end=2030)
    as_of = history.index[-1]
    result, _ = assess(target, history, as_of, fit_model(history), 200,
                       np.random.default_rng(0))
    assert (result.status, result.probability, result.model) == ("missed", 0.0, "record")


def test_elapsed_years_enter_every_path_as_facts():
    history = history_of([5, 6, 7])
    target = dataclasses.replace(EACH_YEAR, start=2021, end=2025)
    _, matrix = assess(target, history, 2023, fit_model(history), 50, np.random.default_rng(0))
    assert (matrix[:, :3] == [5, 6, 7]).all()


def test_a_gap_in_elapsed_years_is_simulated():
    history = history_of([5, 6, 7, 8]).drop(2022)
    target = dataclasses.replace(EACH_YEAR, start=2021, end=2024)
    result, matrix = assess(target, history, 2024, fit_model(history), 500,
                            np.random.default_rng(0))
    assert result.status == "open"
    assert 0 < result.probability < 1
    assert len(np.unique(matrix[:, 1])) > 1


def test_above_at_is_strict_on_paths():
    shares = pd.Series([0.6] * 6, index=range(2015, 2021), name="profitable_share")
    target = Target(id="P", indicator="profitable_share", rule="above_at", threshold=0.6,
                    start=2025, end=2025, quote="q", meaning="m")
    result, _ = assess(target, shares.loc[:2025].drop(index=[]), 2020,
                       fit_model(pd.Series([0.6] * 6, index=range(2015, 2021),
                                           name="profitable_share"), "last_value"),
                       2000, np.random.default_rng(0))
    assert result.probability == pytest.approx(0.5, abs=0.05)


@pytest.mark.parametrize(("p", "phrase"), [
    (1.0, "virtually certain"), (0.99, "virtually certain"), (0.95, "very likely"),
    (0.9, "very likely"), (0.7, "likely"), (0.5, "about as likely as not"),
    (0.33, "about as likely as not"), (0.2, "unlikely"), (0.05, "very unlikely"),
    (0.005, "exceptionally unlikely"), (0.0, "exceptionally unlikely"),
    (float("nan"), "unknown")])
def test_likelihood_phrases(p, phrase):
    assert likelihood(p) == phrase


@pytest.mark.parametrize(("p", "phrase"), [
    (0.656, "likely"), (0.654, "about as likely as not"), (0.3251, "about as likely as not"),
    (0.325, "unlikely"),  # shown "32%", as Python rounds 32.5
    (0.3249, "unlikely"), (0.0951, "unlikely"), (0.0949, "very unlikely"),
    (0.0099, "exceptionally unlikely"), (0.9849, "very likely"), (0.9851, "virtually certain"),
    (0.9951, "virtually certain")])
def test_a_phrase_is_read_from_the_probability_as_shown(p, phrase):
    # 0.656 is shown "66%": calling it "about as likely as not" (33-66%) read as a mistake
    assert likelihood(p) == phrase
    shown = numbers.probability(p, "en")
    if "<" not in shown and ">" not in shown:
        assert float(shown.rstrip("%")) / 100 == pytest.approx(as_shown(p))


def test_pace_for_a_level():
    shares = pd.Series([0.40, 0.42, 0.44, 0.46, 0.48], index=range(2019, 2024),
                       name="profitable_share")
    target = Target(id="P", indicator="profitable_share", rule="above_at", threshold=0.60,
                    start=2025, end=2025, quote="q", meaning="m")
    result, _ = assess(target, shares, 2023, fit_model(shares), 200, np.random.default_rng(0))
    assert result.required_pace == pytest.approx(0.06)  # (0.60 - 0.48) / 2 years
    assert result.recent_pace == pytest.approx(0.02)
    assert result.pace_ratio == pytest.approx(1 / 3)


def test_the_pace_a_mean_needs_is_the_progress_tables_level_a_gap_year_counted():
    # 3 founded in 2021 and 2 in 2023; 2022 has no total but 8 HTX founded in it are known:
    # the pace column and the progress table both ask 3.5 a year of 2024 and 2025, where the
    # pace had spread the 15 still short over the two years left (7.5) and the table over
    # three years (5), each ignoring the 8
    counts = pd.Series({2021: 3.0, 2023: 2.0}, name="orgs_new")
    mean = dataclasses.replace(EACH_YEAR, rule="mean_at_least", start=2021, end=2025)
    floor = pd.Series({2022: 8.0})
    result, matrix = assess(mean, counts, 2023, fit_model(counts), 200,
                            np.random.default_rng(0), floor=floor)
    assert result.required_pace == pytest.approx(3.5)
    assert result.recent_pace == pytest.approx(2.5)
    assert (matrix[:, 1] >= 8).all()


def test_a_level_already_reached_needs_no_pace_never_a_negative_one():
    shares = pd.Series([0.60, 0.64, 0.68], index=range(2023, 2026), name="profitable_share")
    target = Target(id="P", indicator="profitable_share", rule="above_at", threshold=0.65,
                    start=2030, end=2030, quote="q", meaning="m")
    result, _ = assess(target, shares, 2025, fit_model(shares), 200, np.random.default_rng(0))
    assert result.status == "open"
    assert result.required_pace == 0.0  # 0.68 is above 0.65 already: hold it
    assert np.isnan(result.pace_ratio)
    counts = pd.Series([12.0, 10.0], index=[2021, 2022], name="orgs_new")
    mean = dataclasses.replace(EACH_YEAR, rule="mean_at_least", start=2021, end=2025)
    result, _ = assess(mean, counts, 2022, fit_model(counts), 200, np.random.default_rng(0))
    assert result.required_pace == 0.0  # 22 of the 20 in all are on record
