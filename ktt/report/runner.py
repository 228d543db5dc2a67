"""Execute a report notebook with papermill into ``reports/<scenario>/``, atomically.

The run writes into a temporary folder beside the target and replaces the old report only on
success. A failed run keeps its partial notebook as ``failed.ipynb`` in the report folder and
leaves the last good report as it was.
"""

from __future__ import annotations

import json
import os
import shutil
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

# jsonschema compiles an RFC 3987 grammar (rfc3987-syntax, about 1 s) when it can import it;
# nbformat never checks the formats it serves, so it is left out.
sys.modules.setdefault("rfc3987_syntax", None)

import nbformat  # noqa: E402
import papermill  # noqa: E402
from nbconvert import HTMLExporter  # noqa: E402
from nbconvert.preprocessors import TagRemovePreprocessor  # noqa: E402
from papermill.exceptions import PapermillExecutionError  # noqa: E402

from ktt import config  # noqa: E402
from ktt.errors import KttError  # noqa: E402
from ktt.inputs.example import BANNER  # noqa: E402
from ktt.inputs.scenarios import (  # noqa: E402
    check_parameters,
    check_plan,
    check_ranges,
    load_scenario,
)
from ktt.inputs.targets import plan_path  # noqa: E402
from ktt.report.kernel import Kernel, start_kernel  # noqa: E402
from ktt.report.style import inject  # noqa: E402


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def remove_stale(output: Path) -> list[Path]:
    """Remove the temporary folders (``.tmp-<name>-<pid>-*``, ``.old-*``) of runs whose
    process is gone, such as one killed with SIGKILL; a running one's are left alone.
    Returns the folders removed."""
    removed = []
    for folder in sorted(Path(output).glob(".tmp-*")) + sorted(Path(output).glob(".old-*")):
        pid = _pid_of(folder.name)
        if folder.is_dir() and (pid is None or not _alive(pid)):
            shutil.rmtree(folder, ignore_errors=True)
            removed.append(folder)
    return removed


def _pid_of(name: str) -> int | None:
    """The process id in a temporary folder's name (``...-pid1234-...``), if any."""
    for part in reversed(name.split("-")[:-1]):  # the last part is mkdtemp's random one
        if part.startswith("pid") and part[3:].isdigit():
            return int(part[3:])
    return None


class ReportError(KttError):
    """A report run that failed; the last good report is untouched."""


def _summary_from(notebook: nbformat.NotebookNode) -> dict:
    """The JSON printed by the cell tagged ``summary``."""
    cell = next(c for c in notebook.cells if "summary" in c.metadata.get("tags", []))
    printed = (o.get("text", "") for o in cell.outputs if o.output_type == "stream")
    return json.loads("".join(printed))


def _html(notebook: nbformat.NotebookNode, title: str) -> str:
    """The report for readers: outputs only, without the parameter and summary cells."""
    exporter = HTMLExporter(exclude_input=True, exclude_input_prompt=True,
                            exclude_output_prompt=True)
    exporter.register_preprocessor(TagRemovePreprocessor(
        remove_cell_tags={"parameters", "injected-parameters", "summary", "analyst"},
        enabled=True), True)
    body, _ = exporter.from_notebook_node(notebook, resources={"metadata": {"name": title}})
    return inject(body)  # the page's stylesheet (ktt.report.style): phone, print


def run_report(scenario: str = "baseline", overrides: dict | None = None,
               output: Path = config.REPORTS, notebook: str = "forecast",
               progress: bool = True, name: str | None = None,
               kernel: Kernel | None = None) -> Path:
    """Execute ``notebooks/<notebook>.ipynb`` for a scenario.

    Parameters
    ----------
    scenario : str
        Name in ``scenarios/`` or path to a scenario YAML.
    overrides : dict, optional
        Parameters that replace the scenario's (``-p NAME VALUE``).
    output : Path
        Folder holding one report folder per scenario: ``<scenario>``, or
        ``<plan>-<scenario>`` when the overrides name another plan than the scenario's.
    notebook : str
        Notebook name in ``notebooks/``.
    progress : bool
        Show papermill's progress bar.
    name : str, optional
        The report folder's name in place of the scenario's (``ktt report -p data_path FILE``
        without a scenario names it after the data file).
    kernel : Kernel, optional
        A kernel already started for this run (``ktt.report.kernel.start_kernel``); by
        default one is started first thing. It is stopped when the run ends, however it
        ends.

    Returns
    -------
    Path
        The report folder: ``report.ipynb``, ``report.html``, ``summary.json``.

    Raises
    ------
    ScenarioError
        For an unknown key or a wrong type, an unknown plan or a reading it does not have,
        before anything runs.
    ReportError
        When a cell fails; its error is in the message.
    """
    kernel = kernel or start_kernel(config.NOTEBOOKS, notebook)
    try:
        return _run(scenario, overrides, Path(output), notebook, progress, name, kernel)
    finally:
        kernel.stop()


