"""Scenarios are checked before anything runs; reports reproduce; a failed run loses nothing."""

from __future__ import annotations

import hashlib
import json
import re
import shlex
import shutil
import subprocess
import sys
from html.parser import HTMLParser

import pandas as pd
import pytest

import ktt.report.forecast as kr
from ktt import config
from ktt.errors import KttError, ScenarioError
from ktt.inputs.example import EXAMPLE_PATH
from ktt.inputs.scenarios import all_scenarios, load_scenario, report_name
from ktt.models.fit import AUTO_CANDIDATES, FALLBACK
from ktt.report import provenance
from ktt.report.answers import scenario_info, target_label
from ktt.report.runner import ReportError, run_report, write_index
from ktt.report.scenario_table import overridden
from ktt.report.strings import STRINGS, model_words, text
from ktt.report.target_table import target_table


def scenario_file(tmp_path, body):
    path = tmp_path / "trial.yaml"
    path.write_text(body, encoding="utf-8")
    return path


def test_vietnamese_words_name_a_unit_one_way_and_close_up_a_rate_a_year():
    vi = [words["vi"] for words in STRINGS.values()]
    # "Địa bàn: Huyện Krông Bông" in the report, "Đơn vị cấp trên" and "đơn vị kế thừa" on
    # the dashboard and in the reform's note: one thing under two names; and the published
    # figures' table had a column "Địa bàn" (the province) beside "Số liệu của địa bàn"
    # (the report's unit)
    assert [w for w in vi if "địa bàn" in w.lower()] == []
    # a rate a year closed up, "HTX/năm" as "+0,2%/năm" (the progress table), not "HTX / năm"
    assert [w for w in vi if re.search(r"\s/\s*năm\b", w)] == []


def test_shipped_scenarios_load():
    assert {"baseline", "policy-push", "lenient-readings", "dissolution-drive"} <= set(
        all_scenarios())
    for name in all_scenarios():
        assert load_scenario(name)[1]["scenario"] == name


def test_unknown_parameter_names_file_and_key(tmp_path):
    path = scenario_file(tmp_path, "name: x\ndescription: y\nparameters:\n  extra_foundings: 2\n")
    with pytest.raises(ScenarioError, match=rf"{path}: unknown parameter 'extra_foundings'; "
                                            "did you mean 'extra_foundings_per_year'\\? "
                                            "forecast.ipynb has data_path, plan"):
        load_scenario(str(path))


def test_a_scenario_names_its_plan(tmp_path):
    path = scenario_file(tmp_path, "name: x\ndescription: y\nparameters: {}\n")
    with pytest.raises(ScenarioError, match=rf"{path}: no plan; name the plan the scenario is "
                                            "for, e.g. plan: krong-bong-192 \\(known: "):
        load_scenario(str(path))
    path = scenario_file(tmp_path, "name: x\ndescription: y\nplan: atlantis-1\nparameters: {}\n")
    with pytest.raises(ScenarioError, match=rf"{path}: plan atlantis-1: .*no such plan"):
        load_scenario(str(path))
    assert load_scenario("lenient-readings")[1]["plan"] == "krong-bong-192"


def test_a_scenario_reading_must_be_one_of_its_plan(tmp_path):
    path = scenario_file(tmp_path, "name: x\ndescription: y\nplan: vietnam-340\n"
                                   "parameters:\n  readings: "
                                   "{formation_reading: mean}\n")
    with pytest.raises(ScenarioError, match=rf"{path}: parameter readings \(plan vietnam-340\): "
                                            "unknown reading 'formation_reading'; known readings: "
                                            "about_reading, about_tolerance, rated_good_reading"):
        load_scenario(str(path))
    with pytest.raises(ScenarioError, match="command line: parameter readings"):
        run_report("lenient-readings", {"plan": "vietnam-340"}, tmp_path, progress=False)
    assert not list(tmp_path.glob("*baseline*"))


def test_report_context_on_another_plan_uses_its_unit_and_the_record():
    ctx = kr.prepare(lang="en", n_paths=200, plan="vietnam-340",
                     readings={"about_reading": "within"})
    summary = provenance.summary(ctx)
    assert (summary["plan"], summary["unit"], summary["synthetic"]) == (
        "vietnam-340", "vietnam", False)
    assert summary["targets"][0]["id"] == "T2030-tht"
    assert "vietnam-340" in kr.header(ctx).data
    assert "about_reading" in kr.scenario_table(ctx).to_string()
    # the reader is told what the table of parameters is, above it
    shown = kr.parameters_changed(ctx).data
    assert shown.index("Parameters this report set away from their defaults") < shown.index(
        "about_reading")


def test_wrong_type_names_file_and_key(tmp_path):
    path = scenario_file(tmp_path, "name: x\ndescription: y\nparameters:\n  n_paths: many\n")
    with pytest.raises(ScenarioError, match=rf"{path}: parameter 'n_paths' = 'many' should be "
                                            "int, like its default 4000"):
        load_scenario(str(path))


def test_a_scenario_gives_its_name_and_description_as_text_or_in_both_languages(tmp_path):
    head = "plan: krong-bong-192\nparameters: {}\n"
    path = scenario_file(tmp_path, "name: x\ndescription: {vi: Mô tả}\n" + head)
    with pytest.raises(ScenarioError, match=rf"{path}: description: give a text, or a text per "
                                            "language as vi: and en: "):
        load_scenario(str(path))
    path = scenario_file(tmp_path, "name: [a, b]\ndescription: y\n" + head)
    with pytest.raises(ScenarioError, match=rf"{path}: name: give a text"):
        load_scenario(str(path))
    path = scenario_file(tmp_path, "name: {vi: Thử, en: Trial}\ndescription: one text\n" + head)
    assert load_scenario(str(path))[0] == "trial"
    assert scenario_info(str(path), lang="vi") == ("Thử", "one text")
    assert scenario_info(str(path), lang="en") == ("Trial", "one text")


def test_every_shipped_scenario_is_described_in_vietnamese_and_english():
    for name in all_scenarios():
        vi, en = scenario_info(name, lang="vi"), scenario_info(name, lang="en")
        assert vi != en, name
        assert re.search("[ăâđêôơưạảấầẩẫậắằẳẵặẹẻẽếềểễệỉịọỏốồổỗộớờởỡợụủứừửữựỳỵỷỹ]", vi[1]), name
    # on another plan: the baseline is that plan's defaults, a scenario with levers says so
    assert scenario_info("baseline", "vietnam-340", "vi")[1] == (
        "Các chỉ tiêu của kế hoạch theo cách đọc mặc định của kế hoạch, mô hình được chọn tự "
        "động, không có chính sách mới.")
    assert "written for krong-bong-192, on plan vietnam-340" in scenario_info(
        "policy-push", "vietnam-340", "en")[1]


