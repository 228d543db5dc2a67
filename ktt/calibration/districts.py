"""Synthetic districts with known truth, from several process families, for the calibration suite.

Each district is drawn from a stated prior (the constants below, each with the reason for its
range), simulated from the first year of its record through 2030, and then cut: the *history*
(what an analyst would have at ``as_of``) keeps the years up to ``as_of`` with realistic gaps,
the *truth* keeps every figure through 2030, so the outcome of every target is known.

Families (``FAMILIES``):

``steady``
    A constant founding rate (Poisson) and logit-linear trends in the shares with binomial
    noise: exactly the process of ``ktt.inputs.synthetic.generate``, which it reuses.
``drifting``
    The realistic one: HTX and THT foundings each overdispersed (Gamma-Poisson) around a rate
    whose logarithm is a random walk; the shares' logits are random walks with a drift, and
    each year's share is drawn around the latent value (beta-binomial); some districts do not
    report THT foundings in some years.
``trending``
    A log-linear trend in the founding rate and logit-linear trends in the shares, steeper
    than ``steady``'s.
``reverting``
    Shares that revert to a level on the logit scale (AR(1)); foundings negative-binomial
    around a fixed mean.

and, apart from the suite's (``STRESS_FAMILIES``), a family that no model of ktt assumes, to
see how far its calibration holds off its own ground:

``shifting``
    Breaks at unannounced years, before or after the as-of year: the founding rate steps up or
    down once (a campaign, or the end of a programme), HTX and THT are purged once (the
    dissolution of inactive organizations that followed the 2012 Law), and each share moves on
    a straight line of the share itself (not of its logit) that jumps once.

Every row cites the source ``synthetic-calibration`` and says in its quote that it is not a
published figure. The same ``(family, index, seed)`` gives the same district.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import special

from ktt.forecasting.streams import stream
from ktt.inputs.synthetic import SyntheticParams, generate

FAMILIES = ("steady", "drifting", "trending", "reverting")
"""Process families of the calibration suite."""
STRESS_FAMILIES = ("shifting",)
"""Process families outside the suite, whose processes no model of ktt assumes: a check of how
its calibration degrades, not a target for it."""
ALL_FAMILIES = FAMILIES + STRESS_FAMILIES
"""Every family ``draw_district`` knows."""
SOURCE = "synthetic-calibration"
"""Source id of every generated row: it starts with ``synthetic``, so no output takes a
calibration district for a record."""
QUOTE = "synthetic: made by ktt.calibration.districts, not a published figure"
"""Quote of every generated row."""
COLUMNS = ["unit", "year", "indicator", "value", "source", "quote"]
"""Columns of ``data/observations.csv``."""
INDICATORS = ("htx_new", "tht_new", "htx_dissolved", "tht_dissolved", "htx_active",
              "tht_active", "orgs_profitable", "farm_households", "member_households",
              "htx_rated_good")
"""Indicators generated; ``orgs_new`` and the shares are derived by
``ktt.inputs.indicators.derive``."""
TRUTH_END = 2030
"""Last year of the truth: the plan's last target year."""

AS_OF = (2020, 2024)
"""Range of the last known year [year], uniform over whole years: from the plan's adoption to
the year before its first target year, so every target is still ahead or half elapsed."""
HISTORY_YEARS = (6, 12)
"""Range of the record's length up to ``as_of`` [years], uniform over whole numbers: district
reports on the collective economy go back to the 2012 Law on Cooperatives at best, and many
districts only compiled figures for the plan."""
MISSING = 0.08
"""Probability that a figure of the history is missing [fraction]: a year's report that does not
state it. The truth has no gap."""
THT_GAP_DISTRICTS = 0.5
"""Share of ``drifting`` districts that leave THT foundings out of some years' reports."""
THT_GAP_YEARS = 0.3
"""In those districts, probability that a year's THT foundings are not reported (so ``orgs_new``
is missing for that year) [fraction]."""

