"""The calibration suite: its synthetic districts, its hand baselines, and ktt's calls on a
reduced suite (300 districts) scored for skill and reliability."""

from __future__ import annotations

import dataclasses
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import ktt.report.backtest as kb
from ktt import config
from ktt.calibration.districts import (
    COLUMNS,
    FAMILIES,
    INDICATORS,
    MISSING,
    STRESS_FAMILIES,
    TRUTH_END,
    draw_district,
)
from ktt.calibration.suite import (
    CALL_COLUMNS,
    HAND_METHODS,
    STOCK_AMBITION,
    STOCK_INDICATOR,
    calibrated_pass_rate,
    hand_margin,
    load_suite,
    persistence_call,
    reliability_table,
    reliability_test,
    run_suite,
    save_suite,
    scores,
    stock_targets,
    target_family,
    trend_line_call,
)
from ktt.inputs.indicators import derive, series
from ktt.inputs.targets import Target, load_targets

REDUCED_DISTRICTS = 300
REDUCED_SEED = 10
RELIABILITY_TOLERANCE = 0.10
RELIABILITY_MIN_CALLS = 30
RELIABILITY_SE = 2.5


@pytest.fixture(scope="module")
def targets():
    return load_targets(config.TARGETS)


def rule(rule: str, threshold: float | None, start: int, end: int) -> Target:
    return Target(id="t", indicator="orgs_new" if "year" in rule else "profitable_share",
                  rule=rule, threshold=threshold, start=start, end=end, quote="", meaning="")


# --- the generator ---------------------------------------------------------------------------

@pytest.mark.parametrize("family", FAMILIES + STRESS_FAMILIES)
def test_same_seed_same_district_and_another_index_another(family):
    a, b = draw_district(family, 3, 11), draw_district(family, 3, 11)
    pd.testing.assert_frame_equal(a.history, b.history)
    pd.testing.assert_frame_equal(a.truth, b.truth)
    assert a.params == b.params
    assert a.unit == f"cal-{family}-3"
    other = draw_district(family, 4, 11)
    assert other.params != a.params


@pytest.mark.parametrize("family", FAMILIES + STRESS_FAMILIES)
def test_history_ends_at_as_of_with_gaps_and_agrees_with_the_truth(family):
    districts = [draw_district(family, i, 5) for i in range(30)]
    rows = figures = 0
    for d in districts:
        assert list(d.history.columns) == COLUMNS
        assert d.history["year"].max() == d.as_of
        assert 2020 <= d.as_of <= 2024
        assert 6 <= d.as_of - d.truth["year"].min() + 1 <= 12
        assert d.truth["year"].max() == TRUTH_END
        full = d.truth.pivot_table(index="year", columns="indicator", values="value")
        assert sorted(full.columns) == sorted(INDICATORS)
        assert not full.isna().any().any()
        assert full.index.tolist() == list(range(full.index.min(), TRUTH_END + 1))
        both = d.history.merge(d.truth, on=["unit", "year", "indicator"])
        assert len(both) == len(d.history)
        assert (both["value_x"] == both["value_y"]).all()
        assert d.history["source"].str.startswith("synthetic").all()
        assert d.history["quote"].str.startswith("synthetic").all()
        rows += len(d.history)
        figures += (d.as_of - full.index.min() + 1) * len(INDICATORS)
    missing = 1 - rows / figures
    # each figure missing with probability MISSING (drifting also drops some THT foundings)
    assert MISSING * 0.6 < missing < MISSING * (2.2 if family == "drifting" else 1.4)


def test_some_drifting_districts_leave_tht_foundings_out_so_orgs_new_is_missing():
    gaps = 0
    for i in range(20):
        d = draw_district("drifting", i, 5)
        frame = derive(d.history)
        htx = series(frame, d.unit, "htx_new").index
        orgs = series(frame, d.unit, "orgs_new").index
        gaps += len(set(htx) - set(orgs))
    assert gaps >= 10