def test_unknown_top_level_key(tmp_path):
    path = scenario_file(tmp_path, "name: x\nparams: {}\n")
    with pytest.raises(ScenarioError, match="unknown key\\(s\\) params; a scenario has"):
        load_scenario(str(path))


def test_unknown_override_is_refused_before_running(tmp_path):
    with pytest.raises(ScenarioError, match="command line: unknown parameter 'paths'"):
        run_report("baseline", {"paths": 10}, tmp_path, progress=False)
    assert not (tmp_path / "baseline").exists()


SCENARIO_SET = ("parameter 'scenario' is the name of the scenario the report runs, set from it "
                "so that the report's title, words and record match its parameters; name the "
                "scenario itself instead (ktt report policy-push, or a YAML file of your own)")


def test_the_scenario_parameter_is_refused_where_it_could_be_set(tmp_path, capsys):
    # `-p scenario policy-push` on the baseline replaced reports/baseline/ with a report that
    # showed the policy push's title and words over the baseline's parameters
    path = scenario_file(tmp_path, "name: x\ndescription: y\nplan: krong-bong-192\n"
                                   "parameters:\n  scenario: policy-push\n")
    with pytest.raises(ScenarioError) as caught:
        load_scenario(str(path))
    assert str(caught.value) == f"{path}: {SCENARIO_SET}"
    with pytest.raises(ScenarioError) as caught:
        run_report("baseline", {"scenario": "policy-push"}, tmp_path, progress=False)
    assert str(caught.value) == f"command line: {SCENARIO_SET}"
    from ktt.cli import main

    assert main(["report", "baseline", "-p", "scenario", "nosuch", "--output",
                 str(tmp_path)]) == 2
    assert capsys.readouterr().err == f"error: command line: {SCENARIO_SET}\n"
    assert not [p for p in tmp_path.iterdir() if p.is_dir()]


@pytest.mark.parametrize(("given", "message"), [
    (["-p", "n_paths", "4000", "-p", "n_paths", "10"],
     "parameter 'n_paths' is given 2 times (-p n_paths 4000, -p n_paths 10); give it once"),
    (["-p", "plan", "vietnam-340", "--plan", "dak-lak-7346"],
     "parameter 'plan' is given 2 times (-p plan vietnam-340, --plan dak-lak-7346); give it "
     "once"),
])
def test_a_parameter_given_twice_is_refused_not_the_last_one_kept(tmp_path, capsys, given,
                                                                   message):
    # the last -p won without a word, and the report recorded a value the user may not have
    # meant
    from ktt.cli import main

    assert main(["report", "baseline", *given, "--output", str(tmp_path)]) == 2
    assert capsys.readouterr().err == f"error: command line: {message}\n"
    assert not list(tmp_path.iterdir())


def test_a_unit_the_default_data_does_not_hold_is_refused_before_running(tmp_path):
    # without data_path the report read the synthetic example, which holds krong-bong only,
    # and wrote a report of seven unknown targets "as of 2025" for a mistyped unit
    with pytest.raises(ScenarioError) as caught:
        run_report("baseline", {"unit": "krong-bonh"}, tmp_path, progress=False)
    assert str(caught.value) == (
        "data/synthetic/krong-bong-example.csv: no figure for unit 'krong-bonh'; the file holds "
        "figures for krong-bong. A report without data_path reads this file; give -p unit with "
        "one of these, or -p data_path with a file of the unit's figures")
    assert not list(tmp_path.iterdir())


def digest(folder):
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in folder.iterdir()}


@pytest.fixture(scope="module")
def good_report(tmp_path_factory):
    output = tmp_path_factory.mktemp("reports")
    return run_report("baseline", {"n_paths": 500}, output, progress=False)


def test_a_report_says_the_command_that_writes_it_again(good_report):
    # a reviewer holding only the report had its parameters, and not the command they give
    summary = json.loads((good_report / "summary.json").read_text(encoding="utf-8"))
    assert summary["command"] == "ktt report baseline -p n_paths 500"
    html = (good_report / "report.html").read_text(encoding="utf-8")
    assert ('<th scope="row">Lệnh lập lại báo cáo</th><td><code>ktt report baseline -p n_paths '
            '500</code></td>') in html
    # the command as typed, and which folder it takes
    assert ('<th scope="row">Kiểm tra tái lập</th><td>lệnh ktt verify THƯ_MỤC, với THƯ_MỤC là '
            'thư mục chứa báo cáo này') in html


def test_the_command_gives_back_the_parameters_it_was_made_from():
    from ktt.inputs.parameters import convert_parameter, notebook_parameters
    from ktt.inputs.scenarios import report_command

    source = config.FORECAST_NOTEBOOK
    ran = {k: v["value"] for k, v in notebook_parameters(source).items()}
    assert report_command(ran) == "ktt report baseline"
    # a value equal to the scenario's is no override; the others are, in the keys' order
    ran.update(scenario="policy-push", extra_foundings_per_year=2.0, seed=7, pooling="province",
               readings={"formation_reading": "mean"}, data_path="my figures.csv")
    command = report_command(ran)
    assert command == ("ktt report policy-push -p data_path 'my figures.csv' -p pooling "
                       "province -p readings '{\"formation_reading\": \"mean\"}' -p seed 7")
    words = shlex.split(command)
    given = {words[i + 1]: convert_parameter(words[i + 1], words[i + 2], source)
             for i, word in enumerate(words) if word == "-p"}
    assert given == {"data_path": "my figures.csv", "pooling": "province",
                     "readings": {"formation_reading": "mean"}, "seed": 7}
    # the baseline on one's own file as the README gives it (the folder named after the
    # file), another plan with --plan, and the backtest's notebook
    ran = {k: v["value"] for k, v in notebook_parameters(source).items()}
    assert report_command({**ran, "data_path": "my-figures.csv"}) == (
        "ktt report -p data_path my-figures.csv")
    assert report_command({**ran, "plan": "vietnam-340", "lang": "en"}) == (
        "ktt report baseline --plan vietnam-340 -p lang en")
    backtest = config.NOTEBOOKS / "backtest.ipynb"
    ran = {k: v["value"] for k, v in notebook_parameters(backtest).items()}
    assert report_command(ran, backtest) == "ktt report baseline --notebook backtest"


