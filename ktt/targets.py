"""The plan's targets, the readings of their ambiguous wording, and what the record decides.

Elapsed years are facts: a target that the record already misses is ``missed`` whatever a
forecast says, one the record already meets is ``met``, and every other target is ``open``.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import yaml

from ktt.catalog import INDICATORS
from ktt.errors import TargetError
from ktt.indicators import derive, series

RULES = ("each_year_at_least", "mean_at_least", "above_at", "rising")
"""Allowed values of a target's ``rule``."""

_TARGET_KEYS = {"id", "indicator", "rule", "threshold", "start", "end", "quote", "meaning",
                "uses"}


@dataclass(frozen=True)
class Reading:
    """One ambiguity of the source text, with the choices an analyst may make."""

    name: str
    """Key used in scenarios and on the command line."""
    doc: str
    """What the ambiguity is."""
    default: Any
    """The reading used unless another is chosen."""
    choices: tuple = ()
    """Allowed values; empty for a free value of ``kind``."""
    kind: str | None = None
    """``share`` for a free value in (0, 1); None when ``choices`` are given."""
    sets: dict = field(default_factory=dict)
    """What each choice writes into the targets that use it; identity when empty."""

    def check(self, value: Any, where: str) -> Any:
        """Return ``value`` if allowed, else raise ``TargetError`` naming ``where``."""
        if self.choices and value not in self.choices:
            raise TargetError(f"{where}: reading '{self.name}' = {value!r} is not one of "
                              f"{', '.join(map(str, self.choices))}")
        if self.kind == "share" and not (
            isinstance(value, int | float) and not isinstance(value, bool) and 0 < value < 1
        ):
            raise TargetError(f"{where}: reading '{self.name}' = {value!r} must be a share in "
                              "(0, 1), for example 0.075 for 7.5 %")
        return value


@dataclass(frozen=True)
class Target:
    """One target of the plan, as read under the chosen readings."""

    id: str
    """Identifier, e.g. ``T2025-formation``."""
    indicator: str
    """Indicator code the target is about."""
    rule: str
    """One of ``RULES``."""
    threshold: float | None
    """Level to reach [count per year or fraction]; None for ``rising``."""
    start: int
    """First year of the period the rule looks at."""
    end: int
    """Target year: last year of the period."""
    quote: str
    """The plan's Vietnamese words."""
    meaning: str
    """Working English translation."""
    uses: dict = field(default_factory=dict)
    """Target field -> reading name that sets it."""
    reading: str = "strict"
    """For ``rising``: ``strict`` (up every year) or ``trend`` (upward slope)."""

    @property
    def years(self) -> list[int]:
        """Years of the period, ``start`` to ``end`` inclusive."""
        return list(range(self.start, self.end + 1))

    @property
    def rule_years(self) -> list[int]:
        """Years the rule looks at: the period, and for ``rising`` the year before it."""
        first = self.start - 1 if self.rule == "rising" else self.start
        return list(range(first, self.end + 1))

    def describe(self) -> str:
        """The rule in a few words, e.g. ``each year 2021-2025 >= 4``."""
        if self.rule == "each_year_at_least":
            return f"each year {self.start}-{self.end} >= {self.threshold:g}"
        if self.rule == "mean_at_least":
            return f"mean of {self.start}-{self.end} >= {self.threshold:g}"
        if self.rule == "above_at":
            return f"{self.end} > {self.threshold:g}"
        return f"rising {self.start - 1}-{self.end} ({self.reading})"


