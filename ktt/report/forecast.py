"""What the forecast notebook shows: each function takes the report context and returns one
displayable result (a table, a figure, a sentence). The notebook only calls these."""

from __future__ import annotations

import hashlib
import html
import json
import platform
from dataclasses import dataclass
from importlib.metadata import version
from pathlib import Path

import numpy as np
import pandas as pd
from IPython.display import HTML, Image, Markdown

from ktt import config
from ktt.forecasting.forecast import Forecast, ForecastOptions, forecast_targets
from ktt.forecasting.progress import CLASSES, INSUFFICIENT, METHODS, ON_TRACK, disagrees
from ktt.inputs.catalog import format_value
from ktt.inputs.data import load_observations
from ktt.inputs.example import BANNER, default_data, is_synthetic
from ktt.inputs.indicators import derive
from ktt.inputs.targets import TargetSet, load_plan
from ktt.inputs.units import load_units, reform_note
from ktt.report.comparison import beside, comparison_chart
from ktt.report.plots import fan_charts, png_bytes
from ktt.report.strings import text

PACKAGES = ("ktt", "numpy", "pandas", "scipy", "statsmodels", "matplotlib", "papermill")


@dataclass(frozen=True)
class Context:
    """Everything a report shows, computed once."""

    parameters: dict
    """The notebook's parameters as given."""
    data_path: Path
    """Observations file used."""
    sha256: str
    """SHA-256 of the observations file."""
    synthetic: bool
    """Whether the data holds synthetic figures."""
    targets: TargetSet
    """The plan's targets."""
    forecast: Forecast
    """Facts, probabilities and fans."""
    lang: str
    """``vi`` or ``en``."""
    published: pd.DataFrame
    """The unit's figures beside its province's and country's (``ktt.report.comparison.beside``)."""


def resolve_path(path: str, default: Path) -> Path:
    """A notebook path parameter: empty means ``default``; relative is from the project root."""
    if not path:
        return default
    path = Path(path)
    return path if path.is_absolute() else config.ROOT / path


@dataclass(frozen=True)
class Inputs:
    """A report's data and plan, loaded and validated, with what identifies them."""

    unit: str
    """Unit id: the one asked for, or the plan's."""
    path: Path
    """Observations file used."""
    observations: pd.DataFrame
    """Its validated figures."""
    sha256: str
    """SHA-256 of the file."""
    synthetic: bool
    """Whether it holds synthetic figures."""
    targets: TargetSet
    """The plan's targets."""


def load_inputs(data_path: str, plan: str, unit: str, readings: dict | None = None) -> Inputs:
    """Load the notebook's plan and data: ``plan`` an id in ``plans/`` or a YAML path
    (relative to the project root), ``unit`` empty for the plan's, ``data_path`` empty for the
    default (``ktt.inputs.example.default_data``); ``readings`` are checked against the plan."""
    targets = load_plan(resolve_path(plan, config.TARGETS)
                        if Path(plan).suffix in (".yaml", ".yml") else plan)
    targets.choose(readings, where="parameter readings")
    unit = unit or targets.unit
    path = resolve_path(data_path, default_data(unit, targets.indicators()))
    # derived once, with the sums of the successors of a unit that ended (data/units.csv)
    observations = derive(load_observations(path), load_units())
    return Inputs(unit, path, observations, hashlib.sha256(path.read_bytes()).hexdigest(),
                  is_synthetic(observations), targets)


