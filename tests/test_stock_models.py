"""Stocks (year-end totals): the drift models recover a known drift, their intervals cover what
they claim, paths stay non-negative whole numbers, short records fall back and say so, and the
backtest and the national plan use them."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest

from ktt.cli import main
from ktt.forecasting.backtest import _calls, run_backtest
from ktt.forecasting.model_choice import choose_models
from ktt.inputs.catalog import INDICATORS, format_value, kind_of
from ktt.inputs.targets import Target
from ktt.models.fit import AUTO_CANDIDATES, STOCK_MODELS, fit_model, interval_table
from ktt.models.stocks import (
    DAMPING_GRID,
    DISSOLUTION_PRIOR_MEAN,
    GROWTH_PRIOR_MEAN,
    DampedFit,
    fit_damped_drift,
)

STOCKS = ("htx_active", "tht_active", "htx_registered", "tht_registered", "unions_registered",
          "union_member_htx", "htx_members", "tht_members", "farm_households",
          "member_households")


def log_walk(n, drift=0.05, sd=0.03, start=20000.0, rng=None):
    """A stock whose log grows by ``drift`` a year plus a normal step."""
    steps = rng.normal(drift, sd, n - 1)
    return np.round(start * np.exp(np.concatenate([[0.0], np.cumsum(steps)])))


def test_year_end_totals_are_stocks_and_foundings_stay_counts():
    assert all(kind_of(code) == "stock" for code in STOCKS)
    assert all(kind_of(code) == "count" for code in INDICATORS
               if code.endswith(("_new", "_dissolved")))
    assert kind_of("rated_good_share") == "share"
    assert format_value(35041, "htx_registered") == "35,041"
    assert format_value(35041.4, "htx_registered", 1) == "35,041"
    assert format_value(7, "orgs_new") == "7"


def test_log_drift_recovers_a_known_drift():
    rng = np.random.default_rng(1)
    years = np.arange(1950, 2030)
    stock = pd.Series(log_walk(len(years), rng=rng), index=years, name="htx_registered")
    fit = fit_model(stock, "log_drift").fit
    assert abs(fit.drift - 0.05) < 2 * fit.drift_se
    assert fit.step_sd == pytest.approx(0.03, rel=0.2)


def test_linear_drift_recovers_net_additions_a_year():
    rng = np.random.default_rng(2)
    years = np.arange(1950, 2030)
    stock = pd.Series(5000 + np.cumsum(rng.normal(300, 80, len(years))).round(), index=years,
                      name="htx_registered")
    fit = fit_model(stock, "linear_drift").fit
    assert abs(fit.drift - 300) < 2 * fit.drift_se
    assert fit.step_sd == pytest.approx(80, rel=0.2)


def damped(n, gain=8.0, phi=0.95, sd=3.0, start=40.0, rng=None):
    """A stock that keeps ``phi`` of itself and gains ``gain`` a year: foundings against
    dissolutions of ``1 - phi`` of the stock, toward the balance ``gain / (1 - phi)``."""
    stock = [start]
    for _ in range(n - 1):
        stock.append(gain + phi * stock[-1] + rng.normal(0, sd))
    return np.round(np.array(stock))


def pull(fit) -> float:
    """The damped drift's posterior mean of ``b = 1 - phi`` [fraction a year]."""
    return float(np.sum(fit.weight * (1 - fit.phi)))


def test_damped_drift_recovers_the_share_dissolved_and_tells_growth_from_it():
    rng = np.random.default_rng(6)
    years = np.arange(2000, 2040)
    pulls = [pull(fit_model(pd.Series(damped(len(years), rng=rng), index=years,
                                      name="htx_active"), "damped_drift").fit)
             for _ in range(40)]
    assert np.mean(pulls) == pytest.approx(0.05, abs=0.015)
    # a steady number a year has no pull, a steady percentage a negative one (growth)
    steady = pd.Series(5000 + np.cumsum(rng.normal(300, 80, len(years))).round(), index=years,
                       name="htx_registered")
    growing = pd.Series(log_walk(len(years), drift=0.06, sd=0.01, rng=rng), index=years,
                        name="htx_registered")
    assert abs(pull(fit_model(steady, "damped_drift").fit)) < 0.01
    assert pull(fit_model(growing, "damped_drift").fit) < -0.03


