"""What a reader meets in a report: the answer first, in words and the language's numbers,
coloured, with the synthetic warning, and a scenario's change against its baseline."""

from __future__ import annotations

import html
import re

import pandas as pd
import pytest

import ktt.report.forecast as kr
from ktt.inputs.example import EXAMPLE_PATH
from ktt.report import answers, index, numbers, provenance
from ktt.report.answers import BAND_COLOURS, BANDS, target_label
from ktt.report.strings import text
from ktt.report.target_table import rule_words, slashed, target_table


def test_numbers_in_each_language_and_never_negative_zero():
    # babel.numbers with locales vi_VN and en_US
    assert numbers.number(35041, "vi") == "35.041"
    assert numbers.number(35041, "en") == "35,041"
    assert numbers.percent(0.369, "vi", 1) == "36,9%"
    assert numbers.percent(0.369, "en", 1) == "36.9%"
    assert numbers.number(-0.04, "vi", 1) == "0,0"
    assert numbers.percent(-0.0001, "en", 1) == "0.0%"
    assert numbers.value(0.678, "profitable_share", "vi") == "67,8%"
    assert numbers.value(5.66, "orgs_new", "vi", 1) == "5,7"
    assert numbers.probability(0.0, "vi") == "< 1%"
    assert numbers.probability(1.0, "en") == "> 99%"
    assert numbers.probability(0.083, "vi") == "8%"
    # 1 % would sit beside "exceptionally unlikely", the phrase for under 1 %
    assert numbers.probability(0.006, "en") == "< 1%"
    assert numbers.probability(0.01, "en") == "1%"
    assert numbers.probability(0.994, "en") == "> 99%"
    assert numbers.number(float("nan"), "vi") == "-"


def test_a_forecast_count_is_written_to_three_figures_a_recorded_one_whole():
    assert numbers.estimate(3497523.4, "htx_members", "vi") == "3.500.000"
    assert numbers.estimate(10359677.0, "htx_members", "en") == "10,400,000"
    assert numbers.estimate(12725.0, "tht_registered", "vi", 1) == "12.700"
    assert numbers.estimate(-3196.2, "tht_registered", "vi", 1) == "-3.200"
    assert numbers.estimate(123.45, "orgs_new", "vi", 1) == "123"  # no decimal past the third
    assert numbers.estimate(5.66, "orgs_new", "vi", 1) == "5,7"  # a small one as before
    assert numbers.estimate(13.0, "orgs_new", "en", 1) == "13.0"
    assert numbers.estimate(-0.04, "orgs_new", "vi", 1) == "0,0"
    assert numbers.estimate(0.52345, "profitable_share", "vi") == "52,3%"
    assert numbers.estimate(float("nan"), "htx_members", "vi") == "-"
    assert numbers.value(3497523, "htx_members", "vi") == "3.497.523"  # a record stays whole


@pytest.fixture(scope="module")
def vi():
    return kr.prepare(n_paths=300)


@pytest.fixture(scope="module")
def en():
    return kr.prepare(n_paths=300, lang="en")


def test_each_rule_in_words(vi, en):
    targets = {t.id: t for t in vi.targets.resolve()}
    assert rule_words(targets["T2025-formation"], "vi") == "mỗi năm 2021–2025 ít nhất 4"
    assert rule_words(targets["T2025-households"], "vi") == "năm 2025 trên 7,5%"
    assert rule_words(targets["T2030-profitable"], "en") == "2030: more than 65%"
    assert rule_words(targets["D-rated-good"], "vi") == "tăng dần qua các năm 2020–2030"
    assert target_label(targets["T2030-profitable"], "vi") == (
        "Tỷ lệ tổ chức KTTT hoạt động có lãi, 2030")


def test_the_conclusion_counts_the_targets_and_names_the_hardest(vi, en):
    table = vi.forecast.table
    counts = table["status"].value_counts()
    sentence = re.sub(r"<[^>]+>", "", kr.conclusion(en).data)
    assert (f"Of the plan's 7 targets, {counts.get('met', 0)} met, {counts.get('missed', 0)} "
            f"missed and {counts.get('open', 0)} open") in sentence
    hardest = table[table["status"] == "open"].sort_values("probability").iloc[0]
    label = target_label({t.id: t for t in en.targets.resolve()}[hardest["id"]], "en")
    assert f"The hardest target still open, {label}" in sentence
    assert "Trong 7 chỉ tiêu của kế hoạch" in kr.conclusion(vi).data
    assert not re.search(r"\d\.\d", re.sub(r"<[^>]+>", "", kr.conclusion(vi).data))


def test_the_target_table_in_words_coloured_with_a_legend(vi):
    page = kr.answer_table(vi).data
    assert "<th>Chỉ tiêu</th>" in page
    assert "index" not in page
    for target in vi.targets.resolve():
        assert target_label(target, "vi") in page
        assert target.quote.replace('"', "&quot;")[:30] in page  # the plan's words
    assert "D-rated-good" in page  # the id stays, small, for the analyst
    for b in BANDS:
        assert BAND_COLOURS[b][0] in page  # in the cells or the legend
    assert "Chú giải màu" in page
    assert re.search(r">\d+% · ", page)  # a probability as a percentage


