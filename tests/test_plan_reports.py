"""Every shipped plan has its report: a past target shows the figure that decided it, the index
groups the reports by plan, and the committed reports are the ones ``make report`` writes."""

from __future__ import annotations

import html
import json
import os
import re
import threading
import time

import pytest

import ktt.report.forecast as kr
from ktt import config
from ktt.config import known_plans
from ktt.report import provenance
from ktt.report.runner import _named, other_reports, report_folders, write_index
from ktt.report.target_table import target_table


@pytest.fixture(scope="module")
def national_2025():
    return kr.prepare(plan="vietnam-1318", lang="en", n_paths=300)


def test_a_past_target_shows_the_figure_and_source_that_decided_it(national_2025):
    table = target_table(national_2025).set_index("Target")
    assert table.loc["T2025-htx", "Status"] == "met"
    assert table.loc["T2025-htx", "Deciding figures (source)"] == (
        "2025: 35,041 (baoninhbinh-2026-01)")
    assert table.loc["T2025-unions", "Status"] == "missed"
    assert table.loc["T2025-unions", "Deciding figures (source)"] == (
        "2025: 164 (baoninhbinh-2026-01)")
    # a target year that is past but has no figure stays open, and says so
    assert table.loc["T2025-tht", "Status"] == "open"
    assert table.loc["T2025-tht", "Deciding figures (source)"] == (
        "no figure for 2025; latest 2024: 63,650 (nongnghiep-2024-12)")


def test_the_sources_list_gives_each_figure_with_the_phrase_it_is_read_from(national_2025):
    # a reviewer could not see that the deciding 35,041 is "preliminary" without the CSV
    import csv

    page = kr.sources(national_2025).data
    item = re.search(r"<li>\[\d+\] <code>baoninhbinh-2026-01</code>.*?</details></li>", page,
                     re.S).group(0)
    with config.OBSERVATIONS.open(encoding="utf-8", newline="") as handle:
        rows = [r for r in csv.DictReader(handle)
                if r["unit"] == "vietnam" and r["source"] == "baoninhbinh-2026-01"]
    # every figure of the unit's own that the source gives, once, with its quote
    assert len(rows) == 3
    assert "(3)</summary>" in item
    assert ("<li>2025, HTX on record: 35,041: “According to preliminary statistics as of the "
            "end of 2025, the whole country had 35,041 cooperatives”</li>") in item
    for row in rows:
        assert html.escape(row["quote"]) in item


def test_the_summary_holds_the_deciding_figures(national_2025):
    targets = {t["id"]: t for t in provenance.summary(national_2025)["targets"]}
    assert targets["T2025-htx"]["decided_by"] == {"2025": 35041.0}
    assert targets["T2025-htx"]["sources"] == ["baoninhbinh-2026-01"]
    assert targets["T2025-tht"]["missing"] == [2025]
    json.dumps(provenance.summary(national_2025))  # the runner writes it as JSON


def test_each_plan_has_its_report_folder():
    source = config.FORECAST_NOTEBOOK
    assert _named("baseline", {"plan": config.DEFAULT_PLAN}, source)[0] == "baseline"
    assert _named("baseline", {"plan": "vietnam-340"}, source)[0] == "vietnam-340-baseline"


