"""Many units at once: every unit's targets in one tidy table, one by one or on Dask.

Forecasting a unit is independent of the others (pooling reads the others' figures, not their
forecasts), so units fan out: in this process one after another (the default), on a local
Dask cluster of worker processes that starts and stops with the call, or on an existing
cluster given its scheduler's address. Each task forecasts a batch of units; results stream
back under a progress bar.

The numbers do not depend on how the work is split: each unit's seed derives from the run's
seed and the unit's id (``unit_seed``), and each task receives only the figures its units
need (``needed_units``: the unit, the successors summed into it and, with pooling, its
province's other units). A unit whose data cannot be forecast fails alone: its row says
``status = "failed"`` with the message in ``error``, and the run goes on.

An existing cluster's workers should be processes of one thread each (``dask worker ADDRESS
--nthreads 1``), as the local cluster's are: the model fits set warning filters, which are one
per process (``warnings.catch_warnings`` is not thread-safe), so two fits in threads of one
process may see each other's filters and take another fallback (seen under ``-W error``).
"""

from __future__ import annotations

import dataclasses
import math
import zlib
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager

import numpy as np
import pandas as pd

from ktt.errors import KttError
from ktt.forecasting.forecast import ForecastOptions, forecast_targets, year_intervals
from ktt.forecasting.options import first_figures
from ktt.inputs.indicators import derive
from ktt.inputs.targets import TargetSet, default_as_of
from ktt.inputs.units import load_units, successors_of

METHODS = ("open_sdg", "unsd", "escap")
"""The official progress classes (``ktt.forecasting.progress.METHODS``)."""
COLUMNS = ["unit", "parent", "target", "indicator", "rule", "threshold", "end", "status",
           "probability", "likelihood", "median", "lo80", "hi80", "model", "required_pace",
           "recent_pace", "pace_ratio", "years_left",
           *[c for m in METHODS for c in (m, f"{m}_ratio")], "seed", "note", "error"]
"""Columns of the table ``forecast_units`` returns, one row per unit and target (one row per
failed unit, ``target`` empty)."""
FAILED = "failed"
"""The ``status`` of a unit that could not be forecast."""


def unit_seed(seed: int, unit: str) -> int:
    """The seed of one unit's forecast: a function of the run's seed and the unit id only, so a
    unit's numbers do not depend on which other units run, in which order or on how many
    workers (the same keying as ``ktt.forecasting.streams.stream``)."""
    state = np.random.SeedSequence([seed, zlib.crc32(unit.encode())]).generate_state(1)
    return int(state[0])


def descendants(units: pd.DataFrame, root: str) -> list[str]:
    """Every unit below ``root`` in the units table (children, their children, ...), in the
    table's order."""
    children: dict[str, list[str]] = {}
    for unit, parent in zip(units["unit"], units["parent"], strict=True):
        children.setdefault(parent, []).append(unit)
    found, todo = set(), [root]
    while todo:
        for child in children.get(todo.pop(), []):
            if child not in found:
                found.add(child)
                todo.append(child)
    return [u for u in units["unit"] if u in found]


def select_units(spec: str, units: pd.DataFrame, observations: pd.DataFrame) -> list[str]:
    """The unit ids a ``--units`` value names.

    Parameters
    ----------
    spec : str
        ``all`` (every unit with a figure in ``observations``), ``ID,ID,...``, or
        ``within=ID`` (every unit below ``ID`` in the units table, e.g. a province's
        communes).
    units : pandas.DataFrame
        The units table.
    observations : pandas.DataFrame
        The observations.

    Raises
    ------
    KttError
        For a unit in neither the units table nor the observations, or a selection that names
        no unit.
    """
    known = list(dict.fromkeys([*units["unit"], *observations["unit"]]))
    spec = spec.strip()
    if spec == "all":
        present = set(observations["unit"])
        chosen = [u for u in known if u in present]
    elif spec.startswith("within="):
        root = spec.removeprefix("within=").strip()
        if root not in set(units["unit"]):
            raise KttError(f"--units within={root}: {root} is not a unit of the units table "
                           "(data/units.csv); give a province or country id, e.g. "
                           "within=dak-lak-2025")
        chosen = descendants(units, root)
        if not chosen:
            raise KttError(f"--units within={root}: no unit has {root} as its parent in the "
                           f"units table (data/units.csv); {_instead_of(root, units)}")
    else:
        chosen = list(dict.fromkeys(u.strip() for u in spec.split(",") if u.strip()))
        unknown = [u for u in chosen if u not in set(known)]
        if unknown:
            raise KttError(f"--units: {', '.join(unknown)} in neither the units table nor the "
                           "observations; give ids of data/units.csv or of the data file")
    if not chosen:
        raise KttError(f"--units {spec}: no unit selected; give all, ID,ID,... or within=ID")
    return chosen