@pytest.mark.parametrize(("status", "p", "band"), [
    ("met", 0.0, "met"), ("missed", 1.0, "missed"), ("open", 0.7, "likely"),
    ("open", 0.5, "even"), ("open", 0.2, "unlikely"), ("open", 0.05, "very_unlikely"),
    # by the probability as shown: 0.656 is "66%", in the band of 66% and more
    ("open", 0.656, "likely"), ("open", 0.654, "even"),
    # no figure to forecast from: no probability, not the reddest of the open bands
    ("open", float("nan"), "unknown")])
def test_bands(status, p, band):
    assert answers.band(status, p) == band


def test_the_plan_is_named_in_the_reports_language(vi, en):
    own = "Kế hoạch số 192-KH/HU, Ban Thường vụ Huyện ủy Krông Bông (2020)"
    assert f": {own}</h1>" in kr.header(vi).data
    assert "Plan No. 192-KH/HU of the Standing Board" in kr.header(en).data
    assert "Kế hoạch số" not in kr.header(en).data


def test_the_synthetic_warning_and_marks(vi):
    header = kr.header(vi).data
    assert "ktt-synthetic" in header
    assert "VÍ DỤ GIẢ LẬP" in header
    assert "SYNTHETIC EXAMPLE" in header
    assert header.index("ktt-synthetic") < header.index("<h1>")
    chart = kr.fan_chart(vi)
    assert chart.png.startswith(b"\x89PNG")
    assert "giả lập" in chart.alt
    assert "alt=" in chart._repr_html_()


def test_a_scenario_says_what_changed_against_the_baseline():
    ctx = kr.prepare(n_paths=300, scenario="policy-push", extra_foundings_per_year=2.0,
                     lang="en")
    page = kr.scenario_changes(ctx).data
    assert "Scenario: Policy push" in page
    assert "Two extra HTX or THT founded every year from the year after the last figure" in page
    sentence = re.search(r"The largest change against the baseline: ([^<]+)", page).group(1)
    assert sentence.startswith("New HTX and THT per year, 2030, from ")
    # the change is between the percentages as shown: a reader subtracts them
    before, after, change = map(int, re.search(r"from (\d+)% to (\d+)% \(\+(\d+) points\)",
                                               sentence).groups())
    assert change == after - before
    assert "Policy push" in kr.conclusion(ctx).data
    assert "Đây là kịch bản cơ sở" in kr.scenario_changes(kr.prepare(n_paths=100)).data


def test_a_reading_that_decides_a_target_otherwise_is_said_first_and_gains_no_points():
    # reviewer trial: the lenient readings' sentence named the rated-good share's "+77 points"
    # from "missed", as if a policy had won them, and never the 2025 formation, missed -> met
    ctx = kr.prepare(n_paths=300, scenario="lenient-readings", lang="en",
                     readings={"formation_reading": "mean", "formation_start": 2020,
                               "direction_reading": "trend"})
    for page in (kr.scenario_changes(ctx).data, kr.conclusion(ctx).data):
        said = html.unescape(page)
        assert ("The record decides otherwise than in the baseline: New HTX and THT per year, "
                "2025, missed → met. The largest change against the baseline: Share of HTX "
                "rated fair or good, 2030 (read here as: an upward trend 2020–2030), from "
                "missed to a probability of ") in said
        assert "points)" not in said.split("from missed")[1].split(".")[0]
    # a lever that reads nothing otherwise keeps its points and says no reading
    push = html.unescape(kr.scenario_changes(kr.prepare(
        n_paths=300, scenario="policy-push", extra_foundings_per_year=2.0, lang="en")).data)
    assert "read here as" not in push
    assert "decides otherwise" not in push


def test_the_first_screen_names_a_data_file_of_the_users_own(tmp_path):
    # analyst trial: a report on the analyst's figures said whose they were only under the
    # table; the synthetic box's absence implied it
    path = tmp_path / "so-lieu-huyen.csv"
    path.write_text(EXAMPLE_PATH.read_text(encoding="utf-8"), encoding="utf-8")
    own = kr.header(kr.prepare(data_path=str(path), n_paths=100, lang="en")).data
    assert " · Data file: <code>so-lieu-huyen.csv</code></p>" in own
    assert "Data file" not in kr.header(kr.prepare(n_paths=100, lang="en")).data  # data/'s


def test_a_scenario_that_moves_no_probability_says_which_forecast_it_moves():
    # analyst trial: a campaign that lifted the 2030 households' share by 9 points, still far
    # from 30 %, read "No target's probability moves", as if it changed nothing
    small, none = (kr.prepare(n_paths=300, scenario="enrolment-campaign", lang="en",
                              extra_households_per_year=extra) for extra in (100.0, 1.0))
    for page in (kr.scenario_changes(small).data, kr.conclusion(small).data):
        said = html.unescape(page)
        assert "No target's probability moves by more than half a point" in said
        before, after = map(float, re.search(
            r"The forecasts do move: Share of farm households taking part, 2030, its median "
            r"from ([\d.]+)% to ([\d.]+)%, its probability still < 1%\.", said).groups())
        assert after > before
    # one household a year moves nothing a reader could see: no such sentence
    assert "forecasts do move" not in kr.scenario_changes(none).data


