"""The ``ktt`` command line: thin wrappers that call the library and print its results."""

from __future__ import annotations

import argparse
import json
import math
import numbers
import os
import signal
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from ktt import config
from ktt.errors import DataError, KttError, closest_first, did_you_mean
from ktt.inputs.scenarios import MAX_PATHS, MODEL_NAMES, POOLING, value_problem

if TYPE_CHECKING:
    import pandas as pd

    from ktt.forecasting.progress import Progress
    from ktt.inputs.targets import TargetSet

# The heavy libraries (pandas, scipy, statsmodels, papermill, nbconvert) are imported in the
# commands that use them, so that --help, validate, template and every error that needs no
# kernel answer at once.

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
    gaps = (f"no figure for {', '.join(map(str, row['missing']))}; "
            if row["status"] == "open" and row["missing"] else "")
    if years := row["decided_by"] or sorted(row["observed"]):
        return gaps + decided_figures(*deciding(row, years), row["threshold"],
                                      lambda v, **k: format_value(v, code, **k), at_least=">=")
    if row["latest"]:
        (year, value), = row["latest"].items()
        return f"{gaps}latest {year}: {format_value(value, code)}"
    return gaps.removesuffix("; ") or "no figure on record"


def _cmd_validate(args: argparse.Namespace) -> int:
    from ktt.inputs.data import (
        check_observations,
        coverage_by_indicator,
        current_year,
        spikes,
        summarize,
    )

    frame, problems = check_observations(args.path, this_year=current_year())
    if problems:
        # main prints it as `status` and `report` print a bad file: one heading, a line each
        raise DataError(problems)
    kept = frame[frame["preferred"]]
    table = summarize(kept)
    others = len(frame) - len(kept)
    also = (f" (and {others} from less preferred publishers, kept as alternatives)" if others
            else "")
    print(f"{args.path}: valid, {len(kept)} figures{also}, {kept['unit'].nunique()} unit(s), "
          f"years {kept['year'].min()}-{kept['year'].max()}" if len(kept)
          else f"{args.path}: valid, but it holds no figure yet")
    if len(set(kept["unit"])) > 1:
        table = coverage_by_indicator(table)
    if len(table):
        print(table.to_string(index=False))
    _note_unknown_units(args.path, sorted(set(kept["unit"])))
    _note_units_without_figures(args.path, kept)
    _note_unnamed_sources(args.path, kept)
    _note_partial_sums(kept)
    _note("figure(s) far from the figures before and after them (valid, but often a typo)",
          spikes(args.path, kept))
    return 0


def _note(what: str, lines: list[str]) -> None:
    """A note of ``validate`` on what is valid but worth a look: a count, ``what``, and the
    lines, indented; nothing when there are none."""
    if lines:
        print(f"note: {len(lines)} {what}:\n" + "\n".join(f"  {line}" for line in lines))


def _note_units_without_figures(path: Path, kept: pd.DataFrame) -> None:
    """A note on units whose rows are all blank (a form's commune not filled in yet): the
    count of units above leaves them out, and ``status --units`` fails them, easy to miss."""
    from ktt.inputs.data import listed_units

    blank = [u for u in listed_units(path) if u not in set(kept["unit"])]
    if blank:
        print(f"note: {len(blank)} unit(s) with rows but no figure yet: {', '.join(blank)}; "
              "a forecast of them has nothing to go on until their values are filled in")


def _note_unnamed_sources(path: Path, kept: pd.DataFrame) -> None:
    """A note on source ids that no ``sources.csv`` names, when none sits beside the file (one
    that does is checked row by row): the report would list them as bare ids, without the
    publication a reader can look up."""
    from ktt.inputs.data import SOURCE_COLUMNS
    from ktt.report.sources import cited, known_sources

    if (Path(path).parent / "sources.csv").is_file():
        return
    known = known_sources(Path(path))
    unnamed = [i for i in cited(kept["source"]) if i not in known.index]
    if unnamed:
        print(f"note: {len(unnamed)} source id(s) that no sources.csv names: "
              f"{', '.join(unnamed)}. A report lists them without their publication; write a "
              f"sources.csv beside {path} ({','.join(SOURCE_COLUMNS)}), a row per source")


