"""Which model serves each indicator and why, in the report's words: the forecast report's
model table, and the backtest's reasons for its choice, which the backtest report gives too."""

from __future__ import annotations

import re

import pandas as pd
from IPython.display import Markdown

from ktt.forecasting.model_choice import ModelChoice
from ktt.models.fit import FALLBACK, FittedModel, served_weights
from ktt.report import numbers
from ktt.report.context import Context
from ktt.report.strings import model_words, text


def _models_words(models, lang: str) -> str:
    return ", ".join(model_words(m, lang) for m in models)


def choice_words(choice: ModelChoice, lang: str,
                 weights: dict[str, float] | None = None) -> str:
    """Why an indicator's models serve it (``ktt.forecasting.model_choice.ModelChoice``), in the
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
        short = text("why_short_one" if e.figures == 1 else "why_short", lang).format(
            figures=e.figures, needs=e.needs)
        words = text(f"why_{choice.why}", lang).format(
            short=short, models=_models_words(weights, lang))
    if e.untested:
        words += text("why_untested", lang).format(models=_models_words(e.untested, lang))
    return words


FIT_ERRORS = (
    (r"dispersion at its bound", "error_no_dispersion"),
    (r"did not converge", "error_no_convergence"),
    (r"needs the counts behind the share", "error_no_counts"),
    (r"needs (?P<needs>\d+) year-on-year changes, has (?P<has>\d+)", "error_few_changes"),
    (r"needs (?P<needs>\d+) figures, has (?P<has>\d+)", "error_few_figures"),
    (r"changed by the same amount every year", "error_no_spread"),
)
"""The reasons a model's fit fails (``ktt.models``' errors, in English) by a pattern of their
words, and the strings that say them in a report's language: the Vietnamese table said only
that the fit failed, where the English gave the model's own words."""


def error_words(error: str, lang: str) -> str:
    """Why a model could not be fitted, in the report's language (``FIT_ERRORS``); an error no
    pattern knows as it is."""
    for pattern, key in FIT_ERRORS:
        if found := re.search(pattern, error):
            return text(key, lang).format(**found.groupdict())
    return error


def fallback_words(fit: FittedModel, lang: str) -> str:
    """The models a fit passed over and why, in the report's language; ``-`` when none."""
    if fit.model.endswith("+province"):  # pooled: ktt.models.indicator says how, in English
        return fit.note if lang == "en" else text("pooled_note", lang)
    if not fit.fallbacks:
        return "-"
    return "; ".join(
        text("needs_figures" if b.needs else "fit_failed", lang).format(
            model=model_words(b.model, lang), needs=b.needs, has=b.has,
            error=error_words(b.error, lang), to=model_words(FALLBACK[b.model], lang))
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