def pooled_z(family: str, n: int = 40) -> tuple[float, float]:
    """Over ``n`` districts' truth: the z-score of all foundings against the drawn rates, and
    the pooled dispersion index (variance / mean) of yearly foundings around each district's
    own mean."""
    total = expected = 0.0
    ratios = []
    for i in range(n):
        d = draw_district(family, i, 21)
        new = derive(d.truth)
        orgs = series(new, d.unit, "orgs_new")
        total += orgs.sum()
        expected += d.params["founding_rate"] * len(orgs)
        ratios.append(orgs.var(ddof=1) / orgs.mean())
    return (total - expected) / np.sqrt(expected), float(np.mean(ratios))


def test_steady_founding_rate_is_recovered_and_poisson():
    z, dispersion = pooled_z("steady")
    assert abs(z) < 4
    assert 0.8 < dispersion < 1.25


def test_reverting_founding_rate_is_recovered_and_overdispersed():
    z, dispersion = pooled_z("reverting")
    # negative binomial around the drawn mean: variance mu + alpha mu^2, so z is wider
    assert abs(z) < 8
    assert dispersion > 1.4


def test_shifting_breaks_its_founding_rate_purges_once_and_moves_shares_on_a_straight_line():
    before = after = expected_before = expected_after = 0.0
    for i in range(60):
        d = draw_district("shifting", i, 21)
        wide = d.truth.pivot(index="year", columns="indicator", values="value")
        orgs = wide["htx_new"] + wide["tht_new"]
        late = wide.index >= d.params["founding_break"]
        rate = d.params["founding_rate"]
        before += orgs[~late].sum()
        after += orgs[late].sum()
        expected_before += rate * (~late).sum()
        expected_after += rate * d.params["break_ratio"] * late.sum()
        # the purge year dissolves a larger share of the HTX operating than a year can by
        # chance at the yearly rate
        gone = wide["htx_dissolved"] / (wide["htx_active"] + wide["htx_dissolved"]
                                        - wide["htx_new"])
        year = d.params["purge_year"]
        if d.params["purge"] > 0.2 and wide.loc[year, "htx_active"] > 30:
            assert gone.idxmax() == year, (i, gone.round(2).to_dict())
        # the share is its straight line, within the binomial noise of the farm households
        share = wide["member_households"] / wide["farm_households"]
        t = np.arange(len(share))
        line = (d.params["household_start"] + d.params["household_slope"] * t
                + np.where(share.index >= d.params["household_break"],
                           d.params["household_jump"], 0.0))
        line = np.clip(line, 0.005, 0.995)
        se = np.sqrt(line * (1 - line) / wide["farm_households"].to_numpy())
        assert (np.abs(share.to_numpy() - line) / se).max() < 4.5, i
    assert abs(before / expected_before - 1) < 0.15
    assert abs(after / expected_after - 1) < 0.15


def test_every_family_contests_the_level_targets(targets):
    from ktt.inputs.targets import evaluate

    for family in FAMILIES:
        met = {}
        for i in range(40):
            d = draw_district(family, i, 3)
            status = evaluate(targets, d.truth, d.unit, TRUTH_END).set_index("id")["status"]
            for target in targets.resolve():
                met.setdefault(target_family(target), []).append(status[target.id] == "met")
        for kind in ("formation", "profitable", "households"):
            rate = np.mean(met[kind])
            assert 0.05 < rate < 0.95, (family, kind, rate)


def test_stock_targets_are_set_from_the_record_alone_and_contested_in_every_family():
    for family in FAMILIES:
        met = []
        for i in range(40):
            d = draw_district(family, i, 3)
            targets = stock_targets(d)
            assert targets == stock_targets(draw_district(family, i, 3))
            assert [t.end for t in targets] == [y for y in (2025, 2030) if y > d.as_of]
            last = series(derive(d.history), d.unit, STOCK_INDICATOR).dropna().iloc[-1]
            truth = series(derive(d.truth), d.unit, STOCK_INDICATOR)
            for t in targets:
                assert target_family(t) == "stock"
                low, yearly = STOCK_AMBITION
                # a whole number of HTX, rounded from the ratio times the last stock
                assert low * last - 0.5 <= t.threshold <= (
                    1 + yearly * (t.end - d.as_of)) * last + 0.5
                met.append(truth[t.end] > t.threshold)
        assert 0.1 < np.mean(met) < 0.9, (family, np.mean(met))


