"""What made a report, for a reviewer who reruns it: the code's commit, the package versions,
the files read with their hashes, the provenance table every report ends with, and the forecast
report's ``summary.json``."""

from __future__ import annotations

import html
import json
import platform
import subprocess
from importlib.metadata import version
from pathlib import Path
from typing import TYPE_CHECKING

from IPython.display import HTML

from ktt import config
from ktt.calibration.suite import suite_files
from ktt.config import relative_path
from ktt.forecasting.forecast import year_intervals
from ktt.forecasting.model_choice import choice_fields, rounded
from ktt.inputs.loading import file_sha256, plan_file
from ktt.inputs.scenarios import report_command, scenario_path
from ktt.inputs.targets import deciding
from ktt.report.answers import scenario_info
from ktt.report.sources import source_files
from ktt.report.strings import LANGS, text

if TYPE_CHECKING:  # the context holds this module's code_record: imported for its type alone
    from ktt.report.context import Context


PACKAGES = ("ktt", "numpy", "pandas", "scipy", "statsmodels", "matplotlib", "scoringrules",
            "babel", "papermill", "nbconvert")


CODE = ("ktt", "notebooks")
"""The folders of the code that makes a report (``code_commit``); what else it reads, it
hashes (``input_files``), and the packages it records by version (``versions``)."""


def code_commit() -> str | None:
    """The git commit of the code that makes a report: the last commit that changed ``CODE``,
    ``-dirty`` after it (as ``git describe --dirty`` marks it) when they hold changes not
    committed; None when ktt does not run from a git checkout (an installed package) or git
    does not answer.

    The last commit of the code rather than HEAD, so that a report regenerated at commit X
    and committed in X+1, which changes reports alone, records X and a rerun at X+1 records X
    again: ``make report`` then leaves git clean. Its code is that commit's, file for file,
    when not dirty. ``ktt verify`` compares a report without it (``ktt.report.verify``)."""
    def git(*args: str) -> str | None:
        # no optional locks: parallel reports (--all, --plans) would contend for the index's
        done = subprocess.run(["git", "--no-optional-locks", "-C", str(config.ROOT), *args],
                              capture_output=True, text=True, check=False)
        return done.stdout.strip() if done.returncode == 0 else None

    try:
        top = git("rev-parse", "--show-toplevel")
    except OSError:  # no git
        return None
    if top is None or Path(top).resolve() != config.ROOT:
        return None
    commit, changes = git("log", "-1", "--format=%H", "--", *CODE), git(
        "status", "--porcelain", "--", *CODE)
    if not commit or changes is None:
        return None
    return commit + ("-dirty" if changes else "")


COMMIT = "commit"
"""The key of a report's ``summary.json`` that holds its ``code_commit``."""


def code_record() -> dict[str, str]:
    """``COMMIT``: the ``code_commit`` that made a report, for its ``summary.json``; empty
    outside a git checkout."""
    commit = code_commit()
    return {COMMIT: commit} if commit else {}


def input_files(parameters: dict, extra: dict[str, Path] | None = None) -> dict[str, dict]:
    """The files a report reads besides its data file, each with its path and SHA-256, for a
    reviewer to check that a rerun read the same: the plan (targets, thresholds, quotes), the
    scenario, the units table (the 2025 reform's successors) and the published record (the
    province's and country's figures beside the unit's), then ``extra`` (the forecast
    report's ``sources.csv`` files, ``ktt.report.sources.source_files``; the backtest
    report's calibration suite). Files that do not exist are left out.

    Parameters
    ----------
    parameters : dict
        The notebook's parameters (``plan``, ``scenario``).
    extra : dict, optional
        Name -> path of further files read.

    Returns
    -------
    dict
        Name -> ``{"path": ..., "sha256": ...}``, paths relative to the project root when
        inside it.
    """
    files = {"plan": plan_file(parameters.get("plan") or config.DEFAULT_PLAN),
             "scenario": scenario_path(parameters.get("scenario") or "baseline"),
             "units": config.UNITS, "published_record": config.OBSERVATIONS, **(extra or {})}
    return {name: {"path": relative_path(path), "sha256": file_sha256(path)}
            for name, path in files.items() if path.is_file()}


