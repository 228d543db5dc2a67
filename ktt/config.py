"""The one place for paths: project root, data, notebooks, reports, scenarios."""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "data"
NOTEBOOKS = ROOT / "notebooks"
FORECAST_NOTEBOOK = NOTEBOOKS / "forecast.ipynb"
"""The forecast report's notebook, whose parameters a scenario sets."""
REPORTS = ROOT / "reports"
SCENARIOS = ROOT / "scenarios"
PLANS = ROOT / "plans"

OBSERVATIONS = DATA / "observations.csv"
UNITS = DATA / "units.csv"
DEFAULT_PLAN = "krong-bong-192"
"""The plan a command answers unless ``--plan`` names another (``plans/<id>.yaml``)."""
TARGETS = PLANS / f"{DEFAULT_PLAN}.yaml"
DEFAULT_UNIT = "krong-bong"


def relative_path(path: Path) -> str:
    """A path relative to the project root when inside it, else as it is: what a report
    records, so that it reads the same file in any clone of the project."""
    try:
        return str(path.relative_to(ROOT))
    except ValueError:
        return str(path)


def in_data(recorded: str) -> bool:
    """Whether a data file as a report records it (``relative_path``) is one of the project's
    ``data/`` (the published record, the synthetic example), not a file of the user's own."""
    return recorded.startswith(f"{DATA.name}/")


def plan_path(plan: str | Path) -> Path:
    """``krong-bong-192`` -> ``plans/krong-bong-192.yaml``; a path to a YAML file is taken as
    it is."""
    path = Path(plan)
    if path.suffix in (".yaml", ".yml"):
        return path
    return PLANS / f"{plan}.yaml"


def known_plans() -> list[str]:
    """Ids of the plans in ``plans/``."""
    return sorted(p.stem for p in PLANS.glob("*.yaml"))


def plan_file(plan: str | Path) -> Path:
    """The plan file of an id or path (``plan_path``), checked to exist; here rather than in
    ``ktt.inputs.targets`` so that a command refuses a mistyped plan without pandas.

    Raises
    ------
    TargetError
        For a file that does not exist, with the closest plan id and every one known.
    """
    from ktt.errors import TargetError, existing

    return existing(plan_path(plan), "plan", known_plans(), PLANS, TargetError)
