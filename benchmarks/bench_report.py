"""Time `ktt report baseline` against its floor, both as whole commands run the way a user runs
them: `papermill empty.ipynb out.ipynb` (interpreter start, papermill's import, a kernel, one
empty cell, the kernel's shutdown) against `ktt report baseline`, in turns. Prints the
medians, their ratio (aim: at most 1.5; the report with a cold backtest cache, and then a
warm one), where the report's time goes, the cost of one
scenario under `ktt report --all`, and the load average before and after (the machine's
cores may be shared: compare figures taken under the same load).

Run: python benchmarks/bench_report.py [--runs N] [--no-all]
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BIN = Path(sys.executable).parent
KERNEL_IMPORTS = ("ktt.report.forecast", "pandas", "scipy.stats",
                  "statsmodels.discrete.discrete_model", "matplotlib.figure")
"""The report's modules and the heaviest libraries they import."""
ROOT = Path(__file__).resolve().parent.parent


def once(args: list[str], cache: Path | None = None) -> tuple[float, float]:
    """Wall time and CPU time (user and system, of the command and every process it waited
    for: its kernel, its jobs) of one run of a whole command [s, s]; its backtest cache
    (``KTT_CACHE``) is ``cache``, or a new empty folder (cold) when None. CPU time depends
    far less than wall time on what else the shared cores run."""
    with tempfile.TemporaryDirectory() as cold:
        env = dict(os.environ, KTT_CACHE=str(cache or cold))
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        start = time.perf_counter()
        subprocess.run(args, check=True, capture_output=True, cwd=ROOT, env=env)
        wall = time.perf_counter() - start
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def command(args: list[str], runs: int, cache: Path | None = None) -> float:
    """Median wall time of a whole command (``once``) [s]."""
    return statistics.median(once(args, cache)[0] for _ in range(runs))


def paired(first: list[str], second: list[str], runs: int) -> dict[str, float]:
    """Two whole commands run in turns, so that both see the same load (this machine's cores
    are shared): the medians of their wall and CPU times and of their ratios, run by run."""
    pairs = [(once(first), once(second)) for _ in range(runs)]
    return {"first": statistics.median(a[0] for a, _ in pairs),
            "second": statistics.median(b[0] for _, b in pairs),
            "ratio": statistics.median(b[0] / a[0] for a, b in pairs),
            "first cpu": statistics.median(a[1] for a, _ in pairs),
            "second cpu": statistics.median(b[1] for _, b in pairs),
            "cpu ratio": statistics.median(b[1] / a[1] for a, b in pairs)}


def python(code: str, runs: int) -> float:
    """Median wall time of ``python -c code`` less that of ``python -c pass`` [s]."""
    return max(0.0, command([sys.executable, "-c", code], runs)
               - command([sys.executable, "-c", "pass"], runs))


