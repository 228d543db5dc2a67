"""A scenario against its baseline: the parameters it changed, its baseline (the same run
without its levers, ``baseline_of``), and each target's probability before and after."""

from __future__ import annotations

import html
import json
from dataclasses import replace

import numpy as np
import pandas as pd
from IPython.display import HTML, Markdown

from ktt.errors import KttError
from ktt.forecasting.options import options_from
from ktt.inputs.loading import load_inputs
from ktt.inputs.parameters import LEVERS
from ktt.inputs.scenarios import load_scenario
from ktt.inputs.targets import Target
from ktt.report import numbers, stacked
from ktt.report.answers import BAND_COLOURS, band, scenario_info, target_label
from ktt.report.context import Context, forecast_of, prepare
from ktt.report.strings import text
from ktt.report.target_table import resolved_targets, rule_words


def scenario_table(ctx: Context) -> pd.DataFrame | Markdown:
    """The parameters this scenario changed from the notebook's defaults."""
    defaults = {**prepare.__kwdefaults__, "readings": {}}
    changed = {k: v for k, v in ctx.parameters.items()
               if k != "scenario" and v != defaults.get(k)}
    if not changed:
        return Markdown(text("no_change", ctx.lang))
    lang = ctx.lang
    return pd.DataFrame([{text("parameter", lang): k, text("value", lang): _setting(v, lang),
                          text("default", lang): _setting(defaults.get(k), lang)}
                         for k, v in changed.items()])


def parameters_changed(ctx: Context) -> HTML | Markdown:
    """``scenario_table`` for the report's reader: under a caption that says what the table is,
    since its columns' names (parameter, value, default) alone do not."""
    table = scenario_table(ctx)
    if not isinstance(table, pd.DataFrame):
        return table
    caption = html.escape(text("parameters_changed", ctx.lang))
    return HTML(f"<p><strong>{caption}</strong></p>{stacked.from_frame(table)}")


def _setting(value, lang: str) -> str:
    """A parameter's value as the report's language writes it: a number with decimals in its
    format (``2,5`` in Vietnamese, ``2`` for 2.0), a whole number as it is (a year stays
    ``2026``), anything else as JSON."""
    if isinstance(value, float):
        return numbers.significant(value, lang)
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    return json.dumps(value, ensure_ascii=False)


SCENARIO_LEVERS = ("readings", *(key for lever, (_, year) in LEVERS.items()
                                  for key in (lever, year)))
"""The parameters a scenario changes against its baseline; the rest (data, plan, unit, model,
paths, seed, language) the baseline shares with it."""


def baseline_of(ctx: Context) -> Context | None:
    """The report's baseline: the same parameters without the scenario's levers
    (``SCENARIO_LEVERS``), forecast from the same data and plan (``forecast_of``: from the
    disk cache when the baseline's report or another scenario's has stored it); None when the
    report changes none of them."""
    defaults = {**prepare.__kwdefaults__, "readings": {}}
    if all(ctx.parameters[k] == defaults[k] for k in SCENARIO_LEVERS):
        return None
    parameters = {**ctx.parameters, **{k: defaults[k] for k in SCENARIO_LEVERS},
                  "scenario": "baseline"}
    # the scenario's name is not in the key: every scenario of a kernel shares one baseline
    key = json.dumps([parameters, ctx.sha256], sort_keys=True, default=str)
    if key not in _BASELINES:  # the conclusion and the scenario section share one
        inputs = ctx.inputs or load_inputs(ctx.parameters["data_path"],
                                           ctx.parameters["plan"], ctx.parameters["unit"])
        _BASELINES[key] = replace(ctx, parameters=parameters,
                                  forecast=forecast_of(inputs, options_from(parameters)))
    return _BASELINES[key]


_BASELINES: dict[str, Context] = {}


def _points(p_old: float, p_new: float, lang: str) -> str:
    """The change between two probabilities in points, taken between the whole percentages
    the report shows, so that 26 % and 61 % (26.4 % and 60.6 %) read +35, not +34; none
    between two that show alike (both "< 1%")."""
    same = numbers.probability(p_old, lang) == numbers.probability(p_new, lang)
    change = 0 if same else round(p_new * 100) - round(p_old * 100)
    sign = "" if change == 0 else ("+" if change > 0 else "−")
    return text("change_points", lang).format(sign=sign,
                                              points=numbers.number(abs(change), lang))


