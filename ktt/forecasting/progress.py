"""Progress toward a target as statistics offices classify it, beside ktt's probability.

Three methods, each as its methodology states it, on the indicator's figures up to the as-of
year, from a base year (the plan's by default; 2015 as the SDG methods use):

``open_sdg`` (Open SDG, after Eurostat)
    The compound annual growth rate observed from the base year to the latest figure against
    the rate required from the base year to reach the target in the target year. Copied from
    Open SDG's reference implementation, ``open-sdg/sdg-build``, ``sdg/ProgressMeasure.py``
    (``growth_calculation``, ``SeriesProgress.methodology_1`` / ``methodology_2``,
    ``get_progress_thresholds``, ``get_progress_status``), and its documentation,
    https://open-sdg.readthedocs.io/en/latest/progress-methodology/ (Statistics Canada's
    methodology; ``docs/progress-methodology.md`` of ``open-sdg/open-sdg``)::

        CAGR(v1, v0, t1, t0) = (v1 / v0) ** (1 / (t1 - t0)) - 1
        ratio = sign * direction * CAGR(latest, base, t, b) / |CAGR(target, base, T, b)|
        achieved          latest meets the target
        on_track          ratio >= 0.95
        moderate          0.60 <= ratio < 0.95
        limited           0 <= ratio < 0.60
        deterioration     ratio < 0

    ``sign`` is -1 when the base value is negative, ``direction`` -1 when the target asks for
    a fall (``below_at``). Without a target value (``rising``) the directed CAGR itself is
    classed: on_track >= 1.5 %, moderate 0.5-1.5 %, limited 0-0.5 %, deterioration < 0
    (sdg-build's ``methodology_1`` thresholds, no natural limit). A base or target value of 0
    is replaced by 0.001; the base year is the first year with a figure from the base year on;
    a figure in two different years is needed (``insufficient_data`` otherwise); a base and a
    latest figure of different signs cannot be assessed. Eurostat's own monitoring report
    ("Sustainable development in the European Union", 2021 edition, which the Open SDG
    documentation cites as its model) was not read here: it is known to assess the growth of
    the last 5 (short-term) or 15 years (long-term) rather than from a fixed base year, under
    the names significant / moderate / insufficient progress and movement away; ktt follows
    sdg-build's base-year reading.

``unsd`` (UN Statistics Division, SDG progress chart)
    The target-year value expected if the observed compound rate continues, against the
    target::

        CAGR = (latest / base) ** (1 / (t - b)) - 1
        expected = latest * (1 + CAGR) ** (T - t)
        ratio = (expected - base) / (target - base)
        achieved                   latest meets the target
        on_track                   ratio >= 0.95
        fair_progress              0.10 <= ratio < 0.95
        stagnation_or_regression   ratio < 0.10

    Without a target value: on_track for a CAGR of at least 2 %, fair_progress from 0.5 %,
    else stagnation_or_regression. Source: UNSD, *Progress Chart Technical Note 2023*,
    https://unstats.un.org/sdgs/files/report/2023/Progress_Chart_Technical_Note_2023.pdf ; the
    formulas, cut-offs (0.95, 0.10; 2 %, 0.5 %), the minimum of two figures and "the target is
    reached when the latest figure meets it, whatever the trend" were verified as restated by
    Eustat (Basque statistics office), https://eustat-des.github.io/site/en/metodologia
    (``EUSTAT-DES/site``, ``en/metodologia``). The UNSD note itself could not be read.
    Assumed, not stated there: a base value of 0 is replaced by 0.001 as Open SDG does; when
    the base value already meets the target (``target - base`` is 0 or points against the
    target's direction) the ratio is undefined and the class says whether the expected value
    meets the target (on_track) or not (stagnation_or_regression).

``escap`` (UN ESCAP, anticipated progress)
    A projection of the target-year value by a time-weighted linear regression on every
    figure, and the progress it makes from the base value relative to the progress
    required::

        fit value = a + b * year by least squares with weights w_i = year_i - first_year + 1
        predicted = a + b * T
        ratio = (predicted - base) / (target - base)      (= 1 - ESCAP's "gap")
        achieved     latest meets the target
        maintain     ratio >= 1  (the projection reaches the target)
        accelerate   0 <= ratio < 1
        reverse      ratio < 0   (the projection is further from the target than the base)

    Verified (ESCAP, *Progress Assessment Methodology*,
    https://data.unescap.org/resource-guides/progress-assessment-methodology ; UNECE,
    *Technical notes on the progress assessment*, https://w3.unece.org/sdg2023/technical-notes.html
    ; UNECA's dashboard legend, https://iprt.uneca.org/eca-progress/ProgressAssessment.html):
    at least two figures; a time-weighted linear regression that gives more weight to recent
    figures; the gap between target and projection relative to the progress required from the
    base year; the classes maintain, accelerate, reverse and insufficient data. Not verified,
    and assumed: the weights (linear in time, above; the working paper that defines them,
    Bidarbakht Nia 2017, *A weighted extrapolation method for measuring the SDGs progress*,
    ESCAP SD/WP/04, could not be read), the regression on the level rather than its logarithm,
    and the cut-offs 1 and 0 between the classes. ESCAP assesses only indicators with a
    target value; for ``rising`` ktt reads the sign of the time-weighted slope (maintain when
    positive, else reverse), which is ktt's reading, not ESCAP's.

Common to the three: the figures used are those up to the target year (a target year in the
past is judged on its own year, as Eustat states), the target value is ``Target.level`` (the
threshold, or the high end read ``at_least_high``), and "latest meets the target" uses the
target's own inequality (strict for "trên", above; inside the range for ``between`` and
``within``), where sdg-build tests ``latest >= target``: they differ only at equality. For the
yearly count rules, which none of the methods covers, the target value is the yearly level in
the target year, and ``yearly_count`` gives what the rule itself needs: years met so far, the
level required in every year without a figure (left, or elapsed and missing), the recent
level.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from ktt.forecasting.likelihood import as_shown
from ktt.inputs.targets import LEVEL_RULES, Target

METHODS = ("open_sdg", "unsd", "escap")
"""The official methods, in the order they are shown."""
CLASSES: dict[str, tuple[str, ...]] = {
    "open_sdg": ("achieved", "on_track", "moderate", "limited", "deterioration",
                 "insufficient_data"),
    "unsd": ("achieved", "on_track", "fair_progress", "stagnation_or_regression",
             "insufficient_data"),
    "escap": ("achieved", "maintain", "accelerate", "reverse", "insufficient_data"),
}
"""Each method's classes, from the best to the worst, then ``insufficient_data``."""
ON_TRACK = frozenset({"achieved", "on_track", "maintain"})
"""Classes that, scored as a call, say the target will be met."""
INSUFFICIENT = "insufficient_data"
"""The class of a series too short (or of the wrong sign) for the method."""
COUNT_RULES = ("each_year_at_least", "mean_at_least")
"""Rules about a yearly count over a period."""

