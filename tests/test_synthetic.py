"""Synthetic records: valid, reproducible, honest about being synthetic, faithful to parameters."""

from __future__ import annotations

import json

import numpy as np
import pytest

from ktt.inputs.data import load_observations, load_sources
from ktt.inputs.indicators import derive, series
from ktt.inputs.synthetic import SyntheticParams, generate, write


def test_written_file_validates_and_records_parameters(tmp_path):
    params = SyntheticParams(seed=9, founding_rate=7.5)
    path = write(tmp_path / "synthetic" / "example.csv", [params])
    frame = load_observations(path)
    assert set(frame["source"]) == {"synthetic-krong-bong"}
    title = load_sources(path.parent / "sources.csv").loc["synthetic-krong-bong", "title"]
    assert title.startswith("SYNTHETIC example, not the district's record: ")
    recorded = json.loads(title.split(": ", 1)[1])["parameters"]
    assert recorded["founding_rate"] == 7.5
    assert recorded["seed"] == 9


def test_same_parameters_same_bytes(tmp_path):
    a = write(tmp_path / "synthetic-a" / "x.csv", [SyntheticParams(seed=1)]).read_bytes()
    b = write(tmp_path / "synthetic-b" / "x.csv", [SyntheticParams(seed=1)]).read_bytes()
    assert a == b


def test_path_must_say_synthetic(tmp_path):
    with pytest.raises(ValueError, match="a synthetic file's name or folder must say 'synthetic'"):
        write(tmp_path / "plain" / "observations.csv", [SyntheticParams()])


def test_long_record_matches_its_parameters():
    params = SyntheticParams(first_year=1900, last_year=2099, founding_rate=6.0,
                             profitable_start=0.6, profitable_trend=0.0, seed=2)
    frame = derive(generate(params))
    assert series(frame, "krong-bong", "orgs_new").mean() == pytest.approx(6.0, rel=0.05)
    assert series(frame, "krong-bong", "profitable_share").mean() == pytest.approx(0.6, abs=0.02)
    counts = series(frame, "krong-bong", "htx_new")
    assert (counts >= 0).all()
    assert np.all(counts == counts.round())
