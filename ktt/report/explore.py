"""What the explore notebook shows: the data an analyst starts from."""

from __future__ import annotations

import pandas as pd
from IPython.display import Image, Markdown
from matplotlib.figure import Figure

from ktt import config
from ktt.inputs.data import SOURCE_COLUMNS, load_observations, load_sources, summarize
from ktt.inputs.loading import resolve_path
from ktt.report.plots import png_bytes


def load(data_path: str = "") -> pd.DataFrame:
    """Load and validate an observations file.

    Parameters
    ----------
    data_path : str
        The notebook's ``data_path``: a CSV path, relative to the project folder; empty for
        ``data/observations.csv``.

    Returns
    -------
    pandas.DataFrame
        Its figures, one a row (``unit, year, indicator, value`` [count, or a share as a
        fraction in [0, 1]], ``source, quote``), the best-ranked where sources disagree.

    Raises
    ------
    DataError
        Every problem of the file, one a line naming its line, column and what to do.
    """
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


def sources(data_path: str = "") -> pd.DataFrame | Markdown:
    """The sources beside the observations file (its folder's ``sources.csv``).

    Parameters
    ----------
    data_path : str
        As for ``load``.

    Returns
    -------
    pandas.DataFrame or IPython.display.Markdown
        One row per source (``id, title, publisher, date, address``, ...); or, when the
        file's folder has no ``sources.csv`` (which is optional), a note saying how to write
        one: the notebook's last cell failed there with "no such file ... `ktt template`",
        which writes no such file.
    """
    path = resolve_path(data_path, config.OBSERVATIONS)
    listed = path.parent / "sources.csv"
    if not listed.is_file():
        return Markdown(f"No `sources.csv` beside `{path}`: to name each source its rows "
                        f"cite, write one there with the columns `{','.join(SOURCE_COLUMNS)}` "
                        "(as `data/sources.csv`; `data/README.md` explains them).")
    return load_sources(listed).reset_index()
