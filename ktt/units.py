"""The units table ``data/units.csv``: each geography, the one above it, and since the reform of
1 July 2025 which units took over from one that ended."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from ktt import config


def load_units(path: str | Path = config.UNITS) -> pd.DataFrame:
    """The units table: ``unit, name, level, parent`` (the province a district belongs to).

    Parameters
    ----------
    path : str or Path
        CSV with at least the columns ``unit, name, level, parent``.

    Returns
    -------
    pandas.DataFrame
        One row per unit, every column as text, empty where blank.
    """
    return pd.read_csv(path, dtype=str).fillna("")
