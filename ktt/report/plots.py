"""Fan charts: the record, the median forecast, 80 % and 95 % bands, the target lines."""

from __future__ import annotations

import base64
import html
import io
from dataclasses import dataclass

import pandas as pd
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter, MaxNLocator

from ktt.forecasting.forecast import Forecast, year_intervals
from ktt.inputs.catalog import kind_of
from ktt.inputs.indicators import series
from ktt.inputs.targets import Target
from ktt.report.numbers import axis_formatter, significant
from ktt.report.strings import model_words, text


@dataclass(frozen=True, repr=False)
class Chart:
    """A figure for the report: PNG bytes (kept in the notebook) and the text that says what it
    shows (the HTML report's ``alt``)."""

    png: bytes
    """The figure as PNG."""
    alt: str
    """What the figure shows, in the report's language."""
    width: int | None = None
    """CSS pixels it takes on a wide screen (a narrower one shrinks it); None: its PNG's."""

    def __repr__(self) -> str:
        # the notebook's text/plain of the chart: the bytes' repr there made a report's
        # notebook twice as large as its PNG and HTML forms together; nor their count, which
        # a machine with other fonts would change (nbval compares text/plain)
        return f"Chart(alt={self.alt!r})"

    def _repr_png_(self) -> bytes:
        return self.png

    def _repr_html_(self) -> str:
        data = base64.b64encode(self.png).decode("ascii")
        width = f"width:{self.width}px;" if self.width else ""
        return (f"<img class='ktt-chart' src='data:image/png;base64,{data}' "
                f"alt='{html.escape(self.alt, quote=True)}' "
                f"style='{width}max-width:100%;height:auto'>")


@dataclass(frozen=True, repr=False)
class Charts:
    """Charts one above the other: the parts of a figure taller than a printed page, each of
    which a page holds whole (``MAX_PANELS``)."""

    parts: tuple[Chart, ...]
    """The charts, in order."""

    def __repr__(self) -> str:
        return f"Charts({', '.join(map(repr, self.parts))})"

    def _repr_html_(self) -> str:
        return "".join(f"<div>{part._repr_html_()}</div>" for part in self.parts)


MAX_PANELS = 4
"""Most panels one chart of a report holds: 4 of ``PANEL_HEIGHT`` at ``CHART_WIDTH`` are 1,000
CSS px, within the 1,039 (275 mm) of an A4 page printed, which keeps a chart whole but cuts
one taller than itself across two pages (6 panels, 1,500 px: the plan of 1318/QĐ-TTg)."""


def panel_groups(codes: list[str], panels_each: int = 1) -> list[list[str]]:
    """``codes`` in as few groups of at most ``MAX_PANELS`` panels as there can be, as even as
    can be (6: 3 and 3, rather than 4 and a chart of 2), in order; each code draws
    ``panels_each`` panels (the backtest's two: CRPS, then coverage)."""
    parts = -(-len(codes) // max(MAX_PANELS // panels_each, 1))
    size = -(-len(codes) // parts) if parts else 0
    return [codes[i:i + size] for i in range(0, len(codes), size)] if size else []


def mark_synthetic(fig: Figure, lang: str) -> None:
    """Write across the figure that it is drawn from synthetic figures."""
    fig.text(0.5, 0.5, text("synthetic_mark", lang), fontsize=26, color="#b35806", alpha=0.18,
             ha="center", va="center", rotation=20, weight="bold", zorder=10)
    fig.text(0.995, 0.005, text("synthetic_mark", lang), fontsize=8, color="#b35806",
             ha="right", va="bottom", weight="bold")


def number_axes(ax, lang: str, share: bool) -> None:
    """Tick labels of the y axis in the language's number format (years stay as they are)."""
    ax.yaxis.set_major_formatter(axis_formatter(lang, share))


def year_axis(ax) -> None:
    """Ticks of the x axis at whole years: a record of one figure three years after its
    target's year was ticked 2019.5, 2020.0, 2020.5 (in English decimals, in a Vietnamese
    report too)."""
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))


PANEL_WIDTH, PANEL_HEIGHT = 5.6, 2.5
"""Inches of a panel of the report's stacked charts. Narrow, so that its text stays readable
when a phone shrinks the chart to the width of its screen (about 360 px: 9 px for 10 pt
text; at 8 inches wide it was 6 px), and drawn at ``PANEL_DPI`` so that it stays sharp."""
PANEL_DPI = 130
"""Pixels per inch of the stacked charts: 728 px wide, shown at ``CHART_WIDTH`` on a screen."""
CHART_WIDTH = 560
"""CSS pixels a stacked chart takes on a wide screen (100 px an inch: 10 pt text at 14 px)."""

