"""Every rule of the observations validator, each with the message it gives."""

from __future__ import annotations

import pytest

from ktt.errors import DataError
from ktt.inputs.data import (
    check_observations,
    load_alternatives,
    load_observations,
    load_sources,
    spikes,
    summarize,
)


def problems_of(path):
    return check_observations(path)[1]


def test_good_file_loads_with_types(write_csv):
    path = write_csv("krong-bong,2021,htx_new,3,s1,q\nkrong-bong,2021,profitable_share,0.5,s1,q\n")
    frame = load_observations(path)
    assert list(frame.columns) == ["unit", "year", "indicator", "value", "source", "quote"]
    assert frame["year"].tolist() == [2021, 2021]
    assert frame.set_index("indicator")["value"].to_dict() == {"htx_new": 3.0,
                                                              "profitable_share": 0.5}


def test_blank_value_is_a_missing_figure_not_zero(write_csv):
    path = write_csv("krong-bong,2021,htx_new,,,\nkrong-bong,2022,htx_new,4,s1,q\n")
    frame = load_observations(path)
    assert frame["year"].tolist() == [2022]


def test_spreadsheet_bom_and_crlf_are_valid(write_csv):
    body = "krong-bong,2021,htx_new,3,s1,q\r\n"
    path = write_csv(body, header="\ufeffunit,year,indicator,value,source,quote\r\n")
    assert load_observations(path)["value"].tolist() == [3.0]


def test_missing_file(tmp_path):
    with pytest.raises(DataError, match=r"nope\.csv: no such file; check the path"):
        load_observations(tmp_path / "nope.csv")


def test_folder(tmp_path):
    with pytest.raises(DataError, match="is a folder, not a CSV file"):
        load_observations(tmp_path)


def test_empty_file(write_csv):
    path = write_csv("", header="")
    with pytest.raises(DataError, match="the file is empty; it needs the header line unit,year"):
        load_observations(path)


def test_utf16_is_named_as_a_spreadsheets_unicode_text(write_csv):
    path = write_csv("krông-bông,2021,htx_new,3,s1,q\n", encoding="utf-16")
    with pytest.raises(DataError) as caught:
        load_observations(path)
    assert caught.value.problems == [f"{path}: UTF-16 text (a spreadsheet's 'Unicode Text', "
                                     "columns separated by tabs); save it as 'CSV UTF-8' in "
                                     "your spreadsheet"]


def test_not_utf8_names_the_line(write_csv):
    # Excel's plain "CSV" in a Vietnamese locale saves Windows-1258
    path = write_csv("krong-bong,2021,htx_new,3,s1,q\nkrong-bong,2022,htx_new,2,s1,Krông Bông\n",
                     encoding="cp1258")
    with pytest.raises(DataError) as caught:
        load_observations(path)
    assert caught.value.problems == [f"{path}:3: not UTF-8 text (byte 101); save it as "
                                     "'CSV UTF-8' in your spreadsheet"]


def test_a_quote_left_open_is_refused_not_read_over_the_rows_after_it(write_csv):
    # csv reads on to the next double quote: lines 3 and 4 became the text of line 2's quote,
    # and the file was valid with two figures fewer
    path = write_csv('krong-bong,2021,htx_new,3,s1,"the report says\n'
                     "krong-bong,2022,htx_new,2,s1,q\n"
                     'krong-bong,2023,htx_new,4,s1,"a quote"\n'
                     "krong-bong,2024,htx_new,5,s1,q\n")
    assert problems_of(path) == [
        f"{path}:2: column 'quote': a double quote opens a text that does not close on this "
        "line, and lines 3-4 were read into it; close it (write \"\" for a quote mark inside "
        "the text) or remove it, and keep each row on one line"]


def test_a_quote_left_open_over_one_line_names_that_line(write_csv):
    # the quote closes on the next line's own quoted text: one line swallowed, named once
    path = write_csv('krong-bong,2021,htx_new,3,s1,"the report says\n'
                     'krong-bong,2022,htx_new,2,s1,"a quote"\n')
    assert problems_of(path) == [
        f"{path}:2: column 'quote': a double quote opens a text that does not close on this "
        "line, and line 3 was read into it; close it (write \"\" for a quote mark inside the "
        "text) or remove it, and keep each row on one line"]


