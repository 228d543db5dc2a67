"""The cache on disk (``ktt.forecasting.cache``): a report reads the same backtest and forecast
it would compute, so a cold cache, a warm one and none give the same report, byte for byte; a
key changes with anything the result depends on."""

from __future__ import annotations

import multiprocessing
import time
from pathlib import Path

import pandas as pd

import ktt.report.forecast as kr
from ktt.forecasting import cache
from ktt.report import scenario_table
from ktt.report.runner import run_report
from ktt.report.scenario_table import baseline_of

FILES = ("summary.json", "report.html", "report.ipynb")


def test_a_report_is_the_same_with_a_cold_cache_a_warm_one_and_none(tmp_path, monkeypatch):
    store = tmp_path / "cache"
    folders = {}
    for run, setting in (("none", ""), ("cold", str(store)), ("warm", str(store))):
        monkeypatch.setenv("KTT_CACHE", setting)  # the kernel inherits it
        folders[run] = run_report("policy-push", {"n_paths": 200}, tmp_path / run,
                                  progress=False)
        if run == "cold":
            # the report's backtest and its baseline's (the same one): one file
            [written] = (store / "backtest").iterdir()
            stamp = written.stat().st_ino  # a write replaces the file: a new inode
            # the report's forecast and its baseline's
            forecasts = {p: p.stat().st_ino for p in (store / "forecast").iterdir()}
            assert len(forecasts) == 2
    assert written.stat().st_ino == stamp  # read, not written again
    assert list((store / "backtest").iterdir()) == [written]
    assert {p: p.stat().st_ino for p in (store / "forecast").iterdir()} == forecasts
    for name in FILES:
        assert (folders["cold"] / name).read_bytes() == (folders["none"] / name).read_bytes()
        assert (folders["warm"] / name).read_bytes() == (folders["none"] / name).read_bytes()


def figures(value: float) -> pd.DataFrame:
    return pd.DataFrame({"unit": ["a", "a"], "year": [2020, 2021], "indicator": ["x", "x"],
                         "value": [1.0, value]})


def test_the_key_follows_every_argument_and_the_figures():
    base = cache.key(sum, figures(2.0), "a", seed=1)
    assert cache.key(sum, figures(2.0), "a", seed=1) == base
    assert cache.key(sum, figures(2.5), "a", seed=1) != base
    assert cache.key(sum, figures(2.0), "b", seed=1) != base
    assert cache.key(sum, figures(2.0), "a", seed=2) != base
    assert cache.key(len, figures(2.0), "a", seed=1) != base
    assert cache.key(sum, figures(2.0).astype({"value": "float32"}), "a", seed=1) != base


def test_an_unreadable_entry_is_computed_again(tmp_path, monkeypatch):
    monkeypatch.setenv("KTT_CACHE", str(tmp_path))
    calls = []

    def count(frame: pd.DataFrame) -> int:
        calls.append(1)
        return len(frame)

    assert cache.cached(count, figures(1.0)) == 2
    assert cache.cached(count, figures(1.0)) == 2
    assert len(calls) == 1
    [entry] = (tmp_path / "backtest").iterdir()
    entry.write_bytes(b"not a pickle")
    assert cache.cached(count, figures(1.0)) == 2
    assert len(calls) == 2


def test_no_cache_when_the_variable_is_empty(tmp_path, monkeypatch):
    monkeypatch.setenv("KTT_CACHE", "")
    monkeypatch.chdir(tmp_path)
    assert cache.cached(len, figures(1.0)) == 2
    assert list(tmp_path.iterdir()) == []


