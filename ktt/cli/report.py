"""``ktt report``: execute a report notebook with papermill for a scenario, or every
scenario and plan, after refusing at once what the run would fail on."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from ktt import config
from ktt.cli.signals import INTERRUPTED, stop_if_signalled
from ktt.cli.validate import note_unknown_units, units_in
from ktt.errors import KttError

_OWN_FOLDERS = ("calibration", "screenshots")
"""Folders of ``reports/`` that are not forecast reports: the calibration suite's scores
(``make calibration``) and the browser tests' screenshots."""


def _report_name(args: argparse.Namespace, overrides: dict, source: Path) -> str:
    """The report's folder (``ktt.inputs.scenarios.report_name``): the scenario's name and
    what the overrides change (``baseline-seed-7``), so that a run with ``-p`` never replaces
    the scenario's own report. A report on the user's own figures without a scenario is
    named after the data file (``my-figures.csv`` -> ``reports/my-figures/``); ``<name>-data``
    when ktt writes a folder of that name itself (a scenario's report, a plan's
    ``<plan>-<scenario>``, a scenario's with its overrides, the calibration suite's, the
    screenshots, the index)."""
    from ktt.inputs.scenarios import load_scenario, report_name

    name, own = load_scenario(args.scenario or "baseline", source)
    overrides = dict(overrides)
    if args.scenario is None and overrides.get("data_path"):
        stem = Path(overrides.pop("data_path")).stem
        scenarios = {p.stem for p in config.SCENARIOS.glob("*.yaml")}
        # a scenario's folder with its overrides (baseline-seed-7), a plan's (x-baseline),
        # ktt's own, the index (index.html.csv) or a hidden one
        ours = (stem in scenarios or stem in _OWN_FOLDERS or "." in stem
                or any(stem.startswith(f"{scenario}-") or stem.endswith(f"-{scenario}")
                       for scenario in scenarios))
        name = f"{stem}-data" if ours else stem
    return report_name(name, own, overrides, source)


def _given_once(args: argparse.Namespace) -> None:
    """Refuse a report's parameter given twice (``-p n_paths 4000 -p n_paths 10``, or ``-p
    plan`` beside ``--plan``): the last one silently won, and the report recorded a value the
    user may not have meant."""
    given = [(name, f"-p {name} {value}") for name, value in args.param]
    given += [("plan", f"--plan {args.plan}")] if args.plan else []
    given += [("base_year", f"--base-year {args.base_year}")] if args.base_year is not None else []
    for name in dict.fromkeys(name for name, _ in given):
        ways = [way for n, way in given if n == name]
        if len(ways) > 1:
            raise KttError(f"command line: parameter '{name}' is given {len(ways)} times "
                           f"({', '.join(ways)}); give it once")


def report_command(args: argparse.Namespace) -> int:
    """``ktt report``: write the report (or, with ``--all`` or ``--plans``, every one and the
    index); exit code 0, or 2 when a report of ``--all`` failed."""
    from ktt.inputs.parameters import check_ranges, convert_parameter, describe_parameters
    from ktt.inputs.scenarios import describe_scenarios, scenario_file

    source = config.NOTEBOOKS / f"{args.notebook}.ipynb"
    if not source.is_file():
        known = ", ".join(sorted(p.stem for p in config.NOTEBOOKS.glob("*.ipynb")))
        raise KttError(f"--notebook {args.notebook}: no such notebook; known: {known}")
    if args.list_scenarios:
        print(f"scenarios in {config.relative_path(config.SCENARIOS)}/ (ktt report NAME; "
              "what each parameter means: ktt report --list-parameters):")
        print(describe_scenarios())
        return 0
    if args.list_parameters:
        print(f"parameters of {source.name} (-p NAME VALUE):")
        print(describe_parameters(source))
        return 0
    _given_once(args)
    overrides = {name: convert_parameter(name, value, source) for name, value in args.param}
    if args.plan:
        overrides["plan"] = args.plan
    if args.base_year is not None:
        overrides["base_year"] = args.base_year
    if overrides.get("data_path"):
        # given from where the user stands; recorded from the project's root when inside it,
        # so that the report verifies in another clone (the notebook reads it from there)
        overrides["data_path"] = config.relative_path(Path(overrides["data_path"]).resolve())
    if overrides.get("plan") and config.plan_path(overrides["plan"]).parent != config.PLANS:
        overrides["plan"] = str(config.plan_path(overrides["plan"]).resolve())
    if overrides.get("plan"):
        config.plan_file(overrides["plan"])
    if args.scenario:
        scenario_file(args.scenario)
    # refused before papermill, nbconvert and the kernel start
    check_ranges(overrides, source, "command line")
    if overrides.get("data_path"):
        # a mistyped unit on a row leaves that row out of the report without a word
        path = config.ROOT / overrides["data_path"]
        note_unknown_units(path, units_in(path))
        if Path(overrides["data_path"]).is_absolute():
            print(f"note: {path} is outside the project, so the report records that very path: "
                  "ktt verify reruns it where the file is there, or, elsewhere, with "
                  "--data-folder naming the folder that holds it then; to have a report that "
                  "verifies in any clone of the project as it is, keep the file in the "
                  "project's folder (as my-figures.csv in the README)")
    if args.all or args.plans:
        from ktt.report.runner import run_all

        scenarios = sorted(p.stem for p in config.SCENARIOS.glob("*.yaml")) if args.all else []
        plans = sorted(p.stem for p in config.PLANS.glob("*.yaml")) if args.plans else ()
        index, errors = run_all(scenarios, overrides, args.output, args.jobs, plans=plans,
                                echo=True)
        for error in errors:
            print(f"error: {error}", file=sys.stderr)
        print(f"index: {index}")
        return 2 if errors else 0
    name = _report_name(args, overrides, source)
    INTERRUPTED["report"] = name if args.notebook == "forecast" else f"{name}-{args.notebook}"
    # The kernel starts first and imports the report's modules while this process imports
    # papermill and nbconvert and checks the scenario; run_report stops it however it ends.
    from ktt.report.kernel import start_kernel

    kernel = start_kernel(config.NOTEBOOKS, args.notebook)
    try:
        from ktt.report.runner import run_report

        # a signal during these imports can land in importlib's lock callback, which
        # swallows the KeyboardInterrupt; without this the run would go on to its end
        stop_if_signalled()
    except BaseException:
        kernel.stop()
        raise
    folder = run_report(args.scenario or "baseline", overrides, args.output, args.notebook,
                        name=name, kernel=kernel)
    print(f"report: {folder / 'report.html'}")
    return 0
