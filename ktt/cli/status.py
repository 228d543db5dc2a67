"""``ktt status``: each target's status on the record, its probability and the official
progress classes, for one unit or (``--units``) many in one table."""

from __future__ import annotations

import argparse
import json
import math
import numbers
import os
import sys
from typing import TYPE_CHECKING

from ktt import config
from ktt.cli.inputs import plan_and_record
from ktt.cli.signals import stop_if_signalled
from ktt.cli.validate import note_unknown_units
from ktt.errors import KttError, closest_first

if TYPE_CHECKING:
    import pandas as pd

    from ktt.forecasting.progress import Progress


METHODS = ("open_sdg", "unsd", "escap")
"""The official progress classes (``ktt.forecasting.progress.METHODS``; a test keeps them
equal)."""


def _evidence(row: pd.Series) -> str:
    """The figures behind a status, in a few words; the latest figure when none is in the
    target's years. An open target first names its elapsed years without a figure, as the
    report does (a target year already past stays open when the record lacks it)."""
    from ktt.inputs.catalog import decided_figures, format_value
    from ktt.inputs.targets import deciding

    code = row["indicator"]
    least = row.get("at_least") or {}
    missing = [y for y in row["missing"] if y not in least]  # a least is said with its figures
    gaps = (f"no figure for {', '.join(map(str, missing))}; "
            if row["status"] == "open" and missing else "")
    if years := row["decided_by"] or sorted({*row["observed"], *least}):
        return gaps + decided_figures(*deciding(row, years), row["threshold"],
                                      lambda v, **k: format_value(v, code, **k), at_least=">=")
    if row["latest"]:
        (year, value), = row["latest"].items()
        return f"{gaps}latest {year}: {format_value(value, code)}"
    return gaps.removesuffix("; ") or "no figure on record"


def _probability(p: float, status: str) -> str:
    """A probability to two decimals. An open target's under 0.01 or over 0.99 is said so, as
    the likelihood phrases beside it are bounded there ("exceptionally unlikely" is under
    0.01) and finite paths give no certainty; a decided target's is the fact, 0 or 1."""
    if p != p:
        return "-"
    if status == "open" and p < 0.01:
        return "<0.01"
    if status == "open" and p > 0.99:
        return ">0.99"
    return f"{p:.2f}"


def _interval(row: pd.Series) -> str:
    """The 80 % interval in the target year, where it is forecast (``year_intervals``)."""
    from ktt.inputs.catalog import format_value

    if not math.isfinite(row["lo80"]):
        return "-"
    code = row["indicator"]
    return f"{format_value(row['lo80'], code)} to {format_value(row['hi80'], code)}"


def _scenario_levers(args: argparse.Namespace) -> dict:
    """``--scenario``: its levers as ``ForecastOptions`` fields, its readings kept for
    ``plan_and_record`` (``--reading`` overrides them) and a line that says what it sets; its other
    parameters (paths, seed, data ...) are a report's, and ``status`` takes them from its own
    options. Empty without ``--scenario``.

    Raises
    ------
    ScenarioError
        For an unknown or malformed scenario (``load_scenario``).
    KttError
        For a scenario written for another plan than ``--plan``.
    """
    from ktt.inputs.parameters import LEVERS
    from ktt.inputs.scenarios import load_scenario, scenario_words

    if not args.scenario:
        return {}
    name, parameters = load_scenario(args.scenario)
    if parameters.get("plan") and parameters["plan"] != args.plan:
        raise KttError(f"scenario {name} is written for plan {parameters['plan']}, not "
                       f"{args.plan}: add --plan {parameters['plan']}")
    amounts = {key: parameters[key] for key in LEVERS if parameters.get(key)}
    years = {year: parameters[year] for key, (_, year) in LEVERS.items()
             if key in amounts and parameters.get(year)}
    args.scenario_readings = parameters.get("readings") or {}
    sets = [f"{key} = {value}" for key, value in {**amounts, **years}.items()]
    sets += [f"{key} = {value}" for key, value in args.scenario_readings.items()]
    others = sorted(set(parameters) - {"plan", "scenario", "readings", *LEVERS,
                                       *(year for _, year in LEVERS.values())})
    args.scenario_line = (f"scenario {name} ({scenario_words(name, 'en')[0]}): "
                          f"{', '.join(sets) or 'sets nothing'}"
                          + (f"; its {', '.join(others)} are a report's: status takes its own "
                             "options" if others else ""))
    return {**amounts, **years}


