"""``ktt status --units``: many units in one table, printed and written, and a Ctrl-C that
ends a run on Dask at once."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import threading
import time

import pandas as pd
import psutil
import pytest

from ktt.cli import main
from ktt.forecasting.many import COLUMNS
from ktt.inputs import synthetic
from ktt.inputs.synthetic import SyntheticParams, write

COMMUNES = ["xa-krong-bong", "xa-dang-kang", "xa-hoa-son", "xa-yang-mao", "xa-cu-pui"]
"""The five communes that took over Krông Bông (data/units.csv)."""


@pytest.fixture(scope="module")
def communes(tmp_path_factory):
    folder = tmp_path_factory.mktemp("synthetic")
    return write(folder / "communes.csv", [SyntheticParams(unit=u, seed=i, founding_rate=2 + i)
                                           for i, u in enumerate(COMMUNES)])


def test_status_units_within_a_province_writes_the_table(communes, tmp_path, capsys):
    output = tmp_path / "table.csv"
    assert main(["status", "--data", str(communes), "--units", "within=dak-lak-2025",
                 "--workers", "0", "--paths", "100", "--output", str(output)]) == 0
    out = capsys.readouterr().out
    assert "SYNTHETIC" in out
    assert f"wrote {output} (35 rows)" in out
    table = pd.read_csv(output, keep_default_na=False, na_values=[""])
    assert list(table.columns) == COLUMNS
    assert list(dict.fromkeys(table["unit"])) == COMMUNES
    assert set(table["parent"]) == {"dak-lak-2025"}
    assert set(table["status"]) <= {"met", "missed", "open"}
    # the interval in the indicator's unit, as the one-unit table gives it, not raw floats
    line = next(x for x in out.splitlines() if "T2030-profitable" in x and " open " in x)
    assert re.search(r"\d+(\.\d)?% to \d+(\.\d)?%", line)
    # the classes' "achieved" beside an open target, said once for every unit's
    achieved = table[["open_sdg", "unsd", "escap"]].eq("achieved").any(axis=1)
    still_open = list(dict.fromkeys(table.loc[achieved & (table["status"] == "open"), "target"]))
    assert still_open
    assert next(x for x in out.splitlines() if "reads 'achieved'" in x).endswith(
        f"{', '.join(still_open)} still open though the latest figure meets the value (the rule "
        "counts figures still to come)")


def test_status_units_where_every_unit_fails_says_why_without_an_empty_table(tmp_path, capsys):
    # a file of figures for none of the selected communes
    path = write(tmp_path / "synthetic-elsewhere.csv", [SyntheticParams(unit="krong-ana", seed=1)])
    assert main(["status", "--data", str(path), "--units", ",".join(COMMUNES[:2]),
                 "--workers", "0", "--paths", "100"]) == 2  # it exited 0
    out = capsys.readouterr().out
    assert "Empty DataFrame" not in out
    assert ("failed xa-krong-bong: no figure for xa-krong-bong: nothing to forecast from; enter "
            "its figures (ktt template writes a form)") in out
    # and --json as well, where a script reads it
    assert main(["status", "--data", str(path), "--units", ",".join(COMMUNES[:2]),
                 "--workers", "0", "--paths", "100", "--json"]) == 2


def test_status_units_refuses_a_base_year_once_before_any_unit_is_forecast(tmp_path, capsys,
                                                                           monkeypatch):
    # each unit failed alone with its own refusal, and the command exited 0
    path = write(tmp_path / "synthetic-communes.csv", [
        SyntheticParams(unit=u, seed=i, first_year=2018 if u == "xa-hoa-son" else 2015)
        for i, u in enumerate(COMMUNES[:3])])
    run = ["status", "--data", str(path), "--units", ",".join(COMMUNES[:3]), "--workers", "0",
           "--paths", "100"]

    def forecast(*args, **kwargs):
        pytest.fail("a unit was forecast")

    monkeypatch.setattr("ktt.forecasting.many.forecast_targets", forecast)
    assert main([*run, "--base-year", "2016"]) == 2
    assert capsys.readouterr().err.endswith(
        "error: base year 2016 (--base-year) does not suit 1 of the 3 units with figures, as a "
        "base year must be at or after a unit's first figure of the plan's indicators and "
        "before its as-of year: xa-hoa-son (first figure 2018, as of 2025). No unit was "
        "forecast; give a year from 2018 to 2024, which suits every unit, or none for the "
        "plan's, from which each unit measures at its first figure or later\n")
    # an as-of year that leaves no year after every first figure
    assert main([*run, "--base-year", "2016", "--as-of", "2018"]) == 2
    assert capsys.readouterr().err.endswith(
        ": xa-hoa-son (first figure 2018, as of 2018). No unit was forecast; no year suits "
        "every unit (their first figures reach 2018, their as-of years start at 2018); give "
        "none for the plan's, from which each unit measures at its first figure or later, or "
        "fewer units at a time (--units ID,ID)\n")
    monkeypatch.undo()
    assert main([*run, "--base-year", "2018"]) == 0
    assert "failed" not in capsys.readouterr().out


def test_status_units_on_dask_equals_one_by_one(communes, tmp_path):
    tables = []
    for workers in ("0", "2"):
        output = tmp_path / f"table-{workers}.csv"
        assert main(["status", "--data", str(communes), "--units", "xa-cu-pui,xa-hoa-son",
                     "--workers", workers, "--paths", "100", "--output", str(output)]) == 0
        tables.append(pd.read_csv(output))
    pd.testing.assert_frame_equal(*tables)


def test_status_units_refuses_unknown_units_and_formats(communes, tmp_path, capsys):
    assert main(["status", "--data", str(communes), "--units", "xa-cu-pui,nowhere",
                 "--workers", "0"]) == 2
    assert "nowhere in neither the units table nor the observations" in capsys.readouterr().err
    assert main(["status", "--data", str(communes), "--units", "all",
                 "--output", str(tmp_path / "table.xlsx")]) == 2
    assert "write .csv or .parquet" in capsys.readouterr().err


def test_status_units_parquet_needs_pyarrow(communes, tmp_path, capsys):
    try:
        import pyarrow  # noqa: F401
    except ImportError:
        assert main(["status", "--data", str(communes), "--units", "all",
                     "--output", str(tmp_path / "table.parquet")]) == 2
        assert "Parquet needs pyarrow" in capsys.readouterr().err
    else:
        output = tmp_path / "table.parquet"
        assert main(["status", "--data", str(communes), "--units", "xa-cu-pui",
                     "--workers", "0", "--paths", "100", "--output", str(output)]) == 0
        assert list(pd.read_parquet(output).columns) == COLUMNS


@pytest.fixture(scope="module")
def forty(tmp_path_factory):
    """40 synthetic communes: a run of some seconds on 2 workers."""
    observations, _ = synthetic.communes(40)
    path = tmp_path_factory.mktemp("forty") / "communes.csv"
    observations.to_csv(path, index=False)
    return path


def _read_into(stream, chunks: list[bytes]) -> threading.Thread:
    """Read ``stream`` into ``chunks`` in the background (a progress bar writes no newline)."""
    def read():
        for chunk in iter(lambda: stream.read1(4096), b""):
            chunks.append(chunk)
    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    return reader


def _alive(processes: list[psutil.Process]) -> list[int]:
    alive = []
    for process in processes:
        try:
            if process.is_running() and process.status() != psutil.STATUS_ZOMBIE:
                alive.append(process.pid)
        except psutil.NoSuchProcess:
            continue
    return alive


@pytest.mark.parametrize("group", [False, True], ids=["to-the-command", "ctrl-c-to-the-group"])
def test_sigint_ends_a_dask_run_at_once_with_one_line_and_no_process_left(forty, group):
    """SIGINT once the progress bar runs, to the command alone or, as Ctrl-C in a terminal
    does, to its whole process group (its workers too): exit 130 within seconds, one line
    ``interrupted`` after the bar and no traceback, and every process it started gone."""
    chunks: list[bytes] = []
    with subprocess.Popen(
            [sys.executable, "-m", "ktt", "status", "--data", str(forty), "--units", "all",
             "--workers", "2"], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
            start_new_session=True) as command:
        try:
            reader = _read_into(command.stderr, chunks)
            deadline = time.monotonic() + 300
            while b"units:" not in b"".join(chunks):
                assert command.poll() is None, b"".join(chunks)
                assert time.monotonic() < deadline, b"".join(chunks)
                time.sleep(0.1)
            started = psutil.Process(command.pid).children(recursive=True)
            assert len(started) >= 2  # the workers (and multiprocessing's resource tracker)
            (os.killpg if group else os.kill)(command.pid, signal.SIGINT)
            # the whole of stderr as text: pytest cuts a bytes message to a few hundred
            # characters, which hid what came between the bar's start and its end
            assert command.wait(timeout=60) == 130, b"".join(chunks).decode(errors="replace")
            reader.join(timeout=10)
        finally:
            if command.poll() is None:
                command.kill()
    stderr = b"".join(chunks).decode()
    assert "Traceback" not in stderr
    lines = stderr.rstrip("\n").split("\n")
    assert lines[-1] == "interrupted"
    assert len(lines) == 3, stderr  # the run's line, the progress bar's, the interrupt's
    deadline = time.monotonic() + 10
    while _alive(started) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert not _alive(started)


SWALLOWED = """
import os, signal, sys, time
import ktt.forecasting.many as many
from ktt.cli import main