def test_the_index_groups_the_reports_by_plan(national_2025, tmp_path, monkeypatch):
    monkeypatch.setattr(config, "REPORTS", tmp_path)  # the project's reports/ folder
    district = kr.prepare(lang="en", n_paths=200)
    for name, ctx in (("baseline", district), ("vietnam-1318-baseline", national_2025)):
        (tmp_path / name).mkdir()
        (tmp_path / name / "summary.json").write_text(json.dumps(provenance.summary(ctx)),
                                                      encoding="utf-8")
    (tmp_path / "baseline-backtest").mkdir()  # not a forecast report: left out
    (tmp_path / "baseline-backtest" / "summary.json").write_text("{}", encoding="utf-8")
    # nor is the units dashboard, whose summary holds many units' targets
    (tmp_path / "baseline-units").mkdir()
    (tmp_path / "baseline-units" / "summary.json").write_text(json.dumps(
        {"plan": "krong-bong-192", "units": 6, "targets": [{"target": "T2025-formation"}],
         "data": {"generator": "ktt.inputs.synthetic.communes"}}), encoding="utf-8")
    # a report on the user's own file outside data/: theirs, left out of the project's index
    # and its tests
    own = provenance.summary(district)
    own["data"]["path"] = "/home/analyst/my-figures.csv"
    (tmp_path / "my-figures").mkdir()
    (tmp_path / "my-figures" / "summary.json").write_text(json.dumps(own), encoding="utf-8")
    assert report_folders(tmp_path) == ["baseline", "vietnam-1318-baseline"]
    # in a folder of the user's own every report counts, theirs too
    monkeypatch.setattr(config, "REPORTS", tmp_path / "elsewhere")
    assert report_folders(tmp_path) == ["baseline", "my-figures", "vietnam-1318-baseline"]
    monkeypatch.setattr(config, "REPORTS", tmp_path)
    page = write_index(tmp_path).read_text(encoding="utf-8")
    assert page.count("<h2>") == 2
    assert "(krong-bong-192)<br><small class='en' lang='en'>Plan No. 192-KH/HU" in page
    assert ("Quyết định số 1318/QĐ-TTg) (vietnam-1318)<br><small class='en' lang='en'>Plan for "
            "developing the collective economy and cooperatives 2021-2025 (Decision No. "
            "1318/QĐ-TTg)</small></h2>") in page
    assert ">đã đạt</a><br><small>2025: 35.041</small>" in page  # in Vietnamese
    assert ">không đạt</a><br><small>2025: 164</small>" in page
    assert "chưa có số liệu năm 2025" in page
    assert page.count("href='vietnam-1318-baseline/report.html'") == 1  # the row's report
    # each target's cell opens the report at the target's row
    assert page.count("href='vietnam-1318-baseline/report.html#T2025-") == 6
    for target in national_2025.forecast.table["id"]:
        assert f"<tr id='{target}'>" in kr.answer_table(national_2025).data
    assert "SYNTHETIC EXAMPLE" in page  # the district's example says what it is
    # each report's unit by its name, as a reader knows it, not by its id
    assert "<i>Huyện Krông Bông, số liệu đến năm 2025;" in page
    assert "<i>Việt Nam, số liệu đến năm" in page
    assert "<i>krong-bong," not in page


def test_in_a_folder_of_ones_own_the_index_links_its_dashboards_and_backtests(tmp_path,
                                                                            monkeypatch):
    # their pages' first line links the folder's index, which listed forecast reports alone
    monkeypatch.setattr(config, "REPORTS", tmp_path / "reports")
    for name, summary in (("baseline-backtest", {"unit": "krong-bong", "indicators": {}}),
                          ("baseline-units", {"plan": "krong-bong-192", "units": 6,
                                              "targets": []}),
                          ("half-written", {})):
        (tmp_path / name).mkdir()
        (tmp_path / name / "summary.json").write_text(json.dumps(summary), encoding="utf-8")
        if name != "half-written":  # a folder without a page has nothing to link
            (tmp_path / name / "report.html").write_text("<html>", encoding="utf-8")
    assert other_reports(tmp_path) == ["baseline-backtest", "baseline-units"]
    page = write_index(tmp_path).read_text(encoding="utf-8")
    assert ("<a href='baseline-backtest/report.html'><b>Kiểm định dự báo trên số liệu quá khứ"
            "</b></a> <small class='en' lang='en'>Backtest") in page
    assert ("<a href='baseline-units/report.html'><b>Tình hình thực hiện chỉ tiêu theo từng đơn "
            "vị: krong-bong-192</b></a>") in page
    assert "half-written" not in page
    # the project's reports/: its committed index lists its forecast reports alone
    monkeypatch.setattr(config, "REPORTS", tmp_path)
    assert other_reports(tmp_path) == []
    assert "baseline-units" not in write_index(tmp_path).read_text(encoding="utf-8")


