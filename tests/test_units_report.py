"""``ktt report --notebook units``: the many-unit dashboard, executed by papermill, and what
its sections show a reader (``ktt.report.units``)."""

from __future__ import annotations

import html
import json
import re
import subprocess
import sys
from importlib.metadata import version

import pandas as pd
import pytest

from ktt.forecasting.many import failed_row, typed
from ktt.report import style
from ktt.report import units as ku
from ktt.report.answers import target_label
from ktt.report.provenance import code_commit
from ktt.report.target_table import rule_words


def run_dashboard(tmp_path, lang: str):
    done = subprocess.run([sys.executable, "-m", "ktt", "report", "--notebook", "units",
                           "--output", str(tmp_path), "-p", "n_units", "4", "-p", "n_paths",
                           "100", "-p", "lang", lang], capture_output=True, text=True,
                          check=False, timeout=600)
    assert done.returncode == 0, done.stderr
    name = "baseline-n_paths-100-n_units-4-units" if lang == "vi" else \
        "baseline-lang-en-n_paths-100-n_units-4-units"
    return tmp_path / name


def visible(page: str) -> str:
    """The text a reader sees: tags, styles and scripts out, entities decoded."""
    body = re.sub(r"<(style|script)\b.*?</\1>", " ", page, flags=re.S)
    return html.unescape(re.sub(r"<[^>]+>", " ", body))


def test_units_dashboard_report(tmp_path):
    folder = run_dashboard(tmp_path, "en")
    summary = json.loads((folder / "summary.json").read_text(encoding="utf-8"))
    assert summary["synthetic"]
    assert summary["units"] == 4
    assert summary["failed"] == 0
    # the generator by its module for the analyst; the reader has it in words
    assert summary["data"] == {"generator": "ktt.inputs.synthetic.communes"}
    assert {t["target"] for t in summary["targets"]} >= {"T2030-formation"}
    assert {"met", "missed", "open", "mean_open_probability"} <= set(summary["targets"][0])
    page = (folder / "report.html").read_text(encoding="utf-8")
    for shown in ("SYNTHETIC", "ktt-synthetic", "Recent pace against required",
                  "Synthetic province 1", "syn-province-01", "No unit failed",
                  "4 synthetic communes drawn at random by ktt",
                  "<a href='../index.html'>← Index of reports</a>"):
        assert shown in page
    # the generator by its module for a reviewer in the provenance table alone
    assert "ktt.inputs" not in visible(re.split(r"class=.ktt-provenance.>", page)[0])
    # a rerun writes it again byte for byte, checked against the plan it recorded
    from ktt.report.verify import verify_report

    found = verify_report(folder)
    assert found.reproduced
    # the plan, and the calibration suite whose findings the grid's note gives
    assert sorted(found.inputs["path"]) == ["plans/krong-bong-192.yaml", *(
        f"reports/calibration/{n}" for n in ("reliability.csv", "scores.csv", "suite.json"))]
    assert re.search(r"came true about that often: within \d+ points in every group of 50 "
                     r"calls or more, all kinds of target together", page)
    # and the page says what made it, as a forecast report does: the code's commit among it
    assert found.commits[0] == summary.get("commit") == code_commit()
    provenance = " ".join(visible(re.split(r"class=.ktt-provenance.>", page)[1]).split())
    for shown in ("ktt report baseline -p lang en -p n_paths 100 -p n_units 4 --notebook units",
                  "ktt.inputs.synthetic.communes", "plans/krong-bong-192.yaml sha256 "
                  + summary["inputs"]["plan"]["sha256"], "Parameter n_units 4",
                  "pandas " + version("pandas")):
        assert shown in provenance, shown


def test_vietnamese_dashboard_reads_as_the_forecast_report(tmp_path):
    page = (run_dashboard(tmp_path, "vi") / "report.html").read_text(encoding="utf-8")
    seen = visible(page)
    # the forecast report's box, not the banner printed as monospace text
    assert "ktt-synthetic" in page
    assert "<pre>" not in page
    assert len(re.findall(r"<h2\b", page)) == 5  # grid, ranking, totals, failures, provenance
    for english in ("open (", "missed", " met", "target", "mean_open_probability", "NaN",
                    "rows \u00d7", "…"):
        assert english not in seen, english
    assert "Không có đơn vị nào bị lỗi" in seen
    # the browser's tab too: synthetic units, not the district's record
    title = re.search(r"<title>(.*?)</title>", page, re.S).group(1)
    assert "GIẢ LẬP" in title
    assert "huyện" not in title
    assert title.endswith("ktt: baseline-n_paths-100-n_units-4-units")  # its folder
    assert "Xã giả lập 1" in seen  # the units table's names, in Vietnamese
    assert re.search(r"\d,\d điểm %", seen)  # a share's pace in points, a decimal comma


