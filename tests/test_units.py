"""The units table and the 2025 reform: a unit that ended is evaluated on its successors' sums."""

from __future__ import annotations

import dataclasses

import pandas as pd
import pytest

import ktt.report.forecast as kr
from ktt import config
from ktt.errors import DataError, KttError
from ktt.forecasting.forecast import ForecastOptions, forecast_targets
from ktt.inputs.data import load_observations
from ktt.inputs.example import EXAMPLE_PARAMS, EXAMPLE_PATH
from ktt.inputs.indicators import derive, series
from ktt.inputs.synthetic import SyntheticParams, generate
from ktt.inputs.targets import evaluate, load_plan
from ktt.inputs.template import write_template
from ktt.inputs.units import (
    check_no_mistyped_unit,
    load_units,
    reform_note,
    reform_year,
    successors_of,
)

COMMUNES = ["xa-krong-bong", "xa-dang-kang", "xa-hoa-son", "xa-yang-mao", "xa-cu-pui"]
HEADER = "unit,name,level,parent,valid_from,valid_to,successors\n"


def test_the_shipped_table_records_the_reform():
    units = load_units()
    assert successors_of(units, "krong-bong") == COMMUNES
    assert reform_year(units, "krong-bong") == 2025
    communes = units[units["unit"].isin(COMMUNES)]
    assert set(communes["valid_from"]) == {"2025-07-01"}
    assert set(communes["level"]) == {"commune"}
    assert successors_of(units, "vietnam") == []


def test_a_table_of_the_old_form_still_loads(tmp_path):
    path = tmp_path / "units.csv"
    path.write_text("unit,name,level,parent\nvietnam,Việt Nam,country,\n", encoding="utf-8")
    assert load_units(path).loc[0, "successors"] == ""


def write_units(tmp_path, body):
    path = tmp_path / "units.csv"
    path.write_text(HEADER + body, encoding="utf-8")
    return path


def test_successors_that_form_a_cycle(tmp_path):
    path = write_units(tmp_path, "a,A,district,,,2025-06-30,b\nb,B,commune,,2025-07-01,"
                                 "2026-06-30,a\n")
    with pytest.raises(DataError) as error:
        load_units(path)
    assert str(error.value) == (f"{path}: successors form a cycle: a -> b -> a; a unit's "
                                "successors must be other, later units: fix the successors "
                                "column")


def test_a_unit_cannot_succeed_itself(tmp_path):
    path = write_units(tmp_path, "a,A,district,,,2025-06-30,a\n")
    with pytest.raises(DataError, match="successors form a cycle: a -> a;"):
        load_units(path)


def test_a_successor_must_be_a_unit(tmp_path):
    path = write_units(tmp_path, "a,A,district,,,2025-06-30,b\n")
    with pytest.raises(DataError, match=rf"{path}:2: successor 'b' of a is not a unit of the "
                                        "table; add a row for it"):
        load_units(path)


def test_successors_need_the_end_of_the_unit(tmp_path):
    path = write_units(tmp_path, "a,A,district,,,,b\nb,B,commune,,2025-07-01,,\n")
    with pytest.raises(DataError, match=r":2: a has successors but no valid_to; write the last "
                                        "day it existed"):
        load_units(path)


def test_dates_are_iso(tmp_path):
    path = write_units(tmp_path, "a,A,district,,,30/06/2025,\n")
    with pytest.raises(DataError, match="column 'valid_to': '30/06/2025' is not a date"):
        load_units(path)


def rows(values):
    return pd.DataFrame([(u, y, i, float(v), f"r-{u}", "q") for u, y, i, v in values],
                        columns=["unit", "year", "indicator", "value", "source", "quote"])


def test_counts_are_added_and_shares_come_from_the_summed_counts():
    """Two of the five communes hold most organizations: 3 of 4 and 1 of 6 profitable make
    4 of 10 (0.40), not the mean of the shares (0.46)."""
    figures = [("xa-krong-bong", 2026, "orgs_profitable", 3), ("xa-krong-bong", 2026,
                                                               "htx_active", 4),
               ("xa-dang-kang", 2026, "orgs_profitable", 1), ("xa-dang-kang", 2026,
                                                              "htx_active", 6)]
    figures += [(u, 2026, "orgs_profitable", 0) for u in COMMUNES[2:]]
    figures += [(u, 2026, "htx_active", 0) for u in COMMUNES[2:]]
    figures += [(u, 2026, "tht_active", 0) for u in COMMUNES]
    figures += [(u, 2026, "htx_new", i) for i, u in enumerate(COMMUNES)]
    figures += [(u, 2026, "tht_new", 1) for u in COMMUNES]
    frame = derive(rows(figures), load_units())
    district = frame[frame["unit"] == "krong-bong"].set_index("indicator")
    assert district.loc["profitable_share", "value"] == pytest.approx(0.4)
    assert district.loc["htx_active", "value"] == 10
    assert district.loc["orgs_new", "value"] == 0 + 1 + 2 + 3 + 4 + 5
    assert district.loc["htx_new", "quote"].startswith("sum of the successors of krong-bong")
    assert set(district.loc["htx_new", "source"].split("+")) == {f"r-{u}" for u in COMMUNES}


