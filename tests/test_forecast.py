"""forecast_targets: reproducible, scenario-aware, and pooling that narrows without biasing."""

from __future__ import annotations

import re
import types

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from ktt import config
from ktt.errors import KttError, ScenarioError
from ktt.forecasting.forecast import ForecastOptions, forecast_targets
from ktt.inputs.parameters import MAX_PATHS, MAX_PATHS_MEMORY, check_ranges
from ktt.inputs.synthetic import SyntheticParams, generate
from ktt.inputs.targets import evaluate, load_targets
from ktt.models.indicator import province_prior


@pytest.fixture(scope="module")
def targets():
    return load_targets(config.TARGETS)


@pytest.fixture(scope="module")
def district():
    return generate(SyntheticParams(first_year=2014, last_year=2022, founding_rate=6, seed=5))


def test_same_seed_same_numbers(targets, district):
    a = forecast_targets(targets, district, "krong-bong",
                         ForecastOptions(n_paths=500, seed=3)).table
    b = forecast_targets(targets, district, "krong-bong",
                         ForecastOptions(n_paths=500, seed=3)).table
    pd.testing.assert_frame_equal(a, b)


def test_every_open_target_names_its_model(targets, district):
    table = forecast_targets(targets, district, "krong-bong", ForecastOptions(n_paths=500)).table
    open_ = table[table["status"] == "open"]
    assert len(open_) > 0
    assert open_["probability"].between(0, 1).all()
    assert open_["model"].isin(["poisson", "negbin", "recent_mean", "rate_walk", "binomial",
                                "beta", "logit_normal", "mean_reverting", "last_value",
                                "mixture"]).all()


def test_extra_foundings_raise_formation_probability(targets, district):
    base = forecast_targets(targets, district, "krong-bong",
                            ForecastOptions(n_paths=2000)).table.set_index("id")
    push = forecast_targets(targets, district, "krong-bong",
                            ForecastOptions(n_paths=2000,
                                            extra_foundings_per_year=3)).table.set_index("id")
    assert push.loc["T2030-formation", "probability"] > base.loc["T2030-formation", "probability"]
    assert push.loc["T2030-profitable", "probability"] == base.loc["T2030-profitable",
                                                                   "probability"]


def test_a_scenarios_options_are_its_levers_over_the_reports_defaults(targets, district):
    import dataclasses

    from ktt.forecasting.options import scenario_options

    push = scenario_options("policy-push")
    assert push == ForecastOptions(extra_foundings_per_year=2.0)  # scenarios/policy-push.yaml
    assert scenario_options("baseline") == ForecastOptions()
    fewer = dataclasses.replace(push, n_paths=1000)
    assert forecast_targets(targets, district, "krong-bong", fewer).table.set_index("id").loc[
        "T2030-formation", "probability"] > forecast_targets(
        targets, district, "krong-bong", ForecastOptions(n_paths=1000)).table.set_index(
        "id").loc["T2030-formation", "probability"]
    with pytest.raises(ScenarioError, match="no such scenario; did you mean 'policy-push'"):
        scenario_options("policy-psuh")


def test_an_enrolment_campaign_raises_the_households_share_by_its_households(targets,
                                                                             district):
    # 17,000 farm households: 340 more a year from 2023 add 2 points a year, 16 by 2030
    farm = district.query("indicator == 'farm_households'").set_index("year")["value"]
    extra = 0.02 * farm.loc[2022]
    base = forecast_targets(targets, district, "krong-bong", ForecastOptions(n_paths=2000))
    push = forecast_targets(targets, district, "krong-bong",
                            ForecastOptions(n_paths=2000, extra_households_per_year=extra))
    fans = {name: f.fans.query("indicator == 'household_share'").set_index("year")["median"]
            for name, f in (("base", base), ("push", push))}
    gain = fans["push"] - fans["base"]
    assert gain.loc[2023] == pytest.approx(0.02, abs=0.002)
    assert gain.loc[2030] == pytest.approx(0.16, abs=0.002)
    before, after = base.table.set_index("id"), push.table.set_index("id")
    assert after.loc["T2030-households", "probability"] > before.loc["T2030-households",
                                                                     "probability"]
    assert after.loc["T2030-formation", "probability"] == before.loc["T2030-formation",
                                                                     "probability"]
    assert push.settings["enrolment_from_year"] == 2023


