"""What the many-unit dashboard (``notebooks/units.ipynb``) shows, written as the forecast
report is (``ktt.report.forecast``) for a provincial official, in Vietnamese or English: every
unit's targets coloured by the forecast report's bands, the units ranked by the gap to the pace
they need, the parent units' totals and the units that failed. Thin: the numbers come from
``ktt.forecasting.many``; the words, number formats and colours are the forecast report's
(``ktt.report.strings``, ``ktt.report.numbers``, ``ktt.report.answers``). Each function returns
one HTML block with its heading, free of anything that changes from run to run (``ktt verify``
reruns the dashboard byte for byte)."""

from __future__ import annotations

import html
import json
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
from IPython.display import HTML

from ktt import config
from ktt.calibration.suite import SuiteRecord, load_suite, suite_files
from ktt.config import relative_path
from ktt.forecasting.forecast import ForecastOptions
from ktt.forecasting.many import FAILED, forecast_units, select_units, summary
from ktt.inputs.example import is_synthetic
from ktt.inputs.parameters import document_parameters
from ktt.inputs.scenarios import report_command
from ktt.inputs.synthetic import communes
from ktt.inputs.targets import Target, TargetSet, load_plan
from ktt.inputs.units import unit_names
from ktt.report import numbers, stacked, style
from ktt.report.answers import BAND_COLOURS, band, legend, pace, required_pace, target_label
from ktt.report.forecast import synthetic_box
from ktt.report.provenance import code_record, provenance_table, versions
from ktt.report.strings import STRINGS, text
from ktt.report.target_table import calibration_words, rule_words

TOP = 20
"""How many units the pace ranking shows."""

FOLD = 5
"""A grid of more units than this folds on a phone (``_fold``): 20 units stacked there, a
block of eight lines each, made the dashboard about 14,000 px long, 8,000 of them the grid."""


@dataclass
class Dashboard:
    table: pd.DataFrame
    """``forecast_units``'s table."""
    plan: str
    """The plan's id."""
    lang: str
    synthetic: bool
    note: str
    """Where the figures come from, for the header (the synthetic communes' count)."""
    data_path: Path | None = None
    """The observations file read; None for the synthetic communes made in the run."""
    units: pd.DataFrame | None = None
    """The units table: the units' and parents' names."""
    targets: TargetSet | None = None
    """The plan, for its targets in words."""
    n_paths: int = 1000
    as_of: int = 0
    parameters: dict = field(default_factory=dict)
    """The notebook's parameters as given, for the provenance table."""
    code: dict[str, str] = field(default_factory=code_record, repr=False, compare=False)
    """``code_record``, asked of git once for the provenance table and ``summary.json``."""
    suite: SuiteRecord | None = field(default=None, repr=False, compare=False)
    """The saved calibration suite, whose findings the grid's note gives, as the forecast
    report's target table does (``calibration_words``); None when never saved."""


