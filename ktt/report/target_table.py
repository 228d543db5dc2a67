"""The target table in the report's words: each target's rule, its answer, the figures that
decide it or the latest, its 80 % interval and its paces, as the table for readers
(``answer_table``) and as a plain one (``target_table``)."""

from __future__ import annotations

import html
import math

import pandas as pd
from IPython.display import HTML

from ktt.calibration.suite import SuiteRecord, worst_gap
from ktt.forecasting.forecast import forecasts_its_year
from ktt.forecasting.options import farm_households
from ktt.inputs.catalog import decided_figures, kind_of
from ktt.inputs.targets import Target, deciding
from ktt.report import numbers, stacked
from ktt.report.answers import (
    BAND_COLOURS,
    band,
    cautions,
    legend,
    required_pace,
    target_label,
)
from ktt.report.answers import pace as _pace
from ktt.report.context import Context
from ktt.report.strings import text


def target_table(ctx: Context) -> pd.DataFrame:
    """One row per target: rule, status, probability, phrase, interval, paces, model."""
    table, lang = ctx.forecast.table, ctx.lang
    return pd.DataFrame({
        text("target", lang): table["id"],
        text("rule", lang): table["reading"],
        text("status", lang): table["status"].map(lambda s: text(s, lang)),
        text("record_deciding", lang): [_record(row, lang) for _, row in table.iterrows()],
        text("probability", lang): [numbers.probability(p, lang) if s == "open" else "-"
                                    for p, s in zip(table["probability"], table["status"],
                                                    strict=True)],
        text("likelihood", lang): table["likelihood"].map(lambda s: text(s, lang)),
        text("interval", lang): [
            _interval(row["lo80"], row["hi80"], row["indicator"], lang)
            if forecasts_its_year(row) else "-" for _, row in table.iterrows()],
        text("required", lang): [required_words(row, lang) for _, row in table.iterrows()],
        text("recent", lang): [_pace(v, c, lang) for v, c in
                               zip(table["recent_pace"], table["indicator"], strict=True)],
        text("model", lang): table["model"],
    })


def _record(row: pd.Series, lang: str) -> str:
    """The figures that decided a met or missed target, with their years and sources; for an
    open target the elapsed years of its period that have no figure (a target year already
    past stays open when the record lacks it), then its figures so far, or the latest figure
    when its period has none yet, with their sources."""
    code, observed = row["indicator"], row["observed"]
    cites = f" ({', '.join(row['sources'])})" if row["sources"] else ""
    if row["status"] != "open" and row["decided_by"]:
        return decided_figures(*deciding(row), row["threshold"],
                               lambda v, **k: numbers.value(v, code, lang, **k)) + cites
    parts = []
    # a year without its figure whose known parts or successors set a least (2026: ≥ 8 from
    # 4 of 5 communes) is said with it, not as a year of no figure
    least = {y: v for y, v in (row.get("at_least") or {}).items() if y not in observed}
    if gaps := [y for y in row["missing"] if y not in least]:
        parts.append(text("no_figure_for", lang).format(years=", ".join(map(str, gaps))))
    if observed or least:
        # the figures of its own years, not the latest (2026: 7 for a 2021-2025 rule), which
        # may be of a year it does not read
        shown = {**{y: f"≥ {numbers.value(v, code, lang)}" for y, v in least.items()},
                 **{y: numbers.value(v, code, lang) for y, v in observed.items()}}
        parts.append(", ".join(f"{y}: {shown[y]}" for y in sorted(shown)) + cites)
    elif row["latest"]:
        (year, value), = row["latest"].items()
        parts.append(f"{text('latest', lang)} {year}: {numbers.value(value, code, lang)}"
                     + cites)
    return "; ".join(parts) or text("no_record", lang)


def required_words(row: pd.Series, lang: str) -> str:
    """The pace a target of the forecast table needs (``ktt.report.answers.required_pace``);
    for an open target whose year is past, none is left to need, and that is said ("target
    year past"), where "not enough figures" blamed the record for it (the national 2025
    targets, open in 2025 for want of that year's figure)."""
    if (row["status"] == "open" and pd.isna(row["required_pace"])
            and not len(row.get("years_left", [None]))):
        return text("no_year_to_pace", lang)
    return required_pace(row["status"], row["rule"], row["required_pace"], row["indicator"],
                         lang)