def test_an_enrolment_campaign_without_farm_households_is_refused(targets, district):
    # the campaign's households become a share only out of the farm households on record
    lacking = district[district["indicator"] != "farm_households"]
    with pytest.raises(KttError) as info:
        forecast_targets(targets, lacking, "krong-bong",
                         ForecastOptions(extra_households_per_year=300))
    assert str(info.value) == (
        "extra_households_per_year = 300 needs the farm households of krong-bong: no year up "
        f"to {lacking['year'].max()} has farm_households on record; enter them, or give "
        "extra_households_per_year 0")


@pytest.mark.parametrize("call", ["forecast", "evaluate"])
def test_a_mistyped_unit_is_refused_by_a_library_call(targets, district, call):
    # forecast_targets(plan, figures, "krong-bonk") answered every target open with a NaN
    # probability and "no figure to forecast from", as if the district had sent none
    calls = {"forecast": lambda: forecast_targets(targets, district, "krong-bonk",
                                                  ForecastOptions(n_paths=50)),
             "evaluate": lambda: evaluate(targets, district, "krong-bonk")}
    with pytest.raises(KttError, match="krong-bonk") as info:
        calls[call]()
    assert str(info.value) == (
        "unit 'krong-bonk' is neither in the observations nor in the units table; did you "
        "mean 'krong-bong'? give unit one of krong-bong, or add the unit to the units table")


@pytest.mark.parametrize("call", ["forecast", "evaluate"])
@pytest.mark.parametrize(("what", "expected"), [
    ("plan id", "targets is the text 'krong-bong-192', not a loaded plan: pass "
                "ktt.load_plan('krong-bong-192')"),
    ("csv path", "observations is the path 'data/figures.csv', not a loaded record: pass "
                 "ktt.load_observations('data/figures.csv')"),
    ("no source", "observations lacks the column source: load the file with "
                  "ktt.load_observations(path), which checks it and gives every column"),
])
def test_a_plan_id_or_a_path_in_place_of_what_they_load_is_refused(targets, district, call,
                                                                   what, expected):
    # both gave Python's own AttributeError or TypeError, naming neither argument nor the fix
    plan, record = {"plan id": ("krong-bong-192", district),
                    "csv path": (targets, "data/figures.csv"),
                    "no source": (targets, district.drop(columns="source"))}[what]
    calls = {"forecast": lambda: forecast_targets(plan, record, "krong-bong",
                                                  ForecastOptions(n_paths=50)),
             "evaluate": lambda: evaluate(plan, record, "krong-bong")}
    with pytest.raises(KttError) as info:
        calls[call]()
    assert str(info.value) == expected


def test_options_given_as_a_dict_are_refused(targets, district):
    with pytest.raises(KttError) as info:
        forecast_targets(targets, district, "krong-bong", {"n_paths": 50})
    assert str(info.value) == ("options is a dict, not ForecastOptions: pass "
                               "ktt.ForecastOptions(**options)")


def test_a_unit_of_the_table_without_figures_is_not_refused(targets, district):
    # its figures are still to be entered: every target is open, as the command says too
    table = evaluate(targets, district, "krong-ana")
    assert (table["status"] == "open").all()


def test_unknown_model_and_pooling_are_refused(targets, district):
    with pytest.raises(ValueError, match=r"^model = 'arima'; use one of auto, poisson"):
        forecast_targets(targets, district, "krong-bong", ForecastOptions(model="arima"))
    with pytest.raises(ValueError, match=r"^pooling = 'country'; use one of none, province$"):
        forecast_targets(targets, district, "krong-bong", ForecastOptions(pooling="country"))


