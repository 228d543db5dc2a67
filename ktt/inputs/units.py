"""The units table ``data/units.csv``: each geography, the one above it, and since the reform of
1 July 2025 which units took over from one that ended.

Vietnam abolished its districts on 1 July 2025: Krông Bông's area is now five communes. A unit
that ended (``valid_to``) and names its ``successors`` is evaluated, from the reform on, on the
sum of its successors' figures (``successor_sums``): counts are added, and shares are derived
from the summed counts behind them (``ktt.inputs.indicators.derive``), never averaged.
"""

from __future__ import annotations

import datetime as dt
import difflib
from collections.abc import Iterable
from pathlib import Path

import numpy as np
import pandas as pd

from ktt import config
from ktt.errors import NEAR_MISS, DataError, KttError, did_you_mean
from ktt.inputs.catalog import kind_of

COLUMNS = ("unit", "name", "level", "parent")
"""Required columns of the units table."""
REFORM_COLUMNS = ("valid_from", "valid_to", "successors")
"""Optional columns: the first and last day a unit existed (``YYYY-MM-DD``, blank when open)
and the units that took over its area (ids separated by spaces)."""
SUM_QUOTE = "sum of the successors of"
"""How the quote of a summed figure begins."""


def load_units(path: str | Path = config.UNITS) -> pd.DataFrame:
    """The units table: ``unit, name, level, parent, valid_from, valid_to, successors``, and
    ``name_en`` where the file has it (the name in an English report, ``unit_names``).

    Parameters
    ----------
    path : str or Path
        CSV with at least the columns ``unit, name, level, parent``; the reform columns are
        optional and read as blank when absent.

    Returns
    -------
    pandas.DataFrame
        One row per unit, every column as text, empty where blank.

    Raises
    ------
    DataError
        Naming the file: a missing column, a repeated unit, a date that is not ``YYYY-MM-DD``,
        a successor not in the table, successors without ``valid_to``, or successors that form
        a cycle.
    """
    path = Path(path)
    table = pd.read_csv(path, dtype=str).fillna("")
    missing = [c for c in COLUMNS if c not in table]
    if missing:
        raise DataError([f"{path}: missing column(s) {', '.join(missing)}; the header must name "
                         f"{', '.join(COLUMNS)} (and may add {', '.join(REFORM_COLUMNS)})"])
    table = _with_reform_columns(table)
    check_units(table, str(path))
    return table


def unit_names(units: pd.DataFrame, lang: str) -> pd.Series:
    """Each unit's name in ``lang``, indexed by unit id: ``name_en`` in English where the table
    has one (``Krông Bông district``), else ``name`` as the table writes it (``Huyện Krông
    Bông``); empty where the table has no name."""
    names = units.set_index("unit")["name"].fillna("")
    if lang == "en" and "name_en" in units:
        english = units.set_index("unit")["name_en"].fillna("")
        names = english.where(english != "", names)
    return names


def unit_name(unit: str, lang: str, units: pd.DataFrame | None = None) -> str:
    """The name of ``unit`` in ``lang`` (``unit_names``) for a reader who does not know the ids
    (``Huyện Krông Bông`` for ``krong-bong``), from ``units`` (by default ``load_units()``);
    the id itself where the table has no name for it."""
    names = unit_names(load_units() if units is None else units, lang)
    return names.get(unit) or unit


def _with_reform_columns(units: pd.DataFrame) -> pd.DataFrame:
    """The table with blank reform columns where it has none (a table of the old form)."""
    return units.assign(**{c: units.get(c, "") for c in REFORM_COLUMNS})


def check_units(units: pd.DataFrame, where: str = "units.csv") -> None:
    """Raise ``DataError`` on the first problem of a units table, naming ``where``.

    Lines are counted as in the CSV file (the header is line 1).
    """
    seen: set[str] = set()
    ids = set(units["unit"])
    for i, row in enumerate(units.itertuples(index=False)):
        line = f"{where}:{i + 2}"
        if row.unit in seen:
            raise DataError([f"{line}: unit '{row.unit}' repeats; each unit has one row"])
        seen.add(row.unit)
        for column in ("valid_from", "valid_to"):
            if getattr(row, column) and _date(getattr(row, column)) is None:
                raise DataError([f"{line}: column '{column}': '{getattr(row, column)}' is not a "
                                 "date; write it as YYYY-MM-DD, e.g. 2025-06-30"])
        for successor in row.successors.split():
            if successor not in ids:
                raise DataError([f"{line}: successor '{successor}' of {row.unit} is not a unit "
                                 "of the table; add a row for it"])
        if row.successors and not row.valid_to:
            raise DataError([f"{line}: {row.unit} has successors but no valid_to; write the last "
                             "day it existed, e.g. 2025-06-30"])
    reform_order(units, where)


