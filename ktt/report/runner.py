"""Execute a report notebook with papermill into ``reports/<scenario>/``, atomically.

The run writes into a temporary folder beside the target and replaces the old report only on
success. A failed run keeps its partial notebook as ``failed.ipynb`` in the report folder and
leaves the last good report as it was.
"""

from __future__ import annotations

import contextlib
import functools
import json
import logging
import multiprocessing
import os
import queue
import shutil
import signal
import sys
import tempfile
import time
from collections.abc import Iterable, Iterator
from pathlib import Path

try:
    import fcntl
except ImportError:  # Windows
    fcntl = None

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
from ktt.forecasting.options import check_backtest, check_report  # noqa: E402
from ktt.inputs.banner import BANNER  # noqa: E402
from ktt.inputs.parameters import (  # noqa: E402
    canonical,
    check_parameters,
    check_ranges,
    check_unit,
    notebook_parameters,
)
from ktt.inputs.scenarios import (  # noqa: E402
    changed_overrides,
    check_plan,
    load_scenario,
    report_name,
)
from ktt.report.kernel import (  # noqa: E402
    Kernel,
    remove_orphan_kernels,
    remove_orphans,
    start_kernel,
)
from ktt.report.strings import STRINGS  # noqa: E402
from ktt.report.style import inject  # noqa: E402


def remove_stale(output: Path) -> list[Path]:
    """Remove the temporary folders (``.tmp-<name>-<pid>-*``, ``.old-*``) of runs whose
    process is gone, such as one killed with SIGKILL; a running one's are left alone.
    Returns the folders removed."""
    output = Path(output)
    return remove_orphans(sorted(output.glob(".tmp-*")) + sorted(output.glob(".old-*")))


class ReportError(KttError):
    """A report run that failed; the last good report is untouched."""


def _summary_from(notebook: nbformat.NotebookNode) -> dict:
    """The JSON printed by the cell tagged ``summary``."""
    cell = next(c for c in notebook.cells if "summary" in c.metadata.get("tags", []))
    printed = (o.get("text", "") for o in cell.outputs if o.output_type == "stream")
    return json.loads("".join(printed))


class _Exporter(HTMLExporter):
    """nbconvert's HTML exporter without its validation of the notebook after each of its 13
    preprocessors (about 0.05 s a report): papermill has just validated the notebook as it
    saved it, and the preprocessors only remove cells and outputs."""

    def _validate_preprocessor(self, nbc, preprocessor) -> None:
        pass


@functools.cache
def _exporter() -> HTMLExporter:
    """The exporter of ``report.html`` (outputs only, without the parameter and summary
    cells), its templates already compiled: about 0.3 s, once a process, which the command
    spends while the kernel is still importing."""
    exporter = _Exporter(exclude_input=True, exclude_input_prompt=True,
                         exclude_output_prompt=True)
    exporter.register_preprocessor(TagRemovePreprocessor(
        remove_cell_tags={"parameters", "injected-parameters", "summary", "analyst"},
        enabled=True), True)
    exporter.from_notebook_node(nbformat.v4.new_notebook())  # compiles every template
    return exporter


def _html(notebook: nbformat.NotebookNode, title: str, lang: str) -> str:
    """The report for readers: outputs only, without the parameter and summary cells."""
    body, _ = _exporter().from_notebook_node(notebook, resources={"metadata": {"name": title}})
    return inject(body, lang)  # the page's language and stylesheet (ktt.report.style)


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
        ``<plan>-<scenario>`` when the overrides name another plan than the scenario's,
        followed by what the other overrides change (``baseline-seed-7``,
        ``ktt.inputs.scenarios.report_name``).
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
        The report folder: ``report.ipynb``, ``report.html``, ``summary.json``. The index of
        ``output`` (``write_index``) is written again, to list it: the page's first line links
        it, which in a folder of the user's own would otherwise lead nowhere.

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
        folder = _run(scenario, overrides, Path(output), notebook, progress, name, kernel)
    finally:
        kernel.stop()
    write_index(Path(output))
    return folder