OPEN_SDG_TARGET = (0.95, 0.60, 0.0)
"""sdg-build's thresholds (high, med, low) of the growth ratio, with a target value."""
OPEN_SDG_NO_TARGET = (0.015, 0.005, 0.0)
"""sdg-build's thresholds (high, med, low) of the directed CAGR, without a target value."""
ZERO = 0.001
"""What Open SDG uses in place of a base or target value of 0."""
UNSD_TARGET = (0.95, 0.10)
"""UNSD's cut-offs of (expected - base) / (target - base): on track, fair progress."""
UNSD_NO_TARGET = (0.02, 0.005)
"""UNSD's cut-offs of the CAGR without a target value: on track, fair progress."""
ESCAP_CUTOFFS = (1.0, 0.0)
"""Assumed cut-offs of the anticipated over the required progress: maintain, accelerate."""
MIN_FIGURES = 2
"""Fewest figures any of the methods assesses (each of the three states two)."""
DISAGREE = (0.33, 0.66)
"""A class that says on track disagrees with a probability below the first; one that says
off track with a probability above the second (the edges of "unlikely" and "likely")."""


@dataclass(frozen=True, eq=False)
class Progress:
    """One method's class for one target, with the figures behind it (equal when their
    ``as_dict`` are: NaN equals NaN)."""

    method: str
    """One of ``METHODS``."""
    category: str
    """The class, one of ``CLASSES[method]`` (``class`` in ``as_dict``)."""
    ratio: float
    """The method's measure (see ``measure``); NaN when undefined."""
    measure: str
    """What ``ratio`` is: ``growth_ratio`` (observed / required CAGR), ``cagr`` (directed CAGR,
    no target value), ``expected_progress`` ((expected - base) / (target - base)),
    ``anticipated_progress`` ((predicted - base) / (target - base)) or ``slope_sign``."""
    base_year: int | None
    """Year of the base figure: the base year, or the first year with a figure after it."""
    base_value: float
    """The base figure [indicator's unit]; NaN without one."""
    latest_year: int | None
    """Year of the latest figure used (at most the target year)."""
    latest_value: float
    """The latest figure [indicator's unit]."""
    target_year: int
    """The target year."""
    target_value: float
    """The level to reach in the target year [indicator's unit]; NaN for ``rising``."""
    expected: float
    """The method's target-year value: UNSD's expected, ESCAP's predicted [indicator's unit];
    NaN for Open SDG, which projects nothing."""
    note: str = ""
    """Replacements and readings the method needed, empty when none."""

    @property
    def call(self) -> float:
        """The class as a 0/1 call that the target is met: 1 for ``ON_TRACK`` classes, 0 for
        the others, NaN for ``insufficient_data``."""
        if self.category == INSUFFICIENT:
            return float("nan")
        return float(self.category in ON_TRACK)

    def ratio_text(self) -> str:
        """The measure in a few characters: ``1.12``, ``+0.3 %/yr`` for a growth rate; empty
        when the target is achieved (the ratio then decides nothing) or has no ratio."""
        if self.category == "achieved" or not np.isfinite(self.ratio):
            return ""
        if self.measure == "cagr":
            return f"{self.ratio * 100:+.1f} %/yr"
        return f"{self.ratio:.2f}"

    def label(self) -> str:
        """The class and its measure: ``on_track (1.12)``; the class alone without one."""
        measure = self.ratio_text()
        return f"{self.category} ({measure})" if measure else self.category

    def as_dict(self) -> dict:
        """``{method, base_year, base_value, latest_year, latest_value, ratio, class, measure,
        expected, target_year, target_value, note}``, NaN as None."""
        return {"method": self.method, "base_year": self.base_year,
                "base_value": _plain(self.base_value), "latest_year": self.latest_year,
                "latest_value": _plain(self.latest_value), "ratio": _plain(self.ratio),
                "class": self.category, "measure": self.measure,
                "expected": _plain(self.expected), "target_year": self.target_year,
                "target_value": _plain(self.target_value), "note": self.note}

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Progress) and self.as_dict() == other.as_dict()

    __hash__ = None


