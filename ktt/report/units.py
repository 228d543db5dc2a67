"""What the many-unit dashboard (``notebooks/units.ipynb``) shows: every unit's targets
coloured by status and probability, the units ranked by the gap to the pace they need, and
the parent units' totals; in Vietnamese or English. Thin: the numbers come from
``ktt.forecasting.many``."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
from IPython.display import HTML

from ktt.forecasting.forecast import ForecastOptions
from ktt.forecasting.many import FAILED, forecast_units, select_units, summary
from ktt.inputs.banner import BANNER
from ktt.inputs.example import is_synthetic
from ktt.inputs.synthetic import communes
from ktt.inputs.targets import load_plan

TEXT = {
    "vi": {"title": "Các đơn vị so với chỉ tiêu của kế hoạch", "unit": "đơn vị", "units": "đơn vị",
           "need": "chỉ tiêu cần nhất", "required": "nhịp cần", "recent": "nhịp gần đây",
           "ratio": "tỉ lệ nhịp", "parent": "cấp trên", "synthetic_demo":
           "Dữ liệu GIẢ LẬP: {n} xã (ktt.inputs.synthetic.communes)."},
    "en": {"title": "Units against the plan's targets", "unit": "unit", "units": "units",
           "need": "target most in need", "required": "required pace",
           "recent": "recent pace", "ratio": "pace ratio", "parent": "parent",
           "synthetic_demo": "SYNTHETIC data: {n} made-up communes "
                             "(ktt.inputs.synthetic.communes)."},
}
STATUS_COLOUR = {"met": "#c7e9c0", "missed": "#fcbba1", FAILED: "#d9d9d9"}
"""Background of a decided or failed cell; an open one is shaded by its probability."""


@dataclass
class Dashboard:
    table: pd.DataFrame
    plan: str
    lang: str
    synthetic: bool
    note: str
    data_path: Path | None = None
    """The observations file read; None for the synthetic communes made in the run."""


def prepare(data_path: str = "", plan: str = "krong-bong-192", units: str = "all",
            n_units: int = 20, as_of: int = 0, n_paths: int = 1000, seed: int = 2020,
            workers: int = 0, lang: str = "vi") -> Dashboard:
    """Forecast the units: from ``data_path`` (with ``data/units.csv``), or without one
    ``n_units`` synthetic communes."""
    from ktt.inputs.data import load_observations
    from ktt.inputs.units import load_units

    targets = load_plan(plan)
    if data_path:
        observations, table_of_units = load_observations(data_path), load_units()
        note = ""
    else:
        observations, table_of_units = communes(n_units)
        note = TEXT[lang]["synthetic_demo"].format(n=n_units)
    ids = select_units(units, table_of_units, observations)
    table = forecast_units(targets, observations, ids,
                           ForecastOptions(as_of=as_of or None, n_paths=n_paths, seed=seed),
                           table_of_units, workers=workers, progress=False)
    return Dashboard(table, targets.id, lang, is_synthetic(observations), note,
                     Path(data_path) if data_path else None)


def header(board: Dashboard) -> None:
    if board.synthetic:
        print(f"{BANNER['vi']} / {BANNER['en']}")
    print(f"{TEXT[board.lang]['title']} ({board.plan}): {board.table['unit'].nunique()} "
          f"{TEXT[board.lang]['units']}. {board.note}")


def _colour(cell: str) -> str:
    status, _, probability = cell.partition(" ")
    if status in STATUS_COLOUR:
        return f"background-color: {STATUS_COLOUR[status]}"
    try:
        p = float(probability.strip("()"))
    except ValueError:
        return ""
    shade = int(255 - 120 * p)
    return f"background-color: rgb({shade}, {shade}, 255)"


def grid(board: Dashboard):
    """Unit x target: the status, and for an open target its probability, coloured."""
    t = board.table[board.table["status"] != FAILED]
    cell = t["status"].where(t["status"] != "open",
                             "open (" + t["probability"].map("{:.2f}".format) + ")")
    wide = (t.assign(cell=cell).pivot(index="unit", columns="target", values="cell")
            .reindex(index=list(dict.fromkeys(t["unit"]))))
    # HTML with a fixed id: a Styler shows a random table id and its own memory address,
    # and a rerun of the report would differ from it
    return HTML(wide.style.map(_colour).set_uuid("units").to_html())


def ranking(board: Dashboard, top: int = 20) -> pd.DataFrame:
    """Units ranked by what they most need: each unit's open target whose recent pace falls
    furthest short of the pace required (lowest pace ratio)."""
    text = TEXT[board.lang]
    t = board.table[(board.table["status"] == "open") & board.table["pace_ratio"].notna()]
    worst = t.sort_values("pace_ratio").groupby("unit", sort=False).head(1)
    return (worst.head(top)[["unit", "target", "required_pace", "recent_pace", "pace_ratio"]]
            .rename(columns={"unit": text["unit"], "target": text["need"],
                             "required_pace": text["required"], "recent_pace": text["recent"],
                             "pace_ratio": text["ratio"]})
            .round(3).reset_index(drop=True))


def totals(board: Dashboard) -> pd.DataFrame:
    """Per parent unit and target: units met, missed and open, and the open ones' mean
    probability."""
    parts = [summary(group).assign(parent=parent)
             for parent, group in board.table.groupby("parent", sort=False)]
    frame = pd.concat(parts, ignore_index=True)
    return frame[["parent", *[c for c in frame.columns if c != "parent"]]].rename(
        columns={"parent": TEXT[board.lang]["parent"]}).round(2)


def failures(board: Dashboard) -> pd.DataFrame:
    return board.table.loc[board.table["status"] == FAILED, ["unit", "error"]]


def print_summary(board: Dashboard) -> None:
    """The JSON the runner keeps as ``summary.json``."""
    t = board.table
    targets = summary(t).astype(object)
    targets = targets.where(targets.notna(), None).to_dict(orient="records")
    from ktt import config
    from ktt.inputs.loading import file_sha256, plan_file
    from ktt.report.forecast import relative_path, versions

    # what a reviewer checks a rerun against (ktt verify): the files read and the versions
    def entry(path: Path) -> dict:
        return {"path": relative_path(path.resolve()), "sha256": file_sha256(path)}

    data = entry(board.data_path) if board.data_path else {}
    inputs = {"plan": entry(plan_file(board.plan)),
              **({"units": entry(config.UNITS)} if board.data_path else {})}
    print(json.dumps({"plan": board.plan, "synthetic": board.synthetic,
                      "units": int(t["unit"].nunique()),
                      "failed": int((t["status"] == FAILED).sum()),
                      "data": data, "inputs": inputs,
                      "versions": versions(), "targets": targets},
                     ensure_ascii=False, default=float))
