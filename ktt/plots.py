"""Fan charts: the record, the median forecast, 80 % and 95 % bands, the target lines."""

from __future__ import annotations

import io

from matplotlib.figure import Figure

from ktt.catalog import kind_of
from ktt.forecast import Forecast
from ktt.indicators import series
from ktt.strings import text
from ktt.targets import Target


def fan_charts(forecast: Forecast, targets: list[Target], lang: str = "vi") -> Figure:
    """One panel per indicator a target uses: history, median, bands, each target's level.

    Parameters
    ----------
    forecast : Forecast
        From ``ktt.forecast.forecast_targets``.
    targets : list of Target
        Resolved targets, for the threshold lines and target years.
    lang : {"vi", "en"}
        Language of titles and labels.

    Returns
    -------
    matplotlib.figure.Figure
    """
    codes = list(dict.fromkeys(t.indicator for t in targets))
    # Figure() without pyplot: no global state, no backend to choose, same bytes every run.
    fig = Figure(figsize=(8, 2.8 * len(codes)), layout="constrained")
    axes = fig.subplots(len(codes), 1, squeeze=False)
    for ax, code in zip(axes[:, 0], codes, strict=True):
        scale = 1 if kind_of(code) == "count" else 100
        history = series(forecast.history, forecast.unit, code)
        fan = forecast.fans[forecast.fans["indicator"] == code]
        if len(fan):
            ax.fill_between(fan["year"], fan["lo95"] * scale, fan["hi95"] * scale,
                            color="tab:blue", alpha=0.15, label=text("band95", lang))
            ax.fill_between(fan["year"], fan["lo80"] * scale, fan["hi80"] * scale,
                            color="tab:blue", alpha=0.3, label=text("band80", lang))
            ax.plot(fan["year"], fan["median"] * scale, color="tab:blue", ls="--",
                    label=text("median", lang))
        ax.plot(history.index, history * scale, "o-", color="black", label=text("history", lang))
        for target in (t for t in targets if t.indicator == code and t.threshold is not None):
            ax.hlines(target.threshold * scale, target.start - 0.4, target.end + 0.4,
                      color="tab:red", lw=2)
            ax.annotate(target.id, (target.end, target.threshold * scale), color="tab:red",
                        fontsize=8, xytext=(3, 3), textcoords="offset points")
        ax.set_title(text(code, lang))
        ax.set_ylabel("%" if scale == 100 else "")
        ax.grid(alpha=0.3)
    axes[0, 0].legend(loc="upper left", fontsize=8)
    axes[-1, 0].set_xlabel(text("year", lang))
    return fig


def png_bytes(fig: Figure) -> bytes:
    """The figure as PNG bytes, without metadata that could vary between runs."""
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=90, metadata={"Software": None})
    return buffer.getvalue()