def test_report_files_and_summary(good_report):
    assert {p.name for p in good_report.iterdir()} == {"report.ipynb", "report.html",
                                                        "summary.json"}
    summary = json.loads((good_report / "summary.json").read_text(encoding="utf-8"))
    assert summary["data"]["synthetic"] is True
    assert len(summary["data"]["sha256"]) == 64
    assert set(summary["versions"]) >= {"python", "ktt", "numpy", "pandas", "statsmodels",
                                        "papermill", "babel", "scoringrules", "nbconvert"}
    # every other file the report read, with its hash: a changed plan or published record
    # changes the summary too
    inputs = summary["inputs"]
    assert {n: f["path"] for n, f in inputs.items()} == {
        "plan": "plans/krong-bong-192.yaml", "scenario": "scenarios/baseline.yaml",
        "units": "data/units.csv", "published_record": "data/observations.csv",
        # the sources' titles on the page come from these
        "own_sources": "data/synthetic/sources.csv", "sources": "data/sources.csv",
        # the calibration suite's, whose findings the target table's note gives
        **{f"calibration {n}": f"reports/calibration/{n}"
           for n in ("scores.csv", "reliability.csv", "suite.json")}}
    for f in inputs.values():
        assert f["sha256"] == hashlib.sha256((config.ROOT / f["path"]).read_bytes()).hexdigest()
    assert summary["targets"][0]["id"] == "T2025-formation"
    assert set(summary["targets"][0]) >= {"id", "indicator", "status", "probability",
                                          "likelihood", "median", "interval_80", "model"}
    html = (good_report / "report.html").read_text(encoding="utf-8")
    # a Vietnamese report is one to the browser too: its language, its title first
    assert '<html lang="vi">' in html[:100]
    # first on the page, the way to the other reports (reports/index.html), in its language
    assert ("<main><nav class='ktt-home'><a href='../index.html'>← Mục lục các báo cáo</a>"
            "</nav><div class=") in html
    assert re.search(r"<title>VÍ DỤ GIẢ LẬP — không phải số liệu thực của huyện / "
                     r"SYNTHETIC EXAMPLE — not the district(&#39;|')s record \| Cơ sở · "
                     r"krong-bong-192 · ktt: baseline-n_paths-500"
                     r"</title>", html)
    assert "kr.prepare" not in html  # no code cells for readers


def test_same_inputs_same_numbers_and_figures(good_report, tmp_path):
    again = run_report("baseline", {"n_paths": 500}, tmp_path, progress=False)
    first = json.loads((good_report / "summary.json").read_text(encoding="utf-8"))
    second = json.loads((again / "summary.json").read_text(encoding="utf-8"))
    assert first["targets"] == second["targets"]

    def pngs(folder):
        nb = json.loads((folder / "report.ipynb").read_text(encoding="utf-8"))
        return [o["data"]["image/png"] for c in nb["cells"] for o in c.get("outputs", [])
                if "image/png" in o.get("data", {})]

    assert pngs(good_report) == pngs(again) != []


def test_failed_run_keeps_the_last_good_report(good_report, tmp_path, monkeypatch):
    # a cell that fails: the forecast's own check, with the runner's before the kernel left out
    monkeypatch.setattr("ktt.report.runner.check_report", lambda parameters: None)
    output, name = tmp_path / "reports", "baseline-as_of-2099-n_paths-100"
    shutil.copytree(good_report, output / name)  # a good report of the same run, earlier
    before = digest(output / name)
    with pytest.raises(ReportError, match=rf"scenario {name}: cell \d+ failed with KttError: "
                                          "as of 2099 is after krong-bong's last figure"):
        run_report("baseline", {"as_of": 2099, "n_paths": 100}, output, progress=False)
    after = digest(output / name)
    assert after.pop("failed.ipynb")
    assert after == before
    assert [p.name for p in output.iterdir()] == [name]  # no temporary folder left


def test_a_report_in_a_folder_of_ones_own_has_an_index_to_link(good_report):
    # each page's first line links ../index.html; written with --output elsewhere, it led
    # nowhere
    index = (good_report.parent / "index.html").read_text(encoding="utf-8")
    assert index.count(f"href='{good_report.name}/report.html'") == 1
    # no command for the scenarios not made here: it would write into the project's reports/
    assert "make reports" not in index
    assert "ktt report policy-push" not in index
    html = (good_report / "report.html").read_text(encoding="utf-8")
    assert "<nav class='ktt-home'><a href='../index.html'>" in html


def test_index_links_every_scenario(good_report, tmp_path, monkeypatch):
    monkeypatch.setattr(config, "REPORTS", tmp_path)  # the project's reports/: every scenario
    for name in ("baseline", "policy-push"):
        shutil.copytree(good_report, tmp_path / name)
    page = write_index(tmp_path, ["baseline", "policy-push"]).read_text(encoding="utf-8")
    assert page.count("href='policy-push/report.html'") == 1  # the row's header
    assert page.count("href='policy-push/report.html#") == 7  # each target at its row
    assert "SYNTHETIC EXAMPLE" in page
    # Vietnamese first: the page, its first heading, the answers; English beneath
    assert page.startswith("<!doctype html><html lang='vi'>")
    first = re.search(r"<h1>(.*?)</h1>", page).group(1)
    assert first == "Chỉ tiêu của từng kế hoạch: đã đạt, không đạt, hay xác suất đạt"
    assert page.index(first) < page.index("targets: met, missed, or the probability")
    assert ">không đạt</a>" in page
    assert ">missed</a>" not in page
    assert "ít khả năng" in page
    assert "<small>unlikely" not in page
    # the targets in words, the ids only on hover
    assert "HTX và THT thành lập mới/năm, 2030<br>" in page
    assert re.search(r">\s*T20\d\d-", page) is None
    assert "<b>Chính sách hỗ trợ thành lập</b>" in page


def test_the_index_calls_only_the_projects_data_published(good_report):
    from ktt.report.index import page

    summary = json.loads((good_report / "summary.json").read_text(encoding="utf-8"))
    summary["synthetic"] = False
    published = page({"baseline": {**summary, "data": {"path": "data/observations.csv"}}})
    assert "số liệu đã công bố data/observations.csv</i>" in published
    # a district analyst's own file, not yet published, was called published
    own = page({"baseline": {**summary, "data": {"path": "/home/analyst/my-figures.csv"}}})
    assert "số liệu từ tệp /home/analyst/my-figures.csv</i>" in own
    assert "đã công bố /home" not in own


