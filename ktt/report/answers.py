"""The words and colours of a target's answer that a report and the index share: its colour
band, its label, a scenario's title and description.

Kept apart from ``ktt.report.forecast`` so that writing the index (``ktt.report.index``, at the
end of ``ktt report --all``, in the command's own process) does not import the forecasting
libraries (scipy, statsmodels, matplotlib: about 1.4 s).
"""

from __future__ import annotations

import html
import math

from ktt.forecasting.likelihood import LIKELIHOOD_SCALE, as_shown
from ktt.inputs.catalog import kind_of
from ktt.inputs.scenarios import load_scenario, scenario_words
from ktt.inputs.targets import Target
from ktt.report import numbers
from ktt.report.strings import text

BANDS = ("met", "likely", "even", "unlikely", "very_unlikely", "missed")
"""The colour bands of a target's answer, from met to missed."""

BAND_COLOURS = {"met": ("#1a7837", "#ffffff"), "likely": ("#a6dba0", "#00280a"),
                "even": ("#fee08b", "#3b2a00"), "unlikely": ("#fdae61", "#3b1f00"),
                "very_unlikely": ("#e66f5c", "#1f0000"), "missed": ("#b2182b", "#ffffff"),
                "unknown": ("#ffffff", "#000000")}
"""Background and text colour of each band: greens met or likely, yellow even, orange and
red short of it, white an open target with no probability (no band of the legend); text dark
or white so that every pair reads (contrast above 4.5)."""


def band(status: str, probability: float) -> str:
    """The colour band of a target: ``met`` or ``missed`` when the record decides it, else by
    its probability as shown (``ktt.forecasting.likelihood.as_shown``; the calibrated
    phrases' cut-offs 0.66, 0.33 and 0.10); ``unknown`` when an open target has no
    probability (NaN: no figure to forecast from), which the cut-offs called very unlikely."""
    if status in ("met", "missed"):
        return status
    if math.isnan(probability):
        return "unknown"
    probability = as_shown(probability)
    if probability >= 0.66:
        return "likely"
    if probability >= 0.33:
        return "even"
    return "unlikely" if probability >= 0.10 else "very_unlikely"


def legend(lang: str, hover: str | None = None) -> str:
    """The colour legend of the bands, as HTML: each band's swatch in its colours with its
    words (``band_met`` ...), under a paragraph of class ``ktt-legend``; with ``hover`` (a
    language), each swatch's words in that language on hover, as the bilingual index has
    them."""
    def title(b: str) -> str:
        return (f" title='{html.escape(text(f'band_{b}', hover), quote=True)}'" if hover
                else "")

    swatches = " ".join(
        f"<span style='background:{BAND_COLOURS[b][0]};color:{BAND_COLOURS[b][1]};"
        f"padding:1px 6px;margin:2px;display:inline-block'{title(b)}>"
        f"{html.escape(text(f'band_{b}', lang))}</span>" for b in BANDS)
    return (f"<p class='ktt-legend'><small>{html.escape(text('legend', lang))}:</small> "
            f"{swatches}<br><small>{html.escape(phrase_scale(lang))}</small></p>")


def phrase_scale(lang: str) -> str:
    """The words a probability is said in and the range of each (``LIKELIHOOD_SCALE``): the
    colour bands are four, the words seven, and a reader meets both in the answer cells."""
    bounds = [bound for bound, _ in LIKELIHOOD_SCALE]
    ranges = [f"≥ {bounds[0]:.0%}",
              *(f"{low * 100:.0f}–{high:.0%}" for low, high in zip(bounds[1:-1], bounds[:-2],
                                                             strict=True)),
              f"< {bounds[-2]:.0%}"]
    words = (f"{text(phrase, lang)} ({r})"
             for (_, phrase), r in zip(LIKELIHOOD_SCALE, ranges, strict=True))
    return f"{text('phrases', lang)}: {' · '.join(words)}"


def pace(value: float, code: str, lang: str) -> str:
    """A pace a year of indicator ``code``: a count as a forecast's count, to three figures
    (``ktt.report.numbers.estimate``), a whole one without decimals, a share in percentage
    points (a change of 0.021 a year is 2.1 points, not a growth of 2.1 %); ``-`` for NaN."""
    if kind_of(code) != "share" or value != value:
        # a whole count (the 40 a year a target asks for) without a decimal: "40,0" beside a
        # recent "116" read as a measured fraction
        whole = value == value and float(value).is_integer()
        return numbers.estimate(value, code, lang, 0 if whole else 1)
    return text("pace_points", lang).format(points=numbers.number(value * 100, lang, 1))


def required_pace(status: str, rule: str, value: float, code: str, lang: str) -> str:
    """The pace a target of ``rule`` (``Target.rule``) and ``status`` needs: none for one
    already met nor for one already missed, "hold it" for a level already reached, never a pace
    backward."""
    if status in ("met", "missed"):
        return text("met_already" if status == "met" else "missed", lang)
    if rule == "rising":
        return "> 0"
    if value == 0 and rule not in ("each_year_at_least", "mean_at_least"):
        return text("hold_level", lang)
    return pace(value, code, lang)


FEW_FIGURES = 3
"""An open target whose indicator has fewer figures than this on record gets a caution beside
its probability: one or two figures show no pace and barely any spread, so the probability
rests mostly on the model's assumptions (the backtest needs 5 to choose a model)."""


def cautions(status: str, figures: int | None, end_missing: bool, lang: str) -> list[str]:
    """What an open target's probability must be read with, in ``lang``: its target year is
    past and the record lacks it (``end_missing``: the probability estimates a fact not yet
    published), and it rests on fewer than ``FEW_FIGURES`` figures. Empty for a decided
    target and for one with no figure at all (it has no probability); a count not known (a
    summary written before it was kept) gives no caution of its own."""
    if status != "open" or figures == 0:
        return []
    notes = []
    if end_missing:
        notes.append(text("past_estimate", lang))
    if figures is not None and figures < FEW_FIGURES:
        notes.append(text("few_figures_one" if figures == 1 else "few_figures",
                          lang).format(n=figures))
    return notes


def target_label(target: Target, lang: str) -> str:
    """A target in words: its indicator and target year, e.g. ``Tỷ lệ tổ chức KTTT hoạt động
    có lãi, 2030``."""
    return text("target_label", lang).format(indicator=text(target.indicator, lang),
                                             end=target.end)


def scenario_info(name: str, plan: str = "", lang: str = "en") -> tuple[str, str]:
    """A scenario's title and description in ``lang`` (``ktt.inputs.scenarios.
    scenario_words``). Run on ``plan``, another plan than the one it is written for, the
    description says so instead of describing the other plan's readings, or, when the scenario
    changes no parameter, that it is the plan's defaults."""
    title, description, written_for = scenario_words(name, lang)
    if plan and written_for and written_for != plan:
        if set(load_scenario(name)[1]) <= {"plan", "scenario"}:  # no lever: the plan's own
            return title, text("scenario_defaults", lang)
        return title, text("scenario_other_plan", lang).format(
            title=title, written_for=written_for, plan=plan)
    return title, description