FOUNDING_RATE = (2.0, 12.0)
"""Expected HTX + THT founded a year at the start of the record [count per year], uniform. The
plan asks for at least 4 a year to 2025 and 6 a year to 2030; Đắk Lắk founded about 7.7 HTX a
district-level unit in 2023 (see ``ktt.inputs.example``). From 2 to 12 every threshold is
contested: at a steady 4 a year the 2025 target is met about one time in twenty, at 8 about
four in five."""
THT_FRACTION = (0.2, 0.6)
"""Expected fraction of foundings that are THT [fraction], uniform; no THT figure is published
for the province, so the range is wide."""
ACTIVE_START = (5, 60)
"""HTX, and separately THT, operating the year before the record starts [count], uniform over
whole numbers: Krông Ana had 20 HTX in 2015; a district-level unit of Đắk Lắk averaged about 40
HTX in 2020 (555 over 15 units)."""
DISSOLUTION = (0.02, 0.08)
"""Yearly probability that an operating organization is dissolved [fraction], uniform; Đắk Lắk
planned to dissolve about 6 % of its HTX in 2023."""
PROFITABLE_START = (0.30, 0.85)
"""Share of operating organizations making a profit at the start of the record [fraction],
uniform: around the plan's thresholds of 60 % (2025) and 65 % (2030)."""
HOUSEHOLD_START = (0.02, 0.30)
"""Share of farm households taking part at the start of the record [fraction], uniform: the
plan asks for more than 7.5 % in 2025 and 30 % in 2030."""
RATED_GOOD_START = (0.20, 0.80)
"""Share of HTX rated fair or good at the start [fraction], uniform; 45 % of Đắk Lắk's HTX were
rated good in 2013, 78 % nationally in 2025."""
FARM_HOUSEHOLDS = (8000, 30000)
"""Farm households in the district [count], uniform over whole numbers: Krông Bông had about
17,000; mountainous districts of the Central Highlands range from a few thousand to 30,000."""
HOUSEHOLD_GROWTH = (0.0, 0.015)
"""Yearly growth of the farm households outside ``steady`` (which holds them constant)
[fraction per year], uniform."""

TREND_STEADY = {"profitable": (0.02, 0.08), "household": (0.10, 0.08),
                "rated_good": (0.03, 0.10)}
"""``steady``: mean and sd of the normal prior on each share's logit slope [logit per year].
Households lean upward (the plan is a push to enrol them), the others are about flat."""
TREND_TRENDING = {"founding": (0.0, 0.08), "profitable": (0.0, 0.15),
                  "household": (0.08, 0.15), "rated_good": (0.0, 0.15)}
"""``trending``: mean and sd of the normal prior on the slopes: of the log founding rate [log
per year] (8 % a year either way is a strong but seen change: Đắk Lắk's HTX count grew 12 % a
year 2020-2023) and of each share's logit [logit per year]."""
DRIFT = {"profitable": (0.02, 0.05), "household": (0.08, 0.06), "rated_good": (0.03, 0.06)}
"""``drifting``: mean and sd of the normal prior on each share's logit drift [logit per year]."""
RATE_WALK_SD = (0.03, 0.20)
"""``drifting``: sd of the yearly step of the log founding rate (HTX and THT walk apart with
the same sd) [log per year], uniform: from almost steady to a rate that can halve in 4 years."""
SHARE_WALK_SD = (0.05, 0.25)
"""``drifting``: sd of the yearly step of each share's logit [logit per year], uniform."""
DISPERSION = (0.05, 0.5)
"""``drifting`` and ``reverting``: negative-binomial dispersion ``alpha`` of yearly foundings
(variance ``mu + alpha mu^2``), uniform; 0.5 lets a year's rate vary by +-70 %, as campaign
years and lean years do."""
CONCENTRATION = {"profitable": (30.0, 300.0), "household": (200.0, 2000.0),
                 "rated_good": (30.0, 300.0)}
