"""A plan's targets, the readings of their ambiguous wording, and what the record decides.

A plan is data: ``plans/<id>.yaml`` names its source document and the unit it applies to,
its base year, its readings and its targets (``load_plan``).

Elapsed years are facts: a target that the record already misses is ``missed`` whatever a
forecast says, one the record already meets is ``met``, and every other target is ``open``.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import yaml

from ktt import config
from ktt.config import plan_file
from ktt.errors import KttError, TargetError, did_you_mean
from ktt.inputs.catalog import INDICATORS, is_share
from ktt.inputs.indicators import RECORD_COLUMNS, check_record, derive, floors, parts_of, series
from ktt.inputs.units import check_unit_known, load_units, successor_counts

RULE_READINGS: dict[str, tuple[str, ...]] = {
    "each_year_at_least": ("strict",),
    "mean_at_least": ("strict",),
    "above_at": ("strict",),
    "below_at": ("strict",),
    "about_at": ("at_least", "within"),
    "between_at": ("between", "at_least_low", "at_least_high"),
    "rising": ("strict", "trend"),
}
"""Each rule and the readings of it a target may take, its default first.

``above_at`` / ``below_at``: the level in the target year is above / below ``threshold``
(strict: "trên", "dưới"). ``about_at`` ("khoảng N"): ``at_least`` N, or ``within`` N ±
``tolerance`` times N. ``between_at`` ("từ 60 - 70%", ``threshold`` to ``high``): ``between``
the two, at least the low end (``at_least_low``) or at least the high end (``at_least_high``).
"""
RULES = tuple(RULE_READINGS)
"""Allowed values of a target's ``rule``."""
LEVEL_RULES = ("above_at", "below_at", "about_at", "between_at")
"""Rules about the indicator's level in the target year alone."""

_TARGET_KEYS = {"id", "indicator", "rule", "threshold", "high", "tolerance", "reading", "start",
                "end", "quote", "meaning", "uses", "read_as"}
_PLAN_KEYS = {"plan", "plan_en", "unit", "base_year", "source", "readings", "targets"}
_SOURCE_KEYS = {"document", "document_en", "read_at", "quotes"}


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
    """Level to reach [count per year, count, or fraction]; the low end for ``between_at``;
    None for ``rising``."""
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
    """How the rule is read, one of ``RULE_READINGS[rule]``: for ``rising`` ``strict`` (up
    every year) or ``trend`` (upward slope); for ``about_at`` and ``between_at`` see there."""
    high: float | None = None
    """For ``between_at``: the high end of the range [the indicator's unit]."""
    tolerance: float | None = None
    """For ``about_at`` read ``within``: the tolerance as a fraction of ``threshold``."""
    read_as: dict = field(default_factory=dict)
    """How the target is read where its words ask for more than the record holds, by language
    (``vi``, ``en``), shown beneath its words: 20-NQ/TW's "trên 60% tổ chức kinh tế tập thể"
    rated good is read on HTX alone, the only organizations whose rating is published."""

    @property
    def years(self) -> list[int]:
        """Years of the period, ``start`` to ``end`` inclusive."""
        return list(range(self.start, self.end + 1))

    @property
    def rule_years(self) -> list[int]:
        """Years the rule looks at: the period, and for ``rising`` the year before it."""
        first = self.start - 1 if self.rule == "rising" else self.start
        return list(range(first, self.end + 1))

    @property
    def level(self) -> float | None:
        """The level the indicator must reach in the target year under the reading, for the
        pace and progress measures: ``high`` when read ``at_least_high``, else ``threshold``."""
        return self.high if self.reading == "at_least_high" else self.threshold

    def bounds(self) -> tuple[float, float, bool, bool]:
        """A level rule as an interval: ``(low, high, low_open, high_open)`` in the
        indicator's unit; an end may be infinite.

        Raises
        ------
        ValueError
            For a rule that is not one of ``LEVEL_RULES``.
        """
        inf = float("inf")
        if self.rule == "above_at":
            return self.threshold, inf, True, False
        if self.rule == "below_at":
            return -inf, self.threshold, False, True
        if self.rule == "about_at" and self.reading == "within":
            spread = self.tolerance * self.threshold
            return self.threshold - spread, self.threshold + spread, False, False
        if self.rule == "between_at" and self.reading == "between":
            return self.threshold, self.high, False, False
        if self.rule in ("about_at", "between_at"):
            return self.level, inf, False, False
        raise ValueError(f"rule '{self.rule}' is not a level rule")

    def level_met(self, values: np.ndarray) -> np.ndarray:
        """Whether each level in the target year meets a level rule (see ``bounds``).

        Parameters
        ----------
        values : numpy.ndarray
            Levels of the indicator in the target year [its unit].

        Returns
        -------
        numpy.ndarray of bool, the shape of ``values``
        """
        low, high, low_open, high_open = self.bounds()
        values = np.asarray(values, dtype=float)
        above = values > low if low_open else values >= low
        below = values < high if high_open else values <= high
        return above & below

    def describe(self) -> str:
        """The rule in a few words, e.g. ``each year 2021-2025 >= 4``, ``2030 >= 45,000`` or
        ``2030 > 65%``."""
        share = is_share(self.indicator)
        period = f"{self.start}-{self.end}" if self.start < self.end else f"{self.end}"
        if self.rule == "each_year_at_least":
            each = "each year " if self.start < self.end else ""
            return f"{each}{period} >= {_number(self.threshold, share)}"
        if self.rule == "mean_at_least":
            return f"mean of {period} >= {_number(self.threshold, share)}"
        if self.rule == "rising":
            return f"rising {self.start - 1}-{self.end} ({self.reading})"
        low, high, low_open, high_open = self.bounds()
        if high == float("inf"):
            words = f"{self.end} {'>' if low_open else '>='} {_number(low, share)}"
        elif low == -float("inf"):
            words = f"{self.end} {'<' if high_open else '<='} {_number(high, share)}"
        else:
            words = f"{self.end} in {_number(low, share)}-{_number(high, share)}"
        if self.rule == "about_at":
            return f"{words} (about {_number(self.threshold, share)}, read {self.reading})"
        if self.rule == "between_at":
            return (f"{words} (of {_number(self.threshold, share)}-"
                    f"{_number(self.high, share)}, read {self.reading})")
        return words