def _note_partial_sums(kept: pd.DataFrame) -> None:
    """A note on the totals of an ended unit that its successors' figures cannot make yet:
    the district's answer then lacks that year, which is easy to miss in a long form."""
    from ktt.inputs.indicators import derive
    from ktt.inputs.units import load_units, partial_sums

    units = load_units()
    # on the derived figures, as the sums are made: a commune's orgs_new may come from its
    # htx_new and tht_new, and a total derive made is not one that is missing
    _note("total(s) of a unit that ended cannot be made, because a successor has no figure "
          "(a total needs them all; fill the blank or leave the year out)",
          partial_sums(derive(kept.drop(columns=["line", "preferred"]), units), units))


def _units_in(path: Path) -> list[str]:
    """The units a data file names, read with the csv module before the report starts; none
    from a file the report will refuse with its own message (no unit column, not UTF-8)."""
    import csv

    try:
        with path.open(encoding="utf-8", newline="") as handle:
            return sorted({(row.get("unit") or "").strip() for row in csv.DictReader(handle)}
                          - {""})
    except (OSError, UnicodeDecodeError, csv.Error):
        return []


def _note_unknown_units(path: Path, held: list[str]) -> None:
    """A note on units the units table does not know: right for a unit of the user's own,
    but most often a mistyped id, which a report would then find no figure for."""
    import csv
    import difflib

    # the csv module, not load_units: ktt template stays instant, without pandas
    with config.UNITS.open(encoding="utf-8", newline="") as handle:
        known = [row["unit"] for row in csv.DictReader(handle)]
    unknown = [u for u in held if u not in known]
    if not unknown:
        return
    named = []
    for unit in unknown:
        # a near miss only: xa-ea-kar is a commune of its own, not a typo of xa-dang-kang
        close = difflib.get_close_matches(unit, known, n=1, cutoff=0.85)
        named.append(f"{unit} (close to {close[0]})" if close else unit)
    print(f"note: unit(s) not in {config.UNITS.relative_to(config.ROOT)}: {', '.join(named)}. "
          "Right for a unit of your own, which has no parent or predecessor there (add a row "
          "for it to count it in its province's totals); otherwise correct the unit column")


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


def _load(args: argparse.Namespace) -> tuple[pd.DataFrame, TargetSet]:
    """The plan ``--plan`` names and the observations ``--data`` names (default: the record
    when it holds figures of the plan's indicators for the unit, else the synthetic example);
    ``--unit`` defaults to the plan's unit. The observations come derived, with the sums of
    the successors of a unit that ended (``data/units.csv``)."""
    import yaml

    from ktt.inputs.data import current_year, load_observations
    from ktt.inputs.example import default_data
    from ktt.inputs.indicators import derive
    from ktt.inputs.targets import load_plan
    from ktt.inputs.units import load_units

    targets = load_plan(args.plan)
    args.unit = args.unit or targets.unit
    args.data = args.data or default_data(args.unit, targets.indicators())
    args.readings = {**getattr(args, "scenario_readings", {}),
                     **{name: yaml.safe_load(value) for name, value in args.reading}}
    targets.choose(args.readings, where="--reading")
    args.units = load_units()
    observations = load_observations(args.data, this_year=current_year())
    return derive(observations, args.units), targets


def _scenario_levers(args: argparse.Namespace) -> dict:
    """``--scenario``: its levers as ``ForecastOptions`` fields, its readings kept for
    ``_load`` (``--reading`` overrides them) and a line that says what it sets; its other
    parameters (paths, seed, data ...) are a report's, and ``status`` takes them from its own
    options. Empty without ``--scenario``.

    Raises
    ------
    ScenarioError
        For an unknown or malformed scenario (``load_scenario``).
    KttError
        For a scenario written for another plan than ``--plan``.
    """
    from ktt.inputs.scenarios import LEVERS, load_scenario, scenario_words

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


def _cmd_status(args: argparse.Namespace) -> int:
    import pandas as pd

    from ktt.forecasting.backtest import choice_fields
    from ktt.forecasting.forecast import (
        ForecastOptions,
        forecast_targets,
        open_phrases,
        year_intervals,
    )
    from ktt.inputs.banner import BANNER
    from ktt.inputs.example import is_synthetic
    from ktt.inputs.indicators import missing_parts, parts_of
    from ktt.inputs.targets import default_as_of
    from ktt.inputs.units import (
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
    observations, targets = _load(args)
    check_unit_known(args.unit, observations, args.units, args.data,
                     config.UNITS.relative_to(config.ROOT), "--unit")
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
    observations, targets = _load(args)
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
                           on_result=_stop_if_signalled)
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