def test_a_district_without_a_stock_on_record_gets_no_stock_target():
    d = draw_district("steady", 0, 3)
    bare = dataclasses.replace(d, history=d.history[d.history["indicator"] != STOCK_INDICATOR])
    assert stock_targets(bare) == ()


def test_the_benchmark_never_saves_a_stress_family_as_the_suite(tmp_path):
    bench = Path(__file__).parents[1] / "benchmarks" / "bench_calibration.py"
    done = subprocess.run([sys.executable, str(bench), "--families", "shifting", "--save",
                           str(tmp_path), "--districts", "1"], capture_output=True, text=True)
    assert done.returncode == 2
    assert ("error: --save keeps the suite of the families steady, drifting, trending, "
            "reverting for the backtest report; run other families without it") in done.stderr
    assert list(tmp_path.iterdir()) == []


def test_unknown_family_is_refused():
    with pytest.raises(ValueError, match="unknown family 'flat'; valid: steady"):
        draw_district("flat", 0, 0)
    with pytest.raises(ValueError, match=r"unknown family flat; valid: .*reverting, shifting$"):
        run_suite(1, families=("flat",))


# --- the hand baselines ----------------------------------------------------------------------

def test_persistence_reads_the_last_figure():
    known = pd.Series([3.0, 5.0, 4.0], index=[2020, 2021, 2022])
    assert persistence_call(rule("each_year_at_least", 4, 2021, 2025), known) == 1.0
    assert persistence_call(rule("each_year_at_least", 5, 2021, 2025), known) == 0.0
    assert persistence_call(rule("above_at", 4, 2025, 2025), known) == 0.0
    assert persistence_call(rule("rising", None, 2021, 2030), known) == 0.0
    assert persistence_call(rule("rising", None, 2021, 2030), known.iloc[:2]) == 1.0
    assert np.isnan(persistence_call(rule("above_at", 4, 2025, 2025), known.iloc[:0]))


def test_trend_line_extrapolates_and_keeps_elapsed_figures():
    rising = pd.Series([0.50, 0.52, 0.54, 0.56], index=[2018, 2019, 2020, 2021])
    assert trend_line_call(rule("above_at", 0.60, 2025, 2025), rising) == 1.0
    assert trend_line_call(rule("above_at", 0.65, 2025, 2025), rising) == 0.0
    assert trend_line_call(rule("rising", None, 2021, 2030), rising) == 1.0
    counts = pd.Series([8.0, 7.0, 6.0, 5.0], index=[2019, 2020, 2021, 2022])
    # 2021 and 2022 are figures (6, 5); the line gives 4 in 2023 and 3 in 2024: missed
    assert trend_line_call(rule("each_year_at_least", 4, 2021, 2025), counts) == 0.0
    assert trend_line_call(rule("each_year_at_least", 4, 2021, 2022), counts) == 1.0
    flat = pd.Series([0.7], index=[2022])
    assert trend_line_call(rule("above_at", 0.65, 2030, 2030), flat) == 1.0