def _number(value: float, share: bool = False) -> str:
    """A threshold as written: whole numbers with thousands separators, a share as a
    percentage (0.075 -> 7.5%)."""
    if share:
        return f"{value * 100:g}%"
    return f"{int(value):,}" if float(value).is_integer() else f"{value:g}"


@dataclass(frozen=True)
class TargetSet:
    """One plan: its targets, its readings, and what it is and applies to."""

    plan: str
    """Name of the plan, e.g. ``Kế hoạch số 192-KH/HU ...``."""
    base_year: int
    """The plan's base year: no target looks at an earlier year, and the official progress
    classes measure from the first figure from it on (``ktt.forecasting.progress``)."""
    source: str
    """The document that states the targets."""
    targets: tuple[Target, ...]
    """Targets as written, before readings are applied."""
    readings: dict[str, Reading]
    """Readings by name."""
    id: str = ""
    """Plan id: the file name without ``.yaml``, e.g. ``krong-bong-192``."""
    unit: str = ""
    """Unit id the plan applies to (a row of ``data/units.csv``)."""
    read_at: tuple[str, ...] = ()
    """Where the plan's words were read: addresses with their dates."""
    quotes: tuple[str, ...] = ()
    """The passages of the document that state the targets, in its own words."""
    path: str = ""
    """The plan file, for messages."""
    plan_en: str = ""
    """The plan's name in English, for English reports; empty: its own name serves."""
    source_en: str = ""
    """The source document's title in English (``source: document_en``); empty: none given."""

    def name(self, lang: str = "vi") -> str:
        """The plan's name in the report's language ``lang``: ``plan_en`` in English when the
        plan gives one, else its own (Vietnamese) name."""
        return self.plan_en if lang == "en" and self.plan_en else self.plan

    def source_words(self, lang: str = "vi") -> str:
        """The source document as the report's language ``lang`` cites it: in English, its
        English title and then its own (the title a reader searches for), when the plan gives
        one; else its own title."""
        if lang == "en" and self.source_en:
            return f"{self.source_en}; in Vietnamese: {self.source}"
        return self.source

    @property
    def plan_year(self) -> int:
        """``base_year`` under its former name."""
        return self.base_year

    def indicators(self) -> list[str]:
        """Every indicator a target uses under some reading of the plan."""
        variants = [self.resolve()] + [self.resolve({name: choice})
                                       for name, reading in self.readings.items()
                                       for choice in reading.choices]
        return list(dict.fromkeys(t.indicator for targets in variants for t in targets))

    def choose(self, readings: dict | None = None, where: str | None = None) -> dict:
        """Every reading's value: the defaults updated by ``readings``.

        Raises
        ------
        TargetError
            For an unknown reading name or a value it does not allow.
        """
        where = where or f"plan {self.id or self.plan}"
        chosen = {name: r.default for name, r in self.readings.items()}
        for name, value in (readings or {}).items():
            if name not in self.readings:
                known = ", ".join(self.readings) or "none"
                # a reading of another plan ends in _reading too: only a near miss is named
                close, hint = did_you_mean(str(name), self.readings, cutoff=0.8), ""
                if ":" in str(name) and where == "--reading":
                    reading, _, value = str(name).partition(":")
                    close, hint = "", (f"; give the reading and its value apart (-r {reading} "
                                       f"{value})")
                elif ":" in str(name):
                    # YAML reads {a:b} as the key "a:b": the space after the colon is missed
                    close, hint = "", (f"; write a space after the colon "
                                       f"({name.replace(':', ': ', 1)})")
                raise TargetError(f"{where}: unknown reading '{name}'; {close}known readings: "
                                  f"{known}{hint}")
            chosen[name] = self.readings[name].check(value, where)
        return chosen

    def resolve(self, readings: dict | None = None) -> list[Target]:
        """The targets as read under ``readings`` (defaults for those not given).

        Raises
        ------
        TargetError
            For an unknown reading or value, or a reading that makes a target invalid (a
            start before the base year, a rule reading that does not apply).
        """
        chosen = self.choose(readings)
        resolved = []
        for target in self.targets:
            changes = {}
            for attr, name in target.uses.items():
                value = chosen[name]
                changes[attr] = self.readings[name].sets.get(value, value)
            target = dataclasses.replace(target, **changes)
            _check_resolved(target, self.base_year, f"{self.path or self.id}: target {target.id}")
            resolved.append(target)
        return resolved


