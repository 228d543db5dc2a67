"""Derived indicators fill gaps only, from complete parts, and never overwrite a report."""

from __future__ import annotations

import pandas as pd
import pytest

from ktt.errors import KttError
from ktt.inputs.indicators import derive, missing_parts, series


def obs(rows):
    return pd.DataFrame(rows, columns=["unit", "year", "indicator", "value", "source", "quote"])


def test_orgs_new_only_where_both_parts_known():
    frame = derive(obs([
        ("kb", 2021, "htx_new", 2, "a", "q"), ("kb", 2021, "tht_new", 3, "b", "q"),
        ("kb", 2022, "htx_new", 4, "a", "q"),
    ]))
    got = series(frame, "kb", "orgs_new")
    assert got.to_dict() == {2021: 5.0}
    row = frame[frame["indicator"] == "orgs_new"].iloc[0]
    assert (row["source"], row["quote"], bool(row["derived"])) == (
        "a+b", "derived: htx_new + tht_new", True)


def test_reported_figure_is_kept():
    frame = derive(obs([
        ("kb", 2021, "htx_new", 2, "a", "q"), ("kb", 2021, "tht_new", 3, "a", "q"),
        ("kb", 2021, "orgs_new", 7, "r", "q"),
    ]))
    assert series(frame, "kb", "orgs_new").to_dict() == {2021: 7.0}


def test_profitable_share_from_counts():
    frame = derive(obs([
        ("kb", 2021, "htx_active", 15, "a", "q"), ("kb", 2021, "tht_active", 5, "a", "q"),
        ("kb", 2021, "orgs_profitable", 13, "a", "q"),
    ]))
    assert series(frame, "kb", "profitable_share").to_dict() == {2021: pytest.approx(0.65)}


def test_share_not_derived_without_all_denominator_parts():
    frame = derive(obs([("kb", 2021, "htx_active", 15, "a", "q"),
                        ("kb", 2021, "orgs_profitable", 13, "a", "q")]))
    assert series(frame, "kb", "profitable_share").empty


def test_derive_twice_changes_nothing():
    once = derive(obs([("kb", 2021, "htx_new", 2, "a", "q"),
                       ("kb", 2021, "tht_new", 3, "a", "q")]))
    pd.testing.assert_frame_equal(derive(once), once)


def test_missing_parts_names_the_part_never_reported():
    frame = derive(obs([
        ("kb", 2021, "htx_new", 2, "a", "q"), ("kb", 2022, "htx_new", 4, "a", "q"),
        ("kb", 2021, "orgs_profitable", 5, "a", "q"), ("kb", 2021, "htx_active", 9, "a", "q"),
        ("ka", 2021, "htx_new", 1, "a", "q"), ("ka", 2021, "tht_new", 0, "a", "q"),
    ]))
    assert missing_parts(frame, "kb", "orgs_new") == ["tht_new"]
    assert missing_parts(frame, "kb", "profitable_share") == ["tht_active"]
    assert missing_parts(frame, "ka", "orgs_new") == []  # derived: nothing lacking
    assert missing_parts(frame, "kb", "household_share") == []  # no part begun
    assert missing_parts(frame, "kb", "htx_new") == []  # reported, not derived


def test_floors_are_the_known_parts_of_a_sum_without_a_figure_by_year_in_order():
    from ktt.inputs.indicators import floors

    # rows out of year order, as a form filled by hand or a synthetic record can give them
    rows = [("kb", 2024, "htx_new", 2.0), ("kb", 2024, "tht_new", 1.0),
            ("kb", 2022, "tht_new", 3.0), ("kb", 2021, "htx_new", 5.0),
            ("kb", 2023, "htx_new", 6.0), ("kb", 2023, "tht_new", 0.0)]
    frame = derive(pd.DataFrame([(u, y, i, v, "s", "q") for u, y, i, v in rows],
                                columns=["unit", "year", "indicator", "value", "source", "quote"]))
    least = floors(frame, "kb", "orgs_new")
    assert least.to_dict() == {2021: 5.0, 2022: 3.0}  # 2023 and 2024 have their sum
    assert least.index.is_monotonic_increasing
    assert floors(frame, "kb", "htx_new").empty  # not a sum


def test_a_misspelt_indicator_is_refused_rather_than_read_as_no_figure():
    frame = pd.DataFrame({"unit": ["u"], "year": [2020], "indicator": ["htx_new"],
                          "value": [3.0]})
    assert series(frame, "u", "htx_new").tolist() == [3.0]
    with pytest.raises(KttError, match="unknown indicator 'htx_nwe'; did you mean 'htx_new'"):
        series(frame, "u", "htx_nwe")


def test_series_of_a_path_names_the_call_that_loads_it():
    # it had failed on "string indices must be integers"
    with pytest.raises(KttError) as info:
        series("data/figures.csv", "krong-bong", "orgs_new")
    assert str(info.value) == ("observations is the path 'data/figures.csv', not a loaded "
                               "record: pass ktt.load_observations('data/figures.csv')")
