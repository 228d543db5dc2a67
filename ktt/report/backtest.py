"""What the backtest notebook shows: score tables, coverage by horizon, the reliability of the
attainment calls, and which model each indicator uses and why."""

from __future__ import annotations

import html
import json
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
from IPython.display import HTML, Markdown

from ktt import config
from ktt.calibration.suite import SuiteRecord, load_suite, suite_files
from ktt.config import relative_path
from ktt.forecasting.backtest import Backtest, backtest_unit
from ktt.forecasting.choice_scores import model_summary, official_scores
from ktt.forecasting.model_choice import ModelChoice, choose_models, chosen_calls
from ktt.forecasting.scores import brier_table, consistency_bars, reliability, score_table
from ktt.inputs.parameters import document_parameters
from ktt.inputs.scenarios import report_command
from ktt.report import numbers
from ktt.report.context import notebook_inputs
from ktt.report.forecast import opening
from ktt.report.forecast import show as forecast_show
from ktt.report.model_table import choice_words
from ktt.report.plots import (
    CHART_WIDTH,
    PANEL_DPI,
    Chart,
    Charts,
    backtest_charts,
    panel_groups,
    png_bytes,
    reliability_panels,
)
from ktt.report.provenance import code_record, input_files, print_json, versions
from ktt.report.provenance import provenance as forecast_provenance
from ktt.report.strings import family_word, model_words, text


@dataclass(frozen=True)
class BacktestContext:
    """Everything the backtest report shows, computed once."""

    parameters: dict
    """The notebook's parameters as given."""
    data_path: Path
    """Observations file used."""
    sha256: str
    """SHA-256 of the observations file."""
    synthetic: bool
    """Whether the data holds synthetic figures."""
    backtest: Backtest
    """Every forecast and call of the backtest."""
    choices: dict[str, ModelChoice]
    """The model each indicator uses, and why."""
    scores: pd.DataFrame
    """``ktt.forecasting.choice_scores.model_summary``: every model's scores; empty when nothing
    was backtested."""
    lang: str
    """``vi`` or ``en``."""
    suite: SuiteRecord | None = None
    """The saved calibration suite (``make calibration``); None when never saved."""
    official: pd.DataFrame = field(default_factory=pd.DataFrame)
    """``ktt.forecasting.choice_scores.official_scores``: the official progress classes scored as
    calls beside ktt's probabilities on the same calls."""
    code: dict[str, str] = field(default_factory=code_record, repr=False, compare=False)
    """``code_record``, asked of git once for the provenance table and ``summary.json``."""


def prepare(*, data_path: str = "", plan: str = config.DEFAULT_PLAN, unit: str = "",
            as_of: int = 0, n_paths: int = 1000, seed: int = 2020,
            readings: dict | None = None, lang: str = "vi",
            scenario: str = "baseline", base_year: int = 0) -> BacktestContext:
    """Load, validate and backtest from the notebook's parameters (0 or "" mean the default;
    ``readings`` maps a reading of the plan to its value, the plan's default for the rest;
    ``base_year`` is the official progress classes' base year, 0 for the plan's)."""
    parameters, inputs = notebook_inputs(dict(locals()))
    backtest = backtest_unit(inputs.observations, inputs.unit, inputs.targets, readings,
                             as_of or None, n_paths=n_paths, seed=seed,
                             base_year=base_year or inputs.targets.base_year)
    choices = choose_models(backtest)
    scores = (model_summary(backtest, choices) if not backtest.forecasts.empty
              else pd.DataFrame())
    return BacktestContext(parameters, inputs.path, inputs.sha256, inputs.synthetic, backtest,
                           choices, scores, lang, load_suite(),
                           official_scores(backtest, choices))


NOTEBOOK = config.NOTEBOOKS / "backtest.ipynb"
"""The notebook whose parameters ``prepare`` takes, and which its command reruns."""

document_parameters(prepare, NOTEBOOK)


def header(ctx: BacktestContext) -> Markdown:
    """First lines: the synthetic warning (when it applies), title, unit, data, method, and
    what CRPS is, for a reader who has not met it."""
    lines = opening(ctx, text("backtest_title", ctx.lang), ctx.backtest.unit)
    return Markdown("\n".join([*lines, "", text("backtest_method", ctx.lang).format(
        **ctx.backtest.settings) + " " + text("crps_meaning", ctx.lang)]))


