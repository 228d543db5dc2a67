"""A kernel reused from report to report (``ktt report --all`` and ``--plans``): each report is
byte for byte the one a run of its own writes, a failed run does not change the next one, a
dead kernel is replaced, and no kernel leaves a socket file behind."""

from __future__ import annotations

import asyncio
import os
import signal
import tempfile
from pathlib import Path

import psutil
import pytest

from ktt import config
from ktt.report.kernel import FOLDER_PREFIX, start_kernel
from ktt.report.runner import run_on_kernel, run_report

FILES = ("summary.json", "report.html", "report.ipynb")
FAST = {"n_paths": 200}


def sockets_in_the_repository() -> list[Path]:
    """Socket files anywhere in the project but its virtual environment and git folder."""
    found = []
    for folder, dirs, files in os.walk(config.ROOT):
        dirs[:] = [d for d in dirs if d not in (".venv", ".git")]
        found += [Path(folder, f) for f in files if Path(folder, f).is_socket()]
    return found


@pytest.fixture(scope="module")
def alone(tmp_path_factory) -> Path:
    """policy-push rendered by a run of its own, on a new kernel."""
    output = tmp_path_factory.mktemp("alone")
    return run_report("policy-push", FAST, output, progress=False)


def test_a_report_on_a_reused_kernel_is_byte_for_byte_a_run_of_its_own(alone, tmp_path,
                                                                      monkeypatch):
    # a run that fails in the kernel: the forecast's own check of the as-of year, with the
    # runner's check before the kernel left out
    monkeypatch.setattr("ktt.report.runner.check_report", lambda parameters: None)
    kernel = start_kernel(config.NOTEBOOKS)
    try:
        results = list(run_on_kernel(
            [("baseline", "baseline", FAST),
             ("broken", "baseline", {**FAST, "as_of": 2099}),
             ("policy-push", "policy-push", FAST)], tmp_path, kernel))
    finally:
        kernel.stop()
    assert [name for name, *_ in results] == ["baseline", "broken", "policy-push"]
    assert results[0][1] == tmp_path / "baseline-n_paths-200"
    assert results[1][1] is None
    assert "failed with KttError: as of 2099 is after krong-bong's last figure" in results[1][2]
    assert results[2][1] == tmp_path / alone.name
    for name in FILES:  # after a run and a failed run on the same kernel
        assert (tmp_path / alone.name / name).read_bytes() == (alone / name).read_bytes(), name
    assert sockets_in_the_repository() == []


def test_a_dead_kernel_is_replaced_and_no_socket_is_left(alone, tmp_path):
    kernel = start_kernel(config.NOTEBOOKS)
    first = Path(kernel.manager.connection_file).parent
    assert first.name.startswith(f"{FOLDER_PREFIX}pid{os.getpid()}-")
    assert first.parent == Path(tempfile.gettempdir())
    try:
        os.kill(kernel.manager.provisioner.process.pid, signal.SIGKILL)
        kernel.reset(timeout=10)
        assert not first.exists()  # the dead kernel's sockets and connection file
        second = Path(kernel.manager.connection_file).parent
        assert second != first
        [(_, folder, error, _)] = run_on_kernel([("policy-push", "policy-push", FAST)],
                                                    tmp_path, kernel)
        assert error == ""
    finally:
        kernel.stop()
    assert not second.exists()
    assert (folder / "summary.json").read_bytes() == (alone / "summary.json").read_bytes()
    assert sockets_in_the_repository() == []


def test_a_killed_kernels_folder_is_removed_by_the_next_start():
    orphan = Path(tempfile.mkdtemp(prefix=f"{FOLDER_PREFIX}pid999999999-"))
    (orphan / "kernel-1").touch()
    mine = Path(tempfile.mkdtemp(prefix=f"{FOLDER_PREFIX}pid{os.getpid()}-"))  # a live one's
    kernel = start_kernel(config.NOTEBOOKS, "none")
    kernel.stop()
    assert not orphan.exists()
    assert mine.exists()
    mine.rmdir()


def test_a_reports_kernel_keeps_no_history(tmp_path, monkeypatch):
    # IPython's history wrote every cell into a SQLite file (~/.ipython): time spent on
    # every cell and every reset, for a history no report reads back
    monkeypatch.setenv("IPYTHONDIR", str(tmp_path))  # the kernel's profile, history.sqlite
    kernel = start_kernel(config.NOTEBOOKS, "none")
    try:
        # on the shell channel alone: the kernel's client has no iopub channel, and one
        # subscribed only now can miss the reply's messages (a fresh clone's run waited 60 s)
        msg_id = kernel.client.execute("get_ipython().history_manager.enabled",
                                       store_history=True)
        reply = kernel.client.get_shell_msg(timeout=60)
        while reply["parent_header"].get("msg_id") != msg_id:  # the preload's reply first
            reply = kernel.client.get_shell_msg(timeout=60)
        assert reply["content"]["status"] == "ok"
        kernel.reset()
    finally:
        kernel.stop()
    assert list(tmp_path.rglob("history.sqlite")) == []


def test_a_run_checked_by_run_all_is_not_checked_again(alone, tmp_path, monkeypatch):
    # run_all checks every run before its jobs start; a job's run takes those parameters
    # rather than parse the scenario and plan files again while its kernel waits
    from ktt.report import runner

    checked = runner._named("policy-push", FAST, config.FORECAST_NOTEBOOK)

    def again(*args):
        raise AssertionError("checked again")

    monkeypatch.setattr(runner, "_named", again)
    kernel = start_kernel(config.NOTEBOOKS)
    try:
        [(_, folder, error, _)] = run_on_kernel([("policy-push", "policy-push", FAST, checked)],
                                                tmp_path, kernel)
    finally:
        kernel.stop()
    assert error == ""
    assert (folder / "summary.json").read_bytes() == (alone / "summary.json").read_bytes()


def test_a_stopped_kernel_is_reaped_without_polling(monkeypatch):
    # jupyter_client waits for a killed kernel by polling it every 0.1 s: 0.1 s a report
    kernel = start_kernel(config.NOTEBOOKS, "none")
    process = psutil.Process(kernel.manager.provisioner.process.pid)
    naps = []
    sleep = asyncio.sleep

    def nap(delay, *args, **kwargs):
        naps.append(delay)
        return sleep(delay, *args, **kwargs)

    monkeypatch.setattr(asyncio, "sleep", nap)
    kernel.stop()
    assert 0.1 not in naps
    assert not process.is_running()