def test_the_log_line_bends_as_a_share_nears_1_and_a_stock_grows_by_a_percentage():
    # the logit climbs about 0.73 a year: the straight line leaves 100 % by 2023, the logit's
    # line reaches 99.4 % and stays below 99.9 %
    nearing = pd.Series([0.90, 0.95, 0.975], index=[2019, 2020, 2021])
    above = rule("above_at", 0.999, 2023, 2023)
    assert trend_line_call(above, nearing) == 1.0
    assert trend_line_call(above, nearing, log=True) == 0.0
    assert trend_line_call(rule("above_at", 0.99, 2023, 2023), nearing, log=True) == 1.0
    # a stock doubling every year: +1 a year on log(1 + x); the straight line gives 225 in 2025
    stock = Target(id="s", indicator="htx_active", rule="above_at", threshold=500, start=2025,
                   end=2025, quote="", meaning="")
    doubling = pd.Series([15.0, 31.0, 63.0, 127.0], index=[2018, 2019, 2020, 2021])
    assert trend_line_call(stock, doubling) == 0.0
    assert trend_line_call(stock, doubling, log=True) == 1.0
    # a share of 0 or 1 has a logit once clipped, and a single figure is held flat
    assert trend_line_call(above, pd.Series([0.0, 1.0], index=[2020, 2021]), log=True) == 1.0
    assert trend_line_call(above, pd.Series([0.5], index=[2021]), log=True) == 0.0


def test_target_families_of_the_plan(targets):
    kinds = {t.id: target_family(t) for t in targets.resolve()}
    assert kinds == {"T2025-formation": "formation", "T2030-formation": "formation",
                     "T2025-profitable": "profitable", "T2030-profitable": "profitable",
                     "T2025-households": "households", "T2030-households": "households",
                     "D-rated-good": "direction"}


# --- the suite -------------------------------------------------------------------------------

def test_calls_do_not_depend_on_jobs():
    one = run_suite(4, seed=3, n_paths=500, jobs=1, progress=False)
    two = run_suite(4, seed=3, n_paths=500, jobs=2, progress=False)
    pd.testing.assert_frame_equal(one, two)
    assert list(one.columns) == CALL_COLUMNS
    assert set(one["family"]) == set(FAMILIES)


@pytest.fixture(scope="module")
def reduced():
    """The reduced suite: 300 districts, ktt's defaults, two processes."""
    start = time.perf_counter()
    calls = run_suite(REDUCED_DISTRICTS, seed=REDUCED_SEED, jobs=2, progress=False)
    elapsed = time.perf_counter() - start
    print(f"\nreduced calibration suite: {REDUCED_DISTRICTS} districts in {elapsed:.0f} s")
    return calls


def test_reduced_suite_calls_only_open_targets_with_every_method(reduced):
    assert set(reduced["method"]) == {"ktt", "persistence", "trend_line", "trend_line_log",
                                      "open_sdg", "unsd", "escap", "oracle"}
    methods = reduced.groupby(["district", "target_family", "target"]).size()
    # the oracle calls the households' targets only
    assert methods.xs("households", level="target_family").eq(8).all()
    assert methods.drop("households", level="target_family").eq(7).all()
    hand = reduced[reduced["method"].isin(["ktt", *HAND_METHODS])]
    assert hand["probability"].between(0, 1).all()
    official = reduced[reduced["method"].isin(["open_sdg", "unsd", "escap"])]
    # 0/1 calls, or none (NaN) where a class is insufficient_data
    assert official["probability"].dropna().isin([0.0, 1.0]).all()
    assert official["probability"].notna().mean() > 0.5
    assert reduced["horizon"].between(1, 10).all()
    assert reduced["district"].nunique() > 0.9 * REDUCED_DISTRICTS


def test_the_oracle_told_the_true_process_bounds_ktt_and_is_calibrated(reduced):
    households = reduced[reduced["target_family"] == "households"]
    brier = households.groupby("method").apply(
        lambda g: ((g["probability"] - g["outcome"]) ** 2).mean(), include_groups=False)
    assert brier["oracle"] < brier["ktt"]
    oracle = households[households["method"] == "oracle"]
    p = oracle["probability"]
    se = np.sqrt((p * (1 - p)).sum()) / len(p)
    assert abs(p.mean() - oracle["outcome"].mean()) < 3 * se