def test_a_summary_that_is_no_report_s_is_left_out_of_the_index_with_a_note(tmp_path,
                                                                            monkeypatch,
                                                                            capsys):
    # each ktt report writes its folder's index: a file cut short, or another program's in a
    # folder of one's own, made the report that had just been written end in a traceback
    monkeypatch.setattr(config, "REPORTS", tmp_path / "reports")
    for name, text in (("cut-short", "{"), ("a-list", "[1]"),
                       ("baseline-units", json.dumps({"plan": "krong-bong-192", "units": 6}))):
        (tmp_path / name).mkdir()
        (tmp_path / name / "summary.json").write_text(text, encoding="utf-8")
        (tmp_path / name / "report.html").write_text("<html>", encoding="utf-8")
    page = write_index(tmp_path).read_text(encoding="utf-8")
    assert "href='baseline-units/report.html'" in page
    assert "cut-short" not in page
    assert "a-list" not in page
    notes = capsys.readouterr().err.splitlines()
    assert [n.split(": ")[1] for n in notes] == [str(tmp_path / "a-list" / "summary.json"),
                                                str(tmp_path / "cut-short" / "summary.json")]
    assert all(n.endswith("left out of the index: write that report again, or move the "
                          "folder out") for n in notes)


def test_every_shipped_plan_has_a_committed_report_on_the_current_data():
    """``make report`` writes them; ``make test`` re-executes them under nbval."""
    summaries = {}
    for name in report_folders(config.REPORTS):
        summary = json.loads((config.REPORTS / name / "summary.json").read_text("utf-8"))
        summaries[summary["plan"]] = (name, summary)
    assert set(summaries) >= set(known_plans())
    for plan, (name, summary) in summaries.items():
        assert name == ("baseline" if plan == config.DEFAULT_PLAN else f"{plan}-baseline")
        data = config.ROOT / summary["data"]["path"]
        assert summary["data"]["synthetic"] == (plan == config.DEFAULT_PLAN)
        assert data.exists(), f"{name}: {data} is gone; run make report"
    assert (config.REPORTS / "index.html").exists()


def test_two_reports_finishing_into_one_folder_are_both_in_its_index(tmp_path, monkeypatch):
    # each report writes its folder's index from the summaries it reads: the one written last
    # could lack the row of a report whose summary landed after that reading
    fcntl = pytest.importorskip("fcntl")  # without it (Windows) nothing is held
    monkeypatch.setattr(config, "REPORTS", tmp_path / "reports")

    def a_report(name):
        (tmp_path / name).mkdir()
        (tmp_path / name / "summary.json").write_text(
            json.dumps({"unit": "krong-bong", "indicators": {}}), encoding="utf-8")
        (tmp_path / name / "report.html").write_text("<html>", encoding="utf-8")

    a_report("first-backtest")
    folder = os.open(tmp_path, os.O_RDONLY)
    fcntl.flock(folder, fcntl.LOCK_EX)  # another report's run, writing the index
    first = threading.Thread(target=write_index, args=(tmp_path,))
    first.start()
    time.sleep(0.3)
    assert first.is_alive()  # waits for the other run's index
    a_report("second-backtest")  # that run's summary, in place before it writes the index
    os.close(folder)
    first.join(timeout=30)
    page = (tmp_path / "index.html").read_text(encoding="utf-8")
    assert "href='first-backtest/report.html'" in page
    assert "href='second-backtest/report.html'" in page
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []


def test_the_country_is_not_told_its_published_figures_are_missing(national_2025):
    # "No published provincial or national figure for these indicators", in a report whose
    # figures are the country's published ones, read as if they were missing
    words = kr.published_chart(national_2025).data
    assert "No published provincial or national figure" not in words
    assert words.startswith("Vietnam has no unit above it in the units table"), words
    assert "under Sources" in words
    vi = kr.published_chart(kr.prepare(plan="vietnam-1318", lang="vi", n_paths=300)).data
    assert vi.startswith("Việt Nam không có đơn vị cấp trên"), vi
