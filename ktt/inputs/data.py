"""Load and validate the tidy observations file and the sources beside it.

Every problem is reported on one line naming the file, the line, the column and what to do;
all problems of a file are collected before anything is raised, so an analyst fixes them in
one pass.

Publishers disagree (the Cooperative Alliance and the planning ministry count differently), so
a unit, year and indicator may have several figures, each from its own source. ``sources.csv``
ranks the sources (``rank``, lower preferred); the loader keeps the figure of the best-ranked
source, the same way every time, and ``load_alternatives`` returns the others.
"""

from __future__ import annotations

import csv
import datetime as dt
import difflib
import io
import math
import re
from pathlib import Path

import pandas as pd

from ktt.errors import DataError, as_slug, did_you_mean
from ktt.inputs.catalog import INDICATORS, SHARE_PARTS, kind_of
from ktt.inputs.units import (
    load_units,
    reform_year,
    successor_counts,
    successors_of,
)

COLUMNS = ("unit", "year", "indicator", "value", "source", "quote")
SOURCE_COLUMNS = ("id", "title", "publisher", "date", "address")
"""Required columns of ``sources.csv``; ``rank`` and the notes (``NOTES``) are optional."""
RANK = "rank"
"""Optional column of ``sources.csv``: a whole number >= 1, lower preferred when two sources
give different figures for the same unit, year and indicator; blank ranks last."""
NOTES = ("note", "note_vi")
"""Optional columns of ``sources.csv``: what a source's figures are (whose count, for which
year), in English and in Vietnamese; a report shows the one in its language (the other when it
has only that one). Kept out of the title, which is the document's own."""
_SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
_DECIMAL_COMMA = re.compile(r"^-?\d+,\d+$")
_THOUSANDS = re.compile(r"^-?[1-9]\d{0,2}(?:([.,])\d{3})(?:\1\d{3})*$")
"""A whole number with a thousands separator, as a spreadsheet saves it in a Vietnamese
(``21.034``) or an English (``21,034``) locale; never ``0.083``, a fraction (a share typed
into a count), whose first group no thousands separator would leave as a lone 0."""
_SPACED = re.compile(r"^-?[1-9]\d{0,2}(?:[ \u00a0\u202f]\d{3})+$")
"""A whole number with spaces as its thousands separator (``17 200``; a spreadsheet's may be
a no-break space)."""
_YEARS = range(1900, 2101)