def test_a_quote_left_open_on_the_last_line_is_refused(write_csv):
    path = write_csv('krong-bong,2021,htx_new,3,s1,q\nkrong-bong,2022,htx_new,2,s1,"q\n')
    assert problems_of(path) == [
        f"{path}:3: column 'quote': a double quote opens a text that does not close on this "
        "line; close it (write \"\" for a quote mark inside the text) or remove it, and keep "
        "each row on one line"]


def test_a_header_line_in_the_middle_is_named_once(write_csv):
    # two forms joined whole: the second's header, with its byte-order mark, among the rows
    path = write_csv("krong-bong,2021,htx_new,3,s1,q\n"
                     "\ufeffunit,year,indicator,value,source,quote\n"
                     "xa-cu-pui,2026,htx_new,2,s1,q\n")
    assert problems_of(path) == [f"{path}:3: the header line again (another file's rows added "
                                 "with their header?); delete this line"]


def test_a_second_byte_order_mark_does_not_hide_the_first_column(write_csv):
    path = write_csv("krong-bong,2021,htx_new,3,s1,q\n",
                     header="\ufeff\ufeffunit,year,indicator,value,source,quote\n")
    assert load_observations(path)["unit"].tolist() == ["krong-bong"]


@pytest.mark.parametrize(("sep", "name"), [(";", "semicolons"), ("\t", "tabs")])
def test_other_delimiter(write_csv, sep, name):
    header = sep.join(["unit", "year", "indicator", "value", "source", "quote"]) + "\n"
    path = write_csv(f"krong-bong{sep}2021{sep}htx_new{sep}3{sep}s1{sep}q\n", header=header)
    message = f":1: columns are separated by {name}; save it with commas"
    with pytest.raises(DataError, match=message):
        load_observations(path)


def test_missing_column(write_csv):
    path = write_csv("krong-bong,2021,htx_new,3,s1\n", header="unit,year,indicator,value,source\n")
    with pytest.raises(DataError, match=r":1: missing column\(s\) quote; the header must name"):
        load_observations(path)


def test_a_year_saved_with_decimals_names_the_year_to_write(write_csv):
    path = write_csv("krong-bong,2019.0,htx_new,3,s1,q\n")
    assert problems_of(path) == [f"{path}:2: column 'year': '2019.0' is not a year; write 2019, "
                                 "without decimals"]


def test_year_not_a_number(write_csv):
    (problem,) = problems_of(write_csv("krong-bong,twenty,htx_new,3,s1,q\n"))
    assert problem.endswith(":2: column 'year': 'twenty' is not a year; write four digits "
                            "such as 2023")


def test_value_not_a_number(write_csv):
    (problem,) = problems_of(write_csv("krong-bong,2021,htx_new,3 HTX,s1,q\n"))
    assert "column 'value': '3 HTX' is not a number; write digits only" in problem


def test_negative_count(write_csv):
    (problem,) = problems_of(write_csv("krong-bong,2021,htx_new,-1,s1,q\n"))
    assert "column 'value': -1 is negative; a count of htx_new is 0 or more" in problem


def test_fractional_count(write_csv):
    (problem,) = problems_of(write_csv("krong-bong,2021,htx_new,2.5,s1,q\n"))
    assert "column 'value': 2.5 is fractional; a count of htx_new is a whole number" in problem


def test_share_above_one_hints_percentage(write_csv):
    (problem,) = problems_of(write_csv("krong-bong,2021,profitable_share,62,s1,q\n"))
    assert problem.endswith("column 'value': 62 is outside [0, 1]; profitable_share is a share, "
                            "a fraction; write 0.62 for 62 %, or a count in its own row")


def test_negative_share_has_no_percentage_hint(write_csv):
    (problem,) = problems_of(write_csv("krong-bong,2021,profitable_share,-0.1,s1,q\n"))
    assert problem.endswith("is outside [0, 1]; profitable_share is a share, a fraction")


def test_decimal_comma_quoted(write_csv):
    (problem,) = problems_of(write_csv('krong-bong,2021,profitable_share,"0,45",s1,q\n'))
    assert "'0,45' has a decimal comma; write 0.45" in problem


@pytest.mark.parametrize(("written", "wanted"), [
    ("21.034", "21034"), ('"21,034"', "21034"), ("1.000", "1000"), ("1.234.567", "1234567"),
    ('"1,234,567"', "1234567")])