def show(table: pd.DataFrame | Markdown, lang: str, decimals: int = 3) -> HTML | Markdown:
    """A backtest table for readers (``ktt.report.forecast.show``: no index, nothing cut
    short; a wide one stacks on a phone, ``ktt.report.stacked``), written as the forecast
    report writes its tables: headings in words of the report's language, indicators, models,
    methods and kinds of target in words, yes or no for a boolean, counts with the language's
    separators (``1.000`` in Vietnamese) and other numbers with ``decimals`` places (``0,138``),
    a missing one as ``-``. The codes stay in the data and in ``summary.json``."""
    if not isinstance(table, pd.DataFrame):
        return table
    heads = [_column_words(str(code), lang) for code in table.columns]
    cells = [_cells(table[code], str(code), lang, decimals) for code in table.columns]
    return forecast_show(pd.DataFrame(dict(zip(heads, cells, strict=True))))


def _column_words(code: str, lang: str) -> str:
    """A backtest column's heading in words: ``crps_3`` is CRPS three years ahead; an unknown
    column keeps its code."""
    if code.startswith("crps_") and code[5:].isdigit():
        return text("col_crps_h", lang).format(h=code[5:])
    key = f"col_{code}"
    words = text(key, lang)
    return code if words == key else words


SHARES = frozenset({"cover80", "cover95", "weight", "base_rate", "predicted", "observed",
                    "said_met", "met_when_said", "met_when_not"})
"""Backtest columns that are shares, shown as whole percentages (``84%``) as the report's text
says them; the scores (CRPS, Brier) keep their decimals."""


def _cells(column: pd.Series, code: str, lang: str, decimals: int) -> list[str]:
    """A backtest column's cells in words and the language's number format."""
    words = {"indicator": lambda v: text("all_indicators" if v == "all" else v, lang),
             "model": lambda v: model_words(v, lang),
             "method": lambda v: text("method_ktt" if v == "ktt" else v, lang),
             "target_family": lambda v: family_word(v, lang)}.get(code)
    if words is not None:
        return [words(str(v)) for v in column]
    if pd.api.types.is_bool_dtype(column):
        return [text("yes" if v else "no", lang) for v in column]
    if pd.api.types.is_integer_dtype(column):
        return [numbers.number(v, lang) for v in column]
    if code in SHARES:
        return [numbers.percent(v, lang) for v in column]
    if pd.api.types.is_float_dtype(column):
        return [numbers.number(v, lang, decimals) for v in column]
    return [str(v) for v in column]


def choice_table(ctx: BacktestContext) -> pd.DataFrame:
    """The model each indicator uses and why."""
    lang = ctx.lang
    return pd.DataFrame([{text("indicator", lang): text(code, lang),
                          text("model", lang): model_words(c.model, lang),
                          text("why", lang): choice_words(c, lang)}
                         for code, c in ctx.choices.items()])


def summary_table(ctx: BacktestContext) -> pd.DataFrame | Markdown:
    """Every model of every indicator: CRPS by horizon and overall, error, coverage, Brier."""
    if ctx.backtest.forecasts.empty:
        return Markdown(text("no_backtest", ctx.lang))
    return ctx.scores.round(4)


def score_chart(ctx: BacktestContext) -> Chart | Charts | Markdown:
    """CRPS and coverage by horizon, per indicator and model; of more indicators than a
    printed page holds (two panels each, ``MAX_PANELS``), charts of a few each, which paper
    keeps whole (four indicators were one image of 2,000 px, cut across three pages)."""
    if ctx.backtest.forecasts.empty:
        return Markdown(text("no_backtest", ctx.lang))
    scores = score_table(ctx.backtest)
    charts = [Chart(png_bytes(backtest_charts(ctx.scores,
                                              scores[scores["indicator"].isin(group)],
                                              ctx.lang, ctx.synthetic), PANEL_DPI),
                    text("alt_scores", ctx.lang), CHART_WIDTH)
              for group in panel_groups(list(dict.fromkeys(scores["indicator"])), 2)]
    return charts[0] if len(charts) == 1 else Charts(tuple(charts))


def choice_calls(ctx: BacktestContext) -> pd.DataFrame:
    """The attainment calls each indicator's choice (a model or a mixture) would have made."""
    return chosen_calls(ctx.backtest.calls, ctx.choices)


