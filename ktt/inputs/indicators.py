"""Derive the indicators the targets need from the reported figures.

A derived figure fills a year only where the figure is not reported and every part is known;
a reported figure is never overwritten. A year with a missing part stays missing.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from ktt.errors import KttError, did_you_mean
from ktt.inputs.catalog import INDICATORS, SHARE_PARTS, SUM_PARTS
from ktt.inputs.units import successor_counts, successor_sums

RECORD_COLUMNS = ("unit", "year", "indicator", "value")
"""The columns every reading of a record needs (``load_observations`` gives them and more)."""


def check_record(observations: object, needs: tuple[str, ...] = RECORD_COLUMNS) -> None:
    """Refuse a path, or a table without the record's columns, where a loaded record is wanted.

    Parameters
    ----------
    observations : object
        What the caller passed as the record.
    needs : tuple of str
        The columns it must have.

    Raises
    ------
    KttError
        Naming what was passed and the call that loads it: Python's own error (``string
        indices must be integers``, a ``KeyError``) names neither.
    """
    if isinstance(observations, (str, Path)):
        raise KttError(f"observations is the path '{observations}', not a loaded record: "
                       f"pass ktt.load_observations('{observations}')")
    if not isinstance(observations, pd.DataFrame):
        raise KttError(f"observations is a {type(observations).__name__}, not a table: pass "
                       "ktt.load_observations(path to the figures' CSV)")
    lacking = [c for c in needs if c not in observations.columns]
    if lacking:
        raise KttError(f"observations lacks the column{'s' if len(lacking) > 1 else ''} "
                       f"{', '.join(lacking)}: load the file with ktt.load_observations(path), "
                       "which checks it and gives every column")


def _combine(wide: pd.DataFrame, sources: pd.DataFrame, code: str, parts: list[str],
             numerator: str | None) -> pd.DataFrame:
    """Rows for ``code`` where it is missing and all parts are known."""
    needed = parts + ([numerator] if numerator else [])
    if not all(p in wide for p in needed):
        return pd.DataFrame()
    total = wide[parts].sum(axis=1, min_count=len(parts))
    value = wide[numerator] / total if numerator else total
    if numerator:
        value = value.where(total > 0)
    known = wide[code] if code in wide else pd.Series(float("nan"), index=wide.index)
    fill = value.notna() & known.isna()
    if not fill.any():
        return pd.DataFrame()
    formula = f"{numerator} / ({' + '.join(parts)})" if numerator else " + ".join(parts)
    rows = value[fill].rename("value").reset_index()
    rows["indicator"] = code
    rows["source"] = [
        "+".join(dict.fromkeys(sources.loc[(u, y, p)] for p in needed))
        for u, y in zip(rows["unit"], rows["year"], strict=True)
    ]
    rows["quote"] = f"derived: {formula}"
    return rows


def derive(observations: pd.DataFrame, units: pd.DataFrame | None = None) -> pd.DataFrame:
    """Add the derived indicators to an observations frame.

    Derived are ``orgs_new = htx_new + tht_new`` [count per year], and each share of
    ``catalog.SHARE_PARTS`` from its counts [fraction], for instance
    ``profitable_share = orgs_profitable / (htx_active + tht_active)``. With ``units``, a unit
    that ended gets, from the reform on, the sums of its successors' counts
    (``ktt.inputs.units.successor_sums``) and the shares derived from those sums.

    Parameters
    ----------
    observations : pandas.DataFrame
        As returned by ``ktt.inputs.data.load_observations``.
    units : pandas.DataFrame, optional
        The units table (``ktt.inputs.units.load_units``); without it no successor is summed.

    Returns
    -------
    pandas.DataFrame
        The same columns plus ``derived`` (bool); derived rows carry the sources of their
        parts joined with ``+`` and a quote ``derived: <formula>`` (or, for a successors' sum,
        ``sum of the successors of <unit> (...)``). A frame that already has ``derived`` is
        returned as it is.
    """
    if "derived" in observations:  # already derived: nothing left to fill
        return observations
    frame = _fill(observations.assign(derived=False))
    if units is not None and not frame.empty:
        sums = successor_sums(frame, units)
        if not sums.empty:  # the shares of an ended unit come from its summed counts
            frame = _fill(pd.concat([frame, sums.assign(derived=True)], ignore_index=True))
    return frame


def _fill(frame: pd.DataFrame) -> pd.DataFrame:
    """``frame`` with every sum of ``SUM_PARTS`` and share of ``SHARE_PARTS`` it can fill."""
    if frame.empty:
        return frame
    keyed = frame.set_index(["unit", "year", "indicator"])
    wide = keyed["value"].unstack("indicator")
    sources = keyed["source"]
    added = [_combine(wide, sources, code, list(parts), None) for code, parts in SUM_PARTS.items()]
    added += [_combine(wide, sources, code, list(parts), num)
              for code, (num, parts) in SHARE_PARTS.items()]
    added = [a.assign(derived=True) for a in added if not a.empty]
    if not added:
        return frame
    out = pd.concat([frame, *added], ignore_index=True)
    return out.sort_values(["unit", "indicator", "year"], ignore_index=True)


def series(observations: pd.DataFrame, unit: str, indicator: str) -> pd.Series:
    """One indicator of one unit as a series indexed by year.

    Parameters
    ----------
    observations : pandas.DataFrame
        Observations (``unit, year, indicator, value``). A derived indicator (``orgs_new``,
        the shares) is there only once ``derive`` has added it: on a file as loaded, a
        district that reports ``htx_new`` and ``tht_new`` has no ``orgs_new`` yet.
    unit : str
        Unit id, e.g. ``krong-bong``.
    indicator : str
        Indicator code (``ktt.inputs.catalog``), e.g. ``orgs_new``.

    Returns
    -------
    pandas.Series
        Float values indexed by ``year`` (int), sorted, in the indicator's unit (a count,
        or a share as a fraction in [0, 1]); empty when there is no figure. Years with no
        figure are absent, not zero.

    Raises
    ------
    KttError
        For a code the catalog does not know (a misspelt one had given an empty series, read
        as "no figure"), naming the closest; for a path or a table without the record's
        columns in place of the record (``check_record``).
    """
    check_record(observations)
    if indicator not in INDICATORS:
        raise KttError(f"unknown indicator '{indicator}'; {did_you_mean(indicator, INDICATORS)}"
                       "the codes are those of ktt.inputs.catalog.INDICATORS")
    rows = observations[(observations["unit"] == unit) & (observations["indicator"] == indicator)]
    out = rows.set_index("year")["value"].sort_index().astype(float)
    out.index = out.index.astype(int)
    return out.rename(indicator)


def floors(observations: pd.DataFrame, unit: str, code: str,
           units: pd.DataFrame | None = None) -> pd.Series:
    """The least a count can be in the years it has no figure but some of what it sums has
    one, since a count is never below 0: ``orgs_new`` is at least ``htx_new`` in a year whose
    ``tht_new`` is blank; and a unit that ended (``units``' successors) has at least the sum
    of the successors that report a year some do not (4 of 5 communes' THT founded). A yearly
    rule reads such a year as reached when the floor reaches it (5 HTX founded meet "at least
    4 HTX and THT" whatever the THT were).

    Parameters
    ----------
    observations : pandas.DataFrame
        Observations, derived (``derive``): a year with every part known has its sum already.
    unit : str
        Unit id.
    code : str
        Indicator code; a share has no floors.
    units : pandas.DataFrame, optional
        The units table (``ktt.inputs.units.load_units``), for the successors of a unit that
        ended; without it, only a sum of ``catalog.SUM_PARTS`` has floors, from its parts.

    Returns
    -------
    pandas.Series
        The least the count can be [count] by year, for the years ``code`` has no figure and
        some part or successor has one; empty when there are none.
    """
    own = series(observations, unit, code)
    # by indicator and year, the sum of what the successors of a unit that ended report; none
    # without a units table, for a unit without successors or for a share
    reported = (pd.Series(dtype=float) if units is None else
                successor_counts(observations, units, unit).dropna(subset=["value"])
                .groupby(["indicator", "year"])["value"].sum().astype(float))

    def successors(c: str) -> pd.Series:
        return reported.xs(c) if c in reported.index.get_level_values(0) else pd.Series(
            dtype=float)

    least = successors(code)
    if code in SUM_PARTS:
        # each part at its figure, or at its own floor where the successors left it blank
        parts = pd.concat([series(observations, unit, part).combine_first(successors(part))
                           for part in SUM_PARTS[code]], axis=1).sum(axis=1, min_count=1)
        least = pd.concat([least, parts.dropna()], axis=1).max(axis=1)
    least = least[~least.index.isin(own.index)]
    least.index = least.index.astype(int)
    return least.sort_index().astype(float).rename(code)


def parts_of(code: str) -> list[str]:
    """The codes a derived indicator is made of, the numerator first for a share
    (``profitable_share``: ``orgs_profitable, htx_active, tht_active``); empty for a reported
    one."""
    if code in SUM_PARTS:
        return list(SUM_PARTS[code])
    if code in SHARE_PARTS:
        numerator, denominator = SHARE_PARTS[code]
        return [numerator, *denominator]
    return []


def missing_parts(observations: pd.DataFrame, unit: str, code: str) -> list[str]:
    """The parts a derived indicator lacks for a unit that has some of them but no figure of
    the indicator itself: ``orgs_new`` with ``htx_new`` reported and ``tht_new`` never.

    Parameters
    ----------
    observations : pandas.DataFrame
        Observations (``unit, year, indicator, value``), derived or not.
    unit : str
        Unit id.
    code : str
        Indicator code; one that is not derived (``catalog.SUM_PARTS``, ``SHARE_PARTS``) has
        no parts.

    Returns
    -------
    list of str
        The parts with no figure in any year, in the catalog's order; empty when the indicator
        has a figure, is not derived, or none of its parts has one (nothing begun to mend).
    """
    parts = parts_of(code)
    if not parts:
        return []
    own = observations.loc[(observations["unit"] == unit) & observations["value"].notna(),
                           "indicator"]
    held = set(own)
    if code in held or not held & set(parts):
        return []
    return [p for p in parts if p not in held]