def probability_changes(ctx: Context, base: Context) -> dict[str, tuple[float, float, float, str]]:
    """Each target open here or in the baseline: (change, baseline probability, this
    probability, the baseline's status)."""
    before = base.forecast.table.set_index("id")
    out = {}
    for _, row in ctx.forecast.table.iterrows():
        if row["id"] in before.index and "open" in (row["status"],
                                                     before.loc[row["id"], "status"]):
            p_old = before.loc[row["id"], "probability"]
            if np.isfinite(row["probability"] - p_old):
                out[row["id"]] = (row["probability"] - p_old, p_old, row["probability"],
                                  before.loc[row["id"], "status"])
    return out


def largest_change(changes: dict, targets: dict[str, Target], lang: str, moved: str = "",
                   readings: dict[str, str] | None = None) -> str:
    """One sentence for the target whose probability moved most against the baseline; when
    none moved, that, and ``moved`` after it (``forecast_move``: a campaign that doubles a
    share still out of reach moves its forecast, not its probability). ``readings`` gives the
    rule, in words, of a target read otherwise than in the baseline: its change is the
    reading's, which the sentence says, not one made on the ground."""
    unchanged = " ".join(filter(None, [text("no_probability_change", lang), moved]))
    if not changes:
        return unchanged
    target_id = max(changes, key=lambda i: (abs(changes[i][0]), i))
    change, p_old, p_new, status = changes[target_id]
    if abs(change) < 0.005:
        return unchanged
    label = target_label(targets[target_id], lang)
    if target_id in (readings or {}):
        label += text("read_here_as", lang).format(rule=readings[target_id])
    if status != "open":
        # a baseline the record decides is said as its status, and no points are taken from
        # it: "+77 points" from "missed" read as a probability gained
        return text("largest_change_decided", lang).format(
            target=label, before=text(status, lang), after=numbers.probability(p_new, lang))
    return text("largest_change" if change > 0 else "largest_fall", lang).format(
        target=label, before=numbers.probability(p_old, lang),
        after=numbers.probability(p_new, lang), change=_points(p_old, p_new, lang))


def reread(targets: dict[str, Target], base_targets: dict[str, Target],
           lang: str) -> dict[str, tuple[str, str]]:
    """Each target read otherwise than in the baseline (another reading of the plan's words):
    id -> (its rule, the baseline's), in words (``rule_words``)."""
    rules = {i: (rule_words(t, lang), rule_words(base_targets[i], lang))
             for i, t in targets.items() if i in base_targets}
    return {i: pair for i, pair in rules.items() if pair[0] != pair[1]}


def scenario_sentence(ctx: Context, base: Context) -> str:
    """What the scenario changes against its baseline, in a sentence or two: first the targets
    the record decides otherwise (a reading that counts the period's average turns "missed"
    into "met"), then the largest change of a probability (``largest_change``), or, with none,
    the forecast that moves most (``forecast_move``)."""
    lang = ctx.lang
    targets, base_targets = resolved_targets(ctx), resolved_targets(base)
    before = base.forecast.table.set_index("id")
    flips = [f"{target_label(targets[row['id']], lang)}, "
             f"{text(before.loc[row['id'], 'status'], lang)} → {text(row['status'], lang)}"
             for _, row in ctx.forecast.table.iterrows()
             if row["id"] in before.index
             and "open" not in (row["status"], before.loc[row["id"], "status"])
             and row["status"] != before.loc[row["id"], "status"]]
    readings = {i: rule for i, (rule, _) in reread(targets, base_targets, lang).items()}
    said = largest_change(probability_changes(ctx, base), targets, lang,
                          forecast_move(ctx, base), readings)
    if not flips:
        return said
    return text("decided_otherwise", lang).format(flips="; ".join(flips)) + " " + said


MOVE_WIDTHS = 0.5
"""Least move of a target-year median, in widths of the baseline's 80 % interval, that
``forecast_move`` says: less is within what the forecast already allowed."""


def forecast_move(ctx: Context, base: Context) -> str:
    """One sentence for the open target whose median in its target year (which its label
    names) moved most against the baseline, in widths of the baseline's 80 % interval (so
    that shares and counts compare), with its probability; empty when none moved
    ``MOVE_WIDTHS`` or more."""
    lang, before = ctx.lang, base.forecast.table.set_index("id")
    moves = {}
    for _, row in ctx.forecast.table.iterrows():
        if row["status"] != "open" or row["id"] not in before.index:
            continue
        old = before.loc[row["id"]]
        width = old["hi80"] - old["lo80"]
        if old["status"] == "open" and width > 0:
            moves[row["id"]] = (abs(row["median"] - old["median"]) / width, old["median"], row)
    if not moves or max(m[0] for m in moves.values()) < MOVE_WIDTHS:
        return ""
    target_id = max(moves, key=lambda i: (moves[i][0], i))
    _, old_median, row = moves[target_id]
    target = resolved_targets(ctx)[target_id]
    return text("forecast_move", lang).format(
        target=target_label(target, lang),
        before=numbers.value(old_median, row["indicator"], lang),
        after=numbers.value(row["median"], row["indicator"], lang),
        p=numbers.probability(row["probability"], lang))