def test_writing_the_index_imports_no_forecasting_library():
    # the index is written at the end of ktt report --all, in the command's own process,
    # after every report: importing scipy.stats, statsmodels and matplotlib there took 1.4 s
    heavy = ("matplotlib", "scipy.stats", "statsmodels", "scoringrules")
    done = subprocess.run([sys.executable, "-c", "import sys, ktt.report.index; "
                           f"print([m for m in {heavy!r} if m in sys.modules])"],
                          capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]"


def test_report_says_which_model_serves_each_indicator_and_why():
    ctx = kr.prepare(lang="en", n_paths=200)
    table = kr.model_table(ctx).set_index("Indicator")
    chosen = ctx.forecast.choices["orgs_new"]
    # eleven years score too few forecasts for one model to win: the paths are mixed
    assert chosen.model == "mixture"
    # the candidates only: the others are scored and shown, but not mixed
    candidates = {m: c for m, c in chosen.crps.items() if m in AUTO_CANDIDATES["count"]}
    best = min(candidates, key=candidates.get)
    assert table.loc["orgs_new", "Why (backtest)"].startswith(
        f"a mixture of {model_words(best, 'en')} ")
    assert chosen.weights[best] == max(chosen.weights.values())
    assert sum(chosen.weights.values()) == pytest.approx(1)
    targets = {t["id"]: t for t in provenance.summary(ctx)["targets"]}
    assert targets["T2030-formation"]["model"] == "mixture"
    # the weights as served: a candidate that fell back (negbin at its dispersion bound, to
    # Poisson) gives its weight to the model it fell back to
    served = dict(chosen.weights)
    for fallback in ctx.forecast.fits["orgs_new"].fallbacks:
        to = FALLBACK[fallback.model]
        served[to] = served.get(to, 0.0) + served.pop(fallback.model)
    assert targets["T2030-formation"]["model_weights"] == pytest.approx(served, abs=1e-6)
    # the model table says the same weights: a fallen-back candidate's under its fallback
    for model, weight in served.items():
        assert (f"{model_words(model, 'en')} {round(weight * 100)}%"
                in table.loc["orgs_new", "Why (backtest)"])
    # summary.json keeps the English reason for machines, with its kind, and says what
    # serves when a fallback changed the chosen models
    words = ", ".join(f"{m} {w:.2f}" for m, w in sorted(served.items(), key=lambda x: -x[1]))
    assert targets["T2030-formation"]["model_reason"] == (
        chosen.reason + (f"; served after fallbacks as {words}"
                         if set(served) != set(chosen.weights) else ""))
    assert targets["T2030-formation"]["model_reason_code"] == "few"


ENGLISH_REASON = re.compile(r"mixture|fell back|scored forecasts|figures?,|too few|weights "
                            r"proportional|baseline|could not|needs \d|recent_mean|negbin|"
                            r"last_value|logit_normal")


@pytest.mark.parametrize("plan", ["krong-bong-192", "vietnam-340"])
def test_the_vietnamese_model_table_gives_its_reasons_in_vietnamese(plan):
    ctx = kr.prepare(lang="vi", n_paths=200, plan=plan)
    table = kr.model_table(ctx)
    reasons = [*table["Lý do chọn (kiểm định quá khứ)"], *table["Ghi chú"]]
    assert [r for r in reasons if ENGLISH_REASON.search(r)] == []
    assert any("mốc dự báo" in r or "quá ít để kiểm định" in r for r in reasons)
    if plan == "krong-bong-192":  # negbin's dispersion ends at its bound on the example
        note = table.set_index("Chỉ số").loc["orgs_new", "Ghi chú"]
        # with the reason, as the English gives it, in Vietnamese
        assert note == ("xu hướng nhị thức âm không dùng được (hệ số phân tán ước lượng bằng 0: "
                        "số liệu không dao động nhiều hơn mô hình Poisson): dùng xu hướng Poisson")


def test_a_named_model_is_used_as_named_and_the_other_family_still_chosen():
    # poisson: on the example negbin's dispersion ends at its bound and falls back to it
    ctx = kr.prepare(lang="en", n_paths=200, model="poisson")
    table = kr.model_table(ctx).set_index("Indicator")
    assert table.loc["orgs_new", "Model"] == "Poisson trend (poisson)"
    assert table.loc["orgs_new", "Why (backtest)"] == "named in the parameters"
    # a share's one candidate is still scored by the backtest, not named, and said to be the
    # one candidate rather than the best of several
    assert table.loc["profitable_share", "Why (backtest)"].startswith(
        "the one candidate of its kind (the backtest report scores the others for "
        "comparison); mean CRPS")
    assert table.loc["profitable_share", "Model"].startswith("reverting to a level or a line")
    assert provenance.summary(ctx)["targets"][0]["model_reason_code"] == "named"


def test_backtest_report_runs_and_names_each_indicators_model(tmp_path):
    folder = run_report("baseline", {"n_paths": 200, "lang": "en"}, tmp_path,
                        notebook="backtest", progress=False)
    assert folder.name == "baseline-lang-en-n_paths-200-backtest"
    summary = json.loads((folder / "summary.json").read_text(encoding="utf-8"))
    assert summary["data"]["synthetic"] is True
    chosen = summary["indicators"]["orgs_new"]
    assert chosen["model"] == "mixture"
    best = min((row for row in chosen["scores"] if row["model"] in AUTO_CANDIDATES["count"]),
               key=lambda row: row["crps"])
    assert best["weight"] == max(row["weight"] for row in chosen["scores"])
    assert best["chosen"] is True
    # the calibration suite it shows is among the files it read, with their hashes
    assert {"calibration scores.csv", "calibration suite.json"} <= set(summary["inputs"])
    html = (folder / "report.html").read_text(encoding="utf-8")
    assert html.index("SYNTHETIC EXAMPLE") < html.index("Backtest: how past forecasts fared")
    assert "<a href='../index.html'>← Index of reports</a>" in html
    assert ("Input file: calibration suite.json</th><td><code>reports/calibration/suite.json"
            in html)
    # the unit's own reliability points are read against their consistency bars
    assert re.search(r"Here \d+ of \d+ points lie outside their bars", html)
    # the tables in English words, counts with the English separator (a cell is ``>…</td>``:
    # the stacked tables' cells carry their column's name)
    for words in ("<th>Met when said met</th>", ">All indicators</td>",
                  ">New HTX and THT per year</td>", ">reverting to a level or a line</td>",
                  ">ktt (forecast probabilities)</td>", ">1,000</td>", ">yes</td>"):
        assert words in html, words
    assert "(met_when_said)" not in html
    assert "<td>open_sdg</td>" not in html


