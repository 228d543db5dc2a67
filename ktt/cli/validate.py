"""``ktt validate``: check an observations file, and note what is valid but worth a look (a
unit the units table does not know, which ``report`` and ``template`` note too)."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING

from ktt import config
from ktt.errors import NEAR_MISS, DataError

if TYPE_CHECKING:
    import pandas as pd


def validate_command(args: argparse.Namespace) -> int:
    """``ktt validate``: print the file's coverage and notes; exit code 0 (a bad file raises
    ``DataError``, which ``main`` prints and exits 2 on)."""
    from ktt.inputs.data import (
        check_observations,
        coverage_by_indicator,
        current_year,
        spikes,
        summarize,
    )

    frame, problems = check_observations(args.path, this_year=current_year())
    if problems:
        # main prints it as `status` and `report` print a bad file: one heading, a line each
        raise DataError(problems)
    kept = frame[frame["preferred"]]
    table = summarize(kept)
    others = len(frame) - len(kept)
    also = (f" (and {others} from less preferred publishers, kept as alternatives)" if others
            else "")
    print(f"{args.path}: valid, {len(kept)} figures{also}, {kept['unit'].nunique()} unit(s), "
          f"years {kept['year'].min()}-{kept['year'].max()}" if len(kept)
          else f"{args.path}: valid, but it holds no figure yet")
    if len(set(kept["unit"])) > 1:
        table = coverage_by_indicator(table)
    if len(table):
        print(table.to_string(index=False))
    note_unknown_units(args.path, sorted(set(kept["unit"])))
    _note_units_without_figures(args.path, kept)
    _note_unnamed_sources(args.path, kept)
    _note_partial_sums(kept)
    _note("figure(s) far from the figures before and after them (valid, but often a typo)",
          spikes(args.path, kept))
    return 0


def _note(what: str, lines: list[str]) -> None:
    """A note of ``validate`` on what is valid but worth a look: a count, ``what``, and the
    lines, indented; nothing when there are none."""
    if lines:
        print(f"note: {len(lines)} {what}:\n" + "\n".join(f"  {line}" for line in lines))


def _note_units_without_figures(path: Path, kept: pd.DataFrame) -> None:
    """A note on units whose rows are all blank (a form's commune not filled in yet): the
    count of units above leaves them out, and ``status --units`` fails them, easy to miss."""
    from ktt.inputs.data import listed_units

    blank = [u for u in listed_units(path) if u not in set(kept["unit"])]
    if blank:
        print(f"note: {len(blank)} unit(s) with rows but no figure yet: {', '.join(blank)}; "
              "a forecast of them has nothing to go on until their values are filled in")


def _note_unnamed_sources(path: Path, kept: pd.DataFrame) -> None:
    """A note on source ids that no ``sources.csv`` names, when none sits beside the file (one
    that does is checked row by row): the report would list them as bare ids, without the
    publication a reader can look up."""
    from ktt.inputs.data import SOURCE_COLUMNS
    from ktt.report.sources import cited, known_sources

    if (Path(path).parent / "sources.csv").is_file():
        return
    known = known_sources(Path(path))
    unnamed = [i for i in cited(kept["source"]) if i not in known.index]
    if unnamed:
        print(f"note: {len(unnamed)} source id(s) that no sources.csv names: "
              f"{', '.join(unnamed)}. A report lists them without their publication; write a "
              f"sources.csv beside {path} ({','.join(SOURCE_COLUMNS)}), a row per source")


def _note_partial_sums(kept: pd.DataFrame) -> None:
    """A note on the totals of an ended unit that its successors' figures cannot make yet:
    the district's answer then lacks that year, which is easy to miss in a long form."""
    from ktt.inputs.indicators import derive
    from ktt.inputs.units import load_units, partial_sums

    units = load_units()
    # on the derived figures, as the sums are made: a commune's orgs_new may come from its
    # htx_new and tht_new, and a total derive made is not one that is missing
    _note("total(s) of a unit that ended cannot be made, because a successor has no figure "
          "(a total needs them all; fill the blank or leave the year out)",
          partial_sums(derive(kept.drop(columns=["line", "preferred"]), units), units))


def units_in(path: Path) -> list[str]:
    """The units a data file names, read with the csv module before the report starts; none
    from a file the report will refuse with its own message (no unit column, not UTF-8)."""
    import csv

    try:
        # utf-8-sig: ktt template writes a byte-order mark, which utf-8 would read into the
        # first column's name ("\ufeffunit"), so that no row had a unit and no note was given
        with path.open(encoding="utf-8-sig", newline="") as handle:
            return sorted({(row.get("unit") or "").strip() for row in csv.DictReader(handle)}
                          - {""})
    except (OSError, UnicodeDecodeError, csv.Error):
        return []


def note_unknown_units(path: Path, held: list[str]) -> None:
    """A note on units the units table does not know: right for a unit of the user's own,
    but most often a mistyped id, which a report would then find no figure for."""
    import csv
    import difflib

    # the csv module, not load_units: ktt template stays instant, without pandas
    with config.UNITS.open(encoding="utf-8", newline="") as handle:
        known = [row["unit"] for row in csv.DictReader(handle)]
    unknown = [u for u in held if u not in known]
    if not unknown:
        return
    named = []
    for unit in unknown:
        close = difflib.get_close_matches(unit, known, n=1, cutoff=NEAR_MISS)
        named.append(f"{unit} (close to {close[0]})" if close else unit)
    print(f"note: unit(s) not in {config.UNITS.relative_to(config.ROOT)}: {', '.join(named)}. "
          "Right for a unit of your own, which has no parent or predecessor there (add a row "
          "for it to count it in its province's totals); otherwise correct the unit column")
