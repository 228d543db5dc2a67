"""``ktt report --notebook units``: the many-unit dashboard, executed by papermill."""

from __future__ import annotations

import json
import subprocess
import sys


def test_units_dashboard_report(tmp_path):
    done = subprocess.run([sys.executable, "-m", "ktt", "report", "--notebook", "units",
                           "--output", str(tmp_path), "-p", "n_units", "4", "-p", "n_paths",
                           "100", "-p", "lang", "en"], capture_output=True, text=True,
                          check=False, timeout=600)
    assert done.returncode == 0, done.stderr
    folder = tmp_path / "baseline-lang-en-n_paths-100-n_units-4-units"
    summary = json.loads((folder / "summary.json").read_text(encoding="utf-8"))
    assert summary["synthetic"]
    assert summary["units"] == 4
    assert summary["failed"] == 0
    assert {t["target"] for t in summary["targets"]} >= {"T2030-formation"}
    html = (folder / "report.html").read_text(encoding="utf-8")
    for shown in ("SYNTHETIC", "background-color", "pace ratio", "syn-province-01"):
        assert shown in html
    # a rerun writes it again byte for byte, checked against the plan it recorded
    from ktt.report.verify import verify_report

    found = verify_report(folder)
    assert found.reproduced
    assert list(found.inputs["path"]) == ["plans/krong-bong-192.yaml"]