def test_damped_drift_slows_toward_its_balance_where_the_linear_drift_runs_on():
    rng = np.random.default_rng(7)
    years = np.arange(2008, 2021)
    # foundings of 12 a year against 8 % dissolved: 40 HTX rising toward 150, more slowly
    stock = pd.Series(damped(len(years), gain=12, phi=0.92, sd=2, rng=rng), index=years,
                      name="htx_active")
    ahead = np.arange(2021, 2041)
    median = {m: np.median(fit_model(stock, m).simulate(ahead, 4000, np.random.default_rng(0)),
                           axis=0) for m in ("damped_drift", "linear_drift")}
    assert median["damped_drift"][-1] < median["linear_drift"][-1]
    assert median["damped_drift"][-1] == pytest.approx(150, rel=0.15)


def test_damped_drifts_posterior_over_the_pull_is_the_integral_of_its_likelihood():
    """Each grid point's weight is its likelihood integrated over ``a`` (flat) and ``sigma``
    (flat on ``log sigma``) times the prior: summed here on a fine grid, with the gaps' AR(1)
    written out step by step, it agrees with the closed form ``fit_damped_drift`` uses."""
    years = np.array([2015, 2016, 2018, 2019, 2022])
    values = np.array([40.0, 47.0, 58.0, 61.0, 70.0])
    chosen = [0, 20, 30, 40, 80]  # b = -0.1 (growth), 0 (the linear drift), 0.05, 0.1, 0.3
    a = np.linspace(-120, 120, 2401)[:, None]
    log_sd = np.linspace(np.log(0.05), np.log(500), 1501)[None, :]
    integral = []
    for b in DAMPING_GRID[chosen]:
        phi, log_likelihood = 1 - b, 0.0
        for y0, x0, y1, x1 in zip(years[:-1], values[:-1], years[1:], values[1:], strict=True):
            mean = phi ** (y1 - y0) * x0 + a * sum(phi**j for j in range(y1 - y0))
            variance = np.exp(2 * log_sd) * sum(phi ** (2 * j) for j in range(y1 - y0))
            log_likelihood = (log_likelihood - 0.5 * np.log(2 * np.pi * variance)
                              - (x1 - mean) ** 2 / (2 * variance))
        prior = np.exp(-b / DISSOLUTION_PRIOR_MEAN if b >= 0 else b / GROWTH_PRIOR_MEAN)
        integral.append(np.exp(log_likelihood).sum() * prior)
    weight = fit_damped_drift(years, values).weight[chosen]
    assert weight / weight.sum() == pytest.approx(np.array(integral) / sum(integral), rel=1e-4)


@pytest.mark.parametrize("phi", [0.9, 1.0, 1.04])
def test_damped_drifts_paths_follow_the_ar1_ahead_and_the_net_change_behind(phi):
    """With its parameters all but known (one grid point, a very long record), ``h`` years
    ahead the stock's mean is ``phi**h x + a (1 + ... + phi**(h-1))`` and its variance
    ``sigma**2 (1 + ... + phi**(2(h-1)))``; a year behind, a walk with the net change a year
    at the last figure, ``a - (1 - phi) x``."""
    gain, sd, last, df = 30.0, 4.0, 500.0, 10**7
    fit = DampedFit(last, 2025, np.array([phi]), np.array([1.0]), np.array([gain]),
                    np.array([1e12]), np.array([sd**2 * df]), df)
    paths = fit.simulate([2020, 2030], 200_000, np.random.default_rng(3)).T
    h = np.arange(5)
    assert paths[1].mean() == pytest.approx(phi**5 * last + gain * np.sum(phi**h), abs=0.1)
    assert paths[1].var() == pytest.approx(sd**2 * np.sum(phi ** (2 * h)), rel=0.02)
    assert paths[0].mean() == pytest.approx(last - 5 * (gain - (1 - phi) * last), abs=0.1)
    assert paths[0].var() == pytest.approx(5 * sd**2, rel=0.02)