@dataclass(frozen=True, eq=False)
class YearlyCount:
    """What an "at least N every year" (or "N a year on average") rule needs, which none of
    the official methods covers (equal when their ``as_dict`` are)."""

    threshold: float
    """N [count per year]."""
    years_met: int
    """Elapsed years of the period whose figure reaches N: the k of "k of n"."""
    years_known: int
    """Elapsed years of the period with a figure: the n."""
    years_missing: tuple[int, ...]
    """Elapsed years of the period without a figure."""
    years_left: int
    """Years of the period after the as-of year."""
    required_level: float
    """What each year without a figure (missing or left) must reach [count per year]: N for
    every year; for the mean, what is still short of N times the period's years, spread over
    those years, a missing year counting at least its known parts (``fill_level``; 0 when
    already reached); NaN when every year of the period has a figure."""
    recent_level: float
    """Mean of the last three figures [count per year]; NaN without one."""

    def as_dict(self) -> dict:
        """The fields as plain JSON values."""
        return {"threshold": _plain(self.threshold), "years_met": self.years_met,
                "years_known": self.years_known, "years_missing": list(self.years_missing),
                "years_left": self.years_left, "required_level": _plain(self.required_level),
                "recent_level": _plain(self.recent_level)}

    def __eq__(self, other: object) -> bool:
        return isinstance(other, YearlyCount) and self.as_dict() == other.as_dict()

    __hash__ = None