def _instead_of(root: str, units: pd.DataFrame) -> str:
    """What to select instead of ``within=root`` when nothing is below ``root``: the units
    that took over its area, or its parent's units."""
    successors = successors_of(units, root)
    if successors:
        return (f"the units that took over its area are {', '.join(successors)}: give "
                f"--units {','.join(successors)}")
    parent = units.loc[units["unit"] == root, "parent"].iloc[0]
    return (f"give its id alone (--units {root})"
            + (f", or its parent's units (--units within={parent})" if parent else ""))


def needed_units(unit: str, units: pd.DataFrame, pooling: str = "none") -> set[str]:
    """The units whose figures a forecast of ``unit`` reads: itself, the successors summed
    into it (and theirs), and with ``pooling="province"`` the other units of its province."""
    needed, todo = set(), [unit]
    while todo:
        current = todo.pop()
        if current in needed:
            continue
        needed.add(current)
        todo += successors_of(units, current)
    if pooling == "province":
        parent = units.loc[units["unit"] == unit, "parent"]
        if len(parent) and parent.iloc[0]:
            for sibling in units.loc[units["parent"] == parent.iloc[0], "unit"]:
                needed |= needed_units(sibling, units) if sibling not in needed else set()
    return needed


def check_base_year(frame: pd.DataFrame, unit_ids: Sequence[str], codes: Sequence[str],
                    base_year: int, as_of: int | None = None) -> None:
    """Refuse, once for the whole run, a base year that some of the units would refuse one by
    one (``ktt.forecasting.options.check_options``): one not before a unit's as-of year, or
    before its first figure of the plan's indicators, from which its official classes would
    measure instead. A unit without a figure is left to its own forecast, which says so.

    Parameters
    ----------
    frame : pandas.DataFrame
        The figures, derived indicators included (``ktt.inputs.indicators.derive``).
    unit_ids : sequence of str
        The units of the run.
    codes : sequence of str
        The indicators of the plan's targets as read.
    base_year : int
        The base year asked for.
    as_of : int, optional
        The run's as-of year; default each unit's last year with a figure.

    Raises
    ------
    KttError
        Naming each unit it does not suit with its first figure's year and its as-of year,
        and the years that suit every unit, or none.
    """
    found = {}  # unit -> (first figure of the plan's indicators, as-of year)
    for unit in unit_ids:
        if not (frame["unit"] == unit).any():
            continue
        last = as_of or default_as_of(frame, unit)
        if years := first_figures(frame, unit, codes, until=last).values():
            found[unit] = (min(years), last)
    wrong = {unit: years for unit, years in found.items()
             if not years[0] <= base_year < years[1]}
    if not wrong:
        return
    each = ", ".join(f"{unit} (first figure {first}, as of {last})"
                     for unit, (first, last) in wrong.items())
    lowest = max(first for first, _ in found.values())
    highest = min(last for _, last in found.values()) - 1
    plans = "none for the plan's, from which each unit measures at its first figure or later"
    give = (f"give a year from {lowest} to {highest}, which suits every unit, or {plans}"
            if lowest <= highest else
            f"no year suits every unit (their first figures reach {lowest}, their as-of years "
            f"start at {highest + 1}); give {plans}, or fewer units at a time (--units ID,ID)")
    raise KttError(f"base year {base_year} (--base-year) does not suit {len(wrong)} of the "
                   f"{len(found)} units with figures, as a base year must be at or after a "
                   "unit's first figure of the plan's indicators and before its as-of year: "
                   f"{each}. No unit was forecast; {give}")