def test_provenance_is_a_table(vi):
    page = kr.provenance(vi).data
    assert "<table" in page
    # no template left unfilled: braces only in the parameters' JSON values
    assert "{" not in re.sub(r"<code>.*?</code>", "", page)
    assert vi.sha256 in page
    assert re.search(r"numpy \d", page)
    # each input file named in the report's words, not by its key (plan, published_record)
    assert "Tệp đầu vào: kế hoạch</th><td><code>plans/krong-bong-192.yaml sha256 " in page
    assert "Tệp đầu vào: số liệu đã công bố</th><td><code>data/observations.csv" in page
    key = re.search(r"<th scope='row'>Tệp đầu vào[^<]*(published_record|units|scenario)<", page)
    assert key is None, key
    # a default's 0 says what the run used
    assert "Tham số as_of</th><td><code>0 (dùng: 2025)</code>" in page
    assert "Tham số unit</th><td><code>&quot;&quot; (dùng: &quot;krong-bong&quot;)" in page
    # the code that made it, in a git checkout (an installed package has no row)
    if provenance.code_commit():
        assert ("Mã nguồn: commit git cuối của ktt/, notebooks/ (-dirty: đã sửa sau commit)"
                f"</th><td><code>{provenance.code_commit()}</code>") in page


def test_a_shares_pace_is_in_percentage_points_and_said_what_it_is(vi):
    page = kr.answer_table(vi).data
    # households 2030: 3.5 points a year needed against 0.9 a year of late, not "3,5%"
    assert re.search(r">\d+,\d điểm % \(≈ [\d.]+ hộ\) / \d+,\d điểm % \(≈ [\d.]+ hộ\)</td>",
                     page)
    assert "Nhịp độ gần đây: trung bình 3 số liệu cuối" in page
    # the conclusion's paces are a year's, as the table's heading says
    sentence = re.sub(r"<[^>]+>", "", kr.conclusion(vi).data)
    assert re.search(r"nhịp độ mỗi năm gần đây \d+,\d điểm % so với nhịp độ cần đạt \d+,\d điểm %",
                     sentence), sentence


def test_a_whole_count_a_target_asks_for_is_written_whole_and_a_mean_with_its_decimal():
    # Đắk Lắk's 7920 report read "40,0 / 116": the 40 HTX its plan asks for as if measured
    assert answers.pace(40.0, "htx_new", "vi") == "40"
    assert answers.pace(5.667, "orgs_new", "vi") == "5,7"
    assert answers.pace(116.33, "htx_new", "en") == "116"
    assert answers.pace(float("nan"), "htx_new", "en") == "-"


def test_crps_is_explained_beside_the_model_table(vi):
    assert kr.model_note(vi).data.startswith("CRPS (điểm xác suất xếp hạng liên tục) đo độ lệch")
    # a share's CRPS is a fraction of 1 where the report shows shares in percent
    assert ("(chỉ số tỷ lệ tính bằng số thập phân: 0,05 tương ứng 5 điểm %)"
            in kr.model_note(vi).data)


def test_a_hardest_target_without_a_pace_is_named_without_one():
    # Plan 7346's hardest open target rests on figures too few for a recent pace
    ctx = kr.prepare(plan="dak-lak-7346", n_paths=300, lang="en")
    still = ctx.forecast.table.query("status == 'open'").sort_values(["probability", "id"])
    assert still["recent_pace"].isna().iloc[0]
    sentence = re.sub(r"<[^>]+>", "", kr.conclusion(ctx).data)
    assert "The hardest target still open" in sentence
    assert "pace" not in sentence
    assert " - " not in sentence


def test_a_probability_on_one_or_two_figures_says_so_in_cell_conclusion_and_index():
    ctx = kr.prepare(plan="vietnam-340", n_paths=300, lang="en")
    table = ctx.forecast.table.set_index("id")
    # Strategy 340's rated-good share has one figure (2025); its HTX stock has eight
    assert table.loc["T2030-rated-good", "figures"] == 1
    assert table.loc["T2030-htx", "figures"] >= 3
    cells = kr.answer_table(ctx).data
    # the rated-good share and the THT members
    assert cells.count("rests on 1 figure only") == (table["figures"] == 1).sum() == 2
    # the union members (2022, 2024) and the HTX members (2020, 2022)
    assert cells.count("rests on 2 figures only") == (table["figures"] == 2).sum() == 2
    assert "rests on 1 figure only" in kr.conclusion(ctx).data  # the likeliest target
    record = {t["id"]: t for t in provenance.summary(ctx)["targets"]}
    assert index.answer(record["T2030-rated-good"], "vi")[1].endswith("chỉ dựa trên 1 số liệu")
    assert "chỉ dựa trên" not in index.answer(record["T2030-htx"], "vi")[1]
    del record["T2030-rated-good"]["figures"]  # a summary written before counts were kept
    assert "chỉ dựa trên" not in index.answer(record["T2030-rated-good"], "vi")[1]