@pytest.mark.parametrize("code", ["htx_new", "htx_registered"])  # a count and a stock
def test_a_thousands_separator_in_a_count_names_the_figure_to_write(write_csv, written, wanted,
                                                                     code):
    (problem,) = problems_of(write_csv(f"krong-bong,2021,{code},{written},s1,q\n"))
    text = written.strip('"')
    sep = "." if "." in text else ","
    assert problem.endswith(f":2: column 'value': '{text}' has a thousands separator "
                            f"('{sep}'); write {wanted}, digits only")


def test_an_unquoted_thousands_separator_that_splits_the_row(write_csv):
    (problem,) = problems_of(write_csv("krong-bong,2021,htx_new,21,034,s1,q\n"))
    assert problem.endswith(":2: column 'value': '21,034' has a thousands separator (','), "
                            "which splits the row; write 21034, digits only")


def test_a_header_in_capitals_is_named_as_such(write_csv):
    path = write_csv("krong-bong,2021,htx_new,3,s1,q\n",
                     header="Unit,Year,indicator,value,source,quote\n")
    with pytest.raises(DataError) as info:
        load_observations(path)
    assert str(info.value) == (
        f"{path}:1: missing column(s) unit, year; the header must name unit, year, indicator, "
        "value, source, quote (unit, year are there with capitals or spaces: write the header "
        "in lower case)")


def test_a_percentage_in_a_share_names_the_fraction_to_write(write_csv):
    (problem,) = problems_of(write_csv("krong-bong,2021,profitable_share,62%,s1,q\n"))
    assert problem.endswith(":2: column 'value': '62%' is a percentage; write the share as a "
                            "fraction, 0.62 for 62%")
    (problem,) = problems_of(write_csv("krong-bong,2021,htx_new,5%,s1,q\n"))
    assert problem.endswith("'5%' is not a number; write digits only, without units or spaces")


def test_a_share_with_a_decimal_comma_keeps_its_own_message(write_csv):
    (problem,) = problems_of(write_csv('krong-bong,2021,profitable_share,"0,034",s1,q\n'))
    assert problem.endswith(":2: column 'value': '0,034' has a decimal comma; write 0.034 "
                            "(a dot before the decimals)")
    (problem,) = problems_of(write_csv("krong-bong,2021,profitable_share,0.034,s1,q\n"
                                       "krong-bong,2021,htx_new,2.5,s1,q\n"))
    assert "2.5 is fractional" in problem  # 0.034 is a share, not a thousands separator


def test_decimal_comma_unquoted_splits_the_row(write_csv):
    (problem,) = problems_of(write_csv("krong-bong,2021,profitable_share,0,45,s1,q\n"))
    assert ":2: 7 fields where the header has 6; a decimal comma (write 0.45, not 0,45)" in problem


def test_unknown_indicator(write_csv):
    (problem,) = problems_of(write_csv("krong-bong,2021,htx_founded,3,s1,q\n"))
    assert ("column 'indicator': unknown code 'htx_founded'; did you mean 'htx_new'? use one of "
            "htx_new, tht_new") in problem


def test_unknown_indicator_like_no_code_gets_no_guess(write_csv):
    (problem,) = problems_of(write_csv("krong-bong,2021,xyz,3,s1,q\n"))
    assert "unknown code 'xyz'; use one of htx_new, tht_new" in problem


def test_misspelt_share_code_is_told_the_code_it_resembles(write_csv):
    (problem,) = problems_of(write_csv("krong-bong,2021,orgs_profitable_share,0.6,s1,q\n"))
    assert "did you mean 'profitable_share' or 'orgs_profitable'?" in problem
    (problem,) = problems_of(write_csv("krong-bong,2021,HTX_dissolved,2,s1,q\n"))
    assert "did you mean 'htx_dissolved'? use one of" in problem


def test_an_empty_unit_is_said_to_be_empty(write_csv):
    (problem,) = problems_of(write_csv(",2021,htx_new,3,s1,q\n"))
    assert problem.endswith("column 'unit': empty; give the unit's id, like krong-bong "
                            "(data/units.csv lists them)")