def tidy(forecast, parent: str = "", seed: int | None = None) -> pd.DataFrame:
    """One unit's ``Forecast`` as rows of the many-unit table (``COLUMNS``), an interval only
    where the target year is forecast (``year_intervals``)."""
    table = year_intervals(forecast.table)
    rows = pd.DataFrame({
        "unit": forecast.unit, "parent": parent, "target": table["id"],
        "indicator": table["indicator"], "rule": table["reading"],
        "threshold": table["threshold"].map(_number), "end": table["end"].astype(int),
        "status": table["status"], "probability": table["probability"].astype(float),
        "likelihood": table["likelihood"], "median": table["median"].astype(float),
        "lo80": table["lo80"].astype(float), "hi80": table["hi80"].astype(float),
        "model": table["model"], "required_pace": table["required_pace"].astype(float),
        "recent_pace": table["recent_pace"].astype(float),
        "pace_ratio": table["pace_ratio"].astype(float),
        "years_left": table["years_left"].map(len),
        "seed": seed if seed is not None else forecast.settings.get("seed"),
        "note": table["note"], "error": ""})
    for method in METHODS:
        found = table["progress"].map(lambda ps, m=method: next(
            (p for p in ps if p.method == m), None))
        rows[method] = found.map(lambda p: p.category if p else "")
        rows[f"{method}_ratio"] = found.map(lambda p: float(p.ratio) if p else math.nan)
    return typed(rows[COLUMNS])


INTEGERS = ("end", "years_left")
"""Whole-number columns, empty (``<NA>``) in a failed unit's row."""
TEXT = ("unit", "parent", "target", "indicator", "rule", "status", "likelihood", "model",
        *METHODS, "note", "error")
"""Text columns, empty strings where nothing applies."""


def typed(table: pd.DataFrame) -> pd.DataFrame:
    """The table with one dtype per column whatever rows it holds: ``INTEGERS`` nullable
    integers, ``seed`` int64, ``TEXT`` strings, the rest floats."""
    kinds = {c: ("Int64" if c in INTEGERS else "int64" if c == "seed" else
                 str if c in TEXT else "float64") for c in COLUMNS}
    return table.astype(kinds)


def _number(value) -> float:
    """A number as float; NaN for anything else (a range's two ends, None)."""
    try:
        return float(value)
    except (TypeError, ValueError):
        return math.nan


def failed_row(unit: str, parent: str, seed: int, error: BaseException) -> pd.DataFrame:
    """The one row of a unit that could not be forecast: its message in ``error``."""
    message = str(error).strip() or type(error).__name__
    if not isinstance(error, KttError):
        message = f"{type(error).__name__}: {message}"
    row = dict.fromkeys(COLUMNS, math.nan) | {
        "unit": unit, "parent": parent, "target": "", "indicator": "", "rule": "",
        "status": FAILED, "likelihood": "", "model": "", "note": "", "error": message,
        "seed": seed, **{m: "" for m in METHODS}}
    return typed(pd.DataFrame([row], columns=COLUMNS))


def figures_of(by_unit: dict[str, pd.DataFrame], unit_ids: Sequence[str],
               units: pd.DataFrame, pooling: str, empty: pd.DataFrame) -> pd.DataFrame:
    """The figures that forecasts of ``unit_ids`` read (``needed_units``), from ``by_unit``
    (the observations grouped by unit); ``empty`` (the observations' columns, no row) when
    there are none."""
    needed = set().union(*(needed_units(u, units, pooling) for u in unit_ids))
    parts = [by_unit[u] for u in sorted(needed) if u in by_unit]
    return pd.concat(parts, ignore_index=True) if parts else empty