PAD = 4.0
"""Points of room around the texts that ``fit_layout`` makes room for."""


def fit_layout(fig: Figure, axes) -> None:
    """Margins and the gaps between a column of panels made just wide enough for their tick
    labels, axis labels and titles, measured once with the fonts' own metrics.

    Constrained layout (``layout="constrained"``) finds the same room by drawing the figure
    twice more before it is saved, about 40 % of a report's charts' time; a column of panels
    needs only these few measures. Texts inside the axes (legends, annotations) take no room.

    Parameters
    ----------
    fig : matplotlib.figure.Figure
        A figure without a layout engine, every panel drawn into (its limits and ticks are
        read as they will be drawn).
    axes : sequence of matplotlib.axes.Axes
        Its panels, one above the other, top first.
    """
    from matplotlib import rcParams
    from matplotlib.font_manager import FontProperties
    from matplotlib.textpath import TextToPath

    measure = TextToPath()

    def size(key: str) -> float:
        return FontProperties(size=rcParams[key]).get_size_in_points()

    def widest(texts: list[str], key: str) -> float:
        prop = FontProperties(size=rcParams[key])
        return max((measure.get_text_width_height_descent(t, prop, ismath=False)[0]
                    for t in texts if t), default=0.0)

    def labels(axis, view: tuple[float, float]) -> list[str]:
        low, high = sorted(view)
        locs = [x for x in axis.get_majorticklocs()
                if low - 1e-9 * abs(high - low) <= x <= high + 1e-9 * abs(high - low)]
        return axis.get_major_formatter().format_ticks(locs)

    line = 1.2  # a text's line height per point of its size
    ticks = rcParams["ytick.major.size"] + rcParams["ytick.major.pad"]
    left = max(widest(labels(ax.yaxis, ax.get_ylim()), "ytick.labelsize") + ticks
               + (line * size("axes.labelsize") + rcParams["axes.labelpad"]
                  if ax.get_ylabel() else 0.0) for ax in axes)
    years = max(widest(labels(ax.xaxis, ax.get_xlim()), "xtick.labelsize") for ax in axes)
    under = (rcParams["xtick.major.size"] + rcParams["xtick.major.pad"]
             + line * size("xtick.labelsize"))  # an x axis's ticks and labels
    title = line * size("axes.titlesize") + rcParams["axes.titlepad"]
    xlabel = line * size("axes.labelsize") + rcParams["axes.labelpad"]
    width, height = (v * 72 for v in fig.get_size_inches())  # in points
    top, bottom = title + PAD, under + xlabel + PAD
    gap = under + title + PAD
    rows = len(axes)
    panel = (height - top - bottom - gap * (rows - 1)) / rows
    fig.subplots_adjust(left=(max(left, years / 2) + PAD) / width,
                        right=1 - (years / 2 + PAD) / width,
                        top=1 - top / height, bottom=bottom / height, hspace=gap / panel)


LABEL_BOX = {"boxstyle": "round,pad=0.15", "fc": "white", "ec": "none", "alpha": 0.75}
"""A pale box behind a target's label, so that it reads over the fan and the grid."""


def _gap_estimates(ax, forecast: Forecast, code: str, scale: float, lang: str) -> None:
    """A bar at each past target year of ``code`` that has no figure: its 80 % and 95 %
    intervals, the estimate its probability is read from. The fans start after the last
    figure, so a plan whose target years are all past (Đắk Lắk's of 2020, on a record that
    skips 2020) showed probabilities with nothing drawn behind them."""
    table = forecast.table
    past = table[(table["indicator"] == code) & (table["end"] <= forecast.as_of)]
    gaps = year_intervals(past).dropna(subset=["lo80"]).drop_duplicates("end")
    for i, row in enumerate(gaps.itertuples()):
        ax.vlines(row.end, row.lo95 * scale, row.hi95 * scale, color="tab:blue", alpha=0.35,
                  lw=6)
        ax.vlines(row.end, row.lo80 * scale, row.hi80 * scale, color="tab:blue", alpha=0.7,
                  lw=6, label=None if i else text("gap_estimate", lang))


