"""ktt: will a Vietnamese district meet its collective-economy (cooperative) targets?

The public API, re-exported from the modules that own each piece. They are imported on
first use, so that ``import ktt`` (and the ``ktt`` command) does not load pandas.

- ``load_observations``, ``check_observations``, ``load_sources``, ``load_alternatives``,
  ``summarize``: read and check a data file;
- ``derive``, ``series``: the derived indicators and one unit's series;
- ``load_plan``, ``load_targets``, ``evaluate``, ``Target``, ``TargetSet``: a plan, its
  readings (``load_plan(id).readings``) and what the record decides;
- ``forecast_targets``, ``ForecastOptions``, ``scenario_options``: the forecast of every
  target, its options, a scenario's options.

``help(ktt.NAME)`` gives each one's parameters.
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


def __dir__() -> list[str]:
    # the lazy names are not in the module's namespace until first used, so that dir(ktt)
    # and a notebook's completion of "ktt." offered none of load_plan, forecast_targets...
    return sorted(set(globals()) | set(__all__))

__version__ = "0.1.0"

__all__ = [
    "DataError", "ForecastOptions", "KttError", "ScenarioError", "Target", "TargetError",
    "TargetSet", "__version__", "check_observations", "derive", "evaluate", "forecast_targets",
    "load_alternatives", "load_observations", "load_plan", "load_sources", "load_targets",
    "scenario_options", "series", "summarize",
]
