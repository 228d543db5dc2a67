"""The backtest's scores beside the models chosen: every model's summary with its share of the
chosen paths, and the official progress classes scored on the same calls as the chosen
models'."""

from __future__ import annotations

import numpy as np
import pandas as pd
import scoringrules as sr

from ktt.forecasting.backtest import Backtest
from ktt.forecasting.model_choice import ModelChoice, chosen_calls
from ktt.forecasting.scores import brier_table, score_table


def model_summary(backtest: Backtest, choices: dict[str, ModelChoice]) -> pd.DataFrame:
    """One row per indicator and model: mean CRPS by horizon (``crps_1`` ...), over all
    horizons, coverage, Brier score of the calls, and whether the model was chosen.

    Parameters
    ----------
    backtest : Backtest
        From ``run_backtest``.
    choices : dict
        From ``choose_models(backtest)``, for the ``chosen`` column.

    Returns
    -------
    pandas.DataFrame
        ``indicator, model, crps_1 .. crps_H, crps, abs_error, cover80, cover95, brier,
        fallbacks, weight`` (its share of the chosen paths), ``chosen``.
    """
    by_horizon = score_table(backtest).pivot_table(
        index=["indicator", "model"], columns="horizon", values="crps", sort=False)
    by_horizon = by_horizon[sorted(by_horizon.columns)]
    by_horizon.columns = [f"crps_{h}" for h in by_horizon.columns]
    overall = score_table(backtest, ("indicator", "model")).set_index(["indicator", "model"])
    brier = brier_table(backtest.calls).set_index(["indicator", "model"])["brier"]
    table = by_horizon.join(overall.drop(columns="n")).join(brier).reset_index()
    weight = [choices[code].weights.get(model, 0.0) if code in choices else 0.0
              for code, model in zip(table["indicator"], table["model"], strict=True)]
    return table.assign(weight=weight, chosen=np.array(weight) > 0)


def official_scores(backtest: Backtest, choices: dict[str, ModelChoice]) -> pd.DataFrame:
    """The official progress classes scored as calls beside ktt's probabilities, on exactly
    the same calls.

    Parameters
    ----------
    backtest : Backtest
        From ``run_backtest(..., base_year=...)``.
    choices : dict
        From ``choose_models(backtest)``: ktt's calls are those of each indicator's choice
        (``chosen_calls``).

    Returns
    -------
    pandas.DataFrame
        One row per indicator (and ``all``) and method (``ktt`` first): ``n`` (calls made; an
        ``insufficient_data`` class makes none), ``base_rate`` (share met) [fraction],
        ``brier`` (0 is perfect), ``ktt_brier`` (ktt's Brier score on the same calls),
        ``said_met`` (share of calls saying met), ``met_when_said`` and ``met_when_not`` (how
        often the target was met when the class said met, and when it did not: the
        reliability of a 0/1 call) [fraction]. Empty without official calls.
    """
    columns = ["indicator", "method", "n", "base_rate", "brier", "ktt_brier", "said_met",
               "met_when_said", "met_when_not"]
    official = backtest.official
    if official.empty:
        return pd.DataFrame(columns=columns)
    keys = ["indicator", "origin", "rule", "threshold", "basis", "horizon"]
    # two targets of one rule (e.g. 4 and 6 foundings a year) make the same recent-level call
    official = official.drop_duplicates([*keys, "model"])
    ktt = chosen_calls(backtest.calls, choices)[[*keys, "probability", "outcome"]]
    made = official.dropna(subset=["probability"]).merge(
        ktt[[*keys, "probability"]].rename(columns={"probability": "ktt"}), on=keys)
    own = ktt.merge(official[keys].drop_duplicates(), on=keys)
    rows = []
    for indicator in [*dict.fromkeys(official["indicator"]), "all"]:
        mine = own if indicator == "all" else own[own["indicator"] == indicator]
        if len(mine):
            rows.append(_call_scores(indicator, "ktt", mine["probability"], mine["outcome"],
                                     mine["probability"]))
        theirs = made if indicator == "all" else made[made["indicator"] == indicator]
        for method, group in theirs.groupby("model", sort=False):
            rows.append(_call_scores(indicator, method, group["probability"],
                                     group["outcome"], group["ktt"]))
    return pd.DataFrame(rows, columns=columns)


def _call_scores(indicator: str, method: str, probability: pd.Series, outcome: pd.Series,
                 ktt: pd.Series) -> dict:
    """One row of ``official_scores``."""
    p = probability.to_numpy(float)
    y = outcome.to_numpy(float)
    said = p >= 0.5
    return {"indicator": indicator, "method": method, "n": len(p),
            "base_rate": float(y.mean()),
            "brier": float(np.mean(sr.brier_score(y, p))),
            "ktt_brier": float(np.mean(sr.brier_score(y, ktt.to_numpy(float)))),
            "said_met": float(said.mean()),
            "met_when_said": float(y[said].mean()) if said.any() else float("nan"),
            "met_when_not": float(y[~said].mean()) if (~said).any() else float("nan")}
