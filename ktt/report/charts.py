"""The forecast report's charts and what they cite: the fan chart of every indicator a target
uses, the province's and the country's published figures beside the unit's (a chart and a
table), and the numbered list of the sources their marks refer to."""

from __future__ import annotations

import pandas as pd
from IPython.display import HTML, Markdown

from ktt.inputs.catalog import INDICATORS, kind_of
from ktt.inputs.units import load_units, unit_names
from ktt.report import numbers
from ktt.report.comparison import ancestors, comparison_chart
from ktt.report.context import Context
from ktt.report.plots import (
    CHART_WIDTH,
    PANEL_DPI,
    Chart,
    Charts,
    fan_charts,
    panel_groups,
    png_bytes,
)
from ktt.report.sources import cited, known_sources, mark, numbering, source_list
from ktt.report.strings import text
from ktt.report.target_table import rule_words


def _alt(ctx: Context, key: str, codes) -> str:
    words = ", ".join(text(c, ctx.lang) for c in dict.fromkeys(codes))
    return text(key, ctx.lang).format(codes=words) + (
        text("synthetic_alt", ctx.lang) if ctx.synthetic else "")


def fan_chart(ctx: Context) -> Chart | Charts:
    """Fan charts of every indicator a target uses, as a PNG with its alt text (marked when the
    figures are synthetic); more indicators than a printed page holds (``MAX_PANELS``), as
    charts of a few each (``panel_groups``), which paper keeps whole."""
    targets = ctx.targets.resolve(ctx.forecast.settings["readings"])
    labels = {t.id: rule_words(t, ctx.lang) for t in targets}
    charts = []
    for group in panel_groups(list(dict.fromkeys(t.indicator for t in targets))):
        drawn = [t for t in targets if t.indicator in group]
        charts.append(Chart(png_bytes(fan_charts(ctx.forecast, drawn, labels, ctx.lang,
                                                 ctx.synthetic), PANEL_DPI),
                            _alt(ctx, "alt_fan", group), CHART_WIDTH))
    return charts[0] if len(charts) == 1 else Charts(tuple(charts))


def published_table(ctx: Context) -> pd.DataFrame | Markdown:
    """Each published figure of the province and the country, with its source and quote,
    beside the unit's own figure for the same indicator and year."""
    table, lang, unit = ctx.published, ctx.lang, ctx.forecast.unit
    if table.empty:  # the chart above already says there is none
        return Markdown("")
    own = table[table["unit"] == unit].set_index(["indicator", "year"])["value"]
    others = table[table["unit"] != unit]
    listed = numbering(_cited(ctx))
    return pd.DataFrame({
        text("unit", lang): others["name"].fillna(others["unit"]),
        text("year", lang): others["year"],
        text("indicator", lang): others["indicator"].map(lambda c: text(c, lang)),
        text("value", lang): [numbers.value(v, c, lang) for v, c in
                              zip(others["value"], others["indicator"], strict=True)],
        text("own_value", lang): [numbers.value(own.get((c, y), float("nan")), c, lang)
                                  for c, y in
                                  zip(others["indicator"], others["year"], strict=True)],
        text("source", lang): [f"{mark(s, listed)} {s}" for s in others["source"]],
        text("quote", lang): others["quote"],
    }).reset_index(drop=True)


def beside_heading(ctx: Context) -> Markdown:
    """The heading of the published figures' section, with how its chart cites sources
    (``[3]``) when there are published figures to cite, and what its log scale is when it
    draws counts (``ktt.report.comparison.comparison_chart``)."""
    words = text("beside_heading", ctx.lang)
    if ctx.published.empty:
        return Markdown(words)
    counts = any(kind_of(code) != "share" for code in ctx.published["indicator"])
    return Markdown(f"{words}\n\n{text('beside_numbers', ctx.lang)}"
                    + (f" {text('beside_log', ctx.lang)}" if counts else ""))