def test_the_legend_says_what_a_probability_and_an_interval_are(vi, en):
    assert "the share of 300 simulated futures" in kr.answer_table(en).data
    assert "cứ 10 lần mô phỏng thì có 8 lần số liệu năm mục tiêu" in kr.answer_table(vi).data


def test_the_legend_gives_every_phrase_a_cell_can_say_with_its_range(vi, en):
    # the cells said "exceptionally unlikely" and "very likely", which no colour band names
    for ctx, words in ((en, ["exceptionally unlikely (< 1%)", "very unlikely (1–10%)",
                             "very likely (90–99%)", "virtually certain (≥ 99%)"]),
                       (vi, ["hầu như không thể (< 1%)", "rất có khả năng (90–99%)"])):
        page = kr.answer_table(ctx).data
        assert all(html.escape(w) in page for w in words)
        phrases = set(ctx.forecast.table.loc[ctx.forecast.table["status"] == "open",
                                             "likelihood"])
        assert all(f"{text(p, ctx.lang)} (" in page for p in phrases)


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_the_colour_bands_are_named_by_probability_not_by_the_phrases_words(lang):
    # "very unlikely (< 10%)" named a band whose "< 1% · virtually impossible" cells the
    # phrases' scale calls otherwise: a band said in the scale's words must mean its range
    from ktt.forecasting.likelihood import LIKELIHOOD_SCALE

    phrases = [text(phrase, lang) for _, phrase in LIKELIHOOD_SCALE]
    for b in BANDS:
        band_words = text(f"band_{b}", lang)
        assert [p for p in phrases if p in band_words] == [], band_words


def test_a_target_year_past_without_its_figure_is_called_an_estimate():
    # Plan 7346's targets are for 2020; the record reaches 2023 without a 2020 figure
    ctx = kr.prepare(plan="dak-lak-7346", n_paths=300, lang="en")
    assert (ctx.forecast.table["status"] == "open").all()
    past = "an estimate of a year past"
    assert kr.answer_table(ctx).data.count(past) == len(ctx.forecast.table)
    assert re.search(r"to be met \(\d+%; " + past, kr.conclusion(ctx).data)
    record = provenance.summary(ctx)["targets"][0]
    assert index.answer(record, "vi")[1].startswith(
        "rất có khả năng; chưa có số liệu năm 2020; ước tính cho một năm đã qua")
    # a target whose own year has its figure is not one, though earlier years lack theirs
    assert "ước tính" not in index.answer({**record, "missing": [2018]}, "vi")[1]


def test_a_target_with_no_figure_gets_no_caution_and_is_not_named_likeliest(tmp_path):
    # the district's foundings alone: the share targets have no figure and no probability
    rows = "".join(f"krong-bong,{y},htx_new,{n},s1,q\nkrong-bong,{y},tht_new,2,s1,q\n"
                   for y, n in ((2023, 3), (2024, 4), (2025, 4)))
    path = tmp_path / "few.csv"
    path.write_text("unit,year,indicator,value,source,quote\n" + rows, encoding="utf-8")
    ctx = kr.prepare(data_path=str(path), n_paths=300, lang="en")
    table = ctx.forecast.table.set_index("id")
    assert table.loc["T2030-households", "figures"] == 0
    cells = kr.answer_table(ctx).data
    assert "rests on 0 figures" not in cells
    # no interval, said in words ("- – -" said nothing) and kept on a phone's card; its pace
    # a dash, which the card leaves out
    assert "- – -" not in cells
    assert re.search(r"<td data-label='80% interval, target year'>not enough figures for an "
                     r"interval</td>", cells)
    assert re.search(r"<td class='ktt-empty' data-label='[^']*'>-</td>", cells)
    # nor a probability: said so in words, in white, not "- · unknown" in "very unlikely" red
    assert "- · " not in cells
    answer = re.search(r"<tr id='T2030-households'>.*?<td class='ktt-answer'[^>]*>", cells)
    assert answer.group(0).endswith(
        "style='background:#ffffff;color:#000000;font-weight:bold'>")
    assert ">unknown: not enough figures to forecast</td>" in cells
    record = next(t for t in provenance.summary(ctx)["targets"] if t["id"] == "T2030-households")
    assert "background:#ffffff" in index._cell("few", record)  # and on the index
    vi = kr.prepare(data_path=str(path), n_paths=300, lang="vi")
    assert ">chưa rõ: chưa đủ số liệu để dự báo</td>" in kr.answer_table(vi).data
    assert ">chưa đủ số liệu để có khoảng dự báo</td>" in kr.answer_table(vi).data
    shown = target_table(vi).set_index("Chỉ tiêu")["Khoảng dự báo 80%, năm mục tiêu"]
    assert shown["T2030-households"] == "chưa đủ số liệu để có khoảng dự báo"
    # T2025-formation's year 2025 has its figure (2021 and 2022 do not): no estimate of a past
    assert table.loc["T2025-formation", "missing"] == [2021, 2022]
    assert "estimate of a year past" not in cells
    sentence = re.sub(r"<[^>]+>", "", kr.conclusion(ctx).data)
    assert "unknown to be met" not in sentence
    assert "Share of farm households" not in sentence