def test_a_year_with_a_commune_missing_stays_missing():
    figures = [(u, 2026, "htx_new", 1) for u in COMMUNES[:4]]
    frame = derive(rows(figures), load_units())
    assert series(frame, "krong-bong", "htx_new").empty


def test_the_districts_own_figure_is_never_replaced_and_years_before_the_reform_not_summed():
    figures = [(u, y, "htx_new", 1) for u in COMMUNES for y in (2024, 2025)]
    figures += [("krong-bong", 2025, "htx_new", 9)]
    frame = derive(rows(figures), load_units())
    assert series(frame, "krong-bong", "htx_new").to_dict() == {2025: 9.0}


def test_a_year_some_communes_report_is_at_least_their_sum():
    # analyst trial: four of five communes reported their THT founded in 2026, and the five
    # their HTX; 2026 read as "no figure", though 5 HTX and at least 3 THT meet "at least 6"
    from ktt.inputs.indicators import floors

    figures = [(u, 2026, "htx_new", 1) for u in COMMUNES]
    figures += [(u, 2026, "tht_new", 1) for u in COMMUNES[:4]]
    figures += [(u, 2026, "htx_active", 10) for u in COMMUNES[:2]]
    units = load_units()
    frame = derive(rows(figures), units)
    assert series(frame, "krong-bong", "tht_new").empty  # the sum itself stays unmade
    assert floors(frame, "krong-bong", "orgs_new", units).to_dict() == {2026: 9.0}
    assert floors(frame, "krong-bong", "tht_new", units).to_dict() == {2026: 4.0}
    assert floors(frame, "krong-bong", "htx_active", units).to_dict() == {2026: 20.0}
    assert floors(frame, "krong-bong", "htx_new", units).empty  # its sum is made
    # without the units table, a sum's known parts alone
    assert floors(frame, "krong-bong", "orgs_new").to_dict() == {2026: 5.0}
    assert floors(frame, "krong-bong", "tht_new").empty


def test_a_target_year_the_reporting_communes_already_meet_counts_as_met():
    district = load_observations(EXAMPLE_PATH)
    # 3 HTX from the five communes, 4 THT from four of them: at least 7 against 6
    communes = rows([(u, 2026, "htx_new", int(i < 3)) for i, u in enumerate(COMMUNES)]
                    + [(u, 2026, "tht_new", 1) for u in COMMUNES[:4]])
    plan = load_plan("krong-bong-192")
    facts = evaluate(plan, pd.concat([district, communes]), "krong-bong").set_index("id")
    row = facts.loc["T2030-formation"]
    assert (row["status"], row["at_least"], row["observed"]) == ("open", {2026: 7.0}, {})
    assert {f"r-{u}" for u in COMMUNES} <= set(row["sources"])  # the communes' reports
    forecast = forecast_targets(plan, pd.concat([district, communes]), "krong-bong",
                                ForecastOptions(n_paths=300))
    yearly = forecast.table.set_index("id").loc["T2030-formation", "yearly"]
    assert (yearly.years_met, yearly.years_left) == (1, 4)
    page = kr.answer_table(dataclasses.replace(kr.prepare(n_paths=300, lang="en"),
                                               forecast=forecast)).data
    assert "2026: ≥ 7 (" in page
    assert "no figure for 2026" not in page


def test_without_a_units_table_nothing_is_summed():
    frame = derive(rows([(u, 2026, "htx_new", 1) for u in COMMUNES]))
    assert series(frame, "krong-bong", "htx_new").empty


