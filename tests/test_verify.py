"""``ktt verify``: a report rerun with the parameters it recorded, and compared byte for byte."""

from __future__ import annotations

import json
import shutil
import subprocess
from dataclasses import replace

import pytest

from ktt import config
from ktt.cli import main
from ktt.report.provenance import code_commit
from ktt.report.runner import run_report
from ktt.report.verify import FILES, summary_differences, verify_report


@pytest.fixture
def copy(tmp_path):
    """A copy of the committed baseline report, in a folder of the same name."""
    folder = tmp_path / "baseline"
    shutil.copytree(config.REPORTS / "baseline", folder)
    return folder


def _edit_summary(folder, change) -> None:
    path = folder / "summary.json"
    summary = json.loads(path.read_text(encoding="utf-8"))
    change(summary)
    path.write_text(json.dumps(summary, ensure_ascii=False, indent=1, sort_keys=True) + "\n",
                    encoding="utf-8")


def test_the_committed_baseline_reproduces_and_is_left_untouched(copy):
    before = {p.name: p.read_bytes() for p in copy.iterdir()}
    found = verify_report(copy)
    assert found.reproduced
    assert found.notebook == "forecast"
    assert found.parameters == {"plan": "krong-bong-192", "scenario": "baseline"}
    assert set(found.inputs["status"]) == {"same"}
    assert "data/synthetic/krong-bong-example.csv" in set(found.inputs["path"])
    assert found.differences == []
    assert {p.name: p.read_bytes() for p in copy.iterdir()} == before


def test_a_report_whose_numbers_were_edited_does_not_reproduce(copy, capsys):
    def change(summary):
        summary["targets"][0]["probability"] = 0.123
        summary["data"]["sha256"] = "0" * 64  # as if made from another data file
    _edit_summary(copy, change)
    assert main(["verify", str(copy)]) == 1
    out = capsys.readouterr().out
    first = json.loads((config.REPORTS / "baseline" / "summary.json").read_text())["targets"][0]
    assert (f"targets[{first['id']}].probability: 0.123 -> {first['probability']}"
            in out)
    assert "data/synthetic/krong-bong-example.csv  changed" in out
    assert "rerun: summary.json differs, report.ipynb same, report.html same" in out
    assert out.rstrip().splitlines()[-1].startswith("not reproduced:")


def test_a_page_edited_after_the_run_at_the_same_commit_is_said_to_be_edited(copy, capsys):
    # it said "made by other code (git log)" beside "made at commit X, rerun at X"
    from ktt.cli.verify import _print_verification

    page = copy / "report.html"
    text = page.read_text(encoding="utf-8")
    assert "17% · ít khả năng" in text
    page.write_text(text.replace("17% · ít khả năng", "27% · ít khả năng"), encoding="utf-8")
    found = verify_report(copy)
    assert found.files == {"summary.json": "same", "report.ipynb": "same",
                           "report.html": "differs"}
    commit = "0123456789abcdef" * 2 + "01234567"
    assert not _print_verification(copy, replace(found, commits=(commit, commit)))
    assert capsys.readouterr().out.splitlines()[-1] == (
        "not reproduced: the same code, files and package versions wrote report.html "
        "differently, so it was most likely edited after the run (--keep DIR keeps the "
        "rerun's to compare); if not, the run is not deterministic, which is a bug to report")
    # at another commit, or with changes not committed, the code may explain it
    for commits in ((commit, code_commit()), (f"{commit}-dirty", f"{commit}-dirty")):
        _print_verification(copy, replace(found, commits=commits))
        assert "made by other code" in capsys.readouterr().out.splitlines()[-1]


def test_summary_differences_name_targets_by_id():
    old = {"as_of": 2024, "targets": [{"id": "T1", "probability": 0.5, "status": "open"}]}
    new = {"as_of": 2024, "targets": [{"id": "T1", "probability": 0.6, "status": "open"}],
           "unit": "x"}
    assert summary_differences(old, new) == ["targets[T1].probability: 0.5 -> 0.6",
                                             "unit: (none) -> x"]
    assert summary_differences(old, old) == []


