"""The province's and the country's published figures beside the district's own."""

from __future__ import annotations

import re
from dataclasses import replace

import pandas as pd

import ktt.report.forecast as kr
from ktt import config
from ktt.forecasting.forecast import load_units
from ktt.inputs.data import load_observations
from ktt.inputs.example import EXAMPLE_PATH
from ktt.inputs.indicators import series
from ktt.report.comparison import COMPARED, ancestors, beside, comparison_chart


def test_ancestors_go_up_to_the_country_and_stop_on_a_loop():
    assert ancestors("krong-bong", load_units()) == ["dak-lak", "vietnam"]
    looped = pd.DataFrame({"unit": ["a", "b"], "parent": ["b", "a"]})
    assert ancestors("a", looped) == ["b", "a"]
    assert ancestors("nowhere", load_units()) == []


def test_published_figures_keep_their_source_and_only_comparable_indicators():
    record = load_observations(config.OBSERVATIONS)
    example = load_observations(EXAMPLE_PATH)
    table = beside(example, "krong-bong", record, load_units())
    published = table[table["unit"] != "krong-bong"]
    assert set(table["indicator"]) <= set(COMPARED)
    assert "htx_registered" not in set(table["indicator"])  # stocks are not comparable
    expected = record[record["unit"].isin(["dak-lak", "vietnam"])
                      & record["indicator"].isin(COMPARED)]
    assert len(published) == len(expected) > 0
    row = published[(published["unit"] == "dak-lak") & (published["indicator"] == "htx_new")]
    assert row[["year", "value", "source"]].to_numpy().tolist() == [[2023, 116.0,
                                                                 "baodaklak-2024-01"]]
    assert list(table["unit"].drop_duplicates()) == ["krong-bong", "dak-lak", "vietnam"]


def test_unit_outside_the_units_table_has_nothing_beside_it():
    record = load_observations(config.OBSERVATIONS)
    example = load_observations(EXAMPLE_PATH).assign(unit="elsewhere")
    assert beside(example, "elsewhere", record, load_units()).empty


def test_every_published_point_is_labelled_with_its_sources_number():
    record = load_observations(config.OBSERVATIONS)
    table = beside(load_observations(EXAMPLE_PATH), "krong-bong", record, load_units())
    fig = comparison_chart(table, "krong-bong", "Krông Bông (synthetic example)", "en")
    labels = sorted(t.get_text() for ax in fig.axes for t in ax.texts)
    published = table.loc[table["unit"] != "krong-bong", "source"]
    # numbered as the sorted ids of the table, the synthetic example's own among them
    ids = sorted(set(table["source"]))
    assert labels == sorted(f"[{ids.index(s) + 1}]" for s in published)
    # a report's list numbers them its own way
    renumbered = comparison_chart(table, "krong-bong", "Krông Bông", "en",
                                  numbers={s: 40 + i for i, s in enumerate(ids)})
    assert {t.get_text() for ax in renumbered.axes for t in ax.texts} == {
        f"[{40 + ids.index(s)}]" for s in published}
    legend = {t.get_text() for ax in fig.axes for t in ax.get_legend().get_texts()}
    assert "Krông Bông (synthetic example)" in legend


def test_report_puts_the_districts_figure_beside_each_published_one():
    ctx = kr.prepare(lang="en", n_paths=200)
    table = kr.published_table(ctx).set_index(["Unit", "Indicator", "Year"])
    row = table.loc[("Đắk Lắk province", "New HTX per year", 2023)]
    own = series(load_observations(EXAMPLE_PATH), "krong-bong", "htx_new")[2023]
    assert row["Value"] == "116"
    assert row["The unit's figure, same year"] == f"{own:.0f}"
    assert re.fullmatch(r"\[\d+\] baodaklak-2024-01", row["Source"])  # the list's number


def test_units_are_named_in_the_reports_language():
    record = load_observations(config.OBSERVATIONS)
    example = load_observations(EXAMPLE_PATH)

    def names(units, lang):
        table = beside(example, "krong-bong", record, units, lang)
        return dict(zip(table["unit"], table["name"], strict=True))

    assert names(load_units(), "vi") == {"krong-bong": "Huyện Krông Bông",
                                         "dak-lak": "Tỉnh Đắk Lắk", "vietnam": "Việt Nam"}
    assert names(load_units(), "en") == {"krong-bong": "Krông Bông district",
                                         "dak-lak": "Đắk Lắk province", "vietnam": "Vietnam"}
    # a units table of the user's own without English names keeps its own
    own = load_units().drop(columns="name_en")
    assert names(own, "en")["dak-lak"] == "Tỉnh Đắk Lắk"


def test_the_section_says_what_its_numbers_are_only_where_it_has_some():
    beside_record = kr.prepare(lang="en", n_paths=200)
    assert "A number in brackets, such as [3]" in kr.beside_heading(beside_record).data
    # its counts are drawn on a log scale, which the section explains to a lay reader
    assert "on a log scale: each mark 1, 10, 100" in kr.beside_heading(beside_record).data
    shares = replace(beside_record, published=beside_record.published.query(
        "indicator.str.endswith('_share')"))
    assert not shares.published.empty
    assert "log scale" not in kr.beside_heading(shares).data
    # the country's plan: nothing above it is published, so no number is cited
    country = kr.prepare(lang="en", n_paths=200, plan="vietnam-340")
    assert country.published.empty
    assert kr.beside_heading(country).data == (
        "## Beside the published figures of the province and the country")