@pytest.mark.parametrize(("unit", "wanted"), [
    ("Krong Bong", "krong-bong"), ("krông-bông", "krong-bong"), ("krong_bong", "krong-bong"),
    ("Xã Cư Pui", "xa-cu-pui"), ("xã-hòa-sơn", "xa-hoa-son"), ("Đắk Lắk", "dak-lak"),
    # a unit written by its name in data/units.csv gets its id there, not the name's slug
    ("Huyện Krông Bông", "krong-bong"), ("Tỉnh Đắk Lắk", "dak-lak")])
def test_unit_not_a_slug_names_the_id_to_write(write_csv, unit, wanted):
    (problem,) = problems_of(write_csv(f"{unit},2021,htx_new,3,s1,q\n"))
    assert problem.endswith(f"column 'unit': '{unit}' is not a lowercase slug; write {wanted} "
                            "(a-z, 0-9 and hyphens, without diacritics)")


def test_duplicate_key(write_csv):
    path = write_csv("krong-bong,2021,htx_new,3,s1,q\nkrong-bong,2021,htx_new,4,s1,q\n")
    (problem,) = problems_of(path)
    assert problem.endswith(":3: krong-bong 2021 htx_new from source 's1' appears again (first "
                            "at line 2); keep one row per unit, year, indicator and source")


RANKED = ("id,title,publisher,date,address,rank\n"
          "mpi,Report,Planning ministry,2025,https://example.org/mpi,1\n"
          "vca,Report,Cooperative Alliance,2025,https://example.org/vca,2\n"
          "press,Article,A paper,2025,https://example.org/press,\n")
DISAGREE = ("vietnam,2024,htx_registered,33557,vca,Ước đến ngày 31/12/2024 ... 33.557\n"
            "vietnam,2024,htx_registered,33335,mpi,cả nước có 33.335 HTX\n")


def test_disagreeing_publishers_both_kept_and_the_better_ranked_chosen(write_csv):
    path = write_csv(DISAGREE, sources=RANKED)
    frame = load_observations(path)
    assert frame[["value", "source"]].to_numpy().tolist() == [[33335.0, "mpi"]]
    others = load_alternatives(path)
    assert others.drop(columns="quote").to_dict(orient="records") == [
        {"unit": "vietnam", "year": 2024, "indicator": "htx_registered", "value": 33557.0,
         "source": "vca", "kept_value": 33335.0, "kept_source": "mpi"}]


def test_the_choice_does_not_depend_on_the_order_of_rows(write_csv):
    first, second = DISAGREE.splitlines(keepends=True)
    swapped = load_observations(write_csv(second + first, sources=RANKED))
    assert swapped["source"].tolist() == ["mpi"]


def test_an_unranked_source_comes_after_a_ranked_one(write_csv):
    body = ("vietnam,2022,tht_registered,71000,press,q\n"
            "vietnam,2022,tht_registered,70000,vca,q\n")
    assert load_observations(write_csv(body, sources=RANKED))["source"].tolist() == ["vca"]


def test_equal_ranks_that_disagree_are_a_problem(write_csv):
    sources = RANKED.replace("vca,Report,Cooperative Alliance,2025,https://example.org/vca,2",
                             "vca,Report,Cooperative Alliance,2025,https://example.org/vca,1")
    (problem,) = problems_of(write_csv(DISAGREE, sources=sources))
    assert problem.endswith(
        ":2: vietnam 2024 htx_registered is 33557 from source 'vca' but 33335 from 'mpi' "
        "(line 3), ranked equally; give the preferred source a lower rank in the 'rank' column "
        "of sources.csv (1 first)")


def test_disagreement_without_sources_file_asks_for_ranks(write_csv):
    (problem,) = problems_of(write_csv(DISAGREE, sources=None))
    assert problem.endswith("ranked equally; put a sources.csv with a 'rank' column (1 first) "
                            "beside the file")


def test_publishers_that_agree_need_no_rank(write_csv):
    body = "vietnam,2022,htx_registered,29378,press,q\nvietnam,2022,htx_registered,29378,vca,q\n"
    path = write_csv(body, sources=RANKED.replace(",2\n", ",\n"))
    assert load_observations(path)["source"].tolist() == ["press"]


