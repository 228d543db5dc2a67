"""What the forecast notebook shows: each function takes the report context and returns one
displayable result (a table, a figure, a sentence). The notebook only calls these, through
this module alone (``import ktt.report.forecast as kr``): it writes the report's first lines
and its conclusion, and takes the rest from the modules that make them (``__all__``)."""

from __future__ import annotations

import html
import re
from datetime import date
from pathlib import Path

import pandas as pd
from babel.dates import format_date
from IPython.display import HTML, Markdown

from ktt import config
from ktt.config import relative_path
from ktt.inputs.banner import BANNER
from ktt.inputs.units import (
    SUM_QUOTE,
    load_units,
    own_years_after_reform,
    reform_note,
    reform_year,
    successors_of,
    successors_on_record,
    unit_name,
    year_span,
)
from ktt.report import numbers, stacked
from ktt.report.answers import pace as _pace
from ktt.report.answers import scenario_info, target_label
from ktt.report.charts import beside_heading, fan_chart, published_chart, published_table, sources
from ktt.report.context import Context, prepare
from ktt.report.model_table import model_note, model_table
from ktt.report.progress_table import progress_notes, progress_table
from ktt.report.provenance import print_summary, provenance
from ktt.report.scenario_table import (
    baseline_of,
    parameters_changed,
    scenario_changes,
    scenario_sentence,
    scenario_table,
)
from ktt.report.strings import text
from ktt.report.target_table import (
    answer_table,
    caution_words,
    required_words,
    resolved_targets,
    rule_words,
)

# the notebook's calls, and this page's own that the other reports share: the notebook
# imports this module alone, which the report's kernel imports as it starts
# (ktt.report.kernel.PRELOAD)
__all__ = [
    "DATE_FORMAT", "answer_table", "beside_heading", "conclusion", "details", "fan_chart",
    "header", "heading", "model_note", "model_table", "opening", "parameters_changed",
    "prepare", "print_summary", "progress_notes", "progress_table", "provenance",
    "published_chart", "published_table", "reform_lines", "scenario_changes", "scenario_table",
    "show", "sources", "synthetic_box",
]


DATE_FORMAT = {"vi": "d 'tháng' M 'năm' y", "en": "long"}
"""How a report writes a date: as Vietnamese official documents do ("30 tháng 6 năm 2025"),
and Babel's long English form ("June 30, 2025")."""


def opening(ctx: Context, title: str, unit: str, facts: tuple[str, ...] = ()) -> list[str]:
    """A report's first lines: the synthetic warning (when it applies), the title, then
    scenario, unit, ``facts`` and the data file with its hash, as a Markdown list.

    ``ctx`` is any report context with ``lang``, ``synthetic``, ``parameters``, ``data_path``
    and ``sha256`` (the backtest report's too)."""
    lines = [synthetic_box(), ""] if ctx.synthetic else []
    scenario = ctx.parameters["scenario"]
    return [*lines, f"# {title}", "",
            # by its title in the report's language, as the forecast report's header names it
            f"- {text('scenario', ctx.lang)}: {scenario_info(scenario, lang=ctx.lang)[0]} "
            f"(`{scenario}`)",
            f"- {text('unit', ctx.lang)}: {unit_name(unit, ctx.lang)} (`{unit}`)", *facts,
            f"- {text('data', ctx.lang)}: `{relative_path(ctx.data_path)}` "
            f"(sha256 `{ctx.sha256[:16]}…`)"]


def synthetic_box(banner: dict[str, str] = BANNER) -> str:
    """The synthetic warning as a coloured box, in Vietnamese and English whatever the report's
    language (the class ``ktt-synthetic`` is styled for print by ``ktt.report.runner``),
    opening with ``banner`` in each language (the district's by default)."""
    parts = [f"<strong lang='{lang}'>{html.escape(banner[lang])}</strong> "
             f"<small lang='{lang}'>{html.escape(text('synthetic_box', lang))}</small>"
             for lang in ("vi", "en")]
    return ("<div class='ktt-synthetic' role='note' style='border:3px solid #b35806;"
            "background:#fee0b6;color:#3b1f00;padding:6px 12px;margin:4px 0 10px;"
            "border-radius:4px;line-height:1.35'>" + "<br>".join(parts) + "</div>")


