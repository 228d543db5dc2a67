"""Many units on Dask: units per second with 1 and 2 worker processes, where the time goes,
peak memory per worker, the scaling efficiency, and the projected time of a national sweep.

The units are SYNTHETIC communes (``ktt.inputs.synthetic.communes``, ids ``syn-commune-*``),
held to the district plan's targets with the command's defaults (``model=auto``, 4,000
paths). Each worker count runs on its own local cluster (``ktt.forecasting.many.dask_client``,
as ``ktt status --units``), started and warmed up (one unit forecast in every worker: imports,
statsmodels' lazy modules) before the clock starts; the start-up is printed apart.

Wall time on a shared machine depends on what else runs, so each run also prints figures that
depend little on it:

- CPU seconds per unit: the workers' process CPU time summed over the workers, divided by the
  units. Equal on 1 and 2 workers means that splitting the work costs no extra work.
- the client's CPU: this process, which holds the client, the scheduler and the nannies.
- the workers' busy share: their CPU time over (workers x wall time). Below 100 % the workers
  waited, for a free core (other load) or for work (the last tasks, ``tail``).
- the tail: how long before the end each worker finished its last task.
- the CPU-bound speed-up: the 1-worker run's CPU seconds over the busiest worker's CPU seconds
  on N workers, the speed-up the split gives when every worker has a core of its own.
- the machine's busy share and steal over the run (``/proc/stat``) and the load average.

Run: python benchmarks/bench_units.py [--units 200] [--workers 1 2] [--paths 4000]
[--batch-size N]; ``--units 3300`` for the full national sweep (synthetic).
"""

from __future__ import annotations

import argparse
import os
import pickle
import resource
import time

from ktt.forecasting.forecast import ForecastOptions
from ktt.forecasting.many import (
    FAILED,
    dask_client,
    default_batch_size,
    figures_of,
    forecast_units,
)
from ktt.inputs.synthetic import communes
from ktt.inputs.targets import load_plan

NATIONAL_UNITS = 3300
"""Communes and wards of Vietnam since 1 July 2025, about."""
SCENARIOS = 4
"""The shipped scenarios (baseline, policy-push, lenient-readings, dissolution-drive)."""


def _warm(paths: int) -> None:
    """Import ktt and forecast one unit outside the timed set, so that the timing holds no
    first-call costs (imports, statsmodels' lazy modules)."""
    from ktt.forecasting.forecast import forecast_targets

    observations, units = communes(1, seed=99)
    forecast_targets(load_plan("krong-bong-192"), observations, "syn-commune-0001",
                     ForecastOptions(n_paths=paths), units=units)


def _worker_stats() -> dict:
    """This worker process's CPU seconds so far (all its threads), peak resident memory [MiB]
    (Linux reports KiB) and BLAS threads setting."""
    return {"cpu": time.process_time(),
            "peak": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
            "blas": os.environ.get("OPENBLAS_NUM_THREADS", "unset")}


def machine_cpu() -> tuple[int, int, int]:
    """The whole machine's CPU time so far, in clock ticks: (all, busy, stolen by the
    hypervisor), from the first line of ``/proc/stat``."""
    with open("/proc/stat") as stat:
        ticks = [int(t) for t in stat.readline().split()[1:]]
    user, nice, system, _idle, _iowait, irq, softirq, steal = ticks[:8]
    return sum(ticks[:8]), user + nice + system + irq + softirq, steal


def finish_times(records: list[dict]) -> dict[str, float]:
    """Each worker's time [epoch s] at the end of its last task, from a task stream's
    records (``distributed.get_task_stream``)."""
    ends: dict[str, float] = {}
    for record in records:
        stop = max(s["stop"] for s in record["startstops"] if s["action"] == "compute")
        ends[record["worker"]] = max(ends.get(record["worker"], 0.0), stop)
    return ends


