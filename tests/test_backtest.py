"""Rolling-origin backtest: scores that mean what they say, calls that are reliable on data from
a known process, and a model choice that follows the evidence."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from ktt import config
from ktt.calibration.districts import draw_district
from ktt.forecasting.backtest import Backtest, origins, run_backtest
from ktt.forecasting.model_choice import choose_models, chosen_calls
from ktt.forecasting.scores import brier_table, consistency_bars, reliability, score_table
from ktt.inputs.data import load_observations
from ktt.inputs.example import EXAMPLE_PATH
from ktt.inputs.indicators import derive
from ktt.inputs.synthetic import SyntheticParams, generate
from ktt.inputs.targets import load_targets
from ktt.models.counts import rate_prior


@pytest.fixture(scope="module")
def targets():
    return load_targets(config.TARGETS).resolve()


def of(targets, code):
    return [t for t in targets if t.indicator == code]


def test_origins_leave_four_training_years_and_one_to_score():
    assert origins(range(2015, 2026)) == list(range(2018, 2025))
    assert origins([2015, 2016, 2018, 2019, 2021]) == [2019]
    assert origins([2015, 2016, 2017, 2018]) == []


def trending_share(i, rng):
    """A district of ``ktt.inputs.synthetic``: shares with a logit trend drawn per district."""
    return "krong-bong", generate(SyntheticParams(
        first_year=2010, last_year=2023, seed=100 + i,
        profitable_start=rng.uniform(0.3, 0.8), profitable_trend=rng.normal(0, 0.1)))


def overdispersed_foundings(i, rng):
    """A district of the calibration suite's ``reverting`` family: HTX and THT foundings each
    negative-binomial around a rate drawn per district, years varying more than Poisson."""
    district = draw_district("reverting", i, 7)
    return district.unit, district.truth


def province(targets, code, model, draw, n_districts=60):
    """Backtest ``model`` on districts drawn by ``draw``: their true parameters vary, so the
    probabilities vary across districts as they do in a real province."""
    rng = np.random.default_rng(7)
    runs = []
    for i in range(n_districts):
        unit, observations = draw(i, rng)
        runs.append(run_backtest(derive(observations), unit, of(targets, code),
                                 {"count": [model], "share": [model]}, n_paths=500, seed=i,
                                 prior=rate_prior("district")))
    return Backtest("province", pd.concat([r.forecasts for r in runs], ignore_index=True),
                    pd.concat([r.calls for r in runs], ignore_index=True), {},
                    runs[0].settings)


CASES = {
    # An interval of whole counts includes its end points, so a count's coverage sits above
    # the nominal level: the upper bound for counts is looser. Foundings are checked on the
    # rate walk, the model auto and short series use; the recent mean (a named model since)
    # misses the 0.09 by 0.002 under the dispersion prior of 0.05 with its tail, which leans
    # to Poisson as most districts do, where these districts all vary more.
    "overdispersed foundings, rate walk": (
        "orgs_new", "rate_walk", overdispersed_foundings, 0.90),
    "trending profitable share, binomial": (
        "profitable_share", "binomial", trending_share, 0.89),
}


@pytest.mark.parametrize("case", CASES)
def test_on_a_known_process_intervals_cover_and_calls_are_reliable(targets, case):
    code, model, draw, most80 = CASES[case]
    backtest = province(targets, code, model, draw)
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
    five years and loses on CRPS to the trend models; the mean-reverting model, which weighs
    a line against a level, scores near the trend models and serves the share alone."""
    obs = derive(generate(SyntheticParams(first_year=2010, last_year=2023, household_trend=0.15,
                                          seed=4)))
    backtest = run_backtest(obs, "krong-bong", of(targets, "household_share"), n_paths=500)
    scores = score_table(backtest).set_index(["model", "horizon"])
    assert scores.loc[("last_value", 5), "cover80"] < scores.loc[("binomial", 5), "cover80"]
    choice = choose_models(backtest)["household_share"]
    best = min(choice.crps, key=choice.crps.get)
    assert choice.crps["last_value"] > 2 * choice.crps[best]
    assert choice.crps["mean_reverting"] < 1.5 * choice.crps[best]
    assert choice.weights == {"mean_reverting": 1.0}
    # the one candidate of its kind: no runner-up, and not called the best of several
    assert choice.why == "only"
    assert choice.evidence.runner_up == ""
    assert choice.reason.startswith(
        "the one candidate of its kind (ktt backtest scores the others for comparison), mean "
        "CRPS ")