@pytest.fixture(scope="module")
def english():
    return kr.prepare(lang="en", n_paths=200)


def test_report_shows_the_official_classes_with_their_base_year_and_a_legend(english):
    page = kr.progress_table(english).data
    assert page.count("<small>base 2020</small>") == 3  # one heading per method
    for name in ("Open SDG / Eurostat", "UNSD progress chart", "ESCAP anticipated progress",
                 "sdg/ProgressMeasure.py", "Progress Chart Technical Note 2023"):
        assert name in page
    # each target in the words of the target table, never by its id
    targets = english.targets.resolve(english.forecast.settings["readings"])
    for target in targets:
        assert f">{target_label(target, 'en')}<br><small>" in page
        assert f">{target.id}<" not in page
    assert "background:#1a9850" in page  # a coloured class
    # a class's hover names its method and class in words, with the method's formula in English
    assert re.search(r"title='Open SDG / Eurostat: [^;']+; base 2020: [^;']+; latest 20\d\d: "
                     r"[^;']+; \w", page)
    # and in Vietnamese without the English formula or the codes
    vietnamese = kr.progress_table(kr.prepare(lang="vi", n_paths=200)).data
    tips = re.findall(r"<td data-label='[^']*' style='background:[^']*' title='([^']*)'",
                      vietnamese)
    assert tips
    assert all(t.startswith(("Open SDG", "Biểu đồ", "ESCAP", "UNSD")) for t in tips), tips[:3]
    assert not any("open_sdg" in t or "observed" in t or "latest" in t for t in tips)
    targets = provenance.summary(english)["targets"]
    assert provenance.summary(english)["base_year"] == 2020
    for target in targets:
        assert [p["method"] for p in target["progress"]] == ["open_sdg", "unsd", "escap"]
        assert all(p["base_year"] == 2020 for p in target["progress"])
        assert set(target["progress"][0]) >= {"method", "base_year", "base_value",
                                              "latest_year", "latest_value", "ratio", "class"}
    formation = {t["id"]: t for t in targets}["T2030-formation"]
    assert formation["yearly"]["years_left"] == 5


def test_the_summary_gives_an_interval_only_where_the_target_year_is_forecast(english):
    # as ktt status --json: a decided target's "interval" was its figure twice (6 to 6)
    targets = {t["id"]: t for t in provenance.summary(english)["targets"]}
    assert targets["T2025-formation"]["status"] == "missed"
    assert targets["T2025-formation"]["interval_80"] == [None, None]
    low, high = targets["T2030-formation"]["interval_80"]
    assert low < high


def test_the_base_year_is_a_parameter():
    ctx = kr.prepare(lang="en", n_paths=200, base_year=2015)
    summary = provenance.summary(ctx)
    assert summary["base_year"] == 2015
    assert {p["base_year"] for t in summary["targets"] for p in t["progress"]} == {2015}
    assert "<small>base 2015</small>" in kr.progress_table(ctx).data


def test_a_target_open_by_a_gap_year_needs_in_both_tables_what_its_pace_says():
    # Đắk Lắk's 2018 foundings: 2018 has no figure and no year is left; the target table asks
    # the plan's 40 of it, and the progress table said "no year left"
    ctx = kr.prepare(plan="dak-lak-7920", lang="en", n_paths=200)
    required = target_table(ctx).set_index("Target").loc["T2018-htx-new",
                                                            "Required pace / year"]
    cell = re.search(r"<td data-label='Years met / ([^']*)'>([^<]*)</td>",
                     kr.progress_table(ctx).data)
    assert cell, kr.progress_table(ctx).data
    assert cell.group(2).split(" / ")[1] == required != "no year left"
    assert cell.group(1) == "needed each year without a figure / recent level"


def test_a_target_already_met_says_so_with_no_negative_pace(english):
    table = target_table(english).set_index("Target")
    required = table["Required pace / year"]
    assert required["T2025-profitable"] == "met"
    assert required["T2025-formation"] == "missed"  # no pace can mend a year that fell short
    assert required["T2030-profitable"] == "0 (already at the level: hold it)"  # 67.8 % > 65 %
    assert not required.str.startswith("-").any()


def test_a_class_that_disagrees_with_the_probability_is_said_in_one_sentence(english):
    notes = kr.progress_notes(english).data.splitlines()
    formation = [line for line in notes
                 if line.startswith("- **New HTX and THT per year, 2030**")]
    assert len(formation) == 1
    assert formation[0].startswith(
        "- **New HTX and THT per year, 2030**: the official classes say it is on track (Open "
        "SDG / Eurostat: at the target level; ")
    assert "), but ktt's probability that it is met is only" in formation[0]
    decided = next(line for line in notes
                   if line.startswith("- **New HTX and THT per year, 2025**"))
    assert decided.endswith("), but the record already decides it: missed.")
    vi = kr.progress_notes(kr.prepare(lang="vi", n_paths=200)).data
    assert "theo xếp loại của các phương pháp SDG (Open SDG / Eurostat: " in vi
    assert "), chỉ tiêu đang đúng tiến độ, nhưng xác suất đạt theo ktt chỉ là" in vi
    assert "T2030-formation" not in vi


def test_backtest_report_scores_the_official_classes_beside_ktt():
    import dataclasses

    import pandas as pd

    import ktt.report.backtest as kb
    from ktt.calibration.suite import SuiteRecord

    ctx = kb.prepare(lang="en", n_paths=200)
    # the backtest report says what CRPS and coverage are before its tables use them
    header = kb.header(ctx).data
    assert "CRPS (continuous ranked probability score) measures" in header
    assert "Coverage (the share of outcomes inside the interval)" in header
    assert header.index("Coverage") < header.index("CRPS (continuous")
    table = kb.official_table(ctx)
    overall = table[table["indicator"] == "all"]
    assert list(overall["method"]) == ["ktt", "open_sdg", "unsd", "escap"]
    assert "from the base year 2020" in kb.official_text(ctx).data
    assert [row["method"] for row in kb.summary(ctx)["official"]][:4] == list(
        table["method"].iloc[:4])
    scores = pd.DataFrame({"target_family": "formation",
                           "method": ["ktt", "persistence", "open_sdg", "unsd", "escap"],
                           "n": 10, "base_rate": 0.5, "brier": 0.2, "bss": 0.2})
    suite = SuiteRecord(scores, pd.DataFrame(), {"districts": 4, "families": ["steady"]})
    shown = kb.official_suite_table(dataclasses.replace(ctx, suite=suite))
    assert list(shown["method"]) == ["ktt", "open_sdg", "unsd", "escap"]
    older = SuiteRecord(scores[scores["method"].isin(["ktt", "persistence"])], pd.DataFrame(),
                        {})
    assert "run `make calibration` again" in kb.official_suite_table(
        dataclasses.replace(ctx, suite=older)).data
    assert kb.official_suite_table(dataclasses.replace(ctx, suite=None)).data.startswith(
        "The calibration suite has not been saved")


