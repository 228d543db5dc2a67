"""A probability in words: the calibrated phrases (after the IPCC's) and the rounding the
reports show, from which the phrase and the colour band are read. Light: the index and the
reports' helpers import it without the forecasting libraries."""

from __future__ import annotations

import math

LIKELIHOOD_SCALE = ((0.99, "virtually certain"), (0.90, "very likely"), (0.66, "likely"),
                    (0.33, "about as likely as not"), (0.10, "unlikely"),
                    (0.01, "very unlikely"), (0.0, "exceptionally unlikely"))
"""Lower bound of each phrase, highest first (after the IPCC calibrated language)."""


def as_shown(probability: float) -> float:
    """``probability`` as the reports and ``ktt status`` show it, to the whole percent
    (``ktt.report.numbers.probability``); below 0.01 and above 0.99 as it is, shown there as
    "< 1%" and "> 99%". The phrase and the colour band are read from it, so that "66%" is
    never called "about as likely as not" (0.656 is under the cut-off 0.66)."""
    if not 0.01 <= probability <= 0.99:
        return probability
    return round(probability * 100) / 100


def likelihood(probability: float) -> str:
    """The calibrated phrase for a probability in [0, 1] as shown (``as_shown``); ``unknown``
    for NaN."""
    if not math.isfinite(probability):
        return "unknown"
    shown = as_shown(probability)
    return next(phrase for bound, phrase in LIKELIHOOD_SCALE if shown >= bound)