def overridden(parameters: dict) -> dict[str, tuple]:
    """The scenario's own parameters that the run changed (``-p NAME VALUE``): name ->
    (value used, the scenario's value). Empty for a scenario file that cannot be found by its
    name (one given by path outside ``scenarios/``)."""
    try:
        _, own = load_scenario(parameters["scenario"])
    except KttError:
        return {}
    return {k: (parameters[k], v) for k, v in own.items()
            if k not in ("plan", "scenario") and k in parameters and parameters[k] != v}


def scenario_changes(ctx: Context) -> HTML:
    """The scenario's title and description, then, against its baseline (``baseline_of``),
    each target's probability before and after with the change in points, and one sentence
    for the largest change; the baseline says it is one."""
    lang = ctx.lang
    title, description = scenario_info(ctx.parameters["scenario"], ctx.targets.id, lang)
    head = (f"<h2>{html.escape(text('scenario_heading', lang).format(title=title).lstrip('# '))}"
            f"</h2><p>{html.escape(description)}</p>")
    changed = overridden(ctx.parameters)
    if changed:
        values = "; ".join(
            text("override_value", lang).format(name=k, value=json.dumps(v, ensure_ascii=False),
                                                own=json.dumps(own, ensure_ascii=False))
            for k, (v, own) in changed.items())
        said = html.escape(text("overridden", lang).format(values=values))
        head += f"<p><strong>{said}</strong></p>"
    base = baseline_of(ctx)
    if base is None:
        # a scenario run with its levers set back (-p extra_foundings_per_year 0, or its name
        # typed into a notebook's parameters cell) is not the baseline others are compared with
        said = "is_baseline" if ctx.parameters["scenario"] == "baseline" else "no_lever"
        return HTML(head + f"<p>{html.escape(text(said, lang))}</p>")
    before = base.forecast.table.set_index("id")
    targets = resolved_targets(ctx)
    changed = reread(targets, resolved_targets(base), lang)
    rows = []
    for _, row in ctx.forecast.table.iterrows():
        old = before.loc[row["id"]] if row["id"] in before.index else None
        p_old = old["probability"] if old is not None else float("nan")
        p_new = row["probability"]
        change = p_new - p_old
        cells = []
        for status, p in ((old["status"] if old is not None else "open", p_old),
                          (row["status"], p_new)):
            colour, ink = BAND_COLOURS[band(status, p)]
            answer = text(status, lang) if status != "open" else numbers.probability(p, lang)
            cells.append(f"<td style='background:{colour};color:{ink}'>"
                         f"{html.escape(answer)}</td>")
        decided = row["status"] != "open" and old is not None and old["status"] != "open"
        shown = _points(p_old, p_new, lang) if np.isfinite(change) and not decided else "-"
        if decided and old["status"] != row["status"]:
            shown = f"{text(old['status'], lang)} → {text(row['status'], lang)}"
        rule = rule_words(targets[row["id"]], lang)
        if row["id"] in changed:  # each column answers its own rule
            rule += "; " + text("baseline_rule", lang).format(rule=changed[row["id"]][1])
        rows.append(f"<tr><td>{html.escape(target_label(targets[row['id']], lang))}<br>"
                    f"<small>{html.escape(rule)}</small></td>"
                    f"{''.join(cells)}<td><strong>{html.escape(shown)}</strong></td></tr>")
    heads = "".join(f"<th>{html.escape(text(k, lang))}</th>"
                    for k in ("target", "baseline_p", "this_p", "change_p"))
    sentence = scenario_sentence(ctx, base)
    return HTML(head + f"<p><strong>{html.escape(sentence)}</strong></p>"
                f"<div class='ktt-scroll' style='overflow-x:auto'><table class='ktt-wrap'>"
                f"<thead><tr>{heads}</tr></thead><tbody>{''.join(rows)}</tbody></table></div>"
                f"<p><small>{html.escape(text('baseline_means', lang))}</small></p>")