def test_every_model_is_scored_on_the_same_forecasts(targets):
    obs = derive(load_observations(EXAMPLE_PATH))
    backtest = run_backtest(obs, "krong-bong", targets, n_paths=200)
    counts = score_table(backtest, ("indicator", "model")).groupby("indicator")["n"].nunique()
    assert (counts == 1).all()
    assert set(backtest.forecasts["horizon"]) == {1, 2, 3, 4, 5}
    assert backtest.forecasts["crps"].ge(0).all()


def test_a_series_too_short_to_backtest_mixes_what_it_can_fit_or_uses_the_baseline(targets):
    """Four figures: the count models need six for a trend, so the rate walk serves alone;
    a share's one candidate, the mean-reverting model, is its baseline too."""
    obs = derive(generate(SyntheticParams(first_year=2021, last_year=2024, seed=1)))
    backtest = run_backtest(obs, "krong-bong", of(targets, "orgs_new") +
                            of(targets, "profitable_share"), n_paths=100)
    assert backtest.forecasts.empty
    choices = choose_models(backtest)
    assert choices["orgs_new"].model == "rate_walk"
    assert choices["orgs_new"].reason == ("4 figures, too few to backtest (needs 5): the "
                                          "baseline rate_walk")
    share = choices["profitable_share"]
    assert share.model == "mean_reverting"
    assert share.reason == ("4 figures, too few to backtest (needs 5): the baseline "
                            "mean_reverting")


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


def _inside(calls: pd.DataFrame) -> np.ndarray:
    table = consistency_bars(reliability(calls))
    return table["observed"].between(table["low"], table["high"]).to_numpy()


def test_consistency_bars_hold_calibrated_calls_and_not_overconfident_ones():
    rng = np.random.default_rng(4)
    inside, outside = [], []
    for _ in range(40):
        p = rng.uniform(0, 1, 400)
        inside += list(_inside(pd.DataFrame({"probability": p,
                                             "outcome": rng.random(400) < p})))
        # calls of 0.2 that come true half the time, 0.8 that come true half the time
        said = np.where(p < 0.5, 0.2, 0.8)
        outside += list(_inside(pd.DataFrame({"probability": said,
                                              "outcome": rng.random(400) < 0.5})))
    assert 0.85 < np.mean(inside) < 0.97  # about 9 in 10 (discrete quantiles hold a little more)
    assert np.mean(outside) < 0.05


def test_consistency_bars_narrow_with_more_calls():
    table = pd.DataFrame({"n": [10, 100, 1000], "predicted": [0.3, 0.3, 0.3]})
    bars = consistency_bars(table)
    width = (bars["high"] - bars["low"]).to_numpy()
    assert np.all(np.diff(width) < 0)
    assert np.all((bars["low"] <= 0.3) & (bars["high"] >= 0.3))


def fake_backtest(crps: dict[str, float], n: int, fell_back: tuple[str, ...] = ()) -> Backtest:
    """A backtest of orgs_new where each model scored ``n`` forecasts of mean CRPS ``crps``."""
    rows = [{"indicator": "orgs_new", "model": m,
             "fitted": "recent_mean" if m in fell_back else m,
             "origin": 2015 + i % 5, "horizon": 1, "year": 2016, "observed": 4.0,
             "median": 4.0, "lo80": 3.0, "hi80": 5.0, "lo95": 2.0, "hi95": 6.0, "crps": c}
            for m, c in crps.items() for i in range(n)]
    calls = pd.DataFrame(columns=["indicator", "model", "origin", "rule", "threshold", "basis",
                                  "horizon", "probability", "outcome"])
    return Backtest("u", pd.DataFrame(rows), calls, {},
                    {"n_paths": 10, "seed": 1, "horizons": 5, "min_train": 4})


def test_too_few_forecasts_mix_the_models_by_inverse_crps():
    choice = choose_models(fake_backtest({"rate_walk": 1.0, "negbin": 2.0}, n=29))["orgs_new"]
    assert choice.model == "mixture"
    assert choice.weights == pytest.approx({"rate_walk": 2 / 3, "negbin": 1 / 3})
    assert choice.reason == (
        "mixture of rate_walk 0.67, negbin 0.33 (weights proportional to 1 / mean CRPS) "
        "over 29 scored forecasts from 5 origins: fewer than the 30 a single model needs to win")