def test_summary_differences_list_the_targets_answers_before_the_rest():
    # one figure changed: the data's hash, two targets' model scores and reasons came before
    # a probability, and the status of a later target fell beyond the ten lines shown
    target = {"model_crps": {"negbin": 1.13, "rate_walk": 1.27}, "model_reason": "a",
              "probability": 0.804, "status": "open", "interval_80": [2.9, 11.0]}
    old = {"data": {"sha256": "aa"}, "targets": [{"id": "A", **target}, {"id": "B", **target}]}
    new = {"data": {"sha256": "bb"}, "targets": [
        {"id": "A", **target, "model_crps": {"negbin": 1.5, "rate_walk": 1.52},
         "probability": 0.7825},
        {"id": "B", **target, "model_reason": "b", "status": "met", "interval_80": [2.0, 11.0]}]}
    assert summary_differences(old, new) == [
        "targets[A].probability: 0.804 -> 0.7825",
        "targets[B].interval_80[0]: 2.9 -> 2.0",
        "targets[B].status: open -> met",
        "data.sha256: aa -> bb",
        "targets[A].model_crps.negbin: 1.13 -> 1.5",
        "targets[A].model_crps.rate_walk: 1.27 -> 1.52",
        "targets[B].model_reason: a -> b"]


def test_a_folder_that_is_not_a_report_is_refused(tmp_path, capsys):
    assert main(["verify", str(tmp_path)]) == 2
    assert capsys.readouterr().err == (
        f"error: {tmp_path}: no summary.json and no report.ipynb; give a report folder that "
        "`ktt report` wrote, such as reports/baseline\n")
    # a file of the report: its folder; another file, such as the data file handed over with
    # the report: its folder was named, which holds no report either
    page = tmp_path / "report.html"
    page.write_text("<html></html>", encoding="utf-8")
    assert main(["verify", str(page)]) == 2
    assert capsys.readouterr().err == (
        f"error: {page}: a file, not a report folder; give the folder that holds it "
        f"({tmp_path})\n")
    data = tmp_path / "figs.csv"
    data.write_text("unit,year\n", encoding="utf-8")
    assert main(["verify", str(data)]) == 2
    assert capsys.readouterr().err == (
        f"error: {data}: a file, not a report folder; give a report folder that `ktt report` "
        "wrote, and the folder of a data file handed over with it to --data-folder\n")


def test_many_folders_are_checked_and_what_is_not_a_report_is_skipped(copy, capsys):
    index = copy.parent / "index.html"
    index.write_text("<html></html>", encoding="utf-8")
    assert main(["verify", str(copy), str(index)]) == 0
    out = capsys.readouterr().out.splitlines()
    assert f"skipped {index}: not a report folder" in out
    assert out[-1] == "1 of 1 reports reproduced"


def test_a_moved_report_still_reproduces_and_keep_never_replaces_it(copy, tmp_path, capsys):
    moved = tmp_path / "elsewhere" / "renamed"
    moved.parent.mkdir()
    copy.rename(moved)  # its title and record still say baseline
    assert verify_report(moved).reproduced
    # --keep into the folder that holds it would replace the report under check
    assert main(["verify", str(moved), "--keep", str(tmp_path / "elsewhere")]) == 0
    (tmp_path / "elsewhere" / "baseline").mkdir(exist_ok=True)
    assert main(["verify", str(moved), "--keep", str(tmp_path / "elsewhere")]) == 2
    assert "exists (a folder of the report's name) and the rerun would replace it" in (
        capsys.readouterr().err)


def _report_on_own_file(tmp_path):
    """A report on a copy of the example, ``mine.csv`` in ``tmp_path``: the file, the folder."""
    data = tmp_path / "mine.csv"
    shutil.copy(config.DATA / "synthetic" / "krong-bong-example.csv", data)
    shutil.copy(config.DATA / "synthetic" / "sources.csv", tmp_path / "sources.csv")
    return data, run_report("baseline", {"data_path": str(data), "n_paths": 200},
                            tmp_path / "out", progress=False)