def province(rates, years, seed=0):
    """Synthetic districts of one province, each with its own constant founding rate."""
    frames = [generate(SyntheticParams(unit=f"d{i}", first_year=2025 - n, last_year=2024,
                                       founding_rate=r, seed=seed + i))
              for i, (r, n) in enumerate(zip(rates, years, strict=True))]
    units = pd.DataFrame({"unit": [f"d{i}" for i in range(len(rates))], "name": "",
                          "level": "district", "parent": "p"})
    return pd.concat(frames, ignore_index=True), units


def test_pooling_is_named_in_the_forecast(targets):
    data, units = province([5.0] * 6, [3] + [10] * 5)
    fc = forecast_targets(targets, data, "d0",
                          ForecastOptions(n_paths=500, pooling="province"), units=units)
    assert fc.fits["orgs_new"].model == "recent_mean+province"
    assert "prior from the 6 units of the province" in fc.fits["orgs_new"].note


def test_pooling_narrows_short_districts_and_brings_them_closer_to_the_truth():
    """Over 40 provinces of ten districts with rates near 5, the district with only 3 years
    gets a narrower 80 % interval for its yearly rate, and a smaller error, when pooled."""
    rng = np.random.default_rng(3)
    widths, errors = {"none": [], "province": []}, {"none": [], "province": []}
    for _ in range(40):
        rates = rng.uniform(4, 6, 10)
        counts = {i: pd.Series(rng.poisson(r, 3 if i == 0 else 10).astype(float))
                  for i, r in enumerate(rates)}
        own = counts[0]
        priors = {"none": (0.5, 0.0), "province": province_prior(counts)}
        for name, (shape, rate) in priors.items():
            post = stats.gamma(shape + own.sum(), scale=1 / (rate + len(own)))
            widths[name].append(post.ppf(0.9) - post.ppf(0.1))
            errors[name].append(abs(post.median() - rates[0]))
    assert np.mean(widths["province"]) < 0.8 * np.mean(widths["none"])
    assert np.mean(errors["province"]) < np.mean(errors["none"])


def test_pooling_does_not_bias_a_district_that_differs():
    """A district founding 12 a year among districts founding about 5: with 10 years of its
    own, the pooled rate stays within 10 % of 12."""
    rng = np.random.default_rng(2)
    rates = [12.0, *rng.uniform(4, 6, 9)]
    data, _ = province(rates, [10] * 10, seed=40)
    series = {u: g.pivot_table(index="year", columns="indicator", values="value")
              .eval("htx_new + tht_new") for u, g in data.groupby("unit")}
    shape, rate = province_prior(series)
    own = series["d0"]
    pooled_mean = (shape + own.sum()) / (rate + len(own))
    assert pooled_mean == pytest.approx(own.mean(), rel=0.1)
    assert pooled_mean == pytest.approx(12, rel=0.1)


def test_pooling_never_mixes_synthetic_and_real_units(targets):
    """A district on its real record, in a province whose other units are a mix of real and
    synthetic: the prior is learnt from the real ones only, and with none real, not at all."""
    data, units = province([5.0] * 6, [10] * 6)
    real = data["unit"].isin(["d0", "d4", "d5"])
    data.loc[real, "source"] = "s1"
    fc = forecast_targets(targets, data, "d0",
                          ForecastOptions(n_paths=200, pooling="province"), units=units)
    assert "prior from the 3 units of the province" in fc.fits["orgs_new"].note
    alone = data[~data["unit"].isin(["d4", "d5"])]
    fc = forecast_targets(targets, alone, "d0",
                          ForecastOptions(n_paths=200, pooling="province"), units=units)
    assert fc.fits["orgs_new"].model in ("poisson", "negbin", "recent_mean", "rate_walk",
                                         "mixture")
    assert "prior" not in fc.fits["orgs_new"].note
    # asked for and not done, which the note says (the header's "pooling province" alone
    # said it was, and the numbers matched --pooling none without a word)
    assert fc.fits["orgs_new"].note.startswith(
        "not pooled: fewer than three units of the province, d0 among them, have orgs_new "
        "figures of the same kind as its own (real or synthetic), so its own alone")
    assert "not pooled" not in forecast_targets(
        targets, alone, "d0", ForecastOptions(n_paths=200), units=units).fits["orgs_new"].note


