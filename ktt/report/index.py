"""``reports/index.html``: every report of every plan, each scenario with its description,
each target's answer coloured as in the reports (``ktt.report.answers.band``); in Vietnamese,
the headings and descriptions in English beneath."""

from __future__ import annotations

import html
import os
from pathlib import Path

from ktt.config import in_data
from ktt.errors import KttError
from ktt.inputs.banner import BANNER
from ktt.inputs.catalog import decided_figures
from ktt.inputs.scenarios import all_scenarios
from ktt.inputs.targets import Target, load_plan
from ktt.inputs.units import unit_name
from ktt.report.answers import BAND_COLOURS, band, cautions, legend, scenario_info, target_label
from ktt.report.numbers import probability, value
from ktt.report.strings import text

CSS = """
body { font-family: system-ui, sans-serif; margin: 12px; color: #111; }
td, th { padding: 4px 8px; border: 1px solid #ccc; text-align: left; vertical-align: top;
  white-space: normal; overflow-wrap: break-word; }
table { border-collapse: collapse; }
th.report { min-width: 14em; max-width: 28em; font-weight: normal; }
td.answer { min-width: 6.5em; }
td.answer a { color: inherit; font-weight: bold; }
.scroll { overflow-x: auto; max-width: 100%; }
.synthetic { border: 3px solid #b35806; background: #fee0b6; color: #3b1f00;
  padding: 6px 12px; border-radius: 4px; }
.ktt-legend span { border-radius: 3px; }
.en { color: #555; font-weight: normal; }
p.subtitle { margin-top: -0.5em; font-size: 1.1em; }
@media (max-width: 600px) { body { margin: 6px; } h1 { font-size: 1.3em; }
  h2 { font-size: 1.1em; } th.report { min-width: 8em; }
  /* the report's name stays in view while its targets scroll sideways under it */
  th.report, thead th:first-child { position: sticky; left: 0; z-index: 1; background: #fff; }
  .scroll::before { content: "vuốt ngang để xem các chỉ tiêu → / swipe for the targets →";
    display: block; position: sticky; left: 0; font-size: 0.85em; color: #555;
    margin-bottom: 2px; } }
@page { size: A4 landscape; margin: 10mm; }
@media print { * { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
  body { font-size: 8pt; margin: 0; } .scroll { overflow: visible; } tr { break-inside: avoid; } }
"""


def plan_title(plan: str) -> str:
    """A plan's name and id, its English name beneath; the id alone when it is not in
    ``plans/`` (HTML)."""
    try:
        targets = load_plan(plan)
    except KttError:
        return html.escape(plan)
    english = (f"<br><small class='en' lang='en'>{html.escape(targets.plan_en)}</small>"
               if targets.plan_en else "")
    return f"{html.escape(targets.plan)} ({html.escape(plan)}){english}"


def plan_targets(plan: str) -> dict[str, Target]:
    """The plan's targets by id, for their words; none when the plan is not in ``plans/`` (a
    report on a plan file elsewhere: its columns keep the ids)."""
    try:
        return {t.id: t for t in load_plan(plan).resolve()}
    except KttError:
        return {}


def answer(target: dict, lang: str = "vi") -> tuple[str, str]:
    """A target's answer in ``lang``: the probability as a percentage and its phrase when open
    (and the elapsed years of its period that have no figure); met or missed with the figures
    that decided it."""
    if target["status"] != "open":
        # threshold None: a rule without a level, or an older report; "at_least": a year
        # decided by its known parts, at least their sum
        figures = decided_figures(target.get("decided_by") or {}, target.get("at_least") or {},
                                  target.get("threshold"),
                                  lambda v, **k: value(v, target["indicator"], lang, **k))
        return text(target["status"], lang), figures
    p = target["probability"]
    missing = target.get("missing") or []
    notes = [text(target["likelihood"], lang)]
    if missing:
        notes.append(text("no_figure_for", lang).format(years=", ".join(map(str, missing))))
    notes += cautions("open", target.get("figures"), target.get("end") in missing, lang)
    return ("-" if p is None else probability(p, lang)), "; ".join(notes)


def _cell(name: str, target: dict | None) -> str:
    if target is None:
        return "<td>-</td>"
    shown, small = answer(target)
    p = target["probability"]
    colour, ink = BAND_COLOURS[band(target["status"], float("nan") if p is None else p)]
    return (f"<td class='answer' style='background:{colour};color:{ink}'>"
            f"<a href='{name}/report.html#{html.escape(target['id'], quote=True)}'>"
            f"{html.escape(shown)}</a>"
            f"<br><small>{html.escape(small)}</small></td>")


