"""The sources a report cites, listed once at its end and numbered: each source id the figures
carry, with the publication it stands for (title, publisher, date) linked to its address, as the
``sources.csv`` beside the data file and ``data/sources.csv`` give them. A chart cites a source
by its number (``[3]``), which stays short where long ids would run into each other."""

from __future__ import annotations

import html
from pathlib import Path

import pandas as pd

from ktt import config
from ktt.errors import DataError
from ktt.inputs.data import NOTES, load_sources
from ktt.report.strings import text

SYNTHETIC_TITLE = "SYNTHETIC example"
"""How a synthetic source's title begins; the generator's parameters follow it."""


def cited(*columns: pd.Series) -> list[str]:
    """The source ids in ``columns``, each once, sorted; a sum of several units' figures
    cites its parts joined by ``+`` (``ktt.inputs.units.successor_sums``), split here."""
    ids = {part for column in columns for value in column.dropna()
           for part in str(value).split("+") if part}
    return sorted(ids)


def numbering(ids: list[str]) -> dict[str, int]:
    """Each source id's number in the report's list, from 1 in the order of ``ids``."""
    return {sid: n for n, sid in enumerate(ids, start=1)}


def mark(source: str, numbers: dict[str, int]) -> str:
    """How a figure cites its source: ``[3]``, or ``[1, 4]`` for a sum of several units'
    figures (ids joined by ``+``); an id without a number keeps its id."""
    parts = [str(numbers.get(part, part)) for part in str(source).split("+") if part]
    return f"[{', '.join(parts)}]"


def source_files(data_path: Path) -> dict[str, Path]:
    """The ``sources.csv`` files a report reads, in the order ``known_sources`` reads them:
    ``own_sources`` beside the data file (when it is not the project's), then ``sources`` in
    ``data/``, for the published record. A name for each, as ``input_files`` records them."""
    project = config.DATA / "sources.csv"
    beside = Path(data_path).parent / "sources.csv"
    return ({"sources": project} if beside.resolve() == project.resolve() else
            {"own_sources": beside, "sources": project})


def known_sources(data_path: Path) -> pd.DataFrame:
    """Every source the report can name: ``sources.csv`` beside the data file, then
    ``data/sources.csv`` for the published record (``source_files``); an id in both keeps the
    first."""
    tables = []
    for path in source_files(data_path).values():
        try:
            tables.append(load_sources(path))
        except (DataError, OSError):
            continue  # a data file of the user's own may come without one
    if not tables:
        return pd.DataFrame(columns=["title", "publisher", "date", "address", *NOTES])
    both = pd.concat(tables)
    return both[~both.index.duplicated()]


def _given(value: object) -> bool:
    """Whether a field of ``sources.csv`` holds anything: not blank, not missing (NaN when a
    table lacked the column)."""
    return value is not None and str(value).strip() not in ("", "nan")


def source_list(ids: list[str], sources: pd.DataFrame, lang: str,
                quoted: dict[str, list[str]] | None = None) -> str:
    """An HTML list, one item a source: its number (``numbering``, the order of ``ids``) and
    id, then its title linked to its address, its publisher and date, and its note in the
    report's language (``ktt.inputs.data.NOTES``; the other's when it has only that one); a
    synthetic source by what it is, not its generator's parameters; an id no ``sources.csv``
    names, said so. ``quoted`` gives, per source id, the figures it is cited for with the
    phrase each is read from (text, escaped here), listed under it folded: a reviewer sees
    what a figure stands on ("preliminary", "about") without opening the data file."""
    quoted = quoted or {}
    if not ids:
        return f"<p>{html.escape(text('sources_none', lang))}</p>"
    items = []
    for n, sid in enumerate(ids, start=1):
        head = f"[{n}] <code>{html.escape(sid)}</code>: "
        if sid not in sources.index:
            items.append(f"<li>{head}{html.escape(text('source_unknown', lang))}</li>")
            continue
        row = sources.loc[sid]
        title = str(row["title"])
        if title.startswith(SYNTHETIC_TITLE):
            items.append(f"<li>{head}{html.escape(text('source_synthetic', lang))}</li>")
            continue
        address = str(row["address"])
        linked = (f"<a href='{html.escape(address, quote=True)}'>{html.escape(title)}</a>"
                  if address.startswith(("http://", "https://")) else html.escape(title))
        rest = ", ".join(html.escape(str(row[c])) for c in ("publisher", "date")
                         if _given(row.get(c)))
        own, other = ("note_vi", "note") if lang == "vi" else ("note", "note_vi")
        note = next((str(row[c]) for c in (own, other) if _given(row.get(c))), "")
        figures = quoted.get(sid, [])
        folded = (f"<details><summary>{html.escape(text('quoted_figures', lang))} "
                  f"({len(figures)})</summary><ul>"
                  + "".join(f"<li>{html.escape(f)}</li>" for f in figures)
                  + "</ul></details>" if figures else "")
        items.append(f"<li>{head}{linked}{', ' + rest if rest else ''}"
                     f"{f' ({html.escape(note)})' if note else ''}{folded}</li>")
    return f"<ul class='ktt-sources'>{''.join(items)}</ul>"
