"""What the forecast notebook shows: each function takes the report context and returns one
displayable result (a table, a figure, a sentence). The notebook only calls these."""

from __future__ import annotations

import html
import json
import math
import platform
import re
import subprocess
from dataclasses import dataclass, field, replace
from datetime import date
from importlib.metadata import version
from pathlib import Path

import numpy as np
import pandas as pd
from babel.dates import format_date
from IPython.display import HTML, Markdown

from ktt import config
from ktt.config import relative_path
from ktt.errors import KttError
from ktt.forecasting.backtest import ModelChoice, choice_fields, rounded
from ktt.forecasting.cache import cached
from ktt.forecasting.forecast import (
    Forecast,
    ForecastOptions,
    forecast_targets,
    forecasts_its_year,
    year_intervals,
)
from ktt.forecasting.options import farm_households, options_from
from ktt.forecasting.progress import CLASSES, INSUFFICIENT, METHODS, ON_TRACK, disagrees
from ktt.inputs.banner import BANNER
from ktt.inputs.catalog import decided_figures, kind_of
from ktt.inputs.data import load_observations
from ktt.inputs.loading import Inputs, file_sha256, load_inputs, plan_file
from ktt.inputs.scenarios import (
    LEVERS,
    document_parameters,
    load_scenario,
    report_command,
    scenario_path,
)
from ktt.inputs.targets import Target, TargetSet, deciding
from ktt.inputs.units import (
    SUM_QUOTE,
    load_units,
    own_years_after_reform,
    reform_note,
    reform_year,
    successors_of,
    successors_on_record,
    unit_name,
    year_span,
)
from ktt.models.fit import FALLBACK, FittedModel, served_weights
from ktt.report import numbers, stacked
from ktt.report.answers import (
    BAND_COLOURS,
    band,
    cautions,
    legend,
    required_pace,
    scenario_info,
    target_label,
)
from ktt.report.answers import pace as _pace
from ktt.report.comparison import beside, comparison_chart
from ktt.report.plots import CHART_WIDTH, PANEL_DPI, Chart, fan_charts, png_bytes
from ktt.report.sources import cited, known_sources, mark, numbering, source_files, source_list
from ktt.report.strings import LANGS, model_words, text

DATE_FORMAT = {"vi": "d 'tháng' M 'năm' y", "en": "long"}
"""How a report writes a date: as Vietnamese official documents do ("30 tháng 6 năm 2025"),
and Babel's long English form ("June 30, 2025")."""
PACKAGES = ("ktt", "numpy", "pandas", "scipy", "statsmodels", "matplotlib", "scoringrules",
            "babel", "papermill", "nbconvert")


CODE = ("ktt", "notebooks")
"""The folders of the code that makes a report (``code_commit``); what else it reads, it
hashes (``input_files``), and the packages it records by version (``versions``)."""


def code_commit() -> str | None:
    """The git commit of the code that makes a report: the last commit that changed ``CODE``,
    ``-dirty`` after it (as ``git describe --dirty`` marks it) when they hold changes not
    committed; None when ktt does not run from a git checkout (an installed package) or git
    does not answer.

    The last commit of the code rather than HEAD, so that a report regenerated at commit X
    and committed in X+1, which changes reports alone, records X and a rerun at X+1 records X
    again: ``make report`` then leaves git clean. Its code is that commit's, file for file,
    when not dirty. ``ktt verify`` compares a report without it (``ktt.report.verify``)."""
    def git(*args: str) -> str | None:
        # no optional locks: parallel reports (--all, --plans) would contend for the index's
        done = subprocess.run(["git", "--no-optional-locks", "-C", str(config.ROOT), *args],
                              capture_output=True, text=True, check=False)
        return done.stdout.strip() if done.returncode == 0 else None

    try:
        top = git("rev-parse", "--show-toplevel")
    except OSError:  # no git
        return None
    if top is None or Path(top).resolve() != config.ROOT:
        return None
    commit, changes = git("log", "-1", "--format=%H", "--", *CODE), git(
        "status", "--porcelain", "--", *CODE)
    if not commit or changes is None:
        return None
    return commit + ("-dirty" if changes else "")


COMMIT = "commit"
"""The key of a report's ``summary.json`` that holds its ``code_commit``."""


def code_record() -> dict[str, str]:
    """``COMMIT``: the ``code_commit`` that made a report, for its ``summary.json``; empty
    outside a git checkout."""
    commit = code_commit()
    return {COMMIT: commit} if commit else {}


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
    """The unit's figures beside its province's and country's
    (``ktt.report.comparison.beside``)."""
    inputs: Inputs | None = field(default=None, repr=False, compare=False)
    """The data and plan loaded (``load_inputs``), which the baseline's forecast shares."""
    code: dict[str, str] = field(default_factory=code_record, repr=False, compare=False)
    """``code_record``, asked of git once for the provenance table and ``summary.json``."""


