"""``reports/index.html``: every report of every plan, each scenario with its description,
each target's answer coloured as in the reports (``ktt.report.forecast.band``)."""

from __future__ import annotations

import html
import json
from pathlib import Path

from ktt.errors import KttError
from ktt.inputs.catalog import format_value
from ktt.inputs.example import BANNER
from ktt.inputs.scenarios import all_scenarios
from ktt.inputs.targets import load_plan
from ktt.report.forecast import BAND_COLOURS, BANDS, band, scenario_info
from ktt.report.numbers import probability
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
.legend span { display: inline-block; padding: 1px 6px; margin: 2px; border-radius: 3px; }
@media (max-width: 600px) { body { margin: 6px; } h1 { font-size: 1.3em; }
  h2 { font-size: 1.1em; } th.report { min-width: 10em; } }
@page { size: A4 landscape; margin: 10mm; }
@media print { * { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
  body { font-size: 8pt; margin: 0; } .scroll { overflow: visible; } tr { break-inside: avoid; } }
"""


def plan_title(plan: str) -> str:
    """A plan's name and id; the id alone when it is not in ``plans/``."""
    try:
        return f"{load_plan(plan).plan} ({plan})"
    except KttError:
        return plan


def answer(target: dict) -> tuple[str, str]:
    """A target's answer: the probability as a percentage and its phrase when open (and the
    elapsed years of its period that have no figure); met or missed with the figures that
    decided it."""
    if target["status"] != "open":
        figures = ", ".join(f"{year}: {format_value(value, target['indicator'])}"
                            for year, value in (target.get("decided_by") or {}).items())
        return target["status"], figures
    p = target["probability"]
    missing = target.get("missing") or []
    gap = f"; no figure for {', '.join(map(str, missing))}" if missing else ""
    return ("-" if p is None else probability(p, "en")), target["likelihood"] + gap


def _cell(name: str, target: dict | None) -> str:
    if target is None:
        return "<td>-</td>"
    shown, small = answer(target)
    p = target["probability"]
    colour, ink = BAND_COLOURS[band(target["status"], float("nan") if p is None else p)]
    return (f"<td class='answer' style='background:{colour};color:{ink}'>"
            f"<a href='{name}/report.html'>{html.escape(shown)}</a>"
            f"<br><small>{html.escape(small)}</small></td>")


def _row_head(name: str, summary: dict) -> str:
    title, description = scenario_info(summary.get("scenario", name), summary.get("plan", ""))
    title = summary.get("scenario_title") or title
    description = summary.get("scenario_description") or description
    data = BANNER["en"] if summary["synthetic"] else f"record {summary['data']['path']}"
    return (f"<th class='report' scope='row'><a href='{name}/report.html'><b>"
            f"{html.escape(title)}</b></a> <code>{html.escape(name)}</code><br>"
            f"<small>{html.escape(description)}</small><br>"
            f"<small><i>{html.escape(summary.get('unit', ''))}, as of "
            f"{summary.get('as_of', '')}; {html.escape(data)}</i></small></th>")


def scenario_list(summaries: dict[str, dict]) -> str:
    """Every scenario in ``scenarios/``: its title, description and plan, linked to its report
    when one is here, else the command that renders it."""
    rendered = {s.get("scenario"): name for name, s in summaries.items()
                if s.get("scenario") != "baseline" or name == "baseline"}
    items = []
    for scenario in all_scenarios():
        title, description = scenario_info(scenario)
        name = rendered.get(scenario)
        where = (f"<a href='{name}/report.html'>{html.escape(name)}/report.html</a>" if name
                 else f"not rendered here: <code>ktt report {html.escape(scenario)}</code> "
                      "(<code>make reports</code> renders them all)")
        items.append(f"<li><b>{html.escape(title)}</b> <code>{html.escape(scenario)}</code>: "
                     f"{html.escape(description)} <small>({where})</small></li>")
    return f"<h2 id='scenarios'>Scenarios</h2><ul>{''.join(items)}</ul>"


def page(summaries: dict[str, dict]) -> str:
    """The index page over ``summaries`` (report folder -> its ``summary.json``)."""
    by_plan: dict[str, list[str]] = {}
    for name, summary in summaries.items():
        by_plan.setdefault(summary.get("plan", ""), []).append(name)
    synthetic = any(s["synthetic"] for s in summaries.values())
    sections = []
    for plan, members in by_plan.items():
        targets = {t["id"]: t for s in members for t in summaries[s]["targets"]}
        head = "".join(f"<th scope='col'>{html.escape(i)}<br><small>"
                       f"{html.escape(text(t['indicator'], 'en'))}</small></th>"
                       for i, t in targets.items())
        rows = []
        for name in members:
            by_id = {t["id"]: t for t in summaries[name]["targets"]}
            cells = "".join(_cell(name, by_id.get(i)) for i in targets)
            rows.append(f"<tr>{_row_head(name, summaries[name])}{cells}</tr>")
        sections.append(f"<h2>{html.escape(plan_title(plan))}</h2><div class='scroll'>"
                        f"<table><thead><tr><th scope='col'>report (scenario)</th>{head}</tr>"
                        f"</thead><tbody>{''.join(rows)}</tbody></table></div>")
    banner = (f"<p class='synthetic'><strong>{BANNER['vi']}</strong><br><strong>"
              f"{BANNER['en']}</strong>: the reports marked so run on the synthetic example, "
              "the others on the published record.</p>" if synthetic else "")
    legend = " ".join(f"<span style='background:{BAND_COLOURS[b][0]};color:{BAND_COLOURS[b][1]}'>"
                      f"{html.escape(text(f'band_{b}', 'en'))}</span>" for b in BANDS)
    title = (f"{BANNER['en']} | " if synthetic else "") + "ktt: plans x targets"
    return (f"<!doctype html><html lang='en'><head><meta charset='utf-8'>"
            "<meta name='viewport' content='width=device-width, initial-scale=1'>"
            f"<title>{html.escape(title)}</title><style>{CSS}</style></head><body>"
            f"{banner}<h1>Each plan's targets: met, missed, or the probability of meeting "
            f"them</h1><p class='legend'>{legend}</p>{''.join(sections)}"
            f"{scenario_list(summaries)}</body></html>\n")


def write_index(output: Path, names: list[str]) -> Path:
    """Write ``<output>/index.html`` over the report folders ``names``."""
    output = Path(output)
    summaries = {s: json.loads((output / s / "summary.json").read_text(encoding="utf-8"))
                 for s in names}
    path = output / "index.html"
    path.write_text(page(summaries), encoding="utf-8")
    return path
