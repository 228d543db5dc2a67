"""Random streams keyed by name, so one result's numbers do not depend on what else was run."""

from __future__ import annotations

import zlib

import numpy as np


def stream(seed: int, key: str) -> np.random.Generator:
    """An independent random stream per (seed, key): a target's paths do not depend on which
    other targets are assessed, nor a backtest fit on which other models are tried."""
    return np.random.default_rng([seed, zlib.crc32(key.encode())])