def input_files(parameters: dict, extra: dict[str, Path] | None = None) -> dict[str, dict]:
    """The files a report reads besides its data file, each with its path and SHA-256, for a
    reviewer to check that a rerun read the same: the plan (targets, thresholds, quotes), the
    scenario, the units table (the 2025 reform's successors) and the published record (the
    province's and country's figures beside the unit's), then ``extra`` (the forecast
    report's ``sources.csv`` files, ``ktt.report.sources.source_files``; the backtest
    report's calibration suite). Files that do not exist are left out.

    Parameters
    ----------
    parameters : dict
        The notebook's parameters (``plan``, ``scenario``).
    extra : dict, optional
        Name -> path of further files read.

    Returns
    -------
    dict
        Name -> ``{"path": ..., "sha256": ...}``, paths relative to the project root when
        inside it.
    """
    files = {"plan": plan_file(parameters.get("plan") or config.DEFAULT_PLAN),
             "scenario": scenario_path(parameters.get("scenario") or "baseline"),
             "units": config.UNITS, "published_record": config.OBSERVATIONS, **(extra or {})}
    return {name: {"path": relative_path(path), "sha256": file_sha256(path)}
            for name, path in files.items() if path.is_file()}


def prepare(*, data_path: str = "", plan: str = config.DEFAULT_PLAN, unit: str = "",
            as_of: int = 0, model: str = "auto", n_paths: int = 4000, seed: int = 2020,
            pooling: str = "none", readings: dict | None = None,
            extra_foundings_per_year: float = 0.0, extra_from_year: int = 0,
            dormant_dissolved: int = 0, dissolution_year: int = 0,
            extra_households_per_year: float = 0.0, enrolment_from_year: int = 0,
            lang: str = "vi", scenario: str = "baseline", base_year: int = 0) -> Context:
    """Load, validate and forecast from the notebook's parameters (0 or "" mean the default;
    ``readings`` maps a reading of the plan to its value, the plan's default for the rest;
    ``base_year`` is the official progress classes' base year, 0 for the plan's)."""
    text("title", lang)  # fails early, naming the valid languages
    parameters = dict(locals())
    parameters["readings"] = dict(readings or {})
    inputs = load_inputs(data_path, plan, unit, readings)
    forecast = forecast_of(inputs, options_from(parameters))
    published = beside(forecast.history, inputs.unit, load_observations(config.OBSERVATIONS),
                       load_units(), lang)
    return Context(parameters, inputs.path, inputs.sha256, inputs.synthetic, inputs.targets,
                   forecast, lang, published, inputs)


document_parameters(prepare, config.FORECAST_NOTEBOOK)


def forecast_of(inputs: Inputs, options: ForecastOptions) -> Forecast:
    """``forecast_targets`` of the inputs, read from the disk cache (``ktt.forecasting.cache``,
    kind ``forecast``) when the same figures, plan, unit, units table, options and code made
    one before: a scenario report forecasts its baseline too (``baseline_of``), which the
    baseline's report, or another scenario's, has already stored."""
    return cached(_forecast, inputs.observations, inputs.targets, inputs.unit, options,
                  load_units(), kind="forecast")


def _forecast(observations: pd.DataFrame, targets: TargetSet, unit: str,
              options: ForecastOptions, units: pd.DataFrame) -> Forecast:
    """``forecast_targets`` with the figures first, the argument ``cached`` hashes by value."""
    return forecast_targets(targets, observations, unit, options, units)


def opening(ctx: Context, title: str, unit: str, facts: tuple[str, ...] = ()) -> list[str]:
    """A report's first lines: the synthetic warning (when it applies), the title, then
    scenario, unit, ``facts`` and the data file with its hash, as a Markdown list.

    ``ctx`` is any report context with ``lang``, ``synthetic``, ``parameters``, ``data_path``
    and ``sha256`` (the backtest report's too)."""
    lines = [synthetic_box(), ""] if ctx.synthetic else []
    scenario = ctx.parameters["scenario"]
    return [*lines, f"# {title}", "",
            # by its title in the report's language, as the forecast report's header names it
            f"- {text('scenario', ctx.lang)}: {scenario_info(scenario, lang=ctx.lang)[0]} "
            f"(`{scenario}`)",
            f"- {text('unit', ctx.lang)}: {unit_name(unit, ctx.lang)} (`{unit}`)", *facts,
            f"- {text('data', ctx.lang)}: `{relative_path(ctx.data_path)}` "
            f"(sha256 `{ctx.sha256[:16]}…`)"]