def fan_charts(forecast: Forecast, targets: list[Target], labels: dict[str, str],
               lang: str = "vi", synthetic: bool = False) -> Figure:
    """One panel per indicator a target uses: history, median, bands, each target's level.

    Parameters
    ----------
    forecast : Forecast
        From ``ktt.forecasting.forecast.forecast_targets``.
    targets : list of Target
        Resolved targets, for the threshold lines and target years.
    labels : dict
        Target id -> the words that mark its line (its rule, as the target table says it:
        the panel's title already names the indicator).
    lang : {"vi", "en"}
        Language of titles and labels.
    synthetic : bool
        Mark the figure as drawn from synthetic figures.

    Returns
    -------
    matplotlib.figure.Figure
    """
    codes = list(dict.fromkeys(t.indicator for t in targets))
    # Figure() without pyplot: no global state, no backend to choose, same bytes every run.
    fig = Figure(figsize=(PANEL_WIDTH, PANEL_HEIGHT * len(codes)))  # laid out by fit_layout
    axes = fig.subplots(len(codes), 1, squeeze=False)
    pending = []  # the targets' labels, placed once the panels have their size
    for ax, code in zip(axes[:, 0], codes, strict=True):
        scale = 100 if kind_of(code) == "share" else 1
        history = series(forecast.history, forecast.unit, code)
        fan = forecast.fans[forecast.fans["indicator"] == code]
        if len(fan):
            ax.fill_between(fan["year"], fan["lo95"] * scale, fan["hi95"] * scale,
                            color="tab:blue", alpha=0.15, label=text("band95", lang))
            ax.fill_between(fan["year"], fan["lo80"] * scale, fan["hi80"] * scale,
                            color="tab:blue", alpha=0.3, label=text("band80", lang))
            ax.plot(fan["year"], fan["median"] * scale, color="tab:blue", ls="--",
                    label=text("median", lang))
        _gap_estimates(ax, forecast, code, scale, lang)
        ax.plot(history.index, history * scale, "o-", color="black", label=text("history", lang))
        # the points again, above the targets' labels (text is drawn at zorder 3), where a
        # label has no clear place (_target_label): its pale box hid the figures beneath, the
        # one that decides the target among them. The line between them stays beneath: run
        # through a label, it crossed out its words
        ax.plot(history.index, history * scale, "o", color="black", zorder=4)
        levels = [t for t in targets if t.indicator == code and t.threshold is not None]
        for i, target in enumerate(levels):
            ax.hlines(target.threshold * scale, target.start - 0.4, target.end + 0.4,
                      color="tab:red", lw=2, label=None if i else text("threshold", lang))
        points = [*zip(history.index, history * scale, strict=True),
                  *zip(fan["year"], fan["median"] * scale, strict=True)]
        pending += [(ax, target, scale, points) for target in levels]
        for target in (t for t in targets if t.indicator == code and t.threshold is None):
            # "rising": no level, so the years the rule looks at are shaded
            ax.axvspan(target.start - 1.4, target.end + 0.4, color="tab:red", alpha=0.08)
            ax.annotate(f"{labels[target.id]} ↗", (target.end, 1),
                        xycoords=("data", "axes fraction"), color="tab:red", fontsize=8,
                        xytext=(0, -12), textcoords="offset points", ha="right", bbox=LABEL_BOX)
        # at the top of the panel, where fit_layout makes room for it: a title without y is
        # placed by measuring the panel's tick labels at every draw (about 0.01 s a chart)
        ax.set_title(text(code, lang), y=1.0)
        ax.margins(y=0.1)  # room above the highest threshold for its label
        ax.set_ylabel("%" if scale == 100 else "")
        number_axes(ax, lang, scale == 100)
        year_axis(ax)
        if scale == 1:
            ax.yaxis.set_major_locator(MaxNLocator(integer=True))
        ax.grid(alpha=0.3)
    # two columns, where it covers the least of the record: a narrow panel has little room
    axes[0, 0].legend(loc="best", fontsize=7, ncols=2)
    axes[-1, 0].set_xlabel(text("year", lang))
    if synthetic:
        mark_synthetic(fig, lang)
    fit_layout(fig, axes[:, 0])
    for ax, target, scale, points in pending:
        _target_label(ax, target, labels[target.id], scale, points)
    return fig


LABEL_SIZE = 8
"""Points of a target's label."""