def test_a_scenario_value_changed_on_the_command_line_is_said_beside_its_description():
    own = kr.prepare(lang="en", n_paths=200, **load_scenario("policy-push")[1])
    assert "Changed from the scenario" not in kr.scenario_changes(own).data
    params = load_scenario("policy-push")[1] | {"extra_foundings_per_year": 4.0}
    changed = kr.prepare(lang="en", n_paths=200, **params)
    assert overridden(changed.parameters) == {"extra_foundings_per_year": (4.0, 2.0)}
    assert ("Changed from the scenario: extra_foundings_per_year = 4.0 (the scenario: 2.0). "
            "The description above gives the scenario&#x27;s own values") in (
        kr.scenario_changes(changed).data)


def test_a_scenario_with_its_levers_set_back_does_not_call_itself_the_baseline():
    # its name typed into a notebook's parameters cell, or -p extra_foundings_per_year 0: the
    # report called itself "the baseline: the other scenarios are compared with it"
    named = kr.prepare(lang="en", n_paths=200, scenario="policy-push")
    page = kr.scenario_changes(named).data
    assert "This is the baseline" not in page
    assert ("This report sets none of the scenario&#x27;s levers (extra foundings, dissolutions, "
            "extra households enrolled, readings of the plan) away from the baseline&#x27;s: "
            "the numbers below are the baseline&#x27;s.") in page
    baseline = kr.scenario_changes(kr.prepare(lang="en", n_paths=200)).data
    assert "This is the baseline: the other scenarios are compared with it." in baseline


def test_a_scenario_of_other_readings_names_both_rules_and_a_flipped_status():
    ctx = kr.prepare(lang="en", n_paths=200, **load_scenario("lenient-readings")[1])
    page = kr.scenario_changes(ctx).data
    # each column answers its own rule, and a target the record decides both ways flips
    assert ("on average 2020\u20132025 at least 4 a year; baseline: every year "
            "2021\u20132025 at least 4</small></td><td style='background:") in page
    assert "<td><strong>missed → met</strong></td>" in page
    # the largest change starts from the baseline's status where the record decides it
    assert ("Share of HTX rated fair or good, 2030 (read here as: an upward trend "
            "2020\u20132030), from missed to a probability of ") in page


def test_a_backtest_table_is_shown_in_the_reports_language_without_index():
    import ktt.report.backtest as kb

    table = pd.DataFrame({"indicator": ["orgs_new", "all"], "model": ["negbin", "beta"],
                          "method": ["ktt", "open_sdg"], "crps": [1.5676, 0.5],
                          "n": [25, 1000], "met_when_not": [float("nan"), 0.25],
                          "chosen": [True, False], "crps_3": [0.1, 0.2]})
    page = kb.show(table, "vi", decimals=3).data
    for cell in (">1,568</td>", ">-</td>", ">25</td>", ">1.000</td>",
                 ">25%</td>", ">có</td>", ">không</td>", "<th>Chỉ số</th>",
                 "<th>Tần suất đạt khi nhận định không đạt</th>", "<th>CRPS năm thứ 3</th>",
                 ">HTX và THT thành lập mới/năm</td>", ">Tất cả chỉ số</td>",
                 ">xu hướng nhị thức âm</td>", ">ktt (xác suất dự báo)</td>",
                 ">Open SDG / Eurostat</td>"):
        assert cell in page
    # no code a Vietnamese reader cannot read, in a cell or a heading
    for code in ("orgs_new", "negbin", "open_sdg", "True", "False", "(indicator)",
                 "met_when_not", ">0<"):  # >0<: no index column
        assert code not in page
    # a wide table stacks on a phone, each cell under its column's name, a dash left out;
    # one of a few columns fits it as it is
    assert "ktt-narrow" not in page
    assert "<td data-label='Tần suất đạt khi nhận định không đạt'>25%</td>" in page
    assert "<td class='ktt-empty' data-label='Tần suất đạt khi nhận định không đạt'>-</td>" in page
    assert len(labelled(page)) == 1
    narrow = kb.show(table.iloc[:, :4], "vi").data
    assert 'class="dataframe ktt-wrap ktt-narrow"' in narrow
    # a wide table of no row keeps its header on a phone, which a stacked one hides
    assert "ktt-stack" not in kb.show(table.iloc[:0], "vi").data
    assert "ktt-stack" not in narrow
    assert "data-label" not in narrow
    english = kb.show(table, "en", decimals=3).data
    for cell in (">1,000</td>", ">yes</td>", "<th>Indicator</th>",
                 "<th>Met when said not met</th>", "<th>CRPS, year 3 ahead</th>",
                 ">New HTX and THT per year</td>", ">All indicators</td>",
                 ">negative-binomial trend</td>", ">ktt (forecast probabilities)</td>"):
        assert cell in english
    assert "với 8.000 huyện giả lập" in kb.suite_text(kb.prepare(n_paths=100)).data


def test_a_skill_score_without_meaning_is_a_dash_with_a_note_saying_why():
    import dataclasses

    import ktt.report.backtest as kb
    from ktt.calibration.suite import SuiteRecord

    scores = pd.DataFrame({"target_family": ["profitable", "profitable", "direction",
                                             "direction"],
                           "method": ["ktt", "escap", "ktt", "escap"],
                           "n": [1000, 946, 205, 186], "base_rate": [0.506, 0.502, 0.0049, 0.0054],
                           "brier": [0.101, 0.156, 0.0048, 0.683],
                           "bss": [0.596, 0.374, 0.006, -126.686]})
    suite = SuiteRecord(scores, pd.DataFrame(), {"districts": 500, "families": ["steady"]})
    ctx = dataclasses.replace(kb.prepare(n_paths=100), suite=suite)
    table = kb.official_suite_table(ctx)
    assert table["bss"].isna().tolist() == [False, False, True, True]
    page = kb.official_suite(ctx).data
    assert "-126" not in page
    assert "126,686" not in page
    assert ">0,596</td>" in page
    assert ">1.000</td>" in page
    assert "tần suất nền của nhóm tăng từng năm gần 0 hoặc 1" in page
    assert "direction" not in page
    # the suite's sentence leaves it out too, and names the processes in words
    said = kb.suite_text(ctx).data
    assert "tăng từng năm - (205)" in said
    assert "0,006" not in said
    assert "quá trình ổn định," in said
    assert "steady" not in said
    english = kb.official_suite(dataclasses.replace(ctx, lang="en")).data
    assert "the base rate of direction is near 0 or 1" in english
    # every kind's skill kept when none is near 0 or 1: no note
    kept = dataclasses.replace(ctx, suite=SuiteRecord(scores.iloc[:2], pd.DataFrame(), {}))
    assert "<small>" not in kb.official_suite(kept).data


