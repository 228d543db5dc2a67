"""The official progress classes: worked examples whose arithmetic is written out, and the
properties every method must have (past the target is achieved, moving away is the worst
class, too few figures cannot be assessed).

No methodology document read for ``ktt.forecasting.progress`` gives a numerical example with
its answer (sdg-build's test data carry no expected class; the Open SDG, Eustat, ESCAP and
UNECE pages give formulas and tables only), so every expected value below is worked out by
hand."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from ktt.forecasting.progress import (
    CLASSES,
    INSUFFICIENT,
    METHODS,
    ON_TRACK,
    classify,
    disagrees,
    escap,
    fill_level,
    growth,
    open_sdg,
    time_weighted_fit,
    unsd,
    yearly_count,
)
from ktt.inputs.targets import Target


def level(threshold, end=2030, rule="above_at", indicator="profitable_share", **extra):
    return Target(id="L", indicator=indicator, rule=rule, threshold=threshold, start=end,
                  end=end, quote="q", meaning="m", **extra)


def yearly(threshold, start, end, rule="each_year_at_least"):
    return Target(id="Y", indicator="orgs_new", rule=rule, threshold=threshold, start=start,
                  end=end, quote="q", meaning="m")


RISING = Target(id="R", indicator="rated_good_share", rule="rising", threshold=None,
                start=2021, end=2030, quote="q", meaning="m")


def figures(values: dict) -> pd.Series:
    return pd.Series({int(y): float(v) for y, v in values.items()})


# --- Open SDG --------------------------------------------------------------------------------

def test_open_sdg_growth_ratio_worked_example():
    # base 2015: 0.40, latest 2020: 0.50, target 0.80 in 2030
    # observed CAGR = (0.50 / 0.40) ** (1 / 5) - 1 = 1.25 ** 0.2 - 1 = 0.0456396
    # required CAGR = (0.80 / 0.40) ** (1 / 15) - 1 = 2 ** (1 / 15) - 1 = 0.0472941
    # ratio = 0.0456396 / 0.0472941 = 0.965015 -> on track (>= 0.95)
    result = open_sdg(level(0.80), figures({2015: 0.40, 2018: 0.45, 2020: 0.50}), 2015)
    assert growth(0.50, 0.40, 2020, 2015) == pytest.approx(0.0456396, abs=1e-7)
    assert growth(0.80, 0.40, 2030, 2015) == pytest.approx(0.0472941, abs=1e-7)
    assert result.ratio == pytest.approx(0.965015, abs=1e-6)
    assert result.category == "on_track"
    assert (result.base_year, result.base_value, result.latest_year) == (2015, 0.40, 2020)
    assert result.measure == "growth_ratio"


@pytest.mark.parametrize(("latest", "category"), [
    # observed CAGR (x / 0.40) ** 0.2 - 1 over the required 0.0472941
    (0.48, "moderate"),       # 1.2 ** 0.2 - 1 = 0.0371373 -> ratio 0.785241
    (0.42, "limited"),        # 1.05 ** 0.2 - 1 = 0.0098058 -> ratio 0.207336
    (0.38, "deterioration"),  # 0.95 ** 0.2 - 1 = -0.0102062 -> ratio -0.215803
    (0.80, "on_track"),       # 2 ** 0.2 - 1 = 0.1486984 -> ratio 3.144119
])
def test_open_sdg_thresholds(latest, category):
    result = open_sdg(level(0.80), figures({2015: 0.40, 2020: latest}), 2015)
    expected = {0.48: 0.785241, 0.42: 0.207336, 0.38: -0.215803, 0.80: 3.144119}[latest]
    assert result.ratio == pytest.approx(expected, abs=1e-6)
    # sdg-build would call 0.80 achieved (current >= target); ktt keeps the plan's strict
    # "trên" (more than 80 %), so 0.80 takes the ratio's class, on track
    assert result.category == category


def test_open_sdg_the_base_is_the_first_figure_from_the_base_year_and_zeros_are_replaced():
    # no figure in 2015: the base is 2016's; base value 0 becomes 0.001
    # observed CAGR = (2 / 0.001) ** (1 / 4) - 1 = 2000 ** 0.25 - 1 = 5.687403
    # required CAGR = (6 / 0.001) ** (1 / 14) - 1 = 6000 ** (1 / 14) - 1 = 0.861521
    result = open_sdg(yearly(6, 2026, 2030), figures({2014: 3, 2016: 0, 2020: 2}), 2015)
    assert (result.base_year, result.base_value) == (2016, 0.0)
    assert result.ratio == pytest.approx(5.687403 / 0.861521, rel=1e-5)
    assert "replaced by 0.001" in result.note


def test_open_sdg_below_target_is_directed_downward():
    # weak share 0.20 (2015) -> 0.16 (2020), target below 0.10 in 2030
    # observed CAGR = 0.8 ** 0.2 - 1 = -0.0436475; required = 0.5 ** (1 / 15) - 1 = -0.0451584
    # ratio = -1 * -0.0436475 / 0.0451584 = 0.966542 -> on track
    result = open_sdg(level(0.10, rule="below_at"), figures({2015: 0.20, 2020: 0.16}), 2015)
    assert result.ratio == pytest.approx(0.966542, abs=1e-6)
    assert result.category == "on_track"


def test_open_sdg_without_a_target_value_classes_the_directed_cagr():
    # 0.50 -> 0.52 over 5 years: 1.04 ** 0.2 - 1 = 0.0078750: between 0.5 % and 1.5 %
    result = open_sdg(RISING, figures({2015: 0.50, 2020: 0.52}), 2015)
    assert result.measure == "cagr"
    assert result.ratio == pytest.approx(0.0078750, abs=1e-7)
    assert result.category == "moderate"


# --- UNSD ------------------------------------------------------------------------------------

def test_unsd_expected_value_worked_example():
    # CAGR = 1.25 ** 0.2 - 1; expected 2030 = 0.50 * 1.25 ** (10 / 5) = 0.50 * 1.5625 = 0.78125
    # ratio = (0.78125 - 0.40) / (0.80 - 0.40) = 0.38125 / 0.4 = 0.953125 -> on track
    result = unsd(level(0.80), figures({2015: 0.40, 2020: 0.50}), 2015)
    assert result.expected == pytest.approx(0.78125)
    assert result.ratio == pytest.approx(0.953125)
    assert result.category == "on_track"


@pytest.mark.parametrize(("latest", "expected", "ratio", "category"), [
    # expected = latest * (latest / 0.40) ** 2; ratio = (expected - 0.40) / 0.40
    (0.44, 0.5324, 0.331, "fair_progress"),           # 0.44 * 1.1 ** 2
    (0.41, 0.4307563, 0.0768906, "stagnation_or_regression"),  # 0.41 * 1.025 ** 2
    (0.36, 0.2916, -0.271, "stagnation_or_regression"),  # 0.36 * 0.9 ** 2
])
def test_unsd_cut_offs(latest, expected, ratio, category):
    result = unsd(level(0.80), figures({2015: 0.40, 2020: latest}), 2015)
    assert result.expected == pytest.approx(expected)
    assert result.ratio == pytest.approx(ratio, abs=1e-6)
    assert result.category == category


def test_unsd_without_a_target_value_uses_the_fixed_growth_cut_offs():
    # 1.04 ** 0.2 - 1 = 0.79 % is between 0.5 % and 2 %: fair progress
    assert unsd(RISING, figures({2015: 0.50, 2020: 0.52}), 2015).category == "fair_progress"
    # 1.15 ** 0.2 - 1 = 2.83 %: on track
    assert unsd(RISING, figures({2015: 0.40, 2020: 0.46}), 2015).category == "on_track"


def test_unsd_when_the_base_already_meets_the_target_the_expected_value_decides():
    # base 5 foundings (2020) is above the target 4; latest 3 (2022):
    # expected 2025 = 3 * (3 / 5) ** (3 / 2) = 1.394 < 4 -> stagnation, with no ratio
    result = unsd(yearly(4, 2021, 2025), figures({2020: 5, 2022: 3}), 2020)
    assert math.isnan(result.ratio)
    assert result.expected == pytest.approx(3 * 0.6 ** 1.5)
    assert result.category == "stagnation_or_regression"


# --- ESCAP -----------------------------------------------------------------------------------

def test_time_weighted_regression_worked_example():
    # figures 1, 2, 4 in 2016-2018, weights 1, 2, 3
    # weighted mean year = (2016 + 2 * 2017 + 3 * 2018) / 6 = 2017.3333
    # weighted mean value = (1 + 2 * 2 + 3 * 4) / 6 = 17 / 6 = 2.8333
    # Sxy = 1 (-1.3333)(-1.8333) + 2 (-0.3333)(-0.8333) + 3 (0.6667)(1.1667) = 5.3333
    # Sxx = 1 (1.7778) + 2 (0.1111) + 3 (0.4444) = 3.3333; slope = 5.3333 / 3.3333 = 1.6
    # at 2020: 2.8333 + 1.6 * (2020 - 2017.3333) = 7.1 (unweighted: slope 1.5, 6.8333)
    value, slope = time_weighted_fit(figures({2016: 1, 2017: 2, 2018: 4}), 2020)
    assert slope == pytest.approx(1.6)
    assert value == pytest.approx(7.1)


def test_escap_anticipated_progress_worked_example():
    # predicted 2020 = 7.1 (above); base 2016 = 1; target 10:
    # ratio = (7.1 - 1) / (10 - 1) = 6.1 / 9 = 0.67778 -> accelerate
    result = escap(yearly(10, 2016, 2020), figures({2016: 1, 2017: 2, 2018: 4}), 2016)
    assert result.expected == pytest.approx(7.1)
    assert result.ratio == pytest.approx(6.1 / 9)
    assert result.category == "accelerate"
    # target 7: (7.1 - 1) / (7 - 1) = 1.0167 -> maintain
    assert escap(yearly(7, 2016, 2020), figures({2016: 1, 2017: 2, 2018: 4}),
                 2016).category == "maintain"


def test_escap_regresses_on_figures_before_the_base_year_too():
    # base year 2017 (value 2) but the line uses 2016 as well: same 7.1 in 2020
    # ratio = (7.1 - 2) / (10 - 2) = 0.6375
    result = escap(yearly(10, 2017, 2020), figures({2016: 1, 2017: 2, 2018: 4}), 2017)
    assert result.ratio == pytest.approx(5.1 / 8)


def test_escap_rising_reads_the_slope():
    assert escap(RISING, figures({2019: 0.5, 2020: 0.55, 2021: 0.53}), 2020).category == \
        "maintain"
    assert escap(RISING, figures({2019: 0.6, 2020: 0.55, 2021: 0.56}), 2020).category == \
        "reverse"


# --- the yearly count rules ------------------------------------------------------------------

def test_yearly_count_every_year():
    # 2021-2025 at least 4: 2021 3 (short), 2022 5, 2023 missing; as of 2023 -> 1 of 2 known,
    # 2023 missing, 2 years left, each must reach 4; recent = mean(3, 5) = 4 (2020: 6 too)
    result = yearly_count(yearly(4, 2021, 2025), figures({2020: 6, 2021: 3, 2022: 5}), 2023)
    assert (result.years_met, result.years_known, result.years_missing) == (1, 2, (2023,))
    assert (result.years_left, result.required_level) == (2, 4.0)
    assert result.recent_level == pytest.approx((6 + 3 + 5) / 3)


def test_yearly_count_on_average():
    # mean of 2021-2025 at least 4: 20 in all; 3 + 5 = 8 known, 12 still short over the
    # 3 years without a figure (2023 missing, 2024, 2025 left): 4 a year
    result = yearly_count(yearly(4, 2021, 2025, "mean_at_least"),
                          figures({2021: 3, 2022: 5}), 2023)
    assert result.required_level == pytest.approx(12 / 3)
    # already 22 on record: nothing more is needed, never a negative level
    done = yearly_count(yearly(4, 2021, 2025, "mean_at_least"),
                        figures({2021: 12, 2022: 10}), 2022)
    assert done.required_level == 0.0


def test_yearly_count_is_for_count_rules_only():
    assert yearly_count(level(0.6), figures({2020: 0.5}), 2020) is None


# --- properties ------------------------------------------------------------------------------

values = st.floats(0.05, 0.9)
years_between = st.integers(1, 8)


@settings(max_examples=60, deadline=None)
@given(base=values, gap=st.floats(0.01, 0.5), years=years_between)
def test_a_series_already_past_the_target_is_achieved(base, gap, years):
    target = level(round(base * 0.9, 6), end=2030)
    latest = target.threshold + gap
    known = figures({2020: base, 2020 + years: latest})
    for result in classify(target, known, 2020):
        assert result.category == "achieved", result


@settings(max_examples=60, deadline=None)
@given(base=values, fall=st.floats(0.05, 0.9), years=st.integers(2, 8))
def test_a_series_moving_away_from_the_target_is_the_worst_class(base, fall, years):
    target = level(min(base + 0.05, 0.99), end=2030)
    path = {2020 + i: base * (1 - fall) ** (i / years) for i in range(years + 1)}
    assume(path[2020 + years] < base - 1e-6)
    worst = {"open_sdg": "deterioration", "unsd": "stagnation_or_regression",
             "escap": "reverse"}
    for result in classify(target, figures(path), 2020):
        assert result.category == worst[result.method], result


@settings(max_examples=40, deadline=None)
@given(value=values, year=st.integers(2015, 2029), base_year=st.integers(2015, 2025))
def test_one_figure_is_too_few(value, year, base_year):
    for target in (level(0.95), yearly(4, 2026, 2030), RISING):
        for result in classify(target, figures({year: value}), base_year):
            assert result.category == INSUFFICIENT, result
            assert math.isnan(result.call)


def test_figures_only_before_the_base_year_are_insufficient():
    known = figures({2015: 0.3, 2016: 0.35, 2017: 0.4})
    assert {r.category for r in classify(level(0.6), known, 2020)} == {INSUFFICIENT}


def test_a_target_year_in_the_past_is_judged_on_its_own_year():
    # 2025's 0.55 is the latest figure for a 2025 target even with 2026's 0.70 on record
    known = figures({2020: 0.40, 2025: 0.55, 2026: 0.70})
    for result in classify(level(0.60, end=2025), known, 2020):
        assert result.latest_year == 2025
        assert result.category != "achieved"


@pytest.mark.parametrize("method", METHODS)
def test_every_class_is_a_documented_one_and_calls_follow_it(method):
    rng = np.random.default_rng(1)
    targets = [level(0.6), level(0.1, rule="below_at"), yearly(4, 2021, 2025), RISING,
               level(0.6, rule="between_at", high=0.7, reading="between")]
    for _ in range(50):
        known = figures({y: rng.uniform(0.01, 1) for y in range(2015, 2015 + rng.integers(1, 9))})
        for target in targets:
            result = {r.method: r for r in classify(target, known, 2016)}[method]
            assert result.category in CLASSES[method]
            if result.category != INSUFFICIENT:
                assert result.call == float(result.category in ON_TRACK)


def test_as_dict_has_the_issues_fields_and_no_nan():
    result = unsd(level(0.80), figures({2015: 0.40, 2020: 0.50}), 2015).as_dict()
    assert {"method", "base_year", "base_value", "latest_year", "latest_value", "ratio",
            "class"} <= set(result)
    lonely = open_sdg(level(0.80), figures({2020: 0.5}), 2015).as_dict()
    assert lonely["ratio"] is None
    assert lonely["class"] == INSUFFICIENT


def test_disagreement_between_a_class_and_a_probability():
    on = unsd(level(0.80), figures({2015: 0.40, 2020: 0.50}), 2015)
    off = unsd(level(0.80), figures({2015: 0.40, 2020: 0.36}), 2015)
    assert disagrees(on, 0.2)
    assert not disagrees(on, 0.5)
    assert disagrees(off, 0.7)
    assert not disagrees(off, 0.5)
    assert not disagrees(on, float("nan"))
    # as the page shows it: 0.664 and 0.656 are both "66%", neither said to disagree
    assert not disagrees(off, 0.664)
    assert not disagrees(off, 0.656)
    assert disagrees(off, 0.666)  # "67%"
    assert not disagrees(on, 0.3251)  # "33%"


def test_the_note_on_a_base_past_the_target_is_given_only_where_it_decides_the_class():
    target = level(0.65)
    # base 0.72 and latest 0.68 both past 0.65: achieved on the latest figure, no note
    above = pd.Series({2020: 0.72, 2025: 0.68})
    for result in (unsd(target, above, 2020), escap(target, above, 2020)):
        assert result.category == "achieved"
        assert "base figure already meets" not in result.note
    # latest 0.60 below it: the class comes from the projection, and says so
    below = pd.Series({2020: 0.72, 2025: 0.60})
    result = unsd(target, below, 2020)
    assert result.category == "stagnation_or_regression"
    assert result.note == ("the base figure already meets the target: the class says whether "
                           "the expected value does")


def test_a_gap_year_counts_its_known_parts_toward_the_mean():
    # mean of 2021-2025 at least 4: 20 in all; 3 and 2 on record, 2022 missing but 8 HTX
    # founded in it are known: 7 more are needed from 2024 and 2025, 3.5 a year; 2022
    # needs no more than it has
    target = yearly(4, 2021, 2025, "mean_at_least")
    known = figures({2021: 3, 2023: 2})
    result = yearly_count(target, known, 2023, floor=figures({2022: 8}))
    assert result.required_level == pytest.approx(3.5)
    assert yearly_count(target, known, 2023).required_level == pytest.approx(5.0)  # 15 / 3
    # the known parts of a gap year already make up the total: nothing more is needed
    assert yearly_count(target, known, 2023, floor=figures({2022: 16})).required_level == 0.0


def test_no_year_to_fill_gives_no_level():
    assert np.isnan(fill_level(3, []))  # it divided by zero
    assert fill_level(0, []) == 0.0  # nothing short


@pytest.mark.parametrize(("short", "floors", "level"), [
    (15, [8, 0, 0], 3.5), (15, [0, 0, 0], 5.0), (15, [4, 4, 4], 5.0), (12, [4, 4, 4], 0.0),
    (10, [1, 6], 4.0), (9, [9], 0.0), (10, [9], 10.0)])
def test_the_level_to_fill_makes_up_what_is_short(short, floors, level):
    assert fill_level(short, floors) == pytest.approx(level)
    if level:
        assert sum(max(f, level) for f in floors) == pytest.approx(short)