def test_enough_forecasts_and_a_clear_margin_let_one_model_win():
    choice = choose_models(fake_backtest({"rate_walk": 1.0, "negbin": 2.0}, n=30))["orgs_new"]
    assert choice.model == "rate_walk"
    assert choice.weights == {"rate_walk": 1.0}
    assert choice.reason.startswith("lowest mean CRPS 1 over 30 scored forecasts")


def test_close_models_are_mixed_even_on_much_evidence_and_only_candidates_serve():
    backtest = fake_backtest({"poisson": 0.5, "rate_walk": 1.0, "negbin": 1.05}, n=60)
    choice = choose_models(backtest)["orgs_new"]
    assert set(choice.weights) == {"rate_walk", "negbin"}
    assert choice.crps["poisson"] == 0.5  # scored and shown, but not an auto candidate
    assert choice.reason.endswith("CRPS within 10% of the best (1)")


def test_a_model_that_always_fell_back_is_no_candidate():
    backtest = fake_backtest({"negbin": 0.5, "rate_walk": 1.0}, n=10, fell_back=("negbin",))
    choice = choose_models(backtest)["orgs_new"]
    assert choice.weights == {"rate_walk": 1.0}
    assert choice.reason.endswith("negbin always fell back, not a candidate")


def test_a_mixtures_calls_are_the_weighted_mean_of_its_models_calls():
    calls = pd.DataFrame({"indicator": "orgs_new", "model": ["rate_walk", "negbin"],
                         "origin": 2018, "rule": "each_year_at_least", "threshold": 4.0,
                         "basis": "plan", "horizon": 1, "probability": [0.2, 0.8],
                         "outcome": True})
    choice = choose_models(fake_backtest({"rate_walk": 1.0, "negbin": 3.0}, n=5))
    mixed = chosen_calls(calls, choice)
    assert len(mixed) == 1
    assert mixed["probability"].iloc[0] == pytest.approx(0.75 * 0.2 + 0.25 * 0.8)
    assert mixed["model"].iloc[0] == "mixture"


def test_the_official_classes_are_scored_on_the_same_calls_as_ktt():
    from ktt.forecasting.backtest import backtest_unit
    from ktt.forecasting.choice_scores import official_scores
    from ktt.forecasting.progress import CLASSES, ON_TRACK

    observations = load_observations(EXAMPLE_PATH)
    backtest = backtest_unit(observations, "krong-bong", load_targets(config.TARGETS),
                             n_paths=200)
    official = backtest.official
    assert backtest.settings["base_year"] == 2020
    assert set(official["model"]) == {"open_sdg", "unsd", "escap"}
    for method, group in official.groupby("model"):
        assert group["class"].isin(CLASSES[method]).all()
        made = group.dropna(subset=["probability"])
        assert (made["probability"] == made["class"].isin(ON_TRACK).astype(float)).all()
    # every official call is a call the models make at the same origin
    keys = ["indicator", "origin", "rule", "threshold", "basis", "horizon"]
    def key_set(frame):  # NaN thresholds (rising) as -1, so that they compare equal
        return set(frame[keys].fillna({"threshold": -1}).itertuples(index=False, name=None))

    assert key_set(official) <= key_set(backtest.calls)
    scores = official_scores(backtest, choose_models(backtest))
    overall = scores[scores["indicator"] == "all"].set_index("method")
    assert list(overall.index) == ["ktt", "open_sdg", "unsd", "escap"]
    # the same calls: ktt's Brier on the official calls of a method that always calls is its
    # own Brier; and the share met does not depend on who calls
    assert overall.loc["escap", "ktt_brier"] == pytest.approx(overall.loc["ktt", "brier"])
    assert (overall["base_rate"] == overall["base_rate"].iloc[0]).all()
    assert overall["brier"].between(0, 1).all()
    assert overall["ktt_brier"].between(0, 1).all()


def test_without_a_base_year_no_official_calls_are_made(targets):
    frame = derive(load_observations(EXAMPLE_PATH))
    backtest = run_backtest(frame, "krong-bong", of(targets, "orgs_new"),
                            {"count": ["recent_mean"]}, n_paths=100)
    assert backtest.official.empty
    assert "base_year" not in backtest.settings


def test_a_reliability_bin_reads_as_a_reader_writes_it():
    from ktt.report.backtest import bin_words

    assert bin_words("(-0.001, 0.1]", "vi") == "0-0,1"  # the lowest bin holds 0
    assert bin_words("(0.9, 1.0]", "en") == "0.9-1"
