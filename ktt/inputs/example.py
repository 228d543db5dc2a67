"""The honest example: a synthetic Krông Bông whose parameters come from the published record.

``python -m ktt.inputs.example`` (``make data``) rebuilds ``data/synthetic/krong-bong-example.csv``
byte for byte. Until the district's own figures are entered, the default report runs on it and
says so on its first line.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

import pandas as pd

from ktt import config
from ktt.inputs.data import load_observations
from ktt.inputs.indicators import derive
from ktt.inputs.synthetic import SyntheticParams, write

EXAMPLE_PATH = config.DATA / "synthetic" / "krong-bong-example.csv"

EXAMPLE_PARAMS = SyntheticParams(
    unit="krong-bong", first_year=2015, last_year=2025, founding_rate=5.0, founding_trend=0.03,
    tht_fraction=0.4, htx_active_start=20, tht_active_start=10, dissolution_rate=0.05,
    profitable_start=0.55, profitable_trend=0.05, farm_households=17000, household_start=0.05,
    household_trend=0.1, rated_good_start=0.45, rated_good_trend=0.1, seed=192)

REASONS = {
    "founding_rate": "Đắk Lắk founded 116 HTX in 2023 (source baodaklak-2024-01) across its 15 "
                     "district-level units ('Tỉnh Đắk Lắk có 15 đơn vị hành chính cấp huyện', "
                     "https://chinhsachcuocsong.vnanet.vn/dia-phuong/dak-lak.html), about 7.7 a "
                     "unit in a strong year; a mountainous district is set lower, at 5 HTX and "
                     "THT a year in 2015",
    "founding_trend": "the province's HTX count grew from 555 (2020) to 783 (2023); a gentle "
                      "3 % a year is assumed for the district",
    "tht_fraction": "no THT figure is published for Đắk Lắk; HTX are set to make most foundings",
    "htx_active_start": "Krông Ana, a comparable district, had 20 HTX at the end of 2015 "
                        "(source krongana-2016)",
    "tht_active_start": "no published figure; half the HTX count is assumed",
    "dissolution_rate": "in August 2022, 114 of Đắk Lắk's 630 HTX had long ceased and the "
                        "province planned to dissolve 40 (about 6 %) in 2023 (baodaklak.vn, "
                        "2022-08); 5 % a year is used",
    "profitable_start": "no share of profitable organizations is published; set near the plan's "
                        "60 % so the example does not decide the target in advance",
    "farm_households": "Krông Bông had 90,207 people at the end of 2011 (vansudia.net); with an "
                       "assumed 4.5 people a household (no published figure) and mostly farming, "
                       "about 17,000 farm households",
    "household_start": "no published participation share; set near the plan's 7.5 % for 2025",
    "rated_good_start": "45 % of Đắk Lắk HTX were rated good in 2013 (source vccinews-2013-10)",
    "rated_good_trend": "nationally 78.1 % were rated fair or good in 2025 (source "
                        "baoninhbinh-2026-01), so the share is set to rise",
    "seed": "192, the number of the plan",
}
"""Why each parameter has its value: the published figure it rests on, or that none exists."""


def build(path: str | Path = EXAMPLE_PATH) -> Path:
    """Write the example file (and ``sources.csv`` beside it); return its path."""
    return write(path, [EXAMPLE_PARAMS], REASONS)


def synthetic_units(observations: pd.DataFrame) -> set[str]:
    """Units with at least one figure from a synthetic source."""
    return set(observations.loc[observations["source"].str.startswith("synthetic"), "unit"])


def is_synthetic(observations: pd.DataFrame) -> bool:
    """Whether any figure comes from a synthetic source."""
    return bool(synthetic_units(observations))


def default_data(unit: str = config.DEFAULT_UNIT,
                 indicators: Iterable[str] | None = None) -> Path:
    """The observations file a report uses by default: the shipped record when it holds
    figures for ``unit`` (of one of ``indicators``, reported or derived, when they are given),
    else the synthetic example.

    A stock of cooperatives on record does not make the record answer a plan about foundings
    and shares: with ``indicators`` (``TargetSet.indicators()``) the record is chosen only when
    it can answer at least one target.
    """
    record = derive(load_observations(config.OBSERVATIONS))
    mine = record[record["unit"] == unit]
    if indicators is not None:
        mine = mine[mine["indicator"].isin(list(indicators))]
    return config.OBSERVATIONS if len(mine) else EXAMPLE_PATH


if __name__ == "__main__":
    print(build())