def commune_form(tmp_path, years):
    """The analysts' form for the five communes, 2026-2030, filled for ``years`` with
    synthetic commune records (blank rows are the years not yet reported)."""
    path = write_template(",".join(COMMUNES), range(2026, 2031), tmp_path / "communes.csv")
    form = pd.read_csv(path, encoding="utf-8-sig", dtype=str, keep_default_na=False)
    filled = pd.concat([generate(SyntheticParams(
        unit=u, first_year=2026, last_year=2030, founding_rate=1.2 + 0.2 * i,
        htx_active_start=4 + i, tht_active_start=2, farm_households=3000 + 500 * i, seed=i))
        for i, u in enumerate(COMMUNES)])
    filled = filled[filled["year"].isin(years)].set_index(["unit", "year", "indicator"])
    for i, row in form.iterrows():
        key = (row["unit"], int(row["year"]), row["indicator"])
        if key in filled.index:
            form.loc[i, ["value", "source", "quote"]] = [
                str(int(filled.loc[key, "value"])), f"bao-cao-{row['unit']}",
                f"báo cáo năm {row['year']} của {row['unit']}"]
    form.to_csv(path, index=False, encoding="utf-8-sig")
    sources = "".join(f"bao-cao-{u},Báo cáo KTTT,UBND {u},2031,{u}\n" for u in COMMUNES)
    (tmp_path / "sources.csv").write_text("id,title,publisher,date,address\n" + sources,
                                          encoding="utf-8")
    return load_observations(path)


def by_hand(district, communes):
    """The district as its own figures up to 2025 and, from 2026, the sums of the communes'
    counts, computed here with a plain group-by: what the successors' rule must give."""
    sums = communes.groupby(["year", "indicator"], as_index=False)["value"].sum()
    return pd.concat([district, sums.assign(unit="krong-bong", source="by-hand", quote="q")],
                     ignore_index=True)


@pytest.mark.parametrize("years", [range(2026, 2031), range(2026, 2029)])
def test_a_filled_form_for_the_five_communes_gives_the_district_plans_answers(tmp_path, years):
    district = load_observations(EXAMPLE_PATH)
    communes = commune_form(tmp_path, years)
    assert set(communes["unit"]) == set(COMMUNES)
    plan = load_plan("krong-bong-192")
    got = evaluate(plan, pd.concat([district, communes]), "krong-bong")
    want = evaluate(plan, by_hand(district, communes), "krong-bong")
    columns = ["id", "status", "observed", "decided_by", "missing", "years_left", "latest"]
    assert got[columns].to_dict(orient="records") == want[columns].to_dict(orient="records")
    assert got.set_index("id").loc["T2030-formation", "observed"]  # 2026 onwards is on record


def test_the_forecast_on_the_communes_form_is_the_forecast_on_the_districts_sums(tmp_path):
    """Figures to 2028: the 2030 targets are forecast from the summed series, as they would
    be from the district's own."""
    district = load_observations(EXAMPLE_PATH)
    communes = commune_form(tmp_path, range(2026, 2029))
    plan = load_plan("krong-bong-192")
    got = forecast_targets(plan, pd.concat([district, communes]), "krong-bong",
                           ForecastOptions(n_paths=300))
    want = forecast_targets(plan, by_hand(district, communes), "krong-bong",
                            ForecastOptions(n_paths=300))
    assert got.as_of == want.as_of == 2028
    columns = ["id", "status", "probability", "median", "model"]
    assert got.table[columns].equals(want.table[columns])
    note = reform_note(load_units(), "krong-bong", got.history)
    assert note.startswith("krong-bong ended on 2025-06-30 (data/units.csv); from 2025 a "
                           "figure it does not report itself is the sum of its successors' "
                           "(xa-krong-bong, ")
    assert "figures of 2026-2028 summed (counts added, shares from the summed counts)" in note


def test_the_example_district_says_its_successors_have_no_figure_yet():
    frame = derive(load_observations(EXAMPLE_PATH), load_units())
    # the example's own 2025 figures are the district's, not its successors' sums
    assert reform_note(load_units(), "krong-bong", frame).endswith(
        "none of which is on record yet; the figures of 2025 on record are krong-bong's own")
    assert reform_note(load_units(), "vietnam", frame) == ""


def test_successors_with_figures_but_no_complete_year_are_not_called_unrecorded(tmp_path):
    # four of five communes had 2026 figures: "none of which is on record yet" (and in the
    # report "chưa đơn vị nào có số liệu") read as if no commune had any
    import ktt.report.forecast as kr

    communes = successors_of(load_units(), "krong-bong")
    path = tmp_path / "mine.csv"
    path.write_text(EXAMPLE_PATH.read_text(encoding="utf-8") + "".join(
        f"{c},2026,htx_new,1,synthetic-krong-bong,q\n" for c in communes[:4]),
        encoding="utf-8")
    (tmp_path / "sources.csv").write_text(
        (EXAMPLE_PATH.parent / "sources.csv").read_text(encoding="utf-8"), encoding="utf-8")
    frame = derive(load_observations(path), load_units())
    assert reform_note(load_units(), "krong-bong", frame).endswith(
        "none of which can be made yet: no year has figures from all of them; the figures of "
        "2025 on record are krong-bong's own")
    ctx = kr.prepare(data_path=str(path), n_paths=100)
    assert "nhưng chưa năm nào có số liệu của đủ các đơn vị này" in kr.details(ctx).data
    assert "chưa đơn vị nào có số liệu" not in kr.details(ctx).data