def forecast_batch(targets: TargetSet, observations: pd.DataFrame, batch: Sequence[str],
                   options: ForecastOptions, units: pd.DataFrame) -> pd.DataFrame:
    """Forecast each unit of ``batch`` with its own seed (``unit_seed``) on the figures it
    reads (``needed_units``); a unit that raises gives its ``failed_row`` and the others go
    on. This is the task a Dask worker runs."""
    parents = dict(zip(units["unit"], units["parent"], strict=True))
    by_unit = dict(tuple(observations.groupby("unit", sort=False)))
    empty = observations.iloc[:0]
    frames = []
    for unit in batch:
        seed = unit_seed(options.seed, unit)
        try:
            # only the figures this unit reads: another unit's bad row cannot fail it
            figures = figures_of(by_unit, [unit], units, options.pooling, empty)
            result = forecast_targets(targets, figures, unit,
                                      dataclasses.replace(options, seed=seed), units=units)
            frames.append(tidy(result, parents.get(unit, ""), seed))
        except Exception as error:  # a unit fails alone, with its message
            frames.append(failed_row(unit, parents.get(unit, ""), seed, error))
    return pd.concat(frames, ignore_index=True)


def _batches(unit_ids: Sequence[str], size: int) -> list[list[str]]:
    return [list(unit_ids[i:i + size]) for i in range(0, len(unit_ids), size)]


TASKS_PER_WORKER = 32
"""Tasks a worker gets at least, when there are units enough: the last tasks finish at about
the same time on every worker, so that none waits long for the others at the end."""
MAX_BATCH = 10
"""Units per task at most (about 10 s of work), so that results stream back."""


def default_batch_size(n_units: int, n_workers: int) -> int:
    """Units per task: ``TASKS_PER_WORKER`` tasks a worker or more, ``MAX_BATCH`` units at
    most. A unit takes about a second, against milliseconds of Dask's overhead a task, so
    even one unit a task loses little."""
    return max(1, min(MAX_BATCH, math.ceil(n_units / (TASKS_PER_WORKER * max(1, n_workers)))))


START_TIMEOUT = 120
"""Seconds a local cluster's workers may take to start (a few on an idle machine; much more
on a loaded one) before the call gives up with a message."""
SINGLE_THREADED = {"OMP_NUM_THREADS": 1, "OPENBLAS_NUM_THREADS": 1, "MKL_NUM_THREADS": 1}
"""Set in each worker process before it starts: one worker per core, each with one BLAS
thread, so that the workers do not oversubscribe the cores (distributed's default, restated
in case a user's Dask configuration changed it)."""


def quiet_worker() -> None:
    """Settle a local worker process once it is up (``client.run``, in its main thread).

    - Ctrl-C reaches the command's whole process group, workers too, where asyncio would
      turn it into a traceback on the command's stderr; the command stops its workers itself,
      so they ignore it.
    - tqdm's bars lock with a thread lock. Its default holds a multiprocessing lock, a named
      semaphore in a spawned worker; the backtest makes a (disabled) bar in every forecast,
      and a worker stopped in the middle of a task never frees that semaphore, so the
      resource tracker warns of it on stderr after the command's last line.
    """
    import signal
    import threading

    from tqdm import tqdm

    signal.signal(signal.SIGINT, signal.SIG_IGN)
    tqdm.set_lock(threading.RLock())


