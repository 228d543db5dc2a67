"""Numbers as a reader of the report's language writes them, with Babel: ``36,9%`` and
``35.041`` in Vietnamese, ``36.9%`` and ``35,041`` in English. Never ``-0``."""

from __future__ import annotations

import math

from babel.numbers import format_decimal, format_percent

from ktt.inputs.catalog import SHARE_DECIMALS, kind_of

LOCALES = {"vi": "vi_VN", "en": "en_US"}
"""Babel locale of each report language."""


def _clean(value: float, decimals: int) -> float:
    """``value`` rounded to ``decimals``, with a negative zero made zero."""
    rounded = round(float(value), decimals)
    return 0.0 if rounded == 0 else rounded


def number(value: float, lang: str, decimals: int = 0) -> str:
    """``value`` with exactly ``decimals`` decimals and the language's separators; ``-`` for
    NaN."""
    if value != value:  # NaN
        return "-"
    pattern = "#,##0" + ("." + "0" * decimals if decimals else "")
    return format_decimal(_clean(value, decimals), format=pattern, locale=LOCALES[lang])


def significant(value: float, lang: str) -> str:
    """``value`` to three significant digits, as ``f"{value:.3g}"`` gives them (``1,55``,
    ``0,0312``, ``1``), in the language's format; ``-`` for NaN."""
    if value != value:
        return "-"
    if value == 0:  # Babel writes a zero with one significant digit as "0.0"
        return "0"
    return format_decimal(value, format="@##", locale=LOCALES[lang])


def percent(fraction: float, lang: str, decimals: int = 0) -> str:
    """A fraction in [0, 1] as a percentage, e.g. ``0.369 -> "36,9%"`` (vi); ``-`` for NaN."""
    if fraction != fraction:
        return "-"
    pattern = "#,##0" + ("." + "0" * decimals if decimals else "") + "%"
    return format_percent(_clean(fraction * 100, decimals) / 100, format=pattern,
                          locale=LOCALES[lang])


def value(value: float, code: str, lang: str, count_decimals: int = 0,
          share_decimals: int = SHARE_DECIMALS[0]) -> str:
    """A figure of indicator ``code``: a share as a percentage with ``share_decimals``
    decimals (one; more beside a threshold it would otherwise read as equal to,
    ``ktt.inputs.catalog.share_decimals``), a stock as a whole number, a count with
    ``count_decimals`` decimals (``ktt.inputs.catalog.format_value`` in the report's
    language)."""
    kind = kind_of(code)
    if kind == "share":
        return percent(value, lang, share_decimals)
    return number(value, lang, 0 if kind == "stock" else count_decimals)


SIGNIFICANT = 3
"""Significant figures a forecast count or stock is written to (``estimate``): an 80 %
interval of "3.497.523 – 10.359.677" members claims seven digits that a simulation of a few
thousand paths from a model fitted on a dozen figures does not know, and hides the size in
them."""


def estimate(figure: float, code: str, lang: str, count_decimals: int = 0) -> str:
    """A forecast or computed figure of indicator ``code`` (an interval's end, a pace): a count
    or stock to ``SIGNIFICANT`` figures, with at most ``count_decimals`` decimals and none past
    the third figure (``3497523 -> 3.500.000``, ``12725 -> 12.700``, ``123.4 -> 123``; ``5.33``
    with one decimal ``5,3``); a share as ``value`` writes it (one decimal of a percentage is
    three figures already). A recorded figure is written with ``value``, whole."""
    if kind_of(code) != "share" and math.isfinite(figure) and figure != 0:
        whole = math.floor(math.log10(abs(figure))) + 1  # digits before the decimal point
        figure = round(figure, SIGNIFICANT - whole)
        count_decimals = min(count_decimals, max(0, SIGNIFICANT - whole))
    return value(figure, code, lang, count_decimals)


def axis_formatter(lang: str, share: bool = False):
    """A matplotlib tick formatter writing numbers in the language's format (a share axis is
    already in percent points)."""
    from matplotlib.ticker import FuncFormatter

    def tick(x: float, _pos: int) -> str:
        decimals = 0 if float(x).is_integer() else 1
        return number(x, lang, decimals) + ("%" if share else "")

    return FuncFormatter(tick)


def probability(p: float, lang: str) -> str:
    """A simulated probability as a whole percentage; below 1 % and above 99 % say so rather
    than claim 0 % or 100 % from a finite number of paths, or 1 % beside "exceptionally
    unlikely", the phrase for under 1 % (``ktt.forecasting.likelihood.LIKELIHOOD_SCALE``).
    A target the record decides has none to show (its status says it)."""
    if p != p:
        return "-"
    if p < 0.01:
        return "< " + percent(0.01, lang)
    if p > 0.99:
        return "> " + percent(0.99, lang)
    return percent(p, lang)
