"""The one place for paths: project root, data, notebooks, reports, scenarios."""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "data"
NOTEBOOKS = ROOT / "notebooks"
REPORTS = ROOT / "reports"
SCENARIOS = ROOT / "scenarios"

OBSERVATIONS = DATA / "observations.csv"
TARGETS = DATA / "targets.yaml"
DEFAULT_UNIT = "krong-bong"