@pytest.mark.parametrize(("options", "message"), [
    ({"seed": "x"}, "seed = 'x'; give a whole number of at least 0"),
    ({"seed": -1}, "seed = -1; give a whole number of at least 0"),
    ({"n_paths": 0}, f"n_paths = 0; give a whole number from 1 to {MAX_PATHS}"),
    ({"n_paths": 2.5}, f"n_paths = 2.5; give a whole number from 1 to {MAX_PATHS}"),
    ({"readings": "mean"}, "readings = 'mean'; give a mapping of reading names to choices, "
                           "e.g. {'formation_reading': 'mean'}"),
])
def test_options_name_the_setting_a_library_call_got_wrong(options, message):
    # numpy said "unrecognized seed string", dict "dictionary update sequence element #0"
    with pytest.raises(ValueError, match="give a") as info:
        ForecastOptions(**options)
    assert str(info.value).startswith(message)


@pytest.mark.parametrize("name", ["as_of", "base_year", "extra_from_year", "dissolution_year",
                                  "enrolment_from_year"])
@pytest.mark.parametrize("value", ["2024", 2024.0, True])
def test_a_year_setting_that_is_not_a_whole_number_is_refused(name, value):
    # as_of="2024" from a notebook's text field failed deep in numpy: "ufunc 'less' did not
    # contain a loop with signature matching types"
    with pytest.raises(ValueError, match="is not a year") as info:
        ForecastOptions(**{name: value})
    assert str(info.value) == (f"{name} = {value!r} is not a year; give a whole number such as "
                               "2025, or none for the default")
    assert ForecastOptions(**{name: np.int64(2024)}) is not None


def test_options_take_numpys_whole_numbers():
    assert ForecastOptions(seed=np.int64(7), n_paths=np.int64(10)).seed == 7
    # and say a wrong one as it was meant, not as numpy's repr
    with pytest.raises(ValueError, match=r"^seed = -1; give a whole number of at least 0$"):
        ForecastOptions(seed=np.int64(-1))


def test_options_take_any_mapping_of_readings_as_a_dict():
    readings = types.MappingProxyType({"formation_reading": "mean"})
    assert ForecastOptions(readings=readings).readings == {"formation_reading": "mean"}
    assert type(ForecastOptions(readings=readings).readings) is dict


LEVER_UNITS = [("extra_foundings_per_year", "organizations"),
               ("dormant_dissolved", "organizations"),
               ("extra_households_per_year", "households")]


@pytest.mark.parametrize(("name", "what"), LEVER_UNITS)
def test_a_negative_scenario_lever_is_refused(name, what):
    # as a report's parameters are: -2 extra foundings gave paths of negative foundings
    with pytest.raises(ValueError, match="is negative") as info:
        ForecastOptions(**{name: -2})
    assert str(info.value) == (f"{name} = -2 is negative; give 0 for no scenario, or a number "
                               f"of {what} above 0")


@pytest.mark.parametrize("value", [float("nan"), float("inf"), None, "2"])
@pytest.mark.parametrize(("name", "what"), LEVER_UNITS)
def test_a_scenario_lever_that_is_not_a_number_is_refused(name, what, value):
    # NaN passed the check of a negative lever: its paths were NaN, and the formation target
    # came out open with a probability of 0; None and '2' failed on '<' in a TypeError
    with pytest.raises(ValueError, match="is not a number") as info:
        ForecastOptions(**{name: value})
    assert str(info.value) == (f"{name} = {value!r} is not a number; give 0 for no scenario, "
                               f"or a number of {what} above 0")


@pytest.mark.parametrize(("name", "value"), [
    ("model", "arim"), ("pooling", "country"), ("n_paths", 0), ("n_paths", MAX_PATHS + 1),
    ("seed", -1),
    ("extra_foundings_per_year", -1.0), ("dormant_dissolved", -3),
    ("extra_households_per_year", float("nan"))])