def test_a_calibrated_forecaster_passes_the_five_point_criterion_only_on_a_large_suite():
    rng = np.random.default_rng(8)

    def calls(n):
        p = rng.uniform(0, 1, n)
        return pd.DataFrame({"method": "ktt", "target_family": "formation",
                             "probability": p, "outcome": rng.random(n) < p})

    assert calibrated_pass_rate(calls(1000), repeats=200) < 0.2
    assert calibrated_pass_rate(calls(1000), scale=100, repeats=20) == 1.0
    # a target with no figure to forecast from has no probability, and is no call
    unknown = pd.concat([calls(1000), calls(1).assign(probability=np.nan)], ignore_index=True)
    assert calibrated_pass_rate(unknown, scale=100, repeats=20) == 1.0


def test_calls_that_hang_together_pass_the_criterion_less_often():
    # two calls of one district, as its 2025 and 2030 targets: drawn from one number, their
    # bins' gaps are wider than when drawn apart
    rng = np.random.default_rng(9)
    p = rng.uniform(0, 1, 1000).repeat(2)
    calls = pd.DataFrame({"method": "ktt", "target_family": "formation", "probability": p,
                          "district": np.arange(1000).repeat(2)})
    apart = calibrated_pass_rate(calls, scale=2, repeats=300)
    together = calibrated_pass_rate(calls, scale=2, repeats=300, together="district")
    assert apart - together > 0.2
    # calls of districts of their own are drawn apart either way
    alone = calls.assign(district=np.arange(2000))
    assert calibrated_pass_rate(alone, scale=2, repeats=300, together="district") == apart


def test_ktt_beats_the_base_rate_in_every_contested_target_family(reduced):
    table = scores(reduced)
    own = table[(table["method"] == "ktt") & table["base_rate"].between(0.05, 0.95,
                                                                       inclusive="neither")]
    assert set(own["target_family"]) >= {"formation", "profitable", "households", "stock"}
    failing = own[~(own["bss"] > 0)]
    assert failing.empty, "ktt's Brier skill score is not above 0:\n" + failing.to_string()


def test_the_margin_over_hand_methods_is_taken_over_the_better_one():
    outcome = [1, 0, 1, 0]
    said = {"ktt": [0.9, 0.1, 0.8, 0.2],  # Brier 0.025
            "persistence": [1, 1, 1, 0],  # 0.25
            "trend_line": [1, 0, 1, 1]}   # 0.25 on "a"; on "b" it misses twice
    rows = [("a", m, p, o) for m, ps in said.items() for p, o in zip(ps, outcome, strict=True)]
    rows += [("b", m, p, o) for m, ps in said.items()
             for p, o in zip(ps if m != "trend_line" else [0, 1, 1, 1], outcome,
                                 strict=True)]
    # "c": every call came out alike, so no skill against the base rate to compare
    rows += [("c", m, 0.5, 0) for m in said]
    # the oracle, told the truth, calls "a" alone (as it calls the households' targets alone)
    rows += [("a", "oracle", 0.75 * o + 0.125, o) for o in outcome]  # Brier 1 / 64
    calls = pd.DataFrame(rows, columns=["target_family", "method", "probability", "outcome"])
    margin = hand_margin(scores(calls)).set_index("target_family")
    # the oracle's skill above the better hand method's (0): 1 - (1 / 64) / 0.25
    assert margin.loc["a", "oracle_margin"] == pytest.approx(0.9375)
    assert np.isnan(margin.loc["b", "oracle_margin"])
    assert list(margin.index) == ["a", "b"]
    assert margin.loc["b", "hand"] == "persistence"  # 0.25 against the line's 0.5
    assert margin.loc["a", "skill_over_hand"] == pytest.approx(0.9)  # 1 - 0.025 / 0.25
    # the base rate is 0.5 (climatology's Brier 0.25): skills 0.9 and 0
    assert margin.loc["b", "margin"] == pytest.approx(0.9)
    assert margin.loc["b", "ktt_bss"] - margin.loc["b", "hand_bss"] == margin.loc["b", "margin"]


