"""Plans as data: every shipped plan loads, the new level rules read their words, and bad plan
files fail on one line naming the file, the target and what to do."""

from __future__ import annotations

import dataclasses

import numpy as np
import pandas as pd
import pytest
import yaml

from ktt import config
from ktt.config import known_plans
from ktt.errors import TargetError
from ktt.forecasting.attainment import assess, pace, rule_met
from ktt.inputs.targets import Target, evaluate, fact, load_plan
from ktt.inputs.units import load_units

SHIPPED = ("dak-lak-7346", "dak-lak-7920", "krong-bong-192", "vietnam-1318", "vietnam-20-nqtw",
           "vietnam-340")

GOOD = {
    "plan": "A trial plan", "unit": "vietnam", "base_year": 2020,
    "source": {"document": "Quyết định thử", "read_at": ["https://example.org"],
               "quotes": ["khoảng 45.000 HTX"]},
    "readings": {"about_reading": {"doc": "about", "default": "at_least",
                                   "choices": ["at_least", "within"]}},
    "targets": [{"id": "T-htx", "indicator": "htx_registered", "rule": "about_at",
                 "threshold": 45000, "tolerance": 0.05, "start": 2030, "end": 2030,
                 "quote": "khoảng 45.000 HTX", "uses": {"reading": "about_reading"}}],
}


def write_plan(tmp_path, **changes):
    """A plan file from ``GOOD`` with top-level keys or the first target's keys changed."""
    plan = {**GOOD, "targets": [dict(GOOD["targets"][0])]}
    for key, value in changes.items():
        if key in plan:
            plan[key] = value
        else:
            plan["targets"][0][key] = value
    path = tmp_path / "trial.yaml"
    path.write_text(yaml.safe_dump(plan, allow_unicode=True), encoding="utf-8")
    return path


def level_target(rule, threshold, indicator="rated_good_share", **fields):
    return Target(id="T", indicator=indicator, rule=rule, threshold=threshold,
                  start=2030, end=2030, quote="q", meaning="m", **fields)


@pytest.mark.parametrize("plan_id", SHIPPED)
def test_every_shipped_plan_loads_with_its_unit_and_quotes(plan_id):
    plan = load_plan(plan_id)
    assert plan.id == plan_id
    assert plan.unit in set(load_units()["unit"])
    assert plan.source
    assert plan.read_at
    assert plan.quotes
    assert all(t.quote and t.start >= plan.base_year for t in plan.resolve())
    # English reports name it in English; the Vietnamese reports by its own name
    assert plan.name("en") == plan.plan_en
    assert plan.plan_en != plan.plan
    assert plan.name("vi") == plan.plan
    # and cite its document in English with its own title after it, to search for
    assert plan.source_words("en") == f"{plan.source_en}; in Vietnamese: {plan.source}"
    assert plan.source_words("vi") == plan.source
    assert " in " not in plan.source  # no English words inside the Vietnamese title


def test_a_plan_without_an_english_name_keeps_its_own_in_english(tmp_path):
    plan = load_plan(write_plan(tmp_path))
    assert plan.plan_en == ""
    assert plan.name("en") == plan.plan
    assert plan.source_words("en") == "Quyết định thử"


@pytest.mark.parametrize("plan_en", [["Plan 192", "of 2020"], {"en": "Plan 192"}, 192])
def test_an_english_name_that_is_not_text_is_refused(tmp_path, plan_en):
    # it was str()-ed: an English report's title read "['Plan 192', 'of 2020']"
    path = tmp_path / "trial.yaml"
    path.write_text(yaml.safe_dump({**GOOD, "plan_en": plan_en}, allow_unicode=True),
                    encoding="utf-8")
    with pytest.raises(TargetError) as info:
        load_plan(path)
    assert str(info.value) == (f"{path}: plan_en is {plan_en!r}; write the plan's English name "
                               "as one line of text (plan_en: \"Plan No. ...\"), or leave it "
                               "out")


def test_the_plans_folder_holds_the_shipped_plans():
    assert set(SHIPPED) <= set(known_plans())
    assert config.TARGETS == config.PLANS / "krong-bong-192.yaml"