def prepare(*, data_path: str = "", plan: str = config.DEFAULT_PLAN, unit: str = "",
            as_of: int = 0, model: str = "auto", n_paths: int = 4000, seed: int = 2020,
            pooling: str = "none", readings: dict | None = None,
            extra_foundings_per_year: float = 0.0, extra_from_year: int = 0,
            dormant_dissolved: int = 0, dissolution_year: int = 0, lang: str = "vi",
            scenario: str = "baseline", base_year: int = 0) -> Context:
    """Load, validate and forecast from the notebook's parameters (0 or "" mean the default;
    ``readings`` maps a reading of the plan to its value, the plan's default for the rest;
    ``base_year`` is the official progress classes' base year, 0 for the plan's)."""
    text("title", lang)  # fails early, naming the valid languages
    parameters = dict(locals())
    parameters["readings"] = dict(readings or {})
    inputs = load_inputs(data_path, plan, unit, readings)
    observations, targets, unit = inputs.observations, inputs.targets, inputs.unit
    forecast = forecast_targets(targets, observations, unit,
                                ForecastOptions(as_of=as_of or None, readings=readings,
                                                model=model, n_paths=n_paths, seed=seed,
                                                pooling=pooling,
                                                extra_foundings_per_year=extra_foundings_per_year,
                                                extra_from_year=extra_from_year or None,
                                                dormant_dissolved=dormant_dissolved,
                                                dissolution_year=dissolution_year or None,
                                                base_year=base_year or None))
    published = beside(forecast.history, unit, load_observations(config.OBSERVATIONS),
                       load_units())
    return Context(parameters, inputs.path, inputs.sha256, inputs.synthetic, targets, forecast,
                   lang, published)


def relative_path(path: Path) -> str:
    """A path relative to the project root when inside it, else as it is."""
    try:
        return str(path.relative_to(config.ROOT))
    except ValueError:
        return str(path)


def opening(ctx: Context, title: str, unit: str, facts: tuple[str, ...] = ()) -> list[str]:
    """A report's first lines: the synthetic warning (when it applies), the title, then
    scenario, unit, ``facts`` and the data file with its hash, as a Markdown list.

    ``ctx`` is any report context with ``lang``, ``synthetic``, ``parameters``, ``data_path``
    and ``sha256`` (the backtest report's too)."""
    lines = [f"**{BANNER[ctx.lang]}**", ""] if ctx.synthetic else []
    return [*lines, f"# {title}", "",
            f"- {text('scenario', ctx.lang)}: `{ctx.parameters['scenario']}`",
            f"- {text('unit', ctx.lang)}: `{unit}`", *facts,
            f"- {text('data', ctx.lang)}: `{relative_path(ctx.data_path)}` "
            f"(sha256 `{ctx.sha256[:16]}…`)"]


def header(ctx: Context) -> Markdown:
    """First lines: the synthetic warning (when it applies), title, unit, as-of, data."""
    return Markdown("\n".join(opening(
        ctx, f"{text('title', ctx.lang)}: {ctx.targets.plan}", ctx.forecast.unit,
        (f"- {text('plan', ctx.lang)}: `{ctx.targets.id}` ({ctx.targets.source})",
         f"- {text('as_of', ctx.lang)}: {ctx.forecast.as_of}", *reform_lines(ctx)))))


def reform_lines(ctx: Context) -> list[str]:
    """A line saying that the unit ended and which figures are its successors' sums; none
    for a unit that has not ended."""
    note = reform_note(load_units(), ctx.forecast.unit, ctx.forecast.history)
    return [f"- {text('reform', ctx.lang)}: {note}"] if note else []


def target_table(ctx: Context) -> pd.DataFrame:
    """One row per target: rule, status, probability, phrase, interval, paces, model."""
    table, lang = ctx.forecast.table, ctx.lang
    return pd.DataFrame({
        text("target", lang): table["id"],
        text("rule", lang): table["reading"],
        text("status", lang): table["status"].map(lambda s: text(s, lang)),
        text("record_deciding", lang): [_record(row, lang) for _, row in table.iterrows()],
        text("probability", lang): table["probability"].map(
            lambda p: "-" if np.isnan(p) else f"{p:.2f}"),
        text("likelihood", lang): table["likelihood"].map(lambda s: text(s, lang)),
        text("interval", lang): [
            f"{format_value(lo, c, 1)} – {format_value(hi, c, 1)}" if s == "open" else "-"
            for lo, hi, c, s in zip(table["lo80"], table["hi80"], table["indicator"],
                                    table["status"], strict=True)],
        text("required", lang): [_required(row, lang) for _, row in table.iterrows()],
        text("recent", lang): [format_value(v, c, 1) for v, c in
                               zip(table["recent_pace"], table["indicator"], strict=True)],
        text("model", lang): table["model"],
    })