def test_rank_must_be_a_whole_number(write_csv):
    path = write_csv(DISAGREE, sources=RANKED.replace(",2\n", ",first\n"))
    with pytest.raises(DataError, match=r":3: column 'rank': 'first' is not a whole number from "
                                        "1; write 1 for the preferred source"):
        load_sources(path.parent / "sources.csv")


def test_a_remark_after_a_web_address_is_refused_as_it_would_break_the_link(write_csv):
    remark = "https://example.org/vca (not found again)"
    path = write_csv(DISAGREE, sources=RANKED.replace("https://example.org/vca", remark))
    with pytest.raises(DataError) as error:
        load_sources(path.parent / "sources.csv")
    assert str(error.value).endswith(
        f":3: column 'address': '{remark}' holds more than the web address; give the address "
        "alone and put the remark in the 'note' column")
    # an address that is no web address (a paper kept by the district) may read as words
    load_sources(write_csv(DISAGREE, sources=RANKED.replace(
        "https://example.org/vca", "Lưu trữ UBND huyện")).parent / "sources.csv")


def test_source_not_in_sources(write_csv):
    (problem,) = problems_of(write_csv("krong-bong,2021,htx_new,3,s9,q\n"))
    assert "column 'source': 's9' is not an id in sources.csv; add a row for it there" in problem


def test_a_source_id_sources_csv_lacks_is_one_problem_however_many_rows_cite_it(write_csv):
    # a form whose sources were never entered: one line a row, 550 for 5 ids
    body = "".join(f"krong-bong,{y},htx_new,3,s9,q\nkrong-bong,{y},tht_new,1,s8,q\n"
                   for y in range(2015, 2025))
    path = write_csv(body)
    assert problems_of(path) == [
        f"{path}:2: column 'source': 's9' is not an id in sources.csv (and 9 more rows, to "
        "line 20); add a row for it there",
        f"{path}:3: column 'source': 's8' is not an id in sources.csv (and 9 more rows, to "
        "line 21); add a row for it there"]


def test_value_without_source(write_csv):
    (problem,) = problems_of(write_csv("krong-bong,2021,htx_new,3,,q\n"))
    assert "column 'source': empty; every figure needs the id of its source" in problem


def test_profitable_above_active(write_csv):
    body = ("krong-bong,2021,htx_active,10,s1,q\nkrong-bong,2021,tht_active,5,s1,q\n"
            "krong-bong,2021,orgs_profitable,16,s1,q\n")
    (problem,) = problems_of(write_csv(body))
    assert problem.endswith(":4: column 'value': orgs_profitable 16 is above htx_active + "
                            "tht_active = 15 for krong-bong 2021; check both figures")


def test_a_reported_share_its_counts_do_not_give_is_named(write_csv):
    body = ("krong-bong,2021,htx_active,10,s1,q\nkrong-bong,2021,tht_active,5,s1,q\n"
            "krong-bong,2021,orgs_profitable,9,s1,q\n"
            "krong-bong,2021,profitable_share,0.95,s1,q\n"
            # a share published as a whole percentage of its counts' 0.6 is no problem
            "krong-bong,2022,htx_active,10,s1,q\nkrong-bong,2022,tht_active,5,s1,q\n"
            "krong-bong,2022,orgs_profitable,9,s1,q\n"
            "krong-bong,2022,profitable_share,0.6,s1,q\n")
    (problem,) = problems_of(write_csv(body))
    assert problem.endswith(":5: column 'value': profitable_share 0.95 for krong-bong 2021 is "
                            "not orgs_profitable / (htx_active + tht_active) = 0.600 from the "
                            "same file; check the figures, or leave the share out (ktt derives "
                            "it from the counts)")


def test_members_above_farm_households(write_csv):
    body = ("krong-bong,2021,farm_households,100,s1,q\n"
            "krong-bong,2021,member_households,101,s1,q\n")
    (problem,) = problems_of(write_csv(body))
    assert "member_households 101 is above farm_households = 100" in problem


def test_all_problems_collected_in_one_pass(write_csv):
    body = ("krong-bong,20x1,htx_new,3,s1,q\nkrong-bong,2021,htx_new,-2,s1,q\n"
            "KB,2021,htx_new,1,s1,q\n")
    assert len(problems_of(write_csv(body))) == 3