def published_chart(ctx: Context) -> Chart | Markdown:
    """The unit's record as lines, the province's and country's figures as labelled points; a
    unit with none above it (the country) says that it has none, and where its own figures'
    sources are."""
    if ctx.published.empty:
        # the country has nothing above it: "no published provincial or national figure"
        # read, in the national plans' reports, as if their own published figures were missing
        units = load_units()
        unit = ctx.forecast.unit
        if unit in set(units["unit"]) and not ancestors(unit, units):
            return Markdown(text("no_unit_above", ctx.lang).format(
                unit=unit_names(units, ctx.lang).get(unit, unit)))
        return Markdown(text("no_published", ctx.lang))
    own = ctx.published.loc[ctx.published["unit"] == ctx.forecast.unit, "name"]
    label = own.iloc[0] if len(own) and isinstance(own.iloc[0], str) else ctx.forecast.unit
    if ctx.synthetic:
        label += f" ({text('synthetic_label', ctx.lang)})"
    return Chart(png_bytes(comparison_chart(ctx.published, ctx.forecast.unit, label, ctx.lang,
                                            ctx.synthetic, numbering(_cited(ctx))), PANEL_DPI),
                 _alt(ctx, "alt_published", ctx.published["indicator"]), CHART_WIDTH)


def sources(ctx: Context) -> HTML:
    """Every source the unit's record and the published figures cite, with the publication
    each stands for, linked to its address (``ktt.report.sources``)."""
    return HTML(source_list(_cited(ctx), known_sources(ctx.data_path), ctx.lang,
                            quoted_figures(ctx.forecast.history, ctx.lang, ctx.alternatives)))


def quoted_figures(history: pd.DataFrame, lang: str,
                   alternatives: pd.DataFrame | None = None) -> dict[str, list[str]]:
    """The unit's own figures by source id, each with the phrase it is read from: ``2016, New
    HTX: 2,030: "…"``, by indicator in the catalog's order (foundings, dissolutions, stocks,
    members, profitable, rated, households; ``INDICATORS``) and year: an order a reader sees
    in the words, where the codes' alphabet showed none. The published figures of other
    units have their quotes in their own table (``published_table``); a derived figure (a
    sum, a share of two figures) has none of its own, and a sum of several units' figures
    cites its parts' sources, whose figures are theirs.

    Each of ``alternatives`` (``ktt.inputs.data.load_alternatives``: another publisher's
    figure the loader did not keep) is listed under its source too, saying it is not used and
    what the preferred source gives: a reviewer who read 119,710 THT in one source's phrase
    and 73,000 in the chart was not told which the forecast used, nor why."""
    own = history[~history["derived"].astype(bool) & history["quote"].fillna("").ne("")]
    rows = [own.assign(kept_value=float("nan"))]
    if alternatives is not None and len(alternatives):
        rows.append(alternatives)
    figures = pd.concat(rows, ignore_index=True)
    quoted: dict[str, list[str]] = {}
    order = {code: rank for rank, code in enumerate(INDICATORS)}
    ranked = figures.sort_values(["indicator", "year"], kind="stable",
                                 key=lambda column: column.map(order)
                                 if column.name == "indicator" else column)
    for row in ranked.itertuples():
        unused = ("" if pd.isna(row.kept_value) else
                  " " + text("same_as_used", lang) if row.kept_value == row.value else
                  " " + text("not_used", lang).format(
                      value=numbers.value(row.kept_value, row.indicator, lang)))
        quoted.setdefault(row.source, []).append(
            f"{row.year}, {text(row.indicator, lang)}: "
            f"{numbers.value(row.value, row.indicator, lang)}: “{row.quote}”{unused}")
    return quoted


def _cited(ctx: Context) -> list[str]:
    """The report's sources in the order its list numbers them: those of the unit's figures,
    of the published figures beside them, and of the figures not used (``alternatives``)."""
    return cited(ctx.forecast.history["source"], ctx.published.get("source", pd.Series()),
                 ctx.alternatives.get("source", pd.Series()))
