"""What the explore notebook shows: the data an analyst starts from."""

from __future__ import annotations

import pandas as pd
from IPython.display import Image, Markdown
from matplotlib.figure import Figure

from ktt import config
from ktt.inputs.data import load_observations, load_sources, summarize
from ktt.inputs.loading import resolve_path
from ktt.report.plots import png_bytes


def load(data_path: str = "") -> pd.DataFrame:
    """Load and validate an observations file ("" = ``data/observations.csv``)."""
    return load_observations(resolve_path(data_path, config.OBSERVATIONS))


def overview(frame: pd.DataFrame) -> Markdown:
    """One sentence: how many figures, units, indicators and years."""
    return Markdown(f"{len(frame)} figures, {frame['unit'].nunique()} units, "
                    f"{frame['indicator'].nunique()} indicators, years "
                    f"{frame['year'].min()}–{frame['year'].max()}.")


def coverage(frame: pd.DataFrame) -> pd.DataFrame:
    """Per unit and indicator: figures, first and last year, gaps."""
    return summarize(frame)


def coverage_chart(frame: pd.DataFrame) -> Image:
    """A dot for every (year, unit · indicator) with a figure: gaps show as holes."""
    rows = sorted({(u, i) for u, i in zip(frame["unit"], frame["indicator"], strict=True)})
    fig = Figure(figsize=(8, 0.3 * len(rows) + 1.2), layout="constrained")
    ax = fig.subplots()
    index = {row: k for k, row in enumerate(rows)}
    ax.scatter(frame["year"], [index[(u, i)] for u, i in
                               zip(frame["unit"], frame["indicator"], strict=True)], s=25)
    ax.set_yticks(range(len(rows)), [f"{u} · {i}" for u, i in rows], fontsize=8)
    ax.grid(alpha=0.3)
    return Image(data=png_bytes(fig))


def sources(data_path: str = "") -> pd.DataFrame:
    """The sources beside the observations file."""
    path = resolve_path(data_path, config.OBSERVATIONS)
    return load_sources(path.parent / "sources.csv").reset_index()
