"""The models recover known parameters, keep counts and shares in range, and fall back honestly."""

from __future__ import annotations

import dataclasses

import numpy as np
import pandas as pd
import pytest
from scipy import special, stats

from ktt.models import counts
from ktt.models.counts import rate_prior
from ktt.models.fit import COUNT_MODELS, SHARE_MODELS, fit_model, interval_table, mix
from ktt.models.indicator import province_dispersion

YEARS = np.arange(1990, 2030)


def poisson_series(rate0=5.0, slope=0.03, seed=1, years=YEARS):
    rng = np.random.default_rng(seed)
    return pd.Series(rng.poisson(rate0 * np.exp(slope * (years - years[0]))).astype(float),
                     index=years, name="orgs_new")


def test_poisson_recovers_trend_within_two_standard_errors():
    fitted = fit_model(poisson_series(), "poisson")
    fit = fitted.fit
    true = np.array([np.log(5.0) + 0.03 * (fit.center - YEARS[0]), 0.03])
    se = np.sqrt(np.diag(fit.cov))
    assert np.all(np.abs(fit.params - true) < 2 * se)


def test_negbin_recovers_dispersion():
    rng = np.random.default_rng(4)
    years = np.arange(1900, 2000)
    mu, alpha = 8.0, 0.3
    counts = rng.negative_binomial(1 / alpha, 1 / (1 + alpha * mu), size=len(years))
    fit = fit_model(pd.Series(counts.astype(float), index=years, name="orgs_new"), "negbin").fit
    se = np.sqrt(np.diag(fit.cov))
    assert abs(fit.params[2] - alpha) < 2 * se[2]
    assert abs(fit.params[0] - np.log(mu)) < 2 * se[0]


def test_binomial_recovers_logit_trend():
    rng = np.random.default_rng(2)
    trials = pd.Series(200.0, index=YEARS)
    p = special.expit(-0.5 + 0.04 * (YEARS - YEARS.mean()))
    shares = pd.Series(rng.binomial(200, p) / 200, index=YEARS, name="profitable_share")
    fitted = fit_model(shares, "binomial", trials=trials)
    se = np.sqrt(np.diag(fitted.fit.cov))
    assert fitted.model == "binomial"
    assert np.all(np.abs(fitted.fit.params - [-0.5, 0.04]) < 2 * se)


def test_beta_regression_recovers_mean_and_precision():
    rng = np.random.default_rng(3)
    mu = special.expit(0.3 + 0.05 * (YEARS - YEARS.mean()))
    shares = pd.Series(rng.beta(mu * 40, (1 - mu) * 40), index=YEARS, name="rated_good_share")
    fit = fit_model(shares, "beta").fit
    se = np.sqrt(np.diag(fit.cov))
    assert np.all(np.abs(fit.params - [0.3, 0.05, np.log(40)]) < 2.5 * se)


@pytest.mark.parametrize("model", COUNT_MODELS)
def test_count_paths_are_non_negative_integers(model):
    paths = fit_model(poisson_series(), model).simulate(range(2030, 2036), 500,
                                                        np.random.default_rng(0))
    assert paths.shape == (500, 6)
    assert (paths >= 0).all()
    assert (paths == np.round(paths)).all()


@pytest.mark.parametrize("model", SHARE_MODELS)
def test_share_paths_stay_in_unit_interval(model):
    rng = np.random.default_rng(5)
    shares = pd.Series(rng.uniform(0.3, 0.9, 12), index=range(2010, 2022), name="profitable_share")
    trials = pd.Series(30.0, index=shares.index)
    paths = fit_model(shares, model, trials=trials).simulate(range(2022, 2031), 500,
                                                             np.random.default_rng(0))
    assert paths.shape == (500, 9)
    assert ((paths >= 0) & (paths <= 1)).all()


def test_same_seed_same_paths():
    fitted = fit_model(poisson_series(), "negbin")
    a = fitted.simulate(range(2030, 2035), 100, np.random.default_rng(7))
    b = fitted.simulate(range(2030, 2035), 100, np.random.default_rng(7))
    np.testing.assert_array_equal(a, b)


def test_short_series_falls_back_and_says_so():
    fitted = fit_model(poisson_series(years=np.arange(2021, 2024)), "negbin")
    assert fitted.model == "recent_mean"
    assert fitted.note == ("fell back to recent_mean (negbin needs 6 figures, has 3; "
                           "poisson needs 4 figures, has 3)")


def test_binomial_without_counts_falls_back_to_logit_normal():
    shares = pd.Series([0.5, 0.55, 0.6, 0.58, 0.62], index=range(2019, 2024),
                       name="profitable_share")
    fitted = fit_model(shares)
    assert fitted.model == "logit_normal"
    assert "binomial: needs the counts behind the share" in fitted.note


def test_gaps_are_allowed():
    series = poisson_series(years=np.array([2012, 2013, 2016, 2019, 2020, 2023]))
    assert fit_model(series, "poisson").model == "poisson"