def task_payload(observations, ids, units, batch: int) -> float:
    """Mean bytes of figures pickled into one task (``figures_of``, as ``forecast_units``
    ships them)."""
    by_unit = dict(tuple(observations.groupby("unit", sort=False)))
    sizes = [len(pickle.dumps(figures_of(by_unit, ids[i:i + batch], units, "none",
                                         observations.iloc[:0])))
             for i in range(0, len(ids), batch)]
    return sum(sizes) / len(sizes)


def run(n: int, plan, observations, ids, units, options, batch_size: int | None) -> dict:
    """Time ``forecast_units`` on a local cluster of ``n`` warmed-up workers."""
    from distributed import get_task_stream

    start = time.perf_counter()
    with dask_client(n) as client:
        started = time.perf_counter() - start
        client.run(_warm, options.n_paths)
        warmed = time.perf_counter() - start - started
        before = client.run(_worker_stats)
        client_cpu, machine, load = time.process_time(), machine_cpu(), os.getloadavg()[0]
        with get_task_stream(client) as stream:
            begin, begin_epoch = time.perf_counter(), time.time()
            table = forecast_units(plan, observations, ids, options, units,
                                   scheduler=client.scheduler.address, progress=False,
                                   batch_size=batch_size)
            wall, end_epoch = time.perf_counter() - begin, time.time()
        client_cpu = time.process_time() - client_cpu
        machine = [b - a for a, b in zip(machine, machine_cpu(), strict=True)]
        after = client.run(_worker_stats)
    cpu = {w: after[w]["cpu"] - before[w]["cpu"] for w in after}
    return {"workers": n, "table": table, "wall": wall, "started": started, "warmed": warmed,
            "cpu": cpu, "client_cpu": client_cpu, "peaks": [s["peak"] for s in after.values()],
            "blas": sorted({s["blas"] for s in after.values()}),
            "tails": [end_epoch - t for t in finish_times(stream.data).values()],
            "tasks": len(stream.data), "busy_machine": machine[1] / machine[0],
            "steal": machine[2] / machine[0], "load": (load, os.getloadavg()[0]),
            "first_task": min(min(s["start"] for s in r["startstops"]) for r in stream.data)
            - begin_epoch}


def describe(result: dict, n_units: int) -> str:
    """One worker count's figures, a few lines."""
    n, wall, cpu = result["workers"], result["wall"], result["cpu"]
    failed = int((result["table"]["status"] == FAILED).sum())
    return (
        f"  {n} worker(s): {wall:7.1f} s for {n_units} units = {n_units / wall:5.2f} units/s; "
        f"{result['tasks']} tasks of {result['batch']} units, {result['payload'] / 1024:.0f} "
        f"KiB of figures pickled into each; failed units {failed}\n"
        f"    CPU per unit {sum(cpu.values()) / n_units:.3f} s (workers' CPU summed: "
        f"{', '.join(f'{c:.0f}' for c in cpu.values())} s); workers busy "
        f"{sum(cpu.values()) / (n * wall):.0%} of {n} x wall; client, scheduler and nannies "
        f"{result['client_cpu']:.1f} CPU s\n"
        f"    first task began {result['first_task']:.2f} s after the call; tail (end - each "
        f"worker's last task) {', '.join(f'{t:.1f}' for t in result['tails'])} s\n"
        f"    start-up: cluster {result['started']:.1f} s + warm-up {result['warmed']:.1f} s; "
        f"peak memory per worker {', '.join(f'{p:.0f}' for p in result['peaks'])} MiB; "
        f"OPENBLAS_NUM_THREADS {'/'.join(result['blas'])}\n"
        f"    machine over the run: {result['busy_machine']:.0%} busy (all processes), steal "
        f"{result['steal']:.1%}; load average {result['load'][0]:.2f} at the start, "
        f"{result['load'][1]:.2f} at the end")