def status_command(args: argparse.Namespace) -> int:
    """``ktt status``: print the targets' table (``--json``: records); exit code 0, or 2 when
    a unit of ``--units`` failed."""
    import pandas as pd

    from ktt.forecasting.forecast import (
        ForecastOptions,
        forecast_targets,
        open_phrases,
        year_intervals,
    )
    from ktt.forecasting.model_choice import choice_fields
    from ktt.inputs.banner import BANNER
    from ktt.inputs.example import is_synthetic
    from ktt.inputs.indicators import missing_parts, parts_of
    from ktt.inputs.targets import default_as_of
    from ktt.inputs.units import (
        check_no_mistyped_unit,
        check_unit_known,
        partial_sums,
        reform_note,
        successors_on_record,
    )

    args.levers = _scenario_levers(args)
    if args.unit_selection:
        return _status_units(args)
    alone = [name for name, value in (("--output", args.output), ("--scheduler", args.scheduler),
                                      ("--workers", args.workers)) if value is not None]
    if alone:
        verb, them = ("applies", "it") if len(alone) == 1 else ("apply", "them")
        raise KttError(f"{', '.join(alone)} {verb} to many units at once: add --units (all, "
                       f"ID,ID,... or within=ID), or leave {them} out for one unit")
    observations, targets = plan_and_record(args)
    check_unit_known(args.unit, observations, args.units, args.data,
                     config.UNITS.relative_to(config.ROOT), "--unit")
    check_no_mistyped_unit(args.unit, observations, args.units, args.data)
    as_of = args.as_of or default_as_of(observations, args.unit)
    result = forecast_targets(targets, observations, args.unit,
                              ForecastOptions(as_of=as_of, readings=args.readings,
                                              model=args.model, n_paths=args.paths, seed=args.seed,
                                              pooling=args.pooling, base_year=args.base_year,
                                              **args.levers))
    table = year_intervals(result.table)
    base_year = result.settings["base_year"]
    if args.json:
        cols = ["id", "indicator", "status", "observed", "years_left", "decided_by", "sources",
                "probability", "likelihood", "median", "lo80", "hi80", "model", "note",
                "progress", "yearly"]
        records = table[cols].to_dict(orient="records")
        for record in records:
            code = record["indicator"]
            record.update(choice_fields(result.choices.get(code), result.fits.get(code)))
            record["interval_80"] = [record.pop("lo80"), record.pop("hi80")]
            record["progress"] = [p.as_dict() for p in record["progress"]]
            record["yearly"] = record["yearly"].as_dict() if record["yearly"] else None
            record["base_year"] = base_year
        print(json.dumps(_plain(records), ensure_ascii=False, indent=2))
        return 0
    if is_synthetic(observations):
        print(f"{BANNER['en']} / {BANNER['vi']}")
    print(f"Targets of {targets.plan} (plan {targets.id}, {targets.path})")
    print(f"unit {args.unit}, as of {as_of} (later years are forecast), data {args.data}; "
          f"{args.paths} paths, seed {args.seed}, model {args.model}, pooling {args.pooling}")
    if args.scenario:
        print(args.scenario_line)
    held = sorted(set(observations["unit"]))
    # a unit that ended has its successors' figures, which the reform note below speaks of
    if args.unit not in held and not successors_on_record(args.units, args.unit, held):
        # the closest first: most often the file's unit column mistyped (krong-bang)
        holds = (f"; it holds figures for {', '.join(closest_first(args.unit, held))} (correct "
                 "the file's unit column, or give --unit with one of these)" if held else "")
        print(f"note: {args.data} holds no figure for {args.unit}; every target stays open "
              f"until its figures are entered (see data/README.md){holds}")
    for code in targets.indicators():
        lacking = missing_parts(observations, args.unit, code)
        if lacking:
            print(f"note: {code} is derived from {' and '.join(parts_of(code))} of the same "
                  f"year; {args.data} has no {' and no '.join(lacking)} for {args.unit}, so no "
                  f"{code} (enter 0 for a year with none)")
    # a misspelt commune (xa-yang-mau) leaves its district's totals unmade, and the notes
    # below then name the commune spelt right as the one without figures: say which id it is
    note_unknown_units(args.data, held)
    reform = reform_note(args.units, args.unit, observations)
    if reform:
        print(f"note: {reform}")
    for line in partial_sums(observations, args.units, args.unit):  # a year without its sum
        print(f"note: no total: {line}; fill the blank to have {args.unit}'s figure")
    shown = pd.DataFrame({
        "target": table["id"], "rule": table["reading"], "status": table["status"],
        "P(met)": [_probability(p, s) for p, s in zip(table["probability"], table["status"],
                                                     strict=True)],
        "likelihood": open_phrases(table, "-"),
        "80% in target year": table.apply(_interval, axis=1),
        "record": table.apply(_evidence, axis=1),
        "source": table["sources"].map(lambda s: ", ".join(s) or "-"),
        "model": table["model"],
        **{method: table["progress"].map(lambda ps, m=method: _result(ps, m).label())
           for method in METHODS},
    })
    print(shown.to_string(index=False))
    print(f"open_sdg, unsd, escap: the official progress classes (ratio) from base year "
          f"{base_year} to the latest figure (ktt.forecasting.progress; --base-year YEAR for "
          "another, from the first figure on; 2015 is the SDG methods' own)")
    later = _later_bases(table["id"], table["progress"], base_year)
    if later:
        print(f"note: no figure in {base_year} for {later}: their classes measure from the "
              "first figure after it")
    classes = pd.DataFrame({m: table["progress"].map(lambda ps, m=m: _result(ps, m).category)
                            for m in METHODS})
    note = _achieved_note(table["id"], table["status"], classes)
    if note:
        print(note)
    for _, row in table[table["yearly"].notna()].iterrows():
        print(f"years {row['id']}: {_yearly(row['yearly'], row['indicator'])}")
    for _, row in table[table["note"] != ""].iterrows():
        print(f"note {row['id']}: {row['note']}")
    return 0