def synthetic_box(banner: dict[str, str] = BANNER) -> str:
    """The synthetic warning as a coloured box, in Vietnamese and English whatever the report's
    language (the class ``ktt-synthetic`` is styled for print by ``ktt.report.runner``),
    opening with ``banner`` in each language (the district's by default)."""
    parts = [f"<strong lang='{lang}'>{html.escape(banner[lang])}</strong> "
             f"<small lang='{lang}'>{html.escape(text('synthetic_box', lang))}</small>"
             for lang in ("vi", "en")]
    return ("<div class='ktt-synthetic' role='note' style='border:3px solid #b35806;"
            "background:#fee0b6;color:#3b1f00;padding:6px 12px;margin:4px 0 10px;"
            "border-radius:4px;line-height:1.35'>" + "<br>".join(parts) + "</div>")


def header(ctx: Context) -> HTML:
    """First lines, short so that the answer stays on the first screen: the synthetic warning
    (when it applies), the title, then scenario, plan, unit and as-of year on one line
    (``details`` gives the rest after the target table)."""
    lang = ctx.lang
    title, _ = scenario_info(ctx.parameters["scenario"], lang=lang)
    unit = ctx.forecast.unit
    # a district's figures from 2025 are its communes': said where the unit is named, since
    # "Huyện Krông Bông, data up to 2026" reads as the district's own (``details`` says more)
    years = sorted(set(_summed(ctx)["year"]))
    summed = ("; " + html.escape(text("unit_summed", lang).format(
        years=year_span(years).replace("-", "–"),
        n=len(successors_of(load_units(), unit)))) if years else "")
    line = " · ".join([
        f"{html.escape(text('scenario', lang))}: {html.escape(title)} "
        f"(<code>{html.escape(ctx.parameters['scenario'])}</code>)",
        f"{html.escape(text('plan', lang))}: <code>{html.escape(ctx.targets.id)}</code>",
        f"{html.escape(text('unit', lang))}: {html.escape(unit_name(unit, lang))} "
        f"(<code>{html.escape(unit)}</code>{summed})",
        f"{html.escape(text('as_of', lang))}: {ctx.forecast.as_of}"])
    return HTML((synthetic_box() if ctx.synthetic else "")
                + f"<h1>{html.escape(text('title', lang))}: {html.escape(ctx.targets.name(lang))}"
                f"</h1><p class='ktt-facts'>{line}</p>")


def details(ctx: Context) -> Markdown:
    """What the header leaves out: the plan's source document, the 2025 reform (when the unit
    ended) and the data file with its hash."""
    lang = ctx.lang
    return Markdown("\n".join([
        f"- {text('plan', lang)}: `{ctx.targets.id}` ({ctx.targets.source})",
        *reform_lines(ctx),
        f"- {text('data', lang)}: `{relative_path(ctx.data_path)}` "
        f"(sha256 `{ctx.sha256[:16]}…`)"]))


def reform_lines(ctx: Context) -> list[str]:
    """A line saying that the unit ended and which figures are its successors' sums; none
    for a unit that has not ended."""
    units = load_units()
    note = reform_note(units, ctx.forecast.unit, ctx.forecast.history)
    return [f"- {text('reform', ctx.lang)}: {_reform_words(units, ctx)}"] if note else []


def _summed(ctx: Context) -> pd.DataFrame:
    """The unit's figures that are its successors' sums (``ktt.inputs.units``); none for a
    unit that has not ended."""
    frame = ctx.forecast.history
    return frame[(frame["unit"] == ctx.forecast.unit)
                 & frame["quote"].str.startswith(SUM_QUOTE)]


def _reform_words(units: pd.DataFrame, ctx: Context) -> str:
    """``ktt.inputs.units.reform_note`` in the report's language, the units by their names,
    its date with Babel."""
    unit, frame, lang = ctx.forecast.unit, ctx.forecast.history, ctx.lang
    valid_to = str(units.loc[units["unit"] == unit, "valid_to"].iloc[0])
    summed = _summed(ctx)
    years = sorted(set(summed["year"]))
    name = unit_name(unit, lang, units)
    successors = successors_of(units, unit)
    head = text("reform_ended", lang).format(
        unit=name, date=format_date(date.fromisoformat(valid_to), format=DATE_FORMAT[lang],
                                    locale=numbers.LOCALES[lang]),
        year=reform_year(units, unit),
        successors=", ".join(unit_name(u, lang, units) for u in successors))
    if not years:
        own = own_years_after_reform(units, unit, frame)
        mine = text("reform_own", lang).format(years=year_span(own).replace("-", "\u2013"),
                                               unit=name) if own else ""
        partial = successors_on_record(units, unit, ctx.inputs.observations["unit"])
        return head + text("reform_partial" if partial else "reform_none", lang) + mine
    return head + text("reform_summed", lang).format(n=len(summed), first=years[0],
                                                     last=years[-1])


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
        text("required", lang): [_required(row, lang) for _, row in table.iterrows()],
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
    if row["missing"]:
        parts.append(text("no_figure_for", lang).format(years=", ".join(map(str,
                                                                             row["missing"]))))
    if observed:
        # the figures of its own years, not the latest (2026: 7 for a 2021-2025 rule), which
        # may be of a year it does not read
        parts.append(", ".join(f"{y}: {numbers.value(v, code, lang)}"
                               for y, v in sorted(observed.items())) + cites)
    elif row["latest"]:
        (year, value), = row["latest"].items()
        parts.append(f"{text('latest', lang)} {year}: {numbers.value(value, code, lang)}"
                     + cites)
    return "; ".join(parts) or text("no_record", lang)