"""``drifting``: concentration ``k`` of the Beta(p k, (1 - p) k) each year's share is drawn from
around its latent value ``p`` (beta-binomial), uniform. A year's share of 30 organizations
moves more than a district's enrolment of thousands of households, hence the larger ``k``."""
AR_PHI = (0.2, 0.9)
"""``reverting``: autocorrelation of each share's logit around its level, uniform."""
AR_SD = (0.15, 0.5)
"""``reverting``: sd of the yearly innovation of each share's logit [logit], uniform."""
BREAK_RATIO = (0.4, 2.5)
"""``shifting``: founding rate after its break over the rate before [ratio], log-uniform: a
campaign can double a district's foundings, the end of a support programme halve them (the
country's HTX founded a year ranged from 2,030 in 2016 to 2,640 in 2019, a district's swing
more)."""
PURGE = (0.05, 0.35)
"""``shifting``: fraction of operating HTX and THT dissolved in the purge year, beyond the
yearly dissolutions [fraction], uniform: the country dissolved 599 HTX in 2015 alone, and
provinces struck off HTX that had stopped operating by the hundred."""
SLOPE_SHIFTING = {"profitable": (0.0, 0.02), "household": (0.01, 0.01),
                  "rated_good": (0.0, 0.02)}
"""``shifting``: mean and sd of the normal prior on each share's slope on its own scale [share
per year]: households gain about a point a year, as from 7.5 % in 2025 toward 30 % in 2030 a
plan would need more."""
JUMP_SHIFTING = {"profitable": (0.0, 0.08), "household": (0.0, 0.02),
                 "rated_good": (0.0, 0.08)}
"""``shifting``: mean and sd of the normal prior on each share's jump in its break year [share]:
a bad coffee year can take a tenth of a district's organizations out of profit; a large HTX
enrolling a commune moves the households' share by a point or two."""
SHARE_FLOOR = 0.005
"""``shifting``: the straight lines are held within [SHARE_FLOOR, 1 - SHARE_FLOOR] [share]."""

SHARES = ("profitable", "household", "rated_good")
START = {"profitable": PROFITABLE_START, "household": HOUSEHOLD_START,
         "rated_good": RATED_GOOD_START}


@dataclass(frozen=True, eq=False)
class District:
    """One synthetic district: its drawn parameters, its record up to ``as_of`` and the truth."""

    unit: str
    """Unit id, ``cal-<family>-<index>``."""
    family: str
    """Process family, one of ``FAMILIES``."""
    index: int
    """Index of the district within its family."""
    seed: int
    """Seed of the suite the district was drawn for."""
    params: dict
    """Every drawn parameter (see the module's prior constants for units)."""
    as_of: int
    """Last year of the history [year]."""
    history: pd.DataFrame
    """Observations (``unit, year, indicator, value, source, quote``) from the first year of the
    record to ``as_of``, with gaps."""
    truth: pd.DataFrame
    """Every figure from the first year of the record to ``TRUTH_END``, no gap."""


def _uniform(rng: np.random.Generator, bounds: tuple[float, float]) -> float:
    return float(rng.uniform(*bounds))


def _integer(rng: np.random.Generator, bounds: tuple[int, int]) -> int:
    return int(rng.integers(bounds[0], bounds[1] + 1))


def _negbin(rng: np.random.Generator, mean: float, alpha: float) -> int:
    """A Gamma-Poisson draw: mean ``mean``, variance ``mean + alpha mean^2``."""
    rate = mean * rng.gamma(1.0 / alpha, alpha) if alpha > 0 else mean
    return int(rng.poisson(rate))