def _run(scenario: str, overrides: dict | None, output: Path, notebook: str, progress: bool,
         name: str | None, kernel: Kernel, checked: tuple[str, dict] | None = None) -> Path:
    source = config.NOTEBOOKS / f"{notebook}.ipynb"
    # checked: what _named gave for these arguments in run_all's process (its YAML files
    # parsed again took 0.1 s a report, while the kernel waited)
    named, parameters = checked or _named(scenario, overrides, source)
    name = name or named
    figures = check_ranges(parameters, source,
                           "command line" if overrides else f"scenario {scenario}")
    check_unit(parameters, figures)
    every = {**{k: v["value"] for k, v in notebook_parameters(source).items()}, **parameters}
    if notebook == "forecast":  # its lever and as-of checks, without the kernel
        check_report(every)
    elif notebook == "backtest":
        check_backtest(every)
    output = Path(output)
    final = output / (name if notebook == "forecast" else f"{name}-{notebook}")
    output.mkdir(parents=True, exist_ok=True)
    remove_stale(output)
    work = Path(tempfile.mkdtemp(prefix=f".tmp-{final.name}-pid{os.getpid()}-", dir=output))
    os.chmod(work, 0o777 & ~_umask())  # mkdtemp makes it 0700; a report folder is as any other
    try:
        executed = work / "report.ipynb"
        _exporter()  # while the kernel imports
        try:
            # saved once at the end (or on a cell's error) rather than twice a cell: each
            # save validated and wrote the whole notebook, charts included
            papermill.execute_notebook(source, executed, parameters=parameters,
                                       kernel_name="python3", progress_bar=progress,
                                       cwd=config.NOTEBOOKS, km=kernel.manager,
                                       request_save_on_cell_execute=False)
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
        lang = parameters.get("lang") or notebook_parameters(source).get(
            "lang", {"value": "en"})["value"]  # nbconvert's en for a notebook without lang
        # what a browser's tab shows: the scenario and the plan in words a reader knows, then
        # the folder, which tells a dashboard (baseline-units) from its forecast (baseline)
        # (a forecast report's summary has them; the others give the folder alone)
        scenario = summary.get("scenario_title_vi" if lang == "vi" else "scenario_title")
        title = (f"{scenario} · {summary['plan']} · ktt: {final.name}"
                 if scenario and summary.get("plan") else f"ktt: {final.name}")
        if summary.get("synthetic"):  # the report's language first
            other = "en" if lang == "vi" else "vi"
            # the dashboard's synthetic units are not the district BANNER names
            words = STRINGS["units_banner"] if notebook == "units" else BANNER
            title = f"{words[lang]} / {words[other]} | {title}"
        (work / "report.html").write_text(_html(nb, title, lang), encoding="utf-8")
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


def _relative(path: str, parts: int = 1) -> str:
    """A path inside the project as it is from the project's root; another one by its last
    ``parts`` parts (a report's notebook by its folder too, which ``ktt verify`` reruns it
    under: the page's title names it)."""
    try:
        return Path(path).resolve().relative_to(config.ROOT).as_posix()
    except ValueError:
        return Path(*Path(path).parts[-parts:]).as_posix()


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
        run["output_path"] = _relative(final / "report.ipynb", parts=2)
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
    """The report's folder name and its checked parameters: the scenario's name,
    ``<plan>-<scenario>`` when the overrides name another plan than the scenario's, and
    after it what the other overrides change (``baseline-seed-7``, ``override_label``)."""
    name, parameters = load_scenario(scenario, source)
    own = dict(parameters)
    changed = changed_overrides(own, check_parameters(dict(overrides or {}), source,
                                                      "command line"), source)
    parameters.update(changed)
    check_plan(parameters["plan"], parameters.get("readings"), "command line")
    return report_name(name, own, changed, source), canonical(parameters)


Run = tuple[str, str, dict]
"""One report of ``run_all``: its folder's name, its scenario and its parameters; a fourth
element, when there is one, is what ``_named`` gave for them (``run_all`` checks every run
before the jobs start)."""

Result = tuple[str, "Path | None", str, float]
"""What a run gives: its name, its report folder (None when it failed), its error message
(empty when it succeeded) and its seconds."""


