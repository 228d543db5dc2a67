"""The ``ktt`` command line: thin wrappers that call the library and print its results."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path

import pandas as pd

from ktt import config
from ktt.data import check_observations, load_observations, summarize
from ktt.errors import DataError, KttError
from ktt.targets import default_as_of, evaluate, load_targets


def _evidence(row: pd.Series) -> str:
    """The figures behind a status, in a few words."""
    observed = row["observed"]
    years = row["decided_by"] or sorted(observed)
    if not years:
        return "no figure on record"
    return ", ".join(f"{y}: {observed[y]:g}" for y in years if y in observed)


def _cmd_validate(args: argparse.Namespace) -> int:
    frame, problems = check_observations(args.path)
    if problems:
        print(f"{args.path}: {len(problems)} problem(s)", file=sys.stderr)
        for line in problems:
            print(line, file=sys.stderr)
        return 2
    table = summarize(frame)
    print(f"{args.path}: valid, {len(frame)} figures, {frame['unit'].nunique()} unit(s), "
          f"years {frame['year'].min()}-{frame['year'].max()}" if len(frame)
          else f"{args.path}: valid, but it holds no figure yet")
    if len(table):
        print(table.to_string(index=False))
    return 0


def _cmd_status(args: argparse.Namespace) -> int:
    observations = load_observations(args.data)
    targets = load_targets(args.targets)
    as_of = args.as_of or default_as_of(observations, args.unit)
    table = evaluate(targets, observations, args.unit, as_of)
    if args.json:
        cols = ["id", "indicator", "status", "observed", "years_left", "decided_by", "sources"]
        print(json.dumps(table[cols].to_dict(orient="records"), ensure_ascii=False, indent=2))
        return 0
    print(f"Targets of {targets.plan}")
    print(f"unit {args.unit}, as of {as_of} (later years are to come), data {args.data}")
    if not (observations["unit"] == args.unit).any():
        print(f"note: {args.data} holds no figure for {args.unit}; every target stays open "
              "until its figures are entered (see data/README.md)")
    shown = pd.DataFrame({
        "target": table["id"], "rule": table["reading"], "status": table["status"],
        "record": table.apply(_evidence, axis=1),
        "source": table["sources"].map(lambda s: ", ".join(s) or "-"),
        "years left": table["years_left"].map(lambda y: f"{y[0]}-{y[-1]}" if y else "-"),
    })
    print(shown.to_string(index=False))
    return 0


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of the ``ktt`` command."""
    parser = argparse.ArgumentParser(
        prog="ktt", description="Will the district meet its collective-economy targets?")
    sub = parser.add_subparsers(dest="command", required=True)

    validate = sub.add_parser("validate", help="check an observations file")
    validate.add_argument("path", type=Path, help="observations CSV (sources.csv beside it)")
    validate.set_defaults(run=_cmd_validate)

    status = sub.add_parser("status", help="the targets' status on the record")
    status.add_argument("--data", type=Path, default=config.OBSERVATIONS,
                        help="observations CSV (default: %(default)s)")
    status.add_argument("--unit", default=config.DEFAULT_UNIT, help="unit id (%(default)s)")
    status.add_argument("--as-of", type=int, default=None,
                        help="last known year (default: the unit's last year with data)")
    status.add_argument("--targets", type=Path, default=config.TARGETS,
                        help="targets YAML (default: %(default)s)")
    status.add_argument("--json", action="store_true", help="print JSON instead of a table")
    status.set_defaults(run=_cmd_status)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit code (2 for bad input, without traceback)."""
    args = build_parser().parse_args(argv)
    try:
        return args.run(args)
    except DataError as exc:
        print(f"error: {len(exc.problems)} problem(s) in the data:", file=sys.stderr)
        print(exc, file=sys.stderr)
        return 2
    except KttError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