def _run(scenario: str, overrides: dict | None, output: Path, notebook: str, progress: bool,
         name: str | None, kernel: Kernel) -> Path:
    source = config.NOTEBOOKS / f"{notebook}.ipynb"
    named, parameters = _named(scenario, overrides, source)
    name = name or named
    check_ranges(parameters, source, "command line" if overrides else f"scenario {scenario}")
    output = Path(output)
    final = output / (name if notebook == "forecast" else f"{name}-{notebook}")
    output.mkdir(parents=True, exist_ok=True)
    remove_stale(output)
    work = Path(tempfile.mkdtemp(prefix=f".tmp-{final.name}-pid{os.getpid()}-", dir=output))
    os.chmod(work, 0o777 & ~_umask())  # mkdtemp makes it 0700; a report folder is as any other
    try:
        executed = work / "report.ipynb"
        try:
            papermill.execute_notebook(source, executed, parameters=parameters,
                                       kernel_name="python3", progress_bar=progress,
                                       cwd=config.NOTEBOOKS,
                                       km=kernel.manager)
        except PapermillExecutionError as exc:
            final.mkdir(parents=True, exist_ok=True)
            if executed.exists():
                shutil.copyfile(executed, final / "failed.ipynb")
            raise ReportError(
                f"scenario {name}: cell {exc.exec_count} failed with {exc.ename}: {exc.evalue}"
                f"\nThe partial notebook is {final / 'failed.ipynb'}; the last good report is "
                "untouched.") from None
        nb = nbformat.read(executed, as_version=4)
        _strip_volatile(nb, final)
        nbformat.write(nb, executed)
        summary = _summary_from(nb)
        title = f"ktt: {name}"
        if summary.get("synthetic"):
            title = f"{BANNER['en']} | {title}"
        (work / "report.html").write_text(_html(nb, title), encoding="utf-8")
        (work / "summary.json").write_text(
            json.dumps(summary, ensure_ascii=False, indent=1, sort_keys=True) + "\n",
            encoding="utf-8")
        if final.exists():
            retired = Path(tempfile.mkdtemp(prefix=f".old-{final.name}-pid{os.getpid()}-",
                                            dir=output))
            final.rename(retired / final.name)
            work.rename(final)
            shutil.rmtree(retired)
        else:
            work.rename(final)
        return final
    finally:
        if work.exists():
            shutil.rmtree(work)


_VOLATILE = ("start_time", "end_time", "duration")


def _relative(path: str) -> str:
    """A path inside the project as it is from the project's root; another one by its name."""
    try:
        return Path(path).resolve().relative_to(config.ROOT).as_posix()
    except ValueError:
        return Path(path).name


def _strip_volatile(nb: nbformat.NotebookNode, final: Path) -> None:
    """Remove what changes from run to run and machine to machine without changing a number:
    the execution timestamps and durations (papermill's and the kernel's) and the machine's
    paths (the notebook's path, the temporary folder the run wrote into). A report re-run on
    any machine then leaves ``git status`` clean."""
    run = nb.metadata.get("papermill", {})
    for key in _VOLATILE:
        run.pop(key, None)
    if "input_path" in run:
        run["input_path"] = _relative(run["input_path"])
    if "output_path" in run:
        run["output_path"] = _relative(final / "report.ipynb")
    for cell in nb.cells:
        if "injected-parameters" in cell.metadata.get("tags", []):
            cell.id = "injected-parameters"  # papermill gives it a random id
        cell.metadata.pop("execution", None)
        for key in _VOLATILE:
            cell.metadata.get("papermill", {}).pop(key, None)


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def _named(scenario: str, overrides: dict | None, source: Path) -> tuple[str, dict]:
    """The report's folder name and its checked parameters: the scenario's name, or
    ``<plan>-<scenario>`` when the overrides name another plan than the scenario's."""
    name, parameters = load_scenario(scenario, source)
    own_plan = parameters["plan"]
    parameters.update(check_parameters(dict(overrides or {}), source, "command line"))
    check_plan(parameters["plan"], parameters.get("readings"), "command line")
    if parameters["plan"] != own_plan:
        name = f"{plan_path(parameters['plan']).stem}-{name}"
    return name, parameters


