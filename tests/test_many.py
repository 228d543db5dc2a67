"""Many units at once (ktt.forecasting.many): one table, the same on Dask as one by one, a bad
unit failing alone, and no worker process left behind."""

from __future__ import annotations

import faulthandler
import socket
import time

import dask
import pandas as pd
import psutil
import pytest

from ktt.errors import KttError
from ktt.forecasting.forecast import ForecastOptions, forecast_targets
from ktt.forecasting.many import (
    COLUMNS,
    FAILED,
    dask_client,
    descendants,
    forecast_units,
    lost_batch,
    needed_units,
    select_units,
    summary,
    tidy,
    unit_seed,
)
from ktt.inputs.synthetic import communes
from ktt.inputs.targets import load_plan
from ktt.inputs.units import load_units

OPTIONS = ForecastOptions(n_paths=100, as_of=2025)
STALE = "syn-commune-0007"
"""A unit whose record stops in 2022: as of 2025 it cannot be forecast."""
BROKEN = "syn-commune-0011"
"""A unit with a figure that is not a number."""


HANG = 600
"""Seconds after which a Dask test is taken to hang: the test process ends with every
thread's traceback (pytest-timeout is not installed)."""


@pytest.fixture(autouse=True)
def hang_guard():
    faulthandler.dump_traceback_later(HANG, exit=True)
    yield
    faulthandler.cancel_dump_traceback_later()


@pytest.fixture(scope="module")
def plan():
    return load_plan("krong-bong-192")


@pytest.fixture(scope="module")
def many():
    """50 synthetic communes, two of them bad."""
    observations, units = communes(50)
    stale = (observations["unit"] == STALE) & (observations["year"] > 2022)
    observations = observations[~stale].reset_index(drop=True)
    observations["value"] = observations["value"].astype(object)
    broken = (observations["unit"] == BROKEN) & (observations["indicator"] == "htx_new")
    observations.loc[broken[broken].index[0], "value"] = "mười"
    ids = list(units.loc[units["level"] == "commune", "unit"])
    return observations, units, ids


def _children() -> set[int]:
    """Live child processes, but Python's multiprocessing resource tracker: one helper per
    Python process, started with the first worker and ending with this process (it is no
    worker and holds no data)."""
    found = set()
    for child in psutil.Process().children(recursive=True):
        try:
            if (child.status() != psutil.STATUS_ZOMBIE
                    and "resource_tracker" not in " ".join(child.cmdline())):
                found.add(child.pid)
        except psutil.NoSuchProcess:
            continue
    return found


def _left_behind(before: set[int], wait: float = 10.0) -> set[int]:
    """Child processes started since ``before`` that are still alive after ``wait`` seconds
    at most (a worker takes a moment to exit after its nanny is told to stop)."""
    deadline = time.monotonic() + wait
    while True:
        extra = _children() - before
        if not extra or time.monotonic() > deadline:
            return extra
        time.sleep(0.2)


@pytest.fixture(scope="module")
def one_by_one(plan, many):
    observations, units, ids = many
    return forecast_units(plan, observations, ids, OPTIONS, units, progress=False)


def test_unit_seed_depends_on_seed_and_unit_only():
    assert unit_seed(2020, "a") == unit_seed(2020, "a")
    assert len({unit_seed(2020, "a"), unit_seed(2020, "b"), unit_seed(2021, "a")}) == 3


def test_select_units():
    units = load_units()
    observations = pd.DataFrame({"unit": ["krong-bong", "extra"]})
    assert select_units("all", units, observations) == ["krong-bong", "extra"]
    assert select_units(" krong-bong , extra,krong-bong", units, observations) == [
        "krong-bong", "extra"]
    assert select_units("within=dak-lak", units, observations) == [
        "krong-bong", "krong-ana", "krong-pac"]
    assert select_units("within=dak-lak-2025", units, observations) == [
        "xa-krong-bong", "xa-dang-kang", "xa-hoa-son", "xa-yang-mao", "xa-cu-pui"]
    assert len(descendants(units, "vietnam")) == len(units) - 1
    with pytest.raises(KttError, match="nowhere"):
        select_units("krong-bong,nowhere", units, observations)
    with pytest.raises(KttError, match="not a unit"):
        select_units("within=nowhere", units, observations)
    # a district that ended has no unit below it: its successors are named, not "no unit
    # selected"
    with pytest.raises(KttError, match=r"took over its area are xa-krong-bong, xa-dang-kang.*"
                                       r"--units xa-krong-bong,xa-dang-kang,"):
        select_units("within=krong-bong", units, observations)
    with pytest.raises(KttError, match=r"no unit has xa-hoa-son as its parent.*"
                                       r"--units xa-hoa-son\), or its parent's units "
                                       r"\(--units within=dak-lak-2025\)"):
        select_units("within=xa-hoa-son", units, observations)


