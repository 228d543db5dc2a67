"""The data shipped in data/ is valid and every figure is traceable to a source and a quote."""

from __future__ import annotations

from ktt import config
from ktt.inputs.catalog import kind_of
from ktt.inputs.data import check_observations, load_alternatives, load_observations, load_sources


def test_every_figure_has_a_known_source_and_a_quote():
    frame = load_observations(config.OBSERVATIONS)
    sources = load_sources(config.DATA / "sources.csv")
    assert frame["quote"].str.len().gt(10).all()
    assert set(frame["source"]) <= set(sources.index)


def test_every_source_is_used_and_has_an_address_and_a_rank():
    """A page the search tool did not find keeps the address the reading notes give, and says
    so in its notes, not in the address, which a report makes a link."""
    frame, _ = check_observations(config.OBSERVATIONS)
    sources = load_sources(config.DATA / "sources.csv")
    assert set(sources.index) == set(frame["source"])
    assert sources["address"].str.fullmatch(r"https?://\S+").all(), list(sources["address"])
    unchecked = sources["note"].str.contains("not found again")
    assert unchecked.any()
    assert sources.loc[unchecked, "note_vi"].str.contains("chưa tìm lại được").all()
    assert sources["rank"].notna().all()


def test_a_source_s_date_is_a_date_and_its_notes_come_in_both_languages():
    # "undated (reports on 2020)" in the date column, and notes in English in the titles,
    # reached Vietnamese reports as they were written
    sources = load_sources(config.DATA / "sources.csv")
    dates = sources["date"].fillna("")
    assert dates.str.fullmatch(r"(\d{4}(-\d{2}){0,2})?").all(), list(dates)
    assert ((sources["note"] == "") == (sources["note_vi"] == "")).all()


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


def _written_forms(value: float, code: str) -> set[str]:
    """The ways a page writes a figure: a count with a Vietnamese (21.034) or an English
    (21,034) thousands separator or none, in thousands ("5.935 nghìn", "15,3 nghìn") or in
    millions ("6.1 million", "6,1 triệu"); a share as a percentage ("78.1%", "45 percent")."""
    if kind_of(code) == "share":
        number = f"{value * 100:g}"
        return {f"{number}%", f"{number} percent", f"{number.replace('.', ',')}%"}
    whole = int(value)
    forms = {str(whole), f"{whole:,}", f"{whole:,}".replace(",", ".")}
    for scale, words in ((1000, ("nghìn", "thousand")), (1_000_000, ("triệu", "million"))):
        if whole % (scale // 10) == 0 and whole >= scale:
            english = f"{whole / scale:,.1f}".removesuffix(".0")
            vietnamese = english.replace(",", " ").replace(".", ",").replace(" ", ".")
            forms |= {f"{english} {words[1]}", f"{vietnamese} {words[0]}"}
    return forms


def test_every_figure_is_written_in_its_quote():
    """The quote is the phrase that states the figure: a value mistyped, or a quote copied from
    the row above, fails here."""
    frame, _ = check_observations(config.OBSERVATIONS)
    for row in frame.itertuples():
        forms = _written_forms(row.value, row.indicator)
        assert any(form in row.quote for form in forms), (row.unit, row.year, row.indicator,
                                                          row.value, sorted(forms))


def test_the_national_members_are_the_ministrys_count():
    """Members of HTX are kept on one counter's series (data/README.md, "Caution"): the
    Alliance's 7.2 million of 2019 and the 8.1 million of 2020 (HTX, unions and THT together)
    stay out, and the ministry's 6.1 million of 2020 is the base the 2025 and 2030 targets are
    measured from."""
    frame, _ = check_observations(config.OBSERVATIONS)
    ranks = load_sources(config.DATA / "sources.csv")["rank"]
    members = frame[(frame["unit"] == "vietnam") & (frame["indicator"] == "htx_members")]
    assert (members["source"].map(ranks) == 1).all()
    assert members.set_index("year")["value"].to_dict() == {2020: 6_100_000, 2022: 5_935_000}