def _required(row: pd.Series, lang: str) -> str:
    """The pace a target of the forecast table needs (``ktt.report.answers.required_pace``)."""
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


def _slashed(figures: list[str], lang: str) -> str:
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


def _resolved(ctx: Context) -> dict[str, Target]:
    return {t.id: t for t in ctx.targets.resolve(ctx.forecast.settings["readings"])}


def _notes(row: pd.Series, lang: str) -> str:
    """An open target's ``cautions``, each after "; "."""
    return "".join(f"; {c}" for c in cautions(row["status"], row["figures"],
                                               row["end"] in row["missing"], lang))


def _answer(row: pd.Series, lang: str) -> str:
    if row["status"] != "open":
        return text(row["status"], lang)
    if math.isnan(row["probability"]):  # "- · chưa rõ" said nothing of why
        return text("no_probability", lang)
    return (f"{numbers.probability(row['probability'], lang)} · "
            f"{text(row['likelihood'], lang)}{_notes(row, lang)}")


def _counts(counts: pd.Series, n: int, as_of: int, lang: str) -> str:
    """The conclusion's first sentence: how many of the ``n`` targets are met, missed and open
    (``counts``, by status), a status no target has left out, and one that all have said so
    ("cả 7 chỉ tiêu ... chưa rõ kết quả", not "0 đã đạt, 0 không đạt và 7 chưa rõ kết quả")."""
    held = [(status, int(counts.get(status, 0))) for status in ("met", "missed", "open")
            if counts.get(status, 0)]
    if len(held) == 1:
        return text("conclusion_one" if n == 1 else "conclusion_all", lang).format(
            n=n, status=text(held[0][0], lang), as_of=as_of)
    parts = [f"{k} {text(status, lang)}" for status, k in held]
    return text("conclusion_counts", lang).format(
        n=n, counts=", ".join(parts[:-1]) + text("and", lang) + parts[-1], as_of=as_of)


def conclusion(ctx: Context) -> HTML:
    """The answer in a few sentences, from the results, in the report's language: how many
    targets are met, missed and open, the hardest open target with its probability and its
    recent pace against the pace it needs, and the likeliest open one."""
    table, lang = ctx.forecast.table, ctx.lang
    targets = _resolved(ctx)
    counts = table["status"].value_counts()
    lines = [_counts(counts, len(table), ctx.forecast.as_of, lang)]
    # an open target without a figure has no probability to rank it by
    still = table[(table["status"] == "open") & table["probability"].notna()].sort_values(
        ["probability", "id"], kind="stable")
    if not counts.get("open", 0):
        lines.append(text("conclusion_all_decided", lang))
    elif len(still):
        row = still.iloc[0]
        # one figure gives no recent pace; a sentence with a dash in it reads as broken
        pace = "" if pd.isna(row["recent_pace"]) or pd.isna(row["required_pace"]) else (
            text("conclusion_pace", lang).format(
                recent=_pace(row["recent_pace"], row["indicator"], lang),
                required=_required(row, lang)))
        lines.append(text("conclusion_hardest", lang).format(
            target=f"**{target_label(targets[row['id']], lang)}** "
                   f"({rule_words(targets[row['id']], lang)})",
            phrase=text(row["likelihood"], lang), notes=_notes(row, lang),
            p=numbers.probability(row["probability"], lang), pace=pace))
        if len(still) > 1:
            row = still.iloc[-1]
            lines.append(text("conclusion_easiest", lang).format(
                target=f"**{target_label(targets[row['id']], lang)}** "
                       f"({rule_words(targets[row['id']], lang)})",
                phrase=text(row["likelihood"], lang), notes=_notes(row, lang),
                p=numbers.probability(row["probability"], lang)))
    base = baseline_of(ctx)
    if base is not None:
        title, _ = scenario_info(ctx.parameters["scenario"], lang=lang)
        lines.append(f"{text('scenario', lang)} **{title}**: "
                     + _largest_change(_changes(ctx, base), targets, lang))
    return HTML(f"<p class='ktt-conclusion' style='font-size:1.1em'><strong>"
                f"{html.escape(text('conclusion_heading', lang).lstrip('# '))}:</strong> "
                + re.sub(r"\*\*(.+?)\*\*", r"<strong>\1</strong>",
                         html.escape(" ".join(lines), quote=False)) + "</p>")