def test_a_report_named_after_its_data_file_outside_the_project_reproduces(tmp_path):
    # `ktt report -p data_path FILE --output DIR` names the folder after the file; the rerun
    # was named after the scenario and data (baseline-mine-data), whose page title differs
    data = tmp_path / "mine.csv"
    shutil.copy(config.DATA / "synthetic" / "krong-bong-example.csv", data)
    folder = run_report("baseline", {"data_path": str(data), "n_paths": 200},
                        tmp_path / "out", progress=False, name="mine-n_paths-200")
    assert verify_report(folder).reproduced
    # a report recorded before the record kept its folder's name is rerun under that name
    path = folder / "report.ipynb"
    notebook = json.loads(path.read_text(encoding="utf-8"))
    notebook["metadata"]["papermill"]["output_path"] = "report.ipynb"
    path.write_text(json.dumps(notebook, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    assert verify_report(folder).reproduced


def test_a_report_whose_data_file_is_gone_is_not_rerun(tmp_path, capsys):
    data, folder = _report_on_own_file(tmp_path)
    data.rename(tmp_path / "gone.csv")
    found = verify_report(folder)
    assert not found.reproduced
    assert found.note == (
        f"not rerun: {data} missing; restore it to verify, or, for a report handed over with "
        "its mine.csv and sources.csv, give --data-folder the folder that holds them now")
    # its sources.csv too
    (tmp_path / "sources.csv").rename(tmp_path / "gone-sources.csv")
    assert verify_report(folder).note == (
        f"not rerun: {data}, {tmp_path / 'sources.csv'} missing; restore them to verify, or, "
        "for a report handed over with its mine.csv and sources.csv, give --data-folder the "
        "folder that holds them now")
    assert set(found.files.values()) == {"not rerun"}
    # its commit is said, and no rerun's: there was none (it read 'rerun at none (not a git
    # checkout)' inside one)
    assert main(["verify", str(folder)]) == 1
    made = json.loads((folder / "summary.json").read_text(encoding="utf-8")).get("commit")
    out = capsys.readouterr().out
    assert "rerun at" not in out
    assert (f"code: made at commit {made}\n" in out) == bool(made)


def test_a_report_whose_data_folder_moved_reproduces_with_data_folder(tmp_path, capsys):
    # a reviewer handed the report and the analyst's file and its sources.csv, kept
    # elsewhere than the analyst's folder the report recorded
    data, folder = _report_on_own_file(tmp_path)
    handed = tmp_path / "handed"
    handed.mkdir()
    for name in (data.name, "sources.csv"):
        (tmp_path / name).rename(handed / name)
    before = {p.name: p.read_bytes() for p in folder.iterdir()}
    assert not verify_report(folder).reproduced  # where it recorded them, they are gone
    found = verify_report(folder, data_folder=handed)
    assert found.moved == {str(data): str(handed / data.name),
                           str(tmp_path / "sources.csv"): str(handed / "sources.csv")}
    assert found.reproduced, (found.files, found.differences)
    assert set(found.inputs["status"]) == {"same"}
    assert {p.name: p.read_bytes() for p in folder.iterdir()} == before
    assert main(["verify", str(folder), "--data-folder", str(handed)]) == 0
    out = capsys.readouterr().out
    assert f"  {data}: read from {handed / data.name} (--data-folder)\n" in out
    # another file of the same name is named as what explains the differences
    other = handed / data.name
    other.write_text(other.read_text(encoding="utf-8").replace(
        "krong-bong,2024,htx_new,4,", "krong-bong,2024,htx_new,9,"), encoding="utf-8")
    assert main(["verify", str(folder), "--data-folder", str(handed)]) == 1
    out = capsys.readouterr().out.splitlines()
    assert [str(other), "changed"] in [line.split() for line in out]
    assert out[-1] == (
        f"not reproduced: {other} changed since the report was made (its SHA-256 is not the "
        "recorded one), which explains the differences above; to reproduce it, ask whoever "
        "made the report for the files it read; for a report of the files as they are now, run "
        "the command its provenance gives (summary.json 'command'), its -p data_path naming "
        "the file here")
    # a folder without them, or without one of them, is named, and so is what to give
    assert main(["verify", str(folder), "--data-folder", str(tmp_path)]) == 1
    out = capsys.readouterr().out.splitlines()
    assert f"  {tmp_path / 'mine.csv'}: looked for at {tmp_path / 'mine.csv'} " \
           "(--data-folder)" in out
    assert out[-1] == (
        f"not rerun: {tmp_path / 'mine.csv'}, {tmp_path / 'sources.csv'} missing; "
        f"--data-folder {tmp_path} holds no mine.csv and no sources.csv: give the folder where "
        "the report's mine.csv and sources.csv are now")
    (handed / "sources.csv").unlink()
    assert main(["verify", str(folder), "--data-folder", str(handed)]) == 1
    assert capsys.readouterr().out.splitlines()[-1] == (
        f"not rerun: {handed / 'sources.csv'} missing; --data-folder {handed} holds no "
        "sources.csv: give the folder where the report's mine.csv and sources.csv are now")


def test_a_data_folder_with_spaces_and_vietnamese_letters_reproduces(tmp_path, capsys):
    # the command quotes such a path ('/tmp/người duyệt/...') and the notebook's parameters
    # cell escapes its letters ("/tmp/ng\u01b0..."): the rerun's were left as they were and
    # only the recorded path written back, so the command and the notebook differed
    for made, handed in ((tmp_path / "phân tích", tmp_path / "plain"),
                         (tmp_path / "a", tmp_path / "người duyệt" / "số liệu")):
        made.mkdir()
        data, folder = _report_on_own_file(made)
        handed.mkdir(parents=True)
        for name in (data.name, "sources.csv"):
            (made / name).rename(handed / name)
        found = verify_report(folder, data_folder=handed)
        assert found.reproduced, (found.files, found.differences)
        assert main(["verify", str(folder), "--data-folder", str(handed)]) == 0
        assert capsys.readouterr().out.splitlines()[-1] == (
            "reproduced: the rerun wrote the same files, byte for byte")


def test_data_folder_is_refused_for_the_projects_own_data_and_a_missing_folder(copy, tmp_path,
                                                                               capsys):
    assert main(["verify", str(copy), "--data-folder", str(tmp_path)]) == 2
    assert capsys.readouterr().err == (
        f"error: --data-folder {tmp_path}: this report read the project's own data "
        "(data/synthetic/krong-bong-example.csv), not a file given with -p data_path; verify "
        "it without --data-folder\n")
    _, folder = _report_on_own_file(tmp_path)
    assert main(["verify", str(folder), "--data-folder", str(tmp_path / "nosuch")]) == 2
    assert capsys.readouterr().err == (
        f"error: --data-folder {tmp_path / 'nosuch'}: no such folder; give the folder that now "
        "holds mine.csv\n")
    # the file itself given for its folder
    assert main(["verify", str(folder), "--data-folder", str(tmp_path / "mine.csv")]) == 2
    assert capsys.readouterr().err == (
        f"error: --data-folder {tmp_path / 'mine.csv'}: a file, not a folder; give the folder "
        f"that holds it ({tmp_path})\n")


def test_data_folder_among_many_reports_serves_those_on_a_file_of_ones_own(copy, tmp_path,
                                                                           capsys):
    # `ktt verify reports/* --data-folder DIR`: the committed reports read the project's data
    # and were each refused, '1 of 2 reports reproduced'
    data, folder = _report_on_own_file(tmp_path)
    handed = tmp_path / "handed"
    handed.mkdir()
    for name in (data.name, "sources.csv"):
        (tmp_path / name).rename(handed / name)
    assert main(["verify", str(folder), str(copy), "--data-folder", str(handed)]) == 0
    out = capsys.readouterr().out.splitlines()
    note = "note: --data-folder not used: this report read the project's own data"
    assert out.count(note) == 1
    assert out.index(note) > out.index(f"report {copy}: notebook forecast, parameters "
                                       "plan=krong-bong-192, scenario=baseline")
    assert out[-1] == "2 of 2 reports reproduced"


def test_a_report_whose_data_row_was_edited_says_the_file_explains_it(tmp_path, capsys):
    data, folder = _report_on_own_file(tmp_path)
    before = {p.name: p.read_bytes() for p in folder.iterdir()}
    text = data.read_text(encoding="utf-8")
    data.write_text(text.replace("krong-bong,2024,htx_new,4,", "krong-bong,2024,htx_new,9,"),
                    encoding="utf-8")
    assert main(["verify", str(folder)]) == 1
    out = capsys.readouterr().out.splitlines()
    assert [str(data), "changed"] in [line.split() for line in out]
    assert out[-1] == (
        f"not reproduced: {data} changed since the report was made (its SHA-256 is not the "
        "recorded one), which explains the differences above; to reproduce it, restore what "
        "the report read (git log, a backup); for a report of the files as they are now, run "
        "the command its provenance gives (summary.json 'command')")
    assert {p.name: p.read_bytes() for p in folder.iterdir()} == before


def test_a_report_whose_sources_csv_was_edited_says_that_file_explains_it(tmp_path, capsys):
    # the sources' titles are on the page, and verify had not recorded the file they came
    # from: it called every input the same, and the page's difference a bug to report
    _, folder = _report_on_own_file(tmp_path)
    sources = tmp_path / "sources.csv"
    sources.write_text(sources.read_text(encoding="utf-8") + "other,A title,P,2024,x\n",
                       encoding="utf-8")
    inputs = json.loads((folder / "summary.json").read_text(encoding="utf-8"))["inputs"]
    assert inputs["own_sources"]["path"] == str(sources)
    assert inputs["sources"]["path"] == "data/sources.csv"
    assert main(["verify", str(folder)]) == 1
    out = capsys.readouterr().out.splitlines()
    assert [str(sources), "changed"] in [line.split() for line in out]
    assert out[-1].startswith(f"not reproduced: {sources} changed since the report was made")


def test_a_scenario_whose_parameters_are_not_in_sorted_order_reproduces(tmp_path):
    # lenient-readings gives its readings unsorted; papermill records them sorted
    folder = run_report("lenient-readings", {"n_paths": 200}, tmp_path, progress=False)
    assert verify_report(folder).reproduced


def test_a_report_on_a_scenario_file_of_ones_own_is_recorded_and_reproduces(tmp_path):
    scenario = tmp_path / "push4.yaml"
    scenario.write_text((config.SCENARIOS / "policy-push.yaml").read_text(encoding="utf-8")
                        .replace("extra_foundings_per_year: 2.0",
                                 "extra_foundings_per_year: 4.0"), encoding="utf-8")
    folder = run_report(str(scenario), {"n_paths": 200}, tmp_path / "out", progress=False)
    assert folder.name == "push4-n_paths-200"
    found = verify_report(folder)
    assert found.reproduced
    assert found.inputs.set_index("path").loc[str(scenario), "status"] == "same"


def test_the_code_commit_is_the_codes_last_and_says_when_it_changed_since(tmp_path,
                                                                          monkeypatch):
    def git(*args: str) -> str:
        return subprocess.run(["git", "-C", str(tmp_path), "-c", "user.name=t", "-c",
                               "user.email=t@t", *args], capture_output=True, text=True,
                              check=True).stdout.strip()

    monkeypatch.setattr(config, "ROOT", tmp_path)
    assert code_commit() is None  # not a git checkout: an installed package records none
    git("init", "-q")
    for path in ("ktt/model.py", "notebooks/forecast.ipynb", "reports/baseline/summary.json"):
        (tmp_path / path).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / path).write_text("1", encoding="utf-8")
    git("add", ".")
    git("commit", "-qm", "code")
    made = git("rev-parse", "HEAD")
    assert code_commit() == made
    # the reports regenerated at that commit, committed after it: a rerun records it again
    (tmp_path / "reports/baseline/summary.json").write_text("2", encoding="utf-8")
    git("commit", "-qam", "reports")
    assert code_commit() == made
    # the code changed since, or a file added to it
    (tmp_path / "ktt/model.py").write_text("2", encoding="utf-8")
    assert code_commit() == f"{made}-dirty"
    git("commit", "-qam", "model")
    assert code_commit() == git("rev-parse", "HEAD") != made
    (tmp_path / "notebooks/new.ipynb").write_text("{}", encoding="utf-8")
    assert code_commit().endswith("-dirty")
    # ktt inside a checkout of another project's is not that project's commit
    monkeypatch.setattr(config, "ROOT", tmp_path / "ktt")
    assert code_commit() is None


def test_a_report_made_at_another_commit_reproduces_and_says_both(copy, capsys):
    made = json.loads((copy / "summary.json").read_text(encoding="utf-8"))["commit"]
    other = "0123456789abcdef" * 2 + "01234567-dirty"
    for name in FILES:  # as if made at another commit, with changes not committed
        path = copy / name
        text = path.read_text(encoding="utf-8")
        assert made in text
        path.write_text(text.replace(made, other), encoding="utf-8")
    found = verify_report(copy)
    assert found.reproduced
    assert found.commits == (other, code_commit())
    assert found.differences == []
    assert main(["verify", str(copy)]) == 0
    assert f"code: made at commit {other}, rerun at {code_commit()}\n" in capsys.readouterr().out
    # the commit is masked where the report recorded it, not anywhere else: a number is not
    _edit_summary(copy, lambda summary: summary["targets"][0].update(probability=0.123))
    assert verify_report(copy).files["summary.json"] == "differs"