def _in_households(pace: float, farm: float, lang: str) -> str:
    """A pace of the households' share as farm households a year, out of ``farm``, the farm
    households last on record (`` (≈ 600 hộ)``), the figure an enrolment campaign is planned
    in (``extra_households_per_year``); empty when they are not on record (NaN)."""
    if math.isnan(farm):
        return ""
    return text("in_households", lang).format(
        households=numbers.estimate(pace * farm, "farm_households", lang))


def slashed(figures: list[str], lang: str) -> str:
    """Figures joined by " / ", one that could not be computed (``-``) said in words ("chưa đủ
    số liệu"): a dash after a slash reads as a minus. ``-`` when none could."""
    if all(f == "-" for f in figures):
        return "-"
    return " / ".join(text("no_pace", lang) if f == "-" else f for f in figures)


def _interval(low: float, high: float, code: str, lang: str) -> str:
    """An open target's 80 % interval in the target year, its ends ``low`` and ``high`` in
    the unit of the indicator ``code``; in words when there is none (NaN: no figure to
    forecast from)."""
    if math.isnan(low) or math.isnan(high):
        return text("no_interval", lang)
    # a count's interval is of whole counts to three figures: 3 to 13, not 3,0 to 13,0;
    # 3.500.000 to 10.400.000, not 3.497.523 to 10.359.677
    return f"{numbers.estimate(low, code, lang)} – {numbers.estimate(high, code, lang)}"


def _threshold(value: float, code: str, lang: str) -> str:
    """A target level as the plan writes it: a share as a percentage with the decimals it
    needs (7,5%, 60%), a count or stock as a number."""
    if kind_of(code) == "share":
        return numbers.percent(value, lang, 0 if round(value * 100, 6).is_integer() else 1)
    return numbers.number(value, lang, 0 if float(value).is_integer() else 1)


def rule_words(target: Target, lang: str) -> str:
    """A target's rule in words of the report's language, e.g. ``mỗi năm 2021–2025 ít nhất
    4`` or ``năm 2030 trên 65%``."""
    x = _threshold(target.threshold, target.indicator, lang) if target.threshold is not None \
        else ""
    if target.rule == "rising":
        return text(f"rule_rising_{target.reading}", lang).format(start=target.start - 1,
                                                                   end=target.end)
    if target.rule == "each_year_at_least":
        key = "rule_each_year_at_least" + ("" if target.start < target.end else "_one")
        return text(key, lang).format(start=target.start, end=target.end, x=x)
    if target.rule == "mean_at_least":
        return text("rule_mean_at_least", lang).format(start=target.start, end=target.end, x=x)
    low, high, low_open, high_open = target.bounds()
    if high == float("inf"):
        key, x = ("rule_above" if low_open else "rule_at_least"), _threshold(
            low, target.indicator, lang)
        return text(key, lang).format(end=target.end, x=x)
    if low == -float("inf"):
        return text("rule_below" if high_open else "rule_at_most", lang).format(
            end=target.end, x=_threshold(high, target.indicator, lang))
    return text("rule_between", lang).format(end=target.end,
                                             x=_threshold(low, target.indicator, lang),
                                             y=_threshold(high, target.indicator, lang))


def resolved_targets(ctx: Context) -> dict[str, Target]:
    """The report's targets by id, as the forecast's readings resolve them."""
    return {t.id: t for t in ctx.targets.resolve(ctx.forecast.settings["readings"])}


def caution_words(row: pd.Series, lang: str) -> str:
    """An open target's ``cautions``, each after "; "."""
    return "".join(f"; {c}" for c in cautions(row["status"], row["figures"],
                                               row["end"] in row["missing"], lang))


def _answer(row: pd.Series, lang: str) -> str:
    if row["status"] != "open":
        return text(row["status"], lang)
    if math.isnan(row["probability"]):  # "- · chưa rõ" said nothing of why
        return text("no_probability", lang)
    return (f"{numbers.probability(row['probability'], lang)} · "
            f"{text(row['likelihood'], lang)}{caution_words(row, lang)}")