def _date(text: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        return None


def level_of(units: pd.DataFrame, unit: str) -> str:
    """The unit's level (``country``, ``province``, ``district``, ``commune``); empty when the
    unit is not in the table."""
    level = units.loc[units["unit"] == unit, "level"]
    return str(level.iloc[0]) if len(level) else ""


def check_unit_known(unit: str, observations: pd.DataFrame, units: pd.DataFrame,
                     data: object = "the observations", table: object = "the units table",
                     option: str = "unit") -> None:
    """Refuse a unit that neither the observations nor the units table holds: most often a
    mistyped id, which would otherwise give a table of unknowns (a unit of the table with no
    figure yet is let through: its figures are still to be entered).

    Parameters
    ----------
    unit : str
        Unit id asked for.
    observations : pandas.DataFrame
        The figures (``unit`` column).
    units : pandas.DataFrame
        The units table (``ktt.inputs.units.load_units``).
    data, table : str or Path
        How the message names the observations and the units table (a file's path).
    option : str
        How the message names the setting to correct (``unit``, ``--unit``).

    Raises
    ------
    KttError
        Naming the unit, the observations, the closest id of either and what to do.
    """
    held = sorted(set(observations["unit"]))
    if unit in held or unit in set(units["unit"]):
        return
    hint = did_you_mean(unit, held + sorted(set(units["unit"]) - set(held)))
    raise KttError(f"unit '{unit}' is neither in {data} nor in {table}; {hint}give {option} "
                   f"one of {', '.join(held) or 'the units table'}, or add the unit to the "
                   "units table")


def check_no_mistyped_unit(unit: str, observations: pd.DataFrame, units: pd.DataFrame,
                           data: object = "the observations") -> None:
    """Refuse figures filed under an id that the units table does not know and that is a near
    miss (``NEAR_MISS``) of ``unit`` or of a unit that took over its area, where the figures
    hold some of the unit's own: they are most likely its own too, mistyped, and would be left
    out without a word (a report whose 2025 rows said krong-bongg read "figures to 2024", and
    only the terminal had said why).

    Parameters
    ----------
    unit : str
        The unit read.
    observations : pandas.DataFrame
        The figures (``unit`` and ``year`` columns).
    units : pandas.DataFrame
        The units table (``ktt.inputs.units.load_units``).
    data : str or Path
        How the message names the observations (a file's path).

    Raises
    ------
    KttError
        Naming the file, the id, its years, the unit it is close to and what to do.
    """
    read = [unit, *successors_of(units, unit)]
    held = set(observations["unit"])
    if not held & set(read):
        return  # none of the unit's figures at all: its callers say so in words of their own
    for other in sorted(held - set(units["unit"]) - set(read)):
        close = difflib.get_close_matches(other, read, n=1, cutoff=NEAR_MISS)
        if close:
            years = sorted(observations.loc[observations["unit"] == other, "year"].unique())
            whose = "the unit read" if close[0] == unit else f"which took over {unit}'s area"
            raise KttError(
                f"{data}: unit '{other}' ({year_span(years)}) is not in "
                f"{config.UNITS.relative_to(config.ROOT)} and is close to '{close[0]}', {whose}, "
                f"so its figures would be left out; correct the file's unit column to "
                f"'{close[0]}', or, if '{other}' is a unit of your own, add a row for it to "
                f"{config.UNITS.relative_to(config.ROOT)}")


def successors_on_record(units: pd.DataFrame, unit: str, held: Iterable[str]) -> bool:
    """Whether any of the units that took over ``unit``'s area is among ``held`` (the units a
    file has figures for): a file of a district that ended may hold its communes' figures
    alone."""
    return bool(set(successors_of(units, unit)) & set(held))


def successors_of(units: pd.DataFrame, unit: str) -> list[str]:
    """The units that took over ``unit``'s area; empty when it has not ended or has none."""
    row = units.loc[units["unit"] == unit]
    if row.empty or "successors" not in units:
        return []
    return row["successors"].iloc[0].split()


def reform_year(units: pd.DataFrame, unit: str) -> int:
    """The first year whose figures are its successors': the year of the day after
    ``valid_to`` (2025 for the reform of 1 July 2025)."""
    valid_to = units.loc[units["unit"] == unit, "valid_to"].iloc[0]
    return (dt.date.fromisoformat(valid_to) + dt.timedelta(days=1)).year


def reform_order(units: pd.DataFrame, where: str = "units.csv") -> list[str]:
    """The units that have successors, each after every one of its successors that has
    successors too, so that a unit is summed from figures already summed.

    Raises
    ------
    DataError
        When successors form a cycle (a unit that would succeed itself), naming ``where``.
    """
    if "successors" not in units:
        return []
    after = {u: s.split() for u, s in zip(units["unit"], units["successors"], strict=True)
             if s.split()}
    order: list[str] = []
    visiting: list[str] = []

    def visit(unit: str) -> None:
        if unit in order:
            return
        if unit in visiting:
            cycle = " -> ".join([*visiting[visiting.index(unit):], unit])
            raise DataError([f"{where}: successors form a cycle: {cycle}; a unit's successors "
                             "must be other, later units: fix the successors column"])
        visiting.append(unit)
        for successor in after.get(unit, []):
            if successor in after:
                visit(successor)
        visiting.pop()
        order.append(unit)

    for unit in after:
        visit(unit)
    return order


def successor_counts(frame: pd.DataFrame, units: pd.DataFrame, unit: str) -> pd.DataFrame:
    """The rows of ``frame`` that could sum to ``unit``'s figures: its successors' counts
    (not shares, which follow from the counts) from its ``reform_year`` on; none when it has
    no successors (or the table has no ``successors`` column)."""
    successors = successors_of(units, unit)
    if not successors:
        return frame.iloc[:0]
    return frame[frame["unit"].isin(successors) & (frame["year"] >= reform_year(units, unit))
                 & frame["indicator"].map(kind_of).ne("share")]


def successor_sums(frame: pd.DataFrame, units: pd.DataFrame) -> pd.DataFrame:
    """Counts of the units that ended, summed from their successors' figures.

    For each unit with successors, from its ``reform_year`` on, every count indicator
    (``catalog``: foundings, stocks, members, the numerators and denominators of shares) is
    the sum of its successors' figures, in the years where every successor has one; a year
    with a successor's figure missing stays missing, never a partial sum. A figure the unit
    reports itself is never replaced. Shares are not summed here: ``derive`` computes them
    from the summed counts.

    Parameters
    ----------
    frame : pandas.DataFrame
        Observations with their derived indicators (``unit, year, indicator, value, source,
        quote``; ``orgs_new`` of each successor included).
    units : pandas.DataFrame
        The units table (``load_units``).

    Returns
    -------
    pandas.DataFrame
        New rows in the columns of ``frame``: ``source`` joins the successors' sources with
        ``+``, ``quote`` says "sum of the successors of <unit> (<ids>)"; empty when nothing is
        summed.
    """
    units = _with_reform_columns(units)
    current, added = frame, []
    for unit in reform_order(units):
        successors = successors_of(units, unit)
        part = successor_counts(current, units, unit)
        if part.empty:
            continue
        sums = part.groupby(["year", "indicator"]).agg(
            value=("value", "sum"), n=("unit", "nunique"),
            source=("source", lambda s: "+".join(dict.fromkeys(s))))
        own = set(zip(*[current.loc[current["unit"] == unit, c] for c in ("year", "indicator")],
                      strict=True))
        new = np.array([key not in own for key in sums.index], dtype=bool)
        sums = sums[(sums["n"] == len(successors)).to_numpy() & new].reset_index()
        if sums.empty:
            continue
        rows = sums.drop(columns="n").assign(
            unit=unit, quote=f"{SUM_QUOTE} {unit} ({', '.join(successors)}), data/units.csv")
        rows = rows.reindex(columns=frame.columns)
        added.append(rows)
        current = pd.concat([current, rows], ignore_index=True)
    return pd.concat(added, ignore_index=True) if added else frame.iloc[:0]


def partial_sums(frame: pd.DataFrame, units: pd.DataFrame, only: str | None = None
                 ) -> list[str]:
    """The sums ``successor_sums`` cannot make because some successors lack the figure, one
    line each: e.g. ``krong-bong 2026 htx_new: xa-cu-pui has no figure (4 of 5 successors
    do)``. Shares are left out: they follow from their counts.

    Parameters
    ----------
    frame : pandas.DataFrame
        Observations as ``ktt.inputs.indicators.derive`` returns them, so that the sums it
        made count as made.
    units : pandas.DataFrame
        The units table (``load_units``).
    only : str, optional
        A unit id: its lines alone (``ktt status`` of one unit); every ended unit's by
        default.

    Returns
    -------
    list of str
        One line per ended unit, year and count indicator that some but not all successors
        report and the unit has no figure of its own for.
    """
    units = _with_reform_columns(units)
    lines = []
    for unit in reform_order(units) if only is None else [only]:
        successors = successors_of(units, unit)
        part = successor_counts(frame, units, unit)
        own = frame[frame["unit"] == unit].set_index(["year", "indicator"]).index
        for (year, code), reporting in part.groupby(["year", "indicator"])["unit"]:
            lacking = [s for s in successors if s not in set(reporting)]
            if lacking and (year, code) not in own:
                lines.append(f"{unit} {year} {code}: {', '.join(lacking)} "
                             f"{'has' if len(lacking) == 1 else 'have'} no figure "
                             f"({len(successors) - len(lacking)} of {len(successors)} "
                             "successors do)")
    return lines


def reform_note(units: pd.DataFrame, unit: str, frame: pd.DataFrame) -> str:
    """One sentence for a status or report: the unit ended, and which of its figures are its
    successors' sums; empty for a unit that has no successors.

    Parameters
    ----------
    units : pandas.DataFrame
        The units table.
    unit : str
        Unit id.
    frame : pandas.DataFrame
        The derived observations the answers come from.
    """
    successors = successors_of(_with_reform_columns(units), unit)
    if not successors:
        return ""
    valid_to = units.loc[units["unit"] == unit, "valid_to"].iloc[0]
    summed = frame[(frame["unit"] == unit) & frame["quote"].str.startswith(SUM_QUOTE)]
    years = sorted(set(summed["year"]))
    # "from 2025 its figures are the sums" beside "the figures of 2025 are its own" read as a
    # contradiction: a figure the unit reports itself is never replaced (successor_sums)
    head = (f"{unit} ended on {valid_to} (data/units.csv); from {reform_year(units, unit)} a "
            f"figure it does not report itself is the sum of its successors' "
            f"({', '.join(successors)})")
    if not years:
        own = own_years_after_reform(units, unit, frame)
        mine = (f"; the figures of {year_span(own)} on record are {unit}'s own" if own
                else "")
        # successors with figures but no year that all of them report: the sums are what is
        # missing, not the figures ("none of which is on record" read as no commune's)
        none = ("none of which can be made yet: no year has figures from all of them"
                if successors_on_record(units, unit, frame["unit"])
                else "none of which is on record yet")
        return f"{head}, {none}{mine}"
    return (f"{head}: {len(summed)} figures of {year_span(years)} summed (counts added, "
            "shares from the summed counts)")


def year_span(years: list[int]) -> str:
    """``2025`` for one year, ``2025-2027`` for several (sorted)."""
    return str(years[0]) if years[0] == years[-1] else f"{years[0]}-{years[-1]}"


def own_years_after_reform(units: pd.DataFrame, unit: str, frame: pd.DataFrame) -> list[int]:
    """Years from the reform on in which an ended unit has figures of its own (reported for
    it, not summed from its successors), sorted."""
    mine = frame[(frame["unit"] == unit) & (frame["year"] >= reform_year(units, unit))
                 & ~frame["quote"].str.startswith(SUM_QUOTE)]
    return sorted({int(y) for y in mine["year"]})