def header(ctx: Context) -> HTML:
    """First lines, short so that the answer stays on the first screen: the synthetic warning
    (when it applies), the title, then scenario, plan, unit and as-of year on one line
    (``details`` gives the rest after the target table)."""
    lang = ctx.lang
    title, _ = scenario_info(ctx.parameters["scenario"], lang=lang)
    unit = ctx.forecast.unit
    # a district's figures from 2025 are its communes': said where the unit is named, since
    # "Huyện Krông Bông, data up to 2026" reads as the district's own (``details`` says more)
    years = sorted(set(_summed(ctx)["year"]))
    units = load_units()
    summed = ("; " + html.escape(text("unit_summed", lang).format(
        years=year_span(years).replace("-", "–"),
        n=len(successors_of(units, unit)))) if years else "")
    if not years and reform_note(units, unit, ctx.forecast.history):
        # a district that ended with none of its communes' figures yet: the first screen named
        # "Huyện Krông Bông" as if it still were one, the reform said only under the legend.
        # Short, so that the header stays one line and the table on the first screen
        summed = "; " + html.escape(text("unit_ended", lang).format(
            date=_end_date(units, unit, lang, SHORT_DATE)))
    line = " · ".join([
        f"{html.escape(text('scenario', lang))}: {html.escape(title)} "
        f"(<code>{html.escape(ctx.parameters['scenario'])}</code>)",
        f"{html.escape(text('plan', lang))}: <code>{html.escape(ctx.targets.id)}</code>",
        f"{html.escape(text('unit', lang))}: {html.escape(unit_name(unit, lang))} "
        f"(<code>{html.escape(unit)}</code>{summed})",
        f"{html.escape(text('as_of', lang))}: {ctx.forecast.as_of}",
        *_own_file(ctx)])
    return HTML((synthetic_box() if ctx.synthetic else "")
                + f"<h1>{html.escape(text('title', lang))}: {html.escape(ctx.targets.name(lang))}"
                f"</h1><p class='ktt-facts'>{line}</p>")


def _own_file(ctx: Context) -> list[str]:
    """The data file's name for the header when it is the user's own, outside ``data/``: the
    first screen of a report on an analyst's figures said nothing of whose figures they were
    (``details``, under the table, gives its path and hash)."""
    path = Path(ctx.data_path).resolve()
    if path.is_relative_to(config.DATA.resolve()):
        return []
    return [f"{html.escape(text('data', ctx.lang))}: <code>{html.escape(path.name)}</code>"]


def details(ctx: Context) -> Markdown:
    """What the header leaves out: the plan's source document, the 2025 reform (when the unit
    ended) and the data file with its hash."""
    lang = ctx.lang
    return Markdown("\n".join([
        f"- {text('plan', lang)}: `{ctx.targets.id}` ({ctx.targets.source_words(lang)})",
        *reform_lines(ctx),
        f"- {text('data', lang)}: `{relative_path(ctx.data_path)}` "
        f"(sha256 `{ctx.sha256[:16]}…`)"]))


def reform_lines(ctx: Context) -> list[str]:
    """A line saying that the unit ended and which figures are its successors' sums; none
    for a unit that has not ended."""
    units = load_units()
    note = reform_note(units, ctx.forecast.unit, ctx.forecast.history)
    return [f"- {text('reform', ctx.lang)}: {_reform_words(units, ctx)}."] if note else []


def _summed(ctx: Context) -> pd.DataFrame:
    """The unit's figures that are its successors' sums (``ktt.inputs.units``); none for a
    unit that has not ended."""
    frame = ctx.forecast.history
    return frame[(frame["unit"] == ctx.forecast.unit)
                 & frame["quote"].str.startswith(SUM_QUOTE)]


SHORT_DATE = {"vi": "d/M/y", "en": "medium"}
"""A date where the header has little room: "30/6/2025", "Jun 30, 2025"."""


def _end_date(units: pd.DataFrame, unit: str, lang: str,
              formats: dict[str, str] = DATE_FORMAT) -> str:
    """The last day of ``unit`` in the language's date format (Babel; ``formats``, the long
    one by default); empty for a unit that has not ended."""
    valid_to = units.loc[units["unit"] == unit, "valid_to"]
    if valid_to.empty or pd.isna(valid_to.iloc[0]) or not str(valid_to.iloc[0]).strip():
        return ""
    return format_date(date.fromisoformat(str(valid_to.iloc[0])), format=formats[lang],
                       locale=numbers.LOCALES[lang])


