"""The backtest cache on disk (``ktt.forecasting.cache``): a report reads the same backtest it
would compute, so a cold cache, a warm one and none give the same report, byte for byte; a
key changes with anything the backtest depends on."""

from __future__ import annotations

import pandas as pd

from ktt.forecasting import cache
from ktt.report.runner import run_report

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
    assert written.stat().st_ino == stamp  # read, not written again
    assert list((store / "backtest").iterdir()) == [written]
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