def _target_label(ax, target: Target, words: str, scale: float,
                  points: list[tuple[float, float]]) -> None:
    """``words`` at the end of ``target``'s line, placed so as not to cover any of ``points``
    (the record's and the median's, as drawn) where it can: above the line, else below it,
    else above it slid along toward the panel's middle until it ends short of the points it
    covered (the country's 35,041 HTX of 2025, just above the line of 35,000 and with 2024's
    33,335 below it, hid under the label); if none is clear, the one that covers fewest.

    Placed after ``fit_layout``: what a label covers depends on the panel's size."""
    from matplotlib.font_manager import FontProperties
    from matplotlib.textpath import TextToPath

    low, high = ax.get_xlim()  # every line drawn: the limits the labels must stay within
    bottom, top = ax.get_ylim()
    width, height = (v * 72 for v in ax.get_position().size * ax.figure.get_size_inches())
    # the label's box from the line, in points: its offset, a line of text and its pad; a
    # point is covered when its marker's centre is within a marker's radius of the box
    pad, offset, marker = 0.15 * LABEL_SIZE, 3.0, 3.0
    dy = (offset + 1.2 * LABEL_SIZE + 2 * pad + marker) / height * (top - bottom)
    dx = (TextToPath().get_text_width_height_descent(
        words, FontProperties(size=LABEL_SIZE), ismath=False)[0] + 2 * pad) / width * (high - low)
    radius = marker / width * (high - low)
    # a label runs from its line's end toward the panel's middle, so that it stays inside
    # the axes: run leftward from a line near the left edge (a target year before a later
    # record), it crossed the y axis's tick labels
    toward = 1 if target.end - low < (high - low) / 2 else -1
    y = target.threshold * scale

    def covered(x: float, below: bool) -> list[float]:
        """The x of each point the label from ``x`` would cover."""
        xs = sorted((x - toward * radius, x + toward * (dx + radius)))
        ys = (y - dy, y) if below else (y, y + dy)
        return [px for px, py in points if xs[0] <= px <= xs[1] and ys[0] <= py <= ys[1]]

    start, end = target.start - 0.4, target.end + 0.4  # the line's ends
    x = start if toward == 1 else end
    above = covered(x, False)
    slid = (max(above) if toward == 1 else min(above)) + toward * 2 * radius if above else x
    # slid no further than its line's other end: a label beside another line reads as its
    places = [(x, False), *([(x, True)] if y - dy >= bottom else []),
              *([(slid, False)] if start <= slid <= end and low <= slid + toward * dx <= high
                else [])]
    # the first that covers no point, or else the one that covers fewest (min keeps the first)
    place = min(places, key=lambda p: len(covered(*p)))
    ax.annotate(words, (place[0], y), color="tab:red", fontsize=LABEL_SIZE,
                xytext=(0, -offset if place[1] else offset), textcoords="offset points",
                ha="left" if toward == 1 else "right", va="top" if place[1] else "baseline",
                bbox=LABEL_BOX)


def png_bytes(fig: Figure, dpi: int = 90) -> bytes:
    """The figure as PNG bytes, without metadata that could vary between runs."""
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=dpi, metadata={"Software": None})
    return buffer.getvalue()