def test_the_sources_the_figures_cite_are_listed_with_their_publication(vi):
    page = kr.sources(vi).data
    cited = set(vi.forecast.history["source"]) | set(vi.published["source"])
    for sid in cited:
        assert f"<code>{sid}</code>" in page
    # a published source by its number, as the chart and the table cite it, and its title,
    # linked to its address (data/sources.csv)
    number = re.search(r"\[(\d+)\] <code>baodaklak-2024-01</code>: <a href='https://baodaklak"
                       r"\.vn/kinh-te/202401/", page).group(1)
    assert f"[{number}] baodaklak-2024-01" in set(kr.published_table(vi)["Nguồn"])
    # the synthetic source says what it is, not its generator's parameters
    assert "ví dụ giả lập do ktt.inputs.synthetic tạo" in page
    assert "founding_rate" not in page


def test_a_source_no_sources_csv_names_is_said_so():
    from ktt.report.sources import cited, mark, numbering, source_list

    assert cited(pd.Series(["b", "a+c", None, "a"])) == ["a", "b", "c"]
    known = pd.DataFrame({"title": ["T"], "publisher": ["P"], "date": [""],
                          "address": ["not a link"]}, index=["a"])
    page = source_list(["a", "z"], known, "en")
    assert "<li>[1] <code>a</code>: T, P</li>" in page
    assert "<li>[2] <code>z</code>: not in a sources.csv beside the data file</li>" in page
    assert mark("a+z", numbering(["a", "z"])) == "[1, 2]"


def test_a_source_s_note_is_given_in_the_report_s_language(tmp_path):
    # notes in English had been written into data/sources.csv's titles, which a Vietnamese
    # report showed as they were: "(figures of the Ministry of Planning and Investment)"
    from ktt.inputs.data import load_sources
    from ktt.report.sources import source_list

    path = tmp_path / "sources.csv"
    path.write_text("id,title,publisher,date,address,rank,note,note_vi\n"
                    "a,T,P,2024,x,1,figures of the ministry,số liệu của Bộ\n"
                    "b,U,Q,2024,x,,,chỉ tiếng Việt\n"
                    "c,V,R,2024,x,,,\n", encoding="utf-8")
    known = load_sources(path)
    assert source_list(["a"], known, "vi") == (
        "<ul class='ktt-sources'><li>[1] <code>a</code>: T, P, 2024 (số liệu của Bộ)</li></ul>")
    assert "(figures of the ministry)</li>" in source_list(["a"], known, "en")
    assert "(chỉ tiếng Việt)</li>" in source_list(["b"], known, "en")  # the only one it has
    assert source_list(["c"], known, "en").endswith("V, R, 2024</li></ul>")
    # a sources.csv without the columns, as the README's form writes it
    path.write_text("id,title,publisher,date,address\na,T,P,2024,x\n", encoding="utf-8")
    assert source_list(["a"], load_sources(path), "vi").endswith("T, P, 2024</li></ul>")


def test_the_unit_and_its_successors_are_named_not_given_by_id(vi, en):
    # a reader knows "Huyện Krông Bông", not the id krong-bong (kept beside it, in code)
    assert "Đơn vị: Huyện Krông Bông (<code>krong-bong</code>;" in kr.header(vi).data
    assert "Unit: Krông Bông district (<code>krong-bong</code>;" in kr.header(en).data
    reform = [line for line in kr.details(vi).data.splitlines() if "Sắp xếp" in line]
    assert len(reform) == 1
    assert reform[0].startswith(
        "- Sắp xếp đơn vị hành chính năm 2025: Huyện Krông Bông hoạt động đến hết ngày 30 tháng "
        "6")
    assert "(Xã Krông Bông, Xã Dang Kang, Xã Hòa Sơn, Xã Yang Mao, Xã Cư Pui)" in reform[0]
    # "from 2025 the figures are the successors' sums" beside "2025's are the district's own"
    # read as a contradiction; a figure the district reports itself is never replaced
    assert ("từ năm 2025, số liệu nào Huyện Krông Bông không tự báo cáo là tổng số liệu của các "
            "đơn vị kế thừa") in reform[0]
    assert reform[0].endswith("số liệu năm 2025 đang có là của chính Huyện Krông Bông.")
    assert re.search(r"\bxa-|krong-bong\b", reform[0]) is None
    english = kr.details(en).data
    assert "Krông Bông district ended on June 30, 2025" in english
    assert "(Krông Bông commune, Dang Kang commune," in english


@pytest.fixture(scope="module")
def national():
    """Strategy 340: counts in the millions, every target open, a target with one figure."""
    return kr.prepare(plan="vietnam-340", n_paths=300)


def cells(page: str, label: str) -> list[str]:
    """The words of the cells under the column ``label`` of a stacked table."""
    return [html.unescape(re.sub(r"<[^>]+>", " ", c)).strip() for c in
            re.findall(rf"<td[^>]*data-label='{re.escape(label)}'[^>]*>(.*?)</td>", page, re.S)]


def three_figures(words: str) -> bool:
    """Whether every number of ``words`` (Vietnamese format) has at most three significant
    figures."""
    return all(len(n.replace(".", "").split(",")[0].lstrip("-0").rstrip("0")) <= 3
               for n in re.findall(r"-?\d[\d.]*(?:,\d+)?", words))