@dataclass(frozen=True)
class TargetSet:
    """All targets of a plan with its readings."""

    plan: str
    """Name of the plan."""
    plan_year: int
    """Year the plan was adopted: the baseline of progress measures."""
    source: str
    """Where the plan's words were read."""
    targets: tuple[Target, ...]
    """Targets as written, before readings are applied."""
    readings: dict[str, Reading]
    """Readings by name."""

    def choose(self, readings: dict | None = None, where: str = "readings") -> dict:
        """Every reading's value: the defaults updated by ``readings``.

        Raises
        ------
        TargetError
            For an unknown reading name or a value it does not allow.
        """
        chosen = {name: r.default for name, r in self.readings.items()}
        for name, value in (readings or {}).items():
            if name not in self.readings:
                raise TargetError(f"{where}: unknown reading '{name}'; known readings: "
                                  f"{', '.join(self.readings)}")
            chosen[name] = self.readings[name].check(value, where)
        return chosen

    def resolve(self, readings: dict | None = None) -> list[Target]:
        """The targets as read under ``readings`` (defaults for those not given)."""
        chosen = self.choose(readings)
        resolved = []
        for target in self.targets:
            changes = {}
            for attr, name in target.uses.items():
                value = chosen[name]
                changes[attr] = self.readings[name].sets.get(value, value)
            resolved.append(dataclasses.replace(target, **changes))
        return resolved


def _target(raw: dict, readings: dict[str, Reading], where: str) -> Target:
    unknown = set(raw) - _TARGET_KEYS
    if unknown:
        raise TargetError(f"{where}: unknown key(s) {', '.join(sorted(unknown))}; allowed: "
                          f"{', '.join(sorted(_TARGET_KEYS))}")
    missing = {"id", "indicator", "rule", "start", "end", "quote"} - set(raw)
    if missing:
        raise TargetError(f"{where}: missing key(s) {', '.join(sorted(missing))}")
    if raw["rule"] not in RULES:
        raise TargetError(f"{where}: rule '{raw['rule']}' is not one of {', '.join(RULES)}")
    if raw["indicator"] not in INDICATORS:
        raise TargetError(f"{where}: indicator '{raw['indicator']}' is not a known code")
    if raw["rule"] != "rising" and raw.get("threshold") is None:
        raise TargetError(f"{where}: rule '{raw['rule']}' needs a threshold")
    uses = dict(raw.get("uses") or {})
    for attr, name in uses.items():
        if name not in readings:
            raise TargetError(f"{where}: uses unknown reading '{name}'")
        if attr not in {f.name for f in dataclasses.fields(Target)}:
            raise TargetError(f"{where}: reading '{name}' sets unknown field '{attr}'")
    return Target(id=str(raw["id"]), indicator=raw["indicator"], rule=raw["rule"],
                  threshold=raw.get("threshold"), start=int(raw["start"]), end=int(raw["end"]),
                  quote=raw["quote"], meaning=raw.get("meaning", ""), uses=uses)


def load_targets(path: str | Path) -> TargetSet:
    """Read a targets file such as ``data/targets.yaml``.

    Parameters
    ----------
    path : str or Path
        YAML with ``plan``, ``source``, ``readings`` and ``targets``.

    Returns
    -------
    TargetSet

    Raises
    ------
    TargetError
        Naming the file and the target or reading at fault.
    """
    path = Path(path)
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise TargetError(f"{path}: no such file; the default is data/targets.yaml") from None
    except yaml.YAMLError as exc:
        raise TargetError(f"{path}: not valid YAML ({exc})") from None
    if not isinstance(raw, dict) or "targets" not in raw:
        raise TargetError(f"{path}: expected a mapping with a 'targets' list")
    readings = {}
    for name, spec in (raw.get("readings") or {}).items():
        sets = spec.get("sets") or {}
        reading = Reading(name=name, doc=spec.get("doc", ""), default=spec["default"],
                          choices=tuple(spec.get("choices") or ()), kind=spec.get("kind"),
                          sets=sets)
        readings[name] = reading
        reading.check(reading.default, f"{path}: reading '{name}' default")
    targets = tuple(_target(t, readings, f"{path}: target {i + 1} ({t.get('id', '?')})")
                    for i, t in enumerate(raw["targets"]))
    return TargetSet(plan=raw.get("plan", ""), plan_year=int(raw.get("plan_year", 2020)),
                     source=raw.get("source", ""), targets=targets,
                     readings=readings)


def default_as_of(observations: pd.DataFrame, unit: str) -> int:
    """The last year with any figure for ``unit``; the file's last year if it has none."""
    years = observations.loc[observations["unit"] == unit, "year"]
    if years.empty:
        years = observations["year"]
    if years.empty:
        raise TargetError("no figures at all: cannot choose an as-of year; give --as-of")
    return int(years.max())