_OWN_FOLDERS = ("calibration", "screenshots")
"""Folders of ``reports/`` that are not forecast reports: the calibration suite's scores
(``make calibration``) and the browser tests' screenshots."""


def _report_name(args: argparse.Namespace, overrides: dict, source: Path) -> str:
    """The report's folder (``ktt.inputs.scenarios.report_name``): the scenario's name and
    what the overrides change (``baseline-seed-7``), so that a run with ``-p`` never replaces
    the scenario's own report. A report on the user's own figures without a scenario is
    named after the data file (``my-figures.csv`` -> ``reports/my-figures/``); ``<name>-data``
    when ktt writes a folder of that name itself (a scenario's report, a plan's
    ``<plan>-<scenario>``, a scenario's with its overrides, the calibration suite's, the
    screenshots, the index)."""
    from ktt.inputs.scenarios import load_scenario, report_name

    name, own = load_scenario(args.scenario or "baseline", source)
    overrides = dict(overrides)
    if args.scenario is None and overrides.get("data_path"):
        stem = Path(overrides.pop("data_path")).stem
        scenarios = {p.stem for p in config.SCENARIOS.glob("*.yaml")}
        # a scenario's folder with its overrides (baseline-seed-7), a plan's (x-baseline),
        # ktt's own, the index (index.html.csv) or a hidden one
        ours = (stem in scenarios or stem in _OWN_FOLDERS or "." in stem
                or any(stem.startswith(f"{scenario}-") or stem.endswith(f"-{scenario}")
                       for scenario in scenarios))
        name = f"{stem}-data" if ours else stem
    return report_name(name, own, overrides, source)


def _given_once(args: argparse.Namespace) -> None:
    """Refuse a report's parameter given twice (``-p n_paths 4000 -p n_paths 10``, or ``-p
    plan`` beside ``--plan``): the last one silently won, and the report recorded a value the
    user may not have meant."""
    given = [(name, f"-p {name} {value}") for name, value in args.param]
    given += [("plan", f"--plan {args.plan}")] if args.plan else []
    given += [("base_year", f"--base-year {args.base_year}")] if args.base_year is not None else []
    for name in dict.fromkeys(name for name, _ in given):
        ways = [way for n, way in given if n == name]
        if len(ways) > 1:
            raise KttError(f"command line: parameter '{name}' is given {len(ways)} times "
                           f"({', '.join(ways)}); give it once")


def _cmd_report(args: argparse.Namespace) -> int:
    from ktt.inputs.scenarios import (
        check_ranges,
        convert_parameter,
        describe_parameters,
        describe_scenarios,
        scenario_file,
    )

    source = config.NOTEBOOKS / f"{args.notebook}.ipynb"
    if not source.is_file():
        known = ", ".join(sorted(p.stem for p in config.NOTEBOOKS.glob("*.ipynb")))
        raise KttError(f"--notebook {args.notebook}: no such notebook; known: {known}")
    if args.list_scenarios:
        print(f"scenarios in {config.relative_path(config.SCENARIOS)}/ (ktt report NAME; "
              "what each parameter means: ktt report --list-parameters):")
        print(describe_scenarios())
        return 0
    if args.list_parameters:
        print(f"parameters of {source.name} (-p NAME VALUE):")
        print(describe_parameters(source))
        return 0
    _given_once(args)
    overrides = {name: convert_parameter(name, value, source) for name, value in args.param}
    if args.plan:
        overrides["plan"] = args.plan
    if args.base_year is not None:
        overrides["base_year"] = args.base_year
    if overrides.get("data_path"):
        # given from where the user stands; recorded from the project's root when inside it,
        # so that the report verifies in another clone (the notebook reads it from there)
        overrides["data_path"] = config.relative_path(Path(overrides["data_path"]).resolve())
    if overrides.get("plan") and config.plan_path(overrides["plan"]).parent != config.PLANS:
        overrides["plan"] = str(config.plan_path(overrides["plan"]).resolve())
    if overrides.get("plan"):
        config.plan_file(overrides["plan"])
    if args.scenario:
        scenario_file(args.scenario)
    # refused before papermill, nbconvert and the kernel start
    check_ranges(overrides, source, "command line")
    if overrides.get("data_path"):
        # a mistyped unit on a row leaves that row out of the report without a word
        path = config.ROOT / overrides["data_path"]
        _note_unknown_units(path, _units_in(path))
        if Path(overrides["data_path"]).is_absolute():
            print(f"note: {path} is outside the project, so the report records that very path, "
                  "and ktt verify reruns it only where the file is there; to have a report "
                  "that verifies in any clone of the project, keep the file in the project's "
                  "folder (as my-figures.csv in the README)")
    if args.all or args.plans:
        from ktt.report.runner import run_all

        scenarios = sorted(p.stem for p in config.SCENARIOS.glob("*.yaml")) if args.all else []
        plans = sorted(p.stem for p in config.PLANS.glob("*.yaml")) if args.plans else ()
        index, errors = run_all(scenarios, overrides, args.output, args.jobs, plans=plans,
                                echo=True)
        for error in errors:
            print(f"error: {error}", file=sys.stderr)
        print(f"index: {index}")
        return 2 if errors else 0
    name = _report_name(args, overrides, source)
    _INTERRUPTED["report"] = name if args.notebook == "forecast" else f"{name}-{args.notebook}"
    # The kernel starts first and imports the report's modules while this process imports
    # papermill and nbconvert and checks the scenario; run_report stops it however it ends.
    from ktt.report.kernel import start_kernel

    kernel = start_kernel(config.NOTEBOOKS, args.notebook)
    try:
        from ktt.report.runner import run_report

        # a signal during these imports can land in importlib's lock callback, which
        # swallows the KeyboardInterrupt; without this the run would go on to its end
        _stop_if_signalled()
    except BaseException:
        kernel.stop()
        raise
    folder = run_report(args.scenario or "baseline", overrides, args.output, args.notebook,
                        name=name, kernel=kernel)
    print(f"report: {folder / 'report.html'}")
    return 0