def breakdown(folder: Path) -> dict[str, float]:
    """Where one report's time goes, step by step, in this process [s]."""
    import nbformat
    import papermill

    from ktt import config
    from ktt.report.kernel import start_kernel
    from ktt.report.runner import _exporter, _html

    steps = {}
    start = time.perf_counter()
    os.environ["KTT_CACHE"] = str(folder / "breakdown-cache")  # cold, as the commands
    kernel = start_kernel(config.NOTEBOOKS, notebook="none")
    client = kernel.manager.blocking_client()
    client.start_channels()
    client.wait_for_ready(timeout=60)
    steps["kernel launch to ready"] = time.perf_counter() - start
    start = time.perf_counter()
    client.execute_interactive(  # as the report's kernel does (ktt.report.kernel.preload)
        "__import__('ktt.report.kernel').report.kernel.preload('ktt.report.forecast')",
        silent=True, store_history=False)
    steps["kernel imports the report's modules (preloaded)"] = time.perf_counter() - start
    client.stop_channels()
    out = folder / "timed.ipynb"
    start = time.perf_counter()
    papermill.execute_notebook(config.FORECAST_NOTEBOOK, out, progress_bar=False,
                               cwd=config.NOTEBOOKS, km=kernel.manager,
                               parameters={"plan": "krong-bong-192", "scenario": "baseline"})
    steps["the notebook's cells"] = time.perf_counter() - start
    nb = nbformat.read(out, as_version=4)
    cells = sorted(((c.metadata.get("papermill", {}).get("duration") or 0.0, i)
                    for i, c in enumerate(nb.cells) if c.cell_type == "code"), reverse=True)
    for seconds, i in cells[:3]:
        call = next(line for line in nb.cells[i].source.splitlines() if "kr." in line)
        steps[f"  cell {i}: {call.strip()[:44]}"] = seconds
    start = time.perf_counter()
    kernel.stop()
    steps["kernel stop"] = time.perf_counter() - start
    start = time.perf_counter()
    _exporter()
    steps["HTML templates compiled (while the kernel imports)"] = time.perf_counter() - start
    start = time.perf_counter()
    _html(nb, "ktt", "vi")
    steps["HTML export"] = time.perf_counter() - start
    return steps


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--no-all", action="store_true", help="skip ktt report --all")
    args = parser.parse_args()
    print("load average (1, 5, 15 min) at the start: {:.2f} {:.2f} {:.2f}".format(
        *os.getloadavg()))
    with tempfile.TemporaryDirectory() as folder:
        folder = Path(folder)
        import nbformat

        empty = folder / "empty.ipynb"
        nb = nbformat.v4.new_notebook()
        nb.cells = [nbformat.v4.new_code_cell("pass")]
        nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3",
                                     "language": "python"}
        nbformat.write(nb, empty)
        times = paired(
            [str(BIN / "papermill"), "--no-progress-bar", "-k", "python3", str(empty),
             str(folder / "out.ipynb")],
            [str(BIN / "ktt"), "report", "baseline", "--output", str(folder / "reports")],
            args.runs)
        print(f"{'':46} {'wall':>6}   {'CPU':>6}")
        print(f"papermill empty.ipynb (floor, whole command): {times['first']:6.2f} s "
              f"{times['first cpu']:6.2f} s")
        print(f"ktt report baseline, cold backtest cache:     {times['second']:6.2f} s "
              f"{times['second cpu']:6.2f} s")
        print(f"ratio (median of the runs' ratios; aim 1.5):  {times['ratio']:6.2f}   "
              f"{times['cpu ratio']:6.2f}")
        warm = folder / "cache"
        report_command = [str(BIN / "ktt"), "report", "baseline", "--output",
                          str(folder / "reports")]
        command(report_command, 1, warm)
        print(f"ktt report baseline, warm backtest cache:     "
              f"{command(report_command, args.runs, warm):6.2f} s")
        print("\nwhere the time goes (each step alone, medians of whole interpreters):")
        print(f"  {'ktt --help (the command without a report)':<52} "
              f"{command([str(BIN / 'ktt'), '--help'], args.runs):6.2f} s")
        print(f"  {'import ktt.report.runner (papermill, nbconvert)':<52} "
              f"{python('import ktt.report.runner', args.runs):6.2f} s")
        print("  the kernel's imports, each alone (they overlap: numpy is in all):")
        for module in KERNEL_IMPORTS:
            print(f"    {'import ' + module:<50} {python(f'import {module}', args.runs):6.2f} s")
        for step, seconds in breakdown(folder).items():
            print(f"  {step:<52} {seconds:6.2f} s")
        if not args.no_all:
            scenarios = sorted(p.stem for p in (ROOT / "scenarios").glob("*.yaml"))
            seconds, cpu = once([str(BIN / "ktt"), "report", "--all", "--output",
                                 str(folder / "all")])
            print(f"\nktt report --all, cold backtest cache: {seconds:.1f} s for "
                  f"{len(scenarios)} scenarios, {seconds / len(scenarios):.2f} s a scenario "
                  f"(2 jobs); CPU {cpu:.1f} s, {cpu / len(scenarios):.2f} s a scenario")
    print("load average (1, 5, 15 min) at the end:   {:.2f} {:.2f} {:.2f}".format(
        *os.getloadavg()))


if __name__ == "__main__":
    main()