def _check_resolved(target: Target, base_year: int, where: str) -> None:
    """What a reading could make wrong, so it is checked on every resolved target."""
    if target.indicator not in INDICATORS:
        raise TargetError(f"{where}: indicator '{target.indicator}' is unknown; write one of "
                          f"{', '.join(INDICATORS)} (ktt/inputs/catalog.py)")
    allowed = RULE_READINGS[target.rule]
    if target.reading not in allowed:
        raise TargetError(f"{where}: reading '{target.reading}' does not apply to rule "
                          f"'{target.rule}'; write one of {', '.join(allowed)}")
    if target.start < base_year:
        raise TargetError(f"{where}: year {target.start} is before the plan's base year "
                          f"{base_year}; a target looks only at years from the base year on: "
                          "correct its start (or the reading that sets it) or base_year")
    if target.end < target.start:
        raise TargetError(f"{where}: end {target.end} is before start {target.start}; "
                          "write the target year as end")
    if target.rule == "between_at" and not (
            target.high is not None and target.high > target.threshold):
        raise TargetError(f"{where}: rule 'between_at' needs high above threshold (the range's "
                          "two ends, e.g. threshold: 0.60, high: 0.70)")
    if target.rule == "about_at" and target.reading == "within" and not (
            isinstance(target.tolerance, int | float) and 0 < target.tolerance < 1):
        raise TargetError(f"{where}: reading 'within' needs a tolerance in (0, 1), e.g. "
                          "tolerance: 0.05 for ±5 %")


def _target(raw: dict, readings: dict[str, Reading], where: str) -> Target:
    if not isinstance(raw, dict):
        raise TargetError(f"{where}: a target is a mapping with id, indicator, rule, ...")
    unknown = set(raw) - _TARGET_KEYS
    if unknown:
        raise TargetError(f"{where}: unknown key(s) {', '.join(sorted(unknown))}; allowed: "
                          f"{', '.join(sorted(_TARGET_KEYS))}")
    missing = {"id", "indicator", "rule", "start", "end", "quote"} - set(raw)
    if missing:
        raise TargetError(f"{where}: missing key(s) {', '.join(sorted(missing))}")
    if raw["rule"] not in RULES:
        raise TargetError(f"{where}: rule '{raw['rule']}' is unknown; write one of "
                          f"{', '.join(RULES)}")
    if raw["rule"] != "rising" and raw.get("threshold") is None:
        raise TargetError(f"{where}: rule '{raw['rule']}' needs a threshold")
    uses = dict(raw.get("uses") or {})
    for attr, name in uses.items():
        if name not in readings:
            known = ", ".join(readings) or "none"
            raise TargetError(f"{where}: uses reading '{name}', which the plan does not define; "
                              f"define it under readings (defined: {known})")
        if attr not in {f.name for f in dataclasses.fields(Target)}:
            raise TargetError(f"{where}: reading '{name}' sets unknown field '{attr}'")
    read_as = raw.get("read_as") or {}
    if not (isinstance(read_as, dict) and set(read_as) in (set(), {"vi", "en"})
            and all(isinstance(v, str) and v.strip() for v in read_as.values())):
        raise TargetError(f"{where}: read_as is {read_as!r}; write how the target is read in "
                          "each language, read_as: {vi: ..., en: ...}, or leave it out")
    return Target(id=str(raw["id"]), indicator=raw["indicator"], rule=raw["rule"],
                  threshold=raw.get("threshold"), start=int(raw["start"]), end=int(raw["end"]),
                  quote=raw["quote"], meaning=raw.get("meaning", ""), uses=uses,
                  reading=raw.get("reading", RULE_READINGS[raw["rule"]][0]),
                  high=raw.get("high"), tolerance=raw.get("tolerance"), read_as=read_as)