SHOWN = 12
"""Most differences ``ktt verify`` lists one by one."""


def _cmd_verify(args: argparse.Namespace) -> int:
    from ktt.report.verify import is_report, verify_report

    many = len(args.folders) > 1
    reproduced, checked, gap = 0, 0, ""
    for folder in args.folders:
        if many and not is_report(folder):  # reports/* holds the index and the suite too
            print(f"{gap}skipped {folder}: not a report folder")
        else:
            checked += 1
            try:
                found = verify_report(folder, progress=sys.stderr.isatty(), keep=args.keep)
            except KttError as exc:
                if not many:  # one report: its error is the command's
                    raise
                print(f"{gap}report {folder}: error: {exc}")  # the others are still checked
            else:
                print(gap, end="")
                reproduced += _print_verification(folder, found)
        gap = "\n"
    if not checked:
        raise KttError("no report among the folders given; give report folders such as "
                       "reports/baseline")
    if many:
        print(f"\n{reproduced} of {checked} reports reproduced")
    return 0 if reproduced == checked else 1


def _what_changed(found) -> str:
    """Why a report whose inputs or packages changed did not reproduce, and what to do."""
    changed = found.inputs.loc[found.inputs["status"] == "changed", "path"].tolist()
    causes, fixes = [], []
    if changed:
        causes.append(f"{', '.join(changed)} changed since the report was made (its SHA-256 "
                      "is not the recorded one)")
        fixes.append("restore what the report read (git log, a backup)")
    if not found.versions.empty:
        causes.append("package versions differ")
        pins = [f"{r.package}=={r.recorded}" for r in found.versions.itertuples()
                if r.package not in ("python", "ktt")]
        fixes.append(f"install the recorded versions (pip install {' '.join(pins)})" if pins
                     else "use the recorded Python and ktt")
    return (f"{' and '.join(causes)}, which explains the differences above; to reproduce it, "
            f"{' and '.join(fixes)}; for a report of the files as they are now, run the command "
            "its provenance gives (summary.json 'command')")


