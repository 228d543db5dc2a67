"""The argument parser of ``ktt`` and its commands."""

from __future__ import annotations

import argparse
import os
from collections.abc import Callable
from pathlib import Path

from ktt import config
from ktt.cli.backtest import backtest_command
from ktt.cli.report import report_command
from ktt.cli.status import status_command
from ktt.cli.template import template_command
from ktt.cli.validate import validate_command
from ktt.cli.verify import verify_command
from ktt.errors import did_you_mean
from ktt.inputs.parameters import MAX_PATHS, MODEL_NAMES, POOLING, value_problem


def _whole(name: str) -> Callable[[str], int]:
    """An option's type for the setting ``name`` of ``LEAST`` (``--paths``: ``n_paths``,
    ``--seed``: ``seed``): a whole number in its range, refused as the command starts (a
    ValueError of ``ForecastOptions`` after the data loaded was a traceback, and ``ktt
    backtest`` went on to numpy's)."""
    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            value = text  # not a whole number: value_problem says what the setting takes
        if problem := value_problem(name, value):
            raise argparse.ArgumentTypeError(f"{value!r}{problem}")
        return value

    return parse


def _data_arguments(parser: argparse.ArgumentParser, paths: int) -> None:
    """--plan, --reading, --data, --unit, --paths and --seed, shared by the commands that
    model."""
    parser.add_argument("--plan", default=config.DEFAULT_PLAN,
                        help="plan id in plans/, or a plan YAML (%(default)s)")
    parser.add_argument(*READING_OPTIONS, nargs=2, action="append", default=[],
                        metavar=("NAME", "VALUE"),
                        help="choose a reading of the plan's words (the plan's default for the "
                             "rest)")
    parser.add_argument("--data", type=Path, default=None,
                        help="observations CSV (default: data/observations.csv when it holds "
                             "the unit's figures of the plan's indicators, else the synthetic "
                             "example)")
    parser.add_argument("--unit", default=None, help="unit id (default: the plan's unit)")
    parser.add_argument("--paths", type=_whole("n_paths"), default=paths,
                        help=f"simulated paths, 1 to {MAX_PATHS} (%(default)s)")
    parser.add_argument("--seed", type=_whole("seed"), default=2020,
                        help="random seed, 0 or more (%(default)s)")