def test_a_gap_counts_as_the_years_it_spans():
    """A change over g years is g steps: dropping every other year leaves the estimates where
    they were, up to noise."""
    rng = np.random.default_rng(3)
    years = np.arange(1900, 2100)
    stock = pd.Series(log_walk(len(years), drift=0.03, sd=0.05, rng=rng), index=years,
                      name="htx_registered")
    every, other = fit_model(stock, "log_drift").fit, fit_model(stock.iloc[::2], "log_drift").fit
    assert other.drift == pytest.approx(every.drift, abs=2 * other.drift_se)
    assert other.step_sd == pytest.approx(every.step_sd, rel=0.15)


@pytest.mark.parametrize(("model", "make"), [
    ("log_drift", lambda rng, n: log_walk(n, drift=0.06, sd=0.04, rng=rng)),
    ("linear_drift", lambda rng, n: 3000 + np.cumsum(rng.normal(150, 60, n)).round()),
    ("last_stock", lambda rng, n: log_walk(n, drift=0.0, sd=0.10, rng=rng)),
    ("damped_drift", lambda rng, n: damped(n, rng=rng)),
])
def test_80_percent_intervals_cover_about_80_percent(model, make):
    """Ten figures with a gap, then five years ahead, on the process the model assumes."""
    rng = np.random.default_rng(31)
    years = np.array([2010, 2011, 2012, 2014, 2015, 2016, 2017, 2018, 2019, 2020])
    future = np.arange(2021, 2026)
    hits = []
    for rep in range(300):
        full = make(rng, 16)  # 2010-2025, one figure a year
        truth = full[-len(future):]
        record = pd.Series(full[years - 2010], index=years, name="htx_registered")
        fitted = fit_model(record, model)
        assert fitted.model == model
        band = interval_table(fitted.simulate(future, 400, np.random.default_rng(rep)), future)
        hits.append((band["lo80"] <= truth) & (truth <= band["hi80"]))
    assert 0.75 <= np.mean(hits) <= 0.86, np.mean(hits)


@pytest.mark.parametrize("model", STOCK_MODELS)
def test_paths_are_non_negative_whole_numbers_even_for_a_shrinking_stock(model):
    stock = pd.Series([40.0, 22, 12, 7, 3, 1], index=range(2015, 2021), name="unions_registered")
    fitted = fit_model(stock, model)
    paths = fitted.simulate(range(2021, 2031), 2000, np.random.default_rng(0))
    assert fitted.model == model
    assert paths.shape == (2000, 10)
    assert (paths >= 0).all()
    assert (paths == np.round(paths)).all()
    assert np.isfinite(paths).all()


@pytest.mark.parametrize("n", [1, 2, 3])
def test_a_short_record_falls_back_to_the_last_figure_with_wide_intervals(n):
    stock = pd.Series([1000.0, 1100, 1150][:n], index=range(2023, 2023 + n),
                      name="htx_registered")
    fitted = fit_model(stock, "log_drift")
    assert fitted.model == "last_stock"
    assert fitted.note == f"fell back to last_stock (log_drift needs 4 figures, has {n})"
    band = interval_table(fitted.simulate([2030], 4000, np.random.default_rng(0)), [2030])
    assert band["median"].iloc[0] == pytest.approx(stock.iloc[-1], rel=0.03)
    # about +-10 % a year, heavy-tailed: a wide range, not a confident answer
    assert band["hi80"].iloc[0] / band["lo80"].iloc[0] > 1.5


def test_a_stock_that_never_changed_falls_back():
    stock = pd.Series(12.0, index=range(2015, 2022), name="unions_registered")
    fitted = fit_model(stock, "log_drift")
    assert fitted.model == "last_stock"
    assert "no spread to learn" in fitted.note


