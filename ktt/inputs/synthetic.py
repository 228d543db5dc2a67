"""Synthetic district records from stated parameters, for tests and for the honest example.

A synthetic file is never the record: its rows cite a source whose id starts with
``synthetic``, whose title holds every generator parameter, and its file name says
``synthetic``.
"""

from __future__ import annotations

import dataclasses
import json
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
from scipy import special

QUOTE = "synthetic: made by ktt.inputs.synthetic, not a published figure"


@dataclass(frozen=True)
class SyntheticParams:
    """Parameters of a synthetic district; each process is a trend on a natural scale."""

    unit: str = "krong-bong"
    """Unit id the rows carry."""
    first_year: int = 2015
    """First year generated."""
    last_year: int = 2025
    """Last year generated."""
    founding_rate: float = 5.0
    """Expected new HTX + THT in ``first_year`` [count per year]."""
    founding_trend: float = 0.0
    """Change of the log founding rate [per year]."""
    tht_fraction: float = 0.4
    """Expected fraction of foundings that are THT [fraction]."""
    htx_active_start: int = 20
    """HTX operating at the end of the year before ``first_year`` [count]."""
    tht_active_start: int = 10
    """THT operating at the end of the year before ``first_year`` [count]."""
    dissolution_rate: float = 0.05
    """Yearly probability that an operating HTX or THT is dissolved [fraction]."""
    profitable_start: float = 0.55
    """Probability an operating organization makes a profit in ``first_year`` [fraction]."""
    profitable_trend: float = 0.05
    """Change of its logit [per year]."""
    farm_households: int = 17000
    """Farm households in the area, held constant [count]."""
    household_start: float = 0.05
    """Share of farm households taking part in ``first_year`` [fraction]."""
    household_trend: float = 0.1
    """Change of its logit [per year]."""
    rated_good_start: float = 0.45
    """Share of operating HTX rated fair or good in ``first_year`` [fraction]."""
    rated_good_trend: float = 0.1
    """Change of its logit [per year]."""
    seed: int = 0
    """Seed of the generator; the same parameters give the same file."""

    @property
    def source_id(self) -> str:
        """The source id the rows cite."""
        return f"synthetic-{self.unit}"


def _trend(start: float, slope: float, t: int) -> float:
    return float(special.expit(special.logit(start) + slope * t))


def generate(params: SyntheticParams) -> pd.DataFrame:
    """Generate a district's yearly record.

    Returns
    -------
    pandas.DataFrame
        Observations (``unit, year, indicator, value, source, quote``) for ``htx_new``,
        ``tht_new``, ``htx_dissolved``, ``tht_dissolved``, ``htx_active``, ``tht_active``,
        ``orgs_profitable``, ``farm_households``, ``member_households``, ``htx_rated_good``.
    """
    rng = np.random.default_rng(params.seed)
    htx, tht = params.htx_active_start, params.tht_active_start
    rows = []
    for t, year in enumerate(range(params.first_year, params.last_year + 1)):
        new = rng.poisson(params.founding_rate * np.exp(params.founding_trend * t))
        tht_new = rng.binomial(new, params.tht_fraction)
        htx_gone = rng.binomial(htx, params.dissolution_rate)
        tht_gone = rng.binomial(tht, params.dissolution_rate)
        htx, tht = htx + new - tht_new - htx_gone, tht + tht_new - tht_gone
        figures = {
            "htx_new": new - tht_new, "tht_new": tht_new,
            "htx_dissolved": htx_gone, "tht_dissolved": tht_gone,
            "htx_active": htx, "tht_active": tht,
            "orgs_profitable": rng.binomial(
                htx + tht, _trend(params.profitable_start, params.profitable_trend, t)),
            "farm_households": params.farm_households,
            "member_households": rng.binomial(
                params.farm_households,
                _trend(params.household_start, params.household_trend, t)),
            "htx_rated_good": rng.binomial(
                htx, _trend(params.rated_good_start, params.rated_good_trend, t)),
        }
        rows += [(params.unit, year, code, float(v), params.source_id, QUOTE)
                 for code, v in figures.items()]
    return pd.DataFrame(rows, columns=["unit", "year", "indicator", "value", "source", "quote"])


