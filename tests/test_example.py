"""The shipped synthetic example: rebuilt byte for byte, and every output says it is synthetic."""

from __future__ import annotations

import dataclasses
import json

from ktt import config
from ktt.cli import main
from ktt.inputs.data import load_observations, load_sources
from ktt.inputs.example import (
    EXAMPLE_PARAMS,
    EXAMPLE_PATH,
    REASONS,
    build,
    default_data,
    is_synthetic,
)
from ktt.inputs.targets import load_plan


def test_example_rebuilds_byte_for_byte(tmp_path):
    rebuilt = build(tmp_path / "synthetic" / EXAMPLE_PATH.name)
    assert rebuilt.read_bytes() == EXAMPLE_PATH.read_bytes()
    assert (rebuilt.parent / "sources.csv").read_bytes() == (
        EXAMPLE_PATH.parent / "sources.csv").read_bytes()


def test_every_parameter_has_a_reason():
    fields = {f.name for f in dataclasses.fields(EXAMPLE_PARAMS)}
    assert set(REASONS) <= fields
    assert fields - set(REASONS) <= {"unit", "first_year", "last_year", "profitable_trend",
                                     "household_trend"}


def test_source_row_records_parameters_and_reasons():
    title = load_sources(EXAMPLE_PATH.parent / "sources.csv").iloc[0]["title"]
    record = json.loads(title.split(": ", 1)[1])
    assert record["parameters"] == dataclasses.asdict(EXAMPLE_PARAMS)
    assert record["reasons"] == REASONS


def test_default_data_is_the_example_while_the_record_has_no_district_figures():
    """The record holds a stock of Krông Bông's cooperatives, but none of the figures the
    district plan's targets use: its report stays on the example."""
    record = load_observations(config.OBSERVATIONS)
    district = record[record["unit"] == "krong-bong"]
    plan = load_plan("krong-bong-192")
    assert len(district)
    assert not district["indicator"].isin(plan.indicators()).any()
    assert default_data("krong-bong", plan.indicators()) == EXAMPLE_PATH
    assert default_data("krong-bong") == config.OBSERVATIONS
    assert default_data("vietnam", load_plan("vietnam-340").indicators()) == config.OBSERVATIONS
    assert is_synthetic(load_observations(EXAMPLE_PATH))


def test_status_says_synthetic_on_its_first_line(capsys):
    assert main(["status", "--paths", "200"]) == 0
    first = capsys.readouterr().out.splitlines()[0]
    assert first.startswith("SYNTHETIC EXAMPLE — not the district's record")


def test_status_on_real_data_has_no_banner(capsys):
    assert main(["status", "--data", str(config.OBSERVATIONS), "--unit", "dak-lak"]) == 0
    assert "SYNTHETIC" not in capsys.readouterr().out