def _read_rows(path: Path, columns: tuple[str, ...]) -> tuple[list[tuple[int, dict]], list[str]]:
    """Read a CSV as (line number, row dict) pairs; structural problems end the reading."""
    if not path.exists():
        raise DataError([f"{path}: no such file; check the path, or write a blank form "
                         "with `ktt template`"])
    if path.is_dir():
        raise DataError([f"{path}: is a folder, not a CSV file; name the file itself, "
                         f"for example {path / 'observations.csv'}"])
    raw = path.read_bytes()
    if not raw.strip():
        raise DataError([f"{path}: the file is empty; it needs the header line "
                         f"{','.join(columns)}"])
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        # Excel's "Unicode Text": its first bytes would be 'not UTF-8 (byte 0)', which does not
        # say what the spreadsheet did
        raise DataError([f"{path}: UTF-16 text (a spreadsheet's 'Unicode Text', columns "
                         "separated by tabs); save it as 'CSV UTF-8' in your spreadsheet"])
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[:exc.start].count(b"\n") + 1
        raise DataError([f"{path}:{line}: not UTF-8 text (byte {exc.start}); save it as "
                         "'CSV UTF-8' in your spreadsheet"]) from None
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        # a second byte-order mark (a form saved again by an editor that adds its own) would
        # hide the first column's name
        header = [name.strip().lstrip("\ufeff") for name in next(reader)]
        # each record with the line it starts on and the line it ends on: a quote left open
        # runs a record over the lines after it
        records, end = [], reader.line_num
        for fields in reader:
            records.append((end + 1, reader.line_num, fields))
            end = reader.line_num
    except csv.Error as exc:
        raise DataError([f"{path}:{reader.line_num}: not readable as CSV ({exc}); "
                         "save it again as CSV"]) from None
    if len(header) == 1:
        for sep, name in ((";", "semicolons"), ("\t", "tabs")):
            if sep in header[0]:
                raise DataError([f"{path}:1: columns are separated by {name}; save it with "
                                 "commas (CSV UTF-8, comma-delimited)"])
    missing = [c for c in columns if c not in header]
    if missing:
        cased = [c for c in missing if c in (h.strip().lower() for h in header)]
        hint = (f" ({', '.join(cased)} {'is' if len(cased) == 1 else 'are'} there with capitals "
                "or spaces: write the header in lower case)" if cased else "")
        raise DataError([f"{path}:1: missing column(s) {', '.join(missing)}; the header must "
                         f"name {', '.join(columns)}{hint}"])
    rows, problems = [], []
    for line, last, fields in records:
        if not any(f.strip() for f in fields):
            continue
        broken = next((i for i, f in enumerate(fields) if "\n" in f or "\r" in f), None)
        if broken is not None:
            # csv reads on to the next double quote, taking the rows between as text: they
            # would be lost without a word
            column = f"column '{header[broken]}'" if broken < len(header) else "a column"
            swallowed = ("" if last == line else
                         f", and line {last} was read into it" if last == line + 1 else
                         f", and lines {line + 1}-{last} were read into it")
            problems.append(
                f"{path}:{line}: {column}: a double quote opens a text that does not close on "
                f"this line{swallowed}; close it (write \"\" for a quote mark inside the "
                "text) or remove it, and keep each row on one line")
            continue
        if [f.strip().lstrip("\ufeff") for f in fields] == header:
            problems.append(f"{path}:{line}: the header line again (another file's rows added "
                            "with their header?); delete this line")
            continue
        if len(fields) == len(header) + 1 and "value" in header:
            at = header.index("value")
            joined = f"{fields[at].strip()},{fields[at + 1].strip()}"
            if _THOUSANDS.match(joined):
                problems.append(
                    f"{path}:{line}: column 'value': '{joined}' has a thousands separator "
                    f"(','), which splits the row; write {joined.replace(',', '')}, digits only")
                continue
        if len(fields) < len(header) and max(header.index(c) for c in columns) < len(fields):
            # a row that stops before a column ktt does not read (the form's wording): rows
            # in the observations format added to a form
            fields = fields + [""] * (len(header) - len(fields))
        if len(fields) == 2 * len(header) - 1 > 1:
            # `tail -n +2 communes.csv >> my-figures.csv` on a file whose last line has no line
            # break: the first row added runs on from it, the two sharing a field
            joined = fields[len(header) - 1][-30:]
            problems.append(
                f"{path}:{line}: {len(fields)} fields where the header has {len(header)}: two "
                "rows on one line (rows added to a file whose last line had no line break?); "
                f"break the line where the second row starts, in '{joined}'")
            continue
        if len(fields) > len(header):
            problems.append(
                f"{path}:{line}: {len(fields)} fields where the header has {len(header)}; "
                "a decimal comma (write 0.45, not 0,45) or a comma in unquoted text "
                "(put the quote in double quotes)")
            continue
        if len(fields) < len(header):
            problems.append(
                f"{path}:{line}: {len(fields)} fields where the header has {len(header)} "
                f"({', '.join(header)}); give every column of the header, a blank one as "
                "nothing between two commas")
            continue
        rows.append((line, {k: v.strip() for k, v in zip(header, fields, strict=True)}))
    return rows, problems


def listed_units(path: str | Path) -> list[str]:
    """The unit ids of a valid observations file's rows, blank values included, each once in
    the file's order: read as ``check_observations`` reads the file, so that a note on them
    never meets a file it did not check."""
    rows, _ = _read_rows(Path(path), COLUMNS)
    return [unit for unit in dict.fromkeys(row["unit"] for _, row in rows) if unit]


