"""Many units on Dask: units per second with 1 and 2 worker processes, peak memory per worker,
the scaling efficiency, and the projected time of a national sweep.

The units are SYNTHETIC communes (``ktt.inputs.synthetic.communes``, ids ``syn-commune-*``),
held to the district plan's targets with the command's defaults (``model=auto``, 4,000
paths). Each worker count runs on its own local cluster, started and warmed up (one unit
forecast in every worker) before the clock starts; the start-up is printed apart.

Run: python benchmarks/bench_units.py [--units 200] [--workers 1 2] [--paths 4000];
``--units 3300`` for the full national sweep (synthetic).
"""

from __future__ import annotations

import argparse
import os
import resource
import time

from ktt.forecasting.forecast import ForecastOptions
from ktt.forecasting.many import FAILED, dask_client, forecast_units
from ktt.inputs.synthetic import communes
from ktt.inputs.targets import load_plan

NATIONAL_UNITS = 3300
"""Communes and wards of Vietnam since 1 July 2025, about."""
SCENARIOS = 4
"""The shipped scenarios (baseline, policy-push, lenient-readings, dissolution-drive)."""


def _warm(paths: int) -> int:
    """Import ktt and forecast one unit outside the timed set, so that the timing holds no
    first-call costs (imports, statsmodels' lazy modules)."""
    from ktt.forecasting.forecast import forecast_targets

    observations, units = communes(1, seed=99)
    forecast_targets(load_plan("krong-bong-192"), observations, "syn-commune-0001",
                     ForecastOptions(n_paths=paths), units=units)
    return os.getpid()


def _peak_rss() -> float:
    """Peak resident memory of this process [MiB] (Linux reports KiB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--units", type=int, default=200, help="synthetic communes (200)")
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2],
                        help="worker counts to time (1 2)")
    parser.add_argument("--paths", type=int, default=4000, help="paths per indicator (4000)")
    parser.add_argument("--project", type=int, nargs="+", default=[2, 8, 32, 64],
                        help="cluster sizes to project the national sweep on")
    args = parser.parse_args()

    plan = load_plan("krong-bong-192")
    observations, units = communes(args.units)
    ids = list(units.loc[units["level"] == "commune", "unit"])
    options = ForecastOptions(n_paths=args.paths)
    print(f"SYNTHETIC: {len(ids)} communes (ktt.inputs.synthetic.communes), plan {plan.id}, "
          f"{len(plan.targets)} targets, model auto, {args.paths} paths; "
          f"{os.cpu_count()} cores on this machine")
    rates, tables = {}, {}
    for n in args.workers:
        start = time.perf_counter()
        with dask_client(n) as client:
            client.run(_warm, args.paths)
            started = time.perf_counter() - start
            begin = time.perf_counter()
            tables[n] = forecast_units(plan, observations, ids, options, units,
                                       scheduler=client.scheduler.address, progress=False)
            elapsed = time.perf_counter() - begin
            peaks = client.run(_peak_rss)
        rates[n] = len(ids) / elapsed
        failed = int((tables[n]["status"] == FAILED).sum())
        print(f"  {n} worker(s): {elapsed:7.1f} s for {len(ids)} units = {rates[n]:5.2f} units/s "
              f"({elapsed / len(ids) * n:.2f} s per unit per worker); cluster start "
              f"{started:.1f} s; peak memory per worker "
              f"{', '.join(f'{p:.0f}' for p in peaks.values())} MiB; failed units {failed}")
    if len(tables) > 1:
        first, *rest = tables.values()
        same = all(t.equals(first) for t in rest)
        print(f"  same table on every worker count: {same}")
    if 1 in rates:
        per_worker = rates[1]
        for n in rates:
            if n > 1:
                speedup = rates[n] / rates[1]
                print(f"  speed-up with {n} workers: {speedup:.2f}x (scaling efficiency "
                      f"{speedup / n:.0%})")
                per_worker = min(per_worker, rates[n] / n)
        total = NATIONAL_UNITS * SCENARIOS
        print(f"projected national sweep, {NATIONAL_UNITS} units x {SCENARIOS} scenarios = "
              f"{total} unit forecasts, at {per_worker:.2f} units/s per worker (the slower of "
              "the measured rates), without cluster start-up:")
        for n in args.project:
            seconds = total / (per_worker * n)
            print(f"  {n:3d} workers: {seconds / 60:6.1f} min")


if __name__ == "__main__":
    main()
