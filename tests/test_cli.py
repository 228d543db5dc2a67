"""The command line: exit codes, one-line problems, no traceback, JSON output."""

from __future__ import annotations

import json
import subprocess
import sys

import pandas as pd

from ktt import config
from ktt.cli import main


def test_validate_shipped_data(capsys):
    assert main(["validate", str(config.OBSERVATIONS)]) == 0
    assert "valid," in capsys.readouterr().out


def test_validate_bad_file_exits_2_with_each_problem(write_csv, capsys):
    path = write_csv("krong-bong,2021,htx_new,-1,s1,q\nkrong-bong,2022,profitable_share,70,s1,q\n")
    assert main(["validate", str(path)]) == 2
    err = capsys.readouterr().err
    assert f"{path}: 2 problem(s)" in err
    assert f"{path}:2: column 'value'" in err
    assert f"{path}:3: column 'value'" in err


def test_status_on_bad_data_prints_no_traceback(write_csv):
    path = write_csv("krong-bong,2021,htx_new,abc,s1,q\n")
    done = subprocess.run([sys.executable, "-m", "ktt", "status", "--data", str(path)],
                          capture_output=True, text=True, check=False)
    assert done.returncode == 2
    assert "Traceback" not in done.stderr
    assert "'abc' is not a number" in done.stderr


def test_status_json_on_own_figures(write_csv, capsys):
    path = write_csv("krong-bong,2021,orgs_new,5,s1,q\nkrong-bong,2022,orgs_new,2,s1,q\n")
    assert main(["status", "--data", str(path), "--json"]) == 0
    records = {r["id"]: r for r in json.loads(capsys.readouterr().out)}
    formation = records["T2025-formation"]
    assert formation["status"] == "missed"
    assert formation["observed"] == {"2021": 5.0, "2022": 2.0}
    assert formation["years_left"] == [2023, 2024, 2025]
    assert set(records["T2025-formation"]) >= {"id", "indicator", "status", "observed",
                                               "years_left"}


def test_status_table_names_as_of_and_sources(write_csv, capsys):
    path = write_csv("krong-bong,2022,orgs_new,2,s1,q\n")
    assert main(["status", "--data", str(path)]) == 0
    out = capsys.readouterr().out
    assert "as of 2022" in out
    line = next(x for x in out.splitlines() if x.strip().startswith("T2025-formation"))
    assert all(part in line for part in ("missed", "2022: 2", "s1"))


def test_backtest_prints_each_choice_and_writes_the_scores(tmp_path, capsys):
    output = tmp_path / "scores.csv"
    assert main(["backtest", "--paths", "200", "--output", str(output)]) == 0
    out = capsys.readouterr().out
    assert out.splitlines()[0].startswith("SYNTHETIC EXAMPLE")
    assert "orgs_new: uses " in out
    assert "lowest mean CRPS" in out
    scores = pd.read_csv(output)
    assert list(scores.columns) == ["indicator", "model", "horizon", "n", "abs_error", "crps",
                                    "cover80", "cover95", "fallbacks"]
    assert set(scores["horizon"]) == {1, 2, 3, 4, 5}
    assert set(scores.loc[scores["indicator"] == "orgs_new", "model"]) == {
        "poisson", "negbin", "recent_mean"}


def test_backtest_on_a_short_record_says_it_uses_the_baseline(write_csv, capsys):
    path = write_csv("krong-bong,2021,orgs_new,5,s1,q\nkrong-bong,2022,orgs_new,2,s1,q\n")
    assert main(["backtest", "--data", str(path)]) == 0
    assert ("orgs_new: uses recent_mean (2 figures, too few to backtest (needs 5): the "
            "baseline recent_mean)") in capsys.readouterr().out