def test_ktt_calls_come_true_as_often_as_they_say(reduced):
    """Every bin of ten (per target family) with at least 30 calls comes true within 10 points
    of its mean probability, or within 2.5 binomial standard errors where a bin of 30 to 40
    calls near 0.5 cannot be held to 10 points: replacing the outcomes by coin flips at ktt's
    own probabilities (a perfectly calibrated forecaster), the bare 10-point rule failed one
    run in six at 150 districts, the rule with the allowance one in forty. The suite has 300
    districts since the dispersion prior of 0.05 (``ktt.models.counts``): at 150, two steady
    districts' Poisson years of 3 at a rate of 11 (each a 0.5 % event) and a few drifting and
    reverting ones made formation's 34 calls of about 0.94 come true 0.79, while on 4,000
    districts that bin came true 0.95 as it said."""
    table = reliability_table(reduced)
    full = table[(table["target_family"] != "all") & (table["n"] >= RELIABILITY_MIN_CALLS)]
    assert len(full) >= 6
    full = full.assign(gap=full["observed"] - full["predicted"],
                       se=np.sqrt(full["predicted"] * (1 - full["predicted"]) / full["n"]))
    allowed = np.maximum(RELIABILITY_TOLERANCE, RELIABILITY_SE * full["se"])
    failing = full[full["gap"].abs() > allowed]
    assert failing.empty, ("reliability bins off by more than "
                           f"{RELIABILITY_TOLERANCE} and {RELIABILITY_SE} standard errors:\n"
                           + failing.to_string())


def test_ktt_calls_come_true_as_often_as_they_say_on_average(reduced):
    """In each contested target family the mean probability is within three standard errors
    of the share met (the standard error of a calibrated forecaster's share, from its own
    probabilities)."""
    own = reduced[reduced["method"] == "ktt"].dropna(subset=["probability"])
    table = own.groupby("target_family").agg(
        n=("outcome", "size"), base_rate=("outcome", "mean"),
        predicted=("probability", "mean"),
        variance=("probability", lambda p: float((p * (1 - p)).sum())))
    table = table[table["base_rate"].between(0.05, 0.95, inclusive="neither")]
    table = table.assign(se=np.sqrt(table["variance"]) / table["n"],
                         gap=table["base_rate"] - table["predicted"])
    failing = table[table["gap"].abs() > 3 * table["se"]]
    assert failing.empty, ("mean probability off by more than three standard errors:\n"
                           + failing.to_string())


def test_a_saved_suite_is_read_back_for_the_backtest_report(reduced, tmp_path):
    save_suite(reduced, {"districts": REDUCED_DISTRICTS, "seed": REDUCED_SEED,
                         "families": list(FAMILIES)}, tmp_path)
    record = load_suite(tmp_path)
    assert record.settings["synthetic"] is True
    assert record.settings["calls"] == int((reduced["method"] == "ktt").sum())
    pd.testing.assert_frame_equal(record.scores, scores(reduced), check_exact=False, rtol=1e-5)
    assert set(record.reliability["method"]) == set(reduced["method"])
    assert load_suite(tmp_path / "never-saved") is None
    ctx = dataclasses.replace(kb.prepare(lang="en", n_paths=100), suite=record)
    assert f"draws {REDUCED_DISTRICTS} synthetic districts" in kb.suite_text(ctx).data


def test_the_reliability_test_tells_chance_from_miscalibration():
    rng = np.random.default_rng(5)
    p = rng.uniform(0, 1, 4000)
    calls = pd.DataFrame({"method": "ktt", "target_family": "formation", "probability": p})
    honest = reliability_test(calls.assign(outcome=rng.random(4000) < p)).iloc[0]
    # the same probabilities, but the events happen as if every call were pulled to 0.5
    flat = reliability_test(calls.assign(outcome=rng.random(4000) < 0.5 + (p - 0.5) / 2))
    assert honest["p_value"] > 0.01
    assert flat["p_value"].iloc[0] < 1e-6
    assert flat["worst_gap"].iloc[0] > 0.15
