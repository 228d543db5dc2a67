"""Facts on the record decide targets; readings change what the targets ask."""

from __future__ import annotations

import pandas as pd
import pytest

from ktt import config
from ktt.errors import TargetError
from ktt.inputs.targets import evaluate, load_targets


@pytest.fixture(scope="module")
def targets():
    return load_targets(config.TARGETS)


def obs(rows):
    return pd.DataFrame([(u, y, i, float(v), "s", "q") for u, y, i, v in rows],
                        columns=["unit", "year", "indicator", "value", "source", "quote"])


def row(table, target_id):
    return table.set_index("id").loc[target_id]


def formation(values):
    return obs([("kb", y, "orgs_new", v) for y, v in values.items()])


def test_all_seven_targets_with_quotes(targets):
    ids = [t.id for t in targets.targets]
    # each year lists its indicators in the same order, whatever order the source names them in
    assert ids == ["T2025-formation", "T2025-households", "T2025-profitable", "T2030-formation",
                   "T2030-households", "T2030-profitable", "D-rated-good"]
    assert all(t.quote for t in targets.targets)


def test_single_year_under_four_misses_2025_formation_for_good(targets):
    table = evaluate(targets, formation({2021: 5, 2022: 3}), "kb", as_of=2022)
    got = row(table, "T2025-formation")
    assert (got["status"], got["decided_by"], got["years_left"]) == (
        "missed", [2022], [2023, 2024, 2025])


def test_every_year_at_four_meets(targets):
    table = evaluate(targets, formation(dict.fromkeys(range(2021, 2026), 4)), "kb", as_of=2025)
    assert row(table, "T2025-formation")["status"] == "met"


def test_elapsed_years_without_a_miss_stay_open(targets):
    table = evaluate(targets, formation({2021: 5, 2022: 6}), "kb", as_of=2022)
    assert row(table, "T2025-formation")["status"] == "open"


def test_missing_elapsed_year_keeps_it_open(targets):
    table = evaluate(targets, formation({2021: 5, 2022: 6, 2024: 5, 2025: 9}), "kb", as_of=2025)
    got = row(table, "T2025-formation")
    assert (got["status"], got["missing"]) == ("open", [2023])


def test_mean_reading_forgives_one_low_year(targets):
    values = {2021: 3, 2022: 5, 2023: 4, 2024: 4, 2025: 4}
    strict = evaluate(targets, formation(values), "kb", as_of=2025)
    mean = evaluate(targets, formation(values), "kb", as_of=2025,
                    readings={"formation_reading": "mean"})
    assert row(strict, "T2025-formation")["status"] == "missed"
    assert row(mean, "T2025-formation")["status"] == "met"


def test_mean_reading_met_early_when_sum_reached(targets):
    table = evaluate(targets, formation({2021: 10, 2022: 10}), "kb", as_of=2022,
                     readings={"formation_reading": "mean"})
    assert row(table, "T2025-formation")["status"] == "met"


def test_formation_start_2020_counts_2020(targets):
    values = {2020: 2, 2021: 5}
    default = evaluate(targets, formation(values), "kb", as_of=2021)
    early = evaluate(targets, formation(values), "kb", as_of=2021,
                     readings={"formation_start": 2020})
    assert row(default, "T2025-formation")["status"] == "open"
    assert row(early, "T2025-formation")["status"] == "missed"


def test_htx_only_scope_reads_htx_new(targets):
    data = obs([("kb", 2021, "htx_new", 2), ("kb", 2021, "tht_new", 3)])
    together = evaluate(targets, data, "kb", as_of=2021)
    htx_only = evaluate(targets, data, "kb", as_of=2021, readings={"formation_scope": "htx_only"})
    assert row(together, "T2025-formation")["status"] == "open"
    assert row(htx_only, "T2025-formation")["status"] == "missed"


def test_exactly_sixty_percent_is_not_above(targets):
    table = evaluate(targets, obs([("kb", 2025, "profitable_share", 0.60)]), "kb", as_of=2025)
    assert row(table, "T2025-profitable")["status"] == "missed"


def test_household_threshold_reading(targets):
    data = obs([("kb", 2025, "household_share", 0.08)])
    default = evaluate(targets, data, "kb", as_of=2025)
    higher = evaluate(targets, data, "kb", as_of=2025, readings={"household_target_2025": 0.10})
    assert row(default, "T2025-households")["status"] == "met"
    assert row(higher, "T2025-households")["status"] == "missed"