def test_forecast_counts_show_three_figures_and_the_record_and_summary_stay_exact(national):
    page = kr.answer_table(national).data
    table = national.forecast.table.set_index("id")
    intervals = cells(page, "Khoảng dự báo 80%, năm mục tiêu")
    paces = cells(page, "Nhịp độ cần đạt / gần đây (mỗi năm)")
    assert all(three_figures(w) for w in intervals + paces), intervals + paces
    members = table.loc["T2030-htx-members"]
    shown = (f"{numbers.estimate(members['lo80'], 'htx_members', 'vi')} – "
             f"{numbers.estimate(members['hi80'], 'htx_members', 'vi')}")
    assert shown in intervals
    assert numbers.value(members["hi80"], "htx_members", "vi") not in page  # not 7 digits
    # the figures on record are written whole, and summary.json keeps the exact forecast
    latest = table.loc["T2030-tht", "latest"]
    (year, figure), = latest.items()
    assert f"gần nhất {year}: {numbers.value(figure, 'tht_registered', 'vi')}" in page
    assert not three_figures(numbers.value(figure, "tht_registered", "vi"))
    summary = {t["id"]: t for t in provenance.summary(national)["targets"]}
    assert summary["T2030-htx-members"]["interval_80"][1] == pytest.approx(members["hi80"])
    assert not three_figures(numbers.number(members["hi80"], "vi"))
    # the conclusion's paces too
    sentence = re.sub(r"<[^>]+>", "", kr.conclusion(national).data)
    pace = re.search(r"nhịp độ mỗi năm gần đây (\S+) so với nhịp độ cần đạt (\S+)\.", sentence)
    assert pace, sentence
    assert three_figures(pace.group(0)), sentence


def test_a_pace_that_cannot_be_computed_is_said_in_words_not_as_a_dash(national):
    page = kr.answer_table(national).data
    table = national.forecast.table
    without = table[(table["status"] == "open") & table["recent_pace"].isna()
                    & table["required_pace"].notna()]
    assert len(without)  # Strategy 340's member counts have one figure: no recent pace
    paces = cells(page, "Nhịp độ cần đạt / gần đây (mỗi năm)")
    assert not any(re.search(r"/\s*-(?!\d)", p) for p in paces), paces
    assert sum(p.endswith(" / chưa đủ số liệu") for p in paces) == len(without)
    english = kr.answer_table(kr.prepare(plan="vietnam-340", n_paths=300, lang="en")).data
    assert " / not enough figures<" in english
    # a cell with nothing to say keeps its dash, which a phone leaves out
    assert slashed(["-", "-"], "vi") == "-"
    assert slashed(["1/2 năm", "6,0", "-"], "en") == "1/2 năm / 6,0 / not enough figures"


def test_the_conclusion_leaves_out_a_status_no_target_has(national):
    sentence = re.sub(r"<[^>]+>", "", kr.conclusion(national).data)
    assert set(national.forecast.table["status"]) == {"open"}
    assert "Cả 7 chỉ tiêu của kế hoạch chưa rõ kết quả (số liệu đến năm" in sentence
    assert not re.search(r"\b0 (đã đạt|không đạt|chưa rõ kết quả)", sentence)
    counts = pd.Series({"met": 2, "open": 5})
    assert kr._counts(counts, 7, 2025, "en") == (
        "Of the plan's 7 targets, 2 met and 5 open (figures up to 2025).")
    assert kr._counts(pd.Series({"open": 7}), 7, 2025, "en") == (
        "All 7 of the plan's targets are open (figures up to 2025).")
    assert kr._counts(pd.Series({"missed": 1}), 1, 2018, "vi") == (
        "Chỉ tiêu duy nhất của kế hoạch không đạt (số liệu đến năm 2018).")
    assert kr._counts(pd.Series({"met": 1, "missed": 2, "open": 4}), 7, 2025, "vi") == (
        "Trong 7 chỉ tiêu của kế hoạch, 1 đã đạt, 2 không đạt và 4 chưa rõ kết quả (số liệu "
        "đến "
        "năm 2025).")


def test_the_progress_table_gives_a_decided_target_no_probability(vi):
    page = kr.progress_table(vi).data
    shown = cells(page, "Xác suất đạt")
    statuses = list(vi.forecast.table["status"])
    assert {"met", "missed", "open"} <= set(statuses)
    for status, p, words in zip(statuses, vi.forecast.table["probability"], shown, strict=True):
        assert words == ("-" if status != "open" else numbers.probability(p, "vi"))
    assert not {"100%", "0%"} & set(shown)
    # a phone's block leaves the empty cell out, as the target table's
    assert page.count("class='ktt-empty' data-label='Xác suất đạt'") == statuses.count("met") \
        + statuses.count("missed")