def run_on_kernel(runs: Iterable[Run], output: Path, kernel: Kernel) -> Iterator[Result]:
    """Run reports one after the other on one kernel, made fresh between them
    (``Kernel.reset``: the next report is byte for byte as on a new kernel); a kernel that
    cannot be reset (one that died in a run) is replaced. A run that fails, however, gives
    its error and the next one goes on. The caller stops the kernel.

    Yields
    ------
    Result
        One per run, as it ends.
    """
    for name, scenario, parameters, *checked in runs:
        start = time.perf_counter()
        try:
            folder, error = _run(scenario, parameters, output, "forecast", False, None,
                                 kernel, *checked), ""
        except Exception as exc:  # one failed run must not end the others
            folder, error = None, str(exc) if isinstance(exc, KttError) else repr(exc)
        yield name, folder, error, time.perf_counter() - start
        kernel.reset()


def _job(tasks, results, output: Path) -> None:
    """One job of ``run_all``, in a process of its own: one kernel, preloaded once, runs the
    reports it takes from ``tasks`` (until None) and puts each result in ``results``. A
    signal ends it quietly, its temporary folder removed and its kernel stopped."""
    signal.signal(signal.SIGTERM, _interrupt)
    signal.signal(signal.SIGINT, _interrupt)
    kernel = None
    try:
        kernel = start_kernel(config.NOTEBOOKS)
        for result in run_on_kernel(iter(tasks.get, None), output, kernel):
            results.put(result)
    except KeyboardInterrupt:
        pass
    finally:
        if kernel is not None:
            kernel.stop()


def _interrupt(signum, frame) -> None:
    """The first SIGINT or SIGTERM ends a job; the next ones (Ctrl-C reaches the whole
    process group, then ``run_all`` terminates its jobs) must not cut its cleanup short.
    They go to a handler that does nothing, not SIG_IGN: a signal already arrived when the
    handler became SIG_IGN raises "Signal 15 ignored due to race condition".

    Nothing is logged after it, as in the command's own process: nbclient's tasks, cut
    short, would log "Task exception was never retrieved ... DeadKernelError"."""
    logging.disable(logging.CRITICAL)
    signal.signal(signal.SIGINT, _swallow)
    signal.signal(signal.SIGTERM, _swallow)
    raise KeyboardInterrupt


def _swallow(signum, frame) -> None:
    """A signal that comes while a job cleans up: nothing to do."""


def _results(results, jobs: list, count: int) -> Iterator[Result]:
    """The ``count`` results of ``jobs`` as they come; an error if every job has ended
    before giving them all (a job killed from outside)."""
    for _ in range(count):
        while True:
            try:
                yield results.get(timeout=1)
                break
            except queue.Empty:
                if not any(job.is_alive() for job in jobs):
                    raise ReportError("every report job ended before the last report "
                                      "(killed from outside?)") from None