def versions() -> dict[str, str]:
    """Versions of Python and the packages that made the numbers."""
    return {"python": platform.python_version(), **{p: version(p) for p in PACKAGES}}


def _used_values(ctx) -> dict:
    """What the run used for the parameters whose 0 or empty value means a default: the unit,
    the as-of year, the base year and the plan's readings (``ctx`` is any report context)."""
    run = ctx.forecast if hasattr(ctx, "forecast") else ctx.backtest
    used = {"unit": run.unit, **{k: run.settings[k] for k in ("base_year", "readings")
                                  if k in run.settings}}
    if hasattr(run, "as_of"):
        used["as_of"] = run.as_of
    return used


def _parameter_value(name: str, value, used: dict, lang: str) -> str:
    """A parameter as given, and for a default (0, empty) the value the run used."""
    shown = json.dumps(value, ensure_ascii=False)
    if not value and used.get(name):
        shown += f" ({text('used', lang)} {json.dumps(used[name], ensure_ascii=False)})"
    return shown


def _input_label(name: str, lang: str) -> str:
    """What an input file of ``input_files`` is, in the report's language: its kind in words,
    then the rest of the name (``published_record`` -> ``số liệu đã công bố``,
    ``calibration suite.json`` -> ``calibration suite.json`` in English)."""
    kind, _, rest = name.partition(" ")
    return " ".join(filter(None, [text(f"input_{kind}", lang), rest]))


def report_inputs(ctx: Context) -> dict[str, dict]:
    """``input_files`` of a forecast report: those of every report, the ``sources.csv`` files
    whose titles it lists (``ktt.report.sources.source_files``), and the calibration suite's
    whose findings its target table gives, when saved."""
    suite = suite_files() if ctx.suite is not None else {}
    return input_files(ctx.parameters, {**source_files(ctx.data_path), **suite})


def provenance(ctx: Context, files: dict[str, dict] | None = None,
               notebook: Path = config.FORECAST_NOTEBOOK) -> HTML:
    """Data file and hash, the other files read and theirs (``files``, as ``input_files``
    gives them; by default a forecast report's, ``report_inputs``), each parameter, the
    package versions, the command that writes the report again and how to check that it
    reproduces, as a table for a reviewer who reruns the report (``ctx`` is any report
    context, of ``notebook``: the backtest report's too)."""
    return provenance_table(ctx.lang, {"path": relative_path(ctx.data_path),
                                       "sha256": ctx.sha256},
                            report_inputs(ctx) if files is None else files, ctx.parameters,
                            _used_values(ctx), ctx.code,
                            report_command(ctx.parameters, notebook))