def _print_verification(folder: Path, found) -> bool:
    """What ``ktt verify`` found for one report; whether it reproduced."""
    given = ", ".join(f"{k}={v}" for k, v in sorted(found.parameters.items()))
    print(f"report {folder}: notebook {found.notebook}, parameters {given}")
    print("files it read, against the hashes it recorded:")
    width = max((len(p) for p in found.inputs["path"]), default=0)
    for row in found.inputs.itertuples():
        print(f"  {row.path:<{width}}  {row.status}")
    if found.versions.empty:
        print("package versions: as recorded")
    else:
        print("package versions that differ from the recorded: " + ", ".join(
            f"{r.package} {r.recorded} (now {r.now or 'not installed'})"
            for r in found.versions.itertuples()))
    made, rerun = found.commits
    if made or rerun:
        # a report not rerun has no rerun's commit, wherever ktt runs
        rerun_at = ("" if found.note.startswith("not rerun") else
                    f", rerun at {rerun or 'none (not a git checkout)'}")
        print(f"code: made at commit {made or 'none recorded'}{rerun_at}")
    if found.note.startswith("not rerun"):
        print(found.note)
        return False
    print("rerun: " + ", ".join(f"{name} {status}" for name, status in found.files.items()))
    if found.note:
        print(f"note: {found.note}")
    if found.reproduced:
        print("reproduced: the rerun wrote the same files, byte for byte")
        return True
    if found.differences:
        print("summary.json, recorded -> now:")
        for line in found.differences[:SHOWN]:
            print(f"  {line}")
        if len(found.differences) > SHOWN:
            print(f"  ... and {len(found.differences) - SHOWN} more")
    same_inputs = found.versions.empty and set(found.inputs["status"]) <= {"same"}
    others = {status for name, status in found.files.items() if name != "summary.json"}
    if "missing" in found.files.values():
        print("not reproduced: a file of the report is missing; the rerun with --keep DIR "
              "writes it again")
    elif same_inputs and others == {"same"}:  # only summary.json differs
        print("not reproduced: summary.json alone differs while the notebook and the page are "
              "the same, so it was most likely edited after the run")
    elif same_inputs:
        made, rerun = found.commits
        other = (f"other code (git diff {made} -- ktt notebooks)"
                 if made and made != rerun and not made.endswith("-dirty") else
                 "other code (git log)")
        print("not reproduced: every file it read and every package version is as recorded, so "
              f"the report was made by {other} or the run is not deterministic, which is a bug "
              "to report")
    else:
        print(f"not reproduced: {_what_changed(found)}")
    return False


def _cmd_backtest(args: argparse.Namespace) -> int:
    from ktt.forecasting.backtest import (
        backtest_unit,
        choose_models,
        model_summary,
        official_scores,
        score_table,
    )
    from ktt.inputs.banner import BANNER
    from ktt.inputs.example import is_synthetic

    observations, targets = _load(args)
    backtest = backtest_unit(observations, args.unit, targets, args.readings,
                             n_paths=args.paths, seed=args.seed,
                             progress=sys.stderr.isatty())
    if is_synthetic(observations):
        print(f"{BANNER['en']} / {BANNER['vi']}")
    print(f"Rolling-origin backtest of {args.unit}, data {args.data}: every model refitted at "
          f"each origin with at least {backtest.settings['min_train']} figures, "
          f"{backtest.settings['horizons']} years ahead; {args.paths} paths, seed {args.seed}")
    choices = choose_models(backtest)
    summary = model_summary(backtest, choices)
    for code, choice in choices.items():
        print(f"\n{code}: uses {choice.model} ({choice.reason})")
        rows = summary[summary["indicator"] == code].drop(columns="indicator")
        if len(rows):
            print(rows.to_string(index=False, float_format=lambda v: f"{v:.3g}"))
    official = official_scores(backtest, choices)
    if len(official):
        print(f"\nthe official progress classes as calls (met for achieved, on_track, maintain), "
              f"from base year {backtest.settings['base_year']}, beside ktt's on the same "
              "calls (ktt_brier):")
        print(official.to_string(index=False, float_format=lambda v: f"{v:.3f}"))
    if args.output:
        score_table(backtest).to_csv(args.output, index=False)
        print(f"\nscores by indicator, model and horizon: {args.output}")
    return 0


def _cmd_template(args: argparse.Namespace) -> int:
    from ktt.inputs.template import parse_years, write_template

    path = write_template(args.unit, parse_years(args.years),
                          args.output or Path(f"{args.unit.replace(',', '+')}-figures.csv"),
                          replace=args.force)
    print(f"form: {path} (fill value, source and quote; then `ktt validate {path}`)")
    _note_unknown_units(path, [u.strip() for u in args.unit.split(",")])
    return 0


def _whole(name: str) -> Callable[[str], int]:
    """An option's type for the setting ``name`` of ``LEAST`` (``--paths``: ``n_paths``,
    ``--seed``: ``seed``): a whole number in its range, refused as the command starts (a
    ValueError of ``ForecastOptions`` after the data loaded was a traceback, and ``ktt
    backtest`` went on to numpy's)."""
    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            value = text  # not a whole number: value_problem says what the setting takes
        if problem := value_problem(name, value):
            raise argparse.ArgumentTypeError(f"{value!r}{problem}")
        return value

    return parse