def test_the_vietnamese_backtest_report_reads_without_codes(tmp_path):
    folder = run_report("baseline", {"n_paths": 200}, tmp_path, notebook="backtest",
                        progress=False)
    page = (folder / "report.html").read_text(encoding="utf-8")
    page = re.sub(r"data:image/png;base64,[^'\"]*", "", page)  # the charts' bytes
    body = page[page.index("<body"):page.index('<div class="ktt-provenance">')]
    assert "Kiểm định dự báo trên số liệu quá khứ" in body
    assert "Kịch bản: Cơ sở (<code>baseline</code>)" in body  # its title, the id beside it
    for code in ("orgs_new", "household_share", "profitable_share", "rated_good_share",
                 "open_sdg", "mean_reverting", "negbin", "(met_when_said)", "(indicator)",
                 "(method)", "(base_rate)", "(ktt_brier)", ">True<", ">False<", "-126",
                 "direction", ">all<"):
        assert code not in body, code
    assert ">1.000</td>" in body  # the suite's calls, with the thousands separator
    for words in ("<th>Tần suất đạt khi nhận định đạt</th>", ">Tất cả chỉ số</td>",
                  ">quay về mức hoặc đường xu hướng</td>", ">tăng từng năm</td>",
                  ">ESCAP (tiến độ dự kiến)</td>", ">có</td>"):
        assert words in body, words
    # every table in a box of its own that scrolls sideways
    assert body.count("<table") == body.count('<div class="ktt-scroll"')
    # the wide tables (scores, the official classes here and on the suite) stack on a phone,
    # each cell under its column's name; the narrow ones (choice, reliability) do not
    heads = [table_heads for table_heads, _ in labelled(body)]
    assert len(heads) == 3
    assert len(heads[0]) >= 12
    assert "CRPS trung bình" in heads[0]
    assert len(heads[1]) >= 8
    assert "Tần suất đạt khi nhận định đạt" in heads[1]
    assert "Điểm kỹ năng Brier" in heads[2]


def labelled(page: str) -> list[tuple[list[str], int]]:
    """The stacked tables (``ktt.report.stacked``) of ``page``, each as its headings and its
    count of rows, asserting that each has rows and that every cell of every row carries its
    column's heading, not empty, as its ``data-label``, which a phone shows before it (a
    heading's note in ``<small>`` beneath its name, such as a base year, is not its name)."""
    class Tables(HTMLParser):
        def __init__(self):
            super().__init__()
            self.tables, self.inside, self.head, self.note = [], False, None, False

        def handle_starttag(self, tag, attrs):
            attrs = dict(attrs)
            if tag == "small" and self.head is not None:
                self.note = True
            elif tag == "table":
                self.inside = "ktt-stack" in (attrs.get("class") or "").split()
                if self.inside:
                    self.tables.append(([], []))
            elif self.inside and tag == "th":
                self.head = ""
            elif self.inside and tag == "tr":
                self.tables[-1][1].append([])
            elif self.inside and tag == "td":
                self.tables[-1][1][-1].append(attrs.get("data-label"))

        def handle_data(self, data):
            if self.head is not None and not self.note:
                self.head += data

        def handle_endtag(self, tag):
            if tag == "small":
                self.note = False
            elif tag == "th" and self.head is not None:
                self.tables[-1][0].append(self.head.strip())
                self.head = None
            elif tag == "table":
                self.inside = False

    parser = Tables()
    parser.feed(page)
    for heads, rows in parser.tables:
        assert heads
        assert all(heads), heads
        body = rows[1:]  # the first row is the headings'
        assert body, heads
        for labels in body:
            assert labels == heads, (labels, heads)
    return [(heads, len(rows) - 1) for heads, rows in parser.tables]


def test_the_target_table_stacks_on_a_phone_each_cell_under_its_heading():
    # the committed report, as a reader gets it: the same writer as the backtest's tables
    folder = config.REPORTS / "baseline"
    summary = json.loads((folder / "summary.json").read_text(encoding="utf-8"))
    tables = labelled((folder / "report.html").read_text(encoding="utf-8"))
    (heads, rows), (progress, progress_rows), published, models = tables
    assert heads[0] == text("target", "vi")
    assert rows == progress_rows == len(summary["targets"])
    # the official classes too, each under its method's name (its base year beneath on a
    # desktop)
    assert progress[3:6] == [text(m, "vi") for m in ("open_sdg", "unsd", "escap")]
    # the published figures and the models stack too (more than stacked.NARROW columns)
    assert published[0][:2] == [text("unit", "vi"), text("year", "vi")]
    assert models[0][0] == text("indicator", "vi")


def _folder(scenario: str, overrides: dict) -> str:
    notebook = config.FORECAST_NOTEBOOK
    name, own = load_scenario(scenario, notebook)
    return report_name(name, own, overrides, notebook)


def test_a_run_with_overrides_gets_a_folder_that_names_them():
    assert _folder("baseline", {}) == "baseline"
    assert _folder("baseline", {"seed": 7}) == "baseline-seed-7"
    # the same overrides in any order: the same folder
    assert (_folder("baseline", {"seed": 7, "lang": "en"})
            == _folder("baseline", {"lang": "en", "seed": 7}) == "baseline-lang-en-seed-7")
    # a value the scenario (or the notebook's default) already has changes nothing
    assert _folder("baseline", {"seed": 2020, "lang": "vi"}) == "baseline"
    assert _folder("policy-push", {"extra_foundings_per_year": 2.0}) == "policy-push"
    assert _folder("policy-push", {"extra_foundings_per_year": 3.0}) == (
        "policy-push-extra_foundings_per_year-3.0")
    # another plan prefixes the name as before; a data file is named, never ending as a
    # plan's committed <plan>-baseline does
    assert _folder("baseline", {"plan": "vietnam-340", "n_paths": 500}) == (
        "vietnam-340-baseline-n_paths-500")
    assert _folder("policy-push", {"data_path": "/x/baseline.csv"}) == (
        "policy-push-baseline-data")
    assert _folder("baseline", {"readings": {"formation_reading": "mean"}}) == (
        "baseline-readings-formation_reading-mean")
    long = _folder("baseline", {"as_of": 2022, "n_paths": 100, "pooling": "province",
                                "readings": {"formation_reading": "mean"}, "model": "beta"})
    assert len(long) <= len("baseline-") + 60
    assert re.fullmatch(r"baseline-as_of-2022-model-beta-n_paths-100-pooling-pr[a-z-]*"
                        r"-[0-9a-f]{8}", long)