def _reform_words(units: pd.DataFrame, ctx: Context) -> str:
    """``ktt.inputs.units.reform_note`` in the report's language, the units by their names,
    its date with Babel."""
    unit, frame, lang = ctx.forecast.unit, ctx.forecast.history, ctx.lang
    summed = _summed(ctx)
    years = sorted(set(summed["year"]))
    name = unit_name(unit, lang, units)
    successors = successors_of(units, unit)
    head = text("reform_ended", lang).format(
        unit=name, date=_end_date(units, unit, lang),
        year=reform_year(units, unit),
        successors=", ".join(unit_name(u, lang, units) for u in successors))
    if not years:
        own = own_years_after_reform(units, unit, frame)
        mine = text("reform_own", lang).format(years=year_span(own).replace("-", "\u2013"),
                                               unit=name) if own else ""
        partial = successors_on_record(units, unit, ctx.inputs.observations["unit"])
        return head + text("reform_partial" if partial else "reform_none", lang) + mine
    # one year alone is "2026", not "2026–2026"
    return head + text("reform_summed", lang).format(
        n=len(summed), years=year_span(years).replace("-", "\u2013"))


def _counts(counts: pd.Series, n: int, as_of: int, lang: str) -> str:
    """The conclusion's first sentence: how many of the ``n`` targets are met, missed and open
    (``counts``, by status), a status no target has left out, and one that all have said so
    ("cả 7 chỉ tiêu ... chưa rõ kết quả", not "0 đã đạt, 0 không đạt và 7 chưa rõ kết quả")."""
    held = [(status, int(counts.get(status, 0))) for status in ("met", "missed", "open")
            if counts.get(status, 0)]
    if len(held) == 1:
        return text("conclusion_one" if n == 1 else "conclusion_all", lang).format(
            n=n, status=text(held[0][0], lang), as_of=as_of)
    parts = [f"{k} {text(status, lang)}" for status, k in held]
    return text("conclusion_counts", lang).format(
        n=n, counts=", ".join(parts[:-1]) + text("and", lang) + parts[-1], as_of=as_of)


def conclusion(ctx: Context) -> HTML:
    """The answer in a few sentences, from the results, in the report's language: how many
    targets are met, missed and open, the hardest open target with its probability and its
    recent pace against the pace it needs, and the likeliest open one (a lone open target is
    named as the one still open, neither the hardest nor the likeliest)."""
    table, lang = ctx.forecast.table, ctx.lang
    targets = resolved_targets(ctx)
    counts = table["status"].value_counts()
    lines = [_counts(counts, len(table), ctx.forecast.as_of, lang)]
    # an open target without a figure has no probability to rank it by
    still = table[(table["status"] == "open") & table["probability"].notna()].sort_values(
        ["probability", "id"], kind="stable")
    if not counts.get("open", 0):
        lines.append(text("conclusion_all_decided", lang))
    elif len(still):
        row = still.iloc[0]
        # one figure gives no recent pace; a sentence with a dash in it reads as broken
        pace = "" if pd.isna(row["recent_pace"]) or pd.isna(row["required_pace"]) else (
            text("conclusion_pace", lang).format(
                recent=_pace(row["recent_pace"], row["indicator"], lang),
                required=required_words(row, lang)))
        key = "conclusion_hardest" if len(still) > 1 else "conclusion_only_open"
        lines.append(text(key, lang).format(
            target=f"**{target_label(targets[row['id']], lang)}** "
                   f"({rule_words(targets[row['id']], lang)})",
            phrase=text(row["likelihood"], lang), notes=caution_words(row, lang),
            p=numbers.probability(row["probability"], lang), pace=pace))
        if len(still) > 1:
            row = still.iloc[-1]
            lines.append(text("conclusion_easiest", lang).format(
                target=f"**{target_label(targets[row['id']], lang)}** "
                       f"({rule_words(targets[row['id']], lang)})",
                phrase=text(row["likelihood"], lang), notes=caution_words(row, lang),
                p=numbers.probability(row["probability"], lang)))
    base = baseline_of(ctx)
    if base is not None:
        title, _ = scenario_info(ctx.parameters["scenario"], lang=lang)
        lines.append(f"{text('scenario', lang)} **{title}**: "
                     + scenario_sentence(ctx, base))
    return HTML(f"<p class='ktt-conclusion' style='font-size:1.1em'><strong>"
                f"{html.escape(text('conclusion_heading', lang).lstrip('# '))}:</strong> "
                + re.sub(r"\*\*(.+?)\*\*", r"<strong>\1</strong>",
                         html.escape(" ".join(lines), quote=False)) + "</p>")


def heading(ctx: Context, key: str) -> Markdown:
    """A section heading in the report's language."""
    return Markdown(text(key, ctx.lang))


def show(table: pd.DataFrame | Markdown) -> HTML | Markdown:
    """A table for readers: no index column, nothing cut short, long text wrapped; a wide one
    stacks on a phone, each row a block (``ktt.report.stacked.from_frame``)."""
    if not isinstance(table, pd.DataFrame):
        return table
    return HTML(stacked.from_frame(table))
