"""The report page's own stylesheet and its link to the index, injected into nbconvert's
HTML: tables that wrap, and scroll or stack on a phone, the synthetic box, and printing on A4
(the conclusion and the target table on page 1, charts kept whole, folded lists open,
provenance at the end)."""

from __future__ import annotations

import html

from ktt.report.strings import text

INDEX = "../index.html"
"""``reports/index.html`` from a report's page, ``reports/<folder>/report.html``."""

PHONE = "(max-width: 600px)"
"""The screens on which ``CSS`` stacks tables, and the units dashboard folds its grid
(``ktt.report.units``)."""

CSS = """
/* ktt: what a reader sees on a screen, a phone and paper */
.jp-RenderedHTMLCommon table { table-layout: auto; margin-left: 0; margin-right: 0; }
.jp-RenderedHTMLCommon td, .jp-RenderedHTMLCommon th,
.jp-RenderedHTMLCommon tbody td, .jp-RenderedHTMLCommon thead th,
.jp-RenderedHTMLCommon tbody th {
  white-space: normal !important; overflow-wrap: break-word; word-break: normal;
  text-align: left !important; vertical-align: top; padding: 0.35em 0.5em;
  border: 1px solid #d0d0d0; max-width: none; }
.jp-RenderedHTMLCommon h1 { font-size: 1.7em; margin-top: 0.3em; }
.ktt-facts { color: #333; }
/* the link to the index, above the first cell: in the cells' font and left edge */
.ktt-home { margin: 0; padding: 0 var(--jp-cell-padding, 5px);
  font: 14px var(--jp-content-font-family, system-ui, sans-serif); }
.ktt-home a { color: var(--jp-content-link-color, #1976d2); }
.ktt-scroll { overflow-x: auto; max-width: 100%; -webkit-overflow-scrolling: touch; }
table.ktt-targets { width: 100%; }
table.ktt-targets td.ktt-target { min-width: 14em; }
table.ktt-targets td.ktt-answer { min-width: 7em; }
table.ktt-progress td.ktt-target { min-width: 11em; }
.ktt-quote { color: #444; }
.ktt-legend span { border-radius: 3px; }
.ktt-chart { max-width: 100%; height: auto; }
.ktt-provenance code { overflow-wrap: anywhere; }
ul.ktt-sources { list-style: none; padding-left: 0; }  /* numbered by hand, as cited: [3] */
/* a long table folded on a phone (ktt.report.units._fold): its summary reads as a button */
details.ktt-fold > summary { cursor: pointer; font-weight: bold; margin: 0.4em 0;
  padding: 0.4em 0.6em; border: 1px solid #999; border-radius: 4px; background: #f3f3f3; }
@media (max-width: 600px) {
  .jp-Notebook { padding: 6px !important; }
  .jp-Cell, .ktt-home { padding: 0 !important; }
  .jp-RenderedHTMLCommon { padding-right: 0 !important; font-size: 14px; }
  .jp-RenderedHTMLCommon h1 { font-size: 1.3em; }
  .jp-RenderedHTMLCommon td, .jp-RenderedHTMLCommon th { padding: 0.25em 0.35em; }
  /* wide tables scroll sideways rather than squeeze their columns to a word */
  .ktt-scroll > table.dataframe { min-width: 560px; }
  /* a table of a few columns fits as it is (ktt.report.stacked.NARROW) */
  .ktt-scroll > table.dataframe.ktt-narrow { min-width: 0; }
  /* a table.ktt-stack stacks (ktt.report.stacked): one block per row, each cell under its
     heading's name */
  table.ktt-stack thead { display: none; }
  table.ktt-stack, table.ktt-stack tbody, table.ktt-stack tr, table.ktt-stack td,
  table.ktt-stack tbody th { display: block; width: auto; min-width: 0 !important; }
  table.ktt-stack tr { border: 1px solid #999; margin: 0 0 8px; }
  table.ktt-stack td, table.ktt-stack tbody th { border: none !important; }
  /* a row's heading (the units dashboard's unit) heads its block, which does not scroll */
  table.ktt-stack tbody th { position: static !important; background: none !important; }
  table.ktt-stack td.ktt-empty { display: none; }
  table.ktt-stack td:not(.ktt-target)::before {
    content: attr(data-label) ": "; font-weight: normal; font-size: 0.9em; }
}
@page { size: A4; margin: 11mm 10mm; }
@media print {
  body, .jp-RenderedHTMLCommon { font-size: 9pt; }
  .ktt-home { display: none; }  /* a link on paper leads nowhere */
  .jp-Notebook { padding: 0 !important; }
  .jp-Cell { padding: 0 !important; }
  .jp-OutputArea-output { overflow: visible !important; }
  .ktt-scroll { overflow: visible; }
  .ktt-synthetic { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
  td, th, span { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
  h1 { font-size: 13pt; margin: 0 0 3pt; }
  h2 { font-size: 12pt; break-after: avoid; page-break-after: avoid; }
  /* a long table goes on over the page rather than leave a page half empty (nbconvert keeps
     every output whole); its rows and the charts stay whole */
  .jp-OutputArea-child { break-inside: auto; }
  img, .ktt-chart, tr { break-inside: avoid; page-break-inside: avoid; }
  table.ktt-targets { font-size: 8pt; }
  table.ktt-targets code { display: none; }
  .ktt-legend { font-size: 7.5pt; }
  .jp-OutputArea-output, .jp-Cell { margin: 0 !important; }
  /* the reviewer's page: every file, hash, parameter and version, and the command, on one */
  .ktt-provenance { break-before: page; page-break-before: always; }
  .ktt-provenance table { font-size: 7.5pt !important; }
  .ktt-provenance td, .ktt-provenance th { padding: 1px 4px !important; }
  /* a folded list (the figures each source is cited for, with their quotes) prints open:
     paper has nothing to click */
  details::details-content { content-visibility: visible; }
  details > summary { list-style: none; }  /* no arrow that says "folded" */
}
"""
"""The stylesheet every HTML report carries."""


def home(lang: str) -> str:
    """The link back to the index (``INDEX``) in ``lang``, where a reader who opened one
    report finds the others."""
    return (f"<nav class='ktt-home'><a href='{INDEX}'>"
            f"{html.escape(text('index_link', lang))}</a></nav>")


def inject(page: str, lang: str) -> str:
    """``page`` (nbconvert's, which says ``lang="en"``) in the report's language ``lang``
    (``vi`` or ``en``: a browser reads, hyphenates and offers to translate by it), with
    ``CSS`` at the end of its head (the last rules win over nbconvert's) and the link to the
    index (``home``) first in its body."""
    page = page.replace('<html lang="en">', f'<html lang="{lang}">', 1)
    page = page.replace("<main>", f"<main>{home(lang)}", 1)
    return page.replace("</head>", f"<style>{CSS}</style>\n</head>", 1)