def backtest_charts(summary: pd.DataFrame, scores: pd.DataFrame, lang: str = "vi",
                    synthetic: bool = False) -> Figure:
    """Per indicator, one panel above the other (as the fan charts, ``PANEL_WIDTH`` wide, so
    that a phone shows their text readably): mean CRPS by horizon for every model (the chosen
    one bold and starred), then the 80 % and 95 % coverage by horizon, in percent, against
    their nominal levels.

    Parameters
    ----------
    summary : pandas.DataFrame
        From ``ktt.forecasting.choice_scores.model_summary`` (which model was chosen).
    scores : pandas.DataFrame
        From ``ktt.forecasting.scores.score_table`` by indicator, model and horizon.
    lang : {"vi", "en"}
        Language of titles, labels and the models' names.
    synthetic : bool
        Mark the figure as drawn from synthetic figures.

    Returns
    -------
    matplotlib.figure.Figure
    """
    from matplotlib.lines import Line2D

    codes = list(dict.fromkeys(scores["indicator"])) or [""]
    fig = Figure(figsize=(PANEL_WIDTH, PANEL_HEIGHT * 2 * len(codes)))  # laid out by fit_layout
    axes = fig.subplots(2 * len(codes), 1, squeeze=False)[:, 0]
    chosen = set(summary.loc[summary["chosen"], ["indicator", "model"]].itertuples(
        index=False, name=None))
    horizons = range(1, int(scores["horizon"].max()) + 1) if len(scores) else range(1, 2)
    for i, code in enumerate(codes):
        crps, cover = axes[2 * i], axes[2 * i + 1]
        for model, group in scores[scores["indicator"] == code].groupby("model", sort=False):
            bold = (code, model) in chosen
            width = 3 if bold else 1
            line = crps.plot(group["horizon"], group["crps"], "o-", lw=width,
                             label=model_words(model, lang) + (" *" if bold else ""))
            colour = line[0].get_color()
            cover.plot(group["horizon"], group["cover95"] * 100, "o-", color=colour, lw=width)
            cover.plot(group["horizon"], group["cover80"] * 100, "s--", color=colour, lw=width)
        for level in (80, 95):
            cover.axhline(level, color="grey", lw=0.8, ls=":")
        name = text(code, lang)
        crps.set_title(f"{name}: CRPS", y=1.0)
        cover.set_title(f"{name}: {text('coverage_short', lang)}", y=1.0)
        cover.set_ylim(-2, 102)
        cover.set_ylabel("%")
        crps.legend(fontsize=7, ncols=2, loc="best")
        cover.legend(handles=[Line2D([], [], color="grey", ls="--", marker="s",
                                     label=text("band80", lang)),
                              Line2D([], [], color="grey", marker="o",
                                     label=text("band95", lang))],
                     fontsize=7, ncols=2, loc="lower left")
        # a share's CRPS is a few thousandths: three significant digits, not "0,0" at each tick
        crps.yaxis.set_major_formatter(FuncFormatter(lambda x, _: significant(x, lang)))
        number_axes(cover, lang, True)
        for ax in (crps, cover):
            ax.set_xticks(horizons)
            ax.grid(alpha=0.3)
    axes[-1].set_xlabel(text("horizon", lang))
    if synthetic:
        mark_synthetic(fig, lang)
    fit_layout(fig, axes)
    return fig


def _reliability_axes(ax, tables: dict[str, pd.DataFrame], lang: str, title: str) -> None:
    """One reliability panel: a series of points per table, sized by their calls, each with
    its consistency bar when the table has one (``low``, ``high``)."""
    ax.plot([0, 1], [0, 1], color="grey", ls=":")
    largest = max(int(t["n"].max()) for t in tables.values() if len(t))
    for label, table in tables.items():
        if "low" in table:
            ax.vlines(table["predicted"], table["low"], table["high"], color="grey", lw=3,
                      alpha=0.35, label=text("consistency_bar", lang))
        ax.plot(table["predicted"], table["observed"], marker="o", lw=0.8, ms=0, alpha=0.6)
        ax.scatter(table["predicted"], table["observed"], s=15 + 150 * table["n"] / largest,
                   color=ax.lines[-1].get_color(), zorder=3, label=label)
    ax.set_xlim(0, 1)
    ax.set_ylim(0, 1)
    ax.xaxis.set_major_formatter(axis_formatter(lang))
    ax.yaxis.set_major_formatter(axis_formatter(lang))
    ax.set_xlabel(text("predicted", lang))
    ax.set_ylabel(text("observed_freq", lang))
    ax.set_title(title, fontsize=10)
    ax.grid(alpha=0.3)
    if len(tables) > 1 or any("low" in t for t in tables.values()):
        ax.legend(fontsize=7, loc="upper left")


def reliability_panels(own: pd.DataFrame, suite: dict[str, pd.DataFrame],
                       lang: str = "vi") -> Figure:
    """The unit's own calls beside the calibration suite's (one series per kind of target):
    on the diagonal, calls come true as often as they say.

    Parameters
    ----------
    own : pandas.DataFrame
        ``ktt.forecasting.scores.reliability`` of the unit's backtest calls, with
        ``consistency_bars`` drawn when it has them; may be empty.
    suite : dict
        Kind of target -> its reliability table from the saved suite.
    lang : {"vi", "en"}
        Language of labels.

    Returns
    -------
    matplotlib.figure.Figure
    """
    # one above the other, ``PANEL_WIDTH`` wide, as the report's other charts: a phone shows
    # their text readably
    fig = Figure(figsize=(PANEL_WIDTH, 2 * PANEL_WIDTH * 0.8), layout="constrained")
    left, right = fig.subplots(2, 1)
    if len(own):
        _reliability_axes(left, {text("unit_calls", lang): own}, lang, text("unit_calls", lang))
    else:
        left.text(0.5, 0.5, text("no_backtest", lang), ha="center", wrap=True)
    if suite:
        _reliability_axes(right, suite, lang, text("suite_calls", lang))
    else:
        right.text(0.5, 0.5, text("no_suite", lang), ha="center", wrap=True)
    return fig
