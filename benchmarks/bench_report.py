"""Time `ktt report` (baseline) against its floor: papermill executing an empty notebook with the
same kernel. Prints both and their ratio (aim: at most 1.5).

Run: python benchmarks/bench_report.py
"""

from __future__ import annotations

import statistics
import tempfile
import time
from pathlib import Path

import nbformat
import papermill

from ktt.report.runner import run_report

RUNS = 3


def timed(action) -> float:
    times = []
    for _ in range(RUNS):
        start = time.perf_counter()
        action()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        folder = Path(folder)
        empty = folder / "empty.ipynb"
        nb = nbformat.v4.new_notebook()
        nb.cells = [nbformat.v4.new_code_cell("pass")]
        nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3",
                                     "language": "python"}
        nbformat.write(nb, empty)
        floor = timed(lambda: papermill.execute_notebook(
            empty, folder / "out.ipynb", kernel_name="python3", progress_bar=False))
        report = timed(lambda: run_report("baseline", output=folder / "reports", progress=False))
    print(f"papermill, empty notebook (floor): {floor:6.2f} s")
    print(f"ktt report baseline:               {report:6.2f} s")
    print(f"ratio:                             {report / floor:6.2f}")


if __name__ == "__main__":
    main()