def _data_arguments(parser: argparse.ArgumentParser, paths: int) -> None:
    """--plan, --reading, --data, --unit, --paths and --seed, shared by the commands that
    model."""
    parser.add_argument("--plan", default=config.DEFAULT_PLAN,
                        help="plan id in plans/, or a plan YAML (%(default)s)")
    parser.add_argument("-r", "--reading", nargs=2, action="append", default=[],
                        metavar=("NAME", "VALUE"),
                        help="choose a reading of the plan's words (the plan's default for the "
                             "rest)")
    parser.add_argument("--data", type=Path, default=None,
                        help="observations CSV (default: data/observations.csv when it holds "
                             "the unit's figures of the plan's indicators, else the synthetic "
                             "example)")
    parser.add_argument("--unit", default=None, help="unit id (default: the plan's unit)")
    parser.add_argument("--paths", type=_whole("n_paths"), default=paths,
                        help=f"simulated paths, 1 to {MAX_PATHS} (%(default)s)")
    parser.add_argument("--seed", type=_whole("seed"), default=2020,
                        help="random seed, 0 or more (%(default)s)")


class _Parser(argparse.ArgumentParser):
    """The parser of ``ktt`` and of each of its commands: a long option is taken only as
    spelled in full (argparse's abbreviations took ``--list`` for ``--list-parameters`` without
    a word), and one the command does not have is refused with the closest and every valid
    one, where argparse would name it alone."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, allow_abbrev=False, **kwargs)

    def parse_known_args(self, args=None, namespace=None):
        namespace, extras = super().parse_known_args(args, namespace)
        self._refuse_the_other_spelling(extras)
        unknown = [a.split("=")[0] for a in extras if a.startswith("--")]
        if unknown:
            valid = sorted({o for action in self._actions for o in action.option_strings
                            if o.startswith("--")})
            # those it abbreviates first: what argparse's abbreviation would have taken
            meant = [o for o in valid if o.startswith(unknown[0])] or None
            self.error(f"unknown option {unknown[0]}; {did_you_mean(unknown[0], valid, meant)}"
                       f"valid: {', '.join(valid)}")
        return namespace, extras

    def _refuse_the_other_spelling(self, extras: list[str]) -> None:
        """Refuse, with the spelling this command takes, a setting written as the other
        commands write it: ``ktt report`` takes the data file and the forecast's settings as
        notebook parameters (``-p data_path FILE``), ``status`` and ``backtest`` as options
        (``--data FILE``); the closest option argparse would suggest (``--param`` for
        ``--data``) does not say how to write it."""
        command = self.prog.split()[-1]
        if command == "report":
            for name in (w.split("=")[0] for w in extras):
                if name in OPTION_PARAMETERS:
                    parameter, value = OPTION_PARAMETERS[name]
                    self.error(f"unknown option {name}; a report takes it as a notebook "
                               f"parameter: -p {parameter} {value} (ktt report "
                               "--list-parameters lists them)")
        elif command in ("status", "backtest") and {"-p", "--param"} & set(extras):
            at = next(i for i, w in enumerate(extras) if w in ("-p", "--param"))
            name = extras[at + 1] if at + 1 < len(extras) else ""
            options = {o for action in self._actions for o in action.option_strings}
            spelled = {parameter: f"{option} {value}"
                       for option, (parameter, value) in OPTION_PARAMETERS.items()
                       if option in options}
            how = (f"ktt {command} takes it as {spelled[name]}" if name in spelled
                   else f"ktt {command} --help lists the options it takes")
            self.error(f"{extras[at]} sets a notebook parameter of ktt report; {how}")


OPTION_PARAMETERS = {"--data": ("data_path", "FILE"), "--unit": ("unit", "ID"),
                     "--as-of": ("as_of", "YEAR"), "--paths": ("n_paths", "N"),
                     "--seed": ("seed", "N"), "--model": ("model", "NAME"),
                     "--pooling": ("pooling", "NAME")}
"""The options of ``ktt status`` and ``ktt backtest`` that ``ktt report`` takes as notebook
parameters (``notebooks/forecast.ipynb``): option -> (parameter, what its value is)."""


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of the ``ktt`` command."""
    parser = _Parser(
        prog="ktt", description="Will the district meet its collective-economy targets?")
    sub = parser.add_subparsers(dest="command", required=True)

    validate = sub.add_parser("validate", help="check an observations file")
    validate.add_argument("path", type=Path, help="observations CSV (sources.csv beside it)")
    validate.set_defaults(run=_cmd_validate)

    status = sub.add_parser("status", help="the targets' status on the record")
    _data_arguments(status, paths=4000)
    status.add_argument("--as-of", type=int, default=None,
                        help="last known year (default: the unit's last year with data)")
    status.add_argument("--json", action="store_true", help="print JSON instead of a table")
    status.add_argument("--model", default="auto",
                        choices=MODEL_NAMES,
                        help="model for its family of indicators (%(default)s)")
    status.add_argument("--pooling", default="none", choices=POOLING,
                        help="borrow strength from the province's other units (%(default)s)")
    status.add_argument("--base-year", type=int, default=None,
                        help="base year of the official progress classes (default: the "
                             "plan's; 2015 as the SDG methods use)")
    status.add_argument("--scenario", default=None,
                        help="apply a scenario's levers and readings (a name in scenarios/ or a "
                             "YAML path; ktt report --list-scenarios lists them)")
    status.add_argument("--units", dest="unit_selection", default=None,
                        help="many units in one table: all (every unit of the data), ID,ID,... "
                             "or within=ID (every unit below ID in data/units.csv)")
    status.add_argument("--scheduler", default=None,
                        help="with --units: address of a running Dask scheduler "
                             "(tcp://host:8786) instead of a local cluster")
    status.add_argument("--workers", type=int, default=None,
                        help="with --units: worker processes of the local Dask cluster "
                             f"(this machine's cores, {os.cpu_count() or 1}); 0 runs the units "
                             "one by one in this process")
    status.add_argument("--output", type=Path, default=None,
                        help="with --units: write the whole table to FILE.csv or "
                             "FILE.parquet")
    status.set_defaults(run=_cmd_status)

    backtest = sub.add_parser("backtest", help="score every model on the unit's own record")
    _data_arguments(backtest, paths=1000)
    backtest.add_argument("--output", type=Path, default=None,
                          help="write the scores by indicator, model and horizon to this CSV")
    backtest.set_defaults(run=_cmd_backtest)

    template = sub.add_parser("template", help="write a blank CSV form for a unit's figures")
    template.add_argument("--unit", default=config.DEFAULT_UNIT,
                          help="unit id, or several separated by commas (%(default)s)")
    template.add_argument("--years", default="2015-2025",
                          help="first-last, or one year (%(default)s)")
    template.add_argument("--output", type=Path, default=None,
                          help="where to write it (default: UNIT-figures.csv)")
    template.add_argument("--force", action="store_true",
                          help="replace the file if it exists (a filled-in form is lost)")
    template.set_defaults(run=_cmd_template)

    verify = sub.add_parser("verify", help="rerun reports and check that they reproduce")
    verify.add_argument("folders", type=Path, nargs="+", metavar="FOLDER",
                        help="report folders, e.g. reports/baseline, or reports/* (what is "
                             "not a report is skipped)")
    verify.add_argument("--keep", type=Path, default=None, metavar="DIR",
                        help="write the rerun into DIR and keep it (default: a temporary "
                             "folder, removed after)")
    verify.set_defaults(run=_cmd_verify)
    report = sub.add_parser("report", help="execute the forecast notebook for a scenario")
    report.add_argument("scenario", nargs="?", default=None,
                        help="name in scenarios/ or a YAML path (baseline; with -p data_path "
                             "and no scenario, the report goes to a folder named after the "
                             "data file)")
    report.add_argument("--plan", default=None,
                        help="plan id in plans/ or a plan YAML (default: the scenario's plan); "
                             "another plan than the scenario's writes reports/<plan>-<scenario>/")
    report.add_argument("-p", "--param", nargs=2, action="append", default=[],
                        metavar=("NAME", "VALUE"),
                        help="override a notebook parameter; the value is converted to the "
                             "parameter's type (bool: true or false); --list-parameters "
                             "lists them")
    report.add_argument("--list-parameters", action="store_true",
                        help="list the notebook's parameters (type, default, meaning) and exit")
    report.add_argument("--list-scenarios", action="store_true",
                        help="list the scenarios (id, plan, title, description and the "
                             "parameters each sets) and exit")
    report.add_argument("--all", action="store_true",
                        help="every scenario, in parallel, and reports/index.html")
    report.add_argument("--plans", action="store_true",
                        help="the baseline of every plan in plans/ (the district plan's in "
                             "reports/baseline/, another's in reports/<plan>-baseline/), in "
                             "parallel, and reports/index.html")
    report.add_argument("--jobs", type=int, default=2, help="parallel runs with --all or --plans")
    report.add_argument("--output", type=Path, default=config.REPORTS,
                        help="folder of the report folders (%(default)s)")
    # the notebooks that write a report (a summary cell); explore.ipynb is the analyst's
    report.add_argument("--notebook", default="forecast",
                        choices=("forecast", "backtest", "units"),
                        help="the report's notebook in notebooks/: forecast (default), "
                             "backtest, or units (the dashboard of many units)")
    report.add_argument("--base-year", type=int, default=None,
                        help="base year of the official progress classes (the notebook "
                             "parameter base_year; default the plan's)")
    report.set_defaults(run=_cmd_report)
    return parser