def _record(row: pd.Series, lang: str) -> str:
    """The figures that decided a met or missed target, with their years and sources; for an
    open target the elapsed years of its period that have no figure (a target year already
    past stays open when the record lacks it) and the latest figure."""
    code, observed = row["indicator"], row["observed"]
    if row["status"] != "open" and row["decided_by"]:
        figures = ", ".join(f"{y}: {format_value(observed[y], code)}"
                            for y in row["decided_by"] if y in observed)
        return figures + (f" ({', '.join(row['sources'])})" if row["sources"] else "")
    parts = []
    if row["missing"]:
        parts.append(text("no_figure_for", lang).format(years=", ".join(map(str,
                                                                             row["missing"]))))
    if row["latest"]:
        (year, value), = row["latest"].items()
        parts.append(f"{text('latest', lang)} {year}: {format_value(value, code)}")
    return "; ".join(parts) or text("no_record", lang)


def _required(row: pd.Series, lang: str) -> str:
    """The pace a target needs: none for one already met, "hold it" for a level already
    reached, never a pace backward."""
    if row["status"] == "met":
        return text("met_already", lang)
    if row["rule"] == "rising":
        return "> 0"
    if row["required_pace"] == 0 and row["rule"] not in ("each_year_at_least", "mean_at_least"):
        return text("hold_level", lang)
    return format_value(row["required_pace"], row["indicator"], 1)


CLASS_COLOURS = {
    "achieved": "#1a9850", "on_track": "#91cf60", "maintain": "#91cf60",
    "moderate": "#fee08b", "fair_progress": "#fee08b", "accelerate": "#fee08b",
    "limited": "#fc8d59", "deterioration": "#d73027", "stagnation_or_regression": "#d73027",
    "reverse": "#d73027", INSUFFICIENT: "#d9d9d9"}
"""Cell colour of each official class: greens meet the target, yellow and orange fall
short, red moves away, grey cannot be assessed."""


def _cell(label: str, category: str, title: str = "") -> str:
    colour = CLASS_COLOURS.get(category, "#ffffff")
    tip = f" title='{html.escape(title, quote=True)}'" if title else ""
    return (f"<td style='background:{colour};padding:3px 6px'{tip}>"
            f"{html.escape(label)}</td>")


def _yearly_text(count, code: str, lang: str) -> str:
    """k of n years met, the level each remaining year needs, the recent level."""
    if count is None:
        return "-"
    done = (text("years_of", lang).format(met=count.years_met, known=count.years_known)
            if count.years_known or count.years_missing else text("no_year_yet", lang))
    needed = (format_value(count.required_level, code, 1) if count.years_left
              else text("no_year_left", lang))
    return f"{done} / {needed} / {format_value(count.recent_level, code, 1)}"


def progress_table(ctx: Context) -> HTML:
    """The official progress classes of every target beside ktt's probability: one coloured
    column per method (its class, and its ratio in brackets), the base year in the heading,
    for the yearly count rules the years met so far, and a legend naming each method, its
    document and its classes (``ktt.forecasting.progress``)."""
    table, lang = ctx.forecast.table, ctx.lang
    base_year = ctx.forecast.settings["base_year"]
    heads = [text("target", lang), text("status", lang), text("probability", lang),
             *(f"{text(m, lang)}<br><small>{text('base', lang)} {base_year}</small>"
               for m in METHODS), text("yearly_count", lang)]
    rows = []
    for _, row in table.iterrows():
        p = row["probability"]
        cells = [f"<td>{html.escape(row['id'])}</td>",
                 f"<td>{html.escape(text(row['status'], lang))}</td>",
                 f"<td>{'-' if np.isnan(p) else f'{p:.2f}'}</td>"]
        for result in row["progress"]:
            label = text(f"class_{result.category}", lang)
            if result.ratio_text():
                label += f" ({result.ratio_text()})"
            base = ("-" if result.base_year is None else
                    f"{result.base_year}: {format_value(result.base_value, row['indicator'])}")
            latest = ("-" if result.latest_year is None else
                      f"{result.latest_year}: "
                      f"{format_value(result.latest_value, row['indicator'])}")
            cells.append(_cell(label, result.category,
                               f"{result.method}: {result.category}; base {base}; latest "
                               f"{latest}; {result.measure}. {result.note}".strip()))
        cells.append(f"<td>{html.escape(_yearly_text(row['yearly'], row['indicator'], lang))}"
                     "</td>")
        rows.append(f"<tr>{''.join(cells)}</tr>")
    head = "".join(f"<th style='padding:3px 6px'>{h}</th>" for h in heads)
    legend = []
    for method in METHODS:
        swatches = " ".join(
            f"<span style='background:{CLASS_COLOURS[c]};padding:1px 5px'>"
            f"{html.escape(text(f'class_{c}', lang))}</span>" for c in CLASSES[method])
        legend.append(f"<li><b>{html.escape(text(method, lang))}</b> (<code>{method}</code>): "
                      f"{html.escape(text(f'{method}_doc', lang))}. {swatches}</li>")
    intro = html.escape(text("progress_intro", lang).format(base_year=base_year))
    intro = intro.replace("`base_year`", "<code>base_year</code>")
    return HTML(f"<p>{intro}</p><table style='border-collapse:collapse'><tr>{head}</tr>"
                f"{''.join(rows)}</table><ul>{''.join(legend)}</ul>")