def test_a_report_and_a_library_call_refuse_a_setting_in_the_same_words(name, value):
    # they were checked twice, and a report said "a number above 0" where the library said
    # "a number of households above 0"
    with pytest.raises(ValueError, match=rf"^{name} = ") as library:
        ForecastOptions(**{name: value})
    with pytest.raises(ScenarioError) as report:
        check_ranges({name: value}, config.FORECAST_NOTEBOOK, "command line")
    problem = str(library.value).split(" = ", 1)[1].split(maxsplit=1)[1:]
    assert str(report.value).endswith(" ".join(problem))
    assert str(report.value).startswith(f"command line: parameter '{name}' = ")


def test_a_mistyped_model_is_told_the_name_it_resembles():
    with pytest.raises(ValueError, match=r"^model = 'negbinn'; did you mean 'negbin'\? use one "
                                         "of auto, poisson, negbin"):
        ForecastOptions(model="negbinn")


def test_pooling_needs_the_province(targets, district):
    units = pd.DataFrame({"unit": ["krong-bong"], "name": "", "level": "district", "parent": ""})
    with pytest.raises(Exception, match="needs krong-bong's province in the units table"):
        forecast_targets(targets, district, "krong-bong",
                         ForecastOptions(pooling="province"), units=units)


def test_dissolution_drive_raises_the_profitable_share(targets, district):
    base = forecast_targets(targets, district, "krong-bong",
                            ForecastOptions(n_paths=2000)).table.set_index("id")
    drive = forecast_targets(targets, district, "krong-bong",
                             ForecastOptions(n_paths=2000,
                                             dormant_dissolved=5)).table.set_index("id")
    assert drive.loc["T2030-profitable", "median"] > base.loc["T2030-profitable", "median"]
    assert drive.loc["T2030-profitable", "probability"] >= base.loc["T2030-profitable",
                                                                    "probability"]


def test_dissolving_more_than_are_active_is_refused(targets, district):
    # 78 active in 2022; the message says what to give, as the other lever checks do
    with pytest.raises(KttError) as info:
        forecast_targets(targets, district, "krong-bong", ForecastOptions(dormant_dissolved=500))
    assert str(info.value) == (
        "dormant_dissolved = 500 is not below the 78 active organizations of krong-bong on "
        "record (htx_active + tht_active): a dissolution drive leaves some working; give at "
        "most 77 (-p dormant_dissolved in a report)")


def test_dissolving_where_none_are_active_asks_for_no_drive(targets, district):
    # it said "give at most -1", a value refused as negative
    none = district.copy()
    none.loc[none["indicator"].isin(["htx_active", "tht_active"]), "value"] = 0
    with pytest.raises(KttError) as info:
        forecast_targets(targets, none, "krong-bong", ForecastOptions(dormant_dissolved=1))
    assert str(info.value).endswith("a dissolution drive leaves some working; give at most 0 "
                                    "(-p dormant_dissolved in a report)")


def test_dissolving_where_no_year_has_the_active_organizations_is_refused(targets, district):
    # the drive scales the share by active / (active - n): it said "below the nan active"
    lacking = district[~district["indicator"].isin(["htx_active", "tht_active"])]
    with pytest.raises(KttError) as info:
        forecast_targets(targets, lacking, "krong-bong", ForecastOptions(dormant_dissolved=3))
    assert str(info.value) == (
        "dormant_dissolved = 3 needs the active organizations of krong-bong: no year up to "
        f"{lacking['year'].max()} has both htx_active and tht_active on record; enter them (0 "
        "for none), or give dormant_dissolved 0")


def test_dissolving_more_than_are_unprofitable_is_refused(targets, district):
    # 78 active, 54 of them profitable in 2022: 24 do not work
    with pytest.raises(KttError) as info:
        forecast_targets(targets, district, "krong-bong",
                         ForecastOptions(n_paths=100, dormant_dissolved=25))
    assert str(info.value) == (
        "dormant_dissolved = 25 is more than the 24 organizations of krong-bong not making a "
        "profit in the last year on record (htx_active + tht_active - orgs_profitable): a "
        "dissolution drive removes organizations that do not work; give at most 24")
    forecast_targets(targets, district, "krong-bong",
                     ForecastOptions(n_paths=100, dormant_dissolved=24))