def compare(results: dict[int, dict]) -> list[str]:
    """Speed-up and efficiency of each worker count against 1 worker, by wall time and by CPU
    time."""
    one = results[1]
    lines = []
    for n, result in results.items():
        if n == 1:
            continue
        speedup = one["wall"] / result["wall"]
        cpu_ratio = sum(result["cpu"].values()) / sum(one["cpu"].values())
        bound = sum(one["cpu"].values()) / max(result["cpu"].values())
        lines.append(f"  {n} workers: speed-up {speedup:.2f}x by wall time (scaling efficiency "
                     f"{speedup / n:.0%}); CPU per unit {cpu_ratio:.2f}x that of 1 worker; "
                     f"CPU-bound speed-up {bound:.2f}x (efficiency {bound / n:.0%}), a core "
                     "a worker")
    return lines


def projection(results: dict[int, dict], n_units: int, sizes: list[int]) -> list[str]:
    """The national sweep's time on clusters of ``sizes`` workers: at the slowest measured
    rate per worker (this machine's load included), and at the CPU seconds per unit of the
    largest measured cluster (a core a worker)."""
    slowest = min(n_units / r["wall"] / n for n, r in results.items())
    largest = results[max(results)]
    cpu_per_unit = sum(largest["cpu"].values()) / n_units
    start = max(r["started"] + r["warmed"] for r in results.values())
    lines = [f"projected time of {NATIONAL_UNITS} units, and of the national sweep "
             f"{NATIONAL_UNITS} x {SCENARIOS} scenarios = {NATIONAL_UNITS * SCENARIOS} unit "
             f"forecasts, without start-up (measured here: {start:.0f} s at most): at the "
             f"slowest rate per worker measured, {slowest:.2f} units/s (this machine's load "
             f"included), and at {cpu_per_unit:.3f} CPU s per unit ({max(results)} workers, a "
             "core a worker)"]
    for n in sizes:
        by_rate, by_cpu = NATIONAL_UNITS / (slowest * n), NATIONAL_UNITS * cpu_per_unit / n
        lines.append(f"  {n:3d} workers: {NATIONAL_UNITS} units {by_rate / 60:6.1f} min "
                     f"(CPU-bound {by_cpu / 60:5.1f}); x {SCENARIOS} scenarios "
                     f"{SCENARIOS * by_rate / 60:6.1f} min (CPU-bound "
                     f"{SCENARIOS * by_cpu / 60:5.1f})")
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--units", type=int, default=200, help="synthetic communes (200)")
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2],
                        help="worker counts to time (1 2)")
    parser.add_argument("--paths", type=int, default=4000, help="paths per indicator (4000)")
    parser.add_argument("--batch-size", type=int, default=None,
                        help="units per task (default: ktt's, from the worker count)")
    parser.add_argument("--project", type=int, nargs="+", default=[2, 8, 32, 64],
                        help="cluster sizes to project the national sweep on")
    args = parser.parse_args()

    plan = load_plan("krong-bong-192")
    observations, units = communes(args.units)
    ids = list(units.loc[units["level"] == "commune", "unit"])
    options = ForecastOptions(n_paths=args.paths)
    print(f"SYNTHETIC: {len(ids)} communes (ktt.inputs.synthetic.communes), plan {plan.id}, "
          f"{len(plan.targets)} targets, model auto, {args.paths} paths; "
          f"{os.cpu_count()} cores on this machine; load average "
          f"{', '.join(f'{x:.2f}' for x in os.getloadavg())}")
    results = {}
    for n in args.workers:
        batch = args.batch_size or default_batch_size(len(ids), n)
        results[n] = run(n, plan, observations, ids, units, options, args.batch_size) | {
            "batch": batch, "payload": task_payload(observations, ids, units, batch)}
        print(describe(results[n], len(ids)), flush=True)
    if len(results) > 1:
        first, *rest = (r["table"] for r in results.values())
        print(f"  same table on every worker count: {all(t.equals(first) for t in rest)}")
    if 1 in results:
        print("\n".join(compare(results)))
    print("\n".join(projection(results, len(ids), args.project)))


if __name__ == "__main__":
    main()