def _plain(value) -> float | None:
    value = float(value)
    return None if not np.isfinite(value) else value


def growth(current: float, base: float, year: float, base_year: float) -> float:
    """Compound annual growth rate from ``base`` in ``base_year`` to ``current`` in ``year``:
    ``(current / base) ** (1 / (year - base_year)) - 1`` (sdg-build's
    ``growth_calculation``) [fraction per year]."""
    return (current / base) ** (1 / (year - base_year)) - 1


def direction(target: Target) -> int:
    """+1 when the target asks the indicator to rise (or reach a level from below), -1 for
    ``below_at``."""
    return -1 if target.rule == "below_at" else 1


def target_value(target: Target) -> float:
    """The level the methods measure progress toward [indicator's unit]: ``Target.level`` (the
    yearly level for the count rules); NaN for ``rising``."""
    return float("nan") if target.rule == "rising" else float(target.level)


def meets(target: Target, value: float) -> bool:
    """Whether a single figure meets the target as stated: its level rule (``Target.level_met``)
    or, for the count rules, at least the yearly threshold; never for ``rising``."""
    if target.rule == "rising" or not np.isfinite(value):
        return False
    if target.rule in LEVEL_RULES:
        return bool(target.level_met(np.array([value]))[0])
    return bool(value >= target.threshold)


@dataclass(frozen=True)
class _Points:
    """The figures a method reads: those up to the target year, the base and the latest."""

    figures: pd.Series
    base_year: int | None
    base_value: float
    latest_year: int | None
    latest_value: float


def _points(target: Target, known: pd.Series, base_year: int) -> _Points:
    figures = known.dropna()
    figures = figures[figures.index <= target.end].sort_index()
    figures.index = figures.index.astype(int)
    latest_year = int(figures.index[-1]) if len(figures) else None
    latest = float(figures.iloc[-1]) if len(figures) else float("nan")
    after = figures[figures.index >= base_year]
    if len(after):
        return _Points(figures, int(after.index[0]), float(after.iloc[0]), latest_year, latest)
    return _Points(figures, None, float("nan"), latest_year, latest)


def _insufficient(method: str, measure: str, target: Target, points: _Points,
                  why: str) -> Progress:
    return Progress(method, INSUFFICIENT, float("nan"), measure, points.base_year,
                    points.base_value, points.latest_year, points.latest_value, target.end,
                    target_value(target), float("nan"), why)


def _too_few(points: _Points, base_year: int) -> str:
    """Why the figures cannot be assessed from the base year, or empty when they can."""
    if points.base_year is None:
        return f"no figure from the base year {base_year} on"
    if points.latest_year - points.base_year < 1:
        return (f"figures in two different years from the base year {base_year} on are "
                "needed, one is on record")
    return ""


def _ratio(numerator: float, denominator: float) -> float:
    """``numerator / denominator`` with IEEE results (inf, NaN) instead of an error."""
    with np.errstate(divide="ignore", invalid="ignore"):
        return float(np.divide(numerator, denominator))


def _growth_base(method: str, measure: str, target: Target, points: _Points, base_year: int,
                 zero_note: str) -> Progress | tuple[float, list[str]]:
    """The base value a compound growth rate starts from, with its notes (a base of 0 is
    replaced by ``ZERO``); or the ``insufficient_data`` result when there are too few figures
    or the base and latest figures differ in sign."""
    why = _too_few(points, base_year)
    if why:
        return _insufficient(method, measure, target, points, why)
    base, notes = points.base_value, []
    if base == 0:
        base, notes = ZERO, [zero_note]
    if (base > 0 > points.latest_value) or (base < 0 < points.latest_value):
        return _insufficient(method, measure, target, points,
                             "base and latest figures of different signs")
    return base, notes