def provenance_table(lang: str, data: dict[str, str], files: dict[str, dict],
                     parameters: dict, used: dict, code: dict[str, str],
                     command: str) -> HTML:
    """Any report's provenance block, its heading first, which a printed report starts on a
    page of its own.

    Parameters
    ----------
    lang : str
        ``vi`` or ``en``.
    data : dict
        The data file as ``summary.json`` records it: ``path`` and ``sha256``, or the
        ``generator`` of figures made in the run.
    files : dict
        The other files read, as ``input_files`` gives them.
    parameters : dict
        The notebook's parameters as given.
    used : dict
        For a parameter whose 0 or empty value means a default, the value the run used.
    code : dict
        ``code_record``: the code's commit, when known.
    command : str
        The command that writes the report again (``report_command``).

    Returns
    -------
    HTML
    """
    def row(name: str, value: str, code: bool = True) -> str:
        shown = f"<code>{html.escape(value)}</code>" if code else html.escape(value)
        return f"<tr><th scope='row'>{html.escape(name)}</th><td>{shown}</td></tr>"

    hashed = [row(text("sha256", lang), data["sha256"])] if "sha256" in data else []
    rows = [row(text("data", lang), data.get("path") or data["generator"]), *hashed,
            *(row(f"{text('input_file', lang)}: {_input_label(name, lang)}",
                  f"{f['path']} sha256 {f['sha256']}") for name, f in files.items()),
            *(row(f"{text('parameter', lang)} {k}", _parameter_value(k, v, used, lang))
              for k, v in parameters.items()),
            row(text("versions", lang), ", ".join(f"{n} {v}" for n, v in versions().items()),
                code=False),
            *(row(text("code_commit", lang), commit) for commit in code.values()),
            row(text("rerun_command", lang), command),
            row(text("verify_command", lang), text("verify_how", lang), code=False)]
    return HTML("<div class='ktt-provenance'>"
                f"<h2>{html.escape(text('provenance_heading', lang).lstrip('# '))}</h2>"
                "<div class='ktt-scroll' style='overflow-x:auto'>"
                "<table class='ktt-wrap' style='border-collapse:collapse'>"
                f"{''.join(rows)}</table></div></div>")


def _choice(ctx: Context, code: str) -> dict:
    """Why the indicator's model: the backtest's reason and each model's mean CRPS."""
    return choice_fields(ctx.forecast.choices.get(code), ctx.forecast.fits.get(code))


def summary(ctx: Context) -> dict:
    """Everything ``summary.json`` holds: inputs, versions and each target's answer, its
    ``interval_80`` where its target year is forecast (``year_intervals``), as ``ktt status
    --json`` writes it."""
    targets = [{"id": r["id"], "indicator": r["indicator"], "status": r["status"],
                "probability": rounded(r["probability"]), "likelihood": r["likelihood"],
                "median": rounded(r["median"]), "threshold": rounded(r["threshold"]),
                "interval_80": [rounded(r["lo80"]), rounded(r["hi80"])], "model": r["model"],
                **{key: {str(y): v for y, v in part.items()}
                   for key, part in zip(("decided_by", "at_least"), deciding(r), strict=True)},
                "sources": list(r["sources"]), "missing": list(r["missing"]),
                "latest": {str(y): v for y, v in r["latest"].items()},
                "figures": r["figures"], "end": int(r["end"]),
                **_choice(ctx, r["indicator"]),
                "progress": [p.as_dict() for p in r["progress"]],
                "yearly": r["yearly"].as_dict() if r["yearly"] else None}
               for _, r in year_intervals(ctx.forecast.table).iterrows()]
    words = {lang: scenario_info(ctx.parameters["scenario"], ctx.targets.id, lang)
             for lang in LANGS}
    return {"scenario": ctx.parameters["scenario"], "plan": ctx.targets.id,
            "scenario_title": words["en"][0], "scenario_description": words["en"][1],
            "scenario_title_vi": words["vi"][0], "scenario_description_vi": words["vi"][1],
            "unit": ctx.forecast.unit,
            "as_of": ctx.forecast.as_of, "synthetic": ctx.synthetic,
            "base_year": ctx.forecast.settings["base_year"],
            "data": {"path": relative_path(ctx.data_path), "sha256": ctx.sha256,
                     "synthetic": ctx.synthetic},
            "inputs": report_inputs(ctx),
            "parameters": ctx.parameters, "command": report_command(ctx.parameters),
            "settings": ctx.forecast.settings,
            "versions": versions(), **ctx.code, "targets": targets}


def print_json(data: dict) -> None:
    """Print a report's summary as JSON; the report runner reads it from the output of the
    cell tagged ``summary``."""
    print(json.dumps(data, ensure_ascii=False, indent=1, sort_keys=True))


def print_summary(ctx: Context) -> None:
    """Print the summary (``summary``) for the report runner."""
    print_json(summary(ctx))