def _status_units(args: argparse.Namespace) -> int:
    """``ktt status --units``: every selected unit's targets in one table, on Dask unless
    ``--workers 0``; ``--output`` writes the whole table (CSV, or Parquet with pyarrow)."""
    # dask and the models load here only: the other commands and --help stay instant
    from ktt.forecasting.forecast import ForecastOptions
    from ktt.forecasting.many import FAILED, forecast_units, select_units, summary
    from ktt.inputs.banner import BANNER
    from ktt.inputs.example import is_synthetic

    if args.unit is not None:
        raise KttError(f"--unit {args.unit} with --units {args.unit_selection}: give one; "
                       f"--units {args.unit} for that unit in the many-unit table")
    if args.workers is None:
        args.workers = os.cpu_count() or 1
    output = args.output
    if output is not None and output.suffix not in (".csv", ".parquet"):
        raise KttError(f"--output {output}: write .csv or .parquet")
    if output is not None and output.suffix == ".parquet":
        try:
            import pyarrow  # noqa: F401
        except ImportError:
            raise KttError(f"--output {output}: Parquet needs pyarrow, which is not installed; "
                           "pip install pyarrow, or write .csv") from None
    observations, targets = plan_and_record(args)
    ids = select_units(args.unit_selection, args.units, observations)
    where = (f"on the Dask cluster at {args.scheduler}" if args.scheduler else
             f"on a local Dask cluster of {args.workers} worker processes" if args.workers
             else "one by one in this process")
    print(f"{len(ids)} unit{'s' if len(ids) != 1 else ''} against the targets of "
          f"{targets.plan} (plan {targets.id}), data {args.data}, {where}; {args.paths} paths, "
          f"run seed {args.seed} (each unit's seed from its id)", file=sys.stderr)
    table = forecast_units(targets, observations, ids,
                           ForecastOptions(as_of=args.as_of, readings=args.readings,
                                           model=args.model, n_paths=args.paths,
                                           seed=args.seed, pooling=args.pooling,
                                           base_year=args.base_year, **args.levers),
                           args.units, workers=args.workers, scheduler=args.scheduler,
                           on_result=stop_if_signalled)
    if output is not None:
        output.parent.mkdir(parents=True, exist_ok=True)
        if output.suffix == ".parquet":
            table.to_parquet(output, index=False)
        else:
            table.to_csv(output, index=False)
    # a script running many units must learn that some failed, as ktt report --all says
    done = 2 if (table["status"] == FAILED).any() else 0
    if args.json:
        print(table.to_json(orient="records", force_ascii=False, indent=2))
        return done
    if is_synthetic(observations):
        print(f"{BANNER['en']} / {BANNER['vi']}")
    if args.scenario:
        print(args.scenario_line)
    shown = table[["unit", "target", "status", "probability", "model", *METHODS]].copy()
    shown["probability"] = [_probability(p, s) for p, s in zip(shown["probability"],
                                                               shown["status"], strict=True)]
    # as the one-unit table gives it: in the indicator's unit, for an open target only
    shown.insert(4, "80% in target year", table.apply(_interval, axis=1))
    print(shown.to_string(index=False))
    note = _achieved_note(table["target"], table["status"], table[list(METHODS)])
    if note:
        print(note)
    totals = summary(table)
    if len(totals):  # none when every unit failed: the lines below say why
        print(totals.to_string(index=False))
    failed = table[table["status"] == FAILED]
    for row in failed.itertuples():
        print(f"failed {row.unit}: {row.error}")
    if output is not None:
        print(f"wrote {output} ({len(table)} rows)")
    return done