def load_sources(path: str | Path) -> pd.DataFrame:
    """Read ``sources.csv``: one row per source id.

    Parameters
    ----------
    path : str or Path
        CSV with columns ``id, title, publisher, date, address``, and optionally ``rank``,
        ``note`` and ``note_vi`` (``NOTES``).

    Returns
    -------
    pandas.DataFrame
        The sources, indexed by ``id``, with ``rank`` as a float (NaN when blank or when the
        file has no ``rank`` column) and the notes as text (empty when not given).

    Raises
    ------
    DataError
        On a missing column, an empty or repeated id, an id with a ``+``, a web address
        followed by more text, a rank that is not a whole number >= 1.
    """
    path = Path(path)
    rows, problems = _read_rows(path, SOURCE_COLUMNS)
    seen: dict[str, int] = {}
    for line, row in rows:
        sid = row["id"]
        if not sid:
            problems.append(f"{path}:{line}: column 'id' is empty; give the source a short id")
        elif sid in seen:
            problems.append(f"{path}:{line}: source id '{sid}' repeats line {seen[sid]}; "
                            "ids must be unique")
        elif "+" in sid:  # a sum of several units' figures cites 'a+b' (ktt.report.sources)
            problems.append(f"{path}:{line}: source id '{sid}' holds a '+', which joins the "
                            "sources of a sum of figures; write it with a hyphen instead")
        else:
            seen[sid] = line
        address = row["address"]
        # a report links a web address whole: a remark after it would break the link
        if address.startswith(("http://", "https://")) and len(address.split()) > 1:
            problems.append(f"{path}:{line}: column 'address': '{address}' holds more than the "
                            "web address; give the address alone and put the remark in the "
                            "'note' column")
        rank = row.get(RANK, "")
        if rank and not (rank.isdigit() and int(rank) >= 1):
            problems.append(f"{path}:{line}: column 'rank': '{rank}' is not a whole number from "
                            "1; write 1 for the preferred source, 2 for the next, or leave it "
                            "blank")
    if problems:
        raise DataError(problems)
    columns = [*SOURCE_COLUMNS, RANK, *NOTES]
    frame = pd.DataFrame([[row.get(c, "") for c in columns] for _, row in rows],
                         columns=columns)
    frame[RANK] = pd.to_numeric(frame[RANK].replace("", None), errors="coerce").astype(float)
    return frame.set_index("id")


def _percentage(text: str) -> float | None:
    """``62%`` (or ``62,5 %``) as the fraction 0.62; None for text that is not a percentage."""
    number = text.strip()
    if not number.endswith("%"):
        return None
    try:
        return float(number[:-1].strip().replace(",", ".")) / 100
    except ValueError:
        return None


def _parse_value(text: str, code: str) -> tuple[float | None, str | None]:
    """Parse one value for an indicator; return (value, problem)."""
    thousands = _THOUSANDS.match(text)
    if thousands and INDICATORS[code].kind != "share":  # a count or a stock is whole
        return None, (f"'{text}' has a thousands separator ('{thousands[1]}'); write "
                      f"{text.replace(thousands[1], '')}, digits only")
    if _DECIMAL_COMMA.match(text):
        return None, (f"'{text}' has a decimal comma; write {text.replace(',', '.')} "
                      "(a dot before the decimals)")
    try:
        value = float(text)
    except ValueError:
        share = _percentage(text) if INDICATORS[code].kind == "share" else None
        if share is not None:
            return None, (f"'{text}' is a percentage; write the share as a fraction, "
                          f"{share:g} for {text.strip()}")
        if not any(c.isdigit() for c in text):
            # a spreadsheet's mark for a figure not known: '-', 'n/a', 'không có'
            return None, (f"'{text}' is not a number; leave the value blank for a figure not "
                          "known (a blank is read as missing, never as zero)")
        if _SPACED.match(text):
            return None, (f"'{text}' has spaces between its digits; write "
                          f"{re.sub(r'[^0-9-]', '', text)}, digits only")
        return None, f"'{text}' is not a number; write digits only, without units or spaces"
    if not math.isfinite(value):
        return None, f"'{text}' is not a finite number"
    if INDICATORS[code].kind != "share":  # a count or a stock
        if value < 0:
            return None, f"{text} is negative; a count of {code} is 0 or more"
        if value != int(value):
            return None, f"{text} is fractional; a count of {code} is a whole number"
    elif not 0 <= value <= 1:
        hint = (f"; write {value / 100:g} for {text} %, or a count in its own row"
                if 1 < value <= 100 else "")
        return None, f"{text} is outside [0, 1]; {code} is a share, a fraction{hint}"
    return value, None