def open_sdg(target: Target, known: pd.Series, base_year: int) -> Progress:
    """Open SDG's progress class (see the module docstring for the formulas and the source).

    Parameters
    ----------
    target : Target
        As resolved under the chosen readings.
    known : pandas.Series
        The indicator's figures up to the as-of year, indexed by year [its unit].
    base_year : int
        Year progress is measured from; the first year with a figure from it on is used.

    Returns
    -------
    Progress
        ``measure`` ``growth_ratio``, or ``cagr`` for ``rising``.
    """
    points = _points(target, known, base_year)
    measure = "cagr" if target.rule == "rising" else "growth_ratio"
    start = _growth_base("open_sdg", measure, target, points, base_year,
                         f"base value 0 replaced by {ZERO}")
    if isinstance(start, Progress):
        return start
    base, notes = start
    sign = -1 if base < 0 else 1
    observed = growth(points.latest_value, base, points.latest_year, points.base_year)
    if target.rule == "rising":
        value = sign * observed
        high, med, low = OPEN_SDG_NO_TARGET
    else:
        if target.end <= points.base_year:
            return _insufficient("open_sdg", measure, target, points,
                                 "the target year is not after the base year")
        goal = target_value(target)
        if goal == 0:
            goal = ZERO
            notes.append(f"target value 0 replaced by {ZERO}")
        required = growth(goal, base, target.end, points.base_year)
        value = _ratio(sign * direction(target) * observed, abs(required))
        high, med, low = OPEN_SDG_TARGET
    if meets(target, points.latest_value):
        category = "achieved"
    elif np.isnan(value):
        category = INSUFFICIENT
        notes.append("no change observed and none required")
    elif value >= high:
        category = "on_track"
    elif value >= med:
        category = "moderate"
    elif value >= low:
        category = "limited"
    else:
        category = "deterioration"
    return Progress("open_sdg", category, value, measure, points.base_year, points.base_value,
                    points.latest_year, points.latest_value, target.end, target_value(target),
                    float("nan"), "; ".join(notes))


def unsd(target: Target, known: pd.Series, base_year: int) -> Progress:
    """The UN Statistics Division's progress-chart class (see the module docstring).

    Parameters
    ----------
    target : Target
        As resolved under the chosen readings.
    known : pandas.Series
        The indicator's figures up to the as-of year, indexed by year [its unit].
    base_year : int
        Year progress is measured from; the first year with a figure from it on is used.

    Returns
    -------
    Progress
        ``measure`` ``expected_progress``, or ``cagr`` for ``rising``; ``expected`` the
        target-year value the observed rate leads to.
    """
    points = _points(target, known, base_year)
    measure = "cagr" if target.rule == "rising" else "expected_progress"
    start = _growth_base("unsd", measure, target, points, base_year,
                         f"base value 0 replaced by {ZERO} (as Open SDG does)")
    if isinstance(start, Progress):
        return start
    base, notes = start
    rate = growth(points.latest_value, base, points.latest_year, points.base_year)
    expected = points.latest_value * (1 + rate) ** (target.end - points.latest_year)
    goal = target_value(target)
    if target.rule == "rising":
        value, cutoffs = rate, UNSD_NO_TARGET
    else:
        value, cutoffs = _toward(target, points, expected, notes, "expected value"), UNSD_TARGET
    category = _ladder(target, points, value, expected, cutoffs,
                       ("on_track", "fair_progress", "stagnation_or_regression"))
    return Progress("unsd", category, value, measure, points.base_year, points.base_value,
                    points.latest_year, points.latest_value, target.end, goal, expected,
                    "; ".join(notes))


