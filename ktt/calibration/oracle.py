"""What a forecaster told a synthetic district's true process would say of its households'
target: the bound on skill that no method estimating from the record can pass.

The oracle knows the family, every drawn parameter and the share at the as-of year; it does
not know the years after it. Its Brier score on the suite's calls is the best any method can
expect, so a method's distance from it says how much of the remaining error is estimation and
how much is chance. For the households' share only: their denominators (8,000-30,000 farm
households) make the share at the as-of year an almost exact reading of the latent one.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy import special, stats

from ktt.calibration.districts import District
from ktt.forecasting.streams import stream

DRAWS = 20_000
"""Monte Carlo draws of the drifting family's share in the target year."""


def _shares(district: District) -> tuple[pd.Series, pd.Series]:
    """The truth's household share and farm households by year."""
    wide = district.truth.pivot(index="year", columns="indicator", values="value")
    return wide["member_households"] / wide["farm_households"], wide["farm_households"]


def households_oracle(district: District, year: int, threshold: float) -> float:
    """Probability that the share of farm households taking part is above ``threshold`` in
    ``year``, given the district's true process and its share at ``as_of``.

    Parameters
    ----------
    district : District
        From ``ktt.calibration.districts.draw_district``.
    year : int
        The target year, after ``district.as_of``.
    threshold : float
        The share to exceed, in [0, 1].

    Returns
    -------
    float
        In [0, 1]. ``steady`` and ``trending``: the latent share is a known logit-linear
        function of the year, so only the binomial draw of the year is left. ``reverting``: the
        AR(1) forecast of the logit from the as-of share (normal). ``drifting``: the logit
        walks with its drift and step sd from the as-of share, then the year's share is drawn
        Beta around it (Monte Carlo, ``DRAWS``, seeded by the district).
    """
    params = district.params
    share, farm = _shares(district)
    ahead = year - district.as_of
    known = special.logit(np.clip(share.loc[district.as_of], 1e-6, 1 - 1e-6))
    start = special.logit(params["household_start"])
    if district.family in ("steady", "trending"):
        p = special.expit(start + params["household_trend"] * (year - params["first_year"]))
        n = int(farm.loc[year])
        return float(stats.binom.sf(np.floor(threshold * n), n, p))
    if district.family == "reverting":
        phi, sd = params["household_phi"], params["household_ar_sd"]
        mean = start + phi ** ahead * (known - start)
        spread = sd * np.sqrt((1 - phi ** (2 * ahead)) / (1 - phi ** 2))
        return float(stats.norm.sf((special.logit(threshold) - mean) / spread))
    if district.family == "drifting":
        rng = stream(district.seed, f"oracle:{district.unit}:{year}")
        latent = special.expit(rng.normal(known + params["household_drift"] * ahead,
                                          params["household_walk_sd"] * np.sqrt(ahead), DRAWS))
        k = params["household_concentration"]
        return float((rng.beta(latent * k, (1 - latent) * k) > threshold).mean())
    raise ValueError(f"unknown family '{district.family}'")