_INTERRUPTED: dict[str, str] = {}
"""The report a run is writing, for the line an interrupt prints."""


_SIGNALLED: list[int] = []
"""The signals ``_terminate`` has received in this run."""


def _terminate(signum, frame) -> None:
    """SIGINT and SIGTERM end the run cleanly, with one line: nothing is logged after them
    (asyncio's tasks and nbclient's wait for the kernel, cut short, would log tracebacks)."""
    import logging

    logging.disable(logging.CRITICAL)
    _SIGNALLED.append(signum)
    raise KeyboardInterrupt


def _stop_if_signalled(*_) -> None:
    """Raise ``KeyboardInterrupt`` if a signal has come: code that catches every exception
    (a library's, or a finalizer running when the signal arrived) can swallow the one
    ``_terminate`` raised, and a run of many units would then go on to its end (the likely
    cause of a Ctrl-C on a Dask run that, once in a fresh clone's tests, exited 0 after the
    last unit). Called after each batch of units of ``ktt status --units``, after a report's
    imports and when a command returns."""
    if _SIGNALLED:
        raise KeyboardInterrupt


def _swallow(signum, frame) -> None:
    """A signal that comes after the first one: nothing to do."""


def _unraisable(unraisable) -> None:
    """Python's hook for an exception it cannot raise (in a garbage-collector callback, a
    weakref's, importlib's lock): the KeyboardInterrupt ``_terminate`` raised there is not
    printed as "Exception ignored ... Traceback", since ``_stop_if_signalled`` raises it again
    where it can end the run with its one line; anything else is printed as Python would."""
    if isinstance(unraisable.exc_value, KeyboardInterrupt) and _SIGNALLED:
        return
    sys.__unraisablehook__(unraisable)


