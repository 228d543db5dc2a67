"""Tables that stack on a phone: below 600 px (``ktt.report.style``) a ``table.ktt-stack``
shows each row as a block and each cell under its column's name, which the cell carries as its
``data-label``; a cell with nothing to say is left out. The forecast report's target table and
the reports' wide tables are written with these."""

from __future__ import annotations

import html

import pandas as pd

NARROW = 4
"""A table of at most this many columns fits a phone's width as it is (``ktt.report.style``);
a wider one stacks there, each row a block."""


def empty(words: str) -> str:
    """``ktt-empty``, the class of a cell with nothing to say (dashes only: ``-``, ``- / -``),
    which a phone's stacked block leaves out; else ``""``."""
    return "" if words.strip("-–/ ") else "ktt-empty"


def cell(inner: str, label: str, css: str = "", attrs: str = "") -> str:
    """A ``<td>`` holding ``inner`` (HTML, escaped by the caller) under the column ``label``,
    of class ``css`` (none when empty), ``attrs`` (`` title='…'``) after its label."""
    css = f" class='{css}'" if css else ""
    return f"<td{css} data-label='{html.escape(label, quote=True)}'{attrs}>{inner}</td>"


def table(heads: list[str | tuple[str, str]], rows: list[str], css: str) -> str:
    """A table of class ``css`` (with ``ktt-stack``) in a box that scrolls sideways when it
    cannot stack: ``heads`` the columns' names, each a name or a pair (name, a note shown small
    beneath it in the heading, such as a base year), ``rows`` its ``<tr>`` of ``cell``."""
    head = "".join(f"<th>{html.escape(h)}</th>" if isinstance(h, str) else
                   f"<th>{html.escape(h[0])}<br><small>{html.escape(h[1])}</small></th>"
                   for h in heads)
    return (f"<div class='ktt-scroll' style='overflow-x:auto'>"
            f"<table class='{css} ktt-stack' style='border-collapse:collapse'>"
            f"<thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table></div>")


def from_frame(data: pd.DataFrame) -> str:
    """A table of ``data`` for readers, without its index, each value as written (a missing
    one as ``-``), long text wrapped: of more than ``NARROW`` columns, one that stacks on a
    phone; else pandas' table as it is, in a box that scrolls sideways if it must."""
    words = data.astype(object).where(data.notna(), "-").astype(str)
    heads = [str(c) for c in words.columns]
    if len(heads) > NARROW and len(words):  # stacked, a table of no row would show nothing
        rows = ["<tr>" + "".join(cell(html.escape(w), h, empty(w))
                                 for h, w in zip(heads, row, strict=True)) + "</tr>"
                for row in words.itertuples(index=False)]
        return table(heads, rows, "dataframe ktt-wrap")
    body = words.to_html(index=False, escape=True, border=0, classes="ktt-wrap ktt-narrow",
                         justify="left")
    return f"<div class='ktt-scroll' style='overflow-x:auto'>{body}</div>"