def test_the_example_still_answers_the_district_plan():
    table = forecast_targets(load_plan("krong-bong-192"), load_observations(EXAMPLE_PATH),
                             "krong-bong", ForecastOptions(n_paths=200)).table
    assert len(table) == 7
    assert table["probability"].notna().all()
    assert dataclasses.asdict(EXAMPLE_PARAMS)["last_year"] == 2025
    assert config.UNITS.name == "units.csv"


def test_the_reports_first_line_says_which_years_are_the_successors_sums(tmp_path):
    # "Huyện Krông Bông, data up to 2026" read as the district's own figures; the note that
    # 2026 is the communes' sum was below the target table
    import ktt.report.forecast as kr

    frame = pd.concat([load_observations(EXAMPLE_PATH), commune_form(tmp_path, [2026])])
    (tmp_path / "own").mkdir()  # no sources.csv beside it, which would have to name them all
    path = tmp_path / "own" / "district-and-communes.csv"
    frame[["unit", "year", "indicator", "value", "source", "quote"]].to_csv(path, index=False)
    vi = kr.header(kr.prepare(data_path=str(path), n_paths=300, lang="vi")).data
    assert ("Đơn vị: Huyện Krông Bông (<code>krong-bong</code>; 2026: tổng của 5 đơn vị kế "
            "thừa) · Số liệu đến năm: 2026") in vi
    en = kr.header(kr.prepare(data_path=str(path), n_paths=300, lang="en")).data
    assert "(<code>krong-bong</code>; 2026: the sum of its 5 successor units)" in en


def test_one_summed_year_is_named_once_in_the_note_and_the_report(tmp_path):
    # analyst trial: communes' figures for 2026 alone read "9 figures of 2026-2026 summed"
    from types import SimpleNamespace

    from ktt.report.forecast import reform_lines

    district = load_observations(EXAMPLE_PATH)
    communes = commune_form(tmp_path, [2026])
    frame = derive(pd.concat([district, communes]), load_units())
    assert "figures of 2026 summed" in reform_note(load_units(), "krong-bong", frame)
    for lang, words in [("en", "figures of 2026 summed"), ("vi", "số liệu năm 2026 được")]:
        ctx = SimpleNamespace(lang=lang, forecast=SimpleNamespace(unit="krong-bong",
                                                                  history=frame))
        (line,) = reform_lines(ctx)
        assert words in line
        assert "2026–2026" not in line


def figures_of(*rows):
    return pd.DataFrame(rows, columns=["unit", "year"])


def test_a_near_miss_of_the_unit_or_of_a_commune_that_took_it_over_is_refused():
    # reviewer trial: 2025's rows under krong-bongg left the report at "figures to 2024"
    units = load_units()
    with pytest.raises(KttError) as caught:
        check_no_mistyped_unit("krong-bong", figures_of(("krong-bong", 2024),
                                                        ("krong-bongg", 2025),
                                                        ("krong-bongg", 2024)), units, "kb.csv")
    assert str(caught.value) == (
        "kb.csv: unit 'krong-bongg' (2024-2025) is not in data/units.csv and is close to "
        "'krong-bong', the unit read, so its figures would be left out; correct the file's unit "
        "column to 'krong-bong', or, if 'krong-bongg' is a unit of your own, add a row for it to "
        "data/units.csv")
    with pytest.raises(KttError, match="close to 'xa-yang-mao', which took over krong-bong's "
                                       "area"):
        check_no_mistyped_unit("krong-bong", figures_of(("xa-cu-pui", 2026),
                                                        ("xa-yang-mau", 2026)), units, "kb.csv")


def test_a_unit_of_ones_own_or_one_the_table_knows_is_let_through():
    units = load_units()
    # my-commune is far from every id read; krong-pac and xa-krong-bong are in the table
    check_no_mistyped_unit("krong-bong", figures_of(("krong-bong", 2024), ("my-commune", 2024),
                                                    ("krong-pac", 2024),
                                                    ("xa-krong-bong", 2026)), units)
    # a near miss of a unit not read is the units notes' business, and so is a file without
    # one figure of the unit read (its callers name the units such a file holds)
    check_no_mistyped_unit("krong-bong", figures_of(("krong-bong", 2024), ("krong-pacc", 2024)),
                           units)
    check_no_mistyped_unit("krong-bong", figures_of(("krong-bongg", 2024)), units)