def _column(target_id: str, target: Target | None, indicator: str) -> str:
    """A target's column heading: its label in Vietnamese, in English beneath; the id on
    hover. Not its rule: a scenario may read the plan's words otherwise (its report says
    how)."""
    if target is None:
        return (f"<th scope='col'>{html.escape(target_id)}<br>"
                f"<small>{html.escape(text(indicator, 'vi'))}</small></th>")
    return (f"<th scope='col' title='{html.escape(target_id, quote=True)}'>"
            f"{html.escape(target_label(target, 'vi'))}<br>"
            f"<small class='en' lang='en'>{html.escape(target_label(target, 'en'))}</small></th>")


def _scenario_words(name: str, summary: dict, lang: str) -> tuple[str, str]:
    """A report's scenario title and description in ``lang``: from its summary, else (a summary
    written before they were kept there) from ``scenarios/``."""
    suffix = "_vi" if lang == "vi" else ""
    title, description = scenario_info(summary.get("scenario", name), summary.get("plan", ""),
                                       lang)
    return (summary.get(f"scenario_title{suffix}") or title,
            summary.get(f"scenario_description{suffix}") or description)


def _row_head(name: str, summary: dict) -> str:
    title, description = _scenario_words(name, summary, "vi")
    english = _scenario_words(name, summary, "en")[0]
    path = summary["data"]["path"]
    # a file outside data/ is the user's own: not (yet) published
    data = (BANNER["vi"] if summary["synthetic"] else
            f"{text('published_record' if in_data(path) else 'own_record', 'vi')} {path}")
    return (f"<th class='report' scope='row'><a href='{name}/report.html'><b>"
            f"{html.escape(title)}</b></a> <small class='en' lang='en'>"
            f"{html.escape(english)}</small> <code>{html.escape(name)}</code><br>"
            f"<small>{html.escape(description)}</small><br>"
            f"<small><i>{html.escape(unit_name(summary.get('unit', ''), 'vi'))}, "
            f"{html.escape(text('as_of', 'vi').lower())} {summary.get('as_of', '')}; "
            f"{html.escape(data)}</i></small></th>")


def scenario_list(summaries: dict[str, dict], own: bool = False) -> str:
    """Every scenario in ``scenarios/``: its title and description in Vietnamese, then in
    English, linked to its report when one is here, else the command that renders it into the
    project's ``reports/``. In a folder of the user's own (``own``) only those with a report
    here: the command would not write it there, nor on the user's figures."""
    rendered = {s.get("scenario"): name for name, s in summaries.items()
                if s.get("scenario") != "baseline" or name == "baseline"}
    items = []
    for scenario in all_scenarios():
        if own and scenario not in rendered:
            continue
        (title, description), (title_en, description_en) = (
            scenario_info(scenario, lang=lang) for lang in ("vi", "en"))
        name = rendered.get(scenario)
        where = (f"<a href='{name}/report.html'>{html.escape(name)}/report.html</a>" if name
                 else f"{html.escape(text('not_rendered', 'vi'))}: "
                      f"<code>ktt report {html.escape(scenario)}</code> "
                      "(<code>make reports</code>)")
        items.append(f"<li><b>{html.escape(title)}</b> <code>{html.escape(scenario)}</code>: "
                     f"{html.escape(description)} <small>({where})</small><br>"
                     f"<small class='en' lang='en'><b>{html.escape(title_en)}</b>: "
                     f"{html.escape(description_en)}</small></li>")
    if not items:
        return ""
    return (f"<h2 id='scenarios'>{html.escape(text('scenarios_heading', 'vi'))} "
            f"<small class='en' lang='en'>{html.escape(text('scenarios_heading', 'en'))}"
            f"</small></h2><ul>{''.join(items)}</ul>")


def _other_title(summary: dict, lang: str) -> str:
    """A report that is not a forecast by its kind: a units dashboard (its summary counts the
    ``units``) or a backtest report (its ``indicators``' scores)."""
    if "units" in summary:
        return f"{text('units_title', lang)}: {summary.get('plan', '')}"
    return text("backtest_title", lang) if "indicators" in summary else ""


