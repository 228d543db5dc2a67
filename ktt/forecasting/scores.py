"""The backtest's scores: the mean CRPS, absolute error and interval coverage of the
forecasts, and the Brier score and reliability of the attainment calls, with the reliability
table's consistency bars."""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd
import scoringrules as sr
from scipy import stats

from ktt.forecasting.backtest import Backtest

RELIABILITY_BINS = (0.0, 0.1, 0.3, 0.5, 0.7, 0.9, 1.0)
"""Edges of the predicted-probability bins of the reliability table."""


def _scored(forecasts: pd.DataFrame) -> pd.DataFrame:
    return forecasts.assign(
        abs_error=(forecasts["median"] - forecasts["observed"]).abs(),
        cover80=forecasts["observed"].between(forecasts["lo80"], forecasts["hi80"]),
        cover95=forecasts["observed"].between(forecasts["lo95"], forecasts["hi95"]),
        fallback=forecasts["fitted"] != forecasts["model"])


def score_table(backtest: Backtest, by: Sequence[str] = ("indicator", "model", "horizon")
                ) -> pd.DataFrame:
    """Mean scores grouped by ``by``.

    Returns
    -------
    pandas.DataFrame
        ``by`` columns, then ``n`` (forecasts scored), ``abs_error`` and ``crps`` (in the
        indicator's unit: count per year, or fraction), ``cover80`` and ``cover95`` (share of
        figures inside the interval, to compare with 0.80 and 0.95), ``fallbacks`` (fits that
        fell back to another model).
    """
    scored = _scored(backtest.forecasts)
    grouped = scored.groupby(list(by), sort=False)
    return grouped.agg(n=("crps", "size"), abs_error=("abs_error", "mean"),
                       crps=("crps", "mean"), cover80=("cover80", "mean"),
                       cover95=("cover95", "mean"), fallbacks=("fallback", "sum")).reset_index()


def brier_table(calls: pd.DataFrame, by: Sequence[str] = ("indicator", "model")) -> pd.DataFrame:
    """Brier score of the attainment calls (``scoringrules.brier_score``; 0 is perfect, 0.25 is
    a constant 0.5), with the number of calls and how often the event happened."""
    scored = calls.assign(brier=sr.brier_score(calls["outcome"].to_numpy(float),
                                               calls["probability"].to_numpy(float)))
    return scored.groupby(list(by), sort=False).agg(
        n=("brier", "size"), brier=("brier", "mean"),
        base_rate=("outcome", "mean")).reset_index()


def reliability(calls: pd.DataFrame, bins: Sequence[float] = RELIABILITY_BINS) -> pd.DataFrame:
    """Predicted probability against observed frequency, in bins of the predicted probability.

    Returns
    -------
    pandas.DataFrame
        ``bin, n, predicted`` (mean probability in the bin), ``observed`` (share of calls in
        the bin whose event happened); empty bins are left out.
    """
    binned = pd.cut(calls["probability"], list(bins), include_lowest=True)
    table = calls.groupby(binned, observed=True).agg(
        n=("outcome", "size"), predicted=("probability", "mean"),
        observed=("outcome", "mean"))
    return table.rename_axis("bin").reset_index().assign(bin=lambda t: t["bin"].astype(str))


def consistency_bars(table: pd.DataFrame, level: float = 0.9) -> pd.DataFrame:
    """Where a calibrated forecaster's observed frequency falls in each bin of a reliability
    table, ``level`` of the time (the consistency bars of Bröcker and Smith, 2007): the
    binomial quantiles of ``n`` calls that each come true with the bin's mean probability.

    A bin's point outside its bar is a gap larger than chance allows, if the calls are
    independent; backtest calls of one unit share years and origins, so their bars are, if
    anything, too narrow.

    Parameters
    ----------
    table : pandas.DataFrame
        ``reliability``'s table: ``n`` [count] and ``predicted`` [probability] per bin.
    level : float
        Share of a calibrated forecaster's points the bar holds, in (0, 1).

    Returns
    -------
    pandas.DataFrame
        ``table`` with ``low`` and ``high`` [frequency in [0, 1]].
    """
    tail = (1 - level) / 2
    n, p = table["n"].to_numpy(), table["predicted"].to_numpy()
    return table.assign(low=stats.binom.ppf(tail, n, p) / n,
                        high=stats.binom.ppf(1 - tail, n, p) / n)