def _check_row(path: Path, line: int, row: dict, names: dict[str, str] | None = None
               ) -> list[str]:
    """Problems of one row, each naming the column; an empty list when the row is good
    (a source id ``sources.csv`` lacks is the file's problem, ``_unknown_sources``).
    ``names`` maps the slug of a unit's name in the units table to its id, for the id to
    write in place of a name."""
    where = f"{path}:{line}"
    problems = []
    if not row["unit"].strip():
        problems.append(f"{where}: column 'unit': empty; give the unit's id, like krong-bong "
                        "(data/units.csv lists them)")
    elif not _SLUG.match(row["unit"]):
        slug = as_slug(row["unit"])
        # a unit written by its name in the units table (Huyện Krông Bông) has its id there
        slug = (names or {}).get(slug, slug)
        fix = (f"write {slug}" if slug else "write it like krong-bong")
        problems.append(f"{where}: column 'unit': '{row['unit']}' is not a lowercase slug; "
                        f"{fix} (a-z, 0-9 and hyphens, without diacritics)")
    if not (row["year"].isdigit() and int(row["year"]) in _YEARS):
        # a spreadsheet that took the column for numbers saves 2019 as 2019.0
        whole = re.fullmatch(r"(\d{4})\.0*", row["year"])
        fix = (f"write {whole[1]}, without decimals" if whole else
               "write four digits such as 2023")
        problems.append(f"{where}: column 'year': '{row['year']}' is not a year; {fix}")
    code = row["indicator"]
    if code not in INDICATORS:
        # codes are lower case: HTX_dissolved is htx_dissolved, not the closer tht_dissolved
        lower = code.lower()
        close = [lower] if lower in INDICATORS else difflib.get_close_matches(lower, INDICATORS,
                                                                              n=2)
        hint = did_you_mean(code, INDICATORS, close)
        problems.append(f"{where}: column 'indicator': unknown code '{code}'; {hint}use one of "
                        f"{', '.join(INDICATORS)}")
    else:
        _, problem = _parse_value(row["value"], code)
        if problem:
            problems.append(f"{where}: column 'value': {problem}")
    if not row["source"]:
        problems.append(f"{where}: column 'source': empty; every figure needs the id of its "
                        "source in sources.csv")
    return problems


def _unknown_sources(path: Path, lines: dict[str, list[int]]) -> list[str]:
    """One problem a source id that ``sources.csv`` lacks, at its first row, with how many
    rows more cite it: a form whose sources were never entered gave one line a row (550 for
    5 ids)."""
    problems = []
    for sid, where in lines.items():
        more = (f" (and {len(where) - 1} more row{'s' if len(where) > 2 else ''}, to line "
                f"{where[-1]})" if len(where) > 1 else "")
        problems.append(f"{path}:{where[0]}: column 'source': '{sid}' is not an id in "
                        f"sources.csv{more}; add a row for it there")
    return problems


