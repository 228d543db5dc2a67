"""ktt: will a Vietnamese district meet its collective-economy (cooperative) targets?

The public API, re-exported from the modules that own each piece. They are imported on
first use, so that ``import ktt`` (and the ``ktt`` command) does not load pandas.
"""

from importlib import import_module

from ktt.errors import DataError, KttError, ScenarioError, TargetError

_LAZY = {
    **dict.fromkeys(("check_observations", "load_alternatives", "load_observations",
                     "load_sources", "summarize"), "ktt.inputs.data"),
    **dict.fromkeys(("derive", "series"), "ktt.inputs.indicators"),
    **dict.fromkeys(("Target", "TargetSet", "evaluate", "load_plan", "load_targets"),
                    "ktt.inputs.targets"),
    "forecast_targets": "ktt.forecasting.forecast",
    **dict.fromkeys(("ForecastOptions", "scenario_options"), "ktt.forecasting.options"),
}


def __getattr__(name: str):
    if name in _LAZY:
        value = getattr(import_module(_LAZY[name]), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'ktt' has no attribute {name!r}")

__version__ = "0.1.0"

__all__ = [
    "DataError", "ForecastOptions", "KttError", "ScenarioError", "Target", "TargetError",
    "TargetSet", "__version__", "check_observations", "derive", "evaluate", "forecast_targets",
    "load_alternatives", "load_observations", "load_plan", "load_sources", "load_targets",
    "scenario_options", "series", "summarize",
]
