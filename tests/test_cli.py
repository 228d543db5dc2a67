"""The command line: exit codes, one-line problems, no traceback, JSON output."""

from __future__ import annotations

import json
import subprocess
import sys

import pandas as pd
import pytest

from ktt import config
from ktt.cli import main
from ktt.inputs.data import coverage_by_indicator
from ktt.inputs.parameters import MAX_PATHS, MAX_PATHS_MEMORY


def test_validate_shipped_data(capsys):
    assert main(["validate", str(config.OBSERVATIONS)]) == 0
    assert "valid," in capsys.readouterr().out


def test_validate_bad_file_exits_2_with_each_problem(write_csv, capsys):
    path = write_csv("krong-bong,2021,htx_new,-1,s1,q\nkrong-bong,2022,profitable_share,70,s1,q\n")
    assert main(["validate", str(path)]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: 2 problem(s) in the data:\n")
    assert f"{path}:2: column 'value'" in err
    assert f"{path}:3: column 'value'" in err


def test_validate_notes_source_ids_no_sources_csv_names(write_csv, capsys):
    # without a sources.csv beside the file nothing checks its ids; data/sources.csv names one
    path = write_csv("krong-bong,2021,htx_new,3,bc-ubnd-kb,q\n"
                     "krong-bong,2022,htx_new,2,baodaklak-2024-01,q\n", sources=None)
    assert main(["validate", str(path)]) == 0
    assert (f"note: 1 source id(s) that no sources.csv names: bc-ubnd-kb. A report lists them "
            f"without their publication; write a sources.csv beside {path} "
            "(id,title,publisher,date,address), a row per source") in capsys.readouterr().out
    # one beside the file is checked row by row instead, and the note is not given
    path = write_csv("krong-bong,2021,htx_new,3,s1,q\n")
    assert main(["validate", str(path)]) == 0
    assert "no sources.csv names" not in capsys.readouterr().out


def test_validate_gives_units_filled_in_alike_one_row(write_csv, capsys):
    # five communes' forms: a row per unit and indicator made a screen of rows that said the
    # same; those alike share one, and a commune that differs has its own
    communes = ["xa-cu-pui", "xa-dang-kang", "xa-hoa-son", "xa-krong-bong", "xa-yang-mao"]
    body = "".join(f"{u},{y},{code},3,s1,q\n" for u in communes for y in (2025, 2026)
                   for code in ("htx_new", "tht_new") if (u, y, code) != (communes[2], 2026,
                                                                        "tht_new"))
    assert main(["validate", str(write_csv(body))]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[5].startswith("note:")  # the table ends: its rows are these three
    rows = [line.split() for line in lines[2:5]]
    assert rows == [
        ["htx_new", "xa-cu-pui,", "xa-dang-kang,", "xa-hoa-son,", "xa-krong-bong,",
         "xa-yang-mao", "2", "2025", "2026", "-"],
        ["tht_new", "xa-cu-pui,", "xa-dang-kang,", "xa-krong-bong,", "xa-yang-mao", "2",
         "2025", "2026", "-"],
        ["tht_new", "xa-hoa-son", "1", "2025", "2025", "-"]]


def test_units_past_the_named_few_are_counted():
    summary = pd.DataFrame({"unit": [f"xa-{k}" for k in range(7)], "indicator": "htx_new",
                            "figures": 2, "first": 2025, "last": 2026, "gaps": "-"})
    assert coverage_by_indicator(summary)["units"].tolist() == ["7 units"]
    assert coverage_by_indicator(summary.head(5))["units"].tolist() == [
        "xa-0, xa-1, xa-2, xa-3, xa-4"]


def test_validate_notes_a_unit_whose_rows_are_all_blank(write_csv, capsys):
    # a form's commune not filled in: "1 unit(s)" above said nothing of it
    path = write_csv("xa-hoa-son,2024,htx_new,3,s1,q\nxa-cu-pui,2024,htx_new,,s1,\n"
                     "xa-cu-pui,2025,htx_new,,s1,\n")
    assert main(["validate", str(path)]) == 0
    out = capsys.readouterr().out
    assert ("note: 1 unit(s) with rows but no figure yet: xa-cu-pui; a forecast of them has "
            "nothing to go on until their values are filled in") in out
    assert "xa-hoa-son;" not in out


def test_validate_a_quote_left_open_at_the_end_gives_no_traceback(write_csv, capsys):
    # it was valid, and then the note on blank units read the file with pandas, which raised
    path = write_csv('krong-bong,2021,htx_new,3,s1,"q\n')
    assert main(["validate", str(path)]) == 2
    assert f"{path}:2: column 'quote': a double quote opens" in capsys.readouterr().err


def test_status_on_bad_data_prints_no_traceback(write_csv):
    path = write_csv("krong-bong,2021,htx_new,abc,s1,q\n")
    done = subprocess.run([sys.executable, "-m", "ktt", "status", "--data", str(path)],
                          capture_output=True, text=True, check=False, timeout=300)
    assert done.returncode == 2
    assert "Traceback" not in done.stderr
    assert "'abc' is not a number" in done.stderr


def test_status_json_on_own_figures(write_csv, capsys):
    path = write_csv("krong-bong,2021,orgs_new,5,s1,q\nkrong-bong,2022,orgs_new,2,s1,q\n")
    assert main(["status", "--data", str(path), "--json"]) == 0
    # strict JSON: Python's json writes NaN, which JavaScript and jq refuse
    records = {r["id"]: r for r in json.loads(capsys.readouterr().out,
                                              parse_constant=pytest.fail)}
    formation = records["T2025-formation"]
    assert formation["status"] == "missed"
    assert formation["interval_80"] == [None, None]  # decided: a figure, no interval
    assert formation["observed"] == {"2021": 5.0, "2022": 2.0}
    assert formation["years_left"] == [2023, 2024, 2025]
    assert set(records["T2025-formation"]) >= {"id", "indicator", "status", "observed",
                                               "years_left"}
    # why the model, as summary.json says it: two figures are too few to backtest
    later = records["T2030-formation"]
    assert later["model_reason_code"] == "short_baseline"
    assert set(later) >= {"model_reason", "model_crps", "model_weights"}


def test_status_table_names_as_of_and_sources(write_csv, capsys):
    path = write_csv("krong-bong,2022,orgs_new,2,s1,q\n")
    assert main(["status", "--data", str(path)]) == 0
    out = capsys.readouterr().out
    assert "as of 2022" in out
    line = next(x for x in out.splitlines() if x.strip().startswith("T2025-formation"))
    assert all(part in line for part in ("missed", "2022: 2", "s1"))
    assert " 0.00 " in line  # a decided target's probability is the fact, not "<0.01"
    assert "unlikely" not in line  # nor a chance put in words
    open_line = next(x for x in out.splitlines() if x.strip().startswith("T2030-formation"))
    assert "open" in open_line
    assert "likely" in open_line
    yearly = next(x for x in out.splitlines() if x.startswith("years T2025-formation"))
    assert yearly.endswith("recent level 2.0 (mean of the last 3 figures)")


def test_status_gives_the_level_the_years_without_a_figure_need(write_csv, capsys):
    # 2023 missing and no year left: "at least 4 every year" is open, and 2023 needs 4 (the
    # pace the forecast asks), where the line said "no year left"
    rows = "".join(f"krong-bong,{y},orgs_new,5,s1,q\n" for y in (2021, 2022, 2024, 2025))
    assert main(["status", "--data", str(write_csv(rows)), "--paths", "100"]) == 0
    yearly = next(x for x in capsys.readouterr().out.splitlines()
                  if x.startswith("years T2025-formation"))
    assert ("; the 1 year without a figure (1 missing, none remaining) needs 4.0; "
            in yearly)
    # on average, 2022's 8 known HTX counted: 7 short over 2024 and 2025, 3.5 each, which
    # a whole number wrote 4
    rows = ("krong-bong,2021,orgs_new,3,s1,q\nkrong-bong,2022,htx_new,8,s1,q\n"
            "krong-bong,2023,orgs_new,2,s1,q\n")
    assert main(["status", "--data", str(write_csv(rows)), "--paths", "100",
                 "-r", "formation_reading", "mean"]) == 0
    yearly = next(x for x in capsys.readouterr().out.splitlines()
                  if x.startswith("years T2025-formation"))
    assert "; each of the 3 years without a figure (1 missing, 2 remaining) needs 3.5; " in yearly


def test_status_says_why_a_class_reads_achieved_beside_a_missed_target(write_csv, capsys):
    # 3 in 2021 missed "each year at least 4"; 5 in 2022 meets 4, and the classes, which read
    # the latest figure, said achieved beside "missed" without a word
    path = write_csv("krong-bong,2021,orgs_new,3,s1,q\nkrong-bong,2022,orgs_new,5,s1,q\n")
    assert main(["status", "--data", str(path), "--paths", "200"]) == 0
    notes = [x for x in capsys.readouterr().out.splitlines() if "reads 'achieved'" in x]
    assert notes == ["note: a class reads 'achieved' when the latest figure meets the target's "
                     "value; the status reads the whole rule: T2025-formation missed by the "
                     "record though the latest figure meets the value (a year the rule counts "
                     "fell short)"]
    # 2 in 2022 meets neither 4 nor 6: no class reads achieved, and no note
    path = write_csv("krong-bong,2021,orgs_new,5,s1,q\nkrong-bong,2022,orgs_new,2,s1,q\n")
    assert main(["status", "--data", str(path), "--paths", "200"]) == 0
    assert "reads 'achieved'" not in capsys.readouterr().out


def test_status_says_which_part_of_a_derived_indicator_is_missing(write_csv, capsys):
    path = write_csv("krong-bong,2021,htx_new,3,s1,q\nkrong-bong,2022,htx_new,4,s1,q\n")
    assert main(["status", "--data", str(path), "--paths", "200"]) == 0
    notes = [x for x in capsys.readouterr().out.splitlines() if x.startswith("note: orgs_new")]
    assert notes == [f"note: orgs_new is derived from htx_new and tht_new of the same year; "
                     f"{path} has no tht_new for krong-bong, so no orgs_new (enter 0 for a "
                     "year with none)"]


def test_status_of_another_plan_on_its_unit_with_a_reading(write_csv, capsys):
    path = write_csv("vietnam,2025,htx_registered,35041,s1,q\n")
    assert main(["status", "--plan", "vietnam-1318", "--data", str(path), "--json",
                 "-r", "about_reading", "within", "-r", "about_tolerance", "0.001"]) == 0
    records = {r["id"]: r for r in json.loads(capsys.readouterr().out)}
    assert records["T2025-htx"]["status"] == "missed"  # 35,041 is 0.12 % above 35,000
    assert records["T2025-htx"]["sources"] == ["s1"]
    assert main(["status", "--plan", "vietnam-1318", "--data", str(path)]) == 0
    out = capsys.readouterr().out
    assert "plan vietnam-1318" in out
    assert "unit vietnam, as of 2025" in out
    line = next(x for x in out.splitlines() if x.strip().startswith("T2025-htx "))
    assert all(part in line for part in ("2025 >= 35,000", "met", "2025: 35,041"))
    # a target year already past without a figure stays open and says so, as the report does
    line = next(x for x in out.splitlines() if x.strip().startswith("T2025-unions "))
    assert all(part in line for part in ("open", " no figure for 2025 "))


def test_status_refuses_a_reading_the_plan_does_not_have(write_csv, capsys):
    path = write_csv("vietnam,2025,htx_registered,35041,s1,q\n")
    assert main(["status", "--plan", "vietnam-340", "--data", str(path),
                 "-r", "formation_reading", "mean"]) == 2
    assert ("error: --reading: unknown reading 'formation_reading'; known readings: "
            "about_reading") in capsys.readouterr().err


def test_backtest_prints_each_choice_and_writes_the_scores(tmp_path, capsys):
    output = tmp_path / "scores.csv"
    assert main(["backtest", "--paths", "200", "--output", str(output)]) == 0
    out = capsys.readouterr().out
    assert out.splitlines()[0].startswith("SYNTHETIC EXAMPLE")
    assert "orgs_new: uses " in out
    assert "(weights proportional to 1 / mean CRPS)" in out
    assert "the official progress classes as calls (met for achieved, on_track, maintain), " \
        "from base year 2020" in out
    scores = pd.read_csv(output)
    assert list(scores.columns) == ["indicator", "model", "horizon", "n", "abs_error", "crps",
                                    "cover80", "cover95", "fallbacks"]
    assert set(scores["horizon"]) == {1, 2, 3, 4, 5}
    assert set(scores.loc[scores["indicator"] == "orgs_new", "model"]) == {
        "poisson", "negbin", "recent_mean", "rate_walk"}


def test_backtest_on_a_short_record_says_it_uses_the_baseline(write_csv, capsys):
    path = write_csv("krong-bong,2021,orgs_new,5,s1,q\nkrong-bong,2022,orgs_new,2,s1,q\n")
    assert main(["backtest", "--data", str(path)]) == 0
    assert ("orgs_new: uses rate_walk (2 figures, too few to backtest (needs 5): the "
            "baseline rate_walk)") in capsys.readouterr().out


def test_base_year_reaches_status_and_the_report(write_csv, capsys, monkeypatch):
    path = write_csv("krong-bong,2015,orgs_new,3,s1,q\nkrong-bong,2020,orgs_new,5,s1,q\n"
                     "krong-bong,2022,orgs_new,7,s1,q\n")
    assert main(["status", "--data", str(path), "--json", "--base-year", "2015"]) == 0
    records = {r["id"]: r for r in json.loads(capsys.readouterr().out)}
    formation = records["T2030-formation"]
    assert formation["base_year"] == 2015
    assert [(p["method"], p["base_year"], p["base_value"]) for p in formation["progress"]] == [
        ("open_sdg", 2015, 3.0), ("unsd", 2015, 3.0), ("escap", 2015, 3.0)]
    assert formation["yearly"]["years_left"] == 5
    seen = {}
    monkeypatch.setattr("ktt.report.runner.run_report",
                        lambda scenario, overrides, *rest, **kw: kw["kernel"].stop()
                        or seen.update(overrides) or path.parent)
    assert main(["report", "--base-year", "2015"]) == 0
    assert seen["base_year"] == 2015


def test_report_notes_an_unknown_unit_and_a_file_outside_the_project(write_csv, capsys,
                                                                      monkeypatch):
    # reviewer trial: a row whose unit was mistyped was left out of the report without a
    # word (ktt validate said so); and a reviewer given the report and the file could not
    # verify it, as its path was the analyst's, recorded as it was
    path = write_csv("krong-bong,2022,orgs_new,2,s1,q\nkrong-bongg,2023,orgs_new,3,s1,q\n")
    monkeypatch.setattr("ktt.report.runner.run_report",
                        lambda scenario, overrides, *rest, **kw: kw["kernel"].stop()
                        or path.parent)
    assert main(["report", "-p", "data_path", str(path)]) == 0
    assert capsys.readouterr().out.splitlines()[:2] == [
        "note: unit(s) not in data/units.csv: krong-bongg (close to krong-bong). Right for a "
        "unit of your own, which has no parent or predecessor there (add a row for it to count "
        "it in its province's totals); otherwise correct the unit column",
        f"note: {path} is outside the project, so the report records that very path: ktt "
        "verify reruns it where the file is there, or, elsewhere, with --data-folder naming the "
        "folder that holds it then; to have a report that verifies in any clone of the project "
        "as it is, keep the file in the project's folder (as my-figures.csv in the README)"]


def test_report_notes_an_unknown_unit_in_a_file_with_a_byte_order_mark(write_csv, capsys,
                                                                          monkeypatch):
    # analyst trial: ktt template writes its form with a byte-order mark, which hid the unit
    # column from the report's note, so a misspelt commune (xa-yang-mau) went without a word
    path = write_csv("krong-bong,2022,orgs_new,2,s1,q\nxa-yang-mau,2026,htx_new,3,s1,q\n",
                     encoding="utf-8-sig")
    monkeypatch.setattr("ktt.report.runner.run_report",
                        lambda scenario, overrides, *rest, **kw: kw["kernel"].stop()
                        or path.parent)
    assert main(["report", "-p", "data_path", str(path)]) == 0
    assert capsys.readouterr().out.splitlines()[0].startswith(
        "note: unit(s) not in data/units.csv: xa-yang-mau (close to xa-yang-mao).")


def test_status_refuses_a_misspelt_successor_whose_figures_it_would_leave_out(write_csv,
                                                                            capsys):
    # analyst trial: with one commune's rows under xa-yang-mau, status said that xa-yang-mao
    # "has no figure" for every total of 2026 and never named the id the figures were under;
    # a note then named it, above totals still wrong, which a report never showed
    communes = ["xa-krong-bong", "xa-dang-kang", "xa-hoa-son", "xa-yang-mau", "xa-cu-pui"]
    path = write_csv("".join(f"krong-bong,{y},orgs_new,{n},s1,q\n"
                             for y, n in [(2021, 4), (2022, 5), (2023, 6), (2024, 5)])
                     + "".join(f"{c},2026,orgs_new,1,s1,q\n" for c in communes))
    assert main(["status", "--data", str(path), "--paths", "200"]) == 2
    assert capsys.readouterr().err == (
        f"error: {path}: unit 'xa-yang-mau' (2026) is not in data/units.csv and is close to "
        "'xa-yang-mao', which took over krong-bong's area, so its figures would be left out; "
        "correct the file's unit column to 'xa-yang-mao', or, if 'xa-yang-mau' is a unit of "
        "your own, add a row for it to data/units.csv\n")


def test_status_refuses_a_base_year_before_the_first_figure_and_names_a_later_base(
        write_csv, capsys):
    path = write_csv("krong-bong,2015,orgs_new,3,s1,q\nkrong-bong,2020,orgs_new,5,s1,q\n"
                     "krong-bong,2022,orgs_new,7,s1,q\nkrong-bong,2018,profitable_share,0.5,s1,q\n"
                     "krong-bong,2022,profitable_share,0.6,s1,q\n")
    assert main(["status", "--data", str(path), "--paths", "200", "--base-year", "1900"]) == 2
    assert capsys.readouterr().err == (
        "error: base year 1900 is before krong-bong's first figure of the plan's indicators, "
        "of 2015 (orgs_new): the official classes would measure progress from 2015, not 1900; "
        "give a year from 2015 to 2021 (--base-year; -p base_year in a report), or none for "
        "the plan's\n")
    # from 2015 the shares have no figure yet: their classes measure from 2018, and say so
    assert main(["status", "--data", str(path), "--paths", "200", "--base-year", "2015"]) == 0
    assert ("note: no figure in 2015 for T2025-profitable (2018), T2030-profitable (2018): "
            "their classes measure from the first figure after it") in capsys.readouterr().out


def test_an_interrupt_python_could_not_raise_is_not_printed_as_a_traceback(capsys,
                                                                          monkeypatch):
    from ktt.cli import signals

    class RaisesWhenCollected:
        def __init__(self, error: BaseException):
            self.error = error

        def __del__(self):  # Python cannot raise from here: it calls sys.unraisablehook
            raise self.error

    monkeypatch.setattr(sys, "unraisablehook", signals.unraisable_hook)
    monkeypatch.setattr(signals, "SIGNALLED", [2])
    RaisesWhenCollected(KeyboardInterrupt())
    assert capsys.readouterr().err == ""  # raised again by stop_if_signalled instead
    RaisesWhenCollected(ValueError("a real error"))
    assert "ValueError: a real error" in capsys.readouterr().err


def test_status_refuses_a_unit_neither_the_file_nor_the_units_table_holds(write_csv, capsys):
    # a mistyped --unit gave a whole table of unknowns under a note; ktt report refuses it too
    path = write_csv("krong-bong,2022,orgs_new,2,s1,q\n")
    assert main(["status", "--data", str(path), "--unit", "krong-bongg"]) == 2
    assert capsys.readouterr().err == (
        f"error: unit 'krong-bongg' is neither in {path} nor in data/units.csv; did you mean "
        "'krong-bong'? give --unit one of krong-bong, or add the unit to the units table\n")


def test_status_on_a_known_unit_without_figures_notes_it(write_csv, capsys):
    path = write_csv("krong-bong,2022,orgs_new,2,s1,q\n")
    assert main(["status", "--data", str(path), "--unit", "krong-ana"]) == 0
    assert f"note: {path} holds no figure for krong-ana" in capsys.readouterr().out


def test_status_on_a_file_of_another_unit_names_the_units_it_holds(write_csv, capsys):
    # the file's unit column mistyped: the plan's unit has no figure, ktt report names the
    # units the file holds, and status said only that every target stays open
    path = write_csv("krong-bang,2022,orgs_new,2,s1,q\nkrong-ana,2022,orgs_new,3,s1,q\n")
    assert main(["status", "--data", str(path)]) == 0
    assert (f"note: {path} holds no figure for krong-bong; every target stays open until its "
            "figures are entered (see data/README.md); it holds figures for krong-bang, "
            "krong-ana (correct the file's unit column, or give --unit with one of these)"
            ) in capsys.readouterr().out.splitlines()


def test_status_on_a_file_of_a_successor_commune_tells_of_the_reform_not_a_typo(write_csv,
                                                                            capsys):
    # ktt report takes such a file; status had told the user to correct its unit column
    path = write_csv("xa-cu-pui,2025,orgs_new,2,s1,q\n")
    assert main(["status", "--data", str(path)]) == 0
    out = capsys.readouterr().out
    assert "holds no figure for krong-bong" not in out
    assert "note: krong-bong ended on 2025-06-30 (data/units.csv); from 2025 a figure it does " \
           "not report itself is the sum of its successors'" in out


@pytest.mark.parametrize(("argv", "message"), [
    # argparse took --list for --list-parameters and listed them, without a word
    (["report", "--list"], "ktt report: error: unknown option --list; did you mean "
                           "'--list-parameters' or '--list-scenarios'? valid: --all, "
                           "--base-year, --help, --jobs, --list-parameters, --list-scenarios, "
                           "--notebook, --output, --param, --plan, --plans"),
    (["status", "--base", "2015"], "ktt status: error: unknown option --base; did you mean "
                                   "'--base-year'? valid: --as-of, --base-year, --data, "),
    (["status", "--unt=krong-ana"], "ktt status: error: unknown option --unt; did you mean "
                                    "'--unit'? valid: "),
    (["template", "--year", "2015-2020"], "ktt template: error: unknown option --year; did "
                                          "you mean '--years'? valid: --force, --help, "
                                          "--output, --unit, --years\n"),
    (["--verb", "status"], "ktt: error: unknown option --verb; valid: --help\n")])
def test_a_long_option_is_taken_only_as_spelled_in_full(argv, message, capsys, tmp_path,
                                                        monkeypatch):
    monkeypatch.chdir(tmp_path)  # template --year, taken for --years, wrote a form here
    with pytest.raises(SystemExit) as info:
        main(argv)
    assert info.value.code == 2
    assert message in capsys.readouterr().err


@pytest.mark.parametrize(("argv", "message"), [
    # argparse offered '--param', without saying how a data file is written to a report
    (["report", "--data", "my.csv"], "ktt report: error: unknown option --data; a report "
                                     "takes it as a notebook parameter: -p data_path FILE "
                                     "(ktt report --list-parameters lists them)\n"),
    (["report", "policy-push", "--paths=200"], "unknown option --paths; a report takes it as "
                                               "a notebook parameter: -p n_paths N"),
    # argparse took the reading's name for the scenario: "unrecognized arguments: -r mean"
    (["report", "-r", "formation_reading", "mean"], "ktt report: error: unknown option -r; a "
                                                    "report takes it as a notebook parameter: "
                                                    "-p readings '{NAME: VALUE}'"),
    (["report", "policy-push", "--reading", "formation_reading", "mean"],
     "unknown option --reading; a report takes it as a notebook parameter: -p readings"),
    (["status", "-p", "readings", "{formation_reading: mean}"],
     "ktt status: error: -p sets a notebook parameter of ktt report; ktt status takes it as "
     "-r NAME VALUE, once a reading\n"),
    # argparse said "unrecognized arguments: -p data_path my.csv"
    (["status", "-p", "data_path", "my.csv"], "ktt status: error: -p sets a notebook parameter "
                                              "of ktt report; ktt status takes it as --data "
                                              "FILE\n"),
    (["backtest", "--param", "model", "negbin"], "ktt backtest: error: --param sets a notebook "
                                                 "parameter of ktt report; ktt backtest --help "
                                                 "lists the options it takes\n")])
def test_a_setting_spelt_as_the_other_commands_spell_it_says_how_to_write_it(argv, message,
                                                                             capsys):
    with pytest.raises(SystemExit) as info:
        main(argv)
    assert info.value.code == 2
    assert message in capsys.readouterr().err


def test_the_options_a_report_takes_as_parameters_are_the_notebooks_parameters():
    from ktt.cli import OPTION_PARAMETERS, build_parser
    from ktt.inputs.parameters import notebook_parameters

    known = notebook_parameters(config.ROOT / "notebooks" / "forecast.ipynb")
    assert {parameter for parameter, _ in OPTION_PARAMETERS.values()} <= set(known)
    status = build_parser()._subparsers._group_actions[0].choices["status"]
    assert set(OPTION_PARAMETERS) <= {o for a in status._actions for o in a.option_strings}


def test_report_runs_only_a_notebook_that_writes_a_report(capsys):
    # explore.ipynb has no summary cell: it ran, then failed with a StopIteration traceback
    with pytest.raises(SystemExit) as info:
        main(["report", "--notebook", "explore"])
    assert info.value.code == 2
    assert ("argument --notebook: invalid choice: 'explore' (choose from 'forecast', "
            "'backtest', 'units')") in capsys.readouterr().err


def test_status_applies_a_scenarios_levers_and_readings(capsys):
    # what a scenario does to the probabilities, without writing a report
    def households(*extra):
        assert main(["status", "--paths", "500", "--json", *extra]) == 0
        records = {r["id"]: r for r in json.loads(capsys.readouterr().out)}
        return records["T2030-households"]["probability"]

    assert households("--scenario", "enrolment-campaign") > households() + 0.3
    assert main(["status", "--paths", "200", "--scenario", "lenient-readings",
                 "-r", "formation_start", "2021"]) == 0
    out = capsys.readouterr().out
    assert ("scenario lenient-readings (Lenient readings): formation_reading = mean, "
            "formation_start = 2020, direction_reading = trend") in out
    # --reading overrides the scenario's: a yearly mean from 2021, not 2020
    line = next(x for x in out.splitlines() if x.strip().startswith("T2025-formation"))
    assert "mean of 2021-2025" in line


def test_status_refuses_a_scenario_written_for_another_plan(capsys):
    assert main(["status", "--scenario", "enrolment-campaign", "--plan", "vietnam-340"]) == 2
    assert capsys.readouterr().err == ("error: scenario enrolment-campaign is written for plan "
                                       "krong-bong-192, not vietnam-340: add --plan "
                                       "krong-bong-192\n")


@pytest.mark.parametrize(("argv", "message"), [
    (["status", "--paths", str(MAX_PATHS + 1)],
     f"ktt status: error: argument --paths: {MAX_PATHS + 1} is more than {MAX_PATHS}, the "
     f"most a forecast simulates: its paths are held in memory at once ({MAX_PATHS_MEMORY} at "
     f"{MAX_PATHS}), and more would change no probability a report shows to two decimals; give "
     f"a whole number from 1 to {MAX_PATHS}\n"),
    # ForecastOptions' ValueError was a traceback after the data loaded
    (["status", "--units", "all", "--paths", "0"],
     f"ktt status: error: argument --paths: 0; give a whole number from 1 to {MAX_PATHS}\n"),
    # and ktt backtest went on to numpy's
    (["backtest", "--paths", "1e11"],
     f"ktt backtest: error: argument --paths: '1e11'; give a whole number from 1 to "
     f"{MAX_PATHS}\n"),
    # a negative seed was ForecastOptions' traceback too
    (["status", "--seed", "-1"],
     "ktt status: error: argument --seed: -1; give a whole number of at least 0\n"),
    (["backtest", "--seed", "x"],
     "ktt backtest: error: argument --seed: 'x'; give a whole number of at least 0\n")])
def test_paths_and_seeds_out_of_range_are_refused_as_the_command_starts(argv, message, capsys):
    with pytest.raises(SystemExit) as info:
        main(argv)
    assert info.value.code == 2
    # the one line alone: the usage above it took nine lines for ktt status (reviewer trial)
    assert capsys.readouterr().err == message


@pytest.mark.parametrize(("command", "wanted"), [
    (["report", "polcy-push"], "policy-push"), (["report", "Baseline"], "baseline"),
    (["status", "--scenario", "enrolment"], "enrolment-campaign"),
    (["report", "--plan", "krong-bong192"], "krong-bong-192"),
    (["status", "--plan", "Vietnam-340"], "vietnam-340")])
def test_a_mistyped_scenario_or_plan_is_told_the_closest(command, wanted, capsys):
    assert main(command) == 2
    error = capsys.readouterr().err
    assert error.count("\n") == 1
    assert error.startswith("error: ")
    assert f"; did you mean '{wanted}'? known" in error