def _prefer(path: Path, frame: pd.DataFrame, ranks: dict[str, float] | None
            ) -> tuple[pd.Series, list[str]]:
    """Which row of each unit, year and indicator is preferred, and the disagreements no rank
    settles.

    The preferred row has the lowest rank of its source (blank last), then the first source id
    in alphabetical order, so the choice never depends on the order of the file. Figures that
    differ with no rank between them are a problem: the analyst must say which source to
    prefer.

    Returns
    -------
    preferred : pandas.Series of bool
        Aligned with ``frame``.
    problems : list of str
    """
    rank = frame["source"].map(ranks or {}).astype(float).fillna(float("inf"))
    order = frame.assign(_rank=rank).sort_values(["unit", "year", "indicator", "_rank", "source"])
    keys = ["unit", "year", "indicator"]
    preferred = ~order.duplicated(keys)
    problems = []
    # only a unit, year and indicator given more than once can disagree: the others are not
    # looped over (a file's rows are mostly single)
    shared = order[order.duplicated(keys, keep=False)]
    for (unit, year, code), group in shared.groupby(keys, sort=False):
        best = group[group["_rank"] == group["_rank"].iloc[0]]
        if len(best) > 1 and (best["value"] != best["value"].iloc[0]).any():
            first, other = best.iloc[0], best.iloc[1]
            fix = ("give the preferred source a lower rank in the 'rank' column of sources.csv "
                   "(1 first)" if ranks is not None else
                   "put a sources.csv with a 'rank' column (1 first) beside the file")
            problems.append(
                f"{path}:{other['line']}: {unit} {year} {code} is {other['value']:g} from "
                f"source '{other['source']}' but {first['value']:g} from '{first['source']}' "
                f"(line {first['line']}), ranked equally; {fix}")
    return preferred.reindex(frame.index), problems


SHARE_TOLERANCE = 0.01
"""How far a reported share may be from the share its reported counts give [fraction]: a
share published as a whole percentage is within 0.005 of its counts' share."""


def _check_parts(path: Path, frame: pd.DataFrame) -> list[str]:
    """A numerator above its denominator (profitable above active, members above all), and a
    share reported beside its counts that the counts do not give."""
    problems = []
    table = frame.pivot_table(index=["unit", "year"], columns="indicator", values="value")
    lines = frame.set_index(["unit", "year", "indicator"])["line"]
    for share, (numerator, parts) in SHARE_PARTS.items():
        if numerator not in table or not all(p in table for p in parts):
            continue
        denominator = table[list(parts)].sum(axis=1, min_count=len(parts))
        bad = table[numerator] > denominator
        for (unit, year), _ in table[bad].iterrows():
            line = lines[(unit, year, numerator)]
            value = table.loc[(unit, year), numerator]
            problems.append(
                f"{path}:{line}: column 'value': {numerator} {value:g}"
                f" is above {' + '.join(parts)} = {denominator[(unit, year)]:g} for {unit} "
                f"{year}; check both figures")
        if share not in table:
            continue
        derived = table[numerator] / denominator.where(denominator > 0)
        apart = (table[share] - derived).abs() > SHARE_TOLERANCE
        for (unit, year), _ in table[apart & ~bad].iterrows():
            problems.append(
                f"{path}:{lines[(unit, year, share)]}: column 'value': {share} "
                f"{table.loc[(unit, year), share]:g} for {unit} {year} is not {numerator} / "
                f"({' + '.join(parts)}) = {derived[(unit, year)]:.3f} from the same file; "
                "check the figures, or leave the share out (ktt derives it from the counts)")
    return problems


def current_year() -> int:
    """The last year a figure can be for, which the commands pass as ``this_year``: today's
    (a figure for the year under way counts as reported so far)."""
    return dt.date.today().year