def progress_notes(ctx: Context) -> Markdown:
    """One sentence for each target whose official classes and ktt's probability disagree:
    on track with a probability below 0.33, or off track with one above 0.66."""
    lang, lines = ctx.lang, []
    for _, row in ctx.forecast.table.iterrows():
        p = row["probability"]
        against = [r for r in row["progress"] if disagrees(r, p)]
        for on in (True, False):
            side = [r for r in against if (r.category in ON_TRACK) == on]
            if side:
                methods = "; ".join(f"{text(r.method, lang)}: "
                                    f"{text(f'class_{r.category}', lang)}" for r in side)
                if row["status"] != "open":
                    sentence = text("disagree_decided", lang).format(
                        target=row["id"], methods=methods,
                        side=text("side_on" if on else "side_off", lang),
                        status=text(row["status"], lang))
                else:
                    sentence = text("disagree_on" if on else "disagree_off", lang).format(
                        target=row["id"], methods=methods, p=f"{p:.2f}",
                        phrase=text(row["likelihood"], lang))
                lines.append(f"- {sentence}")
    return Markdown("\n".join(lines) if lines else text("no_disagreement", lang))


def fan_chart(ctx: Context) -> Image:
    """Fan charts of every indicator a target uses, as a PNG."""
    return Image(data=png_bytes(fan_charts(ctx.forecast, ctx.targets.resolve(
        ctx.forecast.settings["readings"]), ctx.lang)))


def heading(ctx: Context, key: str) -> Markdown:
    """A section heading in the report's language."""
    return Markdown(text(key, ctx.lang))


def published_table(ctx: Context) -> pd.DataFrame | Markdown:
    """Each published figure of the province and the country, with its source and quote,
    beside the unit's own figure for the same indicator and year."""
    table, lang, unit = ctx.published, ctx.lang, ctx.forecast.unit
    if table.empty:
        return Markdown(text("no_published", lang))
    own = table[table["unit"] == unit].set_index(["indicator", "year"])["value"]
    others = table[table["unit"] != unit]
    return pd.DataFrame({
        text("unit", lang): others["name"].fillna(others["unit"]),
        text("year", lang): others["year"],
        text("indicator", lang): others["indicator"].map(lambda c: text(c, lang)),
        text("value", lang): [format_value(v, c) for v, c in
                              zip(others["value"], others["indicator"], strict=True)],
        text("own_value", lang): [format_value(own.get((c, y), float("nan")), c) for c, y in
                                  zip(others["indicator"], others["year"], strict=True)],
        text("source", lang): others["source"],
        text("quote", lang): others["quote"],
    }).reset_index(drop=True)


def published_chart(ctx: Context) -> Image | Markdown:
    """The unit's record as lines, the province's and country's figures as labelled points."""
    if ctx.published.empty:
        return Markdown(text("no_published", ctx.lang))
    own = ctx.published.loc[ctx.published["unit"] == ctx.forecast.unit, "name"]
    label = own.iloc[0] if len(own) and isinstance(own.iloc[0], str) else ctx.forecast.unit
    if ctx.synthetic:
        label += f" ({text('synthetic_label', ctx.lang)})"
    return Image(data=png_bytes(comparison_chart(ctx.published, ctx.forecast.unit, label,
                                                 ctx.lang)))