def _toward(target: Target, points: _Points, projected: float, notes: list[str],
            what: str) -> float:
    """(projected - base) / (target - base): the share of the way to the target the
    projection goes; NaN, with a note, when the base figure already meets the target."""
    required = target_value(target) - points.base_value
    if required == 0 or np.sign(required) != direction(target):
        # said only where it decides the class: a latest figure that meets the target is
        # "achieved" whatever the projection
        if not meets(target, points.latest_value):
            notes.append("the base figure already meets the target: the class says whether "
                         f"the {what} does")
        return float("nan")
    return _ratio(projected - points.base_value, required)


def _ladder(target: Target, points: _Points, value: float, projected: float,
            cutoffs: tuple[float, float], names: tuple[str, str, str]) -> str:
    """``achieved`` when the latest figure meets the target; else the top, middle or bottom
    class by ``value`` against the two cut-offs; without a value, top or bottom by whether
    the projection meets the target."""
    top, middle, bottom = names
    if meets(target, points.latest_value):
        return "achieved"
    if np.isnan(value):
        return top if meets(target, projected) else bottom
    if value >= cutoffs[0]:
        return top
    return middle if value >= cutoffs[1] else bottom


def time_weighted_fit(figures: pd.Series, year: int) -> tuple[float, float]:
    """The least-squares line through the figures, each weighted by ``year - first year + 1``
    so that recent figures count more (the weights ktt assumes for ESCAP, see the module
    docstring), read at ``year``.

    Parameters
    ----------
    figures : pandas.Series
        At least two figures in different years, indexed by year [indicator's unit].
    year : int
        Where to read the line, e.g. the target year.

    Returns
    -------
    value : float
        The line at ``year`` [indicator's unit].
    slope : float
        [indicator's unit per year].
    """
    years = figures.index.to_numpy(float)
    values = figures.to_numpy(float)
    weights = years - years.min() + 1
    mean_year = np.average(years, weights=weights)
    mean_value = np.average(values, weights=weights)
    spread = np.sum(weights * (years - mean_year) ** 2)
    slope = np.sum(weights * (years - mean_year) * (values - mean_value)) / spread
    return float(mean_value + slope * (year - mean_year)), float(slope)


def escap(target: Target, known: pd.Series, base_year: int) -> Progress:
    """UN ESCAP's anticipated-progress class (see the module docstring, and there what was
    assumed).

    Parameters
    ----------
    target : Target
        As resolved under the chosen readings.
    known : pandas.Series
        The indicator's figures up to the as-of year, indexed by year [its unit]; the
        regression uses all of them up to the target year, earlier than the base year too.
    base_year : int
        Year the required progress is measured from; the first year with a figure from it on
        is used.

    Returns
    -------
    Progress
        ``measure`` ``anticipated_progress``, or ``slope_sign`` for ``rising``; ``expected``
        the predicted target-year value.
    """
    points = _points(target, known, base_year)
    measure = "slope_sign" if target.rule == "rising" else "anticipated_progress"
    if len(points.figures.index.unique()) < MIN_FIGURES:
        return _insufficient("escap", measure, target, points,
                             f"at least {MIN_FIGURES} figures are needed, "
                             f"{len(points.figures)} on record")
    if points.base_year is None:
        return _insufficient("escap", measure, target, points,
                             f"no figure from the base year {base_year} on")
    predicted, slope = time_weighted_fit(points.figures, target.end)
    goal = target_value(target)
    notes = []
    if target.rule == "rising":
        value = float("nan")
        category = "maintain" if slope > 0 else "reverse"
        notes.append("no target value: ktt reads the sign of the time-weighted slope "
                     f"({slope:+.4g} a year)")
    else:
        value = _toward(target, points, predicted, notes, "projection")
        category = _ladder(target, points, value, predicted, ESCAP_CUTOFFS,
                           ("maintain", "accelerate", "reverse"))
    return Progress("escap", category, value, measure, points.base_year, points.base_value,
                    points.latest_year, points.latest_value, target.end, goal, predicted,
                    "; ".join(notes))