def prepare(data_path: str = "", plan: str = "krong-bong-192", units: str = "all",
            n_units: int = 20, as_of: int = 0, n_paths: int = 1000, seed: int = 2020,
            workers: int = 0, lang: str = "vi", scenario: str = "baseline") -> Dashboard:
    """Forecast the units: from ``data_path`` (with ``data/units.csv``), or without one
    ``n_units`` synthetic communes (named in ``lang``). A relative ``data_path`` or plan path
    is from the project folder, as in the other notebooks (``ktt report`` passes the user's
    file as an absolute path), wherever the kernel runs. ``scenario`` is only recorded, for
    the command that writes the dashboard again."""
    parameters = dict(locals())
    from ktt.inputs.data import load_observations
    from ktt.inputs.loading import plan_file, resolve_path
    from ktt.inputs.units import load_units

    text("units_title", lang)  # fails early, naming the valid languages
    targets = load_plan(plan_file(plan))
    path = resolve_path(data_path, Path()) if data_path else None
    if path is not None:
        observations, table_of_units = load_observations(path), load_units()
        note = ""
    else:
        # a province holds about a hundred communes; ten a province keeps the demo's totals
        # a few rows of several units each, not one province a commune (34 by default)
        observations, table_of_units = communes(n_units, lang=lang,
                                                provinces=n_units // 10 + 1)
        note = text("units_synthetic", lang).format(n=n_units)
    ids = select_units(units, table_of_units, observations)
    table = forecast_units(targets, observations, ids,
                           ForecastOptions(as_of=as_of or None, n_paths=n_paths, seed=seed),
                           table_of_units, workers=workers, progress=False)
    return Dashboard(table, targets.id, lang, is_synthetic(observations), note,
                     path, table_of_units, targets, n_paths, as_of, parameters,
                     suite=load_suite())


document_parameters(prepare, config.NOTEBOOKS / "units.ipynb")


def _e(value: str) -> str:
    return html.escape(str(value), quote=True)


def _heading(key: str, lang: str) -> str:
    return f"<h2>{_e(text(key, lang))}</h2>"


def _table(heads: str, rows: str, css: str) -> str:
    """A table of class ``css`` from its heading cells and its rows (of ``stacked.cell``
    after a unit's row heading): on a phone each row a block headed by its unit, each cell
    under its column's name (``ktt.report.stacked``); wider, a table that scrolls sideways
    when it must, its first column held in view."""
    return ("<div class='ktt-scroll' style='overflow-x:auto'>"
            f"<table class='ktt-units {css} ktt-stack' style='border-collapse:collapse'>"
            f"<thead><tr>{heads}</tr></thead><tbody>{rows}</tbody></table></div>")


_STICKY = "position:sticky;left:0;background:#fff;z-index:1;min-width:8em"
"""The first column's style: it stays in view while a table of many targets scrolls
sideways."""
_COLUMN = "min-width:7em"
"""A target column's least width (7 em) on a wider screen than a phone's: the table scrolls
rather than squeeze a target's name to a word a line."""


def _names(board: Dashboard) -> dict[str, str]:
    """Unit id -> its name in the units table (its id when the table has none)."""
    if board.units is None:
        return {}
    names = unit_names(board.units, board.lang)
    return {u: n for u, n in names.items() if isinstance(n, str) and n}


def _fold(table: str, summary: str) -> str:
    """``table`` behind a ``<details>`` headed by ``summary``: open, and folded by a line of
    script on a phone's screen (``style.PHONE``), where the units and targets below it would
    otherwise be thousands of pixels down. Without script (a notebook's output, a browser
    that runs none) it stays open, as the table was before."""
    return (f"<details class='ktt-fold' open><summary>{_e(summary)}</summary>{table}</details>"
            f"<script>if (window.matchMedia('{style.PHONE}').matches) "
            "document.currentScript.previousElementSibling.open = false;</script>")


def _unit_words(unit: str, names: dict[str, str]) -> str:
    """A unit by its name with its id beneath, small (its id alone when it has no name)."""
    if unit in names:
        return (f"{_e(names[unit])}<br>"
                f"<small><code style='white-space:nowrap'>{_e(unit)}</code></small>")
    return f"<code>{_e(unit)}</code>"


def _unit_cell(unit: str, names: dict[str, str]) -> str:
    """A unit's row heading (``_unit_words``), which stays in view while the table scrolls."""
    return (f"<th scope='row' style='{_STICKY}' title='{_e(unit)}'>"
            f"{_unit_words(unit, names)}</th>")


def _targets(board: Dashboard) -> dict[str, Target]:
    """The plan's targets by id, as the forecast read them (the plan's default readings)."""
    plan = board.targets or load_plan(board.plan)
    return {t.id: t for t in plan.resolve()}


def _target_head(target_id: str, targets: dict[str, Target], lang: str) -> str:
    """A target as a column heading: in words (indicator and year, its rule beneath), its id
    on hover."""
    if target_id not in targets:
        return f"<th style='{_COLUMN}'><code>{_e(target_id)}</code></th>"
    target = targets[target_id]
    return (f"<th style='{_COLUMN}' title='{_e(target.id)}'>"
            f"{_e(target_label(target, lang))}<br>"
            f"<small style='font-weight:normal'>{_e(rule_words(target, lang))}</small></th>")


def _target_name(target_id: str, targets: dict[str, Target], lang: str) -> str:
    """A target in words on one line, its rule in brackets, the name a phone's block gives
    its cell (``_target_head`` is the heading a wider screen shows); its id when the plan
    has no such target."""
    if target_id not in targets:
        return target_id
    target = targets[target_id]
    return f"{target_label(target, lang)} ({rule_words(target, lang)})"


def _answer(status: str, p: float, likelihood: str, lang: str) -> tuple[str, str]:
    """A unit's answer for one target in the forecast report's band colours and words, as its
    cell's words and attributes: met or missed when the record decides it, else its
    probability (never 0 % or 100 %), the likelihood in words on hover (or a tap)."""
    if status != "open":
        colour, ink = BAND_COLOURS[band(status, p)]
        return (_e(text(status, lang)),
                f" style='background:{colour};color:{ink};font-weight:bold'")
    if p != p:  # no figure to forecast from
        return "-", f" title='{_e(text('unknown', lang))}'"
    colour, ink = BAND_COLOURS[band(status, p)]
    return (_e(numbers.probability(p, lang)),
            f" style='background:{colour};color:{ink};font-weight:bold' "
            f"title='{_e(text(likelihood, lang))}'")


def _answer_cell(status: str, p: float, likelihood: str, lang: str, label: str) -> str:
    """``_answer`` as a cell of the unit x target grid, under the target ``label``."""
    words, attrs = _answer(status, p, likelihood, lang)
    return stacked.cell(words, label, attrs=attrs)


def _dash(label: str) -> str:
    """A cell of no target under ``label``, which a phone's block leaves out."""
    return stacked.cell("-", label, stacked.empty("-"))


def header(board: Dashboard) -> HTML:
    """The first lines: the forecast report's synthetic box (when the figures are synthetic),
    the title, then plan, number of units, as-of year, simulated futures and the data."""
    lang = board.lang
    done = board.table
    as_of = str(board.as_of) if board.as_of else text("units_as_of_each", lang)
    data = (f"<code>{_e(relative_path(board.data_path.resolve()))}</code>" if board.data_path
            else _e(board.note))
    facts = " · ".join([
        f"{_e(text('plan', lang))}: <code>{_e(board.plan)}</code>",
        f"{_e(text('units_count', lang))}: {numbers.number(done['unit'].nunique(), lang)}",
        f"{_e(text('as_of', lang))}: {_e(as_of)}",
        f"{_e(text('units_paths', lang))}: {numbers.number(board.n_paths, lang)}",
        f"{_e(text('data' if board.data_path else 'history', lang))}: {data}"])
    plan_name = board.targets.name(lang) if board.targets else board.plan
    # its synthetic units are not the district the forecast report's box names
    return HTML((synthetic_box(STRINGS["units_banner"]) if board.synthetic else "")
                + f"<h1>{_e(text('units_title', lang))}: {_e(plan_name)}</h1>"
                f"<p class='ktt-facts'>{facts}</p>")


def grid(board: Dashboard) -> HTML:
    """Unit x target: each unit by name, each target in words, each cell the forecast
    report's answer in its band colour, folded on a phone when it has more than ``FOLD``
    units; a legend of the colours beneath."""
    lang, names, targets = board.lang, _names(board), _targets(board)
    t = board.table[board.table["status"] != FAILED]
    columns = list(dict.fromkeys(t["target"]))
    by_unit = {u: {r.target: r for r in rows.itertuples()}
               for u, rows in t.groupby("unit", sort=False)}
    heads = (f"<th style='{_STICKY}'>{_e(text('unit', lang))}</th>"
             + "".join(_target_head(c, targets, lang) for c in columns))
    labels = {c: _target_name(c, targets, lang) for c in columns}
    rows = []
    for unit, cells in by_unit.items():
        row = [_unit_cell(unit, names)]
        for c in columns:
            r = cells.get(c)
            row.append(_dash(labels[c]) if r is None else
                       _answer_cell(r.status, r.probability, r.likelihood, lang, labels[c]))
        rows.append(f"<tr>{''.join(row)}</tr>")
    reading = (text("reading_note", lang).format(n=numbers.number(board.n_paths, lang)) + " "
               + calibration_words(board.suite, lang))
    grid_table = _table(heads, "".join(rows), "ktt-grid")
    if len(rows) > FOLD:
        grid_table = _fold(grid_table, text("units_grid_fold", lang).format(
            units=numbers.number(len(rows), lang), targets=numbers.number(len(columns), lang)))
    return HTML(_heading("units_grid_heading", lang)
                + f"<p>{_e(text('units_grid_intro', lang))}</p>"
                + grid_table + legend(lang) + f"<p><small>{_e(reading)}</small></p>")


def ranking(board: Dashboard, top: int = TOP) -> HTML:
    """Units ranked by what they most need: each unit's open target whose recent pace falls
    furthest short of the pace required (lowest pace ratio), with both paces in the report's
    units (a share's in percentage points), the ratio as a percentage and the probability."""
    lang, names, targets = board.lang, _names(board), _targets(board)
    t = board.table[(board.table["status"] == "open") & board.table["pace_ratio"].notna()]
    worst = t.sort_values(["pace_ratio", "unit", "target"], kind="stable").groupby(
        "unit", sort=False).head(1)
    head = _heading("units_ranking_heading", lang)
    if worst.empty:
        return HTML(head + f"<p>{_e(text('units_no_ranking', lang))}</p>")
    heads = [text(k, lang) for k in
             ("unit", "units_need", "required", "recent", "units_ratio", "probability")]
    rows = []
    for r in worst.head(top).itertuples():
        target = targets.get(r.target)
        label = target_label(target, lang) if target else r.target
        rule = target.rule if target else ""
        words, attrs = _answer(r.status, r.probability, r.likelihood, lang)
        # six columns: on a phone each unit is a block of its own (ktt.report.stacked)
        rows.append(
            "<tr>" + stacked.cell(f"<strong>{_unit_words(r.unit, names)}</strong>", heads[0],
                                  "ktt-target", f" title='{_e(r.unit)}'")
            + stacked.cell(_e(label), heads[1], attrs=f" title='{_e(r.target)}'")
            + stacked.cell(_e(required_pace(r.status, rule, r.required_pace, r.indicator,
                                            lang)), heads[2])
            + stacked.cell(_e(pace(r.recent_pace, r.indicator, lang)), heads[3])
            + stacked.cell(_e(numbers.percent(r.pace_ratio, lang)), heads[4])
            + stacked.cell(words, heads[5], attrs=attrs) + "</tr>")
    intro = text("units_ranking_intro", lang).format(
        shown=numbers.number(min(top, len(worst)), lang), n=numbers.number(len(worst), lang))
    return HTML(head + f"<p>{_e(intro)}</p>"
                + stacked.table(heads, rows, "ktt-units ktt-ranking")
                + f"<p><small>{_e(text('units_ratio_note', lang))} "
                f"{_e(text('pace_note', lang))}</small></p>")


def _totals_cell(counts: pd.Series | None, lang: str, label: str) -> str:
    """Units met, missed and open for one target (counts of 0 left out), and the open ones'
    mean probability, under the target ``label``; ``-`` when no unit has the target."""
    if counts is None:
        return _dash(label)
    parts = [f"{int(counts[s])} {text(s, lang)}" for s in ("met", "missed") if counts[s]]
    if counts["open"]:
        key = "units_open_one" if counts["open"] == 1 else "units_open_mean"
        parts.append(text(key, lang).format(
            n=int(counts["open"]), p=numbers.probability(counts["mean_open_probability"], lang)))
    words = "<br>".join(_e(p) for p in parts) or "-"
    return stacked.cell(words, label, stacked.empty(words))


def totals(board: Dashboard) -> HTML:
    """Per parent unit (all the units first) and target: units met, missed and open, and the
    open ones' mean probability; every parent, as HTML (nothing cut short, no NaN)."""
    lang, names, targets = board.lang, _names(board), _targets(board)
    done = board.table[board.table["status"] != FAILED]
    columns = list(dict.fromkeys(done["target"]))
    labels = {c: _target_name(c, targets, lang) for c in columns}
    # all the units first, then each parent in the table's order
    groups = [(f"<strong>{_e(text('units_all', lang))}</strong>", board.table)] + [
        (None, group) for _, group in board.table.groupby("parent", sort=False)]
    rows = []
    for label, group in groups:
        parent = group["parent"].iloc[0]
        if label is None and parent:
            first = _unit_cell(parent, names)
        else:
            label = label or f"<i>{_e(text('units_no_parent', lang))}</i>"
            first = f"<th scope='row' style='{_STICKY}'>{label}</th>"
        by_target = summary(group).set_index("target")
        cells = [_totals_cell(by_target.loc[c] if c in by_target.index else None, lang,
                              labels[c]) for c in columns]
        rows.append(f"<tr>{first}{''.join(cells)}</tr>")
    heads = (f"<th style='{_STICKY}'>{_e(text('units_parent', lang))}</th>"
             + "".join(_target_head(c, targets, lang) for c in columns))
    return HTML(_heading("units_totals_heading", lang)
                + f"<p>{_e(text('units_totals_intro', lang))}</p>"
                + _table(heads, "".join(rows), "ktt-totals"))


def failures(board: Dashboard) -> HTML:
    """The units that could not be forecast, each with ktt's message; a sentence saying so
    when none failed."""
    lang, names = board.lang, _names(board)
    failed = board.table[board.table["status"] == FAILED]
    head = _heading("units_failures_heading", lang)
    if failed.empty:
        return HTML(head + f"<p>{_e(text('units_no_failure', lang))}</p>")
    error = text("units_error", lang)
    rows = "".join(f"<tr>{_unit_cell(r.unit, names)}{stacked.cell(_e(r.error), error)}</tr>"
                   for r in failed.itertuples())
    heads = f"<th style='{_STICKY}'>{_e(text('unit', lang))}</th><th>{_e(error)}</th>"
    return HTML(head + _table(heads, rows, "ktt-failures"))


def _files(board: Dashboard) -> tuple[dict, dict]:
    """The data as ``summary.json`` records it (its path and SHA-256, or the synthetic
    communes' generator, which the header says in words) and the other files read (the plan;
    the units table with a data file; the calibration suite's, when saved), for a reviewer who
    checks a rerun (``ktt verify``)."""
    from ktt.inputs.loading import file_sha256, plan_file

    def entry(path: Path) -> dict:
        return {"path": relative_path(path.resolve()), "sha256": file_sha256(path)}

    data = (entry(board.data_path) if board.data_path else
            {"generator": f"{communes.__module__}.{communes.__name__}"})
    inputs = {"plan": entry(plan_file(board.plan)),
              **({"units": entry(config.UNITS)} if board.data_path else {}),
              **{name: entry(path) for name, path in
                 (suite_files() if board.suite is not None else {}).items()}}
    return data, inputs


def provenance(board: Dashboard) -> HTML:
    """The forecast report's provenance table (``ktt.report.provenance.provenance_table``) for
    the dashboard: its data and files with their hashes, its parameters, the versions, the
    code's commit and the command that writes it again."""
    data, inputs = _files(board)
    return provenance_table(board.lang, data, inputs, board.parameters, {}, board.code,
                            report_command(board.parameters, config.NOTEBOOKS / "units.ipynb"))


def print_summary(board: Dashboard) -> None:
    """The JSON the runner keeps as ``summary.json``."""
    t = board.table
    targets = summary(t).astype(object)
    targets = targets.where(targets.notna(), None).to_dict(orient="records")
    data, inputs = _files(board)
    print(json.dumps({"plan": board.plan, "synthetic": board.synthetic,
                      "units": int(t["unit"].nunique()),
                      "failed": int((t["status"] == FAILED).sum()),
                      "data": data, "inputs": inputs,
                      "versions": versions(), **board.code, "targets": targets},
                     ensure_ascii=False, default=float))
