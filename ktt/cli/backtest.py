"""``ktt backtest``: the rolling-origin backtest of every model on the unit's own record."""

from __future__ import annotations

import argparse
import sys

from ktt.cli.inputs import plan_and_record


def backtest_command(args: argparse.Namespace) -> int:
    """``ktt backtest``: print each indicator's model choice and scores; exit code 0."""
    from ktt.forecasting.backtest import backtest_unit
    from ktt.forecasting.choice_scores import model_summary, official_scores
    from ktt.forecasting.model_choice import choose_models
    from ktt.forecasting.scores import score_table
    from ktt.inputs.banner import BANNER
    from ktt.inputs.example import is_synthetic

    observations, targets = plan_and_record(args)
    backtest = backtest_unit(observations, args.unit, targets, args.readings,
                             n_paths=args.paths, seed=args.seed,
                             progress=sys.stderr.isatty())
    if is_synthetic(observations):
        print(f"{BANNER['en']} / {BANNER['vi']}")
    print(f"Rolling-origin backtest of {args.unit}, data {args.data}: every model refitted at "
          f"each origin with at least {backtest.settings['min_train']} figures, "
          f"{backtest.settings['horizons']} years ahead; {args.paths} paths, seed {args.seed}")
    choices = choose_models(backtest)
    summary = model_summary(backtest, choices)
    for code, choice in choices.items():
        print(f"\n{code}: uses {choice.model} ({choice.reason})")
        rows = summary[summary["indicator"] == code].drop(columns="indicator")
        if len(rows):
            print(rows.to_string(index=False, float_format=lambda v: f"{v:.3g}"))
    official = official_scores(backtest, choices)
    if len(official):
        print(f"\nthe official progress classes as calls (met for achieved, on_track, maintain), "
              f"from base year {backtest.settings['base_year']}, beside ktt's on the same "
              "calls (ktt_brier):")
        print(official.to_string(index=False, float_format=lambda v: f"{v:.3f}"))
    if args.output:
        score_table(backtest).to_csv(args.output, index=False)
        print(f"\nscores by indicator, model and horizon: {args.output}")
    return 0