def source_row(params: SyntheticParams, reasons: dict[str, str] | None = None) -> dict:
    """The sources.csv row of a synthetic unit: its parameters (and reasons) in the title."""
    record = {"parameters": dataclasses.asdict(params)}
    if reasons:
        record["reasons"] = reasons
    return {"id": params.source_id,
            "title": "SYNTHETIC example, not the district's record: " + json.dumps(
                record, ensure_ascii=False, sort_keys=True),
            "publisher": "ktt.inputs.synthetic", "date": "",
            "address": "ktt.inputs.synthetic.generate"}


def write(path: str | Path, params: list[SyntheticParams],
          reasons: dict[str, str] | None = None) -> Path:
    """Write synthetic units to ``path`` and their sources to ``sources.csv`` beside it.

    The output depends only on the parameters, so rewriting it gives the same bytes.
    """
    path = Path(path)
    if "synthetic" not in path.name and "synthetic" not in path.parent.name:
        raise ValueError(f"{path}: a synthetic file's name or folder must say 'synthetic'")
    path.parent.mkdir(parents=True, exist_ok=True)
    frame = pd.concat([generate(p) for p in params], ignore_index=True)
    frame["value"] = frame["value"].astype(int)
    frame.to_csv(path, index=False, lineterminator="\n")
    sources = pd.DataFrame([source_row(p, reasons) for p in params])
    sources.to_csv(path.parent / "sources.csv", index=False, lineterminator="\n")
    return path


COMMUNE_NAMES = {"en": ("Synthetic country", "Synthetic province {k}", "Synthetic commune {k}"),
                 "vi": ("Quốc gia giả lập", "Tỉnh giả lập {k}", "Xã giả lập {k}")}
"""The names ``communes`` gives the country, a province and a commune, in each language."""


def communes(n: int, seed: int = 0, provinces: int = 34, country: str = "syn-vietnam",
             lang: str = "en") -> tuple[pd.DataFrame, pd.DataFrame]:
    """``n`` synthetic communes spread over ``provinces`` synthetic provinces, for the many-unit
    benchmark and tests (every id says ``syn``; every row cites a ``synthetic-`` source).

    Each commune's parameters are drawn from ranges for a commune of the 2025 reform, about a
    third of a former district (founding rate 1 to 8 a year, 2 to 15 HTX and 1 to 8 THT at the
    start, 1,500 to 6,000 farm households), by a stream keyed by its id, so commune ``k`` is
    the same whatever ``n`` is.

    Returns
    -------
    observations : pandas.DataFrame
        ``generate``'s rows for every commune, 2015-2025.
    units : pandas.DataFrame
        A units table (``ktt.inputs.units.load_units``'s columns): the country, the provinces
        and the communes (level ``commune``), each commune's parent its province, named in
        ``lang`` (``COMMUNE_NAMES``: ``Xã giả lập 3`` in Vietnamese); the figures do not
        depend on it.
    """
    import zlib

    country_name, province_name, commune_name = COMMUNE_NAMES[lang]
    width = max(4, len(str(n)))
    rows = [{"unit": country, "name": country_name, "level": "country", "parent": ""}]
    rows += [{"unit": f"syn-province-{p + 1:02d}", "name": province_name.format(k=p + 1),
              "level": "province", "parent": country} for p in range(provinces)]
    frames = []
    for k in range(n):
        unit = f"syn-commune-{k + 1:0{width}d}"
        rng = np.random.default_rng([seed, zlib.crc32(unit.encode())])
        params = SyntheticParams(
            unit=unit, seed=int(rng.integers(2**31)),
            founding_rate=float(rng.uniform(1.0, 8.0)),
            founding_trend=float(rng.normal(0.0, 0.05)),
            htx_active_start=int(rng.integers(2, 16)), tht_active_start=int(rng.integers(1, 9)),
            profitable_start=float(rng.uniform(0.35, 0.8)),
            farm_households=int(rng.integers(1500, 6001)),
            household_start=float(rng.uniform(0.02, 0.2)),
            rated_good_start=float(rng.uniform(0.25, 0.75)))
        frames.append(generate(params))
        rows.append({"unit": unit, "name": commune_name.format(k=k + 1), "level": "commune",
                     "parent": f"syn-province-{k % provinces + 1:02d}"})
    units = pd.DataFrame(rows).assign(valid_from="", valid_to="", successors="")
    observations = (pd.concat(frames, ignore_index=True) if frames else
                    pd.DataFrame(columns=["unit", "year", "indicator", "value", "source",
                                          "quote"]))
    return observations, units