def fact(target: Target, known: pd.Series, as_of: int) -> tuple[str, list[int]]:
    """Status decided by the record alone (``known``: figures within ``rule_years`` up to
    ``as_of``) and the years that decided it."""
    years = target.years
    all_known = target.end <= as_of and all(y in known.index for y in years)
    if target.rule == "each_year_at_least":
        short = [int(y) for y, v in known.items() if v < target.threshold]
        if short:
            return "missed", short
        return ("met", years) if all_known else ("open", [])
    if target.rule == "mean_at_least":
        if all_known:
            return ("met" if known.mean() >= target.threshold else "missed"), years
        # Counts cannot be negative, so a sum already at the period's total decides it early.
        if known.sum() >= target.threshold * len(years):
            return "met", list(map(int, known.index))
        return "open", []
    if target.rule == "above_at":
        if target.end in known.index:
            return ("met" if known[target.end] > target.threshold else "missed"), [target.end]
        return "open", []
    # rising: a strict rise every year means every later known year is above every earlier one.
    pairs = list(zip(known.index[:-1], known.index[1:], strict=True))
    if target.reading == "strict":
        falls = [(int(a), int(b)) for a, b in pairs if known[b] <= known[a]]
        if falls:
            return "missed", list(falls[0])
        return ("met", list(map(int, known.index))) if all_known else ("open", [])
    if all_known:
        slope = np.polyfit(known.index.to_numpy(float), known.to_numpy(), 1)[0]
        return ("met" if slope > 0 else "missed"), list(map(int, known.index))
    return "open", []


def _latest(values: pd.Series, as_of: int) -> dict:
    """The last figure up to ``as_of`` as ``{year: value}``, empty when there is none."""
    known = values.loc[:as_of]
    return {int(known.index[-1]): float(known.iloc[-1])} if len(known) else {}


def evaluate(targets: TargetSet, observations: pd.DataFrame, unit: str, as_of: int | None = None,
             readings: dict | None = None) -> pd.DataFrame:
    """What the record says about each target of ``unit`` as of a year.

    Parameters
    ----------
    targets : TargetSet
        From ``load_targets``.
    observations : pandas.DataFrame
        From ``ktt.data.load_observations`` (derived indicators are added here).
    unit : str
        Unit id, e.g. ``krong-bong``.
    as_of : int, optional
        Last year treated as known; later figures are ignored. Default: the last year with
        data for ``unit``.
    readings : dict, optional
        Reading name -> value; defaults from the targets file for the rest.

    Returns
    -------
    pandas.DataFrame
        One row per target: ``id, indicator, rule, threshold, start, end, status`` (``met``,
        ``missed`` or ``open``), ``observed`` (year -> value within the period up to
        ``as_of``), ``decided_by`` (years), ``sources`` (ids of the deciding figures),
        ``missing`` (elapsed years of the period with no figure), ``years_left``, ``latest``
        (the indicator's last figure up to ``as_of``, as ``{year: value}``).
    """
    if as_of is None:
        as_of = default_as_of(observations, unit)
    frame = derive(observations)
    rows = []
    for target in targets.resolve(readings):
        full = series(frame, unit, target.indicator)
        known = full[full.index.isin(target.rule_years) & (full.index <= as_of)]
        status, decided_by = fact(target, known, as_of)
        src = frame[(frame["unit"] == unit) & (frame["indicator"] == target.indicator)]
        src = src.set_index("year")["source"]
        rows.append({
            "id": target.id, "indicator": target.indicator, "rule": target.rule,
            "threshold": target.threshold, "start": target.start, "end": target.end,
            "reading": target.describe(), "status": status,
            "observed": {int(y): float(v) for y, v in known.items()},
            "decided_by": decided_by,
            "sources": sorted({src[y] for y in decided_by if y in src.index}),
            "missing": [y for y in target.years if y <= as_of and y not in known.index],
            "years_left": [y for y in target.years if y > as_of],
            "latest": _latest(full, as_of),
        })
    return pd.DataFrame(rows)