def calls_text(ctx: BacktestContext) -> Markdown:
    """Heading and Brier score of the chosen models' calls, against the base rate's."""
    calls, lang = choice_calls(ctx), ctx.lang
    if calls.empty:
        return Markdown(f"{text('calls_heading', lang)}\n\n{text('no_backtest', lang)}")
    base = float(calls["outcome"].mean())
    brier = float(brier_table(calls.assign(all="all"), ("all",))["brier"].iloc[0])
    bars = consistency_bars(reliability(calls))
    out = bars[~bars["observed"].between(bars["low"], bars["high"])]
    points = "; ".join(text("outside_point", lang).format(
        said=numbers.percent(row.predicted, lang), true=numbers.percent(row.observed, lang),
        n=row.n) for row in out.itertuples())
    method = text("calls_method", lang).format(
        horizons=ctx.backtest.settings["horizons"], brier=numbers.number(brier, lang, 3),
        n=len(calls), base=numbers.number(base, lang, 2),
        climate=numbers.number(base * (1 - base), lang, 3))
    outside = text("outside_bars", lang).format(k=len(out), m=len(bars),
                                                 points=f" ({points})" if points else "")
    return Markdown(f"{text('calls_heading', lang)}\n\n{method} {outside}")


def suite_text(ctx: BacktestContext) -> Markdown:
    """Heading and what the calibration suite is, with ktt's Brier skill per kind of target."""
    lang, suite = ctx.lang, ctx.suite
    if suite is None:
        return Markdown(f"{text('suite_heading', lang)}\n\n{text('no_suite', lang)}")
    own = suite.scores[suite.scores["method"] == "ktt"].dropna(subset=["bss"])
    skill = ", ".join(f"{family_word(row.target_family, lang)} "
                      f"{numbers.number(_skill(row.bss, row.base_rate), lang, 2)} "
                      f"({numbers.number(row.n, lang)})" for row in own.itertuples())
    return Markdown(f"{text('suite_heading', lang)}\n\n" + text("suite_method", lang).format(
        districts=numbers.number(suite.settings["districts"], lang),
        families=", ".join(text(f"process_{f}", lang) for f in suite.settings["families"]),
        skill=skill) + " " + text("suite_noise", lang))


def reliability_chart(ctx: BacktestContext) -> Chart | Markdown:
    """The reliability diagram of the chosen models' calls, beside the calibration suite's
    (one series per kind of target) when the suite has been saved."""
    calls = choice_calls(ctx)
    if ctx.suite is None:
        if calls.empty:
            return Markdown(text("no_backtest", ctx.lang))
        return Chart(png_bytes(reliability_panels(consistency_bars(reliability(calls)), {},
                                                  ctx.lang), PANEL_DPI),
                     text("alt_reliability", ctx.lang), CHART_WIDTH)
    table = ctx.suite.reliability
    suite = {family_word(family, ctx.lang): group for family, group in
             table[(table["method"] == "ktt") & (table["target_family"] != "all")]
             .groupby("target_family", sort=False)}
    own = consistency_bars(reliability(calls)) if len(calls) else pd.DataFrame()
    return Chart(png_bytes(reliability_panels(own, suite, ctx.lang), PANEL_DPI),
                 text("alt_reliability", ctx.lang), CHART_WIDTH)


def reliability_table(ctx: BacktestContext) -> pd.DataFrame:
    """Predicted against observed frequency by bin, for the chosen models' calls; a bin as a
    reader writes it (``0-0,1``), not as pandas does (``(-0.001, 0.1]``)."""
    table = reliability(choice_calls(ctx)).round(3)
    return table.assign(bin=[bin_words(b, ctx.lang) for b in table["bin"]])


def bin_words(interval: str, lang: str) -> str:
    """``(0.1, 0.2]`` -> ``0,1-0,2`` (vi) or ``0.1-0.2`` (en); the lowest bin starts at 0."""
    low, high = (float(edge) for edge in interval.strip("([])").split(","))
    low, high = (round(max(edge, 0.0), 2) for edge in (low, high))
    return "-".join(numbers.number(edge, lang, 0 if edge.is_integer() else 1)
                    for edge in (low, high))


OFFICIAL_METHODS = ("ktt", "open_sdg", "unsd", "escap")
"""Rows of the official-classes tables: ktt's probabilities, then each official method."""


def official_text(ctx: BacktestContext) -> Markdown:
    """Heading and how the official progress classes were scored as forecasts."""
    lang = ctx.lang
    base_year = ctx.backtest.settings.get("base_year", "-")
    body = text("official_method", lang).format(base_year=base_year)
    return Markdown(f"{text('official_heading', lang)}\n\n{body}")