def _organizations(rng: np.random.Generator, years: list[int], htx_rate: np.ndarray,
                   tht_rate: np.ndarray, alpha: float, params: dict,
                   dissolution: np.ndarray | None = None) -> dict[str, np.ndarray]:
    """Foundings, dissolutions and stocks a year from the yearly expected foundings; the yearly
    dissolution probability is ``params["dissolution_rate"]`` unless ``dissolution`` gives one
    a year."""
    if dissolution is None:
        dissolution = np.full(len(years), params["dissolution_rate"])
    htx, tht = params["htx_active_start"], params["tht_active_start"]
    out = {k: np.zeros(len(years)) for k in ("htx_new", "tht_new", "htx_dissolved",
                                              "tht_dissolved", "htx_active", "tht_active")}
    for t in range(len(years)):
        new_h, new_t = _negbin(rng, htx_rate[t], alpha), _negbin(rng, tht_rate[t], alpha)
        gone_h = rng.binomial(htx, dissolution[t])
        gone_t = rng.binomial(tht, dissolution[t])
        htx, tht = htx + new_h - gone_h, tht + new_t - gone_t
        for key, value in (("htx_new", new_h), ("tht_new", new_t), ("htx_dissolved", gone_h),
                           ("tht_dissolved", gone_t), ("htx_active", htx),
                           ("tht_active", tht)):
            out[key][t] = value
    return out


def _shares(rng: np.random.Generator, counts: dict[str, np.ndarray], farm: np.ndarray,
            latent: dict[str, np.ndarray], concentration: dict[str, float] | None
            ) -> dict[str, np.ndarray]:
    """Numerators of the shares: binomial draws around each year's share, itself drawn
    Beta(p k, (1 - p) k) around the latent ``p`` when a concentration ``k`` is given."""
    trials = {"profitable": counts["htx_active"] + counts["tht_active"],
              "household": farm, "rated_good": counts["htx_active"]}
    codes = {"profitable": "orgs_profitable", "household": "member_households",
             "rated_good": "htx_rated_good"}
    out = {}
    for share in SHARES:
        p = special.expit(latent[share])
        if concentration:
            k = concentration[share]
            p = rng.beta(p * k, (1 - p) * k)
        out[codes[share]] = rng.binomial(trials[share].astype(int), p).astype(float)
    return out


def _draw_common(rng: np.random.Generator) -> dict:
    """Parameters every family draws: the founding rate, stocks, dissolution and households."""
    return {"founding_rate": _uniform(rng, FOUNDING_RATE),
            "tht_fraction": _uniform(rng, THT_FRACTION),
            "htx_active_start": _integer(rng, ACTIVE_START),
            "tht_active_start": _integer(rng, ACTIVE_START),
            "dissolution_rate": _uniform(rng, DISSOLUTION),
            "farm_households": _integer(rng, FARM_HOUSEHOLDS),
            **{f"{s}_start": _uniform(rng, START[s]) for s in SHARES}}


def _steady(rng: np.random.Generator, unit: str, years: list[int]) -> tuple[pd.DataFrame, dict]:
    params = _draw_common(rng)
    params.update({f"{s}_trend": float(rng.normal(*TREND_STEADY[s])) for s in SHARES})
    params["generator_seed"] = int(rng.integers(2**31))
    synthetic = SyntheticParams(
        unit=unit, first_year=years[0], last_year=years[-1],
        founding_rate=params["founding_rate"], founding_trend=0.0,
        tht_fraction=params["tht_fraction"], htx_active_start=params["htx_active_start"],
        tht_active_start=params["tht_active_start"],
        dissolution_rate=params["dissolution_rate"], profitable_start=params["profitable_start"],
        profitable_trend=params["profitable_trend"], farm_households=params["farm_households"],
        household_start=params["household_start"], household_trend=params["household_trend"],
        rated_good_start=params["rated_good_start"],
        rated_good_trend=params["rated_good_trend"], seed=params["generator_seed"])
    return generate(synthetic), params


def _farm(rng: np.random.Generator, params: dict, n: int) -> np.ndarray:
    params["household_growth"] = _uniform(rng, HOUSEHOLD_GROWTH)
    return np.round(params["farm_households"] * (1 + params["household_growth"])
                    ** np.arange(n))


