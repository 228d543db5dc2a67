"""The data shipped in data/ is valid and every figure is traceable to a source and a quote."""

from __future__ import annotations

from ktt import config
from ktt.inputs.data import check_observations, load_alternatives, load_observations, load_sources


def test_every_figure_has_a_known_source_and_a_quote():
    frame = load_observations(config.OBSERVATIONS)
    sources = load_sources(config.DATA / "sources.csv")
    assert frame["quote"].str.len().gt(10).all()
    assert set(frame["source"]) <= set(sources.index)


def test_every_source_is_used_and_has_an_address_and_a_rank():
    """A page the search tool did not find keeps the site the reading notes give, and says
    so."""
    frame, _ = check_observations(config.OBSERVATIONS)
    sources = load_sources(config.DATA / "sources.csv")
    assert set(sources.index) == set(frame["source"])
    found = sources["address"].str.startswith("http")
    assert sources.loc[~found, "address"].str.contains("not found by the search tool").all()
    assert sources["rank"].notna().all()


def test_disagreeing_publishers_are_kept_and_the_ministry_preferred():
    kept = load_observations(config.OBSERVATIONS).set_index(["unit", "year", "indicator"])
    assert kept.loc[("vietnam", 2024, "htx_registered"), "value"] == 33335
    assert kept.loc[("dak-lak", 2023, "htx_registered"), "value"] == 783
    others = load_alternatives(config.OBSERVATIONS).set_index(["unit", "year", "indicator"])
    assert others.loc[("vietnam", 2024, "htx_registered"), "value"] == 33557
    assert others.loc[("vietnam", 2024, "htx_registered"), "kept_source"] == "nongnghiep-2024-12"
    assert others.loc[("dak-lak", 2023, "htx_registered"), "value"] == 746


def test_no_synthetic_figure_in_the_record():
    frame = load_observations(config.OBSERVATIONS)
    assert not frame["source"].str.contains("synthetic").any()