GAP_CALLS = 50
"""Least calls a bin of the calibration suite holds for its gap to be said
(``calibration_words``): a bin of fewer has a standard error of 7 points or more near 0.5."""


def calibration_words(suite: SuiteRecord | None, lang: str) -> str:
    """What the calibration suite found of the probabilities a report gives, in ``lang``: its
    districts and its largest gap in bins of ``GAP_CALLS`` calls or more, every kind of target
    pooled (``ktt.calibration.suite.worst_gap``); the claim alone, pointing to the backtest
    report, when the suite was never saved (``suite`` None)."""
    gap = worst_gap(suite.reliability, min_calls=GAP_CALLS) if suite is not None else math.nan
    if not math.isfinite(gap):
        return text("calibration_claim", lang)
    return text("calibration_found", lang).format(
        districts=numbers.number(suite.settings["districts"], lang),
        gap=numbers.number(math.ceil(gap * 100), lang), least=GAP_CALLS)


def answer_table(ctx: Context) -> HTML:
    """The target table for readers: each target in words (indicator, year, rule) with the
    plan's own words beneath, its answer coloured by band (met, the probability's band,
    missed), the deciding or latest figures, the 80 % interval and the paces; a legend of the
    colours. No index; long text wraps; on a phone each target is a block of its own
    (``ktt.report.stacked``)."""
    table, lang = ctx.forecast.table, ctx.lang
    targets = resolved_targets(ctx)
    heads = [text("target", lang), text("answer", lang), text("record_deciding", lang),
             text("interval", lang), text("pace", lang)]
    history = ctx.forecast.history
    farm = farm_households(history[history["year"] <= ctx.forecast.as_of], ctx.forecast.unit)
    rows, households_note = [], False
    for _, row in table.iterrows():
        target = targets[row["id"]]
        colour, ink = BAND_COLOURS[band(row["status"], row["probability"])]
        recent = _pace(row["recent_pace"], row["indicator"], lang)
        paces = [required_words(row, lang), recent]
        if row["indicator"] == "household_share" and row["status"] == "open":
            # a pace of 0 is said as "hold the level", NaN as "-": neither is a count
            bracketed = [f + _in_households(v, farm, lang) if math.isfinite(v) and v != 0 else f
                         for f, v in zip(paces, (row["required_pace"], row["recent_pace"]),
                                         strict=True)]
            households_note |= bracketed != paces
            paces = bracketed
        pace = "-" if row["status"] != "open" else slashed(paces, lang)
        interval = (_interval(row["lo80"], row["hi80"], row["indicator"], lang)
                    if forecasts_its_year(row) else "-")
        # each row is an anchor: the index's cell for a target opens the report at its row
        rows.append(
            f"<tr id='{html.escape(target.id, quote=True)}'>"
            + stacked.cell(f"<strong>{html.escape(target_label(target, lang))}</strong><br>"
                           f"{html.escape(rule_words(target, lang))}<br>"
                           f"<small class='ktt-quote'><i>“{html.escape(target.quote)}”</i> "
                           f"<code>{html.escape(target.id)}</code></small>"
                           + (f"<br><small>{html.escape(text('read_as', lang))}: "
                              f"{html.escape(target.read_as[lang])}</small>"
                              if target.read_as else ""), heads[0],
                           "ktt-target", f" title='{html.escape(target.quote, quote=True)}'")
            + stacked.cell(html.escape(_answer(row, lang)), heads[1], "ktt-answer",
                           f" style='background:{colour};color:{ink};font-weight:bold'")
            + stacked.cell(html.escape(_record(row, lang)), heads[2])
            + stacked.cell(html.escape(interval), heads[3], stacked.empty(interval))
            + stacked.cell(html.escape(pace), heads[4], stacked.empty(pace)) + "</tr>")
    notes = [text("reading_note", lang).format(
        n=numbers.number(ctx.forecast.settings["n_paths"], lang)),
        calibration_words(ctx.suite, lang), text("pace_note", lang)]
    if households_note:
        notes.append(text("households_note", lang))
    return HTML(stacked.table(heads, rows, "ktt-targets")
                + f"{legend(lang)}<p><small>{html.escape(' '.join(notes))}</small></p>")