def _achieved_note(targets: pd.Series, status: pd.Series, classes: pd.DataFrame) -> str | None:
    """Why an official class can read ``achieved`` beside a target ktt calls missed or open:
    the class reads the latest figure against the target's value, the status the whole rule
    (every year of a period, the years to come). None when no row shows it."""
    achieved = (classes == "achieved").any(axis=1)
    said = {kind: list(dict.fromkeys(targets[achieved & (status == kind)]))
            for kind in ("missed", "open")}
    if not any(said.values()):
        return None
    why = {"missed": "missed by the record though the latest figure meets the value (a year "
                     "the rule counts fell short)",
           "open": "still open though the latest figure meets the value (the rule counts "
                   "figures still to come)"}
    parts = [f"{', '.join(ids)} {why[kind]}" for kind, ids in said.items() if ids]
    return ("note: a class reads 'achieved' when the latest figure meets the target's value; "
            "the status reads the whole rule: " + "; ".join(parts))


def _later_bases(ids: pd.Series, progress: pd.Series, base_year: int) -> str:
    """The targets whose official classes measure from a later year than ``base_year`` (an
    indicator with no figure in it), each with that year (``T2030-rated (2017)``); empty when
    none."""
    later = {i: p.base_year for i, ps in zip(ids, progress, strict=True) for p in ps
             if p.base_year not in (None, base_year)}
    return ", ".join(f"{i} ({year})" for i, year in later.items())


def _result(progress: list[Progress], method: str) -> Progress:
    """One method's official class of a target's ``progress`` (its category, its ``label()``
    with the ratio when it has one)."""
    return next(p for p in progress if p.method == method)


def _yearly(count, code: str) -> str:
    """k of n years at the threshold, the level each year without a figure needs (those left
    and the elapsed ones missing), the recent one."""
    from ktt.inputs.catalog import format_value

    missing = (f", no figure for {', '.join(map(str, count.years_missing))}"
               if count.years_missing else "")
    # one decimal, as the recent level: a whole number would say 2 for the 2.5 a mean needs
    level = format_value(count.required_level, code, 1)
    unknown = count.years_left + len(count.years_missing)
    each, years = ("the", "year") if unknown == 1 else ("each of the", "years")
    needed = ("no year left" if not unknown else
              f"{each} {unknown} remaining {years} needs {level}" if not count.years_missing else
              f"{each} {unknown} {years} without a figure ({len(count.years_missing)} "
              f"missing, {count.years_left or 'none'} remaining) needs {level}")
    so_far = (f"{count.years_met} of {count.years_known} years at least "
              f"{format_value(count.threshold, code)} so far{missing}"
              if count.years_known or count.years_missing else "no year of the period elapsed")
    recent = format_value(count.recent_level, code, 1)
    return f"{so_far}; {needed}; recent level {recent} (mean of the last 3 figures)"


def _plain(value):
    """``value`` as JSON holds it: numpy's numbers as Python's, and every NaN as None (Python's
    json writes NaN, which is not JSON and which a strict reader, JavaScript's JSON.parse or
    jq, refuses)."""
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if isinstance(value, numbers.Integral) and not isinstance(value, bool):
        return int(value)
    if isinstance(value, numbers.Real):
        return None if math.isnan(value) else float(value)
    return value