class _Parser(argparse.ArgumentParser):
    """The parser of ``ktt`` and of each of its commands: a long option is taken only as
    spelled in full (argparse's abbreviations took ``--list`` for ``--list-parameters`` without
    a word), and one the command does not have is refused with the closest and every valid
    one, where argparse would name it alone."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, allow_abbrev=False, **kwargs)

    def error(self, message: str):
        """The message alone, on one line: argparse printed the command's whole usage above
        it first (nine lines for ``ktt status``), which pushed the one line that says what
        to change out of sight; ``--help`` still gives the usage."""
        self.exit(2, f"{self.prog}: error: {message}\n")

    def parse_known_args(self, args=None, namespace=None):
        namespace, extras = super().parse_known_args(args, namespace)
        self._refuse_the_other_spelling(extras)
        unknown = [a.split("=")[0] for a in extras if a.startswith("--")]
        if unknown:
            valid = sorted({o for action in self._actions for o in action.option_strings
                            if o.startswith("--")})
            # those it abbreviates first: what argparse's abbreviation would have taken
            meant = [o for o in valid if o.startswith(unknown[0])] or None
            self.error(f"unknown option {unknown[0]}; {did_you_mean(unknown[0], valid, meant)}"
                       f"valid: {', '.join(valid)}")
        return namespace, extras

    def _refuse_the_other_spelling(self, extras: list[str]) -> None:
        """Refuse, with the spelling this command takes, a setting written as the other
        commands write it: ``ktt report`` takes the data file and the forecast's settings as
        notebook parameters (``-p data_path FILE``), ``status`` and ``backtest`` as options
        (``--data FILE``); the closest option argparse would suggest (``--param`` for
        ``--data``) does not say how to write it."""
        command = self.prog.split()[-1]
        if command == "report":
            # -r NAME VALUE too: argparse took its NAME for the scenario and refused the rest
            # ("unrecognized arguments: -r mean"), without a word of -p readings
            as_parameters = {**OPTION_PARAMETERS,
                             **dict.fromkeys(READING_OPTIONS, ("readings", "'{NAME: VALUE}'"))}
            for name in (w.split("=")[0] for w in extras):
                if name in as_parameters:
                    parameter, value = as_parameters[name]
                    self.error(f"unknown option {name}; a report takes it as a notebook "
                               f"parameter: -p {parameter} {value} (ktt report "
                               "--list-parameters lists them)")
        elif command in ("status", "backtest") and {"-p", "--param"} & set(extras):
            at = next(i for i, w in enumerate(extras) if w in ("-p", "--param"))
            name = extras[at + 1] if at + 1 < len(extras) else ""
            options = {o for action in self._actions for o in action.option_strings}
            spelled = {parameter: f"{option} {value}"
                       for option, (parameter, value) in OPTION_PARAMETERS.items()
                       if option in options}
            spelled["readings"] = f"{READING_OPTIONS[0]} NAME VALUE, once a reading"
            how = (f"ktt {command} takes it as {spelled[name]}" if name in spelled
                   else f"ktt {command} --help lists the options it takes")
            self.error(f"{extras[at]} sets a notebook parameter of ktt report; {how}")


OPTION_PARAMETERS = {"--data": ("data_path", "FILE"), "--unit": ("unit", "ID"),
                     "--as-of": ("as_of", "YEAR"), "--paths": ("n_paths", "N"),
                     "--seed": ("seed", "N"), "--model": ("model", "NAME"),
                     "--pooling": ("pooling", "NAME")}
"""The options of ``ktt status`` and ``ktt backtest`` that ``ktt report`` takes as notebook
parameters (``notebooks/forecast.ipynb``): option -> (parameter, what its value is)."""

READING_OPTIONS = ("-r", "--reading")
"""The option of ``ktt status`` and ``ktt backtest`` that chooses one reading of the plan's
words (``-r NAME VALUE``); ``ktt report`` takes them all in one notebook parameter, a mapping
(``-p readings '{NAME: VALUE}'``)."""


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of the ``ktt`` command."""
    parser = _Parser(
        prog="ktt", description="Will the district meet its collective-economy targets?")
    sub = parser.add_subparsers(dest="command", required=True)

    validate = sub.add_parser("validate", help="check an observations file")
    validate.add_argument("path", type=Path, help="observations CSV (sources.csv beside it)")
    validate.set_defaults(run=validate_command)

    status = sub.add_parser("status", help="the targets' status on the record")
    _data_arguments(status, paths=4000)
    status.add_argument("--as-of", type=int, default=None,
                        help="last known year (default: the unit's last year with data)")
    status.add_argument("--json", action="store_true", help="print JSON instead of a table")
    status.add_argument("--model", default="auto",
                        choices=MODEL_NAMES,
                        help="model for its family of indicators (%(default)s)")
    status.add_argument("--pooling", default="none", choices=POOLING,
                        help="borrow strength from the province's other units (%(default)s)")
    status.add_argument("--base-year", type=int, default=None,
                        help="base year of the official progress classes (default: the "
                             "plan's; 2015 as the SDG methods use)")
    status.add_argument("--scenario", default=None,
                        help="apply a scenario's levers and readings (a name in scenarios/ or a "
                             "YAML path; ktt report --list-scenarios lists them)")
    status.add_argument("--units", dest="unit_selection", default=None,
                        help="many units in one table: all (every unit of the data), ID,ID,... "
                             "or within=ID (every unit below ID in data/units.csv)")
    status.add_argument("--scheduler", default=None,
                        help="with --units: address of a running Dask scheduler "
                             "(tcp://host:8786) instead of a local cluster")
    status.add_argument("--workers", type=int, default=None,
                        help="with --units: worker processes of the local Dask cluster "
                             f"(this machine's cores, {os.cpu_count() or 1}); 0 runs the units "
                             "one by one in this process")
    status.add_argument("--output", type=Path, default=None,
                        help="with --units: write the whole table to FILE.csv or "
                             "FILE.parquet")
    status.set_defaults(run=status_command)

    backtest = sub.add_parser("backtest", help="score every model on the unit's own record")
    _data_arguments(backtest, paths=1000)
    backtest.add_argument("--output", type=Path, default=None,
                          help="write the scores by indicator, model and horizon to this CSV")
    backtest.set_defaults(run=backtest_command)

    template = sub.add_parser("template", help="write a blank CSV form for a unit's figures")
    template.add_argument("--unit", default=config.DEFAULT_UNIT,
                          help="unit id, or several separated by commas (%(default)s)")
    template.add_argument("--years", default="2015-2025",
                          help="first-last, or one year (%(default)s)")
    template.add_argument("--output", type=Path, default=None,
                          help="where to write it (default: UNIT-figures.csv)")
    template.add_argument("--force", action="store_true",
                          help="replace the file if it exists (a filled-in form is lost)")
    template.set_defaults(run=template_command)

    verify = sub.add_parser("verify", help="rerun reports and check that they reproduce")
    verify.add_argument("folders", type=Path, nargs="+", metavar="FOLDER",
                        help="report folders, e.g. reports/baseline, or reports/* (what is "
                             "not a report is skipped)")
    verify.add_argument("--keep", type=Path, default=None, metavar="DIR",
                        help="write the rerun into DIR and keep it (default: a temporary "
                             "folder, removed after)")
    verify.add_argument("--data-folder", type=Path, default=None, metavar="DIR",
                        help="read the report's data file (-p data_path) and the sources.csv "
                             "beside it from DIR, where the report recorded another folder "
                             "(a file handed over with the report); each must match its "
                             "recorded hash; among several reports, those on such a file")
    verify.set_defaults(run=verify_command)
    report = sub.add_parser("report", help="execute the forecast notebook for a scenario")
    report.add_argument("scenario", nargs="?", default=None,
                        help="name in scenarios/ or a YAML path (baseline; with -p data_path "
                             "and no scenario, the report goes to a folder named after the "
                             "data file)")
    report.add_argument("--plan", default=None,
                        help="plan id in plans/ or a plan YAML (default: the scenario's plan); "
                             "another plan than the scenario's writes reports/<plan>-<scenario>/")
    report.add_argument("-p", "--param", nargs=2, action="append", default=[],
                        metavar=("NAME", "VALUE"),
                        help="override a notebook parameter; the value is converted to the "
                             "parameter's type (bool: true or false); --list-parameters "
                             "lists them")
    report.add_argument("--list-parameters", action="store_true",
                        help="list the notebook's parameters (type, default, meaning) and exit")
    report.add_argument("--list-scenarios", action="store_true",
                        help="list the scenarios (id, plan, title, description and the "
                             "parameters each sets) and exit")
    report.add_argument("--all", action="store_true",
                        help="every scenario, in parallel, and reports/index.html")
    report.add_argument("--plans", action="store_true",
                        help="the baseline of every plan in plans/ (the district plan's in "
                             "reports/baseline/, another's in reports/<plan>-baseline/), in "
                             "parallel, and reports/index.html")
    report.add_argument("--jobs", type=int, default=2, help="parallel runs with --all or --plans")
    report.add_argument("--output", type=Path, default=config.REPORTS,
                        help="folder of the report folders (%(default)s)")
    # the notebooks that write a report (a summary cell); explore.ipynb is the analyst's
    report.add_argument("--notebook", default="forecast",
                        choices=("forecast", "backtest", "units"),
                        help="the report's notebook in notebooks/: forecast (default), "
                             "backtest, or units (the dashboard of many units)")
    report.add_argument("--base-year", type=int, default=None,
                        help="base year of the official progress classes (the notebook "
                             "parameter base_year; default the plan's)")
    report.set_defaults(run=report_command)
    return parser