def _run_quietly(args: tuple[str, dict, Path]) -> tuple[str, Path | None, str, float]:
    scenario, overrides, output = args
    start = time.perf_counter()
    try:
        folder = run_report(scenario, overrides, output, progress=False)
        return scenario, folder, "", time.perf_counter() - start
    except KttError as exc:
        return scenario, None, str(exc), time.perf_counter() - start


def run_all(scenarios: list[str], overrides: dict | None = None,
            output: Path = config.REPORTS, jobs: int = 2,
            plans: list[str] | tuple[str, ...] = (), echo: bool = False
            ) -> tuple[Path, list[str]]:
    """Run every scenario, and the baseline scenario of every plan in ``plans``, in up to
    ``jobs`` processes, then write ``index.html``.

    A plan's baseline is the ``baseline`` scenario with the plan in its parameters: the
    district plan's is ``reports/baseline/``, another plan's ``reports/<plan>-baseline/``.
    Two runs that would write the same folder run once. With ``echo``, one line per run as
    it ends: its name, seconds, and its report's path or its error.

    Returns
    -------
    index : Path
        ``<output>/index.html`` (``write_index``) over every report in ``output``.
    errors : list of str
        One message per failed run (empty when all succeeded).
    """
    overrides = dict(overrides or {})
    runs = [(s, overrides) for s in scenarios]
    runs += [("baseline", {**overrides, "plan": plan}) for plan in plans]
    source = config.NOTEBOOKS / "forecast.ipynb"
    unique: dict[str, tuple[str, dict]] = {}
    errors = []
    for scenario, params in runs:
        try:
            unique.setdefault(_named(scenario, params, source)[0], (scenario, params))
        except KttError as exc:
            errors.append(str(exc))
    results = []
    with ProcessPoolExecutor(max_workers=jobs) as pool:
        for name, result in zip(unique, pool.map(
                _run_quietly, [(s, p, Path(output)) for s, p in unique.values()]), strict=True):
            results.append(result)
            _, folder, err, seconds = result
            if echo:
                where = folder / "report.html" if folder else f"error: {err.splitlines()[0]}"
                print(f"{name:<24} {seconds:5.1f} s  {where}", flush=True)
    index = write_index(Path(output))
    return index, errors + [err for _, folder, err, _ in results if not folder]


def report_folders(output: Path) -> list[str]:
    """The forecast reports in ``output``: folders whose ``summary.json`` answers a plan's
    targets, the district plan's first, then by plan and name."""
    found = []
    for path in sorted(Path(output).glob("*/summary.json")):
        summary = json.loads(path.read_text(encoding="utf-8"))
        if "targets" in summary and "plan" in summary:
            found.append((summary["plan"] != config.DEFAULT_PLAN, summary["plan"],
                          path.parent.name != "baseline" and not
                          path.parent.name.endswith("-baseline"), path.parent.name))
    return [name for *_, name in sorted(found)]


def write_index(output: Path, scenarios: list[str] | None = None) -> Path:
    """``index.html`` (``ktt.report.index``): for each plan, its reports (rows: the scenario's
    title and description) by its targets (columns), each cell linked to its report and
    coloured as in the reports: the probability and its phrase for an open target, met or
    missed with the deciding figures for one the record decides.

    Parameters
    ----------
    output : Path
        The folder of the report folders.
    scenarios : list of str, optional
        The report folders to list; default every forecast report in ``output``
        (``report_folders``).
    """
    from ktt.report import index  # it imports ktt.report.forecast: only when an index is written

    return index.write_index(output, report_folders(output) if scenarios is None else scenarios)