def test_a_plan_is_named_by_id_or_path(tmp_path):
    path = write_plan(tmp_path)
    assert load_plan(path).id == "trial"
    assert load_plan(str(path)).targets[0].id == "T-htx"


def test_unknown_plan_lists_the_known_ones():
    with pytest.raises(TargetError, match="no such plan; known plans: dak-lak-7346, "):
        load_plan("atlantis-1")


def test_unknown_rule(tmp_path):
    path = write_plan(tmp_path, rule="at_most")
    with pytest.raises(TargetError) as error:
        load_plan(path)
    assert str(error.value) == (
        f"{path}: target T-htx: rule 'at_most' is unknown; write one of each_year_at_least, "
        "mean_at_least, above_at, below_at, about_at, between_at, rising")


def test_unknown_indicator(tmp_path):
    path = write_plan(tmp_path, indicator="htx_total")
    with pytest.raises(TargetError) as error:
        load_plan(path)
    assert str(error.value).startswith(
        f"{path}: target T-htx: indicator 'htx_total' is unknown; write one of htx_new, ")
    assert str(error.value).endswith(" (ktt/inputs/catalog.py)")


def test_unknown_reading(tmp_path):
    path = write_plan(tmp_path, uses={"reading": "khoang"})
    with pytest.raises(TargetError) as error:
        load_plan(path)
    assert str(error.value) == (
        f"{path}: target T-htx: uses reading 'khoang', which the plan does not define; define "
        "it under readings (defined: about_reading)")


def test_a_reading_that_does_not_apply_to_the_rule(tmp_path):
    path = write_plan(tmp_path, uses={}, reading="roughly")
    with pytest.raises(TargetError) as error:
        load_plan(path)
    assert str(error.value) == (
        f"{path}: target T-htx: reading 'roughly' does not apply to rule 'about_at'; write one "
        "of at_least, within")


def test_a_choice_of_a_reading_is_checked_too(tmp_path):
    readings = {"about_reading": {"default": "at_least", "choices": ["at_least", "nearly"]}}
    path = write_plan(tmp_path, readings=readings)
    with pytest.raises(TargetError, match=r"target T-htx: reading 'nearly' does not apply"):
        load_plan(path)


def test_target_year_before_the_base_year(tmp_path):
    path = write_plan(tmp_path, start=2019, end=2019)
    with pytest.raises(TargetError) as error:
        load_plan(path)
    assert str(error.value) == (
        f"{path}: target T-htx: year 2019 is before the plan's base year 2020; a target looks "
        "only at years from the base year on: correct its start (or the reading that sets it) "
        "or base_year")


def test_unit_not_in_the_units_table(tmp_path):
    path = write_plan(tmp_path, unit="atlantis")
    with pytest.raises(TargetError) as error:
        load_plan(path)
    assert str(error.value) == (
        f"{path}: unit 'atlantis' is not in units.csv; write a unit id listed there, or add a "
        "row for the unit")


def test_within_needs_a_tolerance(tmp_path):
    path = write_plan(tmp_path, tolerance=None)
    with pytest.raises(TargetError, match="reading 'within' needs a tolerance in"):
        load_plan(path)


def test_between_needs_its_high_end():
    plan = load_plan("vietnam-340")
    bad = dataclasses.replace(plan, targets=tuple(
        dataclasses.replace(t, high=0.5) if t.rule == "between_at" else t
        for t in plan.targets))
    with pytest.raises(TargetError, match="T2030-rated-good: rule 'between_at' needs high above"):
        bad.resolve()


@pytest.mark.parametrize(("reading", "values", "met"), [
    ("at_least", [44999, 45000, 60000], [False, True, True]),
    ("within", [42749, 42750, 47250, 47251], [False, True, True, False]),
])
def test_about_at_reads_at_least_or_within(reading, values, met):
    target = dataclasses.replace(level_target("about_at", 45000, reading=reading,
                                              tolerance=0.05), indicator="htx_registered")
    assert rule_met(target, np.array(values, float)[:, None]).tolist() == met