@contextmanager
def dask_client(workers: int = 2, scheduler: str | None = None,
                timeout: float = START_TIMEOUT) -> Iterator:
    """A ``distributed.Client``: on the cluster at ``scheduler`` when given, else on a local
    cluster of ``workers`` processes (one thread each) that closes with the block, whatever
    ends it (an error or Ctrl-C), so that no worker process is left behind. Each local worker,
    once up, runs ``quiet_worker``.

    Raises
    ------
    KttError
        When the local cluster's workers have not all started within ``timeout`` seconds, or
        no scheduler answers at ``scheduler`` (within Dask's connect timeout).
    """
    import logging

    import dask
    from distributed import Client, LocalCluster

    if scheduler:
        try:
            client = Client(scheduler)  # within distributed.comm.timeouts.connect (30 s)
        except OSError as error:
            raise KttError(f"--scheduler {scheduler}: no Dask scheduler answered "
                           f"({error})") from None
        with client:
            yield client
        return
    # The scheduler starts alone (quick) and its workers after, under the `with`: Ctrl-C
    # while they start closes them too, where an interrupted LocalCluster(n_workers=N)
    # would leave its half-started cluster to the end of the process.
    # Its HTTP server (health and metrics; the dashboard stays off) binds a free port
    # of the loopback: the default, 8787, is often another cluster's, and the warning that
    # distributed then gives failed the cluster's start where warnings are errors (pytest).
    # Dask logs only what is critical: a task's error comes back through its future (the
    # unit's message in the table); a worker's own error log would repeat it or, after
    # Ctrl-C, complain of the data that the closing client takes away from under it.
    with (dask.config.set({f"distributed.nanny.pre-spawn-environ.{name}": value
                           for name, value in SINGLE_THREADED.items()}),
          LocalCluster(n_workers=0, threads_per_worker=1, processes=True,
                       dashboard_address=None, silence_logs=logging.CRITICAL,
                       scheduler_kwargs={"dashboard_address": "127.0.0.1:0"}) as cluster,
          Client(cluster) as client):
        cluster.scale(workers)
        try:
            client.wait_for_workers(workers, timeout=timeout)
        except TimeoutError:
            raise KttError(f"the local Dask cluster did not start {workers} workers within "
                           f"{timeout:.0f} s; give fewer --workers, or --workers 0 to run the "
                           "units one by one") from None
        client.run(quiet_worker)
        yield client