def other_list(others: dict[str, dict]) -> str:
    """The other reports of a folder of the user's own (``ktt.report.runner.other_reports``:
    units dashboards, backtest reports), each linked by its kind in Vietnamese and English and
    its folder's name; nothing when there is none."""
    if not others:
        return ""
    items = []
    for name, summary in others.items():
        title, title_en = (_other_title(summary, lang) for lang in ("vi", "en"))
        items.append(f"<li><a href='{html.escape(name, quote=True)}/report.html'>"
                     f"<b>{html.escape(title or name)}</b></a> "
                     + (f"<small class='en' lang='en'>{html.escape(title_en)}</small> "
                        if title_en else "")
                     + f"<code>{html.escape(name)}</code></li>")
    return (f"<h2 id='others'>{html.escape(text('other_reports', 'vi'))} "
            f"<small class='en' lang='en'>{html.escape(text('other_reports', 'en'))}</small>"
            f"</h2><ul>{''.join(items)}</ul>")


def page(summaries: dict[str, dict], others: dict[str, dict] | None = None,
         own: bool = False) -> str:
    """The index page over ``summaries`` (forecast report folder -> its ``summary.json``) and
    ``others`` (the folder's other reports, ``other_list``), in Vietnamese with the English
    beneath the headings and descriptions; ``own`` for a folder of the user's own
    (``scenario_list``)."""
    by_plan: dict[str, list[str]] = {}
    for name, summary in summaries.items():
        by_plan.setdefault(summary.get("plan", ""), []).append(name)
    synthetic = any(s["synthetic"] for s in summaries.values())
    sections = []
    for plan, members in by_plan.items():
        targets = {t["id"]: t for s in members for t in summaries[s]["targets"]}
        words = plan_targets(plan)
        head = "".join(_column(i, words.get(i), t["indicator"]) for i, t in targets.items())
        rows = []
        for name in members:
            by_id = {t["id"]: t for t in summaries[name]["targets"]}
            cells = "".join(_cell(name, by_id.get(i)) for i in targets)
            rows.append(f"<tr>{_row_head(name, summaries[name])}{cells}</tr>")
        sections.append(f"<h2>{plan_title(plan)}</h2><div class='scroll'>"
                        f"<table><thead><tr><th scope='col'>"
                        f"{html.escape(text('report_scenario', 'vi'))}<br><small class='en' "
                        f"lang='en'>{html.escape(text('report_scenario', 'en'))}</small></th>"
                        f"{head}</tr></thead><tbody>{''.join(rows)}</tbody></table></div>")
    banner = (f"<p class='synthetic'><strong>{BANNER['vi']}</strong>: "
              f"{html.escape(text('index_synthetic', 'vi'))}<br><span lang='en'><strong>"
              f"{BANNER['en']}</strong>: {html.escape(text('index_synthetic', 'en'))}</span></p>"
              if synthetic else "")
    title = (f"{BANNER['vi']} | " if synthetic else "") + text("index_title", "vi")
    return (f"<!doctype html><html lang='vi'><head><meta charset='utf-8'>"
            "<meta name='viewport' content='width=device-width, initial-scale=1'>"
            f"<title>{html.escape(title)}</title><style>{CSS}</style></head><body>"
            f"{banner}<h1>{html.escape(text('index_title', 'vi'))}</h1>"
            f"<p class='en subtitle' lang='en'>{html.escape(text('index_title', 'en'))}</p>"
            f"{legend('vi', hover='en')}"
            f"{''.join(sections)}{other_list(others or {})}{scenario_list(summaries, own)}"
            "</body></html>\n")


def write_index(output: Path, summaries: dict[str, dict], others: dict[str, dict],
                own: bool = False) -> Path:
    """Write ``<output>/index.html`` over the forecast reports ``summaries`` and the other
    reports ``others`` (folder -> its ``summary.json``, ``page``); ``own`` for a folder of the
    user's own."""
    path = Path(output) / "index.html"
    # written beside and moved into place: a reader opening the page mid-write sees the old
    # index or the new one, not half of one
    # (not a NamedTemporaryFile: its mode 0600 would hide the page from a web server)
    part = path.with_name(f".index-{os.getpid()}.tmp")
    try:
        part.write_text(page(summaries, others, own), encoding="utf-8")
        os.replace(part, path)
    finally:
        part.unlink(missing_ok=True)  # left only when the write failed
    return path