def test_unknown_model_names_the_valid_ones():
    with pytest.raises(ValueError, match="unknown count model 'arima'; valid: auto, poisson, "
                                         "negbin, recent_mean, rate_walk"):
        fit_model(poisson_series(), "arima")


def test_share_model_for_counts_is_refused():
    with pytest.raises(ValueError, match="unknown count model 'beta'"):
        fit_model(poisson_series(), "beta")


def test_logit_normal_80_percent_intervals_cover_75_to_85_percent():
    rng = np.random.default_rng(11)
    years, future = np.arange(2010, 2022), np.arange(2022, 2025)
    hits = []
    for rep in range(300):
        logits = -0.2 + 0.08 * (np.concatenate([years, future]) - 2010)
        truth = special.expit(logits + rng.normal(0, 0.3, len(logits)))
        fitted = fit_model(pd.Series(truth[: len(years)], index=years, name="rated_good_share"),
                           "logit_normal")
        paths = fitted.simulate(future, 400, np.random.default_rng(rep))
        band = interval_table(paths, future)
        hits.append((band["lo80"] <= truth[len(years):]) & (truth[len(years):] <= band["hi80"]))
    coverage = np.mean(hits)
    assert 0.75 <= coverage <= 0.85, coverage


def test_poisson_randomized_pit_is_calibrated():
    """Counts are discrete, so coverage is judged by the randomized PIT: for a calibrated
    forecast it is uniform, and 80 % of it falls in [0.1, 0.9]."""
    rng = np.random.default_rng(12)
    years, future = np.arange(2008, 2022), np.arange(2022, 2025)
    pits = []
    for rep in range(300):
        rate = 4.0 * np.exp(0.04 * (np.concatenate([years, future]) - 2008))
        counts = rng.poisson(rate).astype(float)
        fitted = fit_model(pd.Series(counts[: len(years)], index=years, name="orgs_new"),
                           "poisson")
        paths = fitted.simulate(future, 400, np.random.default_rng(rep))
        truth = counts[len(years):]
        below, at = (paths < truth).mean(axis=0), (paths == truth).mean(axis=0)
        pits.extend(below + rng.uniform(size=len(truth)) * at)
    inside = np.mean((np.array(pits) > 0.1) & (np.array(pits) < 0.9))
    assert 0.75 <= inside <= 0.85, inside
    assert stats.kstest(pits, "uniform").pvalue > 0.01


def test_binomial_leaves_out_a_year_without_counts_instead_of_giving_up():
    years = np.arange(2012, 2022)
    shares = pd.Series(np.linspace(0.4, 0.6, len(years)), index=years, name="profitable_share")
    trials = pd.Series(40.0, index=years).drop(2016)
    fitted = fit_model(shares, "binomial", trials=trials)
    assert fitted.model == "binomial"
    assert 2016 not in fitted.years or len(fitted.years) == len(years)


@dataclasses.dataclass(frozen=True)
class Constant:
    value: float

    def simulate(self, years, n_paths, rng):
        return np.full((n_paths, len(years)), self.value)


def test_a_mixture_draws_each_models_share_of_the_paths():
    base = fit_model(poisson_series(), "poisson")
    fits = {"poisson": dataclasses.replace(base, fit=Constant(1.0)),
            "recent_mean": dataclasses.replace(base, model="recent_mean", fit=Constant(2.0))}
    mixed = mix(fits, {"poisson": 0.253, "recent_mean": 0.747})
    assert mixed.model == "mixture"
    assert mixed.note == "mixture: poisson 0.25, recent_mean 0.75"
    paths = mixed.simulate(range(2030, 2033), 1000, np.random.default_rng(1))
    assert (paths == 1.0).all(axis=1).sum() == 253  # exactly its weight's share of the paths


def test_a_fit_that_fell_back_adds_its_weight_to_the_model_it_became():
    series = poisson_series(years=np.arange(2021, 2024))
    fits = {m: fit_model(series, m) for m in ("negbin", "recent_mean")}
    mixed = mix(fits, {"negbin": 0.4, "recent_mean": 0.6})
    assert mixed.model == "recent_mean"


def test_the_district_prior_pulls_a_short_strong_record_toward_what_districts_found():
    strong = pd.Series([14.0, 12.0, 15.0, 13.0, 16.0, 14.0], index=range(2015, 2021),
                       name="orgs_new")
    flat = fit_model(strong, "recent_mean").fit.mean_rate
    pulled = fit_model(strong, "recent_mean", prior=rate_prior("district")).fit.mean_rate
    assert 6 < pulled < flat
    assert flat == pytest.approx(strong.iloc[-5:].mean(), rel=0.05)
    assert rate_prior("province") is None


