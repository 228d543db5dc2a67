"""Rolling-origin backtest: scores that mean what they say, calls that are reliable on data from
a known process, and a model choice that follows the evidence."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from ktt import config
from ktt.backtest import (
    Backtest,
    brier_table,
    choose_models,
    origins,
    reliability,
    run_backtest,
    score_table,
)
from ktt.data import load_observations
from ktt.example import EXAMPLE_PATH
from ktt.indicators import derive
from ktt.synthetic import SyntheticParams, generate
from ktt.targets import load_targets


@pytest.fixture(scope="module")
def targets():
    return load_targets(config.TARGETS).resolve()


def of(targets, code):
    return [t for t in targets if t.indicator == code]


def test_origins_leave_four_training_years_and_one_to_score():
    assert origins(range(2015, 2026)) == list(range(2018, 2025))
    assert origins([2015, 2016, 2018, 2019, 2021]) == [2019]
    assert origins([2015, 2016, 2017, 2018]) == []


def province(targets, code, model, params, n_districts=30):
    """Backtest ``model`` on districts whose true parameters are drawn from ``params``: the
    probabilities then vary across districts as they do in a real province."""
    rng = np.random.default_rng(7)
    runs = []
    for i in range(n_districts):
        drawn = {name: draw(rng) for name, draw in params.items()}
        obs = derive(generate(SyntheticParams(first_year=2010, last_year=2023, seed=100 + i,
                                              **drawn)))
        runs.append(run_backtest(obs, "krong-bong", of(targets, code),
                                 {"count": [model], "share": [model]}, n_paths=500, seed=i))
    return Backtest("province", pd.concat([r.forecasts for r in runs], ignore_index=True),
                    pd.concat([r.calls for r in runs], ignore_index=True), {},
                    runs[0].settings)


CASES = {
    # An interval of whole counts includes its end points, so a count's coverage sits above
    # the nominal level: the upper bound for counts is looser.
    "constant founding rate, recent mean": (
        "orgs_new", "recent_mean", {"founding_rate": lambda r: r.uniform(2, 10)}, 0.93),
    "trending profitable share, binomial": (
        "profitable_share", "binomial", {"profitable_start": lambda r: r.uniform(0.3, 0.8),
                                         "profitable_trend": lambda r: r.normal(0, 0.1)}, 0.89),
}


@pytest.mark.parametrize("case", CASES)
def test_on_a_known_process_intervals_cover_and_calls_are_reliable(targets, case):
    code, model, params, most80 = CASES[case]
    backtest = province(targets, code, model, params)
    scores = score_table(backtest, ("model",)).iloc[0]
    assert scores["n"] > 1000
    assert 0.93 <= scores["cover95"] <= 0.985
    assert 0.75 <= scores["cover80"] <= most80
    calls = backtest.calls
    assert abs(calls["probability"].mean() - calls["outcome"].mean()) < 0.03
    table = reliability(calls)
    full = table[table["n"] >= 200]
    assert len(full) >= 4
    assert (full["observed"] - full["predicted"]).abs().max() < 0.09
    # and the calls carry information: better than always saying the base rate
    base = calls["outcome"].mean()
    assert brier_table(calls, ("model",))["brier"].iloc[0] < 0.75 * base * (1 - base)


def test_a_model_that_ignores_a_trend_covers_less_and_scores_worse(targets):
    """Farm-household participation rising steadily: last value (no trend) under-covers at
    five years and loses on CRPS to the trend models; auto does not choose it."""
    obs = derive(generate(SyntheticParams(first_year=2010, last_year=2023, household_trend=0.15,
                                          seed=4)))
    backtest = run_backtest(obs, "krong-bong", of(targets, "household_share"), n_paths=500)
    scores = score_table(backtest).set_index(["model", "horizon"])
    assert scores.loc[("last_value", 5), "cover80"] < scores.loc[("binomial", 5), "cover80"]
    choice = choose_models(backtest)["household_share"]
    assert choice.model != "last_value"
    assert choice.crps["last_value"] > 2 * choice.crps[choice.model]
    assert choice.reason.startswith(f"lowest mean CRPS {choice.crps[choice.model]:.3g}")


def test_every_model_is_scored_on_the_same_forecasts(targets):
    obs = derive(load_observations(EXAMPLE_PATH))
    backtest = run_backtest(obs, "krong-bong", targets, n_paths=200)
    counts = score_table(backtest, ("indicator", "model")).groupby("indicator")["n"].nunique()
    assert (counts == 1).all()
    assert set(backtest.forecasts["horizon"]) == {1, 2, 3, 4, 5}
    assert backtest.forecasts["crps"].ge(0).all()


def test_a_series_too_short_to_backtest_uses_the_baseline(targets):
    obs = derive(generate(SyntheticParams(first_year=2021, last_year=2024, seed=1)))
    backtest = run_backtest(obs, "krong-bong", of(targets, "orgs_new") +
                            of(targets, "profitable_share"), n_paths=100)
    assert backtest.forecasts.empty
    choices = choose_models(backtest)
    assert choices["orgs_new"].model == "recent_mean"
    assert choices["profitable_share"].model == "last_value"
    assert choices["orgs_new"].reason == ("4 figures, too few to backtest (needs 5): the "
                                          "baseline recent_mean")


def test_same_seed_same_backtest(targets):
    obs = derive(load_observations(EXAMPLE_PATH))
    a = run_backtest(obs, "krong-bong", of(targets, "orgs_new"), n_paths=200, seed=3)
    b = run_backtest(obs, "krong-bong", of(targets, "orgs_new"), n_paths=200, seed=3)
    pd.testing.assert_frame_equal(a.forecasts, b.forecasts)
    pd.testing.assert_frame_equal(a.calls, b.calls)


def test_reliability_bins_hold_every_call():
    calls = pd.DataFrame({"probability": [0.0, 0.05, 0.5, 0.95, 1.0],
                          "outcome": [False, True, True, True, True]})
    table = reliability(calls)
    assert table["n"].sum() == 5
    assert table.iloc[0]["observed"] == 0.5  # 0 and 0.05 share the lowest bin
