"""The command itself: instant answers and errors, typed parameters, clean interrupts, quiet
pipes, stale temporary folders. Most run ``ktt`` in a subprocess, as a user would."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import papermill
import psutil
import pytest

from ktt import config
from ktt.cli import METHODS, main
from ktt.errors import ScenarioError
from ktt.inputs.parameters import (
    MAX_PATHS,
    MAX_PATHS_MEMORY,
    MODEL_NAMES,
    convert_parameter,
    notebook_parameters,
)
from ktt.inputs.scenarios import load_scenario
from ktt.report.kernel import FOLDER_PREFIX
from ktt.report.runner import remove_stale

KTT = [sys.executable, "-m", "ktt"]
HEAVY = ("pandas", "scipy", "statsmodels", "papermill", "nbconvert", "nbformat", "jsonschema",
         "matplotlib")
FORECAST = config.FORECAST_NOTEBOOK


def ktt(*args: str, timeout: float = 120) -> subprocess.CompletedProcess:
    return subprocess.run([*KTT, *args], capture_output=True, text=True, timeout=timeout,
                          check=False, cwd=config.ROOT)


def imported_by(argv: list[str]) -> tuple[int, list[str]]:
    """The exit code of ``main(argv)`` in a fresh interpreter and the heavy modules it
    imported."""
    code = ("import sys, json\nfrom ktt.cli import main\ntry:\n    code = main(sys.argv[1:])\n"
            "except SystemExit as exc:  # --help\n    code = exc.code\n"
            f"print(json.dumps([code, [m for m in {HEAVY!r} if m in sys.modules]]))")
    done = subprocess.run([sys.executable, "-c", code, *argv], capture_output=True, text=True,
                          check=False, cwd=config.ROOT, timeout=120)
    code, modules = json.loads(done.stdout.strip().splitlines()[-1])
    return code, modules


# -- instant commands ----------------------------------------------------------------------

def test_help_imports_nothing_heavy():
    # what made it slow (3 s); its time is measured by benchmarks/bench_report.py
    done = subprocess.run([sys.executable, "-c", "import sys, ktt.cli; print([m for m in "
                           f"{HEAVY!r} if m in sys.modules])"], capture_output=True, text=True,
                          check=True, timeout=120)
    assert done.stdout.strip() == "[]"
    assert imported_by(["--help"]) == (0, [])
    assert imported_by(["report", "--help"]) == (0, [])


def test_template_and_errors_before_the_kernel_import_no_papermill(tmp_path):
    form = tmp_path / "form.csv"
    assert imported_by(["template", "--output", str(form)]) == (0, [])
    assert imported_by(["report", "nosuch"]) == (2, [])
    assert imported_by(["report", "-p", "n_paths", "many"]) == (2, [])
    assert imported_by(["report", "-p", "n_path", "10"]) == (2, [])
    assert imported_by(["report", "-p", "lang", "fr"]) == (2, [])
    assert imported_by(["report", "--list-parameters"]) == (0, [])
    # the scenarios' plans are loaded to check them, which takes pandas; no kernel's library
    code, modules = imported_by(["report", "--list-scenarios"])
    assert (code, set(modules) - {"pandas"}) == (0, set())


def test_validate_needs_pandas_only(write_csv):
    path = write_csv("krong-bong,2021,htx_new,3,s1,q\n")
    code, modules = imported_by(["validate", str(path)])
    assert code == 0
    assert modules == ["pandas"]


def test_data_and_range_errors_come_before_the_kernel_starts(write_csv, tmp_path):
    bad = write_csv("krong-bong,2021,htx_new,abc,s1,q\n")
    done = ktt("report", "-p", "data_path", str(bad), "--output", str(tmp_path / "out"))
    assert done.returncode == 2
    assert "'abc' is not a number" in done.stderr
    assert "Executing" not in done.stderr  # papermill never started
    done = ktt("report", "-p", "lang", "fr")
    assert done.returncode == 2
    assert done.stderr == "error: command line: parameter 'lang' = 'fr'; use one of vi, en\n"
    scenario = tmp_path / "odd.yaml"
    scenario.write_text("name: Odd\ndescription: x\nplan: krong-bong-192\n"
                        "parameters:\n  n_paths: 0\n", encoding="utf-8")
    done = ktt("report", str(scenario), "--output", str(tmp_path / "out"))
    assert done.returncode == 2
    assert f"parameter 'n_paths' = 0; give a whole number from 1 to {MAX_PATHS}" in done.stderr
    # a bad value in the file is the file's, even beside a good one on the command line
    scenario.write_text("name: Odd\ndescription: x\nplan: krong-bong-192\n"
                        "parameters:\n  dormant_dissolved: -5\n", encoding="utf-8")
    done = ktt("report", str(scenario), "-p", "n_paths", "100", "--output", str(tmp_path / "out"))
    assert done.stderr == (f"error: {scenario}: parameter 'dormant_dissolved' = -5 is negative; "
                           "give 0 for no scenario, or a number of organizations above 0\n")
    # NaN passed as not negative, and its report gave the formation target a probability of 0
    done = ktt("report", "-p", "extra_foundings_per_year", "nan", "--output",
               str(tmp_path / "out"))
    assert done.stderr == ("error: command line: parameter 'extra_foundings_per_year' = nan is "
                           "not a number; give 0 for no scenario, or a number of organizations "
                           "above 0\n")
    done = ktt("report", "-p", "seed", "-1")
    assert done.stderr == ("error: command line: parameter 'seed' = -1; give a whole number "
                           "of at least 0\n")
    assert not (tmp_path / "out").exists() or not list((tmp_path / "out").iterdir())


def test_more_paths_than_fit_are_refused_before_the_kernel_and_the_last_report_kept(
        tmp_path):
    # they ended in a MemoryError inside a notebook cell
    out, many = tmp_path / "out", str(MAX_PATHS + 1)
    (out / f"baseline-n_paths-{many}").mkdir(parents=True)
    (out / f"baseline-n_paths-{many}" / "report.html").write_text("the last good report",
                                                                  encoding="utf-8")
    done = ktt("report", "-p", "n_paths", many, "--output", str(out))
    assert done.returncode == 2
    assert done.stderr == (f"error: command line: parameter 'n_paths' = {many} is more than "
                           f"{MAX_PATHS}, the most a forecast simulates: its paths are held in "
                           f"memory at once ({MAX_PATHS_MEMORY} at {MAX_PATHS}), and more would "
                           "change no probability a report shows to two decimals; give a whole "
                           f"number from 1 to {MAX_PATHS}\n")
    assert [p.name for p in out.iterdir()] == [f"baseline-n_paths-{many}"]
    assert (out / f"baseline-n_paths-{many}" / "report.html").read_text(
        encoding="utf-8") == "the last good report"
    # a scenario's own is its file's, and the units dashboard's is refused as well
    scenario = tmp_path / "many.yaml"
    scenario.write_text("name: Many\ndescription: x\nplan: krong-bong-192\n"
                        f"parameters:\n  n_paths: {many}\n", encoding="utf-8")
    done = ktt("report", str(scenario), "--output", str(out))
    assert done.stderr.startswith(f"error: {scenario}: parameter 'n_paths' = {many} is more "
                                  f"than {MAX_PATHS}")
    done = ktt("report", "--notebook", "units", "-p", "n_paths", many, "--output", str(out))
    assert done.stderr.startswith(f"error: command line: parameter 'n_paths' = {many} is more")
    assert [p.name for p in out.iterdir()] == [f"baseline-n_paths-{many}"]


def last_good_report(tmp_path):
    """An output folder holding a report, ``mine/report.html``, that a refused run must keep."""
    out = tmp_path / "out"
    (out / "mine").mkdir(parents=True)
    (out / "mine" / "report.html").write_text("the last good report", encoding="utf-8")
    return out


def test_a_near_miss_of_the_reports_unit_is_refused_and_the_last_report_kept(write_csv,
                                                                              tmp_path):
    # reviewer trial: 2025's rows under krong-bongg were left out, the report read "figures to
    # 2024", said nothing of it, and replaced the good one
    out = last_good_report(tmp_path)
    typo = write_csv("krong-bong,2024,htx_new,3,s1,q\nkrong-bongg,2025,htx_new,4,s1,q\n",
                     name="mine.csv")
    done = ktt("report", "-p", "data_path", str(typo), "--output", str(out))
    assert done.returncode == 2
    assert done.stderr == (f"error: {typo}: unit 'krong-bongg' (2025) is not in data/units.csv "
                           "and is close to 'krong-bong', the unit read, so its figures would be "
                           "left out; correct the file's unit column to 'krong-bong', or, if "
                           "'krong-bongg' is a unit of your own, add a row for it to "
                           "data/units.csv\n")
    assert (out / "mine" / "report.html").read_text(encoding="utf-8") == "the last good report"
    done = ktt("status", "--data", str(typo), "--paths", "100")
    assert done.returncode == 2
    assert done.stderr.startswith(f"error: {typo}: unit 'krong-bongg' (2025) is not in")


def test_a_file_without_the_reports_unit_is_refused_and_the_last_report_kept(write_csv,
                                                                               tmp_path):
    out = last_good_report(tmp_path)
    typo = write_csv("krong-ana,2021,htx_new,3,s1,q\nkrong-bongg,2022,htx_new,4,s1,q\n",
                     name="mine.csv")
    done = ktt("report", "-p", "data_path", str(typo), "--output", str(out))
    assert done.returncode == 2
    assert done.stderr == (f"error: {typo}: no figure for unit 'krong-bong'; the file holds "
                           "figures for krong-bongg, krong-ana. Correct the file's unit column, "
                           "or give -p unit with one of these\n")
    blank = write_csv("krong-bong,2021,htx_new,,,\n", name="mine.csv")
    done = ktt("report", "-p", "data_path", str(blank), "--output", str(out))
    assert done.returncode == 2
    assert done.stderr == (f"error: {blank}: holds no figure yet; fill in the value column "
                           f"for the years you know, then check it with `ktt validate {blank}`\n")
    assert (out / "mine" / "report.html").read_text(encoding="utf-8") == "the last good report"
    # the communes that took over the district hold its figures from 2025
    communes = write_csv("xa-krong-bong,2026,htx_new,3,s1,q\n", name="mine.csv")
    from ktt.inputs.data import check_observations
    from ktt.inputs.parameters import check_unit

    check_unit({"data_path": str(communes), "plan": "krong-bong-192", "unit": ""},
               check_observations(communes)[0])


def test_the_names_the_command_holds_match_the_library():
    from ktt.forecasting.progress import METHODS as methods
    from ktt.models.fit import MODELS

    assert ("auto", *(m for family in MODELS.values() for m in family)) == MODEL_NAMES
    assert methods == METHODS


# -- typed parameters ----------------------------------------------------------------------

def test_the_parameters_cells_are_annotated_as_papermill_reads_them():
    for notebook in config.NOTEBOOKS.glob("*.ipynb"):
        seen = papermill.inspect_notebook(str(notebook))
        ours = notebook_parameters(notebook)
        assert list(seen) == list(ours)
        for name, described in seen.items():
            assert described["inferred_type_name"] != "None", (notebook.name, name)
            assert described["inferred_type_name"] == ours[name]["type"]
            assert described["default"] == ours[name]["default"]
            assert described["help"] == ours[name]["help"]


@pytest.fixture
def typed_notebook(tmp_path) -> Path:
    source = ('flag: bool = False  # a switch\ncount: int = 3  # how many\n'
              'share: float = 0.5  # a share\nword: str = "x"  # a word\n'
              'mapping: dict = {}  # a mapping')
    nb = {"cells": [{"cell_type": "code", "metadata": {"tags": ["parameters"]},
                     "source": source, "outputs": [], "execution_count": None}],
          "metadata": {}, "nbformat": 4, "nbformat_minor": 5}
    path = tmp_path / "typed.ipynb"
    path.write_text(json.dumps(nb), encoding="utf-8")
    return path


def test_command_line_values_take_the_type_of_the_default(typed_notebook):
    def convert(name, text):
        return convert_parameter(name, text, typed_notebook)

    assert convert("flag", "true") is True
    assert convert("flag", "False") is False
    for text in ("yes", "no", "on", "off", "1", "~"):
        with pytest.raises(ScenarioError, match=rf"parameter 'flag' = '{text}' should be bool"):
            convert("flag", text)
    assert convert("count", "12") == 12
    with pytest.raises(ScenarioError, match="should be int"):
        convert("count", "1.5")
    assert convert("share", "2") == 2.0
    assert isinstance(convert("share", "2"), float)
    for text in ("yes", "~", "007", "true", "1.5"):
        assert convert("word", text) == text  # a string stays as typed
    assert convert("mapping", "{formation_reading: mean}") == {"formation_reading": "mean"}
    with pytest.raises(ScenarioError, match="should be dict"):
        convert("mapping", "mean")
    # a brace left open is said as such, where "should be dict" sent the user to the type
    with pytest.raises(ScenarioError) as caught:
        convert("mapping", "{formation_reading: mean")
    assert str(caught.value) == (
        "command line: parameter 'mapping' = '{formation_reading: mean' cannot be read as YAML "
        "or JSON at character 25 (expected ',' or '}', but got '<stream end>'); write it like "
        "{formation_reading: mean}, in quotes for the shell")


def test_unknown_names_get_the_closest_one():
    with pytest.raises(ScenarioError, match=r"unknown parameter 'n_path'; did you mean "
                                            r"'n_paths'\? forecast.ipynb has data_path"):
        convert_parameter("n_path", "10", FORECAST)
    done = ktt("report", "-p", "polling", "province")
    assert done.returncode == 2
    assert "did you mean 'pooling'?" in done.stderr


def test_list_parameters_gives_type_default_and_meaning(capsys):
    assert main(["report", "--list-parameters"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0] == "parameters of forecast.ipynb (-p NAME VALUE):"
    rows = {line.split(":")[0]: line for line in out[1:]}
    assert list(rows) == list(notebook_parameters(FORECAST))
    assert rows["n_paths"].startswith("n_paths: int = 4000")
    assert rows["n_paths"].endswith("simulated paths per indicator")
    assert rows["readings"].startswith("readings: dict = {}")
    # ktt report reads a relative data_path from where one stands, not the project folder
    assert "from where you stand with ktt report -p" in rows["data_path"]
    # every model --model takes (damped_drift, auto's stock candidate, was left out)
    from ktt.models.fit import MODELS
    assert all(model in rows["model"] for kind in MODELS.values() for model in kind)
    assert "--list-parameters" in ktt("report", "--help").stdout
    # the dashboard's units as ktt status --units takes them (papermill reads no = in a help)
    assert main(["report", "--notebook", "units", "--list-parameters"]) == 0
    units = next(line for line in capsys.readouterr().out.splitlines()
                 if line.startswith("units:"))
    assert "as ktt status --units takes them" in units


def test_list_scenarios_gives_each_ones_plan_titles_description_and_parameters(
        tmp_path, capsys, monkeypatch):
    monkeypatch.setattr(config, "SCENARIOS", tmp_path)
    (tmp_path / "push.yaml").write_text(
        "name: {vi: Hỗ trợ, en: Push}\ndescription:\n  vi: >\n    Thêm hai\n    mỗi năm.\n"
        "  en: Two more\nplan: krong-bong-192\nparameters:\n  extra_foundings_per_year: 2.0\n"
        "  readings: {formation_reading: mean}\n", encoding="utf-8")
    (tmp_path / "base.yaml").write_text("name: Base\ndescription: As planned\n"
                                        "plan: vietnam-340\n", encoding="utf-8")
    assert main(["report", "--list-scenarios"]) == 0
    assert capsys.readouterr().out == (
        f"scenarios in {tmp_path}/ (ktt report NAME; what each parameter means: ktt report "
        "--list-parameters):\n"
        "base (plan vietnam-340): Base / Base\n  vi: As planned\n  en: As planned\n"
        "  sets: nothing: the notebook's defaults\n"
        "push (plan krong-bong-192): Hỗ trợ / Push\n  vi: Thêm hai mỗi năm.\n  en: Two more\n"
        '  sets: extra_foundings_per_year = 2.0, readings = {"formation_reading": "mean"}\n')
    # a scenario file that would not run is named, as a report of it would name it
    (tmp_path / "bad.yaml").write_text("name: Bad\ndescription: x\nplan: krong-bong-192\n"
                                       "parameters: {n_path: 10}\n", encoding="utf-8")
    assert main(["report", "--list-scenarios"]) == 2
    assert capsys.readouterr().err.startswith(
        f"error: {tmp_path / 'bad.yaml'}: unknown parameter 'n_path'; did you mean 'n_paths'?")


def test_every_shipped_scenario_is_listed(capsys):
    assert main(["report", "--list-scenarios"]) == 0
    listed = [line.split(" ")[0] for line in capsys.readouterr().out.splitlines()[1:]
              if not line.startswith(" ")]
    assert listed == sorted(p.stem for p in config.SCENARIOS.glob("*.yaml"))
    assert "--list-scenarios" in ktt("report", "--help").stdout


def test_a_scenario_needs_a_name_and_a_description(tmp_path):
    path = tmp_path / "bare.yaml"
    path.write_text("plan: krong-bong-192\nparameters: {}\n", encoding="utf-8")
    with pytest.raises(ScenarioError, match=rf"{path}: no name and no description; a scenario "
                                            "needs name:"):
        load_scenario(str(path))
    path.write_text("name: Bare\nplan: krong-bong-192\nparameters: {}\n", encoding="utf-8")
    with pytest.raises(ScenarioError, match=rf"{path}: no description;"):
        load_scenario(str(path))


# -- interrupts, pipes, stale folders ------------------------------------------------------

def _start_report(output: Path) -> subprocess.Popen:
    """A real ``ktt report`` run, in its own session (as a terminal's process group)."""
    return subprocess.Popen([*KTT, "report", "--output", str(output)], cwd=config.ROOT,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            start_new_session=True)


def _finish(run: subprocess.Popen, timeout: float = 60) -> str:
    """The run's stderr once it has ended; after ``timeout`` seconds its whole process group
    (the kernel too, which holds the pipes) is killed and the test fails, never hangs."""
    try:
        return run.communicate(timeout=timeout)[1]
    except subprocess.TimeoutExpired:
        os.killpg(run.pid, signal.SIGKILL)
        _, err = run.communicate(timeout=30)
        pytest.fail(f"the run did not end within {timeout} s; its stderr:\n{err}")


def _command_line(process: psutil.Process) -> str:
    """A process's command line; empty for one that has ended or is a zombie not yet reaped
    (a short-lived child of the run, on a loaded machine), which is no kernel."""
    try:
        return " ".join(process.cmdline())
    except (psutil.ZombieProcess, psutil.NoSuchProcess):
        return ""


def _wait_for_kernel(run: subprocess.Popen, output: Path, delay: float | None = 1.0
                     ) -> list[psutil.Process]:
    """Wait until the run has its temporary folder and a kernel, then ``delay`` seconds
    (None: as soon as the kernel's process exists, while it starts); return the kernel."""
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        kernels = [p for p in psutil.Process(run.pid).children(recursive=True)
                   if "ipykernel" in _command_line(p)]
        if kernels and delay is None:
            return kernels
        if kernels and list(output.glob(".tmp-*")):
            time.sleep(delay)  # 0: while nbclient waits for the kernel; 1: into the cells
            return kernels
        time.sleep(0.01 if delay is None else 0.1)
        time.sleep(0.1)
    raise AssertionError("the run never started its kernel")


@pytest.fixture
def kept_report(tmp_path) -> Path:
    """An output folder holding a last good report (a copy of the committed baseline)."""
    output = tmp_path / "reports"
    shutil.copytree(config.REPORTS / "baseline", output / "baseline")
    return output


@pytest.mark.parametrize(("signum", "delay"), [(signal.SIGINT, 1.0), (signal.SIGTERM, 1.0),
                                               (signal.SIGINT, 0.0), (signal.SIGTERM, 0.3),
                                               (signal.SIGINT, None), (signal.SIGTERM, None)])
def test_an_interrupt_says_one_line_and_leaves_the_last_good_report(kept_report, signum,
                                                                     delay):
    before = {p.name: p.read_bytes() for p in (kept_report / "baseline").iterdir()}
    run = _start_report(kept_report)
    kernels = _wait_for_kernel(run, kept_report, delay)
    if signum == signal.SIGINT:
        os.killpg(run.pid, signum)  # Ctrl-C reaches the whole process group
    else:
        run.send_signal(signum)
    err = _finish(run)
    assert run.returncode == 130, err
    assert "Traceback" not in err
    assert "Error" not in err
    assert "rror occurred" not in err
    lines = err.replace("\r", "\n").splitlines()
    assert lines[-1] == "interrupted; the last good report of baseline is kept"
    assert [p.name for p in kept_report.iterdir()] == ["baseline"]  # temp folder removed
    after = {p.name: p.read_bytes() for p in (kept_report / "baseline").iterdir()}
    assert after == before
    psutil.wait_procs(kernels, timeout=10)
    assert not any(k.is_running() and k.status() != psutil.STATUS_ZOMBIE for k in kernels)
    # nor the kernel's sockets and connection file
    assert list(Path(tempfile.gettempdir()).glob(f"{FOLDER_PREFIX}pid{run.pid}-*")) == []


def test_a_killed_runs_temporary_folder_is_removed_by_the_next_run(kept_report):
    run = _start_report(kept_report)
    kernels = _wait_for_kernel(run, kept_report)
    os.kill(run.pid, signal.SIGKILL)
    _finish(run)
    psutil.wait_procs(kernels, timeout=20)  # the kernel notices its parent is gone
    for kernel in kernels:
        if kernel.is_running():
            kernel.kill()
    stale = list(kept_report.glob(".tmp-*"))
    assert len(stale) == 1
    running = kept_report / f".tmp-baseline-pid{os.getpid()}-abc123"  # a live run's
    running.mkdir()
    assert remove_stale(kept_report) == stale
    assert running.exists()
    running.rmdir()
    done = ktt("report", "-p", "lang", "xx", "--output", str(kept_report))  # refused early
    assert done.returncode == 2
    (kept_report / ".tmp-baseline-pid999999999-zz").mkdir()
    done = ktt("report", "--output", str(kept_report), timeout=300)
    assert done.returncode == 0, done.stderr
    assert sorted(p.name for p in kept_report.iterdir()) == ["baseline", "index.html"]


def test_an_interrupt_before_any_report_says_none_was_written(tmp_path):
    run = _start_report(tmp_path)
    _wait_for_kernel(run, tmp_path, 0.5)
    run.send_signal(signal.SIGTERM)
    err = _finish(run)
    assert run.returncode == 130
    assert err.replace("\r", "\n").splitlines()[-1] == (
        "interrupted; no report of baseline was written")
    assert list(tmp_path.iterdir()) == []


def test_a_closed_pipe_ends_quietly():
    done = subprocess.run(f"{sys.executable} -m ktt validate {config.OBSERVATIONS} | head -1",
                          shell=True, capture_output=True, text=True, cwd=config.ROOT,
                          check=False, timeout=120)
    assert done.stdout.startswith(f"{config.OBSERVATIONS}: valid")
    assert done.stderr == ""
    done = subprocess.run(f"{sys.executable} -m ktt report --list-parameters | head -1",
                          shell=True, capture_output=True, text=True, cwd=config.ROOT,
                          check=False, timeout=120)
    assert done.stderr == ""


# -- quiet output ----------------------------------------------------------------------------

def test_a_report_run_prints_no_kernel_warning(tmp_path):
    done = ktt("report", "-p", "n_paths", "300", "--output", str(tmp_path), timeout=300)
    assert done.returncode == 0, done.stderr
    assert "TCP" not in done.stderr
    assert "IPKernelApp" not in done.stderr
    folder = tmp_path / "baseline-n_paths-300"  # never the scenario's own report
    assert done.stdout == f"report: {folder / 'report.html'}\n"
    assert folder.stat().st_mode & 0o777 == 0o777 & ~_umask()


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


# -- the walkthrough and --all -------------------------------------------------------------

def test_the_walkthrough_writes_a_folder_named_after_the_data_file(tmp_path):
    data = tmp_path / "figures"
    data.mkdir()
    for path in (config.DATA / "synthetic").glob("*.csv"):
        shutil.copy(path, data / path.name)
    mine = data / "my-figures.csv"
    (data / "krong-bong-example.csv").rename(mine)
    output = tmp_path / "reports"
    done = ktt("report", "-p", "data_path", str(mine), "-p", "n_paths", "300",
               "--output", str(output), timeout=300)
    assert done.returncode == 0, done.stderr
    folder = output / "my-figures-n_paths-300"
    # the file is outside the project: a note says a reviewer needs it at that very path
    note, written = done.stdout.splitlines()
    assert note.startswith(f"note: {mine} is outside the project")
    assert written == f"report: {folder / 'report.html'}"
    # never reports/baseline/; the index lists the user's own report, which the page links
    assert sorted(p.name for p in output.iterdir()) == ["index.html", folder.name]
    assert f"href='{folder.name}/report.html'" in (output / "index.html").read_text("utf-8")
    summary = json.loads((folder / "summary.json").read_text(encoding="utf-8"))
    assert summary["data"]["path"].endswith("my-figures.csv")


def test_a_data_file_inside_the_project_is_recorded_from_its_root(monkeypatch, tmp_path):
    # recorded as /home/analyst/ktt/data/..., the report could not be verified in a reviewer's
    # clone: `ktt verify` reran it on a path that is not there
    seen = {}

    def fake_run(scenario, overrides, output, notebook, name=None, kernel=None):
        kernel.stop()  # the command started it
        seen.update(overrides)
        return tmp_path

    monkeypatch.setattr("ktt.report.runner.run_report", fake_run)
    monkeypatch.chdir(tmp_path)  # given from elsewhere, and checked from the root
    mine = config.DATA / "synthetic" / "krong-bong-example.csv"
    assert main(["report", "-p", "data_path", str(mine)]) == 0
    assert seen["data_path"] == "data/synthetic/krong-bong-example.csv"


def test_a_data_file_named_like_a_folder_ktt_writes_gets_its_own(monkeypatch, tmp_path):
    seen = {}
    def fake_run(scenario, overrides, output, notebook, name=None, kernel=None):
        kernel.stop()  # the command started it
        seen.update(scenario=scenario, name=name)
        return tmp_path

    monkeypatch.setattr("ktt.report.runner.run_report", fake_run)
    path = tmp_path / "baseline.csv"
    shutil.copy(config.DATA / "synthetic" / "krong-bong-example.csv", path)
    for other in (config.DATA / "synthetic").glob("sources.csv"):
        shutil.copy(other, tmp_path / other.name)
    assert main(["report", "-p", "data_path", str(path)]) == 0
    assert seen == {"scenario": "baseline", "name": "baseline-data"}
    assert main(["report", "policy-push", "-p", "data_path", str(path)]) == 0
    # a named scenario's own report is kept; the folder's name says the data file, and does
    # not end as a plan's committed <plan>-baseline does
    assert seen == {"scenario": "policy-push", "name": "policy-push-baseline-data"}
    # a plan's committed report, the calibration suite's scores and the screenshots are kept
    for stem in ("vietnam-340-baseline", "calibration", "screenshots", "mine-policy-push",
                 "baseline-seed-7", "index.html"):
        path = path.rename(tmp_path / f"{stem}.csv")
        assert main(["report", "-p", "data_path", str(path)]) == 0
        assert seen == {"scenario": "baseline", "name": f"{stem}-data"}
    path = path.rename(tmp_path / "my-figures.csv")
    assert main(["report", "-p", "data_path", str(path)]) == 0
    assert seen == {"scenario": "baseline", "name": "my-figures"}


def test_all_prints_one_line_per_run(tmp_path, capsys):
    from ktt.report.runner import run_all

    _, errors = run_all(["baseline", "policy-push"], {"n_paths": 200}, tmp_path, jobs=2,
                            echo=True)
    assert errors == []
    lines = sorted(capsys.readouterr().out.splitlines())  # as each run ends
    assert len(lines) == 2
    for line, name in zip(lines, ("baseline-n_paths-200", "policy-push-n_paths-200"),
                          strict=True):
        first, seconds, unit, path = line.split()
        assert (first, unit, path) == (name, "s", str(tmp_path / name / "report.html"))
        assert float(seconds) > 0


def test_an_interrupted_all_stops_its_jobs_and_their_kernels(tmp_path):
    run = subprocess.Popen([*KTT, "report", "--all", "-p", "n_paths", "200", "--output",
                            str(tmp_path)], cwd=config.ROOT, stdout=subprocess.PIPE,
                           stderr=subprocess.PIPE, text=True, start_new_session=True)
    deadline = time.monotonic() + 120
    while not list(tmp_path.glob(".tmp-*")) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert list(tmp_path.glob(".tmp-*")), "no report started"
    family = psutil.Process(run.pid).children(recursive=True)  # jobs and kernels
    os.killpg(run.pid, signal.SIGINT)
    err = _finish(run)
    assert run.returncode == 130, err
    assert "Traceback" not in err
    assert err.replace("\r", "\n").splitlines()[-1] == "interrupted"
    psutil.wait_procs(family, timeout=20)
    assert not any(p.is_running() and p.status() != psutil.STATUS_ZOMBIE for p in family)
    assert list(tmp_path.glob(".tmp-*")) == []
    left = [folder for p in family
            for folder in Path(tempfile.gettempdir()).glob(f"{FOLDER_PREFIX}pid{p.pid}-*")]
    assert left == []


def test_gitignore_commits_the_shipped_plans_reports_and_no_other():
    if not (config.ROOT / ".git").exists():
        pytest.skip("not a git checkout")

    def ignored(folder: str) -> bool:
        return subprocess.run(["git", "check-ignore", "-q", f"reports/{folder}/report.html"],
                              cwd=config.ROOT, check=False).returncode == 0

    plans = sorted(p.stem for p in config.PLANS.glob("*.yaml") if p.stem != config.DEFAULT_PLAN)
    assert not ignored("baseline")
    for plan in plans:
        assert not ignored(f"{plan}-baseline"), plan
    # a report on a plan or figures of one's own, and a rerun with its overrides, stay private
    for folder in ("huyen-plan-baseline", "baseline-seed-7", "my-figures", "policy-push"):
        assert ignored(folder), folder


def test_the_commands_refuse_a_year_after_the_current_one(write_csv, tmp_path):
    from ktt.inputs.data import current_year

    later = current_year() + 1
    path = write_csv(f"krong-bong,2024,htx_new,3,s1,q\nkrong-bong,{later},htx_new,4,s1,q\n")
    message = f"{path}:3: column 'year': {later} is after this year ({current_year()})"
    for args in (["validate", str(path)], ["status", "--data", str(path)],
                 ["report", "-p", "data_path", str(path), "--output", str(tmp_path / "out")]):
        done = ktt(*args)
        assert done.returncode == 2, args
        assert message in done.stderr, args
    assert not (tmp_path / "out").exists()


def test_validate_and_status_name_a_district_total_a_missing_commune_blocks(write_csv):
    communes = ("xa-krong-bong", "xa-dang-kang", "xa-hoa-son", "xa-yang-mao", "xa-cu-pui")
    body = "".join(f"{c},2026,htx_new,1,s1,q\n" for c in communes[:4])
    body += "".join(f"{c},2026,tht_new,2,s1,q\n" for c in communes)
    # status said only "no figure for 2026", where validate had said why
    done = ktt("status", "--data", str(write_csv(body)), "--paths", "200")
    assert done.returncode == 0, done.stderr
    assert ("note: no total: krong-bong 2026 htx_new: xa-cu-pui has no figure (4 of 5 "
            "successors do); fill the blank to have krong-bong's figure\n") in done.stdout
    assert "tht_new: " not in done.stdout
    done = ktt("validate", str(write_csv(body)))
    assert done.returncode == 0
    # htx_new, and the orgs_new derived from it and tht_new
    assert ("note: 2 total(s) of a unit that ended cannot be made, because a successor has no "
            "figure") in done.stdout
    for code in ("htx_new", "orgs_new"):
        assert f"  krong-bong 2026 {code}: xa-cu-pui has no figure (4 of 5 successors do)\n" in (
            done.stdout)
    assert "tht_new" not in done.stdout.split("note:")[1]  # every commune has it
    # a commune that gives its orgs_new whole, beside four that give its parts: summed
    body = "".join(f"{c},2026,htx_new,1,s1,q\n{c},2026,tht_new,2,s1,q\n" for c in communes[:4])
    done = ktt("validate", str(write_csv(body + "xa-cu-pui,2026,orgs_new,3,s1,q\n")))
    assert "orgs_new" not in done.stdout.split("note:")[-1]