def _label(raw: Any, index: int) -> str:
    """A target's id for messages, or its position when it has none."""
    return str(raw["id"]) if isinstance(raw, dict) and "id" in raw else f"number {index + 1}"


def _source(raw: Any, path: Path) -> dict[str, Any]:
    """The plan's ``source`` as ``TargetSet``'s fields: its document (and its English title),
    where it was read, and its passages."""
    if isinstance(raw, str):
        return {"source": raw}
    if not isinstance(raw, dict) or set(raw) - _SOURCE_KEYS or "document" not in raw:
        raise TargetError(f"{path}: source must be a mapping with document (and document_en, "
                          "read_at, quotes lists)")
    return {"source": str(raw["document"]), "source_en": str(raw.get("document_en") or ""),
            "read_at": tuple(map(str, raw.get("read_at") or ())),
            "quotes": tuple(map(str, raw.get("quotes") or ()))}


def load_plan(plan: str | Path, units: pd.DataFrame | None = None) -> TargetSet:
    """Read a plan, ``plans/<id>.yaml``, and check it.

    Parameters
    ----------
    plan : str or Path
        A plan id such as ``krong-bong-192``, or the path of a plan file.
    units : pandas.DataFrame, optional
        The units table the plan's unit must be in; default ``data/units.csv``.

    Returns
    -------
    TargetSet

    Raises
    ------
    TargetError
        On one line naming the file, the target at fault and what to do: an unknown key,
        rule, indicator or reading, a target year before the base year, a unit not in the
        units table, an English name (``plan_en``) that is not text.
    """
    path = plan_file(plan)
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        raise TargetError(f"{path}: not valid YAML ({exc})") from None
    if not isinstance(raw, dict) or not isinstance(raw.get("targets"), list):
        raise TargetError(f"{path}: expected a mapping with a 'targets' list")
    unknown = set(raw) - _PLAN_KEYS
    if unknown:
        raise TargetError(f"{path}: unknown key(s) {', '.join(sorted(unknown))}; a plan has "
                          f"{', '.join(sorted(_PLAN_KEYS))}")
    missing = {"plan", "unit", "base_year", "source"} - set(raw)
    if missing:
        raise TargetError(f"{path}: missing key(s) {', '.join(sorted(missing))}")
    units = load_units() if units is None else units
    if raw["unit"] not in set(units["unit"]):
        raise TargetError(f"{path}: unit '{raw['unit']}' is not in {config.UNITS.name}; write a "
                          "unit id listed there, or add a row for the unit")
    readings = {}
    for name, spec in (raw.get("readings") or {}).items():
        if not isinstance(spec, dict) or "default" not in spec:
            raise TargetError(f"{path}: reading '{name}' needs a default (and doc, choices or "
                              "kind)")
        reading = Reading(name=name, doc=spec.get("doc", ""), default=spec["default"],
                          choices=tuple(spec.get("choices") or ()), kind=spec.get("kind"),
                          sets=spec.get("sets") or {})
        readings[name] = reading
        reading.check(reading.default, f"{path}: reading '{name}' default")
    targets = tuple(_target(t, readings, f"{path}: target {_label(t, i)}")
                    for i, t in enumerate(raw["targets"]))
    ids = [t.id for t in targets]
    repeated = sorted({i for i in ids if ids.count(i) > 1})
    if repeated:
        raise TargetError(f"{path}: target id(s) {', '.join(repeated)} repeat; give each "
                          "target its own id")
    plan_en = raw.get("plan_en") or ""
    if not isinstance(plan_en, str):  # an English report's title would read ['...']
        raise TargetError(f"{path}: plan_en is {plan_en!r}; write the plan's English name as one "
                          "line of text (plan_en: \"Plan No. ...\"), or leave it out")
    result = TargetSet(plan=str(raw["plan"]), base_year=int(raw["base_year"]),
                       targets=targets, readings=readings, id=path.stem, unit=raw["unit"],
                       path=str(path), plan_en=plan_en, **_source(raw["source"], path))
    # Every choice of every reading must give valid targets, not only the defaults.
    result.resolve()
    for name, reading in readings.items():
        for choice in reading.choices:
            result.resolve({name: choice})
    return result