def test_the_households_pace_is_also_said_in_households_a_year(vi, tmp_path):
    # an enrolment campaign is planned in households (extra_households_per_year), not points
    row = vi.forecast.table.set_index("id").loc["T2030-households"]
    assert row["status"] == "open"
    assert row["required_pace"] > 0
    farm = vi.forecast.history.query("indicator == 'farm_households' and year <= 2025")
    households = row["required_pace"] * farm.sort_values("year")["value"].iloc[-1]
    cells = kr.answer_table(vi).data
    assert f"(≈ {numbers.estimate(households, 'farm_households', 'vi')} hộ) / " in cells
    assert "trong ngoặc là số hộ mỗi năm tương ứng" in cells  # the note says what they are
    # a share reported without the farm households behind it says no households
    rows = "".join(f"krong-bong,{y},household_share,{0.05 + 0.01 * i},s1,q\n"
                   for i, y in enumerate(range(2019, 2026)))
    path = tmp_path / "shares.csv"
    path.write_text("unit,year,indicator,value,source,quote\n" + rows, encoding="utf-8")
    ctx = kr.prepare(data_path=str(path), n_paths=300, lang="en")
    assert ctx.forecast.table.set_index("id").loc["T2030-households", "status"] == "open"
    cells = kr.answer_table(ctx).data
    assert "pts" in cells
    assert "households)" not in cells
    # nor a note of brackets that are not there (1318/QĐ-TTg has no households' target at all)
    assert "the brackets give the households" not in cells
    assert "Recent pace: the mean of the last 3 figures" in cells


def test_a_share_just_above_its_threshold_is_written_with_the_decimals_that_show_it(tmp_path,
                                                                                  capsys):
    # 1,310 of 17,400 households is 7.53 %: written "7.5%" beside "above 7.5%" and "met", the
    # official would read a target met at its threshold, which "trên 7,5%" does not allow
    rows = "".join(f"krong-bong,{y},farm_households,17400,s1,q\n"
                   f"krong-bong,{y},member_households,{n},s1,q\n"
                   f"krong-bong,{y},htx_rated_good,{good},s1,q\n"
                   f"krong-bong,{y},htx_active,{active},s1,q\n"
                   for y, n, good, active in ((2023, 1200, 4002, 10000), (2024, 1250, 3998, 10000),
                                              (2025, 1310, 4100, 10000)))
    path = tmp_path / "close.csv"
    path.write_text("unit,year,indicator,value,source,quote\n" + rows, encoding="utf-8")
    ctx = kr.prepare(data_path=str(path), n_paths=300, lang="vi")
    table = ctx.forecast.table.set_index("id")
    assert table.loc["T2025-households", "status"] == "met"
    cells = kr.answer_table(ctx).data
    assert "2025: 7,53% (s1)" in cells
    # a fall of 0.04 points is written as one, not as "40,0%, 40,0%"
    assert table.loc["D-rated-good", "status"] == "missed"
    assert "2023: 40,02%, 2024: 39,98% (s1)" in cells
    record = {t["id"]: t for t in provenance.summary(ctx)["targets"]}
    assert record["T2025-households"]["threshold"] == 0.075
    assert index.answer(record["T2025-households"], "en") == ("met", "2025: 7.53%")
    # a summary written before thresholds were kept: one decimal, as before
    del record["T2025-households"]["threshold"]
    assert index.answer(record["T2025-households"], "en") == ("met", "2025: 7.5%")
    # a share far from its threshold keeps one decimal
    assert index.answer({**record["T2025-households"], "decided_by": {"2025": 0.0811}},
                        "en")[1] == "2025: 8.1%"

    from ktt.cli import main

    assert main(["status", "--data", str(path), "--paths", "300"]) == 0
    out = capsys.readouterr().out
    assert "2025: 7.53%" in out
    assert "2023: 40.02%, 2024: 39.98%" in out


def test_a_yearly_rule_open_for_a_past_gap_shows_its_years_and_no_interval(tmp_path, capsys):
    # 2022 has no foundings at all: "each year 2021-2025" stays open though its period is
    # over; its target year 2025 is on record, so its "interval" was "8 – 8", and the latest
    # figure shown was 2026's, a year the rule does not read
    rows = "".join(f"krong-bong,{y},htx_new,{n},s1,q\nkrong-bong,{y},tht_new,2,s1,q\n"
                   for y, n in ((2020, 3), (2021, 3), (2023, 2), (2024, 5), (2025, 6), (2026, 5)))
    path = tmp_path / "gap.csv"
    path.write_text("unit,year,indicator,value,source,quote\n" + rows, encoding="utf-8")
    ctx = kr.prepare(data_path=str(path), n_paths=300, lang="vi")
    row = ctx.forecast.table.set_index("id").loc["T2025-formation"]
    assert row["status"] == "open"
    assert row["missing"] == [2022]
    cells = kr.answer_table(ctx).data
    # with their source, as a decided target's figures have theirs
    record = r"chưa có số liệu năm 2022; 2021: 5, 2023: 4, 2024: 7, 2025: 8 \(s1\)"
    assert re.search(rf"<td data-label='[^']*'>{record}</td><td class='ktt-empty' "
                     r"data-label='Khoảng dự báo 80%, năm mục tiêu'>-</td>", cells)
    assert "8 – 8" not in cells
    # a target whose own year is still to come keeps its interval and its figures so far
    assert re.search(r"<td data-label='[^']*'>2026: 7 \(s1\)</td><td data-label='Khoảng dự "
                     r"báo 80%, năm mục tiêu'>"
                     r"\d+ – \d+</td>", cells)

    from ktt.cli import main

    assert main(["status", "--data", str(path), "--paths", "300"]) == 0
    line = next(x for x in capsys.readouterr().out.splitlines()
                if x.lstrip().startswith("T2025-formation"))
    assert "8 to 8" not in line
    # the gap year named, as the report's cell names it
    assert " - no figure for 2022; 2021: 5, 2023: 4, 2024: 7, 2025: 8" in line