def test_needed_units_follow_successors_and_pooling():
    units = load_units()
    assert needed_units("krong-bong", units) >= {"krong-bong", "xa-cu-pui", "xa-hoa-son"}
    assert "krong-ana" not in needed_units("krong-bong", units)
    assert "krong-ana" in needed_units("krong-bong", units, "province")


def test_table_holds_every_unit_and_target(plan, many, one_by_one):
    _, _, ids = many
    table = one_by_one
    assert list(table.columns) == COLUMNS
    ok = table[table["status"] != FAILED]
    assert ok.groupby("unit").size().eq(len(plan.targets)).all()
    assert list(dict.fromkeys(table["unit"])) == ids
    assert set(ok["status"]) <= {"met", "missed", "open"}
    assert ok["open_sdg"].isin(["achieved", "on_track", "moderate", "limited",
                                "deterioration", "insufficient_data"]).all()
    opened = ok[ok["status"] == "open"]
    assert opened["probability"].between(0, 1).all()
    assert (opened["lo80"] <= opened["hi80"]).all()
    assert list(summary(table)["target"]) == [t.id for t in plan.targets]  # the plan's order


def test_a_unit_is_its_own_forecast(plan, many, one_by_one):
    """A unit's rows are those of forecast_targets on its figures with its own seed."""
    observations, units, _ = many
    unit = "syn-commune-0003"
    seed = unit_seed(OPTIONS.seed, unit)
    alone = forecast_targets(plan, observations[observations["unit"] == unit], unit,
                             ForecastOptions(n_paths=100, as_of=2025, seed=seed), units=units)
    rows = one_by_one[one_by_one["unit"] == unit].reset_index(drop=True)
    pd.testing.assert_frame_equal(rows, tidy(alone, "syn-province-03", seed))


def test_bad_units_fail_alone(one_by_one):
    failed = one_by_one[one_by_one["status"] == FAILED]
    assert list(failed["unit"]) == [STALE, BROKEN]
    stale = failed.set_index("unit").loc[STALE, "error"]
    assert "as of 2025 is after syn-commune-0007's last figure (2022)" in stale
    assert failed.set_index("unit").loc[BROKEN, "error"]
    assert (one_by_one["status"] != FAILED).sum() == 48 * 7


def test_a_lost_task_fails_each_of_its_units(many):
    _, units, _ = many
    rows = lost_batch(["syn-commune-0001", "nowhere"], units, 2020, RuntimeError("worker died"))
    assert list(rows.columns) == COLUMNS
    assert list(rows["unit"]) == ["syn-commune-0001", "nowhere"]
    assert list(rows["parent"]) == ["syn-province-01", ""]
    assert set(rows["status"]) == {FAILED}
    assert set(rows["error"]) == {"RuntimeError: worker died"}
    assert rows["seed"].iloc[0] == unit_seed(2020, "syn-commune-0001")


def test_batches_do_not_change_the_table(plan, many, one_by_one):
    observations, units, ids = many
    some = ids[:12]
    batched = forecast_units(plan, observations, some, OPTIONS, units, batch_size=5,
                             progress=False)
    expected = one_by_one[one_by_one["unit"].isin(some)].reset_index(drop=True)
    pd.testing.assert_frame_equal(batched, expected)


