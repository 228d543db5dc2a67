"""The data shipped in data/ is valid and every figure is traceable to a source and a quote."""

from __future__ import annotations

from ktt import config
from ktt.data import load_observations, load_sources


def test_every_figure_has_a_known_source_and_a_quote():
    frame = load_observations(config.OBSERVATIONS)
    sources = load_sources(config.DATA / "sources.csv")
    assert frame["quote"].str.len().gt(10).all()
    assert set(frame["source"]) <= set(sources.index)


def test_every_source_is_used_and_has_an_address():
    frame = load_observations(config.OBSERVATIONS)
    sources = load_sources(config.DATA / "sources.csv")
    assert set(sources.index) == set(frame["source"])
    assert sources["address"].str.startswith("http").all()


def test_no_synthetic_figure_in_the_record():
    frame = load_observations(config.OBSERVATIONS)
    assert not frame["source"].str.contains("synthetic").any()