def test_province_dispersion_tells_overdispersed_units_from_poisson_ones():
    rng = np.random.default_rng(31)
    years = range(2010, 2022)

    def units(alpha):
        return {f"d{i}": pd.Series(rng.poisson(6 * rng.gamma(1 / alpha, alpha, len(years)))
                                   if alpha else rng.poisson(6, len(years)), index=years)
                for i in range(12)}

    assert province_dispersion(units(0.4)) == pytest.approx(0.4, abs=0.15)
    assert province_dispersion(units(0.0)) < 0.06
    assert province_dispersion(dict(list(units(0.4).items())[:2])) is None


def test_a_pooled_dispersion_widens_the_recent_mean():
    series = pd.Series([6.0, 5, 7, 6, 6, 5, 7, 6], index=range(2014, 2022), name="orgs_new")
    narrow = fit_model(series, "recent_mean", dispersion=0.02).simulate(
        range(2022, 2027), 4000, np.random.default_rng(1))
    wide = fit_model(series, "recent_mean", dispersion=0.5).simulate(
        range(2022, 2027), 4000, np.random.default_rng(1))
    assert wide.std() > 1.2 * narrow.std()


def walking_series(step_sd, years=None, rate0=8.0, seed=5):
    years = np.arange(1950, 2010) if years is None else years
    rng = np.random.default_rng(seed)
    log_rate = np.log(rate0) + np.cumsum(rng.normal(0, step_sd, len(years)))
    return pd.Series(rng.poisson(np.exp(log_rate)).astype(float), index=years, name="orgs_new")


def test_the_rate_walk_tells_a_wandering_rate_from_a_steady_one():
    steady = fit_model(walking_series(0.0), "rate_walk").fit
    wandering = fit_model(walking_series(0.2), "rate_walk").fit
    assert steady.posterior.sum(axis=1)[0] > 0.5  # most weight on a step sd of 0
    assert wandering.mean_walk_sd == pytest.approx(0.2, abs=0.08)
    assert wandering.posterior.sum(axis=1)[0] < 0.05


def test_the_rate_walk_forecast_widens_with_the_horizon_and_follows_the_last_level():
    series = walking_series(0.2, years=np.arange(1980, 2010), rate0=20.0, seed=6)
    paths = fit_model(series, "rate_walk").simulate(range(2010, 2030), 4000,
                                                    np.random.default_rng(2))
    low, high = np.percentile(paths, [10, 90], axis=0)
    assert high[-1] - low[-1] > 2 * (high[0] - low[0])
    # it starts where the last years are, not at the mean of the whole record
    recent = series.iloc[-3:].mean()
    assert abs(np.median(paths[:, 0]) - recent) < abs(series.mean() - recent)


def test_the_dispersion_prior_is_a_density_with_the_mean_of_its_two_parts():
    alpha = np.linspace(0, 20, 400_001)
    density = np.exp(counts.log_dispersion_prior(alpha, 0.05))
    weight, tail = counts.DISPERSION_TAIL
    assert np.trapezoid(density, alpha) == pytest.approx(1.0, abs=1e-4)
    assert np.trapezoid(alpha * density, alpha) == pytest.approx(
        (1 - weight) * 0.05 + weight * tail, rel=1e-3)


def test_the_dispersion_tail_lets_a_record_of_campaign_years_widen_the_forecast(monkeypatch):
    """A record that swings from 12 to 47 founded a year is campaigns and lean years: with the
    tail, the rate walk learns a large dispersion and "at least 4 every year" is no longer
    called near certain; a Poisson-like record keeps its dispersion near 0 either way."""
    years = np.arange(2014, 2024)
    swinging = np.array([12, 47, 25, 27, 6, 31, 44, 9, 28, 30], dtype=float)
    steady = np.array([11, 12, 9, 13, 11, 10, 12, 14, 11, 12], dtype=float)
    prior = counts.RATE_PRIOR["district"]

    def every_year_at_least_4(fit):
        paths = fit.simulate(np.arange(2024, 2029), 4000, np.random.default_rng(1))
        return (paths >= 4).all(axis=1).mean()

    with_tail = counts.fit_rate_walk(years, swinging, prior=prior)
    calm = counts.fit_rate_walk(years, steady, prior=prior)
    monkeypatch.setattr(counts, "DISPERSION_TAIL", (1e-9, 0.5))
    without_tail = counts.fit_rate_walk(years, swinging, prior=prior)
    assert with_tail.mean_dispersion > 1.5 * without_tail.mean_dispersion
    assert every_year_at_least_4(with_tail) < every_year_at_least_4(without_tail) - 0.05
    assert calm.mean_dispersion < 0.05


def test_the_rate_walk_carries_a_gap_as_a_step_with_no_figure():
    series = walking_series(0.1, years=np.arange(2008, 2022)).drop([2012, 2013, 2019])
    fitted = fit_model(series, "rate_walk")
    assert fitted.model == "rate_walk"
    paths = fitted.simulate(range(2022, 2031), 2000, np.random.default_rng(3))
    assert paths.shape == (2000, 9)
    assert (paths >= 0).all()
    assert (paths % 1 == 0).all()