def answer_table(ctx: Context) -> HTML:
    """The target table for readers: each target in words (indicator, year, rule) with the
    plan's own words beneath, its answer coloured by band (met, the probability's band,
    missed), the deciding or latest figures, the 80 % interval and the paces; a legend of the
    colours. No index; long text wraps; on a phone each target is a block of its own
    (``ktt.report.stacked``)."""
    table, lang = ctx.forecast.table, ctx.lang
    targets = _resolved(ctx)
    heads = [text("target", lang), text("answer", lang), text("record_deciding", lang),
             text("interval", lang), text("pace", lang)]
    history = ctx.forecast.history
    farm = farm_households(history[history["year"] <= ctx.forecast.as_of], ctx.forecast.unit)
    rows = []
    for _, row in table.iterrows():
        target = targets[row["id"]]
        colour, ink = BAND_COLOURS[band(row["status"], row["probability"])]
        recent = _pace(row["recent_pace"], row["indicator"], lang)
        paces = [_required(row, lang), recent]
        if row["indicator"] == "household_share" and row["status"] == "open":
            # a pace of 0 is said as "hold the level", NaN as "-": neither is a count
            paces = [f + _in_households(v, farm, lang) if math.isfinite(v) and v != 0 else f
                     for f, v in zip(paces, (row["required_pace"], row["recent_pace"]),
                                     strict=True)]
        pace = "-" if row["status"] != "open" else _slashed(paces, lang)
        interval = (_interval(row["lo80"], row["hi80"], row["indicator"], lang)
                    if forecasts_its_year(row) else "-")
        # each row is an anchor: the index's cell for a target opens the report at its row
        rows.append(
            f"<tr id='{html.escape(target.id, quote=True)}'>"
            + stacked.cell(f"<strong>{html.escape(target_label(target, lang))}</strong><br>"
                           f"{html.escape(rule_words(target, lang))}<br>"
                           f"<small class='ktt-quote'><i>“{html.escape(target.quote)}”</i> "
                           f"<code>{html.escape(target.id)}</code></small>", heads[0],
                           "ktt-target", f" title='{html.escape(target.quote, quote=True)}'")
            + stacked.cell(html.escape(_answer(row, lang)), heads[1], "ktt-answer",
                           f" style='background:{colour};color:{ink};font-weight:bold'")
            + stacked.cell(html.escape(_record(row, lang)), heads[2])
            + stacked.cell(html.escape(interval), heads[3], stacked.empty(interval))
            + stacked.cell(html.escape(pace), heads[4], stacked.empty(pace)) + "</tr>")
    reading = text("reading_note", lang).format(
        n=numbers.number(ctx.forecast.settings["n_paths"], lang))
    return HTML(stacked.table(heads, rows, "ktt-targets")
                + f"{legend(lang)}<p><small>{html.escape(reading)} "
                f"{html.escape(text('pace_note', lang))}</small></p>")


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
    needed = (numbers.estimate(count.required_level, code, lang, 1)
              if count.years_left or count.years_missing else text("no_year_left", lang))
    return _slashed([done, needed, numbers.estimate(count.recent_level, code, lang, 1)], lang)


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
    targets = _resolved(ctx)
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
    targets = _resolved(ctx)
    for _, row in ctx.forecast.table.iterrows():
        p = row["probability"]
        label = f"**{target_label(targets[row['id']], lang)}**"
        against = [r for r in row["progress"] if disagrees(r, p)]
        for on in (True, False):
            side = [r for r in against if (r.category in ON_TRACK) == on]
            if side:
                methods = "; ".join(f"{text(r.method, lang)}: "
                                    f"{text(f'class_{r.category}', lang)}" for r in side)
                if row["status"] != "open":
                    sentence = text("disagree_decided", lang).format(
                        target=label, methods=methods,
                        side=text("side_on" if on else "side_off", lang),
                        status=text(row["status"], lang))
                else:
                    sentence = text("disagree_on" if on else "disagree_off", lang).format(
                        target=label, methods=methods, p=numbers.probability(p, lang),
                        phrase=text(row["likelihood"], lang))
                lines.append(f"- {sentence}")
    return Markdown("\n".join(lines) if lines else text("no_disagreement", lang))


def _alt(ctx: Context, key: str, codes) -> str:
    words = ", ".join(text(c, ctx.lang) for c in dict.fromkeys(codes))
    return text(key, ctx.lang).format(codes=words) + (
        text("synthetic_alt", ctx.lang) if ctx.synthetic else "")


def fan_chart(ctx: Context) -> Chart:
    """Fan charts of every indicator a target uses, as a PNG with its alt text (marked when the
    figures are synthetic)."""
    targets = ctx.targets.resolve(ctx.forecast.settings["readings"])
    labels = {t.id: rule_words(t, ctx.lang) for t in targets}
    return Chart(png_bytes(fan_charts(ctx.forecast, targets, labels, ctx.lang, ctx.synthetic),
                           PANEL_DPI),
                 _alt(ctx, "alt_fan", [t.indicator for t in targets]), CHART_WIDTH)