@pytest.mark.parametrize(("options", "message"), [
    ({"extra_foundings_per_year": 2.0, "extra_from_year": 2021},
     "extra_from_year = 2021 is not after the as-of year (2022)"),
    ({"extra_foundings_per_year": 2.0, "extra_from_year": 2040},
     "extra_from_year = 2040 is after the plan's last year (2030)"),
    ({"dormant_dissolved": 5, "dissolution_year": 2020},
     "dissolution_year = 2020 is not after the as-of year (2022)"),
    ({"extra_households_per_year": 300.0, "enrolment_from_year": 2022},
     "enrolment_from_year = 2022 is not after the as-of year (2022)"),
])
def test_a_lever_year_that_changes_no_forecast_year_is_refused(targets, district, options,
                                                                message):
    with pytest.raises(KttError) as info:
        forecast_targets(targets, district, "krong-bong", ForecastOptions(n_paths=100, **options))
    name = message.split(" = ")[0]
    assert str(info.value) == (f"{message}: the lever would change no forecast year; give a "
                               f"year from 2023 to 2030 (-p {name} in a report), or 0 for 2023")


@pytest.mark.parametrize(("year", "lever"), [("extra_from_year", "extra_foundings_per_year"),
                                            ("dissolution_year", "dormant_dissolved"),
                                            ("enrolment_from_year", "extra_households_per_year")])
def test_a_lever_year_without_its_lever_is_refused(targets, district, year, lever):
    # -p extra_from_year 2026 alone ran a report the same as the baseline, under a new name
    with pytest.raises(KttError) as info:
        forecast_targets(targets, district, "krong-bong",
                         ForecastOptions(n_paths=100, **{year: 2026}))
    assert str(info.value) == (
        f"{year} = 2026 is the first year of {lever}, which is 0: the lever would change "
        f"nothing; give {lever} too (-p {lever} in a report), or leave {year} out")


def test_a_base_year_not_before_the_as_of_year_is_refused(targets, district):
    with pytest.raises(KttError) as info:
        forecast_targets(targets, district, "krong-bong",
                         ForecastOptions(n_paths=100, base_year=2031))
    assert str(info.value) == (
        "base year 2031 is not before the as-of year 2022: the official classes measure "
        "progress from an earlier year to the latest figure; give one before 2022 "
        "(--base-year; -p base_year in a report), or none for the plan's")


def test_a_base_year_before_the_first_figure_of_the_plans_indicators_is_refused(targets,
                                                                               district):
    # the classes would measure from 2014 and say nothing; a figure of an indicator no target
    # uses (htx_registered, from 2010) does not make an earlier base year one
    older = district.iloc[[0]].assign(indicator="htx_registered", year=2010, value=40.0)
    with pytest.raises(KttError) as info:
        forecast_targets(targets, pd.concat([older, district]), "krong-bong",
                         ForecastOptions(n_paths=100, base_year=2012))
    assert str(info.value) == (
        "base year 2012 is before krong-bong's first figure of the plan's indicators, of 2014 "
        "(orgs_new, household_share, profitable_share, rated_good_share): the official classes "
        "would measure progress from 2014, not 2012; give a year from 2014 to 2021 "
        "(--base-year; -p base_year in a report), or none for the plan's")
    # as of the first year, no base year before it has a figure
    with pytest.raises(KttError) as info:
        forecast_targets(targets, district, "krong-bong",
                         ForecastOptions(n_paths=100, as_of=2014, base_year=2013))
    assert str(info.value).endswith(
        "the official classes would measure progress from 2014, not 2013; no figure of them is "
        "before the as-of year 2014, so give no base year (--base-year; -p base_year in a "
        "report) and the plan's is used")


