"""Time of the full rolling-origin backtest of every indicator and model (one core).

Run: python benchmarks/bench_backtest.py. Prints, for the shipped data and a longer synthetic
district, the number of fits, the median time of several runs and the time per fit.
"""

from __future__ import annotations

import time
import tracemalloc

import numpy as np

from ktt import config
from ktt.forecasting.backtest import backtest_unit
from ktt.inputs.data import load_observations
from ktt.inputs.example import EXAMPLE_PATH, default_data
from ktt.inputs.synthetic import SyntheticParams, generate
from ktt.inputs.targets import load_targets

RUNS = 3
N_PATHS = 1000


def measure(label: str, observations, targets) -> None:
    times = []
    for run in range(RUNS):
        start = time.perf_counter()
        backtest = backtest_unit(observations, "krong-bong", targets, n_paths=N_PATHS,
                                 seed=run)
        times.append(time.perf_counter() - start)
    fits = len(backtest.forecasts[["indicator", "model", "origin"]].drop_duplicates())
    tracemalloc.start()
    backtest_unit(observations, "krong-bong", targets, n_paths=N_PATHS)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    median = float(np.median(times))
    per_fit = f"{median / fits * 1000:6.1f} ms a fit" if fits else "nothing to backtest"
    print(f"  {label:<44} {fits:4d} fits {median:6.2f} s  {per_fit}  "
          f"peak {peak / 2**20:5.1f} MiB")


def main() -> None:
    targets = load_targets(config.TARGETS)
    print(f"backtest of every indicator and model, {N_PATHS} paths a fit, median of {RUNS} runs")
    shipped = default_data("krong-bong")
    label = "shipped data (" + ("synthetic example" if shipped == EXAMPLE_PATH else
                                "record") + ", 2015-2025)"
    measure(label, load_observations(shipped), targets)
    long = generate(SyntheticParams(first_year=2000, last_year=2025, seed=1))
    measure("synthetic district 2000-2025", long, targets)


if __name__ == "__main__":
    main()