def test_dask_local_cluster_gives_the_same_table(plan, many, one_by_one):
    """50 units on a local cluster of 2 worker processes: the same table as one by one, and
    no process left once the call returns."""
    observations, units, ids = many
    before = _children()
    streamed = []
    table = forecast_units(plan, observations, ids, OPTIONS, units, workers=2,
                           progress=False, on_result=streamed.append)
    assert not _left_behind(before)
    pd.testing.assert_frame_equal(table, one_by_one)
    assert sum(f["unit"].nunique() for f in streamed) == len(ids)


def test_no_process_left_after_an_error(plan, many):
    observations, units, ids = many
    before = _children()

    def interrupt(frame):
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        forecast_units(plan, observations, ids[:6], OPTIONS, units, workers=2,
                       batch_size=1, progress=False, on_result=interrupt)
    assert not _left_behind(before)


def test_an_existing_cluster_by_its_address(plan, many, one_by_one):
    """Given a scheduler's address the same call runs there, and leaves that cluster up.

    The cluster's workers are processes of one thread, as ``dask_client`` starts them: the
    model fits set warning filters, which are one per process (``warnings.catch_warnings``
    is not thread-safe), so in a threaded worker a fit may see another thread's filters."""
    from distributed import Client, LocalCluster

    observations, units, ids = many
    with LocalCluster(n_workers=1, threads_per_worker=1, processes=True,
                      dashboard_address=None) as cluster:
        table = forecast_units(plan, observations, ids[:4], OPTIONS, units,
                               scheduler=cluster.scheduler_address, progress=False)
        with Client(cluster.scheduler_address) as client:
            assert len(client.scheduler_info()["workers"]) == 1
    expected = one_by_one[one_by_one["unit"].isin(ids[:4])].reset_index(drop=True)
    pd.testing.assert_frame_equal(table, expected)


def test_a_local_cluster_starts_beside_another_on_port_8787(plan, many, one_by_one):
    """Dask's default HTTP port held by another process (another cluster's dashboard, as
    when several runs share a machine): the local cluster starts all the same and without a
    warning, which this suite's filterwarnings would turn into the start's RuntimeError."""
    observations, units, ids = many
    with socket.socket() as held:
        try:
            held.bind(("127.0.0.1", 8787))
            held.listen()
        except OSError:  # already held by another process: the same situation
            pass
        table = forecast_units(plan, observations, ids[:2], OPTIONS, units, workers=1,
                               progress=False)
    expected = one_by_one[one_by_one["unit"].isin(ids[:2])].reset_index(drop=True)
    pd.testing.assert_frame_equal(table, expected)


def test_workers_that_do_not_start_in_time_give_one_message_and_no_process():
    before = _children()
    with pytest.raises(KttError, match=r"did not start 2 workers within 0 s.*--workers 0"), \
            dask_client(2, timeout=0.01):
        pass
    assert not _left_behind(before)


def test_no_scheduler_at_the_address_gives_one_message(plan, many):
    observations, units, ids = many
    with dask.config.set({"distributed.comm.timeouts.connect": "1s"}), \
            pytest.raises(KttError, match=r"--scheduler tcp://127\.0\.0\.1:9: no Dask scheduler"):
        forecast_units(plan, observations, ids[:1], OPTIONS, units,
                       scheduler="tcp://127.0.0.1:9", progress=False)


def test_a_target_open_through_an_earlier_gap_has_no_interval_in_its_year(plan):
    # 5 founded every year but 2022, whose figure is missing: "at least 4 every year to 2025"
    # is open as of 2025, but 2025 is on record; its "interval" was the figure twice (5 to 5)
    rows = [("syn-x", y, "orgs_new", 5.0, "s", "q") for y in (2018, 2019, 2020, 2021, 2023,
                                                             2024, 2025)]
    observations = pd.DataFrame(rows, columns=["unit", "year", "indicator", "value", "source",
                                               "quote"])
    forecast = forecast_targets(plan, observations, "syn-x",
                                ForecastOptions(n_paths=100, as_of=2025))
    table = tidy(forecast).set_index("target")
    assert table.loc["T2025-formation", "status"] == "open"
    assert table.loc["T2025-formation", ["lo80", "hi80"]].isna().all()
    assert table.loc["T2025-formation", "median"] == 5.0  # the figure on record
    assert table.loc["T2030-formation", "lo80"] < table.loc["T2030-formation", "hi80"]