real = many.forecast_batch
def forecast_batch(*args, **kwargs):
    if not getattr(forecast_batch, "done", False):
        forecast_batch.done = True
        try:  # as library code that catches everything does
            os.kill(os.getpid(), signal.SIGINT)
            time.sleep(5)
        except BaseException:
            pass
    return real(*args, **kwargs)
many.forecast_batch = forecast_batch
sys.exit(main(["status", "--data", sys.argv[1], "--units", "all", "--workers", "0",
               "--paths", "100"]))
"""


def test_a_swallowed_interrupt_still_ends_a_run_of_many_units(communes):
    """A Ctrl-C whose KeyboardInterrupt some code catches and drops still ends the run, after
    the batch of units under way, with the one line and exit 130 (it ran to its end and
    exited 0)."""
    done = subprocess.run([sys.executable, "-c", SWALLOWED, str(communes)],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 130, done.stderr
    assert done.stderr.rstrip("\n").split("\n")[-1] == "interrupted"
    assert "Traceback" not in done.stderr
    assert done.stdout == ""  # no table: the run did not go on


@pytest.mark.parametrize(("given", "said"), [
    (["--units", "xa-hoa-son", "--unit", "xa-cu-pui"], "--unit xa-cu-pui with --units xa-hoa-son"),
    (["--unit", "xa-hoa-son", "--workers", "2"], "--workers applies to many units at once"),
    (["--unit", "xa-hoa-son", "--output", "t.csv"], "--output applies to many units at once"),
    (["--units", "xa-hoa-son", "--workers", "-1"], "workers -1: give 0"),
])
def test_options_of_one_kind_of_run_are_not_silently_dropped_in_the_other(
        communes, given, said, capsys):
    # each was ignored (or, --workers -1, a traceback from deep in Dask)
    assert main(["status", "--data", str(communes), "--paths", "100", *given]) == 2
    err = capsys.readouterr().err
    assert said in err
    assert "Traceback" not in err
