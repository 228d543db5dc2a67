"""A forecast's settings, and the checks of them against the record that need no model: the
command line and the report runner refuse a wrong as-of year or lever before a kernel starts,
with the words the forecast itself would use."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, fields

import pandas as pd

from ktt import config
from ktt.errors import KttError
from ktt.inputs.indicators import series
from ktt.inputs.loading import load_inputs
from ktt.inputs.parameters import LEVERS, YEAR_SETTINGS, notebook_parameters, value_problem
from ktt.inputs.scenarios import load_scenario
from ktt.inputs.targets import Target, default_as_of


@dataclass(frozen=True)
class ForecastOptions:
    """Every setting of a forecast but the data: how far the record goes, how the plan's words
    are read, which models, how many paths, and the scenario's adjustments.

    Parameters
    ----------
    as_of : int, optional
        Last year treated as known, at most the unit's last year with a figure (later is
        refused); default that year. Figures after it are not used.
    readings : dict, optional
        Readings of the targets, name to choice (see ``TargetSet.choose``,
        ``ktt.load_plan(plan).readings``); the plan's defaults for the rest.
    model : str
        ``auto`` or a model name; a name applies to its family (counts, stocks or shares).
        ``auto`` (and the families a name does not apply to) chooses or mixes models per
        indicator by a rolling-origin backtest on the figures up to ``as_of``
        (``ktt.forecasting.model_choice.choose_models``), or uses the baseline when the series is
        too short to backtest.
    n_paths : int
        Simulated paths per indicator, from 1 to ``MAX_PATHS``
        (``ktt.inputs.parameters.MAX_PATHS``, 200,000).
    seed : int
        Seed; the same inputs and seed give the same numbers.
    pooling : str
        ``none``, or ``province``: counts borrow strength from the other units of the unit's
        province.
    base_year : int, optional
        Year the official progress classes (``ktt.forecasting.progress``) measure from;
        default the plan's base year (2015 is the SDG methods' own).
    extra_foundings_per_year : float
        Scenario: foundings added to every simulated year from ``extra_from_year``
        [count per year].
    extra_from_year : int, optional
        First year of the extra foundings; default the year after ``as_of``.
    dormant_dissolved : int
        Scenario: dormant organizations dissolved in ``dissolution_year`` [count]. They made
        no profit, so they leave the profitable share's denominator and not its numerator.
    dissolution_year : int, optional
        Year of the dissolution drive; default the year after ``as_of``.
    extra_households_per_year : float
        Scenario: farm households enrolled every year from ``enrolment_from_year`` beyond the
        trend of the record [households per year]. They stay enrolled, so the share of farm
        households taking part rises by this many more each year, out of the farm households
        last on record.
    enrolment_from_year : int, optional
        First year of the extra enrolment; default the year after ``as_of``.

    Raises
    ------
    ValueError
        For an unknown model or pooling, a count of paths or a seed that is not a whole
        number in range, a year (``as_of``, ``base_year``, a lever's first year) that is not a
        whole number, readings that are not a mapping, or a scenario lever that is negative
        or not a finite number, when made.
    """

    as_of: int | None = None
    readings: dict | None = None
    model: str = "auto"
    n_paths: int = 4000
    seed: int = 2020
    pooling: str = "none"
    base_year: int | None = None
    extra_foundings_per_year: float = 0.0
    extra_from_year: int | None = None
    dormant_dissolved: int = 0
    dissolution_year: int | None = None
    extra_households_per_year: float = 0.0
    enrolment_from_year: int | None = None

    def __post_init__(self) -> None:
        # a report refuses these before its kernel starts; a library call must too, or numpy's
        # or dict's own words would be all the caller sees
        for name in ("model", "pooling", "n_paths", "seed", *LEVERS, *YEAR_SETTINGS):
            value = getattr(self, name)
            if problem := value_problem(name, value):
                raise ValueError(f"{name} = {_shown(value)}{problem}")
        if isinstance(self.readings, Mapping) and not isinstance(self.readings, dict):
            # a dict, as the forecast's cache key and the report's parameters take it
            object.__setattr__(self, "readings", dict(self.readings))
        if self.readings is not None and not isinstance(self.readings, dict):
            raise ValueError(f"readings = {self.readings!r}; give a mapping of reading names to "
                             "choices, e.g. {'formation_reading': 'mean'} (a plan's readings: "
                             "ktt.load_plan(plan).readings)")

    def levers(self, as_of: int) -> dict[str, float | int | None]:
        """The scenario's levers as a forecast applies and records them, in the order of
        ``LEVERS``: each amount, then its first year (as given, or the year after ``as_of``;
        None when the amount is 0, which applies from no year)."""
        applied = {}
        for amount, (_, year) in LEVERS.items():
            given = getattr(self, year)
            applied[amount] = getattr(self, amount)
            applied[year] = ((as_of + 1 if given is None else given) if applied[amount]
                             else None)
        return applied


def _shown(value: object) -> str:
    """A setting's value as a message shows it: text quoted, a number as written
    (``-1``, not numpy's ``np.int64(-1)``)."""
    return repr(value) if isinstance(value, str) else str(value)


def options_from(parameters: dict) -> ForecastOptions:
    """The options of a forecast report's notebook parameters (0 means the default). No
    readings and empty readings are one and the same (``TargetSet.choose``), written alike so
    that both find the same forecast in the cache."""
    given = {f.name: parameters[f.name] for f in fields(ForecastOptions)}
    for name in YEAR_SETTINGS:
        given[name] = given[name] or None
    given["readings"] = dict(given["readings"] or {}) or None
    return ForecastOptions(**given)


def scenario_options(name: str) -> ForecastOptions:
    """The options a scenario sets, for a forecast of your own in a notebook or session: its
    levers and readings (and any paths, seed or model it names) over the forecast report's
    defaults, as ``ktt report NAME`` runs it.

    Parameters
    ----------
    name : str
        A scenario of ``scenarios/`` (``policy-push``) or the path of a scenario file.

    Returns
    -------
    ForecastOptions
        Change any of them with ``dataclasses.replace``. The scenario's plan is its own
        (``ktt.inputs.scenarios.load_scenario(name)[1]["plan"]``): load that one to forecast.

    Raises
    ------
    ScenarioError
        For an unknown scenario (naming the closest) or a file that is not a valid scenario.
    """
    _, own = load_scenario(name)
    defaults = {k: p["value"] for k, p in notebook_parameters(config.FORECAST_NOTEBOOK).items()}
    return options_from({**defaults, **own})


def check_report(parameters: dict) -> None:
    """``check_options`` for a forecast report's notebook parameters (every one, defaults
    included), on the data and plan they name: run before the kernel starts, so that a wrong
    as-of year or lever is refused at once and leaves no partial notebook.

    Raises
    ------
    KttError
        As ``check_options``, or for data or a plan that cannot be loaded.
    """
    inputs = load_inputs(parameters["data_path"], parameters["plan"], parameters["unit"],
                         parameters["readings"])
    check_options(inputs.observations, inputs.unit,
                  inputs.targets.resolve(parameters["readings"] or None), options_from(parameters))


def check_backtest(parameters: dict) -> None:
    """``check_base_year`` for a backtest report's notebook parameters (every one, defaults
    included), before its kernel starts: the official classes it scores would measure from the
    first figure and call that the base year. A base year after an origin is the backtest's own
    to handle (it measures from the origin's first figure).

    Raises
    ------
    KttError
        As ``check_base_year``, or for data or a plan that cannot be loaded.
    """
    if not parameters["base_year"]:
        return
    inputs = load_inputs(parameters["data_path"], parameters["plan"], parameters["unit"],
                         parameters["readings"])
    frame = inputs.observations
    known = frame[frame["year"] <= parameters["as_of"]] if parameters["as_of"] else frame
    check_base_year(known, inputs.unit, [t.indicator for t in inputs.targets.resolve(
        parameters["readings"] or None)], parameters["base_year"])


def check_options(frame: pd.DataFrame, unit: str, targets: Sequence[Target],
                  options: ForecastOptions) -> int:
    """Refuse options the record makes meaningless, and give the as-of year they resolve to.

    Parameters
    ----------
    frame : pandas.DataFrame
        The figures, derived indicators included (``ktt.inputs.indicators.derive``).
    unit : str
        Unit id.
    targets : sequence of Target
        The plan's targets as read (``TargetSet.resolve``).
    options : ForecastOptions
        The forecast's options.

    Returns
    -------
    int
        The as-of year: ``options.as_of``, or the unit's last year with a figure.

    Raises
    ------
    KttError
        An as-of year after the unit's last figure or before its first; a base year not
        before it, or before the first figure of every indicator of ``targets``; a lever whose
        first year changes no forecast year, or a first year given for a lever of 0; dormant
        organizations dissolved where no year has the active ones, or more of them than are
        active, or than were not making a profit in the last year on record.
    """
    as_of = options.as_of if options.as_of is not None else default_as_of(frame, unit)
    _check_as_of(frame, unit, as_of)
    end = max(t.end for t in targets)
    known = frame[frame["year"] <= as_of]
    if options.base_year is not None:
        _check_base_year(known, unit, [t.indicator for t in targets], options.base_year, as_of)
    levers = options.levers(as_of)
    for name, (_, year) in LEVERS.items():
        given = getattr(options, year)
        if given is not None and not levers[name]:
            raise KttError(f"{year} = {given} is the first year of {name}, which is 0: the "
                           f"lever would change nothing; give {name} too (-p {name} in a "
                           f"report), or leave {year} out")
        _check_lever_year(year, levers[year], as_of, end, levers[name])
    dissolved = options.dormant_dissolved
    enrolled = options.extra_households_per_year
    if enrolled and math.isnan(farm_households(known, unit)):
        raise KttError(f"extra_households_per_year = {enrolled:g} needs the farm households "
                       f"of {unit}: no year up to {as_of} has farm_households on record; enter "
                       "them, or give extra_households_per_year 0")
    active = active_organizations(known, unit)
    if dissolved and active != active:  # the drive scales the share by active / (active - n)
        raise KttError(f"dormant_dissolved = {dissolved} needs the active organizations of "
                       f"{unit}: no year up to {as_of} has both htx_active and tht_active on "
                       "record; enter them (0 for none), or give dormant_dissolved 0")
    if dissolved and not dissolved < active:
        raise KttError(f"dormant_dissolved = {dissolved} is not below the {active:g} "
                       f"active organizations of {unit} on record (htx_active + tht_active): "
                       "a dissolution drive leaves some working; give at most "
                       f"{max(active - 1, 0):g} (-p dormant_dissolved in a report)")
    idle = _unprofitable_organizations(known, unit)
    if dissolved and dissolved > idle:
        raise KttError(f"dormant_dissolved = {dissolved} is more than the {idle:g} "
                       f"organizations of {unit} not making a profit in the last year on record "
                       "(htx_active + tht_active - orgs_profitable): a dissolution drive "
                       f"removes organizations that do not work; give at most {idle:g}")
    return as_of


def _last_complete(known: pd.DataFrame, unit: str, codes: list[str]) -> pd.Series | None:
    """The figures of ``codes`` in the last year all of them are known; None when never."""
    both = pd.concat([series(known, unit, c) for c in codes], axis=1).dropna()
    return both.iloc[-1] if len(both) else None


def active_organizations(known: pd.DataFrame, unit: str) -> float:
    """HTX + THT active in the last year both are known; NaN when never both."""
    last = _last_complete(known, unit, ["htx_active", "tht_active"])
    return float(last.sum()) if last is not None else float("nan")


def farm_households(known: pd.DataFrame, unit: str) -> float:
    """Farm households in the last year they are known [households]; NaN when never."""
    last = _last_complete(known, unit, ["farm_households"])
    return float(last.iloc[0]) if last is not None else float("nan")


def _unprofitable_organizations(known: pd.DataFrame, unit: str) -> float:
    """HTX + THT active but not profitable in the last year all three are known; infinite
    (no bound) when never."""
    last = _last_complete(known, unit, ["htx_active", "tht_active", "orgs_profitable"])
    if last is None:
        return float("inf")
    return float(last["htx_active"] + last["tht_active"] - last["orgs_profitable"])


def _check_lever_year(name: str, year: int, as_of: int, end: int, lever: float) -> None:
    """Refuse a scenario lever's first year that changes nothing: one not after the as-of
    year (elapsed years are facts) or after the plan's last target year."""
    if not lever or as_of < year <= end:
        return
    where = "is not after the as-of year" if year <= as_of else "is after the plan's last year"
    raise KttError(f"{name} = {year} {where} ({as_of if year <= as_of else end}): the lever "
                   f"would change no forecast year; give a year from {as_of + 1} to {end} "
                   f"(-p {name} in a report), or 0 for {as_of + 1}")


def _check_base_year(known: pd.DataFrame, unit: str, codes: list[str], base_year: int,
                     as_of: int) -> None:
    """Refuse a base year not before the as-of year, or before the plan's first figure
    (``check_base_year``)."""
    if base_year >= as_of:
        raise KttError(f"base year {base_year} is not before the as-of year {as_of}: the "
                       "official classes measure progress from an earlier year to the latest "
                       f"figure; give one before {as_of} (--base-year; -p base_year in a "
                       "report), or none for the plan's")
    check_base_year(known, unit, codes, base_year, before=as_of)


def first_figures(frame: pd.DataFrame, unit: str, codes: Sequence[str],
                  until: int | None = None) -> dict[str, int]:
    """The year of the unit's first figure of each of ``codes`` up to ``until`` (default every
    year of ``frame``), for the codes that have one: where the official classes' base year
    can start."""
    return {code: int(figures.index.min()) for code in dict.fromkeys(codes)
            if len(figures := series(frame, unit, code).loc[:until].dropna())}


def check_base_year(known: pd.DataFrame, unit: str, codes: list[str], base_year: int,
                    before: int | None = None) -> None:
    """Refuse a base year before the first figure of every one of the plan's indicators.

    The official classes measure from the first figure from the base year on, so they would
    quietly measure from a later year than the one asked for. A base year that precedes some
    indicators' first figure only is the SDG methods' own reading (each series from its first
    figure from the base year on), and the report shows each target's base figure with its
    year.

    Parameters
    ----------
    known : pandas.DataFrame
        The figures up to the as-of year, derived indicators included.
    unit : str
        Unit id.
    codes : list of str
        The indicators of the plan's targets as read.
    base_year : int
        The base year asked for.
    before : int, optional
        The year a base year must precede, for the years the message offers (the as-of
        year of a forecast); none for a backtest, whose origins come later.

    Raises
    ------
    KttError
        Naming the first figure's year, its indicators and the years to give. A unit without
        a figure of ``codes`` is left to the caller, which says so.
    """
    firsts = first_figures(known, unit, codes)
    if not firsts or base_year >= min(firsts.values()):
        return
    first = min(firsts.values())
    which = ", ".join(code for code, year in firsts.items() if year == first)
    where = "(--base-year; -p base_year in a report)"
    if before is None:
        give = f"give {first} or later {where}, or none for the plan's"
    elif first < before:
        give = f"give a year from {first} to {before - 1} {where}, or none for the plan's"
    else:
        give = (f"no figure of them is before the as-of year {before}, so give no base year "
                f"{where} and the plan's is used")
    raise KttError(f"base year {base_year} is before {unit}'s first figure of the plan's "
                   f"indicators, of {first} ({which}): the official classes would measure "
                   f"progress from {first}, not {base_year}; {give}")


def _check_as_of(frame: pd.DataFrame, unit: str, as_of: int) -> None:
    """Refuse an as-of year after the unit's last figure: the as-of year is the last year
    known, and a forecast that said "as of 2030" while starting from 2022 would mislead. Refuse
    one before its first figure too: nothing would be known, and every target would come back
    unknown as if the file held no figure (a unit with none at all is left to the caller, which
    says so)."""
    years = frame.loc[frame["unit"] == unit, "year"]
    if len(years) and as_of > years.max():
        last = int(years.max())
        raise KttError(f"as of {as_of} is after {unit}'s last figure ({last}): the as-of year "
                       f"is the last year known, so give {last} or earlier (--as-of; -p as_of "
                       f"in a report), or enter the figures up to {as_of}")
    if len(years) and as_of < years.min():
        first = int(years.min())
        raise KttError(f"as of {as_of} is before {unit}'s first figure ({first}): no figure "
                       f"would be known and every target would be unknown; give {first} or "
                       "later (--as-of; -p as_of in a report)")