def official_table(ctx: BacktestContext) -> pd.DataFrame | Markdown:
    """On the unit's own history: per indicator and over all, ktt's calls and each official
    method's (``ktt.forecasting.choice_scores.official_scores``): calls, share met, Brier
    score, ktt's Brier on the same calls, and how often the target was met when the class said
    met and when not."""
    if ctx.official.empty:
        return Markdown(text("no_backtest", ctx.lang))
    return ctx.official.round(3)


def official_suite_table(ctx: BacktestContext) -> pd.DataFrame | Markdown:
    """On the calibration suite (saved by ``make calibration``): per kind of target, the
    calls, share met, Brier score and Brier skill score of ktt and of each official method."""
    if ctx.suite is None:
        return Markdown(text("no_suite", ctx.lang))
    table = ctx.suite.scores
    table = table[table["method"].isin(OFFICIAL_METHODS)]
    if table.empty or set(table["method"]) == {"ktt"}:
        return Markdown(text("suite_without_official", ctx.lang))
    table = table[["target_family", "method", "n", "base_rate", "brier", "bss"]].reset_index(
        drop=True)
    return table.assign(bss=[_skill(b, r) for b, r in zip(table["bss"], table["base_rate"],
                                                          strict=True)]).round(3)


def official_suite(ctx: BacktestContext) -> HTML | Markdown:
    """``official_suite_table`` for readers (``show``), with a note beneath naming the kinds
    of target whose skill is left out, and why."""
    table = official_suite_table(ctx)
    shown = show(table, ctx.lang)
    if not isinstance(table, pd.DataFrame):
        return shown
    blank = [f for f, rate in zip(table["target_family"], table["base_rate"], strict=True)
             if _meaningless(rate)]
    if not blank:
        return shown
    families = ", ".join(family_word(f, ctx.lang) for f in dict.fromkeys(blank))
    note = html.escape(text("skill_meaningless", ctx.lang).format(families=families))
    return HTML(f"{shown.data}<p><small>{note}</small></p>")


SKILL_EDGE = 0.02
"""A base rate within this of 0 or 1 leaves nothing for a Brier skill score to measure: always
saying the base rate is all but perfect, so any call's skill is a large negative number or
noise (``direction``, met in 1 call of 205, gave -126.686)."""


def _meaningless(base_rate: float) -> bool:
    """Whether a Brier skill score against ``base_rate`` means nothing (``SKILL_EDGE``)."""
    return not SKILL_EDGE <= base_rate <= 1 - SKILL_EDGE


def _skill(bss: float, base_rate: float) -> float:
    """``bss``, or NaN (shown ``-``) when its base rate leaves it meaningless."""
    return float("nan") if _meaningless(base_rate) else bss


def summary(ctx: BacktestContext) -> dict:
    """Everything ``summary.json`` holds: inputs, versions, each indicator's choice and
    scores."""
    indicators = {}
    for code, choice in ctx.choices.items():
        rows = (ctx.scores[ctx.scores["indicator"] == code] if len(ctx.scores)
                else pd.DataFrame())
        indicators[code] = {
            "model": choice.model, "reason": choice.reason, "reason_code": choice.why,
            "scores": json.loads(rows.drop(columns="indicator").to_json(orient="records"))
            if len(rows) else []}
    return {"scenario": ctx.parameters["scenario"], "unit": ctx.backtest.unit,
            "synthetic": ctx.synthetic,
            "data": {"path": relative_path(ctx.data_path), "sha256": ctx.sha256,
                     "synthetic": ctx.synthetic},
            "inputs": _inputs(ctx),
            "parameters": ctx.parameters,
            "command": report_command(ctx.parameters, NOTEBOOK),
            "settings": ctx.backtest.settings,
            "versions": versions(), **ctx.code, "indicators": indicators,
            "official": json.loads(ctx.official.to_json(orient="records"))}


def _inputs(ctx: BacktestContext) -> dict[str, dict]:
    """``input_files`` of the report, the calibration suite's among them when it shows the
    suite."""
    return input_files(ctx.parameters, suite_files() if ctx.suite is not None else None)


def provenance(ctx: BacktestContext) -> HTML:
    """The forecast report's provenance table (``ktt.report.provenance.provenance``), the
    calibration suite's files among the inputs."""
    return forecast_provenance(ctx, _inputs(ctx), NOTEBOOK)


def print_summary(ctx: BacktestContext) -> None:
    """Print the summary (``summary``) for the report runner."""
    print_json(summary(ctx))
