"""The published figures of the province and the country beside a district's own.

Only yearly flows and shares are compared: a province's stock of cooperatives is a hundred
times a district's and says nothing about the district's pace, while its foundings a year and
its share rated fair or good can be read on the same chart (counts on a log scale).
"""

from __future__ import annotations

import pandas as pd
from matplotlib.figure import Figure
from matplotlib.ticker import SymmetricalLogLocator

from ktt.inputs.catalog import kind_of
from ktt.inputs.units import unit_names
from ktt.report.plots import (
    PANEL_HEIGHT,
    PANEL_WIDTH,
    fit_layout,
    mark_synthetic,
    number_axes,
    year_axis,
)
from ktt.report.sources import cited, mark, numbering
from ktt.report.strings import text

COMPARED = ("htx_new", "htx_dissolved", "rated_good_share", "profitable_share",
            "household_share")
"""Indicators shown beside the published record: foundings and dissolutions a year [count per
year], and shares [fraction]."""


def ancestors(unit: str, units: pd.DataFrame) -> list[str]:
    """The units above ``unit``, nearest first (its province, then the country)."""
    parents = dict(zip(units["unit"], units["parent"], strict=True))
    chain: list[str] = []
    parent = parents.get(unit, "")
    while parent and parent not in chain:
        chain.append(parent)
        parent = parents.get(parent, "")
    return chain


def beside(history: pd.DataFrame, unit: str, record: pd.DataFrame,
           units: pd.DataFrame, lang: str = "vi") -> pd.DataFrame:
    """The unit's figures and its province's and country's published ones, for ``COMPARED``.

    Parameters
    ----------
    history : pandas.DataFrame
        Observations holding the unit's figures (the report's data, derived or not).
    unit : str
        Unit id.
    record : pandas.DataFrame
        The published record (``data/observations.csv``), for the units above ``unit``.
    units : pandas.DataFrame
        Units table (``unit, name, level, parent``).
    lang : str, optional
        The language of the units' names (``ktt.inputs.units.unit_names``).

    Returns
    -------
    pandas.DataFrame
        ``unit, name, level, year, indicator, value, source, quote``; the unit first, then
        its province and the country, each sorted by indicator and year. Only indicators the
        province or the country has a figure for.
    """
    above = ancestors(unit, units)
    published = record[record["unit"].isin(above) & record["indicator"].isin(COMPARED)]
    own = history[(history["unit"] == unit)
                  & history["indicator"].isin(published["indicator"])]
    order = {u: i for i, u in enumerate([unit, *above])}
    columns = ["unit", "year", "indicator", "value", "source", "quote"]
    table = pd.concat([own[columns], published[columns]], ignore_index=True)
    names = unit_names(units, lang).rename("name").reset_index()
    table = table.merge(names.merge(units[["unit", "level"]], on="unit"), on="unit", how="left")
    table = table.sort_values(["unit", "indicator", "year"], key=lambda c: (
        c.map(order) if c.name == "unit" else c), ignore_index=True)
    return table[["unit", "name", "level", "year", "indicator", "value", "source", "quote"]]


def comparison_chart(table: pd.DataFrame, unit: str, own_label: str,
                     lang: str = "vi", synthetic: bool = False,
                     numbers: dict[str, int] | None = None) -> Figure:
    """One panel per indicator: the unit's record as a line, published figures as points
    labelled with their source's number (``[3]``, ``ktt.report.sources.mark``).

    Parameters
    ----------
    table : pandas.DataFrame
        From ``beside``.
    unit : str
        The unit whose figures are drawn as a line.
    own_label : str
        Legend entry of the unit's line (say "synthetic example" here when it is one).
    lang : {"vi", "en"}
        Language of titles and labels.
    synthetic : bool
        Mark the figure as drawn from synthetic figures (the unit's own).
    numbers : dict, optional
        Each source id's number in the list the chart's reader is pointed to; by default the
        table's sources numbered in order (``ktt.report.sources.cited``).

    Returns
    -------
    matplotlib.figure.Figure
    """
    numbers = numbering(cited(table["source"])) if numbers is None else numbers
    codes = list(dict.fromkeys(table["indicator"]))
    others = list(dict.fromkeys(table.loc[table["unit"] != unit, "unit"]))
    colours = dict(zip(others, ["tab:blue", "tab:orange", "tab:green", "tab:purple"],
                       strict=False))  # one colour per unit across panels
    fig = Figure(figsize=(PANEL_WIDTH, PANEL_HEIGHT * max(len(codes), 1)))  # by fit_layout
    axes = fig.subplots(max(len(codes), 1), 1, squeeze=False)
    for ax, code in zip(axes[:, 0], codes, strict=False):
        scale = 100 if kind_of(code) == "share" else 1
        rows = table[table["indicator"] == code]
        own = rows[rows["unit"] == unit]
        ax.plot(own["year"], own["value"] * scale, "o-", color="black", label=own_label)
        for other in others:
            group = rows[rows["unit"] == other]
            if group.empty:
                continue
            ax.plot(group["year"], group["value"] * scale, "s", ms=7, color=colours[other],
                    label=group["name"].iloc[0])
            first, last = rows["year"].min(), rows["year"].max()
            for year, value, source in zip(group["year"], group["value"], group["source"],
                                           strict=True):
                # a label at the chart's first or last year runs inward, not past the axis
                ha = "left" if year == first else "right" if year == last else "center"
                ax.annotate(mark(source, numbers), (year, value * scale), fontsize=7,
                            color=colours[other], xytext=(0, 6), textcoords="offset points",
                            ha=ha)
        if scale == 1:
            # a district's few foundings beside a province's hundred; linear near 0 so a
            # year with none stays on the chart
            ax.set_yscale("symlog", linthresh=1)
        ax.margins(x=0.08, y=0.2)  # room for the source labels
        ax.set_title(text(code, lang), y=1.0)  # placed as fit_layout expects, not measured
        ax.set_ylabel("%" if scale == 100 else text("log_scale", lang))
        ax.grid(alpha=0.3)
        number_axes(ax, lang, scale == 100)  # 1.000 (vi), 1,000 (en), not 10^3
        if scale == 1:
            _within_a_decade(ax)
        year_axis(ax)
        ax.legend(loc="best", fontsize=8)
    axes[-1, 0].set_xlabel(text("year", lang))
    if synthetic:
        mark_synthetic(fig, lang)
    fit_layout(fig, axes[:, 0])
    return fig


def _within_a_decade(ax) -> None:
    """Mark every whole step of a log panel whose figures lie within one decade: the
    country's 599 and 1.246 dissolved HTX showed the single mark 1.000, and nothing to read
    either figure by."""
    low, high = ax.get_ylim()
    if sum(low <= tick <= high for tick in ax.get_yticks()) < 2:
        ax.yaxis.set_major_locator(SymmetricalLogLocator(base=10, linthresh=1,
                                                         subs=range(1, 10)))