@pytest.mark.parametrize(("reading", "met"), [
    ("at_least_low", [False, True, True, True, True]),
    ("at_least_high", [False, False, False, True, True]),
    ("between", [False, True, True, True, False]),
])
def test_between_at_has_three_readings(reading, met):
    """"Từ 60 - 70%": 78 % is no failure of the commitment, but is outside the literal range."""
    target = level_target("between_at", 0.60, high=0.70, reading=reading)
    values = np.array([0.59, 0.60, 0.65, 0.70, 0.78])[:, None]
    assert rule_met(target, values).tolist() == met


def test_below_at_is_strict():
    target = level_target("below_at", 0.10)
    assert rule_met(target, np.array([[0.09], [0.10]])).tolist() == [True, False]


def test_describe_the_new_rules():
    about = level_target("about_at", 45000, "htx_registered", reading="within", tolerance=0.05)
    assert about.describe() == "2030 in 42,750-47,250 (about 45,000, read within)"
    between = level_target("between_at", 0.6, high=0.7, reading="at_least_low")
    assert between.describe() == "2030 >= 60% (of 60%-70%, read at_least_low)"
    assert level_target("below_at", 0.1).describe() == "2030 < 10%"


def test_the_record_decides_a_level_in_its_target_year():
    target = level_target("between_at", 0.60, high=0.70, reading="between")
    assert fact(target, pd.Series({2030: 0.78}), 2030) == ("missed", [2030])
    at_least = dataclasses.replace(target, reading="at_least_low")
    assert fact(at_least, pd.Series({2030: 0.78}), 2030) == ("met", [2030])
    assert fact(at_least, pd.Series({2029: 0.78}), 2030) == ("open", [])


def test_national_plan_on_a_known_2025_figure():
    """The plan's 35,000 HTX for 2025 against the 35,041 reported: met when read at least,
    and within ±5 %."""
    record = pd.DataFrame([("vietnam", 2025, "htx_registered", 35041.0, "s", "q")],
                          columns=["unit", "year", "indicator", "value", "source", "quote"])
    plan = load_plan("vietnam-1318")
    for reading in ("at_least", "within"):
        table = evaluate(plan, record, "vietnam", 2025, {"about_reading": reading})
        assert table.set_index("id").loc["T2025-htx", "status"] == "met"


def test_below_pace_must_fall_and_a_fall_is_on_course():
    target = dataclasses.replace(level_target("below_at", 0.10), start=2022, end=2022)
    known = pd.Series({2018: 0.20, 2019: 0.18, 2020: 0.16})
    required, recent = pace(target, known, 2020)
    assert required == pytest.approx(-0.03)
    assert recent == pytest.approx(-0.02)
    history = known.rename("rated_weak_share")
    result, _ = assess(target, history, 2020, None, 10, np.random.default_rng(0))
    assert result.pace_ratio == pytest.approx(2 / 3)


@pytest.mark.parametrize("read_as", [{"vi": "tính trên HTX"}, "on HTX", {"en": "x", "vi": ""}])
def test_a_reading_note_must_be_given_in_both_languages(tmp_path, read_as):
    path = write_plan(tmp_path, read_as=read_as)
    with pytest.raises(TargetError) as info:
        load_plan(path)
    assert str(info.value) == (
        f"{path}: target T-htx: read_as is {read_as!r}; write how the target is read in each "
        "language, read_as: {vi: ..., en: ...}, or leave it out")


def test_a_target_read_narrower_than_its_words_says_how_beneath_them():
    # 20-NQ/TW's "trên 60% tổ chức kinh tế tập thể" rated good is read on HTX alone: the report
    # showed the plan's words and a chart of HTX, without a word of the narrowing
    import ktt.report.forecast as kr

    for lang, words in (("vi", "Cách đọc: tính trên HTX, loại tổ chức kinh tế tập thể duy nhất "
                                "có công bố xếp loại"),
                        ("en", "Read as: HTX alone, the only collective organizations "
                               "whose rating is published")):
        page = kr.answer_table(kr.prepare(plan="vietnam-20-nqtw", n_paths=100, lang=lang)).data
        assert page.count(words) == 1
    assert load_plan("vietnam-340").targets[0].read_as == {}