def _drifting(rng: np.random.Generator, unit: str, years: list[int]
              ) -> tuple[pd.DataFrame, dict]:
    n = len(years)
    params = _draw_common(rng)
    params["rate_walk_sd"] = _uniform(rng, RATE_WALK_SD)
    params["dispersion"] = _uniform(rng, DISPERSION)
    steps = rng.normal(0, params["rate_walk_sd"], size=(2, n))
    steps[:, 0] = 0.0
    walk = np.cumsum(steps, axis=1)
    f, rate = params["tht_fraction"], params["founding_rate"]
    htx_rate, tht_rate = rate * (1 - f) * np.exp(walk[0]), rate * f * np.exp(walk[1])
    counts = _organizations(rng, years, htx_rate, tht_rate, params["dispersion"], params)
    latent, concentration = {}, {}
    for share in SHARES:
        drift = float(rng.normal(*DRIFT[share]))
        sd = _uniform(rng, SHARE_WALK_SD)
        concentration[share] = _uniform(rng, CONCENTRATION[share])
        step = rng.normal(drift, sd, size=n)
        step[0] = 0.0
        latent[share] = special.logit(params[f"{share}_start"]) + np.cumsum(step)
        params.update({f"{share}_drift": drift, f"{share}_walk_sd": sd,
                       f"{share}_concentration": concentration[share]})
    farm = _farm(rng, params, n)
    counts.update(_shares(rng, counts, farm, latent, concentration))
    counts["farm_households"] = farm
    params["tht_gaps"] = bool(rng.random() < THT_GAP_DISTRICTS)
    return _frame(unit, years, counts), params


def _trending(rng: np.random.Generator, unit: str, years: list[int]
              ) -> tuple[pd.DataFrame, dict]:
    n = len(years)
    t = np.arange(n)
    params = _draw_common(rng)
    params["founding_trend"] = float(rng.normal(*TREND_TRENDING["founding"]))
    rate = params["founding_rate"] * np.exp(params["founding_trend"] * t)
    f = params["tht_fraction"]
    counts = _organizations(rng, years, rate * (1 - f), rate * f, 0.0, params)
    latent = {}
    for share in SHARES:
        params[f"{share}_trend"] = float(rng.normal(*TREND_TRENDING[share]))
        latent[share] = special.logit(params[f"{share}_start"]) + params[f"{share}_trend"] * t
    farm = _farm(rng, params, n)
    counts.update(_shares(rng, counts, farm, latent, None))
    counts["farm_households"] = farm
    return _frame(unit, years, counts), params


def _reverting(rng: np.random.Generator, unit: str, years: list[int]
               ) -> tuple[pd.DataFrame, dict]:
    n = len(years)
    params = _draw_common(rng)
    params["dispersion"] = _uniform(rng, DISPERSION)
    f, rate = params["tht_fraction"], params["founding_rate"]
    counts = _organizations(rng, years, np.full(n, rate * (1 - f)), np.full(n, rate * f),
                            params["dispersion"], params)
    latent = {}
    for share in SHARES:
        # the "start" is the level the logit reverts to; the first year is drawn from the
        # stationary distribution around it
        phi, sd = _uniform(rng, AR_PHI), _uniform(rng, AR_SD)
        level = special.logit(params[f"{share}_start"])
        x = np.empty(n)
        x[0] = level + rng.normal(0, sd / np.sqrt(1 - phi ** 2))
        for i in range(1, n):
            x[i] = level + phi * (x[i - 1] - level) + rng.normal(0, sd)
        latent[share] = x
        params.update({f"{share}_phi": phi, f"{share}_ar_sd": sd})
    farm = _farm(rng, params, n)
    counts.update(_shares(rng, counts, farm, latent, None))
    counts["farm_households"] = farm
    return _frame(unit, years, counts), params


def _break(rng: np.random.Generator, n: int) -> int:
    """Index of a break year, uniform over the record's years after its first, through 2030."""
    return int(rng.integers(1, n))


