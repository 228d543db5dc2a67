"""ktt: will a Vietnamese district meet its collective-economy (cooperative) targets?

The public API, re-exported from the modules that own each piece.
"""

from ktt.errors import DataError, KttError, ScenarioError, TargetError
from ktt.inputs.data import (
    check_observations,
    load_alternatives,
    load_observations,
    load_sources,
    summarize,
)
from ktt.inputs.indicators import derive, series
from ktt.inputs.targets import Target, TargetSet, evaluate, load_plan, load_targets

__version__ = "0.1.0"

__all__ = [
    "DataError", "KttError", "ScenarioError", "Target", "TargetError", "TargetSet",
    "__version__", "check_observations", "derive", "evaluate", "load_alternatives",
    "load_observations", "load_plan", "load_sources", "load_targets", "series", "summarize",
]