def _close_progress_bars() -> None:
    """End papermill's progress bar, if one is drawn, with its line: the interrupt's line
    then starts a line of its own rather than follow the bar."""
    tqdm = sys.modules.get("tqdm")  # imported by papermill only
    if tqdm is not None:
        for bar in list(tqdm.tqdm._instances):
            bar.close()


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit code (2 for bad input, without traceback; 130
    when interrupted, with one line)."""
    args = build_parser().parse_args(argv)
    if signal.getsignal(signal.SIGTERM) is signal.SIG_DFL:
        signal.signal(signal.SIGTERM, _terminate)
    if signal.getsignal(signal.SIGINT) is signal.default_int_handler:
        signal.signal(signal.SIGINT, _terminate)
    _INTERRUPTED.clear()
    _SIGNALLED.clear()
    sys.unraisablehook = _unraisable
    try:
        code = args.run(args)
        _stop_if_signalled()  # one swallowed where no check caught it still ends as one
        sys.stdout.flush()
        return code
    except DataError as exc:
        print(f"error: {len(exc.problems)} problem(s) in the data:", file=sys.stderr)
        print(exc, file=sys.stderr)
        return 2
    except KttError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        # one line, then an exit that a second signal (the kernel's group gets the same
        # Ctrl-C) cannot turn into a traceback: a handler that does nothing (SIG_IGN would
        # raise "ignored due to race condition" for a signal already arrived)
        signal.signal(signal.SIGINT, _swallow)
        signal.signal(signal.SIGTERM, _swallow)
        _close_progress_bars()
        name = _INTERRUPTED.get("report")
        kept = ("" if name is None else
                f"; the last good report of {name} is kept" if (args.output / name).is_dir()
                else f"; no report of {name} was written")
        print(f"interrupted{kept}", file=sys.stderr)
        # The temporary folder is gone and the kernel stopped (run_report's finally); exit
        # now: the interrupted asyncio tasks of nbclient could raise it again at shutdown.
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(130)
    except BrokenPipeError:
        # the reader stopped (``ktt validate FILE | head -1``): end quietly
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 0