def test_a_lone_open_target_is_not_called_the_hardest_nor_the_likeliest():
    # Đắk Lắk's 7920 has one target, open at 98 %: "khó đạt nhất là ... 98%" read as bad news
    for lang, hardest, named in (("vi", "khó đạt nhất", "Chỉ tiêu chưa rõ kết quả là "),
                                 ("en", "hardest", "The target still open, ")):
        ctx = kr.prepare(plan="dak-lak-7920", n_paths=300, lang=lang)
        assert (ctx.forecast.table["status"] == "open").sum() == 1
        sentence = re.sub(r"<[^>]+>", "", kr.conclusion(ctx).data)
        assert hardest not in sentence
        assert named in sentence, sentence
        assert re.search(r"\d+%", sentence)



def test_the_likeliest_target_is_said_in_a_sentence_as_the_hardest_is(en):
    # "The likeliest target still open, X: about as likely as not to be met" had no verb
    sentence = re.sub(r"<[^>]+>", "", kr.conclusion(en).data)
    assert re.search(r"The likeliest target still open, [^:]+\([^)]*\), is [a-z ]+ to be met "
                     r"\(\d+%", sentence), sentence


def test_a_pace_needed_for_a_target_year_past_says_so_not_that_figures_are_short():
    # Plan 1318's 2025 targets, open in 2025 for want of that year's figure: no year is left to
    # need a pace in, and "chưa đủ số liệu / -3.200" blamed the record for it
    for lang, words, short in (("vi", "năm mục tiêu đã qua", "chưa đủ số liệu"),
                               ("en", "target year past", "not enough figures")):
        ctx = kr.prepare(plan="vietnam-1318", n_paths=300, lang=lang)
        page = kr.answer_table(ctx).data
        tht = re.search(r"<tr id='T2025-tht'>.*?</tr>", page).group(0)
        assert f">{words} / -3" in tht, tht
        # one figure gives no recent pace: that one is short of figures
        members = re.search(r"<tr id='T2025-tht-members'>.*?</tr>", page).group(0)
        assert f">{words} / {short}<" in members, members
    # a yearly count's level stays needed in a year past (7920's 40 a year in 2018)
    ctx = kr.prepare(plan="dak-lak-7920", n_paths=300, lang="en")
    assert "target year past" not in kr.answer_table(ctx).data


def test_the_first_lines_say_that_a_unit_ended_before_its_communes_have_figures(vi, en):
    # no district since 1 July 2025: "Đơn vị: Huyện Krông Bông" alone read as if it still
    # were one, the reform said only beneath the legend
    # short, so that the header stays one line and the table on the first screen
    for ctx, words in ((vi, "(krong-bong; hoạt động đến 30/6/2025)"),
                       (en, "(krong-bong; ended Jun 30, 2025)")):
        line = re.sub(r"<[^>]+>", "", kr.header(ctx).data)
        assert words in line, line
        assert kr.details(ctx).data.count(text("reform", ctx.lang)) == 1  # the line it points to
    # a unit with no successors has no reform line to point to, and the country never ended
    for plan in ("dak-lak-7920", "vietnam-340"):
        line = re.sub(r"<[^>]+>", "", kr.header(kr.prepare(plan=plan, n_paths=200)).data)
        assert "hoạt động đến" not in line


def test_the_note_gives_what_the_calibration_suite_found_and_its_files_are_recorded(en):
    # "calls came true about that often (the backtest report)" gave a reader no figure to
    # hold the probabilities to, and pointed to a report not shipped beside this one
    from ktt.calibration.suite import SuiteRecord
    from ktt.report.target_table import calibration_words

    reliability = pd.DataFrame({
        "target_family": ["all", "all", "all", "formation"], "bin": ["a", "b", "c", "a"],
        "n": [400, 60, 49, 400], "predicted": [0.05, 0.45, 0.5, 0.05],
        "observed": [0.06, 0.525, 0.9, 0.3], "method": "ktt"})
    record = SuiteRecord(pd.DataFrame(), reliability, {"districts": 300})
    # the pooled bins of 50 calls or more: 7.5 points, said as within 8 (not the bin of 49)
    assert calibration_words(record, "en").startswith(
        "On 300 synthetic districts whose outcome is known (the calibration suite), calls of a "
        "given probability came true about that often: within 8 points in every group of 50 "
        "calls or more")
    assert calibration_words(None, "en") == text("calibration_claim", "en")
    # the shipped suite's findings are in the table's note, and its files among the inputs
    assert en.suite is not None
    assert calibration_words(en.suite, "en") in kr.answer_table(en).data
    recorded = provenance.report_inputs(en)
    assert {"calibration scores.csv", "calibration reliability.csv",
            "calibration suite.json"} <= set(recorded)
