"""The committed reports reproduce on any machine: no timestamps, durations or machine paths in
them, and the same numbers under another BLAS setting."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import numpy as np
import pytest

from ktt import config
from ktt.forecasting.model_choice import significant
from ktt.models import counts
from ktt.models.fit import settle
from ktt.report.runner import report_folders
from ktt.report.verify import FILES, compare

VOLATILE = ('"start_time"', '"end_time"', '"duration"', '"iopub.', '"shell.execute_reply"',
            "/tmp/", ".tmp-")


@pytest.mark.parametrize("name", report_folders(config.REPORTS))
def test_a_committed_report_holds_no_timestamp_duration_or_path(name):
    text = (config.REPORTS / name / "report.ipynb").read_text(encoding="utf-8")
    for part in (*VOLATILE, str(config.ROOT)):
        assert part not in text, (name, part)
    nb = json.loads(text)
    assert nb["metadata"]["papermill"]["input_path"] == "notebooks/forecast.ipynb"
    assert nb["metadata"]["papermill"]["output_path"] == f"reports/{name}/report.ipynb"
    injected = [c for c in nb["cells"] if "injected-parameters" in c["metadata"].get("tags", [])]
    assert [c["id"] for c in injected] == ["injected-parameters"]


def test_the_baseline_reproduces_under_another_blas_setting(tmp_path):
    """Re-run the committed baseline with OpenBLAS on another core type (or without the one
    set) and one thread: its files are the same, byte for byte but for the commit of the code
    each recorded (as ktt verify compares them)."""
    env = dict(os.environ, OPENBLAS_NUM_THREADS="1", OMP_NUM_THREADS="1")
    if env.pop("OPENBLAS_CORETYPE", None) is None:
        env["OPENBLAS_CORETYPE"] = "Prescott"
    done = subprocess.run([sys.executable, "-m", "ktt", "report", "--output", str(tmp_path)],
                          env=env, capture_output=True, text=True, check=False,
                          cwd=config.ROOT, timeout=600)
    assert done.returncode == 0, done.stderr
    assert compare(config.REPORTS / "baseline", tmp_path / "baseline") == dict.fromkeys(
        FILES, "same")


def test_report_folders_follow_the_umask(tmp_path):
    done = subprocess.run([sys.executable, "-m", "ktt", "report", "-p", "n_paths", "200",
                           "--output", str(tmp_path)], capture_output=True, text=True,
                          check=False, cwd=config.ROOT, timeout=600,
                          preexec_fn=lambda: os.umask(0o022))
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "baseline-n_paths-200").stat().st_mode & 0o777 == 0o755


def test_scores_keep_three_significant_digits_and_estimates_are_settled():
    assert significant(1.546745) == 1.55
    assert significant(0.0021853) == 0.00219
    fit = counts.TrendCountFit(np.array([1.5921086807, 0.18636464802]),
                               np.array([[0.0355985413, -0.0062719642],
                                         [-0.0062719642, 0.0117842204]]), 2017.5, False)
    settled = settle(fit)
    assert settled.params.tolist() == [1.5921, 0.18636]
    assert settled.cov.tolist() == [[0.0356, -0.00627], [-0.00627, 0.0118]]
    nudged = settle(counts.TrendCountFit(fit.params * (1 + 3e-9), fit.cov * (1 - 2e-7), 2017.5,
                                         False))
    assert nudged.params.tolist() == settled.params.tolist()
    assert nudged.cov.tolist() == settled.cov.tolist()