def _check_period(path: Path, frame: pd.DataFrame, this_year: int | None,
                  units: pd.DataFrame) -> list[str]:
    """A figure for a year after ``this_year`` (a typo such as 2042 for 2024 would move every
    answer's as-of year); an ended unit's own count where every successor has the same year
    and indicator (``successor_sums`` would have summed them, and the own one is used instead,
    their sum dropped without a word; a share is never summed, nor a count some lack)."""
    problems = []
    if this_year is not None:
        problems += [f"{path}:{line}: column 'year': {year} is after this year ({this_year}); "
                     "a figure is known once its year is reported: check the year"
                     for line, year in zip(frame["line"], frame["year"], strict=True)
                     if year > this_year]
    for unit in frame["unit"].unique():
        theirs = successor_counts(frame, units, unit).groupby(["year", "indicator"])
        if not theirs.ngroups:
            continue
        lines_of = theirs["line"].apply(list).to_dict()
        every = (theirs["unit"].nunique() == len(successors_of(units, unit))).to_dict()
        own = frame[(frame["unit"] == unit) & (frame["year"] >= reform_year(units, unit))]
        for row in own.itertuples():
            lines = lines_of.get((row.year, row.indicator))
            if lines and every[(row.year, row.indicator)]:
                # the reform's own year is the one an analyst holds both for; which to keep
                # is what they asked of the message
                which = (f"; for {row.year}, the year of the reform, keep {unit}'s own if it "
                         "covers the whole year" if row.year == reform_year(units, unit) else "")
                problems.append(
                    f"{path}:{row.line}: {unit} {row.year} {row.indicator}: {unit}'s figures "
                    f"from {reform_year(units, unit)} are the sums of its successors' "
                    f"(data/units.csv), and they have this one too (lines "
                    f"{', '.join(map(str, sorted(lines)))}); ktt would use this row and drop "
                    f"their sum: keep one or the other{which}")
    return problems


def check_observations(
    path: str | Path, sources_path: str | Path | None = None, this_year: int | None = None,
    units: pd.DataFrame | None = None
) -> tuple[pd.DataFrame, list[str]]:
    """Validate an observations file and return its good rows and every problem found.

    Parameters
    ----------
    path : str or Path
        Tidy CSV with columns ``unit, year, indicator, value, source, quote``; other columns
        (such as the wording column of a form) are ignored.
    sources_path : str or Path, optional
        ``sources.csv`` to check source ids against; by default the one beside ``path``,
        when there is one.
    this_year : int, optional
        Refuse figures for later years (the commands pass the current year); by default none
        are refused, so that a hypothetical record can be forecast.
    units : pandas.DataFrame, optional
        The units table whose successors' figures an ended unit's own must not duplicate;
        default ``data/units.csv`` (``ktt.inputs.units.load_units``).

    Returns
    -------
    frame : pandas.DataFrame
        The rows that passed, with ``value`` as float, a ``line`` column and ``preferred``
        (bool: the figure the loader keeps for its unit, year and indicator; see
        ``load_alternatives``); rows whose value is blank (a figure not known) are left out,
        never read as zero.
    problems : list of str
        One line per problem; empty when the file is valid.
    """
    path = Path(path)
    if sources_path is None and (path.parent / "sources.csv").is_file():
        sources_path = path.parent / "sources.csv"
    source_ids = ranks = None
    problems: list[str] = []
    if sources_path is not None:
        try:
            sources = load_sources(sources_path)
            source_ids, ranks = set(sources.index), sources[RANK].dropna().to_dict()
        except DataError as exc:
            problems.extend(exc.problems)
    rows, structural = _read_rows(path, COLUMNS)
    problems.extend(structural)
    units = load_units() if units is None else units
    names = {as_slug(name): unit for unit, name in zip(units["unit"], units["name"].fillna(""),
                                                         strict=True) if as_slug(name)}
    good, first_line, unknown = [], {}, {}
    for line, row in rows:
        if not row["value"]:
            continue
        row_problems = _check_row(path, line, row, names)
        if source_ids is not None and row["source"] and row["source"] not in source_ids:
            unknown.setdefault(row["source"], []).append(line)
        key = (row["unit"], row["year"], row["indicator"], row["source"])
        if key in first_line:
            row_problems.append(
                f"{path}:{line}: {' '.join(key[:3])} from source '{key[3]}' appears again "
                f"(first at line {first_line[key]}); keep one row per unit, year, indicator "
                "and source")
        first_line.setdefault(key, line)
        problems.extend(row_problems)
        if not row_problems and row["source"] not in unknown:
            value, _ = _parse_value(row["value"], row["indicator"])
            good.append({**{c: row[c] for c in COLUMNS}, "value": value, "line": line})
    problems.extend(_unknown_sources(path, unknown))
    frame = pd.DataFrame(good, columns=[*COLUMNS, "line"])
    frame["year"] = frame["year"].astype(int)
    frame["value"] = frame["value"].astype(float)
    frame["preferred"], conflicts = _prefer(path, frame, ranks)
    problems.extend(conflicts)
    problems.extend(_check_parts(path, frame[frame["preferred"]]))
    problems.extend(_check_period(path, frame[frame["preferred"]], this_year, units))
    frame = frame.sort_values(["unit", "indicator", "year", "preferred"],
                              ascending=[True, True, True, False], ignore_index=True)
    # each check reads the whole file: their lines merged in the file's order, as a reader
    # goes through it (a problem of the whole file first)
    at = re.compile(rf"{re.escape(str(path))}:(\d+):")
    return frame, sorted(problems, key=lambda p: int(m[1]) if (m := at.match(p)) else 0)