def _shifting(rng: np.random.Generator, unit: str, years: list[int]
              ) -> tuple[pd.DataFrame, dict]:
    n = len(years)
    t = np.arange(n)
    params = _draw_common(rng)
    params["dispersion"] = _uniform(rng, DISPERSION)
    params["break_ratio"] = float(np.exp(rng.uniform(*np.log(BREAK_RATIO))))
    params["founding_break"] = years[_break(rng, n)]
    params["purge"] = _uniform(rng, PURGE)
    params["purge_year"] = years[_break(rng, n)]
    step = np.where(np.array(years) >= params["founding_break"], params["break_ratio"], 1.0)
    f, rate = params["tht_fraction"], params["founding_rate"] * step
    dissolution = np.full(n, params["dissolution_rate"])
    dissolution[years.index(params["purge_year"])] += params["purge"]
    counts = _organizations(rng, years, rate * (1 - f), rate * f, params["dispersion"],
                            params, dissolution)
    latent = {}
    for share in SHARES:
        slope = float(rng.normal(*SLOPE_SHIFTING[share]))
        jump = float(rng.normal(*JUMP_SHIFTING[share]))
        at = _break(rng, n)
        line = params[f"{share}_start"] + slope * t + np.where(t >= at, jump, 0.0)
        latent[share] = special.logit(np.clip(line, SHARE_FLOOR, 1 - SHARE_FLOOR))
        params.update({f"{share}_slope": slope, f"{share}_jump": jump,
                       f"{share}_break": years[at]})
    farm = _farm(rng, params, n)
    counts.update(_shares(rng, counts, farm, latent, None))
    counts["farm_households"] = farm
    return _frame(unit, years, counts), params


def _frame(unit: str, years: list[int], figures: dict[str, np.ndarray]) -> pd.DataFrame:
    rows = [(unit, year, code, float(figures[code][t]), SOURCE, QUOTE)
            for t, year in enumerate(years) for code in INDICATORS]
    return pd.DataFrame(rows, columns=COLUMNS)


_FAMILY = {"steady": _steady, "drifting": _drifting, "trending": _trending,
           "reverting": _reverting, "shifting": _shifting}


def draw_district(family: str, index: int, seed: int) -> District:
    """Draw one district of a family from its prior and simulate it through ``TRUTH_END``.

    Parameters
    ----------
    family : str
        One of ``ALL_FAMILIES``.
    index : int
        Index of the district within the family; with ``seed`` it fixes every draw.
    seed : int
        Seed of the suite.

    Returns
    -------
    District
        ``history`` up to ``as_of`` (drawn from ``AS_OF``, the record ``HISTORY_YEARS`` long)
        with each figure missing with probability ``MISSING`` (and, in some ``drifting``
        districts, THT foundings left out of some years); ``truth`` through ``TRUTH_END``
        with no gap. Counts are whole numbers [count or count per year].

    Raises
    ------
    ValueError
        For an unknown family.
    """
    if family not in ALL_FAMILIES:
        raise ValueError(f"unknown family '{family}'; valid: {', '.join(ALL_FAMILIES)}")
    rng = stream(seed, f"calibration:{family}:{index}")
    as_of = _integer(rng, AS_OF)
    length = _integer(rng, HISTORY_YEARS)
    years = list(range(as_of - length + 1, TRUTH_END + 1))
    unit = f"cal-{family}-{index}"
    truth, params = _FAMILY[family](rng, unit, years)
    truth = truth.assign(source=SOURCE, quote=QUOTE)
    past = truth[truth["year"] <= as_of]
    dropped = rng.random(len(past)) < MISSING
    if params.get("tht_gaps"):
        tht_years = rng.random(length) < THT_GAP_YEARS
        gap_years = {years[i] for i in np.flatnonzero(tht_years)}
        dropped |= ((past["indicator"] == "tht_new") & past["year"].isin(gap_years)).to_numpy()
    history = past[~dropped].reset_index(drop=True)
    params.update({"as_of": as_of, "first_year": years[0], "history_years": length})
    return District(unit=unit, family=family, index=index, seed=seed, params=params,
                    as_of=as_of, history=history, truth=truth.reset_index(drop=True))