def model_table(ctx: Context) -> pd.DataFrame:
    """Which model serves each indicator, why (the backtest's evidence), on how many figures,
    and any fallback."""
    lang, choices = ctx.lang, ctx.forecast.choices
    rows = [{text("indicator", lang): code, text("model", lang): fit.model,
             text("why", lang): choices[code].reason if code in choices
             else text("named_model", lang),
             text("figures", lang): len(fit.years), text("note", lang): fit.note or "-"}
            for code, fit in ctx.forecast.fits.items()]
    return pd.DataFrame(rows)


def scenario_table(ctx: Context) -> pd.DataFrame | Markdown:
    """The parameters this scenario changed from the notebook's defaults."""
    defaults = {**prepare.__kwdefaults__, "readings": {}}
    changed = {k: v for k, v in ctx.parameters.items()
               if k != "scenario" and v != defaults.get(k)}
    if not changed:
        return Markdown(text("no_change", ctx.lang))
    lang = ctx.lang
    return pd.DataFrame([{text("parameter", lang): k, text("value", lang): v,
                          text("default", lang): defaults.get(k)} for k, v in changed.items()])


def versions() -> dict[str, str]:
    """Versions of Python and the packages that made the numbers."""
    return {"python": platform.python_version(), **{p: version(p) for p in PACKAGES}}


def provenance(ctx: Context) -> Markdown:
    """Data hash, parameters and package versions, for a reviewer who reruns the report."""
    lines = [f"- data: `{relative_path(ctx.data_path)}`", f"- sha256: `{ctx.sha256}`",
             "- parameters: `" + json.dumps(ctx.parameters, ensure_ascii=False) + "`",
             *[f"- {name} {v}" for name, v in versions().items()]]
    return Markdown("\n".join(lines))


def _number(value: float) -> float | None:
    return None if not np.isfinite(value) else round(float(value), 6)


def _choice(ctx: Context, code: str) -> dict:
    """Why the indicator's model: the backtest's reason and each model's mean CRPS."""
    choice = ctx.forecast.choices.get(code)
    if choice is None:
        return {"model_reason": "named in the parameters", "model_crps": {},
                "model_weights": {}}
    return {"model_reason": choice.reason,
            "model_crps": {m: _number(v) for m, v in choice.crps.items()},
            "model_weights": {m: _number(w) for m, w in choice.weights.items()}}


def summary(ctx: Context) -> dict:
    """Everything ``summary.json`` holds: inputs, versions and each target's answer."""
    targets = [{"id": r["id"], "indicator": r["indicator"], "status": r["status"],
                "probability": _number(r["probability"]), "likelihood": r["likelihood"],
                "median": _number(r["median"]),
                "interval_80": [_number(r["lo80"]), _number(r["hi80"])], "model": r["model"],
                "decided_by": {str(y): r["observed"][y] for y in r["decided_by"]
                               if y in r["observed"]},
                "sources": list(r["sources"]), "missing": list(r["missing"]),
                "latest": {str(y): v for y, v in r["latest"].items()},
                **_choice(ctx, r["indicator"]),
                "progress": [p.as_dict() for p in r["progress"]],
                "yearly": r["yearly"].as_dict() if r["yearly"] else None}
               for _, r in ctx.forecast.table.iterrows()]
    return {"scenario": ctx.parameters["scenario"], "plan": ctx.targets.id,
            "unit": ctx.forecast.unit,
            "as_of": ctx.forecast.as_of, "synthetic": ctx.synthetic,
            "base_year": ctx.forecast.settings["base_year"],
            "data": {"path": relative_path(ctx.data_path), "sha256": ctx.sha256,
                     "synthetic": ctx.synthetic},
            "parameters": ctx.parameters, "settings": ctx.forecast.settings,
            "versions": versions(), "targets": targets}


def print_json(data: dict) -> None:
    """Print a report's summary as JSON; the report runner reads it from the output of the
    cell tagged ``summary``."""
    print(json.dumps(data, ensure_ascii=False, indent=1, sort_keys=True))


def print_summary(ctx: Context) -> None:
    """Print the summary (``summary``) for the report runner."""
    print_json(summary(ctx))