SPIKE_RATIO = 5.0
"""A stock this many times above, or below, both the figures before and after it is noted by
``spikes``: stocks (organizations, members, households) move by a few per cent a year."""


def spikes(path: str | Path, frame: pd.DataFrame) -> list[str]:
    """Stock figures that stand ``SPIKE_RATIO`` times above or below both the figures before
    and after them, one line each naming the file's line: most often a typo (9 for 1,209, a
    share typed into a count), which the validity checks cannot tell from a real figure.

    Parameters
    ----------
    path : str or Path
        The file, for the messages.
    frame : pandas.DataFrame
        ``check_observations``'s preferred rows (with ``line``).

    Returns
    -------
    list of str
        One line per such figure, in the file's order within each unit and indicator.
    """
    notes = []
    stocks = frame[frame["indicator"].map(kind_of).eq("stock")]
    for (unit, code), rows in stocks.sort_values("year").groupby(["unit", "indicator"]):
        values = rows["value"].to_numpy()
        for i in range(1, len(values) - 1):
            beside = values[[i - 1, i + 1]]
            if (beside == 0).any():  # a stock may start from nothing: 0, 0, 6 is no typo
                continue
            ratios = values[i] / beside
            if (ratios > SPIKE_RATIO).all() or (ratios < 1 / SPIKE_RATIO).all():
                line, year = rows["line"].iloc[i], rows["year"].iloc[i]
                notes.append(f"{path}:{line}: {unit} {year} {code} {values[i]:g} against "
                             f"{values[i - 1]:g} and {values[i + 1]:g} in the figures before "
                             "and after it; check the figure")
    return notes


def load_observations(path: str | Path, sources_path: str | Path | None = None,
                      this_year: int | None = None) -> pd.DataFrame:
    """Load a validated observations file.

    Parameters
    ----------
    path : str or Path
        Tidy CSV, one figure a row (see ``check_observations``).
    sources_path : str or Path, optional
        ``sources.csv`` to check source ids against; by default the one beside ``path``.
    this_year : int, optional
        Refuse figures for later years (see ``check_observations``).

    Returns
    -------
    pandas.DataFrame
        Columns ``unit, year, indicator, value, source, quote``, one row per unit, year and
        indicator: where publishers disagree, the figure of the best-ranked source
        (``load_alternatives`` gives the others). Counts per year or at year end [count],
        shares [fraction in 0..1]. Years with no figure have no row.

    Raises
    ------
    DataError
        With every problem found, one line each.
    """
    return _kept(_checked(path, sources_path, this_year))


def _checked(path: str | Path, sources_path: str | Path | None = None,
             this_year: int | None = None) -> pd.DataFrame:
    """``check_observations``'s rows, every publisher's; its problems raised."""
    frame, problems = check_observations(path, sources_path, this_year)
    if problems:
        raise DataError(problems)
    return frame


def _kept(frame: pd.DataFrame) -> pd.DataFrame:
    """The preferred rows of ``_checked``: ``load_observations``'s table."""
    return frame[frame["preferred"]].drop(columns=["line", "preferred"]).reset_index(drop=True)