def test_sources_duplicate_id(write_csv):
    sources = "id,title,publisher,date,address\ns1,a,b,c,d\ns1,e,f,g,h\n"
    path = write_csv("krong-bong,2021,htx_new,3,s1,q\n", sources=sources)
    with pytest.raises(DataError, match="source id 's1' repeats line 2; ids must be unique"):
        load_sources(path.parent / "sources.csv")


def test_a_source_id_with_a_plus_is_refused(write_csv):
    # a report splits 'a+b' into the sources of a sum: its list named 'a' and 'b' as sources no
    # sources.csv names, and its figures cited them as [1, 2]
    sources = "id,title,publisher,date,address\nubnd+so,a,b,c,d\n"
    path = write_csv("krong-bong,2021,htx_new,3,ubnd+so,q\n", sources=sources)
    with pytest.raises(DataError, match=":2: source id 'ubnd\\+so' holds a '\\+', which joins "
                                        "the sources of a sum of figures; write it with a hyphen "
                                        "instead"):
        load_sources(path.parent / "sources.csv")


def test_without_sources_file_ids_are_not_checked(write_csv):
    path = write_csv("krong-bong,2021,htx_new,3,any-id,q\n", sources=None)
    assert load_observations(path)["source"].tolist() == ["any-id"]


def test_summarize_lists_gaps(write_csv):
    body = "".join(f"krong-bong,{y},htx_new,3,s1,q\n" for y in (2018, 2019, 2022))
    table = summarize(load_observations(write_csv(body)))
    assert table.iloc[0].to_dict() == {"unit": "krong-bong", "indicator": "htx_new", "figures": 3,
                                       "first": 2018, "last": 2022, "gaps": "2020, 2021"}


def test_a_year_after_the_current_one_is_refused_where_the_commands_ask(write_csv):
    path = write_csv("krong-bong,2024,htx_new,3,s1,q\nkrong-bong,2042,htx_new,4,s1,q\n")
    assert problems_of(path) == []  # the library forecasts hypothetical records too
    assert check_observations(path, this_year=2026)[1] == [
        f"{path}:3: column 'year': 2042 is after this year (2026); a figure is known once its "
        "year is reported: check the year"]
    assert check_observations(path, this_year=2042)[1] == []
    with pytest.raises(DataError, match="2042 is after this year"):
        load_observations(path, this_year=2026)


def test_a_district_figure_beside_its_communes_for_the_same_year_is_refused(write_csv):
    communes = "".join(f"{c},2026,htx_new,1,s1,q\n" for c in (
        "xa-krong-bong", "xa-dang-kang", "xa-hoa-son", "xa-yang-mao", "xa-cu-pui"))
    # the district's own 2026 figure of another indicator, and its 2024 one, are its own
    alone = "krong-bong,2024,htx_new,3,s1,q\nkrong-bong,2026,tht_new,2,s1,q\n"
    assert problems_of(write_csv(alone + communes)) == []
    # nothing is summed where one commune alone reports, nor a share: nothing is dropped
    some = ("krong-bong,2026,htx_active,40,s1,q\nxa-cu-pui,2026,htx_active,9,s1,q\n"
            "krong-bong,2026,rated_good_share,0.5,s1,q\n" + "".join(
                f"{c},2026,rated_good_share,0.5,s1,q\n" for c in (
                    "xa-krong-bong", "xa-dang-kang", "xa-hoa-son", "xa-yang-mao", "xa-cu-pui")))
    assert problems_of(write_csv(some)) == []
    path = write_csv(alone + communes + "krong-bong,2026,htx_new,6,s1,q\n")
    assert problems_of(path) == [
        f"{path}:9: krong-bong 2026 htx_new: krong-bong's figures from 2025 are the sums of its "
        "successors' (data/units.csv), and they have this one too (lines 4, 5, 6, 7, 8); ktt "
        "would use this row and drop their sum: keep one or the other"]
    # in the reform's own year, which one to keep
    path = write_csv(communes.replace("2026", "2025") + "krong-bong,2025,htx_new,6,s1,q\n")
    assert problems_of(path)[0].endswith(
        "keep one or the other; for 2025, the year of the reform, keep krong-bong's own if it "
        "covers the whole year")


