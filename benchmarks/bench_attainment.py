"""Time to fit every indicator, simulate 10 000 paths and assess every target (one core).
With model=auto (and for the family a named model does not cover) this includes the
backtest that chooses the models.

Run: python benchmarks/bench_attainment.py. Prints the median of several runs per model.
"""

from __future__ import annotations

import time
import tracemalloc

import numpy as np

from ktt import config
from ktt.forecasting.forecast import ForecastOptions, forecast_targets
from ktt.inputs.synthetic import SyntheticParams, generate
from ktt.inputs.targets import load_targets

N_PATHS = 10_000
RUNS = 5


def main() -> None:
    targets = load_targets(config.TARGETS)
    data = generate(SyntheticParams(first_year=2012, last_year=2023, seed=1))
    print(f"{N_PATHS} paths, 7 targets, synthetic district 2012-2023, median of {RUNS} runs")
    for model in ("auto", "negbin", "rate_walk", "recent_mean", "beta", "logit_normal",
                  "last_value"):
        times = []
        for run in range(RUNS):
            start = time.perf_counter()
            forecast_targets(targets, data, "krong-bong",
                             ForecastOptions(model=model, n_paths=N_PATHS, seed=run))
            times.append(time.perf_counter() - start)
        print(f"  model={model:<13} {np.median(times) * 1000:8.1f} ms")
    tracemalloc.start()
    forecast_targets(targets, data, "krong-bong", ForecastOptions(n_paths=N_PATHS))
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    print(f"  peak memory (auto): {peak / 2**20:.1f} MiB")


if __name__ == "__main__":
    main()