load_targets = load_plan
"""The former name of ``load_plan``."""


def default_as_of(observations: pd.DataFrame, unit: str) -> int:
    """The last year with any figure for ``unit``; the file's last year if it has none."""
    years = observations.loc[observations["unit"] == unit, "year"]
    if years.empty:
        years = observations["year"]
    if years.empty:
        raise TargetError(f"no figure for {unit}: nothing to forecast from; enter its "
                          "figures (ktt template writes a form)")
    return int(years.max())


def fact(target: Target, known: pd.Series, as_of: int,
         floor: pd.Series | None = None) -> tuple[str, list[int]]:
    """Status decided by the record alone (``known``: figures within ``rule_years`` up to
    ``as_of``) and the years that decided it. ``floor`` gives, for years without a figure,
    the least the figure can be (``ktt.inputs.indicators.floors``): a yearly count rule reads
    such a year as reached when its floor reaches the threshold."""
    years = target.years
    all_known = target.end <= as_of and all(y in known.index for y in years)
    floor = pd.Series(dtype=float) if floor is None else floor
    if target.rule == "each_year_at_least":
        short = [int(y) for y, v in known.items() if v < target.threshold]
        if short:
            return "missed", short
        reached = set(known.index) | set(floor[floor >= target.threshold].index)
        return (("met", years) if target.end <= as_of and reached >= set(years)
                else ("open", []))
    if target.rule == "mean_at_least":
        if all_known:
            return ("met" if known.mean() >= target.threshold else "missed"), years
        # Counts cannot be negative, so a sum already at the period's total decides it early.
        if known.sum() + floor.sum() >= target.threshold * len(years):
            return "met", sorted(map(int, set(known.index) | set(floor.index)))
        return "open", []
    if target.rule in LEVEL_RULES:
        if target.end in known.index:
            met = bool(target.level_met(known[target.end]))
            return ("met" if met else "missed"), [target.end]
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


def deciding(row: Mapping, years: Iterable[int] | None = None
             ) -> tuple[dict[int, float], dict[int, float]]:
    """What decided a target, from its row of ``evaluate``'s table, in ``years`` (default its
    ``decided_by``): its figures (year -> value) and the years read from their known parts
    (year -> at least their sum, ``at_least``)."""
    years = row["decided_by"] if years is None else years
    observed, least = row["observed"], row.get("at_least") or {}
    return ({y: observed[y] for y in years if y in observed},
            {y: least[y] for y in years if y in least})


def check_arguments(targets: object, observations: object) -> None:
    """Refuse a plan id, a path or a table where a loaded plan and record are wanted.

    Parameters
    ----------
    targets : object
        What the caller passed as the plan.
    observations : object
        What the caller passed as the record (``ktt.inputs.indicators.check_record``; the
        figures' sources are needed too, as every deciding figure names its own).

    Raises
    ------
    KttError
        Naming what was passed and the call that loads it.
    """
    if isinstance(targets, (str, Path)):
        raise KttError(f"targets is the text '{targets}', not a loaded plan: pass "
                       f"ktt.load_plan('{targets}')")
    if not isinstance(targets, TargetSet):
        raise KttError(f"targets is a {type(targets).__name__}, not a plan: pass "
                       "ktt.load_plan(plan id or file), e.g. ktt.load_plan('krong-bong-192')")
    check_record(observations, (*RECORD_COLUMNS, "source"))