@pytest.fixture(scope="module")
def board() -> ku.Dashboard:
    """Four synthetic communes in Vietnamese, one open target made 0 and one 1 (as a finite
    number of paths can give), and a fifth unit, alone in its province, that failed."""
    board = ku.prepare(n_units=4, n_paths=100, lang="vi")
    table = board.table.copy()
    opened = table.index[table["status"] == "open"]
    table.loc[opened[0], "probability"] = 1.0
    table.loc[opened[1], "probability"] = 0.0
    failed = failed_row("syn-commune-0099", "syn-province-05", 1,
                        ValueError("a figure is not a number"))
    board.table = typed(pd.concat([table, failed], ignore_index=True))
    # the four communes share one province (ten a province); the failed one has its own
    board.units = pd.concat([board.units, pd.DataFrame([{
        **board.units[board.units["unit"] == "syn-province-01"].iloc[0].to_dict(),
        "unit": "syn-province-05", "name": "Tỉnh giả lập 5"}])], ignore_index=True)
    return board


def heads(block: str) -> list[str]:
    return [" ".join(visible(h).split())
            for h in re.findall(r"<th\b[^>]*>(.*?)</th>", block, re.S)]


def test_the_grid_names_targets_in_words_and_never_calls_an_open_target_certain(board):
    block = ku.grid(board).data
    seen = visible(block)
    assert "> 99%" in seen
    assert "< 1%" in seen
    cells = [visible(c).strip() for c in re.findall(r"<td\b[^>]*>(.*?)</td>", block, re.S)]
    assert "100%" not in cells
    assert "0%" not in cells
    assert {"đã đạt", "không đạt"} <= set(cells)
    target_heads = heads(block.split("</thead>")[0])[1:]
    assert "Tỷ lệ tổ chức KTTT hoạt động có lãi, 2030 năm 2030 trên 65%" in target_heads
    assert not any(re.search(r"T20\d\d-|D-rated", h) for h in target_heads)
    assert "title='T2030-profitable'" in block  # the id on hover
    assert "Xã giả lập 1" in seen
    assert "Chú giải màu" in seen  # the legend
    assert "syn-commune-0099" not in block  # a failed unit has no answers to show


def test_a_grid_of_many_units_folds_on_a_phone_and_stays_open_elsewhere(board, monkeypatch):
    # 20 units stacked on a phone made the dashboard 14,000 px long, the grid 8,000 of them
    assert "<details" not in ku.grid(board).data  # four units: short enough as it is
    monkeypatch.setattr(ku, "FOLD", 3)
    block = ku.grid(board).data
    folded = re.search(r"<details class='ktt-fold' open><summary>(.*?)</summary>(.*?)"
                       r"</details><script>(.*?)</script>", block, re.S)
    assert folded, block
    assert folded.group(1) == "Bảng chi tiết: 4 đơn vị, 7 chỉ tiêu (bấm để mở hoặc thu gọn)"
    assert "table class='ktt-units ktt-grid" in folded.group(2)
    # folded only where tables stack (ktt.report.style), open without script
    assert f"matchMedia('{style.PHONE}')" in folded.group(3)
    assert f"@media {style.PHONE} {{" in style.CSS
    # the legend stays outside: the ranking's colours need it too
    assert "Chú giải màu" in block.split("</details>")[1]
    english = ku.Dashboard(**{**board.__dict__, "lang": "en"})
    assert "<summary>The full table: 4 units, 7 targets (tap or click to open or fold it)" in (
        ku.grid(english).data)


def test_the_ranking_gives_paces_in_the_reports_units(board):
    seen = visible(ku.ranking(board).data)
    assert re.search(r"\d,\d điểm %", seen)
    assert not re.search(r"\d\.\d", seen)
    assert re.search(r"\d%", seen)  # the pace ratio as a percentage


def test_the_ranking_stacks_on_a_phone_each_cell_under_its_heading(board):
    # six columns: a phone shows each unit as a block, as the forecast report's tables
    block = ku.ranking(board).data
    assert "ktt-stack" in block
    rows = re.findall(r"<tr>(.*?)</tr>", block.split("<tbody>")[1], re.S)
    assert rows
    labels = ["Đơn vị", "Chỉ tiêu cần đẩy nhanh nhất", "Nhịp độ cần đạt/năm",
              "Nhịp độ gần đây/năm", "Nhịp độ gần đây so với nhịp độ cần đạt",
              "Xác suất đạt"]
    for row in rows:
        assert re.findall(r"<td\b[^>]*data-label='([^']*)'", row) == labels
        assert row.startswith("<td class='ktt-target'")  # the unit heads its block
    assert "Xã giả lập" in visible(rows[0])


