"""Execute a report notebook with papermill into ``reports/<scenario>/``, atomically.

The run writes into a temporary folder beside the target and replaces the old report only on
success. A failed run keeps its partial notebook as ``failed.ipynb`` in the report folder and
leaves the last good report as it was.
"""

from __future__ import annotations

import html
import json
import shutil
import tempfile
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import nbformat
import papermill
from nbconvert import HTMLExporter
from nbconvert.preprocessors import TagRemovePreprocessor
from papermill.exceptions import PapermillExecutionError

from ktt import config
from ktt.errors import KttError
from ktt.example import BANNER
from ktt.scenarios import check_parameters, check_plan, load_scenario
from ktt.targets import plan_path


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
        remove_cell_tags={"parameters", "injected-parameters", "summary"}, enabled=True), True)
    body, _ = exporter.from_notebook_node(notebook, resources={"metadata": {"name": title}})
    return body


def run_report(scenario: str = "baseline", overrides: dict | None = None,
               output: Path = config.REPORTS, notebook: str = "forecast",
               progress: bool = True) -> Path:
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
    source = config.NOTEBOOKS / f"{notebook}.ipynb"
    name, parameters = load_scenario(scenario, source)
    own_plan = parameters["plan"]
    parameters.update(check_parameters(dict(overrides or {}), source, "command line"))
    check_plan(parameters["plan"], parameters.get("readings"), "command line")
    if parameters["plan"] != own_plan:
        name = f"{plan_path(parameters['plan']).stem}-{name}"
    output = Path(output)
    final = output / (name if notebook == "forecast" else f"{name}-{notebook}")
    output.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix=f".tmp-{final.name}-", dir=output))
    try:
        executed = work / "report.ipynb"
        try:
            papermill.execute_notebook(source, executed, parameters=parameters,
                                       kernel_name="python3", progress_bar=progress,
                                       cwd=config.NOTEBOOKS)
        except PapermillExecutionError as exc:
            final.mkdir(parents=True, exist_ok=True)
            if executed.exists():
                shutil.copyfile(executed, final / "failed.ipynb")
            raise ReportError(
                f"scenario {name}: cell {exc.exec_count} failed with {exc.ename}: {exc.evalue}"
                f"\nThe partial notebook is {final / 'failed.ipynb'}; the last good report is "
                "untouched.") from None
        nb = nbformat.read(executed, as_version=4)
        summary = _summary_from(nb)
        title = f"ktt: {name}"
        if summary.get("synthetic"):
            title = f"{BANNER['en']} | {title}"
        (work / "report.html").write_text(_html(nb, title), encoding="utf-8")
        (work / "summary.json").write_text(
            json.dumps(summary, ensure_ascii=False, indent=1, sort_keys=True) + "\n",
            encoding="utf-8")
        if final.exists():
            retired = Path(tempfile.mkdtemp(prefix=f".old-{final.name}-", dir=output))
            final.rename(retired / final.name)
            work.rename(final)
            shutil.rmtree(retired)
        else:
            work.rename(final)
        return final
    finally:
        if work.exists():
            shutil.rmtree(work)


def _run_quietly(args: tuple[str, dict, Path]) -> tuple[str, Path | None, str]:
    scenario, overrides, output = args
    try:
        return scenario, run_report(scenario, overrides, output, progress=False), ""
    except KttError as exc:
        return scenario, None, str(exc)


def run_all(scenarios: list[str], overrides: dict | None = None,
            output: Path = config.REPORTS, jobs: int = 2) -> tuple[Path, list[str]]:
    """Run every scenario in up to ``jobs`` processes and write ``index.html``.

    Returns
    -------
    index : Path
        ``<output>/index.html``: scenario x target, probability and phrase, linked.
    errors : list of str
        One message per failed scenario (empty when all succeeded).
    """
    with ProcessPoolExecutor(max_workers=jobs) as pool:
        results = list(pool.map(_run_quietly, [(s, overrides or {}, Path(output))
                                               for s in scenarios]))
    index = write_index(Path(output), [s for s, folder, _ in results if folder])
    return index, [err for _, folder, err in results if not folder]


def write_index(output: Path, scenarios: list[str]) -> Path:
    """``index.html``: one row per scenario, one column per target, each cell linked."""
    summaries = {s: json.loads((output / s / "summary.json").read_text(encoding="utf-8"))
                 for s in scenarios}
    ids = list(dict.fromkeys(t["id"] for s in summaries.values() for t in s["targets"]))
    synthetic = any(s["synthetic"] for s in summaries.values())
    head = "".join(f"<th>{html.escape(i)}</th>" for i in ids)
    rows = []
    for name, summary in summaries.items():
        by_id = {t["id"]: t for t in summary["targets"]}
        cells = []
        for i in ids:
            t = by_id.get(i)
            p = "-" if t is None or t["probability"] is None else f"{t['probability']:.2f}"
            phrase = "" if t is None else f"<br><small>{html.escape(t['likelihood'])}</small>"
            cells.append(f"<td><a href='{name}/report.html'>{p}</a>{phrase}</td>")
        rows.append(f"<tr><th><a href='{name}/report.html'>{html.escape(name)}</a></th>"
                    f"{''.join(cells)}</tr>")
    banner = f"<p><strong>{BANNER['en']} / {BANNER['vi']}</strong></p>" if synthetic else ""
    title = (f"{BANNER['en']} | " if synthetic else "") + "ktt: scenarios x targets"
    page = (f"<!doctype html><html><head><meta charset='utf-8'><title>{title}</title>"
            "<style>td,th{padding:4px 8px;border:1px solid #ccc;text-align:center}"
            "table{border-collapse:collapse}</style></head><body>"
            f"{banner}<h1>Probability that each target is met, by scenario</h1>"
            f"<table><tr><th>scenario</th>{head}</tr>{''.join(rows)}</table></body></html>\n")
    path = output / "index.html"
    path.write_text(page, encoding="utf-8")
    return path