def test_the_last_value_baseline_is_widened_by_the_growth_it_ignores():
    rng = np.random.default_rng(4)
    stock = pd.Series(log_walk(10, drift=0.08, sd=0.01, rng=rng), index=range(2011, 2021),
                      name="htx_registered")
    assert fit_model(stock, "last_stock").fit.step_sd > 0.07


def stock_target(rule="about_at", **changes):
    base = {"id": "T", "indicator": "htx_registered", "rule": rule, "threshold": 45000.0,
            "start": 2030, "end": 2030, "quote": "khoảng 45 nghìn HTX", "meaning": ""}
    return Target(**{**base, **changes})


def test_a_stocks_recent_call_is_at_its_last_figure_and_looks_at_the_call_year_alone():
    training = pd.Series([100.0, 120, 150, 130], index=[2010, 2011, 2012, 2013],
                         name="htx_registered")
    calls = list(_calls([stock_target()], training, 2013, 3))
    recent = [call for basis, _, call in calls if basis == "recent"]
    assert [c.threshold for c in recent] == [130.0] * 3
    assert [(c.start, c.end) for c in recent] == [(2014, 2014), (2015, 2015), (2016, 2016)]


def test_a_between_target_is_called_at_least_the_recent_level():
    """The plan's high end belongs to the plan's range, not to a call about the recent level."""
    target = stock_target("between_at", indicator="rated_good_share", threshold=0.6, high=0.7,
                          reading="at_least_high")
    training = pd.Series([0.70, 0.75, 0.78, 0.80], index=range(2010, 2014),
                         name="rated_good_share")
    calls = {(basis, h): call for basis, h, call in _calls([target], training, 2013, 2)}
    recent = calls[("recent", 1)]
    assert recent.bounds() == (0.80, float("inf"), False, False)
    assert calls[("plan", 1)].bounds() == (0.7, float("inf"), False, False)


def test_stocks_are_backtested_and_chosen_among_the_stock_models():
    rng = np.random.default_rng(5)
    years = np.arange(2010, 2026)
    frame = pd.DataFrame({"unit": "vietnam", "year": years, "indicator": "htx_registered",
                          "value": log_walk(len(years), rng=rng), "source": "s", "quote": "q"})
    backtest = run_backtest(frame, "vietnam", [stock_target()], n_paths=300, seed=1)
    assert set(backtest.forecasts["model"]) == set(STOCK_MODELS)
    # the damped drift is a stock's one candidate: the others are scored for comparison
    choice = choose_models(backtest)["htx_registered"]
    assert choice.weights == {"damped_drift": 1.0}
    assert AUTO_CANDIDATES["stock"] == ("damped_drift",)


def test_the_national_strategys_45000_htx_is_neither_certain_nor_hopeless(capsys):
    """HTX on record grew from 22,861 (2018) to 35,041 (2025): a straight line puts 2030 near
    43,500 and steady growth of 6 % a year near 47,500, so 45,000 is an open question."""
    assert main(["status", "--plan", "vietnam-340", "--json", "--paths", "2000"]) == 0
    records = {r["id"]: r for r in json.loads(capsys.readouterr().out)}
    htx = records["T2030-htx"]
    assert 0.2 < htx["probability"] < 0.9
    assert 35041 < htx["interval_80"][0] < 45000 < htx["interval_80"][1] < 55000
    # every stock target answers with its model, or says why the baseline serves it
    for key in ("T2030-tht", "T2030-htx-members"):
        assert 0 < records[key]["probability"] < 1
        assert "too few to backtest" in records[key]["note"]
    # the unions have six figures (2019-2025): enough to backtest, so the damped drift answers
    # (from 164 in 2025 at about 13 more a year, 340 is out of reach)
    assert records["T2030-unions"]["model"] == "damped_drift"
    assert records["T2030-unions"]["probability"] < 0.05
