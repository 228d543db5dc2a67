"""``ktt template``: a blank CSV form for a unit's figures."""

from __future__ import annotations

import argparse
from pathlib import Path

from ktt.cli.validate import note_unknown_units


def template_command(args: argparse.Namespace) -> int:
    """``ktt template``: write the blank form, keeping a file that exists; exit code 0."""
    from ktt.inputs.template import parse_years, write_template

    path = write_template(args.unit, parse_years(args.years),
                          args.output or Path(f"{args.unit.replace(',', '+')}-figures.csv"),
                          replace=args.force)
    print(f"form: {path} (fill value, source and quote; then `ktt validate {path}`)")
    note_unknown_units(path, [u.strip() for u in args.unit.split(",")])
    return 0