def test_a_base_year_before_one_indicators_first_figure_measures_it_from_that_figure(
        targets, district):
    # as the SDG methods do: each series from its first figure from the base year on
    later = district[(district["indicator"] != "htx_rated_good") | (district["year"] >= 2017)]
    result = forecast_targets(targets, later, "krong-bong",
                              ForecastOptions(n_paths=100, base_year=2014))
    bases = {row["id"]: {p.base_year for p in row["progress"]}
             for _, row in result.table.iterrows()}
    assert bases["D-rated-good"] == {2017}
    assert bases["T2030-formation"] == {2014}


def test_an_as_of_year_after_the_last_figure_is_refused(targets, district):
    with pytest.raises(KttError) as info:
        forecast_targets(targets, district, "krong-bong", ForecastOptions(as_of=2030, n_paths=100))
    assert str(info.value) == (
        "as of 2030 is after krong-bong's last figure (2022): the as-of year is the last year "
        "known, so give 2022 or earlier (--as-of; -p as_of in a report), or enter the figures "
        "up to 2030")


def test_an_as_of_year_before_the_first_figure_is_refused(targets, district):
    # the record starts in 2014: as of 2010 nothing is known, and every answer came back NaN
    with pytest.raises(KttError) as info:
        forecast_targets(targets, district, "krong-bong", ForecastOptions(as_of=2010, n_paths=100))
    assert str(info.value) == (
        "as of 2010 is before krong-bong's first figure (2014): no figure would be known and "
        "every target would be unknown; give 2014 or later (--as-of; -p as_of in a report)")


def test_figures_after_as_of_never_enter_a_fit(targets, district):
    """The same forecast as of 2019 from the whole record and from the record cut at 2019:
    the later figures change nothing, neither the model choice nor a probability."""
    full = forecast_targets(targets, district, "krong-bong",
                            ForecastOptions(as_of=2019, n_paths=500))
    cut = forecast_targets(targets, district[district["year"] <= 2019], "krong-bong",
                           ForecastOptions(as_of=2019, n_paths=500))
    pd.testing.assert_frame_equal(full.table, cut.table)
    assert {c: v.weights for c, v in full.choices.items()} == {
        c: v.weights for c, v in cut.choices.items()}


def test_options_refuse_more_paths_than_fit_and_take_the_most_that_do():
    # 10**11 paths ended in a MemoryError inside a notebook cell
    assert ForecastOptions(n_paths=MAX_PATHS).n_paths == MAX_PATHS
    with pytest.raises(ValueError, match="is more than") as info:
        ForecastOptions(n_paths=np.int64(MAX_PATHS + 1))
    assert str(info.value) == (
        f"n_paths = {MAX_PATHS + 1} is more than {MAX_PATHS}, the most a forecast simulates: "
        f"its paths are held in memory at once ({MAX_PATHS_MEMORY} at {MAX_PATHS}), and more "
        f"would change no probability a report shows to two decimals; give a whole number "
        f"from 1 to {MAX_PATHS}")


def test_a_forecast_shows_in_a_notebook_as_its_targets_not_its_models_grids(targets, district):
    # ``result`` alone in a cell printed some 68,000 characters, most of them the posterior
    # grids of the fitted models; a FittedModel alone 18,000
    result = forecast_targets(targets, district, "krong-bong", ForecastOptions(n_paths=200))
    assert len(repr(result)) < 3000
    assert all(len(repr(fitted)) < 1000 for fitted in result.fits.values())
    shown = result._repr_html_()
    assert shown.startswith("<p><strong>Forecast of krong-bong as of 2022</strong>")
    for _, row in result.table.iterrows():
        assert f"<td>{row['id']}</td>\n      <td>{row['indicator']}</td>\n      " \
               f"<td>{row['status']}</td>" in shown
        # a decided target's 0 or 1 is the record's: no "virtually certain" for one met
        cells = re.search(f"<td>{row['id']}</td>(.*?)</tr>", shown, re.S).group(1)
        assert (row["likelihood"] in cells) == (row["status"] == "open")
    assert set(result.table["status"]) > {"open"}
    assert "array(" not in shown