def classify(target: Target, known: pd.Series, base_year: int) -> list[Progress]:
    """The three methods' classes for one target, in the order of ``METHODS``.

    Parameters
    ----------
    target : Target
        As resolved under the chosen readings.
    known : pandas.Series
        The indicator's figures up to the as-of year, indexed by year [its unit].
    base_year : int
        Year progress is measured from (the plan's base year, or 2015).
    """
    return [open_sdg(target, known, base_year), unsd(target, known, base_year),
            escap(target, known, base_year)]


def fill_level(short: float, floors: list[float]) -> float:
    """The level ``r`` every year without a figure must reach for the years together to make up
    ``short``, when each is already at least its floor: ``sum(max(f, r)) = short`` [count per
    year]; 0 when the floors make it up already; NaN when something is short and no year is
    without a figure, as nothing can make it up.

    >>> fill_level(15, [8, 0, 0])  # 8 is known in a gap year: the two years left need 3.5 each
    3.5
    """
    least = np.sort(np.asarray(floors, dtype=float))
    if short <= least.sum():
        return 0.0
    if not len(least):
        return float("nan")
    # r rises above the k lowest floors and stays below the rest
    for k in range(1, len(least)):
        level = float((short - least[k:].sum()) / k)
        if level <= least[k]:
            return level
    return float(short / len(least))


def yearly_count(target: Target, known: pd.Series, as_of: int,
                 recent_years: int = 3, floor: pd.Series | None = None) -> YearlyCount | None:
    """For the yearly count rules: the years met so far, the level every year without a figure
    (left, or elapsed and missing) must reach, and the recent level; None for any other rule.

    Parameters
    ----------
    target : Target
        As resolved under the chosen readings.
    known : pandas.Series
        The indicator's figures up to ``as_of``, indexed by year [count per year].
    as_of : int
        Last year known.
    recent_years : int
        Figures averaged for the recent level.
    floor : pandas.Series, optional
        By year, the least a year without a figure can be, from its known parts
        (``ktt.inputs.indicators.floors``): for "every year", a year whose floor reaches N is
        met, as ``ktt.inputs.targets.fact`` reads it, and no longer missing; for the mean, a
        missing year counts at least its floor toward the total (``fill_level``).
    """
    if target.rule not in COUNT_RULES:
        return None
    figures = known.dropna()
    figures = figures[figures.index <= as_of]
    elapsed = [y for y in target.years if y <= as_of]
    inside = figures[figures.index.isin(elapsed)]
    if target.rule == "each_year_at_least" and floor is not None:
        reached = floor[floor.index.isin(elapsed) & (floor >= target.threshold)
                        & ~floor.index.isin(inside.index)]
        inside = pd.concat([inside, reached]).sort_index()
    missing = tuple(int(y) for y in elapsed if y not in inside.index)
    left = sum(1 for y in target.years if y > as_of)
    threshold = float(target.threshold)
    if not left + len(missing):
        required = float("nan")
    elif target.rule == "each_year_at_least":
        required = threshold
    else:
        known_parts = pd.Series(dtype=float) if floor is None else floor
        least = known_parts.reindex(list(missing)).fillna(0.0).tolist() + [0.0] * left
        required = fill_level(threshold * len(target.years) - float(inside.sum()), least)
    recent = float(figures.iloc[-recent_years:].mean()) if len(figures) else float("nan")
    return YearlyCount(threshold, int((inside >= threshold).sum()), len(inside), missing, left,
                       required, recent)


def disagrees(progress: Progress, probability: float) -> bool:
    """Whether a class and a probability disagree: on track (``ON_TRACK``) with a probability
    below 0.33, or off track with one above 0.66 (``DISAGREE``), read as the report shows it
    (``ktt.forecasting.likelihood.as_shown``), so that a "66%" the page calls likely is never
    off track's disagreement at 0.664 and not at 0.656; never for ``insufficient_data`` or an
    unknown probability."""
    if progress.category == INSUFFICIENT or not np.isfinite(probability):
        return False
    low, high = DISAGREE
    shown = as_shown(probability)
    return shown < low if progress.category in ON_TRACK else shown > high