def test_a_stock_far_from_the_figures_beside_it_is_noted(write_csv):
    rows = [(2019, 1180), (2020, 9), (2021, 1209), (2022, 1250), (2023, 6400)]
    path = write_csv("".join(f"krong-bong,{y},member_households,{v},s1,q\n" for y, v in rows)
                     + "krong-bong,2020,htx_new,0,s1,q\nkrong-bong,2021,htx_new,5,s1,q\n"
                     "krong-bong,2022,htx_new,0,s1,q\n"
                     + "".join(f"krong-bong,{y},tht_active,{v},s1,q\n"
                               for y, v in ((2020, 0), (2021, 0), (2022, 6), (2023, 7))))
    frame, problems = check_observations(path)
    assert problems == []  # valid: only a reader can tell a typo from a real figure
    # 9 among 1,180 and 1,209 is one; 6,400 at the end has no figure after it to tell; a
    # count of foundings may well go 0, 5, 0, and a stock start from nothing (0, 0, 6)
    assert spikes(path, frame[frame["preferred"]]) == [
        f"{path}:3: krong-bong 2020 member_households 9 against 1180 and 1209 in the figures "
        "before and after it; check the figure"]


def test_problems_are_listed_in_the_files_order(write_csv):
    # a year after this one (a check of the whole file) came after the rows' own problems
    path = write_csv("krong-bong,2042,htx_new,3,s1,q\nkrong-bong,2024,htx_new,-1,s1,q\n")
    problems = check_observations(path, this_year=2026)[1]
    assert [p.split(": column")[0] for p in problems] == [f"{path}:2", f"{path}:3"]


@pytest.mark.parametrize("written", ["0.083", '"0,083"'])
def test_a_fraction_in_a_count_is_not_taken_for_a_thousands_separator(write_csv, written):
    # a share typed into a count's row: "write 0083" would make it a count of 83
    (problem,) = problems_of(write_csv(f"krong-bong,2021,member_households,{written},s1,q\n"))
    assert "thousands separator" not in problem
    assert "0083" not in problem
    assert ("0.083 is fractional" in problem if "." in written else
            "'0,083' has a decimal comma; write 0.083" in problem)


@pytest.mark.parametrize("written", ["-", "n/a", "không có", "?"])
def test_a_mark_for_a_figure_not_known_is_told_to_be_left_blank(write_csv, written):
    (problem,) = problems_of(write_csv(f"krong-bong,2021,htx_new,{written},s1,q\n"))
    assert problem.endswith(f":2: column 'value': '{written}' is not a number; leave the value "
                            "blank for a figure not known (a blank is read as missing, never "
                            "as zero)")


@pytest.mark.parametrize("written", ["17 200", "17\u00a0200", "1 234 567"])
def test_spaces_between_digits_name_the_figure_to_write(write_csv, written):
    (problem,) = problems_of(write_csv(f"krong-bong,2021,farm_households,{written},s1,q\n"))
    wanted = written.replace(" ", "").replace("\u00a0", "")
    assert problem.endswith(f"column 'value': '{written}' has spaces between its digits; write "
                            f"{wanted}, digits only")


def test_rows_without_the_forms_wording_column_are_read(write_csv):
    # rows in the observations format added to a form, whose last column ktt does not read
    path = write_csv("krong-bong,2021,htx_new,3,s1,q,Số HTX thành lập mới\n"
                     "krong-bong,2022,htx_new,4,s1,q\n",
                     header="unit,year,indicator,value,source,quote,wording\n")
    assert load_observations(path)["value"].tolist() == [3.0, 4.0]


def test_a_row_short_of_a_column_ktt_reads_is_not_told_of_a_decimal_comma(write_csv):
    (problem,) = problems_of(write_csv("krong-bong,2021,htx_new,3,s1\n"))
    assert problem.endswith(":2: 5 fields where the header has 6 (unit, year, indicator, value, "
                            "source, quote); give every column of the header, a blank one as "
                            "nothing between two commas")


def test_two_rows_on_one_line_are_told_apart_from_a_decimal_comma(write_csv):
    # rows added with `>>` to a file whose last line had no line break
    (problem,) = problems_of(write_csv("krong-bong,2021,htx_new,3,s1,qxa-cu-pui,2026,htx_new,1,"
                                       "s1,q\n"))
    assert problem.endswith(":2: 11 fields where the header has 6: two rows on one line (rows "
                            "added to a file whose last line had no line break?); break the line "
                            "where the second row starts, in 'qxa-cu-pui'")
