"""Derive the indicators the targets need from the reported figures.

A derived figure fills a year only where the figure is not reported and every part is known;
a reported figure is never overwritten. A year with a missing part stays missing.
"""

from __future__ import annotations

import pandas as pd

from ktt.catalog import SHARE_PARTS, SUM_PARTS


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


def derive(observations: pd.DataFrame) -> pd.DataFrame:
    """Add the derived indicators to an observations frame.

    Derived are ``orgs_new = htx_new + tht_new`` [count per year], and each share of
    ``catalog.SHARE_PARTS`` from its counts [fraction], for instance
    ``profitable_share = orgs_profitable / (htx_active + tht_active)``.

    Parameters
    ----------
    observations : pandas.DataFrame
        As returned by ``ktt.data.load_observations``.

    Returns
    -------
    pandas.DataFrame
        The same columns plus ``derived`` (bool); derived rows carry the sources of their
        parts joined with ``+`` and a quote ``derived: <formula>``.
    """
    if "derived" in observations:  # already derived: nothing left to fill
        return observations
    frame = observations.assign(derived=False)
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

    Returns
    -------
    pandas.Series
        Float values indexed by ``year`` (int), sorted; empty when there is no figure.
        Years with no figure are absent, not zero.
    """
    rows = observations[(observations["unit"] == unit) & (observations["indicator"] == indicator)]
    out = rows.set_index("year")["value"].sort_index().astype(float)
    out.index = out.index.astype(int)
    return out.rename(indicator)