def heading(ctx: Context, key: str) -> Markdown:
    """A section heading in the report's language."""
    return Markdown(text(key, ctx.lang))


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
    """The unit's record as lines, the province's and country's figures as labelled points."""
    if ctx.published.empty:
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
                            quoted_figures(ctx.forecast.history, ctx.lang)))


def quoted_figures(history: pd.DataFrame, lang: str) -> dict[str, list[str]]:
    """The unit's own figures by source id, each with the phrase it is read from: ``2016, New
    HTX: 2,030: "…"``, by indicator and year. The published figures of other units have
    their quotes in their own table (``published_table``); a derived figure (a sum, a share
    of two figures) has none of its own, and a sum of several units' figures cites its parts'
    sources, whose figures are theirs."""
    own = history[~history["derived"].astype(bool) & history["quote"].fillna("").ne("")]
    quoted: dict[str, list[str]] = {}
    for row in own.sort_values(["indicator", "year"]).itertuples():
        quoted.setdefault(row.source, []).append(
            f"{row.year}, {text(row.indicator, lang)}: "
            f"{numbers.value(row.value, row.indicator, lang)}: “{row.quote}”")
    return quoted


def _cited(ctx: Context) -> list[str]:
    """The report's sources in the order its list numbers them."""
    return cited(ctx.forecast.history["source"], ctx.published.get("source", pd.Series()))


def _models_words(models, lang: str) -> str:
    return ", ".join(model_words(m, lang) for m in models)


def choice_words(choice: ModelChoice, lang: str,
                 weights: dict[str, float] | None = None) -> str:
    """Why an indicator's models serve it (``ktt.forecasting.backtest.ModelChoice``), in the
    report's language: the kind of reason with its numbers, models in words, weights as
    percentages: ``weights`` when given (the weights as served, after fallbacks,
    ``ktt.models.fit.served_weights``), else the backtest's. ``choice.reason`` is the English
    that ``ktt status`` prints."""
    e = choice.evidence
    weights = choice.weights if weights is None else weights
    backtested = text("why_backtested", lang).format(scored=e.scored, origins=e.origins)
    if choice.why in ("best", "only"):
        words = text(f"why_{choice.why}", lang).format(
            crps=numbers.significant(e.best_crps, lang), backtested=backtested)
        if e.runner_up:
            words += text("why_runner_up", lang).format(
                model=model_words(e.runner_up, lang),
                crps=numbers.significant(e.runner_up_crps, lang))
    elif choice.why in ("few", "close"):
        because = (text("why_few", lang).format(n=e.min_evidence) if choice.why == "few" else
                   text("why_close", lang).format(close=numbers.percent(e.close, lang),
                                                  crps=numbers.significant(e.best_crps, lang)))
        mixed = ", ".join(f"{model_words(m, lang)} {numbers.percent(w, lang)}"
                          for m, w in weights.items())
        words = text("why_mixed", lang).format(weights=mixed, backtested=backtested,
                                               because=because)
    else:
        short = text("why_short", lang).format(figures=e.figures, needs=e.needs)
        words = text(f"why_{choice.why}", lang).format(
            short=short, models=_models_words(weights, lang))
    if e.untested:
        words += text("why_untested", lang).format(models=_models_words(e.untested, lang))
    return words


def fallback_words(fit: FittedModel, lang: str) -> str:
    """The models a fit passed over and why, in the report's language; ``-`` when none."""
    if fit.model.endswith("+province"):  # pooled: ktt.models.indicator says how, in English
        return fit.note if lang == "en" else text("pooled_note", lang)
    if not fit.fallbacks:
        return "-"
    return "; ".join(
        text("needs_figures" if b.needs else "fit_failed", lang).format(
            model=model_words(b.model, lang), needs=b.needs, has=b.has, error=b.error,
            to=model_words(FALLBACK[b.model], lang))
        for b in fit.fallbacks)


def model_note(ctx: Context) -> Markdown:
    """What the model table's CRPS and weights mean, for a reader who has not met them."""
    return Markdown(f"{text('crps_meaning', ctx.lang)} {text('crps_scored', ctx.lang)}")