def _alternatives(frame: pd.DataFrame) -> pd.DataFrame:
    """The rows of ``_checked`` not kept, each beside the one kept: ``load_alternatives``'s
    table."""
    keys = ["unit", "year", "indicator"]
    kept = frame.loc[frame["preferred"], [*keys, "value", "source"]].rename(
        columns={"value": "kept_value", "source": "kept_source"})
    others = frame.loc[~frame["preferred"], list(COLUMNS)]
    return others.merge(kept, on=keys, how="left").reset_index(drop=True)


def load_with_alternatives(path: str | Path) -> tuple[pd.DataFrame, pd.DataFrame]:
    """``load_observations`` and ``load_alternatives`` of ``path`` from one reading and check
    of the file, as a report needs both.

    Raises
    ------
    DataError
        As ``load_observations``.
    """
    frame = _checked(path)
    return _kept(frame), _alternatives(frame)


def load_alternatives(path: str | Path, sources_path: str | Path | None = None
                      ) -> pd.DataFrame:
    """The figures the loader did not keep: other publishers' figures for a unit, year and
    indicator that a better-ranked source also gives, for a report to show beside.

    Parameters
    ----------
    path, sources_path
        As for ``load_observations``.

    Returns
    -------
    pandas.DataFrame
        Columns ``unit, year, indicator, value, source, quote, kept_value, kept_source``: each
        alternative figure, and the figure and source kept in its place; empty when no two
        sources give the same figure's unit, year and indicator.

    Raises
    ------
    DataError
        As ``load_observations``.
    """
    return _alternatives(_checked(path, sources_path))


def summarize(frame: pd.DataFrame) -> pd.DataFrame:
    """Coverage of an observations frame: one row per unit and indicator.

    Parameters
    ----------
    frame : pandas.DataFrame
        Observations with ``unit, year, indicator`` (``load_observations``, or the rows of
        ``check_observations``).

    Returns
    -------
    pandas.DataFrame
        Columns ``unit, indicator, figures`` (count of years with a figure), ``first, last``
        (years) and ``gaps`` (the years between first and last with no figure, comma
        separated, or ``-``).
    """
    rows = []
    for (unit, code), group in frame.groupby(["unit", "indicator"], sort=True):
        years = sorted(group["year"])
        gaps = sorted(set(range(years[0], years[-1] + 1)) - set(years))
        rows.append({"unit": unit, "indicator": code, "figures": len(years), "first": years[0],
                     "last": years[-1], "gaps": ", ".join(map(str, gaps)) or "-"})
    return pd.DataFrame(rows, columns=["unit", "indicator", "figures", "first", "last", "gaps"])


NAMED_UNITS = 5
"""Most units ``coverage_by_indicator`` names in one row; more are counted."""


def coverage_by_indicator(summary: pd.DataFrame) -> pd.DataFrame:
    """``summarize``'s table with the units that share an indicator's coverage in one row: five
    communes filled in alike give a row per indicator, not five, and a unit that differs
    stands out on a row of its own.

    Parameters
    ----------
    summary : pandas.DataFrame
        ``summarize``'s table.

    Returns
    -------
    pandas.DataFrame
        Columns ``indicator, units`` (their ids, comma separated, or their count past
        ``NAMED_UNITS``), ``figures, first, last, gaps``, by indicator, then the most units
        first.
    """
    keys = ["indicator", "figures", "first", "last", "gaps"]
    grouped = summary.groupby(keys, sort=False)["unit"].agg(list).reset_index()
    grouped["n"] = grouped["unit"].map(len)
    grouped["units"] = grouped["unit"].map(
        lambda units: ", ".join(units) if len(units) <= NAMED_UNITS else f"{len(units)} units")
    grouped = grouped.sort_values(["indicator", "n", "first"], ascending=[True, False, True],
                                  kind="stable")
    return grouped[["indicator", "units", *keys[1:]]].reset_index(drop=True)