@pytest.mark.parametrize("section", ["grid", "totals"])
def test_the_grid_and_totals_stack_on_a_phone_each_answer_under_its_target(board, section):
    # a unit and seven targets scrolled sideways on a phone, where the ranking stacked
    block = getattr(ku, section)(board).data
    assert "ktt-stack" in block
    assert "min-width:560px" not in block
    rows = re.findall(r"<tr>(.*?)</tr>", block.split("<tbody>")[1], re.S)
    assert rows
    labels = [f"{target_label(t, 'vi')} ({rule_words(t, 'vi')})"
              for t in board.targets.resolve()]
    for row in rows:
        assert row.startswith("<th scope='row'")  # the unit heads its block
        assert re.findall(r"<td\b[^>]*data-label='([^']*)'", row) == [
            html.escape(label, quote=True) for label in labels]
    assert "Tỷ lệ tổ chức KTTT hoạt động có lãi, 2030 (năm 2030 trên 65%)" in labels


def test_the_synthetic_box_does_not_call_the_units_the_district(board):
    # the forecast report's box said "not the district's record" above 20 synthetic communes
    box = re.search(r"<div class='ktt-synthetic'.*?</div>", ku.header(board).data, re.S)
    assert box
    seen = visible(box.group(0))
    assert "SYNTHETIC" in seen
    assert "GIẢ LẬP" in seen
    for district in ("huyện", "district"):
        assert district not in seen


def test_the_dashboard_says_in_words_what_a_module_or_a_mouse_would(board):
    header = visible(ku.header(board).data)
    assert "ktt.inputs" not in header
    assert "4 xã giả lập do ktt tạo ngẫu nhiên" in header
    intro = re.search(r"<p>(.*?)</p>", ku.grid(board).data).group(1)
    # a phone has no hover: the legend beneath says what the colours and probabilities mean
    assert "Chú giải bên dưới" in intro
    assert not intro.startswith("Đưa chuột")
    assert "Trên máy tính, đưa chuột" in intro
    english = ku.Dashboard(**{**board.__dict__, "lang": "en"})
    assert "the legend below" in visible(ku.grid(english).data)


def test_the_totals_show_every_parent_and_no_nan(board):
    block = ku.totals(board).data
    seen = visible(block)
    parents = set(board.table["parent"])
    assert parents == {"syn-province-01", "syn-province-05"}  # the failed unit's own too
    # the demo's communes share their province (34 provinces gave each its own, a total of one)
    forecast = board.table[board.table["status"] != "failed"]
    assert forecast.groupby("parent")["unit"].nunique().to_dict() == {"syn-province-01": 4}
    for parent in parents:
        assert f"title='{parent}'" in block
    assert "Tất cả các đơn vị" in seen
    assert seen.count("Tỉnh giả lập") == len(parents)
    assert "nan" not in seen.lower()
    # a province whose one commune failed shows a dash, not an empty or NaN cell, which a
    # phone's block leaves out
    assert re.search(r"<td class='ktt-empty' data-label='[^']+'>-</td>", block)


def test_failures_say_which_unit_failed_and_why_or_that_none_did(board):
    seen = visible(ku.failures(board).data)
    assert "syn-commune-0099" in seen
    assert "a figure is not a number" in seen
    clean = ku.Dashboard(**{**board.__dict__,
                            "table": board.table[board.table["status"] != "failed"]})
    assert "Không có đơn vị nào bị lỗi: mọi đơn vị đều đã được dự báo." in visible(
        ku.failures(clean).data)
    english = ku.Dashboard(**{**clean.__dict__, "lang": "en"})
    assert "No unit failed" in visible(ku.failures(english).data)


def test_a_relative_data_path_is_from_the_project_folder_wherever_the_kernel_runs(
        tmp_path, monkeypatch):
    # as the parameters cell says, and as the forecast notebook reads it: Jupyter runs the
    # notebook in notebooks/, a script anywhere
    monkeypatch.chdir(tmp_path)
    board = ku.prepare(data_path="data/observations.csv", plan="plans/krong-bong-192.yaml",
                       units="krong-bong", n_paths=100, lang="en")
    assert set(board.table["unit"]) == {"krong-bong"}
    assert "data/observations.csv" in str(ku.header(board).data)