def test_future_figures_beyond_as_of_are_ignored(targets):
    table = evaluate(targets, formation({2021: 5, 2022: 1}), "kb", as_of=2021)
    assert row(table, "T2025-formation")["status"] == "open"


def test_rising_strict_missed_by_a_fall_across_a_gap(targets):
    data = obs([("kb", 2020, "rated_good_share", 0.5), ("kb", 2022, "rated_good_share", 0.45)])
    got = row(evaluate(targets, data, "kb", as_of=2022), "D-rated-good")
    assert (got["status"], got["decided_by"]) == ("missed", [2020, 2022])


def test_rising_trend_reading_needs_the_whole_period(targets):
    values = {y: 0.4 + 0.01 * (y - 2020) for y in range(2020, 2031)}
    values[2025] = 0.40
    data = obs([("kb", y, "rated_good_share", v) for y, v in values.items()])
    strict = row(evaluate(targets, data, "kb", as_of=2030), "D-rated-good")
    trend = row(evaluate(targets, data, "kb", as_of=2030,
                         readings={"direction_reading": "trend"}), "D-rated-good")
    assert (strict["status"], trend["status"]) == ("missed", "met")


def test_sources_name_the_deciding_figures(targets):
    data = pd.DataFrame([("kb", 2025, "profitable_share", 0.7, "report-2025", "q")],
                        columns=["unit", "year", "indicator", "value", "source", "quote"])
    assert row(evaluate(targets, data, "kb", as_of=2025), "T2025-profitable")["sources"] == [
        "report-2025"]


def test_an_open_target_cites_the_figures_it_shows(targets):
    # its latest figure, or its figures so far, had no source in the report or status
    data = pd.DataFrame([("kb", 2022, "profitable_share", 0.5, "report-2022", "q"),
                         ("kb", 2023, "profitable_share", 0.55, "report-2023", "q"),
                         ("kb", 2021, "orgs_new", 5, "count-2021", "q"),
                         ("kb", 2022, "orgs_new", 6, "count-2022", "q")],
                        columns=["unit", "year", "indicator", "value", "source", "quote"])
    table = evaluate(targets, data, "kb", as_of=2023)
    # before its year, a level target shows the latest figure alone
    assert row(table, "T2025-profitable")["sources"] == ["report-2023"]
    # a yearly rule shows every figure of its period so far
    assert row(table, "T2025-formation")["status"] == "open"
    assert row(table, "T2025-formation")["sources"] == ["count-2021", "count-2022"]


def test_unknown_reading_is_an_error_with_the_closest_name(targets):
    with pytest.raises(TargetError) as info:
        targets.resolve({"formation_readin": "mean"})
    assert str(info.value) == (
        "plan krong-bong-192: unknown reading 'formation_readin'; did you mean "
        "'formation_reading'? known readings: formation_start, formation_reading, "
        "formation_scope, household_target_2025, direction_reading")
    with pytest.raises(TargetError, match="unknown reading 'wholly_other'; known readings"):
        targets.resolve({"wholly_other": "mean"})


def test_reading_value_not_allowed(targets):
    with pytest.raises(TargetError, match=r"'formation_start' = 2019 is not one of 2020, 2021"):
        targets.resolve({"formation_start": 2019})


def test_household_reading_must_be_a_share(targets):
    with pytest.raises(TargetError, match=r"must be a share in \(0, 1\), for example 0\.075"):
        targets.resolve({"household_target_2025": 7.5})


def test_a_shares_rule_is_described_in_percent(targets):
    rules = {t.id: t.describe() for t in targets.resolve()}
    assert rules["T2025-households"] == "2025 > 7.5%"
    assert rules["T2030-profitable"] == "2030 > 65%"
    assert rules["T2030-formation"] == "each year 2026-2030 >= 6"  # a count stays a count


def test_a_reading_without_the_space_after_its_colon_is_told_so(targets):
    # -p readings {formation_reading:mean} reaches the plan as the key "formation_reading:mean"
    with pytest.raises(TargetError, match=r"unknown reading 'formation_reading:mean'; known "
                       r"readings: .*; write a space after the colon \(formation_reading: mean\)"):
        targets.resolve({"formation_reading:mean": None})
    # on the command line the reading and its value are two words
    with pytest.raises(TargetError, match=r"give the reading and its value apart "
                       r"\(-r formation_reading mean\)"):
        targets.choose({"formation_reading:mean": "x"}, where="--reading")