def test_the_cache_keeps_the_most_recently_used_entries(tmp_path, monkeypatch):
    monkeypatch.setenv("KTT_CACHE", str(tmp_path))
    monkeypatch.setattr(cache, "KEEP", 3)
    calls = []

    def count(frame, label):
        calls.append(label)
        return label

    for label in "abcd":
        assert cache.cached(count, figures(1.0), label) == label
    kept = {p.name for p in (tmp_path / "backtest").iterdir()}
    assert len(kept) == 3  # "a", the oldest, is gone
    assert cache.cached(count, figures(1.0), "b") == "b"  # read: b is now the newest
    assert calls == list("abcd")
    assert cache.cached(count, figures(1.0), "a") == "a"  # computed again, and c goes
    assert calls == list("abcda")
    assert cache.cached(count, figures(1.0), "b") == "b"
    assert calls == list("abcda")


def test_other_frames_among_the_arguments_are_keyed_by_value():
    # a long frame's repr leaves rows out: a change there must still change the key
    units = pd.DataFrame({"unit": [f"u{i}" for i in range(100)], "level": "commune"})
    changed = units.copy()
    changed.loc[50, "level"] = "district"
    assert "u50" not in repr(units)
    base = cache.key(sum, figures(2.0), units=units)
    assert cache.key(sum, figures(2.0), units=units.copy()) == base
    assert cache.key(sum, figures(2.0), units=changed) != base
    assert cache.key(sum, figures(2.0), units) != cache.key(sum, figures(2.0), changed)


def test_each_kind_has_its_own_folder(tmp_path, monkeypatch):
    monkeypatch.setenv("KTT_CACHE", str(tmp_path))
    assert cache.cached(len, figures(1.0), kind="forecast") == 2
    assert [p.name for p in tmp_path.iterdir()] == ["forecast"]


def test_a_scenarios_baseline_is_the_baseline_reports_forecast(tmp_path, monkeypatch):
    monkeypatch.setenv("KTT_CACHE", str(tmp_path))
    monkeypatch.setattr(scenario_table, "_BASELINES", {})
    small = {"n_paths": 300, "lang": "en"}
    baseline = kr.prepare(**small)
    push = kr.prepare(**small, extra_foundings_per_year=2.0, scenario="policy-push")
    drive = kr.prepare(**small, dormant_dissolved=5, scenario="dissolution-drive")
    # the baseline's report stored its forecast: the scenarios read it, and share it
    stored = {p.name for p in (tmp_path / "forecast").iterdir()}
    assert baseline_of(baseline) is None
    assert baseline_of(push) is baseline_of(drive)
    assert {p.name for p in (tmp_path / "forecast").iterdir()} == stored
    pd.testing.assert_frame_equal(baseline_of(push).forecast.table, baseline.forecast.table)
    assert baseline_of(push).parameters["scenario"] == "baseline"
    # and the same as computed afresh, without a cache
    monkeypatch.setenv("KTT_CACHE", "")
    monkeypatch.setattr(scenario_table, "_BASELINES", {})
    fresh = baseline_of(kr.prepare(**small, extra_foundings_per_year=2.0))
    pd.testing.assert_frame_equal(fresh.forecast.table, baseline.forecast.table)


def _slow_count(frame: pd.DataFrame, log: str) -> int:
    """Counts its calls in the file ``log``, slowly enough for a second job to come."""
    with open(log, "a") as file:
        file.write("computed\n")
    time.sleep(0.5)
    return len(frame)


def _job(log: str) -> None:
    assert cache.cached(_slow_count, figures(1.0), log) == 2


def test_parallel_jobs_compute_an_entry_once(tmp_path, monkeypatch):
    monkeypatch.setenv("KTT_CACHE", str(tmp_path / "cache"))  # the jobs inherit it
    log = str(tmp_path / "calls.log")
    jobs = [multiprocessing.get_context("fork").Process(target=_job, args=(log,))
            for _ in range(2)]
    for job in jobs:
        job.start()
    for job in jobs:
        job.join(timeout=30)
    assert [job.exitcode for job in jobs] == [0, 0]
    assert Path(log).read_text() == "computed\n"  # the second job read what the first stored
    assert [p.suffix for p in (tmp_path / "cache" / "backtest").iterdir()] == [".pickle"]
