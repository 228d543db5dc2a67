"""The official progress classes (``ktt.forecasting.progress``) beside ktt's probability: the
coloured table of every target's classes, and a sentence for each target where they and the
probability disagree."""

from __future__ import annotations

import html

from IPython.display import HTML, Markdown

from ktt.forecasting.progress import CLASSES, INSUFFICIENT, METHODS, ON_TRACK, disagrees
from ktt.report import numbers, stacked
from ktt.report.answers import pace, target_label
from ktt.report.context import Context
from ktt.report.strings import text
from ktt.report.target_table import resolved_targets, rule_words, slashed

CLASS_COLOURS = {
    "achieved": "#1a9850", "on_track": "#91cf60", "maintain": "#91cf60",
    "moderate": "#fee08b", "fair_progress": "#fee08b", "accelerate": "#fee08b",
    "limited": "#fc8d59", "deterioration": "#d73027", "stagnation_or_regression": "#d73027",
    "reverse": "#d73027", INSUFFICIENT: "#d9d9d9"}
"""Cell colour of each official class: greens meet the target, yellow and orange fall
short, red moves away, grey cannot be assessed."""


def _cell(label: str, category: str, head: str, title: str = "") -> str:
    """A class's cell in its colour, under the column ``head`` (its name on a phone)."""
    colour = CLASS_COLOURS.get(category, "#ffffff")
    tip = f" title='{html.escape(title, quote=True)}'" if title else ""
    return stacked.cell(html.escape(label), head, attrs=f" style='background:{colour}'{tip}")


def _yearly_text(count, code: str, lang: str) -> str:
    """k of n years met, the level each year without a figure needs (those left and the
    elapsed ones missing, as the target table's pace), the recent level."""
    if count is None:
        return "-"
    done = (text("years_of", lang).format(met=count.years_met, known=count.years_known)
            if count.years_known or count.years_missing else text("no_year_yet", lang))
    # written as the target table writes a pace: a whole count whole (40, not 40,0)
    needed = (pace(count.required_level, code, lang)
              if count.years_left or count.years_missing else text("no_year_left", lang))
    return slashed([done, needed, pace(count.recent_level, code, lang)], lang)


def _ratio(result, lang: str) -> str:
    """``Progress.ratio_text`` in the report's number format (Vietnamese writes the per cent
    sign against the number, ``+0,2%/năm``, as every other percentage of the report)."""
    if not result.ratio_text():
        return ""
    if result.measure == "cagr":
        sign = "+" if result.ratio >= 0 else "−"
        rate = numbers.number(abs(result.ratio) * 100, lang, 1)
        space = "" if lang == "vi" else " "
        return f"{sign}{rate}{space}%{text('per_year', lang)}"
    return numbers.number(result.ratio, lang, 2)


def progress_table(ctx: Context) -> HTML:
    """The official progress classes of every target beside ktt's probability: one coloured
    column per method (its class, and its ratio in brackets), the base year in the heading,
    for the yearly count rules the years met so far, and a legend naming each method, its
    document and its classes (``ktt.forecasting.progress``)."""
    table, lang = ctx.forecast.table, ctx.lang
    targets = resolved_targets(ctx)
    base_year = ctx.forecast.settings["base_year"]
    names = [text("target", lang), text("status", lang), text("probability", lang),
             *(text(m, lang) for m in METHODS), text("yearly_count", lang)]
    base = f"{text('base', lang)} {base_year}"
    heads = [*names[:3], *((text(m, lang), base) for m in METHODS), names[-1]]
    rows = []
    for _, row in table.iterrows():
        p = row["probability"]
        target = targets[row["id"]]
        yearly = _yearly_text(row["yearly"], row["indicator"], lang)
        shown = numbers.probability(p, lang) if row["status"] == "open" else "-"
        cells = [stacked.cell(f"{html.escape(target_label(target, lang))}<br>"
                              f"<small>{html.escape(rule_words(target, lang))}</small>",
                              names[0], "ktt-target",
                              f" title='{html.escape(target.id, quote=True)}'"),
                 stacked.cell(html.escape(text(row["status"], lang)), names[1]),
                 # a decided target has no probability, as in the target table: its status
                 # stands beside it
                 stacked.cell(shown, names[2], stacked.empty(shown))]
        for result, head in zip(row["progress"], names[3:-1], strict=True):
            label = text(f"class_{result.category}", lang)
            if result.ratio_text():
                label += f" ({_ratio(result, lang)})"
            base_figure = ("-" if result.base_year is None else
                           f"{result.base_year}: "
                           f"{numbers.value(result.base_value, row['indicator'], lang)}")
            latest = ("-" if result.latest_year is None else
                      f"{result.latest_year}: "
                      f"{numbers.value(result.latest_value, row['indicator'], lang)}")
            tip = (f"{text(result.method, lang)}: {label}; {text('base', lang)} {base_figure}; "
                   f"{text('latest', lang)} {latest}")
            # the method's measure and note are English formulas, for the English reader
            if lang == "en":
                tip = f"{tip}; {result.measure}. {result.note}".strip()
            cells.append(_cell(label, result.category, head, tip))
        cells.append(stacked.cell(html.escape(yearly), names[-1], stacked.empty(yearly)))
        rows.append(f"<tr>{''.join(cells)}</tr>")
    legend = []
    for method in METHODS:
        swatches = " ".join(
            f"<span style='background:{CLASS_COLOURS[c]};padding:1px 5px'>"
            f"{html.escape(text(f'class_{c}', lang))}</span>" for c in CLASSES[method])
        legend.append(f"<li><b>{html.escape(text(method, lang))}</b> (<code>{method}</code>): "
                      f"{html.escape(text(f'{method}_doc', lang))}. {swatches}</li>")
    intro = html.escape(text("progress_intro", lang).format(base_year=base_year))
    intro = intro.replace("`base_year`", "<code>base_year</code>")
    return HTML(f"<p>{intro}</p>{stacked.table(heads, rows, 'ktt-progress')}"
                f"<ul>{''.join(legend)}</ul>")


def progress_notes(ctx: Context) -> Markdown:
    """One sentence for each target whose official classes and ktt's probability disagree:
    on track with a probability below 0.33, or off track with one above 0.66."""
    lang, lines = ctx.lang, []
    targets = resolved_targets(ctx)
    for _, row in ctx.forecast.table.iterrows():
        p = row["probability"]
        label = f"**{target_label(targets[row['id']], lang)}**"
        against = [r for r in row["progress"] if disagrees(r, p)]
        # the methods that class the target at all: one of three saying "on track" is not
        # "the official classes" saying it
        classed = [r for r in row["progress"] if r.category != INSUFFICIENT]
        for on in (True, False):
            side = [r for r in against if (r.category in ON_TRACK) == on]
            if side:
                methods = "; ".join(f"{text(r.method, lang)}: "
                                    f"{text(f'class_{r.category}', lang)}" for r in side)
                who = (text("classes_all", lang) if len(side) == len(classed) else
                       text("classes_some", lang).format(
                           k=len(side), m=len(classed),
                           verb="says" if len(side) == 1 else "say"))
                if row["status"] != "open":
                    sentence = text("disagree_decided", lang).format(
                        target=label, methods=methods, who=who,
                        side=text("side_on" if on else "side_off", lang),
                        status=text(row["status"], lang))
                else:
                    sentence = text("disagree_on" if on else "disagree_off", lang).format(
                        target=label, methods=methods, who=who,
                        p=numbers.probability(p, lang),
                        phrase=text(row["likelihood"], lang))
                lines.append(f"- {sentence}")
    return Markdown("\n".join(lines) if lines else text("no_disagreement", lang))