def model_table(ctx: Context) -> pd.DataFrame:
    """Which model serves each indicator, why (the backtest's evidence), on how many figures,
    and the models passed over, in the report's language."""
    lang, choices = ctx.lang, ctx.forecast.choices
    rows = [{text("indicator", lang): code, text("indicator_name", lang): text(code, lang),
             text("model", lang): f"{model_words(fit.model, lang)} ({fit.model})",
             text("why", lang): choice_words(choices[code], lang, served_weights(fit))
             if code in choices
             else text("named_model", lang),
             text("figures", lang): len(fit.years), text("note", lang): fallback_words(fit, lang)}
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
    return pd.DataFrame([{text("parameter", lang): k, text("value", lang): _setting(v, lang),
                          text("default", lang): _setting(defaults.get(k), lang)}
                         for k, v in changed.items()])


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


def _changes(ctx: Context, base: Context) -> dict[str, tuple[float, float, float, str]]:
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


def _largest_change(changes: dict, targets: dict[str, Target], lang: str) -> str:
    """One sentence for the target whose probability moved most against the baseline."""
    if not changes:
        return text("no_probability_change", lang)
    target_id = max(changes, key=lambda i: (abs(changes[i][0]), i))
    change, p_old, p_new, status = changes[target_id]
    if abs(change) < 0.005:
        return text("no_probability_change", lang)
    # a baseline the record decides is said as its status, not as a probability
    before = text(status, lang) if status != "open" else numbers.probability(p_old, lang)
    return text("largest_change" if change > 0 else "largest_fall", lang).format(
        target=target_label(targets[target_id], lang), before=before,
        after=numbers.probability(p_new, lang), change=_points(p_old, p_new, lang))


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
    targets, base_targets = _resolved(ctx), _resolved(base)
    rows, changes = [], _changes(ctx, base)
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
        if row["id"] in base_targets and rule_words(base_targets[row["id"]], lang) != rule:
            # the readings differ: each column answers its own rule
            rule += "; " + text("baseline_rule", lang).format(
                rule=rule_words(base_targets[row["id"]], lang))
        rows.append(f"<tr><td>{html.escape(target_label(targets[row['id']], lang))}<br>"
                    f"<small>{html.escape(rule)}</small></td>"
                    f"{''.join(cells)}<td><strong>{html.escape(shown)}</strong></td></tr>")
    heads = "".join(f"<th>{html.escape(text(k, lang))}</th>"
                    for k in ("target", "baseline_p", "this_p", "change_p"))
    sentence = _largest_change(changes, targets, lang)
    return HTML(head + f"<p><strong>{html.escape(sentence)}</strong></p>"
                f"<div class='ktt-scroll' style='overflow-x:auto'><table class='ktt-wrap'>"
                f"<thead><tr>{heads}</tr></thead><tbody>{''.join(rows)}</tbody></table></div>"
                f"<p><small>{html.escape(text('baseline_means', lang))}</small></p>")


def versions() -> dict[str, str]:
    """Versions of Python and the packages that made the numbers."""
    return {"python": platform.python_version(), **{p: version(p) for p in PACKAGES}}


def _used_values(ctx) -> dict:
    """What the run used for the parameters whose 0 or empty value means a default: the unit,
    the as-of year, the base year and the plan's readings (``ctx`` is any report context)."""
    run = ctx.forecast if hasattr(ctx, "forecast") else ctx.backtest
    used = {"unit": run.unit, **{k: run.settings[k] for k in ("base_year", "readings")
                                  if k in run.settings}}
    if hasattr(run, "as_of"):
        used["as_of"] = run.as_of
    return used


def _parameter_value(name: str, value, used: dict, lang: str) -> str:
    """A parameter as given, and for a default (0, empty) the value the run used."""
    shown = json.dumps(value, ensure_ascii=False)
    if not value and used.get(name):
        shown += f" ({text('used', lang)} {json.dumps(used[name], ensure_ascii=False)})"
    return shown


def _input_label(name: str, lang: str) -> str:
    """What an input file of ``input_files`` is, in the report's language: its kind in words,
    then the rest of the name (``published_record`` -> ``số liệu đã công bố``,
    ``calibration suite.json`` -> ``calibration suite.json`` in English)."""
    kind, _, rest = name.partition(" ")
    return " ".join(filter(None, [text(f"input_{kind}", lang), rest]))


def report_inputs(ctx: Context) -> dict[str, dict]:
    """``input_files`` of a forecast report: those of every report, and the ``sources.csv``
    files whose titles it lists (``ktt.report.sources.source_files``)."""
    return input_files(ctx.parameters, source_files(ctx.data_path))


def provenance(ctx: Context, files: dict[str, dict] | None = None,
               notebook: Path = config.FORECAST_NOTEBOOK) -> HTML:
    """Data file and hash, the other files read and theirs (``files``, as ``input_files``
    gives them; by default a forecast report's, ``report_inputs``), each parameter, the
    package versions, the command that writes the report again and how to check that it
    reproduces, as a table for a reviewer who reruns the report (``ctx`` is any report
    context, of ``notebook``: the backtest report's too)."""
    return provenance_table(ctx.lang, {"path": relative_path(ctx.data_path),
                                       "sha256": ctx.sha256},
                            report_inputs(ctx) if files is None else files, ctx.parameters,
                            _used_values(ctx), ctx.code,
                            report_command(ctx.parameters, notebook))


def provenance_table(lang: str, data: dict[str, str], files: dict[str, dict],
                     parameters: dict, used: dict, code: dict[str, str],
                     command: str) -> HTML:
    """Any report's provenance block, its heading first, which a printed report starts on a
    page of its own.

    Parameters
    ----------
    lang : str
        ``vi`` or ``en``.
    data : dict
        The data file as ``summary.json`` records it: ``path`` and ``sha256``, or the
        ``generator`` of figures made in the run.
    files : dict
        The other files read, as ``input_files`` gives them.
    parameters : dict
        The notebook's parameters as given.
    used : dict
        For a parameter whose 0 or empty value means a default, the value the run used.
    code : dict
        ``code_record``: the code's commit, when known.
    command : str
        The command that writes the report again (``report_command``).

    Returns
    -------
    HTML
    """
    def row(name: str, value: str, code: bool = True) -> str:
        shown = f"<code>{html.escape(value)}</code>" if code else html.escape(value)
        return f"<tr><th scope='row'>{html.escape(name)}</th><td>{shown}</td></tr>"

    hashed = [row(text("sha256", lang), data["sha256"])] if "sha256" in data else []
    rows = [row(text("data", lang), data.get("path") or data["generator"]), *hashed,
            *(row(f"{text('input_file', lang)}: {_input_label(name, lang)}",
                  f"{f['path']} sha256 {f['sha256']}") for name, f in files.items()),
            *(row(f"{text('parameter', lang)} {k}", _parameter_value(k, v, used, lang))
              for k, v in parameters.items()),
            row(text("versions", lang), ", ".join(f"{n} {v}" for n, v in versions().items()),
                code=False),
            *(row(text("code_commit", lang), commit) for commit in code.values()),
            row(text("rerun_command", lang), command),
            row(text("verify_command", lang), text("verify_how", lang), code=False)]
    return HTML("<div class='ktt-provenance'>"
                f"<h2>{html.escape(text('provenance_heading', lang).lstrip('# '))}</h2>"
                "<div class='ktt-scroll' style='overflow-x:auto'>"
                "<table class='ktt-wrap' style='border-collapse:collapse'>"
                f"{''.join(rows)}</table></div></div>")


def show(table: pd.DataFrame | Markdown) -> HTML | Markdown:
    """A table for readers: no index column, nothing cut short, long text wrapped; a wide one
    stacks on a phone, each row a block (``ktt.report.stacked.from_frame``)."""
    if not isinstance(table, pd.DataFrame):
        return table
    return HTML(stacked.from_frame(table))


def _choice(ctx: Context, code: str) -> dict:
    """Why the indicator's model: the backtest's reason and each model's mean CRPS."""
    return choice_fields(ctx.forecast.choices.get(code), ctx.forecast.fits.get(code))


def summary(ctx: Context) -> dict:
    """Everything ``summary.json`` holds: inputs, versions and each target's answer, its
    ``interval_80`` where its target year is forecast (``year_intervals``), as ``ktt status
    --json`` writes it."""
    targets = [{"id": r["id"], "indicator": r["indicator"], "status": r["status"],
                "probability": rounded(r["probability"]), "likelihood": r["likelihood"],
                "median": rounded(r["median"]), "threshold": rounded(r["threshold"]),
                "interval_80": [rounded(r["lo80"]), rounded(r["hi80"])], "model": r["model"],
                **{key: {str(y): v for y, v in part.items()}
                   for key, part in zip(("decided_by", "at_least"), deciding(r), strict=True)},
                "sources": list(r["sources"]), "missing": list(r["missing"]),
                "latest": {str(y): v for y, v in r["latest"].items()},
                "figures": r["figures"], "end": int(r["end"]),
                **_choice(ctx, r["indicator"]),
                "progress": [p.as_dict() for p in r["progress"]],
                "yearly": r["yearly"].as_dict() if r["yearly"] else None}
               for _, r in year_intervals(ctx.forecast.table).iterrows()]
    words = {lang: scenario_info(ctx.parameters["scenario"], ctx.targets.id, lang)
             for lang in LANGS}
    return {"scenario": ctx.parameters["scenario"], "plan": ctx.targets.id,
            "scenario_title": words["en"][0], "scenario_description": words["en"][1],
            "scenario_title_vi": words["vi"][0], "scenario_description_vi": words["vi"][1],
            "unit": ctx.forecast.unit,
            "as_of": ctx.forecast.as_of, "synthetic": ctx.synthetic,
            "base_year": ctx.forecast.settings["base_year"],
            "data": {"path": relative_path(ctx.data_path), "sha256": ctx.sha256,
                     "synthetic": ctx.synthetic},
            "inputs": report_inputs(ctx),
            "parameters": ctx.parameters, "command": report_command(ctx.parameters),
            "settings": ctx.forecast.settings,
            "versions": versions(), **ctx.code, "targets": targets}


def print_json(data: dict) -> None:
    """Print a report's summary as JSON; the report runner reads it from the output of the
    cell tagged ``summary``."""
    print(json.dumps(data, ensure_ascii=False, indent=1, sort_keys=True))


def print_summary(ctx: Context) -> None:
    """Print the summary (``summary``) for the report runner."""
    print_json(summary(ctx))
