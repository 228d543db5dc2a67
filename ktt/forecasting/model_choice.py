"""Which model, or mixture of models, serves each indicator, chosen from its backtest scores,
and why: in English and as ``summary.json`` gives it, and the calls the choice would have
made."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from ktt.forecasting.backtest import Backtest
from ktt.forecasting.scores import score_table
from ktt.inputs.catalog import kind_of
from ktt.models.fit import AUTO_CANDIDATES, MIN_POINTS, FittedModel, served_weights

BASELINE = {"count": "rate_walk", "stock": "last_stock", "share": "mean_reverting"}
"""What an indicator uses when its series is too short to backtest. A share's is the
mean-reverting logit model, which carries from three figures what they cannot tell (level or
line, persistence) as its own uncertainty; with fewer it falls back to the last value."""


MIN_EVIDENCE = 30
"""Fewest scored forecasts on which one model may win outright. A district with 6 to 12 years
of figures scores at most about 30 forecasts, and on so few the models' mean CRPS differ by
chance more often than not, so their paths are mixed instead. On 160 districts of the
calibration suite (seed 2022), letting the best model win on any evidence (unless another was
within ``CLOSE``) gave a higher Brier score in every kind of target than this threshold
(formation 0.174 against 0.169, profitable 0.100 against 0.099, households 0.067 against
0.057) and less reliable calls (chi-square of the households' reliability gaps 44 against
11). Other thresholds were not tried."""
CLOSE = 0.10
"""Relative CRPS margin within which a model counts as close to the best and is mixed in."""


WHY = ("best", "only", "few", "close", "short_baseline", "short_mixture")
"""Why an indicator's models were chosen: one model ``best`` by its CRPS on enough evidence; the
``only`` candidate of its kind (shares and stocks: ``AUTO_CANDIDATES``), scored but compared
with none; a mixture because the backtest scored ``few`` forecasts, or because the best models were
``close``; a series too short to backtest served by its baseline (``short_baseline``) or by an
equal mixture of what it can fit (``short_mixture``)."""


@dataclass(frozen=True)
class Evidence:
    """The numbers behind a model choice, so that a report can say why in its own language
    (``ktt.report.model_table.choice_words``)."""

    scored: int = 0
    """Forecasts the backtest scored for each model."""
    origins: int = 0
    """Origin years they came from."""
    best_crps: float = float("nan")
    """Lowest mean CRPS among the candidates tested [indicator's unit]."""
    runner_up: str = ""
    """The next candidate after a model that won alone; empty otherwise."""
    runner_up_crps: float = float("nan")
    """Its mean CRPS [indicator's unit]."""
    figures: int = 0
    """Figures of a series too short to backtest."""
    needs: int = 0
    """Figures a backtest needs."""
    min_evidence: int = MIN_EVIDENCE
    """Fewest scored forecasts on which one model may win."""
    close: float = CLOSE
    """Relative CRPS margin within which models are mixed [fraction]."""
    untested: tuple[str, ...] = ()
    """Models whose every backtest fit fell back to another: no candidates."""


@dataclass(frozen=True)
class ModelChoice:
    """The model (or mixture of models) an indicator uses, and why."""

    indicator: str
    """Indicator code."""
    model: str
    """Model chosen, or ``mixture`` when ``weights`` holds more than one."""
    reason: str
    """Why, in one English sentence with the scores (``ktt status``, ``summary.json``)."""
    crps: dict[str, float]
    """Mean CRPS of every model tried [indicator's unit]; empty when not backtested."""
    weights: dict[str, float] = field(default_factory=dict)
    """Share of the paths each model contributes [0, 1]; one model at 1 when not mixed."""
    why: str = ""
    """Kind of reason, one of ``WHY``."""
    evidence: Evidence = field(default_factory=Evidence)
    """The numbers ``reason`` gives."""


def _choice(code: str, why: str, evidence: Evidence, crps: dict[str, float],
            weights: dict[str, float]) -> ModelChoice:
    """A choice with its English reason, written from ``why`` and ``evidence``."""
    e = evidence
    backtested = f"{e.scored} scored forecasts from {e.origins} origins"
    if why == "only":
        # a forecast's backtest scores the candidate alone; ktt backtest scores the others
        reason = (f"the one candidate of its kind (ktt backtest scores the others for "
                  f"comparison), mean CRPS {e.best_crps:.3g} over {backtested}")
    elif why == "best":
        reason = f"lowest mean CRPS {e.best_crps:.3g} over {backtested}"
        if e.runner_up:
            reason += f"; next {e.runner_up} {e.runner_up_crps:.3g}"
    elif why in ("few", "close"):
        because = (f"fewer than the {e.min_evidence} a single model needs to win" if why == "few"
                   else f"CRPS within {e.close:.0%} of the best ({e.best_crps:.3g})")
        reason = ("mixture of " + ", ".join(f"{m} {w:.2f}" for m, w in weights.items())
                  + f" (weights proportional to 1 / mean CRPS) over {backtested}: {because}")
    else:
        reason = (f"{e.figures} figure{'' if e.figures == 1 else 's'}, too few to backtest "
                  f"(needs {e.needs}): " + (f"the baseline {next(iter(weights))}"
                                            if why == "short_baseline" else
                                            f"mixture of {', '.join(weights)}, equally"))
    if e.untested:
        reason += f"; {', '.join(e.untested)} always fell back, not a candidate"
    model = next(iter(weights)) if len(weights) == 1 else "mixture"
    return ModelChoice(code, model, reason, crps, weights, why, evidence)


SIGNIFICANT = 3
"""Digits of a mean CRPS that the backtest can tell apart: scores are rounded to them before a
model is chosen or weighted, so the choice never turns on a difference below that precision
(such as the BLAS library's rounding on another machine), and the report shows them so."""


def significant(value: float, digits: int = SIGNIFICANT) -> float:
    """``value`` rounded to ``digits`` significant digits (1.546745 -> 1.55)."""
    return float(f"{value:.{digits}g}") if np.isfinite(value) else value


def _weights(crps: pd.Series) -> dict[str, float]:
    """Weights proportional to 1 / mean CRPS: the sharper and closer model contributes more
    paths, and no model is dropped for a difference the evidence cannot tell from chance."""
    inverse = 1.0 / np.maximum(crps.to_numpy(float), 1e-12)
    return dict(zip(crps.index, inverse / inverse.sum(), strict=True))


def choice_fields(choice: ModelChoice | None, fitted: FittedModel | None = None) -> dict:
    """Why an indicator's models, as ``summary.json`` and ``ktt status --json`` give it.

    Parameters
    ----------
    choice : ModelChoice or None
        From ``choose_models``; None when the model was named in the options.
    fitted : FittedModel, optional
        The fit that serves the indicator; its weights, after any fallback, are the ones
        given (``ktt.models.fit.served_weights``).

    Returns
    -------
    dict
        ``model_reason`` (English; with the models served when a fallback changed them),
        ``model_reason_code`` (one of ``WHY``, or ``named``),
        ``model_crps`` (each candidate's mean CRPS in the backtest, in the indicator's unit)
        and ``model_weights`` (each model's share of the paths as served, [0, 1]: a candidate
        that fell back gives its weight to the model it fell back to); numbers rounded to 6
        places, None where not finite.
    """
    if fitted is not None:
        weights = served_weights(fitted)
    else:
        weights = choice.weights if choice is not None else {}
    weights = {m: rounded(w) for m, w in weights.items()}
    if choice is None:
        return {"model_reason": "named in the parameters", "model_reason_code": "named",
                "model_crps": {}, "model_weights": weights}
    reason = choice.reason
    if set(weights) != set(choice.weights):
        # the backtest chose models the full record's fit could not keep: say what serves
        served = ", ".join(f"{m} {w:.2f}" for m, w in sorted(weights.items(), key=lambda x: -x[1]))
        reason += f"; served after fallbacks as {served}"
    return {"model_reason": reason, "model_reason_code": choice.why,
            "model_crps": {m: rounded(v) for m, v in choice.crps.items()},
            "model_weights": weights}


def rounded(value: float) -> float | None:
    """A number for JSON: rounded to 6 places, None when not finite."""
    return None if not np.isfinite(value) else round(float(value), 6)


def choose_models(backtest: Backtest, min_evidence: int = MIN_EVIDENCE,
                  close: float = CLOSE) -> dict[str, ModelChoice]:
    """Per indicator, the model with the lowest mean CRPS over the backtest when the evidence
    is enough to tell; otherwise a mixture of the candidates' paths; the baseline
    (``BASELINE``) for an indicator too short to backtest.

    Every model of an indicator is scored on the same origins and horizons, so their means
    compare like with like. A model whose every backtest fit fell back to another was never
    tested as itself and is no candidate.

    Parameters
    ----------
    backtest : Backtest
        From ``run_backtest``.
    min_evidence : int
        Fewest scored forecasts on which a single model may be chosen.
    close : float
        Models whose mean CRPS is within this fraction of the best are mixed with it.

    Only ``ktt.models.fit.AUTO_CANDIDATES`` are chosen; the others' scores stay in ``crps``.
    """
    choices = {}
    means = score_table(backtest, ("indicator", "model"))
    means["crps"] = means["crps"].map(significant)  # ties within the precision stay ties
    for code, group in means.groupby("indicator", sort=False):
        ranked = group.sort_values("crps", kind="stable").set_index("model")
        candidates = ranked[ranked.index.isin(AUTO_CANDIDATES[kind_of(code)])]
        ranked, crps = (candidates if len(candidates) else ranked), ranked["crps"]
        tested = ranked[ranked["fallbacks"] < ranked["n"]]
        tested = tested if len(tested) else ranked
        n = int(tested["n"].iloc[0])
        n_origins = backtest.forecasts.loc[backtest.forecasts["indicator"] == code,
                                           "origin"].nunique()
        near = tested[tested["crps"] <= tested["crps"].iloc[0] * (1 + close)]
        evidence = Evidence(scored=n, origins=n_origins, best_crps=tested["crps"].iloc[0],
                            min_evidence=min_evidence, close=close,
                            untested=tuple(m for m in ranked.index if m not in tested.index))
        # a kind with one candidate (shares) is served by it: there is nothing to mix, and
        # nothing it beat
        if len(tested) == 1:
            why, weights = "only", {tested.index[0]: 1.0}
        elif n >= min_evidence and len(near) == 1:
            why, weights = "best", {tested.index[0]: 1.0}
            evidence = dataclasses.replace(evidence, runner_up=tested.index[1],
                                           runner_up_crps=tested["crps"].iloc[1])
        else:
            why = "few" if n < min_evidence else "close"
            weights = _weights((tested if n < min_evidence else near)["crps"])
        choices[code] = _choice(code, why, evidence, crps.to_dict(), weights)
    for code, n in backtest.short.items():
        choices[code] = _short_choice(code, n, backtest.settings["min_train"] + 1)
    return choices


def _short_choice(code: str, n: int, needs: int) -> ModelChoice:
    """A series too short to backtest: the candidates that can be fitted to its ``n`` figures,
    mixed equally (no evidence favours one), or the baseline alone when it is the only one.
    On the calibration suite (200 districts, seed 2024) mixing the last value with the trend
    models on short share series lowered the households' Brier score from 0.053 to 0.043 and
    their reliability chi-square from 38 to 5."""
    fit = [m for m in AUTO_CANDIDATES[kind_of(code)] if MIN_POINTS[m] <= n]
    evidence = Evidence(figures=n, needs=needs)
    if len(fit) < 2:
        return _choice(code, "short_baseline", evidence, {}, {BASELINE[kind_of(code)]: 1.0})
    return _choice(code, "short_mixture", evidence, {}, {m: 1.0 / len(fit) for m in fit})


def chosen_calls(calls: pd.DataFrame, choices: dict[str, ModelChoice]) -> pd.DataFrame:
    """The attainment calls each indicator's choice would have made: a single model's own
    calls, or for a mixture the weighted mean of its models' probabilities (the probability
    the mixed paths give).

    Returns
    -------
    pandas.DataFrame
        The columns of ``Backtest.calls``, ``model`` holding the choice's name.
    """
    keys = ["indicator", "origin", "rule", "threshold", "basis", "horizon"]
    weight = pd.Series([choices[code].weights.get(model, 0.0) if code in choices else 0.0
                        for code, model in zip(calls["indicator"], calls["model"],
                                               strict=True)], index=calls.index, dtype=float)
    used = calls.assign(weighted=calls["probability"] * weight, weight=weight)
    used = used[used["weight"] > 0]
    if used.empty:
        return calls.iloc[:0]
    grouped = used.groupby(keys, sort=False, dropna=False).agg(
        weighted=("weighted", "sum"), weight=("weight", "sum"), outcome=("outcome", "first"))
    out = grouped.reset_index()
    out["probability"] = out["weighted"] / out["weight"]
    out["model"] = out["indicator"].map({code: c.model for code, c in choices.items()})
    return out[list(calls.columns)]