def forecast_units(targets: TargetSet, observations: pd.DataFrame, unit_ids: Sequence[str],
                   options: ForecastOptions | None = None, units: pd.DataFrame | None = None,
                   *, workers: int = 0, scheduler: str | None = None,
                   batch_size: int | None = None, progress: bool = True,
                   on_result: Callable[[pd.DataFrame], None] | None = None) -> pd.DataFrame:
    """Forecast every target of many units into one tidy table.

    Parameters
    ----------
    targets : TargetSet
        The plan (``ktt.inputs.targets.load_plan``); every unit is held to its targets.
    observations : pandas.DataFrame
        Every unit's figures (``ktt.inputs.data.load_observations``).
    unit_ids : sequence of str
        The units (``select_units``).
    options : ForecastOptions, optional
        As for ``forecast_targets``; its ``seed`` is the run's seed, from which each unit's
        own derives (``unit_seed``).
    units : pandas.DataFrame, optional
        Units table; default ``data/units.csv``.
    workers : int
        0 (the default): one unit after another in this process. N >= 1: on a local Dask
        cluster of N worker processes, started and stopped by this call.
    scheduler : str, optional
        Address of an existing Dask scheduler (``tcp://host:8786``); ``workers`` is then
        ignored and the cluster is left running.
    batch_size : int, optional
        Units per task on Dask; default ``default_batch_size`` for the cluster's workers (one
        by one in this process, the bar moves by this many units).
    progress : bool
        Show a tqdm progress bar (on stderr).
    on_result : callable, optional
        Called with each batch's rows as they arrive.

    Returns
    -------
    pandas.DataFrame
        ``COLUMNS``: one row per unit and target in the order of ``unit_ids`` and of the
        plan's targets; a unit that failed has one row, ``status`` ``failed`` and its message
        in ``error``. The same inputs give the same table whatever ``workers`` and
        ``batch_size`` are.

    Raises
    ------
    KttError
        For ``options.base_year`` that some of the units would refuse (``check_base_year``),
        once, before any unit is forecast; or for ``workers`` below 0.
    """
    from tqdm import tqdm

    if workers < 0:
        raise KttError(f"workers {workers}: give 0 to run the units one by one in this process, "
                       "or the number of worker processes (--workers N; -p workers N in a "
                       "report)")
    options = options or ForecastOptions()
    units = load_units() if units is None else units
    unit_ids = list(dict.fromkeys(unit_ids))
    if options.base_year is not None:
        check_base_year(derive(observations, units), unit_ids,
                        [t.indicator for t in targets.resolve(options.readings)],
                        options.base_year, options.as_of)
    by_unit = dict(tuple(observations.groupby("unit", sort=False)))
    empty = observations.iloc[:0]

    def figures(batch: list[str]) -> pd.DataFrame:
        return figures_of(by_unit, batch, units, options.pooling, empty)

    frames = []

    def take(bar, batch: list[str], frame: pd.DataFrame) -> None:
        frames.append(frame)
        bar.update(len(batch))
        if on_result:
            on_result(frame)

    def progress_bar():
        return tqdm(total=len(unit_ids), unit="unit", disable=not progress, desc="units")

    if not workers and not scheduler:
        with progress_bar() as bar:
            for batch in _batches(unit_ids, batch_size or 1):
                take(bar, batch, forecast_batch(targets, figures(batch), batch, options, units))
    else:
        from asyncio import CancelledError

        from distributed import as_completed

        # the bar starts once the workers are up: it counts units, not the cluster's start
        with dask_client(workers, scheduler) as client, progress_bar() as bar:
            n_workers = len(client.scheduler_info()["workers"]) or workers or 1
            batches = _batches(unit_ids, batch_size or default_batch_size(len(unit_ids),
                                                                          n_workers))
            shared_targets, shared_units = client.scatter([targets, units], broadcast=True)
            futures = {client.submit(forecast_batch, shared_targets, figures(batch), batch,
                                     options, shared_units, pure=False): batch
                       for batch in batches}
            # every future is kept to the end: a future dropped in the loop is released in its
            # __del__, where a Ctrl-C's KeyboardInterrupt would be swallowed (results are small)
            for future in as_completed(futures):
                batch = futures[future]
                try:
                    frame = future.result()
                except (Exception, CancelledError) as error:  # a lost task fails its units
                    frame = lost_batch(batch, units, options.seed, error)
                take(bar, batch, frame)
    return typed(order(pd.concat(frames, ignore_index=True), unit_ids, targets))


def lost_batch(batch: Sequence[str], units: pd.DataFrame, seed: int,
               error: BaseException) -> pd.DataFrame:
    """The rows of a task that gave no table (its worker died, it was cancelled): each of its
    units fails with ``error``."""
    parents = dict(zip(units["unit"], units["parent"], strict=True))
    return pd.concat([failed_row(u, parents.get(u, ""), unit_seed(seed, u), error)
                      for u in batch], ignore_index=True)


def order(table: pd.DataFrame, unit_ids: Sequence[str], targets: TargetSet) -> pd.DataFrame:
    """Rows in the order of ``unit_ids``, then of the plan's targets (a failed unit's one row
    in its unit's place)."""
    unit_rank = {u: i for i, u in enumerate(unit_ids)}
    target_rank = {t.id: i for i, t in enumerate(targets.targets)}
    keys = pd.DataFrame({"u": table["unit"].map(unit_rank),
                         "t": table["target"].map(target_rank).fillna(-1)})
    return table.iloc[np.lexsort((keys["t"], keys["u"]))].reset_index(drop=True)


def summary(table: pd.DataFrame) -> pd.DataFrame:
    """Per target, in the plan's order: units met, missed and open, and the mean probability
    of the open ones (a province's or the country's view of its units). A unit that failed
    has no target (its one row, ``failed_row``) and is not counted here."""
    done = table[table["status"] != FAILED]
    counts = pd.crosstab(done["target"], done["status"]).reindex(
        index=list(dict.fromkeys(done["target"])), columns=["met", "missed", "open"],
        fill_value=0)
    opened = done[done["status"] == "open"].groupby("target")["probability"].mean()
    return counts.assign(mean_open_probability=opened).reset_index().rename_axis(columns=None)