def run_all(scenarios: list[str], overrides: dict | None = None,
            output: Path = config.REPORTS, jobs: int = 2,
            plans: list[str] | tuple[str, ...] = (), echo: bool = False
            ) -> tuple[Path, list[str]]:
    """Run every scenario, and the baseline scenario of every plan in ``plans``, in up to
    ``jobs`` processes, then write ``index.html``.

    Each job keeps one kernel, preloaded once, and runs report after report on it, made
    fresh between them (``run_on_kernel``): a report is byte for byte the one a run of its
    own writes. A plan's baseline is the ``baseline`` scenario with the plan in its
    parameters: the district plan's is ``reports/baseline/``, another plan's
    ``reports/<plan>-baseline/``. Two runs that would write the same folder run once. With
    ``echo``, one line per run as it ends: its name, seconds, and its report's path or its
    error.

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
    source = config.FORECAST_NOTEBOOK
    unique: dict[str, tuple[str, dict, tuple[str, dict]]] = {}
    errors = []
    for scenario, params in runs:
        try:
            checked = _named(scenario, params, source)
            unique.setdefault(checked[0], (scenario, params, checked))
        except KttError as exc:
            errors.append(str(exc))
    context = multiprocessing.get_context()
    tasks, results = context.Queue(), context.Queue()
    for name, (scenario, params, checked) in unique.items():
        tasks.put((name, scenario, params, checked))
    workers = [context.Process(target=_job, args=(tasks, results, Path(output)))
               for _ in range(min(jobs, len(unique)))]
    for worker in workers:
        tasks.put(None)
        worker.start()
    try:
        for name, folder, error, seconds in _results(results, workers, len(unique)):
            if error:
                errors.append(error)
            if echo:
                where = folder / "report.html" if folder else f"error: {error.splitlines()[0]}"
                print(f"{name:<24} {seconds:5.1f} s  {where}", flush=True)
    except BaseException:  # an interrupt, or a job gone: the others stop and clean up
        for worker in workers:
            worker.terminate()
        raise
    finally:
        for worker in workers:
            worker.join(timeout=60)
        # a job that the interrupt stopped as it started could not remove its folders
        remove_stale(Path(output))
        remove_orphan_kernels()
    return write_index(Path(output)), errors


def _summaries(output: Path) -> Iterator[tuple[str, dict]]:
    """Each report folder of ``output`` by name, with its ``summary.json``. One that is not a
    JSON object (cut short, or another program's in a folder of the user's own) is left out
    with a note on stderr naming it: the index is written after each report, which must not
    fail on another folder's file."""
    for path in sorted(Path(output).glob("*/summary.json")):
        try:
            summary = json.loads(path.read_text(encoding="utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError) as error:
            summary = error
        if not isinstance(summary, dict):
            print(f"note: {path}: not a report's summary.json ({summary}), left out of the "
                  "index: write that report again, or move the folder out", file=sys.stderr)
            continue
        yield path.parent.name, summary


def _is_forecast(summary: dict) -> bool:
    """Whether a ``summary.json`` is a forecast report's: one unit's targets (the units
    dashboard's holds many units', the backtest report's none)."""
    return {"targets", "plan", "unit", "as_of"} <= set(summary)


def _is_project(output: Path) -> bool:
    """Whether ``output`` is the project's ``reports/`` (``config.REPORTS``)."""
    return Path(output).resolve() == config.REPORTS.resolve()


def _folders(output: Path) -> tuple[list[str], list[str], dict[str, dict]]:
    """``report_folders``, ``other_reports`` and every folder's summary, from one reading."""
    project = _is_project(output)
    summaries = dict(_summaries(output))
    found, others = [], []
    for name, summary in summaries.items():
        if not _is_forecast(summary):
            if not project and (Path(output) / name / "report.html").is_file():
                others.append(name)
        elif config.in_data(summary.get("data", {}).get("path", "")) or not project:
            found.append((summary["plan"] != config.DEFAULT_PLAN, summary["plan"],
                          name != "baseline" and not name.endswith("-baseline"), name))
    return [name for *_, name in sorted(found)], others, summaries


def report_folders(output: Path) -> list[str]:
    """The forecast reports in ``output``: folders whose ``summary.json`` answers a plan's
    targets for one unit, the district plan's first, then by plan and name. In the project's
    ``reports/`` only those on the project's data (a file under ``data/``): a report there on
    figures kept elsewhere (``ktt report -p data_path ~/my-figures.csv``) is the user's own,
    which the committed index does not link and ``make test`` does not re-execute. Any other
    folder is the user's, and every report in it counts."""
    return _folders(output)[0]


def other_reports(output: Path) -> list[str]:
    """The reports in a folder of the user's own that are not forecasts (units dashboards,
    backtest reports: a ``summary.json`` and a ``report.html``), by name; none in the
    project's ``reports/``, whose committed index lists its forecast reports alone. Their
    pages link the folder's index too, which would otherwise not lead back to them."""
    return _folders(output)[1]


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
        (``report_folders``), and beneath them, in a folder of the user's own, its other
        reports (``other_reports``).
    """
    from ktt.report import index  # pandas and babel: only when an index is written

    with _one_writer(output):
        names, others, summaries = _folders(output)
        if scenarios is not None:
            names, others = scenarios, []
        return index.write_index(output, {s: summaries[s] for s in names},
                                 {s: summaries[s] for s in others},
                                 own=not _is_project(output))


@contextlib.contextmanager
def _one_writer(output: Path) -> Iterator[None]:
    """Held while the index of ``output`` is read and written: two reports finishing into one
    folder at once each wrote an index from the summaries it had read, and the one written
    last could lack the other's row. Each report's ``summary.json`` is in place before it asks
    for the lock, so the index written last lists both. The lock is on the folder itself (no
    file left in it); without ``fcntl`` (Windows), or on a file system without locks, nothing
    is held."""
    if fcntl is None:
        yield
        return
    folder = os.open(output, os.O_RDONLY)
    try:
        with contextlib.suppress(OSError):
            fcntl.flock(folder, fcntl.LOCK_EX)
        yield
    finally:
        os.close(folder)  # releases the lock