def evaluate(targets: TargetSet, observations: pd.DataFrame, unit: str, as_of: int | None = None,
             readings: dict | None = None, units: pd.DataFrame | None = None) -> pd.DataFrame:
    """What the record says about each target of ``unit`` as of a year.

    Parameters
    ----------
    targets : TargetSet
        From ``load_targets``.
    observations : pandas.DataFrame
        From ``ktt.inputs.data.load_observations`` (derived indicators are added here).
    unit : str
        Unit id, e.g. ``krong-bong``.
    as_of : int, optional
        Last year treated as known; later figures are ignored. Default: the last year with
        data for ``unit``.
    readings : dict, optional
        Reading name -> value; defaults from the targets file for the rest.
    units : pandas.DataFrame, optional
        Units table (default ``data/units.csv``): a unit that ended is evaluated, from the
        reform on, on the sums of its successors' figures (``ktt.inputs.indicators.derive``).

    Returns
    -------
    pandas.DataFrame
        One row per target: ``id, indicator, rule, threshold, start, end``, ``reading`` (the
        rule in words, ``Target.describe``), ``status`` (``met``,
        ``missed`` or ``open``), ``observed`` (year -> value within the period up to
        ``as_of``), ``at_least`` (year -> the least a figure without one can be, from its
        known parts: ``ktt.inputs.indicators.floors``), ``decided_by`` (years), ``sources``
        (ids of the deciding figures; of an open target, of its figures so far, or of its
        ``latest`` when it has none),
        ``missing`` (elapsed years of the period with no figure), ``years_left``, ``latest``
        (the indicator's last figure up to ``as_of``, as ``{year: value}``), ``figures``
        (how many figures the indicator has up to ``as_of``, count).

    Raises
    ------
    KttError
        For a unit neither ``observations`` nor ``units`` holds, naming the closest id
        (``ktt.inputs.units.check_unit_known``); for a plan id, a path or a table without the
        record's columns in place of a loaded plan and record (``check_arguments``).
    """
    check_arguments(targets, observations)
    units = load_units() if units is None else units
    check_unit_known(unit, observations, units)
    return derived_facts(targets, derive(observations, units), unit, as_of, readings, units)


def derived_facts(targets: TargetSet, frame: pd.DataFrame, unit: str, as_of: int | None = None,
                  readings: dict | None = None, units: pd.DataFrame | None = None
                  ) -> pd.DataFrame:
    """``evaluate`` on a record its caller has checked and derived (``forecast_targets``),
    which need not be checked and derived again; the same table. ``units`` gives a unit that
    ended the floors its reporting successors' figures set (``floors``)."""
    if as_of is None:
        as_of = default_as_of(frame, unit)
    rows = []
    for target in targets.resolve(readings):
        full = series(frame, unit, target.indicator)
        known = full[full.index.isin(target.rule_years) & (full.index <= as_of)]
        least = floors(frame, unit, target.indicator, units)
        least = least[least.index.isin(target.rule_years) & (least.index <= as_of)]
        status, decided_by = fact(target, known, as_of, least)
        src = frame[(frame["unit"] == unit) & (frame["indicator"] == target.indicator)]
        src = src.set_index("year")["source"]
        # a year read from its floor (shown with an open target's figures so far) is decided
        # by its known parts' figures, or its reporting successors'
        floor_years = [y for y in (decided_by if status != "open" else least.index)
                       if y in least.index]
        codes = [target.indicator, *parts_of(target.indicator)]
        parts = frame[(frame["unit"] == unit) & frame["indicator"].isin(codes[1:])]
        if units is not None and floor_years:
            parts = pd.concat([parts, successor_counts(frame, units, unit)])
        parts = parts[parts["indicator"].isin(codes) & parts["year"].isin(floor_years)
                      & parts["value"].notna()]
        latest = _latest(full, as_of)
        # an open target shows its figures so far, or the latest before its period: each cites
        shown = (decided_by if status != "open" else list(known.index)
                 or ([] if len(least) else list(latest)))
        rows.append({
            "id": target.id, "indicator": target.indicator, "rule": target.rule,
            "threshold": target.threshold, "start": target.start, "end": target.end,
            "reading": target.describe(), "status": status,
            "observed": {int(y): float(v) for y, v in known.items()},
            "at_least": {int(y): float(v) for y, v in least.items()},
            "decided_by": decided_by,
            "sources": sorted({src[y] for y in shown if y in src.index}
                              | set(parts["source"])),
            "missing": [y for y in target.years if y <= as_of and y not in known.index],
            "years_left": [y for y in target.years if y > as_of],
            "latest": latest,
            "figures": int(full.loc[:as_of].notna().sum()),
        })
    return pd.DataFrame(rows)