def test_a_year_whose_htx_alone_reach_the_threshold_is_reached_though_its_tht_are_blank(
        targets, tmp_path):
    # 2022: 5 HTX founded, THT blank; "at least 4 HTX and THT" is met whatever the THT were
    years = {2021: (5, 1), 2022: (5, None), 2023: (3, 1), 2024: (4, 2), 2025: (6, 2)}
    rows = [("kb", y, part, v) for y, (h, t) in years.items()
            for part, v in (("htx_new", h), ("tht_new", t)) if v is not None]
    got = row(evaluate(targets, obs(rows), "kb", as_of=2025), "T2025-formation")
    assert got["status"] == "met"
    assert got["decided_by"] == [2021, 2022, 2023, 2024, 2025]
    assert got["at_least"] == {2022: 5.0}
    assert got["missing"] == [2022]  # still no figure of HTX and THT
    # 3 HTX alone do not: the year stays open, and so the target
    rows = [r for r in rows if (r[1], r[2]) != (2022, "htx_new")] + [("kb", 2022, "htx_new", 3)]
    got = row(evaluate(targets, obs(rows), "kb", as_of=2025), "T2025-formation")
    assert got["status"] == "open"
    assert got["at_least"] == {2022: 3.0}

    # the forecast agrees, and the report and status say the year's least figure
    import ktt
    import ktt.report.forecast as kr
    from ktt.cli import main
    from ktt.report import provenance

    path = tmp_path / "gap.csv"
    lines = [f"krong-bong,{y},{part},{v},r{y},q" for y, (h, t) in years.items()
             for part, v in (("htx_new", h), ("tht_new", t)) if v is not None]
    path.write_text("unit,year,indicator,value,source,quote\n" + "\n".join(lines) + "\n",
                    encoding="utf-8")
    result = ktt.forecast_targets(targets, ktt.load_observations(path), "krong-bong",
                                  ktt.ForecastOptions(n_paths=300))
    assert row(result.table, "T2025-formation")["probability"] == 1.0
    ctx = kr.prepare(data_path=str(path), n_paths=300, lang="vi")
    assert "2021: 6, 2022: ≥ 5, 2023: 4" in kr.answer_table(ctx).data
    summary = {t["id"]: t for t in provenance.summary(ctx)["targets"]}["T2025-formation"]
    assert summary["at_least"] == {"2022": 5.0}
    # the years met so far count it too ("4 of 4 years ..., no figure for 2022" beside "met")
    assert summary["yearly"]["years_met"] == summary["yearly"]["years_known"] == 5
    assert summary["yearly"]["years_missing"] == []
    from ktt.report import index
    assert index.answer(summary, "vi")[1] == "2021: 6, 2022: ≥ 5, 2023: 4, 2024: 6, 2025: 8"
    assert main(["status", "--data", str(path), "--paths", "300"]) == 0


def test_a_gap_with_a_known_part_is_simulated_no_lower_than_the_part():
    import numpy as np

    from ktt.forecasting.attainment import assess
    from ktt.inputs.targets import Target
    from ktt.models.fit import fit_model

    target = Target(id="T", indicator="orgs_new", rule="each_year_at_least", threshold=6,
                    start=2021, end=2026, quote="q", meaning="m")
    history = pd.Series({2020: 7.0, 2021: 7.0, 2023: 6.0, 2024: 8.0}, name="orgs_new")
    fitted = fit_model(history, "rate_walk")
    rng = np.random.default_rng(0)
    bare, matrix = assess(target, history, 2024, fitted, 400, rng)
    floored, raised = assess(target, history, 2024, fitted, 400, np.random.default_rng(0),
                             floor=pd.Series({2022: 6.0}))
    assert (raised[:, 1] >= 6).all()
    assert (matrix[:, 1] < 6).any()
    assert floored.status == bare.status == "open"
    assert floored.probability > bare.probability


def test_a_mean_is_met_early_when_the_figures_and_a_gaps_known_parts_reach_its_total():
    from ktt.inputs.targets import Target, fact

    # at least 5 a year on average over 2021-2025 is a total of 25; counts are never below 0
    target = Target(id="T", indicator="orgs_new", rule="mean_at_least", threshold=5,
                    start=2021, end=2025, quote="q", meaning="m")
    known = pd.Series({2021: 10.0, 2022: 8.0})
    assert fact(target, known, 2023) == ("open", [])
    assert fact(target, known, 2023, pd.Series({2023: 7.0})) == ("met", [2021, 2022, 2023])
    assert fact(target, known, 2023, pd.Series({2023: 6.0})) == ("open", [])
