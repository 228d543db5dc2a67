"""What knowing a district's process would add to ktt's share calls: a bound on their skill.

Run: python benchmarks/bench_share_structure.py [--districts 400] [--seed 2023] [--jobs 2]

The calibration suite's districts come from four process families, and ktt's share model
weighs every structure it knows (a level or a line, persistence from none to a random walk,
noise beyond the counts') by the evidence of 6-12 figures. Here the same model is also told the
district's family: its grid is cut to the structure that family's generator uses, and only the
parameters (level, slope, persistence, step, noise) are left to the figures. The gap between
ktt and this told model is what telling processes apart could still win; the gap between the
told model and the oracle (told the true parameters too, households only) is what estimating
parameters from a short record costs, which no model can win back.

Prints, for the profitable and households targets: the Brier score and the Brier skill score
of ktt, of ktt's calls recalibrated in-sample (the best any recalibration could do), of the
told model, of the straight line and (households) of the oracle, in all and by
process family. Calls are those of ``ktt.calibration.suite.district_calls``.
"""

from __future__ import annotations

import argparse
import dataclasses
import os
import time
from concurrent.futures import ProcessPoolExecutor

import numpy as np
import pandas as pd
from scipy.optimize import isotonic_regression

from ktt.calibration import suite
from ktt.calibration.districts import FAMILIES, draw_district
from ktt.models import shares

# the told model differs from ktt's only by a module global that the cache's keys do not see
os.environ["KTT_CACHE"] = ""

SHARE_FAMILIES = ("profitable", "households")
"""Target families scored: those the share model forecasts."""


def told_grid(family: str) -> np.ndarray:
    """Which of the share model's grid points fit the structure of a family's generator.

    Parameters
    ----------
    family : str
        Process family (``ktt.calibration.districts.FAMILIES``).

    Returns
    -------
    numpy.ndarray
        Boolean mask over the grid (persistence, step sd, noise sd, slope prior sd): steady and
        trending shares are a logit line with binomial counts (no persistence, no noise beyond
        the counts'), drifting ones a random walk with a drift (persistence 1, a line) with
        beta noise, reverting ones an AR(1) around a level (persistence under 1, no line, no
        extra noise).
    """
    phi, _, noise, slope = shares._GRID.T
    line = slope > 0
    return {"steady": (phi == 0) & (noise == 0) & line,
            "trending": (phi == 0) & (noise == 0) & line,
            "drifting": (phi == 1) & line,
            "reverting": (phi < 1) & (noise == 0) & ~line}[family]


def recalibrated(calls: pd.DataFrame) -> pd.DataFrame:
    """ktt's calls mapped by the best monotone map onto their own outcomes, per target family.

    Parameters
    ----------
    calls : pandas.DataFrame
        Calls of ``ktt.calibration.suite.district_calls``.

    Returns
    -------
    pandas.DataFrame
        ktt's calls with ``method`` ``recalibrated`` and each ``probability`` replaced by the
        isotonic regression of the outcomes on it, fitted on these very calls: a bound no
        recalibration of ktt's probabilities can beat on them, since it is allowed to see the
        outcomes it is scored on.
    """
    parts = []
    for _, group in calls[calls["method"] == "ktt"].groupby("target_family"):
        group = group.sort_values("probability", kind="stable")
        fitted = isotonic_regression(group["outcome"].to_numpy(float)).x
        parts.append(group.assign(method="recalibrated", probability=fitted))
    return pd.concat(parts, ignore_index=True)


def _calls(job: tuple[str, int, int]) -> pd.DataFrame:
    family, index, seed = job
    district = draw_district(family, index, seed)
    plan = suite._targets()
    targets = dataclasses.replace(plan, targets=tuple(
        t for t in plan.targets if suite.target_family(t) in SHARE_FAMILIES))
    calls = suite.district_calls(district, targets=targets)
    calls = calls[calls["method"].isin(["ktt", "trend_line", "oracle"])]
    # the share model reads its grid from the module at fit time; a worker process forecasts
    # one district at a time, so cutting the grid here touches nothing else
    grid, prior = shares._GRID, shares._LOG_PRIOR
    keep = told_grid(family)
    shares._GRID, shares._LOG_PRIOR = grid[keep], prior[keep]
    try:
        told = suite.district_calls(district, targets=targets)
    finally:
        shares._GRID, shares._LOG_PRIOR = grid, prior
    told = told[told["method"] == "ktt"].assign(method="told")
    return pd.concat([calls, told], ignore_index=True)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--districts", type=int, default=400,
                        help="districts in all, split evenly across the families")
    parser.add_argument("--seed", type=int, default=2023, help="seed of the suite")
    parser.add_argument("--jobs", type=int, default=2, help="worker processes")
    args = parser.parse_args(argv)

    start = time.perf_counter()
    work = [(FAMILIES[i % len(FAMILIES)], i // len(FAMILIES), args.seed)
            for i in range(args.districts)]
    with ProcessPoolExecutor(max_workers=args.jobs) as pool:
        calls = pd.concat(pool.map(_calls, work, chunksize=4), ignore_index=True)
    calls = pd.concat([calls, recalibrated(calls)], ignore_index=True)
    elapsed = time.perf_counter() - start

    print(f"share calls on {args.districts} districts, seed {args.seed} ({elapsed:.0f} s): "
          "ktt; ktt's calls by the best monotone map fitted on their outcomes (recalibrated); ktt "
          "told the district's process family (told); the straight line; the oracle")
    methods = ["ktt", "recalibrated", "told", "trend_line", "oracle"]
    overall = suite.scores(calls).pivot_table(index="target_family", columns="method",
                                              values="bss").reindex(columns=methods)
    print("\nBrier skill score against the base rate")
    print(overall.round(3).to_string())
    by_family = pd.concat(
        {family: suite.scores(group) for family, group in calls.groupby("family")},
        names=["family"]).reset_index(level=0)
    table = by_family.pivot_table(index=["target_family", "family"], columns="method",
                                  values="brier").reindex(columns=methods)
    print("\nBrier score by process family")
    print(table.round(4).to_string())


if __name__ == "__main__":
    main()