@pytest.mark.parametrize(("overrides", "message"), [
    ({"as_of": 2099}, "as of 2099 is after krong-bong's last figure (2025)"),
    ({"base_year": 1900}, "base year 1900 is before krong-bong's first figure of the plan's "
                          "indicators, of 2015"),
    ({"dormant_dissolved": 40}, "dormant_dissolved = 40 is more than the 19 organizations"),
    ({"extra_foundings_per_year": 2.0, "extra_from_year": 2040},
     "extra_from_year = 2040 is after the plan's last year (2030)")])
def test_a_wrong_as_of_year_base_year_or_lever_is_refused_before_any_cell_runs(tmp_path,
                                                                                 overrides,
                                                                                 message):
    with pytest.raises(KttError, match=re.escape(message)) as raised:
        run_report("baseline", overrides, tmp_path, progress=False)
    assert not isinstance(raised.value, ReportError)  # not a cell's failure
    assert list(tmp_path.iterdir()) == []  # no folder, no partial notebook


def test_the_backtests_base_year_before_the_first_figure_is_refused_before_any_cell_runs(
        tmp_path):
    # the official classes it scores would measure from 2015 and be said from 1900
    with pytest.raises(KttError) as raised:
        run_report("baseline", {"base_year": 1900}, tmp_path, "backtest", progress=False)
    assert str(raised.value).startswith(
        "base year 1900 is before krong-bong's first figure of the plan's indicators, of 2015 "
        "(orgs_new, household_share, profitable_share, rated_good_share): the official classes "
        "would measure progress from 2015, not 1900; give 2015 or later (--base-year; ")
    assert list(tmp_path.iterdir()) == []


def test_an_override_equal_to_the_scenario_changes_neither_folder_nor_notebook():
    from ktt.report.runner import _named

    notebook = config.FORECAST_NOTEBOOK
    assert _named("baseline", {}, notebook) == _named(
        "baseline", {"seed": 2020, "lang": "vi", "readings": {}}, notebook)
    # what papermill injects comes sorted, nested mappings too, as it records them
    name, parameters = _named("lenient-readings", {"seed": 7}, notebook)
    assert name == "lenient-readings-seed-7"
    assert list(parameters) == sorted(parameters)
    assert list(parameters["readings"]) == sorted(parameters["readings"])


def test_a_notebook_on_a_file_without_its_unit_is_refused_as_a_report_is():
    # kr.prepare answered every target NaN, without a word, where ktt report refuses
    with pytest.raises(ScenarioError) as info:
        kr.prepare(data_path=str(EXAMPLE_PATH.relative_to(config.ROOT)), unit="krong-ana",
                   n_paths=100)
    assert str(info.value) == (
        "data/synthetic/krong-bong-example.csv: no figure for unit 'krong-ana'; the file holds "
        "figures for krong-bong. Correct the file's unit column, or give -p unit with one of "
        "these")


def test_readings_given_as_text_by_papermill_are_read_as_a_mapping():
    # analyst trial: `papermill forecast.ipynb out.ipynb -p readings '{...}'` hands the
    # notebook a text, and prepare failed with "dictionary update sequence element #0"
    from ktt.report.context import notebook_inputs

    values = {"lang": "en", "data_path": str(EXAMPLE_PATH), "plan": "krong-bong-192",
              "unit": ""}
    parameters, _ = notebook_inputs({**values, "readings": '{"formation_reading": "mean"}'})
    assert parameters["readings"] == {"formation_reading": "mean"}
    assert notebook_inputs({**values, "readings": ""})[0]["readings"] == {}
    with pytest.raises(KttError, match=r"should be a mapping .* -y 'readings: "):
        notebook_inputs({**values, "readings": "formation_reading=mean"})


def test_a_class_that_disagrees_alone_is_not_said_to_be_every_class(english):
    # the district's rated-good share: ESCAP says "maintain progress", Open SDG and UNSD say it
    # is off track; "the official classes say it is on track (ESCAP ...)" hid the two
    rated = next(line for line in kr.progress_notes(english).data.splitlines()
                 if line.startswith("- **Share of HTX rated fair or good, 2030**"))
    classes = {r.method: r.category for r in english.forecast.table.set_index("id").loc[
        "D-rated-good", "progress"]}
    assert classes["escap"] == "maintain"
    assert classes["unsd"] == "stagnation_or_regression"
    assert rated.startswith("- **Share of HTX rated fair or good, 2030**: 1 of the 3 official "
                            "classes says it is on track (ESCAP anticipated progress: "), rated
    vi = kr.progress_notes(kr.prepare(lang="vi", n_paths=200)).data
    assert "theo xếp loại của 1 trong 3 phương pháp SDG (ESCAP" in vi


def test_a_model_reason_on_one_year_of_figures_says_one_year():
    # "1 years of figures, too few to backtest": the national THT members and rated-good share
    ctx = kr.prepare(lang="en", n_paths=200, plan="vietnam-340")
    reasons = kr.model_table(ctx).set_index("Indicator")["Why (backtest)"]
    assert reasons["tht_members"].startswith("1 year of figures, too few to backtest"), reasons
    assert not reasons.str.contains(r"\b1 years\b").any()
    assert reasons["htx_members"].startswith("2 years of figures")


def test_every_reason_a_model_fails_is_said_in_vietnamese():
    # the Vietnamese model table said only that a fit failed; the English gave the models'
    # own words. A new error in ktt.models without words of its own would be left in English
    from ktt.report.model_table import error_words

    sources = "".join(p.read_text(encoding="utf-8") for p in (config.ROOT / "ktt" / "models")
                      .glob("*.py"))
    errors = re.findall(r'raise RuntimeError\(f?"([^"]+)"', sources)
    assert len(errors) >= 6
    for error in errors:
        shown = re.sub(r"\{[^}]*\}", "3", error)  # a count where the model puts one
        said = error_words(shown, "vi")
        assert said != shown, error
        assert ENGLISH_REASON.search(said) is None, said
